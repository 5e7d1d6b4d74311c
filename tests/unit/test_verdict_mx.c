/*
 * test_verdict_mx.c -- the mx verdicts on facts, no network (table-driven):
 * the domain-level outcome of the MX walk, each host's addresses and TLSA
 * RRset, each TLSA record, the addresses left out of probing, and the status
 * line of check_tlsa. Facts are built by hand as mx_walk() would leave them.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mx.h"
#include "probe.h"
#include "tlsa.h"
#include "verdict.h"
#include "verdict_test.h"

#define DOMAIN   "example.org."
#define MX1      "mx1.example.org."
#define MX2      "mx2.example.org."
#define QNAME1   "_25._tcp.mx1.example.org."
#define RESOLVER "127.0.0.1@53"

/* --- building the facts -------------------------------------------------- */

/* A result of status for DOMAIN, as mx_walk() leaves it (no trust problem). */
static struct mx_result *
result_new(enum mx_status status)
{
	struct mx_result *r = calloc(1, sizeof(*r));

	ck_assert_ptr_nonnull(r);
	r->status = status;
	snprintf(r->domain, sizeof(r->domain), "%s", DOMAIN);
	r->trust.algorithm = -1;
	return r;
}

static void
result_free(struct mx_result *r)
{
	mx_result_clear(r);
	free(r);
}

/* Append a host with secure addresses and a secure, empty TLSA RRset. */
static struct mx_host *
host_add(struct mx_result *r, const char *name, int preference)
{
	struct mx_host *h;

	r->hosts = realloc(r->hosts, (r->nhosts + 1) * sizeof(*r->hosts));
	ck_assert_ptr_nonnull(r->hosts);
	h = &r->hosts[r->nhosts++];
	memset(h, 0, sizeof(*h));
	snprintf(h->name, sizeof(h->name), "%s", name);
	h->preference = preference;
	h->addr_class = DNS_SECURE;
	snprintf(h->addrs[0].text, sizeof(h->addrs[0].text), "192.0.2.1");
	h->naddrs = 1;
	h->tlsa_looked_up = true;
	snprintf(h->tlsa_base, sizeof(h->tlsa_base), "%s", name);
	snprintf(h->tlsa_qname, sizeof(h->tlsa_qname), "_25._tcp.%s", name);
	h->tlsa_class = DNS_SECURE;
	return h;
}

/* Add a record of len bytes of fill to h's set and judge the set again. */
static void
record_add(struct mx_host *h, uint8_t u, uint8_t s, uint8_t m, size_t len, uint8_t fill)
{
	uint8_t data[64];

	ck_assert_uint_le(len, sizeof(data));
	memset(data, fill, sizeof(data));
	ck_assert_int_eq(tlsa_set_add(&h->tlsa, u, s, m, data, len), 0);
	tlsa_set_judge(&h->tlsa);
}

/* The one secure host most cases start from: MX 10 mx1, records 3 1 1. */
static struct mx_host *
good_host(struct mx_result *r)
{
	struct mx_host *h = host_add(r, MX1, 10);

	record_add(h, 3, 1, 1, 32, 0x01);
	return h;
}

/* The resolver was shown not to validate (dns_trust.h). */
static void
blind(struct mx_result *r)
{
	snprintf(r->trust.start, sizeof(r->trust.start), "%s", DOMAIN);
	snprintf(r->trust.resolver, sizeof(r->trust.resolver), "%s", RESOLVER);
	r->trust.result.verdict = DNS_TRUST_DOES_NOT_VALIDATE;
	r->trust.result.judged = true;
	snprintf(r->trust.result.name, sizeof(r->trust.result.name), "org.");
}

/* --- the facts of each case --------------------------------------------- */

static void
null_mx(struct mx_result *r)
{
	r->status = MX_NULL;
}

static void
unsigned_domain(struct mx_result *r)
{
	r->status = MX_INSECURE;
	r->answer.cls = DNS_INSECURE; /* the MX RRset came without AD */
	snprintf(r->trust.start, sizeof(r->trust.start), "%s", DOMAIN);
	r->trust.result.verdict = DNS_TRUST_VALIDATES;
}

static void
island_of_security(struct mx_result *r)
{
	unsigned_domain(r);
	r->trust.signed_data = true;
	r->trust.algorithm = 13;
}

static void
bogus_mx(struct mx_result *r)
{
	r->status = MX_BOGUS;
	r->answer.cls = DNS_BOGUS;
	r->answer.final_rcode = LDNS_RCODE_NOERROR; /* the re-ask with CD */
}

static void
nxdomain(struct mx_result *r)
{
	r->status = MX_NXDOMAIN;
}

static void
mx_lookup_failed(struct mx_result *r)
{
	r->status = MX_ERROR;
	r->answer.cls = DNS_ERROR;
	r->answer.fail = (struct dns_failure){.kind = DNS_FAIL_RECV, .sys = ECONNREFUSED};
}

static void
null_mx_next_to_hosts(struct mx_result *r)
{
	good_host(r);
	r->null_mixed = true;
}

static void
more_hosts_than_checked(struct mx_result *r)
{
	good_host(r);
	r->hosts_ignored = 3;
}

static void
invalid_domain(struct mx_result *r)
{
	r->status = MX_ERROR;
	r->local = MX_LOCAL_DOMAIN_NAME;
	snprintf(r->local_name, sizeof(r->local_name), "a..b");
}

static void
memory_ran_out(struct mx_result *r)
{
	r->status = MX_ERROR;
	r->local = MX_LOCAL_MEMORY;
}

static void
unsigned_domain_through_a_blind_resolver(struct mx_result *r)
{
	unsigned_domain(r);
	blind(r);
}

static void
zone_algorithm_not_validated(struct mx_result *r)
{
	unsigned_domain_through_a_blind_resolver(r);
	r->trust.signed_data = true;
	r->trust.algorithm = 15;
	r->trust.result.zone_not_validated = true;
	snprintf(r->trust.result.name, sizeof(r->trust.result.name), "%s", DOMAIN);
}

static void
trust_check_timed_out(struct mx_result *r)
{
	good_host(r);
	snprintf(r->trust.start, sizeof(r->trust.start), "%s", DOMAIN);
	snprintf(r->trust.resolver, sizeof(r->trust.resolver), "%s", RESOLVER);
	r->trust.expired = true;
	r->trust.seconds = 2;
}

/* A signed zone through a resolver that cannot answer its DS (SERVFAIL, also with CD). */
static void
island_whose_ds_lookup_failed(struct mx_result *r)
{
	island_of_security(r);
	snprintf(r->trust.resolver, sizeof(r->trust.resolver), "%s", RESOLVER);
	r->trust.result.verdict = DNS_TRUST_UNKNOWN;
	r->trust.result.judged = true;
	r->trust.result.ds_failed = true;
	snprintf(r->trust.result.name, sizeof(r->trust.result.name), "%s", DOMAIN);
	r->trust.result.answer.cls = DNS_ERROR;
	r->trust.result.answer.error = DNS_ERR_SERVFAIL;
	r->trust.result.answer.fail = (struct dns_failure){
	    .kind = DNS_FAIL_SERVFAIL, .rcode = LDNS_RCODE_SERVFAIL, .cd_retry = true};
	r->trust.result.answer.ede.n = r->trust.result.answer.ede.total = 1;
	r->trust.result.answer.ede.ede[0].code = 22;
}

