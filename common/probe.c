/*
 * probe.c -- concurrent SMTP + STARTTLS + DANE probes, per address and
 * certificate type, by a pool of threads bounded by the free file descriptors.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "netio.h"
#include "probe.h"

/* File descriptors kept free for everything else (DNS, logs, OpenSSL). */
#define PROBE_FD_RESERVE 8

/* Stack of a probe thread: a handshake needs far less than the 8 MiB default. */
#define PROBE_STACK_SIZE (512 * 1024)

/* What one probe needs. */
struct probe_job {
	struct tls_ctx *ctx;
	const struct probe_target *target;
	enum tls_key_type key_type;
	const char *helo;
	const struct deadline *dl;
	struct probe_result *result;
};

/* The jobs of one wave and the next one to take; shared by the pool's threads. */
struct probe_pool {
	pthread_mutex_t lock;
	struct probe_job *jobs;
	size_t n, next;
	size_t threads; /* probes at once */
};

void
probe_types_all(struct probe_types *types)
{
	enum tls_key_type t;

	memset(types, 0, sizeof(*types));
	for (t = TLS_KEY_ECDSA; t <= TLS_KEY_ED25519; t++)
		types->type[types->n++] = t;
	types->all = true;
}

int
probe_types_parse(const char *list, struct probe_types *types, char *err, size_t errsize)
{
	char word[32];
	const char *p = list;
	size_t i, len;
	enum tls_key_type t;

	memset(types, 0, sizeof(*types));
	while (p != NULL && *p != '\0') {
		len = strcspn(p, ",");
		if (len == 0 || len >= sizeof(word)) {
			snprintf(err, errsize, "empty or overlong type in '%.60s'", list);
			return -1;
		}
		memcpy(word, p, len);
		word[len] = '\0';
		if (tls_key_type_parse(word, &t) != 0) {
			snprintf(err, errsize,
				 "unknown certificate type '%.31s' (ecdsa, rsa, ed25519)", word);
			return -1;
		}
		for (i = 0; i < types->n; i++) {
			if (types->type[i] == t) {
				snprintf(err, errsize, "certificate type '%.31s' given twice",
					 word);
				return -1;
			}
		}
		types->type[types->n++] = t;
		p += len;
		if (*p == ',' && *++p == '\0') {
			snprintf(err, errsize, "empty type at the end of '%.60s'", list);
			return -1;
		}
	}
	if (types->n == 0) {
		snprintf(err, errsize, "no certificate type given (ecdsa, rsa, ed25519)");
		return -1;
	}
	types->all = types->n == TLS_KEY_TYPES;
	return 0;
}

const char *
probe_types_text(const struct probe_types *types, char *dst, size_t dstsize)
{
	size_t i, o = 0;

	if (dstsize == 0)
		return dst;
	dst[0] = '\0';
	for (i = 0; i < types->n && o < dstsize; i++) {
		int k = snprintf(dst + o, dstsize - o, "%s%s", i ? ", " : "",
				 tls_key_type_name(types->type[i]));

		o += k > 0 ? (size_t)k : 0;
	}
	return dst;
}

/* The TLSA records of a host as the TLS layer takes them. */
static struct tlsa_rdata *
host_records(const struct mx_host *h)
{
	struct tlsa_rdata *rd = calloc(h->tlsa.n + 1, sizeof(*rd));
	size_t i;

	if (rd == NULL)
		return NULL;
	for (i = 0; i < h->tlsa.n; i++)
		rd[i] = h->tlsa.records[i].rd;
	return rd;
}

/* One probe: the SMTP dialogue up to STARTTLS, the handshake, QUIT. */
static void
probe_one(struct probe_job *job)
{
	const struct mx_host *h = job->target->host;
	struct probe_result *r = job->result;
	struct smtp_conn conn;
	struct tlsa_rdata *records = NULL;
	const char *names[2];
	struct tls_dane_params params;
	struct sockaddr_storage ss;
	double t0 = deadline_now();

	r->started = true;
	r->key_type = job->key_type;
	/* the DNS layer leaves the port out of its addresses */
	ss = job->target->addr->ss;
	if (ss.ss_family == AF_INET6)
		((struct sockaddr_in6 *)&ss)->sin6_port = htons((uint16_t)job->target->port);
	else
		((struct sockaddr_in *)&ss)->sin_port = htons((uint16_t)job->target->port);
	smtp_conn_init(&conn);
	if (smtp_connect_starttls((const struct sockaddr *)&ss, job->target->addr->len, job->helo,
				  job->dl, &conn, &r->smtp) != SMTP_OK)
		goto out;
	records = host_records(h);
	if (records == NULL) {
		r->smtp.result = SMTP_ERR_LOCAL;
		r->smtp.why = SMTP_WHY_NOMEM;
		goto out;
	}
	/* RFC 7672 3.2.2: reference identifiers are the base domain and the MX name */
	names[0] = h->tlsa_base;
	names[1] = h->name;
	memset(&params, 0, sizeof(params));
	params.records = records;
	params.n = h->tlsa.n;
	params.base_domain = h->tlsa_base;
	params.names = names;
	params.nnames = strcmp(h->tlsa_base, h->name) == 0 ? 1 : 2;
	params.key_type = job->key_type;
	if (!mx_host_dane_usable(h)) {
		/* PROBE_EVERY_HOST: no DANE here, only the chain; SNI = the MX host name */
		params.n = 0;
		params.base_domain = h->name;
		params.names = NULL;
		params.nnames = 0;
	}
	r->tls_done = true;
	tls_handshake(job->ctx, conn.fd, &params, job->dl, &r->tls);
	r->time = deadline_now() - t0;
	if (r->tls.ssl != NULL) {
		smtp_conn_set_tls(&conn, r->tls.ssl);
		smtp_quit(&conn, job->dl);
		/* close the TLS session while its socket is still ours */
		tls_result_close(&r->tls);
	}
out:
	if (r->time == 0)
		r->time = deadline_now() - t0;
	free(records);
	smtp_conn_close(&conn);
}

