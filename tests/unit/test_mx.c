/*
 * test_mx.c -- the MX walk (RFC 7672 section 2.2, RFC 7505): the MX RRset
 * rules on records, then whole walks against the scripted DNS server
 * (fake_dns.h): secure, insecure, bogus, null and implicit MX, CNAME'd hosts
 * and their TLSA base domain, the security of addresses and TLSA records,
 * ordering and the caps; the facts the walk keeps and their words.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "fake_dns.h"
#include "mx.h"
#include "words_dns.h"

/* The words of the walk's facts (tests run in one thread: one buffer each will do). */
static const char *
mx_words(const struct mx_result *r)
{
	static char buf[WORDS_DNS_MX_MAX];

	words_dns_mx_detail(r, buf, sizeof(buf));
	return buf;
}

static const char *
addr_words(const struct mx_host *h)
{
	static char buf[WORDS_DNS_MX_MAX];

	words_dns_mx_addr(h, buf, sizeof(buf));
	return buf;
}

static const char *
trust_words(const struct dns_trust_result *t)
{
	static char buf[WORDS_DNS_TRUST_MAX];

	words_dns_trust(t, buf, sizeof(buf));
	return buf;
}

static const char *
tlsa_words(const struct mx_host *h)
{
	static char buf[WORDS_DNS_MX_MAX];

	words_dns_mx_tlsa(h, buf, sizeof(buf));
	return buf;
}

/* A usable DANE-EE SPKI SHA2-256 record's data. */
#define D32 "4f1c0102030405060708090a0b0c0d0e0f101112131415161718191a1b1ce2e3"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

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

/* Walk domain (or, when it is NULL, the hosts) against a fake serving zone. */
static enum mx_walk_end
walk(const struct fake_rrset *zone, size_t nzone, const char *domain, const char *const *hosts,
     size_t nhosts, int family, struct mx_result *r)
{
	struct fake *f = fake_start_zone(zone, nzone);
	struct dns_resolver res = {0};
	struct deadline dl;
	enum mx_walk_end end;

	fake_add_to(f, &res);
	deadline_start(&dl, 5);
	end = mx_walk(&res, domain, hosts, nhosts, family, 25, &dl, r);
	fake_stop(f);
	return end;
}

/* Walk the one host mx.example.test (as with -H) over IPv4 and IPv6. */
static enum mx_walk_end
walk_host(const struct fake_rrset *zone, size_t nzone, struct mx_result *r)
{
	static const char *const hosts[] = {"mx.example.test"};

	return walk(zone, nzone, NULL, hosts, 1, AF_UNSPEC, r);
}

START_TEST(mx_hosts_are_ordered_by_preference_then_name)
{
	const char *lines[] = {
	    "example.test. 300 IN MX 20 mx3.example.test.",
	    "example.test. 300 IN MX 10 MX2.example.test.",
	    "example.test. 300 IN MX 10 mx1.example.test.",
	    "example.test. 300 IN MX 30 mx1.example.test.", /* same host again */
	};
	ldns_rr_list *rrs = rrs_from(lines, 4);
	struct mx_result r;

	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(mx_take_rrset(&r, rrs), 0);
	ck_assert_int_eq(r.status, MX_FOUND);
	ck_assert_uint_eq(r.nhosts, 3);
	ck_assert_str_eq(r.hosts[0].name, "mx1.example.test.");
	ck_assert_int_eq(r.hosts[0].preference, 10);
	ck_assert_str_eq(r.hosts[1].name, "mx2.example.test.");
	ck_assert_str_eq(r.hosts[2].name, "mx3.example.test.");
	mx_result_clear(&r);
	ldns_rr_list_deep_free(rrs);
}
END_TEST

START_TEST(null_mx_means_no_mail)
{
	const char *lines[] = {"example.test. 300 IN MX 0 ."};
	ldns_rr_list *rrs = rrs_from(lines, 1);
	struct mx_result r;

	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(mx_take_rrset(&r, rrs), 0);
	ck_assert_int_eq(r.status, MX_NULL);
	ck_assert_uint_eq(r.nhosts, 0);
	mx_result_clear(&r);
	ldns_rr_list_deep_free(rrs);
}
END_TEST

START_TEST(null_mx_next_to_real_hosts_is_flagged)
{
	const char *lines[] = {"example.test. 300 IN MX 0 .",
			       "example.test. 300 IN MX 10 mx.example.test."};
	ldns_rr_list *rrs = rrs_from(lines, 2);
	struct mx_result r;

	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(mx_take_rrset(&r, rrs), 0);
	ck_assert_int_eq(r.status, MX_FOUND);
	ck_assert(r.null_mixed);
	ck_assert_uint_eq(r.nhosts, 1);
	mx_result_clear(&r);
	ldns_rr_list_deep_free(rrs);
}
END_TEST

