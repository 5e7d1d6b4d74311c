/*
 * netio.h -- the one I/O layer: non-blocking connects, reads and writes on a
 * socket or over TLS, waits bounded by the run's deadline, and every socket
 * or OpenSSL failure mapped to a status and the facts it came from.
 *
 * Two levels. Step functions (netio_connect_start(), netio_connect_finish(),
 * netio_read_step(), netio_write_step(), netio_ssl_connect_step()) never wait:
 * they return NETIO_OK, NETIO_WANT_READ / NETIO_WANT_WRITE (poll for
 * netio_poll_events() and call again) or a failure, so one poll loop can
 * drive many sockets (the DNS TCP fallback). Waiting functions (netio_wait(),
 * netio_connect(), netio_read(), netio_write_all()) loop over the steps
 * until a struct netio_end (the deadline, perhaps capped) for one connection
 * (the SMTP dialogue, the TLS handshake).
 *
 * Failures fill a struct netio_error: the status, the cause, and the errno
 * and OpenSSL facts it came from; words_netio() (words_conn.h) says it from
 * the client's side ("the server closed the connection", "connection
 * refused", "timed out after 10 s", "TLS error: ..."). Nothing here prints, exits,
 * uses signals or keeps global state. Socket writes use MSG_NOSIGNAL;
 * writes over TLS go through OpenSSL's socket BIO (write(2)), so a program
 * that writes over TLS must ignore SIGPIPE.
 */
#ifndef DANE_NETIO_H
#define DANE_NETIO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include <openssl/ssl.h>

#include "deadline.h"

/** What a step or a wait came to. */
enum netio_status {
	NETIO_OK = 0,      /* done: bytes moved, connected, handshake complete, ready */
	NETIO_WANT_READ,   /* not yet: call again when the socket is readable */
	NETIO_WANT_WRITE,  /* not yet: call again when the socket is writable */
	NETIO_CLOSED,      /* the peer closed: EOF, TLS close_notify, EOF without it */
	NETIO_RESET,       /* the peer tore the connection down: ECONNRESET, EPIPE */
	NETIO_REFUSED,     /* nothing listens: ECONNREFUSED */
	NETIO_UNREACHABLE, /* ENETUNREACH, ENETDOWN, EHOSTUNREACH, EHOSTDOWN */
	NETIO_TIMEOUT,     /* the end passed (sys 0), or the kernel gave up (ETIMEDOUT) */
	NETIO_ERROR,       /* another socket error: sys says which */
	NETIO_TLS,         /* a TLS failure: OpenSSL's queue says which */
	NETIO_LOCAL,       /* our side: no socket, poll or getsockopt failed */
};

/** Which failure it was, beyond the status: what its words are made of. */
enum netio_cause {
	NETIO_CAUSE_NONE = 0,  /* NETIO_OK, NETIO_WANT_READ, NETIO_WANT_WRITE */
	NETIO_CAUSE_ERRNO,     /* a socket call failed (or SO_ERROR): sys, mapped by
				* netio_errno_status() */
	NETIO_CAUSE_EOF,       /* the peer closed: EOF on the socket, or over TLS an
				* empty queue and no errno */
	NETIO_CAUSE_TLS_CLOSE, /* TLS close_notify (SSL_ERROR_ZERO_RETURN) */
	NETIO_CAUSE_TLS_EOF,   /* EOF without close_notify (SSL_R_UNEXPECTED_EOF_WHILE_READING) */
	NETIO_CAUSE_TLS_ERROR, /* another TLS failure: ssl_code */
	NETIO_CAUSE_DEADLINE,  /* the end passed: seconds */
	NETIO_CAUSE_POLL,      /* poll() failed: sys */
	NETIO_CAUSE_SOCKET,    /* socket() failed: sys */
	NETIO_CAUSE_CONNECT,   /* the outcome of a connect could not be read: sys */
};

/**
 * A failure (or NETIO_OK / NETIO_WANT_*) with the facts it came from;
 * words_netio() (words_conn.h) says it in words.
 */
