/*
 * verdict_mx.h -- what a DANE SMTP client concludes from the facts of the MX
 * walk (mx.h, probe.h): the state and the words of the domain-level outcome
 * and of each MX host, added to the output tree.
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
 * The domain-level verdict of mx_walk(): an UNKNOWN line for a local failure
 * (end MX_WALK_INPUT or MX_WALK_MEMORY), else verdict_domain(). Returns true
 * when there are hosts to check (end MX_WALK_HOSTS); false when the check
 * ends here and out says why.
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
 * through a resolver shown not to validate (mx_resolver_blind()).
 */
state_t verdict_host(const struct mx_result *r, const struct mx_host *h, struct output *out,
		     struct output_check *parent);

/**
 * The verdicts that go with probe_targets(): the verdict_host() line of
 * every host of r that is not probed (no usable secure TLSA records), and a
 * WARNING naming the first host left out when left says addresses were
 * beyond PROBE_MAX_TARGETS.
 */
void verdict_unprobed(const struct mx_result *r, const struct probe_left *left, struct output *out);

#endif /* DANE_VERDICT_MX_H */
