/*
 * tlsrpt_dns.h -- the TLSA records DNS serves now for the MX hosts whose
 * records senders reported ("tlsa" policy-string), so that records a sender
 * used that are no longer (or not yet) published show: a lagging secondary
 * or a long TTL, seen from outside.
 */
#ifndef DANE_TLSRPT_DNS_H
#define DANE_TLSRPT_DNS_H

#include "deadline.h"
#include "dns.h"
#include "tlsrpt_tally.h"

/**
 * Longest the lookups may take, in milliseconds (less when the run's
 * deadline is nearer): they only add the comparison, the reports are judged
 * without them.
 */
#define TLSRPT_DNS_MAX_MS 5000

/** Most TLSA owners asked in one run (distinct MX hosts). */
#define TLSRPT_DNS_MAX_QUERIES 64

/**
 * Ask res (all at once, within dl and TLSRPT_DNS_MAX_MS) for the TLSA RRset at _port._tcp.<mx>
 * of every MX host of t's record sets, and fill each set's published
 * facts; sets that cannot be compared say why (why_unchecked). Returns 0,
 * or -1 when out of memory.
 */
int tlsrpt_dns_lookup(struct tlsrpt_tally *t, const struct dns_resolver *res, unsigned int port,
		      struct deadline *dl);

#endif /* DANE_TLSRPT_DNS_H */
