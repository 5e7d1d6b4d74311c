/*
 * sslerr.c -- OpenSSL's error queue in words.
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
sslerr_text(char *dst, size_t size, const char *what)
{
	const char *sep = ": ", *data = NULL;
	unsigned long e;
	int flags = 0;
	char buf[256];

	snprintf(dst, size, "%s", what);
	while ((e = ERR_get_error_all(NULL, NULL, NULL, &data, &flags)) != 0) {
		ERR_error_string_n(e, buf, sizeof(buf));
		append(dst, size, "%s%s", sep, buf);
		if ((flags & ERR_TXT_STRING) != 0 && data != NULL && *data != '\0')
			append(dst, size, " (%s)", data);
		sep = "; ";
	}
}

void
sslerr_reason(char *dst, size_t size)
{
	unsigned long e = ERR_peek_error();
	const char *text = e != 0 ? ERR_reason_error_string(e) : NULL;

	snprintf(dst, size, "%s", text != NULL ? text : "");
	ERR_clear_error();
}
