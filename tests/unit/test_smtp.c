/*
 * test_smtp.c -- the STARTTLS dialogue against a scripted SMTP server (a
 * thread on 127.0.0.1 that plays a list of steps), in clear and over TLS.
 * The reply parser's own tests are in test_smtp_parser.c.
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "smtp.h"
#include "words_conn.h"

#define HELO "client.example.test"

/* --- the scripted SMTP server ------------------------------------------ */

enum step_kind {
	STEP_END = 0,
	STEP_SEND,      /* send data */
	STEP_SEND_SLOW, /* send data one byte every ms */
	STEP_EXPECT,    /* read one command line and keep it */
	STEP_SLEEP,     /* wait ms */
	STEP_CLOSE,     /* close the connection now */
	STEP_TLS,       /* TLS handshake as server; the next steps go over TLS */
	STEP_SHUTDOWN,  /* TLS close_notify, then close */
};

struct step {
	enum step_kind kind;
	const char *data;
	int ms;
};

#define SEND(s)                                                                                    \
	{                                                                                          \
		STEP_SEND, (s), 0                                                                  \
	}
#define SLOW(s, ms)                                                                                \
	{                                                                                          \
		STEP_SEND_SLOW, (s), (ms)                                                          \
	}
#define EXPECT                                                                                     \
	{                                                                                          \
		STEP_EXPECT, NULL, 0                                                               \
	}
#define SLEEP(ms)                                                                                  \
	{                                                                                          \
		STEP_SLEEP, NULL, (ms)                                                             \
	}
#define CLOSE                                                                                      \
	{                                                                                          \
		STEP_CLOSE, NULL, 0                                                                \
	}
#define TLS                                                                                        \
	{                                                                                          \
		STEP_TLS, NULL, 0                                                                  \
	}
#define SHUTDOWN                                                                                   \
	{                                                                                          \
		STEP_SHUTDOWN, NULL, 0                                                             \
	}
#define END                                                                                        \
	{                                                                                          \
		STEP_END, NULL, 0                                                                  \
	}
#define GREETING     SEND("220 mx.example.test ESMTP\r\n")
#define EHLO_TLS_OK  SEND("250-mx.example.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n")
#define STARTTLS_220 SEND("220 2.0.0 Ready to start TLS\r\n")

struct fake {
	const struct step *steps;
	const char *big; /* for STEP_SEND with data == NULL: a big buffer */
	size_t biglen;
	int lfd, conn, stop[2];
	struct sockaddr_in addr;
	pthread_t thread;
	SSL_CTX *sctx;
	SSL *ssl;
	/* what the server saw */
	char lines[8][128];
	bool line_tls[8];
	int nlines;
	bool tls_ok;
	bool joined;
};

/* Wait for events on the connection; -1 when stopped or after 5 s. */
static int
fake_wait(struct fake *f, short events, int ms)
{
	struct pollfd p[2] = {{f->conn, events, 0}, {f->stop[0], POLLIN, 0}};

	if (poll(p, 2, ms) <= 0 || p[1].revents)
		return -1;
	return 0;
}

static int
fake_ssl_wait(struct fake *f, int ret)
{
	switch (SSL_get_error(f->ssl, ret)) {
	case SSL_ERROR_WANT_READ:
		return fake_wait(f, POLLIN, 5000);
	case SSL_ERROR_WANT_WRITE:
		return fake_wait(f, POLLOUT, 5000);
	default:
		return -1;
	}
}

static int
fake_write(struct fake *f, const char *data, size_t len)
{
	size_t off = 0;

	while (off < len) {
		if (f->ssl != NULL) {
			int n = SSL_write(f->ssl, data + off, (int)(len - off));

			if (n > 0)
				off += (size_t)n;
			else if (fake_ssl_wait(f, n) != 0)
				return -1;
		} else {
			ssize_t n = send(f->conn, data + off, len - off, MSG_NOSIGNAL);

			if (n > 0)
				off += (size_t)n;
			else if (n < 0 && errno != EAGAIN)
				return -1;
			else if (fake_wait(f, POLLOUT, 5000) != 0)
				return -1;
		}
	}
	return 0;
}

/* Read one byte: 1, or 0 at EOF, -1 on error or stop. */
static int
fake_getc(struct fake *f, char *ch)
{
	for (;;) {
		if (f->ssl != NULL) {
			int n = SSL_read(f->ssl, ch, 1);

			if (n > 0)
				return 1;
			if (SSL_get_error(f->ssl, n) == SSL_ERROR_ZERO_RETURN)
				return 0;
			if (fake_ssl_wait(f, n) != 0)
				return -1;
		} else {
			ssize_t n = recv(f->conn, ch, 1, 0);

			if (n >= 0)
				return (int)n;
			if (errno != EAGAIN)
				return -1;
			if (fake_wait(f, POLLIN, 5000) != 0)
				return -1;
		}
	}
}

static int
fake_expect(struct fake *f)
{
	char line[128];
	size_t n = 0;
	char ch;

	for (;;) {
		if (fake_getc(f, &ch) != 1)
			return -1;
		if (ch == '\n')
			break;
		if (ch != '\r' && n + 1 < sizeof(line))
			line[n++] = ch;
	}
	line[n] = '\0';
	if (f->nlines < 8) {
		snprintf(f->lines[f->nlines], sizeof(f->lines[0]), "%s", line);
		f->line_tls[f->nlines] = f->ssl != NULL;
		f->nlines++;
	}
	return 0;
}

static int
fake_step(struct fake *f, const struct step *s)
{
	size_t i;
	int rc;

	switch (s->kind) {
	case STEP_SEND:
		if (s->data == NULL)
			return fake_write(f, f->big, f->biglen);
		return fake_write(f, s->data, strlen(s->data));
	case STEP_SEND_SLOW:
		for (i = 0; s->data[i] != '\0'; i++) {
			if (fake_write(f, s->data + i, 1) != 0)
				return -1;
			if (poll(&(struct pollfd){f->stop[0], POLLIN, 0}, 1, s->ms) != 0)
				return -1;
		}
		return 0;
	case STEP_EXPECT:
		return fake_expect(f);
	case STEP_SLEEP:
		return poll(&(struct pollfd){f->stop[0], POLLIN, 0}, 1, s->ms) != 0 ? -1 : 0;
	case STEP_TLS:
		f->ssl = SSL_new(f->sctx);
		if (f->ssl == NULL || SSL_set_fd(f->ssl, f->conn) != 1)
			return -1;
		while ((rc = SSL_accept(f->ssl)) != 1)
			if (fake_ssl_wait(f, rc) != 0)
				return -1;
		f->tls_ok = true;
		return 0;
	case STEP_SHUTDOWN:
		SSL_shutdown(f->ssl);
		return -1; /* ends the script: the connection is closed */
	case STEP_CLOSE:
	default:
		return -1;
	}
}

