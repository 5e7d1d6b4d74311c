/*
 * fake_dns.c -- the scripted DNS server of the unit tests (test_dns, test_mx).
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "fake_dns.h"

/* The scripted answer for the question of q, or NULL (secure NODATA). */
static const struct fake_rrset *
zone_find(const struct fake *f, const ldns_rr *question)
{
	char *name = ldns_rdf2str(ldns_rr_owner(question));
	const struct fake_rrset *found = NULL;
	size_t i;

	for (i = 0; name != NULL && i < f->nzone && found == NULL; i++)
		if (f->zone[i].type == ldns_rr_get_type(question) &&
		    strcasecmp(f->zone[i].name, name) == 0)
			found = &f->zone[i];
	free(name);
	return found;
}

/* Push the scripted records of set into the answer section of r. */
static void
zone_push(ldns_pkt *r, const struct fake_rrset *set)
{
	size_t i;

	for (i = 0; set->rrs[i] != NULL; i++) {
		ldns_rr *rr = NULL;

		ck_assert_msg(ldns_rr_new_frm_str(&rr, set->rrs[i], 0, NULL, NULL) ==
				  LDNS_STATUS_OK,
			      "fake zone: cannot parse %s", set->rrs[i]);
		ldns_pkt_push_rr(r, LDNS_SECTION_ANSWER, rr);
	}
}

/* Fill reply r to a question (asked with or without CD) from the zone. */
static void
zone_answer(const struct fake *f, ldns_pkt *r, const ldns_rr *question, bool cd)
{
	const struct fake_rrset *set = zone_find(f, question);
	enum fake_how how = set != NULL ? set->how : FAKE_NODATA_SECURE;

	switch (how) {
	case FAKE_DATA_SECURE:
		ldns_pkt_set_ad(r, true);
		zone_push(r, set);
		break;
	case FAKE_DATA_INSECURE:
		zone_push(r, set);
		break;
	case FAKE_DATA_BOGUS:
		if (cd)
			zone_push(r, set);
		else
			ldns_pkt_set_rcode(r, LDNS_RCODE_SERVFAIL);
		break;
	case FAKE_NODATA_SECURE:
		ldns_pkt_set_ad(r, true);
		break;
	case FAKE_NODATA_INSECURE:
		break;
	case FAKE_NXDOMAIN_SECURE:
		ldns_pkt_set_ad(r, true);
		ldns_pkt_set_rcode(r, LDNS_RCODE_NXDOMAIN);
		break;
	case FAKE_NXDOMAIN_INSECURE:
		ldns_pkt_set_rcode(r, LDNS_RCODE_NXDOMAIN);
		break;
	case FAKE_FAIL:
	default:
		ldns_pkt_set_rcode(r, LDNS_RCODE_SERVFAIL);
		break;
	}
}

/* A reply header for q: same ID and question, QR, RD, RA, CD as asked. */
static ldns_pkt *
reply_to(const ldns_pkt *q)
{
	ldns_pkt *r = ldns_pkt_new();

	ldns_pkt_set_id(r, ldns_pkt_id(q));
	ldns_pkt_set_qr(r, true);
	ldns_pkt_set_rd(r, true);
	ldns_pkt_set_ra(r, true);
	ldns_pkt_set_cd(r, ldns_pkt_cd(q));
	ldns_pkt_push_rr(r, LDNS_SECTION_QUESTION,
			 ldns_rr_clone(ldns_rr_list_rr(ldns_pkt_question(q), 0)));
	return r;
}

/* The zone's reply to q, truncated (TC, no records) over UDP when too big. */
static uint8_t *
zone_reply(struct fake *f, ldns_pkt *q, bool over_tcp, size_t *len)
{
	ldns_pkt *r = reply_to(q);
	uint8_t *wire = NULL;

	zone_answer(f, r, ldns_rr_list_rr(ldns_pkt_question(q), 0), ldns_pkt_cd(q));
	if (ldns_pkt2wire(&wire, r, len) != LDNS_STATUS_OK)
		wire = NULL;
	ldns_pkt_free(r);
	if (wire != NULL && !over_tcp && *len > DNS_EDNS_SIZE) {
		free(wire);
		wire = NULL;
		r = reply_to(q);
		ldns_pkt_set_tc(r, true);
		if (ldns_pkt2wire(&wire, r, len) != LDNS_STATUS_OK)
			wire = NULL;
		ldns_pkt_free(r);
	}
	return wire;
}

