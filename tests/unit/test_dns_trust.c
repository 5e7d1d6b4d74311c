/*
 * test_dns_trust.c -- telling a non-validating resolver from an unsigned
 * domain (issue 13): the names asked about, the verdict from DS answers
 * with and without signatures and AD, the facts it keeps and their words.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns_trust.h"
#include "words_dns.h"

/* The words of a trust verdict (tests run in one thread: one buffer will do). */
static const char *
verdict_words(const struct dns_trust_result *r)
{
	static char buf[WORDS_DNS_TRUST_MAX];

	words_dns_trust(r, buf, sizeof(buf));
	return buf;
}

/* names: start -> the names whose DS is asked, in order */
static const struct {
	const char *start;
	size_t n;
	const char *names[DNS_TRUST_MAX_NAMES];
} name_cases[] = {
    {"smtp-ee.test.", 2, {"smtp-ee.test.", "test."}},
    {"mx1.example.org.", 3, {"mx1.example.org.", "example.org.", "org."}},
    {"a\\.b.example.", 2, {"a\\.b.example.", "example."}},
    {".", 0, {NULL}},
    {"", 0, {NULL}},
    {"a.b.c.d.e.f.g.h.i.j.",
     DNS_TRUST_MAX_NAMES,
     {"a.b.c.d.e.f.g.h.i.j.", "b.c.d.e.f.g.h.i.j.", "c.d.e.f.g.h.i.j.", "d.e.f.g.h.i.j.",
      "e.f.g.h.i.j.", "f.g.h.i.j.", "g.h.i.j.", "h.i.j."}},
};

START_TEST(names_are_the_zone_and_its_ancestors)
{
	const char *got[DNS_TRUST_MAX_NAMES];
	size_t n = dns_trust_names(name_cases[_i].start, got, DNS_TRUST_MAX_NAMES), i;

	ck_assert_uint_eq(n, name_cases[_i].n);
	for (i = 0; i < n; i++)
		ck_assert_str_eq(got[i], name_cases[_i].names[i]);
}
END_TEST

/* An answer: class, AD, and whether an RRSIG is in the answer or authority section. */
static void
answer(struct dns_query *q, const char *name, enum dns_class cls, bool ad, int rrsig_section)
{
	ldns_rr *rr = NULL;

	memset(q, 0, sizeof(*q));
	q->name = name;
	q->type = LDNS_RR_TYPE_DS;
	q->answer.cls = cls;
	if (cls == DNS_ERROR)
		return;
	q->answer.pkt = ldns_pkt_new();
	ck_assert_ptr_nonnull(q->answer.pkt);
	ldns_pkt_set_ad(q->answer.pkt, ad);
	if (rrsig_section == 0)
		return;
	ck_assert_int_eq(ldns_rr_new_frm_str(&rr,
					     "test. 300 IN RRSIG DS 13 2 300 20270101000000 "
					     "20261101000000 4711 test. AAAA",
					     0, NULL, NULL),
			 LDNS_STATUS_OK);
	ldns_pkt_push_rr(q->answer.pkt,
			 rrsig_section == 1 ? LDNS_SECTION_ANSWER : LDNS_SECTION_AUTHORITY, rr);
}

static void
free_all(struct dns_query *q, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		dns_answer_clear(&q[i].answer);
}

START_TEST(signed_ds_with_ad_above_the_zone_means_the_resolver_validates)
{
	struct dns_query q[2];
	struct dns_trust_result r;

	/* the name's own DS: unsigned NODATA (an unsigned parent); its parent's: validated */
	answer(&q[0], "a.example.", DNS_NONEXISTENT, false, 0);
	answer(&q[1], "example.", DNS_SECURE, true, 1);
	ck_assert_int_eq(dns_trust_judge(q, 2, &r), DNS_TRUST_VALIDATES);
	ck_assert_str_eq(verdict_words(&r), "the DS RRset of example. came validated (AD)");
	ck_assert(!r.zone_not_validated);
	free_all(q, 2);
}
END_TEST

