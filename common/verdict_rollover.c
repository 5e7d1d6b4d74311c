/*
 * verdict_rollover.c -- the renewal forecast of check_dane_rollover: the
 * hosts, the chains they present, their records and signatures, the status
 * line and the perfdata.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "words_conn.h"
#include "verdict_rollover.h"
#include "rollover_match.h"
#include "text.h"
#include "tls.h"
#include "tlsa_assoc.h"
#include "verdict_staged.h"

/* Most distinct keys tracked for the partial-rollover check. */
#define MAX_KEYS 16

/* Room for a peer's label: the probe's label, the key and "certificate". */
#define LABEL_MAX (MX_NAME_MAX + 160)

/* One place that presents a chain: an address (one certificate type), or --cert. */
struct peer {
	const char *label;          /* "mx1.example.org.[192.0.2.1]:25 ECDSA P-256 certificate" */
	STACK_OF(X509) * chain;     /* leaf first, at least the leaf; not owned */
	enum tls_key_type key_type; /* the certificate type asked for (TLS_KEY_ANY: none) */
	const char *address;        /* the address, NULL for --cert */
	unsigned int port;
	const char *file; /* --cert: the file, else NULL */
};

/* What the forecast for one host works with. */
struct forecast {
	const struct mx_host *h;
	const struct peer *peers;
	size_t npeers;
	const struct verdict_rollover_params *p;
	struct output *out;
	struct finding *parent;
	uint8_t *buf; /* ROLLOVER_DATA_MAX bytes of scratch */
	struct verdict_rollover_totals *t;
	/* report_forecast(): the presented leaf that expires first */
	state_t window;    /* a renewal is due: WARNING inside the -w window, else OK */
	char renewal[96];  /* "renewal expected around 2026-12-08, in 6 days" */
	char expires[32];  /* its notAfter: "2026-12-12" */
	time_t not_after;  /* the same as a time */
	time_t renewal_at; /* when its renewal is expected */
	bool overdue;      /* that time has passed */
};

void
verdict_rollover_totals_init(struct verdict_rollover_totals *t)
{
	memset(t, 0, sizeof(*t));
	t->sig_days = NAN;
}

void
verdict_rollover_record(struct output *out, struct finding *f, const char *param,
			const struct tlsa_rdata *rd)
{
	size_t size = 2 * rd->len + 16;
	char *text = malloc(size);

	if (text == NULL) {
		output_unknown(out, FC_PLUGIN_LOCAL_FAILURE, "out of memory");
		return;
	}
	tlsa_format(rd, text, size, 0);
	if (param != NULL)
		finding_param_str(f, param, text);
	else
		finding_subject(f, &(struct finding_subject){.tlsa = text});
	free(text);
}

/* A date parameter, "YYYY-MM-DD" (UTC). */
static void
date_param(struct finding *f, const char *key, time_t t)
{
	char date[32];

	finding_param_str(f, key, expiry_format_date(t, false, date, sizeof(date)));
}

/* The facts of an expiry verdict as parameters. */
static void
expiry_params(struct finding *f, const struct expiry_verdict *v, time_t not_after)
{
	date_param(f, "not_after", not_after);
	finding_param_num(f, "days_left", round(v->days_left * 100) / 100);
	finding_param_num(f, "lifetime_days", round(v->lifetime_days * 100) / 100);
	finding_param_num(f, "warn_days", round(v->warn_days * 100) / 100);
	finding_param_num(f, "crit_days", round(v->crit_days * 100) / 100);
	date_param(f, "renewal", v->renewal);
	finding_param_bool(f, "renewal_overdue", v->renewal_overdue);
}

/* The subject of a finding about what a peer presented. */
static void
peer_subject(struct finding *f, const struct mx_host *h, const struct peer *peer)
{
	finding_subject(
	    f, &(struct finding_subject){.host = h->name,
					 .address = peer->address,
					 .port = peer->port,
					 .cert_type = peer->key_type != TLS_KEY_ANY
							  ? tls_key_type_name(peer->key_type)
							  : NULL,
					 .file = peer->file});
}

