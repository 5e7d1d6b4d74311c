/*
 * test_tlsrpt.c -- the SMTP TLS report parser (common/tlsrpt.c) on the RFC
 * 8460 example, on reports shaped like Microsoft's and Google's, on the
 * deviations real reporters have, and on hostile input; and the tally
 * (common/tlsrpt_tally.c): the window, duplicates, -D, --policy, bounds.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "deadline.h"
#include "testdata.h"
#include "tlsrpt.h"
#include "tlsrpt_tally.h"

/* 2026-12-05T12:00:00Z: "now" of the tally tests */
#define NOW 1796472000

/* The bytes of a tests/data/tlsrpt file (malloc'd, NUL-terminated). */
static char *
fixture(const char *name, size_t *len)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/tlsrpt/%s", TEST_DATA_DIR, name);
	return testdata_read_file(path, len);
}

/* Parse a fixture; fails the test when it does not parse. */
static void
parse_fixture(const char *name, struct tlsrpt_report *r)
{
	char err[256];
	size_t len;
	char *json = fixture(name, &len);
	int rc = tlsrpt_parse(json, len, r, err, sizeof(err));

	free(json);
	ck_assert_msg(rc == 0, "%s: %s", name, err);
}

START_TEST(rfc8460_example)
{
	struct tlsrpt_report r;
	const struct tlsrpt_policy *p;

	parse_fixture("rfc8460-example.json", &r);
	ck_assert_str_eq(r.organization, "Company-X");
	ck_assert_str_eq(r.report_id, "5065427c-23d3-47ca-b6e0-946ea0e8c4be");
	ck_assert_str_eq(r.contact, "sts-reporting@company-x.example");
	ck_assert_int_eq(r.start, 1459468800); /* 2016-04-01T00:00:00Z */
	ck_assert_int_eq(r.end, 1459555199);
	ck_assert_uint_eq(r.npolicies, 1);
	p = &r.policies[0];
	ck_assert_int_eq(p->type, TLSRPT_POLICY_STS);
	ck_assert_str_eq(p->domain, "company-y.example");
	ck_assert_uint_eq(p->nstrings, 4);
	ck_assert_str_eq(p->strings[2], "mx: *.mail.company-y.example");
	ck_assert_uint_eq(p->nmx, 1);
	ck_assert_str_eq(p->mx_hosts[0], "*.mail.company-y.example");
	ck_assert_uint_eq(p->successful, 5326);
	ck_assert_uint_eq(p->failed, 303);
	ck_assert_uint_eq(p->nfailures, 3);
	ck_assert_str_eq(p->failures[0].result_type, "certificate-expired");
	ck_assert_str_eq(p->failures[0].mx_host, "mx1.mail.company-y.example");
	ck_assert_ptr_null(p->failures[0].receiving_ip);
	ck_assert_uint_eq(p->failures[0].sessions, 100);
	ck_assert_str_eq(p->failures[1].receiving_ip, "203.0.113.56");
	ck_assert(strncmp(p->failures[1].info, "https://reports.company-x.example/", 34) == 0);
	ck_assert_str_eq(p->failures[2].reason_code, "X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED");
	ck_assert_str_eq(p->failures[2].mx_host, "mx-backup.mail.company-y.example");
	tlsrpt_report_free(&r);
}
END_TEST

START_TEST(microsoft_shaped_tlsa_report)
{
	struct tlsrpt_report r;
	char rec[256];

	parse_fixture("microsoft-tlsa.json", &r);
	ck_assert_str_eq(r.organization, "Microsoft Corporation");
	ck_assert_uint_eq(r.npolicies, 2);
	ck_assert_int_eq(r.policies[0].type, TLSRPT_POLICY_TLSA);
	/* "mx-host" as a string, as Microsoft sends it */
	ck_assert_uint_eq(r.policies[0].nmx, 1);
	ck_assert_str_eq(r.policies[0].mx_hosts[0], "mx1.example.org");
	ck_assert_uint_eq(r.policies[0].nstrings, 2);
	ck_assert_int_eq(tlsrpt_tlsa_normalize(r.policies[0].strings[0], rec, sizeof(rec)), 0);
	ck_assert_str_eq(rec,
			 "3 1 1 61acd439f64fd630d1feab8c501b69e23d88ad16c9bf63fb37f5eab9a0dbd882");
	ck_assert_uint_eq(r.policies[0].nfailures, 0);
	ck_assert_uint_eq(r.policies[1].failed, 97);
	ck_assert_str_eq(r.policies[1].failures[0].result_type, "tlsa-invalid");
	ck_assert_str_eq(r.policies[1].failures[0].receiving_ip, "192.0.2.7");
	tlsrpt_report_free(&r);
}
END_TEST

