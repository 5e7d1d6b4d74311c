/*
 * smtp.c -- the SMTP dialogue of a DANE check, bounded in time and space.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "netio.h"
#include "smtp.h"
#include "text.h"

/* Server text quoted in a reason is cut after this many bytes. */
#define SMTP_QUOTE_MAX 120

/* --- small helpers ---------------------------------------------------- */

static void set_err(char *err, size_t errsize, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
set_err(char *err, size_t errsize, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errsize == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errsize, fmt, ap);
	va_end(ap);
}

/* --- connection I/O --------------------------------------------------- */

void
smtp_conn_init(struct smtp_conn *c)
{
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->connect_time = -1;
	smtp_parser_init(&c->parser);
}

void
smtp_conn_close(struct smtp_conn *c)
{
	if (c == NULL)
		return;
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->ssl = NULL;
	smtp_parser_free(&c->parser);
	c->pos = c->len = 0;
}

void
smtp_conn_set_tls(struct smtp_conn *c, SSL *ssl)
{
	c->ssl = ssl;
	c->pos = c->len = 0;
	smtp_parser_free(&c->parser);
}

/* The result of a netio call for the session; the words of a failure go to err. */
static enum smtp_result
io_result(const struct netio_error *e, char *err, size_t errsize)
{
	if (e->status == NETIO_OK)
		return SMTP_OK;
	set_err(err, errsize, "%s", e->text);
	switch (e->status) {
	case NETIO_CLOSED:
	case NETIO_RESET:
		return SMTP_ERR_CLOSED;
	case NETIO_REFUSED:
		return SMTP_ERR_CONNECT_REFUSED;
	case NETIO_TIMEOUT:
		return SMTP_ERR_TIMEOUT;
	case NETIO_TLS:
		return SMTP_ERR_PROTOCOL;
	case NETIO_UNREACHABLE:
	case NETIO_ERROR:
		return SMTP_ERR_UNREACHABLE;
	default:
		return SMTP_ERR_LOCAL;
	}
}

/* Receive what is there (waiting until end for something) into c->buf. */
static enum smtp_result
fill(struct smtp_conn *c, const struct netio_end *end, char *err, size_t errsize)
{
	struct netio_error e;
	size_t got = 0;

	c->pos = c->len = 0;
	if (netio_read(c->fd, c->ssl, c->buf, sizeof(c->buf), &got, end, &e) == NETIO_OK)
		c->len = got;
	return io_result(&e, err, errsize);
}

/* Read one reply before end. */
static enum smtp_result
read_reply(struct smtp_conn *c, const struct netio_end *end, struct smtp_reply *reply, char *err,
	   size_t errsize)
{
	enum smtp_result r;

	memset(reply, 0, sizeof(*reply));
	for (;;) {
		if (c->pos < c->len) {
			size_t used = 0;
			enum smtp_parse st = smtp_parser_feed(&c->parser, c->buf + c->pos,
							      c->len - c->pos, &used, reply);

			c->pos += used;
			switch (st) {
			case SMTP_PARSE_DONE:
				return SMTP_OK;
			case SMTP_PARSE_ERROR:
				set_err(err, errsize, "%s", smtp_parser_error(&c->parser));
				return SMTP_ERR_PROTOCOL;
			case SMTP_PARSE_NOMEM:
				set_err(err, errsize, "out of memory");
				return SMTP_ERR_LOCAL;
			case SMTP_PARSE_MORE:
			default:
				break;
			}
		}
		if (c->parser.failed) {
			set_err(err, errsize, "%s", smtp_parser_error(&c->parser));
			return c->parser.nomem ? SMTP_ERR_LOCAL : SMTP_ERR_PROTOCOL;
		}
		r = fill(c, end, err, errsize);
		if (r == SMTP_ERR_CLOSED && c->parser.total > 0)
			set_err(err, errsize,
				"the server closed the connection in the middle of a reply");
		if (r != SMTP_OK)
			return r;
	}
}

enum smtp_result
smtp_connect(const struct sockaddr *sa, socklen_t salen, const struct deadline *dl,
	     struct smtp_conn *c, char *err, size_t errsize)
{
	struct netio_end end = netio_end_of(dl, -1);
	double t0 = deadline_now();
	struct netio_error e;
	int fd = -1;

