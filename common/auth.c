/*
 * auth.c -- every authoritative server of a zone, asked directly.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth.h"

/* Most NS host names followed, all zones together. */
#define AUTH_MAX_NS_HOSTS 16

/* The NS hosts of every zone, and which zone has which. */
struct ns_hosts {
	char name[AUTH_MAX_NS_HOSTS][MX_NAME_MAX];
	bool of_zone[AUTH_MAX_NS_HOSTS][AUTH_MAX_ZONES];
	size_t n;
};

static struct auth_zone *
find_zone(struct auth_result *a, const char *zone)
{
	size_t i;

	for (i = 0; i < a->nzones; i++)
		if (strcasecmp(a->zones[i].name, zone) == 0)
			return &a->zones[i];
	if (a->nzones == AUTH_MAX_ZONES) {
		a->zones_left_out++;
		return NULL;
	}
	snprintf(a->zones[a->nzones].name, sizeof(a->zones[a->nzones].name), "%s", zone);
	return &a->zones[a->nzones++];
}

static int
add_question(struct auth_zone *z, const char *name, ldns_rr_type type)
{
	size_t i;

	for (i = 0; i < z->nq; i++)
		if (z->q[i].type == type && strcasecmp(z->q[i].name, name) == 0)
			return 0;
	if (z->nq == AUTH_MAX_QUESTIONS)
		return -1;
	snprintf(z->q[z->nq].name, sizeof(z->q[z->nq].name), "%s", name);
	z->q[z->nq++].type = type;
	return 0;
}

int
auth_plan(struct auth_result *a, const char *zone, const char *name, ldns_rr_type type)
{
	struct auth_zone *z;

	if (zone == NULL || zone[0] == '\0' || (z = find_zone(a, zone)) == NULL)
		return -1;
	if (z->nq == 0 && add_question(z, z->name, LDNS_RR_TYPE_SOA) != 0)
		return -1;
	return add_question(z, name, type);
}

size_t
auth_plan_walk(struct auth_result *a, const struct mx_result *r)
{
	size_t i;

	if (r->status == MX_FOUND && r->mx_zone[0] != '\0')
		auth_plan(a, r->mx_zone, r->domain, LDNS_RR_TYPE_MX);
	for (i = 0; i < r->nhosts; i++) {
		const struct mx_host *h = &r->hosts[i];

		if (h->tlsa_looked_up && h->tlsa_zone[0] != '\0')
			auth_plan(a, h->tlsa_zone, h->tlsa_qname, LDNS_RR_TYPE_TLSA);
	}
	return a->nzones;
}

