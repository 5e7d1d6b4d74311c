/*
 * range.c -- threshold ranges of the Monitoring Plugins guidelines.
 */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "range.h"
#include "text.h"

int
range_parse(const char *text, struct range *r, char *err, size_t errsize)
{
	const char *p = text, *colon;
	struct range tmp = {0};

	if (text == NULL || *text == '\0') {
		snprintf(err, errsize, "empty threshold range");
		return -1;
	}
	if (*p == '@') {
		tmp.inside = true;
		p++;
	}
	colon = strchr(p, ':');
	if (colon == NULL) {
		/* "10": 0 to 10 */
		if (text_parse_number(p, strlen(p), &tmp.end) != 0)
			goto bad;
		tmp.start = 0;
	} else {
		size_t start_len = (size_t)(colon - p);
		const char *end_text = colon + 1;

		if (start_len == 1 && *p == '~')
			tmp.start_inf = true;
		else if (text_parse_number(p, start_len, &tmp.start) != 0)
			goto bad;
		if (*end_text == '\0')
			tmp.end_inf = true;
		else if (text_parse_number(end_text, strlen(end_text), &tmp.end) != 0)
			goto bad;
	}
	if (!tmp.start_inf && !tmp.end_inf && tmp.start > tmp.end) {
		snprintf(err, errsize, "invalid threshold range '%.40s': start is greater than end",
			 text);
		return -1;
	}
	*r = tmp;
	return 0;
bad:
	snprintf(err, errsize,
		 "invalid threshold range '%.40s' (expected e.g. 10, 10:, ~:10, 10:20 or @10:20)",
		 text);
	return -1;
}

bool
range_alerts(const struct range *r, double value)
{
	bool in = (r->start_inf || value >= r->start) && (r->end_inf || value <= r->end);

	return r->inside ? in : !in;
}

state_t
range_state(const struct range *warn, const struct range *crit, double value)
{
	if (crit != NULL && range_alerts(crit, value))
		return STATE_CRITICAL;
	if (warn != NULL && range_alerts(warn, value))
		return STATE_WARNING;
	return STATE_OK;
}

size_t
range_format_number(char *dst, size_t dstsize, double value)
{
	char buf[400]; /* "%.6f" of the largest double fits */
	locale_t c_locale, old;
	size_t len;
	char *dot;

	if (dstsize == 0)
		return 0;
	if (!isfinite(value)) {
		snprintf(dst, dstsize, "U");
		return strlen(dst);
	}
	c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	if (c_locale != (locale_t)0)
		old = uselocale(c_locale);
	snprintf(buf, sizeof(buf), "%.6f", value);
	if (c_locale != (locale_t)0) {
		uselocale(old);
		freelocale(c_locale);
	}
	/* A locale that would not switch still must not leak its ',' here. */
	dot = strchr(buf, ',');
	if (dot != NULL)
		*dot = '.';
	dot = strchr(buf, '.');
	if (dot != NULL) {
		len = strlen(buf);
		while (len > 0 && buf[len - 1] == '0')
			buf[--len] = '\0';
		if (len > 0 && buf[len - 1] == '.')
			buf[--len] = '\0';
	}
	if (strcmp(buf, "-0") == 0)
		snprintf(buf, sizeof(buf), "0");
	snprintf(dst, dstsize, "%s", buf);
	return strlen(dst);
}

size_t
range_format(const struct range *r, char *dst, size_t dstsize)
{
	char start[64] = "", end[64] = "";

	if (dstsize == 0)
		return 0;
	if (r->end_inf)
		end[0] = '\0';
	else
		range_format_number(end, sizeof(end), r->end);
	if (r->start_inf)
		snprintf(start, sizeof(start), "~");
	else
		range_format_number(start, sizeof(start), r->start);

	if (!r->inside && !r->start_inf && !r->end_inf && r->start == 0)
		snprintf(dst, dstsize, "%s", end);
	else
		snprintf(dst, dstsize, "%s%s:%s", r->inside ? "@" : "", start, end);
	return strlen(dst);
}
