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
 * ancestor answer carries signatures, nothing can be shown.
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
	DNS_TRUST_VALIDATES,         /* signed data came back with AD */
	DNS_TRUST_DOES_NOT_VALIDATE, /* signed data came back without AD */
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
 * Ask res (one batch, under dl) for the DS of start and its ancestors and
 * judge. start: the signer of the unvalidated answer's RRSIG when it had one
 * (the zone apex), else the queried name. Returns the verdict (also in out).
 */
enum dns_trust dns_trust_check(const struct dns_resolver *res, const char *start,
			       struct deadline *dl, struct dns_trust_result *out);

#endif /* DANE_DNS_TRUST_H */
