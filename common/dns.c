/*
 * dns.c -- the query engine: a batch of DNS queries under one deadline.
 *
 * Every query is an exchange (dns_exchange.*); one poll loop drives them all:
 * start every exchange, then round after round build the poll set (sending
 * over UDP what is due), wait for the first socket or retransmission, and
 * dispatch what is ready, until no query is pending or the deadline passes.
 * With --validate=local (res->validator) the batch goes to libunbound instead
 * (dns_validator.c), with the same answers.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"
#include "netio.h"
#include "dns_exchange.h"
#include "dns_validator.h"

/* File descriptors kept free for everything else. */
#define DNS_FD_RESERVE 8

/* One entry of the poll set: which query, and which of its sockets. */
struct pollmap {
	size_t q;
	int server; /* index of the UDP socket's server; -1: the TCP connection */
};

/* A running batch: the queries' states, and the poll set of this round. */
struct batch {
	const struct dns_resolver *res;
	struct deadline *dl;
	struct dns_query *queries;
	struct dns_exchange *st; /* n states, one per query */
	size_t n;
	size_t started;     /* st[0..started) are started: theirs to free */
	size_t limit;       /* most exchanges under way at once (file descriptors) */
	struct pollfd *pfd; /* room for every socket of every query */
	struct pollmap *map;
	size_t npfd;
	uint8_t *buf; /* one receive buffer for every UDP reply */
	long long t0; /* deadline_now_ms() at the start: the batch's times count from it */
};

/* Every answer starts as a local error (why), so that a batch that cannot
 * start still says why. */
static void
answers_reset(struct dns_query *queries, size_t n, enum dns_fail why)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct dns_answer *a = &queries[i].answer;

		memset(a, 0, sizeof(*a));
		a->qtype = queries[i].type;
		a->rcode = -1;
		a->server = -1;
		dns_answer_fail(a, DNS_ERR_LOCAL, &(struct dns_failure){.kind = why});
	}
}

/*
 * How many exchanges may be under way at once: each may hold a UDP socket per
 * server and a TCP one, and the file descriptors of the process are limited
 * (ulimit -n): more at once would end in "Too many open files".
 */
static size_t
batch_limit(const struct batch *b)
{
	size_t per = b->res->nservers + 1, free_fds = netio_free_fds(DNS_FD_RESERVE);
	size_t limit = free_fds == SIZE_MAX ? b->n : free_fds / per;

	if (limit > b->n)
		limit = b->n;
	return limit > 0 ? limit : 1;
}

/* Start queries at time t (ms) while fewer than b->limit are under way. */
static void
batch_refill(struct batch *b, long long t)
{
	size_t i, active = 0;

	for (i = 0; i < b->started; i++)
		active += b->st[i].phase != DNS_EXCHANGE_DONE;
	for (; b->started < b->n && active < b->limit; b->started++, active++)
		dns_exchange_start(&b->st[b->started], b->res, &b->queries[b->started], t);
}

/* Add a socket of query q to the poll set. */
static void
batch_poll_add(struct batch *b, int fd, short events, size_t q, int server)
{
	b->pfd[b->npfd] = (struct pollfd){fd, events, 0};
	b->map[b->npfd].q = q;
	b->map[b->npfd].server = server;
	b->npfd++;
}

/* Build the poll set at time t (ms), sending over UDP what is due, and
 * shorten *wait (ms) to the next retransmission. Returns the number of
 * queries still pending. */
static size_t
batch_poll_set(struct batch *b, long long t, long long *wait)
{
	size_t i, j, pending = 0;

	b->npfd = 0;
	batch_refill(b, t);
	pending = b->n - b->started;
	for (i = 0; i < b->started; i++) {
		struct dns_exchange *s = &b->st[i];

		if (s->phase == DNS_EXCHANGE_DONE)
			continue;
		pending++;
		if (s->phase != DNS_EXCHANGE_UDP) {
			batch_poll_add(b, s->tcp_fd,
				       s->phase == DNS_EXCHANGE_TCP_READ ? POLLIN : POLLOUT, i, -1);
			continue;
		}
		if (t >= s->next_send)
			dns_exchange_udp_send(s, b->res, t);
		if (s->phase == DNS_EXCHANGE_DONE)
			continue;
		if (s->next_send - t < *wait)
			*wait = s->next_send - t;
		for (j = 0; j < b->res->nservers; j++)
			if (s->udp_fd[j] >= 0)
				batch_poll_add(b, s->udp_fd[j], POLLIN, i, (int)j);
	}
	return pending;
}

