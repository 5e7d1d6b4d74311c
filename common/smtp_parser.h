/*
 * smtp_parser.h -- reads SMTP replies from untrusted bytes: an incremental
 * multi-line parser with hard limits, and what an EHLO reply offers.
 *
 * Pure code, no I/O, no global state (fuzzed by tests/fuzz/fuzz_smtp_parser):
 * whatever it is fed, memory stays bounded by SMTP_REPLY_BYTES_MAX. Reply
 * text is kept as bytes with a length (it may hold NULs and control
 * characters) and is never printed here.
 */
#ifndef DANE_SMTP_PARSER_H
#define DANE_SMTP_PARSER_H

#include <stdbool.h>
#include <stddef.h>

/** Longest reply line accepted: code and text, without the line end. */
#define SMTP_LINE_MAX 2048

/** Most lines in one reply. */
#define SMTP_REPLY_LINES_MAX 1000

/** Most bytes in one reply, line ends included. */
#define SMTP_REPLY_BYTES_MAX 65536

/** Size of the buffers that keep a first line (code and text, cut to fit). */
#define SMTP_FIRST_LINE_MAX 512

/** Longest EHLO keyword smtp_reply_keywords() keeps. */
#define SMTP_KEYWORD_LEN 32

/** One complete reply. Owns text: free with smtp_reply_clear(). */
struct smtp_reply {
	int code;      /* 200..599, the same on every line */
	size_t nlines; /* 1..SMTP_REPLY_LINES_MAX */
	/*
	 * The text of every line (what follows "DDD-" or "DDD "), lines joined
	 * by '\n', NUL-terminated; raw bytes: it may hold NULs, CRs and other
	 * control bytes (sanitize before printing), hence textlen.
	 */
	char *text;
	size_t textlen;
	char first_line[SMTP_FIRST_LINE_MAX]; /* first line with its code, raw, cut */
	size_t first_line_len;                /* bytes in first_line (it may hold NULs) */
	bool first_line_cut;                  /* the first line was longer */
};

/** What smtp_parser_feed() found. */
enum smtp_parse {
	SMTP_PARSE_MORE,  /* every byte used, the reply is not complete yet */
	SMTP_PARSE_DONE,  /* a complete reply; bytes after it were not used */
	SMTP_PARSE_ERROR, /* not an SMTP reply, or over a limit: see smtp_parser_error() */
	SMTP_PARSE_NOMEM, /* out of memory */
};

/** Why the parser failed. */
enum smtp_parse_fault {
	SMTP_FAULT_NONE = 0,       /* it did not */
	SMTP_FAULT_CODE,           /* a line does not start with "DDD-", "DDD " or "DDD"
				    * (first digit 2-5) */
	SMTP_FAULT_CODE_CHANGED,   /* a line's code is not the reply's */
	SMTP_FAULT_LINE_TOO_LONG,  /* a line over SMTP_LINE_MAX bytes */
	SMTP_FAULT_REPLY_TOO_LONG, /* a reply over SMTP_REPLY_BYTES_MAX bytes */
	SMTP_FAULT_TOO_MANY_LINES, /* a reply of over SMTP_REPLY_LINES_MAX lines */
	SMTP_FAULT_NOMEM,          /* out of memory */
};

/** A parser failure as facts (words_smtp_parse() in words_conn.h says it in words). */
struct smtp_parse_error {
	enum smtp_parse_fault fault;
	int code;      /* SMTP_FAULT_CODE_CHANGED: the reply's code ... */
	int line_code; /* ... and the other code of the line */
};

/**
 * Incremental reply parser (RFC 5321 4.2), no I/O. Lines are "DDD-text"
 * (more lines follow) or "DDD text" / "DDD" (last line), the first digit 2-5,
 * the same code on every line, ending in CRLF or a bare LF. Initialize with
 * smtp_parser_init(), free with smtp_parser_clear().
 */
struct smtp_parser {
	struct smtp_reply reply; /* the reply being read */
	size_t textsize;         /* allocated size of reply.text */
	size_t linelen;          /* bytes of the current line so far, without a pending CR */
	size_t total;            /* bytes of the reply so far */
	bool cr;                 /* the last byte was a CR, not yet known to end the line */
	bool last;               /* the current line is the last one of the reply */
	int linecode;            /* code of the current line, while it is read */
	/* why it failed (SMTP_PARSE_ERROR, SMTP_PARSE_NOMEM); once failed, it stays failed */
	struct smtp_parse_error error;
};

/** Start a parser for a new reply. */
void smtp_parser_init(struct smtp_parser *p);

/** Free what a parser holds (not the struct). The parser can be initialized again. */
void smtp_parser_clear(struct smtp_parser *p);

/**
 * Feed len bytes to the parser. *consumed is set to the bytes used: all of
 * them for SMTP_PARSE_MORE, up to the end of the reply for SMTP_PARSE_DONE
 * (the rest belongs to what follows), up to the offending byte for an error.
 * On SMTP_PARSE_DONE the reply is moved to *reply (free it with
 * smtp_reply_clear()) and the parser is ready for the next one. After an
 * error the parser stays failed; the reason is smtp_parser_error(). Memory
 * used is bounded by SMTP_REPLY_BYTES_MAX whatever is fed.
 */
enum smtp_parse smtp_parser_feed(struct smtp_parser *p, const char *bytes, size_t len,
				 size_t *consumed, struct smtp_reply *reply);

/** Why the parser failed: fault SMTP_FAULT_NONE if it did not. */
const struct smtp_parse_error *smtp_parser_error(const struct smtp_parser *p);

/** Free the text of a reply and clear it. NULL is allowed. */
void smtp_reply_clear(struct smtp_reply *reply);

/**
 * Does an EHLO reply offer keyword (case-insensitive)? Only the first word
 * of each line from the second on is compared (the first line is the
 * server's name, RFC 5321 4.1.1.1), so a line "250-STARTTLS" or a last line
 * "250 starttls" offers STARTTLS, and "250-XSTARTTLSX", "250-AUTH STARTTLS"
 * or a one-line reply "250 STARTTLS" do not.
 */
bool smtp_reply_has_keyword(const struct smtp_reply *reply, const char *keyword);

/**
 * The keywords an EHLO reply offers, for the operator: the first word of
 * each line from the second on (as smtp_reply_has_keyword() reads them), in
 * upper case, space-separated ("PIPELINING SIZE STARTTLS"). Only plausible
 * words are kept (letters, digits and '-', at most SMTP_KEYWORD_LEN bytes),
 * as many as fit in dst (size bytes, always NUL-terminated).
 */
void smtp_reply_keywords(const struct smtp_reply *reply, char *dst, size_t size);

#endif /* DANE_SMTP_PARSER_H */
