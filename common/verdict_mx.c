/*
 * verdict_mx.c -- the domain-level and per-host verdicts of the MX walk, the
 * verdict on each TLSA record, and the status line of check_tlsa.
 */
#include "config.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe.h"
#include "verdict_mx.h"
#include "words_dns.h"

/* The domain of a subject: the walked domain, none for hosts given with -H. */
static const char *
walked_domain(const struct mx_result *r)
{
	return r->status == MX_HOSTS ? NULL : r->domain;
}

/* A domain-level finding: its subject is the walked domain. */
static struct finding *
domain_subject(struct finding *f, const struct mx_result *r)
{
	finding_subject(f, &(struct finding_subject){.domain = walked_domain(r)});
	return f;
}

/*
 * The subject and the facts of a host line: the domain, the host, the name
 * asked when the line is about it (the TLSA owner), and how the host was
 * found (MX preference or implicit MX, CNAME target).
 */
static void
host_subject(struct finding *f, const struct mx_result *r, const struct mx_host *h,
	     const char *name)
{
	finding_subject(f, &(struct finding_subject){
			       .domain = walked_domain(r), .host = h->name, .name = name});
	if (h->implicit)
		finding_param_bool(f, "implicit_mx", true);
	else if (h->preference >= 0)
		finding_param_int(f, "preference", h->preference);
	if (h->expanded[0] != '\0')
		finding_param_str(f, "cname_target", h->expanded);
}

/* "mx1.example.org (MX 10, CNAME to x.example.net)" */
static void
host_label(const struct mx_host *h, char *dst, size_t dstsize)
{
	char pref[32] = "";

	if (h->implicit)
		snprintf(pref, sizeof(pref), "implicit MX");
	else if (h->preference >= 0)
		snprintf(pref, sizeof(pref), "MX %d", h->preference);
	if (h->expanded[0] != '\0')
		snprintf(dst, dstsize, "%s (%s%sCNAME to %s)", h->name, pref, pref[0] ? ", " : "",
			 h->expanded);
	else if (pref[0] != '\0')
		snprintf(dst, dstsize, "%s (%s)", h->name, pref);
	else
		snprintf(dst, dstsize, "%s", h->name);
}

/* Short list of the usable records: "3 1 1, 2 0 1", repeated ones as "3 1 1 x13". */
static void
usable_summary(const struct tlsa_set *set, char *dst, size_t dstsize)
{
	size_t i, j, o = 0;

	dst[0] = '\0';
	for (i = 0; i < set->n && o + 24 < dstsize; i++) {
		const struct tlsa_rdata *rd = &set->records[i].rd;
		size_t count = 0;
		bool seen = false;

		if (set->records[i].verdict != TLSA_USABLE)
			continue;
		for (j = 0; j < set->n; j++) {
			const struct tlsa_rdata *o2 = &set->records[j].rd;

			if (set->records[j].verdict != TLSA_USABLE || o2->usage != rd->usage ||
			    o2->selector != rd->selector || o2->mtype != rd->mtype)
				continue;
			if (j < i)
				seen = true;
			count++;
		}
		if (seen)
			continue;
		o += (size_t)snprintf(dst + o, dstsize - o, "%s%u %u %u", o ? ", " : "", rd->usage,
				      rd->selector, rd->mtype);
		if (count > 1 && o + 8 < dstsize)
			o += (size_t)snprintf(dst + o, dstsize - o, " x%zu", count);
	}
}

/* The finding and the words of each per-record verdict (enum tlsa_verdict). */
struct record_verdict {
	enum finding_code code;
	const char *text;
};

