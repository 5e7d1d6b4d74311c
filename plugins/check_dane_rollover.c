/*
 * check_dane_rollover -- what will break DANE soon: certificate expiry,
 * records a renewal will not match, a staged next key or certificate not yet
 * published, DNSSEC signatures about to expire, stale records, addresses
 * presenting different keys.
 */
#include "config.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "deadline.h"
#include "dns.h"
#include "mx.h"
#include "opts.h"
#include "output.h"
#include "probe.h"
#include "rollover.h"
#include "tls.h"

#define SERVICE     "DANE_ROLLOVER"
#define RESOLV_CONF "/etc/resolv.conf"
#define MAX_STAGED  8

/** This plugin's configuration, filled by process_arguments(). */
struct config {
	struct opts_common common;
	struct dns_resolver resolver;
	char helo[256];
	double warn_days, crit_days;         /* -w, -c */
	double sig_warn_days, sig_crit_days; /* --sig-warning, --sig-critical */
	bool stale_warning;
	const char *cert_file; /* --cert: the deployed chain, instead of connecting */
	const char *next_cert_files[MAX_STAGED];
	size_t nnext_certs;
	const char *next_key_files[MAX_STAGED];
	size_t nnext_keys;
	/* loaded at start, freed at exit */
	STACK_OF(X509) * cert_chain;
	STACK_OF(X509) * next_chains[MAX_STAGED];
	EVP_PKEY *next_keys[MAX_STAGED];
};

enum {
	OPT_CERT = 256,
	OPT_NEXT_CERT,
	OPT_NEXT_KEY,
	OPT_STALE_WARNING,
	OPT_SIG_WARNING,
	OPT_SIG_CRITICAL,
	OPT_HELO,
};

/* In the order of the enum above: long-only options are 256 + index. */
static const struct opts_extra extra_options[] = {
    {"cert", 0, true, "FILE",
     "The deployed chain (PEM, leaf first) for hosts whose port 25 cannot be\n"
     "reached from here: used instead of connecting to the addresses."},
    {"next-cert", 0, true, "FILE",
     "A staged certificate (PEM, leaf first, chain optional) that the next renewal\n"
     "deploys: CRITICAL unless a published usable record matches it. Repeatable."},
    {"next-key", 0, true, "FILE",
     "A staged key (private or public, PEM) that the next renewal deploys: CRITICAL\n"
     "unless a published 3 1 x record matches it; the 3 1 1 record to publish is\n"
     "printed. Repeatable."},
    {"stale-warning", 0, false, NULL,
     "Usable records that match nothing presented are a WARNING (default: a detail\n"
     "line)."},
    {"sig-warning", 0, true, "DAYS",
     "WARNING when the earliest RRSIG on the MX, address or TLSA RRsets expires\n"
     "within DAYS days (default 7)."},
    {"sig-critical", 0, true, "DAYS", "As --sig-warning, CRITICAL (default 2)."},
    {"helo", 0, true, "NAME", "Name sent with EHLO; default: this host's name."},
};

static const struct opts_spec spec = {
    .program = "check_dane_rollover",
    .purpose = "Predicts, with dates, what will break DANE for SMTP before it does: leaf (and\n"
	       "DANE-TA anchor) certificate expiry, TLSA records that the next renewal will not\n"
	       "match (3 0 x pins, only the current key published, a pinned intermediate CA),\n"
	       "staged next keys or certificates that are not published yet, stale records,\n"
	       "addresses presenting different keys, and DNSSEC signatures about to expire.\n"
	       "The presented chains are fetched over STARTTLS like check_dane_smtp does,\n"
	       "or read from --cert.",
    .common = OPTS_DOMAIN | OPTS_HOST | OPTS_PORT | OPTS_RESOLVER | OPTS_FAMILY | OPTS_THRESHOLDS,
    .host_help = "MX host name to check instead of walking the MX records of -D;\n"
		 "repeatable.",
    .port_help = "SMTP port, default 25 (TLSA records at _PORT._tcp).",
    .default_port = 25,
    .threshold_help = "Days left of a certificate below which the state is WARNING\n"
		      "(default 21); -c: CRITICAL (default 7). A number of days.",
    .extra = extra_options,
    .nextra = sizeof(extra_options) / sizeof(extra_options[0]),
    .usage_args = "-D DOMAIN | -H HOST [-H HOST]... [--cert FILE] [--next-key FILE]... "
		  "[--next-cert FILE]... [--stale-warning] [--sig-warning DAYS] "
		  "[--sig-critical DAYS]",
    .notes = "Inside the -w window a renewal is due, so forecasts that a renewal breaks DANE\n"
	     "are WARNING there and detail lines (OK) before. CRITICAL: a certificate\n"
	     "below -c days, a chain no record matches now, an unpublished staged key or\n"
	     "certificate, signatures below --sig-critical, hosts without usable secure\n"
	     "TLSA (check_tlsa's verdict).\n"
	     "Perfdata: cert_days (fewest days left of the leaf and anchoring CA\n"
	     "certificates), sig_days (fewest days left of the RRSIGs), time (seconds).",
    .examples =
	"  check_dane_rollover -D example.org\n"
	"  check_dane_rollover -D example.org --next-key /etc/letsencrypt/next/privkey.pem\n"
	"  check_dane_rollover -H mx.example.org --cert /etc/postfix/chain.pem -w 30 -c 10",
};

