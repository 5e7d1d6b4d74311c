/*
 * perfdata.c -- perfdata items: copies, and the plugin format.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perfdata.h"

/* Units allowed by the guidelines (and a few common ones); others are dropped. */
static bool
uom_valid(const char *uom)
{
	static const char *const valid[] = {"",   "s",  "ms", "us", "%", "B",
					    "KB", "MB", "GB", "TB", "c", "d"};
	size_t i;

	for (i = 0; i < sizeof(valid) / sizeof(valid[0]); i++)
		if (strcmp(uom, valid[i]) == 0)
			return true;
	return false;
}

int
perfdata_item_init(struct perfdata_item *item, const struct perfdata *pd)
{
	memset(item, 0, sizeof(*item));
	item->label = strdup(pd->label != NULL ? pd->label : "");
	if (item->label == NULL)
		return -1;
	item->value = pd->value;
	item->unknown = pd->unknown;
	if (pd->uom != NULL && uom_valid(pd->uom))
		snprintf(item->uom, sizeof(item->uom), "%s", pd->uom);
	if (pd->warn != NULL) {
		item->warn = *pd->warn;
		item->has_warn = true;
	}
	if (pd->crit != NULL) {
		item->crit = *pd->crit;
		item->has_crit = true;
	}
	item->has_min = pd->has_min;
	item->min = pd->min;
	item->has_max = pd->has_max;
	item->max = pd->max;
	return 0;
}

void
perfdata_item_clear(struct perfdata_item *item)
{
	free(item->label);
	memset(item, 0, sizeof(*item));
}

void
perfdata_label_clean(const char *label, char quote, char *dst, size_t dstsize)
{
	const unsigned char *p;
	size_t o = 0;

	if (dstsize == 0)
		return;
	for (p = (const unsigned char *)label; *p != '\0' && o + 1 < dstsize; p++) {
		if (quote != 0 && *p == (unsigned char)quote) {
			if (o + 2 >= dstsize)
				break;
			dst[o++] = (char)*p;
			dst[o++] = (char)*p;
		} else if (*p == '=' || *p == '|' || *p < 0x20 || *p >= 0x7f) {
			dst[o++] = '_';
		} else {
			dst[o++] = (char)*p;
		}
	}
	dst[o] = '\0';
}

char *
perfdata_item_format(const struct perfdata_item *item)
{
	size_t size = 2 * strlen(item->label) + 256;
	char *s = malloc(size), num[64];
	size_t o;

	if (s == NULL)
		return NULL;
	s[0] = '\'';
	perfdata_label_clean(item->label, '\'', s + 1, size - 200);
	o = strlen(s);
	o += (size_t)snprintf(s + o, size - o, "'=");
	if (item->unknown) {
		o += (size_t)snprintf(s + o, size - o, "U");
	} else {
		range_format_number(num, sizeof(num), item->value);
		o += (size_t)snprintf(s + o, size - o, "%s%s", num, item->uom);
	}
	o += (size_t)snprintf(s + o, size - o, ";");
	if (item->has_warn) {
		range_format(&item->warn, num, sizeof(num));
		o += (size_t)snprintf(s + o, size - o, "%s", num);
	}
	o += (size_t)snprintf(s + o, size - o, ";");
	if (item->has_crit) {
		range_format(&item->crit, num, sizeof(num));
		o += (size_t)snprintf(s + o, size - o, "%s", num);
	}
	o += (size_t)snprintf(s + o, size - o, ";");
	if (item->has_min) {
		range_format_number(num, sizeof(num), item->min);
		o += (size_t)snprintf(s + o, size - o, "%s", num);
	}
	o += (size_t)snprintf(s + o, size - o, ";");
	if (item->has_max) {
		range_format_number(num, sizeof(num), item->max);
		o += (size_t)snprintf(s + o, size - o, "%s", num);
	}
	/* Trailing empty fields are optional: drop them. */
	while (o > 0 && s[o - 1] == ';')
		s[--o] = '\0';
	return s;
}