/* --validate=local through a forwarder that strips signatures. */
static void
forwarder_strips_signatures(struct mx_result *r)
{
	bogus_mx(r);
	r->answer.local = true;
	snprintf(r->trust.check, sizeof(r->trust.check), "%s", DOMAIN);
	r->trust.result.verdict = DNS_TRUST_NO_DNSSEC_DATA;
	r->trust.result.judged = true;
	r->trust.result.local = true;
	r->trust.result.fault = DNS_FWD_UNSIGNED;
	r->trust.result.fault_type = LDNS_RR_TYPE_DNSKEY;
	snprintf(r->trust.result.name, sizeof(r->trust.result.name), ".");
	snprintf(r->trust.result.forwarder, sizeof(r->trust.result.forwarder), "%s", RESOLVER);
}

/* --validate=local: a bogus MX RRset, libunbound's why. */
static void
bogus_mx_validated_here(struct mx_result *r)
{
	bogus_mx(r);
	r->answer.local = true;
	snprintf(r->answer.why_bogus, sizeof(r->answer.why_bogus),
		 "validation failure <" DOMAIN " MX IN>: signature expired from 192.0.2.53");
}

static void
bogus_addresses(struct mx_result *r)
{
	struct mx_host *h = host_add(r, MX1, 10);

	h->addr_class = DNS_BOGUS;
	h->tlsa_looked_up = false;
	h->addr_problem.cls = DNS_BOGUS;
	h->addr_problem.ede.n = h->addr_problem.ede.total = 1;
	h->addr_problem.ede.ede[0].code = 6;
}

static void
address_lookup_failed(struct mx_result *r)
{
	struct mx_host *h = host_add(r, MX1, 10);

	h->addr_class = DNS_ERROR;
	h->tlsa_looked_up = false;
	h->addr_problem.cls = DNS_ERROR;
	h->addr_problem.fail = (struct dns_failure){
	    .kind = DNS_FAIL_TIMEOUT, .seconds = 2, .stage = "looking up the addresses"};
}

static void
no_addresses(struct mx_result *r)
{
	struct mx_host *h = host_add(r, MX1, 10);

	h->addr_class = DNS_NONEXISTENT;
	h->naddrs = 0;
	h->tlsa_looked_up = false;
}

static void
insecure_addresses(struct mx_result *r)
{
	struct mx_host *h = host_add(r, MX1, 10);

	h->addr_class = DNS_INSECURE;
	h->tlsa_looked_up = false;
}

static void
insecure_addresses_through_a_blind_resolver(struct mx_result *r)
{
	insecure_addresses(r);
	blind(r);
}

static void
bogus_tlsa(struct mx_result *r)
{
	host_add(r, MX1, 10)->tlsa_class = DNS_BOGUS;
	r->hosts[0].tlsa_answer.cls = DNS_BOGUS;
}

static void
tlsa_lookup_failed(struct mx_result *r)
{
	host_add(r, MX1, 10)->tlsa_class = DNS_ERROR;
	r->hosts[0].tlsa_answer.cls = DNS_ERROR;
	r->hosts[0].tlsa_answer.fail = (struct dns_failure){
	    .kind = DNS_FAIL_TIMEOUT, .seconds = 2, .stage = "looking up TLSA records"};
}

static void
no_tlsa_securely_denied(struct mx_result *r)
{
	struct mx_host *h = host_add(r, MX1, 10);

	h->tlsa_class = DNS_NONEXISTENT;
	h->tlsa_denial_secure = true;
}

static void
insecure_tlsa(struct mx_result *r)
{
	host_add(r, MX1, 10)->tlsa_class = DNS_INSECURE;
}

static void
insecure_tlsa_through_a_blind_resolver(struct mx_result *r)
{
	insecure_tlsa(r);
	blind(r);
}

static void
only_pkix_records(struct mx_result *r)
{
	record_add(host_add(r, MX1, 10), 1, 1, 1, 32, 0x01);
}

static void
usable_next_to_pkix(struct mx_result *r)
{
	struct mx_host *h = good_host(r);

	record_add(h, 0, 0, 1, 32, 0x02);
}

static void
thirteen_usable_records(struct mx_result *r)
{
	struct mx_host *h = host_add(r, MX1, 10);
	uint8_t i;

	for (i = 0; i < TLSA_MANY_RECORDS + 1; i++)
		record_add(h, 3, 1, 1, 32, i);
}

static void
one_usable_record(struct mx_result *r)
{
	good_host(r);
}

static void
unknown_usage(struct mx_result *r)
{
	record_add(good_host(r), 4, 1, 1, 32, 0x02);
}

static void
unknown_selector(struct mx_result *r)
{
	record_add(good_host(r), 3, 2, 1, 32, 0x02);
}

static void
unknown_mtype(struct mx_result *r)
{
	record_add(good_host(r), 3, 1, 3, 32, 0x02);
}

static void
digest_too_short(struct mx_result *r)
{
	record_add(good_host(r), 3, 1, 1, 20, 0x02);
}

static void
empty_data(struct mx_result *r)
{
	record_add(good_host(r), 3, 1, 1, 0, 0);
}

static void
full_data_that_does_not_parse(struct mx_result *r)
{
	record_add(good_host(r), 3, 0, 0, 16, 0x02);
}

static void
sha256_next_to_sha512(struct mx_result *r)
{
	record_add(good_host(r), 3, 1, 2, 64, 0x03);
}

static void
the_same_record_twice(struct mx_result *r)
{
	record_add(good_host(r), 3, 1, 1, 32, 0x01);
}

static void
hosts_of_the_hoster(struct mx_result *r)
{
	good_host(r);
	record_add(host_add(r, MX2, 20), 3, 1, 1, 32, 0x04);
}

static void
one_host_moved_away(struct mx_result *r)
{
	good_host(r);
	record_add(host_add(r, "mx.elsewhere.example.", 5), 3, 1, 1, 32, 0x04);
}

static void
cname_into_the_hoster(struct mx_result *r)
{
	struct mx_host *h = host_add(r, "mail.example.org.", 10);

	snprintf(h->expanded, sizeof(h->expanded), "%s", MX1);
	record_add(h, 3, 1, 1, 32, 0x01);
}

/* --mx-expect: the hoster's MX hosts (upper case, no final dot: both ignored) */
static const char *const hoster_patterns[] = {"MX?.EXAMPLE.ORG", "backup.example.net."};
static const struct verdict_mx_expect hoster = {hoster_patterns, 2};

