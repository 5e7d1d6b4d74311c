/*
 * tls_early.c -- the shared TLS context made while the DNS is asked.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "tls_early.h"

/* The thread: make the context; the result is read after pthread_join(). */
static void *
early_thread(void *arg)
{
	struct tls_early *e = arg;

	e->ctx = tls_ctx_new(e->err, sizeof(e->err));
	e->made = true;
	return NULL;
}

void
tls_early_start(struct tls_early *e)
{
	pthread_attr_t attr;

	memset(e, 0, sizeof(*e));
	if (pthread_attr_init(&attr) != 0)
		return;
	/* as much as a probe thread has (probe.c), which runs OpenSSL too */
	pthread_attr_setstacksize(&attr, 512 * 1024);
	e->running = pthread_create(&e->thread, &attr, early_thread, e) == 0;
	pthread_attr_destroy(&attr);
}

/* Join the thread if it runs. */
static void
early_join(struct tls_early *e)
{
	if (!e->running)
		return;
	pthread_join(e->thread, NULL);
	e->running = false;
}

struct tls_ctx *
tls_early_take(struct tls_early *e, char *err, size_t errsize)
{
	struct tls_ctx *ctx;

	early_join(e);
	if (!e->made)
		early_thread(e); /* no thread could be started: here, now */
	ctx = e->ctx;
	e->ctx = NULL;
	if (ctx == NULL)
		snprintf(err, errsize, "%s",
			 e->err[0] != '\0' ? e->err : "TLS context already taken");
	else
		snprintf(e->err, sizeof(e->err), "TLS context already taken");
	return ctx;
}

void
tls_early_clear(struct tls_early *e)
{
	early_join(e);
	tls_ctx_free(e->ctx);
	e->ctx = NULL;
}
