/*
 * tlsrpt_source.h -- where SMTP TLS reports come from: directories of report
 * files (*.json, *.json.gz, *.gz, as reporters name them) or of mail
 * messages (a Maildir's cur/ and new/, *.eml), and the bytes of the JSON
 * inside: gzip'd (zlib, with a cap on the decompressed size) or in the MIME
 * part of type application/tlsrpt+gzip or application/tlsrpt+json (RFC 8460
 * section 5.3; GMime 3), usually base64.
 *
 * Read-only: files are opened for reading, never moved, changed or deleted.
 * Every size is bounded: the files looked at and opened (newest first), one
 * file's size, the decompressed size (a gzip bomb is a per-file error, not
 * memory exhaustion), the report parts of one message, the MIME nesting
 * walked.
 */
#ifndef DANE_TLSRPT_SOURCE_H
#define DANE_TLSRPT_SOURCE_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

/** Most -d directories. */
#define TLSRPT_SOURCE_MAX_DIRS 16
/** Most files considered in all directories (newer than the cut); more are not looked at. */
#define TLSRPT_SOURCE_MAX_ENTRIES 100000
/** Most files opened in one run, the newest; the others are counted as skipped. */
#define TLSRPT_SOURCE_MAX_FILES 1000
/** Largest file read, in bytes (a message with a base64 report in it). */
#define TLSRPT_SOURCE_MAX_FILE (8 * 1024 * 1024)
/** Most report parts taken from one message. */
#define TLSRPT_SOURCE_MAX_PARTS 4
/**
 * Most lines of a message that start with "--" (a boundary to GMime: each
 * can make a part) and most header lines (of the message and its parts),
 * counted before GMime builds objects for them: an 8 MiB message of tiny
 * parts or header lines costs GMime over 500 MiB.
 */
#define TLSRPT_SOURCE_MAX_BOUNDARIES 256
#define TLSRPT_SOURCE_MAX_HEADERS    4096
/** Deepest MIME nesting walked (multiparts, attached messages). */
#define TLSRPT_SOURCE_MAX_DEPTH 8

/** What a file holds. */
enum tlsrpt_file_kind {
	TLSRPT_FILE_REPORT,  /* a report: JSON, maybe gzip'd */
	TLSRPT_FILE_MESSAGE, /* a mail message with the report in a MIME part */
};

/** One file to read. */
struct tlsrpt_file {
	char *path;
	time_t mtime;
	off_t size;
	enum tlsrpt_file_kind kind;
};

/** A directory that could not be read. */
struct tlsrpt_dir_error {
	char *dir;
	int err; /* errno */
};

/** The files of the directories, newest first. Free with tlsrpt_listing_free(). */
struct tlsrpt_listing {
	struct tlsrpt_file *files; /* at most TLSRPT_SOURCE_MAX_FILES */
	size_t nfiles;
	size_t ndirs;      /* directories read */
	size_t skipped;    /* files beyond TLSRPT_SOURCE_MAX_FILES or the entry bound */
	size_t too_old;    /* files last changed before the cut: no report in them counts */
	size_t unreadable; /* entries that could not be looked at (stat failed) */
	struct tlsrpt_dir_error *errors;
	size_t nerrors;
};

/**
 * List the report files and messages of dirs (a Maildir: its cur/ and new/;
 * else its *.json, *.gz, *.eml files; names starting with '.' are not
 * looked at), leaving out files last changed before not_before (a report
 * ends before it is delivered), newest first, at most
 * TLSRPT_SOURCE_MAX_FILES. Directories that cannot be read are in
 * l->errors. Returns 0, or -1 when out of memory.
 */
int tlsrpt_source_list(const char *const *dirs, size_t ndirs, time_t not_before,
		       struct tlsrpt_listing *l);

/** Free what l holds; l is empty after. */
void tlsrpt_listing_free(struct tlsrpt_listing *l);

/** Why a file gave no report bytes. */
enum tlsrpt_load_status {
	TLSRPT_LOAD_OK = 0,
	TLSRPT_LOAD_IO,           /* open or read failed: sys_errno */
	TLSRPT_LOAD_NOT_FILE,     /* not a regular file */
	TLSRPT_LOAD_TOO_LARGE,    /* the file is larger than limit */
	TLSRPT_LOAD_GZIP,         /* the gzip data is broken: detail */
	TLSRPT_LOAD_GZIP_BOMB,    /* it decompresses to more than limit */
	TLSRPT_LOAD_NOT_MESSAGE,  /* not a mail message */
	TLSRPT_LOAD_MIME_PARTS,   /* more boundary lines than limit */
	TLSRPT_LOAD_MIME_HEADERS, /* more header lines than limit */
	TLSRPT_LOAD_NO_REPORT,    /* a message without a report part; detail: its type */
	TLSRPT_LOAD_NOMEM,        /* out of memory */
};

/** One report's JSON bytes, decoded and decompressed. */
struct tlsrpt_part {
	unsigned char *data;
	size_t len;
};

/** The result of reading one file. Free with tlsrpt_load_free(). */
struct tlsrpt_load {
	enum tlsrpt_load_status status;
	int sys_errno;    /* TLSRPT_LOAD_IO */
	size_t limit;     /* TOO_LARGE, GZIP_BOMB, MIME_PARTS, MIME_HEADERS: the bound */
	char detail[160]; /* TLSRPT_LOAD_GZIP: zlib's message; NO_REPORT: the message's type */
	struct tlsrpt_part parts[TLSRPT_SOURCE_MAX_PARTS];
	size_t nparts;
	size_t parts_left; /* report parts past TLSRPT_SOURCE_MAX_PARTS, not taken */
	int too_deep;      /* a part nested deeper than TLSRPT_SOURCE_MAX_DEPTH was not walked */
};

/**
 * Read one file and take the report JSON out of it (see tlsrpt_source_extract()).
 * Returns ld->status.
 */
enum tlsrpt_load_status tlsrpt_source_load(const struct tlsrpt_file *f, struct tlsrpt_load *ld);

/**
 * The report JSON in len bytes of a file of the given kind: a report file
 * is gunzip'd when it starts with the gzip magic, else taken as it is; a
 * message's report parts (application/tlsrpt+gzip, application/tlsrpt+json,
 * and as some reporters send them application/gzip, application/json, or
 * application/octet-stream named *.gz or *.json) are decoded from their
 * transfer encoding and gunzip'd likewise. Returns ld->status.
 */
enum tlsrpt_load_status tlsrpt_source_extract(const void *data, size_t len,
					      enum tlsrpt_file_kind kind, struct tlsrpt_load *ld);

/**
 * Decompress gzip data (one or more members) into a malloc'd buffer of at
 * most max bytes. Returns TLSRPT_LOAD_OK with *out and *outlen,
 * TLSRPT_LOAD_GZIP_BOMB when the output would exceed max, TLSRPT_LOAD_GZIP
 * with zlib's message in detail, or TLSRPT_LOAD_NOMEM.
 */
enum tlsrpt_load_status tlsrpt_source_gunzip(const void *in, size_t inlen, size_t max,
					     unsigned char **out, size_t *outlen, char *detail,
					     size_t detailsize);

/** Free the parts of ld; ld is empty after. */
void tlsrpt_load_free(struct tlsrpt_load *ld);

#endif /* DANE_TLSRPT_SOURCE_H */
