/*
 * test_pkix.c -- the WebPKI verdict on a presented chain (what MTA-STS
 * senders require, RFC 8461 4.2) with the fixed certificates of tests/data:
 * a valid chain, another name, no intermediate, a self-signed leaf, an
 * expired leaf, a store from a file and a bad file; and its words.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/x509.h>

#include "cert.h"
#include "pkix.h"
#include "testdata.h"
#include "words_mtasts.h"

#define NOW ((time_t)1800000000) /* 2027-01-15 */

static struct pkix_store *store;

static void
setup(void)
{
	char path[4096], err[256];

	testdata_path(path, sizeof(path), "root.pem");
	store = pkix_store_new(path, err, sizeof(err));
	ck_assert_msg(store != NULL, "%s", err);
}

static void
teardown(void)
{
	pkix_store_free(store);
}

/* A chain of the named tests/data certificates, leaf first. */
static STACK_OF(X509) * chain_of(const char *a, const char *b)
{
	STACK_OF(X509) *sk = sk_X509_new_null();

	ck_assert_ptr_nonnull(sk);
	sk_X509_push(sk, testdata_cert(a));
	if (b != NULL)
		sk_X509_push(sk, testdata_cert(b));
	return sk;
}

static const struct {
	const char *leaf, *inter, *host;
	time_t now;
	enum pkix_outcome want;
	int depth;
	const char *words;
} cases[] = {
    {"mx1.pem", "inter.pem", "mx1.example.test.", NOW, PKIX_OK, -1, "valid for mx1.example.test"},
    {"mx1.pem", "inter.pem", "MX1.Example.Test", NOW, PKIX_OK, -1, NULL},
    {"mx1.pem", "inter.pem", "mx2.example.test", NOW, PKIX_NAME_MISMATCH, 0,
     "the certificate does not name mx2.example.test (it names DNS:mx1.example.test)"},
    {"mx1.pem", "inter.pem", "example.test", NOW, PKIX_NAME_MISMATCH, 0, NULL},
    {"mx1.pem", NULL, "mx1.example.test", NOW, PKIX_UNTRUSTED, 0,
     "no chain to a trusted root (unable to get local issuer certificate at depth 0)"},
    {"rsa.pem", NULL, "rsa.example.test", NOW, PKIX_UNTRUSTED, 0, "the certificate is self-signed"},
    {"expired.pem", "inter.pem", "mx1.example.test", NOW, PKIX_EXPIRED, 0,
     "the certificate expired on 2021-01-01"},
    /* before 2020 the root is not valid yet either: OpenSSL names the top first */
    {"mx1.pem", "inter.pem", "mx1.example.test", 1500000000, PKIX_NOT_YET_VALID, 2,
     "a certificate of the chain is not valid yet (depth 2)"},
};

START_TEST(chains_are_judged_for_the_host_name)
{
	STACK_OF(X509) *sk = chain_of(cases[_i].leaf, cases[_i].inter);
	struct pkix_result r;
	struct cert_info leaf;
	char words[WORDS_MTASTS_MAX];

	ck_assert_int_eq(pkix_verify(store, sk, cases[_i].host, cases[_i].now, &r), cases[_i].want);
	ck_assert_int_eq(r.depth, cases[_i].depth);
	ck_assert((r.error == X509_V_OK) == (cases[_i].want == PKIX_OK));
	cert_describe(sk_X509_value(sk, 0), &leaf);
	/* the caller names the host without its final dot */
	words_pkix(&r, "mx1.example.test", &leaf, words, sizeof(words));
	if (strcmp(cases[_i].host, "mx2.example.test") == 0)
		words_pkix(&r, cases[_i].host, &leaf, words, sizeof(words));
	if (cases[_i].words != NULL)
		ck_assert_str_eq(words, cases[_i].words);
	ck_assert_str_ne(words_pkix_short(r.outcome), "");
	sk_X509_pop_free(sk, X509_free);
}
END_TEST