/* The reply to query q in the fake's (single) mode; returns wire or NULL. */
static uint8_t *
mode_reply(struct fake *f, ldns_pkt *q, bool over_tcp, size_t *len)
{
	ldns_pkt *r = reply_to(q);
	uint8_t *wire = NULL;
	bool cd = ldns_pkt_cd(q);
	ldns_rr *a = NULL;
	char owner[256], *o;

	o = ldns_rdf2str(ldns_rr_owner(ldns_rr_list_rr(ldns_pkt_question(q), 0)));
	snprintf(owner, sizeof(owner), "%s 300 IN A 192.0.2.7", o);
	free(o);
	ldns_rr_new_frm_str(&a, owner, 0, NULL, NULL);

	switch (f->mode) {
	case FAKE_SECURE:
		ldns_pkt_set_ad(r, true);
		ldns_pkt_push_rr(r, LDNS_SECTION_ANSWER, a);
		a = NULL;
		break;
	case FAKE_INSECURE:
		ldns_pkt_push_rr(r, LDNS_SECTION_ANSWER, a);
		a = NULL;
		break;
	case FAKE_NXDOMAIN:
		ldns_pkt_set_ad(r, true);
		ldns_pkt_set_rcode(r, LDNS_RCODE_NXDOMAIN);
		break;
	case FAKE_NODATA:
		break;
	case FAKE_BOGUS:
		if (cd) {
			ldns_pkt_push_rr(r, LDNS_SECTION_ANSWER, a);
			a = NULL;
		} else {
			ldns_pkt_set_rcode(r, LDNS_RCODE_SERVFAIL);
		}
		break;
	case FAKE_SERVFAIL:
		ldns_pkt_set_rcode(r, LDNS_RCODE_SERVFAIL);
		break;
	case FAKE_REFUSED:
		ldns_pkt_set_rcode(r, LDNS_RCODE_REFUSED);
		break;
	case FAKE_TRUNCATED:
		if (over_tcp) {
			ldns_pkt_set_ad(r, true);
			ldns_pkt_push_rr(r, LDNS_SECTION_ANSWER, a);
			a = NULL;
		} else {
			ldns_pkt_set_tc(r, true);
		}
		break;
	case FAKE_WRONG_ID:
		ldns_pkt_set_id(r, (uint16_t)(ldns_pkt_id(q) + 1));
		ldns_pkt_push_rr(r, LDNS_SECTION_ANSWER, a);
		a = NULL;
		break;
	default:
		break;
	}
	if (a != NULL)
		ldns_rr_free(a);
	if (ldns_pkt2wire(&wire, r, len) != LDNS_STATUS_OK)
		wire = NULL;
	ldns_pkt_free(r);
	return wire;
}

/* Build the reply to query q; returns wire or NULL. */
static uint8_t *
fake_reply(struct fake *f, ldns_pkt *q, bool over_tcp, size_t *len)
{
	if (f->mode == FAKE_ZONE)
		return zone_reply(f, q, over_tcp, len);
	return mode_reply(f, q, over_tcp, len);
}

static void
fake_note(struct fake *f, ldns_pkt *q)
{
	f->queries++;
	f->saw_do = ldns_pkt_edns_do(q);
	f->saw_cd = f->saw_cd || ldns_pkt_cd(q);
	f->edns_size = ldns_pkt_edns_udp_size(q);
}

static void
fake_udp(struct fake *f)
{
	uint8_t buf[4096];
	struct sockaddr_storage from;
	socklen_t fromlen = sizeof(from);
	ssize_t n = recvfrom(f->udp, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fromlen);
	ldns_pkt *q = NULL;
	uint8_t *wire;
	size_t len;

	if (n <= 0 || ldns_wire2pkt(&q, buf, (size_t)n) != LDNS_STATUS_OK)
		return;
	fake_note(f, q);
	if (f->mode == FAKE_SILENT) {
		ldns_pkt_free(q);
		return;
	}
	if (f->mode == FAKE_GARBAGE) {
		static const char junk[] = "220 this is not DNS | at all";

		sendto(f->udp, junk, sizeof(junk) - 1, 0, (struct sockaddr *)&from, fromlen);
		ldns_pkt_free(q);
		return;
	}
	wire = fake_reply(f, q, false, &len);
	if (wire != NULL)
		sendto(f->udp, wire, len, 0, (struct sockaddr *)&from, fromlen);
	free(wire);
	ldns_pkt_free(q);
}

