/*
 * dns_exchange.c -- one query's exchange with the resolvers: UDP to the
 * servers in turn with retransmission, TCP on truncation, a CD re-query on
 * SERVFAIL, and the classification of the final answer.
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "dns_exchange.h"
#include "netio.h"

/* Wait before sending a query again (to the next server), in ms. */
#define DNS_RETRANSMIT_MS 1000

/* (Re)build the wire query for s with a fresh ID. */
static int
build_wire(struct dns_exchange *s)
{
	ldns_rdf *dname = NULL;
	ldns_pkt *pkt;
	ldns_status st;
	uint16_t id;

	free(s->wire);
	s->wire = NULL;
	if (getrandom(&id, sizeof(id), 0) != sizeof(id))
		id = (uint16_t)(deadline_now_ms() ^ getpid());
	s->id = id;
	if (ldns_str2rdf_dname(&dname, s->q->name) != LDNS_STATUS_OK || dname == NULL)
		return -1;
	pkt = ldns_pkt_query_new(dname, s->q->type, LDNS_RR_CLASS_IN,
				 s->q->authoritative ? 0 : LDNS_RD);
	if (pkt == NULL)
		return -1;
	ldns_pkt_set_id(pkt, s->id);
	ldns_pkt_set_edns_udp_size(pkt, DNS_EDNS_SIZE);
	ldns_pkt_set_edns_do(pkt, true);
	ldns_pkt_set_cd(pkt, s->cd);
	st = ldns_pkt2wire(&s->wire, pkt, &s->wirelen);
	ldns_pkt_free(pkt);
	return st == LDNS_STATUS_OK ? 0 : -1;
}

/* Close every socket of s. */
static void
close_fds(struct dns_exchange *s)
{
	size_t i;

	for (i = 0; i < DNS_MAX_SERVERS; i++) {
		if (s->udp_fd[i] >= 0)
			close(s->udp_fd[i]);
		s->udp_fd[i] = -1;
	}
	if (s->tcp_fd >= 0)
		close(s->tcp_fd);
	s->tcp_fd = -1;
}

void
dns_exchange_fail(struct dns_exchange *s, enum dns_error err, const struct dns_failure *f)
{
	dns_answer_fail(&s->q->answer, err, f);
	s->phase = DNS_EXCHANGE_DONE;
	close_fds(s);
}

/* End the exchange with an error of the given kind that has no other facts. */
static void
fail_kind(struct dns_exchange *s, enum dns_error err, enum dns_fail kind)
{
	dns_exchange_fail(s, err, &(struct dns_failure){.kind = kind});
}

/* End the exchange with an error of the given kind, from errno value sys. */
static void
fail_sys(struct dns_exchange *s, enum dns_error err, enum dns_fail kind, int sys)
{
	dns_exchange_fail(s, err, &(struct dns_failure){.kind = kind, .sys = sys});
}

/* Has s given up on every server? */
static bool
all_dead(const struct dns_exchange *s, size_t nservers)
{
	size_t i;

	for (i = 0; i < nservers; i++)
		if (!s->dead[i])
			return false;
	return true;
}

/* Give up on server i for this query (err, f: why); end the query if none is
 * left, with the facts of this last one. */
static void
server_dead(struct dns_exchange *s, const struct dns_resolver *res, size_t i, enum dns_error err,
	    const struct dns_failure *f)
{
	s->dead[i] = true;
	s->q->answer.server = (int)i;
	if (s->udp_fd[i] >= 0) {
		close(s->udp_fd[i]);
		s->udp_fd[i] = -1;
	}
	if (all_dead(s, res->nservers))
		dns_exchange_fail(s, err, f);
}

/* Give up on server i after a socket call failed with errno value sys. */
static void
server_dead_sys(struct dns_exchange *s, const struct dns_resolver *res, size_t i,
		enum dns_fail kind, int sys)
{
	server_dead(s, res, i, DNS_ERR_UNREACHABLE,
		    &(struct dns_failure){.kind = kind, .sys = sys});
}

