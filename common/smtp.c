/*
 * smtp.c -- the SMTP dialogue of a DANE check, bounded in time and space.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "netio.h"
#include "smtp.h"

/* Clear *err: no failure. */
static void
error_clear(struct smtp_error *err)
{
	memset(err, 0, sizeof(*err));
}

/* Fail *err with a failure that has no facts but its kind; returns SMTP_ERR_LOCAL. */
static enum smtp_result
error_local(struct smtp_error *err, enum smtp_fail fail)
{
	error_clear(err);
	err->fail = fail;
	return SMTP_ERR_LOCAL;
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
	smtp_parser_clear(&c->parser);
	c->pos = c->len = 0;
}

void
smtp_conn_set_tls(struct smtp_conn *c, SSL *ssl)
{
	c->ssl = ssl;
	c->pos = c->len = 0;
	smtp_parser_clear(&c->parser);
}

/* The result of a netio call for the session; a failure's facts go to *err. */
static enum smtp_result
io_result(const struct netio_error *e, struct smtp_error *err)
{
	if (e->status == NETIO_OK)
		return SMTP_OK;
	error_clear(err);
	err->fail = SMTP_FAIL_IO;
	err->io = *e;
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
fill(struct smtp_conn *c, const struct netio_end *end, struct smtp_error *err)
{
	struct netio_error e;
	size_t got = 0;

	c->pos = c->len = 0;
	if (netio_read(c->fd, c->ssl, c->buf, sizeof(c->buf), &got, end, &e) == NETIO_OK)
		c->len = got;
	return io_result(&e, err);
}

/* The parser failed: its facts into *err. */
static enum smtp_result
parse_failed(const struct smtp_parser *p, struct smtp_error *err)
{
	error_clear(err);
	err->fail = SMTP_FAIL_PARSE;
	err->parse = *smtp_parser_error(p);
	return err->parse.fault == SMTP_FAULT_NOMEM ? SMTP_ERR_LOCAL : SMTP_ERR_PROTOCOL;
}

/* Read one reply before end. */
static enum smtp_result
read_reply(struct smtp_conn *c, const struct netio_end *end, struct smtp_reply *reply,
	   struct smtp_error *err)
{
	enum smtp_result r;

	error_clear(err);
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
			case SMTP_PARSE_NOMEM:
				return parse_failed(&c->parser, err);
			case SMTP_PARSE_MORE:
			default:
				break;
			}
		}
		if (smtp_parser_error(&c->parser)->fault != SMTP_FAULT_NONE)
			return parse_failed(&c->parser, err);
		r = fill(c, end, err);
		if (r == SMTP_ERR_CLOSED && c->parser.total > 0)
			err->fail = SMTP_FAIL_CLOSED_MID_REPLY;
		if (r != SMTP_OK)
			return r;
	}
}

enum smtp_result
smtp_connect(const struct sockaddr *sa, socklen_t salen, const struct deadline *dl,
	     struct smtp_conn *c, struct smtp_error *err)
{
	struct netio_end end = netio_end_of(dl, -1);
	double t0 = deadline_now();
	struct netio_error e;
	int fd = -1;

	error_clear(err);
	if (c->fd >= 0)
		return error_local(err, SMTP_FAIL_CONNECTED);
	if (netio_connect(sa, salen, &end, &fd, &e) != NETIO_OK)
		return io_result(&e, err);
	c->connected_at = deadline_now();
	c->connect_time = c->connected_at - t0;
	c->fd = fd;
	c->ssl = NULL;
	c->pos = c->len = 0;
	smtp_parser_clear(&c->parser);
	return SMTP_OK;
}

enum smtp_result
smtp_read_reply(struct smtp_conn *c, const struct deadline *dl, struct smtp_reply *reply,
		struct smtp_error *err)
{
	struct netio_end end = netio_end_of(dl, -1);

	if (c->fd < 0) {
		memset(reply, 0, sizeof(*reply));
		return error_local(err, SMTP_FAIL_NOT_CONNECTED);
	}
	return read_reply(c, &end, reply, err);
}

