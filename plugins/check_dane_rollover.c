/*
 * check_dane_rollover -- what will break DANE soon: certificate expiry,
 * records a renewal will not match, a staged next key or certificate not yet
 * published, DNSSEC signatures about to expire, stale records, addresses
 * presenting different keys.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth.h"
#include "cert.h"
#include "deadline.h"
#include "expiry.h"
#include "dns.h"
#include "mx.h"
#include "netio.h"
#include "opts.h"
#include "output.h"
#include "plugin.h"
#include "probe.h"
#include "range.h"
#include "verdict_rollover.h"
#include "verdict_staged.h"
#include "tls.h"
#include "verdict.h"

#define SERVICE    "DANE_ROLLOVER"
#define MAX_STAGED 8

/* Most certificates read from --issuers (the rest is counted, and said). */
#define MAX_ISSUERS 64

/** This plugin's configuration, filled by process_arguments(). */
struct config {
	struct opts_common common;
	struct dns_resolver resolver;
	struct expiry_policy expiry; /* -w, -c (days or % of the lifetime), --renew-before */
	struct range sig_warn,
	    sig_crit;             /* --sig-warning, --sig-critical: alert below DAYS days left */
	const char *issuers_file; /* --issuers: the CAs a renewal may come from */
	bool stale_warning;
	bool gate;             /* --gate: only the staged files, no connections */
	bool authoritative;    /* -A: every authoritative server must serve a next key */
	const char *cert_file; /* --cert: the deployed chain, instead of connecting */
	const char *next_cert_files[MAX_STAGED];
	size_t nnext_certs;
	const char *next_key_files[MAX_STAGED];
	size_t nnext_keys;
	/* loaded at start, freed at exit */
	STACK_OF(X509) * cert_chain;
	STACK_OF(X509) * next_chains[MAX_STAGED];
	EVP_PKEY *next_keys[MAX_STAGED];
	STACK_OF(X509) * issuers; /* --issuers, at most MAX_ISSUERS */
	size_t issuers_total;     /* certificates in the file */
};

enum {
	OPT_CERT = OPTS_EXTRA_BASE,
	OPT_NEXT_CERT,
	OPT_NEXT_KEY,
	OPT_STALE_WARNING,
	OPT_SIG_WARNING,
	OPT_SIG_CRITICAL,
	OPT_RENEW_BEFORE,
	OPT_ISSUERS,
	OPT_GATE,
	OPT_AUTHORITATIVE = 'A',
	OPT_WARNING = 'w',
	OPT_CRITICAL = 'c',
};

