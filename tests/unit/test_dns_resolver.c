/*
 * test_dns_resolver.c -- resolver addresses: "ADDR[@PORT]" literals and the
 * nameservers of resolv.conf.
 */
#include "config.h"

#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dns_resolver.h"

/* Good addresses: spec and default port in, name and family out. */
static const struct {
	const char *spec;
	unsigned int default_port;
	const char *name;
	int family;
} good_addresses[] = {
    {"127.0.0.1", 53, "127.0.0.1", AF_INET},
    {"127.0.0.2@5353", 53, "127.0.0.2@5353", AF_INET},
    {"::1@5353", 53, "::1@5353", AF_INET6},
    {"2001:db8::1", 5300, "2001:db8::1@5300", AF_INET6},
};

START_TEST(resolver_addresses_take_optional_ports)
{
	struct dns_resolver res = {0};
	char err[128];

	ck_assert_int_eq(dns_resolver_add(&res, good_addresses[_i].spec,
					  good_addresses[_i].default_port, err, sizeof(err)),
			 0);
	ck_assert_uint_eq(res.nservers, 1);
	ck_assert_str_eq(res.servers[0].name, good_addresses[_i].name);
	ck_assert_int_eq(res.servers[0].addr.ss_family, good_addresses[_i].family);
}
END_TEST

START_TEST(resolver_addresses_are_kept_in_order)
{
	struct dns_resolver res = {0};
	char err[128];
	size_t i, n = sizeof(good_addresses) / sizeof(good_addresses[0]);

	for (i = 0; i < n; i++)
		ck_assert_int_eq(dns_resolver_add(&res, good_addresses[i].spec,
						  good_addresses[i].default_port, err, sizeof(err)),
				 0);
	ck_assert_uint_eq(res.nservers, 4);
	for (i = 0; i < n; i++)
		ck_assert_str_eq(res.servers[i].name, good_addresses[i].name);
}
END_TEST

static const char *const bad_addresses[] = {
    "",    "resolver.example", "127.0.0.1@", "127.0.0.1@0", "127.0.0.1@65536", "127.0.0.1@53x",
    "@53", "1.2.3.4.5",        "[::1]:53",
};

START_TEST(bad_resolver_addresses_are_refused)
{
	struct dns_resolver res = {0};
	char err[128] = "";

	ck_assert_msg(dns_resolver_add(&res, bad_addresses[_i], 53, err, sizeof(err)) != 0,
		      "'%s' accepted", bad_addresses[_i]);
	ck_assert_msg(strstr(err, "resolver address") != NULL, "%s: %s", bad_addresses[_i], err);
	ck_assert_uint_eq(res.nservers, 0);
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
dns_resolver_suite(void)
{
	Suite *s = suite_create("dns_resolver");
	TCase *tc = tcase_create("dns_resolver");

	tcase_add_loop_test(tc, resolver_addresses_take_optional_ports, 0,
			    sizeof(good_addresses) / sizeof(good_addresses[0]));
	tcase_add_test(tc, resolver_addresses_are_kept_in_order);
	tcase_add_loop_test(tc, bad_resolver_addresses_are_refused, 0,
			    sizeof(bad_addresses) / sizeof(bad_addresses[0]));
	tcase_add_test(tc, resolv_conf_nameservers_are_read_by_family);
	tcase_add_test(tc, resolv_conf_without_nameserver_is_an_error);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(dns_resolver_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
