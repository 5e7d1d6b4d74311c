/*
 * deadline.h -- one monotonic deadline per plugin run.
 *
 * main() starts it from -t; every blocking call (DNS, connect, read, TLS)
 * waits at most deadline_ms_left(). What the plugin is doing is kept as the
 * "stage" so that a timeout can say "timed out after 10 s while <stage>".
 *
 * As a last resort, deadline_arm_backstop() sets a POSIX timer shortly after
 * the deadline that runs a function of the caller's in a thread of its own
 * (SIGEV_THREAD): the plugin renders its timeout result there, writes it and
 * _exit()s, so it never outlives -t by more than that margin, even if a
 * library blocks. The stage is read under a lock for it.
 */
#ifndef DANE_DEADLINE_H
#define DANE_DEADLINE_H

#include <pthread.h>
#include <stdbool.h>
#include <time.h>

/** Margin after the deadline at which the backstop ends the process. */
#define DEADLINE_BACKSTOP_MS 300

/** Longest timeout accepted by -t, in seconds. */
#define DEADLINE_MAX_SECONDS 3600

struct deadline;

/**
 * The backstop's work: called once, in a thread of its own, when the run
 * outlived its deadline by DEADLINE_BACKSTOP_MS; stage is a copy of what
 * the plugin was doing. It must end the process (_exit()).
 */
typedef void (*deadline_backstop_fn)(const struct deadline *dl, const char *stage, void *ctx);

/** The deadline of one run. Owned by main(), passed down by pointer. */
struct deadline {
	struct timespec start;      /* CLOCK_MONOTONIC at deadline_start() */
	struct timespec end;        /* start + seconds */
	unsigned int seconds;       /* as given by -t */
	char stage[160];            /* what the plugin is doing now */
	pthread_mutex_t stage_lock; /* deadline_stage() against the backstop's copy */
	deadline_backstop_fn backstop;
	void *backstop_ctx;
	timer_t timer;
	bool timer_armed;
};

/** The monotonic clock, in seconds with fractions (the one clock of the suite). */
double deadline_now(void);

/** The monotonic clock, in whole milliseconds. */
long long deadline_now_ms(void);

/** Start the deadline seconds from now. */
void deadline_start(struct deadline *dl, unsigned int seconds);

/**
 * A shorter deadline inside dl for one step that must not take the whole run
 * (a server that does not answer): it ends ms milliseconds from now, or with
 * dl if that is sooner; its seconds say the step's own bound; the stage is
 * dl's; no backstop. Only read dl.
 */
void deadline_sub(const struct deadline *dl, int ms, struct deadline *sub);

/** Milliseconds left before the deadline, 0 when it has passed. */
int deadline_ms_left(const struct deadline *dl);

/** True when the deadline has passed. */
bool deadline_expired(const struct deadline *dl);

/** Seconds since deadline_start(), with fractions. */
double deadline_elapsed(const struct deadline *dl);

/** Record what the plugin is doing now (printf-style, cut to fit). */
void deadline_stage(struct deadline *dl, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/**
 * Arm the hard backstop DEADLINE_BACKSTOP_MS after the deadline: fn(dl,
 * stage, ctx) then runs in a thread of its own and ends the process. dl must
 * stay where it is until deadline_disarm_backstop(). Returns 0, or -1 if no
 * timer could be made (the cooperative deadline still applies).
 */
int deadline_arm_backstop(struct deadline *dl, deadline_backstop_fn fn, void *ctx);

/** Disarm and delete the backstop timer (before printing the result). */
void deadline_disarm_backstop(struct deadline *dl);

/** Parse a -t value: a whole number of seconds, 1..DEADLINE_MAX_SECONDS. */
int deadline_parse_seconds(const char *text, unsigned int *seconds);

#endif /* DANE_DEADLINE_H */
