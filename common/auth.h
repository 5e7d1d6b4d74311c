/*
 * auth.h -- every authoritative server of a zone, asked directly: the NS
 * hosts of the zone and their addresses (through the resolver), then the SOA
 * and the RRsets that matter (MX, TLSA) from each server (RD clear, DO, TCP
 * on truncation), all at once; and how two servers' RRsets differ.
 *
 * A validating resolver asks one of the servers: when they disagree (a lost
 * NOTIFY, a failed transfer, a stale anycast node), a share of the world's
 * senders gets the stale data. These are the facts; verdict_auth() judges.
 */
#ifndef DANE_AUTH_H
#define DANE_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <ldns/ldns.h>

#include "deadline.h"
#include "dns.h"
#include "mx.h"

/** Most zones asked about in one run. */
#define AUTH_MAX_ZONES 8

/** Most server addresses asked, all zones together. */
#define AUTH_MAX_SERVERS DNS_MAX_SERVERS

/** Most questions per zone (the SOA, the MX RRset, a TLSA RRset per host). */
#define AUTH_MAX_QUESTIONS (2 + MX_MAX_HOSTS)

/** Most records kept of one RRset (more are counted). */
#define AUTH_MAX_RECORDS 64

/** How long authoritative servers get to answer, in ms (less when the deadline is nearer). */
#define AUTH_WAIT_MS 3000

/** The port authoritative servers listen on. */
#define AUTH_PORT 53

/** How one server answered one question. */
enum auth_status {
	AUTH_OK = 0,    /* an authoritative answer (AA): data, NODATA or NXDOMAIN */
	AUTH_NO_ANSWER, /* timeout, unreachable */
	AUTH_REFUSED,   /* REFUSED: the server does not serve the zone */
	AUTH_NOT_AA,    /* an answer without AA: the server is no authority for it */
	AUTH_ERROR,     /* SERVFAIL, another rcode, garbage */
};

/** Room for the owner name of AUTH_ERROR's foreign records (101 bytes of it are kept). */
#define AUTH_OWNER_MAX 102

/** One server's answer to one question. */
struct auth_answer {
	enum auth_status status;
	/* AUTH_NO_ANSWER, AUTH_REFUSED, AUTH_NOT_AA, AUTH_ERROR (unless foreign): the answer */
	struct dns_outcome answer;
	/* AUTH_ERROR: an answer with AA holding records of a name that has no business there */
	bool foreign;
	char foreign_owner[AUTH_OWNER_MAX]; /* foreign: the first such owner, as sent, cut */
	int rcode;                          /* of the answer, -1 if none */
	ldns_rr_list *rrs;   /* records of the type at the name, at most AUTH_MAX_RECORDS (owned) */
	size_t nrecords;     /* in the answer (may be more than kept) */
	time_t sig_expire;   /* earliest RRSIG expiration in the answer, 0 if none */
	uint32_t soa_serial; /* the serial, for an SOA question answered with data */
	bool has_serial;
};

/** One question: a name and a type (the SOA of the zone first). */
struct auth_question {
	char name[MX_NAME_MAX + 16];
	ldns_rr_type type;
};

/** Why the servers of a zone could not be asked. */
enum auth_zone_problem {
	AUTH_ZONE_OK = 0,     /* they were asked */
	AUTH_ZONE_NO_NS,      /* no NS records through the resolver: ns_answer */
	AUTH_ZONE_NO_ADDRESS, /* no address of its NS hosts through the resolver */
};

/** One zone, its servers, its questions and their answers. */
struct auth_zone {
	char name[MX_NAME_MAX];
	enum auth_zone_problem problem;
	struct dns_outcome ns_answer;    /* AUTH_ZONE_NO_NS: the NS answer through the resolver */
	size_t server[AUTH_MAX_SERVERS]; /* indexes into the result's servers */
	size_t nservers;
	size_t servers_left_out; /* addresses beyond AUTH_MAX_SERVERS */
	struct auth_question q[AUTH_MAX_QUESTIONS];
	size_t nq;
	struct auth_answer *answers; /* nservers x nq: answers[s * nq + i] (owned) */
};

