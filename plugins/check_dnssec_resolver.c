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
#include "text.h"

#define SERVICE "DNSSEC_RESOLVER"

/* Most -q names. */
#define MAX_SIGNED 8

/* Room for the words of an answer, Extended DNS Errors included. */
#define DETAIL_MAX 640

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
			output_unknown(out, FC_PLUGIN_LEGACY, "%s; give the resolver with -H", err);
			return -1;
		}
		return 0;
	}
	for (i = 0; i < cfg->common.nhosts; i++) {
		const struct dns_server *s;

		if (dns_resolver_add(&cfg->resolvers, cfg->common.hosts[i], cfg->common.port, err,
				     sizeof(err)) != 0) {
			output_unknown(out, FC_PLUGIN_LEGACY, "%s", err);
			return -1;
		}
		s = &cfg->resolvers.servers[cfg->resolvers.nservers - 1];
		if (cfg->common.family != AF_UNSPEC && s->addr.ss_family != cfg->common.family) {
			output_unknown(out, FC_PLUGIN_LEGACY, "resolver %s is not an %s address",
				       s->name, cfg->common.family == AF_INET ? "IPv4" : "IPv6");
			return -1;
		}
	}
	return 0;
}

/* The state of a query's response time against -w/-c (no answer: OK). */
static state_t
time_state(const struct config *cfg, const struct dns_answer *a)
{
	if (a->cls == DNS_ERROR)
		return STATE_OK;
	return plugin_threshold_state(&cfg->common, a->rtt);
}

/* With -v: the answer records as child lines. */
static void
add_records(struct output *out, struct output_check *parent, const struct dns_answer *a)
{
	ldns_rr_list *rrs;
	size_t i;

	if (parent == NULL || a->pkt == NULL)
		return;
	rrs = ldns_pkt_answer(a->pkt);
	for (i = 0; rrs != NULL && i < ldns_rr_list_rr_count(rrs) && i < 20; i++) {
		char *text = dns_rr_line(ldns_rr_list_rr(rrs, i));
		struct output_check *c;

		if (text == NULL)
			continue;
		c = output_add(out, parent, STATE_OK, "%s", text);
		output_check_set_level(c, 1);
		free(text);
	}
}

/* The signing algorithm of the answer's first RRSIG: "ECDSAP256SHA256 (13)"; "" if none. */
static const char *
algorithm_text(const struct dns_answer *a, char *dst, size_t dstsize)
{
	int alg = dns_answer_algorithm(a);

	if (alg < 0)
		dst[0] = '\0';
	else
		dns_algorithm_text(alg, dst, dstsize);
	return dst;
}

/*
 * Verdict on one signed-name query of one resolver. others_validate: another
 * -q name came back validated from it, so an unvalidated signed answer means
 * this algorithm is the one it does not validate.
 */
static void
judge_signed(const struct config *cfg, struct output *out, const char *server, const char *name,
	     const struct dns_answer *a, bool others_validate)
{
	char what[DETAIL_MAX], alg[64], took[32], signed_with[96] = "";
	state_t st;
	struct output_check *c;

	dns_answer_failure(a, what, sizeof(what));
	text_duration(a->rtt, took, sizeof(took));
	if (algorithm_text(a, alg, sizeof(alg))[0] != '\0')
		snprintf(signed_with, sizeof(signed_with), ", signed with %s", alg);
	switch (a->cls) {
	case DNS_SECURE:
	case DNS_NONEXISTENT:
		if (a->secure) {
			st = time_state(cfg, a);
			c = output_add(out, NULL, st,
				       "%s validates: asked %s SOA, got %s%s in %s%s", server, name,
				       what, signed_with, took,
				       st != STATE_OK ? " (response time threshold)" : "");
			add_records(out, c, a);
			return;
		}
		/* FALLTHROUGH */
	case DNS_INSECURE:
		if (others_validate && alg[0] != '\0')
			c = output_add(
			    out, NULL, STATE_CRITICAL,
			    "%s does not validate algorithm %s: asked %s SOA, got %s in "
			    "%s: the name is signed but comes back unvalidated while other "
			    "names validate (a crypto policy that disables the algorithm?)",
			    server, alg, name, what, took);
		else
			c = output_add(out, NULL, STATE_CRITICAL,
				       "%s does not validate DNSSEC: asked %s SOA, got %s%s in %s "
				       "(is %s signed?)",
				       server, name, what, signed_with, took, name);
		add_records(out, c, a);
		return;
	case DNS_BOGUS:
		output_add(out, NULL, STATE_CRITICAL,
			   "%s fails to validate the signed name %s: %s; check the resolver's "
			   "trust anchor and clock",
			   server, name, what);
		return;
	case DNS_ERROR:
	default:
		output_add(out, NULL, STATE_CRITICAL, "%s: no answer for %s SOA: %s", server, name,
			   what);
		return;
	}
}

