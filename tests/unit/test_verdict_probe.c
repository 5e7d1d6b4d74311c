/*
 * test_verdict_probe.c -- the probe verdicts on facts, no network (table-driven).
 *
 * A fixture is one MX host with two addresses and a 3 1 1 record, and a
 * batch of probes built by hand (struct probe_target, struct probe_result:
 * the SMTP session, the TLS result with the presented leaf), from the facts
 * the fact layers report (the words come from words_conn.c); the tests run
 * verdict_probe_batch() on it and assert the codes, states, subjects,
 * parameters and texts.
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

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
	r->smtp.why = SMTP_WHY_ACCEPTED;
	r->tls_done = true;
	r->tls.outcome = TLS_OK;
	r->tls.why = TLS_WHY_MATCHED;
	r->tls.key_type = type;
	r->tls.nrecords = r->tls.usable = 1;
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

/*
 * A probe whose SMTP dialogue ended as the facts say (the lengths of the
 * server's lines from their text), without a handshake.
 */
static void
fx_smtp(struct probe_result *r, const struct smtp_session *facts)
{
	memset(&r->tls, 0, sizeof(r->tls));
	r->tls_done = false;
	r->smtp = *facts;
	r->smtp.greeting_len = strlen(r->smtp.greeting);
	r->smtp.ehlo_line_len = strlen(r->smtp.ehlo_line);
	r->smtp.starttls_line_len = strlen(r->smtp.starttls_line);
}

/*
 * A handshake that ended as the facts say (outcome, why, and what tells why:
 * the I/O failure, OpenSSL's queue, the state, the records, the verification
 * result), with or without the leaf; the type asked for stays the probe's.
 */
static void
fx_tls(struct probe_result *r, const struct tls_result *facts, bool leaf)
{
	struct tls_result *t = &r->tls;

	t->outcome = facts->outcome;
	t->why = facts->why;
	t->setup = facts->setup;
	t->io = facts->io;
	t->queue = facts->queue;
	t->want_write = facts->want_write;
	memcpy(t->state, facts->state, sizeof(t->state));
	t->nrecords = facts->nrecords;
	t->usable = facts->usable;
	t->verify_error = facts->verify_error;
	memcpy(t->verify_text, facts->verify_text, sizeof(t->verify_text));
	t->matched = false;
	t->match_depth = -1;
	t->match_index = -1;
	if (!leaf) {
		t->certs = NULL;
		t->ncerts = 0;
	}
}

/* --- the facts of failed probes ------------------------------------------ */

static const struct smtp_session smtp_refused = {
    .result = SMTP_ERR_CONNECT_REFUSED,
    .stage = SMTP_STAGE_CONNECT,
    .why = SMTP_WHY_STEP,
    .step = {.fail = SMTP_FAIL_IO,
	     .io = {.status = NETIO_REFUSED, .cause = NETIO_CAUSE_ERRNO, .sys = ECONNREFUSED}}};
static const struct smtp_session smtp_unreachable = {
    .result = SMTP_ERR_UNREACHABLE,
    .stage = SMTP_STAGE_CONNECT,
    .why = SMTP_WHY_STEP,
    .step = {.fail = SMTP_FAIL_IO,
	     .io = {.status = NETIO_UNREACHABLE, .cause = NETIO_CAUSE_ERRNO, .sys = EHOSTUNREACH}}};
static const struct smtp_session smtp_timeout = {
    .result = SMTP_ERR_TIMEOUT,
    .stage = SMTP_STAGE_GREETING,
    .why = SMTP_WHY_STEP,
    .step = {.fail = SMTP_FAIL_IO,
	     .io = {.status = NETIO_TIMEOUT, .cause = NETIO_CAUSE_DEADLINE, .seconds = 10}}};
static const struct smtp_session smtp_closed = {
    .result = SMTP_ERR_CLOSED,
    .stage = SMTP_STAGE_GREETING,
    .why = SMTP_WHY_STEP,
    .step = {.fail = SMTP_FAIL_IO, .io = {.status = NETIO_CLOSED, .cause = NETIO_CAUSE_EOF}}};
