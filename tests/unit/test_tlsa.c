/*
 * test_tlsa.c -- TLSA record verdicts (RFC 6698, 7671, 7672). The MX RRset
 * rules (ordering, null MX) are in test_mx.c.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "tlsa.h"

static const uint8_t d32[32] = {0x4f, 0x1c, 1,  2,  3,  4,  5,  6,  7,    8,   9,
				10,   11,   12, 13, 14, 15, 16, 17, 18,   19,  20,
				21,   22,   23, 24, 25, 26, 27, 28, 0xe2, 0xe3};
static const uint8_t d64[64] = {1, 2, 3};

/* Verdict of a set made of one record. */
static enum tlsa_verdict
verdict_of(uint8_t u, uint8_t s, uint8_t m, const uint8_t *data, size_t len)
{
	struct tlsa_set set = {0};
	enum tlsa_verdict v;

	ck_assert_int_eq(tlsa_set_add(&set, u, s, m, data, len), 0);
	tlsa_set_judge(&set);
	v = set.records[0].verdict;
	ck_assert_uint_eq(set.usable, v == TLSA_USABLE ? 1 : 0);
	tlsa_set_clear(&set);
	return v;
}

START_TEST(dane_ee_and_dane_ta_digests_are_usable)
{
	uint8_t u, s;

	for (u = 2; u <= 3; u++)
		for (s = 0; s <= 1; s++) {
			ck_assert_int_eq(verdict_of(u, s, 1, d32, 32), TLSA_USABLE);
			ck_assert_int_eq(verdict_of(u, s, 2, d64, 64), TLSA_USABLE);
		}
}
END_TEST

START_TEST(pkix_usages_are_unusable_for_smtp)
{
	uint8_t s, m;

	for (s = 0; s <= 1; s++)
		for (m = 1; m <= 2; m++) {
			ck_assert_int_eq(verdict_of(0, s, m, m == 1 ? d32 : d64, m == 1 ? 32 : 64),
					 TLSA_UNUSABLE_PKIX);
			ck_assert_int_eq(verdict_of(1, s, m, m == 1 ? d32 : d64, m == 1 ? 32 : 64),
					 TLSA_UNUSABLE_PKIX);
		}
}
END_TEST

/* One record on its own, and the verdict it gets. */
struct verdict_case {
	uint8_t u, s, m;
	const uint8_t *data;
	size_t len;
	enum tlsa_verdict want;
};

static void
assert_verdict(const struct verdict_case *c)
{
	ck_assert_msg(verdict_of(c->u, c->s, c->m, c->data, c->len) == c->want,
		      "%u %u %u (%zu bytes): want verdict %d", c->u, c->s, c->m, c->len,
		      (int)c->want);
}

static const struct verdict_case unknown_parameters[] = {
    {4, 1, 1, d32, 32, TLSA_UNUSABLE_USAGE},    {255, 1, 1, d32, 32, TLSA_UNUSABLE_USAGE},
    {3, 2, 1, d32, 32, TLSA_UNUSABLE_SELECTOR}, {3, 255, 1, d32, 32, TLSA_UNUSABLE_SELECTOR},
    {3, 1, 3, d32, 32, TLSA_UNUSABLE_MTYPE},    {3, 1, 255, d32, 32, TLSA_UNUSABLE_MTYPE},
};

START_TEST(unknown_parameters_are_unusable)
{
	assert_verdict(&unknown_parameters[_i]);
}
END_TEST

static const struct verdict_case wrong_lengths[] = {
    {3, 1, 1, d32, 31, TLSA_UNUSABLE_LENGTH},
    {3, 1, 1, d64, 64, TLSA_UNUSABLE_LENGTH},
    {3, 1, 2, d32, 32, TLSA_UNUSABLE_LENGTH},
    {2, 0, 2, d64, 63, TLSA_UNUSABLE_LENGTH},
};

START_TEST(digests_of_the_wrong_length_are_unusable)
{
	assert_verdict(&wrong_lengths[_i]);
}
END_TEST

