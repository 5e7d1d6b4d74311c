/*
 * test_output.c -- the status line, detail lines, perfdata and sanitizer:
 * the contract with Icinga/Nagios.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "text.h"

/* Render and free; the caller frees the text. */
static char *
render(struct output *out)
{
	char *text = output_render(out);

	ck_assert_ptr_nonnull(text);
	return text;
}

static size_t
count_lines(const char *text)
{
	size_t n = 0;

	for (; *text; text++)
		if (*text == '\n')
			n++;
	return n;
}

START_TEST(status_line_has_service_state_and_summary)
{
	struct output *out = output_new("TLSA");
	char *text;

	output_add(out, NULL, STATE_OK, "mx1 fine");
	output_summary(out, "all good");
	text = render(out);
	ck_assert_str_eq(text, "TLSA OK - all good\n[OK] mx1 fine\n");
	ck_assert_int_eq(output_state(out), STATE_OK);
	free(text);
	output_free(out);
}
END_TEST

START_TEST(worst_state_wins_and_is_the_default_summary)
{
	struct output *out = output_new("DANE_SMTP");
	char *text;

	output_add(out, NULL, STATE_OK, "a ok");
	output_add(out, NULL, STATE_WARNING, "b warns");
	output_add(out, NULL, STATE_CRITICAL, "c fails");
	output_add(out, NULL, STATE_OK, "d ok");
	ck_assert_int_eq(output_state(out), STATE_CRITICAL);
	text = render(out);
	ck_assert_str_eq(text, "DANE_SMTP CRITICAL - c fails\n"
			       "[CRITICAL] c fails\n[WARNING] b warns\n[OK] a ok\n[OK] d ok\n");
	free(text);
	output_free(out);
}
END_TEST

START_TEST(critical_outranks_unknown_outranks_warning)
{
	ck_assert_int_eq(state_worst(STATE_UNKNOWN, STATE_CRITICAL), STATE_CRITICAL);
	ck_assert_int_eq(state_worst(STATE_WARNING, STATE_UNKNOWN), STATE_UNKNOWN);
	ck_assert_int_eq(state_worst(STATE_OK, STATE_WARNING), STATE_WARNING);
	ck_assert_int_eq(state_worst(STATE_OK, STATE_OK), STATE_OK);
}
END_TEST

START_TEST(child_state_propagates_to_parent_even_when_hidden)
{
	struct output *out = output_new("TLSA");
	struct output_check *host = output_add(out, NULL, STATE_OK, "host");
	struct output_check *rec = output_add(out, host, STATE_WARNING, "record unusable");
	char *text;

	output_check_set_level(rec, 1);
	ck_assert_int_eq(output_check_state(host), STATE_WARNING);
	ck_assert_int_eq(output_state(out), STATE_WARNING);
	text = render(out);
	ck_assert_str_eq(text, "TLSA WARNING - host\n[WARNING] host\n");
	free(text);
	output_set_verbosity(out, 1);
	text = render(out);
	ck_assert_str_eq(text,
			 "TLSA WARNING - host\n[WARNING] host\n    [WARNING] record unusable\n");
	free(text);
	output_free(out);
}
END_TEST

START_TEST(worst_path_names_the_top_line_and_the_deepest_cause)
{
	struct output *out = output_new("X");
	struct output_check *a = output_add(out, NULL, STATE_OK, "host a");
	struct output_check *b = output_add(out, NULL, STATE_OK, "host b");
	struct output_check *b1 = output_add(out, b, STATE_OK, "b fine");
	const char *top, *leaf;

	output_add(out, a, STATE_WARNING, "a warns");
	output_add(out, b1, STATE_CRITICAL, "b deep failure");
	output_worst_path(out, &top, &leaf);
	ck_assert_str_eq(top, "host b");
	ck_assert_str_eq(leaf, "b deep failure");
	output_free(out);
}
END_TEST

START_TEST(nothing_added_is_unknown)
{
	struct output *out = output_new("X");
	char *text;

	ck_assert_int_eq(output_state(out), STATE_UNKNOWN);
	text = render(out);
	ck_assert_str_eq(text, "X UNKNOWN - no result\n");
	free(text);
	output_free(out);
}
END_TEST

START_TEST(unknown_sets_summary)
{
	struct output *out = output_new("X");
	char *text;

	output_unknown(out, FC_PLUGIN_USAGE, "invalid port '%s'", "abc");
	ck_assert_int_eq(output_state(out), STATE_UNKNOWN);
	text = render(out);
	ck_assert_str_eq(text, "X UNKNOWN - invalid port 'abc'\n[UNKNOWN] invalid port 'abc'\n");
	free(text);
	output_free(out);
}
END_TEST

START_TEST(literal_text_is_printed_as_is_and_unknown)
{
	struct output *out = output_new("X");
	char *text;

	output_text(out, "Usage: x | y\n");
	ck_assert_int_eq(output_state(out), STATE_UNKNOWN);
	text = render(out);
	ck_assert_str_eq(text, "Usage: x | y\n");
	free(text);
	output_free(out);
}
END_TEST

