/*
 * test_dns_answer.c -- what an answer says and the words for it: class and
 * rcode names, the records of a type, the earliest RRSIG expiry, one-line
 * records, the outcome kept without the packet, and the words made from
 * those facts (every kind of failure). No network: the answers are built
 * here.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dns_answer.h"
#include "words_dns.h"

/* The words of an answer's failure (tests run in one thread: one buffer will do). */
static const char *
fail_words(const struct dns_answer *a)
{
	static char buf[WORDS_DNS_ERROR_MAX];

	words_dns_error(&a->fail, buf, sizeof(buf));
	return buf;
}

#define OWNER "www.example.test."

/* Push the records of rrs (presentation format, NULL-ended) into a section. */
static void
push_rrs(ldns_pkt *pkt, ldns_pkt_section section, const char *const *rrs)
{
	for (; rrs != NULL && *rrs != NULL; rrs++) {
		ldns_rr *rr = NULL;

		ck_assert_msg(ldns_rr_new_frm_str(&rr, *rrs, 0, NULL, NULL) == LDNS_STATUS_OK, "%s",
			      *rrs);
		ck_assert(ldns_pkt_push_rr(pkt, section, rr));
	}
}

/* An answer of class cls to "OWNER IN qtype": rcode, AD and the records of
 * the answer and authority sections (NULL-ended lists, or NULL). */
static struct dns_answer
answer_of(enum dns_class cls, bool ad, ldns_pkt_rcode rcode, ldns_rr_type qtype,
	  const char *const *answer, const char *const *authority)
{
	struct dns_answer a = {.cls = cls, .secure = ad, .rcode = rcode, .server = 0};
	ldns_rdf *qname = NULL;

	ck_assert_int_eq(ldns_str2rdf_dname(&qname, OWNER), LDNS_STATUS_OK);
	a.pkt = ldns_pkt_query_new(qname, qtype, LDNS_RR_CLASS_IN, LDNS_RD);
	ck_assert_ptr_nonnull(a.pkt);
	ldns_pkt_set_qr(a.pkt, true);
	ldns_pkt_set_ad(a.pkt, ad);
	ldns_pkt_set_rcode(a.pkt, rcode);
	a.nxdomain = rcode == LDNS_RCODE_NXDOMAIN;
	push_rrs(a.pkt, LDNS_SECTION_ANSWER, answer);
	push_rrs(a.pkt, LDNS_SECTION_AUTHORITY, authority);
	return a;
}

static const struct {
	enum dns_class cls;
	const char *name;
} class_names[] = {
    {DNS_SECURE, "secure"},           {DNS_INSECURE, "insecure"}, {DNS_BOGUS, "bogus"},
    {DNS_NONEXISTENT, "nonexistent"}, {DNS_ERROR, "error"},
};

START_TEST(class_names_are_short_lower_case_words)
{
	ck_assert_str_eq(dns_class_name(class_names[_i].cls), class_names[_i].name);
}
END_TEST

static const struct {
	int rcode;
	const char *name;
} rcode_names[] = {
    {LDNS_RCODE_NOERROR, "NOERROR"},
    {LDNS_RCODE_FORMERR, "FORMERR"},
    {LDNS_RCODE_SERVFAIL, "SERVFAIL"},
    {LDNS_RCODE_NXDOMAIN, "NXDOMAIN"},
    {LDNS_RCODE_NOTIMPL, "NOTIMPL"},
    {LDNS_RCODE_REFUSED, "REFUSED"},
    {15, "RCODE?"},
};

START_TEST(rcode_names_are_the_mnemonics)
{
	ck_assert_str_eq(dns_answer_rcode_name(rcode_names[_i].rcode), rcode_names[_i].name);
}
END_TEST

static const char *const two_a_signed[] = {
    OWNER " 300 IN A 192.0.2.1",
    OWNER " 300 IN A 192.0.2.2",
    OWNER " 300 IN RRSIG A 13 3 300 20300101000000 20200101000000 12345 example.test. "
	  "AAAA",
    NULL,
};
static const char *const one_tlsa[] = {
    OWNER " 300 IN TLSA 3 1 1 "
	  "0000000000000000000000000000000000000000000000000000000000000000",
    NULL,
};

