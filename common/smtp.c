/*
 * smtp.c -- the SMTP client side of a DANE check, bounded in time and space.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>

#include "output.h"
#include "smtp.h"
#include "text.h"

/* Longest EHLO keyword kept in struct smtp_session.ehlo_keywords. */
#define SMTP_KEYWORD_LEN 32
/* Server text quoted in a reason is cut after this many bytes. */
#define SMTP_QUOTE_MAX 120

/* --- small helpers ---------------------------------------------------- */

/* The monotonic ms at which to give up: the deadline, or sooner by cap_ms (< 0: no cap). */
static long long
end_of(const struct deadline *dl, int cap_ms)
{
	int left = deadline_ms_left(dl);

	if (cap_ms >= 0 && left > cap_ms)
		left = cap_ms;
	return deadline_now_ms() + left;
}

static int
ms_until(long long end)
{
	long long d = end - deadline_now_ms();

	if (d <= 0)
		return 0;
	return d > INT_MAX ? INT_MAX : (int)d;
}

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

static char
ascii_upper(char ch)
{
	return (ch >= 'a' && ch <= 'z') ? (char)(ch - 'a' + 'A') : ch;
}

/* --- the reply parser ------------------------------------------------- */

void
smtp_parser_init(struct smtp_parser *p)
{
	memset(p, 0, sizeof(*p));
}

void
smtp_parser_free(struct smtp_parser *p)
{
	if (p == NULL)
		return;
	free(p->reply.text);
	memset(p, 0, sizeof(*p));
}

void
smtp_reply_free(struct smtp_reply *reply)
{
	if (reply == NULL)
		return;
	free(reply->text);
	memset(reply, 0, sizeof(*reply));
}

const char *
smtp_parser_error(const struct smtp_parser *p)
{
	return p->failed ? p->error : "";
}

static enum smtp_parse parse_fail(struct smtp_parser *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static enum smtp_parse
parse_fail(struct smtp_parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->error, sizeof(p->error), fmt, ap);
	va_end(ap);
	p->failed = true;
	return SMTP_PARSE_ERROR;
}

static enum smtp_parse
parse_nomem(struct smtp_parser *p)
{
	snprintf(p->error, sizeof(p->error), "out of memory");
	p->failed = true;
	p->nomem = true;
	return SMTP_PARSE_NOMEM;
}

/* Append one byte to the reply text, growing it within the reply's bound. */
static enum smtp_parse
text_add(struct smtp_parser *p, char ch)
{
	struct smtp_reply *r = &p->reply;

	if (r->textlen + 2 > p->textsize) {
		size_t size = p->textsize ? p->textsize * 2 : 256;
		char *text;

		if (size < r->textlen + 2)
			size = r->textlen + 2;
		if (size > SMTP_REPLY_BYTES_MAX + 2)
			size = SMTP_REPLY_BYTES_MAX + 2;
		if (r->textlen + 2 > size)
			return parse_fail(p, "reply too long (over %d bytes)",
					  SMTP_REPLY_BYTES_MAX);
		text = realloc(r->text, size);
		if (text == NULL)
			return parse_nomem(p);
		r->text = text;
		p->textsize = size;
	}
	r->text[r->textlen++] = ch;
	r->text[r->textlen] = '\0';
	return SMTP_PARSE_MORE;
}

/* One byte of the current line that is not its line end. */
static enum smtp_parse
line_byte(struct smtp_parser *p, char ch)
{
	struct smtp_reply *r = &p->reply;
	size_t i = p->linelen;

	if (i >= SMTP_LINE_MAX)
		return parse_fail(p, "reply line too long (over %d bytes)", SMTP_LINE_MAX);
	if (i < 3) {
		if (ch < '0' || ch > '9' || (i == 0 && (ch < '2' || ch > '5')))
			return parse_fail(p, "invalid reply code");
		p->linecode = p->linecode * 10 + (ch - '0');
		if (i == 2 && r->nlines > 0 && p->linecode != r->code)
			return parse_fail(p, "reply code changes from %d to %d within one reply",
					  r->code, p->linecode);
		if (i == 2 && r->nlines == 0)
			r->code = p->linecode;
		if (i == 0 && r->nlines > 0) {
			enum smtp_parse st = text_add(p, '\n'); /* joins the lines */

			if (st != SMTP_PARSE_MORE)
				return st;
		}
	} else if (i == 3) {
		if (ch == '-')
			p->last = false;
		else if (ch == ' ')
			p->last = true;
		else
			return parse_fail(p, "invalid reply code");
	} else {
		enum smtp_parse st = text_add(p, ch);

		if (st != SMTP_PARSE_MORE)
			return st;
	}
	if (r->nlines == 0) {
		if (r->first_line_len + 1 < sizeof(r->first_line))
			r->first_line[r->first_line_len++] = ch;
		else
			r->first_line_cut = true;
		r->first_line[r->first_line_len] = '\0';
	}
	p->linelen++;
	return SMTP_PARSE_MORE;
}

