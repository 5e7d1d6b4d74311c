/*
 * tls.c -- TLS handshake with OpenSSL's DANE verifier.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "netio.h"
#include "sslerr.h"
#include "text.h"
#include "tls.h"

/* The shared client context: read-only once made. */
struct tls_ctx {
	SSL_CTX *ssl_ctx;
};

const char *
tls_outcome_name(enum tls_outcome outcome)
{
	switch (outcome) {
	case TLS_OK:
		return "ok";
	case TLS_ERR_VERIFY:
		return "verify";
	case TLS_ERR_NO_USABLE:
		return "no-usable";
	case TLS_ERR_HANDSHAKE:
		return "handshake";
	case TLS_ERR_TIMEOUT:
		return "timeout";
	case TLS_ERR_CLOSED:
		return "closed";
	case TLS_ERR_NOT_OFFERED:
		return "not-offered";
	case TLS_ERR_LOCAL:
	default:
		return "local";
	}
}

/* The signature algorithms offered for each key type (SSL_set1_sigalgs_list). */
static const char *const key_type_sigalgs[] = {
    [TLS_KEY_ECDSA] = "ECDSA+SHA256:ECDSA+SHA384:ECDSA+SHA512",
    [TLS_KEY_RSA] = "rsa_pss_rsae_sha256:rsa_pss_rsae_sha384:rsa_pss_rsae_sha512:"
		    "rsa_pss_pss_sha256:rsa_pss_pss_sha384:rsa_pss_pss_sha512:"
		    "RSA+SHA256:RSA+SHA384:RSA+SHA512",
    [TLS_KEY_ED25519] = "ed25519",
};

const char *
tls_key_type_name(enum tls_key_type type)
{
	switch (type) {
	case TLS_KEY_ECDSA:
		return "ECDSA";
	case TLS_KEY_RSA:
		return "RSA";
	case TLS_KEY_ED25519:
		return "Ed25519";
	case TLS_KEY_ANY:
	default:
		return "any";
	}
}

int
tls_key_type_parse(const char *word, enum tls_key_type *type)
{
	enum tls_key_type t;

	for (t = TLS_KEY_ECDSA; t <= TLS_KEY_ED25519; t++) {
		if (word != NULL && strcasecmp(word, tls_key_type_name(t)) == 0) {
			*type = t;
			return 0;
		}
	}
	return -1;
}

const char *
tls_record_status_name(enum tls_record_status status)
{
	switch (status) {
	case TLS_REC_ADDED:
		return "added";
	case TLS_REC_PKIX:
		return "pkix";
	case TLS_REC_UNUSABLE:
		return "unusable";
	case TLS_REC_FAILED:
	default:
		return "failed";
	}
}

struct tls_ctx *
tls_ctx_new(char *err, size_t errsize)
{
	struct tls_ctx *ctx = NULL;
	SSL_CTX *sc = NULL;

	ERR_clear_error();
	sc = SSL_CTX_new(TLS_client_method());
	if (sc == NULL) {
		sslerr_text(err, errsize, "cannot make a TLS client context");
		goto out;
	}
	/*
	 * Protocol versions, ciphers and security level are left as OpenSSL
	 * has them compiled in (plugin_main() skips openssl.cnf), as an MTA
	 * linked with the same library would have them. On Debian 12 that is
	 * SECLEVEL 2 and no MinProtocol, with or without the system's
	 * openssl.cnf: TLS 1.3 and 1.2 as usual, while TLS 1.0/1.1 only get
	 * through with RSA key exchange (their MD5+SHA-1 and SHA-1 signatures
	 * are refused at level 2). r->version says what was negotiated.
	 */
	if (SSL_CTX_dane_enable(sc) <= 0) {
		sslerr_text(err, errsize, "cannot enable DANE");
		goto out;
	}
	/* DANE-EE(3): neither names nor dates are checked (RFC 7672 3.1.1). */
	SSL_CTX_dane_set_flags(sc, DANE_FLAG_NO_DANE_EE_NAMECHECKS);
	/*
	 * Never abort the handshake on a verification failure: the result is
	 * read with SSL_get_verify_result(), and what the server presented is
	 * reported either way.
	 */
	SSL_CTX_set_verify(sc, SSL_VERIFY_NONE, NULL);
	/* Every probe is a fresh, fully verified handshake: no session reuse. */
	SSL_CTX_set_session_cache_mode(sc, SSL_SESS_CACHE_OFF);
	/* Callers write with SSL_write() on the non-blocking socket after this. */
	SSL_CTX_set_mode(sc, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);

	ctx = calloc(1, sizeof(*ctx));
	if (ctx == NULL) {
		snprintf(err, errsize, "out of memory");
		goto out;
	}
	ctx->ssl_ctx = sc;
	sc = NULL;
out:
	SSL_CTX_free(sc);
	ERR_clear_error();
	return ctx;
}

