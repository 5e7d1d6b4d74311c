/*
 * pkix.h -- is a presented chain valid for a host name under the WebPKI
 * (RFC 5280 path validation, RFC 6125 name matching)? What a sender that
 * applies MTA-STS (RFC 8461 4.2) and not DANE requires of an MX host's
 * certificate: a chain to a trusted root, dates, a DNS-ID matching the MX
 * host name (a wildcard only as the whole left-most label).
 *
 * Judged after the handshake, from the chain the server presented
 * (tls_result.chain), with OpenSSL's verifier and a store of trusted roots:
 * the system's (the default paths of OpenSSL) or one file (--ca-file). So
 * one handshake serves both the DANE and the PKIX verdict.
 *
 * Facts only: an outcome, OpenSSL's X509_V_ERR_* code and the depth it
 * applies to; the words are in words_mtasts.h. No global state; a store is
 * read-only once made and can be shared by threads.
 */
#ifndef DANE_PKIX_H
#define DANE_PKIX_H

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
 * else OpenSSL's default paths (Debian: /etc/ssl/certs, the system store).
 * Returns the store, or NULL with a message in err (an unreadable file,
 * out of memory).
 */
struct pkix_store *pkix_store_new(const char *ca_file, char *err, size_t errsize);

/** Free a store. NULL is allowed. */
void pkix_store_free(struct pkix_store *store);

/**
 * Verify chain (leaf first, as presented; not changed) for host (an MX
 * host name, with or without the final dot) at time now: purpose TLS
 * server, RFC 6125 name matching without partial wildcards, the store's
 * roots as the only anchors. Fills *r and returns r->outcome.
 */
enum pkix_outcome pkix_verify(const struct pkix_store *store, STACK_OF(X509) * chain,
			      const char *host, time_t now, struct pkix_result *r);

/** Short lower-case name of an outcome: "ok", "untrusted", "name-mismatch", ... */
const char *pkix_outcome_name(enum pkix_outcome outcome);

#endif /* DANE_PKIX_H */
