/*
 * text.c -- safe text: sanitizing, hex, strict whole numbers.
 */
#include "config.h"

#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

static const char hex_digits[] = "0123456789abcdef";

size_t
text_sanitize(char *dst, size_t dstsize, const char *src, size_t srclen, size_t maxlen,
	      enum text_mode mode)
{
	size_t i, o = 0;
	bool cut = srclen > maxlen;

	if (dstsize < 4) {
		if (dstsize > 0)
			dst[0] = '\0';
		return 0;
	}
	if (cut)
		srclen = maxlen;
	for (i = 0; i < srclen; i++) {
		unsigned char ch = (unsigned char)src[i];
		bool bad =
		    ch < 0x20 || ch >= 0x7f || ch == '|' || (ch == '\\' && mode == TEXT_ESCAPE);
		size_t need = bad && mode == TEXT_ESCAPE ? 4 : 1;

		/* keep room for "..." and the NUL */
		if (o + need + 4 > dstsize) {
			cut = true;
			break;
		}
		if (!bad) {
			dst[o++] = (char)ch;
		} else if (mode == TEXT_MASK) {
			dst[o++] = '?';
		} else {
			dst[o++] = '\\';
			dst[o++] = 'x';
			dst[o++] = hex_digits[ch >> 4];
			dst[o++] = hex_digits[ch & 0xf];
		}
	}
	if (cut) {
		memcpy(dst + o, "...", 3);
		o += 3;
	}
	dst[o] = '\0';
	return o;
}

size_t
text_hex(const uint8_t *data, size_t len, char *out, size_t outsize)
{
	size_t i, o = 0;

	if (outsize == 0)
		return 0;
	for (i = 0; i < len && o + 2 < outsize; i++) {
		out[o++] = hex_digits[data[i] >> 4];
		out[o++] = hex_digits[data[i] & 0x0f];
	}
	out[o] = '\0';
	return o;
}

int
text_parse_uint(const char *text, unsigned long min, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	const char *p;

	if (text == NULL || *text == '\0')
		return -1;
	for (p = text; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		unsigned long d = (unsigned long)(*p - '0');

		if (v > max / 10 || (v == max / 10 && d > max % 10))
			return -1;
		v = v * 10 + d;
	}
	if (v < min)
		return -1;
	*out = v;
	return 0;
}

int
text_parse_number(const char *s, size_t len, double *out)
{
	char buf[TEXT_NUMBER_MAX + 1];
	size_t i = 0, digits = 0;
	char *end;
	locale_t c_locale;
	double v;

	if (len == 0 || len > TEXT_NUMBER_MAX)
		return -1;
	if (s[i] == '+' || s[i] == '-')
		i++;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		digits++;
	if (i < len && s[i] == '.') {
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
	}
	if (digits == 0)
		return -1;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		size_t exp_digits = 0;

		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			exp_digits++;
		if (exp_digits == 0)
			return -1;
	}
	if (i != len)
		return -1;

	memcpy(buf, s, len);
	buf[len] = '\0';
	/* strtod follows LC_NUMERIC; we always use '.'. */
	c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	if (c_locale == (locale_t)0)
		return -1;
	v = strtod_l(buf, &end, c_locale);
	freelocale(c_locale);
	if (*end != '\0' || !isfinite(v) || fabs(v) >= TEXT_NUMBER_ABS_MAX)
		return -1;
	*out = v;
	return 0;
}

const char *
text_duration(double seconds, char *dst, size_t dstsize)
{
	if (seconds < 0.0001 && seconds > -0.0001)
		snprintf(dst, dstsize, "%.0f us", seconds * 1e6);
	else if (seconds < 0.001 && seconds > -0.001)
		snprintf(dst, dstsize, "%.1f ms", seconds * 1000);
	else
		snprintf(dst, dstsize, "%.3f s", seconds);
	return dst;
}

const char *
text_say(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	if (size == 0)
		return buf;
	va_start(ap, fmt);
	vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return buf;
}