/* How answers are described: class, AD, rcode, type, records -> words. */
static const struct {
	enum dns_class cls;
	bool ad;
	ldns_pkt_rcode rcode;
	ldns_rr_type qtype;
	const char *const *rrs;
	const char *text;
} describe_cases[] = {
    {DNS_SECURE, true, LDNS_RCODE_NOERROR, LDNS_RR_TYPE_A, two_a_signed,
     "NOERROR, 2 A records + RRSIG, AD set (validated, secure)"},
    {DNS_INSECURE, false, LDNS_RCODE_NOERROR, LDNS_RR_TYPE_TLSA, one_tlsa,
     "NOERROR, 1 TLSA record, no AD (not validated)"},
    {DNS_NONEXISTENT, true, LDNS_RCODE_NXDOMAIN, LDNS_RR_TYPE_A, NULL,
     "NXDOMAIN, AD set (validated denial)"},
    {DNS_NONEXISTENT, false, LDNS_RCODE_NOERROR, LDNS_RR_TYPE_TLSA, NULL,
     "NOERROR/NODATA, no AD (not validated)"},
    {DNS_BOGUS, false, LDNS_RCODE_NOERROR, LDNS_RR_TYPE_A, two_a_signed,
     "SERVFAIL; with CD: NOERROR, the data does not validate (bogus)"},
};

START_TEST(answers_are_described_in_words)
{
	struct dns_answer a =
	    answer_of(describe_cases[_i].cls, describe_cases[_i].ad, describe_cases[_i].rcode,
		      describe_cases[_i].qtype, describe_cases[_i].rrs, NULL);
	char text[256];
	size_t n = words_dns_answer(&a, text, sizeof(text));

	ck_assert_str_eq(text, describe_cases[_i].text);
	ck_assert_uint_eq(n, strlen(text));
	dns_answer_clear(&a);
}
END_TEST

START_TEST(bogus_without_a_packet_and_errors_are_described_too)
{
	struct dns_answer bogus = {.cls = DNS_BOGUS}, error = {.cls = DNS_ERROR};
	char text[256];

	words_dns_answer(&bogus, text, sizeof(text));
	ck_assert_str_eq(text, "SERVFAIL; with CD: data, the data does not validate (bogus)");
	error.fail = (struct dns_failure){.kind = DNS_FAIL_TIMEOUT, .seconds = 3};
	snprintf(error.fail.stage, sizeof(error.fail.stage), "asking");
	words_dns_answer(&error, text, sizeof(text));
	ck_assert_str_eq(text, "timed out after 3 s while asking");
}
END_TEST

START_TEST(answer_rrs_are_the_answer_records_of_one_type)
{
	static const char *const cname_a[] = {
	    OWNER " 300 IN CNAME mail.example.test.",
	    "mail.example.test. 300 IN A 192.0.2.1",
	    NULL,
	};
	struct dns_answer a =
	    answer_of(DNS_SECURE, true, LDNS_RCODE_NOERROR, LDNS_RR_TYPE_A, cname_a, one_tlsa);
	struct dns_answer empty = {.cls = DNS_ERROR};
	ldns_rr_list *rrs = dns_answer_rrs(&a, LDNS_RR_TYPE_A);

	ck_assert_ptr_nonnull(rrs);
	ck_assert_uint_eq(ldns_rr_list_rr_count(rrs), 1);
	ldns_rr_list_deep_free(rrs);
	ck_assert_ptr_null(dns_answer_rrs(&a, LDNS_RR_TYPE_TLSA)); /* authority: not answers */
	ck_assert_ptr_null(dns_answer_rrs(&a, LDNS_RR_TYPE_AAAA));
	ck_assert_ptr_null(dns_answer_rrs(&empty, LDNS_RR_TYPE_A));
	dns_answer_clear(&a);
	ck_assert_ptr_null(a.pkt);
	dns_answer_clear(&a); /* twice is harmless */
	dns_answer_clear(NULL);
}
END_TEST