static void *
fake_main(void *arg)
{
	struct fake *f = arg;
	const struct step *s;
	char ch;

	struct pollfd p[2] = {{f->lfd, POLLIN, 0}, {f->stop[0], POLLIN, 0}};

	if (poll(p, 2, 5000) <= 0 || p[1].revents)
		return NULL;
	f->conn = accept4(f->lfd, NULL, NULL, SOCK_NONBLOCK);
	if (f->conn < 0)
		return NULL;
	for (s = f->steps; s->kind != STEP_END; s++)
		if (fake_step(f, s) != 0)
			goto out;
	/* the script is over: keep reading until the client goes */
	while (fake_getc(f, &ch) == 1)
		;
out:
	if (f->ssl != NULL)
		SSL_free(f->ssl);
	f->ssl = NULL;
	close(f->conn);
	f->conn = -1;
	return NULL;
}

static struct fake *
fake_start(const struct step *steps)
{
	struct fake *f = calloc(1, sizeof(*f));
	socklen_t len = sizeof(f->addr);

	ck_assert_ptr_nonnull(f);
	f->steps = steps;
	f->conn = -1;
	f->addr.sin_family = AF_INET;
	f->addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	f->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(f->lfd, 0);
	ck_assert_int_eq(bind(f->lfd, (struct sockaddr *)&f->addr, sizeof(f->addr)), 0);
	ck_assert_int_eq(getsockname(f->lfd, (struct sockaddr *)&f->addr, &len), 0);
	ck_assert_int_eq(listen(f->lfd, 4), 0);
	ck_assert_int_eq(pipe(f->stop), 0);
	return f;
}

static void
fake_run(struct fake *f)
{
	ck_assert_int_eq(pthread_create(&f->thread, NULL, fake_main, f), 0);
}

/* Stop the server thread; what it saw can be read afterwards. */
static void
fake_join(struct fake *f)
{
	if (f->joined)
		return;
	ck_assert_int_eq(write(f->stop[1], "x", 1), 1);
	pthread_join(f->thread, NULL);
	f->joined = true;
}

/* Stop the server and free it. */
static void
fake_stop(struct fake *f)
{
	fake_join(f);
	close(f->lfd);
	close(f->stop[0]);
	close(f->stop[1]);
	if (f->sctx != NULL)
		SSL_CTX_free(f->sctx);
	free(f);
}

/* Connect to f and run the STARTTLS dialogue under dl. */
static enum smtp_result
dialogue(struct fake *f, const struct deadline *dl, struct smtp_conn *c, struct smtp_session *s)
{
	smtp_conn_init(c);
	return smtp_connect_starttls((const struct sockaddr *)&f->addr, sizeof(f->addr), HELO, dl,
				     c, s);
}

/* Play steps against a client with a deadline of seconds; conn left open. */
static struct fake *
play(const struct step *steps, unsigned int seconds, struct smtp_conn *c, struct smtp_session *s)
{
	struct fake *f = fake_start(steps);
	struct deadline dl;

	fake_run(f);
	deadline_start(&dl, seconds);
	dialogue(f, &dl, c, s);
	return f;
}

/* The words of a session's facts, in a static buffer (used by one thread at a time). */
static const char *
words_of(const struct smtp_session *s)
{
	static char buf[WORDS_SMTP_SESSION_MAX];

	return words_smtp_session(s, buf, sizeof(buf));
}

/* --- dialogue tests ---------------------------------------------------- */

START_TEST(good_server_reaches_tls_with_the_socket_open)
{
	static const struct step steps[] = {GREETING, EXPECT,       EHLO_TLS_OK,
					    EXPECT,   STARTTLS_220, END};
	struct smtp_session s;
	struct smtp_conn c;
	struct fake *f = play(steps, 3, &c, &s);

	ck_assert_msg(s.result == SMTP_OK, "%s", words_of(&s));
	ck_assert_int_eq(s.stage, SMTP_STAGE_DONE);
	ck_assert_int_eq(s.why, SMTP_WHY_ACCEPTED);
	ck_assert_str_eq(words_of(&s), "STARTTLS accepted (220), ready for TLS");
	ck_assert_int_ge(c.fd, 0);
	ck_assert_int_ne(fcntl(c.fd, F_GETFD), -1);
	ck_assert_uint_eq(c.pos, c.len); /* nothing buffered for TLS */
	ck_assert_int_eq(s.starttls_code, 220);
	ck_assert_str_eq(s.starttls_line, "220 2.0.0 Ready to start TLS");
	smtp_conn_close(&c);
	ck_assert_int_eq(c.fd, -1);
	fake_stop(f);
}
END_TEST

START_TEST(commands_sent_are_ehlo_then_starttls)
{
	static const struct step steps[] = {GREETING, EXPECT,       EHLO_TLS_OK,
					    EXPECT,   STARTTLS_220, END};
	struct smtp_session s;
	struct smtp_conn c;
	struct fake *f = play(steps, 3, &c, &s);

	ck_assert_msg(s.result == SMTP_OK, "%s", words_of(&s));
	smtp_conn_close(&c);
	fake_join(f);
	ck_assert_int_eq(f->nlines, 2);
	ck_assert_str_eq(f->lines[0], "EHLO " HELO);
	ck_assert_str_eq(f->lines[1], "STARTTLS");
	fake_stop(f);
}
END_TEST

START_TEST(session_records_greeting_keywords_and_timings)
{
	static const struct step steps[] = {
	    SEND("220-mx.example.test ESMTP Postfix\r\n220 second line\r\n"),
	    EXPECT,
	    SEND("250-mx.example.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-AUTH=LOGIN\r\n"
		 "250-X\x01Y\r\n250-starttls\r\n250 8BITMIME\r\n"),
	    EXPECT,
	    STARTTLS_220,
	    END};
	struct smtp_session s;
	struct smtp_conn c;
	struct fake *f = play(steps, 3, &c, &s);

	ck_assert_msg(s.result == SMTP_OK, "%s", words_of(&s));
	ck_assert_int_eq(s.greeting_code, 220);
	ck_assert_str_eq(s.greeting, "220-mx.example.test ESMTP Postfix");
	ck_assert_uint_eq(s.greeting_len, strlen(s.greeting));
	ck_assert_int_eq(s.ehlo_code, 250);
	ck_assert_str_eq(s.ehlo_line, "250-mx.example.test");
	ck_assert_uint_eq(s.ehlo_line_len, strlen(s.ehlo_line));
	ck_assert(s.starttls_offered);
	ck_assert(!s.ehlo_rejected);
	ck_assert_str_eq(s.ehlo_keywords, "PIPELINING SIZE AUTH STARTTLS 8BITMIME");
	ck_assert(s.connect_time >= 0 && s.connect_time < 0.5);
	ck_assert(s.greeting_time >= 0 && s.greeting_time < 0.5);
	smtp_conn_close(&c);
	fake_stop(f);
}
END_TEST

START_TEST(ehlo_without_starttls_is_no_starttls)
{
	static const struct step steps[] = {
	    GREETING, EXPECT, SEND("250-mx.example.test\r\n250-XSTARTTLS\r\n250 SIZE\r\n"), END};
	struct smtp_session s;
	struct smtp_conn c;
	struct fake *f = play(steps, 3, &c, &s);

	ck_assert_int_eq(s.result, SMTP_ERR_NO_STARTTLS);
	ck_assert_int_eq(s.stage, SMTP_STAGE_EHLO);
	ck_assert(!s.starttls_offered);
	ck_assert(!s.ehlo_rejected);
	ck_assert_int_eq(s.why, SMTP_WHY_NO_STARTTLS);
	ck_assert_str_eq(words_of(&s), "STARTTLS not offered in the reply to EHLO");
	smtp_conn_close(&c);
	fake_stop(f);
}
END_TEST