/* A number of days: digits with an optional fraction. */
static int
parse_days(const char *arg, double *days)
{
	struct range r;
	char err[128];

	if (range_parse(arg, &r, err, sizeof(err)) != 0 || r.inside || r.start_inf || r.end_inf ||
	    r.start != 0 || r.end < 0)
		return -1;
	*days = r.end;
	return 0;
}

static int
extra_option(void *ctx, int opt, const char *arg, char *err, size_t errsize)
{
	struct config *cfg = ctx;

	switch (opt) {
	case OPT_CERT:
		cfg->cert_file = arg;
		return 0;
	case OPT_NEXT_CERT:
	case OPT_NEXT_KEY: {
		size_t *n = opt == OPT_NEXT_KEY ? &cfg->nnext_keys : &cfg->nnext_certs;
		const char **files =
		    opt == OPT_NEXT_KEY ? cfg->next_key_files : cfg->next_cert_files;

		if (*n >= MAX_STAGED) {
			snprintf(err, errsize, "at most %d --next-key and --next-cert each",
				 MAX_STAGED);
			return -1;
		}
		files[(*n)++] = arg;
		return 0;
	}
	case OPT_STALE_WARNING:
		cfg->stale_warning = true;
		return 0;
	case OPT_SIG_WARNING:
	case OPT_SIG_CRITICAL:
		if (parse_days(arg, opt == OPT_SIG_WARNING ? &cfg->sig_warn_days
							   : &cfg->sig_crit_days) != 0) {
			snprintf(err, errsize, "invalid number of days '%.40s'", arg);
			return -1;
		}
		return 0;
	case OPT_HELO:
		if (opts_helo_name(arg, cfg->helo, sizeof(cfg->helo)) != 0) {
			snprintf(err, errsize, "invalid --helo name");
			return -1;
		}
		return 0;
	default:
		snprintf(err, errsize, "unexpected option");
		return -1;
	}
}

/* Load --cert, --next-cert and --next-key files. */
static int
load_files(struct config *cfg, struct output *out)
{
	char err[256];
	size_t i;

	if (cfg->cert_file != NULL &&
	    cert_load_chain_pem(cfg->cert_file, &cfg->cert_chain, err, sizeof(err)) != 0) {
		output_unknown(out, "--cert: %s", err);
		return -1;
	}
	for (i = 0; i < cfg->nnext_certs; i++)
		if (cert_load_chain_pem(cfg->next_cert_files[i], &cfg->next_chains[i], err,
					sizeof(err)) != 0) {
			output_unknown(out, "--next-cert: %s", err);
			return -1;
		}
	for (i = 0; i < cfg->nnext_keys; i++)
		if (cert_load_pubkey_pem(cfg->next_key_files[i], &cfg->next_keys[i], err,
					 sizeof(err)) != 0) {
			output_unknown(out, "--next-key: %s", err);
			return -1;
		}
	return 0;
}

static void
config_free(struct config *cfg)
{
	size_t i;

	if (cfg->cert_chain != NULL)
		sk_X509_pop_free(cfg->cert_chain, X509_free);
	for (i = 0; i < MAX_STAGED; i++) {
		if (cfg->next_chains[i] != NULL)
			sk_X509_pop_free(cfg->next_chains[i], X509_free);
		EVP_PKEY_free(cfg->next_keys[i]);
	}
}