START_TEST(huge_mx_sets_keep_the_most_preferred_hosts)
{
	ldns_rr_list *rrs = ldns_rr_list_new();
	struct mx_result r;
	int i;

	for (i = 0; i < 100; i++) {
		char line[128];
		ldns_rr *rr = NULL;

		/* the most preferred come last: they must still be the ones kept */
		snprintf(line, sizeof(line), "example.test. 300 IN MX %d mx%d.example.test.",
			 99 - i, i);
		ck_assert_int_eq(ldns_rr_new_frm_str(&rr, line, 0, NULL, NULL), LDNS_STATUS_OK);
		ldns_rr_list_push_rr(rrs, rr);
	}
	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(mx_take_rrset(&r, rrs), 0);
	ck_assert_uint_eq(r.nhosts, MX_MAX_HOSTS);
	ck_assert_uint_eq(r.hosts_ignored, 100 - MX_MAX_HOSTS);
	ck_assert_int_eq(r.hosts[0].preference, 0);
	ck_assert_str_eq(r.hosts[0].name, "mx99.example.test.");
	ck_assert_int_eq(r.hosts[MX_MAX_HOSTS - 1].preference, MX_MAX_HOSTS - 1);
	mx_result_clear(&r);
	ldns_rr_list_deep_free(rrs);
}
END_TEST

START_TEST(hosts_from_the_command_line_are_made_absolute)
{
	const char *names[] = {"MX1.Example.test", "mx2.example.test."};
	const char *bad[] = {"a..b"};
	struct mx_result r;

	ck_assert_int_eq(mx_from_hosts(names, 2, &r), 0);
	ck_assert_int_eq(r.status, MX_HOSTS);
	ck_assert_str_eq(r.hosts[0].name, "mx1.example.test.");
	ck_assert_str_eq(r.hosts[1].name, "mx2.example.test.");
	ck_assert_int_eq(r.hosts[0].preference, -1);
	mx_result_clear(&r);
	ck_assert_int_ne(mx_from_hosts(bad, 1, &r), 0);
	ck_assert_ptr_nonnull(strstr(mx_words(&r), "invalid host name"));
	ck_assert_int_eq(r.local, MX_LOCAL_HOST_NAME);
	ck_assert_str_eq(r.local_name, "a..b");
	mx_result_clear(&r);
}
END_TEST

/* What the MX lookup answers decides how the walk goes on. */
static const struct {
	enum fake_how how;
	const char *mx; /* the MX record of the answer, or NULL */
	enum mx_status status;
	enum mx_walk_end end;
	size_t nhosts;
	const char *detail; /* part of words_dns_mx_detail() */
	enum dns_class cls; /* the facts of the MX answer kept in r.answer */
	bool secure, nxdomain;
	enum dns_fail fail;
} mx_outcomes[] = {
    {FAKE_DATA_SECURE, "example.test. 300 IN MX 10 mx.example.test.", MX_FOUND, MX_WALK_HOSTS, 1,
     "", DNS_SECURE, true, false, DNS_FAIL_NONE},
    {FAKE_DATA_SECURE, "example.test. 300 IN MX 0 .", MX_NULL, MX_WALK_DOMAIN, 0, "", DNS_SECURE,
     true, false, DNS_FAIL_NONE},
    {FAKE_DATA_INSECURE, "example.test. 300 IN MX 10 mx.example.test.", MX_INSECURE, MX_WALK_DOMAIN,
     0, "the MX RRset has no AD flag", DNS_INSECURE, false, false, DNS_FAIL_NONE},
    {FAKE_DATA_BOGUS, "example.test. 300 IN MX 10 mx.example.test.", MX_BOGUS, MX_WALK_DOMAIN, 0,
     "bogus", DNS_BOGUS, false, false, DNS_FAIL_NONE},
    {FAKE_NODATA_SECURE, NULL, MX_IMPLICIT, MX_WALK_HOSTS, 1, "", DNS_NONEXISTENT, true, false,
     DNS_FAIL_NONE},
    {FAKE_NODATA_INSECURE, NULL, MX_INSECURE, MX_WALK_DOMAIN, 0,
     "no MX records, and the denial is not DNSSEC-signed", DNS_NONEXISTENT, false, false,
     DNS_FAIL_NONE},
    {FAKE_NXDOMAIN_SECURE, NULL, MX_NXDOMAIN, MX_WALK_DOMAIN, 0, "NXDOMAIN", DNS_NONEXISTENT, true,
     true, DNS_FAIL_NONE},
    {FAKE_NXDOMAIN_INSECURE, NULL, MX_INSECURE, MX_WALK_DOMAIN, 0,
     "NXDOMAIN, and the denial is not DNSSEC-signed", DNS_NONEXISTENT, false, true, DNS_FAIL_NONE},
    {FAKE_FAIL, NULL, MX_ERROR, MX_WALK_DOMAIN, 0, "SERVFAIL", DNS_ERROR, false, false,
     DNS_FAIL_SERVFAIL},
};

START_TEST(the_mx_answer_decides_the_walk)
{
	struct fake_rrset zone[] = {
	    {"example.test.", LDNS_RR_TYPE_MX, mx_outcomes[_i].how, {mx_outcomes[_i].mx, NULL}}};
	struct mx_result r;
	enum mx_walk_end end = walk(zone, 1, "Example.test", NULL, 0, AF_INET, &r);

	ck_assert_int_eq(end, mx_outcomes[_i].end);
	ck_assert_int_eq(r.status, mx_outcomes[_i].status);
	ck_assert_uint_eq(r.nhosts, mx_outcomes[_i].nhosts);
	ck_assert_str_eq(r.domain, "example.test.");
	ck_assert_msg(strstr(mx_words(&r), mx_outcomes[_i].detail) != NULL, "'%s' not in '%s'",
		      mx_outcomes[_i].detail, mx_words(&r));
	ck_assert_int_eq(r.local, MX_LOCAL_NONE);
	ck_assert_int_eq(r.answer.cls, mx_outcomes[_i].cls);
	ck_assert_int_eq(r.answer.secure, mx_outcomes[_i].secure);
	ck_assert_int_eq(r.answer.nxdomain, mx_outcomes[_i].nxdomain);
	ck_assert_int_eq(r.answer.fail.kind, mx_outcomes[_i].fail);
	ck_assert_int_eq(r.answer.qtype, LDNS_RR_TYPE_MX);
	mx_result_clear(&r);
}
END_TEST

