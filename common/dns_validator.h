/*
 * dns_validator.h -- --validate=local: DNSSEC validated on this host, by
 * libunbound, instead of trusting a resolver's AD flag.
 *
 * The resolvers of -r (or resolv.conf) become forwarders that only have to
 * pass DNSSEC data (DO, RRSIGs, DS and DNSKEY answers); with --recursive
 * there are none and libunbound resolves from the root (its own root hints,
 * or a --root-hints file). The trust anchor is a file of DS or DNSKEY records
 * (Debian's dns-root-data by default) or unbound's auto-trust-anchor file,
 * read here with ldns and handed to libunbound record by record: libunbound
 * never writes to it.
 *
 * The query engine (dns.h) hands a batch to dns_validator_batch() when the
 * struct dns_resolver carries a validator: every query goes to libunbound's
 * asynchronous API (its worker thread does the network), and the answers come
 * back through the pipe of each context, polled in one loop under the run's
 * deadline; what is pending at the deadline is cancelled. The answers are the
 * same struct dns_answer facts as through a validating resolver (secure,
 * insecure, bogus, nonexistent, error) with the packet libunbound built, plus
 * libunbound's why_bogus text (dns_answer.local, why_bogus). libunbound never
 * writes to stderr: its log goes nowhere.
 *
 * libunbound is not linked: dns_validator_new() opens it (unbound_load.h), so
 * a run without --validate=local does not load it, and a host without it
 * fails here (DNS_VALIDATOR_LIBRARY), not at the start of every plugin.
 *
 * One libunbound context per forwarder set: one for "any forwarder" (and for
 * --recursive), and one per resolver when a query names its server (the
 * second opinion of check_dnssec_resolver). Contexts are made on first use
 * and kept (with their caches) until dns_validator_free().
 */
#ifndef DANE_DNS_VALIDATOR_H
#define DANE_DNS_VALIDATOR_H

#include <stdbool.h>
#include <stddef.h>

#include <ldns/ldns.h>

#include "deadline.h"
#include "dns.h"
#include "unbound_load.h"

/** The trust anchor file read when --trust-anchor is not given (configure --with-trust-anchor). */
#define DNS_VALIDATOR_DEFAULT_ANCHOR DNS_DEFAULT_TRUST_ANCHOR

/** Most DS/DNSKEY records taken from a trust anchor file. */
#define DNS_VALIDATOR_MAX_ANCHORS 16

/** Largest trust anchor or root hints file read, in bytes. */
#define DNS_VALIDATOR_MAX_FILE (1024 * 1024)

/** Room for the name of a file in struct dns_validator_failure (longer names are cut). */
#define DNS_VALIDATOR_FILE_MAX 256

/** How a plugin validates DNSSEC: --validate=resolver|local and its options. */
struct dns_validator_config {
	const char *trust_anchor; /* --trust-anchor FILE, NULL: DNS_VALIDATOR_DEFAULT_ANCHOR */
	bool recursive;           /* --recursive: no forwarders, resolve from the root */
	const char *root_hints;   /* --root-hints FILE (with recursive), NULL: built-in */
	const char *library;      /* the libunbound to open, NULL: UNBOUND_SONAME (the plugins);
				     tests name one that is missing or is another library */
};

/** Why the validator could not be set up (struct dns_validator_failure.problem). */
enum dns_validator_problem {
	DNS_VALIDATOR_OK = 0,
	DNS_VALIDATOR_UNREADABLE,   /* the file cannot be opened or read: sys */
	DNS_VALIDATOR_TOO_BIG,      /* the file is larger than DNS_VALIDATOR_MAX_FILE */
	DNS_VALIDATOR_SYNTAX,       /* a line that is no DNS record: line */
	DNS_VALIDATOR_NO_ANCHOR,    /* no usable DS or DNSKEY record: unusable were skipped */
	DNS_VALIDATOR_TOO_MANY,     /* more than DNS_VALIDATOR_MAX_ANCHORS usable records */
	DNS_VALIDATOR_NO_HINTS,     /* root hints without an NS record for "." and an address */
	DNS_VALIDATOR_NO_FORWARDER, /* not recursive, and no resolver to forward to */
	DNS_VALIDATOR_MEMORY,       /* out of memory */
	DNS_VALIDATOR_LIBRARY,      /* libunbound cannot be loaded: lib */
};

