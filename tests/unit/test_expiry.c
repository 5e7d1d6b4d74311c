/*
 * test_expiry.c -- certificate expiry against days and lifetimes (issue 14):
 * the default thresholds on fixed lifetimes (6, 45, 90, 365 days), explicit
 * days and percentages, the renewal date, hours under two days, bad input.
 */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "expiry.h"

#define DAY   86400
#define NOW   ((time_t)1796000000) /* a fixed "now" */
#define HOURS (1.0 / 24)

/* A certificate of lifetime_days with left_days left at NOW, judged by p. */
static state_t
judge(const struct expiry_policy *p, double lifetime_days, double left_days,
      struct expiry_verdict *v)
{
	time_t not_after = NOW + (time_t)llround(left_days * DAY);
	time_t not_before = not_after - (time_t)llround(lifetime_days * DAY);

	return expiry_judge(p, not_before, not_after, NOW, v);
}

static struct expiry_limit
days(double v)
{
	return (struct expiry_limit){.set = true, .percent = false, .value = v};
}

static struct expiry_limit
pct(double v)
{
	return (struct expiry_limit){.set = true, .percent = true, .value = v};
}

/* The default rule and explicit thresholds on fixed lifetimes. */
/* in the table: {set, percent, value} */
static const struct {
	const char *what;
	struct expiry_limit warn, crit;
	double lifetime, left;
	state_t want;
} judge_cases[] = {
    /* defaults: WARNING below min(21 d, 30 %), CRITICAL below min(7 d, 10 %) */
    {"1-year cert, 22 days left: OK", {0}, {0}, 365, 22, STATE_OK},
    {"1-year cert, 20 days left: WARNING (21 days as before)", {0}, {0}, 365, 20, STATE_WARNING},
    {"1-year cert, 6 days left: CRITICAL (7 days as before)", {0}, {0}, 365, 6, STATE_CRITICAL},
    {"90-day cert, 22 days left: OK", {0}, {0}, 90, 22, STATE_OK},
    {"90-day cert, 20 days left: WARNING", {0}, {0}, 90, 20, STATE_WARNING},
    {"90-day cert, 6.9 days left: CRITICAL", {0}, {0}, 90, 6.9, STATE_CRITICAL},
    {"45-day cert, 14 days left: OK (warns at 13.5)", {0}, {0}, 45, 14, STATE_OK},
    {"45-day cert, 10 days left: WARNING (renewal at 15 missed)", {0}, {0}, 45, 10, STATE_WARNING},
    {"45-day cert, 4.4 days left: CRITICAL (4.5 = 10 %)", {0}, {0}, 45, 4.4, STATE_CRITICAL},
    {"6-day cert, 4 days left: OK (renewal not due)", {0}, {0}, 6, 4, STATE_OK},
    {"6-day cert, 44 hours left: OK (warns at 43.2 hours)", {0}, {0}, 6, 44 * HOURS, STATE_OK},
    {"6-day cert, 42 hours left: WARNING", {0}, {0}, 6, 42 * HOURS, STATE_WARNING},
    {"6-day cert, 15 hours left: WARNING (critical at 14.4 hours)",
     {0},
     {0},
     6,
     15 * HOURS,
     STATE_WARNING},
    {"6-day cert, 12 hours left: CRITICAL", {0}, {0}, 6, 12 * HOURS, STATE_CRITICAL},
    {"expired cert: CRITICAL", {0}, {0}, 90, -1, STATE_CRITICAL},
    /* explicit days stay absolute, whatever the lifetime */
    {"-w 21 -c 7 on a 6-day cert with 4 days left: CRITICAL",
     {true, false, 21},
     {true, false, 7},
     6,
     4,
     STATE_CRITICAL},
    {"-w 3 -c 0.5 on a 6-day cert with 4 days left: OK",
     {true, false, 3},
     {true, false, 0.5},
     6,
     4,
     STATE_OK},
    {"-w 3 -c 0.5 on a 6-day cert with 11 hours left: CRITICAL",
     {true, false, 3},
     {true, false, 0.5},
     6,
     11 * HOURS,
     STATE_CRITICAL},
    {"-w 30 on a 1-year cert with 25 days left: WARNING",
     {true, false, 30},
     {0},
     365,
     25,
     STATE_WARNING},
    /* percentages of the lifetime */
    {"-w 33% on a 45-day cert with 15 days left: OK (14.85)",
     {true, true, 33},
     {0},
     45,
     15,
     STATE_OK},
    {"-w 33% on a 45-day cert with 14 days left: WARNING",
     {true, true, 33},
     {0},
     45,
     14,
     STATE_WARNING},
    {"-w 33% -c 20% on a 45-day cert with 8 days left: CRITICAL (9)",
     {true, true, 33},
     {true, true, 20},
     45,
     8,
     STATE_CRITICAL},
    {"-w 10% on a 45-day cert with 10 days left (22 %): OK",
     {true, true, 10},
     {0},
     45,
     10,
     STATE_OK},
    {"-w 50% on a 6-day cert with 2 days left: WARNING",
     {true, true, 50},
     {0},
     6,
     2,
     STATE_WARNING},
    /* mixed: -w in percent, -c in days */
    {"-w 30% -c 1 on a 90-day cert with 2 days left: WARNING",
     {true, true, 30},
     {true, false, 1},
     90,
     2,
     STATE_WARNING},
};

