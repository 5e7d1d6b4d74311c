/*
 * rollover.c -- renewal forecast for one MX host.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rollover.h"
#include "cert.h"
#include "text.h"
#include "tlsa_assoc.h"

/* Association data of full certificates can be large. */
#define ROLLOVER_DATA_MAX 65536

/* Most distinct keys tracked for the partial-rollover check. */
#define ROLLOVER_MAX_KEYS 16

const char *
rollover_date(time_t t, char *dst, size_t dstsize)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(dst, dstsize, "%Y-%m-%d", &tm) == 0)
		snprintf(dst, dstsize, "?");
	return dst;
}

/* Does record rd match cert (selector and matching type of the record)? */
static bool
cert_matches(const struct tlsa_rdata *rd, X509 *cert, uint8_t *buf)
{
	size_t len = 0;

	if (tlsa_assoc_cert(cert, rd->selector, rd->mtype, buf, ROLLOVER_DATA_MAX, &len) != 0)
		return false;
	return len == rd->len && memcmp(buf, rd->data, len) == 0;
}

/* Does record rd match a public key (selector 1 only)? */
static bool
key_matches(const struct tlsa_rdata *rd, EVP_PKEY *key, uint8_t *buf)
{
	size_t len = 0;

	if (rd->selector != TLSA_SELECTOR_SPKI ||
	    tlsa_assoc_pubkey(key, rd->mtype, buf, ROLLOVER_DATA_MAX, &len) != 0)
		return false;
	return len == rd->len && memcmp(buf, rd->data, len) == 0;
}

/*
 * Does rd match what chain presents: DANE-EE the leaf, DANE-TA a certificate
 * above the leaf? *depth is set to the depth of the match.
 */
static bool
chain_matches(const struct tlsa_rdata *rd, STACK_OF(X509) * chain, uint8_t *buf, int *depth)
{
	int i, n = chain ? sk_X509_num(chain) : 0;

	if (n == 0)
		return false;
	if (rd->usage == TLSA_USAGE_DANE_EE) {
		*depth = 0;
		return cert_matches(rd, sk_X509_value(chain, 0), buf);
	}
	for (i = 1; i < n; i++) {
		if (cert_matches(rd, sk_X509_value(chain, i), buf)) {
			*depth = i;
			return true;
		}
	}
	return false;
}

/* The "3 1 1" record text for a key or certificate (full hex). */
static void
record_311(X509 *cert, EVP_PKEY *key, char *dst, size_t dstsize)
{
	uint8_t d[TLSA_DIGEST_MAX];
	size_t len = 0;
	char hex[2 * TLSA_DIGEST_MAX + 1];
	int rc = cert ? tlsa_assoc_cert(cert, 1, 1, d, sizeof(d), &len)
		      : tlsa_assoc_pubkey(key, 1, d, sizeof(d), &len);

	if (rc != 0) {
		snprintf(dst, dstsize, "3 1 1 (digest failed)");
		return;
	}
	text_hex(d, len, hex, sizeof(hex));
	snprintf(dst, dstsize, "3 1 1 %s", hex);
}

struct range
rollover_days_range(double days)
{
	struct range r;

	memset(&r, 0, sizeof(r));
	r.start = days;
	r.end_inf = true;
	return r;
}

state_t
rollover_days_state(const struct range *warn, const struct range *crit, double days)
{
	if (range_alerts(crit, days))
		return STATE_CRITICAL;
	if (range_alerts(warn, days))
		return STATE_WARNING;
	return STATE_OK;
}

