/*
 * test_tls.c -- DANE verification of TLS handshakes against an OpenSSL
 * server thread on 127.0.0.1 (serving a chosen chain, or misbehaving), with
 * the fixed certificates of tests/data (made by tests/data/make-certs.sh,
 * which also computed the expected digests with the openssl command line).
 * The certificate facts and association data on their own: test_cert.c,
 * test_tlsa_assoc.c.
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
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include "testdata.h"
#include "tls.h"
#include "tls_early.h"
#include "words_conn.h"

/* ---- test data ---- */

static struct tlsa_rdata
rec(uint8_t usage, uint8_t selector, uint8_t mtype, const uint8_t *data, size_t len)
{
	struct tlsa_rdata r = {usage, selector, mtype, data, len};

	return r;
}

/* ---- the server thread ---- */

enum server_mode {
	SERVE_TLS,       /* a TLS server with the given chain and key */
	SERVE_TLS_1_0,   /* the same, but only TLS 1.0 (at security level 0) */
	SERVE_GARBAGE,   /* answers the ClientHello with an SMTP line */
	SERVE_SILENT,    /* reads the ClientHello and never answers */
	SERVE_CLOSE_MID, /* answers with part of a record, then closes */
};

/* What the server saw of its one connection. */
struct server_seen {
	char sni[256];
	bool handshake_done;
	bool got_close_notify;
};

struct server {
	enum server_mode mode;
	SSL_CTX *ctx;
	int listen_fd, stop[2];
	unsigned int port;
	pthread_t thread;
	struct server_seen seen; /* written by the thread, read after it ends */
};

static int
sni_seen(SSL *ssl, int *alert, void *arg)
{
	struct server *s = arg;
	const char *name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);

	(void)alert;
	snprintf(s->seen.sni, sizeof(s->seen.sni), "%s", name != NULL ? name : "");
	return SSL_TLSEXT_ERR_OK;
}

/* Wait until c is readable or the test says stop; false on stop or timeout. */
static bool
wait_readable(struct server *s, int c)
{
	struct pollfd p[2] = {{c, POLLIN, 0}, {s->stop[0], POLLIN, 0}};

	return poll(p, 2, 5000) > 0 && p[1].revents == 0;
}

/* Read until the client closes or the test says stop. */
static void
drain(struct server *s, int c)
{
	char buf[4096];

	while (wait_readable(s, c) && read(c, buf, sizeof(buf)) > 0)
		;
}

/* Read one whole TLS record (the ClientHello). */
static void
read_record(struct server *s, int c)
{
	unsigned char buf[16384 + 5];
	size_t got = 0, need = 5;
	ssize_t n;

	while (got < need && wait_readable(s, c)) {
		n = read(c, buf + got, need - got);
		if (n <= 0)
			return;
		got += (size_t)n;
		if (got == 5 && need == 5)
			need = 5 + (((size_t)buf[3] << 8) | buf[4]);
	}
}

static void
serve_tls(struct server *s, int c)
{
	SSL *ssl = SSL_new(s->ctx);
	char buf[512];
	int n;

	if (ssl == NULL || SSL_set_fd(ssl, c) != 1)
		goto out;
	if (SSL_accept(ssl) != 1)
		goto out;
	s->seen.handshake_done = true;
	while ((n = SSL_read(ssl, buf, sizeof(buf))) > 0)
		;
	s->seen.got_close_notify = SSL_get_error(ssl, n) == SSL_ERROR_ZERO_RETURN;
out:
	SSL_free(ssl);
	ERR_clear_error();
}

static void *
server_main(void *arg)
{
	static const char smtp_line[] = "220 mx1.example.test ESMTP this is not TLS\r\n";
	static const unsigned char partial[] = {0x16, 0x03, 0x03, 0x00, 0x5a,
						0x02, 0x00, 0x00, 0x56};
	struct server *s = arg;
	struct timeval tv = {5, 0};
	int c;

	if (!wait_readable(s, s->listen_fd))
		return NULL;
	c = accept(s->listen_fd, NULL, NULL);
	if (c < 0)
		return NULL;
	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	switch (s->mode) {
	case SERVE_TLS:
	case SERVE_TLS_1_0:
		serve_tls(s, c);
		break;
	case SERVE_GARBAGE:
		read_record(s, c);
		if (write(c, smtp_line, sizeof(smtp_line) - 1) > 0)
			drain(s, c);
		break;
	case SERVE_SILENT:
		drain(s, c);
		break;
	case SERVE_CLOSE_MID:
		read_record(s, c);
		if (write(c, partial, sizeof(partial)) > 0) {
			/* and close */
		}
		break;
	}
	close(c);
	return NULL;
}

/*
 * As server_start(), with a second certificate of another key type (chain2,
 * key2; NULL for none): OpenSSL serves the one that fits the client's
 * signature algorithms, as Postfix with smtpd_tls_chain_files does.
 */
