/*
 * fake_dns.h -- a scripted DNS server for the unit tests: a thread on
 * 127.0.0.1 (UDP and TCP on one port) that answers each query the way a test
 * tells it to, in one mode for every query or from a table of answers per
 * name and type (FAKE_ZONE).
 */
#ifndef DANE_TEST_FAKE_DNS_H
#define DANE_TEST_FAKE_DNS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include <ldns/ldns.h>

#include "dns.h"

/** How the server answers every query. */
enum fake_mode {
	FAKE_SECURE,    /* A record, AD */
	FAKE_INSECURE,  /* A record, no AD */
	FAKE_NXDOMAIN,  /* NXDOMAIN, AD */
	FAKE_NODATA,    /* NOERROR without answer, no AD */
	FAKE_BOGUS,     /* SERVFAIL, but the data with CD */
	FAKE_SERVFAIL,  /* SERVFAIL always */
	FAKE_REFUSED,   /* REFUSED */
	FAKE_TRUNCATED, /* TC over UDP, the answer (AD) over TCP */
	FAKE_GARBAGE,   /* bytes that are no DNS message */
	FAKE_WRONG_ID,  /* a reply with another ID: must be ignored */
	FAKE_SILENT,    /* reads and never answers */
	FAKE_ZONE,      /* from the table given to fake_start_zone() */
};

/** How a FAKE_ZONE server answers one name and type. */
enum fake_how {
	FAKE_DATA_SECURE = 1,   /* the records, AD */
	FAKE_DATA_INSECURE,     /* the records, no AD */
	FAKE_DATA_BOGUS,        /* SERVFAIL; the records when asked with CD */
	FAKE_NODATA_SECURE,     /* NOERROR, no records, AD (the default) */
	FAKE_NODATA_INSECURE,   /* NOERROR, no records, no AD */
	FAKE_NXDOMAIN_SECURE,   /* NXDOMAIN, AD */
	FAKE_NXDOMAIN_INSECURE, /* NXDOMAIN, no AD */
	FAKE_FAIL,              /* SERVFAIL, also with CD */
};

/** Most records in one scripted answer. */
#define FAKE_MAX_RRS 128

/** One scripted answer of a FAKE_ZONE server. */
struct fake_rrset {
	const char *name; /* the query name, absolute: "mx.example.test." */
	ldns_rr_type type;
	enum fake_how how;
	const char *rrs[FAKE_MAX_RRS + 1]; /* answer records, presentation form; NULL ends */
};

/** A running fake server and what it saw. */
struct fake {
	enum fake_mode mode;
	const struct fake_rrset *zone; /* FAKE_ZONE: the answers; others: secure NODATA */
	size_t nzone;
	int udp, tcp, stop[2];
	unsigned int port;
	pthread_t thread;
	/* what the server saw */
	int queries;
	int tcp_queries;
	bool saw_do, saw_cd;
	unsigned int edns_size;
};

/** Start a server in the given mode (not FAKE_ZONE). Stop it with fake_stop(). */
struct fake *fake_start(enum fake_mode mode);

/**
 * Start a FAKE_ZONE server answering from zone (not copied: it must outlive
 * the server). Queries not in zone get a secure NODATA answer; answers
 * larger than DNS_EDNS_SIZE are truncated over UDP and sent whole over TCP.
 */
struct fake *fake_start_zone(const struct fake_rrset *zone, size_t nzone);

/** Stop the server and free it. */
void fake_stop(struct fake *f);

/** Add the server to res as "127.0.0.1@PORT". */
void fake_add_to(const struct fake *f, struct dns_resolver *res);

#endif /* DANE_TEST_FAKE_DNS_H */
