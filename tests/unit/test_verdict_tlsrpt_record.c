/*
 * test_verdict_tlsrpt_record.c -- check_tlsa's findings on a domain's TLSRPT
 * record, from the facts (table-driven).
 */
#include "config.h"

#include <check.h>
#include <string.h>

#include "verdict_test.h"
#include "verdict_tlsrpt_record.h"

#define DOMAIN "example.org."
#define NAME   "_smtp._tls.example.org."

static const struct {
	const char *rule;
	struct tlsrpt_record facts;
	enum finding_code code;
	state_t state;
	int level;
	const char *text;
} cases[] = {
    {"a valid record names where reports go, from -v on",
     {.status = TLSRPT_RECORD_VALID,
      .records = 1,
      .rua = {"mailto:r@example.org", "https://r.example.org/v1"},
      .nrua = 2,
      .rua_total = 2},
     FC_TLSRPT_RECORD,
     STATE_OK,
     1,
     "TLSRPT record at " NAME
     ": senders report TLS failures to mailto:r@example.org, https://r.example.org/v1"},
    {"no record is an OK note: senders cannot report",
     {.status = TLSRPT_RECORD_NONE},
     FC_TLSRPT_RECORD_MISSING,
     STATE_OK,
     1,
     "no TLSRPT record at " NAME ": senders cannot report TLS failures (RFC 8460)"},
    {"several records: senders send none, WARNING",
     {.status = TLSRPT_RECORD_MULTIPLE, .records = 3},
     FC_TLSRPT_RECORDS_MULTIPLE,
     STATE_WARNING,
     0,
     "3 TLSRPT records at " NAME ": senders send no reports (RFC 8460 3 wants exactly one)"},
    {"a record that does not parse: WARNING, with why and the record",
     {.status = TLSRPT_RECORD_INVALID,
      .fault = TLSRPT_FAULT_BAD_SCHEME,
      .records = 1,
      .text = "v=TLSRPTv1; rua=http://x|y",
      .text_len = 26},
     FC_TLSRPT_RECORD_INVALID,
     STATE_WARNING,
     0,
     "the TLSRPT record at " NAME " does not parse (a rua address that is neither mailto: nor "
     "https:): senders send no reports; it reads \"v=TLSRPTv1; rua=http://x\\x7cy\""},
    {"a lookup that fails: WARNING, with the DNS words",
     {.status = TLSRPT_RECORD_LOOKUP_FAILED,
      .lookup = {.cls = DNS_ERROR, .fail = {.kind = DNS_FAIL_RCODE, .rcode = LDNS_RCODE_REFUSED}}},
     FC_TLSRPT_RECORD_LOOKUP_FAILED,
     STATE_WARNING,
     0,
     "the TLSRPT record at " NAME " cannot be looked up (REFUSED (the resolver refuses to "
     "answer us)): senders send no reports while it fails"},
};

START_TEST(each_record_has_its_finding)
{
	struct output *out = output_new("TLSA");
	const struct finding *f;

	verdict_tlsrpt_record(DOMAIN, &cases[_i].facts, out);
	f = vt_expect(out, cases[_i].code, cases[_i].state,
		      &(struct finding_subject){.domain = DOMAIN, .name = NAME});
	ck_assert_msg(strcmp(f->text, cases[_i].text) == 0, "%s:\n  '%s'\nwant\n  '%s'",
		      cases[_i].rule, f->text, cases[_i].text);
	ck_assert_int_eq(f->level, cases[_i].level);
	output_free(out);
}
END_TEST

START_TEST(params_carry_the_addresses_and_the_fault)
{
	struct output *out = output_new("TLSA");
	const struct finding *f;

	verdict_tlsrpt_record(DOMAIN, &cases[0].facts, out);
	f = vt_find(out, FC_TLSRPT_RECORD);
	ck_assert_str_eq(finding_param(f, "rua")->string,
			 "mailto:r@example.org, https://r.example.org/v1");
	ck_assert_int_eq(finding_param(f, "rua_count")->integer, 2);
	output_free(out);
	out = output_new("TLSA");
	verdict_tlsrpt_record(DOMAIN, &cases[3].facts, out);
	f = vt_find(out, FC_TLSRPT_RECORD_INVALID);
	ck_assert_str_eq(finding_param(f, "fault")->string, "bad_scheme");
	ck_assert_str_eq(finding_param(f, "record")->string, "v=TLSRPTv1; rua=http://x|y");
	output_free(out);
}
END_TEST

Suite *
verdict_tlsrpt_record_suite(void)
{
	Suite *s = suite_create("verdict_tlsrpt_record");
	TCase *tc = tcase_create("records");

	tcase_add_loop_test(tc, each_record_has_its_finding, 0,
			    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, params_carry_the_addresses_and_the_fault);
	suite_add_tcase(s, tc);
	return s;
}
