/*
 * verdict_tlsrpt.c -- the words and states of what senders reported (see
 * verdict_tlsrpt.h). The one place that writes the tlsrpt.* findings.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "verdict_tlsrpt.h"
#include "words_dns.h"

/* The result types of the IANA registry (RFC 8460 section 6.6): their own perfdata. */
static const char *const known_types[] = {
    "starttls-not-supported", "certificate-host-mismatch",
    "certificate-expired",    "certificate-not-trusted",
    "validation-failure",     "tlsa-invalid",
    "dnssec-invalid",         "dane-required",
    "sts-policy-fetch-error", "sts-policy-invalid",
    "sts-webpki-invalid",
};
#define NKNOWN (sizeof(known_types) / sizeof(known_types[0]))

/* Longest record hex shown in full in a line; longer ones are shortened. */
#define HEX_SHOWN 16

/* "A", "A and B", "A, B and 3 more" */
static void
names_text(const struct tlsrpt_names *l, char *dst, size_t size)
{
	size_t i, len = 0;

	dst[0] = '\0';
	for (i = 0; i < l->n && len < size; i++) {
		const char *sep = i == 0 ? "" : (i + 1 == l->n && l->more == 0 ? " and " : ", ");

		len += (size_t)snprintf(dst + len, size - len, "%s%s", sep, l->v[i]);
	}
	if (l->more > 0 && len < size)
		snprintf(dst + len, size - len, " and %zu more", l->more);
}

/* The names joined by "," (a param). */
static void
names_param(const struct tlsrpt_names *l, char *dst, size_t size)
{
	size_t i, len = 0;

	dst[0] = '\0';
	for (i = 0; i < l->n && len < size; i++)
		len += (size_t)snprintf(dst + len, size - len, "%s%s", i == 0 ? "" : ",", l->v[i]);
}

/* A share in percent: one decimal; under 0.1 but not 0: "< 0.1 %". */
static const char *
pct_text(double pct, char *dst, size_t size)
{
	if (pct > 0 && pct < 0.1)
		snprintf(dst, size, "< 0.1 %%");
	else
		snprintf(dst, size, "%.1f %%", pct);
	return dst;
}

/* A time as "2026-12-05 23:59 UTC". */
static const char *
date_text(time_t t, char *dst, size_t size)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(dst, size, "%Y-%m-%d %H:%M UTC", &tm) == 0)
		snprintf(dst, size, "%lld", (long long)t);
	return dst;
}

/* A domain name as a subject: with the trailing dot, as the other plugins. */
static const char *
fqdn(const char *name, char *dst, size_t size)
{
	if (name == NULL || name[0] == '\0')
		return NULL;
	snprintf(dst, size, "%s.", name);
	return dst;
}

/* A normalized record for a line: "3 1 1 0123456789...abcdef" when its data is long. */
static void
record_short(const char *rec, char *dst, size_t size)
{
	const char *hex = strrchr(rec, ' ');
	size_t n;

	hex = hex != NULL ? hex + 1 : rec;
	n = strlen(hex);
	if (n <= HEX_SHOWN)
		snprintf(dst, size, "%s", rec);
	else
		snprintf(dst, size, "%.*s%.*s...%s", (int)(hex - rec), rec, HEX_SHOWN / 2, hex,
			 hex + n - HEX_SHOWN / 2);
}

/* Records joined with sep (shortened for a line when shorten). */
static void
records_text(char *const *v, size_t n, const char *sep, bool shorten, char *dst, size_t size)
{
	char one[TLSRPT_MAX_POLICY_STRING + 16];
	size_t i, len = 0;

	dst[0] = '\0';
	for (i = 0; i < n && len < size; i++) {
		if (shorten)
			record_short(v[i], one, sizeof(one));
		len += (size_t)snprintf(dst + len, size - len, "%s%s", i == 0 ? "" : sep,
					shorten ? one : v[i]);
	}
}

/* Is rec in the sorted list v? */
static bool
has_record(char *const *v, size_t n, const char *rec)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], rec) == 0)
			return true;
	return false;
}

/* The records of a that are not in b, into out (pointers into a). */
static size_t
records_minus(char *const *a, size_t na, char *const *b, size_t nb, char **out)
{
	size_t i, n = 0;

	for (i = 0; i < na; i++)
		if (!has_record(b, nb, a[i]))
			out[n++] = a[i];
	return n;
}

