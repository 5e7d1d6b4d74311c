/*
 * tlsrpt.h -- SMTP TLS reports (RFC 8460): the JSON of one report, from
 * untrusted bytes into a struct of facts, bounded.
 *
 * Anyone who can mail the domain's rua address can write a report, so every
 * size is bounded: the input (TLSRPT_MAX_JSON), the nesting depth (jansson's
 * parser stops at 2048 levels), array lengths, string lengths, counts. A
 * report that breaks a bound or the format is refused whole, with the reason
 * (where and what) in err. The deviations real reporters are known for are
 * accepted where the meaning is clear: "mx-host" or "policy-string" as one
 * string instead of an array, RFC 3339 times with offsets or fractions, a
 * UTF-8 byte order mark.
 *
 * Pure code: no I/O, no state.
 */
#ifndef DANE_TLSRPT_H
#define DANE_TLSRPT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/** Largest JSON text of one report, in bytes (decompressed). */
#define TLSRPT_MAX_JSON (4 * 1024 * 1024)
/**
 * Most '{' bytes in one report's JSON, and most '{', '[' and ',' bytes: an
 * upper bound of its objects and of its values, counted before parsing.
 * The parser's memory grows with them (an empty object costs jansson ~200
 * bytes, 70 times its text), not with the text's size alone.
 */
#define TLSRPT_MAX_OBJECTS 65536
#define TLSRPT_MAX_VALUES  262144
/** Most entries of "policies" in one report. */
#define TLSRPT_MAX_POLICIES 512
/** Most entries of "failure-details" in one policy. */
#define TLSRPT_MAX_FAILURES 2048
/** Most entries of "policy-string" and of "mx-host" in one policy. */
#define TLSRPT_MAX_STRINGS 64
/** Longest "policy-string" entry, in bytes (a TLSA record with full data). */
#define TLSRPT_MAX_POLICY_STRING 8192
/** Longest free text kept (organization, additional-information, ...); longer is cut. */
#define TLSRPT_MAX_TEXT 512
/** Longest report-id accepted. */
#define TLSRPT_MAX_ID 512
/** Longest result-type accepted. */
#define TLSRPT_MAX_RESULT_TYPE 64
/** Largest session count accepted (more is not a count of real sessions). */
#define TLSRPT_MAX_COUNT 1000000000000LL
/** Room for a normalized domain name: 253 characters and the NUL. */
#define TLSRPT_NAME_SIZE 254

/** The policy types of RFC 8460 section 4.4. */
enum tlsrpt_policy_type {
	TLSRPT_POLICY_TLSA = 1 << 0,  /* "tlsa": DANE */
	TLSRPT_POLICY_STS = 1 << 1,   /* "sts": MTA-STS */
	TLSRPT_POLICY_NONE = 1 << 2,  /* "no-policy-found" */
	TLSRPT_POLICY_OTHER = 1 << 3, /* a type this code does not know */
};

/** Every policy type (a filter that takes them all). */
#define TLSRPT_POLICY_ALL                                                                          \
	(TLSRPT_POLICY_TLSA | TLSRPT_POLICY_STS | TLSRPT_POLICY_NONE | TLSRPT_POLICY_OTHER)

/** One entry of "failure-details". Strings are owned; NULL when absent. */
struct tlsrpt_failure {
	char *result_type;  /* "tlsa-invalid", lower case */
	char *mx_host;      /* receiving-mx-hostname, normalized (tlsrpt_name_normalize) */
	char *receiving_ip; /* receiving-ip, as inet_ntop writes it */
	char *info;         /* additional-information, cut at TLSRPT_MAX_TEXT */
	char *reason_code;  /* failure-reason-code, cut at TLSRPT_MAX_TEXT */
	uint64_t sessions;  /* failed-session-count */
};

/** One entry of "policies". */
struct tlsrpt_policy {
	enum tlsrpt_policy_type type;
	char *type_name; /* policy-type as sent, lower case */
	char *domain;    /* policy-domain, normalized */
	char **strings;  /* policy-string entries, as sent (cut at TLSRPT_MAX_POLICY_STRING) */
	size_t nstrings;
	char **mx_hosts; /* mx-host entries, normalized */
	size_t nmx;
	uint64_t successful; /* total-successful-session-count */
	uint64_t failed;     /* total-failure-session-count */
	struct tlsrpt_failure *failures;
	size_t nfailures;
};

/** One report. Free with tlsrpt_report_free(). */
struct tlsrpt_report {
	char *organization; /* organization-name, cut at TLSRPT_MAX_TEXT */
	char *report_id;    /* report-id */
	char *contact;      /* contact-info, cut; NULL when absent */
	time_t start, end;  /* date-range */
	struct tlsrpt_policy *policies;
	size_t npolicies;
};

/**
 * Parse the JSON of one report (len bytes, not NUL-terminated) into r. On
 * success returns 0 and r must be freed; on failure returns -1, r is empty,
 * and err says why ("policies[0].summary: total-failure-session-count is
 * negative", jansson's message for JSON that does not parse).
 */
int tlsrpt_parse(const void *data, size_t len, struct tlsrpt_report *r, char *err, size_t errsize);

/** Free what r holds (not r itself); r is empty after. */
void tlsrpt_report_free(struct tlsrpt_report *r);

/**
 * Parse an RFC 3339 date-time, strictly: YYYY-MM-DD, 'T' (or 't', ' '),
 * hh:mm:ss, optional fraction (dropped), then 'Z' or +hh:mm / -hh:mm; years
 * 1970..9999; a leap second counts as :59. Returns 0 with the time in *out,
 * or -1.
 */
int tlsrpt_parse_time(const char *s, time_t *out);

/**
 * A domain name as reports and -D are compared: lower case, without the
 * trailing dot; 1..253 characters of letters, digits, '-', '_', '.', '*'
 * (MTA-STS mx patterns). Returns 0 with the name in out (TLSRPT_NAME_SIZE
 * bytes), or -1 when it is not such a name.
 */
int tlsrpt_name_normalize(const char *in, char *out, size_t outsize);

/**
 * A TLSA record of a "tlsa" policy-string in the form records are compared:
 * "U S M hexdata", lower-case hex in one piece. Accepts the presentation
 * format with the data split by blanks, and a leading "owner [TTL] [IN]
 * TLSA". Returns 0 with the record in out, or -1 when it is not a TLSA record
 * or does not fit.
 */
int tlsrpt_tlsa_normalize(const char *in, char *out, size_t outsize);

/** The policy type of a policy-type value ("tlsa", "sts", "no-policy-found", other). */
enum tlsrpt_policy_type tlsrpt_policy_type_of(const char *name);

#endif /* DANE_TLSRPT_H */
