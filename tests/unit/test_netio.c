/*
 * test_netio.c -- the one I/O layer on real sockets (socketpair() and
 * 127.0.0.1): what each step returns, what the waits return at their end,
 * and the status and words every socket or TLS failure maps to.
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "netio.h"
#include "sslerr.h"
#include "words_conn.h"

/* --- helpers ------------------------------------------------------------ */

/* A connected pair of non-blocking Unix stream sockets. */
static void
unix_pair(int sv[2])
{
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv), 0);
}

/* The end of a run of -t seconds, capped at cap_ms (< 0: no cap). */
static struct netio_end
end_in(unsigned int seconds, int cap_ms)
{
	struct deadline dl;

	deadline_start(&dl, seconds);
	return netio_end_of(&dl, cap_ms);
}

/* A TCP socket on 127.0.0.1, bound to a free port (in *addr), listening if backlog >= 0. */
static int
loopback_socket(struct sockaddr_in *addr, int backlog)
{
	socklen_t len = sizeof(*addr);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(fd, 0);
	memset(addr, 0, sizeof(*addr));
	addr->sin_family = AF_INET;
	addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)addr, sizeof(*addr)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)addr, &len), 0);
	if (backlog >= 0)
		ck_assert_int_eq(listen(fd, backlog), 0);
	return fd;
}

/* A connected TCP pair on 127.0.0.1: *client non-blocking, *server blocking. */
static void
tcp_pair(int *client, int *server)
{
	struct netio_end end = end_in(5, -1);
	struct netio_error e;
	struct sockaddr_in addr;
	int lfd = loopback_socket(&addr, 1);

	ck_assert_int_eq(netio_connect((struct sockaddr *)&addr, sizeof(addr), &end, client, &e),
			 NETIO_OK);
	*server = accept(lfd, NULL, NULL);
	ck_assert_int_ge(*server, 0);
	close(lfd);
}

/* Close fd with a RST instead of a FIN. */
static void
close_with_reset(int fd)
{
	struct linger lg = {1, 0};

	ck_assert_int_eq(setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), 0);
	close(fd);
}

/* Wait until fd has something to say (data, EOF, an error). */
static void
await_readable(int fd)
{
	struct pollfd pfd = {fd, POLLIN, 0};

	ck_assert_int_eq(poll(&pfd, 1, 5000), 1);
}

/* --- the end, names and words ---------------------------------------------- */

/* The words of a failure's facts, in a static buffer (used by one thread at a time). */
static const char *
words_of(const struct netio_error *e)
{
	static char buf[WORDS_NETIO_MAX];

	return words_netio(e, buf, sizeof(buf));
}

START_TEST(end_is_the_deadline_or_the_cap_if_sooner)
{
	struct netio_end deadline = end_in(10, -1), capped = end_in(10, 200),
			 wide = end_in(1, 5000);

	ck_assert_int_gt(netio_ms_left(&deadline), 9000);
	ck_assert_int_le(netio_ms_left(&deadline), 10000);
	ck_assert_int_le(netio_ms_left(&capped), 200);
	ck_assert_int_gt(netio_ms_left(&capped), 100);
	ck_assert_int_le(netio_ms_left(&wide), 1000);
	ck_assert_uint_eq(capped.seconds, 10);
}
END_TEST

START_TEST(passed_end_has_no_time_left)
{
	struct netio_end end = {deadline_now_ms() - 5, 1};

	ck_assert_int_eq(netio_ms_left(&end), 0);
}
END_TEST

START_TEST(poll_events_follow_what_a_step_wants)
{
	ck_assert_int_eq(netio_poll_events(NETIO_WANT_READ), POLLIN);
	ck_assert_int_eq(netio_poll_events(NETIO_WANT_WRITE), POLLOUT);
	ck_assert_int_eq(netio_poll_events(NETIO_CLOSED), 0);
}
END_TEST

START_TEST(every_status_has_a_name)
{
	ck_assert_str_eq(netio_status_name(NETIO_OK), "ok");
	ck_assert_str_eq(netio_status_name(NETIO_WANT_READ), "want-read");
	ck_assert_str_eq(netio_status_name(NETIO_CLOSED), "closed");
	ck_assert_str_eq(netio_status_name(NETIO_RESET), "reset");
	ck_assert_str_eq(netio_status_name(NETIO_TLS), "tls");
	ck_assert_str_eq(netio_status_name(NETIO_LOCAL), "local");
	ck_assert_str_eq(netio_status_name((enum netio_status)99), "unknown");
}
END_TEST