/* A non-blocking socket of the given type, connected (or connecting) to srv.
 * Returns the descriptor, or -1 with errno. */
static int
open_socket(const struct dns_server *srv, int type)
{
	struct netio_error e;
	int fd = -1;

	if (netio_connect_start((const struct sockaddr *)&srv->addr, srv->addrlen, type, &fd, &e) ==
		NETIO_OK ||
	    e.status == NETIO_WANT_WRITE)
		return fd;
	errno = e.sys;
	return -1;
}

void
dns_exchange_udp_send(struct dns_exchange *s, const struct dns_resolver *res, long long t)
{
	size_t tries, i;

	for (tries = 0; tries < res->nservers; tries++) {
		i = s->sends % res->nservers;
		s->sends++;
		if (s->dead[i])
			continue;
		if (s->udp_fd[i] < 0) {
			s->udp_fd[i] = open_socket(&res->servers[i], SOCK_DGRAM);
			if (s->udp_fd[i] < 0) {
				server_dead_sys(s, res, i, DNS_FAIL_SEND, errno);
				if (s->phase == DNS_EXCHANGE_DONE)
					return;
				continue;
			}
		}
		if (send(s->udp_fd[i], s->wire, s->wirelen, 0) < 0) {
			server_dead_sys(s, res, i, DNS_FAIL_SEND, errno);
			if (s->phase == DNS_EXCHANGE_DONE)
				return;
			continue;
		}
		break;
	}
	if (s->first_send < 0) {
		s->first_send = t;
		s->first_send_at = deadline_now();
	}
	/* after one round over all servers, wait longer */
	s->next_send = t + (s->sends <= res->nservers ? DNS_RETRANSMIT_MS : 2 * DNS_RETRANSMIT_MS);
}

void
dns_exchange_start(struct dns_exchange *s, const struct dns_resolver *res, struct dns_query *q,
		   long long t)
{
	size_t j;

	s->q = q;
	s->tcp_fd = -1;
	s->first_send = -1;
	s->first_rcode = -1;
	for (j = 0; j < DNS_MAX_SERVERS; j++)
		s->udp_fd[j] = -1;
	s->cd = q->cd;
	q->answer.qtype = q->type;
	if (q->server >= (int)res->nservers) {
		fail_kind(s, DNS_ERR_LOCAL, DNS_FAIL_NO_SUCH_SERVER);
		return;
	}
	for (j = 0; q->server >= 0 && j < res->nservers; j++)
		s->dead[j] = (int)j != q->server;
	s->sends = q->server >= 0 ? (unsigned int)q->server : 0;
	q->answer.error = DNS_ERR_NONE;
	memset(&q->answer.fail, 0, sizeof(q->answer.fail));
	if (build_wire(s) != 0) {
		struct dns_failure f = {.kind = DNS_FAIL_QUERY_NAME};

		snprintf(f.name, sizeof(f.name), "%.100s", q->name);
		dns_exchange_fail(s, DNS_ERR_LOCAL, &f);
		return;
	}
	s->phase = DNS_EXCHANGE_UDP;
	dns_exchange_udp_send(s, res, t);
}

/* Does this reply belong to our current question? */
static bool
reply_matches(const struct dns_exchange *s, const ldns_pkt *pkt)
{
	ldns_rr_list *qs;
	ldns_rr *qrr;
	ldns_rdf *want = NULL;
	bool ok;

	if (ldns_pkt_id(pkt) != s->id || !ldns_pkt_qr(pkt))
		return false;
	qs = ldns_pkt_question(pkt);
	if (qs == NULL || ldns_rr_list_rr_count(qs) == 0)
		/* some servers drop the question in error replies */
		return ldns_pkt_get_rcode(pkt) != LDNS_RCODE_NOERROR;
	if (ldns_rr_list_rr_count(qs) != 1)
		return false;
	qrr = ldns_rr_list_rr(qs, 0);
	if (ldns_rr_get_type(qrr) != s->q->type)
		return false;
	if (ldns_str2rdf_dname(&want, s->q->name) != LDNS_STATUS_OK)
		return false;
	ok = ldns_dname_compare(ldns_rr_owner(qrr), want) == 0;
	ldns_rdf_deep_free(want);
	return ok;
}

