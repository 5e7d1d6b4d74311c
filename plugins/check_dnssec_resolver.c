/*
 * check_dnssec_resolver -- does this resolver really validate DNSSEC?
 *
 * Asks each resolver for a signed name (the answer must carry AD) and,
 * optionally, for a name whose data does not validate (the answer must be
 * SERVFAIL, and the data must be there with CD, so we know the SERVFAIL came
 * from validation). Times every query.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deadline.h"
#include "dns.h"
#include "opts.h"
#include "output.h"
#include "plugin.h"
#include "verdict_resolver.h"

#define SERVICE "DNSSEC_RESOLVER"

/* Most -q names. */
#define MAX_SIGNED 8

/** This plugin's configuration, filled by process_arguments(). */
struct config {
	struct opts_common common;
	const char *signed_names[MAX_SIGNED]; /* -q: must validate */
	size_t nsigned;
	const char *bogus_name; /* -b: must fail validation, or NULL */
	struct dns_resolver resolvers;
};

static const struct opts_extra extra_options[] = {
    {'q', "query", 'q', true, "NAME",
     "A DNSSEC-signed name that must validate (its SOA is asked); repeatable\n"
     "(at most 8), e.g. one zone per signing algorithm: each line names the\n"
     "algorithm of the answer's signature, and a name that comes back unvalidated\n"
     "although it is signed while others validate is an algorithm the resolver\n"
     "does not validate. Default: the root zone \".\"."},
    {'b', "bogus", 'b', true, "NAME",
     "A name whose data does not validate (its A record is asked): the\n"
     "resolver must answer SERVFAIL, and the data must be there with CD.\n"
     "Optional; public test names of this kind exist, or use your own."},
};

static const struct opts_spec spec = {
    .program = "check_dnssec_resolver",
    .purpose = "Checks that a DNS resolver validates DNSSEC: a signed name must come back\n"
	       "with the AD flag and, with -b, a bogus name must be refused with SERVFAIL.\n"
	       "DANE for SMTP is only as good as the validating resolver beneath it.",
    .common = OPTS_HOST | OPTS_PORT | OPTS_FAMILY | OPTS_THRESHOLDS,
    .host_help = "Resolver address, ADDR or ADDR@PORT (IPv4 or IPv6 literal); repeatable.\n"
		 "Default: every nameserver in /etc/resolv.conf.",
    .port_help = "DNS port of the resolvers given without @PORT, default 53.",
    .default_port = 53,
    .threshold_help = "Warning threshold range on each query's response time in seconds\n"
		      "(e.g. -w 0.5 -c 2).",
    .extra = extra_options,
    .nextra = sizeof(extra_options) / sizeof(extra_options[0]),
    .usage_args = "[-H ADDR[@PORT]]... [-p PORT] [-q NAME]... [-b NAME]",
    .notes = "Perfdata: 'time' (seconds for the first -q query, microsecond precision),\n"
	     "'time_<name>' for each further -q name, 'bogus_time' (the -b query); with\n"
	     "several resolvers each label ends in '_<resolver>'. Times under a\n"
	     "millisecond read \"0.3 ms\" in the text, under 0.1 ms \"40 us\".\n"
	     "CRITICAL: no AD on a signed name (the resolver does not validate, or does not\n"
	     "validate its algorithm), a signed name fails validation (check trust anchor\n"
	     "and clock), bogus data returned for the -b name, or no answer. WARNING: -b\n"
	     "probe inconclusive, or -w exceeded. Failures name the resolver's Extended DNS\n"
	     "Errors (RFC 8914): \"EDE 6 (DNSSEC Bogus): ...\".",
    .examples = "  check_dnssec_resolver -H 127.0.0.1\n"
		"  check_dnssec_resolver -H 192.0.2.53 -q example.org -b bogus.example.net\n"
		"  check_dnssec_resolver -H ::1@5353 -q secure.test. -w 0.5 -c 2 -t 5\n"
		"  check_dnssec_resolver -H 127.0.0.1 -q example.com -q example.org -q example.net",
};

static int
extra_option(void *ctx, int opt, const char *arg, char *err, size_t errsize)
{
	struct config *cfg = ctx;

	switch (opt) {
	case 'q':
		if (cfg->nsigned == MAX_SIGNED) {
			snprintf(err, errsize, "at most %d -q names", MAX_SIGNED);
			return -1;
		}
		cfg->signed_names[cfg->nsigned++] = arg;
		return 0;
	case 'b':
		cfg->bogus_name = arg;
		return 0;
	default:
		snprintf(err, errsize, "unexpected option");
		return -1;
	}
}

/* A name must parse as a domain name before we ask for it. */
static int
check_name(const char *name, const char *opt, struct output *out)
{
	ldns_rdf *rdf = NULL;

	if (ldns_str2rdf_dname(&rdf, name) != LDNS_STATUS_OK) {
		output_unknown(out, FC_PLUGIN_USAGE, "invalid domain name '%.80s' for %s", name,
			       opt);
		return -1;
	}
	ldns_rdf_deep_free(rdf);
	return 0;
}