static const struct record_verdict record_verdicts[TLSA_DUPLICATE + 1] = {
    [TLSA_USABLE] = {FC_TLSA_RECORD_USABLE, "usable"},
    [TLSA_UNUSABLE_PKIX] = {FC_TLSA_RECORD_PKIX_USAGE,
			    "unusable: PKIX usage (0/1), not used for SMTP (RFC 7672 3.1.3)"},
    [TLSA_UNUSABLE_USAGE] = {FC_TLSA_RECORD_UNKNOWN_USAGE, "unusable: unknown certificate usage"},
    [TLSA_UNUSABLE_SELECTOR] = {FC_TLSA_RECORD_UNKNOWN_SELECTOR, "unusable: unknown selector"},
    [TLSA_UNUSABLE_MTYPE] = {FC_TLSA_RECORD_UNKNOWN_MTYPE, "unusable: unknown matching type"},
    [TLSA_UNUSABLE_LENGTH] = {FC_TLSA_RECORD_BAD_LENGTH,
			      "unusable: digest of the wrong length for its matching type"},
    [TLSA_UNUSABLE_EMPTY] = {FC_TLSA_RECORD_EMPTY, "unusable: empty association data"},
    [TLSA_UNUSABLE_MALFORMED] = {FC_TLSA_RECORD_MALFORMED, "unusable: malformed record data"},
    [TLSA_SHADOWED] = {FC_TLSA_DIGEST_AGILITY,
		       "ignored: a stronger digest type is published for the same usage and "
		       "selector (digest agility, RFC 7671 9)"},
    [TLSA_DUPLICATE] = {FC_TLSA_RECORD_DUPLICATE, "duplicate of another record in the set"},
};

/* A record as "U S M <full hex>" (the subject), malloc'd; NULL when out of memory. */
static char *
record_text(const struct tlsa_rdata *rd)
{
	size_t size = rd->len * 2 + 32;
	char *text = malloc(size);

	if (text != NULL)
		tlsa_format(rd, text, size, 0);
	return text;
}

struct finding *
verdict_mx_record(const struct mx_result *r, const struct mx_host *h, size_t i, struct output *out,
		  struct finding *parent)
{
	const struct tlsa_record *rec = &h->tlsa.records[i];
	const struct record_verdict *v = &record_verdicts[TLSA_UNUSABLE_MALFORMED];
	char text[200], *full;
	struct finding *c;

	if ((size_t)rec->verdict < sizeof(record_verdicts) / sizeof(record_verdicts[0]))
		v = &record_verdicts[rec->verdict];
	tlsa_format(&rec->rd, text, sizeof(text), 24);
	c = finding_add(out, parent, rec->verdict == TLSA_USABLE ? STATE_OK : STATE_WARNING,
			v->code, "%s: %s (%s %s %s)", text, v->text, tlsa_usage_name(rec->rd.usage),
			tlsa_selector_name(rec->rd.selector), tlsa_mtype_name(rec->rd.mtype));
	full = record_text(&rec->rd);
	if (full == NULL) {
		output_unknown(out, FC_PLUGIN_LOCAL_FAILURE, "out of memory");
		return c;
	}
	finding_subject(c, &(struct finding_subject){.domain = walked_domain(r),
						     .host = h->name,
						     .name = h->tlsa_qname,
						     .tlsa = full});
	free(full);
	finding_param_int(c, "usage", rec->rd.usage);
	finding_param_int(c, "selector", rec->rd.selector);
	finding_param_int(c, "mtype", rec->rd.mtype);
	if (rec->verdict == TLSA_UNUSABLE_LENGTH) {
		finding_param_int(c, "length", (long long)rec->rd.len);
		finding_param_int(c, "expected_length",
				  (long long)tlsa_mtype_length(rec->rd.mtype));
	}
	return c;
}

/* Child line: the addresses and their security (shown from -vv on). */
static void
add_address_line(const struct mx_result *r, const struct mx_host *h, struct output *out,
		 struct finding *line)
{
	char list[512];
	size_t i, o = 0;
	struct finding *c;

