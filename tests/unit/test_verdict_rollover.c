/*
 * test_verdict_rollover.c -- the renewal verdicts (verdict_rollover.c,
 * verdict_staged.c) on facts, no network: the fixed certificates of
 * tests/data, TLSA records, probe results and authoritative answers made up
 * here, and an injected "now". Every case of the table builds one MX host,
 * runs verdict_rollover_host() and asserts codes, states, subjects, params
 * and words.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>
#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "auth.h"
#include "cert.h"
#include "probe.h"
#include "rollover_files.h"
#include "testdata.h"
#include "verdict_rollover.h"
#include "verdict_test.h"

#define DAY 86400

/* The notAfter of every tests/data certificate but expired.pem: 2120-01-01. */
#define NOT_AFTER ((time_t)4733510400LL)

#define HOST  "mx1.example.test."
#define QNAME "_25._tcp.mx1.example.test."

/* One TLSA record: usage, selector, matching type and a tests/data .hex file. */
struct rec {
	uint8_t u, s, m;
	const char *hex; /* NULL ends the list */
};

/* What one peer presented: --cert (address NULL) or a probe of an address. */
struct peer_spec {
	const char *label;   /* the probe's label, or the --cert file's name */
	const char *address; /* "127.0.1.1" or "::1"; NULL: --cert */
	const char *chain;   /* tests/data file, "a.pem+b.pem" appends; NULL: no chain */
	enum tls_key_type type;
	bool bad_dates;   /* the leaf's notAfter is garbage */
	bool not_started; /* the deadline came first (smtp: its facts) */
	/* no chain: the facts of the SMTP session that failed (NULL: STARTTLS accepted) ... */
	const struct smtp_session *smtp;
	const struct tls_result *tls; /* ... or of the handshake that failed (NULL: verified) */
};

/* The facts of probes that got no chain (the words come from words_conn.c). */
static const struct smtp_session smtp_accepted = {
    .result = SMTP_OK, .stage = SMTP_STAGE_DONE, .why = SMTP_WHY_ACCEPTED};
static const struct smtp_session smtp_refused = {
    .result = SMTP_ERR_CONNECT_REFUSED,
    .stage = SMTP_STAGE_CONNECT,
    .why = SMTP_WHY_STEP,
    .step = {.fail = SMTP_FAIL_IO,
	     .io = {.status = NETIO_REFUSED, .cause = NETIO_CAUSE_ERRNO, .sys = ECONNREFUSED}}};
static const struct smtp_session smtp_not_probed = {.result = SMTP_ERR_TIMEOUT,
						    .stage = SMTP_STAGE_CONNECT,
						    .why = SMTP_WHY_NOT_PROBED,
						    .skipped_seconds = 10,
						    .skipped_parallel = 2};
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
	      .data = {"SSL alert number 40"}}};
/* closed in the middle of the handshake, after some of it came */
static const struct tls_result tls_closed = {
    .outcome = TLS_ERR_CLOSED,
    .why = TLS_WHY_CLOSED,
    .io = {.status = NETIO_CLOSED, .cause = NETIO_CAUSE_EOF, .ssl_error = SSL_ERROR_SYSCALL}};

/* One authoritative server (-A) and the 3 1 1 records it serves. */
struct server_spec {
	const char *host, *addr; /* NULL ends the list */
	enum auth_status status;
	const char *serves[2]; /* tests/data .hex files of SPKI SHA-256 digests */
};

/* One finding expected: code, state, subject fields and facts named. */
struct expect {
	enum finding_code code; /* FC_NONE ends the list */
	state_t state;
	const char *tlsa, *tlsa_hex; /* subject tlsa: "U S M" and the .hex file */
	const char *address, *cert_type, *file, *name;
	const char *param, *param_prefix, *param_hex; /* a string param: prefix + ' ' + hex */
	const char *text;                             /* its exact words */
};

/* What a case checks of the earliest certificate (the totals), besides the findings. */
enum min_check {
	MIN_ANY,      /* not checked */
	MIN_ABOUT,    /* within 0.01 of min_days */
	MIN_NEGATIVE, /* below zero: expired */
};

struct vcase {
	const char *name;
	struct rec records[4];
	struct peer_spec peers[4];
	double days;      /* "now" is this many days before 2120-01-01 */
	double warn_days; /* -w in days; 0: 21 */
	double sig_days;  /* the host's RRSIGs expire this many days from now; 0: none */
	bool stale_warning;
	bool gate;
	const char *next_key, *next_cert; /* staged, tests/data files */
	const char *issuers[3];           /* --issuers, tests/data files (the file is "cas.pem") */
	size_t issuers_total;             /* certificates in the file; 0: as many as given */
	struct server_spec servers[3];    /* -A */
	state_t state;                    /* of the host's finding */
	struct expect expect[4];
	const char *has[4]; /* in the text (-v) */
	const char *hasnt;  /* not in the text */
	enum min_check min_check;
	double min_days;
};

/* The hex text of a tests/data .hex file into dst. */
static void
hex_of(const char *file, char *dst, size_t dstsize)
{
	uint8_t d[64];
	size_t i, n = testdata_hex(file, d, sizeof(d));

	ck_assert_uint_ge(dstsize, 2 * n + 1);
	for (i = 0; i < n; i++)
		snprintf(dst + 2 * i, 3, "%02x", d[i]);
	dst[2 * n] = '\0';
}

/* "U S M" + ' ' + the hex of file into dst. */
static void
record_of(const char *usm, const char *file, char *dst, size_t dstsize)
{
	char hex[160];

	hex_of(file, hex, sizeof(hex));
	snprintf(dst, dstsize, "%s %s", usm, hex);
}

/* A chain of tests/data: "mx1-chain.pem", or "mx1-chain.pem+root.pem" (appended). */
static STACK_OF(X509) * load_chain(const char *spec)
{
	char name[128], path[512], err[256];
	STACK_OF(X509) *chain = NULL;
	char *plus;

	snprintf(name, sizeof(name), "%s", spec);
	plus = strchr(name, '+');
	if (plus != NULL)
		*plus++ = '\0';
	testdata_path(path, sizeof(path), name);
	ck_assert_msg(cert_load_chain_pem(path, &chain, err, sizeof(err)) == 0, "%s", err);
	if (plus != NULL)
		ck_assert_int_gt(sk_X509_push(chain, testdata_cert(plus)), 0);
	return chain;
}

