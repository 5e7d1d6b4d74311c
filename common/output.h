/*
 * output.h -- the plugin result: a tree of subchecks with states, a status
 * line, detail lines and perfdata, printed once at the end of a run.
 *
 * Plugins never print directly: they fill a struct output and main() ends
 * with "return output_finish(out);". Every line that is printed goes through
 * the sanitizer, so text from the network can never forge a status line or
 * perfdata.
 */
#ifndef DANE_OUTPUT_H
#define DANE_OUTPUT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "range.h"

/** Plugin states, with the exit codes of the Monitoring Plugins guidelines. */
typedef enum {
	STATE_OK = 0,
	STATE_WARNING = 1,
	STATE_CRITICAL = 2,
	STATE_UNKNOWN = 3,
} state_t;

/** Longest line (status or detail) that is printed; longer ones are cut. */
#define OUTPUT_LINE_MAX 1024

struct output;
struct output_check;

/** Name of a state as printed ("OK", "WARNING", ...). */
const char *state_name(state_t state);

/**
 * Severity order used for "worst": OK < WARNING < UNKNOWN < CRITICAL.
 * Returns the worse of a and b.
 */
state_t state_worst(state_t a, state_t b);

/**
 * Create the result of one plugin run. service is the upper-case service name
 * printed first on the status line ("DANE_SMTP"). Returns NULL when out of
 * memory. Free with output_free() (output_finish() does it).
 */
struct output *output_new(const char *service);

/** Free an output and everything in it. NULL is allowed. */
void output_free(struct output *out);

/** Set how many -v were given: detail lines above this level are hidden. */
void output_set_verbosity(struct output *out, int verbosity);

/**
 * Add a subcheck under parent (NULL: top level) with a state and a
 * printf-style text. The text is sanitized when printed. Returns the new
 * node, or NULL when out of memory (the output then reports UNKNOWN).
 */
struct output_check *output_add(struct output *out, struct output_check *parent, state_t state,
				const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/** As output_add() with a va_list. */
struct output_check *output_vadd(struct output *out, struct output_check *parent, state_t state,
				 const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));

/**
 * Show this subcheck (and its children) only from the given number of -v on.
 * Its state still counts when it is hidden.
 */
void output_check_set_level(struct output_check *check, int level);

/** Raise a subcheck's own state to at least state. */
void output_check_raise(struct output_check *check, state_t state);

/** The state of a subcheck: the worst of its own and its children's. */
state_t output_check_state(const struct output_check *check);

/**
 * Set the summary printed after "SERVICE STATE - ". Without one, the text of
 * the first worst top-level subcheck is used.
 */
void output_summary(struct output *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/**
 * One perfdata item (monitoring-plugins 3.x's mp_perfdata), every field
 * named: fields left out (zero, NULL, false) are not printed. Write it as a
 * compound literal: &(struct output_perfdata){.label = "time", .value = t,
 * .uom = "s", .has_min = true}.
 */
struct output_perfdata {
	const char *label;        /* quoted and cleaned when printed */
	double value;             /* unless unknown */
	bool unknown;             /* the value is printed as "U" */
	const char *uom;          /* NULL/"" for none; "s", "%", "B", "c", ... per the guidelines */
	const struct range *warn; /* NULL: no warning range */
	const struct range *crit; /* NULL: no critical range */
	bool has_min;             /* print min */
	double min;
	bool has_max; /* print max */
	double max;
};

/** Add a perfdata item. Returns 0, or -1 when out of memory. */
int output_perfdata(struct output *out, const struct output_perfdata *pd);

/**
 * Replace the whole result by literal text (for --help and --version): it is
 * printed as it is and the plugin exits with UNKNOWN (3).
 */
void output_text(struct output *out, const char *text);

/**
 * Report a problem of the plugin itself (bad arguments, out of memory):
 * adds an UNKNOWN subcheck and makes it the summary.
 */
void output_unknown(struct output *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/**
 * The text of the first top-level subcheck in the worst state (what the
 * summary defaults to), or "no result". Valid until the output changes.
 */
const char *output_worst_text(const struct output *out);

/**
 * Where the worst state comes from: *top is the text of the first top-level
 * subcheck in the worst state, *leaf the text of the deepest subcheck below
 * it (worst-first, depth-first) that has no child in that state; both are
 * the same for a top-level subcheck without such children. Texts are valid
 * until the output changes; "no result" when there is nothing.
 */
void output_worst_path(const struct output *out, const char **top, const char **leaf);

/** Number of top-level subchecks whose state is state. */
size_t output_count(const struct output *out, state_t state);

/** The overall state: the worst subcheck, UNKNOWN if nothing was added. */
state_t output_state(const struct output *out);

/**
 * Write the result to a buffer: the status line, perfdata, detail lines
 * (worst first). Returns a malloc'd NUL-terminated string, or NULL when out
 * of memory.
 */
char *output_render(const struct output *out);

/**
 * Print the result on stdout, free the output and return the exit code
 * (the overall state). main() ends with "return output_finish(out);".
 * out may be NULL (out of memory at start): prints an UNKNOWN line.
 */
int output_finish(struct output *out);

#endif /* DANE_OUTPUT_H */
