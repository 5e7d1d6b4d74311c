/*
 * verdict_rollover.c -- renewal forecast for one MX host.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verdict_rollover.h"
#include "cert.h"
#include "text.h"
#include "rollover_match.h"
#include "verdict_staged.h"
#include "tlsa_assoc.h"

/* Most distinct keys tracked for the partial-rollover check. */
#define MAX_KEYS 16

/* Judge cert by the policy; keep it as the soonest when it expires first. Returns -1 if
 * its dates cannot be read. */
static int
judge_cert(X509 *cert, const struct verdict_rollover_params *p,
	   struct verdict_rollover_soonest *soonest, struct cert_info *info,
	   struct expiry_verdict *v)
{
	cert_describe(cert, info);
	if (!info->dates_ok)
		return -1;
	expiry_judge(&p->expiry, info->not_before, info->not_after, p->now, v);
	if (!soonest->set || v->days_left < soonest->days) {
		soonest->set = true;
		soonest->days = v->days_left;
		soonest->v = *v;
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

/* Line for the leaf of one peer: expiry and which record matches it. */
static void
report_peer(const struct mx_host *h, const struct verdict_rollover_peer *peer,
	    const struct verdict_rollover_params *p, struct output *out,
	    struct output_check *parent, uint8_t *buf, struct verdict_rollover_soonest *soonest)
{
	X509 *leaf = sk_X509_value(peer->chain, 0);
	struct cert_info info;
	struct expiry_verdict v;
	char when[96], rec[200] = "no usable record matches it: DANE fails now";
	bool matched = false;
	size_t i;

	for (i = 0; i < h->tlsa.n; i++) {
		const struct tlsa_record *r = &h->tlsa.records[i];
		int depth = 0;

		if (r->verdict == TLSA_USABLE &&
		    rollover_match_chain(&r->rd, peer->chain, buf, &depth)) {
			char text[160];

			tlsa_format(&r->rd, text, sizeof(text), 16);
			snprintf(rec, sizeof(rec), "matched by %s at depth %d", text, depth);
			matched = true;
			break;
		}
	}
	if (judge_cert(leaf, p, soonest, &info, &v) != 0) {
		output_add(out, parent, STATE_UNKNOWN, "%s: the certificate's dates cannot be read",
			   peer->label);
		return;
	}
	output_add(out, parent, state_worst(v.state, matched ? STATE_OK : STATE_CRITICAL),
		   "%s: certificate %s %s %s, %s", peer->label, info.cn[0] ? info.cn : info.subject,
		   v.days_left < 0 ? "expired on" : "expires",
		   expiry_text(&v, info.not_after, when, sizeof(when)), rec);
}

/* The SHA-256 of the SPKI of a peer's leaf into d; false when there is none. */
static bool
leaf_key(const struct verdict_rollover_peer *peer, uint8_t d[TLSA_DIGEST_MAX])
{
	size_t len = 0;

	return peer->chain != NULL && sk_X509_num(peer->chain) > 0 &&
	       tlsa_assoc_cert(sk_X509_value(peer->chain, 0), 1, 1, d, TLSA_DIGEST_MAX, &len) == 0;
}

/*
 * Addresses of one host presenting different keys of one certificate type:
 * a rollover half done. An ECDSA and an RSA key side by side are not.
 */
static void
report_partial_type(const struct verdict_rollover_peer *peers, size_t npeers,
		    enum tls_key_type type, struct output *out, struct output_check *parent)
{
	uint8_t keys[MAX_KEYS][TLSA_DIGEST_MAX], d[TLSA_DIGEST_MAX];
	size_t nkeys = 0, i, k, o = 0;
	char list[1024], hex[16];

	for (i = 0; i < npeers; i++) {
		if (peers[i].key_type != type || !leaf_key(&peers[i], d))
			continue;
		for (k = 0; k < nkeys && memcmp(keys[k], d, 32) != 0; k++)
			;
		if (k == nkeys && nkeys < MAX_KEYS)
			memcpy(keys[nkeys++], d, 32);
		if (o + 120 < sizeof(list)) {
			text_hex(d, 4, hex, sizeof(hex));
			o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s key %s...",
					      o ? ", " : "", peers[i].label, hex);
		}
	}
	if (nkeys < 2)
		return;
	output_add(out, parent, STATE_WARNING,
		   "partial rollover: the addresses present %zu different %s%skeys (%s)", nkeys,
		   type == TLS_KEY_ANY ? "" : tls_key_type_name(type),
		   type == TLS_KEY_ANY ? "" : " ", list);
}

/* Partial rollovers, one certificate type at a time. */
static void
report_partial(const struct verdict_rollover_peer *peers, size_t npeers, struct output *out,
	       struct output_check *parent)
{
	enum tls_key_type t;

