/*
 * test_rollover.c -- the renewal forecast rules on fixed certificates
 * (tests/data) with an injected "now": no sleeping, no real clock.
 */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rollover.h"
#include "tls.h"

#ifndef TEST_DATA_DIR
#define TEST_DATA_DIR "tests/data"
#endif

#define DAY 86400

static STACK_OF(X509) * load_chain(const char *name)
{
	char path[512], err[256];
	STACK_OF(X509) *chain = NULL;

	snprintf(path, sizeof(path), "%s/%s", TEST_DATA_DIR, name);
	ck_assert_msg(tls_load_chain_pem(path, &chain, err, sizeof(err)) == 0, "%s", err);
	return chain;
}

static EVP_PKEY *
load_key(const char *name)
{
	char path[512], err[256];
	EVP_PKEY *key = NULL;

	snprintf(path, sizeof(path), "%s/%s", TEST_DATA_DIR, name);
	ck_assert_msg(tls_load_pubkey_pem(path, &key, err, sizeof(err)) == 0, "%s", err);
	return key;
}

/* Read a hex file from tests/data into bytes. */
static size_t
load_hex(const char *name, uint8_t *out, size_t outsize)
{
	char path[512], hex[300];
	FILE *f;
	size_t n = 0, i;

	snprintf(path, sizeof(path), "%s/%s", TEST_DATA_DIR, name);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(hex, sizeof(hex), f));
	fclose(f);
	for (i = 0; hex[i] && hex[i + 1] && hex[i] != '\n' && n < outsize; i += 2) {
		unsigned int v;

		sscanf(hex + i, "%2x", &v);
		out[n++] = (uint8_t)v;
	}
	return n;
}

/* notAfter of the first certificate of a chain. */
static time_t
not_after(STACK_OF(X509) * chain)
{
	struct tls_cert_info info;

	tls_cert_describe(sk_X509_value(chain, 0), &info);
	ck_assert(info.dates_ok);
	return info.not_after;
}

/* A host with records given as (usage, selector, mtype, hex file). */
static void
host_init(struct mx_host *h)
{
	memset(h, 0, sizeof(*h));
	snprintf(h->name, sizeof(h->name), "mx1.example.test.");
	snprintf(h->tlsa_qname, sizeof(h->tlsa_qname), "_25._tcp.mx1.example.test.");
}

static void
host_add(struct mx_host *h, uint8_t u, uint8_t s, uint8_t m, const char *hexfile)
{
	uint8_t d[64];
	size_t n = load_hex(hexfile, d, sizeof(d));

	ck_assert_int_eq(tlsa_set_add(&h->tlsa, u, s, m, d, n), 0);
	tlsa_set_judge(&h->tlsa);
}

struct run {
	char *text;
	state_t state;
	double min_days;
};

/* Run the forecast for h with peers and params, render the output. */
static struct run
forecast(const struct mx_host *h, const struct rollover_peer *peers, size_t npeers,
	 const struct rollover_params *p)
{
	struct output *out = output_new("DANE_ROLLOVER");
	struct output_check *parent = output_add(out, NULL, STATE_OK, "%s", h->name);
	struct run r;

	r.min_days = NAN;
	rollover_host(h, peers, npeers, p, out, parent, &r.min_days);
	r.state = output_state(out);
	r.text = output_render(out);
	output_free(out);
	return r;
}

static struct rollover_params
params_at(time_t now)
{
	struct rollover_params p;

	memset(&p, 0, sizeof(p));
	p.now = now;
	p.warn = rollover_days_range(21);
	p.crit = rollover_days_range(3);
	return p;
}

#define ASSERT_HAS(text, what)                                                                     \
	ck_assert_msg(strstr((text), (what)) != NULL, "no '%s' in:\n%s", (what), (text))
#define ASSERT_HASNT(text, what)                                                                   \
	ck_assert_msg(strstr((text), (what)) == NULL, "'%s' in:\n%s", (what), (text))