START_TEST(rejected_ehlo_is_no_starttls)
{
	static const struct step steps[] = {
	    GREETING, EXPECT, SEND("502 5.5.2 Error: command not recognized\r\n"), END};
	struct smtp_session s;
	struct smtp_conn c;
	struct fake *f = play(steps, 3, &c, &s);

	ck_assert_int_eq(s.result, SMTP_ERR_NO_STARTTLS);
	ck_assert(s.ehlo_rejected);
	ck_assert_int_eq(s.ehlo_code, 502);
	ck_assert_ptr_nonnull(strstr(words_of(&s), "EHLO rejected with 502"));
	ck_assert_ptr_nonnull(strstr(words_of(&s), "command not recognized"));
	ck_assert_int_eq(s.why, SMTP_WHY_EHLO_REJECTED);
	ck_assert_str_eq(s.ehlo_line, "502 5.5.2 Error: command not recognized");
	smtp_conn_close(&c);
	fake_stop(f);
}
END_TEST

START_TEST(starttls_answered_454_is_refused_with_its_text)
{
	static const struct step steps[] = {
	    GREETING, EXPECT, EHLO_TLS_OK, EXPECT, SEND("454 4.7.0 TLS not available\r\n"), END};
	struct smtp_session s;
	struct smtp_conn c;
	struct fake *f = play(steps, 3, &c, &s);

	ck_assert_int_eq(s.result, SMTP_ERR_STARTTLS_REFUSED);
	ck_assert_int_eq(s.stage, SMTP_STAGE_STARTTLS);
	ck_assert_int_eq(s.starttls_code, 454);
	ck_assert_str_eq(s.starttls_line, "454 4.7.0 TLS not available");
	ck_assert_str_eq(words_of(&s), "STARTTLS refused with 454: 454 4.7.0 TLS not available");
	ck_assert_int_eq(s.why, SMTP_WHY_STARTTLS_REFUSED);
	smtp_conn_close(&c);
	fake_stop(f);
}
END_TEST

START_TEST(greeting_554_is_a_greeting_error_with_its_text)
{
	static const struct step steps[] = {SEND("554 5.7.1 no|mail\x1b[0m here\r\n"), END};
	struct smtp_session s;
	struct smtp_conn c;
	struct fake *f = play(steps, 3, &c, &s);

	ck_assert_int_eq(s.result, SMTP_ERR_GREETING);
	ck_assert_int_eq(s.stage, SMTP_STAGE_GREETING);
	ck_assert_int_eq(s.greeting_code, 554);
	ck_assert_str_eq(s.greeting, "554 5.7.1 no|mail\x1b[0m here"); /* raw */
	/* the words are safe to print */
	ck_assert_str_eq(words_of(&s), "greeting is 554, not 2xx: 554 5.7.1 no?mail?[0m here");
	ck_assert_int_eq(s.why, SMTP_WHY_GREETING);
	smtp_conn_close(&c);
	fake_stop(f);
}
END_TEST

START_TEST(garbage_greeting_is_a_protocol_error)
{
	static const struct step steps[] = {SEND("SSH-2.0-OpenSSH_9.2p1\r\n"), END};
	struct smtp_session s;
	struct smtp_conn c;
	struct fake *f = play(steps, 3, &c, &s);

	ck_assert_int_eq(s.result, SMTP_ERR_PROTOCOL);
	ck_assert_str_eq(words_of(&s),
			 "protocol error while waiting for the greeting: invalid reply code");
	ck_assert_int_eq(s.why, SMTP_WHY_STEP);
	ck_assert_int_eq(s.step.fail, SMTP_FAIL_PARSE);
	ck_assert_int_eq(s.step.parse.fault, SMTP_FAULT_CODE);
	smtp_conn_close(&c);
	fake_stop(f);
}
END_TEST

START_TEST(silent_server_times_out_at_the_deadline)
{
	static const struct step steps[] = {SLEEP(5000), END};
	struct smtp_session s;
	struct smtp_conn c;
	struct deadline clock;
	struct fake *f;
	double took;

	deadline_start(&clock, 10);
	f = play(steps, 1, &c, &s);
	took = deadline_elapsed(&clock);
	ck_assert_int_eq(s.result, SMTP_ERR_TIMEOUT);
	ck_assert_int_eq(s.stage, SMTP_STAGE_GREETING);
	ck_assert_str_eq(words_of(&s), "timed out after 1 s while waiting for the greeting");
	ck_assert_int_eq(s.why, SMTP_WHY_STEP);
	ck_assert_int_eq(s.step.fail, SMTP_FAIL_IO);
	ck_assert_int_eq(s.step.io.status, NETIO_TIMEOUT);
	ck_assert_int_eq(s.step.io.cause, NETIO_CAUSE_DEADLINE);
	ck_assert_uint_eq(s.step.io.seconds, 1);
	ck_assert(!s.partial_reply);
	ck_assert_msg(took >= 0.95 && took < 1.3, "took %.3f s", took);
	smtp_conn_close(&c);
	fake_stop(f);
}
END_TEST

START_TEST(greeting_trickling_past_the_deadline_times_out)
{
	static const struct step steps[] = {SLOW("220 mx.example.test ESMTP slowly\r\n", 100), END};
	struct smtp_session s;
	struct smtp_conn c;
	struct deadline clock;
	struct fake *f;
	double took;

	deadline_start(&clock, 10);
	f = play(steps, 1, &c, &s);
	took = deadline_elapsed(&clock);
	ck_assert_int_eq(s.result, SMTP_ERR_TIMEOUT);
	ck_assert_str_eq(words_of(&s), "timed out after 1 s while waiting for the greeting "
				       "(part of a reply came)");
	ck_assert_int_eq(s.step.io.cause, NETIO_CAUSE_DEADLINE);
	ck_assert(s.partial_reply);
	ck_assert_msg(took >= 0.95 && took < 1.3, "took %.3f s", took);
	smtp_conn_close(&c);
	fake_stop(f);
}
END_TEST

START_TEST(greeting_in_small_pieces_is_read_whole)
{
	static const struct step steps[] = {
	    SLOW("220-mx\r\n220 ok\r\n", 5), EXPECT, EHLO_TLS_OK, EXPECT, STARTTLS_220, END};
	struct smtp_session s;
	struct smtp_conn c;
	struct fake *f = play(steps, 3, &c, &s);

	ck_assert_msg(s.result == SMTP_OK, "%s", words_of(&s));
	ck_assert_str_eq(s.greeting, "220-mx");
	ck_assert(s.greeting_time >= 0.05);
	smtp_conn_close(&c);
	fake_stop(f);
}
END_TEST