START_TEST(perfdata_follows_the_guidelines)
{
	struct output *out = output_new("X");
	struct range w, c;
	char err[64], *text;

	ck_assert_int_eq(range_parse("0.5", &w, err, sizeof(err)), 0);
	ck_assert_int_eq(range_parse("@1:2", &c, err, sizeof(err)), 0);
	output_add(out, NULL, STATE_OK, "ok");
	output_perfdata(out, &(struct perfdata){.label = "time",
						       .value = 0.052,
						       .uom = "s",
						       .warn = &w,
						       .crit = &c,
						       .has_min = true});
	output_perfdata(
	    out, &(struct perfdata){.label = "addresses", .value = 3, .has_min = true});
	output_perfdata(out, &(struct perfdata){.label = "pct",
						       .value = 50,
						       .uom = "%",
						       .has_min = true,
						       .has_max = true,
						       .max = 100});
	output_perfdata(out, &(struct perfdata){
				 .label = "lost", .value = 0, .unknown = true, .uom = "s"});
	text = render(out);
	ck_assert_str_eq(text, "X OK - ok | 'time'=0.052s;0.5;@1:2;0 'addresses'=3;;;0 "
			       "'pct'=50%;;;0;100 'lost'=U\n[OK] ok\n");
	free(text);
	output_free(out);
}
END_TEST

START_TEST(perfdata_labels_are_quoted_and_cleaned)
{
	struct output *out = output_new("X");
	char *text;

	output_add(out, NULL, STATE_OK, "ok");
	output_perfdata(out, &(struct perfdata){.label = "mx1.example.org[2001:db8::1]_time",
						       .value = 1,
						       .uom = "s"});
	output_perfdata(out, &(struct perfdata){.label = "it's=a|label\n", .value = 1});
	text = render(out);
	ck_assert_str_eq(text, "X OK - ok | 'mx1.example.org[2001:db8::1]_time'=1s "
			       "'it''s_a_label_'=1\n[OK] ok\n");
	free(text);
	output_free(out);
}
END_TEST

START_TEST(perfdata_uses_a_dot_in_a_comma_locale)
{
	struct output *out = output_new("X");
	char *text;

	if (setlocale(LC_NUMERIC, "de_DE.UTF-8") == NULL)
		ck_abort_msg("locale de_DE.UTF-8 is not installed (locale-gen de_DE.UTF-8)");
	output_add(out, NULL, STATE_OK, "ok");
	output_perfdata(out, &(struct perfdata){.label = "time", .value = 1.5, .uom = "s"});
	text = render(out);
	ck_assert_str_eq(text, "X OK - ok | 'time'=1.5s\n[OK] ok\n");
	setlocale(LC_NUMERIC, "C");
	free(text);
	output_free(out);
}
END_TEST

START_TEST(unknown_units_are_dropped)
{
	struct output *out = output_new("X");
	char *text;

	output_add(out, NULL, STATE_OK, "ok");
	output_perfdata(out, &(struct perfdata){.label = "n", .value = 2, .uom = "x;1"});
	text = render(out);
	ck_assert_str_eq(text, "X OK - ok | 'n'=2\n[OK] ok\n");
	free(text);
	output_free(out);
}
END_TEST

START_TEST(hostile_text_cannot_forge_lines_or_perfdata)
{
	struct output *out = output_new("DANE_SMTP");
	const char *banner = "220 evil | 'time'=0s\nDANE_SMTP OK - all fine\r\x1b[2J";
	char *text;

	output_add(out, NULL, STATE_CRITICAL, "banner: %s", banner);
	text = render(out);
	ck_assert_uint_eq(count_lines(text), 2);
	ck_assert_ptr_null(strchr(text, '|'));
	ck_assert_ptr_null(strchr(text, '\x1b'));
	ck_assert_ptr_null(strchr(text, '\r'));
	ck_assert_ptr_nonnull(strstr(text, "220 evil \\x7c 'time'=0s\\x0aDANE_SMTP OK"));
	free(text);
	output_free(out);
}
END_TEST

/* The errno text used from probe threads is the C library's, with a fallback. */
START_TEST(overlong_detail_lines_are_cut)
{
	struct output *out = output_new("X");
	char *big = malloc(100000), *text;

	memset(big, 'A', 99999);
	big[99999] = '\0';
	output_add(out, NULL, STATE_OK, "%s", big);
	text = render(out);
	ck_assert_uint_lt(strlen(text), 2 * OUTPUT_LINE_MAX + 100);
	ck_assert_uint_eq(count_lines(text), 2);
	free(text);
	free(big);
	output_free(out);
}
END_TEST

static Suite *
output_suite(void)
{
	Suite *s = suite_create("output");
	TCase *tc = tcase_create("output");

	tcase_add_test(tc, status_line_has_service_state_and_summary);
	tcase_add_test(tc, worst_state_wins_and_is_the_default_summary);
	tcase_add_test(tc, critical_outranks_unknown_outranks_warning);
	tcase_add_test(tc, child_state_propagates_to_parent_even_when_hidden);
	tcase_add_test(tc, worst_path_names_the_top_line_and_the_deepest_cause);
	tcase_add_test(tc, nothing_added_is_unknown);
	tcase_add_test(tc, unknown_sets_summary);
	tcase_add_test(tc, literal_text_is_printed_as_is_and_unknown);
	tcase_add_test(tc, perfdata_follows_the_guidelines);
	tcase_add_test(tc, perfdata_labels_are_quoted_and_cleaned);
	tcase_add_test(tc, perfdata_uses_a_dot_in_a_comma_locale);
	tcase_add_test(tc, unknown_units_are_dropped);
	tcase_add_test(tc, hostile_text_cannot_forge_lines_or_perfdata);
	tcase_add_test(tc, overlong_detail_lines_are_cut);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(output_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