/* Make the notAfter of the chain's leaf (a copy of the test's own) unreadable. */
static void
break_dates(STACK_OF(X509) * chain)
{
	ck_assert_int_eq(ASN1_STRING_set(X509_getm_notAfter(sk_X509_value(chain, 0)), "garbage", 7),
			 1);
}

/* The world of one case: its host, files, probes, authoritative servers, output. */
struct world {
	struct mx_host h;
	struct rollover_files files;
	struct probe_target targets[4];
	struct probe_result results[4];
	struct probe_batch batch;
	struct auth_result *auth;
	struct verdict_rollover_params p;
	struct verdict_rollover_totals t;
	struct output *out;
	struct finding *line;
};

/* The host's address of that text (added when new). */
static const struct mx_addr *
host_addr(struct mx_host *h, const char *text)
{
	size_t i;

	for (i = 0; i < h->naddrs; i++)
		if (strcmp(h->addrs[i].text, text) == 0)
			return &h->addrs[i];
	ck_assert_uint_lt(h->naddrs, MX_MAX_ADDRS);
	snprintf(h->addrs[h->naddrs].text, sizeof(h->addrs[0].text), "%s", text);
	return &h->addrs[h->naddrs++];
}

/* One probe of w: what peer presented, or why it presented nothing. */
static void
add_probe(struct world *w, const struct peer_spec *ps)
{
	size_t k = w->batch.n++, i;
	struct probe_result *res = &w->results[k];

	w->targets[k] = (struct probe_target){&w->h, host_addr(&w->h, ps->address), 25, ps->type};
	snprintf(res->label, sizeof(res->label), "%s", ps->label);
	res->key_type = ps->type;
	res->started = !ps->not_started;
	res->smtp = ps->smtp != NULL ? *ps->smtp : smtp_accepted;
	res->tls_done = res->smtp.result == SMTP_OK && res->started;
	if (ps->tls != NULL)
		res->tls = *ps->tls;
	else
		res->tls.why = TLS_WHY_MATCHED;
	res->tls.key_type = ps->type;
	if (ps->chain == NULL)
		return;
	res->tls.chain = load_chain(ps->chain);
	if (ps->bad_dates)
		break_dates(res->tls.chain);
	res->tls.ncerts = (size_t)sk_X509_num(res->tls.chain);
	res->tls.certs = calloc(res->tls.ncerts, sizeof(*res->tls.certs));
	ck_assert_ptr_nonnull(res->tls.certs);
	for (i = 0; i < res->tls.ncerts; i++)
		cert_describe(sk_X509_value(res->tls.chain, (int)i), &res->tls.certs[i]);
}

/* -A: the zone of the host's TLSA records, its servers and what each serves. */
static struct auth_result *
make_auth(const struct server_spec *servers)
{
	struct auth_result *a = calloc(1, sizeof(*a));
	struct auth_zone *z;
	size_t s, k, qi;
	char text[300], hex[160];

	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(auth_plan(a, "example.test.", QNAME, LDNS_RR_TYPE_TLSA), 0);
	z = &a->zones[0];
	for (qi = 0; z->q[qi].type != LDNS_RR_TYPE_TLSA; qi++)
		;
	for (s = 0; servers[s].host != NULL; s++) {
		snprintf(a->servers[s].host, sizeof(a->servers[s].host), "%s", servers[s].host);
		snprintf(a->servers[s].addr, sizeof(a->servers[s].addr), "%s", servers[s].addr);
		z->server[s] = s;
	}
	z->nservers = s;
	z->answers = calloc(z->nservers * z->nq, sizeof(*z->answers));
	ck_assert_ptr_nonnull(z->answers);
	for (s = 0; s < z->nservers; s++) {
		struct auth_answer *ans = &z->answers[s * z->nq + qi];

		ans->status = servers[s].status;
		ans->rrs = ldns_rr_list_new();
		for (k = 0; k < 2 && servers[s].serves[k] != NULL; k++) {
			ldns_rr *rr = NULL;

			hex_of(servers[s].serves[k], hex, sizeof(hex));
			snprintf(text, sizeof(text), "%s 300 IN TLSA 3 1 1 %s", QNAME, hex);
			ck_assert_int_eq(ldns_rr_new_frm_str(&rr, text, 0, NULL, NULL),
					 LDNS_STATUS_OK);
			ck_assert(ldns_rr_list_push_rr(ans->rrs, rr));
		}
	}
	return a;
}

/* A staged key or chain, or an --issuers CA, of tests/data. */
static EVP_PKEY *
load_key(const char *name)
{
	char path[512], err[256];
	EVP_PKEY *key = NULL;

	testdata_path(path, sizeof(path), name);
	ck_assert_msg(cert_load_pubkey_pem(path, &key, err, sizeof(err)) == 0, "%s", err);
	return key;
}