char *
auth_rdata_text(const ldns_rr *rr)
{
	ldns_buffer *buf = ldns_buffer_new(256);
	char *text = NULL, *p;
	size_t i;

	if (buf == NULL)
		return NULL;
	for (i = 0; i < ldns_rr_rd_count(rr); i++) {
		if (i > 0)
			ldns_buffer_printf(buf, " ");
		if (ldns_rdf2buffer_str(buf, ldns_rr_rdf(rr, i)) != LDNS_STATUS_OK)
			goto out;
	}
	text = ldns_buffer_export2str(buf);
	for (p = text; p != NULL && *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
out:
	ldns_buffer_free(buf);
	return text;
}

/* The NS host names of every zone's NS answer (through the resolver). */
static void
take_ns(struct auth_result *a, struct dns_query *q, struct ns_hosts *ns)
{
	size_t z, i, k;

	for (z = 0; z < a->nzones; z++) {
		ldns_rr_list *rrs = dns_answer_rrs(&q[z].answer, LDNS_RR_TYPE_NS);

		if (rrs == NULL) {
			a->zones[z].problem = AUTH_ZONE_NO_NS;
			dns_answer_outcome(&q[z].answer, &a->zones[z].ns_answer);
			continue;
		}
		for (i = 0; i < ldns_rr_list_rr_count(rrs); i++) {
			char *name = ldns_rdf2str(ldns_rr_rdf(ldns_rr_list_rr(rrs, i), 0));

			for (k = 0; name != NULL && k < ns->n; k++)
				if (strcasecmp(ns->name[k], name) == 0)
					break;
			if (name != NULL && k == ns->n && ns->n < AUTH_MAX_NS_HOSTS)
				snprintf(ns->name[ns->n++], MX_NAME_MAX, "%s", name);
			if (name != NULL && k < ns->n)
				ns->of_zone[k][z] = true;
			free(name);
		}
		ldns_rr_list_deep_free(rrs);
	}
}

/* Add the server of one address (dedupe); returns its index or -1. */
static int
add_server(struct auth_result *a, const char *host, const ldns_rr *rr)
{
	struct sockaddr_storage ss;
	socklen_t len;
	char text[64];
	size_t i;
	ldns_rdf *rd = ldns_rr_rdf(rr, 0);

	memset(&ss, 0, sizeof(ss));
	if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_A && ldns_rdf_size(rd) == 4) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(AUTH_PORT);
		memcpy(&sin->sin_addr, ldns_rdf_data(rd), 4);
		len = sizeof(*sin);
		inet_ntop(AF_INET, &sin->sin_addr, text, sizeof(text));
	} else if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_AAAA && ldns_rdf_size(rd) == 16) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(AUTH_PORT);
		memcpy(&sin6->sin6_addr, ldns_rdf_data(rd), 16);
		len = sizeof(*sin6);
		inet_ntop(AF_INET6, &sin6->sin6_addr, text, sizeof(text));
	} else {
		return -1;
	}
	for (i = 0; i < a->res.nservers; i++)
		if (strcmp(a->servers[i].addr, text) == 0)
			return (int)i;
	if (dns_resolver_add_addr(&a->res, (struct sockaddr *)&ss, len, text) != 0)
		return -1;
	snprintf(a->servers[i].host, sizeof(a->servers[i].host), "%s", host);
	snprintf(a->servers[i].addr, sizeof(a->servers[i].addr), "%s", text);
	return (int)i;
}

/* Give zone z the server index idx, once. */
static void
zone_add_server(struct auth_zone *z, int idx)
{
	size_t i;

	if (idx < 0) {
		z->servers_left_out++;
		return;
	}
	for (i = 0; i < z->nservers; i++)
		if (z->server[i] == (size_t)idx)
			return;
	if (z->nservers < AUTH_MAX_SERVERS)
		z->server[z->nservers++] = (size_t)idx;
}

/* The addresses of the NS hosts (through the resolver) become the servers. */
static void
take_addresses(struct auth_result *a, const struct ns_hosts *ns, struct dns_query *q, size_t per)
{
	size_t h, k, i, z;

	for (h = 0; h < ns->n; h++) {
		for (k = 0; k < per; k++) {
			struct dns_query *aq = &q[h * per + k];
			ldns_rr_list *rrs = dns_answer_rrs(&aq->answer, aq->type);

			for (i = 0; rrs != NULL && i < ldns_rr_list_rr_count(rrs); i++) {
				int idx = add_server(a, ns->name[h], ldns_rr_list_rr(rrs, i));

				for (z = 0; z < a->nzones; z++)
					if (ns->of_zone[h][z])
						zone_add_server(&a->zones[z], idx);
			}
			if (rrs != NULL)
				ldns_rr_list_deep_free(rrs);
		}
	}
	for (z = 0; z < a->nzones; z++)
		if (a->zones[z].problem == AUTH_ZONE_OK && a->zones[z].nservers == 0)
			a->zones[z].problem = AUTH_ZONE_NO_ADDRESS;
}

/* Most CNAMEs followed in one answer. */
#define AUTH_MAX_CNAMES 8

/*
 * The names an answer to qname may hold records of: qname and the targets of
 * the CNAME chain from it in the answer section (owned; free each with
 * ldns_rdf_deep_free()). Returns the count, 0 for an invalid qname.
 */
static size_t
answer_names(const ldns_rr_list *rrs, const char *qname, ldns_rdf **names)
{
	size_t n = 0, i, k;

	if (ldns_str2rdf_dname(&names[0], qname) != LDNS_STATUS_OK)
		return 0;
	n = 1;
	for (k = 0; k < n && n < AUTH_MAX_CNAMES + 1; k++)
		for (i = 0; rrs != NULL && i < ldns_rr_list_rr_count(rrs); i++) {
			ldns_rr *rr = ldns_rr_list_rr(rrs, i);

			if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_CNAME &&
			    ldns_rr_rd_count(rr) == 1 &&
			    ldns_dname_compare(ldns_rr_owner(rr), names[k]) == 0 &&
			    n < AUTH_MAX_CNAMES + 1)
				names[n++] = ldns_rdf_clone(ldns_rr_rdf(rr, 0));
		}
	return n;
}

