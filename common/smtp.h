/*
 * smtp.h -- the SMTP dialogue of a DANE check: connect, greeting, EHLO,
 * STARTTLS, and QUIT (in clear or over TLS), every wait bounded by the run's
 * deadline.
 *
 * Remote data is hostile: replies are read by smtp_parser.h's incremental
 * parser with hard limits, the I/O is netio.h's, and server text is kept as
 * bytes with a length (it may hold NULs and control characters) and is never
 * printed here. Nothing in this module prints, exits, uses signals or
 * keeps global state: several threads may each run their own connection, and
 * the struct deadline is only read.
 *
 * Plain writes use send(MSG_NOSIGNAL); writes over TLS go through OpenSSL's
 * socket BIO (write(2)), so a program that uses smtp_conn_set_tls() must
 * ignore SIGPIPE.
 */
#ifndef DANE_SMTP_H
#define DANE_SMTP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <time.h>

#include <openssl/ssl.h>

#include "deadline.h"
#include "netio.h"
#include "smtp_parser.h"

/** Longest command line sent, without CRLF (RFC 5321 4.5.3.1.4: 512 with it). */
#define SMTP_COMMAND_MAX 510

/** Longest wait for the reply to QUIT, in ms (less when the deadline is nearer). */
#define SMTP_QUIT_WAIT_MS 1000

/** Size of the receive buffer of a connection. */
#define SMTP_READ_BUF 4096

/** Size of struct smtp_session.ehlo_keywords. */
#define SMTP_KEYWORDS_MAX 256

/** Where a session ended. */
enum smtp_stage {
	SMTP_STAGE_CONNECT,  /* "connecting" */
	SMTP_STAGE_GREETING, /* "waiting for the greeting" */
	SMTP_STAGE_EHLO,     /* "after EHLO" */
	SMTP_STAGE_STARTTLS, /* "after STARTTLS" */
	SMTP_STAGE_DONE,     /* STARTTLS accepted: "ready for TLS" */
};

/** Outcome of a connection step or of a whole session. */
enum smtp_result {
	SMTP_OK = 0,
	SMTP_ERR_CONNECT_REFUSED,  /* nothing listens (RST) */
	SMTP_ERR_UNREACHABLE,      /* no route, host or network unreachable */
	SMTP_ERR_TIMEOUT,          /* the deadline (or the QUIT bound) passed */
	SMTP_ERR_GREETING,         /* the greeting was not 220 */
	SMTP_ERR_PROTOCOL,         /* not SMTP, a limit exceeded, bytes after STARTTLS's 220 */
	SMTP_ERR_CLOSED,           /* the server closed the connection (or reset it) */
	SMTP_ERR_NO_STARTTLS,      /* STARTTLS not offered, or EHLO rejected */
	SMTP_ERR_STARTTLS_REFUSED, /* STARTTLS answered with something else than 220 */
	SMTP_ERR_LOCAL,            /* our side: no socket, out of memory, bad argument */
};

/** What went wrong in one step on a connection (connect, read a reply, send a line). */
enum smtp_fail {
	SMTP_FAIL_NONE = 0,
	SMTP_FAIL_IO,               /* the I/O failed: io */
	SMTP_FAIL_CLOSED_MID_REPLY, /* the server closed (or reset) the connection with part
				     * of a reply read: io */
	SMTP_FAIL_PARSE,            /* not an SMTP reply, over a limit, out of memory: parse */
	SMTP_FAIL_NOT_CONNECTED,    /* the connection is not open */
	SMTP_FAIL_CONNECTED,        /* smtp_connect() on an open connection */
	SMTP_FAIL_LONG_COMMAND,     /* a command over SMTP_COMMAND_MAX bytes */
	SMTP_FAIL_CONTROL_COMMAND,  /* a control character in a command */
};

/** A failed step as facts; words_smtp_error() (words_conn.h) says it in words. */
struct smtp_error {
	enum smtp_fail fail;
	struct netio_error io;         /* SMTP_FAIL_IO, SMTP_FAIL_CLOSED_MID_REPLY */
	struct smtp_parse_error parse; /* SMTP_FAIL_PARSE */
};