/* Line for the leaf of one peer: expiry and which record matches it. */
static void
report_peer(const struct mx_host *h, const struct rollover_peer *peer,
	    const struct rollover_params *p, struct output *out, struct output_check *parent,
	    uint8_t *buf, double *min_days)
{
	X509 *leaf = sk_X509_value(peer->chain, 0);
	struct cert_info info;
	char date[32], rec[200] = "no usable record matches it: DANE fails now";
	double days = 0;
	bool matched = false;
	size_t i;

	cert_describe(leaf, &info);
	for (i = 0; i < h->tlsa.n; i++) {
		const struct tlsa_record *r = &h->tlsa.records[i];
		int depth = 0;

		if (r->verdict == TLSA_USABLE && chain_matches(&r->rd, peer->chain, buf, &depth)) {
			char text[160];

			tlsa_format(&r->rd, text, sizeof(text), 16);
			snprintf(rec, sizeof(rec), "matched by %s at depth %d", text, depth);
			matched = true;
			break;
		}
	}
	if (cert_days_left(leaf, p->now, &days) != 0) {
		output_add(out, parent, STATE_UNKNOWN, "%s: the certificate's dates cannot be read",
			   peer->label);
		return;
	}
	if (days < *min_days || isnan(*min_days))
		*min_days = days;
	output_add(out, parent,
		   state_worst(rollover_days_state(&p->warn, &p->crit, days),
			       matched ? STATE_OK : STATE_CRITICAL),
		   "%s: certificate %s %s %s (%.0f days), %s", peer->label,
		   info.cn[0] ? info.cn : info.subject, days < 0 ? "expired on" : "expires",
		   rollover_date(info.not_after, date, sizeof(date)), round(days), rec);
}

/* The SHA-256 of the SPKI of a peer's leaf into d; false when there is none. */
static bool
leaf_key(const struct rollover_peer *peer, uint8_t d[TLSA_DIGEST_MAX])
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
report_partial_type(const struct rollover_peer *peers, size_t npeers, enum tls_key_type type,
		    struct output *out, struct output_check *parent)
{
	uint8_t keys[ROLLOVER_MAX_KEYS][TLSA_DIGEST_MAX], d[TLSA_DIGEST_MAX];
	size_t nkeys = 0, i, k, o = 0;
	char list[1024], hex[16];

