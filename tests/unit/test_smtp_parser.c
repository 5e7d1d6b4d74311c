/*
 * test_smtp_parser.c -- the SMTP reply parser: limits, hostile bytes, chunked
 * input, and what an EHLO reply offers.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deadline.h"
#include "smtp_parser.h"
#include "words_conn.h"

/* --- parser helpers ---------------------------------------------------- */

/*
 * Feed all of text (length len) at once; the reply goes to *r, the words of
 * a failure to why, its facts to *err (if not NULL).
 */
static enum smtp_parse
parse_all_facts(const char *text, size_t len, size_t *consumed, struct smtp_reply *r, char *why,
		size_t whysize, struct smtp_parse_error *err)
{
	struct smtp_parser p;
	enum smtp_parse st;

	smtp_parser_init(&p);
	memset(r, 0, sizeof(*r));
	st = smtp_parser_feed(&p, text, len, consumed, r);
	words_smtp_parse(smtp_parser_error(&p), why, whysize);
	if (err != NULL)
		*err = *smtp_parser_error(&p);
	smtp_parser_clear(&p);
	return st;
}

static enum smtp_parse
parse_all(const char *text, size_t len, size_t *consumed, struct smtp_reply *r, char *why,
	  size_t whysize)
{
	return parse_all_facts(text, len, consumed, r, why, whysize, NULL);
}

static enum smtp_parse
parse_str(const char *text, struct smtp_reply *r)
{
	size_t consumed;
	char why[128];

	return parse_all(text, strlen(text), &consumed, r, why, sizeof(why));
}

/* Parse an EHLO reply and look for a keyword. */
static bool
offers(const char *ehlo_reply, const char *keyword)
{
	struct smtp_reply r;
	bool yes;

	ck_assert_int_eq(parse_str(ehlo_reply, &r), SMTP_PARSE_DONE);
	yes = smtp_reply_has_keyword(&r, keyword);
	smtp_reply_clear(&r);
	return yes;
}

/* --- parser tests ------------------------------------------------------ */

START_TEST(single_line_reply_is_complete)
{
	struct smtp_reply r;
	size_t consumed;
	char why[128];
	const char *in = "250 2.0.0 Ok\r\n";

	ck_assert_int_eq(parse_all(in, strlen(in), &consumed, &r, why, sizeof(why)),
			 SMTP_PARSE_DONE);
	ck_assert_uint_eq(consumed, strlen(in));
	ck_assert_int_eq(r.code, 250);
	ck_assert_uint_eq(r.nlines, 1);
	ck_assert_str_eq(r.text, "2.0.0 Ok");
	ck_assert_uint_eq(r.textlen, 8);
	ck_assert_str_eq(r.first_line, "250 2.0.0 Ok");
	ck_assert_uint_eq(r.first_line_len, 12);
	ck_assert(!r.first_line_cut);
	smtp_reply_clear(&r);
	ck_assert_ptr_null(r.text);
}
END_TEST

START_TEST(multi_line_greeting_is_one_reply)
{
	struct smtp_reply r;

	ck_assert_int_eq(parse_str("220-a\r\n220-b\r\n220 c\r\n", &r), SMTP_PARSE_DONE);
	ck_assert_int_eq(r.code, 220);
	ck_assert_uint_eq(r.nlines, 3);
	ck_assert_str_eq(r.text, "a\nb\nc");
	ck_assert_str_eq(r.first_line, "220-a");
	smtp_reply_clear(&r);
}
END_TEST

START_TEST(code_alone_is_a_last_line_with_empty_text)
{
	struct smtp_reply r;

	ck_assert_int_eq(parse_str("250\r\n", &r), SMTP_PARSE_DONE);
	ck_assert_int_eq(r.code, 250);
	ck_assert_ptr_nonnull(r.text);
	ck_assert_str_eq(r.text, "");
	ck_assert_uint_eq(r.textlen, 0);
	smtp_reply_clear(&r);
}
END_TEST

