/*
 * test_auth.c -- comparing authoritative servers' RRsets (issue 12): order does
 * not matter, owner names compare without case, TTL differences are not data
 * differences, what one server lacks and has in addition is named; planning
 * the questions of zones; the facts of servers that cannot be asked or do
 * not answer (through the scripted resolver of fake_dns.h), and their words.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "fake_dns.h"
#include "words_dns.h"

/* An RR list from presentation lines (NULL-terminated). */
static ldns_rr_list *
rrs(const char *const *lines)
{
	ldns_rr_list *l = ldns_rr_list_new();
	size_t i;

	ck_assert_ptr_nonnull(l);
	for (i = 0; lines[i] != NULL; i++) {
		ldns_rr *rr = NULL;

		ck_assert_msg(ldns_rr_new_frm_str(&rr, lines[i], 0, NULL, NULL) == LDNS_STATUS_OK,
			      "%s", lines[i]);
		ldns_rr_list_push_rr(l, rr);
	}
	return l;
}

#define T1                                                                                         \
	"_25._tcp.mx.example. 3600 IN TLSA 3 1 1 "                                                 \
	"0101010101010101010101010101010101010101010101010101010101010101"
#define T2                                                                                         \
	"_25._tcp.mx.example. 3600 IN TLSA 3 1 1 "                                                 \
	"0202020202020202020202020202020202020202020202020202020202020202"
#define T3                                                                                         \
	"_25._tcp.mx.example. 3600 IN TLSA 2 0 1 "                                                 \
	"0303030303030303030303030303030303030303030303030303030303030303"

START_TEST(the_same_records_in_another_order_do_not_differ)
{
	const char *a[] = {T1, T2, T3, NULL}, *b[] = {T3, T1, T2, NULL};
	ldns_rr_list *ra = rrs(a), *rb = rrs(b);
	struct auth_diff d;

	ck_assert(!auth_rrset_diff(ra, rb, &d));
	ck_assert_uint_eq(d.lacks, 0);
	ck_assert_uint_eq(d.extra, 0);
	ck_assert(!d.ttl_differs);
	ldns_rr_list_deep_free(ra);
	ldns_rr_list_deep_free(rb);
}
END_TEST

START_TEST(a_missing_record_is_named_as_lacking)
{
	const char *a[] = {T1, T2, NULL}, *b[] = {T1, NULL};
	ldns_rr_list *ra = rrs(a), *rb = rrs(b);
	struct auth_diff d;

	ck_assert(auth_rrset_diff(ra, rb, &d));
	ck_assert_uint_eq(d.lacks, 1);
	ck_assert_uint_eq(d.extra, 0);
	ck_assert_str_eq(d.lacks_text,
			 "3 1 1 0202020202020202020202020202020202020202020202020202020202020202");
	ldns_rr_list_deep_free(ra);
	ldns_rr_list_deep_free(rb);
}
END_TEST

START_TEST(records_only_the_other_has_are_extra)
{
	const char *a[] = {T1, NULL}, *b[] = {T1, T2, T3, NULL};
	ldns_rr_list *ra = rrs(a), *rb = rrs(b);
	struct auth_diff d;

	ck_assert(auth_rrset_diff(ra, rb, &d));
	ck_assert_uint_eq(d.lacks, 0);
	ck_assert_uint_eq(d.extra, 2);
	ck_assert_str_eq(d.extra_text,
			 "3 1 1 0202020202020202020202020202020202020202020202020202020202020202; "
			 "2 0 1 0303030303030303030303030303030303030303030303030303030303030303");
	ldns_rr_list_deep_free(ra);
	ldns_rr_list_deep_free(rb);
}
END_TEST

START_TEST(a_ttl_difference_is_not_a_data_difference)
{
	const char *a[] = {T1, NULL},
		   *b[] = {"_25._tcp.mx.example. 300 IN TLSA 3 1 1 "
			   "0101010101010101010101010101010101010101010101010101010101010101",
			   NULL};
	ldns_rr_list *ra = rrs(a), *rb = rrs(b);
	struct auth_diff d;

	ck_assert(!auth_rrset_diff(ra, rb, &d));
	ck_assert(d.ttl_differs);
	ck_assert_uint_eq(d.ttl_ref, 3600);
	ck_assert_uint_eq(d.ttl_other, 300);
	ldns_rr_list_deep_free(ra);
	ldns_rr_list_deep_free(rb);
}
END_TEST

