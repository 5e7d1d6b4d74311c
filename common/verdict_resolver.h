/*
 * verdict_resolver.h -- what check_dnssec_resolver concludes from the answers
 * of the resolvers it asked: does each one validate DNSSEC (every signed name
 * comes back with AD, whatever algorithm signs it), does it reject data that
 * fails validation (SERVFAIL, while the data is there with CD), and how fast
 * it answers. One finding per answer, its perfdata, and the summary of a run
 * in which every resolver passed.
 *
 * Facts come in (the queries of one dns_query_batch() and their answers),
 * findings go out; nothing here does I/O.
 */
#ifndef DANE_VERDICT_RESOLVER_H
#define DANE_VERDICT_RESOLVER_H

#include <stddef.h>

#include "dns.h"
#include "dns_trust.h"
#include "output.h"
#include "range.h"

/** What every resolver was asked, and the limits its answers are judged by. */
struct verdict_resolver_ask {
	const char *const *signed_names; /* the -q names (SOA asked): must validate */
	size_t nsigned;                  /* at least 1 */
	const char *bogus_name;          /* the -b name (A asked): must be refused; or NULL */
	const struct range *warning;     /* -w on each response time, or NULL */
	const struct range *critical;    /* -c on each response time, or NULL */
	const unsigned int *root_keys;   /* --root-key tags: the sentinel asked (RFC 8509) */
	size_t nroot_keys;
};

/**
 * The second opinion of --validate=local: the same questions (the signed
 * names' SOA, the bogus name's A; not the sentinel names) validated here.
 */
struct verdict_resolver_local {
	/* the local answers, verdict_resolver_nlocal(ask) per resolver from queries[i *
	 * that number] on; shared (--recursive): one set for every resolver */
	const struct dns_query *queries;
	bool shared;
	/* per resolver: whether it passes DNSSEC data (judged only when a signed name came
	 * back bogus or failed here; judged false: not asked) */
	const struct dns_trust_result *forwarder;
};

/**
 * The number of queries asked of each resolver: one per signed name, one
 * more with a bogus name, and two per --root-key (the sentinel's is-ta and
 * not-ta names, in the order of root_keys, is-ta first).
 */
size_t verdict_resolver_nqueries(const struct verdict_resolver_ask *ask);

/** The number of local queries per resolver: one per signed name, one more with a bogus name. */
size_t verdict_resolver_nlocal(const struct verdict_resolver_ask *ask);

/**
 * Judge the answers of every resolver of res. queries holds, for resolver i,
 * verdict_resolver_nqueries(ask) queries from queries[i * that number] on:
 * the SOA of each signed name in order, then the A of the bogus name.
 *
 * Per signed name: resolver.validates (OK; resolver.slow, WARNING or
 * CRITICAL, when -w/-c fire on its response time), resolver.no_ad,
 * resolver.algorithm_not_validated (no AD, but another name validated
 * through the same resolver), resolver.signed_name_fails, resolver.no_answer
 * (all CRITICAL). For the bogus name: resolver.rejects_bogus (OK; or
 * resolver.slow), resolver.accepts_bogus (CRITICAL),
 * resolver.bogus_inconclusive (WARNING), resolver.no_answer (CRITICAL).
 * Answers that carry data list their records below their finding
 * (resolver.answer_record, shown from -v on). Every answer adds its time as
 * perfdata ('time', 'time_<name>' for further signed names, 'bogus_time';
 * with several resolvers each label ends in '_<resolver>'). When every
 * finding is OK and every signed name validated, the summary says so.
 *
 * Per --root-key and resolver, RFC 8509's reading of the sentinel answers
 * (dns_sentinel.h): resolver.trusts_root_key (OK),
 * resolver.root_key_not_trusted (CRITICAL), resolver.no_sentinel_support
 * (OK, a note), resolver.sentinel_inconclusive (WARNING).
 *
 * With local (--validate=local; NULL: none), per answer the second opinion:
 * resolver.local_agrees (OK, from -v on), resolver.local_bogus (CRITICAL:
 * the resolver says secure, local validation bogus), resolver.local_disagrees
 * (CRITICAL, or WARNING for secure against insecure), resolver.local_failed
 * (WARNING); and resolver.strips_dnssec_data (CRITICAL) for a resolver shown
 * not to pass DNSSEC data, whose answers then get no second opinion.
 */
void verdict_resolver(const struct verdict_resolver_ask *ask, const struct dns_resolver *res,
		      const struct dns_query *queries, const struct verdict_resolver_local *local,
		      struct output *out);

#endif /* DANE_VERDICT_RESOLVER_H */