START_TEST(bare_lf_ends_lines)
{
	struct smtp_reply r;

	ck_assert_int_eq(parse_str("250-one\n250 two\n", &r), SMTP_PARSE_DONE);
	ck_assert_uint_eq(r.nlines, 2);
	ck_assert_str_eq(r.text, "one\ntwo");
	smtp_reply_clear(&r);
}
END_TEST

START_TEST(cr_inside_a_line_is_data)
{
	struct smtp_reply r;

	ck_assert_int_eq(parse_str("250 a\rb\r\r\n", &r), SMTP_PARSE_DONE);
	ck_assert_uint_eq(r.textlen, 4);
	ck_assert_mem_eq(r.text, "a\rb\r", 4);
	smtp_reply_clear(&r);
}
END_TEST

START_TEST(reply_fed_byte_by_byte_is_the_same)
{
	const char *in = "220-mx.example.test ESMTP\r\n220-second\n220 third line\r\n";
	struct smtp_parser p;
	struct smtp_reply r;
	size_t i, consumed, n = strlen(in);
	enum smtp_parse st = SMTP_PARSE_MORE;

	smtp_parser_init(&p);
	memset(&r, 0, sizeof(r));
	for (i = 0; i < n; i++) {
		st = smtp_parser_feed(&p, in + i, 1, &consumed, &r);
		ck_assert_uint_eq(consumed, 1);
		if (i + 1 < n)
			ck_assert_int_eq(st, SMTP_PARSE_MORE);
	}
	ck_assert_int_eq(st, SMTP_PARSE_DONE);
	ck_assert_int_eq(r.code, 220);
	ck_assert_uint_eq(r.nlines, 3);
	ck_assert_str_eq(r.text, "mx.example.test ESMTP\nsecond\nthird line");
	ck_assert_str_eq(r.first_line, "220-mx.example.test ESMTP");
	smtp_reply_clear(&r);
	smtp_parser_clear(&p);
}
END_TEST

START_TEST(bytes_after_a_reply_are_not_consumed)
{
	const char *in = "250 ok\r\n221 bye\r\n";
	struct smtp_parser p;
	struct smtp_reply r;
	size_t consumed;

	smtp_parser_init(&p);
	ck_assert_int_eq(smtp_parser_feed(&p, in, strlen(in), &consumed, &r), SMTP_PARSE_DONE);
	ck_assert_uint_eq(consumed, 8);
	ck_assert_int_eq(r.code, 250);
	smtp_reply_clear(&r);
	/* the parser is ready for the next reply */
	ck_assert_int_eq(smtp_parser_feed(&p, in + 8, strlen(in) - 8, &consumed, &r),
			 SMTP_PARSE_DONE);
	ck_assert_int_eq(r.code, 221);
	ck_assert_str_eq(r.text, "bye");
	smtp_reply_clear(&r);
	smtp_parser_clear(&p);
}
END_TEST

START_TEST(mixed_codes_in_one_reply_are_an_error)
{
	struct smtp_reply r;
	size_t consumed;
	char why[128];
	const char *in = "250-a\r\n251 b\r\n";
	struct smtp_parse_error err;

	ck_assert_int_eq(parse_all_facts(in, strlen(in), &consumed, &r, why, sizeof(why), &err),
			 SMTP_PARSE_ERROR);
	ck_assert_str_eq(why, "reply code changes from 250 to 251 within one reply");
	ck_assert_int_eq(err.fault, SMTP_FAULT_CODE_CHANGED);
	ck_assert_int_eq(err.code, 250);
	ck_assert_int_eq(err.line_code, 251);
}
END_TEST

START_TEST(invalid_codes_are_errors)
{
	const char *bad[] = {"abc\r\n",        "2500 x\r\n", "25\r\n", "25x ok\r\n",
			     "600 x\r\n",      "199 x\r\n",  "\r\n",   " 250 x\r\n",
			     "250_x\r\n",      "250\rx\r\n", "2\r\n",  "250-a\r\nabc\r\n",
			     "250-a\r\n25\r\n"};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct smtp_parse_error err;
		struct smtp_reply r;
		size_t consumed;
		char why[128];

		ck_assert_msg(parse_all_facts(bad[i], strlen(bad[i]), &consumed, &r, why,
					      sizeof(why), &err) == SMTP_PARSE_ERROR,
			      "accepted '%s'", bad[i]);
		ck_assert_int_eq(err.fault, SMTP_FAULT_CODE);
		ck_assert_str_eq(why, "invalid reply code");
		ck_assert_uint_lt(consumed, strlen(bad[i]));
	}
}
END_TEST

