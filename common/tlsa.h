/*
 * tlsa.h -- TLSA records (RFC 6698) as a DANE SMTP client sees them: parsed,
 * judged (usability for SMTP, RFC 7672; digest agility, RFC 7671 section 9)
 * and written as text.
 *
 * Pure code: no I/O, no state. The association data a certificate or key
 * would have, and whether full data parses, need OpenSSL: tlsa_assoc.h.
 */
#ifndef DANE_TLSA_H
#define DANE_TLSA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ldns/ldns.h>

/* Certificate usages, selectors and matching types (RFC 7218 acronyms). */
#define TLSA_USAGE_PKIX_TA 0
#define TLSA_USAGE_PKIX_EE 1
#define TLSA_USAGE_DANE_TA 2
#define TLSA_USAGE_DANE_EE 3
#define TLSA_SELECTOR_CERT 0
#define TLSA_SELECTOR_SPKI 1
#define TLSA_MTYPE_FULL    0
#define TLSA_MTYPE_SHA256  1
#define TLSA_MTYPE_SHA512  2

/** Largest association data of a digest matching type (SHA2-512). */
#define TLSA_DIGEST_MAX 64

/** The four fields of one TLSA record; data is not owned. */
struct tlsa_rdata {
	uint8_t usage;
	uint8_t selector;
	uint8_t mtype;
	const uint8_t *data;
	size_t len;
};

/** Why a record is or is not used by a DANE SMTP client. */
enum tlsa_verdict {
	TLSA_USABLE = 0,
	TLSA_UNUSABLE_PKIX,      /* usage 0 or 1: not for SMTP (RFC 7672 3.1.3) */
	TLSA_UNUSABLE_USAGE,     /* unknown usage */
	TLSA_UNUSABLE_SELECTOR,  /* unknown selector */
	TLSA_UNUSABLE_MTYPE,     /* unknown matching type */
	TLSA_UNUSABLE_LENGTH,    /* digest of the wrong length */
	TLSA_UNUSABLE_EMPTY,     /* no association data */
	TLSA_UNUSABLE_MALFORMED, /* rdata that does not parse */
	TLSA_SHADOWED,           /* digest agility: a stronger matching type exists */
	TLSA_DUPLICATE,          /* same as an earlier record in the set */
};

/** One parsed record with its verdict. */
struct tlsa_record {
	struct tlsa_rdata rd; /* rd.data points into data below */
	uint8_t *data;        /* owned copy of the association data */
	enum tlsa_verdict verdict;
};

/** A TLSA RRset, parsed. */
struct tlsa_set {
	struct tlsa_record *records;
	size_t n;
	size_t usable; /* records with verdict TLSA_USABLE */
};

/** Most records in one RRset before big senders are known to have trouble. */
#define TLSA_MANY_RECORDS 12

/**
 * Append one record (data is copied) with verdict TLSA_USABLE; call
 * tlsa_set_judge() when all are added. Returns 0, or -1 when out of memory.
 */
int tlsa_set_add(struct tlsa_set *set, uint8_t usage, uint8_t selector, uint8_t mtype,
		 const uint8_t *data, size_t len);

/**
 * Parse the TLSA records of an RR list (other types are skipped) and judge
 * them. Records whose rdata does not parse get TLSA_UNUSABLE_MALFORMED.
 * Returns 0, or -1 when out of memory.
 */
int tlsa_set_from_rrs(struct tlsa_set *set, const ldns_rr_list *rrs);

/**
 * Give every record its verdict: usability for SMTP (RFC 7672 3.1), wrong
 * digest lengths, full data that does not parse, duplicates, and digest
 * agility (RFC 7671 9, as OpenSSL and Postfix apply it: for one usage and
 * selector only the strongest digest type present is used; "full" data is
 * never shadowed). Sets set->usable.
 */
void tlsa_set_judge(struct tlsa_set *set);

/** Free the records of a set (not the struct itself); the set is empty after. */
void tlsa_set_clear(struct tlsa_set *set);

/** True when the set has two records with the same fields and data. */
bool tlsa_set_has_duplicates(const struct tlsa_set *set);

/**
 * True for the PKIX usages, PKIX-TA(0) and PKIX-EE(1), which a DANE SMTP
 * client does not use (RFC 7672 3.1.3). The one place that says so.
 */
bool tlsa_usage_is_pkix(uint8_t usage);

/** True when a and b have the same usage, selector, matching type and data. */
bool tlsa_rdata_equal(const struct tlsa_rdata *a, const struct tlsa_rdata *b);

/** RFC 7218 acronym of a usage ("DANE-EE"), selector ("SPKI"), mtype ("SHA2-256"). */
const char *tlsa_usage_name(uint8_t usage);
/** See tlsa_usage_name(). */
const char *tlsa_selector_name(uint8_t selector);
/** See tlsa_usage_name(). */
const char *tlsa_mtype_name(uint8_t mtype);

/**
 * Write a record as "3 1 1 <hex>" into dst. With maxhex > 0, data longer
 * than maxhex hex digits is shortened to its start and end ("4f1c...e2").
 * Returns the length.
 */
size_t tlsa_format(const struct tlsa_rdata *rd, char *dst, size_t dstsize, size_t maxhex);

/** Expected data length for a matching type: 32, 64, or 0 (any) for full/unknown. */
size_t tlsa_mtype_length(uint8_t mtype);

#endif /* DANE_TLSA_H */
