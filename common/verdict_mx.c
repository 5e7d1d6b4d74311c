/*
 * verdict_mx.c -- the domain-level and per-host verdicts of the MX walk.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "probe.h"
#include "verdict_mx.h"

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

/* Child lines: one per record with its verdict (shown from -v on). */
static void
add_record_lines(const struct mx_host *h, struct output *out, struct output_check *line)
{
	size_t i;
	char text[200];

	for (i = 0; i < h->tlsa.n; i++) {
		const struct tlsa_record *rec = &h->tlsa.records[i];
		struct output_check *c;

		tlsa_format(&rec->rd, text, sizeof(text), 24);
		c = output_add(out, line, rec->verdict == TLSA_USABLE ? STATE_OK : STATE_WARNING,
			       "%s: %s (%s %s %s)", text, tlsa_verdict_text(rec->verdict),
			       tlsa_usage_name(rec->rd.usage), tlsa_selector_name(rec->rd.selector),
			       tlsa_mtype_name(rec->rd.mtype));
		output_check_set_level(c, 1);
	}
}

/* Child line: the addresses and their security (shown from -vv on). */
static void
add_address_line(const struct mx_host *h, struct output *out, struct output_check *line)
{
	char list[512];
	size_t i, o = 0;
	struct output_check *c;

	list[0] = '\0';
	for (i = 0; i < h->naddrs && o + 70 < sizeof(list); i++)
		o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s", i ? ", " : "",
				      h->addrs[i].text);
	c = output_add(out, line, STATE_OK, "addresses: %s (%s)%s", h->naddrs ? list : "none",
		       dns_class_name(h->addr_class), h->addrs_truncated ? ", more not shown" : "");
	output_check_set_level(c, 2);
}

/* What a line adds when the TLSA base domain fell back to the MX host name. */
static const char *
fallback_note(const struct mx_host *h)
{
	return h->tlsa_base_fallback ? " (no TLSA at the CNAME target)" : "";
}

/*
 * The line for data that came without AD through a resolver shown not to
 * validate: UNKNOWN, and the resolver is named, never the domain.
 */
static struct output_check *
blind_line(const struct mx_result *r, const char *label, const char *what, struct output *out,
	   struct output_check *parent)
{
	char alg[64] = "an algorithm";

	if (r->trust.algorithm >= 0)
		dns_algorithm_text(r->trust.algorithm, alg, sizeof(alg));
	if (r->trust.result.zone_not_validated)
		return output_add(
		    out, parent, STATE_UNKNOWN,
		    "%s: the resolver %s does not validate the zone %s, signed with "
		    "%s (%s): its algorithm, or a crypto policy; whether %s "
		    "DNSSEC-signed cannot be told through it; use -r with a resolver "
		    "that validates %s (check_dnssec_resolver -H %s -q %s tells more)",
		    label, r->trust.resolver, r->trust.start, alg, r->trust.result.why, what, alg,
		    r->trust.resolver, r->trust.start);
	return output_add(out, parent, STATE_UNKNOWN,
			  "%s: the resolver %s does not validate DNSSEC (%s), so whether %s "
			  "DNSSEC-signed cannot be told through it; use -r with a validating "
			  "resolver (check_dnssec_resolver -H %s tells more)",
			  label, r->trust.resolver, r->trust.result.why, what, r->trust.resolver);
}

/* The line of a host whose addresses are not secure: DANE does not apply. */
static struct output_check *
address_line(const struct mx_result *r, const struct mx_host *h, const char *label,
	     struct output *out, struct output_check *parent)
{
	if (h->addr_class == DNS_INSECURE && mx_resolver_blind(r))
		return blind_line(r, label, "its address records are", out, parent);

