/*
 * verdict_probe.c -- the verdicts on the probes of a run: per address and
 * certificate type, the slowest address, the status line and the perfdata.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "text.h"
#include "tls.h"
#include "tlsa_assoc.h"
#include "words_conn.h"
#include "verdict_mx.h"
#include "verdict_probe.h"

/* The probes being judged and where the findings go. */
struct judge {
	const struct mx_result *r;
	const struct probe_batch *b;
	struct output *out;
};

/* The subject of probe i's finding; cert_type only for a line of one type. */
static void
probe_subject(struct finding *f, const struct judge *j, size_t i, bool per_type)
{
	const struct probe_target *t = &j->b->targets[i];
	enum tls_key_type type = j->b->results[i].key_type;

	finding_subject(
	    f,
	    &(struct finding_subject){
		.domain = j->r->status != MX_HOSTS && j->r->domain[0] != '\0' ? j->r->domain : NULL,
		.host = t->host->name,
		.address = t->addr->text,
		.port = t->port,
		.cert_type = per_type && type != TLS_KEY_ANY ? tls_key_type_name(type) : NULL});
	/* the handshake with OpenSSL's default list, after every type was not offered */
	if (type == TLS_KEY_ANY)
		finding_param_bool(f, "offered_none_of_types", true);
}

/* The facts of the leaf a probe got. */
static void
leaf_params(struct finding *f, const struct tls_result *t)
{
	const struct cert_info *leaf;
	char key[64];

	finding_param_int(f, "presented_certs", (long long)t->ncerts);
	if (t->ncerts == 0 || t->certs == NULL)
		return;
	leaf = &t->certs[0];
	finding_param_str(f, "leaf_subject", leaf->subject);
	finding_param_str(f, "leaf_issuer", leaf->issuer);
	finding_param_str(f, "leaf_key", cert_key_name(leaf, key, sizeof(key)));
	if (leaf->dates_ok)
		finding_param_int(f, "leaf_not_after", (long long)leaf->not_after);
}

/* The stage of an SMTP session as a parameter value. */
static const char *
stage_key(enum smtp_stage stage)
{
	switch (stage) {
	case SMTP_STAGE_CONNECT:
		return "connect";
	case SMTP_STAGE_GREETING:
		return "greeting";
	case SMTP_STAGE_EHLO:
		return "ehlo";
	case SMTP_STAGE_STARTTLS:
		return "starttls";
	case SMTP_STAGE_DONE:
	default:
		return "done";
	}
}

/* The code of an SMTP failure. */
static enum finding_code
smtp_code(enum smtp_result result)
{
	switch (result) {
	case SMTP_ERR_CONNECT_REFUSED:
		return FC_SMTP_REFUSED;
	case SMTP_ERR_UNREACHABLE:
		return FC_SMTP_UNREACHABLE;
	case SMTP_ERR_TIMEOUT:
		return FC_SMTP_TIMEOUT;
	case SMTP_ERR_GREETING:
		return FC_SMTP_BAD_GREETING;
	case SMTP_ERR_PROTOCOL:
		return FC_SMTP_PROTOCOL_ERROR;
	case SMTP_ERR_CLOSED:
		return FC_SMTP_CLOSED;
	case SMTP_ERR_NO_STARTTLS:
		return FC_SMTP_NO_STARTTLS;
	case SMTP_ERR_STARTTLS_REFUSED:
		return FC_SMTP_STARTTLS_REFUSED;
	case SMTP_OK:
	case SMTP_ERR_LOCAL:
	default:
		return FC_PROBE_LOCAL_FAILURE;
	}
}

/* The code of a TLS failure (outcomes other than TLS_OK, VERIFY, NOT_OFFERED). */
static enum finding_code
tls_code(enum tls_outcome outcome)
{
	switch (outcome) {
	case TLS_ERR_NO_USABLE:
		return FC_TLS_NO_USABLE_TLSA;
	case TLS_ERR_TIMEOUT:
		return FC_TLS_TIMEOUT;
	case TLS_ERR_CLOSED:
		return FC_TLS_CLOSED;
	case TLS_ERR_LOCAL:
		return FC_PROBE_LOCAL_FAILURE;
	case TLS_ERR_HANDSHAKE:
	default:
		return FC_TLS_HANDSHAKE_FAILED;
	}
}