/* The state of a domain's failed share against -w/-c. */
static state_t
domain_state(const struct tlsrpt_domain *d, const struct verdict_tlsrpt_cfg *cfg)
{
	return range_state(cfg->warning, cfg->critical, tlsrpt_tally_failed_pct(d));
}

/* Groups of a domain, most failed sessions first (indexes into d->groups). */
static void
groups_sorted(const struct tlsrpt_domain *d, size_t *idx)
{
	size_t i, j, k;

	for (i = 0; i < d->ngroups; i++)
		idx[i] = i;
	for (i = 1; i < d->ngroups; i++) {
		k = idx[i];
		for (j = i; j > 0 && d->groups[idx[j - 1]].sessions < d->groups[k].sessions; j--)
			idx[j] = idx[j - 1];
		idx[j] = k;
	}
}

/* "tlsa-invalid at mx2.example.org (192.0.2.7)": where a group failed. */
static void
group_where(const struct tlsrpt_group *g, char *dst, size_t size)
{
	char ips[256];

	names_text(&g->ips, ips, sizeof(ips));
	snprintf(dst, size, "%s at %s%s%s%s", g->result_type,
		 g->mx[0] != '\0' ? g->mx : "an MX host the reports do not name",
		 ips[0] != '\0' ? " (" : "", ips, ips[0] != '\0' ? ")" : "");
}

/* One line per (MX host, result type) below the domain's line. */
static void
add_groups(const struct tlsrpt_domain *d, state_t state, struct finding *parent, struct output *out)
{
	size_t idx[TLSRPT_TALLY_MAX_GROUPS], i;
	char where[512], orgs[512], param[512], host[TLSRPT_NAME_SIZE + 1],
	    dom[TLSRPT_NAME_SIZE + 1];

	groups_sorted(d, idx);
	for (i = 0; i < d->ngroups; i++) {
		const struct tlsrpt_group *g = &d->groups[idx[i]];
		struct finding *f;

		group_where(g, where, sizeof(where));
		names_text(&g->orgs, orgs, sizeof(orgs));
		f = finding_add(out, parent, state, FC_TLSRPT_FAILURE,
				"%s: %" PRIu64 " session%s, reported by %s%s%s%s%s%s", where,
				g->sessions, g->sessions == 1 ? "" : "s", orgs,
				g->info != NULL ? ": " : "", g->info != NULL ? g->info : "",
				g->reason_code != NULL ? " (" : "",
				g->reason_code != NULL ? g->reason_code : "",
				g->reason_code != NULL ? ")" : "");
		finding_subject(
		    f, &(struct finding_subject){.domain = fqdn(d->name, dom, sizeof(dom)),
						 .host = fqdn(g->mx, host, sizeof(host)),
						 .address = g->ips.n > 0 ? g->ips.v[0] : NULL});
		finding_param_str(f, "result_type", g->result_type);
		finding_param_int(f, "failed_sessions", (long long)g->sessions);
		names_param(&g->orgs, param, sizeof(param));
		finding_param_str(f, "organizations", param);
		names_param(&g->ips, param, sizeof(param));
		finding_param_str(f, "receiving_ips", param);
		finding_param_str(f, "additional_information", g->info);
		finding_param_str(f, "failure_reason_code", g->reason_code);
	}
}

/* Why a record set was not compared, in words. */
static const char *
unchecked_text(const struct tlsrpt_published *p)
{
	switch (p->why_unchecked) {
	case TLSRPT_UNCHECKED_NO_MX:
		return "the report names no MX host for them";
	case TLSRPT_UNCHECKED_PATTERN:
		return "the MX host is a pattern, not a host";
	case TLSRPT_UNCHECKED_NO_RECORDS:
		return "no policy-string entry is a TLSA record";
	case TLSRPT_UNCHECKED_BOUND:
		return "too many MX hosts to ask in one run";
	case TLSRPT_UNCHECKED_NOT_ASKED:
		break;
	}
	return "DNS was not asked (no resolver)";
}

