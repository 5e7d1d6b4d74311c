/*
 * mx.c -- mail domain -> MX hosts -> addresses -> TLSA base domain -> TLSA
 * (facts only; their words are in words_dns.c, the verdicts in verdict.c).
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mx.h"

/* Longest CNAME chain followed inside one answer. */
#define MX_CNAME_MAX 16

int
mx_canonical_name(const char *in, char *out, size_t outsize)
{
	ldns_rdf *rdf = NULL;
	char *text;
	size_t i;
	int rc = -1;

	if (ldns_str2rdf_dname(&rdf, in) != LDNS_STATUS_OK || rdf == NULL)
		return -1;
	ldns_dname2canonical(rdf);
	text = ldns_rdf2str(rdf);
	if (text != NULL && strlen(text) < outsize) {
		for (i = 0; text[i] != '\0'; i++)
			out[i] = (char)tolower((unsigned char)text[i]);
		out[i] = '\0';
		rc = 0;
	}
	free(text);
	ldns_rdf_deep_free(rdf);
	return rc;
}

/* Presentation form of a dname rdf into out (lower-case). */
static void
rdf_name(const ldns_rdf *rdf, char *out, size_t outsize)
{
	char *text = ldns_rdf2str(rdf);
	size_t i;

	if (text == NULL) {
		snprintf(out, outsize, "?");
		return;
	}
	for (i = 0; text[i] != '\0' && i + 1 < outsize; i++)
		out[i] = (char)tolower((unsigned char)text[i]);
	out[i] = '\0';
	free(text);
}

static void
update_expire(time_t *min, time_t t)
{
	if (t != 0 && (*min == 0 || t < *min))
		*min = t;
}

static struct mx_host *
add_host(struct mx_result *r, const char *name, int preference)
{
	struct mx_host *hosts, *h;
	size_t i;

	for (i = 0; i < r->nhosts; i++)
		if (strcmp(r->hosts[i].name, name) == 0)
			return &r->hosts[i]; /* the same exchange twice: once is enough */
	if (r->nhosts >= MX_MAX_HOSTS) {
		r->hosts_ignored++;
		return &r->hosts[r->nhosts - 1];
	}
	hosts = realloc(r->hosts, (r->nhosts + 1) * sizeof(*hosts));
	if (hosts == NULL)
		return NULL;
	r->hosts = hosts;
	h = &r->hosts[r->nhosts++];
	memset(h, 0, sizeof(*h));
	snprintf(h->name, sizeof(h->name), "%s", name);
	h->preference = preference;
	h->addr_class = DNS_ERROR;
	h->tlsa_class = DNS_ERROR;
	return h;
}

/* An MX record before the cut to MX_MAX_HOSTS. */
struct mx_candidate {
	int preference;
	char name[MX_NAME_MAX];
};

static int
candidate_cmp(const void *a, const void *b)
{
	const struct mx_candidate *x = a, *y = b;

	if (x->preference != y->preference)
		return x->preference < y->preference ? -1 : 1;
	return strcmp(x->name, y->name);
}

int
mx_take_rrset(struct mx_result *r, const ldns_rr_list *mxs)
{
	size_t i, j, n = mxs ? ldns_rr_list_rr_count(mxs) : 0, ncand = 0, nnull = 0;
	struct mx_candidate *cand = calloc(n + 1, sizeof(*cand));
	int rc = -1;

	if (cand == NULL)
		return -1;
	r->status = MX_FOUND;
	for (i = 0; i < n; i++) {
		const ldns_rr *rr = ldns_rr_list_rr(mxs, i);
		const ldns_rdf *pref, *ex;
		int p;

		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_MX)
			continue;
		pref = ldns_rr_mx_preference(rr);
		ex = ldns_rr_mx_exchange(rr);
		if (pref == NULL || ex == NULL)
			continue;
		p = ldns_rdf2native_int16(pref);
		rdf_name(ex, cand[ncand].name, sizeof(cand[ncand].name));
		if (strcmp(cand[ncand].name, ".") == 0) {
			nnull++;
			continue;
		}
		/* the same exchange twice: once, with its best preference */
		for (j = 0; j < ncand && strcmp(cand[j].name, cand[ncand].name) != 0; j++)
			;
		if (j < ncand) {
			if (p < cand[j].preference)
				cand[j].preference = p;
			continue;
		}
		cand[ncand++].preference = p;
	}
	/* sort first, then keep the most preferred hosts */
	qsort(cand, ncand, sizeof(*cand), candidate_cmp);
	for (i = 0; i < ncand && i < MX_MAX_HOSTS; i++)
		if (add_host(r, cand[i].name, cand[i].preference) == NULL)
			goto out;
	r->hosts_ignored = ncand - i;
	if (r->nhosts == 0 && nnull > 0)
		r->status = MX_NULL;
	else if (nnull > 0)
		r->null_mixed = true;
	rc = 0;
