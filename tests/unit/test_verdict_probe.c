/*
 * test_verdict_probe.c -- the probe verdicts on facts, no network (table-driven).
 *
 * A fixture is one MX host with two addresses and a 3 1 1 record, and a
 * batch of probes built by hand (struct probe_target, struct probe_result:
 * the SMTP session, the TLS result with the presented leaf); the tests run
 * verdict_probe_batch() on it and assert the codes, states, subjects,
 * parameters and a few texts.
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cert.h"
#include "testdata.h"
#include "text.h"
#include "verdict_probe.h"
#include "verdict_test.h"

#define FX_PROBES 8
#define FX_NOW    ((time_t)1800000000)
#define HOST      "mx1.example.org."
#define ADDR4     "192.0.2.1"
#define ADDR6     "2001:db8::1"
#define LABEL4    HOST "[" ADDR4 "]:25"

/* The facts of one test: a walk with one host, a batch of probes. */
struct fx {
	struct mx_result r;
	struct mx_host host;
	struct tlsa_record rec;
	uint8_t data[32];
	struct cert_info leaf;
	struct probe_target targets[FX_PROBES];
	struct probe_result results[FX_PROBES];
	struct probe_batch b;
	struct output *out;
	struct verdict_probe_counts counts;
};

static void
fx_addr(struct mx_addr *a, const char *text)
{
	memset(a, 0, sizeof(*a));
	snprintf(a->text, sizeof(a->text), "%s", text);
	if (strchr(text, ':') != NULL) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&a->ss;

		s6->sin6_family = AF_INET6;
		inet_pton(AF_INET6, text, &s6->sin6_addr);
		a->len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&a->ss;

		s4->sin_family = AF_INET;
		inet_pton(AF_INET, text, &s4->sin_addr);
		a->len = sizeof(*s4);
	}
}

/* A walk of example.org. with one host, two addresses, TLSA 3 1 1 abab...ab. */
static struct fx *
fx_new(void)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	ck_assert_ptr_nonnull(fx);
	fx->r.status = MX_FOUND;
	snprintf(fx->r.domain, sizeof(fx->r.domain), "example.org.");
	fx->r.hosts = &fx->host;
	fx->r.nhosts = 1;
	snprintf(fx->host.name, sizeof(fx->host.name), HOST);
	snprintf(fx->host.tlsa_base, sizeof(fx->host.tlsa_base), HOST);
	fx->host.preference = 10;
	fx->host.addr_class = DNS_SECURE;
	fx->host.tlsa_class = DNS_SECURE;
	fx->host.tlsa_looked_up = true;
	fx_addr(&fx->host.addrs[0], ADDR4);
	fx_addr(&fx->host.addrs[1], ADDR6);
	fx->host.naddrs = 2;
	memset(fx->data, 0xab, sizeof(fx->data));
	fx->rec.rd = (struct tlsa_rdata){3, 1, 1, fx->data, sizeof(fx->data)};
	fx->rec.data = fx->data;
	fx->rec.verdict = TLSA_USABLE;
	fx->host.tlsa.records = &fx->rec;
	fx->host.tlsa.n = fx->host.tlsa.usable = 1;
	/* the leaf an ECDSA probe gets */
	snprintf(fx->leaf.subject, sizeof(fx->leaf.subject), "CN=mx1.example.org,O=Lab");
	snprintf(fx->leaf.issuer, sizeof(fx->leaf.issuer), "CN=Lab CA");
	snprintf(fx->leaf.cn, sizeof(fx->leaf.cn), "mx1.example.org");
	snprintf(fx->leaf.sans[0], sizeof(fx->leaf.sans[0]), "mx1.example.org");
	snprintf(fx->leaf.sans[1], sizeof(fx->leaf.sans[1]), "mail.example.org");
	fx->leaf.nsans = fx->leaf.sans_total = 2;
	snprintf(fx->leaf.key, sizeof(fx->leaf.key), "EC 256");
	fx->leaf.dates_ok = true;
	fx->leaf.not_before = FX_NOW - 10 * 86400;
	fx->leaf.not_after = FX_NOW + 20 * 86400 + 43200; /* 20.5 days left */
	memset(fx->leaf.spki_sha256, 0x4f, sizeof(fx->leaf.spki_sha256));
	fx->leaf.digests_ok = true;
	fx->b.targets = fx->targets;
	fx->b.results = fx->results;
	fx->out = output_new("DANE_SMTP");
	ck_assert_ptr_nonnull(fx->out);
	return fx;
}

static void
fx_free(struct fx *fx)
{
	output_free(fx->out);
	free(fx);
}

/* Add a probe of address a (0: IPv4, 1: IPv6) for type: STARTTLS accepted, handshake
 * verified with the leaf, 0.05 s. Returns its result to change. */
static struct probe_result *
fx_probe(struct fx *fx, size_t a, enum tls_key_type type)
{
	size_t i = fx->b.n++;
	struct probe_result *r = &fx->results[i];

	ck_assert_uint_lt(i, FX_PROBES);
	fx->targets[i] = (struct probe_target){&fx->host, &fx->host.addrs[a], 25, type};
	snprintf(r->label, sizeof(r->label), "%s[%s]:25", HOST, a == 0 ? ADDR4 : ADDR6);
	r->key_type = type;
	r->started = true;
	r->smtp.result = SMTP_OK;
	r->smtp.stage = SMTP_STAGE_DONE;
	snprintf(r->smtp.reason, sizeof(r->smtp.reason), "STARTTLS accepted (220), ready for TLS");
	r->tls_done = true;
	r->tls.outcome = TLS_OK;
	r->tls.matched = true;
	r->tls.match = fx->rec.rd;
	r->tls.match_index = 0;
	r->tls.match_depth = 0;
	snprintf(r->tls.version, sizeof(r->tls.version), "TLSv1.3");
	snprintf(r->tls.cipher, sizeof(r->tls.cipher), "TLS_AES_256_GCM_SHA384");
	r->tls.certs = &fx->leaf;
	r->tls.ncerts = 1;
	r->time = 0.05;
	return r;
}