/* Judge cert by the policy; keep it in t when it expires first. Returns -1 if its dates
 * cannot be read. */
static int
judge_cert(X509 *cert, const struct verdict_rollover_params *p, struct verdict_rollover_totals *t,
	   struct cert_info *info, struct expiry_verdict *v)
{
	cert_describe(cert, info);
	if (!info->dates_ok)
		return -1;
	expiry_judge(&p->expiry, info->not_before, info->not_after, p->now, v);
	if (!t->cert_set || v->days_left < t->cert_days) {
		t->cert_set = true;
		t->cert_days = v->days_left;
		t->cert = *v;
	}
	return 0;
}

/* "2026-12-02 (364 days)", "2026-12-02 12:48 UTC (12 hours)": an expiry for a line. */
static const char *
expiry_text(const struct expiry_verdict *v, time_t not_after, char *dst, size_t dstsize)
{
	char date[32], left[32];

	expiry_format_date(not_after, fabs(v->days_left) < 2, date, sizeof(date));
	expiry_format_left(v->days_left, left, sizeof(left));
	snprintf(dst, dstsize, "%s (%s)", date, left);
	return dst;
}

/*
 * The leaf of one peer: its expiry and the record that matches it
 * (cert.expiry, cert.expires_soon, cert.no_match, cert.dates_unreadable).
 */
static void
report_peer(const struct forecast *fc, const struct peer *peer)
{
	X509 *leaf = sk_X509_value(peer->chain, 0);
	const struct tlsa_record *match = NULL;
	struct cert_info info;
	struct expiry_verdict v;
	char when[96], text[160], rec[200] = "no usable record matches it: DANE fails now";
	enum finding_code code;
	struct finding *f;
	int depth = 0;
	size_t i;

	for (i = 0; i < fc->h->tlsa.n && match == NULL; i++)
		if (fc->h->tlsa.records[i].verdict == TLSA_USABLE &&
		    rollover_match_chain(&fc->h->tlsa.records[i].rd, peer->chain, fc->buf, &depth))
			match = &fc->h->tlsa.records[i];
	if (match != NULL) {
		tlsa_format(&match->rd, text, sizeof(text), 16);
		snprintf(rec, sizeof(rec), "matched by %s at depth %d", text, depth);
	}
	if (judge_cert(leaf, fc->p, fc->t, &info, &v) != 0) {
		f = finding_add(fc->out, fc->parent, STATE_UNKNOWN, FC_CERT_DATES_UNREADABLE,
				"%s: the certificate's dates cannot be read", peer->label);
		peer_subject(f, fc->h, peer);
		finding_param_str(f, "certificate", info.subject);
		return;
	}
	code = match == NULL         ? FC_CERT_NO_MATCH
	       : v.state != STATE_OK ? FC_CERT_EXPIRES_SOON
				     : FC_CERT_EXPIRY;
	f = finding_add(
	    fc->out, fc->parent, state_worst(v.state, match != NULL ? STATE_OK : STATE_CRITICAL),
	    code, "%s: certificate %s %s %s, %s", peer->label, info.cn[0] ? info.cn : info.subject,
	    v.days_left < 0 ? "expired on" : "expires",
	    expiry_text(&v, info.not_after, when, sizeof(when)), rec);
	peer_subject(f, fc->h, peer);
	finding_param_str(f, "certificate", info.subject);
	expiry_params(f, &v, info.not_after);
	if (match != NULL) {
		verdict_rollover_record(fc->out, f, "matched_by", &match->rd);
		finding_param_int(f, "depth", depth);
	}
}

/* The SHA-256 of the SPKI of a peer's leaf into d; false when it cannot be computed. */
static bool
leaf_key(const struct peer *peer, uint8_t d[TLSA_DIGEST_MAX])
{
	size_t len = 0;

	return tlsa_assoc_cert(sk_X509_value(peer->chain, 0), 1, 1, d, TLSA_DIGEST_MAX, &len) == 0;
}

