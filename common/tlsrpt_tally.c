/*
 * tlsrpt_tally.c -- the reports of a run summed per domain (see
 * tlsrpt_tally.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tlsrpt_tally.h"

/* a + b, stopping at the largest value instead of wrapping */
static uint64_t
add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* Add s to a name list unless it is there. Returns 0, or -1 when out of memory. */
static int
names_add(struct tlsrpt_names *l, const char *s)
{
	size_t i;

	if (s == NULL || *s == '\0')
		return 0;
	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return 0;
	if (l->n == TLSRPT_TALLY_MAX_NAMES) {
		l->more++; /* counted, not compared: the list is only for the words */
		return 0;
	}
	l->v[l->n] = strdup(s);
	if (l->v[l->n] == NULL)
		return -1;
	l->n++;
	return 0;
}

/* Free a name list. */
static void
names_free(struct tlsrpt_names *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	memset(l, 0, sizeof(*l));
}

/* Free an array of strings. */
static void
strings_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* A new domain entry; NULL when out of memory. */
static struct tlsrpt_domain *
domain_new(const char *name, bool listed)
{
	struct tlsrpt_domain *d = calloc(1, sizeof(*d));

	if (d == NULL)
		return NULL;
	d->name = strdup(name);
	if (d->name == NULL) {
		free(d);
		return NULL;
	}
	d->listed = listed;
	d->last_report = (size_t)-1;
	return d;
}

/* Free a domain entry. */
static void
domain_free(struct tlsrpt_domain *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->ngroups; i++) {
		free(d->groups[i].mx);
		free(d->groups[i].result_type);
		free(d->groups[i].info);
		free(d->groups[i].reason_code);
		names_free(&d->groups[i].ips);
		names_free(&d->groups[i].orgs);
	}
	for (i = 0; i < d->nused; i++) {
		free(d->used[i].mx);
		strings_free(d->used[i].records, d->used[i].nrecords);
		names_free(&d->used[i].orgs);
		strings_free(d->used[i].published.records, d->used[i].published.nrecords);
	}
	names_free(&d->orgs);
	free(d->name);
	free(d);
}

int
tlsrpt_tally_init(struct tlsrpt_tally *t, const struct tlsrpt_filter *filter)
{
	size_t i, j;

	memset(t, 0, sizeof(*t));
	t->filter = *filter;
	for (i = 0; i < filter->ndomains && t->ndomains < TLSRPT_TALLY_MAX_DOMAINS; i++) {
		for (j = 0; j < t->ndomains; j++)
			if (strcmp(t->domains[j]->name, filter->domains[i]) == 0)
				break;
		if (j < t->ndomains)
			continue; /* -D given twice */
		t->domains[t->ndomains] = domain_new(filter->domains[i], true);
		if (t->domains[t->ndomains] == NULL)
			return -1;
		t->ndomains++;
	}
	return 0;
}

/*
 * The entry of a policy domain: a -D domain, or without -D any domain (a
 * new one while there is room). NULL: not counted (*oom set when out of
 * memory).
 */
static struct tlsrpt_domain *
domain_of(struct tlsrpt_tally *t, const char *name, bool *oom)
{
	size_t i;

	for (i = 0; i < t->ndomains; i++)
		if (strcmp(t->domains[i]->name, name) == 0)
			return t->domains[i];
	if (t->filter.ndomains > 0)
		return NULL;
	if (t->ndomains == TLSRPT_TALLY_MAX_DOMAINS) {
		t->domains_dropped++;
		return NULL;
	}
	t->domains[t->ndomains] = domain_new(name, false);
	if (t->domains[t->ndomains] == NULL) {
		*oom = true;
		return NULL;
	}
	return t->domains[t->ndomains++];
}