/* Build the world of c and run the host's verdicts. */
static void
world_run(struct world *w, const struct vcase *c)
{
	uint8_t d[64];
	size_t i, n;

	memset(w, 0, sizeof(*w));
	snprintf(w->h.name, sizeof(w->h.name), HOST);
	snprintf(w->h.tlsa_qname, sizeof(w->h.tlsa_qname), QNAME);
	for (i = 0; i < 4 && c->records[i].hex != NULL; i++) {
		n = testdata_hex(c->records[i].hex, d, sizeof(d));
		ck_assert_int_eq(tlsa_set_add(&w->h.tlsa, c->records[i].u, c->records[i].s,
					      c->records[i].m, d, n),
				 0);
	}
	tlsa_set_judge(&w->h.tlsa);
	w->batch.targets = w->targets;
	w->batch.results = w->results;
	for (i = 0; i < 4 && c->peers[i].label != NULL; i++) {
		if (c->peers[i].address != NULL) {
			add_probe(w, &c->peers[i]);
			continue;
		}
		w->files.cert_file = c->peers[i].label;
		w->files.cert_chain = load_chain(c->peers[i].chain);
		if (c->peers[i].bad_dates)
			break_dates(w->files.cert_chain);
	}
	if (c->next_key != NULL) {
		w->files.next_key_files[0] = c->next_key;
		w->files.next_keys[0] = load_key(c->next_key);
		w->files.nnext_keys = 1;
	}
	if (c->next_cert != NULL) {
		w->files.next_cert_files[0] = c->next_cert;
		w->files.next_chains[0] = load_chain(c->next_cert);
		w->files.nnext_certs = 1;
	}
	if (c->issuers[0] != NULL) {
		w->files.issuers_file = "cas.pem";
		w->files.issuers = sk_X509_new_null();
		for (i = 0; i < 3 && c->issuers[i] != NULL; i++)
			ck_assert_int_gt(
			    sk_X509_push(w->files.issuers, testdata_cert(c->issuers[i])), 0);
		w->files.issuers_total = c->issuers_total > 0 ? c->issuers_total : i;
	}
	w->p.now = NOT_AFTER - (time_t)llround(c->days * DAY);
	w->p.expiry.warn =
	    (struct expiry_limit){.set = true, .value = c->warn_days ? c->warn_days : 21};
	w->p.expiry.crit = (struct expiry_limit){.set = true, .value = 3};
	w->p.sig_warn = expiry_days_range(7);
	w->p.sig_crit = expiry_days_range(2);
	w->p.stale_warning = c->stale_warning;
	w->p.gate = c->gate;
	w->p.files = &w->files;
	if (c->servers[0].host != NULL) {
		w->auth = make_auth(c->servers);
		w->p.auth = w->auth;
	}
	if (c->sig_days > 0)
		w->h.sig_expire = w->p.now + (time_t)llround(c->sig_days * DAY);
	verdict_rollover_totals_init(&w->t);
	w->out = output_new("DANE_ROLLOVER");
	ck_assert_ptr_nonnull(w->out);
	output_set_verbosity(w->out, 1);
	w->line =
	    verdict_rollover_host(&w->h, w->batch.n > 0 ? &w->batch : NULL, &w->p, w->out, &w->t);
}

static void
world_free(struct world *w)
{
	output_free(w->out);
	probe_results_clear(w->results, w->batch.n);
	rollover_files_clear(&w->files);
	if (w->auth != NULL)
		auth_result_clear(w->auth);
	free(w->auth);
	tlsa_set_clear(&w->h.tlsa);
}

/* Assert one expected finding. */
static void
check_expect(const struct output *out, const struct expect *e)
{
	char tlsa[200], want[200];
	const struct finding *f;
	const struct finding_param *param;

	if (e->tlsa != NULL)
		record_of(e->tlsa, e->tlsa_hex, tlsa, sizeof(tlsa));
	f = vt_expect(out, e->code, e->state,
		      &(struct finding_subject){.host = HOST,
						.tlsa = e->tlsa != NULL ? tlsa : NULL,
						.address = e->address,
						.cert_type = e->cert_type,
						.file = e->file,
						.name = e->name});
	if (e->address != NULL)
		ck_assert_uint_eq(f->subject.port, 25);
	if (e->param != NULL) {
		param = finding_param(f, e->param);
		ck_assert_msg(param != NULL && param->type == FINDING_PARAM_STRING, "%s: no %s",
			      finding_code_name(e->code), e->param);
		if (e->param_hex != NULL)
			record_of(e->param_prefix, e->param_hex, want, sizeof(want));
		else
			snprintf(want, sizeof(want), "%s", e->param_prefix);
		ck_assert_str_eq(param->string, want);
	}
	if (e->text != NULL)
		ck_assert_str_eq(f->text, e->text);
}

/* Run one case of a table: the host's state, the findings, the words, the totals. */
static void
run_case(const struct vcase *c)
{
	struct world w;
	char *text;
	size_t i;

	/* OpenSSL's queue is said with its error strings */
	OPENSSL_init_ssl(OPENSSL_INIT_LOAD_SSL_STRINGS, NULL);
	world_run(&w, c);
	text = output_render_text(w.out);
	ck_assert_ptr_nonnull(text);
	ck_assert_msg(finding_state(w.line) == c->state, "%s: state %s, not %s:\n%s", c->name,
		      state_name(finding_state(w.line)), state_name(c->state), text);
	vt_expect(w.out, FC_RENEWAL_HOST, c->state, &(struct finding_subject){.host = HOST});
	for (i = 0; i < 4 && c->expect[i].code != FC_NONE; i++)
		check_expect(w.out, &c->expect[i]);
	for (i = 0; i < 4 && c->has[i] != NULL; i++)
		ck_assert_msg(strstr(text, c->has[i]) != NULL, "%s: no '%s' in:\n%s", c->name,
			      c->has[i], text);
	if (c->hasnt != NULL)
		ck_assert_msg(strstr(text, c->hasnt) == NULL, "%s: '%s' in:\n%s", c->name, c->hasnt,
			      text);
	if (c->min_check == MIN_ABOUT)
		ck_assert(w.t.cert_set && fabs(w.t.cert_days - c->min_days) < 0.01);
	else if (c->min_check == MIN_NEGATIVE)
		ck_assert(w.t.cert_set && w.t.cert_days < 0);
	ck_assert_uint_eq(w.t.hosts, 1);
	free(text);
	world_free(&w);
}

/* ---- the presented chains: expiry, matches, what the next renewal breaks ---- */

