/*
 * test_verdict_resolver.c -- the resolver verdicts on facts, no network (table-driven).
 *
 * The answers check_dnssec_resolver gets (struct dns_answer: class, AD,
 * rcodes, records, EDE, time) are built here by hand and judged by
 * verdict_resolver(): each case asserts the code, the state and the subject
 * of the finding, some the exact words, the params, the perfdata and the
 * summary.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns_sentinel.h"
#include "verdict_resolver.h"
#include "verdict_test.h"

#define RESOLVER   "192.0.2.53@5353"
#define RESOLVER2  "2001:db8::53"
#define SIGNED     "example.test."
#define SIGNED_RSA "rsa.example.test."
#define BOGUS      "bogus.example.test."

/* One answer as the query engine would fill it. */
struct answer_spec {
	enum dns_class cls;
	bool ad;
	int rcode;              /* a->rcode: of the first reply, -1: none */
	int pkt_rcode;          /* of the final packet (the CD answer when bogus); -1: no packet */
	const char *const *rrs; /* its answer section, NULL-ended, or NULL */
	enum dns_error error;   /* DNS_ERROR: why, with the facts of fail */
	struct dns_failure fail;
	double rtt;
	int ede_code; /* -1: no EDE */
	const char *ede_text;
};

static const char *const soa_ecdsa[] = {
    SIGNED " 300 IN SOA ns.example.test. hostmaster.example.test. 1 3600 900 604800 300",
    SIGNED " 300 IN RRSIG SOA 13 2 300 20300101000000 20200101000000 12345 example.test. AAAA",
    NULL,
};
static const char *const soa_rsasha1[] = {
    SIGNED_RSA " 300 IN SOA ns.example.test. hostmaster.example.test. 1 3600 900 604800 300",
    SIGNED_RSA " 300 IN RRSIG SOA 5 3 300 20300101000000 20200101000000 1 rsa.example.test. AAAA",
    NULL,
};
static const char *const soa_unsigned[] = {
    SIGNED " 300 IN SOA ns.example.test. hostmaster.example.test. 1 3600 900 604800 300",
    NULL,
};
static const char *const a_bogus[] = {
    BOGUS " 300 IN A 192.0.2.66",
    BOGUS " 300 IN RRSIG A 13 3 300 20300101000000 20200101000000 12345 example.test. AAAA",
    NULL,
};

/* The answers of the table. */
#define SECURE_SOA                                                                                 \
	{                                                                                          \
		DNS_SECURE, true, LDNS_RCODE_NOERROR, LDNS_RCODE_NOERROR, soa_ecdsa, DNS_ERR_NONE, \
		    {0}, 0.045, -1, NULL                                                           \
	}
#define SECURE_NODATA                                                                              \
	{                                                                                          \
		DNS_NONEXISTENT, true, LDNS_RCODE_NOERROR, LDNS_RCODE_NOERROR, NULL, DNS_ERR_NONE, \
		    {0}, 0.012, -1, NULL                                                           \
	}
#define INSECURE_SOA                                                                               \
	{                                                                                          \
		DNS_INSECURE, false, LDNS_RCODE_NOERROR, LDNS_RCODE_NOERROR, soa_unsigned,         \
		    DNS_ERR_NONE, {0}, 0.0003, -1, NULL                                            \
	}
#define SIGNED_NO_AD                                                                               \
	{                                                                                          \
		DNS_INSECURE, false, LDNS_RCODE_NOERROR, LDNS_RCODE_NOERROR, soa_ecdsa,            \
		    DNS_ERR_NONE, {0}, 0.02, -1, NULL                                              \
	}
#define RSASHA1_NO_AD                                                                              \
	{                                                                                          \
		DNS_INSECURE, false, LDNS_RCODE_NOERROR, LDNS_RCODE_NOERROR, soa_rsasha1,          \
		    DNS_ERR_NONE, {0}, 0.00004, -1, NULL                                           \
	}
#define BOGUS_SOA                                                                                  \
	{                                                                                          \
		DNS_BOGUS, false, LDNS_RCODE_SERVFAIL, LDNS_RCODE_NOERROR, soa_ecdsa,              \
		    DNS_ERR_NONE, {0}, 0.1, 7, "signature expired"                                 \
	}
#define TIMEOUT                                                                                    \
	{                                                                                          \
		DNS_ERROR, false, -1, -1, NULL, DNS_ERR_TIMEOUT,                                   \
		    {.kind = DNS_FAIL_TIMEOUT, .seconds = 5, .stage = "asking the resolvers"}, 0,  \
		    -1, NULL                                                                       \
	}
#define REFUSED                                                                                    \
	{                                                                                          \
		DNS_ERROR, false, LDNS_RCODE_REFUSED, -1, NULL, DNS_ERR_REFUSED,                   \
		    {.kind = DNS_FAIL_RCODE, .rcode = LDNS_RCODE_REFUSED}, 0.001, -1, NULL         \
	}
#define BOGUS_REJECTED                                                                             \
	{                                                                                          \
		DNS_BOGUS, false, LDNS_RCODE_SERVFAIL, LDNS_RCODE_NOERROR, a_bogus, DNS_ERR_NONE,  \
		    {0}, 0.2, 6, "signature crypto failed"                                         \
	}
#define BOGUS_RETURNED                                                                             \
	{                                                                                          \
		DNS_INSECURE, false, LDNS_RCODE_NOERROR, LDNS_RCODE_NOERROR, a_bogus,              \
		    DNS_ERR_NONE, {0}, 0.002, -1, NULL                                             \
	}