	list[0] = '\0';
	for (i = 0; i < h->naddrs && o + 70 < sizeof(list); i++)
		o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s", i ? ", " : "",
				      h->addrs[i].text);
	c = finding_add(out, line, STATE_OK, FC_HOST_ADDRESSES, "addresses: %s (%s)%s",
			h->naddrs ? list : "none", dns_class_name(h->addr_class),
			h->addrs_truncated ? ", more not shown" : "");
	finding_set_level(c, 2);
	finding_subject(c, &(struct finding_subject){.domain = walked_domain(r), .host = h->name});
	finding_param_int(c, "count", (long long)h->naddrs);
	finding_param_str(c, "security", dns_class_name(h->addr_class));
	if (h->naddrs > 0)
		finding_param_str(c, "addresses", list);
	finding_param_bool(c, "truncated", h->addrs_truncated);
}

/* What a line adds when the TLSA base domain fell back to the MX host name. */
static const char *
fallback_note(const struct mx_host *h)
{
	return h->tlsa_base_fallback ? " (no TLSA at the CNAME target)" : "";
}

/*
 * The line for data (rrset: "MX", "A/AAAA", "TLSA") that came without AD
 * through a resolver shown not to validate, or whose validation could not be
 * told (a DS lookup failed): UNKNOWN, and the resolver is named, never the
 * domain.
 */
static struct finding *
blind_line(const struct mx_result *r, const char *label, const char *what, const char *rrset,
	   struct output *out, struct finding *parent)
{
	char alg[64] = "an algorithm", why[WORDS_DNS_TRUST_MAX];
	struct finding *f;

	if (r->trust.algorithm >= 0)
		words_dns_algorithm(r->trust.algorithm, alg, sizeof(alg));
	words_dns_trust(&r->trust.result, why, sizeof(why));
	if (r->trust.result.ds_failed) {
		/* a failed lookup shows nothing about the DS: no guess, whatever the data */
		f = finding_add(
		    out, parent, STATE_UNKNOWN, FC_RESOLVER_TRUST_UNDETERMINED,
		    "%s: whether the resolver %s validates DNSSEC could not be told (%s), "
		    "so whether %s DNSSEC-signed cannot be told through it; use -r with "
		    "a validating resolver, or --validate=local",
		    label, r->trust.resolver, why, what);
		finding_subject(f, &(struct finding_subject){.zone = r->trust.result.name});
		finding_param_str(f, "ds_rcode",
				  r->trust.result.answer.fail.rcode > 0
				      ? dns_answer_rcode_name(r->trust.result.answer.fail.rcode)
				      : "none");
	} else if (r->trust.result.zone_not_validated) {
		f = finding_add(out, parent, STATE_UNKNOWN, FC_RESOLVER_ZONE_NOT_VALIDATED,
				"%s: the resolver %s does not validate the zone %s, signed with "
				"%s (%s): its algorithm, or a crypto policy; whether %s "
				"DNSSEC-signed cannot be told through it; use -r with a resolver "
				"that validates %s (check_dnssec_resolver -H %s -q %s tells more)",
				label, r->trust.resolver, r->trust.start, alg, why, what, alg,
				r->trust.resolver, r->trust.start);
		finding_subject(f, &(struct finding_subject){.zone = r->trust.start});
		if (r->trust.algorithm >= 0)
			finding_param_int(f, "algorithm", r->trust.algorithm);
	} else {
		f = finding_add(out, parent, STATE_UNKNOWN, FC_RESOLVER_NOT_VALIDATING,
				"%s: the resolver %s does not validate DNSSEC (%s), so whether %s "
				"DNSSEC-signed cannot be told through it; use -r with a validating "
				"resolver (check_dnssec_resolver -H %s tells more)",
				label, r->trust.resolver, why, what, r->trust.resolver);
	}
	finding_subject(f, &(struct finding_subject){.resolver = r->trust.resolver});
	finding_param_str(f, "rrset", rrset);
	return f;
}

/* The line of a host whose addresses are not secure: DANE does not apply. */
static struct finding *
address_line(const struct mx_result *r, const struct mx_host *h, const char *label,
	     struct output *out, struct finding *parent)
{
	char detail[WORDS_DNS_MX_MAX];

