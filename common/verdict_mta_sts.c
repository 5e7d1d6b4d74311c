/*
 * verdict_mta_sts.c -- MTA-STS held against DANE: the discovery, the policy,
 * the MX hosts against it, and per address and certificate type what the
 * senders that use MTA-STS and the senders that use DANE conclude.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "text.h"
#include "tls.h"
#include "verdict_mta_sts.h"
#include "words_conn.h"
#include "words_dns.h"
#include "words_mtasts.h"

/* Room for a detail line's parts. */
#define PART_MAX (2 * MX_NAME_MAX + 400)

/* One day, seconds: a max_age under it is fragile. */
#define DAY_SECONDS 86400UL

/* The state of a failure that hits the senders applying the policy, by its mode. */
static state_t
mode_state(enum mtasts_mode mode)
{
	switch (mode) {
	case MTASTS_MODE_ENFORCE:
		return STATE_CRITICAL;
	case MTASTS_MODE_NONE:
		return STATE_OK;
	case MTASTS_MODE_TESTING:
	case MTASTS_MODE_UNSET:
	default:
		return STATE_WARNING;
	}
}

/*
 * What the senders that apply the policy do with a host that fails them:
 * "senders that use MTA-STS and not DANE defer mail to mx1.example.org".
 */
static const char *
who_fails(enum mtasts_mode mode, bool dane_host, const char *host, char *buf, size_t size)
{
	const char *kind =
	    dane_host ? "senders that use MTA-STS and not DANE" : "senders that use MTA-STS";

	switch (mode) {
	case MTASTS_MODE_ENFORCE:
		snprintf(buf, size, "%s defer mail to %s", kind, host);
		break;
	case MTASTS_MODE_TESTING:
		snprintf(buf, size, "mode testing: %s still deliver to %s and report a failure",
			 kind, host);
		break;
	case MTASTS_MODE_NONE:
		snprintf(buf, size, "mode none: %s apply no policy to %s", kind, host);
		break;
	case MTASTS_MODE_UNSET:
	default:
		snprintf(buf, size,
			 "no valid policy now, but %s and hold an enforce policy in their cache "
			 "defer mail to %s",
			 kind, host);
		break;
	}
	return buf;
}

/* A host name without its final dot (for the words senders use). */
static const char *
bare(const char *name, char *buf, size_t size)
{
	size_t n = strlen(name);

	snprintf(buf, size, "%.*s", (int)(n > 0 && name[n - 1] == '.' ? n - 1 : n), name);
	return buf;
}

/* The domain subject and the TXT owner name. */
static void
domain_subject(struct finding *f, const struct mta_sts_facts *fx, const char *name)
{
	finding_subject(f, &(struct finding_subject){.domain = fx->dns->domain, .name = name});
}

/* Order two kept records by their bytes (DNS hands them in any order). */
static int
record_cmp(const struct mtasts_record *a, const struct mtasts_record *b)
{
	size_t la = a->len < sizeof(a->data) ? a->len : sizeof(a->data);
	size_t lb = b->len < sizeof(b->data) ? b->len : sizeof(b->data);
	int c = memcmp(a->data, b->data, la < lb ? la : lb);

	return c != 0 ? c : (la > lb) - (la < lb);
}

/*
 * The records beginning with v=STSv1, quoted and in the order of their bytes
 * (the same line whatever order the resolver gives): "'v=STSv1; id=1',
 * 'v=STSv1; id=2'".
 */
static const char *
records_text(const struct mtasts_lookup *d, char *buf, size_t size)
{
	size_t i, j,
	    o = 0,
	    n = d->sts_records < MTASTS_LOOKUP_RECORDS ? d->sts_records : MTASTS_LOOKUP_RECORDS;
	const struct mtasts_record *r[MTASTS_LOOKUP_RECORDS], *t;
	char q[4 * WORDS_MTASTS_QUOTE_MAX + 8];

	for (i = 0; i < n; i++)
		r[i] = &d->records[i];
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && record_cmp(r[j - 1], r[j]) > 0; j--) {
			t = r[j];
			r[j] = r[j - 1];
			r[j - 1] = t;
		}
	buf[0] = '\0';
	for (i = 0; i < n && o < size; i++) {
		size_t kept = r[i]->len < sizeof(r[i]->data) ? r[i]->len : sizeof(r[i]->data);
		int k;

		text_sanitize(q, sizeof(q), (const char *)r[i]->data, kept, WORDS_MTASTS_QUOTE_MAX,
			      TEXT_ESCAPE);
		k = snprintf(buf + o, size - o, "%s'%s'", i ? ", " : "", q);
		o += k > 0 ? (size_t)k : 0;
	}
	return buf;
}

