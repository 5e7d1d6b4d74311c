/*
 * hostile_dns -- a scripted, misbehaving "validating resolver" for the DNS
 * side of the hostile-peer tests (tests/hostile/test_hostile_dns.sh, issue 7).
 *
 *   hostile_dns [-l SECONDS] ADDR PORT MODE
 *
 * Answers on ADDR (loopback only) over UDP and TCP on the same PORT (0: a
 * free port, printed on stdout). It sets AD itself, so its answers count as
 * DNSSEC-secure to the plugins. Every name gets synthesized data (see
 * answer()): MX "10 mx.<domain>", A 127.0.4.200 (nothing listens there),
 * no AAAA, TLSA "3 1 1 <digest>"; the MODE twists that, or the transport.
 * The process ends after -l seconds (default 20, an alarm) whatever the
 * client does; TCP connections are served by short-lived children with the
 * same bound. `hostile_dns -L` lists the modes.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <ldns/ldns.h>

#define ADDR_A       "127.0.4.200"
#define DIGEST       "213132d26146e8894b2ec7d0affd9b780216af23e85e46bd3e9ec1043750a26b"
#define MSG_MAX      65535
#define BIG_TLSA_LEN 65000

enum mode_id {
	M_GOOD,
	M_TLSA_EMPTY,    /* TLSA with RDLENGTH 0 */
	M_TLSA_3BYTES,   /* usage, selector, mtype and no data */
	M_TLSA_1BYTE,    /* a usage byte only */
	M_TLSA_64K,      /* 3 0 0 with 65 000 bytes of data: TC over UDP, then TCP */
	M_TLSA_64K_UDP,  /* the same over UDP, no TC */
	M_TLSA_MANY,     /* 1200 distinct 3 1 1 records (TCP) */
	M_TLSA_JUNK,     /* 3 0 0 / 2 1 0 with garbage "full" data, unknown params */
	M_CNAME_SELF,    /* the MX host is a CNAME to itself */
	M_CNAME_CYCLE,   /* mx -> a -> mx */
	M_CNAME_CYCLE_A, /* mx -> a -> mx, with A records in the answer too */
	M_CNAME_LONG,    /* a chain of 40 CNAMEs, then an A record */
	M_MX100,         /* 100 MX hosts */
	M_MX100_2ADDR,   /* 100 MX hosts, 2 addresses each (127.0.6.1, 127.0.6.2) */
	M_MX_NAMES,      /* MX exchanges with '|', quotes, newlines, NUL, 8-bit bytes */
	M_MX_NULLMIX,    /* a null MX next to real ones, and duplicates */
	M_MX_EMPTY,      /* MX records with RDLENGTH 0 and 2, next to a good one */
	M_MX_LONGNAME,   /* an MX host name of 253 bytes, most of them unprintable */
	M_RDATA_JUNK,    /* A with 0/3/16 bytes, AAAA with 4, empty CNAME and RRSIG */
	M_MANY_ADDRS,    /* 9 MX hosts with 16 addresses each: 144, over the 128 probes */
	M_TC_ALWAYS,     /* every UDP answer truncated: everything over TCP */
	M_TC_NOTCP,      /* truncated over UDP, and TCP connections closed at once */
	M_TCP_GARBAGE,   /* truncated over UDP, garbage over TCP */
	M_TCP_SHORT,     /* truncated over UDP, a 5-byte TCP answer */
	M_TCP_MISMATCH,  /* truncated over UDP, a TCP answer with another ID */
	M_TCP_HALF,      /* truncated over UDP, half a TCP answer, then close */
	M_TCP_TRICKLE,   /* truncated over UDP, the TCP answer at 10 bytes/s */
	M_BAD_ID,        /* answers with another ID */
	M_BAD_QUESTION,  /* answers with the right ID and another question */
	M_SPOOF_FIRST,   /* a wrong-ID and a wrong-question answer, then the right one */
	M_GARBAGE,       /* the right ID, QR, then junk */
	M_SHORT,         /* 5 bytes */
	M_COUNT_LIE,     /* ANCOUNT says 5 more records than there are */
	M_COMPRESS_LOOP, /* a compression pointer pointing at itself */
	M_SERVFAIL,      /* SERVFAIL, also with CD */
	M_BOGUS,         /* SERVFAIL without CD, data with CD */
	M_REFUSED,
	M_NOTIMP,
	M_NXDOMAIN,    /* NXDOMAIN with AD for everything */
	M_NO_AD,       /* good data, no AD */
	M_RRSIG_WEIRD, /* RRSIGs expiring at 0 and 0xffffffff next to the data */
	M_NO_QUESTION, /* NOERROR answers without a question section */
	M_SILENT,      /* never answers */
	/* check_mta_sts (issue 20): TXT records at _mta-sts.<domain>; mta-sts.<domain> is
	 * 127.0.4.200 (nothing listens there) */
	M_STS_GOOD,     /* one valid v=STSv1 record */
	M_STS_TXT_64K,  /* one v=STSv1 record of 254 strings of 255 bytes (TCP) */
	M_STS_TXT_MANY, /* 200 v=STSv1 records */
	M_STS_TXT_CTL,  /* a v=STSv1 record with NUL, ESC, '|' and a forged status line */
	/* -A (issue 12): a good resolver (RRSIGs name the zone dns.hostile.test., NS
	 * ns.dns.hostile.test. at this server's own address) whose answers as an
	 * authoritative server (RD clear) misbehave one way each */
	M_AUTH_GOOD,      /* good authoritative answers (AA) */
	M_AUTH_NOAA,      /* authoritative answers without AA */
	M_AUTH_GARBAGE,   /* garbage instead of authoritative answers */
	M_AUTH_HUGE,      /* 1200 TLSA records with AA (TCP) */
	M_AUTH_WRONGNAME, /* authoritative answers for another owner name */
	M_AUTH_SILENT,    /* no authoritative answers at all */
	M_AUTH_REFUSED,   /* REFUSED to authoritative queries */
};

struct mode {
	const char *name;
	enum mode_id id;
	const char *what;
};