START_TEST(closed_port_is_refused_at_once)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	struct smtp_session s;
	struct smtp_conn c;
	struct deadline dl;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	close(fd); /* now nothing listens there */
	deadline_start(&dl, 3);
	smtp_conn_init(&c);
	ck_assert_int_eq(
	    smtp_connect_starttls((struct sockaddr *)&sin, sizeof(sin), HELO, &dl, &c, &s),
	    SMTP_ERR_CONNECT_REFUSED);
	ck_assert_int_eq(s.stage, SMTP_STAGE_CONNECT);
	ck_assert_str_eq(words_of(&s), "connection refused");
	ck_assert_int_eq(s.why, SMTP_WHY_STEP);
	ck_assert_int_eq(s.step.fail, SMTP_FAIL_IO);
	ck_assert_int_eq(s.step.io.status, NETIO_REFUSED);
	ck_assert_int_eq(s.step.io.cause, NETIO_CAUSE_ERRNO);
	ck_assert_int_eq(s.step.io.sys, ECONNREFUSED);
	ck_assert_int_eq(c.fd, -1);
	ck_assert(s.connect_time < 0);
	ck_assert(deadline_elapsed(&dl) < 0.5);
	smtp_conn_close(&c);
}
END_TEST

START_TEST(peer_closing_after_the_greeting_is_closed)
{
	static const struct step steps[] = {GREETING, CLOSE, END};
	struct smtp_session s;
	struct smtp_conn c;
	struct fake *f = play(steps, 3, &c, &s);

	ck_assert_int_eq(s.result, SMTP_ERR_CLOSED);
	ck_assert_int_eq(s.stage, SMTP_STAGE_EHLO);
	ck_assert_msg(strstr(words_of(&s), "after EHLO") != NULL, "%s", words_of(&s));
	ck_assert_int_eq(s.why, SMTP_WHY_STEP);
	ck_assert_int_eq(s.step.fail, SMTP_FAIL_IO);
	ck_assert(s.step.io.status == NETIO_CLOSED || s.step.io.status == NETIO_RESET);
	smtp_conn_close(&c);
	fake_stop(f);
}
END_TEST

START_TEST(peer_closing_mid_reply_is_closed)
{
	static const struct step steps[] = {SEND("220-mx.example.test\r\n220 hal"), CLOSE, END};
	struct smtp_session s;
	struct smtp_conn c;
	struct fake *f = play(steps, 3, &c, &s);

	ck_assert_int_eq(s.result, SMTP_ERR_CLOSED);
	ck_assert_str_eq(words_of(&s), "the server closed the connection in the middle of a reply "
				       "while waiting for the greeting");
	ck_assert_int_eq(s.step.fail, SMTP_FAIL_CLOSED_MID_REPLY);
	ck_assert_int_eq(s.step.io.status, NETIO_CLOSED);
	ck_assert(s.partial_reply);
	smtp_conn_close(&c);
	fake_stop(f);
}
END_TEST

START_TEST(bytes_after_starttls_220_are_an_injection)
{
	static const struct step steps[] = {
	    GREETING,
	    EXPECT,
	    EHLO_TLS_OK,
	    EXPECT,
	    SEND("220 2.0.0 Ready to start TLS\r\n250 injected\r\n"),
	    END};
	struct smtp_session s;
	struct smtp_conn c;
	struct fake *f = play(steps, 3, &c, &s);

	ck_assert_int_eq(s.result, SMTP_ERR_PROTOCOL);
	ck_assert_int_eq(s.stage, SMTP_STAGE_STARTTLS);
	ck_assert_int_eq(s.starttls_code, 220);
	ck_assert_msg(strstr(words_of(&s), "14 bytes came after the 220") != NULL, "%s",
		      words_of(&s));
	ck_assert_int_eq(s.why, SMTP_WHY_INJECTION);
	ck_assert_uint_eq(s.injected, 14);
	smtp_conn_close(&c);
	fake_stop(f);
}
END_TEST

/*
 * The 220 fills the client's read buffer exactly, so the bytes after it
 * are still in the socket when the reply is complete.
 */
START_TEST(bytes_beyond_the_read_buffer_after_starttls_220_are_an_injection)
{
	static const struct step steps[] = {
	    GREETING, EXPECT, EHLO_TLS_OK, EXPECT, {STEP_SEND, NULL, 0}, END};
	struct fake *f = fake_start(steps);
	size_t len = SMTP_READ_BUF + 6, n1 = 2040, n2 = SMTP_READ_BUF - 12 - n1;
	char *big = malloc(len);
	struct smtp_session s;
	struct smtp_conn c;
	struct deadline dl;

	ck_assert_ptr_nonnull(big);
	memcpy(big, "220-", 4);
	memset(big + 4, 'a', n1);
	memcpy(big + 4 + n1, "\r\n220 ", 6);
	memset(big + 10 + n1, 'b', n2);
	memcpy(big + 10 + n1 + n2, "\r\nRSET\r\n", 8);
	ck_assert_uint_eq(10 + n1 + n2 + 8, len);
	f->big = big;
	f->biglen = len;
	fake_run(f);
	deadline_start(&dl, 3);
	dialogue(f, &dl, &c, &s);
	ck_assert_int_eq(s.result, SMTP_ERR_PROTOCOL);
	ck_assert_int_eq(s.starttls_code, 220);
	ck_assert_msg(strstr(words_of(&s), "before the TLS handshake") != NULL, "%s", words_of(&s));
	ck_assert_int_eq(s.why, SMTP_WHY_INJECTION);
	ck_assert_uint_eq(s.injected, 0); /* seen waiting on the socket, not counted */
	smtp_conn_close(&c);
	fake_stop(f);
	free(big);
}
END_TEST

START_TEST(megabyte_reply_line_is_a_protocol_error_at_once)
{
	static const struct step steps[] = {{STEP_SEND, NULL, 0}, END};
	struct fake *f = fake_start(steps);
	size_t len = 1024 * 1024;
	char *big = malloc(len);
	struct smtp_session s;
	struct smtp_conn c;
	struct deadline dl;

	ck_assert_ptr_nonnull(big);
	memcpy(big, "220 ", 4);
	memset(big + 4, 'z', len - 4);
	f->big = big;
	f->biglen = len;
	fake_run(f);
	deadline_start(&dl, 3);
	dialogue(f, &dl, &c, &s);
	ck_assert_int_eq(s.result, SMTP_ERR_PROTOCOL);
	ck_assert_str_eq(words_of(&s),
			 "protocol error while waiting for the greeting: reply line too "
			 "long (over 2048 bytes)");
	ck_assert_int_eq(s.step.fail, SMTP_FAIL_PARSE);
	ck_assert_int_eq(s.step.parse.fault, SMTP_FAULT_LINE_TOO_LONG);
	ck_assert(deadline_elapsed(&dl) < 0.5);
	smtp_conn_close(&c);
	fake_stop(f);
	free(big);
}
END_TEST

START_TEST(commands_with_line_breaks_are_refused)
{
	static const struct step steps[] = {GREETING, END};
	struct fake *f = fake_start(steps);
	struct smtp_session s;
	struct smtp_conn c;
	struct deadline dl;
	struct smtp_error err;
	char words[256], longname[600];

	fake_run(f);
	deadline_start(&dl, 3);
	smtp_conn_init(&c);
	ck_assert_int_eq(smtp_connect((struct sockaddr *)&f->addr, sizeof(f->addr), &dl, &c, &err),
			 SMTP_OK);
	ck_assert_int_eq(smtp_send_line(&c, &dl, "EHLO a\r\nRCPT TO:<x>", &err), SMTP_ERR_LOCAL);
	ck_assert_int_eq(err.fail, SMTP_FAIL_CONTROL_COMMAND);
	ck_assert_str_eq(words_smtp_error(&err, words, sizeof(words)),
			 "control character in a command");
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	ck_assert_int_eq(smtp_send_line(&c, &dl, longname, &err), SMTP_ERR_LOCAL);
	ck_assert_int_eq(err.fail, SMTP_FAIL_LONG_COMMAND);
	ck_assert_str_eq(words_smtp_error(&err, words, sizeof(words)),
			 "command too long (over 510 bytes)");
	ck_assert_int_eq(smtp_starttls(&c, "bad name", &dl, &s), SMTP_ERR_LOCAL);
	ck_assert_str_eq(words_of(&s), "invalid EHLO name");
	ck_assert_int_eq(s.why, SMTP_WHY_BAD_HELO);
	smtp_conn_close(&c);
	fake_stop(f);
}
END_TEST