	words_dns_mx_addr(h, detail, sizeof(detail));
	if (h->addr_class == DNS_INSECURE && mx_resolver_blind(r))
		return blind_line(r, label, "its address records are", "A/AAAA", out, parent);

	switch (h->addr_class) {
	case DNS_BOGUS:
		return finding_add(out, parent, STATE_CRITICAL, FC_HOST_ADDRESSES_BOGUS,
				   "%s: address records do not validate (bogus): DANE senders "
				   "defer mail; %s",
				   label, detail);
	case DNS_ERROR:
		return finding_add(out, parent, STATE_CRITICAL, FC_HOST_ADDRESS_LOOKUP_FAILED,
				   "%s: address lookup failed: %s", label, detail);
	case DNS_NONEXISTENT:
		return finding_add(out, parent, STATE_CRITICAL, FC_HOST_NO_ADDRESSES,
				   "%s: no address records (A/AAAA)", label);
	case DNS_INSECURE:
	default:
		return finding_add(out, parent, STATE_CRITICAL, FC_HOST_ADDRESSES_INSECURE,
				   "%s: address records are not DNSSEC-secure: senders do not use "
				   "TLSA for this host (DANE does not apply)",
				   label);
	}
}

/* The facts of a host line about a secure TLSA RRset. */
static void
set_params(struct finding *f, const struct mx_host *h, const char *usable)
{
	finding_param_int(f, "records", (long long)h->tlsa.n);
	finding_param_int(f, "usable", (long long)h->tlsa.usable);
	if (usable[0] != '\0')
		finding_param_str(f, "usable_types", usable);
	finding_param_bool(f, "base_fallback", h->tlsa_base_fallback);
}

/* The line of a host with a secure TLSA RRset: usable, fragile or unusable. */
static struct finding *
secure_tlsa_line(const struct mx_host *h, const char *label, struct output *out,
		 struct finding *parent)
{
	const struct tlsa_set *set = &h->tlsa;
	const char *fallback = fallback_note(h);
	char usable[256];
	struct finding *f;

	usable_summary(set, usable, sizeof(usable));
	if (set->usable == 0) {
		f = finding_add(out, parent, STATE_CRITICAL, FC_TLSA_NONE_USABLE,
				"%s: none of the %zu TLSA records at %s%s is usable for "
				"SMTP: senders cannot authenticate the host",
				label, set->n, h->tlsa_qname, fallback);
	} else if (set->usable < set->n) {
		f = finding_add(out, parent, STATE_WARNING, FC_TLSA_SOME_UNUSABLE,
				"%s: %zu of %zu TLSA records at %s%s usable (%s); the others "
				"are ignored by senders%s",
				label, set->usable, set->n, h->tlsa_qname, fallback, usable,
				tlsa_set_has_duplicates(set) ? " (duplicates)" : "");
		finding_param_bool(f, "duplicates", tlsa_set_has_duplicates(set));
	} else if (set->n > TLSA_MANY_RECORDS) {
		f = finding_add(out, parent, STATE_WARNING, FC_TLSA_TOO_MANY,
				"%s: %zu usable DNSSEC-secure TLSA records at %s%s (%s), "
				"more than %d in one RRset: large sets have broken delivery "
				"from big senders",
				label, set->n, h->tlsa_qname, fallback, usable, TLSA_MANY_RECORDS);
		finding_param_int(f, "max", TLSA_MANY_RECORDS);
	} else {
		f = finding_add(out, parent, STATE_OK, FC_TLSA_USABLE,
				"%s: %zu usable DNSSEC-secure TLSA record%s at %s%s (%s)", label,
				set->n, set->n == 1 ? "" : "s", h->tlsa_qname, fallback, usable);
	}
	set_params(f, h, usable);
	return f;
}

