/*
 * tlsrpt.c -- one SMTP TLS report (RFC 8460 section 4) from untrusted JSON
 * into facts, every size bounded (see tlsrpt.h).
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "text.h"
#include "tlsrpt.h"

/* Where the parser is in the report, for the reason of a refusal. */
struct ctx {
	char *err;
	size_t errsize;
	char where[64]; /* "policies[2].failure-details[7]", "" at the top */
};

static int fail(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Write "where: reason" into the error buffer; returns -1. */
static int
fail(struct ctx *c, const char *fmt, ...)
{
	char msg[192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->where[0] != '\0')
		snprintf(c->err, c->errsize, "%s: %s", c->where, msg);
	else
		snprintf(c->err, c->errsize, "%s", msg);
	return -1;
}

/* A copy of at most max bytes of s (len bytes); NULL when out of memory. */
static char *
copy_cut(const char *s, size_t len, size_t max)
{
	char *p;

	if (len > max)
		len = max;
	p = malloc(len + 1);
	if (p == NULL)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

/* The member key of obj, NULL when absent or JSON null. */
static json_t *
member(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return v == NULL || json_is_null(v) ? NULL : v;
}

/*
 * A string value v named what into *out (malloc'd): required or not (absent
 * or "": *out NULL), cut at max bytes when cut, else refused when longer.
 */
static int
take_string(struct ctx *c, json_t *v, const char *what, bool required, size_t max, bool cut,
	    char **out)
{
	size_t len;

	*out = NULL;
	if (v == NULL)
		return required ? fail(c, "%s missing", what) : 0;
	if (!json_is_string(v))
		return fail(c, "%s is not a string", what);
	len = json_string_length(v);
	if (len == 0)
		return required ? fail(c, "%s is empty", what) : 0;
	if (len > max && !cut)
		return fail(c, "%s longer than %zu bytes", what, max);
	if (memchr(json_string_value(v), '\0', len) != NULL)
		return fail(c, "%s holds a NUL", what);
	*out = copy_cut(json_string_value(v), len, max);
	return *out == NULL ? fail(c, "out of memory") : 0;
}

/* A string member of obj (see take_string()). */
static int
get_string(struct ctx *c, json_t *obj, const char *key, bool required, size_t max, bool cut,
	   char **out)
{
	return take_string(c, member(obj, key), key, required, max, cut, out);
}

/* A session count member: a whole number 0..TLSRPT_MAX_COUNT. */
static int
get_count(struct ctx *c, json_t *obj, const char *key, uint64_t *out)
{
	json_t *v = member(obj, key);
	json_int_t n;

	if (v == NULL)
		return fail(c, "%s missing", key);
	if (!json_is_integer(v))
		return fail(c, "%s is not a whole number", key);
	n = json_integer_value(v);
	if (n < 0)
		return fail(c, "%s is negative (%lld)", key, (long long)n);
	if (n > TLSRPT_MAX_COUNT)
		return fail(c, "%s is implausibly large (%lld)", key, (long long)n);
	*out = (uint64_t)n;
	return 0;
}

/* A domain name member, normalized; absent: *out NULL unless required. */
static int
get_name(struct ctx *c, json_t *obj, const char *key, bool required, char **out)
{
	char name[TLSRPT_NAME_SIZE];
	char *raw;

	if (get_string(c, obj, key, required, 255, false, &raw) != 0)
		return -1;
	if (raw == NULL)
		return 0;
	*out = NULL;
	if (tlsrpt_name_normalize(raw, name, sizeof(name)) != 0) {
		free(raw);
		return fail(c, "%s is not a domain name", key);
	}
	free(raw);
	*out = strdup(name);
	return *out == NULL ? fail(c, "out of memory") : 0;
}

/* An IP address member, as inet_ntop writes it; absent or "": *out NULL. */
static int
get_ip(struct ctx *c, json_t *obj, const char *key, char **out)
{
	unsigned char bin[16];
	char text[INET6_ADDRSTRLEN];
	char *raw;
	int af = AF_INET;

	if (get_string(c, obj, key, false, 64, false, &raw) != 0)
		return -1;
	if (raw == NULL)
		return 0;
	*out = NULL;
	if (inet_pton(AF_INET, raw, bin) != 1) {
		af = AF_INET6;
		if (inet_pton(AF_INET6, raw, bin) != 1) {
			free(raw);
			return fail(c, "%s is not an IP address", key);
		}
	}
	free(raw);
	if (inet_ntop(af, bin, text, sizeof(text)) == NULL)
		return fail(c, "%s is not an IP address", key);
	*out = strdup(text);
	return *out == NULL ? fail(c, "out of memory") : 0;
}

/* A date-time member of date-range. */
static int
get_time(struct ctx *c, json_t *obj, const char *key, time_t *out)
{
	char *raw;
	int rc;

	if (get_string(c, obj, key, true, 64, false, &raw) != 0)
		return -1;
	rc = tlsrpt_parse_time(raw, out);
	if (rc != 0) {
		char shown[80];

		text_sanitize(shown, sizeof(shown), raw, strlen(raw), 40, TEXT_MASK);
		free(raw);
		return fail(c, "%s is not an RFC 3339 date-time (%s)", key, shown);
	}
	free(raw);
	return 0;
}

/* Lower-case ASCII in place. */
static void
lower(char *s)
{
	for (; *s != '\0'; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* A result-type: lower-case letters, digits, '-' and '_'. */
static bool
is_token(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '-' &&
		    *s != '_')
			return false;
	return true;
}

/*
 * A member that is an array of strings, or one string (a deviation some
 * reporters have: "mx-host": "mx.example.org"), into a new array; names are
 * normalized when names.
 */
static int
get_strings(struct ctx *c, json_t *obj, const char *key, bool names, char ***out, size_t *n)
{
	json_t *v = member(obj, key), *one;
	size_t i, count;
	char **list;

	*out = NULL;
	*n = 0;
	if (v == NULL)
		return 0;
	if (json_is_string(v))
		count = 1;
	else if (json_is_array(v))
		count = json_array_size(v);
	else
		return fail(c, "%s is neither an array nor a string", key);
	if (count > TLSRPT_MAX_STRINGS)
		return fail(c, "%s has more than %d entries", key, TLSRPT_MAX_STRINGS);
	if (count == 0)
		return 0;
	list = calloc(count, sizeof(*list));
	if (list == NULL)
		return fail(c, "out of memory");
	*out = list;
	for (i = 0; i < count; i++) {
		char name[TLSRPT_NAME_SIZE], what[48];

		one = json_is_string(v) ? v : json_array_get(v, i);
		snprintf(what, sizeof(what), "%s[%zu]", key, i);
		if (take_string(c, one, what, true, names ? 255 : TLSRPT_MAX_POLICY_STRING, !names,
				&list[*n]) != 0)
			return -1;
		(*n)++;
		if (!names)
			continue;
		if (tlsrpt_name_normalize(list[*n - 1], name, sizeof(name)) != 0)
			return fail(c, "%s is not a domain name", what);
		strcpy(list[*n - 1], name); /* never longer than the original */
	}
	return 0;
}

/* One entry of failure-details. */
static int
parse_failure(struct ctx *c, json_t *v, struct tlsrpt_failure *f)
{
	if (!json_is_object(v))
		return fail(c, "not an object");
	if (get_string(c, v, "result-type", true, TLSRPT_MAX_RESULT_TYPE, false, &f->result_type) !=
	    0)
		return -1;
	lower(f->result_type);
	if (!is_token(f->result_type))
		return fail(c, "result-type is not a result type");
	if (get_count(c, v, "failed-session-count", &f->sessions) != 0 ||
	    get_name(c, v, "receiving-mx-hostname", false, &f->mx_host) != 0 ||
	    get_ip(c, v, "receiving-ip", &f->receiving_ip) != 0 ||
	    get_string(c, v, "additional-information", false, TLSRPT_MAX_TEXT, true, &f->info) !=
		0 ||
	    get_string(c, v, "failure-reason-code", false, TLSRPT_MAX_TEXT, true,
		       &f->reason_code) != 0)
		return -1;
	return 0;
}

/* The "policy" object of one entry of policies. */
static int
parse_policy_head(struct ctx *c, json_t *pol, struct tlsrpt_policy *p)
{
	if (!json_is_object(pol))
		return fail(c, "policy is not an object");
	if (get_string(c, pol, "policy-type", true, 64, false, &p->type_name) != 0)
		return -1;
	lower(p->type_name);
	p->type = tlsrpt_policy_type_of(p->type_name);
	if (get_name(c, pol, "policy-domain", true, &p->domain) != 0 ||
	    get_strings(c, pol, "policy-string", false, &p->strings, &p->nstrings) != 0 ||
	    get_strings(c, pol, "mx-host", true, &p->mx_hosts, &p->nmx) != 0)
		return -1;
	return 0;
}

/* One entry of policies. */
static int
parse_policy(struct ctx *c, json_t *v, struct tlsrpt_policy *p)
{
	json_t *summary, *details;
	size_t i, n, len = strlen(c->where);

	if (!json_is_object(v))
		return fail(c, "not an object");
	if (parse_policy_head(c, member(v, "policy"), p) != 0)
		return -1;
	summary = member(v, "summary");
	if (!json_is_object(summary))
		return fail(c, "summary %s", summary == NULL ? "missing" : "is not an object");
	if (get_count(c, summary, "total-successful-session-count", &p->successful) != 0 ||
	    get_count(c, summary, "total-failure-session-count", &p->failed) != 0)
		return -1;
	details = member(v, "failure-details");
	if (details == NULL)
		return 0;
	if (!json_is_array(details))
		return fail(c, "failure-details is not an array");
	n = json_array_size(details);
	if (n > TLSRPT_MAX_FAILURES)
		return fail(c, "failure-details has more than %d entries", TLSRPT_MAX_FAILURES);
	if (n == 0)
		return 0;
	p->failures = calloc(n, sizeof(*p->failures));
	if (p->failures == NULL)
		return fail(c, "out of memory");
	for (i = 0; i < n; i++) {
		snprintf(c->where + len, sizeof(c->where) - len, ".failure-details[%zu]", i);
		p->nfailures++;
		if (parse_failure(c, json_array_get(details, i), &p->failures[i]) != 0)
			return -1;
	}
	c->where[len] = '\0';
	return 0;
}

/* The whole report object. */
static int
parse_report(struct ctx *c, json_t *root, struct tlsrpt_report *r)
{
	json_t *range, *policies;
	size_t i, n;

	if (!json_is_object(root))
		return fail(c, "the JSON text is not an object");
	if (get_string(c, root, "organization-name", true, TLSRPT_MAX_TEXT, true,
		       &r->organization) != 0 ||
	    get_string(c, root, "report-id", true, TLSRPT_MAX_ID, false, &r->report_id) != 0 ||
	    get_string(c, root, "contact-info", false, TLSRPT_MAX_TEXT, true, &r->contact) != 0)
		return -1;
	range = member(root, "date-range");
	if (!json_is_object(range))
		return fail(c, "date-range %s", range == NULL ? "missing" : "is not an object");
	if (get_time(c, range, "start-datetime", &r->start) != 0 ||
	    get_time(c, range, "end-datetime", &r->end) != 0)
		return -1;
	if (r->end < r->start)
		return fail(c, "date-range ends before it starts");
	policies = member(root, "policies");
	if (!json_is_array(policies))
		return fail(c, "policies %s", policies == NULL ? "missing" : "is not an array");
	n = json_array_size(policies);
	if (n > TLSRPT_MAX_POLICIES)
		return fail(c, "policies has more than %d entries", TLSRPT_MAX_POLICIES);
	if (n == 0)
		return 0;
	r->policies = calloc(n, sizeof(*r->policies));
	if (r->policies == NULL)
		return fail(c, "out of memory");
	for (i = 0; i < n; i++) {
		snprintf(c->where, sizeof(c->where), "policies[%zu]", i);
		r->npolicies++;
		if (parse_policy(c, json_array_get(policies, i), &r->policies[i]) != 0)
			return -1;
	}
	c->where[0] = '\0';
	return 0;
}

/*
 * Bound the values before jansson builds them: count '{' (objects) and '{',
 * '[' and ',' (values) bytes, inside strings too, so the count is never low.
 */
static int
count_values(struct ctx *c, const unsigned char *p, size_t len)
{
	size_t objects = 0, values = 0, i;

	for (i = 0; i < len; i++) {
		if (p[i] != '{' && p[i] != '[' && p[i] != ',')
			continue;
		objects += p[i] == '{';
		values++;
	}
	if (objects > TLSRPT_MAX_OBJECTS)
		return fail(c, "more than %d objects", TLSRPT_MAX_OBJECTS);
	if (values > TLSRPT_MAX_VALUES)
		return fail(c, "more than %d values", TLSRPT_MAX_VALUES);
	return 0;
}

int
tlsrpt_parse(const void *data, size_t len, struct tlsrpt_report *r, char *err, size_t errsize)
{
	struct ctx c = {err, errsize, ""};
	const unsigned char *p = data;
	json_error_t jerr;
	json_t *root = NULL;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	if (len > TLSRPT_MAX_JSON) {
		fail(&c, "larger than %d bytes", TLSRPT_MAX_JSON);
		goto out;
	}
	if (len >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) {
		p += 3; /* a UTF-8 byte order mark */
		len -= 3;
	}
	if (count_values(&c, p, len) != 0)
		goto out;
	root = json_loadb((const char *)p, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		fail(&c, "not JSON: %s at line %d, column %d", jerr.text, jerr.line, jerr.column);
		goto out;
	}
	rc = parse_report(&c, root, r);
out:
	json_decref(root);
	if (rc != 0)
		tlsrpt_report_free(r);
	return rc;
}

/* Free the strings of an array made by get_strings(). */
static void
free_strings(char **list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

void
tlsrpt_report_free(struct tlsrpt_report *r)
{
	size_t i, j;

	for (i = 0; i < r->npolicies; i++) {
		struct tlsrpt_policy *p = &r->policies[i];

		free(p->type_name);
		free(p->domain);
		free_strings(p->strings, p->nstrings);
		free_strings(p->mx_hosts, p->nmx);
		for (j = 0; j < p->nfailures; j++) {
			free(p->failures[j].result_type);
			free(p->failures[j].mx_host);
			free(p->failures[j].receiving_ip);
			free(p->failures[j].info);
			free(p->failures[j].reason_code);
		}
		free(p->failures);
	}
	free(r->policies);
	free(r->organization);
	free(r->report_id);
	free(r->contact);
	memset(r, 0, sizeof(*r));
}

/* n decimal digits at *p into *out; advances *p. */
static int
digits(const char **p, int n, int *out)
{
	int v = 0;

	for (; n > 0; n--, (*p)++) {
		if (!isdigit((unsigned char)**p))
			return -1;
		v = v * 10 + (**p - '0');
	}
	*out = v;
	return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static long long
days_from_civil(int y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int
tlsrpt_parse_time(const char *s, time_t *out)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0, frac = 0, dim;
	const char *p = s;

	if (digits(&p, 4, &y) != 0 || *p++ != '-' || digits(&p, 2, &mo) != 0 || *p++ != '-' ||
	    digits(&p, 2, &d) != 0)
		return -1;
	if (*p != 'T' && *p != 't' && *p != ' ')
		return -1;
	p++;
	if (digits(&p, 2, &h) != 0 || *p++ != ':' || digits(&p, 2, &mi) != 0 || *p++ != ':' ||
	    digits(&p, 2, &sec) != 0)
		return -1;
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++)
			if (++frac > 12)
				return -1;
		if (frac == 0)
			return -1;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p++ == '+' ? 1 : -1;
		if (digits(&p, 2, &oh) != 0 || *p++ != ':' || digits(&p, 2, &om) != 0 || oh > 23 ||
		    om > 59)
			return -1;
	} else {
		return -1;
	}
	if (*p != '\0' || y < 1970 || mo < 1 || mo > 12 || h > 23 || mi > 59 || sec > 60)
		return -1;
	dim = mdays[mo - 1] + (mo == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
	if (d < 1 || d > dim)
		return -1;
	if (sec == 60)
		sec = 59;
	*out = (time_t)(days_from_civil(y, mo, d) * 86400LL + h * 3600 + mi * 60 + sec -
			sign * (oh * 3600 + om * 60));
	return 0;
}

int
tlsrpt_name_normalize(const char *in, char *out, size_t outsize)
{
	size_t len = strlen(in), i;

	if (len > 0 && in[len - 1] == '.')
		len--;
	if (len == 0 || len > 253 || len >= outsize)
		return -1;
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)in[i];

		if (!isalnum(ch) && ch != '-' && ch != '_' && ch != '.' && ch != '*')
			return -1;
		out[i] = (char)tolower(ch);
	}
	out[len] = '\0';
	/* one trailing dot is the root; no empty label anywhere else */
	if (out[0] == '.' || out[len - 1] == '.' || strstr(out, "..") != NULL)
		return -1;
	return 0;
}

/* The next blank-separated word of *s: its start and length; advances *s. */
static size_t
word(const char **s, const char **start)
{
	const char *p = *s;

	while (*p == ' ' || *p == '\t')
		p++;
	*start = p;
	while (*p != '\0' && *p != ' ' && *p != '\t')
		p++;
	*s = p;
	return (size_t)(p - *start);
}

/* A field 0..255 of a word. */
static int
field(const char *w, size_t n, unsigned long *out)
{
	char buf[8];

	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, w, n);
	buf[n] = '\0';
	return text_parse_uint(buf, 0, 255, out);
}

int
tlsrpt_tlsa_normalize(const char *in, char *out, size_t outsize)
{
	const char *s = in, *w, *tlsa = NULL;
	unsigned long f[3];
	size_t n, i, len, data;
	int k;

	/* "owner [TTL] [IN] TLSA U S M data": start after the TLSA word */
	while ((n = word(&s, &w)) > 0)
		if (n == 4 && strncasecmp(w, "TLSA", 4) == 0)
			tlsa = s;
	s = tlsa != NULL ? tlsa : in;
	for (k = 0; k < 3; k++) {
		n = word(&s, &w);
		if (field(w, n, &f[k]) != 0)
			return -1;
	}
	len = (size_t)snprintf(out, outsize, "%lu %lu %lu ", f[0], f[1], f[2]);
	if (len >= outsize)
		return -1;
	data = len;
	while ((n = word(&s, &w)) > 0) {
		if (len + n >= outsize)
			return -1;
		for (i = 0; i < n; i++) {
			if (!isxdigit((unsigned char)w[i]))
				return -1;
			out[len++] = (char)tolower((unsigned char)w[i]);
		}
	}
	out[len] = '\0';
	/* data: at least one byte, in whole bytes */
	return len > data && (len - data) % 2 == 0 ? 0 : -1;
}

enum tlsrpt_policy_type
tlsrpt_policy_type_of(const char *name)
{
	if (strcasecmp(name, "tlsa") == 0)
		return TLSRPT_POLICY_TLSA;
	if (strcasecmp(name, "sts") == 0)
		return TLSRPT_POLICY_STS;
	if (strcasecmp(name, "no-policy-found") == 0)
		return TLSRPT_POLICY_NONE;
	return TLSRPT_POLICY_OTHER;
}
