/*
 * deadline.c -- one monotonic deadline per plugin run, and its backstop.
 */
#include "config.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "deadline.h"
#include "text.h"

double
deadline_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

long long
deadline_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
deadline_start(struct deadline *dl, unsigned int seconds)
{
	memset(dl, 0, sizeof(*dl));
	pthread_mutex_init(&dl->stage_lock, NULL);
	clock_gettime(CLOCK_MONOTONIC, &dl->start); /* the same clock as deadline_now() */
	dl->seconds = seconds;
	dl->end = dl->start;
	dl->end.tv_sec += seconds;
	snprintf(dl->stage, sizeof(dl->stage), "starting");
}

void
deadline_sub(const struct deadline *dl, int ms, struct deadline *sub)
{
	int left = deadline_ms_left(dl);

	if (ms > left)
		ms = left;
	deadline_start(sub, (unsigned int)((ms + 999) / 1000));
	sub->end = sub->start;
	sub->end.tv_sec += ms / 1000;
	sub->end.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (sub->end.tv_nsec >= 1000000000L) {
		sub->end.tv_sec++;
		sub->end.tv_nsec -= 1000000000L;
	}
	snprintf(sub->stage, sizeof(sub->stage), "%s", dl->stage);
}

static long long
ms_between(const struct timespec *a, const struct timespec *b)
{
	return (long long)(b->tv_sec - a->tv_sec) * 1000 + (b->tv_nsec - a->tv_nsec) / 1000000;
}

int
deadline_ms_left(const struct deadline *dl)
{
	struct timespec now;
	long long left;

	clock_gettime(CLOCK_MONOTONIC, &now);
	left = ms_between(&now, &dl->end);
	if (left <= 0)
		return 0;
	return left > 0x7fffffff ? 0x7fffffff : (int)left;
}

bool
deadline_expired(const struct deadline *dl)
{
	return deadline_ms_left(dl) == 0;
}

double
deadline_elapsed(const struct deadline *dl)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - dl->start.tv_sec) +
	       (double)(now.tv_nsec - dl->start.tv_nsec) / 1e9;
}

void
deadline_stage(struct deadline *dl, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&dl->stage_lock);
	va_start(ap, fmt);
	vsnprintf(dl->stage, sizeof(dl->stage), fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&dl->stage_lock);
}

/* The timer's thread: copy the stage and hand over to the plugin's backstop. */
static void
backstop_thread(union sigval v)
{
	const struct deadline *dl = v.sival_ptr;
	char stage[sizeof(dl->stage)];

	pthread_mutex_lock((pthread_mutex_t *)&dl->stage_lock);
	memcpy(stage, dl->stage, sizeof(stage));
	pthread_mutex_unlock((pthread_mutex_t *)&dl->stage_lock);
	stage[sizeof(stage) - 1] = '\0';
	dl->backstop(dl, stage, dl->backstop_ctx);
	_exit(2); /* the backstop must not return; if it does, end CRITICAL anyway */
}

int
deadline_arm_backstop(struct deadline *dl, deadline_backstop_fn fn, void *ctx)
{
	struct sigevent sev;
	struct itimerspec its;

	dl->backstop = fn;
	dl->backstop_ctx = ctx;
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_THREAD;
	sev.sigev_notify_function = backstop_thread;
	sev.sigev_value.sival_ptr = dl;
	if (timer_create(CLOCK_MONOTONIC, &sev, &dl->timer) != 0)
		return -1;

	memset(&its, 0, sizeof(its));
	its.it_value = dl->end;
	its.it_value.tv_nsec += (long)DEADLINE_BACKSTOP_MS * 1000000L;
	while (its.it_value.tv_nsec >= 1000000000L) {
		its.it_value.tv_nsec -= 1000000000L;
		its.it_value.tv_sec++;
	}
	if (timer_settime(dl->timer, TIMER_ABSTIME, &its, NULL) != 0) {
		timer_delete(dl->timer);
		return -1;
	}
	dl->timer_armed = true;
	return 0;
}

void
deadline_disarm_backstop(struct deadline *dl)
{
	if (!dl->timer_armed)
		return;
	timer_delete(dl->timer);
	dl->timer_armed = false;
}

int
deadline_parse_seconds(const char *text, unsigned int *seconds)
{
	unsigned long v;

	if (text_parse_uint(text, 1, DEADLINE_MAX_SECONDS, &v) != 0)
		return -1;
	*seconds = (unsigned int)v;
	return 0;
}
