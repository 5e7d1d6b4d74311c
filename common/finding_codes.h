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
	FC_TLSA_MATCH,                 /* the chain matched a TLSA record: verified */
	FC_TLS_TYPE_NOT_OFFERED,       /* no certificate of the type asked for */
	FC_TLSA_NO_MATCH,              /* the chain matches no TLSA record */
	FC_CERT_DANE_TA_NAME_MISMATCH, /* DANE-TA: the leaf lacks the reference names */
	FC_SMTP_REFUSED,               /* connection refused */
	FC_SMTP_UNREACHABLE,           /* no route, network error */
	FC_SMTP_TIMEOUT,               /* the deadline passed in the SMTP dialogue */
	FC_SMTP_BAD_GREETING,          /* the greeting was not 2xx */
	FC_SMTP_PROTOCOL_ERROR,        /* not SMTP, a limit exceeded, bytes after STARTTLS's 220 */
	FC_SMTP_CLOSED,                /* the server closed the connection */
	FC_SMTP_NO_STARTTLS,           /* STARTTLS not offered (or EHLO rejected) */
	FC_SMTP_STARTTLS_REFUSED,      /* STARTTLS answered with something else than 2xx */
	FC_TLS_HANDSHAKE_FAILED,       /* alert, garbage, protocol error in the handshake */
	FC_TLS_TIMEOUT,                /* the deadline passed in the handshake */
	FC_TLS_CLOSED,                 /* the server closed the connection in the handshake */
	FC_TLS_NO_USABLE_TLSA,         /* OpenSSL could use none of the TLSA records */
	FC_PROBE_LOCAL_FAILURE,        /* our side failed during a probe */
	FC_PROBE_NOT_STARTED,          /* certificate types of an address not probed */
	FC_PROBE_SLOW,                 /* the slowest verified address is over -w/-c */
	FC_PROBE_INCOMPLETE,           /* some probes could not be started */

	/* --- the resolver (verdict_resolver.c) ------------------------------ */
	FC_RESOLVER_VALIDATES,               /* a signed name came back validated (AD) */
	FC_RESOLVER_NO_AD,                   /* a signed name came back without AD */
	FC_RESOLVER_ALGORITHM_NOT_VALIDATED, /* ... while others validate: its algorithm is not */
	FC_RESOLVER_SIGNED_NAME_FAILS,       /* a signed name fails validation (SERVFAIL) */
	FC_RESOLVER_NO_ANSWER,               /* no usable answer from the resolver */
	FC_RESOLVER_REJECTS_BOGUS,      /* the -b name: SERVFAIL, and the data is there with CD */
	FC_RESOLVER_ACCEPTS_BOGUS,      /* the -b name's data that fails validation returned */
	FC_RESOLVER_BOGUS_INCONCLUSIVE, /* the -b answer proves nothing either way */
	FC_RESOLVER_SLOW,               /* a right answer, but its time crossed -w or -c */
	FC_RESOLVER_ANSWER_RECORD,      /* a record of an answer (shown from -v on) */

	/* --- renewals (verdict_rollover.c, verdict_staged.c) ---------------- */

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