START_TEST(thresholds_fit_the_lifetime)
{
	struct expiry_policy p = {.warn = judge_cases[_i].warn, .crit = judge_cases[_i].crit};
	struct expiry_verdict v;
	state_t got = judge(&p, judge_cases[_i].lifetime, judge_cases[_i].left, &v);

	ck_assert_msg(got == judge_cases[_i].want, "%s: got %s (warn %.3f d, crit %.3f d)",
		      judge_cases[_i].what, state_name(got), v.warn_days, v.crit_days);
	ck_assert_int_eq(v.state, got);
}
END_TEST

START_TEST(default_thresholds_in_days_for_each_lifetime)
{
	static const struct {
		double lifetime, warn, crit;
	} t[] = {{365, 21, 7}, {90, 21, 7}, {45, 13.5, 4.5}, {6, 1.8, 0.6}};
	struct expiry_policy p = {0};
	struct expiry_verdict v;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		judge(&p, t[i].lifetime, 1, &v);
		ck_assert_double_eq_tol(v.warn_days, t[i].warn, 1e-6);
		ck_assert_double_eq_tol(v.crit_days, t[i].crit, 1e-6);
		ck_assert_double_eq_tol(v.lifetime_days, t[i].lifetime, 1e-6);
	}
}
END_TEST

START_TEST(renewal_is_expected_after_two_thirds_of_the_lifetime)
{
	struct expiry_policy p = {0};
	struct expiry_verdict v;

	/* 90 days, 40 left: issued 50 days ago, renewal at day 60, in 10 days */
	judge(&p, 90, 40, &v);
	ck_assert_int_eq((long)(v.renewal - NOW), 10 * DAY);
	ck_assert(!v.renewal_overdue);
	/* 90 days, 20 left: renewal was due 10 days ago */
	judge(&p, 90, 20, &v);
	ck_assert_int_eq((long)(NOW - v.renewal), 10 * DAY);
	ck_assert(v.renewal_overdue);
}
END_TEST

START_TEST(renew_before_sets_the_renewal_date)
{
	struct expiry_policy p = {.has_renew_before = true, .renew_before_days = 30};
	struct expiry_verdict v;

	judge(&p, 90, 40, &v);
	ck_assert_int_eq((long)(v.renewal - NOW), 10 * DAY);
	judge(&p, 90, 29, &v);
	ck_assert(v.renewal_overdue);
}
END_TEST

