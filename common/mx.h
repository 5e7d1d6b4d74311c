/*
 * mx.h -- the facts of the MX walk: from a mail domain to what a DANE SMTP
 * client acts on (RFC 7672 section 2.2): the MX RRset and its security, null
 * MX (RFC 7505), the implicit MX, each host's addresses and their security,
 * the TLSA base domain (CNAME-expanded name first, then the original name),
 * and the TLSA RRset with its security and per-record verdicts.
 *
 * Facts only: what the facts mean for the operator (states, lines) is the
 * verdict module's job (verdict.h). All lookups of one stage run concurrently
 * (one DNS batch per stage), so a domain costs a few round trips whatever the
 * number of hosts.
 */
#ifndef DANE_MX_H
#define DANE_MX_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <time.h>

#include "deadline.h"
#include "dns.h"
#include "dns_trust.h"
#include "tlsa.h"

/** Most MX hosts looked at, most addresses per host. */
#define MX_MAX_HOSTS 32
#define MX_MAX_ADDRS 16
/** Room for a domain name in presentation format. */
#define MX_NAME_MAX 1040 /* 255 octets, each escaped as \DDD in presentation form */

/** What the MX lookup of a domain found. */
enum mx_status {
	MX_FOUND,    /* a secure MX RRset */
	MX_IMPLICIT, /* no MX (securely): the domain itself is the host */
	MX_HOSTS,    /* hosts given on the command line, no MX lookup */
	MX_NULL,     /* null MX "0 ." (RFC 7505): the domain accepts no mail */
	MX_INSECURE, /* the MX RRset is not DNSSEC-signed: DANE does not apply */
	MX_BOGUS,    /* the MX RRset does not validate */
	MX_NXDOMAIN, /* the domain does not exist */
	MX_ERROR,    /* no answer (timeout, SERVFAIL, ...) */
};

/** How mx_walk() ended. */
enum mx_walk_end {
	MX_WALK_HOSTS,  /* hosts to check: their addresses and TLSA records are in */
	MX_WALK_DOMAIN, /* the domain-level outcome ends the check (null MX, insecure, ...) */
	MX_WALK_INPUT,  /* invalid domain or host name, or out of memory (r->local) */
	MX_WALK_MEMORY, /* out of memory while resolving the hosts */
};

/** Room for the words of a DNS failure, Extended DNS Errors included. */
#define MX_DETAIL_MAX 640

/** A failure on our side, before or beside DNS (struct mx_result.local). */
enum mx_local {
	MX_LOCAL_NONE = 0,
	MX_LOCAL_DOMAIN_NAME, /* the domain is no valid name: local_name */
	MX_LOCAL_HOST_NAME,   /* a host name is no valid name: local_name */
	MX_LOCAL_MEMORY,      /* out of memory */
};

/** Room for the invalid name of MX_LOCAL_*_NAME (its first 100 bytes are kept). */
#define MX_LOCAL_NAME_MAX 101

/**
 * Whether the resolver validates (dns_trust.h), judged by mx_walk() when an
 * answer came back without AD: through a resolver that does not validate,
 * "not DNSSEC-signed" says nothing about the domain. With --validate=local,
 * judged when an answer came back bogus or failed: whether the forwarders
 * pass DNSSEC data (result.local, result.fault).
 */
struct mx_trust {
	char start[MX_NAME_MAX]; /* the first unvalidated answer's RRSIG signer, else its name;
				    "" when every answer was validated */
	bool signed_data;        /* that answer carried RRSIGs (signed data without AD) */
	int algorithm;           /* the algorithm of those RRSIGs, -1 when none */
	char resolver[96];       /* the resolver that gave it ("127.0.0.1@5353") */
	/* --validate=local: the first bogus or failed answer's signer, else its name: where
	 * the forwarder check starts ("" when none); start is then the first insecure one */
	char check[MX_NAME_MAX];
	struct dns_trust_result result; /* DNS_TRUST_UNKNOWN when not judged or nothing shown */
	bool expired;                   /* the check ran out of time before it could judge */
	unsigned int seconds;           /* expired: the deadline's seconds (-t) */
};

/** One address of an MX host. */
struct mx_addr {
	struct sockaddr_storage ss;
	socklen_t len;
	char text[64]; /* "192.0.2.1", "2001:db8::1" */
};

/** One MX host and what DNS says about it. */
struct mx_host {
	char name[MX_NAME_MAX];     /* as published in the MX record (absolute) */
	int preference;             /* MX preference, -1 when not from an MX record */
	bool implicit;              /* no MX records: the domain itself (RFC 5321 5.1) */
	char expanded[MX_NAME_MAX]; /* CNAME-expanded name, "" when no CNAME */

	enum dns_class addr_class; /* SECURE, INSECURE, BOGUS, NONEXISTENT, ERROR */
	/* the last address answer that was bogus or failed (its cls says which); all zero
	 * (DNS_SECURE) when none was */
	struct dns_outcome addr_problem;
	struct mx_addr addrs[MX_MAX_ADDRS];
	size_t naddrs;
	bool addrs_truncated; /* more than MX_MAX_ADDRS */

