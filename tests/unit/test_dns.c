/*
 * test_dns.c -- the query engine: the DNSSEC classification of answers and
 * the transport (retransmission, failover, TCP, timeouts), against a
 * scripted DNS server (fake_dns.h).
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dns.h"
#include "fake_dns.h"
#include "words_dns.h"

/* The words of an answer's failure (tests run in one thread: one buffer will do). */
static const char *
fail_words(const struct dns_answer *a)
{
	static char buf[WORDS_DNS_ERROR_MAX];

	words_dns_error(&a->fail, buf, sizeof(buf));
	return buf;
}

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

/* What the resolver says (the fake's mode), and what the answer says. */
static const struct {
	const char *behaviour;
	enum fake_mode mode;
	enum dns_class cls;
	bool secure, nxdomain;
	enum dns_error error;
	const char *detail;   /* in the detail, or NULL */
	const char *describe; /* words_dns_answer(), exactly */
	/* the facts of the outcome: failure kind, rcode, the CD re-ask */
	enum dns_fail fail;
	int rcode;     /* of the failure; of the final answer (DNS_BOGUS: with CD) */
	bool cd_retry; /* the failure came to the CD re-ask */
	size_t nrecords;
} class_cases[] = {
    {"validated data is secure", FAKE_SECURE, DNS_SECURE, true, false, DNS_ERR_NONE, NULL,
     "NOERROR, 1 A record, AD set (validated, secure)", DNS_FAIL_NONE, LDNS_RCODE_NOERROR, false,
     1},
    {"data without AD is insecure", FAKE_INSECURE, DNS_INSECURE, false, false, DNS_ERR_NONE, NULL,
     "NOERROR, 1 A record, no AD (not validated)", DNS_FAIL_NONE, LDNS_RCODE_NOERROR, false, 1},
    {"NXDOMAIN is nonexistent, with its security", FAKE_NXDOMAIN, DNS_NONEXISTENT, true, true,
     DNS_ERR_NONE, NULL, "NXDOMAIN, AD set (validated denial)", DNS_FAIL_NONE, LDNS_RCODE_NXDOMAIN,
     false, 0},
    {"NODATA is nonexistent, not NXDOMAIN", FAKE_NODATA, DNS_NONEXISTENT, false, false,
     DNS_ERR_NONE, NULL, "NOERROR/NODATA, no AD (not validated)", DNS_FAIL_NONE, LDNS_RCODE_NOERROR,
     false, 0},
    {"SERVFAIL with the data under CD is bogus", FAKE_BOGUS, DNS_BOGUS, false, false, DNS_ERR_NONE,
     NULL, "SERVFAIL; with CD: NOERROR, the data does not validate (bogus)", DNS_FAIL_NONE,
     LDNS_RCODE_NOERROR, false, 1},
    {"SERVFAIL also with CD is a server failure", FAKE_SERVFAIL, DNS_ERROR, false, false,
     DNS_ERR_SERVFAIL, "SERVFAIL, also with CD",
     "SERVFAIL, also with CD (the resolver cannot get an answer, not a validation failure)",
     DNS_FAIL_SERVFAIL, LDNS_RCODE_SERVFAIL, true, 0},
    {"REFUSED is an error", FAKE_REFUSED, DNS_ERROR, false, false, DNS_ERR_REFUSED, "REFUSED",
     "REFUSED (the resolver refuses to answer us)", DNS_FAIL_RCODE, LDNS_RCODE_REFUSED, false, 0},
};

