/*
 * dns_answer.h -- what one DNS answer says and how it is told: its DNSSEC
 * class, why it failed, its records, its earliest RRSIG expiry, and the words
 * shown to the operator.
 *
 * The query engine (dns.h) fills a struct dns_answer; the answer owns its
 * packet, which dns_answer_free() releases. Nothing here does I/O.
 */
#ifndef DANE_DNS_ANSWER_H
#define DANE_DNS_ANSWER_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <ldns/ldns.h>

#include "dns_ede.h"

/** What an answer says, from a DNSSEC point of view. */
enum dns_class {
	DNS_SECURE,      /* data, validated (AD) */
	DNS_INSECURE,    /* data, not validated (no AD) */
	DNS_BOGUS,       /* SERVFAIL, but with CD the data is there: validation failed */
	DNS_NONEXISTENT, /* NXDOMAIN or NODATA; see secure and nxdomain */
	DNS_ERROR,       /* no usable answer; see error */
};

/** Why there is no usable answer (DNS_ERROR). */
enum dns_error {
	DNS_ERR_NONE = 0,
	DNS_ERR_TIMEOUT,     /* no answer before the deadline */
	DNS_ERR_UNREACHABLE, /* ICMP unreachable / connection refused / no route */
	DNS_ERR_REFUSED,     /* rcode REFUSED */
	DNS_ERR_SERVFAIL,    /* SERVFAIL, also with CD: the resolver cannot answer */
	DNS_ERR_RCODE,       /* another error rcode (FORMERR, NOTIMP, ...) */
	DNS_ERR_MALFORMED,   /* replies that do not parse or do not match */
	DNS_ERR_LOCAL,       /* bad name, out of memory, no socket */
};

/** The outcome of one query. */
struct dns_answer {
	enum dns_class cls;
	bool secure;          /* AD set (for DNS_NONEXISTENT: the denial validated) */
	bool nxdomain;        /* DNS_NONEXISTENT: NXDOMAIN rather than NODATA */
	enum dns_error error; /* DNS_ERROR: why */
	int rcode;            /* rcode of the (first) answer, -1 if none */
	double rtt;           /* seconds from the first send to the final answer */
	bool tcp;             /* the final answer came over TCP */
	bool aa;              /* the final answer had AA (from an authoritative server) */
	int server;           /* index of the server that answered, -1 if none */
	char detail[192];     /* for DNS_ERROR: what went wrong, in words */
	ldns_pkt *pkt;        /* the final answer (the CD answer when bogus), or NULL */
	/* Extended DNS Errors of the last reply that carried any (for a bogus
	 * answer: of the SERVFAIL, not of the answer with CD) */
	struct dns_ede_list ede;
};

/** Free what an answer holds (not the struct itself). */
void dns_answer_free(struct dns_answer *answer);

/**
 * The answer-section records of the given type (the final owner after
 * CNAMEs is not checked). Returns a new list the caller frees with
 * ldns_rr_list_deep_free(), or NULL when there are none.
 */
ldns_rr_list *dns_answer_rrs(const struct dns_answer *answer, ldns_rr_type type);

/**
 * One record in presentation format on one line (tabs become spaces), for
 * detail lines. Returns a malloc'd string, or NULL when out of memory.
 */
char *dns_rr_line(const ldns_rr *rr);

/**
 * The earliest RRSIG signature expiration in the answer and authority
 * sections (covering the data or its denial), as a time_t computed with
 * serial-number arithmetic around now. Returns 0 when there is no RRSIG.
 */
time_t dns_answer_sig_expire(const struct dns_answer *answer, time_t now);

/** Short lower-case word for a class: "secure", "insecure", "bogus", ... */
const char *dns_class_name(enum dns_class cls);

/** The mnemonic of an rcode ("NOERROR", "SERVFAIL", ...), "RCODE?" if unknown. */
const char *dns_answer_rcode_name(int rcode);

/**
 * Describe an answer in words for a detail line, e.g. "NOERROR, 1 A record,
 * AD set (validated, secure)" or "SERVFAIL; with CD: NOERROR, the data does
 * not validate (bogus)"; for DNS_ERROR, its detail. Returns the length.
 */
size_t dns_answer_describe(const struct dns_answer *answer, char *dst, size_t dstsize);

/**
 * Why an answer is a failure, for a line that reports it: the error detail
 * (DNS_ERROR) or the description (other classes), then the answer's Extended
 * DNS Errors, if any: "SERVFAIL; with CD: NOERROR, the data does not validate
 * (bogus); EDE 6 (DNSSEC Bogus): signature crypto failed". Returns the length.
 */
size_t dns_answer_failure(const struct dns_answer *answer, char *dst, size_t dstsize);

/**
 * The signer name of the first RRSIG in an answer (answer section first,
 * then authority), in presentation format, into dst; "" when there is none.
 * Returns dst.
 */
const char *dns_answer_signer(const struct dns_answer *answer, char *dst, size_t dstsize);

/**
 * The signing algorithm of the first RRSIG of an answer (answer section,
 * then authority), -1 when there is none.
 */
int dns_answer_algorithm(const struct dns_answer *answer);

/** An algorithm in words: "ECDSAP256SHA256 (13)", "unknown algorithm (200)". Returns dst. */
const char *dns_algorithm_text(int alg, char *dst, size_t dstsize);

#endif /* DANE_DNS_ANSWER_H */
