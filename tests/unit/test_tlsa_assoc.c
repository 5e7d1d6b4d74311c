/*
 * test_tlsa_assoc.c -- the TLSA association data of certificates and keys,
 * against the digests the openssl command line computed for the fixed
 * certificates of tests/data, and the check that full data parses.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "cert.h"
#include "testdata.h"
#include "tlsa_assoc.h"

/* The certificates of tests/data whose digests make-certs.sh wrote. */
static const char *const certs[] = {"root", "inter", "mx1", "other", "expired", "rsa"};

START_TEST(association_data_matches_the_openssl_command_line)
{
	static const struct {
		int selector, mtype;
		const char *suffix;
	} kinds[] = {{1, 1, "spki-sha256"}, {1, 2, "spki-sha512"}, {0, 1, "cert-sha256"}};
	uint8_t out[TLSA_DIGEST_MAX];
	char pem[64], hex[64];
	size_t k, len;
	X509 *x;

	snprintf(pem, sizeof(pem), "%s.pem", certs[_i]);
	x = testdata_cert(pem);
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		ck_assert_int_eq(
		    tlsa_assoc_cert(x, kinds[k].selector, kinds[k].mtype, out, sizeof(out), &len),
		    0);
		snprintf(hex, sizeof(hex), "%s.%s.hex", certs[_i], kinds[k].suffix);
		testdata_assert_hex(out, len, hex);
	}
	X509_free(x);
}
END_TEST

START_TEST(full_association_data_is_the_der_encoding)
{
	X509 *x = testdata_cert("mx1.pem");
	unsigned char *der = NULL, *spki = NULL;
	int derlen = i2d_X509(x, &der), spkilen = i2d_PUBKEY(X509_get0_pubkey(x), &spki);
	uint8_t out[2048];
	size_t len;

	ck_assert_int_eq(tlsa_assoc_cert(x, 0, 0, out, sizeof(out), &len), 0);
	ck_assert_uint_eq(len, (size_t)derlen);
	ck_assert_mem_eq(out, der, len);
	ck_assert_int_eq(tlsa_assoc_cert(x, 1, 0, out, sizeof(out), &len), 0);
	ck_assert_uint_eq(len, (size_t)spkilen);
	ck_assert_mem_eq(out, spki, len);
	OPENSSL_free(der);
	OPENSSL_free(spki);
	X509_free(x);
}
END_TEST

START_TEST(association_refuses_unknown_parameters_and_small_buffers)
{
	X509 *x = testdata_cert("mx1.pem");
	uint8_t out[64];
	size_t len = 99;

	ck_assert_int_eq(tlsa_assoc_cert(x, 2, 1, out, sizeof(out), &len), -1);
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(tlsa_assoc_cert(x, 1, 3, out, sizeof(out), &len), -1);
	ck_assert_int_eq(tlsa_assoc_cert(x, 1, 1, out, 31, &len), -1);
	ck_assert_uint_eq(len, 32);
	ck_assert_int_eq(tlsa_assoc_cert(x, 0, 0, out, sizeof(out), &len), -1);
	ck_assert_uint_gt(len, sizeof(out));
	ck_assert_int_eq(tlsa_assoc_cert(NULL, 1, 1, out, sizeof(out), &len), -1);
	X509_free(x);
}
END_TEST

/* A private key and the digest of its certificate's SPKI. */
static const struct {
	const char *key;
	int mtype;
	const char *hex;
} private_keys[] = {
    {"mx1.key", 1, "mx1.spki-sha256.hex"},
    {"rsa.key", 2, "rsa.spki-sha512.hex"},
};

