/*
 * dns_answer.c -- the facts of one DNS answer (its words: words_dns.c).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns_answer.h"

const char *
dns_class_name(enum dns_class cls)
{
	switch (cls) {
	case DNS_SECURE:
		return "secure";
	case DNS_INSECURE:
		return "insecure";
	case DNS_BOGUS:
		return "bogus";
	case DNS_NONEXISTENT:
		return "nonexistent";
	case DNS_ERROR:
	default:
		return "error";
	}
}

void
dns_answer_clear(struct dns_answer *answer)
{
	if (answer == NULL)
		return;
	if (answer->pkt != NULL)
		ldns_pkt_free(answer->pkt);
	answer->pkt = NULL;
}

ldns_rr_list *
dns_answer_rrs(const struct dns_answer *answer, ldns_rr_type type)
{
	ldns_rr_list *list;

	if (answer->pkt == NULL)
		return NULL;
	list = ldns_pkt_rr_list_by_type(answer->pkt, type, LDNS_SECTION_ANSWER);
	if (list != NULL && ldns_rr_list_rr_count(list) == 0) {
		ldns_rr_list_deep_free(list);
		return NULL;
	}
	return list;
}

const char *
dns_answer_rcode_name(int rcode)
{
	ldns_lookup_table *lt = ldns_lookup_by_id(ldns_rcodes, rcode);

	return lt ? lt->name : "RCODE?";
}

void
dns_answer_fail(struct dns_answer *a, enum dns_error error, const struct dns_failure *f)
{
	a->cls = DNS_ERROR;
	a->error = error;
	a->fail = *f;
}

void
dns_answer_outcome(const struct dns_answer *a, struct dns_outcome *out)
{
	ldns_rr_list *qs = a->pkt != NULL ? ldns_pkt_question(a->pkt) : NULL;
	ldns_rr_list *rrs, *sigs;

	memset(out, 0, sizeof(*out));
	out->cls = a->cls;
	out->secure = a->secure;
	out->nxdomain = a->nxdomain;
	out->error = a->error;
	out->fail = a->fail;
	out->ede = a->ede;
	out->local = a->local;
	memcpy(out->why_bogus, a->why_bogus, sizeof(out->why_bogus));
	out->why_bogus_cut = a->why_bogus_cut;
	out->qtype = qs != NULL && ldns_rr_list_rr_count(qs) > 0
			 ? ldns_rr_get_type(ldns_rr_list_rr(qs, 0))
			 : a->qtype;
	out->final_rcode = a->pkt != NULL ? (int)ldns_pkt_get_rcode(a->pkt) : -1;
	rrs = dns_answer_rrs(a, out->qtype);
	sigs = dns_answer_rrs(a, LDNS_RR_TYPE_RRSIG);
	out->nrecords = rrs != NULL ? ldns_rr_list_rr_count(rrs) : 0;
	out->rrsigs = sigs != NULL;
	ldns_rr_list_deep_free(rrs);
	ldns_rr_list_deep_free(sigs);
}

static void
sig_expire_scan(const ldns_rr_list *rrs, time_t now, time_t *min)
{
	size_t i;

	for (i = 0; rrs != NULL && i < ldns_rr_list_rr_count(rrs); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(rrs, i);
		const ldns_rdf *f;
		uint32_t exp;
		time_t t;

		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_RRSIG)
			continue;
		f = ldns_rr_rrsig_expiration(rr);
		if (f == NULL || ldns_rdf_size(f) != 4)
			continue;
		exp = ldns_rdf2native_int32(f);
		/* RFC 4034 3.1.5: serial number arithmetic around now */
		t = now + (time_t)(int32_t)(exp - (uint32_t)now);
		if (*min == 0 || t < *min)
			*min = t;
	}
}

time_t
dns_answer_sig_expire(const struct dns_answer *answer, time_t now)
{
	time_t min = 0;

	if (answer->pkt == NULL)
		return 0;
	sig_expire_scan(ldns_pkt_answer(answer->pkt), now, &min);
	sig_expire_scan(ldns_pkt_authority(answer->pkt), now, &min);
	return min;
}

char *
dns_rr_line(const ldns_rr *rr)
{
	char *text = ldns_rr2str(rr), *p;

	if (text == NULL)
		return NULL;
	for (p = text; *p != '\0'; p++)
		if (*p == '\t')
			*p = ' ';
	text[strcspn(text, "\n")] = '\0';
	return text;
}

const char *
dns_answer_signer(const struct dns_answer *a, char *dst, size_t dstsize)
{
	ldns_rr_list *sections[2];
	size_t s, i;

	if (dstsize > 0)
		dst[0] = '\0';
	if (a->pkt == NULL || dstsize == 0)
		return dst;
	sections[0] = ldns_pkt_answer(a->pkt);
	sections[1] = ldns_pkt_authority(a->pkt);
	for (s = 0; s < 2; s++) {
		for (i = 0; sections[s] != NULL && i < ldns_rr_list_rr_count(sections[s]); i++) {
			ldns_rr *rr = ldns_rr_list_rr(sections[s], i);
			ldns_rdf *signer;
			char *text;

			if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_RRSIG ||
			    (signer = ldns_rr_rrsig_signame(rr)) == NULL)
				continue;
			text = ldns_rdf2str(signer);
			if (text != NULL)
				snprintf(dst, dstsize, "%s", text);
			free(text);
			return dst;
		}
	}
	return dst;
}

int
dns_answer_algorithm(const struct dns_answer *a)
{
	ldns_rr_list *sections[2];
	size_t s, i;

	if (a->pkt == NULL)
		return -1;
	sections[0] = ldns_pkt_answer(a->pkt);
	sections[1] = ldns_pkt_authority(a->pkt);
	for (s = 0; s < 2; s++) {
		for (i = 0; sections[s] != NULL && i < ldns_rr_list_rr_count(sections[s]); i++) {
			ldns_rr *rr = ldns_rr_list_rr(sections[s], i);
			ldns_rdf *alg;

			if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_RRSIG ||
			    (alg = ldns_rr_rrsig_algorithm(rr)) == NULL || ldns_rdf_size(alg) != 1)
				continue;
			return ldns_rdf_data(alg)[0];
		}
	}
	return -1;
}