static const struct vcase forecasts[] = {
    {.name = "a 3 0 1 pin inside the window warns with the date",
     .records = {{3, 0, 1, "mx1.cert-sha256.hex"}},
     .peers = {{.label = "mx1.example.test.[127.0.1.1]", .chain = "mx1-chain.pem"}},
     .days = 5,
     .state = STATE_WARNING,
     .expect = {{FC_RENEWAL_CERT_PINNED, STATE_WARNING, "3 0 1", "mx1.cert-sha256.hex",
		 .param = "not_after", .param_prefix = "2120-01-01"},
		{FC_CERT_EXPIRES_SOON, STATE_WARNING, .file = "mx1.example.test.[127.0.1.1]",
		 .param = "not_after", .param_prefix = "2120-01-01"}},
     .has = {"[WARNING] 3 0 1 ",
	     "pins the certificate itself: any renewal breaks it (the certificate expires "
	     "2120-01-01; renewal overdue since 2086-",
	     "certificate mx1.example.test expires 2120-01-01 (5 days)"},
     .min_check = MIN_ABOUT,
     .min_days = 5},
    {.name = "a 3 0 1 pin outside the window is a detail",
     .records = {{3, 0, 1, "mx1.cert-sha256.hex"}},
     .peers = {{.label = "mx1", .chain = "mx1-chain.pem"}},
     .days = 100,
     .state = STATE_OK,
     .expect = {{FC_RENEWAL_CERT_PINNED, STATE_OK, "3 0 1", "mx1.cert-sha256.hex"},
		{FC_CERT_EXPIRY, STATE_OK, .file = "mx1", .param = "matched_by",
		 .param_prefix = "3 0 1", .param_hex = "mx1.cert-sha256.hex"},
		{FC_RENEWAL_USABLE_RECORDS, STATE_OK, .name = QNAME,
		 .text = "1 usable TLSA record at " QNAME}},
     .has = {"[OK] 3 0 1 ", "pins the certificate itself"}},
    {.name = "expiry below the critical threshold is critical",
     .records = {{3, 1, 1, "mx1.spki-sha256.hex"}},
     .peers = {{.label = "mx1", .chain = "mx1-chain.pem"}},
     .days = 2,
     .state = STATE_CRITICAL,
     .expect = {{FC_CERT_EXPIRES_SOON, STATE_CRITICAL, .file = "mx1"}},
     .has = {"[CRITICAL] mx1: certificate mx1.example.test expires 2120-01-01 (2 days), "
	     "matched by 3 1 1 "}},
    {.name = "an expired certificate says so",
     .records = {{3, 1, 1, "mx1.spki-sha256.hex"}},
     .peers = {{.label = "mx1", .chain = "mx1-chain.pem"}},
     .days = -3,
     .state = STATE_CRITICAL,
     .expect = {{FC_CERT_EXPIRES_SOON, STATE_CRITICAL, .file = "mx1"}},
     .has = {"expired on 2120-01-01 (-3 days)"},
     .min_check = MIN_NEGATIVE},
    {.name = "only the current key, inside the window: no next key published (warning)",
     .records = {{3, 1, 1, "mx1.spki-sha256.hex"}},
     .peers = {{.label = "mx1", .chain = "mx1-chain.pem"}},
     .days = 10,
     .state = STATE_WARNING,
     .expect = {{FC_RENEWAL_NO_NEXT_KEY, STATE_WARNING, .name = QNAME, .param = "renewal",
		 .param_prefix = "2086-08-31"}},
     .has = {"[WARNING] renewal overdue since 2086-", ": no next-key record published",
	     "matched by 3 1 1 "}},
    {.name = "only the current key, outside the window: no next key published (detail)",
     .records = {{3, 1, 1, "mx1.spki-sha256.hex"}},
     .peers = {{.label = "mx1", .chain = "mx1-chain.pem"}},
     .days = 200,
     .state = STATE_OK,
     .expect = {{FC_RENEWAL_NO_NEXT_KEY, STATE_OK}},
     .has = {"[OK] renewal overdue since 2086-", ": no next-key record published"}},
    {.name = "current and next published is ok with the spare named",
     .records = {{3, 1, 1, "mx1.spki-sha256.hex"}, {3, 1, 1, "next.spki-sha256.hex"}},
     .peers = {{.label = "mx1", .chain = "mx1-chain.pem"}},
     .days = 10,
     .warn_days = 7,
     .state = STATE_OK,
     .expect = {{FC_TLSA_STALE, STATE_OK, "3 1 1", "next.spki-sha256.hex", .name = QNAME}},
     .has = {"matches nothing presented: a pre-published next key, or a stale"},
     .hasnt = "no next-key record"},
    {.name = "current and next published, --stale-warning: the spare is a warning",
     .records = {{3, 1, 1, "mx1.spki-sha256.hex"}, {3, 1, 1, "next.spki-sha256.hex"}},
     .peers = {{.label = "mx1", .chain = "mx1-chain.pem"}},
     .days = 10,
     .warn_days = 7,
     .stale_warning = true,
     .state = STATE_WARNING,
     .expect = {{FC_TLSA_STALE, STATE_WARNING, "3 1 1", "next.spki-sha256.hex"}}},
    {.name = "DANE-TA names the intermediate and its expiry, inside the window",
     .records = {{2, 0, 1, "inter.cert-sha256.hex"}},
     .peers = {{.label = "mx1", .chain = "mx1-chain.pem"}},
     .days = 10,
     .state = STATE_WARNING,
     .expect = {{FC_CA_EXPIRES_SOON, STATE_WARNING, "2 0 1", "inter.cert-sha256.hex", .param = "ca",
		 .param_prefix = "CN=DANE Lab Intermediate CA,O=DANE Lab"},
		{FC_RENEWAL_INTERMEDIATE_PINNED, STATE_WARNING, "2 0 1", "inter.cert-sha256.hex"}},
     .has = {"anchors on intermediate CA CN=DANE Lab Intermediate CA",
	     "breaks DANE unless its sibling or successor CAs are published too",
	     "matched by 2 0 1 ", "at depth 1"}},
    {.name = "DANE-TA on an intermediate far from expiry: details",
     .records = {{2, 0, 1, "inter.cert-sha256.hex"}},
     .peers = {{.label = "mx1", .chain = "mx1-chain.pem"}},
     .days = 100,
     .state = STATE_OK,
     .expect = {{FC_CA_EXPIRY, STATE_OK, "2 0 1", "inter.cert-sha256.hex"},
		{FC_RENEWAL_INTERMEDIATE_PINNED, STATE_OK}}},
    {.name = "DANE-TA on the root: its expiry, no intermediate pinned",
     .records = {{2, 0, 1, "root.cert-sha256.hex"}},
     .peers = {{.label = "mx1", .chain = "mx1-chain.pem+root.pem"}},
     .days = 100,
     .state = STATE_OK,
     .expect = {{FC_CA_EXPIRY, STATE_OK, "2 0 1", "root.cert-sha256.hex", .param = "ca",
		 .param_prefix = "CN=DANE Lab Root CA,O=DANE Lab"}},
     .has = {"anchors on root CA CN=DANE Lab Root CA,O=DANE Lab, which expires 2120-01-01 "
	     "(100 days)"},
     .hasnt = "pins the intermediate"},
    {.name = "addresses with different keys are a partial rollover",
     .records = {{3, 1, 1, "mx1.spki-sha256.hex"}, {3, 1, 1, "other.spki-sha256.hex"}},
     .peers = {{.label = "mx1[127.0.1.1]", .address = "127.0.1.1", .chain = "mx1-chain.pem"},
	       {.label = "mx1[::1]", .address = "::1", .chain = "other-chain.pem"}},
     .days = 100,
     .state = STATE_WARNING,
     .expect = {{FC_ROLLOVER_PARTIAL, STATE_WARNING},
		{FC_CERT_EXPIRY, STATE_OK, .address = "127.0.1.1"}},
     .has = {"partial rollover: the addresses present 2 different keys (mx1[127.0.1.1] "
	     "ECDSA P-256 certificate key ",
	     "mx1[::1] ECDSA P-256 certificate key "}},
    {.name = "different keys of one certificate type name the type",
     .records = {{3, 1, 1, "mx1.spki-sha256.hex"}, {3, 1, 1, "other.spki-sha256.hex"}},
     .peers = {{.label = "mx1[127.0.1.1]",
		.address = "127.0.1.1",
		.chain = "mx1-chain.pem",
		.type = TLS_KEY_ECDSA},
	       {.label = "mx1[::1]",
		.address = "::1",
		.chain = "other-chain.pem",
		.type = TLS_KEY_ECDSA}},
     .days = 100,
     .state = STATE_WARNING,
     .expect = {{FC_ROLLOVER_PARTIAL, STATE_WARNING, .cert_type = "ECDSA"},
		{FC_CERT_EXPIRY, STATE_OK, .address = "127.0.1.1", .cert_type = "ECDSA"}},
     .has = {"the addresses present 2 different ECDSA keys"}},
    {.name = "an ECDSA and an RSA key side by side are no partial rollover",
     .records = {{3, 1, 1, "mx1.spki-sha256.hex"}, {3, 1, 1, "rsa.spki-sha256.hex"}},
     .peers = {{.label = "mx1[127.0.1.1]",
		.address = "127.0.1.1",
		.chain = "mx1-chain.pem",
		.type = TLS_KEY_ECDSA},
	       {.label = "mx1[127.0.1.1]",
		.address = "127.0.1.1",
		.chain = "rsa.pem",
		.type = TLS_KEY_RSA}},
     .days = 100,
     .state = STATE_OK,
     .expect = {{FC_CERT_EXPIRY, STATE_OK, .address = "127.0.1.1", .cert_type = "ECDSA"}},
     .has = {"mx1[127.0.1.1] RSA 2048 certificate: certificate rsa.example.test expires"},
     .hasnt = "partial rollover"},
    {.name = "an unmatched leaf: no record matches, DANE fails now",
     .records = {{3, 1, 1, "mx1.spki-sha256.hex"}},
     .peers = {{.label = "mx1", .chain = "other-chain.pem"}},
     .days = 100,
     .state = STATE_CRITICAL,
     .expect = {{FC_CERT_NO_MATCH, STATE_CRITICAL, .file = "mx1", .param = "certificate",
		 .param_prefix = "CN=other.example.test,O=DANE Lab"}},
     .has = {"[CRITICAL] mx1: certificate other.example.test expires",
	     "no usable record matches it: DANE fails now"}},
    {.name = "a certificate whose dates cannot be read",
     .records = {{3, 1, 1, "mx1.spki-sha256.hex"}},
     .peers = {{.label = "mx1", .chain = "mx1-chain.pem", .bad_dates = true}},
     .days = 100,
     .state = STATE_UNKNOWN,
     .expect = {{FC_CERT_DATES_UNREADABLE, STATE_UNKNOWN, .file = "mx1",
		 .text = "mx1: the certificate's dates cannot be read"}}},
    {.name = "an address refused by every type: one no-chain line for the address",
     .records = {{3, 1, 1, "mx1.spki-sha256.hex"}},
     .peers = {{.label = "mx1[127.0.1.1]",
		.address = "127.0.1.1",
		.chain = "mx1-chain.pem",
		.type = TLS_KEY_ECDSA},
	       {.label = "mx1[::1]",
		.address = "::1",
		.type = TLS_KEY_ECDSA,
		.smtp = &smtp_refused},
	       {.label = "mx1[::1]", .address = "::1", .type = TLS_KEY_RSA, .smtp = &smtp_refused}},
     .days = 100,
     .state = STATE_CRITICAL,
     .expect = {{FC_CHAIN_MISSING, STATE_CRITICAL, .address = "::1", .param = "smtp_result",
		 .param_prefix = "refused", .text = "mx1[::1]: no chain: connection refused"}}},
    {.name = "a handshake failing differently per type: one line each, with the type",
     .records = {{3, 1, 1, "mx1.spki-sha256.hex"}},
     .peers = {{.label = "mx1[::1]", .address = "::1", .type = TLS_KEY_ECDSA, .tls = &tls_alert},
	       {.label = "mx1[::1]", .address = "::1", .type = TLS_KEY_RSA, .tls = &tls_closed}},
     .days = 100,
     .state = STATE_CRITICAL,
     .expect = {{FC_CHAIN_MISSING, STATE_CRITICAL, .address = "::1", .cert_type = "ECDSA",
		 .param = "tls_outcome", .param_prefix = "handshake"}},
     .has = {"mx1[::1]: no chain: TLS handshake failed: error:0A000410:SSL routines::sslv3 "
	     "alert handshake failure (SSL alert number 40)",
	     "mx1[::1]: no chain: the server closed the connection during the TLS handshake"}},
    {.name = "a probe the deadline left no time for",
     .records = {{3, 1, 1, "mx1.spki-sha256.hex"}},
     .peers = {{.label = "mx1[127.0.1.1]",
		.address = "127.0.1.1",
		.chain = "mx1-chain.pem",
		.type = TLS_KEY_ECDSA},
	       {.label = "mx1[127.0.1.1]",
		.address = "127.0.1.1",
		.type = TLS_KEY_RSA,
		.not_started = true,
		.smtp = &smtp_not_probed}},
     .days = 100,
     .state = STATE_WARNING,
     .expect = {{FC_CHAIN_NOT_FETCHED, STATE_WARNING, .address = "127.0.1.1", .cert_type = "RSA",
		 .text = "mx1[127.0.1.1]: RSA certificate not probed: the deadline (10 s) came "
			 "before its turn (2 probes at once: file descriptors are limited, see "
			 "ulimit -n)"}}},
    {.name = "RRSIGs of the host's RRsets expiring within --sig-warning",
     .records = {{3, 1, 1, "mx1.spki-sha256.hex"}, {3, 1, 1, "next.spki-sha256.hex"}},
     .peers = {{.label = "mx1", .chain = "mx1-chain.pem"}},
     .days = 100,
     .sig_days = 3,
     .state = STATE_WARNING,
     .expect = {{FC_RRSIG_EXPIRES_SOON, STATE_WARNING, .param = "expires",
		 .param_prefix = "2119-09-26",
		 .text = "DNSSEC signatures on its address and TLSA RRsets expire 2119-09-26 (3.0 "
			 "days): re-sign the zone, or validating senders will defer mail"}}},
    {.name = "RRSIGs expiring within --sig-critical",
     .records = {{3, 1, 1, "mx1.spki-sha256.hex"}, {3, 1, 1, "next.spki-sha256.hex"}},
     .peers = {{.label = "mx1", .chain = "mx1-chain.pem"}},
     .days = 100,
     .sig_days = 1.5,
     .state = STATE_CRITICAL,
     .expect = {{FC_RRSIG_EXPIRES_SOON, STATE_CRITICAL}}},
    {.name = "RRSIGs far from expiry: a detail",
     .records = {{3, 1, 1, "mx1.spki-sha256.hex"}, {3, 1, 1, "next.spki-sha256.hex"}},
     .peers = {{.label = "mx1", .chain = "mx1-chain.pem"}},
     .days = 100,
     .sig_days = 20,
     .state = STATE_OK,
     .expect = {{FC_RRSIG_EXPIRY, STATE_OK,
		 .text = "DNSSEC signatures on its address and TLSA RRsets expire 2119-10-13 "
			 "(20.0 days)"}}},
};