/* --- the table ----------------------------------------------------------- */

struct mx_case {
	const char *rule;                   /* what the verdict says, as a sentence */
	void (*build)(struct mx_result *r); /* the facts (status, hosts, trust) */
	enum mx_walk_end end;               /* how mx_walk() ended */
	enum finding_code code;             /* the finding expected */
	state_t state;                      /* its state, children included */
	struct finding_subject subject;     /* the fields it must have */
};

#define TLSA_3_1_1 "3 1 1 0101010101010101010101010101010101010101010101010101010101010101"

static const struct mx_case cases[] = {
    {"a null MX accepts no mail: OK, DANE does not apply",
     null_mx,
     MX_WALK_DOMAIN,
     FC_MX_NULL,
     STATE_OK,
     {.domain = DOMAIN}},
    {"an unsigned MX RRset is CRITICAL: DANE does not apply",
     unsigned_domain,
     MX_WALK_DOMAIN,
     FC_MX_INSECURE,
     STATE_CRITICAL,
     {.domain = DOMAIN}},
    {"a signed zone without DS is an island of security, named as the zone",
     island_of_security,
     MX_WALK_DOMAIN,
     FC_MX_ISLAND_OF_SECURITY,
     STATE_CRITICAL,
     {.domain = DOMAIN, .zone = DOMAIN}},
    {"a bogus MX RRset is CRITICAL",
     bogus_mx,
     MX_WALK_DOMAIN,
     FC_MX_BOGUS,
     STATE_CRITICAL,
     {.domain = DOMAIN}},
    {"a domain that does not exist is CRITICAL",
     nxdomain,
     MX_WALK_DOMAIN,
     FC_MX_NXDOMAIN,
     STATE_CRITICAL,
     {.domain = DOMAIN}},
    {"an MX lookup without an answer is CRITICAL",
     mx_lookup_failed,
     MX_WALK_DOMAIN,
     FC_MX_LOOKUP_FAILED,
     STATE_CRITICAL,
     {.domain = DOMAIN}},
    {"a null MX next to other MX records is a WARNING",
     null_mx_next_to_hosts,
     MX_WALK_HOSTS,
     FC_MX_NULL_MIXED,
     STATE_WARNING,
     {.domain = DOMAIN}},
    {"MX hosts beyond the limit are a WARNING",
     more_hosts_than_checked,
     MX_WALK_HOSTS,
     FC_MX_HOSTS_NOT_CHECKED,
     STATE_WARNING,
     {.domain = DOMAIN}},
    {"an invalid domain name ends the walk: UNKNOWN",
     invalid_domain,
     MX_WALK_INPUT,
     FC_MX_INVALID_NAME,
     STATE_UNKNOWN,
     {0}},
    {"memory running out before the walk is a local failure",
     memory_ran_out,
     MX_WALK_INPUT,
     FC_PLUGIN_LOCAL_FAILURE,
     STATE_UNKNOWN,
     {0}},
    {"memory running out during the walk is a local failure",
     one_usable_record,
     MX_WALK_MEMORY,
     FC_PLUGIN_LOCAL_FAILURE,
     STATE_UNKNOWN,
     {0}},
    {"an unsigned domain through a non-validating resolver names the resolver: UNKNOWN",
     unsigned_domain_through_a_blind_resolver,
     MX_WALK_DOMAIN,
     FC_RESOLVER_NOT_VALIDATING,
     STATE_UNKNOWN,
     {.domain = DOMAIN, .resolver = RESOLVER}},
    {"a zone whose algorithm the resolver does not validate names the zone: UNKNOWN",
     zone_algorithm_not_validated,
     MX_WALK_DOMAIN,
     FC_RESOLVER_ZONE_NOT_VALIDATED,
     STATE_UNKNOWN,
     {.domain = DOMAIN, .zone = DOMAIN, .resolver = RESOLVER}},
    {"a trust check that timed out leaves the verdicts unconfirmed: WARNING",
     trust_check_timed_out,
     MX_WALK_HOSTS,
     FC_RESOLVER_TRUST_TIMED_OUT,
     STATE_WARNING,
     {.domain = DOMAIN, .resolver = RESOLVER, .name = DOMAIN}},
    {"a failed DS lookup leaves open whether the resolver validates: UNKNOWN, no island",
     island_whose_ds_lookup_failed,
     MX_WALK_DOMAIN,
     FC_RESOLVER_TRUST_UNDETERMINED,
     STATE_UNKNOWN,
     {.domain = DOMAIN, .zone = DOMAIN, .resolver = RESOLVER}},
    {"--validate=local through a forwarder that strips DNSSEC data names it: UNKNOWN",
     forwarder_strips_signatures,
     MX_WALK_DOMAIN,
     FC_RESOLVER_NO_DNSSEC_DATA,
     STATE_UNKNOWN,
     {.domain = DOMAIN, .resolver = RESOLVER, .name = "."}},
    {"a bogus MX RRset validated here is CRITICAL, as through a resolver",
     bogus_mx_validated_here,
     MX_WALK_DOMAIN,
     FC_MX_BOGUS,
     STATE_CRITICAL,
     {.domain = DOMAIN}},
    {"bogus address records are CRITICAL",
     bogus_addresses,
     MX_WALK_HOSTS,
     FC_HOST_ADDRESSES_BOGUS,
     STATE_CRITICAL,
     {.domain = DOMAIN, .host = MX1}},
    {"an address lookup without an answer is CRITICAL",
     address_lookup_failed,
     MX_WALK_HOSTS,
     FC_HOST_ADDRESS_LOOKUP_FAILED,
     STATE_CRITICAL,
     {.domain = DOMAIN, .host = MX1}},
    {"a host without addresses is CRITICAL",
     no_addresses,
     MX_WALK_HOSTS,
     FC_HOST_NO_ADDRESSES,
     STATE_CRITICAL,
     {.domain = DOMAIN, .host = MX1}},
    {"unsigned addresses make DANE inapplicable: CRITICAL",
     insecure_addresses,
     MX_WALK_HOSTS,
     FC_HOST_ADDRESSES_INSECURE,
     STATE_CRITICAL,
     {.domain = DOMAIN, .host = MX1}},
    {"unsigned addresses through a non-validating resolver name the resolver",
     insecure_addresses_through_a_blind_resolver,
     MX_WALK_HOSTS,
     FC_RESOLVER_NOT_VALIDATING,
     STATE_UNKNOWN,
     {.domain = DOMAIN, .host = MX1, .resolver = RESOLVER}},
    {"every host has an addresses line (-vv)",
     one_usable_record,
     MX_WALK_HOSTS,
     FC_HOST_ADDRESSES,
     STATE_OK,
     {.domain = DOMAIN, .host = MX1}},
    {"a bogus TLSA RRset is CRITICAL",
     bogus_tlsa,
     MX_WALK_HOSTS,
     FC_TLSA_BOGUS,
     STATE_CRITICAL,
     {.domain = DOMAIN, .host = MX1, .name = QNAME1}},
    {"a TLSA lookup without an answer is CRITICAL",
     tlsa_lookup_failed,
     MX_WALK_HOSTS,
     FC_TLSA_LOOKUP_FAILED,
     STATE_CRITICAL,
     {.domain = DOMAIN, .host = MX1, .name = QNAME1}},
    {"no TLSA records means no DANE: CRITICAL",
     no_tlsa_securely_denied,
     MX_WALK_HOSTS,
     FC_TLSA_NONE,
     STATE_CRITICAL,
     {.domain = DOMAIN, .host = MX1, .name = QNAME1}},
    {"an unsigned TLSA RRset is ignored by senders: CRITICAL",
     insecure_tlsa,
     MX_WALK_HOSTS,
     FC_TLSA_INSECURE,
     STATE_CRITICAL,
     {.domain = DOMAIN, .host = MX1, .name = QNAME1}},
    {"an unsigned TLSA RRset through a non-validating resolver names the resolver",
     insecure_tlsa_through_a_blind_resolver,
     MX_WALK_HOSTS,
     FC_RESOLVER_NOT_VALIDATING,
     STATE_UNKNOWN,
     {.domain = DOMAIN, .host = MX1, .name = QNAME1, .resolver = RESOLVER}},
    {"secure records of which none is usable are CRITICAL",
     only_pkix_records,
     MX_WALK_HOSTS,
     FC_TLSA_NONE_USABLE,
     STATE_CRITICAL,
     {.domain = DOMAIN, .host = MX1, .name = QNAME1}},
    {"usable records next to unusable ones are a WARNING",
     usable_next_to_pkix,
     MX_WALK_HOSTS,
     FC_TLSA_SOME_UNUSABLE,
     STATE_WARNING,
     {.domain = DOMAIN, .host = MX1, .name = QNAME1}},
    {"more than TLSA_MANY_RECORDS records are a WARNING",
     thirteen_usable_records,
     MX_WALK_HOSTS,
     FC_TLSA_TOO_MANY,
     STATE_WARNING,
     {.domain = DOMAIN, .host = MX1, .name = QNAME1}},
    {"secure usable records are OK",
     one_usable_record,
     MX_WALK_HOSTS,
     FC_TLSA_USABLE,
     STATE_OK,
     {.domain = DOMAIN, .host = MX1, .name = QNAME1}},
    {"a usable record's line is OK and names the record in full",
     one_usable_record,
     MX_WALK_HOSTS,
     FC_TLSA_RECORD_USABLE,
     STATE_OK,
     {.domain = DOMAIN, .host = MX1, .name = QNAME1, .tlsa = TLSA_3_1_1}},
    {"a PKIX usage record is unusable for SMTP",
     usable_next_to_pkix,
     MX_WALK_HOSTS,
     FC_TLSA_RECORD_PKIX_USAGE,
     STATE_WARNING,
     {.host = MX1, .name = QNAME1}},
    {"a record of an unknown usage is unusable",
     unknown_usage,
     MX_WALK_HOSTS,
     FC_TLSA_RECORD_UNKNOWN_USAGE,
     STATE_WARNING,
     {.host = MX1}},
    {"a record of an unknown selector is unusable",
     unknown_selector,
     MX_WALK_HOSTS,
     FC_TLSA_RECORD_UNKNOWN_SELECTOR,
     STATE_WARNING,
     {.host = MX1}},
    {"a record of an unknown matching type is unusable",
     unknown_mtype,
     MX_WALK_HOSTS,
     FC_TLSA_RECORD_UNKNOWN_MTYPE,
     STATE_WARNING,
     {.host = MX1}},
    {"a digest of the wrong length is unusable",
     digest_too_short,
     MX_WALK_HOSTS,
     FC_TLSA_RECORD_BAD_LENGTH,
     STATE_WARNING,
     {.host = MX1}},
    {"a record without data is unusable",
     empty_data,
     MX_WALK_HOSTS,
     FC_TLSA_RECORD_EMPTY,
     STATE_WARNING,
     {.host = MX1, .tlsa = "3 1 1 (empty)"}},
    {"full data that does not parse is unusable",
     full_data_that_does_not_parse,
     MX_WALK_HOSTS,
     FC_TLSA_RECORD_MALFORMED,
     STATE_WARNING,
     {.host = MX1, .tlsa = "3 0 0 02020202020202020202020202020202"}},
    {"a SHA2-256 record next to a SHA2-512 one of the same kind is ignored (digest agility)",
     sha256_next_to_sha512,
     MX_WALK_HOSTS,
     FC_TLSA_DIGEST_AGILITY,
     STATE_WARNING,
     {.host = MX1, .tlsa = TLSA_3_1_1}},
    {"a record published twice is a duplicate",
     the_same_record_twice,
     MX_WALK_HOSTS,
     FC_TLSA_RECORD_DUPLICATE,
     STATE_WARNING,
     {.host = MX1, .tlsa = TLSA_3_1_1}},
};

