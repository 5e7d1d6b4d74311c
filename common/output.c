/*
 * output.c -- the plugin result: subcheck tree, status line, perfdata.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "text.h"

struct output_check {
	state_t state;
	char *text;
	int level; /* shown from this many -v on */
	struct output_check *first_child, *last_child, *next;
};

struct output {
	char service[64];
	int verbosity;
	struct output_check root; /* its children are the top-level subchecks */
	char *summary;
	char *perf; /* rendered perfdata items, space separated */
	size_t perf_len;
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

const char *
state_name(state_t state)
{
	switch (state) {
	case STATE_OK:
		return "OK";
	case STATE_WARNING:
		return "WARNING";
	case STATE_CRITICAL:
		return "CRITICAL";
	case STATE_UNKNOWN:
	default:
		return "UNKNOWN";
	}
}

static int
state_rank(state_t s)
{
	switch (s) {
	case STATE_OK:
		return 0;
	case STATE_WARNING:
		return 1;
	case STATE_UNKNOWN:
		return 2;
	case STATE_CRITICAL:
	default:
		return 3;
	}
}

state_t
state_worst(state_t a, state_t b)
{
	return state_rank(a) >= state_rank(b) ? a : b;
}

struct output *
output_new(const char *service)
{
	struct output *out = calloc(1, sizeof(*out));

	if (out == NULL)
		return NULL;
	snprintf(out->service, sizeof(out->service), "%s", service);
	out->root.state = STATE_OK;
	return out;
}

static void
check_free_children(struct output_check *c)
{
	struct output_check *child = c->first_child, *next;

	while (child != NULL) {
		next = child->next;
		check_free_children(child);
		free(child->text);
		free(child);
		child = next;
	}
	c->first_child = c->last_child = NULL;
}

void
output_free(struct output *out)
{
	if (out == NULL)
		return;
	check_free_children(&out->root);
	free(out->summary);
	free(out->perf);
	free(out->text);
	free(out);
}

void
output_set_verbosity(struct output *out, int verbosity)
{
	out->verbosity = verbosity;
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

struct output_check *
output_vadd(struct output *out, struct output_check *parent, state_t state, const char *fmt,
	    va_list ap)
{
	struct output_check *c;

	if (parent == NULL)
		parent = &out->root;
	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		out->oom = true;
		return NULL;
	}
	c->text = vformat(fmt, ap);
	if (c->text == NULL) {
		free(c);
		out->oom = true;
		return NULL;
	}
	c->state = state;
	if (parent->last_child != NULL)
		parent->last_child->next = c;
	else
		parent->first_child = c;
	parent->last_child = c;
	return c;
}

struct output_check *
output_add(struct output *out, struct output_check *parent, state_t state, const char *fmt, ...)
{
	struct output_check *c;
	va_list ap;

	va_start(ap, fmt);
	c = output_vadd(out, parent, state, fmt, ap);
	va_end(ap);
	return c;
}

void
output_check_set_level(struct output_check *check, int level)
{
	if (check != NULL)
		check->level = level;
}

void
output_check_raise(struct output_check *check, state_t state)
{
	if (check != NULL)
		check->state = state_worst(check->state, state);
}

state_t
output_check_state(const struct output_check *check)
{
	state_t s = check->state;
	const struct output_check *child;

	for (child = check->first_child; child != NULL; child = child->next)
		s = state_worst(s, output_check_state(child));
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

/*
 * Perfdata label: always quoted; a quote is written twice as the guidelines
 * say; '=' , '|' and control characters would break parsers and become '_'.
 */
static void
buf_put_label(struct buf *b, const char *label)
{
	const unsigned char *p;

	buf_puts(b, "'");
	for (p = (const unsigned char *)label; *p != '\0'; p++) {
		if (*p == '\'')
			buf_puts(b, "''");
		else if (*p == '=' || *p == '|' || *p < 0x20 || *p >= 0x7f)
			buf_puts(b, "_");
		else
			buf_append(b, (const char *)p, 1);
	}
	buf_puts(b, "'");
}

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
output_perfdata(struct output *out, const struct output_perfdata *pd)
{
	const char *uom = pd->uom;
	struct buf b = {0};
	char num[64];
	char *p;

	if (uom == NULL || !uom_valid(uom))
		uom = "";
	buf_put_label(&b, pd->label);
	buf_puts(&b, "=");
	if (pd->unknown) {
		buf_puts(&b, "U");
	} else {
		range_format_number(num, sizeof(num), pd->value);
		buf_puts(&b, num);
		buf_puts(&b, uom);
	}
	buf_puts(&b, ";");
	if (pd->warn != NULL) {
		range_format(pd->warn, num, sizeof(num));
		buf_puts(&b, num);
	}
	buf_puts(&b, ";");
	if (pd->crit != NULL) {
		range_format(pd->crit, num, sizeof(num));
		buf_puts(&b, num);
	}
	buf_puts(&b, ";");
	if (pd->has_min) {
		range_format_number(num, sizeof(num), pd->min);
		buf_puts(&b, num);
	}
	buf_puts(&b, ";");
	if (pd->has_max) {
		range_format_number(num, sizeof(num), pd->max);
		buf_puts(&b, num);
	}
	/* Trailing empty fields are optional: drop them. */
	while (b.len > 0 && b.data[b.len - 1] == ';')
		b.data[--b.len] = '\0';
	if (b.oom) {
		free(b.data);
		out->oom = true;
		return -1;
	}
	p = realloc(out->perf, out->perf_len + b.len + 2);
	if (p == NULL) {
		free(b.data);
		out->oom = true;
		return -1;
	}
	out->perf = p;
	if (out->perf_len > 0)
		out->perf[out->perf_len++] = ' ';
	memcpy(out->perf + out->perf_len, b.data, b.len + 1);
	out->perf_len += b.len;
	free(b.data);
	return 0;
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

void
output_unknown(struct output *out, const char *fmt, ...)
{
	va_list ap;
	struct output_check *c;

	va_start(ap, fmt);
	c = output_vadd(out, NULL, STATE_UNKNOWN, fmt, ap);
	va_end(ap);
	if (c != NULL)
		output_summary(out, "%s", c->text);
}

state_t
output_state(const struct output *out)
{
	if (out->oom || out->text != NULL || out->root.first_child == NULL)
		return STATE_UNKNOWN;
	return output_check_state(&out->root);
}

/* Render children of c, worst state first (stable), indented by depth. */
static void
render_children(const struct output *out, struct buf *b, const struct output_check *c, int depth)
{
	static const state_t order[] = {STATE_CRITICAL, STATE_UNKNOWN, STATE_WARNING, STATE_OK};
	const struct output_check *child;
	size_t i;
	int d;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		for (child = c->first_child; child != NULL; child = child->next) {
			state_t s = output_check_state(child);

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

/* The text of the first top-level subcheck in the worst state. */
static const char *
default_summary(const struct output *out, state_t worst)
{
	const struct output_check *c;

	for (c = out->root.first_child; c != NULL; c = c->next)
		if (output_check_state(c) == worst)
			return c->text;
	return "no result";
}

const char *
output_worst_text(const struct output *out)
{
	return default_summary(out, output_check_state(&out->root));
}

void
output_worst_path(const struct output *out, const char **top, const char **leaf)
{
	state_t worst = output_check_state(&out->root);
	const struct output_check *c, *child;

	*top = *leaf = "no result";
	for (c = out->root.first_child; c != NULL; c = c->next)
		if (output_check_state(c) == worst)
			break;
	if (c == NULL)
		return;
	*top = *leaf = c->text;
	for (;;) {
		for (child = c->first_child; child != NULL; child = child->next)
			if (output_check_state(child) == worst)
				break;
		if (child == NULL)
			return;
		c = child;
		*leaf = c->text;
	}
}

size_t
output_count(const struct output *out, state_t state)
{
	const struct output_check *c;
	size_t n = 0;

	for (c = out->root.first_child; c != NULL; c = c->next)
		if (output_check_state(c) == state)
			n++;
	return n;
}

char *
output_render(const struct output *out)
{
	struct buf b = {0};
	state_t st = output_state(out);

	if (out->text != NULL && !out->oom) {
		buf_puts(&b, out->text);
		if (b.len > 0 && b.data[b.len - 1] != '\n')
			buf_puts(&b, "\n");
	} else {
		buf_put_clean(&b, out->service);
		buf_puts(&b, " ");
		buf_puts(&b, state_name(st));
		buf_puts(&b, " - ");
		if (out->oom)
			buf_puts(&b, "out of memory");
		else
			buf_put_clean(&b, out->summary ? out->summary : default_summary(out, st));
		if (out->perf_len > 0 && !out->oom) {
			buf_puts(&b, " | ");
			buf_puts(&b, out->perf);
		}
		buf_puts(&b, "\n");
		if (!out->oom)
			render_children(out, &b, &out->root, 0);
	}
	if (b.oom) {
		free(b.data);
		return NULL;
	}
	return b.data;
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