/* Start the TCP fallback to server i. */
static void
tcp_start(struct dns_exchange *s, const struct dns_resolver *res, int i)
{
	s->tcp_fd = open_socket(&res->servers[i], SOCK_STREAM);
	if (s->tcp_fd < 0) {
		fail_sys(s, DNS_ERR_UNREACHABLE, DNS_FAIL_TCP_CONNECT, errno);
		return;
	}
	s->tcp_server = i;
	s->phase = DNS_EXCHANGE_TCP_CONNECT;
	free(s->tcp_buf);
	s->tcp_buf = malloc(2 + s->wirelen);
	if (s->tcp_buf == NULL) {
		fail_kind(s, DNS_ERR_LOCAL, DNS_FAIL_MEMORY);
		return;
	}
	s->tcp_buf[0] = (uint8_t)(s->wirelen >> 8);
	s->tcp_buf[1] = (uint8_t)(s->wirelen & 0xff);
	memcpy(s->tcp_buf + 2, s->wire, s->wirelen);
	s->tcp_done = 0;
	s->tcp_need = 2 + s->wirelen;
}

/* SERVFAIL: without CD, ask again with CD (the same server first) to tell
 * bogus data from a server failure; with CD, the resolver failed. Frees pkt. */
static void
reply_servfail(struct dns_exchange *s, const struct dns_resolver *res, int server, ldns_pkt *pkt,
	       long long t)
{
	ldns_pkt_free(pkt);
	if (s->q->authoritative || s->cd) {
		dns_exchange_fail(s, DNS_ERR_SERVFAIL,
				  &(struct dns_failure){.kind = DNS_FAIL_SERVFAIL,
							.rcode = LDNS_RCODE_SERVFAIL,
							.cd_retry = s->cd_retry,
							.authoritative = s->q->authoritative});
		return;
	}
	close_fds(s);
	s->cd = true;
	s->cd_retry = true;
	s->phase = DNS_EXCHANGE_UDP;
	s->sends = (unsigned int)server; /* same server first */
	if (build_wire(s) != 0) {
		fail_kind(s, DNS_ERR_LOCAL, DNS_FAIL_BUILD);
		return;
	}
	dns_exchange_udp_send(s, res, t);
}

/* REFUSED or another error rcode: give up on this server, ask the next one
 * now. Frees pkt. */
static void
reply_rcode_error(struct dns_exchange *s, const struct dns_resolver *res, int server, ldns_pkt *pkt,
		  bool over_tcp, long long t)
{
	int rcode = ldns_pkt_get_rcode(pkt);
	struct dns_failure f = {
	    .kind = DNS_FAIL_RCODE, .rcode = rcode, .authoritative = s->q->authoritative};

	ldns_pkt_free(pkt);
	if (over_tcp) {
		close(s->tcp_fd);
		s->tcp_fd = -1;
		s->phase = DNS_EXCHANGE_UDP;
	}
	server_dead(s, res, (size_t)server,
		    rcode == LDNS_RCODE_REFUSED ? DNS_ERR_REFUSED : DNS_ERR_RCODE, &f);
	if (s->phase != DNS_EXCHANGE_DONE)
		dns_exchange_udp_send(s, res, t);
}

/* NOERROR or NXDOMAIN: the final answer; classify it. Takes pkt. */
static void
reply_classify(struct dns_exchange *s, ldns_pkt *pkt)
{
	struct dns_answer *a = &s->q->answer;

	a->pkt = pkt;
	a->secure = ldns_pkt_ad(pkt);
	a->aa = ldns_pkt_aa(pkt);
	if (s->cd_retry) {
		/* SERVFAIL without CD, an answer with CD: the data is bogus. */
		a->cls = DNS_BOGUS;
		a->secure = false;
	} else if (ldns_pkt_get_rcode(pkt) == LDNS_RCODE_NXDOMAIN) {
		a->cls = DNS_NONEXISTENT;
		a->nxdomain = true;
	} else {
		ldns_rr_list *rrs = dns_answer_rrs(a, s->q->type);

		if (rrs != NULL) {
			a->cls = a->secure ? DNS_SECURE : DNS_INSECURE;
			ldns_rr_list_deep_free(rrs);
		} else {
			a->cls = DNS_NONEXISTENT;
		}
	}
	s->phase = DNS_EXCHANGE_DONE;
	close_fds(s);
}

