/*
 * sslerr.h -- OpenSSL's per-thread error queue in words, for messages.
 *
 * Both functions empty this thread's queue. Nothing here prints or keeps
 * state.
 */
#ifndef DANE_SSLERR_H
#define DANE_SSLERR_H

#include <stddef.h>

/**
 * Write "what" to dst (size bytes, NUL-terminated, cut to fit), followed by
 * OpenSSL's queued errors, oldest first: "what: e1 (data); e2".
 */
void sslerr_text(char *dst, size_t size, const char *what);

/** OpenSSL's reason for the oldest queued error into dst, "" if none. */
void sslerr_reason(char *dst, size_t size);

#endif /* DANE_SSLERR_H */
