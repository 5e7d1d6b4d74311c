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
#include "output.h"
#include "range.h"

/** What every resolver was asked, and the limits its answers are judged by. */
struct verdict_resolver_ask {
	const char *const *signed_names; /* the -q names (SOA asked): must validate */
	size_t nsigned;                  /* at least 1 */
	const char *bogus_name;          /* the -b name (A asked): must be refused; or NULL */
	const struct range *warning;     /* -w on each response time, or NULL */
	const struct range *critical;    /* -c on each response time, or NULL */
};

/**
 * The number of queries asked of each resolver: one per signed name, and one
 * more with a bogus name.
 */
size_t verdict_resolver_nqueries(const struct verdict_resolver_ask *ask);

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
 */
void verdict_resolver(const struct verdict_resolver_ask *ask, const struct dns_resolver *res,
		      const struct dns_query *queries, struct output *out);

#endif /* DANE_VERDICT_RESOLVER_H */
