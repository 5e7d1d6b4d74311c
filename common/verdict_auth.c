/*
 * verdict_auth.c -- the verdicts on the authoritative servers of the zones of
 * the MX and TLSA records (-A): do they all serve the same data?
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns_answer.h"
#include "expiry.h"
#include "verdict_auth.h"
#include "words_dns.h"

/* The type of a question as text: "TLSA", "MX", "SOA". */
static const char *
question_type(const struct auth_question *q, char *dst, size_t dstsize)
{
	char *type = ldns_rr_type2str(q->type);

	snprintf(dst, dstsize, "%s", type != NULL ? type : "?");
	free(type);
	return dst;
}

/* "TLSA RRset at _25._tcp.mx.example.org." for a question. */
static const char *
question_text(const struct auth_question *q, char *dst, size_t dstsize)
{
	char type[32];

	snprintf(dst, dstsize, "%s RRset at %s", question_type(q, type, sizeof(type)), q->name);
	return dst;
}

/* "ns1.example.org.[192.0.2.53] (SOA serial 2026120301)" */
static const char *
server_text(const struct auth_result *a, const struct auth_zone *z, size_t s, char *dst,
	    size_t dstsize)
{
	const struct auth_server *srv = auth_server(a, z, s);
	const struct auth_answer *soa = auth_answer(z, s, 0);

	if (soa->has_serial)
		snprintf(dst, dstsize, "%s[%s] (SOA serial %u)", srv->host, srv->addr,
			 soa->soa_serial);
	else
		snprintf(dst, dstsize, "%s[%s]", srv->host, srv->addr);
	return dst;
}

/*
 * The subject of a finding about the zone's server s and its answer to
 * question i: the zone, the server (name and address), the name asked and,
 * as params, the type asked and the server's SOA serial.
 */
static void
server_subject(struct finding *f, const struct auth_result *a, const struct auth_zone *z, size_t s,
	       size_t i)
{
	const struct auth_server *srv = auth_server(a, z, s);
	const struct auth_answer *soa = auth_answer(z, s, 0);
	char type[32];

	finding_subject(f, &(struct finding_subject){.zone = z->name,
						     .nameserver = srv->host,
						     .address = srv->addr,
						     .name = z->q[i].name});
	finding_param_str(f, "type", question_type(&z->q[i], type, sizeof(type)));
	if (soa->has_serial)
		finding_param_int(f, "soa_serial", soa->soa_serial);
}

/* The server the others are compared with, as params of a finding about another. */
static void
reference_params(struct finding *f, const struct auth_result *a, const struct auth_zone *z,
		 size_t ref)
{
	const struct auth_server *srv = auth_server(a, z, ref);

	finding_param_str(f, "reference_nameserver", srv->host);
	finding_param_str(f, "reference_address", srv->addr);
	finding_param_int(f, "reference_serial", auth_answer(z, ref, 0)->soa_serial);
}

/* The first question server s gave no authoritative answer to (*question), or NULL. */
static const struct auth_answer *
server_failure(const struct auth_zone *z, size_t s, size_t *question)
{
	size_t i;

	for (i = 0; i < z->nq; i++) {
		if (auth_answer(z, s, i)->status != AUTH_OK) {
			*question = i;
			return auth_answer(z, s, i);
		}
	}
	return NULL;
}

/* Did server s give an authoritative answer to every question? */
static bool
server_answers(const struct auth_zone *z, size_t s)
{
	size_t i;

	return server_failure(z, s, &i) == NULL;
}

/* The server the others are compared with: the highest SOA serial, the first of them. */
static size_t
reference_server(const struct auth_zone *z, bool *found)
{
	size_t s, ref = 0;

	*found = false;
	for (s = 0; s < z->nservers; s++) {
		const struct auth_answer *soa = auth_answer(z, s, 0);

		if (!server_answers(z, s) || !soa->has_serial)
			continue;
		if (!*found || soa->soa_serial > auth_answer(z, ref, 0)->soa_serial)
			ref = s;
		*found = true;
	}
	return ref;
}

/* The finding and the words of each way a server fails to answer as an authority. */
static const struct {
	enum finding_code code;
	const char *text;
} server_problems[] = {
    [AUTH_NO_ANSWER] = {FC_AUTH_SERVER_NO_ANSWER, "no answer"},
    [AUTH_REFUSED] = {FC_AUTH_SERVER_REFUSES, "refuses the zone"},
    [AUTH_NOT_AA] = {FC_AUTH_SERVER_NOT_AUTHORITATIVE, "answers without authority"},
    [AUTH_ERROR] = {FC_AUTH_SERVER_FAILS, "fails"},
};

