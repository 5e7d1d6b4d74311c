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
	FC_RENEWAL_HOST,           /* an MX host with usable TLSA records: its forecast below */
	FC_RENEWAL_USABLE_RECORDS, /* how many usable TLSA records the host has (-v) */
	FC_CERT_EXPIRY,            /* a presented certificate: matched, not near its expiry */
	FC_CERT_EXPIRES_SOON,      /* a presented certificate below -w/-c, or expired */
	FC_CERT_NO_MATCH,          /* a presented chain that no usable record matches */
	FC_CERT_DATES_UNREADABLE,  /* a presented certificate whose dates cannot be read */
	FC_CHAIN_MISSING,          /* an address that presented no chain */
	FC_CHAIN_NOT_FETCHED,      /* a probe the deadline left no time for */
	FC_ROLLOVER_PARTIAL,       /* the addresses of a host present different keys of a type */
	FC_RENEWAL_CERT_PINNED,    /* a 3 0 x record: any renewal breaks it */
	FC_RENEWAL_NO_NEXT_KEY,    /* only records of the current key: a new key breaks DANE */
	FC_CA_EXPIRY,              /* the CA a DANE-TA record anchors on: not near its expiry */
	FC_CA_EXPIRES_SOON,        /* the CA a DANE-TA record anchors on expires soon */
	FC_RENEWAL_INTERMEDIATE_PINNED, /* a DANE-TA record pins one intermediate CA */
	FC_TLSA_STALE,                  /* a usable record that matches nothing presented */
	FC_RRSIG_EXPIRY,                /* the earliest RRSIG: not near its expiry */
	FC_RRSIG_EXPIRES_SOON,          /* the earliest RRSIG below --sig-warning/--sig-critical */
	FC_STAGED_PUBLISHED,           /* a staged key or certificate: a published record matches */
	FC_STAGED_UNCONFIRMED,         /* published, but an authoritative server did not answer */
	FC_STAGED_UNPUBLISHED,         /* a staged key or certificate no published record matches */
	FC_STAGED_NOT_ON_EVERY_SERVER, /* published, but not on every authoritative server */
	FC_RENEWAL_ISSUER_UNCOVERED,   /* an --issuers CA that no DANE-TA record covers */
	FC_RENEWAL_ISSUERS_COVERED,    /* the DANE-TA records cover every --issuers CA */
	FC_RENEWAL_ISSUERS_TRUNCATED,  /* --issuers holds more certificates than were read */
	FC_RENEWAL_ISSUERS_NOT_APPLICABLE, /* --issuers on a host without DANE-TA records (-v) */
	FC_FILE_UNUSABLE, /* a file of --cert, --next-*, --issuers cannot be used */

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
