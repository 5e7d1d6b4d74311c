/*
 * testdata.h -- the fixed certificates, keys and expected TLSA digests of
 * tests/data (made by tests/data/make-certs.sh with the openssl command
 * line), for the unit tests. Every function fails the running Check test
 * when a file is missing or malformed.
 */
#ifndef DANE_TESTDATA_H
#define DANE_TESTDATA_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

/** The path of a tests/data file into buf. */
void testdata_path(char *buf, size_t size, const char *name);

/**
 * A whole file (any path, not only tests/data), NUL-terminated after its
 * *len bytes (len may be NULL). Free with free().
 */
char *testdata_read_file(const char *path, size_t *len);

/** Read the hex digits of a tests/data file into buf; returns the byte count. */
size_t testdata_hex(const char *name, uint8_t *buf, size_t size);

/** The certificate of a tests/data PEM file (free with X509_free()). */
X509 *testdata_cert(const char *name);

/** Expect binary data equal to the content of a tests/data .hex file. */
void testdata_assert_hex(const uint8_t *data, size_t len, const char *name);

#endif /* DANE_TESTDATA_H */