START_TEST(case_of_names_and_hex_does_not_matter)
{
	const char *a[] = {"Example. 3600 IN MX 10 MX.Example.", T1, NULL},
		   *b[] = {"example. 3600 IN MX 10 mx.example.",
			   "_25._TCP.MX.EXAMPLE. 3600 IN TLSA 3 1 1 "
			   "0101010101010101010101010101010101010101010101010101010101010101",
			   NULL};
	ldns_rr_list *ra = rrs(a), *rb = rrs(b);
	struct auth_diff d;

	ck_assert(!auth_rrset_diff(ra, rb, &d));
	ldns_rr_list_deep_free(ra);
	ldns_rr_list_deep_free(rb);
}
END_TEST

START_TEST(no_records_against_records_lacks_them_all)
{
	const char *a[] = {T1, T2, NULL};
	ldns_rr_list *ra = rrs(a);
	struct auth_diff d;

	ck_assert(auth_rrset_diff(ra, NULL, &d));
	ck_assert_uint_eq(d.lacks, 2);
	ck_assert(auth_rrset_diff(NULL, ra, &d));
	ck_assert_uint_eq(d.extra, 2);
	ck_assert(!auth_rrset_diff(NULL, NULL, &d));
	ldns_rr_list_deep_free(ra);
}
END_TEST

START_TEST(rdata_text_is_lower_case_presentation)
{
	const char *a[] = {
	    "x. 1 IN TLSA 3 1 1 ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789",
	    NULL};
	ldns_rr_list *ra = rrs(a);
	char *t = auth_rdata_text(ldns_rr_list_rr(ra, 0));

	ck_assert_str_eq(t,
			 "3 1 1 abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789");
	free(t);
	ldns_rr_list_deep_free(ra);
}
END_TEST

START_TEST(planning_asks_the_soa_first_and_each_question_once)
{
	struct auth_result a;

	memset(&a, 0, sizeof(a));
	ck_assert_int_eq(auth_plan(&a, "example.", "example.", LDNS_RR_TYPE_MX), 0);
	ck_assert_int_eq(auth_plan(&a, "EXAMPLE.", "_25._tcp.mx.example.", LDNS_RR_TYPE_TLSA), 0);
	ck_assert_int_eq(auth_plan(&a, "example.", "example.", LDNS_RR_TYPE_MX), 0);
	ck_assert_int_eq(auth_plan(&a, "other.", "_25._tcp.mx.other.", LDNS_RR_TYPE_TLSA), 0);
	ck_assert_uint_eq(a.nzones, 2);
	ck_assert_uint_eq(a.zones[0].nq, 3);
	ck_assert_int_eq(a.zones[0].q[0].type, LDNS_RR_TYPE_SOA);
	ck_assert_str_eq(a.zones[0].q[0].name, "example.");
	ck_assert_int_eq(a.zones[0].q[1].type, LDNS_RR_TYPE_MX);
	ck_assert_int_eq(a.zones[0].q[2].type, LDNS_RR_TYPE_TLSA);
	ck_assert_uint_eq(a.zones[1].nq, 2);
	ck_assert_int_eq(auth_plan(&a, "", "x.", LDNS_RR_TYPE_TLSA), -1);
	auth_result_clear(&a);
}
END_TEST

START_TEST(planning_counts_zones_beyond_the_limit)
{
	struct auth_result a;
	char zone[32];
	int i;

	memset(&a, 0, sizeof(a));
	for (i = 0; i < AUTH_MAX_ZONES + 3; i++) {
		snprintf(zone, sizeof(zone), "z%d.example.", i);
		auth_plan(&a, zone, zone, LDNS_RR_TYPE_MX);
	}
	ck_assert_uint_eq(a.nzones, AUTH_MAX_ZONES);
	ck_assert_uint_eq(a.zones_left_out, 3);
	auth_result_clear(&a);
}
END_TEST

/*
 * Three zones through a scripted resolver: example.test.'s one server is
 * 127.0.254.254, where nothing listens on port 53; nons.test. has no NS
 * records; the NS host of noaddr.test. has no address.
 */
static const struct fake_rrset servers_zone[] = {
    {"example.test.",
     LDNS_RR_TYPE_NS,
     FAKE_DATA_SECURE,
     {"example.test. 300 IN NS ns1.example.test."}},
    {"ns1.example.test.",
     LDNS_RR_TYPE_A,
     FAKE_DATA_SECURE,
     {"ns1.example.test. 300 IN A 127.0.254.254"}},
    {"noaddr.test.", LDNS_RR_TYPE_NS, FAKE_DATA_SECURE, {"noaddr.test. 300 IN NS ns.noaddr.test."}},
};