#define BOGUS_NXDOMAIN                                                                             \
	{                                                                                          \
		DNS_NONEXISTENT, false, LDNS_RCODE_NXDOMAIN, LDNS_RCODE_NXDOMAIN, NULL,            \
		    DNS_ERR_NONE, {0}, 0.002, -1, NULL                                             \
	}
#define SERVFAIL_ALSO_CD                                                                           \
	{                                                                                          \
		DNS_ERROR, false, LDNS_RCODE_SERVFAIL, -1, NULL, DNS_ERR_SERVFAIL,                 \
		    {.kind = DNS_FAIL_SERVFAIL, .cd_retry = true}, 0.3, 22, ""                     \
	}

/* Push the records of rrs (presentation format, NULL-ended) into the answer section. */
static void
push_rrs(ldns_pkt *pkt, const char *const *rrs)
{
	for (; rrs != NULL && *rrs != NULL; rrs++) {
		ldns_rr *rr = NULL;

		ck_assert_msg(ldns_rr_new_frm_str(&rr, *rrs, 0, NULL, NULL) == LDNS_STATUS_OK, "%s",
			      *rrs);
		ck_assert(ldns_pkt_push_rr(pkt, LDNS_SECTION_ANSWER, rr));
	}
}

/* The query of name and type with the answer of spec. */
static struct dns_query
query_of(const char *name, ldns_rr_type type, int server, const struct answer_spec *spec)
{
	struct dns_query q = {.name = name, .type = type, .server = server};
	struct dns_answer *a = &q.answer;
	ldns_rdf *qname = NULL;

	a->cls = spec->cls;
	a->secure = spec->ad;
	a->nxdomain = spec->pkt_rcode == LDNS_RCODE_NXDOMAIN;
	a->error = spec->error;
	a->rcode = spec->rcode;
	a->rtt = spec->rtt;
	a->server = spec->rcode >= 0 ? server : -1;
	a->fail = spec->fail;
	if (spec->ede_code >= 0) {
		a->ede.n = a->ede.total = 1;
		a->ede.ede[0].code = (uint16_t)spec->ede_code;
		a->ede.ede[0].raw_len = strlen(spec->ede_text);
		memcpy(a->ede.ede[0].raw, spec->ede_text, a->ede.ede[0].raw_len);
	}
	if (spec->pkt_rcode < 0)
		return q;
	ck_assert_int_eq(ldns_str2rdf_dname(&qname, name), LDNS_STATUS_OK);
	a->pkt = ldns_pkt_query_new(qname, type, LDNS_RR_CLASS_IN, LDNS_RD);
	ck_assert_ptr_nonnull(a->pkt);
	ldns_pkt_set_qr(a->pkt, true);
	ldns_pkt_set_ad(a->pkt, spec->ad);
	ldns_pkt_set_rcode(a->pkt, (uint8_t)spec->pkt_rcode);
	push_rrs(a->pkt, spec->rrs);
	return q;
}

/* A run: the resolvers, what they were asked, their answers and the result. */
struct run {
	struct dns_resolver res;
	const char *signed_names[2];
	struct verdict_resolver_ask ask;
	struct range warning, critical;
	struct dns_query q[8];
	size_t nq;
	struct output *out;
};

/*
 * Judge the answers of nres resolvers (the same answers from each): nsigned
 * signed names (SIGNED, SIGNED_RSA), the bogus name when bogus is given,
 * with -w/-c when given (NULL: none).
 */
static void
run_judge(struct run *r, size_t nres, const struct answer_spec *signed_answers, size_t nsigned,
	  const struct answer_spec *bogus, const char *warning, const char *critical)
{
	static const char *const resolvers[] = {RESOLVER, RESOLVER2};
	char err[128];
	size_t i, k;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < nres; i++)
		ck_assert_int_eq(dns_resolver_add(&r->res, resolvers[i], 53, err, sizeof(err)), 0);
	r->signed_names[0] = SIGNED;
	r->signed_names[1] = SIGNED_RSA;
	r->ask.signed_names = r->signed_names;
	r->ask.nsigned = nsigned;
	r->ask.bogus_name = bogus != NULL ? BOGUS : NULL;
	if (warning != NULL) {
		ck_assert_int_eq(range_parse(warning, &r->warning, err, sizeof(err)), 0);
		r->ask.warning = &r->warning;
	}
	if (critical != NULL) {
		ck_assert_int_eq(range_parse(critical, &r->critical, err, sizeof(err)), 0);
		r->ask.critical = &r->critical;
	}
	for (i = 0; i < nres; i++) {
		for (k = 0; k < nsigned; k++)
			r->q[r->nq++] = query_of(r->signed_names[k], LDNS_RR_TYPE_SOA, (int)i,
						 &signed_answers[k]);
		if (bogus != NULL)
			r->q[r->nq++] = query_of(BOGUS, LDNS_RR_TYPE_A, (int)i, bogus);
	}
	ck_assert_uint_eq(r->nq, nres * verdict_resolver_nqueries(&r->ask));
	r->out = output_new("DNSSEC_RESOLVER");
	ck_assert_ptr_nonnull(r->out);
	verdict_resolver(&r->ask, &r->res, r->q, NULL, r->out);
	ck_assert(!output_oom(r->out));
}

static void
run_free(struct run *r)
{
	size_t i;

	for (i = 0; i < r->nq; i++)
		dns_answer_clear(&r->q[i].answer);
	output_free(r->out);
}