static struct server *
server_start2(enum server_mode mode, const char *chain, const char *key, const char *chain2,
	      const char *key2)
{
	struct server *s = calloc(1, sizeof(*s));
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	char path[512];

	ck_assert_ptr_nonnull(s);
	s->mode = mode;
	if (mode == SERVE_TLS || mode == SERVE_TLS_1_0) {
		s->ctx = SSL_CTX_new(TLS_server_method());
		ck_assert_ptr_nonnull(s->ctx);
		testdata_path(path, sizeof(path), chain);
		ck_assert_int_eq(SSL_CTX_use_certificate_chain_file(s->ctx, path), 1);
		testdata_path(path, sizeof(path), key);
		ck_assert_int_eq(SSL_CTX_use_PrivateKey_file(s->ctx, path, SSL_FILETYPE_PEM), 1);
		if (chain2 != NULL) {
			testdata_path(path, sizeof(path), chain2);
			ck_assert_int_eq(SSL_CTX_use_certificate_chain_file(s->ctx, path), 1);
			testdata_path(path, sizeof(path), key2);
			ck_assert_int_eq(
			    SSL_CTX_use_PrivateKey_file(s->ctx, path, SSL_FILETYPE_PEM), 1);
		}
		SSL_CTX_set_tlsext_servername_callback(s->ctx, sni_seen);
		SSL_CTX_set_tlsext_servername_arg(s->ctx, s);
		if (mode == SERVE_TLS_1_0) {
			SSL_CTX_set_security_level(s->ctx, 0);
			ck_assert_int_eq(SSL_CTX_set_min_proto_version(s->ctx, TLS1_VERSION), 1);
			ck_assert_int_eq(SSL_CTX_set_max_proto_version(s->ctx, TLS1_VERSION), 1);
			ck_assert_int_eq(SSL_CTX_set_cipher_list(s->ctx, "DEFAULT:@SECLEVEL=0"), 1);
		}
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(s->listen_fd, 0);
	ck_assert_int_eq(bind(s->listen_fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(getsockname(s->listen_fd, (struct sockaddr *)&sin, &len), 0);
	ck_assert_int_eq(listen(s->listen_fd, 4), 0);
	s->port = ntohs(sin.sin_port);
	ck_assert_int_eq(pipe(s->stop), 0);
	ck_assert_int_eq(pthread_create(&s->thread, NULL, server_main, s), 0);
	return s;
}

/* Start a server; chain and key (tests/data names) only for SERVE_TLS. */
static struct server *
server_start(enum server_mode mode, const char *chain, const char *key)
{
	return server_start2(mode, chain, key, NULL, NULL);
}

/* Stop the server; what it saw is copied to *seen (when not NULL). */
static void
server_stop(struct server *s, struct server_seen *seen)
{
	ck_assert_int_eq(write(s->stop[1], "x", 1), 1);
	pthread_join(s->thread, NULL);
	if (seen != NULL)
		*seen = s->seen;
	close(s->listen_fd);
	close(s->stop[0]);
	close(s->stop[1]);
	SSL_CTX_free(s->ctx);
	free(s);
}

/* A connected, non-blocking TCP socket to 127.0.0.1:port. */
static int
connect_to(unsigned int port)
{
	struct sockaddr_in sin;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(fd, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons((uint16_t)port);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK), 0);
	return fd;
}

/* ---- one handshake ---- */

static struct tls_ctx *client; /* made by the fixture of each handshake test */

static void
client_setup(void)
{
	char err[256] = "";

	client = tls_ctx_new(err, sizeof(err));
	ck_assert_msg(client != NULL, "%s", err);
}

static void
client_teardown(void)
{
	tls_ctx_free(client);
	client = NULL;
}

/* What a handshake test sets up. */
struct scenario {
	enum server_mode mode;
	const char *chain, *key;   /* SERVE_TLS: what the server serves */
	const char *chain2, *key2; /* and a second certificate of another key type */
	enum tls_key_type key_type;
	const struct tlsa_rdata *records;
	size_t n;
	const char *base;         /* default mx1.example.test */
	const char *const *names; /* further reference names */
	size_t nnames;
	unsigned int seconds; /* deadline, default 5 */
};

/* A handshake in progress or done: free with probe_end(). */
struct probe {
	struct server *srv;
	int fd;
	struct deadline dl;
	double took; /* seconds tls_handshake() took */
	struct tls_result r;
};

static void
probe_run(const struct scenario *sc, struct probe *pr)
{
	struct tls_dane_params p = {
	    sc->records, sc->n,      sc->base != NULL ? sc->base : "mx1.example.test",
	    sc->names,   sc->nnames, sc->key_type};

	memset(pr, 0, sizeof(*pr));
	pr->srv = server_start2(sc->mode, sc->chain, sc->key, sc->chain2, sc->key2);
	pr->fd = connect_to(pr->srv->port);
	deadline_start(&pr->dl, sc->seconds > 0 ? sc->seconds : 5);
	tls_handshake(client, pr->fd, &p, &pr->dl, &pr->r);
	pr->took = deadline_elapsed(&pr->dl);
}

/*
 * Free the result (close_notify when the handshake completed), close the
 * socket, stop the server; what it saw goes to *seen (when not NULL).
 */
static void
probe_end(struct probe *pr, struct server_seen *seen)
{
	tls_result_clear(&pr->r);
	close(pr->fd);
	server_stop(pr->srv, seen);
}

/* The chain of mx1.example.test (leaf + intermediate) with one record set. */
static void
probe_mx1(const struct tlsa_rdata *records, size_t n, struct probe *pr)
{
	struct scenario sc = {.mode = SERVE_TLS,
			      .chain = "mx1-chain.pem",
			      .key = "mx1.key",
			      .records = records,
			      .n = n};

	probe_run(&sc, pr);
}

/* The words of a result's facts, in a static buffer (used by one thread at a time). */
static const char *
words_of(const struct tls_result *r)
{
	static char buf[WORDS_TLS_RESULT_MAX];

	return words_tls_result(r, buf, sizeof(buf));
}

/* The words of a record note, in a static buffer (used by one thread at a time). */
static const char *
note_words(const struct tls_record_note *n)
{
	static char buf[WORDS_TLS_RESULT_MAX];

	return words_tls_record_note(n, buf, sizeof(buf));
}

/* The outcome is want. */
static void
assert_outcome(const struct probe *pr, enum tls_outcome want)
{
	ck_assert_msg(pr->r.outcome == want, "outcome %s (%s), want %s",
		      tls_outcome_name(pr->r.outcome), words_of(&pr->r), tls_outcome_name(want));
}

/* ---- DANE-EE ---- */

START_TEST(dane_ee_spki_sha256_of_the_leaf_verifies)
{
	uint8_t wrong[32], right[32];
	struct tlsa_rdata r[2];
	struct probe pr;

	r[0] = rec(3, 1, 1, wrong, testdata_hex("other.spki-sha256.hex", wrong, sizeof(wrong)));
	r[1] = rec(3, 1, 1, right, testdata_hex("mx1.spki-sha256.hex", right, sizeof(right)));
	probe_mx1(r, 2, &pr);
	assert_outcome(&pr, TLS_OK);
	ck_assert_int_eq(pr.r.why, TLS_WHY_MATCHED);
	ck_assert_str_eq(words_of(&pr.r), "verified by TLSA 3 1 1 at depth 0");
	ck_assert_int_eq(pr.r.verify_error, X509_V_OK);
	ck_assert(pr.r.matched);
	ck_assert_int_eq(pr.r.match_index, 1);
	ck_assert_uint_eq(pr.r.match.usage, 3);
	ck_assert_uint_eq(pr.r.match.selector, 1);
	ck_assert_uint_eq(pr.r.match.mtype, 1);
	ck_assert_uint_eq(pr.r.match.len, 32);
	ck_assert_mem_eq(pr.r.match.data, right, 32);
	ck_assert_int_eq(pr.r.match_depth, 0);
	ck_assert(!pr.r.match_by_signer_key);
	ck_assert_str_eq(pr.r.peername, ""); /* no name checks for DANE-EE */
	ck_assert_uint_eq(pr.r.usable, 2);
	ck_assert_ptr_nonnull(pr.r.ssl);
	probe_end(&pr, NULL);
}
END_TEST

START_TEST(dane_ee_ignores_an_expired_leaf)
{
	uint8_t d[32];
	struct tlsa_rdata r =
	    rec(3, 1, 1, d, testdata_hex("expired.spki-sha256.hex", d, sizeof(d)));
	struct scenario sc = {.mode = SERVE_TLS,
			      .chain = "expired-chain.pem",
			      .key = "expired.key",
			      .records = &r,
			      .n = 1};
	struct probe pr;

	probe_run(&sc, &pr);
	assert_outcome(&pr, TLS_OK);
	ck_assert_uint_ge(pr.r.ncerts, 1);
	ck_assert(pr.r.certs[0].dates_ok);
	ck_assert(pr.r.certs[0].not_after < time(NULL)); /* it is expired indeed */
	ck_assert_int_eq(pr.r.match_depth, 0);
	probe_end(&pr, NULL);
}
END_TEST

START_TEST(dane_ee_ignores_the_names_in_the_leaf)
{
	static const char *const names[] = {"mx1.example.test"};
	uint8_t d[32];
	struct tlsa_rdata r = rec(3, 1, 1, d, testdata_hex("other.spki-sha256.hex", d, sizeof(d)));
	struct scenario sc = {.mode = SERVE_TLS,
			      .chain = "other-chain.pem",
			      .key = "other.key",
			      .records = &r,
			      .n = 1,
			      .names = names,
			      .nnames = 1};
	struct probe pr;

	probe_run(&sc, &pr);
	assert_outcome(&pr, TLS_OK);
	ck_assert_str_eq(pr.r.certs[0].cn, "other.example.test");
	probe_end(&pr, NULL);
}
END_TEST

START_TEST(dane_ee_wrong_digest_fails_and_tells_the_digest_that_would_match)
{
	uint8_t d[32];
	struct tlsa_rdata r = rec(3, 1, 1, d, testdata_hex("other.spki-sha256.hex", d, sizeof(d)));
	struct probe pr;

	probe_mx1(&r, 1, &pr);
	assert_outcome(&pr, TLS_ERR_VERIFY);
	ck_assert_int_eq(pr.r.why, TLS_WHY_VERIFY);
	ck_assert_int_eq(pr.r.verify_error, X509_V_ERR_DANE_NO_MATCH);
	ck_assert_str_eq(pr.r.verify_text, X509_verify_cert_error_string(X509_V_ERR_DANE_NO_MATCH));
	ck_assert(!pr.r.matched);
	ck_assert_int_eq(pr.r.match_index, -1);
	ck_assert_int_eq(pr.r.match_depth, -1);
	ck_assert_ptr_nonnull(pr.r.ssl); /* the handshake completed */
	ck_assert_uint_eq(pr.r.ncerts, 2);
	ck_assert(pr.r.certs[0].digests_ok);
	testdata_assert_hex(pr.r.certs[0].spki_sha256, 32, "mx1.spki-sha256.hex");
	probe_end(&pr, NULL);
}
END_TEST

/* ---- DANE-TA ---- */

START_TEST(dane_ta_of_the_intermediate_verifies_with_the_name)
{
	static const char *const names[] = {"mx1.example.test"};
	uint8_t d[32];
	struct tlsa_rdata r = rec(2, 0, 1, d, testdata_hex("inter.cert-sha256.hex", d, sizeof(d)));
	struct scenario sc = {.mode = SERVE_TLS,
			      .chain = "mx1-chain.pem",
			      .key = "mx1.key",
			      .records = &r,
			      .n = 1,
			      .names = names,
			      .nnames = 1};
	struct probe pr;

	probe_run(&sc, &pr);
	assert_outcome(&pr, TLS_OK);
	ck_assert_uint_eq(pr.r.match.usage, 2);
	ck_assert_int_eq(pr.r.match_index, 0);
	ck_assert_int_eq(pr.r.match_depth, 1);
	ck_assert_str_eq(pr.r.peername, "mx1.example.test");
	probe_end(&pr, NULL);
}
END_TEST

START_TEST(dane_ta_with_a_leaf_for_another_name_is_a_hostname_mismatch)
{
	static const char *const names[] = {"mx1.example.test"};
	uint8_t d[32];
	struct tlsa_rdata r = rec(2, 0, 1, d, testdata_hex("inter.cert-sha256.hex", d, sizeof(d)));
	struct scenario sc = {.mode = SERVE_TLS,
			      .chain = "other-chain.pem",
			      .key = "other.key",
			      .records = &r,
			      .n = 1,
			      .names = names,
			      .nnames = 1};
	struct probe pr;

	probe_run(&sc, &pr);
	assert_outcome(&pr, TLS_ERR_VERIFY);
	ck_assert_int_eq(pr.r.verify_error, X509_V_ERR_HOSTNAME_MISMATCH);
	ck_assert_str_eq(pr.r.peername, "");
	ck_assert_str_eq(pr.r.certs[0].sans[0], "other.example.test");
	probe_end(&pr, NULL);
}
END_TEST

START_TEST(dane_ta_matches_the_original_mx_name_too)
{
	/* base domain: the CNAME expansion; the MX host name is a further reference */
	static const char *const names[] = {"mx-alias.example.test", "mx1.example.test."};
	uint8_t d[32];
	struct tlsa_rdata r = rec(2, 0, 1, d, testdata_hex("inter.cert-sha256.hex", d, sizeof(d)));
	struct scenario sc = {.mode = SERVE_TLS,
			      .chain = "mx1-chain.pem",
			      .key = "mx1.key",
			      .records = &r,
			      .n = 1,
			      .base = "mx-alias.example.test",
			      .names = names,
			      .nnames = 2};
	struct probe pr;

	probe_run(&sc, &pr);
	assert_outcome(&pr, TLS_OK);
	ck_assert_str_eq(pr.r.peername, "mx1.example.test");
	probe_end(&pr, NULL);
}
END_TEST

/*
 * RFC 7671 5.2.2: with a digest (or a certificate-selector) DANE-TA record,
 * the server must send the trust anchor; a root that is not sent cannot be
 * matched by its digest, and OpenSSL fails the chain.
 */
START_TEST(dane_ta_digest_of_a_root_not_sent_does_not_verify)
{
	uint8_t d[32];
	struct tlsa_rdata r = rec(2, 1, 1, d, testdata_hex("root.spki-sha256.hex", d, sizeof(d)));
	struct probe pr;

	probe_mx1(&r, 1, &pr);
	assert_outcome(&pr, TLS_ERR_VERIFY);
	ck_assert_int_eq(pr.r.verify_error, X509_V_ERR_DANE_NO_MATCH);
	ck_assert_uint_eq(pr.r.ncerts, 2);
	probe_end(&pr, NULL);
}
END_TEST

/* ... but a full public key (2 1 0) can verify the top of the chain it signed. */
START_TEST(dane_ta_full_key_of_a_root_not_sent_verifies)
{
	X509 *root = testdata_cert("root.pem");
	unsigned char *der = NULL;
	int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(root), &der);
	struct tlsa_rdata r = rec(2, 1, 0, der, (size_t)len);
	struct probe pr;

	ck_assert_int_gt(len, 0);
	probe_mx1(&r, 1, &pr);
	assert_outcome(&pr, TLS_OK);
	ck_assert(pr.r.match_by_signer_key);
	ck_assert(pr.r.anchor_from_dns);
	ck_assert_int_eq(pr.r.match_depth, 1); /* the top of the chain: the intermediate */
	ck_assert_int_eq(pr.r.match_index, 0);
	ck_assert_str_eq(pr.r.peername, "mx1.example.test");
	probe_end(&pr, NULL);
	OPENSSL_free(der);
	X509_free(root);
}
END_TEST

START_TEST(dane_ta_full_certificate_of_a_root_not_sent_is_an_anchor_from_dns)
{
	X509 *root = testdata_cert("root.pem");
	unsigned char *der = NULL;
	int len = i2d_X509(root, &der);
	struct tlsa_rdata r = rec(2, 0, 0, der, (size_t)len);
	struct probe pr;

	ck_assert_int_gt(len, 0);
	probe_mx1(&r, 1, &pr);
	assert_outcome(&pr, TLS_OK);
	ck_assert(pr.r.anchor_from_dns);
	ck_assert(!pr.r.match_by_signer_key);
	probe_end(&pr, NULL);
	OPENSSL_free(der);
	X509_free(root);
}
END_TEST

START_TEST(a_sent_intermediate_is_no_anchor_from_dns)
{
	uint8_t d[32];
	struct tlsa_rdata r = rec(2, 0, 1, d, testdata_hex("inter.cert-sha256.hex", d, sizeof(d)));
	struct probe pr;

	probe_mx1(&r, 1, &pr);
	assert_outcome(&pr, TLS_OK);
	ck_assert(!pr.r.anchor_from_dns);
	ck_assert_int_eq(pr.r.match_depth, 1);
	probe_end(&pr, NULL);
}
END_TEST

START_TEST(rsa_leaf_with_spki_sha512_verifies)
{
	uint8_t d[64];
	struct tlsa_rdata r = rec(3, 1, 2, d, testdata_hex("rsa.spki-sha512.hex", d, sizeof(d)));
	struct scenario sc = {
	    .mode = SERVE_TLS, .chain = "rsa.pem", .key = "rsa.key", .records = &r, .n = 1};
	struct probe pr;

	probe_run(&sc, &pr);
	assert_outcome(&pr, TLS_OK);
	ck_assert_uint_eq(pr.r.match.mtype, 2);
	ck_assert_uint_eq(pr.r.ncerts, 1);
	ck_assert_str_eq(pr.r.certs[0].key, "RSA 2048");
	ck_assert(pr.r.certs[0].self_issued);
	probe_end(&pr, NULL);
}
END_TEST

/* ---- one handshake per certificate type (issue 12) ---- */

/* A server with the mx1 ECDSA chain and the RSA certificate, the records given. */
static void
probe_dual(enum tls_key_type type, const struct tlsa_rdata *records, size_t n, struct probe *pr)
{
	struct scenario sc = {.mode = SERVE_TLS,
			      .chain = "mx1-chain.pem",
			      .key = "mx1.key",
			      .chain2 = "rsa.pem",
			      .key2 = "rsa.key",
			      .key_type = type,
			      .records = records,
			      .n = n};

	probe_run(&sc, pr);
}

START_TEST(asking_for_ecdsa_gets_the_ecdsa_certificate)
{
	uint8_t d[32];
	struct tlsa_rdata r = rec(3, 1, 1, d, testdata_hex("mx1.spki-sha256.hex", d, sizeof(d)));
	struct probe pr;

	probe_dual(TLS_KEY_ECDSA, &r, 1, &pr);
	assert_outcome(&pr, TLS_OK);
	ck_assert_str_eq(pr.r.certs[0].key, "EC 256");
	probe_end(&pr, NULL);
}
END_TEST

START_TEST(asking_for_rsa_gets_the_rsa_certificate_which_the_ecdsa_record_does_not_match)
{
	uint8_t d[32];
	struct tlsa_rdata r = rec(3, 1, 1, d, testdata_hex("mx1.spki-sha256.hex", d, sizeof(d)));
	struct probe pr;

	probe_dual(TLS_KEY_RSA, &r, 1, &pr);
	assert_outcome(&pr, TLS_ERR_VERIFY);
	ck_assert_uint_ge(pr.r.ncerts, 1);
	ck_assert_str_eq(pr.r.certs[0].key, "RSA 2048");
	probe_end(&pr, NULL);
}
END_TEST

START_TEST(each_type_verifies_when_both_keys_are_published)
{
	uint8_t ec[32], rsa[32];
	/* both 3 1 1: a 3 1 2 next to them would shadow them (digest agility) */
	struct tlsa_rdata r[2] = {
	    rec(3, 1, 1, ec, testdata_hex("mx1.spki-sha256.hex", ec, sizeof(ec))),
	    rec(3, 1, 1, rsa, testdata_hex("rsa.spki-sha256.hex", rsa, sizeof(rsa)))};
	static const enum tls_key_type types[] = {TLS_KEY_ANY, TLS_KEY_ECDSA, TLS_KEY_RSA};
	struct probe pr;
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		probe_dual(types[i], r, 2, &pr);
		assert_outcome(&pr, TLS_OK);
		ck_assert_int_eq(pr.r.match_index, types[i] == TLS_KEY_RSA ? 1 : 0);
		probe_end(&pr, NULL);
	}
}
END_TEST