static const struct opts_extra extra_options[] = {
    {OPT_CERT, "cert", 0, true, "FILE",
     "The deployed chain (PEM, leaf first) for hosts whose port 25 cannot be\n"
     "reached from here: used instead of connecting to the addresses."},
    {OPT_NEXT_CERT, "next-cert", 0, true, "FILE",
     "A staged certificate (PEM, leaf first, chain optional) that the next renewal\n"
     "deploys: CRITICAL unless a published usable record matches it. Repeatable."},
    {OPT_NEXT_KEY, "next-key", 0, true, "FILE",
     "A staged key (private or public, PEM) that the next renewal deploys: CRITICAL\n"
     "unless a published 3 1 x record matches it; the 3 1 1 record to publish is\n"
     "printed. Repeatable."},
    {OPT_STALE_WARNING, "stale-warning", 0, false, NULL,
     "Usable records that match nothing presented are a WARNING (default: a detail\n"
     "line)."},
    {OPT_SIG_WARNING, "sig-warning", 0, true, "DAYS",
     "WARNING when the earliest RRSIG on the MX, address or TLSA RRsets expires\n"
     "within DAYS days (default 7)."},
    {OPT_SIG_CRITICAL, "sig-critical", 0, true, "DAYS", "As --sig-warning, CRITICAL (default 2)."},
    {OPT_AUTHORITATIVE, "authoritative", 'A', false, NULL,
     "Also ask every authoritative server of the zones of the MX and TLSA records\n"
     "directly (as check_tlsa -A does, with its verdicts): a staged next key or\n"
     "certificate counts as published only when every server serves its record."},
    {OPT_WARNING, "warning", 'w', true, "DAYS|PCT%",
     "WARNING when a certificate has less than DAYS days (fractions allowed:\n"
     "0.5) or PCT % of its lifetime left; default min(21 days, 30 %)."},
    {OPT_CRITICAL, "critical", 'c', true, "DAYS|PCT%",
     "CRITICAL likewise; default min(7 days, 10 %)."},
    {OPT_RENEW_BEFORE, "renew-before", 0, true, "DAYS",
     "The ACME client renews DAYS days before notAfter (the forecasts' renewal\n"
     "date); default: after two thirds of the lifetime (certbot, acme.sh)."},
    {OPT_ISSUERS, "issuers", 0, true, "FILE",
     "PEM bundle of the intermediate CAs the next certificate may be issued from\n"
     "(the ACME CA's published set). For hosts with DANE-TA (2 x x) records: WARNING\n"
     "for each issuer the records do not cover, with the 2 1 1 record to publish."},
    {OPT_GATE, "gate", 0, false, NULL,
     "Renewal gate (an ACME client's hook, before the MTA reloads): judge only the\n"
     "staged --next-cert/--next-key files, without connecting: OK when a published\n"
     "usable record of every DANE host matches each of them (with -A: on every\n"
     "authoritative server), CRITICAL when not, WARNING when a server that did not\n"
     "answer leaves it unconfirmed, UNKNOWN when DNS cannot tell."},
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
    .common = OPTS_DOMAIN | OPTS_HOST | OPTS_PORT | OPTS_RESOLVER | OPTS_FAMILY | OPTS_HELO |
	      OPTS_KEY_TYPES,
    .host_help = "MX host name to check instead of walking the MX records of -D;\n"
		 "repeatable.",
    .port_help = "SMTP port, default 25 (TLSA records at _PORT._tcp).",
    .default_port = 25,
    .extra = extra_options,
    .nextra = sizeof(extra_options) / sizeof(extra_options[0]),
    .usage_args = "-D DOMAIN | -H HOST [-H HOST]... [-p PORT] [-r ADDR[@PORT]] [--helo NAME] "
		  "[--cert FILE] [--next-key FILE]... "
		  "[--next-cert FILE]... [--stale-warning] [--sig-warning DAYS] "
		  "[--sig-critical DAYS] [--key-types LIST] [-A] [-w DAYS|PCT%] [-c DAYS|PCT%] "
		  "[--renew-before DAYS] [--issuers FILE] [--gate]",
    .notes = "Certificate expiry is judged against the certificate's lifetime as well as in\n"
	     "days: by default WARNING below min(21 days, 30 % of the lifetime) left,\n"
	     "CRITICAL below min(7 days, 10 %): a 1-year certificate warns at 21 days, a\n"
	     "45-day one at 13.5 days, a 6-day one at 43 hours (critical at 14 hours).\n"
	     "Under two days the time left is in hours. Every forecast says when the renewal\n"
	     "is expected (two thirds of the lifetime, as certbot and acme.sh do, or\n"
	     "--renew-before); inside the warning threshold a renewal is due, so forecasts\n"
	     "that it breaks DANE are WARNING there and detail lines (OK) before.\n"
	     "CRITICAL: a certificate below the critical threshold, a chain no record\n"
	     "matches now, an unpublished staged key or certificate (with -A: one that not\n"
	     "every authoritative server serves), signatures below --sig-critical, hosts\n"
	     "without usable secure TLSA (check_tlsa's verdict). WARNING: an issuer of\n"
	     "--issuers that the DANE-TA records do not cover.\n"
	     "Perfdata: cert_days (days left of the certificate that expires first, two\n"
	     "decimals; its thresholds in days), sig_days (fewest days left of the RRSIGs),\n"
	     "time (seconds).\n"
	     "Renewal gate: run from the ACME client's hook with the new certificate\n"
	     "(--next-cert) before the MTA is reloaded; it exits non-zero when the published\n"
	     "TLSA records do not cover it (see dane-renewal-gate).",
    .examples =
	"  check_dane_rollover -D example.org\n"
	"  check_dane_rollover -D example.org --next-key /etc/letsencrypt/next/privkey.pem\n"
	"  check_dane_rollover -H mx.example.org --cert /etc/postfix/chain.pem -w 30 -c 10\n"
	"  check_dane_rollover -D example.org -w 33% -c 10% --renew-before 15\n"
	"  check_dane_rollover -D example.org --issuers /etc/dane/letsencrypt-intermediates.pem\n"
	"  check_dane_rollover -D example.org -A --next-cert "
	"/etc/letsencrypt/live/mx.example.org/fullchain.pem",
};

