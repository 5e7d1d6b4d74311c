/*
 * words_dns.c -- the words of DNS facts (failures, answers, EDE, the
 * resolver's trust, the MX walk, authoritative servers).
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unbound.h>

#include "netio.h"
#include "text.h"
#include "words_dns.h"

/* size, or max when that is smaller: words that were always cut at max still are. */
static size_t
cap(size_t size, size_t max)
{
	return size < max ? size : max;
}

/* printf into dst (size > 0); returns the length written. */
static size_t put(char *dst, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static size_t
put(char *dst, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dst, size, fmt, ap);
	va_end(ap);
	return strlen(dst);
}

/* The words of a failed socket call: errno's text. */
/* What a UB_* error of libunbound (unbound.h) means, in ub_strerror()'s words: the
 * library is not linked (unbound_load.h), and words are this layer's job anyway. */
static const char *
ub_error_words(int err)
{
	switch (err) {
	case UB_NOERROR:
		return "no error";
	case UB_SOCKET:
		return "socket io error";
	case UB_NOMEM:
		return "out of memory";
	case UB_SYNTAX:
		return "syntax error";
	case UB_SERVFAIL:
		return "server failure";
	case UB_FORKFAIL:
		return "could not fork";
	case UB_AFTERFINAL:
		return "setting change after finalize";
	case UB_INITFAIL:
		return "initialization failure";
	case UB_PIPE:
		return "error in pipe communication with async";
	case UB_READFILE:
		return "error reading file";
	case UB_NOID:
		return "error async_id does not exist";
	default:
		return "unknown error";
	}
}

static size_t
put_errno(char *dst, size_t size, const char *prefix, int sys)
{
	char ebuf[128];

	return put(dst, size, "%s%s", prefix, netio_strerror(sys, ebuf, sizeof(ebuf)));
}

size_t
words_dns_error(const struct dns_failure *f, char *dst, size_t size)
{
	size = cap(size, WORDS_DNS_ERROR_MAX);
	if (size == 0)
		return 0;
	switch (f->kind) {
	case DNS_FAIL_NO_RESOLVER:
		return put(dst, size, "no resolver configured");
	case DNS_FAIL_NO_SUCH_SERVER:
		return put(dst, size, "no such resolver");
	case DNS_FAIL_QUERY_NAME:
		return put(dst, size, "invalid query name '%.100s'", f->name);
	case DNS_FAIL_BUILD:
		return put(dst, size, "cannot build query");
	case DNS_FAIL_MEMORY:
		return put(dst, size, "out of memory");
	case DNS_FAIL_POLL:
		return put_errno(dst, size, "poll: ", f->sys);
	case DNS_FAIL_TIMEOUT:
		if (f->queued)
			return put(dst, size,
				   "timed out after %u s while %.80s (at most %zu queries at once: "
				   "file descriptors are limited, see ulimit -n)",
				   f->seconds, f->stage, f->limit % 100000);
		return put(dst, size, "timed out after %u s while %s", f->seconds, f->stage);
	case DNS_FAIL_SEND:
		return put_errno(dst, size, "", f->sys);
	case DNS_FAIL_RECV:
		if (f->sys == ECONNREFUSED)
			return put(dst, size, "connection refused (nothing listens on that port)");
		return put_errno(dst, size, "", f->sys);
	case DNS_FAIL_TCP_CONNECT:
		return put_errno(dst, size, "TCP fallback: ", f->sys);
	case DNS_FAIL_TCP_IO:
		return put_errno(dst, size, "TCP: ", f->sys);
	case DNS_FAIL_TCP_CLOSED:
		return put(dst, size, "TCP connection closed mid-answer");
	case DNS_FAIL_TCP_SHORT:
		return put(dst, size, "TCP answer too short");
	case DNS_FAIL_MALFORMED:
		return put(dst, size, "%s",
			   f->tcp ? "malformed reply over TCP" : "malformed reply");
	case DNS_FAIL_MISMATCH:
		return put(dst, size, "reply over TCP does not match the query");
	case DNS_FAIL_SERVFAIL:
		if (f->local)
			return put(dst, size, "SERVFAIL (local validation got no answer %s)",
				   f->recursive ? "from the authoritative servers"
						: "through the resolver");
		if (f->authoritative)
			return put(dst, size, "SERVFAIL (the server cannot answer for the zone)");
		return put(dst, size,
			   "SERVFAIL%s (the resolver cannot get an answer, not a validation "
			   "failure)",
			   f->cd_retry ? ", also with CD" : "");
	case DNS_FAIL_VALIDATOR:
		return put(dst, size, "local validation failed: %s", ub_error_words(f->ub_err));
	case DNS_FAIL_RCODE:
		if (f->local)
			return put(dst, size, "%s (from local validation)",
				   dns_answer_rcode_name(f->rcode));
		return put(dst, size, "%s%s", dns_answer_rcode_name(f->rcode),
			   f->rcode != LDNS_RCODE_REFUSED ? ""
			   : f->authoritative             ? " (the server does not serve the zone)"
							  : " (the resolver refuses to answer us)");
	case DNS_FAIL_NONE:
	default:
		dst[0] = '\0';
		return 0;
	}
}