/* An RRSIG record over A expiring at the 32-bit time exp. */
static void
rrsig_expiring(char *dst, size_t size, const char *owner, uint32_t exp)
{
	time_t t = (time_t)exp;
	struct tm tm;
	char when[32];

	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y%m%d%H%M%S", &tm);
	snprintf(dst, size, "%s 300 IN RRSIG A 13 3 300 %s 19700101000000 12345 example.test. AAAA",
		 owner, when);
}

/* The earliest RRSIG expiry, answer and authority sections together, in
 * serial-number arithmetic around now (RFC 4034 3.1.5). */
static const struct {
	time_t now;
	long long answer_in, authority_in; /* expiry - now of the two RRSIGs */
	long long expire_in;
} expire_cases[] = {
    {1700000000, 1000, 500, 500},
    {1700000000, 500, 1000, 500},
    {1700000000, -100, 1000, -100},   /* expired: in the past */
    {4294967000LL, 1000, 2000, 1000}, /* after 2106: the 32-bit field wraps */
};

START_TEST(sig_expire_is_the_earliest_rrsig_expiration)
{
	time_t now = expire_cases[_i].now;
	char ans[256], auth[256];
	const char *answer[] = {OWNER " 300 IN A 192.0.2.1", ans, NULL};
	const char *authority[] = {auth, NULL};
	struct dns_answer a;

	rrsig_expiring(ans, sizeof(ans), OWNER, (uint32_t)(now + expire_cases[_i].answer_in));
	rrsig_expiring(auth, sizeof(auth), "example.test.",
		       (uint32_t)(now + expire_cases[_i].authority_in));
	a = answer_of(DNS_SECURE, true, LDNS_RCODE_NOERROR, LDNS_RR_TYPE_A, answer, authority);
	ck_assert_int_eq((long long)dns_answer_sig_expire(&a, now),
			 (long long)now + expire_cases[_i].expire_in);
	dns_answer_clear(&a);
}
END_TEST

START_TEST(sig_expire_is_zero_without_rrsig)
{
	static const char *const answer[] = {OWNER " 300 IN A 192.0.2.1", NULL};
	struct dns_answer a =
	    answer_of(DNS_INSECURE, false, LDNS_RCODE_NOERROR, LDNS_RR_TYPE_A, answer, NULL);
	struct dns_answer none = {.cls = DNS_ERROR};

	ck_assert_int_eq(dns_answer_sig_expire(&a, 1700000000), 0);
	ck_assert_int_eq(dns_answer_sig_expire(&none, 1700000000), 0);
	dns_answer_clear(&a);
}
END_TEST

START_TEST(rr_line_is_one_line_with_spaces)
{
	ldns_rr *rr = NULL;
	char *line;

	ck_assert_int_eq(ldns_rr_new_frm_str(&rr, OWNER " 300 IN A 192.0.2.7", 0, NULL, NULL),
			 LDNS_STATUS_OK);
	line = dns_rr_line(rr);
	ck_assert_str_eq(line, OWNER " 300 IN A 192.0.2.7");
	free(line);
	ldns_rr_free(rr);
}
END_TEST

/* The outcome of an answer: its facts without the packet. */
static const struct {
	enum dns_class cls;
	bool ad;
	ldns_pkt_rcode rcode;
	ldns_rr_type qtype;
	const char *const *rrs;
	size_t nrecords;
	bool rrsigs;
} outcome_cases[] = {
    {DNS_SECURE, true, LDNS_RCODE_NOERROR, LDNS_RR_TYPE_A, two_a_signed, 2, true},
    {DNS_INSECURE, false, LDNS_RCODE_NOERROR, LDNS_RR_TYPE_TLSA, one_tlsa, 1, false},
    {DNS_NONEXISTENT, true, LDNS_RCODE_NXDOMAIN, LDNS_RR_TYPE_A, NULL, 0, false},
    {DNS_BOGUS, false, LDNS_RCODE_NOERROR, LDNS_RR_TYPE_MX, two_a_signed, 0, true},
};

