/*
 * pkix.h -- is a presented chain valid for a host name under the WebPKI
 * (RFC 5280 path validation, RFC 6125 name matching)? What a sender that
 * applies MTA-STS (RFC 8461 4.2) and not DANE requires of an MX host's
 * certificate: a chain to a trusted root, dates, a DNS-ID matching the MX
 * host name (a wildcard only as the whole left-most label).
 *
 * Judged after the handshake, from the chain the server presented
 * (tls_result.chain), with OpenSSL's verifier and a store of trusted roots:
 * the system's or one file (--ca-file). So one handshake serves both the
 * DANE and the PKIX verdict.
 *
 * The system's roots are looked up by subject in OpenSSL's hashed directory
 * (Debian: /etc/ssl/certs), which reads only the roots a chain needs; the
 * whole bundle file (some 140 certificates, ~190 M instructions to load) is
 * read only when a chain finds no root there (a system without hash links).
 *
 * Facts only: an outcome, OpenSSL's X509_V_ERR_* code and the depth it
 * applies to; the words are in words_mtasts.h. No global state; a store is
 * used by one thread at a time (the bundle is loaded on first need).
 */
#ifndef DANE_PKIX_H
#define DANE_PKIX_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <openssl/x509.h>

/** The trusted roots. Opaque; see pkix_store_new(). */
struct pkix_store;

/** How a chain fared. */
enum pkix_outcome {
	PKIX_OK = 0,        /* valid for the name, now, to a trusted root */
	PKIX_NO_CHAIN,      /* nothing was presented */
	PKIX_UNTRUSTED,     /* no path to a trusted root (self-signed, unknown issuer, ...) */
	PKIX_NAME_MISMATCH, /* a valid chain, but not for the name */
	PKIX_EXPIRED,       /* a certificate of the chain has expired */
	PKIX_NOT_YET_VALID, /* a certificate of the chain is not valid yet */
	PKIX_INVALID,       /* another failure: signature, purpose, constraints, ... */
	PKIX_LOCAL,         /* our side: out of memory, OpenSSL internal error */
};

/** The facts of one verification. */
struct pkix_result {
	enum pkix_outcome outcome;
	int error; /* X509_STORE_CTX_get_error(): X509_V_OK or X509_V_ERR_* */
	int depth; /* the certificate it is about: 0 = the leaf; -1 when none */
	/* the leaf's own DNS names and CN do not matter here: cert_describe() has them */
};

/**
 * Make a store of trusted roots: ca_file's certificates (PEM) when given,
 * else the system's (OpenSSL's default directory, $SSL_CERT_DIR when set;
 * its default bundle file when the directory has no root for a chain).
 * Returns the store, or NULL with a message in err (an unreadable file,
 * out of memory).
 */
struct pkix_store *pkix_store_new(const char *ca_file, char *err, size_t errsize);

/**
 * The directory of the system's trusted roots, hashed by subject:
 * $SSL_CERT_DIR when set, else OpenSSL's default (Debian: /usr/lib/ssl/certs,
 * a link to /etc/ssl/certs).
 */
const char *pkix_system_dir(void);

/**
 * May a failure of a verification against the system's hashed directory be
 * a root the directory lacks (X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
 * _SELF_SIGNED_CERT_IN_CHAIN, _UNABLE_TO_GET_ISSUER_CERT)? Then the bundle
 * file decides.
 */
bool pkix_root_may_be_elsewhere(long error);

/** Free a store. NULL is allowed. */
void pkix_store_free(struct pkix_store *store);

/**
 * Verify chain (leaf first, as presented; not changed) for host (an MX
 * host name, with or without the final dot) at time now: purpose TLS
 * server, RFC 6125 name matching without partial wildcards, the store's
 * roots as the only anchors. Fills *r and returns r->outcome.
 */
enum pkix_outcome pkix_verify(struct pkix_store *store, STACK_OF(X509) * chain, const char *host,
			      time_t now, struct pkix_result *r);

/** Short lower-case name of an outcome: "ok", "untrusted", "name-mismatch", ... */
const char *pkix_outcome_name(enum pkix_outcome outcome);

#endif /* DANE_PKIX_H */
