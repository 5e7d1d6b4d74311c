/*
 * rollover_match.h -- which published record matches a certificate, a key or
 * a chain, and the record that would (check_dane_rollover's forecasts).
 */
#ifndef ROLLOVER_MATCH_H
#define ROLLOVER_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "tlsa.h"

/* Size of the scratch buffer the matchers take: full certificates can be large. */
#define ROLLOVER_DATA_MAX 65536

/** Does record rd match cert (by the record's selector and matching type)? buf: ROLLOVER_DATA_MAX
 * bytes. */
bool rollover_match_cert(const struct tlsa_rdata *rd, X509 *cert, uint8_t *buf);

/** Does record rd (selector 1 only) match the public key? buf: ROLLOVER_DATA_MAX bytes. */
bool rollover_match_key(const struct tlsa_rdata *rd, EVP_PKEY *key, uint8_t *buf);

/**
 * Does rd match what chain presents: DANE-EE the leaf, DANE-TA a certificate
 * above the leaf? *depth is set to the depth of the match.
 */
bool rollover_match_chain(const struct tlsa_rdata *rd, STACK_OF(X509) * chain, uint8_t *buf,
			  int *depth);

/** The "3 1 1 HEX" record text of cert, or of key when cert is NULL. */
void rollover_record_ee(X509 *cert, EVP_PKEY *key, char *dst, size_t dstsize);

/** The "2 1 1 HEX" record text of a CA certificate. */
void rollover_record_ta(X509 *cert, char *dst, size_t dstsize);

#endif
