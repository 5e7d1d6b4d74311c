/*
 * mtasts.h -- MTA-STS (RFC 8461) as a sender reads it: the TXT record at
 * _mta-sts.<domain> (section 3.1), the policy served at
 * https://mta-sts.<domain>/.well-known/mta-sts.txt (section 3.2), and the
 * matching of an MX host name against the policy's mx patterns (section 4.1).
 *
 * Pure code: no I/O, no state, no words. Input is untrusted bytes with a
 * length (it may hold NULs); every read is bounded, and what does not
 * parse is reported as a status with where it happened (a byte offset, a
 * line number) and the raw bytes at fault, for the words layer
 * (words_mtasts.h) to quote sanitized.
 */
#ifndef DANE_MTASTS_H
#define DANE_MTASTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Longest STS TXT record parsed (its strings concatenated); longer: MTASTS_TXT_TOO_LONG. */
#define MTASTS_TXT_MAX 1024

/** Longest policy id (RFC 8461 3.1: 1*32 letters and digits). */
#define MTASTS_ID_MAX 32

/** Largest policy body (RFC 8461 3.3 lets senders stop at 64 KiB). */
#define MTASTS_POLICY_MAX (64 * 1024)

/** Most lines of a policy, and the longest line (bytes, without the line end). */
#define MTASTS_POLICY_LINES_MAX 1000
#define MTASTS_POLICY_LINE_MAX  1024

/** Most mx patterns of a policy. */
#define MTASTS_MX_MAX 128

/** Room for one mx pattern ("*." and a host name of at most 253 bytes). */
#define MTASTS_PATTERN_MAX 256

/** Largest max_age (RFC 8461 3.2: about one year). */
#define MTASTS_MAX_AGE_MAX 31557600UL

/** Room for the raw bytes at fault (a value, a key, a line start), cut to fit. */
#define MTASTS_EXCERPT_MAX 64

/** What one TXT record at _mta-sts.<domain> is. */
enum mtasts_txt_status {
	MTASTS_TXT_OK = 0,   /* "v=STSv1; id=..." with a valid id */
	MTASTS_TXT_NOT_STS,  /* does not begin with "v=STSv1": senders discard it */
	MTASTS_TXT_TOO_LONG, /* longer than MTASTS_TXT_MAX: length */
	MTASTS_TXT_BAD_BYTE, /* a NUL, control or non-ASCII byte: offset, byte */
	MTASTS_TXT_SYNTAX,   /* a field that is not name=value, or an empty one: offset */
	MTASTS_TXT_NO_ID,    /* no id field */
	MTASTS_TXT_BAD_ID,   /* the id is empty, over 32 bytes, or not letters and digits */
	MTASTS_TXT_TWO_IDS,  /* more than one id field: offset of the second */
};

/** The facts of one TXT record (mtasts_txt_parse()). */
struct mtasts_txt {
	enum mtasts_txt_status status;
	size_t length;                    /* the record's length in bytes */
	size_t offset;                    /* BAD_BYTE, SYNTAX, BAD_ID, TWO_IDS: where (from 0) */
	uint8_t byte;                     /* BAD_BYTE: the byte */
	char id[MTASTS_ID_MAX + 1];       /* OK: the policy id */
	size_t nfields;                   /* fields after the version */
	char excerpt[MTASTS_EXCERPT_MAX]; /* SYNTAX, BAD_ID: the raw field (cut; may hold any byte)
					   */
	size_t excerpt_len;
};

/**
 * Does a TXT record begin with "v=STSv1" (then ';', a blank or its end)?
 * Senders discard the others (RFC 8461 3.1).
 */
bool mtasts_txt_is_sts(const uint8_t *rec, size_t len);

/**
 * Parse one TXT record (its strings concatenated) as RFC 8461 3.1 says:
 * "v=STSv1" then ';'-separated name=value fields, one of them "id" (1-32
 * letters and digits); unknown fields are ignored. Fills *t and returns its
 * status.
 */
enum mtasts_txt_status mtasts_txt_parse(const uint8_t *rec, size_t len, struct mtasts_txt *t);

/** The policy's mode. */
enum mtasts_mode {
	MTASTS_MODE_UNSET = 0, /* no (valid) mode field */
	MTASTS_MODE_ENFORCE,   /* senders do not deliver to hosts that fail */
	MTASTS_MODE_TESTING,   /* senders deliver anyway, and report (TLSRPT) */
	MTASTS_MODE_NONE,      /* no policy in force */
};

/** The mode's word as in the policy: "enforce", "testing", "none"; "unset". */
const char *mtasts_mode_name(enum mtasts_mode mode);