/* ---- staged next keys and certificates, -A, the gate ---- */

static const struct vcase staged[] = {
    {.name = "an unpublished next key is critical and prints the record",
     .records = {{3, 1, 1, "mx1.spki-sha256.hex"}},
     .peers = {{.label = "mx1", .chain = "mx1-chain.pem"}},
     .days = 100,
     .next_key = "next.key",
     .state = STATE_CRITICAL,
     .expect = {{FC_STAGED_UNPUBLISHED, STATE_CRITICAL, .file = "next.key", .name = QNAME,
		 .param = "publish", .param_prefix = "3 1 1", .param_hex = "next.spki-sha256.hex"}},
     .has = {"next key next.key is not published: deploying it breaks DANE; publish "
	     "_25._tcp.mx1.example.test. IN TLSA 3 1 1 "}},
    {.name = "a published next key is ok, and its record is not called stale",
     .records = {{3, 1, 1, "mx1.spki-sha256.hex"}, {3, 1, 1, "next.spki-sha256.hex"}},
     .peers = {{.label = "mx1", .chain = "mx1-chain.pem"}},
     .days = 100,
     .stale_warning = true,
     .next_key = "next.key",
     .state = STATE_OK,
     .expect = {{FC_STAGED_PUBLISHED, STATE_OK, "3 1 1", "next.spki-sha256.hex", .file = "next.key",
		 .param = "kind", .param_prefix = "key"}},
     .has = {"[OK] next key next.key already published"},
     .hasnt = "matches nothing presented"},
    {.name = "a next certificate no record matches",
     .records = {{3, 1, 1, "mx1.spki-sha256.hex"}},
     .peers = {{.label = "mx1", .chain = "mx1-chain.pem"}},
     .days = 100,
     .next_cert = "other-chain.pem",
     .state = STATE_CRITICAL,
     .expect = {{FC_STAGED_UNPUBLISHED, STATE_CRITICAL, .file = "other-chain.pem", .param = "kind",
		 .param_prefix = "certificate"}},
     .has = {"next certificate other-chain.pem matches no published record"}},
    {.name = "a next certificate covered by the DANE-TA record of its intermediate",
     .records = {{3, 1, 1, "mx1.spki-sha256.hex"}, {2, 0, 1, "inter.cert-sha256.hex"}},
     .peers = {{.label = "mx1", .chain = "mx1-chain.pem"}},
     .days = 100,
     .next_cert = "other-chain.pem",
     .state = STATE_OK,
     .expect = {{FC_STAGED_PUBLISHED, STATE_OK, "2 0 1", "inter.cert-sha256.hex"}},
     .has = {"next certificate other-chain.pem already matched"}},
    {.name = "a next certificate from an issuer the DANE-TA records lack: both records named",
     .records = {{3, 1, 1, "mx1.spki-sha256.hex"}, {2, 0, 1, "root.cert-sha256.hex"}},
     .peers = {{.label = "mx1", .chain = "mx1-chain.pem"}},
     .days = 100,
     .next_cert = "other-chain.pem",
     .state = STATE_CRITICAL,
     .expect = {{FC_STAGED_UNPUBLISHED, STATE_CRITICAL, .param = "publish_issuer",
		 .param_prefix = "2 1 1", .param_hex = "inter.spki-sha256.hex"}},
     .has = {"(its issuer CN=DANE Lab Intermediate CA,O=DANE Lab, as the other DANE-TA "
	     "records) or 3 1 1 "}},
    {.name = "-A: a next key some authoritative server does not serve",
     .records = {{3, 1, 1, "mx1.spki-sha256.hex"}, {3, 1, 1, "next.spki-sha256.hex"}},
     .peers = {{.label = "mx1", .chain = "mx1-chain.pem"}},
     .days = 100,
     .next_key = "next.key",
     .servers = {{"ns1.example.test.",
		  "192.0.2.1",
		  AUTH_OK,
		  {"mx1.spki-sha256.hex", "next.spki-sha256.hex"}},
		 {"ns2.example.test.", "192.0.2.2", AUTH_OK, {"mx1.spki-sha256.hex"}}},
     .state = STATE_CRITICAL,
     .expect = {{FC_STAGED_NOT_ON_EVERY_SERVER, STATE_CRITICAL, "3 1 1", "next.spki-sha256.hex",
		 .file = "next.key", .param = "servers_lacking",
		 .param_prefix = "ns2.example.test.[192.0.2.2]"}},
     .has = {"but not on every authoritative server: ns2.example.test.[192.0.2.2] serves no "
	     "record for it; deploying it breaks DANE for the senders whose resolvers ask it"}},
    {.name = "-A: a next key served by every server that answered, one silent",
     .records = {{3, 1, 1, "mx1.spki-sha256.hex"}, {3, 1, 1, "next.spki-sha256.hex"}},
     .peers = {{.label = "mx1", .chain = "mx1-chain.pem"}},
     .days = 100,
     .next_key = "next.key",
     .servers = {{"ns1.example.test.", "192.0.2.1", AUTH_OK, {"next.spki-sha256.hex"}},
		 {"ns2.example.test.", "192.0.2.2", AUTH_NO_ANSWER}},
     .state = STATE_WARNING,
     .expect = {{FC_STAGED_UNCONFIRMED, STATE_WARNING, "3 1 1", "next.spki-sha256.hex",
		 .file = "next.key"}},
     .has = {", not confirmed on 1 authoritative server that did not answer"}},
    {.name = "-A: a next key on every authoritative server",
     .records = {{3, 1, 1, "mx1.spki-sha256.hex"}, {3, 1, 1, "next.spki-sha256.hex"}},
     .peers = {{.label = "mx1", .chain = "mx1-chain.pem"}},
     .days = 100,
     .next_key = "next.key",
     .servers = {{"ns1.example.test.", "192.0.2.1", AUTH_OK, {"next.spki-sha256.hex"}},
		 {"ns2.example.test.",
		  "192.0.2.2",
		  AUTH_OK,
		  {"mx1.spki-sha256.hex", "next.spki-sha256.hex"}}},
     .state = STATE_OK,
     .expect = {{FC_STAGED_PUBLISHED, STATE_OK, .file = "next.key"}},
     .has = {"already published at " QNAME " (3 1 1 "},
     .hasnt = "not confirmed"},
    {.name = "the gate judges only the staged file",
     .records = {{3, 1, 1, "mx1.spki-sha256.hex"}, {3, 1, 1, "next.spki-sha256.hex"}},
     .days = 1,
     .gate = true,
     .next_key = "next.key",
     .state = STATE_OK,
     .expect = {{FC_STAGED_PUBLISHED, STATE_OK, .file = "next.key"}},
     .hasnt = "matches nothing presented"},
    {.name = "the gate refuses an unpublished certificate",
     .records = {{3, 1, 1, "mx1.spki-sha256.hex"}},
     .days = 1,
     .gate = true,
     .next_cert = "other-chain.pem",
     .state = STATE_CRITICAL,
     .expect = {{FC_STAGED_UNPUBLISHED, STATE_CRITICAL, .file = "other-chain.pem"}},
     .hasnt = "certificate mx1.example.test expires"},
};

