/*
 * words_conn.c -- connection facts in words (netio, smtp_parser, smtp, tls).
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "sslerr.h"
#include "text.h"
#include "words_conn.h"

/* Size of the buffers for errno's text (netio_strerror()). */
#define SYS_TEXT_MAX 128

/* Size of the buffer for one OpenSSL error (ERR_error_string_n()). */
#define SSL_TEXT_MAX 256

/* Size of the words of a failed SMTP step inside the words of a session. */
#define STEP_TEXT_MAX 256

/* --- netio ---------------------------------------------------------------- */

/* A socket call's errno from the client's side (NETIO_CAUSE_ERRNO). */
static const char *
errno_words(int sys, char *buf, size_t size)
{
	char text[SYS_TEXT_MAX];

	switch (sys) {
	case ECONNREFUSED:
		return text_say(buf, size, "connection refused");
	case ENETUNREACH:
	case ENETDOWN:
		return text_say(buf, size, "network unreachable");
	case EHOSTUNREACH:
	case EHOSTDOWN:
		return text_say(buf, size, "host unreachable");
	case ETIMEDOUT:
		return text_say(buf, size, "connection timed out (no answer from the host)");
	case ECONNRESET:
		return text_say(buf, size, "connection reset by the server");
	case EPIPE:
		return text_say(buf, size, "the server closed the connection");
	default:
		return text_say(buf, size, "%s", netio_strerror(sys, text, sizeof(text)));
	}
}

const char *
words_netio(const struct netio_error *e, char *buf, size_t size)
{
	char text[SSL_TEXT_MAX];

	switch (e->cause) {
	case NETIO_CAUSE_ERRNO:
		return errno_words(e->sys, buf, size);
	case NETIO_CAUSE_EOF:
		return text_say(buf, size, "the server closed the connection");
	case NETIO_CAUSE_TLS_CLOSE:
		return text_say(buf, size, "the server closed the TLS connection");
	case NETIO_CAUSE_TLS_EOF:
		return text_say(buf, size,
				"the server closed the connection (without TLS close_notify)");
	case NETIO_CAUSE_TLS_ERROR:
		if (e->ssl_code != 0)
			ERR_error_string_n(e->ssl_code, text, sizeof(text));
		else
			snprintf(text, sizeof(text), "unknown error");
		return text_say(buf, size, "TLS error: %s", text);
	case NETIO_CAUSE_DEADLINE:
		return text_say(buf, size, "timed out after %u s", e->seconds);
	case NETIO_CAUSE_POLL:
		return text_say(buf, size, "poll: %s", netio_strerror(e->sys, text, SYS_TEXT_MAX));
	case NETIO_CAUSE_SOCKET:
		return text_say(buf, size, "cannot create a socket: %s",
				netio_strerror(e->sys, text, SYS_TEXT_MAX));
	case NETIO_CAUSE_CONNECT:
		return text_say(buf, size, "cannot connect: %s",
				netio_strerror(e->sys, text, SYS_TEXT_MAX));
	case NETIO_CAUSE_NONE:
	default:
		return text_say(buf, size, "%s", "");
	}
}

/* --- SMTP ------------------------------------------------------------------ */

const char *
words_smtp_parse(const struct smtp_parse_error *e, char *buf, size_t size)
{
	switch (e->fault) {
	case SMTP_FAULT_CODE:
		return text_say(buf, size, "invalid reply code");
	case SMTP_FAULT_CODE_CHANGED:
		return text_say(buf, size, "reply code changes from %d to %d within one reply",
				e->code, e->line_code);
	case SMTP_FAULT_LINE_TOO_LONG:
		return text_say(buf, size, "reply line too long (over %d bytes)", SMTP_LINE_MAX);
	case SMTP_FAULT_REPLY_TOO_LONG:
		return text_say(buf, size, "reply too long (over %d bytes)", SMTP_REPLY_BYTES_MAX);
	case SMTP_FAULT_TOO_MANY_LINES:
		return text_say(buf, size, "too many lines in one reply (over %d)",
				SMTP_REPLY_LINES_MAX);
	case SMTP_FAULT_NOMEM:
		return text_say(buf, size, "out of memory");
	case SMTP_FAULT_NONE:
	default:
		return text_say(buf, size, "%s", "");
	}
}