/* A probe that ended before TLS: the session's reason, CRITICAL. */
static void
smtp_failed(const struct judge *j, size_t i, const char *label, bool per_type)
{
	const struct smtp_session *s = &j->b->results[i].smtp;
	enum finding_code code = smtp_code(s->result);
	char why[WORDS_SMTP_SESSION_MAX];
	struct finding *f;

	words_smtp_session(s, why, sizeof(why));
	f = finding_add(j->out, NULL, STATE_CRITICAL, code, "%s: %s%s", label, why,
			code == FC_SMTP_NO_STARTTLS ? ": DANE senders defer mail to it" : "");
	probe_subject(f, j, i, per_type);
	finding_param_str(f, "stage", stage_key(s->stage));
	if (code == FC_PROBE_LOCAL_FAILURE)
		finding_param_str(f, "layer", "smtp");
	if (s->stage == SMTP_STAGE_GREETING && s->greeting_code != 0) {
		finding_param_int(f, "reply_code", s->greeting_code);
		finding_param_bytes(f, "reply", s->greeting, s->greeting_len);
	} else if (s->stage == SMTP_STAGE_EHLO && s->ehlo_code != 0) {
		finding_param_int(f, "reply_code", s->ehlo_code);
		finding_param_bool(f, "ehlo_rejected", s->ehlo_rejected);
		finding_param_str(f, "ehlo_keywords", s->ehlo_keywords);
	} else if (s->stage == SMTP_STAGE_STARTTLS && s->starttls_code != 0) {
		finding_param_int(f, "reply_code", s->starttls_code);
		finding_param_bytes(f, "reply", s->starttls_line, s->starttls_line_len);
	}
}

/* Verified: the record that matched, where, and the session. */
static void
matched(const struct judge *j, size_t i, const char *label, bool per_type)
{
	const struct probe_result *r = &j->b->results[i];
	const struct mx_host *h = j->b->targets[i].host;
	const struct tls_result *t = &r->tls;
	const struct tlsa_rdata *rd = &t->match;
	char rec[160], full[2 * TLSA_DIGEST_MAX + 16];
	struct finding *f;

	if (t->match_index >= 0 && (size_t)t->match_index < h->tlsa.n)
		rd = &h->tlsa.records[t->match_index].rd;
	tlsa_format(rd, rec, sizeof(rec), 16);
	f = finding_add(
	    j->out, NULL, STATE_OK, FC_TLSA_MATCH, "%s: %s %s, matched %s %s%d%s%s%s%s%s in %.3f s",
	    label, t->version, t->cipher, rec,
	    t->anchor_from_dns ? "(the trust anchor is the record itself, from "
				 "DNS; it signed the certificate at depth "
			       : "at depth ",
	    t->match_depth, t->anchor_from_dns ? ")" : "", t->peername[0] ? ", name " : "",
	    t->peername, h->expanded[0] ? ", TLSA base domain " : "",
	    h->expanded[0] ? h->tlsa_base : "", r->time);
	probe_subject(f, j, i, per_type);
	tlsa_format(rd, full, sizeof(full), 0);
	finding_subject(f, &(struct finding_subject){.tlsa = full});
	finding_param_str(f, "tls_version", t->version);
	finding_param_str(f, "cipher", t->cipher);
	finding_param_int(f, "match_depth", t->match_depth);
	finding_param_bool(f, "anchor_from_dns", t->anchor_from_dns);
	if (t->peername[0] != '\0')
		finding_param_str(f, "peername", t->peername);
	finding_param_str(f, "tlsa_base", h->tlsa_base);
	finding_param_num(f, "time", r->time);
	leaf_params(f, t);
}