START_TEST(digest_length_follows_the_matching_type)
{
	ck_assert_uint_eq(tlsa_mtype_length(1), 32);
	ck_assert_uint_eq(tlsa_mtype_length(2), 64);
	ck_assert_uint_eq(tlsa_mtype_length(0), 0);
	ck_assert_uint_eq(TLSA_DIGEST_MAX, tlsa_mtype_length(2));
}
END_TEST

static const struct verdict_case empty_data[] = {
    {3, 1, 1, NULL, 0, TLSA_UNUSABLE_EMPTY},
    {3, 1, 0, NULL, 0, TLSA_UNUSABLE_EMPTY},
};

START_TEST(empty_data_is_unusable)
{
	assert_verdict(&empty_data[_i]);
}
END_TEST

/* The one PKIX rule, which the handshake (tls.c) applies too. */
START_TEST(only_usages_0_and_1_are_pkix)
{
	unsigned int u;

	for (u = 0; u <= 255; u++)
		ck_assert_msg(tlsa_usage_is_pkix((uint8_t)u) == (u <= 1), "usage %u", u);
}
END_TEST

START_TEST(records_are_equal_when_every_field_and_the_data_are)
{
	const struct tlsa_rdata a = {3, 1, 1, d32, 32}, same = {3, 1, 1, d32, 32};
	const struct tlsa_rdata usage = {2, 1, 1, d32, 32}, selector = {3, 0, 1, d32, 32};
	const struct tlsa_rdata mtype = {3, 1, 2, d32, 32}, data = {3, 1, 1, d64, 32};
	const struct tlsa_rdata shorter = {3, 1, 1, d32, 31}, empty = {3, 1, 1, NULL, 0};

	ck_assert(tlsa_rdata_equal(&a, &same));
	ck_assert(tlsa_rdata_equal(&empty, &empty));
	ck_assert(!tlsa_rdata_equal(&a, &usage));
	ck_assert(!tlsa_rdata_equal(&a, &selector));
	ck_assert(!tlsa_rdata_equal(&a, &mtype));
	ck_assert(!tlsa_rdata_equal(&a, &data));
	ck_assert(!tlsa_rdata_equal(&a, &shorter));
	ck_assert(!tlsa_rdata_equal(&a, &empty));
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* DER of a fresh EC public key (SPKI) and of a self-signed cert with it. */
static void
make_der(uint8_t **spki, int *spki_len, uint8_t **cert, int *cert_len)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509 *x = X509_new();

	ck_assert_ptr_nonnull(key);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
				   (const unsigned char *)"mx.example.test", -1, -1, 0);
	X509_set_issuer_name(x, X509_get_subject_name(x));
	X509_set_pubkey(x, key);
	ck_assert_int_gt(X509_sign(x, key, EVP_sha256()), 0);
	*spki = NULL;
	*cert = NULL;
	*spki_len = i2d_PUBKEY(key, spki);
	*cert_len = i2d_X509(x, cert);
	ck_assert_int_gt(*spki_len, 0);
	ck_assert_int_gt(*cert_len, 0);
	X509_free(x);
	EVP_PKEY_free(key);
}

START_TEST(full_data_must_parse_as_what_the_selector_says)
{
	uint8_t *spki, *cert;
	int spki_len, cert_len;

	make_der(&spki, &spki_len, &cert, &cert_len);
	ck_assert_int_eq(verdict_of(3, 1, 0, spki, (size_t)spki_len), TLSA_USABLE);
	ck_assert_int_eq(verdict_of(3, 0, 0, cert, (size_t)cert_len), TLSA_USABLE);
	ck_assert_int_eq(verdict_of(2, 0, 0, cert, (size_t)cert_len), TLSA_USABLE);
	/* swapped, truncated, trailing garbage */
	ck_assert_int_eq(verdict_of(3, 0, 0, spki, (size_t)spki_len), TLSA_UNUSABLE_MALFORMED);
	ck_assert_int_eq(verdict_of(3, 1, 0, cert, (size_t)cert_len), TLSA_UNUSABLE_MALFORMED);
	ck_assert_int_eq(verdict_of(3, 1, 0, spki, (size_t)spki_len - 1), TLSA_UNUSABLE_MALFORMED);
	ck_assert_int_eq(verdict_of(3, 1, 0, d32, 32), TLSA_UNUSABLE_MALFORMED);
	OPENSSL_free(spki);
	OPENSSL_free(cert);
}
END_TEST

