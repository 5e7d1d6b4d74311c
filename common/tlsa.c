/*
 * tlsa.c -- TLSA records: parsing, usability for SMTP, digest agility, text.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "tlsa.h"
#include "tlsa_assoc.h"

int
tlsa_set_add(struct tlsa_set *set, uint8_t usage, uint8_t selector, uint8_t mtype,
	     const uint8_t *data, size_t len)
{
	struct tlsa_record *recs, *r;

	recs = realloc(set->records, (set->n + 1) * sizeof(*recs));
	if (recs == NULL)
		return -1;
	set->records = recs;
	r = &set->records[set->n];
	memset(r, 0, sizeof(*r));
	if (len > 0) {
		r->data = malloc(len);
		if (r->data == NULL)
			return -1;
		memcpy(r->data, data, len);
	}
	r->rd.usage = usage;
	r->rd.selector = selector;
	r->rd.mtype = mtype;
	r->rd.data = r->data;
	r->rd.len = len;
	r->verdict = TLSA_USABLE;
	set->n++;
	return 0;
}

int
tlsa_set_from_rrs(struct tlsa_set *set, const ldns_rr_list *rrs)
{
	size_t i;

	for (i = 0; rrs != NULL && i < ldns_rr_list_rr_count(rrs); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(rrs, i);
		const ldns_rdf *f[4];
		size_t k;
		bool ok = ldns_rr_get_type(rr) == LDNS_RR_TYPE_TLSA && ldns_rr_rd_count(rr) == 4;

		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_TLSA)
			continue;
		for (k = 0; ok && k < 4; k++) {
			f[k] = ldns_rr_rdf(rr, k);
			ok = f[k] != NULL;
		}
		ok = ok && ldns_rdf_size(f[0]) == 1 && ldns_rdf_size(f[1]) == 1 &&
		     ldns_rdf_size(f[2]) == 1;
		if (!ok) {
			if (tlsa_set_add(set, 255, 255, 255, NULL, 0) != 0)
				return -1;
			set->records[set->n - 1].verdict = TLSA_UNUSABLE_MALFORMED;
			continue;
		}
		if (tlsa_set_add(set, ldns_rdf_data(f[0])[0], ldns_rdf_data(f[1])[0],
				 ldns_rdf_data(f[2])[0], ldns_rdf_data(f[3]),
				 ldns_rdf_size(f[3])) != 0)
			return -1;
	}
	tlsa_set_judge(set);
	return 0;
}

size_t
tlsa_mtype_length(uint8_t mtype)
{
	switch (mtype) {
	case TLSA_MTYPE_SHA256:
		return 32;
	case TLSA_MTYPE_SHA512:
		return 64;
	default:
		return 0;
	}
}

bool
tlsa_usage_is_pkix(uint8_t usage)
{
	return usage == TLSA_USAGE_PKIX_TA || usage == TLSA_USAGE_PKIX_EE;
}

/* Verdict of one record on its own. */
static enum tlsa_verdict
judge_one(const struct tlsa_rdata *rd)
{
	size_t want;

	if (tlsa_usage_is_pkix(rd->usage))
		return TLSA_UNUSABLE_PKIX;
	if (rd->usage != TLSA_USAGE_DANE_TA && rd->usage != TLSA_USAGE_DANE_EE)
		return TLSA_UNUSABLE_USAGE;
	if (rd->selector != TLSA_SELECTOR_CERT && rd->selector != TLSA_SELECTOR_SPKI)
		return TLSA_UNUSABLE_SELECTOR;
	if (rd->mtype > TLSA_MTYPE_SHA512)
		return TLSA_UNUSABLE_MTYPE;
	if (rd->len == 0)
		return TLSA_UNUSABLE_EMPTY;
	want = tlsa_mtype_length(rd->mtype);
	if (want != 0 && rd->len != want)
		return TLSA_UNUSABLE_LENGTH;
	if (rd->mtype == TLSA_MTYPE_FULL && !tlsa_assoc_full_parses(rd))
		return TLSA_UNUSABLE_MALFORMED;
	return TLSA_USABLE;
}