struct netio_error {
	enum netio_status status;
	enum netio_cause cause;
	int sys;                /* the errno it came from, 0 if none (EOF, TLS, deadline) */
	int ssl_error;          /* SSL_get_error()'s value for a TLS call, else 0 */
	unsigned long ssl_code; /* NETIO_CAUSE_TLS_ERROR: the newest queued error
				 * (ERR_peek_last_error()), 0 if none was queued */
	unsigned int seconds;   /* NETIO_CAUSE_DEADLINE: the run's -t, for "timed out after N s" */
	bool peer_silent;       /* TLS: the peer had sent no byte when it went away */
};

/** When waiting functions give up: a point on deadline_now_ms()'s clock. */
struct netio_end {
	long long ms;         /* give up at this deadline_now_ms() */
	unsigned int seconds; /* the run's -t, for "timed out after N s" */
};

/**
 * The end of a wait: dl's deadline, or cap_ms from now if that is sooner
 * (cap_ms < 0: no cap). Make it once for every wait that shares the bound.
 */
struct netio_end netio_end_of(const struct deadline *dl, int cap_ms);

/** Milliseconds left before end, 0 when it has passed. */
int netio_ms_left(const struct netio_end *end);

/** The poll(2) events a NETIO_WANT_* status waits for (POLLIN, POLLOUT), else 0. */
short netio_poll_events(enum netio_status want);

/** Short lower-case name of a status: "ok", "want-read", "closed", "reset", ... */
const char *netio_status_name(enum netio_status status);

/**
 * The text of errno value e, for a message: like strerror() but safe to
 * call from several threads. Writes into buf (size bytes) if it needs to;
 * returns the text.
 */
const char *netio_strerror(int e, char *buf, size_t size);

/**
 * How many more file descriptors this process may open (RLIMIT_NOFILE less
 * the open ones), less reserve; SIZE_MAX without a limit, 0 when none is left.
 */
size_t netio_free_fds(size_t reserve);

/**
 * Map errno value sys (a failed socket call, or SO_ERROR) into *err
 * (NETIO_CAUSE_ERRNO) and return its status: ECONNREFUSED NETIO_REFUSED;
 * ENETUNREACH, ENETDOWN, EHOSTUNREACH, EHOSTDOWN NETIO_UNREACHABLE;
 * ETIMEDOUT NETIO_TIMEOUT; ECONNRESET, EPIPE NETIO_RESET; anything else
 * NETIO_ERROR.
 */
enum netio_status netio_errno_status(int sys, struct netio_error *err);

/**
 * Map a failed TLS call on ssl (ret its return value, saved_errno errno
 * right after it, with errno set to 0 and the queue cleared before it) into
 * *err and return the status, leaving OpenSSL's error queue as it is (for
 * sslerr_take(); the next step clears it):
 *  - SSL_ERROR_WANT_READ / _WANT_WRITE: NETIO_WANT_READ / NETIO_WANT_WRITE;
 *  - SSL_ERROR_ZERO_RETURN: NETIO_CLOSED, NETIO_CAUSE_TLS_CLOSE;
 *  - SSL_ERROR_SYSCALL with saved_errno ECONNRESET or EPIPE: as netio_errno_status();
 *    with an empty queue and no errno: NETIO_CLOSED, NETIO_CAUSE_EOF; with an
 *    empty queue and another errno: as netio_errno_status();
 *  - the oldest queued error is SSL_R_UNEXPECTED_EOF_WHILE_READING: NETIO_CLOSED,
 *    NETIO_CAUSE_TLS_EOF;
 *  - anything else: NETIO_TLS, NETIO_CAUSE_TLS_ERROR with the newest queued
 *    error in err->ssl_code.
 * err->ssl_error is SSL_get_error()'s value, and err->peer_silent tells
 * whether the peer had sent no byte at all (BIO_number_read() of the read
 * BIO is 0): a close or reset before any TLS byte.
 */
enum netio_status netio_ssl_status(SSL *ssl, int ret, int saved_errno, struct netio_error *err);

/**
 * Wait until fd is ready for want (NETIO_WANT_READ or NETIO_WANT_WRITE; a
 * hang-up or an error counts as ready: the next step says what it is) or
 * end passes. Returns NETIO_OK, NETIO_TIMEOUT (NETIO_CAUSE_DEADLINE) or
 * NETIO_LOCAL (NETIO_CAUSE_POLL), also in *err.
 */