	bool tlsa_looked_up;               /* false when the addresses made DANE inapplicable */
	char tlsa_base[MX_NAME_MAX];       /* TLSA base domain used */
	char tlsa_qname[MX_NAME_MAX + 16]; /* "_25._tcp.<base>" */
	bool tlsa_base_fallback;           /* expanded name had no TLSA, original name used */
	enum dns_class tlsa_class;         /* SECURE, INSECURE, BOGUS, NONEXISTENT, ERROR */
	bool tlsa_denial_secure;           /* NONEXISTENT: the denial validated */
	struct dns_outcome tlsa_answer;    /* the TLSA answer (the fallback's, if one was asked) */
	struct tlsa_set tlsa;              /* the records and their verdicts */
	char tlsa_zone[MX_NAME_MAX];       /* the zone of the TLSA answer (its RRSIG signer), "" */

	time_t sig_expire; /* earliest RRSIG expiration seen (0: none) */
};

/** The result of walking a domain (or a list of hosts). */
struct mx_result {
	enum mx_status status;
	char domain[MX_NAME_MAX];
	enum mx_local local;                /* a failure on our side (MX_WALK_INPUT) */
	char local_name[MX_LOCAL_NAME_MAX]; /* MX_LOCAL_*_NAME: the name as given, cut */
	struct dns_outcome answer;          /* the MX answer (mx_lookup()) */
	struct mx_host *hosts;              /* sorted by preference, then name */
	size_t nhosts;
	size_t hosts_ignored;      /* MX records beyond MX_MAX_HOSTS */
	bool null_mixed;           /* a "." exchange next to real ones (RFC 7505 violation) */
	time_t sig_expire;         /* earliest RRSIG expiration of the MX RRset (0: none) */
	struct mx_trust trust;     /* does the resolver validate? (when an answer had no AD) */
	char mx_zone[MX_NAME_MAX]; /* the zone of the MX answer (its RRSIG signer), "" */
};

/**
 * Look up the MX RRset of domain and classify it (sets status, answer,
 * hosts). Returns 0, or -1 on a local failure (out of memory, invalid name)
 * with the reason in r->local.
 */
int mx_lookup(const struct dns_resolver *res, const char *domain, struct deadline *dl,
	      struct mx_result *r);

/**
 * Fill r's hosts from a secure MX RRset (status MX_FOUND, or MX_NULL for a
 * null MX): duplicates merged, "." exchanges noted, sorted by preference
 * then name, at most MX_MAX_HOSTS. Returns 0, or -1 when out of memory.
 */
int mx_take_rrset(struct mx_result *r, const ldns_rr_list *mxs);

/**
 * The canonical form of a domain name: absolute, lower case, presentation
 * format ("Example.ORG" -> "example.org."). Returns 0, or -1 when in is no
 * domain name or its form does not fit in outsize.
 */
int mx_canonical_name(const char *in, char *out, size_t outsize);

/**
 * Fill ad from the rdata f of an A (4 bytes) or AAAA (16 bytes) record of
 * type: the socket address and its text. Returns false, ad zeroed, for any
 * other type or length.
 */
bool mx_addr_from_rdf(struct mx_addr *ad, ldns_rr_type type, const ldns_rdf *f);

/**
 * Use the given host names instead of an MX lookup (status MX_HOSTS).
 * Returns 0, or -1 (invalid name, out of memory) with the reason in r->local.
 */
int mx_from_hosts(const char *const *names, size_t n, struct mx_result *r);

/**
 * For every host: addresses (A and/or AAAA per family: AF_UNSPEC, AF_INET,
 * AF_INET6) with their security and CNAME expansion, then the TLSA RRset
 * under the RFC 7672 base-domain rules for the given port. Hosts whose
 * addresses are not secure get no TLSA lookup (DANE does not apply).
 * Returns 0, or -1 when out of memory.
 */
int mx_resolve(const struct dns_resolver *res, struct mx_result *r, int family, unsigned int port,
	       struct deadline *dl);

/**
 * The facts the MX-based plugins start from: the MX lookup of domain (or the
 * given host names when domain is NULL) and, when there are hosts to check,
 * mx_resolve(). Returns how the walk ended; r is always initialized: free it
 * with mx_result_clear(). verdict_walk() says what the ending means.
 */
enum mx_walk_end mx_walk(const struct dns_resolver *res, const char *domain,
			 const char *const *hosts, size_t nhosts, int family, unsigned int port,
			 struct deadline *dl, struct mx_result *r);

/** What a status line names: the domain, or "MX hosts" for -H. */
const char *mx_target(const struct mx_result *r);

/** Free what a result holds. */
void mx_result_clear(struct mx_result *r);

/**
 * True when the answers without AD cannot be judged through the resolver
 * (r->trust): it was shown not to validate DNSSEC, or whether it validates
 * could not be told (a DS query failed).
 */
bool mx_resolver_blind(const struct mx_result *r);

/** True when a host has secure, usable TLSA records (DANE applies). */
bool mx_host_dane_usable(const struct mx_host *h);

#endif /* DANE_MX_H */
