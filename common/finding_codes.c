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

    /* the resolver (verdict_resolver.c) */

    /* renewals (verdict_rollover.c, verdict_staged.c) */
    [FC_RENEWAL_HOST] = {"renewal.host", "an MX host with usable TLSA records; what its next "
					 "renewal breaks is below it"},
    [FC_RENEWAL_USABLE_RECORDS] = {"renewal.usable_records",
				   "how many usable TLSA records the host publishes (-v)"},
    [FC_CERT_EXPIRY] = {"cert.expiry", "a presented certificate that a usable record matches, "
				       "not yet inside the expiry thresholds: mail is delivered"},
    [FC_CERT_EXPIRES_SOON] = {"cert.expires_soon",
			      "a presented certificate inside the -w/-c thresholds or expired: "
			      "renew it before senders that check dates (DANE-TA) defer mail"},
    [FC_CERT_NO_MATCH] = {"cert.no_match",
			  "no usable record matches the presented chain: DANE-validating senders "
			  "defer mail to this address now"},
    [FC_CERT_DATES_UNREADABLE] = {"cert.dates_unreadable",
				  "the validity dates of a presented certificate cannot be read"},
    [FC_CHAIN_MISSING] = {"chain.missing",
			  "the address presented no chain (connection, SMTP or TLS failed): "
			  "senders cannot deliver there over DANE"},
    [FC_CHAIN_NOT_FETCHED] = {"chain.not_fetched",
			      "the deadline came before the address's chain was fetched: not "
			      "judged"},
    [FC_ROLLOVER_PARTIAL] = {"rollover.partial",
			     "the addresses of a host present different keys of one certificate "
			     "type: a rollover half done, senders see either"},
    [FC_RENEWAL_CERT_PINNED] = {"renewal.cert_pinned",
				"a 3 0 x record pins the certificate itself: any renewal breaks "
				"DANE unless the new record is published first"},
    [FC_RENEWAL_NO_NEXT_KEY] = {"renewal.no_next_key",
				"only records of the current key are published: a renewal with a "
				"new key breaks DANE"},
    [FC_CA_EXPIRY] = {"ca.expiry", "the CA certificate a DANE-TA record anchors on, not yet "
				   "inside the expiry thresholds"},
    [FC_CA_EXPIRES_SOON] = {"ca.expires_soon",
			    "the CA certificate a DANE-TA record anchors on is inside the expiry "
			    "thresholds or expired: publish its successor"},
    [FC_RENEWAL_INTERMEDIATE_PINNED] = {"renewal.intermediate_pinned",
					"a DANE-TA record pins one intermediate CA: a renewal "
					"issued by another intermediate breaks DANE"},
    [FC_TLSA_STALE] = {"tlsa.stale", "a usable record matches nothing presented: a "
				     "pre-published next key, or a stale record to remove"},
    [FC_RRSIG_EXPIRY] = {"rrsig.expiry",
			 "the earliest RRSIG on the MX, address or TLSA RRsets, not yet inside "
			 "--sig-warning"},
    [FC_RRSIG_EXPIRES_SOON] = {"rrsig.expires_soon",
			       "the RRSIGs expire within --sig-warning/--sig-critical days: "
			       "re-sign the zone or validating senders defer mail"},
    [FC_STAGED_PUBLISHED] = {"staged.published",
			     "a published usable record matches the staged next key or "
			     "certificate (with -A: on every authoritative server): deploying it "
			     "keeps DANE working"},
    [FC_STAGED_UNCONFIRMED] = {"staged.unconfirmed",
			       "the staged next key or certificate is published, but an "
			       "authoritative server did not answer: not confirmed there"},
    [FC_STAGED_UNPUBLISHED] = {"staged.unpublished",
			       "no published usable record matches the staged next key or "
			       "certificate: deploying it breaks DANE; the record to publish is "
			       "given"},
    [FC_STAGED_NOT_ON_EVERY_SERVER] = {"staged.not_on_every_server",
				       "the staged next key or certificate is published, but "
				       "some authoritative servers serve no record for it: "
				       "deploying it breaks DANE for the senders asking them"},
    [FC_RENEWAL_ISSUER_UNCOVERED] = {"renewal.issuer_uncovered",
				     "a CA of --issuers that no DANE-TA record covers: a renewal "
				     "issued by it breaks DANE; the 2 1 1 record is given"},
    [FC_RENEWAL_ISSUERS_COVERED] = {"renewal.issuers_covered",
				    "the DANE-TA records cover every CA of --issuers"},
    [FC_RENEWAL_ISSUERS_TRUNCATED] = {"renewal.issuers_truncated",
				      "--issuers holds more certificates than are read: the "
				      "others were not checked"},
    [FC_RENEWAL_ISSUERS_NOT_APPLICABLE] = {"renewal.issuers_not_applicable",
					   "--issuers on a host without usable DANE-TA records "
					   "does not apply (-v)"},
    [FC_FILE_UNUSABLE] = {"file.unusable",
			  "a file given with --cert, --next-cert, --next-key or --issuers cannot "
			  "be used (missing, unreadable, not PEM, no CA certificate): nothing "
			  "was checked"},
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
