/*
 * test_dns_ede.c -- Extended DNS Errors (RFC 8914) read from fixed packets:
 * one, several, none, too many; malformed options (short, cut, oversized
 * length); hostile EXTRA-TEXT (control bytes, bad UTF-8, '|', very long),
 * kept raw and said sanitized; the words of hand-made EDE facts.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "dns_ede.h"
#include "words_dns.h"

/* The words of one EDE's EXTRA-TEXT (tests run in one thread: one buffer will do). */
static const char *
extra_text_words(const struct dns_ede *e)
{
	static char buf[4 * DNS_EDE_TEXT_MAX + 4];

	words_dns_ede_text(e, buf, sizeof(buf));
	return buf;
}

/*
 * A SERVFAIL reply to "test. A" on the wire, with an OPT record whose RDATA
 * is opts (optlen bytes), parsed by ldns the way the query engine parses
 * replies. NULL when ldns refuses it.
 */
static ldns_pkt *
packet(const uint8_t *opts, size_t optlen)
{
	static const uint8_t head[] = {
	    0x12, 0x34, 0x81, 0x82, 0,    1, 0, 0,    0, 0,
	    0,    1, /* QR RD RA SERVFAIL; 1 question, 1 additional */
	    4,    't',  'e',  's',  't',  0, 0, 1,    0, 1, /* test. A IN */
	    0,    0,    41,   0x04, 0xd0, 0, 0, 0x80, 0,    /* OPT, 1232, DO */
	};
	uint8_t wire[4096];
	ldns_pkt *pkt = NULL;

	ck_assert_uint_le(sizeof(head) + 2 + optlen, sizeof(wire));
	memcpy(wire, head, sizeof(head));
	wire[sizeof(head)] = (uint8_t)(optlen >> 8);
	wire[sizeof(head) + 1] = (uint8_t)(optlen & 0xff);
	if (optlen > 0) /* opts may be NULL then: memcpy() must not see it */
		memcpy(wire + sizeof(head) + 2, opts, optlen);
	if (ldns_wire2pkt(&pkt, wire, sizeof(head) + 2 + optlen) != LDNS_STATUS_OK)
		return NULL;
	return pkt;
}

/* The EDE list of a packet with these options, through ldns. */
static void
from_wire(const uint8_t *opts, size_t optlen, struct dns_ede_list *l)
{
	ldns_pkt *pkt = packet(opts, optlen);

	if (pkt == NULL) {
		/* ldns refused the packet: the engine never sees it; parse the raw options */
		dns_ede_parse(opts, optlen, l);
		return;
	}
	dns_ede_from_pkt(pkt, l);
	ldns_pkt_free(pkt);
}

static const char *
formatted(const struct dns_ede_list *l)
{
	static char buf[2048];

	words_dns_ede(l, buf, sizeof(buf));
	return buf;
}

START_TEST(one_ede_with_text)
{
	static const uint8_t o[] = {0,   15,  0,   25,  0,   6,   's', 'i', 'g', 'n', 'a',
				    't', 'u', 'r', 'e', ' ', 'c', 'r', 'y', 'p', 't', 'o',
				    ' ', 'f', 'a', 'i', 'l', 'e', 'd', ' ', ' '};
	struct dns_ede_list l;

	from_wire(o, sizeof(o) - 2, &l); /* the last two bytes are not part of it */
	ck_assert_uint_eq(l.n, 1);
	ck_assert_uint_eq(l.ede[0].code, 6);
	ck_assert(!l.malformed);
	ck_assert_str_eq(formatted(&l), "EDE 6 (DNSSEC Bogus): signature crypto failed");
}
END_TEST

START_TEST(ede_without_text_and_other_options)
{
	/* a COOKIE option, an EDE 9 without text, a PADDING option */
	static const uint8_t o[] = {0,  10, 0, 8, 1, 2, 3,  4, 5, 6, 7, 8, 0,
				    15, 0,  2, 0, 9, 0, 12, 0, 3, 0, 0, 0};
	struct dns_ede_list l;

	from_wire(o, sizeof(o), &l);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_str_eq(formatted(&l), "EDE 9 (DNSKEY Missing)");
}
END_TEST

START_TEST(several_ede_are_all_shown)
{
	static const uint8_t o[] = {0, 15, 0, 4, 0, 7, 'a', 'b', 0, 15, 0, 2, 0, 22};
	struct dns_ede_list l;

	from_wire(o, sizeof(o), &l);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_str_eq(formatted(&l),
			 "EDE 7 (Signature Expired): ab; EDE 22 (No Reachable Authority)");
}
END_TEST