START_TEST(answer_is_classified)
{
	struct dns_answer a;
	struct fake *f = ask(class_cases[_i].mode, 2, &a);
	const char *what = class_cases[_i].behaviour;
	struct dns_outcome o;
	char text[256];

	ck_assert_msg(a.cls == class_cases[_i].cls, "%s: class %s", what, dns_class_name(a.cls));
	ck_assert_msg(a.secure == class_cases[_i].secure, "%s: secure %d", what, a.secure);
	ck_assert_msg(a.nxdomain == class_cases[_i].nxdomain, "%s: nxdomain %d", what, a.nxdomain);
	ck_assert_msg(a.error == class_cases[_i].error, "%s: error %d", what, a.error);
	if (class_cases[_i].detail != NULL)
		ck_assert_msg(strstr(fail_words(&a), class_cases[_i].detail) != NULL,
			      "%s: detail '%s'", what, fail_words(&a));
	words_dns_answer(&a, text, sizeof(text));
	ck_assert_msg(strcmp(text, class_cases[_i].describe) == 0, "%s: described as '%s'", what,
		      text);
	/* the facts the words are made from */
	dns_answer_outcome(&a, &o);
	ck_assert_msg(a.fail.kind == class_cases[_i].fail, "%s: failure kind %d", what,
		      a.fail.kind);
	ck_assert_int_eq(a.qtype, LDNS_RR_TYPE_A);
	ck_assert_int_eq(o.qtype, LDNS_RR_TYPE_A);
	ck_assert_uint_eq(o.nrecords, class_cases[_i].nrecords);
	if (a.cls == DNS_ERROR) {
		ck_assert_int_eq(a.fail.rcode, class_cases[_i].rcode);
		ck_assert_int_eq(a.fail.cd_retry, class_cases[_i].cd_retry);
		ck_assert(!a.fail.authoritative);
		ck_assert_int_eq(o.final_rcode, -1);
	} else {
		ck_assert_int_eq(o.final_rcode, class_cases[_i].rcode);
	}
	words_dns_answer(&a, text, sizeof(text));
	ck_assert_str_eq(text, class_cases[_i].describe);
	dns_answer_clear(&a);
	fake_stop(f);
}
END_TEST

START_TEST(answer_carries_its_records_rcode_server_and_rtt)
{
	struct dns_answer a;
	struct fake *f = ask(FAKE_SECURE, 2, &a);
	ldns_rr_list *rrs;

	ck_assert_int_eq(a.rcode, LDNS_RCODE_NOERROR);
	ck_assert_int_eq(a.server, 0);
	ck_assert(a.rtt >= 0 && a.rtt < 1);
	rrs = dns_answer_rrs(&a, LDNS_RR_TYPE_A);
	ck_assert_ptr_nonnull(rrs);
	ck_assert_uint_eq(ldns_rr_list_rr_count(rrs), 1);
	ldns_rr_list_deep_free(rrs);
	ck_assert_ptr_null(dns_answer_rrs(&a, LDNS_RR_TYPE_AAAA));
	dns_answer_clear(&a);
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
	dns_answer_clear(&a);
	fake_stop(f);
}
END_TEST

START_TEST(servfail_is_asked_again_with_cd_and_bogus_keeps_the_data)
{
	struct dns_answer a;
	struct fake *f = ask(FAKE_BOGUS, 2, &a);

	ck_assert_int_eq(a.cls, DNS_BOGUS);
	ck_assert_int_eq(a.rcode, LDNS_RCODE_SERVFAIL);
	ck_assert(f->saw_cd);
	ck_assert_int_eq(f->queries, 2);
	ck_assert_ptr_nonnull(a.pkt); /* the data, for the operator */
	dns_answer_clear(&a);
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
	dns_answer_clear(&a);
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
	ck_assert_int_eq(a.fail.kind, DNS_FAIL_MALFORMED);
	ck_assert(!a.fail.tcp);
	ck_assert_str_eq(fail_words(&a), "malformed reply");
	ck_assert(deadline_elapsed(&start) < 1.0);
	dns_answer_clear(&a);
	fake_stop(f);
}
END_TEST