/** The facts of a failed set-up; words_dns_validator_failure() says them. */
struct dns_validator_failure {
	enum dns_validator_problem problem;
	bool hints;                        /* the --root-hints file, else the trust anchor file */
	char file[DNS_VALIDATOR_FILE_MAX]; /* the file, as given */
	int sys;                           /* UNREADABLE: errno */
	unsigned long line;                /* SYNTAX: the line (from 1) */
	size_t unusable; /* NO_ANCHOR: records skipped (revoked, unsupported algorithm or
			    digest, not a VALID or MISSING key of an auto-trust-anchor file) */
	struct unbound_lib_failure lib; /* LIBRARY: the library, dlerror()'s text */
};

/** The usable trust anchors of a file, ready for libunbound. */
struct dns_validator_anchors {
	char *text[DNS_VALIDATOR_MAX_ANCHORS];      /* each record in presentation format */
	ldns_rdf *owner[DNS_VALIDATOR_MAX_ANCHORS]; /* its owner name */
	size_t n;
	size_t unusable; /* records skipped */
};

struct dns_validator;

/**
 * Read the trust anchors of path: DS and DNSKEY records, one a line (as in
 * /usr/share/dns/root.key, ldns-key2ds or dig output), comments and other
 * record types ignored; in unbound's auto-trust-anchor file (first line
 * "; autotrust trust anchor file") only the keys in state VALID or MISSING.
 * Revoked keys, keys without the zone key flag, unsupported algorithms and
 * DS digest types are skipped. Returns 0, or -1 with why filled (at least one
 * usable record is needed). Free with dns_validator_anchors_clear().
 */
int dns_validator_read_anchors(const char *path, struct dns_validator_anchors *out,
			       struct dns_validator_failure *why);

/** Free what dns_validator_read_anchors() stored (not the struct). */
void dns_validator_anchors_clear(struct dns_validator_anchors *a);

/**
 * Check a root hints file: records one a line, at least one NS record for
 * the root and one A or AAAA record. Returns 0, or -1 with why filled.
 */
int dns_validator_check_hints(const char *path, struct dns_validator_failure *why);

/**
 * A validator for cfg, forwarding to the servers of forwarders (copied; not
 * used with cfg->recursive). Reads and checks the trust anchor and root hints
 * files now, then opens libunbound (a missing one after the files and the
 * forwarders: DNS_VALIDATOR_LIBRARY); no network, no thread yet. Returns NULL
 * with why filled.
 */
struct dns_validator *dns_validator_new(const struct dns_validator_config *cfg,
					const struct dns_resolver *forwarders,
					struct dns_validator_failure *why);

/** Stop libunbound's workers, close libunbound and free everything (NULL: nothing). */
void dns_validator_free(struct dns_validator *v);

/** Does v resolve from the root itself (--recursive)? */
bool dns_validator_recursive(const struct dns_validator *v);

/** The trust anchor file v was made from. */
const char *dns_validator_anchor_file(const struct dns_validator *v);

/**
 * The owner of the closest trust anchor at or above name (presentation
 * format), into dst: "." for the root key, "test." for a lab's anchor.
 * Returns dst, or NULL when no anchor covers name.
 */
const char *dns_validator_anchor_of(const struct dns_validator *v, const char *name, char *dst,
				    size_t dstsize);

/**
 * Resolve and validate the queries through libunbound under dl (see above);
 * every query gets an answer. A query naming a server (q->server >= 0) goes
 * to that forwarder alone (unless recursive). Returns 0, or -1 when nothing
 * could start (every answer says why). Called by dns_query_batch().
 */
int dns_validator_batch(struct dns_validator *v, struct dns_query *queries, size_t n,
			struct deadline *dl);

struct ub_result;

/**
 * The answer of a query of type qtype from what libunbound returned: err (0,
 * or a UB_* error), the result r (may be NULL with err); recursive says how it
 * was resolved (for the words of a failure). Takes nothing from r: the caller
 * frees r. Fills a (zeroed or reset by the engine) except its rtt.
 */
void dns_validator_answer(struct dns_answer *a, ldns_rr_type qtype, int err,
			  const struct ub_result *r, bool recursive);

#endif /* DANE_DNS_VALIDATOR_H */