/** One server address: its NS host name and the address. */
struct auth_server {
	char host[MX_NAME_MAX];
	char addr[64];
};

/** Every zone of a run. Initialize with memset 0; free with auth_result_clear(). */
struct auth_result {
	struct auth_zone zones[AUTH_MAX_ZONES];
	size_t nzones;
	size_t zones_left_out;
	struct auth_server servers[AUTH_MAX_SERVERS];
	struct dns_resolver res; /* the servers' addresses, port AUTH_PORT */
};

/** The difference between two servers' RRsets of one question. */
struct auth_diff {
	size_t lacks; /* records of ref that other lacks */
	size_t extra; /* records of other that ref lacks */
	char lacks_text[512],
	    extra_text[512]; /* the first of them, "3 1 1 ab12...", "; "-separated */
	bool ttl_differs;    /* same data, other TTL */
	uint32_t ttl_ref, ttl_other;
};

/**
 * Ask zone for the RRset (name, type), zone being the zone that holds it
 * (the signer of its RRSIG). The zone's SOA is asked first. Returns 0, or -1
 * when there is no room (more zones or questions than allowed: counted).
 */
int auth_plan(struct auth_result *a, const char *zone, const char *name, ldns_rr_type type);

/**
 * The questions of an MX walk: the MX RRset in r->mx_zone, each host's TLSA
 * RRset in its h->tlsa_zone. Returns the number of zones, 0 when none is
 * known (no signed answer to take it from).
 */
size_t auth_plan_walk(struct auth_result *a, const struct mx_result *r);

/**
 * Find the servers of every planned zone (their NS RRset and its hosts'
 * addresses of family, through res) and ask each server every question of
 * its zone, all at once, waiting at most AUTH_WAIT_MS (or the deadline).
 * Returns 0, or -1 when out of memory.
 */
int auth_collect(struct auth_result *a, const struct dns_resolver *res, int family,
		 struct deadline *dl);

/** Free what a result holds. */
void auth_result_clear(struct auth_result *a);

/** The answer of the zone's server s (0..nservers) to its question i. */
const struct auth_answer *auth_answer(const struct auth_zone *z, size_t s, size_t i);

/** The server of the zone's server slot s. */
const struct auth_server *auth_server(const struct auth_result *a, const struct auth_zone *z,
				      size_t s);

/**
 * Compare other's RRset with ref's, order-independent (owner names compared
 * without case; each record's rdata as text); records in both with another
 * TTL are a TTL difference, not a data difference. Fills d; returns true when
 * the data differ.
 */
bool auth_rrset_diff(const ldns_rr_list *ref, const ldns_rr_list *other, struct auth_diff *d);

/**
 * Does the zone's server s serve the record rd (the rdata of a TLSA record,
 * as text "3 1 1 <hex>") in its answer to question i?
 */
bool auth_serves(const struct auth_zone *z, size_t s, size_t i, const char *rdata_text);

/**
 * The servers (answering as an authority) of the zone asked for (name, type)
 * that serve none of the records whose rdata texts are given: named in who
 * ("ns2.example.org.[192.0.2.2], ..."). Returns how many; 0 also when the
 * question was not asked.
 */
size_t auth_lacking(const struct auth_result *a, const char *name, ldns_rr_type type,
		    const char *const *texts, size_t ntexts, char *who, size_t whosize);

/**
 * The servers of the zone asked for (name, type) that gave no usable answer
 * to it (no answer, a refusal, no AA...). Returns how many; 0 also when the
 * question was not asked.
 */
size_t auth_unanswered(const struct auth_result *a, const char *name, ldns_rr_type type);

/** The rdata of a record as text ("10 mx.example.org.", "3 1 1 ab12..."); malloc'd. */
char *auth_rdata_text(const ldns_rr *rr);

#endif /* DANE_AUTH_H */
