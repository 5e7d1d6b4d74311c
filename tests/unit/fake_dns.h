/*
 * fake_dns.h -- a scripted DNS server for unit tests: a thread on 127.0.0.1
 * (UDP and TCP on one port) that answers each query the way a test tells it
 * to, and notes what it saw.
 *
 * Every name gets "A 192.0.2.7" (owner: the query name); the mode twists
 * that. fake_start() and fake_stop() fail the running Check test on error.
 */
#ifndef DANE_FAKE_DNS_H
#define DANE_FAKE_DNS_H

#include <pthread.h>
#include <stdbool.h>

/** How the fake answers. */
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
};

/** A running fake: its port, and what it saw (read that once the queries
 * are answered, before fake_stop()). */
struct fake {
	enum fake_mode mode;
	int udp, tcp, stop[2];
	unsigned int port;
	pthread_t thread;
	/* what the server saw */
	int queries;
	int tcp_queries;
	bool saw_do, saw_cd;
	unsigned int edns_size;
};

/** Start a fake in the given mode on a free port. Returns it (never NULL). */
struct fake *fake_start(enum fake_mode mode);

/** Stop the fake's thread, close its sockets and free it. */
void fake_stop(struct fake *f);

#endif /* DANE_FAKE_DNS_H */