static const struct {
	int sys;
	enum netio_status status;
	const char *words;
} errno_map[] = {
    {ECONNREFUSED, NETIO_REFUSED, "connection refused"},
    {ENETUNREACH, NETIO_UNREACHABLE, "network unreachable"},
    {ENETDOWN, NETIO_UNREACHABLE, "network unreachable"},
    {EHOSTUNREACH, NETIO_UNREACHABLE, "host unreachable"},
    {EHOSTDOWN, NETIO_UNREACHABLE, "host unreachable"},
    {ETIMEDOUT, NETIO_TIMEOUT, "connection timed out (no answer from the host)"},
    {ECONNRESET, NETIO_RESET, "connection reset by the server"},
    {EPIPE, NETIO_RESET, "the server closed the connection"},
    {EACCES, NETIO_ERROR, NULL}, /* strerror()'s text */
    {EMFILE, NETIO_ERROR, NULL},
};

START_TEST(errno_values_map_to_a_status_and_words)
{
	struct netio_error e;
	char buf[128];

	ck_assert_int_eq(netio_errno_status(errno_map[_i].sys, &e), errno_map[_i].status);
	ck_assert_int_eq(e.status, errno_map[_i].status);
	ck_assert_int_eq(e.cause, NETIO_CAUSE_ERRNO);
	ck_assert_int_eq(e.sys, errno_map[_i].sys);
	ck_assert_str_eq(words_of(&e), errno_map[_i].words != NULL
					   ? errno_map[_i].words
					   : netio_strerror(errno_map[_i].sys, buf, sizeof(buf)));
}
END_TEST

START_TEST(strerror_is_the_system_text)
{
	char buf[128];

	ck_assert_str_eq(netio_strerror(ENOENT, buf, sizeof(buf)), strerror(ENOENT));
	ck_assert_str_eq(netio_strerror(ECONNRESET, buf, sizeof(buf)), strerror(ECONNRESET));
	ck_assert_str_ne(netio_strerror(123456, buf, sizeof(buf)), "");
}
END_TEST

static void *
strerror_loop(void *arg)
{
	int e = *(int *)arg, i;
	char want[128], buf[128];

	snprintf(want, sizeof(want), "%s", netio_strerror(e, buf, sizeof(buf)));
	for (i = 0; i < 20000; i++)
		if (strcmp(netio_strerror(e, buf, sizeof(buf)), want) != 0)
			return (void *)1;
	return NULL;
}

START_TEST(strerror_is_safe_in_threads)
{
	int errs[2] = {EACCES, ECONNREFUSED};
	pthread_t t[2];
	void *bad[2];
	int i;

	for (i = 0; i < 2; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, strerror_loop, &errs[i]), 0);
	for (i = 0; i < 2; i++) {
		pthread_join(t[i], &bad[i]);
		ck_assert_ptr_null(bad[i]);
	}
}
END_TEST

START_TEST(ssl_errors_list_the_queue_and_empty_it)
{
	char buf[WORDS_NETIO_MAX];

	OPENSSL_init_ssl(OPENSSL_INIT_LOAD_SSL_STRINGS, NULL);
	ERR_clear_error();
	ERR_raise_data(ERR_LIB_SSL, SSL_R_WRONG_VERSION_NUMBER, "probe");
	ERR_raise(ERR_LIB_SSL, SSL_R_UNEXPECTED_EOF_WHILE_READING);
	sslerr_text(buf, sizeof(buf), "TLS handshake failed");
	ck_assert_msg(strncmp(buf, "TLS handshake failed: error:", 28) == 0, "%s", buf);
	ck_assert_msg(strstr(buf, "wrong version number (probe); error:") != NULL, "%s", buf);
	ck_assert_msg(strstr(buf, "unexpected eof while reading") != NULL, "%s", buf);
	ck_assert_uint_eq(ERR_peek_error(), 0);
}
END_TEST

START_TEST(ssl_errors_without_errors_is_only_what)
{
	char buf[64];

	ERR_clear_error();
	sslerr_text(buf, sizeof(buf), "cannot enable DANE");
	ck_assert_str_eq(buf, "cannot enable DANE");
}
END_TEST