START_TEST(a_type_the_server_lacks_is_not_offered)
{
	uint8_t d[32];
	struct tlsa_rdata r = rec(3, 1, 1, d, testdata_hex("mx1.spki-sha256.hex", d, sizeof(d)));
	struct scenario sc = {.mode = SERVE_TLS,
			      .chain = "mx1-chain.pem",
			      .key = "mx1.key",
			      .key_type = TLS_KEY_RSA,
			      .records = &r,
			      .n = 1};
	struct probe pr;

	probe_run(&sc, &pr);
	assert_outcome(&pr, TLS_ERR_NOT_OFFERED);
	ck_assert_int_eq(pr.r.why, TLS_WHY_NOT_OFFERED);
	ck_assert_int_eq(pr.r.key_type, TLS_KEY_RSA);
	ck_assert_int_eq(pr.r.io.status, NETIO_TLS);
	ck_assert_uint_ge(pr.r.queue.n, 1);
	ck_assert_str_eq(words_of(&pr.r),
			 "the server has no RSA certificate: it refused a handshake "
			 "that offers only RSA signatures");
	ck_assert_uint_eq(pr.r.ncerts, 0);
	probe_end(&pr, NULL);
	/* and Ed25519 on the dual server */
	probe_dual(TLS_KEY_ED25519, &r, 1, &pr);
	assert_outcome(&pr, TLS_ERR_NOT_OFFERED);
	probe_end(&pr, NULL);
}
END_TEST

