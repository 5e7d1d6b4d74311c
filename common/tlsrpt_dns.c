/*
 * tlsrpt_dns.c -- what DNS serves now for the TLSA records senders reported
 * (see tlsrpt_dns.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tlsa.h"
#include "tlsrpt.h"
#include "tlsrpt_dns.h"

/* One owner name asked, and the record sets waiting for its answer. */
struct owner {
	char name[TLSRPT_NAME_SIZE + 16]; /* _PORT._tcp.<mx>. */
};

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The facts of one answer into p. Returns 0, or -1 when out of memory. */
static int
published_from(const struct dns_answer *a, struct tlsrpt_published *p)
{
	char text[TLSRPT_MAX_POLICY_STRING + 16], norm[TLSRPT_MAX_POLICY_STRING + 16];
	struct tlsa_set set = {NULL, 0, 0};
	ldns_rr_list *rrs;
	size_t i;
	int rc = -1;

	p->secure = a->secure;
	dns_answer_outcome(a, &p->outcome);
	if (a->cls == DNS_NONEXISTENT) {
		p->state = TLSRPT_PUB_NONE;
		return 0;
	}
	if (a->cls == DNS_BOGUS || a->cls == DNS_ERROR) {
		p->state = TLSRPT_PUB_FAILED;
		return 0;
	}
	rrs = dns_answer_rrs(a, LDNS_RR_TYPE_TLSA);
	if (rrs == NULL) {
		p->state = TLSRPT_PUB_NONE;
		return 0;
	}
	if (tlsa_set_from_rrs(&set, rrs) != 0)
		goto out;
	p->records = calloc(set.n > 0 ? set.n : 1, sizeof(*p->records));
	if (p->records == NULL)
		goto out;
	for (i = 0; i < set.n; i++) {
		tlsa_format(&set.records[i].rd, text, sizeof(text), 0);
		if (tlsrpt_tlsa_normalize(text, norm, sizeof(norm)) != 0)
			continue; /* no data: nothing a sender could have used */
		p->records[p->nrecords] = strdup(norm);
		if (p->records[p->nrecords] == NULL)
			goto out;
		p->nrecords++;
	}
	if (p->nrecords > 1)
		qsort(p->records, p->nrecords, sizeof(*p->records), cmp_str);
	p->state = p->nrecords > 0 ? TLSRPT_PUB_RECORDS : TLSRPT_PUB_NONE;
	rc = 0;
out:
	tlsa_set_clear(&set);
	ldns_rr_list_deep_free(rrs);
	return rc;
}

/* Copy the facts of one owner's answer to a record set. */
static int
published_copy(const struct tlsrpt_published *from, struct tlsrpt_published *to)
{
	size_t i;

	*to = *from;
	to->records = NULL;
	to->nrecords = 0;
	if (from->nrecords == 0)
		return 0;
	to->records = calloc(from->nrecords, sizeof(*to->records));
	if (to->records == NULL)
		return -1;
	for (i = 0; i < from->nrecords; i++) {
		to->records[i] = strdup(from->records[i]);
		if (to->records[i] == NULL)
			return -1;
		to->nrecords++;
	}
	return 0;
}

/* The owner index of a record set's MX host (adding it), or -1 when it is not asked. */
static int
owner_of(struct tlsrpt_used *u, unsigned int port, struct owner *owners, size_t *n)
{
	char name[sizeof(owners[0].name)];
	size_t i;

	if (u->mx[0] == '\0') {
		u->published.why_unchecked = TLSRPT_UNCHECKED_NO_MX;
		return -1;
	}
	if (strchr(u->mx, '*') != NULL) {
		u->published.why_unchecked = TLSRPT_UNCHECKED_PATTERN;
		return -1;
	}
	if (u->nrecords == 0) {
		u->published.why_unchecked = TLSRPT_UNCHECKED_NO_RECORDS;
		return -1;
	}
	snprintf(name, sizeof(name), "_%u._tcp.%s.", port, u->mx);
	for (i = 0; i < *n; i++)
		if (strcmp(owners[i].name, name) == 0)
			return (int)i;
	if (*n == TLSRPT_DNS_MAX_QUERIES) {
		u->published.why_unchecked = TLSRPT_UNCHECKED_BOUND;
		return -1;
	}
	memcpy(owners[*n].name, name, sizeof(name));
	return (int)(*n)++;
}

int
tlsrpt_dns_lookup(struct tlsrpt_tally *t, const struct dns_resolver *res, unsigned int port,
		  struct deadline *dl)
{
	struct owner *owners = NULL;
	struct dns_query *q = NULL;
	struct tlsrpt_published *facts = NULL;
	struct deadline sub;
	size_t n = 0, i, j;
	int rc = -1, k;

	owners = calloc(TLSRPT_DNS_MAX_QUERIES, sizeof(*owners));
	if (owners == NULL)
		goto out;
	for (i = 0; i < t->ndomains; i++)
		for (j = 0; j < t->domains[i]->nused; j++)
			owner_of(&t->domains[i]->used[j], port, owners, &n);
	rc = 0;
	if (n == 0)
		goto out;
	rc = -1;
	q = calloc(n, sizeof(*q));
	facts = calloc(n, sizeof(*facts));
	if (q == NULL || facts == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		q[i].name = owners[i].name;
		q[i].type = LDNS_RR_TYPE_TLSA;
		q[i].server = -1;
	}
	deadline_stage(dl, "asking for the TLSA records of %zu MX host%s", n, n == 1 ? "" : "s");
	deadline_sub(dl, TLSRPT_DNS_MAX_MS, &sub);
	dns_query_batch(res, q, n, &sub); /* on failure every answer says why */
	for (i = 0; i < n; i++)
		if (published_from(&q[i].answer, &facts[i]) != 0)
			goto out;
	for (i = 0; i < t->ndomains; i++) {
		for (j = 0; j < t->domains[i]->nused; j++) {
			struct tlsrpt_used *u = &t->domains[i]->used[j];
			size_t before = n;

			k = owner_of(u, port, owners, &n);
			n = before; /* only looks up: every owner is there already */
			if (k >= 0 && published_copy(&facts[k], &u->published) != 0)
				goto out;
		}
	}
	rc = 0;
out:
	for (i = 0; q != NULL && i < n; i++)
		dns_answer_clear(&q[i].answer);
	for (i = 0; facts != NULL && i < n; i++) {
		for (j = 0; j < facts[i].nrecords; j++)
			free(facts[i].records[j]);
		free(facts[i].records);
	}
	free(facts);
	free(q);
	free(owners);
	return rc;
}