/* -w, -c (days or a share of the lifetime) and --renew-before into cfg->expiry. */
static int
expiry_option(struct config *cfg, int opt, const char *arg, char *err, size_t errsize)
{
	char why[160];

	if (opt == OPT_RENEW_BEFORE) {
		if (expiry_parse_days(arg, &cfg->expiry.renew_before_days, why, sizeof(why)) != 0) {
			snprintf(err, errsize, "invalid --renew-before: %s", why);
			return -1;
		}
		cfg->expiry.has_renew_before = true;
		return 0;
	}
	if (expiry_parse_limit(arg, opt == OPT_WARNING ? &cfg->expiry.warn : &cfg->expiry.crit, why,
			       sizeof(why)) != 0) {
		snprintf(err, errsize, "invalid -%c: %s", opt, why);
		return -1;
	}
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
	case OPT_GATE:
		cfg->gate = true;
		return 0;
	case OPT_STALE_WARNING:
		cfg->stale_warning = true;
		return 0;
	case OPT_SIG_WARNING:
	case OPT_SIG_CRITICAL:
		if (expiry_parse_below(arg,
				       opt == OPT_SIG_WARNING ? &cfg->sig_warn : &cfg->sig_crit,
				       err, errsize) != 0) {
			snprintf(err, errsize, "invalid number of days '%.40s'", arg);
			return -1;
		}
		return 0;
	case OPT_AUTHORITATIVE:
		cfg->authoritative = true;
		return 0;
	case OPT_WARNING:
	case OPT_CRITICAL:
	case OPT_RENEW_BEFORE:
		return expiry_option(cfg, opt, arg, err, errsize);
	case OPT_ISSUERS:
		cfg->issuers_file = arg;
		return 0;
	default:
		snprintf(err, errsize, "unexpected option");
		return -1;
	}
}

