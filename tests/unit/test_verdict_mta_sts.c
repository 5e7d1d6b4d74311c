/*
 * test_verdict_mta_sts.c -- MTA-STS held against DANE, on facts, no network
 * (table-driven): the discovery, the fetch and the policy, the MX hosts
 * against the mx patterns, and per address and certificate type what
 * senders that use MTA-STS and senders that use DANE conclude.
 *
 * A fixture is example.org. with a valid TXT record, a fetched enforce
 * policy (mx: mx1.example.org, *.example.net), two MX hosts (mx1 with a
 * usable DNSSEC-secure 3 1 1 record, mx2.example.net without TLSA), and
 * probes built by hand with their WebPKI verdicts.
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/x509.h>

#include "verdict_mta_sts.h"
#include "verdict_test.h"

#define FX_PROBES 8
#define FX_NOW    ((time_t)1800000000)
#define DOMAIN    "example.org."
#define MX1       "mx1.example.org."
#define MX2       "mx2.example.net."
#define ADDR1     "192.0.2.1"
#define ADDR2     "192.0.2.2"
#define POLICY                                                                                     \
	"version: STSv1\nmode: enforce\nmx: mx1.example.org\nmx: *.example.net\nmax_age: 604800\n"

/* The facts of one test. */
struct fx {
	struct mtasts_lookup dns;
	struct mtasts_txt txt;
	struct mtasts_fetch fetch;
	struct mtasts_policy policy;
	struct mx_result r;
	struct mx_host hosts[2];
	struct tlsa_record rec;
	uint8_t data[32];
	struct cert_info leaf;
	struct probe_target targets[FX_PROBES];
	struct probe_result results[FX_PROBES];
	struct pkix_result pkix[FX_PROBES];
	struct probe_batch b;
	struct mta_sts_facts f;
	struct verdict_mta_sts_counts c;
	struct output *out;
};

static void
fx_addr(struct mx_addr *a, const char *text)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)&a->ss;

	memset(a, 0, sizeof(*a));
	snprintf(a->text, sizeof(a->text), "%s", text);
	s4->sin_family = AF_INET;
	inet_pton(AF_INET, text, &s4->sin_addr);
	a->len = sizeof(*s4);
}

static void
fx_policy(struct fx *fx, const char *body)
{
	mtasts_policy_parse((const uint8_t *)body, strlen(body), &fx->policy);
	ck_assert_int_eq(fx->policy.status, MTASTS_POLICY_OK);
}

static struct fx *
fx_new(void)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	static const char rec[] = "v=STSv1; id=20240101";
	struct mx_host *h;

	ck_assert_ptr_nonnull(fx);
	/* DNS: one STS record */
	snprintf(fx->dns.domain, sizeof(fx->dns.domain), DOMAIN);
	snprintf(fx->dns.txt_name, sizeof(fx->dns.txt_name), "_mta-sts." DOMAIN);
	snprintf(fx->dns.policy_host, sizeof(fx->dns.policy_host), "mta-sts.example.org");
	fx->dns.txt.cls = DNS_SECURE;
	fx->dns.txt_records = fx->dns.sts_records = 1;
	memcpy(fx->dns.records[0].data, rec, sizeof(rec) - 1);
	fx->dns.records[0].len = sizeof(rec) - 1;
	mtasts_txt_parse((const uint8_t *)rec, sizeof(rec) - 1, &fx->txt);
	/* the fetch and the policy */
	fx->fetch.status = MTASTS_FETCH_OK;
	snprintf(fx->fetch.url, sizeof(fx->fetch.url),
		 "https://mta-sts.example.org/.well-known/mta-sts.txt");
	snprintf(fx->fetch.address, sizeof(fx->fetch.address), "192.0.2.80");
	fx->fetch.http_status = 200;
	fx->fetch.time = 0.05;
	fx_policy(fx, POLICY);
	/* the walk: mx1 with DANE, mx2 without TLSA */
	fx->r.status = MX_FOUND;
	snprintf(fx->r.domain, sizeof(fx->r.domain), DOMAIN);
	fx->r.hosts = fx->hosts;
	fx->r.nhosts = 2;
	h = &fx->hosts[0];
	snprintf(h->name, sizeof(h->name), MX1);
	snprintf(h->tlsa_base, sizeof(h->tlsa_base), MX1);
	h->preference = 10;
	h->addr_class = h->tlsa_class = DNS_SECURE;
	h->tlsa_looked_up = true;
	fx_addr(&h->addrs[0], ADDR1);
	h->naddrs = 1;
	memset(fx->data, 0xab, sizeof(fx->data));
	fx->rec.rd = (struct tlsa_rdata){3, 1, 1, fx->data, sizeof(fx->data)};
	fx->rec.data = fx->data;
	fx->rec.verdict = TLSA_USABLE;
	h->tlsa.records = &fx->rec;
	h->tlsa.n = h->tlsa.usable = 1;
	h = &fx->hosts[1];
	snprintf(h->name, sizeof(h->name), MX2);
	snprintf(h->tlsa_base, sizeof(h->tlsa_base), MX2);
	h->preference = 20;
	h->addr_class = DNS_SECURE;
	h->tlsa_class = DNS_NONEXISTENT;
	h->tlsa_looked_up = true;
	fx_addr(&h->addrs[0], ADDR2);
	h->naddrs = 1;
	/* the leaf every probe gets */
	snprintf(fx->leaf.subject, sizeof(fx->leaf.subject), "CN=mx1.example.org");
	snprintf(fx->leaf.issuer, sizeof(fx->leaf.issuer), "CN=Lab CA");
	snprintf(fx->leaf.cn, sizeof(fx->leaf.cn), "mx1.example.org");
	snprintf(fx->leaf.sans[0], sizeof(fx->leaf.sans[0]), "mx1.example.org");
	fx->leaf.nsans = fx->leaf.sans_total = 1;
	snprintf(fx->leaf.key, sizeof(fx->leaf.key), "EC 256");
	fx->leaf.dates_ok = true;
	fx->leaf.not_before = FX_NOW - 10 * 86400;
	fx->leaf.not_after = FX_NOW + 20 * 86400 + 43200;
	fx->b.targets = fx->targets;
	fx->b.results = fx->results;
	fx->f = (struct mta_sts_facts){.dns = &fx->dns,
				       .txt = &fx->txt,
				       .fetch = &fx->fetch,
				       .policy_port = 443,
				       .policy = &fx->policy,
				       .mx = &fx->r,
				       .batch = &fx->b,
				       .pkix = fx->pkix,
				       .now = FX_NOW};
	fx->out = output_new("MTA_STS");
	ck_assert_ptr_nonnull(fx->out);
	return fx;
}