START_TEST(cert_pin_inside_the_window_warns_with_the_date)
{
	STACK_OF(X509) *chain = load_chain("mx1-chain.pem");
	struct rollover_peer peer = {"mx1.example.test.[127.0.1.1]", chain};
	struct mx_host h;
	struct rollover_params p = params_at(not_after(chain) - 5 * DAY);
	struct run r;

	host_init(&h);
	host_add(&h, 3, 0, 1, "mx1.cert-sha256.hex");
	r = forecast(&h, &peer, 1, &p);
	ck_assert_int_eq(r.state, STATE_WARNING);
	ASSERT_HAS(r.text, "[WARNING] 3 0 1 ");
	ASSERT_HAS(r.text, "pins the certificate itself: any renewal breaks it (the certificate "
			   "expires 2120-01-01)");
	ASSERT_HAS(r.text, "certificate mx1.example.test expires 2120-01-01 (5 days)");
	ck_assert(fabs(r.min_days - 5) < 0.01);
	free(r.text);
	tlsa_set_free(&h.tlsa);
	sk_X509_pop_free(chain, X509_free);
}
END_TEST

START_TEST(cert_pin_outside_the_window_is_a_detail)
{
	STACK_OF(X509) *chain = load_chain("mx1-chain.pem");
	struct rollover_peer peer = {"mx1", chain};
	struct mx_host h;
	struct rollover_params p = params_at(not_after(chain) - 100 * DAY);
	struct run r;

	host_init(&h);
	host_add(&h, 3, 0, 1, "mx1.cert-sha256.hex");
	r = forecast(&h, &peer, 1, &p);
	ck_assert_int_eq(r.state, STATE_OK);
	ASSERT_HAS(r.text, "[OK] 3 0 1 ");
	ASSERT_HAS(r.text, "pins the certificate itself");
	free(r.text);
	tlsa_set_free(&h.tlsa);
	sk_X509_pop_free(chain, X509_free);
}
END_TEST

START_TEST(expiry_below_critical_is_critical_and_expired_says_so)
{
	STACK_OF(X509) *chain = load_chain("mx1-chain.pem");
	struct rollover_peer peer = {"mx1", chain};
	struct mx_host h;
	struct rollover_params p = params_at(not_after(chain) - 2 * DAY);
	struct run r;

	host_init(&h);
	host_add(&h, 3, 1, 1, "mx1.spki-sha256.hex");
	r = forecast(&h, &peer, 1, &p);
	ck_assert_int_eq(r.state, STATE_CRITICAL);
	free(r.text);
	p.now = not_after(chain) + 3 * DAY;
	r = forecast(&h, &peer, 1, &p);
	ck_assert_int_eq(r.state, STATE_CRITICAL);
	ASSERT_HAS(r.text, "expired on 2120-01-01 (-3 days)");
	ck_assert(r.min_days < 0);
	free(r.text);
	tlsa_set_free(&h.tlsa);
	sk_X509_pop_free(chain, X509_free);
}
END_TEST

START_TEST(only_current_key_record_means_no_next_key_published)
{
	STACK_OF(X509) *chain = load_chain("mx1-chain.pem");
	struct rollover_peer peer = {"mx1", chain};
	struct mx_host h;
	struct rollover_params p = params_at(not_after(chain) - 10 * DAY);
	struct run r;

	host_init(&h);
	host_add(&h, 3, 1, 1, "mx1.spki-sha256.hex");
	r = forecast(&h, &peer, 1, &p);
	ck_assert_int_eq(r.state, STATE_WARNING);
	ASSERT_HAS(r.text, "[WARNING] no next-key record published");
	ASSERT_HAS(r.text, "matched by 3 1 1 ");
	free(r.text);
	p.now = not_after(chain) - 200 * DAY;
	r = forecast(&h, &peer, 1, &p);
	ck_assert_int_eq(r.state, STATE_OK);
	ASSERT_HAS(r.text, "[OK] no next-key record published");
	free(r.text);
	tlsa_set_free(&h.tlsa);
	sk_X509_pop_free(chain, X509_free);
}
END_TEST

START_TEST(current_and_next_published_is_ok_with_the_spare_named)
{
	STACK_OF(X509) *chain = load_chain("mx1-chain.pem");
	struct rollover_peer peer = {"mx1", chain};
	struct mx_host h;
	struct rollover_params p = params_at(not_after(chain) - 10 * DAY);
	struct run r;

	p.warn = rollover_days_range(7);
	host_init(&h);
	host_add(&h, 3, 1, 1, "mx1.spki-sha256.hex");
	host_add(&h, 3, 1, 1, "next.spki-sha256.hex");
	r = forecast(&h, &peer, 1, &p);
	ck_assert_int_eq(r.state, STATE_OK);
	ASSERT_HASNT(r.text, "no next-key record");
	ASSERT_HAS(r.text, "matches nothing presented: a pre-published next key, or a stale");
	free(r.text);
	p.stale_warning = true;
	r = forecast(&h, &peer, 1, &p);
	ck_assert_int_eq(r.state, STATE_WARNING);
	free(r.text);
	tlsa_set_free(&h.tlsa);
	sk_X509_pop_free(chain, X509_free);
}
END_TEST

