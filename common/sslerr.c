/*
 * sslerr.c -- OpenSSL's error queue as facts, and in words.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>

#include "sslerr.h"

/* Append to dst (size bytes, NUL-terminated), cutting what does not fit. */
static void append(char *dst, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
append(char *dst, size_t size, const char *fmt, ...)
{
	size_t o = strnlen(dst, size);
	va_list ap;

	if (o + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(dst + o, size - o, fmt, ap);
	va_end(ap);
}

void
sslerr_take(struct sslerr_queue *q)
{
	const char *data = NULL;
	unsigned long e;
	int flags = 0;

	memset(q, 0, sizeof(*q));
	while ((e = ERR_get_error_all(NULL, NULL, NULL, &data, &flags)) != 0) {
		if (q->n == SSLERR_MAX)
			continue;
		q->code[q->n] = e;
		if ((flags & ERR_TXT_STRING) != 0 && data != NULL)
			snprintf(q->data[q->n], sizeof(q->data[q->n]), "%s", data);
		q->n++;
	}
}

const char *
sslerr_words(const char *what, const struct sslerr_queue *q, char *dst, size_t size)
{
	const char *sep = ": ";
	char buf[256];
	size_t i;

	if (size == 0)
		return dst;
	snprintf(dst, size, "%s", what);
	for (i = 0; i < q->n && i < SSLERR_MAX; i++) {
		ERR_error_string_n(q->code[i], buf, sizeof(buf));
		append(dst, size, "%s%s", sep, buf);
		if (q->data[i][0] != '\0')
			append(dst, size, " (%s)", q->data[i]);
		sep = "; ";
	}
	return dst;
}

void
sslerr_text(char *dst, size_t size, const char *what)
{
	struct sslerr_queue q;

	sslerr_take(&q);
	sslerr_words(what, &q, dst, size);
}