out:
	free(cand);
	return rc;
}

/* A failure on our side: kind, and the name it is about (or NULL). */
static void
set_local(struct mx_result *r, enum mx_local kind, const char *name)
{
	r->local = kind;
	if (name != NULL)
		snprintf(r->local_name, sizeof(r->local_name), "%.100s", name);
}

/*
 * Note the first answer that came without AD (data or a denial) as where the
 * resolver's trust is to be judged from (mx_walk()), and as the zone an
 * island of security would be. With --validate=local that answer was
 * validated here (it is insecure for real), and the trust question is raised
 * by the first bogus or failed one instead (dns_trust_question()): it goes to
 * t->check.
 */
static void
note_unvalidated(struct mx_trust *t, const struct dns_resolver *res, const struct dns_answer *a,
		 const char *qname)
{
	char signer[MX_NAME_MAX];

	dns_answer_signer(a, signer, sizeof(signer));
	if (res->validator != NULL) {
		if (t->check[0] == '\0' && dns_trust_question(res, a))
			snprintf(t->check, sizeof(t->check), "%s", signer[0] ? signer : qname);
		if (a->secure || (a->cls != DNS_INSECURE && a->cls != DNS_NONEXISTENT))
			return;
	} else if (!dns_trust_question(res, a)) {
		return;
	}
	if (t->start[0] != '\0')
		return;
	t->signed_data = signer[0] != '\0';
	t->algorithm = dns_answer_algorithm(a);
	snprintf(t->start, sizeof(t->start), "%s", t->signed_data ? signer : qname);
	if (a->server >= 0 && (size_t)a->server < res->nservers)
		snprintf(t->resolver, sizeof(t->resolver), "%s", res->servers[a->server].name);
}

int
mx_lookup(const struct dns_resolver *res, const char *domain, struct deadline *dl,
	  struct mx_result *r)
{
	struct dns_answer a;
	ldns_rr_list *mxs = NULL;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	memset(&a, 0, sizeof(a));
	if (mx_canonical_name(domain, r->domain, sizeof(r->domain)) != 0) {
		set_local(r, MX_LOCAL_DOMAIN_NAME, domain);
		r->status = MX_ERROR;
		return -1;
	}
	deadline_stage(dl, "looking up the MX records of %s", r->domain);
	dns_query(res, r->domain, LDNS_RR_TYPE_MX, dl, &a);
	dns_answer_outcome(&a, &r->answer);
	r->sig_expire = dns_answer_sig_expire(&a, time(NULL));
	note_unvalidated(&r->trust, res, &a, r->domain);
	dns_answer_signer(&a, r->mx_zone, sizeof(r->mx_zone));

	switch (a.cls) {
	case DNS_ERROR:
		r->status = MX_ERROR;
		rc = 0;
		goto out;
	case DNS_BOGUS:
		r->status = MX_BOGUS;
		rc = 0;
		goto out;
	case DNS_NONEXISTENT:
		if (a.nxdomain) {
			r->status = a.secure ? MX_NXDOMAIN : MX_INSECURE;
			rc = 0;
			goto out;
		}
		if (!a.secure) {
			r->status = MX_INSECURE;
			rc = 0;
			goto out;
		}
		/* RFC 5321 5.1: no MX, the domain itself is the host */
		r->status = MX_IMPLICIT;
		if (add_host(r, r->domain, 0) == NULL)
			goto oom;
		r->hosts[0].implicit = true;
		rc = 0;
		goto out;
	case DNS_INSECURE:
		r->status = MX_INSECURE;
		rc = 0;
		goto out;
	case DNS_SECURE:
	default:
		break;
	}

	mxs = dns_answer_rrs(&a, LDNS_RR_TYPE_MX);
	if (mx_take_rrset(r, mxs) != 0)
		goto oom;
	rc = 0;
	goto out;
oom:
	set_local(r, MX_LOCAL_MEMORY, NULL);
	r->status = MX_ERROR;
	rc = -1;
out:
	if (mxs != NULL)
		ldns_rr_list_deep_free(mxs);
	dns_answer_clear(&a);
	return rc;
}