START_TEST(unpublished_next_key_is_critical_and_prints_the_record)
{
	STACK_OF(X509) *chain = load_chain("mx1-chain.pem");
	struct rollover_peer peer = {"mx1", chain};
	EVP_PKEY *next = load_key("next.key");
	const char *names[] = {"next.key"};
	struct mx_host h;
	struct rollover_params p = params_at(not_after(chain) - 100 * DAY);
	char want[200], hex[130];
	struct run r;
	FILE *f;

	p.next_keys = &next;
	p.next_key_names = names;
	p.nnext_keys = 1;
	host_init(&h);
	host_add(&h, 3, 1, 1, "mx1.spki-sha256.hex");
	r = forecast(&h, &peer, 1, &p);
	ck_assert_int_eq(r.state, STATE_CRITICAL);
	f = fopen(TEST_DATA_DIR "/next.spki-sha256.hex", "r");
	ck_assert_ptr_nonnull(fgets(hex, sizeof(hex), f));
	fclose(f);
	hex[strcspn(hex, "\n")] = '\0';
	snprintf(want, sizeof(want), "publish _25._tcp.mx1.example.test. IN TLSA 3 1 1 %s", hex);
	ASSERT_HAS(r.text, want);
	ASSERT_HAS(r.text, "next key next.key is not published");
	free(r.text);
	tlsa_set_free(&h.tlsa);
	EVP_PKEY_free(next);
	sk_X509_pop_free(chain, X509_free);
}
END_TEST

START_TEST(published_next_key_is_ok_and_not_stale)
{
	STACK_OF(X509) *chain = load_chain("mx1-chain.pem");
	struct rollover_peer peer = {"mx1", chain};
	EVP_PKEY *next = load_key("next.key");
	const char *names[] = {"next.key"};
	struct mx_host h;
	struct rollover_params p = params_at(not_after(chain) - 100 * DAY);
	struct run r;

	p.next_keys = &next;
	p.next_key_names = names;
	p.nnext_keys = 1;
	p.stale_warning = true;
	host_init(&h);
	host_add(&h, 3, 1, 1, "mx1.spki-sha256.hex");
	host_add(&h, 3, 1, 1, "next.spki-sha256.hex");
	r = forecast(&h, &peer, 1, &p);
	ck_assert_int_eq(r.state, STATE_OK);
	ASSERT_HAS(r.text, "[OK] next key next.key already published");
	ASSERT_HASNT(r.text, "matches nothing presented");
	free(r.text);
	tlsa_set_free(&h.tlsa);
	EVP_PKEY_free(next);
	sk_X509_pop_free(chain, X509_free);
}
END_TEST

START_TEST(next_certificate_is_checked_against_the_records)
{
	STACK_OF(X509) *chain = load_chain("mx1-chain.pem");
	STACK_OF(X509) *next = load_chain("other-chain.pem");
	struct rollover_peer peer = {"mx1", chain};
	const char *names[] = {"other-chain.pem"};
	struct mx_host h;
	struct rollover_params p = params_at(not_after(chain) - 100 * DAY);
	struct run r;

	p.next_chains = &next;
	p.next_chain_names = names;
	p.nnext_chains = 1;
	host_init(&h);
	host_add(&h, 3, 1, 1, "mx1.spki-sha256.hex");
	r = forecast(&h, &peer, 1, &p);
	ck_assert_int_eq(r.state, STATE_CRITICAL);
	ASSERT_HAS(r.text, "next certificate other-chain.pem matches no published record");
	free(r.text);
	/* a DANE-TA record for the shared intermediate covers the next certificate */
	host_add(&h, 2, 0, 1, "inter.cert-sha256.hex");
	r = forecast(&h, &peer, 1, &p);
	ck_assert_int_eq(r.state, STATE_OK);
	ASSERT_HAS(r.text, "next certificate other-chain.pem already matched");
	free(r.text);
	tlsa_set_free(&h.tlsa);
	sk_X509_pop_free(next, X509_free);
	sk_X509_pop_free(chain, X509_free);
}
END_TEST