START_TEST(a_secure_walk_gathers_addresses_and_tlsa_of_every_host)
{
	static const struct fake_rrset zone[] = {
	    {"example.test.",
	     LDNS_RR_TYPE_MX,
	     FAKE_DATA_SECURE,
	     {"example.test. 300 IN MX 20 mx2.example.test.",
	      "example.test. 300 IN MX 10 mx1.example.test."}},
	    {"mx1.example.test.",
	     LDNS_RR_TYPE_A,
	     FAKE_DATA_SECURE,
	     {"mx1.example.test. 300 IN A 192.0.2.1"}},
	    {"mx1.example.test.",
	     LDNS_RR_TYPE_AAAA,
	     FAKE_DATA_SECURE,
	     {"mx1.example.test. 300 IN AAAA 2001:db8::1"}},
	    {"mx2.example.test.",
	     LDNS_RR_TYPE_A,
	     FAKE_DATA_SECURE,
	     {"mx2.example.test. 300 IN A 192.0.2.2"}},
	    {"_25._tcp.mx1.example.test.",
	     LDNS_RR_TYPE_TLSA,
	     FAKE_DATA_SECURE,
	     {"_25._tcp.mx1.example.test. 300 IN TLSA 3 1 1 " D32}},
	    {"_25._tcp.mx2.example.test.",
	     LDNS_RR_TYPE_TLSA,
	     FAKE_DATA_SECURE,
	     {"_25._tcp.mx2.example.test. 300 IN TLSA 3 1 1 " D32,
	      "_25._tcp.mx2.example.test. 300 IN TLSA 3 1 1 00ff"}},
	};
	struct mx_result r;
	const struct mx_host *h;

	ck_assert_int_eq(walk(zone, NELEMS(zone), "example.test", NULL, 0, AF_UNSPEC, &r),
			 MX_WALK_HOSTS);
	ck_assert_int_eq(r.status, MX_FOUND);
	ck_assert_uint_eq(r.nhosts, 2);
	h = &r.hosts[0];
	ck_assert_str_eq(h->name, "mx1.example.test.");
	ck_assert_int_eq(h->preference, 10);
	ck_assert(!h->implicit);
	ck_assert_str_eq(h->expanded, "");
	ck_assert_int_eq(h->addr_class, DNS_SECURE);
	ck_assert_uint_eq(h->naddrs, 2);
	ck_assert_str_eq(h->addrs[0].text, "192.0.2.1");
	ck_assert_int_eq(h->addrs[0].ss.ss_family, AF_INET);
	ck_assert_str_eq(h->addrs[1].text, "2001:db8::1");
	ck_assert_int_eq(h->addrs[1].ss.ss_family, AF_INET6);
	ck_assert(h->tlsa_looked_up);
	ck_assert_str_eq(h->tlsa_base, "mx1.example.test.");
	ck_assert_str_eq(h->tlsa_qname, "_25._tcp.mx1.example.test.");
	ck_assert(!h->tlsa_base_fallback);
	ck_assert_int_eq(h->tlsa_class, DNS_SECURE);
	ck_assert_uint_eq(h->tlsa.n, 1);
	ck_assert_uint_eq(h->tlsa.usable, 1);
	ck_assert(mx_host_dane_usable(h));
	h = &r.hosts[1];
	ck_assert_str_eq(h->name, "mx2.example.test.");
	ck_assert_uint_eq(h->naddrs, 1);
	ck_assert_int_eq(h->addr_class, DNS_SECURE);
	ck_assert_uint_eq(h->tlsa.n, 2);
	ck_assert_uint_eq(h->tlsa.usable, 1);
	ck_assert_int_eq(h->tlsa.records[1].verdict, TLSA_UNUSABLE_LENGTH);
	mx_result_clear(&r);
}
END_TEST

START_TEST(the_walk_orders_hosts_by_preference_then_name)
{
	static const struct fake_rrset zone[] = {
	    {"example.test.",
	     LDNS_RR_TYPE_MX,
	     FAKE_DATA_SECURE,
	     {"example.test. 300 IN MX 20 b.example.test.",
	      "example.test. 300 IN MX 10 c.example.test.",
	      "example.test. 300 IN MX 10 A.example.test.",
	      "example.test. 300 IN MX 30 c.example.test."}},
	};
	struct mx_result r;

	ck_assert_int_eq(walk(zone, NELEMS(zone), "example.test", NULL, 0, AF_INET, &r),
			 MX_WALK_HOSTS);
	ck_assert_uint_eq(r.nhosts, 3);
	ck_assert_str_eq(r.hosts[0].name, "a.example.test.");
	ck_assert_str_eq(r.hosts[1].name, "c.example.test.");
	ck_assert_int_eq(r.hosts[1].preference, 10);
	ck_assert_str_eq(r.hosts[2].name, "b.example.test.");
	mx_result_clear(&r);
}
END_TEST