int
mx_from_hosts(const char *const *names, size_t n, struct mx_result *r)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	r->status = MX_HOSTS;
	for (i = 0; i < n; i++) {
		char name[MX_NAME_MAX];

		if (mx_canonical_name(names[i], name, sizeof(name)) != 0 || strcmp(name, ".") == 0)
			set_local(r, MX_LOCAL_HOST_NAME, names[i]);
		else if (add_host(r, name, -1) == NULL)
			set_local(r, MX_LOCAL_MEMORY, NULL);
		if (r->local != MX_LOCAL_NONE) {
			return -1;
		}
	}
	snprintf(r->domain, sizeof(r->domain), "%s", r->nhosts > 0 ? r->hosts[0].name : "");
	return 0;
}

/* Follow the CNAME chain from qname inside an answer; writes the final name. */
static void
follow_cnames(const struct dns_answer *a, const char *qname, char *final, size_t finalsize)
{
	ldns_rr_list *cn = dns_answer_rrs(a, LDNS_RR_TYPE_CNAME);
	char cur[MX_NAME_MAX];
	int hops;

	snprintf(cur, sizeof(cur), "%s", qname);
	for (hops = 0; cn != NULL && hops < MX_CNAME_MAX; hops++) {
		size_t i;
		bool moved = false;

		for (i = 0; i < ldns_rr_list_rr_count(cn); i++) {
			const ldns_rr *rr = ldns_rr_list_rr(cn, i);
			char owner[MX_NAME_MAX];

			rdf_name(ldns_rr_owner(rr), owner, sizeof(owner));
			if (strcmp(owner, cur) == 0 && ldns_rr_rd_count(rr) == 1) {
				rdf_name(ldns_rr_rdf(rr, 0), cur, sizeof(cur));
				moved = true;
				break;
			}
		}
		if (!moved)
			break;
	}
	if (cn != NULL)
		ldns_rr_list_deep_free(cn);
	snprintf(final, finalsize, "%s", cur);
}

bool
mx_addr_from_rdf(struct mx_addr *ad, ldns_rr_type type, const ldns_rdf *f)
{
	memset(ad, 0, sizeof(*ad));
	if (type == LDNS_RR_TYPE_A && ldns_rdf_size(f) == 4) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ad->ss;

		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, ldns_rdf_data(f), 4);
		ad->len = sizeof(*sin);
		inet_ntop(AF_INET, &sin->sin_addr, ad->text, sizeof(ad->text));
		return true;
	}
	if (type == LDNS_RR_TYPE_AAAA && ldns_rdf_size(f) == 16) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ad->ss;

		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, ldns_rdf_data(f), 16);
		ad->len = sizeof(*sin6);
		inet_ntop(AF_INET6, &sin6->sin6_addr, ad->text, sizeof(ad->text));
		return true;
	}
	return false;
}

/* Add the A or AAAA records of an answer to the host's addresses. */
static void
take_addresses(struct mx_host *h, const struct dns_answer *a, ldns_rr_type type)
{
	ldns_rr_list *rrs = dns_answer_rrs(a, type);
	size_t i;

	for (i = 0; rrs != NULL && i < ldns_rr_list_rr_count(rrs); i++) {
		const ldns_rdf *f = ldns_rr_rdf(ldns_rr_list_rr(rrs, i), 0);
		struct mx_addr *ad;

		if (f == NULL)
			continue;
		if (h->naddrs >= MX_MAX_ADDRS) {
			h->addrs_truncated = true;
			break;
		}
		ad = &h->addrs[h->naddrs];
		if (mx_addr_from_rdf(ad, type, f))
			h->naddrs++;
	}
	if (rrs != NULL)
		ldns_rr_list_deep_free(rrs);
}

/* Combine the address answers of one host into its addr_class. */
static void
judge_addresses(struct mx_host *h, struct dns_answer *const *ans, size_t n)
{
	bool any_bogus = false, any_error = false, any_insecure = false, any_data = false;
	size_t i;

	for (i = 0; i < n; i++) {
		const struct dns_answer *a = ans[i];

		switch (a->cls) {
		case DNS_BOGUS:
			any_bogus = true;
			dns_answer_outcome(a, &h->addr_problem);
			break;
		case DNS_ERROR:
			any_error = true;
			dns_answer_outcome(a, &h->addr_problem);
			break;
		case DNS_INSECURE:
			any_insecure = true;
			any_data = true;
			break;
		case DNS_SECURE:
			any_data = true;
			break;
		case DNS_NONEXISTENT:
			if (!a->secure)
				any_insecure = true;
			break;
		}
	}
	if (any_bogus)
		h->addr_class = DNS_BOGUS;
	else if (any_error)
		h->addr_class = DNS_ERROR;
	else if (!any_data)
		h->addr_class = DNS_NONEXISTENT;
	else if (any_insecure)
		h->addr_class = DNS_INSECURE;
	else
		h->addr_class = DNS_SECURE;
}