/* The line of a host with secure addresses, from its TLSA RRset. */
static struct finding *
tlsa_line(const struct mx_result *r, const struct mx_host *h, const char *label, struct output *out,
	  struct finding *parent)
{
	char what[MX_NAME_MAX + 48], detail[WORDS_DNS_MX_MAX];
	struct finding *f;

	words_dns_mx_tlsa(h, detail, sizeof(detail));
	if (mx_resolver_blind(r) &&
	    (h->tlsa_class == DNS_INSECURE ||
	     (h->tlsa_class == DNS_NONEXISTENT && !h->tlsa_denial_secure))) {
		snprintf(what, sizeof(what), "the TLSA RRset at %s is", h->tlsa_qname);
		return blind_line(r, label, what, "TLSA", out, parent);
	}
	switch (h->tlsa_class) {
	case DNS_BOGUS:
		return finding_add(out, parent, STATE_CRITICAL, FC_TLSA_BOGUS,
				   "%s: TLSA at %s does not validate (bogus): DANE senders defer "
				   "mail; %s",
				   label, h->tlsa_qname, detail);
	case DNS_ERROR:
		return finding_add(out, parent, STATE_CRITICAL, FC_TLSA_LOOKUP_FAILED,
				   "%s: TLSA lookup of %s failed: %s; DANE senders defer mail",
				   label, h->tlsa_qname, detail);
	case DNS_NONEXISTENT:
		f = finding_add(out, parent, STATE_CRITICAL, FC_TLSA_NONE,
				"%s: no TLSA records at %s%s (%s): the host has no DANE", label,
				h->tlsa_qname, fallback_note(h),
				h->tlsa_denial_secure ? "secure denial"
						      : "denial not DNSSEC-secure");
		finding_param_bool(f, "denial_secure", h->tlsa_denial_secure);
		finding_param_bool(f, "base_fallback", h->tlsa_base_fallback);
		return f;
	case DNS_INSECURE:
		return finding_add(out, parent, STATE_CRITICAL, FC_TLSA_INSECURE,
				   "%s: TLSA at %s is not DNSSEC-secure: senders ignore it", label,
				   h->tlsa_qname);
	case DNS_SECURE:
	default:
		return secure_tlsa_line(h, label, out, parent);
	}
}

state_t
verdict_host(const struct mx_result *r, const struct mx_host *h, struct output *out,
	     struct finding *parent)
{
	struct finding *line;
	char label[MX_NAME_MAX * 2 + 64];
	size_t i;

	host_label(h, label, sizeof(label));
	if (h->addr_class == DNS_SECURE) {
		line = tlsa_line(r, h, label, out, parent);
		host_subject(line, r, h, h->tlsa_qname);
	} else {
		line = address_line(r, h, label, out, parent);
		host_subject(line, r, h, NULL);
	}
	if (line == NULL)
		return STATE_UNKNOWN;
	for (i = 0; i < h->tlsa.n; i++)
		finding_set_level(verdict_mx_record(r, h, i, out, line), 1);
	add_address_line(r, h, out, line);
	return finding_state(line);
}

/* The line of an MX RRset that is not DNSSEC-secure. */
static state_t
insecure_line(const struct mx_result *r, struct output *out)
{
	char detail[WORDS_DNS_MX_MAX];
	struct finding *f;

	words_dns_mx_detail(r, detail, sizeof(detail));
	if (mx_resolver_blind(r)) {
		domain_subject(blind_line(r, r->domain, "the domain is", "MX", out, NULL), r);
		return STATE_UNKNOWN;
	}
	if (!r->trust.signed_data) {
		domain_subject(
		    finding_add(out, NULL, STATE_CRITICAL, FC_MX_INSECURE,
				"%s: domain is not DNSSEC-signed: DANE cannot apply (%s)",
				r->domain, detail),
		    r);
		return STATE_CRITICAL;
	}
	f = finding_add(out, NULL, STATE_CRITICAL, FC_MX_ISLAND_OF_SECURITY,
			"%s: domain is not DNSSEC-signed: DANE cannot apply (%s; the zone %s is "
			"signed but has no DS at its parent: an island of security)",
			r->domain, detail, r->trust.start);
	finding_subject(f, &(struct finding_subject){.zone = r->trust.start});
	domain_subject(f, r);
	return STATE_CRITICAL;
}