	for (t = TLS_KEY_ANY; t <= TLS_KEY_ED25519; t++)
		report_partial_type(peers, npeers, t, out, parent);
}

/* What the forecast for one host works with. */
struct forecast {
	const struct mx_host *h;
	const struct verdict_rollover_peer *peers;
	size_t npeers;
	const struct verdict_rollover_params *p;
	struct output *out;
	struct output_check *parent;
	uint8_t *buf;
	struct verdict_rollover_soonest *soonest;
	state_t window;   /* a renewal is due: WARNING inside the -w window, else OK */
	char renewal[96]; /* "renewal expected around 2026-12-08, in 6 days" */
	char expires[64]; /* the leaf's expiry: "2026-12-12" */
};

/* The presented leaf that expires first, judged into v; NULL when there is none. */
static X509 *
earliest_leaf(const struct verdict_rollover_peer *peers, size_t npeers,
	      const struct verdict_rollover_params *p, struct expiry_verdict *v)
{
	X509 *first = NULL;
	struct cert_info info;
	size_t k;

	for (k = 0; k < npeers; k++) {
		struct expiry_verdict kv;
		X509 *leaf;

		if (peers[k].chain == NULL || sk_X509_num(peers[k].chain) == 0)
			continue;
		leaf = sk_X509_value(peers[k].chain, 0);
		cert_describe(leaf, &info);
		if (!info.dates_ok)
			continue;
		expiry_judge(&p->expiry, info.not_before, info.not_after, p->now, &kv);
		if (first == NULL || kv.days_left < v->days_left) {
			first = leaf;
			*v = kv;
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

/*
 * A DANE-TA record that matches a presented chain: which CA it anchors on,
 * its expiry, and the issuer-change risk of an intermediate. spare is the
 * number of usable records before it that match nothing.
 */
static void
report_anchor(const struct forecast *f, const struct tlsa_record *r, size_t spare)
{
	size_t k;
	char text[160], when[96];

	for (k = 0; k < f->npeers; k++) {
		int depth = 0;
		struct cert_info ca;
		struct expiry_verdict v;
		X509 *cert;

		if (!rollover_match_chain(&r->rd, f->peers[k].chain, f->buf, &depth))
			continue;
		cert = sk_X509_value(f->peers[k].chain, depth);
		if (judge_cert(cert, f->p, f->soonest, &ca, &v) != 0)
			return;
		tlsa_format(&r->rd, text, sizeof(text), 16);
		output_add(f->out, f->parent, v.state, "%s anchors on %s CA %s, which expires %s",
			   text, ca.self_issued ? "root" : "intermediate", ca.subject,
			   expiry_text(&v, ca.not_after, when, sizeof(when)));
		if (!ca.self_issued)
			output_add(f->out, f->parent,
				   spare > 0 || f->h->tlsa.usable > 1 ? STATE_OK : f->window,
				   "%s pins the intermediate CA %s: a renewal issued by another "
				   "intermediate (ACME CAs pick among several) breaks DANE unless "
				   "its sibling or successor CAs are published too",
				   text, ca.subject);
		return;
	}
}

/*
 * Without staged files: what will the next renewal break? Looks at the
 * records that match the presented chains; every forecast says when the
 * renewal is expected, and is a WARNING when the leaf is inside the
 * warning threshold (the renewal is due), a detail line before.
 */
static void
report_forecast(const struct mx_host *h, const struct verdict_rollover_peer *peers, size_t npeers,
		const struct verdict_rollover_params *p, struct output *out,
		struct output_check *parent, uint8_t *buf, const bool *matches_any,
		struct verdict_rollover_soonest *soonest)
{
	struct forecast fc = {h, peers, npeers, p, out, parent, buf, soonest, STATE_OK, "", ""};
	struct expiry_verdict v;
	size_t i, spare = 0, key_pins = 0, cert_pins = 0;
	char date[32], text[160];
	X509 *leaf = earliest_leaf(peers, npeers, p, &v);

	if (leaf == NULL)
		return;
	if (v.state != STATE_OK)
		fc.window = STATE_WARNING;
	renewal_text(&v, p->now, fc.renewal, sizeof(fc.renewal));
	expiry_format_date(p->now + (time_t)(v.days_left * 86400), false, date, sizeof(date));
	for (i = 0; i < h->tlsa.n; i++) {
		const struct tlsa_record *r = &h->tlsa.records[i];

		if (r->verdict != TLSA_USABLE)
			continue;
		if (!matches_any[i]) {
			spare++;
		} else if (r->rd.usage == TLSA_USAGE_DANE_EE &&
			   r->rd.selector == TLSA_SELECTOR_CERT) {
			cert_pins++;
			tlsa_format(&r->rd, text, sizeof(text), 16);
			output_add(out, parent, fc.window,
				   "%s pins the certificate itself: any renewal breaks it (the "
				   "certificate expires %s; %s); publish a record for the new "
				   "certificate or key before renewing",
				   text, date, fc.renewal);
		} else if (r->rd.usage == TLSA_USAGE_DANE_EE) {
			key_pins++;
		} else {
			report_anchor(&fc, r, spare);
		}
	}
	if (key_pins > 0 && cert_pins == 0 && spare == 0 && key_pins == h->tlsa.usable) {
		output_add(out, parent, fc.window,
			   "%s: no next-key record published: only records for the current "
			   "key%s; a renewal with a new key (the certificate expires %s) breaks "
			   "DANE",
			   fc.renewal, key_pins > 1 ? "s" : "", date);
	}
}

state_t
verdict_rollover_host(const struct mx_host *h, const struct verdict_rollover_peer *peers,
		      size_t npeers, const struct verdict_rollover_params *p, struct output *out,
		      struct output_check *parent, struct verdict_rollover_soonest *soonest)
{
	uint8_t *buf = malloc(ROLLOVER_DATA_MAX);
	bool *matches_any = calloc(h->tlsa.n + 1, sizeof(bool));
	bool *is_next = calloc(h->tlsa.n + 1, sizeof(bool));
	state_t worst = STATE_OK;
	size_t i, k;
	char text[160];

	if (buf == NULL || matches_any == NULL || is_next == NULL) {
		output_unknown(out, FC_PLUGIN_LOCAL_FAILURE, "out of memory");
		worst = STATE_UNKNOWN;
		goto out;
	}
	for (k = 0; k < npeers; k++) {
		if (peers[k].chain == NULL || sk_X509_num(peers[k].chain) == 0) {
			output_add(out, parent, STATE_CRITICAL, "%s: no certificate was presented",
				   peers[k].label);
			continue;
		}
		report_peer(h, &peers[k], p, out, parent, buf, soonest);
		for (i = 0; i < h->tlsa.n; i++) {
			int depth = 0;

			if (h->tlsa.records[i].verdict == TLSA_USABLE &&
			    rollover_match_chain(&h->tlsa.records[i].rd, peers[k].chain, buf,
						 &depth))
				matches_any[i] = true;
		}
	}
	report_partial(peers, npeers, out, parent);
	verdict_staged_next(h, p, out, parent, buf, is_next);
	if (p->nnext_keys == 0 && p->nnext_chains == 0)
		report_forecast(h, peers, npeers, p, out, parent, buf, matches_any, soonest);
	if (p->issuers != NULL)
		verdict_staged_issuers(h, p, out, parent, buf);

	/* Stale: usable records that match nothing presented and no staged file. */
	for (i = 0; i < h->tlsa.n; i++) {
		const struct tlsa_record *r = &h->tlsa.records[i];

		if (r->verdict != TLSA_USABLE || matches_any[i] || is_next[i] || npeers == 0)
			continue;
		tlsa_format(&r->rd, text, sizeof(text), 16);
		output_add(out, parent, p->stale_warning ? STATE_WARNING : STATE_OK,
			   "%s matches nothing presented: a pre-published next key, or a stale "
			   "record to remove",
			   text);
	}
out:
	if (parent != NULL)
		worst = state_worst(worst, output_check_state(parent));
	free(buf);
	free(matches_any);
	free(is_next);
	return worst;
}