START_TEST(google_shaped_report_with_no_policy_found)
{
	struct tlsrpt_report r;

	parse_fixture("google-sts.json", &r);
	ck_assert_str_eq(r.organization, "Google Inc.");
	ck_assert_str_eq(r.report_id, "2026-12-04T00:00:00Z_example.org");
	ck_assert_uint_eq(r.npolicies, 2);
	ck_assert_int_eq(r.policies[0].type, TLSRPT_POLICY_STS);
	ck_assert_uint_eq(r.policies[0].nmx, 2);
	ck_assert_int_eq(r.policies[1].type, TLSRPT_POLICY_NONE);
	ck_assert_str_eq(r.policies[1].type_name, "no-policy-found");
	ck_assert_str_eq(r.policies[1].domain, "example.net");
	ck_assert_uint_eq(r.policies[1].nstrings, 0);
	ck_assert_str_eq(r.policies[1].failures[0].result_type, "starttls-not-supported");
	tlsrpt_report_free(&r);
}
END_TEST

START_TEST(known_deviations_are_accepted_quietly)
{
	struct tlsrpt_report r;
	const struct tlsrpt_policy *p;
	char rec[256];

	parse_fixture("deviations.json", &r);
	/* offsets and fractions: 2026-12-05T01:00:00.123+01:00 is 00:00:00Z */
	ck_assert_int_eq(r.start, 1796428800);
	ck_assert_int_eq(r.end, 1796428800 + 86399);
	ck_assert_ptr_null(r.contact);
	p = &r.policies[0];
	ck_assert_int_eq(p->type, TLSRPT_POLICY_TLSA);
	ck_assert_str_eq(p->type_name, "tlsa");
	ck_assert_str_eq(p->domain, "example.org");
	ck_assert_str_eq(p->mx_hosts[0], "mx1.example.org");
	ck_assert_uint_eq(p->nstrings, 1); /* one string, not an array */
	ck_assert_int_eq(tlsrpt_tlsa_normalize(p->strings[0], rec, sizeof(rec)), 0);
	ck_assert_str_eq(rec,
			 "3 1 1 61acd439f64fd630d1feab8c501b69e23d88ad16c9bf63fb37f5eab9a0dbd882");
	ck_assert_str_eq(p->failures[0].result_type, "dnssec-invalid");
	ck_assert_str_eq(p->failures[0].receiving_ip, "2001:db8::25");
	tlsrpt_report_free(&r);
}
END_TEST

/* A minimal valid report around one policy object text. */
#define REPORT(policy)                                                                             \
	"{\"organization-name\":\"O\",\"report-id\":\"r\",\"date-range\":{\"start-datetime\":"     \
	"\"2026-12-04T00:00:00Z\",\"end-datetime\":\"2026-12-04T23:59:59Z\"},\"policies\":"        \
	"[" policy "]}"
#define POLICY(summary)                                                                            \
	"{\"policy\":{\"policy-type\":\"tlsa\",\"policy-domain\":\"example.org\"},"                \
	"\"summary\":" summary "}"
#define SUMMARY "{\"total-successful-session-count\":1,\"total-failure-session-count\":1}"