/* The words of every cause, from facts alone (no socket). */
static const struct {
	struct netio_error e;
	const char *words; /* NULL: netio_strerror()'s text of e.sys after prefix */
	const char *prefix;
} cause_words[] = {
    {{.status = NETIO_OK, .cause = NETIO_CAUSE_NONE}, "", NULL},
    {{.status = NETIO_WANT_READ, .cause = NETIO_CAUSE_NONE}, "", NULL},
    {{.status = NETIO_REFUSED, .cause = NETIO_CAUSE_ERRNO, .sys = ECONNREFUSED},
     "connection refused",
     NULL},
    {{.status = NETIO_RESET, .cause = NETIO_CAUSE_ERRNO, .sys = EPIPE},
     "the server closed the connection",
     NULL},
    {{.status = NETIO_ERROR, .cause = NETIO_CAUSE_ERRNO, .sys = EACCES}, NULL, ""},
    {{.status = NETIO_CLOSED, .cause = NETIO_CAUSE_EOF}, "the server closed the connection", NULL},
    {{.status = NETIO_CLOSED, .cause = NETIO_CAUSE_TLS_CLOSE},
     "the server closed the TLS connection",
     NULL},
    {{.status = NETIO_CLOSED, .cause = NETIO_CAUSE_TLS_EOF},
     "the server closed the connection (without TLS close_notify)",
     NULL},
    {{.status = NETIO_TLS, .cause = NETIO_CAUSE_TLS_ERROR, .ssl_code = 0},
     "TLS error: unknown error",
     NULL},
    {{.status = NETIO_TLS,
      .cause = NETIO_CAUSE_TLS_ERROR,
      .ssl_code = ERR_PACK(ERR_LIB_SSL, 0, SSL_R_WRONG_VERSION_NUMBER)},
     "TLS error: error:0A00010B:SSL routines::wrong version number",
     NULL},
    {{.status = NETIO_TIMEOUT, .cause = NETIO_CAUSE_DEADLINE, .seconds = 10},
     "timed out after 10 s",
     NULL},
    {{.status = NETIO_LOCAL, .cause = NETIO_CAUSE_POLL, .sys = EINVAL}, NULL, "poll: "},
    {{.status = NETIO_LOCAL, .cause = NETIO_CAUSE_SOCKET, .sys = EMFILE},
     NULL,
     "cannot create a socket: "},
    {{.status = NETIO_LOCAL, .cause = NETIO_CAUSE_CONNECT, .sys = EBADF}, NULL, "cannot connect: "},
};

START_TEST(every_cause_has_its_words)
{
	char buf[WORDS_NETIO_MAX], want[WORDS_NETIO_MAX], sys[128];

	OPENSSL_init_ssl(OPENSSL_INIT_LOAD_SSL_STRINGS, NULL);
	if (cause_words[_i].words != NULL)
		snprintf(want, sizeof(want), "%s", cause_words[_i].words);
	else
		snprintf(want, sizeof(want), "%s%s", cause_words[_i].prefix,
			 netio_strerror(cause_words[_i].e.sys, sys, sizeof(sys)));
	ck_assert_str_eq(words_netio(&cause_words[_i].e, buf, sizeof(buf)), want);
}
END_TEST

START_TEST(words_are_cut_to_the_buffer)
{
	struct netio_error e = {.status = NETIO_CLOSED, .cause = NETIO_CAUSE_EOF};
	char buf[11];

	ck_assert_str_eq(words_netio(&e, buf, sizeof(buf)), "the server");
	ck_assert_ptr_eq(words_netio(&e, buf, 0), buf);
}
END_TEST

START_TEST(ssl_queue_is_taken_as_facts_and_said_in_the_same_words)
{
	struct sslerr_queue q;
	char facts[WORDS_NETIO_MAX], text[WORDS_NETIO_MAX];
	int i;

	OPENSSL_init_ssl(OPENSSL_INIT_LOAD_SSL_STRINGS, NULL);
	ERR_clear_error();
	ERR_raise_data(ERR_LIB_SSL, SSL_R_WRONG_VERSION_NUMBER, "probe");
	ERR_raise(ERR_LIB_SSL, SSL_R_UNEXPECTED_EOF_WHILE_READING);
	sslerr_take(&q);
	ck_assert_uint_eq(ERR_peek_error(), 0);
	ck_assert_uint_eq(q.n, 2);
	ck_assert_int_eq(ERR_GET_REASON(q.code[0]), SSL_R_WRONG_VERSION_NUMBER);
	ck_assert_str_eq(q.data[0], "probe");
	ck_assert_int_eq(ERR_GET_REASON(q.code[1]), SSL_R_UNEXPECTED_EOF_WHILE_READING);
	ck_assert_str_eq(q.data[1], "");
	sslerr_words("TLS handshake failed", &q, facts, sizeof(facts));
	ERR_raise_data(ERR_LIB_SSL, SSL_R_WRONG_VERSION_NUMBER, "probe");
	ERR_raise(ERR_LIB_SSL, SSL_R_UNEXPECTED_EOF_WHILE_READING);
	sslerr_text(text, sizeof(text), "TLS handshake failed");
	ck_assert_str_eq(facts, text);
	/* more than it keeps: the oldest ones */
	for (i = 0; i < SSLERR_MAX + 3; i++)
		ERR_raise(ERR_LIB_SSL, SSL_R_WRONG_VERSION_NUMBER + (i == 0));
	sslerr_take(&q);
	ck_assert_uint_eq(q.n, SSLERR_MAX);
	ck_assert_int_eq(ERR_GET_REASON(q.code[0]), SSL_R_WRONG_VERSION_NUMBER + 1);
	ck_assert_uint_eq(ERR_peek_error(), 0);
}
END_TEST

