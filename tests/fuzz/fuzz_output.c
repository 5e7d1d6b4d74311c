/*
 * fuzz_output -- libFuzzer target for the output sanitizer and the rendered
 * plugin output (common/output.c, issue 7).
 *
 * Part 1, text_sanitize() on the input with several buffer sizes and
 * maxlen values: the result is NUL-terminated with the returned length, fits,
 * holds only printable ASCII without '|', every '\' starts a "\xNN" escape,
 * and un-escaping it gives back the input (or, when it ends in "..." and was
 * cut, a prefix of it).
 *
 * Part 2, a whole result built from the input: the bytes are cut at 0xff
 * into texts; each text becomes a subcheck (its first byte: state, level,
 * nesting), a perfdata label, or the summary. output_render() must then give
 * exactly one line per visible subcheck plus the status line, "SERVICE STATE
 * - " first, one '|' on the first line when there is perfdata and none
 * elsewhere, detail lines "[STATE] " (indented), and printable ASCII only.
 * Each subcheck also gets the raw bytes (NULs and all) as its subject and a
 * parameter; output_render_json() must then give one JSON document that
 * jansson parses (valid UTF-8, escaped), with every finding (hidden ones
 * too), the same state and exit code, and every perfdata item.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "output.h"
#include "text.h"
#include "range.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_output: %s:%d: %s\n", __FILE__, __LINE__, #cond);    \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static void
check_sanitize(const uint8_t *src, size_t srclen, size_t dstsize, size_t maxlen)
{
	char *dst = malloc(dstsize + 1), *dec = malloc(srclen + 4);
	size_t n, i, o = 0, body;
	bool dots;

	CHECK(dst != NULL && dec != NULL);
	dst[dstsize] = 'Z';
	n = text_sanitize(dst, dstsize, (const char *)src, srclen, maxlen, TEXT_ESCAPE);
	CHECK(dst[dstsize] == 'Z');
	if (dstsize == 0) {
		CHECK(n == 0);
		goto out;
	}
	CHECK(n < dstsize);
	CHECK(dst[n] == '\0' && strlen(dst) == n);
	if (dstsize < 4) {
		CHECK(n == 0);
		goto out;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)dst[i];

		CHECK(c >= 0x20 && c < 0x7f && c != '|');
	}
	/* un-escape; "..." at the end may be the cut mark */
	dots = n >= 3 && memcmp(dst + n - 3, "...", 3) == 0;
	body = n;
	for (i = 0; i < body; i++) {
		if (dst[i] == '\\') {
			CHECK(i + 3 < n); /* an escape is never cut */
			CHECK(dst[i + 1] == 'x');
			CHECK(hexval(dst[i + 2]) >= 0 && hexval(dst[i + 3]) >= 0);
			dec[o++] = (char)(hexval(dst[i + 2]) * 16 + hexval(dst[i + 3]));
			i += 3;
		} else {
			CHECK(o < srclen + 4);
			dec[o++] = dst[i];
		}
	}
	if (o == srclen && memcmp(dec, src, o) == 0 && srclen <= maxlen)
		goto out; /* all of it, unchanged */
	/* cut: the text ends in "...", and before it is a prefix of the input */
	CHECK(dots);
	CHECK(o >= 3);
	o -= 3;
	CHECK(o <= srclen && o <= maxlen);
	CHECK(memcmp(dec, src, o) == 0);
out:
	free(dst);
	free(dec);
}

/* One subcheck to add: what it says, where it goes. */
struct node {
	struct finding *check;
	int parent; /* index, -1: top level */
	int level;
	bool visible;
};

/* Findings in a JSON findings array, recursively. */
static size_t
count_json(json_t *findings)
{
	size_t i, n = 0;

	CHECK(json_is_array(findings));
	for (i = 0; i < json_array_size(findings); i++) {
		json_t *f = json_array_get(findings, i);

		CHECK(json_is_string(json_object_get(f, "text")));
		CHECK(json_is_string(json_object_get(f, "code")));
		CHECK(json_is_object(json_object_get(f, "subject")));
		CHECK(json_is_object(json_object_get(f, "params")));
		n += 1 + count_json(json_object_get(f, "findings"));
	}
	return n;
}

/* The JSON rendering of the same result: parses, holds everything, same state. */
static void
check_json(const struct output *out, size_t nnodes, size_t nperf)
{
	char *text = output_render_json(out);
	json_error_t error;
	json_t *doc;

	CHECK(text != NULL);
	CHECK(strchr(text, '\n') == text + strlen(text) - 1);
	doc = json_loads(text, 0, &error);
	CHECK(doc != NULL);
	CHECK(json_integer_value(json_object_get(doc, "exit_code")) == (int)output_state(out));
	CHECK(strcmp(json_string_value(json_object_get(doc, "state")),
		     state_name(output_state(out))) == 0);
	CHECK(count_json(json_object_get(doc, "findings")) == nnodes);
	CHECK(json_array_size(json_object_get(doc, "perfdata")) == nperf);
	json_decref(doc);
	free(text);
}