START_TEST(more_than_kept_are_counted)
{
	uint8_t o[6 * 6];
	struct dns_ede_list l;
	size_t i;

	for (i = 0; i < 6; i++) {
		const uint8_t one[] = {0, 15, 0, 2, 0, (uint8_t)i};

		memcpy(o + 6 * i, one, 6);
	}
	from_wire(o, sizeof(o), &l);
	ck_assert_uint_eq(l.n, DNS_EDE_MAX);
	ck_assert_uint_eq(l.total, 6);
	ck_assert_ptr_nonnull(strstr(formatted(&l), "; and 2 more EDE"));
}
END_TEST

START_TEST(no_edns_no_ede)
{
	struct dns_ede_list l;

	from_wire(NULL, 0, &l);
	ck_assert_uint_eq(l.n, 0);
	ck_assert_str_eq(formatted(&l), "");
	ck_assert_uint_eq(dns_ede_from_pkt(NULL, &l), 0);
}
END_TEST

/* malformed option data: what was read before stays, the rest is flagged */
static const struct {
	const char *what;
	uint8_t opts[16];
	size_t len;
	size_t n;
	const char *want;
} malformed[] = {
    {"an EDE shorter than its INFO-CODE", {0, 15, 0, 1, 6}, 5, 0, "(malformed EDE option)"},
    {"an option header cut short",
     {0, 15, 0, 2, 0, 6, 0, 15},
     8,
     1,
     "EDE 6 (DNSSEC Bogus) (malformed EDE option)"},
    {"a length longer than the data", {0, 15, 0, 200, 0, 6, 'x'}, 7, 0, "(malformed EDE option)"},
    {"an empty EDE", {0, 15, 0, 0}, 4, 0, "(malformed EDE option)"},
};

START_TEST(malformed_options_are_flagged)
{
	struct dns_ede_list l;

	dns_ede_parse(malformed[_i].opts, malformed[_i].len, &l);
	ck_assert_msg(l.malformed, "%s", malformed[_i].what);
	ck_assert_uint_eq(l.n, malformed[_i].n);
	ck_assert_str_eq(formatted(&l), malformed[_i].want);
	/* and through a whole packet, when ldns takes it */
	from_wire(malformed[_i].opts, malformed[_i].len, &l);
	ck_assert_msg(l.malformed, "%s (packet)", malformed[_i].what);
}
END_TEST

START_TEST(hostile_text_is_sanitized)
{
	/* '|', a newline, ESC, a NUL inside, invalid UTF-8 (0xff, a lone 0xc3) */
	static const uint8_t o[] = {0,   15,  0,   17,   0,    0,   'a', '|', 'b', '\n', 0x1b,
				    '[', '2', 'J', 0xff, 0xc3, '(', 'x', 0,   'y', 'z'};
	struct dns_ede_list l;

	from_wire(o, sizeof(o), &l);
	ck_assert_uint_eq(l.n, 1);
	/* the text ends at the NUL; it is kept as sent, and escaped in words */
	ck_assert_uint_eq(l.ede[0].raw_len, 12);
	ck_assert(!l.ede[0].raw_cut);
	ck_assert_mem_eq(l.ede[0].raw, o + 6, 12);
	ck_assert_str_eq(extra_text_words(&l.ede[0]), "a\\x7cb\\x0a\\x1b[2J\\xff\\xc3(x");
	ck_assert_ptr_null(strchr(formatted(&l), '|'));
	ck_assert_ptr_null(strchr(formatted(&l), '\n'));
}
END_TEST

START_TEST(long_text_is_cut)
{
	uint8_t o[4 + 2 + 1000];
	struct dns_ede_list l;

	memcpy(o, (const uint8_t[]){0, 15, 1002 >> 8, 1002 & 0xff, 0, 0}, 6);
	memset(o + 6, 'x', 1000);
	from_wire(o, sizeof(o), &l);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_uint_eq(strlen(extra_text_words(&l.ede[0])), DNS_EDE_TEXT_MAX + 3);
	ck_assert_str_eq(extra_text_words(&l.ede[0]) + DNS_EDE_TEXT_MAX, "...");
	ck_assert_uint_eq(l.ede[0].raw_len, DNS_EDE_TEXT_MAX);
	ck_assert(l.ede[0].raw_cut);
	ck_assert_mem_eq(l.ede[0].raw, o + 6, DNS_EDE_TEXT_MAX);
}
END_TEST

/* One EDE fact, with its raw EXTRA-TEXT. */
static struct dns_ede
ede_of(uint16_t code, const char *raw, bool cut)
{
	struct dns_ede e = {.code = code, .raw_len = strlen(raw), .raw_cut = cut};

	memcpy(e.raw, raw, e.raw_len);
	return e;
}