START_TEST(quit_is_answered_and_sent)
{
	static const struct step steps[] = {GREETING, EXPECT, SEND("221 2.0.0 Bye\r\n"), END};
	struct fake *f = fake_start(steps);
	struct smtp_reply r;
	struct smtp_conn c;
	struct deadline dl;
	struct smtp_error err;

	fake_run(f);
	deadline_start(&dl, 3);
	smtp_conn_init(&c);
	ck_assert_int_eq(smtp_connect((struct sockaddr *)&f->addr, sizeof(f->addr), &dl, &c, &err),
			 SMTP_OK);
	ck_assert_int_eq(smtp_read_reply(&c, &dl, &r, &err), SMTP_OK);
	smtp_reply_clear(&r);
	ck_assert_int_eq(smtp_quit(&c, &dl), SMTP_OK);
	smtp_conn_close(&c);
	fake_stop(f);
}
END_TEST

START_TEST(quit_to_a_silent_server_returns_within_its_bound)
{
	static const struct step steps[] = {GREETING, EXPECT, SLEEP(5000), END};
	struct fake *f = fake_start(steps);
	struct smtp_reply r;
	struct smtp_conn c;
	struct deadline dl, clock;
	struct smtp_error err;
	double took;

	fake_run(f);
	deadline_start(&dl, 10);
	smtp_conn_init(&c);
	ck_assert_int_eq(smtp_connect((struct sockaddr *)&f->addr, sizeof(f->addr), &dl, &c, &err),
			 SMTP_OK);
	ck_assert_int_eq(smtp_read_reply(&c, &dl, &r, &err), SMTP_OK);
	smtp_reply_clear(&r);
	deadline_start(&clock, 10);
	ck_assert_int_eq(smtp_quit(&c, &dl), SMTP_ERR_TIMEOUT);
	took = deadline_elapsed(&clock);
	ck_assert_msg(took >= SMTP_QUIT_WAIT_MS / 1000.0 - 0.05 &&
			  took < SMTP_QUIT_WAIT_MS / 1000.0 + 0.3,
		      "took %.3f s", took);
	smtp_conn_close(&c);
	fake_stop(f);
}
END_TEST

START_TEST(quit_waits_no_longer_than_the_deadline)
{
	static const struct step steps[] = {GREETING, EXPECT, SLEEP(5000), END};
	struct fake *f = fake_start(steps);
	struct smtp_reply r;
	struct smtp_conn c;
	struct deadline dl, clock;
	struct smtp_error err;
	double took;

	fake_run(f);
	deadline_start(&dl, 10);
	smtp_conn_init(&c);
	ck_assert_int_eq(smtp_connect((struct sockaddr *)&f->addr, sizeof(f->addr), &dl, &c, &err),
			 SMTP_OK);
	ck_assert_int_eq(smtp_read_reply(&c, &dl, &r, &err), SMTP_OK);
	smtp_reply_clear(&r);
	/* 300 ms left */
	clock_gettime(CLOCK_MONOTONIC, &dl.end);
	dl.end.tv_nsec += 300000000L;
	if (dl.end.tv_nsec >= 1000000000L) {
		dl.end.tv_nsec -= 1000000000L;
		dl.end.tv_sec++;
	}
	deadline_start(&clock, 10);
	ck_assert_int_eq(smtp_quit(&c, &dl), SMTP_ERR_TIMEOUT);
	took = deadline_elapsed(&clock);
	ck_assert_msg(took >= 0.25 && took < 0.5, "took %.3f s", took);
	smtp_conn_close(&c);
	fake_stop(f);
}
END_TEST

/* --- concurrency --------------------------------------------------------- */

struct worker {
	struct fake *f;
	const struct deadline *dl;
	struct smtp_session s;
	enum smtp_result quit;
};

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct smtp_conn c;

	dialogue(w->f, w->dl, &c, &w->s);
	w->quit = smtp_quit(&c, w->dl);
	smtp_conn_close(&c);
	return NULL;
}

START_TEST(sessions_run_concurrently_under_one_deadline)
{
	static const struct step good[] = {GREETING,     EXPECT, EHLO_TLS_OK,         EXPECT,
					   STARTTLS_220, EXPECT, SEND("221 bye\r\n"), END};
	static const struct step silent[] = {SLEEP(5000), END};
	struct worker w[4];
	pthread_t t[4];
	struct deadline dl;
	size_t i;

	deadline_start(&dl, 1);
	for (i = 0; i < 4; i++) {
		w[i] = (struct worker){.f = fake_start(i == 3 ? silent : good), .dl = &dl};
		fake_run(w[i].f);
	}
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, worker_main, &w[i]), 0);
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < 3; i++) {
		ck_assert_msg(w[i].s.result == SMTP_OK, "%s", words_of(&w[i].s));
		ck_assert_int_eq(w[i].quit, SMTP_OK);
	}
	ck_assert_int_eq(w[3].s.result, SMTP_ERR_TIMEOUT);
	ck_assert(deadline_elapsed(&dl) < 1.3);
	for (i = 0; i < 4; i++)
		fake_stop(w[i].f);
}
END_TEST

/* --- over TLS ------------------------------------------------------------ */

/* A server context with a fresh self-signed EC certificate. */
static SSL_CTX *
server_ctx(void)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	X509_NAME *name;
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

	ck_assert_ptr_nonnull(key);
	ck_assert_ptr_nonnull(x);
	ck_assert_ptr_nonnull(ctx);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_set_pubkey(x, key);
	name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
				   (const unsigned char *)"mx.example.test", -1, -1, 0);
	X509_set_issuer_name(x, name);
	ck_assert_int_gt(X509_sign(x, key, EVP_sha256()), 0);
	ck_assert_int_eq(SSL_CTX_use_certificate(ctx, x), 1);
	ck_assert_int_eq(SSL_CTX_use_PrivateKey(ctx, key), 1);
	X509_free(x);
	EVP_PKEY_free(key);
	return ctx;
}

/* Client handshake on the non-blocking fd of c. */
static SSL *
client_handshake(SSL_CTX *cctx, struct smtp_conn *c)
{
	SSL *ssl = SSL_new(cctx);
	int rc;

	ck_assert_ptr_nonnull(ssl);
	ck_assert_int_eq(SSL_set_fd(ssl, c->fd), 1);
	while ((rc = SSL_connect(ssl)) != 1) {
		int e = SSL_get_error(ssl, rc);
		struct pollfd p = {c->fd, e == SSL_ERROR_WANT_WRITE ? POLLOUT : POLLIN, 0};

		ck_assert_msg(e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE,
			      "SSL_connect: %d", e);
		ck_assert_int_eq(poll(&p, 1, 3000), 1);
	}
	return ssl;
}

