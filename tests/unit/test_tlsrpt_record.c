/*
 * test_tlsrpt_record.c -- the TLSRPT policy record (RFC 8460 3) from TXT
 * data: what parses, what does not and why, and how an RRset is judged.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "tlsrpt_record.h"

/* One TXT text and what senders make of it. */
static const struct {
	const char *name;
	const char *text;
	enum tlsrpt_record_status status;
	enum tlsrpt_record_fault fault;
	size_t nrua;
	const char *rua0, *rua1;
} cases[] = {
    /* RFC 8460 3.3's examples */
    {"mailto", "v=TLSRPTv1; rua=mailto:reports@example.com", TLSRPT_RECORD_VALID, TLSRPT_FAULT_NONE,
     1, "mailto:reports@example.com", NULL},
    {"https", "v=TLSRPTv1; rua=https://reporting.example.com/v1/tlsrpt", TLSRPT_RECORD_VALID,
     TLSRPT_FAULT_NONE, 1, "https://reporting.example.com/v1/tlsrpt", NULL},
    {"two addresses with spaces", "v=TLSRPTv1;rua=mailto:a@example.com , https://r.example/x",
     TLSRPT_RECORD_VALID, TLSRPT_FAULT_NONE, 2, "mailto:a@example.com", "https://r.example/x"},
    {"a trailing delimiter", "v=TLSRPTv1; rua=mailto:a@example.com;", TLSRPT_RECORD_VALID,
     TLSRPT_FAULT_NONE, 1, "mailto:a@example.com", NULL},
    {"an extension is ignored", "v=TLSRPTv1; ext.1=x-y; rua=mailto:a@example.com",
     TLSRPT_RECORD_VALID, TLSRPT_FAULT_NONE, 1, "mailto:a@example.com", NULL},
    {"tabs around the delimiter", "v=TLSRPTv1\t;\trua=mailto:a@example.com", TLSRPT_RECORD_VALID,
     TLSRPT_FAULT_NONE, 1, "mailto:a@example.com", NULL},
    {"not a TLSRPT record (SPF)", "v=spf1 -all", TLSRPT_RECORD_NONE, TLSRPT_FAULT_NONE, 0, NULL,
     NULL},
    {"the version is case-sensitive", "v=tlsrptv1; rua=mailto:a@example.com", TLSRPT_RECORD_NONE,
     TLSRPT_FAULT_NONE, 0, NULL, NULL},
    {"no rua", "v=TLSRPTv1; rue=mailto:a@example.com", TLSRPT_RECORD_INVALID, TLSRPT_FAULT_NO_RUA,
     0, NULL, NULL},
    {"the version alone", "v=TLSRPTv1", TLSRPT_RECORD_INVALID, TLSRPT_FAULT_NO_RUA, 0, NULL, NULL},
    {"rua twice", "v=TLSRPTv1; rua=mailto:a@example.com; rua=mailto:b@example.com",
     TLSRPT_RECORD_INVALID, TLSRPT_FAULT_RUA_TWICE, 0, NULL, NULL},
    {"an empty address", "v=TLSRPTv1; rua=mailto:a@example.com,", TLSRPT_RECORD_INVALID,
     TLSRPT_FAULT_BAD_URI, 0, NULL, NULL},
    {"an http address", "v=TLSRPTv1; rua=http://r.example/x", TLSRPT_RECORD_INVALID,
     TLSRPT_FAULT_BAD_SCHEME, 0, NULL, NULL},
    {"a bare address", "v=TLSRPTv1; rua=a@example.com", TLSRPT_RECORD_INVALID,
     TLSRPT_FAULT_BAD_SCHEME, 0, NULL, NULL},
    {"a field without =", "v=TLSRPTv1; rua=mailto:a@example.com; junk", TLSRPT_RECORD_INVALID,
     TLSRPT_FAULT_BAD_FIELD, 0, NULL, NULL},
    {"no delimiter after the version", "v=TLSRPTv1 rua=mailto:a@example.com", TLSRPT_RECORD_INVALID,
     TLSRPT_FAULT_BAD_FIELD, 0, NULL, NULL},
    {"a newline", "v=TLSRPTv1; rua=mailto:a@example.com\n", TLSRPT_RECORD_INVALID,
     TLSRPT_FAULT_BAD_BYTE, 0, NULL, NULL},
    {"an 8-bit byte", "v=TLSRPTv1; rua=mailto:\xc3\xa4@example.com", TLSRPT_RECORD_INVALID,
     TLSRPT_FAULT_BAD_BYTE, 0, NULL, NULL},
};

