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

#include "auth.h"
#include "deadline.h"
#include "dns.h"
#include "mx.h"
#include "opts.h"
#include "output.h"
#include "plugin.h"
#include "probe.h"
#include "range.h"
#include "rollover.h"
#include "tls.h"
#include "verdict.h"

#define SERVICE    "DANE_ROLLOVER"
#define MAX_STAGED 8

/** This plugin's configuration, filled by process_arguments(). */
struct config {
	struct opts_common common;
	struct dns_resolver resolver;
	char helo[256];
	struct range cert_warn, cert_crit; /* -w, -c as "DAYS:": alert below DAYS days left */
	struct range sig_warn, sig_crit;   /* --sig-warning, --sig-critical, likewise */
	bool stale_warning;
	struct probe_types types; /* --key-types, default every type */
	bool authoritative;       /* -A: every authoritative server must serve a next key */
	const char *cert_file;    /* --cert: the deployed chain, instead of connecting */
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
	OPT_KEY_TYPES,
	OPT_AUTHORITATIVE = 'A',
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
    {"key-types", 0, true, "LIST",
     "Certificate types to fetch from every address, comma-separated: ecdsa, rsa,\n"
     "ed25519; default: all. Each certificate presented gets its own forecast."},
    {"authoritative", 'A', false, NULL,
     "Also ask every authoritative server of the zones of the MX and TLSA records\n"
     "directly (as check_tlsa -A does, with its verdicts): a staged next key or\n"
     "certificate counts as published only when every server serves its record."},
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
		  "[--sig-critical DAYS] [--key-types LIST] [-A]",
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

/*
 * A threshold given as a number of days ("21", parsed as the range 0..21)
 * into the range that alerts below that many days left ("21:"). Returns 0,
 * or -1 when the range is not a plain number.
 */
static int
days_threshold(const struct range *given, struct range *below)
{
	if (given->inside || given->start_inf || given->end_inf || given->start != 0 ||
	    given->end < 0)
		return -1;
	*below = rollover_days_range(given->end);
	return 0;
}

/* --sig-warning, --sig-critical: a number of days, digits with an optional fraction. */
static int
parse_days(const char *arg, struct range *below)
{
	struct range r;
	char err[128];

	if (range_parse(arg, &r, err, sizeof(err)) != 0)
		return -1;
	return days_threshold(&r, below);
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
		if (parse_days(arg, opt == OPT_SIG_WARNING ? &cfg->sig_warn : &cfg->sig_crit) !=
		    0) {
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
	case OPT_AUTHORITATIVE:
		cfg->authoritative = true;
		return 0;
	case OPT_KEY_TYPES: {
		char why[128];

		if (probe_types_parse(arg, &cfg->types, why, sizeof(why)) != 0) {
			snprintf(err, errsize, "invalid --key-types: %s", why);
			return -1;
		}
		return 0;
	}
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
config_free(void *config)
{
	struct config *cfg = config;
	size_t i;

	if (cfg->cert_chain != NULL)
		sk_X509_pop_free(cfg->cert_chain, X509_free);
	for (i = 0; i < MAX_STAGED; i++) {
		if (cfg->next_chains[i] != NULL)
			sk_X509_pop_free(cfg->next_chains[i], X509_free);
		EVP_PKEY_free(cfg->next_keys[i]);
	}
}

/** Parse the command line into the config; on failure the output says why. */
static int
process_arguments(int argc, char **argv, void *config, struct output *out)
{
	struct config *cfg = config;

	memset(cfg, 0, sizeof(*cfg));
	probe_types_all(&cfg->types);
	cfg->sig_warn = rollover_days_range(7);
	cfg->sig_crit = rollover_days_range(2);
	if (opts_parse(&spec, argc, argv, &cfg->common, extra_option, cfg, out) != OPTS_CONTINUE)
		return -1;
	if (plugin_mx_target(&cfg->common, out) != 0)
		return -1;
	cfg->cert_warn = rollover_days_range(21);
	cfg->cert_crit = rollover_days_range(7);
	if (cfg->common.has_warning && days_threshold(&cfg->common.warning, &cfg->cert_warn) != 0) {
		output_unknown(out, "-w takes a number of days (e.g. -w 21)");
		return -1;
	}
	if (cfg->common.has_critical &&
	    days_threshold(&cfg->common.critical, &cfg->cert_crit) != 0) {
		output_unknown(out, "-c takes a number of days (e.g. -c 7)");
		return -1;
	}
	if (cfg->helo[0] == '\0')
		opts_helo_name(NULL, cfg->helo, sizeof(cfg->helo));
	if (plugin_mx_resolver(&cfg->common, &cfg->resolver, out) != 0)
		return -1;
	return load_files(cfg, out);
}

/* Signature expiry line for an RRset group; lowers *min_days. */
static void
report_sigs(const struct config *cfg, time_t expire, time_t now, const char *what,
	    struct output *out, struct output_check *parent, double *min_days)
{
	char date[32];
	double days;
	state_t st;

	if (expire == 0)
		return;
	days = difftime(expire, now) / 86400.0;
	if (isnan(*min_days) || days < *min_days)
		*min_days = days;
	st = rollover_days_state(&cfg->sig_warn, &cfg->sig_crit, days);
	output_add(out, parent, st, "DNSSEC signatures on %s expire %s (%.1f days)%s", what,
		   rollover_date(expire, date, sizeof(date)), days,
		   st != STATE_OK ? ": re-sign the zone, or validating senders will defer mail"
				  : "");
}

/* What one run works with: the walk, the chains fetched, the fewest days left. */
struct run {
	struct mx_result r;
	struct probe_target *targets;
	struct probe_result *results;
	char (*labels)[MX_NAME_MAX + 160]; /* per probe: the address and its certificate */
	size_t n;                          /* targets probed */
	double cert_days;                  /* fewest days left of the certificates, NAN if none */
	double sig_days;                   /* fewest days left of the RRSIGs, NAN if none */
	struct tls_ctx *ctx;
	struct auth_result auth; /* -A: the authoritative servers */
};

/*
 * Select the addresses and fetch their chains (unless --cert gives the
 * chain): the verdicts of the hosts left out first. Returns 0, or -1 when
 * out says why the check stops.
 */
static int
fetch_chains(const struct config *cfg, struct run *run, struct deadline *dl, struct output *out)
{
	struct probe_left left;
	char err[256];

	run->targets = calloc(PROBE_MAX_TARGETS + 1, sizeof(*run->targets));
	run->results = calloc(PROBE_MAX_TARGETS + 1, sizeof(*run->results));
	run->labels = calloc(PROBE_MAX_TARGETS + 1, sizeof(*run->labels));
	if (run->targets == NULL || run->results == NULL || run->labels == NULL) {
		output_unknown(out, "out of memory");
		return -1;
	}
	run->n = probe_targets(&run->r, cfg->common.port, &cfg->types, run->targets, &left);
	verdict_unprobed(&run->r, &left, out);
	if (cfg->cert_chain != NULL)
		run->n = 0; /* --cert: no connections */
	if (run->n == 0)
		return 0;
	run->ctx = tls_ctx_new(err, sizeof(err));
	if (run->ctx == NULL) {
		output_unknown(out, "%s", err);
		return -1;
	}
	deadline_stage(dl, "fetching the chains of %zu address%s x %zu certificate type%s",
		       run->n / cfg->types.n, run->n / cfg->types.n == 1 ? "" : "es", cfg->types.n,
		       cfg->types.n == 1 ? "" : "s");
	probe_run(run->ctx, run->targets, run->n, cfg->helo, dl, run->results);
	return 0;
}

/*
 * The chains one host presented (--cert, or its addresses, one per
 * certificate type) into peers; a probe that got no chain gets a CRITICAL
 * line under line (once per address when every type failed alike; a type
 * the server lacks is no failure). Returns the count.
 */
static size_t
host_peers(const struct config *cfg, struct run *run, const struct mx_host *h,
	   struct rollover_peer *peers, struct output *out, struct output_check *line)
{
	size_t k, npeers = 0;
	char key[64];

	if (cfg->cert_chain != NULL) {
		peers[npeers++] =
		    (struct rollover_peer){cfg->cert_file, cfg->cert_chain, TLS_KEY_ANY};
		return npeers;
	}
	for (k = 0; k < run->n; k++) {
		const struct probe_result *res = &run->results[k];
		const char *why = res->smtp.result != SMTP_OK ? res->smtp.reason : res->tls.reason;

		if (run->targets[k].host != h || probe_not_offered(res))
			continue;
		if (!res->started) {
			output_add(out, line, STATE_WARNING, "%s: %s certificate %s", res->label,
				   tls_key_type_name(res->key_type), res->smtp.reason);
			continue;
		}
		if (res->tls.ncerts == 0) {
			if (k == 0 || run->targets[k - 1].addr != run->targets[k].addr ||
			    strcmp(why, run->results[k - 1].smtp.result != SMTP_OK
					    ? run->results[k - 1].smtp.reason
					    : run->results[k - 1].tls.reason) != 0)
				output_add(out, line, STATE_CRITICAL, "%s: no chain: %s",
					   res->label, why);
			continue;
		}
		snprintf(run->labels[k], sizeof(run->labels[k]), "%s %s certificate", res->label,
			 cert_key_name(&res->tls.certs[0], key, sizeof(key)));
		peers[npeers++] =
		    (struct rollover_peer){run->labels[k], res->tls.chain, res->key_type};
	}
	return npeers;
}

/* The forecast of every host with usable TLSA records, one line each. */
static void
forecast_hosts(const struct config *cfg, struct run *run, time_t now, struct rollover_peer *peers,
	       struct output *out)
{
	struct rollover_params p;
	size_t i;

	memset(&p, 0, sizeof(p));
	p.now = now;
	p.warn = cfg->cert_warn;
	p.crit = cfg->cert_crit;
	p.stale_warning = cfg->stale_warning;
	p.next_chains = cfg->next_chains;
	p.next_chain_names = cfg->next_cert_files;
	p.nnext_chains = cfg->nnext_certs;
	p.next_keys = cfg->next_keys;
	p.next_key_names = cfg->next_key_files;
	p.nnext_keys = cfg->nnext_keys;
	p.auth = cfg->authoritative ? &run->auth : NULL;
	for (i = 0; i < run->r.nhosts; i++) {
		const struct mx_host *h = &run->r.hosts[i];
		struct output_check *line;
		size_t npeers;

		if (!mx_host_dane_usable(h))
			continue;
		line = output_add(out, NULL, STATE_OK, "%s", h->name);
		output_check_set_level(output_add(out, line, STATE_OK,
						  "%zu usable TLSA record%s at %s", h->tlsa.usable,
						  h->tlsa.usable == 1 ? "" : "s", h->tlsa_qname),
				       1);
		npeers = host_peers(cfg, run, h, peers, out, line);
		rollover_host(h, peers, npeers, &p, out, line, &run->cert_days);
		report_sigs(cfg, h->sig_expire, now, "its address and TLSA RRsets", out, line,
			    &run->sig_days);
	}
}

/* The status line: no breakage ahead, or where the worst state comes from. */
static void
summary(const struct run *run, struct output *out)
{
	const char *target = mx_target(&run->r);
	const char *top, *leaf;

	if (output_state(out) == STATE_OK) {
		output_summary(out,
			       "%s: no DANE breakage ahead (certificates: %.0f days left, DNSSEC "
			       "signatures: %.0f days)",
			       target, isnan(run->cert_days) ? 0 : round(run->cert_days),
			       isnan(run->sig_days) ? 0 : round(run->sig_days));
		return;
	}
	output_worst_path(out, &top, &leaf);
	if (top == leaf)
		output_summary(out, "%s: %s", target, leaf);
	else
		output_summary(out, "%s: %s: %s", target, top, leaf);
}

/* The run's perfdata: the thresholds are the -w/-c and --sig-* ranges. */
static void
perfdata(const struct config *cfg, const struct run *run, struct deadline *dl, struct output *out)
{
	output_perfdata(out,
			&(struct output_perfdata){
			    .label = "cert_days",
			    .value = isnan(run->cert_days) ? 0 : round(run->cert_days * 10) / 10,
			    .unknown = isnan(run->cert_days),
			    .warn = &cfg->cert_warn,
			    .crit = &cfg->cert_crit});
	output_perfdata(out, &(struct output_perfdata){
				 .label = "sig_days",
				 .value = isnan(run->sig_days) ? 0 : round(run->sig_days * 10) / 10,
				 .unknown = isnan(run->sig_days),
				 .warn = &cfg->sig_warn,
				 .crit = &cfg->sig_crit});
	output_perfdata(
	    out, &(struct output_perfdata){
		     .label = "time", .value = deadline_elapsed(dl), .uom = "s", .has_min = true});
}

/*
 * -A: the authoritative servers of the zones of the MX and TLSA records, and
 * their verdicts. Returns -1 when no zone is known (a usage error in out).
 */
static int
ask_authoritative(const struct config *cfg, struct run *run, struct deadline *dl,
		  struct output *out)
{
	if (auth_plan_walk(&run->auth, &run->r) == 0) {
		opts_usage_error(&spec, out,
				 "-A: the zone of the MX and TLSA records cannot be found (no "
				 "DNSSEC-signed answer names it): give the mail domain with -D");
		return -1;
	}
	if (auth_collect(&run->auth, &cfg->resolver, cfg->common.family, dl) != 0) {
		output_unknown(out, "out of memory");
		return -1;
	}
	verdict_auth(&run->auth, time(NULL), out);
	return 0;
}

/** Walk, fetch chains, forecast, fill out. */
static void
run_check(const void *config, struct deadline *dl, struct output *out)
{
	const struct config *cfg = config;
	struct run run = {.cert_days = NAN, .sig_days = NAN};
	struct rollover_peer *peers = NULL;
	time_t now = time(NULL);
	enum mx_walk_end end;

	end = mx_walk(&cfg->resolver, cfg->common.domain, cfg->common.hosts, cfg->common.nhosts,
		      cfg->common.family, cfg->common.port, dl, &run.r);
	if (!verdict_walk(&run.r, end, out))
		goto perf;
	if (run.r.status == MX_FOUND)
		report_sigs(cfg, run.r.sig_expire, now, "the MX RRset", out, NULL, &run.sig_days);
	peers = calloc(PROBE_MAX_TARGETS + MX_MAX_ADDRS + 1, sizeof(*peers));
	if (peers == NULL) {
		output_unknown(out, "out of memory");
		goto perf;
	}
	if (cfg->authoritative && ask_authoritative(cfg, &run, dl, out) != 0)
		goto perf;
	if (fetch_chains(cfg, &run, dl, out) != 0)
		goto perf;
	forecast_hosts(cfg, &run, now, peers, out);
	summary(&run, out);
perf:
	perfdata(cfg, &run, dl, out);
	if (run.results != NULL)
		probe_results_free(run.results, run.n);
	free(run.results);
	free(run.targets);
	free(run.labels);
	free(peers);
	tls_ctx_free(run.ctx);
	auth_result_free(&run.auth);
	mx_result_free(&run.r);
}

int
main(int argc, char **argv)
{
	static const struct plugin plugin = {SERVICE, true, process_arguments, run_check,
					     config_free};
	struct config cfg = {0};

	return plugin_main(&plugin, &cfg, &cfg.common, argc, argv);
}
