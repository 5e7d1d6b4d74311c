/*
 * output.c -- the result of a run: findings, summary, perfdata, and the text
 * rendering (output_json.c renders JSON).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "text.h"

struct output {
	char service[64];
	int verbosity;
	enum output_format format;
	struct finding root; /* its children are the top-level findings */
	char *summary;
	struct perfdata_item *perf;
	size_t nperf, perf_cap;
	char *text; /* literal text (--help, --version) */
	bool oom;
};

/* A growing string for rendering. */
struct buf {
	char *data;
	size_t len, cap;
	bool oom;
};

static void
buf_append(struct buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *p;

		while (b->len + n + 1 > cap)
			cap *= 2;
		p = realloc(b->data, cap);
		if (p == NULL) {
			b->oom = true;
			return;
		}
		b->data = p;
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static void
buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

/* Append text after sanitizing it (every printed line goes through this). */
static void
buf_put_clean(struct buf *b, const char *s)
{
	char clean[OUTPUT_LINE_MAX * 4 + 8];

	text_sanitize(clean, sizeof(clean), s, strlen(s), OUTPUT_LINE_MAX, TEXT_ESCAPE);
	buf_puts(b, clean);
}

struct output *
output_new(const char *service)
{
	struct output *out = calloc(1, sizeof(*out));

	if (out == NULL)
		return NULL;
	snprintf(out->service, sizeof(out->service), "%s", service);
	finding_root_init(&out->root);
	return out;
}

void
output_free(struct output *out)
{
	size_t i;

	if (out == NULL)
		return;
	finding_root_clear(&out->root);
	free(out->summary);
	for (i = 0; i < out->nperf; i++)
		perfdata_item_clear(&out->perf[i]);
	free(out->perf);
	free(out->text);
	free(out);
}

void
output_set_verbosity(struct output *out, int verbosity)
{
	out->verbosity = verbosity;
}

void
output_set_format(struct output *out, enum output_format format)
{
	out->format = format;
}

enum output_format
output_get_format(const struct output *out)
{
	return out->format;
}

const char *
output_service(const struct output *out)
{
	return out->service;
}

struct finding *
output_root(struct output *out)
{
	return &out->root;
}

const struct finding *
output_root_const(const struct output *out)
{
	return &out->root;
}

static char *
vformat(const char *fmt, va_list ap)
{
	va_list copy;
	int n;
	char *s;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		return NULL;
	s = malloc((size_t)n + 1);
	if (s == NULL)
		return NULL;
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

void
output_summary(struct output *out, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = vformat(fmt, ap);
	va_end(ap);
	if (s == NULL) {
		out->oom = true;
		return;
	}
	free(out->summary);
	out->summary = s;
}

int
output_perfdata(struct output *out, const struct perfdata *pd)
{
	if (out->nperf == out->perf_cap) {
		size_t cap = out->perf_cap ? out->perf_cap * 2 : 8;
		struct perfdata_item *p = realloc(out->perf, cap * sizeof(*p));

		if (p == NULL) {
			out->oom = true;
			return -1;
		}
		out->perf = p;
		out->perf_cap = cap;
	}
	if (perfdata_item_init(&out->perf[out->nperf], pd) != 0) {
		out->oom = true;
		return -1;
	}
	out->nperf++;
	return 0;
}

const struct perfdata_item *
output_perfdata_items(const struct output *out, size_t *n)
{
	*n = out->nperf;
	return out->perf;
}

void
output_text(struct output *out, const char *text)
{
	char *s = strdup(text);

	if (s == NULL) {
		out->oom = true;
		return;
	}
	free(out->text);
	out->text = s;
}

const char *
output_literal_text(const struct output *out)
{
	return out->text;
}

struct finding *
output_unknown(struct output *out, enum finding_code code, const char *fmt, ...)
{
	va_list ap;
	struct finding *f;

	va_start(ap, fmt);
	f = finding_vadd(out, NULL, STATE_UNKNOWN, code, fmt, ap);
	va_end(ap);
	if (f != NULL)
		output_summary(out, "%s", f->text);
	return f;
}

bool
output_oom(const struct output *out)
{
	return out->oom || finding_tree_oom(&out->root);
}

state_t
output_state(const struct output *out)
{
	if (output_oom(out) || out->text != NULL || out->root.first_child == NULL)
		return STATE_UNKNOWN;
	return finding_state(&out->root);
}

/* Render children of f, worst state first (stable), indented by depth. */
static void
render_children(const struct output *out, struct buf *b, const struct finding *f, int depth)
{
	static const state_t order[] = {STATE_CRITICAL, STATE_UNKNOWN, STATE_WARNING, STATE_OK};
	const struct finding *child;
	size_t i;
	int d;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		for (child = f->first_child; child != NULL; child = child->next) {
			state_t s = finding_state(child);

			if (s != order[i] || child->level > out->verbosity)
				continue;
			for (d = 0; d < depth; d++)
				buf_puts(b, "    ");
			buf_puts(b, "[");
			buf_puts(b, state_name(s));
			buf_puts(b, "] ");
			buf_put_clean(b, child->text);
			buf_puts(b, "\n");
			render_children(out, b, child, depth + 1);
		}
	}
}

/* The text of the first top-level finding in the worst state. */
static const char *
default_summary(const struct output *out, state_t worst)
{
	const struct finding *f;

	for (f = out->root.first_child; f != NULL; f = f->next)
		if (finding_state(f) == worst)
			return f->text;
	return "no result";
}

const char *
output_worst_text(const struct output *out)
{
	return default_summary(out, finding_state(&out->root));
}

const char *
output_summary_text(const struct output *out)
{
	if (out->summary != NULL)
		return out->summary;
	return default_summary(out, output_state(out));
}

void
output_worst_path(const struct output *out, const char **top, const char **leaf)
{
	state_t worst = finding_state(&out->root);
	const struct finding *f, *child;

	*top = *leaf = "no result";
	for (f = out->root.first_child; f != NULL; f = f->next)
		if (finding_state(f) == worst)
			break;
	if (f == NULL)
		return;
	*top = *leaf = f->text;
	for (;;) {
		for (child = f->first_child; child != NULL; child = child->next)
			if (finding_state(child) == worst)
				break;
		if (child == NULL)
			return;
		f = child;
		*leaf = f->text;
	}
}

size_t
output_count(const struct output *out, state_t state)
{
	const struct finding *f;
	size_t n = 0;

	for (f = out->root.first_child; f != NULL; f = f->next)
		if (finding_state(f) == state)
			n++;
	return n;
}

char *
output_render_text(const struct output *out)
{
	struct buf b = {0};
	state_t st = output_state(out);
	bool oom = output_oom(out);
	size_t i;

	if (out->text != NULL && !oom) {
		buf_puts(&b, out->text);
		if (b.len > 0 && b.data[b.len - 1] != '\n')
			buf_puts(&b, "\n");
	} else {
		buf_put_clean(&b, out->service);
		buf_puts(&b, " ");
		buf_puts(&b, state_name(st));
		buf_puts(&b, " - ");
		if (oom)
			buf_puts(&b, "out of memory");
		else
			buf_put_clean(&b, output_summary_text(out));
		for (i = 0; i < out->nperf && !oom; i++) {
			char *item = perfdata_item_format(&out->perf[i]);

			if (item == NULL) {
				b.oom = true;
				break;
			}
			buf_puts(&b, i == 0 ? " | " : " ");
			buf_puts(&b, item);
			free(item);
		}
		buf_puts(&b, "\n");
		if (!oom)
			render_children(out, &b, &out->root, 0);
	}
	if (b.oom) {
		free(b.data);
		return NULL;
	}
	return b.data;
}

char *
output_render(const struct output *out)
{
	if (out->format == OUTPUT_JSON)
		return output_render_json(out);
	return output_render_text(out);
}

int
output_finish(struct output *out)
{
	char *text;
	state_t st;

	if (out == NULL) {
		fputs("UNKNOWN - out of memory\n", stdout);
		fflush(stdout);
		return STATE_UNKNOWN;
	}
	st = output_state(out);
	text = output_render(out);
	if (text == NULL) {
		if (out->format == OUTPUT_JSON)
			printf("{\"service\":\"%s\",\"state\":\"UNKNOWN\",\"exit_code\":3,"
			       "\"summary\":\"out of memory\",\"findings\":[],\"perfdata\":[]}\n",
			       out->service);
		else
			printf("%s UNKNOWN - out of memory\n", out->service);
		st = STATE_UNKNOWN;
	} else {
		fputs(text, stdout);
	}
	fflush(stdout);
	free(text);
	output_free(out);
	return (int)st;
}