/* The comparison of one record set a sender used with what DNS serves now. */
static void
add_used(const struct tlsrpt_domain *d, const struct tlsrpt_used *u, state_t state,
	 const struct verdict_tlsrpt_cfg *cfg, struct finding *parent, struct output *out)
{
	const struct tlsrpt_published *p = &u->published;
	char why[512], orgs[512], used[2048], pub[2048], gone[2048], unseen[2048],
	    owner[TLSRPT_NAME_SIZE + 24];
	char host[TLSRPT_NAME_SIZE + 1], dom[TLSRPT_NAME_SIZE + 1], param[8192];
	char *minus[TLSRPT_MAX_STRINGS], **extra = NULL;
	size_t nminus, nextra;
	const char *mx = u->mx[0] != '\0' ? u->mx : "(no MX host named)";
	struct finding *f;

	names_text(&u->orgs, orgs, sizeof(orgs));
	records_text(u->records, u->nrecords, ", ", true, used, sizeof(used));
	snprintf(owner, sizeof(owner), "_%u._tcp.%s", cfg->port, u->mx);
	if (p->state == TLSRPT_PUB_UNCHECKED || p->state == TLSRPT_PUB_FAILED) {
		if (p->state == TLSRPT_PUB_FAILED)
			words_dns_outcome_failure(&p->outcome, why, sizeof(why));
		else
			snprintf(why, sizeof(why), "%s", unchecked_text(p));
		f = finding_add(out, parent, STATE_OK, FC_TLSRPT_POLICY_UNCHECKED,
				"%s: the TLSA records %s used (%s) not compared with DNS: %s", mx,
				orgs, used[0] != '\0' ? used : "none", why);
		if (p->state == TLSRPT_PUB_UNCHECKED)
			finding_set_level(f, 1);
		finding_param_str(f, "reason", why);
	} else {
		extra = calloc(p->nrecords > 0 ? p->nrecords : 1, sizeof(*extra));
		if (extra == NULL) {
			output_unknown(out, FC_PLUGIN_LOCAL_FAILURE, "out of memory");
			return;
		}
		nminus = records_minus(u->records, u->nrecords, p->records, p->nrecords, minus);
		nextra = records_minus(p->records, p->nrecords, u->records, u->nrecords, extra);
		records_text(p->records, p->nrecords, ", ", true, pub, sizeof(pub));
		if (nminus == 0 && nextra == 0) {
			f = finding_add(out, parent, STATE_OK, FC_TLSRPT_POLICY_CURRENT,
					"%s: %s used the TLSA records published now at %s (%s)%s",
					mx, orgs, owner, used,
					u->failed > 0 ? ": the failures are not stale DNS data"
						      : "");
			if (u->failed == 0)
				finding_set_level(f, 1);
		} else {
			records_text(minus, nminus, ", ", true, gone, sizeof(gone));
			records_text(extra, nextra, ", ", true, unseen, sizeof(unseen));
			f = finding_add(
			    out, parent, u->failed > 0 ? state : STATE_OK,
			    FC_TLSRPT_POLICY_OUTDATED,
			    "%s: %s used TLSA records other than those published now at "
			    "%s%s%s%s%s%s"
			    "%s: a secondary serving old data, a TTL not yet expired, or a change "
			    "since the report%s",
			    mx, orgs, owner, nminus > 0 ? "; used, not published now: " : "", gone,
			    nextra > 0 ? "; published now, not used: " : "", unseen,
			    p->state == TLSRPT_PUB_NONE ? "; DNS serves none" : "",
			    p->state == TLSRPT_PUB_RECORDS && !p->secure ? " (not DNSSEC-secure)"
									 : "",
			    u->failed > 0 ? ", and sessions with them failed" : "");
			records_text(minus, nminus, ",", false, param, sizeof(param));
			finding_param_str(f, "not_published", param);
			records_text(extra, nextra, ",", false, param, sizeof(param));
			finding_param_str(f, "not_used", param);
		}
		records_text(p->records, p->nrecords, ",", false, param, sizeof(param));
		finding_param_str(f, "published", param);
		finding_param_bool(f, "secure", p->secure);
	}
	finding_subject(f, &(struct finding_subject){.domain = fqdn(d->name, dom, sizeof(dom)),
						     .host = fqdn(u->mx, host, sizeof(host)),
						     .name = u->mx[0] != '\0' ? owner : NULL});
	records_text(u->records, u->nrecords, ",", false, param, sizeof(param));
	finding_param_str(f, "used", param);
	names_param(&u->orgs, param, sizeof(param));
	finding_param_str(f, "organizations", param);
	finding_param_int(f, "successful_sessions", (long long)u->successful);
	finding_param_int(f, "failed_sessions", (long long)u->failed);
	free(extra);
}