/* libunbound's why_bogus text of o, printable, into dst. */
static size_t
why_bogus_text(const struct dns_outcome *o, char *dst, size_t size)
{
	size_t len = strnlen(o->why_bogus, sizeof(o->why_bogus));

	if (len == 0)
		return put(dst, size, "no reason given");
	return text_sanitize(dst, size, o->why_bogus, o->why_bogus_cut ? len + 1 : len, len,
			     TEXT_ESCAPE);
}

/* The outcome of local validation (--validate=local) in words. */
static size_t
local_outcome(const struct dns_outcome *o, char *dst, size_t size)
{
	char *tname, why[4 * DNS_WHY_BOGUS_MAX + 4];
	size_t n;

	switch (o->cls) {
	case DNS_SECURE:
	case DNS_INSECURE:
		tname = ldns_rr_type2str(o->qtype);
		n = put(dst, size, "NOERROR, %zu %s record%s%s, validated here: %s", o->nrecords,
			tname ? tname : "?", o->nrecords == 1 ? "" : "s",
			o->rrsigs ? " + RRSIG" : "",
			o->secure ? "secure" : "insecure (not signed below the trust anchor)");
		free(tname);
		return n;
	case DNS_NONEXISTENT:
		return put(dst, size, "%s, validated here: %s",
			   o->nxdomain ? "NXDOMAIN" : "NOERROR/NODATA",
			   o->secure ? "secure denial"
				     : "insecure (not signed below the trust anchor)");
	case DNS_BOGUS:
		why_bogus_text(o, why, sizeof(why));
		return put(dst, size, "%s, the data does not validate (bogus, validated here: %s)",
			   o->final_rcode >= 0 ? dns_answer_rcode_name(o->final_rcode) : "data",
			   why);
	case DNS_ERROR:
	default:
		return words_dns_error(&o->fail, dst, size);
	}
}

size_t
words_dns_outcome(const struct dns_outcome *o, char *dst, size_t size)
{
	char *tname;
	size_t n;

	if (size == 0)
		return 0;
	if (o->local)
		return local_outcome(o, dst, size);
	switch (o->cls) {
	case DNS_SECURE:
	case DNS_INSECURE:
		tname = ldns_rr_type2str(o->qtype);
		n = put(dst, size, "NOERROR, %zu %s record%s%s, %s", o->nrecords,
			tname ? tname : "?", o->nrecords == 1 ? "" : "s",
			o->rrsigs ? " + RRSIG" : "",
			o->secure ? "AD set (validated, secure)" : "no AD (not validated)");
		free(tname);
		return n;
	case DNS_NONEXISTENT:
		return put(dst, size, "%s, %s", o->nxdomain ? "NXDOMAIN" : "NOERROR/NODATA",
			   o->secure ? "AD set (validated denial)" : "no AD (not validated)");
	case DNS_BOGUS:
		return put(dst, size, "SERVFAIL; with CD: %s, the data does not validate (bogus)",
			   o->final_rcode >= 0 ? dns_answer_rcode_name(o->final_rcode) : "data");
	case DNS_ERROR:
	default:
		return words_dns_error(&o->fail, dst, size);
	}
}

/* Append "; " and the EDE of o to the n bytes of words in dst, if any and if they fit. */
static size_t
append_ede(const struct dns_outcome *o, char *dst, size_t size, size_t n)
{
	if ((o->ede.n > 0 || o->ede.malformed) && n + 3 < size) {
		memcpy(dst + n, "; ", 3);
		n += 2;
		n += words_dns_ede(&o->ede, dst + n, size - n);
	}
	return n;
}

size_t
words_dns_outcome_failure(const struct dns_outcome *o, char *dst, size_t size)
{
	if (size == 0)
		return 0;
	return append_ede(o, dst, size, words_dns_outcome(o, dst, size));
}

size_t
words_dns_bogus(const struct dns_outcome *o, char *dst, size_t size)
{
	char why[4 * DNS_WHY_BOGUS_MAX + 4];

	if (size == 0)
		return 0;
	if (o->local) {
		why_bogus_text(o, why, sizeof(why));
		return append_ede(o, dst, size, put(dst, size, "validated here: %s", why));
	}
	return append_ede(
	    o, dst, size,
	    put(dst, size, "SERVFAIL, the data is there with CD but does not validate"));
}

