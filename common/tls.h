/*
 * tls.h -- the TLS handshake of a DANE SMTP client (RFC 7672), verified by
 * OpenSSL's own DANE code the way Postfix does it.
 *
 * One struct tls_ctx (an SSL_CTX with DANE enabled) is made at start-up and
 * shared read-only by every thread; each thread runs tls_handshake() on its
 * own connected, non-blocking socket (after STARTTLS), bounded by the run's
 * deadline, which is only read. The result says whether the peer chain
 * matched the TLSA records and, in any case, what the server presented
 * (described by cert.h).
 *
 * Nothing here prints, exits or keeps global state. OpenSSL's socket BIO
 * writes with write(2): a program using this module must ignore SIGPIPE.
 */
#ifndef DANE_TLS_H
#define DANE_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "cert.h"
#include "deadline.h"
#include "netio.h"
#include "sslerr.h"
#include "tlsa.h"

/** Room for a DNS name (cut to fit, NUL-terminated). */
#define TLS_NAME_MAX 256

/** The shared client context. Opaque; see tls_ctx_new(). */
struct tls_ctx;

/**
 * The type of certificate (of key) a handshake asks the server for, through
 * the signature algorithms the client offers: a server with an ECDSA and an
 * RSA certificate presents the one that fits (Postfix's smtpd_tls_chain_files).
 */
enum tls_key_type {
	TLS_KEY_ANY = 0, /* OpenSSL's default list: what most senders negotiate */
	TLS_KEY_ECDSA,   /* ECDSA with SHA-256/384/512 */
	TLS_KEY_RSA,     /* RSA-PSS, and RSA PKCS#1 v1.5 (TLS 1.2) */
	TLS_KEY_ED25519, /* Ed25519 */
};

/** The number of specific key types (TLS_KEY_ECDSA .. TLS_KEY_ED25519). */
#define TLS_KEY_TYPES 3

/** Name of a key type: "ECDSA", "RSA", "Ed25519", "any". */
const char *tls_key_type_name(enum tls_key_type type);

/**
 * Parse one key type word, case-insensitive ("ecdsa", "rsa", "ed25519").
 * Returns 0, or -1 for an unknown word.
 */
int tls_key_type_parse(const char *word, enum tls_key_type *type);

/** What a DANE SMTP client knows about the peer it connects to. */
struct tls_dane_params {
	const struct tlsa_rdata *records; /* the TLSA RRset (all of it: this module filters) */
	size_t n;
	/*
	 * The TLSA base domain (RFC 7672 2.2.3): sent as SNI, and the primary
	 * reference identifier for the name checks of DANE-TA(2) matches.
	 */
	const char *base_domain;
	/*
	 * Further reference identifiers for DANE-TA(2) name checks, typically
	 * the original MX host name when base_domain is its CNAME expansion
	 * (RFC 7672 3.2.2). base_domain may be repeated here. NULL if none.
	 */
	const char *const *names;
	size_t nnames;
	/* The certificate type to ask for (TLS_KEY_ANY: OpenSSL's default). */
	enum tls_key_type key_type;
};

/** How the handshake ended. */
enum tls_outcome {
	TLS_OK = 0,          /* handshake done, peer chain DANE-verified */
	TLS_ERR_VERIFY,      /* handshake done, the chain does not match (see verify_error) */
	TLS_ERR_NO_USABLE,   /* handshake done, but no TLSA record was usable: not authenticated */
	TLS_ERR_HANDSHAKE,   /* alert, garbage, protocol error (OpenSSL's errors in queue) */
	TLS_ERR_TIMEOUT,     /* the deadline passed during the handshake */
	TLS_ERR_CLOSED,      /* the peer closed (or reset) the connection mid-handshake */
	TLS_ERR_NOT_OFFERED, /* a key type was asked, the server has no certificate of it */
	TLS_ERR_LOCAL,       /* our side: bad argument, out of memory, OpenSSL internal error */
};

