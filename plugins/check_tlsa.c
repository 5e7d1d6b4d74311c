/*
 * check_tlsa -- are the TLSA records of every MX host present, DNSSEC-secure
 * and usable, as a DANE-validating SMTP client (RFC 7672) sees them?
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "deadline.h"
#include "dns.h"
#include "mx.h"
#include "opts.h"
#include "output.h"
#include "plugin.h"
#include "tlsrpt_record.h"
#include "verdict.h"
#include "verdict_tlsrpt_record.h"

#define SERVICE "TLSA"

/** This plugin's configuration, filled by process_arguments(). */
struct config {
	struct opts_common common;
	struct dns_resolver resolver;
	bool authoritative; /* -A: ask every authoritative server too */
	const char *expect_patterns[VERDICT_MX_MAX_EXPECT]; /* --mx-expect */
	struct verdict_mx_expect expect;
};

enum { OPT_MX_EXPECT = OPTS_EXTRA_BASE };

static const struct opts_extra extra_options[] = {
    {'A', "authoritative", 'A', false, NULL,
     "Also ask every authoritative server of the zones of the MX and TLSA\n"
     "records directly (their NS hosts, A and AAAA, port 53) and compare what\n"
     "they serve: a server with other data (a stale secondary) is CRITICAL, one\n"
     "that does not answer as an authority, or serves signatures expiring well\n"
     "before the others', WARNING."},
    {OPT_MX_EXPECT, "mx-expect", 0, true, "PATTERN",
     "The MX hosts the domain must use, as a shell pattern (fnmatch: * and ?\n"
     "match any characters, dots included; case and a final dot do not matter),\n"
     "e.g. '*.mx.example.net'; repeatable (at most 8), a host must match one.\n"
     "An MX host whose name (or CNAME target) matches none is a WARNING naming\n"
     "it and the patterns (a customer moved away), and so is a null MX."},
};

static int
extra_option(void *ctx, int opt, const char *arg, char *err, size_t errsize)
{
	struct config *cfg = ctx;

	if (opt == 'A') {
		cfg->authoritative = true;
		return 0;
	}
	if (opt == OPT_MX_EXPECT) {
		if (cfg->expect.n >= VERDICT_MX_MAX_EXPECT) {
			snprintf(err, errsize, "at most %d --mx-expect patterns",
				 VERDICT_MX_MAX_EXPECT);
			return -1;
		}
		if (arg[0] == '\0' || strlen(arg) > 255) {
			snprintf(err, errsize, "--mx-expect: a pattern of 1 to 255 characters");
			return -1;
		}
		cfg->expect_patterns[cfg->expect.n++] = arg;
		return 0;
	}
	snprintf(err, errsize, "unexpected option");
	return -1;
}

static const struct opts_spec spec = {
    .program = "check_tlsa",
    .purpose = "Checks, for every MX host of a mail domain (or the hosts given with -H), that\n"
	       "TLSA records are published at _PORT._tcp.<host>, DNSSEC-secure and usable\n"
	       "for SMTP (RFC 6698, 7671, 7672): the DNS half of DANE, as a DANE-validating\n"
	       "sender such as Postfix sees it. No connection to the mail servers is made.",
    .common = OPTS_DOMAIN | OPTS_HOST | OPTS_PORT | OPTS_RESOLVER | OPTS_FAMILY | OPTS_VALIDATE,
    .host_help = "MX host name to check instead of walking the MX records of -D;\n"
		 "repeatable.",
    .port_help = "SMTP port whose TLSA records are checked (_PORT._tcp), default 25.",
    .default_port = 25,
    .extra = extra_options,
    .nextra = sizeof(extra_options) / sizeof(extra_options[0]),
    .usage_args = "-D DOMAIN | -H HOST [-H HOST]... [-A] [--mx-expect PATTERN]... [-p PORT] "
		  "[-r ADDR[@PORT]]",
    .notes = "CRITICAL: the MX RRset or the TLSA records are bogus, insecure or missing,\n"
	     "a host's addresses are not DNSSEC-secure (DANE does not apply), no usable\n"
	     "record, DNS failure or timeout; with -A an authoritative server serving other\n"
	     "MX or TLSA data than the others. WARNING: usable records next to unusable,\n"
	     "shadowed (digest agility) or duplicate ones, more than 12 records in one set,\n"
	     "an MX host or a null MX that --mx-expect does not expect;\n"
	     "with -A an authoritative server that does not answer as one, or whose\n"
	     "signatures expire well before the others'. UNKNOWN: the resolver does not\n"
	     "validate DNSSEC, or whether it does cannot be told (a DS lookup failed), or\n"
	     "with --validate=local it does not pass DNSSEC data (it is named; nothing is\n"
	     "said about the domain); a trust anchor file that cannot be used.\n"
	     "With -v one line per record with its verdict; with -vv the addresses.\n"
	     "Perfdata: mx_hosts, tlsa_records, usable_records (counts), time (seconds).",
    .examples = "  check_tlsa -D example.org\n"
		"  check_tlsa -H mx1.example.org -H mx2.example.org -v\n"
		"  check_tlsa -D example.org -A\n"
		"  check_tlsa -D customer.example --mx-expect '*.mx.example-hoster.net'\n"
		"  check_tlsa -D example.org --validate=local\n"
		"  check_tlsa -D example.org -r 127.0.0.1 -p 465 -t 5",
};