/* Load the --cert, --next-cert, --next-key and --issuers files. */
static int
load_files(struct config *cfg, struct output *out)
{
	enum cert_load_status st;
	char err[512];
	size_t i;

	if (cfg->cert_file != NULL &&
	    cert_load_chain_pem(cfg->cert_file, &cfg->cert_chain, err, sizeof(err)) != 0) {
		output_unknown(out, FC_PLUGIN_LEGACY, "--cert: %s", err);
		return -1;
	}
	for (i = 0; i < cfg->nnext_certs; i++)
		if (cert_load_chain_pem(cfg->next_cert_files[i], &cfg->next_chains[i], err,
					sizeof(err)) != 0) {
			output_unknown(out, FC_PLUGIN_LEGACY, "--next-cert: %s", err);
			return -1;
		}
	for (i = 0; i < cfg->nnext_keys; i++)
		if (cert_load_pubkey_pem(cfg->next_key_files[i], &cfg->next_keys[i], err,
					 sizeof(err)) != 0) {
			output_unknown(out, FC_PLUGIN_LEGACY, "--next-key: %s", err);
			return -1;
		}
	if (cfg->issuers_file != NULL &&
	    (st = cert_load_issuers(cfg->issuers_file, MAX_ISSUERS, &cfg->issuers,
				    &cfg->issuers_total, err, sizeof(err))) != CERT_LOAD_OK) {
		output_unknown(out, FC_PLUGIN_LEGACY, "--issuers%s%s",
			       st == CERT_LOAD_PEM ? ": " : " ", err);
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
	if (cfg->issuers != NULL)
		sk_X509_pop_free(cfg->issuers, X509_free);
}

/** Parse the command line into the config; on failure the output says why. */
static int
process_arguments(int argc, char **argv, void *config, struct output *out)
{
	struct config *cfg = config;
	char err[256];

	memset(cfg, 0, sizeof(*cfg));
	cfg->sig_warn = expiry_days_range(7);
	cfg->sig_crit = expiry_days_range(2);
	if (opts_parse(&spec, argc, argv, &cfg->common, extra_option, cfg, out) != OPTS_CONTINUE)
		return -1;
	if (plugin_mx_target(&cfg->common, out) != 0)
		return -1;
	if (expiry_policy_check(&cfg->expiry, err, sizeof(err)) != 0) {
		opts_usage_error(&spec, out, err);
		return -1;
	}
	if (cfg->gate && cfg->nnext_certs == 0 && cfg->nnext_keys == 0) {
		opts_usage_error(&spec, out, "--gate needs --next-cert FILE or --next-key FILE");
		return -1;
	}
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
	st = expiry_days_state(&cfg->sig_warn, &cfg->sig_crit, days);
	output_add(out, parent, st, "DNSSEC signatures on %s expire %s (%.1f days)%s", what,
		   expiry_format_date(expire, false, date, sizeof(date)), days,
		   st != STATE_OK ? ": re-sign the zone, or validating senders will defer mail"
				  : "");
}

/* What one run works with: the walk, the chains fetched, the fewest days left. */
struct run {
	struct mx_result r;
	struct probe_target *targets;
	struct probe_result *results;
	char (*labels)[MX_NAME_MAX + 160];       /* per probe: the address and its certificate */
	size_t n;                                /* targets probed */
	struct verdict_rollover_soonest soonest; /* the certificate that expires first */
	double sig_days;                         /* fewest days left of the RRSIGs, NAN if none */
	struct tls_ctx *ctx;
	struct auth_result auth; /* -A: the authoritative servers */
	size_t ngated;           /* hosts with usable TLSA records */
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
		output_unknown(out, FC_PLUGIN_LOCAL_FAILURE, "out of memory");
		return -1;
	}
	run->n = probe_targets(&run->r, cfg->common.port, &cfg->common.types, run->targets, &left);
	verdict_unprobed(&run->r, &left, out);
	if (cfg->cert_chain != NULL || cfg->gate)
		run->n = 0; /* --cert, --gate: no connections */
	if (run->n == 0)
		return 0;
	run->ctx = tls_ctx_new(err, sizeof(err));
	if (run->ctx == NULL) {
		output_unknown(out, FC_PLUGIN_LEGACY, "%s", err);
		return -1;
	}
	deadline_stage(dl, "fetching the chains of %zu address%s x %zu certificate type%s",
		       run->n / cfg->common.types.n, run->n / cfg->common.types.n == 1 ? "" : "es",
		       cfg->common.types.n, cfg->common.types.n == 1 ? "" : "s");
	probe_run(run->ctx, run->targets, run->n, cfg->common.helo, dl, run->results);
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
	   struct verdict_rollover_peer *peers, struct output *out, struct output_check *line)
{
	size_t k, npeers = 0;
	char key[64];

	if (cfg->cert_chain != NULL) {
		peers[npeers++] =
		    (struct verdict_rollover_peer){cfg->cert_file, cfg->cert_chain, TLS_KEY_ANY};
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
		    (struct verdict_rollover_peer){run->labels[k], res->tls.chain, res->key_type};
	}
	return npeers;
}

/* The forecast of every host with usable TLSA records, one line each. */
static void
forecast_hosts(const struct config *cfg, struct run *run, time_t now,
	       struct verdict_rollover_peer *peers, struct output *out)
{
	struct verdict_rollover_params p;
	size_t i;

	memset(&p, 0, sizeof(p));
	p.now = now;
	p.expiry = cfg->expiry;
	p.issuers = cfg->issuers;
	p.issuers_name = cfg->issuers_file;
	p.issuers_total = cfg->issuers_total;
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
		run->ngated++;
		if (cfg->gate) {
			verdict_staged_gate(h, &p, out, line);
			continue;
		}
		npeers = host_peers(cfg, run, h, peers, out, line);
		verdict_rollover_host(h, peers, npeers, &p, out, line, &run->soonest);
		report_sigs(cfg, h->sig_expire, now, "its address and TLSA RRsets", out, line,
			    &run->sig_days);
	}
}