/* ---- --issuers ---- */

static const struct vcase issuers[] = {
    {.name = "every issuer covered by the DANE-TA records",
     .records = {{2, 0, 1, "inter.cert-sha256.hex"}},
     .peers = {{.label = "mx1", .chain = "mx1-chain.pem"}},
     .days = 100,
     .issuers = {"inter.pem"},
     .state = STATE_OK,
     .expect = {{FC_RENEWAL_ISSUERS_COVERED, STATE_OK, .file = "cas.pem", .name = QNAME,
		 .text = "the DANE-TA records cover every issuer of cas.pem (1): CN=DANE Lab "
			 "Intermediate CA,O=DANE Lab"}}},
    {.name = "an issuer the DANE-TA records do not cover",
     .records = {{2, 0, 1, "inter.cert-sha256.hex"}},
     .peers = {{.label = "mx1", .chain = "mx1-chain.pem"}},
     .days = 100,
     .issuers = {"inter.pem", "root.pem"},
     .state = STATE_WARNING,
     .expect = {{FC_RENEWAL_ISSUER_UNCOVERED, STATE_WARNING, .file = "cas.pem", .param = "publish",
		 .param_prefix = "2 1 1", .param_hex = "root.spki-sha256.hex"}},
     .has = {"[WARNING] a renewal issued by CN=DANE Lab Root CA,O=DANE Lab breaks DANE: its "
	     "key is in no DANE-TA record at " QNAME "; publish " QNAME " IN TLSA 2 1 1 "},
     .hasnt = "cover every issuer"},
    {.name = "more issuers in the file than were read",
     .records = {{2, 0, 1, "inter.cert-sha256.hex"}},
     .peers = {{.label = "mx1", .chain = "mx1-chain.pem"}},
     .days = 100,
     .issuers = {"inter.pem"},
     .issuers_total = 3,
     .state = STATE_WARNING,
     .expect = {{FC_RENEWAL_ISSUERS_TRUNCATED, STATE_WARNING, .file = "cas.pem",
		 .text = "only the first 1 of the 3 certificates in cas.pem were checked"}}},
    {.name = "--issuers on a host without DANE-TA records does not apply",
     .records = {{3, 1, 1, "mx1.spki-sha256.hex"}},
     .peers = {{.label = "mx1", .chain = "mx1-chain.pem"}},
     .days = 100,
     .issuers = {"inter.pem"},
     .state = STATE_OK,
     .expect = {{FC_RENEWAL_ISSUERS_NOT_APPLICABLE, STATE_OK, .file = "cas.pem",
		 .text = "--issuers does not apply: no usable DANE-TA (2 x x) record at " QNAME}}},
};