static const struct {
	const char *json;
	const char *why; /* a substring of the reason */
} hostile[] = {
    {"", "not JSON"},
    {"[]", "not an object"},
    {"{}", "organization-name missing"},
    {"\"a string\"", "not JSON"},
    {"{\"organization-name\":\"O\",\"report-id\":\"r\"}", "date-range missing"},
    {REPORT(POLICY("{\"total-successful-session-count\":-1,\"total-failure-session-count\":0}")),
     "policies[0]: total-successful-session-count is negative"},
    {REPORT(POLICY("{\"total-successful-session-count\":10000000000000,"
		   "\"total-failure-session-count\":0}")),
     "implausibly large"},
    {REPORT(POLICY("{\"total-successful-session-count\":99999999999999999999999,"
		   "\"total-failure-session-count\":0}")),
     "not JSON"},
    {REPORT(POLICY("{\"total-successful-session-count\":1.5,\"total-failure-session-count\":0}")),
     "not a whole number"},
    {REPORT(POLICY("{\"total-successful-session-count\":\"7\",\"total-failure-session-count\":0}")),
     "not a whole number"},
    {REPORT(POLICY("{\"total-successful-session-count\":1}")),
     "total-failure-session-count missing"},
    {REPORT("{\"policy\":{\"policy-type\":\"tlsa\",\"policy-domain\":\"example.org\"}}"),
     "summary missing"},
    {REPORT("{\"policy\":{\"policy-type\":\"tlsa\"},\"summary\":" SUMMARY "}"),
     "policy-domain missing"},
    {REPORT("{\"policy\":{\"policy-type\":\"tlsa\",\"policy-domain\":\"exa "
	    "mple.org\"},\"summary\":" SUMMARY "}"),
     "policy-domain is not a domain name"},
    {REPORT("{\"policy\":{\"policy-type\":\"tlsa\",\"policy-domain\":\"a..b\"},\"summary\":" SUMMARY
	    "}"),
     "not a domain name"},
    {REPORT("{\"policy\":{\"policy-type\":\"tlsa\",\"policy-domain\":\"e.org\",\"mx-host\":7},"
	    "\"summary\":" SUMMARY "}"),
     "mx-host is neither an array nor a string"},
    {REPORT(
	 "{\"policy\":{\"policy-type\":\"tlsa\",\"policy-domain\":\"e.org\",\"policy-string\":[1]},"
	 "\"summary\":" SUMMARY "}"),
     "policy-string[0] is not a string"},
    {REPORT(
	 "{\"policy\":{\"policy-type\":\"tlsa\",\"policy-domain\":\"e.org\"},\"summary\":" SUMMARY
	 ",\"failure-details\":[{\"result-type\":\"tlsa invalid\",\"failed-session-count\":1}]}"),
     "policies[0].failure-details[0]: result-type is not a result type"},
    {REPORT(
	 "{\"policy\":{\"policy-type\":\"tlsa\",\"policy-domain\":\"e.org\"},\"summary\":" SUMMARY
	 ",\"failure-details\":[{\"result-type\":\"tlsa-invalid\",\"failed-session-count\":1,"
	 "\"receiving-ip\":\"999.1.1.1\"}]}"),
     "receiving-ip is not an IP address"},
    {REPORT(
	 "{\"policy\":{\"policy-type\":\"tlsa\",\"policy-domain\":\"e.org\"},\"summary\":" SUMMARY
	 ",\"failure-details\":[{\"result-type\":\"tlsa-invalid\"}]}"),
     "failed-session-count missing"},
    {REPORT(
	 "{\"policy\":{\"policy-type\":\"tlsa\",\"policy-domain\":\"e.org\"},\"summary\":" SUMMARY
	 ",\"failure-details\":{}}"),
     "failure-details is not an array"},
    {"{\"organization-name\":\"O\",\"report-id\":\"r\",\"date-range\":{\"start-datetime\":"
     "\"2016-13-01T00:00:00Z\",\"end-datetime\":\"2016-04-01T23:59:59Z\"},\"policies\":[]}",
     "start-datetime is not an RFC 3339 date-time"},
    {"{\"organization-name\":\"O\",\"report-id\":\"r\",\"date-range\":{\"start-datetime\":"
     "\"2016-04-01T00:00:00Z\",\"end-datetime\":\"yesterday\"},\"policies\":[]}",
     "end-datetime is not an RFC 3339 date-time (yesterday)"},
    {"{\"organization-name\":\"O\",\"report-id\":\"r\",\"date-range\":{\"start-datetime\":"
     "\"2016-04-02T00:00:00Z\",\"end-datetime\":\"2016-04-01T23:59:59Z\"},\"policies\":[]}",
     "date-range ends before it starts"},
    {"{\"organization-name\":\"O\",\"report-id\":\"r\",\"date-range\":{\"start-datetime\":"
     "\"2016-04-01T00:00:00Z\",\"end-datetime\":\"2016-04-01T23:59:59Z\"},\"policies\":{}}",
     "policies is not an array"},
    {"{\"organization-name\":\"\xff\xfe\",\"report-id\":\"r\"}", "not JSON"},
    {"{\"organization-name\":\"a\\u0000b\",\"report-id\":\"r\"}", "not JSON"},
    {"{\"organization-name\":\"O\",\"organization-name\":\"P\"}", "not JSON"},
    {"{\"organization-name\":\"O\",\"report-id\":\"\"}", "report-id is empty"},
    {"{\"organization-name\":7,\"report-id\":\"r\"}", "organization-name is not a string"},
};

START_TEST(hostile_reports_are_refused_with_the_reason)
{
	struct tlsrpt_report r;
	char err[256];
	const char *json = hostile[_i].json;

	err[0] = '\0';
	ck_assert_msg(tlsrpt_parse(json, strlen(json), &r, err, sizeof(err)) == -1, "accepted: %s",
		      json);
	ck_assert_msg(strstr(err, hostile[_i].why) != NULL, "reason '%s', want '%s'", err,
		      hostile[_i].why);
	ck_assert_ptr_null(r.policies);
	ck_assert_ptr_null(r.organization);
}
END_TEST

/* A report text with n copies of item in the array of member key of one policy. */
static char *
with_array(const char *head, const char *item, size_t n, const char *tail)
{
	size_t len = strlen(head) + n * (strlen(item) + 1) + strlen(tail) + 1, i;
	char *s = malloc(len), *p;

	ck_assert_ptr_nonnull(s);
	p = s + sprintf(s, "%s", head);
	for (i = 0; i < n; i++)
		p += sprintf(p, "%s%s", i == 0 ? "" : ",", item);
	strcpy(p, tail);
	return s;
}