/* Verdict on the bogus-name query of one resolver. */
static void
judge_bogus(const struct config *cfg, struct output *out, const char *server,
	    const struct dns_answer *a)
{
	char what[DETAIL_MAX], took[32];
	struct output_check *c;

	dns_answer_failure(a, what, sizeof(what));
	text_duration(a->rtt, took, sizeof(took));
	switch (a->cls) {
	case DNS_BOGUS:
		output_add(out, NULL, time_state(cfg, a),
			   "%s rejects bogus data: asked %s A, got %s in %s", server,
			   cfg->bogus_name, what, took);
		return;
	case DNS_SECURE:
	case DNS_INSECURE:
		c = output_add(out, NULL, STATE_CRITICAL,
			       "%s returned bogus data for %s A (%s): it does not reject data "
			       "that fails validation",
			       server, cfg->bogus_name, what);
		add_records(out, c, a);
		return;
	case DNS_NONEXISTENT:
		output_add(out, NULL, STATE_WARNING,
			   "bogus probe inconclusive: %s answered %s A with %s; use a name whose "
			   "data exists but does not validate",
			   server, cfg->bogus_name, what);
		return;
	case DNS_ERROR:
	default:
		output_add(out, NULL, a->error == DNS_ERR_SERVFAIL ? STATE_WARNING : STATE_CRITICAL,
			   "%s%s for %s A: %s", server,
			   a->error == DNS_ERR_SERVFAIL ? ": bogus probe inconclusive"
							: ": no answer",
			   cfg->bogus_name, what);
		return;
	}
}

/* Perfdata for one query: label, then "_<name>" (a further -q name), "_<resolver>". */
static void
add_perf(const struct config *cfg, struct output *out, const char *label, const char *name,
	 const char *server, const struct dns_answer *a)
{
	char full[384];

	snprintf(full, sizeof(full), "%s%s%s%s%s", label, name != NULL ? "_" : "",
		 name != NULL ? name : "", cfg->resolvers.nservers > 1 ? "_" : "",
		 cfg->resolvers.nservers > 1 ? server : "");
	output_perfdata(
	    out, &(struct perfdata){.label = full,
				    .value = a->rtt,
				    .unknown = a->cls == DNS_ERROR,
				    .uom = "s",
				    .warn = cfg->common.has_warning ? &cfg->common.warning : NULL,
				    .crit = cfg->common.has_critical ? &cfg->common.critical : NULL,
				    .has_min = true});
}

/* The queries: per resolver, every -q name's SOA, then the -b name's A. */
static struct dns_query *
make_queries(const struct config *cfg, size_t *nq)
{
	size_t nres = cfg->resolvers.nservers, per = cfg->nsigned + (cfg->bogus_name ? 1 : 0);
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

/* One resolver's answers (q: its per queries): verdicts and perfdata. Returns true when
 * every signed name validated. */
static bool
judge_resolver(const struct config *cfg, const char *server, const struct dns_query *q,
	       struct output *out)
{
	bool others = false, all = true;
	size_t k;

	for (k = 0; k < cfg->nsigned; k++)
		if (q[k].answer.cls != DNS_ERROR && q[k].answer.secure)
			others = true;
	for (k = 0; k < cfg->nsigned; k++) {
		judge_signed(cfg, out, server, cfg->signed_names[k], &q[k].answer, others);
		add_perf(cfg, out, "time", k > 0 ? cfg->signed_names[k] : NULL, server,
			 &q[k].answer);
		if (q[k].answer.cls == DNS_ERROR || !q[k].answer.secure)
			all = false;
	}
	if (cfg->bogus_name != NULL) {
		judge_bogus(cfg, out, server, &q[k].answer);
		add_perf(cfg, out, "bogus_time", NULL, server, &q[k].answer);
	}
	return all;
}

/** Ask every resolver, judge the answers, fill out. */
static void
run_check(const void *config, struct deadline *dl, struct output *out)
{
	const struct config *cfg = config;
	size_t nres = cfg->resolvers.nservers, per = cfg->nsigned + (cfg->bogus_name ? 1 : 0), i,
	       nq;
	struct dns_query *q = make_queries(cfg, &nq);
	char took[32];
	bool all_ok = true;

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
	for (i = 0; i < nres; i++)
		if (!judge_resolver(cfg, cfg->resolvers.servers[i].name, &q[i * per], out))
			all_ok = false;
	if (output_state(out) == STATE_OK && all_ok) {
		if (nres == 1)
			output_summary(out, "%s validates DNSSEC (%s SOA with AD in %s%s%s)",
				       cfg->resolvers.servers[0].name, cfg->signed_names[0],
				       text_duration(q[0].answer.rtt, took, sizeof(took)),
				       cfg->nsigned > 1 ? ", and every other -q name" : "",
				       cfg->bogus_name ? ", bogus data rejected" : "");
		else
			output_summary(out, "all %zu resolvers validate DNSSEC%s", nres,
				       cfg->bogus_name ? " and reject bogus data" : "");
	}
	for (i = 0; i < nq; i++)
		dns_answer_free(&q[i].answer);
	free(q);
}

int
main(int argc, char **argv)
{
	static const struct plugin plugin = {SERVICE, false, process_arguments, run_check, NULL};
	struct config cfg = {0};

	return plugin_main(&plugin, &cfg, &cfg.common, argc, argv);
}
