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

	/* --- the MX walk, the hosts and their TLSA records (verdict_mx.c) --- */
	FC_MX_UNEXPECTED_HOST,           /* an MX host that matches no --mx-expect pattern */
	FC_MX_UNEXPECTED_NULL,           /* a null MX where --mx-expect names the hosts */
	FC_MX_EXPECTED_HOSTS,            /* every MX host matches a --mx-expect pattern */
	FC_MX_INVALID_NAME,              /* -D or -H is no valid DNS name */
	FC_MX_NULL,                      /* null MX: the domain accepts no mail */
	FC_MX_INSECURE,                  /* the MX RRset is not DNSSEC-signed */
	FC_MX_ISLAND_OF_SECURITY,        /* the zone is signed, but no DS at its parent */
	FC_MX_BOGUS,                     /* the MX RRset does not validate */
	FC_MX_NXDOMAIN,                  /* the domain does not exist */
	FC_MX_LOOKUP_FAILED,             /* no answer to the MX query */
	FC_MX_NULL_MIXED,                /* a null MX next to other MX records */
	FC_MX_HOSTS_NOT_CHECKED,         /* MX hosts beyond MX_MAX_HOSTS */
	FC_RESOLVER_NOT_VALIDATING,      /* the resolver does not validate DNSSEC */
	FC_RESOLVER_ZONE_NOT_VALIDATED,  /* it validates, but not this zone (algorithm) */
	FC_RESOLVER_TRUST_TIMED_OUT,     /* whether it validates could not be told in time */
	FC_HOST_ADDRESSES_BOGUS,         /* a host's A/AAAA records do not validate */
	FC_HOST_ADDRESS_LOOKUP_FAILED,   /* no answer to a host's A/AAAA queries */
	FC_HOST_NO_ADDRESSES,            /* a host has no A/AAAA records */
	FC_HOST_ADDRESSES_INSECURE,      /* a host's addresses are not DNSSEC-signed */
	FC_HOST_ADDRESSES,               /* a host's addresses (-vv) */
	FC_TLSA_BOGUS,                   /* a host's TLSA RRset does not validate */
	FC_TLSA_LOOKUP_FAILED,           /* no answer to a host's TLSA query */
	FC_TLSA_NONE,                    /* a host has no TLSA records */
	FC_TLSA_INSECURE,                /* a host's TLSA RRset is not DNSSEC-signed */
	FC_TLSA_NONE_USABLE,             /* secure TLSA records, none usable for SMTP */
	FC_TLSA_SOME_UNUSABLE,           /* usable TLSA records next to unusable ones */
	FC_TLSA_TOO_MANY,                /* more than TLSA_MANY_RECORDS in one RRset */
	FC_TLSA_USABLE,                  /* every TLSA record secure and usable */
	FC_TLSA_RECORD_USABLE,           /* one record: usable */
	FC_TLSA_RECORD_PKIX_USAGE,       /* one record: usage 0 or 1, not for SMTP */
	FC_TLSA_RECORD_UNKNOWN_USAGE,    /* one record: an unknown usage */
	FC_TLSA_RECORD_UNKNOWN_SELECTOR, /* one record: an unknown selector */
	FC_TLSA_RECORD_UNKNOWN_MTYPE,    /* one record: an unknown matching type */
	FC_TLSA_RECORD_BAD_LENGTH,       /* one record: a digest of the wrong length */
	FC_TLSA_RECORD_EMPTY,            /* one record: no association data */
	FC_TLSA_RECORD_MALFORMED,        /* one record: rdata that does not parse */
	FC_TLSA_DIGEST_AGILITY,          /* one record: shadowed by a stronger digest type */
	FC_TLSA_RECORD_DUPLICATE,        /* one record: the same as another */
	FC_PROBE_ADDRESSES_LEFT_OUT,     /* addresses beyond PROBE_MAX_TARGETS */

	/* --- the authoritative servers, -A (verdict_auth.c) ----------------- */
	FC_AUTH_ZONE,                     /* a zone and how many server addresses it has */
	FC_AUTH_ZONE_NOT_ASKED,           /* a zone whose servers cannot be asked */
	FC_AUTH_SERVER_NO_ANSWER,         /* a server that does not answer */
	FC_AUTH_SERVER_REFUSES,           /* a server that refuses the zone */
	FC_AUTH_SERVER_NOT_AUTHORITATIVE, /* a server that answers without AA */
	FC_AUTH_SERVER_FAILS,             /* a server that fails (SERVFAIL, garbage) */
	FC_AUTH_SERVER_STALE,             /* a server with other data and a lower serial */
	FC_AUTH_SERVER_DIFFERS,           /* a server with other data, not a lower serial */
	FC_AUTH_TTL_DIFFERS,              /* the same data with another TTL */
	FC_AUTH_SIGNATURES_EXPIRED,       /* a server serving expired signatures */
	FC_AUTH_SIGNATURES_LAGGING,       /* signatures expiring well before the others' */
	FC_AUTH_SERVERS_LEFT_OUT,         /* server addresses beyond AUTH_MAX_SERVERS */
	FC_AUTH_ZONES_LEFT_OUT,           /* zones beyond AUTH_MAX_ZONES */
	FC_AUTH_SERVERS_AGREE,            /* every server serves the same data */

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

	/* --- the TLSRPT record, check_tlsa (verdict_tlsrpt_record.c) -------- */
	FC_TLSRPT_RECORD,               /* a valid record: where reports go */
	FC_TLSRPT_RECORD_MISSING,       /* none: senders cannot report */
	FC_TLSRPT_RECORDS_MULTIPLE,     /* several: senders send no reports */
	FC_TLSRPT_RECORD_INVALID,       /* one that does not parse */
	FC_TLSRPT_RECORD_LOOKUP_FAILED, /* the TXT query failed */
	/* --- --validate=local, the DS lookup, the root key sentinel --------- */
	FC_VALIDATION_FILE_UNUSABLE,       /* --trust-anchor or --root-hints cannot be used
					      (verdict_validation.c) */
	FC_RESOLVER_NO_DNSSEC_DATA,        /* local: the forwarder does not pass DNSSEC data
					      (verdict_mx.c) */
	FC_RESOLVER_TRUST_UNDETERMINED,    /* a failed DS lookup: whether it validates is open
					      (verdict_mx.c) */
	FC_RESOLVER_STRIPS_DNSSEC_DATA,    /* check_dnssec_resolver, local: it does not pass
					      DNSSEC data (verdict_resolver.c) */
	FC_RESOLVER_LOCAL_AGREES,          /* local validation agrees with the resolver (-v) */
	FC_RESOLVER_LOCAL_BOGUS,           /* the resolver says secure, local validation bogus */
	FC_RESOLVER_LOCAL_DISAGREES,       /* another disagreement with local validation */
	FC_RESOLVER_LOCAL_FAILED,          /* local validation got no answer: no second opinion */
	FC_RESOLVER_TRUSTS_ROOT_KEY,       /* sentinel: the root key is a trust anchor */
	FC_RESOLVER_ROOT_KEY_NOT_TRUSTED,  /* sentinel: the root key is not a trust anchor */
	FC_RESOLVER_NO_SENTINEL,           /* sentinel: not supported (a note, not an alarm) */
	FC_RESOLVER_SENTINEL_INCONCLUSIVE, /* sentinel: the answers prove nothing */
	/* --- --validate=local: libunbound, opened at run time ---------------- */
	FC_VALIDATION_LIBRARY_UNAVAILABLE, /* libunbound cannot be loaded (verdict_validation.c) */

	/* --- MTA-STS against DANE (verdict_mta_sts.c) ------------------------ */
	FC_STS_NO_POLICY,              /* no v=STSv1 TXT record: no MTA-STS policy */
	FC_STS_TXT_LOOKUP_FAILED,      /* the _mta-sts TXT lookup failed */
	FC_STS_TXT_SEVERAL,            /* more than one v=STSv1 TXT record */
	FC_STS_TXT_INVALID,            /* the v=STSv1 TXT record does not parse */
	FC_STS_TXT,                    /* the TXT record and its id (-v) */
	FC_STS_POLICY_HOST_UNRESOLVED, /* mta-sts.<domain> has no address */
	FC_STS_POLICY_FETCH_FAILED,    /* no connection, TLS failure, timeout, broken HTTP */
	FC_STS_POLICY_CERT_INVALID,    /* the policy server's certificate is not valid */
	FC_STS_POLICY_HTTP_STATUS,     /* a status other than 200 */
	FC_STS_POLICY_REDIRECT,        /* a redirect (3xx) */
	FC_STS_POLICY_CONTENT_TYPE,    /* not text/plain */
	FC_STS_POLICY_TOO_LARGE,       /* a body over 64 KiB */
	FC_STS_POLICY_INVALID,         /* the policy does not parse */
	FC_STS_POLICY,                 /* the policy: mode, max_age, mx patterns */
	FC_STS_POLICY_DUPLICATE_FIELD, /* version, mode or max_age given twice */
	FC_STS_MAX_AGE_SHORT,          /* max_age under one day */
	FC_STS_MX_COVERED,             /* an MX host that an mx pattern matches (-v) */
	FC_STS_MX_NOT_COVERED,         /* an MX host that no mx pattern matches */
	FC_STS_HOST_UNRESOLVABLE,      /* an MX host without (validating) addresses */
	FC_STS_DANE_NOT_JUDGED,        /* the resolver does not validate: DANE side unknown */
	FC_STS_CERT_VALID,             /* an address and type: PKIX-valid (and DANE, if any) */
	FC_STS_CERT_INVALID,           /* an address and type: not PKIX-valid */
	FC_STS_DANE_FAILS,             /* an address and type of a DANE host: DANE fails */
	FC_STS_TLS_UNAVAILABLE,        /* no STARTTLS, or the TLS handshake failed */
	FC_STS_CONNECTION_FAILED,      /* no SMTP session up to STARTTLS: every sender fails */
	FC_STS_TYPE_NOT_OFFERED,       /* a certificate type the server does not have (-v) */
	FC_STS_PROBE_NOT_STARTED,      /* probes the deadline left unstarted */
	FC_STS_PROBE_INCOMPLETE,       /* some probes could not be started */
	FC_STS_PROBE_LOCAL_FAILURE,    /* a probe failed on the monitoring host */
	FC_STS_ADDRESSES_LEFT_OUT,     /* addresses beyond PROBE_MAX_ADDRESSES */
	FC_STS_SLOW,                   /* the slowest address crossed -w/-c */

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