/* Answers -> the finding of a code, its state, the name it is about, its words. */
static const struct {
	const char *what;
	struct answer_spec signed_answers[2];
	size_t nsigned;
	bool has_bogus;
	struct answer_spec bogus;
	const char *warning, *critical;
	enum finding_code code;
	state_t state;
	const char *name;
	const char *text; /* NULL: not compared */
} cases[] = {
    {"a signed name with AD validates",
     {SECURE_SOA},
     1,
     false,
     {0},
     NULL,
     NULL,
     FC_RESOLVER_VALIDATES,
     STATE_OK,
     SIGNED,
     RESOLVER " validates: asked " SIGNED " SOA, got NOERROR, 1 SOA record + RRSIG, AD set "
	      "(validated, secure), signed with ECDSAP256SHA256 (13) in 0.045 s"},
    {"a validated denial validates",
     {SECURE_NODATA},
     1,
     false,
     {0},
     NULL,
     NULL,
     FC_RESOLVER_VALIDATES,
     STATE_OK,
     SIGNED,
     RESOLVER " validates: asked " SIGNED " SOA, got NOERROR/NODATA, AD set (validated denial) "
	      "in 0.012 s"},
    {"-w fires on the response time",
     {SECURE_SOA},
     1,
     false,
     {0},
     "0.01",
     "1",
     FC_RESOLVER_SLOW,
     STATE_WARNING,
     SIGNED,
     RESOLVER " validates: asked " SIGNED " SOA, got NOERROR, 1 SOA record + RRSIG, AD set "
	      "(validated, secure), signed with ECDSAP256SHA256 (13) in 0.045 s (response time "
	      "threshold)"},
    {"-c fires on the response time",
     {SECURE_SOA},
     1,
     false,
     {0},
     "0.01",
     "@0:1",
     FC_RESOLVER_SLOW,
     STATE_CRITICAL,
     SIGNED,
     NULL},
    {"no AD on an unsigned answer",
     {INSECURE_SOA},
     1,
     false,
     {0},
     NULL,
     NULL,
     FC_RESOLVER_NO_AD,
     STATE_CRITICAL,
     SIGNED,
     RESOLVER " does not validate DNSSEC: asked " SIGNED " SOA, got NOERROR, 1 SOA record, no AD "
	      "(not validated) in 0.3 ms (is " SIGNED " signed?)"},
    {"no AD on a signed answer, nothing validates",
     {SIGNED_NO_AD},
     1,
     false,
     {0},
     NULL,
     NULL,
     FC_RESOLVER_NO_AD,
     STATE_CRITICAL,
     SIGNED,
     RESOLVER
     " does not validate DNSSEC: asked " SIGNED " SOA, got NOERROR, 1 SOA record + "
     "RRSIG, no AD (not validated), signed with ECDSAP256SHA256 (13) in 0.020 s (is " SIGNED
     " signed?)"},
    {"no AD on one algorithm while another validates",
     {SECURE_SOA, RSASHA1_NO_AD},
     2,
     false,
     {0},
     NULL,
     NULL,
     FC_RESOLVER_ALGORITHM_NOT_VALIDATED,
     STATE_CRITICAL,
     SIGNED_RSA,
     RESOLVER " does not validate algorithm RSASHA1 (5): asked " SIGNED_RSA " SOA, got NOERROR, "
	      "1 SOA record + RRSIG, no AD (not validated) in 40 us: the name is signed but comes "
	      "back unvalidated while other names validate (a crypto policy that disables the "
	      "algorithm?)"},
    {"a signed name that fails validation",
     {BOGUS_SOA},
     1,
     false,
     {0},
     NULL,
     NULL,
     FC_RESOLVER_SIGNED_NAME_FAILS,
     STATE_CRITICAL,
     SIGNED,
     RESOLVER " fails to validate the signed name " SIGNED ": SERVFAIL; with CD: NOERROR, the "
	      "data does not validate (bogus); EDE 7 (Signature Expired): signature expired; check "
	      "the resolver's trust anchor and clock"},
    {"no answer for a signed name",
     {TIMEOUT},
     1,
     false,
     {0},
     NULL,
     NULL,
     FC_RESOLVER_NO_ANSWER,
     STATE_CRITICAL,
     SIGNED,
     RESOLVER ": no answer for " SIGNED " SOA: timed out after 5 s while asking the resolvers"},
    {"REFUSED for a signed name",
     {REFUSED},
     1,
     false,
     {0},
     NULL,
     NULL,
     FC_RESOLVER_NO_ANSWER,
     STATE_CRITICAL,
     SIGNED,
     NULL},
    {"bogus data rejected",
     {SECURE_SOA},
     1,
     true,
     BOGUS_REJECTED,
     NULL,
     NULL,
     FC_RESOLVER_REJECTS_BOGUS,
     STATE_OK,
     BOGUS,
     RESOLVER
     " rejects bogus data: asked " BOGUS " A, got SERVFAIL; with CD: NOERROR, the data "
     "does not validate (bogus); EDE 6 (DNSSEC Bogus): signature crypto failed in 0.200 s"},
    {"bogus data rejected, slowly",
     {SECURE_SOA},
     1,
     true,
     BOGUS_REJECTED,
     "0.1",
     NULL,
     FC_RESOLVER_SLOW,
     STATE_WARNING,
     BOGUS,
     NULL},
    {"bogus data returned",
     {SECURE_SOA},
     1,
     true,
     BOGUS_RETURNED,
     NULL,
     NULL,
     FC_RESOLVER_ACCEPTS_BOGUS,
     STATE_CRITICAL,
     BOGUS,
     RESOLVER " returned bogus data for " BOGUS " A (NOERROR, 1 A record + RRSIG, no AD (not "
	      "validated)): it does not reject data that fails validation"},
    {"no data for the bogus name",
     {SECURE_SOA},
     1,
     true,
     BOGUS_NXDOMAIN,
     NULL,
     NULL,
     FC_RESOLVER_BOGUS_INCONCLUSIVE,
     STATE_WARNING,
     BOGUS,
     "bogus probe inconclusive: " RESOLVER " answered " BOGUS " A with NXDOMAIN, no AD (not "
     "validated); use a name whose data exists but does not validate"},
    {"SERVFAIL also with CD for the bogus name",
     {SECURE_SOA},
     1,
     true,
     SERVFAIL_ALSO_CD,
     NULL,
     NULL,
     FC_RESOLVER_BOGUS_INCONCLUSIVE,
     STATE_WARNING,
     BOGUS,
     RESOLVER ": bogus probe inconclusive for " BOGUS " A: SERVFAIL, also with CD (the resolver "
	      "cannot get an answer, not a validation failure); EDE 22 (No Reachable Authority)"},
    {"no answer for the bogus name",
     {SECURE_SOA},
     1,
     true,
     TIMEOUT,
     NULL,
     NULL,
     FC_RESOLVER_NO_ANSWER,
     STATE_CRITICAL,
     BOGUS,
     RESOLVER ": no answer for " BOGUS " A: timed out after 5 s while asking the resolvers"},
};