START_TEST(without_a_type_a_refused_handshake_is_a_handshake_error)
{
	struct scenario sc = {.mode = SERVE_TLS_1_0, .chain = "mx1-chain.pem", .key = "mx1.key"};
	struct probe pr;

	probe_run(&sc, &pr);
	ck_assert_int_ne(pr.r.outcome, TLS_ERR_NOT_OFFERED);
	probe_end(&pr, NULL);
}
END_TEST

/* ---- unusable records ---- */

START_TEST(pkix_and_malformed_records_are_not_added)
{
	uint8_t inter[32], leaf[32], junk[31] = {0};
	struct tlsa_rdata r[6];
	struct probe pr;
	size_t i;

	testdata_hex("inter.cert-sha256.hex", inter, sizeof(inter));
	testdata_hex("mx1.spki-sha256.hex", leaf, sizeof(leaf));
	r[0] = rec(0, 0, 1, inter, 32); /* PKIX-TA */
	r[1] = rec(1, 1, 1, leaf, 32);  /* PKIX-EE, even though it matches */
	r[2] = rec(3, 1, 3, leaf, 32);  /* unknown matching type */
	r[3] = rec(3, 1, 1, NULL, 0);   /* empty */
	r[4] = rec(3, 1, 1, junk, 31);  /* wrong digest length */
	r[5] = rec(3, 1, 1, leaf, 32);  /* the good one */
	probe_mx1(r, 6, &pr);
	assert_outcome(&pr, TLS_OK);
	ck_assert_uint_eq(pr.r.nrecords, 6);
	ck_assert_int_eq(pr.r.notes[0].status, TLS_REC_PKIX);
	ck_assert_int_eq(pr.r.notes[1].status, TLS_REC_PKIX);
	ck_assert_int_eq(pr.r.notes[2].status, TLS_REC_UNUSABLE);
	ck_assert_int_eq(pr.r.notes[3].status, TLS_REC_UNUSABLE);
	ck_assert_int_eq(pr.r.notes[4].status, TLS_REC_UNUSABLE);
	ck_assert_int_eq(pr.r.notes[5].status, TLS_REC_ADDED);
	for (i = 0; i < 5; i++)
		ck_assert_msg(note_words(&pr.r.notes[i])[0] != '\0', "record %zu: no reason", i);
	ck_assert_str_eq(note_words(&pr.r.notes[0]),
			 "PKIX usage, not used by SMTP (RFC 7672 3.1.3)");
	ck_assert_uint_eq(pr.r.notes[0].ssl_code, 0);
	for (i = 2; i < 5; i++) {
		ck_assert_uint_ne(pr.r.notes[i].ssl_code, 0);
		ck_assert_str_eq(note_words(&pr.r.notes[i]),
				 ERR_reason_error_string(pr.r.notes[i].ssl_code));
	}
	ck_assert_uint_eq(pr.r.notes[5].ssl_code, 0);
	ck_assert_str_eq(note_words(&pr.r.notes[5]), "");
	ck_assert_uint_eq(pr.r.usable, 1);
	ck_assert_int_eq(pr.r.match_index, 5);
	probe_end(&pr, NULL);
}
END_TEST

START_TEST(no_usable_record_leaves_the_server_unauthenticated)
{
	uint8_t leaf[32];
	struct tlsa_rdata r[2];
	struct probe pr;

	testdata_hex("mx1.spki-sha256.hex", leaf, sizeof(leaf));
	r[0] = rec(1, 1, 1, leaf, 32); /* PKIX-EE matching the leaf */
	r[1] = rec(3, 1, 3, leaf, 32);
	probe_mx1(r, 2, &pr);
	assert_outcome(&pr, TLS_ERR_NO_USABLE);
	ck_assert_int_eq(pr.r.why, TLS_WHY_NO_USABLE);
	ck_assert_str_eq(words_of(&pr.r),
			 "no usable TLSA record (2 records): the server is not authenticated");
	ck_assert_uint_eq(pr.r.usable, 0);
	ck_assert(!pr.r.matched);
	ck_assert_int_ne(pr.r.verify_error, X509_V_OK);
	ck_assert_ptr_nonnull(pr.r.ssl);
	ck_assert_uint_eq(pr.r.ncerts, 2); /* still reported */
	probe_end(&pr, NULL);
}
END_TEST

