/*
 * test_dns_validator.c -- --validate=local (issue 22): trust anchor and root
 * hints files, the answers made from libunbound's results, which answers
 * raise the question of trust, and libunbound under the deadline against a
 * scripted forwarder (fake_dns.h).
 */
#include "config.h"

#include <check.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <unbound.h>

#include "dns_trust.h"
#include "dns_validator.h"
#include "fake_dns.h"
#include "words_dns.h"

/* KSK-2017 and KSK-2024 as /usr/share/dns/root.key (dns-root-data) has them. */
#define KSK_2017                                                                                   \
	". IN DNSKEY 257 3 8 AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3+/"           \
	"4RgWOq7HrxRixHlFlExOLAJr5emLvN7SWXgnLh4+B5xQlNVz8Og8kvArMtNROxVQuCaSnIDdD5LKyWbRd2n9WGe2" \
	"R8PzgCmr3EgVLrjyBxWezF0jLHwVN8efS3rCj/EWgvIWgb9tarpVUDK/b58Da+sqqls3eNbuv7pr+eoZG+"       \
	"SrDK6nWeL3c6H5Apxz7LjVc1uTIdsIXxuOLYA4/ilBmSVIzuDWfdRUfhHdY6+cn8HFRm+2hM8AnXGXws9555KrU"  \
	"B5qihylGa8subX2Nn6UwNR1AkUTV74bU= ; keytag 20326"
#define KSK_2024                                                                                   \
	". IN DNSKEY 257 3 8 AwEAAa96jeuknZlaeSrvyAJj6ZHv28hhOKkx3rLGXVaC6rXTsDc449/"              \
	"cidltpkyGwCJNnOAlFNKF2jBosZBU5eeHspaQWOmOElZsjICMQMC3aeHbGiShvZsx4wMYSjH8e7Vrhbu6irwCzVB" \
	"A"                                                                                        \
	"pESjbUdpWWmEnhathWu1jo+siFUiRAAxm9qyJNg/wOZqqzL/dL/q8PkcRU5oUKEpUge71M3ej2/"              \
	"7CPqpdVwuMoTvoB+ZOT4YeGyxMvHmbrxlFzGOHOijtzN+u1TQNatX2XBuzZNQ1K+"                         \
	"s2CXkPIZo7s6JgZyvaBevYtxP"                                                                \
	"vYLw4z9mR7K2vaF18UYH9Z9GNUUeayffKC73PYc= ; keytag 38696"
#define TEST_DS                                                                                    \
	"test.\t3600\tIN\tDS\t4711 13 2 "                                                          \
	"2e4c4d2a95d4a3c26f4f3b0c7d7e7c1c0e3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c"

/* A file in the test's own directory with this text; returns its path (static buffer per
 * call site is not needed: the caller keeps it). */
