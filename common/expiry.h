/*
 * expiry.h -- when a certificate's remaining time is a problem: thresholds in
 * days or as a share of the certificate's lifetime, defaults that fit every
 * lifetime (from 6-day ACME certificates to one-year ones), the date a
 * renewal is expected, and the remaining time in words.
 *
 * Pure functions; "now" is a parameter.
 */
#ifndef DANE_EXPIRY_H
#define DANE_EXPIRY_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "range.h"
#include "state.h"

/* Defaults: WARNING below min(21 days, 30 % of the lifetime), CRITICAL below min(7 days, 10 %). */
#define EXPIRY_WARN_DAYS    21.0
#define EXPIRY_WARN_PERCENT 30.0
#define EXPIRY_CRIT_DAYS    7.0
#define EXPIRY_CRIT_PERCENT 10.0

/* When most ACME clients renew (certbot, acme.sh, ...): after two thirds of the lifetime. */
#define EXPIRY_RENEW_SHARE (2.0 / 3.0)

/* Longest threshold or --renew-before accepted, in days. */
#define EXPIRY_MAX_DAYS 3650.0

/** One threshold (-w or -c): the default, a number of days, or a share of the lifetime. */
struct expiry_limit {
	bool set;     /* false: the default rule */
	bool percent; /* value is a percentage of the lifetime, else days */
	double value; /* days (0 < value <= EXPIRY_MAX_DAYS) or percent (0 < value <= 100) */
};

/** How certificate expiry is judged. A zeroed struct means the defaults. */
struct expiry_policy {
	struct expiry_limit warn, crit;
	bool has_renew_before;    /* --renew-before given */
	double renew_before_days; /* the ACME client renews this long before notAfter */
};

/** What the policy says about one certificate. */
struct expiry_verdict {
	state_t state;        /* OK, WARNING or CRITICAL */
	double days_left;     /* notAfter - now, in days (negative once expired) */
	double lifetime_days; /* notAfter - notBefore, in days */
	double warn_days;     /* the WARNING threshold for this certificate, in days */
	double crit_days;     /* the CRITICAL threshold for this certificate, in days */
	time_t renewal;       /* when the renewal is expected */
	bool renewal_overdue; /* that time has passed */
};

/**
 * Parse a -w/-c value: a number of days ("21", "0.5") or a percentage of the
 * lifetime ("33%"). Returns 0, or -1 with err saying what is wrong (negative,
 * zero, over 100 %, over EXPIRY_MAX_DAYS, a range such as "10%:", trailing text).
 */
int expiry_parse_limit(const char *text, struct expiry_limit *limit, char *err, size_t errsize);

/**
 * Parse a --renew-before value: days, 0 < DAYS <= EXPIRY_MAX_DAYS, fractions
 * allowed. Returns 0, or -1 with err.
 */
int expiry_parse_days(const char *text, double *days, char *err, size_t errsize);

/** The options of a policy, for expiry_policy_set(). */
enum expiry_option {
	EXPIRY_OPT_WARNING,      /* -w DAYS|PCT% */
	EXPIRY_OPT_CRITICAL,     /* -c DAYS|PCT% */
	EXPIRY_OPT_RENEW_BEFORE, /* --renew-before DAYS */
};

/**
 * Set one option of a policy from its argument (expiry_parse_limit(),
 * expiry_parse_days()). Returns 0, or -1 with err naming the option
 * ("invalid -w: ...").
 */
int expiry_policy_set(struct expiry_policy *p, enum expiry_option opt, const char *arg, char *err,
		      size_t errsize);

/**
 * Check a policy as a whole: a warning threshold below the critical one
 * (both in days, or both in percent) is an error. Returns 0, or -1 with err.
 */
int expiry_policy_check(const struct expiry_policy *p, char *err, size_t errsize);

/**
 * The threshold in days that limit gives for a certificate of this lifetime;
 * an unset limit is min(default_days, default_percent of the lifetime).
 */
double expiry_limit_days(const struct expiry_limit *limit, double lifetime_days,
			 double default_days, double default_percent);

/**
 * Judge a certificate valid from not_before to not_after at now. Returns
 * the state (also in v->state) and fills v.
 */
state_t expiry_judge(const struct expiry_policy *p, time_t not_before, time_t not_after, time_t now,
		     struct expiry_verdict *v);

/**
 * The remaining time in words for a detail line: "364 days"; under two days
 * in hours ("12 hours", "1 hour"); negative when expired ("-3 days", "-5 hours").
 * Returns the length.
 */
size_t expiry_format_left(double days, char *dst, size_t dstsize);

/**
 * A date for a detail line, UTC: "2026-12-08", or "2026-12-08 12:48 UTC"
 * when with_time. Returns dst.
 */
const char *expiry_format_date(time_t t, bool with_time, char *dst, size_t dstsize);

/**
 * The threshold "fewer than days days left" as a range: "days:" in the
 * guidelines' syntax, so range_alerts() and the perfdata agree.
 */
struct range expiry_days_range(double days);

/**
 * Parse a number of days (as expiry_parse_days()) into the range "fewer
 * than DAYS days left" (--sig-warning, --sig-critical). Returns 0, or -1
 * with err.
 */
int expiry_parse_below(const char *text, struct range *below, char *err, size_t errsize);

/**
 * The state for a number of days left: CRITICAL when crit alerts, else
 * WARNING when warn alerts, else OK.
 */
state_t expiry_days_state(const struct range *warn, const struct range *crit, double days);

#endif /* DANE_EXPIRY_H */
