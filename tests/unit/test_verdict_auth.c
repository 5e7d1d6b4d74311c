/*
 * test_verdict_auth.c -- the verdicts on the authoritative servers (-A) on
 * facts, no network (table-driven): one zone, its servers' answers to the SOA
 * and the TLSA question built by hand as auth_collect() would leave them.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "verdict.h"
#include "verdict_test.h"

#define ZONE   "example.org."
#define NS1    "ns1.example.org."
#define NS2    "ns2.example.org."
#define ADDR1  "192.0.2.53"
#define ADDR2  "192.0.2.54"
#define TNAME  "_25._tcp.mx1.example.org."
#define SERIAL 2026010101u
#define DAY    86400
#define NOW    ((time_t)1800000000) /* 2027-01-15 08:00 UTC */

#define HEX1 "0101010101010101010101010101010101010101010101010101010101010101"
#define HEX2 "0202020202020202020202020202020202020202020202020202020202020202"

/* --- building the facts -------------------------------------------------- */

/* The answer of server s of the first zone to question i, to be changed. */
static struct auth_answer *
answer(struct auth_result *a, size_t s, size_t i)
{
	struct auth_zone *z = &a->zones[0];

	return &z->answers[s * z->nq + i];
}

/* Server s's TLSA RRset: one record "3 1 1 hex" with ttl. */
static void
serve_tlsa(struct auth_result *a, size_t s, const char *hex, unsigned int ttl)
{
	struct auth_answer *ans = answer(a, s, 1);
	char line[256];
	ldns_rr *rr = NULL;

	if (ans->rrs != NULL)
		ldns_rr_list_deep_free(ans->rrs);
	ans->rrs = ldns_rr_list_new();
	ck_assert_ptr_nonnull(ans->rrs);
	snprintf(line, sizeof(line), "%s %u IN TLSA 3 1 1 %s", TNAME, ttl, hex);
	ck_assert_int_eq(ldns_rr_new_frm_str(&rr, line, 0, NULL, NULL), LDNS_STATUS_OK);
	ldns_rr_list_push_rr(ans->rrs, rr);
	ans->nrecords = 1;
}

/*
 * One zone, two servers that agree: the same SOA serial, the same TLSA record
 * with the same TTL, signatures expiring in 20 days.
 */
static struct auth_result *
agreeing_servers(void)
{
	struct auth_result *a = calloc(1, sizeof(*a));
	struct auth_zone *z;
	size_t s, i;

	ck_assert_ptr_nonnull(a);
	a->nzones = 1;
	snprintf(a->servers[0].host, sizeof(a->servers[0].host), "%s", NS1);
	snprintf(a->servers[0].addr, sizeof(a->servers[0].addr), "%s", ADDR1);
	snprintf(a->servers[1].host, sizeof(a->servers[1].host), "%s", NS2);
	snprintf(a->servers[1].addr, sizeof(a->servers[1].addr), "%s", ADDR2);
	z = &a->zones[0];
	snprintf(z->name, sizeof(z->name), "%s", ZONE);
	z->nservers = 2;
	z->server[0] = 0;
	z->server[1] = 1;
	z->nq = 2;
	snprintf(z->q[0].name, sizeof(z->q[0].name), "%s", ZONE);
	z->q[0].type = LDNS_RR_TYPE_SOA;
	snprintf(z->q[1].name, sizeof(z->q[1].name), "%s", TNAME);
	z->q[1].type = LDNS_RR_TYPE_TLSA;
	z->answers = calloc(z->nservers * z->nq, sizeof(*z->answers));
	ck_assert_ptr_nonnull(z->answers);
	for (s = 0; s < z->nservers; s++) {
		for (i = 0; i < z->nq; i++) {
			answer(a, s, i)->rcode = 0;
			answer(a, s, i)->sig_expire = NOW + 20 * DAY;
		}
		answer(a, s, 0)->soa_serial = SERIAL;
		answer(a, s, 0)->has_serial = true;
		serve_tlsa(a, s, HEX1, 3600);
	}
	return a;
}

