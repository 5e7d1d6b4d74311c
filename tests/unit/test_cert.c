/*
 * test_cert.c -- certificate facts (description, days left) and the PEM
 * loaders of chains, keys and CA bundles, with the fixed certificates of tests/data.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "cert.h"
#include "testdata.h"

/* ---- what a certificate says ---- */

START_TEST(description_of_a_leaf_has_its_names_dates_key_and_digests)
{
	X509 *x = testdata_cert("mx1.pem");
	struct cert_info info;

	ck_assert_int_eq(cert_describe(x, &info), 0);
	ck_assert_str_eq(info.cn, "mx1.example.test");
	ck_assert_str_eq(info.subject, "CN=mx1.example.test,O=DANE Lab");
	ck_assert_str_eq(info.issuer, "CN=DANE Lab Intermediate CA,O=DANE Lab");
	ck_assert_uint_eq(info.nsans, 1);
	ck_assert_uint_eq(info.sans_total, 1);
	ck_assert_str_eq(info.sans[0], "mx1.example.test");
	ck_assert(info.dates_ok);
	ck_assert_int_eq((long long)info.not_before, 1577836800LL); /* 2020-01-01 */
	ck_assert_int_eq((long long)info.not_after, 4733510400LL);  /* 2120-01-01 */
	ck_assert(!info.is_ca);
	ck_assert(!info.self_issued);
	ck_assert_str_eq(info.key, "EC 256");
	ck_assert(info.digests_ok);
	testdata_assert_hex(info.spki_sha256, 32, "mx1.spki-sha256.hex");
	testdata_assert_hex(info.spki_sha512, 64, "mx1.spki-sha512.hex");
	testdata_assert_hex(info.cert_sha256, 32, "mx1.cert-sha256.hex");
	X509_free(x);
}
END_TEST

START_TEST(description_of_a_ca_and_a_self_issued_certificate_says_so)
{
	X509 *inter = testdata_cert("inter.pem"), *rsa = testdata_cert("rsa.pem");
	struct cert_info info;

	ck_assert_int_eq(cert_describe(inter, &info), 0);
	ck_assert(info.is_ca);
	ck_assert_str_eq(info.cn, "DANE Lab Intermediate CA");
	ck_assert_uint_eq(info.nsans, 0);
	testdata_assert_hex(info.cert_sha256, 32, "inter.cert-sha256.hex");
	ck_assert_int_eq(cert_describe(rsa, &info), 0);
	ck_assert(info.self_issued);
	ck_assert_str_eq(info.key, "RSA 2048");
	X509_free(inter);
	X509_free(rsa);
}
END_TEST

/* expired.pem: notAfter 2021-01-01 00:00:00 UTC */
static const struct {
	time_t now;
	double days;
} days_cases[] = {
    {1609372800, 1.0},         /* 2020-12-31 */
    {1609459200 - 43200, 0.5}, /* half a day before */
    {1610323200, -10.0},       /* 2021-01-11 */
};

START_TEST(days_left_counts_from_the_given_now)
{
	X509 *x = testdata_cert("expired.pem");
	double days = 0;

	ck_assert_int_eq(cert_days_left(x, days_cases[_i].now, &days), 0);
	ck_assert_double_eq_tol(days, days_cases[_i].days, 1e-9);
	X509_free(x);
}
END_TEST

START_TEST(days_left_of_no_certificate_is_an_error)
{
	double days = 0;

	ck_assert_int_eq(cert_days_left(NULL, 0, &days), -1);
}
END_TEST

/* ---- PEM files ---- */