START_TEST(stronger_digest_shadows_weaker_for_same_usage_and_selector)
{
	struct tlsa_set set = {0};

	tlsa_set_add(&set, 3, 1, 1, d32, 32);
	tlsa_set_add(&set, 3, 1, 2, d64, 64);
	tlsa_set_add(&set, 3, 0, 1, d32, 32); /* other selector: not shadowed */
	tlsa_set_add(&set, 2, 1, 1, d32, 32); /* other usage: not shadowed */
	tlsa_set_judge(&set);
	ck_assert_int_eq(set.records[0].verdict, TLSA_SHADOWED);
	ck_assert_int_eq(set.records[1].verdict, TLSA_USABLE);
	ck_assert_int_eq(set.records[2].verdict, TLSA_USABLE);
	ck_assert_int_eq(set.records[3].verdict, TLSA_USABLE);
	ck_assert_uint_eq(set.usable, 3);
	tlsa_set_clear(&set);
}
END_TEST

START_TEST(unusable_stronger_digest_does_not_shadow)
{
	struct tlsa_set set = {0};

	tlsa_set_add(&set, 3, 1, 1, d32, 32);
	tlsa_set_add(&set, 3, 1, 2, d32, 32); /* wrong length: rejected, no agility */
	tlsa_set_judge(&set);
	ck_assert_int_eq(set.records[0].verdict, TLSA_USABLE);
	ck_assert_int_eq(set.records[1].verdict, TLSA_UNUSABLE_LENGTH);
	tlsa_set_clear(&set);
}
END_TEST

START_TEST(full_data_is_never_shadowed)
{
	struct tlsa_set set = {0};
	uint8_t *spki, *cert;
	int spki_len, cert_len;

	make_der(&spki, &spki_len, &cert, &cert_len);
	tlsa_set_add(&set, 3, 1, 0, spki, (size_t)spki_len);
	tlsa_set_add(&set, 3, 1, 2, d64, 64);
	tlsa_set_judge(&set);
	ck_assert_int_eq(set.records[0].verdict, TLSA_USABLE);
	ck_assert_int_eq(set.records[1].verdict, TLSA_USABLE);
	tlsa_set_clear(&set);
	OPENSSL_free(spki);
	OPENSSL_free(cert);
}
END_TEST

START_TEST(duplicates_are_reported_once)
{
	struct tlsa_set set = {0};

	tlsa_set_add(&set, 3, 1, 1, d32, 32);
	tlsa_set_add(&set, 3, 1, 1, d32, 32);
	tlsa_set_add(&set, 3, 1, 1, d64, 32); /* other data: fine */
	tlsa_set_judge(&set);
	ck_assert_int_eq(set.records[0].verdict, TLSA_USABLE);
	ck_assert_int_eq(set.records[1].verdict, TLSA_DUPLICATE);
	ck_assert_int_eq(set.records[2].verdict, TLSA_USABLE);
	ck_assert(tlsa_set_has_duplicates(&set));
	ck_assert_uint_eq(set.usable, 2);
	tlsa_set_clear(&set);
}
END_TEST

static ldns_rr_list *
rrs_from(const char *const *lines, size_t n)
{
	ldns_rr_list *list = ldns_rr_list_new();
	size_t i;

	for (i = 0; i < n; i++) {
		ldns_rr *rr = NULL;

		ck_assert_msg(ldns_rr_new_frm_str(&rr, lines[i], 0, NULL, NULL) == LDNS_STATUS_OK,
			      "cannot parse %s", lines[i]);
		ldns_rr_list_push_rr(list, rr);
	}
	return list;
}

