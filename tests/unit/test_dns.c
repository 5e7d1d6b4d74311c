/*
 * test_dns.c -- resolver addresses, and the DNSSEC classification of answers
 * against a scripted DNS server (a thread on 127.0.0.1 that answers each
 * query the way a test tells it to).
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dns.h"
#include "fake_dns.h"

static void
add_server(struct dns_resolver *res, unsigned int port)
{
	char spec[64], err[128];

	snprintf(spec, sizeof(spec), "127.0.0.1@%u", port);
	ck_assert_msg(dns_resolver_add(res, spec, 53, err, sizeof(err)) == 0, "%s", err);
}

/* One query of www.example.test A against a fake in the given mode. */
static struct fake *
ask(enum fake_mode mode, unsigned int seconds, struct dns_answer *a)
{
	struct fake *f = fake_start(mode);
	struct dns_resolver res = {0};
	struct deadline dl;

	add_server(&res, f->port);
	deadline_start(&dl, seconds);
	deadline_stage(&dl, "asking the fake");
	ck_assert_int_eq(dns_query(&res, "www.example.test", LDNS_RR_TYPE_A, &dl, a), 0);
	return f;
}

START_TEST(validated_data_is_secure)
{
	struct dns_answer a;
	struct fake *f = ask(FAKE_SECURE, 2, &a);
	ldns_rr_list *rrs;

	ck_assert_int_eq(a.cls, DNS_SECURE);
	ck_assert(a.secure);
	ck_assert_int_eq(a.rcode, LDNS_RCODE_NOERROR);
	ck_assert_int_eq(a.server, 0);
	ck_assert(a.rtt >= 0 && a.rtt < 1);
	rrs = dns_answer_rrs(&a, LDNS_RR_TYPE_A);
	ck_assert_ptr_nonnull(rrs);
	ck_assert_uint_eq(ldns_rr_list_rr_count(rrs), 1);
	ldns_rr_list_deep_free(rrs);
	ck_assert_ptr_null(dns_answer_rrs(&a, LDNS_RR_TYPE_AAAA));
	dns_answer_free(&a);
	fake_stop(f);
}
END_TEST

START_TEST(queries_carry_edns0_with_do_and_no_cd)
{
	struct dns_answer a;
	struct fake *f = ask(FAKE_SECURE, 2, &a);

	ck_assert(f->saw_do);
	ck_assert(!f->saw_cd);
	ck_assert_uint_eq(f->edns_size, DNS_EDNS_SIZE);
	dns_answer_free(&a);
	fake_stop(f);
}
END_TEST

START_TEST(data_without_ad_is_insecure)
{
	struct dns_answer a;
	struct fake *f = ask(FAKE_INSECURE, 2, &a);
	char text[256];

	ck_assert_int_eq(a.cls, DNS_INSECURE);
	ck_assert(!a.secure);
	dns_answer_describe(&a, text, sizeof(text));
	ck_assert_str_eq(text, "NOERROR, 1 A record, no AD (not validated)");
	dns_answer_free(&a);
	fake_stop(f);
}
END_TEST

START_TEST(nxdomain_is_nonexistent_with_its_security)
{
	struct dns_answer a;
	struct fake *f = ask(FAKE_NXDOMAIN, 2, &a);

	ck_assert_int_eq(a.cls, DNS_NONEXISTENT);
	ck_assert(a.nxdomain);
	ck_assert(a.secure);
	dns_answer_free(&a);
	fake_stop(f);
}
END_TEST

START_TEST(nodata_is_nonexistent_not_nxdomain)
{
	struct dns_answer a;
	struct fake *f = ask(FAKE_NODATA, 2, &a);

	ck_assert_int_eq(a.cls, DNS_NONEXISTENT);
	ck_assert(!a.nxdomain);
	ck_assert(!a.secure);
	dns_answer_free(&a);
	fake_stop(f);
}
END_TEST

