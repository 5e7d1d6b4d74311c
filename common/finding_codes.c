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