	for (i = 0; i < npeers; i++) {
		if (peers[i].key_type != type || !leaf_key(&peers[i], d))
			continue;
		for (k = 0; k < nkeys && memcmp(keys[k], d, 32) != 0; k++)
			;
		if (k == nkeys && nkeys < ROLLOVER_MAX_KEYS)
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
report_partial(const struct rollover_peer *peers, size_t npeers, struct output *out,
	       struct output_check *parent)
{
	enum tls_key_type t;

	for (t = TLS_KEY_ANY; t <= TLS_KEY_ED25519; t++)
		report_partial_type(peers, npeers, t, out, parent);
}

/* Most records that match one staged key or certificate. */
#define ROLLOVER_MAX_MATCHES 8

/*
 * One staged key (key) or certificate (chain): which usable records of h match
 * it (marked in record_is_next), and, with the authoritative servers asked,
 * whether every server serves one of them. Its line under parent.
 */
static void
report_next_one(const struct mx_host *h, const struct rollover_params *p, const char *what,
		const char *name, EVP_PKEY *key, STACK_OF(X509) * chain, struct output *out,
		struct output_check *parent, uint8_t *buf, bool *record_is_next)
{
	char text[200], publish[200], who[512],
	    full[ROLLOVER_MAX_MATCHES][2 * TLSA_DIGEST_MAX + 16];
	const char *texts[ROLLOVER_MAX_MATCHES];
	size_t j, nfound = 0;

	for (j = 0; j < h->tlsa.n; j++) {
		const struct tlsa_record *r = &h->tlsa.records[j];
		int depth = 0;
		bool m = r->verdict == TLSA_USABLE &&
			 (key != NULL
			      ? r->rd.usage == TLSA_USAGE_DANE_EE && key_matches(&r->rd, key, buf)
			      : chain_matches(&r->rd, chain, buf, &depth));

		if (!m)
			continue;
		record_is_next[j] = true;
		if (nfound == 0)
			tlsa_format(&r->rd, text, sizeof(text), 16);
		if (nfound < ROLLOVER_MAX_MATCHES) {
			tlsa_format(&r->rd, full[nfound], sizeof(full[nfound]), 0);
			texts[nfound] = full[nfound];
			nfound++;
		}
	}
	if (nfound == 0) {
		record_311(chain != NULL ? sk_X509_value(chain, 0) : NULL, key, publish,
			   sizeof(publish));
		output_add(out, parent, STATE_CRITICAL,
			   "%s %s %s: deploying it breaks DANE; publish %s IN TLSA %s", what, name,
			   key != NULL ? "is not published" : "matches no published record",
			   h->tlsa_qname, publish);
		return;
	}
	if (p->auth != NULL && auth_lacking(p->auth, h->tlsa_qname, LDNS_RR_TYPE_TLSA, texts,
					    nfound, who, sizeof(who)) > 0) {
		output_add(out, parent, STATE_CRITICAL,
			   "%s %s is published at %s (%s), but not on every authoritative server: "
			   "%s serve%s no record for it; deploying it breaks DANE for the senders "
			   "whose resolvers ask %s",
			   what, name, h->tlsa_qname, text, who, strchr(who, ',') ? "" : "s",
			   strchr(who, ',') ? "them" : "it");
		return;
	}
	output_add(out, parent, STATE_OK, "%s %s already %s at %s (%s)%s", what, name,
		   key != NULL ? "published" : "matched by a published record", h->tlsa_qname, text,
		   p->auth != NULL ? ", on every authoritative server" : "");
}

/* Staged next keys and certificates: published yet (on every authoritative server)? */
static void
report_next(const struct mx_host *h, const struct rollover_params *p, struct output *out,
	    struct output_check *parent, uint8_t *buf, bool *record_is_next)
{
	size_t i;

	for (i = 0; i < p->nnext_keys; i++)
		report_next_one(h, p, "next key", p->next_key_names[i], p->next_keys[i], NULL, out,
				parent, buf, record_is_next);
	for (i = 0; i < p->nnext_chains; i++)
		report_next_one(h, p, "next certificate", p->next_chain_names[i], NULL,
				p->next_chains[i], out, parent, buf, record_is_next);
}

/* What the forecast for one host works with. */
struct forecast {
	const struct mx_host *h;
	const struct rollover_peer *peers;
	size_t npeers;
	const struct rollover_params *p;
	struct output *out;
	struct output_check *parent;
	uint8_t *buf;
	double *min_days;
	state_t window; /* a renewal is due: WARNING inside the -w window, else OK */
};

/* The days left of the presented leaf that expires first; false when none. */
static bool
earliest_leaf_days(const struct rollover_peer *peers, size_t npeers, time_t now, double *days)
{
	bool found = false;
	size_t k;

	*days = INFINITY;
	for (k = 0; k < npeers; k++) {
		double d;

		if (peers[k].chain == NULL || sk_X509_num(peers[k].chain) == 0)
			continue;
		if (cert_days_left(sk_X509_value(peers[k].chain, 0), now, &d) == 0 && d < *days) {
			*days = d;
			found = true;
		}
	}
	return found;
}

/*
 * A DANE-TA record that matches a presented chain: which CA it anchors on,
 * its expiry, and the issuer-change risk of an intermediate. spare is the
 * number of usable records before it that match nothing. The CA's expiry
 * date is left in date, where the "pins the certificate" lines of later
 * records read it (as they always have).
 */
static void
report_anchor(const struct forecast *f, const struct tlsa_record *r, size_t spare, char *date,
	      size_t datesize)
{
	size_t k;
	char text[160];

	for (k = 0; k < f->npeers; k++) {
		int depth = 0;
		struct cert_info ca;
		double ca_days = 0;
		X509 *cert;

		if (!chain_matches(&r->rd, f->peers[k].chain, f->buf, &depth))
			continue;
		cert = sk_X509_value(f->peers[k].chain, depth);
		cert_describe(cert, &ca);
		if (cert_days_left(cert, f->p->now, &ca_days) != 0)
			return;
		if (ca_days < *f->min_days || isnan(*f->min_days))
			*f->min_days = ca_days;
		tlsa_format(&r->rd, text, sizeof(text), 16);
		rollover_date(ca.not_after, date, datesize);
		output_add(
		    f->out, f->parent, rollover_days_state(&f->p->warn, &f->p->crit, ca_days),
		    "%s anchors on %s CA %s, which expires %s (%.0f days)", text,
		    ca.self_issued ? "root" : "intermediate", ca.subject, date, round(ca_days));
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
 * records that match the presented chains.
 */
static void
report_forecast(const struct mx_host *h, const struct rollover_peer *peers, size_t npeers,
		const struct rollover_params *p, struct output *out, struct output_check *parent,
		uint8_t *buf, const bool *matches_any, double *min_days)
{
	struct forecast fc = {h, peers, npeers, p, out, parent, buf, min_days, STATE_OK};
	size_t i, spare = 0, key_pins = 0, cert_pins = 0;
	double leaf_days;
	char date[32], text[160];

	if (!earliest_leaf_days(peers, npeers, p->now, &leaf_days))
		return;
	/* inside the warning window a renewal is due: a forecast becomes a WARNING */
	if (range_alerts(&p->warn, leaf_days))
		fc.window = STATE_WARNING;
	rollover_date(p->now + (time_t)(leaf_days * 86400), date, sizeof(date));
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
				   "certificate expires %s); publish a record for the new "
				   "certificate or key before renewing",
				   text, date);
		} else if (r->rd.usage == TLSA_USAGE_DANE_EE) {
			key_pins++;
		} else {
			report_anchor(&fc, r, spare, date, sizeof(date));
		}
	}
	if (key_pins > 0 && cert_pins == 0 && spare == 0 && key_pins == h->tlsa.usable) {
		rollover_date(p->now + (time_t)(leaf_days * 86400), date, sizeof(date));
		output_add(out, parent, fc.window,
			   "no next-key record published: only records for the current key%s; a "
			   "renewal with a new key (the certificate expires %s) breaks DANE",
			   key_pins > 1 ? "s" : "", date);
	}
}

state_t
rollover_host(const struct mx_host *h, const struct rollover_peer *peers, size_t npeers,
	      const struct rollover_params *p, struct output *out, struct output_check *parent,
	      double *min_days)
{
	uint8_t *buf = malloc(ROLLOVER_DATA_MAX);
	bool *matches_any = calloc(h->tlsa.n + 1, sizeof(bool));
	bool *is_next = calloc(h->tlsa.n + 1, sizeof(bool));
	state_t worst = STATE_OK;
	size_t i, k;
	char text[160];

	if (buf == NULL || matches_any == NULL || is_next == NULL) {
		output_unknown(out, "out of memory");
		worst = STATE_UNKNOWN;
		goto out;
	}
	for (k = 0; k < npeers; k++) {
		if (peers[k].chain == NULL || sk_X509_num(peers[k].chain) == 0) {
			output_add(out, parent, STATE_CRITICAL, "%s: no certificate was presented",
				   peers[k].label);
			continue;
		}
		report_peer(h, &peers[k], p, out, parent, buf, min_days);
		for (i = 0; i < h->tlsa.n; i++) {
			int depth = 0;

			if (h->tlsa.records[i].verdict == TLSA_USABLE &&
			    chain_matches(&h->tlsa.records[i].rd, peers[k].chain, buf, &depth))
				matches_any[i] = true;
		}
	}
	report_partial(peers, npeers, out, parent);
	report_next(h, p, out, parent, buf, is_next);
	if (p->nnext_keys == 0 && p->nnext_chains == 0)
		report_forecast(h, peers, npeers, p, out, parent, buf, matches_any, min_days);

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