static void
result_free(struct auth_result *a)
{
	auth_result_clear(a);
	free(a);
}

/* Server 2 fails question i with status, the facts of the failure and rcode. */
static void
second_fails(struct auth_result *a, size_t i, enum auth_status status, struct dns_failure fail,
	     int rcode)
{
	answer(a, 1, i)->status = status;
	answer(a, 1, i)->rcode = rcode;
	answer(a, 1, i)->answer.cls = status == AUTH_NOT_AA ? DNS_INSECURE : DNS_ERROR;
	answer(a, 1, i)->answer.final_rcode = rcode;
	answer(a, 1, i)->answer.fail = fail;
	if (i == 0)
		answer(a, 1, 0)->has_serial = false;
}

/* --- the facts of each case --------------------------------------------- */

static void
they_agree(struct auth_result *a)
{
	(void)a;
}

static void
no_servers_found(struct auth_result *a)
{
	a->zones[0].problem = AUTH_ZONE_NO_NS;
	a->zones[0].ns_answer.cls = DNS_NONEXISTENT;
}

static void
second_does_not_answer(struct auth_result *a)
{
	second_fails(
	    a, 0, AUTH_NO_ANSWER,
	    (struct dns_failure){.kind = DNS_FAIL_TIMEOUT, .seconds = 2, .stage = "asking"}, -1);
}

static void
second_refuses(struct auth_result *a)
{
	second_fails(a, 0, AUTH_REFUSED,
		     (struct dns_failure){.kind = DNS_FAIL_RCODE,
					  .rcode = LDNS_RCODE_REFUSED,
					  .authoritative = true},
		     LDNS_RCODE_REFUSED);
}

static void
second_is_no_authority(struct auth_result *a)
{
	second_fails(a, 0, AUTH_NOT_AA, (struct dns_failure){0}, LDNS_RCODE_NOERROR);
}

static void
second_fails_the_tlsa_question(struct auth_result *a)
{
	second_fails(a, 1, AUTH_ERROR,
		     (struct dns_failure){.kind = DNS_FAIL_SERVFAIL, .authoritative = true},
		     LDNS_RCODE_SERVFAIL);
}

static void
second_is_stale(struct auth_result *a)
{
	answer(a, 1, 0)->soa_serial = SERIAL - 1;
	serve_tlsa(a, 1, HEX2, 3600);
}

static void
second_differs_with_the_same_serial(struct auth_result *a)
{
	serve_tlsa(a, 1, HEX2, 3600);
}

static void
second_has_another_ttl(struct auth_result *a)
{
	serve_tlsa(a, 1, HEX1, 300);
}

static void
second_serves_expired_signatures(struct auth_result *a)
{
	answer(a, 1, 1)->sig_expire = NOW - 3600;
}

static void
second_signatures_expire_early(struct auth_result *a)
{
	answer(a, 1, 1)->sig_expire = NOW + 17 * DAY;
}

static void
servers_left_out(struct auth_result *a)
{
	a->zones[0].servers_left_out = 4;
}

static void
zones_left_out(struct auth_result *a)
{
	a->zones_left_out = 2;
}

/* --- the table ----------------------------------------------------------- */

struct auth_case {
	const char *rule;                     /* what the verdict says, as a sentence */
	void (*build)(struct auth_result *a); /* changes to agreeing_servers() */
	enum finding_code code;               /* the finding expected */
	state_t state;                        /* its state, children included */
	struct finding_subject subject;       /* the fields it must have */
};