/* Run steps up to TLS, then let test continue on a TLS conn. */
static struct fake *
tls_session(const struct step *steps, SSL_CTX **cctx, SSL **ssl, struct smtp_conn *c,
	    struct deadline *dl)
{
	struct fake *f = fake_start(steps);
	struct smtp_session s;

	f->sctx = server_ctx();
	fake_run(f);
	deadline_start(dl, 3);
	ck_assert_int_eq(dialogue(f, dl, c, &s), SMTP_OK);
	*cctx = SSL_CTX_new(TLS_client_method());
	ck_assert_ptr_nonnull(*cctx);
	*ssl = client_handshake(*cctx, c);
	smtp_conn_set_tls(c, *ssl);
	return f;
}

START_TEST(commands_and_replies_go_over_tls)
{
	static const struct step steps[] = {
	    GREETING,     EXPECT,
	    EHLO_TLS_OK,  EXPECT,
	    STARTTLS_220, TLS,
	    EXPECT,       SEND("250-mx.example.test\r\n250 SIZE\r\n"),
	    EXPECT,       SEND("221 2.0.0 Bye\r\n"),
	    END};
	struct smtp_reply r;
	struct smtp_conn c;
	struct deadline dl;
	SSL_CTX *cctx;
	SSL *ssl;
	struct smtp_error err;
	struct fake *f = tls_session(steps, &cctx, &ssl, &c, &dl);

	ck_assert_int_eq(smtp_send_line(&c, &dl, "EHLO " HELO, &err), SMTP_OK);
	ck_assert_int_eq(smtp_read_reply(&c, &dl, &r, &err), SMTP_OK);
	ck_assert_int_eq(err.fail, SMTP_FAIL_NONE);
	ck_assert_int_eq(r.code, 250);
	ck_assert_uint_eq(r.nlines, 2);
	smtp_reply_clear(&r);
	ck_assert_int_eq(smtp_quit(&c, &dl), SMTP_OK);
	SSL_free(ssl);
	SSL_CTX_free(cctx);
	smtp_conn_close(&c);
	fake_join(f);
	ck_assert(f->tls_ok);
	ck_assert_int_eq(f->nlines, 4);
	ck_assert(!f->line_tls[1]);
	ck_assert_str_eq(f->lines[2], "EHLO " HELO);
	ck_assert(f->line_tls[2]);
	ck_assert_str_eq(f->lines[3], "QUIT");
	ck_assert(f->line_tls[3]);
	fake_stop(f);
}
END_TEST

START_TEST(tls_close_notify_is_closed)
{
	static const struct step steps[] = {GREETING,     EXPECT, EHLO_TLS_OK, EXPECT,
					    STARTTLS_220, TLS,    SHUTDOWN,    END};
	struct smtp_reply r;
	struct smtp_conn c;
	struct deadline dl;
	SSL_CTX *cctx;
	SSL *ssl;
	struct smtp_error err;
	char words[256];
	struct fake *f = tls_session(steps, &cctx, &ssl, &c, &dl);

	ck_assert_int_eq(smtp_read_reply(&c, &dl, &r, &err), SMTP_ERR_CLOSED);
	ck_assert_int_eq(err.fail, SMTP_FAIL_IO);
	ck_assert_int_eq(err.io.status, NETIO_CLOSED);
	ck_assert_int_eq(err.io.cause, NETIO_CAUSE_TLS_CLOSE);
	ck_assert_str_eq(words_smtp_error(&err, words, sizeof(words)),
			 "the server closed the TLS connection");
	SSL_free(ssl);
	SSL_CTX_free(cctx);
	smtp_conn_close(&c);
	fake_stop(f);
}
END_TEST

START_TEST(names_cover_every_result)
{
	ck_assert_str_eq(smtp_result_name(SMTP_OK), "ok");
	ck_assert_str_eq(smtp_result_name(SMTP_ERR_NO_STARTTLS), "no-starttls");
	ck_assert_str_eq(smtp_result_name(SMTP_ERR_STARTTLS_REFUSED), "starttls-refused");
	ck_assert_str_eq(words_smtp_result(SMTP_ERR_CONNECT_REFUSED), "connection refused");
	ck_assert_str_eq(words_smtp_stage(SMTP_STAGE_GREETING), "waiting for the greeting");
	ck_assert_str_eq(words_smtp_stage(SMTP_STAGE_EHLO), "after EHLO");
	ck_assert_str_eq(words_smtp_stage(SMTP_STAGE_STARTTLS), "after STARTTLS");
}
END_TEST

/* --- the words of the facts ----------------------------------------------- */

#define IO(st, c, ...)                                                                             \
	{                                                                                          \
		.fail = SMTP_FAIL_IO, .io = {.status = (st), .cause = (c), __VA_ARGS__ }           \
	}