START_TEST(the_outcome_keeps_the_facts_without_the_packet)
{
	struct dns_answer a =
	    answer_of(outcome_cases[_i].cls, outcome_cases[_i].ad, outcome_cases[_i].rcode,
		      outcome_cases[_i].qtype, outcome_cases[_i].rrs, NULL);
	struct dns_outcome o;
	char from_answer[256], from_outcome[256];

	a.ede.n = 1;
	a.ede.ede[0].code = 6;
	dns_answer_outcome(&a, &o);
	ck_assert_int_eq(o.cls, outcome_cases[_i].cls);
	ck_assert_int_eq(o.secure, outcome_cases[_i].ad);
	ck_assert_int_eq(o.nxdomain, outcome_cases[_i].rcode == LDNS_RCODE_NXDOMAIN);
	ck_assert_int_eq(o.qtype, outcome_cases[_i].qtype);
	ck_assert_int_eq(o.final_rcode, outcome_cases[_i].rcode);
	ck_assert_uint_eq(o.nrecords, outcome_cases[_i].nrecords);
	ck_assert_int_eq(o.rrsigs, outcome_cases[_i].rrsigs);
	ck_assert_uint_eq(o.ede.n, 1);
	ck_assert_uint_eq(o.ede.ede[0].code, 6);
	/* the same words from the answer and from its outcome, the packet gone */
	words_dns_answer_failure(&a, from_answer, sizeof(from_answer));
	dns_answer_clear(&a);
	words_dns_outcome_failure(&o, from_outcome, sizeof(from_outcome));
	ck_assert_str_eq(from_outcome, from_answer);
	ck_assert_ptr_nonnull(strstr(from_outcome, "; EDE 6 (DNSSEC Bogus)"));
}
END_TEST

START_TEST(an_error_outcome_has_no_rcode_and_the_type_asked)
{
	struct dns_answer a = {.cls = DNS_ERROR, .qtype = LDNS_RR_TYPE_AAAA};
	struct dns_outcome o;

	dns_answer_fail(&a, DNS_ERR_UNREACHABLE,
			&(struct dns_failure){.kind = DNS_FAIL_RECV, .sys = ECONNREFUSED});
	ck_assert_int_eq(a.error, DNS_ERR_UNREACHABLE);
	ck_assert_int_eq(a.fail.kind, DNS_FAIL_RECV);
	ck_assert_str_eq(fail_words(&a), "connection refused (nothing listens on that port)");
	dns_answer_outcome(&a, &o);
	ck_assert_int_eq(o.cls, DNS_ERROR);
	ck_assert_int_eq(o.error, DNS_ERR_UNREACHABLE);
	ck_assert_int_eq(o.fail.kind, DNS_FAIL_RECV);
	ck_assert_int_eq(o.fail.sys, ECONNREFUSED);
	ck_assert_int_eq(o.qtype, LDNS_RR_TYPE_AAAA);
	ck_assert_int_eq(o.final_rcode, -1);
	ck_assert_uint_eq(o.nrecords, 0);
}
END_TEST