/* ---- digest agility (RFC 7671 9, OpenSSL ignores weaker digests of a usage+selector) ---- */

START_TEST(digest_agility_ignores_a_weaker_wrong_digest)
{
	uint8_t s256[32], s512[64];
	struct tlsa_rdata r[2];
	struct probe pr;

	testdata_hex("other.spki-sha256.hex", s256, sizeof(s256)); /* wrong */
	testdata_hex("mx1.spki-sha512.hex", s512, sizeof(s512));   /* right */
	r[0] = rec(3, 1, 1, s256, 32);
	r[1] = rec(3, 1, 2, s512, 64);
	probe_mx1(r, 2, &pr);
	assert_outcome(&pr, TLS_OK);
	ck_assert_uint_eq(pr.r.match.mtype, 2);
	ck_assert_int_eq(pr.r.match_index, 1);
	probe_end(&pr, NULL);
}
END_TEST

START_TEST(digest_agility_ignores_a_weaker_right_digest)
{
	uint8_t s256[32], s512[64];
	struct tlsa_rdata r[2];
	struct probe pr;

	testdata_hex("mx1.spki-sha256.hex", s256, sizeof(s256));   /* right */
	testdata_hex("other.spki-sha512.hex", s512, sizeof(s512)); /* wrong */
	r[0] = rec(3, 1, 1, s256, 32);
	r[1] = rec(3, 1, 2, s512, 64);
	probe_mx1(r, 2, &pr);
	assert_outcome(&pr, TLS_ERR_VERIFY);
	ck_assert_int_eq(pr.r.verify_error, X509_V_ERR_DANE_NO_MATCH);
	probe_end(&pr, NULL);
}
END_TEST

/* ---- broken servers ---- */

START_TEST(garbage_instead_of_a_server_hello_is_a_handshake_error_at_once)
{
	uint8_t d[32];
	struct tlsa_rdata r = rec(3, 1, 1, d, testdata_hex("mx1.spki-sha256.hex", d, sizeof(d)));
	struct scenario sc = {.mode = SERVE_GARBAGE, .records = &r, .n = 1};
	struct probe pr;

	probe_run(&sc, &pr);
	assert_outcome(&pr, TLS_ERR_HANDSHAKE);
	ck_assert_msg(strstr(words_of(&pr.r), "TLS handshake failed: error:") != NULL, "%s",
		      words_of(&pr.r));
	ck_assert_int_eq(pr.r.why, TLS_WHY_TLS_ERROR);
	ck_assert_int_eq(pr.r.io.status, NETIO_TLS);
	ck_assert_int_eq(pr.r.io.ssl_error, SSL_ERROR_SSL);
	ck_assert_uint_ge(pr.r.queue.n, 1);
	ck_assert_int_eq(ERR_GET_LIB(pr.r.queue.code[0]), ERR_LIB_SSL);
	ck_assert_msg(pr.took < 1.0, "took %.3f s", pr.took);
	ck_assert_ptr_null(pr.r.ssl);
	ck_assert_uint_eq(pr.r.ncerts, 0);
	probe_end(&pr, NULL);
}
END_TEST

START_TEST(silent_server_times_out_at_the_deadline)
{
	uint8_t d[32];
	struct tlsa_rdata r = rec(3, 1, 1, d, testdata_hex("mx1.spki-sha256.hex", d, sizeof(d)));
	struct scenario sc = {.mode = SERVE_SILENT, .records = &r, .n = 1, .seconds = 1};
	struct probe pr;

	probe_run(&sc, &pr);
	assert_outcome(&pr, TLS_ERR_TIMEOUT);
	ck_assert_msg(pr.took >= 0.95 && pr.took < 1.3, "took %.3f s", pr.took);
	ck_assert_ptr_nonnull(strstr(words_of(&pr.r), "timed out"));
	ck_assert_int_eq(pr.r.why, TLS_WHY_TIMEOUT);
	ck_assert(!pr.r.want_write);
	ck_assert_str_ne(pr.r.state, "");
	ck_assert_int_eq(pr.r.io.cause, NETIO_CAUSE_DEADLINE);
	ck_assert_ptr_null(pr.r.ssl);
	probe_end(&pr, NULL);
}
END_TEST

START_TEST(close_in_the_middle_of_the_handshake_is_reported_at_once)
{
	uint8_t d[32];
	struct tlsa_rdata r = rec(3, 1, 1, d, testdata_hex("mx1.spki-sha256.hex", d, sizeof(d)));
	struct scenario sc = {.mode = SERVE_CLOSE_MID, .records = &r, .n = 1};
	struct probe pr;

	probe_run(&sc, &pr);
	assert_outcome(&pr, TLS_ERR_CLOSED);
	ck_assert_msg(pr.took < 1.0, "took %.3f s", pr.took);
	ck_assert_int_eq(pr.r.why, TLS_WHY_CLOSED);
	ck_assert(pr.r.io.status == NETIO_CLOSED || pr.r.io.status == NETIO_RESET);
	ck_assert(!pr.r.io.peer_silent); /* part of a record came */
	ck_assert_ptr_null(pr.r.ssl);
	probe_end(&pr, NULL);
}
END_TEST

/*
 * TLS 1.0 with an ECDSA certificate needs a SHA-1 signature, which OpenSSL 3
 * refuses at the default security level (Debian: 2).
 */
START_TEST(server_offering_only_tls_1_0_with_ecdsa_fails_the_handshake)
{
	uint8_t d[32];
	struct tlsa_rdata r = rec(3, 1, 1, d, testdata_hex("mx1.spki-sha256.hex", d, sizeof(d)));
	struct scenario sc = {.mode = SERVE_TLS_1_0,
			      .chain = "mx1-chain.pem",
			      .key = "mx1.key",
			      .records = &r,
			      .n = 1};
	struct probe pr;

	probe_run(&sc, &pr);
	assert_outcome(&pr, TLS_ERR_HANDSHAKE);
	ck_assert_msg(pr.took < 1.0, "took %.3f s", pr.took);
	ck_assert_ptr_null(pr.r.ssl);
	probe_end(&pr, NULL);
}
END_TEST

/* ---- what the result reports ---- */

START_TEST(base_domain_is_sent_as_sni_without_its_trailing_dot)
{
	uint8_t d[32];
	struct tlsa_rdata r = rec(3, 1, 1, d, testdata_hex("mx1.spki-sha256.hex", d, sizeof(d)));
	struct scenario sc = {.mode = SERVE_TLS,
			      .chain = "mx1-chain.pem",
			      .key = "mx1.key",
			      .records = &r,
			      .n = 1,
			      .base = "mx1.example.test."};
	struct server_seen seen;
	struct probe pr;

	probe_run(&sc, &pr);
	assert_outcome(&pr, TLS_OK);
	probe_end(&pr, &seen);
	ck_assert_str_eq(seen.sni, "mx1.example.test");
}
END_TEST