START_TEST(records_are_parsed_from_dns_data)
{
	const char *lines[] = {
	    "_25._tcp.mx.example.test. 300 IN TLSA 3 1 1 "
	    "4f1c0102030405060708090a0b0c0d0e0f101112131415161718191a1b1ce2e3",
	    "_25._tcp.mx.example.test. 300 IN TLSA 1 1 1 "
	    "4f1c0102030405060708090a0b0c0d0e0f101112131415161718191a1b1ce2e3",
	    "_25._tcp.mx.example.test. 300 IN TLSA 3 1 1 00ff",
	    "mx.example.test. 300 IN A 192.0.2.1",
	};
	ldns_rr_list *rrs = rrs_from(lines, 4);
	struct tlsa_set set = {0};
	char text[128];

	ck_assert_int_eq(tlsa_set_from_rrs(&set, rrs), 0);
	ck_assert_uint_eq(set.n, 3);
	ck_assert_uint_eq(set.usable, 1);
	ck_assert_int_eq(set.records[0].verdict, TLSA_USABLE);
	ck_assert_int_eq(set.records[1].verdict, TLSA_UNUSABLE_PKIX);
	ck_assert_int_eq(set.records[2].verdict, TLSA_UNUSABLE_LENGTH);
	ck_assert_mem_eq(set.records[0].rd.data, d32, 32);
	tlsa_format(&set.records[0].rd, text, sizeof(text), 0);
	ck_assert_str_eq(text,
			 "3 1 1 4f1c0102030405060708090a0b0c0d0e0f101112131415161718191a1b1ce2e3");
	tlsa_format(&set.records[0].rd, text, sizeof(text), 16);
	ck_assert_str_eq(text, "3 1 1 4f1c01...1ce2e3");
	tlsa_set_clear(&set);
	ldns_rr_list_deep_free(rrs);
}
END_TEST

START_TEST(shortened_format_never_writes_past_the_buffer)
{
	static const uint8_t d[5] = {0x22, 0x22, 0xcd, 0, 0x22};
	const struct tlsa_rdata rd = {0, 0, 0, d, 5};
	char buf[32];
	size_t size, n;

	for (size = 1; size < sizeof(buf); size++) {
		memset(buf, 'Z', sizeof(buf));
		n = tlsa_format(&rd, buf, size, 8);
		ck_assert_uint_lt(n, size);
		ck_assert_uint_eq(strlen(buf), n);
		ck_assert_int_eq(buf[size], 'Z');
	}
}
END_TEST

START_TEST(names_follow_rfc_7218)
{
	ck_assert_str_eq(tlsa_usage_name(2), "DANE-TA");
	ck_assert_str_eq(tlsa_usage_name(3), "DANE-EE");
	ck_assert_str_eq(tlsa_selector_name(1), "SPKI");
	ck_assert_str_eq(tlsa_selector_name(0), "Cert");
	ck_assert_str_eq(tlsa_mtype_name(1), "SHA2-256");
	ck_assert_str_eq(tlsa_mtype_name(2), "SHA2-512");
	ck_assert_str_eq(tlsa_mtype_name(0), "Full");
}
END_TEST

static Suite *
tlsa_suite(void)
{
	Suite *s = suite_create("tlsa");
	TCase *tc = tcase_create("tlsa");

	tcase_add_test(tc, dane_ee_and_dane_ta_digests_are_usable);
	tcase_add_test(tc, pkix_usages_are_unusable_for_smtp);
	tcase_add_loop_test(tc, unknown_parameters_are_unusable, 0, N(unknown_parameters));
	tcase_add_loop_test(tc, digests_of_the_wrong_length_are_unusable, 0, N(wrong_lengths));
	tcase_add_test(tc, digest_length_follows_the_matching_type);
	tcase_add_loop_test(tc, empty_data_is_unusable, 0, N(empty_data));
	tcase_add_test(tc, only_usages_0_and_1_are_pkix);
	tcase_add_test(tc, records_are_equal_when_every_field_and_the_data_are);
	tcase_add_test(tc, full_data_must_parse_as_what_the_selector_says);
	tcase_add_test(tc, stronger_digest_shadows_weaker_for_same_usage_and_selector);
	tcase_add_test(tc, unusable_stronger_digest_does_not_shadow);
	tcase_add_test(tc, full_data_is_never_shadowed);
	tcase_add_test(tc, duplicates_are_reported_once);
	tcase_add_test(tc, records_are_parsed_from_dns_data);
	tcase_add_test(tc, shortened_format_never_writes_past_the_buffer);
	tcase_add_test(tc, names_follow_rfc_7218);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(tlsa_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