/* Every kind of failure, from its facts, in the words the detail lines always had. */
static const struct {
	struct dns_failure f;
	const char *words;
} failure_words[] = {
    {{.kind = DNS_FAIL_NONE}, ""},
    {{.kind = DNS_FAIL_NO_RESOLVER}, "no resolver configured"},
    {{.kind = DNS_FAIL_NO_SUCH_SERVER}, "no such resolver"},
    {{.kind = DNS_FAIL_QUERY_NAME, .name = "a..b"}, "invalid query name 'a..b'"},
    {{.kind = DNS_FAIL_BUILD}, "cannot build query"},
    {{.kind = DNS_FAIL_MEMORY}, "out of memory"},
    {{.kind = DNS_FAIL_POLL, .sys = EINVAL}, "poll: Invalid argument"},
    {{.kind = DNS_FAIL_TIMEOUT, .seconds = 10, .stage = "looking up TLSA records"},
     "timed out after 10 s while looking up TLSA records"},
    {{.kind = DNS_FAIL_TIMEOUT,
      .seconds = 3,
      .stage = "looking up the addresses of 40 MX hosts",
      .queued = true,
      .limit = 12},
     "timed out after 3 s while looking up the addresses of 40 MX hosts (at most 12 queries at "
     "once: file descriptors are limited, see ulimit -n)"},
    {{.kind = DNS_FAIL_SEND, .sys = ENETUNREACH}, "Network is unreachable"},
    {{.kind = DNS_FAIL_SEND, .sys = ECONNREFUSED}, "Connection refused"},
    {{.kind = DNS_FAIL_RECV, .sys = ECONNREFUSED},
     "connection refused (nothing listens on that port)"},
    {{.kind = DNS_FAIL_RECV, .sys = EHOSTUNREACH}, "No route to host"},
    {{.kind = DNS_FAIL_TCP_CONNECT, .sys = ECONNREFUSED}, "TCP fallback: Connection refused"},
    {{.kind = DNS_FAIL_TCP_IO, .sys = ECONNRESET}, "TCP: Connection reset by peer"},
    {{.kind = DNS_FAIL_TCP_CLOSED}, "TCP connection closed mid-answer"},
    {{.kind = DNS_FAIL_TCP_SHORT}, "TCP answer too short"},
    {{.kind = DNS_FAIL_MALFORMED}, "malformed reply"},
    {{.kind = DNS_FAIL_MALFORMED, .tcp = true}, "malformed reply over TCP"},
    {{.kind = DNS_FAIL_MISMATCH}, "reply over TCP does not match the query"},
    {{.kind = DNS_FAIL_SERVFAIL, .rcode = LDNS_RCODE_SERVFAIL},
     "SERVFAIL (the resolver cannot get an answer, not a validation failure)"},
    {{.kind = DNS_FAIL_SERVFAIL, .rcode = LDNS_RCODE_SERVFAIL, .cd_retry = true},
     "SERVFAIL, also with CD (the resolver cannot get an answer, not a validation failure)"},
    {{.kind = DNS_FAIL_SERVFAIL, .rcode = LDNS_RCODE_SERVFAIL, .authoritative = true},
     "SERVFAIL (the server cannot answer for the zone)"},
    {{.kind = DNS_FAIL_RCODE, .rcode = LDNS_RCODE_REFUSED},
     "REFUSED (the resolver refuses to answer us)"},
    {{.kind = DNS_FAIL_RCODE, .rcode = LDNS_RCODE_REFUSED, .authoritative = true},
     "REFUSED (the server does not serve the zone)"},
    {{.kind = DNS_FAIL_RCODE, .rcode = LDNS_RCODE_FORMERR}, "FORMERR"},
    {{.kind = DNS_FAIL_RCODE, .rcode = LDNS_RCODE_NOTIMPL, .authoritative = true}, "NOTIMPL"},
};

START_TEST(failures_are_said_from_their_facts)
{
	struct dns_answer a = {.cls = DNS_ERROR, .fail = failure_words[_i].f};
	char text[512];

	ck_assert_uint_eq(words_dns_error(&failure_words[_i].f, text, sizeof(text)),
			  strlen(failure_words[_i].words));
	ck_assert_str_eq(text, failure_words[_i].words);
	/* an answer that failed is described by them, EDE appended */
	words_dns_answer(&a, text, sizeof(text));
	ck_assert_str_eq(text, failure_words[_i].words);
	a.ede.n = 1;
	a.ede.ede[0].code = 22;
	words_dns_answer_failure(&a, text, sizeof(text));
	ck_assert_ptr_nonnull(strstr(text, "EDE 22 (No Reachable Authority)"));
	ck_assert_int_eq(strncmp(text, failure_words[_i].words, strlen(failure_words[_i].words)),
			 0);
}
END_TEST