/* A thread of the pool: takes the next job until there is none. */
static void *
pool_thread(void *arg)
{
	struct probe_pool *pool = arg;

	for (;;) {
		struct probe_job *job;

		pthread_mutex_lock(&pool->lock);
		job = pool->next < pool->n ? &pool->jobs[pool->next++] : NULL;
		pthread_mutex_unlock(&pool->lock);
		if (job == NULL)
			return NULL;
		if (deadline_expired(job->dl)) {
			/* not started: its turn came too late */
			struct smtp_session *s = &job->result->smtp;

			s->result = SMTP_ERR_TIMEOUT;
			s->why = SMTP_WHY_NOT_PROBED;
			s->skipped_seconds = job->dl->seconds;
			s->skipped_parallel = pool->threads;
			continue;
		}
		probe_one(job);
	}
}

size_t
probe_parallel_limit(size_t n)
{
	size_t limit = n < PROBE_MAX_PARALLEL ? n : PROBE_MAX_PARALLEL;
	size_t free_fds = netio_free_fds(PROBE_FD_RESERVE);

	if (free_fds < limit)
		limit = free_fds;
	return limit > 0 ? limit : 1;
}

/* Run the jobs with a pool of at most probe_parallel_limit() threads. */
static int
run_pool(struct probe_job *jobs, size_t n)
{
	struct probe_pool pool = {.jobs = jobs, .n = n, .next = 0};
	size_t nthreads = probe_parallel_limit(n), started = 0, i;
	pthread_t *threads;
	pthread_attr_t attr;

	if (n == 0)
		return 0;
	pool.threads = nthreads;
	threads = calloc(nthreads, sizeof(*threads));
	if (threads == NULL || pthread_mutex_init(&pool.lock, NULL) != 0) {
		free(threads);
		return -1;
	}
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, PROBE_STACK_SIZE);
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&threads[started], &attr, pool_thread, &pool) == 0)
			started++;
	pthread_attr_destroy(&attr);
	if (started == 0)
		pool_thread(&pool); /* no thread at all: one at a time, here */
	for (i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	pthread_mutex_destroy(&pool.lock);
	free(threads);
	return 0;
}

size_t
probe_address_span(const struct probe_target *targets, size_t n, size_t i)
{
	size_t k = i + 1;

	while (k < n && targets[k].addr == targets[i].addr && targets[k].host == targets[i].host)
		k++;
	return k - i;
}

/*
 * The second wave: every type was asked and an address offered none of them
 * (a server with, say, only an Ed448 or DSA certificate): one handshake with
 * OpenSSL's default list, into the address's first result.
 */
static int
run_fallback(struct probe_job *jobs, const struct probe_target *targets, size_t n,
	     struct probe_result *results)
{
	size_t i, k, span, nfb = 0;
	struct probe_job *fb = calloc(n + 1, sizeof(*fb));
	int rc;

	if (fb == NULL)
		return -1;
	for (i = 0; i < n; i += span) {
		span = probe_address_span(targets, n, i);
		if (span != TLS_KEY_TYPES)
			continue;
		for (k = i; k < i + span && probe_not_offered(&results[k]); k++)
			;
		if (k < i + span)
			continue;
		tls_result_clear(&results[i].tls);
		/* as in probe_run(): what it says when its thread never comes */
		memset(&results[i].smtp, 0, sizeof(results[i].smtp));
		results[i].smtp.result = SMTP_ERR_LOCAL;
		results[i].smtp.why = SMTP_WHY_NOT_STARTED;
		results[i].tls_done = false;
		results[i].time = 0;
		fb[nfb] = jobs[0]; /* the run's context, EHLO name and deadline */
		fb[nfb].target = &targets[i];
		fb[nfb].result = &results[i];
		fb[nfb++].key_type = TLS_KEY_ANY;
	}
	rc = run_pool(fb, nfb);
	free(fb);
	return rc;
}

/*
 * The jobs in the order they are taken: every address's first type, then
 * every address's second type, ...: when file descriptors are scarce and the
 * deadline comes first, each address has had a probe before any gets two.
 */
