/*
 * netio.c -- non-blocking socket and TLS I/O under a deadline, and the facts
 * of its failures.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <sys/resource.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>

#include "netio.h"

/* Fill *err with a status and its cause and return the status (words: words_netio()). */
static enum netio_status
set_status(struct netio_error *err, enum netio_status status, enum netio_cause cause, int sys)
{
	err->status = status;
	err->cause = cause;
	err->sys = sys;
	err->ssl_error = 0;
	err->ssl_code = 0;
	err->seconds = 0;
	err->peer_silent = false;
	return status;
}

static enum netio_status
ok(struct netio_error *err)
{
	return set_status(err, NETIO_OK, NETIO_CAUSE_NONE, 0);
}

static enum netio_status
timed_out(const struct netio_end *end, struct netio_error *err)
{
	set_status(err, NETIO_TIMEOUT, NETIO_CAUSE_DEADLINE, 0);
	err->seconds = end->seconds;
	return err->status;
}

/* --- time and names ---------------------------------------------------- */

struct netio_end
netio_end_of(const struct deadline *dl, int cap_ms)
{
	int left = deadline_ms_left(dl);

	if (cap_ms >= 0 && left > cap_ms)
		left = cap_ms;
	return (struct netio_end){deadline_now_ms() + left, dl->seconds};
}

int
netio_ms_left(const struct netio_end *end)
{
	long long d = end->ms - deadline_now_ms();

	if (d <= 0)
		return 0;
	return d > INT_MAX ? INT_MAX : (int)d;
}

short
netio_poll_events(enum netio_status want)
{
	switch (want) {
	case NETIO_WANT_READ:
		return POLLIN;
	case NETIO_WANT_WRITE:
		return POLLOUT;
	default:
		return 0;
	}
}

const char *
netio_status_name(enum netio_status status)
{
	static const char *const names[] = {
	    [NETIO_OK] = "ok",
	    [NETIO_WANT_READ] = "want-read",
	    [NETIO_WANT_WRITE] = "want-write",
	    [NETIO_CLOSED] = "closed",
	    [NETIO_RESET] = "reset",
	    [NETIO_REFUSED] = "refused",
	    [NETIO_UNREACHABLE] = "unreachable",
	    [NETIO_TIMEOUT] = "timeout",
	    [NETIO_ERROR] = "error",
	    [NETIO_TLS] = "tls",
	    [NETIO_LOCAL] = "local",
	};

	if ((unsigned int)status >= sizeof(names) / sizeof(names[0]))
		return "unknown";
	return names[status];
}

const char *
netio_strerror(int e, char *buf, size_t size)
{
#if defined(__GLIBC__) && defined(_GNU_SOURCE)
	return strerror_r(e, buf, size);
#else
	if (strerror_r(e, buf, size) != 0)
		snprintf(buf, size, "error %d", e);
	return buf;
#endif
}

/* --- the mapping of failures ------------------------------------------- */

enum netio_status
netio_errno_status(int sys, struct netio_error *err)
{
	enum netio_status status;

	switch (sys) {
	case ECONNREFUSED:
		status = NETIO_REFUSED;
		break;
	case ENETUNREACH:
	case ENETDOWN:
	case EHOSTUNREACH:
	case EHOSTDOWN:
		status = NETIO_UNREACHABLE;
		break;
	case ETIMEDOUT:
		status = NETIO_TIMEOUT;
		break;
	case ECONNRESET:
	case EPIPE:
		status = NETIO_RESET;
		break;
	default:
		status = NETIO_ERROR;
		break;
	}
	return set_status(err, status, NETIO_CAUSE_ERRNO, sys);
}

/* A TLS failure that OpenSSL's queue describes (the queue is left as it is). */
static enum netio_status
queue_status(struct netio_error *err)
{
	unsigned long code = ERR_peek_error();

#ifdef SSL_R_UNEXPECTED_EOF_WHILE_READING
	if (ERR_GET_LIB(code) == ERR_LIB_SSL &&
	    ERR_GET_REASON(code) == SSL_R_UNEXPECTED_EOF_WHILE_READING)
		return set_status(err, NETIO_CLOSED, NETIO_CAUSE_TLS_EOF, 0);
#endif
	set_status(err, NETIO_TLS, NETIO_CAUSE_TLS_ERROR, 0);
	err->ssl_code = ERR_peek_last_error();
	return err->status;
}

