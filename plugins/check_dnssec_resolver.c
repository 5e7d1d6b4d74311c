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
#include "dns_sentinel.h"
#include "dns_trust.h"
#include "opts.h"
#include "output.h"
#include "plugin.h"
#include "text.h"
#include "verdict_resolver.h"

#define SERVICE "DNSSEC_RESOLVER"

/* Most -q names, most --root-key tags. */
#define MAX_SIGNED    8
#define MAX_ROOT_KEYS 4

/* Room for a sentinel query name. */
#define SENTINEL_NAME_MAX 320

enum { OPT_ROOT_KEY = OPTS_EXTRA_BASE };

/** This plugin's configuration, filled by process_arguments(). */
struct config {
	struct opts_common common;
	const char *signed_names[MAX_SIGNED]; /* -q: must validate */
	size_t nsigned;
	const char *bogus_name;                /* -b: must fail validation, or NULL */
	unsigned int root_keys[MAX_ROOT_KEYS]; /* --root-key: the sentinel asks about them */
	size_t nroot_keys;
	struct dns_resolver resolvers; /* asked directly: the resolvers judged */
	struct dns_resolver local;     /* --validate=local: the same through the validator */
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
    {OPT_ROOT_KEY, "root-key", 0, true, "TAG",
     "Ask whether the resolver trusts the root key with this key tag (the root\n"
     "key sentinel, RFC 8509): root-key-sentinel-is-ta-TAG and -not-ta-TAG under\n"
     "the first -q name, which must be signed and have a wildcard A record.\n"
     "Repeatable (at most 4). E.g. --root-key 38696 (KSK-2024, signs the root\n"
     "since 2026-10-11): a resolver that does not trust it has an out-of-date\n"
     "trust anchor (CRITICAL); one without sentinel support is a note (OK)."},
};

static const struct opts_spec spec = {
    .program = "check_dnssec_resolver",
    .purpose = "Checks that a DNS resolver validates DNSSEC: a signed name must come back\n"
	       "with the AD flag and, with -b, a bogus name must be refused with SERVFAIL.\n"
	       "DANE for SMTP is only as good as the validating resolver beneath it.",
    .common = OPTS_HOST | OPTS_PORT | OPTS_FAMILY | OPTS_THRESHOLDS | OPTS_VALIDATE,
    .host_help = "Resolver address, ADDR or ADDR@PORT (IPv4 or IPv6 literal); repeatable.\n"
		 "Default: every nameserver in /etc/resolv.conf.",
    .port_help = "DNS port of the resolvers given without @PORT, default 53.",
    .default_port = 53,
    .threshold_help = "Warning threshold range on each query's response time in seconds\n"
		      "(e.g. -w 0.5 -c 2).",
    .extra = extra_options,
    .nextra = sizeof(extra_options) / sizeof(extra_options[0]),
    .usage_args = "[-H ADDR[@PORT]]... [-p PORT] [-q NAME]... [-b NAME] [--root-key TAG]...",
    .notes = "Perfdata: 'time' (seconds for the first -q query, microsecond precision),\n"
	     "'time_<name>' for each further -q name, 'bogus_time' (the -b query); with\n"
	     "several resolvers each label ends in '_<resolver>'. Times under a\n"
	     "millisecond read \"0.3 ms\" in the text, under 0.1 ms \"40 us\".\n"
	     "CRITICAL: no AD on a signed name (the resolver does not validate, or does not\n"
	     "validate its algorithm), a signed name fails validation (check trust anchor\n"
	     "and clock), bogus data returned for the -b name, or no answer. WARNING: -b\n"
	     "probe inconclusive, or -w exceeded. Failures name the resolver's Extended DNS\n"
	     "Errors (RFC 8914): \"EDE 6 (DNSSEC Bogus): ...\".\n"
	     "--validate=local adds a second opinion per answer, validated here through\n"
	     "each resolver (with --recursive: from the root): \"the resolver says secure,\n"
	     "local validation says bogus (why)\" is CRITICAL, as is a resolver that does\n"
	     "not pass DNSSEC data; agreement is shown from -v on.",
    .examples =
	"  check_dnssec_resolver -H 127.0.0.1\n"
	"  check_dnssec_resolver -H 192.0.2.53 -q example.org -b bogus.example.net\n"
	"  check_dnssec_resolver -H ::1@5353 -q secure.test. -w 0.5 -c 2 -t 5\n"
	"  check_dnssec_resolver -H 127.0.0.1 -q example.com -q example.org -q example.net\n"
	"  check_dnssec_resolver -H 127.0.0.53 -q example.org --validate=local\n"
	"  check_dnssec_resolver -H 192.0.2.53 -q sentinel.example.net --root-key 38696",
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
	case OPT_ROOT_KEY: {
		unsigned long tag;

		if (cfg->nroot_keys == MAX_ROOT_KEYS || text_parse_uint(arg, 0, 65535, &tag) != 0) {
			snprintf(err, errsize,
				 "invalid --root-key '%.20s' (a key tag 0-65535, at most %d)", arg,
				 MAX_ROOT_KEYS);
			return -1;
		}
		cfg->root_keys[cfg->nroot_keys++] = (unsigned int)tag;
		return 0;
	}
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
		cfg->local = cfg->resolvers;
		return plugin_validator(&cfg->common, &cfg->local, out);
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
	cfg->local = cfg->resolvers;
	return plugin_validator(&cfg->common, &cfg->local, out);
}

