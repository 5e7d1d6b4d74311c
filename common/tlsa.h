/*
 * tlsa.h -- TLSA records (RFC 6698): parsing, usability for SMTP (RFC 7672),
 * digest agility (RFC 7671 section 9), per-record verdicts, and the record
 * that would match a given certificate.
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
#define TLSA_MTYPE_FULL 0
#define TLSA_MTYPE_SHA256 1
#define TLSA_MTYPE_SHA512 2

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

#endif /* DANE_TLSA_H */