const char *
words_smtp_error(const struct smtp_error *e, char *buf, size_t size)
{
	switch (e->fail) {
	case SMTP_FAIL_IO:
		return words_netio(&e->io, buf, size);
	case SMTP_FAIL_CLOSED_MID_REPLY:
		return text_say(buf, size,
				"the server closed the connection in the middle of a reply");
	case SMTP_FAIL_PARSE:
		return words_smtp_parse(&e->parse, buf, size);
	case SMTP_FAIL_NOT_CONNECTED:
		return text_say(buf, size, "not connected");
	case SMTP_FAIL_CONNECTED:
		return text_say(buf, size, "already connected");
	case SMTP_FAIL_LONG_COMMAND:
		return text_say(buf, size, "command too long (over %d bytes)", SMTP_COMMAND_MAX);
	case SMTP_FAIL_CONTROL_COMMAND:
		return text_say(buf, size, "control character in a command");
	case SMTP_FAIL_NONE:
	default:
		return text_say(buf, size, "%s", "");
	}
}

const char *
words_smtp_result(enum smtp_result result)
{
	switch (result) {
	case SMTP_OK:
		return "STARTTLS accepted";
	case SMTP_ERR_CONNECT_REFUSED:
		return "connection refused";
	case SMTP_ERR_UNREACHABLE:
		return "unreachable";
	case SMTP_ERR_TIMEOUT:
		return "timed out";
	case SMTP_ERR_GREETING:
		return "greeting is not 2xx";
	case SMTP_ERR_PROTOCOL:
		return "SMTP protocol error";
	case SMTP_ERR_CLOSED:
		return "connection closed by the server";
	case SMTP_ERR_NO_STARTTLS:
		return "STARTTLS not offered";
	case SMTP_ERR_STARTTLS_REFUSED:
		return "STARTTLS refused";
	case SMTP_ERR_LOCAL:
	default:
		return "local error";
	}
}

const char *
words_smtp_stage(enum smtp_stage stage)
{
	switch (stage) {
	case SMTP_STAGE_CONNECT:
		return "connecting";
	case SMTP_STAGE_GREETING:
		return "waiting for the greeting";
	case SMTP_STAGE_EHLO:
		return "after EHLO";
	case SMTP_STAGE_STARTTLS:
		return "after STARTTLS";
	case SMTP_STAGE_DONE:
	default:
		return "ready for TLS";
	}
}

/* The stage as the end of a sentence: "while connecting", "after EHLO". */
static const char *
stage_phrase(enum smtp_stage stage)
{
	switch (stage) {
	case SMTP_STAGE_CONNECT:
		return "while connecting";
	case SMTP_STAGE_GREETING:
		return "while waiting for the greeting";
	default:
		return words_smtp_stage(stage);
	}
}

/* The same for a timeout: "while waiting for the reply to EHLO". */
static const char *
wait_phrase(enum smtp_stage stage)
{
	switch (stage) {
	case SMTP_STAGE_EHLO:
		return "while waiting for the reply to EHLO";
	case SMTP_STAGE_STARTTLS:
		return "while waiting for the reply to STARTTLS";
	default:
		return stage_phrase(stage);
	}
}

/* A raw reply line (len bytes), cleaned and cut, to quote. */
static const char *
quote(const char *line, size_t len, char *text, size_t size)
{
	text_sanitize(text, size, line, len, WORDS_QUOTE_MAX, TEXT_MASK);
	return text;
}