START_TEST(dane_ta_names_the_intermediate_and_its_expiry)
{
	STACK_OF(X509) *chain = load_chain("mx1-chain.pem");
	struct rollover_peer peer = {"mx1", chain};
	struct mx_host h;
	struct rollover_params p = params_at(not_after(chain) - 10 * DAY);
	struct run r;

	host_init(&h);
	host_add(&h, 2, 0, 1, "inter.cert-sha256.hex");
	r = forecast(&h, &peer, 1, &p);
	ck_assert_int_eq(r.state, STATE_WARNING);
	ASSERT_HAS(r.text, "anchors on intermediate CA CN=DANE Lab Intermediate CA");
	ASSERT_HAS(r.text, "breaks DANE unless its sibling or successor CAs are published too");
	ASSERT_HAS(r.text, "matched by 2 0 1 ");
	ASSERT_HAS(r.text, "at depth 1");
	free(r.text);
	tlsa_set_free(&h.tlsa);
	sk_X509_pop_free(chain, X509_free);
}
END_TEST

START_TEST(addresses_with_different_keys_are_a_partial_rollover)
{
	STACK_OF(X509) *a = load_chain("mx1-chain.pem"), *b = load_chain("other-chain.pem");
	struct rollover_peer peers[2] = {{"mx1[127.0.1.1]", a}, {"mx1[::1]", b}};
	struct mx_host h;
	struct rollover_params p = params_at(not_after(a) - 100 * DAY);
	struct run r;

	host_init(&h);
	host_add(&h, 3, 1, 1, "mx1.spki-sha256.hex");
	host_add(&h, 3, 1, 1, "other.spki-sha256.hex");
	r = forecast(&h, peers, 2, &p);
	ck_assert_int_eq(r.state, STATE_WARNING);
	ASSERT_HAS(r.text,
		   "partial rollover: the addresses present 2 different keys (mx1[127.0.1.1] key ");
	ASSERT_HAS(r.text, "mx1[::1] key ");
	free(r.text);
	tlsa_set_free(&h.tlsa);
	sk_X509_pop_free(a, X509_free);
	sk_X509_pop_free(b, X509_free);
}
END_TEST

START_TEST(unmatched_leaf_says_no_record_matches)
{
	STACK_OF(X509) *chain = load_chain("other-chain.pem");
	struct rollover_peer peer = {"mx1", chain};
	struct mx_host h;
	struct rollover_params p = params_at(not_after(chain) - 100 * DAY);
	struct run r;

	host_init(&h);
	host_add(&h, 3, 1, 1, "mx1.spki-sha256.hex");
	r = forecast(&h, &peer, 1, &p);
	ck_assert_int_eq(r.state, STATE_CRITICAL);
	ASSERT_HAS(r.text, "[CRITICAL] mx1: certificate other.example.test expires");
	ASSERT_HAS(r.text, "no usable record matches it: DANE fails now");
	free(r.text);
	tlsa_set_free(&h.tlsa);
	sk_X509_pop_free(chain, X509_free);
}
END_TEST

START_TEST(dates_are_printed_in_utc)
{
	char buf[32];

	ck_assert_str_eq(rollover_date(0, buf, sizeof(buf)), "1970-01-01");
	ck_assert_str_eq(rollover_date(1795344000, buf, sizeof(buf)), "2026-11-22");
}
END_TEST

static Suite *
rollover_suite(void)
{
	Suite *s = suite_create("rollover");
	TCase *tc = tcase_create("rollover");

	tcase_add_test(tc, cert_pin_inside_the_window_warns_with_the_date);
	tcase_add_test(tc, cert_pin_outside_the_window_is_a_detail);
	tcase_add_test(tc, expiry_below_critical_is_critical_and_expired_says_so);
	tcase_add_test(tc, only_current_key_record_means_no_next_key_published);
	tcase_add_test(tc, current_and_next_published_is_ok_with_the_spare_named);
	tcase_add_test(tc, unpublished_next_key_is_critical_and_prints_the_record);
	tcase_add_test(tc, published_next_key_is_ok_and_not_stale);
	tcase_add_test(tc, next_certificate_is_checked_against_the_records);
	tcase_add_test(tc, dane_ta_names_the_intermediate_and_its_expiry);
	tcase_add_test(tc, addresses_with_different_keys_are_a_partial_rollover);
	tcase_add_test(tc, unmatched_leaf_says_no_record_matches);
	tcase_add_test(tc, dates_are_printed_in_utc);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(rollover_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
