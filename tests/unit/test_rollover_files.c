/*
 * test_rollover_files.c -- the local files of check_dane_rollover: named,
 * bounded, loaded in order, the first one that cannot be used named with
 * its option.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rollover_files.h"
#include "testdata.h"

START_TEST(staged_files_are_bounded_per_kind)
{
	struct rollover_files f = {0};
	char err[128] = "";
	int i;

	for (i = 0; i < ROLLOVER_FILES_MAX_STAGED; i++)
		ck_assert_int_eq(rollover_files_stage(&f, true, "k.pem", err, sizeof(err)), 0);
	ck_assert_int_eq(rollover_files_stage(&f, true, "k.pem", err, sizeof(err)), -1);
	ck_assert_str_eq(err, "at most 8 --next-key and --next-cert each");
	ck_assert_int_eq(rollover_files_stage(&f, false, "c.pem", err, sizeof(err)), 0);
	ck_assert_uint_eq(f.nnext_keys, ROLLOVER_FILES_MAX_STAGED);
	ck_assert_uint_eq(f.nnext_certs, 1);
	ck_assert_str_eq(f.next_cert_files[0], "c.pem");
}
END_TEST

START_TEST(every_file_is_loaded)
{
	char cert[512], next_cert[512], next_key[512], issuers[512], err[512] = "";
	struct rollover_files f = {0};
	const char *option = NULL, *file = NULL;

	testdata_path(cert, sizeof(cert), "mx1-chain.pem");
	testdata_path(next_cert, sizeof(next_cert), "other-chain.pem");
	testdata_path(next_key, sizeof(next_key), "next.key");
	testdata_path(issuers, sizeof(issuers), "inter.pem");
	f.cert_file = cert;
	f.issuers_file = issuers;
	ck_assert_int_eq(rollover_files_stage(&f, false, next_cert, err, sizeof(err)), 0);
	ck_assert_int_eq(rollover_files_stage(&f, true, next_key, err, sizeof(err)), 0);
	ck_assert_msg(rollover_files_load(&f, &option, &file, err, sizeof(err)) == CERT_LOAD_OK,
		      "%s", err);
	ck_assert_int_eq(sk_X509_num(f.cert_chain), 2);
	ck_assert_int_eq(sk_X509_num(f.next_chains[0]), 2);
	ck_assert_ptr_nonnull(f.next_keys[0]);
	ck_assert_int_eq(sk_X509_num(f.issuers), 1);
	ck_assert_uint_eq(f.issuers_total, 1);
	rollover_files_clear(&f);
	ck_assert_ptr_null(f.cert_chain);
	rollover_files_clear(&f); /* twice is harmless */
}
END_TEST

/* The first file that cannot be used: its option, its name, the status. */
static const struct {
	const char *cert, *next_key, *issuers; /* tests/data files, or absolute paths */
	const char *option;
	const char *file; /* the one named */
	enum cert_load_status st;
	const char *err; /* in the message */
} bad[] = {
    {"/nonexistent/chain.pem", "next.key", NULL, "--cert", "/nonexistent/chain.pem", CERT_LOAD_PEM,
     "cannot read /nonexistent/chain.pem"},
    {"mx1-chain.pem", "mx1.pem", NULL, "--next-key", "mx1.pem", CERT_LOAD_PEM,
     "no private or public key in"},
    {"mx1-chain.pem", "next.key", "mx1-chain.pem", "--issuers", "mx1-chain.pem", CERT_LOAD_NOT_CA,
     "is no CA certificate"},
    {"mx1-chain.pem", NULL, "/", "--issuers", "/", CERT_LOAD_FILE, "/: not a regular file"},
};

/* A tests/data file's path, or path itself when absolute. */
static const char *
path_of(const char *name, char *buf, size_t size)
{
	if (name == NULL)
		return NULL;
	if (name[0] == '/')
		snprintf(buf, size, "%s", name);
	else
		testdata_path(buf, size, name);
	return buf;
}

START_TEST(the_first_unusable_file_is_named_with_its_option)
{
	char cert[512], key[512], issuers[512], want[512], err[512] = "";
	struct rollover_files f = {0};
	const char *option = NULL, *file = NULL;

	f.cert_file = path_of(bad[_i].cert, cert, sizeof(cert));
	f.issuers_file = path_of(bad[_i].issuers, issuers, sizeof(issuers));
	if (bad[_i].next_key != NULL)
		ck_assert_int_eq(rollover_files_stage(&f, true,
						      path_of(bad[_i].next_key, key, sizeof(key)),
						      err, sizeof(err)),
				 0);
	ck_assert_int_eq(rollover_files_load(&f, &option, &file, err, sizeof(err)), bad[_i].st);
	ck_assert_str_eq(option, bad[_i].option);
	ck_assert_str_eq(file, path_of(bad[_i].file, want, sizeof(want)));
	ck_assert_msg(strstr(err, bad[_i].err) != NULL, "%s", err);
	rollover_files_clear(&f);
}
END_TEST

static Suite *
rollover_files_suite(void)
{
	Suite *s = suite_create("rollover_files");
	TCase *tc = tcase_create("files");

	tcase_add_test(tc, staged_files_are_bounded_per_kind);
	tcase_add_test(tc, every_file_is_loaded);
	tcase_add_loop_test(tc, the_first_unusable_file_is_named_with_its_option, 0,
			    (int)(sizeof(bad) / sizeof(bad[0])));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(rollover_files_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