bool
verdict_mta_sts_discovery(const struct mta_sts_facts *f, struct output *out)
{
	const struct mtasts_lookup *d = f->dns;
	char words[PART_MAX], recs[PART_MAX];
	struct finding *fd;

	if (d->txt.cls == DNS_ERROR || d->txt.cls == DNS_BOGUS) {
		words_dns_outcome_failure(&d->txt, words, sizeof(words));
		fd = finding_add(out, NULL, STATE_CRITICAL, FC_STS_TXT_LOOKUP_FAILED,
				 "%s: the TXT lookup of %s failed (%s): senders cannot discover "
				 "the MTA-STS policy and fall back to a cached one, then to none",
				 d->domain, d->txt_name, words);
		domain_subject(fd, f, d->txt_name);
		finding_param_str(fd, "dns_class", dns_class_name(d->txt.cls));
		return false;
	}
	if (d->sts_records == 0) {
		if (d->txt_records > 0)
			snprintf(words, sizeof(words),
				 "%zu TXT record%s at %s, none beginning "
				 "with v=STSv1",
				 d->txt_records, d->txt_records == 1 ? "" : "s", d->txt_name);
		else
			snprintf(words, sizeof(words), "no TXT record at %s", d->txt_name);
		fd = finding_add(out, NULL, STATE_OK, FC_STS_NO_POLICY,
				 "%s: no MTA-STS policy (%s)", d->domain, words);
		domain_subject(fd, f, d->txt_name);
		finding_param_int(fd, "txt_records", (long long)d->txt_records);
		return false;
	}
	records_text(d, recs, sizeof(recs));
	if (d->sts_records > 1) {
		fd = finding_add(out, NULL, STATE_CRITICAL, FC_STS_TXT_SEVERAL,
				 "%s: %zu TXT records beginning with v=STSv1 at %s (%s): senders "
				 "apply no policy (or an old cached one) until one is left",
				 d->domain, d->sts_records, d->txt_name, recs);
		domain_subject(fd, f, d->txt_name);
		finding_param_int(fd, "sts_records", (long long)d->sts_records);
		return false;
	}
	if (f->txt->status != MTASTS_TXT_OK) {
		words_mtasts_txt(f->txt, words, sizeof(words));
		fd = finding_add(out, NULL, STATE_CRITICAL, FC_STS_TXT_INVALID,
				 "%s: the TXT record at %s does not parse (%s): senders apply no "
				 "policy (or an old cached one)",
				 d->domain, d->txt_name, words);
		domain_subject(fd, f, d->txt_name);
		finding_param_bytes(fd, "record", (const char *)d->records[0].data,
				    d->records[0].len < sizeof(d->records[0].data)
					? d->records[0].len
					: sizeof(d->records[0].data));
		finding_param_int(fd, "length", (long long)f->txt->length);
		finding_param_int(fd, "offset", (long long)f->txt->offset);
		return false;
	}
	fd = finding_add(out, NULL, STATE_OK, FC_STS_TXT, "%s: %s TXT %s (policy id %s)", d->domain,
			 d->txt_name, recs, f->txt->id);
	finding_set_level(fd, 1);
	domain_subject(fd, f, d->txt_name);
	finding_param_str(fd, "id", f->txt->id);
	return true;
}

/* The code of a fetch that failed. */
static enum finding_code
fetch_code(enum mtasts_fetch_status status)
{
	switch (status) {
	case MTASTS_FETCH_NO_ADDRESS:
		return FC_STS_POLICY_HOST_UNRESOLVED;
	case MTASTS_FETCH_CERT:
		return FC_STS_POLICY_CERT_INVALID;
	case MTASTS_FETCH_STATUS:
		return FC_STS_POLICY_HTTP_STATUS;
	case MTASTS_FETCH_REDIRECT:
		return FC_STS_POLICY_REDIRECT;
	case MTASTS_FETCH_CONTENT_TYPE:
		return FC_STS_POLICY_CONTENT_TYPE;
	case MTASTS_FETCH_TOO_LARGE:
		return FC_STS_POLICY_TOO_LARGE;
	case MTASTS_FETCH_LOCAL:
		return FC_PLUGIN_LOCAL_FAILURE;
	default:
		return FC_STS_POLICY_FETCH_FAILED;
	}
}

/* Why mta-sts.<domain> has no address: its lookups' words, or "no A/AAAA record". */
static const char *
no_address_words(const struct mtasts_lookup *d, char *buf, size_t size)
{
	size_t i;

	for (i = 0; i < d->naddr_queries; i++) {
		if (d->addr[i].cls == DNS_ERROR || d->addr[i].cls == DNS_BOGUS) {
			words_dns_outcome_failure(&d->addr[i], buf, size);
			return buf;
		}
	}
	snprintf(buf, size, "%s has no address record", d->policy_host);
	return buf;
}