/* The current line ended (LF); returns SMTP_PARSE_DONE after the last line. */
static enum smtp_parse
line_end(struct smtp_parser *p)
{
	struct smtp_reply *r = &p->reply;

	if (p->linelen < 3)
		return parse_fail(p, "invalid reply code");
	if (p->linelen == 3)
		p->last = true; /* "DDD" alone */
	r->nlines++;
	p->linelen = 0;
	p->linecode = 0;
	if (p->last)
		return SMTP_PARSE_DONE;
	if (r->nlines >= SMTP_REPLY_LINES_MAX)
		return parse_fail(p, "too many lines in one reply (over %d)", SMTP_REPLY_LINES_MAX);
	return SMTP_PARSE_MORE;
}

enum smtp_parse
smtp_parser_feed(struct smtp_parser *p, const char *bytes, size_t len, size_t *consumed,
		 struct smtp_reply *reply)
{
	enum smtp_parse st = SMTP_PARSE_MORE;
	size_t i;

	*consumed = 0;
	if (p->failed)
		return p->nomem ? SMTP_PARSE_NOMEM : SMTP_PARSE_ERROR;
	for (i = 0; i < len; i++) {
		char ch = bytes[i];

		if (p->total >= SMTP_REPLY_BYTES_MAX) {
			st = parse_fail(p, "reply too long (over %d bytes)", SMTP_REPLY_BYTES_MAX);
			break;
		}
		if (ch == '\n') {
			p->cr = false;
			p->total++;
			st = line_end(p);
			if (st != SMTP_PARSE_MORE) {
				if (st == SMTP_PARSE_DONE)
					i++;
				break;
			}
			continue;
		}
		if (p->cr) {
			/* a CR that does not end the line is data */
			p->cr = false;
			st = line_byte(p, '\r');
			if (st != SMTP_PARSE_MORE)
				break;
		}
		if (ch == '\r') {
			p->cr = true;
			p->total++;
			continue;
		}
		st = line_byte(p, ch);
		if (st != SMTP_PARSE_MORE)
			break;
		p->total++;
	}
	*consumed = i;
	if (st == SMTP_PARSE_DONE) {
		if (p->reply.text == NULL) {
			/* no text at all ("250\r\n"): still a string */
			p->reply.text = calloc(1, 1);
			if (p->reply.text == NULL)
				return parse_nomem(p);
		}
		*reply = p->reply;
		memset(p, 0, sizeof(*p));
	}
	return st;
}

/* Length of the first word of a line: up to a space, a tab or '=' (old AUTH=). */
static size_t
first_word(const char *line, size_t len)
{
	size_t n = 0;

	while (n < len && line[n] != ' ' && line[n] != '\t' && line[n] != '=')
		n++;
	return n;
}

/*
 * Call fn for the first word of every line of an EHLO reply from the second
 * on; stops when fn returns true, and returns that.
 */
static bool
each_ehlo_word(const struct smtp_reply *reply, bool (*fn)(const char *word, size_t len, void *arg),
	       void *arg)
{
	const char *p, *end, *nl;

	if (reply == NULL || reply->text == NULL)
		return false;
	p = reply->text;
	end = reply->text + reply->textlen;
	nl = memchr(p, '\n', (size_t)(end - p));
	while (nl != NULL) {
		size_t linelen;

		p = nl + 1;
		nl = memchr(p, '\n', (size_t)(end - p));
		linelen = (size_t)((nl != NULL ? nl : end) - p);
		if (fn(p, first_word(p, linelen), arg))
			return true;
	}
	return false;
}