/* The server lacks the type asked for: OK, shown from -v on. */
static void
not_offered(const struct judge *j, size_t i, const char *label, bool per_type)
{
	const struct tls_result *t = &j->b->results[i].tls;
	char why[WORDS_TLS_RESULT_MAX];
	struct finding *f;

	f = finding_add(j->out, NULL, STATE_OK, FC_TLS_TYPE_NOT_OFFERED, "%s: not offered (%s)",
			label, words_tls_result(t, why, sizeof(why)));
	finding_set_level(f, 1);
	probe_subject(f, j, i, per_type);
}

/* The names a DANE-TA leaf carries: "CN=x; SANs DNS:a, DNS:b" for the line, "a, b" for
 * the parameter. */
static void
leaf_names(const struct tls_result *t, char *line, size_t linesize, char *sans, size_t sanssize)
{
	size_t i, o = 0, p = 0;

	line[0] = sans[0] = '\0';
	if (t->ncerts == 0)
		return;
	o += (size_t)snprintf(line, linesize, "CN=%s", t->certs[0].cn);
	for (i = 0; i < t->certs[0].nsans && o + 8 < linesize; i++)
		o += (size_t)snprintf(line + o, linesize - o, "%sDNS:%s", i ? ", " : "; SANs ",
				      t->certs[0].sans[i]);
	for (i = 0; i < t->certs[0].nsans && p < sanssize; i++)
		p += (size_t)snprintf(sans + p, sanssize - p, "%s%s", i ? ", " : "",
				      t->certs[0].sans[i]);
}

/* DANE-TA matched, but the leaf names neither the TLSA base domain nor the MX host. */
static void
name_mismatch(const struct judge *j, size_t i, const char *label, const char *who, bool per_type)
{
	const struct tls_result *t = &j->b->results[i].tls;
	const struct mx_host *h = j->b->targets[i].host;
	bool two = strcmp(h->tlsa_base, h->name) != 0;
	char names[600], sans[600], expected[2 * MX_NAME_MAX + 4];
	struct finding *f;

	leaf_names(t, names, sizeof(names), sans, sizeof(sans));
	f = finding_add(
	    j->out, NULL, STATE_CRITICAL, FC_CERT_DANE_TA_NAME_MISMATCH,
	    "%s: DANE-TA name check failed: the certificate names %s, expected %s%s%s%s", label,
	    names, h->tlsa_base, two ? " or " : "", two ? h->name : "", who);
	probe_subject(f, j, i, per_type);
	snprintf(expected, sizeof(expected), "%s%s%s", h->tlsa_base, two ? ", " : "",
		 two ? h->name : "");
	if (t->ncerts > 0) {
		finding_param_str(f, "leaf_cn", t->certs[0].cn);
		finding_param_str(f, "leaf_sans", sans);
	}
	finding_param_str(f, "expected_names", expected);
	leaf_params(f, t);
}

/* A record that matches the presented chain but that digest agility disables. */
struct shadowed {
	size_t index;                           /* the record, in h->tlsa */
	int depth;                              /* the certificate of the chain it matches */
	uint8_t mtype;                          /* the stronger matching type that disables it */
	char publish[2 * TLSA_DIGEST_MAX + 16]; /* "U S M <hex>" of that certificate or key */
};

/* The strongest digest type published for usage and selector (what disables the others). */
static uint8_t
strongest_mtype(const struct tlsa_set *set, uint8_t usage, uint8_t selector)
{
	uint8_t m = 0;
	size_t i;

	for (i = 0; i < set->n; i++) {
		const struct tlsa_rdata *rd = &set->records[i].rd;

		if (set->records[i].verdict == TLSA_USABLE && rd->usage == usage &&
		    rd->selector == selector && rd->mtype != TLSA_MTYPE_FULL && rd->mtype > m)
			m = rd->mtype;
	}
	return m;
}

/*
 * Does a record that digest agility disables (RFC 7671 9) match the chain
 * presented? DANE-EE records are compared with the leaf, DANE-TA records
 * with the certificates above it. Fills *sh and returns true for the first.
 */