static void
fx_free(struct fx *fx)
{
	output_free(fx->out);
	free(fx);
}

/*
 * A probe of host h (0: mx1 with DANE, 1: mx2 without) for type: STARTTLS
 * accepted, the handshake done, DANE verified on mx1 (no records on mx2),
 * the chain WebPKI-valid, 0.05 s.
 */
static struct probe_result *
fx_probe(struct fx *fx, size_t h, enum tls_key_type type)
{
	size_t i = fx->b.n++;
	struct probe_result *r = &fx->results[i];
	struct mx_host *host = &fx->hosts[h];

	ck_assert_uint_lt(i, FX_PROBES);
	fx->targets[i] = (struct probe_target){host, &host->addrs[0], 25, type};
	snprintf(r->label, sizeof(r->label), "%s[%s]:25", h == 0 ? MX1 : MX2,
		 h == 0 ? ADDR1 : ADDR2);
	r->key_type = type;
	r->started = true;
	r->smtp.result = SMTP_OK;
	r->smtp.stage = SMTP_STAGE_DONE;
	r->smtp.why = SMTP_WHY_ACCEPTED;
	r->tls_done = true;
	snprintf(r->tls.version, sizeof(r->tls.version), "TLSv1.3");
	snprintf(r->tls.cipher, sizeof(r->tls.cipher), "TLS_AES_256_GCM_SHA384");
	r->tls.certs = &fx->leaf;
	r->tls.ncerts = 1;
	r->tls.key_type = type;
	if (h == 0) {
		r->tls.outcome = TLS_OK;
		r->tls.why = TLS_WHY_MATCHED;
		r->tls.matched = true;
		r->tls.match = fx->rec.rd;
		r->tls.match_index = 0;
		r->tls.match_depth = 0;
	} else {
		r->tls.outcome = TLS_ERR_NO_USABLE;
		r->tls.why = TLS_WHY_NO_USABLE;
		r->tls.match_index = r->tls.match_depth = -1;
	}
	r->time = 0.05;
	fx->pkix[i] = (struct pkix_result){PKIX_OK, X509_V_OK, -1};
	return r;
}

/* Run every verdict on the facts, as the plugin does. */
static void
fx_judge(struct fx *fx, const struct range *warn, const struct range *crit)
{
	if (!verdict_mta_sts_discovery(&fx->f, fx->out))
		goto summary;
	verdict_mta_sts_policy(&fx->f, fx->out, &fx->c);
	verdict_mta_sts_hosts(&fx->f, fx->out, &fx->c);
	verdict_mta_sts_probes(&fx->f, warn, crit, fx->out, &fx->c);
summary:
	verdict_mta_sts_summary(&fx->f, &fx->c, fx->out);
	verdict_mta_sts_perfdata(&fx->c, 0.1, fx->out);
}

static void
expect_text(const struct finding *f, const char *want)
{
	ck_assert_msg(strcmp(f->text, want) == 0, "text\n  '%s'\nwant\n  '%s'", f->text, want);
}

static void
expect_summary(const struct output *out, const char *want)
{
	const char *got = output_summary_text(out);

	ck_assert_msg(strcmp(got, want) == 0, "summary\n  '%s'\nwant\n  '%s'", got, want);
}

/* Is there a finding of code anywhere? */
static bool
has(const struct output *out, enum finding_code code)
{
	return vt_find(out, code) != NULL;
}

/* ---------------------------------------------------------------- discovery */

START_TEST(no_sts_record_is_ok_and_ends_the_check)
{
	struct fx *fx = fx_new();
	const struct finding *f;

	fx->dns.txt_records = 1;
	fx->dns.sts_records = 0;
	fx_judge(fx, NULL, NULL);
	f = vt_expect(fx->out, FC_STS_NO_POLICY, STATE_OK,
		      &(struct finding_subject){.domain = DOMAIN, .name = "_mta-sts." DOMAIN});
	expect_text(f, DOMAIN ": no MTA-STS policy (1 TXT record at _mta-sts." DOMAIN
			      ", none beginning with v=STSv1)");
	expect_summary(fx->out, f->text);
	ck_assert(!has(fx->out, FC_STS_POLICY));
	ck_assert(!has(fx->out, FC_STS_CERT_VALID));
	ck_assert_int_eq(output_state(fx->out), STATE_OK);
	fx_free(fx);
}
END_TEST

