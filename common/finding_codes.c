/*
 * finding_codes.c -- the table of finding codes: stable names and meanings.
 */
#include "config.h"

#include <string.h>

#include "finding_codes.h"

static const struct finding_code_info codes[FC_COUNT] = {
    [FC_NONE] = {"none", "not a finding (the root of the tree)"},

    /* the plugin itself */
    [FC_PLUGIN_USAGE] = {"plugin.usage", "the command line is not valid"},
    [FC_PLUGIN_USAGE_LINE] = {"plugin.usage_line",
			      "a line of the short usage, shown after a usage error"},
    [FC_PLUGIN_LOCAL_FAILURE] = {"plugin.local_failure",
				 "a failure on the monitoring host: out of memory, no socket, "
				 "an unreadable file"},
    [FC_PLUGIN_TIMEOUT] = {"plugin.timeout",
			   "the run did not end within -t and was ended by its backstop"},
    [FC_PLUGIN_LEGACY] = {"plugin.legacy", "a line not yet given a code of its own"},

    /* the MX walk, the hosts and their TLSA records (verdict_mx.c) */

    /* the authoritative servers, -A (verdict_auth.c) */

    /* SMTP, STARTTLS and the DANE handshake (verdict_probe.c) */
    [FC_TLSA_MATCH] = {"tlsa.match", "the presented chain matched a TLSA record: DANE senders "
				     "deliver over authenticated TLS"},
    [FC_TLS_TYPE_NOT_OFFERED] = {"tls.type_not_offered",
				 "the server has no certificate of the type asked for: senders "
				 "that ask for it get another one"},
    [FC_TLSA_NO_MATCH] = {"tlsa.no_match", "the presented chain matches no TLSA record: DANE "
					   "senders that get it defer mail"},
    [FC_CERT_DANE_TA_NAME_MISMATCH] =
	{"cert.dane_ta_name_mismatch",
	 "DANE-TA: the leaf certificate does not name the TLSA base domain "
	 "or the MX host: DANE senders defer mail"},
    [FC_SMTP_REFUSED] = {"smtp.refused",
			 "the connection was refused: senders cannot deliver to the address"},
    [FC_SMTP_UNREACHABLE] = {"smtp.unreachable",
			     "the address is unreachable: senders cannot deliver to it"},
    [FC_SMTP_TIMEOUT] = {"smtp.timeout", "the SMTP dialogue up to STARTTLS did not end in time"},
    [FC_SMTP_BAD_GREETING] = {"smtp.bad_greeting",
			      "the greeting was not 2xx: senders do not deliver to the address"},
    [FC_SMTP_PROTOCOL_ERROR] = {"smtp.protocol_error",
				"the server broke the SMTP protocol (garbage, a limit exceeded, "
				"bytes after STARTTLS's 220)"},
    [FC_SMTP_CLOSED] = {"smtp.closed",
			"the server closed the connection before STARTTLS was accepted"},
    [FC_SMTP_NO_STARTTLS] = {"smtp.no_starttls", "STARTTLS not offered (or EHLO rejected) where "
						 "TLSA exists: DANE senders defer mail"},
    [FC_SMTP_STARTTLS_REFUSED] = {"smtp.starttls_refused",
				  "STARTTLS was answered with something else than 2xx: DANE "
				  "senders defer mail"},
    [FC_TLS_HANDSHAKE_FAILED] = {"tls.handshake_failed",
				 "the TLS handshake failed (alert, garbage, protocol error): "
				 "DANE senders defer mail"},
    [FC_TLS_TIMEOUT] = {"tls.timeout", "the TLS handshake did not end in time"},
    [FC_TLS_CLOSED] = {"tls.closed", "the server closed the connection during the TLS handshake"},
    [FC_TLS_NO_USABLE_TLSA] = {"tls.no_usable_tlsa",
			       "the handshake completed but none of the TLSA records could be "
			       "used: the server is not authenticated"},
    [FC_PROBE_LOCAL_FAILURE] = {"probe.local_failure",
				"a probe failed on the monitoring host (out of memory, no "
				"socket, OpenSSL internal error)"},
    [FC_PROBE_NOT_STARTED] = {"probe.not_started",
			      "certificate types of an address were not probed (the deadline "
			      "came first, or the probe could not be started)"},
    [FC_PROBE_SLOW] = {"probe.slow",
		       "the slowest verified address took longer than -w/-c from connect to "
		       "verified chain"},
    [FC_PROBE_INCOMPLETE] = {"probe.incomplete", "some probes could not be started"},

    /* the resolver (verdict_resolver.c) */
    [FC_RESOLVER_VALIDATES] = {"resolver.validates",
			       "the resolver validated a signed name (AD set): DANE lookups "
			       "through it can be trusted"},
    [FC_RESOLVER_NO_AD] =
	{"resolver.no_ad",
	 "a name that should be signed came back without AD: the resolver does "
	 "not validate (or the name is not signed), DANE cannot be judged through it"},
    [FC_RESOLVER_ALGORITHM_NOT_VALIDATED] = {"resolver.algorithm_not_validated",
					     "a signed name came back without AD while other "
					     "names validate: the resolver does not validate "
					     "its signing algorithm (crypto policy?)"},
    [FC_RESOLVER_SIGNED_NAME_FAILS] = {"resolver.signed_name_fails",
				       "a signed name fails validation at the resolver "
				       "(SERVFAIL, the data is there with CD): check its trust "
				       "anchor and clock"},
    [FC_RESOLVER_NO_ANSWER] = {"resolver.no_answer",
			       "no usable answer from the resolver (timeout, unreachable, "
			       "REFUSED, SERVFAIL, malformed)"},
    [FC_RESOLVER_REJECTS_BOGUS] = {"resolver.rejects_bogus",
				   "the resolver refused data that fails validation (SERVFAIL, the "
				   "data is there with CD)"},
    [FC_RESOLVER_ACCEPTS_BOGUS] = {"resolver.accepts_bogus",
				   "the resolver returned data that fails validation: it does not "
				   "protect its clients, DANE through it is worthless"},
    [FC_RESOLVER_BOGUS_INCONCLUSIVE] = {"resolver.bogus_inconclusive",
					"the answer for the bogus name proves nothing (no data, or "
					"SERVFAIL also with CD): use a name whose data exists but "
					"does not validate"},
    [FC_RESOLVER_SLOW] = {"resolver.slow",
			  "the resolver answered right (validated, or rejected bogus data) but "
			  "its response time crossed -w or -c"},
    [FC_RESOLVER_ANSWER_RECORD] = {"resolver.answer_record",
				   "a record of the resolver's answer (shown from -v on)"},

    /* renewals (verdict_rollover.c, verdict_staged.c) */
};

const char *
finding_code_name(enum finding_code code)
{
	if ((unsigned int)code >= FC_COUNT || codes[code].name == NULL)
		return "unknown";
	return codes[code].name;
}

const char *
finding_code_doc(enum finding_code code)
{
	if ((unsigned int)code >= FC_COUNT || codes[code].doc == NULL)
		return "";
	return codes[code].doc;
}

enum finding_code
finding_code_by_name(const char *name)
{
	unsigned int i;

	for (i = 1; i < FC_COUNT; i++)
		if (codes[i].name != NULL && strcmp(codes[i].name, name) == 0)
			return (enum finding_code)i;
	return FC_NONE;
}
