/*
 * dns_trust.c -- does the resolver validate DNSSEC?
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns_trust.h"

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

/* Does the answer carry an RRSIG (answer or authority section)? */
static bool
has_signatures(const struct dns_answer *a)
{
	ldns_rr_list *sections[2];
	size_t s, i;

	if (a->pkt == NULL)
		return false;
	sections[0] = ldns_pkt_answer(a->pkt);
	sections[1] = ldns_pkt_authority(a->pkt);
	for (s = 0; s < 2; s++)
		for (i = 0; sections[s] != NULL && i < ldns_rr_list_rr_count(sections[s]); i++)
			if (ldns_rr_get_type(ldns_rr_list_rr(sections[s], i)) == LDNS_RR_TYPE_RRSIG)
				return true;
	return false;
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