/** Why a session ended as it did: what the words of struct smtp_session are made of. */
enum smtp_why {
	SMTP_WHY_NOT_STARTED = 0,  /* no dialogue was run (a probe that could not be started) */
	SMTP_WHY_NOT_PROBED,       /* not run: the deadline came before its turn (skipped_*) */
	SMTP_WHY_STEP,             /* a step failed at the stage: step, partial_reply */
	SMTP_WHY_BAD_HELO,         /* the EHLO name is empty, has a space or is too long */
	SMTP_WHY_GREETING,         /* the greeting is not 2xx: greeting_code, greeting */
	SMTP_WHY_EHLO_REJECTED,    /* EHLO answered with 4xx/5xx: ehlo_code, ehlo_line */
	SMTP_WHY_NO_STARTTLS,      /* STARTTLS is not an EHLO keyword */
	SMTP_WHY_STARTTLS_REFUSED, /* STARTTLS answered non-2xx: starttls_code, starttls_line */
	SMTP_WHY_INJECTION,        /* bytes came after STARTTLS's 2xx, before TLS: injected */
	SMTP_WHY_ACCEPTED,         /* STARTTLS accepted: ready for TLS */
	SMTP_WHY_NOMEM,            /* out of memory after the dialogue */
};

/**
 * One connection: the socket (owned) and, after the TLS handshake, the SSL
 * object (not owned: the TLS layer frees it). Initialize with
 * smtp_conn_init(), end with smtp_conn_close().
 */
struct smtp_conn {
	int fd;   /* non-blocking socket, -1 when closed */
	SSL *ssl; /* NULL: plain text; not owned */
	struct smtp_parser parser;
	char buf[SMTP_READ_BUF]; /* received bytes, buf[pos..len) not parsed yet */
	size_t pos, len;
	double connected_at; /* deadline_now() when the connect completed */
	double connect_time; /* seconds the connect took, -1 before */
};

/**
 * What smtp_starttls() saw, as facts: words_smtp_session() (words_conn.h)
 * says how it ended in words. All text is bounded; server text is raw.
 */
struct smtp_session {
	enum smtp_result result;
	enum smtp_stage stage;        /* where it ended */
	enum smtp_why why;            /* why it ended so: which facts below tell */
	struct smtp_error step;       /* SMTP_WHY_STEP: the step that failed */
	bool partial_reply;           /* SMTP_WHY_STEP: part of a reply had come when it failed */
	size_t injected;              /* SMTP_WHY_INJECTION: bytes after the 2xx, 0 if they were
				       * seen waiting on the socket (not counted) */
	unsigned int skipped_seconds; /* SMTP_WHY_NOT_PROBED: the run's deadline (-t) ... */
	size_t skipped_parallel;      /* ... and how many probes ran at once */
	double connect_time;          /* seconds, -1 if not connected */
	double greeting_time; /* seconds from the connect to the complete greeting, -1 if none */
	int greeting_code;    /* 0 if none */
	char greeting[SMTP_FIRST_LINE_MAX]; /* first greeting line with code, raw, cut */
	size_t greeting_len;
	int ehlo_code;                       /* 0 if no reply to EHLO */
	char ehlo_line[SMTP_FIRST_LINE_MAX]; /* first line of that reply, raw, cut */
	size_t ehlo_line_len;
	bool ehlo_rejected;    /* EHLO answered with 4xx/5xx */
	bool starttls_offered; /* STARTTLS was an EHLO keyword */
	/* EHLO keywords, upper case, space-separated ("PIPELINING SIZE STARTTLS"):
	 * only words of letters, digits and '-' (at most 32), as many as fit */
	char ehlo_keywords[SMTP_KEYWORDS_MAX];
	int starttls_code;                       /* 0 if no reply to STARTTLS */
	char starttls_line[SMTP_FIRST_LINE_MAX]; /* first line of that reply, raw, cut */
	size_t starttls_line_len;
};