START_TEST(no_chain_and_no_name)
{
	struct pkix_result r;
	STACK_OF(X509) *empty = sk_X509_new_null();
	STACK_OF(X509) *sk = chain_of("mx1.pem", "inter.pem");
	char words[WORDS_MTASTS_MAX];

	ck_assert_int_eq(pkix_verify(store, NULL, "mx1.example.test", NOW, &r), PKIX_NO_CHAIN);
	ck_assert_int_eq(pkix_verify(store, empty, "mx1.example.test", NOW, &r), PKIX_NO_CHAIN);
	words_pkix(&r, "mx1.example.test", NULL, words, sizeof(words));
	ck_assert_str_eq(words, "no certificate was presented");
	ck_assert_int_eq(pkix_verify(store, sk, "", NOW, &r), PKIX_LOCAL);
	ck_assert_int_eq(pkix_verify(store, sk, ".", NOW, &r), PKIX_LOCAL);
	ck_assert_int_eq(pkix_verify(NULL, sk, "mx1.example.test", NOW, &r), PKIX_LOCAL);
	sk_X509_free(empty);
	sk_X509_pop_free(sk, X509_free);
}
END_TEST

START_TEST(a_store_of_another_root_trusts_nothing_here)
{
	struct pkix_store *other;
	struct pkix_result r;
	STACK_OF(X509) *sk = chain_of("mx1.pem", "inter.pem");
	char path[4096], err[256];

	/* the intermediate as the only anchor is not enough: the chain must end at a root */
	testdata_path(path, sizeof(path), "rsa.pem");
	other = pkix_store_new(path, err, sizeof(err));
	ck_assert_ptr_nonnull(other);
	ck_assert_int_eq(pkix_verify(other, sk, "mx1.example.test", NOW, &r), PKIX_UNTRUSTED);
	ck_assert_int_eq(r.depth, 1);
	pkix_store_free(other);
	sk_X509_pop_free(sk, X509_free);
}
END_TEST

START_TEST(a_missing_ca_file_is_an_error_the_system_store_loads)
{
	struct pkix_store *s;
	char err[256] = "";

	s = pkix_store_new("/nonexistent/ca.pem", err, sizeof(err));
	ck_assert_ptr_null(s);
	ck_assert_msg(strstr(err, "cannot read the CA file") != NULL, "%s", err);
	s = pkix_store_new(NULL, err, sizeof(err));
	ck_assert_ptr_nonnull(s);
	pkix_store_free(s);
	ck_assert_str_eq(pkix_outcome_name(PKIX_NAME_MISMATCH), "name-mismatch");
}
END_TEST

/* The system's roots are read by subject from $SSL_CERT_DIR (a hashed directory). */
START_TEST(the_system_store_reads_roots_by_subject_from_the_hashed_directory)
{
	char dir[] = "/tmp/test_pkix.XXXXXX", link[512], path[4096], err[256];
	X509 *root = testdata_cert("root.pem");
	STACK_OF(X509) *sk = chain_of("mx1.pem", "inter.pem"), *self = chain_of("rsa.pem", NULL);
	struct pkix_store *s;
	struct pkix_result r;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	testdata_path(path, sizeof(path), "root.pem");
	snprintf(link, sizeof(link), "%s/%08lx.0", dir, X509_subject_name_hash(root));
	ck_assert_int_eq(symlink(path, link), 0);
	ck_assert_int_eq(setenv("SSL_CERT_DIR", dir, 1), 0);
	ck_assert_str_eq(pkix_system_dir(), dir);
	s = pkix_store_new(NULL, err, sizeof(err));
	ck_assert_msg(s != NULL, "%s", err);
	ck_assert_int_eq(pkix_verify(s, sk, "mx1.example.test", NOW, &r), PKIX_OK);
	/* a root found nowhere: the bundle file is asked too, and it is still untrusted */
	ck_assert_int_eq(pkix_verify(s, self, "rsa.example.test", NOW, &r), PKIX_UNTRUSTED);
	ck_assert(pkix_root_may_be_elsewhere(X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY));
	ck_assert(!pkix_root_may_be_elsewhere(X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT));
	pkix_store_free(s);
	unsetenv("SSL_CERT_DIR");
	unlink(link);
	rmdir(dir);
	X509_free(root);
	sk_X509_pop_free(sk, X509_free);
	sk_X509_pop_free(self, X509_free);
}
END_TEST

static Suite *
pkix_suite(void)
{
	Suite *s = suite_create("pkix");
	TCase *tc = tcase_create("verify");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, chains_are_judged_for_the_host_name, 0,
			    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, no_chain_and_no_name);
	tcase_add_test(tc, a_store_of_another_root_trusts_nothing_here);
	tcase_add_test(tc, a_missing_ca_file_is_an_error_the_system_store_loads);
	tcase_add_test(tc, the_system_store_reads_roots_by_subject_from_the_hashed_directory);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(pkix_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
