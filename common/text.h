/*
 * text.h -- safe text: untrusted bytes made printable, bytes written as hex,
 * and whole numbers parsed strictly. Pure functions, no state.
 */
#ifndef DANE_TEXT_H
#define DANE_TEXT_H

#include <stddef.h>
#include <stdint.h>

/** How text_sanitize() shows a byte that may not be printed as it is. */
enum text_mode {
	/* control bytes, '|', '\\' and bytes >= 0x7f become \xNN: nothing is lost */
	TEXT_ESCAPE,
	/* control bytes, '|' and bytes >= 0x7f become '?': short, for quoted peer text */
	TEXT_MASK,
};

/**
 * Copy untrusted bytes into dst (dstsize bytes, always NUL-terminated when
 * dstsize > 0) so that they can be printed on one line of plugin output. srclen
 * is the input length (the input need not be NUL-terminated and may contain
 * NULs). Input beyond maxlen bytes, or what does not fit, is cut and the text
 * ends in "...". Returns the length written.
 */
size_t text_sanitize(char *dst, size_t dstsize, const char *src, size_t srclen, size_t maxlen,
		     enum text_mode mode);

/**
 * Lower-case hex of data into out (outsize bytes, NUL-terminated; as many
 * whole bytes as fit). Returns the number of hex digits written.
 */
size_t text_hex(const uint8_t *data, size_t len, char *out, size_t outsize);

/**
 * Parse a whole decimal number min..max, strictly: digits only (no sign, no
 * space, no "0x"), not empty. Returns 0 with the value in *out, or -1.
 */
int text_parse_uint(const char *text, unsigned long min, unsigned long max, unsigned long *out);

#endif /* DANE_TEXT_H */
