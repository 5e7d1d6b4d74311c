/*
 * words_mtasts.c -- the words of MTA-STS facts (see words_mtasts.h).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/x509.h>

#include "netio.h"
#include "text.h"
#include "words_mtasts.h"

/* Raw bytes from the network, quoted: escaped and cut. */
static const char *
quote(const char *raw, size_t len, char *dst, size_t size)
{
	text_sanitize(dst, size, raw, len, WORDS_MTASTS_QUOTE_MAX, TEXT_ESCAPE);
	return dst;
}

const char *
words_mtasts_txt(const struct mtasts_txt *t, char *buf, size_t size)
{
	char q[4 * WORDS_MTASTS_QUOTE_MAX + 8];

	quote(t->excerpt, t->excerpt_len, q, sizeof(q));
	switch (t->status) {
	case MTASTS_TXT_OK:
		return text_say(buf, size, "%s", "");
	case MTASTS_TXT_NOT_STS:
		return text_say(buf, size, "the record does not begin with v=STSv1");
	case MTASTS_TXT_TOO_LONG:
		return text_say(buf, size, "the record is %zu bytes long (at most %d)", t->length,
				MTASTS_TXT_MAX);
	case MTASTS_TXT_BAD_BYTE:
		return text_say(
		    buf, size,
		    "byte 0x%02x at offset %zu (NUL, control and non-ASCII bytes are not "
		    "allowed)",
		    t->byte, t->offset);
	case MTASTS_TXT_SYNTAX:
		return text_say(buf, size, "'%s' at offset %zu is no name=value field", q,
				t->offset);
	case MTASTS_TXT_NO_ID:
		return text_say(buf, size, "no id field");
	case MTASTS_TXT_BAD_ID:
		return text_say(buf, size, "the id in '%s' is not 1-%d letters and digits", q,
				MTASTS_ID_MAX);
	case MTASTS_TXT_TWO_IDS:
	default:
		return text_say(buf, size, "a second id field at offset %zu ('%s')", t->offset, q);
	}
}

const char *
words_mtasts_policy(const struct mtasts_policy *p, char *buf, size_t size)
{
	char q[4 * WORDS_MTASTS_QUOTE_MAX + 8];

	quote(p->excerpt, p->excerpt_len, q, sizeof(q));
	switch (p->status) {
	case MTASTS_POLICY_OK:
		return text_say(buf, size, "%s", "");
	case MTASTS_POLICY_EMPTY:
		return text_say(buf, size, "the policy is empty");
	case MTASTS_POLICY_TOO_LARGE:
		return text_say(buf, size, "the policy is %zu bytes long (at most %d)", p->length,
				MTASTS_POLICY_MAX);
	case MTASTS_POLICY_BAD_BYTE:
		return text_say(
		    buf, size,
		    "line %zu holds the byte 0x%02x (NUL and control bytes are not allowed)",
		    p->line, p->byte);
	case MTASTS_POLICY_LINE_TOO_LONG:
		return text_say(buf, size, "line %zu is longer than %d bytes", p->line,
				MTASTS_POLICY_LINE_MAX);
	case MTASTS_POLICY_TOO_MANY_LINES:
		return text_say(buf, size, "more than %d lines", MTASTS_POLICY_LINES_MAX);
	case MTASTS_POLICY_BAD_LINE:
		return text_say(buf, size, "line %zu ('%s') is no 'key: value' field", p->line, q);
	case MTASTS_POLICY_NO_VERSION:
		return text_say(buf, size, "no version field");
	case MTASTS_POLICY_BAD_VERSION:
		return text_say(buf, size, "line %zu: version '%s' is not STSv1", p->line, q);
	case MTASTS_POLICY_NO_MODE:
		return text_say(buf, size, "no mode field (keys are case-sensitive)");
	case MTASTS_POLICY_BAD_MODE:
		return text_say(buf, size, "line %zu: mode '%s' is not enforce, testing or none",
				p->line, q);
	case MTASTS_POLICY_NO_MAX_AGE:
		return text_say(buf, size, "no max_age field");
	case MTASTS_POLICY_BAD_MAX_AGE:
		return text_say(buf, size,
				"line %zu: max_age '%s' is not a number of seconds up to %lu",
				p->line, q, MTASTS_MAX_AGE_MAX);
	case MTASTS_POLICY_NO_MX:
		return text_say(buf, size, "mode %s without any mx field",
				mtasts_mode_name(p->mode));
	case MTASTS_POLICY_BAD_MX:
		return text_say(buf, size, "line %zu: mx '%s' is no host name pattern", p->line, q);
	case MTASTS_POLICY_TOO_MANY_MX:
	default:
		return text_say(buf, size, "more than %d mx fields (line %zu)", MTASTS_MX_MAX,
				p->line);
	}
}

