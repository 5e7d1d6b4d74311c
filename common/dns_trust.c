/*
 * dns_trust.c -- does the resolver validate DNSSEC?
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dns_trust.h"
#include "dns_validator.h"

size_t
dns_trust_names(const char *start, const char **names, size_t max)
{
	const char *p = start;
	size_t n = 0;

	if (start == NULL)
		return 0;
	while (*p != '\0' && strcmp(p, ".") != 0 && n < max) {
		names[n++] = p;
		/* the next label: after the first unescaped '.' */
		while (*p != '\0' && *p != '.') {
			if (*p == '\\' && p[1] != '\0')
				p++;
			p++;
		}
		if (*p == '.')
			p++;
	}
	return n;
}

/* Does a section of the answer carry a record of type? */
static bool
section_has(const struct dns_answer *a, ldns_pkt_section section, ldns_rr_type type)
{
	ldns_rr_list *rrs;
	size_t i;

	if (a->pkt == NULL)
		return false;
	rrs = section == LDNS_SECTION_ANSWER ? ldns_pkt_answer(a->pkt) : ldns_pkt_authority(a->pkt);
	for (i = 0; rrs != NULL && i < ldns_rr_list_rr_count(rrs); i++)
		if (ldns_rr_get_type(ldns_rr_list_rr(rrs, i)) == type)
			return true;
	return false;
}

/* Does the answer carry an RRSIG (answer or authority section)? */
static bool
has_signatures(const struct dns_answer *a)
{
	return section_has(a, LDNS_SECTION_ANSWER, LDNS_RR_TYPE_RRSIG) ||
	       section_has(a, LDNS_SECTION_AUTHORITY, LDNS_RR_TYPE_RRSIG);
}

/* Is a failed answer a failure of the resolver (an error rcode, garbage), rather than of the
 * network or of the run (timeout, unreachable, local)? */
static bool
resolver_failure(const struct dns_answer *a)
{
	return a->cls == DNS_ERROR &&
	       (a->error == DNS_ERR_SERVFAIL || a->error == DNS_ERR_REFUSED ||
		a->error == DNS_ERR_RCODE || a->error == DNS_ERR_MALFORMED);
}

enum dns_trust
dns_trust_judge(const struct dns_query *queries, size_t n, struct dns_trust_result *out)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	out->judged = true;
	out->verdict = DNS_TRUST_UNKNOWN;
	for (i = 0; i < n; i++) {
		const struct dns_answer *a = &queries[i].answer;

		if (a->cls == DNS_ERROR || a->cls == DNS_BOGUS || !has_signatures(a))
			continue;
		snprintf(out->name, sizeof(out->name), "%s", queries[i].name);
		out->denial = a->cls == DNS_NONEXISTENT;
		if (ldns_pkt_ad(a->pkt) && i == 0 && a->cls == DNS_SECURE) {
			/* a validated DS for the zone itself: its delegation is secure, yet its
			 * data came without AD: the resolver does not validate the zone */
			out->verdict = DNS_TRUST_DOES_NOT_VALIDATE;
			out->zone_not_validated = true;
		} else if (ldns_pkt_ad(a->pkt)) {
			out->verdict = DNS_TRUST_VALIDATES;
		} else {
			out->verdict = DNS_TRUST_DOES_NOT_VALIDATE;
		}
		break;
	}
	if (out->verdict != DNS_TRUST_UNKNOWN)
		return out->verdict;
	/* nothing decided: a DS query that failed leaves it open (no guessing from it) */
	for (i = 0; i < n; i++) {
		const struct dns_answer *a = &queries[i].answer;

		if (!resolver_failure(a))
			continue;
		out->ds_failed = true;
		snprintf(out->name, sizeof(out->name), "%s", queries[i].name);
		dns_answer_outcome(a, &out->answer);
		break;
	}
	return out->verdict;
}

