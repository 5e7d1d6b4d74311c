/*
 * test_verdict_tlsrpt.c -- the tlsrpt verdicts on facts (table-driven): a
 * tally built from reports (or filled by hand where DNS would fill it), the
 * verdict, then the code, state and subject of every finding it can make,
 * and the status line and perfdata of the main cases.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tlsrpt.h"
#include "tlsrpt_tally.h"
#include "verdict_test.h"
#include "verdict_tlsrpt.h"

/* 2026-12-05T12:00:00Z */
#define NOW 1796472000

/* One case's facts: the listing, the tally and how they are judged. */
struct facts {
	struct tlsrpt_listing l;
	struct tlsrpt_tally t;
	struct verdict_tlsrpt_cfg cfg;
	struct range warning, critical;
	const char *domains[4];
};

/* Add a report (org, id, ending `ago` seconds before NOW, policies) to the tally. */
static void
report(struct facts *x, const char *org, const char *id, time_t ago, const char *policies)
{
	char json[32768], start_s[32], end_s[32], err[256];
	time_t end = NOW - ago, start = end - 86399;
	struct tlsrpt_report r;
	struct tm tm;

	strftime(start_s, sizeof(start_s), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&start, &tm));
	strftime(end_s, sizeof(end_s), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&end, &tm));
	snprintf(json, sizeof(json),
		 "{\"organization-name\":\"%s\",\"report-id\":\"%s\",\"date-range\":{\"start-"
		 "datetime\":\"%s\",\"end-datetime\":\"%s\"},\"policies\":[%s]}",
		 org, id, start_s, end_s, policies);
	ck_assert_msg(tlsrpt_parse(json, strlen(json), &r, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(tlsrpt_tally_add(&x->t, &r, "r.json"), 0);
	tlsrpt_report_free(&r);
}

/* The facts of a run with -D domain (NULL: none), default thresholds. */
static void
facts_init(struct facts *x, const char *domain)
{
	char err[64];

	memset(x, 0, sizeof(*x));
	x->domains[0] = domain;
	ck_assert_int_eq(range_parse("0", &x->warning, err, sizeof(err)), 0);
	ck_assert_int_eq(range_parse("5", &x->critical, err, sizeof(err)), 0);
	x->cfg = (struct verdict_tlsrpt_cfg){NOW,          48, 0,  &x->warning,
					     &x->critical, 25, 10, domain == NULL};
	ck_assert_int_eq(
	    tlsrpt_tally_init(&x->t, &(struct tlsrpt_filter){NOW, 48 * 3600, TLSRPT_POLICY_ALL,
							     x->domains, domain != NULL ? 1 : 0}),
	    0);
	x->l.ndirs = 1;
}

/* Judge the facts into a new output. */
static struct output *
judge(struct facts *x)
{
	struct output *out = output_new("TLSRPT");

	ck_assert_ptr_nonnull(out);
	x->t.files_read = x->t.reports;
	verdict_tlsrpt(&x->l, &x->t, &x->cfg, out);
	return out;
}

static void
facts_free(struct facts *x)
{
	size_t i;

	tlsrpt_tally_free(&x->t);
	/* by hand: tlsrpt_listing_free() would link GMime into this program */
	for (i = 0; i < x->l.nerrors; i++)
		free(x->l.errors[i].dir);
	free(x->l.errors);
}

/* Microsoft's report of mx2 failing (97 of 1840 sessions), as in the issue. */
#define MS_POLICIES                                                                                \
	"{\"policy\":{\"policy-type\":\"tlsa\",\"policy-string\":[\"3 1 1 aaaa\"],\"policy-"       \
	"domain\":\"example.org\",\"mx-host\":\"mx1.example.org\"},\"summary\":{\"total-"          \
	"successful-"                                                                              \
	"session-count\":1021,\"total-failure-session-count\":0}},"                                \
	"{\"policy\":{\"policy-type\":\"tlsa\",\"policy-string\":[\"3 1 1 bbbb\"],\"policy-"       \
	"domain\":\"example.org\",\"mx-host\":\"mx2.example.org\"},\"summary\":{\"total-"          \
	"successful-"                                                                              \
	"session-count\":722,\"total-failure-session-count\":97},\"failure-details\":[{\"result-"  \
	"type\":\"tlsa-invalid\",\"receiving-mx-hostname\":\"mx2.example.org\",\"receiving-ip\":"  \
	"\"192.0.2.7\",\"failed-session-count\":97,\"additional-information\":\"no match | "       \
	"\\u001b[31m\"}]}"

#define OK_POLICY(domain, n)                                                                       \
	"{\"policy\":{\"policy-type\":\"sts\",\"policy-domain\":\"" domain "\"},\"summary\":{"     \
	"\"total-successful-session-count\":" n ",\"total-failure-session-count\":0}}"

/* Set what DNS serves now for a record set, as tlsrpt_dns.c would. */
static void
published(struct tlsrpt_used *u, enum tlsrpt_published_state state, const char *record)
{
	u->published.state = state;
	u->published.secure = true;
	if (record != NULL) {
		u->published.records = calloc(1, sizeof(char *));
		ck_assert_ptr_nonnull(u->published.records);
		u->published.records[0] = strdup(record);
		u->published.nrecords = 1;
	}
}

/* --- the table: facts -> one finding's code, state and subject, for every code --- */

static void
build_failing(struct facts *x)
{
	report(x, "Microsoft Corporation", "ms1", 10 * 3600, MS_POLICIES);
}

static void
build_ok(struct facts *x)
{
	report(x, "Google Inc.", "g1", 20 * 3600, OK_POLICY("example.org", "312"));
}

static void
build_old_only(struct facts *x)
{
	report(x, "Google Inc.", "old", 80 * 3600, OK_POLICY("example.org", "3"));
}

static void
build_stale(struct facts *x)
{
	build_old_only(x);
	x->cfg.max_age_hours = 72;
}

static void
build_records(struct facts *x)
{
	build_failing(x);
	published(&x->t.domains[0]->used[0], TLSRPT_PUB_RECORDS, "3 1 1 aaaa"); /* mx1: current */
	published(&x->t.domains[0]->used[1], TLSRPT_PUB_RECORDS, "3 1 1 cccc"); /* mx2: changed */
}

static void
build_unchecked(struct facts *x)
{
	build_failing(x); /* no lookup made: both sets unchecked */
}

static void
build_bad(struct facts *x)
{
	build_ok(x);
	ck_assert_int_eq(tlsrpt_tally_bad_parse(&x->t, "/r/x.json", "not JSON: garbage"), 0);
}

static void
build_skipped(struct facts *x)
{
	build_ok(x);
	x->t.files_late = 3;
}

static void
build_unreadable(struct facts *x)
{
	x->l.errors = calloc(1, sizeof(*x->l.errors));
	ck_assert_ptr_nonnull(x->l.errors);
	x->l.errors[0].dir = strdup("/nonexistent");
	x->l.errors[0].err = 2; /* ENOENT */
	x->l.nerrors = 1;
}

static void
build_many_domains(struct facts *x)
{
	x->t.domains_dropped = 5; /* what tlsrpt_tally_add() counts past the bound */
	build_ok(x);
}

static const struct {
	const char *name;
	const char *domain; /* -D, or NULL */
	void (*build)(struct facts *x);
	enum finding_code code;
	state_t state;
	struct finding_subject want;
} table[] = {
    {"failures over -c",
     "example.org",
     build_failing,
     FC_TLSRPT_FAILURES,
     STATE_CRITICAL,
     {.domain = "example.org."}},
    {"the failing group",
     "example.org",
     build_failing,
     FC_TLSRPT_FAILURE,
     STATE_CRITICAL,
     {.domain = "example.org.", .host = "mx2.example.org.", .address = "192.0.2.7"}},
    {"no failures", NULL, build_ok, FC_TLSRPT_NO_FAILURES, STATE_OK, {.domain = "example.org."}},
    {"no reports in the window",
     "example.org",
     build_old_only,
     FC_TLSRPT_NO_REPORTS,
     STATE_OK,
     {.domain = "example.org."}},
    {"--max-age exceeded",
     "example.org",
     build_stale,
     FC_TLSRPT_REPORT_STALE,
     STATE_WARNING,
     {.domain = "example.org."}},
    {"records changed, sessions failed",
     "example.org",
     build_records,
     FC_TLSRPT_POLICY_OUTDATED,
     STATE_CRITICAL,
     {.domain = "example.org.", .host = "mx2.example.org.", .name = "_25._tcp.mx2.example.org"}},
    {"records as published",
     "example.org",
     build_records,
     FC_TLSRPT_POLICY_CURRENT,
     STATE_OK,
     {.domain = "example.org.", .host = "mx1.example.org.", .name = "_25._tcp.mx1.example.org"}},
    {"records not compared",
     "example.org",
     build_unchecked,
     FC_TLSRPT_POLICY_UNCHECKED,
     STATE_OK,
     {.domain = "example.org.", .host = "mx1.example.org."}},
    {"a file without a report",
     "example.org",
     build_bad,
     FC_TLSRPT_BAD_REPORT,
     STATE_OK,
     {.file = "/r/x.json"}},
    {"files not read in time",
     "example.org",
     build_skipped,
     FC_TLSRPT_FILES_SKIPPED,
     STATE_WARNING,
     {.domain = NULL}},
    {"the files read", "example.org", build_ok, FC_TLSRPT_FILES_READ, STATE_OK, {.domain = NULL}},
    {"more domains than summed",
     NULL,
     build_many_domains,
     FC_TLSRPT_DOMAINS_DROPPED,
     STATE_OK,
     {.domain = NULL}},
    {"a directory that cannot be read",
     "example.org",
     build_unreadable,
     FC_TLSRPT_SOURCE_UNREADABLE,
     STATE_UNKNOWN,
     {.file = "/nonexistent"}},
};

START_TEST(verdict_table)
{
	struct facts x;
	struct output *out;

	facts_init(&x, table[_i].domain);
	table[_i].build(&x);
	out = judge(&x);
	vt_expect(out, table[_i].code, table[_i].state, &table[_i].want);
	output_free(out);
	facts_free(&x);
}
END_TEST

/* --- the words, the status line and perfdata of the main cases --- */

START_TEST(failures_critical_with_the_worst_group)
{
	struct facts x;
	struct output *out;
	const struct finding *f;
	char *text;

	facts_init(&x, "example.org");
	report(&x, "Microsoft Corporation", "ms1", 10 * 3600, MS_POLICIES);
	out = judge(&x);
	f = vt_expect(out, FC_TLSRPT_FAILURES, STATE_CRITICAL,
		      &(struct finding_subject){.domain = "example.org."});
	ck_assert_int_eq(finding_param(f, "failed_sessions")->integer, 97);
	ck_assert_int_eq(finding_param(f, "successful_sessions")->integer, 1743);
	f = vt_expect(out, FC_TLSRPT_FAILURE, STATE_CRITICAL,
		      &(struct finding_subject){.domain = "example.org.",
						.host = "mx2.example.org.",
						.address = "192.0.2.7"});
	ck_assert_str_eq(finding_param(f, "result_type")->string, "tlsa-invalid");
	ck_assert_str_eq(finding_param(f, "organizations")->string, "Microsoft Corporation");
	ck_assert_int_eq(output_state(out), STATE_CRITICAL);
	ck_assert_str_eq(output_summary_text(out),
			 "example.org: 97 of 1840 sessions failed (5.3 %) in 48 h: tlsa-invalid at "
			 "mx2.example.org (192.0.2.7), reported by Microsoft Corporation");
	text = output_render_text(out);
	ck_assert_ptr_nonnull(text);
	/* perfdata of the one -D domain, without a suffix; the reporter's text sanitized */
	ck_assert_ptr_nonnull(strstr(text, "'failed_pct'=5.271739%;0;5;0;100"));
	ck_assert_ptr_nonnull(strstr(text, "'failed_tlsa-invalid'=97;;;0"));
	ck_assert_ptr_nonnull(strstr(text, "'reports'=1;;;0"));
	ck_assert_ptr_null(strstr(text, "\x1b"));
	ck_assert_ptr_nonnull(
	    strstr(text, "reported by Microsoft Corporation: no match \\x7c \\x1b[31m"));
	free(text);
	output_free(out);
	facts_free(&x);
}
END_TEST

START_TEST(thresholds_decide_the_state)
{
	struct facts x;
	struct output *out;
	char err[64];

	facts_init(&x, "example.org");
	report(&x, "Microsoft Corporation", "ms1", 10 * 3600, MS_POLICIES);
	ck_assert_int_eq(range_parse("10", &x.warning, err, sizeof(err)), 0);
	ck_assert_int_eq(range_parse("20", &x.critical, err, sizeof(err)), 0);
	out = judge(&x);
	vt_expect(out, FC_TLSRPT_FAILURES, STATE_OK, NULL);
	ck_assert_int_eq(output_state(out), STATE_OK);
	ck_assert_str_eq(output_summary_text(out),
			 "example.org: 97 of 1840 sessions failed (5.3 %) in 48 h, 1 report from "
			 "Microsoft Corporation");
	output_free(out);
	ck_assert_int_eq(range_parse("5", &x.warning, err, sizeof(err)), 0);
	out = judge(&x);
	vt_expect(out, FC_TLSRPT_FAILURES, STATE_WARNING, NULL);
	vt_expect(out, FC_TLSRPT_FAILURE, STATE_WARNING, NULL);
	output_free(out);
	facts_free(&x);
}
END_TEST

START_TEST(no_failures_ok)
{
	struct facts x;
	struct output *out;
	char *text;

	facts_init(&x, NULL);
	report(&x, "Google Inc.", "g1", 20 * 3600, OK_POLICY("example.org", "312"));
	report(&x, "Microsoft Corporation", "m1", 30 * 3600, OK_POLICY("example.org", "10"));
	out = judge(&x);
	vt_expect(out, FC_TLSRPT_NO_FAILURES, STATE_OK,
		  &(struct finding_subject){.domain = "example.org."});
	ck_assert_int_eq(output_state(out), STATE_OK);
	ck_assert_str_eq(output_summary_text(out),
			 "example.org: 322 sessions in 48 h, none failed (2 reports from Google "
			 "Inc. and Microsoft Corporation)");
	text = output_render_text(out);
	/* without -D the labels name the domain */
	ck_assert_ptr_nonnull(strstr(text, "'failed_pct_example.org'=0%;0;5;0;100"));
	free(text);
	output_free(out);
	facts_free(&x);
}
END_TEST

START_TEST(no_reports_ok)
{
	struct facts x;
	struct output *out;

	facts_init(&x, "example.org");
	report(&x, "Google Inc.", "old", 80 * 3600, OK_POLICY("example.org", "3"));
	out = judge(&x);
	vt_expect(out, FC_TLSRPT_NO_REPORTS, STATE_OK,
		  &(struct finding_subject){.domain = "example.org."});
	ck_assert_str_eq(output_summary_text(out), "no reports in 48 h for example.org");
	output_free(out);
	facts_free(&x);
	facts_init(&x, NULL); /* nothing at all */
	out = judge(&x);
	vt_expect(out, FC_TLSRPT_NO_REPORTS, STATE_OK, NULL);
	ck_assert_str_eq(output_summary_text(out), "no reports in 48 h");
	output_free(out);
	facts_free(&x);
}
END_TEST

START_TEST(report_stale_warning)
{
	struct facts x;
	struct output *out;
	const struct finding *f;

	facts_init(&x, "example.org");
	x.cfg.max_age_hours = 72;
	report(&x, "Google Inc.", "old", 80 * 3600, OK_POLICY("example.org", "3"));
	out = judge(&x);
	f = vt_expect(out, FC_TLSRPT_REPORT_STALE, STATE_WARNING,
		      &(struct finding_subject){.domain = "example.org."});
	ck_assert_int_eq(finding_param(f, "newest_end")->integer, NOW - 80 * 3600);
	ck_assert_ptr_null(vt_find(out, FC_TLSRPT_NO_REPORTS));
	ck_assert_int_eq(output_state(out), STATE_WARNING);
	output_free(out);
	x.cfg.max_age_hours = 96; /* young enough */
	out = judge(&x);
	ck_assert_ptr_null(vt_find(out, FC_TLSRPT_REPORT_STALE));
	ck_assert_int_eq(output_state(out), STATE_OK);
	output_free(out);
	facts_free(&x);
}
END_TEST

START_TEST(policy_outdated_current_and_unchecked)
{
	struct facts x;
	struct output *out;
	const struct finding *f;
	struct tlsrpt_domain *d;

	facts_init(&x, "example.org");
	report(&x, "Microsoft Corporation", "ms1", 10 * 3600, MS_POLICIES);
	d = x.t.domains[0];
	ck_assert_uint_eq(d->nused, 2);
	ck_assert_str_eq(d->used[1].mx, "mx2.example.org");
	/* mx2: the sender used bbbb, DNS serves cccc now; mx1: as published */
	published(&d->used[1], TLSRPT_PUB_RECORDS, "3 1 1 cccc");
	published(&d->used[0], TLSRPT_PUB_RECORDS, "3 1 1 aaaa");
	out = judge(&x);
	f = vt_expect(out, FC_TLSRPT_POLICY_OUTDATED, STATE_CRITICAL,
		      &(struct finding_subject){.domain = "example.org.",
						.host = "mx2.example.org.",
						.name = "_25._tcp.mx2.example.org"});
	ck_assert_str_eq(finding_param(f, "not_published")->string, "3 1 1 bbbb");
	ck_assert_str_eq(finding_param(f, "not_used")->string, "3 1 1 cccc");
	vt_expect(out, FC_TLSRPT_POLICY_CURRENT, STATE_OK,
		  &(struct finding_subject){.host = "mx1.example.org."});
	output_free(out);
	/* DNS failed for mx1: said, no alarm */
	facts_free(&x);
	facts_init(&x, "example.org");
	report(&x, "Microsoft Corporation", "ms1", 10 * 3600, MS_POLICIES);
	d = x.t.domains[0];
	published(&d->used[0], TLSRPT_PUB_FAILED, NULL);
	d->used[0].published.outcome.cls = DNS_ERROR;
	d->used[0].published.outcome.error = DNS_ERR_SERVFAIL;
	d->used[0].published.outcome.fail.kind = DNS_FAIL_SERVFAIL;
	d->used[0].published.outcome.fail.cd_retry = true;
	out = judge(&x);
	vt_expect(out, FC_TLSRPT_POLICY_UNCHECKED, STATE_OK,
		  &(struct finding_subject){.host = "mx1.example.org."});
	output_free(out);
	facts_free(&x);
}
END_TEST

START_TEST(policy_outdated_without_failures_is_ok)
{
	struct facts x;
	struct output *out;

	facts_init(&x, "example.org");
	report(&x, "Microsoft Corporation", "ms1", 10 * 3600, MS_POLICIES);
	/* a rollover since the report: records changed, sessions succeeded */
	published(&x.t.domains[0]->used[0], TLSRPT_PUB_NONE, NULL);
	out = judge(&x);
	vt_expect(out, FC_TLSRPT_POLICY_OUTDATED, STATE_OK,
		  &(struct finding_subject){.host = "mx1.example.org."});
	output_free(out);
	facts_free(&x);
}
END_TEST

START_TEST(bad_reports_are_named_but_no_alarm)
{
	struct facts x;
	struct output *out;
	struct tlsrpt_load ld;
	const struct finding *f;

	facts_init(&x, "example.org");
	report(&x, "Google Inc.", "g1", 20 * 3600, OK_POLICY("example.org", "312"));
	memset(&ld, 0, sizeof(ld));
	ld.status = TLSRPT_LOAD_GZIP_BOMB;
	ld.limit = TLSRPT_MAX_JSON;
	ck_assert_int_eq(tlsrpt_tally_bad_load(&x.t, "/r/bomb.json.gz", &ld), 0);
	ck_assert_int_eq(
	    tlsrpt_tally_bad_parse(&x.t, "/r/deep.json", "not JSON: maximum parsing depth reached"),
	    0);
	out = judge(&x);
	f = vt_expect(out, FC_TLSRPT_BAD_REPORT, STATE_OK,
		      &(struct finding_subject){.file = "/r/bomb.json.gz"});
	ck_assert_str_eq(f->text, "/r/bomb.json.gz: not a TLSRPT report: it decompresses to more "
				  "than 4194304 bytes (a gzip bomb?)");
	ck_assert_int_eq(output_state(out), STATE_OK);
	ck_assert_str_eq(output_summary_text(out),
			 "example.org: 312 sessions in 48 h, none failed (1 report from Google "
			 "Inc.)");
	output_free(out);
	facts_free(&x);
}
END_TEST

START_TEST(files_skipped_read_and_unreadable)
{
	struct facts x;
	struct output *out;
	const struct finding *f;

	facts_init(&x, "example.org");
	report(&x, "Google Inc.", "g1", 20 * 3600, OK_POLICY("example.org", "312"));
	x.l.skipped = 7;
	x.l.too_old = 300;
	out = judge(&x);
	f = vt_expect(out, FC_TLSRPT_FILES_SKIPPED, STATE_WARNING, NULL);
	ck_assert_int_eq(finding_param(f, "skipped")->integer, 7);
	f = vt_expect(out, FC_TLSRPT_FILES_READ, STATE_OK, NULL);
	ck_assert_int_eq(finding_param(f, "not_opened")->integer, 300);
	ck_assert_int_eq(f->level, 1);
	output_free(out);
	x.l.errors = calloc(1, sizeof(*x.l.errors));
	ck_assert_ptr_nonnull(x.l.errors);
	x.l.errors[0].dir = strdup("/var/mail/tlsrpt");
	x.l.errors[0].err = 13; /* EACCES */
	x.l.nerrors = 1;
	out = judge(&x);
	vt_expect(out, FC_TLSRPT_SOURCE_UNREADABLE, STATE_UNKNOWN,
		  &(struct finding_subject){.file = "/var/mail/tlsrpt"});
	ck_assert_int_eq(output_state(out), STATE_UNKNOWN);
	output_free(out);
	facts_free(&x);
}
END_TEST

START_TEST(domains_dropped_and_several_domains)
{
	struct facts x;
	struct output *out;
	char policies[16384], name[32];
	size_t i, len = 0;

	facts_init(&x, NULL);
	for (i = 0; i < TLSRPT_TALLY_MAX_DOMAINS + 2; i++) {
		snprintf(name, sizeof(name), "d%zu.example", i);
		len += (size_t)snprintf(policies + len, sizeof(policies) - len,
					"%s{\"policy\":{\"policy-type\":\"sts\",\"policy-domain\":"
					"\"%s\"},\"summary\":{\"total-successful-session-count\":1,"
					"\"total-failure-session-count\":%d}}",
					i == 0 ? "" : ",", name, i == 5 ? 1 : 0);
	}
	report(&x, "O", "many", 3600, policies);
	out = judge(&x);
	vt_expect(out, FC_TLSRPT_DOMAINS_DROPPED, STATE_OK, NULL);
	ck_assert_int_eq(output_state(out), STATE_CRITICAL); /* d5: 1 of 2 failed */
	ck_assert_str_eq(output_summary_text(out),
			 "d5.example: 1 of 2 sessions failed (50.0 %) in 48 h, reported by O");
	output_free(out);
	facts_free(&x);
}
END_TEST

Suite *
verdict_tlsrpt_suite(void)
{
	Suite *s = suite_create("verdict_tlsrpt");
	TCase *tc = tcase_create("tlsrpt");

	tcase_add_loop_test(tc, verdict_table, 0, sizeof(table) / sizeof(table[0]));
	tcase_add_test(tc, failures_critical_with_the_worst_group);
	tcase_add_test(tc, thresholds_decide_the_state);
	tcase_add_test(tc, no_failures_ok);
	tcase_add_test(tc, no_reports_ok);
	tcase_add_test(tc, report_stale_warning);
	tcase_add_test(tc, policy_outdated_current_and_unchecked);
	tcase_add_test(tc, policy_outdated_without_failures_is_ok);
	tcase_add_test(tc, bad_reports_are_named_but_no_alarm);
	tcase_add_test(tc, files_skipped_read_and_unreadable);
	tcase_add_test(tc, domains_dropped_and_several_domains);
	suite_add_tcase(s, tc);
	return s;
}