static bool
name_in(const ldns_rdf *name, ldns_rdf *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (names[i] != NULL && ldns_dname_compare(name, names[i]) == 0)
			return true;
	return false;
}

/* A record of the question's type (at qname or its CNAME target): kept in out. */
static void
take_record(const struct auth_question *q, const ldns_rr *rr, struct auth_answer *out)
{
	out->nrecords++;
	if (q->type == LDNS_RR_TYPE_SOA && !out->has_serial && ldns_rr_rd_count(rr) >= 3) {
		out->soa_serial = ldns_rdf2native_int32(ldns_rr_rdf(rr, 2));
		out->has_serial = true;
	}
	if (out->nrecords > AUTH_MAX_RECORDS)
		return;
	if (out->rrs == NULL)
		out->rrs = ldns_rr_list_new();
	if (out->rrs != NULL)
		ldns_rr_list_push_rr(out->rrs, ldns_rr_clone(rr));
}

/* An authoritative answer (AA) with records of a name that has no business there. */
static void
another_name(const ldns_rr *rr, struct auth_answer *out)
{
	char *other = ldns_rdf2str(ldns_rr_owner(rr));

	out->status = AUTH_ERROR;
	out->foreign = true;
	snprintf(out->foreign_owner, sizeof(out->foreign_owner), "%s", other ? other : "?");
	free(other);
}

/* One server's answer to one question, from what the query engine got. */
static void
take_answer(const struct auth_question *q, struct dns_answer *da, struct auth_answer *out)
{
	ldns_rdf *names[AUTH_MAX_CNAMES + 1] = {NULL};
	ldns_rr_list *rrs;
	size_t i, n;

	out->rcode = da->rcode;
	if (da->cls == DNS_ERROR || da->pkt == NULL) {
		out->status = da->error == DNS_ERR_REFUSED ? AUTH_REFUSED
			      : da->error == DNS_ERR_TIMEOUT || da->error == DNS_ERR_UNREACHABLE
				  ? AUTH_NO_ANSWER
				  : AUTH_ERROR;
		dns_answer_outcome(da, &out->answer);
		goto out;
	}
	if (!da->aa) {
		out->status = AUTH_NOT_AA;
		dns_answer_outcome(da, &out->answer);
		goto out;
	}
	out->status = AUTH_OK;
	out->sig_expire = dns_answer_sig_expire(da, time(NULL));
	rrs = ldns_pkt_answer(da->pkt);
	n = answer_names(rrs, q->name, names);
	for (i = 0; n > 0 && rrs != NULL && i < ldns_rr_list_rr_count(rrs); i++) {
		ldns_rr *rr = ldns_rr_list_rr(rrs, i);

		if (!name_in(ldns_rr_owner(rr), names, n)) {
			another_name(rr, out);
			break;
		}
		if (ldns_rr_get_type(rr) == q->type)
			take_record(q, rr, out);
	}
	for (i = 0; i < n; i++)
		ldns_rdf_deep_free(names[i]);
out:
	return;
}