START_TEST(array_lengths_are_bounded)
{
	struct tlsrpt_report r;
	char err[256];
	char *s;

	s = with_array(
	    "{\"organization-name\":\"O\",\"report-id\":\"r\",\"date-range\":{\"start-"
	    "datetime\":\"2026-12-04T00:00:00Z\",\"end-datetime\":\"2026-12-04T23:59:59Z\"},"
	    "\"policies\":[{\"policy\":{\"policy-type\":\"tlsa\",\"policy-domain\":"
	    "\"e.org\"},\"summary\":" SUMMARY ",\"failure-details\":[",
	    "{\"result-type\":\"tlsa-invalid\",\"failed-session-count\":1}",
	    TLSRPT_MAX_FAILURES + 1, "]}]}");
	ck_assert_int_eq(tlsrpt_parse(s, strlen(s), &r, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "policies[0]: failure-details has more than 2048 entries");
	free(s);
	s = with_array(
	    "{\"organization-name\":\"O\",\"report-id\":\"r\",\"date-range\":{\"start-"
	    "datetime\":\"2026-12-04T00:00:00Z\",\"end-datetime\":\"2026-12-04T23:59:59Z\"},"
	    "\"policies\":[",
	    POLICY(SUMMARY), TLSRPT_MAX_POLICIES + 1, "]}");
	ck_assert_int_eq(tlsrpt_parse(s, strlen(s), &r, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "policies has more than 512 entries");
	free(s);
	s = with_array(
	    "{\"organization-name\":\"O\",\"report-id\":\"r\",\"date-range\":{\"start-"
	    "datetime\":\"2026-12-04T00:00:00Z\",\"end-datetime\":\"2026-12-04T23:59:59Z\"},"
	    "\"policies\":[",
	    POLICY(SUMMARY), TLSRPT_MAX_POLICIES, "]}");
	ck_assert_msg(tlsrpt_parse(s, strlen(s), &r, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(r.npolicies, TLSRPT_MAX_POLICIES);
	tlsrpt_report_free(&r);
	free(s);
	s = with_array(
	    "{\"organization-name\":\"O\",\"report-id\":\"r\",\"date-range\":{\"start-"
	    "datetime\":\"2026-12-04T00:00:00Z\",\"end-datetime\":\"2026-12-04T23:59:59Z\"},"
	    "\"policies\":[{\"policy\":{\"policy-type\":\"sts\",\"policy-domain\":\"e.org\","
	    "\"mx-host\":[",
	    "\"mx.e.org\"", TLSRPT_MAX_STRINGS + 1, "]},\"summary\":" SUMMARY "}]}");
	ck_assert_int_eq(tlsrpt_parse(s, strlen(s), &r, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "policies[0]: mx-host has more than 64 entries");
	free(s);
}
END_TEST

/* n '[' then n ']' inside prefix/suffix */
static char *
deep(const char *prefix, size_t n, const char *suffix)
{
	size_t len = strlen(prefix) + 2 * n + strlen(suffix) + 1;
	char *s = malloc(len);

	ck_assert_ptr_nonnull(s);
	strcpy(s, prefix);
	memset(s + strlen(prefix), '[', n);
	memset(s + strlen(prefix) + n, ']', n);
	strcpy(s + strlen(prefix) + 2 * n, suffix);
	return s;
}

START_TEST(deep_nesting_fails_fast)
{
	struct tlsrpt_report r;
	char err[256];
	double t0 = deadline_now();
	char *s = deep("", 10000, "");

	ck_assert_int_eq(tlsrpt_parse(s, strlen(s), &r, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "maximum parsing depth") != NULL, "%s", err);
	free(s);
	/* deep inside a member the parser skips */
	s = deep("{\"organization-name\":\"O\",\"x\":", 100000, "}");
	ck_assert_int_eq(tlsrpt_parse(s, strlen(s), &r, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "maximum parsing depth") != NULL, "%s", err);
	free(s);
	ck_assert_msg(deadline_now() - t0 < 1.0, "took %.3f s", deadline_now() - t0);
}
END_TEST

START_TEST(values_are_counted_before_parsing)
{
	struct tlsrpt_report r;
	char err[256];
	char *s;

	/* 4 MiB of "{}," would cost jansson ~300 MiB: refused before it builds them */
	s = with_array("[", "{}", TLSRPT_MAX_OBJECTS + 1, "]");
	ck_assert_int_eq(tlsrpt_parse(s, strlen(s), &r, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "more than 65536 objects");
	free(s);
	s = with_array("[", "0", TLSRPT_MAX_VALUES + 1, "]");
	ck_assert_int_eq(tlsrpt_parse(s, strlen(s), &r, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "more than 262144 values");
	free(s);
	/* within the bounds: parsed (and refused for what it is) */
	s = with_array("[", "0", TLSRPT_MAX_VALUES - 10, "]");
	ck_assert_int_eq(tlsrpt_parse(s, strlen(s), &r, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "the JSON text is not an object");
	free(s);
}
END_TEST

START_TEST(sizes_are_bounded)
{
	struct tlsrpt_report r;
	char err[256];
	size_t n = TLSRPT_MAX_JSON + 1;
	char *big = malloc(n), *s;

	ck_assert_ptr_nonnull(big);
	memset(big, ' ', n);
	ck_assert_int_eq(tlsrpt_parse(big, n, &r, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "larger than 4194304 bytes");
	/* a long free text is cut, a long identifier refused */
	s = malloc(200000);
	ck_assert_ptr_nonnull(s);
	snprintf(s, 200000,
		 REPORT("{\"policy\":{\"policy-type\":\"tlsa\",\"policy-domain\":\"e.org\"},"
			"\"summary\":" SUMMARY
			",\"failure-details\":[{\"result-type\":\"tlsa-invalid\","
			"\"failed-session-count\":1,\"additional-information\":\"%s\"}]}"),
		 (memset(big, 'x', 100000), big[100000] = '\0', big));
	ck_assert_msg(tlsrpt_parse(s, strlen(s), &r, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(strlen(r.policies[0].failures[0].info), TLSRPT_MAX_TEXT);
	tlsrpt_report_free(&r);
	snprintf(s, 200000,
		 "{\"organization-name\":\"O\",\"report-id\":\"%.*s\",\"date-range\":{}}", 600,
		 big);
	ck_assert_int_eq(tlsrpt_parse(s, strlen(s), &r, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "report-id longer than 512 bytes");
	snprintf(s, 200000,
		 REPORT("{\"policy\":{\"policy-type\":\"tlsa\",\"policy-domain\":\"%.*s\"},"
			"\"summary\":" SUMMARY "}"),
		 254, big);
	ck_assert_int_eq(tlsrpt_parse(s, strlen(s), &r, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "policies[0]: policy-domain is not a domain name");
	free(s);
	free(big);
}
END_TEST

static const struct {
	const char *text;
	long long want; /* -1: refused */
} times[] = {
    {"2016-04-01T00:00:00Z", 1459468800},
    {"2016-04-01t00:00:00z", 1459468800},
    {"2016-04-01 00:00:00Z", 1459468800},
    {"2016-04-01T02:00:00+02:00", 1459468800},
    {"2016-03-31T19:30:00-04:30", 1459468800},
    {"2016-04-01T00:00:00.5Z", 1459468800},
    {"2016-04-01T00:00:00.123456789012Z", 1459468800},
    {"2016-12-31T23:59:60Z", 1483228799},
    {"2024-02-29T00:00:00Z", 1709164800},
    {"1970-01-01T00:00:00Z", 0},
    {"9999-12-31T23:59:59Z", 253402300799LL},
    {"2023-02-29T00:00:00Z", -1},
    {"2016-04-31T00:00:00Z", -1},
    {"2016-04-01T24:00:00Z", -1},
    {"2016-04-01T00:60:00Z", -1},
    {"2016-04-01T00:00:61Z", -1},
    {"2016-04-01T00:00:00", -1},
    {"2016-04-01T00:00:00.Z", -1},
    {"2016-04-01T00:00:00.1234567890123Z", -1},
    {"2016-04-01T00:00:00+0200", -1},
    {"2016-04-01T00:00:00+24:00", -1},
    {"2016-04-01T00:00:00Z ", -1},
    {"2016-4-01T00:00:00Z", -1},
    {"1969-12-31T23:59:59Z", -1},
    {"2016-04-01", -1},
    {"", -1},
    {"+2016-04-01T00:00:00Z", -1},
    {"1459468800", -1},
};

START_TEST(rfc3339_times)
{
	time_t t = 0;
	int rc = tlsrpt_parse_time(times[_i].text, &t);

	if (times[_i].want < 0) {
		ck_assert_msg(rc == -1, "'%s' accepted", times[_i].text);
	} else {
		ck_assert_msg(rc == 0, "'%s' refused", times[_i].text);
		ck_assert_msg((long long)t == times[_i].want, "'%s': %lld, want %lld",
			      times[_i].text, (long long)t, times[_i].want);
	}
}
END_TEST

START_TEST(names_and_records_are_normalized)
{
	char out[TLSRPT_NAME_SIZE], rec[128];

	ck_assert_int_eq(tlsrpt_name_normalize("MX1.Example.ORG.", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "mx1.example.org");
	ck_assert_int_eq(tlsrpt_name_normalize("*.mail.example", out, sizeof(out)), 0);
	ck_assert_int_eq(tlsrpt_name_normalize(".", out, sizeof(out)), -1);
	ck_assert_int_eq(tlsrpt_name_normalize("", out, sizeof(out)), -1);
	ck_assert_int_eq(tlsrpt_name_normalize(".a.b", out, sizeof(out)), -1);
	ck_assert_int_eq(tlsrpt_name_normalize("a..", out, sizeof(out)), -1); /* fuzz_tlsrpt */
	ck_assert_int_eq(tlsrpt_name_normalize("a|b", out, sizeof(out)), -1);
	ck_assert_int_eq(tlsrpt_name_normalize("a\nb", out, sizeof(out)), -1);
	ck_assert_int_eq(tlsrpt_name_normalize("\xc3\xa9.example", out, sizeof(out)), -1);

	ck_assert_int_eq(tlsrpt_tlsa_normalize("3 1 1 ABcd", rec, sizeof(rec)), 0);
	ck_assert_str_eq(rec, "3 1 1 abcd");
	ck_assert_int_eq(tlsrpt_tlsa_normalize("  2\t0 1 ab cd ef  ", rec, sizeof(rec)), 0);
	ck_assert_str_eq(rec, "2 0 1 abcdef");
	ck_assert_int_eq(tlsrpt_tlsa_normalize("x. 300 IN tlsa 3 1 1 00ff", rec, sizeof(rec)), 0);
	ck_assert_str_eq(rec, "3 1 1 00ff");
	ck_assert_int_eq(tlsrpt_tlsa_normalize("3 1 1", rec, sizeof(rec)), -1);
	ck_assert_int_eq(tlsrpt_tlsa_normalize("3 1 1 abc", rec, sizeof(rec)), -1);
	ck_assert_int_eq(tlsrpt_tlsa_normalize("3 1 1 xyz0", rec, sizeof(rec)), -1);
	ck_assert_int_eq(tlsrpt_tlsa_normalize("256 1 1 00", rec, sizeof(rec)), -1);
	ck_assert_int_eq(tlsrpt_tlsa_normalize("-3 1 1 00", rec, sizeof(rec)), -1);
	ck_assert_int_eq(tlsrpt_tlsa_normalize("version: STSv1", rec, sizeof(rec)), -1);
	ck_assert_int_eq(tlsrpt_tlsa_normalize("3 1 1 0011223344", rec, 10), -1);
}
END_TEST

/* A report text: org, id, end time (the day before it starts), one policy. */
static void
make_report(struct tlsrpt_report *r, const char *org, const char *id, time_t end,
	    const char *policies)
{
	char json[65536], start_s[32], end_s[32], err[256];
	time_t start = end - 86399;
	struct tm tm;

	strftime(start_s, sizeof(start_s), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&start, &tm));
	strftime(end_s, sizeof(end_s), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&end, &tm));
	snprintf(json, sizeof(json),
		 "{\"organization-name\":\"%s\",\"report-id\":\"%s\",\"date-range\":{\"start-"
		 "datetime\":\"%s\",\"end-datetime\":\"%s\"},\"policies\":[%s]}",
		 org, id, start_s, end_s, policies);
	ck_assert_msg(tlsrpt_parse(json, strlen(json), r, err, sizeof(err)) == 0, "%s", err);
}

#define TLSA_POLICY(domain, mx, ok, failed)                                                        \
	"{\"policy\":{\"policy-type\":\"tlsa\",\"policy-domain\":\"" domain "\",\"mx-host\":\"" mx \
	"\",\"policy-string\":[\"3 1 1 AA\",\"3 1 1 "                                              \
	"bb\"]},\"summary\":{\"total-successful-session-"                                          \
	"count\":" ok ",\"total-failure-session-count\":" failed                                   \
	"},\"failure-details\":[{\"result-"                                                        \
	"type\":\"tlsa-invalid\",\"receiving-mx-hostname\":\"" mx                                  \
	"\",\"receiving-ip\":\"192.0.2.7\","                                                       \
	"\"failed-session-count\":" failed "}]}"

START_TEST(tally_window_duplicates_and_groups)
{
	struct tlsrpt_filter f = {NOW, 48 * 3600, TLSRPT_POLICY_ALL, NULL, 0};
	struct tlsrpt_tally t;
	struct tlsrpt_report r;
	const struct tlsrpt_domain *d;

	ck_assert_int_eq(tlsrpt_tally_init(&t, &f), 0);
	make_report(&r, "Microsoft Corporation", "a", NOW - 12 * 3600,
		    TLSA_POLICY("example.org", "mx2.example.org", "1743", "97"));
	ck_assert_int_eq(tlsrpt_tally_add(&t, &r, "a.json"), 0);
	ck_assert_int_eq(tlsrpt_tally_add(&t, &r, "a-again.json"), 0); /* the same report */
	tlsrpt_report_free(&r);
	make_report(&r, "Google LLC", "a", NOW - 13 * 3600, /* same id, other org: counts */
		    TLSA_POLICY("example.org", "mx2.example.org", "100", "3"));
	ck_assert_int_eq(tlsrpt_tally_add(&t, &r, "b.json"), 0);
	tlsrpt_report_free(&r);
	make_report(&r, "Google LLC", "old", NOW - 49 * 3600,
		    TLSA_POLICY("example.org", "mx2.example.org", "100", "3"));
	ck_assert_int_eq(tlsrpt_tally_add(&t, &r, "old.json"), 0);
	tlsrpt_report_free(&r);
	make_report(&r, "Mallory", "future", NOW + 2 * 3600,
		    TLSA_POLICY("example.org", "mx2.example.org", "0", "100"));
	ck_assert_int_eq(tlsrpt_tally_add(&t, &r, "future.json"), 0);
	tlsrpt_report_free(&r);

	ck_assert_uint_eq(t.reports, 5);
	ck_assert_uint_eq(t.counted, 2);
	ck_assert_uint_eq(t.duplicates, 1);
	ck_assert_uint_eq(t.old, 1);
	ck_assert_uint_eq(t.nbad, 1);
	ck_assert_int_eq(t.bad[0].kind, TLSRPT_BAD_FUTURE);
	ck_assert_str_eq(t.bad[0].file, "future.json");
	ck_assert_uint_eq(t.ndomains, 1);
	d = t.domains[0];
	ck_assert_str_eq(d->name, "example.org");
	ck_assert(!d->listed);
	ck_assert_uint_eq(d->reports, 2);
	ck_assert_uint_eq(d->successful, 1843);
	ck_assert_uint_eq(d->failed, 100);
	ck_assert_int_eq(d->newest_end, NOW - 12 * 3600);
	ck_assert_uint_eq(d->orgs.n, 2);
	ck_assert_uint_eq(d->ngroups, 1);
	ck_assert_str_eq(d->groups[0].mx, "mx2.example.org");
	ck_assert_str_eq(d->groups[0].result_type, "tlsa-invalid");
	ck_assert_uint_eq(d->groups[0].sessions, 100);
	ck_assert_uint_eq(d->groups[0].ips.n, 1);
	ck_assert_str_eq(d->groups[0].ips.v[0], "192.0.2.7");
	ck_assert_uint_eq(d->nused, 1); /* the same records from both */
	ck_assert_uint_eq(d->used[0].nrecords, 2);
	ck_assert_str_eq(d->used[0].records[0], "3 1 1 aa");
	ck_assert_str_eq(d->used[0].records[1], "3 1 1 bb");
	ck_assert_uint_eq(d->used[0].orgs.n, 2);
	ck_assert_uint_eq(d->used[0].failed, 100);
	ck_assert(tlsrpt_tally_failed_pct(d) > 5.14 && tlsrpt_tally_failed_pct(d) < 5.15);
	tlsrpt_tally_free(&t);
}
END_TEST

START_TEST(tally_domains_and_policy_types)
{
	const char *const only[] = {"example.org", "example.com", "example.org"};
	struct tlsrpt_filter f = {NOW, 48 * 3600, TLSRPT_POLICY_ALL, only, 3};
	struct tlsrpt_tally t;
	struct tlsrpt_report r;

	ck_assert_int_eq(tlsrpt_tally_init(&t, &f), 0);
	ck_assert_uint_eq(t.ndomains, 2); /* -D given twice counts once */
	ck_assert(t.domains[0]->listed);
	parse_fixture("google-sts.json", &r);
	r.end = NOW - 3600;
	ck_assert_int_eq(tlsrpt_tally_add(&t, &r, "g.json"), 0);
	tlsrpt_report_free(&r);
	ck_assert_uint_eq(t.ndomains, 2); /* example.net is not asked for */
	ck_assert_uint_eq(t.domains[0]->successful, 312);
	ck_assert_uint_eq(t.domains[1]->reports, 0);
	ck_assert_uint_eq(t.counted, 1);
	tlsrpt_tally_free(&t);

	f.types = TLSRPT_POLICY_TLSA; /* --policy tlsa: Google's MTA-STS report does not count */
	ck_assert_int_eq(tlsrpt_tally_init(&t, &f), 0);
	parse_fixture("google-sts.json", &r);
	r.end = NOW - 3600;
	ck_assert_int_eq(tlsrpt_tally_add(&t, &r, "g.json"), 0);
	tlsrpt_report_free(&r);
	ck_assert_uint_eq(t.counted, 0);
	ck_assert_uint_eq(t.unmatched, 1);
	ck_assert_uint_eq(t.domains[0]->reports, 0);
	ck_assert_int_eq(t.domains[0]->newest_end, 0);
	tlsrpt_tally_free(&t);
}
END_TEST

START_TEST(tally_bounds_domains_groups_and_bad_files)
{
	struct tlsrpt_filter f = {NOW, 48 * 3600, TLSRPT_POLICY_ALL, NULL, 0};
	struct tlsrpt_tally t;
	struct tlsrpt_report r;
	struct tlsrpt_load ld;
	char policies[32768], id[16];
	size_t i, len = 0;

	ck_assert_int_eq(tlsrpt_tally_init(&t, &f), 0);
	for (i = 0; i < TLSRPT_TALLY_MAX_DOMAINS + 3; i++)
		len += (size_t)snprintf(policies + len, sizeof(policies) - len,
					"%s{\"policy\":{\"policy-type\":\"sts\",\"policy-domain\":"
					"\"d%zu.example\"},\"summary\":" SUMMARY "}",
					i == 0 ? "" : ",", i);
	make_report(&r, "O", "many", NOW - 3600, policies);
	ck_assert_int_eq(tlsrpt_tally_add(&t, &r, "many.json"), 0);
	tlsrpt_report_free(&r);
	ck_assert_uint_eq(t.ndomains, TLSRPT_TALLY_MAX_DOMAINS);
	ck_assert_uint_eq(t.domains_dropped, 3);
	len = 0;
	for (i = 0; i < TLSRPT_TALLY_MAX_GROUPS + 2; i++)
		len += (size_t)snprintf(policies + len, sizeof(policies) - len,
					"%s{\"result-type\":\"t%zu\",\"failed-session-count\":2}",
					i == 0 ? "" : ",", i);
	snprintf(id, sizeof(id), "groups");
	{
		char p2[40000];

		snprintf(p2, sizeof(p2),
			 "{\"policy\":{\"policy-type\":\"sts\",\"policy-domain\":\"d0.example\"},"
			 "\"summary\":" SUMMARY ",\"failure-details\":[%s]}",
			 policies);
		make_report(&r, "O", id, NOW - 3600, p2);
	}
	ck_assert_int_eq(tlsrpt_tally_add(&t, &r, "groups.json"), 0);
	tlsrpt_report_free(&r);
	ck_assert_uint_eq(t.domains[0]->ngroups, TLSRPT_TALLY_MAX_GROUPS);
	ck_assert_uint_eq(t.domains[0]->groups_dropped, 4);
	memset(&ld, 0, sizeof(ld));
	ld.status = TLSRPT_LOAD_GZIP_BOMB;
	ld.limit = TLSRPT_MAX_JSON;
	for (i = 0; i < TLSRPT_TALLY_MAX_BAD + 5; i++)
		ck_assert_int_eq(tlsrpt_tally_bad_load(&t, "bomb.gz", &ld), 0);
	ck_assert_uint_eq(t.nbad, TLSRPT_TALLY_MAX_BAD);
	ck_assert_uint_eq(t.bad_more, 5);
	ck_assert_int_eq(t.bad[0].load, TLSRPT_LOAD_GZIP_BOMB);
	tlsrpt_tally_free(&t);
}
END_TEST

static Suite *
tlsrpt_suite(void)
{
	Suite *s = suite_create("tlsrpt");
	TCase *tc = tcase_create("parser");
	TCase *tt = tcase_create("tally");

	tcase_add_test(tc, rfc8460_example);
	tcase_add_test(tc, microsoft_shaped_tlsa_report);
	tcase_add_test(tc, google_shaped_report_with_no_policy_found);
	tcase_add_test(tc, known_deviations_are_accepted_quietly);
	tcase_add_loop_test(tc, hostile_reports_are_refused_with_the_reason, 0,
			    sizeof(hostile) / sizeof(hostile[0]));
	tcase_add_test(tc, array_lengths_are_bounded);
	tcase_add_test(tc, deep_nesting_fails_fast);
	tcase_add_test(tc, values_are_counted_before_parsing);
	tcase_add_test(tc, sizes_are_bounded);
	tcase_add_loop_test(tc, rfc3339_times, 0, sizeof(times) / sizeof(times[0]));
	tcase_add_test(tc, names_and_records_are_normalized);
	suite_add_tcase(s, tc);
	tcase_add_test(tt, tally_window_duplicates_and_groups);
	tcase_add_test(tt, tally_domains_and_policy_types);
	tcase_add_test(tt, tally_bounds_domains_groups_and_bad_files);
	suite_add_tcase(s, tt);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(tlsrpt_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