static const struct mode modes[] = {
    {"good", M_GOOD, "consistent secure data (control)"},
    {"tlsa-empty", M_TLSA_EMPTY, "TLSA records with RDLENGTH 0"},
    {"tlsa-3bytes", M_TLSA_3BYTES, "TLSA 3 1 1 with no association data"},
    {"tlsa-1byte", M_TLSA_1BYTE, "TLSA with one byte of RDATA"},
    {"tlsa-64k", M_TLSA_64K, "TLSA 3 0 0 with 65 000 bytes of data (TC over UDP, then TCP)"},
    {"tlsa-64k-udp", M_TLSA_64K_UDP, "the same in one UDP datagram"},
    {"tlsa-many", M_TLSA_MANY, "1200 TLSA records in one RRset"},
    {"tlsa-junk", M_TLSA_JUNK, "TLSA full data that does not parse, unknown parameters"},
    {"cname-self", M_CNAME_SELF, "the MX host is a CNAME to itself"},
    {"cname-cycle", M_CNAME_CYCLE, "a CNAME 2-cycle"},
    {"cname-cycle-a", M_CNAME_CYCLE_A, "a CNAME 2-cycle, with A records"},
    {"cname-long", M_CNAME_LONG, "a chain of 40 CNAMEs"},
    {"mx100", M_MX100, "an MX set of 100 hosts"},
    {"mx100-2addr", M_MX100_2ADDR, "100 MX hosts with 2 addresses each: 127.0.6.1 and 127.0.6.2"},
    {"mx-names", M_MX_NAMES, "MX host names with '|', quotes, newlines, NUL, 8-bit bytes"},
    {"mx-nullmix", M_MX_NULLMIX, "null MX next to real and duplicate MX records"},
    {"mx-empty", M_MX_EMPTY, "MX records with RDLENGTH 0 and 2 next to a good one"},
    {"mx-longname", M_MX_LONGNAME, "a 253-byte MX host name of unprintable bytes"},
    {"rdata-junk", M_RDATA_JUNK, "A/AAAA of the wrong size, empty CNAME and RRSIG rdata"},
    {"many-addrs", M_MANY_ADDRS, "9 MX hosts with 16 addresses each (144 addresses)"},
    {"tc-always", M_TC_ALWAYS, "every UDP answer truncated: everything over TCP"},
    {"tc-notcp", M_TC_NOTCP, "truncated over UDP, TCP closed at once"},
    {"tcp-garbage", M_TCP_GARBAGE, "truncated over UDP, garbage over TCP"},
    {"tcp-short", M_TCP_SHORT, "truncated over UDP, a 5-byte TCP answer"},
    {"tcp-mismatch", M_TCP_MISMATCH, "truncated over UDP, TCP answer with another ID"},
    {"tcp-half", M_TCP_HALF, "truncated over UDP, half a TCP answer then close"},
    {"tcp-trickle", M_TCP_TRICKLE, "truncated over UDP, TCP answer at 10 bytes/s"},
    {"bad-id", M_BAD_ID, "answers with another ID"},
    {"bad-question", M_BAD_QUESTION, "answers with another question"},
    {"spoof-first", M_SPOOF_FIRST, "two spoofed answers, then the right one"},
    {"garbage", M_GARBAGE, "the right ID, then junk"},
    {"short", M_SHORT, "5-byte answers"},
    {"count-lie", M_COUNT_LIE, "ANCOUNT larger than the records"},
    {"compress-loop", M_COMPRESS_LOOP, "a compression pointer loop"},
    {"servfail", M_SERVFAIL, "SERVFAIL, also with CD"},
    {"bogus", M_BOGUS, "SERVFAIL without CD, data with CD"},
    {"refused", M_REFUSED, "REFUSED"},
    {"notimp", M_NOTIMP, "NOTIMP"},
    {"nxdomain", M_NXDOMAIN, "NXDOMAIN (with AD) for everything"},
    {"no-ad", M_NO_AD, "good data without AD"},
    {"rrsig-weird", M_RRSIG_WEIRD, "RRSIGs expiring at 0 and at 0xffffffff"},
    {"auth-good", M_AUTH_GOOD, "-A: good answers, also as an authoritative server (AA)"},
    {"auth-noaa", M_AUTH_NOAA, "-A: authoritative answers without AA"},
    {"auth-garbage", M_AUTH_GARBAGE, "-A: garbage to authoritative queries"},
    {"auth-huge", M_AUTH_HUGE, "-A: 1200 TLSA records in the authoritative answer (TCP)"},
    {"auth-wrongname", M_AUTH_WRONGNAME, "-A: authoritative answers for another owner name"},
    {"auth-silent", M_AUTH_SILENT, "-A: no answer to authoritative queries"},
    {"auth-refused", M_AUTH_REFUSED, "-A: REFUSED to authoritative queries"},
    {"no-question", M_NO_QUESTION, "NOERROR answers without a question"},
    {"silent", M_SILENT, "never answers"},
    {"sts-good", M_STS_GOOD, "check_mta_sts: a valid _mta-sts TXT record (no policy server)"},
    {"sts-txt-64k", M_STS_TXT_64K,
     "check_mta_sts: a _mta-sts TXT record of 254 strings of 255 bytes"},
    {"sts-txt-many", M_STS_TXT_MANY, "check_mta_sts: 200 v=STSv1 TXT records"},
    {"sts-txt-ctl", M_STS_TXT_CTL, "check_mta_sts: a TXT record with NUL, ESC, '|', a forged line"},
};

#define NMODES (sizeof(modes) / sizeof(modes[0]))

static const struct mode *mode;
static char own_addr[64];  /* the address served on: the NS host's address in the auth-* modes */
static time_t end_of_life; /* the children die then too */

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "hostile_dns: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* --- building answers ---------------------------------------------------- */