void
tls_ctx_free(struct tls_ctx *ctx)
{
	if (ctx == NULL)
		return;
	SSL_CTX_free(ctx->ssl_ctx);
	free(ctx);
}

/* Copy a domain name without its trailing dot. Returns 0, or -1 if empty or too long. */
static int
copy_name(char *dst, size_t size, const char *name)
{
	size_t len = name != NULL ? strlen(name) : 0;

	if (len > 0 && name[len - 1] == '.')
		len--;
	if (len == 0 || len >= size)
		return -1;
	memcpy(dst, name, len);
	dst[len] = '\0';
	return 0;
}

/* End with outcome for reason why (its words: words_tls_result()). */
static void
result_end(struct tls_result *r, enum tls_outcome outcome, enum tls_why why)
{
	r->outcome = outcome;
	r->why = why;
}

/* A set-up call failed: OpenSSL's queue is taken as its facts. */
static int
setup_failed(struct tls_result *r, enum tls_setup setup)
{
	r->setup = setup;
	sslerr_take(&r->queue);
	result_end(r, TLS_ERR_LOCAL, TLS_WHY_SETUP);
	return -1;
}

/* Give the records of p to OpenSSL, noting what became of each in r. */
static int
add_records(SSL *ssl, const struct tls_dane_params *p, struct tls_result *r)
{
	size_t i;

	if (p->n == 0)
		return 0;
	r->notes = calloc(p->n, sizeof(*r->notes));
	if (r->notes == NULL)
		return -1;
	r->nrecords = p->n;
	for (i = 0; i < p->n; i++) {
		const struct tlsa_rdata *rd = &p->records[i];
		struct tls_record_note *note = &r->notes[i];
		int ret;

		if (tlsa_usage_is_pkix(rd->usage)) {
			/*
			 * OpenSSL would take them (and then want a PKIX trust
			 * store); a DANE SMTP client treats them as unusable.
			 */
			note->status = TLS_REC_PKIX;
			continue;
		}
		ERR_clear_error();
		ret = SSL_dane_tlsa_add(ssl, rd->usage, rd->selector, rd->mtype, rd->data, rd->len);
		if (ret > 0) {
			note->status = TLS_REC_ADDED;
			r->usable++;
		} else {
			note->status = ret == 0 ? TLS_REC_UNUSABLE : TLS_REC_FAILED;
			note->ssl_code = ERR_peek_error();
		}
		ERR_clear_error();
	}
	return 0;
}

/* Set up ssl for the handshake: SNI, reference identifiers, TLSA records. */
static int
prepare(SSL *ssl, int fd, const struct tls_dane_params *p, struct tls_result *r)
{
	char base[TLS_NAME_MAX], name[TLS_NAME_MAX];
	size_t i;

	if (copy_name(base, sizeof(base), p->base_domain) != 0) {
		result_end(r, TLS_ERR_LOCAL, TLS_WHY_BASE_DOMAIN);
		return -1;
	}
	ERR_clear_error();
	if (SSL_set_fd(ssl, fd) != 1)
		return setup_failed(r, TLS_SETUP_FD);
	SSL_set_connect_state(ssl);
	if (p->key_type != TLS_KEY_ANY) {
		if (p->key_type > TLS_KEY_ED25519 ||
		    SSL_set1_sigalgs_list(ssl, key_type_sigalgs[p->key_type]) != 1)
			return setup_failed(r, TLS_SETUP_SIGALGS);
	}
	/* SNI and the primary reference identifier. */
	ERR_clear_error();
	if (SSL_dane_enable(ssl, base) <= 0)
		return setup_failed(r, TLS_SETUP_DANE);
	SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	for (i = 0; i < p->nnames; i++) {
		if (p->names[i] == NULL || copy_name(name, sizeof(name), p->names[i]) != 0 ||
		    strcasecmp(name, base) == 0)
			continue;
		ERR_clear_error();
		if (SSL_add1_host(ssl, name) != 1)
			return setup_failed(r, TLS_SETUP_NAME);
	}
	if (add_records(ssl, p, r) != 0) {
		result_end(r, TLS_ERR_LOCAL, TLS_WHY_NOMEM);
		return -1;
	}
	return 0;
}

/*
 * Did the server refuse the handshake because it has no certificate of the
 * type asked for? It answers the ClientHello with a handshake_failure alert
 * (OpenSSL: "no suitable signature algorithm" in TLS 1.3, "no shared cipher"
 * in TLS 1.2). e is the oldest queued error.
 */