/** What a policy body is. */
enum mtasts_policy_status {
	MTASTS_POLICY_OK = 0,
	MTASTS_POLICY_EMPTY,          /* no byte, or only blank lines */
	MTASTS_POLICY_TOO_LARGE,      /* over MTASTS_POLICY_MAX bytes: length */
	MTASTS_POLICY_BAD_BYTE,       /* NUL or a control byte (not TAB, not CR before LF): line */
	MTASTS_POLICY_LINE_TOO_LONG,  /* a line over MTASTS_POLICY_LINE_MAX bytes: line */
	MTASTS_POLICY_TOO_MANY_LINES, /* over MTASTS_POLICY_LINES_MAX lines */
	MTASTS_POLICY_BAD_LINE,       /* not "key: value", or an invalid key: line, excerpt */
	MTASTS_POLICY_NO_VERSION,     /* no version field */
	MTASTS_POLICY_BAD_VERSION,    /* version is not "STSv1": line, excerpt */
	MTASTS_POLICY_NO_MODE,        /* no mode field */
	MTASTS_POLICY_BAD_MODE,       /* mode is not enforce, testing or none: line, excerpt */
	MTASTS_POLICY_NO_MAX_AGE,     /* no max_age field */
	MTASTS_POLICY_BAD_MAX_AGE,    /* not 1-10 digits, or over MTASTS_MAX_AGE_MAX: line */
	MTASTS_POLICY_NO_MX,          /* enforce or testing without any mx field */
	MTASTS_POLICY_BAD_MX,         /* an mx value that is no host name pattern: line */
	MTASTS_POLICY_TOO_MANY_MX,    /* over MTASTS_MX_MAX mx fields: line of the first too many */
};

/**
 * The facts of a policy (mtasts_policy_parse()). Fields are kept as far as
 * the parse went; only MTASTS_POLICY_OK makes a policy senders apply.
 */
struct mtasts_policy {
	enum mtasts_policy_status status;
	size_t length;                    /* the body's length in bytes */
	size_t line;                      /* the line the status is about (from 1), 0 for none */
	uint8_t byte;                     /* BAD_BYTE: the byte */
	char excerpt[MTASTS_EXCERPT_MAX]; /* the raw bytes at fault (cut; may hold any byte) */
	size_t excerpt_len;

	enum mtasts_mode mode;
	unsigned long max_age;
	char mx[MTASTS_MX_MAX][MTASTS_PATTERN_MAX]; /* the patterns, lower-case, in order */
	size_t nmx;

	size_t nlines;           /* lines read (blank ones included) */
	bool crlf;               /* some line ended in CRLF */
	bool lf;                 /* some line ended in a bare LF */
	size_t unknown;          /* fields with other keys (ignored by senders) */
	char first_unknown[33];  /* the first such key */
	size_t duplicates;       /* version, mode or max_age given again (the first counts) */
	char first_duplicate[8]; /* the key given twice first: "version", "mode", "max_age" */
	size_t duplicate_line;   /* its second line */
	bool duplicate_differs;  /* the repeated value is not the first one */
};

/**
 * Parse a policy body as RFC 8461 3.2 says: LF- or CRLF-terminated "key:
 * value" lines (keys are case-sensitive; blanks around the value and blank
 * lines are allowed); version "STSv1", mode, max_age (at most 31557600) and,
 * unless the mode is none, one or more mx patterns ("*." then a host name)
 * are required; other keys are counted and ignored; for version, mode and
 * max_age the first occurrence counts. Bounded by MTASTS_POLICY_MAX bytes,
 * MTASTS_POLICY_LINES_MAX lines of MTASTS_POLICY_LINE_MAX bytes and
 * MTASTS_MX_MAX patterns. Fills *p (which is large: keep it off small
 * stacks) and returns its status.
 */
enum mtasts_policy_status mtasts_policy_parse(const uint8_t *body, size_t len,
					      struct mtasts_policy *p);

/**
 * Does host (an MX host name, with or without the final dot) match
 * pattern (RFC 8461 4.1)? Case-insensitive; "*." matches exactly one
 * label, never the bare parent and never two labels.
 */
bool mtasts_mx_match(const char *pattern, const char *host);

/**
 * The index of the first mx pattern of p that host matches, or -1.
 */
int mtasts_policy_match(const struct mtasts_policy *p, const char *host);

/**
 * Is a Content-Type value text/plain (RFC 8461 3.3)? The media type is
 * compared case-insensitively; parameters (charset) and blanks around it
 * are allowed. value need not be NUL-terminated.
 */
bool mtasts_is_text_plain(const char *value, size_t len);

#endif /* DANE_MTASTS_H */
