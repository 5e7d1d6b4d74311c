/*
 * check_dane_smtp -- for every MX host and every address: STARTTLS on port
 * 25, and does the presented chain match the TLSA records (RFC 7672)?
 * Verification is OpenSSL's own DANE verifier; all addresses are probed
 * concurrently under one deadline.
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include "deadline.h"
#include "mx.h"
#include "opts.h"
#include "output.h"
#include "plugin.h"
#include "probe.h"
#include "verdict.h"
#include "verdict_probe.h"

#define SERVICE "DANE_SMTP"

/** This plugin's configuration, filled by process_arguments(). */
struct config {
	struct opts_common common;
	struct dns_resolver resolver;
};

static const struct opts_spec spec = {
    .program = "check_dane_smtp",
    .purpose = "Connects to every address of every MX host of a mail domain (or of the hosts\n"
	       "given with -H), does STARTTLS and verifies the presented certificate chain\n"
	       "against the host's DNSSEC-secure TLSA records the way a DANE-validating sender\n"
	       "(RFC 7672, Postfix) does, with OpenSSL's DANE verifier: DANE-EE ignores names\n"
	       "and dates, DANE-TA checks the chain and the names (TLSA base domain and MX host\n"
	       "name); SNI is the TLSA base domain. All addresses are probed concurrently.",
    .common = OPTS_DOMAIN | OPTS_HOST | OPTS_PORT | OPTS_RESOLVER | OPTS_FAMILY | OPTS_VALIDATE |
	      OPTS_THRESHOLDS | OPTS_HELO | OPTS_KEY_TYPES,
    .host_help = "MX host name to check instead of walking the MX records of -D;\n"
		 "repeatable.",
    .port_help = "SMTP port, default 25 (TLSA records at _PORT._tcp).",
    .default_port = 25,
    .threshold_help = "Range on the slowest address's time from connect to verified\n"
		      "chain, in seconds (e.g. -w 2 -c 5).",
    .usage_args = "-D DOMAIN | -H HOST [-H HOST]... [-p PORT] [-r ADDR[@PORT]] [--helo NAME] "
		  "[--key-types LIST]",
    .notes = "CRITICAL: an address whose chain matches no TLSA record (the record that would\n"
	     "match is printed), STARTTLS not offered or refused, handshake failure, DANE-TA\n"
	     "name mismatch, unreachable address, timeout; and every check_tlsa CRITICAL\n"
	     "(hosts without usable DNSSEC-secure TLSA records). WARNING: check_tlsa warnings,\n"
	     "-w exceeded.\n"
	     "Perfdata: time (seconds, whole run), '<host>[<address>]_time' per address\n"
	     "(connect to verified, its slowest certificate type), addresses (probed),\n"
	     "verified, failed and not_offered (counts of (address, certificate type)\n"
	     "pairs), cert_expiry_days (fewest days left of the leaf certificates, two\n"
	     "decimals; dates do not matter to DANE-EE).",
    .examples = "  check_dane_smtp -D example.org\n"
		"  check_dane_smtp -H mx1.example.org -4 -w 2 -c 5\n"
		"  check_dane_smtp -D example.org -r 127.0.0.1 --helo monitor.example.org -v",
};

/** Parse the command line into the config; on failure the output says why. */
static int
process_arguments(int argc, char **argv, void *config, struct output *out)
{
	struct config *cfg = config;

	memset(cfg, 0, sizeof(*cfg));
	if (opts_parse(&spec, argc, argv, &cfg->common, NULL, cfg, out) != OPTS_CONTINUE)
		return -1;
	if (plugin_mx_target(&cfg->common, out) != 0)
		return -1;
	return plugin_mx_resolver(&cfg->common, &cfg->resolver, out);
}

/** Walk, probe, judge, fill out. */
static void
run_check(const void *config, struct deadline *dl, struct output *out)
{
	const struct config *cfg = config;
	struct mx_result r;
	struct verdict_probe_counts counts = {0};
	struct probe_batch *batch = NULL;
	struct tls_early early;
	enum mx_walk_end end;
	size_t naddr;
	char err[256];

	/* the TLS context is made while the DNS is asked */
	tls_early_start(&early);
	end = mx_walk(&cfg->resolver, cfg->common.domain, cfg->common.hosts, cfg->common.nhosts,
		      cfg->common.family, cfg->common.port, dl, &r);
	if (!verdict_walk(&r, end, out))
		goto perf;
	batch = probe_batch_new(&r, cfg->common.port, &cfg->common.types);
	if (batch == NULL) {
		output_unknown(out, FC_PLUGIN_LOCAL_FAILURE, "out of memory");
		goto perf;
	}
	/* Hosts without usable secure TLSA get the check_tlsa verdict. */
	verdict_unprobed(&r, &batch->left, out);
	naddr = batch->n / cfg->common.types.n;
	deadline_stage(dl, "probing %zu address%s x %zu certificate type%s (SMTP, STARTTLS, TLS)",
		       naddr, naddr == 1 ? "" : "es", cfg->common.types.n,
		       cfg->common.types.n == 1 ? "" : "s");
	if (probe_batch_run(batch, &early, cfg->common.helo, dl, err, sizeof(err)) < 0) {
		output_unknown(out, FC_PLUGIN_LOCAL_FAILURE, "%s", err);
		goto perf;
	}
	verdict_probe_batch(&r, batch, cfg->common.has_warning ? &cfg->common.warning : NULL,
			    cfg->common.has_critical ? &cfg->common.critical : NULL, time(NULL),
			    out, &counts);
	verdict_probe_summary(&r, &counts, out);
perf:
	verdict_probe_perfdata(&counts, deadline_elapsed(dl), out);
	probe_batch_free(batch);
	tls_early_clear(&early);
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
	static const struct plugin plugin = {SERVICE, true, process_arguments, run_check,
					     config_free};
	struct config cfg = {0};

	return plugin_main(&plugin, &cfg, &cfg.common, argc, argv);
}