START_TEST(servers_that_cannot_be_asked_or_do_not_answer_keep_their_facts)
{
	struct fake *f = fake_start_zone(servers_zone, 3);
	struct dns_resolver res = {0};
	struct auth_result a;
	struct deadline dl;
	const struct auth_zone *z;
	char text[512];
	size_t i;

	memset(&a, 0, sizeof(a));
	fake_add_to(f, &res);
	deadline_start(&dl, 5);
	ck_assert_int_eq(auth_plan(&a, "example.test.", "example.test.", LDNS_RR_TYPE_MX), 0);
	ck_assert_int_eq(auth_plan(&a, "nons.test.", "nons.test.", LDNS_RR_TYPE_MX), 0);
	ck_assert_int_eq(auth_plan(&a, "noaddr.test.", "noaddr.test.", LDNS_RR_TYPE_MX), 0);
	ck_assert_int_eq(auth_collect(&a, &res, AF_INET, &dl), 0);
	fake_stop(f);

	z = &a.zones[0];
	ck_assert_int_eq(z->problem, AUTH_ZONE_OK);
	words_dns_auth_zone(z, text, sizeof(text));
	ck_assert_str_eq(text, "");
	ck_assert_uint_eq(z->nservers, 1);
	ck_assert_str_eq(auth_server(&a, z, 0)->addr, "127.0.254.254");
	for (i = 0; i < z->nq; i++) {
		const struct auth_answer *ans = auth_answer(z, 0, i);

		ck_assert_int_eq(ans->status, AUTH_NO_ANSWER);
		ck_assert_int_eq(ans->answer.cls, DNS_ERROR);
		ck_assert_int_eq(ans->answer.error, DNS_ERR_UNREACHABLE);
		ck_assert_int_eq(ans->answer.fail.kind, DNS_FAIL_RECV);
		ck_assert_int_eq(ans->answer.fail.sys, ECONNREFUSED);
		ck_assert_int_eq(ans->answer.qtype, z->q[i].type);
		ck_assert(!ans->foreign);
		words_dns_auth_answer(ans, text, sizeof(text));
		ck_assert_str_eq(text, "connection refused (nothing listens on that port)");
	}

	z = &a.zones[1];
	ck_assert_int_eq(z->problem, AUTH_ZONE_NO_NS);
	ck_assert_int_eq(z->ns_answer.cls, DNS_NONEXISTENT);
	ck_assert(z->ns_answer.secure);
	ck_assert_int_eq(z->ns_answer.qtype, LDNS_RR_TYPE_NS);
	words_dns_auth_zone(z, text, sizeof(text));
	ck_assert_str_eq(text, "no NS records for the zone through the resolver "
			       "(NOERROR/NODATA, AD set (validated denial))");
	ck_assert_uint_eq(z->nservers, 0);

	z = &a.zones[2];
	ck_assert_int_eq(z->problem, AUTH_ZONE_NO_ADDRESS);
	words_dns_auth_zone(z, text, sizeof(text));
	ck_assert_str_eq(text, "no address of its NS hosts could be found through the resolver");
	auth_result_clear(&a);
}
END_TEST

/* One server's answer, as facts made here, and its words. */
static const struct {
	enum auth_status status;
	struct dns_outcome answer;
	const char *foreign_owner; /* NULL: not foreign */
	const char *words;
} answer_words[] = {
    {AUTH_OK, {.cls = DNS_SECURE, .secure = true}, NULL, ""},
    {AUTH_NOT_AA,
     {.cls = DNS_SECURE, .final_rcode = LDNS_RCODE_NOERROR},
     NULL,
     "answered NOERROR without AA: not an authority for the zone"},
    {AUTH_NOT_AA,
     {.cls = DNS_NONEXISTENT, .final_rcode = LDNS_RCODE_NXDOMAIN},
     NULL,
     "answered NXDOMAIN without AA: not an authority for the zone"},
    {AUTH_REFUSED,
     {.cls = DNS_ERROR,
      .error = DNS_ERR_REFUSED,
      .fail = {.kind = DNS_FAIL_RCODE, .rcode = LDNS_RCODE_REFUSED, .authoritative = true}},
     NULL,
     "REFUSED (the server does not serve the zone)"},
    {AUTH_ERROR,
     {.cls = DNS_ERROR,
      .error = DNS_ERR_SERVFAIL,
      .fail = {.kind = DNS_FAIL_SERVFAIL, .rcode = LDNS_RCODE_SERVFAIL, .authoritative = true},
      .ede = {.n = 1, .total = 1, .ede = {{.code = 22}}}},
     NULL,
     "SERVFAIL (the server cannot answer for the zone); EDE 22 (No Reachable Authority)"},
    {AUTH_NO_ANSWER,
     {.cls = DNS_ERROR,
      .error = DNS_ERR_TIMEOUT,
      .fail = {.kind = DNS_FAIL_TIMEOUT,
	       .seconds = 3,
	       .stage = "asking 2 authoritative server addresses"}},
     NULL,
     "timed out after 3 s while asking 2 authoritative server addresses"},
    {AUTH_ERROR,
     {.cls = DNS_SECURE},
     "evil|name.",
     "answered with records of another name "
     "(evil\\x7cname.)"},
};