static void add_rr(ldns_pkt *p, ldns_pkt_section s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Add a record given in presentation format (owner absolute). */
static void
add_rr(ldns_pkt *p, ldns_pkt_section s, const char *fmt, ...)
{
	char text[8192]; /* names up to 255 octets, escaped: about 1010 characters each */
	ldns_rr *rr = NULL;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (ldns_rr_new_frm_str(&rr, text, 300, NULL, NULL) != LDNS_STATUS_OK)
		die("bad record '%s'", text);
	ldns_pkt_push_rr(p, s, rr);
}

/* A record of type with the given raw rdata fields (each one rdf). */
static ldns_rr *
raw_rr(const ldns_rdf *owner, ldns_rr_type type)
{
	ldns_rr *rr = ldns_rr_new();

	if (rr == NULL)
		die("out of memory");
	ldns_rr_set_owner(rr, ldns_rdf_clone(owner));
	ldns_rr_set_type(rr, type);
	ldns_rr_set_class(rr, LDNS_RR_CLASS_IN);
	ldns_rr_set_ttl(rr, 300);
	return rr;
}

static void
push_rdf(ldns_rr *rr, ldns_rdf_type t, size_t len, const void *data)
{
	ldns_rdf *f = ldns_rdf_new_frm_data(t, len, data);

	if (f == NULL || !ldns_rr_push_rdf(rr, f))
		die("cannot make rdata");
}

/* A TLSA record with any fields and data. */
static void
add_tlsa(ldns_pkt *p, const ldns_rdf *owner, int usage, int selector, int mtype,
	 const uint8_t *data, size_t len)
{
	ldns_rr *rr = raw_rr(owner, LDNS_RR_TYPE_TLSA);
	uint8_t u = (uint8_t)usage, s = (uint8_t)selector, m = (uint8_t)mtype;

	push_rdf(rr, LDNS_RDF_TYPE_INT8, 1, &u);
	push_rdf(rr, LDNS_RDF_TYPE_INT8, 1, &s);
	push_rdf(rr, LDNS_RDF_TYPE_INT8, 1, &m);
	if (len > 0)
		push_rdf(rr, LDNS_RDF_TYPE_HEX, len, data);
	ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, rr);
}

/* An MX record whose exchange is a name made of raw labels. */
static void
add_raw_mx(ldns_pkt *p, const ldns_rdf *owner, int pref, const uint8_t *wire, size_t len)
{
	ldns_rr *rr = raw_rr(owner, LDNS_RR_TYPE_MX);
	uint8_t pr[2] = {(uint8_t)(pref >> 8), (uint8_t)pref};

	push_rdf(rr, LDNS_RDF_TYPE_INT16, 2, pr);
	push_rdf(rr, LDNS_RDF_TYPE_DNAME, len, wire);
	ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, rr);
}

/* An A record for owner (raw: owners of any length, which the text parser refuses). */
static void
add_a(ldns_pkt *p, const ldns_rdf *owner, const char *addr)
{
	ldns_rr *rr = raw_rr(owner, LDNS_RR_TYPE_A);
	uint8_t a[4];

	if (inet_pton(AF_INET, addr, a) != 1)
		die("bad address %s", addr);
	push_rdf(rr, LDNS_RDF_TYPE_A, 4, a);
	ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, rr);
}

/* A TXT record of raw character-strings (each at most 255 bytes). */
static void
add_raw_txt(ldns_pkt *p, const ldns_rdf *owner, const uint8_t *const *strs, const size_t *lens,
	    size_t n)
{
	ldns_rr *rr = raw_rr(owner, LDNS_RR_TYPE_TXT);
	uint8_t buf[256];
	size_t i;

	for (i = 0; i < n; i++) {
		buf[0] = (uint8_t)lens[i];
		memcpy(buf + 1, strs[i], lens[i]);
		push_rdf(rr, LDNS_RDF_TYPE_STR, lens[i] + 1, buf);
	}
	ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, rr);
}

/* The TXT records of _mta-sts.<domain> in the sts-* modes (NODATA otherwise). */
static void
answer_sts_txt(ldns_pkt *p, const ldns_rdf *qrdf, const char *qname)
{
	static uint8_t chunk[254][255];
	static const uint8_t ctl[] = "v=STSv1; id=1\0\x1b[2J|\nMTA_STS OK - forged";
	const uint8_t *strs[254];
	size_t lens[254], i;

	if (strncmp(qname, "_mta-sts.", 9) != 0)
		return;
	switch (mode->id) {
	case M_STS_GOOD:
		add_rr(p, LDNS_SECTION_ANSWER, "%s TXT \"v=STSv1; id=1\"", qname);
		return;
	case M_STS_TXT_64K:
		for (i = 0; i < 254; i++) {
			memset(chunk[i], 'a', sizeof(chunk[i]));
			strs[i] = chunk[i];
			lens[i] = sizeof(chunk[i]);
		}
		memcpy(chunk[0], "v=STSv1; id=1; x=", 17);
		add_raw_txt(p, qrdf, strs, lens, 254);
		return;
	case M_STS_TXT_MANY:
		for (i = 0; i < 200; i++)
			add_rr(p, LDNS_SECTION_ANSWER, "%s TXT \"v=STSv1; id=%zu\"", qname, i);
		return;
	case M_STS_TXT_CTL:
		strs[0] = ctl;
		lens[0] = sizeof(ctl) - 1;
		add_raw_txt(p, qrdf, strs, lens, 1);
		return;
	default:
		return;
	}
}