/*
 * Addresses of one host presenting different keys of one certificate type:
 * a rollover half done (rollover.partial). An ECDSA and an RSA key side by
 * side are not.
 */
static void
report_partial_type(const struct forecast *fc, enum tls_key_type type)
{
	uint8_t keys[MAX_KEYS][TLSA_DIGEST_MAX], d[TLSA_DIGEST_MAX];
	size_t nkeys = 0, i, k, o = 0;
	char list[1024], hex[16];
	struct finding *f;

	for (i = 0; i < fc->npeers; i++) {
		if (fc->peers[i].key_type != type || !leaf_key(&fc->peers[i], d))
			continue;
		for (k = 0; k < nkeys && memcmp(keys[k], d, 32) != 0; k++)
			;
		if (k == nkeys && nkeys < MAX_KEYS)
			memcpy(keys[nkeys++], d, 32);
		if (o + 120 < sizeof(list)) {
			text_hex(d, 4, hex, sizeof(hex));
			o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s key %s...",
					      o ? ", " : "", fc->peers[i].label, hex);
		}
	}
	if (nkeys < 2)
		return;
	f = finding_add(fc->out, fc->parent, STATE_WARNING, FC_ROLLOVER_PARTIAL,
			"partial rollover: the addresses present %zu different %s%skeys (%s)",
			nkeys, type == TLS_KEY_ANY ? "" : tls_key_type_name(type),
			type == TLS_KEY_ANY ? "" : " ", list);
	finding_subject(f, &(struct finding_subject){
			       .host = fc->h->name,
			       .cert_type = type == TLS_KEY_ANY ? NULL : tls_key_type_name(type)});
	finding_param_int(f, "keys", (long long)nkeys);
}

/* The presented leaf that expires first, judged into v; NULL when there is none. */
static X509 *
earliest_leaf(const struct forecast *fc, struct expiry_verdict *v, time_t *not_after)
{
	X509 *first = NULL;
	struct cert_info info;
	size_t k;

	for (k = 0; k < fc->npeers; k++) {
		struct expiry_verdict kv;
		X509 *leaf = sk_X509_value(fc->peers[k].chain, 0);

		cert_describe(leaf, &info);
		if (!info.dates_ok)
			continue;
		expiry_judge(&fc->p->expiry, info.not_before, info.not_after, fc->p->now, &kv);
		if (first == NULL || kv.days_left < v->days_left) {
			first = leaf;
			*v = kv;
			*not_after = info.not_after;
		}
	}
	return first;
}

/* "renewal expected around 2026-12-08, in 6 days" or "renewal overdue since 2026-12-01". */
static void
renewal_text(const struct expiry_verdict *v, time_t now, char *dst, size_t dstsize)
{
	char date[32], left[32];

	expiry_format_date(v->renewal, false, date, sizeof(date));
	if (v->renewal_overdue) {
		snprintf(dst, dstsize, "renewal overdue since %s", date);
		return;
	}
	expiry_format_left(difftime(v->renewal, now) / 86400.0, left, sizeof(left));
	snprintf(dst, dstsize, "renewal expected around %s, in %s", date, left);
}

/* The facts of a forecast: the earliest leaf's expiry and its renewal. */
static void
renewal_params(struct finding *f, const struct forecast *fc)
{
	date_param(f, "not_after", fc->not_after);
	date_param(f, "renewal", fc->renewal_at);
	finding_param_bool(f, "renewal_overdue", fc->overdue);
}

/*
 * A DANE-TA record that matches a presented chain: which CA it anchors on,
 * its expiry (ca.expiry, ca.expires_soon), and the issuer-change risk of an
 * intermediate (renewal.intermediate_pinned). spare is the number of usable
 * records before it that match nothing.
 */
