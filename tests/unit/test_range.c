/*
 * test_range.c -- threshold ranges, as the Monitoring Plugins guidelines
 * define them.
 */
#include "config.h"

#include <check.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "range.h"

static struct range
parse_ok(const char *text)
{
	struct range r;
	char err[256] = "";

	ck_assert_msg(range_parse(text, &r, err, sizeof(err)) == 0, "'%s' rejected: %s", text, err);
	return r;
}

static void
assert_rejected(const char *text)
{
	struct range r;
	char err[256] = "";

	ck_assert_msg(range_parse(text, &r, err, sizeof(err)) != 0, "'%s' accepted", text);
	ck_assert_msg(strstr(err, "threshold range") != NULL, "message for '%s': %s", text, err);
}

START_TEST(plain_number_alerts_outside_zero_to_n)
{
	struct range r = parse_ok("10");

	ck_assert(range_alerts(&r, -0.1));
	ck_assert(!range_alerts(&r, 0));
	ck_assert(!range_alerts(&r, 10));
	ck_assert(range_alerts(&r, 10.001));
}
END_TEST

START_TEST(open_end_alerts_below_start)
{
	struct range r = parse_ok("10:");

	ck_assert(range_alerts(&r, 9.99));
	ck_assert(!range_alerts(&r, 10));
	ck_assert(!range_alerts(&r, 1e9));
}
END_TEST

START_TEST(tilde_start_alerts_above_end)
{
	struct range r = parse_ok("~:10");

	ck_assert(!range_alerts(&r, -1e9));
	ck_assert(!range_alerts(&r, 10));
	ck_assert(range_alerts(&r, 10.5));
}
END_TEST

START_TEST(start_end_alerts_outside)
{
	struct range r = parse_ok("10:20");

	ck_assert(range_alerts(&r, 9));
	ck_assert(!range_alerts(&r, 10));
	ck_assert(!range_alerts(&r, 20));
	ck_assert(range_alerts(&r, 21));
}
END_TEST

START_TEST(at_sign_alerts_inside_inclusive)
{
	struct range r = parse_ok("@10:20");

	ck_assert(!range_alerts(&r, 9.9));
	ck_assert(range_alerts(&r, 10));
	ck_assert(range_alerts(&r, 15));
	ck_assert(range_alerts(&r, 20));
	ck_assert(!range_alerts(&r, 20.1));
}
END_TEST

START_TEST(state_is_critical_before_warning_and_ok_without_ranges)
{
	struct range w = parse_ok("2"), c = parse_ok("5");

	ck_assert_int_eq(range_state(&w, &c, 1), STATE_OK);
	ck_assert_int_eq(range_state(&w, &c, 3), STATE_WARNING);
	ck_assert_int_eq(range_state(&w, &c, 6), STATE_CRITICAL);
	ck_assert_int_eq(range_state(NULL, &c, 3), STATE_OK);
	ck_assert_int_eq(range_state(&w, NULL, 6), STATE_WARNING);
	ck_assert_int_eq(range_state(NULL, NULL, 1e9), STATE_OK);
}
END_TEST

START_TEST(decimals_and_negatives_are_accepted)
{
	struct range r = parse_ok("-0.5:1.25");

	ck_assert(range_alerts(&r, -0.6));
	ck_assert(!range_alerts(&r, 0.3));
	ck_assert(range_alerts(&r, 1.26));
	r = parse_ok("0.5");
	ck_assert(range_alerts(&r, 0.51));
}
END_TEST

START_TEST(garbage_is_rejected_with_a_message)
{
	assert_rejected("");
	assert_rejected("abc");
	assert_rejected("10x");
	assert_rejected("1 0");
	assert_rejected(":10");
	assert_rejected("20:10");
	assert_rejected("@");
	assert_rejected("@:");
	assert_rejected("~");
	assert_rejected("10:20:30");
	assert_rejected("0x10");
	assert_rejected("inf");
	assert_rejected("nan");
	assert_rejected("1e999");
	assert_rejected("~:~");
	assert_rejected(".");
	assert_rejected("9e99");
	assert_rejected("1e15");
	assert_rejected("@-1e16:0");
}
END_TEST

