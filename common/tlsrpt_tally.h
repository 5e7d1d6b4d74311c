/*
 * tlsrpt_tally.h -- the reports of one run, summed per policy domain: which
 * reports count (their date-range ends within the window, the -D domains,
 * the --policy types, the same report-id and organization once), the
 * sessions, the failures grouped by (receiving MX host, result type), the
 * TLSA records senders used, and the files that held no report.
 *
 * Facts only, no words (verdict_tlsrpt.c has them). Everything is bounded:
 * domains, groups, record sets, names kept; what does not fit is counted.
 */
#ifndef DANE_TLSRPT_TALLY_H
#define DANE_TLSRPT_TALLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "dns_answer.h"
#include "tlsrpt.h"
#include "tlsrpt_source.h"

/** Most domains summed (without -D every policy-domain found is one). */
#define TLSRPT_TALLY_MAX_DOMAINS 64
/** Most (MX host, result type) groups of one domain. */
#define TLSRPT_TALLY_MAX_GROUPS 64
/** Most distinct TLSA record sets (per MX host) of one domain. */
#define TLSRPT_TALLY_MAX_USED 32
/** Most distinct values kept in a name list (organizations, addresses). */
#define TLSRPT_TALLY_MAX_NAMES 8
/** Most files without a report that are named; the others are counted. */
#define TLSRPT_TALLY_MAX_BAD 32
/** How far after now a report may end (clocks differ); later is refused. */
#define TLSRPT_TALLY_FUTURE_SLACK 3600
/** Most reports remembered to find duplicates (report-id and organization). */
#define TLSRPT_TALLY_MAX_SEEN (4 * 1000 + 64)

/** Which reports count. */
struct tlsrpt_filter {
	time_t now;
	time_t window;              /* seconds: reports ending in [now - window, now] count */
	unsigned int types;         /* enum tlsrpt_policy_type bits */
	const char *const *domains; /* -D, normalized (tlsrpt_name_normalize); NULL: all */
	size_t ndomains;
};

/** Distinct strings, the first TLSRPT_TALLY_MAX_NAMES kept, the others counted. */
struct tlsrpt_names {
	char *v[TLSRPT_TALLY_MAX_NAMES];
	size_t n;
	size_t more;
};

/** The failures of one (receiving MX host, result type) in one domain. */
struct tlsrpt_group {
	char *mx;          /* receiving-mx-hostname, "" when no report named one */
	char *result_type; /* lower case */
	uint64_t sessions;
	struct tlsrpt_names ips;  /* receiving-ip */
	struct tlsrpt_names orgs; /* who reported them */
	char *info;               /* the first additional-information, or NULL */
	char *reason_code;        /* the first failure-reason-code, or NULL */
};

/** What DNS serves now for a TLSA owner (filled by tlsrpt_dns.c). */
enum tlsrpt_published_state {
	TLSRPT_PUB_UNCHECKED = 0, /* not asked (no resolver, no MX host, the bound) */
	TLSRPT_PUB_RECORDS,       /* records (see secure) */
	TLSRPT_PUB_NONE,          /* no TLSA records (NXDOMAIN, NODATA) */
	TLSRPT_PUB_FAILED,        /* the lookup failed: failure */
};

/** Why the records a sender used were not compared with DNS. */
enum tlsrpt_unchecked {
	TLSRPT_UNCHECKED_NOT_ASKED = 0, /* no lookup was made (no resolver) */
	TLSRPT_UNCHECKED_NO_MX,         /* the report names no MX host for them */
	TLSRPT_UNCHECKED_PATTERN,       /* the MX host is a pattern ("*.example.org") */
	TLSRPT_UNCHECKED_NO_RECORDS,    /* no policy-string entry is a TLSA record */
	TLSRPT_UNCHECKED_BOUND,         /* more MX hosts than TLSRPT_DNS_MAX_QUERIES */
};

/** The TLSA records published now at _PORT._tcp.<mx>. */
struct tlsrpt_published {
	enum tlsrpt_published_state state;
	bool secure;    /* DNSSEC-validated (AD) */
	char **records; /* normalized "U S M hex", sorted */
	size_t nrecords;
	struct dns_outcome outcome;          /* the answer's facts (TLSRPT_PUB_FAILED: why) */
	enum tlsrpt_unchecked why_unchecked; /* TLSRPT_PUB_UNCHECKED: why */
};