/* The cases of --mx-expect: the same, with the patterns the hosts are held to. */
struct mx_expect_case {
	const char *rule;
	void (*build)(struct mx_result *r);
	enum mx_walk_end end;
	enum finding_code code;
	state_t state;
	struct finding_subject subject;
	const struct verdict_mx_expect *expect; /* --mx-expect */
};

static const struct mx_expect_case expect_cases[] = {
    {"an MX host that matches no --mx-expect pattern is a WARNING naming it",
     one_host_moved_away,
     MX_WALK_HOSTS,
     FC_MX_UNEXPECTED_HOST,
     STATE_WARNING,
     {.domain = DOMAIN, .host = "mx.elsewhere.example."},
     &hoster},
    {"a null MX where --mx-expect names the hosts is a WARNING",
     null_mx,
     MX_WALK_DOMAIN,
     FC_MX_UNEXPECTED_NULL,
     STATE_WARNING,
     {.domain = DOMAIN},
     &hoster},
    {"every MX host matching --mx-expect is said, OK",
     hosts_of_the_hoster,
     MX_WALK_HOSTS,
     FC_MX_EXPECTED_HOSTS,
     STATE_OK,
     {.domain = DOMAIN},
     &hoster},
    {"an MX host whose CNAME leads to an expected host is expected",
     cname_into_the_hoster,
     MX_WALK_HOSTS,
     FC_MX_EXPECTED_HOSTS,
     STATE_OK,
     {.domain = DOMAIN},
     &hoster},
};

/* Judge the facts as check_tlsa does: the walk, then every host, held to expect. */
static struct output *
judge_expect(const struct mx_result *r, enum mx_walk_end end,
	     const struct verdict_mx_expect *expect, struct verdict_mx_count *count)
{
	struct output *out = output_new("TLSA");
	struct verdict_mx_count unused;

	ck_assert_ptr_nonnull(out);
	if (verdict_walk(r, end, out))
		verdict_mx_hosts(r, expect, out, count != NULL ? count : &unused);
	else
		verdict_mx_expect_domain(r, expect, out);
	return out;
}

