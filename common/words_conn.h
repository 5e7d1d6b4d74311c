/*
 * words_conn.h -- the words of connection facts: what netio, smtp_parser,
 * smtp and tls report (a status or outcome with its cause, errno, OpenSSL's
 * error codes, reply codes and raw first lines, the stage, byte counts) said
 * as the sentences of the plugins' detail lines. The only place those
 * sentences are composed.
 *
 * Every function that takes buf writes into it (size bytes, always
 * NUL-terminated when size > 0, cut to fit) and returns it. Server text is
 * cleaned (text_sanitize(), TEXT_MASK) and cut (WORDS_QUOTE_MAX) here;
 * errno text is netio_strerror()'s, OpenSSL's is ERR_error_string_n()'s
 * (a queue of errors through sslerr_words()) and
 * X509_verify_cert_error_string()'s, both raw (sanitize before printing).
 * Pure functions of their facts: no static buffers, safe in any thread.
 */
#ifndef DANE_WORDS_CONN_H
#define DANE_WORDS_CONN_H

#include <stddef.h>

#include "netio.h"
#include "smtp.h"
#include "smtp_parser.h"
#include "tls.h"

/** Server text quoted in words is cut after this many bytes. */
#define WORDS_QUOTE_MAX 120

/** Room for the words of an SMTP session (words_smtp_session()): longer ones are cut. */
#define WORDS_SMTP_SESSION_MAX 384

/** Room for the words of a TLS result (words_tls_result()): longer ones are cut. */
#define WORDS_TLS_RESULT_MAX 320

/** Room for the words of a netio failure (words_netio()). */
#define WORDS_NETIO_MAX 320

/**
 * A netio failure from the client's side: "connection refused", "network
 * unreachable", "host unreachable", "connection timed out (no answer from
 * the host)", "connection reset by the server", "the server closed the
 * connection", "the server closed the TLS connection", "the server closed
 * the connection (without TLS close_notify)", "TLS error: <OpenSSL's
 * error>", "timed out after N s", "poll: ...", "cannot create a socket:
 * ...", "cannot connect: ...", another errno's text; "" for NETIO_OK and
 * NETIO_WANT_*.
 */
const char *words_netio(const struct netio_error *e, char *buf, size_t size);

/**
 * A parser failure: "invalid reply code", "reply code changes from 250 to
 * 251 within one reply", "reply line too long (over 2048 bytes)", "reply
 * too long (over 65536 bytes)", "too many lines in one reply (over 1000)",
 * "out of memory"; "" if it did not fail.
 */
const char *words_smtp_parse(const struct smtp_parse_error *e, char *buf, size_t size);

/**
 * A failed SMTP step: words_netio() of its I/O failure, "the server closed
 * the connection in the middle of a reply", words_smtp_parse(), "not
 * connected", "already connected", "command too long (over 510 bytes)",
 * "control character in a command"; "" if it did not fail.
 */
const char *words_smtp_error(const struct smtp_error *e, char *buf, size_t size);

/**
 * How a session ended, with the stage: "timed out after 10 s while waiting
 * for the greeting (part of a reply came)", "protocol error after STARTTLS:
 * ...", "connection refused", "greeting is 554, not 2xx: <its first line>",
 * "EHLO rejected with 502, so no STARTTLS: <...>", "STARTTLS not offered in
 * the reply to EHLO", "STARTTLS refused with 454: <...>", "STARTTLS
 * accepted (220), ready for TLS", "not probed: the deadline (10 s) came
 * before its turn (...)", ... Server lines are cleaned and cut.
 */
const char *words_smtp_session(const struct smtp_session *s, char *buf, size_t size);

/** A result in a few words: "connection refused", "STARTTLS not offered", ... */
const char *words_smtp_result(enum smtp_result result);

/** A stage in words: "connecting", "waiting for the greeting", "after EHLO", ... */
const char *words_smtp_stage(enum smtp_stage stage);

/**
 * How a handshake ended: "verified by TLSA 3 1 1 at depth 0", "certificate
 * verification failed: <OpenSSL's text>", "no usable TLSA record (2
 * records): the server is not authenticated", "TLS handshake failed: <the
 * queue>", "the server has no RSA certificate: ...", "the server closed the
 * connection after STARTTLS, without answering the TLS ClientHello", "timed
 * out in the TLS handshake, waiting to read (<state>)", "invalid argument",
 * "cannot enable DANE: <the queue>", ...
 */
const char *words_tls_result(const struct tls_result *r, char *buf, size_t size);

/**
 * Why a TLSA record was not used: "PKIX usage, not used by SMTP (RFC 7672
 * 3.1.3)", OpenSSL's reason for refusing it (ERR_reason_error_string()),
 * "" for an added record or without a reason.
 */
const char *words_tls_record_note(const struct tls_record_note *n, char *buf, size_t size);

#endif /* DANE_WORDS_CONN_H */
