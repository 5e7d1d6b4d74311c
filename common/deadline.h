/*
 * deadline.h -- one monotonic deadline per plugin run.
 *
 * main() starts it from -t; every blocking call (DNS, connect, read, TLS)
 * waits at most deadline_ms_left(). What the plugin is doing is kept as the
 * "stage" so that a timeout can say "timed out after 10 s while <stage>".
 *
 * As a last resort, deadline_arm_backstop() sets a POSIX timer shortly after
 * the deadline whose handler writes a preformatted CRITICAL line with write(2)
 * and _exit()s: the plugin never outlives -t by more than that margin, even
 * if a library blocks.
 */
#ifndef DANE_DEADLINE_H
#define DANE_DEADLINE_H

#include <stdbool.h>
#include <time.h>

/** Margin after the deadline at which the backstop ends the process. */
#define DEADLINE_BACKSTOP_MS 300

/** Longest timeout accepted by -t, in seconds. */
#define DEADLINE_MAX_SECONDS 3600

/** The deadline of one run. Owned by main(), passed down by pointer. */
struct deadline {
	struct timespec start; /* CLOCK_MONOTONIC at deadline_start() */
	struct timespec end;   /* start + seconds */
	unsigned int seconds;  /* as given by -t */
	char stage[160];       /* what the plugin is doing now */
	char service[64];      /* for the backstop's status line */
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
 * Arm the hard backstop DEADLINE_BACKSTOP_MS after the deadline; service is
 * the status-line service name. Returns 0, or -1 if no timer could be made
 * (the cooperative deadline still applies).
 */
int deadline_arm_backstop(struct deadline *dl, const char *service);

/** Disarm and delete the backstop timer (before printing the result). */
void deadline_disarm_backstop(struct deadline *dl);

/** Parse a -t value: a whole number of seconds, 1..DEADLINE_MAX_SECONDS. */
int deadline_parse_seconds(const char *text, unsigned int *seconds);

#endif /* DANE_DEADLINE_H */