/* A probe that ended in SMTP with result, stage and reason. */
static void
fx_smtp(struct probe_result *r, enum smtp_result result, enum smtp_stage stage, const char *reason)
{
	memset(&r->tls, 0, sizeof(r->tls));
	r->tls_done = false;
	r->smtp.result = result;
	r->smtp.stage = stage;
	snprintf(r->smtp.reason, sizeof(r->smtp.reason), "%s", reason);
}

/* A handshake that ended with outcome and reason, with or without the leaf. */
static void
fx_tls(struct probe_result *r, enum tls_outcome outcome, const char *reason, bool leaf)
{
	r->tls.outcome = outcome;
	r->tls.matched = false;
	r->tls.match_depth = -1;
	r->tls.match_index = -1;
	snprintf(r->tls.reason, sizeof(r->tls.reason), "%s", reason);
	if (!leaf) {
		r->tls.certs = NULL;
		r->tls.ncerts = 0;
	}
}

/* Judge the batch, without thresholds. */
static void
fx_judge(struct fx *fx)
{
	verdict_probe_batch(&fx->r, &fx->b, NULL, NULL, FX_NOW, fx->out, &fx->counts);
}

/* How many top-level findings there are, and how many of code. */
static size_t
count_findings(const struct output *out, enum finding_code code, size_t *all)
{
	const struct finding *f;
	size_t n = 0;

	*all = 0;
	for (f = output_root_const(out)->first_child; f != NULL; f = f->next) {
		(*all)++;
		n += f->code == code;
	}
	return n;
}

static void
expect_text(const struct finding *f, const char *want)
{
	ck_assert_msg(strcmp(f->text, want) == 0, "text\n  '%s'\nwant\n  '%s'", f->text, want);
}

static void
expect_param_str(const struct finding *f, const char *key, const char *want)
{
	const struct finding_param *p = finding_param(f, key);

	ck_assert_msg(p != NULL && p->type == FINDING_PARAM_STRING, "no string param %s", key);
	ck_assert_msg(strcmp(p->string, want) == 0, "param %s is '%s', want '%s'", key, p->string,
		      want);
}

static void
expect_param_int(const struct finding *f, const char *key, long long want)
{
	const struct finding_param *p = finding_param(f, key);

	ck_assert_msg(p != NULL && p->type == FINDING_PARAM_INTEGER, "no integer param %s", key);
	ck_assert_msg(p->integer == want, "param %s is %lld, want %lld", key, p->integer, want);
}

/* --- one probe of one type: every conclusion -------------------------- */

/* One address probed for RSA only (--key-types rsa): what its one probe saw. */
struct one_case {
	const char *name;
	enum smtp_result smtp; /* SMTP_OK: the handshake ran */
	enum smtp_stage stage;
	const char *reason;
	enum tls_outcome tls;
	long verify_error; /* for TLS_ERR_VERIFY */
	bool leaf;         /* the server presented the leaf */
	enum finding_code code;
	state_t state;
	const char *text; /* NULL: not compared */
};

/* the leaf is ECDSA P-256, whatever the type asked for */
#define LEAF_LABEL LABEL4 " ECDSA P-256 certificate"

