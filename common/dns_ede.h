/*
 * dns_ede.h -- Extended DNS Errors (RFC 8914) of an answer: read from its
 * EDNS0 options, bounded. Their words (names, sanitized EXTRA-TEXT) are in
 * words_dns.h.
 */
#ifndef DANE_DNS_EDE_H
#define DANE_DNS_EDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ldns/ldns.h>

/** EDE options kept per answer (more are counted in total). */
#define DNS_EDE_MAX 4

/** Bytes of EXTRA-TEXT kept per option (more are cut: raw_cut). */
#define DNS_EDE_TEXT_MAX 120

/** One Extended DNS Error. */
struct dns_ede {
	uint16_t code;              /* INFO-CODE */
	char raw[DNS_EDE_TEXT_MAX]; /* EXTRA-TEXT as the resolver sent it, up to a NUL, cut */
	size_t raw_len;             /* bytes in raw (0: no EXTRA-TEXT) */
	bool raw_cut;               /* the EXTRA-TEXT was longer than DNS_EDE_TEXT_MAX bytes */
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

#endif /* DANE_DNS_EDE_H */
