/*
 * state.h -- the four plugin states, their names and their ranking.
 *
 * The exit codes are the Monitoring Plugins guidelines' (0 OK, 1 WARNING,
 * 2 CRITICAL, 3 UNKNOWN). The ranking used for "worst" is
 *
 *	OK < WARNING < UNKNOWN < CRITICAL
 *
 * monitoring-plugins 3.x ranks UNKNOWN below WARNING (max_state_alt()).
 * This suite does not, on purpose: here UNKNOWN means "this part could not
 * be judged" (the resolver does not validate DNSSEC, a local failure), and a
 * WARNING elsewhere must not hide that a part of the domain was never
 * checked; an operator who sees WARNING believes the rest was verified.
 * CRITICAL still outranks it: a breakage that was seen is the news.
 */
#ifndef DANE_STATE_H
#define DANE_STATE_H

/** Plugin states, with the exit codes of the Monitoring Plugins guidelines. */
typedef enum {
	STATE_OK = 0,
	STATE_WARNING = 1,
	STATE_CRITICAL = 2,
	STATE_UNKNOWN = 3,
} state_t;

/** Name of a state as printed ("OK", "WARNING", "CRITICAL", "UNKNOWN"). */
const char *state_name(state_t state);

/** Rank of a state in the order above: OK 0, WARNING 1, UNKNOWN 2, CRITICAL 3. */
int state_rank(state_t state);

/** The worse of a and b in the order above. */
state_t state_worst(state_t a, state_t b);

#endif /* DANE_STATE_H */