START_TEST(megabyte_line_fails_at_the_line_limit)
{
	size_t len = 1024 * 1024, consumed;
	char *in = malloc(len), why[128];
	struct smtp_parser p;
	struct smtp_reply r;

	ck_assert_ptr_nonnull(in);
	memcpy(in, "220 ", 4);
	memset(in + 4, 'a', len - 4);
	smtp_parser_init(&p);
	ck_assert_int_eq(smtp_parser_feed(&p, in, len, &consumed, &r), SMTP_PARSE_ERROR);
	ck_assert_int_eq(smtp_parser_error(&p)->fault, SMTP_FAULT_LINE_TOO_LONG);
	words_smtp_parse(smtp_parser_error(&p), why, sizeof(why));
	ck_assert_str_eq(why, "reply line too long (over 2048 bytes)");
	/* it stopped at the limit and kept no more than that */
	ck_assert_uint_eq(consumed, SMTP_LINE_MAX);
	ck_assert_uint_le(p.textsize, 2 * SMTP_LINE_MAX);
	smtp_parser_clear(&p);
	free(in);
}
END_TEST

START_TEST(line_at_the_limit_is_accepted)
{
	size_t len = SMTP_LINE_MAX + 2, consumed;
	char *in = malloc(len), why[128];
	struct smtp_reply r;

	ck_assert_ptr_nonnull(in);
	memcpy(in, "250 ", 4);
	memset(in + 4, 'b', SMTP_LINE_MAX - 4);
	memcpy(in + SMTP_LINE_MAX, "\r\n", 2);
	ck_assert_int_eq(parse_all(in, len, &consumed, &r, why, sizeof(why)), SMTP_PARSE_DONE);
	ck_assert_uint_eq(r.textlen, SMTP_LINE_MAX - 4);
	ck_assert(r.first_line_cut);
	ck_assert_uint_eq(r.first_line_len, SMTP_FIRST_LINE_MAX - 1);
	smtp_reply_clear(&r);
	free(in);
}
END_TEST

START_TEST(hundred_thousand_lines_fail_at_the_line_count)
{
	size_t n = 100000, len = n * 6, i, consumed;
	char *in = malloc(len), why[128];
	struct smtp_parse_error err;
	struct smtp_reply r;
	struct deadline clock;

	ck_assert_ptr_nonnull(in);
	for (i = 0; i < n; i++)
		memcpy(in + i * 6, "250-\r\n", 6);
	deadline_start(&clock, 10);
	ck_assert_int_eq(parse_all_facts(in, len, &consumed, &r, why, sizeof(why), &err),
			 SMTP_PARSE_ERROR);
	ck_assert(deadline_elapsed(&clock) < 0.1);
	ck_assert_int_eq(err.fault, SMTP_FAULT_TOO_MANY_LINES);
	ck_assert_str_eq(why, "too many lines in one reply (over 1000)");
	ck_assert_uint_le(consumed, SMTP_REPLY_LINES_MAX * 6);
	free(in);
}
END_TEST

START_TEST(reply_with_the_most_lines_is_accepted)
{
	size_t n = SMTP_REPLY_LINES_MAX, len = n * 6, i, consumed;
	char *in = malloc(len), why[128];
	struct smtp_reply r;

	ck_assert_ptr_nonnull(in);
	for (i = 0; i < n; i++)
		memcpy(in + i * 6, i + 1 < n ? "250-\r\n" : "250 \r\n", 6);
	ck_assert_int_eq(parse_all(in, len, &consumed, &r, why, sizeof(why)), SMTP_PARSE_DONE);
	ck_assert_uint_eq(r.nlines, SMTP_REPLY_LINES_MAX);
	ck_assert_uint_eq(r.textlen, SMTP_REPLY_LINES_MAX - 1); /* the '\n' between lines */
	smtp_reply_clear(&r);
	free(in);
}
END_TEST