START_TEST(failure_words_are_cut_as_the_detail_always_was)
{
	/* the longest stage after the longest number of seconds: beyond the detail's room */
	struct dns_failure f = {.kind = DNS_FAIL_TIMEOUT, .seconds = 4000000000U};
	struct dns_answer a = {.cls = DNS_ERROR};
	char text[1024], small[8];

	memset(f.stage, 's', sizeof(f.stage) - 1);
	ck_assert_uint_eq(words_dns_error(&f, text, sizeof(text)), WORDS_DNS_ERROR_MAX - 1);
	ck_assert_uint_eq(words_dns_error(&f, small, sizeof(small)), sizeof(small) - 1);
	ck_assert_str_eq(small, "timed o");
	ck_assert_uint_eq(words_dns_error(&f, small, 0), 0);
	dns_answer_fail(&a, DNS_ERR_TIMEOUT, &f);
	ck_assert_str_eq(fail_words(&a), text);
	ck_assert_int_eq(a.cls, DNS_ERROR);
	ck_assert_int_eq(a.error, DNS_ERR_TIMEOUT);
}
END_TEST

START_TEST(bogus_words_carry_the_ede)
{
	struct dns_outcome o = {.cls = DNS_BOGUS, .final_rcode = LDNS_RCODE_NOERROR};
	char text[256];

	words_dns_bogus(&o, text, sizeof(text));
	ck_assert_str_eq(text, "SERVFAIL, the data is there with CD but does not validate");
	o.ede.n = 1;
	o.ede.total = 1;
	o.ede.ede[0].code = 7;
	words_dns_bogus(&o, text, sizeof(text));
	ck_assert_str_eq(text, "SERVFAIL, the data is there with CD but does not validate; EDE 7 "
			       "(Signature Expired)");
	words_dns_outcome_failure(&o, text, sizeof(text));
	ck_assert_str_eq(text, "SERVFAIL; with CD: NOERROR, the data does not validate (bogus); "
			       "EDE 7 (Signature Expired)");
}
END_TEST

START_TEST(algorithms_are_named_with_their_number)
{
	char text[64];

	ck_assert_str_eq(words_dns_algorithm(13, text, sizeof(text)), "ECDSAP256SHA256 (13)");
	ck_assert_str_eq(words_dns_algorithm(8, text, sizeof(text)), "RSASHA256 (8)");
	ck_assert_str_eq(words_dns_algorithm(200, text, sizeof(text)), "unknown algorithm (200)");
	ck_assert_str_eq(words_dns_algorithm(15, text, sizeof(text)), "ED25519 (15)");
}
END_TEST

static Suite *
dns_answer_suite(void)
{
	Suite *s = suite_create("dns_answer");
	TCase *tc = tcase_create("dns_answer");

	tcase_add_loop_test(tc, class_names_are_short_lower_case_words, 0,
			    sizeof(class_names) / sizeof(class_names[0]));
	tcase_add_loop_test(tc, rcode_names_are_the_mnemonics, 0,
			    sizeof(rcode_names) / sizeof(rcode_names[0]));
	tcase_add_loop_test(tc, answers_are_described_in_words, 0,
			    sizeof(describe_cases) / sizeof(describe_cases[0]));
	tcase_add_test(tc, bogus_without_a_packet_and_errors_are_described_too);
	tcase_add_test(tc, answer_rrs_are_the_answer_records_of_one_type);
	tcase_add_loop_test(tc, sig_expire_is_the_earliest_rrsig_expiration, 0,
			    sizeof(expire_cases) / sizeof(expire_cases[0]));
	tcase_add_test(tc, sig_expire_is_zero_without_rrsig);
	tcase_add_test(tc, rr_line_is_one_line_with_spaces);
	tcase_add_loop_test(tc, the_outcome_keeps_the_facts_without_the_packet, 0,
			    sizeof(outcome_cases) / sizeof(outcome_cases[0]));
	tcase_add_test(tc, an_error_outcome_has_no_rcode_and_the_type_asked);
	tcase_add_loop_test(tc, failures_are_said_from_their_facts, 0,
			    sizeof(failure_words) / sizeof(failure_words[0]));
	tcase_add_test(tc, failure_words_are_cut_as_the_detail_always_was);
	tcase_add_test(tc, bogus_words_carry_the_ede);
	tcase_add_test(tc, algorithms_are_named_with_their_number);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(dns_answer_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