START_TEST(servfail_with_data_under_cd_is_bogus)
{
	struct dns_answer a;
	struct fake *f = ask(FAKE_BOGUS, 2, &a);
	char text[256];

	ck_assert_int_eq(a.cls, DNS_BOGUS);
	ck_assert(!a.secure);
	ck_assert_int_eq(a.rcode, LDNS_RCODE_SERVFAIL);
	ck_assert(f->saw_cd);
	ck_assert_int_eq(f->queries, 2);
	ck_assert_ptr_nonnull(a.pkt); /* the data, for the operator */
	dns_answer_describe(&a, text, sizeof(text));
	ck_assert_ptr_nonnull(strstr(text, "bogus"));
	dns_answer_free(&a);
	fake_stop(f);
}
END_TEST

START_TEST(servfail_also_with_cd_is_a_server_failure)
{
	struct dns_answer a;
	struct fake *f = ask(FAKE_SERVFAIL, 2, &a);

	ck_assert_int_eq(a.cls, DNS_ERROR);
	ck_assert_int_eq(a.error, DNS_ERR_SERVFAIL);
	ck_assert_ptr_nonnull(strstr(a.detail, "SERVFAIL, also with CD"));
	dns_answer_free(&a);
	fake_stop(f);
}
END_TEST

START_TEST(refused_is_an_error)
{
	struct dns_answer a;
	struct fake *f = ask(FAKE_REFUSED, 2, &a);

	ck_assert_int_eq(a.cls, DNS_ERROR);
	ck_assert_int_eq(a.error, DNS_ERR_REFUSED);
	ck_assert_ptr_nonnull(strstr(a.detail, "REFUSED"));
	dns_answer_free(&a);
	fake_stop(f);
}
END_TEST

START_TEST(truncated_answer_is_retried_over_tcp)
{
	struct dns_answer a;
	struct fake *f = ask(FAKE_TRUNCATED, 2, &a);

	ck_assert_int_eq(a.cls, DNS_SECURE);
	ck_assert(a.tcp);
	ck_assert_int_eq(f->tcp_queries, 1);
	dns_answer_free(&a);
	fake_stop(f);
}
END_TEST

START_TEST(garbage_reply_is_malformed_without_waiting)
{
	struct dns_answer a;
	struct deadline start;
	struct fake *f;

	deadline_start(&start, 10);
	f = ask(FAKE_GARBAGE, 3, &a);
	ck_assert_int_eq(a.cls, DNS_ERROR);
	ck_assert_int_eq(a.error, DNS_ERR_MALFORMED);
	ck_assert(deadline_elapsed(&start) < 1.0);
	dns_answer_free(&a);
	fake_stop(f);
}
END_TEST

START_TEST(reply_with_wrong_id_is_ignored)
{
	struct dns_answer a;
	struct fake *f = ask(FAKE_WRONG_ID, 1, &a);

	ck_assert_int_eq(a.cls, DNS_ERROR);
	ck_assert_int_eq(a.error, DNS_ERR_TIMEOUT);
	dns_answer_free(&a);
	fake_stop(f);
}
END_TEST

START_TEST(silence_times_out_at_the_deadline_with_the_stage)
{
	struct dns_answer a;
	struct deadline start;
	struct fake *f;
	double took;

	deadline_start(&start, 10);
	f = ask(FAKE_SILENT, 1, &a);
	took = deadline_elapsed(&start);
	ck_assert_int_eq(a.cls, DNS_ERROR);
	ck_assert_int_eq(a.error, DNS_ERR_TIMEOUT);
	ck_assert_str_eq(a.detail, "timed out after 1 s while asking the fake");
	ck_assert_msg(took >= 0.95 && took < 1.3, "took %.3f s", took);
	ck_assert_int_ge(f->queries, 1);
	dns_answer_free(&a);
	fake_stop(f);
}
END_TEST

START_TEST(closed_port_is_unreachable_at_once)
{
	struct dns_resolver res = {0};
	struct dns_answer a;
	struct deadline dl;
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	close(fd); /* now nothing listens there */
	add_server(&res, ntohs(sin.sin_port));
	deadline_start(&dl, 3);
	ck_assert_int_eq(dns_query(&res, "example.test", LDNS_RR_TYPE_SOA, &dl, &a), 0);
	ck_assert_int_eq(a.cls, DNS_ERROR);
	ck_assert_int_eq(a.error, DNS_ERR_UNREACHABLE);
	ck_assert_ptr_nonnull(strstr(a.detail, "connection refused"));
	ck_assert(deadline_elapsed(&dl) < 1.0);
	dns_answer_free(&a);
}
END_TEST

