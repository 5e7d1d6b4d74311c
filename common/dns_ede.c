/*
 * dns_ede.c -- Extended DNS Errors (RFC 8914): the facts of an answer's EDE options.
 */
#include "config.h"

#include <string.h>

#include "dns_ede.h"

/* The EDNS0 option code of EDE (RFC 8914 2). */
#define EDE_OPTION 15

size_t
dns_ede_parse(const uint8_t *opts, size_t len, struct dns_ede_list *out)
{
	size_t pos = 0;

	memset(out, 0, sizeof(*out));
	while (pos < len) {
		uint16_t code, olen;

		if (len - pos < 4) {
			out->malformed = true;
			break;
		}
		code = (uint16_t)(opts[pos] << 8 | opts[pos + 1]);
		olen = (uint16_t)(opts[pos + 2] << 8 | opts[pos + 3]);
		pos += 4;
		if (olen > len - pos) {
			out->malformed = true;
			break;
		}
		if (code == EDE_OPTION && olen < 2) {
			out->malformed = true;
		} else if (code == EDE_OPTION && out->total++ < DNS_EDE_MAX) {
			struct dns_ede *e = &out->ede[out->n++];
			/* EXTRA-TEXT: UTF-8, "not NUL terminated"; some send a NUL anyway */
			size_t tlen = strnlen((const char *)opts + pos + 2, olen - 2U);

			e->code = (uint16_t)(opts[pos] << 8 | opts[pos + 1]);
			e->raw_cut = tlen > DNS_EDE_TEXT_MAX;
			e->raw_len = e->raw_cut ? DNS_EDE_TEXT_MAX : tlen;
			memcpy(e->raw, opts + pos + 2, e->raw_len);
		}
		pos += olen;
	}
	return out->n;
}

size_t
dns_ede_from_pkt(const ldns_pkt *pkt, struct dns_ede_list *out)
{
	ldns_rdf *data = pkt ? ldns_pkt_edns_data(pkt) : NULL;

	memset(out, 0, sizeof(*out));
	if (data == NULL)
		return 0;
	return dns_ede_parse(ldns_rdf_data(data), ldns_rdf_size(data), out);
}