START_TEST(chain_loader_reads_every_certificate_in_order)
{
	STACK_OF(X509) *sk = NULL;
	X509 *mx1 = testdata_cert("mx1.pem"), *inter = testdata_cert("inter.pem");
	char path[512], err[256] = "";

	testdata_path(path, sizeof(path), "mx1-chain.pem");
	ck_assert_msg(cert_load_chain_pem(path, &sk, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(sk_X509_num(sk), 2);
	ck_assert_int_eq(X509_cmp(sk_X509_value(sk, 0), mx1), 0);
	ck_assert_int_eq(X509_cmp(sk_X509_value(sk, 1), inter), 0);
	sk_X509_pop_free(sk, X509_free);
	X509_free(mx1);
	X509_free(inter);
}
END_TEST

START_TEST(chain_loader_finds_no_certificate_in_a_key_file)
{
	STACK_OF(X509) *sk = NULL;
	char path[512], err[256] = "";

	testdata_path(path, sizeof(path), "mx1.key");
	ck_assert_int_eq(cert_load_chain_pem(path, &sk, err, sizeof(err)), -1);
	ck_assert_ptr_null(sk);
	ck_assert_msg(strstr(err, "no certificate in") != NULL, "%s", err);
}
END_TEST

START_TEST(chain_loader_explains_an_unreadable_file)
{
	STACK_OF(X509) *sk = NULL;
	char err[256] = "";

	ck_assert_int_eq(cert_load_chain_pem("/nonexistent/c.pem", &sk, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "cannot read /nonexistent/c.pem") != NULL, "%s", err);
}
END_TEST

START_TEST(loaded_private_key_keeps_only_the_public_part)
{
	EVP_PKEY *key = NULL;
	char path[512], err[256] = "";

	testdata_path(path, sizeof(path), "next.key");
	ck_assert_msg(cert_load_pubkey_pem(path, &key, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_le(i2d_PrivateKey(key, NULL), 0);
	ERR_clear_error();
	EVP_PKEY_free(key);
}
END_TEST

START_TEST(key_loader_finds_no_key_in_a_certificate_file)
{
	EVP_PKEY *key = NULL;
	char path[512], err[256] = "";

	testdata_path(path, sizeof(path), "mx1.pem");
	ck_assert_int_eq(cert_load_pubkey_pem(path, &key, err, sizeof(err)), -1);
	ck_assert_ptr_null(key);
	ck_assert_msg(strstr(err, "no private or public key in") != NULL, "%s", err);
}
END_TEST

START_TEST(key_loader_explains_an_unreadable_file)
{
	EVP_PKEY *key = NULL;
	char err[256] = "";

	ck_assert_int_eq(cert_load_pubkey_pem("/nonexistent/k.pem", &key, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "cannot read /nonexistent/k.pem") != NULL, "%s", err);
}
END_TEST

START_TEST(key_loader_refuses_an_encrypted_key_without_asking_for_a_passphrase)
{
	EVP_PKEY *key = NULL, *plain;
	char path[512], enc[] = "/tmp/test_cert_keyXXXXXX", err[256] = "";
	int fd;
	FILE *f;

	testdata_path(path, sizeof(path), "next.key");
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	plain = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	ck_assert_ptr_nonnull(plain);
	fd = mkstemp(enc);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	ck_assert_int_eq(
	    PEM_write_PKCS8PrivateKey(f, plain, EVP_aes_256_cbc(), "secret", 6, NULL, NULL), 1);
	fclose(f);
	EVP_PKEY_free(plain);
	ck_assert_int_eq(cert_load_pubkey_pem(enc, &key, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "encrypted private key") != NULL, "%s", err);
	unlink(enc);
}
END_TEST

/* A temporary file of the given tests/data files, one after the other. */
static void
concat(char *tmp, const char *const *names)
{
	char path[512], buf[4096];
	int fd = mkstemp(tmp);
	size_t n;
	FILE *out, *in;

	ck_assert_int_ge(fd, 0);
	out = fdopen(fd, "w");
	ck_assert_ptr_nonnull(out);
	for (; *names != NULL; names++) {
		testdata_path(path, sizeof(path), *names);
		in = fopen(path, "r");
		ck_assert_ptr_nonnull(in);
		while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
			ck_assert_uint_eq(fwrite(buf, 1, n, out), n);
		fclose(in);
	}
	fclose(out);
}

START_TEST(issuers_loader_keeps_the_first_cas_and_counts_them_all)
{
	static const char *const names[] = {"inter.pem", "root.pem", "inter.pem", NULL};
	char tmp[] = "/tmp/test_cert_issuersXXXXXX", err[512] = "";
	STACK_OF(X509) *sk = NULL;
	X509 *inter = testdata_cert("inter.pem");
	size_t total = 0;

	concat(tmp, names);
	ck_assert_msg(cert_load_issuers(tmp, 2, &sk, &total, err, sizeof(err)) == CERT_LOAD_OK,
		      "%s", err);
	ck_assert_uint_eq(total, 3);
	ck_assert_int_eq(sk_X509_num(sk), 2);
	ck_assert_int_eq(X509_cmp(sk_X509_value(sk, 0), inter), 0);
	sk_X509_pop_free(sk, X509_free);
	X509_free(inter);
	unlink(tmp);
}
END_TEST

/* cert_load_issuers() refusing a file: its status and the message. */
static const struct {
	const char *name; /* a tests/data file, or an absolute path */
	enum cert_load_status status;
	const char *err; /* the message, after the path for CERT_LOAD_FILE and _NOT_CA */
} issuers_bad[] = {
    {"/nonexistent/ca.pem", CERT_LOAD_FILE, "/nonexistent/ca.pem: No such file or directory"},
    {"/", CERT_LOAD_FILE, "/: not a regular file"},
    {"mx1.key", CERT_LOAD_PEM, "no certificate in "},
    {"mx1-chain.pem", CERT_LOAD_NOT_CA,
     ": certificate #1 (CN=mx1.example.test,O=DANE Lab) is no CA certificate (a leaf?): give "
     "the intermediate CAs"},
};

START_TEST(issuers_loader_refuses_what_is_no_bundle_of_cas)
{
	STACK_OF(X509) *sk = NULL;
	char path[512], err[512] = "";
	size_t total = 7;

	if (issuers_bad[_i].name[0] == '/')
		snprintf(path, sizeof(path), "%s", issuers_bad[_i].name);
	else
		testdata_path(path, sizeof(path), issuers_bad[_i].name);
	ck_assert_int_eq(cert_load_issuers(path, 64, &sk, &total, err, sizeof(err)),
			 issuers_bad[_i].status);
	ck_assert_ptr_null(sk);
	ck_assert_uint_eq(total, 0);
	ck_assert_msg(strstr(err, issuers_bad[_i].err) != NULL, "%s", err);
}
END_TEST

START_TEST(issuers_loader_refuses_a_file_too_large_to_be_a_bundle)
{
	char tmp[] = "/tmp/test_cert_largeXXXXXX", want[600], err[512] = "";
	STACK_OF(X509) *sk = NULL;
	size_t total = 0;
	int fd = mkstemp(tmp);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, CERT_ISSUERS_MAX_BYTES + 1), 0);
	close(fd);
	ck_assert_int_eq(cert_load_issuers(tmp, 64, &sk, &total, err, sizeof(err)), CERT_LOAD_FILE);
	snprintf(want, sizeof(want),
		 "%s: 4194305 bytes, more than 4194304: not a bundle of CA certificates", tmp);
	ck_assert_str_eq(err, want);
	unlink(tmp);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static Suite *
cert_suite(void)
{
	Suite *s = suite_create("cert");
	TCase *facts = tcase_create("facts");
	TCase *pem = tcase_create("pem");

	tcase_add_test(facts, description_of_a_leaf_has_its_names_dates_key_and_digests);
	tcase_add_test(facts, description_of_a_ca_and_a_self_issued_certificate_says_so);
	tcase_add_loop_test(facts, days_left_counts_from_the_given_now, 0, N(days_cases));
	tcase_add_test(facts, days_left_of_no_certificate_is_an_error);
	suite_add_tcase(s, facts);

	tcase_add_test(pem, chain_loader_reads_every_certificate_in_order);
	tcase_add_test(pem, chain_loader_finds_no_certificate_in_a_key_file);
	tcase_add_test(pem, chain_loader_explains_an_unreadable_file);
	tcase_add_test(pem, loaded_private_key_keeps_only_the_public_part);
	tcase_add_test(pem, key_loader_finds_no_key_in_a_certificate_file);
	tcase_add_test(pem, key_loader_explains_an_unreadable_file);
	tcase_add_test(pem, key_loader_refuses_an_encrypted_key_without_asking_for_a_passphrase);
	tcase_add_test(pem, issuers_loader_keeps_the_first_cas_and_counts_them_all);
	tcase_add_loop_test(pem, issuers_loader_refuses_what_is_no_bundle_of_cas, 0,
			    N(issuers_bad));
	tcase_add_test(pem, issuers_loader_refuses_a_file_too_large_to_be_a_bundle);
	suite_add_tcase(s, pem);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(cert_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