size_t
words_dns_answer(const struct dns_answer *a, char *dst, size_t size)
{
	struct dns_outcome o;

	dns_answer_outcome(a, &o);
	return words_dns_outcome(&o, dst, size);
}

size_t
words_dns_answer_failure(const struct dns_answer *a, char *dst, size_t size)
{
	struct dns_outcome o;

	dns_answer_outcome(a, &o);
	return words_dns_outcome_failure(&o, dst, size);
}

const char *
words_dns_algorithm(int alg, char *dst, size_t size)
{
	ldns_lookup_table *t = ldns_lookup_by_id(ldns_algorithms, alg);

	snprintf(dst, size, "%s (%d)", t != NULL ? t->name : "unknown algorithm", alg);
	return dst;
}

const char *
words_dns_ede_name(uint16_t code)
{
	static const char *const names[] = {
	    "Other Error",
	    "Unsupported DNSKEY Algorithm",
	    "Unsupported DS Digest Type",
	    "Stale Answer",
	    "Forged Answer",
	    "DNSSEC Indeterminate",
	    "DNSSEC Bogus",
	    "Signature Expired",
	    "Signature Not Yet Valid",
	    "DNSKEY Missing",
	    "RRSIGs Missing",
	    "No Zone Key Bit Set",
	    "NSEC Missing",
	    "Cached Error",
	    "Not Ready",
	    "Blocked",
	    "Censored",
	    "Filtered",
	    "Prohibited",
	    "Stale NXDomain Answer",
	    "Not Authoritative",
	    "Not Supported",
	    "No Reachable Authority",
	    "Network Error",
	    "Invalid Data",
	    "Signature Expired before Valid",
	    "Too Early",
	    "Unsupported NSEC3 Iterations Value",
	    "Unable to conform to policy",
	    "Synthesized",
	    "Invalid Query Type",
	};

	return code < sizeof(names) / sizeof(names[0]) ? names[code] : "unassigned";
}

size_t
words_dns_ede_text(const struct dns_ede *e, char *dst, size_t size)
{
	/* a text longer than its limit is marked "..." by text_sanitize(): so is a cut one */
	return text_sanitize(dst, size, e->raw, e->raw_cut ? e->raw_len + 1 : e->raw_len,
			     e->raw_len, TEXT_ESCAPE);
}

size_t
words_dns_ede(const struct dns_ede_list *list, char *dst, size_t size)
{
	char text[4 * DNS_EDE_TEXT_MAX + 4];
	size_t i, o = 0;
	int n;

	if (size == 0)
		return 0;
	dst[0] = '\0';
	for (i = 0; i < list->n && o < size; i++) {
		const struct dns_ede *e = &list->ede[i];

		words_dns_ede_text(e, text, sizeof(text));
		n = snprintf(dst + o, size - o, "%sEDE %u (%s)%s%s", i ? "; " : "", e->code,
			     words_dns_ede_name(e->code), text[0] ? ": " : "", text);
		o += n > 0 ? (size_t)n : 0;
	}
	if (o < size && list->total > list->n) {
		n = snprintf(dst + o, size - o, "%sand %zu more EDE", o ? "; " : "",
			     list->total - list->n);
		o += n > 0 ? (size_t)n : 0;
	}
	if (o < size && list->malformed) {
		n = snprintf(dst + o, size - o, "%s(malformed EDE option)", o ? " " : "");
		o += n > 0 ? (size_t)n : 0;
	}
	return o < size ? o : size - 1;
}

/* What a forwarder did wrong (--validate=local), in words. */
static size_t
forwarder_fault(const struct dns_trust_result *r, char *dst, size_t size)
{
	const char *type = r->fault_type == LDNS_RR_TYPE_DS ? "DS" : "DNSKEY";
	char why[WORDS_DNS_ERROR_MAX + 4 * DNS_EDE_MAX * (DNS_EDE_TEXT_MAX + 40)];

	switch (r->fault) {
	case DNS_FWD_UNSIGNED:
		return put(dst, size,
			   "its answer to the %s query of %s came without signatures (RRSIG)", type,
			   r->name);
	case DNS_FWD_NO_RECORDS:
		return put(dst, size, "it has no DNSKEY RRset for the trust anchor %s", r->name);
	case DNS_FWD_FROM_CHILD:
		return put(
		    dst, size,
		    "it answers the DS query of %s from the child zone (its own SOA), not from "
		    "the parent",
		    r->name);
	case DNS_FWD_FAILED:
		words_dns_outcome_failure(&r->answer, why, sizeof(why));
		return put(dst, size, "its answer to the %s query of %s: %s", type, r->name, why);
	case DNS_FWD_OK:
	case DNS_FWD_NO_ANSWER:
	default:
		return put(dst, size, "no fault shown");
	}
}