/* One discovery failure: how the DNS facts are changed, the code expected. */
struct discovery_case {
	const char *name;
	int kind; /* 0: lookup failed, 1: bogus, 2: two records, 3: invalid record */
	enum finding_code code;
	const char *text;
};

static const struct discovery_case discovery_cases[] = {
    {"lookup timed out", 0, FC_STS_TXT_LOOKUP_FAILED, NULL},
    {"bogus", 1, FC_STS_TXT_LOOKUP_FAILED, NULL},
    {"two records", 2, FC_STS_TXT_SEVERAL,
     DOMAIN ": 2 TXT records beginning with v=STSv1 at _mta-sts." DOMAIN
	    " ('v=STSv1; id=2', 'v=STSv1; id=20240101'): senders apply no policy (or an old "
	    "cached one) until one is left"},
    {"invalid record", 3, FC_STS_TXT_INVALID,
     DOMAIN ": the TXT record at _mta-sts." DOMAIN " does not parse (the id in 'id=a-b' is not "
	    "1-32 letters and digits): senders apply no policy (or an old cached one)"},
};

START_TEST(discovery_failures_are_critical)
{
	const struct discovery_case *c = &discovery_cases[_i];
	struct fx *fx = fx_new();
	static const char bad[] = "v=STSv1; id=a-b";
	const struct finding *f;

	switch (c->kind) {
	case 0:
		fx->dns.txt.cls = DNS_ERROR;
		fx->dns.txt.error = DNS_ERR_TIMEOUT;
		fx->dns.txt.fail.kind = DNS_FAIL_TIMEOUT;
		fx->dns.txt.fail.seconds = 10;
		break;
	case 1:
		fx->dns.txt.cls = DNS_BOGUS;
		break;
	case 2:
		fx->dns.sts_records = 2;
		memcpy(fx->dns.records[1].data, "v=STSv1; id=2", 13);
		fx->dns.records[1].len = 13;
		break;
	default:
		memcpy(fx->dns.records[0].data, bad, sizeof(bad) - 1);
		fx->dns.records[0].len = sizeof(bad) - 1;
		mtasts_txt_parse((const uint8_t *)bad, sizeof(bad) - 1, &fx->txt);
		break;
	}
	fx_judge(fx, NULL, NULL);
	f = vt_expect(fx->out, c->code, STATE_CRITICAL,
		      &(struct finding_subject){.domain = DOMAIN, .name = "_mta-sts." DOMAIN});
	if (c->text != NULL)
		expect_text(f, c->text);
	ck_assert(!has(fx->out, FC_STS_POLICY));
	ck_assert_int_eq(output_state(fx->out), STATE_CRITICAL);
	fx_free(fx);
}
END_TEST

/* ---------------------------------------------------------------- the policy */

START_TEST(a_valid_policy_and_its_record_are_ok_lines)
{
	struct fx *fx = fx_new();
	const struct finding *f;

	fx_probe(fx, 0, TLS_KEY_ECDSA);
	fx_probe(fx, 1, TLS_KEY_ECDSA);
	fx_judge(fx, NULL, NULL);
	f = vt_expect(fx->out, FC_STS_TXT, STATE_OK,
		      &(struct finding_subject){.domain = DOMAIN, .name = "_mta-sts." DOMAIN});
	ck_assert_int_eq(f->level, 1);
	f = vt_expect(fx->out, FC_STS_POLICY, STATE_OK,
		      &(struct finding_subject){.domain = DOMAIN, .name = "mta-sts.example.org"});
	expect_text(f, DOMAIN ": MTA-STS policy mode enforce, max_age 604800 (7 days), mx "
			      "mx1.example.org, *.example.net "
			      "(https://mta-sts.example.org/.well-known/mta-sts.txt, id 20240101, "
			      "0.050 s)");
	ck_assert_str_eq(finding_param(f, "mode")->string, "enforce");
	ck_assert_int_eq(finding_param(f, "max_age")->integer, 604800);
	expect_summary(fx->out,
		       DOMAIN ": MTA-STS policy enforce: 2 of 2 MX hosts covered by its "
			      "mx, 2 of 2 certificates valid for MTA-STS senders (1 verified "
			      "by DANE too)");
	ck_assert_int_eq(output_state(fx->out), STATE_OK);
	fx_free(fx);
}
END_TEST

/* One fetch failure: its status and facts, the code expected. */
struct fetch_case {
	enum mtasts_fetch_status status;
	long http_status;
	enum finding_code code;
	state_t state;
	const char *words; /* NULL: not compared */
};