static bool
word_is(const char *word, size_t len, void *arg)
{
	const char *keyword = arg;
	size_t i;

	if (len != strlen(keyword))
		return false;
	for (i = 0; i < len; i++)
		if (ascii_upper(word[i]) != ascii_upper(keyword[i]))
			return false;
	return true;
}

bool
smtp_reply_has_keyword(const struct smtp_reply *reply, const char *keyword)
{
	if (keyword == NULL || *keyword == '\0')
		return false;
	return each_ehlo_word(reply, word_is, (void *)(uintptr_t)keyword);
}

/* Append a plausible keyword (letters, digits, '-') in upper case to a list. */
static bool
add_keyword(const char *word, size_t len, void *arg)
{
	struct smtp_session *s = arg;
	size_t used = strlen(s->ehlo_keywords), i;

	if (len == 0 || len > SMTP_KEYWORD_LEN)
		return false;
	for (i = 0; i < len; i++) {
		char ch = word[i];

		if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		      (ch >= '0' && ch <= '9') || ch == '-'))
			return false;
	}
	if (used + (used > 0) + len + 1 > sizeof(s->ehlo_keywords))
		return false;
	if (used > 0)
		s->ehlo_keywords[used++] = ' ';
	for (i = 0; i < len; i++)
		s->ehlo_keywords[used++] = ascii_upper(word[i]);
	s->ehlo_keywords[used] = '\0';
	return false;
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

/* Wait for events on fd until end: 1 ready, 0 timed out, -1 poll failed (errno). */
static int
wait_fd(int fd, short events, long long end)
{
	for (;;) {
		struct pollfd pfd = {fd, events, 0};
		int left = ms_until(end), rc;

		if (left == 0)
			return 0;
		rc = poll(&pfd, 1, left);
		if (rc > 0)
			return 1; /* also POLLERR/POLLHUP: the next call says what */
		if (rc < 0 && errno != EINTR)
			return -1;
	}
}

/* A socket error in words, and what it means for the session. */
static enum smtp_result
socket_error(int e, char *err, size_t errsize)
{
	char buf[128];

	switch (e) {
	case ECONNREFUSED:
		set_err(err, errsize, "connection refused");
		return SMTP_ERR_CONNECT_REFUSED;
	case ENETUNREACH:
	case ENETDOWN:
		set_err(err, errsize, "network unreachable");
		return SMTP_ERR_UNREACHABLE;
	case EHOSTUNREACH:
	case EHOSTDOWN:
		set_err(err, errsize, "host unreachable");
		return SMTP_ERR_UNREACHABLE;
	case ETIMEDOUT:
		set_err(err, errsize, "connection timed out (no answer from the host)");
		return SMTP_ERR_TIMEOUT;
	case ECONNRESET:
		set_err(err, errsize, "connection reset by the server");
		return SMTP_ERR_CLOSED;
	case EPIPE:
		set_err(err, errsize, "the server closed the connection");
		return SMTP_ERR_CLOSED;
	default:
		set_err(err, errsize, "%s", output_strerror(e, buf, sizeof(buf)));
		return SMTP_ERR_UNREACHABLE;
	}
}

/* After a failed SSL_read/SSL_write: what it means, or 0 to wait for events. */
static enum smtp_result
tls_error(struct smtp_conn *c, int ret, short *events, char *err, size_t errsize)
{
	int e = errno;
	unsigned long code;
	char buf[256];

	switch (SSL_get_error(c->ssl, ret)) {
	case SSL_ERROR_WANT_READ:
		*events = POLLIN;
		return SMTP_OK;
	case SSL_ERROR_WANT_WRITE:
		*events = POLLOUT;
		return SMTP_OK;
	case SSL_ERROR_ZERO_RETURN:
		set_err(err, errsize, "the server closed the TLS connection");
		return SMTP_ERR_CLOSED;
	case SSL_ERROR_SYSCALL:
		if (ERR_peek_error() == 0) {
			if (e == 0 || ret == 0) {
				set_err(err, errsize, "the server closed the connection");
				return SMTP_ERR_CLOSED;
			}
			return socket_error(e, err, errsize);
		}
		break;
	default:
		break;
	}
	code = ERR_peek_last_error();
#ifdef SSL_R_UNEXPECTED_EOF_WHILE_READING
	if (ERR_GET_LIB(code) == ERR_LIB_SSL &&
	    ERR_GET_REASON(code) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
		ERR_clear_error();
		set_err(err, errsize,
			"the server closed the connection (without TLS close_notify)");
		return SMTP_ERR_CLOSED;
	}
#endif
	if (code != 0)
		ERR_error_string_n(code, buf, sizeof(buf));
	else
		snprintf(buf, sizeof(buf), "unknown error");
	ERR_clear_error();
	set_err(err, errsize, "TLS error: %s", buf);
	return SMTP_ERR_PROTOCOL;
}