START_TEST(implicit_mx_makes_the_domain_its_own_host)
{
	static const struct fake_rrset zone[] = {
	    {"example.test.", LDNS_RR_TYPE_MX, FAKE_NODATA_SECURE, {NULL}},
	    {"example.test.",
	     LDNS_RR_TYPE_A,
	     FAKE_DATA_SECURE,
	     {"example.test. 300 IN A 192.0.2.1"}},
	    {"_25._tcp.example.test.",
	     LDNS_RR_TYPE_TLSA,
	     FAKE_DATA_SECURE,
	     {"_25._tcp.example.test. 300 IN TLSA 3 1 1 " D32}},
	};
	struct mx_result r;

	ck_assert_int_eq(walk(zone, NELEMS(zone), "example.test", NULL, 0, AF_INET, &r),
			 MX_WALK_HOSTS);
	ck_assert_int_eq(r.status, MX_IMPLICIT);
	ck_assert_uint_eq(r.nhosts, 1);
	ck_assert_str_eq(r.hosts[0].name, "example.test.");
	ck_assert(r.hosts[0].implicit);
	ck_assert_int_eq(r.hosts[0].preference, 0);
	ck_assert_str_eq(r.hosts[0].tlsa_qname, "_25._tcp.example.test.");
	ck_assert(mx_host_dane_usable(&r.hosts[0]));
	mx_result_clear(&r);
}
END_TEST

START_TEST(hosts_given_instead_of_a_domain_are_walked_without_mx_lookup)
{
	static const struct fake_rrset zone[] = {
	    {"mx.example.test.",
	     LDNS_RR_TYPE_A,
	     FAKE_DATA_SECURE,
	     {"mx.example.test. 300 IN A 192.0.2.1"}},
	    {"_25._tcp.mx.example.test.",
	     LDNS_RR_TYPE_TLSA,
	     FAKE_DATA_SECURE,
	     {"_25._tcp.mx.example.test. 300 IN TLSA 3 1 1 " D32}},
	};
	struct mx_result r;

	ck_assert_int_eq(walk_host(zone, NELEMS(zone), &r), MX_WALK_HOSTS);
	ck_assert_int_eq(r.status, MX_HOSTS);
	ck_assert_str_eq(mx_target(&r), "MX hosts");
	ck_assert_int_eq(r.hosts[0].preference, -1);
	ck_assert(mx_host_dane_usable(&r.hosts[0]));
	mx_result_clear(&r);
}
END_TEST

START_TEST(an_invalid_domain_ends_the_walk_before_any_query)
{
	struct fake *f = fake_start_zone(NULL, 0);
	struct dns_resolver res = {0};
	struct deadline dl;
	struct mx_result r;

	fake_add_to(f, &res);
	deadline_start(&dl, 2);
	ck_assert_int_eq(mx_walk(&res, "a..b", NULL, 0, AF_INET, 25, &dl, &r), MX_WALK_INPUT);
	ck_assert_ptr_nonnull(strstr(mx_words(&r), "invalid domain name 'a..b'"));
	ck_assert_int_eq(r.local, MX_LOCAL_DOMAIN_NAME);
	ck_assert_str_eq(r.local_name, "a..b");
	ck_assert_uint_eq(r.nhosts, 0);
	ck_assert_int_eq(f->queries, 0);
	mx_result_clear(&r);
	fake_stop(f);
}
END_TEST

/*
 * The TLSA base domain of a CNAME'd host (RFC 7672 2.2.2): the expanded
 * name first; the original name only when the expanded name has no TLSA.
 */
static const struct {
	enum fake_how target;   /* TLSA at the CNAME target */
	enum fake_how original; /* TLSA at the MX host name */
	const char *base;
	bool fallback;
	enum dns_class cls;
} cname_bases[] = {
    {FAKE_DATA_SECURE, FAKE_DATA_SECURE, "host.target.test.", false, DNS_SECURE},
    {FAKE_NODATA_SECURE, FAKE_DATA_SECURE, "mx.example.test.", true, DNS_SECURE},
    {FAKE_NXDOMAIN_SECURE, FAKE_DATA_SECURE, "mx.example.test.", true, DNS_SECURE},
    {FAKE_NODATA_SECURE, FAKE_NODATA_SECURE, "mx.example.test.", true, DNS_NONEXISTENT},
    {FAKE_DATA_BOGUS, FAKE_DATA_SECURE, "host.target.test.", false, DNS_BOGUS},
};