static void
report_anchor(const struct forecast *fc, const struct tlsa_record *r, size_t spare)
{
	size_t k;
	char text[160], when[96];
	struct finding *f;

	for (k = 0; k < fc->npeers; k++) {
		int depth = 0;
		struct cert_info ca;
		struct expiry_verdict v;
		X509 *cert;

		if (!rollover_match_chain(&r->rd, fc->peers[k].chain, fc->buf, &depth))
			continue;
		cert = sk_X509_value(fc->peers[k].chain, depth);
		if (judge_cert(cert, fc->p, fc->t, &ca, &v) != 0)
			return;
		tlsa_format(&r->rd, text, sizeof(text), 16);
		f = finding_add(fc->out, fc->parent, v.state,
				v.state == STATE_OK ? FC_CA_EXPIRY : FC_CA_EXPIRES_SOON,
				"%s anchors on %s CA %s, which expires %s", text,
				ca.self_issued ? "root" : "intermediate", ca.subject,
				expiry_text(&v, ca.not_after, when, sizeof(when)));
		finding_subject(f, &(struct finding_subject){.host = fc->h->name});
		verdict_rollover_record(fc->out, f, NULL, &r->rd);
		finding_param_str(f, "ca", ca.subject);
		finding_param_bool(f, "root", ca.self_issued);
		expiry_params(f, &v, ca.not_after);
		if (ca.self_issued)
			return;
		f = finding_add(fc->out, fc->parent,
				spare > 0 || fc->h->tlsa.usable > 1 ? STATE_OK : fc->window,
				FC_RENEWAL_INTERMEDIATE_PINNED,
				"%s pins the intermediate CA %s: a renewal issued by another "
				"intermediate (ACME CAs pick among several) breaks DANE unless "
				"its sibling or successor CAs are published too",
				text, ca.subject);
		finding_subject(f, &(struct finding_subject){.host = fc->h->name});
		verdict_rollover_record(fc->out, f, NULL, &r->rd);
		finding_param_str(f, "ca", ca.subject);
		return;
	}
}

/* A 3 0 x record that matches: any renewal breaks it (renewal.cert_pinned). */
static void
report_cert_pin(struct forecast *fc, const struct tlsa_record *r)
{
	char text[160];
	struct finding *f;

	tlsa_format(&r->rd, text, sizeof(text), 16);
	f = finding_add(fc->out, fc->parent, fc->window, FC_RENEWAL_CERT_PINNED,
			"%s pins the certificate itself: any renewal breaks it (the "
			"certificate expires %s; %s); publish a record for the new "
			"certificate or key before renewing",
			text, fc->expires, fc->renewal);
	finding_subject(f, &(struct finding_subject){.host = fc->h->name});
	verdict_rollover_record(fc->out, f, NULL, &r->rd);
	renewal_params(f, fc);
}

/*
 * Without staged files: what will the next renewal break? Looks at the
 * records that match the presented chains; every forecast says when the
 * renewal is expected, and is a WARNING when the leaf is inside the
 * warning threshold (the renewal is due), a detail line before.
 */
static void
report_forecast(struct forecast *fc, const bool *matches_any)
{
	const struct mx_host *h = fc->h;
	struct expiry_verdict v;
	size_t i, spare = 0, key_pins = 0, cert_pins = 0;
	struct finding *f;

	if (earliest_leaf(fc, &v, &fc->not_after) == NULL)
		return;
	if (v.state != STATE_OK)
		fc->window = STATE_WARNING;
	renewal_text(&v, fc->p->now, fc->renewal, sizeof(fc->renewal));
	fc->renewal_at = v.renewal;
	fc->overdue = v.renewal_overdue;
	expiry_format_date(fc->p->now + (time_t)(v.days_left * 86400), false, fc->expires,
			   sizeof(fc->expires));
	for (i = 0; i < h->tlsa.n; i++) {
		const struct tlsa_record *r = &h->tlsa.records[i];

		if (r->verdict != TLSA_USABLE)
			continue;
		if (!matches_any[i]) {
			spare++;
		} else if (r->rd.usage == TLSA_USAGE_DANE_EE &&
			   r->rd.selector == TLSA_SELECTOR_CERT) {
			cert_pins++;
			report_cert_pin(fc, r);
		} else if (r->rd.usage == TLSA_USAGE_DANE_EE) {
			key_pins++;
		} else {
			report_anchor(fc, r, spare);
		}
	}
	if (key_pins == 0 || cert_pins > 0 || spare > 0 || key_pins != h->tlsa.usable)
		return;
	f = finding_add(fc->out, fc->parent, fc->window, FC_RENEWAL_NO_NEXT_KEY,
			"%s: no next-key record published: only records for the current "
			"key%s; a renewal with a new key (the certificate expires %s) breaks "
			"DANE",
			fc->renewal, key_pins > 1 ? "s" : "", fc->expires);
	finding_subject(f, &(struct finding_subject){.host = h->name, .name = h->tlsa_qname});
	finding_param_int(f, "records", (long long)key_pins);
	renewal_params(f, fc);
}