static const struct auth_case cases[] = {
    {"every zone asked has its line", they_agree, FC_AUTH_ZONE, STATE_OK, {.zone = ZONE}},
    {"servers serving the same data agree: OK",
     they_agree,
     FC_AUTH_SERVERS_AGREE,
     STATE_OK,
     {.zone = ZONE}},
    {"a zone whose servers cannot be asked is a WARNING",
     no_servers_found,
     FC_AUTH_ZONE_NOT_ASKED,
     STATE_WARNING,
     {.zone = ZONE}},
    {"a server that does not answer is a WARNING",
     second_does_not_answer,
     FC_AUTH_SERVER_NO_ANSWER,
     STATE_WARNING,
     {.zone = ZONE, .nameserver = NS2, .address = ADDR2, .name = ZONE}},
    {"a server that refuses the zone is a WARNING",
     second_refuses,
     FC_AUTH_SERVER_REFUSES,
     STATE_WARNING,
     {.zone = ZONE, .nameserver = NS2, .address = ADDR2}},
    {"a server that answers without authority is a WARNING",
     second_is_no_authority,
     FC_AUTH_SERVER_NOT_AUTHORITATIVE,
     STATE_WARNING,
     {.zone = ZONE, .nameserver = NS2}},
    {"a server that fails a question is a WARNING naming the question",
     second_fails_the_tlsa_question,
     FC_AUTH_SERVER_FAILS,
     STATE_WARNING,
     {.zone = ZONE, .nameserver = NS2, .address = ADDR2, .name = TNAME}},
    {"a server with other data and a lower serial is stale: CRITICAL",
     second_is_stale,
     FC_AUTH_SERVER_STALE,
     STATE_CRITICAL,
     {.zone = ZONE, .nameserver = NS2, .address = ADDR2, .name = TNAME}},
    {"a server with other data and the same serial differs: CRITICAL",
     second_differs_with_the_same_serial,
     FC_AUTH_SERVER_DIFFERS,
     STATE_CRITICAL,
     {.zone = ZONE, .nameserver = NS2, .address = ADDR2, .name = TNAME}},
    {"a TTL difference alone is OK",
     second_has_another_ttl,
     FC_AUTH_TTL_DIFFERS,
     STATE_OK,
     {.zone = ZONE, .nameserver = NS2, .name = TNAME}},
    {"expired signatures are a WARNING",
     second_serves_expired_signatures,
     FC_AUTH_SIGNATURES_EXPIRED,
     STATE_WARNING,
     {.zone = ZONE, .nameserver = NS2, .name = TNAME}},
    {"signatures expiring days before the others' are a WARNING",
     second_signatures_expire_early,
     FC_AUTH_SIGNATURES_LAGGING,
     STATE_WARNING,
     {.zone = ZONE, .nameserver = NS2, .name = TNAME}},
    {"server addresses beyond the limit are a WARNING",
     servers_left_out,
     FC_AUTH_SERVERS_LEFT_OUT,
     STATE_WARNING,
     {.zone = ZONE}},
    {"zones beyond the limit are a WARNING",
     zones_left_out,
     FC_AUTH_ZONES_LEFT_OUT,
     STATE_WARNING,
     {0}},
};

/* The verdicts on agreeing_servers() changed by build. */
static struct output *
judge(void (*build)(struct auth_result *a))
{
	struct auth_result *a = agreeing_servers();
	struct output *out = output_new("TLSA");

	ck_assert_ptr_nonnull(out);
	build(a);
	verdict_auth(a, NOW, out);
	result_free(a);
	return out;
}

START_TEST(each_fact_has_its_finding)
{
	const struct auth_case *c = &cases[_i];
	struct output *out = judge(c->build);

	ck_assert_msg(vt_find(out, c->code) != NULL, "%s: no %s", c->rule,
		      finding_code_name(c->code));
	vt_expect(out, c->code, c->state, &c->subject);
	ck_assert_msg(!output_oom(out), "%s: out of memory", c->rule);
	output_free(out);
}
END_TEST

/* --- the words and the params -------------------------------------------- */

/* The finding of code in the verdicts on agreeing_servers() changed by build. */
static const struct finding *
find(struct output **out, void (*build)(struct auth_result *a), enum finding_code code)
{
	const struct finding *f;

	*out = judge(build);
	f = vt_find(*out, code);
	ck_assert_msg(f != NULL, "no %s", finding_code_name(code));
	return f;
}