static const struct smtp_session smtp_protocol = {
    .result = SMTP_ERR_PROTOCOL,
    .stage = SMTP_STAGE_EHLO,
    .why = SMTP_WHY_STEP,
    .step = {.fail = SMTP_FAIL_PARSE, .parse = {.fault = SMTP_FAULT_CODE}},
    .greeting_code = 220,
    .greeting = "220 mx1.example.org ESMTP"};
static const struct smtp_session smtp_greeting_554 = {.result = SMTP_ERR_GREETING,
						      .stage = SMTP_STAGE_GREETING,
						      .why = SMTP_WHY_GREETING,
						      .greeting_code = 554,
						      .greeting = "554 go away"};
static const struct smtp_session smtp_no_starttls = {.result = SMTP_ERR_NO_STARTTLS,
						     .stage = SMTP_STAGE_EHLO,
						     .why = SMTP_WHY_NO_STARTTLS,
						     .greeting_code = 220,
						     .greeting = "220 mx1.example.org ESMTP",
						     .ehlo_code = 250,
						     .ehlo_line = "250-mx1.example.org",
						     .ehlo_keywords = "PIPELINING SIZE"};
static const struct smtp_session smtp_starttls_refused = {.result = SMTP_ERR_STARTTLS_REFUSED,
							  .stage = SMTP_STAGE_STARTTLS,
							  .why = SMTP_WHY_STARTTLS_REFUSED,
							  .greeting_code = 220,
							  .greeting = "220 mx1.example.org ESMTP",
							  .ehlo_code = 250,
							  .ehlo_line = "250-mx1.example.org",
							  .starttls_offered = true,
							  .ehlo_keywords = "PIPELINING STARTTLS",
							  .starttls_code = 454,
							  .starttls_line = "454 TLS not available"};
/* out of memory after STARTTLS (the probe's records) */
static const struct smtp_session smtp_nomem = {
    .result = SMTP_ERR_LOCAL, .stage = SMTP_STAGE_DONE, .why = SMTP_WHY_NOMEM};
/* the deadline came before its turn: never started */
static const struct smtp_session smtp_not_probed = {.result = SMTP_ERR_TIMEOUT,
						    .stage = SMTP_STAGE_CONNECT,
						    .why = SMTP_WHY_NOT_PROBED,
						    .skipped_seconds = 10,
						    .skipped_parallel = 2};
/* its thread never came: never started */
static const struct smtp_session smtp_not_started = {.result = SMTP_ERR_LOCAL,
						     .why = SMTP_WHY_NOT_STARTED};

static const struct tls_result tls_not_offered = {.outcome = TLS_ERR_NOT_OFFERED,
						  .why = TLS_WHY_NOT_OFFERED};
static const struct tls_result tls_no_match = {.outcome = TLS_ERR_VERIFY,
					       .why = TLS_WHY_VERIFY,
					       .nrecords = 1,
					       .usable = 1,
					       .verify_error = X509_V_ERR_DANE_NO_MATCH,
					       .verify_text = "no match"};
static const struct tls_result tls_name_mismatch = {.outcome = TLS_ERR_VERIFY,
						    .why = TLS_WHY_VERIFY,
						    .nrecords = 1,
						    .usable = 1,
						    .verify_error = X509_V_ERR_HOSTNAME_MISMATCH};
/* the server sent a handshake_failure alert */
static const struct tls_result tls_alert = {
    .outcome = TLS_ERR_HANDSHAKE,
    .why = TLS_WHY_TLS_ERROR,
    .io = {.status = NETIO_TLS,
	   .cause = NETIO_CAUSE_TLS_ERROR,
	   .ssl_error = SSL_ERROR_SSL,
	   .ssl_code = ERR_PACK(ERR_LIB_SSL, 0, SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE)},
    .queue = {.n = 1,
	      .code = {ERR_PACK(ERR_LIB_SSL, 0, SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE)},
	      .data = {"SSL alert number 40"}},
    .nrecords = 1,
    .usable = 1};
