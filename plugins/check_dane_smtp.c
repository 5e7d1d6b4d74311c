/*
 * check_dane_smtp -- for every MX host and every address: STARTTLS on port
 * 25, and does the presented chain match the TLSA records (RFC 7672)?
 * Verification is OpenSSL's own DANE verifier; all addresses are probed
 * concurrently under one deadline.
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
#include "plugin.h"
#include "probe.h"
#include "text.h"
#include "tls.h"
#include "verdict.h"

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
    .common = OPTS_DOMAIN | OPTS_HOST | OPTS_PORT | OPTS_RESOLVER | OPTS_FAMILY | OPTS_THRESHOLDS |
	      OPTS_HELO | OPTS_KEY_TYPES,
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

/* The leaf the peer presented, described for a failure line. */
static void
presented(const struct tls_result *t, char *dst, size_t dstsize)
{
	char hex[2 * TLSA_DIGEST_MAX + 1];
	const struct cert_info *leaf;

	if (t->ncerts == 0 || t->certs == NULL) {
		snprintf(dst, dstsize, "no certificate was presented");
		return;
	}
	leaf = &t->certs[0];
	text_hex(leaf->spki_sha256, sizeof(leaf->spki_sha256), hex, sizeof(hex));
	snprintf(dst, dstsize,
		 "presented %.120s (issuer %.120s, key %.31s); the presented key would match: "
		 "3 1 1 %s",
		 leaf->cn[0] ? leaf->cn : leaf->subject, leaf->issuer, leaf->key, hex);
}

/* The names a DANE-TA leaf carries, for a name-mismatch line. */
static void
leaf_names(const struct tls_result *t, char *dst, size_t dstsize)
{
	size_t i, o = 0;

	dst[0] = '\0';
	if (t->ncerts == 0)
		return;
	o += (size_t)snprintf(dst, dstsize, "CN=%s", t->certs[0].cn);
	for (i = 0; i < t->certs[0].nsans && o + 8 < dstsize; i++)
		o += (size_t)snprintf(dst + o, dstsize - o, "%sDNS:%s", i ? ", " : "; SANs ",
				      t->certs[0].sans[i]);
}

/* The certificate a probe got, as the operator names it: "RSA 2048 certificate". */
static const char *
cert_label(const struct probe_result *r, char *dst, size_t dstsize)
{
	char key[64];

	if (r->tls.ncerts > 0 && r->tls.certs != NULL)
		snprintf(dst, dstsize, "%s certificate",
			 cert_key_name(&r->tls.certs[0], key, sizeof(key)));
	else
		snprintf(dst, dstsize, "%s certificate", tls_key_type_name(r->key_type));
	return dst;
}

/*
 * One probe's line: label is the address, with the certificate named when
 * the address is probed per type ("mx.example.org.[192.0.2.1]:25 RSA 2048
 * certificate"); who names the senders that defer mail when it fails.
 */
static void
report_probe(const struct probe_result *r, const struct mx_host *h, const char *label,
	     const char *who, struct output *out)
{
	const struct tls_result *t = &r->tls;
	char text[600], rec[160];

	if (r->smtp.result != SMTP_OK) {
		output_add(out, NULL, r->started ? STATE_CRITICAL : STATE_WARNING, "%s: %s%s",
			   label, r->smtp.reason,
			   r->smtp.result == SMTP_ERR_NO_STARTTLS
			       ? ": DANE senders defer mail to it"
			       : "");
		return;
	}
	switch (t->outcome) {
	case TLS_OK:
		if (t->match_index >= 0 && (size_t)t->match_index < h->tlsa.n)
			tlsa_format(&h->tlsa.records[t->match_index].rd, rec, sizeof(rec), 16);
		else
			tlsa_format(&t->match, rec, sizeof(rec), 16);
		output_add(out, NULL, STATE_OK, "%s: %s %s, matched %s %s%d%s%s%s%s%s in %.3f s",
			   label, t->version, t->cipher, rec,
			   t->anchor_from_dns ? "(the trust anchor is the record itself, from "
						"DNS; it signed the certificate at depth "
					      : "at depth ",
			   t->match_depth, t->anchor_from_dns ? ")" : "",
			   t->peername[0] ? ", name " : "", t->peername,
			   h->expanded[0] ? ", TLSA base domain " : "",
			   h->expanded[0] ? h->tlsa_base : "", r->time);
		return;
	case TLS_ERR_NOT_OFFERED:
		output_check_set_level(
		    output_add(out, NULL, STATE_OK, "%s: not offered (%s)", label, t->reason), 1);
		return;
	case TLS_ERR_VERIFY:
		if (t->verify_error == X509_V_ERR_HOSTNAME_MISMATCH) {
			leaf_names(t, text, sizeof(text));
			output_add(out, NULL, STATE_CRITICAL,
				   "%s: DANE-TA name check failed: the certificate names %s, "
				   "expected %s%s%s%s",
				   label, text, h->tlsa_base,
				   strcmp(h->tlsa_base, h->name) ? " or " : "",
				   strcmp(h->tlsa_base, h->name) ? h->name : "", who);
			return;
		}
		presented(t, text, sizeof(text));
		output_add(out, NULL, STATE_CRITICAL, "%s: no TLSA record matches (%s)%s; %s",
			   label, t->verify_text, who, text);
		return;
	default:
		output_add(out, NULL, STATE_CRITICAL, "%s: %s", label, t->reason);
		return;
	}
}

