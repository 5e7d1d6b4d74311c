/*
 * cert.c -- facts about X.509 certificates, and PEM files read.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <sys/stat.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "cert.h"
#include "netio.h"
#include "sslerr.h"
#include "text.h"
#include "tlsa_assoc.h"

/* A name in RFC 2253 form, cleaned and cut. Returns 0 or -1. */
static int
name_text(const X509_NAME *name, char *dst, size_t size)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data = NULL;
	long len;
	int rc = -1;

	dst[0] = '\0';
	if (bio == NULL || name == NULL)
		goto out;
	if (X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253) < 0)
		goto out;
	len = BIO_get_mem_data(bio, &data);
	if (len < 0 || (len > 0 && data == NULL))
		goto out;
	text_sanitize(dst, size, data, (size_t)len, (size_t)len, TEXT_MASK);
	rc = 0;
out:
	BIO_free(bio);
	return rc;
}

/* The first commonName of a name, cleaned and cut ("" if none). Returns 0 or -1. */
static int
common_name(const X509_NAME *name, char *dst, size_t size)
{
	const X509_NAME_ENTRY *entry;
	unsigned char *utf8 = NULL;
	int idx, len;

	dst[0] = '\0';
	idx = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
	if (idx < 0)
		return 0;
	entry = X509_NAME_get_entry(name, idx);
	len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(entry));
	if (len < 0)
		return -1;
	text_sanitize(dst, size, (const char *)utf8, (size_t)len, (size_t)len, TEXT_MASK);
	OPENSSL_free(utf8);
	return 0;
}

/* The DNS subjectAltNames of cert into info. */
static void
dns_names(X509 *cert, struct cert_info *info)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
	int i;

	if (gens == NULL)
		return;
	for (i = 0; i < sk_GENERAL_NAME_num(gens); i++) {
		const GENERAL_NAME *gen = sk_GENERAL_NAME_value(gens, i);
		const ASN1_IA5STRING *dns;

		if (gen->type != GEN_DNS)
			continue;
		info->sans_total++;
		if (info->nsans >= CERT_MAX_SANS)
			continue;
		dns = gen->d.dNSName;
		text_sanitize(info->sans[info->nsans], CERT_NAME_MAX,
			      (const char *)ASN1_STRING_get0_data(dns),
			      (size_t)ASN1_STRING_length(dns), (size_t)ASN1_STRING_length(dns),
			      TEXT_MASK);
		info->nsans++;
	}
	GENERAL_NAMES_free(gens);
}

/* An ASN1_TIME as time_t (UTC). Returns 0 or -1. */
static int
asn1_time(const ASN1_TIME *t, time_t *out)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1)
		return -1;
	*out = timegm(&tm);
	return 0;
}

int
cert_describe(X509 *cert, struct cert_info *info)
{
	const X509_NAME *subject = X509_get_subject_name(cert);
	const X509_NAME *issuer = X509_get_issuer_name(cert);
	EVP_PKEY *key = X509_get0_pubkey(cert);
	size_t len;
	int rc = 0;

	memset(info, 0, sizeof(*info));
	if (name_text(subject, info->subject, sizeof(info->subject)) != 0 ||
	    name_text(issuer, info->issuer, sizeof(info->issuer)) != 0 ||
	    common_name(subject, info->cn, sizeof(info->cn)) != 0)
		rc = -1;
	dns_names(cert, info);
	info->dates_ok = asn1_time(X509_get0_notBefore(cert), &info->not_before) == 0 &&
			 asn1_time(X509_get0_notAfter(cert), &info->not_after) == 0;
	if (!info->dates_ok)
		rc = -1;
	info->is_ca = (X509_get_extension_flags(cert) & EXFLAG_CA) != 0;
	info->self_issued =
	    subject != NULL && issuer != NULL && X509_NAME_cmp(subject, issuer) == 0;
	if (key != NULL) {
		const char *type = EVP_PKEY_get0_type_name(key);

		snprintf(info->key, sizeof(info->key), "%s %d", type != NULL ? type : "?",
			 EVP_PKEY_get_bits(key));
	} else {
		rc = -1;
	}
	info->digests_ok =
	    tlsa_assoc_cert(cert, 0, 1, info->cert_sha256, sizeof(info->cert_sha256), &len) == 0 &&
	    tlsa_assoc_cert(cert, 0, 2, info->cert_sha512, sizeof(info->cert_sha512), &len) == 0 &&
	    tlsa_assoc_cert(cert, 1, 1, info->spki_sha256, sizeof(info->spki_sha256), &len) == 0 &&
	    tlsa_assoc_cert(cert, 1, 2, info->spki_sha512, sizeof(info->spki_sha512), &len) == 0;
	if (!info->digests_ok)
		rc = -1;
	ERR_clear_error();
	return rc;
}