START_TEST(a_validated_ds_of_the_zone_itself_means_the_zone_is_not_validated)
{
	struct dns_query q[1];
	struct dns_trust_result r;

	/* a secure delegation, yet the zone's data came without AD: its algorithm, a policy */
	answer(&q[0], "example.", DNS_SECURE, true, 1);
	ck_assert_int_eq(dns_trust_judge(q, 1, &r), DNS_TRUST_DOES_NOT_VALIDATE);
	ck_assert(r.zone_not_validated);
	ck_assert_str_eq(verdict_words(&r),
			 "the DS RRset of example. came validated (AD), yet the zone's own "
			 "data came without AD");
	free_all(q, 1);
}
END_TEST

START_TEST(signed_ds_without_ad_means_it_does_not_validate)
{
	struct dns_query q[1];
	struct dns_trust_result r;

	answer(&q[0], "example.", DNS_INSECURE, false, 1);
	ck_assert_int_eq(dns_trust_judge(q, 1, &r), DNS_TRUST_DOES_NOT_VALIDATE);
	ck_assert_str_eq(verdict_words(&r),
			 "the DS RRset of example. came with signatures (RRSIG) but "
			 "without the AD flag");
	free_all(q, 1);
}
END_TEST

START_TEST(a_signed_denial_of_ds_decides_too)
{
	struct dns_query q[1];
	struct dns_trust_result r;

	/* an island (validating resolver): NODATA with AD, NSEC + RRSIG in the authority */
	answer(&q[0], "island.", DNS_NONEXISTENT, true, 2);
	ck_assert_int_eq(dns_trust_judge(q, 1, &r), DNS_TRUST_VALIDATES);
	ck_assert_ptr_nonnull(strstr(verdict_words(&r), "the denial of a DS RRset for island."));
	free_all(q, 1);
	/* the same through a non-validating resolver: no AD */
	answer(&q[0], "island.", DNS_NONEXISTENT, false, 2);
	ck_assert_int_eq(dns_trust_judge(q, 1, &r), DNS_TRUST_DOES_NOT_VALIDATE);
	free_all(q, 1);
}
END_TEST

START_TEST(unsigned_answers_pass_the_question_up)
{
	struct dns_query q[3];
	struct dns_trust_result r;

	/* the parent is unsigned (no RRSIG), a failure, then a signed grandparent */
	answer(&q[0], "a.b.c.", DNS_NONEXISTENT, false, 0);
	answer(&q[1], "b.c.", DNS_ERROR, false, 0);
	answer(&q[2], "c.", DNS_INSECURE, false, 2);
	ck_assert_int_eq(dns_trust_judge(q, 3, &r), DNS_TRUST_DOES_NOT_VALIDATE);
	ck_assert_ptr_nonnull(strstr(verdict_words(&r), " c. came"));
	free_all(q, 3);
}
END_TEST

START_TEST(nothing_signed_proves_nothing)
{
	struct dns_query q[2];
	struct dns_trust_result r;

	answer(&q[0], "a.b.", DNS_NONEXISTENT, false, 0);
	answer(&q[1], "b.", DNS_INSECURE, false, 0);
	ck_assert_int_eq(dns_trust_judge(q, 2, &r), DNS_TRUST_UNKNOWN);
	ck_assert_str_eq(verdict_words(&r), "no signed data above the name to judge by");
	ck_assert_int_eq(dns_trust_judge(q, 0, &r), DNS_TRUST_UNKNOWN);
	free_all(q, 2);
}
END_TEST

START_TEST(bogus_answers_are_skipped)
{
	struct dns_query q[2];
	struct dns_trust_result r;

	answer(&q[0], "a.b.", DNS_BOGUS, false, 1);
	answer(&q[1], "b.", DNS_SECURE, true, 1);
	ck_assert_int_eq(dns_trust_judge(q, 2, &r), DNS_TRUST_VALIDATES);
	ck_assert_ptr_nonnull(strstr(verdict_words(&r), " b. came validated"));
	free_all(q, 2);
}
END_TEST

START_TEST(the_signer_is_read_from_the_first_rrsig)
{
	struct dns_query q;
	char signer[64];

	answer(&q, "x.", DNS_INSECURE, false, 1);
	ck_assert_str_eq(dns_answer_signer(&q.answer, signer, sizeof(signer)), "test.");
	free_all(&q, 1);
	answer(&q, "x.", DNS_INSECURE, false, 0);
	ck_assert_str_eq(dns_answer_signer(&q.answer, signer, sizeof(signer)), "");
	free_all(&q, 1);
}
END_TEST