/* Usable records that match nothing presented and no staged file (tlsa.stale). */
static void
report_stale(const struct forecast *fc, const bool *matches_any, const bool *is_next)
{
	const struct mx_host *h = fc->h;
	struct finding *f;
	char text[160];
	size_t i;

	for (i = 0; i < h->tlsa.n && fc->npeers > 0; i++) {
		const struct tlsa_record *r = &h->tlsa.records[i];

		if (r->verdict != TLSA_USABLE || matches_any[i] || is_next[i])
			continue;
		tlsa_format(&r->rd, text, sizeof(text), 16);
		f = finding_add(fc->out, fc->parent,
				fc->p->stale_warning ? STATE_WARNING : STATE_OK, FC_TLSA_STALE,
				"%s matches nothing presented: a pre-published next key, or a "
				"stale record to remove",
				text);
		finding_subject(f,
				&(struct finding_subject){.host = h->name, .name = h->tlsa_qname});
		verdict_rollover_record(fc->out, f, NULL, &r->rd);
	}
}

/*
 * When the RRSIGs of some RRsets expire (rrsig.expiry, rrsig.expires_soon)
 * under parent (NULL: top level), about subject; lowers t->sig_days.
 */
static void
report_sigs(const struct verdict_rollover_params *p, time_t expire, const char *what,
	    const char *rrsets, const struct finding_subject *subject, struct output *out,
	    struct finding *parent, struct verdict_rollover_totals *t)
{
	char date[32];
	struct finding *f;
	double days;
	state_t st;

	if (expire == 0)
		return;
	days = difftime(expire, p->now) / 86400.0;
	if (isnan(t->sig_days) || days < t->sig_days)
		t->sig_days = days;
	st = expiry_days_state(&p->sig_warn, &p->sig_crit, days);
	f = finding_add(out, parent, st, st == STATE_OK ? FC_RRSIG_EXPIRY : FC_RRSIG_EXPIRES_SOON,
			"DNSSEC signatures on %s expire %s (%.1f days)%s", what,
			expiry_format_date(expire, false, date, sizeof(date)), days,
			st != STATE_OK ? ": re-sign the zone, or validating senders will defer mail"
				       : "");
	finding_subject(f, subject);
	finding_param_str(f, "rrsets", rrsets);
	finding_param_str(f, "expires", date);
	finding_param_num(f, "days_left", round(days * 10) / 10);
}

void
verdict_rollover_mx(const struct mx_result *r, const struct verdict_rollover_params *p,
		    struct output *out, struct verdict_rollover_totals *t)
{
	if (r->status == MX_FOUND && !p->gate)
		report_sigs(p, r->sig_expire, "the MX RRset", "MX",
			    &(struct finding_subject){.domain = r->domain, .name = r->domain}, out,
			    NULL, t);
}

/* Why a probe got no chain, in the words of its facts (words_conn.h), into buf. */
static const char *
no_chain_why(const struct probe_result *res, char *buf, size_t size)
{
	if (res->smtp.result != SMTP_OK)
		return words_smtp_session(&res->smtp, buf, size);
	return words_tls_result(&res->tls, buf, size);
}