/* Sessions built from facts alone, and their words. */
static const struct {
	struct smtp_session s;
	const char *words;
} session_words[] = {
    {{.result = SMTP_ERR_LOCAL, .why = SMTP_WHY_NOT_STARTED}, "the probe could not be started"},
    {{.result = SMTP_ERR_TIMEOUT,
      .why = SMTP_WHY_NOT_PROBED,
      .skipped_seconds = 10,
      .skipped_parallel = 64},
     "not probed: the deadline (10 s) came before its turn (64 probes at once: file "
     "descriptors are limited, see ulimit -n)"},
    {{.result = SMTP_ERR_TIMEOUT,
      .stage = SMTP_STAGE_CONNECT,
      .why = SMTP_WHY_STEP,
      .step = IO(NETIO_TIMEOUT, NETIO_CAUSE_DEADLINE, .seconds = 5)},
     "timed out after 5 s while connecting"},
    {{.result = SMTP_ERR_TIMEOUT,
      .stage = SMTP_STAGE_CONNECT,
      .why = SMTP_WHY_STEP,
      .step = IO(NETIO_TIMEOUT, NETIO_CAUSE_ERRNO, .sys = ETIMEDOUT)},
     "connection timed out (no answer from the host) while connecting"},
    {{.result = SMTP_ERR_CONNECT_REFUSED,
      .stage = SMTP_STAGE_CONNECT,
      .why = SMTP_WHY_STEP,
      .step = IO(NETIO_REFUSED, NETIO_CAUSE_ERRNO, .sys = ECONNREFUSED)},
     "connection refused"},
    {{.result = SMTP_ERR_UNREACHABLE,
      .stage = SMTP_STAGE_CONNECT,
      .why = SMTP_WHY_STEP,
      .step = IO(NETIO_UNREACHABLE, NETIO_CAUSE_ERRNO, .sys = ENETUNREACH)},
     "network unreachable"},
    {{.result = SMTP_ERR_LOCAL,
      .stage = SMTP_STAGE_CONNECT,
      .why = SMTP_WHY_STEP,
      .step = {.fail = SMTP_FAIL_NOT_CONNECTED}},
     "not connected"},
    {{.result = SMTP_ERR_LOCAL,
      .stage = SMTP_STAGE_CONNECT,
      .why = SMTP_WHY_STEP,
      .step = {.fail = SMTP_FAIL_CONNECTED}},
     "already connected"},
    {{.result = SMTP_ERR_TIMEOUT,
      .stage = SMTP_STAGE_GREETING,
      .why = SMTP_WHY_STEP,
      .step = IO(NETIO_TIMEOUT, NETIO_CAUSE_DEADLINE, .seconds = 3),
      .partial_reply = true},
     "timed out after 3 s while waiting for the greeting (part of a reply came)"},
    {{.result = SMTP_ERR_TIMEOUT,
      .stage = SMTP_STAGE_EHLO,
      .why = SMTP_WHY_STEP,
      .step = IO(NETIO_TIMEOUT, NETIO_CAUSE_DEADLINE, .seconds = 3)},
     "timed out after 3 s while waiting for the reply to EHLO"},
    {{.result = SMTP_ERR_TIMEOUT,
      .stage = SMTP_STAGE_STARTTLS,
      .why = SMTP_WHY_STEP,
      .step = IO(NETIO_TIMEOUT, NETIO_CAUSE_DEADLINE, .seconds = 3),
      .partial_reply = true},
     "timed out after 3 s while waiting for the reply to STARTTLS (part of a reply came)"},
    {{.result = SMTP_ERR_PROTOCOL,
      .stage = SMTP_STAGE_GREETING,
      .why = SMTP_WHY_STEP,
      .step = {.fail = SMTP_FAIL_PARSE,
	       .parse = {.fault = SMTP_FAULT_CODE_CHANGED, .code = 220, .line_code = 554}}},
     "protocol error while waiting for the greeting: reply code changes from 220 to 554 within "
     "one reply"},
    {{.result = SMTP_ERR_PROTOCOL,
      .stage = SMTP_STAGE_EHLO,
      .why = SMTP_WHY_STEP,
      .step = {.fail = SMTP_FAIL_PARSE, .parse = {.fault = SMTP_FAULT_TOO_MANY_LINES}}},
     "protocol error after EHLO: too many lines in one reply (over 1000)"},
    {{.result = SMTP_ERR_PROTOCOL,
      .stage = SMTP_STAGE_STARTTLS,
      .why = SMTP_WHY_STEP,
      .step = {.fail = SMTP_FAIL_PARSE, .parse = {.fault = SMTP_FAULT_REPLY_TOO_LONG}}},
     "protocol error after STARTTLS: reply too long (over 65536 bytes)"},
    {{.result = SMTP_ERR_PROTOCOL,
      .stage = SMTP_STAGE_STARTTLS,
      .why = SMTP_WHY_STEP,
      .step = IO(NETIO_TLS, NETIO_CAUSE_TLS_ERROR, .ssl_code = 0)},
     "protocol error after STARTTLS: TLS error: unknown error"},
    {{.result = SMTP_ERR_CLOSED,
      .stage = SMTP_STAGE_EHLO,
      .why = SMTP_WHY_STEP,
      .step = IO(NETIO_CLOSED, NETIO_CAUSE_EOF)},
     "the server closed the connection after EHLO"},
    {{.result = SMTP_ERR_CLOSED,
      .stage = SMTP_STAGE_STARTTLS,
      .why = SMTP_WHY_STEP,
      .step = IO(NETIO_RESET, NETIO_CAUSE_ERRNO, .sys = ECONNRESET)},
     "connection reset by the server after STARTTLS"},
    {{.result = SMTP_ERR_CLOSED,
      .stage = SMTP_STAGE_GREETING,
      .why = SMTP_WHY_STEP,
      .step = {.fail = SMTP_FAIL_CLOSED_MID_REPLY,
	       .io = {.status = NETIO_CLOSED, .cause = NETIO_CAUSE_EOF}},
      .partial_reply = true},
     "the server closed the connection in the middle of a reply while waiting for the "
     "greeting"},
    {{.result = SMTP_ERR_UNREACHABLE,
      .stage = SMTP_STAGE_STARTTLS,
      .why = SMTP_WHY_STEP,
      .step = IO(NETIO_UNREACHABLE, NETIO_CAUSE_ERRNO, .sys = EHOSTUNREACH)},
     "host unreachable after STARTTLS"},
    /* a local failure of EHLO is said alone; of the other stages, with the stage */
    {{.result = SMTP_ERR_LOCAL,
      .stage = SMTP_STAGE_EHLO,
      .why = SMTP_WHY_STEP,
      .step = {.fail = SMTP_FAIL_LONG_COMMAND}},
     "command too long (over 510 bytes)"},
    {{.result = SMTP_ERR_LOCAL,
      .stage = SMTP_STAGE_EHLO,
      .why = SMTP_WHY_STEP,
      .step = {.fail = SMTP_FAIL_CONTROL_COMMAND}},
     "control character in a command"},
    {{.result = SMTP_ERR_LOCAL,
      .stage = SMTP_STAGE_EHLO,
      .why = SMTP_WHY_STEP,
      .step = {.fail = SMTP_FAIL_PARSE, .parse = {.fault = SMTP_FAULT_NOMEM}}},
     "out of memory"},
    {{.result = SMTP_ERR_LOCAL,
      .stage = SMTP_STAGE_GREETING,
      .why = SMTP_WHY_STEP,
      .step = {.fail = SMTP_FAIL_PARSE, .parse = {.fault = SMTP_FAULT_NOMEM}}},
     "out of memory while waiting for the greeting"},
    {{.result = SMTP_ERR_LOCAL,
      .stage = SMTP_STAGE_STARTTLS,
      .why = SMTP_WHY_STEP,
      .step = IO(NETIO_LOCAL, NETIO_CAUSE_POLL, .sys = EINVAL)},
     "poll: Invalid argument after STARTTLS"},
    {{.result = SMTP_ERR_LOCAL, .why = SMTP_WHY_BAD_HELO}, "invalid EHLO name"},
    {{.result = SMTP_ERR_GREETING,
      .stage = SMTP_STAGE_GREETING,
      .why = SMTP_WHY_GREETING,
      .greeting_code = 554,
      .greeting = "554 5.7.1 no|mail\x1b[0m here"},
     "greeting is 554, not 2xx: 554 5.7.1 no?mail?[0m here"},
    {{.result = SMTP_ERR_NO_STARTTLS,
      .stage = SMTP_STAGE_EHLO,
      .why = SMTP_WHY_EHLO_REJECTED,
      .ehlo_code = 502,
      .ehlo_rejected = true,
      .ehlo_line = "502 5.5.2 Error: command not recognized"},
     "EHLO rejected with 502, so no STARTTLS: 502 5.5.2 Error: command not recognized"},
    {{.result = SMTP_ERR_NO_STARTTLS, .stage = SMTP_STAGE_EHLO, .why = SMTP_WHY_NO_STARTTLS},
     "STARTTLS not offered in the reply to EHLO"},
    {{.result = SMTP_ERR_STARTTLS_REFUSED,
      .stage = SMTP_STAGE_STARTTLS,
      .why = SMTP_WHY_STARTTLS_REFUSED,
      .starttls_code = 454,
      .starttls_line = "454 4.7.0 TLS not available"},
     "STARTTLS refused with 454: 454 4.7.0 TLS not available"},
    {{.result = SMTP_ERR_PROTOCOL,
      .stage = SMTP_STAGE_STARTTLS,
      .why = SMTP_WHY_INJECTION,
      .injected = 14},
     "protocol error after STARTTLS: 14 bytes came after the 220 reply, before the TLS "
     "handshake (command injection?)"},
    {{.result = SMTP_ERR_PROTOCOL, .stage = SMTP_STAGE_STARTTLS, .why = SMTP_WHY_INJECTION},
     "protocol error after STARTTLS: bytes came after the 220 reply, before the TLS handshake "
     "(command injection?)"},
    {{.result = SMTP_OK, .stage = SMTP_STAGE_DONE, .why = SMTP_WHY_ACCEPTED},
     "STARTTLS accepted (220), ready for TLS"},
    {{.result = SMTP_ERR_LOCAL, .stage = SMTP_STAGE_DONE, .why = SMTP_WHY_NOMEM}, "out of memory"},
};