static enum smtp_result
timed_out(const struct deadline *dl, char *err, size_t errsize)
{
	set_err(err, errsize, "timed out after %u s", dl->seconds);
	return SMTP_ERR_TIMEOUT;
}

/* Wait for the events a read or write needs, until end. */
static enum smtp_result
wait_io(struct smtp_conn *c, short events, long long end, const struct deadline *dl, char *err,
	size_t errsize)
{
	char buf[128];
	int rc = wait_fd(c->fd, events, end);

	if (rc == 0)
		return timed_out(dl, err, errsize);
	if (rc < 0) {
		set_err(err, errsize, "poll: %s", output_strerror(errno, buf, sizeof(buf)));
		return SMTP_ERR_LOCAL;
	}
	return SMTP_OK;
}

/* Receive what is there (waiting until end for something) into c->buf. */
static enum smtp_result
fill(struct smtp_conn *c, long long end, const struct deadline *dl, char *err, size_t errsize)
{
	enum smtp_result r;

	c->pos = c->len = 0;
	for (;;) {
		short events = POLLIN;

		if (c->ssl != NULL) {
			int n;

			ERR_clear_error();
			errno = 0;
			n = SSL_read(c->ssl, c->buf, (int)sizeof(c->buf));
			if (n > 0) {
				c->len = (size_t)n;
				return SMTP_OK;
			}
			r = tls_error(c, n, &events, err, errsize);
			if (r != SMTP_OK)
				return r;
		} else {
			ssize_t n = recv(c->fd, c->buf, sizeof(c->buf), 0);

			if (n > 0) {
				c->len = (size_t)n;
				return SMTP_OK;
			}
			if (n == 0) {
				set_err(err, errsize, "the server closed the connection");
				return SMTP_ERR_CLOSED;
			}
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				return socket_error(errno, err, errsize);
		}
		r = wait_io(c, events, end, dl, err, errsize);
		if (r != SMTP_OK)
			return r;
	}
}

/* Send all of data before end. */
static enum smtp_result
send_all(struct smtp_conn *c, const char *data, size_t len, long long end,
	 const struct deadline *dl, char *err, size_t errsize)
{
	enum smtp_result r;
	size_t off = 0;

	while (off < len) {
		short events = POLLOUT;

		if (c->ssl != NULL) {
			int n;

			ERR_clear_error();
			errno = 0;
			/* after WANT_*, SSL_write must be retried with the same arguments */
			n = SSL_write(c->ssl, data + off, (int)(len - off));
			if (n > 0) {
				off += (size_t)n;
				continue;
			}
			r = tls_error(c, n, &events, err, errsize);
			if (r != SMTP_OK)
				return r;
		} else {
			ssize_t n = send(c->fd, data + off, len - off, MSG_NOSIGNAL);

			if (n > 0) {
				off += (size_t)n;
				continue;
			}
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
				return socket_error(errno, err, errsize);
		}
		r = wait_io(c, events, end, dl, err, errsize);
		if (r != SMTP_OK)
			return r;
	}
	return SMTP_OK;
}

