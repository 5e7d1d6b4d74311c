/*
 * fuzz_tlsrpt -- libFuzzer target for the SMTP TLS report parser and what
 * follows it (common/tlsrpt.c, tlsrpt_tally.c, verdict_tlsrpt.c; issue 24).
 *
 * The input is a report's JSON text -> tlsrpt_parse(). Properties of a
 * report that parses: every bound holds (policies, failure-details,
 * policy-string and mx-host entries, string lengths, counts), required
 * strings are there, names are normalized (normalizing them again gives the
 * same), the date-range is in order and IP addresses are the form
 * inet_ntop() writes. A refused report has a reason and holds nothing. The
 * report is then tallied (twice: the second is a duplicate) and judged, and
 * the result rendered as text and JSON: one status line, printable ASCII,
 * perfdata only on the first line, and JSON that jansson parses.
 * The input as one string also goes through tlsrpt_parse_time(),
 * tlsrpt_name_normalize() and tlsrpt_tlsa_normalize(), whose results must
 * normalize to themselves.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "output.h"
#include "tlsrpt.h"
#include "tlsrpt_tally.h"
#include "verdict_tlsrpt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_tlsrpt: %s:%d: %s\n", __FILE__, __LINE__, #cond);    \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* A normalized name stays the same when normalized again. */
static void
check_name(const char *name)
{
	char again[TLSRPT_NAME_SIZE];

	CHECK(name != NULL);
	CHECK(tlsrpt_name_normalize(name, again, sizeof(again)) == 0);
	CHECK(strcmp(name, again) == 0);
}

/* An address is what inet_ntop() writes for it. */
static void
check_ip(const char *ip)
{
	unsigned char bin[16];
	char text[INET6_ADDRSTRLEN];
	int af = strchr(ip, ':') != NULL ? AF_INET6 : AF_INET;

	CHECK(inet_pton(af, ip, bin) == 1);
	CHECK(inet_ntop(af, bin, text, sizeof(text)) != NULL);
	CHECK(strcmp(ip, text) == 0);
}

static void
check_report(const struct tlsrpt_report *r)
{
	size_t i, j;

	CHECK(r->organization != NULL && strlen(r->organization) <= TLSRPT_MAX_TEXT);
	CHECK(r->report_id != NULL && strlen(r->report_id) <= TLSRPT_MAX_ID);
	CHECK(r->contact == NULL || strlen(r->contact) <= TLSRPT_MAX_TEXT);
	CHECK(r->start <= r->end);
	CHECK(r->npolicies <= TLSRPT_MAX_POLICIES);
	for (i = 0; i < r->npolicies; i++) {
		const struct tlsrpt_policy *p = &r->policies[i];

		check_name(p->domain);
		CHECK(p->type == tlsrpt_policy_type_of(p->type_name));
		CHECK(p->nstrings <= TLSRPT_MAX_STRINGS && p->nmx <= TLSRPT_MAX_STRINGS);
		for (j = 0; j < p->nstrings; j++)
			CHECK(strlen(p->strings[j]) <= TLSRPT_MAX_POLICY_STRING);
		for (j = 0; j < p->nmx; j++)
			check_name(p->mx_hosts[j]);
		CHECK(p->successful <= TLSRPT_MAX_COUNT && p->failed <= TLSRPT_MAX_COUNT);
		CHECK(p->nfailures <= TLSRPT_MAX_FAILURES);
		for (j = 0; j < p->nfailures; j++) {
			const struct tlsrpt_failure *f = &p->failures[j];
			const char *c;

			CHECK(f->result_type != NULL &&
			      strlen(f->result_type) <= TLSRPT_MAX_RESULT_TYPE);
			for (c = f->result_type; *c != '\0'; c++)
				CHECK(islower((unsigned char)*c) || isdigit((unsigned char)*c) ||
				      *c == '-' || *c == '_');
			CHECK(f->sessions <= TLSRPT_MAX_COUNT);
			if (f->mx_host != NULL)
				check_name(f->mx_host);
			if (f->receiving_ip != NULL)
				check_ip(f->receiving_ip);
			CHECK(f->info == NULL || strlen(f->info) <= TLSRPT_MAX_TEXT);
			CHECK(f->reason_code == NULL || strlen(f->reason_code) <= TLSRPT_MAX_TEXT);
		}
	}
}

/* The rendered text: one status line with perfdata only there, printable ASCII. */
static void
check_text(const char *text)
{
	const char *p, *nl = strchr(text, '\n');

	CHECK(strncmp(text, "TLSRPT ", 7) == 0);
	CHECK(nl != NULL);
	for (p = text; *p != '\0'; p++) {
		CHECK(*p == '\n' || (*p >= 0x20 && *p < 0x7f));
		if (p > nl)
			CHECK(*p != '|');
	}
}

/* Tally the report (and again: a duplicate), judge it, render it both ways. */
static void
judge(const struct tlsrpt_report *r)
{
	struct range warning, critical;
	char err[64];
	struct tlsrpt_filter filter = {r->end + 3600, 48 * 3600, TLSRPT_POLICY_ALL, NULL, 0};
	struct verdict_tlsrpt_cfg cfg = {r->end + 3600, 48, 72, &warning, &critical, 25, 10, true};
	struct tlsrpt_listing l;
	struct tlsrpt_tally t;
	struct output *out;
	json_error_t jerr;
	json_t *doc;
	char *text;

	memset(&l, 0, sizeof(l));
	CHECK(range_parse("0", &warning, err, sizeof(err)) == 0);
	CHECK(range_parse("5", &critical, err, sizeof(err)) == 0);
	if (tlsrpt_tally_init(&t, &filter) != 0)
		return;
	if (tlsrpt_tally_add(&t, r, "fuzz.json") == 0 && tlsrpt_tally_add(&t, r, "fuzz.json") == 0)
		CHECK(t.duplicates == 1 && t.counted + t.old + t.unmatched == 1);
	out = output_new("TLSRPT");
	if (out != NULL) {
		verdict_tlsrpt(&l, &t, &cfg, out);
		text = output_render_text(out);
		if (text != NULL)
			check_text(text);
		free(text);
		text = output_render_json(out);
		if (text != NULL) {
			doc = json_loads(text, 0, &jerr);
			CHECK(doc != NULL);
			json_decref(doc);
		}
		free(text);
		output_free(out);
	}
	tlsrpt_tally_free(&t);
}

/* The input as one string through the small normalizers. */
static void
strings(const uint8_t *data, size_t size)
{
	char s[512], out[512], again[512];
	size_t n = size < sizeof(s) - 1 ? size : sizeof(s) - 1;
	time_t t;

	memcpy(s, data, n);
	s[n] = '\0';
	if (tlsrpt_parse_time(s, &t) == 0)
		CHECK(t >= 0);
	if (tlsrpt_name_normalize(s, out, TLSRPT_NAME_SIZE) == 0)
		check_name(out);
	if (tlsrpt_tlsa_normalize(s, out, sizeof(out)) == 0) {
		CHECK(tlsrpt_tlsa_normalize(out, again, sizeof(again)) == 0);
		CHECK(strcmp(out, again) == 0);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tlsrpt_report r;
	char err[256];

	strings(data, size);
	err[0] = '\0';
	if (tlsrpt_parse(data, size, &r, err, sizeof(err)) != 0) {
		CHECK(err[0] != '\0');
		CHECK(r.policies == NULL && r.organization == NULL && r.npolicies == 0);
		return 0;
	}
	check_report(&r);
	judge(&r);
	tlsrpt_report_free(&r);
	return 0;
}
