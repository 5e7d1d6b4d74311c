/*
 * verdict_tlsrpt_record.c -- the findings on a domain's TLSRPT record.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "text.h"
#include "verdict_tlsrpt_record.h"
#include "words_dns.h"

/* Why a record does not parse, in words. */
static const char *
fault_words(enum tlsrpt_record_fault f)
{
	switch (f) {
	case TLSRPT_FAULT_TOO_LONG:
		return "longer than 2048 bytes";
	case TLSRPT_FAULT_BAD_BYTE:
		return "a control or 8-bit byte";
	case TLSRPT_FAULT_BAD_FIELD:
		return "a field that is no name=value";
	case TLSRPT_FAULT_NO_RUA:
		return "no rua field";
	case TLSRPT_FAULT_RUA_TWICE:
		return "two rua fields";
	case TLSRPT_FAULT_BAD_URI:
		return "an empty or overlong rua address, or one with a space";
	case TLSRPT_FAULT_BAD_SCHEME:
		return "a rua address that is neither mailto: nor https:";
	case TLSRPT_FAULT_NONE:
	default:
		return "a syntax error";
	}
}

/* The key of a fault for the params. */
static const char *
fault_key(enum tlsrpt_record_fault f)
{
	static const char *const keys[] = {
	    [TLSRPT_FAULT_NONE] = "none",         [TLSRPT_FAULT_TOO_LONG] = "too_long",
	    [TLSRPT_FAULT_BAD_BYTE] = "bad_byte", [TLSRPT_FAULT_BAD_FIELD] = "bad_field",
	    [TLSRPT_FAULT_NO_RUA] = "no_rua",     [TLSRPT_FAULT_RUA_TWICE] = "rua_twice",
	    [TLSRPT_FAULT_BAD_URI] = "bad_uri",   [TLSRPT_FAULT_BAD_SCHEME] = "bad_scheme",
	};

	return (size_t)f < sizeof(keys) / sizeof(keys[0]) ? keys[f] : "none";
}

void
verdict_tlsrpt_record(const char *domain, const struct tlsrpt_record *r, struct output *out)
{
	char name[300], list[TLSRPT_RECORD_MAX_RUA * TLSRPT_RECORD_URI_MAX + 64], quote[256];
	char why[WORDS_DNS_ERROR_MAX + 200];
	struct finding *f = NULL;
	size_t i, o = 0;

	tlsrpt_record_name(domain, name, sizeof(name));
	switch (r->status) {
	case TLSRPT_RECORD_VALID:
		list[0] = '\0';
		for (i = 0; i < r->nrua && o < sizeof(list); i++)
			o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s", i ? ", " : "",
					      r->rua[i]);
		if (r->rua_total > r->nrua && o < sizeof(list))
			snprintf(list + o, sizeof(list) - o, " and %zu more",
				 r->rua_total - r->nrua);
		f = finding_add(out, NULL, STATE_OK, FC_TLSRPT_RECORD,
				"TLSRPT record at %s: senders report TLS failures to %s", name,
				list);
		finding_set_level(f, 1);
		finding_param_str(f, "rua", list);
		finding_param_int(f, "rua_count", (long long)r->rua_total);
		break;
	case TLSRPT_RECORD_NONE:
		f = finding_add(out, NULL, STATE_OK, FC_TLSRPT_RECORD_MISSING,
				"no TLSRPT record at %s: senders cannot report TLS failures "
				"(RFC 8460)",
				name);
		finding_set_level(f, 1);
		break;
	case TLSRPT_RECORD_MULTIPLE:
		f = finding_add(out, NULL, STATE_WARNING, FC_TLSRPT_RECORDS_MULTIPLE,
				"%zu TLSRPT records at %s: senders send no reports (RFC 8460 3 "
				"wants exactly one)",
				r->records, name);
		finding_param_int(f, "records", (long long)r->records);
		break;
	case TLSRPT_RECORD_INVALID:
		text_sanitize(quote, sizeof(quote), r->text, r->text_len, 120, TEXT_ESCAPE);
		f = finding_add(out, NULL, STATE_WARNING, FC_TLSRPT_RECORD_INVALID,
				"the TLSRPT record at %s does not parse (%s): senders send no "
				"reports; it reads \"%s\"",
				name, fault_words(r->fault), quote);
		finding_param_str(f, "fault", fault_key(r->fault));
		finding_param_bytes(f, "record", r->text, r->text_len);
		break;
	case TLSRPT_RECORD_LOOKUP_FAILED:
	default:
		words_dns_outcome_failure(&r->lookup, why, sizeof(why));
		f = finding_add(out, NULL, STATE_WARNING, FC_TLSRPT_RECORD_LOOKUP_FAILED,
				"the TLSRPT record at %s cannot be looked up (%s): senders send "
				"no reports while it fails",
				name, why);
		break;
	}
	finding_subject(f, &(struct finding_subject){.domain = domain, .name = name});
}
