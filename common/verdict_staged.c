/*
 * verdict_staged.c -- is the next renewal covered? Staged next keys and
 * certificates, the issuers a renewal may come from, the renewal gate.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verdict_staged.h"
#include "auth.h"
#include "cert.h"
#include "rollover_match.h"

/* Most records that match one staged key or certificate. */
#define MAX_MATCHES 8

/* Does h have a usable DANE-TA (2 x x) record? */
static bool
host_has_dane_ta(const struct mx_host *h)
{
	size_t i;

	for (i = 0; i < h->tlsa.n; i++)
		if (h->tlsa.records[i].verdict == TLSA_USABLE &&
		    h->tlsa.records[i].rd.usage == TLSA_USAGE_DANE_TA)
			return true;
	return false;
}

/* The subject and the kind of a finding about one staged file. */
static void
staged_subject(struct finding *f, const struct mx_host *h, const char *name, bool key)
{
	finding_subject(
	    f, &(struct finding_subject){.host = h->name, .name = h->tlsa_qname, .file = name});
	finding_param_str(f, "kind", key ? "key" : "certificate");
}

/*
 * A staged file no usable record matches (staged.unpublished): the 3 1 1
 * record to publish, and for a certificate on a host with DANE-TA records
 * the 2 1 1 record of its issuer.
 */
static void
report_unpublished(const struct mx_host *h, const char *what, const char *name, EVP_PKEY *key,
		   STACK_OF(X509) * chain, struct output *out, struct finding *parent)
{
	char publish[200], ta[200];
	struct cert_info issuer;
	struct finding *f;

	rollover_record_ee(chain != NULL ? sk_X509_value(chain, 0) : NULL, key, publish,
			   sizeof(publish));
	if (chain != NULL && sk_X509_num(chain) > 1 && host_has_dane_ta(h)) {
		cert_describe(sk_X509_value(chain, 1), &issuer);
		rollover_record_ta(sk_X509_value(chain, 1), ta, sizeof(ta));
		f = finding_add(out, parent, STATE_CRITICAL, FC_STAGED_UNPUBLISHED,
				"%s %s matches no published record: deploying it breaks "
				"DANE; publish %s IN TLSA %s (its issuer %s, as the other "
				"DANE-TA records) or %s",
				what, name, h->tlsa_qname, ta, issuer.subject, publish);
		staged_subject(f, h, name, key != NULL);
		finding_param_str(f, "publish", publish);
		finding_param_str(f, "publish_issuer", ta);
		finding_param_str(f, "issuer", issuer.subject);
		return;
	}
	f = finding_add(out, parent, STATE_CRITICAL, FC_STAGED_UNPUBLISHED,
			"%s %s %s: deploying it breaks DANE; publish %s IN TLSA %s", what, name,
			key != NULL ? "is not published" : "matches no published record",
			h->tlsa_qname, publish);
	staged_subject(f, h, name, key != NULL);
	finding_param_str(f, "publish", publish);
}

/*
 * One staged key (key) or certificate (chain): which usable records of h match
 * it (marked in record_is_next), and, with the authoritative servers asked,
 * whether every server serves one of them. Its finding under parent.
 */
static void
next_one(const struct mx_host *h, const struct verdict_rollover_params *p, const char *what,
	 const char *name, EVP_PKEY *key, STACK_OF(X509) * chain, struct output *out,
	 struct finding *parent, uint8_t *buf, bool *record_is_next)
{
	char text[200], who[512], where[128], full[MAX_MATCHES][2 * TLSA_DIGEST_MAX + 16];
	const struct tlsa_record *first = NULL;
	const char *texts[MAX_MATCHES];
	size_t j, nfound = 0, silent = 0;
	struct finding *f;