/* The facts a judgement keeps: which answer decided (name, denial) and how. */
static const struct {
	enum dns_class cls[2]; /* the answers of "a.example." and "example." */
	bool ad[2];
	int rrsig[2];
	enum dns_trust verdict;
	bool zone_not_validated;
	const char *name; /* the deciding name, "" when none */
	bool denial;
} judgement_facts[] = {
    {{DNS_NONEXISTENT, DNS_SECURE},
     {false, true},
     {0, 1},
     DNS_TRUST_VALIDATES,
     false,
     "example.",
     false},
    {{DNS_SECURE, DNS_SECURE},
     {true, true},
     {1, 1},
     DNS_TRUST_DOES_NOT_VALIDATE,
     true,
     "a.example.",
     false},
    {{DNS_INSECURE, DNS_SECURE},
     {false, true},
     {1, 1},
     DNS_TRUST_DOES_NOT_VALIDATE,
     false,
     "a.example.",
     false},
    {{DNS_NONEXISTENT, DNS_SECURE},
     {true, true},
     {2, 1},
     DNS_TRUST_VALIDATES,
     false,
     "a.example.",
     true},
    {{DNS_NONEXISTENT, DNS_SECURE},
     {false, true},
     {2, 1},
     DNS_TRUST_DOES_NOT_VALIDATE,
     false,
     "a.example.",
     true},
    {{DNS_BOGUS, DNS_INSECURE},
     {false, false},
     {1, 2},
     DNS_TRUST_DOES_NOT_VALIDATE,
     false,
     "example.",
     false},
    {{DNS_ERROR, DNS_INSECURE}, {false, false}, {0, 0}, DNS_TRUST_UNKNOWN, false, "", false},
};

START_TEST(a_judgement_keeps_the_facts_it_was_made_from)
{
	static const char *const names[2] = {"a.example.", "example."};
	struct dns_query q[2];
	struct dns_trust_result r;
	size_t i;

	for (i = 0; i < 2; i++)
		answer(&q[i], names[i], judgement_facts[_i].cls[i], judgement_facts[_i].ad[i],
		       judgement_facts[_i].rrsig[i]);
	ck_assert_int_eq(dns_trust_judge(q, 2, &r), judgement_facts[_i].verdict);
	ck_assert(r.judged);
	ck_assert_int_eq(r.verdict, judgement_facts[_i].verdict);
	ck_assert_int_eq(r.zone_not_validated, judgement_facts[_i].zone_not_validated);
	ck_assert_str_eq(r.name, judgement_facts[_i].name);
	ck_assert_int_eq(r.denial, judgement_facts[_i].denial);
	free_all(q, 2);
}
END_TEST

/* The words of a verdict, from its facts alone. */
static const struct {
	struct dns_trust_result r;
	const char *words;
} trust_words[] = {
    {{.judged = false}, ""},
    {{.judged = true, .verdict = DNS_TRUST_UNKNOWN}, "no signed data above the name to judge by"},
    {{.judged = true, .verdict = DNS_TRUST_VALIDATES, .name = "org."},
     "the DS RRset of org. came validated (AD)"},
    {{.judged = true, .verdict = DNS_TRUST_VALIDATES, .name = "org.", .denial = true},
     "the denial of a DS RRset for org. came validated (AD)"},
    {{.judged = true, .verdict = DNS_TRUST_DOES_NOT_VALIDATE, .name = "example.org."},
     "the DS RRset of example.org. came with signatures (RRSIG) but without the AD flag"},
    {{.judged = true,
      .verdict = DNS_TRUST_DOES_NOT_VALIDATE,
      .name = "example.org.",
      .denial = true},
     "the denial of a DS RRset for example.org. came with signatures (RRSIG) but without the "
     "AD flag"},
    {{.judged = true,
      .verdict = DNS_TRUST_DOES_NOT_VALIDATE,
      .zone_not_validated = true,
      .name = "example.org."},
     "the DS RRset of example.org. came validated (AD), yet the zone's own data came without "
     "AD"},
};

START_TEST(verdicts_are_said_from_their_facts)
{
	char text[512];

	ck_assert_uint_eq(words_dns_trust(&trust_words[_i].r, text, sizeof(text)),
			  strlen(trust_words[_i].words));
	ck_assert_str_eq(text, trust_words[_i].words);
}
END_TEST