/* The policy could not be fetched or used: one line with the reason. */
static void
fetch_failed(const struct mta_sts_facts *f, struct output *out)
{
	const struct mtasts_fetch *r = f->fetch;
	enum finding_code code = fetch_code(r->status);
	char words[PART_MAX];
	struct finding *fd;

	if (r->status == MTASTS_FETCH_NO_ADDRESS)
		no_address_words(f->dns, words, sizeof(words));
	else
		words_mtasts_fetch(r, f->dns->policy_host, words, sizeof(words));
	fd = finding_add(out, NULL,
			 code == FC_PLUGIN_LOCAL_FAILURE ? STATE_UNKNOWN : STATE_CRITICAL, code,
			 "%s: the policy %s cannot be used: %s: senders fall back to a cached "
			 "policy, then to none",
			 f->dns->domain, r->url, words);
	finding_subject(fd, &(struct finding_subject){.domain = f->dns->domain,
						      .name = f->dns->policy_host,
						      .address = r->address[0] ? r->address : NULL,
						      .port = f->policy_port});
	finding_param_str(fd, "url", r->url);
	if (r->curl_code != 0)
		finding_param_int(fd, "curl_code", r->curl_code);
	if (r->curl_error[0] != '\0')
		finding_param_str(fd, "curl_error", r->curl_error);
	if (r->http_status != 0)
		finding_param_int(fd, "http_status", r->http_status);
	if (r->status == MTASTS_FETCH_CERT)
		finding_param_int(fd, "verify_error", r->verify_result);
	if (r->location_len > 0)
		finding_param_bytes(fd, "location", r->location, r->location_len);
	if (r->has_content_type)
		finding_param_bytes(fd, "content_type", r->content_type, r->content_type_len);
	if (r->status == MTASTS_FETCH_TOO_LARGE || r->status == MTASTS_FETCH_TIMEOUT)
		finding_param_int(fd, "body_received", (long long)r->body_received);
	if (r->status == MTASTS_FETCH_HEADERS)
		finding_param_int(fd, "header_lines", (long long)r->headers);
}

/* The mx patterns: "mx1.example.org, *.example.net". */
static const char *
patterns_text(const struct mtasts_policy *p, char *buf, size_t size)
{
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < p->nmx && o < size; i++) {
		int k = snprintf(buf + o, size - o, "%s%s", i ? ", " : "", p->mx[i]);

		o += k > 0 ? (size_t)k : 0;
	}
	return buf;
}

/* A max_age in words: "7 days", "12 hours", "3600 s". */
static const char *
age_text(unsigned long age, char *buf, size_t size)
{
	if (age >= DAY_SECONDS && age % DAY_SECONDS == 0)
		snprintf(buf, size, "%lu day%s", age / DAY_SECONDS, age == DAY_SECONDS ? "" : "s");
	else if (age >= 3600 && age % 3600 == 0)
		snprintf(buf, size, "%lu hour%s", age / 3600, age == 3600 ? "" : "s");
	else
		snprintf(buf, size, "%lu s", age);
	return buf;
}

/* A valid policy: its line, and the warnings on max_age and repeated fields. */
static void
policy_ok(const struct mta_sts_facts *f, struct output *out)
{
	const struct mtasts_policy *p = f->policy;
	char mx[PART_MAX], dur[32];
	struct finding *fd;

	patterns_text(p, mx, sizeof(mx));
	age_text(p->max_age, dur, sizeof(dur));
	fd = finding_add(out, NULL, STATE_OK, FC_STS_POLICY,
			 "%s: MTA-STS policy mode %s, max_age %lu (%s)%s%s (%s, id %s, %.3f s)",
			 f->dns->domain, mtasts_mode_name(p->mode), p->max_age, dur,
			 p->nmx > 0 ? ", mx " : "", mx, f->fetch->url, f->txt->id, f->fetch->time);
	domain_subject(fd, f, f->dns->policy_host);
	finding_param_str(fd, "mode", mtasts_mode_name(p->mode));
	finding_param_int(fd, "max_age", (long long)p->max_age);
	finding_param_str(fd, "mx", mx);
	finding_param_str(fd, "url", f->fetch->url);
	finding_param_str(fd, "id", f->txt->id);
	finding_param_int(fd, "unknown_fields", (long long)p->unknown);
	finding_param_bool(fd, "crlf", p->crlf);
	if (p->duplicates > 0) {
		fd = finding_add(out, NULL, STATE_WARNING, FC_STS_POLICY_DUPLICATE_FIELD,
				 "%s: the policy gives %s twice (line %zu%s): senders that follow "
				 "RFC 8461 use the first, others may not",
				 f->dns->domain, p->first_duplicate, p->duplicate_line,
				 p->duplicate_differs ? ", with another value" : "");
		domain_subject(fd, f, f->dns->policy_host);
		finding_param_str(fd, "field", p->first_duplicate);
		finding_param_int(fd, "line", (long long)p->duplicate_line);
		finding_param_bool(fd, "differs", p->duplicate_differs);
	}
	if (p->max_age < DAY_SECONDS) {
		fd =
		    finding_add(out, NULL, STATE_WARNING, FC_STS_MAX_AGE_SHORT,
				"%s: max_age %lu (%s) is under one day: senders refetch the policy "
				"constantly, and a failed fetch then drops it",
				f->dns->domain, p->max_age, dur);
		domain_subject(fd, f, f->dns->policy_host);
		finding_param_int(fd, "max_age", (long long)p->max_age);
	}
}