/* Room for no_chain_why()'s words. */
#define NO_CHAIN_WHY_MAX                                                                           \
	(WORDS_SMTP_SESSION_MAX > WORDS_TLS_RESULT_MAX ? WORDS_SMTP_SESSION_MAX                    \
						       : WORDS_TLS_RESULT_MAX)

/*
 * A probe that got no chain is said once per address when its types failed
 * alike (chain.missing). Does the probe after k fold into k's line?
 */
static bool
folds_into(const struct probe_batch *batch, size_t k)
{
	const struct probe_result *next = &batch->results[k + 1];
	char a[NO_CHAIN_WHY_MAX], b[NO_CHAIN_WHY_MAX];

	return k + 1 < batch->n && batch->targets[k + 1].addr == batch->targets[k].addr &&
	       !probe_not_offered(next) && next->started && next->tls.ncerts == 0 &&
	       strcmp(no_chain_why(&batch->results[k], a, sizeof(a)),
		      no_chain_why(next, b, sizeof(b))) == 0;
}

/* A probe of h that got no chain: what it says, under line (chain.not_fetched, chain.missing). */
static void
report_no_chain(const struct mx_host *h, const struct probe_batch *batch, size_t k,
		struct output *out, struct finding *line)
{
	const struct probe_result *res = &batch->results[k];
	const struct probe_target *tg = &batch->targets[k];
	char buf[NO_CHAIN_WHY_MAX], prev[NO_CHAIN_WHY_MAX];
	const char *why = no_chain_why(res, buf, sizeof(buf));
	struct finding *f;

	if (!res->started) {
		f = finding_add(out, line, STATE_WARNING, FC_CHAIN_NOT_FETCHED,
				"%s: %s certificate %s", res->label,
				tls_key_type_name(res->key_type), why);
		finding_subject(
		    f, &(struct finding_subject){.host = h->name,
						 .address = tg->addr->text,
						 .port = tg->port,
						 .cert_type = tls_key_type_name(res->key_type)});
		return;
	}
	if (k > 0 && batch->targets[k - 1].addr == tg->addr &&
	    strcmp(why, no_chain_why(&batch->results[k - 1], prev, sizeof(prev))) == 0)
		return; /* said on the line of the one before */
	f = finding_add(out, line, STATE_CRITICAL, FC_CHAIN_MISSING, "%s: no chain: %s", res->label,
			why);
	finding_subject(f, &(struct finding_subject){
			       .host = h->name,
			       .address = tg->addr->text,
			       .port = tg->port,
			       .cert_type = res->key_type != TLS_KEY_ANY && !folds_into(batch, k)
						? tls_key_type_name(res->key_type)
						: NULL});
	if (res->smtp.result != SMTP_OK)
		finding_param_str(f, "smtp_result", smtp_result_name(res->smtp.result));
	else
		finding_param_str(f, "tls_outcome", tls_outcome_name(res->tls.outcome));
}

/*
 * The chains h presented (--cert, or its probes, one per certificate type)
 * into peers, with their labels; a probe that got no chain is said under
 * line (a type the server lacks is no failure). Returns the count.
 */
static size_t
host_peers(const struct mx_host *h, const struct probe_batch *batch,
	   const struct verdict_rollover_params *p, struct peer *peers, char (*labels)[LABEL_MAX],
	   struct output *out, struct finding *line)
{
	size_t k, npeers = 0;
	char key[64];

	if (p->files->cert_chain != NULL) {
		peers[0] = (struct peer){.label = p->files->cert_file,
					 .chain = p->files->cert_chain,
					 .key_type = TLS_KEY_ANY,
					 .file = p->files->cert_file};
		return 1;
	}
	for (k = 0; batch != NULL && k < batch->n; k++) {
		const struct probe_result *res = &batch->results[k];

		if (batch->targets[k].host != h || probe_not_offered(res))
			continue;
		if (!res->started || res->tls.ncerts == 0) {
			report_no_chain(h, batch, k, out, line);
			continue;
		}
		snprintf(labels[npeers], LABEL_MAX, "%s %s certificate", res->label,
			 cert_key_name(&res->tls.certs[0], key, sizeof(key)));
		peers[npeers] = (struct peer){.label = labels[npeers],
					      .chain = res->tls.chain,
					      .key_type = res->key_type,
					      .address = batch->targets[k].addr->text,
					      .port = batch->targets[k].port};
		npeers++;
	}
	return npeers;
}