/** A TLSA record set that senders used for one MX host ("tlsa" policy-string). */
struct tlsrpt_used {
	char *mx;       /* the policy's mx-host, else its failures' receiving MX host; "" none */
	char **records; /* normalized "U S M hex", sorted, distinct */
	size_t nrecords;
	size_t unparsed; /* policy-string entries that are no TLSA record */
	struct tlsrpt_names orgs;
	uint64_t successful, failed;
	struct tlsrpt_published published;
};

/** One policy domain. */
struct tlsrpt_domain {
	char *name;     /* normalized */
	bool listed;    /* given with -D */
	size_t reports; /* reports in the window that count for it */
	uint64_t successful, failed;
	time_t newest_end; /* end of its newest report, in the window or not; 0: none */
	struct tlsrpt_names orgs;
	struct tlsrpt_group groups[TLSRPT_TALLY_MAX_GROUPS];
	size_t ngroups;
	uint64_t groups_dropped; /* failed sessions of groups past the bound */
	struct tlsrpt_used used[TLSRPT_TALLY_MAX_USED];
	size_t nused;
	size_t last_report; /* internal: the report that last counted for it */
};

/** Why a file gave no report that counts. */
enum tlsrpt_bad_kind {
	TLSRPT_BAD_LOAD,   /* no report bytes in it: load (tlsrpt_source.h) */
	TLSRPT_BAD_PARSE,  /* the bytes are no TLSRPT report: detail */
	TLSRPT_BAD_FUTURE, /* its date-range ends in the future: end */
};

/** A file that held no report that counts, and the facts of why. */
struct tlsrpt_bad {
	char *file;
	enum tlsrpt_bad_kind kind;
	enum tlsrpt_load_status load; /* TLSRPT_BAD_LOAD */
	int sys_errno;                /* TLSRPT_LOAD_IO */
	size_t limit;                 /* TLSRPT_LOAD_TOO_LARGE, TLSRPT_LOAD_GZIP_BOMB */
	char *detail;                 /* the load's detail or the parser's reason; may be NULL */
	time_t end;                   /* TLSRPT_BAD_FUTURE */
};

/** The sums of a run. Make with tlsrpt_tally_init(), free with tlsrpt_tally_free(). */
struct tlsrpt_tally {
	struct tlsrpt_filter filter;
	struct tlsrpt_domain *domains[TLSRPT_TALLY_MAX_DOMAINS];
	size_t ndomains;
	size_t domains_dropped; /* policy domains past the bound */
	struct tlsrpt_bad bad[TLSRPT_TALLY_MAX_BAD];
	size_t nbad;
	size_t bad_more;   /* files without a report past the bound */
	size_t files_read; /* files opened */
	size_t files_late; /* files not read: the deadline came first */
	size_t reports;    /* reports read */
	size_t counted;    /* in the window with a policy that counts */
	size_t old;        /* ending before the window */
	size_t duplicates;
	size_t unmatched; /* in the window, but no policy for the domains or types asked */
	char **seen;      /* internal: "organization\nreport-id" of the reports read */
	size_t nseen;
};

/**
 * Start a tally for filter (copied; its domains must outlive the tally): the
 * -D domains are its first domains, in order. Returns 0, or -1 when out of
 * memory.
 */
int tlsrpt_tally_init(struct tlsrpt_tally *t, const struct tlsrpt_filter *filter);

/**
 * Count one report read from file: refused when it ends in the future (a
 * bad report), once per report-id and organization, in the window or only
 * for the domains' newest report dates. Returns 0, or -1 when out of memory.
 */
int tlsrpt_tally_add(struct tlsrpt_tally *t, const struct tlsrpt_report *r, const char *file);

/** Record a file that gave no report bytes (ld: what tlsrpt_source_load() said). */
int tlsrpt_tally_bad_load(struct tlsrpt_tally *t, const char *file, const struct tlsrpt_load *ld);

/** Record a file whose bytes are no TLSRPT report (reason: tlsrpt_parse()'s err). */
int tlsrpt_tally_bad_parse(struct tlsrpt_tally *t, const char *file, const char *reason);

/** The failed share of a domain's sessions in percent (0 without sessions). */
double tlsrpt_tally_failed_pct(const struct tlsrpt_domain *d);

/** Free everything the tally holds. */
void tlsrpt_tally_free(struct tlsrpt_tally *t);

#endif /* DANE_TLSRPT_TALLY_H */
