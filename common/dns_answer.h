/*
 * dns_answer.h -- what one DNS answer says: its DNSSEC class, the facts of
 * why it failed, its records, its earliest RRSIG expiry; and its outcome
 * without the packet (struct dns_outcome), for those who keep it. The words
 * shown to the operator are made from these facts in words_dns.h.
 *
 * The query engine (dns.h) fills a struct dns_answer; the answer owns its
 * packet, which dns_answer_clear() releases. Nothing here does I/O.
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

/** What ended a query without a usable answer (DNS_ERROR): the facts behind enum dns_error. */
enum dns_fail {
	DNS_FAIL_NONE = 0,
	DNS_FAIL_NO_RESOLVER,    /* no server configured (DNS_ERR_LOCAL) */
	DNS_FAIL_NO_SUCH_SERVER, /* the query named a server beyond the list (DNS_ERR_LOCAL) */
	DNS_FAIL_QUERY_NAME,     /* the name does not parse: name (DNS_ERR_LOCAL) */
	DNS_FAIL_BUILD,          /* the query with CD could not be built (DNS_ERR_LOCAL) */
	DNS_FAIL_MEMORY,         /* out of memory (DNS_ERR_LOCAL) */
	DNS_FAIL_POLL,           /* poll() failed: sys (DNS_ERR_LOCAL) */
	DNS_FAIL_TIMEOUT,        /* the deadline passed: seconds, stage, queued (DNS_ERR_TIMEOUT) */
	DNS_FAIL_SEND,           /* UDP: no socket, or send() failed: sys (DNS_ERR_UNREACHABLE) */
	DNS_FAIL_RECV,           /* UDP: recv() failed: sys (DNS_ERR_UNREACHABLE) */
	DNS_FAIL_TCP_CONNECT,    /* the TCP fallback could not connect: sys (DNS_ERR_UNREACHABLE) */
	DNS_FAIL_TCP_IO,         /* TCP: write or read failed: sys (DNS_ERR_UNREACHABLE) */
	DNS_FAIL_TCP_CLOSED,     /* the server closed the TCP connection mid-answer (MALFORMED) */
	DNS_FAIL_TCP_SHORT,      /* a TCP length prefix shorter than a DNS header (MALFORMED) */
	DNS_FAIL_MALFORMED,      /* a reply that does not parse: tcp (DNS_ERR_MALFORMED) */
	DNS_FAIL_MISMATCH,       /* a reply over TCP to another question (DNS_ERR_MALFORMED) */
	DNS_FAIL_SERVFAIL,       /* SERVFAIL: cd_retry, authoritative (DNS_ERR_SERVFAIL) */
	DNS_FAIL_RCODE,          /* another error rcode: rcode, authoritative (REFUSED, RCODE) */
	DNS_FAIL_VALIDATOR,      /* libunbound could not resolve (--validate=local): ub_err
				    (DNS_ERR_LOCAL) */
};

/** Room for the query name of DNS_FAIL_QUERY_NAME (its first 100 bytes are kept). */
#define DNS_FAIL_NAME_MAX 101

/** Room for the stage of DNS_FAIL_TIMEOUT (as struct deadline's stage). */
#define DNS_FAIL_STAGE_MAX 160

/** The facts of a failure (DNS_ERROR); words_dns_error() says them. */
struct dns_failure {
	enum dns_fail kind;
	int sys;            /* errno: POLL, SEND, RECV, TCP_CONNECT, TCP_IO */
	int rcode;          /* RCODE, SERVFAIL: the rcode that ended it */
	bool tcp;           /* MALFORMED: the reply came over TCP */
	bool cd_retry;      /* SERVFAIL: to the re-ask with CD after a first SERVFAIL */
	bool authoritative; /* SERVFAIL, RCODE: an authoritative server was asked */
	bool local; /* SERVFAIL, RCODE: libunbound's answer (--validate=local), not a server's */
	bool recursive;       /* local: libunbound resolved from the root (--recursive) */
	int ub_err;           /* VALIDATOR: libunbound's error code (UB_NOMEM, UB_INITFAIL, ...) */
	unsigned int seconds; /* TIMEOUT: the deadline's seconds (-t) */
	bool queued;          /* TIMEOUT: the query never started (limit at once) */
	size_t limit;         /* TIMEOUT, queued: most queries under way at once */
	char stage[DNS_FAIL_STAGE_MAX]; /* TIMEOUT: what the run was doing (deadline_stage()) */
	char name[DNS_FAIL_NAME_MAX];   /* QUERY_NAME: the name as given, cut at 100 bytes */
};

/** Room for libunbound's why_bogus text of an answer (longer ones are cut: why_bogus_cut). */
#define DNS_WHY_BOGUS_MAX 400

/** The outcome of one query. */
struct dns_answer {
	enum dns_class cls;
	bool secure;             /* AD set (for DNS_NONEXISTENT: the denial validated) */
	bool nxdomain;           /* DNS_NONEXISTENT: NXDOMAIN rather than NODATA */
	enum dns_error error;    /* DNS_ERROR: why */
	struct dns_failure fail; /* DNS_ERROR: the facts of why */
	ldns_rr_type qtype;      /* the type asked */
	int rcode;               /* rcode of the (first) answer, -1 if none */
	double rtt;              /* seconds from the first send to the final answer */
	bool tcp;                /* the final answer came over TCP */
	bool aa;                 /* the final answer had AA (from an authoritative server) */
	int server;              /* index of the server that answered, -1 if none */
	ldns_pkt *pkt;           /* the final answer (the CD answer when bogus), or NULL */
	/* Extended DNS Errors of the last reply that carried any (for a bogus
	 * answer: of the SERVFAIL, not of the answer with CD) */
	struct dns_ede_list ede;
	/* --validate=local: the class is libunbound's validation, not a resolver's AD
	 * flag or SERVFAIL; a bogus answer's pkt is the data that failed */
	bool local;
	char why_bogus[DNS_WHY_BOGUS_MAX]; /* local, DNS_BOGUS: libunbound's why_bogus, raw */
	bool why_bogus_cut;                /* it was longer than DNS_WHY_BOGUS_MAX - 1 bytes */
};

/**
 * What an answer came to, without its packet: what its words are made from
 * (words_dns_outcome()), for those who keep it after the answer is freed.
 */
struct dns_outcome {
	enum dns_class cls;
	bool secure;             /* as in struct dns_answer */
	bool nxdomain;           /* as in struct dns_answer */
	enum dns_error error;    /* DNS_ERROR: why */
	struct dns_failure fail; /* DNS_ERROR: the facts of why */
	ldns_rr_type qtype;      /* the type asked (the answer's question, if it has one) */
	int final_rcode; /* rcode of the final answer (DNS_BOGUS: to the CD re-ask), -1: none */
	size_t nrecords; /* answer-section records of qtype */
	bool rrsigs;     /* the answer section carries RRSIG records */
	struct dns_ede_list ede;           /* as in struct dns_answer */
	bool local;                        /* as in struct dns_answer */
	char why_bogus[DNS_WHY_BOGUS_MAX]; /* as in struct dns_answer */
	bool why_bogus_cut;                /* as in struct dns_answer */
};

/** Free what an answer holds (not the struct itself). */
void dns_answer_clear(struct dns_answer *answer);

/** End an answer as DNS_ERROR, error, with the facts f of why (copied). */
void dns_answer_fail(struct dns_answer *answer, enum dns_error error, const struct dns_failure *f);

/** The outcome of an answer, without its packet, into *out. */
void dns_answer_outcome(const struct dns_answer *answer, struct dns_outcome *out);

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

#endif /* DANE_DNS_ANSWER_H */
