/*
 * probe.h -- every MX address, once per certificate type, at once: connect,
 * greeting, EHLO, STARTTLS, a TLS handshake that asks for one certificate
 * type (ECDSA, RSA, Ed25519) with DANE verification against the host's TLSA
 * records, QUIT. A pool of threads, as many as file descriptors allow, all
 * under the run's single deadline, so a domain costs about one handshake of
 * wall time.
 */
#ifndef DANE_PROBE_H
#define DANE_PROBE_H

#include <stdbool.h>
#include <stddef.h>

#include "deadline.h"
#include "mx.h"
#include "smtp.h"
#include "tls.h"
#include "tls_early.h"

/** Most addresses probed in one run. */
#define PROBE_MAX_ADDRESSES 128

/** Most probes in one run: every address once per certificate type. */
#define PROBE_MAX_TARGETS (PROBE_MAX_ADDRESSES * TLS_KEY_TYPES)

/** Most probes running at once (fewer when file descriptors are scarce). */
#define PROBE_MAX_PARALLEL 256

/** The certificate types to probe each address for (--key-types). */
struct probe_types {
	enum tls_key_type type[TLS_KEY_TYPES];
	size_t n;
	bool all; /* every type (the default): a server with none of them gets one more
		     handshake with OpenSSL's default list */
};

/** One probe: an address and the certificate type asked for. Not owned. */
struct probe_target {
	const struct mx_host *host; /* TLSA records, base domain, names */
	const struct mx_addr *addr;
	unsigned int port;
	enum tls_key_type key_type;
};

/** What one probe saw. */
struct probe_result {
	char label[MX_NAME_MAX + 80]; /* "mx1.example.org.[192.0.2.1]:25" */
	enum tls_key_type key_type;   /* the type asked for (TLS_KEY_ANY: the fallback) */
	bool started;                 /* false: the deadline came before its turn */
	struct smtp_session smtp;     /* the SMTP dialogue up to STARTTLS */
	bool tls_done;                /* a TLS handshake was attempted */
	struct tls_result tls;        /* its result (chain, match, ...) */
	double time;                  /* seconds from connect to the end of the handshake */
};

/** The addresses probe_targets() left out (more than PROBE_MAX_ADDRESSES). */
struct probe_left {
	size_t n;                    /* addresses not probed */
	const struct mx_host *first; /* the first host with an address left out, or NULL */
};

/** Every certificate type (the default). */
void probe_types_all(struct probe_types *types);

/**
 * Parse --key-types: a comma-separated list of "ecdsa", "rsa", "ed25519"
 * (case-insensitive, each at most once). Returns 0, or -1 with err naming
 * the unknown, repeated or missing type.
 */
int probe_types_parse(const char *list, struct probe_types *types, char *err, size_t errsize);

/** The types as text for a line: "ECDSA, RSA, Ed25519". Returns dst. */
const char *probe_types_text(const struct probe_types *types, char *dst, size_t dstsize);

/**
 * Fill targets (room for PROBE_MAX_TARGETS entries) with every address of
 * every host of r that has usable, secure TLSA records, in host order (most
 * preferred first), once per type of types, the types of one address next to
 * each other. Addresses beyond PROBE_MAX_ADDRESSES are counted in left.
 * Selection only: verdict_unprobed() judges the hosts and addresses left
 * out. Returns the number of targets.
 */
size_t probe_targets(const struct mx_result *r, unsigned int port, const struct probe_types *types,
		     struct probe_target *targets, struct probe_left *left);

/** Which hosts of a walk are probed. */
enum probe_select {
	PROBE_DANE_HOSTS = 0, /* hosts with usable, secure TLSA records (probe_targets()) */
	/*
	 * every host with addresses (check_mta_sts): a host without usable
	 * secure TLSA records gets the handshake without records (outcome
	 * TLS_ERR_NO_USABLE once it completes, with the chain), SNI = its name
	 */
	PROBE_EVERY_HOST,
};

/**
 * probe_targets() with a choice of hosts: PROBE_DANE_HOSTS is
 * probe_targets(); PROBE_EVERY_HOST takes every host of r with addresses.
 */
size_t probe_targets_select(const struct mx_result *r, unsigned int port,
			    const struct probe_types *types, enum probe_select select,
			    struct probe_target *targets, struct probe_left *left);

/**
 * How many probes run at once: n, at most PROBE_MAX_PARALLEL, and no more
 * than the free file descriptors (RLIMIT_NOFILE) allow, at least 1.
 */
size_t probe_parallel_limit(size_t n);

/**
 * Probe every target concurrently (probe_parallel_limit() at a time);
 * results[i] belongs to targets[i]. A probe whose turn comes after the
 * deadline is not started (results[i].started false). When every type was
 * asked and an address offered none, its first result is replaced by one
 * more handshake with OpenSSL's default list (key_type TLS_KEY_ANY): what
 * the server does then is what it is. helo is the EHLO name. The caller
 * must ignore SIGPIPE (writes over TLS). Returns 0, or -1 when no thread
 * could be started (results then say why). Free the results with
 * probe_results_clear().
 */
int probe_run(struct tls_ctx *ctx, const struct probe_target *targets, size_t n, const char *helo,
	      const struct deadline *dl, struct probe_result *results);

/** Free what the results hold. */
void probe_results_clear(struct probe_result *results, size_t n);

/** True when the probe was verified by DANE. */
bool probe_verified(const struct probe_result *r);

/** True when the server has no certificate of the type asked for. */
bool probe_not_offered(const struct probe_result *r);

/**
 * The results of one address: from results[i] on, how many belong to the
 * same address (the types of one address are next to each other).
 */
size_t probe_address_span(const struct probe_target *targets, size_t n, size_t i);

/**
 * Every probe of one run: the addresses selected, their results and the
 * TLS context, with one owner. Made by probe_batch_new(), run by
 * probe_batch_run(), freed with probe_batch_free().
 */
struct probe_batch {
	struct probe_target *targets; /* n probes, in probe_targets() order */
	struct probe_result *results; /* results[i] belongs to targets[i] */
	size_t n;
	struct probe_left left; /* addresses beyond PROBE_MAX_ADDRESSES */
	struct tls_ctx *ctx;    /* set by probe_batch_run(), NULL before */
	bool incomplete;        /* probe_batch_run() returned 1: some probes could not start */
};

/**
 * A new batch with the probes of r (probe_targets(): every address of every
 * host with usable secure TLSA records, once per type). Nothing runs yet.
 * Returns NULL when out of memory. r must outlive the batch.
 */
struct probe_batch *probe_batch_new(const struct mx_result *r, unsigned int port,
				    const struct probe_types *types);

/**
 * probe_batch_new() with a choice of hosts (probe_targets_select()).
 */
struct probe_batch *probe_batch_new_select(const struct mx_result *r, unsigned int port,
					   const struct probe_types *types,
					   enum probe_select select);

/**
 * Run every probe of b concurrently under dl (probe_run()); helo is the EHLO
 * name. The TLS context is the one early made while the DNS was asked
 * (tls_early_take()), or, with early NULL, made here. Returns 0; 1 when some
 * probes could not be started (their results say why, and b->incomplete is
 * set); -1 when the TLS context cannot be made (err says why, nothing ran).
 */
int probe_batch_run(struct probe_batch *b, struct tls_early *early, const char *helo,
		    const struct deadline *dl, char *err, size_t errsize);

/** Free b, its results and its TLS context. NULL is allowed. */
void probe_batch_free(struct probe_batch *b);

#endif /* DANE_PROBE_H */
