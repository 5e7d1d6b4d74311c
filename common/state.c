/*
 * state.c -- plugin states: names and ranking (see state.h for the order).
 */
#include "config.h"

#include "state.h"

const char *
state_name(state_t state)
{
	switch (state) {
	case STATE_OK:
		return "OK";
	case STATE_WARNING:
		return "WARNING";
	case STATE_CRITICAL:
		return "CRITICAL";
	case STATE_UNKNOWN:
	default:
		return "UNKNOWN";
	}
}

int
state_rank(state_t state)
{
	switch (state) {
	case STATE_OK:
		return 0;
	case STATE_WARNING:
		return 1;
	case STATE_UNKNOWN:
		return 2;
	case STATE_CRITICAL:
	default:
		return 3;
	}
}

state_t
state_worst(state_t a, state_t b)
{
	return state_rank(a) >= state_rank(b) ? a : b;
}