/* Read one reply before end. */
static enum smtp_result
read_reply(struct smtp_conn *c, long long end, const struct deadline *dl, struct smtp_reply *reply,
	   char *err, size_t errsize)
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
		r = fill(c, end, dl, err, errsize);
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
	enum smtp_result r;
	double t0;
	long long end;
	char buf[128];
	int fd = -1;

	t0 = deadline_now();
	end = end_of(dl, -1);
	if (c->fd >= 0) {
		set_err(err, errsize, "already connected");
		return SMTP_ERR_LOCAL;
	}
	if (ms_until(end) == 0) {
		r = timed_out(dl, err, errsize);
		goto out;
	}
	fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		set_err(err, errsize, "cannot create a socket: %s",
			output_strerror(errno, buf, sizeof(buf)));
		r = SMTP_ERR_LOCAL;
		goto out;
	}
	if (connect(fd, sa, salen) != 0) {
		int soerr = 0;
		socklen_t len = sizeof(soerr);
		int rc;

		if (errno != EINPROGRESS && errno != EINTR) {
			r = socket_error(errno, err, errsize);
			goto out;
		}
		rc = wait_fd(fd, POLLOUT, end);
		if (rc == 0) {
			r = timed_out(dl, err, errsize);
			goto out;
		}
		if (rc < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) != 0) {
			set_err(err, errsize, "cannot connect: %s",
				output_strerror(errno, buf, sizeof(buf)));
			r = SMTP_ERR_LOCAL;
			goto out;
		}
		if (soerr != 0) {
			r = socket_error(soerr, err, errsize);
			goto out;
		}
	}
	c->connected_at = deadline_now();
	c->connect_time = c->connected_at - t0;
	c->fd = fd;
	c->ssl = NULL;
	c->pos = c->len = 0;
	smtp_parser_free(&c->parser);
	fd = -1;
	r = SMTP_OK;
out:
	if (fd >= 0)
		close(fd);
	return r;
}