START_TEST(answers_make_their_finding)
{
	struct run r;
	const struct finding *f;

	run_judge(&r, 1, cases[_i].signed_answers, cases[_i].nsigned,
		  cases[_i].has_bogus ? &cases[_i].bogus : NULL, cases[_i].warning,
		  cases[_i].critical);
	f = vt_expect(r.out, cases[_i].code, cases[_i].state,
		      &(struct finding_subject){.resolver = RESOLVER, .name = cases[_i].name});
	if (cases[_i].text != NULL)
		ck_assert_str_eq(f->text, cases[_i].text);
	ck_assert_int_eq(output_state(r.out), cases[_i].state);
	run_free(&r);
}
END_TEST

/* The whole text of a validating resolver: summary, perfdata, detail line. */
START_TEST(a_validating_resolver_in_text)
{
	static const struct answer_spec ok[] = {SECURE_SOA};
	struct run r;
	char *text;

	run_judge(&r, 1, ok, 1, NULL, NULL, NULL);
	text = output_render_text(r.out);
	ck_assert_str_eq(text, "DNSSEC_RESOLVER OK - " RESOLVER " validates DNSSEC (" SIGNED
			       " SOA with AD in 0.045 s) | 'time'=0.045s;;;0\n"
			       "[OK] " RESOLVER " validates: asked " SIGNED
			       " SOA, got NOERROR, 1 SOA record + RRSIG, AD set (validated, "
			       "secure), signed with ECDSAP256SHA256 (13) in 0.045 s\n");
	free(text);
	run_free(&r);
}
END_TEST

/* The summary of a run that passed, per number of resolvers, -q names and -b. */
static const struct {
	size_t nres, nsigned;
	bool bogus;
	const char *summary;
} summaries[] = {
    {1, 1, false, RESOLVER " validates DNSSEC (" SIGNED " SOA with AD in 0.045 s)"},
    {1, 2, true,
     RESOLVER " validates DNSSEC (" SIGNED " SOA with AD in 0.045 s, and every other -q name, "
	      "bogus data rejected)"},
    {2, 1, false, "all 2 resolvers validate DNSSEC"},
    {2, 2, true, "all 2 resolvers validate DNSSEC and reject bogus data"},
};

START_TEST(a_run_that_passed_says_so)
{
	static const struct answer_spec ok[] = {SECURE_SOA, SECURE_NODATA}, bogus = BOGUS_REJECTED;
	struct run r;

	run_judge(&r, summaries[_i].nres, ok, summaries[_i].nsigned,
		  summaries[_i].bogus ? &bogus : NULL, NULL, NULL);
	ck_assert_int_eq(output_state(r.out), STATE_OK);
	ck_assert_str_eq(output_summary_text(r.out), summaries[_i].summary);
	run_free(&r);
}
END_TEST

START_TEST(a_run_that_failed_is_summed_up_by_its_worst_finding)
{
	static const struct answer_spec answers[] = {SECURE_SOA, RSASHA1_NO_AD};
	struct run r;

	run_judge(&r, 1, answers, 2, NULL, NULL, NULL);
	ck_assert_str_eq(output_summary_text(r.out),
			 vt_find(r.out, FC_RESOLVER_ALGORITHM_NOT_VALIDATED)->text);
	run_free(&r);
}
END_TEST

/* Every signed name validated, but the bogus probe proved nothing: no summary of success. */
START_TEST(an_inconclusive_bogus_probe_is_no_pass)
{
	static const struct answer_spec answers[] = {SECURE_SOA};
	static const struct answer_spec nx = BOGUS_NXDOMAIN;
	struct run r;

	run_judge(&r, 1, answers, 1, &nx, NULL, NULL);
	ck_assert_int_eq(output_state(r.out), STATE_WARNING);
	ck_assert_str_eq(output_summary_text(r.out),
			 vt_find(r.out, FC_RESOLVER_BOGUS_INCONCLUSIVE)->text);
	run_free(&r);
}
END_TEST