START_TEST(reply_over_the_byte_limit_is_an_error)
{
	/* 40 lines of 2000 bytes: each line is fine, the whole is not */
	size_t linelen = 2000, n = 40, len = n * linelen, i, consumed;
	char *in = malloc(len), why[128];
	struct smtp_parse_error err;
	struct smtp_reply r;

	ck_assert_ptr_nonnull(in);
	for (i = 0; i < n; i++) {
		char *line = in + i * linelen;

		memcpy(line, "250-", 4);
		memset(line + 4, 'c', linelen - 6);
		memcpy(line + linelen - 2, "\r\n", 2);
	}
	ck_assert_int_eq(parse_all_facts(in, len, &consumed, &r, why, sizeof(why), &err),
			 SMTP_PARSE_ERROR);
	ck_assert_int_eq(err.fault, SMTP_FAULT_REPLY_TOO_LONG);
	ck_assert_str_eq(why, "reply too long (over 65536 bytes)");
	ck_assert_uint_eq(consumed, SMTP_REPLY_BYTES_MAX);
	free(in);
}
END_TEST

START_TEST(nul_pipe_and_escape_bytes_are_kept_as_data)
{
	static const char in[] = "554-a\0b|c\x1b[31m\r\n554 \0\r\n";
	static const char want[] = "a\0b|c\x1b[31m\n\0";
	struct smtp_reply r;
	size_t consumed;
	char why[128];

	ck_assert_int_eq(parse_all(in, sizeof(in) - 1, &consumed, &r, why, sizeof(why)),
			 SMTP_PARSE_DONE);
	ck_assert_uint_eq(consumed, sizeof(in) - 1);
	ck_assert_int_eq(r.code, 554);
	ck_assert_uint_eq(r.nlines, 2);
	ck_assert_uint_eq(r.textlen, sizeof(want) - 1);
	ck_assert_mem_eq(r.text, want, sizeof(want) - 1);
	ck_assert_uint_eq(r.first_line_len, 14);
	ck_assert_mem_eq(r.first_line, "554-a\0b|c\x1b[31m", 14);
	smtp_reply_clear(&r);
}
END_TEST

START_TEST(failed_parser_stays_failed)
{
	struct smtp_parser p;
	struct smtp_reply r;
	size_t consumed;

	smtp_parser_init(&p);
	ck_assert_int_eq(smtp_parser_feed(&p, "xyz\r\n", 5, &consumed, &r), SMTP_PARSE_ERROR);
	ck_assert_uint_eq(consumed, 0);
	ck_assert_int_eq(smtp_parser_feed(&p, "250 ok\r\n", 8, &consumed, &r), SMTP_PARSE_ERROR);
	ck_assert_uint_eq(consumed, 0);
	ck_assert_int_eq(smtp_parser_error(&p)->fault, SMTP_FAULT_CODE);
	smtp_parser_clear(&p);
}
END_TEST