/* A step that failed at the session's stage. */
static const char *
step_words(const struct smtp_session *s, char *buf, size_t size)
{
	char err[STEP_TEXT_MAX];

	words_smtp_error(&s->step, err, sizeof(err));
	/* a failed connect, or no connection: the step's words alone, "while connecting"
	 * only for a timeout; a local failure of EHLO (a command refused): alone */
	if (s->stage == SMTP_STAGE_CONNECT) {
		if (s->result == SMTP_ERR_TIMEOUT)
			return text_say(buf, size, "%s while connecting", err);
		return text_say(buf, size, "%s", err);
	}
	if (s->stage == SMTP_STAGE_EHLO && s->result == SMTP_ERR_LOCAL)
		return text_say(buf, size, "%s", err);
	switch (s->result) {
	case SMTP_ERR_TIMEOUT:
		return text_say(buf, size, "%s %s%s", err, wait_phrase(s->stage),
				s->partial_reply ? " (part of a reply came)" : "");
	case SMTP_ERR_PROTOCOL:
		return text_say(buf, size, "protocol error %s: %s", stage_phrase(s->stage), err);
	default:
		return text_say(buf, size, "%s %s", err, stage_phrase(s->stage));
	}
}

const char *
words_smtp_session(const struct smtp_session *s, char *buf, size_t size)
{
	char text[WORDS_QUOTE_MAX + 8];

	switch (s->why) {
	case SMTP_WHY_NOT_PROBED:
		return text_say(
		    buf, size,
		    "not probed: the deadline (%u s) came before its turn (%zu probes at "
		    "once: file descriptors are limited, see ulimit -n)",
		    s->skipped_seconds, s->skipped_parallel);
	case SMTP_WHY_STEP:
		return step_words(s, buf, size);
	case SMTP_WHY_BAD_HELO:
		return text_say(buf, size, "invalid EHLO name");
	case SMTP_WHY_GREETING:
		return text_say(buf, size, "greeting is %d, not 2xx: %s", s->greeting_code,
				quote(s->greeting, s->greeting_len, text, sizeof(text)));
	case SMTP_WHY_EHLO_REJECTED:
		return text_say(buf, size, "EHLO rejected with %d, so no STARTTLS: %s",
				s->ehlo_code,
				quote(s->ehlo_line, s->ehlo_line_len, text, sizeof(text)));
	case SMTP_WHY_NO_STARTTLS:
		return text_say(buf, size, "STARTTLS not offered in the reply to EHLO");
	case SMTP_WHY_STARTTLS_REFUSED:
		return text_say(buf, size, "STARTTLS refused with %d: %s", s->starttls_code,
				quote(s->starttls_line, s->starttls_line_len, text, sizeof(text)));
	case SMTP_WHY_INJECTION:
		if (s->injected > 0)
			return text_say(
			    buf, size,
			    "protocol error after STARTTLS: %zu bytes came after the 220 "
			    "reply, before the TLS handshake (command injection?)",
			    s->injected);
		return text_say(buf, size,
				"protocol error after STARTTLS: bytes came after the 220 reply, "
				"before the TLS handshake (command injection?)");
	case SMTP_WHY_ACCEPTED:
		return text_say(buf, size, "STARTTLS accepted (220), ready for TLS");
	case SMTP_WHY_NOMEM:
		return text_say(buf, size, "out of memory");
	case SMTP_WHY_NOT_STARTED:
	default:
		return text_say(buf, size, "the probe could not be started");
	}
}

/* --- TLS -------------------------------------------------------------------- */

/* What the failed set-up call was for. */
static const char *
setup_what(enum tls_setup setup)
{
	switch (setup) {
	case TLS_SETUP_FD:
		return "cannot use the socket";
	case TLS_SETUP_SIGALGS:
		return "cannot ask for a certificate type";
	case TLS_SETUP_DANE:
		return "cannot enable DANE";
	case TLS_SETUP_NAME:
		return "cannot add a reference name";
	case TLS_SETUP_NEW:
	default:
		return "cannot make a TLS connection";
	}
}