static const struct tls_result tls_timeout = {
    .outcome = TLS_ERR_TIMEOUT,
    .why = TLS_WHY_TIMEOUT,
    .io = {.status = NETIO_TIMEOUT, .cause = NETIO_CAUSE_DEADLINE, .seconds = 10},
    .state = "SSLv3/TLS read server hello",
    .nrecords = 1,
    .usable = 1};
/* closed in the middle of the handshake, after some of it came */
static const struct tls_result tls_closed = {
    .outcome = TLS_ERR_CLOSED,
    .why = TLS_WHY_CLOSED,
    .io = {.status = NETIO_CLOSED, .cause = NETIO_CAUSE_EOF, .ssl_error = SSL_ERROR_SYSCALL},
    .nrecords = 1,
    .usable = 1};
static const struct tls_result tls_no_usable = {
    .outcome = TLS_ERR_NO_USABLE, .why = TLS_WHY_NO_USABLE, .nrecords = 1};
static const struct tls_result tls_nomem = {.outcome = TLS_ERR_LOCAL, .why = TLS_WHY_NOMEM};

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
	const struct smtp_session *smtp; /* how the dialogue failed; NULL: the handshake ran */
	const struct tls_result *tls;    /* how the handshake failed; NULL: verified */
	bool leaf;                       /* the server presented the leaf */
	enum finding_code code;
	state_t state;
	const char *text;
};

/* the leaf is ECDSA P-256, whatever the type asked for */
#define LEAF_LABEL LABEL4 " ECDSA P-256 certificate"

static const struct one_case one_cases[] = {
    {"verified", NULL, NULL, true, FC_TLSA_MATCH, STATE_OK,
     LEAF_LABEL ": TLSv1.3 TLS_AES_256_GCM_SHA384, matched 3 1 1 ababab...ababab at depth 0 "
		"in 0.050 s"},
    {"type not offered", NULL, &tls_not_offered, false, FC_TLS_TYPE_NOT_OFFERED, STATE_OK,
     LABEL4 " RSA certificate: not offered (the server has no RSA certificate: it refused a "
	    "handshake that offers only RSA signatures)"},
    {"no match", NULL, &tls_no_match, true, FC_TLSA_NO_MATCH, STATE_CRITICAL,
     LEAF_LABEL ": no TLSA record matches (no match); senders that "
		"negotiate RSA defer mail; presented mx1.example.org (issuer CN=Lab CA, key EC "
		"256); the presented key would match: 3 1 1 "
		"4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f"},
    {"DANE-TA name mismatch", NULL, &tls_name_mismatch, true, FC_CERT_DANE_TA_NAME_MISMATCH,
     STATE_CRITICAL,
     LEAF_LABEL ": DANE-TA name check failed: the certificate names CN=mx1.example.org; SANs "
		"DNS:mx1.example.org, DNS:mail.example.org, expected mx2.example.net. or "
		"mx1.example.org.; senders that negotiate RSA defer mail"},
    {"refused", &smtp_refused, NULL, false, FC_SMTP_REFUSED, STATE_CRITICAL,
     LABEL4 ": connection refused"},
    {"unreachable", &smtp_unreachable, NULL, false, FC_SMTP_UNREACHABLE, STATE_CRITICAL,
     LABEL4 ": host unreachable"},
    {"SMTP timeout", &smtp_timeout, NULL, false, FC_SMTP_TIMEOUT, STATE_CRITICAL,
     LABEL4 ": timed out after 10 s while waiting for the greeting"},
    {"greeting not 2xx", &smtp_greeting_554, NULL, false, FC_SMTP_BAD_GREETING, STATE_CRITICAL,
     LABEL4 ": greeting is 554, not 2xx: 554 go away"},
    {"protocol error", &smtp_protocol, NULL, false, FC_SMTP_PROTOCOL_ERROR, STATE_CRITICAL,
     LABEL4 ": protocol error after EHLO: invalid reply code"},
    {"closed", &smtp_closed, NULL, false, FC_SMTP_CLOSED, STATE_CRITICAL,
     LABEL4 ": the server closed the connection while waiting for the greeting"},
    {"no STARTTLS", &smtp_no_starttls, NULL, false, FC_SMTP_NO_STARTTLS, STATE_CRITICAL,
     LABEL4 ": STARTTLS not offered in the reply to EHLO: DANE senders defer mail to it"},
    {"STARTTLS refused", &smtp_starttls_refused, NULL, false, FC_SMTP_STARTTLS_REFUSED,
     STATE_CRITICAL, LABEL4 ": STARTTLS refused with 454: 454 TLS not available"},
    {"SMTP local", &smtp_nomem, NULL, false, FC_PROBE_LOCAL_FAILURE, STATE_CRITICAL,
     LABEL4 ": out of memory"},
    {"handshake failure", NULL, &tls_alert, false, FC_TLS_HANDSHAKE_FAILED, STATE_CRITICAL,
     LABEL4 " RSA certificate: TLS handshake failed: error:0A000410:SSL routines::sslv3 alert "
	    "handshake failure (SSL alert number 40)"},
    {"TLS timeout", NULL, &tls_timeout, false, FC_TLS_TIMEOUT, STATE_CRITICAL,
     LABEL4 " RSA certificate: timed out in the TLS handshake, waiting to read (SSLv3/TLS read "
	    "server hello)"},
    {"TLS closed", NULL, &tls_closed, false, FC_TLS_CLOSED, STATE_CRITICAL,
     LABEL4 " RSA certificate: the server closed the connection during the TLS handshake"},
    {"no usable records", NULL, &tls_no_usable, true, FC_TLS_NO_USABLE_TLSA, STATE_CRITICAL,
     LEAF_LABEL ": no usable TLSA record (1 record): the server is not authenticated"},
    {"TLS local", NULL, &tls_nomem, false, FC_PROBE_LOCAL_FAILURE, STATE_CRITICAL,
     LABEL4 " RSA certificate: out of memory"},
};