/* Judge the facts as check_tlsa does without --mx-expect. */
static struct output *
judge(const struct mx_result *r, enum mx_walk_end end, struct verdict_mx_count *count)
{
	return judge_expect(r, end, NULL, count);
}

START_TEST(each_fact_has_its_finding)
{
	const struct mx_case *c = &cases[_i];
	struct mx_result *r = result_new(MX_FOUND);
	struct output *out;

	c->build(r);
	out = judge(r, c->end, NULL);
	ck_assert_msg(vt_find(out, c->code) != NULL, "%s: no %s", c->rule,
		      finding_code_name(c->code));
	vt_expect(out, c->code, c->state, &c->subject);
	ck_assert_msg(!output_oom(out), "%s: out of memory", c->rule);
	output_free(out);
	result_free(r);
}
END_TEST

START_TEST(each_expectation_has_its_finding)
{
	const struct mx_expect_case *c = &expect_cases[_i];
	struct mx_result *r = result_new(MX_FOUND);
	struct output *out;

	c->build(r);
	out = judge_expect(r, c->end, c->expect, NULL);
	ck_assert_msg(vt_find(out, c->code) != NULL, "%s: no %s", c->rule,
		      finding_code_name(c->code));
	vt_expect(out, c->code, c->state, &c->subject);
	ck_assert_msg(!output_oom(out), "%s: out of memory", c->rule);
	output_free(out);
	result_free(r);
}
END_TEST

/* --- the words (they must not drift: the text output is an interface) ---- */

/* The text of the finding of code after judging facts built by build. */
static void
assert_text(void (*build)(struct mx_result *r), enum mx_walk_end end, enum finding_code code,
	    const char *want)
{
	struct mx_result *r = result_new(MX_FOUND);
	struct output *out;
	const struct finding *f;

	build(r);
	out = judge(r, end, NULL);
	f = vt_find(out, code);
	ck_assert_msg(f != NULL, "no %s", finding_code_name(code));
	ck_assert_str_eq(f->text, want);
	output_free(out);
	result_free(r);
}

START_TEST(no_guess_from_a_failed_ds_lookup)
{
	struct mx_result *r = result_new(MX_FOUND);
	struct output *out;

	island_whose_ds_lookup_failed(r);
	out = judge(r, MX_WALK_DOMAIN, NULL);
	ck_assert_ptr_null(vt_find(out, FC_MX_ISLAND_OF_SECURITY));
	ck_assert_ptr_null(vt_find(out, FC_MX_INSECURE));
	ck_assert_int_eq(output_state(out), STATE_UNKNOWN);
	output_free(out);
	result_free(r);
}
END_TEST

START_TEST(a_forwarder_without_dnssec_data_ends_the_walk)
{
	struct mx_result *r = result_new(MX_FOUND);
	struct output *out;

	forwarder_strips_signatures(r);
	out = judge(r, MX_WALK_DOMAIN, NULL);
	ck_assert_ptr_null(vt_find(out, FC_MX_BOGUS));
	ck_assert_int_eq(output_state(out), STATE_UNKNOWN);
	output_free(out);
	result_free(r);
}
END_TEST

START_TEST(domain_lines_keep_their_words)
{
	assert_text(null_mx, MX_WALK_DOMAIN, FC_MX_NULL,
		    DOMAIN ": null MX (RFC 7505): the domain accepts no mail, DANE does not apply");
	assert_text(unsigned_domain, MX_WALK_DOMAIN, FC_MX_INSECURE,
		    DOMAIN ": domain is not DNSSEC-signed: DANE cannot apply (the MX RRset has "
			   "no AD flag)");
	assert_text(island_of_security, MX_WALK_DOMAIN, FC_MX_ISLAND_OF_SECURITY,
		    DOMAIN ": domain is not DNSSEC-signed: DANE cannot apply (the MX RRset has "
			   "no AD flag; the zone " DOMAIN " is signed but has no DS at its parent: "
			   "an island of security)");
	assert_text(island_whose_ds_lookup_failed, MX_WALK_DOMAIN, FC_RESOLVER_TRUST_UNDETERMINED,
		    DOMAIN ": whether the resolver " RESOLVER " validates DNSSEC could not be told "
			   "(the DS query of " DOMAIN
			   " failed: SERVFAIL, also with CD (the resolver "
			   "cannot get an answer, not a validation failure); EDE 22 (No Reachable "
			   "Authority)), so whether the domain is DNSSEC-signed cannot be told "
			   "through it; use -r with a validating resolver, or --validate=local");
	assert_text(forwarder_strips_signatures, MX_WALK_DOMAIN, FC_RESOLVER_NO_DNSSEC_DATA,
		    DOMAIN ": the resolver " RESOLVER " does not pass DNSSEC data (its answer to "
			   "the DNSKEY query of . came without signatures (RRSIG)); use "
			   "--validate=local --recursive, or -r with a resolver that passes it");
	assert_text(bogus_mx_validated_here, MX_WALK_DOMAIN, FC_MX_BOGUS,
		    DOMAIN ": MX records do not validate (bogus): DANE senders defer mail; "
			   "NOERROR, the data does not validate (bogus, validated here: validation "
			   "failure <" DOMAIN " MX IN>: signature expired from 192.0.2.53)");
	assert_text(more_hosts_than_checked, MX_WALK_HOSTS, FC_MX_HOSTS_NOT_CHECKED,
		    DOMAIN ": 3 more MX hosts not checked (at most 32)");
	assert_text(unsigned_domain_through_a_blind_resolver, MX_WALK_DOMAIN,
		    FC_RESOLVER_NOT_VALIDATING,
		    DOMAIN ": the resolver " RESOLVER " does not validate DNSSEC (the DS RRset of "
			   "org. came with signatures (RRSIG) but without the AD flag), so whether "
			   "the domain is DNSSEC-signed cannot "
			   "be told through it; use -r with a validating resolver "
			   "(check_dnssec_resolver -H " RESOLVER " tells more)");
	assert_text(zone_algorithm_not_validated, MX_WALK_DOMAIN, FC_RESOLVER_ZONE_NOT_VALIDATED,
		    DOMAIN ": the resolver " RESOLVER " does not validate the zone " DOMAIN
			   ", signed with ED25519 (15) (the DS RRset of " DOMAIN " came validated "
			   "(AD), yet the zone's own data came without AD): its "
			   "algorithm, or a crypto policy; whether the domain is DNSSEC-signed "
			   "cannot be told through it; use -r with a resolver that validates "
			   "ED25519 (15) (check_dnssec_resolver -H " RESOLVER " -q " DOMAIN
			   " tells more)");
}
END_TEST