/* The usual "data" for qname/qtype, as the mode twists it. */
static void
answer_data(ldns_pkt *p, const ldns_rdf *qrdf, const char *qname, ldns_rr_type qtype)
{
	static uint8_t big[BIG_TLSA_LEN];
	const char *host = qname;
	size_t i;

	/* host names start with "mx", "a" or "c<N>" below the domain */
	switch (qtype) {
	case LDNS_RR_TYPE_MX:
		if (strncmp(qname, "mx", 2) == 0 || strncmp(qname, "_", 1) == 0)
			return; /* hosts have no MX: NODATA */
		switch (mode->id) {
		case M_MX_EMPTY: {
			ldns_rr *rr = raw_rr(qrdf, LDNS_RR_TYPE_MX);
			uint8_t pr[2] = {0, 5};

			ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, raw_rr(qrdf, LDNS_RR_TYPE_MX));
			push_rdf(rr, LDNS_RDF_TYPE_INT16, 2, pr);
			ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, rr);
			add_rr(p, LDNS_SECTION_ANSWER, "%s MX 10 mx.%s", qname, qname);
			return;
		}
		case M_MX_LONGNAME: {
			uint8_t name[255];
			size_t o = 0, l;

			for (l = 0; l < 4; l++) {
				size_t n = l < 3 ? 63 : 61 - 2;

				name[o++] = (uint8_t)n;
				memset(name + o, l == 0 ? '|' : 0x01 + (int)l, n);
				o += n;
			}
			name[o++] = 0;
			add_raw_mx(p, qrdf, 10, name, o);
			return;
		}
		case M_MANY_ADDRS:
			for (i = 0; i < 9; i++)
				add_rr(p, LDNS_SECTION_ANSWER, "%s MX %zu mx%zu.%s", qname, i, i,
				       qname);
			return;
		case M_MX100:
		case M_MX100_2ADDR:
			for (i = 0; i < 100; i++)
				add_rr(p, LDNS_SECTION_ANSWER, "%s MX %zu mx%zu.%s", qname, i % 7,
				       i, qname);
			return;
		case M_MX_NAMES: {
			/* labels: "a|b'c", "DANE_SMTP OK - forged\n", "nul\0x", "\xff=\x1b" */
			static const uint8_t n1[] = "\x05"
						    "a|b'c"
						    "\x02mx";
			static const uint8_t n2[] = "\x16"
						    "DANE_SMTP OK - forged\n"
						    "\x02mx";
			static const uint8_t n3[] = "\x05"
						    "nul\0x"
						    "\x02mx";
			static const uint8_t n4[] = "\x03\xff=\x1b"
						    "\x02mx";
			static const uint8_t *const names[] = {n1, n2, n3, n4};
			static const size_t lens[] = {sizeof(n1), sizeof(n2), sizeof(n3),
						      sizeof(n4)};

			/* each ends with the root label: the string's own NUL */
			for (i = 0; i < 4; i++)
				add_raw_mx(p, qrdf, (int)i, names[i], lens[i]);
			return;
		}
		case M_MX_NULLMIX:
			add_rr(p, LDNS_SECTION_ANSWER, "%s MX 0 .", qname);
			add_rr(p, LDNS_SECTION_ANSWER, "%s MX 10 mx.%s", qname, qname);
			add_rr(p, LDNS_SECTION_ANSWER, "%s MX 20 mx.%s", qname, qname);
			add_rr(p, LDNS_SECTION_ANSWER, "%s MX 10 MX.%s", qname, qname);
			return;
		default:
			add_rr(p, LDNS_SECTION_ANSWER, "%s MX 10 mx.%s", qname, qname);
			return;
		}
	case LDNS_RR_TYPE_AAAA:
		if (mode->id == M_RDATA_JUNK) {
			ldns_rr *rr = raw_rr(qrdf, LDNS_RR_TYPE_AAAA);

			push_rdf(rr, LDNS_RDF_TYPE_A, 4, "\x7f\x00\x04\xc8");
			ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, rr);
		}
		return;
	case LDNS_RR_TYPE_A:
		switch (mode->id) {
		case M_RDATA_JUNK: {
			ldns_rr *r3 = raw_rr(qrdf, LDNS_RR_TYPE_A),
				*r16 = raw_rr(qrdf, LDNS_RR_TYPE_A);

			ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, raw_rr(qrdf, LDNS_RR_TYPE_A));
			push_rdf(r3, LDNS_RDF_TYPE_HEX, 3, "\x7f\x00\x04");
			ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, r3);
			push_rdf(r16, LDNS_RDF_TYPE_HEX, 16, "0123456789abcdef");
			ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, r16);
			ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, raw_rr(qrdf, LDNS_RR_TYPE_CNAME));
			ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, raw_rr(qrdf, LDNS_RR_TYPE_RRSIG));
			add_rr(p, LDNS_SECTION_ANSWER, "%s A " ADDR_A, host);
			return;
		}
		case M_MANY_ADDRS:
			for (i = 0; i < 16; i++)
				add_rr(p, LDNS_SECTION_ANSWER, "%s A 127.0.4.%zu", host, 100 + i);
			return;
		case M_MX100_2ADDR:
			add_rr(p, LDNS_SECTION_ANSWER, "%s A 127.0.6.1", host);
			add_rr(p, LDNS_SECTION_ANSWER, "%s A 127.0.6.2", host);
			return;
		case M_CNAME_SELF:
			add_rr(p, LDNS_SECTION_ANSWER, "%s CNAME %s", host, host);
			return;
		case M_CNAME_CYCLE:
		case M_CNAME_CYCLE_A:
			add_rr(p, LDNS_SECTION_ANSWER, "%s CNAME a.%s", host, host);
			add_rr(p, LDNS_SECTION_ANSWER, "a.%s CNAME %s", host, host);
			if (mode->id == M_CNAME_CYCLE_A) {
				add_rr(p, LDNS_SECTION_ANSWER, "%s A " ADDR_A, host);
				add_rr(p, LDNS_SECTION_ANSWER, "a.%s A 127.0.4.201", host);
			}
			return;
		case M_CNAME_LONG:
			add_rr(p, LDNS_SECTION_ANSWER, "%s CNAME c0.%s", host, host);
			for (i = 0; i < 40; i++)
				add_rr(p, LDNS_SECTION_ANSWER, "c%zu.%s CNAME c%zu.%s", i, host,
				       i + 1, host);
			add_rr(p, LDNS_SECTION_ANSWER, "c40.%s A " ADDR_A, host);
			return;
		default:
			add_a(p, qrdf, ADDR_A);
			return;
		}
	case LDNS_RR_TYPE_TLSA:
		switch (mode->id) {
		case M_RDATA_JUNK:
			ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, raw_rr(qrdf, LDNS_RR_TYPE_RRSIG));
			add_rr(p, LDNS_SECTION_ANSWER, "%s TLSA 3 1 1 " DIGEST, qname);
			return;
		case M_TLSA_EMPTY:
			ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, raw_rr(qrdf, LDNS_RR_TYPE_TLSA));
			ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, raw_rr(qrdf, LDNS_RR_TYPE_TLSA));
			return;
		case M_TLSA_3BYTES:
			add_tlsa(p, qrdf, 3, 1, 1, NULL, 0);
			return;
		case M_TLSA_1BYTE: {
			ldns_rr *rr = raw_rr(qrdf, LDNS_RR_TYPE_TLSA);
			uint8_t u = 3;

			push_rdf(rr, LDNS_RDF_TYPE_INT8, 1, &u);
			ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, rr);
			return;
		}
		case M_TLSA_64K:
		case M_TLSA_64K_UDP:
			for (i = 0; i < sizeof(big); i++)
				big[i] = (uint8_t)(i * 7 + 1);
			add_tlsa(p, qrdf, 3, 0, 0, big, sizeof(big));
			return;
		case M_TLSA_MANY:
			for (i = 0; i < 1200; i++) {
				uint8_t d[32];

				memset(d, (int)(i & 0xff), sizeof(d));
				d[0] = (uint8_t)(i >> 8);
				add_tlsa(p, qrdf, 3, 1, 1, d, sizeof(d));
			}
			return;
		case M_TLSA_JUNK:
			add_tlsa(p, qrdf, 3, 0, 0, (const uint8_t *)"\x30\x82\xff\xff junk", 9);
			add_tlsa(p, qrdf, 2, 1, 0, (const uint8_t *)"\x30\x03\x02\x01\x00", 5);
			add_tlsa(p, qrdf, 3, 1, 1, (const uint8_t *)"short", 5);
			add_tlsa(p, qrdf, 255, 255, 255, (const uint8_t *)"\xff", 1);
			add_tlsa(p, qrdf, 3, 1, 1,
				 (const uint8_t *)"0123456789abcdef0123456789abcdef", 32);
			add_tlsa(p, qrdf, 3, 1, 1,
				 (const uint8_t *)"0123456789abcdef0123456789abcdef", 32);
			return;
		default:
			for (i = 0; i < 32; i++) {
				unsigned int byte;

				sscanf(DIGEST + 2 * i, "%2x", &byte);
				big[i] = (uint8_t)byte;
			}
			add_tlsa(p, qrdf, 3, 1, 1, big, 32);
			return;
		}
	case LDNS_RR_TYPE_TXT:
		answer_sts_txt(p, qrdf, qname);
		return;
	default:
		return; /* NODATA */
	}
}

