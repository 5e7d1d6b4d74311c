/*
 * dns_trust.h -- does the resolver validate DNSSEC? Judged, when an answer
 * came back without AD, from what it says about the name's ancestors, so
 * that a non-validating resolver is never mistaken for an unsigned domain.
 *
 * The test: ask the resolver for the DS RRset of the zone the answer came
 * from (the RRSIG's signer, else the name) and of each ancestor. The closest
 * of those answers that carries signatures (RRSIG, for the DS or for its
 * denial) decides: with AD, the resolver validates (the unsigned answer is
 * insecure for real: an unsigned zone, or an island of security without a DS
 * at its parent), unless it is a validated DS of the zone itself (a secure
 * delegation whose data the resolver did not validate: its algorithm, a
 * crypto policy); without AD, the resolver does not validate. When no
 * ancestor answer carries signatures, nothing can be shown; and when one of
 * the DS queries failed (SERVFAIL: a private trust anchor, a broken parent, a
 * resolver without a root), nothing can be told either (ds_failed): a failed
 * lookup says nothing about the DS.
 *
 * With --validate=local (res->validator) the answers' class is our own
 * validation, and the question is another one: does the forwarder pass
 * DNSSEC data? It is asked when an answer came back bogus or failed: each
 * forwarder is asked directly, with DO and CD, for the DNSKEY RRset of the
 * trust anchor above the name and for the DS RRset one label below it; their
 * records (or denial) must come with signatures, and a DS denial must come
 * from the parent zone. A forwarder that fails that is named
 * (DNS_TRUST_NO_DNSSEC_DATA): through it every answer looks bogus.
 */
#ifndef DANE_DNS_TRUST_H
#define DANE_DNS_TRUST_H

#include <stddef.h>

#include "deadline.h"
#include "dns.h"

/** Most names (the zone and its ancestors) asked about. */
#define DNS_TRUST_MAX_NAMES 8

/** What the resolver's answers show. */
enum dns_trust {
	DNS_TRUST_UNKNOWN = 0,       /* nothing signed to judge by (or no answers) */
	DNS_TRUST_VALIDATES,         /* signed data came back with AD (local: the forwarders
					pass DNSSEC data) */
	DNS_TRUST_DOES_NOT_VALIDATE, /* signed data came back without AD */
	DNS_TRUST_NO_DNSSEC_DATA,    /* local: a forwarder strips DNSSEC data (fault says how) */
};

/** How a forwarder fails to pass DNSSEC data (DNS_TRUST_NO_DNSSEC_DATA). */
enum dns_forwarder_fault {
	DNS_FWD_OK = 0,
	DNS_FWD_NO_ANSWER,  /* no answer at all (timeout, unreachable): nothing shown */
	DNS_FWD_UNSIGNED,   /* the records (or the denial) came without signatures (RRSIG) */
	DNS_FWD_NO_RECORDS, /* no DNSKEY RRset at a trust anchor (NODATA, NXDOMAIN) */
	DNS_FWD_FROM_CHILD, /* the DS denial came from the child zone (its own SOA) */
	DNS_FWD_FAILED,     /* the query got an error (SERVFAIL, REFUSED, garbage): answer */
};

/** Room for the name a verdict was judged by (a DNS name in presentation format). */
#define DNS_TRUST_NAME_MAX 1040

/** The verdict and the facts it was judged by (words_dns_trust() says them). */
struct dns_trust_result {
	enum dns_trust verdict;
	bool judged; /* dns_trust_judge() ran (else every field is zero) */
	/* the resolver validates others, not this zone (its algorithm, a policy) */
	bool zone_not_validated;
	/* the answer that decided (not DNS_TRUST_UNKNOWN): the DS of name, or its denial */
	char name[DNS_TRUST_NAME_MAX];
	bool denial;
	/* DNS_TRUST_UNKNOWN: the DS query of name failed (answer says how), so whether the
	 * resolver validates cannot be told */
	bool ds_failed;
	struct dns_outcome answer; /* ds_failed, DNS_FWD_FAILED: the failed answer */
	/* --validate=local: the forwarder check */
	bool local;
	enum dns_forwarder_fault fault; /* DNS_TRUST_NO_DNSSEC_DATA: how */
	ldns_rr_type fault_type;        /* the query that showed it: DNSKEY or DS (of name) */
	char forwarder[96];             /* the forwarder that failed ("127.0.0.1@5353") */
};

/**
 * The names to ask the DS of: start (a zone apex or any name, absolute,
 * presentation format), then each ancestor up to and including the top-level
 * label, at most DNS_TRUST_MAX_NAMES. Writes pointers into names[] that
 * point into start (valid while start is). Returns the count (0 for the root
 * or an empty name).
 */
size_t dns_trust_names(const char *start, const char **names, size_t max);

/**
 * Judge from the answers of DS queries for the zone and its ancestors,
 * closest first (see above). Fills out and returns the verdict.
 */
enum dns_trust dns_trust_judge(const struct dns_query *queries, size_t n,
			       struct dns_trust_result *out);

/**
 * Does answer a (from res) raise the question of trust? Through a resolver:
 * it came without AD (data or a denial). With --validate=local through
 * forwarders: it came back bogus or failed with an error rcode (SERVFAIL).
 */
bool dns_trust_question(const struct dns_resolver *res, const struct dns_answer *a);

/**
 * Judge one forwarder's answers (--validate=local): dnskey, the DNSKEY query
 * of the trust anchor; ds, the DS query of child (the name one label below
 * it; NULL when none was asked). Returns the fault (DNS_FWD_OK: it passes
 * DNSSEC data); for DNS_FWD_FAILED the failed answer goes to out->answer, and
 * out->fault_type says which query showed the fault.
 */
enum dns_forwarder_fault dns_trust_forwarder_judge(const struct dns_answer *dnskey,
						   const struct dns_answer *ds, const char *child,
						   struct dns_trust_result *out);

/**
 * Ask res (under dl) and judge. Through a resolver: the DS of start and its
 * ancestors, one at a time (above). With --validate=local through
 * forwarders: each forwarder, for the DNSKEY of the trust anchor above start
 * and the DS one label below it (above); with --recursive there is nothing
 * to ask (DNS_TRUST_UNKNOWN). start: the signer of the answer's RRSIG when it
 * had one (the zone apex), else the queried name. Returns the verdict (also in
 * out).
 */
enum dns_trust dns_trust_check(const struct dns_resolver *res, const char *start,
			       struct deadline *dl, struct dns_trust_result *out);

#endif /* DANE_DNS_TRUST_H */
