/*
 * output.h -- the result of a plugin run: a tree of findings (finding.h), a
 * summary, perfdata (perfdata.h), rendered once at the end as the plugin's
 * text (status line, perfdata, detail lines) or as one JSON document.
 *
 * Plugins never print directly: they fill a struct output and main() ends
 * with "return output_finish(out);". Every string that is printed goes
 * through the sanitizer, in either format, so text from the network can
 * never forge a status line, perfdata or a JSON member.
 *
 * The text format (--output-format=multi-line, the default):
 *
 *	SERVICE STATE - summary | 'label'=value[UOM];warn;crit;min;max ...
 *	[STATE] finding text
 *	    [STATE] a finding below it
 *
 * The JSON format (--output-format=json) is described in README.md ("JSON
 * output") and docs/findings.schema.json.
 */
#ifndef DANE_OUTPUT_H
#define DANE_OUTPUT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "finding.h"
#include "perfdata.h"
#include "range.h"
#include "state.h"

/** Longest line (status or detail) that is printed; longer ones are cut. */
#define OUTPUT_LINE_MAX 1024

/** How the result is printed. */
enum output_format {
	OUTPUT_MULTI_LINE = 0, /* the plugin text of the Monitoring Plugins guidelines */
	OUTPUT_JSON,           /* one JSON object */
};

struct output;

/**
 * Make the result of one plugin run. service is the upper-case service name
 * printed first on the status line ("DANE_SMTP"). Returns NULL when out of
 * memory. Free with output_free() (output_finish() does it).
 */
struct output *output_new(const char *service);

/** Free an output and everything in it. NULL is allowed. */
void output_free(struct output *out);

/** Set how many -v were given: text lines above this level are hidden. */
void output_set_verbosity(struct output *out, int verbosity);

/** Set the format the result is rendered in (default OUTPUT_MULTI_LINE). */
void output_set_format(struct output *out, enum output_format format);

/** The format the result is rendered in. */
enum output_format output_get_format(const struct output *out);

/** The service name of the status line. */
const char *output_service(const struct output *out);

/** The root of the tree: its children are the top-level findings. */
struct finding *output_root(struct output *out);

/** The root of the tree, read-only. */
const struct finding *output_root_const(const struct output *out);

/**
 * Set the summary printed after "SERVICE STATE - ". Without one, the text of
 * the first worst top-level finding is used.
 */
void output_summary(struct output *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** The summary as it will be printed (unsanitized): the one set, or the default. */
const char *output_summary_text(const struct output *out);

/** Add a perfdata item (copied). Returns 0, or -1 when out of memory. */
int output_perfdata(struct output *out, const struct perfdata *pd);

/** The perfdata items added so far, in order; *n is their number. */
const struct perfdata_item *output_perfdata_items(const struct output *out, size_t *n);

/**
 * Replace the whole result by literal text (for --help and --version): it is
 * printed as it is (in JSON: as the member "text") and the plugin exits
 * with UNKNOWN (3).
 */
void output_text(struct output *out, const char *text);

/** The literal text of output_text(), or NULL. */
const char *output_literal_text(const struct output *out);

/**
 * Report a problem that ends the run before any verdict (bad arguments, out
 * of memory): adds an UNKNOWN finding with code and makes it the summary.
 * Returns the finding (NULL when out of memory).
 */
struct finding *output_unknown(struct output *out, enum finding_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/**
 * The text of the first top-level finding in the worst state (what the
 * summary defaults to), or "no result". Valid until the output changes.
 */
const char *output_worst_text(const struct output *out);

/**
 * Where the worst state comes from: *top is the text of the first top-level
 * finding in the worst state, *leaf the text of the deepest finding below
 * it (worst-first, depth-first) that has no child in that state; both are
 * the same for a top-level finding without such children. Texts are valid
 * until the output changes; "no result" when there is nothing.
 */
void output_worst_path(const struct output *out, const char **top, const char **leaf);

/** Number of top-level findings whose state is state. */
size_t output_count(const struct output *out, state_t state);

/** Is the result broken by a lack of memory (it then renders as UNKNOWN)? */
bool output_oom(const struct output *out);

/** The overall state: the worst finding, UNKNOWN if nothing was added. */
state_t output_state(const struct output *out);

/**
 * Render the result in its format: the text (status line, perfdata, detail
 * lines worst first), or the JSON document and a newline. Returns a malloc'd
 * NUL-terminated string, or NULL when out of memory.
 */
char *output_render(const struct output *out);

/** Render as text whatever the format (see output_render()). */
char *output_render_text(const struct output *out);

/** Render as JSON whatever the format (output_json.c; see output_render()). */
char *output_render_json(const struct output *out);

/**
 * Print the result on stdout, free the output and return the exit code
 * (the overall state). main() ends with "return output_finish(out);".
 * out may be NULL (out of memory at start): prints an UNKNOWN line.
 */
int output_finish(struct output *out);

#endif /* DANE_OUTPUT_H */