/* curl's error text, sanitized, or "curl error N". */
static const char *
curl_words(const struct mtasts_fetch *f, char *dst, size_t size)
{
	if (f->curl_error[0] != '\0')
		return quote(f->curl_error, strlen(f->curl_error), dst, size);
	return text_say(dst, size, "curl error %d", f->curl_code);
}

const char *
words_mtasts_fetch(const struct mtasts_fetch *f, const char *host, char *buf, size_t size)
{
	char c[4 * WORDS_MTASTS_QUOTE_MAX + 8], q[4 * WORDS_MTASTS_QUOTE_MAX + 8], e[128];

	curl_words(f, c, sizeof(c));
	switch (f->status) {
	case MTASTS_FETCH_OK:
		return text_say(buf, size, "%s", "");
	case MTASTS_FETCH_NO_ADDRESS:
		return text_say(buf, size, "%s has no address", host);
	case MTASTS_FETCH_CONNECT:
		if (f->os_errno != 0)
			return text_say(buf, size, "cannot connect to %s: %s", host,
					netio_strerror((int)f->os_errno, e, sizeof(e)));
		return text_say(buf, size, "cannot connect to %s: %s", host, c);
	case MTASTS_FETCH_CERT:
		/* curl's text names the failure (OpenSSL's, or its own name check) */
		if (f->curl_error[0] == '\0' && f->verify_result > X509_V_ERR_UNSPECIFIED)
			return text_say(buf, size, "the certificate of %s is not valid: %s", host,
					X509_verify_cert_error_string(f->verify_result));
		return text_say(buf, size, "the certificate of %s is not valid: %s", host, c);
	case MTASTS_FETCH_TLS:
		return text_say(buf, size, "TLS with %s failed: %s", host, c);
	case MTASTS_FETCH_TIMEOUT:
		if (f->http_status != 0)
			return text_say(
			    buf, size,
			    "timed out after %.1f s (HTTP status %ld, %zu bytes of the body "
			    "received)",
			    f->time, f->http_status, f->body_received);
		return text_say(buf, size, "timed out after %.1f s (%zu header lines received)",
				f->time, f->headers);
	case MTASTS_FETCH_STATUS:
		return text_say(buf, size, "HTTP status %ld, not 200", f->http_status);
	case MTASTS_FETCH_REDIRECT:
		quote(f->location, f->location_len, q, sizeof(q));
		return text_say(buf, size,
				"a redirect (HTTP status %ld) to '%s' (senders follow none)",
				f->http_status, q);
	case MTASTS_FETCH_CONTENT_TYPE:
		if (!f->has_content_type)
			return text_say(buf, size, "no Content-Type (text/plain is required)");
		quote(f->content_type, f->content_type_len, q, sizeof(q));
		return text_say(buf, size, "Content-Type '%s' is not text/plain", q);
	case MTASTS_FETCH_TOO_LARGE:
		if (f->body_received == 0)
			return text_say(buf, size,
					"the body is over %d bytes (its Content-Length says so)",
					MTASTS_POLICY_MAX);
		return text_say(buf, size,
				"the body is over %d bytes (%zu received, then the fetch was "
				"stopped)",
				MTASTS_POLICY_MAX, f->body_received);
	case MTASTS_FETCH_HEADERS:
		return text_say(buf, size, "more than %d header lines or %d bytes of headers",
				MTASTS_FETCH_HEADERS_MAX, MTASTS_FETCH_HEADER_BYTES_MAX);
	case MTASTS_FETCH_PROTOCOL:
		return text_say(buf, size, "the server broke HTTP: %s", c);
	case MTASTS_FETCH_LOCAL:
	default:
		return text_say(buf, size, "the fetch could not be made: %s", c);
	}
}

