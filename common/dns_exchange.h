/*
 * dns_exchange.h -- one query's exchange with the resolvers, as a state
 * machine that the query engine's poll loop (dns.c) drives.
 *
 * An exchange sends the query over UDP to the servers in turn (with
 * retransmission), falls back to TCP when the answer is truncated, asks
 * again with CD after SERVFAIL, gives up on a server that refuses, is
 * unreachable or sends garbage, and classifies the final answer into the
 * query's struct dns_answer. It never blocks: the engine polls its sockets
 * and hands over what is ready. Private to the engine; callers use dns.h.
 *
 * Times are milliseconds since the batch started. The exchange owns its
 * sockets and buffers (dns_exchange_clear()); the answer's packet goes to the
 * query's answer, which the caller frees with dns_answer_clear().
 */
#ifndef DANE_DNS_EXCHANGE_H
#define DANE_DNS_EXCHANGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dns.h"

/** Largest DNS message over UDP or TCP. */
#define DNS_MSG_MAX 65535

/** Where an exchange is. */
enum dns_exchange_phase {
	DNS_EXCHANGE_UDP,         /* sent over UDP, waiting (and retransmitting) */
	DNS_EXCHANGE_TCP_CONNECT, /* truncated: connecting over TCP */
	DNS_EXCHANGE_TCP_WRITE,
	DNS_EXCHANGE_TCP_READ,
	DNS_EXCHANGE_DONE, /* the answer is final */
};

/** The state of one query of a batch. */
struct dns_exchange {
	struct dns_query *q;
	enum dns_exchange_phase phase;
	bool cd;       /* the current message has CD */
	bool cd_retry; /* this is the CD re-query after a SERVFAIL */
	uint16_t id;
	uint8_t *wire;
	size_t wirelen;
	int udp_fd[DNS_MAX_SERVERS];
	bool dead[DNS_MAX_SERVERS]; /* server gave up on: refused, unreachable, garbage */
	unsigned int sends;
	long long next_send; /* ms since batch start */
	long long first_send;
	double first_send_at; /* deadline_now() of the first send: rtt in microseconds */
	int first_rcode;
	/* TCP */
	int tcp_fd;
	int tcp_server;
	uint8_t *tcp_buf;
	size_t tcp_done, tcp_need;
};

/**
 * Start the exchange s (zeroed) for query q: its servers, its first message
 * over UDP at time t (ms of the batch); or its end (DNS_ERR_LOCAL) when q
 * cannot be asked.
 */
void dns_exchange_start(struct dns_exchange *s, const struct dns_resolver *res, struct dns_query *q,
			long long t);

/**
 * Send the query (again) over UDP to the next live server at time t, and
 * set the time of the next retransmission. Ends the exchange when no server
 * is left.
 */
void dns_exchange_udp_send(struct dns_exchange *s, const struct dns_resolver *res, long long t);

/**
 * A socket of s that poll() found ready at time t: fd is the UDP socket of
 * servers[server], or the TCP connection when server is -1; revents as poll()
 * says. buf has room for DNS_MSG_MAX bytes (a UDP reply). A socket that s no
 * longer uses is ignored.
 */
void dns_exchange_ready(struct dns_exchange *s, const struct dns_resolver *res, int server, int fd,
			short revents, uint8_t *buf, long long t);

/** End the exchange with an error and the facts f of why; closes its sockets. */
void dns_exchange_fail(struct dns_exchange *s, enum dns_error err, const struct dns_failure *f);

/** Close the sockets and free the buffers of s (not s itself, not the answer). */
void dns_exchange_clear(struct dns_exchange *s);

#endif /* DANE_DNS_EXCHANGE_H */