void
verdict_mta_sts_policy(const struct mta_sts_facts *f, struct output *out,
		       struct verdict_mta_sts_counts *c)
{
	char words[PART_MAX];
	struct finding *fd;

	c->mode = MTASTS_MODE_UNSET;
	if (f->fetch == NULL)
		return;
	if (f->fetch->status != MTASTS_FETCH_OK || f->policy == NULL) {
		fetch_failed(f, out);
		return;
	}
	if (f->policy->status != MTASTS_POLICY_OK) {
		words_mtasts_policy(f->policy, words, sizeof(words));
		fd = finding_add(out, NULL, STATE_CRITICAL, FC_STS_POLICY_INVALID,
				 "%s: the policy %s does not parse: %s: senders apply none (or an "
				 "old cached one)",
				 f->dns->domain, f->fetch->url, words);
		domain_subject(fd, f, f->dns->policy_host);
		finding_param_str(fd, "url", f->fetch->url);
		if (f->policy->line > 0)
			finding_param_int(fd, "line", (long long)f->policy->line);
		if (f->policy->excerpt_len > 0)
			finding_param_bytes(fd, "excerpt", f->policy->excerpt,
					    f->policy->excerpt_len);
		return;
	}
	c->mode = f->policy->mode;
	c->has_max_age = true;
	c->max_age = f->policy->max_age;
	policy_ok(f, out);
}

/* Does DANE apply to a host: a signed MX RRset, and usable secure TLSA records? */
static bool
dane_host(const struct mta_sts_facts *f, const struct mx_host *h)
{
	return !f->mx_insecure && mx_host_dane_usable(h);
}

/* "mx1.example.org. (MX 10)" */
static const char *
host_label(const struct mx_host *h, char *buf, size_t size)
{
	if (h->preference >= 0 && !h->implicit)
		snprintf(buf, size, "%s (MX %d)", h->name, h->preference);
	else
		snprintf(buf, size, "%s (no MX: the domain itself)", h->name);
	return buf;
}

/* One host against the mx patterns of the policy. */
static void
host_coverage(const struct mta_sts_facts *f, const struct mx_host *h, enum mtasts_mode mode,
	      struct output *out, struct verdict_mta_sts_counts *c)
{
	const struct mtasts_policy *p = f->policy;
	int k = mtasts_policy_match(p, h->name);
	char label[MX_NAME_MAX + 48], mx[PART_MAX], who[PART_MAX], name[MX_NAME_MAX];
	struct finding *fd;

	host_label(h, label, sizeof(label));
	if (k >= 0) {
		c->covered++;
		fd = finding_add(out, NULL, STATE_OK, FC_STS_MX_COVERED,
				 "%s matches the policy's mx %s", label, p->mx[k]);
		finding_set_level(fd, 1);
		finding_param_str(fd, "pattern", p->mx[k]);
	} else {
		patterns_text(p, mx, sizeof(mx));
		bare(h->name, name, sizeof(name));
		if (mode == MTASTS_MODE_ENFORCE)
			snprintf(who, sizeof(who), "%s do not deliver to %s",
				 dane_host(f, h) ? "senders that use MTA-STS and not DANE"
						 : "senders that use MTA-STS",
				 name);
		else
			who_fails(mode, dane_host(f, h), name, who, sizeof(who));
		fd = finding_add(out, NULL, mode_state(mode), FC_STS_MX_NOT_COVERED,
				 "%s matches no mx of the policy (%s): %s", label, mx, who);
		finding_param_str(fd, "patterns", mx);
		finding_param_str(fd, "mode", mtasts_mode_name(mode));
	}
	finding_subject(fd, &(struct finding_subject){.domain = f->dns->domain, .host = h->name});
}

/* A host senders cannot resolve: no address, a failed lookup, bogus addresses. */
static void
host_unresolvable(const struct mta_sts_facts *f, const struct mx_host *h, struct output *out)
{
	char label[MX_NAME_MAX + 48], words[WORDS_DNS_MX_MAX];
	struct finding *fd;

	words_dns_mx_addr(h, words, sizeof(words));
	host_label(h, label, sizeof(label));
	if (h->addr_class == DNS_BOGUS)
		fd = finding_add(out, NULL, STATE_CRITICAL, FC_STS_HOST_UNRESOLVABLE,
				 "%s: its addresses do not validate (%s): senders with a "
				 "validating resolver cannot deliver to it",
				 label, words);
	else
		fd = finding_add(out, NULL, STATE_CRITICAL, FC_STS_HOST_UNRESOLVABLE,
				 "%s: no address%s%s: senders cannot deliver to it", label,
				 words[0] ? ": " : "", words);
	finding_subject(fd, &(struct finding_subject){.domain = f->dns->domain, .host = h->name});
	finding_param_str(fd, "dns_class", dns_class_name(h->addr_class));
}

void
verdict_mta_sts_hosts(const struct mta_sts_facts *f, struct output *out,
		      struct verdict_mta_sts_counts *c)
{
	const struct mx_result *r = f->mx;
	char words[WORDS_DNS_TRUST_MAX];
	struct finding *fd;
	size_t i;