static const struct one_case one_cases[] = {
    {"verified", SMTP_OK, SMTP_STAGE_DONE, NULL, TLS_OK, 0, true, FC_TLSA_MATCH, STATE_OK,
     LEAF_LABEL ": TLSv1.3 TLS_AES_256_GCM_SHA384, matched 3 1 1 ababab...ababab at depth 0 "
		"in 0.050 s"},
    {"type not offered", SMTP_OK, SMTP_STAGE_DONE, NULL, TLS_ERR_NOT_OFFERED, 0, false,
     FC_TLS_TYPE_NOT_OFFERED, STATE_OK,
     LABEL4 " RSA certificate: not offered (no RSA certificate)"},
    {"no match", SMTP_OK, SMTP_STAGE_DONE, NULL, TLS_ERR_VERIFY, X509_V_ERR_DANE_NO_MATCH, true,
     FC_TLSA_NO_MATCH, STATE_CRITICAL,
     LEAF_LABEL ": no TLSA record matches (no match); senders that "
		"negotiate RSA defer mail; presented mx1.example.org (issuer CN=Lab CA, key EC "
		"256); the presented key would match: 3 1 1 "
		"4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f"},
    {"DANE-TA name mismatch", SMTP_OK, SMTP_STAGE_DONE, NULL, TLS_ERR_VERIFY,
     X509_V_ERR_HOSTNAME_MISMATCH, true, FC_CERT_DANE_TA_NAME_MISMATCH, STATE_CRITICAL,
     LEAF_LABEL ": DANE-TA name check failed: the certificate names CN=mx1.example.org; SANs "
		"DNS:mx1.example.org, DNS:mail.example.org, expected mx2.example.net. or "
		"mx1.example.org.; senders that negotiate RSA defer mail"},
    {"refused", SMTP_ERR_CONNECT_REFUSED, SMTP_STAGE_CONNECT, "connection refused", TLS_OK, 0,
     false, FC_SMTP_REFUSED, STATE_CRITICAL, LABEL4 ": connection refused"},
    {"unreachable", SMTP_ERR_UNREACHABLE, SMTP_STAGE_CONNECT, "no route to host", TLS_OK, 0, false,
     FC_SMTP_UNREACHABLE, STATE_CRITICAL, NULL},
    {"SMTP timeout", SMTP_ERR_TIMEOUT, SMTP_STAGE_GREETING,
     "timed out after 10 s while waiting for the greeting", TLS_OK, 0, false, FC_SMTP_TIMEOUT,
     STATE_CRITICAL, NULL},
    {"greeting not 2xx", SMTP_ERR_GREETING, SMTP_STAGE_GREETING,
     "greeting is 554, not 2xx: 554 go away", TLS_OK, 0, false, FC_SMTP_BAD_GREETING,
     STATE_CRITICAL, LABEL4 ": greeting is 554, not 2xx: 554 go away"},
    {"protocol error", SMTP_ERR_PROTOCOL, SMTP_STAGE_EHLO,
     "protocol error after EHLO: not an SMTP reply", TLS_OK, 0, false, FC_SMTP_PROTOCOL_ERROR,
     STATE_CRITICAL, NULL},
    {"closed", SMTP_ERR_CLOSED, SMTP_STAGE_GREETING,
     "connection closed by the server while waiting for the greeting", TLS_OK, 0, false,
     FC_SMTP_CLOSED, STATE_CRITICAL, NULL},
    {"no STARTTLS", SMTP_ERR_NO_STARTTLS, SMTP_STAGE_EHLO,
     "STARTTLS not offered in the reply to EHLO", TLS_OK, 0, false, FC_SMTP_NO_STARTTLS,
     STATE_CRITICAL,
     LABEL4 ": STARTTLS not offered in the reply to EHLO: DANE senders defer mail to it"},
    {"STARTTLS refused", SMTP_ERR_STARTTLS_REFUSED, SMTP_STAGE_STARTTLS,
     "STARTTLS refused with 454: 454 TLS not available", TLS_OK, 0, false, FC_SMTP_STARTTLS_REFUSED,
     STATE_CRITICAL, NULL},
    {"SMTP local", SMTP_ERR_LOCAL, SMTP_STAGE_CONNECT, "out of memory", TLS_OK, 0, false,
     FC_PROBE_LOCAL_FAILURE, STATE_CRITICAL, LABEL4 ": out of memory"},
    {"handshake failure", SMTP_OK, SMTP_STAGE_DONE, NULL, TLS_ERR_HANDSHAKE, 0, false,
     FC_TLS_HANDSHAKE_FAILED, STATE_CRITICAL,
     LABEL4 " RSA certificate: TLS handshake failed: sslv3 alert handshake failure"},
    {"TLS timeout", SMTP_OK, SMTP_STAGE_DONE, NULL, TLS_ERR_TIMEOUT, 0, false, FC_TLS_TIMEOUT,
     STATE_CRITICAL, NULL},
    {"TLS closed", SMTP_OK, SMTP_STAGE_DONE, NULL, TLS_ERR_CLOSED, 0, false, FC_TLS_CLOSED,
     STATE_CRITICAL, NULL},
    {"no usable records", SMTP_OK, SMTP_STAGE_DONE, NULL, TLS_ERR_NO_USABLE, 0, true,
     FC_TLS_NO_USABLE_TLSA, STATE_CRITICAL, NULL},
    {"TLS local", SMTP_OK, SMTP_STAGE_DONE, NULL, TLS_ERR_LOCAL, 0, false, FC_PROBE_LOCAL_FAILURE,
     STATE_CRITICAL, NULL},
};

START_TEST(one_probe)
{
	const struct one_case *c = &one_cases[_i];
	struct fx *fx = fx_new();
	struct probe_result *r = fx_probe(fx, 0, TLS_KEY_RSA);
	const struct finding *f;
	size_t all;

	if (c->smtp != SMTP_OK) {
		fx_smtp(r, c->smtp, c->stage, c->reason);
	} else if (c->tls != TLS_OK) {
		fx_tls(r, c->tls,
		       c->tls == TLS_ERR_NOT_OFFERED ? "no RSA certificate"
		       : c->tls == TLS_ERR_HANDSHAKE ? "TLS handshake failed: sslv3 alert "
						       "handshake failure"
						     : "it failed",
		       c->leaf);
		r->tls.verify_error = c->verify_error;
		snprintf(r->tls.verify_text, sizeof(r->tls.verify_text), "no match");
	}
	if (c->verify_error == X509_V_ERR_HOSTNAME_MISMATCH) {
		/* a CNAME: the base domain is the expansion, the MX name the second name */
		snprintf(fx->host.tlsa_base, sizeof(fx->host.tlsa_base), "mx2.example.net.");
		snprintf(fx->host.expanded, sizeof(fx->host.expanded), "mx2.example.net.");
	}
	fx_judge(fx);
	f = vt_expect(fx->out, c->code, c->state,
		      &(struct finding_subject){
			  .domain = "example.org.", .host = HOST, .address = ADDR4, .port = 25});
	/* a failure before TLS is the address's; the others are the type's */
	if (c->smtp == SMTP_OK)
		ck_assert_str_eq(f->subject.cert_type, "RSA");
	ck_assert_uint_eq(count_findings(fx->out, c->code, &all), 1);
	ck_assert_uint_eq(all, 1);
	if (c->text != NULL)
		expect_text(f, c->text);
	ck_assert_int_eq(f->level, c->code == FC_TLS_TYPE_NOT_OFFERED ? 1 : 0);
	ck_assert_uint_eq(fx->counts.addresses, 1);
	ck_assert_uint_eq(fx->counts.verified, c->code == FC_TLSA_MATCH);
	ck_assert_uint_eq(fx->counts.not_offered, c->code == FC_TLS_TYPE_NOT_OFFERED);
	ck_assert_uint_eq(fx->counts.failed, c->state == STATE_CRITICAL);
	ck_assert_uint_eq(fx->counts.failed_addresses, c->state == STATE_CRITICAL);
	fx_free(fx);
}
END_TEST

