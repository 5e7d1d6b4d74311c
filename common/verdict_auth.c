/*
 * verdict_auth.c -- the verdicts on the authoritative servers of the zones of
 * the MX and TLSA records (-A): do they all serve the same data?
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expiry.h"
#include "verdict_auth.h"

/* "TLSA RRset at _25._tcp.mx.example.org." for a question. */
static const char *
question_text(const struct auth_question *q, char *dst, size_t dstsize)
{
	char *type = ldns_rr_type2str(q->type);

	snprintf(dst, dstsize, "%s RRset at %s", type != NULL ? type : "?", q->name);
	free(type);
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

/* The first answer of server s that is no authoritative answer, or NULL. */
static const struct auth_answer *
server_failure(const struct auth_zone *z, size_t s)
{
	size_t i;

	for (i = 0; i < z->nq; i++)
		if (auth_answer(z, s, i)->status != AUTH_OK)
			return auth_answer(z, s, i);
	return NULL;
}

/* The server the others are compared with: the highest SOA serial, the first of them. */
static size_t
reference_server(const struct auth_zone *z, bool *found)
{
	size_t s, ref = 0;

	*found = false;
	for (s = 0; s < z->nservers; s++) {
		const struct auth_answer *soa = auth_answer(z, s, 0);

		if (server_failure(z, s) != NULL || !soa->has_serial)
			continue;
		if (!*found || soa->soa_serial > auth_answer(z, ref, 0)->soa_serial)
			ref = s;
		*found = true;
	}
	return ref;
}

/* Servers that do not answer as an authority: WARNING each. Returns how many. */
static size_t
auth_server_problems(const struct auth_result *a, const struct auth_zone *z, struct output *out,
		     struct output_check *line)
{
	static const char *const what[] = {"", "no answer", "refuses the zone",
					   "answers without authority", "fails"};
	char srv[MX_NAME_MAX + 100];
	size_t s, n = 0;

	for (s = 0; s < z->nservers; s++) {
		const struct auth_answer *f = server_failure(z, s);

		if (f == NULL)
			continue;
		n++;
		output_add(out, line, STATE_WARNING, "%s: %s: %s",
			   server_text(a, z, s, srv, sizeof(srv)), what[f->status], f->detail);
	}
	return n;
}

/* Question i: every server whose data differ from the reference's. Returns how many. */
static size_t
auth_data_problems(const struct auth_result *a, const struct auth_zone *z, size_t ref, size_t i,
		   struct output *out, struct output_check *line)
{
	char srv[MX_NAME_MAX + 100], rsrv[MX_NAME_MAX + 100], qt[MX_NAME_MAX + 64];
	const struct auth_answer *r = auth_answer(z, ref, i);
	uint32_t top = auth_answer(z, ref, 0)->soa_serial;
	struct auth_diff d;
	size_t s, n = 0;

	question_text(&z->q[i], qt, sizeof(qt));
	server_text(a, z, ref, rsrv, sizeof(rsrv));
	for (s = 0; s < z->nservers; s++) {
		const struct auth_answer *o = auth_answer(z, s, i), *soa = auth_answer(z, s, 0);
		bool stale = soa->has_serial && soa->soa_serial < top;

		if (s == ref || server_failure(z, s) != NULL)
			continue;
		server_text(a, z, s, srv, sizeof(srv));
		if (auth_rrset_diff(r->rrs, o->rrs, &d)) {
			n++;
			output_add(
			    out, line, STATE_CRITICAL,
			    "%s %s %s%s%s%s%s, compared with %s%s: resolvers that ask it "
			    "hand senders %s data",
			    srv, stale ? "is stale: its" : "serves another", qt,
			    d.lacks ? " lacks " : "", d.lacks ? d.lacks_text : "",
			    d.extra ? (d.lacks ? " and has in addition " : " has in addition ")
				    : "",
			    d.extra ? d.extra_text : "", rsrv,
			    stale || !soa->has_serial
				? ""
				: " (the same SOA serial: the zone changed without a new serial?)",
			    stale ? "stale" : "other");
		} else if (d.ttl_differs) {
			output_add(out, line, STATE_OK,
				   "%s serves the %s with TTL %u, %s with TTL %u", srv, qt,
				   d.ttl_other, rsrv, d.ttl_ref);
		}
	}
	return n;
}

/* Question i: signatures expired, or well before the others'. Returns how many. */
static size_t
auth_sig_problems(const struct auth_result *a, const struct auth_zone *z, size_t i, time_t now,
		  struct output *out, struct output_check *line)
{
	char srv[MX_NAME_MAX + 100], qt[MX_NAME_MAX + 64], d1[32], d2[32];
	time_t latest = 0;
	size_t s, n = 0;

	for (s = 0; s < z->nservers; s++)
		if (server_failure(z, s) == NULL && auth_answer(z, s, i)->sig_expire > latest)
			latest = auth_answer(z, s, i)->sig_expire;
	question_text(&z->q[i], qt, sizeof(qt));
	for (s = 0; s < z->nservers; s++) {
		time_t e = auth_answer(z, s, i)->sig_expire;

		if (server_failure(z, s) != NULL || e == 0)
			continue;
		server_text(a, z, s, srv, sizeof(srv));
		expiry_format_date(e, true, d1, sizeof(d1));
		if (e <= now) {
			n++;
			output_add(out, line, STATE_WARNING,
				   "%s serves expired signatures on the %s (expired %s)", srv, qt,
				   d1);
		} else if (latest - e > AUTH_SIG_LAG) {
			n++;
			output_add(out, line, STATE_WARNING,
				   "%s: its signatures on the %s expire %s, %.1f days before the "
				   "others' (%s): a stale copy of the zone?",
				   srv, qt, d1, difftime(latest, e) / 86400.0,
				   expiry_format_date(latest, true, d2, sizeof(d2)));
		}
	}
	return n;
}

void
verdict_auth(const struct auth_result *a, time_t now, struct output *out)
{
	size_t zi, i, ref, problems;
	bool have_ref;

	for (zi = 0; zi < a->nzones; zi++) {
		const struct auth_zone *z = &a->zones[zi];
		struct output_check *line;

		if (z->error[0] != '\0') {
			output_add(out, NULL, STATE_WARNING,
				   "zone %s: its authoritative servers cannot be asked: %s",
				   z->name, z->error);
			continue;
		}
		line =
		    output_add(out, NULL, STATE_OK, "zone %s: %zu authoritative server address%s",
			       z->name, z->nservers, z->nservers == 1 ? "" : "es");
		problems = auth_server_problems(a, z, out, line);
		ref = reference_server(z, &have_ref);
		for (i = 1; have_ref && i < z->nq; i++) {
			problems += auth_data_problems(a, z, ref, i, out, line);
			problems += auth_sig_problems(a, z, i, now, out, line);
		}
		if (z->servers_left_out > 0)
			output_add(out, line, STATE_WARNING,
				   "%zu more server addresses not asked (at most %d)",
				   z->servers_left_out, AUTH_MAX_SERVERS);
		if (problems == 0 && have_ref)
			output_add(out, line, STATE_OK,
				   "they agree: SOA serial %u and the %zu RRset%s asked (MX, TLSA)",
				   auth_answer(z, ref, 0)->soa_serial, z->nq - 1,
				   z->nq == 2 ? "" : "s");
	}
	if (a->zones_left_out > 0)
		output_add(out, NULL, STATE_WARNING, "%zu more zones not asked (at most %d)",
			   a->zones_left_out, AUTH_MAX_ZONES);
}