/* Did every probe of an address end the same way, with the same words, before any
 * certificate? */
static bool
same_failure(const struct probe_result *const *r, size_t n)
{
	size_t k;

	if (n < 2 || probe_verified(r[0]) || probe_not_offered(r[0]) ||
	    (r[0]->tls_done && r[0]->tls.ncerts > 0))
		return false;
	for (k = 1; k < n; k++) {
		if (r[k]->smtp.result != r[0]->smtp.result ||
		    strcmp(r[k]->smtp.reason, r[0]->smtp.reason) != 0 ||
		    r[k]->tls_done != r[0]->tls_done ||
		    (r[k]->tls_done && (r[k]->tls.outcome != r[0]->tls.outcome ||
					strcmp(r[k]->tls.reason, r[0]->tls.reason) != 0)))
			return false;
	}
	return true;
}

/* The types of an address whose probes did not start (the deadline came first). */
static void
report_not_started(const struct probe_result *r, size_t span, const struct probe_result *first,
		   struct output *out)
{
	char types[64] = "";
	size_t k, o = 0;

	for (k = 0; k < span && o < sizeof(types); k++)
		if (!r[k].started)
			o += (size_t)snprintf(types + o, sizeof(types) - o, "%s%s", o ? ", " : "",
					      tls_key_type_name(r[k].key_type));
	output_add(out, NULL, STATE_WARNING, "%s: %s certificate%s %s", first->label, types,
		   strchr(types, ',') ? "s" : "", first->smtp.reason);
}

/*
 * One address, from its probes (one per certificate type): one line per
 * certificate it presented, types it lacks from -v on, a failure that hits
 * every type before any certificate (refused, no STARTTLS, ...) once, and
 * the types whose probes the deadline left unstarted.
 */
static void
report_address(const struct probe_result *r, size_t span, const struct mx_host *h,
	       struct output *out)
{
	const struct probe_result *ran[TLS_KEY_TYPES], *skipped = NULL;
	char label[MX_NAME_MAX + 200], cert[96], who[160];
	size_t k, n = 0;

	for (k = 0; k < span; k++) {
		if (r[k].started && n < TLS_KEY_TYPES)
			ran[n++] = &r[k];
		else if (skipped == NULL)
			skipped = &r[k];
	}
	if (skipped != NULL)
		report_not_started(r, span, skipped, out);
	if (n == 0)
		return;
	if ((n == 1 && ran[0]->key_type == TLS_KEY_ANY) || same_failure(ran, n)) {
		report_probe(ran[0], h, ran[0]->label, "", out);
		return;
	}
	for (k = 0; k < n; k++) {
		/* a failure before TLS is the address's, whatever the type */
		if (ran[k]->smtp.result != SMTP_OK)
			snprintf(label, sizeof(label), "%s", ran[k]->label);
		else
			snprintf(label, sizeof(label), "%s %s", ran[k]->label,
				 cert_label(ran[k], cert, sizeof(cert)));
		if (ran[k]->key_type == TLS_KEY_ANY)
			snprintf(who, sizeof(who),
				 " (offered no ECDSA, RSA or Ed25519 certificate)");
		else
			snprintf(who, sizeof(who), "; senders that negotiate %s defer mail",
				 tls_key_type_name(ran[k]->key_type));
		report_probe(ran[k], h, label, who, out);
	}
}

/* Fewest days left of the presented leaf certificates, NAN if none. */
static double
leaf_days(const struct probe_result *r, time_t now)
{
	if (r->tls.ncerts == 0 || !r->tls.certs[0].dates_ok)
		return NAN;
	return difftime(r->tls.certs[0].not_after, now) / 86400.0;
}

/* What the probes of one run saw, for the verdicts and the perfdata. */
struct probes {
	struct probe_target *targets;
	struct probe_result *results;
	size_t n;                /* probes: (address, certificate type) pairs */
	size_t addresses;        /* addresses probed */
	size_t failed_addresses; /* addresses with a probe that failed */
	size_t verified;         /* pairs verified */
	size_t failed;           /* pairs that failed (probed, neither verified nor not offered) */
	size_t not_offered;      /* pairs whose type the server lacks */
	double min_days;         /* fewest days left of the leaf certificates, NAN if none */
	double slowest;          /* slowest verified probe, in seconds */
	const char *slowest_label; /* NULL when none was verified */
};

/* One address's counters and its time perfdata (its slowest verified probe). */
static void
count_address(const struct config *cfg, struct probes *pr, size_t i, size_t span,
	      struct output *out)
{
	const struct probe_result *res = &pr->results[i];
	char label[MX_NAME_MAX + 100];
	double slowest = -1;
	bool failed = false;
	size_t k;

