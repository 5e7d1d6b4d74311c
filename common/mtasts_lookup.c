/*
 * mtasts_lookup.c -- _mta-sts TXT and mta-sts.<domain> addresses in one DNS
 * batch (facts only).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mtasts_lookup.h"

int
mtasts_domain_name(const char *in, char *out, size_t outsize)
{
	if (in == NULL || mx_canonical_name(in, out, outsize) != 0 || strcmp(out, ".") == 0)
		return -1;
	return 0;
}

/* The strings of a TXT record, concatenated (RFC 8461 3.1): the first bytes into rec. */
static void
take_record(const ldns_rr *rr, struct mtasts_record *rec)
{
	size_t i, n;

	rec->len = 0;
	for (i = 0; i < ldns_rr_rd_count(rr); i++) {
		const ldns_rdf *f = ldns_rr_rdf(rr, i);
		const uint8_t *d = f != NULL ? ldns_rdf_data(f) : NULL;
		size_t size = f != NULL ? ldns_rdf_size(f) : 0;

		if (d == NULL || size == 0)
			continue;
		/* a character-string: a length byte, then the bytes */
		n = d[0] < size ? d[0] : size - 1;
		if (rec->len < sizeof(rec->data)) {
			size_t room = sizeof(rec->data) - rec->len;

			memcpy(rec->data + rec->len, d + 1, n < room ? n : room);
		}
		rec->len += n;
	}
}

/* Do the first bytes of a record begin with "v=STSv1"? */
static bool
record_is_sts(const struct mtasts_record *rec)
{
	size_t kept = rec->len < sizeof(rec->data) ? rec->len : sizeof(rec->data);

	/* the test needs 8 bytes at most: what is kept is enough */
	return mtasts_txt_is_sts(rec->data, kept);
}

/* The TXT answer: count the records, keep the STS ones. */
static void
take_txt(const struct dns_answer *a, struct mtasts_lookup *r)
{
	ldns_rr_list *rrs = dns_answer_rrs(a, LDNS_RR_TYPE_TXT);
	struct mtasts_record rec;
	size_t i;

	dns_answer_outcome(a, &r->txt);
	for (i = 0; rrs != NULL && i < ldns_rr_list_rr_count(rrs); i++) {
		take_record(ldns_rr_list_rr(rrs, i), &rec);
		r->txt_records++;
		if (!record_is_sts(&rec))
			continue;
		if (r->sts_records < MTASTS_LOOKUP_RECORDS)
			r->records[r->sts_records] = rec;
		r->sts_records++;
	}
	if (rrs != NULL)
		ldns_rr_list_deep_free(rrs);
}

/* The A or AAAA records of an answer into the policy host's addresses. */
static void
take_addrs(const struct dns_answer *a, ldns_rr_type type, struct mtasts_lookup *r)
{
	ldns_rr_list *rrs = dns_answer_rrs(a, type);
	size_t i;

	for (i = 0; rrs != NULL && i < ldns_rr_list_rr_count(rrs); i++) {
		const ldns_rdf *f = ldns_rr_rdf(ldns_rr_list_rr(rrs, i), 0);

		if (r->naddrs == MTASTS_LOOKUP_ADDRS)
			break;
		if (f != NULL && mx_addr_from_rdf(&r->addrs[r->naddrs], type, f))
			r->naddrs++;
	}
	if (rrs != NULL)
		ldns_rr_list_deep_free(rrs);
}

int
mtasts_lookup(const struct dns_resolver *res, const char *domain, int family, struct deadline *dl,
	      struct mtasts_lookup *r)
{
	struct dns_query q[3];
	char host[MX_NAME_MAX];
	size_t n = 0, i, len;
	int rc;