/* Property: any bytes, in any chunks, give the same answer as all at once. */
START_TEST(random_input_in_random_chunks_parses_the_same_as_whole)
{
	static const char alphabet[] = "2250- \r\n\r\nx\0"
				       "9";
	unsigned int seed = 12345;
	int round;

	for (round = 0; round < 3000; round++) {
		char in[200], why[128];
		size_t len = (size_t)(rand_r(&seed) % sizeof(in)), i, whole_used, used, total = 0;
		struct smtp_reply whole, part;
		enum smtp_parse want, st = SMTP_PARSE_MORE;
		struct smtp_parse_error whole_err;
		struct smtp_parser p;

		for (i = 0; i < len; i++)
			in[i] = alphabet[rand_r(&seed) % (sizeof(alphabet) - 1)];
		if (len > 4 && rand_r(&seed) % 2)
			memcpy(in, "250", 3); /* give well-formed replies a chance */
		want = parse_all_facts(in, len, &whole_used, &whole, why, sizeof(why), &whole_err);
		smtp_parser_init(&p);
		memset(&part, 0, sizeof(part));
		while (total < len) {
			size_t chunk = 1 + (size_t)(rand_r(&seed) % 7);

			if (chunk > len - total)
				chunk = len - total;
			st = smtp_parser_feed(&p, in + total, chunk, &used, &part);
			ck_assert_uint_le(used, chunk);
			total += used;
			if (st != SMTP_PARSE_MORE)
				break;
		}
		ck_assert_int_eq(st, want);
		if (want != SMTP_PARSE_MORE)
			ck_assert_uint_eq(total, whole_used);
		if (want == SMTP_PARSE_ERROR) {
			ck_assert_int_eq(smtp_parser_error(&p)->fault, whole_err.fault);
			ck_assert_int_eq(smtp_parser_error(&p)->code, whole_err.code);
			ck_assert_int_eq(smtp_parser_error(&p)->line_code, whole_err.line_code);
		}
		if (want == SMTP_PARSE_DONE) {
			ck_assert_int_ge(whole.code, 200);
			ck_assert_int_le(whole.code, 599);
			ck_assert_int_eq(part.code, whole.code);
			ck_assert_uint_eq(part.nlines, whole.nlines);
			ck_assert_uint_eq(part.textlen, whole.textlen);
			ck_assert_mem_eq(part.text, whole.text, whole.textlen);
			ck_assert_int_eq(whole.text[whole.textlen], '\0');
		}
		smtp_reply_clear(&whole);
		smtp_reply_clear(&part);
		smtp_parser_clear(&p);
	}
}
END_TEST

START_TEST(starttls_keyword_line_is_found)
{
	ck_assert(
	    offers("250-mx.example.test\r\n250-PIPELINING\r\n250-STARTTLS\r\n250 SIZE 1000\r\n",
		   "STARTTLS"));
	ck_assert(offers("250-mx.example.test\r\n250 STARTTLS\r\n", "STARTTLS"));
}
END_TEST

START_TEST(missing_starttls_is_not_offered)
{
	ck_assert(!offers("250-mx.example.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n", "STARTTLS"));
}
END_TEST

START_TEST(starttls_inside_another_word_is_not_offered)
{
	ck_assert(
	    !offers("250-mx.example.test\r\n250-XSTARTTLSX\r\n250 STARTTLSX\r\n", "STARTTLS"));
	ck_assert(
	    !offers("250-mx.example.test\r\n250-AUTH STARTTLS\r\n250 XSTARTTLS\r\n", "STARTTLS"));
}
END_TEST

START_TEST(lower_case_starttls_is_offered)
{
	ck_assert(offers("250-mx.example.test\r\n250-starttls\r\n250 size\r\n", "STARTTLS"));
	ck_assert(offers("250-mx.example.test\r\n250 StartTLS\r\n", "starttls"));
}
END_TEST

START_TEST(first_ehlo_line_is_the_server_name_not_a_keyword)
{
	ck_assert(!offers("250 STARTTLS\r\n", "STARTTLS"));
	ck_assert(!offers("250-STARTTLS greets you\r\n250 SIZE\r\n", "STARTTLS"));
}
END_TEST

START_TEST(keyword_with_a_nul_byte_is_not_matched)
{
	static const char in[] = "250-mx\r\n250-START\0TLS\r\n250 STARTTLS\0\r\n";
	struct smtp_reply r;
	size_t consumed;
	char why[128];

	ck_assert_int_eq(parse_all(in, sizeof(in) - 1, &consumed, &r, why, sizeof(why)),
			 SMTP_PARSE_DONE);
	ck_assert(!smtp_reply_has_keyword(&r, "STARTTLS"));
	ck_assert(!smtp_reply_has_keyword(&r, "START"));
	smtp_reply_clear(&r);
}
END_TEST

/* --- EHLO keyword lists -------------------------------------------------- */