/* An RRSIG by the zone dns.hostile.test. for the RRset (owner, type), valid for a month. */
static void
add_zone_rrsig(ldns_pkt *p, const char *owner, ldns_rr_type type)
{
	char *t = ldns_rr_type2str(type), inc[32], exp[32];
	time_t now = time(NULL), later = now + 30 * 86400;
	struct tm tm;

	strftime(inc, sizeof(inc), "%Y%m%d%H%M%S", gmtime_r(&now, &tm));
	strftime(exp, sizeof(exp), "%Y%m%d%H%M%S", gmtime_r(&later, &tm));
	add_rr(p, LDNS_SECTION_ANSWER,
	       "%s RRSIG %s 13 3 300 %s %s 7 dns.hostile.test. AAECAwQ=", owner,
	       t != NULL ? t : "A", exp, inc);
	free(t);
}

/*
 * The auth-* modes: data for the zone dns.hostile.test. served by this very
 * server (NS ns.dns.hostile.test. at own_addr, SOA serial 7), every RRset
 * signed; as an authoritative server (auth) the mode's twist.
 */
static void
auth_data(ldns_pkt *p, const ldns_rdf *qrdf, const char *qname, ldns_rr_type qtype, bool auth)
{
	char other[600];
	ldns_rdf *ordf = NULL;
	size_t i;

	if (auth && mode->id == M_AUTH_WRONGNAME) {
		snprintf(other, sizeof(other), "w.%s", qname);
		if (ldns_str2rdf_dname(&ordf, other) != LDNS_STATUS_OK)
			die("bad name");
		qrdf = ordf;
		qname = other;
	}
	if (qtype == LDNS_RR_TYPE_NS)
		add_rr(p, LDNS_SECTION_ANSWER, "%s NS ns.dns.hostile.test.", qname);
	else if (qtype == LDNS_RR_TYPE_SOA)
		add_rr(p, LDNS_SECTION_ANSWER,
		       "%s SOA ns.dns.hostile.test. h.dns.hostile.test. 7 3600 900 604800 300",
		       qname);
	else if (qtype == LDNS_RR_TYPE_A && strncmp(qname, "ns.", 3) == 0)
		add_rr(p, LDNS_SECTION_ANSWER, "%s A %s", qname, own_addr);
	else if (auth && mode->id == M_AUTH_HUGE && qtype == LDNS_RR_TYPE_TLSA)
		for (i = 0; i < 1200; i++) {
			uint8_t d[32];

			memset(d, (int)(i & 0xff), sizeof(d));
			d[0] = (uint8_t)(i >> 8);
			add_tlsa(p, qrdf, 3, 1, 1, d, sizeof(d));
		}
	else
		answer_data(p, qrdf, qname, qtype);
	if (ldns_pkt_ancount(p) > 0)
		add_zone_rrsig(p, qname, qtype);
	ldns_rdf_deep_free(ordf);
}

/* The RRSIGs of the rrsig-weird mode: one expired in 1970, one at the end of time. */
static void
add_weird_rrsigs(ldns_pkt *p, const char *qname, ldns_rr_type qtype)
{
	char *type = ldns_rr_type2str(qtype);

	add_rr(p, LDNS_SECTION_ANSWER,
	       "%s RRSIG %s 13 3 300 19700101000000 20380119031407 1 %s "
	       "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7"
	       "PD0+Pw==",
	       qname, type != NULL ? type : "A", qname);
	add_rr(p, LDNS_SECTION_AUTHORITY,
	       "%s RRSIG %s 13 3 300 21060207062815 19700101000000 1 %s AAECAwQ=", qname,
	       type != NULL ? type : "A", qname);
	free(type);
}

