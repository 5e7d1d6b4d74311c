/*
 * tlsrpt_record.c -- the TLSRPT policy record of a domain (RFC 8460 3).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "tlsrpt_record.h"

#define TLSRPT_VERSION     "v=TLSRPTv1"
#define TLSRPT_VERSION_LEN (sizeof(TLSRPT_VERSION) - 1)

/* RFC 5234 WSP. */
static bool
is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

/* Skip WSP from p (before end). */
static const char *
skip_wsp(const char *p, const char *end)
{
	while (p < end && is_wsp(*p))
		p++;
	return p;
}

/* A fault: the record is invalid. */
static void
fault(struct tlsrpt_record *r, enum tlsrpt_record_fault f)
{
	r->status = TLSRPT_RECORD_INVALID;
	r->fault = f;
	r->nrua = r->rua_total = 0;
}

/*
 * One URI of rua (RFC 8460 3: mailto: or https:), from p to end, spaces
 * around it already skipped. Returns 0, or -1 with the fault set.
 */
static int
add_uri(struct tlsrpt_record *r, const char *p, const char *end)
{
	size_t len = (size_t)(end - p), i;

	if (len == 0 || len >= TLSRPT_RECORD_URI_MAX) {
		fault(r, TLSRPT_FAULT_BAD_URI);
		return -1;
	}
	for (i = 0; i < len; i++)
		if (is_wsp(p[i])) {
			fault(r, TLSRPT_FAULT_BAD_URI);
			return -1;
		}
	if (!((len > 7 && strncasecmp(p, "mailto:", 7) == 0) ||
	      (len > 8 && strncasecmp(p, "https://", 8) == 0))) {
		fault(r, TLSRPT_FAULT_BAD_SCHEME);
		return -1;
	}
	if (r->nrua < TLSRPT_RECORD_MAX_RUA) {
		memcpy(r->rua[r->nrua], p, len);
		r->rua[r->nrua++][len] = '\0';
	}
	r->rua_total++;
	return 0;
}

/* The value of rua: URIs separated by "," with optional WSP. Returns 0 or -1. */
static int
parse_rua(struct tlsrpt_record *r, const char *p, const char *end)
{
	const char *comma, *e;

	for (;;) {
		p = skip_wsp(p, end);
		if (p >= end) {
			fault(r, TLSRPT_FAULT_BAD_URI);
			return -1;
		}
		comma = memchr(p, ',', (size_t)(end - p));
		e = comma != NULL ? comma : end;
		while (e > p && is_wsp(e[-1]))
			e--;
		if (add_uri(r, p, e) != 0)
			return -1;
		if (comma == NULL)
			return 0;
		p = comma + 1;
	}
}

/*
 * A field name: (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".");
 * a value: 1*(%x21-3A / %x3C / %x3E-7E).
 */
static bool
valid_extension(const char *name, size_t nlen, const char *value, size_t vlen)
{
	size_t i;

	if (nlen == 0 || nlen > 32 || vlen == 0)
		return false;
	for (i = 0; i < nlen; i++) {
		unsigned char c = (unsigned char)name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      (i > 0 && (c == '_' || c == '-' || c == '.'))))
			return false;
	}
	for (i = 0; i < vlen; i++) {
		unsigned char c = (unsigned char)value[i];

		if (c < 0x21 || c > 0x7e || c == ';' || c == '=')
			return false;
	}
	return true;
}

/* One field from p to end (delimiters and surrounding WSP removed). Returns 0 or -1. */
static int
parse_field(struct tlsrpt_record *r, const char *p, const char *end, bool *rua_seen)
{
	const char *eq = memchr(p, '=', (size_t)(end - p));

	if (eq == NULL) {
		fault(r, TLSRPT_FAULT_BAD_FIELD);
		return -1;
	}
	if (eq - p == 3 && memcmp(p, "rua", 3) == 0) {
		if (*rua_seen) {
			fault(r, TLSRPT_FAULT_RUA_TWICE);
			return -1;
		}
		*rua_seen = true;
		return parse_rua(r, eq + 1, end);
	}
	if (!valid_extension(p, (size_t)(eq - p), eq + 1, (size_t)(end - eq - 1))) {
		fault(r, TLSRPT_FAULT_BAD_FIELD);
		return -1;
	}
	return 0; /* an extension: senders ignore it */
}