START_TEST(each_text_is_judged_as_senders_do)
{
	struct tlsrpt_record *r = calloc(1, sizeof(*r));

	ck_assert_ptr_nonnull(r);
	tlsrpt_record_parse(cases[_i].text, strlen(cases[_i].text), r);
	ck_assert_msg(r->status == cases[_i].status, "%s: status %d, want %d", cases[_i].name,
		      r->status, cases[_i].status);
	ck_assert_msg(r->fault == cases[_i].fault, "%s: fault %d, want %d", cases[_i].name,
		      r->fault, cases[_i].fault);
	ck_assert_uint_eq(r->nrua, cases[_i].nrua);
	if (cases[_i].rua0 != NULL)
		ck_assert_str_eq(r->rua[0], cases[_i].rua0);
	if (cases[_i].rua1 != NULL)
		ck_assert_str_eq(r->rua[1], cases[_i].rua1);
	free(r);
}
END_TEST

START_TEST(a_nul_byte_makes_the_record_invalid)
{
	static const char text[] = "v=TLSRPTv1; rua=mailto:a@exa\0mple.com";
	struct tlsrpt_record r;

	tlsrpt_record_parse(text, sizeof(text) - 1, &r);
	ck_assert_int_eq(r.status, TLSRPT_RECORD_INVALID);
	ck_assert_int_eq(r.fault, TLSRPT_FAULT_BAD_BYTE);
	ck_assert_uint_eq(r.text_len, sizeof(text) - 1);
}
END_TEST

START_TEST(an_overlong_record_is_invalid_and_kept_cut)
{
	size_t len = TLSRPT_RECORD_TEXT_MAX + 100;
	char *text = malloc(len);
	struct tlsrpt_record r;

	ck_assert_ptr_nonnull(text);
	memset(text, 'a', len);
	memcpy(text, "v=TLSRPTv1; rua=mailto:", 23);
	tlsrpt_record_parse(text, len, &r);
	ck_assert_int_eq(r.status, TLSRPT_RECORD_INVALID);
	ck_assert_int_eq(r.fault, TLSRPT_FAULT_TOO_LONG);
	ck_assert_uint_eq(r.text_len, TLSRPT_RECORD_TEXT_MAX);
	free(text);
}
END_TEST

START_TEST(more_addresses_than_kept_are_counted)
{
	char text[1024] = "v=TLSRPTv1; rua=mailto:0@example.com";
	struct tlsrpt_record r;
	size_t i;

	for (i = 1; i < TLSRPT_RECORD_MAX_RUA + 3; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
			 ",mailto:%zu@example.com", i);
	tlsrpt_record_parse(text, strlen(text), &r);
	ck_assert_int_eq(r.status, TLSRPT_RECORD_VALID);
	ck_assert_uint_eq(r.nrua, TLSRPT_RECORD_MAX_RUA);
	ck_assert_uint_eq(r.rua_total, TLSRPT_RECORD_MAX_RUA + 3);
}
END_TEST

