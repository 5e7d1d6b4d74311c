/*
 * dns_ede.h -- Extended DNS Errors (RFC 8914) of an answer: read from its
 * EDNS0 options, bounded and sanitized, and said in words for the operator.
 */
#ifndef DANE_DNS_EDE_H
#define DANE_DNS_EDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ldns/ldns.h>

/** EDE options kept per answer (more are counted in total). */
#define DNS_EDE_MAX 4

/** Bytes of EXTRA-TEXT kept per option (more are cut, "..." marks it). */
#define DNS_EDE_TEXT_MAX 120

/** One Extended DNS Error. */
struct dns_ede {
	uint16_t code;                       /* INFO-CODE */
	char text[4 * DNS_EDE_TEXT_MAX + 4]; /* EXTRA-TEXT, sanitized (\xNN), cut; "" if none */
};

/** The EDE options of one answer. */
struct dns_ede_list {
	struct dns_ede ede[DNS_EDE_MAX];
	size_t n;       /* kept in ede[] */
	size_t total;   /* EDE options in the answer (may be > n) */
	bool malformed; /* an option was cut short or an EDE shorter than its code */
};

/**
 * Read the EDE options of raw EDNS0 option data (the RDATA of an OPT record:
 * code, length, data, ...) into *out, which is cleared first. Malformed data
 * (an option longer than what is left, an EDE without a full INFO-CODE) ends
 * the parse with out->malformed set; what was read before is kept. Returns
 * the number of EDE options kept.
 */
size_t dns_ede_parse(const uint8_t *opts, size_t len, struct dns_ede_list *out);

/** The EDE options of a parsed packet (none when it has no EDNS0 data). */
size_t dns_ede_from_pkt(const ldns_pkt *pkt, struct dns_ede_list *out);

/** The RFC 8914 name of an INFO-CODE ("DNSSEC Bogus"), or "unassigned". */
const char *dns_ede_name(uint16_t code);

/**
 * Every EDE in words: "EDE 6 (DNSSEC Bogus): signature crypto failed; EDE 9
 * (DNSKEY Missing)", with "and N more" when more than DNS_EDE_MAX came, and
 * "(malformed EDE option)" when one was. "" when there is none. Returns the
 * length.
 */
size_t dns_ede_format(const struct dns_ede_list *list, char *dst, size_t dstsize);

#endif /* DANE_DNS_EDE_H */
