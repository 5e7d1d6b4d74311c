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

enum fake_mode {
	FAKE_SECURE,    /* A record, AD */
	FAKE_INSECURE,  /* A record, no AD */
	FAKE_NXDOMAIN,  /* NXDOMAIN, AD */
	FAKE_NODATA,    /* NOERROR without answer, no AD */
	FAKE_BOGUS,     /* SERVFAIL, but the data with CD */
	FAKE_SERVFAIL,  /* SERVFAIL always */
	FAKE_REFUSED,   /* REFUSED */
	FAKE_TRUNCATED, /* TC over UDP, the answer (AD) over TCP */
	FAKE_GARBAGE,   /* bytes that are no DNS message */
	FAKE_WRONG_ID,  /* a reply with another ID: must be ignored */
	FAKE_SILENT,    /* reads and never answers */
};

struct fake {
	enum fake_mode mode;
	int udp, tcp, stop[2];
	unsigned int port;
	pthread_t thread;
	/* what the server saw */
	int queries;
	int tcp_queries;
	bool saw_do, saw_cd;
	unsigned int edns_size;
};

/* Build the reply to query q for the fake's mode; returns wire or NULL. */
static uint8_t *
fake_reply(struct fake *f, ldns_pkt *q, bool over_tcp, size_t *len)
{
	ldns_pkt *r = ldns_pkt_new();
	ldns_rr *qrr = ldns_rr_clone(ldns_rr_list_rr(ldns_pkt_question(q), 0));
	uint8_t *wire = NULL;
	bool cd = ldns_pkt_cd(q);
	ldns_rr *a = NULL;
	char owner[256], *o;

	ldns_pkt_set_id(r, ldns_pkt_id(q));
	ldns_pkt_set_qr(r, true);
	ldns_pkt_set_rd(r, true);
	ldns_pkt_set_ra(r, true);
	ldns_pkt_set_cd(r, cd);
	ldns_pkt_push_rr(r, LDNS_SECTION_QUESTION, qrr);
	o = ldns_rdf2str(ldns_rr_owner(qrr));
	snprintf(owner, sizeof(owner), "%s 300 IN A 192.0.2.7", o);
	free(o);
	ldns_rr_new_frm_str(&a, owner, 0, NULL, NULL);

	switch (f->mode) {
	case FAKE_SECURE:
		ldns_pkt_set_ad(r, true);
		ldns_pkt_push_rr(r, LDNS_SECTION_ANSWER, a);
		a = NULL;
		break;
	case FAKE_INSECURE:
		ldns_pkt_push_rr(r, LDNS_SECTION_ANSWER, a);
		a = NULL;
		break;
	case FAKE_NXDOMAIN:
		ldns_pkt_set_ad(r, true);
		ldns_pkt_set_rcode(r, LDNS_RCODE_NXDOMAIN);
		break;
	case FAKE_NODATA:
		break;
	case FAKE_BOGUS:
		if (cd) {
			ldns_pkt_push_rr(r, LDNS_SECTION_ANSWER, a);
			a = NULL;
		} else {
			ldns_pkt_set_rcode(r, LDNS_RCODE_SERVFAIL);
		}
		break;
	case FAKE_SERVFAIL:
		ldns_pkt_set_rcode(r, LDNS_RCODE_SERVFAIL);
		break;
	case FAKE_REFUSED:
		ldns_pkt_set_rcode(r, LDNS_RCODE_REFUSED);
		break;
	case FAKE_TRUNCATED:
		if (over_tcp) {
			ldns_pkt_set_ad(r, true);
			ldns_pkt_push_rr(r, LDNS_SECTION_ANSWER, a);
			a = NULL;
		} else {
			ldns_pkt_set_tc(r, true);
		}
		break;
	case FAKE_WRONG_ID:
		ldns_pkt_set_id(r, (uint16_t)(ldns_pkt_id(q) + 1));
		ldns_pkt_push_rr(r, LDNS_SECTION_ANSWER, a);
		a = NULL;
		break;
	default:
		break;
	}
	if (a != NULL)
		ldns_rr_free(a);
	if (ldns_pkt2wire(&wire, r, len) != LDNS_STATUS_OK)
		wire = NULL;
	ldns_pkt_free(r);
	return wire;
}

static void
fake_note(struct fake *f, ldns_pkt *q)
{
	f->queries++;
	f->saw_do = ldns_pkt_edns_do(q);
	f->saw_cd = f->saw_cd || ldns_pkt_cd(q);
	f->edns_size = ldns_pkt_edns_udp_size(q);
}