/* expiry_format_left: days as a whole number, hours under two days */
static const struct {
	double days;
	const char *want;
} left_cases[] = {
    {364.4, "364 days"}, {2, "2 days"},          {2.6, "3 days"}, {1.99, "48 hours"},
    {0.5, "12 hours"},   {1.0 / 24, "1 hour"},   {0, "0 hours"},  {-0.25, "-6 hours"},
    {-3, "-3 days"},     {-1.0 / 24, "-1 hour"},
};

START_TEST(remaining_time_is_in_hours_under_two_days)
{
	char buf[32];

	expiry_format_left(left_cases[_i].days, buf, sizeof(buf));
	ck_assert_str_eq(buf, left_cases[_i].want);
}
END_TEST

START_TEST(dates_are_utc_with_the_time_when_asked)
{
	char buf[32];

	/* 1796000000 = 2026-11-30 00:53:20 UTC */
	ck_assert_str_eq(expiry_format_date(NOW, false, buf, sizeof(buf)), "2026-11-30");
	ck_assert_str_eq(expiry_format_date(NOW, true, buf, sizeof(buf)), "2026-11-30 00:53 UTC");
	ck_assert_str_eq(expiry_format_date(0, false, buf, sizeof(buf)), "1970-01-01");
	ck_assert_str_eq(expiry_format_date(1795344000, false, buf, sizeof(buf)), "2026-11-22");
}
END_TEST

/* expiry_parse_limit: text -> ok, and for errors a word of the message */
static const struct {
	const char *text;
	int rc;
	bool percent;
	double value;
	const char *err;
} parse_cases[] = {
    {"21", 0, false, 21, NULL},
    {"0.5", 0, false, 0.5, NULL},
    {"33%", 0, true, 33, NULL},
    {"100%", 0, true, 100, NULL},
    {"12.5%", 0, true, 12.5, NULL},
    {"150%", -1, false, 0, "at most 100 %"},
    {"0%", -1, false, 0, "more than 0 %"},
    {"-3", -1, false, 0, "more than 0"},
    {"0", -1, false, 0, "more than 0"},
    {"10%:", -1, false, 0, "not a range"},
    {"21:", -1, false, 0, "not a range"},
    {"@1:2", -1, false, 0, "not a range"},
    {"", -1, false, 0, "empty"},
    {"abc", -1, false, 0, "not a number of days"},
    {"3d", -1, false, 0, "not a number of days"},
    {"%", -1, false, 0, "not a percentage"},
    {"5000", -1, false, 0, "at most 3650"},
};

START_TEST(limits_parse_strictly)
{
	struct expiry_limit l = {0};
	char err[160] = "";
	int rc = expiry_parse_limit(parse_cases[_i].text, &l, err, sizeof(err));

	ck_assert_msg(rc == parse_cases[_i].rc, "'%s': rc %d (%s)", parse_cases[_i].text, rc, err);
	if (rc == 0) {
		ck_assert(l.set);
		ck_assert_int_eq(l.percent, parse_cases[_i].percent);
		ck_assert_double_eq_tol(l.value, parse_cases[_i].value, 1e-9);
	} else {
		ck_assert_msg(strstr(err, parse_cases[_i].err) != NULL, "'%s': %s",
			      parse_cases[_i].text, err);
	}
}
END_TEST

START_TEST(a_warning_below_the_critical_threshold_is_refused)
{
	struct expiry_policy p = {.warn = days(5), .crit = days(7)};
	char err[200];

	ck_assert_int_eq(expiry_policy_check(&p, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "below the critical one"));
	p = (struct expiry_policy){.warn = pct(10), .crit = pct(20)};
	ck_assert_int_eq(expiry_policy_check(&p, err, sizeof(err)), -1);
	/* equal, ordered, or in different units: accepted */
	p = (struct expiry_policy){.warn = days(7), .crit = days(7)};
	ck_assert_int_eq(expiry_policy_check(&p, err, sizeof(err)), 0);
	p = (struct expiry_policy){.warn = pct(10), .crit = days(7)};
	ck_assert_int_eq(expiry_policy_check(&p, err, sizeof(err)), 0);
	p = (struct expiry_policy){0};
	ck_assert_int_eq(expiry_policy_check(&p, err, sizeof(err)), 0);
}
END_TEST