/* Perfdata: one time per answer, labelled by name and (several) resolver. */
START_TEST(every_answer_has_its_time_in_perfdata)
{
	static const struct answer_spec answers[] = {SECURE_SOA, TIMEOUT};
	static const struct answer_spec bogus = BOGUS_REJECTED;
	static const char *const labels[] = {
	    "time_" RESOLVER,  "time_" SIGNED_RSA "_" RESOLVER,  "bogus_time_" RESOLVER,
	    "time_" RESOLVER2, "time_" SIGNED_RSA "_" RESOLVER2, "bogus_time_" RESOLVER2,
	};
	const struct perfdata_item *pd;
	struct run r;
	size_t n, i;

	run_judge(&r, 2, answers, 2, &bogus, "1", "2");
	pd = output_perfdata_items(r.out, &n);
	ck_assert_uint_eq(n, 6);
	for (i = 0; i < n; i++) {
		ck_assert_str_eq(pd[i].label, labels[i]);
		ck_assert_str_eq(pd[i].uom, "s");
		ck_assert(pd[i].has_warn && pd[i].has_crit && pd[i].has_min);
		ck_assert(pd[i].unknown == (i % 3 == 1)); /* the timeout */
	}
	ck_assert_double_eq(pd[0].value, 0.045);
	run_free(&r);

	run_judge(&r, 1, answers, 2, &bogus, NULL, NULL);
	pd = output_perfdata_items(r.out, &n);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(pd[0].label, "time");
	ck_assert_str_eq(pd[1].label, "time_" SIGNED_RSA);
	ck_assert_str_eq(pd[2].label, "bogus_time");
	ck_assert(!pd[0].has_warn && !pd[0].has_crit);
	run_free(&r);
}
END_TEST

/* With -v the records of an answer are lines below it. */
START_TEST(answer_records_are_shown_from_one_v_on)
{
	static const struct answer_spec answers[] = {SECURE_SOA};
	static const struct answer_spec bogus = BOGUS_RETURNED;
	const struct finding *f, *rec;
	struct run r;
	char *text;

	run_judge(&r, 1, answers, 1, &bogus, NULL, NULL);
	f = vt_find(r.out, FC_RESOLVER_VALIDATES);
	ck_assert_ptr_nonnull(f);
	rec = f->first_child;
	ck_assert_ptr_nonnull(rec);
	ck_assert_int_eq(rec->code, FC_RESOLVER_ANSWER_RECORD);
	ck_assert_int_eq(rec->level, 1);
	ck_assert_str_eq(rec->text, soa_ecdsa[0]);
	ck_assert_str_eq(finding_param(rec, "record")->string, soa_ecdsa[0]);
	ck_assert_ptr_nonnull(rec->next); /* the RRSIG */
	ck_assert_ptr_null(rec->next->next);
	f = vt_find(r.out, FC_RESOLVER_ACCEPTS_BOGUS);
	ck_assert_ptr_nonnull(f->first_child);
	ck_assert_str_eq(f->first_child->text, a_bogus[0]);
	vt_expect(r.out, FC_RESOLVER_ANSWER_RECORD, STATE_OK,
		  &(struct finding_subject){.resolver = RESOLVER, .name = SIGNED});
	text = output_render_text(r.out);
	ck_assert_ptr_null(strstr(text, "IN SOA")); /* hidden without -v */
	free(text);
	output_set_verbosity(r.out, 1);
	text = output_render_text(r.out);
	ck_assert_ptr_nonnull(strstr(text, "\n    [OK] " SIGNED " 300 IN SOA "));
	free(text);
	run_free(&r);
}
END_TEST

START_TEST(params_carry_the_facts)
{
	static const struct answer_spec answers[] = {SECURE_SOA, BOGUS_SOA};
	static const struct answer_spec servfail = SERVFAIL_ALSO_CD;
	const struct finding *f;
	struct run r;

	run_judge(&r, 1, answers, 2, &servfail, "0.01", NULL);
	f = vt_find(r.out, FC_RESOLVER_SLOW);
	ck_assert_str_eq(finding_param(f, "qtype")->string, "SOA");
	ck_assert_str_eq(finding_param(f, "rcode")->string, "NOERROR");
	ck_assert(finding_param(f, "ad")->boolean);
	ck_assert_double_eq(finding_param(f, "rtt")->number, 0.045);
	ck_assert_int_eq(finding_param(f, "algorithm")->integer, 13);
	ck_assert_str_eq(finding_param(f, "algorithm_name")->string, "ECDSAP256SHA256");
	ck_assert_str_eq(finding_param(f, "warning")->string, "0.01");
	ck_assert_ptr_null(finding_param(f, "critical"));
	ck_assert_ptr_null(finding_param(f, "ede_code"));

	f = vt_find(r.out, FC_RESOLVER_SIGNED_NAME_FAILS);
	ck_assert_str_eq(finding_param(f, "rcode")->string, "SERVFAIL");
	ck_assert_str_eq(finding_param(f, "cd_rcode")->string, "NOERROR");
	ck_assert(!finding_param(f, "ad")->boolean);
	ck_assert_int_eq(finding_param(f, "ede_code")->integer, 7);
	ck_assert_str_eq(finding_param(f, "ede_text")->string, "signature expired");

	f = vt_find(r.out, FC_RESOLVER_BOGUS_INCONCLUSIVE);
	ck_assert_str_eq(finding_param(f, "qtype")->string, "A");
	ck_assert_str_eq(finding_param(f, "rcode")->string, "SERVFAIL");
	ck_assert_str_eq(finding_param(f, "cd_rcode")->string, "SERVFAIL");
	ck_assert_str_eq(finding_param(f, "error")->string, "servfail");
	ck_assert_int_eq(finding_param(f, "ede_code")->integer, 22);
	ck_assert_ptr_null(finding_param(f, "ede_text"));
	ck_assert_ptr_null(finding_param(f, "ad"));
	ck_assert_ptr_null(finding_param(f, "rtt"));
	run_free(&r);
}
END_TEST