/* "DNS:a, DNS:b" (or "CN=x" without names) of a leaf. */
static const char *
leaf_names(const struct cert_info *leaf, char *dst, size_t size)
{
	size_t i, o = 0;

	dst[0] = '\0';
	if (leaf == NULL)
		return dst;
	if (leaf->nsans == 0)
		return text_say(dst, size, "CN=%s", leaf->cn);
	for (i = 0; i < leaf->nsans && o < size; i++) {
		int k = snprintf(dst + o, size - o, "%sDNS:%s", i ? ", " : "", leaf->sans[i]);

		o += k > 0 ? (size_t)k : 0;
	}
	if (leaf->sans_total > leaf->nsans && o < size)
		snprintf(dst + o, size - o, " and %zu more", leaf->sans_total - leaf->nsans);
	return dst;
}

const char *
words_pkix(const struct pkix_result *r, const char *host, const struct cert_info *leaf, char *buf,
	   size_t size)
{
	char names[200], date[32] = "";
	const char *why = X509_verify_cert_error_string(r->error);
	struct tm tm;

	if (leaf != NULL && leaf->dates_ok)
		strftime(date, sizeof(date), "%Y-%m-%d",
			 gmtime_r(r->outcome == PKIX_NOT_YET_VALID ? &leaf->not_before
								   : &leaf->not_after,
				  &tm));
	switch (r->outcome) {
	case PKIX_OK:
		return text_say(buf, size, "valid for %s", host);
	case PKIX_NO_CHAIN:
		return text_say(buf, size, "no certificate was presented");
	case PKIX_UNTRUSTED:
		if (r->error == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT)
			return text_say(buf, size, "the certificate is self-signed");
		if (r->error == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN)
			return text_say(buf, size,
					"the chain ends in a self-signed CA that is not trusted");
		return text_say(buf, size, "no chain to a trusted root (%s at depth %d)", why,
				r->depth);
	case PKIX_NAME_MISMATCH:
		return text_say(buf, size, "the certificate does not name %s (it names %s)", host,
				leaf_names(leaf, names, sizeof(names)));
	case PKIX_EXPIRED:
		if (r->depth == 0 && date[0] != '\0')
			return text_say(buf, size, "the certificate expired on %s", date);
		return text_say(buf, size, "a certificate of the chain expired (depth %d)",
				r->depth);
	case PKIX_NOT_YET_VALID:
		if (r->depth == 0 && date[0] != '\0')
			return text_say(buf, size, "the certificate is not valid before %s", date);
		return text_say(buf, size, "a certificate of the chain is not valid yet (depth %d)",
				r->depth);
	case PKIX_INVALID:
		return text_say(buf, size, "the chain is invalid: %s at depth %d", why, r->depth);
	case PKIX_LOCAL:
	default:
		return text_say(buf, size, "the chain could not be verified (out of memory?)");
	}
}

const char *
words_pkix_short(enum pkix_outcome outcome)
{
	switch (outcome) {
	case PKIX_OK:
		return "valid";
	case PKIX_NO_CHAIN:
		return "no certificate";
	case PKIX_UNTRUSTED:
		return "certificate not trusted";
	case PKIX_NAME_MISMATCH:
		return "certificate for another name";
	case PKIX_EXPIRED:
		return "certificate expired";
	case PKIX_NOT_YET_VALID:
		return "certificate not yet valid";
	case PKIX_INVALID:
		return "certificate invalid";
	case PKIX_LOCAL:
	default:
		return "not verified";
	}
}