/* OpenSSL's queue after "TLS handshake failed", and SSL_get_error()'s value if unusual. */
static const char *
tls_error_words(const struct tls_result *r, char *buf, size_t size)
{
	size_t len;

	sslerr_words("TLS handshake failed", &r->queue, buf, size);
	if (size > 0 && r->io.ssl_error != SSL_ERROR_SSL && r->io.ssl_error != SSL_ERROR_SYSCALL) {
		len = strlen(buf);
		text_say(buf + len, size - len, " (SSL error %d)", r->io.ssl_error);
	}
	return buf;
}

const char *
words_tls_result(const struct tls_result *r, char *buf, size_t size)
{
	char text[SYS_TEXT_MAX];

	switch (r->why) {
	case TLS_WHY_BASE_DOMAIN:
		return text_say(buf, size, "invalid TLSA base domain");
	case TLS_WHY_NOMEM:
		return text_say(buf, size, "out of memory");
	case TLS_WHY_SETUP:
		return sslerr_words(setup_what(r->setup), &r->queue, buf, size);
	case TLS_WHY_WAIT:
		return words_netio(&r->io, buf, size);
	case TLS_WHY_TIMEOUT:
		return text_say(buf, size, "timed out in the TLS handshake, waiting to %s (%s)",
				r->want_write ? "write" : "read", r->state);
	case TLS_WHY_CLOSED:
		if (r->io.peer_silent)
			return text_say(buf, size,
					"the server closed the connection after STARTTLS, without "
					"answering the TLS ClientHello");
		return text_say(buf, size, "the server %s the connection during the TLS handshake",
				r->io.status == NETIO_RESET ? "reset" : "closed");
	case TLS_WHY_NOT_OFFERED:
		return text_say(
		    buf, size,
		    "the server has no %s certificate: it refused a handshake that offers "
		    "only %s signatures",
		    tls_key_type_name(r->key_type), tls_key_type_name(r->key_type));
	case TLS_WHY_TLS_ERROR:
		return tls_error_words(r, buf, size);
	case TLS_WHY_SOCKET_ERROR:
		return text_say(buf, size, "TLS handshake failed: socket error: %s",
				netio_strerror(r->io.sys, text, sizeof(text)));
	case TLS_WHY_NO_USABLE:
		return text_say(
		    buf, size,
		    "no usable TLSA record (%zu record%s): the server is not authenticated",
		    r->nrecords, r->nrecords == 1 ? "" : "s");
	case TLS_WHY_VERIFY:
		return text_say(buf, size, "certificate verification failed: %s",
				X509_verify_cert_error_string(r->verify_error));
	case TLS_WHY_NOT_BY_DANE:
		return text_say(buf, size, "the chain was not verified by DANE");
	case TLS_WHY_MATCHED:
		return text_say(buf, size, "verified by TLSA %u %u %u at depth %d",
				(unsigned int)r->match.usage, (unsigned int)r->match.selector,
				(unsigned int)r->match.mtype, r->match_depth);
	case TLS_WHY_ARGUMENT:
	default:
		return text_say(buf, size, "invalid argument");
	}
}

const char *
words_tls_record_note(const struct tls_record_note *n, char *buf, size_t size)
{
	const char *text = NULL;

	switch (n->status) {
	case TLS_REC_PKIX:
		return text_say(buf, size, "PKIX usage, not used by SMTP (RFC 7672 3.1.3)");
	case TLS_REC_UNUSABLE:
	case TLS_REC_FAILED:
		if (n->ssl_code != 0)
			text = ERR_reason_error_string(n->ssl_code);
		return text_say(buf, size, "%s", text != NULL ? text : "");
	case TLS_REC_ADDED:
	default:
		return text_say(buf, size, "%s", "");
	}
}