START_TEST(trust_words_are_cut_as_they_always_were)
{
	struct dns_trust_result r = {.judged = true, .verdict = DNS_TRUST_VALIDATES};
	char text[2048], small[8];

	memset(r.name, 'a', 900);
	ck_assert_uint_eq(words_dns_trust(&r, text, sizeof(text)), WORDS_DNS_TRUST_MAX - 1);
	ck_assert_uint_eq(words_dns_trust(&r, small, sizeof(small)), sizeof(small) - 1);
	ck_assert_uint_eq(words_dns_trust(&r, small, 0), 0);
}
END_TEST

/* --- no guess from a failed DS lookup (issue 22) --------------------------- */

/* A DS query that failed: SERVFAIL, also with CD (kind), or another error. */
static void
failed(struct dns_query *q, const char *name, enum dns_error e)
{
	answer(q, name, DNS_ERROR, false, 0);
	q->answer.error = e;
	q->answer.fail = (struct dns_failure){.kind = e == DNS_ERR_TIMEOUT ? DNS_FAIL_TIMEOUT
									   : DNS_FAIL_SERVFAIL,
					      .rcode = LDNS_RCODE_SERVFAIL,
					      .cd_retry = true,
					      .seconds = 5,
					      .stage = "asking"};
}

START_TEST(a_failed_ds_lookup_leaves_it_open)
{
	struct dns_query q[2];
	struct dns_trust_result r;

	failed(&q[0], "a.example.", DNS_ERR_SERVFAIL);
	failed(&q[1], "example.", DNS_ERR_SERVFAIL);
	ck_assert_int_eq(dns_trust_judge(q, 2, &r), DNS_TRUST_UNKNOWN);
	ck_assert(r.ds_failed);
	ck_assert_str_eq(r.name, "a.example.");
	ck_assert_int_eq(r.answer.cls, DNS_ERROR);
	ck_assert_str_eq(verdict_words(&r),
			 "the DS query of a.example. failed: SERVFAIL, also with CD (the "
			 "resolver cannot get an answer, not a validation failure)");
	free_all(q, 2);
}
END_TEST

START_TEST(a_failed_ds_lookup_does_not_hide_a_decision_above)
{
	struct dns_query q[2];
	struct dns_trust_result r;

	failed(&q[0], "a.example.", DNS_ERR_SERVFAIL);
	answer(&q[1], "example.", DNS_INSECURE, false, 1);
	ck_assert_int_eq(dns_trust_judge(q, 2, &r), DNS_TRUST_DOES_NOT_VALIDATE);
	ck_assert(!r.ds_failed);
	free_all(q, 2);
}
END_TEST

START_TEST(a_timeout_is_no_failed_lookup)
{
	struct dns_query q[1];
	struct dns_trust_result r;

	/* the deadline (the walk says so itself), not the resolver */
	failed(&q[0], "a.example.", DNS_ERR_TIMEOUT);
	ck_assert_int_eq(dns_trust_judge(q, 1, &r), DNS_TRUST_UNKNOWN);
	ck_assert(!r.ds_failed);
	free_all(q, 1);
}
END_TEST

/* --- --validate=local: does the forwarder pass DNSSEC data? ---------------- */

#define KEY        "test. 300 IN DNSKEY 257 3 13 AAAA"
#define KEY_SIG    "test. 300 IN RRSIG DNSKEY 13 1 300 20270101000000 20261101000000 4711 test. AAAA"
#define DS         "a.test. 300 IN DS 4711 13 2 0000"
#define DS_SIG     "a.test. 300 IN RRSIG DS 13 2 300 20270101000000 20261101000000 4711 test. AAAA"
#define PARENT_SOA "test. 300 IN SOA ns.test. h.test. 1 2 3 4 5"
#define CHILD_SOA  "a.test. 300 IN SOA ns.test. h.test. 1 2 3 4 5"
#define NSEC       "a.test. 300 IN NSEC b.test. NS RRSIG NSEC"
#define NSEC_SIG   "a.test. 300 IN RRSIG NSEC 13 2 300 20270101000000 20261101000000 4711 test. AAAA"

