/*
 * dns_ede.c -- Extended DNS Errors (RFC 8914).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "dns_ede.h"
#include "text.h"

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

			e->code = (uint16_t)(opts[pos] << 8 | opts[pos + 1]);
			/* EXTRA-TEXT: UTF-8, "not NUL terminated"; some send a NUL anyway */
			text_sanitize(e->text, sizeof(e->text), (const char *)opts + pos + 2,
				      strnlen((const char *)opts + pos + 2, olen - 2U),
				      DNS_EDE_TEXT_MAX, TEXT_ESCAPE);
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

const char *
dns_ede_name(uint16_t code)
{
	static const char *const names[] = {
	    "Other Error",
	    "Unsupported DNSKEY Algorithm",
	    "Unsupported DS Digest Type",
	    "Stale Answer",
	    "Forged Answer",
	    "DNSSEC Indeterminate",
	    "DNSSEC Bogus",
	    "Signature Expired",
	    "Signature Not Yet Valid",
	    "DNSKEY Missing",
	    "RRSIGs Missing",
	    "No Zone Key Bit Set",
	    "NSEC Missing",
	    "Cached Error",
	    "Not Ready",
	    "Blocked",
	    "Censored",
	    "Filtered",
	    "Prohibited",
	    "Stale NXDomain Answer",
	    "Not Authoritative",
	    "Not Supported",
	    "No Reachable Authority",
	    "Network Error",
	    "Invalid Data",
	    "Signature Expired before Valid",
	    "Too Early",
	    "Unsupported NSEC3 Iterations Value",
	    "Unable to conform to policy",
	    "Synthesized",
	    "Invalid Query Type",
	};

	return code < sizeof(names) / sizeof(names[0]) ? names[code] : "unassigned";
}

size_t
dns_ede_format(const struct dns_ede_list *list, char *dst, size_t dstsize)
{
	size_t i, o = 0;
	int n;

	if (dstsize == 0)
		return 0;
	dst[0] = '\0';
	for (i = 0; i < list->n && o < dstsize; i++) {
		const struct dns_ede *e = &list->ede[i];

		n = snprintf(dst + o, dstsize - o, "%sEDE %u (%s)%s%s", i ? "; " : "", e->code,
			     dns_ede_name(e->code), e->text[0] ? ": " : "", e->text);
		o += n > 0 ? (size_t)n : 0;
	}
	if (o < dstsize && list->total > list->n) {
		n = snprintf(dst + o, dstsize - o, "%sand %zu more EDE", o ? "; " : "",
			     list->total - list->n);
		o += n > 0 ? (size_t)n : 0;
	}
	if (o < dstsize && list->malformed) {
		n = snprintf(dst + o, dstsize - o, "%s(malformed EDE option)", o ? " " : "");
		o += n > 0 ? (size_t)n : 0;
	}
	return o < dstsize ? o : dstsize - 1;
}