enum smtp_result
smtp_read_reply(struct smtp_conn *c, const struct deadline *dl, struct smtp_reply *reply, char *err,
		size_t errsize)
{
	if (c->fd < 0) {
		memset(reply, 0, sizeof(*reply));
		set_err(err, errsize, "not connected");
		return SMTP_ERR_LOCAL;
	}
	return read_reply(c, end_of(dl, -1), dl, reply, err, errsize);
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
send_line(struct smtp_conn *c, long long end, const struct deadline *dl, const char *line,
	  char *err, size_t errsize)
{
	char buf[SMTP_COMMAND_MAX + 3];
	enum smtp_result r;
	size_t len = 0;

	if (c->fd < 0) {
		set_err(err, errsize, "not connected");
		return SMTP_ERR_LOCAL;
	}
	r = make_command(line, buf, sizeof(buf), &len, err, errsize);
	if (r != SMTP_OK)
		return r;
	return send_all(c, buf, len, end, dl, err, errsize);
}

enum smtp_result
smtp_send_line(struct smtp_conn *c, const struct deadline *dl, const char *line, char *err,
	       size_t errsize)
{
	return send_line(c, end_of(dl, -1), dl, line, err, errsize);
}

enum smtp_result
smtp_quit(struct smtp_conn *c, const struct deadline *dl)
{
	long long end = end_of(dl, SMTP_QUIT_WAIT_MS);
	struct smtp_reply reply;
	enum smtp_result r;
	char err[256];

	if (c->fd < 0)
		return SMTP_ERR_LOCAL;
	/* whatever came before is of no interest now */
	c->pos = c->len = 0;
	smtp_parser_free(&c->parser);
	r = send_line(c, end, dl, "QUIT", err, sizeof(err));
	if (r != SMTP_OK)
		return r;
	r = read_reply(c, end, dl, &reply, err, sizeof(err));
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

enum smtp_result
smtp_starttls(struct smtp_conn *c, const char *helo_name, const struct deadline *dl,
	      struct smtp_session *out)
{
	char err[256], cmd[SMTP_COMMAND_MAX + 1], text[SMTP_QUOTE_MAX + 8];
	struct smtp_reply reply;
	enum smtp_result r;
	struct pollfd pfd;
	char peek;

	session_init(out);
	memset(&reply, 0, sizeof(reply));
	out->connect_time = c->connect_time;
	if (c->fd < 0) {
		r = session_end(out, SMTP_ERR_LOCAL, "not connected");
		goto out;
	}
	if (helo_name == NULL || *helo_name == '\0' || strchr(helo_name, ' ') != NULL ||
	    (size_t)snprintf(cmd, sizeof(cmd), "EHLO %s", helo_name) >= sizeof(cmd)) {
		r = session_end(out, SMTP_ERR_LOCAL, "invalid EHLO name");
		goto out;
	}

	/* the greeting */
	out->stage = SMTP_STAGE_GREETING;
	r = smtp_read_reply(c, dl, &reply, err, sizeof(err));
	if (r != SMTP_OK) {
		r = session_io_error(out, c, r, err);
		goto out;
	}
	out->greeting_time = deadline_now() - c->connected_at;
	out->greeting_code = reply.code;
	keep_line(&reply, out->greeting, sizeof(out->greeting), &out->greeting_len);
	/* like Postfix's client: any 2xx greeting (RFC 5321 says 220) */
	if (reply.code / 100 != 2) {
		text_sanitize(text, sizeof(text), reply.first_line, reply.first_line_len, SMTP_QUOTE_MAX,
			      TEXT_MASK);
		r = session_end(out, SMTP_ERR_GREETING, "greeting is %d, not 2xx: %s", reply.code,
				text);
		goto out;
	}
	smtp_reply_free(&reply);

	/* EHLO */
	out->stage = SMTP_STAGE_EHLO;
	r = smtp_send_line(c, dl, cmd, err, sizeof(err));
	if (r == SMTP_OK)
		r = smtp_read_reply(c, dl, &reply, err, sizeof(err));
	if (r != SMTP_OK) {
		r = r == SMTP_ERR_LOCAL ? session_end(out, r, "%s", err)
					: session_io_error(out, c, r, err);
		goto out;
	}
	out->ehlo_code = reply.code;
	if (reply.code / 100 != 2) {
		/* Postfix would try HELO now, but HELO has no STARTTLS. */
		out->ehlo_rejected = true;
		text_sanitize(text, sizeof(text), reply.first_line, reply.first_line_len, SMTP_QUOTE_MAX,
			      TEXT_MASK);
		r = session_end(out, SMTP_ERR_NO_STARTTLS,
				"EHLO rejected with %d, so no STARTTLS: %s", reply.code, text);
		goto out;
	}
	each_ehlo_word(&reply, add_keyword, out);
	out->starttls_offered = smtp_reply_has_keyword(&reply, "STARTTLS");
	if (!out->starttls_offered) {
		r = session_end(out, SMTP_ERR_NO_STARTTLS,
				"STARTTLS not offered in the reply to EHLO");
		goto out;
	}
	smtp_reply_free(&reply);

	/* STARTTLS */
	out->stage = SMTP_STAGE_STARTTLS;
	r = smtp_send_line(c, dl, "STARTTLS", err, sizeof(err));
	if (r == SMTP_OK)
		r = smtp_read_reply(c, dl, &reply, err, sizeof(err));
	if (r != SMTP_OK) {
		r = session_io_error(out, c, r, err);
		goto out;
	}
	out->starttls_code = reply.code;
	keep_line(&reply, out->starttls_line, sizeof(out->starttls_line), &out->starttls_line_len);
	/* like Postfix's client: any 2xx (RFC 3207 says 220) */
	if (reply.code / 100 != 2) {
		text_sanitize(text, sizeof(text), reply.first_line, reply.first_line_len, SMTP_QUOTE_MAX,
			      TEXT_MASK);
		r = session_end(out, SMTP_ERR_STARTTLS_REFUSED, "STARTTLS refused with %d: %s",
				reply.code, text);
		goto out;
	}
	/*
	 * Nothing may come between the 220 and the TLS handshake: bytes
	 * already here were sent before our ClientHello (command injection,
	 * CVE-2011-0411). Never hand them to TLS.
	 */
	if (c->pos < c->len) {
		r = session_end(
		    out, SMTP_ERR_PROTOCOL,
		    "protocol error after STARTTLS: %zu bytes came after the 220 reply, "
		    "before the TLS handshake (command injection?)",
		    c->len - c->pos);
		goto out;
	}
	/*
	 * A server that closed (or reset) the connection after its 220 is left
	 * to the TLS handshake, which reports it in the same words whatever the
	 * socket says (EOF, ECONNRESET or EPIPE, before or after the ClientHello).
	 */
	pfd = (struct pollfd){c->fd, POLLIN, 0};
	if (poll(&pfd, 1, 0) > 0 && recv(c->fd, &peek, 1, MSG_PEEK | MSG_DONTWAIT) > 0) {
		r = session_end(out, SMTP_ERR_PROTOCOL,
				"protocol error after STARTTLS: bytes came after the 220 "
				"reply, before the TLS handshake (command injection?)");
		goto out;
	}
	out->stage = SMTP_STAGE_DONE;
	r = session_end(out, SMTP_OK, "STARTTLS accepted (220), ready for TLS");
out:
	smtp_reply_free(&reply);
	return r;
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
