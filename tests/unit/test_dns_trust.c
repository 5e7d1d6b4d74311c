/*
 * test_dns_trust.c -- telling a non-validating resolver from an unsigned
 * domain (issue 13): the names asked about, the verdict from DS answers
 * with and without signatures and AD, the facts it keeps and their words.
 */
#include "config.h"

#include <check.h>
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