START_TEST(result_describes_the_presented_chain)
{
	uint8_t d[32];
	struct tlsa_rdata r = rec(3, 1, 1, d, testdata_hex("mx1.spki-sha256.hex", d, sizeof(d)));
	const struct cert_info *leaf, *ca;
	X509 *mx1 = testdata_cert("mx1.pem");
	struct probe pr;

	probe_mx1(&r, 1, &pr);
	assert_outcome(&pr, TLS_OK);
	ck_assert_str_eq(pr.r.version, "TLSv1.3");
	ck_assert_str_ne(pr.r.cipher, "");
	ck_assert(pr.r.handshake_time >= 0 && pr.r.handshake_time < 5);
	ck_assert_ptr_nonnull(pr.r.chain);
	ck_assert_int_eq(sk_X509_num(pr.r.chain), 2);
	ck_assert_int_eq(X509_cmp(sk_X509_value(pr.r.chain, 0), mx1), 0);
	ck_assert_uint_eq(pr.r.ncerts, 2);
	leaf = &pr.r.certs[0];
	ca = &pr.r.certs[1];
	ck_assert_str_eq(leaf->cn, "mx1.example.test");
	ck_assert_str_eq(leaf->subject, "CN=mx1.example.test,O=DANE Lab");
	ck_assert_str_eq(leaf->issuer, "CN=DANE Lab Intermediate CA,O=DANE Lab");
	ck_assert_uint_eq(leaf->nsans, 1);
	ck_assert_uint_eq(leaf->sans_total, 1);
	ck_assert_str_eq(leaf->sans[0], "mx1.example.test");
	ck_assert(leaf->dates_ok);
	ck_assert_int_eq((long long)leaf->not_before, 1577836800LL); /* 2020-01-01 */
	ck_assert_int_eq((long long)leaf->not_after, 4733510400LL);  /* 2120-01-01 */
	ck_assert(!leaf->is_ca);
	ck_assert(!leaf->self_issued);
	ck_assert_str_eq(leaf->key, "EC 256");
	testdata_assert_hex(leaf->spki_sha256, 32, "mx1.spki-sha256.hex");
	testdata_assert_hex(leaf->spki_sha512, 64, "mx1.spki-sha512.hex");
	testdata_assert_hex(leaf->cert_sha256, 32, "mx1.cert-sha256.hex");
	ck_assert(ca->is_ca);
	ck_assert_str_eq(ca->cn, "DANE Lab Intermediate CA");
	ck_assert_uint_eq(ca->nsans, 0);
	testdata_assert_hex(ca->cert_sha256, 32, "inter.cert-sha256.hex");
	probe_end(&pr, NULL);
	X509_free(mx1);
}
END_TEST

START_TEST(freeing_the_result_sends_close_notify)
{
	uint8_t d[32];
	struct tlsa_rdata r = rec(3, 1, 1, d, testdata_hex("mx1.spki-sha256.hex", d, sizeof(d)));
	struct server_seen seen;
	struct probe pr;

	probe_mx1(&r, 1, &pr);
	assert_outcome(&pr, TLS_OK);
	probe_end(&pr, &seen); /* tls_result_clear(), then close() */
	ck_assert(seen.handshake_done);
	ck_assert(seen.got_close_notify);
}
END_TEST