START_TEST(server_answers_are_said_from_their_facts)
{
	struct auth_answer a = {.status = answer_words[_i].status,
				.answer = answer_words[_i].answer};
	char text[512];

	if (answer_words[_i].foreign_owner != NULL) {
		a.foreign = true;
		snprintf(a.foreign_owner, sizeof(a.foreign_owner), "%s",
			 answer_words[_i].foreign_owner);
	}
	ck_assert_uint_eq(words_dns_auth_answer(&a, text, sizeof(text)),
			  strlen(answer_words[_i].words));
	ck_assert_str_eq(text, answer_words[_i].words);
}
END_TEST

START_TEST(server_and_zone_words_are_cut_as_they_always_were)
{
	struct auth_answer a = {.status = AUTH_ERROR, .foreign = true};
	struct auth_zone z = {
	    .problem = AUTH_ZONE_NO_NS,
	    .ns_answer = {.cls = DNS_ERROR, .fail = {.kind = DNS_FAIL_TIMEOUT, .seconds = 1}}};
	char text[1024];

	/* a long foreign owner: 100 bytes of it, then "..." */
	memset(a.foreign_owner, 'o', sizeof(a.foreign_owner) - 1);
	words_dns_auth_answer(&a, text, sizeof(text));
	ck_assert_ptr_nonnull(strstr(text, "(oooo"));
	ck_assert_ptr_nonnull(strstr(text, "o...)"));
	ck_assert_uint_eq(strlen(text), strlen("answered with records of another name ()") + 103);
	/* a long failure: at most 191 characters for a server, 200 inside a zone's words */
	a.foreign = false;
	a.answer.cls = DNS_ERROR;
	a.answer.ede.n = 1;
	a.answer.ede.ede[0].code = 6;
	a.answer.ede.ede[0].raw_len = DNS_EDE_TEXT_MAX;
	memset(a.answer.ede.ede[0].raw, 'x', DNS_EDE_TEXT_MAX);
	a.answer.fail = (struct dns_failure){.kind = DNS_FAIL_TIMEOUT, .seconds = 1};
	memset(a.answer.fail.stage, 's', 100);
	ck_assert_uint_eq(words_dns_auth_answer(&a, text, sizeof(text)),
			  WORDS_DNS_AUTH_ANSWER_MAX - 1);
	z.ns_answer = a.answer;
	words_dns_auth_zone(&z, text, sizeof(text));
	ck_assert_uint_eq(strlen(text),
			  strlen("no NS records for the zone through the resolver ()") + 200);
	z.problem = AUTH_ZONE_OK;
	ck_assert_uint_eq(words_dns_auth_zone(&z, text, sizeof(text)), 0);
	ck_assert_str_eq(text, "");
}
END_TEST

static Suite *
auth_suite(void)
{
	Suite *s = suite_create("auth");
	TCase *tc = tcase_create("auth");

	tcase_add_test(tc, the_same_records_in_another_order_do_not_differ);
	tcase_add_test(tc, a_missing_record_is_named_as_lacking);
	tcase_add_test(tc, records_only_the_other_has_are_extra);
	tcase_add_test(tc, a_ttl_difference_is_not_a_data_difference);
	tcase_add_test(tc, case_of_names_and_hex_does_not_matter);
	tcase_add_test(tc, no_records_against_records_lacks_them_all);
	tcase_add_test(tc, rdata_text_is_lower_case_presentation);
	tcase_add_test(tc, planning_asks_the_soa_first_and_each_question_once);
	tcase_add_test(tc, planning_counts_zones_beyond_the_limit);
	tcase_set_timeout(tc, 15);
	tcase_add_test(tc, servers_that_cannot_be_asked_or_do_not_answer_keep_their_facts);
	tcase_add_loop_test(tc, server_answers_are_said_from_their_facts, 0,
			    sizeof(answer_words) / sizeof(answer_words[0]));
	tcase_add_test(tc, server_and_zone_words_are_cut_as_they_always_were);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(auth_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
