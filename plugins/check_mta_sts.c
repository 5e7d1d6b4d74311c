/*
 * check_mta_sts -- a domain's MTA-STS policy (RFC 8461) held against its MX
 * hosts and against DANE: senders that validate DANE use the TLSA records,
 * the others apply the policy and need a WebPKI-valid certificate for the
 * MX host name. A breakage of either kind of sender is a breakage.
 * One handshake per MX address and certificate type serves both verdicts.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "deadline.h"
#include "mtasts.h"
#include "mtasts_fetch.h"
#include "mtasts_lookup.h"
#include "mx.h"
#include "opts.h"
#include "output.h"
#include "pkix.h"
#include "plugin.h"
#include "probe.h"
#include "verdict.h"
#include "verdict_mta_sts.h"

#define SERVICE "MTA_STS"

/* Share of the time left that the policy fetch may take: the MX probes need the rest. */
#define FETCH_SHARE_PERCENT 60

/** This plugin's configuration, filled by process_arguments(). */
struct config {
	struct opts_common common;
	struct dns_resolver resolver;
	const char *ca_file;      /* --ca-file, or NULL: the system's CAs */
	unsigned int policy_port; /* --policy-port, default 443 */
	struct pkix_store *store; /* the trusted roots, loaded from ca_file */
};

enum {
	OPT_CA_FILE = OPTS_EXTRA_BASE,
	OPT_POLICY_PORT,
};

static const struct opts_extra extra_options[] = {
    {OPT_CA_FILE, "ca-file", 0, true, "FILE",
     "Trusted root certificates (PEM) for the policy server and the MX hosts,\n"
     "instead of the system's (a private CA, a test lab)."},
    {OPT_POLICY_PORT, "policy-port", 0, true, "PORT",
     "HTTPS port of mta-sts.<domain>, default 443 (senders always use 443: other\n"
     "ports are for tests)."},
};

static const struct opts_spec spec = {
    .program = "check_mta_sts",
    .purpose = "Checks a mail domain's MTA-STS policy (RFC 8461) the way senders that apply it\n"
	       "do, and holds it against DANE: the _mta-sts TXT record, the policy fetched over\n"
	       "HTTPS from mta-sts.<domain> (certificate, status 200, no redirect, text/plain,\n"
	       "64 KiB, syntax), every MX host against its mx patterns, and per MX address and\n"
	       "certificate type (STARTTLS, all at once) whether the certificate is valid for\n"
	       "the MX host name under the WebPKI. Hosts with usable DNSSEC-secure TLSA records\n"
	       "are verified by DANE in the same handshake: DANE senders use the TLSA records\n"
	       "and ignore the policy there, the others (Gmail) use the policy, so each line\n"
	       "says what each kind of sender concludes.",
    .common = OPTS_DOMAIN | OPTS_PORT | OPTS_RESOLVER | OPTS_FAMILY | OPTS_VALIDATE |
	      OPTS_THRESHOLDS | OPTS_HELO | OPTS_KEY_TYPES,
    .port_help = "SMTP port of the MX hosts, default 25 (TLSA records at _PORT._tcp).",
    .default_port = 25,
    .threshold_help = "Range on the slowest address's time from connect to the end of the\n"
		      "handshake, in seconds (e.g. -w 2 -c 5).",
    .extra = extra_options,
    .nextra = sizeof(extra_options) / sizeof(extra_options[0]),
    .usage_args = "-D DOMAIN [-p PORT] [-r ADDR[@PORT]] [--ca-file FILE] [--policy-port PORT] "
		  "[--helo NAME] [--key-types LIST]",
    .notes = "No v=STSv1 TXT record: OK, nothing else is checked. CRITICAL: a failed TXT\n"
	     "lookup, several STS records or one that does not parse, a policy that cannot\n"
	     "be fetched or used; under mode enforce an MX host that no mx pattern matches\n"
	     "and a certificate that is not valid for the MX host name (\"senders that use\n"
	     "MTA-STS and not DANE defer mail\"); on hosts with usable TLSA records any DANE\n"
	     "failure; unreachable addresses. WARNING: the same policy failures under mode\n"
	     "testing, max_age under one day, a field given twice, -w exceeded.\n"
	     "Perfdata: time (seconds), addresses (probed), pkix_valid and pkix_failed\n"
	     "((address, certificate type) pairs whose certificate is or is not valid for\n"
	     "MTA-STS senders), policy_max_age (seconds), cert_expiry_days (fewest days left\n"
	     "of the leaf certificates, two decimals).",
    .examples = "  check_mta_sts -D example.org\n"
		"  check_mta_sts -D example.org -r 127.0.0.1 --key-types=ecdsa,rsa -w 2 -c 5\n"
		"  check_mta_sts -D example.org --ca-file /etc/ssl/private-ca.pem -v",
};