/* The words of EDE facts made here, not parsed: codes, texts, counts, malformed. */
static const struct {
	uint16_t code[2];
	const char *raw[2];
	bool cut[2];
	size_t n, total;
	bool malformed;
	const char *words;
} ede_words[] = {
    {{0}, {"", ""}, {false}, 0, 0, false, ""},
    {{6}, {"", ""}, {false}, 1, 1, false, "EDE 6 (DNSSEC Bogus)"},
    {{7, 9},
     {"expired", ""},
     {false},
     2,
     2,
     false,
     "EDE 7 (Signature Expired): expired; EDE 9 (DNSKEY Missing)"},
    {{1000}, {"a|b\\c", ""}, {false}, 1, 1, false, "EDE 1000 (unassigned): a\\x7cb\\x5cc"},
    {{23}, {"net", ""}, {true}, 1, 1, false, "EDE 23 (Network Error): net..."},
    {{18}, {"", ""}, {false}, 1, 7, false, "EDE 18 (Prohibited); and 6 more EDE"},
    {{0}, {"", ""}, {false}, 0, 3, true, "and 3 more EDE (malformed EDE option)"},
    {{22}, {"", ""}, {false}, 1, 1, true, "EDE 22 (No Reachable Authority) (malformed EDE option)"},
};

START_TEST(ede_facts_are_said_in_words)
{
	struct dns_ede_list l = {.n = ede_words[_i].n,
				 .total = ede_words[_i].total,
				 .malformed = ede_words[_i].malformed};
	char text[1024];
	size_t i;

	for (i = 0; i < l.n; i++)
		l.ede[i] =
		    ede_of(ede_words[_i].code[i], ede_words[_i].raw[i], ede_words[_i].cut[i]);
	ck_assert_uint_eq(words_dns_ede(&l, text, sizeof(text)), strlen(ede_words[_i].words));
	ck_assert_str_eq(text, ede_words[_i].words);
}
END_TEST

START_TEST(ede_text_words_are_the_sanitized_raw_text)
{
	struct dns_ede e = ede_of(6, "bad\x01", false);
	char text[4 * DNS_EDE_TEXT_MAX + 4];

	ck_assert_uint_eq(words_dns_ede_text(&e, text, sizeof(text)), 7);
	ck_assert_str_eq(text, "bad\\x01");
	e.raw_len = 0;
	ck_assert_uint_eq(words_dns_ede_text(&e, text, sizeof(text)), 0);
	ck_assert_str_eq(text, "");
}
END_TEST

START_TEST(codes_have_their_rfc_8914_names)
{
	ck_assert_str_eq(words_dns_ede_name(0), "Other Error");
	ck_assert_str_eq(words_dns_ede_name(6), "DNSSEC Bogus");
	ck_assert_str_eq(words_dns_ede_name(7), "Signature Expired");
	ck_assert_str_eq(words_dns_ede_name(24), "Invalid Data");
	ck_assert_str_eq(words_dns_ede_name(4000), "unassigned");
}
END_TEST

START_TEST(format_fits_small_buffers)
{
	static const uint8_t o[] = {0, 15, 0, 4, 0, 7, 'a', 'b', 0, 15, 0, 2, 0, 22};
	struct dns_ede_list l;
	char small[10];

	dns_ede_parse(o, sizeof(o), &l);
	ck_assert_uint_lt(words_dns_ede(&l, small, sizeof(small)), sizeof(small));
	ck_assert_uint_eq(strlen(small), sizeof(small) - 1);
	ck_assert_uint_eq(words_dns_ede(&l, small, 0), 0);
}
END_TEST

static Suite *
ede_suite(void)
{
	Suite *s = suite_create("dns_ede");
	TCase *tc = tcase_create("dns_ede");

	tcase_add_test(tc, one_ede_with_text);
	tcase_add_test(tc, ede_without_text_and_other_options);
	tcase_add_test(tc, several_ede_are_all_shown);
	tcase_add_test(tc, more_than_kept_are_counted);
	tcase_add_test(tc, no_edns_no_ede);
	tcase_add_loop_test(tc, malformed_options_are_flagged, 0,
			    sizeof(malformed) / sizeof(malformed[0]));
	tcase_add_test(tc, hostile_text_is_sanitized);
	tcase_add_test(tc, long_text_is_cut);
	tcase_add_loop_test(tc, ede_facts_are_said_in_words, 0,
			    sizeof(ede_words) / sizeof(ede_words[0]));
	tcase_add_test(tc, ede_text_words_are_the_sanitized_raw_text);
	tcase_add_test(tc, codes_have_their_rfc_8914_names);
	tcase_add_test(tc, format_fits_small_buffers);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(ede_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