/* Servers that do not answer as an authority: WARNING each. Returns how many. */
static size_t
auth_server_problems(const struct auth_result *a, const struct auth_zone *z, struct output *out,
		     struct finding *line)
{
	char srv[MX_NAME_MAX + 100], detail[WORDS_DNS_AUTH_ANSWER_MAX];
	size_t s, i, n = 0;
	struct finding *c;

	for (s = 0; s < z->nservers; s++) {
		const struct auth_answer *f = server_failure(z, s, &i);

		if (f == NULL || f->status > AUTH_ERROR)
			continue;
		n++;
		words_dns_auth_answer(f, detail, sizeof(detail));
		c = finding_add(out, line, STATE_WARNING, server_problems[f->status].code,
				"%s: %s: %s", server_text(a, z, s, srv, sizeof(srv)),
				server_problems[f->status].text, detail);
		server_subject(c, a, z, s, i);
		if (f->rcode >= 0)
			finding_param_str(c, "rcode", dns_answer_rcode_name(f->rcode));
	}
	return n;
}

/* The finding of server s whose data for question i differ from the reference's (d). */
static void
data_problem(const struct auth_result *a, const struct auth_zone *z, size_t ref, size_t s, size_t i,
	     const struct auth_diff *d, struct output *out, struct finding *line)
{
	char srv[MX_NAME_MAX + 100], rsrv[MX_NAME_MAX + 100], qt[MX_NAME_MAX + 64];
	const struct auth_answer *soa = auth_answer(z, s, 0);
	bool stale = soa->has_serial && soa->soa_serial < auth_answer(z, ref, 0)->soa_serial;
	struct finding *c;

	question_text(&z->q[i], qt, sizeof(qt));
	server_text(a, z, s, srv, sizeof(srv));
	server_text(a, z, ref, rsrv, sizeof(rsrv));
	c = finding_add(
	    out, line, STATE_CRITICAL, stale ? FC_AUTH_SERVER_STALE : FC_AUTH_SERVER_DIFFERS,
	    "%s %s %s%s%s%s%s, compared with %s%s: resolvers that ask it hand senders %s data", srv,
	    stale ? "is stale: its" : "serves another", qt, d->lacks ? " lacks " : "",
	    d->lacks ? d->lacks_text : "",
	    d->extra ? (d->lacks ? " and has in addition " : " has in addition ") : "",
	    d->extra ? d->extra_text : "", rsrv,
	    stale || !soa->has_serial
		? ""
		: " (the same SOA serial: the zone changed without a new serial?)",
	    stale ? "stale" : "other");
	server_subject(c, a, z, s, i);
	reference_params(c, a, z, ref);
	finding_param_int(c, "lacks", (long long)d->lacks);
	if (d->lacks > 0)
		finding_param_str(c, "lacks_records", d->lacks_text);
	finding_param_int(c, "extra", (long long)d->extra);
	if (d->extra > 0)
		finding_param_str(c, "extra_records", d->extra_text);
	if (!stale)
		finding_param_bool(c, "same_serial", soa->has_serial);
}

/* Question i: every server whose data differ from the reference's. Returns how many. */
static size_t
auth_data_problems(const struct auth_result *a, const struct auth_zone *z, size_t ref, size_t i,
		   struct output *out, struct finding *line)
{
	char srv[MX_NAME_MAX + 100], rsrv[MX_NAME_MAX + 100], qt[MX_NAME_MAX + 64];
	const struct auth_answer *r = auth_answer(z, ref, i);
	struct auth_diff d;
	struct finding *c;
	size_t s, n = 0;

	question_text(&z->q[i], qt, sizeof(qt));
	server_text(a, z, ref, rsrv, sizeof(rsrv));
	for (s = 0; s < z->nservers; s++) {
		if (s == ref || !server_answers(z, s))
			continue;
		if (auth_rrset_diff(r->rrs, auth_answer(z, s, i)->rrs, &d)) {
			n++;
			data_problem(a, z, ref, s, i, &d, out, line);
		} else if (d.ttl_differs) {
			c = finding_add(out, line, STATE_OK, FC_AUTH_TTL_DIFFERS,
					"%s serves the %s with TTL %u, %s with TTL %u",
					server_text(a, z, s, srv, sizeof(srv)), qt, d.ttl_other,
					rsrv, d.ttl_ref);
			server_subject(c, a, z, s, i);
			reference_params(c, a, z, ref);
			finding_param_int(c, "ttl", d.ttl_other);
			finding_param_int(c, "reference_ttl", d.ttl_ref);
		}
	}
	return n;
}

/* Question i: signatures expired, or well before the others'. Returns how many. */
static size_t
auth_sig_problems(const struct auth_result *a, const struct auth_zone *z, size_t i, time_t now,
		  struct output *out, struct finding *line)
{
	char srv[MX_NAME_MAX + 100], qt[MX_NAME_MAX + 64], d1[32], d2[32];
	time_t latest = 0;
	struct finding *c;
	size_t s, n = 0;