static int
extra_option(void *ctx, int opt, const char *arg, char *err, size_t errsize)
{
	struct config *cfg = ctx;

	switch (opt) {
	case OPT_CA_FILE:
		cfg->ca_file = arg;
		return 0;
	case OPT_POLICY_PORT:
		if (opts_parse_port(arg, &cfg->policy_port) != 0) {
			snprintf(err, errsize, "invalid port '%.40s'", arg);
			return -1;
		}
		return 0;
	default:
		snprintf(err, errsize, "unexpected option");
		return -1;
	}
}

/** Free what process_arguments() made: the trusted roots, the validator of --validate=local. */
static void
config_free(void *config)
{
	struct config *cfg = config;

	pkix_store_free(cfg->store);
	plugin_resolver_free(&cfg->resolver);
}

/** Parse the command line into the config, load the CAs; on failure the output says why. */
static int
process_arguments(int argc, char **argv, void *config, struct output *out)
{
	struct config *cfg = config;
	char err[300];

	memset(cfg, 0, sizeof(*cfg));
	cfg->policy_port = 443;
	if (opts_parse(&spec, argc, argv, &cfg->common, extra_option, cfg, out) != OPTS_CONTINUE)
		return -1;
	if (cfg->common.domain == NULL) {
		opts_usage_error(&spec, out, "-D DOMAIN is required");
		return -1;
	}
	if (plugin_mx_resolver(&cfg->common, &cfg->resolver, out) != 0)
		return -1;
	cfg->store = pkix_store_new(cfg->ca_file, err, sizeof(err));
	if (cfg->store == NULL) {
		output_unknown(out, FC_PLUGIN_USAGE, "--ca-file %.200s: %s",
			       cfg->ca_file != NULL ? cfg->ca_file : "(system)", err);
		return -1;
	}
	return 0;
}

/* Everything one run finds (large: the policy alone is 32 KiB). */
struct run {
	struct mtasts_lookup dns;
	struct mtasts_txt txt;
	struct mtasts_fetch fetch;
	struct mtasts_policy policy;
	struct mx_result mx;
	struct pkix_result *pkix;
};

/* Fetch and parse the policy, the fetch bounded to a share of the time left. */
static void
fetch_policy(const struct config *cfg, struct run *st, struct deadline *dl)
{
	struct deadline sub;
	struct mtasts_fetch_params p = {.host = st->dns.policy_host,
					.port = cfg->policy_port,
					.addrs = st->dns.addrs,
					.naddrs = st->dns.naddrs,
					.ca_file = cfg->ca_file};

	deadline_stage(dl, "fetching the MTA-STS policy from %s", st->dns.policy_host);
	deadline_sub(dl, (int)((long long)deadline_ms_left(dl) * FETCH_SHARE_PERCENT / 100), &sub);
	mtasts_fetch_run(&p, &sub, &st->fetch);
	if (st->fetch.status == MTASTS_FETCH_OK)
		mtasts_policy_parse(st->fetch.body, st->fetch.body_len, &st->policy);
}

/* The MX walk; an unsigned MX RRset is taken as it is (MTA-STS needs no DNSSEC). */
static enum mx_walk_end
walk(const struct config *cfg, const char *domain, struct deadline *dl, struct run *st,
     bool *insecure)
{
	enum mx_walk_end end;

	end = mx_walk(&cfg->resolver, domain, NULL, 0, cfg->common.family, cfg->common.port, dl,
		      &st->mx);
	*insecure = end == MX_WALK_DOMAIN && st->mx.status == MX_INSECURE;
	if (*insecure)
		end = mtasts_mx_unsigned(&cfg->resolver, cfg->common.family, cfg->common.port, dl,
					 &st->mx);
	return end;
}

/* Probe every address of every host; the WebPKI verdict of each chain. Returns 0 or -1. */
static int
probe(const struct config *cfg, struct run *st, struct probe_batch *b, time_t now,
      struct deadline *dl, struct output *out)
{
	char err[256];
	size_t i;