START_TEST(no_answer_says_why_in_a_word)
{
	static const struct answer_spec answers[] = {TIMEOUT, REFUSED};
	const struct finding *f;
	struct run r;

	run_judge(&r, 1, answers, 2, NULL, NULL, NULL);
	f = vt_find(r.out, FC_RESOLVER_NO_ANSWER);
	ck_assert_str_eq(finding_param(f, "error")->string, "timeout");
	ck_assert_ptr_null(finding_param(f, "rcode"));
	ck_assert_str_eq(finding_param(f->next, "error")->string, "refused");
	ck_assert_str_eq(finding_param(f->next, "rcode")->string, "REFUSED");
	ck_assert_uint_eq(output_count(r.out, STATE_CRITICAL), 2);
	run_free(&r);
}
END_TEST

/* --- --validate=local: the second opinion ---------------------------------- */

#define WHY "validation failure <" SIGNED " SOA IN>: signature crypto failed from 192.0.2.53"

/* A local answer (validated here) of spec, with why as libunbound's why_bogus. */
static struct dns_query
local_of(const char *name, ldns_rr_type type, const struct answer_spec *spec, const char *why)
{
	struct dns_query q = query_of(name, type, -1, spec);

	q.answer.local = true;
	if (why != NULL)
		snprintf(q.answer.why_bogus, sizeof(q.answer.why_bogus), "%s", why);
	return q;
}

#define LOCAL_SECURE   SECURE_SOA
#define LOCAL_INSECURE INSECURE_SOA
#define LOCAL_BOGUS                                                                                \
	{                                                                                          \
		DNS_BOGUS, false, LDNS_RCODE_NOERROR, LDNS_RCODE_NOERROR, soa_ecdsa, DNS_ERR_NONE, \
		    {0}, 0.01, -1, NULL                                                            \
	}
#define LOCAL_SERVFAIL                                                                             \
	{                                                                                          \
		DNS_ERROR, false, LDNS_RCODE_SERVFAIL, -1, NULL, DNS_ERR_SERVFAIL,                 \
		    {.kind = DNS_FAIL_SERVFAIL, .rcode = LDNS_RCODE_SERVFAIL, .local = true}, 0.3, \
		    -1, NULL                                                                       \
	}

/* The resolver's answer and local validation's -> the second opinion's finding. */
static const struct {
	const char *rule;
	struct answer_spec resolver, local;
	enum finding_code code;
	state_t state;
	const char *text; /* NULL: not compared */
} second_opinions[] = {
    {"both secure: local validation agrees (OK, under the resolver's finding)", SECURE_SOA,
     LOCAL_SECURE, FC_RESOLVER_LOCAL_AGREES, STATE_OK,
     "local validation agrees: NOERROR, 1 SOA record + RRSIG, validated here: secure"},
    {"the resolver says secure, local validation bogus: CRITICAL with the why", SECURE_SOA,
     LOCAL_BOGUS, FC_RESOLVER_LOCAL_BOGUS, STATE_CRITICAL,
     RESOLVER " says " SIGNED " SOA is secure, local validation says bogus (NOERROR, the data "
	      "does not validate (bogus, validated here: " WHY ")): the resolver vouches for "
	      "data that does not validate"},
    {"the resolver says secure, local validation insecure: WARNING (a private anchor?)", SECURE_SOA,
     LOCAL_INSECURE, FC_RESOLVER_LOCAL_DISAGREES, STATE_WARNING, NULL},
    {"the resolver does not validate what validates here: CRITICAL", SIGNED_NO_AD, LOCAL_SECURE,
     FC_RESOLVER_LOCAL_DISAGREES, STATE_CRITICAL,
     RESOLVER " says " SIGNED " SOA is insecure, local validation says secure (NOERROR, 1 SOA "
	      "record + RRSIG, validated here: secure): the resolver does not validate it"},
    {"the resolver fails what validates here: CRITICAL", BOGUS_SOA, LOCAL_SECURE,
     FC_RESOLVER_LOCAL_DISAGREES, STATE_CRITICAL, NULL},
    {"no answer here: no second opinion, a WARNING", SECURE_SOA, LOCAL_SERVFAIL,
     FC_RESOLVER_LOCAL_FAILED, STATE_WARNING,
     RESOLVER ": no second opinion on " SIGNED " SOA: local validation got SERVFAIL (local "
	      "validation got no answer through the resolver)"},
};