START_TEST(invalid_arguments_are_a_local_error)
{
	struct tls_dane_params p = {NULL, 0, NULL, NULL, 0, TLS_KEY_ANY};
	struct tls_result r;
	struct deadline dl;
	int sv[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	deadline_start(&dl, 1);
	ck_assert_int_eq(tls_handshake(client, sv[0], &p, &dl, &r), TLS_ERR_LOCAL);
	ck_assert_int_eq(r.why, TLS_WHY_BASE_DOMAIN);
	ck_assert_str_eq(words_of(&r), "invalid TLSA base domain");
	ck_assert_ptr_null(r.ssl);
	tls_result_clear(&r);
	p.base_domain = ".";
	ck_assert_int_eq(tls_handshake(client, sv[0], &p, &dl, &r), TLS_ERR_LOCAL);
	tls_result_clear(&r);
	ck_assert_int_eq(tls_handshake(client, -1, &p, &dl, &r), TLS_ERR_LOCAL);
	ck_assert_int_eq(r.why, TLS_WHY_ARGUMENT);
	ck_assert_str_eq(words_of(&r), "invalid argument");
	tls_result_clear(&r);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

/* ---- one context, many threads ---- */

struct parallel {
	struct server *srv;
	const struct tlsa_rdata *record;
	enum tls_outcome outcome;
	int depth;
};

static void *
parallel_main(void *arg)
{
	struct parallel *job = arg;
	struct tls_dane_params p = {job->record, 1, "mx1.example.test", NULL, 0, TLS_KEY_ANY};
	struct sockaddr_in sin;
	struct tls_result r;
	struct deadline dl;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons((uint16_t)job->srv->port);
	job->outcome = TLS_ERR_LOCAL;
	if (fd < 0 || connect(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0 ||
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0)
		goto out;
	deadline_start(&dl, 5);
	job->outcome = tls_handshake(client, fd, &p, &dl, &r);
	job->depth = r.match_depth;
	tls_result_clear(&r);
out:
	if (fd >= 0)
		close(fd);
	return NULL;
}

START_TEST(handshakes_in_parallel_threads_share_one_context)
{
	uint8_t ee[32], ta[32];
	struct tlsa_rdata recs[2];
	struct parallel jobs[6];
	pthread_t threads[6];
	size_t i;

	recs[0] = rec(3, 1, 1, ee, testdata_hex("mx1.spki-sha256.hex", ee, sizeof(ee)));
	recs[1] = rec(2, 0, 1, ta, testdata_hex("inter.cert-sha256.hex", ta, sizeof(ta)));
	for (i = 0; i < 6; i++) {
		jobs[i].srv = server_start(SERVE_TLS, "mx1-chain.pem", "mx1.key");
		jobs[i].record = &recs[i % 2];
	}
	for (i = 0; i < 6; i++)
		ck_assert_int_eq(pthread_create(&threads[i], NULL, parallel_main, &jobs[i]), 0);
	for (i = 0; i < 6; i++)
		pthread_join(threads[i], NULL);
	for (i = 0; i < 6; i++) {
		ck_assert_msg(jobs[i].outcome == TLS_OK, "job %zu: %s", i,
			      tls_outcome_name(jobs[i].outcome));
		ck_assert_int_eq(jobs[i].depth, i % 2 == 0 ? 0 : 1);
		server_stop(jobs[i].srv, NULL);
	}
}
END_TEST

/* ---- the context made while the DNS is asked (tls_early.h) ---- */

START_TEST(a_context_made_early_verifies_like_one_made_here)
{
	uint8_t right[32];
	struct tlsa_rdata r[1];
	struct tls_early e;
	struct probe pr;
	char err[256] = "";

	tls_early_start(&e);
	ck_assert(e.running); /* made in a thread of its own, not when taken */
	tls_ctx_free(client);
	client = tls_early_take(&e, err, sizeof(err));
	ck_assert_msg(client != NULL, "%s", err);
	ck_assert(!e.running);
	r[0] = rec(3, 1, 1, right, testdata_hex("mx1.spki-sha256.hex", right, sizeof(right)));
	probe_mx1(r, 1, &pr);
	assert_outcome(&pr, TLS_OK);
	ck_assert_str_eq(words_of(&pr.r), "verified by TLSA 3 1 1 at depth 0");
	probe_end(&pr, NULL);
	tls_early_clear(&e);
}
END_TEST

START_TEST(an_early_context_is_handed_over_once)
{
	struct tls_early e;
	struct tls_ctx *ctx;
	char err[256] = "";

	tls_early_start(&e);
	ctx = tls_early_take(&e, err, sizeof(err));
	ck_assert_msg(ctx != NULL, "%s", err);
	ck_assert_ptr_null(tls_early_take(&e, err, sizeof(err)));
	ck_assert_str_eq(err, "TLS context already taken");
	tls_early_clear(&e);
	tls_ctx_free(ctx);
}
END_TEST

START_TEST(clearing_an_early_context_nobody_took_waits_and_frees_it)
{
	struct tls_early e;

	tls_early_start(&e);
	tls_early_clear(&e); /* ASan/valgrind: nothing leaks, the thread is joined */
	ck_assert(!e.running);
	ck_assert_ptr_null(e.ctx);
	tls_early_clear(&e); /* twice is harmless */
}
END_TEST

START_TEST(an_early_context_never_started_is_cleared_as_nothing)
{
	struct tls_early e = {0};

	tls_early_clear(&e);
	ck_assert(!e.running);
	ck_assert_ptr_null(e.ctx);
}
END_TEST

/* ---- names ---- */

static const struct {
	enum tls_outcome outcome;
	const char *name;
} outcome_names[] = {
    {TLS_OK, "ok"},
    {TLS_ERR_VERIFY, "verify"},
    {TLS_ERR_NO_USABLE, "no-usable"},
    {TLS_ERR_HANDSHAKE, "handshake"},
    {TLS_ERR_TIMEOUT, "timeout"},
    {TLS_ERR_CLOSED, "closed"},
    {TLS_ERR_NOT_OFFERED, "not-offered"},
    {TLS_ERR_LOCAL, "local"},
};

START_TEST(outcome_names_are_short_words)
{
	ck_assert_str_eq(tls_outcome_name(outcome_names[_i].outcome), outcome_names[_i].name);
}
END_TEST

static const struct {
	enum tls_record_status status;
	const char *name;
} status_names[] = {
    {TLS_REC_ADDED, "added"},
    {TLS_REC_PKIX, "pkix"},
    {TLS_REC_UNUSABLE, "unusable"},
    {TLS_REC_FAILED, "failed"},
};

START_TEST(record_status_names_are_short_words)
{
	ck_assert_str_eq(tls_record_status_name(status_names[_i].status), status_names[_i].name);
}
END_TEST

static const struct {
	const char *word;
	int rc;
	enum tls_key_type type;
	const char *name;
} key_types[] = {
    {"ecdsa", 0, TLS_KEY_ECDSA, "ECDSA"},
    {"RSA", 0, TLS_KEY_RSA, "RSA"},
    {"Ed25519", 0, TLS_KEY_ED25519, "Ed25519"},
    {"ed448", -1, TLS_KEY_ANY, "any"},
    {"any", -1, TLS_KEY_ANY, "any"},
    {"", -1, TLS_KEY_ANY, "any"},
    {"ecdsa,rsa", -1, TLS_KEY_ANY, "any"},
};

START_TEST(key_types_parse_and_have_names)
{
	enum tls_key_type t = TLS_KEY_ANY;

	ck_assert_int_eq(tls_key_type_parse(key_types[_i].word, &t), key_types[_i].rc);
	ck_assert_int_eq(t, key_types[_i].type);
	ck_assert_str_eq(tls_key_type_name(t), key_types[_i].name);
}
END_TEST

/* ---- the words of the facts ---- */

#define WRONG_VERSION ERR_PACK(ERR_LIB_SSL, 0, SSL_R_WRONG_VERSION_NUMBER)

/*
 * Results built from facts alone, and their words: words, or prefix then
 * the text of the fact (netio_strerror() of io.sys, or OpenSSL's text of
 * verify_error).
 */
static const struct {
	struct tls_result r;
	const char *words;
	const char *prefix;
} result_words[] = {
    {{.outcome = TLS_ERR_LOCAL, .why = TLS_WHY_ARGUMENT}, "invalid argument", NULL},
    {{.outcome = TLS_ERR_LOCAL, .why = TLS_WHY_BASE_DOMAIN}, "invalid TLSA base domain", NULL},
    {{.outcome = TLS_ERR_LOCAL, .why = TLS_WHY_NOMEM}, "out of memory", NULL},
    {{.outcome = TLS_ERR_LOCAL, .why = TLS_WHY_SETUP, .setup = TLS_SETUP_NEW},
     "cannot make a TLS connection",
     NULL},
    {{.outcome = TLS_ERR_LOCAL, .why = TLS_WHY_SETUP, .setup = TLS_SETUP_FD},
     "cannot use the socket",
     NULL},
    {{.outcome = TLS_ERR_LOCAL, .why = TLS_WHY_SETUP, .setup = TLS_SETUP_SIGALGS},
     "cannot ask for a certificate type",
     NULL},
    {{.outcome = TLS_ERR_LOCAL,
      .why = TLS_WHY_SETUP,
      .setup = TLS_SETUP_DANE,
      .queue = {.n = 1, .code = {WRONG_VERSION}, .data = {"x"}}},
     "cannot enable DANE: error:0A00010B:SSL routines::wrong version number (x)",
     NULL},
    {{.outcome = TLS_ERR_LOCAL, .why = TLS_WHY_SETUP, .setup = TLS_SETUP_NAME},
     "cannot add a reference name",
     NULL},
    {{.outcome = TLS_ERR_LOCAL,
      .why = TLS_WHY_WAIT,
      .io = {.status = NETIO_LOCAL, .cause = NETIO_CAUSE_POLL, .sys = EINVAL}},
     NULL,
     "poll: "},
    {{.outcome = TLS_ERR_TIMEOUT, .why = TLS_WHY_TIMEOUT, .state = "SSLv3/TLS read server hello"},
     "timed out in the TLS handshake, waiting to read (SSLv3/TLS read server hello)",
     NULL},
    {{.outcome = TLS_ERR_TIMEOUT,
      .why = TLS_WHY_TIMEOUT,
      .want_write = true,
      .state = "SSLv3/TLS write client hello"},
     "timed out in the TLS handshake, waiting to write (SSLv3/TLS write client hello)",
     NULL},
    {{.outcome = TLS_ERR_CLOSED,
      .why = TLS_WHY_CLOSED,
      .io = {.status = NETIO_RESET, .cause = NETIO_CAUSE_ERRNO, .sys = EPIPE, .peer_silent = true}},
     "the server closed the connection after STARTTLS, without answering the TLS ClientHello",
     NULL},
    {{.outcome = TLS_ERR_CLOSED,
      .why = TLS_WHY_CLOSED,
      .io = {.status = NETIO_RESET, .cause = NETIO_CAUSE_ERRNO, .sys = ECONNRESET}},
     "the server reset the connection during the TLS handshake",
     NULL},
    {{.outcome = TLS_ERR_CLOSED,
      .why = TLS_WHY_CLOSED,
      .io = {.status = NETIO_CLOSED, .cause = NETIO_CAUSE_TLS_EOF}},
     "the server closed the connection during the TLS handshake",
     NULL},
    {{.outcome = TLS_ERR_NOT_OFFERED, .why = TLS_WHY_NOT_OFFERED, .key_type = TLS_KEY_ED25519},
     "the server has no Ed25519 certificate: it refused a handshake that offers only Ed25519 "
     "signatures",
     NULL},
    {{.outcome = TLS_ERR_HANDSHAKE,
      .why = TLS_WHY_TLS_ERROR,
      .io = {.status = NETIO_TLS, .ssl_error = SSL_ERROR_SSL},
      .queue = {.n = 2,
		.code = {WRONG_VERSION, WRONG_VERSION},
		.data = {"", "SSL alert number 40"}}},
     "TLS handshake failed: error:0A00010B:SSL routines::wrong version number; "
     "error:0A00010B:SSL routines::wrong version number (SSL alert number 40)",
     NULL},
    {{.outcome = TLS_ERR_HANDSHAKE,
      .why = TLS_WHY_TLS_ERROR,
      .io = {.status = NETIO_TLS, .ssl_error = SSL_ERROR_WANT_X509_LOOKUP}},
     "TLS handshake failed (SSL error 4)",
     NULL},
    {{.outcome = TLS_ERR_HANDSHAKE,
      .why = TLS_WHY_SOCKET_ERROR,
      .io = {.status = NETIO_UNREACHABLE, .cause = NETIO_CAUSE_ERRNO, .sys = ENETUNREACH}},
     NULL,
     "TLS handshake failed: socket error: "},
    {{.outcome = TLS_ERR_NO_USABLE, .why = TLS_WHY_NO_USABLE, .nrecords = 1},
     "no usable TLSA record (1 record): the server is not authenticated",
     NULL},
    {{.outcome = TLS_ERR_NO_USABLE, .why = TLS_WHY_NO_USABLE},
     "no usable TLSA record (0 records): the server is not authenticated",
     NULL},
    {{.outcome = TLS_ERR_VERIFY, .why = TLS_WHY_VERIFY, .verify_error = X509_V_ERR_DANE_NO_MATCH},
     NULL,
     "certificate verification failed: "},
    {{.outcome = TLS_ERR_VERIFY, .why = TLS_WHY_NOT_BY_DANE},
     "the chain was not verified by DANE",
     NULL},
    {{.outcome = TLS_OK,
      .why = TLS_WHY_MATCHED,
      .match = {.usage = 2, .selector = 0, .mtype = 1},
      .match_depth = 1},
     "verified by TLSA 2 0 1 at depth 1",
     NULL},
};

START_TEST(every_handshake_ending_has_its_words)
{
	const struct tls_result *r = &result_words[_i].r;
	char buf[WORDS_TLS_RESULT_MAX], want[WORDS_TLS_RESULT_MAX], sys[128];

	OPENSSL_init_ssl(OPENSSL_INIT_LOAD_SSL_STRINGS, NULL);
	if (result_words[_i].words != NULL)
		snprintf(want, sizeof(want), "%s", result_words[_i].words);
	else if (r->why == TLS_WHY_VERIFY)
		snprintf(want, sizeof(want), "%s%s", result_words[_i].prefix,
			 X509_verify_cert_error_string(r->verify_error));
	else
		snprintf(want, sizeof(want), "%s%s", result_words[_i].prefix,
			 netio_strerror(r->io.sys, sys, sizeof(sys)));
	ck_assert_str_eq(words_tls_result(r, buf, sizeof(buf)), want);
}
END_TEST

START_TEST(every_tls_why_is_in_the_table)
{
	enum tls_why why;
	int i;

	for (why = TLS_WHY_ARGUMENT; why <= TLS_WHY_MATCHED; why++) {
		bool seen = false;

		for (i = 0; i < (int)(sizeof(result_words) / sizeof(result_words[0])); i++)
			seen = seen || result_words[i].r.why == why;
		ck_assert_msg(seen, "why %d has no words in the table", (int)why);
	}
}
END_TEST

START_TEST(record_notes_have_their_words)
{
	unsigned long code = ERR_PACK(ERR_LIB_SSL, 0, SSL_R_DANE_TLSA_BAD_MATCHING_TYPE);
	struct tls_record_note n = {.status = TLS_REC_PKIX};
	char buf[96];

	OPENSSL_init_ssl(OPENSSL_INIT_LOAD_SSL_STRINGS, NULL);
	ck_assert_str_eq(words_tls_record_note(&n, buf, sizeof(buf)),
			 "PKIX usage, not used by SMTP (RFC 7672 3.1.3)");
	n = (struct tls_record_note){.status = TLS_REC_UNUSABLE, .ssl_code = code};
	ck_assert_str_eq(words_tls_record_note(&n, buf, sizeof(buf)),
			 ERR_reason_error_string(code));
	ck_assert_str_ne(buf, "");
	n.status = TLS_REC_FAILED;
	n.ssl_code = 0;
	ck_assert_str_eq(words_tls_record_note(&n, buf, sizeof(buf)), "");
	n.status = TLS_REC_ADDED;
	ck_assert_str_eq(words_tls_record_note(&n, buf, sizeof(buf)), "");
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static Suite *
tls_suite(void)
{
	Suite *s = suite_create("tls");
	TCase *hs = tcase_create("handshake");
	TCase *pure = tcase_create("names");

	tcase_set_timeout(hs, 30);
	tcase_add_checked_fixture(hs, client_setup, client_teardown);
	tcase_add_test(hs, dane_ee_spki_sha256_of_the_leaf_verifies);
	tcase_add_test(hs, dane_ee_ignores_an_expired_leaf);
	tcase_add_test(hs, dane_ee_ignores_the_names_in_the_leaf);
	tcase_add_test(hs, dane_ee_wrong_digest_fails_and_tells_the_digest_that_would_match);
	tcase_add_test(hs, dane_ta_of_the_intermediate_verifies_with_the_name);
	tcase_add_test(hs, dane_ta_with_a_leaf_for_another_name_is_a_hostname_mismatch);
	tcase_add_test(hs, dane_ta_matches_the_original_mx_name_too);
	tcase_add_test(hs, dane_ta_digest_of_a_root_not_sent_does_not_verify);
	tcase_add_test(hs, dane_ta_full_key_of_a_root_not_sent_verifies);
	tcase_add_test(hs, dane_ta_full_certificate_of_a_root_not_sent_is_an_anchor_from_dns);
	tcase_add_test(hs, a_sent_intermediate_is_no_anchor_from_dns);
	tcase_add_test(hs, rsa_leaf_with_spki_sha512_verifies);
	tcase_add_test(hs, asking_for_ecdsa_gets_the_ecdsa_certificate);
	tcase_add_test(
	    hs, asking_for_rsa_gets_the_rsa_certificate_which_the_ecdsa_record_does_not_match);
	tcase_add_test(hs, each_type_verifies_when_both_keys_are_published);
	tcase_add_test(hs, a_type_the_server_lacks_is_not_offered);
	tcase_add_test(hs, without_a_type_a_refused_handshake_is_a_handshake_error);
	tcase_add_test(hs, pkix_and_malformed_records_are_not_added);
	tcase_add_test(hs, no_usable_record_leaves_the_server_unauthenticated);
	tcase_add_test(hs, digest_agility_ignores_a_weaker_wrong_digest);
	tcase_add_test(hs, digest_agility_ignores_a_weaker_right_digest);
	tcase_add_test(hs, garbage_instead_of_a_server_hello_is_a_handshake_error_at_once);
	tcase_add_test(hs, silent_server_times_out_at_the_deadline);
	tcase_add_test(hs, close_in_the_middle_of_the_handshake_is_reported_at_once);
	tcase_add_test(hs, server_offering_only_tls_1_0_with_ecdsa_fails_the_handshake);
	tcase_add_test(hs, base_domain_is_sent_as_sni_without_its_trailing_dot);
	tcase_add_test(hs, result_describes_the_presented_chain);
	tcase_add_test(hs, freeing_the_result_sends_close_notify);
	tcase_add_test(hs, invalid_arguments_are_a_local_error);
	tcase_add_test(hs, handshakes_in_parallel_threads_share_one_context);
	tcase_add_test(hs, a_context_made_early_verifies_like_one_made_here);
	tcase_add_test(hs, an_early_context_is_handed_over_once);
	tcase_add_test(hs, clearing_an_early_context_nobody_took_waits_and_frees_it);
	tcase_add_test(hs, an_early_context_never_started_is_cleared_as_nothing);
	suite_add_tcase(s, hs);

	tcase_add_loop_test(pure, outcome_names_are_short_words, 0, N(outcome_names));
	tcase_add_loop_test(pure, key_types_parse_and_have_names, 0, N(key_types));
	tcase_add_loop_test(pure, record_status_names_are_short_words, 0, N(status_names));
	tcase_add_loop_test(pure, every_handshake_ending_has_its_words, 0, N(result_words));
	tcase_add_test(pure, every_tls_why_is_in_the_table);
	tcase_add_test(pure, record_notes_have_their_words);
	suite_add_tcase(s, pure);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(tls_suite());
	int failed;

	/* OpenSSL's socket BIO writes with write(2): a closed peer must not kill us. */
	signal(SIGPIPE, SIG_IGN);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