START_TEST(format_round_trips_the_syntax)
{
	const char *cases[] = {"10", "10:", "~:10", "10:20", "@10:20", "0.5", "@~:3", "-1:2.25"};
	char buf[64];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct range r = parse_ok(cases[i]);

		range_format(&r, buf, sizeof(buf));
		ck_assert_str_eq(buf, cases[i]);
	}
}
END_TEST

START_TEST(numbers_use_a_dot_and_no_exponent)
{
	char buf[64];

	range_format_number(buf, sizeof(buf), 0.052);
	ck_assert_str_eq(buf, "0.052");
	range_format_number(buf, sizeof(buf), 3);
	ck_assert_str_eq(buf, "3");
	range_format_number(buf, sizeof(buf), 0.0000001);
	ck_assert_str_eq(buf, "0");
	range_format_number(buf, sizeof(buf), 1234567.5);
	ck_assert_str_eq(buf, "1234567.5");
	range_format_number(buf, sizeof(buf), -2.5);
	ck_assert_str_eq(buf, "-2.5");
	range_format_number(buf, sizeof(buf), NAN);
	ck_assert_str_eq(buf, "U");
}
END_TEST

START_TEST(numbers_ignore_a_comma_locale)
{
	char buf[64];
	struct range r;
	char err[128];

	if (setlocale(LC_NUMERIC, "de_DE.UTF-8") == NULL)
		ck_abort_msg("locale de_DE.UTF-8 is not installed (locale-gen de_DE.UTF-8)");
	range_format_number(buf, sizeof(buf), 0.25);
	ck_assert_str_eq(buf, "0.25");
	ck_assert_int_eq(range_parse("0.5:1.5", &r, err, sizeof(err)), 0);
	ck_assert(!range_alerts(&r, 1.0));
	ck_assert(range_alerts(&r, 1.6));
	setlocale(LC_NUMERIC, "C");
}
END_TEST

START_TEST(sub_millisecond_thresholds_compare)
{
	struct range r;
	char err[128], buf[32];

	/* a cached answer takes 0.3 ms: -w 0.0005 must not fire, -w 0.0002 must */
	ck_assert_int_eq(range_parse("0.0005", &r, err, sizeof(err)), 0);
	ck_assert(!range_alerts(&r, 0.0003));
	ck_assert(range_alerts(&r, 0.0006));
	ck_assert_int_eq(range_parse("0.0002", &r, err, sizeof(err)), 0);
	ck_assert(range_alerts(&r, 0.0003));
	range_format_number(buf, sizeof(buf), 0.000312);
	ck_assert_str_eq(buf, "0.000312");
}
END_TEST

static Suite *
range_suite(void)
{
	Suite *s = suite_create("range");
	TCase *tc = tcase_create("range");

	tcase_add_test(tc, plain_number_alerts_outside_zero_to_n);
	tcase_add_test(tc, sub_millisecond_thresholds_compare);
	tcase_add_test(tc, open_end_alerts_below_start);
	tcase_add_test(tc, tilde_start_alerts_above_end);
	tcase_add_test(tc, start_end_alerts_outside);
	tcase_add_test(tc, at_sign_alerts_inside_inclusive);
	tcase_add_test(tc, state_is_critical_before_warning_and_ok_without_ranges);
	tcase_add_test(tc, decimals_and_negatives_are_accepted);
	tcase_add_test(tc, garbage_is_rejected_with_a_message);
	tcase_add_test(tc, format_round_trips_the_syntax);
	tcase_add_test(tc, numbers_use_a_dot_and_no_exponent);
	tcase_add_test(tc, numbers_ignore_a_comma_locale);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(range_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