	for (s = 0; s < z->nservers; s++)
		if (server_answers(z, s) && auth_answer(z, s, i)->sig_expire > latest)
			latest = auth_answer(z, s, i)->sig_expire;
	question_text(&z->q[i], qt, sizeof(qt));
	for (s = 0; s < z->nservers; s++) {
		time_t e = auth_answer(z, s, i)->sig_expire;

		if (!server_answers(z, s) || e == 0)
			continue;
		server_text(a, z, s, srv, sizeof(srv));
		expiry_format_date(e, true, d1, sizeof(d1));
		if (e <= now) {
			n++;
			c = finding_add(out, line, STATE_WARNING, FC_AUTH_SIGNATURES_EXPIRED,
					"%s serves expired signatures on the %s (expired %s)", srv,
					qt, d1);
		} else if (latest - e > AUTH_SIG_LAG) {
			n++;
			c = finding_add(out, line, STATE_WARNING, FC_AUTH_SIGNATURES_LAGGING,
					"%s: its signatures on the %s expire %s, %.1f days before "
					"the others' (%s): a stale copy of the zone?",
					srv, qt, d1, difftime(latest, e) / 86400.0,
					expiry_format_date(latest, true, d2, sizeof(d2)));
			finding_param_int(c, "latest_sig_expire", (long long)latest);
			finding_param_num(c, "days_before", difftime(latest, e) / 86400.0);
		} else {
			continue;
		}
		server_subject(c, a, z, s, i);
		finding_param_int(c, "sig_expire", (long long)e);
	}
	return n;
}

/* The findings of one zone whose servers were asked: a line, its problems below it. */
static void
auth_zone_verdict(const struct auth_result *a, const struct auth_zone *z, time_t now,
		  struct output *out)
{
	size_t i, ref, problems;
	bool have_ref;
	struct finding *line, *c;

	line = finding_add(out, NULL, STATE_OK, FC_AUTH_ZONE,
			   "zone %s: %zu authoritative server address%s", z->name, z->nservers,
			   z->nservers == 1 ? "" : "es");
	finding_subject(line, &(struct finding_subject){.zone = z->name});
	finding_param_int(line, "servers", (long long)z->nservers);
	problems = auth_server_problems(a, z, out, line);
	ref = reference_server(z, &have_ref);
	for (i = 1; have_ref && i < z->nq; i++) {
		problems += auth_data_problems(a, z, ref, i, out, line);
		problems += auth_sig_problems(a, z, i, now, out, line);
	}
	if (z->servers_left_out > 0) {
		c = finding_add(out, line, STATE_WARNING, FC_AUTH_SERVERS_LEFT_OUT,
				"%zu more server addresses not asked (at most %d)",
				z->servers_left_out, AUTH_MAX_SERVERS);
		finding_subject(c, &(struct finding_subject){.zone = z->name});
		finding_param_int(c, "left_out", (long long)z->servers_left_out);
		finding_param_int(c, "max", AUTH_MAX_SERVERS);
	}
	if (problems == 0 && have_ref) {
		c = finding_add(out, line, STATE_OK, FC_AUTH_SERVERS_AGREE,
				"they agree: SOA serial %u and the %zu RRset%s asked (MX, TLSA)",
				auth_answer(z, ref, 0)->soa_serial, z->nq - 1,
				z->nq == 2 ? "" : "s");
		finding_subject(c, &(struct finding_subject){.zone = z->name});
		finding_param_int(c, "soa_serial", auth_answer(z, ref, 0)->soa_serial);
		finding_param_int(c, "rrsets", (long long)(z->nq - 1));
	}
}

void
verdict_auth(const struct auth_result *a, time_t now, struct output *out)
{
	struct finding *f;
	size_t zi;

	for (zi = 0; zi < a->nzones; zi++) {
		const struct auth_zone *z = &a->zones[zi];

		char why[WORDS_DNS_AUTH_ZONE_MAX];

		if (z->problem == AUTH_ZONE_OK) {
			auth_zone_verdict(a, z, now, out);
			continue;
		}
		words_dns_auth_zone(z, why, sizeof(why));
		f = finding_add(out, NULL, STATE_WARNING, FC_AUTH_ZONE_NOT_ASKED,
				"zone %s: its authoritative servers cannot be asked: %s", z->name,
				why);
		finding_subject(f, &(struct finding_subject){.zone = z->name});
	}
	if (a->zones_left_out > 0) {
		f = finding_add(out, NULL, STATE_WARNING, FC_AUTH_ZONES_LEFT_OUT,
				"%zu more zones not asked (at most %d)", a->zones_left_out,
				AUTH_MAX_ZONES);
		finding_param_int(f, "left_out", (long long)a->zones_left_out);
		finding_param_int(f, "max", AUTH_MAX_ZONES);
	}
}
