/*
 * rollover_match.c -- which published record matches a certificate, a key
 * or a chain, and the record that would.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "rollover_match.h"
#include "text.h"
#include "tlsa_assoc.h"

/* Does record rd match cert (selector and matching type of the record)? */
bool
rollover_match_cert(const struct tlsa_rdata *rd, X509 *cert, uint8_t *buf)
{
	size_t len = 0;

	if (tlsa_assoc_cert(cert, rd->selector, rd->mtype, buf, ROLLOVER_DATA_MAX, &len) != 0)
		return false;
	return len == rd->len && memcmp(buf, rd->data, len) == 0;
}

/* Does record rd match a public key (selector 1 only)? */
bool
rollover_match_key(const struct tlsa_rdata *rd, EVP_PKEY *key, uint8_t *buf)
{
	size_t len = 0;

	if (rd->selector != TLSA_SELECTOR_SPKI ||
	    tlsa_assoc_pubkey(key, rd->mtype, buf, ROLLOVER_DATA_MAX, &len) != 0)
		return false;
	return len == rd->len && memcmp(buf, rd->data, len) == 0;
}

/*
 * Does rd match what chain presents: DANE-EE the leaf, DANE-TA a certificate
 * above the leaf? *depth is set to the depth of the match.
 */
bool
rollover_match_chain(const struct tlsa_rdata *rd, STACK_OF(X509) * chain, uint8_t *buf, int *depth)
{
	int i, n = chain ? sk_X509_num(chain) : 0;

	if (n == 0)
		return false;
	if (rd->usage == TLSA_USAGE_DANE_EE) {
		*depth = 0;
		return rollover_match_cert(rd, sk_X509_value(chain, 0), buf);
	}
	for (i = 1; i < n; i++) {
		if (rollover_match_cert(rd, sk_X509_value(chain, i), buf)) {
			*depth = i;
			return true;
		}
	}
	return false;
}

/* The "3 1 1" record text for a key or certificate (full hex). */
void
rollover_record_ee(X509 *cert, EVP_PKEY *key, char *dst, size_t dstsize)
{
	uint8_t d[TLSA_DIGEST_MAX];
	size_t len = 0;
	char hex[2 * TLSA_DIGEST_MAX + 1];
	int rc = cert ? tlsa_assoc_cert(cert, 1, 1, d, sizeof(d), &len)
		      : tlsa_assoc_pubkey(key, 1, d, sizeof(d), &len);

	if (rc != 0) {
		snprintf(dst, dstsize, "3 1 1 (digest failed)");
		return;
	}
	text_hex(d, len, hex, sizeof(hex));
	snprintf(dst, dstsize, "3 1 1 %s", hex);
}

/* The "2 1 1" record text for a CA certificate (full hex). */
void
rollover_record_ta(X509 *cert, char *dst, size_t dstsize)
{
	uint8_t d[TLSA_DIGEST_MAX];
	size_t len = 0;
	char hex[2 * TLSA_DIGEST_MAX + 1];

	if (tlsa_assoc_cert(cert, 1, 1, d, sizeof(d), &len) != 0) {
		snprintf(dst, dstsize, "2 1 1 (digest failed)");
		return;
	}
	text_hex(d, len, hex, sizeof(hex));
	snprintf(dst, dstsize, "2 1 1 %s", hex);
}