static void
fake_tcp(struct fake *f)
{
	int c = accept(f->tcp, NULL, NULL);
	uint8_t buf[4096], *wire;
	size_t got = 0, need = 2, len;
	ldns_pkt *q = NULL;
	ssize_t n;

	if (c < 0)
		return;
	while (got < need) {
		n = read(c, buf + got, need - got);
		if (n <= 0)
			goto out;
		got += (size_t)n;
		if (got == 2 && need == 2)
			need = 2 + (((size_t)buf[0] << 8) | buf[1]);
	}
	if (ldns_wire2pkt(&q, buf + 2, need - 2) != LDNS_STATUS_OK)
		goto out;
	fake_note(f, q);
	f->tcp_queries++;
	wire = fake_reply(f, q, true, &len);
	if (wire != NULL) {
		uint8_t hdr[2] = {(uint8_t)(len >> 8), (uint8_t)len};

		if (write(c, hdr, 2) == 2 && write(c, wire, len) == (ssize_t)len) {
			/* sent */
		}
		free(wire);
	}
	ldns_pkt_free(q);
out:
	close(c);
}

static void *
fake_main(void *arg)
{
	struct fake *f = arg;

	for (;;) {
		struct pollfd p[3] = {
		    {f->udp, POLLIN, 0}, {f->tcp, POLLIN, 0}, {f->stop[0], POLLIN, 0}};

		if (poll(p, 3, 5000) <= 0 || p[2].revents)
			return NULL;
		if (p[0].revents)
			fake_udp(f);
		if (p[1].revents)
			fake_tcp(f);
	}
}

/* Bind the sockets and start the thread. */
static struct fake *
fake_launch(enum fake_mode mode, const struct fake_rrset *zone, size_t nzone)
{
	struct fake *f = calloc(1, sizeof(*f));
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int one = 1, tries;

	ck_assert_ptr_nonnull(f);
	f->mode = mode;
	f->zone = zone;
	f->nzone = nzone;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* a free UDP port that is free over TCP too: retry while TCP has it taken */
	for (tries = 0;; tries++) {
		sin.sin_port = 0;
		len = sizeof(sin);
		f->udp = socket(AF_INET, SOCK_DGRAM, 0);
		ck_assert_int_eq(bind(f->udp, (struct sockaddr *)&sin, sizeof(sin)), 0);
		ck_assert_int_eq(getsockname(f->udp, (struct sockaddr *)&sin, &len), 0);
		f->port = ntohs(sin.sin_port);
		f->tcp = socket(AF_INET, SOCK_STREAM, 0);
		setsockopt(f->tcp, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(f->tcp, (struct sockaddr *)&sin, sizeof(sin)) == 0)
			break;
		ck_assert_int_lt(tries, 50);
		close(f->udp);
		close(f->tcp);
	}
	ck_assert_int_eq(listen(f->tcp, 8), 0);
	ck_assert_int_eq(pipe(f->stop), 0);
	ck_assert_int_eq(pthread_create(&f->thread, NULL, fake_main, f), 0);
	return f;
}

struct fake *
fake_start(enum fake_mode mode)
{
	return fake_launch(mode, NULL, 0);
}

struct fake *
fake_start_zone(const struct fake_rrset *zone, size_t nzone)
{
	return fake_launch(FAKE_ZONE, zone, nzone);
}

void
fake_stop(struct fake *f)
{
	ck_assert_int_eq(write(f->stop[1], "x", 1), 1);
	pthread_join(f->thread, NULL);
	close(f->udp);
	close(f->tcp);
	close(f->stop[0]);
	close(f->stop[1]);
	free(f);
}

void
fake_add_to(const struct fake *f, struct dns_resolver *res)
{
	char spec[64], err[128];

	snprintf(spec, sizeof(spec), "127.0.0.1@%u", f->port);
	ck_assert_msg(dns_resolver_add(res, spec, 53, err, sizeof(err)) == 0, "%s", err);
}