START_TEST(reply_with_wrong_id_is_ignored)
{
	struct dns_answer a;
	struct fake *f = ask(FAKE_WRONG_ID, 1, &a);

	ck_assert_int_eq(a.cls, DNS_ERROR);
	ck_assert_int_eq(a.error, DNS_ERR_TIMEOUT);
	dns_answer_clear(&a);
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
	ck_assert_str_eq(fail_words(&a), "timed out after 1 s while asking the fake");
	ck_assert_int_eq(a.fail.kind, DNS_FAIL_TIMEOUT);
	ck_assert_uint_eq(a.fail.seconds, 1);
	ck_assert_str_eq(a.fail.stage, "asking the fake");
	ck_assert(!a.fail.queued);
	ck_assert_msg(took >= 0.95 && took < 1.3, "took %.3f s", took);
	ck_assert_int_ge(f->queries, 1);
	dns_answer_clear(&a);
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
	ck_assert_ptr_nonnull(strstr(fail_words(&a), "connection refused"));
	ck_assert_int_eq(a.fail.kind, DNS_FAIL_RECV);
	ck_assert_int_eq(a.fail.sys, ECONNREFUSED);
	ck_assert_int_eq(a.server, 0);
	ck_assert(deadline_elapsed(&dl) < 1.0);
	dns_answer_clear(&a);
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
	dns_answer_clear(&a);
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
		dns_answer_clear(&q[i].answer);
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
	ck_assert_ptr_nonnull(strstr(fail_words(&a), "invalid query name"));
	ck_assert_int_eq(a.fail.kind, DNS_FAIL_QUERY_NAME);
	ck_assert_str_eq(a.fail.name, label);
}
END_TEST

START_TEST(a_batch_that_cannot_start_says_why_in_every_answer)
{
	struct dns_resolver none = {0}, one = {0};
	struct dns_query q[2] = {{.name = "a.test", .type = LDNS_RR_TYPE_MX, .server = -1},
				 {.name = "b.test", .type = LDNS_RR_TYPE_TLSA, .server = 3}};
	struct deadline dl;
	size_t i;

	deadline_start(&dl, 1);
	ck_assert_int_eq(dns_query_batch(&none, q, 2, &dl), -1);
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(q[i].answer.cls, DNS_ERROR);
		ck_assert_int_eq(q[i].answer.error, DNS_ERR_LOCAL);
		ck_assert_int_eq(q[i].answer.fail.kind, DNS_FAIL_NO_RESOLVER);
		ck_assert_int_eq(q[i].answer.qtype, q[i].type);
		ck_assert_str_eq(fail_words(&q[i].answer), "no resolver configured");
	}
	/* a server index beyond the list: that query alone fails */
	add_server(&one, 9); /* never asked: the query names server 3 */
	ck_assert_int_eq(dns_query_batch(&one, &q[1], 1, &dl), 0);
	ck_assert_int_eq(q[1].answer.error, DNS_ERR_LOCAL);
	ck_assert_int_eq(q[1].answer.fail.kind, DNS_FAIL_NO_SUCH_SERVER);
	ck_assert_str_eq(fail_words(&q[1].answer), "no such resolver");
}
END_TEST

static Suite *
dns_suite(void)
{
	Suite *s = suite_create("dns");
	TCase *tc = tcase_create("dns");

	tcase_set_timeout(tc, 15);
	tcase_add_loop_test(tc, answer_is_classified, 0,
			    sizeof(class_cases) / sizeof(class_cases[0]));
	tcase_add_test(tc, answer_carries_its_records_rcode_server_and_rtt);
	tcase_add_test(tc, queries_carry_edns0_with_do_and_no_cd);
	tcase_add_test(tc, servfail_is_asked_again_with_cd_and_bogus_keeps_the_data);
	tcase_add_test(tc, truncated_answer_is_retried_over_tcp);
	tcase_add_test(tc, garbage_reply_is_malformed_without_waiting);
	tcase_add_test(tc, reply_with_wrong_id_is_ignored);
	tcase_add_test(tc, silence_times_out_at_the_deadline_with_the_stage);
	tcase_add_test(tc, closed_port_is_unreachable_at_once);
	tcase_add_test(tc, refusing_server_fails_over_to_the_next);
	tcase_add_test(tc, batch_runs_queries_concurrently);
	tcase_add_test(tc, invalid_name_is_a_local_error);
	tcase_add_test(tc, a_batch_that_cannot_start_says_why_in_every_answer);
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