/** Parse the command line into the config; on failure the output says why. */
static int
process_arguments(int argc, char **argv, void *config, struct output *out)
{
	struct config *cfg = config;
	char err[256];
	size_t i;

	memset(cfg, 0, sizeof(*cfg));
	if (opts_parse(&spec, argc, argv, &cfg->common, extra_option, cfg, out) != OPTS_CONTINUE)
		return -1;
	if (cfg->nsigned == 0)
		cfg->signed_names[cfg->nsigned++] = ".";
	for (i = 0; i < cfg->nsigned; i++)
		if (check_name(cfg->signed_names[i], "-q", out) != 0)
			return -1;
	if (cfg->bogus_name != NULL && check_name(cfg->bogus_name, "-b", out) != 0)
		return -1;
	if (cfg->common.nhosts == 0) {
		if (dns_resolver_from_resolv_conf(&cfg->resolvers, PLUGIN_RESOLV_CONF,
						  cfg->common.port, cfg->common.family, err,
						  sizeof(err)) != 0) {
			output_unknown(out, FC_PLUGIN_USAGE, "%s; give the resolver with -H", err);
			return -1;
		}
		return 0;
	}
	for (i = 0; i < cfg->common.nhosts; i++) {
		const struct dns_server *s;

		if (dns_resolver_add(&cfg->resolvers, cfg->common.hosts[i], cfg->common.port, err,
				     sizeof(err)) != 0) {
			output_unknown(out, FC_PLUGIN_USAGE, "%s", err);
			return -1;
		}
		s = &cfg->resolvers.servers[cfg->resolvers.nservers - 1];
		if (cfg->common.family != AF_UNSPEC && s->addr.ss_family != cfg->common.family) {
			output_unknown(out, FC_PLUGIN_USAGE, "resolver %s is not an %s address",
				       s->name, cfg->common.family == AF_INET ? "IPv4" : "IPv6");
			return -1;
		}
	}
	return 0;
}

/* The queries, laid out as verdict_resolver() reads them: per resolver, every -q name's
 * SOA, then the -b name's A. */
static struct dns_query *
make_queries(const struct config *cfg, const struct verdict_resolver_ask *ask, size_t *nq)
{
	size_t nres = cfg->resolvers.nservers, per = verdict_resolver_nqueries(ask);
	struct dns_query *q = calloc(nres * per + 1, sizeof(*q));
	size_t i, k;

	*nq = nres * per;
	for (i = 0; q != NULL && i < nres; i++) {
		for (k = 0; k < cfg->nsigned; k++)
			q[i * per + k] = (struct dns_query){.name = cfg->signed_names[k],
							    .type = LDNS_RR_TYPE_SOA,
							    .server = (int)i};
		if (cfg->bogus_name != NULL)
			q[i * per + k] = (struct dns_query){
			    .name = cfg->bogus_name, .type = LDNS_RR_TYPE_A, .server = (int)i};
	}
	return q;
}

/** Ask every resolver, judge the answers, fill out. */
static void
run_check(const void *config, struct deadline *dl, struct output *out)
{
	const struct config *cfg = config;
	const struct verdict_resolver_ask ask = {
	    .signed_names = cfg->signed_names,
	    .nsigned = cfg->nsigned,
	    .bogus_name = cfg->bogus_name,
	    .warning = cfg->common.has_warning ? &cfg->common.warning : NULL,
	    .critical = cfg->common.has_critical ? &cfg->common.critical : NULL,
	};
	size_t nres = cfg->resolvers.nservers, i, nq;
	struct dns_query *q = make_queries(cfg, &ask, &nq);

	if (q == NULL) {
		output_unknown(out, FC_PLUGIN_LOCAL_FAILURE, "out of memory");
		return;
	}
	if (nres == 1)
		deadline_stage(dl, "querying %s for %s SOA%s%s%s%s", cfg->resolvers.servers[0].name,
			       cfg->signed_names[0], cfg->nsigned > 1 ? " (and more)" : "",
			       cfg->bogus_name ? " and " : "",
			       cfg->bogus_name ? cfg->bogus_name : "", cfg->bogus_name ? " A" : "");
	else
		deadline_stage(dl, "querying %zu resolvers", nres);
	dns_query_batch(&cfg->resolvers, q, nq, dl);
	verdict_resolver(&ask, &cfg->resolvers, q, out);
	for (i = 0; i < nq; i++)
		dns_answer_clear(&q[i].answer);
	free(q);
}

int
main(int argc, char **argv)
{
	static const struct plugin plugin = {SERVICE, false, process_arguments, run_check, NULL};
	struct config cfg = {0};

	return plugin_main(&plugin, &cfg, &cfg.common, argc, argv);
}