/* Hand what poll() found ready at time t (ms) to its query. */
static void
batch_dispatch(struct batch *b, long long t)
{
	size_t j;

	for (j = 0; j < b->npfd; j++)
		if (b->pfd[j].revents != 0)
			dns_exchange_ready(&b->st[b->map[j].q], b->res, b->map[j].server,
					   b->pfd[j].fd, b->pfd[j].revents, b->buf, t);
}

/* The deadline passed: every pending query ends with a timeout; those not
 * started yet say that they waited for their turn. */
static void
batch_timeout(struct batch *b)
{
	struct dns_failure f = {
	    .kind = DNS_FAIL_TIMEOUT, .seconds = b->dl->seconds, .limit = b->limit};
	size_t i;

	snprintf(f.stage, sizeof(f.stage), "%s", b->dl->stage);
	for (i = 0; i < b->started; i++)
		if (b->st[i].phase != DNS_EXCHANGE_DONE)
			dns_exchange_fail(&b->st[i], DNS_ERR_TIMEOUT, &f);
	f.queued = true;
	for (; i < b->n; i++)
		dns_answer_fail(&b->queries[i].answer, DNS_ERR_TIMEOUT, &f);
}

/* poll() failed with errno e: every pending query ends with it. */
static void
batch_poll_failed(struct batch *b, int e)
{
	struct dns_failure f = {.kind = DNS_FAIL_POLL, .sys = e};
	size_t i;

	for (i = 0; i < b->started; i++)
		if (b->st[i].phase != DNS_EXCHANGE_DONE)
			dns_exchange_fail(&b->st[i], DNS_ERR_LOCAL, &f);
	for (; i < b->n; i++)
		dns_answer_fail(&b->queries[i].answer, DNS_ERR_LOCAL, &f);
}

/* The poll loop: until no query is pending, or the deadline passes. */
static void
batch_run(struct batch *b)
{
	for (;;) {
		long long t = deadline_now_ms() - b->t0, wait;
		int left = deadline_ms_left(b->dl);

		wait = left;
		if (batch_poll_set(b, t, &wait) == 0)
			return;
		if (left <= 0) {
			batch_timeout(b);
			return;
		}
		if (wait < 0)
			wait = 0;
		if (poll(b->pfd, b->npfd, (int)wait) < 0) {
			if (errno == EINTR)
				continue;
			batch_poll_failed(b, errno);
			return;
		}
		batch_dispatch(b, deadline_now_ms() - b->t0);
	}
}

/* Allocate what a batch of n queries needs. Returns 0, or -1 (out of memory;
 * batch_free() still applies). */
static int
batch_alloc(struct batch *b, size_t n)
{
	b->n = n;
	b->st = calloc(n, sizeof(*b->st));
	b->pfd = calloc(n * (DNS_MAX_SERVERS + 1), sizeof(*b->pfd));
	b->map = calloc(n * (DNS_MAX_SERVERS + 1), sizeof(*b->map));
	b->buf = malloc(DNS_MSG_MAX);
	if (b->st == NULL || b->pfd == NULL || b->map == NULL || b->buf == NULL)
		return -1;
	return 0;
}

/* Close and free what a batch holds (the answers stay with the queries). */
static void
batch_free(struct batch *b)
{
	size_t i;

	for (i = 0; i < b->started; i++)
		dns_exchange_clear(&b->st[i]);
	free(b->st);
	free(b->pfd);
	free(b->map);
	free(b->buf);
}

int
dns_query_batch(const struct dns_resolver *res, struct dns_query *queries, size_t n,
		struct deadline *dl)
{
	struct batch b = {.res = res, .dl = dl, .t0 = deadline_now_ms()};
	int ret = -1;

	answers_reset(queries, n, DNS_FAIL_MEMORY);
	if (n == 0)
		return 0;
	if (res->validator != NULL)
		return dns_validator_batch(res->validator, queries, n, dl);
	if (res->nservers == 0) {
		answers_reset(queries, n, DNS_FAIL_NO_RESOLVER);
		return -1;
	}
	if (batch_alloc(&b, n) != 0)
		goto out;
	b.queries = queries;
	b.limit = batch_limit(&b);
	batch_run(&b);
	ret = 0;
out:
	batch_free(&b);
	return ret;
}

int
dns_query(const struct dns_resolver *res, const char *name, ldns_rr_type type, struct deadline *dl,
	  struct dns_answer *answer)
{
	struct dns_query q;
	int rc;

	memset(&q, 0, sizeof(q));
	q.server = -1;
	q.name = name;
	q.type = type;
	rc = dns_query_batch(res, &q, 1, dl);
	*answer = q.answer;
	return rc;
}