static bool
shadowed_match(const struct mx_host *h, const struct tls_result *t, struct shadowed *sh)
{
	uint8_t data[TLSA_DIGEST_MAX], mine[TLSA_DIGEST_MAX];
	size_t i, len, mlen;
	int d, n = t->chain != NULL ? sk_X509_num(t->chain) : 0;

	for (i = 0; i < h->tlsa.n; i++) {
		const struct tlsa_rdata *rd = &h->tlsa.records[i].rd;

		if (h->tlsa.records[i].verdict != TLSA_SHADOWED ||
		    (rd->usage != 2 && rd->usage != 3))
			continue;
		for (d = rd->usage == 3 ? 0 : 1; d < (rd->usage == 3 ? (n > 0) : n); d++) {
			X509 *cert = sk_X509_value(t->chain, d);

			if (tlsa_assoc_cert(cert, rd->selector, rd->mtype, data, sizeof(data),
					    &len) != 0 ||
			    len != rd->len || memcmp(data, rd->data, len) != 0)
				continue;
			sh->index = i;
			sh->depth = d;
			sh->mtype = strongest_mtype(&h->tlsa, rd->usage, rd->selector);
			if (tlsa_assoc_cert(cert, rd->selector, sh->mtype, mine, sizeof(mine),
					    &mlen) != 0)
				return false;
			tlsa_format(
			    &(struct tlsa_rdata){rd->usage, rd->selector, sh->mtype, mine, mlen},
			    sh->publish, sizeof(sh->publish), 0);
			return true;
		}
	}
	return false;
}

/*
 * The chain matches no usable record: what was presented, and the record
 * that would match it; or, when a published record does match but digest
 * agility disables it, that record (its check_tlsa finding below the line)
 * and what to publish instead.
 */
static void
no_match(const struct judge *j, size_t i, const char *label, const char *who, bool per_type)
{
	const struct tls_result *t = &j->b->results[i].tls;
	const struct mx_host *h = j->b->targets[i].host;
	char hex[2 * TLSA_DIGEST_MAX + 1], presented[900], would[2 * TLSA_DIGEST_MAX + 16];
	char rec[160];
	const struct cert_info *leaf = t->ncerts > 0 && t->certs != NULL ? &t->certs[0] : NULL;
	struct shadowed sh;
	struct finding *f;
	bool agility = leaf != NULL && shadowed_match(h, t, &sh);

	if (leaf == NULL) {
		snprintf(presented, sizeof(presented), "no certificate was presented");
	} else if (agility) {
		const struct tlsa_rdata *rd = &h->tlsa.records[sh.index].rd;

		tlsa_format(rd, rec, sizeof(rec), 16);
		snprintf(would, sizeof(would), "%s", sh.publish);
		snprintf(presented, sizeof(presented),
			 "presented %.120s (issuer %.120s, key %.31s); the published %s matches "
			 "its %s%s, but senders ignore every %u %u %u record because %u %u %u "
			 "records exist for the same usage and selector (digest agility, RFC 7671 "
			 "9): publish %s, or drop the %u %u %u records",
			 leaf->cn[0] ? leaf->cn : leaf->subject, leaf->issuer, leaf->key, rec,
			 sh.depth > 0 ? "issuer CA's " : "",
			 rd->selector == 0 ? "certificate" : "key", rd->usage, rd->selector,
			 rd->mtype, rd->usage, rd->selector, sh.mtype, sh.publish, rd->usage,
			 rd->selector, sh.mtype);
	} else {
		text_hex(leaf->spki_sha256, sizeof(leaf->spki_sha256), hex, sizeof(hex));
		snprintf(would, sizeof(would), "3 1 1 %s", hex);
		snprintf(presented, sizeof(presented),
			 "presented %.120s (issuer %.120s, key %.31s); the presented key would "
			 "match: %s",
			 leaf->cn[0] ? leaf->cn : leaf->subject, leaf->issuer, leaf->key, would);
	}
	f = finding_add(j->out, NULL, STATE_CRITICAL, FC_TLSA_NO_MATCH,
			"%s: no TLSA record matches (%s)%s; %s", label, t->verify_text, who,
			presented);
	probe_subject(f, j, i, per_type);
	finding_param_int(f, "verify_error", t->verify_error);
	if (leaf != NULL)
		finding_param_str(f, "would_match", would);
	leaf_params(f, t);
	if (agility) {
		/* the same finding check_tlsa gives that record */
		finding_param_bool(f, "digest_agility", true);
		verdict_mx_record(j->r, h, sh.index, j->out, f);
	}
}