START_TEST(agreeing_servers_keep_their_words)
{
	struct output *out;
	const struct finding *f;

	f = find(&out, they_agree, FC_AUTH_ZONE);
	ck_assert_str_eq(f->text, "zone " ZONE ": 2 authoritative server addresses");
	ck_assert_int_eq(finding_param(f, "servers")->integer, 2);
	f = vt_find(out, FC_AUTH_SERVERS_AGREE);
	ck_assert_str_eq(f->text, "they agree: SOA serial 2026010101 and the 1 RRset asked (MX, "
				  "TLSA)");
	ck_assert_int_eq(finding_param(f, "soa_serial")->integer, SERIAL);
	ck_assert_ptr_null(vt_find(out, FC_AUTH_TTL_DIFFERS));
	output_free(out);
}
END_TEST

START_TEST(a_stale_server_names_what_it_lacks_and_has)
{
	struct output *out;
	const struct finding *f;

	f = find(&out, second_is_stale, FC_AUTH_SERVER_STALE);
	ck_assert_str_eq(f->text, NS2 "[" ADDR2 "] (SOA serial 2026010100) is stale: its TLSA "
				      "RRset at " TNAME " lacks 3 1 1 " HEX1
				      " and has in addition 3 1 1 " HEX2 ", compared with " NS1
				      "[" ADDR1 "] (SOA serial 2026010101): resolvers that ask it "
				      "hand senders stale data");
	ck_assert_str_eq(finding_param(f, "type")->string, "TLSA");
	ck_assert_int_eq(finding_param(f, "lacks")->integer, 1);
	ck_assert_str_eq(finding_param(f, "lacks_records")->string, "3 1 1 " HEX1);
	ck_assert_int_eq(finding_param(f, "extra")->integer, 1);
	ck_assert_str_eq(finding_param(f, "extra_records")->string, "3 1 1 " HEX2);
	ck_assert_int_eq(finding_param(f, "soa_serial")->integer, SERIAL - 1);
	ck_assert_int_eq(finding_param(f, "reference_serial")->integer, SERIAL);
	ck_assert_str_eq(finding_param(f, "reference_nameserver")->string, NS1);
	ck_assert_ptr_null(vt_find(out, FC_AUTH_SERVERS_AGREE));
	output_free(out);
}
END_TEST

START_TEST(the_same_serial_with_other_data_is_pointed_out)
{
	struct output *out;
	const struct finding *f;

	f = find(&out, second_differs_with_the_same_serial, FC_AUTH_SERVER_DIFFERS);
	ck_assert_str_eq(f->text,
			 NS2 "[" ADDR2 "] (SOA serial 2026010101) serves another TLSA "
			     "RRset at " TNAME " lacks 3 1 1 " HEX1
			     " and has in addition 3 1 1 " HEX2 ", compared with " NS1 "[" ADDR1
			     "] (SOA serial 2026010101) (the same SOA serial: the "
			     "zone changed without a new serial?): resolvers that ask it "
			     "hand senders other data");
	ck_assert(finding_param(f, "same_serial")->boolean);
	output_free(out);
}
END_TEST

START_TEST(server_problems_keep_their_words_and_rcode)
{
	struct output *out;
	const struct finding *f;

	f = find(&out, second_refuses, FC_AUTH_SERVER_REFUSES);
	ck_assert_str_eq(f->text,
			 NS2 "[" ADDR2
			     "]: refuses the zone: REFUSED (the server does not serve the zone)");
	ck_assert_str_eq(finding_param(f, "rcode")->string, "REFUSED");
	ck_assert_str_eq(finding_param(f, "type")->string, "SOA");
	/* a server that fails is not the reference: nothing else is compared */
	ck_assert_ptr_null(vt_find(out, FC_AUTH_SERVERS_AGREE));
	output_free(out);
	f = find(&out, second_does_not_answer, FC_AUTH_SERVER_NO_ANSWER);
	ck_assert_str_eq(f->text, NS2 "[" ADDR2 "]: no answer: timed out after 2 s while asking");
	ck_assert_ptr_null(finding_param(f, "rcode"));
	output_free(out);
}
END_TEST