START_TEST(refusing_server_fails_over_to_the_next)
{
	struct fake *bad = fake_start(FAKE_REFUSED), *good = fake_start(FAKE_SECURE);
	struct dns_resolver res = {0};
	struct dns_answer a;
	struct deadline dl;

	add_server(&res, bad->port);
	add_server(&res, good->port);
	deadline_start(&dl, 3);
	ck_assert_int_eq(dns_query(&res, "example.test", LDNS_RR_TYPE_A, &dl, &a), 0);
	ck_assert_int_eq(a.cls, DNS_SECURE);
	ck_assert_int_eq(a.server, 1);
	ck_assert(deadline_elapsed(&dl) < 0.5);
	dns_answer_free(&a);
	fake_stop(bad);
	fake_stop(good);
}
END_TEST

START_TEST(batch_runs_queries_concurrently)
{
	struct fake *slow = fake_start(FAKE_SILENT), *fast = fake_start(FAKE_SECURE);
	struct dns_resolver res = {0};
	struct dns_query q[3];
	struct deadline dl;
	size_t i;

	add_server(&res, slow->port);
	add_server(&res, fast->port);
	memset(q, 0, sizeof(q));
	q[0] = (struct dns_query){.name = "a.test", .type = LDNS_RR_TYPE_A, .server = 0};
	q[1] = (struct dns_query){.name = "b.test", .type = LDNS_RR_TYPE_A, .server = 1};
	q[2] = (struct dns_query){.name = "c.test", .type = LDNS_RR_TYPE_A, .server = 1};
	deadline_start(&dl, 1);
	ck_assert_int_eq(dns_query_batch(&res, q, 3, &dl), 0);
	ck_assert_int_eq(q[0].answer.error, DNS_ERR_TIMEOUT);
	ck_assert_int_eq(q[1].answer.cls, DNS_SECURE);
	ck_assert_int_eq(q[2].answer.cls, DNS_SECURE);
	ck_assert(q[1].answer.rtt < 0.5);
	ck_assert(deadline_elapsed(&dl) < 1.3);
	for (i = 0; i < 3; i++)
		dns_answer_free(&q[i].answer);
	fake_stop(slow);
	fake_stop(fast);
}
END_TEST

START_TEST(invalid_name_is_a_local_error)
{
	struct dns_resolver res = {0};
	struct dns_answer a;
	struct deadline dl;
	char label[100];

	memset(label, 'a', sizeof(label) - 1);
	label[sizeof(label) - 1] = '\0';
	add_server(&res, 53);
	deadline_start(&dl, 1);
	dns_query(&res, label, LDNS_RR_TYPE_A, &dl, &a);
	ck_assert_int_eq(a.cls, DNS_ERROR);
	ck_assert_int_eq(a.error, DNS_ERR_LOCAL);
	ck_assert_ptr_nonnull(strstr(a.detail, "invalid query name"));
}
END_TEST

START_TEST(resolver_addresses_take_optional_ports)
{
	struct dns_resolver res = {0};
	char err[128];

	ck_assert_int_eq(dns_resolver_add(&res, "127.0.0.1", 53, err, sizeof(err)), 0);
	ck_assert_str_eq(res.servers[0].name, "127.0.0.1");
	ck_assert_int_eq(dns_resolver_add(&res, "127.0.0.2@5353", 53, err, sizeof(err)), 0);
	ck_assert_str_eq(res.servers[1].name, "127.0.0.2@5353");
	ck_assert_int_eq(dns_resolver_add(&res, "::1@5353", 53, err, sizeof(err)), 0);
	ck_assert_str_eq(res.servers[2].name, "::1@5353");
	ck_assert_int_eq(res.servers[2].addr.ss_family, AF_INET6);
	ck_assert_int_eq(dns_resolver_add(&res, "2001:db8::1", 5300, err, sizeof(err)), 0);
	ck_assert_str_eq(res.servers[3].name, "2001:db8::1@5300");
	ck_assert_uint_eq(res.nservers, 4);
}
END_TEST