/* The handshake failed (or could not be judged): the TLS layer's reason, CRITICAL. */
static void
tls_failed(const struct judge *j, size_t i, const char *label, bool per_type)
{
	const struct tls_result *t = &j->b->results[i].tls;
	enum finding_code code = tls_code(t->outcome);
	char why[WORDS_TLS_RESULT_MAX];
	struct finding *f;

	f = finding_add(j->out, NULL, STATE_CRITICAL, code, "%s: %s", label,
			words_tls_result(t, why, sizeof(why)));
	probe_subject(f, j, i, per_type);
	if (code == FC_PROBE_LOCAL_FAILURE)
		finding_param_str(f, "layer", "tls");
	if (code == FC_TLS_NO_USABLE_TLSA) {
		finding_param_int(f, "records", (long long)t->nrecords);
		finding_param_int(f, "usable", (long long)t->usable);
	}
	leaf_params(f, t);
}

/*
 * One probe's finding: label is the address, with the certificate named when
 * the address is probed per type ("mx.example.org.[192.0.2.1]:25 RSA 2048
 * certificate"); who names the senders that defer mail when it fails.
 */
static void
report_probe(const struct judge *j, size_t i, const char *label, const char *who, bool per_type)
{
	const struct probe_result *r = &j->b->results[i];

	if (r->smtp.result != SMTP_OK) {
		smtp_failed(j, i, label, per_type);
		return;
	}
	switch (r->tls.outcome) {
	case TLS_OK:
		matched(j, i, label, per_type);
		return;
	case TLS_ERR_NOT_OFFERED:
		not_offered(j, i, label, per_type);
		return;
	case TLS_ERR_VERIFY:
		if (r->tls.verify_error == X509_V_ERR_HOSTNAME_MISMATCH)
			name_mismatch(j, i, label, who, per_type);
		else
			no_match(j, i, label, who, per_type);
		return;
	default:
		tls_failed(j, i, label, per_type);
		return;
	}
}

/* Did every probe of an address end the same way, with the same words, before any
 * certificate? */
static bool
same_failure(const struct probe_result *const *r, size_t n)
{
	char w0[WORDS_SMTP_SESSION_MAX], wk[WORDS_SMTP_SESSION_MAX];
	char t0[WORDS_TLS_RESULT_MAX], tk[WORDS_TLS_RESULT_MAX];
	size_t k;

	if (n < 2 || probe_verified(r[0]) || probe_not_offered(r[0]) ||
	    (r[0]->tls_done && r[0]->tls.ncerts > 0))
		return false;
	words_smtp_session(&r[0]->smtp, w0, sizeof(w0));
	words_tls_result(&r[0]->tls, t0, sizeof(t0));
	for (k = 1; k < n; k++) {
		if (r[k]->smtp.result != r[0]->smtp.result ||
		    strcmp(words_smtp_session(&r[k]->smtp, wk, sizeof(wk)), w0) != 0 ||
		    r[k]->tls_done != r[0]->tls_done ||
		    (r[k]->tls_done &&
		     (r[k]->tls.outcome != r[0]->tls.outcome ||
		      strcmp(words_tls_result(&r[k]->tls, tk, sizeof(tk)), t0) != 0)))
			return false;
	}
	return true;
}