int
cert_days_left(X509 *cert, time_t now, double *days)
{
	time_t not_after;

	if (cert == NULL || asn1_time(X509_get0_notAfter(cert), &not_after) != 0)
		return -1;
	*days = difftime(not_after, now) / 86400.0;
	return 0;
}

/* Passphrase callback that never gives one, and notes that one was asked for. */
static int
no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	if (u != NULL)
		*(bool *)u = true;
	return -1;
}

/* Open path for reading as a BIO. Returns NULL with a message in err. */
static BIO *
open_file(const char *path, char *err, size_t errsize)
{
	FILE *f = fopen(path, "r");
	char ebuf[128];
	BIO *bio;

	if (f == NULL) {
		snprintf(err, errsize, "cannot read %s: %s", path,
			 netio_strerror(errno, ebuf, sizeof(ebuf)));
		return NULL;
	}
	bio = BIO_new_fp(f, BIO_CLOSE);
	if (bio == NULL) {
		fclose(f);
		snprintf(err, errsize, "cannot read %s: out of memory", path);
	}
	return bio;
}

/* STACK_OF() confuses clang-format ("STACK_OF(X509) * *out"): kept as written. */
/* clang-format off */
int
cert_load_chain_pem(const char *path, STACK_OF(X509) **out, char *err, size_t errsize)
{
	STACK_OF(X509) *sk = NULL;
	BIO *bio = NULL;
	char what[CERT_NAME_MAX + 64];
	X509 *x;
	int rc = -1;

	*out = NULL;
	ERR_clear_error();
	bio = open_file(path, err, errsize);
	if (bio == NULL)
		goto out;
	sk = sk_X509_new_null();
	if (sk == NULL) {
		snprintf(err, errsize, "out of memory");
		goto out;
	}
	for (;;) {
		unsigned long e;

		x = PEM_read_bio_X509(bio, NULL, no_passphrase, NULL);
		if (x == NULL) {
			e = ERR_peek_last_error();
			if (ERR_GET_LIB(e) == ERR_LIB_PEM &&
			    ERR_GET_REASON(e) == PEM_R_NO_START_LINE) {
				if (sk_X509_num(sk) > 0)
					break;
				snprintf(err, errsize, "no certificate in %s", path);
				goto out;
			}
			snprintf(what, sizeof(what), "invalid certificate #%d in %s",
				 sk_X509_num(sk) + 1, path);
			sslerr_text(err, errsize, what);
			goto out;
		}
		if (sk_X509_push(sk, x) <= 0) {
			X509_free(x);
			snprintf(err, errsize, "out of memory");
			goto out;
		}
	}
	*out = sk;
	sk = NULL;
	rc = 0;
out:
	if (sk != NULL)
		sk_X509_pop_free(sk, X509_free);
	BIO_free(bio);
	ERR_clear_error();
	return rc;
}
/* clang-format on */