	if (r == NULL)
		return;
	c->hosts = r->nhosts;
	if (mx_resolver_blind(r)) {
		words_dns_trust(&r->trust.result, words, sizeof(words));
		fd = finding_add(out, NULL, STATE_WARNING, FC_STS_DANE_NOT_JUDGED,
				 "%s: the resolver %s does not validate DNSSEC (%s): what DANE "
				 "senders conclude cannot be told, MTA-STS is judged alone; use -r "
				 "with a validating resolver",
				 r->domain, r->trust.resolver, words);
		finding_subject(fd, &(struct finding_subject){.domain = f->dns->domain,
							      .resolver = r->trust.resolver});
	}
	for (i = 0; i < r->nhosts; i++) {
		const struct mx_host *h = &r->hosts[i];

		if (h->naddrs == 0 || h->addr_class == DNS_BOGUS)
			host_unresolvable(f, h, out);
		if (f->policy != NULL && f->policy->status == MTASTS_POLICY_OK)
			host_coverage(f, h, c->mode, out, c);
	}
}

/* ---------------------------------------------------------------- probes */

/* The probes being judged. */
struct judge {
	const struct mta_sts_facts *f;
	enum mtasts_mode mode;
	struct output *out;
};

/* The subject of probe i; cert_type only for a line of one type. */
static void
probe_subject(struct finding *fd, const struct judge *j, size_t i, bool per_type)
{
	const struct probe_target *t = &j->f->batch->targets[i];
	enum tls_key_type type = j->f->batch->results[i].key_type;

	finding_subject(fd, &(struct finding_subject){.domain = j->f->dns->domain,
						      .host = t->host->name,
						      .address = t->addr->text,
						      .port = t->port,
						      .cert_type = per_type && type != TLS_KEY_ANY
								       ? tls_key_type_name(type)
								       : NULL});
}

/* The leaf's facts as parameters. */
static void
leaf_params(struct finding *fd, const struct tls_result *t)
{
	char key[64];

	finding_param_int(fd, "presented_certs", (long long)t->ncerts);
	if (t->ncerts == 0 || t->certs == NULL)
		return;
	finding_param_str(fd, "leaf_subject", t->certs[0].subject);
	finding_param_str(fd, "leaf_issuer", t->certs[0].issuer);
	finding_param_str(fd, "leaf_key", cert_key_name(&t->certs[0], key, sizeof(key)));
	if (t->certs[0].dates_ok)
		finding_param_int(fd, "leaf_not_after", (long long)t->certs[0].not_after);
}

/* What DANE senders conclude of a completed handshake: "verified (3 1 1 ab...cd at depth 0)". */
static const char *
dane_words(const struct mx_host *h, const struct tls_result *t, char *buf, size_t size)
{
	const struct tlsa_rdata *rd = &t->match;
	char rec[160];

	if (t->outcome != TLS_OK)
		return words_tls_result(t, buf, size);
	if (t->match_index >= 0 && (size_t)t->match_index < h->tlsa.n)
		rd = &h->tlsa.records[t->match_index].rd;
	tlsa_format(rd, rec, sizeof(rec), 16);
	snprintf(buf, size, "verified (%s at depth %d)", rec, t->match_depth);
	return buf;
}

/* An SMTP session that failed before STARTTLS was accepted. */
static void
smtp_failed(const struct judge *j, size_t i, const char *label, bool per_type)
{
	const struct probe_result *r = &j->f->batch->results[i];
	const struct mx_host *h = j->f->batch->targets[i].host;
	bool dane = dane_host(j->f, h);
	char words[WORDS_MTASTS_MAX + 400], who[PART_MAX], name[MX_NAME_MAX];
	struct finding *fd;

	words_smtp_session(&r->smtp, words, sizeof(words));
	bare(h->name, name, sizeof(name));
	if (r->smtp.result == SMTP_ERR_LOCAL) {
		fd = finding_add(j->out, NULL, STATE_UNKNOWN, FC_STS_PROBE_LOCAL_FAILURE, "%s: %s",
				 label, words);
		finding_param_str(fd, "layer", "smtp");
	} else if (r->smtp.result == SMTP_ERR_NO_STARTTLS ||
		   r->smtp.result == SMTP_ERR_STARTTLS_REFUSED) {
		who_fails(j->mode, dane, name, who, sizeof(who));
		fd = finding_add(j->out, NULL, dane ? STATE_CRITICAL : mode_state(j->mode),
				 FC_STS_TLS_UNAVAILABLE, "%s: %s: %s%s", label, words, who,
				 dane ? "; DANE senders defer mail too" : "");
		finding_param_bool(fd, "dane_host", dane);
	} else {
		fd = finding_add(j->out, NULL, STATE_CRITICAL, FC_STS_CONNECTION_FAILED,
				 "%s: %s: no sender delivers to this address", label, words);
	}
	probe_subject(fd, j, i, per_type);
	finding_param_str(fd, "smtp_stage", words_smtp_stage(r->smtp.stage));
}