	switch (h->addr_class) {
	case DNS_BOGUS:
		return output_add(out, parent, STATE_CRITICAL,
				  "%s: address records do not validate (bogus): DANE senders defer "
				  "mail; %s",
				  label, h->addr_detail);
	case DNS_ERROR:
		return output_add(out, parent, STATE_CRITICAL, "%s: address lookup failed: %s",
				  label, h->addr_detail);
	case DNS_NONEXISTENT:
		return output_add(out, parent, STATE_CRITICAL, "%s: no address records (A/AAAA)",
				  label);
	case DNS_INSECURE:
	default:
		return output_add(out, parent, STATE_CRITICAL,
				  "%s: address records are not DNSSEC-secure: senders do not use "
				  "TLSA for this host (DANE does not apply)",
				  label);
	}
}

/* The line of a host with a secure TLSA RRset: usable, fragile or unusable. */
static struct output_check *
secure_tlsa_line(const struct mx_host *h, const char *label, struct output *out,
		 struct output_check *parent)
{
	const struct tlsa_set *set = &h->tlsa;
	const char *fallback = fallback_note(h);
	char usable[256];

	usable_summary(set, usable, sizeof(usable));
	if (set->usable == 0)
		return output_add(out, parent, STATE_CRITICAL,
				  "%s: none of the %zu TLSA records at %s%s is usable for "
				  "SMTP: senders cannot authenticate the host",
				  label, set->n, h->tlsa_qname, fallback);
	if (set->usable < set->n)
		return output_add(out, parent, STATE_WARNING,
				  "%s: %zu of %zu TLSA records at %s%s usable (%s); the others "
				  "are ignored by senders%s",
				  label, set->usable, set->n, h->tlsa_qname, fallback, usable,
				  tlsa_set_has_duplicates(set) ? " (duplicates)" : "");
	if (set->n > TLSA_MANY_RECORDS)
		return output_add(out, parent, STATE_WARNING,
				  "%s: %zu usable DNSSEC-secure TLSA records at %s%s (%s), "
				  "more than %d in one RRset: large sets have broken delivery "
				  "from big senders",
				  label, set->n, h->tlsa_qname, fallback, usable,
				  TLSA_MANY_RECORDS);
	return output_add(out, parent, STATE_OK,
			  "%s: %zu usable DNSSEC-secure TLSA record%s at %s%s (%s)", label, set->n,
			  set->n == 1 ? "" : "s", h->tlsa_qname, fallback, usable);
}

/* The line of a host with secure addresses, from its TLSA RRset. */
static struct output_check *
tlsa_line(const struct mx_result *r, const struct mx_host *h, const char *label, struct output *out,
	  struct output_check *parent)
{
	char what[MX_NAME_MAX + 48];

	if (mx_resolver_blind(r) &&
	    (h->tlsa_class == DNS_INSECURE ||
	     (h->tlsa_class == DNS_NONEXISTENT && !h->tlsa_denial_secure))) {
		snprintf(what, sizeof(what), "the TLSA RRset at %s is", h->tlsa_qname);
		return blind_line(r, label, what, out, parent);
	}
	switch (h->tlsa_class) {
	case DNS_BOGUS:
		return output_add(out, parent, STATE_CRITICAL,
				  "%s: TLSA at %s does not validate (bogus): DANE senders defer "
				  "mail; %s",
				  label, h->tlsa_qname, h->tlsa_detail);
	case DNS_ERROR:
		return output_add(out, parent, STATE_CRITICAL,
				  "%s: TLSA lookup of %s failed: %s; DANE senders defer mail",
				  label, h->tlsa_qname, h->tlsa_detail);
	case DNS_NONEXISTENT:
		return output_add(out, parent, STATE_CRITICAL,
				  "%s: no TLSA records at %s%s (%s): the host has no DANE", label,
				  h->tlsa_qname, fallback_note(h),
				  h->tlsa_denial_secure ? "secure denial"
							: "denial not DNSSEC-secure");
	case DNS_INSECURE:
		return output_add(out, parent, STATE_CRITICAL,
				  "%s: TLSA at %s is not DNSSEC-secure: senders ignore it", label,
				  h->tlsa_qname);
	case DNS_SECURE:
	default:
		return secure_tlsa_line(h, label, out, parent);
	}
}