START_TEST(every_session_ending_has_its_words)
{
	struct smtp_session s = session_words[_i].s;
	char buf[WORDS_SMTP_SESSION_MAX];

	s.greeting_len = strlen(s.greeting);
	s.ehlo_line_len = strlen(s.ehlo_line);
	s.starttls_line_len = strlen(s.starttls_line);
	ck_assert_str_eq(words_smtp_session(&s, buf, sizeof(buf)), session_words[_i].words);
}
END_TEST

START_TEST(every_why_is_in_the_table)
{
	enum smtp_why why;
	size_t i;

	for (why = SMTP_WHY_NOT_STARTED; why <= SMTP_WHY_NOMEM; why++) {
		bool seen = false;

		for (i = 0; i < sizeof(session_words) / sizeof(session_words[0]); i++)
			seen = seen || session_words[i].s.why == why;
		ck_assert_msg(seen, "why %d has no words in the table", (int)why);
	}
}
END_TEST

START_TEST(quoted_server_lines_are_cut_and_may_hold_nuls)
{
	struct smtp_session s = {.result = SMTP_ERR_GREETING,
				 .stage = SMTP_STAGE_GREETING,
				 .why = SMTP_WHY_GREETING,
				 .greeting_code = 421};
	char buf[WORDS_SMTP_SESSION_MAX], want[WORDS_SMTP_SESSION_MAX];

	memset(s.greeting, 'x', 300);
	memcpy(s.greeting, "421 a\0b", 7);
	s.greeting_len = 300;
	snprintf(want, sizeof(want), "greeting is 421, not 2xx: 421 a?b%.*s...",
		 WORDS_QUOTE_MAX - 7, s.greeting + 7);
	ck_assert_str_eq(words_smtp_session(&s, buf, sizeof(buf)), want);
	/* cut to the buffer */
	ck_assert_str_eq(words_smtp_session(&s, buf, 9), "greeting");
}
END_TEST

START_TEST(starttls_on_an_unconnected_conn_is_not_connected)
{
	struct smtp_session s;
	struct smtp_conn c;
	struct deadline dl;

	deadline_start(&dl, 1);
	smtp_conn_init(&c);
	ck_assert_int_eq(smtp_starttls(&c, HELO, &dl, &s), SMTP_ERR_LOCAL);
	ck_assert_int_eq(s.why, SMTP_WHY_STEP);
	ck_assert_int_eq(s.step.fail, SMTP_FAIL_NOT_CONNECTED);
	ck_assert_str_eq(words_of(&s), "not connected");
}
END_TEST

START_TEST(step_errors_have_their_words)
{
	struct smtp_error e = {.fail = SMTP_FAIL_NONE};
	char buf[128];

	ck_assert_str_eq(words_smtp_error(&e, buf, sizeof(buf)), "");
	e.fail = SMTP_FAIL_CLOSED_MID_REPLY;
	ck_assert_str_eq(words_smtp_error(&e, buf, sizeof(buf)),
			 "the server closed the connection in the middle of a reply");
	e.fail = SMTP_FAIL_PARSE;
	e.parse.fault = SMTP_FAULT_CODE;
	ck_assert_str_eq(words_smtp_error(&e, buf, sizeof(buf)), "invalid reply code");
	e.fail = SMTP_FAIL_IO;
	e.io = (struct netio_error){.status = NETIO_CLOSED, .cause = NETIO_CAUSE_TLS_CLOSE};
	ck_assert_str_eq(words_smtp_error(&e, buf, sizeof(buf)),
			 "the server closed the TLS connection");
}
END_TEST

static Suite *
smtp_suite(void)
{
	Suite *s = suite_create("smtp");
	TCase *names = tcase_create("names");
	TCase *io = tcase_create("dialogue");

	tcase_add_test(names, names_cover_every_result);
	tcase_add_loop_test(names, every_session_ending_has_its_words, 0,
			    (int)(sizeof(session_words) / sizeof(session_words[0])));
	tcase_add_test(names, every_why_is_in_the_table);
	tcase_add_test(names, quoted_server_lines_are_cut_and_may_hold_nuls);
	tcase_add_test(names, step_errors_have_their_words);
	tcase_add_test(names, starttls_on_an_unconnected_conn_is_not_connected);
	suite_add_tcase(s, names);

	tcase_set_timeout(io, 15);
	tcase_add_test(io, good_server_reaches_tls_with_the_socket_open);
	tcase_add_test(io, commands_sent_are_ehlo_then_starttls);
	tcase_add_test(io, session_records_greeting_keywords_and_timings);
	tcase_add_test(io, ehlo_without_starttls_is_no_starttls);
	tcase_add_test(io, rejected_ehlo_is_no_starttls);
	tcase_add_test(io, starttls_answered_454_is_refused_with_its_text);
	tcase_add_test(io, greeting_554_is_a_greeting_error_with_its_text);
	tcase_add_test(io, garbage_greeting_is_a_protocol_error);
	tcase_add_test(io, silent_server_times_out_at_the_deadline);
	tcase_add_test(io, greeting_trickling_past_the_deadline_times_out);
	tcase_add_test(io, greeting_in_small_pieces_is_read_whole);
	tcase_add_test(io, closed_port_is_refused_at_once);
	tcase_add_test(io, peer_closing_after_the_greeting_is_closed);
	tcase_add_test(io, peer_closing_mid_reply_is_closed);
	tcase_add_test(io, bytes_after_starttls_220_are_an_injection);
	tcase_add_test(io, bytes_beyond_the_read_buffer_after_starttls_220_are_an_injection);
	tcase_add_test(io, megabyte_reply_line_is_a_protocol_error_at_once);
	tcase_add_test(io, commands_with_line_breaks_are_refused);
	tcase_add_test(io, quit_is_answered_and_sent);
	tcase_add_test(io, quit_to_a_silent_server_returns_within_its_bound);
	tcase_add_test(io, quit_waits_no_longer_than_the_deadline);
	tcase_add_test(io, sessions_run_concurrently_under_one_deadline);
	tcase_add_test(io, commands_and_replies_go_over_tls);
	tcase_add_test(io, tls_close_notify_is_closed);
	suite_add_tcase(s, io);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(smtp_suite());
	int failed;

	/* OpenSSL writes with write(2): a closed peer must not kill the test */
	signal(SIGPIPE, SIG_IGN);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