static const struct fetch_case fetch_cases[] = {
    {MTASTS_FETCH_NO_ADDRESS, 0, FC_STS_POLICY_HOST_UNRESOLVED, STATE_CRITICAL,
     "mta-sts.example.org has no address record"},
    {MTASTS_FETCH_CONNECT, 0, FC_STS_POLICY_FETCH_FAILED, STATE_CRITICAL,
     "cannot connect to mta-sts.example.org: Connection refused"},
    {MTASTS_FETCH_TLS, 0, FC_STS_POLICY_FETCH_FAILED, STATE_CRITICAL, NULL},
    {MTASTS_FETCH_TIMEOUT, 200, FC_STS_POLICY_FETCH_FAILED, STATE_CRITICAL,
     "timed out after 0.1 s (HTTP status 200, 5 bytes of the body received)"},
    {MTASTS_FETCH_HEADERS, 200, FC_STS_POLICY_FETCH_FAILED, STATE_CRITICAL,
     "more than 100 header lines or 16384 bytes of headers"},
    {MTASTS_FETCH_PROTOCOL, 0, FC_STS_POLICY_FETCH_FAILED, STATE_CRITICAL,
     "the server broke HTTP: Weird server reply"},
    {MTASTS_FETCH_CERT, 0, FC_STS_POLICY_CERT_INVALID, STATE_CRITICAL,
     "the certificate of mta-sts.example.org is not valid: SSL certificate problem: "
     "self-signed certificate"},
    {MTASTS_FETCH_STATUS, 404, FC_STS_POLICY_HTTP_STATUS, STATE_CRITICAL,
     "HTTP status 404, not 200"},
    {MTASTS_FETCH_REDIRECT, 301, FC_STS_POLICY_REDIRECT, STATE_CRITICAL,
     "a redirect (HTTP status 301) to 'https://evil.example/x\\x7cy' (senders follow none)"},
    {MTASTS_FETCH_CONTENT_TYPE, 200, FC_STS_POLICY_CONTENT_TYPE, STATE_CRITICAL,
     "Content-Type 'text/html\\x1b[0m' is not text/plain"},
    {MTASTS_FETCH_TOO_LARGE, 200, FC_STS_POLICY_TOO_LARGE, STATE_CRITICAL,
     "the body is over 65536 bytes (65540 received, then the fetch was stopped)"},
    {MTASTS_FETCH_LOCAL, 0, FC_PLUGIN_LOCAL_FAILURE, STATE_UNKNOWN, NULL},
};

START_TEST(fetch_failures_say_why)
{
	const struct fetch_case *c = &fetch_cases[_i];
	struct fx *fx = fx_new();
	const struct finding *f;
	char want[1024];

	fx->fetch.status = c->status;
	fx->fetch.http_status = c->http_status;
	fx->fetch.time = 0.1;
	fx->f.policy = NULL;
	switch (c->status) {
	case MTASTS_FETCH_CONNECT:
		fx->fetch.curl_code = 7;
		fx->fetch.os_errno = 111; /* ECONNREFUSED */
		break;
	case MTASTS_FETCH_TIMEOUT:
		fx->fetch.body_received = 5;
		break;
	case MTASTS_FETCH_PROTOCOL:
		fx->fetch.curl_code = 8;
		snprintf(fx->fetch.curl_error, sizeof(fx->fetch.curl_error), "Weird server reply");
		break;
	case MTASTS_FETCH_CERT:
		fx->fetch.curl_code = 60;
		fx->fetch.verify_result = X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT;
		snprintf(fx->fetch.curl_error, sizeof(fx->fetch.curl_error),
			 "SSL certificate problem: self-signed certificate");
		break;
	case MTASTS_FETCH_REDIRECT:
		memcpy(fx->fetch.location, "https://evil.example/x|y", 24);
		fx->fetch.location_len = 24;
		break;
	case MTASTS_FETCH_CONTENT_TYPE:
		memcpy(fx->fetch.content_type, "text/html\x1b[0m", 13);
		fx->fetch.content_type_len = 13;
		fx->fetch.has_content_type = true;
		break;
	case MTASTS_FETCH_TOO_LARGE:
		fx->fetch.body_received = 65540;
		break;
	default:
		break;
	}
	fx_probe(fx, 0, TLS_KEY_ECDSA);
	fx_judge(fx, NULL, NULL);
	f = vt_expect(fx->out, c->code, c->state, &(struct finding_subject){.domain = DOMAIN});
	if (c->words != NULL) {
		snprintf(want, sizeof(want),
			 DOMAIN ": the policy https://mta-sts.example.org/.well-known/mta-sts.txt "
				"cannot be used: %s: senders fall back to a cached policy, then to "
				"none",
			 c->words);
		expect_text(f, want);
	}
	if (c->code != FC_PLUGIN_LOCAL_FAILURE)
		ck_assert_str_eq(f->subject.name, "mta-sts.example.org");
	/* no valid policy: no mx check, the certificates still judged */
	ck_assert(!has(fx->out, FC_STS_MX_COVERED));
	ck_assert(has(fx->out, FC_STS_CERT_VALID));
	ck_assert(finding_param(vt_find(fx->out, FC_STS_CERT_VALID), "pkix") != NULL);
	fx_free(fx);
}
END_TEST

START_TEST(an_invalid_policy_is_critical_with_its_line)
{
	struct fx *fx = fx_new();
	static const char body[] = "version: STSv1\nmode: Enforce\n";
	const struct finding *f;

	mtasts_policy_parse((const uint8_t *)body, sizeof(body) - 1, &fx->policy);
	fx_probe(fx, 0, TLS_KEY_ECDSA);
	fx_judge(fx, NULL, NULL);
	f = vt_expect(fx->out, FC_STS_POLICY_INVALID, STATE_CRITICAL,
		      &(struct finding_subject){.domain = DOMAIN, .name = "mta-sts.example.org"});
	expect_text(f, DOMAIN ": the policy https://mta-sts.example.org/.well-known/mta-sts.txt "
			      "does not parse: line 2: mode 'Enforce' is not enforce, testing or "
			      "none: senders apply none (or an old cached one)");
	ck_assert_int_eq(finding_param(f, "line")->integer, 2);
	ck_assert(!has(fx->out, FC_STS_MX_COVERED));
	expect_summary(fx->out, f->text);
	fx_free(fx);
}
END_TEST