START_TEST(options_set_the_policy_and_name_themselves_in_errors)
{
	struct expiry_policy p = {0};
	char err[200] = "";

	ck_assert_int_eq(expiry_policy_set(&p, EXPIRY_OPT_WARNING, "33%", err, sizeof(err)), 0);
	ck_assert(p.warn.set && p.warn.percent && p.warn.value == 33);
	ck_assert_int_eq(expiry_policy_set(&p, EXPIRY_OPT_CRITICAL, "2.5", err, sizeof(err)), 0);
	ck_assert(p.crit.set && !p.crit.percent && p.crit.value == 2.5);
	ck_assert_int_eq(expiry_policy_set(&p, EXPIRY_OPT_RENEW_BEFORE, "15", err, sizeof(err)), 0);
	ck_assert(p.has_renew_before && p.renew_before_days == 15);
	ck_assert_int_eq(expiry_policy_set(&p, EXPIRY_OPT_WARNING, "150%", err, sizeof(err)), -1);
	ck_assert_msg(strncmp(err, "invalid -w: ", 12) == 0, "%s", err);
	ck_assert_int_eq(expiry_policy_set(&p, EXPIRY_OPT_CRITICAL, "-3", err, sizeof(err)), -1);
	ck_assert_msg(strncmp(err, "invalid -c: ", 12) == 0, "%s", err);
	ck_assert_int_eq(expiry_policy_set(&p, EXPIRY_OPT_RENEW_BEFORE, "x", err, sizeof(err)), -1);
	ck_assert_msg(strncmp(err, "invalid --renew-before: ", 24) == 0, "%s", err);
}
END_TEST

START_TEST(days_left_below_a_threshold_alert)
{
	struct range w, c;
	char err[200] = "";

	ck_assert_int_eq(expiry_parse_below("7", &w, err, sizeof(err)), 0);
	ck_assert_int_eq(expiry_parse_below("2", &c, err, sizeof(err)), 0);
	ck_assert_int_eq(expiry_parse_below("seven", &c, err, sizeof(err)), -1);
	ck_assert_int_eq(expiry_days_state(&w, &c, 30), STATE_OK);
	ck_assert_int_eq(expiry_days_state(&w, &c, 7), STATE_OK);
	ck_assert_int_eq(expiry_days_state(&w, &c, 6.9), STATE_WARNING);
	ck_assert_int_eq(expiry_days_state(&w, &c, 1.5), STATE_CRITICAL);
	ck_assert_int_eq(expiry_days_state(&w, &c, -1), STATE_CRITICAL);
}
END_TEST

static Suite *
expiry_suite(void)
{
	Suite *s = suite_create("expiry");
	TCase *tc = tcase_create("expiry");

	tcase_add_loop_test(tc, thresholds_fit_the_lifetime, 0,
			    sizeof(judge_cases) / sizeof(judge_cases[0]));
	tcase_add_test(tc, default_thresholds_in_days_for_each_lifetime);
	tcase_add_test(tc, renewal_is_expected_after_two_thirds_of_the_lifetime);
	tcase_add_test(tc, renew_before_sets_the_renewal_date);
	tcase_add_loop_test(tc, remaining_time_is_in_hours_under_two_days, 0,
			    sizeof(left_cases) / sizeof(left_cases[0]));
	tcase_add_test(tc, dates_are_utc_with_the_time_when_asked);
	tcase_add_loop_test(tc, limits_parse_strictly, 0,
			    sizeof(parse_cases) / sizeof(parse_cases[0]));
	tcase_add_test(tc, a_warning_below_the_critical_threshold_is_refused);
	tcase_add_test(tc, options_set_the_policy_and_name_themselves_in_errors);
	tcase_add_test(tc, days_left_below_a_threshold_alert);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(expiry_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