void
tlsrpt_record_parse(const char *text, size_t len, struct tlsrpt_record *r)
{
	const char *p = text, *end = text + len, *semi, *e;
	bool rua_seen = false;
	size_t i;

	r->status = TLSRPT_RECORD_NONE;
	r->fault = TLSRPT_FAULT_NONE;
	r->nrua = r->rua_total = 0;
	if (len < TLSRPT_VERSION_LEN || memcmp(text, TLSRPT_VERSION, TLSRPT_VERSION_LEN) != 0)
		return;
	r->text_len = len < sizeof(r->text) ? len : sizeof(r->text);
	memcpy(r->text, text, r->text_len);
	r->status = TLSRPT_RECORD_VALID;
	if (len > TLSRPT_RECORD_TEXT_MAX) {
		fault(r, TLSRPT_FAULT_TOO_LONG);
		return;
	}
	for (i = 0; i < len; i++)
		if ((unsigned char)text[i] < 0x20 && text[i] != '\t')
			break;
		else if ((unsigned char)text[i] >= 0x7f)
			break;
	if (i < len) {
		fault(r, TLSRPT_FAULT_BAD_BYTE);
		return;
	}
	p += TLSRPT_VERSION_LEN;
	/* tlsrpt-version 1*(field-delim tlsrpt-field) [field-delim] */
	p = skip_wsp(p, end);
	if (p == end || *p != ';') {
		fault(r, p == end ? TLSRPT_FAULT_NO_RUA : TLSRPT_FAULT_BAD_FIELD);
		return;
	}
	while (p < end) {
		p = skip_wsp(p + 1, end); /* past the ';' */
		if (p == end)
			break; /* a trailing field-delim */
		semi = memchr(p, ';', (size_t)(end - p));
		e = semi != NULL ? semi : end;
		while (e > p && is_wsp(e[-1]))
			e--;
		if (parse_field(r, p, e, &rua_seen) != 0)
			return;
		if (semi == NULL)
			break;
		p = semi;
	}
	if (!rua_seen)
		fault(r, TLSRPT_FAULT_NO_RUA);
}

/* The text of a TXT record: its character-strings joined, into buf; returns the length. */
static size_t
txt_text(const ldns_rr *rr, char *buf, size_t size, bool *cut)
{
	size_t i, o = 0;

	*cut = false;
	for (i = 0; i < ldns_rr_rd_count(rr); i++) {
		const ldns_rdf *rdf = ldns_rr_rdf(rr, i);
		const uint8_t *d = ldns_rdf_data(rdf);
		size_t n = ldns_rdf_size(rdf);

		if (ldns_rdf_get_type(rdf) != LDNS_RDF_TYPE_STR || n == 0)
			continue;
		n = d[0] < n ? d[0] : n - 1; /* a length byte, then the string */
		if (o + n > size) {
			*cut = true;
			n = size - o;
		}
		memcpy(buf + o, d + 1, n);
		o += n;
	}
	return o;
}

void
tlsrpt_record_from_answer(const struct dns_answer *a, struct tlsrpt_record *r)
{
	char text[TLSRPT_RECORD_TEXT_MAX + 1];
	ldns_rr_list *rrs;
	struct tlsrpt_record one;
	size_t i, len;
	bool cut;

	memset(r, 0, sizeof(*r));
	if (a->cls == DNS_ERROR || a->cls == DNS_BOGUS) {
		r->status = TLSRPT_RECORD_LOOKUP_FAILED;
		dns_answer_outcome(a, &r->lookup);
		return;
	}
	rrs = dns_answer_rrs(a, LDNS_RR_TYPE_TXT);
	for (i = 0; rrs != NULL && i < ldns_rr_list_rr_count(rrs); i++) {
		len = txt_text(ldns_rr_list_rr(rrs, i), text, sizeof(text), &cut);
		memset(&one, 0, sizeof(one));
		/* a cut text is longer than TLSRPT_RECORD_TEXT_MAX: parsed as too long */
		tlsrpt_record_parse(text, cut ? sizeof(text) : len, &one);
		if (one.status == TLSRPT_RECORD_NONE)
			continue;
		if (r->records == 0)
			*r = one;
		r->records++;
	}
	ldns_rr_list_deep_free(rrs);
	if (r->records > 1)
		r->status = TLSRPT_RECORD_MULTIPLE;
}

const char *
tlsrpt_record_name(const char *domain, char *dst, size_t dstsize)
{
	snprintf(dst, dstsize, "_smtp._tls.%s", domain);
	return dst;
}