/* The status line: no breakage ahead, or where the worst state comes from. */
static void
summary(const struct config *cfg, const struct run *run, struct output *out)
{
	const char *target = mx_target(&run->r);
	const char *top, *leaf;
	char left[32] = "no certificate";

	if (output_state(out) == STATE_OK && cfg->gate) {
		if (run->ngated == 0)
			output_summary(out,
				       "%s: no host has usable TLSA records: deploying cannot "
				       "break DANE",
				       target);
		else
			output_summary(out,
				       "%s: deploying the staged %s keeps DANE working: the "
				       "published records of %s match it",
				       target, cfg->nnext_certs > 0 ? "certificate" : "key",
				       run->ngated == 1 ? "the host" : "every host");
		return;
	}
	if (output_state(out) == STATE_OK) {
		if (run->soonest.set)
			expiry_format_left(run->soonest.days, left, sizeof(left));
		output_summary(out,
			       "%s: no DANE breakage ahead (certificates: %s%s, DNSSEC signatures: "
			       "%.0f days)",
			       target, left, run->soonest.set ? " left" : "",
			       isnan(run->sig_days) ? 0 : round(run->sig_days));
		return;
	}
	output_worst_path(out, &top, &leaf);
	if (top == leaf)
		output_summary(out, "%s: %s", target, leaf);
	else
		output_summary(out, "%s: %s: %s", target, top, leaf);
}

/*
 * The run's perfdata. cert_days has the thresholds, in days, of the
 * certificate that expires first (without one: of a one-year certificate);
 * sig_days the --sig-* ranges.
 */
static void
perfdata(const struct config *cfg, const struct run *run, struct deadline *dl, struct output *out)
{
	double life = run->soonest.set ? run->soonest.v.lifetime_days : 365;
	struct range w =
	    expiry_days_range(round(expiry_limit_days(&cfg->expiry.warn, life, EXPIRY_WARN_DAYS,
						      EXPIRY_WARN_PERCENT) *
				    100) /
			      100);
	struct range c =
	    expiry_days_range(round(expiry_limit_days(&cfg->expiry.crit, life, EXPIRY_CRIT_DAYS,
						      EXPIRY_CRIT_PERCENT) *
				    100) /
			      100);

	output_perfdata(
	    out,
	    &(struct perfdata){.label = "cert_days",
			       .value = run->soonest.set ? round(run->soonest.days * 100) / 100 : 0,
			       .unknown = !run->soonest.set,
			       .warn = &w,
			       .crit = &c});
	output_perfdata(out, &(struct perfdata){
				 .label = "sig_days",
				 .value = isnan(run->sig_days) ? 0 : round(run->sig_days * 10) / 10,
				 .unknown = isnan(run->sig_days),
				 .warn = &cfg->sig_warn,
				 .crit = &cfg->sig_crit});
	output_perfdata(
	    out, &(struct perfdata){
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
		output_unknown(out, FC_PLUGIN_LOCAL_FAILURE, "out of memory");
		return -1;
	}
	/* the gate asks only whether every server serves the staged file's record */
	if (!cfg->gate)
		verdict_auth(&run->auth, time(NULL), out);
	return 0;
}

/** Walk, fetch chains, forecast, fill out. */
static void
run_check(const void *config, struct deadline *dl, struct output *out)
{
	const struct config *cfg = config;
	struct run run = {.sig_days = NAN};
	struct verdict_rollover_peer *peers = NULL;
	time_t now = time(NULL);
	enum mx_walk_end end;

	end = mx_walk(&cfg->resolver, cfg->common.domain, cfg->common.hosts, cfg->common.nhosts,
		      cfg->common.family, cfg->common.port, dl, &run.r);
	if (!verdict_walk(&run.r, end, out))
		goto perf;
	if (run.r.status == MX_FOUND && !cfg->gate)
		report_sigs(cfg, run.r.sig_expire, now, "the MX RRset", out, NULL, &run.sig_days);
	peers = calloc(PROBE_MAX_TARGETS + MX_MAX_ADDRS + 1, sizeof(*peers));
	if (peers == NULL) {
		output_unknown(out, FC_PLUGIN_LOCAL_FAILURE, "out of memory");
		goto perf;
	}
	if (cfg->authoritative && ask_authoritative(cfg, &run, dl, out) != 0)
		goto perf;
	if (fetch_chains(cfg, &run, dl, out) != 0)
		goto perf;
	forecast_hosts(cfg, &run, now, peers, out);
	summary(cfg, &run, out);
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