/* The forecast of a host whose chains are known (not the gate). */
static void
forecast_host(struct forecast *fc)
{
	const struct mx_host *h = fc->h;
	bool *matches_any = calloc(h->tlsa.n + 1, sizeof(bool));
	bool *is_next = calloc(h->tlsa.n + 1, sizeof(bool));
	enum tls_key_type type;
	size_t i, k;

	if (matches_any == NULL || is_next == NULL) {
		output_unknown(fc->out, FC_PLUGIN_LOCAL_FAILURE, "out of memory");
		goto out;
	}
	for (k = 0; k < fc->npeers; k++) {
		report_peer(fc, &fc->peers[k]);
		for (i = 0; i < h->tlsa.n; i++) {
			int depth = 0;

			if (h->tlsa.records[i].verdict == TLSA_USABLE &&
			    rollover_match_chain(&h->tlsa.records[i].rd, fc->peers[k].chain,
						 fc->buf, &depth))
				matches_any[i] = true;
		}
	}
	for (type = TLS_KEY_ANY; type <= TLS_KEY_ED25519; type++)
		report_partial_type(fc, type);
	verdict_staged_next(h, fc->p, fc->out, fc->parent, fc->buf, is_next);
	if (fc->p->files->nnext_keys == 0 && fc->p->files->nnext_certs == 0)
		report_forecast(fc, matches_any);
	if (fc->p->files->issuers != NULL)
		verdict_staged_issuers(h, fc->p, fc->out, fc->parent, fc->buf);
	report_stale(fc, matches_any, is_next);
out:
	free(matches_any);
	free(is_next);
}

struct finding *
verdict_rollover_host(const struct mx_host *h, const struct probe_batch *batch,
		      const struct verdict_rollover_params *p, struct output *out,
		      struct verdict_rollover_totals *t)
{
	size_t n = batch != NULL ? batch->n : 0;
	struct forecast fc = {.h = h, .p = p, .out = out, .t = t, .window = STATE_OK};
	struct peer *peers = calloc(n + 1, sizeof(*peers));
	char(*labels)[LABEL_MAX] = calloc(n + 1, sizeof(*labels));
	struct finding *f;

	fc.buf = malloc(ROLLOVER_DATA_MAX);
	fc.parent = finding_add(out, NULL, STATE_OK, FC_RENEWAL_HOST, "%s", h->name);
	finding_subject(fc.parent, &(struct finding_subject){.host = h->name});
	f = finding_add(out, fc.parent, STATE_OK, FC_RENEWAL_USABLE_RECORDS,
			"%zu usable TLSA record%s at %s", h->tlsa.usable,
			h->tlsa.usable == 1 ? "" : "s", h->tlsa_qname);
	finding_subject(f, &(struct finding_subject){.host = h->name, .name = h->tlsa_qname});
	finding_param_int(f, "usable", (long long)h->tlsa.usable);
	finding_set_level(f, 1);
	t->hosts++;
	if (fc.buf == NULL || peers == NULL || labels == NULL) {
		output_unknown(out, FC_PLUGIN_LOCAL_FAILURE, "out of memory");
		goto out;
	}
	if (p->gate) {
		verdict_staged_gate(h, p, out, fc.parent, fc.buf);
		goto out;
	}
	fc.peers = peers;
	fc.npeers = host_peers(h, batch, p, peers, labels, out, fc.parent);
	forecast_host(&fc);
	report_sigs(p, h->sig_expire, "its address and TLSA RRsets", "A,AAAA,TLSA",
		    &(struct finding_subject){.host = h->name}, out, fc.parent, t);
out:
	free(fc.buf);
	free(peers);
	free(labels);
	return fc.parent;
}

