/*
 * check_tlsrpt -- what real senders reported: SMTP TLS reports (RFC 8460)
 * from a directory of report files or a Maildir, summed per domain, and the
 * TLSA records senders used compared with those published now.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "deadline.h"
#include "dns.h"
#include "opts.h"
#include "output.h"
#include "plugin.h"
#include "text.h"
#include "tlsrpt.h"
#include "tlsrpt_dns.h"
#include "tlsrpt_source.h"
#include "tlsrpt_tally.h"
#include "verdict_tlsrpt.h"

#define SERVICE "TLSRPT"

/* Longest --window and --max-age, in hours (a year). */
#define MAX_HOURS 8760

enum { OPT_WINDOW = OPTS_EXTRA_BASE, OPT_MAX_AGE, OPT_POLICY };

/** This plugin's configuration, filled by process_arguments(). */
struct config {
	struct opts_common common;
	const char *dirs[TLSRPT_SOURCE_MAX_DIRS]; /* -d */
	size_t ndirs;
	char domains[TLSRPT_TALLY_MAX_DOMAINS][TLSRPT_NAME_SIZE]; /* -D, normalized */
	const char *domain_list[TLSRPT_TALLY_MAX_DOMAINS];
	size_t ndomains;
	unsigned int window_hours, max_age_hours;
	unsigned int types; /* --policy */
	struct dns_resolver resolver;
	bool have_resolver; /* -r, or the nameservers of resolv.conf */
};

static const struct opts_extra extra_options[] = {
    {'d', "directory", 'd', true, "PATH",
     "A directory of reports, repeatable: report files (*.json, *.json.gz, *.gz,\n"
     "as reporters name them) or mail messages (a Maildir's cur/ and new/, or\n"
     "*.eml) with the report in an application/tlsrpt+gzip or +json part.\n"
     "Read only: nothing is moved, changed or deleted."},
    {'D', "domain", 'D', true, "DOMAIN",
     "Only policies of this policy-domain, repeatable; default: every domain\n"
     "the reports name."},
    {OPT_WINDOW, "window", 0, true, "HOURS",
     "Reports count when their date-range ends within this many hours, default\n"
     "48 (a report covers a UTC day and arrives hours later)."},
    {OPT_MAX_AGE, "max-age", 0, true, "HOURS",
     "WARNING when a domain's newest report ended longer ago (reporting broken);\n"
     "default: not checked."},
    {OPT_POLICY, "policy", 0, true, "tlsa|sts|all",
     "Which policy types count: tlsa (DANE only), sts (MTA-STS), all (default,\n"
     "also no-policy-found)."},
};

/* --window and --max-age: whole hours 1..MAX_HOURS. */
static int
hours(const char *arg, unsigned int *out, char *err, size_t errsize)
{
	unsigned long v;

	if (text_parse_uint(arg, 1, MAX_HOURS, &v) != 0) {
		snprintf(err, errsize, "invalid number of hours '%.40s' (expected 1-%d)", arg,
			 MAX_HOURS);
		return -1;
	}
	*out = (unsigned int)v;
	return 0;
}

static int
extra_option(void *ctx, int opt, const char *arg, char *err, size_t errsize)
{
	struct config *cfg = ctx;

	switch (opt) {
	case 'd':
		if (cfg->ndirs == TLSRPT_SOURCE_MAX_DIRS) {
			snprintf(err, errsize, "too many -d options (at most %d)",
				 TLSRPT_SOURCE_MAX_DIRS);
			return -1;
		}
		cfg->dirs[cfg->ndirs++] = arg;
		return 0;
	case 'D':
		if (cfg->ndomains == TLSRPT_TALLY_MAX_DOMAINS) {
			snprintf(err, errsize, "too many -D options (at most %d)",
				 TLSRPT_TALLY_MAX_DOMAINS);
			return -1;
		}
		if (tlsrpt_name_normalize(arg, cfg->domains[cfg->ndomains], TLSRPT_NAME_SIZE) !=
		    0) {
			snprintf(err, errsize, "invalid domain name '%.60s'", arg);
			return -1;
		}
		cfg->domain_list[cfg->ndomains] = cfg->domains[cfg->ndomains];
		cfg->ndomains++;
		return 0;
	case OPT_WINDOW:
		return hours(arg, &cfg->window_hours, err, errsize);
	case OPT_MAX_AGE:
		return hours(arg, &cfg->max_age_hours, err, errsize);
	case OPT_POLICY:
		if (strcmp(arg, "tlsa") == 0)
			cfg->types = TLSRPT_POLICY_TLSA;
		else if (strcmp(arg, "sts") == 0)
			cfg->types = TLSRPT_POLICY_STS;
		else if (strcmp(arg, "all") == 0)
			cfg->types = TLSRPT_POLICY_ALL;
		else {
			snprintf(err, errsize, "invalid --policy '%.40s' (tlsa, sts or all)", arg);
			return -1;
		}
		return 0;
	default:
		snprintf(err, errsize, "unexpected option");
		return -1;
	}
}