/* A TLS handshake that did not complete (or failed on our side). */
static void
tls_failed(const struct judge *j, size_t i, const char *label, bool per_type)
{
	const struct probe_result *r = &j->f->batch->results[i];
	const struct mx_host *h = j->f->batch->targets[i].host;
	bool dane = dane_host(j->f, h);
	char words[WORDS_MTASTS_MAX + 400], who[PART_MAX], name[MX_NAME_MAX];
	struct finding *fd;

	words_tls_result(&r->tls, words, sizeof(words));
	if (r->tls.outcome == TLS_ERR_LOCAL) {
		fd = finding_add(j->out, NULL, STATE_UNKNOWN, FC_STS_PROBE_LOCAL_FAILURE, "%s: %s",
				 label, words);
		finding_param_str(fd, "layer", "tls");
	} else {
		bare(h->name, name, sizeof(name));
		who_fails(j->mode, dane, name, who, sizeof(who));
		fd = finding_add(j->out, NULL, dane ? STATE_CRITICAL : mode_state(j->mode),
				 FC_STS_TLS_UNAVAILABLE, "%s: %s: %s%s", label, words, who,
				 dane ? "; DANE senders defer mail too" : "");
		finding_param_bool(fd, "dane_host", dane);
	}
	probe_subject(fd, j, i, per_type);
	leaf_params(fd, &r->tls);
}

/* A completed handshake: what the senders that use MTA-STS and those that use DANE conclude. */
static void
handshake_done(const struct judge *j, size_t i, const char *label, bool per_type)
{
	const struct probe_result *r = &j->f->batch->results[i];
	const struct pkix_result *px = &j->f->pkix[i];
	const struct mx_host *h = j->f->batch->targets[i].host;
	const struct cert_info *leaf = r->tls.ncerts > 0 ? &r->tls.certs[0] : NULL;
	bool dane = dane_host(j->f, h), dane_ok = dane && r->tls.outcome == TLS_OK;
	char name[MX_NAME_MAX], pk[WORDS_MTASTS_MAX + MX_NAME_MAX], dw[WORDS_MTASTS_MAX + 400];
	char who[PART_MAX];
	struct finding *fd;

	bare(h->name, name, sizeof(name));
	words_pkix(px, name, leaf, pk, sizeof(pk));
	if (dane)
		dane_words(h, &r->tls, dw, sizeof(dw));
	if (dane && !dane_ok) {
		fd = finding_add(j->out, NULL, STATE_CRITICAL, FC_STS_DANE_FAILS,
				 "%s: DANE senders defer mail to %s: %s; MTA-STS senders: %s",
				 label, name, dw, px->outcome == PKIX_OK ? "valid" : pk);
	} else if (px->outcome != PKIX_OK) {
		who_fails(j->mode, dane, name, who, sizeof(who));
		fd = finding_add(j->out, NULL, mode_state(j->mode), FC_STS_CERT_INVALID,
				 "%s: %s: %s%s%s", label, who, pk, dane ? "; DANE senders: " : "",
				 dane ? dw : "");
		finding_param_str(fd, "mode", mtasts_mode_name(j->mode));
	} else {
		fd = finding_add(j->out, NULL, STATE_OK, FC_STS_CERT_VALID,
				 "%s: %s %s, MTA-STS senders: %s (issuer %s)%s%s in %.3f s", label,
				 r->tls.version, r->tls.cipher, pk,
				 leaf != NULL ? leaf->issuer : "?", dane ? "; DANE senders: " : "",
				 dane ? dw : "", r->time);
	}
	probe_subject(fd, j, i, per_type);
	finding_param_str(fd, "pkix", pkix_outcome_name(px->outcome));
	finding_param_int(fd, "verify_error", px->error);
	if (px->depth >= 0)
		finding_param_int(fd, "verify_depth", px->depth);
	finding_param_bool(fd, "dane_host", dane);
	if (dane)
		finding_param_bool(fd, "dane_verified", dane_ok);
	finding_param_num(fd, "time", r->time);
	leaf_params(fd, &r->tls);
}

/* One probe's finding. */
static void
report_probe(const struct judge *j, size_t i, const char *label, bool per_type)
{
	const struct probe_result *r = &j->f->batch->results[i];
	char words[WORDS_MTASTS_MAX + 400];
	struct finding *fd;

	if (r->smtp.result != SMTP_OK) {
		smtp_failed(j, i, label, per_type);
		return;
	}
	switch (r->tls.outcome) {
	case TLS_OK:
	case TLS_ERR_VERIFY:
	case TLS_ERR_NO_USABLE:
		handshake_done(j, i, label, per_type);
		return;
	case TLS_ERR_NOT_OFFERED:
		fd = finding_add(j->out, NULL, STATE_OK, FC_STS_TYPE_NOT_OFFERED,
				 "%s: not offered (%s)", label,
				 words_tls_result(&r->tls, words, sizeof(words)));
		finding_set_level(fd, 1);
		probe_subject(fd, j, i, per_type);
		return;
	default:
		tls_failed(j, i, label, per_type);
		return;
	}
}