/* The types of the address at i whose probes did not start (the deadline came first). */
static void
not_started(const struct judge *j, size_t i, size_t span, size_t first)
{
	const struct probe_result *r = &j->b->results[i], *f0 = &j->b->results[first];
	char types[64] = "", why[WORDS_SMTP_SESSION_MAX];
	size_t k, o = 0;
	struct finding *f;

	for (k = 0; k < span && o < sizeof(types); k++)
		if (!r[k].started)
			o += (size_t)snprintf(types + o, sizeof(types) - o, "%s%s", o ? ", " : "",
					      tls_key_type_name(r[k].key_type));
	f = finding_add(j->out, NULL, STATE_WARNING, FC_PROBE_NOT_STARTED,
			"%s: %s certificate%s %s", f0->label, types, strchr(types, ',') ? "s" : "",
			words_smtp_session(&f0->smtp, why, sizeof(why)));
	probe_subject(f, j, first, false);
	finding_param_str(f, "cert_types", types);
	finding_param_bool(f, "deadline_passed", f0->smtp.result == SMTP_ERR_TIMEOUT);
}

/*
 * The address at i, from its span probes (one per certificate type): one
 * line per certificate it presented, types it lacks from -v on, a failure
 * that hits every type before any certificate (refused, no STARTTLS, ...)
 * once, and the types whose probes the deadline left unstarted.
 */
static void
report_address(const struct judge *j, size_t i, size_t span)
{
	const struct probe_result *r = &j->b->results[i], *ran[TLS_KEY_TYPES];
	size_t idx[TLS_KEY_TYPES], skipped = span, k, n = 0;
	char label[MX_NAME_MAX + 200], key[64], who[160];

	for (k = 0; k < span; k++) {
		if (r[k].started && n < TLS_KEY_TYPES) {
			idx[n] = i + k;
			ran[n++] = &r[k];
		} else if (skipped == span) {
			skipped = k;
		}
	}
	if (skipped != span)
		not_started(j, i, span, i + skipped);
	if (n == 0)
		return;
	if ((n == 1 && ran[0]->key_type == TLS_KEY_ANY) || same_failure(ran, n)) {
		report_probe(j, idx[0], ran[0]->label, "", false);
		return;
	}
	for (k = 0; k < n; k++) {
		const struct tls_result *t = &ran[k]->tls;

		/* a failure before TLS is the address's, whatever the type */
		if (ran[k]->smtp.result != SMTP_OK)
			snprintf(label, sizeof(label), "%s", ran[k]->label);
		else
			snprintf(label, sizeof(label), "%s %s certificate", ran[k]->label,
				 t->ncerts > 0 && t->certs != NULL
				     ? cert_key_name(&t->certs[0], key, sizeof(key))
				     : tls_key_type_name(ran[k]->key_type));
		if (ran[k]->key_type == TLS_KEY_ANY)
			snprintf(who, sizeof(who),
				 " (offered no ECDSA, RSA or Ed25519 certificate)");
		else
			snprintf(who, sizeof(who), "; senders that negotiate %s defer mail",
				 tls_key_type_name(ran[k]->key_type));
		report_probe(j, idx[k], label, who, true);
	}
}

/* The slowest verified probe of the run so far. */
struct slowest {
	bool found;
	size_t index;
	double time;
};

/* One address's counters and its time perfdata (its slowest verified probe). */
static void
count_address(const struct judge *j, size_t i, size_t span, const struct range *warn,
	      const struct range *crit, time_t now, struct verdict_probe_counts *c,
	      struct slowest *slow)
{
	const struct probe_result *res = &j->b->results[i];
	char label[MX_NAME_MAX + 100];
	double slowest = -1;
	bool failed = false;
	size_t k;

	for (k = 0; k < span; k++) {
		const struct tls_result *t = &res[k].tls;

		if (probe_verified(&res[k])) {
			c->verified++;
			if (res[k].time > slowest)
				slowest = res[k].time;
			if (!slow->found || res[k].time > slow->time)
				*slow = (struct slowest){true, i + k, res[k].time};
		} else if (probe_not_offered(&res[k])) {
			c->not_offered++;
		} else if (res[k].started) {
			c->failed++;
			failed = true;
		}
		if (t->ncerts > 0 && t->certs[0].dates_ok) {
			double d = difftime(t->certs[0].not_after, now) / 86400.0;

			if (!c->has_days || d < c->min_days)
				c->min_days = d;
			c->has_days = true;
		}
	}
	c->addresses++;
	c->failed_addresses += failed;
	snprintf(label, sizeof(label), "%s[%s]_time", j->b->targets[i].host->name,
		 j->b->targets[i].addr->text);
	output_perfdata(j->out, &(struct perfdata){.label = label,
						   .value = slowest < 0 ? 0 : slowest,
						   .unknown = failed || slowest < 0,
						   .uom = "s",
						   .warn = warn,
						   .crit = crit,
						   .has_min = true});
}