static void
fake_udp(struct fake *f)
{
	uint8_t buf[4096];
	struct sockaddr_storage from;
	socklen_t fromlen = sizeof(from);
	ssize_t n = recvfrom(f->udp, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fromlen);
	ldns_pkt *q = NULL;
	uint8_t *wire;
	size_t len;

	if (n <= 0 || ldns_wire2pkt(&q, buf, (size_t)n) != LDNS_STATUS_OK)
		return;
	fake_note(f, q);
	if (f->mode == FAKE_SILENT) {
		ldns_pkt_free(q);
		return;
	}
	if (f->mode == FAKE_GARBAGE) {
		static const char junk[] = "220 this is not DNS | at all";

		sendto(f->udp, junk, sizeof(junk) - 1, 0, (struct sockaddr *)&from, fromlen);
		ldns_pkt_free(q);
		return;
	}
	wire = fake_reply(f, q, false, &len);
	if (wire != NULL)
		sendto(f->udp, wire, len, 0, (struct sockaddr *)&from, fromlen);
	free(wire);
	ldns_pkt_free(q);
}

static void
fake_tcp(struct fake *f)
{
	int c = accept(f->tcp, NULL, NULL);
	uint8_t buf[4096], *wire;
	size_t got = 0, need = 2, len;
	ldns_pkt *q = NULL;
	ssize_t n;

	if (c < 0)
		return;
	while (got < need) {
		n = read(c, buf + got, need - got);
		if (n <= 0)
			goto out;
		got += (size_t)n;
		if (got == 2 && need == 2)
			need = 2 + (((size_t)buf[0] << 8) | buf[1]);
	}
	if (ldns_wire2pkt(&q, buf + 2, need - 2) != LDNS_STATUS_OK)
		goto out;
	fake_note(f, q);
	f->tcp_queries++;
	wire = fake_reply(f, q, true, &len);
	if (wire != NULL) {
		uint8_t hdr[2] = {(uint8_t)(len >> 8), (uint8_t)len};

		if (write(c, hdr, 2) == 2 && write(c, wire, len) == (ssize_t)len) {
			/* sent */
		}
		free(wire);
	}
	ldns_pkt_free(q);
out:
	close(c);
}

static void *
fake_main(void *arg)
{
	struct fake *f = arg;

	for (;;) {
		struct pollfd p[3] = {
		    {f->udp, POLLIN, 0}, {f->tcp, POLLIN, 0}, {f->stop[0], POLLIN, 0}};

		if (poll(p, 3, 5000) <= 0 || p[2].revents)
			return NULL;
		if (p[0].revents)
			fake_udp(f);
		if (p[1].revents)
			fake_tcp(f);
	}
}

static struct fake *
fake_start(enum fake_mode mode)
{
	struct fake *f = calloc(1, sizeof(*f));
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int one = 1, tries;

	ck_assert_ptr_nonnull(f);
	f->mode = mode;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* a free UDP port that is free over TCP too: retry while TCP has it taken */
	for (tries = 0;; tries++) {
		sin.sin_port = 0;
		len = sizeof(sin);
		f->udp = socket(AF_INET, SOCK_DGRAM, 0);
		ck_assert_int_eq(bind(f->udp, (struct sockaddr *)&sin, sizeof(sin)), 0);
		ck_assert_int_eq(getsockname(f->udp, (struct sockaddr *)&sin, &len), 0);
		f->port = ntohs(sin.sin_port);
		f->tcp = socket(AF_INET, SOCK_STREAM, 0);
		setsockopt(f->tcp, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(f->tcp, (struct sockaddr *)&sin, sizeof(sin)) == 0)
			break;
		ck_assert_int_lt(tries, 50);
		close(f->udp);
		close(f->tcp);
	}
	ck_assert_int_eq(listen(f->tcp, 8), 0);
	ck_assert_int_eq(pipe(f->stop), 0);
	ck_assert_int_eq(pthread_create(&f->thread, NULL, fake_main, f), 0);
	return f;
}

static void
fake_stop(struct fake *f)
{
	ck_assert_int_eq(write(f->stop[1], "x", 1), 1);
	pthread_join(f->thread, NULL);
	close(f->udp);
	close(f->tcp);
	close(f->stop[0]);
	close(f->stop[1]);
	free(f);
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