/* clang-format off */
enum cert_load_status
cert_load_issuers(const char *path, size_t max, STACK_OF(X509) **out, size_t *total, char *err,
		  size_t errsize)
{
	enum cert_load_status st = CERT_LOAD_FILE;
	struct stat sb;
	char ebuf[128];
	int i;

	*out = NULL;
	*total = 0;
	if (stat(path, &sb) != 0) {
		snprintf(err, errsize, "%.200s: %s", path, netio_strerror(errno, ebuf, sizeof(ebuf)));
		goto fail;
	}
	if (!S_ISREG(sb.st_mode)) {
		snprintf(err, errsize, "%.200s: not a regular file", path);
		goto fail;
	}
	if (sb.st_size > CERT_ISSUERS_MAX_BYTES) {
		snprintf(err, errsize,
			 "%.200s: %lld bytes, more than %d: not a bundle of CA certificates", path,
			 (long long)sb.st_size, CERT_ISSUERS_MAX_BYTES);
		goto fail;
	}
	st = CERT_LOAD_PEM;
	if (cert_load_chain_pem(path, out, err, errsize) != 0)
		goto fail;
	st = CERT_LOAD_NOT_CA;
	for (i = 0; i < sk_X509_num(*out); i++) {
		struct cert_info info;

		cert_describe(sk_X509_value(*out, i), &info);
		if (!info.is_ca) {
			snprintf(err, errsize,
				 "%.200s: certificate #%d (%.160s) is no CA certificate (a leaf?): "
				 "give the intermediate CAs",
				 path, i + 1, info.subject);
			goto fail;
		}
	}
	*total = (size_t)sk_X509_num(*out);
	while ((size_t)sk_X509_num(*out) > max)
		X509_free(sk_X509_pop(*out));
	return CERT_LOAD_OK;
fail:
	if (*out != NULL)
		sk_X509_pop_free(*out, X509_free);
	*out = NULL;
	return st;
}
/* clang-format on */

/* A new key holding only the public part of key, or NULL. */
static EVP_PKEY *
public_part(EVP_PKEY *key)
{
	unsigned char *der = NULL;
	const unsigned char *q;
	EVP_PKEY *pub;
	int len = i2d_PUBKEY(key, &der);

	if (len <= 0)
		return NULL;
	q = der;
	pub = d2i_PUBKEY(NULL, &q, len);
	OPENSSL_free(der);
	return pub;
}

int
cert_load_pubkey_pem(const char *path, EVP_PKEY **out, char *err, size_t errsize)
{
	EVP_PKEY *key = NULL, *pub = NULL;
	bool asked = false;
	BIO *bio = NULL;
	int rc = -1;

	*out = NULL;
	ERR_clear_error();
	bio = open_file(path, err, errsize);
	if (bio == NULL)
		goto out;
	key = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, &asked);
	if (key != NULL) {
		pub = public_part(key);
		if (pub == NULL) {
			sslerr_text(err, errsize, "cannot derive the public key");
			goto out;
		}
	} else if (asked) {
		snprintf(err, errsize, "%s: encrypted private key (no passphrase can be given)",
			 path);
		goto out;
	} else {
		ERR_clear_error();
		if (BIO_reset(bio) != 0) {
			snprintf(err, errsize, "cannot read %s again", path);
			goto out;
		}
		pub = PEM_read_bio_PUBKEY(bio, NULL, no_passphrase, NULL);
		if (pub == NULL) {
			snprintf(err, errsize, "no private or public key in %s", path);
			goto out;
		}
	}
	*out = pub;
	rc = 0;
out:
	EVP_PKEY_free(key);
	BIO_free(bio);
	ERR_clear_error();
	return rc;
}

const char *
cert_key_name(const struct cert_info *info, char *dst, size_t dstsize)
{
	int bits = 0;

	if (sscanf(info->key, "EC %d", &bits) == 1)
		snprintf(dst, dstsize, "ECDSA P-%d", bits == 521 ? 521 : bits);
	else if (strncmp(info->key, "ED25519", 7) == 0)
		snprintf(dst, dstsize, "Ed25519");
	else if (strncmp(info->key, "ED448", 5) == 0)
		snprintf(dst, dstsize, "Ed448");
	else
		snprintf(dst, dstsize, "%s", info->key[0] ? info->key : "unknown key");
	return dst;
}
