/*
 * sslerr.h -- OpenSSL's per-thread error queue: taken as facts (packed error
 * codes and their data), and those facts in words ("what: e1 (data); e2").
 *
 * sslerr_take() and sslerr_text() empty this thread's queue. Nothing here
 * prints or keeps state; the words use ERR_error_string_n() (thread-safe).
 */
#ifndef DANE_SSLERR_H
#define DANE_SSLERR_H

#include <stddef.h>

/** Most queued errors a struct sslerr_queue keeps (the oldest ones). */
#define SSLERR_MAX 8

/** Size of the data text kept per error (cut to fit). */
#define SSLERR_DATA_MAX 128

/** OpenSSL's queued errors, oldest first, as facts. */
struct sslerr_queue {
	size_t n;                       /* errors kept, at most SSLERR_MAX */
	unsigned long code[SSLERR_MAX]; /* packed codes (ERR_GET_LIB(), ERR_GET_REASON()) */
	/* their data text (ERR_TXT_STRING, e.g. "SSL alert number 40"), "" if none */
	char data[SSLERR_MAX][SSLERR_DATA_MAX];
};

/** Take this thread's queued errors into *q (the oldest SSLERR_MAX) and empty the queue. */
void sslerr_take(struct sslerr_queue *q);

/**
 * The words of q after "what": "what: e1 (data); e2", each error as
 * ERR_error_string_n() gives it, then its data in parentheses if any; only
 * "what" for an empty queue. Writes into dst (size bytes, NUL-terminated,
 * cut to fit) and returns it.
 */
const char *sslerr_words(const char *what, const struct sslerr_queue *q, char *dst, size_t size);

/** sslerr_take() then sslerr_words(): this thread's queue in words after "what". */
void sslerr_text(char *dst, size_t size, const char *what);

#endif /* DANE_SSLERR_H */
