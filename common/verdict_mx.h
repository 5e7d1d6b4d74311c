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
	size_t bad;     /* hosts whose verdict is not OK, or that are not expected */
	bool expected;  /* the hosts were held to --mx-expect, and all of them match */
};

/** Most --mx-expect patterns. */
#define VERDICT_MX_MAX_EXPECT 8

/**
 * The MX hosts a domain must use (check_tlsa --mx-expect): shell patterns
 * (fnmatch(3): '*' and '?' match any characters, dots included), compared
 * without regard to case, a final dot on either side ignored. A host is
 * expected when its name, or the name its CNAME leads to, matches one.
 */
struct verdict_mx_expect {
	const char *const *patterns;
	size_t n; /* 0: no expectation */
};

/**
 * The verdict_host() line of every host of r, at the top level, counted in
 * c (bogus or insecure TLSA records count for nothing). With expect (NULL or
 * n == 0: none), a WARNING line for each host that matches none of its
 * patterns (mx.unexpected_host: a customer moved away), or one OK line when
 * every host matches (mx.expected_hosts).
 */
void verdict_mx_hosts(const struct mx_result *r, const struct verdict_mx_expect *expect,
		      struct output *out, struct verdict_mx_count *c);

/**
 * For a walk that ended at the domain (verdict_walk() false) while expect
 * names the MX hosts: a null MX is a WARNING (mx.unexpected_null), the
 * domain takes no mail at the expected hosts. Other endings add nothing:
 * their own lines say what is wrong.
 */
void verdict_mx_expect_domain(const struct mx_result *r, const struct verdict_mx_expect *expect,
			      struct output *out);

/**
 * The status line of check_tlsa, from the findings in out and the counts in
 * c: every host with usable records (and, when c->expected, matching
 * --mx-expect; when authoritative, the authoritative servers agreeing), the
 * number of hosts with problems when more than one, else where the worst
 * state comes from.
 */
void verdict_mx_tlsa_summary(const struct mx_result *r, const struct verdict_mx_count *c,
			     bool authoritative, struct output *out);

#endif /* DANE_VERDICT_MX_H */