state_t
verdict_domain(const struct mx_result *r, struct output *out)
{
	char detail[WORDS_DNS_MX_MAX];
	struct finding *f;

	words_dns_mx_detail(r, detail, sizeof(detail));
	switch (r->status) {
	case MX_NULL:
		domain_subject(finding_add(out, NULL, STATE_OK, FC_MX_NULL,
					   "%s: null MX (RFC 7505): the domain accepts no mail, "
					   "DANE does not apply",
					   r->domain),
			       r);
		return STATE_OK;
	case MX_INSECURE:
		return insecure_line(r, out);
	case MX_BOGUS:
		domain_subject(finding_add(out, NULL, STATE_CRITICAL, FC_MX_BOGUS,
					   "%s: MX records do not validate (bogus): DANE senders "
					   "defer mail; %s",
					   r->domain, detail),
			       r);
		return STATE_CRITICAL;
	case MX_NXDOMAIN:
		domain_subject(finding_add(out, NULL, STATE_CRITICAL, FC_MX_NXDOMAIN,
					   "%s: the domain does not exist (NXDOMAIN)", r->domain),
			       r);
		return STATE_CRITICAL;
	case MX_ERROR:
		domain_subject(finding_add(out, NULL, STATE_CRITICAL, FC_MX_LOOKUP_FAILED,
					   "%s: MX lookup failed: %s", r->domain, detail),
			       r);
		return STATE_CRITICAL;
	case MX_FOUND:
	case MX_IMPLICIT:
	case MX_HOSTS:
	default:
		if (r->null_mixed)
			domain_subject(finding_add(out, NULL, STATE_WARNING, FC_MX_NULL_MIXED,
						   "%s: a null MX (\".\") next to other MX records "
						   "violates RFC 7505",
						   r->domain),
				       r);
		if (r->hosts_ignored > 0) {
			f = finding_add(out, NULL, STATE_WARNING, FC_MX_HOSTS_NOT_CHECKED,
					"%s: %zu more MX hosts not checked (at most %d)", r->domain,
					r->hosts_ignored, MX_MAX_HOSTS);
			domain_subject(f, r);
			finding_param_int(f, "not_checked", (long long)r->hosts_ignored);
			finding_param_int(f, "max", MX_MAX_HOSTS);
		}
		return STATE_OK;
	}
}

bool
verdict_walk(const struct mx_result *r, enum mx_walk_end end, struct output *out)
{
	char words[WORDS_DNS_TRUST_TIMEOUT_MAX > WORDS_DNS_TRUST_MAX ? WORDS_DNS_TRUST_TIMEOUT_MAX
								     : WORDS_DNS_TRUST_MAX];
	struct finding *f;

	if (end == MX_WALK_INPUT) {
		words_dns_mx_detail(r, words, sizeof(words));
		output_unknown(
		    out, r->local == MX_LOCAL_MEMORY ? FC_PLUGIN_LOCAL_FAILURE : FC_MX_INVALID_NAME,
		    "%s", words);
		return false;
	}
	if (r->trust.result.verdict == DNS_TRUST_NO_DNSSEC_DATA) {
		/* every answer through it looks bogus: nothing about the domain can be said */
		words_dns_trust(&r->trust.result, words, sizeof(words));
		f = finding_add(
		    out, NULL, STATE_UNKNOWN, FC_RESOLVER_NO_DNSSEC_DATA,
		    "%s: the resolver %s does not pass DNSSEC data (%s); use "
		    "--validate=local --recursive, or -r with a resolver that passes it",
		    mx_target(r), r->trust.result.forwarder, words);
		finding_subject(f, &(struct finding_subject){.domain = walked_domain(r),
							     .resolver = r->trust.result.forwarder,
							     .name = r->trust.result.name});
		finding_param_str(f, "query",
				  r->trust.result.fault_type == LDNS_RR_TYPE_DS ? "DS" : "DNSKEY");
		return false;
	}
	verdict_domain(r, out);
	if (r->trust.expired) {
		words_dns_mx_trust_timeout(&r->trust, words, sizeof(words));
		f = finding_add(out, NULL, STATE_WARNING, FC_RESOLVER_TRUST_TIMED_OUT,
				"%s: whether the resolver validates DNSSEC could not be told (%s): "
				"the verdicts on answers without AD are unconfirmed",
				mx_target(r), words);
		finding_subject(f, &(struct finding_subject){.domain = walked_domain(r),
							     .resolver = r->trust.resolver,
							     .name = r->trust.start});
	}
	if (end == MX_WALK_MEMORY) {
		output_unknown(out, FC_PLUGIN_LOCAL_FAILURE, "out of memory");
		return false;
	}
	return end == MX_WALK_HOSTS;
}