bool
dns_trust_question(const struct dns_resolver *res, const struct dns_answer *a)
{
	if (res->validator == NULL)
		return !a->secure && (a->cls == DNS_INSECURE || a->cls == DNS_NONEXISTENT);
	if (dns_validator_recursive(res->validator))
		return false; /* no forwarder to ask */
	return a->cls == DNS_BOGUS || resolver_failure(a);
}

/* The owner name of the first SOA record in the authority section, canonical, into dst ("" if
 * none). */
static void
denial_soa(const struct dns_answer *a, char *dst, size_t dstsize)
{
	ldns_rr_list *rrs = a->pkt != NULL ? ldns_pkt_authority(a->pkt) : NULL;
	size_t i;

	dst[0] = '\0';
	for (i = 0; rrs != NULL && i < ldns_rr_list_rr_count(rrs); i++) {
		ldns_rr *rr = ldns_rr_list_rr(rrs, i);
		ldns_rdf *owner;
		char *text;

		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_SOA)
			continue;
		owner = ldns_rdf_clone(ldns_rr_owner(rr));
		if (owner == NULL)
			return;
		ldns_dname2canonical(owner);
		text = ldns_rdf2str(owner);
		if (text != NULL)
			snprintf(dst, dstsize, "%s", text);
		free(text);
		ldns_rdf_deep_free(owner);
		return;
	}
}

/* Judge one answer of the forwarder check (type DNSKEY or DS). */
static enum dns_forwarder_fault
forwarder_answer(const struct dns_answer *a, ldns_rr_type type, const char *child,
		 struct dns_trust_result *out)
{
	char soa[DNS_TRUST_NAME_MAX];

	switch (a->cls) {
	case DNS_ERROR:
	case DNS_BOGUS:
		if (!resolver_failure(a))
			return DNS_FWD_NO_ANSWER;
		dns_answer_outcome(a, &out->answer);
		return DNS_FWD_FAILED;
	case DNS_NONEXISTENT:
		if (type == LDNS_RR_TYPE_DNSKEY)
			return DNS_FWD_NO_RECORDS;
		denial_soa(a, soa, sizeof(soa));
		if (child != NULL && strcasecmp(soa, child) == 0)
			return DNS_FWD_FROM_CHILD;
		return section_has(a, LDNS_SECTION_AUTHORITY, LDNS_RR_TYPE_RRSIG)
			   ? DNS_FWD_OK
			   : DNS_FWD_UNSIGNED;
	case DNS_SECURE:
	case DNS_INSECURE:
	default:
		return section_has(a, LDNS_SECTION_ANSWER, LDNS_RR_TYPE_RRSIG) ? DNS_FWD_OK
									       : DNS_FWD_UNSIGNED;
	}
}

enum dns_forwarder_fault
dns_trust_forwarder_judge(const struct dns_answer *dnskey, const struct dns_answer *ds,
			  const char *child, struct dns_trust_result *out)
{
	enum dns_forwarder_fault f = forwarder_answer(dnskey, LDNS_RR_TYPE_DNSKEY, NULL, out);

	out->fault_type = LDNS_RR_TYPE_DNSKEY;
	if (f != DNS_FWD_OK || ds == NULL)
		return f;
	out->fault_type = LDNS_RR_TYPE_DS;
	return forwarder_answer(ds, LDNS_RR_TYPE_DS, child, out);
}

/* The name one label below anchor on the way to name (both absolute, canonical), into dst;
 * NULL when name is the anchor itself. */
static const char *
child_below(const char *anchor, const char *name, char *dst, size_t dstsize)
{
	const char *names[DNS_TRUST_MAX_NAMES * 16];
	size_t n = dns_trust_names(name, names, sizeof(names) / sizeof(names[0])), i;

	for (i = 0; i < n; i++) {
		const char *parent = i + 1 < n ? names[i + 1] : ".";

		if (strcasecmp(parent, anchor) == 0) {
			snprintf(dst, dstsize, "%s", names[i]);
			return dst;
		}
	}
	return NULL;
}

