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