/** Parse the command line into the config; on failure the output says why. */
static int
process_arguments(int argc, char **argv, void *config, struct output *out)
{
	struct config *cfg = config;

	memset(cfg, 0, sizeof(*cfg));
	cfg->expect.patterns = cfg->expect_patterns;
	if (opts_parse(&spec, argc, argv, &cfg->common, extra_option, cfg, out) != OPTS_CONTINUE)
		return -1;
	if (plugin_mx_target(&cfg->common, out) != 0)
		return -1;
	return plugin_mx_resolver(&cfg->common, &cfg->resolver, out);
}

/*
 * -A: find the zones of the MX and TLSA records (before any verdict: without
 * one, -A is a usage error and nothing else is said). Returns -1 then.
 */
static int
plan_authoritative(const struct mx_result *r, struct auth_result *a, struct output *out)
{
	if (auth_plan_walk(a, r) > 0)
		return 0;
	opts_usage_error(
	    &spec, out,
	    "-A: the zone of the MX and TLSA records cannot be found (no DNSSEC-signed "
	    "answer names it): give the mail domain with -D, or hosts with "
	    "DNSSEC-signed TLSA records");
	return -1;
}

/* The domain's TLSRPT record (RFC 8460 3): where senders report TLS failures. */
static void
tlsrpt_check(const struct dns_resolver *res, const char *domain, struct deadline *dl,
	     struct output *out)
{
	struct tlsrpt_record rec;
	struct dns_answer a;
	char name[300];

	deadline_stage(dl, "looking up the TLSRPT record of %s", domain);
	dns_query(res, tlsrpt_record_name(domain, name, sizeof(name)), LDNS_RR_TYPE_TXT, dl, &a);
	tlsrpt_record_from_answer(&a, &rec);
	dns_answer_clear(&a);
	verdict_tlsrpt_record(domain, &rec, out);
}

/** Walk the domain (or the hosts), judge each host, fill out. */
static void
run_check(const void *config, struct deadline *dl, struct output *out)
{
	const struct config *cfg = config;
	struct verdict_mx_count count = {0};
	struct mx_result r;
	struct auth_result *a = NULL; /* -A only: 340 KB the other runs need not touch */
	enum mx_walk_end end;

	end = mx_walk(&cfg->resolver, cfg->common.domain, cfg->common.hosts, cfg->common.nhosts,
		      cfg->common.family, cfg->common.port, dl, &r);
	if (!verdict_walk(&r, end, out)) {
		verdict_mx_expect_domain(&r, &cfg->expect, out);
		goto perf;
	}
	if (cfg->authoritative) {
		a = calloc(1, sizeof(*a));
		if (a == NULL) {
			output_unknown(out, FC_PLUGIN_LOCAL_FAILURE, "out of memory");
			goto perf;
		}
		if (plan_authoritative(&r, a, out) != 0)
			goto perf;
	}
	verdict_mx_hosts(&r, &cfg->expect, out, &count);
	if (a != NULL) {
		if (auth_collect(a, &cfg->resolver, cfg->common.family, dl) != 0)
			output_unknown(out, FC_PLUGIN_LOCAL_FAILURE, "out of memory");
		else
			verdict_auth(a, time(NULL), out);
	}
	if (cfg->common.domain != NULL)
		tlsrpt_check(&cfg->resolver, r.domain, dl, out);
	verdict_mx_tlsa_summary(&r, &count, cfg->authoritative, out);
perf:
	output_perfdata(out, &(struct perfdata){
				 .label = "mx_hosts", .value = (double)r.nhosts, .has_min = true});
	output_perfdata(out, &(struct perfdata){.label = "tlsa_records",
						.value = (double)count.records,
						.has_min = true});
	output_perfdata(out, &(struct perfdata){.label = "usable_records",
						.value = (double)count.usable,
						.has_min = true});
	output_perfdata(
	    out, &(struct perfdata){
		     .label = "time", .value = deadline_elapsed(dl), .uom = "s", .has_min = true});
	if (a != NULL) {
		auth_result_clear(a);
		free(a);
	}
	mx_result_clear(&r);
}

/** Free what process_arguments() made (the validator of --validate=local). */
static void
config_free(void *config)
{
	struct config *cfg = config;

	plugin_resolver_free(&cfg->resolver);
}

int
main(int argc, char **argv)
{
	static const struct plugin plugin = {SERVICE, false, process_arguments, run_check,
					     config_free};
	struct config cfg = {0};

	return plugin_main(&plugin, &cfg, &cfg.common, argc, argv);
}
