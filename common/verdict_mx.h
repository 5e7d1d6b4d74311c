/*
 * verdict_mx.h -- what a DANE SMTP client concludes from the facts of the MX
 * walk (mx.h, probe.h): the findings (finding_codes.h, section verdict_mx.c)
 * of the domain-level outcome, of each MX host and of each of its TLSA
 * records, added to the output tree; and the status line of check_tlsa.
 *
 * Facts come in, lines go out, never the other way: every plugin runs facts
 * -> verdicts -> output. The rules are RFC 7672 (DANE for SMTP), RFC 7505
 * (null MX) and RFC 7671 (digest agility, through the TLSA verdicts).
 */
#ifndef DANE_VERDICT_MX_H
#define DANE_VERDICT_MX_H

#include <stdbool.h>

#include "mx.h"
#include "output.h"

struct probe_left;

/**
 * The finding of TLSA record i of h under parent (NULL: top level): its
 * per-record verdict in words ("3 1 1 4f1c...e2: ignored: a stronger digest
 * type is published ..."), with the code of that verdict (tlsa.record_usable,
 * tlsa.digest_agility, tlsa.record_pkix_usage, ...), OK for a usable record,
 * else WARNING; subject domain, host, name (the TLSA owner) and tlsa (the
 * record). check_tlsa lists every record so (from -v on); check_dane_smtp
 * adds it under a chain that only a record ignored by digest agility matches.
 * Returns the finding (NULL when out of memory).
 */
struct finding *verdict_mx_record(const struct mx_result *r, const struct mx_host *h, size_t i,
				  struct output *out, struct finding *parent);

/**
 * The domain-level verdict of mx_walk(): an UNKNOWN line for a local failure
 * (end MX_WALK_INPUT or MX_WALK_MEMORY), or for a resolver that does not pass
 * DNSSEC data to local validation (--validate=local: resolver.no_dnssec_data,
 * nothing else is said), else verdict_domain(). Returns true when there are
 * hosts to check (end MX_WALK_HOSTS); false when the check ends here and out
 * says why.
 */
bool verdict_walk(const struct mx_result *r, enum mx_walk_end end, struct output *out);

/**
 * Add the line for a domain-level outcome that ends the check before any
 * host (null MX, insecure, bogus, nonexistent, error) and return its state;
 * for a domain with hosts to check, add the warnings about the MX RRset (a
 * null MX next to other records, hosts beyond MX_MAX_HOSTS) and return
 * STATE_OK.
 */
state_t verdict_domain(const struct mx_result *r, struct output *out);

/**
 * Judge the DNS side of one host of r as a DANE SMTP client sees it and add a
 * detail line (with one child line per TLSA record, shown from -v on, and
 * the addresses, from -vv) under parent (NULL: top level). Returns the
 * state: CRITICAL when senders would defer or not authenticate, WARNING for
 * fragile sets (unusable, shadowed or duplicate records next to usable ones,
 * more than TLSA_MANY_RECORDS), OK otherwise; UNKNOWN when data came without AD
 * through a resolver shown not to validate, or whose validation could not be
 * told because a DS lookup failed (mx_resolver_blind()).
 */
state_t verdict_host(const struct mx_result *r, const struct mx_host *h, struct output *out,
		     struct finding *parent);

/**
 * The verdicts that go with probe_targets(): the verdict_host() line of
 * every host of r that is not probed (no usable secure TLSA records), and a
 * WARNING naming the first host left out when left says addresses were
 * beyond PROBE_MAX_TARGETS.
 */
void verdict_unprobed(const struct mx_result *r, const struct probe_left *left, struct output *out);

/** What verdict_mx_hosts() counted, for the status line and the perfdata. */
struct verdict_mx_count {
	size_t records; /* TLSA records of the hosts whose TLSA RRset is secure */
	size_t usable;  /* of those, the records usable for SMTP */
	size_t bad;     /* hosts whose verdict is not OK */
};

/**
 * The verdict_host() line of every host of r, at the top level, counted in
 * c (bogus or insecure TLSA records count for nothing).
 */
void verdict_mx_hosts(const struct mx_result *r, struct output *out, struct verdict_mx_count *c);

/**
 * The status line of check_tlsa, from the findings in out and the counts in
 * c: every host with usable records (and, when authoritative, the
 * authoritative servers agreeing), the number of hosts with problems when
 * more than one, else where the worst state comes from.
 */
void verdict_mx_tlsa_summary(const struct mx_result *r, const struct verdict_mx_count *c,
			     bool authoritative, struct output *out);

#endif /* DANE_VERDICT_MX_H */
