/*
 * finding_codes.h -- the stable machine names of every finding the plugins
 * report ("tlsa.no_match", "resolver.not_validating", ...).
 *
 * A code is an interface: scripts, dashboards and ACME hooks match on it in
 * the JSON output. Never rename or reuse one; add new ones. Each code has one
 * entry in finding_codes.c (its name and what it means), is documented in
 * README.md (section "JSON output") and in docs/findings.schema.json, and is
 * produced by one verdict module only, which writes its words.
 *
 * Names are "area.what": lower case letters, digits and '_', one or more
 * dots. The sections below follow the verdict modules.
 */
#ifndef DANE_FINDING_CODES_H
#define DANE_FINDING_CODES_H

#include <stddef.h>

enum finding_code {
	FC_NONE = 0, /* not a finding: the root of the tree */

	/* --- the plugin itself (opts.c, plugin.c) --------------------------- */
	FC_PLUGIN_USAGE,         /* bad arguments */
	FC_PLUGIN_USAGE_LINE,    /* a line of the short usage shown after a usage error */
	FC_PLUGIN_LOCAL_FAILURE, /* a failure on our side: out of memory, no socket, ... */
	FC_PLUGIN_TIMEOUT,       /* the deadline's backstop ended the run */
	FC_PLUGIN_LEGACY,        /* transitional: a line not yet given a code */

	/* --- the MX walk, the hosts and their TLSA records (verdict_mx.c) --- */

	/* --- the authoritative servers, -A (verdict_auth.c) ----------------- */

	/* --- SMTP, STARTTLS and the DANE handshake (verdict_probe.c) --------- */

	/* --- the resolver (verdict_resolver.c) ------------------------------ */

	/* --- renewals (verdict_rollover.c, verdict_staged.c) ---------------- */

	/* --- SMTP TLS reports of real senders (verdict_tlsrpt.c) ------------ */
	FC_TLSRPT_FAILURES,          /* a domain's sessions failed, judged by -w/-c */
	FC_TLSRPT_NO_FAILURES,       /* a domain's sessions all succeeded */
	FC_TLSRPT_FAILURE,           /* failed sessions of one (MX host, result type) */
	FC_TLSRPT_NO_REPORTS,        /* no report in the window */
	FC_TLSRPT_REPORT_STALE,      /* --max-age: the newest report is older */
	FC_TLSRPT_POLICY_OUTDATED,   /* a sender used TLSA records other than those published */
	FC_TLSRPT_POLICY_CURRENT,    /* a sender used the TLSA records published now */
	FC_TLSRPT_POLICY_UNCHECKED,  /* the records a sender used could not be compared */
	FC_TLSRPT_BAD_REPORT,        /* a file held no report that counts */
	FC_TLSRPT_FILES_SKIPPED,     /* report files not read (the bounds, the deadline) */
	FC_TLSRPT_FILES_READ,        /* what was read */
	FC_TLSRPT_DOMAINS_DROPPED,   /* more policy domains than are summed */
	FC_TLSRPT_SOURCE_UNREADABLE, /* a -d directory cannot be read */

	FC_COUNT
};

/** What the table knows about a code. */
struct finding_code_info {
	const char *name; /* "tlsa.no_match" */
	const char *doc;  /* one line: what it means */
};

/** The stable name of a code ("plugin.usage"); "unknown" outside the table. */
const char *finding_code_name(enum finding_code code);

/** The one-line description of a code; "" outside the table. */
const char *finding_code_doc(enum finding_code code);

/** The code of a name, or FC_NONE when there is none of that name. */
enum finding_code finding_code_by_name(const char *name);

#endif /* DANE_FINDING_CODES_H */
