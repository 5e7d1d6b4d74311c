/*
 * finding.c -- findings: typed verdicts in a tree (see finding.h).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "output.h"
#include "range.h"

/* Longest string parameter kept, in bytes (longer ones are cut). */
#define PARAM_MAX 1024

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

struct finding *
finding_vadd(struct output *out, struct finding *parent, state_t state, enum finding_code code,
	     const char *fmt, va_list ap)
{
	struct finding *f;

	if (parent == NULL)
		parent = output_root(out);
	f = calloc(1, sizeof(*f));
	if (f == NULL) {
		parent->oom = true;
		return NULL;
	}
	f->text = vformat(fmt, ap);
	if (f->text == NULL) {
		free(f);
		parent->oom = true;
		return NULL;
	}
	f->state = state;
	f->code = code;
	if (parent->last_child != NULL)
		parent->last_child->next = f;
	else
		parent->first_child = f;
	parent->last_child = f;
	return f;
}

struct finding *
finding_add(struct output *out, struct finding *parent, state_t state, enum finding_code code,
	    const char *fmt, ...)
{
	struct finding *f;
	va_list ap;

	va_start(ap, fmt);
	f = finding_vadd(out, parent, state, code, fmt, ap);
	va_end(ap);
	return f;
}

/* Replace *dst by a copy of src when src is given. */
static void
subject_field(struct finding *f, const char **dst, const char *src)
{
	char *copy;

	if (src == NULL)
		return;
	copy = strdup(src);
	if (copy == NULL) {
		f->oom = true;
		return;
	}
	free((char *)*dst);
	*dst = copy;
}

void
finding_subject(struct finding *f, const struct finding_subject *s)
{
	if (f == NULL || s == NULL)
		return;
	subject_field(f, &f->subject.domain, s->domain);
	subject_field(f, &f->subject.host, s->host);
	subject_field(f, &f->subject.address, s->address);
	if (s->port != 0)
		f->subject.port = s->port;
	subject_field(f, &f->subject.cert_type, s->cert_type);
	subject_field(f, &f->subject.tlsa, s->tlsa);
	subject_field(f, &f->subject.nameserver, s->nameserver);
	subject_field(f, &f->subject.zone, s->zone);
	subject_field(f, &f->subject.resolver, s->resolver);
	subject_field(f, &f->subject.name, s->name);
	subject_field(f, &f->subject.file, s->file);
}

static void
subject_clear(struct finding_subject *s)
{
	free((char *)s->domain);
	free((char *)s->host);
	free((char *)s->address);
	free((char *)s->cert_type);
	free((char *)s->tlsa);
	free((char *)s->nameserver);
	free((char *)s->zone);
	free((char *)s->resolver);
	free((char *)s->name);
	free((char *)s->file);
	memset(s, 0, sizeof(*s));
}

/* A new parameter slot for key, or NULL (f marked) when out of memory. */
static struct finding_param *
param_slot(struct finding *f, const char *key, enum finding_param_type type)
{
	struct finding_param *p;

	if (f->nparams == f->params_cap) {
		size_t cap = f->params_cap ? f->params_cap * 2 : 4;

		p = realloc(f->params, cap * sizeof(*p));
		if (p == NULL) {
			f->oom = true;
			return NULL;
		}
		f->params = p;
		f->params_cap = cap;
	}
	p = &f->params[f->nparams++];
	memset(p, 0, sizeof(*p));
	p->key = key;
	p->type = type;
	return p;
}

void
finding_param_bytes(struct finding *f, const char *key, const char *value, size_t len)
{
	struct finding_param *p;
	char *copy;

	if (f == NULL || value == NULL)
		return;
	if (len > PARAM_MAX)
		len = PARAM_MAX;
	copy = malloc(len + 1);
	if (copy == NULL) {
		f->oom = true;
		return;
	}
	memcpy(copy, value, len);
	copy[len] = '\0';
	p = param_slot(f, key, FINDING_PARAM_STRING);
	if (p == NULL) {
		free(copy);
		return;
	}
	p->string = copy;
	p->length = len;
}

void
finding_param_str(struct finding *f, const char *key, const char *value)
{
	if (value != NULL)
		finding_param_bytes(f, key, value, strlen(value));
}

void
finding_param_range(struct finding *f, const char *key, const struct range *r)
{
	char text[64];

	if (r == NULL)
		return;
	range_format(r, text, sizeof(text));
	finding_param_str(f, key, text);
}

void
finding_param_int(struct finding *f, const char *key, long long value)
{
	struct finding_param *p;

	if (f == NULL)
		return;
	p = param_slot(f, key, FINDING_PARAM_INTEGER);
	if (p != NULL)
		p->integer = value;
}

void
finding_param_num(struct finding *f, const char *key, double value)
{
	struct finding_param *p;

	if (f == NULL || !isfinite(value))
		return;
	p = param_slot(f, key, FINDING_PARAM_NUMBER);
	if (p != NULL)
		p->number = value;
}

void
finding_param_bool(struct finding *f, const char *key, bool value)
{
	struct finding_param *p;

	if (f == NULL)
		return;
	p = param_slot(f, key, FINDING_PARAM_BOOL);
	if (p != NULL)
		p->boolean = value;
}

void
finding_set_level(struct finding *f, int level)
{
	if (f != NULL)
		f->level = level;
}

void
finding_raise(struct finding *f, state_t state)
{
	if (f != NULL)
		f->state = state_worst(f->state, state);
}

state_t
finding_state(const struct finding *f)
{
	state_t s = f->state;
	const struct finding *c;

	for (c = f->first_child; c != NULL; c = c->next)
		s = state_worst(s, finding_state(c));
	return s;
}

const struct finding_param *
finding_param(const struct finding *f, const char *key)
{
	size_t i;

	if (f == NULL)
		return NULL;
	for (i = 0; i < f->nparams; i++)
		if (strcmp(f->params[i].key, key) == 0)
			return &f->params[i];
	return NULL;
}

bool
finding_tree_has(const struct finding *f, enum finding_code code)
{
	const struct finding *c;

	if (f->code == code)
		return true;
	for (c = f->first_child; c != NULL; c = c->next)
		if (finding_tree_has(c, code))
			return true;
	return false;
}

bool
finding_tree_oom(const struct finding *f)
{
	const struct finding *c;

	if (f->oom)
		return true;
	for (c = f->first_child; c != NULL; c = c->next)
		if (finding_tree_oom(c))
			return true;
	return false;
}

void
finding_root_init(struct finding *root)
{
	memset(root, 0, sizeof(*root));
	root->state = STATE_OK;
	root->code = FC_NONE;
}

/* Free f's own holdings (not the struct). */
static void
finding_clear_own(struct finding *f)
{
	size_t i;

	free(f->text);
	subject_clear(&f->subject);
	for (i = 0; i < f->nparams; i++)
		free(f->params[i].string);
	free(f->params);
}

void
finding_root_clear(struct finding *root)
{
	struct finding *c = root->first_child, *next;

	while (c != NULL) {
		next = c->next;
		finding_root_clear(c);
		free(c);
		c = next;
	}
	finding_clear_own(root);
	finding_root_init(root);
}