START_TEST(one_probe)
{
	const struct one_case *c = &one_cases[_i];
	struct fx *fx = fx_new();
	struct probe_result *r = fx_probe(fx, 0, TLS_KEY_RSA);
	const struct finding *f;
	size_t all;

	/* OpenSSL's queue is said with its error strings */
	OPENSSL_init_ssl(OPENSSL_INIT_LOAD_SSL_STRINGS, NULL);
	if (c->smtp != NULL)
		fx_smtp(r, c->smtp);
	else if (c->tls != NULL)
		fx_tls(r, c->tls, c->leaf);
	if (c->tls != NULL && c->tls->verify_error == X509_V_ERR_HOSTNAME_MISMATCH) {
		/* a CNAME: the base domain is the expansion, the MX name the second name */
		snprintf(fx->host.tlsa_base, sizeof(fx->host.tlsa_base), "mx2.example.net.");
		snprintf(fx->host.expanded, sizeof(fx->host.expanded), "mx2.example.net.");
	}
	fx_judge(fx);
	f = vt_expect(fx->out, c->code, c->state,
		      &(struct finding_subject){
			  .domain = "example.org.", .host = HOST, .address = ADDR4, .port = 25});
	/* a failure before TLS is the address's; the others are the type's */
	if (c->smtp == NULL)
		ck_assert_str_eq(f->subject.cert_type, "RSA");
	ck_assert_uint_eq(count_findings(fx->out, c->code, &all), 1);
	ck_assert_uint_eq(all, 1);
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

	fx_tls(r, &tls_no_match, true);
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

	fx_tls(r, &tls_no_match, false);
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
	fx_tls(r, &tls_no_match, true);
	r->tls.chain = chain;
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

	fx_tls(r, &tls_name_mismatch, true);
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

	fx_smtp(r, &(struct smtp_session){.result = SMTP_ERR_GREETING,
					  .stage = SMTP_STAGE_GREETING,
					  .why = SMTP_WHY_GREETING,
					  .greeting_code = 554,
					  .greeting = "554 no"});
	fx_judge(fx);
	f = vt_expect(fx->out, FC_SMTP_BAD_GREETING, STATE_CRITICAL, NULL);
	expect_param_str(f, "stage", "greeting");
	expect_param_int(f, "reply_code", 554);
	expect_param_str(f, "reply", "554 no");
	output_free(fx->out);

	fx->out = output_new("DANE_SMTP");
	fx_smtp(r, &(struct smtp_session){.result = SMTP_ERR_NO_STARTTLS,
					  .stage = SMTP_STAGE_EHLO,
					  .why = SMTP_WHY_EHLO_REJECTED,
					  .greeting_code = 220,
					  .greeting = "220 mx1.example.org ESMTP",
					  .ehlo_code = 502,
					  .ehlo_line = "502 no",
					  .ehlo_rejected = true});
	fx_judge(fx);
	f = vt_expect(fx->out, FC_SMTP_NO_STARTTLS, STATE_CRITICAL, NULL);
	expect_param_str(f, "stage", "ehlo");
	expect_param_int(f, "reply_code", 502);
	ck_assert(finding_param(f, "ehlo_rejected")->boolean);
	output_free(fx->out);

	fx->out = output_new("DANE_SMTP");
	fx_smtp(r, &(struct smtp_session){.result = SMTP_ERR_STARTTLS_REFUSED,
					  .stage = SMTP_STAGE_STARTTLS,
					  .why = SMTP_WHY_STARTTLS_REFUSED,
					  .starttls_offered = true,
					  .starttls_code = 454,
					  .starttls_line = "454 later"});
	fx_judge(fx);
	f = vt_expect(fx->out, FC_SMTP_STARTTLS_REFUSED, STATE_CRITICAL, NULL);
	expect_param_str(f, "stage", "starttls");
	expect_param_int(f, "reply_code", 454);
	expect_param_str(f, "reply", "454 later");
	output_free(fx->out);

	fx->out = output_new("DANE_SMTP");
	fx_smtp(r, &smtp_nomem);
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
		fx_smtp(fx_probe(fx, 0, t), &smtp_refused);
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
	struct smtp_session s = smtp_greeting_554;
	const struct finding *f;
	enum tls_key_type t;
	char text[64];
	size_t all, n = 0;

	for (t = TLS_KEY_ECDSA; t <= TLS_KEY_ED25519; t++) {
		snprintf(s.greeting, sizeof(s.greeting), "554 %d", (int)t);
		fx_smtp(fx_probe(fx, 0, t), &s);
	}
	fx_judge(fx);
	vt_expect(fx->out, FC_SMTP_BAD_GREETING, STATE_CRITICAL, NULL);
	ck_assert_uint_eq(count_findings(fx->out, FC_SMTP_BAD_GREETING, &all), 3);
	ck_assert_uint_eq(all, 3);
	for (f = output_root_const(fx->out)->first_child; f != NULL; f = f->next, n++) {
		/* the label is the address's; the subject says which probe */
		snprintf(text, sizeof(text), LABEL4 ": greeting is 554, not 2xx: 554 %d",
			 (int)(TLS_KEY_ECDSA + n));
		expect_text(f, text);
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
		fx_tls(fx_probe(fx, 0, t), &tls_closed, true);
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
	fx_tls(fx_probe(fx, 0, TLS_KEY_RSA), &tls_not_offered, false);
	r = fx_probe(fx, 0, TLS_KEY_ED25519);
	fx_smtp(r, &smtp_not_probed);
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
	ck_assert_ptr_nonnull(strstr(text, "\n[OK] " LABEL4 " RSA certificate: not offered (the "
					   "server has no RSA certificate: it refused a handshake "
					   "that offers only RSA signatures)"));
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
		fx_smtp(r, &smtp_not_started);
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
	fx_tls(r, &tls_no_match, true);
	snprintf(fx->leaf.key, sizeof(fx->leaf.key), "ED448");
	fx_tls(fx_probe(fx, 0, TLS_KEY_RSA), &tls_not_offered, false);
	fx_tls(fx_probe(fx, 0, TLS_KEY_ED25519), &tls_not_offered, false);
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
	fx_smtp(fx_probe(fx, 1, TLS_KEY_ANY), &smtp_refused);
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