state_t
verdict_host(const struct mx_result *r, const struct mx_host *h, struct output *out,
	     struct output_check *parent)
{
	struct output_check *line;
	char label[MX_NAME_MAX * 2 + 64];

	host_label(h, label, sizeof(label));
	if (h->addr_class == DNS_SECURE)
		line = tlsa_line(r, h, label, out, parent);
	else
		line = address_line(r, h, label, out, parent);
	if (line == NULL)
		return STATE_UNKNOWN;
	add_record_lines(h, out, line);
	add_address_line(h, out, line);
	return output_check_state(line);
}

state_t
verdict_domain(const struct mx_result *r, struct output *out)
{
	switch (r->status) {
	case MX_NULL:
		output_add(
		    out, NULL, STATE_OK,
		    "%s: null MX (RFC 7505): the domain accepts no mail, DANE does not apply",
		    r->domain);
		return STATE_OK;
	case MX_INSECURE:
		if (mx_resolver_blind(r)) {
			blind_line(r, r->domain, "the domain is", out, NULL);
			return STATE_UNKNOWN;
		}
		output_add(out, NULL, STATE_CRITICAL,
			   "%s: domain is not DNSSEC-signed: DANE cannot apply (%s%s%s%s)",
			   r->domain, r->detail, r->trust.signed_data ? "; the zone " : "",
			   r->trust.signed_data ? r->trust.start : "",
			   r->trust.signed_data
			       ? " is signed but has no DS at its parent: an island "
				 "of security"
			       : "");
		return STATE_CRITICAL;
	case MX_BOGUS:
		output_add(out, NULL, STATE_CRITICAL,
			   "%s: MX records do not validate (bogus): DANE senders defer mail; %s",
			   r->domain, r->detail);
		return STATE_CRITICAL;
	case MX_NXDOMAIN:
		output_add(out, NULL, STATE_CRITICAL, "%s: the domain does not exist (NXDOMAIN)",
			   r->domain);
		return STATE_CRITICAL;
	case MX_ERROR:
		output_add(out, NULL, STATE_CRITICAL, "%s: MX lookup failed: %s", r->domain,
			   r->detail);
		return STATE_CRITICAL;
	case MX_FOUND:
	case MX_IMPLICIT:
	case MX_HOSTS:
	default:
		if (r->null_mixed)
			output_add(
			    out, NULL, STATE_WARNING,
			    "%s: a null MX (\".\") next to other MX records violates RFC 7505",
			    r->domain);
		if (r->hosts_ignored > 0)
			output_add(out, NULL, STATE_WARNING,
				   "%s: %zu more MX hosts not checked (at most %d)", r->domain,
				   r->hosts_ignored, MX_MAX_HOSTS);
		return STATE_OK;
	}
}

bool
verdict_walk(const struct mx_result *r, enum mx_walk_end end, struct output *out)
{
	if (end == MX_WALK_INPUT) {
		output_unknown(out, FC_PLUGIN_LEGACY, "%s", r->detail);
		return false;
	}
	verdict_domain(r, out);
	if (r->trust.timed_out[0] != '\0')
		output_add(out, NULL, STATE_WARNING,
			   "%s: whether the resolver validates DNSSEC could not be told (%s): the "
			   "verdicts on answers without AD are unconfirmed",
			   mx_target(r), r->trust.timed_out);
	if (end == MX_WALK_MEMORY) {
		output_unknown(out, FC_PLUGIN_LOCAL_FAILURE, "out of memory");
		return false;
	}
	return end == MX_WALK_HOSTS;
}

void
verdict_unprobed(const struct mx_result *r, const struct probe_left *left, struct output *out)
{
	size_t i;

	for (i = 0; i < r->nhosts; i++)
		if (!mx_host_dane_usable(&r->hosts[i]))
			verdict_host(r, &r->hosts[i], out, NULL);
	if (left->n > 0)
		output_add(out, NULL, STATE_WARNING,
			   "%zu more address%s not probed (at most %d per run), from %s on",
			   left->n, left->n == 1 ? "" : "es", PROBE_MAX_TARGETS, left->first->name);
}