/** Free what process_arguments() made (the validator of --validate=local). */
static void
config_free(void *config)
{
	plugin_resolver_free(&((struct config *)config)->local);
}

/* The queries, laid out as verdict_resolver() reads them: per resolver, every -q name's
 * SOA, then the -b name's A, then the sentinel names of each --root-key (names: their room).
 * With local, the local ones: the SOA and A queries only, once for all resolvers when
 * shared (--recursive). */
static struct dns_query *
make_queries(const struct config *cfg, const struct verdict_resolver_ask *ask, bool local,
	     bool shared, char (*names)[SENTINEL_NAME_MAX], size_t *nq)
{
	size_t nres = shared ? 1 : cfg->resolvers.nservers, i, k, t;
	size_t per = local ? verdict_resolver_nlocal(ask) : verdict_resolver_nqueries(ask);
	struct dns_query *q = calloc(nres * per + 1, sizeof(*q));

	*nq = nres * per;
	for (t = 0; !local && t < 2 * cfg->nroot_keys; t++)
		dns_sentinel_name(cfg->root_keys[t / 2], t % 2 == 0, cfg->signed_names[0], names[t],
				  SENTINEL_NAME_MAX);
	for (i = 0; q != NULL && i < nres; i++) {
		int server = shared ? -1 : (int)i;

		for (k = 0; k < cfg->nsigned; k++)
			q[i * per + k] = (struct dns_query){.name = cfg->signed_names[k],
							    .type = LDNS_RR_TYPE_SOA,
							    .server = server};
		if (cfg->bogus_name != NULL)
			q[i * per + k++] = (struct dns_query){
			    .name = cfg->bogus_name, .type = LDNS_RR_TYPE_A, .server = server};
		for (t = 0; !local && t < 2 * cfg->nroot_keys; t++)
			q[i * per + k++] = (struct dns_query){
			    .name = names[t], .type = LDNS_RR_TYPE_A, .server = server};
	}
	return q;
}

/*
 * --validate=local: does resolver i pass DNSSEC data? Asked when one of its signed names
 * came back bogus or failed here (lq: its local answers), into *fwd.
 */
static void
check_forwarder(const struct config *cfg, size_t i, const struct dns_query *lq, struct deadline *dl,
		struct dns_trust_result *fwd)
{
	struct dns_resolver one = cfg->local;
	char signer[1040];
	size_t k;

	one.servers[0] = cfg->local.servers[i];
	one.nservers = 1;
	for (k = 0; k < cfg->nsigned; k++) {
		if (!dns_trust_question(&cfg->local, &lq[k].answer))
			continue;
		dns_answer_signer(&lq[k].answer, signer, sizeof(signer));
		deadline_stage(dl, "asking whether %s passes DNSSEC data", one.servers[0].name);
		dns_trust_check(&one, signer[0] ? signer : lq[k].name, dl, fwd);
		return;
	}
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
	    .root_keys = cfg->root_keys,
	    .nroot_keys = cfg->nroot_keys,
	};
	size_t nres = cfg->resolvers.nservers, i, nq, nl = 0;
	char names[2 * MAX_ROOT_KEYS][SENTINEL_NAME_MAX];
	struct dns_trust_result *fwd = calloc(nres + 1, sizeof(*fwd));
	struct verdict_resolver_local local = {.shared = cfg->common.recursive, .forwarder = fwd};
	struct dns_query *q = make_queries(cfg, &ask, false, false, names, &nq), *lq = NULL;

	if (cfg->local.validator != NULL)
		lq = make_queries(cfg, &ask, true, local.shared, names, &nl);
	if (q == NULL || fwd == NULL || (cfg->local.validator != NULL && lq == NULL)) {
		output_unknown(out, FC_PLUGIN_LOCAL_FAILURE, "out of memory");
		goto out;
	}
	if (nres == 1)
		deadline_stage(dl, "querying %s for %s SOA%s%s%s%s", cfg->resolvers.servers[0].name,
			       cfg->signed_names[0], cfg->nsigned > 1 ? " (and more)" : "",
			       cfg->bogus_name ? " and " : "",
			       cfg->bogus_name ? cfg->bogus_name : "", cfg->bogus_name ? " A" : "");
	else
		deadline_stage(dl, "querying %zu resolvers", nres);
	dns_query_batch(&cfg->resolvers, q, nq, dl);
	if (lq != NULL) {
		deadline_stage(dl, "validating the answers here (--validate=local)");
		dns_query_batch(&cfg->local, lq, nl, dl);
		for (i = 0; !local.shared && i < nres; i++)
			check_forwarder(cfg, i, &lq[i * verdict_resolver_nlocal(&ask)], dl,
					&fwd[i]);
		local.queries = lq;
	}
	verdict_resolver(&ask, &cfg->resolvers, q, lq != NULL ? &local : NULL, out);
out:
	for (i = 0; q != NULL && i < nq; i++)
		dns_answer_clear(&q[i].answer);
	for (i = 0; lq != NULL && i < nl; i++)
		dns_answer_clear(&lq[i].answer);
	free(q);
	free(lq);
	free(fwd);
}

int
main(int argc, char **argv)
{
	static const struct plugin plugin = {SERVICE, false, process_arguments, run_check,
					     config_free};
	struct config cfg = {0};

	return plugin_main(&plugin, &cfg, &cfg.common, argc, argv);
}
