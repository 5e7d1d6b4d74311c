/*
 * probe.c -- concurrent SMTP + STARTTLS + DANE probes, one thread per address.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "probe.h"

/* What one thread needs. */
struct probe_job {
	struct tls_ctx *ctx;
	const struct probe_target *target;
	const char *helo;
	const struct deadline *dl;
	struct probe_result *result;
};

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

static void *
probe_thread(void *arg)
{
	struct probe_job *job = arg;
	const struct mx_host *h = job->target->host;
	struct probe_result *r = job->result;
	struct smtp_conn conn;
	struct tlsa_rdata *records = NULL;
	const char *names[2];
	struct tls_dane_params params;
	struct sockaddr_storage ss;
	double t0 = deadline_now();

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
		snprintf(r->smtp.reason, sizeof(r->smtp.reason), "out of memory");
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
	return NULL;
}

size_t
probe_targets(const struct mx_result *r, unsigned int port, struct probe_target *targets,
	      struct probe_left *left)
{
	size_t i, j, n = 0;

	left->n = 0;
	left->first = NULL;
	for (i = 0; i < r->nhosts; i++) {
		const struct mx_host *h = &r->hosts[i];

		if (!mx_host_dane_usable(h))
			continue;
		for (j = 0; j < h->naddrs; j++) {
			if (n < PROBE_MAX_TARGETS) {
				targets[n++] = (struct probe_target){h, &h->addrs[j], port};
				continue;
			}
			if (left->first == NULL)
				left->first = h;
			left->n++;
		}
	}
	return n;
}

int
probe_run(struct tls_ctx *ctx, const struct probe_target *targets, size_t n, const char *helo,
	  const struct deadline *dl, struct probe_result *results)
{
	struct probe_job *jobs = calloc(n + 1, sizeof(*jobs));
	pthread_t *threads = calloc(n + 1, sizeof(*threads));
	bool *started = calloc(n + 1, sizeof(*started));
	size_t i;
	int rc = 0;

	for (i = 0; i < n; i++) {
		const struct probe_target *t = &targets[i];

		memset(&results[i], 0, sizeof(results[i]));
		/* "[...]" around IPv4 and IPv6 addresses alike, as in the detail lines */
		snprintf(results[i].label, sizeof(results[i].label), "%s[%s]:%u", t->host->name,
			 t->addr->text, t->port);
		results[i].smtp.result = SMTP_ERR_LOCAL;
		snprintf(results[i].smtp.reason, sizeof(results[i].smtp.reason),
			 "the probe could not be started");
	}
	if (jobs == NULL || threads == NULL || started == NULL) {
		rc = -1;
		goto out;
	}
	for (i = 0; i < n; i++) {
		jobs[i] = (struct probe_job){ctx, &targets[i], helo, dl, &results[i]};
		if (pthread_create(&threads[i], NULL, probe_thread, &jobs[i]) == 0)
			started[i] = true;
		else
			rc = -1;
	}
	for (i = 0; i < n; i++)
		if (started[i])
			pthread_join(threads[i], NULL);
out:
	free(jobs);
	free(threads);
	free(started);
	return rc;
}

void
probe_results_free(struct probe_result *results, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		tls_result_free(&results[i].tls);
}

bool
probe_verified(const struct probe_result *r)
{
	return r->smtp.result == SMTP_OK && r->tls_done && r->tls.outcome == TLS_OK;
}
