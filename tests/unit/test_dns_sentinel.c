/*
 * test_dns_sentinel.c -- the root key sentinel (RFC 8509): the query names
 * (five-digit key tags) and the reading of the is-ta and not-ta answers, the
 * four combinations of RFC 8509's table and the answers that prove nothing.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "dns_sentinel.h"

static const struct {
	unsigned int tag;
	bool is_ta;
	const char *base, *name;
} names[] = {
    {38696, true, "sentinel.example.", "root-key-sentinel-is-ta-38696.sentinel.example."},
    {20326, false, "sentinel.example", "root-key-sentinel-not-ta-20326.sentinel.example."},
    {42, true, "example.", "root-key-sentinel-is-ta-00042.example."},
    {0, false, ".", "root-key-sentinel-not-ta-00000."},
    {65535, true, "", "root-key-sentinel-is-ta-65535."},
};

START_TEST(names_carry_five_digits)
{
	char dst[128];

	ck_assert_int_eq(
	    dns_sentinel_name(names[_i].tag, names[_i].is_ta, names[_i].base, dst, sizeof(dst)), 0);
	ck_assert_str_eq(dst, names[_i].name);
}
END_TEST

START_TEST(names_that_do_not_fit_are_refused)
{
	char dst[16];

	ck_assert_int_eq(dns_sentinel_name(38696, true, "example.", dst, sizeof(dst)), -1);
	ck_assert_int_eq(dns_sentinel_name(65536, true, ".", dst, sizeof(dst)), -1);
}
END_TEST

/* The kinds of answer a sentinel query gets. */
static const struct dns_answer data = {.cls = DNS_SECURE, .secure = true};
static const struct dns_answer data_no_ad = {.cls = DNS_INSECURE};
static const struct dns_answer servfail_bogus = {.cls = DNS_BOGUS};
static const struct dns_answer servfail = {.cls = DNS_ERROR, .error = DNS_ERR_SERVFAIL};
static const struct dns_answer denial = {.cls = DNS_NONEXISTENT, .secure = true};
static const struct dns_answer denial_no_ad = {.cls = DNS_NONEXISTENT};
static const struct dns_answer timeout = {.cls = DNS_ERROR, .error = DNS_ERR_TIMEOUT};
static const struct dns_answer refused = {.cls = DNS_ERROR, .error = DNS_ERR_REFUSED};

static const struct {
	const char *rule;
	const struct dns_answer *is_ta, *not_ta;
	enum dns_sentinel reading;
} readings[] = {
    /* RFC 8509's table (section 4): Vnew, Vold, Vleg; nonV answers all three */
    {"A, SERVFAIL: the key is a trust anchor (Vnew)", &data, &servfail_bogus, DNS_SENTINEL_TRUSTED},
    {"SERVFAIL, A: it is not (Vold)", &servfail_bogus, &data, DNS_SENTINEL_NOT_TRUSTED},
    {"A, A: no sentinel support (Vleg)", &data, &data, DNS_SENTINEL_UNSUPPORTED},
    {"A, A without AD: not validating (nonV), no sentinel either", &data_no_ad, &data_no_ad,
     DNS_SENTINEL_UNSUPPORTED},
    {"SERVFAIL, SERVFAIL: the names fail altogether", &servfail_bogus, &servfail_bogus,
     DNS_SENTINEL_INCONCLUSIVE},
    /* SERVFAIL also with CD is a SERVFAIL too */
    {"A, SERVFAIL also with CD: trusted", &data, &servfail, DNS_SENTINEL_TRUSTED},
    {"SERVFAIL also with CD, A: not trusted", &servfail, &data, DNS_SENTINEL_NOT_TRUSTED},
    /* unbound applies the sentinel to validated denials as well */
    {"a validated denial, SERVFAIL: trusted", &denial, &servfail_bogus, DNS_SENTINEL_TRUSTED},
    {"SERVFAIL, a validated denial: not trusted", &servfail_bogus, &denial,
     DNS_SENTINEL_NOT_TRUSTED},
    {"a denial for both: no data for the sentinel labels", &denial, &denial,
     DNS_SENTINEL_INCONCLUSIVE},
    {"an unvalidated denial proves nothing", &servfail_bogus, &denial_no_ad,
     DNS_SENTINEL_INCONCLUSIVE},
    {"no answer proves nothing", &timeout, &servfail, DNS_SENTINEL_INCONCLUSIVE},
    {"REFUSED proves nothing", &data, &refused, DNS_SENTINEL_INCONCLUSIVE},
};

START_TEST(answers_are_read_as_rfc_8509_says)
{
	ck_assert_msg(dns_sentinel_read(readings[_i].is_ta, readings[_i].not_ta) ==
			  readings[_i].reading,
		      "%s", readings[_i].rule);
}
END_TEST

START_TEST(the_root_keys_have_names)
{
	ck_assert_str_eq(dns_sentinel_key_name(20326), "KSK-2017");
	ck_assert_str_eq(dns_sentinel_key_name(38696), "KSK-2024");
	ck_assert_ptr_null(dns_sentinel_key_name(4711));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("dns_sentinel");
	TCase *tc = tcase_create("dns_sentinel");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, names_carry_five_digits, 0, sizeof(names) / sizeof(names[0]));
	tcase_add_test(tc, names_that_do_not_fit_are_refused);
	tcase_add_loop_test(tc, answers_are_read_as_rfc_8509_says, 0,
			    sizeof(readings) / sizeof(readings[0]));
	tcase_add_test(tc, the_root_keys_have_names);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