START_TEST(short_max_age_and_repeated_fields_warn)
{
	struct fx *fx = fx_new();
	const struct finding *f;

	fx_policy(fx, "version: STSv1\nmode: enforce\nmx: *.example.org\nmx: *.example.net\n"
		      "max_age: 3600\nmode: testing\n");
	fx_probe(fx, 0, TLS_KEY_ECDSA);
	fx_judge(fx, NULL, NULL);
	f = vt_expect(fx->out, FC_STS_MAX_AGE_SHORT, STATE_WARNING,
		      &(struct finding_subject){.domain = DOMAIN});
	expect_text(f, DOMAIN ": max_age 3600 (1 hour) is under one day: senders refetch the "
			      "policy constantly, and a failed fetch then drops it");
	f = vt_expect(fx->out, FC_STS_POLICY_DUPLICATE_FIELD, STATE_WARNING,
		      &(struct finding_subject){.domain = DOMAIN});
	expect_text(f, DOMAIN ": the policy gives mode twice (line 6, with another value): "
			      "senders that follow RFC 8461 use the first, others may not");
	ck_assert_int_eq(output_state(fx->out), STATE_WARNING);
	fx_free(fx);
}
END_TEST

/* ---------------------------------------------------------------- the MX hosts */

struct cover_case {
	const char *policy;
	state_t state;
	const char *who;
};

static const struct cover_case cover_cases[] = {
    {"version: STSv1\nmode: enforce\nmx: mx1.example.org\nmax_age: 86400\n", STATE_CRITICAL,
     "senders that use MTA-STS do not deliver to mx2.example.net"},
    {"version: STSv1\nmode: testing\nmx: mx1.example.org\nmax_age: 86400\n", STATE_WARNING,
     "mode testing: senders that use MTA-STS still deliver to mx2.example.net and report a "
     "failure"},
    {"version: STSv1\nmode: none\nmx: mx1.example.org\nmax_age: 86400\n", STATE_OK,
     "mode none: senders that use MTA-STS apply no policy to mx2.example.net"},
};

START_TEST(hosts_no_pattern_matches_depend_on_the_mode)
{
	const struct cover_case *c = &cover_cases[_i];
	struct fx *fx = fx_new();
	const struct finding *f;
	char want[512];

	fx_policy(fx, c->policy);
	fx_judge(fx, NULL, NULL);
	f = vt_expect(fx->out, FC_STS_MX_NOT_COVERED, c->state,
		      &(struct finding_subject){.domain = DOMAIN, .host = MX2});
	snprintf(want, sizeof(want),
		 MX2 " (MX 20) matches no mx of the policy (mx1.example.org): %s", c->who);
	expect_text(f, want);
	f = vt_expect(fx->out, FC_STS_MX_COVERED, STATE_OK,
		      &(struct finding_subject){.domain = DOMAIN, .host = MX1});
	ck_assert_int_eq(f->level, 1);
	ck_assert_str_eq(finding_param(f, "pattern")->string, "mx1.example.org");
	fx_free(fx);
}
END_TEST

START_TEST(a_dane_host_not_covered_names_the_senders_without_dane)
{
	struct fx *fx = fx_new();

	fx_policy(fx, "version: STSv1\nmode: enforce\nmx: *.example.net\nmax_age: 86400\n");
	fx_judge(fx, NULL, NULL);
	expect_text(vt_expect(fx->out, FC_STS_MX_NOT_COVERED, STATE_CRITICAL,
			      &(struct finding_subject){.host = MX1}),
		    MX1 " (MX 10) matches no mx of the policy (*.example.net): senders that use "
			"MTA-STS and not DANE do not deliver to mx1.example.org");
	fx_free(fx);
}
END_TEST

START_TEST(unresolvable_hosts_and_a_blind_resolver)
{
	struct fx *fx = fx_new();
	const struct finding *f;

	fx->hosts[1].naddrs = 0;
	fx->hosts[1].addr_class = DNS_NONEXISTENT;
	fx->r.trust.result.verdict = DNS_TRUST_DOES_NOT_VALIDATE;
	fx->r.trust.result.judged = true;
	snprintf(fx->r.trust.resolver, sizeof(fx->r.trust.resolver), "127.0.0.1@53");
	fx_judge(fx, NULL, NULL);
	f = vt_expect(fx->out, FC_STS_HOST_UNRESOLVABLE, STATE_CRITICAL,
		      &(struct finding_subject){.domain = DOMAIN, .host = MX2});
	expect_text(f, MX2 " (MX 20): no address: senders cannot deliver to it");
	vt_expect(fx->out, FC_STS_DANE_NOT_JUDGED, STATE_WARNING,
		  &(struct finding_subject){.domain = DOMAIN, .resolver = "127.0.0.1@53"});
	fx_free(fx);
	/* bogus addresses: validating senders cannot deliver */
	fx = fx_new();
	fx->hosts[1].addr_class = DNS_BOGUS;
	fx_judge(fx, NULL, NULL);
	f = vt_expect(fx->out, FC_STS_HOST_UNRESOLVABLE, STATE_CRITICAL,
		      &(struct finding_subject){.host = MX2});
	ck_assert(strstr(f->text, "do not validate") != NULL);
	fx_free(fx);
}
END_TEST