/* The keyword list of an EHLO reply, into buf. */
static const char *
keywords(const char *ehlo_reply, char *buf, size_t size)
{
	struct smtp_reply r;

	ck_assert_int_eq(parse_str(ehlo_reply, &r), SMTP_PARSE_DONE);
	smtp_reply_keywords(&r, buf, size);
	smtp_reply_clear(&r);
	return buf;
}

START_TEST(keywords_are_listed_in_upper_case)
{
	char buf[256];

	ck_assert_str_eq(keywords("250-mx.example.test\r\n250-pipelining\r\n250-SIZE 10240000\r\n"
				  "250 StartTLS\r\n",
				  buf, sizeof(buf)),
			 "PIPELINING SIZE STARTTLS");
}
END_TEST

START_TEST(server_name_and_implausible_words_are_not_keywords)
{
	char buf[256];

	ck_assert_str_eq(keywords("250-STARTTLS.example\r\n250-AUTH=LOGIN\r\n250-X_Y\r\n"
				  "250-\x1b[31m\r\n250-ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456\r\n"
				  "250 8BITMIME\r\n",
				  buf, sizeof(buf)),
			 "AUTH 8BITMIME");
}
END_TEST

START_TEST(keywords_that_do_not_fit_are_left_out)
{
	char buf[16];

	ck_assert_str_eq(
	    keywords("250-mx\r\n250-PIPELINING\r\n250-SIZE\r\n250 STARTTLS\r\n", buf, sizeof(buf)),
	    "PIPELINING SIZE");
}
END_TEST

START_TEST(one_line_reply_has_no_keywords)
{
	char buf[16];

	ck_assert_str_eq(keywords("250 mx.example.test\r\n", buf, sizeof(buf)), "");
}
END_TEST

static Suite *
smtp_parser_suite(void)
{
	Suite *s = suite_create("smtp_parser");
	TCase *parser = tcase_create("parser");
	TCase *kw = tcase_create("keywords");

	tcase_add_test(parser, single_line_reply_is_complete);
	tcase_add_test(parser, multi_line_greeting_is_one_reply);
	tcase_add_test(parser, code_alone_is_a_last_line_with_empty_text);
	tcase_add_test(parser, bare_lf_ends_lines);
	tcase_add_test(parser, cr_inside_a_line_is_data);
	tcase_add_test(parser, reply_fed_byte_by_byte_is_the_same);
	tcase_add_test(parser, bytes_after_a_reply_are_not_consumed);
	tcase_add_test(parser, mixed_codes_in_one_reply_are_an_error);
	tcase_add_test(parser, invalid_codes_are_errors);
	tcase_add_test(parser, megabyte_line_fails_at_the_line_limit);
	tcase_add_test(parser, line_at_the_limit_is_accepted);
	tcase_add_test(parser, hundred_thousand_lines_fail_at_the_line_count);
	tcase_add_test(parser, reply_with_the_most_lines_is_accepted);
	tcase_add_test(parser, reply_over_the_byte_limit_is_an_error);
	tcase_add_test(parser, nul_pipe_and_escape_bytes_are_kept_as_data);
	tcase_add_test(parser, failed_parser_stays_failed);
	tcase_add_test(parser, random_input_in_random_chunks_parses_the_same_as_whole);
	tcase_add_test(parser, starttls_keyword_line_is_found);
	tcase_add_test(parser, missing_starttls_is_not_offered);
	tcase_add_test(parser, starttls_inside_another_word_is_not_offered);
	tcase_add_test(parser, lower_case_starttls_is_offered);
	tcase_add_test(parser, first_ehlo_line_is_the_server_name_not_a_keyword);
	tcase_add_test(parser, keyword_with_a_nul_byte_is_not_matched);
	suite_add_tcase(s, parser);

	tcase_add_test(kw, keywords_are_listed_in_upper_case);
	tcase_add_test(kw, server_name_and_implausible_words_are_not_keywords);
	tcase_add_test(kw, keywords_that_do_not_fit_are_left_out);
	tcase_add_test(kw, one_line_reply_has_no_keywords);
	suite_add_tcase(s, kw);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(smtp_parser_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
