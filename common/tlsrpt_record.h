/*
 * tlsrpt_record.h -- a domain's SMTP TLS Reporting policy record (RFC 8460
 * section 3): the TXT RRset at _smtp._tls.<domain>, as facts.
 *
 * The record tells senders where to report TLS failures ("rua=mailto:..."
 * or "https:..."). Senders use it only when exactly one TXT record of the
 * RRset starts with "v=TLSRPTv1" and it parses; otherwise they send no
 * reports. The TXT data come from strangers: the parser is strict and
 * bounded and keeps no more than it needs. Nothing here prints.
 */
#ifndef DANE_TLSRPT_RECORD_H
#define DANE_TLSRPT_RECORD_H

#include <stdbool.h>
#include <stddef.h>

#include <ldns/ldns.h>

#include "dns_answer.h"

/** Most report addresses (rua URIs) kept; more are counted. */
#define TLSRPT_RECORD_MAX_RUA 8

/** Room for one rua URI (longer ones make the record invalid). */
#define TLSRPT_RECORD_URI_MAX 256

/** Most bytes of a TXT record's text that are parsed (longer: invalid). */
#define TLSRPT_RECORD_TEXT_MAX 2048

/** What the TXT RRset at _smtp._tls.<domain> says. */
enum tlsrpt_record_status {
	TLSRPT_RECORD_NONE = 0,      /* no TXT record starting with "v=TLSRPTv1" */
	TLSRPT_RECORD_VALID,         /* exactly one, and it parses */
	TLSRPT_RECORD_MULTIPLE,      /* several: senders send no reports */
	TLSRPT_RECORD_INVALID,       /* one that does not parse: senders send no reports */
	TLSRPT_RECORD_LOOKUP_FAILED, /* the TXT query failed (lookup) */
};

/** Why a record does not parse. */
enum tlsrpt_record_fault {
	TLSRPT_FAULT_NONE = 0,
	TLSRPT_FAULT_TOO_LONG,   /* over TLSRPT_RECORD_TEXT_MAX bytes */
	TLSRPT_FAULT_BAD_BYTE,   /* a control byte, NUL or 8-bit byte */
	TLSRPT_FAULT_BAD_FIELD,  /* a field that is no name=value */
	TLSRPT_FAULT_NO_RUA,     /* no rua field */
	TLSRPT_FAULT_RUA_TWICE,  /* two rua fields */
	TLSRPT_FAULT_BAD_URI,    /* an empty or overlong URI, or one with a space */
	TLSRPT_FAULT_BAD_SCHEME, /* a URI that is neither mailto: nor https: */
};

/** The facts of the TLSRPT record of a domain. */
struct tlsrpt_record {
	enum tlsrpt_record_status status;
	enum tlsrpt_record_fault fault; /* TLSRPT_RECORD_INVALID: why */
	size_t records;                 /* TXT records starting with "v=TLSRPTv1" */
	char rua[TLSRPT_RECORD_MAX_RUA][TLSRPT_RECORD_URI_MAX]; /* VALID: the URIs */
	size_t nrua;                                            /* kept in rua[] */
	size_t rua_total;                                       /* in the record (may be > nrua) */
	/* INVALID: the record's text as sent (raw bytes, cut at TLSRPT_RECORD_TEXT_MAX) */
	char text[TLSRPT_RECORD_TEXT_MAX];
	size_t text_len;
	struct dns_outcome lookup; /* LOOKUP_FAILED: the answer's facts */
};

/**
 * Parse one TXT record's text (the character-strings joined, len bytes, not
 * NUL-terminated, any bytes) as a TLSRPT record into r: r->status becomes
 * TLSRPT_RECORD_VALID with the URIs, or TLSRPT_RECORD_INVALID with the
 * fault. Text that does not start with "v=TLSRPTv1" is TLSRPT_RECORD_NONE.
 */
void tlsrpt_record_parse(const char *text, size_t len, struct tlsrpt_record *r);

/**
 * Judge the TXT answer of _smtp._tls.<domain> (any class but DNS_ERROR and
 * DNS_BOGUS: a TXT RRset or none) into r as senders do: the records that
 * start with "v=TLSRPTv1" are counted; exactly one is parsed.
 */
void tlsrpt_record_from_answer(const struct dns_answer *a, struct tlsrpt_record *r);

/** The owner name of a domain's TLSRPT record, "_smtp._tls.<domain>", into dst. */
const char *tlsrpt_record_name(const char *domain, char *dst, size_t dstsize);

#endif /* DANE_TLSRPT_RECORD_H */