static const struct opts_spec spec = {
    .program = "check_tlsrpt",
    .purpose = "Alerts on what real senders reported: the SMTP TLS reports (RFC 8460) that\n"
	       "Microsoft, Google, Postfix and others send daily to the address of the\n"
	       "domain's _smtp._tls TXT record, collected in a directory. Per domain: the\n"
	       "successful and failed sessions in the window, the failures by receiving MX\n"
	       "host and result type (tlsa-invalid, dnssec-invalid, certificate-expired,\n"
	       "...) and who reported them; for DANE policies the TLSA records senders used,\n"
	       "compared with those published now. Reports are untrusted input: a file that\n"
	       "is no report is named, never an alarm by itself.",
    .common = OPTS_RESOLVER | OPTS_PORT | OPTS_THRESHOLDS | OPTS_VALIDATE,
    .port_help = "SMTP port of the TLSA records compared (_PORT._tcp), default 25.",
    .default_port = 25,
    .threshold_help = "Range on the failed share of a domain's sessions, in percent;\n"
		      "defaults -w 0 -c 5: any failure is a WARNING, more than 5 % CRITICAL.",
    .extra = extra_options,
    .nextra = sizeof(extra_options) / sizeof(extra_options[0]),
    .usage_args = "-d PATH [-d PATH]... [-D DOMAIN]... [--window HOURS] [--max-age HOURS] "
		  "[--policy tlsa|sts|all] [-r ADDR[@PORT]] [-p PORT]",
    .notes = "CRITICAL/WARNING: a domain's failed share against -c/-w; WARNING also for\n"
	     "--max-age and for report files not read (more than 1000 in the window, or\n"
	     "the deadline). UNKNOWN: a -d directory cannot be read. OK: no failures, or\n"
	     "no reports in the window (without --max-age). Reports count once per\n"
	     "report-id and organization; files last changed before the window (and\n"
	     "--max-age) are not opened. Files are bounded: 8 MiB each, 4 MiB of JSON\n"
	     "after gunzip (more: a gzip bomb, named as such).\n"
	     "With -v the files read and the records senders used that match DNS.\n"
	     "Perfdata per domain (with several, the labels end in _<domain>): reports,\n"
	     "successful_sessions, failed_sessions, failed_pct, failed_<result-type>;\n"
	     "time (seconds).",
    .examples = "  check_tlsrpt -d /var/mail/tlsrpt/Maildir -D example.org\n"
		"  check_tlsrpt -d /srv/tlsrpt/reports --policy tlsa --max-age 72\n"
		"  check_tlsrpt -d /srv/tlsrpt -D example.org -D example.net -w 1 -c 10",
};