/* Add one failure-details entry to its (MX host, result type) group. */
static int
group_add(struct tlsrpt_domain *d, const struct tlsrpt_failure *f, const char *org)
{
	const char *mx = f->mx_host != NULL ? f->mx_host : "";
	struct tlsrpt_group *g = NULL;
	size_t i;

	for (i = 0; i < d->ngroups; i++)
		if (strcmp(d->groups[i].mx, mx) == 0 &&
		    strcmp(d->groups[i].result_type, f->result_type) == 0)
			g = &d->groups[i];
	if (g == NULL) {
		if (d->ngroups == TLSRPT_TALLY_MAX_GROUPS) {
			d->groups_dropped = add_sat(d->groups_dropped, f->sessions);
			return 0;
		}
		g = &d->groups[d->ngroups];
		g->mx = strdup(mx);
		g->result_type = strdup(f->result_type);
		d->ngroups++;
		if (g->mx == NULL || g->result_type == NULL)
			return -1;
	}
	g->sessions = add_sat(g->sessions, f->sessions);
	if (g->info == NULL && f->info != NULL && (g->info = strdup(f->info)) == NULL)
		return -1;
	if (g->reason_code == NULL && f->reason_code != NULL &&
	    (g->reason_code = strdup(f->reason_code)) == NULL)
		return -1;
	if (names_add(&g->ips, f->receiving_ip) != 0 || names_add(&g->orgs, org) != 0)
		return -1;
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The records of a tlsa policy-string, normalized, sorted, distinct. */
static int
records_of(const struct tlsrpt_policy *p, char ***out, size_t *n, size_t *unparsed)
{
	char buf[TLSRPT_MAX_POLICY_STRING + 16];
	char **v;
	size_t i;

	*n = 0;
	*unparsed = 0;
	*out = v = calloc(p->nstrings, sizeof(*v));
	if (v == NULL)
		return -1;
	for (i = 0; i < p->nstrings; i++) {
		if (tlsrpt_tlsa_normalize(p->strings[i], buf, sizeof(buf)) != 0) {
			(*unparsed)++;
			continue;
		}
		v[*n] = strdup(buf);
		if (v[*n] == NULL)
			return -1;
		(*n)++;
	}
	if (*n > 1)
		qsort(v, *n, sizeof(*v), cmp_str);
	for (i = 1; i < *n;) {
		if (strcmp(v[i - 1], v[i]) == 0) {
			free(v[i]);
			memmove(&v[i], &v[i + 1], (*n - i - 1) * sizeof(*v));
			(*n)--;
		} else {
			i++;
		}
	}
	return 0;
}

/* The MX host of a tlsa policy: its mx-host, else its failures' receiving host. */
static const char *
policy_mx(const struct tlsrpt_policy *p)
{
	size_t i;

	if (p->nmx > 0)
		return p->mx_hosts[0];
	for (i = 0; i < p->nfailures; i++)
		if (p->failures[i].mx_host != NULL)
			return p->failures[i].mx_host;
	return "";
}

/* Remember the TLSA records a sender used for one MX host. */
static int
used_add(struct tlsrpt_domain *d, const struct tlsrpt_policy *p, const char *org)
{
	struct tlsrpt_used *u = NULL;
	const char *mx = policy_mx(p);
	char **records;
	size_t n, unparsed, i, j;
	int rc = -1;

	if (records_of(p, &records, &n, &unparsed) != 0)
		goto out;
	for (i = 0; i < d->nused && u == NULL; i++) {
		if (strcmp(d->used[i].mx, mx) != 0 || d->used[i].nrecords != n)
			continue;
		for (j = 0; j < n && strcmp(d->used[i].records[j], records[j]) == 0; j++)
			;
		if (j == n)
			u = &d->used[i];
	}
	if (u == NULL) {
		if (d->nused == TLSRPT_TALLY_MAX_USED) {
			rc = 0;
			goto out;
		}
		u = &d->used[d->nused++];
		u->records = records;
		u->nrecords = n;
		u->unparsed = unparsed;
		records = NULL;
		n = 0;
		if ((u->mx = strdup(mx)) == NULL)
			goto out;
	}
	u->successful = add_sat(u->successful, p->successful);
	u->failed = add_sat(u->failed, p->failed);
	rc = names_add(&u->orgs, org);
out:
	if (records != NULL)
		strings_free(records, n);
	return rc;
}

/* Count one policy of a report in the window for its domain. */
static int
policy_add(struct tlsrpt_domain *d, const struct tlsrpt_policy *p, const char *org)
{
	size_t i;

	d->successful = add_sat(d->successful, p->successful);
	d->failed = add_sat(d->failed, p->failed);
	if (names_add(&d->orgs, org) != 0)
		return -1;
	for (i = 0; i < p->nfailures; i++)
		if (group_add(d, &p->failures[i], org) != 0)
			return -1;
	if (p->type == TLSRPT_POLICY_TLSA && p->nstrings > 0)
		return used_add(d, p, org);
	return 0;
}

/* Has this report (organization, report-id) been read before? Remembers it. */
static int
seen_before(struct tlsrpt_tally *t, const struct tlsrpt_report *r, bool *seen)
{
	size_t len = strlen(r->organization) + strlen(r->report_id) + 2, i;
	char *key, **grown;

	*seen = false;
	key = malloc(len);
	if (key == NULL)
		return -1;
	snprintf(key, len, "%s\n%s", r->organization, r->report_id);
	for (i = 0; i < t->nseen; i++) {
		if (strcmp(t->seen[i], key) == 0) {
			*seen = true;
			free(key);
			return 0;
		}
	}
	if (t->nseen == TLSRPT_TALLY_MAX_SEEN) {
		free(key); /* past the bound: counted again, never refused */
		return 0;
	}
	grown = realloc(t->seen, (t->nseen + 1) * sizeof(*grown));
	if (grown == NULL) {
		free(key);
		return -1;
	}
	t->seen = grown;
	t->seen[t->nseen++] = key;
	return 0;
}

/* A new entry of the bad files; NULL when the list is full or out of memory. */
static struct tlsrpt_bad *
bad_new(struct tlsrpt_tally *t, const char *file, enum tlsrpt_bad_kind kind, bool *oom)
{
	struct tlsrpt_bad *b;

	if (t->nbad == TLSRPT_TALLY_MAX_BAD) {
		t->bad_more++;
		return NULL;
	}
	b = &t->bad[t->nbad];
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	b->file = strdup(file);
	if (b->file == NULL) {
		*oom = true;
		return NULL;
	}
	t->nbad++;
	return b;
}

int
tlsrpt_tally_add(struct tlsrpt_tally *t, const struct tlsrpt_report *r, const char *file)
{
	const struct tlsrpt_filter *f = &t->filter;
	struct tlsrpt_domain *d;
	struct tlsrpt_bad *b;
	bool seen, in_window, counted = false, oom = false;
	size_t i;

	t->reports++;
	if (r->end > f->now + TLSRPT_TALLY_FUTURE_SLACK) {
		b = bad_new(t, file, TLSRPT_BAD_FUTURE, &oom);
		if (b != NULL)
			b->end = r->end;
		return oom ? -1 : 0;
	}
	if (seen_before(t, r, &seen) != 0)
		return -1;
	if (seen) {
		t->duplicates++;
		return 0;
	}
	in_window = r->end >= f->now - f->window;
	for (i = 0; i < r->npolicies; i++) {
		const struct tlsrpt_policy *p = &r->policies[i];

		if ((p->type & f->types) == 0)
			continue;
		d = domain_of(t, p->domain, &oom);
		if (oom)
			return -1;
		if (d == NULL)
			continue;
		if (r->end > d->newest_end)
			d->newest_end = r->end;
		if (!in_window)
			continue;
		if (d->last_report != t->reports) {
			d->last_report = t->reports;
			d->reports++;
		}
		if (policy_add(d, p, r->organization) != 0)
			return -1;
		counted = true;
	}
	if (!in_window)
		t->old++;
	else if (counted)
		t->counted++;
	else
		t->unmatched++;
	return 0;
}

int
tlsrpt_tally_bad_load(struct tlsrpt_tally *t, const char *file, const struct tlsrpt_load *ld)
{
	bool oom = false;
	struct tlsrpt_bad *b = bad_new(t, file, TLSRPT_BAD_LOAD, &oom);

	if (b == NULL)
		return oom ? -1 : 0;
	b->load = ld->status;
	b->sys_errno = ld->sys_errno;
	b->limit = ld->limit;
	if (ld->detail[0] != '\0' && (b->detail = strdup(ld->detail)) == NULL)
		return -1;
	return 0;
}

int
tlsrpt_tally_bad_parse(struct tlsrpt_tally *t, const char *file, const char *reason)
{
	bool oom = false;
	struct tlsrpt_bad *b = bad_new(t, file, TLSRPT_BAD_PARSE, &oom);

	if (b == NULL)
		return oom ? -1 : 0;
	b->detail = strdup(reason);
	return b->detail == NULL ? -1 : 0;
}

double
tlsrpt_tally_failed_pct(const struct tlsrpt_domain *d)
{
	double total = (double)d->successful + (double)d->failed;

	return total > 0 ? 100.0 * (double)d->failed / total : 0.0;
}

void
tlsrpt_tally_free(struct tlsrpt_tally *t)
{
	size_t i;

	for (i = 0; i < t->ndomains; i++)
		domain_free(t->domains[i]);
	for (i = 0; i < t->nbad; i++) {
		free(t->bad[i].file);
		free(t->bad[i].detail);
	}
	strings_free(t->seen, t->nseen);
	memset(t, 0, sizeof(*t));
}