/* --- reads ------------------------------------------------------------------ */

START_TEST(read_step_with_nothing_there_wants_read)
{
	struct netio_error e;
	char buf[16];
	size_t got = 99;
	int sv[2];

	unix_pair(sv);
	ck_assert_int_eq(netio_read_step(sv[0], NULL, buf, sizeof(buf), &got, &e), NETIO_WANT_READ);
	ck_assert_uint_eq(got, 0);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

START_TEST(read_returns_what_is_there)
{
	struct netio_end end = end_in(5, -1);
	struct netio_error e;
	char buf[16];
	size_t got = 0;
	int sv[2];

	unix_pair(sv);
	ck_assert_int_eq(write(sv[1], "220 hi\r\n", 8), 8);
	ck_assert_int_eq(netio_read(sv[0], NULL, buf, sizeof(buf), &got, &end, &e), NETIO_OK);
	ck_assert_uint_eq(got, 8);
	ck_assert_mem_eq(buf, "220 hi\r\n", 8);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

START_TEST(eof_is_closed)
{
	struct netio_end end = end_in(5, -1);
	struct netio_error e;
	char buf[16];
	size_t got = 0;
	int sv[2];

	unix_pair(sv);
	close(sv[1]);
	ck_assert_int_eq(netio_read(sv[0], NULL, buf, sizeof(buf), &got, &end, &e), NETIO_CLOSED);
	ck_assert_int_eq(e.cause, NETIO_CAUSE_EOF);
	ck_assert_str_eq(words_of(&e), "the server closed the connection");
	ck_assert_int_eq(e.sys, 0);
	close(sv[0]);
}
END_TEST

START_TEST(reset_is_reset)
{
	struct netio_end end = end_in(5, -1);
	struct netio_error e;
	int client, server;
	char buf[16];
	size_t got = 0;

	tcp_pair(&client, &server);
	close_with_reset(server);
	ck_assert_int_eq(netio_read(client, NULL, buf, sizeof(buf), &got, &end, &e), NETIO_RESET);
	ck_assert_int_eq(e.cause, NETIO_CAUSE_ERRNO);
	ck_assert_str_eq(words_of(&e), "connection reset by the server");
	ck_assert_int_eq(e.sys, ECONNRESET);
	close(client);
}
END_TEST

START_TEST(write_after_a_reset_is_reset)
{
	struct netio_end end = end_in(5, -1);
	struct netio_error e;
	int client, server;

	tcp_pair(&client, &server);
	close_with_reset(server);
	await_readable(client);
	ck_assert_int_eq(netio_write_all(client, NULL, "QUIT\r\n", 6, &end, &e), NETIO_RESET);
	ck_assert(e.sys == ECONNRESET || e.sys == EPIPE);
	close(client);
}
END_TEST

START_TEST(silent_peer_times_out_at_the_end)
{
	struct netio_end end = end_in(7, 300);
	struct netio_error e;
	double t0 = deadline_now(), took;
	char buf[16];
	size_t got = 0;
	int sv[2];

	unix_pair(sv);
	ck_assert_int_eq(netio_read(sv[0], NULL, buf, sizeof(buf), &got, &end, &e), NETIO_TIMEOUT);
	took = deadline_now() - t0;
	ck_assert_int_eq(e.cause, NETIO_CAUSE_DEADLINE);
	ck_assert_uint_eq(e.seconds, 7);
	ck_assert_str_eq(words_of(&e), "timed out after 7 s");
	ck_assert_int_eq(e.sys, 0);
	ck_assert_double_ge(took, 0.25);
	ck_assert_double_lt(took, 1.5);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

START_TEST(pending_sees_bytes_without_taking_them)
{
	struct netio_end end = end_in(5, -1);
	struct netio_error e;
	char buf[16];
	size_t got = 0;
	int sv[2];

	unix_pair(sv);
	ck_assert(!netio_pending(sv[0]));
	ck_assert_int_eq(write(sv[1], "x", 1), 1);
	ck_assert(netio_pending(sv[0]));
	ck_assert_int_eq(netio_read(sv[0], NULL, buf, sizeof(buf), &got, &end, &e), NETIO_OK);
	ck_assert_uint_eq(got, 1);
	close(sv[1]);
	ck_assert(!netio_pending(sv[0]));
	close(sv[0]);
}
END_TEST

/* --- writes ----------------------------------------------------------------- */

#define BIG (1024 * 1024)

/* A buffer of n bytes that says where each byte was. */
static char *
pattern(size_t n)
{
	char *p = malloc(n);
	size_t i;

	ck_assert_ptr_nonnull(p);
	for (i = 0; i < n; i++)
		p[i] = (char)(i * 7 + i / 251);
	return p;
}

static void
small_send_buffer(int fd)
{
	int size = 4096;

	ck_assert_int_eq(setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size)), 0);
}

START_TEST(write_step_takes_what_fits)
{
	struct netio_error e;
	char *data = pattern(BIG);
	size_t sent = 0, more = 0;
	int sv[2];

	unix_pair(sv);
	small_send_buffer(sv[0]);
	ck_assert_int_eq(netio_write_step(sv[0], NULL, data, BIG, &sent, &e), NETIO_OK);
	ck_assert_uint_gt(sent, 0);
	ck_assert_uint_lt(sent, BIG);
	ck_assert_int_eq(netio_write_step(sv[0], NULL, data + sent, BIG - sent, &more, &e),
			 NETIO_WANT_WRITE);
	ck_assert_uint_eq(more, 0);
	free(data);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

struct reader {
	int fd;
	size_t want;
	char *got;
	size_t len;
};

/* Read slowly until r->want bytes came or EOF. */
static void *
slow_reader(void *arg)
{
	struct reader *r = arg;

	while (r->len < r->want) {
		struct pollfd pfd = {r->fd, POLLIN, 0};
		ssize_t n;

		if (poll(&pfd, 1, 5000) <= 0)
			break;
		n = recv(r->fd, r->got + r->len, r->want - r->len < 8192 ? r->want - r->len : 8192,
			 0);
		if (n <= 0)
			break;
		r->len += (size_t)n;
		usleep(200);
	}
	return NULL;
}

START_TEST(write_all_sends_everything_to_a_slow_reader)
{
	struct netio_end end = end_in(10, -1);
	struct netio_error e;
	char *data = pattern(BIG);
	struct reader r = {0, BIG, malloc(BIG), 0};
	pthread_t t;
	int sv[2];

	unix_pair(sv);
	small_send_buffer(sv[0]);
	r.fd = sv[1];
	ck_assert_int_eq(pthread_create(&t, NULL, slow_reader, &r), 0);
	ck_assert_int_eq(netio_write_all(sv[0], NULL, data, BIG, &end, &e), NETIO_OK);
	pthread_join(t, NULL);
	ck_assert_uint_eq(r.len, BIG);
	ck_assert_mem_eq(r.got, data, BIG);
	free(r.got);
	free(data);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

START_TEST(write_all_to_a_peer_that_never_reads_times_out)
{
	struct netio_end end = end_in(3, 300);
	struct netio_error e;
	char *data = pattern(4 * BIG);
	int sv[2];

	unix_pair(sv);
	ck_assert_int_eq(netio_write_all(sv[0], NULL, data, 4 * BIG, &end, &e), NETIO_TIMEOUT);
	ck_assert_int_eq(e.cause, NETIO_CAUSE_DEADLINE);
	ck_assert_uint_eq(e.seconds, 3);
	ck_assert_str_eq(words_of(&e), "timed out after 3 s");
	free(data);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

/* --- connects --------------------------------------------------------------- */

START_TEST(connect_to_a_listener_succeeds)
{
	struct netio_end end = end_in(5, -1);
	struct netio_error e;
	struct sockaddr_in addr;
	int lfd = loopback_socket(&addr, 1), fd = -1;

	ck_assert_int_eq(netio_connect((struct sockaddr *)&addr, sizeof(addr), &end, &fd, &e),
			 NETIO_OK);
	ck_assert_int_ge(fd, 0);
	close(fd);
	close(lfd);
}
END_TEST

START_TEST(connect_to_a_closed_port_is_refused)
{
	struct netio_end end = end_in(5, -1);
	struct netio_error e;
	struct sockaddr_in addr;
	int bound = loopback_socket(&addr, -1), fd = 99;

	ck_assert_int_eq(netio_connect((struct sockaddr *)&addr, sizeof(addr), &end, &fd, &e),
			 NETIO_REFUSED);
	ck_assert_int_eq(e.cause, NETIO_CAUSE_ERRNO);
	ck_assert_int_eq(e.sys, ECONNREFUSED);
	ck_assert_str_eq(words_of(&e), "connection refused");
	ck_assert_int_eq(fd, -1);
	close(bound);
}
END_TEST

START_TEST(connect_after_the_end_times_out_at_once)
{
	struct netio_end end = {deadline_now_ms() - 1, 4};
	struct netio_error e;
	struct sockaddr_in addr;
	int lfd = loopback_socket(&addr, 1), fd = 99;

	ck_assert_int_eq(netio_connect((struct sockaddr *)&addr, sizeof(addr), &end, &fd, &e),
			 NETIO_TIMEOUT);
	ck_assert_int_eq(e.cause, NETIO_CAUSE_DEADLINE);
	ck_assert_uint_eq(e.seconds, 4);
	ck_assert_str_eq(words_of(&e), "timed out after 4 s");
	ck_assert_int_eq(fd, -1);
	close(lfd);
}
END_TEST

/* Drive the connect steps as one poll loop would; returns the last status. */
static enum netio_status
connect_by_steps(const struct sockaddr_in *addr, int *fd, struct netio_error *e)
{
	struct netio_end end = end_in(5, -1);
	enum netio_status st;

	st = netio_connect_start((const struct sockaddr *)addr, sizeof(*addr), SOCK_STREAM, fd, e);
	if (st != NETIO_WANT_WRITE)
		return st;
	ck_assert_int_ge(*fd, 0);
	ck_assert_int_eq(netio_wait(*fd, st, &end, e), NETIO_OK);
	return netio_connect_finish(*fd, e);
}

START_TEST(connect_steps_reach_a_listener)
{
	struct netio_error e;
	struct sockaddr_in addr;
	int lfd = loopback_socket(&addr, 1), fd = -1;

	ck_assert_int_eq(connect_by_steps(&addr, &fd, &e), NETIO_OK);
	ck_assert_int_ge(fd, 0);
	close(fd);
	close(lfd);
}
END_TEST

START_TEST(connect_steps_to_a_closed_port_are_refused)
{
	struct netio_error e;
	struct sockaddr_in addr;
	int bound = loopback_socket(&addr, -1), fd = -1;

	ck_assert_int_eq(connect_by_steps(&addr, &fd, &e), NETIO_REFUSED);
	ck_assert_int_eq(e.sys, ECONNREFUSED);
	ck_assert_str_eq(words_of(&e), "connection refused");
	if (fd >= 0)
		close(fd);
	close(bound);
}
END_TEST

START_TEST(udp_connect_is_done_at_once)
{
	struct netio_error e;
	struct sockaddr_in addr;
	int bound = loopback_socket(&addr, -1), fd = -1;

	ck_assert_int_eq(
	    netio_connect_start((struct sockaddr *)&addr, sizeof(addr), SOCK_DGRAM, &fd, &e),
	    NETIO_OK);
	ck_assert_int_ge(fd, 0);
	close(fd);
	close(bound);
}
END_TEST

/* --- TLS -------------------------------------------------------------------- */

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

/* A TLS client (no verification) on the non-blocking socket fd. */
struct client {
	SSL_CTX *ctx;
	SSL *ssl;
};

static void
client_on(struct client *c, int fd)
{
	c->ctx = SSL_CTX_new(TLS_client_method());
	ck_assert_ptr_nonnull(c->ctx);
	c->ssl = SSL_new(c->ctx);
	ck_assert_ptr_nonnull(c->ssl);
	ck_assert_int_eq(SSL_set_fd(c->ssl, fd), 1);
}

static void
client_free(struct client *c)
{
	SSL_free(c->ssl);
	SSL_CTX_free(c->ctx);
}

/* Send the ClientHello: the first step wants to read the answer. */
static void
client_hello(struct client *c, struct netio_error *e)
{
	ck_assert_int_eq(netio_ssl_connect_step(c->ssl, e), NETIO_WANT_READ);
}

/* Read and drop what the client sent. */
static void
drain(int fd)
{
	char buf[4096];

	await_readable(fd);
	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		continue;
}

START_TEST(tls_handshake_with_a_silent_peer_wants_read)
{
	struct netio_end end = end_in(2, 200);
	struct netio_error e;
	struct client c;
	int sv[2];

	unix_pair(sv);
	client_on(&c, sv[0]);
	client_hello(&c, &e);
	ck_assert_int_eq(netio_wait(sv[0], NETIO_WANT_READ, &end, &e), NETIO_TIMEOUT);
	ck_assert_int_eq(e.cause, NETIO_CAUSE_DEADLINE);
	ck_assert_str_eq(words_of(&e), "timed out after 2 s");
	client_free(&c);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

START_TEST(tls_peer_closing_before_any_byte_is_closed_and_silent)
{
	struct netio_error e;
	struct client c;
	int sv[2];

	unix_pair(sv);
	client_on(&c, sv[0]);
	client_hello(&c, &e);
	drain(sv[1]);
	shutdown(sv[1], SHUT_WR);
	await_readable(sv[0]);
	ck_assert_int_eq(netio_ssl_connect_step(c.ssl, &e), NETIO_CLOSED);
	ck_assert_int_eq(e.cause, NETIO_CAUSE_TLS_EOF);
	ck_assert_str_eq(words_of(&e),
			 "the server closed the connection (without TLS close_notify)");
	ck_assert(e.peer_silent);
	client_free(&c);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

START_TEST(tls_peer_resetting_before_any_byte_is_reset_and_silent)
{
	struct netio_error e;
	struct client c;
	int client, server;

	tcp_pair(&client, &server);
	client_on(&c, client);
	client_hello(&c, &e);
	close_with_reset(server);
	await_readable(client);
	ck_assert_int_eq(netio_ssl_connect_step(c.ssl, &e), NETIO_RESET);
	ck_assert_int_eq(e.ssl_error, SSL_ERROR_SYSCALL);
	ck_assert_int_eq(e.cause, NETIO_CAUSE_ERRNO);
	ck_assert_int_eq(e.sys, ECONNRESET);
	ck_assert_str_eq(words_of(&e), "connection reset by the server");
	ck_assert(e.peer_silent);
	client_free(&c);
	close(client);
}
END_TEST

START_TEST(tls_peer_answering_in_plain_text_is_a_tls_error)
{
	static const char http[] = "HTTP/1.1 400 Bad Request\r\n\r\n";
	struct netio_error e;
	struct client c;
	int sv[2];

	unix_pair(sv);
	client_on(&c, sv[0]);
	client_hello(&c, &e);
	ck_assert_int_eq(write(sv[1], http, sizeof(http) - 1), (ssize_t)sizeof(http) - 1);
	ck_assert_int_eq(netio_ssl_connect_step(c.ssl, &e), NETIO_TLS);
	ck_assert_int_eq(e.ssl_error, SSL_ERROR_SSL);
	ck_assert_int_eq(e.cause, NETIO_CAUSE_TLS_ERROR);
	ck_assert_uint_eq(e.ssl_code, ERR_peek_last_error());
	ck_assert_int_eq(ERR_GET_LIB(e.ssl_code), ERR_LIB_SSL);
	ck_assert_msg(strncmp(words_of(&e), "TLS error: error:", 17) == 0, "%s", words_of(&e));
	ck_assert(!e.peer_silent);
	ck_assert_uint_ne(ERR_peek_error(), 0); /* left for sslerr_text() */
	ERR_clear_error();
	client_free(&c);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

/* A TLS session over a Unix socket pair, both ends non-blocking, one thread. */
struct tls_pair {
	int sv[2];
	struct client c;
	SSL_CTX *sctx;
	SSL *server;
};

static void
tls_pair_open(struct tls_pair *t)
{
	struct netio_error e;
	bool cdone = false, sdone = false;
	int i;

	unix_pair(t->sv);
	client_on(&t->c, t->sv[0]);
	t->sctx = server_ctx();
	t->server = SSL_new(t->sctx);
	ck_assert_ptr_nonnull(t->server);
	ck_assert_int_eq(SSL_set_fd(t->server, t->sv[1]), 1);
	for (i = 0; i < 1000 && !(cdone && sdone); i++) {
		if (!cdone) {
			enum netio_status st = netio_ssl_connect_step(t->c.ssl, &e);

			ck_assert_msg(st == NETIO_OK || st == NETIO_WANT_READ, "%s", words_of(&e));
			cdone = st == NETIO_OK;
		}
		if (!sdone) {
			int rc = SSL_accept(t->server);

			ck_assert(rc == 1 || SSL_get_error(t->server, rc) == SSL_ERROR_WANT_READ);
			sdone = rc == 1;
		}
	}
	ck_assert(cdone && sdone);
}

static void
tls_pair_close(struct tls_pair *t)
{
	if (t->server != NULL)
		SSL_free(t->server);
	SSL_CTX_free(t->sctx);
	client_free(&t->c);
	close(t->sv[0]);
	if (t->sv[1] >= 0)
		close(t->sv[1]);
}

START_TEST(tls_data_goes_through_both_ways)
{
	struct netio_end end = end_in(5, -1);
	struct netio_error e;
	struct tls_pair t;
	char buf[64];
	size_t got = 0;
	int n;

	tls_pair_open(&t);
	ck_assert_int_eq(netio_write_all(t.sv[0], t.c.ssl, "EHLO x\r\n", 8, &end, &e), NETIO_OK);
	n = SSL_read(t.server, buf, sizeof(buf));
	ck_assert_int_eq(n, 8);
	ck_assert_mem_eq(buf, "EHLO x\r\n", 8);
	ck_assert_int_eq(SSL_write(t.server, "250 ok\r\n", 8), 8);
	ck_assert_int_eq(netio_read(t.sv[0], t.c.ssl, buf, sizeof(buf), &got, &end, &e), NETIO_OK);
	ck_assert_uint_eq(got, 8);
	ck_assert_mem_eq(buf, "250 ok\r\n", 8);
	tls_pair_close(&t);
}
END_TEST

START_TEST(tls_close_notify_is_closed)
{
	struct netio_end end = end_in(5, -1);
	struct netio_error e;
	struct tls_pair t;
	char buf[64];
	size_t got = 0;

	tls_pair_open(&t);
	SSL_shutdown(t.server);
	ck_assert_int_eq(netio_read(t.sv[0], t.c.ssl, buf, sizeof(buf), &got, &end, &e),
			 NETIO_CLOSED);
	ck_assert_int_eq(e.ssl_error, SSL_ERROR_ZERO_RETURN);
	ck_assert_int_eq(e.cause, NETIO_CAUSE_TLS_CLOSE);
	ck_assert_str_eq(words_of(&e), "the server closed the TLS connection");
	ck_assert(!e.peer_silent);
	tls_pair_close(&t);
}
END_TEST

START_TEST(tls_eof_without_close_notify_is_closed)
{
	struct netio_end end = end_in(5, -1);
	struct netio_error e;
	struct tls_pair t;
	char buf[64];
	size_t got = 0;

	tls_pair_open(&t);
	SSL_free(t.server);
	t.server = NULL;
	close(t.sv[1]);
	t.sv[1] = -1;
	ck_assert_int_eq(netio_read(t.sv[0], t.c.ssl, buf, sizeof(buf), &got, &end, &e),
			 NETIO_CLOSED);
	ck_assert_int_eq(e.cause, NETIO_CAUSE_TLS_EOF);
	ck_assert_str_eq(words_of(&e),
			 "the server closed the connection (without TLS close_notify)");
	ck_assert_uint_eq(ERR_peek_error(), 0); /* the waiting functions empty the queue */
	tls_pair_close(&t);
}
END_TEST

static Suite *
netio_suite(void)
{
	Suite *s = suite_create("netio");
	TCase *words = tcase_create("words");
	TCase *io = tcase_create("reads and writes");
	TCase *conn = tcase_create("connects");
	TCase *tls = tcase_create("tls");

	tcase_add_test(words, end_is_the_deadline_or_the_cap_if_sooner);
	tcase_add_test(words, passed_end_has_no_time_left);
	tcase_add_test(words, poll_events_follow_what_a_step_wants);
	tcase_add_test(words, every_status_has_a_name);
	tcase_add_loop_test(words, errno_values_map_to_a_status_and_words, 0,
			    (int)(sizeof(errno_map) / sizeof(errno_map[0])));
	tcase_add_test(words, strerror_is_the_system_text);
	tcase_add_test(words, strerror_is_safe_in_threads);
	tcase_add_test(words, ssl_errors_list_the_queue_and_empty_it);
	tcase_add_test(words, ssl_errors_without_errors_is_only_what);
	tcase_add_loop_test(words, every_cause_has_its_words, 0,
			    (int)(sizeof(cause_words) / sizeof(cause_words[0])));
	tcase_add_test(words, words_are_cut_to_the_buffer);
	tcase_add_test(words, ssl_queue_is_taken_as_facts_and_said_in_the_same_words);
	suite_add_tcase(s, words);

	tcase_set_timeout(io, 15);
	tcase_add_test(io, read_step_with_nothing_there_wants_read);
	tcase_add_test(io, read_returns_what_is_there);
	tcase_add_test(io, eof_is_closed);
	tcase_add_test(io, reset_is_reset);
	tcase_add_test(io, write_after_a_reset_is_reset);
	tcase_add_test(io, silent_peer_times_out_at_the_end);
	tcase_add_test(io, pending_sees_bytes_without_taking_them);
	tcase_add_test(io, write_step_takes_what_fits);
	tcase_add_test(io, write_all_sends_everything_to_a_slow_reader);
	tcase_add_test(io, write_all_to_a_peer_that_never_reads_times_out);
	suite_add_tcase(s, io);

	tcase_add_test(conn, connect_to_a_listener_succeeds);
	tcase_add_test(conn, connect_to_a_closed_port_is_refused);
	tcase_add_test(conn, connect_after_the_end_times_out_at_once);
	tcase_add_test(conn, connect_steps_reach_a_listener);
	tcase_add_test(conn, connect_steps_to_a_closed_port_are_refused);
	tcase_add_test(conn, udp_connect_is_done_at_once);
	suite_add_tcase(s, conn);

	tcase_set_timeout(tls, 15);
	tcase_add_test(tls, tls_handshake_with_a_silent_peer_wants_read);
	tcase_add_test(tls, tls_peer_closing_before_any_byte_is_closed_and_silent);
	tcase_add_test(tls, tls_peer_resetting_before_any_byte_is_reset_and_silent);
	tcase_add_test(tls, tls_peer_answering_in_plain_text_is_a_tls_error);
	tcase_add_test(tls, tls_data_goes_through_both_ways);
	tcase_add_test(tls, tls_close_notify_is_closed);
	tcase_add_test(tls, tls_eof_without_close_notify_is_closed);
	suite_add_tcase(s, tls);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(netio_suite());
	int failed;

	/* OpenSSL writes with write(2): a closed peer must not kill the test */
	signal(SIGPIPE, SIG_IGN);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