/* Build "line\r\n" in buf, refusing control characters and long lines. */
static enum smtp_result
make_command(const char *line, char *buf, size_t bufsize, size_t *len, struct smtp_error *err)
{
	size_t n = strlen(line), i;

	if (n > SMTP_COMMAND_MAX || n + 3 > bufsize)
		return error_local(err, SMTP_FAIL_LONG_COMMAND);
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)line[i];

		if (ch < 0x20 || ch == 0x7f)
			return error_local(err, SMTP_FAIL_CONTROL_COMMAND);
	}
	memcpy(buf, line, n);
	memcpy(buf + n, "\r\n", 3);
	*len = n + 2;
	return SMTP_OK;
}

static enum smtp_result
send_line(struct smtp_conn *c, const struct netio_end *end, const char *line,
	  struct smtp_error *err)
{
	char buf[SMTP_COMMAND_MAX + 3];
	struct netio_error e;
	enum smtp_result r;
	size_t len = 0;

	error_clear(err);
	if (c->fd < 0)
		return error_local(err, SMTP_FAIL_NOT_CONNECTED);
	r = make_command(line, buf, sizeof(buf), &len, err);
	if (r != SMTP_OK)
		return r;
	netio_write_all(c->fd, c->ssl, buf, len, end, &e);
	return io_result(&e, err);
}

enum smtp_result
smtp_send_line(struct smtp_conn *c, const struct deadline *dl, const char *line,
	       struct smtp_error *err)
{
	struct netio_end end = netio_end_of(dl, -1);

	return send_line(c, &end, line, err);
}