/* Record a TLSA answer for a host. */
static int
take_tlsa(struct mx_host *h, const struct dns_answer *a)
{
	ldns_rr_list *rrs;
	int rc = 0;

	h->tlsa_class = a->cls;
	dns_answer_signer(a, h->tlsa_zone, sizeof(h->tlsa_zone));
	h->tlsa_denial_secure = a->cls == DNS_NONEXISTENT && a->secure;
	update_expire(&h->sig_expire, dns_answer_sig_expire(a, time(NULL)));
	dns_answer_outcome(a, &h->tlsa_answer);
	tlsa_set_clear(&h->tlsa);
	rrs = dns_answer_rrs(a, LDNS_RR_TYPE_TLSA);
	if (rrs != NULL && (a->cls == DNS_SECURE || a->cls == DNS_INSECURE || a->cls == DNS_BOGUS))
		rc = tlsa_set_from_rrs(&h->tlsa, rrs);
	if (rrs != NULL)
		ldns_rr_list_deep_free(rrs);
	return rc;
}

static void
set_tlsa_name(struct mx_host *h, const char *base, unsigned int port)
{
	snprintf(h->tlsa_base, sizeof(h->tlsa_base), "%s", base);
	snprintf(h->tlsa_qname, sizeof(h->tlsa_qname), "_%u._tcp.%s", port, base);
}

/* A query of name and type to any server, with no answer yet. */
static void
set_query(struct dns_query *q, const char *name, ldns_rr_type type)
{
	memset(q, 0, sizeof(*q));
	q->name = name;
	q->type = type;
	q->server = -1;
}

/*
 * Stage 1: the addresses of every host (per queries per host: A and/or
 * AAAA), their security and the CNAME expansion of the name.
 */
static void
resolve_addresses(const struct dns_resolver *res, struct mx_result *r, int family, size_t per,
		  struct dns_query *q, struct deadline *dl)
{
	size_t i, k;

	for (i = 0; i < r->nhosts; i++) {
		k = i * per;
		if (family != AF_INET6)
			set_query(&q[k++], r->hosts[i].name, LDNS_RR_TYPE_A);
		if (family != AF_INET)
			set_query(&q[k], r->hosts[i].name, LDNS_RR_TYPE_AAAA);
	}
	if (r->nhosts == 1)
		deadline_stage(dl, "looking up the addresses of %s", r->hosts[0].name);
	else
		deadline_stage(dl, "looking up the addresses of %zu MX hosts", r->nhosts);
	dns_query_batch(res, q, r->nhosts * per, dl);
	for (i = 0; i < r->nhosts; i++) {
		struct mx_host *h = &r->hosts[i];
		struct dns_answer *ans[2];
		char final[MX_NAME_MAX];

		for (k = 0; k < per; k++) {
			ans[k] = &q[i * per + k].answer;
			note_unvalidated(&r->trust, res, ans[k], h->name);
			take_addresses(h, ans[k], q[i * per + k].type);
			update_expire(&h->sig_expire, dns_answer_sig_expire(ans[k], time(NULL)));
		}
		judge_addresses(h, ans, per);
		follow_cnames(ans[0], h->name, final, sizeof(final));
		if (strcmp(final, h->name) != 0)
			snprintf(h->expanded, sizeof(h->expanded), "%s", final);
	}
	for (i = 0; i < r->nhosts * per; i++)
		dns_answer_clear(&q[i].answer);
}

/*
 * Does a TLSA stage ask for this host? Stage 2: every host with secure
 * addresses. Stage 3 (fallback): hosts whose CNAME-expanded name has no TLSA.
 */
static bool
tlsa_stage_wants(const struct mx_host *h, bool fallback)
{
	if (!fallback)
		return h->addr_class == DNS_SECURE;
	return h->tlsa_looked_up && h->expanded[0] != '\0' && h->tlsa_class == DNS_NONEXISTENT;
}

/*
 * Stage 2: TLSA at the expanded name (or the name) of secure hosts; stage 3
 * (fallback, RFC 7672 2.2.2): no TLSA at the expanded name, so the original
 * name. Returns 0, or -1 when out of memory.
 */
static int
resolve_tlsa(const struct dns_resolver *res, struct mx_result *r, unsigned int port, bool fallback,
	     struct dns_query *q, struct deadline *dl)
{
	size_t i, nq = 0;
	int rc = 0;