	if (c->fd >= 0) {
		set_err(err, errsize, "already connected");
		return SMTP_ERR_LOCAL;
	}
	if (netio_connect(sa, salen, &end, &fd, &e) != NETIO_OK)
		return io_result(&e, err, errsize);
	c->connected_at = deadline_now();
	c->connect_time = c->connected_at - t0;
	c->fd = fd;
	c->ssl = NULL;
	c->pos = c->len = 0;
	smtp_parser_free(&c->parser);
	return SMTP_OK;
}

enum smtp_result
smtp_read_reply(struct smtp_conn *c, const struct deadline *dl, struct smtp_reply *reply, char *err,
		size_t errsize)
{
	struct netio_end end = netio_end_of(dl, -1);

	if (c->fd < 0) {
		memset(reply, 0, sizeof(*reply));
		set_err(err, errsize, "not connected");
		return SMTP_ERR_LOCAL;
	}
	return read_reply(c, &end, reply, err, errsize);
}

/* Build "line\r\n" in buf, refusing control characters and long lines. */
static enum smtp_result
make_command(const char *line, char *buf, size_t bufsize, size_t *len, char *err, size_t errsize)
{
	size_t n = strlen(line), i;

	if (n > SMTP_COMMAND_MAX || n + 3 > bufsize) {
		set_err(err, errsize, "command too long (over %d bytes)", SMTP_COMMAND_MAX);
		return SMTP_ERR_LOCAL;
	}
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)line[i];

		if (ch < 0x20 || ch == 0x7f) {
			set_err(err, errsize, "control character in a command");
			return SMTP_ERR_LOCAL;
		}
	}
	memcpy(buf, line, n);
	memcpy(buf + n, "\r\n", 3);
	*len = n + 2;
	return SMTP_OK;
}

static enum smtp_result
send_line(struct smtp_conn *c, const struct netio_end *end, const char *line, char *err,
	  size_t errsize)
{
	char buf[SMTP_COMMAND_MAX + 3];
	struct netio_error e;
	enum smtp_result r;
	size_t len = 0;

	if (c->fd < 0) {
		set_err(err, errsize, "not connected");
		return SMTP_ERR_LOCAL;
	}
	r = make_command(line, buf, sizeof(buf), &len, err, errsize);
	if (r != SMTP_OK)
		return r;
	netio_write_all(c->fd, c->ssl, buf, len, end, &e);
	return io_result(&e, err, errsize);
}

enum smtp_result
smtp_send_line(struct smtp_conn *c, const struct deadline *dl, const char *line, char *err,
	       size_t errsize)
{
	struct netio_end end = netio_end_of(dl, -1);

	return send_line(c, &end, line, err, errsize);
}

enum smtp_result
smtp_quit(struct smtp_conn *c, const struct deadline *dl)
{
	struct netio_end end = netio_end_of(dl, SMTP_QUIT_WAIT_MS);
	struct smtp_reply reply;
	enum smtp_result r;
	char err[256];

	if (c->fd < 0)
		return SMTP_ERR_LOCAL;
	/* whatever came before is of no interest now */
	c->pos = c->len = 0;
	smtp_parser_free(&c->parser);
	r = send_line(c, &end, "QUIT", err, sizeof(err));
	if (r != SMTP_OK)
		return r;
	r = read_reply(c, &end, &reply, err, sizeof(err));
	smtp_reply_free(&reply);
	return r;
}

/* --- the STARTTLS dialogue -------------------------------------------- */

const char *
smtp_result_name(enum smtp_result result)
{
	switch (result) {
	case SMTP_OK:
		return "ok";
	case SMTP_ERR_CONNECT_REFUSED:
		return "refused";
	case SMTP_ERR_UNREACHABLE:
		return "unreachable";
	case SMTP_ERR_TIMEOUT:
		return "timeout";
	case SMTP_ERR_GREETING:
		return "greeting";
	case SMTP_ERR_PROTOCOL:
		return "protocol";
	case SMTP_ERR_CLOSED:
		return "closed";
	case SMTP_ERR_NO_STARTTLS:
		return "no-starttls";
	case SMTP_ERR_STARTTLS_REFUSED:
		return "starttls-refused";
	case SMTP_ERR_LOCAL:
	default:
		return "local";
	}
}

const char *
smtp_result_text(enum smtp_result result)
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
smtp_stage_name(enum smtp_stage stage)
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
		return smtp_stage_name(stage);
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