START_TEST(host_lines_keep_their_words)
{
	assert_text(one_usable_record, MX_WALK_HOSTS, FC_TLSA_USABLE,
		    MX1 " (MX 10): 1 usable DNSSEC-secure TLSA record at " QNAME1 " (3 1 1)");
	assert_text(the_same_record_twice, MX_WALK_HOSTS, FC_TLSA_SOME_UNUSABLE,
		    MX1 " (MX 10): 1 of 2 TLSA records at " QNAME1 " usable (3 1 1); the others "
			"are ignored by senders (duplicates)");
	assert_text(no_tlsa_securely_denied, MX_WALK_HOSTS, FC_TLSA_NONE,
		    MX1 " (MX 10): no TLSA records at " QNAME1 " (secure denial): the host has no "
			"DANE");
	assert_text(insecure_addresses, MX_WALK_HOSTS, FC_HOST_ADDRESSES_INSECURE,
		    MX1 " (MX 10): address records are not DNSSEC-secure: senders do not use TLSA "
			"for this host (DANE does not apply)");
	assert_text(one_usable_record, MX_WALK_HOSTS, FC_HOST_ADDRESSES,
		    "addresses: 192.0.2.1 (secure)");
}
END_TEST

START_TEST(record_lines_keep_their_words)
{
	assert_text(one_usable_record, MX_WALK_HOSTS, FC_TLSA_RECORD_USABLE,
		    "3 1 1 0101010101...0101010101: usable (DANE-EE SPKI SHA2-256)");
	assert_text(usable_next_to_pkix, MX_WALK_HOSTS, FC_TLSA_RECORD_PKIX_USAGE,
		    "0 0 1 0202020202...0202020202: unusable: PKIX usage (0/1), not used for SMTP "
		    "(RFC 7672 3.1.3) (PKIX-TA Cert SHA2-256)");
	assert_text(sha256_next_to_sha512, MX_WALK_HOSTS, FC_TLSA_DIGEST_AGILITY,
		    "3 1 1 0101010101...0101010101: ignored: a stronger digest type is published "
		    "for the same usage and selector (digest agility, RFC 7671 9) (DANE-EE SPKI "
		    "SHA2-256)");
	assert_text(digest_too_short, MX_WALK_HOSTS, FC_TLSA_RECORD_BAD_LENGTH,
		    "3 1 1 0202020202...0202020202: unusable: digest of the wrong length for its "
		    "matching type (DANE-EE SPKI SHA2-256)");
}
END_TEST

/* --- details: levels, params, subjects ----------------------------------- */

START_TEST(record_lines_show_from_v_and_addresses_from_vv)
{
	struct mx_result *r = result_new(MX_FOUND);
	struct output *out;

	one_usable_record(r);
	out = judge(r, MX_WALK_HOSTS, NULL);
	ck_assert_int_eq(vt_find(out, FC_TLSA_USABLE)->level, 0);
	ck_assert_int_eq(vt_find(out, FC_TLSA_RECORD_USABLE)->level, 1);
	ck_assert_int_eq(vt_find(out, FC_HOST_ADDRESSES)->level, 2);
	output_free(out);
	result_free(r);
}
END_TEST

START_TEST(hosts_given_with_h_have_no_domain_in_their_subject)
{
	struct mx_result *r = result_new(MX_HOSTS);
	struct output *out;
	const struct finding *f;

	snprintf(r->domain, sizeof(r->domain), "%s", MX1); /* as mx_from_hosts() does */
	host_add(r, MX1, -1);
	record_add(&r->hosts[0], 3, 1, 1, 32, 0x01);
	out = judge(r, MX_WALK_HOSTS, NULL);
	f = vt_expect(out, FC_TLSA_USABLE, STATE_OK, &(struct finding_subject){.host = MX1});
	ck_assert_ptr_null(f->subject.domain);
	ck_assert_ptr_null(finding_param(f, "preference"));
	ck_assert_str_eq(f->text, MX1 ": 1 usable DNSSEC-secure TLSA record at " QNAME1 " (3 1 1)");
	output_free(out);
	result_free(r);
}
END_TEST

START_TEST(host_lines_carry_how_the_host_was_found)
{
	struct mx_result *r = result_new(MX_FOUND);
	struct mx_host *h;
	struct output *out;
	const struct finding *f;

	h = good_host(r);
	snprintf(h->expanded, sizeof(h->expanded), "real.example.net.");
	out = judge(r, MX_WALK_HOSTS, NULL);
	f = vt_find(out, FC_TLSA_USABLE);
	ck_assert_int_eq(finding_param(f, "preference")->integer, 10);
	ck_assert_str_eq(finding_param(f, "cname_target")->string, "real.example.net.");
	ck_assert_int_eq(finding_param(f, "records")->integer, 1);
	ck_assert_str_eq(finding_param(f, "usable_types")->string, "3 1 1");
	ck_assert_str_eq(f->text, MX1 " (MX 10, CNAME to real.example.net.): 1 usable "
				      "DNSSEC-secure TLSA record at " QNAME1 " (3 1 1)");
	output_free(out);
	result_free(r);
}
END_TEST

START_TEST(counts_and_limits_are_params)
{
	struct mx_result *r = result_new(MX_FOUND);
	struct mx_host *h;
	struct output *out;
	const struct finding *f;

	r->hosts_ignored = 3;
	h = good_host(r);
	record_add(h, 3, 1, 1, 20, 0x02); /* too short */
	record_add(h, 3, 1, 1, 32, 0x01); /* the same as the first */
	out = judge(r, MX_WALK_HOSTS, NULL);
	f = vt_find(out, FC_MX_HOSTS_NOT_CHECKED);
	ck_assert_int_eq(finding_param(f, "not_checked")->integer, 3);
	ck_assert_int_eq(finding_param(f, "max")->integer, MX_MAX_HOSTS);
	f = vt_find(out, FC_TLSA_RECORD_BAD_LENGTH);
	ck_assert_int_eq(finding_param(f, "length")->integer, 20);
	ck_assert_int_eq(finding_param(f, "expected_length")->integer, 32);
	f = vt_find(out, FC_TLSA_SOME_UNUSABLE);
	ck_assert_int_eq(finding_param(f, "records")->integer, 3);
	ck_assert_int_eq(finding_param(f, "usable")->integer, 1);
	ck_assert(finding_param(f, "duplicates")->boolean);
	output_free(out);
	result_free(r);
}
END_TEST

START_TEST(the_resolver_findings_say_which_rrset_cannot_be_judged)
{
	struct mx_result *r = result_new(MX_FOUND);
	struct output *out;
	const struct finding *f;

	insecure_tlsa_through_a_blind_resolver(r);
	out = judge(r, MX_WALK_HOSTS, NULL);
	f = vt_find(out, FC_RESOLVER_NOT_VALIDATING);
	ck_assert_str_eq(finding_param(f, "rrset")->string, "TLSA");
	output_free(out);
	result_free(r);

	r = result_new(MX_FOUND);
	zone_algorithm_not_validated(r);
	out = judge(r, MX_WALK_DOMAIN, NULL);
	f = vt_find(out, FC_RESOLVER_ZONE_NOT_VALIDATED);
	ck_assert_str_eq(finding_param(f, "rrset")->string, "MX");
	ck_assert_int_eq(finding_param(f, "algorithm")->integer, 15);
	output_free(out);
	result_free(r);
}
END_TEST

