/*
 * cert.h -- facts about X.509 certificates, for reporting: what a
 * certificate says (names, key, dates, TLSA digests), how long it has left,
 * and the certificates and keys of PEM files.
 *
 * No verdicts: callers judge the facts. Nothing here prints, exits or keeps
 * global state; "now" is always a parameter.
 */
#ifndef DANE_CERT_H
#define DANE_CERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

/** Room for a certificate name (cut to fit, NUL-terminated). */
#define CERT_NAME_MAX 256

/** Most DNS subjectAltNames kept per certificate (the others are counted). */
#define CERT_MAX_SANS 32

/**
 * Facts about one certificate, for reporting. Text is sanitized: bytes
 * outside printable ASCII become '?'; long names are cut.
 */
struct cert_info {
	char subject[CERT_NAME_MAX]; /* RFC 2253 form, "CN=mx1.example.test,O=Lab" */
	char issuer[CERT_NAME_MAX];
	char cn[CERT_NAME_MAX];                  /* first commonName of the subject, "" if none */
	char sans[CERT_MAX_SANS][CERT_NAME_MAX]; /* DNS subjectAltNames */
	size_t nsans;                            /* kept in sans */
	size_t sans_total;                       /* in the certificate (may be > nsans) */
	bool dates_ok;                           /* not_before and not_after could be read */
	time_t not_before, not_after;
	bool is_ca;       /* basicConstraints CA:TRUE */
	bool self_issued; /* subject == issuer */
	char key[32];     /* "EC 256", "RSA 2048", ... */
	/* TLSA association data of this certificate (selector/mtype in the names) */
	uint8_t cert_sha256[32]; /* x 0 1 */
	uint8_t cert_sha512[64]; /* x 0 2 */
	uint8_t spki_sha256[32]; /* x 1 1 */
	uint8_t spki_sha512[64]; /* x 1 2 */
	bool digests_ok;         /* the four digests above were computed */
};

/**
 * Describe cert (see struct cert_info). Returns 0, or -1 if something
 * could not be read (the rest is filled in as far as possible).
 */
int cert_describe(X509 *cert, struct cert_info *info);

/**
 * Days from now until the notAfter of cert, with fractions; negative once
 * expired. Returns 0, or -1 if the date cannot be read.
 */
int cert_days_left(X509 *cert, time_t now, double *days);

/**
 * Read every certificate of a PEM file, in order, into a new stack (free
 * with sk_X509_pop_free(*out, X509_free)). Returns 0, or -1 with a message
 * in err (unreadable file, no certificate, a certificate that does not
 * parse).
 */
/* STACK_OF() confuses clang-format: kept as written. */
/* clang-format off */
int cert_load_chain_pem(const char *path, STACK_OF(X509) **out, char *err, size_t errsize);
/* clang-format on */

/** Most bytes of a bundle of CA certificates (a published set is a few dozen). */
#define CERT_ISSUERS_MAX_BYTES (4 * 1024 * 1024)

/** How cert_load_issuers() ended; err says the rest. */
enum cert_load_status {
	CERT_LOAD_OK = 0,
	CERT_LOAD_FILE,   /* the file: missing, unreadable, not a regular file, too large;
			     err is "PATH: what" */
	CERT_LOAD_PEM,    /* cert_load_chain_pem() failed: err is its message */
	CERT_LOAD_NOT_CA, /* a certificate that is no CA certificate; err is "PATH: which" */
};

/**
 * Read a bundle of CA certificates (PEM): the intermediate CAs a renewal
 * may be issued from. Keeps the first max of them in a new stack (free with
 * sk_X509_pop_free(*out, X509_free)) and counts them all in *total. Every
 * certificate must be a CA certificate. Returns CERT_LOAD_OK, or a status
 * with err (the file's name cut to 200 bytes).
 */
/* clang-format off */
enum cert_load_status cert_load_issuers(const char *path, size_t max, STACK_OF(X509) **out,
					size_t *total, char *err, size_t errsize);
/* clang-format on */

/**
 * Read a public key from a PEM file holding a private key (unencrypted:
 * "PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY"), of which only the
 * public part is kept, or a "PUBLIC KEY". Returns 0 with a new key in *out
 * (free with EVP_PKEY_free()), or -1 with a message in err. Never prompts
 * for a passphrase: encrypted keys are an error.
 */
int cert_load_pubkey_pem(const char *path, EVP_PKEY **out, char *err, size_t errsize);

/**
 * The key of a certificate as an operator names it: "ECDSA P-256",
 * "RSA 2048", "Ed25519"; the key text otherwise. Returns dst.
 */
const char *cert_key_name(const struct cert_info *info, char *dst, size_t dstsize);

#endif /* DANE_CERT_H */
