/*
 * verdict_mta_sts.h -- what the two kinds of senders conclude about a mail
 * domain that publishes an MTA-STS policy (RFC 8461) and maybe TLSA records
 * (RFC 7672): senders that validate DANE use the TLSA records of a host
 * that has usable, DNSSEC-secure ones and ignore the policy for it (RFC
 * 8461 section 2); the others (Gmail validates MTA-STS, not DANE) apply the
 * policy and need a WebPKI-valid certificate for the MX host name. A
 * breakage that hits either kind is a breakage (the share is named).
 *
 * Facts in (mtasts_lookup.h, mtasts.h, mtasts_fetch.h, mx.h, probe.h,
 * pkix.h), findings out (finding_codes.h, section verdict_mta_sts.c), with
 * their words from words_mtasts.h, words_conn.h and words_dns.h.
 */
#ifndef DANE_VERDICT_MTA_STS_H
#define DANE_VERDICT_MTA_STS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "mtasts.h"
#include "mtasts_fetch.h"
#include "mtasts_lookup.h"
#include "mx.h"
#include "output.h"
#include "pkix.h"
#include "probe.h"
#include "range.h"

/** The facts of one run, as far as it got. Nothing is owned. */
struct mta_sts_facts {
	const struct mtasts_lookup *dns;    /* the TXT and policy host lookups (always) */
	const struct mtasts_txt *txt;       /* the STS record parsed (when there is one) */
	const struct mtasts_fetch *fetch;   /* NULL: not fetched */
	unsigned int policy_port;           /* the port it was fetched from (443) */
	const struct mtasts_policy *policy; /* NULL: not parsed (the fetch failed) */
	const struct mx_result *mx;         /* NULL: not walked */
	bool mx_insecure;                   /* the MX RRset is not signed: DANE does not apply */
	const struct probe_batch *batch;    /* NULL: not probed */
	const struct pkix_result *pkix;     /* batch->n results, pkix[i] of batch->results[i] */
	time_t now;                         /* dates certificates */
};

/** What the verdicts add up to, for the status line and the perfdata. Zero it first. */
struct verdict_mta_sts_counts {
	enum mtasts_mode mode;   /* of a valid policy, else MTASTS_MODE_UNSET */
	bool has_max_age;        /* a valid policy was fetched */
	unsigned long max_age;   /* its max_age */
	size_t hosts;            /* MX hosts */
	size_t covered;          /* of them, matched by an mx pattern */
	size_t addresses;        /* addresses probed */
	size_t failed_addresses; /* addresses where some kind of sender fails */
	size_t pkix_valid;       /* (address, certificate type) pairs: WebPKI-valid */
	size_t pkix_failed;      /* pairs whose certificate is not (or no handshake) */
	size_t dane_verified;    /* pairs of DANE hosts that DANE verified */
	bool has_days;           /* a leaf certificate's dates were read */
	double min_days;         /* fewest days left of the leaf certificates */
};

/**
 * The discovery: the TXT lookup of _mta-sts.<domain> and its records. No
 * STS record: OK "no MTA-STS policy"; a failed lookup, several STS records
 * or one that does not parse: CRITICAL; one valid record: its OK line
 * (from -v on). Returns true when there is a policy to fetch.
 */
bool verdict_mta_sts_discovery(const struct mta_sts_facts *f, struct output *out);

/**
 * The policy fetch and the policy: CRITICAL with the reason when it cannot
 * be used (no address, connection, certificate, status, redirect, media
 * type, size, syntax); else an OK line with the policy, a WARNING for a
 * max_age under a day and for a repeated field. Sets c->mode, max_age.
 */
void verdict_mta_sts_policy(const struct mta_sts_facts *f, struct output *out,
			    struct verdict_mta_sts_counts *c);

/**
 * The MX hosts against the policy: each host's mx pattern (OK, -v) or none
 * (by mode: enforce CRITICAL, testing WARNING, none OK; WARNING without a
 * valid policy), hosts without addresses, and a WARNING when the resolver
 * does not validate (the DANE side cannot be judged). Adds to c.
 */
void verdict_mta_sts_hosts(const struct mta_sts_facts *f, struct output *out,
			   struct verdict_mta_sts_counts *c);

/**
 * Every probe of f->batch: per address and certificate type what the two
 * kinds of senders conclude (sts.cert_valid, sts.cert_invalid by mode,
 * sts.dane_fails, sts.tls_unavailable, sts.connection_failed, ...), the
 * probes left unstarted, the addresses left out, and the slowest address
 * with a completed handshake against crit and warn (NULL: no range). Adds
 * to c.
 */
void verdict_mta_sts_probes(const struct mta_sts_facts *f, const struct range *warn,
			    const struct range *crit, struct output *out,
			    struct verdict_mta_sts_counts *c);

/** The status line, from the findings in out and c. */
void verdict_mta_sts_summary(const struct mta_sts_facts *f, const struct verdict_mta_sts_counts *c,
			     struct output *out);

/**
 * The run's perfdata: time (elapsed, seconds), addresses, pkix_valid,
 * pkix_failed, policy_max_age (U without a valid policy), cert_expiry_days
 * (U without a certificate).
 */
void verdict_mta_sts_perfdata(const struct verdict_mta_sts_counts *c, double elapsed,
			      struct output *out);

#endif /* DANE_VERDICT_MTA_STS_H */