static bool
type_not_offered(enum tls_key_type type, unsigned long e)
{
	int reason = ERR_GET_REASON(e);

	return type != TLS_KEY_ANY && ERR_GET_LIB(e) == ERR_LIB_SSL &&
	       (reason == SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE ||
		reason == SSL_R_TLSV1_ALERT_INSUFFICIENT_SECURITY);
}

/*
 * Why SSL_connect() failed for good (netio's facts in e): r->outcome and
 * r->why, with OpenSSL's queue taken. A connection the server ended is
 * TLS_ERR_CLOSED whichever of EOF, ECONNRESET or EPIPE the socket reports
 * for one and the same peer behaviour (that depends on timing: a FIN before
 * or after our ClientHello, a RST for data the peer never read); the words
 * depend only on what the peer did that we can see (io.peer_silent).
 */
static void
handshake_failed(const struct netio_error *e, struct tls_result *r)
{
	r->io = *e;
	sslerr_take(&r->queue);
	switch (e->status) {
	case NETIO_CLOSED:
	case NETIO_RESET:
		result_end(r, TLS_ERR_CLOSED, TLS_WHY_CLOSED);
		break;
	case NETIO_TLS:
		if (type_not_offered(r->key_type, r->queue.n > 0 ? r->queue.code[0] : 0))
			result_end(r, TLS_ERR_NOT_OFFERED, TLS_WHY_NOT_OFFERED);
		else
			result_end(r, TLS_ERR_HANDSHAKE, TLS_WHY_TLS_ERROR);
		break;
	default:
		result_end(r, TLS_ERR_HANDSHAKE, TLS_WHY_SOCKET_ERROR);
		break;
	}
	ERR_clear_error();
}

/*
 * Run SSL_connect() on the non-blocking socket until done or the deadline.
 * Returns 0 when the handshake completed, else -1 with r->outcome set.
 */
static int
run_handshake(SSL *ssl, int fd, const struct deadline *dl, struct tls_result *r)
{
	struct netio_end end = netio_end_of(dl, -1);
	struct netio_error e;
	enum netio_status st;

	while ((st = netio_ssl_connect_step(ssl, &e)) == NETIO_WANT_READ ||
	       st == NETIO_WANT_WRITE) {
		enum netio_status w = netio_wait(fd, st, &end, &e);

		if (w == NETIO_TIMEOUT) {
			r->io = e;
			r->want_write = st == NETIO_WANT_WRITE;
			snprintf(r->state, sizeof(r->state), "%s", SSL_state_string_long(ssl));
			result_end(r, TLS_ERR_TIMEOUT, TLS_WHY_TIMEOUT);
			return -1;
		}
		if (w != NETIO_OK) {
			r->io = e;
			result_end(r, TLS_ERR_LOCAL, TLS_WHY_WAIT);
			return -1;
		}
	}
	if (st == NETIO_OK)
		return 0;
	handshake_failed(&e, r);
	return -1;
}

/* Keep a copy of the chain the peer presented, and describe it. */
static void
collect_chain(SSL *ssl, struct tls_result *r)
{
	STACK_OF(X509) *sk = SSL_get_peer_cert_chain(ssl);
	int i, n = sk != NULL ? sk_X509_num(sk) : 0;

	if (n <= 0)
		return;
	r->chain = X509_chain_up_ref(sk);
	if (r->chain == NULL)
		return;
	r->certs = calloc((size_t)n, sizeof(*r->certs));
	if (r->certs == NULL)
		return;
	r->ncerts = (size_t)n;
	for (i = 0; i < n; i++)
		cert_describe(sk_X509_value(r->chain, i), &r->certs[i]);
	ERR_clear_error();
}

/*
 * After a DANE match: the record that matched (its index in p, -1 if not
 * found), where in the chain, and the name that matched.
 */
/* Is cert one of the certificates the server sent? */
static bool
sent_by_peer(SSL *ssl, X509 *cert)
{
	STACK_OF(X509) *sk = SSL_get_peer_cert_chain(ssl);
	int i;

	for (i = 0; sk != NULL && i < sk_X509_num(sk); i++)
		if (X509_cmp(sk_X509_value(sk, i), cert) == 0)
			return true;
	return false;
}