START_TEST(private_key_gives_the_spki_digest_of_its_certificate)
{
	EVP_PKEY *key = NULL;
	uint8_t out[TLSA_DIGEST_MAX];
	char path[512], err[256] = "";
	size_t len;

	testdata_path(path, sizeof(path), private_keys[_i].key);
	ck_assert_msg(cert_load_pubkey_pem(path, &key, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(tlsa_assoc_pubkey(key, private_keys[_i].mtype, out, sizeof(out), &len), 0);
	testdata_assert_hex(out, len, private_keys[_i].hex);
	EVP_PKEY_free(key);
}
END_TEST

START_TEST(public_key_pem_gives_the_same_digest_as_its_private_key)
{
	EVP_PKEY *pub = NULL, *priv = NULL;
	uint8_t a[TLSA_DIGEST_MAX], b[TLSA_DIGEST_MAX];
	char path[512], err[256] = "";
	size_t alen, blen;

	testdata_path(path, sizeof(path), "next.pub.pem");
	ck_assert_msg(cert_load_pubkey_pem(path, &pub, err, sizeof(err)) == 0, "%s", err);
	testdata_path(path, sizeof(path), "next.key");
	ck_assert_msg(cert_load_pubkey_pem(path, &priv, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(tlsa_assoc_pubkey(pub, 1, a, sizeof(a), &alen), 0);
	ck_assert_int_eq(tlsa_assoc_pubkey(priv, 1, b, sizeof(b), &blen), 0);
	testdata_assert_hex(a, alen, "next.spki-sha256.hex");
	testdata_assert_hex(b, blen, "next.spki-sha256.hex");
	EVP_PKEY_free(pub);
	EVP_PKEY_free(priv);
}
END_TEST

/* Full data of one kind, cut or not, read as one selector: does it parse? */
static const struct {
	const char *what;
	int der_selector; /* what the data is: 0 the certificate, 1 its SPKI */
	int cut;          /* bytes cut off the end */
	uint8_t selector; /* what the record says it is */
	bool parses;
} full_cases[] = {
    {"certificate as selector 0", 0, 0, 0, true},  {"SPKI as selector 1", 1, 0, 1, true},
    {"certificate as selector 1", 0, 0, 1, false}, {"SPKI as selector 0", 1, 0, 0, false},
    {"truncated certificate", 0, 1, 0, false},     {"truncated SPKI", 1, 1, 1, false},
};

START_TEST(full_data_parses_only_as_what_its_selector_says)
{
	X509 *x = testdata_cert("mx1.pem");
	uint8_t der[2048];
	struct tlsa_rdata rd = {3, full_cases[_i].selector, 0, der, 0};

	ck_assert_int_eq(
	    tlsa_assoc_cert(x, full_cases[_i].der_selector, 0, der, sizeof(der), &rd.len), 0);
	rd.len -= (size_t)full_cases[_i].cut;
	ck_assert_msg(tlsa_assoc_full_parses(&rd) == full_cases[_i].parses, "%s",
		      full_cases[_i].what);
	ERR_clear_error();
	X509_free(x);
}
END_TEST

/* Does OpenSSL's DANE verifier take the record (SSL_dane_tlsa_add() > 0)? */
static bool
verifier_takes(const struct tlsa_rdata *rd)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	SSL *ssl;
	int rc;

	ck_assert_ptr_nonnull(ctx);
	ck_assert_int_gt(SSL_CTX_dane_enable(ctx), 0);
	ssl = SSL_new(ctx);
	ck_assert_ptr_nonnull(ssl);
	ck_assert_int_gt(SSL_dane_enable(ssl, "mx1.example.test"), 0);
	rc = SSL_dane_tlsa_add(ssl, rd->usage, rd->selector, rd->mtype, rd->data, rd->len);
	SSL_free(ssl);
	SSL_CTX_free(ctx);
	ERR_clear_error();
	return rc > 0;
}

/* Full data OpenSSL may refuse although it is DER: the verdict asks what the verifier asks. */
static const struct {
	const char *what;
	uint8_t usage, selector;
	int twist; /* 0 none, 1 a byte appended, 2 the key's algorithm OID made unknown */
} verifier_cases[] = {
    {"2 0 0 certificate", 2, 0, 0},
    {"2 0 0 certificate with a byte after the DER", 2, 0, 1},
    {"2 0 0 certificate whose key algorithm is unknown", 2, 0, 2},
    {"3 0 0 certificate whose key algorithm is unknown", 3, 0, 2},
    {"2 1 0 SPKI", 2, 1, 0},
    {"2 1 0 SPKI with a byte after the DER", 2, 1, 1},
    {"2 1 0 SPKI whose algorithm is unknown", 2, 1, 2},
};

START_TEST(full_data_verdict_agrees_with_the_verifier)
{
	static const uint8_t ec_oid[] = {0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};
	X509 *x = testdata_cert("mx1.pem");
	uint8_t der[2048];
	struct tlsa_rdata rd = {verifier_cases[_i].usage, verifier_cases[_i].selector, 0, der, 0};
	size_t i;

	ck_assert_int_eq(tlsa_assoc_cert(x, rd.selector, 0, der, sizeof(der) - 1, &rd.len), 0);
	if (verifier_cases[_i].twist == 1)
		der[rd.len++] = 0;
	if (verifier_cases[_i].twist == 2) {
		for (i = 0; i + sizeof(ec_oid) <= rd.len; i++)
			if (memcmp(der + i, ec_oid, sizeof(ec_oid)) == 0)
				break;
		ck_assert_uint_lt(i + sizeof(ec_oid), rd.len + 1);
		der[i + sizeof(ec_oid) - 1] = 0x7f; /* 1.2.840.10045.2.127: no such algorithm */
	}
	ck_assert_msg(tlsa_assoc_full_parses(&rd) == verifier_takes(&rd), "%s: ours %d",
		      verifier_cases[_i].what, tlsa_assoc_full_parses(&rd));
	ERR_clear_error();
	X509_free(x);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static Suite *
tlsa_assoc_suite(void)
{
	Suite *s = suite_create("tlsa_assoc");
	TCase *tc = tcase_create("association data");

	tcase_add_loop_test(tc, full_data_verdict_agrees_with_the_verifier, 0, N(verifier_cases));
	tcase_add_loop_test(tc, association_data_matches_the_openssl_command_line, 0, N(certs));
	tcase_add_test(tc, full_association_data_is_the_der_encoding);
	tcase_add_test(tc, association_refuses_unknown_parameters_and_small_buffers);
	tcase_add_loop_test(tc, private_key_gives_the_spki_digest_of_its_certificate, 0,
			    N(private_keys));
	tcase_add_test(tc, public_key_pem_gives_the_same_digest_as_its_private_key);
	tcase_add_loop_test(tc, full_data_parses_only_as_what_its_selector_says, 0, N(full_cases));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(tlsa_assoc_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
