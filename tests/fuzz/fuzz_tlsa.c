/*
 * fuzz_tlsa -- libFuzzer target for TLSA record parsing and verdicts
 * (common/tlsa.c, issue 7).
 *
 * Input, two halves split at byte 0 (as a fraction of the size):
 *  1. records as fields: usage, selector, mtype, a length byte L, then L
 *     bytes of association data (L = 255: the data is 255..1279 bytes, the
 *     next byte saying how many more blocks of 4), repeated -> tlsa_set_add,
 *     tlsa_set_judge;
 *  2. the rest as the RDATA of TLSA records in wire format (ldns_wire2rr,
 *     whatever the length) -> tlsa_set_from_rrs.
 * Then every record is formatted (tlsa_format) into buffers of several sizes
 * with several maxhex values. Properties: usable == records with verdict
 * TLSA_USABLE; verdicts agree with the fields (PKIX usages, also as
 * tlsa_usage_is_pkix() says, lengths, empty data); duplicates and shadowed
 * records have a usable twin/stronger record; formatted text is
 * NUL-terminated, fits, has the returned length, starts with "U S M ", and
 * is printable.
 */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

#include "tlsa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_tlsa: %s:%d: %s\n", __FILE__, __LINE__, #cond);      \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

static void
check_format(const struct tlsa_rdata *rd)
{
	static const size_t sizes[] = {1, 2, 7, 8, 9, 12, 20, 40, 160, 3000};
	static const size_t maxhexes[] = {0, 1, 7, 8, 9, 16, 24, 64, 1000};
	char buf[3001], prefix[32];
	size_t i, j, k, n;

	snprintf(prefix, sizeof(prefix), "%u %u %u ", rd->usage, rd->selector, rd->mtype);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		for (j = 0; j < sizeof(maxhexes) / sizeof(maxhexes[0]); j++) {
			memset(buf, 'Z', sizeof(buf));
			n = tlsa_format(rd, buf, sizes[i], maxhexes[j]);
			CHECK(n < sizes[i]);
			CHECK(buf[n] == '\0');
			CHECK(strlen(buf) == n);
			CHECK(buf[sizes[i]] == 'Z' || sizes[i] == sizeof(buf)); /* no overflow */
			for (k = 0; k < n; k++)
				CHECK(isprint((unsigned char)buf[k]));
			if (sizes[i] > strlen(prefix))
				CHECK(strncmp(buf, prefix, strlen(prefix)) == 0);
			/* with room, shortening keeps it within maxhex digits (+ "...") */
			if (sizes[i] == 3000 && maxhexes[j] >= 8 && rd->len * 2 > maxhexes[j])
				CHECK(n <= strlen(prefix) + maxhexes[j] + 3);
			if (sizes[i] == 3000 && rd->len > 0 &&
			    rd->len * 2 + strlen(prefix) < 3000 &&
			    (maxhexes[j] == 0 || rd->len * 2 <= maxhexes[j]))
				CHECK(n == strlen(prefix) + rd->len * 2);
		}
	}
}

