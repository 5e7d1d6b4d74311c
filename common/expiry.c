/*
 * expiry.c -- certificate expiry judged against days and the lifetime.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expiry.h"
#include "text.h"

#define DAY 86400.0

int
expiry_parse_days(const char *text, double *days, char *err, size_t errsize)
{
	double v;

	if (text == NULL || text_parse_number(text, strlen(text), &v) != 0) {
		snprintf(err, errsize, "'%.40s' is not a number of days", text ? text : "");
		return -1;
	}
	if (v <= 0 || v > EXPIRY_MAX_DAYS) {
		snprintf(err, errsize, "'%.40s': days must be more than 0 and at most %.0f", text,
			 EXPIRY_MAX_DAYS);
		return -1;
	}
	*days = v;
	return 0;
}

int
expiry_parse_limit(const char *text, struct expiry_limit *limit, char *err, size_t errsize)
{
	size_t len = text ? strlen(text) : 0;
	double v;

	if (len == 0) {
		snprintf(err, errsize,
			 "empty value (days, e.g. 21 or 0.5, or a share of the "
			 "lifetime, e.g. 33%%)");
		return -1;
	}
	if (strchr(text, ':') != NULL || text[0] == '@' || text[0] == '~') {
		snprintf(err, errsize,
			 "'%.40s': a number of days or a percentage, not a range (e.g. 21 or 33%%)",
			 text);
		return -1;
	}
	if (text[len - 1] == '%') {
		if (text_parse_number(text, len - 1, &v) != 0) {
			snprintf(err, errsize, "'%.40s' is not a percentage (e.g. 33%%)", text);
			return -1;
		}
		if (v <= 0 || v > 100) {
			snprintf(
			    err, errsize,
			    "'%.40s': a share of the lifetime is more than 0 %% and at most 100 %%",
			    text);
			return -1;
		}
		*limit = (struct expiry_limit){.set = true, .percent = true, .value = v};
		return 0;
	}
	if (expiry_parse_days(text, &v, err, errsize) != 0)
		return -1;
	*limit = (struct expiry_limit){.set = true, .percent = false, .value = v};
	return 0;
}

int
expiry_policy_set(struct expiry_policy *p, enum expiry_option opt, const char *arg, char *err,
		  size_t errsize)
{
	char why[160];

	if (opt == EXPIRY_OPT_RENEW_BEFORE) {
		if (expiry_parse_days(arg, &p->renew_before_days, why, sizeof(why)) != 0) {
			snprintf(err, errsize, "invalid --renew-before: %s", why);
			return -1;
		}
		p->has_renew_before = true;
		return 0;
	}
	if (expiry_parse_limit(arg, opt == EXPIRY_OPT_WARNING ? &p->warn : &p->crit, why,
			       sizeof(why)) != 0) {
		snprintf(err, errsize, "invalid -%c: %s", opt == EXPIRY_OPT_WARNING ? 'w' : 'c',
			 why);
		return -1;
	}
	return 0;
}

int
expiry_policy_check(const struct expiry_policy *p, char *err, size_t errsize)
{
	const struct expiry_limit *w = &p->warn, *c = &p->crit;

	if (w->set && c->set && w->percent == c->percent && w->value < c->value) {
		snprintf(err, errsize,
			 "the warning threshold (-w %g%s) is below the critical one (-c %g%s): "
			 "WARNING must come first",
			 w->value, w->percent ? "%" : "", c->value, c->percent ? "%" : "");
		return -1;
	}
	return 0;
}

double
expiry_limit_days(const struct expiry_limit *limit, double lifetime_days, double default_days,
		  double default_percent)
{
	double share;

	if (limit->set && !limit->percent)
		return limit->value;
	if (lifetime_days < 0)
		lifetime_days = 0;
	share = lifetime_days * (limit->set ? limit->value : default_percent) / 100.0;
	if (limit->set)
		return share;
	return share < default_days ? share : default_days;
}

state_t
expiry_judge(const struct expiry_policy *p, time_t not_before, time_t not_after, time_t now,
	     struct expiry_verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->days_left = difftime(not_after, now) / DAY;
	v->lifetime_days = difftime(not_after, not_before) / DAY;
	v->warn_days =
	    expiry_limit_days(&p->warn, v->lifetime_days, EXPIRY_WARN_DAYS, EXPIRY_WARN_PERCENT);
	v->crit_days =
	    expiry_limit_days(&p->crit, v->lifetime_days, EXPIRY_CRIT_DAYS, EXPIRY_CRIT_PERCENT);
	if (p->has_renew_before)
		v->renewal = not_after - (time_t)llround(p->renew_before_days * DAY);
	else
		v->renewal = not_before +
			     (time_t)llround(difftime(not_after, not_before) * EXPIRY_RENEW_SHARE);
	v->renewal_overdue = v->renewal <= now;
	if (v->days_left < v->crit_days)
		v->state = STATE_CRITICAL;
	else if (v->days_left < v->warn_days)
		v->state = STATE_WARNING;
	else
		v->state = STATE_OK;
	return v->state;
}

size_t
expiry_format_left(double days, char *dst, size_t dstsize)
{
	int n;

	if (dstsize == 0)
		return 0;
	if (fabs(days) < 2) {
		long hours = lround(days * 24);

		n = snprintf(dst, dstsize, "%ld hour%s", hours, labs(hours) == 1 ? "" : "s");
	} else {
		n = snprintf(dst, dstsize, "%.0f days", round(days));
	}
	return n < 0 ? 0 : ((size_t)n < dstsize ? (size_t)n : dstsize - 1);
}

const char *
expiry_format_date(time_t t, bool with_time, char *dst, size_t dstsize)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(dst, dstsize, with_time ? "%Y-%m-%d %H:%M UTC" : "%Y-%m-%d", &tm) == 0)
		snprintf(dst, dstsize, "?");
	return dst;
}

struct range
expiry_days_range(double days)
{
	struct range r;

	memset(&r, 0, sizeof(r));
	r.start = days;
	r.end_inf = true;
	return r;
}

int
expiry_parse_below(const char *text, struct range *below, char *err, size_t errsize)
{
	double days;

	if (expiry_parse_days(text, &days, err, errsize) != 0)
		return -1;
	*below = expiry_days_range(days);
	return 0;
}

state_t
expiry_days_state(const struct range *warn, const struct range *crit, double days)
{
	return range_state(warn, crit, days);
}