/*
 * The answer to query (parsed), as wire bytes in *out (malloc'd). Returns
 * the length, 0 for "no answer". tcp: the answer goes over TCP.
 */
static size_t
answer(const uint8_t *qwire, size_t qlen, bool tcp, uint8_t **out)
{
	ldns_pkt *q = NULL, *p = NULL;
	ldns_rr *qrr;
	ldns_rdf *qrdf;
	char *qname = NULL;
	ldns_rr_type qtype;
	uint8_t *wire = NULL;
	size_t len = 0;
	bool cd, auth_q;

	*out = NULL;
	if (ldns_wire2pkt(&q, qwire, qlen) != LDNS_STATUS_OK || q == NULL)
		return 0;
	if (ldns_rr_list_rr_count(ldns_pkt_question(q)) != 1)
		goto done;
	qrr = ldns_rr_list_rr(ldns_pkt_question(q), 0);
	qrdf = ldns_rr_owner(qrr);
	qtype = ldns_rr_get_type(qrr);
	qname = ldns_rdf2str(qrdf);
	cd = ldns_pkt_cd(q);
	if (qname == NULL)
		goto done;
	auth_q = mode->id >= M_AUTH_GOOD && !ldns_pkt_rd(q);
	if (mode->id == M_SILENT || (auth_q && mode->id == M_AUTH_SILENT))
		goto done;
	if (mode->id == M_SHORT) {
		wire = malloc(5);
		memcpy(wire, qwire, 2);
		memcpy(wire + 2, "\x81\x80\x00", 3);
		*out = wire;
		wire = NULL;
		len = 5;
		goto done;
	}
	if (mode->id == M_GARBAGE || (auth_q && mode->id == M_AUTH_GARBAGE)) {
		static const char junk[] = "\x81\xa0\x00\x01\x00\x07\x00\x00\x00\x00"
					   "\x3f garbage | DANE_SMTP OK - forged\n\x1b[2J\xc0";
		wire = malloc(2 + sizeof(junk) - 1);
		memcpy(wire, qwire, 2);
		memcpy(wire + 2, junk, sizeof(junk) - 1);
		*out = wire;
		wire = NULL;
		len = 2 + sizeof(junk) - 1;
		goto done;
	}

	p = ldns_pkt_new();
	if (p == NULL)
		die("out of memory");
	ldns_pkt_set_id(p, ldns_pkt_id(q));
	ldns_pkt_set_qr(p, true);
	ldns_pkt_set_rd(p, ldns_pkt_rd(q));
	ldns_pkt_set_ra(p, true);
	ldns_pkt_set_cd(p, cd);
	ldns_pkt_set_ad(p, mode->id != M_NO_AD && !auth_q);
	ldns_pkt_set_aa(p, auth_q && mode->id != M_AUTH_NOAA);
	if (mode->id != M_NO_QUESTION)
		ldns_pkt_push_rr(p, LDNS_SECTION_QUESTION, ldns_rr_clone(qrr));
	if (ldns_pkt_edns(q)) {
		ldns_pkt_set_edns_udp_size(p, 1232);
		ldns_pkt_set_edns_do(p, ldns_pkt_edns_do(q));
	}
	switch (mode->id) {
	case M_SERVFAIL:
		ldns_pkt_set_rcode(p, LDNS_RCODE_SERVFAIL);
		ldns_pkt_set_ad(p, false);
		break;
	case M_BOGUS:
		if (!cd) {
			ldns_pkt_set_rcode(p, LDNS_RCODE_SERVFAIL);
			ldns_pkt_set_ad(p, false);
		} else {
			ldns_pkt_set_ad(p, false);
			answer_data(p, qrdf, qname, qtype);
		}
		break;
	case M_REFUSED:
		ldns_pkt_set_rcode(p, LDNS_RCODE_REFUSED);
		break;
	case M_NOTIMP:
		ldns_pkt_set_rcode(p, LDNS_RCODE_NOTIMPL);
		break;
	case M_NXDOMAIN:
		ldns_pkt_set_rcode(p, LDNS_RCODE_NXDOMAIN);
		break;
	case M_BAD_QUESTION: {
		ldns_rr *other = NULL;

		ldns_rr_list_deep_free(ldns_pkt_question(p));
		ldns_pkt_set_question(p, ldns_rr_list_new());
		ldns_pkt_set_qdcount(p, 0);
		if (ldns_rr_new_question_frm_str(&other, "other.hostile.test. IN A", NULL, NULL) !=
		    LDNS_STATUS_OK)
			die("bad question");
		ldns_pkt_push_rr(p, LDNS_SECTION_QUESTION, other);
		answer_data(p, qrdf, qname, qtype);
		break;
	}
	case M_BAD_ID:
		ldns_pkt_set_id(p, (uint16_t)(ldns_pkt_id(q) + 1));
		answer_data(p, qrdf, qname, qtype);
		break;
	case M_RRSIG_WEIRD:
		answer_data(p, qrdf, qname, qtype);
		add_weird_rrsigs(p, qname, qtype);
		break;
	case M_AUTH_REFUSED:
		if (auth_q) {
			ldns_pkt_set_rcode(p, LDNS_RCODE_REFUSED);
			break;
		}
		auth_data(p, qrdf, qname, qtype, false);
		break;
	case M_AUTH_GOOD:
	case M_AUTH_NOAA:
	case M_AUTH_GARBAGE:
	case M_AUTH_HUGE:
	case M_AUTH_WRONGNAME:
	case M_AUTH_SILENT:
		auth_data(p, qrdf, qname, qtype, auth_q);
		break;
	default:
		answer_data(p, qrdf, qname, qtype);
		break;
	}
	if (ldns_pkt_ancount(p) == 0 && ldns_pkt_get_rcode(p) == LDNS_RCODE_NOERROR)
		add_rr(p, LDNS_SECTION_AUTHORITY,
		       "hostile.test. SOA ns.hostile.test. h.hostile.test. 1 3600 900 604800 300");
	if (ldns_pkt2wire(&wire, p, &len) != LDNS_STATUS_OK)
		die("cannot make an answer");

	/* over UDP, what does not fit the client's EDNS size is truncated */
	if (!tcp && mode->id != M_TLSA_64K_UDP && len > (ldns_pkt_edns(q) ? 1232u : 512u)) {
		free(wire);
		ldns_pkt_free(p);
		p = ldns_pkt_new();
		ldns_pkt_set_id(p, ldns_pkt_id(q));
		ldns_pkt_set_qr(p, true);
		ldns_pkt_set_tc(p, true);
		ldns_pkt_set_ra(p, true);
		ldns_pkt_set_rd(p, ldns_pkt_rd(q));
		ldns_pkt_push_rr(p, LDNS_SECTION_QUESTION, ldns_rr_clone(qrr));
		if (ldns_pkt2wire(&wire, p, &len) != LDNS_STATUS_OK)
			die("cannot make an answer");
	}
	if (mode->id == M_COUNT_LIE && len >= 12) {
		unsigned int an = ((unsigned int)wire[6] << 8 | wire[7]) + 5;

		wire[6] = (uint8_t)(an >> 8);
		wire[7] = (uint8_t)an;
	}
	if (mode->id == M_COMPRESS_LOOP) {
		/* header + question, then one answer whose owner points at itself */
		size_t qend = 12;
		uint8_t *w;

		while (qend < len && wire[qend] != 0)
			qend += (size_t)wire[qend] + 1;
		qend += 1 + 4;
		w = malloc(qend + 16);
		memcpy(w, wire, qend);
		memcpy(w + 6, "\x00\x01\x00\x00\x00\x00", 6); /* AN 1, NS 0, AR 0 */
		w[qend] = (uint8_t)(0xc0 | (qend >> 8));
		w[qend + 1] = (uint8_t)qend;
		memcpy(w + qend + 2, "\x00\x01\x00\x01\x00\x00\x01\x2c\x00\x04\x7f\x00\x04\xc8",
		       14);
		free(wire);
		wire = w;
		len = qend + 16;
	}
	*out = wire;
	wire = NULL;
done:
	free(wire);
	free(qname);
	ldns_pkt_free(p);
	ldns_pkt_free(q);
	return len;
}

