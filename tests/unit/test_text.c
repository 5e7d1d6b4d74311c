/*
 * test_text.c -- the text helpers: sanitizer (both modes), hex, strict numbers.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

START_TEST(sanitize_escapes_controls_pipe_backslash_and_high_bytes)
{
	char dst[128];
	const char src[] = "a|b\\c\x01\x7f\xc3\xa9";

	text_sanitize(dst, sizeof(dst), src, sizeof(src) - 1, 100, TEXT_ESCAPE);
	ck_assert_str_eq(dst, "a\\x7cb\\x5cc\\x01\\x7f\\xc3\\xa9");
}
END_TEST

START_TEST(sanitize_keeps_nul_bytes_visible)
{
	char dst[64];
	const char src[] = {'a', '\0', 'b'};

	text_sanitize(dst, sizeof(dst), src, sizeof(src), 100, TEXT_ESCAPE);
	ck_assert_str_eq(dst, "a\\x00b");
}
END_TEST

START_TEST(sanitize_cuts_long_input_and_marks_it)
{
	char dst[64];
	char src[1000];

	memset(src, 'x', sizeof(src));
	text_sanitize(dst, sizeof(dst), src, sizeof(src), 10, TEXT_ESCAPE);
	ck_assert_str_eq(dst, "xxxxxxxxxx...");
	text_sanitize(dst, 16, src, sizeof(src), 1000, TEXT_ESCAPE);
	ck_assert_uint_eq(strlen(dst), 15);
	ck_assert_str_eq(dst + 12, "...");
}
END_TEST

START_TEST(sanitize_never_splits_an_escape)
{
	char dst[10];
	char src[20];

	memset(src, '\n', sizeof(src));
	text_sanitize(dst, sizeof(dst), src, sizeof(src), 100, TEXT_ESCAPE);
	/* room for one escape (4) and "..." (3) and NUL */
	ck_assert_str_eq(dst, "\\x0a...");
}
END_TEST

START_TEST(hex_is_lower_case_and_cut_at_whole_bytes)
{
	static const uint8_t data[] = {0xde, 0xad, 0xBE, 0x0f};
	char out[16];

	ck_assert_uint_eq(text_hex(data, 4, out, sizeof(out)), 8);
	ck_assert_str_eq(out, "deadbe0f");
	ck_assert_uint_eq(text_hex(data, 4, out, 9), 8);
	ck_assert_str_eq(out, "deadbe0f");
	ck_assert_uint_eq(text_hex(data, 4, out, 8), 6);
	ck_assert_str_eq(out, "deadbe");
	ck_assert_uint_eq(text_hex(data, 0, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "");
	ck_assert_uint_eq(text_hex(data, 4, out, 0), 0);
}
END_TEST

START_TEST(mask_replaces_controls_pipe_and_high_bytes_by_a_question_mark)
{
	char dst[64];
	const char src[] = "250 a|b\\c\r\n\x1b[2J\xc3\xa9";

	text_sanitize(dst, sizeof(dst), src, sizeof(src) - 1, 100, TEXT_MASK);
	ck_assert_str_eq(dst, "250 a?b\\c???[2J??");
}
END_TEST

START_TEST(mask_cuts_after_maxlen_and_marks_it)
{
	char dst[64];

	text_sanitize(dst, sizeof(dst), "abcdefghij", 10, 4, TEXT_MASK);
	ck_assert_str_eq(dst, "abcd...");
}
END_TEST

/* text_parse_uint: one table, input -> expected result */
static const struct {
	const char *text;
	unsigned long min, max;
	int rc;
	unsigned long value;
} uint_cases[] = {
    {"1", 1, 65535, 0, 1},
    {"65535", 1, 65535, 0, 65535},
    {"065535", 1, 65535, 0, 65535},
    {"65536", 1, 65535, -1, 0},
    {"0", 1, 65535, -1, 0},
    {"0", 0, 10, 0, 0},
    {"", 0, 10, -1, 0},
    {"-1", 0, 10, -1, 0},
    {"+1", 0, 10, -1, 0},
    {" 1", 0, 10, -1, 0},
    {"1 ", 0, 10, -1, 0},
    {"0x10", 0, 100, -1, 0},
    {"1e3", 0, 10000, -1, 0},
    {"3600", 1, 3600, 0, 3600},
    {"3601", 1, 3600, -1, 0},
    {"18446744073709551615", 0, (unsigned long)-1, 0, (unsigned long)-1},
    {"18446744073709551616", 0, (unsigned long)-1, -1, 0},
    {"99999999999999999999999", 0, 65535, -1, 0},
};

START_TEST(parse_uint_is_strict)
{
	unsigned long v = 12345;
	int rc = text_parse_uint(uint_cases[_i].text, uint_cases[_i].min, uint_cases[_i].max, &v);

	ck_assert_msg(rc == uint_cases[_i].rc, "'%s': rc %d", uint_cases[_i].text, rc);
	if (rc == 0)
		ck_assert_uint_eq(v, uint_cases[_i].value);
	else
		ck_assert_uint_eq(v, 12345); /* untouched on failure */
}
END_TEST

START_TEST(parse_uint_refuses_null)
{
	unsigned long v;

	ck_assert_int_eq(text_parse_uint(NULL, 0, 10, &v), -1);
}
END_TEST

/* durations: sub-millisecond answers in ms, the rest in seconds */
static const struct {
	double seconds;
	const char *want;
} durations[] = {
    {0.0003, "0.3 ms"},  {0.00004, "40 us"}, {0.00095, "0.9 ms"}, {0.001, "0.001 s"},
    {0.0456, "0.046 s"}, {2.5, "2.500 s"},   {0, "0 us"},         {0.0001, "0.1 ms"},
};

START_TEST(durations_under_a_millisecond_are_in_ms_or_us)
{
	char buf[32];

	ck_assert_str_eq(text_duration(durations[_i].seconds, buf, sizeof(buf)),
			 durations[_i].want);
}
END_TEST

static Suite *
text_suite(void)
{
	Suite *s = suite_create("text");
	TCase *tc = tcase_create("text");

	tcase_add_test(tc, sanitize_escapes_controls_pipe_backslash_and_high_bytes);
	tcase_add_test(tc, sanitize_keeps_nul_bytes_visible);
	tcase_add_test(tc, sanitize_cuts_long_input_and_marks_it);
	tcase_add_test(tc, sanitize_never_splits_an_escape);
	tcase_add_test(tc, mask_replaces_controls_pipe_and_high_bytes_by_a_question_mark);
	tcase_add_test(tc, mask_cuts_after_maxlen_and_marks_it);
	tcase_add_test(tc, hex_is_lower_case_and_cut_at_whole_bytes);
	tcase_add_loop_test(tc, parse_uint_is_strict, 0,
			    sizeof(uint_cases) / sizeof(uint_cases[0]));
	tcase_add_test(tc, parse_uint_refuses_null);
	tcase_add_loop_test(tc, durations_under_a_millisecond_are_in_ms_or_us, 0,
			    sizeof(durations) / sizeof(durations[0]));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(text_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