enum netio_status netio_wait(int fd, enum netio_status want, const struct netio_end *end,
			     struct netio_error *err);

/**
 * Step: make a non-blocking socket of type (SOCK_STREAM, SOCK_DGRAM) and
 * start connecting it to sa. Returns NETIO_OK (connected at once: *fd is
 * ready), NETIO_WANT_WRITE (in progress: when fd is writable, call
 * netio_connect_finish()), or a failure as netio_errno_status() (NETIO_LOCAL,
 * NETIO_CAUSE_SOCKET, when there is no socket), *fd then -1. The
 * caller owns *fd and closes it.
 */
enum netio_status netio_connect_start(const struct sockaddr *sa, socklen_t salen, int type, int *fd,
				      struct netio_error *err);

/**
 * Step: the outcome of a connect netio_connect_start() left in progress,
 * once fd is writable. Returns NETIO_OK, a failure as netio_errno_status()
 * with SO_ERROR, or NETIO_LOCAL (NETIO_CAUSE_CONNECT) if that cannot be
 * read.
 */
enum netio_status netio_connect_finish(int fd, struct netio_error *err);

/**
 * Connect a non-blocking stream socket to sa before end. On NETIO_OK *fd is
 * the connected socket (owned by the caller); else *fd is -1 and the status
 * is NETIO_TIMEOUT (NETIO_CAUSE_DEADLINE, also when end has already
 * passed), NETIO_LOCAL (NETIO_CAUSE_SOCKET; NETIO_CAUSE_CONNECT when the
 * wait or SO_ERROR failed) or a failure as netio_errno_status().
 */
enum netio_status netio_connect(const struct sockaddr *sa, socklen_t salen,
				const struct netio_end *end, int *fd, struct netio_error *err);

/**
 * Step: read at most size bytes from ssl, or from the socket fd when ssl is
 * NULL, without waiting. Returns NETIO_OK with *got > 0, NETIO_WANT_READ /
 * NETIO_WANT_WRITE, NETIO_CLOSED (NETIO_CAUSE_EOF on a socket; over TLS as
 * netio_ssl_status()) or a failure as
 * netio_errno_status() / netio_ssl_status().
 */
enum netio_status netio_read_step(int fd, SSL *ssl, void *buf, size_t size, size_t *got,
				  struct netio_error *err);

/**
 * Step: write at most len bytes to ssl, or to the socket fd when ssl is
 * NULL, without waiting. Returns NETIO_OK with *sent > 0 (a socket may take
 * less than len), NETIO_WANT_WRITE / NETIO_WANT_READ (over TLS, call again
 * with the same bytes), or a failure as netio_errno_status() /
 * netio_ssl_status().
 */
enum netio_status netio_write_step(int fd, SSL *ssl, const void *buf, size_t len, size_t *sent,
				   struct netio_error *err);

/**
 * Step: one SSL_connect() on ssl. Returns NETIO_OK when the handshake is
 * complete, NETIO_WANT_READ / NETIO_WANT_WRITE, or a failure as
 * netio_ssl_status() (OpenSSL's queue left for sslerr_take()).
 */
enum netio_status netio_ssl_connect_step(SSL *ssl, struct netio_error *err);

/**
 * Read what is there (at most size bytes, at least one) from ssl or fd,
 * waiting until end for something to come. Returns NETIO_OK with *got > 0,
 * or a failure as netio_read_step() or netio_wait(). OpenSSL's queue is
 * empty on return.
 */
enum netio_status netio_read(int fd, SSL *ssl, void *buf, size_t size, size_t *got,
			     const struct netio_end *end, struct netio_error *err);

/**
 * Write all len bytes to ssl or fd before end. Returns NETIO_OK, or a failure
 * as netio_write_step() or netio_wait(). OpenSSL's queue is empty on return.
 */
enum netio_status netio_write_all(int fd, SSL *ssl, const void *buf, size_t len,
				  const struct netio_end *end, struct netio_error *err);

/**
 * Are bytes waiting to be read on fd right now? Looks without waiting and
 * without taking them (MSG_PEEK); false also when the peer closed.
 */
bool netio_pending(int fd);

#endif /* DANE_NETIO_H */