/* --- the parameters of the findings ------------------------------------ */

START_TEST(match_params)
{
	struct fx *fx = fx_new();
	struct probe_result *r = fx_probe(fx, 1, TLS_KEY_ANY);
	const struct finding *f;
	char want[80];
	size_t k;

	r->tls.match_depth = 1;
	r->tls.anchor_from_dns = true;
	snprintf(r->tls.peername, sizeof(r->tls.peername), "mx1.example.org");
	snprintf(fx->host.expanded, sizeof(fx->host.expanded), "mx1.example.net.");
	snprintf(fx->host.tlsa_base, sizeof(fx->host.tlsa_base), "mx1.example.net.");
	fx_judge(fx);
	snprintf(want, sizeof(want), "3 1 1 ");
	for (k = 0; k < 32; k++)
		strcat(want, "ab");
	f = vt_expect(fx->out, FC_TLSA_MATCH, STATE_OK,
		      &(struct finding_subject){.host = HOST, .address = ADDR6, .tlsa = want});
	/* the fallback handshake is the address's, not a type's */
	ck_assert_ptr_null(f->subject.cert_type);
	ck_assert(finding_param(f, "offered_none_of_types")->boolean);
	expect_text(f, HOST "[" ADDR6 "]:25: TLSv1.3 TLS_AES_256_GCM_SHA384, matched 3 1 1 "
			    "ababab...ababab (the trust anchor is the record itself, from "
			    "DNS; it signed the certificate at depth 1), name mx1.example.org, "
			    "TLSA base domain mx1.example.net. in 0.050 s");
	expect_param_str(f, "tls_version", "TLSv1.3");
	expect_param_str(f, "cipher", "TLS_AES_256_GCM_SHA384");
	expect_param_int(f, "match_depth", 1);
	ck_assert(finding_param(f, "anchor_from_dns")->boolean);
	expect_param_str(f, "peername", "mx1.example.org");
	expect_param_str(f, "tlsa_base", "mx1.example.net.");
	ck_assert(fabs(finding_param(f, "time")->number - 0.05) < 1e-9);
	expect_param_str(f, "leaf_key", "ECDSA P-256");
	expect_param_int(f, "leaf_not_after", (long long)fx->leaf.not_after);
	fx_free(fx);
}
END_TEST

START_TEST(no_match_params)
{
	struct fx *fx = fx_new();
	struct probe_result *r = fx_probe(fx, 0, TLS_KEY_ECDSA);
	const struct finding *f;

	fx_tls(r, TLS_ERR_VERIFY, "verification failed", true);
	r->tls.verify_error = X509_V_ERR_DANE_NO_MATCH;
	fx_judge(fx);
	f = vt_expect(fx->out, FC_TLSA_NO_MATCH, STATE_CRITICAL,
		      &(struct finding_subject){.cert_type = "ECDSA"});
	expect_param_str(f, "would_match",
			 "3 1 1 4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f");
	expect_param_str(f, "leaf_subject", "CN=mx1.example.org,O=Lab");
	expect_param_str(f, "leaf_issuer", "CN=Lab CA");
	expect_param_str(f, "leaf_key", "ECDSA P-256");
	expect_param_int(f, "presented_certs", 1);
	expect_param_int(f, "verify_error", X509_V_ERR_DANE_NO_MATCH);
	fx_free(fx);
}
END_TEST

START_TEST(no_match_without_certificate)
{
	struct fx *fx = fx_new();
	struct probe_result *r = fx_probe(fx, 0, TLS_KEY_ECDSA);
	const struct finding *f;

	fx_tls(r, TLS_ERR_VERIFY, "verification failed", false);
	r->tls.verify_error = X509_V_ERR_DANE_NO_MATCH;
	snprintf(r->tls.verify_text, sizeof(r->tls.verify_text), "no match");
	fx_judge(fx);
	f = vt_expect(fx->out, FC_TLSA_NO_MATCH, STATE_CRITICAL, NULL);
	expect_text(f, LABEL4 " ECDSA certificate: no TLSA record matches (no match); senders "
			      "that negotiate ECDSA defer mail; no certificate was presented");
	ck_assert_ptr_null(finding_param(f, "would_match"));
	expect_param_int(f, "presented_certs", 0);
	fx_free(fx);
}
END_TEST

/* Read tests/data/NAME into a hex string. */
static void
hex_of(const char *name, char *hex, size_t size)
{
	uint8_t buf[64];
	size_t n = testdata_hex(name, buf, sizeof(buf));

	ck_assert_uint_gt(n, 0);
	ck_assert_uint_gt(size, 2 * n);
	text_hex(buf, n, hex, size);
}

/*
 * The published 3 1 1 of the presented key is ignored by senders because a
 * 3 1 2 (of another key) exists: the line says so and what to publish, and
 * carries check_tlsa's finding on that record (RFC 7671 9).
 */