/* --max-age: is the domain's newest report too old? Adds the finding when so. */
static bool
add_stale(const struct tlsrpt_domain *d, const struct verdict_tlsrpt_cfg *cfg, struct output *out)
{
	char when[48], dom[TLSRPT_NAME_SIZE + 1];
	double age = (double)(cfg->now - d->newest_end) / 3600.0;
	struct finding *f;

	if (cfg->max_age_hours == 0 ||
	    (d->newest_end != 0 && cfg->now - d->newest_end <= (time_t)cfg->max_age_hours * 3600))
		return false;
	if (d->newest_end == 0)
		f = finding_add(out, NULL, STATE_WARNING, FC_TLSRPT_REPORT_STALE,
				"%s: no report found (--max-age %u h): is the _smtp._tls record "
				"published, and do reports reach the directory?",
				d->name, cfg->max_age_hours);
	else
		f = finding_add(
		    out, NULL, STATE_WARNING, FC_TLSRPT_REPORT_STALE,
		    "%s: the newest report ended %s, %.0f h ago, more than --max-age %u "
		    "h: is reporting broken?",
		    d->name, date_text(d->newest_end, when, sizeof(when)), age, cfg->max_age_hours);
	finding_subject(f, &(struct finding_subject){.domain = fqdn(d->name, dom, sizeof(dom))});
	finding_param_int(f, "max_age_hours", cfg->max_age_hours);
	if (d->newest_end != 0)
		finding_param_int(f, "newest_end", (long long)d->newest_end);
	return true;
}

/* The findings of one domain. Returns its top finding (NULL for none or out of memory). */
static struct finding *
add_domain(const struct tlsrpt_domain *d, const struct verdict_tlsrpt_cfg *cfg, struct output *out)
{
	char orgs[512], pct[32], dom[TLSRPT_NAME_SIZE + 1], when[48];
	state_t state = domain_state(d, cfg);
	uint64_t total = d->successful + d->failed;
	struct finding *f;
	size_t i;

	if (add_stale(d, cfg, out) && d->reports == 0)
		return NULL;
	if (d->reports == 0) {
		f = finding_add(
		    out, NULL, STATE_OK, FC_TLSRPT_NO_REPORTS, "%s: no reports in %u h%s%s",
		    d->name, cfg->window_hours, d->newest_end != 0 ? "; the newest ended " : "",
		    d->newest_end != 0 ? date_text(d->newest_end, when, sizeof(when)) : "");
		finding_subject(
		    f, &(struct finding_subject){.domain = fqdn(d->name, dom, sizeof(dom))});
		return f;
	}
	names_text(&d->orgs, orgs, sizeof(orgs));
	if (d->failed > 0)
		f = finding_add(out, NULL, state, FC_TLSRPT_FAILURES,
				"%s: %" PRIu64 " of %" PRIu64 " sessions failed (%s) in %u h, %zu "
				"report%s from %s",
				d->name, d->failed, total,
				pct_text(tlsrpt_tally_failed_pct(d), pct, sizeof(pct)),
				cfg->window_hours, d->reports, d->reports == 1 ? "" : "s", orgs);
	else
		f = finding_add(out, NULL, state, FC_TLSRPT_NO_FAILURES,
				"%s: %" PRIu64
				" session%s in %u h, none failed (%zu report%s from %s)",
				d->name, total, total == 1 ? "" : "s", cfg->window_hours,
				d->reports, d->reports == 1 ? "" : "s", orgs);
	finding_subject(f, &(struct finding_subject){.domain = fqdn(d->name, dom, sizeof(dom))});
	finding_param_int(f, "reports", (long long)d->reports);
	finding_param_int(f, "successful_sessions", (long long)d->successful);
	finding_param_int(f, "failed_sessions", (long long)d->failed);
	finding_param_num(f, "failed_pct", tlsrpt_tally_failed_pct(d));
	finding_param_int(f, "window_hours", cfg->window_hours);
	names_param(&d->orgs, orgs, sizeof(orgs));
	finding_param_str(f, "organizations", orgs);
	if (d->groups_dropped > 0)
		finding_param_int(f, "failed_sessions_not_grouped", (long long)d->groups_dropped);
	add_groups(d, state, f, out);
	for (i = 0; i < d->nused; i++)
		add_used(d, &d->used[i], state, cfg, f, out);
	return f;
}