/* A reply that parsed and matched: classify it, or go on (TC, CD retry,
 * next server). Takes pkt. */
static void
handle_reply(struct dns_exchange *s, const struct dns_resolver *res, int server, ldns_pkt *pkt,
	     bool over_tcp, long long t)
{
	struct dns_answer *a = &s->q->answer;
	int rcode = ldns_pkt_get_rcode(pkt);
	struct dns_ede_list ede;

	/* keep the EDE of the reply that said what went wrong (the SERVFAIL before a CD retry) */
	if (dns_ede_from_pkt(pkt, &ede) > 0 || ede.malformed)
		a->ede = ede;
	if (ldns_pkt_tc(pkt) && !over_tcp) {
		ldns_pkt_free(pkt);
		close_fds(s);
		tcp_start(s, res, server);
		return;
	}
	if (s->first_rcode < 0)
		s->first_rcode = rcode;
	a->rcode = s->first_rcode;
	a->server = server;
	a->tcp = over_tcp;
	a->rtt = deadline_now() - s->first_send_at;
	if (rcode == LDNS_RCODE_SERVFAIL)
		reply_servfail(s, res, server, pkt, t);
	else if (rcode != LDNS_RCODE_NOERROR && rcode != LDNS_RCODE_NXDOMAIN)
		reply_rcode_error(s, res, server, pkt, over_tcp, t);
	else
		reply_classify(s, pkt);
}

/* Parse a received message; garbage marks the server as bad. */
static void
handle_message(struct dns_exchange *s, const struct dns_resolver *res, int server,
	       const uint8_t *buf, size_t len, bool over_tcp, long long t)
{
	ldns_pkt *pkt = NULL;

	if (ldns_wire2pkt(&pkt, buf, len) != LDNS_STATUS_OK || pkt == NULL) {
		if (over_tcp) {
			dns_exchange_fail(
			    s, DNS_ERR_MALFORMED,
			    &(struct dns_failure){.kind = DNS_FAIL_MALFORMED, .tcp = true});
			return;
		}
		server_dead(s, res, (size_t)server, DNS_ERR_MALFORMED,
			    &(struct dns_failure){.kind = DNS_FAIL_MALFORMED});
		return;
	}
	if (!reply_matches(s, pkt)) {
		ldns_pkt_free(pkt);
		if (over_tcp)
			fail_kind(s, DNS_ERR_MALFORMED, DNS_FAIL_MISMATCH);
		return; /* a stray or spoofed UDP datagram: ignore it */
	}
	handle_reply(s, res, server, pkt, over_tcp, t);
}

/* A UDP socket is readable: take one datagram from server i. */
static void
udp_read(struct dns_exchange *s, const struct dns_resolver *res, size_t i, uint8_t *buf,
	 long long t)
{
	ssize_t n = recv(s->udp_fd[i], buf, DNS_MSG_MAX, 0);

	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return;
		server_dead_sys(s, res, i, DNS_FAIL_RECV, errno);
		return;
	}
	handle_message(s, res, (int)i, buf, (size_t)n, false, t);
}

/* DNS_EXCHANGE_TCP_CONNECT, writable: did the connection succeed? Returns true if so
 * (the query is then in DNS_EXCHANGE_TCP_WRITE). */
static bool
tcp_connected(struct dns_exchange *s)
{
	struct netio_error e;

	if (netio_connect_finish(s->tcp_fd, &e) != NETIO_OK) {
		fail_sys(s, DNS_ERR_UNREACHABLE, DNS_FAIL_TCP_CONNECT, e.sys);
		return false;
	}
	s->phase = DNS_EXCHANGE_TCP_WRITE;
	return true;
}