/* An answer with TXT records of these texts (character-strings of at most 255 bytes). */
static void
answer_of(struct dns_answer *a, const char *const *texts, size_t n)
{
	ldns_pkt *pkt = ldns_pkt_new();
	size_t i;

	memset(a, 0, sizeof(*a));
	a->cls = DNS_INSECURE;
	a->rcode = 0;
	ck_assert_ptr_nonnull(pkt);
	for (i = 0; i < n; i++) {
		char line[600];
		ldns_rr *rr = NULL;

		snprintf(line, sizeof(line), "_smtp._tls.example.org. 300 IN TXT %s", texts[i]);
		ck_assert_int_eq(ldns_rr_new_frm_str(&rr, line, 0, NULL, NULL), LDNS_STATUS_OK);
		ldns_pkt_push_rr(pkt, LDNS_SECTION_ANSWER, rr);
	}
	a->pkt = pkt;
}

START_TEST(an_rrset_with_one_tlsrpt_record_among_others_is_valid)
{
	static const char *const texts[] = {"\"v=spf1 -all\"",
					    "\"v=TLSRPTv1; rua=mailto:a@\" \"example.org\""};
	struct tlsrpt_record r;
	struct dns_answer a;

	answer_of(&a, texts, 2);
	tlsrpt_record_from_answer(&a, &r);
	ck_assert_int_eq(r.status, TLSRPT_RECORD_VALID);
	ck_assert_uint_eq(r.records, 1);
	ck_assert_str_eq(r.rua[0], "mailto:a@example.org"); /* the strings are joined */
	dns_answer_clear(&a);
}
END_TEST

START_TEST(two_tlsrpt_records_are_none_for_senders)
{
	static const char *const texts[] = {"\"v=TLSRPTv1; rua=mailto:a@example.org\"",
					    "\"v=TLSRPTv1; rua=mailto:b@example.org\""};
	struct tlsrpt_record r;
	struct dns_answer a;

	answer_of(&a, texts, 2);
	tlsrpt_record_from_answer(&a, &r);
	ck_assert_int_eq(r.status, TLSRPT_RECORD_MULTIPLE);
	ck_assert_uint_eq(r.records, 2);
	dns_answer_clear(&a);
}
END_TEST

START_TEST(no_txt_record_is_no_tlsrpt_record)
{
	struct tlsrpt_record r;
	struct dns_answer a;

	answer_of(&a, NULL, 0);
	a.cls = DNS_NONEXISTENT;
	tlsrpt_record_from_answer(&a, &r);
	ck_assert_int_eq(r.status, TLSRPT_RECORD_NONE);
	ck_assert_uint_eq(r.records, 0);
	dns_answer_clear(&a);
}
END_TEST

START_TEST(a_failed_lookup_keeps_its_facts)
{
	struct tlsrpt_record r;
	struct dns_answer a;

	memset(&a, 0, sizeof(a));
	dns_answer_fail(&a, DNS_ERR_TIMEOUT,
			&(struct dns_failure){.kind = DNS_FAIL_TIMEOUT, .seconds = 3});
	tlsrpt_record_from_answer(&a, &r);
	ck_assert_int_eq(r.status, TLSRPT_RECORD_LOOKUP_FAILED);
	ck_assert_int_eq(r.lookup.fail.kind, DNS_FAIL_TIMEOUT);
	dns_answer_clear(&a);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("tlsrpt_record");
	TCase *tc = tcase_create("tlsrpt_record");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, each_text_is_judged_as_senders_do, 0,
			    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, a_nul_byte_makes_the_record_invalid);
	tcase_add_test(tc, an_overlong_record_is_invalid_and_kept_cut);
	tcase_add_test(tc, more_addresses_than_kept_are_counted);
	tcase_add_test(tc, an_rrset_with_one_tlsrpt_record_among_others_is_valid);
	tcase_add_test(tc, two_tlsrpt_records_are_none_for_senders);
	tcase_add_test(tc, no_txt_record_is_no_tlsrpt_record);
	tcase_add_test(tc, a_failed_lookup_keeps_its_facts);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