	for (i = 0; i < r->nhosts; i++) {
		struct mx_host *h = &r->hosts[i];

		if (!tlsa_stage_wants(h, fallback))
			continue;
		if (fallback)
			h->tlsa_base_fallback = true;
		else
			h->tlsa_looked_up = true;
		set_tlsa_name(h, !fallback && h->expanded[0] ? h->expanded : h->name, port);
		set_query(&q[nq++], h->tlsa_qname, LDNS_RR_TYPE_TLSA);
	}
	if (fallback && nq == 0)
		return 0;
	deadline_stage(dl, fallback ? "looking up TLSA records at the original MX host names"
				    : "looking up TLSA records");
	dns_query_batch(res, q, nq, dl);
	nq = 0;
	for (i = 0; i < r->nhosts && rc == 0; i++) {
		struct mx_host *h = &r->hosts[i];

		if (!(fallback ? h->tlsa_base_fallback : h->tlsa_looked_up))
			continue;
		note_unvalidated(&r->trust, res, &q[nq].answer, h->tlsa_qname);
		rc = take_tlsa(h, &q[nq].answer);
		dns_answer_clear(&q[nq].answer);
		nq++;
	}
	return rc;
}

int
mx_resolve(const struct dns_resolver *res, struct mx_result *r, int family, unsigned int port,
	   struct deadline *dl)
{
	struct dns_query *q;
	size_t i, per = family == AF_UNSPEC ? 2 : 1;
	int rc;

	if (r->nhosts == 0)
		return 0;
	q = calloc(r->nhosts * per, sizeof(*q));
	if (q == NULL)
		return -1;
	resolve_addresses(res, r, family, per, q, dl);
	rc = resolve_tlsa(res, r, port, false, q, dl);
	if (rc == 0)
		rc = resolve_tlsa(res, r, port, true, q, dl);
	for (i = 0; i < r->nhosts * per; i++)
		dns_answer_clear(&q[i].answer);
	free(q);
	return rc;
}

enum mx_walk_end
mx_walk(const struct dns_resolver *res, const char *domain, const char *const *hosts, size_t nhosts,
	int family, unsigned int port, struct deadline *dl, struct mx_result *r)
{
	enum mx_walk_end end = MX_WALK_HOSTS;

	memset(r, 0, sizeof(*r));
	if (domain != NULL ? mx_lookup(res, domain, dl, r) != 0
			   : mx_from_hosts(hosts, nhosts, r) != 0)
		return MX_WALK_INPUT;
	if (r->status != MX_FOUND && r->status != MX_IMPLICIT && r->status != MX_HOSTS)
		end = MX_WALK_DOMAIN;
	else if (mx_resolve(res, r, family, port, dl) != 0)
		return MX_WALK_MEMORY;
	/* an answer without AD: is the data unsigned, or does the resolver not validate?
	 * (--validate=local: a bogus or failed answer: does the forwarder pass DNSSEC data?) */
	if (res->validator != NULL) {
		if (r->trust.check[0] != '\0') {
			deadline_stage(dl, "asking whether the resolver passes DNSSEC data (%s)",
				       r->trust.check);
			dns_trust_check(res, r->trust.check, dl, &r->trust.result);
		}
	} else if (r->trust.start[0] != '\0') {
		if (r->trust.resolver[0] == '\0' && res->nservers > 0)
			snprintf(r->trust.resolver, sizeof(r->trust.resolver), "%s",
				 res->servers[0].name);
		deadline_stage(dl, "asking whether the resolver validates (DS of %s)",
			       r->trust.start);
		dns_trust_check(res, r->trust.start, dl, &r->trust.result);
		if (r->trust.result.verdict == DNS_TRUST_UNKNOWN && deadline_expired(dl)) {
			r->trust.expired = true;
			r->trust.seconds = dl->seconds;
		}
	}
	return end;
}

bool
mx_resolver_blind(const struct mx_result *r)
{
	return r->trust.result.verdict == DNS_TRUST_DOES_NOT_VALIDATE || r->trust.result.ds_failed;
}

const char *
mx_target(const struct mx_result *r)
{
	return r->status == MX_HOSTS ? "MX hosts" : r->domain;
}

void
mx_result_clear(struct mx_result *r)
{
	size_t i;

	for (i = 0; i < r->nhosts; i++)
		tlsa_set_clear(&r->hosts[i].tlsa);
	free(r->hosts);
	r->hosts = NULL;
	r->nhosts = 0;
}

bool
mx_host_dane_usable(const struct mx_host *h)
{
	return h->addr_class == DNS_SECURE && h->tlsa_looked_up && h->tlsa_class == DNS_SECURE &&
	       h->tlsa.usable > 0;
}