START_TEST(forecast_follows_the_rules)
{
	run_case(&forecasts[_i]);
}
END_TEST

START_TEST(staged_files_are_judged_against_the_records)
{
	run_case(&staged[_i]);
}
END_TEST

START_TEST(issuers_are_judged_against_the_dane_ta_records)
{
	run_case(&issuers[_i]);
}
END_TEST

START_TEST(detail_lines_are_shown_from_one_v)
{
	struct world w;
	const struct finding *f;

	world_run(&w, &issuers[3]);
	f = vt_find(w.out, FC_RENEWAL_ISSUERS_NOT_APPLICABLE);
	ck_assert_int_eq(f->level, 1);
	ck_assert_int_eq(vt_find(w.out, FC_RENEWAL_USABLE_RECORDS)->level, 1);
	world_free(&w);
}
END_TEST

/* ---- the run: the MX RRset, the hosts, the status line, the perfdata, the files ---- */

/* A walk of example.test. with mx1 (records of c) as its one host. */
static void
walk_of(struct mx_result *r, struct world *w)
{
	memset(r, 0, sizeof(*r));
	r->status = MX_FOUND;
	snprintf(r->domain, sizeof(r->domain), "example.test.");
	r->hosts = &w->h;
	r->nhosts = 1;
	w->h.addr_class = DNS_SECURE;
	w->h.tlsa_looked_up = true;
	w->h.tlsa_class = DNS_SECURE;
}

