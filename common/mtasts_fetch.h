/*
 * mtasts_fetch.h -- the HTTPS GET of an MTA-STS policy (RFC 8461 3.3) with
 * libcurl: https only, the certificate checked for the policy host under the
 * system's CAs (or --ca-file), no redirect followed, no proxy, no cache,
 * the body cut at MTASTS_POLICY_MAX bytes, the headers bounded, and all of
 * it under the run's deadline (curl's multi interface, polled with the
 * time left). The connection goes to the addresses the caller looked up
 * (CURLOPT_RESOLVE): the plugin's own resolver, never the system's. The
 * system's roots are read from OpenSSL's hashed directory, by subject
 * (pkix.h); the bundle file only when that finds no root.
 *
 * Facts only: a status, curl's code and error buffer (raw text: sanitize),
 * the HTTP status, the raw Content-Type and Location headers, the body.
 * Only check_mta_sts links this module (and libcurl).
 */
#ifndef DANE_MTASTS_FETCH_H
#define DANE_MTASTS_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "deadline.h"
#include "mx.h"

/** Most header lines of a response, and their total bytes. */
#define MTASTS_FETCH_HEADERS_MAX      100
#define MTASTS_FETCH_HEADER_BYTES_MAX (16 * 1024)

/** Room for raw header values and curl's error text (cut to fit). */
#define MTASTS_FETCH_VALUE_MAX 256

/** How the fetch ended. */
enum mtasts_fetch_status {
	MTASTS_FETCH_OK = 0,       /* 200, text/plain, a body within the bound */
	MTASTS_FETCH_NO_ADDRESS,   /* the caller had no address to connect to */
	MTASTS_FETCH_CONNECT,      /* no TCP connection: curl_code, os_errno */
	MTASTS_FETCH_CERT,         /* the certificate is not valid for the host: verify_result */
	MTASTS_FETCH_TLS,          /* another TLS failure (alert, protocol) */
	MTASTS_FETCH_TIMEOUT,      /* the deadline came first: time, http_status, body_received */
	MTASTS_FETCH_STATUS,       /* a status other than 200 and 3xx: http_status */
	MTASTS_FETCH_REDIRECT,     /* a 3xx: http_status, location */
	MTASTS_FETCH_CONTENT_TYPE, /* 200, but not text/plain: content_type */
	MTASTS_FETCH_TOO_LARGE,    /* a body over MTASTS_POLICY_MAX bytes (declared or sent) */
	MTASTS_FETCH_HEADERS,      /* over MTASTS_FETCH_HEADERS_MAX lines or _BYTES_MAX bytes */
	MTASTS_FETCH_PROTOCOL,     /* the server broke HTTP (curl_code says how) */
	MTASTS_FETCH_LOCAL,        /* our side: curl could not start, out of memory */
};

/** What the caller fetches from where. */
struct mtasts_fetch_params {
	const char *host;            /* "mta-sts.example.org": URL host, SNI, name checked */
	unsigned int port;           /* 443 */
	const struct mx_addr *addrs; /* where mta-sts.<domain> is (the caller's DNS) */
	size_t naddrs;
	const char *ca_file; /* trusted roots; NULL: the system's (pkix_system_dir()) */
};

/** The facts of one fetch. Free with mtasts_fetch_clear(). */
struct mtasts_fetch {
	enum mtasts_fetch_status status;
	char url[MX_NAME_MAX + 64];                /* what was fetched */
	int curl_code;                             /* CURLcode of the transfer, 0 when none */
	char curl_error[MTASTS_FETCH_VALUE_MAX];   /* curl's error buffer, raw ("" if none) */
	long os_errno;                             /* CONNECT: CURLINFO_OS_ERRNO */
	long verify_result;                        /* CERT: CURLINFO_SSL_VERIFYRESULT (X509_V_*) */
	char address[64];                          /* the address it connected to, "" if none */
	long http_status;                          /* the final response's status, 0 if none */
	char content_type[MTASTS_FETCH_VALUE_MAX]; /* its Content-Type (raw, cut), "" if none */
	size_t content_type_len;
	bool has_content_type;
	char location[MTASTS_FETCH_VALUE_MAX]; /* its Location (raw, cut), "" if none */
	size_t location_len;
	size_t headers;        /* header lines received */
	size_t header_bytes;   /* their bytes */
	bool headers_exceeded; /* the header bounds stopped the transfer */
	uint8_t *body;         /* owned, body_len bytes (at most the bound) */
	size_t body_len;
	size_t body_received; /* bytes of body received (also beyond the bound) */
	bool body_exceeded;   /* the body bound stopped the transfer */
	double time;          /* seconds the fetch took */
};

/**
 * Fetch https://<host>[:<port>]/.well-known/mta-sts.txt as RFC 8461 3.3
 * says, connecting to p->addrs, within dl. r is always filled; free it with
 * mtasts_fetch_clear(). Call it before any other thread uses libcurl (it
 * initializes and cleans up libcurl's global state).
 */
void mtasts_fetch_run(const struct mtasts_fetch_params *p, const struct deadline *dl,
		      struct mtasts_fetch *r);

/** Free what r holds. NULL is allowed. */
void mtasts_fetch_clear(struct mtasts_fetch *r);

#endif /* DANE_MTASTS_FETCH_H */