/* A run with --validate=local: one resolver, one signed name; fwd: its forwarder check. */
static void
run_local(struct run *r, const struct answer_spec *resolver, const struct answer_spec *local,
	  const struct dns_trust_result *fwd, struct dns_query *lq)
{
	const struct verdict_resolver_local l = {.queries = lq, .forwarder = fwd};
	char err[128];

	memset(r, 0, sizeof(*r));
	ck_assert_int_eq(dns_resolver_add(&r->res, RESOLVER, 53, err, sizeof(err)), 0);
	r->signed_names[0] = SIGNED;
	r->ask.signed_names = r->signed_names;
	r->ask.nsigned = 1;
	r->q[r->nq++] = query_of(SIGNED, LDNS_RR_TYPE_SOA, 0, resolver);
	*lq = local_of(SIGNED, LDNS_RR_TYPE_SOA, local, local->cls == DNS_BOGUS ? WHY : NULL);
	r->out = output_new("DNSSEC_RESOLVER");
	ck_assert_ptr_nonnull(r->out);
	verdict_resolver(&r->ask, &r->res, r->q, &l, r->out);
	ck_assert(!output_oom(r->out));
}

START_TEST(local_validation_gives_a_second_opinion)
{
	struct dns_query lq;
	const struct finding *f;
	struct run r;

	run_local(&r, &second_opinions[_i].resolver, &second_opinions[_i].local, NULL, &lq);
	f = vt_expect(r.out, second_opinions[_i].code, second_opinions[_i].state,
		      &(struct finding_subject){.resolver = RESOLVER, .name = SIGNED});
	if (second_opinions[_i].text != NULL)
		ck_assert_str_eq(f->text, second_opinions[_i].text);
	ck_assert_str_eq(finding_param(f, "qtype")->string, "SOA");
	dns_answer_clear(&lq.answer);
	run_free(&r);
}
END_TEST

START_TEST(agreement_is_shown_from_one_v_on_and_said_in_the_summary)
{
	static const struct answer_spec secure = SECURE_SOA;
	struct dns_query lq;
	const struct finding *f;
	struct run r;

	run_local(&r, &secure, &secure, NULL, &lq);
	f = vt_find(r.out, FC_RESOLVER_LOCAL_AGREES);
	ck_assert_int_eq(f->level, 1);
	ck_assert_ptr_nonnull(strstr(output_summary_text(r.out), ", local validation agrees)"));
	dns_answer_clear(&lq.answer);
	run_free(&r);
}
END_TEST

START_TEST(a_resolver_without_dnssec_data_gets_no_second_opinion)
{
	static const struct answer_spec secure = SECURE_SOA, bogus = LOCAL_BOGUS;
	struct dns_trust_result fwd = {.verdict = DNS_TRUST_NO_DNSSEC_DATA,
				       .judged = true,
				       .local = true,
				       .fault = DNS_FWD_FROM_CHILD,
				       .fault_type = LDNS_RR_TYPE_DS,
				       .name = SIGNED};
	struct dns_query lq;
	const struct finding *f;
	struct run r;

	run_local(&r, &secure, &bogus, &fwd, &lq);
	f = vt_expect(r.out, FC_RESOLVER_STRIPS_DNSSEC_DATA, STATE_CRITICAL,
		      &(struct finding_subject){.resolver = RESOLVER, .name = SIGNED});
	ck_assert_str_eq(f->text,
			 RESOLVER " does not pass DNSSEC data (it answers the DS query of " SIGNED
				  " from the child zone (its own SOA), not from the parent): "
				  "validating clients behind it fail, and local validation "
				  "through it cannot judge its answers");
	ck_assert_str_eq(finding_param(f, "query")->string, "DS");
	ck_assert_ptr_null(vt_find(r.out, FC_RESOLVER_LOCAL_BOGUS));
	dns_answer_clear(&lq.answer);
	run_free(&r);
}
END_TEST

/* --- the root key sentinel (RFC 8509) --------------------------------------- */

#define SENTINEL_A                                                                                 \
	{                                                                                          \
		DNS_SECURE, true, LDNS_RCODE_NOERROR, LDNS_RCODE_NOERROR, a_sentinel,              \
		    DNS_ERR_NONE, {0}, 0.01, -1, NULL                                              \
	}
#define SENTINEL_SERVFAIL                                                                          \
	{                                                                                          \
		DNS_BOGUS, false, LDNS_RCODE_SERVFAIL, LDNS_RCODE_NOERROR, a_sentinel,             \
		    DNS_ERR_NONE, {0}, 0.01, 6, ""                                                 \
	}
#define SENTINEL_NXDOMAIN                                                                          \
	{                                                                                          \
		DNS_NONEXISTENT, true, LDNS_RCODE_NXDOMAIN, LDNS_RCODE_NXDOMAIN, NULL,             \
		    DNS_ERR_NONE, {0}, 0.01, -1, NULL                                              \
	}

static const char *const a_sentinel[] = {
    "root-key-sentinel-is-ta-38696." SIGNED " 300 IN A 192.0.2.7",
    NULL,
};