static void
check_render(const uint8_t *data, size_t size)
{
	static const char *const uoms[] = {"", "s", "%", "B", "c", "x", "ms", "KB", "'"};
	struct output *out = output_new("FUZZ");
	struct node nodes[64];
	size_t nnodes = 0, visible = 0, off = 0, nperf = 0, i;
	int verbosity = size > 0 ? data[0] % 3 : 0;
	char *text, *line, *save = NULL;
	size_t nlines = 0;
	bool first = true;

	CHECK(out != NULL);
	output_set_verbosity(out, verbosity);
	while (off < size && nnodes < 64) {
		const uint8_t *end = memchr(data + off, 0xff, size - off);
		size_t len = end != NULL ? (size_t)(end - (data + off)) : size - off;
		char *s = malloc(len + 1);
		uint8_t ctl = len > 0 ? data[off] : 0;

		CHECK(s != NULL);
		memcpy(s, data + off + (len > 0), len - (len > 0));
		s[len - (len > 0)] = '\0'; /* texts stop at a NUL: printf "%s" */
		switch (ctl >> 6) {
		case 0:
		case 1: {
			/* a subcheck: state (2 bits), level (2 bits), parent (the last node or top)
			 */
			struct node *nd = &nodes[nnodes];
			struct finding *parent = NULL;

			nd->parent = (ctl & 0x10) && nnodes > 0 ? (int)nnodes - 1 : -1;
			if (nd->parent >= 0)
				parent = nodes[nd->parent].check;
			nd->check =
			    finding_add(out, parent, (state_t)(ctl & 3), FC_PLUGIN_USAGE, "%s", s);
			CHECK(nd->check != NULL);
			finding_subject(nd->check,
					&(struct finding_subject){.host = s, .port = ctl});
			finding_param_bytes(nd->check, "raw", (const char *)data + off, len);
			finding_param_num(nd->check, "n", (double)(int8_t)ctl / 7.0);
			nd->level = (ctl >> 2) & 3;
			finding_set_level(nd->check, nd->level);
			nd->visible =
			    nd->level <= verbosity && (nd->parent < 0 || nodes[nd->parent].visible);
			visible += nd->visible;
			nnodes++;
			break;
		}
		case 2: {
			/* perfdata: the text as label, a value and ranges from the control byte */
			struct range w, c;
			char err[128];
			double v = (ctl & 1) ? NAN : (double)(int8_t)ctl / 3.0;
			bool hw = range_parse("10:20", &w, err, sizeof(err)) == 0 && (ctl & 2);
			bool hc = range_parse("@~:5.5", &c, err, sizeof(err)) == 0 && (ctl & 4);

			CHECK(output_perfdata(out, &(struct perfdata){.label = s,
								      .value = v,
								      .unknown = (ctl & 8) != 0,
								      .uom = uoms[ctl % 9],
								      .warn = hw ? &w : NULL,
								      .crit = hc ? &c : NULL,
								      .has_min = (ctl & 16) != 0,
								      .min = -1e300,
								      .has_max = (ctl & 32) != 0,
								      .max = INFINITY}) == 0);
			nperf++;
			break;
		}
		default:
			output_summary(out, "%s", s);
			break;
		}
		free(s);
		off += len + 1;
	}
	(void)output_worst_text(out);
	(void)output_count(out, STATE_OK);
	text = output_render(out);
	CHECK(text != NULL);
	for (i = 0; text[i] != '\0'; i++) {
		unsigned char c = (unsigned char)text[i];

		CHECK(c == '\n' || (c >= 0x20 && c < 0x7f));
	}
	CHECK(i > 0 && text[i - 1] == '\n');
	for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		size_t pipes = 0, k;

		for (k = 0; line[k] != '\0'; k++)
			pipes += line[k] == '|';
		if (first) {
			CHECK(strncmp(line, "FUZZ ", 5) == 0);
			CHECK(strstr(line, " - ") != NULL);
			CHECK(pipes == (nperf > 0 ? 1u : 0u));
			if (nperf > 0)
				CHECK(strstr(line, " | '") != NULL);
			first = false;
		} else {
			const char *p = line;

			CHECK(pipes == 0);
			while (strncmp(p, "    ", 4) == 0)
				p += 4;
			CHECK(strncmp(p, "[OK] ", 5) == 0 || strncmp(p, "[WARNING] ", 10) == 0 ||
			      strncmp(p, "[CRITICAL] ", 11) == 0 ||
			      strncmp(p, "[UNKNOWN] ", 10) == 0);
		}
		nlines++;
	}
	CHECK(nlines == 1 + visible);
	free(text);
	check_json(out, nnodes, nperf);
	output_free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t sizes[] = {0, 1, 3, 4, 5, 7, 8, 16, 64, 4200};
	static const size_t maxlens[] = {0, 1, 3, 10, 1024, 100000};
	size_t i, j;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		for (j = 0; j < sizeof(maxlens) / sizeof(maxlens[0]); j++)
			check_sanitize(data, size, sizes[i], maxlens[j]);
	check_render(data, size);
	return 0;
}