/* Why a file held no report, in words. */
static void
bad_text(const struct tlsrpt_bad *b, char *dst, size_t size)
{
	char when[48];
	const char *detail = b->detail != NULL ? b->detail : "";

	switch (b->kind) {
	case TLSRPT_BAD_PARSE:
		snprintf(dst, size, "not a TLSRPT report: %s", detail);
		return;
	case TLSRPT_BAD_FUTURE:
		snprintf(dst, size, "not counted: its date-range ends in the future (%s)",
			 date_text(b->end, when, sizeof(when)));
		return;
	case TLSRPT_BAD_LOAD:
		break;
	}
	switch (b->load) {
	case TLSRPT_LOAD_IO:
		snprintf(dst, size, "cannot be read: %s", strerror(b->sys_errno));
		break;
	case TLSRPT_LOAD_NOT_FILE:
		snprintf(dst, size, "not a regular file");
		break;
	case TLSRPT_LOAD_TOO_LARGE:
		snprintf(dst, size, "not a TLSRPT report: larger than %zu bytes", b->limit);
		break;
	case TLSRPT_LOAD_GZIP:
		snprintf(dst, size, "not a TLSRPT report: broken gzip data: %s", detail);
		break;
	case TLSRPT_LOAD_GZIP_BOMB:
		snprintf(dst, size,
			 "not a TLSRPT report: it decompresses to more than %zu bytes (a gzip "
			 "bomb?)",
			 b->limit);
		break;
	case TLSRPT_LOAD_NOT_MESSAGE:
		snprintf(dst, size, "not a TLSRPT report: not a mail message (%s)", detail);
		break;
	case TLSRPT_LOAD_MIME_PARTS:
		snprintf(dst, size,
			 "not a TLSRPT report: a mail message with more than %zu lines starting "
			 "with \"--\" (MIME boundaries)",
			 b->limit);
		break;
	case TLSRPT_LOAD_MIME_HEADERS:
		snprintf(dst, size,
			 "not a TLSRPT report: a mail message with more than %zu header lines",
			 b->limit);
		break;
	case TLSRPT_LOAD_NO_REPORT:
		snprintf(dst, size,
			 "not a TLSRPT report: a mail message without an application/tlsrpt+gzip "
			 "or application/tlsrpt+json part (%s)",
			 detail);
		break;
	case TLSRPT_LOAD_NOMEM:
		snprintf(dst, size, "out of memory while reading it");
		break;
	case TLSRPT_LOAD_OK:
		snprintf(dst, size, "no report");
		break;
	}
}