START_TEST(no_match_of_a_record_that_digest_agility_disables)
{
	struct fx *fx = fx_new();
	struct probe_result *r = fx_probe(fx, 0, TLS_KEY_ECDSA);
	struct tlsa_record recs[2];
	uint8_t d256[32], d512[64];
	char path[512], err[256], h256[65], h512[129], want[400];
	const struct finding *f, *c;
	STACK_OF(X509) *chain = NULL;

	ck_assert_uint_eq(testdata_hex("mx1.spki-sha256.hex", d256, sizeof(d256)), 32);
	ck_assert_uint_eq(testdata_hex("other.spki-sha512.hex", d512, sizeof(d512)), 64);
	recs[0] =
	    (struct tlsa_record){.rd = {3, 1, 1, d256, 32}, .data = d256, .verdict = TLSA_SHADOWED};
	recs[1] =
	    (struct tlsa_record){.rd = {3, 1, 2, d512, 64}, .data = d512, .verdict = TLSA_USABLE};
	fx->host.tlsa.records = recs;
	fx->host.tlsa.n = 2;
	fx->host.tlsa.usable = 1;
	testdata_path(path, sizeof(path), "mx1-chain.pem");
	ck_assert_int_eq(cert_load_chain_pem(path, &chain, err, sizeof(err)), 0);
	fx_tls(r, TLS_ERR_VERIFY, "verification failed", true);
	r->tls.chain = chain;
	r->tls.verify_error = X509_V_ERR_DANE_NO_MATCH;
	snprintf(r->tls.verify_text, sizeof(r->tls.verify_text), "no matching DANE TLSA records");
	fx_judge(fx);
	f = vt_expect(
	    fx->out, FC_TLSA_NO_MATCH, STATE_CRITICAL,
	    &(struct finding_subject){.host = HOST, .address = ADDR4, .cert_type = "ECDSA"});
	hex_of("mx1.spki-sha256.hex", h256, sizeof(h256));
	hex_of("mx1.spki-sha512.hex", h512, sizeof(h512));
	snprintf(want, sizeof(want), "3 1 2 %s", h512);
	expect_param_str(f, "would_match", want);
	ck_assert(finding_param(f, "digest_agility")->boolean);
	snprintf(want, sizeof(want),
		 "matches its key, but senders ignore every 3 1 1 record because 3 1 2 records "
		 "exist for the same usage and selector (digest agility, RFC 7671 9): publish 3 1 "
		 "2 %s, or drop the 3 1 2 records",
		 h512);
	ck_assert_msg(strstr(f->text, want) != NULL, "text: %s", f->text);
	ck_assert_ptr_null(strstr(f->text, "would match"));
	/* check_tlsa's finding on the record, below the line */
	snprintf(want, sizeof(want), "3 1 1 %s", h256);
	c = vt_expect(fx->out, FC_TLSA_DIGEST_AGILITY, STATE_WARNING,
		      &(struct finding_subject){.host = HOST, .tlsa = want});
	ck_assert_ptr_eq(f->first_child, c);
	sk_X509_pop_free(chain, X509_free);
	r->tls.chain = NULL;
	fx_free(fx);
}
END_TEST

START_TEST(name_mismatch_params)
{
	struct fx *fx = fx_new();
	struct probe_result *r = fx_probe(fx, 0, TLS_KEY_ECDSA);
	const struct finding *f;

	fx_tls(r, TLS_ERR_VERIFY, "verification failed", true);
	r->tls.verify_error = X509_V_ERR_HOSTNAME_MISMATCH;
	fx_judge(fx);
	f = vt_expect(fx->out, FC_CERT_DANE_TA_NAME_MISMATCH, STATE_CRITICAL,
		      &(struct finding_subject){.cert_type = "ECDSA"});
	/* base domain and MX name are one: named once */
	expect_text(f, LABEL4 " ECDSA P-256 certificate: DANE-TA name check failed: the "
			      "certificate names CN=mx1.example.org; SANs DNS:mx1.example.org, "
			      "DNS:mail.example.org, expected mx1.example.org.; senders that "
			      "negotiate ECDSA defer mail");
	expect_param_str(f, "leaf_cn", "mx1.example.org");
	expect_param_str(f, "leaf_sans", "mx1.example.org, mail.example.org");
	expect_param_str(f, "expected_names", "mx1.example.org.");
	fx_free(fx);
}
END_TEST