size_t
words_dns_trust(const struct dns_trust_result *r, char *dst, size_t size)
{
	const char *what = r->denial ? "the denial of a DS RRset for" : "the DS RRset of";
	char why[WORDS_DNS_ERROR_MAX + 4 * DNS_EDE_MAX * (DNS_EDE_TEXT_MAX + 40)];

	size = cap(size, WORDS_DNS_TRUST_MAX);
	if (size == 0)
		return 0;
	if (!r->judged) {
		dst[0] = '\0';
		return 0;
	}
	if (r->verdict == DNS_TRUST_NO_DNSSEC_DATA)
		return forwarder_fault(r, dst, size);
	if (r->local)
		return put(dst, size, "%s",
			   r->verdict == DNS_TRUST_VALIDATES
			       ? "the resolver passes DNSSEC data (signed DNSKEY and DS answers)"
			       : "whether the resolver passes DNSSEC data could not be told");
	if (r->verdict == DNS_TRUST_UNKNOWN && r->ds_failed) {
		words_dns_outcome_failure(&r->answer, why, sizeof(why));
		return put(dst, size, "the DS query of %s failed: %s", r->name, why);
	}
	if (r->verdict == DNS_TRUST_UNKNOWN)
		return put(dst, size, "no signed data above the name to judge by");
	if (r->zone_not_validated)
		return put(dst, size,
			   "the DS RRset of %s came validated (AD), yet the zone's own data came "
			   "without AD",
			   r->name);
	if (r->verdict == DNS_TRUST_VALIDATES)
		return put(dst, size, "%s %s came validated (AD)", what, r->name);
	return put(dst, size, "%s %s came with signatures (RRSIG) but without the AD flag", what,
		   r->name);
}

size_t
words_dns_mx_trust_timeout(const struct mx_trust *t, char *dst, size_t size)
{
	size = cap(size, WORDS_DNS_TRUST_TIMEOUT_MAX);
	if (size == 0)
		return 0;
	if (!t->expired) {
		dst[0] = '\0';
		return 0;
	}
	return put(dst, size,
		   "timed out after %u s while asking %s for the DS of %.80s and its ancestors",
		   t->seconds, t->resolver, t->start);
}

size_t
words_dns_mx_detail(const struct mx_result *r, char *dst, size_t size)
{
	size = cap(size, WORDS_DNS_MX_MAX);
	if (size == 0)
		return 0;
	switch (r->local) {
	case MX_LOCAL_DOMAIN_NAME:
		return put(dst, size, "invalid domain name '%.100s'", r->local_name);
	case MX_LOCAL_HOST_NAME:
		return put(dst, size, "invalid host name '%.100s'", r->local_name);
	case MX_LOCAL_MEMORY:
		return put(dst, size, "out of memory");
	case MX_LOCAL_NONE:
	default:
		break;
	}
	switch (r->status) {
	case MX_ERROR:
	case MX_BOGUS:
		return words_dns_outcome_failure(&r->answer, dst, size);
	case MX_NXDOMAIN:
		return put(dst, size, "NXDOMAIN");
	case MX_INSECURE:
		if (r->answer.cls != DNS_NONEXISTENT)
			return put(dst, size, "%s",
				   r->answer.local ? "the MX RRset is not signed (validated here)"
						   : "the MX RRset has no AD flag");
		if (r->answer.nxdomain)
			return put(dst, size, "NXDOMAIN, and the denial is not DNSSEC-signed");
		return put(dst, size, "no MX records, and the denial is not DNSSEC-signed");
	default:
		dst[0] = '\0';
		return 0;
	}
}

/* The words of an answer that was bogus or failed; "" for any other. */
static size_t
problem_words(const struct dns_outcome *o, char *dst, size_t size)
{
	size = cap(size, WORDS_DNS_MX_MAX);
	if (size == 0)
		return 0;
	if (o->cls == DNS_BOGUS)
		return words_dns_bogus(o, dst, size);
	if (o->cls == DNS_ERROR)
		return words_dns_outcome_failure(o, dst, size);
	dst[0] = '\0';
	return 0;
}

size_t
words_dns_mx_addr(const struct mx_host *h, char *dst, size_t size)
{
	return problem_words(&h->addr_problem, dst, size);
}