void
verdict_rollover_hosts(const struct mx_result *r, const struct probe_batch *batch,
		       const struct verdict_rollover_params *p, struct output *out,
		       struct verdict_rollover_totals *t)
{
	struct finding *line;
	size_t i;

	for (i = 0; i < r->nhosts; i++) {
		if (!mx_host_dane_usable(&r->hosts[i]))
			continue;
		line = verdict_rollover_host(&r->hosts[i], batch, p, out, t);
		if (r->status != MX_HOSTS)
			finding_subject(line, &(struct finding_subject){.domain = r->domain});
	}
}

void
verdict_rollover_summary(const struct mx_result *r, const struct verdict_rollover_params *p,
			 const struct verdict_rollover_totals *t, struct output *out)
{
	const char *target = mx_target(r);
	const char *top, *leaf;
	char left[32] = "no certificate";

	if (output_state(out) == STATE_OK && p->gate) {
		if (t->hosts == 0)
			output_summary(out,
				       "%s: no host has usable TLSA records: deploying cannot "
				       "break DANE",
				       target);
		else
			output_summary(out,
				       "%s: deploying the staged %s keeps DANE working: the "
				       "published records of %s match it",
				       target, p->files->nnext_certs > 0 ? "certificate" : "key",
				       t->hosts == 1 ? "the host" : "every host");
		return;
	}
	if (output_state(out) == STATE_OK) {
		if (t->cert_set)
			expiry_format_left(t->cert_days, left, sizeof(left));
		output_summary(out,
			       "%s: no DANE breakage ahead (certificates: %s%s, DNSSEC signatures: "
			       "%.0f days)",
			       target, left, t->cert_set ? " left" : "",
			       isnan(t->sig_days) ? 0 : round(t->sig_days));
		return;
	}
	output_worst_path(out, &top, &leaf);
	if (top == leaf)
		output_summary(out, "%s: %s", target, leaf);
	else
		output_summary(out, "%s: %s: %s", target, top, leaf);
}

/* The threshold range, in days to two decimals, of limit for a certificate of life days. */
static struct range
limit_range(const struct expiry_limit *limit, double life, double days, double percent)
{
	return expiry_days_range(round(expiry_limit_days(limit, life, days, percent) * 100) / 100);
}

void
verdict_rollover_perfdata(const struct verdict_rollover_params *p,
			  const struct verdict_rollover_totals *t, double elapsed,
			  struct output *out)
{
	double life = t->cert_set ? t->cert.lifetime_days : 365;
	struct range w = limit_range(&p->expiry.warn, life, EXPIRY_WARN_DAYS, EXPIRY_WARN_PERCENT);
	struct range c = limit_range(&p->expiry.crit, life, EXPIRY_CRIT_DAYS, EXPIRY_CRIT_PERCENT);

	output_perfdata(
	    out, &(struct perfdata){.label = "cert_days",
				    .value = t->cert_set ? round(t->cert_days * 100) / 100 : 0,
				    .unknown = !t->cert_set,
				    .warn = &w,
				    .crit = &c});
	output_perfdata(
	    out, &(struct perfdata){.label = "sig_days",
				    .value = isnan(t->sig_days) ? 0 : round(t->sig_days * 10) / 10,
				    .unknown = isnan(t->sig_days),
				    .warn = &p->sig_warn,
				    .crit = &p->sig_crit});
	output_perfdata(out, &(struct perfdata){
				 .label = "time", .value = elapsed, .uom = "s", .has_min = true});
}

void
verdict_rollover_file(struct output *out, const char *option, const char *file,
		      enum cert_load_status st, const char *err)
{
	struct finding *f = output_unknown(out, FC_FILE_UNUSABLE, "%s%s%s", option,
					   st == CERT_LOAD_PEM ? ": " : " ", err);

	finding_subject(f, &(struct finding_subject){.file = file});
	finding_param_str(f, "option", option);
}