static void
session_init(struct smtp_session *s)
{
	memset(s, 0, sizeof(*s));
	s->result = SMTP_ERR_LOCAL;
	s->stage = SMTP_STAGE_CONNECT;
	s->connect_time = -1;
	s->greeting_time = -1;
}

/* End the session with result r: reason is "<err> <stage>" or "<fmt...>". */
static enum smtp_result session_end(struct smtp_session *s, enum smtp_result r, const char *fmt,
				    ...) __attribute__((format(printf, 3, 4)));

static enum smtp_result
session_end(struct smtp_session *s, enum smtp_result r, const char *fmt, ...)
{
	va_list ap;

	s->result = r;
	va_start(ap, fmt);
	vsnprintf(s->reason, sizeof(s->reason), fmt, ap);
	va_end(ap);
	return r;
}

/* A failed read or write at the current stage: say so with the stage. */
static enum smtp_result
session_io_error(struct smtp_session *s, struct smtp_conn *c, enum smtp_result r, const char *err)
{
	switch (r) {
	case SMTP_ERR_TIMEOUT:
		return session_end(s, r, "%s %s%s", err, wait_phrase(s->stage),
				   c->parser.total > 0 ? " (part of a reply came)" : "");
	case SMTP_ERR_PROTOCOL:
		return session_end(s, r, "protocol error %s: %s", stage_phrase(s->stage), err);
	default:
		return session_end(s, r, "%s %s", err, stage_phrase(s->stage));
	}
}

/* Copy a reply's first line into a raw, bounded field. */
static void
keep_line(const struct smtp_reply *reply, char *dst, size_t dstsize, size_t *len)
{
	size_t n = reply->first_line_len < dstsize ? reply->first_line_len : dstsize - 1;

	memcpy(dst, reply->first_line, n);
	dst[n] = '\0';
	*len = n;
}

/* A reply's first line, cleaned and cut, to quote in a reason. */
static const char *
quote(const struct smtp_reply *reply, char *text, size_t size)
{
	text_sanitize(text, size, reply->first_line, reply->first_line_len, SMTP_QUOTE_MAX,
		      TEXT_MASK);
	return text;
}

/* Read the greeting. */
static enum smtp_result
greeting_step(struct smtp_conn *c, const struct deadline *dl, struct smtp_session *out)
{
	char err[256], text[SMTP_QUOTE_MAX + 8];
	struct smtp_reply reply;
	enum smtp_result r;

	out->stage = SMTP_STAGE_GREETING;
	r = smtp_read_reply(c, dl, &reply, err, sizeof(err));
	if (r != SMTP_OK)
		return session_io_error(out, c, r, err);
	out->greeting_time = deadline_now() - c->connected_at;
	out->greeting_code = reply.code;
	keep_line(&reply, out->greeting, sizeof(out->greeting), &out->greeting_len);
	/* like Postfix's client: any 2xx greeting (RFC 5321 says 220) */
	if (reply.code / 100 != 2)
		r = session_end(out, SMTP_ERR_GREETING, "greeting is %d, not 2xx: %s", reply.code,
				quote(&reply, text, sizeof(text)));
	smtp_reply_free(&reply);
	return r;
}

/* Send EHLO (cmd) and check that its reply offers STARTTLS. */
static enum smtp_result
ehlo_step(struct smtp_conn *c, const char *cmd, const struct deadline *dl, struct smtp_session *out)
{
	char err[256], text[SMTP_QUOTE_MAX + 8];
	struct smtp_reply reply;
	enum smtp_result r;

	memset(&reply, 0, sizeof(reply));
	out->stage = SMTP_STAGE_EHLO;
	r = smtp_send_line(c, dl, cmd, err, sizeof(err));
	if (r == SMTP_OK)
		r = smtp_read_reply(c, dl, &reply, err, sizeof(err));
	if (r != SMTP_OK)
		return r == SMTP_ERR_LOCAL ? session_end(out, r, "%s", err)
					   : session_io_error(out, c, r, err);
	out->ehlo_code = reply.code;
	if (reply.code / 100 != 2) {
		/* Postfix would try HELO now, but HELO has no STARTTLS. */
		out->ehlo_rejected = true;
		r = session_end(out, SMTP_ERR_NO_STARTTLS,
				"EHLO rejected with %d, so no STARTTLS: %s", reply.code,
				quote(&reply, text, sizeof(text)));
		goto out;
	}
	smtp_reply_keywords(&reply, out->ehlo_keywords, sizeof(out->ehlo_keywords));
	out->starttls_offered = smtp_reply_has_keyword(&reply, "STARTTLS");
	if (!out->starttls_offered)
		r = session_end(out, SMTP_ERR_NO_STARTTLS,
				"STARTTLS not offered in the reply to EHLO");
out:
	smtp_reply_free(&reply);
	return r;
}