START_TEST(ttl_and_signature_findings_keep_their_words_and_times)
{
	struct output *out;
	const struct finding *f;

	f = find(&out, second_has_another_ttl, FC_AUTH_TTL_DIFFERS);
	ck_assert_str_eq(f->text, NS2 "[" ADDR2 "] (SOA serial 2026010101) serves the TLSA RRset "
				      "at " TNAME " with TTL 300, " NS1 "[" ADDR1
				      "] (SOA serial 2026010101) with TTL 3600");
	ck_assert_int_eq(finding_param(f, "ttl")->integer, 300);
	ck_assert_int_eq(finding_param(f, "reference_ttl")->integer, 3600);
	vt_expect(out, FC_AUTH_SERVERS_AGREE, STATE_OK, NULL); /* a TTL is no problem */
	output_free(out);
	f = find(&out, second_serves_expired_signatures, FC_AUTH_SIGNATURES_EXPIRED);
	ck_assert_str_eq(f->text, NS2 "[" ADDR2 "] (SOA serial 2026010101) serves expired "
				      "signatures on the TLSA RRset at " TNAME
				      " (expired 2027-01-15 07:00 UTC)");
	ck_assert_int_eq(finding_param(f, "sig_expire")->integer, NOW - 3600);
	output_free(out);
	f = find(&out, second_signatures_expire_early, FC_AUTH_SIGNATURES_LAGGING);
	ck_assert_str_eq(f->text,
			 NS2 "[" ADDR2 "] (SOA serial 2026010101): its signatures on "
			     "the TLSA RRset at " TNAME " expire 2027-02-01 08:00 UTC, 3.0 "
			     "days before the others' (2027-02-04 08:00 UTC): a stale copy "
			     "of the zone?");
	ck_assert_int_eq(finding_param(f, "latest_sig_expire")->integer, NOW + 20 * DAY);
	ck_assert(finding_param(f, "days_before")->number == 3.0);
	output_free(out);
}
END_TEST

START_TEST(limits_keep_their_words_and_counts)
{
	struct output *out;
	const struct finding *f;
	char want[100];

	f = find(&out, servers_left_out, FC_AUTH_SERVERS_LEFT_OUT);
	snprintf(want, sizeof(want), "4 more server addresses not asked (at most %d)",
		 AUTH_MAX_SERVERS);
	ck_assert_str_eq(f->text, want);
	ck_assert_int_eq(finding_param(f, "left_out")->integer, 4);
	output_free(out);
	f = find(&out, zones_left_out, FC_AUTH_ZONES_LEFT_OUT);
	snprintf(want, sizeof(want), "2 more zones not asked (at most %d)", AUTH_MAX_ZONES);
	ck_assert_str_eq(f->text, want);
	ck_assert_int_eq(finding_param(f, "max")->integer, AUTH_MAX_ZONES);
	output_free(out);
	f = find(&out, no_servers_found, FC_AUTH_ZONE_NOT_ASKED);
	ck_assert_str_eq(f->text,
			 "zone " ZONE ": its authoritative servers cannot be asked: no NS "
			 "records for the zone through the resolver (NOERROR/NODATA, no AD "
			 "(not validated))");
	ck_assert_ptr_null(vt_find(out, FC_AUTH_ZONE));
	output_free(out);
}
END_TEST

Suite *
verdict_auth_suite(void)
{
	Suite *s = suite_create("verdict_auth");
	TCase *tc = tcase_create("facts");
	TCase *words = tcase_create("words");

	tcase_add_loop_test(tc, each_fact_has_its_finding, 0,
			    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(words, agreeing_servers_keep_their_words);
	tcase_add_test(words, a_stale_server_names_what_it_lacks_and_has);
	tcase_add_test(words, the_same_serial_with_other_data_is_pointed_out);
	tcase_add_test(words, server_problems_keep_their_words_and_rcode);
	tcase_add_test(words, ttl_and_signature_findings_keep_their_words_and_times);
	tcase_add_test(words, limits_keep_their_words_and_counts);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, words);
	return s;
}