/* The files that held no report, the files not read, the directories not read. */
static void
add_files(const struct tlsrpt_listing *l, const struct tlsrpt_tally *t,
	  const struct verdict_tlsrpt_cfg *cfg, struct output *out)
{
	char why[512];
	struct finding *f;
	size_t i;

	for (i = 0; i < l->nerrors; i++) {
		f = finding_add(out, NULL, STATE_UNKNOWN, FC_TLSRPT_SOURCE_UNREADABLE,
				"%s: the report directory cannot be read: %s", l->errors[i].dir,
				strerror(l->errors[i].err));
		finding_subject(f, &(struct finding_subject){.file = l->errors[i].dir});
		finding_param_str(f, "error", strerror(l->errors[i].err));
	}
	for (i = 0; i < t->nbad; i++) {
		bad_text(&t->bad[i], why, sizeof(why));
		f = finding_add(out, NULL, STATE_OK, FC_TLSRPT_BAD_REPORT, "%s: %s", t->bad[i].file,
				why);
		finding_subject(f, &(struct finding_subject){.file = t->bad[i].file});
		finding_param_str(f, "reason", why);
	}
	if (t->bad_more > 0) {
		f = finding_add(
		    out, NULL, STATE_OK, FC_TLSRPT_BAD_REPORT,
		    "%zu more files held no report that counts (the first %d are named)",
		    t->bad_more, TLSRPT_TALLY_MAX_BAD);
		finding_param_int(f, "files", (long long)t->bad_more);
	}
	if (l->skipped > 0 || t->files_late > 0) {
		f = finding_add(out, NULL, STATE_WARNING, FC_TLSRPT_FILES_SKIPPED,
				"%zu report file%s not read%s%s%s: failures in %s are not seen",
				l->skipped + t->files_late,
				l->skipped + t->files_late == 1 ? "" : "s",
				l->skipped > 0 ? " (only the newest files are read)" : "",
				t->files_late > 0 ? ", " : "",
				t->files_late > 0 ? "the deadline (-t) came first" : "",
				l->skipped + t->files_late == 1 ? "it" : "them");
		finding_param_int(f, "skipped", (long long)l->skipped);
		finding_param_int(f, "not_read_in_time", (long long)t->files_late);
		finding_param_int(f, "max_files", TLSRPT_SOURCE_MAX_FILES);
		finding_param_int(f, "timeout", cfg->timeout);
	}
	if (t->domains_dropped > 0) {
		f = finding_add(
		    out, NULL, STATE_OK, FC_TLSRPT_DOMAINS_DROPPED,
		    "the reports name more than %d policy domains: %zu policies of other "
		    "domains not summed (give the domains with -D)",
		    TLSRPT_TALLY_MAX_DOMAINS, t->domains_dropped);
		finding_param_int(f, "policies", (long long)t->domains_dropped);
	}
	f = finding_add(out, NULL, STATE_OK, FC_TLSRPT_FILES_READ,
			"%zu file%s read in %zu director%s: %zu report%s, %zu counted in %u h, %zu "
			"older, %zu duplicate%s, %zu for other domains or policy types; %zu file%s "
			"last changed before the window not opened",
			t->files_read, t->files_read == 1 ? "" : "s", l->ndirs,
			l->ndirs == 1 ? "y" : "ies", t->reports, t->reports == 1 ? "" : "s",
			t->counted, cfg->window_hours, t->old, t->duplicates,
			t->duplicates == 1 ? "" : "s", t->unmatched, l->too_old,
			l->too_old == 1 ? "" : "s");
	finding_set_level(f, 1);
	finding_param_int(f, "files", (long long)t->files_read);
	finding_param_int(f, "reports", (long long)t->reports);
	finding_param_int(f, "counted", (long long)t->counted);
	finding_param_int(f, "older", (long long)t->old);
	finding_param_int(f, "duplicates", (long long)t->duplicates);
	finding_param_int(f, "other", (long long)t->unmatched);
	finding_param_int(f, "not_opened", (long long)l->too_old);
}

/* One perfdata item, the label with the domain when several are judged. */
static void
perf(struct output *out, const struct verdict_tlsrpt_cfg *cfg, const char *domain,
     const char *label, double value, bool pct)
{
	char full[320];

	if (cfg->label_suffix)
		snprintf(full, sizeof(full), "%s_%s", label, domain);
	else
		snprintf(full, sizeof(full), "%s", label);
	output_perfdata(out, &(struct perfdata){.label = full,
						.value = value,
						.uom = pct ? "%" : NULL,
						.warn = pct ? cfg->warning : NULL,
						.crit = pct ? cfg->critical : NULL,
						.has_min = true,
						.has_max = pct,
						.max = 100});
}

/* Perfdata of one domain: counts, the share, failures per result type. */
static void
perf_domain(const struct tlsrpt_domain *d, const struct verdict_tlsrpt_cfg *cfg, struct output *out)
{
	uint64_t by_type[NKNOWN + 1] = {0};
	char label[64];
	size_t i, k;

	perf(out, cfg, d->name, "reports", (double)d->reports, false);
	perf(out, cfg, d->name, "successful_sessions", (double)d->successful, false);
	perf(out, cfg, d->name, "failed_sessions", (double)d->failed, false);
	perf(out, cfg, d->name, "failed_pct", tlsrpt_tally_failed_pct(d), true);
	for (i = 0; i < d->ngroups; i++) {
		for (k = 0; k < NKNOWN && strcmp(known_types[k], d->groups[i].result_type) != 0;
		     k++)
			;
		by_type[k] += d->groups[i].sessions;
	}
	by_type[NKNOWN] += d->groups_dropped;
	for (k = 0; k <= NKNOWN; k++) {
		if (by_type[k] == 0)
			continue;
		snprintf(label, sizeof(label), "failed_%s", k < NKNOWN ? known_types[k] : "other");
		perf(out, cfg, d->name, label, (double)by_type[k], false);
	}
}