/* Send STARTTLS and check that it is accepted. */
static enum smtp_result
starttls_step(struct smtp_conn *c, const struct deadline *dl, struct smtp_session *out)
{
	char err[256], text[SMTP_QUOTE_MAX + 8];
	struct smtp_reply reply;
	enum smtp_result r;

	memset(&reply, 0, sizeof(reply));
	out->stage = SMTP_STAGE_STARTTLS;
	r = smtp_send_line(c, dl, "STARTTLS", err, sizeof(err));
	if (r == SMTP_OK)
		r = smtp_read_reply(c, dl, &reply, err, sizeof(err));
	if (r != SMTP_OK)
		return session_io_error(out, c, r, err);
	out->starttls_code = reply.code;
	keep_line(&reply, out->starttls_line, sizeof(out->starttls_line), &out->starttls_line_len);
	/* like Postfix's client: any 2xx (RFC 3207 says 220) */
	if (reply.code / 100 != 2)
		r = session_end(out, SMTP_ERR_STARTTLS_REFUSED, "STARTTLS refused with %d: %s",
				reply.code, quote(&reply, text, sizeof(text)));
	smtp_reply_free(&reply);
	return r;
}

/*
 * Nothing may come between the 220 and the TLS handshake: bytes already
 * here were sent before our ClientHello (command injection, CVE-2011-0411).
 * Never hand them to TLS.
 */
static enum smtp_result
injection_check(struct smtp_conn *c, struct smtp_session *out)
{
	if (c->pos < c->len)
		return session_end(
		    out, SMTP_ERR_PROTOCOL,
		    "protocol error after STARTTLS: %zu bytes came after the 220 reply, "
		    "before the TLS handshake (command injection?)",
		    c->len - c->pos);
	/*
	 * A server that closed (or reset) the connection after its 220 is left
	 * to the TLS handshake, which reports it in the same words whatever the
	 * socket says (EOF, ECONNRESET or EPIPE, before or after the ClientHello).
	 */
	if (netio_pending(c->fd))
		return session_end(out, SMTP_ERR_PROTOCOL,
				   "protocol error after STARTTLS: bytes came after the 220 "
				   "reply, before the TLS handshake (command injection?)");
	return SMTP_OK;
}

enum smtp_result
smtp_starttls(struct smtp_conn *c, const char *helo_name, const struct deadline *dl,
	      struct smtp_session *out)
{
	char cmd[SMTP_COMMAND_MAX + 1];
	enum smtp_result r;

	session_init(out);
	out->connect_time = c->connect_time;
	if (c->fd < 0)
		return session_end(out, SMTP_ERR_LOCAL, "not connected");
	if (helo_name == NULL || *helo_name == '\0' || strchr(helo_name, ' ') != NULL ||
	    (size_t)snprintf(cmd, sizeof(cmd), "EHLO %s", helo_name) >= sizeof(cmd))
		return session_end(out, SMTP_ERR_LOCAL, "invalid EHLO name");
	r = greeting_step(c, dl, out);
	if (r == SMTP_OK)
		r = ehlo_step(c, cmd, dl, out);
	if (r == SMTP_OK)
		r = starttls_step(c, dl, out);
	if (r == SMTP_OK)
		r = injection_check(c, out);
	if (r != SMTP_OK)
		return r;
	out->stage = SMTP_STAGE_DONE;
	return session_end(out, SMTP_OK, "STARTTLS accepted (220), ready for TLS");
}

enum smtp_result
smtp_connect_starttls(const struct sockaddr *sa, socklen_t salen, const char *helo_name,
		      const struct deadline *dl, struct smtp_conn *c, struct smtp_session *out)
{
	enum smtp_result r;
	char err[256];

	r = smtp_connect(sa, salen, dl, c, err, sizeof(err));
	if (r != SMTP_OK) {
		session_init(out);
		if (r == SMTP_ERR_TIMEOUT)
			return session_end(out, r, "%s while connecting", err);
		return session_end(out, r, "%s", err);
	}
	return smtp_starttls(c, helo_name, dl, out);
}