void
verdict_unprobed(const struct mx_result *r, const struct probe_left *left, struct output *out)
{
	struct finding *f;
	size_t i;

	for (i = 0; i < r->nhosts; i++)
		if (!mx_host_dane_usable(&r->hosts[i]))
			verdict_host(r, &r->hosts[i], out, NULL);
	if (left->n == 0)
		return;
	f = finding_add(out, NULL, STATE_WARNING, FC_PROBE_ADDRESSES_LEFT_OUT,
			"%zu more address%s not probed (at most %d per run), from %s on", left->n,
			left->n == 1 ? "" : "es", PROBE_MAX_TARGETS, left->first->name);
	finding_subject(
	    f, &(struct finding_subject){.domain = walked_domain(r), .host = left->first->name});
	finding_param_int(f, "not_probed", (long long)left->n);
	finding_param_int(f, "max", PROBE_MAX_TARGETS);
}

/* name without its final dot (a root "." stays), into dst; false when it does not fit */
static bool
strip_final_dot(const char *name, char *dst, size_t dstsize)
{
	size_t len = strlen(name);

	if (len > 1 && name[len - 1] == '.')
		len--;
	if (len >= dstsize)
		return false;
	memcpy(dst, name, len);
	dst[len] = '\0';
	return true;
}

/* Does name match one of the patterns (case-insensitive, final dots ignored)? */
static bool
name_expected(const char *name, const struct verdict_mx_expect *expect)
{
	char n[MX_NAME_MAX], p[MX_NAME_MAX];
	size_t i;

	if (name[0] == '\0' || !strip_final_dot(name, n, sizeof(n)))
		return false;
	for (i = 0; i < expect->n; i++)
		if (strip_final_dot(expect->patterns[i], p, sizeof(p)) &&
		    fnmatch(p, n, FNM_CASEFOLD) == 0)
			return true;
	return false;
}

/* Is h one of the expected hosts: its name, or the name its CNAME leads to? */
static bool
host_expected(const struct mx_host *h, const struct verdict_mx_expect *expect)
{
	return name_expected(h->name, expect) || name_expected(h->expanded, expect);
}

/* The patterns as one list, "a, b" (cut to fit dst). */
static void
expect_list(const struct verdict_mx_expect *expect, char *dst, size_t dstsize)
{
	size_t i, o = 0;

	dst[0] = '\0';
	for (i = 0; i < expect->n && o + 1 < dstsize; i++) {
		int w = snprintf(dst + o, dstsize - o, "%s%s", i ? ", " : "", expect->patterns[i]);

		if (w < 0)
			break;
		o += (size_t)w;
	}
}

