/*
 * output_json.c -- the result of a run as one JSON document (jansson).
 *
 * Every string goes through the same sanitizer as the text format (printable
 * ASCII, control bytes and '|' escaped as \xNN, at most OUTPUT_LINE_MAX
 * bytes), so the document is valid UTF-8 whatever the network sent; jansson
 * does the JSON escaping. The members are documented in README.md ("JSON
 * output") and docs/findings.schema.json.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "output.h"
#include "text.h"

/** The version of the document's shape; raised only for incompatible changes. */
#define OUTPUT_JSON_SCHEMA 1

/* Does json_object_set_new() fail? It frees the value either way. */
static bool
set(json_t *obj, const char *key, json_t *value)
{
	return value == NULL || json_object_set_new(obj, key, value) != 0;
}

/* A sanitized, bounded JSON string of s (NULL: NULL). */
static json_t *
clean_string_n(const char *s, size_t len)
{
	char clean[OUTPUT_LINE_MAX * 4 + 8];

	if (s == NULL)
		return NULL;
	text_sanitize(clean, sizeof(clean), s, len, OUTPUT_LINE_MAX, TEXT_ESCAPE);
	return json_string(clean);
}

static json_t *
clean_string(const char *s)
{
	return s == NULL ? NULL : clean_string_n(s, strlen(s));
}

/* Add a sanitized string member when s is given. Returns false on failure. */
static bool
put_string(json_t *obj, const char *key, const char *s)
{
	if (s == NULL)
		return true;
	return !set(obj, key, clean_string(s));
}

/* A number: an integer when it is one (and exact), else a real. */
static json_t *
number(double v)
{
	if (!isfinite(v))
		return json_null();
	if (v == floor(v) && fabs(v) < 9007199254740992.0)
		return json_integer((json_int_t)v);
	return json_real(v);
}

static json_t *
subject_json(const struct finding_subject *s)
{
	json_t *o = json_object();
	bool ok;

	if (o == NULL)
		return NULL;
	ok = put_string(o, "domain", s->domain) && put_string(o, "host", s->host) &&
	     put_string(o, "address", s->address) &&
	     (s->port == 0 || !set(o, "port", json_integer(s->port))) &&
	     put_string(o, "cert_type", s->cert_type) && put_string(o, "tlsa", s->tlsa) &&
	     put_string(o, "nameserver", s->nameserver) && put_string(o, "zone", s->zone) &&
	     put_string(o, "resolver", s->resolver) && put_string(o, "name", s->name) &&
	     put_string(o, "file", s->file);
	if (!ok) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *
param_value(const struct finding_param *p)
{
	switch (p->type) {
	case FINDING_PARAM_STRING:
		return clean_string_n(p->string, p->length);
	case FINDING_PARAM_INTEGER:
		return json_integer((json_int_t)p->integer);
	case FINDING_PARAM_NUMBER:
		return number(p->number);
	case FINDING_PARAM_BOOL:
	default:
		return json_boolean(p->boolean);
	}
}

static json_t *
params_json(const struct finding *f)
{
	json_t *o = json_object();
	size_t i;

	if (o == NULL)
		return NULL;
	for (i = 0; i < f->nparams; i++) {
		if (set(o, f->params[i].key, param_value(&f->params[i]))) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

static json_t *findings_json(const struct finding *parent);

static json_t *
finding_json(const struct finding *f)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	if (set(o, "state", json_string(state_name(finding_state(f)))) ||
	    set(o, "code", json_string(finding_code_name(f->code))) ||
	    set(o, "subject", subject_json(&f->subject)) || set(o, "params", params_json(f)) ||
	    set(o, "text", clean_string(f->text)) || set(o, "level", json_integer(f->level)) ||
	    set(o, "findings", findings_json(f))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* The children of parent, worst first as in the text (stable). */
static json_t *
findings_json(const struct finding *parent)
{
	static const state_t order[] = {STATE_CRITICAL, STATE_UNKNOWN, STATE_WARNING, STATE_OK};
	const struct finding *c;
	json_t *a = json_array();
	size_t i;

	if (a == NULL)
		return NULL;
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		for (c = parent->first_child; c != NULL; c = c->next)
			if (finding_state(c) == order[i] &&
			    json_array_append_new(a, finding_json(c)) != 0) {
				json_decref(a);
				return NULL;
			}
	return a;
}

static json_t *
range_json(const struct range *r)
{
	char text[96];

	range_format(r, text, sizeof(text));
	return json_string(text);
}

static json_t *
perfdata_json(const struct output *out)
{
	const struct perfdata_item *items;
	json_t *a = json_array();
	size_t i, n;

	if (a == NULL)
		return NULL;
	items = output_perfdata_items(out, &n);
	for (i = 0; i < n; i++) {
		const struct perfdata_item *p = &items[i];
		char label[OUTPUT_LINE_MAX + 1];
		json_t *o = json_object();

		perfdata_label_clean(p->label, 0, label, sizeof(label));
		if (o == NULL || set(o, "label", json_string(label)) ||
		    set(o, "value", p->unknown ? json_null() : number(p->value)) ||
		    (p->uom[0] != '\0' && set(o, "uom", json_string(p->uom))) ||
		    (p->has_warn && set(o, "warn", range_json(&p->warn))) ||
		    (p->has_crit && set(o, "crit", range_json(&p->crit))) ||
		    (p->has_min && set(o, "min", number(p->min))) ||
		    (p->has_max && set(o, "max", number(p->max)))) {
			json_decref(o);
			json_decref(a);
			return NULL;
		}
		if (json_array_append_new(a, o) != 0) { /* it freed o */
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

char *
output_render_json(const struct output *out)
{
	state_t st = output_state(out);
	const char *text = output_literal_text(out);
	json_t *doc = json_object();
	char *s = NULL, *line;
	bool oom = output_oom(out);
	size_t len;

	if (doc == NULL)
		return NULL;
	if (set(doc, "schema_version", json_integer(OUTPUT_JSON_SCHEMA)) ||
	    set(doc, "service", clean_string(output_service(out))) ||
	    set(doc, "state", json_string(state_name(st))) ||
	    set(doc, "exit_code", json_integer((int)st)))
		goto out;
	if (oom) {
		if (set(doc, "summary", json_string("out of memory")) ||
		    set(doc, "findings", json_array()) || set(doc, "perfdata", json_array()))
			goto out;
	} else if (text != NULL) {
		/* --help, --version: the first line as the summary, the whole as "text" */
		len = strcspn(text, "\n");
		if (set(doc, "summary", clean_string_n(text, len)) ||
		    set(doc, "findings", json_array()) || set(doc, "perfdata", json_array()) ||
		    set(doc, "text", json_string(text)))
			goto out;
	} else if (set(doc, "summary", clean_string(output_summary_text(out))) ||
		   set(doc, "findings", findings_json(output_root_const(out))) ||
		   set(doc, "perfdata", perfdata_json(out))) {
		goto out;
	}
	line = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
	if (line != NULL) {
		len = strlen(line);
		s = malloc(len + 2);
		if (s != NULL) {
			memcpy(s, line, len);
			s[len] = '\n';
			s[len + 1] = '\0';
		}
		free(line);
	}
out:
	json_decref(doc);
	return s;
}