/* Ask every server of every zone every question of its zone, at once. */
static int
ask_servers(struct auth_result *a, struct deadline *dl)
{
	struct dns_query *q;
	struct deadline sub;
	size_t z, s, i, n = 0, k = 0;

	for (z = 0; z < a->nzones; z++)
		n += a->zones[z].nservers * a->zones[z].nq;
	if (n == 0)
		return 0;
	q = calloc(n, sizeof(*q));
	if (q == NULL)
		return -1;
	for (z = 0; z < a->nzones; z++) {
		struct auth_zone *zn = &a->zones[z];

		zn->answers = calloc(zn->nservers * zn->nq + 1, sizeof(*zn->answers));
		if (zn->answers == NULL) {
			free(q);
			return -1;
		}
		for (s = 0; s < zn->nservers; s++)
			for (i = 0; i < zn->nq; i++, k++)
				q[k] = (struct dns_query){.name = zn->q[i].name,
							  .type = zn->q[i].type,
							  .server = (int)zn->server[s],
							  .authoritative = true};
	}
	deadline_stage(dl, "asking %zu authoritative server address%s", a->res.nservers,
		       a->res.nservers == 1 ? "" : "es");
	deadline_sub(dl, AUTH_WAIT_MS, &sub);
	dns_query_batch(&a->res, q, n, &sub);
	for (z = 0, k = 0; z < a->nzones; z++) {
		struct auth_zone *zn = &a->zones[z];

		for (s = 0; s < zn->nservers; s++)
			for (i = 0; i < zn->nq; i++, k++) {
				take_answer(&zn->q[i], &q[k].answer, &zn->answers[s * zn->nq + i]);
				dns_answer_clear(&q[k].answer);
			}
	}
	free(q);
	return 0;
}

int
auth_collect(struct auth_result *a, const struct dns_resolver *res, int family, struct deadline *dl)
{
	struct dns_query q[AUTH_MAX_NS_HOSTS * 2];
	struct ns_hosts ns;
	size_t z, h, per = family == AF_UNSPEC ? 2 : 1, k = 0;
	int rc;

	if (a->nzones == 0)
		return 0;
	memset(&ns, 0, sizeof(ns));
	memset(q, 0, sizeof(q));
	for (z = 0; z < a->nzones; z++)
		q[z] = (struct dns_query){
		    .name = a->zones[z].name, .type = LDNS_RR_TYPE_NS, .server = -1};
	deadline_stage(dl, "looking up the NS records of %zu zone%s", a->nzones,
		       a->nzones == 1 ? "" : "s");
	dns_query_batch(res, q, a->nzones, dl);
	take_ns(a, q, &ns);
	for (z = 0; z < a->nzones; z++)
		dns_answer_clear(&q[z].answer);
	memset(q, 0, sizeof(q));
	for (h = 0; h < ns.n; h++) {
		if (family != AF_INET6)
			q[k++] = (struct dns_query){
			    .name = ns.name[h], .type = LDNS_RR_TYPE_A, .server = -1};
		if (family != AF_INET)
			q[k++] = (struct dns_query){
			    .name = ns.name[h], .type = LDNS_RR_TYPE_AAAA, .server = -1};
	}
	deadline_stage(dl, "looking up the addresses of %zu name server%s", ns.n,
		       ns.n == 1 ? "" : "s");
	dns_query_batch(res, q, k, dl);
	take_addresses(a, &ns, q, per);
	for (h = 0; h < k; h++)
		dns_answer_clear(&q[h].answer);
	rc = ask_servers(a, dl);
	return rc;
}

void
auth_result_clear(struct auth_result *a)
{
	size_t z, i;

	for (z = 0; z < a->nzones; z++) {
		struct auth_zone *zn = &a->zones[z];

		for (i = 0; zn->answers != NULL && i < zn->nservers * zn->nq; i++)
			if (zn->answers[i].rrs != NULL)
				ldns_rr_list_deep_free(zn->answers[i].rrs);
		free(zn->answers);
		zn->answers = NULL;
	}
}

const struct auth_answer *
auth_answer(const struct auth_zone *z, size_t s, size_t i)
{
	return &z->answers[s * z->nq + i];
}

const struct auth_server *
auth_server(const struct auth_result *a, const struct auth_zone *z, size_t s)
{
	return &a->servers[z->server[s]];
}

/* Append a record's text to a "; "-separated list, as far as it fits. */
static void
list_add(char *dst, size_t size, const char *text)
{
	size_t o = strlen(dst);

	if (o + 4 < size)
		snprintf(dst + o, size - o, "%s%s", o ? "; " : "", text);
}

/* The index in list (texts) of text, or -1. */
static int
find_text(char *const *list, size_t n, const char *text)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (list[i] != NULL && text != NULL && strcmp(list[i], text) == 0)
			return (int)i;
	return -1;
}