static void
take_match(SSL *ssl, const struct tls_dane_params *p, struct tls_result *r)
{
	uint8_t usage, selector, mtype;
	unsigned const char *data = NULL;
	size_t dlen = 0, i;
	EVP_PKEY *mspki = NULL;
	X509 *mcert = NULL;
	const char *peer;
	int depth;

	depth = SSL_get0_dane_tlsa(ssl, &usage, &selector, &mtype, &data, &dlen);
	if (depth < 0 || data == NULL) {
		result_end(r, TLS_ERR_VERIFY, TLS_WHY_NOT_BY_DANE);
		return;
	}
	r->match_data = malloc(dlen > 0 ? dlen : 1);
	if (r->match_data == NULL) {
		result_end(r, TLS_ERR_LOCAL, TLS_WHY_NOMEM);
		return;
	}
	memcpy(r->match_data, data, dlen);
	r->match = (struct tlsa_rdata){usage, selector, mtype, r->match_data, dlen};
	r->matched = true;
	for (i = 0; i < p->n; i++) {
		if (r->notes[i].status == TLS_REC_ADDED &&
		    tlsa_rdata_equal(&p->records[i], &r->match)) {
			r->match_index = (int)i;
			break;
		}
	}
	r->match_depth = SSL_get0_dane_authority(ssl, &mcert, &mspki);
	r->match_by_signer_key = mspki != NULL;
	r->anchor_from_dns = mspki != NULL || (mcert != NULL && !sent_by_peer(ssl, mcert));
	peer = SSL_get0_peername(ssl);
	if (peer != NULL)
		text_sanitize(r->peername, sizeof(r->peername), peer, strlen(peer), strlen(peer),
			      TEXT_MASK);
	result_end(r, TLS_OK, TLS_WHY_MATCHED);
}

/* After a completed handshake: the verification outcome and what matched. */
static void
read_verification(SSL *ssl, const struct tls_dane_params *p, struct tls_result *r)
{
	r->verify_error = SSL_get_verify_result(ssl);
	snprintf(r->verify_text, sizeof(r->verify_text), "%s",
		 X509_verify_cert_error_string(r->verify_error));
	if (r->usable == 0) {
		result_end(r, TLS_ERR_NO_USABLE, TLS_WHY_NO_USABLE);
		return;
	}
	if (r->verify_error != X509_V_OK) {
		result_end(r, TLS_ERR_VERIFY, TLS_WHY_VERIFY);
		return;
	}
	take_match(ssl, p, r);
}

enum tls_outcome
tls_handshake(struct tls_ctx *ctx, int fd, const struct tls_dane_params *p,
	      const struct deadline *dl, struct tls_result *r)
{
	const SSL_CIPHER *cipher;
	SSL *ssl = NULL;
	double t0 = deadline_now();

	memset(r, 0, sizeof(*r));
	r->outcome = TLS_ERR_LOCAL;
	r->verify_error = -1;
	r->match_index = -1;
	r->match_depth = -1;
	if (ctx == NULL || fd < 0 || p == NULL || dl == NULL || (p->n > 0 && p->records == NULL) ||
	    (p->nnames > 0 && p->names == NULL)) {
		result_end(r, TLS_ERR_LOCAL, TLS_WHY_ARGUMENT);
		goto out;
	}
	r->key_type = p->key_type;
	ERR_clear_error();
	ssl = SSL_new(ctx->ssl_ctx);
	if (ssl == NULL) {
		setup_failed(r, TLS_SETUP_NEW);
		goto out;
	}
	if (prepare(ssl, fd, p, r) != 0)
		goto out;
	if (run_handshake(ssl, fd, dl, r) != 0) {
		/* The server may have sent its certificates before it went wrong. */
		collect_chain(ssl, r);
		goto out;
	}
	snprintf(r->version, sizeof(r->version), "%s", SSL_get_version(ssl));
	cipher = SSL_get_current_cipher(ssl);
	snprintf(r->cipher, sizeof(r->cipher), "%s",
		 cipher != NULL ? SSL_CIPHER_get_name(cipher) : "");
	collect_chain(ssl, r);
	read_verification(ssl, p, r);
	r->ssl = ssl;
	ssl = NULL;
out:
	/* Not completed: nothing to close gracefully (OpenSSL sent any alert). */
	SSL_free(ssl);
	ERR_clear_error();
	r->handshake_time = deadline_now() - t0;
	return r->outcome;
}

void
tls_result_close(struct tls_result *r)
{
	if (r == NULL || r->ssl == NULL)
		return;
	/* One non-blocking attempt at close_notify; nothing is waited for. */
	ERR_clear_error();
	(void)SSL_shutdown(r->ssl);
	ERR_clear_error();
	SSL_free(r->ssl);
	r->ssl = NULL;
}

void
tls_result_clear(struct tls_result *r)
{
	if (r == NULL)
		return;
	tls_result_close(r);
	if (r->chain != NULL)
		sk_X509_pop_free(r->chain, X509_free);
	free(r->certs);
	free(r->notes);
	free(r->match_data);
	memset(r, 0, sizeof(*r));
	r->match_index = -1;
	r->match_depth = -1;
}
