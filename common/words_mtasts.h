/*
 * words_mtasts.h -- the words of MTA-STS facts: a TXT record that does not
 * parse, a policy that does not parse, how a policy fetch ended, and what
 * the WebPKI says of a presented chain (pkix.h). The only place those
 * sentences are composed.
 *
 * Every function writes into buf (size bytes, always NUL-terminated when
 * size > 0, cut to fit) and returns it. Bytes from the network are cleaned
 * (text_sanitize(), TEXT_ESCAPE) and cut (WORDS_MTASTS_QUOTE_MAX) here.
 * Pure functions of their facts: safe in any thread.
 */
#ifndef DANE_WORDS_MTASTS_H
#define DANE_WORDS_MTASTS_H

#include <stddef.h>

#include "cert.h"
#include "mtasts.h"
#include "mtasts_fetch.h"
#include "pkix.h"

/** Server text quoted in words is cut after this many bytes. */
#define WORDS_MTASTS_QUOTE_MAX 60

/** Room for the words of this module (longer ones are cut). */
#define WORDS_MTASTS_MAX 400

/**
 * Why a TXT record does not parse: "the record is 65000 bytes long (at
 * most 1024)", "byte 0x00 at offset 12 (NUL and control bytes are not
 * allowed)", "'x y' at offset 9 is no name=value field", "no id field",
 * "the id 'a-b' is not 1-32 letters and digits", "a second id field at
 * offset 20"; "" for a valid one.
 */
const char *words_mtasts_txt(const struct mtasts_txt *t, char *buf, size_t size);

/**
 * Why a policy does not parse, with the line: "line 3: mode 'Enforce' is
 * not enforce, testing or none", "no max_age field", "line 2 holds the
 * byte 0x00", "more than 128 mx fields (line 131)", ...; "" for a valid one.
 */
const char *words_mtasts_policy(const struct mtasts_policy *p, char *buf, size_t size);

/**
 * How a fetch ended, for a line that reports a failure: "connection
 * refused (127.0.1.9)", "the server's certificate is not valid for
 * mta-sts.example.org: <curl's text>", "TLS handshake failed: <curl's
 * text>", "timed out after 10 s (HTTP status 200, 120 bytes of the body
 * received)", "HTTP status 404", "a redirect (301) to 'https://...'",
 * "Content-Type 'text/html' is not text/plain", "the body is over 65536
 * bytes", "more than 100 header lines", ...; "" for MTASTS_FETCH_OK.
 */
const char *words_mtasts_fetch(const struct mtasts_fetch *f, const char *host, char *buf,
			       size_t size);

/**
 * What a WebPKI-validating sender says of a chain for host: "valid
 * for mx1.example.org", "the certificate is self-signed", "no chain to a
 * trusted root (unable to get local issuer certificate at depth 1)", "the
 * certificate does not name mx1.example.org (it names DNS:a, DNS:b)", "the
 * certificate expired on 2024-05-01" ... leaf describes the presented leaf
 * (NULL: not known).
 */
const char *words_pkix(const struct pkix_result *r, const char *host, const struct cert_info *leaf,
		       char *buf, size_t size);

/** The short words of an outcome: "valid", "not trusted", "wrong name", "expired", ... */
const char *words_pkix_short(enum pkix_outcome outcome);

#endif /* DANE_WORDS_MTASTS_H */