START_TEST(smtp_params)
{
	struct fx *fx = fx_new();
	struct probe_result *r = fx_probe(fx, 0, TLS_KEY_ECDSA);
	const struct finding *f;

	fx_smtp(r, SMTP_ERR_GREETING, SMTP_STAGE_GREETING, "greeting is 554, not 2xx: 554 no");
	r->smtp.greeting_code = 554;
	memcpy(r->smtp.greeting, "554 no", 7);
	r->smtp.greeting_len = 6;
	fx_judge(fx);
	f = vt_expect(fx->out, FC_SMTP_BAD_GREETING, STATE_CRITICAL, NULL);
	expect_param_str(f, "stage", "greeting");
	expect_param_int(f, "reply_code", 554);
	expect_param_str(f, "reply", "554 no");
	output_free(fx->out);

	fx->out = output_new("DANE_SMTP");
	fx_smtp(r, SMTP_ERR_NO_STARTTLS, SMTP_STAGE_EHLO,
		"EHLO rejected with 502, so no STARTTLS: 502 no");
	r->smtp.ehlo_code = 502;
	r->smtp.ehlo_rejected = true;
	fx_judge(fx);
	f = vt_expect(fx->out, FC_SMTP_NO_STARTTLS, STATE_CRITICAL, NULL);
	expect_param_str(f, "stage", "ehlo");
	expect_param_int(f, "reply_code", 502);
	ck_assert(finding_param(f, "ehlo_rejected")->boolean);
	output_free(fx->out);

	fx->out = output_new("DANE_SMTP");
	fx_smtp(r, SMTP_ERR_STARTTLS_REFUSED, SMTP_STAGE_STARTTLS,
		"STARTTLS refused with 454: 454 later");
	r->smtp.starttls_code = 454;
	memcpy(r->smtp.starttls_line, "454 later", 10);
	r->smtp.starttls_line_len = 9;
	fx_judge(fx);
	f = vt_expect(fx->out, FC_SMTP_STARTTLS_REFUSED, STATE_CRITICAL, NULL);
	expect_param_str(f, "stage", "starttls");
	expect_param_int(f, "reply_code", 454);
	expect_param_str(f, "reply", "454 later");
	output_free(fx->out);

	fx->out = output_new("DANE_SMTP");
	fx_smtp(r, SMTP_ERR_LOCAL, SMTP_STAGE_CONNECT, "out of memory");
	fx_judge(fx);
	f = vt_expect(fx->out, FC_PROBE_LOCAL_FAILURE, STATE_CRITICAL, NULL);
	expect_param_str(f, "layer", "smtp");
	fx_free(fx);
}
END_TEST

/* --- the folding rules: one address, three types ----------------------- */

START_TEST(same_failure_before_tls_is_one_line)
{
	struct fx *fx = fx_new();
	enum tls_key_type t;
	const struct finding *f;
	size_t all;

	for (t = TLS_KEY_ECDSA; t <= TLS_KEY_ED25519; t++)
		fx_smtp(fx_probe(fx, 0, t), SMTP_ERR_CONNECT_REFUSED, SMTP_STAGE_CONNECT,
			"connection refused");
	fx_judge(fx);
	f = vt_expect(fx->out, FC_SMTP_REFUSED, STATE_CRITICAL,
		      &(struct finding_subject){.host = HOST, .address = ADDR4, .port = 25});
	ck_assert_ptr_null(f->subject.cert_type);
	expect_text(f, LABEL4 ": connection refused");
	ck_assert_uint_eq(count_findings(fx->out, FC_SMTP_REFUSED, &all), 1);
	ck_assert_uint_eq(all, 1);
	/* three pairs failed, one address */
	ck_assert_uint_eq(fx->counts.failed, 3);
	ck_assert_uint_eq(fx->counts.failed_addresses, 1);
	fx_free(fx);
}
END_TEST

/* hostile numbered-554: every probe got another greeting: one line per probe */
START_TEST(different_words_give_a_line_per_probe)
{
	struct fx *fx = fx_new();
	const struct finding *f;
	enum tls_key_type t;
	char reason[64];
	size_t all, n = 0;

	for (t = TLS_KEY_ECDSA; t <= TLS_KEY_ED25519; t++) {
		snprintf(reason, sizeof(reason), "greeting is 554, not 2xx: 554 %d", (int)t);
		fx_smtp(fx_probe(fx, 0, t), SMTP_ERR_GREETING, SMTP_STAGE_GREETING, reason);
	}
	fx_judge(fx);
	vt_expect(fx->out, FC_SMTP_BAD_GREETING, STATE_CRITICAL, NULL);
	ck_assert_uint_eq(count_findings(fx->out, FC_SMTP_BAD_GREETING, &all), 3);
	ck_assert_uint_eq(all, 3);
	for (f = output_root_const(fx->out)->first_child; f != NULL; f = f->next, n++) {
		/* the label is the address's; the subject says which probe */
		snprintf(reason, sizeof(reason), LABEL4 ": greeting is 554, not 2xx: 554 %d",
			 (int)(TLS_KEY_ECDSA + n));
		expect_text(f, reason);
		ck_assert_str_eq(f->subject.cert_type, tls_key_type_name(TLS_KEY_ECDSA + n));
	}
	fx_free(fx);
}
END_TEST

/* same words but a certificate came: per type, the certificate named */
START_TEST(failure_after_a_certificate_is_per_type)
{
	struct fx *fx = fx_new();
	enum tls_key_type t;
	size_t all;

	for (t = TLS_KEY_ECDSA; t <= TLS_KEY_ED25519; t++)
		fx_tls(fx_probe(fx, 0, t), TLS_ERR_CLOSED, "closed after the certificate", true);
	fx_judge(fx);
	vt_expect(fx->out, FC_TLS_CLOSED, STATE_CRITICAL,
		  &(struct finding_subject){.cert_type = "ECDSA"});
	ck_assert_uint_eq(count_findings(fx->out, FC_TLS_CLOSED, &all), 3);
	fx_free(fx);
}
END_TEST

