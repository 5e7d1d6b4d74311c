/*
 * dns_sentinel.h -- the root key sentinel (RFC 8509): does a resolver trust
 * a root key (KSK-2024, key tag 38696)?
 *
 * Under a signed name whose A records exist for any label (a wildcard), the
 * resolver is asked for root-key-sentinel-is-ta-TAG.<name> and
 * root-key-sentinel-not-ta-TAG.<name> (TAG: five digits, leading zeros). A
 * validating resolver that supports the sentinel answers SERVFAIL for is-ta
 * when TAG is not among its root trust anchors, and SERVFAIL for not-ta when
 * it is; otherwise it answers as for any name. RFC 8509 section 3 (and its
 * table in section 4): an answer for is-ta and SERVFAIL for not-ta: the key
 * is trusted; the other way round: it is not; data for both: no sentinel
 * support (or no validation); anything else proves nothing (SERVFAIL for
 * both; a denial for both: the name has no data for the sentinel labels).
 * Some resolvers (unbound) apply the sentinel to a validated denial as well,
 * so a validated NXDOMAIN or NODATA counts as an answer next to a SERVFAIL.
 * Pure functions on answers: the queries are asked by the plugin (dns.h).
 */
#ifndef DANE_DNS_SENTINEL_H
#define DANE_DNS_SENTINEL_H

#include <stdbool.h>
#include <stddef.h>

#include "dns_answer.h"

/** The root keys with a name: KSK-2017 and KSK-2024. */
#define DNS_SENTINEL_KSK_2017 20326
#define DNS_SENTINEL_KSK_2024 38696

/** What the two answers say about a root key. */
enum dns_sentinel {
	DNS_SENTINEL_TRUSTED,      /* is-ta: data (or a validated denial), not-ta: SERVFAIL */
	DNS_SENTINEL_NOT_TRUSTED,  /* is-ta: SERVFAIL, not-ta: data (or a validated denial) */
	DNS_SENTINEL_UNSUPPORTED,  /* data for both: no sentinel support */
	DNS_SENTINEL_INCONCLUSIVE, /* SERVFAIL for both, a denial for both, no answer, ... */
};

/** What one sentinel answer is, for RFC 8509. */
enum dns_sentinel_answer {
	DNS_SENTINEL_DATA,     /* the A records came back */
	DNS_SENTINEL_DENIAL,   /* a validated NXDOMAIN or NODATA (AD) */
	DNS_SENTINEL_SERVFAIL, /* SERVFAIL (with CD the data is there, or not) */
	DNS_SENTINEL_OTHER,    /* an unvalidated denial, REFUSED, no answer, ... */
};

/**
 * The query name: "root-key-sentinel-is-ta-TAG." (is_ta) or
 * "root-key-sentinel-not-ta-TAG." followed by base (absolute or not; "." is
 * the root), TAG with five digits. Returns 0, or -1 when it does not fit in
 * size or tag is above 65535.
 */
int dns_sentinel_name(unsigned int tag, bool is_ta, const char *base, char *dst, size_t size);

/** What an answer is, for RFC 8509. */
enum dns_sentinel_answer dns_sentinel_answer_kind(const struct dns_answer *a);

/** RFC 8509's reading of the is-ta and the not-ta answers (see above). */
enum dns_sentinel dns_sentinel_read(const struct dns_answer *is_ta,
				    const struct dns_answer *not_ta);

/** The name of a root key: "KSK-2017", "KSK-2024"; NULL for other tags. */
const char *dns_sentinel_key_name(unsigned int tag);

#endif /* DANE_DNS_SENTINEL_H */
