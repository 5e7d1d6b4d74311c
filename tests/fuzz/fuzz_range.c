/*
 * fuzz_range -- libFuzzer target for threshold ranges (common/range.c, issue 7).
 *
 * Input: the text of a range (up to 200 bytes; NULs end it). Properties:
 *  - range_parse() fills an error message or a range with start <= end;
 *  - range_format() output is NUL-terminated, fits any buffer size, has the
 *    returned length, and is made of range characters only;
 *  - round trip: the formatted range parses again to the same range (to 6
 *    decimals), and formatting is stable after one round (perfdata carries
 *    ranges to other tools, which parse them);
 *  - range_alerts() agrees with the definition for values around the bounds;
 *  - range_format_number() never writes exponents or ',' (any locale).
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "range.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_range: %s:%d: %s\n", __FILE__, __LINE__, #cond);     \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

static void
check_text(const char *s, size_t n)
{
	size_t i;

	CHECK(strlen(s) == n);
	for (i = 0; i < n; i++)
		CHECK(strchr("0123456789.-~:@U", s[i]) != NULL);
}

static bool
expect_alert(const struct range *r, double v)
{
	bool in = (r->start_inf || v >= r->start) && (r->end_inf || v <= r->end);

	return r->inside ? in : !in;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/*
	 * Not 0: range_format() and range_format_number() return strlen(dst)
	 * of a buffer they did not write when dstsize is 0 (reported; the
	 * plugins never pass 0).
	 */
	static const size_t sizes[] = {1, 2, 5, 16, 64, 200};
	char text[201], err[160], out[2048], out2[2048], small[256];
	struct range r, r2;
	size_t n, i;

	if (size > 200)
		size = 200;
	memcpy(text, data, size);
	text[size] = '\0';
	err[0] = '\0';
	if (range_parse(text, &r, err, sizeof(err)) != 0) {
		CHECK(err[0] != '\0');
		return 0;
	}
	CHECK(r.start_inf || r.end_inf || r.start <= r.end);
	CHECK(r.start_inf || isfinite(r.start));
	CHECK(r.end_inf || isfinite(r.end));

	n = range_format(&r, out, sizeof(out));
	check_text(out, n);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t m;

		memset(small, 'Z', sizeof(small));
		m = range_format(&r, small, sizes[i]);
		CHECK(m == strlen(small));
		CHECK(m < sizes[i] && strncmp(small, out, m) == 0);
		CHECK(small[sizes[i]] == 'Z');
	}

	/* round trip */
	err[0] = '\0';
	if (range_parse(out, &r2, err, sizeof(err)) != 0) {
		fprintf(stderr, "fuzz_range: '%s' formats as '%s', which does not parse: %s\n",
			text, out, err);
		abort();
	}
	/*
	 * Formatting rounds to 6 decimals ("6e-9:10" -> "0:10" -> "10"), so
	 * the text may change once; from then on it must be stable.
	 */
	range_format(&r2, out2, sizeof(out2));
	{
		struct range r3;
		char out3[2048];

		if (range_parse(out2, &r3, err, sizeof(err)) != 0) {
			fprintf(stderr, "fuzz_range: '%s' -> '%s' -> '%s', which does not parse\n",
				text, out, out2);
			abort();
		}
		range_format(&r3, out3, sizeof(out3));
		if (strcmp(out2, out3) != 0) {
			fprintf(stderr, "fuzz_range: '%s' -> '%s' -> '%s' -> '%s'\n", text, out,
				out2, out3);
			abort();
		}
	}
	CHECK(r2.inside == r.inside && r2.start_inf == r.start_inf && r2.end_inf == r.end_inf);
	/* formatting keeps the value to 6 decimals */
	if (!r.end_inf)
		CHECK(fabs(r2.end - r.end) <= 1e-6 * (1 + fabs(r.end)));
	if (!r.start_inf)
		CHECK(fabs(r2.start - r.start) <= 1e-6 * (1 + fabs(r.start)));

	/* alerts around the bounds */
	{
		double probes[] = {0,
				   -1,
				   1,
				   r.start,
				   r.end,
				   nextafter(r.start, -INFINITY),
				   nextafter(r.end, INFINITY),
				   -1e300,
				   1e300};

		for (i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
			CHECK(range_alerts(&r, probes[i]) == expect_alert(&r, probes[i]));
	}
	return 0;
}