START_TEST(a_cname_host_takes_the_expanded_name_then_the_original_as_base)
{
	struct fake_rrset zone[] = {
	    {"mx.example.test.",
	     LDNS_RR_TYPE_A,
	     FAKE_DATA_SECURE,
	     {"mx.example.test. 300 IN CNAME host.target.test.",
	      "host.target.test. 300 IN A 192.0.2.1"}},
	    {"_25._tcp.host.target.test.",
	     LDNS_RR_TYPE_TLSA,
	     cname_bases[_i].target,
	     {"_25._tcp.host.target.test. 300 IN TLSA 3 1 1 " D32}},
	    {"_25._tcp.mx.example.test.",
	     LDNS_RR_TYPE_TLSA,
	     cname_bases[_i].original,
	     {"_25._tcp.mx.example.test. 300 IN TLSA 3 1 1 " D32}},
	};
	struct mx_result r;
	const struct mx_host *h;
	char qname[MX_NAME_MAX + 16];

	ck_assert_int_eq(walk_host(zone, NELEMS(zone), &r), MX_WALK_HOSTS);
	h = &r.hosts[0];
	ck_assert_str_eq(h->expanded, "host.target.test.");
	ck_assert_int_eq(h->addr_class, DNS_SECURE);
	ck_assert_str_eq(h->tlsa_base, cname_bases[_i].base);
	snprintf(qname, sizeof(qname), "_25._tcp.%s", cname_bases[_i].base);
	ck_assert_str_eq(h->tlsa_qname, qname);
	ck_assert_int_eq(h->tlsa_base_fallback, cname_bases[_i].fallback);
	ck_assert_int_eq(h->tlsa_class, cname_bases[_i].cls);
	mx_result_clear(&r);
}
END_TEST

/* Both address families count: one that is not secure makes DANE inapplicable. */
static const struct {
	enum fake_how a, aaaa;
	enum dns_class cls;
	int naddrs; /* -1: not asserted */
	bool tlsa_looked_up;
	const char *detail; /* part of words_dns_mx_addr() */
	/* the facts of the last address answer that was bogus or failed */
	enum dns_class problem; /* DNS_SECURE: none */
	ldns_rr_type problem_type;
} address_outcomes[] = {
    {FAKE_DATA_SECURE, FAKE_NODATA_SECURE, DNS_SECURE, 1, true, "", DNS_SECURE, 0},
    {FAKE_DATA_SECURE, FAKE_DATA_SECURE, DNS_SECURE, 2, true, "", DNS_SECURE, 0},
    {FAKE_DATA_INSECURE, FAKE_NODATA_INSECURE, DNS_INSECURE, 1, false, "", DNS_SECURE, 0},
    {FAKE_DATA_SECURE, FAKE_DATA_INSECURE, DNS_INSECURE, 2, false, "", DNS_SECURE, 0},
    {FAKE_DATA_SECURE, FAKE_NODATA_INSECURE, DNS_INSECURE, 1, false, "", DNS_SECURE, 0},
    {FAKE_NXDOMAIN_SECURE, FAKE_NXDOMAIN_SECURE, DNS_NONEXISTENT, 0, false, "", DNS_SECURE, 0},
    {FAKE_DATA_BOGUS, FAKE_NODATA_SECURE, DNS_BOGUS, -1, false,
     "SERVFAIL, the data is there with CD but does not validate", DNS_BOGUS, LDNS_RR_TYPE_A},
    {FAKE_DATA_BOGUS, FAKE_FAIL, DNS_BOGUS, -1, false,
     "SERVFAIL, also with CD (the resolver cannot get an answer", DNS_ERROR, LDNS_RR_TYPE_AAAA},
    {FAKE_FAIL, FAKE_DATA_SECURE, DNS_ERROR, 1, false, "SERVFAIL", DNS_ERROR, LDNS_RR_TYPE_A},
};

START_TEST(address_security_decides_whether_tlsa_is_looked_up)
{
	struct fake_rrset zone[] = {
	    {"mx.example.test.",
	     LDNS_RR_TYPE_A,
	     address_outcomes[_i].a,
	     {"mx.example.test. 300 IN A 192.0.2.1"}},
	    {"mx.example.test.",
	     LDNS_RR_TYPE_AAAA,
	     address_outcomes[_i].aaaa,
	     {"mx.example.test. 300 IN AAAA 2001:db8::1"}},
	    {"_25._tcp.mx.example.test.",
	     LDNS_RR_TYPE_TLSA,
	     FAKE_DATA_SECURE,
	     {"_25._tcp.mx.example.test. 300 IN TLSA 3 1 1 " D32}},
	};
	struct mx_result r;
	const struct mx_host *h;

	ck_assert_int_eq(walk_host(zone, NELEMS(zone), &r), MX_WALK_HOSTS);
	h = &r.hosts[0];
	ck_assert_int_eq(h->addr_class, address_outcomes[_i].cls);
	if (address_outcomes[_i].naddrs >= 0)
		ck_assert_uint_eq(h->naddrs, (size_t)address_outcomes[_i].naddrs);
	ck_assert_int_eq(h->tlsa_looked_up, address_outcomes[_i].tlsa_looked_up);
	ck_assert_int_eq(mx_host_dane_usable(h), address_outcomes[_i].tlsa_looked_up);
	ck_assert_msg(strstr(addr_words(h), address_outcomes[_i].detail) != NULL,
		      "'%s' not in '%s'", address_outcomes[_i].detail, addr_words(h));
	ck_assert_int_eq(h->addr_problem.cls, address_outcomes[_i].problem);
	if (address_outcomes[_i].problem != DNS_SECURE)
		ck_assert_int_eq(h->addr_problem.qtype, address_outcomes[_i].problem_type);
	mx_result_clear(&r);
}
END_TEST