enum netio_status
netio_ssl_status(SSL *ssl, int ret, int saved_errno, struct netio_error *err)
{
	int code = SSL_get_error(ssl, ret);
	BIO *rbio = SSL_get_rbio(ssl);
	bool queued = ERR_peek_error() != 0;

	switch (code) {
	case SSL_ERROR_WANT_READ:
		set_status(err, NETIO_WANT_READ, NETIO_CAUSE_NONE, 0);
		break;
	case SSL_ERROR_WANT_WRITE:
		set_status(err, NETIO_WANT_WRITE, NETIO_CAUSE_NONE, 0);
		break;
	case SSL_ERROR_ZERO_RETURN:
		set_status(err, NETIO_CLOSED, NETIO_CAUSE_TLS_CLOSE, 0);
		break;
	case SSL_ERROR_SYSCALL:
		if (saved_errno == ECONNRESET || saved_errno == EPIPE ||
		    (!queued && saved_errno != 0))
			netio_errno_status(saved_errno, err);
		else if (!queued)
			set_status(err, NETIO_CLOSED, NETIO_CAUSE_EOF, 0);
		else
			queue_status(err);
		break;
	default:
		queue_status(err);
		break;
	}
	err->ssl_error = code;
	err->peer_silent = rbio == NULL || BIO_number_read(rbio) == 0;
	return err->status;
}

/* --- steps ---------------------------------------------------------------- */

enum netio_status
netio_wait(int fd, enum netio_status want, const struct netio_end *end, struct netio_error *err)
{
	for (;;) {
		struct pollfd pfd = {fd, netio_poll_events(want), 0};
		int left = netio_ms_left(end), rc;

		if (left == 0)
			return timed_out(end, err);
		rc = poll(&pfd, 1, left);
		if (rc > 0)
			return ok(err); /* also POLLERR/POLLHUP: the next step says what */
		if (rc < 0 && errno != EINTR)
			return set_status(err, NETIO_LOCAL, NETIO_CAUSE_POLL, errno);
	}
}

enum netio_status
netio_connect_start(const struct sockaddr *sa, socklen_t salen, int type, int *fd,
		    struct netio_error *err)
{
	int s, e;

	*fd = -1;
	s = socket(sa->sa_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s < 0)
		return set_status(err, NETIO_LOCAL, NETIO_CAUSE_SOCKET, errno);
	if (connect(s, sa, salen) == 0) {
		*fd = s;
		return ok(err);
	}
	e = errno;
	if (e == EINPROGRESS || e == EINTR) {
		*fd = s;
		return set_status(err, NETIO_WANT_WRITE, NETIO_CAUSE_NONE, 0);
	}
	close(s);
	return netio_errno_status(e, err);
}

enum netio_status
netio_connect_finish(int fd, struct netio_error *err)
{
	int soerr = 0;
	socklen_t len = sizeof(soerr);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) != 0)
		return set_status(err, NETIO_LOCAL, NETIO_CAUSE_CONNECT, errno);
	if (soerr != 0)
		return netio_errno_status(soerr, err);
	return ok(err);
}

enum netio_status
netio_read_step(int fd, SSL *ssl, void *buf, size_t size, size_t *got, struct netio_error *err)
{
	*got = 0;
	if (ssl != NULL) {
		int n;

		ERR_clear_error();
		errno = 0;
		n = SSL_read(ssl, buf, size > INT_MAX ? INT_MAX : (int)size);
		if (n <= 0)
			return netio_ssl_status(ssl, n, errno, err);
		*got = (size_t)n;
		return ok(err);
	}
	for (;;) {
		ssize_t n = recv(fd, buf, size, 0);

		if (n > 0) {
			*got = (size_t)n;
			return ok(err);
		}
		if (n == 0)
			return set_status(err, NETIO_CLOSED, NETIO_CAUSE_EOF, 0);
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return set_status(err, NETIO_WANT_READ, NETIO_CAUSE_NONE, 0);
		return netio_errno_status(errno, err);
	}
}