bool
tlsa_rdata_equal(const struct tlsa_rdata *a, const struct tlsa_rdata *b)
{
	return a->usage == b->usage && a->selector == b->selector && a->mtype == b->mtype &&
	       a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

void
tlsa_set_judge(struct tlsa_set *set)
{
	size_t i, j;

	for (i = 0; i < set->n; i++) {
		struct tlsa_record *r = &set->records[i];

		if (r->verdict == TLSA_UNUSABLE_MALFORMED && r->rd.usage == 255)
			continue; /* rdata that did not parse at all */
		r->verdict = judge_one(&r->rd);
		for (j = 0; j < i && r->verdict == TLSA_USABLE; j++)
			if (tlsa_rdata_equal(&r->rd, &set->records[j].rd))
				r->verdict = TLSA_DUPLICATE;
	}
	/* Digest agility: the strongest digest type present per usage+selector. */
	for (i = 0; i < set->n; i++) {
		struct tlsa_record *r = &set->records[i];

		if (r->verdict != TLSA_USABLE || r->rd.mtype == TLSA_MTYPE_FULL)
			continue;
		for (j = 0; j < set->n; j++) {
			const struct tlsa_record *o = &set->records[j];

			if (o->verdict == TLSA_USABLE && o->rd.usage == r->rd.usage &&
			    o->rd.selector == r->rd.selector && o->rd.mtype != TLSA_MTYPE_FULL &&
			    o->rd.mtype > r->rd.mtype) {
				r->verdict = TLSA_SHADOWED;
				break;
			}
		}
	}
	set->usable = 0;
	for (i = 0; i < set->n; i++)
		if (set->records[i].verdict == TLSA_USABLE)
			set->usable++;
}

void
tlsa_set_clear(struct tlsa_set *set)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		free(set->records[i].data);
	free(set->records);
	memset(set, 0, sizeof(*set));
}

bool
tlsa_set_has_duplicates(const struct tlsa_set *set)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (set->records[i].verdict == TLSA_DUPLICATE)
			return true;
	return false;
}

const char *
tlsa_usage_name(uint8_t usage)
{
	static const char *const names[] = {"PKIX-TA", "PKIX-EE", "DANE-TA", "DANE-EE"};

	return usage < 4 ? names[usage] : "unknown-usage";
}

const char *
tlsa_selector_name(uint8_t selector)
{
	static const char *const names[] = {"Cert", "SPKI"};

	return selector < 2 ? names[selector] : "unknown-selector";
}

const char *
tlsa_mtype_name(uint8_t mtype)
{
	static const char *const names[] = {"Full", "SHA2-256", "SHA2-512"};

	return mtype < 3 ? names[mtype] : "unknown-mtype";
}

size_t
tlsa_format(const struct tlsa_rdata *rd, char *dst, size_t dstsize, size_t maxhex)
{
	size_t o, hexlen = rd->len * 2, head;
	bool shorten = maxhex > 0 && hexlen > maxhex && maxhex >= 8;

	if (dstsize == 0)
		return 0;
	snprintf(dst, dstsize, "%u %u %u ", rd->usage, rd->selector, rd->mtype);
	o = strlen(dst);
	if (rd->len == 0) {
		snprintf(dst + o, dstsize - o, "(empty)");
		return strlen(dst);
	}
	if (!shorten)
		return o + text_hex(rd->data, rd->len, dst + o, dstsize - o);
	/* the first and the last (maxhex - 3) / 4 bytes, "..." between them */
	head = (maxhex - 3) / 4;
	o += text_hex(rd->data, head, dst + o, dstsize - o);
	if (o + 3 >= dstsize)
		return o;
	memcpy(dst + o, "...", 4);
	o += 3;
	return o + text_hex(rd->data + rd->len - head, head, dst + o, dstsize - o);
}