/* --- the addresses left out of probing ------------------------------------ */

START_TEST(unprobed_hosts_get_their_line_and_the_addresses_left_out_a_warning)
{
	struct mx_result *r = result_new(MX_FOUND);
	struct probe_left left = {0};
	struct output *out = output_new("DANE_SMTP");
	const struct finding *f;
	char want[200];

	good_host(r);
	host_add(r, MX2, 20)->tlsa_class = DNS_INSECURE;
	left.n = 2;
	left.first = &r->hosts[1];
	verdict_unprobed(r, &left, out);
	ck_assert_ptr_null(vt_find(out, FC_TLSA_USABLE)); /* probed: its line comes later */
	vt_expect(out, FC_TLSA_INSECURE, STATE_CRITICAL, &(struct finding_subject){.host = MX2});
	f = vt_expect(out, FC_PROBE_ADDRESSES_LEFT_OUT, STATE_WARNING,
		      &(struct finding_subject){.domain = DOMAIN, .host = MX2});
	snprintf(want, sizeof(want),
		 "2 more addresses not probed (at most %d per run), from " MX2 " on",
		 PROBE_MAX_TARGETS);
	ck_assert_str_eq(f->text, want);
	ck_assert_int_eq(finding_param(f, "not_probed")->integer, 2);
	output_free(out);
	result_free(r);
}
END_TEST

START_TEST(nothing_left_out_adds_nothing)
{
	struct mx_result *r = result_new(MX_FOUND);
	struct probe_left left = {0};
	struct output *out = output_new("DANE_SMTP");

	good_host(r);
	verdict_unprobed(r, &left, out);
	ck_assert_ptr_null(output_root(out)->first_child);
	output_free(out);
	result_free(r);
}
END_TEST

/* --- check_tlsa's count and status line --------------------------------- */

START_TEST(only_secure_tlsa_rrsets_are_counted)
{
	struct mx_result *r = result_new(MX_FOUND);
	struct verdict_mx_count count;
	struct output *out;

	usable_next_to_pkix(r);
	record_add(host_add(r, MX2, 20), 3, 1, 1, 32, 0x04);
	r->hosts[1].tlsa_class = DNS_INSECURE; /* its record counts for nothing */
	out = judge(r, MX_WALK_HOSTS, &count);
	ck_assert_uint_eq(count.records, 2);
	ck_assert_uint_eq(count.usable, 1);
	ck_assert_uint_eq(count.bad, 2);
	output_free(out);
	result_free(r);
}
END_TEST

/* The status line check_tlsa prints for the facts r. */
static void
assert_summary(struct mx_result *r, bool authoritative, const char *want)
{
	struct verdict_mx_count count;
	struct output *out = judge(r, MX_WALK_HOSTS, &count);

	verdict_mx_tlsa_summary(r, &count, authoritative, out);
	ck_assert_str_eq(output_summary_text(out), want);
	output_free(out);
	result_free(r);
}

START_TEST(the_status_line_says_all_good_with_the_record_count)
{
	struct mx_result *r = result_new(MX_FOUND);

	good_host(r);
	record_add(host_add(r, MX2, 20), 3, 1, 1, 32, 0x04);
	assert_summary(r, false,
		       DOMAIN
		       ": 2 MX hosts, all with usable DNSSEC-secure TLSA records (2 records)");
	r = result_new(MX_FOUND);
	good_host(r);
	assert_summary(r, true,
		       DOMAIN ": 1 MX host, all with usable DNSSEC-secure TLSA records (1 record); "
			      "the authoritative servers agree");
}
END_TEST

START_TEST(the_status_line_counts_several_hosts_with_problems)
{
	struct mx_result *r = result_new(MX_FOUND);

	host_add(r, MX1, 10)->tlsa_class = DNS_INSECURE;
	host_add(r, MX2, 20)->tlsa_class = DNS_INSECURE;
	assert_summary(r, false,
		       DOMAIN ": 2 of 2 MX hosts with problems; " MX1 " (MX 10): TLSA at " QNAME1
			      " is not DNSSEC-secure: senders ignore it");
}
END_TEST

START_TEST(the_status_line_names_one_problem_down_to_its_record)
{
	struct mx_result *r = result_new(MX_FOUND);

	insecure_tlsa(r);
	assert_summary(r, false,
		       DOMAIN ": " MX1 " (MX 10): TLSA at " QNAME1
			      " is not DNSSEC-secure: senders ignore it");
	r = result_new(MX_FOUND);
	usable_next_to_pkix(r);
	assert_summary(r, false,
		       DOMAIN ": " MX1 " (MX 10): 1 of 2 TLSA records at " QNAME1
			      " usable (3 1 1); the others are ignored by senders: 0 0 1 "
			      "0202020202...0202020202: unusable: PKIX usage (0/1), not used for "
			      "SMTP (RFC 7672 3.1.3) (PKIX-TA Cert SHA2-256)");
}
END_TEST

/* --- --mx-expect ---------------------------------------------------------- */

/* How many top-level findings of code out holds. */
static size_t
top_count(struct output *out, enum finding_code code)
{
	const struct finding *f;
	size_t n = 0;

	for (f = output_root(out)->first_child; f != NULL; f = f->next)
		n += f->code == code;
	return n;
}

