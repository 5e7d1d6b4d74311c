/*
 * check_tlsa -- are the TLSA records of every MX host present, DNSSEC-secure
 * and usable, as a DANE-validating SMTP client (RFC 7672) sees them?
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "deadline.h"
#include "dns.h"
#include "mx.h"
#include "opts.h"
#include "output.h"
#include "plugin.h"
#include "verdict.h"

#define SERVICE "TLSA"

/** This plugin's configuration, filled by process_arguments(). */
struct config {
	struct opts_common common;
	struct dns_resolver resolver;
};

static const struct opts_spec spec = {
    .program = "check_tlsa",
    .purpose = "Checks, for every MX host of a mail domain (or the hosts given with -H), that\n"
	       "TLSA records are published at _PORT._tcp.<host>, DNSSEC-secure and usable\n"
	       "for SMTP (RFC 6698, 7671, 7672): the DNS half of DANE, as a DANE-validating\n"
	       "sender such as Postfix sees it. No connection to the mail servers is made.",
    .common = OPTS_DOMAIN | OPTS_HOST | OPTS_PORT | OPTS_RESOLVER | OPTS_FAMILY,
    .host_help = "MX host name to check instead of walking the MX records of -D;\n"
		 "repeatable.",
    .port_help = "SMTP port whose TLSA records are checked (_PORT._tcp), default 25.",
    .default_port = 25,
    .usage_args = "-D DOMAIN | -H HOST [-H HOST]... [-p PORT] [-r ADDR[@PORT]]",
    .notes = "CRITICAL: the MX RRset or the TLSA records are bogus, insecure or missing,\n"
	     "a host's addresses are not DNSSEC-secure (DANE does not apply), no usable\n"
	     "record, DNS failure or timeout. WARNING: usable records next to unusable,\n"
	     "shadowed (digest agility) or duplicate ones, more than 12 records in one set.\n"
	     "With -v one line per record with its verdict; with -vv the addresses.\n"
	     "Perfdata: mx_hosts, tlsa_records, usable_records (counts), time (seconds).",
    .examples = "  check_tlsa -D example.org\n"
		"  check_tlsa -H mx1.example.org -H mx2.example.org -v\n"
		"  check_tlsa -D example.org -r 127.0.0.1 -p 465 -t 5",
};

/** Parse the command line into the config; on failure the output says why. */
static int
process_arguments(int argc, char **argv, void *config, struct output *out)
{
	struct config *cfg = config;

	memset(cfg, 0, sizeof(*cfg));
	if (opts_parse(&spec, argc, argv, &cfg->common, NULL, NULL, out) != OPTS_CONTINUE)
		return -1;
	if (plugin_mx_target(&cfg->common, out) != 0)
		return -1;
	return plugin_mx_resolver(&cfg->common, &cfg->resolver, out);
}

/* The status line: all good, several hosts with problems, or the worst one. */
static void
summary(const struct mx_result *r, size_t records, struct output *out)
{
	const char *target = mx_target(r);
	size_t bad = r->nhosts - output_count(out, STATE_OK);

	if (output_state(out) == STATE_OK)
		output_summary(out,
			       "%s: %zu MX host%s, all with usable DNSSEC-secure TLSA records (%zu "
			       "record%s)",
			       target, r->nhosts, r->nhosts == 1 ? "" : "s", records,
			       records == 1 ? "" : "s");
	else if (bad > 1)
		output_summary(out, "%s: %zu of %zu MX hosts with problems; %s", target, bad,
			       r->nhosts, output_worst_text(out));
	else
		output_summary(out, "%s: %s", target, output_worst_text(out));
}

/** Walk the domain (or the hosts), judge each host, fill out. */
static void
run_check(const void *config, struct deadline *dl, struct output *out)
{
	const struct config *cfg = config;
	struct mx_result r;
	enum mx_walk_end end;
	size_t i, records = 0, usable = 0;

	end = mx_walk(&cfg->resolver, cfg->common.domain, cfg->common.hosts, cfg->common.nhosts,
		      cfg->common.family, cfg->common.port, dl, &r);
	if (!verdict_walk(&r, end, out))
		goto perf;
	for (i = 0; i < r.nhosts; i++) {
		verdict_host(&r, &r.hosts[i], out, NULL);
		if (r.hosts[i].tlsa_class != DNS_SECURE)
			continue; /* bogus or insecure records count for nothing */
		records += r.hosts[i].tlsa.n;
		usable += r.hosts[i].tlsa.usable;
	}
	summary(&r, records, out);
perf:
	output_perfdata(out, &(struct output_perfdata){
				 .label = "mx_hosts", .value = (double)r.nhosts, .has_min = true});
	output_perfdata(out, &(struct output_perfdata){.label = "tlsa_records",
						       .value = (double)records,
						       .has_min = true});
	output_perfdata(out, &(struct output_perfdata){.label = "usable_records",
						       .value = (double)usable,
						       .has_min = true});
	output_perfdata(
	    out, &(struct output_perfdata){
		     .label = "time", .value = deadline_elapsed(dl), .uom = "s", .has_min = true});
	mx_result_free(&r);
}

int
main(int argc, char **argv)
{
	static const struct plugin plugin = {SERVICE, false, process_arguments, run_check, NULL};
	struct config cfg = {0};

	return plugin_main(&plugin, &cfg, &cfg.common, argc, argv);
}