/* ECDSA verified, RSA not offered (only from -v), Ed25519 never started */
START_TEST(mixed_types)
{
	struct fx *fx = fx_new();
	struct probe_result *r;
	const struct finding *f;
	char *text;

	fx_probe(fx, 0, TLS_KEY_ECDSA);
	fx_tls(fx_probe(fx, 0, TLS_KEY_RSA), TLS_ERR_NOT_OFFERED, "no RSA certificate", false);
	r = fx_probe(fx, 0, TLS_KEY_ED25519);
	fx_smtp(r, SMTP_ERR_TIMEOUT, SMTP_STAGE_CONNECT,
		"not probed: the deadline (10 s) came before its turn (2 probes at once: file "
		"descriptors are limited, see ulimit -n)");
	r->started = false;
	fx_judge(fx);
	vt_expect(fx->out, FC_TLSA_MATCH, STATE_OK,
		  &(struct finding_subject){.cert_type = "ECDSA"});
	f = vt_expect(fx->out, FC_TLS_TYPE_NOT_OFFERED, STATE_OK,
		      &(struct finding_subject){.cert_type = "RSA"});
	ck_assert_int_eq(f->level, 1);
	f = vt_expect(fx->out, FC_PROBE_NOT_STARTED, STATE_WARNING,
		      &(struct finding_subject){.host = HOST, .address = ADDR4, .port = 25});
	expect_text(f, LABEL4 ": Ed25519 certificate not probed: the deadline (10 s) came before "
			      "its turn (2 probes at once: file descriptors are limited, see "
			      "ulimit -n)");
	expect_param_str(f, "cert_types", "Ed25519");
	ck_assert(finding_param(f, "deadline_passed")->boolean);
	ck_assert_uint_eq(fx->counts.verified, 1);
	ck_assert_uint_eq(fx->counts.not_offered, 1);
	ck_assert_uint_eq(fx->counts.failed, 0);
	ck_assert_uint_eq(fx->counts.failed_addresses, 0);

	/* not offered is hidden without -v, shown with it */
	verdict_probe_summary(&fx->r, &fx->counts, fx->out);
	text = output_render_text(fx->out);
	ck_assert_ptr_null(strstr(text, "not offered"));
	free(text);
	output_set_verbosity(fx->out, 1);
	text = output_render_text(fx->out);
	ck_assert_ptr_nonnull(strstr(text, "\n[OK] " LABEL4 " RSA certificate: not offered (no RSA "
					   "certificate)"));
	free(text);
	fx_free(fx);
}
END_TEST

/* two types not started: one line naming both */
START_TEST(types_not_started)
{
	struct fx *fx = fx_new();
	enum tls_key_type t;
	const struct finding *f;
	size_t all;

	for (t = TLS_KEY_ECDSA; t <= TLS_KEY_ED25519; t++) {
		struct probe_result *r = fx_probe(fx, 0, t);

		if (t == TLS_KEY_ECDSA)
			continue;
		fx_smtp(r, SMTP_ERR_LOCAL, SMTP_STAGE_CONNECT, "the probe could not be started");
		r->started = false;
	}
	fx_judge(fx);
	f = vt_expect(fx->out, FC_PROBE_NOT_STARTED, STATE_WARNING, NULL);
	expect_text(f, LABEL4 ": RSA, Ed25519 certificates the probe could not be started");
	ck_assert(!finding_param(f, "deadline_passed")->boolean);
	ck_assert_uint_eq(count_findings(fx->out, FC_PROBE_NOT_STARTED, &all), 1);
	ck_assert_uint_eq(all, 2);
	/* an address whose started probes all verified has not failed */
	ck_assert_uint_eq(fx->counts.failed, 0);
	fx_free(fx);
}
END_TEST

/* every type lacking, then OpenSSL's default: its verdict names no type */
START_TEST(fallback_handshake)
{
	struct fx *fx = fx_new();
	struct probe_result *r;
	const struct finding *f;

	r = fx_probe(fx, 0, TLS_KEY_ANY);
	fx_tls(r, TLS_ERR_VERIFY, "verification failed", true);
	r->tls.verify_error = X509_V_ERR_DANE_NO_MATCH;
	snprintf(r->tls.verify_text, sizeof(r->tls.verify_text), "no match");
	snprintf(fx->leaf.key, sizeof(fx->leaf.key), "ED448");
	fx_tls(fx_probe(fx, 0, TLS_KEY_RSA), TLS_ERR_NOT_OFFERED, "no RSA certificate", false);
	fx_tls(fx_probe(fx, 0, TLS_KEY_ED25519), TLS_ERR_NOT_OFFERED, "no Ed25519 certificate",
	       false);
	fx_judge(fx);
	f = vt_expect(fx->out, FC_TLSA_NO_MATCH, STATE_CRITICAL, NULL);
	ck_assert_ptr_null(f->subject.cert_type);
	ck_assert(strncmp(f->text,
			  LABEL4 " Ed448 certificate: no TLSA record matches (no match) (offered "
				 "no ECDSA, RSA or Ed25519 certificate); presented",
			  strlen(LABEL4) + 100) == 0);
	fx_free(fx);
}
END_TEST

/* --- the run: slowest address, incomplete, summary, perfdata ----------- */

START_TEST(slowest_address)
{
	static const struct {
		const char *warn, *crit;
		state_t state;
	} cases[] = {
	    {"1", "2", STATE_CRITICAL},
	    {"1", "5", STATE_WARNING},
	};
	size_t k;

	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		struct fx *fx = fx_new();
		struct range w, c;
		const struct finding *f;
		char err[128];

		ck_assert_int_eq(range_parse(cases[k].warn, &w, err, sizeof(err)), 0);
		ck_assert_int_eq(range_parse(cases[k].crit, &c, err, sizeof(err)), 0);
		fx_probe(fx, 0, TLS_KEY_ECDSA);
		fx_probe(fx, 1, TLS_KEY_ECDSA)->time = 3.25;
		verdict_probe_batch(&fx->r, &fx->b, &w, &c, FX_NOW, fx->out, &fx->counts);
		f = vt_expect(fx->out, FC_PROBE_SLOW, cases[k].state,
			      &(struct finding_subject){.host = HOST, .address = ADDR6});
		expect_text(f, "slowest address " HOST "[" ADDR6 "]:25 took 3.250 s from connect "
			       "to verified chain");
		expect_param_str(f, "critical", cases[k].crit);
		fx_free(fx);
	}
}
END_TEST