START_TEST(expected_hosts_keep_their_words_and_params)
{
	struct mx_result *r = result_new(MX_FOUND);
	struct verdict_mx_count count;
	struct output *out;
	const struct finding *f;

	one_host_moved_away(r);
	out = judge_expect(r, MX_WALK_HOSTS, &hoster, &count);
	f = vt_find(out, FC_MX_UNEXPECTED_HOST);
	ck_assert_str_eq(f->text, "mx.elsewhere.example. (MX 5) is not an expected MX host: it "
				  "matches none of MX?.EXAMPLE.ORG, backup.example.net. "
				  "(--mx-expect)");
	ck_assert_str_eq(finding_param(f, "patterns")->string,
			 "MX?.EXAMPLE.ORG, backup.example.net.");
	ck_assert_int_eq(finding_param(f, "preference")->integer, 5);
	ck_assert_uint_eq(top_count(out, FC_MX_UNEXPECTED_HOST), 1); /* mx1 is expected */
	ck_assert_ptr_null(vt_find(out, FC_MX_EXPECTED_HOSTS));
	ck_assert_uint_eq(count.bad, 1);
	ck_assert(!count.expected);
	verdict_mx_tlsa_summary(r, &count, false, out);
	ck_assert_str_eq(output_summary_text(out),
			 DOMAIN ": mx.elsewhere.example. (MX 5) is not an expected MX host: it "
				"matches none of MX?.EXAMPLE.ORG, backup.example.net. "
				"(--mx-expect)");
	output_free(out);
	result_free(r);

	r = result_new(MX_FOUND);
	hosts_of_the_hoster(r);
	out = judge_expect(r, MX_WALK_HOSTS, &hoster, &count);
	f = vt_find(out, FC_MX_EXPECTED_HOSTS);
	ck_assert_str_eq(f->text, DOMAIN ": every MX host matches MX?.EXAMPLE.ORG, "
					 "backup.example.net. (--mx-expect)");
	ck_assert_int_eq(finding_param(f, "hosts")->integer, 2);
	ck_assert(count.expected);
	verdict_mx_tlsa_summary(r, &count, false, out);
	ck_assert_str_eq(output_summary_text(out),
			 DOMAIN ": 2 MX hosts, all with usable DNSSEC-secure TLSA records (2 "
				"records) and matching --mx-expect");
	output_free(out);
	result_free(r);

	r = result_new(MX_FOUND);
	null_mx(r);
	out = judge_expect(r, MX_WALK_DOMAIN, &hoster, NULL);
	ck_assert_str_eq(vt_find(out, FC_MX_UNEXPECTED_NULL)->text,
			 DOMAIN ": null MX: the domain accepts no mail, at none of the expected "
				"MX hosts MX?.EXAMPLE.ORG, backup.example.net. (--mx-expect)");
	ck_assert_str_eq(output_summary_text(out), vt_find(out, FC_MX_UNEXPECTED_NULL)->text);
	output_free(out);
	result_free(r);
}
END_TEST

START_TEST(an_unexpected_host_with_problems_counts_once)
{
	struct mx_result *r = result_new(MX_FOUND);
	const char *want;
	struct verdict_mx_count count;
	struct output *out;

	one_host_moved_away(r);
	r->hosts[1].tlsa_class = DNS_INSECURE; /* and the host elsewhere has no DANE */
	host_add(r, "mx9.example.org.", 30)->tlsa_class = DNS_INSECURE;
	out = judge_expect(r, MX_WALK_HOSTS, &hoster, &count);
	ck_assert_uint_eq(count.bad, 2);
	verdict_mx_tlsa_summary(r, &count, false, out);
	want = DOMAIN ": 2 of 3 MX hosts with problems; ";
	ck_assert_msg(strncmp(output_summary_text(out), want, strlen(want)) == 0, "summary: %s",
		      output_summary_text(out));
	output_free(out);
	result_free(r);
}
END_TEST

START_TEST(patterns_match_whole_names_without_regard_to_case_or_final_dot)
{
	static const char *const exact[] = {"mx1.example.org"};
	static const char *const star[] = {"*.EXAMPLE.org."};
	static const char *const other[] = {"mx1.example", "example.org", "x*"};
	const struct verdict_mx_expect e_exact = {exact, 1}, e_star = {star, 1},
				       e_other = {other, 3};
	struct mx_result *r;
	struct output *out;

	r = result_new(MX_FOUND);
	good_host(r); /* MX1: mx1.example.org. */
	out = judge_expect(r, MX_WALK_HOSTS, &e_exact, NULL);
	ck_assert_ptr_nonnull(vt_find(out, FC_MX_EXPECTED_HOSTS));
	output_free(out);
	out = judge_expect(r, MX_WALK_HOSTS, &e_star, NULL);
	ck_assert_ptr_nonnull(vt_find(out, FC_MX_EXPECTED_HOSTS));
	output_free(out);
	out = judge_expect(r, MX_WALK_HOSTS, &e_other, NULL);
	ck_assert_ptr_nonnull(vt_find(out, FC_MX_UNEXPECTED_HOST));
	output_free(out);
	result_free(r);
}
END_TEST

START_TEST(without_mx_expect_there_is_no_expectation_finding)
{
	const struct verdict_mx_expect none = {NULL, 0};
	struct mx_result *r = result_new(MX_FOUND);
	struct output *out;

	one_host_moved_away(r);
	out = judge_expect(r, MX_WALK_HOSTS, &none, NULL);
	ck_assert_ptr_null(vt_find(out, FC_MX_UNEXPECTED_HOST));
	ck_assert_ptr_null(vt_find(out, FC_MX_EXPECTED_HOSTS));
	output_free(out);
	result_free(r);
	r = result_new(MX_FOUND);
	null_mx(r);
	out = judge(r, MX_WALK_DOMAIN, NULL);
	ck_assert_ptr_null(vt_find(out, FC_MX_UNEXPECTED_NULL));
	ck_assert_int_eq(output_state(out), STATE_OK);
	output_free(out);
	result_free(r);
}
END_TEST

Suite *
verdict_mx_suite(void)
{
	Suite *s = suite_create("verdict_mx");
	TCase *tc = tcase_create("facts");
	TCase *words = tcase_create("words");
	TCase *details = tcase_create("details");
	TCase *summary = tcase_create("check_tlsa");
	TCase *expect = tcase_create("mx_expect");

	tcase_add_loop_test(tc, each_fact_has_its_finding, 0,
			    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(words, domain_lines_keep_their_words);
	tcase_add_test(tc, no_guess_from_a_failed_ds_lookup);
	tcase_add_test(tc, a_forwarder_without_dnssec_data_ends_the_walk);
	tcase_add_test(words, host_lines_keep_their_words);
	tcase_add_test(words, record_lines_keep_their_words);
	tcase_add_test(details, record_lines_show_from_v_and_addresses_from_vv);
	tcase_add_test(details, hosts_given_with_h_have_no_domain_in_their_subject);
	tcase_add_test(details, host_lines_carry_how_the_host_was_found);
	tcase_add_test(details, counts_and_limits_are_params);
	tcase_add_test(details, the_resolver_findings_say_which_rrset_cannot_be_judged);
	tcase_add_test(details, unprobed_hosts_get_their_line_and_the_addresses_left_out_a_warning);
	tcase_add_test(details, nothing_left_out_adds_nothing);
	tcase_add_test(summary, only_secure_tlsa_rrsets_are_counted);
	tcase_add_test(summary, the_status_line_says_all_good_with_the_record_count);
	tcase_add_test(summary, the_status_line_counts_several_hosts_with_problems);
	tcase_add_test(summary, the_status_line_names_one_problem_down_to_its_record);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, words);
	suite_add_tcase(s, details);
	tcase_add_loop_test(expect, each_expectation_has_its_finding, 0,
			    (int)(sizeof(expect_cases) / sizeof(expect_cases[0])));
	tcase_add_test(expect, expected_hosts_keep_their_words_and_params);
	tcase_add_test(expect, an_unexpected_host_with_problems_counts_once);
	tcase_add_test(expect, patterns_match_whole_names_without_regard_to_case_or_final_dot);
	tcase_add_test(expect, without_mx_expect_there_is_no_expectation_finding);
	suite_add_tcase(s, summary);
	suite_add_tcase(s, expect);
	return s;
}