/* The status line when a domain's failures are the worst: its worst group, who saw it. */
static void
summary_failures(const struct tlsrpt_domain *d, size_t bad_domains,
		 const struct verdict_tlsrpt_cfg *cfg, struct output *out)
{
	char pct[32], where[512], orgs[512], others[64] = "";
	size_t idx[TLSRPT_TALLY_MAX_GROUPS];
	const struct tlsrpt_group *g;

	if (bad_domains > 1)
		snprintf(others, sizeof(others), "%zu domains with failures; ", bad_domains);
	pct_text(tlsrpt_tally_failed_pct(d), pct, sizeof(pct));
	if (d->ngroups == 0) {
		names_text(&d->orgs, orgs, sizeof(orgs));
		output_summary(out,
			       "%s%s: %" PRIu64 " of %" PRIu64 " sessions failed (%s) in %u h, "
			       "reported by %s",
			       others, d->name, d->failed, d->successful + d->failed, pct,
			       cfg->window_hours, orgs);
		return;
	}
	groups_sorted(d, idx);
	g = &d->groups[idx[0]];
	group_where(g, where, sizeof(where));
	names_text(&g->orgs, orgs, sizeof(orgs));
	output_summary(out,
		       "%s%s: %" PRIu64 " of %" PRIu64 " sessions failed (%s) in %u h: %s, "
		       "reported by %s",
		       others, d->name, d->failed, d->successful + d->failed, pct,
		       cfg->window_hours, where, orgs);
}

/* The status line; tops: each domain's top finding (NULL: none). */
static void
summary(const struct tlsrpt_tally *t, struct finding *const *tops,
	const struct verdict_tlsrpt_cfg *cfg, struct output *out)
{
	const struct finding *one = NULL;
	const struct tlsrpt_domain *worst = NULL;
	state_t overall = output_state(out), s;
	size_t i, bad = 0, with_reports = 0;
	uint64_t ok = 0, failed = 0;

	for (i = 0; i < t->ndomains; i++) {
		const struct tlsrpt_domain *d = t->domains[i];

		if (d->reports == 0)
			continue;
		with_reports++;
		one = tops[i];
		ok += d->successful;
		failed += d->failed;
		s = domain_state(d, cfg);
		if (s == STATE_OK)
			continue;
		bad++;
		if (worst == NULL || state_rank(s) > state_rank(domain_state(worst, cfg)) ||
		    (s == domain_state(worst, cfg) &&
		     tlsrpt_tally_failed_pct(d) > tlsrpt_tally_failed_pct(worst)))
			worst = d;
	}
	if (worst != NULL && domain_state(worst, cfg) == overall) {
		summary_failures(worst, bad, cfg, out);
		return;
	}
	if (overall != STATE_OK)
		return; /* the worst finding's text */
	if (with_reports == 0)
		output_summary(out, "no reports in %u h%s%s", cfg->window_hours,
			       t->ndomains == 1 ? " for " : "",
			       t->ndomains == 1 ? t->domains[0]->name : "");
	else if (with_reports == 1 && one != NULL)
		output_summary(out, "%s", one->text);
	else if (with_reports > 1 && failed == 0)
		output_summary(out, "%zu domains: %" PRIu64 " sessions in %u h, none failed",
			       with_reports, ok, cfg->window_hours);
	else if (with_reports > 1)
		output_summary(out,
			       "%zu domains: %" PRIu64 " of %" PRIu64 " sessions failed in %u h",
			       with_reports, failed, ok + failed, cfg->window_hours);
}

void
verdict_tlsrpt(const struct tlsrpt_listing *l, const struct tlsrpt_tally *t,
	       const struct verdict_tlsrpt_cfg *cfg, struct output *out)
{
	struct finding *tops[TLSRPT_TALLY_MAX_DOMAINS];
	size_t i;

	for (i = 0; i < t->ndomains; i++)
		tops[i] = add_domain(t->domains[i], cfg, out);
	if (t->ndomains == 0) {
		struct finding *f = finding_add(out, NULL, STATE_OK, FC_TLSRPT_NO_REPORTS,
						"no reports in %u h", cfg->window_hours);

		finding_param_int(f, "window_hours", cfg->window_hours);
	}
	add_files(l, t, cfg, out);
	summary(t, tops, cfg, out);
	for (i = 0; i < t->ndomains; i++)
		perf_domain(t->domains[i], cfg, out);
	if (t->ndomains == 0)
		perf(out, &(struct verdict_tlsrpt_cfg){.label_suffix = false}, "", "reports", 0,
		     false);
}