START_TEST(bad_resolver_addresses_are_refused)
{
	const char *bad[] = {"",
			     "resolver.example",
			     "127.0.0.1@",
			     "127.0.0.1@0",
			     "127.0.0.1@65536",
			     "127.0.0.1@53x",
			     "@53",
			     "1.2.3.4.5",
			     "[::1]:53"};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct dns_resolver res = {0};
		char err[128] = "";

		ck_assert_msg(dns_resolver_add(&res, bad[i], 53, err, sizeof(err)) != 0,
			      "'%s' accepted", bad[i]);
		ck_assert_msg(strstr(err, "resolver address") != NULL, "%s: %s", bad[i], err);
		ck_assert_uint_eq(res.nservers, 0);
	}
}
END_TEST

START_TEST(resolv_conf_nameservers_are_read_by_family)
{
	char path[] = "/tmp/test_dns_resolvXXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	struct dns_resolver all = {0}, v6 = {0}, v4 = {0};
	char err[256];

	fputs("# comment\nsearch example.org\nnameserver 192.0.2.53\n"
	      "nameserver   ::1 # local\nnameserver\tnot-an-address\noptions edns0\n"
	      "nameserver 127.0.0.53\n",
	      f);
	fclose(f);
	ck_assert_int_eq(dns_resolver_from_resolv_conf(&all, path, 53, AF_UNSPEC, err, sizeof(err)),
			 0);
	ck_assert_uint_eq(all.nservers, 3);
	ck_assert_str_eq(all.servers[0].name, "192.0.2.53");
	ck_assert_str_eq(all.servers[1].name, "::1");
	ck_assert_str_eq(all.servers[2].name, "127.0.0.53");
	ck_assert_int_eq(dns_resolver_from_resolv_conf(&v6, path, 53, AF_INET6, err, sizeof(err)),
			 0);
	ck_assert_uint_eq(v6.nservers, 1);
	ck_assert_int_eq(dns_resolver_from_resolv_conf(&v4, path, 5353, AF_INET, err, sizeof(err)),
			 0);
	ck_assert_uint_eq(v4.nservers, 2);
	ck_assert_str_eq(v4.servers[0].name, "192.0.2.53@5353");
	unlink(path);
}
END_TEST

START_TEST(resolv_conf_without_nameserver_is_an_error)
{
	struct dns_resolver res = {0};
	char err[256];

	ck_assert_int_ne(dns_resolver_from_resolv_conf(&res, "/nonexistent/resolv.conf", 53,
						       AF_UNSPEC, err, sizeof(err)),
			 0);
	ck_assert_ptr_nonnull(strstr(err, "cannot read"));
}
END_TEST

static Suite *
dns_suite(void)
{
	Suite *s = suite_create("dns");
	TCase *tc = tcase_create("dns");

	tcase_set_timeout(tc, 15);
	tcase_add_test(tc, validated_data_is_secure);
	tcase_add_test(tc, queries_carry_edns0_with_do_and_no_cd);
	tcase_add_test(tc, data_without_ad_is_insecure);
	tcase_add_test(tc, nxdomain_is_nonexistent_with_its_security);
	tcase_add_test(tc, nodata_is_nonexistent_not_nxdomain);
	tcase_add_test(tc, servfail_with_data_under_cd_is_bogus);
	tcase_add_test(tc, servfail_also_with_cd_is_a_server_failure);
	tcase_add_test(tc, refused_is_an_error);
	tcase_add_test(tc, truncated_answer_is_retried_over_tcp);
	tcase_add_test(tc, garbage_reply_is_malformed_without_waiting);
	tcase_add_test(tc, reply_with_wrong_id_is_ignored);
	tcase_add_test(tc, silence_times_out_at_the_deadline_with_the_stage);
	tcase_add_test(tc, closed_port_is_unreachable_at_once);
	tcase_add_test(tc, refusing_server_fails_over_to_the_next);
	tcase_add_test(tc, batch_runs_queries_concurrently);
	tcase_add_test(tc, invalid_name_is_a_local_error);
	tcase_add_test(tc, resolver_addresses_take_optional_ports);
	tcase_add_test(tc, bad_resolver_addresses_are_refused);
	tcase_add_test(tc, resolv_conf_nameservers_are_read_by_family);
	tcase_add_test(tc, resolv_conf_without_nameserver_is_an_error);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(dns_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