/** Make c an unconnected connection (fd -1). */
void smtp_conn_init(struct smtp_conn *c);

/**
 * Close the socket and free what c holds; the SSL object is left to its
 * owner. c can be initialized again. NULL is allowed.
 */
void smtp_conn_close(struct smtp_conn *c);

/**
 * Connect c (initialized, unconnected) to sa with a non-blocking connect
 * that waits until the deadline. Returns SMTP_OK (c->connect_time set),
 * SMTP_ERR_CONNECT_REFUSED, SMTP_ERR_UNREACHABLE, SMTP_ERR_TIMEOUT or
 * SMTP_ERR_LOCAL, with the facts in *err (fail SMTP_FAIL_NONE on SMTP_OK).
 */
enum smtp_result smtp_connect(const struct sockaddr *sa, socklen_t salen, const struct deadline *dl,
			      struct smtp_conn *c, struct smtp_error *err);

/**
 * Use ssl (handshake done on c->fd, the fd left non-blocking) for every
 * read and write from now on; NULL goes back to plain text. Buffered plain
 * text is dropped. c does not take ownership of ssl.
 */
void smtp_conn_set_tls(struct smtp_conn *c, SSL *ssl);

/**
 * Read one complete reply before the deadline into *reply (free it with
 * smtp_reply_clear(); it is cleared on failure). Returns SMTP_OK,
 * SMTP_ERR_TIMEOUT, SMTP_ERR_CLOSED (also a reset), SMTP_ERR_PROTOCOL (garbage,
 * a limit exceeded, a TLS error), SMTP_ERR_UNREACHABLE (another network error)
 * or SMTP_ERR_LOCAL, with the facts in *err. Bytes after the reply stay
 * buffered in c.
 */
enum smtp_result smtp_read_reply(struct smtp_conn *c, const struct deadline *dl,
				 struct smtp_reply *reply, struct smtp_error *err);

/**
 * Send one command line ("EHLO name", CRLF is added) before the deadline.
 * Lines with control characters or over SMTP_COMMAND_MAX bytes are refused
 * (SMTP_ERR_LOCAL). Returns SMTP_OK or an error as smtp_read_reply(), with
 * the facts in *err.
 */
enum smtp_result smtp_send_line(struct smtp_conn *c, const struct deadline *dl, const char *line,
				struct smtp_error *err);

/**
 * On a connected c: read the greeting, send EHLO helo_name, check that
 * STARTTLS is offered, send STARTTLS and read its 220. Everything seen is
 * recorded in *out. On SMTP_OK, c->fd is ready for the TLS handshake, with
 * nothing buffered: bytes sent after the 220 (command injection,
 * CVE-2011-0411) make it SMTP_ERR_PROTOCOL. A rejected EHLO (Postfix would
 * fall back to HELO, which has no STARTTLS) is SMTP_ERR_NO_STARTTLS with
 * out->ehlo_rejected. Returns out->result.
 */
enum smtp_result smtp_starttls(struct smtp_conn *c, const char *helo_name,
			       const struct deadline *dl, struct smtp_session *out);

/**
 * smtp_connect() then smtp_starttls(), recording the connect outcome in
 * *out as well. c must be initialized and unconnected; close it with
 * smtp_conn_close() whatever the result. Returns out->result.
 */
enum smtp_result smtp_connect_starttls(const struct sockaddr *sa, socklen_t salen,
				       const char *helo_name, const struct deadline *dl,
				       struct smtp_conn *c, struct smtp_session *out);

/**
 * Send QUIT (over TLS when c has an SSL object) and read the reply, ignoring
 * its content, waiting at most SMTP_QUIT_WAIT_MS or until the deadline,
 * whichever is sooner. Returns SMTP_OK if a reply came, else why not; it is
 * only informative. Does not close c.
 */
enum smtp_result smtp_quit(struct smtp_conn *c, const struct deadline *dl);

/** Short lower-case name of a result: "ok", "refused", "timeout", "no-starttls", ... */
const char *smtp_result_name(enum smtp_result result);

#endif /* DANE_SMTP_H */