/* The TLSA RRset: bogus is a failure, not "no records" (RFC 7672 2.2). */
static const struct {
	enum fake_how how;
	enum dns_class cls;
	bool denial_secure;
	size_t n;
	const char *detail; /* part of words_dns_mx_tlsa() */
	enum dns_fail fail; /* of the TLSA answer kept in tlsa_answer */
} tlsa_outcomes[] = {
    {FAKE_DATA_SECURE, DNS_SECURE, false, 1, "", DNS_FAIL_NONE},
    {FAKE_DATA_INSECURE, DNS_INSECURE, false, 1, "", DNS_FAIL_NONE},
    {FAKE_DATA_BOGUS, DNS_BOGUS, false, 1,
     "SERVFAIL, the data is there with CD but does not validate", DNS_FAIL_NONE},
    {FAKE_NODATA_SECURE, DNS_NONEXISTENT, true, 0, "", DNS_FAIL_NONE},
    {FAKE_NODATA_INSECURE, DNS_NONEXISTENT, false, 0, "", DNS_FAIL_NONE},
    {FAKE_NXDOMAIN_SECURE, DNS_NONEXISTENT, true, 0, "", DNS_FAIL_NONE},
    {FAKE_FAIL, DNS_ERROR, false, 0, "SERVFAIL", DNS_FAIL_SERVFAIL},
};

START_TEST(tlsa_security_is_recorded_with_the_records)
{
	struct fake_rrset zone[] = {
	    {"mx.example.test.",
	     LDNS_RR_TYPE_A,
	     FAKE_DATA_SECURE,
	     {"mx.example.test. 300 IN A 192.0.2.1"}},
	    {"_25._tcp.mx.example.test.",
	     LDNS_RR_TYPE_TLSA,
	     tlsa_outcomes[_i].how,
	     {"_25._tcp.mx.example.test. 300 IN TLSA 3 1 1 " D32}},
	};
	struct mx_result r;
	const struct mx_host *h;

	ck_assert_int_eq(walk_host(zone, NELEMS(zone), &r), MX_WALK_HOSTS);
	h = &r.hosts[0];
	ck_assert(h->tlsa_looked_up);
	ck_assert_int_eq(h->tlsa_class, tlsa_outcomes[_i].cls);
	ck_assert_int_eq(h->tlsa_denial_secure, tlsa_outcomes[_i].denial_secure);
	ck_assert_uint_eq(h->tlsa.n, tlsa_outcomes[_i].n);
	ck_assert_int_eq(mx_host_dane_usable(h), tlsa_outcomes[_i].cls == DNS_SECURE);
	ck_assert_msg(strstr(tlsa_words(h), tlsa_outcomes[_i].detail) != NULL, "'%s' not in '%s'",
		      tlsa_outcomes[_i].detail, tlsa_words(h));
	ck_assert_int_eq(h->tlsa_answer.cls, tlsa_outcomes[_i].cls);
	ck_assert_int_eq(h->tlsa_answer.secure,
			 tlsa_outcomes[_i].cls == DNS_SECURE || tlsa_outcomes[_i].denial_secure);
	ck_assert_int_eq(h->tlsa_answer.fail.kind, tlsa_outcomes[_i].fail);
	ck_assert_int_eq(h->tlsa_answer.qtype, LDNS_RR_TYPE_TLSA);
	ck_assert_uint_eq(h->tlsa_answer.nrecords, tlsa_outcomes[_i].n);
	mx_result_clear(&r);
}
END_TEST

START_TEST(the_earliest_signature_expiry_is_kept)
{
	static const struct fake_rrset zone[] = {
	    {"example.test.",
	     LDNS_RR_TYPE_MX,
	     FAKE_DATA_SECURE,
	     {"example.test. 300 IN MX 10 mx.example.test.",
	      "example.test. 300 IN RRSIG MX 13 2 300 20300101000000 20200101000000 1 "
	      "example.test. AAAA"}},
	    {"mx.example.test.",
	     LDNS_RR_TYPE_A,
	     FAKE_DATA_SECURE,
	     {"mx.example.test. 300 IN A 192.0.2.1",
	      "mx.example.test. 300 IN RRSIG A 13 3 300 20290101000000 20200101000000 1 "
	      "example.test. AAAA"}},
	    {"_25._tcp.mx.example.test.",
	     LDNS_RR_TYPE_TLSA,
	     FAKE_DATA_SECURE,
	     {"_25._tcp.mx.example.test. 300 IN TLSA 3 1 1 " D32,
	      "_25._tcp.mx.example.test. 300 IN RRSIG TLSA 13 5 300 20310101000000 "
	      "20200101000000 1 example.test. AAAA"}},
	};
	struct mx_result r;

	ck_assert_int_eq(walk(zone, NELEMS(zone), "example.test", NULL, 0, AF_INET, &r),
			 MX_WALK_HOSTS);
	ck_assert_int_eq(r.sig_expire, 1893456000);          /* 2030-01-01: the MX RRset */
	ck_assert_int_eq(r.hosts[0].sig_expire, 1861920000); /* 2029-01-01: address < TLSA */
	mx_result_clear(&r);
}
END_TEST

