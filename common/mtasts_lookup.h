/*
 * mtasts_lookup.h -- the DNS side of MTA-STS discovery (RFC 8461 3.1, 3.3):
 * the TXT RRset at _mta-sts.<domain> and the addresses of the policy host
 * mta-sts.<domain>, in one batch of queries under the run's deadline,
 * through the plugin's resolver (-r), so that the policy fetch connects to
 * the addresses this resolver gives.
 *
 * Facts only: the answers' outcomes (dns_answer.h), how many TXT records
 * there are and how many begin with "v=STSv1", the STS records' bytes (their
 * strings concatenated, bounded), the addresses. DNSSEC does not matter to
 * MTA-STS: an unsigned answer counts as much as a signed one.
 */
#ifndef DANE_MTASTS_LOOKUP_H
#define DANE_MTASTS_LOOKUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "deadline.h"
#include "dns.h"
#include "mtasts.h"
#include "mx.h"

/** Most STS records kept (there must be one; more are counted). */
#define MTASTS_LOOKUP_RECORDS 4

/** Most addresses of the policy host kept. */
#define MTASTS_LOOKUP_ADDRS 8

/** One TXT record that begins with "v=STSv1". */
struct mtasts_record {
	uint8_t data[MTASTS_TXT_MAX + 1]; /* the first bytes of its strings, concatenated */
	size_t len;                       /* the whole record's length (may exceed data) */
};

/** What DNS says about a domain's MTA-STS. */
struct mtasts_lookup {
	char domain[MX_NAME_MAX];      /* the mail domain, canonical ("example.org.") */
	char txt_name[MX_NAME_MAX];    /* "_mta-sts.example.org." */
	char policy_host[MX_NAME_MAX]; /* "mta-sts.example.org" (no final dot: a URL host) */

	struct dns_outcome txt; /* the TXT answer */
	size_t txt_records;     /* TXT records in it */
	size_t sts_records;     /* of them, those that begin with "v=STSv1" */
	struct mtasts_record records[MTASTS_LOOKUP_RECORDS]; /* the first STS records */

	struct dns_outcome addr[2]; /* the A and AAAA answers (per -4/-6: naddr_queries) */
	size_t naddr_queries;
	struct mx_addr addrs[MTASTS_LOOKUP_ADDRS]; /* the policy host's addresses */
	size_t naddrs;
};

/**
 * Canonical form of a mail domain: lower case, absolute, presentation form.
 * Returns 0, or -1 for a name that is not a valid domain name (or ".").
 */
int mtasts_domain_name(const char *in, char *out, size_t outsize);

/**
 * Look up the TXT RRset of _mta-sts.<domain> and the A and/or AAAA records
 * (family AF_UNSPEC, AF_INET or AF_INET6) of mta-sts.<domain>, at once.
 * domain must be canonical (mtasts_domain_name()). Always fills *r.
 * Returns 0, or -1 when the queries could not be made (out of memory; the
 * outcomes then say why).
 */
int mtasts_lookup(const struct dns_resolver *res, const char *domain, int family,
		  struct deadline *dl, struct mtasts_lookup *r);

/**
 * The MX hosts of a domain whose MX RRset is not DNSSEC-signed (mx_walk()
 * ended with MX_INSECURE): MTA-STS applies all the same, DANE does not.
 * Asks for the MX RRset again and takes it as it is (no MX records: the
 * domain itself, RFC 5321 5.1), then resolves the hosts (mx_resolve(),
 * family and port as for mx_walk()). r keeps its domain and its facts about
 * the resolver's trust. Returns how the walk ends now.
 */
enum mx_walk_end mtasts_mx_unsigned(const struct dns_resolver *res, int family, unsigned int port,
				    struct deadline *dl, struct mx_result *r);

#endif /* DANE_MTASTS_LOOKUP_H */