static char *
file_with(const char *text)
{
	char *path = strdup("/tmp/test_dns_validator.XXXXXX");
	int fd;

	ck_assert_ptr_nonnull(path);
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void
file_gone(char *path)
{
	unlink(path);
	free(path);
}

/* --- trust anchor files ------------------------------------------------------ */

static const struct {
	const char *what;
	const char *text;
	enum dns_validator_problem problem;
	size_t n, unusable;
	unsigned long line;
	const char *owner; /* of the first anchor */
} anchor_files[] = {
    {"dns-root-data's root.key: both root keys", KSK_2017 "\n" KSK_2024 "\n", DNS_VALIDATOR_OK, 2,
     0, 0, "."},
    {"a DS line, as ldns-key2ds writes it", TEST_DS "\n", DNS_VALIDATOR_OK, 1, 0, 0, "test."},
    {"comments, blank lines and other records are skipped",
     "; the root\n\n$TTL 3600\ntest. IN A 192.0.2.1\n" TEST_DS "\n", DNS_VALIDATOR_OK, 1, 0, 0,
     "test."},
    {"unbound's auto-trust-anchor file: only VALID and MISSING keys",
     "; autotrust trust anchor file\n;;id: . 1\n;;last_queried: 1\n" KSK_2017
     " ;;state=2 [  VALID  ] ;;count=0\n" KSK_2024 " ;;state=1 [ ADDPEND ] ;;count=2\n",
     DNS_VALIDATOR_OK, 1, 1, 0, "."},
    {"a revoked key is no anchor",
     ". IN DNSKEY 385 3 8 AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3\n",
     DNS_VALIDATOR_NO_ANCHOR, 0, 1, 0, NULL},
    {"an unsupported algorithm is no anchor", "test. IN DS 4711 1 2 00112233\n",
     DNS_VALIDATOR_NO_ANCHOR, 0, 1, 0, NULL},
    {"an unsupported digest type is no anchor", "test. IN DS 4711 13 3 00112233\n",
     DNS_VALIDATOR_NO_ANCHOR, 0, 1, 0, NULL},
    {"an empty file holds no anchor", "", DNS_VALIDATOR_NO_ANCHOR, 0, 0, 0, NULL},
    {"a line that is no record is named", TEST_DS "\ntest. IN DS 1 2 3\n", DNS_VALIDATOR_SYNTAX, 0,
     0, 2, NULL},
};

START_TEST(trust_anchor_files_are_read)
{
	char *path = file_with(anchor_files[_i].text), *owner;
	struct dns_validator_anchors a;
	struct dns_validator_failure why;
	int rc = dns_validator_read_anchors(path, &a, &why);

	if (anchor_files[_i].problem == DNS_VALIDATOR_OK) {
		ck_assert_msg(rc == 0, "%s: problem %d", anchor_files[_i].what, why.problem);
		ck_assert_uint_eq(a.n, anchor_files[_i].n);
		ck_assert_uint_eq(a.unusable, anchor_files[_i].unusable);
		owner = ldns_rdf2str(a.owner[0]);
		ck_assert_str_eq(owner, anchor_files[_i].owner);
		free(owner);
		ck_assert_ptr_null(strchr(a.text[0], '\n'));
		dns_validator_anchors_clear(&a);
	} else {
		ck_assert_int_eq(rc, -1);
		ck_assert_int_eq(why.problem, anchor_files[_i].problem);
		ck_assert_uint_eq(why.unusable, anchor_files[_i].unusable);
		ck_assert_uint_eq(why.line, anchor_files[_i].line);
		ck_assert_str_eq(why.file, path);
		ck_assert_uint_eq(a.n, 0);
	}
	file_gone(path);
}
END_TEST

START_TEST(a_missing_or_huge_file_is_named)
{
	struct dns_validator_anchors a;
	struct dns_validator_failure why;
	char *big = calloc(1, DNS_VALIDATOR_MAX_FILE + 2), *path, words[512];
	size_t i;

	ck_assert_int_eq(dns_validator_read_anchors("/nonexistent/root.key", &a, &why), -1);
	ck_assert_int_eq(why.problem, DNS_VALIDATOR_UNREADABLE);
	ck_assert_int_eq(why.sys, ENOENT);
	words_dns_validator_failure(&why, words, sizeof(words));
	ck_assert_str_eq(words, "cannot read the trust anchor file /nonexistent/root.key: No such "
				"file or directory");
	ck_assert_ptr_nonnull(big);
	for (i = 0; i <= DNS_VALIDATOR_MAX_FILE; i++)
		big[i] = i % 80 == 79 ? '\n' : ';';
	path = file_with(big);
	ck_assert_int_eq(dns_validator_read_anchors(path, &a, &why), -1);
	ck_assert_int_eq(why.problem, DNS_VALIDATOR_TOO_BIG);
	file_gone(path);
	free(big);
}
END_TEST

START_TEST(more_anchors_than_kept_is_an_error)
{
	char text[DNS_VALIDATOR_MAX_ANCHORS * 128 + 256] = "", *path;
	struct dns_validator_anchors a;
	struct dns_validator_failure why;
	size_t i;

	for (i = 0; i <= DNS_VALIDATOR_MAX_ANCHORS; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
			 "z%zu.test. IN DS %zu 13 2 00112233\n", i, i);
	path = file_with(text);
	ck_assert_int_eq(dns_validator_read_anchors(path, &a, &why), -1);
	ck_assert_int_eq(why.problem, DNS_VALIDATOR_TOO_MANY);
	file_gone(path);
}
END_TEST

START_TEST(root_hints_need_a_root_server_with_an_address)
{
	char *good = file_with(".  3600000  NS  A.ROOT-SERVERS.NET.\n"
			       "A.ROOT-SERVERS.NET. 3600000 A 198.41.0.4\n");
	char *no_ns = file_with("A.ROOT-SERVERS.NET. 3600000 A 198.41.0.4\n");
	char *no_addr = file_with(". 3600000 NS A.ROOT-SERVERS.NET.\n");
	struct dns_validator_failure why;

	ck_assert_int_eq(dns_validator_check_hints(good, &why), 0);
	ck_assert_int_eq(dns_validator_check_hints(no_ns, &why), -1);
	ck_assert_int_eq(why.problem, DNS_VALIDATOR_NO_HINTS);
	ck_assert(why.hints);
	ck_assert_int_eq(dns_validator_check_hints(no_addr, &why), -1);
	ck_assert_int_eq(dns_validator_check_hints("/nonexistent/hints", &why), -1);
	ck_assert_int_eq(why.problem, DNS_VALIDATOR_UNREADABLE);
	ck_assert(why.hints);
	file_gone(good);
	file_gone(no_ns);
	file_gone(no_addr);
}
END_TEST

/* --- the validator ---------------------------------------------------------- */

START_TEST(a_validator_needs_forwarders_unless_recursive)
{
	char *anchors = file_with(KSK_2024 "\n" TEST_DS "\n"), dst[64];
	struct dns_validator_config cfg = {.trust_anchor = anchors};
	struct dns_validator_failure why;
	struct dns_resolver res = {0};
	struct dns_validator *v;
	char err[128];

	ck_assert_ptr_null(dns_validator_new(&cfg, &res, &why));
	ck_assert_int_eq(why.problem, DNS_VALIDATOR_NO_FORWARDER);
	cfg.recursive = true;
	v = dns_validator_new(&cfg, &res, &why);
	ck_assert_ptr_nonnull(v);
	ck_assert(dns_validator_recursive(v));
	ck_assert_str_eq(dns_validator_anchor_file(v), anchors);
	/* the closest anchor above a name */
	ck_assert_str_eq(dns_validator_anchor_of(v, "smtp-ee.TEST.", dst, sizeof(dst)), "test.");
	ck_assert_str_eq(dns_validator_anchor_of(v, "test.", dst, sizeof(dst)), "test.");
	ck_assert_str_eq(dns_validator_anchor_of(v, "example.org.", dst, sizeof(dst)), ".");
	dns_validator_free(v);
	cfg.recursive = false;
	ck_assert_int_eq(dns_resolver_add(&res, "127.0.0.1@5353", 53, err, sizeof(err)), 0);
	v = dns_validator_new(&cfg, &res, &why);
	ck_assert_ptr_nonnull(v);
	ck_assert(!dns_validator_recursive(v));
	dns_validator_free(v);
	cfg.recursive = true;
	cfg.root_hints = "/nonexistent/hints";
	ck_assert_ptr_null(dns_validator_new(&cfg, &res, &why));
	ck_assert(why.hints);
	file_gone(anchors);
}
END_TEST

START_TEST(no_anchor_above_a_name_is_null)
{
	char *anchors = file_with(TEST_DS "\n"), dst[64];
	struct dns_validator_config cfg = {.trust_anchor = anchors, .recursive = true};
	struct dns_validator_failure why;
	struct dns_validator *v = dns_validator_new(&cfg, NULL, &why);

	ck_assert_ptr_nonnull(v);
	ck_assert_ptr_null(dns_validator_anchor_of(v, "example.org.", dst, sizeof(dst)));
	dns_validator_free(v);
	file_gone(anchors);
}
END_TEST

/* --- libunbound, opened at run time ------------------------------------------ */

START_TEST(libunbound_is_opened_and_closed_with_the_validator)
{
	struct unbound_lib lib;
	struct unbound_lib_failure why;

	/* the plugins do not link it: nothing has loaded it yet */
	ck_assert_ptr_null(dlopen(UNBOUND_SONAME, RTLD_NOW | RTLD_NOLOAD));
	ck_assert_int_eq(unbound_lib_init(&lib, NULL, &why), 0);
	ck_assert_int_eq(why.problem, UNBOUND_LIB_OK);
	ck_assert_str_eq(why.library, UNBOUND_SONAME);
	ck_assert_ptr_nonnull(lib.handle);
	ck_assert(lib.ctx_create != NULL && lib.ctx_delete != NULL && lib.ctx_debugout != NULL &&
		  lib.ctx_debuglevel != NULL && lib.ctx_async != NULL &&
		  lib.ctx_set_option != NULL && lib.ctx_set_fwd != NULL && lib.ctx_add_ta != NULL &&
		  lib.resolve_async != NULL && lib.resolve_free != NULL && lib.cancel != NULL &&
		  lib.fd != NULL && lib.process != NULL);
	ck_assert_ptr_nonnull(dlopen(UNBOUND_SONAME, RTLD_NOW | RTLD_NOLOAD));
	dlclose(lib.handle); /* the reference RTLD_NOLOAD took */
	unbound_lib_clear(&lib);
	ck_assert_ptr_null(lib.handle);
	ck_assert_ptr_null(lib.process);
	/* dlclose(): libunbound and what it pulled in are gone again */
	ck_assert_ptr_null(dlopen(UNBOUND_SONAME, RTLD_NOW | RTLD_NOLOAD));
}
END_TEST

START_TEST(a_validator_that_was_used_leaves_nothing_loaded)
{
	char *anchors = file_with(TEST_DS "\n");
	struct dns_validator_config cfg = {.trust_anchor = anchors};
	struct dns_validator_failure why;
	struct fake *f = fake_start(FAKE_INSECURE);
	struct dns_resolver res = {0};
	struct dns_answer a;
	struct deadline dl;

	fake_add_to(f, &res);
	res.validator = dns_validator_new(&cfg, &res, &why);
	ck_assert_ptr_nonnull(res.validator);
	deadline_start(&dl, 5);
	ck_assert_int_eq(dns_query(&res, "www.example.org.", LDNS_RR_TYPE_A, &dl, &a), 0);
	ck_assert_int_eq(a.cls, DNS_INSECURE); /* libunbound's worker thread answered */
	dns_answer_clear(&a);
	dns_validator_free(res.validator); /* joins the thread, then dlclose() */
	ck_assert_ptr_null(dlopen(UNBOUND_SONAME, RTLD_NOW | RTLD_NOLOAD));
	fake_stop(f);
	file_gone(anchors);
}
END_TEST

START_TEST(a_missing_libunbound_is_named_with_dlerror)
{
	char *anchors = file_with(TEST_DS "\n"), words[1024];
	struct dns_validator_config cfg = {
	    .trust_anchor = anchors, .recursive = true, .library = "/nonexistent/libunbound.so.8"};
	struct dns_validator_failure why;

	ck_assert_ptr_null(dns_validator_new(&cfg, NULL, &why));
	ck_assert_int_eq(why.problem, DNS_VALIDATOR_LIBRARY);
	ck_assert_int_eq(why.lib.problem, UNBOUND_LIB_OPEN);
	ck_assert_str_eq(why.lib.library, "/nonexistent/libunbound.so.8");
	ck_assert_str_eq(why.lib.error, "/nonexistent/libunbound.so.8: cannot open shared object "
					"file: No such file or directory");
	words_dns_validator_failure(&why, words, sizeof(words));
	ck_assert_str_eq(words,
			 "cannot load libunbound (/nonexistent/libunbound.so.8), which validates "
			 "DNSSEC here: /nonexistent/libunbound.so.8: cannot open shared object "
			 "file: No such file or directory (install it: Debian package libunbound8, "
			 "RPM unbound-libs)");
	/* a library that is not libunbound: the first missing function is named */
	cfg.library = "libc.so.6";
	ck_assert_ptr_null(dns_validator_new(&cfg, NULL, &why));
	ck_assert_int_eq(why.problem, DNS_VALIDATOR_LIBRARY);
	ck_assert_int_eq(why.lib.problem, UNBOUND_LIB_SYMBOL);
	ck_assert_str_eq(why.lib.symbol, "ub_ctx_create");
	ck_assert_ptr_nonnull(strstr(why.lib.error, "undefined symbol: ub_ctx_create"));
	/* what the command line names comes first: a missing trust anchor file */
	cfg.trust_anchor = "/nonexistent/root.key";
	cfg.library = "/nonexistent/libunbound.so.8";
	ck_assert_ptr_null(dns_validator_new(&cfg, NULL, &why));
	ck_assert_int_eq(why.problem, DNS_VALIDATOR_UNREADABLE);
	file_gone(anchors);
}
END_TEST

/* --- answers from libunbound's results --------------------------------------- */

/* A result of rcode with these answer records, secure/bogus as given. */
static struct ub_result *
result_of(int rcode, const char *const *rrs, bool secure, const char *why)
{
	struct ub_result *r = calloc(1, sizeof(*r));
	ldns_rdf *qname = NULL;
	ldns_pkt *pkt;
	uint8_t *wire = NULL;
	size_t len = 0;

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(ldns_str2rdf_dname(&qname, "www.example.test."), LDNS_STATUS_OK);
	pkt = ldns_pkt_query_new(qname, LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, LDNS_RD);
	ldns_pkt_set_qr(pkt, true);
	ldns_pkt_set_ad(pkt, secure);
	ldns_pkt_set_rcode(pkt, (uint8_t)rcode);
	for (; rrs != NULL && *rrs != NULL; rrs++) {
		ldns_rr *rr = NULL;

		ck_assert_int_eq(ldns_rr_new_frm_str(&rr, *rrs, 0, NULL, NULL), LDNS_STATUS_OK);
		ldns_pkt_push_rr(pkt, LDNS_SECTION_ANSWER, rr);
	}
	ck_assert_int_eq(ldns_pkt2wire(&wire, pkt, &len), LDNS_STATUS_OK);
	ldns_pkt_free(pkt);
	r->answer_packet = wire;
	r->answer_len = (int)len;
	r->rcode = rcode;
	r->secure = secure;
	r->bogus = why != NULL;
	r->why_bogus = why != NULL ? strdup(why) : NULL;
	r->havedata = rrs != NULL;
	return r;
}

static void
result_free(struct ub_result *r)
{
	free(r->answer_packet);
	free(r->why_bogus);
	free(r);
}

static const char *const a_rrs[] = {
    "www.example.test. 300 IN A 192.0.2.1",
    "www.example.test. 300 IN RRSIG A 13 3 300 20300101000000 20200101000000 1 example.test. "
    "AAAA",
    NULL,
};

static const struct {
	const char *what;
	int rcode;
	const char *const *rrs;
	bool secure;
	const char *why;
	enum dns_class cls;
	enum dns_error error;
	const char *words;
} results[] = {
    {"validated data: secure", LDNS_RCODE_NOERROR, a_rrs, true, NULL, DNS_SECURE, DNS_ERR_NONE,
     "NOERROR, 1 A record + RRSIG, validated here: secure"},
    {"data below no secure delegation: insecure", LDNS_RCODE_NOERROR, a_rrs, false, NULL,
     DNS_INSECURE, DNS_ERR_NONE,
     "NOERROR, 1 A record + RRSIG, validated here: insecure (not signed below the trust "
     "anchor)"},
    {"a validated denial", LDNS_RCODE_NXDOMAIN, NULL, true, NULL, DNS_NONEXISTENT, DNS_ERR_NONE,
     "NXDOMAIN, validated here: secure denial"},
    {"no records of the type: NODATA", LDNS_RCODE_NOERROR, NULL, false, NULL, DNS_NONEXISTENT,
     DNS_ERR_NONE, "NOERROR/NODATA, validated here: insecure (not signed below the trust anchor)"},
    {"data that fails validation: bogus, with libunbound's why", LDNS_RCODE_NOERROR, a_rrs, false,
     "validation failure <www.example.test. A IN>: signature expired", DNS_BOGUS, DNS_ERR_NONE,
     "NOERROR, the data does not validate (bogus, validated here: validation failure "
     "<www.example.test. A IN>: signature expired)"},
    {"no answer through the forwarders: SERVFAIL", LDNS_RCODE_SERVFAIL, NULL, false, NULL,
     DNS_ERROR, DNS_ERR_SERVFAIL, "SERVFAIL (local validation got no answer through the resolver)"},
    {"REFUSED passed on", LDNS_RCODE_REFUSED, NULL, false, NULL, DNS_ERROR, DNS_ERR_REFUSED,
     "REFUSED (from local validation)"},
};

START_TEST(results_become_answers)
{
	struct ub_result *r =
	    result_of(results[_i].rcode, results[_i].rrs, results[_i].secure, results[_i].why);
	struct dns_answer a;
	char words[1024];

	memset(&a, 0, sizeof(a));
	dns_validator_answer(&a, LDNS_RR_TYPE_A, 0, r, false);
	ck_assert_msg(a.cls == results[_i].cls, "%s: class %d", results[_i].what, a.cls);
	ck_assert_int_eq(a.error, results[_i].error);
	ck_assert(a.local);
	ck_assert_int_eq(a.secure, results[_i].secure && results[_i].cls != DNS_BOGUS);
	ck_assert_int_eq(a.rcode, results[_i].rcode);
	words_dns_answer(&a, words, sizeof(words));
	ck_assert_str_eq(words, results[_i].words);
	if (results[_i].cls != DNS_ERROR)
		ck_assert_ptr_nonnull(a.pkt); /* the RRset, RRSIG and EDE code read it */
	dns_answer_clear(&a);
	result_free(r);
}
END_TEST

START_TEST(libunbound_errors_are_local_failures)
{
	struct dns_answer a;
	char words[256];

	memset(&a, 0, sizeof(a));
	dns_validator_answer(&a, LDNS_RR_TYPE_A, UB_NOMEM, NULL, true);
	ck_assert_int_eq(a.cls, DNS_ERROR);
	ck_assert_int_eq(a.error, DNS_ERR_LOCAL);
	words_dns_answer(&a, words, sizeof(words));
	ck_assert_str_eq(words, "local validation failed: out of memory");
	/* a SERVFAIL from the root, --recursive */
	memset(&a, 0, sizeof(a));
	{
		struct ub_result *r = result_of(LDNS_RCODE_SERVFAIL, NULL, false, NULL);

		dns_validator_answer(&a, LDNS_RR_TYPE_A, 0, r, true);
		words_dns_answer(&a, words, sizeof(words));
		ck_assert_str_eq(words,
				 "SERVFAIL (local validation got no answer from the authoritative "
				 "servers)");
		dns_answer_clear(&a);
		result_free(r);
	}
}
END_TEST

START_TEST(a_long_why_is_cut_and_said_so)
{
	char why[DNS_WHY_BOGUS_MAX + 50], words[4096];
	struct ub_result *r;
	struct dns_answer a;

	memset(why, 'x', sizeof(why) - 1);
	why[sizeof(why) - 1] = '\0';
	why[10] = '|';
	r = result_of(LDNS_RCODE_NOERROR, a_rrs, false, why);
	memset(&a, 0, sizeof(a));
	dns_validator_answer(&a, LDNS_RR_TYPE_A, 0, r, false);
	ck_assert(a.why_bogus_cut);
	ck_assert_uint_eq(strlen(a.why_bogus), DNS_WHY_BOGUS_MAX - 1);
	words_dns_answer(&a, words, sizeof(words));
	ck_assert_ptr_null(strchr(words, '|'));
	ck_assert_ptr_nonnull(strstr(words, "...)"));
	dns_answer_clear(&a);
	result_free(r);
}
END_TEST

/* --- which answers raise the question of trust ---------------------------- */

START_TEST(the_trust_question_depends_on_the_mode)
{
	char *anchors = file_with(TEST_DS "\n"), err[128];
	struct dns_validator_config cfg = {.trust_anchor = anchors};
	struct dns_validator_failure why;
	struct dns_resolver res = {0}, rec = {0};
	struct dns_answer insecure = {.cls = DNS_INSECURE}, bogus = {.cls = DNS_BOGUS},
			  servfail = {.cls = DNS_ERROR, .error = DNS_ERR_SERVFAIL},
			  timeout = {.cls = DNS_ERROR, .error = DNS_ERR_TIMEOUT},
			  secure = {.cls = DNS_SECURE, .secure = true};

	ck_assert_int_eq(dns_resolver_add(&res, "127.0.0.1", 53, err, sizeof(err)), 0);
	/* through a resolver: an answer without AD */
	ck_assert(dns_trust_question(&res, &insecure));
	ck_assert(!dns_trust_question(&res, &secure));
	ck_assert(!dns_trust_question(&res, &bogus));
	/* validated here: a bogus or failed answer (did the forwarder pass the data?) */
	res.validator = dns_validator_new(&cfg, &res, &why);
	ck_assert_ptr_nonnull(res.validator);
	ck_assert(!dns_trust_question(&res, &insecure));
	ck_assert(dns_trust_question(&res, &bogus));
	ck_assert(dns_trust_question(&res, &servfail));
	ck_assert(!dns_trust_question(&res, &timeout));
	/* --recursive: no forwarder to ask */
	cfg.recursive = true;
	rec.validator = dns_validator_new(&cfg, NULL, &why);
	ck_assert_ptr_nonnull(rec.validator);
	ck_assert(!dns_trust_question(&rec, &bogus));
	dns_validator_free(res.validator);
	dns_validator_free(rec.validator);
	file_gone(anchors);
}
END_TEST

/* --- libunbound under the deadline, against a scripted forwarder ------------ */

START_TEST(a_silent_forwarder_ends_at_the_deadline)
{
	char *anchors = file_with(TEST_DS "\n");
	struct dns_validator_config cfg = {.trust_anchor = anchors};
	struct dns_validator_failure why;
	struct fake *f = fake_start(FAKE_SILENT);
	struct dns_resolver res = {0};
	struct dns_query q[2] = {
	    {.name = "www.example.org.", .type = LDNS_RR_TYPE_A, .server = -1},
	    {.name = "mx.example.org.", .type = LDNS_RR_TYPE_AAAA, .server = 0}};
	struct deadline dl;
	double t0;
	char words[256];

	fake_add_to(f, &res);
	res.validator = dns_validator_new(&cfg, &res, &why);
	ck_assert_ptr_nonnull(res.validator);
	deadline_start(&dl, 1);
	deadline_stage(&dl, "asking the silent forwarder");
	t0 = deadline_now();
	ck_assert_int_eq(dns_query_batch(&res, q, 2, &dl), 0);
	ck_assert_double_lt(deadline_now() - t0, 1.5);
	ck_assert_int_eq(q[0].answer.cls, DNS_ERROR);
	ck_assert_int_eq(q[0].answer.error, DNS_ERR_TIMEOUT);
	ck_assert_int_eq(q[1].answer.error, DNS_ERR_TIMEOUT);
	words_dns_answer(&q[0].answer, words, sizeof(words));
	ck_assert_str_eq(words, "timed out after 1 s while asking the silent forwarder");
	t0 = deadline_now();
	dns_validator_free(res.validator); /* its workers stop at once */
	ck_assert_double_lt(deadline_now() - t0, 0.5);
	fake_stop(f);
	file_gone(anchors);
}
END_TEST

START_TEST(data_outside_the_trust_anchor_is_insecure)
{
	char *anchors = file_with(TEST_DS "\n");
	struct dns_validator_config cfg = {.trust_anchor = anchors};
	struct dns_validator_failure why;
	struct fake *f = fake_start(FAKE_INSECURE);
	struct dns_resolver res = {0};
	struct dns_answer a;
	struct deadline dl;

	fake_add_to(f, &res);
	res.validator = dns_validator_new(&cfg, &res, &why);
	ck_assert_ptr_nonnull(res.validator);
	deadline_start(&dl, 5);
	ck_assert_int_eq(dns_query(&res, "www.example.org.", LDNS_RR_TYPE_A, &dl, &a), 0);
	ck_assert_int_eq(a.cls, DNS_INSECURE);
	ck_assert(a.local);
	ck_assert(!a.secure);
	ck_assert(f->saw_do); /* DNSSEC data asked of the forwarder */
	dns_answer_clear(&a);
	/* an invalid name is our own failure, as through a resolver */
	ck_assert_int_eq(dns_query(&res, "a..b", LDNS_RR_TYPE_A, &dl, &a), 0);
	ck_assert_int_eq(a.error, DNS_ERR_LOCAL);
	ck_assert_int_eq(a.fail.kind, DNS_FAIL_QUERY_NAME);
	dns_validator_free(res.validator);
	fake_stop(f);
	file_gone(anchors);
}
END_TEST

static Suite *
validator_suite(void)
{
	Suite *s = suite_create("dns_validator");
	TCase *files = tcase_create("files");
	TCase *answers = tcase_create("answers");
	TCase *live = tcase_create("libunbound");
	TCase *load = tcase_create("load");

	tcase_add_loop_test(files, trust_anchor_files_are_read, 0,
			    sizeof(anchor_files) / sizeof(anchor_files[0]));
	tcase_add_test(files, a_missing_or_huge_file_is_named);
	tcase_add_test(files, more_anchors_than_kept_is_an_error);
	tcase_add_test(files, root_hints_need_a_root_server_with_an_address);
	tcase_add_test(files, a_validator_needs_forwarders_unless_recursive);
	tcase_add_test(files, no_anchor_above_a_name_is_null);
	tcase_add_loop_test(answers, results_become_answers, 0,
			    sizeof(results) / sizeof(results[0]));
	tcase_add_test(answers, libunbound_errors_are_local_failures);
	tcase_add_test(answers, a_long_why_is_cut_and_said_so);
	tcase_add_test(answers, the_trust_question_depends_on_the_mode);
	tcase_add_test(live, a_silent_forwarder_ends_at_the_deadline);
	tcase_add_test(live, data_outside_the_trust_anchor_is_insecure);
	tcase_set_timeout(live, 20);
	tcase_add_test(load, libunbound_is_opened_and_closed_with_the_validator);
	tcase_add_test(load, a_validator_that_was_used_leaves_nothing_loaded);
	tcase_add_test(load, a_missing_libunbound_is_named_with_dlerror);
	tcase_set_timeout(load, 20);
	suite_add_tcase(s, load);
	suite_add_tcase(s, files);
	suite_add_tcase(s, answers);
	suite_add_tcase(s, live);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(validator_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