/* DNS_EXCHANGE_TCP_WRITE: send more of the length-prefixed query; once it is all
 * sent, make room for the answer and go on to DNS_EXCHANGE_TCP_READ. */
static void
tcp_write(struct dns_exchange *s)
{
	struct netio_error e;
	size_t n = 0;

	switch (netio_write_step(s->tcp_fd, NULL, s->tcp_buf + s->tcp_done,
				 s->tcp_need - s->tcp_done, &n, &e)) {
	case NETIO_OK:
		break;
	case NETIO_WANT_WRITE:
		return;
	default:
		fail_sys(s, DNS_ERR_UNREACHABLE, DNS_FAIL_TCP_IO, e.sys);
		return;
	}
	s->tcp_done += n;
	if (s->tcp_done < s->tcp_need)
		return;
	/* now read the 2-byte length */
	free(s->tcp_buf);
	s->tcp_buf = malloc(2 + DNS_MSG_MAX);
	if (s->tcp_buf == NULL) {
		fail_kind(s, DNS_ERR_LOCAL, DNS_FAIL_MEMORY);
		return;
	}
	s->tcp_done = 0;
	s->tcp_need = 2;
	s->phase = DNS_EXCHANGE_TCP_READ;
}

/* DNS_EXCHANGE_TCP_READ, readable: read more of the length-prefixed answer; a whole
 * one goes to handle_message(). */
static void
tcp_read(struct dns_exchange *s, const struct dns_resolver *res, long long t)
{
	struct netio_error e;
	size_t n = 0;

	switch (netio_read_step(s->tcp_fd, NULL, s->tcp_buf + s->tcp_done,
				s->tcp_need - s->tcp_done, &n, &e)) {
	case NETIO_OK:
		break;
	case NETIO_WANT_READ:
		return;
	case NETIO_CLOSED:
		fail_kind(s, DNS_ERR_MALFORMED, DNS_FAIL_TCP_CLOSED);
		return;
	default:
		fail_sys(s, DNS_ERR_UNREACHABLE, DNS_FAIL_TCP_IO, e.sys);
		return;
	}
	s->tcp_done += n;
	if (s->tcp_done == 2 && s->tcp_need == 2) {
		size_t len = ((size_t)s->tcp_buf[0] << 8) | s->tcp_buf[1];

		if (len < 12) {
			fail_kind(s, DNS_ERR_MALFORMED, DNS_FAIL_TCP_SHORT);
			return;
		}
		s->tcp_need = 2 + len;
	}
	if (s->tcp_done == s->tcp_need && s->tcp_need > 2)
		handle_message(s, res, s->tcp_server, s->tcp_buf + 2, s->tcp_need - 2, true, t);
}

/* The TCP connection of s is ready (revents): one step of the fallback. */
static void
tcp_io(struct dns_exchange *s, const struct dns_resolver *res, short revents, long long t)
{
	if (s->phase == DNS_EXCHANGE_TCP_CONNECT && !tcp_connected(s))
		return;
	if (s->phase == DNS_EXCHANGE_TCP_WRITE) {
		tcp_write(s);
		return;
	}
	if (s->phase == DNS_EXCHANGE_TCP_READ && (revents & (POLLIN | POLLHUP | POLLERR)))
		tcp_read(s, res, t);
}

void
dns_exchange_ready(struct dns_exchange *s, const struct dns_resolver *res, int server, int fd,
		   short revents, uint8_t *buf, long long t)
{
	if (s->phase == DNS_EXCHANGE_DONE)
		return;
	if (server >= 0) {
		if (s->phase == DNS_EXCHANGE_UDP && s->udp_fd[server] == fd)
			udp_read(s, res, (size_t)server, buf, t);
	} else if (s->tcp_fd == fd) {
		tcp_io(s, res, revents, t);
	}
}

void
dns_exchange_clear(struct dns_exchange *s)
{
	close_fds(s);
	free(s->wire);
	s->wire = NULL;
	free(s->tcp_buf);
	s->tcp_buf = NULL;
}
