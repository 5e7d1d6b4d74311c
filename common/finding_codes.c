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

    /* the MX walk, the hosts and their TLSA records (verdict_mx.c) */
    [FC_MX_UNEXPECTED_HOST] = {"mx.unexpected_host",
			       "an MX host of the domain matches none of the expected names "
			       "(--mx-expect): mail for the domain goes to a host elsewhere, e.g. "
			       "a customer moved away"},
    [FC_MX_UNEXPECTED_NULL] = {"mx.unexpected_null",
			       "the domain publishes a null MX where --mx-expect names its MX "
			       "hosts: it accepts no mail, at the expected hosts or anywhere"},
    [FC_MX_EXPECTED_HOSTS] = {"mx.expected_hosts",
			      "every MX host of the domain matches one of the expected names "
			      "(--mx-expect)"},
    [FC_MX_INVALID_NAME] = {"mx.invalid_name",
			    "the domain (-D) or a host (-H) is not a valid DNS name: nothing was "
			    "checked"},
    [FC_MX_NULL] = {"mx.null",
		    "the domain publishes a null MX (RFC 7505): it accepts no mail, DANE does "
		    "not apply"},
    [FC_MX_INSECURE] = {"mx.insecure",
			"the MX RRset is not DNSSEC-signed: senders do not use DANE for the "
			"domain"},
    [FC_MX_ISLAND_OF_SECURITY] = {"mx.island_of_security",
				  "the zone is signed but its parent has no DS for it: senders "
				  "see it unsigned and do not use DANE"},
    [FC_MX_BOGUS] = {"mx.bogus",
		     "the MX RRset does not validate: DANE senders defer mail to the domain"},
    [FC_MX_NXDOMAIN] = {"mx.nxdomain", "the domain does not exist (NXDOMAIN): no mail"},
    [FC_MX_LOOKUP_FAILED] = {"mx.lookup_failed",
			     "the MX query got no usable answer (timeout, SERVFAIL, ...): "
			     "senders defer mail"},
    [FC_MX_NULL_MIXED] = {"mx.null_mixed", "a null MX next to other MX records violates RFC 7505"},
    [FC_MX_HOSTS_NOT_CHECKED] = {"mx.hosts_not_checked",
				 "more MX hosts than are checked in one run: the rest is not "
				 "judged"},
    [FC_RESOLVER_NOT_VALIDATING] = {"resolver.not_validating",
				    "the resolver asked does not validate DNSSEC: whether the "
				    "data are signed cannot be told through it"},
    [FC_RESOLVER_ZONE_NOT_VALIDATED] = {"resolver.zone_not_validated",
					"the resolver validates, but not this zone (its "
					"algorithm, a crypto policy): it cannot judge it"},
    [FC_RESOLVER_TRUST_TIMED_OUT] = {"resolver.trust_check_timed_out",
				     "whether the resolver validates could not be told in time: "
				     "verdicts on unvalidated answers are unconfirmed"},
    [FC_HOST_ADDRESSES_BOGUS] = {"host.addresses_bogus",
				 "an MX host's address records do not validate: DANE senders "
				 "defer mail to it"},
    [FC_HOST_ADDRESS_LOOKUP_FAILED] = {"host.address_lookup_failed",
				       "an MX host's address lookup got no usable answer: senders "
				       "cannot reach it"},
    [FC_HOST_NO_ADDRESSES] = {"host.no_addresses",
			      "an MX host has no A or AAAA records: senders cannot reach it"},
    [FC_HOST_ADDRESSES_INSECURE] = {"host.addresses_insecure",
				    "an MX host's addresses are not DNSSEC-signed: senders do not "
				    "use DANE for it"},
    [FC_HOST_ADDRESSES] = {"host.addresses", "an MX host's addresses and their security"},
    [FC_TLSA_BOGUS] = {"tlsa.bogus",
		       "an MX host's TLSA RRset does not validate: DANE senders defer mail to "
		       "it"},
    [FC_TLSA_LOOKUP_FAILED] = {"tlsa.lookup_failed",
			       "an MX host's TLSA lookup got no usable answer: DANE senders "
			       "defer mail to it"},
    [FC_TLSA_NONE] = {"tlsa.none",
		      "an MX host has no TLSA records: senders deliver without authenticating "
		      "it"},
    [FC_TLSA_INSECURE] = {"tlsa.insecure",
			  "an MX host's TLSA RRset is not DNSSEC-signed: senders ignore it"},
    [FC_TLSA_NONE_USABLE] = {"tlsa.none_usable",
			     "an MX host has secure TLSA records but none usable for SMTP: "
			     "senders cannot authenticate it"},
    [FC_TLSA_SOME_UNUSABLE] = {"tlsa.some_unusable",
			       "an MX host has usable TLSA records next to unusable, shadowed or "
			       "duplicate ones, which senders ignore"},
    [FC_TLSA_TOO_MANY] = {"tlsa.too_many",
			  "an MX host's TLSA RRset is so large that big senders have failed "
			  "on such sets"},
    [FC_TLSA_USABLE] = {"tlsa.usable",
			"an MX host's TLSA records are DNSSEC-secure and usable for SMTP"},
    [FC_TLSA_RECORD_USABLE] = {"tlsa.record_usable", "a TLSA record usable for SMTP"},
    [FC_TLSA_RECORD_PKIX_USAGE] = {"tlsa.record_pkix_usage",
				   "a TLSA record with usage PKIX-TA(0) or PKIX-EE(1), which "
				   "SMTP senders ignore (RFC 7672 3.1.3)"},
    [FC_TLSA_RECORD_UNKNOWN_USAGE] = {"tlsa.record_unknown_usage",
				      "a TLSA record with an unknown usage: senders ignore it"},
    [FC_TLSA_RECORD_UNKNOWN_SELECTOR] = {"tlsa.record_unknown_selector",
					 "a TLSA record with an unknown selector: senders ignore "
					 "it"},
    [FC_TLSA_RECORD_UNKNOWN_MTYPE] = {"tlsa.record_unknown_mtype",
				      "a TLSA record with an unknown matching type: senders "
				      "ignore it"},
    [FC_TLSA_RECORD_BAD_LENGTH] = {"tlsa.record_bad_length",
				   "a TLSA record whose digest has the wrong length for its "
				   "matching type: it can never match"},
    [FC_TLSA_RECORD_EMPTY] = {"tlsa.record_empty",
			      "a TLSA record without association data: senders ignore it"},
    [FC_TLSA_RECORD_MALFORMED] = {"tlsa.record_malformed",
				  "a TLSA record whose data does not parse: senders ignore it"},
    [FC_TLSA_DIGEST_AGILITY] = {"tlsa.digest_agility",
				"a TLSA record that senders ignore because a stronger digest type "
				"is published for the same usage and selector (RFC 7671 9)"},
    [FC_TLSA_RECORD_DUPLICATE] = {"tlsa.record_duplicate",
				  "a TLSA record published twice in the same RRset"},
    [FC_PROBE_ADDRESSES_LEFT_OUT] = {"probe.addresses_left_out",
				     "more MX addresses than are probed in one run: the rest is "
				     "not checked"},

    /* the authoritative servers, -A (verdict_auth.c) */
    [FC_AUTH_ZONE] = {"auth.zone",
		      "a zone of the MX or TLSA records and its authoritative server addresses, "
		      "asked directly"},
    [FC_AUTH_ZONE_NOT_ASKED] = {"auth.zone_not_asked",
				"the authoritative servers of a zone cannot be found or asked: "
				"whether they agree is not known"},
    [FC_AUTH_SERVER_NO_ANSWER] = {"auth.server_no_answer",
				  "an authoritative server does not answer: resolvers that pick "
				  "it retry others, slowly"},
    [FC_AUTH_SERVER_REFUSES] = {"auth.server_refuses",
				"an authoritative server refuses the zone: it is listed in NS "
				"but does not serve it"},
    [FC_AUTH_SERVER_NOT_AUTHORITATIVE] = {"auth.server_not_authoritative",
					  "an authoritative server answers without authority (no "
					  "AA): a lame delegation"},
    [FC_AUTH_SERVER_FAILS] = {"auth.server_fails",
			      "an authoritative server fails (SERVFAIL, another error, "
			      "garbage)"},
    [FC_AUTH_SERVER_STALE] = {"auth.server_stale",
			      "an authoritative server serves older MX or TLSA data (a lower SOA "
			      "serial): senders whose resolver asks it get stale data"},
    [FC_AUTH_SERVER_DIFFERS] = {"auth.server_differs",
				"an authoritative server serves other MX or TLSA data with the "
				"same (or no) SOA serial: senders get other data"},
    [FC_AUTH_TTL_DIFFERS] = {"auth.ttl_differs",
			     "an authoritative server serves the same records with another TTL"},
    [FC_AUTH_SIGNATURES_EXPIRED] = {"auth.signatures_expired",
				    "an authoritative server serves expired signatures: "
				    "validating senders that get them defer mail"},
    [FC_AUTH_SIGNATURES_LAGGING] = {"auth.signatures_lagging",
				    "an authoritative server's signatures expire well before the "
				    "others': a stale copy of the zone that will go bogus first"},
    [FC_AUTH_SERVERS_LEFT_OUT] = {"auth.servers_left_out",
				  "more authoritative server addresses than are asked in one run: "
				  "the rest is not checked"},
    [FC_AUTH_ZONES_LEFT_OUT] = {"auth.zones_left_out",
				"more zones than are asked in one run: the rest is not checked"},
    [FC_AUTH_SERVERS_AGREE] = {"auth.servers_agree",
			       "every authoritative server of the zone serves the same SOA "
			       "serial and RRsets"},

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

    /* SMTP TLS reports of real senders (verdict_tlsrpt.c) */
    [FC_TLSRPT_FAILURES] = {"tlsrpt.failures",
			    "senders reported failed TLS sessions to the domain: mail was deferred "
			    "or sent without authentication; the state is the failed share against "
			    "-w/-c"},
    [FC_TLSRPT_NO_FAILURES] = {"tlsrpt.no_failures",
			       "every session the senders reported for the domain succeeded"},
    [FC_TLSRPT_FAILURE] = {"tlsrpt.failure",
			   "failed sessions of one receiving MX host and result type "
			   "(tlsa-invalid, dnssec-invalid, ...), with who reported them"},
    [FC_TLSRPT_NO_REPORTS] = {"tlsrpt.no_reports",
			      "no report for the domain ended within the window"},
    [FC_TLSRPT_REPORT_STALE] = {"tlsrpt.report_stale",
				"the domain's newest report is older than --max-age: reporting "
				"(the _smtp._tls record, the rua mailbox, the delivery to the "
				"directory) may be broken"},
    [FC_TLSRPT_POLICY_OUTDATED] = {"tlsrpt.policy_outdated",
				   "a sender used TLSA records other than those DNS serves now: "
				   "a lagging secondary, a long TTL, or a change in between"},
    [FC_TLSRPT_POLICY_CURRENT] = {"tlsrpt.policy_current",
				  "a sender used the TLSA records DNS serves now"},
    [FC_TLSRPT_POLICY_UNCHECKED] = {"tlsrpt.policy_unchecked",
				    "the TLSA records a sender used could not be compared with "
				    "DNS (lookup failed, no MX host named, ...)"},
    [FC_TLSRPT_BAD_REPORT] = {"tlsrpt.bad_report",
			      "a file held no report that counts (not a report, too large, a "
			      "gzip bomb, a date in the future); no alarm by itself"},
    [FC_TLSRPT_FILES_SKIPPED] = {"tlsrpt.files_skipped",
				 "report files were not read (more than are read in one run, "
				 "or the deadline came first): failures in them are not seen"},
    [FC_TLSRPT_FILES_READ] = {"tlsrpt.files_read",
			      "how many files and reports were read, and which counted"},
    [FC_TLSRPT_DOMAINS_DROPPED] = {"tlsrpt.domains_dropped",
				   "reports named more policy domains than are summed; give -D"},
    [FC_TLSRPT_SOURCE_UNREADABLE] = {"tlsrpt.source_unreadable",
				     "a report directory (-d) cannot be read: nothing in it is "
				     "judged"},

    /* the TLSRPT record, check_tlsa (verdict_tlsrpt_record.c) */
    [FC_TLSRPT_RECORD] =
	{"tlsrpt.record",
	 "the domain's TLSRPT record (RFC 8460): where senders report TLS failures"},
    [FC_TLSRPT_RECORD_MISSING] =
	{"tlsrpt.record_missing",
	 "the domain publishes no TLSRPT record: senders cannot report TLS "
	 "failures to it"},
    [FC_TLSRPT_RECORDS_MULTIPLE] = {"tlsrpt.records_multiple",
				    "several TLSRPT records: senders send no reports (RFC 8460 3)"},
    [FC_TLSRPT_RECORD_INVALID] = {"tlsrpt.record_invalid",
				  "the TLSRPT record does not parse: senders send no reports"},
    [FC_TLSRPT_RECORD_LOOKUP_FAILED] = {"tlsrpt.record_lookup_failed",
					"the TLSRPT record cannot be looked up: senders send no "
					"reports while it fails"},
    /* --validate=local, the DS lookup, the root key sentinel */
    [FC_VALIDATION_FILE_UNUSABLE] = {"validation.file_unusable",
				     "the trust anchor (--trust-anchor, default the root key) or "
				     "the --root-hints file of --validate=local cannot be used "
				     "(missing, unreadable, no usable DS or DNSKEY record): "
				     "nothing was checked"},
    [FC_RESOLVER_NO_DNSSEC_DATA] = {"resolver.no_dnssec_data",
				    "--validate=local: the resolver does not pass DNSSEC data "
				    "(strips signatures, answers DS or DNSKEY queries wrongly): "
				    "DANE cannot be judged through it; --recursive can"},
    [FC_RESOLVER_TRUST_UNDETERMINED] = {"resolver.trust_undetermined",
					"a DS lookup failed (SERVFAIL): whether the resolver "
					"validates, and so whether the data is signed, cannot be "
					"told through it"},
    [FC_RESOLVER_STRIPS_DNSSEC_DATA] = {"resolver.strips_dnssec_data",
					"--validate=local: the resolver does not pass DNSSEC data "
					"(signatures, DS or DNSKEY answers): validating clients "
					"behind it fail"},
    [FC_RESOLVER_LOCAL_AGREES] = {"resolver.local_agrees",
				  "--validate=local: local validation agrees with the resolver's "
				  "answer (shown from -v on)"},
    [FC_RESOLVER_LOCAL_BOGUS] =
	{"resolver.local_bogus",
	 "--validate=local: the resolver says secure, local validation "
	 "says bogus: the resolver vouches for data that does not validate"},
    [FC_RESOLVER_LOCAL_DISAGREES] = {"resolver.local_disagrees",
				     "--validate=local: local validation and the resolver disagree "
				     "(secure against insecure, or the resolver fails or does not "
				     "validate data that validates here)"},
    [FC_RESOLVER_LOCAL_FAILED] = {"resolver.local_failed",
				  "--validate=local: local validation got no answer for a query: "
				  "no second opinion on it"},
    [FC_RESOLVER_TRUSTS_ROOT_KEY] = {"resolver.trusts_root_key",
				     "the resolver trusts the root key (--root-key, RFC 8509 "
				     "sentinel)"},
    [FC_RESOLVER_ROOT_KEY_NOT_TRUSTED] = {"resolver.root_key_not_trusted",
					  "the resolver does not trust the root key (--root-key): "
					  "its trust anchor is out of date and fails once the key "
					  "signs the root"},
    [FC_RESOLVER_NO_SENTINEL] = {"resolver.no_sentinel_support",
				 "the resolver does not support the root key sentinel (RFC 8509): "
				 "which root keys it trusts cannot be told (a note, not an alarm)"},
    [FC_RESOLVER_SENTINEL_INCONCLUSIVE] = {"resolver.sentinel_inconclusive",
					   "the sentinel answers prove nothing (SERVFAIL for both, "
					   "no data, no answer): use a -q name with a wildcard A "
					   "record"},
    /* --validate=local: libunbound, opened at run time */
    [FC_VALIDATION_LIBRARY_UNAVAILABLE] =
	{"validation.library_unavailable",
	 "libunbound, which --validate=local validates with, cannot "
	 "be loaded (not installed, or without a function the plugin "
	 "calls): nothing was checked"},

    /* --- MTA-STS against DANE (verdict_mta_sts.c) ------------------------ */
    [FC_STS_NO_POLICY] = {"sts.no_policy",
			  "no TXT record beginning with v=STSv1 at _mta-sts.<domain>: the domain "
			  "publishes no MTA-STS policy"},
    [FC_STS_TXT_LOOKUP_FAILED] = {"sts.txt_lookup_failed",
				  "the _mta-sts TXT lookup failed: senders cannot discover the "
				  "policy and fall back to a cached one, then to none"},
    [FC_STS_TXT_SEVERAL] = {"sts.txt_several",
			    "more than one v=STSv1 TXT record: senders apply no policy (or an "
			    "old cached one)"},
    [FC_STS_TXT_INVALID] = {"sts.txt_invalid",
			    "the v=STSv1 TXT record does not parse (no id, bad bytes, too "
			    "long): senders apply no policy (or an old cached one)"},
    [FC_STS_TXT] = {"sts.txt", "the v=STSv1 TXT record and its policy id (-v)"},
    [FC_STS_POLICY_HOST_UNRESOLVED] = {"sts.policy_host_unresolved",
				       "mta-sts.<domain> has no address: senders cannot fetch "
				       "the policy"},
    [FC_STS_POLICY_FETCH_FAILED] = {"sts.policy_fetch_failed",
				    "the policy could not be fetched (no connection, TLS "
				    "failure, timeout, broken HTTP, endless headers)"},
    [FC_STS_POLICY_CERT_INVALID] = {"sts.policy_cert_invalid",
				    "the policy server's certificate is not valid for "
				    "mta-sts.<domain> under the trusted CAs: senders reject the "
				    "policy"},
    [FC_STS_POLICY_HTTP_STATUS] = {"sts.policy_http_status",
				   "the policy server answered with a status other than 200"},
    [FC_STS_POLICY_REDIRECT] = {"sts.policy_redirect",
				"the policy server redirects: senders follow no redirect"},
    [FC_STS_POLICY_CONTENT_TYPE] = {"sts.policy_content_type",
				    "the policy is not served as text/plain"},
    [FC_STS_POLICY_TOO_LARGE] = {"sts.policy_too_large",
				 "the policy is larger than 64 KiB: senders stop reading it"},
    [FC_STS_POLICY_INVALID] = {"sts.policy_invalid",
			       "the policy does not parse (version, mode, max_age, mx, bad "
			       "bytes, limits): senders apply none"},
    [FC_STS_POLICY] = {"sts.policy", "the policy senders fetch: mode, max_age, mx patterns"},
    [FC_STS_POLICY_DUPLICATE_FIELD] = {"sts.policy_duplicate_field",
				       "version, mode or max_age is given twice: senders that "
				       "follow RFC 8461 use the first"},
    [FC_STS_MAX_AGE_SHORT] = {"sts.max_age_short",
			      "max_age under one day: senders refetch constantly, and a failed "
			      "fetch then drops the policy"},
    [FC_STS_MX_COVERED] = {"sts.mx_covered", "an MX host matches an mx pattern of the policy (-v)"},
    [FC_STS_MX_NOT_COVERED] = {"sts.mx_not_covered",
			       "an MX host matches no mx pattern: senders that apply the policy "
			       "do not deliver to it (enforce: CRITICAL, testing: WARNING)"},
    [FC_STS_HOST_UNRESOLVABLE] = {"sts.host_unresolvable",
				  "an MX host has no address, its lookup failed or its addresses "
				  "do not validate: senders cannot deliver to it"},
    [FC_STS_DANE_NOT_JUDGED] = {"sts.dane_not_judged",
				"the resolver does not validate DNSSEC: what DANE senders conclude "
				"cannot be told, MTA-STS is judged alone"},
    [FC_STS_CERT_VALID] = {"sts.cert_valid",
			   "an address presents a certificate valid for the MX host under the "
			   "WebPKI (and DANE verifies it where the host has TLSA records)"},
    [FC_STS_CERT_INVALID] = {"sts.cert_invalid",
			     "an address presents a certificate that is not valid for the MX "
			     "host under the WebPKI: senders that use MTA-STS and not DANE defer "
			     "mail (enforce: CRITICAL, testing: WARNING, none: OK)"},
    [FC_STS_DANE_FAILS] = {"sts.dane_fails",
			   "an address of a host with usable TLSA records fails DANE "
			   "verification: DANE senders defer mail, whatever MTA-STS says"},
    [FC_STS_TLS_UNAVAILABLE] = {"sts.tls_unavailable",
				"no STARTTLS, or the TLS handshake failed: MTA-STS senders defer "
				"mail under enforce, DANE senders always"},
    [FC_STS_CONNECTION_FAILED] = {"sts.connection_failed",
				  "the SMTP session failed before STARTTLS (refused, unreachable, "
				  "timeout, bad greeting): no sender delivers there"},
    [FC_STS_TYPE_NOT_OFFERED] = {"sts.type_not_offered",
				 "the server has no certificate of the type asked for (-v)"},
    [FC_STS_PROBE_NOT_STARTED] = {"sts.probe_not_started",
				  "certificate types of an address were not probed: the deadline "
				  "came first"},
    [FC_STS_PROBE_INCOMPLETE] = {"sts.probe_incomplete", "some probes could not be started"},
    [FC_STS_PROBE_LOCAL_FAILURE] = {"sts.probe_local_failure",
				    "a probe failed on the monitoring host (out of memory, no "
				    "socket, OpenSSL internal error)"},
    [FC_STS_ADDRESSES_LEFT_OUT] = {"sts.addresses_left_out",
				   "more addresses than are probed in one run: the rest is not "
				   "checked"},
    [FC_STS_SLOW] = {"sts.slow",
		     "the slowest address took longer than -w/-c from connect to the end of the "
		     "handshake"},
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