/* The forwarder check of --validate=local (see dns_trust.h). */
static enum dns_trust
forwarder_check(const struct dns_resolver *res, const char *start, struct deadline *dl,
		struct dns_trust_result *out)
{
	struct dns_resolver direct = *res;
	struct dns_query q[2 * DNS_MAX_SERVERS];
	char anchor[DNS_TRUST_NAME_MAX], child[DNS_TRUST_NAME_MAX];
	const char *below;
	bool unknown = false;
	size_t i, nq = 0;

	if (dns_validator_anchor_of(res->validator, start, anchor, sizeof(anchor)) == NULL)
		return DNS_TRUST_UNKNOWN; /* no trust anchor above: nothing was validated */
	below = child_below(anchor, start, child, sizeof(child));
	direct.validator = NULL;
	memset(q, 0, sizeof(q));
	for (i = 0; i < res->nservers; i++) {
		q[nq++] = (struct dns_query){
		    .name = anchor, .type = LDNS_RR_TYPE_DNSKEY, .cd = true, .server = (int)i};
		if (below != NULL)
			q[nq++] = (struct dns_query){
			    .name = below, .type = LDNS_RR_TYPE_DS, .cd = true, .server = (int)i};
	}
	dns_query_batch(&direct, q, nq, dl);
	out->verdict = DNS_TRUST_VALIDATES;
	for (i = 0; i < res->nservers && out->verdict == DNS_TRUST_VALIDATES; i++) {
		size_t k = below != NULL ? 2 * i : i;
		enum dns_forwarder_fault f = dns_trust_forwarder_judge(
		    &q[k].answer, below != NULL ? &q[k + 1].answer : NULL, below, out);

		if (f == DNS_FWD_NO_ANSWER) {
			unknown = true;
		} else if (f != DNS_FWD_OK) {
			out->verdict = DNS_TRUST_NO_DNSSEC_DATA;
			out->fault = f;
			snprintf(out->name, sizeof(out->name), "%s",
				 out->fault_type == LDNS_RR_TYPE_DS ? below : anchor);
			snprintf(out->forwarder, sizeof(out->forwarder), "%s",
				 res->servers[i].name);
		}
	}
	if (out->verdict == DNS_TRUST_VALIDATES && unknown)
		out->verdict = DNS_TRUST_UNKNOWN;
	for (i = 0; i < nq; i++)
		dns_answer_clear(&q[i].answer);
	return out->verdict;
}

enum dns_trust
dns_trust_check(const struct dns_resolver *res, const char *start, struct deadline *dl,
		struct dns_trust_result *out)
{
	struct dns_query q[DNS_TRUST_MAX_NAMES];
	const char *names[DNS_TRUST_MAX_NAMES];
	size_t n = dns_trust_names(start, names, DNS_TRUST_MAX_NAMES), i;

	/*
	 * One name at a time, closest first: the first answer with signatures
	 * decides, usually the first one (the DS of a zone is signed by its
	 * parent), and names further up are not waited for.
	 */
	if (res->validator != NULL) {
		memset(out, 0, sizeof(*out));
		out->judged = true;
		out->local = true;
		if (dns_validator_recursive(res->validator))
			return DNS_TRUST_UNKNOWN;
		return forwarder_check(res, start, dl, out);
	}
	memset(q, 0, sizeof(q));
	out->verdict = DNS_TRUST_UNKNOWN;
	for (i = 0; i < n && out->verdict == DNS_TRUST_UNKNOWN && !deadline_expired(dl); i++) {
		q[i].name = names[i];
		q[i].type = LDNS_RR_TYPE_DS;
		q[i].server = -1;
		dns_query_batch(res, &q[i], 1, dl);
		dns_trust_judge(q, i + 1, out);
	}
	if (out->verdict == DNS_TRUST_UNKNOWN)
		dns_trust_judge(q, i, out);
	for (i = 0; i < n; i++)
		dns_answer_clear(&q[i].answer);
	return out->verdict;
}