enum netio_status
netio_write_step(int fd, SSL *ssl, const void *buf, size_t len, size_t *sent,
		 struct netio_error *err)
{
	*sent = 0;
	if (ssl != NULL) {
		int n;

		ERR_clear_error();
		errno = 0;
		/* after WANT_*, SSL_write must be called again with the same bytes */
		n = SSL_write(ssl, buf, len > INT_MAX ? INT_MAX : (int)len);
		if (n <= 0)
			return netio_ssl_status(ssl, n, errno, err);
		*sent = (size_t)n;
		return ok(err);
	}
	for (;;) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

		if (n > 0) {
			*sent = (size_t)n;
			return ok(err);
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0 || errno == EAGAIN || errno == EWOULDBLOCK)
			return set_status(err, NETIO_WANT_WRITE, NETIO_CAUSE_NONE, 0);
		return netio_errno_status(errno, err);
	}
}

enum netio_status
netio_ssl_connect_step(SSL *ssl, struct netio_error *err)
{
	int ret, saved_errno;

	ERR_clear_error();
	errno = 0;
	ret = SSL_connect(ssl);
	saved_errno = errno;
	if (ret == 1)
		return ok(err);
	return netio_ssl_status(ssl, ret, saved_errno, err);
}

/* --- waiting ------------------------------------------------------------- */

enum netio_status
netio_connect(const struct sockaddr *sa, socklen_t salen, const struct netio_end *end, int *fd,
	      struct netio_error *err)
{
	enum netio_status st;
	int s = -1;

	*fd = -1;
	if (netio_ms_left(end) == 0)
		return timed_out(end, err);
	st = netio_connect_start(sa, salen, SOCK_STREAM, &s, err);
	if (st == NETIO_WANT_WRITE) {
		st = netio_wait(s, NETIO_WANT_WRITE, end, err);
		if (st == NETIO_LOCAL)
			st = set_status(err, NETIO_LOCAL, NETIO_CAUSE_CONNECT, err->sys);
		if (st == NETIO_OK)
			st = netio_connect_finish(s, err);
	}
	if (st != NETIO_OK) {
		if (s >= 0)
			close(s);
		return st;
	}
	*fd = s;
	return st;
}

enum netio_status
netio_read(int fd, SSL *ssl, void *buf, size_t size, size_t *got, const struct netio_end *end,
	   struct netio_error *err)
{
	enum netio_status st;

	for (;;) {
		st = netio_read_step(fd, ssl, buf, size, got, err);
		if (st == NETIO_WANT_READ || st == NETIO_WANT_WRITE)
			st = netio_wait(fd, st, end, err);
		else
			break;
		if (st != NETIO_OK)
			break;
	}
	ERR_clear_error();
	return st;
}

enum netio_status
netio_write_all(int fd, SSL *ssl, const void *buf, size_t len, const struct netio_end *end,
		struct netio_error *err)
{
	const char *p = buf;
	enum netio_status st = ok(err);
	size_t off = 0;

	while (off < len) {
		size_t sent = 0;

		st = netio_write_step(fd, ssl, p + off, len - off, &sent, err);
		if (st == NETIO_OK)
			off += sent;
		else if (st == NETIO_WANT_READ || st == NETIO_WANT_WRITE)
			st = netio_wait(fd, st, end, err);
		if (st != NETIO_OK)
			break;
	}
	ERR_clear_error();
	return st;
}

bool
netio_pending(int fd)
{
	struct pollfd pfd = {fd, POLLIN, 0};
	char peek;

	return poll(&pfd, 1, 0) > 0 && recv(fd, &peek, 1, MSG_PEEK | MSG_DONTWAIT) > 0;
}

size_t
netio_free_fds(size_t reserve)
{
	struct rlimit rl;
	DIR *d;
	struct dirent *e;
	size_t used = 0;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
		return SIZE_MAX;
	d = opendir("/proc/self/fd");
	if (d != NULL) {
		while ((e = readdir(d)) != NULL)
			used += e->d_name[0] != '.';
		closedir(d);
		used = used > 0 ? used - 1 : 0; /* the directory's own descriptor */
	}
	used += reserve;
	return rl.rlim_cur > used ? (size_t)rl.rlim_cur - used : 0;
}
