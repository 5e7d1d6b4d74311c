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
	snprintf(sub->service, sizeof(sub->service), "%s", dl->service);
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

	va_start(ap, fmt);
	vsnprintf(dl->stage, sizeof(dl->stage), fmt, ap);
	va_end(ap);
}

/* Async-signal-safe helpers for the backstop handler. */
static size_t
put_str(char *dst, size_t o, size_t size, const char *s)
{
	for (; *s != '\0' && o + 1 < size; s++) {
		unsigned char ch = (unsigned char)*s;

		dst[o++] = (ch < 0x20 || ch >= 0x7f || ch == '|') ? '?' : (char)ch;
	}
	return o;
}

static size_t
put_uint(char *dst, size_t o, size_t size, unsigned int v)
{
	char digits[12];
	size_t n = 0;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0 && n < sizeof(digits));
	while (n > 0 && o + 1 < size)
		dst[o++] = digits[--n];
	return o;
}

static void
backstop_handler(int sig, siginfo_t *si, void *uctx)
{
	const struct deadline *dl = si->si_value.sival_ptr;
	char msg[512];
	size_t o = 0;
	ssize_t w;
	struct timespec now;
	long ms;

	(void)sig;
	(void)uctx;
	if (dl != NULL) {
		o = put_str(msg, o, sizeof(msg), dl->service);
		o = put_str(msg, o, sizeof(msg), " CRITICAL - timed out after ");
		o = put_uint(msg, o, sizeof(msg), dl->seconds);
		o = put_str(msg, o, sizeof(msg), " s while ");
		o = put_str(msg, o, sizeof(msg), dl->stage);
		/* the same 'time' perfdata as a normal run (clock_gettime is
		 * async-signal-safe), so graphs show the timeout */
		clock_gettime(CLOCK_MONOTONIC, &now);
		ms = (now.tv_sec - dl->start.tv_sec) * 1000 +
		     (now.tv_nsec - dl->start.tv_nsec) / 1000000;
		if (ms < 0)
			ms = 0;
		if (o + 40 < sizeof(msg)) {
			o = put_str(msg, o, sizeof(msg), " ");
			msg[o++] = '|';
			o = put_str(msg, o, sizeof(msg), " 'time'=");
			o = put_uint(msg, o, sizeof(msg), (unsigned int)(ms / 1000));
			o = put_str(msg, o, sizeof(msg), ".");
			msg[o++] = (char)('0' + (ms / 100) % 10);
			msg[o++] = (char)('0' + (ms / 10) % 10);
			msg[o++] = (char)('0' + ms % 10);
			o = put_str(msg, o, sizeof(msg), "s;;;0");
		}
	} else {
		o = put_str(msg, o, sizeof(msg), "CRITICAL - timed out");
	}
	msg[o++] = '\n';
	w = write(STDOUT_FILENO, msg, o);
	(void)w;
	_exit(2);
}

int
deadline_arm_backstop(struct deadline *dl, const char *service)
{
	struct sigaction sa;
	struct sigevent sev;
	struct itimerspec its;

	snprintf(dl->service, sizeof(dl->service), "%s", service);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = backstop_handler;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL) != 0)
		return -1;

	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGALRM;
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