/** What became of one TLSA record of the parameters. */
enum tls_record_status {
	TLS_REC_ADDED = 0, /* given to OpenSSL, used for verification */
	TLS_REC_PKIX,      /* PKIX usage, not for SMTP (tlsa_usage_is_pkix()): skipped */
	TLS_REC_UNUSABLE,  /* OpenSSL refused it (SSL_dane_tlsa_add() 0): bad parameters or data */
	TLS_REC_FAILED,    /* OpenSSL failed on it (SSL_dane_tlsa_add() < 0): internal error */
};

/**
 * One record's status and, when OpenSSL refused it, OpenSSL's error;
 * words_tls_record_note() (words_conn.h) says why in words.
 */
struct tls_record_note {
	enum tls_record_status status;
	/* TLS_REC_UNUSABLE, TLS_REC_FAILED: the oldest queued error (ERR_peek_error()), 0 if none
	 */
	unsigned long ssl_code;
};

/** Why a handshake ended as it did: what the words of struct tls_result are made of. */
enum tls_why {
	TLS_WHY_ARGUMENT = 0, /* TLS_ERR_LOCAL: an invalid argument */
	TLS_WHY_BASE_DOMAIN,  /* TLS_ERR_LOCAL: the TLSA base domain is empty or too long */
	TLS_WHY_NOMEM,        /* TLS_ERR_LOCAL: out of memory */
	TLS_WHY_SETUP,       /* TLS_ERR_LOCAL: an OpenSSL call of the set-up failed: setup, queue */
	TLS_WHY_WAIT,        /* TLS_ERR_LOCAL: waiting on the socket failed: io */
	TLS_WHY_TIMEOUT,     /* TLS_ERR_TIMEOUT: want_write, state */
	TLS_WHY_CLOSED,      /* TLS_ERR_CLOSED: io.status (closed or reset), io.peer_silent */
	TLS_WHY_NOT_OFFERED, /* TLS_ERR_NOT_OFFERED: key_type (queue: the refusal) */
	TLS_WHY_TLS_ERROR,   /* TLS_ERR_HANDSHAKE: queue, io.ssl_error */
	TLS_WHY_SOCKET_ERROR, /* TLS_ERR_HANDSHAKE: io.sys */
	TLS_WHY_NO_USABLE,    /* TLS_ERR_NO_USABLE: nrecords */
	TLS_WHY_VERIFY,       /* TLS_ERR_VERIFY: verify_error */
	TLS_WHY_NOT_BY_DANE,  /* TLS_ERR_VERIFY: verified, but OpenSSL reports no DANE match */
	TLS_WHY_MATCHED,      /* TLS_OK: match, match_depth */
};

/** The set-up call that failed (TLS_WHY_SETUP). */
enum tls_setup {
	TLS_SETUP_NEW = 0, /* SSL_new() */
	TLS_SETUP_FD,      /* SSL_set_fd() */
	TLS_SETUP_SIGALGS, /* SSL_set1_sigalgs_list(): asking for a certificate type */
	TLS_SETUP_DANE,    /* SSL_dane_enable() */
	TLS_SETUP_NAME,    /* SSL_add1_host(): a further reference identifier */
};

/** Room for SSL_state_string_long() in struct tls_result. */
#define TLS_STATE_MAX 64

/**
 * The result of tls_handshake(). Everything is owned by it: free with
 * tls_result_clear(), whatever the outcome.
 */
struct tls_result {
	enum tls_outcome outcome;
	/* Why it ended so (words_tls_result()), and the facts that tells. */
	enum tls_why why;
	enum tls_setup setup;       /* TLS_WHY_SETUP */
	enum tls_key_type key_type; /* the certificate type asked for */
	struct netio_error io;      /* the failed handshake step (or wait) */
	struct sslerr_queue queue;  /* OpenSSL's queued errors at the failure */
	bool want_write;            /* TLS_WHY_TIMEOUT: waiting to write (else to read) */
	char state[TLS_STATE_MAX];  /* TLS_WHY_TIMEOUT: SSL_state_string_long() then */

	/* The records of the parameters: status per record, in their order. */
	struct tls_record_note *notes; /* n notes, NULL if there were none */
	size_t nrecords;
	size_t usable; /* records added to OpenSSL */