/* The WARNING line of a host that matches none of the patterns. */
static void
unexpected_line(const struct mx_result *r, const struct mx_host *h, const char *patterns,
		struct output *out)
{
	char label[MX_NAME_MAX * 2 + 64];
	struct finding *f;

	host_label(h, label, sizeof(label));
	f = finding_add(out, NULL, STATE_WARNING, FC_MX_UNEXPECTED_HOST,
			"%s is not an expected MX host: it matches none of %s (--mx-expect)", label,
			patterns);
	host_subject(f, r, h, NULL);
	finding_param_str(f, "patterns", patterns);
}

void
verdict_mx_hosts(const struct mx_result *r, const struct verdict_mx_expect *expect,
		 struct output *out, struct verdict_mx_count *c)
{
	char patterns[VERDICT_MX_MAX_EXPECT * 260];
	bool expecting = expect != NULL && expect->n > 0;
	size_t i, unexpected = 0;
	struct finding *f;

	memset(c, 0, sizeof(*c));
	if (expecting)
		expect_list(expect, patterns, sizeof(patterns));
	for (i = 0; i < r->nhosts; i++) {
		const struct mx_host *h = &r->hosts[i];
		bool bad = verdict_host(r, h, out, NULL) != STATE_OK;

		if (expecting && !host_expected(h, expect)) {
			unexpected_line(r, h, patterns, out);
			unexpected++;
			bad = true;
		}
		c->bad += bad;
		if (h->tlsa_class != DNS_SECURE)
			continue; /* bogus or insecure records count for nothing */
		c->records += h->tlsa.n;
		c->usable += h->tlsa.usable;
	}
	if (!expecting || unexpected > 0 || r->nhosts == 0)
		return;
	c->expected = true;
	f = finding_add(out, NULL, STATE_OK, FC_MX_EXPECTED_HOSTS,
			"%s: every MX host matches %s (--mx-expect)", mx_target(r), patterns);
	domain_subject(f, r);
	finding_param_str(f, "patterns", patterns);
	finding_param_int(f, "hosts", (long long)r->nhosts);
}

void
verdict_mx_expect_domain(const struct mx_result *r, const struct verdict_mx_expect *expect,
			 struct output *out)
{
	char patterns[VERDICT_MX_MAX_EXPECT * 260];
	struct finding *f;

	if (expect == NULL || expect->n == 0 || r->status != MX_NULL)
		return;
	expect_list(expect, patterns, sizeof(patterns));
	f = finding_add(out, NULL, STATE_WARNING, FC_MX_UNEXPECTED_NULL,
			"%s: null MX: the domain accepts no mail, at none of the expected MX "
			"hosts %s (--mx-expect)",
			r->domain, patterns);
	domain_subject(f, r);
	finding_param_str(f, "patterns", patterns);
}

/* The status line for one problem: where the worst state comes from. */
static void
summary_worst(const char *target, struct output *out)
{
	const char *top, *leaf;

	output_worst_path(out, &top, &leaf);
	if (top == leaf)
		output_summary(out, "%s: %s", target, leaf);
	else
		output_summary(out, "%s: %s: %s", target, top, leaf);
}

void
verdict_mx_tlsa_summary(const struct mx_result *r, const struct verdict_mx_count *c,
			bool authoritative, struct output *out)
{
	const char *target = mx_target(r);

	if (output_state(out) == STATE_OK)
		output_summary(out,
			       "%s: %zu MX host%s, all with usable DNSSEC-secure TLSA records (%zu "
			       "record%s)%s%s",
			       target, r->nhosts, r->nhosts == 1 ? "" : "s", c->records,
			       c->records == 1 ? "" : "s",
			       c->expected ? " and matching --mx-expect" : "",
			       authoritative ? "; the authoritative servers agree" : "");
	else if (c->bad > 1)
		output_summary(out, "%s: %zu of %zu MX hosts with problems; %s", target, c->bad,
			       r->nhosts, output_worst_text(out));
	else
		summary_worst(target, out);
}