START_TEST(the_walk_keeps_the_most_preferred_mx_max_hosts)
{
	static char lines[100][80];
	static struct fake_rrset zone[1] = {
	    {"example.test.", LDNS_RR_TYPE_MX, FAKE_DATA_SECURE, {NULL}}};
	struct mx_result r;
	int i;

	for (i = 0; i < 100; i++) {
		/* the most preferred come last: they must still be the ones kept */
		snprintf(lines[i], sizeof(lines[i]),
			 "example.test. 300 IN MX %d mx%d.example.test.", 99 - i, i);
		zone[0].rrs[i] = lines[i];
	}
	/* 100 records do not fit in a UDP answer: this also takes the TCP path */
	ck_assert_int_eq(walk(zone, 1, "example.test", NULL, 0, AF_INET, &r), MX_WALK_HOSTS);
	ck_assert_uint_eq(r.nhosts, MX_MAX_HOSTS);
	ck_assert_uint_eq(r.hosts_ignored, 100 - MX_MAX_HOSTS);
	ck_assert_str_eq(r.hosts[0].name, "mx99.example.test.");
	ck_assert_int_eq(r.hosts[MX_MAX_HOSTS - 1].preference, MX_MAX_HOSTS - 1);
	mx_result_clear(&r);
}
END_TEST

START_TEST(addresses_beyond_mx_max_addrs_are_cut_and_flagged)
{
	static char lines[MX_MAX_ADDRS + 4][64];
	static struct fake_rrset zone[1] = {
	    {"mx.example.test.", LDNS_RR_TYPE_A, FAKE_DATA_SECURE, {NULL}}};
	struct mx_result r;
	int i;

	for (i = 0; i < MX_MAX_ADDRS + 4; i++) {
		snprintf(lines[i], sizeof(lines[i]), "mx.example.test. 300 IN A 192.0.2.%d", i + 1);
		zone[0].rrs[i] = lines[i];
	}
	ck_assert_int_eq(walk_host(zone, 1, &r), MX_WALK_HOSTS);
	ck_assert_uint_eq(r.hosts[0].naddrs, MX_MAX_ADDRS);
	ck_assert(r.hosts[0].addrs_truncated);
	ck_assert_str_eq(r.hosts[0].addrs[0].text, "192.0.2.1");
	mx_result_clear(&r);
}
END_TEST

START_TEST(an_unvalidated_answer_has_the_resolver_judged)
{
	static const struct fake_rrset zone[] = {
	    {"example.test.",
	     LDNS_RR_TYPE_MX,
	     FAKE_DATA_INSECURE,
	     {"example.test. 300 IN MX 10 mx.example.test."}},
	};
	struct mx_result r;

	/* no AD and no RRSIG: the DS of example.test. and test. are asked (secure NODATA,
	 * unsigned): nothing signed to judge by, and no time ran out */
	ck_assert_int_eq(walk(zone, NELEMS(zone), "example.test", NULL, 0, AF_INET, &r),
			 MX_WALK_DOMAIN);
	ck_assert_str_eq(r.trust.start, "example.test.");
	ck_assert(!r.trust.signed_data);
	ck_assert(r.trust.result.judged);
	ck_assert_int_eq(r.trust.result.verdict, DNS_TRUST_UNKNOWN);
	ck_assert_str_eq(trust_words(&r.trust.result), "no signed data above the name to judge by");
	ck_assert(!r.trust.expired);
	mx_result_clear(&r);
}
END_TEST

/* The words of the walk's facts, made here: the MX answer, our own failures. */
static const struct {
	enum mx_status status;
	enum mx_local local;
	const char *local_name;
	struct dns_outcome answer;
	const char *words;
} detail_words[] = {
    {MX_FOUND, MX_LOCAL_NONE, "", {.cls = DNS_SECURE, .secure = true}, ""},
    {MX_HOSTS, MX_LOCAL_NONE, "", {.cls = DNS_SECURE}, ""},
    {MX_IMPLICIT, MX_LOCAL_NONE, "", {.cls = DNS_NONEXISTENT, .secure = true}, ""},
    {MX_NULL, MX_LOCAL_NONE, "", {.cls = DNS_SECURE, .secure = true}, ""},
    {MX_ERROR, MX_LOCAL_DOMAIN_NAME, "a..b", {.cls = DNS_SECURE}, "invalid domain name 'a..b'"},
    {MX_HOSTS, MX_LOCAL_HOST_NAME, "x..y", {.cls = DNS_SECURE}, "invalid host name 'x..y'"},
    {MX_ERROR, MX_LOCAL_MEMORY, "", {.cls = DNS_SECURE, .secure = true}, "out of memory"},
    {MX_INSECURE, MX_LOCAL_NONE, "", {.cls = DNS_INSECURE}, "the MX RRset has no AD flag"},
    {MX_INSECURE,
     MX_LOCAL_NONE,
     "",
     {.cls = DNS_NONEXISTENT},
     "no MX records, and the denial is not DNSSEC-signed"},
    {MX_INSECURE,
     MX_LOCAL_NONE,
     "",
     {.cls = DNS_NONEXISTENT, .nxdomain = true},
     "NXDOMAIN, and the denial is not DNSSEC-signed"},
    {MX_NXDOMAIN,
     MX_LOCAL_NONE,
     "",
     {.cls = DNS_NONEXISTENT, .secure = true, .nxdomain = true},
     "NXDOMAIN"},
    {MX_BOGUS,
     MX_LOCAL_NONE,
     "",
     {.cls = DNS_BOGUS, .final_rcode = LDNS_RCODE_NOERROR, .ede = {.n = 1, .ede = {{.code = 6}}}},
     "SERVFAIL; with CD: NOERROR, the data does not validate (bogus); EDE 6 (DNSSEC Bogus)"},
    {MX_ERROR,
     MX_LOCAL_NONE,
     "",
     {.cls = DNS_ERROR,
      .fail = {.kind = DNS_FAIL_TIMEOUT, .seconds = 4, .stage = "looking up the MX records"}},
     "timed out after 4 s while looking up the MX records"},
};