	for (k = 0; k < span; k++) {
		double d = leaf_days(&res[k], time(NULL));

		if (probe_verified(&res[k])) {
			pr->verified++;
			if (res[k].time > slowest)
				slowest = res[k].time;
			if (res[k].time > pr->slowest || pr->slowest_label == NULL) {
				pr->slowest = res[k].time;
				pr->slowest_label = res[k].label;
			}
		} else if (probe_not_offered(&res[k])) {
			pr->not_offered++;
		} else if (res[k].started) {
			pr->failed++;
			failed = true;
		}
		if (!isnan(d) && (isnan(pr->min_days) || d < pr->min_days))
			pr->min_days = d;
	}
	pr->addresses++;
	pr->failed_addresses += failed;
	snprintf(label, sizeof(label), "%s[%s]_time", pr->targets[i].host->name,
		 pr->targets[i].addr->text);
	output_perfdata(
	    out, &(struct perfdata){.label = label,
				    .value = slowest < 0 ? 0 : slowest,
				    .unknown = failed || slowest < 0,
				    .uom = "s",
				    .warn = cfg->common.has_warning ? &cfg->common.warning : NULL,
				    .crit = cfg->common.has_critical ? &cfg->common.critical : NULL,
				    .has_min = true});
}

/* Judge every probed address: its lines, its perfdata, the run's counters. */
static void
report_probes(const struct config *cfg, struct probes *pr, struct output *out)
{
	size_t i, span;

	for (i = 0; i < pr->n; i += span) {
		span = probe_address_span(pr->targets, pr->n, i);
		report_address(&pr->results[i], span, pr->targets[i].host, out);
		count_address(cfg, pr, i, span, out);
	}
}

/* -w/-c on the slowest verified address, and the status line. */
static void
summary(const struct config *cfg, const struct mx_result *r, const struct probes *pr,
	struct output *out)
{
	const char *target = mx_target(r);
	size_t n = pr->addresses;
	state_t st;

	if (pr->slowest_label != NULL) {
		st = plugin_threshold_state(&cfg->common, pr->slowest);
		if (st != STATE_OK)
			output_add(out, NULL, st,
				   "slowest address %s took %.3f s from connect to verified chain",
				   pr->slowest_label, pr->slowest);
	}
	if (output_state(out) == STATE_OK && n > 0)
		output_summary(out, "%s: %zu address%s of %zu MX host%s verified by DANE", target,
			       n, n == 1 ? "" : "es", r->nhosts, r->nhosts == 1 ? "" : "s");
	else if (pr->failed_addresses > 0)
		output_summary(out, "%s: %zu of %zu address%s failed DANE verification; %s", target,
			       pr->failed_addresses, n, n == 1 ? "" : "es", output_worst_text(out));
	else if (output_state(out) != STATE_OK)
		output_summary(out, "%s: %s", target, output_worst_text(out));
}

/* The run's perfdata. */
static void
perfdata(const struct probes *pr, struct deadline *dl, struct output *out)
{
	output_perfdata(
	    out, &(struct perfdata){
		     .label = "time", .value = deadline_elapsed(dl), .uom = "s", .has_min = true});
	output_perfdata(out, &(struct perfdata){.label = "addresses",
						.value = (double)pr->addresses,
						.has_min = true});
	output_perfdata(out, &(struct perfdata){.label = "verified",
						.value = (double)pr->verified,
						.has_min = true});
	output_perfdata(out, &(struct perfdata){
				 .label = "failed", .value = (double)pr->failed, .has_min = true});
	output_perfdata(out, &(struct perfdata){
				 .label = "cert_expiry_days",
				 .value = isnan(pr->min_days) ? 0 : round(pr->min_days * 100) / 100,
				 .unknown = isnan(pr->min_days)});
	output_perfdata(out, &(struct perfdata){.label = "not_offered",
						.value = (double)pr->not_offered,
						.has_min = true});
}

/** Walk, probe, judge, fill out. */
static void
run_check(const void *config, struct deadline *dl, struct output *out)
{
	const struct config *cfg = config;
	struct mx_result r;
	struct probes pr = {.min_days = NAN};
	struct probe_batch *batch = NULL;
	enum mx_walk_end end;
	size_t naddr;
	char err[256];

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
	switch (probe_batch_run(batch, cfg->common.helo, dl, err, sizeof(err))) {
	case -1:
		output_unknown(out, FC_PLUGIN_LOCAL_FAILURE, "%s", err);
		goto perf;
	case 1:
		output_add(out, NULL, STATE_UNKNOWN, "some probes could not be started");
		break;
	default:
		break;
	}
	pr.targets = batch->targets;
	pr.results = batch->results;
	pr.n = batch->n;
	report_probes(cfg, &pr, out);
	summary(cfg, &r, &pr, out);
perf:
	perfdata(&pr, dl, out);
	probe_batch_free(batch);
	mx_result_free(&r);
}

int
main(int argc, char **argv)
{
	static const struct plugin plugin = {SERVICE, true, process_arguments, run_check, NULL};
	struct config cfg = {0};

	return plugin_main(&plugin, &cfg, &cfg.common, argc, argv);
}