	for (j = 0; j < h->tlsa.n; j++) {
		const struct tlsa_record *r = &h->tlsa.records[j];
		int depth = 0;
		bool m = r->verdict == TLSA_USABLE &&
			 (key != NULL ? r->rd.usage == TLSA_USAGE_DANE_EE &&
					    rollover_match_key(&r->rd, key, buf)
				      : rollover_match_chain(&r->rd, chain, buf, &depth));

		if (!m)
			continue;
		record_is_next[j] = true;
		if (first == NULL) {
			first = r;
			tlsa_format(&r->rd, text, sizeof(text), 16);
		}
		if (nfound < MAX_MATCHES) {
			tlsa_format(&r->rd, full[nfound], sizeof(full[nfound]), 0);
			texts[nfound] = full[nfound];
			nfound++;
		}
	}
	if (nfound == 0) {
		report_unpublished(h, what, name, key, chain, out, parent);
		return;
	}
	if (p->auth != NULL && auth_lacking(p->auth, h->tlsa_qname, LDNS_RR_TYPE_TLSA, texts,
					    nfound, who, sizeof(who)) > 0) {
		f = finding_add(out, parent, STATE_CRITICAL, FC_STAGED_NOT_ON_EVERY_SERVER,
				"%s %s is published at %s (%s), but not on every authoritative "
				"server: %s serve%s no record for it; deploying it breaks DANE for "
				"the senders whose resolvers ask %s",
				what, name, h->tlsa_qname, text, who, strchr(who, ',') ? "" : "s",
				strchr(who, ',') ? "them" : "it");
		staged_subject(f, h, name, key != NULL);
		verdict_rollover_record(out, f, NULL, &first->rd);
		finding_param_str(f, "servers_lacking", who);
		return;
	}
	if (p->auth != NULL &&
	    (silent = auth_unanswered(p->auth, h->tlsa_qname, LDNS_RR_TYPE_TLSA)) > 0)
		snprintf(where, sizeof(where),
			 ", not confirmed on %zu authoritative server%s that did not answer",
			 silent, silent == 1 ? "" : "s");
	else
		snprintf(where, sizeof(where), "%s",
			 p->auth != NULL ? ", on every authoritative server" : "");
	f = finding_add(out, parent, silent > 0 ? STATE_WARNING : STATE_OK,
			silent > 0 ? FC_STAGED_UNCONFIRMED : FC_STAGED_PUBLISHED,
			"%s %s already %s at %s (%s)%s", what, name,
			key != NULL ? "published" : "matched by a published record", h->tlsa_qname,
			text, where);
	staged_subject(f, h, name, key != NULL);
	verdict_rollover_record(out, f, NULL, &first->rd);
	finding_param_int(f, "records", (long long)nfound);
	if (p->auth != NULL) {
		finding_param_bool(f, "every_server", silent == 0);
		finding_param_int(f, "servers_unanswered", (long long)silent);
	}
}

/* Staged next keys and certificates: published yet (on every authoritative server)? */
void
verdict_staged_next(const struct mx_host *h, const struct verdict_rollover_params *p,
		    struct output *out, struct finding *parent, uint8_t *buf, bool *record_is_next)
{
	size_t i;

	for (i = 0; i < p->files->nnext_keys; i++)
		next_one(h, p, "next key", p->files->next_key_files[i], p->files->next_keys[i],
			 NULL, out, parent, buf, record_is_next);
	for (i = 0; i < p->files->nnext_certs; i++)
		next_one(h, p, "next certificate", p->files->next_cert_files[i], NULL,
			 p->files->next_chains[i], out, parent, buf, record_is_next);
}

/* Is issuer covered by a usable DANE-TA record of h? */
static bool
issuer_covered(const struct mx_host *h, X509 *issuer, uint8_t *buf)
{
	size_t i;

	for (i = 0; i < h->tlsa.n; i++) {
		const struct tlsa_record *r = &h->tlsa.records[i];

		if (r->verdict == TLSA_USABLE && r->rd.usage == TLSA_USAGE_DANE_TA &&
		    rollover_match_cert(&r->rd, issuer, buf))
			return true;
	}
	return false;
}