/* Did every probe of an address fail alike before TLS? Then one line says it. */
static bool
same_smtp_failure(const struct probe_result *r, size_t span)
{
	size_t k;

	if (r[0].smtp.result == SMTP_OK || !r[0].started)
		return false;
	for (k = 1; k < span; k++)
		if (!r[k].started || r[k].smtp.result != r[0].smtp.result ||
		    r[k].smtp.why != r[0].smtp.why)
			return false;
	return true;
}

/* The types of the address at i that the deadline left unstarted. */
static void
not_started(const struct judge *j, size_t i, size_t span)
{
	const struct probe_result *r = &j->f->batch->results[i];
	char types[64] = "", words[WORDS_MTASTS_MAX + 400];
	size_t k, o = 0, first = span;
	struct finding *fd;

	for (k = 0; k < span && o < sizeof(types); k++) {
		if (r[k].started)
			continue;
		if (first == span)
			first = k;
		o += (size_t)snprintf(types + o, sizeof(types) - o, "%s%s", o ? ", " : "",
				      tls_key_type_name(r[k].key_type));
	}
	if (first == span)
		return;
	words_smtp_session(&r[first].smtp, words, sizeof(words));
	fd = finding_add(j->out, NULL, STATE_WARNING, FC_STS_PROBE_NOT_STARTED,
			 "%s: %s certificate%s %s", r[first].label, types,
			 strchr(types, ',') ? "s" : "", words);
	probe_subject(fd, j, i + first, false);
	finding_param_str(fd, "cert_types", types);
}

/* The address at i with its span probes: one line per certificate type, or one for all. */
static void
report_address(const struct judge *j, size_t i, size_t span)
{
	const struct probe_result *r = &j->f->batch->results[i];
	char label[MX_NAME_MAX + 200], key[64];
	size_t k;

	not_started(j, i, span);
	if (same_smtp_failure(r, span) || (span == 1 && r[0].key_type == TLS_KEY_ANY)) {
		if (r[0].started)
			report_probe(j, i, r[0].label, false);
		return;
	}
	for (k = 0; k < span; k++) {
		const struct tls_result *t = &r[k].tls;

		if (!r[k].started)
			continue;
		if (r[k].smtp.result != SMTP_OK)
			snprintf(label, sizeof(label), "%s", r[k].label);
		else
			snprintf(label, sizeof(label), "%s %s certificate", r[k].label,
				 t->ncerts > 0 && t->certs != NULL
				     ? cert_key_name(&t->certs[0], key, sizeof(key))
				     : tls_key_type_name(r[k].key_type));
		report_probe(j, i + k, label, true);
	}
}

/* Does probe i fail some kind of sender (for the address count)? */
static bool
probe_fails(const struct judge *j, size_t i)
{
	const struct probe_result *r = &j->f->batch->results[i];
	const struct mx_host *h = j->f->batch->targets[i].host;

	if (!r->started || probe_not_offered(r))
		return false;
	if (r->smtp.result != SMTP_OK)
		return true;
	if (r->tls.outcome != TLS_OK && r->tls.outcome != TLS_ERR_VERIFY &&
	    r->tls.outcome != TLS_ERR_NO_USABLE)
		return true;
	if (dane_host(j->f, h) && r->tls.outcome != TLS_OK)
		return true;
	return j->f->pkix[i].outcome != PKIX_OK && j->mode != MTASTS_MODE_NONE;
}

/* The slowest probe with a WebPKI-valid handshake. */
struct slowest {
	bool found;
	size_t index;
	double time;
};

/* One address's counts. */
static void
count_address(const struct judge *j, size_t i, size_t span, struct verdict_mta_sts_counts *c,
	      struct slowest *slow)
{
	const struct probe_result *res = &j->f->batch->results[i];
	bool failed = false;
	size_t k;

	for (k = 0; k < span; k++) {
		const struct tls_result *t = &res[k].tls;

		if (!res[k].started || probe_not_offered(&res[k]))
			continue;
		failed = failed || probe_fails(j, i + k);
		if (j->f->pkix[i + k].outcome == PKIX_OK) {
			c->pkix_valid++;
			if (!slow->found || res[k].time > slow->time)
				*slow = (struct slowest){true, i + k, res[k].time};
		} else {
			c->pkix_failed++;
		}
		if (dane_host(j->f, j->f->batch->targets[i + k].host) && t->outcome == TLS_OK)
			c->dane_verified++;
		if (t->ncerts > 0 && t->certs != NULL && t->certs[0].dates_ok) {
			double d = difftime(t->certs[0].not_after, j->f->now) / 86400.0;

			if (!c->has_days || d < c->min_days)
				c->min_days = d;
			c->has_days = true;
		}
	}
	c->addresses++;
	c->failed_addresses += failed;
}

