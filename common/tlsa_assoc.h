/*
 * tlsa_assoc.h -- the TLSA association data of certificates and keys,
 * computed with OpenSSL: what a record must hold to match them (RFC 6698
 * 2.1.2, 2.1.3).
 *
 * Pure functions on OpenSSL objects: no I/O, no state of their own.
 */
#ifndef DANE_TLSA_ASSOC_H
#define DANE_TLSA_ASSOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "tlsa.h"

/**
 * The TLSA association data of cert for selector (0: the whole certificate,
 * DER; 1: its SubjectPublicKeyInfo, DER) and matching type (0: full data,
 * 1: SHA-256, 2: SHA-512), written to out (outsize bytes; TLSA_DIGEST_MAX is
 * enough for digests). Returns 0 with the length in *outlen, or -1 for an
 * unknown selector or matching type, an encoding failure, or too small a
 * buffer (*outlen then says how much is needed, 0 if unknown).
 */
int tlsa_assoc_cert(X509 *cert, int selector, int mtype, uint8_t *out, size_t outsize,
		    size_t *outlen);

/**
 * The TLSA association data of a public (or private: only its public part
 * is used) key, selector 1 (SubjectPublicKeyInfo); as tlsa_assoc_cert().
 */
int tlsa_assoc_pubkey(EVP_PKEY *key, int mtype, uint8_t *out, size_t outsize, size_t *outlen);

/**
 * Does the full (matching type 0) data of rd parse as what its selector
 * says, with nothing left over: a DER certificate with a public key OpenSSL
 * can use for selector 0, a DER SubjectPublicKeyInfo otherwise? The question
 * SSL_dane_tlsa_add() asks, so that check_tlsa and the verifier agree.
 */
bool tlsa_assoc_full_parses(const struct tlsa_rdata *rd);

#endif /* DANE_TLSA_ASSOC_H */
