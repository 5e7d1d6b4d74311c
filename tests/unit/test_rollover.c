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

#include "verdict_rollover.h"
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
	ck_assert_msg(cert_load_chain_pem(path, &chain, err, sizeof(err)) == 0, "%s", err);
	return chain;
}

static EVP_PKEY *
load_key(const char *name)
{
	char path[512], err[256];
	EVP_PKEY *key = NULL;

	snprintf(path, sizeof(path), "%s/%s", TEST_DATA_DIR, name);
	ck_assert_msg(cert_load_pubkey_pem(path, &key, err, sizeof(err)) == 0, "%s", err);
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
	struct cert_info info;

	cert_describe(sk_X509_value(chain, 0), &info);
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
forecast(const struct mx_host *h, const struct verdict_rollover_peer *peers, size_t npeers,
	 const struct verdict_rollover_params *p)
{
	struct output *out = output_new("DANE_ROLLOVER");
	struct output_check *parent = output_add(out, NULL, STATE_OK, "%s", h->name);
	struct run r;

	struct verdict_rollover_soonest soonest = {0};

	verdict_rollover_host(h, peers, npeers, p, out, parent, &soonest);
	r.min_days = soonest.set ? soonest.days : NAN;
	r.state = output_state(out);
	r.text = output_render(out);
	output_free(out);
	return r;
}

static struct verdict_rollover_params
params_at(time_t now)
{
	struct verdict_rollover_params p;

	memset(&p, 0, sizeof(p));
	p.now = now;
	p.expiry.warn = (struct expiry_limit){.set = true, .value = 21};
	p.expiry.crit = (struct expiry_limit){.set = true, .value = 3};
	return p;
}

#define ASSERT_HAS(text, what)                                                                     \
	ck_assert_msg(strstr((text), (what)) != NULL, "no '%s' in:\n%s", (what), (text))
#define ASSERT_HASNT(text, what)                                                                   \
	ck_assert_msg(strstr((text), (what)) == NULL, "'%s' in:\n%s", (what), (text))

/* What a forecast case checks of min_days, besides the output. */
enum min_check {
	MIN_ANY,      /* not checked */
	MIN_ABOUT,    /* within 0.01 of min_days */
	MIN_NEGATIVE, /* below zero: expired */
};

/* A host, what its addresses present, the clock and what the forecast says. */
struct forecast_case {
	const char *name;
	struct {
		uint8_t usage, selector, mtype;
		const char *hex; /* tests/data file with the data; NULL ends */
	} records[3];
	struct {
		const char *label;
		const char *chain; /* tests/data file; NULL ends */
	} peers[3];
	double days;        /* "now" is this many days before the first chain's notAfter */
	double warn_days;   /* 0: 21 (params_at()) */
	bool stale_warning; /* --stale-warning */
	state_t state;
	const char *has[4]; /* in the output; NULL ends */
	const char *hasnt;  /* not in the output, or NULL */
	enum min_check min_check;
	double min_days;
};

static const struct forecast_case forecasts[] = {
    {"cert pin inside the window warns with the date",
     {{3, 0, 1, "mx1.cert-sha256.hex"}},
     {{"mx1.example.test.[127.0.1.1]", "mx1-chain.pem"}},
     5,
     0,
     false,
     STATE_WARNING,
     {"[WARNING] 3 0 1 ",
      "pins the certificate itself: any renewal breaks it (the certificate expires 2120-01-01; "
      "renewal overdue since 2086-",
      "certificate mx1.example.test expires 2120-01-01 (5 days)"},
     NULL,
     MIN_ABOUT,
     5},
    {"cert pin outside the window is a detail",
     {{3, 0, 1, "mx1.cert-sha256.hex"}},
     {{"mx1", "mx1-chain.pem"}},
     100,
     0,
     false,
     STATE_OK,
     {"[OK] 3 0 1 ", "pins the certificate itself"},
     NULL,
     MIN_ANY,
     0},
    {"expiry below critical is critical",
     {{3, 1, 1, "mx1.spki-sha256.hex"}},
     {{"mx1", "mx1-chain.pem"}},
     2,
     0,
     false,
     STATE_CRITICAL,
     {NULL},
     NULL,
     MIN_ANY,
     0},
    {"expired says so",
     {{3, 1, 1, "mx1.spki-sha256.hex"}},
     {{"mx1", "mx1-chain.pem"}},
     -3,
     0,
     false,
     STATE_CRITICAL,
     {"expired on 2120-01-01 (-3 days)"},
     NULL,
     MIN_NEGATIVE,
     0},
    {"only the current key record, inside the window: no next key published (warning)",
     {{3, 1, 1, "mx1.spki-sha256.hex"}},
     {{"mx1", "mx1-chain.pem"}},
     10,
     0,
     false,
     STATE_WARNING,
     {"[WARNING] renewal overdue since 2086-", ": no next-key record published",
      "matched by 3 1 1 "},
     NULL,
     MIN_ANY,
     0},
    {"only the current key record, outside the window: no next key published (detail)",
     {{3, 1, 1, "mx1.spki-sha256.hex"}},
     {{"mx1", "mx1-chain.pem"}},
     200,
     0,
     false,
     STATE_OK,
     {"[OK] renewal overdue since 2086-", ": no next-key record published"},
     NULL,
     MIN_ANY,
     0},
    {"current and next published is ok with the spare named",
     {{3, 1, 1, "mx1.spki-sha256.hex"}, {3, 1, 1, "next.spki-sha256.hex"}},
     {{"mx1", "mx1-chain.pem"}},
     10,
     7,
     false,
     STATE_OK,
     {"matches nothing presented: a pre-published next key, or a stale"},
     "no next-key record",
     MIN_ANY,
     0},
    {"current and next published, --stale-warning: the spare is a warning",
     {{3, 1, 1, "mx1.spki-sha256.hex"}, {3, 1, 1, "next.spki-sha256.hex"}},
     {{"mx1", "mx1-chain.pem"}},
     10,
     7,
     true,
     STATE_WARNING,
     {NULL},
     NULL,
     MIN_ANY,
     0},
    {"dane-ta names the intermediate and its expiry",
     {{2, 0, 1, "inter.cert-sha256.hex"}},
     {{"mx1", "mx1-chain.pem"}},
     10,
     0,
     false,
     STATE_WARNING,
     {"anchors on intermediate CA CN=DANE Lab Intermediate CA",
      "breaks DANE unless its sibling or successor CAs are published too", "matched by 2 0 1 ",
      "at depth 1"},
     NULL,
     MIN_ANY,
     0},
    {"addresses with different keys are a partial rollover",
     {{3, 1, 1, "mx1.spki-sha256.hex"}, {3, 1, 1, "other.spki-sha256.hex"}},
     {{"mx1[127.0.1.1]", "mx1-chain.pem"}, {"mx1[::1]", "other-chain.pem"}},
     100,
     0,
     false,
     STATE_WARNING,
     {"partial rollover: the addresses present 2 different keys (mx1[127.0.1.1] key ",
      "mx1[::1] key "},
     NULL,
     MIN_ANY,
     0},
    {"unmatched leaf says no record matches",
     {{3, 1, 1, "mx1.spki-sha256.hex"}},
     {{"mx1", "other-chain.pem"}},
     100,
     0,
     false,
     STATE_CRITICAL,
     {"[CRITICAL] mx1: certificate other.example.test expires",
      "no usable record matches it: DANE fails now"},
     NULL,
     MIN_ANY,
     0},
};

START_TEST(forecast_follows_the_rules)
{
	const struct forecast_case *fc = &forecasts[_i];
	STACK_OF(X509) * chains[3] = {NULL, NULL, NULL};
	struct verdict_rollover_peer peers[3];
	struct verdict_rollover_params p;
	struct mx_host h;
	struct run r;
	size_t i, npeers;

	for (npeers = 0; npeers < 3 && fc->peers[npeers].chain != NULL; npeers++) {
		chains[npeers] = load_chain(fc->peers[npeers].chain);
		peers[npeers] = (struct verdict_rollover_peer){fc->peers[npeers].label,
							       chains[npeers], TLS_KEY_ANY};
	}
	p = params_at(not_after(chains[0]) - (time_t)(fc->days * DAY));
	if (fc->warn_days > 0)
		p.expiry.warn.value = fc->warn_days;
	p.stale_warning = fc->stale_warning;
	host_init(&h);
	for (i = 0; i < 3 && fc->records[i].hex != NULL; i++)
		host_add(&h, fc->records[i].usage, fc->records[i].selector, fc->records[i].mtype,
			 fc->records[i].hex);
	r = forecast(&h, peers, npeers, &p);
	ck_assert_msg(r.state == fc->state, "%s: state %d, not %d:\n%s", fc->name, r.state,
		      fc->state, r.text);
	for (i = 0; i < 4 && fc->has[i] != NULL; i++)
		ASSERT_HAS(r.text, fc->has[i]);
	if (fc->hasnt != NULL)
		ASSERT_HASNT(r.text, fc->hasnt);
	if (fc->min_check == MIN_ABOUT)
		ck_assert(fabs(r.min_days - fc->min_days) < 0.01);
	else if (fc->min_check == MIN_NEGATIVE)
		ck_assert(r.min_days < 0);
	free(r.text);
	tlsa_set_free(&h.tlsa);
	for (i = 0; i < npeers; i++)
		sk_X509_pop_free(chains[i], X509_free);
}
END_TEST

START_TEST(unpublished_next_key_is_critical_and_prints_the_record)
{
	STACK_OF(X509) *chain = load_chain("mx1-chain.pem");
	struct verdict_rollover_peer peer = {"mx1", chain, TLS_KEY_ANY};
	EVP_PKEY *next = load_key("next.key");
	const char *names[] = {"next.key"};
	struct mx_host h;
	struct verdict_rollover_params p = params_at(not_after(chain) - 100 * DAY);
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
	struct verdict_rollover_peer peer = {"mx1", chain, TLS_KEY_ANY};
	EVP_PKEY *next = load_key("next.key");
	const char *names[] = {"next.key"};
	struct mx_host h;
	struct verdict_rollover_params p = params_at(not_after(chain) - 100 * DAY);
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
	struct verdict_rollover_peer peer = {"mx1", chain, TLS_KEY_ANY};
	const char *names[] = {"other-chain.pem"};
	struct mx_host h;
	struct verdict_rollover_params p = params_at(not_after(chain) - 100 * DAY);
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

static Suite *
rollover_suite(void)
{
	Suite *s = suite_create("rollover");
	TCase *tc = tcase_create("rollover");

	tcase_add_loop_test(tc, forecast_follows_the_rules, 0,
			    sizeof(forecasts) / sizeof(forecasts[0]));
	tcase_add_test(tc, unpublished_next_key_is_critical_and_prints_the_record);
	tcase_add_test(tc, published_next_key_is_ok_and_not_stale);
	tcase_add_test(tc, next_certificate_is_checked_against_the_records);
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