/* The is-ta and not-ta answers -> the sentinel's finding (RFC 8509 section 3). */
static const struct {
	const char *rule;
	struct answer_spec is_ta, not_ta;
	enum finding_code code;
	state_t state;
	const char *text; /* NULL: not compared */
} sentinels[] = {
    {"is-ta answered, not-ta SERVFAIL: the key is trusted", SENTINEL_A, SENTINEL_SERVFAIL,
     FC_RESOLVER_TRUSTS_ROOT_KEY, STATE_OK,
     RESOLVER " trusts root key 38696 (KSK-2024) (root key sentinel, RFC 8509: "
	      "root-key-sentinel-is-ta-38696." SIGNED
	      " answered, root-key-sentinel-not-ta-38696." SIGNED " SERVFAIL)"},
    {"is-ta SERVFAIL, not-ta answered: the trust anchor is out of date, CRITICAL",
     SENTINEL_SERVFAIL, SENTINEL_A, FC_RESOLVER_ROOT_KEY_NOT_TRUSTED, STATE_CRITICAL,
     RESOLVER " does not trust root key 38696 (KSK-2024): its trust anchor is out of date (root "
	      "key sentinel, RFC 8509: root-key-sentinel-is-ta-38696." SIGNED
	      " SERVFAIL, root-key-sentinel-not-ta-38696." SIGNED " answered)"},
    {"both answered: no sentinel support, a note (OK)", SENTINEL_A, SENTINEL_A,
     FC_RESOLVER_NO_SENTINEL, STATE_OK, NULL},
    {"both SERVFAIL: proves nothing, a WARNING", SENTINEL_SERVFAIL, SENTINEL_SERVFAIL,
     FC_RESOLVER_SENTINEL_INCONCLUSIVE, STATE_WARNING, NULL},
    {"a validated denial next to SERVFAIL counts as an answer (unbound): not trusted",
     SENTINEL_SERVFAIL, SENTINEL_NXDOMAIN, FC_RESOLVER_ROOT_KEY_NOT_TRUSTED, STATE_CRITICAL, NULL},
    {"a denial for both: the name has no wildcard, proves nothing", SENTINEL_NXDOMAIN,
     SENTINEL_NXDOMAIN, FC_RESOLVER_SENTINEL_INCONCLUSIVE, STATE_WARNING, NULL},
    {"no answer proves nothing", TIMEOUT, SENTINEL_SERVFAIL, FC_RESOLVER_SENTINEL_INCONCLUSIVE,
     STATE_WARNING, NULL},
};

START_TEST(the_sentinel_is_read_as_rfc_8509_says)
{
	static const struct answer_spec secure = SECURE_SOA;
	static const unsigned int keys[] = {DNS_SENTINEL_KSK_2024};
	char is_ta[128], not_ta[128];
	const struct finding *f;
	struct run r;
	char err[128];

	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(dns_resolver_add(&r.res, RESOLVER, 53, err, sizeof(err)), 0);
	ck_assert_int_eq(dns_sentinel_name(keys[0], true, SIGNED, is_ta, sizeof(is_ta)), 0);
	ck_assert_int_eq(dns_sentinel_name(keys[0], false, SIGNED, not_ta, sizeof(not_ta)), 0);
	r.signed_names[0] = SIGNED;
	r.ask.signed_names = r.signed_names;
	r.ask.nsigned = 1;
	r.ask.root_keys = keys;
	r.ask.nroot_keys = 1;
	r.q[r.nq++] = query_of(SIGNED, LDNS_RR_TYPE_SOA, 0, &secure);
	r.q[r.nq++] = query_of(is_ta, LDNS_RR_TYPE_A, 0, &sentinels[_i].is_ta);
	r.q[r.nq++] = query_of(not_ta, LDNS_RR_TYPE_A, 0, &sentinels[_i].not_ta);
	ck_assert_uint_eq(r.nq, verdict_resolver_nqueries(&r.ask));
	r.out = output_new("DNSSEC_RESOLVER");
	ck_assert_ptr_nonnull(r.out);
	verdict_resolver(&r.ask, &r.res, r.q, NULL, r.out);
	f = vt_expect(r.out, sentinels[_i].code, sentinels[_i].state,
		      &(struct finding_subject){.resolver = RESOLVER, .name = is_ta});
	if (sentinels[_i].text != NULL)
		ck_assert_str_eq(f->text, sentinels[_i].text);
	ck_assert_int_eq(finding_param(f, "key_tag")->integer, 38696);
	ck_assert_str_eq(finding_param(f, "key_name")->string, "KSK-2024");
	if (sentinels[_i].code == FC_RESOLVER_TRUSTS_ROOT_KEY)
		ck_assert_ptr_nonnull(
		    strstr(output_summary_text(r.out), ", trusts root key 38696)"));
	run_free(&r);
}
END_TEST

Suite *
verdict_resolver_suite(void)
{
	Suite *s = suite_create("verdict_resolver");
	TCase *tc = tcase_create("verdict_resolver");

	tcase_add_loop_test(tc, answers_make_their_finding, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, a_validating_resolver_in_text);
	tcase_add_loop_test(tc, a_run_that_passed_says_so, 0,
			    sizeof(summaries) / sizeof(summaries[0]));
	tcase_add_test(tc, a_run_that_failed_is_summed_up_by_its_worst_finding);
	tcase_add_test(tc, an_inconclusive_bogus_probe_is_no_pass);
	tcase_add_test(tc, every_answer_has_its_time_in_perfdata);
	tcase_add_test(tc, answer_records_are_shown_from_one_v_on);
	tcase_add_test(tc, params_carry_the_facts);
	tcase_add_test(tc, no_answer_says_why_in_a_word);
	tcase_add_loop_test(tc, local_validation_gives_a_second_opinion, 0,
			    sizeof(second_opinions) / sizeof(second_opinions[0]));
	tcase_add_test(tc, agreement_is_shown_from_one_v_on_and_said_in_the_summary);
	tcase_add_test(tc, a_resolver_without_dnssec_data_gets_no_second_opinion);
	tcase_add_loop_test(tc, the_sentinel_is_read_as_rfc_8509_says, 0,
			    sizeof(sentinels) / sizeof(sentinels[0]));
	suite_add_tcase(s, tc);
	return s;
}