/** Parse the command line into cfg; on failure the output says why. */
static int
process_arguments(int argc, char **argv, struct config *cfg, struct output *out)
{
	char err[256];

	memset(cfg, 0, sizeof(*cfg));
	cfg->sig_warn_days = 7;
	cfg->sig_crit_days = 2;
	if (opts_parse(&spec, argc, argv, &cfg->common, extra_option, cfg, out) != OPTS_CONTINUE)
		return -1;
	if ((cfg->common.domain == NULL) == (cfg->common.nhosts == 0)) {
		output_unknown(out, "give either -D DOMAIN or -H HOST (see --help)");
		return -1;
	}
	cfg->warn_days = 21;
	cfg->crit_days = 7;
	if (cfg->common.has_warning &&
	    (cfg->common.warning.inside || cfg->common.warning.start_inf ||
	     cfg->common.warning.end_inf || cfg->common.warning.start != 0)) {
		output_unknown(out, "-w takes a number of days (e.g. -w 21)");
		return -1;
	}
	if (cfg->common.has_critical &&
	    (cfg->common.critical.inside || cfg->common.critical.start_inf ||
	     cfg->common.critical.end_inf || cfg->common.critical.start != 0)) {
		output_unknown(out, "-c takes a number of days (e.g. -c 7)");
		return -1;
	}
	if (cfg->common.has_warning)
		cfg->warn_days = cfg->common.warning.end;
	if (cfg->common.has_critical)
		cfg->crit_days = cfg->common.critical.end;
	if (cfg->helo[0] == '\0')
		opts_helo_name(NULL, cfg->helo, sizeof(cfg->helo));
	if (dns_resolver_setup(&cfg->resolver, cfg->common.resolver, RESOLV_CONF, err,
			       sizeof(err)) != 0) {
		output_unknown(out, "%s", err);
		return -1;
	}
	return load_files(cfg, out);
}

/* Signature expiry line for an RRset group; lowers *min_days. */
static void
report_sigs(const struct config *cfg, time_t expire, time_t now, const char *what,
	    struct output *out, struct output_check *parent, double *min_days)
{
	char date[32];
	double days;
	state_t st = STATE_OK;

	if (expire == 0)
		return;
	days = difftime(expire, now) / 86400.0;
	if (isnan(*min_days) || days < *min_days)
		*min_days = days;
	if (days < cfg->sig_crit_days)
		st = STATE_CRITICAL;
	else if (days < cfg->sig_warn_days)
		st = STATE_WARNING;
	output_add(out, parent, st, "DNSSEC signatures on %s expire %s (%.1f days)%s", what,
		   rollover_date(expire, date, sizeof(date)), days,
		   st != STATE_OK ? ": re-sign the zone, or validating senders will defer mail"
				  : "");
}