	memset(r, 0, sizeof(*r));
	memset(q, 0, sizeof(q));
	snprintf(r->domain, sizeof(r->domain), "%s", domain);
	if (snprintf(r->txt_name, sizeof(r->txt_name), "_mta-sts.%s", domain) >=
		(int)sizeof(r->txt_name) ||
	    snprintf(host, sizeof(host), "mta-sts.%s", domain) >= (int)sizeof(host))
		return -1;
	len = strlen(host);
	snprintf(r->policy_host, sizeof(r->policy_host), "%.*s",
		 (int)(len > 0 && host[len - 1] == '.' ? len - 1 : len), host);
	q[n++] = (struct dns_query){.name = r->txt_name, .type = LDNS_RR_TYPE_TXT, .server = -1};
	if (family != AF_INET6)
		q[n++] = (struct dns_query){.name = host, .type = LDNS_RR_TYPE_A, .server = -1};
	if (family != AF_INET)
		q[n++] = (struct dns_query){.name = host, .type = LDNS_RR_TYPE_AAAA, .server = -1};
	deadline_stage(dl, "looking up %s TXT and the addresses of %s", r->txt_name,
		       r->policy_host);
	rc = dns_query_batch(res, q, n, dl);
	take_txt(&q[0].answer, r);
	r->naddr_queries = n - 1;
	for (i = 1; i < n; i++) {
		dns_answer_outcome(&q[i].answer, &r->addr[i - 1]);
		take_addrs(&q[i].answer, q[i].type, r);
	}
	for (i = 0; i < n; i++)
		dns_answer_clear(&q[i].answer);
	return rc;
}

/* The MX RRset of an unsigned answer into r (no records: the implicit MX). */
static int
take_unsigned_mx(const struct dns_answer *a, struct mx_result *r)
{
	ldns_rr_list *mxs = dns_answer_rrs(a, LDNS_RR_TYPE_MX);
	ldns_rr *rr = NULL;
	char text[2 * MX_NAME_MAX + 32];
	bool implicit = mxs == NULL;
	int rc = -1;

	if (implicit) {
		/* RFC 5321 5.1: the domain itself, as "MX 0 <domain>" */
		snprintf(text, sizeof(text), "%s 0 IN MX 0 %s", r->domain, r->domain);
		mxs = ldns_rr_list_new();
		if (mxs == NULL ||
		    ldns_rr_new_frm_str(&rr, text, 0, NULL, NULL) != LDNS_STATUS_OK ||
		    !ldns_rr_list_push_rr(mxs, rr)) {
			ldns_rr_free(rr);
			goto out;
		}
	}
	if (mx_take_rrset(r, mxs) != 0)
		goto out;
	if (implicit && r->nhosts == 1) {
		r->status = MX_IMPLICIT;
		r->hosts[0].implicit = true;
	}
	rc = 0;
out:
	if (mxs != NULL)
		ldns_rr_list_deep_free(mxs);
	return rc;
}

enum mx_walk_end
mtasts_mx_unsigned(const struct dns_resolver *res, int family, unsigned int port,
		   struct deadline *dl, struct mx_result *r)
{
	struct dns_answer a;
	enum mx_walk_end end = MX_WALK_DOMAIN;

	memset(&a, 0, sizeof(a));
	deadline_stage(dl, "looking up the (unsigned) MX records of %s", r->domain);
	dns_query(res, r->domain, LDNS_RR_TYPE_MX, dl, &a);
	dns_answer_outcome(&a, &r->answer);
	switch (a.cls) {
	case DNS_ERROR:
		r->status = MX_ERROR;
		break;
	case DNS_BOGUS:
		r->status = MX_BOGUS;
		break;
	case DNS_NONEXISTENT:
		if (a.nxdomain) {
			r->status = MX_NXDOMAIN;
			break;
		}
		/* no MX records: the implicit MX, below */
		/* fall through */
	case DNS_INSECURE:
	case DNS_SECURE:
	default:
		if (take_unsigned_mx(&a, r) != 0) {
			end = MX_WALK_MEMORY;
			break;
		}
		if (r->status == MX_FOUND || r->status == MX_IMPLICIT)
			end = mx_resolve(res, r, family, port, dl) == 0 ? MX_WALK_HOSTS
									: MX_WALK_MEMORY;
		break;
	}
	dns_answer_clear(&a);
	return end;
}