/* A packet for the question of query, but modified (spoof-first): another ID or question. */
static size_t
spoof(const uint8_t *qwire, size_t qlen, bool other_id, uint8_t **out)
{
	size_t len = answer(qwire, qlen, false, out);

	if (len < 12)
		return len;
	if (other_id) {
		(*out)[1] ^= 0x5a;
	} else if (len > 13 && (*out)[12] > 0) {
		(*out)[13] ^= 0x01; /* first letter of the question name */
	}
	return len;
}

/* --- transport ------------------------------------------------------------- */

static bool
tc_first(void)
{
	switch (mode->id) {
	case M_TC_ALWAYS:
	case M_TC_NOTCP:
	case M_TCP_GARBAGE:
	case M_TCP_SHORT:
	case M_TCP_MISMATCH:
	case M_TCP_HALF:
	case M_TCP_TRICKLE:
		return true;
	default:
		return false;
	}
}

static void
serve_udp(int fd)
{
	static uint8_t buf[MSG_MAX];
	struct sockaddr_storage from;
	socklen_t fromlen = sizeof(from);
	uint8_t *out = NULL;
	ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fromlen);
	size_t len;

	if (n < 12)
		return;
	if (tc_first()) {
		/* the question only, TC set */
		ldns_pkt *q = NULL, *p;

		if (ldns_wire2pkt(&q, buf, (size_t)n) != LDNS_STATUS_OK)
			return;
		p = ldns_pkt_new();
		ldns_pkt_set_id(p, ldns_pkt_id(q));
		ldns_pkt_set_qr(p, true);
		ldns_pkt_set_tc(p, true);
		ldns_pkt_set_ad(p, true);
		ldns_pkt_set_rd(p, ldns_pkt_rd(q));
		ldns_pkt_set_ra(p, true);
		if (ldns_rr_list_rr_count(ldns_pkt_question(q)) > 0)
			ldns_pkt_push_rr(p, LDNS_SECTION_QUESTION,
					 ldns_rr_clone(ldns_rr_list_rr(ldns_pkt_question(q), 0)));
		if (ldns_pkt2wire(&out, p, &len) == LDNS_STATUS_OK)
			sendto(fd, out, len, 0, (struct sockaddr *)&from, fromlen);
		free(out);
		ldns_pkt_free(p);
		ldns_pkt_free(q);
		return;
	}
	if (mode->id == M_SPOOF_FIRST) {
		len = spoof(buf, (size_t)n, true, &out);
		if (len > 0)
			sendto(fd, out, len, 0, (struct sockaddr *)&from, fromlen);
		free(out);
		len = spoof(buf, (size_t)n, false, &out);
		if (len > 0)
			sendto(fd, out, len, 0, (struct sockaddr *)&from, fromlen);
		free(out);
	}
	len = answer(buf, (size_t)n, false, &out);
	if (len > 0)
		sendto(fd, out, len, 0, (struct sockaddr *)&from, fromlen);
	free(out);
}