/* The summary of a run of c through verdict_rollover_hosts() (the MX RRset's RRSIGs too). */
static const struct {
	int table; /* 0: forecasts, 1: staged */
	int index;
	double mx_sig_days; /* 0: none */
	const char *summary;
} summaries[] = {
    {0, 1, 30,
     "example.test.: no DANE breakage ahead (certificates: 100 days left, DNSSEC "
     "signatures: 30 days)"},
    {0, 14, 0,
     "example.test.: mx1.example.test.: mx1: certificate other.example.test expires "
     "2120-01-01 (100 days), no usable record matches it: DANE fails now"},
    {1, 8, 0,
     "example.test.: deploying the staged key keeps DANE working: the published records "
     "of the host match it"},
};

START_TEST(summary_says_where_the_worst_state_comes_from)
{
	const struct vcase *c = summaries[_i].table == 0 ? &forecasts[summaries[_i].index]
							 : &staged[summaries[_i].index];
	struct world w;
	struct mx_result r;
	struct output *out;

	world_run(&w, c); /* the facts; the run below judges them again */
	walk_of(&r, &w);
	if (summaries[_i].mx_sig_days > 0)
		r.sig_expire = w.p.now + (time_t)llround(summaries[_i].mx_sig_days * DAY);
	out = output_new("DANE_ROLLOVER");
	verdict_rollover_totals_init(&w.t);
	verdict_rollover_mx(&r, &w.p, out, &w.t);
	verdict_rollover_hosts(&r, w.batch.n > 0 ? &w.batch : NULL, &w.p, out, &w.t);
	verdict_rollover_summary(&r, &w.p, &w.t, out);
	ck_assert_str_eq(output_summary_text(out), summaries[_i].summary);
	vt_expect(out, FC_RENEWAL_HOST, output_state(out),
		  &(struct finding_subject){.domain = "example.test.", .host = HOST});
	if (summaries[_i].mx_sig_days > 0)
		vt_expect(
		    out, FC_RRSIG_EXPIRY, STATE_OK,
		    &(struct finding_subject){.domain = "example.test.", .name = "example.test."});
	output_free(out);
	world_free(&w);
}
END_TEST

START_TEST(the_gate_judges_no_signatures)
{
	struct world w;
	struct mx_result r;
	struct output *out = output_new("DANE_ROLLOVER");
	struct vcase c = staged[8];

	c.sig_days = 1; /* the host's RRSIGs */
	world_run(&w, &c);
	walk_of(&r, &w);
	r.sig_expire = w.p.now + DAY; /* the MX RRset's */
	verdict_rollover_totals_init(&w.t);
	verdict_rollover_mx(&r, &w.p, out, &w.t);
	verdict_rollover_hosts(&r, NULL, &w.p, out, &w.t);
	ck_assert_ptr_null(vt_find(out, FC_RRSIG_EXPIRES_SOON));
	ck_assert(isnan(w.t.sig_days));
	ck_assert_int_eq(output_state(out), STATE_OK);
	output_free(out);
	world_free(&w);
}
END_TEST

START_TEST(perfdata_has_the_thresholds_of_the_earliest_certificate)
{
	struct world w;
	const struct perfdata_item *pd;
	size_t n;

	world_run(&w, &forecasts[0]); /* 5 days left, -w 21 -c 3 */
	verdict_rollover_perfdata(&w.p, &w.t, 0.25, w.out);
	pd = output_perfdata_items(w.out, &n);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(pd[0].label, "cert_days");
	ck_assert(fabs(pd[0].value - 5) < 0.001 && !pd[0].unknown);
	ck_assert(pd[0].has_warn && pd[0].warn.start == 21 && pd[0].crit.start == 3);
	ck_assert_str_eq(pd[1].label, "sig_days");
	ck_assert(pd[1].unknown);
	ck_assert_str_eq(pd[2].label, "time");
	ck_assert(fabs(pd[2].value - 0.25) < 0.001);
	world_free(&w);
}
END_TEST

/* verdict_rollover_file(): the option, the loader's status and words, the line. */
static const struct {
	const char *option, *file;
	enum cert_load_status st;
	const char *err, *text;
} files[] = {
    {"--cert", "/x.pem", CERT_LOAD_PEM, "cannot read /x.pem: No such file or directory",
     "--cert: cannot read /x.pem: No such file or directory"},
    {"--issuers", "/", CERT_LOAD_FILE, "/: not a regular file", "--issuers /: not a regular file"},
    {"--issuers", "/y.pem", CERT_LOAD_PEM, "no certificate in /y.pem",
     "--issuers: no certificate in /y.pem"},
};

START_TEST(an_unusable_file_ends_the_run_unknown)
{
	struct output *out = output_new("DANE_ROLLOVER");
	const struct finding *f;

	verdict_rollover_file(out, files[_i].option, files[_i].file, files[_i].st, files[_i].err);
	f = vt_expect(out, FC_FILE_UNUSABLE, STATE_UNKNOWN,
		      &(struct finding_subject){.file = files[_i].file});
	ck_assert_str_eq(f->text, files[_i].text);
	ck_assert_str_eq(finding_param(f, "option")->string, files[_i].option);
	ck_assert_str_eq(output_summary_text(out), files[_i].text);
	output_free(out);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *
verdict_rollover_suite(void)
{
	Suite *s = suite_create("verdict_rollover");
	TCase *host = tcase_create("host");
	TCase *run = tcase_create("run");

	tcase_add_loop_test(host, forecast_follows_the_rules, 0, N(forecasts));
	tcase_add_loop_test(host, staged_files_are_judged_against_the_records, 0, N(staged));
	tcase_add_loop_test(host, issuers_are_judged_against_the_dane_ta_records, 0, N(issuers));
	tcase_add_test(host, detail_lines_are_shown_from_one_v);
	suite_add_tcase(s, host);
	tcase_add_loop_test(run, summary_says_where_the_worst_state_comes_from, 0, N(summaries));
	tcase_add_test(run, the_gate_judges_no_signatures);
	tcase_add_test(run, perfdata_has_the_thresholds_of_the_earliest_certificate);
	tcase_add_loop_test(run, an_unusable_file_ends_the_run_unknown, 0, N(files));
	suite_add_tcase(s, run);
	return s;
}