enum smtp_result
smtp_quit(struct smtp_conn *c, const struct deadline *dl)
{
	struct netio_end end = netio_end_of(dl, SMTP_QUIT_WAIT_MS);
	struct smtp_reply reply;
	struct smtp_error err;
	enum smtp_result r;

	if (c->fd < 0)
		return SMTP_ERR_LOCAL;
	/* whatever came before is of no interest now */
	c->pos = c->len = 0;
	smtp_parser_clear(&c->parser);
	r = send_line(c, &end, "QUIT", &err);
	if (r != SMTP_OK)
		return r;
	r = read_reply(c, &end, &reply, &err);
	smtp_reply_clear(&reply);
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

static void
session_init(struct smtp_session *s)
{
	memset(s, 0, sizeof(*s));
	s->result = SMTP_ERR_LOCAL;
	s->stage = SMTP_STAGE_CONNECT;
	s->connect_time = -1;
	s->greeting_time = -1;
}

/* End the session with result r for reason why (its words: words_smtp_session()). */
static enum smtp_result
session_end(struct smtp_session *s, enum smtp_result r, enum smtp_why why)
{
	s->result = r;
	s->why = why;
	return r;
}

/* A step failed at the current stage (err its facts). */
static enum smtp_result
session_step_failed(struct smtp_session *s, const struct smtp_conn *c, enum smtp_result r,
		    const struct smtp_error *err)
{
	s->step = *err;
	s->partial_reply = c != NULL && c->parser.total > 0;
	return session_end(s, r, SMTP_WHY_STEP);
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

/* Read the greeting. */
static enum smtp_result
greeting_step(struct smtp_conn *c, const struct deadline *dl, struct smtp_session *out)
{
	struct smtp_reply reply;
	struct smtp_error err;
	enum smtp_result r;

	out->stage = SMTP_STAGE_GREETING;
	r = smtp_read_reply(c, dl, &reply, &err);
	if (r != SMTP_OK)
		return session_step_failed(out, c, r, &err);
	out->greeting_time = deadline_now() - c->connected_at;
	out->greeting_code = reply.code;
	keep_line(&reply, out->greeting, sizeof(out->greeting), &out->greeting_len);
	/* like Postfix's client: any 2xx greeting (RFC 5321 says 220) */
	if (reply.code / 100 != 2)
		r = session_end(out, SMTP_ERR_GREETING, SMTP_WHY_GREETING);
	smtp_reply_clear(&reply);
	return r;
}

/* Send EHLO (cmd) and check that its reply offers STARTTLS. */
static enum smtp_result
ehlo_step(struct smtp_conn *c, const char *cmd, const struct deadline *dl, struct smtp_session *out)
{
	struct smtp_reply reply;
	struct smtp_error err;
	enum smtp_result r;

	memset(&reply, 0, sizeof(reply));
	out->stage = SMTP_STAGE_EHLO;
	r = smtp_send_line(c, dl, cmd, &err);
	if (r == SMTP_OK)
		r = smtp_read_reply(c, dl, &reply, &err);
	if (r != SMTP_OK)
		return session_step_failed(out, c, r, &err);
	out->ehlo_code = reply.code;
	keep_line(&reply, out->ehlo_line, sizeof(out->ehlo_line), &out->ehlo_line_len);
	if (reply.code / 100 != 2) {
		/* Postfix would try HELO now, but HELO has no STARTTLS. */
		out->ehlo_rejected = true;
		r = session_end(out, SMTP_ERR_NO_STARTTLS, SMTP_WHY_EHLO_REJECTED);
		goto out;
	}
	smtp_reply_keywords(&reply, out->ehlo_keywords, sizeof(out->ehlo_keywords));
	out->starttls_offered = smtp_reply_has_keyword(&reply, "STARTTLS");
	if (!out->starttls_offered)
		r = session_end(out, SMTP_ERR_NO_STARTTLS, SMTP_WHY_NO_STARTTLS);
out:
	smtp_reply_clear(&reply);
	return r;
}

/* Send STARTTLS and check that it is accepted. */
static enum smtp_result
starttls_step(struct smtp_conn *c, const struct deadline *dl, struct smtp_session *out)
{
	struct smtp_reply reply;
	struct smtp_error err;
	enum smtp_result r;

	memset(&reply, 0, sizeof(reply));
	out->stage = SMTP_STAGE_STARTTLS;
	r = smtp_send_line(c, dl, "STARTTLS", &err);
	if (r == SMTP_OK)
		r = smtp_read_reply(c, dl, &reply, &err);
	if (r != SMTP_OK)
		return session_step_failed(out, c, r, &err);
	out->starttls_code = reply.code;
	keep_line(&reply, out->starttls_line, sizeof(out->starttls_line), &out->starttls_line_len);
	/* like Postfix's client: any 2xx (RFC 3207 says 220) */
	if (reply.code / 100 != 2)
		r = session_end(out, SMTP_ERR_STARTTLS_REFUSED, SMTP_WHY_STARTTLS_REFUSED);
	smtp_reply_clear(&reply);
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
	if (c->pos < c->len) {
		out->injected = c->len - c->pos;
		return session_end(out, SMTP_ERR_PROTOCOL, SMTP_WHY_INJECTION);
	}
	/*
	 * A server that closed (or reset) the connection after its 220 is left
	 * to the TLS handshake, which reports it in the same words whatever the
	 * socket says (EOF, ECONNRESET or EPIPE, before or after the ClientHello).
	 */
	if (netio_pending(c->fd))
		return session_end(out, SMTP_ERR_PROTOCOL, SMTP_WHY_INJECTION);
	return SMTP_OK;
}

enum smtp_result
smtp_starttls(struct smtp_conn *c, const char *helo_name, const struct deadline *dl,
	      struct smtp_session *out)
{
	char cmd[SMTP_COMMAND_MAX + 1];
	struct smtp_error err;
	enum smtp_result r;

	session_init(out);
	out->connect_time = c->connect_time;
	if (c->fd < 0)
		return session_step_failed(out, NULL, error_local(&err, SMTP_FAIL_NOT_CONNECTED),
					   &err);
	if (helo_name == NULL || *helo_name == '\0' || strchr(helo_name, ' ') != NULL ||
	    (size_t)snprintf(cmd, sizeof(cmd), "EHLO %s", helo_name) >= sizeof(cmd))
		return session_end(out, SMTP_ERR_LOCAL, SMTP_WHY_BAD_HELO);
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
	return session_end(out, SMTP_OK, SMTP_WHY_ACCEPTED);
}

enum smtp_result
smtp_connect_starttls(const struct sockaddr *sa, socklen_t salen, const char *helo_name,
		      const struct deadline *dl, struct smtp_conn *c, struct smtp_session *out)
{
	struct smtp_error err;
	enum smtp_result r;

	r = smtp_connect(sa, salen, dl, c, &err);
	if (r != SMTP_OK) {
		session_init(out);
		return session_step_failed(out, NULL, r, &err);
	}
	return smtp_starttls(c, helo_name, dl, out);
}