/* ---------------------------------------------------------------- the probes */

START_TEST(self_signed_under_enforce_with_dane_names_the_mta_sts_senders)
{
	struct fx *fx = fx_new();
	const struct finding *f;

	fx_probe(fx, 0, TLS_KEY_ECDSA);
	fx->pkix[0] =
	    (struct pkix_result){PKIX_UNTRUSTED, X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, 0};
	fx_probe(fx, 1, TLS_KEY_ECDSA);
	fx_judge(fx, NULL, NULL);
	f = vt_expect(
	    fx->out, FC_STS_CERT_INVALID, STATE_CRITICAL,
	    &(struct finding_subject){
		.domain = DOMAIN, .host = MX1, .address = ADDR1, .port = 25, .cert_type = "ECDSA"});
	expect_text(f,
		    MX1 "[" ADDR1 "]:25 ECDSA P-256 certificate: senders that use MTA-STS and "
			"not DANE defer mail to mx1.example.org: the certificate is self-signed; "
			"DANE senders: verified (3 1 1 ababab...ababab at depth 0)");
	ck_assert_str_eq(finding_param(f, "pkix")->string, "untrusted");
	ck_assert(finding_param(f, "dane_verified")->boolean);
	expect_summary(fx->out,
		       DOMAIN ": 1 of 2 addresses fails (policy enforce); " MX1 "[" ADDR1
			      "]:25 ECDSA P-256 certificate: senders that use MTA-STS and "
			      "not DANE defer mail to mx1.example.org: the certificate is "
			      "self-signed; DANE senders: verified (3 1 1 ababab...ababab at "
			      "depth 0)");
	vt_expect(fx->out, FC_STS_CERT_VALID, STATE_OK,
		  &(struct finding_subject){.host = MX2, .address = ADDR2});
	fx_free(fx);
}
END_TEST

/* One probe of mx2 (no DANE) or mx1 (DANE) and what it concludes, by mode. */
struct probe_case {
	const char *name;
	size_t host;
	const char *policy_mode;
	enum smtp_result smtp;
	enum smtp_why why;
	enum tls_outcome tls;
	enum tls_why tls_why;
	enum pkix_outcome pkix;
	enum finding_code code;
	state_t state;
};

static const struct probe_case probe_cases[] = {
    {"valid, no DANE", 1, "enforce", SMTP_OK, SMTP_WHY_ACCEPTED, TLS_ERR_NO_USABLE,
     TLS_WHY_NO_USABLE, PKIX_OK, FC_STS_CERT_VALID, STATE_OK},
    {"wrong name, enforce", 1, "enforce", SMTP_OK, SMTP_WHY_ACCEPTED, TLS_ERR_NO_USABLE,
     TLS_WHY_NO_USABLE, PKIX_NAME_MISMATCH, FC_STS_CERT_INVALID, STATE_CRITICAL},
    {"expired, testing", 1, "testing", SMTP_OK, SMTP_WHY_ACCEPTED, TLS_ERR_NO_USABLE,
     TLS_WHY_NO_USABLE, PKIX_EXPIRED, FC_STS_CERT_INVALID, STATE_WARNING},
    {"untrusted, none", 1, "none", SMTP_OK, SMTP_WHY_ACCEPTED, TLS_ERR_NO_USABLE, TLS_WHY_NO_USABLE,
     PKIX_UNTRUSTED, FC_STS_CERT_INVALID, STATE_OK},
    {"DANE fails, PKIX valid", 0, "enforce", SMTP_OK, SMTP_WHY_ACCEPTED, TLS_ERR_VERIFY,
     TLS_WHY_VERIFY, PKIX_OK, FC_STS_DANE_FAILS, STATE_CRITICAL},
    {"DANE fails under testing", 0, "testing", SMTP_OK, SMTP_WHY_ACCEPTED, TLS_ERR_VERIFY,
     TLS_WHY_VERIFY, PKIX_UNTRUSTED, FC_STS_DANE_FAILS, STATE_CRITICAL},
    {"no STARTTLS, enforce", 1, "enforce", SMTP_ERR_NO_STARTTLS, SMTP_WHY_NO_STARTTLS, TLS_OK,
     TLS_WHY_MATCHED, PKIX_NO_CHAIN, FC_STS_TLS_UNAVAILABLE, STATE_CRITICAL},
    {"no STARTTLS, testing", 1, "testing", SMTP_ERR_NO_STARTTLS, SMTP_WHY_NO_STARTTLS, TLS_OK,
     TLS_WHY_MATCHED, PKIX_NO_CHAIN, FC_STS_TLS_UNAVAILABLE, STATE_WARNING},
    {"no STARTTLS on a DANE host, testing", 0, "testing", SMTP_ERR_NO_STARTTLS,
     SMTP_WHY_NO_STARTTLS, TLS_OK, TLS_WHY_MATCHED, PKIX_NO_CHAIN, FC_STS_TLS_UNAVAILABLE,
     STATE_CRITICAL},
    {"handshake failed, testing", 1, "testing", SMTP_OK, SMTP_WHY_ACCEPTED, TLS_ERR_HANDSHAKE,
     TLS_WHY_TLS_ERROR, PKIX_NO_CHAIN, FC_STS_TLS_UNAVAILABLE, STATE_WARNING},
    {"refused", 1, "none", SMTP_ERR_CONNECT_REFUSED, SMTP_WHY_STEP, TLS_OK, TLS_WHY_MATCHED,
     PKIX_NO_CHAIN, FC_STS_CONNECTION_FAILED, STATE_CRITICAL},
    {"greeting 554", 0, "enforce", SMTP_ERR_GREETING, SMTP_WHY_GREETING, TLS_OK, TLS_WHY_MATCHED,
     PKIX_NO_CHAIN, FC_STS_CONNECTION_FAILED, STATE_CRITICAL},
    {"not offered", 1, "enforce", SMTP_OK, SMTP_WHY_ACCEPTED, TLS_ERR_NOT_OFFERED,
     TLS_WHY_NOT_OFFERED, PKIX_NO_CHAIN, FC_STS_TYPE_NOT_OFFERED, STATE_OK},
    {"SMTP local", 1, "enforce", SMTP_ERR_LOCAL, SMTP_WHY_NOMEM, TLS_OK, TLS_WHY_MATCHED,
     PKIX_NO_CHAIN, FC_STS_PROBE_LOCAL_FAILURE, STATE_UNKNOWN},
    {"TLS local", 1, "enforce", SMTP_OK, SMTP_WHY_ACCEPTED, TLS_ERR_LOCAL, TLS_WHY_NOMEM,
     PKIX_NO_CHAIN, FC_STS_PROBE_LOCAL_FAILURE, STATE_UNKNOWN},
};

