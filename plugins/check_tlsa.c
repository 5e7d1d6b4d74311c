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

#define SERVICE     "TLSA"
#define RESOLV_CONF "/etc/resolv.conf"

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

/** Parse the command line into cfg; on failure the output says why. */
static int
process_arguments(int argc, char **argv, struct config *cfg, struct output *out)
{
	char err[256];

	memset(cfg, 0, sizeof(*cfg));
	if (opts_parse(&spec, argc, argv, &cfg->common, NULL, NULL, out) != OPTS_CONTINUE)
		return -1;
	if ((cfg->common.domain == NULL) == (cfg->common.nhosts == 0)) {
		output_unknown(out, "give either -D DOMAIN or -H HOST (see --help)");
		return -1;
	}
	if (dns_resolver_setup(&cfg->resolver, cfg->common.resolver, RESOLV_CONF, err,
			       sizeof(err)) != 0) {
		output_unknown(out, "%s", err);
		return -1;
	}
	return 0;
}

/** Walk the domain (or the hosts), judge each host, fill out. */
static void
run_check(const struct config *cfg, struct deadline *dl, struct output *out)
{
	struct mx_result r;
	size_t i, records = 0, usable = 0, bad;
	const char *target;

	if (!mx_walk(&cfg->resolver, cfg->common.domain, cfg->common.hosts, cfg->common.nhosts,
		     cfg->common.family, cfg->common.port, dl, &r, out))
		goto perf;
	target = mx_target(&r);
	for (i = 0; i < r.nhosts; i++) {
		mx_report_host(&r.hosts[i], out, NULL);
		if (r.hosts[i].tlsa_class != DNS_SECURE)
			continue; /* bogus or insecure records count for nothing */
		records += r.hosts[i].tlsa.n;
		usable += r.hosts[i].tlsa.usable;
	}
	bad = r.nhosts - output_count(out, STATE_OK);
	if (output_state(out) == STATE_OK)
		output_summary(out,
			       "%s: %zu MX host%s, all with usable DNSSEC-secure TLSA records (%zu "
			       "record%s)",
			       target, r.nhosts, r.nhosts == 1 ? "" : "s", records,
			       records == 1 ? "" : "s");
	else if (bad > 1)
		output_summary(out, "%s: %zu of %zu MX hosts with problems; %s", target, bad,
			       r.nhosts, output_worst_text(out));
	else
		output_summary(out, "%s: %s", target, output_worst_text(out));
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
	struct output *out = output_new(SERVICE);
	struct config cfg;
	struct deadline dl;

	if (out == NULL)
		return output_finish(NULL);
	if (process_arguments(argc, argv, &cfg, out) != 0)
		return output_finish(out);

	deadline_start(&dl, cfg.common.timeout);
	deadline_arm_backstop(&dl, SERVICE);
	run_check(&cfg, &dl, out);
	deadline_disarm_backstop(&dl);
	return output_finish(out);
}
