/*
 * test_mtasts.c -- MTA-STS (RFC 8461) from bytes: the TXT record, the
 * policy (the RFC's examples, LF and CRLF, unknown keys, repeated fields,
 * bad mode and max_age, the bounds, hostile bytes), mx pattern matching
 * (a wildcard matches one label, case) and the media type check.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mtasts.h"
#include "mtasts_lookup.h"
#include "words_mtasts.h"

/* ---------------------------------------------------------------- TXT */

static enum mtasts_txt_status
txt(const char *s, struct mtasts_txt *t)
{
	return mtasts_txt_parse((const uint8_t *)s, strlen(s), t);
}

START_TEST(domain_names_are_made_canonical_and_the_root_is_refused)
{
	char out[MX_NAME_MAX], small[8];

	ck_assert_int_eq(mtasts_domain_name("Example.ORG", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "example.org.");
	ck_assert_int_eq(mtasts_domain_name("mail.example.org.", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "mail.example.org.");
	ck_assert_int_eq(mtasts_domain_name(".", out, sizeof(out)), -1);
	ck_assert_int_eq(mtasts_domain_name(NULL, out, sizeof(out)), -1);
	ck_assert_int_eq(mtasts_domain_name("a..b", out, sizeof(out)), -1);
	ck_assert_int_eq(mtasts_domain_name("example.org", small, sizeof(small)), -1);
}
END_TEST

START_TEST(txt_rfc_example_parses)
{
	struct mtasts_txt t;

	ck_assert_int_eq(txt("v=STSv1; id=20160831085700Z;", &t), MTASTS_TXT_OK);
	ck_assert_str_eq(t.id, "20160831085700Z");
	ck_assert_uint_eq(t.nfields, 1);
	ck_assert_int_eq(txt("v=STSv1;id=1", &t), MTASTS_TXT_OK);
	ck_assert_str_eq(t.id, "1");
	ck_assert_int_eq(txt("v=STSv1 ; id=abc ; ext=va:lue ;", &t), MTASTS_TXT_OK);
	ck_assert_str_eq(t.id, "abc");
	ck_assert_uint_eq(t.nfields, 2);
}
END_TEST

static const struct {
	const char *rec;
	enum mtasts_txt_status want;
	size_t offset;
} txt_cases[] = {
    {"v=STSv1", MTASTS_TXT_NO_ID, 0},
    {"v=STSv1;", MTASTS_TXT_NO_ID, 0},
    {"v=STSv1; ext=1", MTASTS_TXT_NO_ID, 0},
    {"v=STSv1; id=", MTASTS_TXT_SYNTAX, 9},
    {"v=STSv1; id=a-b", MTASTS_TXT_BAD_ID, 13},
    {"v=STSv1; id=123456789012345678901234567890123", MTASTS_TXT_BAD_ID, 12},
    {"v=STSv1; id=1; id=2", MTASTS_TXT_TWO_IDS, 15},
    {"v=STSv1; id=1;; x=2", MTASTS_TXT_SYNTAX, 14},
    {"v=STSv1; id", MTASTS_TXT_SYNTAX, 9},
    {"v=STSv1; id=1 2", MTASTS_TXT_SYNTAX, 13},
    {"v=STSv1 id=1", MTASTS_TXT_SYNTAX, 8},
    {"v=STSv1; _x=1; id=1", MTASTS_TXT_SYNTAX, 9},
    {"v=STSv1; Id=1", MTASTS_TXT_NO_ID, 0},
    {"v=STSv10; id=1", MTASTS_TXT_NOT_STS, 0},
    {"v=spf1 -all", MTASTS_TXT_NOT_STS, 0},
    {"V=STSv1; id=1", MTASTS_TXT_NOT_STS, 0},
    {"", MTASTS_TXT_NOT_STS, 0},
};

START_TEST(txt_cases_end_as_expected)
{
	struct mtasts_txt t;
	char words[WORDS_MTASTS_MAX];

	ck_assert_msg(txt(txt_cases[_i].rec, &t) == txt_cases[_i].want, "'%s': status %d, want %d",
		      txt_cases[_i].rec, t.status, txt_cases[_i].want);
	ck_assert_msg(t.offset == txt_cases[_i].offset, "'%s': offset %zu, want %zu",
		      txt_cases[_i].rec, t.offset, txt_cases[_i].offset);
	words_mtasts_txt(&t, words, sizeof(words));
	ck_assert(t.status == MTASTS_TXT_OK || words[0] != '\0');
}
END_TEST

START_TEST(txt_hostile_bytes_and_length)
{
	struct mtasts_txt t;
	uint8_t rec[MTASTS_TXT_MAX + 2];
	const uint8_t nul[] = "v=STSv1; id=1\0x";
	char words[WORDS_MTASTS_MAX];

	ck_assert_int_eq(mtasts_txt_parse(nul, sizeof(nul) - 1, &t), MTASTS_TXT_BAD_BYTE);
	ck_assert_uint_eq(t.offset, 13);
	ck_assert_uint_eq(t.byte, 0);
	ck_assert_int_eq(txt("v=STSv1; id=1\x1b[2J", &t), MTASTS_TXT_BAD_BYTE);
	ck_assert_int_eq(txt("v=STSv1; id=\xc3\xa9", &t), MTASTS_TXT_BAD_BYTE);
	memset(rec, 'a', sizeof(rec));
	memcpy(rec, "v=STSv1; id=1; x=", 17);
	ck_assert_int_eq(mtasts_txt_parse(rec, MTASTS_TXT_MAX, &t), MTASTS_TXT_OK);
	ck_assert_int_eq(mtasts_txt_parse(rec, MTASTS_TXT_MAX + 1, &t), MTASTS_TXT_TOO_LONG);
	ck_assert_int_eq(mtasts_txt_parse(rec, 65535, &t), MTASTS_TXT_TOO_LONG);
	ck_assert_uint_eq(t.length, 65535);
	words_mtasts_txt(&t, words, sizeof(words));
	ck_assert_str_eq(words, "the record is 65535 bytes long (at most 1024)");
	/* the field at fault is quoted escaped */
	txt("v=STSv1; id=1; a|b", &t);
	words_mtasts_txt(&t, words, sizeof(words));
	ck_assert_str_eq(words, "'a\\x7cb' at offset 15 is no name=value field");
}
END_TEST

START_TEST(txt_is_sts_needs_the_exact_version)
{
	ck_assert(mtasts_txt_is_sts((const uint8_t *)"v=STSv1;", 8));
	ck_assert(mtasts_txt_is_sts((const uint8_t *)"v=STSv1", 7));
	ck_assert(mtasts_txt_is_sts((const uint8_t *)"v=STSv1 ;", 9));
	ck_assert(!mtasts_txt_is_sts((const uint8_t *)"v=STSv12", 8));
	ck_assert(!mtasts_txt_is_sts((const uint8_t *)"v=STS", 5));
	ck_assert(!mtasts_txt_is_sts(NULL, 0));
}
END_TEST

/* ---------------------------------------------------------------- policy */

static struct mtasts_policy *pol;

static void
setup(void)
{
	pol = malloc(sizeof(*pol));
	ck_assert_ptr_nonnull(pol);
}

static void
teardown(void)
{
	free(pol);
}

static enum mtasts_policy_status
policy(const char *s)
{
	return mtasts_policy_parse((const uint8_t *)s, strlen(s), pol);
}

START_TEST(policy_rfc_example_with_crlf)
{
	ck_assert_int_eq(policy("version: STSv1\r\n"
				"mode: enforce\r\n"
				"mx: mail.example.com\r\n"
				"mx: *.example.net\r\n"
				"mx: backupmx.example.com\r\n"
				"max_age: 604800\r\n"),
			 MTASTS_POLICY_OK);
	ck_assert_int_eq(pol->mode, MTASTS_MODE_ENFORCE);
	ck_assert_uint_eq(pol->max_age, 604800);
	ck_assert_uint_eq(pol->nmx, 3);
	ck_assert_str_eq(pol->mx[0], "mail.example.com");
	ck_assert_str_eq(pol->mx[1], "*.example.net");
	ck_assert(pol->crlf);
	ck_assert(!pol->lf);
	ck_assert_uint_eq(pol->nlines, 6);
}
END_TEST

START_TEST(policy_lf_blanks_and_no_final_newline)
{
	ck_assert_int_eq(policy("version:STSv1\n\nmode:   testing  \n"
				"mx:\tMX.Example.ORG\nmax_age: 86400"),
			 MTASTS_POLICY_OK);
	ck_assert_int_eq(pol->mode, MTASTS_MODE_TESTING);
	ck_assert_str_eq(pol->mx[0], "mx.example.org");
	ck_assert(pol->lf);
	ck_assert(!pol->crlf);
	/* mode none needs no mx */
	ck_assert_int_eq(policy("version: STSv1\nmode: none\nmax_age: 0\n"), MTASTS_POLICY_OK);
	ck_assert_int_eq(pol->mode, MTASTS_MODE_NONE);
	ck_assert_uint_eq(pol->max_age, 0);
}
END_TEST

START_TEST(policy_unknown_keys_are_ignored_and_counted)
{
	ck_assert_int_eq(policy("version: STSv1\nmode: enforce\nfoo.bar-1_x: anything at all\n"
				"mx: a.example\nreport: x\nmax_age: 31557600\n"),
			 MTASTS_POLICY_OK);
	ck_assert_uint_eq(pol->unknown, 2);
	ck_assert_str_eq(pol->first_unknown, "foo.bar-1_x");
	ck_assert_uint_eq(pol->max_age, 31557600);
	/* keys are case-sensitive: "Mode" is an unknown key, and mode is missing */
	ck_assert_int_eq(policy("version: STSv1\nMode: enforce\nmx: a.example\nmax_age: 1\n"),
			 MTASTS_POLICY_NO_MODE);
}
END_TEST

START_TEST(policy_repeated_fields_keep_the_first)
{
	ck_assert_int_eq(policy("version: STSv1\nmode: testing\nmx: a.example\nmax_age: 86400\n"
				"mode: enforce\nmax_age: 86400\n"),
			 MTASTS_POLICY_OK);
	ck_assert_int_eq(pol->mode, MTASTS_MODE_TESTING);
	ck_assert_uint_eq(pol->duplicates, 2);
	ck_assert_str_eq(pol->first_duplicate, "mode");
	ck_assert_uint_eq(pol->duplicate_line, 5);
	ck_assert(pol->duplicate_differs);
	ck_assert_int_eq(policy("version: STSv1\nmode: none\nmax_age: 5\nmax_age: 5\n"),
			 MTASTS_POLICY_OK);
	ck_assert_uint_eq(pol->duplicates, 1);
	ck_assert(!pol->duplicate_differs);
}
END_TEST

static const struct {
	const char *body;
	enum mtasts_policy_status want;
	size_t line;
	const char *words;
} policy_cases[] = {
    {"", MTASTS_POLICY_EMPTY, 0, "the policy is empty"},
    {"\n\r\n  \n", MTASTS_POLICY_EMPTY, 0, "the policy is empty"},
    {"mode: enforce\nmx: a.example\nmax_age: 1\n", MTASTS_POLICY_NO_VERSION, 0, "no version field"},
    {"version: STSv2\nmode: enforce\n", MTASTS_POLICY_BAD_VERSION, 1,
     "line 1: version 'STSv2' is not STSv1"},
    {"version: STSv1\nmode: Enforce\n", MTASTS_POLICY_BAD_MODE, 2,
     "line 2: mode 'Enforce' is not enforce, testing or none"},
    {"version: STSv1\nmode: \n", MTASTS_POLICY_BAD_MODE, 2,
     "line 2: mode '' is not enforce, testing or none"},
    {"version: STSv1\nmode: enforce\nmx: a.example\n", MTASTS_POLICY_NO_MAX_AGE, 0,
     "no max_age field"},
    {"version: STSv1\nmode: enforce\nmax_age: 31557601\n", MTASTS_POLICY_BAD_MAX_AGE, 3,
     "line 3: max_age '31557601' is not a number of seconds up to 31557600"},
    {"version: STSv1\nmode: enforce\nmax_age: -1\n", MTASTS_POLICY_BAD_MAX_AGE, 3, NULL},
    {"version: STSv1\nmode: enforce\nmax_age: 12345678901\n", MTASTS_POLICY_BAD_MAX_AGE, 3, NULL},
    {"version: STSv1\nmode: enforce\nmax_age: 1 day\n", MTASTS_POLICY_BAD_MAX_AGE, 3, NULL},
    {"version: STSv1\nmode: enforce\nmax_age: 86400\n", MTASTS_POLICY_NO_MX, 0,
     "mode enforce without any mx field"},
    {"version: STSv1\nmode: testing\nmx: mx.example.\nmax_age: 1\n", MTASTS_POLICY_BAD_MX, 3,
     "line 3: mx 'mx.example.' is no host name pattern"},
    {"version: STSv1\nmx: *.*.example\n", MTASTS_POLICY_BAD_MX, 2, NULL},
    {"version: STSv1\nmx: a*.example\n", MTASTS_POLICY_BAD_MX, 2, NULL},
    {"version: STSv1\nmx: -a.example\n", MTASTS_POLICY_BAD_MX, 2, NULL},
    {"version: STSv1\nmx: a..example\n", MTASTS_POLICY_BAD_MX, 2, NULL},
    {"version: STSv1\nmx: *.\n", MTASTS_POLICY_BAD_MX, 2, NULL},
    {"version: STSv1\nmx: a_b.example\n", MTASTS_POLICY_BAD_MX, 2, NULL},
    {"version: STSv1\nmode enforce\n", MTASTS_POLICY_BAD_LINE, 2,
     "line 2 ('mode enforce') is no 'key: value' field"},
    {"version: STSv1\nmode : enforce\n", MTASTS_POLICY_BAD_LINE, 2, NULL},
    {"version: STSv1\n<html>: x\n", MTASTS_POLICY_BAD_LINE, 2, NULL},
    {"version: STSv1\nmode: enforce\x1b[31m\n", MTASTS_POLICY_BAD_BYTE, 2,
     "line 2 holds the byte 0x1b (NUL and control bytes are not allowed)"},
    {"version: STSv1\rmode: enforce\n", MTASTS_POLICY_BAD_BYTE, 1, NULL},
};

START_TEST(policy_cases_end_as_expected)
{
	char words[WORDS_MTASTS_MAX];

	ck_assert_msg(policy(policy_cases[_i].body) == policy_cases[_i].want,
		      "case %d: status %d, want %d", _i, pol->status, policy_cases[_i].want);
	ck_assert_msg(pol->line == policy_cases[_i].line, "case %d: line %zu, want %zu", _i,
		      pol->line, policy_cases[_i].line);
	words_mtasts_policy(pol, words, sizeof(words));
	if (policy_cases[_i].words != NULL)
		ck_assert_str_eq(words, policy_cases[_i].words);
	else
		ck_assert(words[0] != '\0');
}
END_TEST

START_TEST(policy_nul_byte_is_reported)
{
	const uint8_t body[] = "version: STSv1\nmode: enf\0rce\n";

	ck_assert_int_eq(mtasts_policy_parse(body, sizeof(body) - 1, pol), MTASTS_POLICY_BAD_BYTE);
	ck_assert_uint_eq(pol->line, 2);
	ck_assert_uint_eq(pol->byte, 0);
}
END_TEST

/* A body of n lines "mx: hN.example" after the required fields. */
static char *
many_mx(size_t n, size_t *len)
{
	char *b = malloc(n * 24 + 128);
	size_t o, i;

	ck_assert_ptr_nonnull(b);
	o = (size_t)sprintf(b, "version: STSv1\nmode: enforce\nmax_age: 86400\n");
	for (i = 0; i < n; i++)
		o += (size_t)sprintf(b + o, "mx: h%zu.example\n", i);
	*len = o;
	return b;
}

START_TEST(policy_bounds)
{
	size_t len;
	char *b = many_mx(MTASTS_MX_MAX, &len), words[WORDS_MTASTS_MAX];
	uint8_t *big;

	ck_assert_int_eq(mtasts_policy_parse((uint8_t *)b, len, pol), MTASTS_POLICY_OK);
	ck_assert_uint_eq(pol->nmx, MTASTS_MX_MAX);
	free(b);
	b = many_mx(MTASTS_MX_MAX + 1, &len);
	ck_assert_int_eq(mtasts_policy_parse((uint8_t *)b, len, pol), MTASTS_POLICY_TOO_MANY_MX);
	ck_assert_uint_eq(pol->line, 3 + MTASTS_MX_MAX + 1);
	free(b);
	/* the hostile case of the issue: 10,000 mx lines */
	b = many_mx(10000, &len);
	ck_assert_int_eq(mtasts_policy_parse(
			     (uint8_t *)b, len > MTASTS_POLICY_MAX ? MTASTS_POLICY_MAX : len, pol),
			 MTASTS_POLICY_TOO_MANY_MX);
	free(b);
	/* lines: too many blank lines, one too long line, too large */
	big = calloc(1, MTASTS_POLICY_MAX + 1);
	ck_assert_ptr_nonnull(big);
	memset(big, '\n', MTASTS_POLICY_MAX + 1);
	ck_assert_int_eq(mtasts_policy_parse(big, MTASTS_POLICY_LINES_MAX, pol),
			 MTASTS_POLICY_EMPTY);
	ck_assert_int_eq(mtasts_policy_parse(big, MTASTS_POLICY_LINES_MAX + 1, pol),
			 MTASTS_POLICY_TOO_MANY_LINES);
	ck_assert_int_eq(mtasts_policy_parse(big, MTASTS_POLICY_MAX + 1, pol),
			 MTASTS_POLICY_TOO_LARGE);
	words_mtasts_policy(pol, words, sizeof(words));
	ck_assert_str_eq(words, "the policy is 65537 bytes long (at most 65536)");
	memset(big, 'x', MTASTS_POLICY_LINE_MAX + 1);
	ck_assert_int_eq(mtasts_policy_parse(big, MTASTS_POLICY_LINE_MAX + 1, pol),
			 MTASTS_POLICY_LINE_TOO_LONG);
	ck_assert_int_eq(mtasts_policy_parse(big, MTASTS_POLICY_LINE_MAX, pol),
			 MTASTS_POLICY_BAD_LINE);
	free(big);
}
END_TEST

/* ---------------------------------------------------------------- mx patterns */

static const struct {
	const char *pattern, *host;
	bool match;
} match_cases[] = {
    {"mail.example.com", "mail.example.com", true},
    {"mail.example.com", "mail.example.com.", true},
    {"mail.example.com", "MAIL.Example.COM.", true},
    {"MAIL.example.com", "mail.example.com", true},
    {"mail.example.com", "mail.example.co", false},
    {"mail.example.com", "xmail.example.com", false},
    {"*.example.net", "mx1.example.net", true},
    {"*.example.net", "MX1.EXAMPLE.NET.", true},
    {"*.example.net", "example.net", false},
    {"*.example.net", "a.b.example.net", false},
    {"*.example.net", ".example.net", false},
    {"*.example.net", "mx1.example.net.evil", false},
    {"*.example.net", "mx1example.net", false},
    {"*.net", "example.net", true},
    {"*.", "a.", false},
    {"", "a.example", false},
    {"a.example", "", false},
};

START_TEST(mx_patterns_match_one_label_and_ignore_case)
{
	ck_assert_msg(mtasts_mx_match(match_cases[_i].pattern, match_cases[_i].host) ==
			  match_cases[_i].match,
		      "'%s' against '%s'", match_cases[_i].pattern, match_cases[_i].host);
}
END_TEST

START_TEST(policy_match_returns_the_first_pattern)
{
	ck_assert_int_eq(policy("version: STSv1\nmode: enforce\nmax_age: 1\nmx: a.example\n"
				"mx: *.example\nmx: b.example\n"),
			 MTASTS_POLICY_OK);
	ck_assert_int_eq(mtasts_policy_match(pol, "b.example."), 1);
	ck_assert_int_eq(mtasts_policy_match(pol, "a.example."), 0);
	ck_assert_int_eq(mtasts_policy_match(pol, "c.d.example."), -1);
}
END_TEST

/* ---------------------------------------------------------------- media type */

START_TEST(text_plain_with_parameters_and_case)
{
	ck_assert(mtasts_is_text_plain("text/plain", 10));
	ck_assert(mtasts_is_text_plain("Text/Plain; charset=utf-8", 25));
	ck_assert(mtasts_is_text_plain(" text/plain ;charset=us-ascii", 29));
	ck_assert(!mtasts_is_text_plain("text/html", 9));
	ck_assert(!mtasts_is_text_plain("text/plainx", 11));
	ck_assert(!mtasts_is_text_plain("text/pla\0n", 10));
	ck_assert(!mtasts_is_text_plain("", 0));
	ck_assert(!mtasts_is_text_plain(NULL, 0));
}
END_TEST

static Suite *
mtasts_suite(void)
{
	Suite *s = suite_create("mtasts");
	TCase *t = tcase_create("txt"), *p = tcase_create("policy"), *m = tcase_create("match");

	tcase_add_test(t, domain_names_are_made_canonical_and_the_root_is_refused);
	tcase_add_test(t, txt_rfc_example_parses);
	tcase_add_loop_test(t, txt_cases_end_as_expected, 0,
			    (int)(sizeof(txt_cases) / sizeof(txt_cases[0])));
	tcase_add_test(t, txt_hostile_bytes_and_length);
	tcase_add_test(t, txt_is_sts_needs_the_exact_version);
	suite_add_tcase(s, t);
	tcase_add_checked_fixture(p, setup, teardown);
	tcase_add_test(p, policy_rfc_example_with_crlf);
	tcase_add_test(p, policy_lf_blanks_and_no_final_newline);
	tcase_add_test(p, policy_unknown_keys_are_ignored_and_counted);
	tcase_add_test(p, policy_repeated_fields_keep_the_first);
	tcase_add_loop_test(p, policy_cases_end_as_expected, 0,
			    (int)(sizeof(policy_cases) / sizeof(policy_cases[0])));
	tcase_add_test(p, policy_nul_byte_is_reported);
	tcase_add_test(p, policy_bounds);
	suite_add_tcase(s, p);
	tcase_add_checked_fixture(m, setup, teardown);
	tcase_add_loop_test(m, mx_patterns_match_one_label_and_ignore_case, 0,
			    (int)(sizeof(match_cases) / sizeof(match_cases[0])));
	tcase_add_test(m, policy_match_returns_the_first_pattern);
	tcase_add_test(m, text_plain_with_parameters_and_case);
	suite_add_tcase(s, m);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(mtasts_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
