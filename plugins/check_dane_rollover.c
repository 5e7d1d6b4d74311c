/*
 * check_dane_rollover -- what will break DANE soon: certificate expiry,
 * records a renewal will not match, a staged next key or certificate not yet
 * published, DNSSEC signatures about to expire, stale records, addresses
 * presenting different keys.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "cert.h"
#include "deadline.h"
#include "expiry.h"
#include "mx.h"
#include "opts.h"
#include "output.h"
#include "plugin.h"
#include "probe.h"
#include "rollover_files.h"
#include "verdict.h"
#include "verdict_rollover.h"

#define SERVICE "DANE_ROLLOVER"

/** This plugin's configuration, filled by process_arguments(). */
struct config {
	struct opts_common common;
	struct dns_resolver resolver;
	/* -w, -c, --renew-before, --sig-*, --stale-warning, --gate */
	struct verdict_rollover_params p;
	struct rollover_files files; /* --cert, --next-cert, --next-key, --issuers */
	bool authoritative;          /* -A: every authoritative server must serve a next key */
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
	      OPTS_KEY_TYPES | OPTS_VALIDATE,
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

static int
extra_option(void *ctx, int opt, const char *arg, char *err, size_t errsize)
{
	struct config *cfg = ctx;
	struct verdict_rollover_params *p = &cfg->p;

	switch (opt) {
	case OPT_CERT:
		cfg->files.cert_file = arg;
		return 0;
	case OPT_NEXT_CERT:
	case OPT_NEXT_KEY:
		return rollover_files_stage(&cfg->files, opt == OPT_NEXT_KEY, arg, err, errsize);
	case OPT_ISSUERS:
		cfg->files.issuers_file = arg;
		return 0;
	case OPT_GATE:
		p->gate = true;
		return 0;
	case OPT_STALE_WARNING:
		p->stale_warning = true;
		return 0;
	case OPT_SIG_WARNING:
	case OPT_SIG_CRITICAL:
		if (expiry_parse_below(arg, opt == OPT_SIG_WARNING ? &p->sig_warn : &p->sig_crit,
				       err, errsize) != 0) {
			snprintf(err, errsize, "invalid number of days '%.40s'", arg);
			return -1;
		}
		return 0;
	case OPT_AUTHORITATIVE:
		cfg->authoritative = true;
		return 0;
	case OPT_WARNING:
		return expiry_policy_set(&p->expiry, EXPIRY_OPT_WARNING, arg, err, errsize);
	case OPT_CRITICAL:
		return expiry_policy_set(&p->expiry, EXPIRY_OPT_CRITICAL, arg, err, errsize);
	case OPT_RENEW_BEFORE:
		return expiry_policy_set(&p->expiry, EXPIRY_OPT_RENEW_BEFORE, arg, err, errsize);
	default:
		snprintf(err, errsize, "unexpected option");
		return -1;
	}
}

static void
config_free(void *config)
{
	rollover_files_clear(&((struct config *)config)->files);
	plugin_resolver_free(&((struct config *)config)->resolver);
}

/** Parse the command line into the config, load the files; on failure the output says why. */
static int
process_arguments(int argc, char **argv, void *config, struct output *out)
{
	struct config *cfg = config;
	enum cert_load_status st;
	const char *option, *file;
	char err[512];

	memset(cfg, 0, sizeof(*cfg));
	cfg->p.sig_warn = expiry_days_range(7);
	cfg->p.sig_crit = expiry_days_range(2);
	cfg->p.files = &cfg->files;
	if (opts_parse(&spec, argc, argv, &cfg->common, extra_option, cfg, out) != OPTS_CONTINUE)
		return -1;
	if (plugin_mx_target(&cfg->common, out) != 0)
		return -1;
	if (expiry_policy_check(&cfg->p.expiry, err, sizeof(err)) != 0) {
		opts_usage_error(&spec, out, err);
		return -1;
	}
	if (cfg->p.gate && cfg->files.nnext_certs == 0 && cfg->files.nnext_keys == 0) {
		opts_usage_error(&spec, out, "--gate needs --next-cert FILE or --next-key FILE");
		return -1;
	}
	if (plugin_mx_resolver(&cfg->common, &cfg->resolver, out) != 0)
		return -1;
	st = rollover_files_load(&cfg->files, &option, &file, err, sizeof(err));
	if (st != CERT_LOAD_OK)
		verdict_rollover_file(out, option, file, st, err);
	return st == CERT_LOAD_OK ? 0 : -1;
}

/*
 * -A: the authoritative servers of the zones of the MX and TLSA records, and
 * their verdicts. Returns -1 when no zone is known (a usage error in out).
 */
static int
ask_authoritative(const struct config *cfg, const struct mx_result *r, struct auth_result *auth,
		  struct deadline *dl, struct output *out)
{
	if (auth_plan_walk(auth, r) == 0) {
		opts_usage_error(&spec, out,
				 "-A: the zone of the MX and TLSA records cannot be found (no "
				 "DNSSEC-signed answer names it): give the mail domain with -D");
		return -1;
	}
	if (auth_collect(auth, &cfg->resolver, cfg->common.family, dl) != 0) {
		output_unknown(out, FC_PLUGIN_LOCAL_FAILURE, "out of memory");
		return -1;
	}
	/* the gate asks only whether every server serves the staged file's record */
	if (!cfg->p.gate)
		verdict_auth(auth, time(NULL), out);
	return 0;
}

/** Walk, fetch the chains (unless --cert or --gate), forecast, fill out. */
static void
run_check(const void *config, struct deadline *dl, struct output *out)
{
	const struct config *cfg = config;
	struct verdict_rollover_params p = cfg->p;
	struct verdict_rollover_totals t;
	struct auth_result auth = {0};
	struct probe_batch *batch = NULL;
	struct tls_early early = {0};
	bool fetch = cfg->files.cert_chain == NULL && !p.gate;
	struct mx_result r;
	enum mx_walk_end end;
	size_t naddr;
	char err[256];

	p.now = time(NULL);
	verdict_rollover_totals_init(&t);
	/* the TLS context (when chains are fetched) is made while the DNS is asked */
	if (fetch)
		tls_early_start(&early);
	end = mx_walk(&cfg->resolver, cfg->common.domain, cfg->common.hosts, cfg->common.nhosts,
		      cfg->common.family, cfg->common.port, dl, &r);
	if (!verdict_walk(&r, end, out))
		goto perf;
	verdict_rollover_mx(&r, &p, out, &t);
	if (cfg->authoritative && ask_authoritative(cfg, &r, &auth, dl, out) != 0)
		goto perf;
	p.auth = cfg->authoritative ? &auth : NULL;
	batch = probe_batch_new(&r, cfg->common.port, &cfg->common.types);
	if (batch == NULL) {
		output_unknown(out, FC_PLUGIN_LOCAL_FAILURE, "out of memory");
		goto perf;
	}
	verdict_unprobed(&r, &batch->left, out);
	if (fetch && batch->n > 0) {
		naddr = batch->n / cfg->common.types.n;
		deadline_stage(dl, "fetching the chains of %zu address%s x %zu certificate type%s",
			       naddr, naddr == 1 ? "" : "es", cfg->common.types.n,
			       cfg->common.types.n == 1 ? "" : "s");
		if (probe_batch_run(batch, &early, cfg->common.helo, dl, err, sizeof(err)) < 0) {
			output_unknown(out, FC_PLUGIN_LOCAL_FAILURE, "%s", err);
			goto perf;
		}
	}
	verdict_rollover_hosts(&r, fetch ? batch : NULL, &p, out, &t);
	verdict_rollover_summary(&r, &p, &t, out);
perf:
	verdict_rollover_perfdata(&p, &t, deadline_elapsed(dl), out);
	probe_batch_free(batch);
	tls_early_clear(&early);
	auth_result_clear(&auth);
	mx_result_clear(&r);
}

int
main(int argc, char **argv)
{
	static const struct plugin plugin = {SERVICE, true, process_arguments, run_check,
					     config_free};
	struct config cfg = {0};

	return plugin_main(&plugin, &cfg, &cfg.common, argc, argv);
}
