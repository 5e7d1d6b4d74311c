/*
 * dns.h -- the query engine: DNS queries to a validating resolver, under the
 * run's deadline, classified from a DNSSEC point of view.
 *
 * Queries are built and parsed with ldns but sent by this module, so that
 * every wait is bounded by the run's deadline: a batch of queries runs
 * concurrently (one poll loop), each with EDNS0 + DO, UDP retransmission
 * across the configured servers, TCP fallback on truncation, and a re-query
 * with CD on SERVFAIL to tell "bogus" (the data is there but does not
 * validate) from a plain server failure.
 *
 * With --validate=local (res->validator, dns_validator.h) a batch goes to
 * libunbound instead, which validates on this host with the servers as
 * forwarders (or from the root): the same answers, classified by its
 * validation rather than by a resolver's AD flag and SERVFAIL (cd, server and
 * authoritative then select the forwarder, as far as they apply).
 *
 * This header also brings in what every caller needs with it: the resolver
 * configuration (dns_resolver.h) and the answers (dns_answer.h).
 */
#ifndef DANE_DNS_H
#define DANE_DNS_H

#include <stdbool.h>
#include <stddef.h>

#include <ldns/ldns.h>

#include "deadline.h"
#include "dns_answer.h"
#include "dns_resolver.h"

/** Advertised EDNS0 UDP payload size (the DNS flag day 2020 value). */
#define DNS_EDNS_SIZE 1232

/** One query of a batch: name and type in, answer out. */
struct dns_query {
	const char *name; /* presentation format; relative names are made absolute */
	ldns_rr_type type;
	bool cd;    /* ask with CD from the start (no CD retry then) */
	int server; /* -1: any server, in order; else only servers[server] */
	/* ask an authoritative server (set server): RD clear, and a SERVFAIL is
	 * the server's failure (no CD retry) */
	bool authoritative;
	struct dns_answer answer;
};

/**
 * Run queries concurrently against res until all are answered or the
 * deadline passes; every query gets an answer (DNS_ERROR on failure). With
 * res->validator set, libunbound answers them (dns_validator_batch()).
 * Returns 0, or -1 if the batch could not start (every answer then says why).
 * Free each answer with dns_answer_clear().
 */
int dns_query_batch(const struct dns_resolver *res, struct dns_query *queries, size_t n,
		    struct deadline *dl);

/** One query; the answer is written to *answer. Returns as dns_query_batch(). */
int dns_query(const struct dns_resolver *res, const char *name, ldns_rr_type type,
	      struct deadline *dl, struct dns_answer *answer);

#endif /* DANE_DNS_H */