size_t
words_dns_mx_tlsa(const struct mx_host *h, char *dst, size_t size)
{
	return problem_words(&h->tlsa_answer, dst, size);
}

size_t
words_dns_auth_answer(const struct auth_answer *a, char *dst, size_t size)
{
	char clean[128];

	size = cap(size, WORDS_DNS_AUTH_ANSWER_MAX);
	if (size == 0)
		return 0;
	switch (a->status) {
	case AUTH_OK:
		dst[0] = '\0';
		return 0;
	case AUTH_NOT_AA:
		return put(dst, size, "answered %s without AA: not an authority for the zone",
			   dns_answer_rcode_name(a->answer.final_rcode));
	case AUTH_ERROR:
		if (a->foreign) {
			text_sanitize(clean, sizeof(clean), a->foreign_owner,
				      strlen(a->foreign_owner), 100, TEXT_ESCAPE);
			return put(dst, size, "answered with records of another name (%s)", clean);
		}
		/* FALLTHROUGH */
	case AUTH_NO_ANSWER:
	case AUTH_REFUSED:
	default:
		return words_dns_outcome_failure(&a->answer, dst, size);
	}
}

size_t
words_dns_auth_zone(const struct auth_zone *z, char *dst, size_t size)
{
	char why[WORDS_DNS_MX_MAX];

	size = cap(size, WORDS_DNS_AUTH_ZONE_MAX);
	if (size == 0)
		return 0;
	switch (z->problem) {
	case AUTH_ZONE_NO_NS:
		words_dns_outcome_failure(&z->ns_answer, why, sizeof(why));
		return put(dst, size, "no NS records for the zone through the resolver (%.200s)",
			   why);
	case AUTH_ZONE_NO_ADDRESS:
		return put(dst, size,
			   "no address of its NS hosts could be found through the resolver");
	case AUTH_ZONE_OK:
	default:
		dst[0] = '\0';
		return 0;
	}
}

size_t
words_dns_validator_failure(const struct dns_validator_failure *f, char *dst, size_t size)
{
	const char *what = f->hints ? "root hints file" : "trust anchor file";
	char ebuf[128];

	if (size == 0)
		return 0;
	switch (f->problem) {
	case DNS_VALIDATOR_UNREADABLE:
		return put(dst, size, "cannot read the %s %s: %s", what, f->file,
			   netio_strerror(f->sys, ebuf, sizeof(ebuf)));
	case DNS_VALIDATOR_TOO_BIG:
		return put(dst, size, "the %s %s is larger than %d bytes", what, f->file,
			   DNS_VALIDATOR_MAX_FILE);
	case DNS_VALIDATOR_SYNTAX:
		return put(dst, size, "line %lu of the %s %s is no DNS record", f->line, what,
			   f->file);
	case DNS_VALIDATOR_NO_ANCHOR:
		if (f->unusable > 0)
			return put(
			    dst, size,
			    "the trust anchor file %s holds no usable DS or DNSKEY record (%zu "
			    "skipped: revoked, an unsupported algorithm or digest, or not a "
			    "VALID key of an auto-trust-anchor file)",
			    f->file, f->unusable);
		return put(dst, size, "the trust anchor file %s holds no DS or DNSKEY record",
			   f->file);
	case DNS_VALIDATOR_TOO_MANY:
		return put(dst, size, "the trust anchor file %s holds more than %d usable records",
			   f->file, DNS_VALIDATOR_MAX_ANCHORS);
	case DNS_VALIDATOR_NO_HINTS:
		return put(dst, size,
			   "the root hints file %s has no NS record for the root (\".\") and no "
			   "address record",
			   f->file);
	case DNS_VALIDATOR_NO_FORWARDER:
		return put(dst, size,
			   "no resolver to take DNSSEC data from (give -r, or --recursive)");
	case DNS_VALIDATOR_MEMORY:
		return put(dst, size, "out of memory");
	case DNS_VALIDATOR_LIBRARY:
		if (f->lib.problem == UNBOUND_LIB_SYMBOL)
			return put(dst, size,
				   "libunbound (%s) has no function %s, which local validation "
				   "calls: %s%s",
				   f->lib.library, f->lib.symbol, f->lib.error,
				   f->lib.error_cut ? "..." : "");
		return put(dst, size,
			   "cannot load libunbound (%s), which validates DNSSEC here: %s%s "
			   "(install it: Debian package libunbound8, RPM unbound-libs)",
			   f->lib.library, f->lib.error, f->lib.error_cut ? "..." : "");
	case DNS_VALIDATOR_OK:
	default:
		dst[0] = '\0';
		return 0;
	}
}