static bool
send_all(int fd, const void *data, size_t len)
{
	const uint8_t *p = data;

	while (len > 0) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

static bool
recv_all(int fd, uint8_t *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = recv(fd, buf + got, len - got, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		got += (size_t)n;
	}
	return true;
}

/* One TCP connection (in a child): queries until the client closes. */
static void
serve_tcp(int c)
{
	static uint8_t buf[MSG_MAX + 2];
	uint8_t *out = NULL, hdr[2];
	size_t len, qlen, i;

	if (mode->id == M_TC_NOTCP)
		return;
	for (;;) {
		if (!recv_all(c, hdr, 2))
			return;
		qlen = (size_t)hdr[0] << 8 | hdr[1];
		if (qlen < 12 || !recv_all(c, buf, qlen))
			return;
		switch (mode->id) {
		case M_TCP_GARBAGE:
			send_all(c,
				 "\x00\x20\x01\x02 garbage | DANE_SMTP OK\n\x1b[2J\xc0\xff\xff\xff",
				 34);
			return;
		case M_TCP_SHORT:
			send_all(c, "\x00\x05\x01\x02\x03\x04\x05", 7);
			continue;
		default:
			break;
		}
		len = answer(buf, qlen, true, &out);
		if (len == 0) {
			free(out);
			continue;
		}
		if (mode->id == M_TCP_MISMATCH)
			out[0] ^= 0xa5;
		hdr[0] = (uint8_t)(len >> 8);
		hdr[1] = (uint8_t)len;
		if (mode->id == M_TCP_HALF) {
			send_all(c, hdr, 2);
			send_all(c, out, len / 2);
			free(out);
			return;
		}
		if (mode->id == M_TCP_TRICKLE) {
			send_all(c, hdr, 2);
			for (i = 0; i < len; i++) {
				if (!send_all(c, out + i, 1))
					break;
				usleep(100000);
			}
			free(out);
			return;
		}
		if (!send_all(c, hdr, 2) || !send_all(c, out, len)) {
			free(out);
			return;
		}
		free(out);
		out = NULL;
	}
}

static bool
loopback(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)ss)->sin_addr.s_addr) >> 24) == 127;
	if (ss->ss_family == AF_INET6)
		return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)ss)->sin6_addr);
	return false;
}

static void
set_port(struct sockaddr_storage *ss, unsigned int port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
	else
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
}

static unsigned int
get_port(const struct sockaddr_storage *ss)
{
	return ntohs(ss->ss_family == AF_INET ? ((const struct sockaddr_in *)ss)->sin_port
					      : ((const struct sockaddr_in6 *)ss)->sin6_port);
}

/* Bind UDP and TCP on the same port (0: any free one). Returns the port. */
static unsigned int
bind_both(struct sockaddr_storage *ss, socklen_t sslen, unsigned int port, int *udp, int *tcp)
{
	int tries, one = 1;

	for (tries = 0; tries < 50; tries++) {
		struct sockaddr_storage a = *ss;
		socklen_t alen = sslen;

		set_port(&a, port);
		*udp = socket(ss->ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		*tcp = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (*udp < 0 || *tcp < 0)
			die("socket: %s", strerror(errno));
		setsockopt(*tcp, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(*udp, (struct sockaddr *)&a, sslen) == 0 &&
		    getsockname(*udp, (struct sockaddr *)&a, &alen) == 0 &&
		    bind(*tcp, (struct sockaddr *)&a, sslen) == 0 && listen(*tcp, 64) == 0)
			return get_port(&a);
		if (port != 0)
			die("cannot listen on port %u: %s", port, strerror(errno));
		close(*udp);
		close(*tcp);
	}
	die("no free port for UDP and TCP");
}

static void
usage(void)
{
	fprintf(stderr, "usage: hostile_dns [-l SECONDS] ADDR PORT MODE\n"
			"       hostile_dns -L   (list the modes)\n");
	exit(1);
}

int
main(int argc, char **argv)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	unsigned int lifetime = 20, port;
	struct timeval tv = {3, 0};
	char *end;
	long p;
	size_t i;
	int opt, udp, tcp;

	while ((opt = getopt(argc, argv, "l:L")) != -1) {
		switch (opt) {
		case 'l':
			lifetime = (unsigned int)strtoul(optarg, &end, 10);
			if (*end != '\0' || lifetime < 1 || lifetime > 600)
				usage();
			break;
		case 'L':
			for (i = 0; i < NMODES; i++)
				printf("%-16s %s\n", modes[i].name, modes[i].what);
			return 0;
		default:
			usage();
		}
	}
	if (argc - optind != 3)
		usage();
	for (i = 0; i < NMODES; i++)
		if (strcmp(modes[i].name, argv[optind + 2]) == 0)
			mode = &modes[i];
	if (mode == NULL)
		die("unknown mode '%s' (-L lists them)", argv[optind + 2]);
	p = strtol(argv[optind + 1], &end, 10);
	if (*end != '\0' || p < 0 || p > 65535)
		die("bad port '%s'", argv[optind + 1]);

	memset(&ss, 0, sizeof(ss));
	snprintf(own_addr, sizeof(own_addr), "%s", argv[optind]);
	if (inet_pton(AF_INET, argv[optind], &((struct sockaddr_in *)&ss)->sin_addr) == 1) {
		ss.ss_family = AF_INET;
		sslen = sizeof(struct sockaddr_in);
	} else if (inet_pton(AF_INET6, argv[optind], &((struct sockaddr_in6 *)&ss)->sin6_addr) ==
		   1) {
		ss.ss_family = AF_INET6;
		sslen = sizeof(struct sockaddr_in6);
	} else {
		die("bad address '%s'", argv[optind]);
	}
	if (!loopback(&ss))
		die("'%s' is not a loopback address", argv[optind]);

	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_IGN); /* TCP children are reaped by the kernel */
	alarm(lifetime);          /* SIGALRM's default action ends us */
	end_of_life = time(NULL) + (time_t)lifetime;
	port = bind_both(&ss, sslen, (unsigned int)p, &udp, &tcp);
	printf("%u\n", port);
	fflush(stdout);

	for (;;) {
		struct pollfd pfd[2] = {{udp, POLLIN, 0}, {tcp, POLLIN, 0}};

		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll: %s", strerror(errno));
		}
		if (pfd[0].revents & POLLIN)
			serve_udp(udp);
		if (pfd[1].revents & POLLIN) {
			int c = accept(tcp, NULL, NULL);
			pid_t pid;

			if (c < 0)
				continue;
			pid = fork();
			if (pid == 0) {
				/* the child: one connection, ends with the parent's lifetime */
				time_t left = end_of_life - time(NULL);

				alarm(left > 0 ? (unsigned int)left : 1);
				close(udp);
				close(tcp);
				setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
				setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
				serve_tcp(c);
				close(c);
				_exit(0);
			}
			close(c);
		}
	}
}