/* The rdata texts of a list (NULL entries where out of memory). */
static char **
texts_of(const ldns_rr_list *l, size_t *n)
{
	char **t;
	size_t i;

	*n = l != NULL ? ldns_rr_list_rr_count(l) : 0;
	t = calloc(*n + 1, sizeof(*t));
	for (i = 0; t != NULL && i < *n; i++)
		t[i] = auth_rdata_text(ldns_rr_list_rr(l, i));
	return t;
}

static void
texts_free(char **t, size_t n)
{
	size_t i;

	for (i = 0; t != NULL && i < n; i++)
		free(t[i]);
	free(t);
}

bool
auth_rrset_diff(const ldns_rr_list *ref, const ldns_rr_list *other, struct auth_diff *d)
{
	size_t nr, no, i;
	char **tr = texts_of(ref, &nr), **to = texts_of(other, &no);
	int k;

	memset(d, 0, sizeof(*d));
	for (i = 0; tr != NULL && to != NULL && i < nr; i++) {
		if ((k = find_text(to, no, tr[i])) < 0) {
			d->lacks++;
			list_add(d->lacks_text, sizeof(d->lacks_text), tr[i] ? tr[i] : "?");
		} else if (ldns_rr_ttl(ldns_rr_list_rr(ref, i)) !=
			   ldns_rr_ttl(ldns_rr_list_rr(other, (size_t)k))) {
			d->ttl_differs = true;
			d->ttl_ref = ldns_rr_ttl(ldns_rr_list_rr(ref, i));
			d->ttl_other = ldns_rr_ttl(ldns_rr_list_rr(other, (size_t)k));
		}
	}
	for (i = 0; tr != NULL && to != NULL && i < no; i++) {
		if (find_text(tr, nr, to[i]) < 0) {
			d->extra++;
			list_add(d->extra_text, sizeof(d->extra_text), to[i] ? to[i] : "?");
		}
	}
	texts_free(tr, nr);
	texts_free(to, no);
	return d->lacks > 0 || d->extra > 0;
}

bool
auth_serves(const struct auth_zone *z, size_t s, size_t i, const char *rdata_text)
{
	const struct auth_answer *ans = auth_answer(z, s, i);
	size_t k;
	bool found = false;

	for (k = 0; ans->rrs != NULL && k < ldns_rr_list_rr_count(ans->rrs) && !found; k++) {
		char *t = auth_rdata_text(ldns_rr_list_rr(ans->rrs, k));

		found = t != NULL && strcmp(t, rdata_text) == 0;
		free(t);
	}
	return found;
}

size_t
auth_unanswered(const struct auth_result *a, const char *name, ldns_rr_type type)
{
	size_t z, i, s, n = 0;

	for (z = 0; z < a->nzones; z++) {
		const struct auth_zone *zn = &a->zones[z];

		for (i = 0; i < zn->nq; i++) {
			if (zn->q[i].type != type || strcasecmp(zn->q[i].name, name) != 0)
				continue;
			for (s = 0; s < zn->nservers; s++)
				n += auth_answer(zn, s, i)->status != AUTH_OK;
		}
	}
	return n;
}

size_t
auth_lacking(const struct auth_result *a, const char *name, ldns_rr_type type,
	     const char *const *texts, size_t ntexts, char *who, size_t whosize)
{
	size_t z, i, s, k, n = 0;

	if (whosize > 0)
		who[0] = '\0';
	for (z = 0; z < a->nzones; z++) {
		const struct auth_zone *zn = &a->zones[z];

		for (i = 0; i < zn->nq; i++) {
			if (zn->q[i].type != type || strcasecmp(zn->q[i].name, name) != 0)
				continue;
			for (s = 0; s < zn->nservers; s++) {
				const struct auth_server *srv = auth_server(a, zn, s);
				bool has = false;

				if (auth_answer(zn, s, i)->status != AUTH_OK)
					continue;
				for (k = 0; k < ntexts && !has; k++)
					has = auth_serves(zn, s, i, texts[k]);
				if (has)
					continue;
				n++;
				if (strlen(who) + strlen(srv->host) + strlen(srv->addr) + 8 <
				    whosize)
					snprintf(who + strlen(who), whosize - strlen(who),
						 "%s%s[%s]", who[0] ? ", " : "", srv->host,
						 srv->addr);
			}
		}
	}
	return n;
}