static int
queue_jobs(struct tls_ctx *ctx, const struct probe_target *targets, size_t n, const char *helo,
	   const struct deadline *dl, struct probe_result *results, struct probe_job *jobs)
{
	size_t round, i, span, q = 0;

	for (round = 0; q < n && round < TLS_KEY_TYPES; round++) {
		for (i = 0; i < n; i += span) {
			span = probe_address_span(targets, n, i);
			if (round >= span)
				continue;
			jobs[q].ctx = ctx;
			jobs[q].target = &targets[i + round];
			jobs[q].key_type = targets[i + round].key_type;
			jobs[q].helo = helo;
			jobs[q].dl = dl;
			jobs[q++].result = &results[i + round];
		}
	}
	return q == n ? 0 : -1;
}

size_t
probe_targets(const struct mx_result *r, unsigned int port, const struct probe_types *types,
	      struct probe_target *targets, struct probe_left *left)
{
	return probe_targets_select(r, port, types, PROBE_DANE_HOSTS, targets, left);
}

size_t
probe_targets_select(const struct mx_result *r, unsigned int port, const struct probe_types *types,
		     enum probe_select select, struct probe_target *targets,
		     struct probe_left *left)
{
	size_t i, j, k, n = 0, addresses = 0;

	left->n = 0;
	left->first = NULL;
	for (i = 0; i < r->nhosts; i++) {
		const struct mx_host *h = &r->hosts[i];

		if (select == PROBE_DANE_HOSTS && !mx_host_dane_usable(h))
			continue;
		for (j = 0; j < h->naddrs; j++) {
			if (addresses == PROBE_MAX_ADDRESSES) {
				if (left->first == NULL)
					left->first = h;
				left->n++;
				continue;
			}
			addresses++;
			for (k = 0; k < types->n; k++)
				targets[n++] =
				    (struct probe_target){h, &h->addrs[j], port, types->type[k]};
		}
	}
	return n;
}

int
probe_run(struct tls_ctx *ctx, const struct probe_target *targets, size_t n, const char *helo,
	  const struct deadline *dl, struct probe_result *results)
{
	struct probe_job *jobs = calloc(n + 1, sizeof(*jobs));
	size_t i;
	int rc = -1;

	for (i = 0; i < n; i++) {
		const struct probe_target *t = &targets[i];

		memset(&results[i], 0, sizeof(results[i]));
		/* "[...]" around IPv4 and IPv6 addresses alike, as in the detail lines */
		snprintf(results[i].label, sizeof(results[i].label), "%s[%s]:%u", t->host->name,
			 t->addr->text, t->port);
		results[i].key_type = t->key_type;
		results[i].smtp.result = SMTP_ERR_LOCAL;
		results[i].smtp.why = SMTP_WHY_NOT_STARTED;
	}
	if (jobs == NULL)
		goto out;
	if (queue_jobs(ctx, targets, n, helo, dl, results, jobs) != 0 || run_pool(jobs, n) != 0)
		goto out;
	rc = run_fallback(jobs, targets, n, results);
out:
	free(jobs);
	return rc;
}

void
probe_results_clear(struct probe_result *results, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		tls_result_clear(&results[i].tls);
}

bool
probe_verified(const struct probe_result *r)
{
	return r->smtp.result == SMTP_OK && r->tls_done && r->tls.outcome == TLS_OK;
}

bool
probe_not_offered(const struct probe_result *r)
{
	return r->smtp.result == SMTP_OK && r->tls_done && r->tls.outcome == TLS_ERR_NOT_OFFERED;
}

struct probe_batch *
probe_batch_new(const struct mx_result *r, unsigned int port, const struct probe_types *types)
{
	return probe_batch_new_select(r, port, types, PROBE_DANE_HOSTS);
}

struct probe_batch *
probe_batch_new_select(const struct mx_result *r, unsigned int port,
		       const struct probe_types *types, enum probe_select select)
{
	struct probe_batch *b = calloc(1, sizeof(*b));

	if (b == NULL)
		return NULL;
	b->targets = calloc(PROBE_MAX_TARGETS + 1, sizeof(*b->targets));
	b->results = calloc(PROBE_MAX_TARGETS + 1, sizeof(*b->results));
	if (b->targets == NULL || b->results == NULL) {
		probe_batch_free(b);
		return NULL;
	}
	b->n = probe_targets_select(r, port, types, select, b->targets, &b->left);
	return b;
}

int
probe_batch_run(struct probe_batch *b, struct tls_early *early, const char *helo,
		const struct deadline *dl, char *err, size_t errsize)
{
	if (b->ctx == NULL)
		b->ctx =
		    early != NULL ? tls_early_take(early, err, errsize) : tls_ctx_new(err, errsize);
	if (b->ctx == NULL)
		return -1;
	b->incomplete = probe_run(b->ctx, b->targets, b->n, helo, dl, b->results) != 0;
	return b->incomplete ? 1 : 0;
}

void
probe_batch_free(struct probe_batch *b)
{
	if (b == NULL)
		return;
	if (b->results != NULL)
		probe_results_clear(b->results, b->n);
	free(b->results);
	free(b->targets);
	tls_ctx_free(b->ctx);
	free(b);
}