static void
check_set(const struct tlsa_set *set)
{
	size_t i, j, usable = 0;

	for (i = 0; i < set->n; i++) {
		const struct tlsa_record *r = &set->records[i];
		const struct tlsa_rdata *rd = &r->rd;

		CHECK(rd->len == 0 || rd->data != NULL);
		CHECK((unsigned int)r->verdict <= TLSA_DUPLICATE);
		CHECK(tlsa_usage_name(rd->usage) && tlsa_selector_name(rd->selector) &&
		      tlsa_mtype_name(rd->mtype));
		switch (r->verdict) {
		case TLSA_USABLE:
			usable++;
			CHECK(rd->usage == 2 || rd->usage == 3);
			CHECK(!tlsa_usage_is_pkix(rd->usage));
			CHECK(rd->selector <= 1 && rd->mtype <= 2 && rd->len > 0);
			CHECK(tlsa_mtype_length(rd->mtype) == 0 ||
			      tlsa_mtype_length(rd->mtype) == rd->len);
			break;
		case TLSA_UNUSABLE_PKIX:
			CHECK(rd->usage <= 1);
			CHECK(tlsa_usage_is_pkix(rd->usage));
			break;
		case TLSA_UNUSABLE_LENGTH:
			CHECK(tlsa_mtype_length(rd->mtype) != rd->len);
			break;
		case TLSA_UNUSABLE_EMPTY:
			CHECK(rd->len == 0);
			break;
		case TLSA_DUPLICATE: {
			bool twin = false;

			for (j = 0; j < i; j++) {
				const struct tlsa_rdata *o = &set->records[j].rd;

				twin =
				    twin || (o->usage == rd->usage && o->selector == rd->selector &&
					     o->mtype == rd->mtype && o->len == rd->len &&
					     memcmp(o->data, rd->data, rd->len) == 0);
			}
			CHECK(twin);
			break;
		}
		case TLSA_SHADOWED: {
			bool stronger = false;

			for (j = 0; j < set->n; j++) {
				const struct tlsa_record *o = &set->records[j];

				stronger = stronger ||
					   (o->verdict == TLSA_USABLE && o->rd.usage == rd->usage &&
					    o->rd.selector == rd->selector &&
					    o->rd.mtype > rd->mtype && o->rd.mtype != 0);
			}
			CHECK(stronger);
			CHECK(rd->mtype != 0);
			break;
		}
		default:
			break;
		}
		check_format(rd);
	}
	CHECK(usable == set->usable);
	(void)tlsa_set_has_duplicates(set);
}

/* Part 1: records from fields. */
static void
from_fields(const uint8_t *p, size_t n)
{
	struct tlsa_set set;
	size_t off = 0;

	memset(&set, 0, sizeof(set));
	while (off + 4 <= n && set.n < 64) {
		uint8_t u = p[off], s = p[off + 1], m = p[off + 2];
		size_t len = p[off + 3];

		off += 4;
		if (len == 255 && off < n)
			len += (size_t)p[off++] * 4;
		if (len > n - off)
			len = n - off;
		CHECK(tlsa_set_add(&set, u, s, m, p + off, len) == 0);
		off += len;
	}
	tlsa_set_judge(&set);
	check_set(&set);
	tlsa_set_judge(&set); /* judging again changes nothing */
	check_set(&set);
	tlsa_set_clear(&set);
	CHECK(set.n == 0 && set.records == NULL);
}

/* Part 2: the rest as TLSA RDATA in wire format, split at 0xff 0xff markers. */
static void
from_wire(const uint8_t *p, size_t n)
{
	static const uint8_t head[] = {0x02, 'm',  'x',  0x00, 0x00, 0x34,
				       0x00, 0x01, 0x00, 0x00, 0x01, 0x2c}; /* mx. TLSA IN 300 */
	ldns_rr_list *list = ldns_rr_list_new();
	struct tlsa_set set;
	size_t off = 0;

	CHECK(list != NULL);
	while (off <= n && ldns_rr_list_rr_count(list) < 32) {
		const uint8_t *end = memmem(p + off, n - off, "\xff\xff", 2);
		size_t len = end != NULL ? (size_t)(end - (p + off)) : n - off;
		uint8_t *wire = malloc(sizeof(head) + 2 + len + 1);
		size_t pos = 0;
		ldns_rr *rr = NULL;

		CHECK(wire != NULL);
		memcpy(wire, head, sizeof(head));
		wire[sizeof(head)] = (uint8_t)(len >> 8);
		wire[sizeof(head) + 1] = (uint8_t)len;
		memcpy(wire + sizeof(head) + 2, p + off, len);
		if (len <= 65535 &&
		    ldns_wire2rr(&rr, wire, sizeof(head) + 2 + len, &pos, LDNS_SECTION_ANSWER) ==
			LDNS_STATUS_OK &&
		    rr != NULL)
			ldns_rr_list_push_rr(list, rr);
		else
			ldns_rr_free(rr);
		free(wire);
		off += len + 2;
		if (end == NULL)
			break;
	}
	memset(&set, 0, sizeof(set));
	CHECK(tlsa_set_from_rrs(&set, list) == 0);
	CHECK(set.n == ldns_rr_list_rr_count(list));
	check_set(&set);
	tlsa_set_clear(&set);
	ldns_rr_list_deep_free(list);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t split;

	if (size < 1)
		return 0;
	split = (size - 1) * data[0] / 255;
	from_fields(data + 1, split);
	from_wire(data + 1 + split, size - 1 - split);
	return 0;
}