START_TEST(walk_details_are_said_from_their_facts)
{
	struct mx_result r = {.status = detail_words[_i].status,
			      .local = detail_words[_i].local,
			      .answer = detail_words[_i].answer};
	char text[MX_DETAIL_MAX];

	snprintf(r.local_name, sizeof(r.local_name), "%s", detail_words[_i].local_name);
	ck_assert_uint_eq(words_dns_mx_detail(&r, text, sizeof(text)),
			  strlen(detail_words[_i].words));
	ck_assert_str_eq(text, detail_words[_i].words);
}
END_TEST

/* A host's address and TLSA problems: bogus and failed answers have words, others none. */
static const struct {
	struct dns_outcome o;
	const char *words;
} problem_words[] = {
    {{.cls = DNS_SECURE}, ""},
    {{.cls = DNS_INSECURE}, ""},
    {{.cls = DNS_NONEXISTENT}, ""},
    {{.cls = DNS_BOGUS}, "SERVFAIL, the data is there with CD but does not validate"},
    {{.cls = DNS_BOGUS, .ede = {.n = 1, .total = 2, .ede = {{.code = 7}}}},
     "SERVFAIL, the data is there with CD but does not validate; EDE 7 (Signature Expired); and "
     "1 more EDE"},
    {{.cls = DNS_ERROR, .fail = {.kind = DNS_FAIL_RCODE, .rcode = LDNS_RCODE_REFUSED}},
     "REFUSED (the resolver refuses to answer us)"},
};

START_TEST(host_problems_are_said_from_their_facts)
{
	struct mx_host h = {.addr_problem = problem_words[_i].o,
			    .tlsa_answer = problem_words[_i].o};
	char text[MX_DETAIL_MAX];

	ck_assert_uint_eq(words_dns_mx_addr(&h, text, sizeof(text)),
			  strlen(problem_words[_i].words));
	ck_assert_str_eq(text, problem_words[_i].words);
	ck_assert_uint_eq(words_dns_mx_tlsa(&h, text, sizeof(text)),
			  strlen(problem_words[_i].words));
	ck_assert_str_eq(text, problem_words[_i].words);
}
END_TEST

START_TEST(a_trust_check_out_of_time_says_so)
{
	struct mx_trust t = {.start = "example.org.", .resolver = "127.0.0.1@53"};
	char text[512];

	ck_assert_uint_eq(words_dns_mx_trust_timeout(&t, text, sizeof(text)), 0);
	ck_assert_str_eq(text, "");
	t.expired = true;
	t.seconds = 10;
	words_dns_mx_trust_timeout(&t, text, sizeof(text));
	ck_assert_str_eq(text, "timed out after 10 s while asking 127.0.0.1@53 for the DS of "
			       "example.org. and its ancestors");
}
END_TEST

static Suite *
mx_suite(void)
{
	Suite *s = suite_create("mx");
	TCase *rrset = tcase_create("rrset");
	TCase *w = tcase_create("walk");

	tcase_add_test(rrset, mx_hosts_are_ordered_by_preference_then_name);
	tcase_add_test(rrset, null_mx_means_no_mail);
	tcase_add_test(rrset, null_mx_next_to_real_hosts_is_flagged);
	tcase_add_test(rrset, huge_mx_sets_keep_the_most_preferred_hosts);
	tcase_add_test(rrset, hosts_from_the_command_line_are_made_absolute);
	suite_add_tcase(s, rrset);

	tcase_set_timeout(w, 15);
	tcase_add_loop_test(w, the_mx_answer_decides_the_walk, 0, NELEMS(mx_outcomes));
	tcase_add_test(w, a_secure_walk_gathers_addresses_and_tlsa_of_every_host);
	tcase_add_test(w, the_walk_orders_hosts_by_preference_then_name);
	tcase_add_test(w, implicit_mx_makes_the_domain_its_own_host);
	tcase_add_test(w, hosts_given_instead_of_a_domain_are_walked_without_mx_lookup);
	tcase_add_test(w, an_invalid_domain_ends_the_walk_before_any_query);
	tcase_add_loop_test(w, a_cname_host_takes_the_expanded_name_then_the_original_as_base, 0,
			    NELEMS(cname_bases));
	tcase_add_loop_test(w, address_security_decides_whether_tlsa_is_looked_up, 0,
			    NELEMS(address_outcomes));
	tcase_add_loop_test(w, tlsa_security_is_recorded_with_the_records, 0,
			    NELEMS(tlsa_outcomes));
	tcase_add_test(w, the_earliest_signature_expiry_is_kept);
	tcase_add_test(w, the_walk_keeps_the_most_preferred_mx_max_hosts);
	tcase_add_test(w, addresses_beyond_mx_max_addrs_are_cut_and_flagged);
	tcase_add_test(w, an_unvalidated_answer_has_the_resolver_judged);
	tcase_add_loop_test(w, walk_details_are_said_from_their_facts, 0, NELEMS(detail_words));
	tcase_add_loop_test(w, host_problems_are_said_from_their_facts, 0, NELEMS(problem_words));
	tcase_add_test(w, a_trust_check_out_of_time_says_so);
	suite_add_tcase(s, w);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(mx_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