/* The slowest verified address against crit and warn. */
static void
slow_address(const struct judge *j, const struct slowest *slow, const struct range *warn,
	     const struct range *crit)
{
	state_t st;
	struct finding *f;

	if (!slow->found)
		return;
	st = range_state(warn, crit, slow->time);
	if (st == STATE_OK)
		return;
	f = finding_add(j->out, NULL, st, FC_PROBE_SLOW,
			"slowest address %s took %.3f s from connect to verified chain",
			j->b->results[slow->index].label, slow->time);
	probe_subject(f, j, slow->index, false);
	finding_param_num(f, "time", slow->time);
	finding_param_range(f, "warning", warn);
	finding_param_range(f, "critical", crit);
}

void
verdict_probe_batch(const struct mx_result *r, const struct probe_batch *b,
		    const struct range *warn, const struct range *crit, time_t now,
		    struct output *out, struct verdict_probe_counts *counts)
{
	const struct judge j = {r, b, out};
	struct slowest slow = {false, 0, 0};
	struct finding *f;
	size_t i, span;

	if (b->incomplete) {
		f = finding_add(out, NULL, STATE_UNKNOWN, FC_PROBE_INCOMPLETE,
				"some probes could not be started");
		finding_subject(f, &(struct finding_subject){.domain = r->status != MX_HOSTS &&
									       r->domain[0] != '\0'
									   ? r->domain
									   : NULL});
	}
	for (i = 0; i < b->n; i += span) {
		span = probe_address_span(b->targets, b->n, i);
		report_address(&j, i, span);
		count_address(&j, i, span, warn, crit, now, counts, &slow);
	}
	slow_address(&j, &slow, warn, crit);
}

void
verdict_probe_summary(const struct mx_result *r, const struct verdict_probe_counts *counts,
		      struct output *out)
{
	const char *target = mx_target(r);
	size_t n = counts->addresses;

	if (output_state(out) == STATE_OK && n > 0)
		output_summary(out, "%s: %zu address%s of %zu MX host%s verified by DANE", target,
			       n, n == 1 ? "" : "es", r->nhosts, r->nhosts == 1 ? "" : "s");
	else if (counts->failed_addresses > 0)
		output_summary(out, "%s: %zu of %zu address%s failed DANE verification; %s", target,
			       counts->failed_addresses, n, n == 1 ? "" : "es",
			       output_worst_text(out));
	else if (output_state(out) != STATE_OK)
		output_summary(out, "%s: %s", target, output_worst_text(out));
}

void
verdict_probe_perfdata(const struct verdict_probe_counts *counts, double elapsed,
		       struct output *out)
{
	output_perfdata(out, &(struct perfdata){
				 .label = "time", .value = elapsed, .uom = "s", .has_min = true});
	output_perfdata(out, &(struct perfdata){.label = "addresses",
						.value = (double)counts->addresses,
						.has_min = true});
	output_perfdata(out, &(struct perfdata){.label = "verified",
						.value = (double)counts->verified,
						.has_min = true});
	output_perfdata(out, &(struct perfdata){.label = "failed",
						.value = (double)counts->failed,
						.has_min = true});
	output_perfdata(
	    out,
	    &(struct perfdata){.label = "cert_expiry_days",
			       .value = counts->has_days ? round(counts->min_days * 100) / 100 : 0,
			       .unknown = !counts->has_days});
	output_perfdata(out, &(struct perfdata){.label = "not_offered",
						.value = (double)counts->not_offered,
						.has_min = true});
}
