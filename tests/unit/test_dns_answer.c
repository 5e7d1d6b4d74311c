/*
 * test_dns_answer.c -- what an answer says and the words for it: class and
 * rcode names, the records of a type, the earliest RRSIG expiry, one-line
 * records and the description shown to the operator. No network: the
 * answers are built here.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dns_answer.h"

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
	size_t n = dns_answer_describe(&a, text, sizeof(text));

	ck_assert_str_eq(text, describe_cases[_i].text);
	ck_assert_uint_eq(n, strlen(text));
	dns_answer_free(&a);
}
END_TEST

START_TEST(bogus_without_a_packet_and_errors_are_described_too)
{
	struct dns_answer bogus = {.cls = DNS_BOGUS}, error = {.cls = DNS_ERROR};
	char text[256];

	dns_answer_describe(&bogus, text, sizeof(text));
	ck_assert_str_eq(text, "SERVFAIL; with CD: data, the data does not validate (bogus)");
	error.fail = (struct dns_failure){.kind = DNS_FAIL_TIMEOUT, .seconds = 3};
	snprintf(error.fail.stage, sizeof(error.fail.stage), "asking");
	dns_answer_describe(&error, text, sizeof(text));
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
	dns_answer_free(&a);
	ck_assert_ptr_null(a.pkt);
	dns_answer_free(&a); /* twice is harmless */
	dns_answer_free(NULL);
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
	dns_answer_free(&a);
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
	dns_answer_free(&a);
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