	/* Certificate verification (meaningful when the handshake completed). */
	long verify_error;     /* SSL_get_verify_result(): X509_V_OK or X509_V_ERR_* */
	char verify_text[128]; /* X509_verify_cert_error_string() */

	/* On TLS_OK: the record that matched and where. */
	bool matched;
	struct tlsa_rdata match;  /* as OpenSSL reports it; match.data points to match_data */
	uint8_t *match_data;      /* owned copy of the association data */
	int match_index;          /* index into params->records, -1 if not found */
	int match_depth;          /* SSL_get0_dane_authority(): 0 = leaf, -1 if none */
	bool match_by_signer_key; /* a 2 1 0 key signed the top of the chain */
	/* the trust anchor is the record's own data (2 0 0 or 2 1 0), not a certificate
	 * the server sent: match_depth is then the depth of the certificate it signed */
	bool anchor_from_dns;
	char peername[TLS_NAME_MAX]; /* DANE-TA: the name that matched; "" otherwise */

	/* The session. */
	char version[16];      /* "TLSv1.3" */
	char cipher[64];       /* "TLS_AES_256_GCM_SHA384" */
	double handshake_time; /* seconds the handshake took */

	/*
	 * What the peer presented, leaf first (SSL_get_peer_cert_chain), also
	 * when verification failed or the handshake broke off after the
	 * certificate; NULL and 0 when nothing was received. chain holds
	 * references of its own; certs[i] describes chain's i-th certificate
	 * (cert_describe()).
	 */
	/* STACK_OF() confuses clang-format: kept as written. */
	/* clang-format off */
	STACK_OF(X509) *chain;
	/* clang-format on */
	struct cert_info *certs;
	size_t ncerts;

	/*
	 * The connection, when the handshake completed (TLS_OK, TLS_ERR_VERIFY,
	 * TLS_ERR_NO_USABLE), for QUIT over TLS; else NULL. Freed (with a
	 * best-effort close_notify) by tls_result_clear(). The socket is not
	 * owned and stays open.
	 */
	SSL *ssl;
};

/**
 * Make the shared DANE client context: SSL_CTX_dane_enable(), DANE-EE
 * name checks off (RFC 7672 3.1.1), no session reuse, protocol versions and
 * security level as OpenSSL and the system configure them (Debian 12:
 * SECLEVEL 2, no minimum version; TLS 1.0/1.1 then only work with RSA key
 * exchange). Returns the context, or NULL with a message in err.
 */
struct tls_ctx *tls_ctx_new(char *err, size_t errsize);

/** Free the context (after every handshake using it has ended). NULL is allowed. */
void tls_ctx_free(struct tls_ctx *ctx);

/**
 * Run the client side of a TLS handshake on fd (connected, non-blocking,
 * not owned) until it completes or the deadline passes, verifying the peer
 * against the TLSA records of p with OpenSSL's DANE code. The handshake is
 * not aborted when verification fails: the outcome is then TLS_ERR_VERIFY,
 * with what the server presented. r is always filled in; free it with
 * tls_result_clear(). Returns r->outcome.
 */
enum tls_outcome tls_handshake(struct tls_ctx *ctx, int fd, const struct tls_dane_params *p,
			       const struct deadline *dl, struct tls_result *r);

/**
 * Free what r holds: a best-effort, non-blocking close_notify on r->ssl
 * (nothing is waited for), the SSL object, the chain and the notes. The
 * socket is left open. r can be reused. NULL is allowed.
 */
void tls_result_clear(struct tls_result *r);

/**
 * Close the TLS session of r now (best-effort close_notify, SSL_free) and
 * keep the rest (chain, match, texts) for reporting: call it before the
 * socket is closed. NULL and a result without session are allowed.
 */
void tls_result_close(struct tls_result *r);

/** Short lower-case name of an outcome: "ok", "verify", "no-usable", "handshake", ... */
const char *tls_outcome_name(enum tls_outcome outcome);

/** Short lower-case name of a record status: "added", "pkix", "unusable", "failed". */
const char *tls_record_status_name(enum tls_record_status status);

#endif /* DANE_TLS_H */