/** Walk, fetch chains, forecast, fill out. */
static void
run_check(const struct config *cfg, struct deadline *dl, struct output *out)
{
	struct mx_result r;
	struct probe_target *targets = NULL;
	struct probe_result *results = NULL;
	struct rollover_peer *peers = NULL;
	struct tls_ctx *ctx = NULL;
	struct rollover_params p;
	size_t i, n = 0;
	double cert_days = NAN, sig_days = NAN;
	time_t now = time(NULL);
	const char *target;
	char err[256];
	struct range wr, cr;

	if (!mx_walk(&cfg->resolver, cfg->common.domain, cfg->common.hosts, cfg->common.nhosts,
		     cfg->common.family, cfg->common.port, dl, &r, out))
		goto perf;
	target = mx_target(&r);
	if (r.status == MX_FOUND)
		report_sigs(cfg, r.sig_expire, now, "the MX RRset", out, NULL, &sig_days);
	targets = calloc(PROBE_MAX_TARGETS + 1, sizeof(*targets));
	results = calloc(PROBE_MAX_TARGETS + 1, sizeof(*results));
	peers = calloc(PROBE_MAX_TARGETS + MX_MAX_ADDRS + 1, sizeof(*peers));
	if (targets == NULL || results == NULL || peers == NULL) {
		output_unknown(out, "out of memory");
		goto perf;
	}
	n = probe_targets(&r, cfg->common.port, targets, out);
	if (cfg->cert_chain != NULL)
		n = 0; /* --cert: no connections */
	if (n > 0) {
		ctx = tls_ctx_new(err, sizeof(err));
		if (ctx == NULL) {
			output_unknown(out, "%s", err);
			goto perf;
		}
		deadline_stage(dl, "fetching the chains of %zu address%s", n, n == 1 ? "" : "es");
		probe_run(ctx, targets, n, cfg->helo, dl, results);
	}

	memset(&p, 0, sizeof(p));
	p.now = now;
	p.warn_days = cfg->warn_days;
	p.crit_days = cfg->crit_days;
	p.stale_warning = cfg->stale_warning;
	p.next_chains = cfg->next_chains;
	p.next_chain_names = cfg->next_cert_files;
	p.nnext_chains = cfg->nnext_certs;
	p.next_keys = cfg->next_keys;
	p.next_key_names = cfg->next_key_files;
	p.nnext_keys = cfg->nnext_keys;

	for (i = 0; i < r.nhosts; i++) {
		const struct mx_host *h = &r.hosts[i];
		struct output_check *line;
		size_t npeers = 0, k;

		if (!mx_host_dane_usable(h))
			continue;
		line = output_add(out, NULL, STATE_OK, "%s", h->name);
		output_check_set_level(output_add(out, line, STATE_OK,
						  "%zu usable TLSA record%s at %s", h->tlsa.usable,
						  h->tlsa.usable == 1 ? "" : "s", h->tlsa_qname),
				       1);
		if (cfg->cert_chain != NULL) {
			peers[npeers++] = (struct rollover_peer){cfg->cert_file, cfg->cert_chain};
		} else {
			for (k = 0; k < n; k++) {
				if (targets[k].host != h)
					continue;
				if (results[k].tls.ncerts == 0) {
					output_add(out, line, STATE_CRITICAL, "%s: no chain: %s",
						   results[k].label,
						   results[k].smtp.result != SMTP_OK
						       ? results[k].smtp.reason
						       : results[k].tls.reason);
					continue;
				}
				peers[npeers++] =
				    (struct rollover_peer){results[k].label, results[k].tls.chain};
			}
		}
		rollover_host(h, peers, npeers, &p, out, line, &cert_days);
		report_sigs(cfg, h->sig_expire, now, "its address and TLSA RRsets", out, line,
			    &sig_days);
	}
	if (output_state(out) == STATE_OK)
		output_summary(out,
			       "%s: no DANE breakage ahead (certificates: %.0f days left, DNSSEC "
			       "signatures: %.0f days)",
			       target, isnan(cert_days) ? 0 : round(cert_days),
			       isnan(sig_days) ? 0 : round(sig_days));
	else {
		const char *top, *leaf;

		output_worst_path(out, &top, &leaf);
		if (top == leaf)
			output_summary(out, "%s: %s", target, leaf);
		else
			output_summary(out, "%s: %s: %s", target, top, leaf);
	}
perf:
	memset(&wr, 0, sizeof(wr));
	memset(&cr, 0, sizeof(cr));
	wr.start = cfg->warn_days;
	wr.end_inf = true;
	cr.start = cfg->crit_days;
	cr.end_inf = true;
	output_perfdata(out, &(struct output_perfdata){
				 .label = "cert_days",
				 .value = isnan(cert_days) ? 0 : round(cert_days * 10) / 10,
				 .unknown = isnan(cert_days),
				 .warn = &wr,
				 .crit = &cr});
	wr.start = cfg->sig_warn_days;
	cr.start = cfg->sig_crit_days;
	output_perfdata(
	    out, &(struct output_perfdata){.label = "sig_days",
					   .value = isnan(sig_days) ? 0 : round(sig_days * 10) / 10,
					   .unknown = isnan(sig_days),
					   .warn = &wr,
					   .crit = &cr});
	output_perfdata(
	    out, &(struct output_perfdata){
		     .label = "time", .value = deadline_elapsed(dl), .uom = "s", .has_min = true});
	if (results != NULL)
		probe_results_free(results, n);
	free(results);
	free(targets);
	free(peers);
	tls_ctx_free(ctx);
	mx_result_free(&r);
}

int
main(int argc, char **argv)
{
	struct output *out = output_new(SERVICE);
	struct config cfg;
	struct deadline dl;
	int rc;

	if (out == NULL)
		return output_finish(NULL);
	if (process_arguments(argc, argv, &cfg, out) != 0) {
		config_free(&cfg);
		return output_finish(out);
	}
	signal(SIGPIPE, SIG_IGN);
	deadline_start(&dl, cfg.common.timeout);
	deadline_arm_backstop(&dl, SERVICE);
	run_check(&cfg, &dl, out);
	deadline_disarm_backstop(&dl);
	rc = output_finish(out);
	config_free(&cfg);
	return rc;
}
