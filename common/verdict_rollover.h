/*
 * verdict_rollover.h -- what breaks DANE at the next renewal, and when.
 *
 * Pure logic over facts gathered elsewhere (the host's TLSA records, the
 * chains its addresses present or the deployed chain file, staged next keys
 * and certificates): certificate expiry, records a renewal will not match, a
 * staged key or certificate that is not published yet, records that match
 * nothing (stale), addresses that present different keys (partial rollover).
 * "now" is a parameter, so the rules are tested without the real clock.
 */
#ifndef DANE_VERDICT_ROLLOVER_H
#define DANE_VERDICT_ROLLOVER_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <openssl/x509.h>

#include "auth.h"
#include "expiry.h"
#include "mx.h"
#include "output.h"
#include "tls.h"
#include "range.h"

/** One place that presents a chain: an address, or the deployed chain file. */
struct verdict_rollover_peer {
	const char
	    *label; /* "mx1.example.org[192.0.2.1]:25 RSA 2048 certificate" or "--cert /etc/..." */
	STACK_OF(X509) * chain;     /* leaf first; not owned; NULL: nothing presented */
	enum tls_key_type key_type; /* the certificate type asked for (TLS_KEY_ANY: none) */
};

/** The certificate that expires first, and what the expiry policy says of it. */
struct verdict_rollover_soonest {
	bool set;                /* a certificate was seen */
	double days;             /* its days left */
	struct expiry_verdict v; /* its thresholds, renewal date */
};

/** Thresholds, staged material and the clock. */
struct verdict_rollover_params {
	time_t now;
	struct expiry_policy expiry;        /* certificate expiry: days or shares of the lifetime */
	bool stale_warning;                 /* stale records are WARNING, not a detail */
	STACK_OF(X509) *const *next_chains; /* staged next certificates (leaf first) */
	const char *const *next_chain_names; /* their file names, for the output */
	size_t nnext_chains;
	EVP_PKEY *const *next_keys; /* staged next keys (public part used) */
	const char *const *next_key_names;
	size_t nnext_keys;
	/* the authoritative servers asked (-A), or NULL: a staged key or certificate
	 * counts as published only when every server serves its record */
	const struct auth_result *auth;
	/* --issuers: the intermediate CAs the next certificate may come from, or NULL */
	STACK_OF(X509) * issuers;
	const char *issuers_name; /* the file, for the output */
	size_t issuers_total;     /* certificates in the file (issuers keeps the first ones) */
};

/**
 * Forecast for one host with usable TLSA records: adds its lines under
 * parent (NULL: top level) and returns the worst state added. soonest is
 * updated with the leaf certificate (or the CA certificate a DANE-TA record
 * anchors on) that expires first; it is left alone when no certificate was
 * presented.
 */
state_t verdict_rollover_host(const struct mx_host *h, const struct verdict_rollover_peer *peers,
			      size_t npeers, const struct verdict_rollover_params *p,
			      struct output *out, struct output_check *parent,
			      struct verdict_rollover_soonest *soonest);

#endif /* DANE_VERDICT_ROLLOVER_H */