/* An answer of class cls with these answer and authority records (NULL-ended, or NULL). */
static void
records(struct dns_answer *a, enum dns_class cls, const char *const *an, const char *const *ns)
{
	memset(a, 0, sizeof(*a));
	a->cls = cls;
	a->pkt = ldns_pkt_new();
	ck_assert_ptr_nonnull(a->pkt);
	for (; an != NULL && *an != NULL; an++) {
		ldns_rr *rr = NULL;

		ck_assert_int_eq(ldns_rr_new_frm_str(&rr, *an, 0, NULL, NULL), LDNS_STATUS_OK);
		ldns_pkt_push_rr(a->pkt, LDNS_SECTION_ANSWER, rr);
	}
	for (; ns != NULL && *ns != NULL; ns++) {
		ldns_rr *rr = NULL;

		ck_assert_int_eq(ldns_rr_new_frm_str(&rr, *ns, 0, NULL, NULL), LDNS_STATUS_OK);
		ldns_pkt_push_rr(a->pkt, LDNS_SECTION_AUTHORITY, rr);
	}
}

static const char *const key_signed[] = {KEY, KEY_SIG, NULL};
static const char *const key_unsigned[] = {KEY, NULL};
static const char *const ds_signed[] = {DS, DS_SIG, NULL};
static const char *const ds_unsigned[] = {DS, NULL};
static const char *const denial_parent[] = {PARENT_SOA, NSEC, NSEC_SIG, NULL};
static const char *const denial_unsigned[] = {PARENT_SOA, NSEC, NULL};
static const char *const denial_child[] = {CHILD_SOA, NULL};

/* The forwarder's DNSKEY and DS answers -> its fault, the query that showed it, the words. */
static const struct {
	const char *rule;
	enum dns_class key_cls;
	const char *const *key_an;
	enum dns_error key_error; /* DNS_ERROR: why */
	bool ask_ds;
	enum dns_class ds_cls;
	const char *const *ds_an, *const *ds_ns;
	enum dns_forwarder_fault fault;
	ldns_rr_type type;
	const char *words; /* of the verdict, when a fault */
} forwarders[] = {
    {"signed DNSKEY and DS: it passes DNSSEC data", DNS_INSECURE, key_signed, DNS_ERR_NONE, true,
     DNS_INSECURE, ds_signed, NULL, DNS_FWD_OK, LDNS_RR_TYPE_DS, NULL},
    {"a signed DS denial from the parent passes too", DNS_INSECURE, key_signed, DNS_ERR_NONE, true,
     DNS_NONEXISTENT, NULL, denial_parent, DNS_FWD_OK, LDNS_RR_TYPE_DS, NULL},
    {"a DNSKEY without signatures: stripped", DNS_INSECURE, key_unsigned, DNS_ERR_NONE, true,
     DNS_INSECURE, ds_signed, NULL, DNS_FWD_UNSIGNED, LDNS_RR_TYPE_DNSKEY,
     "its answer to the DNSKEY query of test. came without signatures (RRSIG)"},
    {"no DNSKEY at the trust anchor", DNS_NONEXISTENT, NULL, DNS_ERR_NONE, false, DNS_ERROR, NULL,
     NULL, DNS_FWD_NO_RECORDS, LDNS_RR_TYPE_DNSKEY,
     "it has no DNSKEY RRset for the trust anchor test."},
    {"SERVFAIL for the DNSKEY", DNS_ERROR, NULL, DNS_ERR_SERVFAIL, true, DNS_INSECURE, ds_signed,
     NULL, DNS_FWD_FAILED, LDNS_RR_TYPE_DNSKEY,
     "its answer to the DNSKEY query of test.: SERVFAIL, also with CD (the resolver cannot "
     "get an answer, not a validation failure)"},
    {"no answer at all shows nothing", DNS_ERROR, NULL, DNS_ERR_TIMEOUT, true, DNS_INSECURE,
     ds_signed, NULL, DNS_FWD_NO_ANSWER, LDNS_RR_TYPE_DNSKEY, NULL},
    {"a DS without signatures: stripped", DNS_INSECURE, key_signed, DNS_ERR_NONE, true,
     DNS_INSECURE, ds_unsigned, NULL, DNS_FWD_UNSIGNED, LDNS_RR_TYPE_DS,
     "its answer to the DS query of a.test. came without signatures (RRSIG)"},
    {"an unsigned DS denial: stripped", DNS_INSECURE, key_signed, DNS_ERR_NONE, true,
     DNS_NONEXISTENT, NULL, denial_unsigned, DNS_FWD_UNSIGNED, LDNS_RR_TYPE_DS, NULL},
    {"a DS denial from the child zone: asked the wrong side", DNS_INSECURE, key_signed,
     DNS_ERR_NONE, true, DNS_NONEXISTENT, NULL, denial_child, DNS_FWD_FROM_CHILD, LDNS_RR_TYPE_DS,
     "it answers the DS query of a.test. from the child zone (its own SOA), not from the "
     "parent"},
    {"the anchor itself: the DNSKEY alone decides", DNS_INSECURE, key_signed, DNS_ERR_NONE, false,
     DNS_ERROR, NULL, NULL, DNS_FWD_OK, LDNS_RR_TYPE_DNSKEY, NULL},
};

