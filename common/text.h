/*
 * text.h -- safe text: untrusted bytes made printable, bytes written as hex,
 * and numbers parsed strictly. Pure functions, no state.
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
/**
 * printf into buf (size bytes, cut to fit; nothing when size is 0) and
 * return buf: the words modules' way of answering with a sentence.
 */
const char *text_say(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

size_t text_hex(const uint8_t *data, size_t len, char *out, size_t outsize);

/**
 * Parse a whole decimal number min..max, strictly: digits only (no sign, no
 * space, no "0x"), not empty. Returns 0 with the value in *out, or -1.
 */
int text_parse_uint(const char *text, unsigned long min, unsigned long max, unsigned long *out);

/**
 * A duration for a detail line: "40 us" under a tenth of a millisecond,
 * "0.3 ms" under a millisecond (one decimal), "0.045 s" from there on (three
 * decimals). Returns dst.
 */
const char *text_duration(double seconds, char *dst, size_t dstsize);

/** Longest number text_parse_number() accepts, in characters. */
#define TEXT_NUMBER_MAX 40

/** Magnitude from which text_parse_number() refuses a number (it would not format back exactly). */
#define TEXT_NUMBER_ABS_MAX 1e15

/**
 * Parse one decimal number of exactly len characters (s need not be
 * NUL-terminated), strictly: optional sign, digits, optional fraction,
 * optional exponent; '.' whatever the locale; no hex, "inf", "nan" or
 * spaces; |value| < TEXT_NUMBER_ABS_MAX. Returns 0 with the value in *out, or -1.
 */
int text_parse_number(const char *s, size_t len, double *out);

#endif /* DANE_TEXT_H */
