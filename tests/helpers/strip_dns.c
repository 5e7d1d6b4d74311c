/*
 * strip_dns -- a forwarding "resolver" that strips DNSSEC data: it relays each
 * UDP query to an upstream resolver and returns the answer without its RRSIG
 * records, as old home routers and some forwarders do.
 *
 * Usage: strip_dns ADDR UPSTREAM_ADDR UPSTREAM_PORT LIFETIME_SECONDS
 * Binds ADDR on an ephemeral UDP port, prints the port on stdout, then relays
 * one query at a time (each waits at most 2 s for the upstream) until
 * LIFETIME_SECONDS have passed. UDP only: an answer that would not fit is
 * sent truncated by the upstream and relayed so.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <ldns/ldns.h>

/* Parse ADDR and PORT into ss; returns its length, 0 when ADDR is no IP literal. */
static socklen_t
make_addr(const char *addr, int port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &((struct sockaddr_in *)ss)->sin_addr) == 1) {
		ss->ss_family = AF_INET;
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
		return sizeof(struct sockaddr_in);
	}
	if (inet_pton(AF_INET6, addr, &((struct sockaddr_in6 *)ss)->sin6_addr) == 1) {
		ss->ss_family = AF_INET6;
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
		return sizeof(struct sockaddr_in6);
	}
	return 0;
}

/* A copy of rrs without its RRSIG records (NULL when out of memory). */
static ldns_rr_list *
without_rrsigs(const ldns_rr_list *rrs)
{
	ldns_rr_list *out = ldns_rr_list_new();
	size_t i;

	for (i = 0; out != NULL && rrs != NULL && i < ldns_rr_list_rr_count(rrs); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(rrs, i);

		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_RRSIG)
			ldns_rr_list_push_rr(out, ldns_rr_clone(rr));
	}
	return out;
}

/* The upstream's answer (len bytes in buf) without RRSIGs, into *wire; 0 or -1. */
static int
strip(const uint8_t *buf, size_t len, uint8_t **wire, size_t *wirelen)
{
	ldns_pkt *pkt = NULL;
	ldns_rr_list *an, *ns, *ar;
	ldns_status st;

	if (ldns_wire2pkt(&pkt, buf, len) != LDNS_STATUS_OK)
		return -1;
	an = without_rrsigs(ldns_pkt_answer(pkt));
	ns = without_rrsigs(ldns_pkt_authority(pkt));
	ar = without_rrsigs(ldns_pkt_additional(pkt));
	ldns_rr_list_deep_free(ldns_pkt_answer(pkt));
	ldns_rr_list_deep_free(ldns_pkt_authority(pkt));
	ldns_rr_list_deep_free(ldns_pkt_additional(pkt));
	ldns_pkt_set_answer(pkt, an);
	ldns_pkt_set_authority(pkt, ns);
	ldns_pkt_set_additional(pkt, ar);
	ldns_pkt_set_ancount(pkt, ldns_rr_list_rr_count(an));
	ldns_pkt_set_nscount(pkt, ldns_rr_list_rr_count(ns));
	ldns_pkt_set_arcount(pkt, ldns_rr_list_rr_count(ar));
	st = ldns_pkt2wire(wire, pkt, wirelen);
	ldns_pkt_free(pkt);
	return st == LDNS_STATUS_OK ? 0 : -1;
}

/* Relay one query (len bytes in buf) to the upstream; the stripped answer goes back to peer. */
static void
relay(int fd, const struct sockaddr_storage *up, socklen_t uplen, uint8_t *buf, size_t len,
      const struct sockaddr_storage *peer, socklen_t peerlen)
{
	int u = socket(up->ss_family, SOCK_DGRAM, 0);
	struct pollfd p = {u, POLLIN, 0};
	uint8_t *wire = NULL;
	size_t wirelen = 0;
	ssize_t n;

	if (u < 0)
		return;
	if (connect(u, (const struct sockaddr *)up, uplen) != 0 || send(u, buf, len, 0) < 0 ||
	    poll(&p, 1, 2000) <= 0 || (n = recv(u, buf, 65535, 0)) < 12) {
		close(u);
		return;
	}
	close(u);
	if (strip(buf, (size_t)n, &wire, &wirelen) == 0)
		(void)sendto(fd, wire, wirelen, 0, (const struct sockaddr *)peer, peerlen);
	free(wire);
}

int
main(int argc, char **argv)
{
	struct sockaddr_storage ss, up, peer;
	socklen_t len, uplen, peerlen;
	static uint8_t buf[65536];
	int fd;
	time_t end;

	if (argc != 5) {
		fprintf(stderr,
			"usage: strip_dns ADDR UPSTREAM_ADDR UPSTREAM_PORT LIFETIME_SECONDS\n");
		return 2;
	}
	len = make_addr(argv[1], 0, &ss);
	uplen = make_addr(argv[2], atoi(argv[3]), &up);
	if (len == 0 || uplen == 0) {
		fprintf(stderr, "strip_dns: bad address\n");
		return 2;
	}
	fd = socket(ss.ss_family, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&ss, len) != 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &len) != 0) {
		perror("strip_dns: bind");
		return 2;
	}
	printf("%u\n", ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
						     : ((struct sockaddr_in6 *)&ss)->sin6_port));
	fflush(stdout);
	end = time(NULL) + atoi(argv[4]);
	while (time(NULL) < end) {
		struct pollfd p = {fd, POLLIN, 0};
		ssize_t n;

		if (poll(&p, 1, 200) <= 0)
			continue;
		peerlen = sizeof(peer);
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&peer, &peerlen);
		if (n >= 12)
			relay(fd, &up, uplen, buf, (size_t)n, &peer, peerlen);
	}
	return 0;
}