	st->pkix = calloc(b->n + 1, sizeof(*st->pkix));
	if (st->pkix == NULL) {
		output_unknown(out, FC_PLUGIN_LOCAL_FAILURE, "out of memory");
		return -1;
	}
	deadline_stage(dl, "probing %zu address%s x %zu certificate type%s (SMTP, STARTTLS, TLS)",
		       b->n / cfg->common.types.n, b->n / cfg->common.types.n == 1 ? "" : "es",
		       cfg->common.types.n, cfg->common.types.n == 1 ? "" : "s");
	if (probe_batch_run(b, NULL, cfg->common.helo, dl, err, sizeof(err)) < 0) {
		output_unknown(out, FC_PLUGIN_LOCAL_FAILURE, "%s", err);
		return -1;
	}
	for (i = 0; i < b->n; i++)
		pkix_verify(cfg->store, b->results[i].tls.chain, b->targets[i].host->name, now,
			    &st->pkix[i]);
	return 0;
}

/** Discover, fetch, walk, probe, judge, fill out. */
static void
run_check(const void *config, struct deadline *dl, struct output *out)
{
	const struct config *cfg = config;
	struct run *st = calloc(1, sizeof(*st));
	struct verdict_mta_sts_counts c = {0};
	struct probe_batch *batch = NULL;
	struct mta_sts_facts f = {0};
	const struct mtasts_record *rec;
	char domain[MX_NAME_MAX];
	enum mx_walk_end end;

	if (st == NULL) {
		output_unknown(out, FC_PLUGIN_LOCAL_FAILURE, "out of memory");
		goto perf;
	}
	if (mtasts_domain_name(cfg->common.domain, domain, sizeof(domain)) != 0) {
		output_unknown(out, FC_PLUGIN_USAGE, "invalid domain name '%.100s'",
			       cfg->common.domain);
		goto perf;
	}
	f = (struct mta_sts_facts){
	    .dns = &st->dns, .txt = &st->txt, .now = time(NULL), .policy_port = cfg->policy_port};
	mtasts_lookup(&cfg->resolver, domain, cfg->common.family, dl, &st->dns);
	if (st->dns.sts_records == 1) {
		rec = &st->dns.records[0];
		mtasts_txt_parse(rec->data,
				 rec->len < sizeof(rec->data) ? rec->len : sizeof(rec->data),
				 &st->txt);
		st->txt.length = rec->len; /* the whole record: only its first bytes are kept */
	}
	if (!verdict_mta_sts_discovery(&f, out))
		goto summary;
	fetch_policy(cfg, st, dl);
	f.fetch = &st->fetch;
	f.policy = st->fetch.status == MTASTS_FETCH_OK ? &st->policy : NULL;
	verdict_mta_sts_policy(&f, out, &c);
	end = walk(cfg, domain, dl, st, &f.mx_insecure);
	f.mx = &st->mx;
	if (!verdict_walk(&st->mx, end, out))
		goto summary;
	verdict_mta_sts_hosts(&f, out, &c);
	batch =
	    probe_batch_new_select(&st->mx, cfg->common.port, &cfg->common.types, PROBE_EVERY_HOST);
	if (batch == NULL) {
		output_unknown(out, FC_PLUGIN_LOCAL_FAILURE, "out of memory");
		goto perf;
	}
	if (probe(cfg, st, batch, f.now, dl, out) != 0)
		goto perf;
	f.batch = batch;
	f.pkix = st->pkix;
	verdict_mta_sts_probes(&f, cfg->common.has_warning ? &cfg->common.warning : NULL,
			       cfg->common.has_critical ? &cfg->common.critical : NULL, out, &c);
summary:
	verdict_mta_sts_summary(&f, &c, out);
perf:
	verdict_mta_sts_perfdata(&c, deadline_elapsed(dl), out);
	probe_batch_free(batch);
	if (st != NULL) {
		mx_result_clear(&st->mx);
		mtasts_fetch_clear(&st->fetch);
		free(st->pkix);
		free(st);
	}
}

int
main(int argc, char **argv)
{
	static const struct plugin plugin = {SERVICE, true, process_arguments, run_check,
					     config_free};
	struct config cfg = {0};

	return plugin_main(&plugin, &cfg, &cfg.common, argc, argv);
}
