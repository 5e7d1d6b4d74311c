/*
 * tls_early.h -- the shared TLS context made in a thread of its own while
 * the plugin asks the DNS, so that SSL_CTX_new() (about 1.5 ms of CPU, all
 * inside OpenSSL) overlaps the lookups that come before any handshake
 * instead of following them.
 *
 * tls_early_start() starts it, tls_early_take() waits for it and hands the
 * context over, tls_early_clear() waits for the thread and frees a context
 * nobody took. When no thread can be started the context is made by
 * tls_early_take(), in the caller's thread: the same context, later.
 */
#ifndef DANE_TLS_EARLY_H
#define DANE_TLS_EARLY_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "tls.h"

/** A context being made; fill with tls_early_start(), end with tls_early_clear(). */
struct tls_early {
	pthread_t thread;
	bool running;        /* the thread was started and not joined yet */
	bool made;           /* tls_ctx_new() ran (ctx or err is its result) */
	struct tls_ctx *ctx; /* NULL once taken, or when it could not be made */
	char err[256];       /* why not, when ctx is NULL after tls_ctx_new() */
};

/** Start making the shared client context (tls_ctx_new()) in a thread. */
void tls_early_start(struct tls_early *e);

/**
 * Wait for the context and hand it over (the caller frees it with
 * tls_ctx_free(), or passes it on). Returns NULL with a message in err when
 * it could not be made, or was already taken.
 */
struct tls_ctx *tls_early_take(struct tls_early *e, char *err, size_t errsize);

/** Wait for the thread if it still runs and free a context nobody took. */
void tls_early_clear(struct tls_early *e);

#endif
