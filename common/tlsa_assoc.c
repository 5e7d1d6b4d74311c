/*
 * tlsa_assoc.c -- TLSA association data of certificates and keys (OpenSSL).
 */
#include "config.h"

#include <string.h>

#include <openssl/err.h>

#include "tlsa_assoc.h"

/* Matching type mtype applied to der (len bytes) into out. Returns 0 or -1. */
static int
match_data(const unsigned char *der, size_t len, int mtype, uint8_t *out, size_t outsize,
	   size_t *outlen)
{
	const EVP_MD *md;
	unsigned int mdlen = 0;

	if (mtype == TLSA_MTYPE_FULL) {
		*outlen = len;
		if (len > outsize)
			return -1;
		memcpy(out, der, len);
		return 0;
	}
	md = mtype == TLSA_MTYPE_SHA256 ? EVP_sha256() : EVP_sha512();
	if (outsize < (size_t)EVP_MD_get_size(md)) {
		*outlen = (size_t)EVP_MD_get_size(md);
		return -1;
	}
	if (EVP_Digest(der, len, out, &mdlen, md, NULL) != 1)
		return -1;
	*outlen = mdlen;
	return 0;
}

static bool
known_mtype(int mtype)
{
	return mtype == TLSA_MTYPE_FULL || mtype == TLSA_MTYPE_SHA256 || mtype == TLSA_MTYPE_SHA512;
}

int
tlsa_assoc_cert(X509 *cert, int selector, int mtype, uint8_t *out, size_t outsize, size_t *outlen)
{
	unsigned char *der = NULL;
	int len = -1, rc;

	*outlen = 0;
	if (cert == NULL || !known_mtype(mtype))
		return -1;
	if (selector == TLSA_SELECTOR_CERT)
		len = i2d_X509(cert, &der);
	else if (selector == TLSA_SELECTOR_SPKI)
		len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &der);
	if (len <= 0) {
		ERR_clear_error();
		return -1;
	}
	rc = match_data(der, (size_t)len, mtype, out, outsize, outlen);
	OPENSSL_free(der);
	return rc;
}

int
tlsa_assoc_pubkey(EVP_PKEY *key, int mtype, uint8_t *out, size_t outsize, size_t *outlen)
{
	unsigned char *der = NULL;
	int len, rc;

	*outlen = 0;
	if (key == NULL || !known_mtype(mtype))
		return -1;
	len = i2d_PUBKEY(key, &der);
	if (len <= 0) {
		ERR_clear_error();
		return -1;
	}
	rc = match_data(der, (size_t)len, mtype, out, outsize, outlen);
	OPENSSL_free(der);
	return rc;
}

bool
tlsa_assoc_full_parses(const struct tlsa_rdata *rd)
{
	const unsigned char *p = rd->data;
	bool ok = false;

	if (rd->selector == TLSA_SELECTOR_CERT) {
		X509 *x = d2i_X509(NULL, &p, (long)rd->len);

		/* as SSL_dane_tlsa_add() does: the whole data, and a public key it can use */
		ok = x != NULL && p == rd->data + rd->len && X509_get0_pubkey(x) != NULL;
		X509_free(x);
	} else {
		EVP_PKEY *k = d2i_PUBKEY(NULL, &p, (long)rd->len);

		ok = k != NULL && p == rd->data + rd->len;
		EVP_PKEY_free(k);
	}
	return ok;
}