START_TEST(probes_conclude_per_kind_of_sender)
{
	const struct probe_case *c = &probe_cases[_i];
	struct fx *fx = fx_new();
	struct probe_result *r;
	const struct finding *f;
	char body[256];

	snprintf(body, sizeof(body),
		 "version: STSv1\nmode: %s\nmx: *.example.org\nmx: *.example.net\nmax_age: 86400\n",
		 c->policy_mode);
	fx_policy(fx, body);
	r = fx_probe(fx, c->host, TLS_KEY_RSA);
	r->smtp.result = c->smtp;
	r->smtp.why = c->why;
	if (c->smtp != SMTP_OK) {
		r->smtp.stage = SMTP_STAGE_EHLO;
		r->tls_done = false;
		memset(&r->tls, 0, sizeof(r->tls));
	} else {
		r->tls.outcome = c->tls;
		r->tls.why = c->tls_why;
		r->tls.verify_error = X509_V_ERR_DANE_NO_MATCH;
		if (c->tls != TLS_OK && c->tls != TLS_ERR_VERIFY && c->tls != TLS_ERR_NO_USABLE) {
			r->tls.certs = NULL;
			r->tls.ncerts = 0;
		}
	}
	fx->pkix[0] = (struct pkix_result){c->pkix, c->pkix == PKIX_OK ? X509_V_OK : 18, 0};
	fx_judge(fx, NULL, NULL);
	f = vt_expect(fx->out, c->code, c->state,
		      &(struct finding_subject){.domain = DOMAIN,
						.host = c->host == 0 ? MX1 : MX2,
						.address = c->host == 0 ? ADDR1 : ADDR2,
						.port = 25});
	if (c->code == FC_STS_DANE_FAILS)
		ck_assert(strstr(f->text, "DANE senders defer mail to mx1.example.org: certificate "
					  "verification failed") != NULL);
	if (c->code == FC_STS_TLS_UNAVAILABLE && c->host == 0)
		ck_assert(strstr(f->text, "; DANE senders defer mail too") != NULL);
	if (c->code == FC_STS_TYPE_NOT_OFFERED)
		ck_assert_int_eq(f->level, 1);
	fx_free(fx);
}
END_TEST

START_TEST(an_address_failing_alike_for_every_type_is_one_line)
{
	struct fx *fx = fx_new();
	size_t k;

	for (k = 0; k < 3; k++) {
		struct probe_result *r = fx_probe(fx, 1, (enum tls_key_type)(TLS_KEY_ECDSA + k));

		r->smtp.result = SMTP_ERR_CONNECT_REFUSED;
		r->smtp.why = SMTP_WHY_STEP;
		r->tls_done = false;
		memset(&r->tls, 0, sizeof(r->tls));
		fx->pkix[k] = (struct pkix_result){PKIX_NO_CHAIN, 0, -1};
	}
	fx_judge(fx, NULL, NULL);
	vt_expect(fx->out, FC_STS_CONNECTION_FAILED, STATE_CRITICAL,
		  &(struct finding_subject){.host = MX2});
	ck_assert_ptr_null(vt_find(fx->out, FC_STS_CONNECTION_FAILED)->subject.cert_type);
	ck_assert_uint_eq(fx->c.addresses, 1);
	ck_assert_uint_eq(fx->c.failed_addresses, 1);
	ck_assert_uint_eq(fx->c.pkix_failed, 3);
	fx_free(fx);
}
END_TEST

