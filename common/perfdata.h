/*
 * perfdata.h -- performance data as values (monitoring-plugins 3.x's
 * mp_perfdata): label, value, unit, warning and critical ranges, min and
 * max. A run collects them in its output (output_perfdata()) and they are
 * rendered at the end, as 'label'=value[UOM];warn;crit;min;max after the
 * status line's '|', or as objects in JSON.
 */
#ifndef DANE_PERFDATA_H
#define DANE_PERFDATA_H

#include <stdbool.h>
#include <stddef.h>

#include "range.h"

/**
 * One perfdata item, every field named: fields left out (zero, NULL, false)
 * are not printed. Write it as a compound literal: &(struct perfdata){.label
 * = "time", .value = t, .uom = "s", .has_min = true}. The output keeps a copy.
 */
struct perfdata {
	const char *label;        /* quoted and cleaned when printed */
	double value;             /* unless unknown */
	bool unknown;             /* the value is printed as "U" (JSON: null) */
	const char *uom;          /* NULL/"" for none; "s", "%", "B", "c", ... per the guidelines */
	const struct range *warn; /* NULL: no warning range */
	const struct range *crit; /* NULL: no critical range */
	bool has_min;             /* print min */
	double min;
	bool has_max; /* print max */
	double max;
};

/** A perfdata item as the output keeps it: the strings and ranges are its own. */
struct perfdata_item {
	char *label;
	double value;
	bool unknown;
	char uom[4]; /* a valid unit of the guidelines, or "" */
	struct range warn, crit;
	bool has_warn, has_crit;
	bool has_min, has_max;
	double min, max;
};

/** Copy pd into item (a unit the guidelines do not know is dropped). Returns 0 or -1 (memory). */
int perfdata_item_init(struct perfdata_item *item, const struct perfdata *pd);

/** Free what item holds. */
void perfdata_item_clear(struct perfdata_item *item);

/**
 * The label as printed inside the quotes and in JSON: '=', '|', control
 * characters and bytes >= 0x7f become '_' (quote is the character to double,
 * '\'' for the text format, 0 for none). Writes at most dstsize bytes.
 */
void perfdata_label_clean(const char *label, char quote, char *dst, size_t dstsize);

/**
 * One item in the plugin format, 'label'=value[UOM];warn;crit;min;max with
 * trailing empty fields dropped, into a malloc'd string (NULL: out of memory).
 */
char *perfdata_item_format(const struct perfdata_item *item);

#endif /* DANE_PERFDATA_H */