/** Parse the command line into the config; on failure the output says why. */
static int
process_arguments(int argc, char **argv, void *config, struct output *out)
{
	struct config *cfg = config;
	char err[256];

	memset(cfg, 0, sizeof(*cfg));
	cfg->window_hours = 48;
	cfg->types = TLSRPT_POLICY_ALL;
	if (opts_parse(&spec, argc, argv, &cfg->common, extra_option, cfg, out) != OPTS_CONTINUE)
		return -1;
	if (cfg->ndirs == 0) {
		opts_usage_error(&spec, out, "give the report directory with -d PATH");
		return -1;
	}
	if (!cfg->common.has_warning) {
		range_parse("0", &cfg->common.warning, err, sizeof(err));
		cfg->common.has_warning = true;
	}
	if (!cfg->common.has_critical) {
		range_parse("5", &cfg->common.critical, err, sizeof(err));
		cfg->common.has_critical = true;
	}
	/* DNS only adds the comparison: without a resolver the reports are still judged */
	if (cfg->common.resolver != NULL) {
		if (plugin_mx_resolver(&cfg->common, &cfg->resolver, out) != 0)
			return -1;
		cfg->have_resolver = true;
		return 0;
	}
	cfg->have_resolver =
	    dns_resolver_setup(&cfg->resolver, NULL, PLUGIN_RESOLV_CONF, err, sizeof(err)) == 0;
	return 0;
}

/* Read every listed file into the tally, newest first, while there is time. */
static int
read_files(const struct tlsrpt_listing *l, struct tlsrpt_tally *t, struct deadline *dl)
{
	struct tlsrpt_report r;
	struct tlsrpt_load ld;
	char err[256];
	size_t i, k;
	int rc = 0;

	for (i = 0; i < l->nfiles && rc == 0; i++) {
		if (deadline_expired(dl)) {
			t->files_late = l->nfiles - i;
			break;
		}
		deadline_stage(dl, "reading %s", l->files[i].path);
		t->files_read++;
		if (tlsrpt_source_load(&l->files[i], &ld) != TLSRPT_LOAD_OK)
			rc = tlsrpt_tally_bad_load(t, l->files[i].path, &ld);
		for (k = 0; k < ld.nparts && rc == 0; k++) {
			if (tlsrpt_parse(ld.parts[k].data, ld.parts[k].len, &r, err, sizeof(err)) !=
			    0)
				rc = tlsrpt_tally_bad_parse(t, l->files[i].path, err);
			else {
				rc = tlsrpt_tally_add(t, &r, l->files[i].path);
				tlsrpt_report_free(&r);
			}
		}
		tlsrpt_load_free(&ld);
	}
	return rc;
}

/** List the files, read the reports, ask DNS, judge, fill out. */
static void
run_check(const void *config, struct deadline *dl, struct output *out)
{
	const struct config *cfg = config;
	time_t now = time(NULL);
	unsigned int back =
	    cfg->max_age_hours > cfg->window_hours ? cfg->max_age_hours : cfg->window_hours;
	struct tlsrpt_filter filter = {now, (time_t)cfg->window_hours * 3600, cfg->types,
				       cfg->domain_list, cfg->ndomains};
	struct verdict_tlsrpt_cfg vcfg = {now,
					  cfg->window_hours,
					  cfg->max_age_hours,
					  &cfg->common.warning,
					  &cfg->common.critical,
					  cfg->common.port,
					  cfg->common.timeout,
					  cfg->ndomains != 1};
	struct tlsrpt_listing l;
	struct tlsrpt_tally t;

	memset(&l, 0, sizeof(l));
	memset(&t, 0, sizeof(t));
	deadline_stage(dl, "listing the report directories");
	/* a report ends before it is delivered: older files hold no report that counts
	 * (a day of slack for the senders' clocks) */
	if (tlsrpt_source_list(cfg->dirs, cfg->ndirs, now - (time_t)back * 3600 - 86400, &l) != 0 ||
	    tlsrpt_tally_init(&t, &filter) != 0 || read_files(&l, &t, dl) != 0 ||
	    (cfg->have_resolver &&
	     tlsrpt_dns_lookup(&t, &cfg->resolver, cfg->common.port, dl) != 0)) {
		output_unknown(out, FC_PLUGIN_LOCAL_FAILURE, "out of memory");
		goto out;
	}
	verdict_tlsrpt(&l, &t, &vcfg, out);
out:
	output_perfdata(
	    out, &(struct perfdata){
		     .label = "time", .value = deadline_elapsed(dl), .uom = "s", .has_min = true});
	tlsrpt_tally_free(&t);
	tlsrpt_listing_free(&l);
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
