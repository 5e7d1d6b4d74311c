/*
 * range.h -- threshold ranges of the Monitoring Plugins guidelines.
 *
 *   10      alert if < 0 or > 10
 *   10:     alert if < 10
 *   ~:10    alert if > 10
 *   10:20   alert if < 10 or > 20
 *   @10:20  alert if >= 10 and <= 20
 */
#ifndef DANE_RANGE_H
#define DANE_RANGE_H

#include <stdbool.h>
#include <stddef.h>

#include "state.h"

/** A parsed threshold range. */
struct range {
	double start;   /* lower bound, unless start_inf */
	double end;     /* upper bound, unless end_inf */
	bool start_inf; /* "~": no lower bound */
	bool end_inf;   /* "10:": no upper bound */
	bool inside;    /* "@": alert inside the range instead of outside */
};

/**
 * Parse a range. Returns 0 and fills r, or -1 with a message in err (which
 * names the bad input) for anything that is not exactly a range: empty,
 * trailing text, start > end, not a finite number.
 */
int range_parse(const char *text, struct range *r, char *err, size_t errsize);

/** True when value is outside the range (inside, for "@" ranges): alert. */
bool range_alerts(const struct range *r, double value);

/**
 * The state of value against a critical and a warning range (either may be
 * NULL: not given): CRITICAL when crit alerts, else WARNING when warn
 * alerts, else OK.
 */
state_t range_state(const struct range *warn, const struct range *crit, double value);

/**
 * Write the range in the guidelines' syntax (for perfdata), e.g. "10",
 * "10:", "~:10", "@10:20". Returns the length.
 */
size_t range_format(const struct range *r, char *dst, size_t dstsize);

/**
 * Format a number for perfdata and ranges: '.' as decimal point whatever the
 * locale, no exponent, at most 6 decimals, trailing zeros removed.
 * Returns the length.
 */
size_t range_format_number(char *dst, size_t dstsize, double value);

#endif /* DANE_RANGE_H */