/* The slowest address against crit and warn. */
static void
slow_address(const struct judge *j, const struct slowest *slow, const struct range *warn,
	     const struct range *crit)
{
	state_t st;
	struct finding *fd;

	if (!slow->found)
		return;
	st = range_state(warn, crit, slow->time);
	if (st == STATE_OK)
		return;
	fd = finding_add(j->out, NULL, st, FC_STS_SLOW,
			 "slowest address %s took %.3f s from connect to the end of the handshake",
			 j->f->batch->results[slow->index].label, slow->time);
	probe_subject(fd, j, slow->index, false);
	finding_param_num(fd, "time", slow->time);
	finding_param_range(fd, "warning", warn);
	finding_param_range(fd, "critical", crit);
}

void
verdict_mta_sts_probes(const struct mta_sts_facts *f, const struct range *warn,
		       const struct range *crit, struct output *out,
		       struct verdict_mta_sts_counts *c)
{
	const struct judge j = {f, c->mode, out};
	const struct probe_batch *b = f->batch;
	struct slowest slow = {false, 0, 0};
	struct finding *fd;
	size_t i, span;

	if (b == NULL)
		return;
	if (b->incomplete) {
		fd = finding_add(out, NULL, STATE_UNKNOWN, FC_STS_PROBE_INCOMPLETE,
				 "%s: some probes could not be started", f->dns->domain);
		finding_subject(fd, &(struct finding_subject){.domain = f->dns->domain});
	}
	if (b->left.n > 0) {
		fd = finding_add(out, NULL, STATE_WARNING, FC_STS_ADDRESSES_LEFT_OUT,
				 "%zu more address%s not probed (at most %d per run), from %s on",
				 b->left.n, b->left.n == 1 ? "" : "es", PROBE_MAX_ADDRESSES,
				 b->left.first->name);
		finding_subject(fd, &(struct finding_subject){.domain = f->dns->domain,
							      .host = b->left.first->name});
		finding_param_int(fd, "not_probed", (long long)b->left.n);
	}
	for (i = 0; i < b->n; i += span) {
		span = probe_address_span(b->targets, b->n, i);
		report_address(&j, i, span);
		count_address(&j, i, span, c, &slow);
	}
	slow_address(&j, &slow, warn, crit);
}

/* Is the first top-level finding in the worst state about an address? */
static bool
worst_is_address(const struct output *out)
{
	const struct finding *f;
	state_t worst = output_state(out);

	for (f = output_root_const(out)->first_child; f != NULL; f = f->next)
		if (finding_state(f) == worst)
			return f->subject.address != NULL;
	return false;
}

void
verdict_mta_sts_summary(const struct mta_sts_facts *f, const struct verdict_mta_sts_counts *c,
			struct output *out)
{
	const char *domain = f->dns->domain;
	size_t n = c->addresses;
	char dane[96] = "";

	if (output_state(out) == STATE_OK && f->fetch == NULL) {
		output_summary(out, "%s", output_worst_text(out)); /* no policy */
	} else if (output_state(out) == STATE_OK && n > 0) {
		if (c->dane_verified > 0)
			snprintf(dane, sizeof(dane), " (%zu verified by DANE too)",
				 c->dane_verified);
		output_summary(out,
			       "%s: MTA-STS policy %s: %zu of %zu MX host%s covered by its mx, %zu "
			       "of %zu certificate%s valid for MTA-STS senders%s",
			       domain, mtasts_mode_name(c->mode), c->covered, c->hosts,
			       c->hosts == 1 ? "" : "s", c->pkix_valid,
			       c->pkix_valid + c->pkix_failed,
			       c->pkix_valid + c->pkix_failed == 1 ? "" : "s", dane);
	} else if (c->mode != MTASTS_MODE_UNSET && c->failed_addresses > 0 &&
		   worst_is_address(out)) {
		output_summary(out, "%s: %zu of %zu address%s fail%s (policy %s); %s", domain,
			       c->failed_addresses, n, n == 1 ? "" : "es",
			       c->failed_addresses == 1 ? "s" : "", mtasts_mode_name(c->mode),
			       output_worst_text(out));
	} else {
		output_summary(out, "%s", output_worst_text(out));
	}
}

void
verdict_mta_sts_perfdata(const struct verdict_mta_sts_counts *c, double elapsed, struct output *out)
{
	output_perfdata(out, &(struct perfdata){
				 .label = "time", .value = elapsed, .uom = "s", .has_min = true});
	output_perfdata(out, &(struct perfdata){.label = "addresses",
						.value = (double)c->addresses,
						.has_min = true});
	output_perfdata(out, &(struct perfdata){.label = "pkix_valid",
						.value = (double)c->pkix_valid,
						.has_min = true});
	output_perfdata(out, &(struct perfdata){.label = "pkix_failed",
						.value = (double)c->pkix_failed,
						.has_min = true});
	output_perfdata(out, &(struct perfdata){.label = "policy_max_age",
						.value = (double)c->max_age,
						.unknown = !c->has_max_age,
						.uom = "s",
						.has_min = true});
	output_perfdata(
	    out, &(struct perfdata){.label = "cert_expiry_days",
				    .value = c->has_days ? round(c->min_days * 100) / 100 : 0,
				    .unknown = !c->has_days});
}