START_TEST(probes_incomplete)
{
	struct fx *fx = fx_new();

	fx_probe(fx, 0, TLS_KEY_ECDSA);
	fx->b.incomplete = true;
	fx_judge(fx);
	vt_expect(fx->out, FC_PROBE_INCOMPLETE, STATE_UNKNOWN,
		  &(struct finding_subject){.domain = "example.org."});
	expect_text(vt_find(fx->out, FC_PROBE_INCOMPLETE), "some probes could not be started");
	fx_free(fx);
}
END_TEST

/* The whole text of a run: status line, perfdata, lines. */
START_TEST(run_text)
{
	struct fx *fx = fx_new();
	char *text;

	fx_probe(fx, 0, TLS_KEY_ANY);
	fx_smtp(fx_probe(fx, 1, TLS_KEY_ANY), SMTP_ERR_CONNECT_REFUSED, SMTP_STAGE_CONNECT,
		"connection refused");
	fx_judge(fx);
	verdict_probe_summary(&fx->r, &fx->counts, fx->out);
	verdict_probe_perfdata(&fx->counts, 0.125, fx->out);
	text = output_render_text(fx->out);
	ck_assert_str_eq(
	    text,
	    "DANE_SMTP CRITICAL - example.org.: 1 of 2 addresses failed DANE verification; " HOST
	    "[" ADDR6 "]:25: connection refused | '" HOST "[" ADDR4 "]_time'=0.05s;;;0 '" HOST
	    "[" ADDR6 "]_time'=U;;;0 'time'=0.125s;;;0 'addresses'=2;;;0 'verified'=1;;;0 "
	    "'failed'=1;;;0 'cert_expiry_days'=20.5 'not_offered'=0;;;0\n"
	    "[CRITICAL] " HOST "[" ADDR6 "]:25: connection refused\n"
	    "[OK] " LABEL4 ": TLSv1.3 TLS_AES_256_GCM_SHA384, matched 3 1 1 "
	    "ababab...ababab at depth 0 in 0.050 s\n");
	free(text);
	fx_free(fx);
}
END_TEST

/* Every address verified; -H names "MX hosts" and no domain in the subjects. */
START_TEST(run_all_verified)
{
	struct fx *fx = fx_new();
	const struct finding *f;

	fx->r.status = MX_HOSTS;
	snprintf(fx->r.domain, sizeof(fx->r.domain), HOST);
	fx_probe(fx, 0, TLS_KEY_ANY);
	fx_probe(fx, 1, TLS_KEY_ANY);
	fx_judge(fx);
	verdict_probe_summary(&fx->r, &fx->counts, fx->out);
	ck_assert_str_eq(output_summary_text(fx->out),
			 "MX hosts: 2 addresses of 1 MX host verified by DANE");
	f = vt_expect(fx->out, FC_TLSA_MATCH, STATE_OK, NULL);
	ck_assert_ptr_null(f->subject.domain);
	fx_free(fx);
}
END_TEST

/* A run that probed nothing still has its perfdata, the days unknown. */
START_TEST(run_nothing_probed)
{
	struct verdict_probe_counts counts = {0};
	struct output *out = output_new("DANE_SMTP");
	const struct perfdata_item *pd;
	size_t n;

	verdict_probe_perfdata(&counts, 1.5, out);
	pd = output_perfdata_items(out, &n);
	ck_assert_uint_eq(n, 6);
	ck_assert_str_eq(pd[0].label, "time");
	ck_assert_str_eq(pd[4].label, "cert_expiry_days");
	ck_assert(pd[4].unknown);
	ck_assert_str_eq(pd[5].label, "not_offered");
	output_free(out);
}
END_TEST

Suite *
verdict_probe_suite(void)
{
	Suite *s = suite_create("verdict_probe");
	TCase *tc = tcase_create("probe");

	tcase_add_loop_test(tc, one_probe, 0, (int)(sizeof(one_cases) / sizeof(one_cases[0])));
	tcase_add_test(tc, match_params);
	tcase_add_test(tc, no_match_params);
	tcase_add_test(tc, no_match_without_certificate);
	tcase_add_test(tc, no_match_of_a_record_that_digest_agility_disables);
	tcase_add_test(tc, name_mismatch_params);
	tcase_add_test(tc, smtp_params);
	suite_add_tcase(s, tc);
	tc = tcase_create("folding");
	tcase_add_test(tc, same_failure_before_tls_is_one_line);
	tcase_add_test(tc, different_words_give_a_line_per_probe);
	tcase_add_test(tc, failure_after_a_certificate_is_per_type);
	tcase_add_test(tc, mixed_types);
	tcase_add_test(tc, types_not_started);
	tcase_add_test(tc, fallback_handshake);
	suite_add_tcase(s, tc);
	tc = tcase_create("run");
	tcase_add_test(tc, slowest_address);
	tcase_add_test(tc, probes_incomplete);
	tcase_add_test(tc, run_text);
	tcase_add_test(tc, run_all_verified);
	tcase_add_test(tc, run_nothing_probed);
	suite_add_tcase(s, tc);
	return s;
}
