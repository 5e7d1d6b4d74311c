/*
 * dns.h -- DNS queries to a validating resolver, with DNSSEC classification.
 *
 * Queries are built and parsed with ldns but sent by this module, so that
 * every wait is bounded by the run's deadline: a batch of queries runs
 * concurrently (one poll loop), each with EDNS0 + DO, UDP retransmission
 * across the configured servers, TCP fallback on truncation, and a re-query
 * with CD on SERVFAIL to tell "bogus" (the data is there but does not
 * validate) from a plain server failure.
 */
#ifndef DANE_DNS_H
#define DANE_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <time.h>

#include <ldns/ldns.h>

#include "deadline.h"

/** Most resolver addresses used. */
#define DNS_MAX_SERVERS 8

/** Advertised EDNS0 UDP payload size (the DNS flag day 2020 value). */
#define DNS_EDNS_SIZE 1232

/** One resolver address. */
struct dns_server {
	struct sockaddr_storage addr;
	socklen_t addrlen;
	char name[96]; /* "192.0.2.1", "2001:db8::1@5353" */
};

/** The resolvers to ask, in order. */
struct dns_resolver {
	struct dns_server servers[DNS_MAX_SERVERS];
	size_t nservers;
};

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
	int server;           /* index of the server that answered, -1 if none */
	char detail[192];     /* for DNS_ERROR: what went wrong, in words */
	ldns_pkt *pkt;        /* the final answer (the CD answer when bogus), or NULL */
};

/** One query of a batch: name and type in, answer out. */
struct dns_query {
	const char *name; /* presentation format; relative names are made absolute */
	ldns_rr_type type;
	bool cd;    /* ask with CD from the start (no CD retry then) */
	int server; /* -1: any server, in order; else only servers[server] */
	struct dns_answer answer;
};

/**
 * Add a resolver address "ADDR" or "ADDR@PORT" (IPv4 or IPv6 literal).
 * Returns 0, or -1 with a message in err.
 */
int dns_resolver_add(struct dns_resolver *res, const char *spec, unsigned int default_port,
		     char *err, size_t errsize);

/**
 * Fill res from the "nameserver" lines of a resolv.conf file, keeping only
 * addresses of the given family (AF_UNSPEC: all). Returns 0, or -1 with a
 * message in err (unreadable file, no nameserver).
 */
int dns_resolver_from_resolv_conf(struct dns_resolver *res, const char *path, unsigned int port,
				  int family, char *err, size_t errsize);

/**
 * The resolver a plugin asks: spec ("ADDR[@PORT]", from -r) when given,
 * else the nameservers of resolv_conf. Returns 0, or -1 with err.
 */
int dns_resolver_setup(struct dns_resolver *res, const char *spec, const char *resolv_conf,
		       char *err, size_t errsize);

/**
 * Run queries concurrently against res until all are answered or the
 * deadline passes; every query gets an answer (DNS_ERROR on failure).
 * Returns 0, or -1 if the batch could not start (every answer then says why).
 * Free each answer with dns_answer_free().
 */
int dns_query_batch(const struct dns_resolver *res, struct dns_query *queries, size_t n,
		    struct deadline *dl);

/** One query; the answer is written to *answer. Returns as dns_query_batch(). */
int dns_query(const struct dns_resolver *res, const char *name, ldns_rr_type type,
	      struct deadline *dl, struct dns_answer *answer);

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

/**
 * Describe an answer in words for a detail line, e.g. "NOERROR, 1 record,
 * AD (secure)" or "SERVFAIL; with CD: NOERROR, data does not validate
 * (bogus)". Returns the length.
 */
size_t dns_answer_describe(const struct dns_answer *answer, char *dst, size_t dstsize);

#endif /* DANE_DNS_H */
