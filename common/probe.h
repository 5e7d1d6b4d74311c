/*
 * probe.h -- every MX address at once: connect, greeting, EHLO, STARTTLS,
 * TLS handshake with DANE verification against the host's TLSA records,
 * QUIT. One thread per address, all under the run's single deadline, so a
 * domain costs about one handshake of wall time.
 */
#ifndef DANE_PROBE_H
#define DANE_PROBE_H

#include <stdbool.h>
#include <stddef.h>

#include "deadline.h"
#include "mx.h"
#include "smtp.h"
#include "tls.h"

/** Most addresses probed in one run. */
#define PROBE_MAX_TARGETS 128

/** One address to probe. The host and address are not owned. */
struct probe_target {
	const struct mx_host *host; /* TLSA records, base domain, names */
	const struct mx_addr *addr;
	unsigned int port;
};

/** What one probe saw. */
struct probe_result {
	char label[MX_NAME_MAX + 80]; /* "mx1.example.org.[192.0.2.1]:25" */
	struct smtp_session smtp;     /* the SMTP dialogue up to STARTTLS */
	bool tls_done;                /* a TLS handshake was attempted */
	struct tls_result tls;        /* its result (chain, match, ...) */
	double time;                  /* seconds from connect to the end of the handshake */
};

/** The addresses probe_targets() left out (more than PROBE_MAX_TARGETS). */
struct probe_left {
	size_t n;                    /* addresses not probed */
	const struct mx_host *first; /* the first host with an address left out, or NULL */
};

/**
 * Fill targets (room for PROBE_MAX_TARGETS entries) with every address of
 * every host of r that has usable, secure TLSA records, in host order (most
 * preferred first). Addresses beyond PROBE_MAX_TARGETS are counted in left.
 * Selection only: verdict_unprobed() judges the hosts and addresses left
 * out. Returns the number of targets.
 */
size_t probe_targets(const struct mx_result *r, unsigned int port, struct probe_target *targets,
		     struct probe_left *left);

/**
 * Probe every target concurrently; results[i] belongs to targets[i]. helo
 * is the EHLO name. The caller must ignore SIGPIPE (writes over TLS).
 * Returns 0, or -1 when threads could not be started (results then say
 * why). Free the results with probe_results_free().
 */
int probe_run(struct tls_ctx *ctx, const struct probe_target *targets, size_t n, const char *helo,
	      const struct deadline *dl, struct probe_result *results);

/** Free what the results hold. */
void probe_results_free(struct probe_result *results, size_t n);

/** True when the address was verified by DANE. */
bool probe_verified(const struct probe_result *r);

#endif /* DANE_PROBE_H */