/* The subject of an --issuers finding about h. */
static void
issuers_subject(struct finding *f, const struct mx_host *h, const struct verdict_rollover_params *p)
{
	finding_subject(f, &(struct finding_subject){.host = h->name,
						     .name = h->tlsa_qname,
						     .file = p->files->issuers_file});
}

/*
 * --issuers: which of the CAs a renewal may be issued from do the host's
 * DANE-TA records cover? WARNING for each one they do not, with the record
 * to publish; one OK line naming them when all are. Hosts with DANE-EE
 * records only: the option does not apply (said from -v on).
 */
void
verdict_staged_issuers(const struct mx_host *h, const struct verdict_rollover_params *p,
		       struct output *out, struct finding *parent, uint8_t *buf)
{
	char covered[768] = "", rec[200];
	size_t i, n = 0, o = 0, nread = (size_t)sk_X509_num(p->files->issuers);
	struct finding *f;

	if (!host_has_dane_ta(h)) {
		f = finding_add(out, parent, STATE_OK, FC_RENEWAL_ISSUERS_NOT_APPLICABLE,
				"--issuers does not apply: no usable DANE-TA (2 x x) record at %s",
				h->tlsa_qname);
		issuers_subject(f, h, p);
		finding_set_level(f, 1);
		return;
	}
	for (i = 0; i < nread; i++) {
		X509 *ca = sk_X509_value(p->files->issuers, (int)i);
		struct cert_info info;

		cert_describe(ca, &info);
		if (issuer_covered(h, ca, buf)) {
			n++;
			if (o + strlen(info.subject) + 8 < sizeof(covered))
				o += (size_t)snprintf(covered + o, sizeof(covered) - o, "%s%s",
						      o ? "; " : "", info.subject);
			else if (o + 5 < sizeof(covered) && strstr(covered, "; ...") == NULL)
				o += (size_t)snprintf(covered + o, sizeof(covered) - o, "; ...");
			continue;
		}
		rollover_record_ta(ca, rec, sizeof(rec));
		f = finding_add(out, parent, STATE_WARNING, FC_RENEWAL_ISSUER_UNCOVERED,
				"a renewal issued by %s breaks DANE: its key is in no DANE-TA "
				"record at %s; publish %s IN TLSA %s",
				info.subject, h->tlsa_qname, h->tlsa_qname, rec);
		issuers_subject(f, h, p);
		finding_param_str(f, "issuer", info.subject);
		finding_param_str(f, "publish", rec);
	}
	if (p->files->issuers_total > nread) {
		f = finding_add(out, parent, STATE_WARNING, FC_RENEWAL_ISSUERS_TRUNCATED,
				"only the first %zu of the %zu certificates in %s were checked",
				nread, p->files->issuers_total, p->files->issuers_file);
		issuers_subject(f, h, p);
		finding_param_int(f, "checked", (long long)nread);
		finding_param_int(f, "total", (long long)p->files->issuers_total);
	}
	if (n == nread) {
		f = finding_add(out, parent, STATE_OK, FC_RENEWAL_ISSUERS_COVERED,
				"the DANE-TA records cover every issuer of %s (%zu): %s",
				p->files->issuers_file, n, covered);
		issuers_subject(f, h, p);
		finding_param_int(f, "issuers", (long long)n);
	}
}

void
verdict_staged_gate(const struct mx_host *h, const struct verdict_rollover_params *p,
		    struct output *out, struct finding *parent, uint8_t *buf)
{
	bool *is_next = calloc(h->tlsa.n + 1, sizeof(bool));

	if (is_next == NULL) {
		output_unknown(out, FC_PLUGIN_LOCAL_FAILURE, "out of memory");
		return;
	}
	verdict_staged_next(h, p, out, parent, buf, is_next);
	free(is_next);
}