START_TEST(unstarted_incomplete_left_out_and_slow)
{
	struct fx *fx = fx_new();
	struct probe_result *r;
	struct range warn, crit;
	const struct finding *f;
	char err[128];

	ck_assert_int_eq(range_parse("0.01", &warn, err, sizeof(err)), 0);
	ck_assert_int_eq(range_parse("10", &crit, err, sizeof(err)), 0);
	fx_probe(fx, 0, TLS_KEY_ECDSA);
	r = fx_probe(fx, 0, TLS_KEY_RSA);
	r->started = false;
	r->smtp.result = SMTP_ERR_TIMEOUT;
	r->smtp.why = SMTP_WHY_NOT_PROBED;
	r->smtp.skipped_seconds = 10;
	r->smtp.skipped_parallel = 1;
	fx->b.incomplete = true;
	fx->b.left.n = 3;
	fx->b.left.first = &fx->hosts[1];
	fx_judge(fx, &warn, &crit);
	f = vt_expect(fx->out, FC_STS_PROBE_NOT_STARTED, STATE_WARNING,
		      &(struct finding_subject){.host = MX1, .address = ADDR1});
	ck_assert_str_eq(finding_param(f, "cert_types")->string, "RSA");
	vt_expect(fx->out, FC_STS_PROBE_INCOMPLETE, STATE_UNKNOWN,
		  &(struct finding_subject){.domain = DOMAIN});
	f = vt_expect(fx->out, FC_STS_ADDRESSES_LEFT_OUT, STATE_WARNING,
		      &(struct finding_subject){.domain = DOMAIN, .host = MX2});
	ck_assert_int_eq(finding_param(f, "not_probed")->integer, 3);
	f = vt_expect(fx->out, FC_STS_SLOW, STATE_WARNING,
		      &(struct finding_subject){.host = MX1, .address = ADDR1});
	ck_assert_str_eq(finding_param(f, "warning")->string, "0.01");
	fx_free(fx);
	/* the same time against -c: CRITICAL */
	fx = fx_new();
	fx_probe(fx, 0, TLS_KEY_ECDSA);
	fx_judge(fx, &warn, &warn);
	vt_expect(fx->out, FC_STS_SLOW, STATE_CRITICAL, NULL);
	fx_free(fx);
}
END_TEST

START_TEST(perfdata_labels_and_values)
{
	struct fx *fx = fx_new();
	const struct perfdata_item *pd;
	size_t n, i;
	static const char *const labels[] = {"time",        "addresses",      "pkix_valid",
					     "pkix_failed", "policy_max_age", "cert_expiry_days"};

	fx_probe(fx, 0, TLS_KEY_ECDSA);
	fx_probe(fx, 1, TLS_KEY_ECDSA);
	fx->pkix[1] = (struct pkix_result){PKIX_EXPIRED, X509_V_ERR_CERT_HAS_EXPIRED, 0};
	fx_judge(fx, NULL, NULL);
	pd = output_perfdata_items(fx->out, &n);
	ck_assert_uint_eq(n, 6);
	for (i = 0; i < n; i++)
		ck_assert_str_eq(pd[i].label, labels[i]);
	ck_assert(fabs(pd[1].value - 2) < 1e-9);
	ck_assert(fabs(pd[2].value - 1) < 1e-9);
	ck_assert(fabs(pd[3].value - 1) < 1e-9);
	ck_assert(fabs(pd[4].value - 604800) < 1e-9);
	ck_assert(fabs(pd[5].value - 20.5) < 1e-9);
	fx_free(fx);
	/* no policy, no probes: U */
	fx = fx_new();
	fx->fetch.status = MTASTS_FETCH_STATUS;
	fx->fetch.http_status = 500;
	fx->f.policy = NULL;
	fx->f.batch = NULL;
	fx_judge(fx, NULL, NULL);
	pd = output_perfdata_items(fx->out, &n);
	ck_assert(pd[4].unknown);
	ck_assert(pd[5].unknown);
	fx_free(fx);
}
END_TEST

Suite *
verdict_mta_sts_suite(void)
{
	Suite *s = suite_create("verdict_mta_sts");
	TCase *d = tcase_create("discovery"), *p = tcase_create("policy"),
	      *h = tcase_create("hosts"), *pr = tcase_create("probes");

	tcase_add_test(d, no_sts_record_is_ok_and_ends_the_check);
	tcase_add_loop_test(d, discovery_failures_are_critical, 0,
			    (int)(sizeof(discovery_cases) / sizeof(discovery_cases[0])));
	suite_add_tcase(s, d);
	tcase_add_test(p, a_valid_policy_and_its_record_are_ok_lines);
	tcase_add_loop_test(p, fetch_failures_say_why, 0,
			    (int)(sizeof(fetch_cases) / sizeof(fetch_cases[0])));
	tcase_add_test(p, an_invalid_policy_is_critical_with_its_line);
	tcase_add_test(p, short_max_age_and_repeated_fields_warn);
	suite_add_tcase(s, p);
	tcase_add_loop_test(h, hosts_no_pattern_matches_depend_on_the_mode, 0,
			    (int)(sizeof(cover_cases) / sizeof(cover_cases[0])));
	tcase_add_test(h, a_dane_host_not_covered_names_the_senders_without_dane);
	tcase_add_test(h, unresolvable_hosts_and_a_blind_resolver);
	suite_add_tcase(s, h);
	tcase_add_test(pr, self_signed_under_enforce_with_dane_names_the_mta_sts_senders);
	tcase_add_loop_test(pr, probes_conclude_per_kind_of_sender, 0,
			    (int)(sizeof(probe_cases) / sizeof(probe_cases[0])));
	tcase_add_test(pr, an_address_failing_alike_for_every_type_is_one_line);
	tcase_add_test(pr, unstarted_incomplete_left_out_and_slow);
	tcase_add_test(pr, perfdata_labels_and_values);
	suite_add_tcase(s, pr);
	return s;
}