START_TEST(a_forwarder_is_judged_by_its_dnskey_and_ds_answers)
{
	struct dns_answer key, ds;
	struct dns_trust_result r = {.judged = true, .local = true};
	enum dns_forwarder_fault f;

	records(&key, forwarders[_i].key_cls, forwarders[_i].key_an, NULL);
	if (forwarders[_i].key_cls == DNS_ERROR) {
		key.error = forwarders[_i].key_error;
		key.fail = (struct dns_failure){
		    .kind = key.error == DNS_ERR_TIMEOUT ? DNS_FAIL_TIMEOUT : DNS_FAIL_SERVFAIL,
		    .cd_retry = true};
	}
	records(&ds, forwarders[_i].ds_cls, forwarders[_i].ds_an, forwarders[_i].ds_ns);
	f = dns_trust_forwarder_judge(&key, forwarders[_i].ask_ds ? &ds : NULL,
				      forwarders[_i].ask_ds ? "a.test." : NULL, &r);
	ck_assert_msg(f == forwarders[_i].fault, "%s: fault %d", forwarders[_i].rule, f);
	ck_assert_int_eq(r.fault_type, forwarders[_i].type);
	if (forwarders[_i].words != NULL) {
		r.verdict = DNS_TRUST_NO_DNSSEC_DATA;
		r.fault = f;
		snprintf(r.name, sizeof(r.name), "%s",
			 r.fault_type == LDNS_RR_TYPE_DS ? "a.test." : "test.");
		ck_assert_str_eq(verdict_words(&r), forwarders[_i].words);
	}
	dns_answer_clear(&key);
	dns_answer_clear(&ds);
}
END_TEST

static Suite *
trust_suite(void)
{
	Suite *s = suite_create("dns_trust");
	TCase *tc = tcase_create("dns_trust");

	tcase_add_loop_test(tc, names_are_the_zone_and_its_ancestors, 0,
			    sizeof(name_cases) / sizeof(name_cases[0]));
	tcase_add_test(tc, signed_ds_with_ad_above_the_zone_means_the_resolver_validates);
	tcase_add_test(tc, a_validated_ds_of_the_zone_itself_means_the_zone_is_not_validated);
	tcase_add_test(tc, signed_ds_without_ad_means_it_does_not_validate);
	tcase_add_test(tc, a_signed_denial_of_ds_decides_too);
	tcase_add_test(tc, unsigned_answers_pass_the_question_up);
	tcase_add_test(tc, nothing_signed_proves_nothing);
	tcase_add_test(tc, bogus_answers_are_skipped);
	tcase_add_test(tc, the_signer_is_read_from_the_first_rrsig);
	tcase_add_loop_test(tc, a_judgement_keeps_the_facts_it_was_made_from, 0,
			    sizeof(judgement_facts) / sizeof(judgement_facts[0]));
	tcase_add_loop_test(tc, verdicts_are_said_from_their_facts, 0,
			    sizeof(trust_words) / sizeof(trust_words[0]));
	tcase_add_test(tc, trust_words_are_cut_as_they_always_were);
	tcase_add_test(tc, a_failed_ds_lookup_leaves_it_open);
	tcase_add_test(tc, a_failed_ds_lookup_does_not_hide_a_decision_above);
	tcase_add_test(tc, a_timeout_is_no_failed_lookup);
	tcase_add_loop_test(tc, a_forwarder_is_judged_by_its_dnskey_and_ds_answers, 0,
			    sizeof(forwarders) / sizeof(forwarders[0]));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(trust_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
