/*
 * test_output.c -- the status line, detail lines, perfdata and sanitizer:
 * the contract with Icinga/Nagios.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "output.h"
#include "range.h"
#include "testdata.h"
#include "text.h"

/* Output mechanics do not depend on the code: any code of the table will do. */
#define ANY FC_PLUGIN_USAGE

/* Render and free; the caller frees the text. */
static char *
render(struct output *out)
{
	char *text = output_render(out);

	ck_assert_ptr_nonnull(text);
	return text;
}

static size_t
count_lines(const char *text)
{
	size_t n = 0;

	for (; *text; text++)
		if (*text == '\n')
			n++;
	return n;
}

START_TEST(status_line_has_service_state_and_summary)
{
	struct output *out = output_new("TLSA");
	char *text;

	finding_add(out, NULL, STATE_OK, ANY, "mx1 fine");
	output_summary(out, "all good");
	text = render(out);
	ck_assert_str_eq(text, "TLSA OK - all good\n[OK] mx1 fine\n");
	ck_assert_int_eq(output_state(out), STATE_OK);
	free(text);
	output_free(out);
}
END_TEST

START_TEST(worst_state_wins_and_is_the_default_summary)
{
	struct output *out = output_new("DANE_SMTP");
	char *text;

	finding_add(out, NULL, STATE_OK, ANY, "a ok");
	finding_add(out, NULL, STATE_WARNING, ANY, "b warns");
	finding_add(out, NULL, STATE_CRITICAL, ANY, "c fails");
	finding_add(out, NULL, STATE_OK, ANY, "d ok");
	ck_assert_int_eq(output_state(out), STATE_CRITICAL);
	text = render(out);
	ck_assert_str_eq(text, "DANE_SMTP CRITICAL - c fails\n"
			       "[CRITICAL] c fails\n[WARNING] b warns\n[OK] a ok\n[OK] d ok\n");
	free(text);
	output_free(out);
}
END_TEST

START_TEST(critical_outranks_unknown_outranks_warning)
{
	ck_assert_int_eq(state_worst(STATE_UNKNOWN, STATE_CRITICAL), STATE_CRITICAL);
	ck_assert_int_eq(state_worst(STATE_WARNING, STATE_UNKNOWN), STATE_UNKNOWN);
	ck_assert_int_eq(state_worst(STATE_OK, STATE_WARNING), STATE_WARNING);
	ck_assert_int_eq(state_worst(STATE_OK, STATE_OK), STATE_OK);
}
END_TEST

START_TEST(child_state_propagates_to_parent_even_when_hidden)
{
	struct output *out = output_new("TLSA");
	struct finding *host = finding_add(out, NULL, STATE_OK, ANY, "host");
	struct finding *rec = finding_add(out, host, STATE_WARNING, ANY, "record unusable");
	char *text;

	finding_set_level(rec, 1);
	ck_assert_int_eq(finding_state(host), STATE_WARNING);
	ck_assert_int_eq(output_state(out), STATE_WARNING);
	text = render(out);
	ck_assert_str_eq(text, "TLSA WARNING - host\n[WARNING] host\n");
	free(text);
	output_set_verbosity(out, 1);
	text = render(out);
	ck_assert_str_eq(text,
			 "TLSA WARNING - host\n[WARNING] host\n    [WARNING] record unusable\n");
	free(text);
	output_free(out);
}
END_TEST

START_TEST(worst_path_names_the_top_line_and_the_deepest_cause)
{
	struct output *out = output_new("X");
	struct finding *a = finding_add(out, NULL, STATE_OK, ANY, "host a");
	struct finding *b = finding_add(out, NULL, STATE_OK, ANY, "host b");
	struct finding *b1 = finding_add(out, b, STATE_OK, ANY, "b fine");
	const char *top, *leaf;

	finding_add(out, a, STATE_WARNING, ANY, "a warns");
	finding_add(out, b1, STATE_CRITICAL, ANY, "b deep failure");
	output_worst_path(out, &top, &leaf);
	ck_assert_str_eq(top, "host b");
	ck_assert_str_eq(leaf, "b deep failure");
	output_free(out);
}
END_TEST

START_TEST(nothing_added_is_unknown)
{
	struct output *out = output_new("X");
	char *text;

	ck_assert_int_eq(output_state(out), STATE_UNKNOWN);
	text = render(out);
	ck_assert_str_eq(text, "X UNKNOWN - no result\n");
	free(text);
	output_free(out);
}
END_TEST

START_TEST(unknown_sets_summary)
{
	struct output *out = output_new("X");
	char *text;

	output_unknown(out, FC_PLUGIN_USAGE, "invalid port '%s'", "abc");
	ck_assert_int_eq(output_state(out), STATE_UNKNOWN);
	text = render(out);
	ck_assert_str_eq(text, "X UNKNOWN - invalid port 'abc'\n[UNKNOWN] invalid port 'abc'\n");
	free(text);
	output_free(out);
}
END_TEST

START_TEST(literal_text_is_printed_as_is_and_unknown)
{
	struct output *out = output_new("X");
	char *text;

	output_text(out, "Usage: x | y\n");
	ck_assert_int_eq(output_state(out), STATE_UNKNOWN);
	text = render(out);
	ck_assert_str_eq(text, "Usage: x | y\n");
	free(text);
	output_free(out);
}
END_TEST

START_TEST(perfdata_follows_the_guidelines)
{
	struct output *out = output_new("X");
	struct range w, c;
	char err[64], *text;

	ck_assert_int_eq(range_parse("0.5", &w, err, sizeof(err)), 0);
	ck_assert_int_eq(range_parse("@1:2", &c, err, sizeof(err)), 0);
	finding_add(out, NULL, STATE_OK, ANY, "ok");
	output_perfdata(out, &(struct perfdata){.label = "time",
						.value = 0.052,
						.uom = "s",
						.warn = &w,
						.crit = &c,
						.has_min = true});
	output_perfdata(out, &(struct perfdata){.label = "addresses", .value = 3, .has_min = true});
	output_perfdata(out, &(struct perfdata){.label = "pct",
						.value = 50,
						.uom = "%",
						.has_min = true,
						.has_max = true,
						.max = 100});
	output_perfdata(
	    out, &(struct perfdata){.label = "lost", .value = 0, .unknown = true, .uom = "s"});
	text = render(out);
	ck_assert_str_eq(text, "X OK - ok | 'time'=0.052s;0.5;@1:2;0 'addresses'=3;;;0 "
			       "'pct'=50%;;;0;100 'lost'=U\n[OK] ok\n");
	free(text);
	output_free(out);
}
END_TEST

START_TEST(perfdata_labels_are_quoted_and_cleaned)
{
	struct output *out = output_new("X");
	char *text;

	finding_add(out, NULL, STATE_OK, ANY, "ok");
	output_perfdata(out, &(struct perfdata){.label = "mx1.example.org[2001:db8::1]_time",
						.value = 1,
						.uom = "s"});
	output_perfdata(out, &(struct perfdata){.label = "it's=a|label\n", .value = 1});
	text = render(out);
	ck_assert_str_eq(text, "X OK - ok | 'mx1.example.org[2001:db8::1]_time'=1s "
			       "'it''s_a_label_'=1\n[OK] ok\n");
	free(text);
	output_free(out);
}
END_TEST

START_TEST(perfdata_uses_a_dot_in_a_comma_locale)
{
	struct output *out = output_new("X");
	char *text;

	if (setlocale(LC_NUMERIC, "de_DE.UTF-8") == NULL)
		ck_abort_msg("locale de_DE.UTF-8 is not installed (locale-gen de_DE.UTF-8)");
	finding_add(out, NULL, STATE_OK, ANY, "ok");
	output_perfdata(out, &(struct perfdata){.label = "time", .value = 1.5, .uom = "s"});
	text = render(out);
	ck_assert_str_eq(text, "X OK - ok | 'time'=1.5s\n[OK] ok\n");
	setlocale(LC_NUMERIC, "C");
	free(text);
	output_free(out);
}
END_TEST

START_TEST(unknown_units_are_dropped)
{
	struct output *out = output_new("X");
	char *text;

	finding_add(out, NULL, STATE_OK, ANY, "ok");
	output_perfdata(out, &(struct perfdata){.label = "n", .value = 2, .uom = "x;1"});
	text = render(out);
	ck_assert_str_eq(text, "X OK - ok | 'n'=2\n[OK] ok\n");
	free(text);
	output_free(out);
}
END_TEST

START_TEST(hostile_text_cannot_forge_lines_or_perfdata)
{
	struct output *out = output_new("DANE_SMTP");
	const char *banner = "220 evil | 'time'=0s\nDANE_SMTP OK - all fine\r\x1b[2J";
	char *text;

	finding_add(out, NULL, STATE_CRITICAL, ANY, "banner: %s", banner);
	text = render(out);
	ck_assert_uint_eq(count_lines(text), 2);
	ck_assert_ptr_null(strchr(text, '|'));
	ck_assert_ptr_null(strchr(text, '\x1b'));
	ck_assert_ptr_null(strchr(text, '\r'));
	ck_assert_ptr_nonnull(strstr(text, "220 evil \\x7c 'time'=0s\\x0aDANE_SMTP OK"));
	free(text);
	output_free(out);
}
END_TEST

/* The errno text used from probe threads is the C library's, with a fallback. */
START_TEST(overlong_detail_lines_are_cut)
{
	struct output *out = output_new("X");
	char *big = malloc(100000), *text;

	memset(big, 'A', 99999);
	big[99999] = '\0';
	finding_add(out, NULL, STATE_OK, ANY, "%s", big);
	text = render(out);
	ck_assert_uint_lt(strlen(text), 2 * OUTPUT_LINE_MAX + 100);
	ck_assert_uint_eq(count_lines(text), 2);
	free(text);
	free(big);
	output_free(out);
}
END_TEST

/* Parse a rendered JSON document; the test fails when it is not one. */
static json_t *
parse_json(const char *text)
{
	json_error_t error;
	json_t *doc = json_loads(text, 0, &error);

	ck_assert_msg(doc != NULL, "not JSON (%s at %d): %s", error.text, error.position, text);
	ck_assert_msg(strchr(text, '\n') == text + strlen(text) - 1, "not one line: %s", text);
	return doc;
}

static const char *
str(json_t *obj, const char *key)
{
	const char *v = json_string_value(json_object_get(obj, key));

	ck_assert_msg(v != NULL, "no string member %s", key);
	return v;
}

START_TEST(json_document_has_the_state_the_summary_the_findings_and_the_perfdata)
{
	struct output *out = output_new("DANE_SMTP");
	json_t *doc, *f, *p;
	char *text;

	output_set_format(out, OUTPUT_JSON);
	finding_add(out, NULL, STATE_OK, FC_PLUGIN_USAGE, "fine");
	finding_add(out, NULL, STATE_CRITICAL, FC_PLUGIN_TIMEOUT, "broken");
	output_summary(out, "1 of 2 broken");
	output_perfdata(
	    out, &(struct perfdata){.label = "time", .value = 0.052, .uom = "s", .has_min = true});
	text = output_render(out);
	doc = parse_json(text);
	ck_assert_int_eq(json_integer_value(json_object_get(doc, "schema_version")), 1);
	ck_assert_str_eq(str(doc, "service"), "DANE_SMTP");
	ck_assert_str_eq(str(doc, "state"), "CRITICAL");
	ck_assert_int_eq(json_integer_value(json_object_get(doc, "exit_code")), 2);
	ck_assert_str_eq(str(doc, "summary"), "1 of 2 broken");
	/* worst first, as in the text */
	f = json_array_get(json_object_get(doc, "findings"), 0);
	ck_assert_str_eq(str(f, "code"), "plugin.timeout");
	ck_assert_str_eq(str(f, "state"), "CRITICAL");
	ck_assert_str_eq(str(f, "text"), "broken");
	ck_assert_uint_eq(json_array_size(json_object_get(doc, "findings")), 2);
	p = json_array_get(json_object_get(doc, "perfdata"), 0);
	ck_assert_str_eq(str(p, "label"), "time");
	ck_assert(json_is_real(json_object_get(p, "value")));
	ck_assert(json_real_value(json_object_get(p, "value")) == 0.052);
	ck_assert_str_eq(str(p, "uom"), "s");
	ck_assert_int_eq(json_integer_value(json_object_get(p, "min")), 0);
	ck_assert_ptr_null(json_object_get(p, "max"));
	json_decref(doc);
	free(text);
	output_free(out);
}
END_TEST

START_TEST(json_findings_nest_with_their_level_and_inherited_state)
{
	struct output *out = output_new("TLSA");
	struct finding *host = finding_add(out, NULL, STATE_OK, ANY, "host");
	struct finding *rec = finding_add(out, host, STATE_WARNING, ANY, "record unusable");
	json_t *doc, *f, *child;
	char *text;

	finding_set_level(rec, 1);
	text = output_render_json(out);
	doc = parse_json(text);
	f = json_array_get(json_object_get(doc, "findings"), 0);
	/* the parent's state is the worst below it, as in the text */
	ck_assert_str_eq(str(f, "state"), "WARNING");
	ck_assert_int_eq(json_integer_value(json_object_get(f, "level")), 0);
	child = json_array_get(json_object_get(f, "findings"), 0);
	/* hidden in the text without -v, but always in JSON, with its level */
	ck_assert_str_eq(str(child, "text"), "record unusable");
	ck_assert_int_eq(json_integer_value(json_object_get(child, "level")), 1);
	ck_assert_uint_eq(json_array_size(json_object_get(child, "findings")), 0);
	json_decref(doc);
	free(text);
	output_free(out);
}
END_TEST

START_TEST(json_subjects_and_params_keep_their_types)
{
	struct output *out = output_new("DANE_SMTP");
	struct finding *f = finding_add(out, NULL, STATE_CRITICAL, ANY, "no match");
	json_t *doc, *j, *subject, *params;
	char *text;

	finding_subject(f, &(struct finding_subject){.domain = "example.org.",
						     .host = "mx1.example.org.",
						     .address = "192.0.2.1",
						     .port = 25,
						     .cert_type = "RSA"});
	finding_param_str(f, "would_match", "3 1 1 4f1c");
	finding_param_int(f, "depth", 0);
	finding_param_num(f, "days_left", 12.5);
	finding_param_num(f, "nothing", 0.0 / 0.0); /* NaN: left out */
	finding_param_bool(f, "offered", true);
	finding_param_range(f, "warning", &(struct range){.start = 10, .end = 20, .inside = true});
	finding_param_range(f, "critical", NULL); /* not given: left out */
	text = output_render_json(out);
	doc = parse_json(text);
	j = json_array_get(json_object_get(doc, "findings"), 0);
	subject = json_object_get(j, "subject");
	params = json_object_get(j, "params");
	ck_assert_str_eq(str(subject, "domain"), "example.org.");
	ck_assert_str_eq(str(subject, "host"), "mx1.example.org.");
	ck_assert_str_eq(str(subject, "address"), "192.0.2.1");
	ck_assert_int_eq(json_integer_value(json_object_get(subject, "port")), 25);
	ck_assert_str_eq(str(subject, "cert_type"), "RSA");
	ck_assert_ptr_null(json_object_get(subject, "tlsa")); /* not set: not there */
	ck_assert_str_eq(str(params, "would_match"), "3 1 1 4f1c");
	ck_assert(json_is_integer(json_object_get(params, "depth")));
	ck_assert(json_real_value(json_object_get(params, "days_left")) == 12.5);
	ck_assert_ptr_null(json_object_get(params, "nothing"));
	ck_assert(json_is_true(json_object_get(params, "offered")));
	ck_assert_str_eq(str(params, "warning"), "@10:20");
	ck_assert_ptr_null(json_object_get(params, "critical"));
	json_decref(doc);
	free(text);
	output_free(out);
}
END_TEST

/* Banners and certificate names are hostile: quotes, control bytes, invalid UTF-8. */
START_TEST(json_strings_from_the_network_are_sanitized_and_valid_utf8)
{
	struct output *out = output_new("DANE_SMTP");
	static const char banner[] =
	    "220 \"evil\" \\ | \x01\x1b[2J\xff\xfe\xc3(\n}],\"state\":\"OK\"";
	struct finding *f = finding_add(out, NULL, STATE_CRITICAL, ANY, "banner: %s", banner);
	json_t *doc, *j;
	const char *t;
	char *text;

	finding_subject(f, &(struct finding_subject){.host = "mx\".example\n"});
	finding_param_bytes(f, "greeting", "220 a\0b\xff", 8);
	text = output_render_json(out);
	doc = parse_json(text); /* jansson rejects invalid UTF-8 */
	ck_assert_str_eq(str(doc, "state"), "CRITICAL");
	j = json_array_get(json_object_get(doc, "findings"), 0);
	t = str(j, "text");
	ck_assert_str_eq(t, "banner: 220 \"evil\" \\x5c \\x7c "
			    "\\x01\\x1b[2J\\xff\\xfe\\xc3(\\x0a}],\"state\":\"OK\"");
	ck_assert_str_eq(str(json_object_get(j, "subject"), "host"), "mx\".example\\x0a");
	ck_assert_str_eq(str(json_object_get(j, "params"), "greeting"), "220 a\\x00b\\xff");
	json_decref(doc);
	free(text);
	output_free(out);
}
END_TEST

START_TEST(json_unknown_perfdata_is_null_and_ranges_are_strings)
{
	struct output *out = output_new("X");
	struct range w, c;
	char err[64], *text;
	json_t *doc, *p;

	ck_assert_int_eq(range_parse("21:", &w, err, sizeof(err)), 0);
	ck_assert_int_eq(range_parse("@1:2", &c, err, sizeof(err)), 0);
	finding_add(out, NULL, STATE_OK, ANY, "ok");
	output_perfdata(
	    out, &(struct perfdata){.label = "cert_days", .unknown = true, .warn = &w, .crit = &c});
	output_perfdata(out, &(struct perfdata){.label = "it's=a|label\n", .value = 3});
	text = output_render_json(out);
	doc = parse_json(text);
	p = json_array_get(json_object_get(doc, "perfdata"), 0);
	ck_assert(json_is_null(json_object_get(p, "value")));
	ck_assert_str_eq(str(p, "warn"), "21:");
	ck_assert_str_eq(str(p, "crit"), "@1:2");
	ck_assert_ptr_null(json_object_get(p, "uom"));
	p = json_array_get(json_object_get(doc, "perfdata"), 1);
	ck_assert_str_eq(str(p, "label"), "it's_a_label_");
	ck_assert_int_eq(json_integer_value(json_object_get(p, "value")), 3);
	json_decref(doc);
	free(text);
	output_free(out);
}
END_TEST

START_TEST(json_help_text_is_a_member_and_the_state_unknown)
{
	struct output *out = output_new("X");
	json_t *doc;
	char *text;

	output_set_format(out, OUTPUT_JSON);
	output_text(out, "check_x (pkg) 1.0\n\nUsage: x | y\n");
	text = output_render(out);
	doc = parse_json(text);
	ck_assert_str_eq(str(doc, "state"), "UNKNOWN");
	ck_assert_int_eq(json_integer_value(json_object_get(doc, "exit_code")), 3);
	ck_assert_str_eq(str(doc, "summary"), "check_x (pkg) 1.0");
	ck_assert_str_eq(str(doc, "text"), "check_x (pkg) 1.0\n\nUsage: x | y\n");
	json_decref(doc);
	free(text);
	output_free(out);
}
END_TEST

START_TEST(json_with_nothing_added_is_unknown_no_result)
{
	struct output *out = output_new("X");
	json_t *doc;
	char *text = output_render_json(out);

	doc = parse_json(text);
	ck_assert_str_eq(str(doc, "state"), "UNKNOWN");
	ck_assert_str_eq(str(doc, "summary"), "no result");
	ck_assert_uint_eq(json_array_size(json_object_get(doc, "findings")), 0);
	json_decref(doc);
	free(text);
	output_free(out);
}
END_TEST

START_TEST(finding_params_and_subject_are_kept_as_given)
{
	struct output *out = output_new("X");
	struct finding *f = finding_add(out, NULL, STATE_WARNING, ANY, "x");
	const struct finding_param *p;

	finding_subject(f, &(struct finding_subject){.host = "a.", .port = 25});
	finding_subject(f, &(struct finding_subject){.address = "192.0.2.1"});
	ck_assert_str_eq(f->subject.host, "a."); /* a later call adds, keeps the rest */
	ck_assert_str_eq(f->subject.address, "192.0.2.1");
	ck_assert_uint_eq(f->subject.port, 25);
	finding_param_int(f, "n", 7);
	p = finding_param(f, "n");
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->type, FINDING_PARAM_INTEGER);
	ck_assert_int_eq(p->integer, 7);
	ck_assert_ptr_null(finding_param(f, "missing"));
	/* setters take NULL (a finding_add() that ran out of memory) */
	finding_param_str(NULL, "k", "v");
	finding_subject(NULL, &(struct finding_subject){.host = "b."});
	ck_assert(finding_tree_has(output_root(out), ANY));
	output_free(out);
}
END_TEST

/* A file of the source tree, NUL-terminated (the test fails when it cannot be read). */
static char *
slurp(const char *name)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", TOP_SRCDIR, name);
	return testdata_read_file(path, NULL);
}

/* Codes are an interface: each one is documented in README.md and in the schema, and they
 * name no code the plugins do not have. */
START_TEST(every_finding_code_is_documented_in_readme_and_schema)
{
	char *readme = slurp("README.md"), row[160];
	json_error_t error;
	json_t *schema = json_load_file(TOP_SRCDIR "/docs/findings.schema.json", 0, &error);
	json_t *codes, *v;
	const char *p;
	unsigned int i;
	size_t k, rows = 0;

	ck_assert_msg(schema != NULL, "docs/findings.schema.json: %s", error.text);
	codes = json_object_get(json_object_get(json_object_get(schema, "definitions"), "code"),
				"enum");
	ck_assert_msg(json_is_array(codes), "the schema lists the codes (definitions/code/enum)");
	ck_assert_uint_eq(json_array_size(codes), FC_COUNT - 1);
	for (i = 1; i < FC_COUNT; i++) {
		const char *name = finding_code_name((enum finding_code)i);
		bool found = false;

		snprintf(row, sizeof(row), "\n| `%s` | ", name);
		ck_assert_msg(strstr(readme, row) != NULL, "README.md has no row for code %s",
			      name);
		json_array_foreach(codes, k, v) found |= strcmp(json_string_value(v), name) == 0;
		ck_assert_msg(found, "docs/findings.schema.json does not list code %s", name);
	}
	/* and no row of a code that does not exist */
	for (p = strstr(readme, "\n| `"); p != NULL; p = strstr(p + 1, "\n| `")) {
		char name[128];
		size_t len = strcspn(p + 4, "`");

		if (len >= sizeof(name) || strncmp(p + 4 + len, "` | ", 4) != 0)
			continue;
		memcpy(name, p + 4, len);
		name[len] = '\0';
		if (strchr(name, '.') == NULL || strchr(name, ' ') != NULL)
			continue; /* another table (perfdata labels) */
		rows++;
		ck_assert_msg(finding_code_by_name(name) != FC_NONE,
			      "README.md documents code %s, which does not exist", name);
	}
	ck_assert_uint_eq(rows, FC_COUNT - 1);
	json_decref(schema);
	free(readme);
}
END_TEST

START_TEST(finding_codes_have_unique_well_formed_names_and_docs)
{
	unsigned int i, j;

	for (i = 1; i < FC_COUNT; i++) {
		const char *n = finding_code_name((enum finding_code)i), *p;

		ck_assert_msg(strcmp(n, "unknown") != 0, "code %u has no table entry", i);
		ck_assert_msg(finding_code_doc((enum finding_code)i)[0] != '\0', "%s: no doc", n);
		ck_assert_msg(strchr(n, '.') != NULL && n[0] != '.' && n[strlen(n) - 1] != '.',
			      "%s: not area.what", n);
		for (p = n; *p; p++)
			ck_assert_msg((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
					  *p == '_' || *p == '.',
				      "%s: character '%c'", n, *p);
		ck_assert_int_eq(finding_code_by_name(n), (int)i);
		for (j = 1; j < i; j++)
			ck_assert_msg(strcmp(n, finding_code_name((enum finding_code)j)) != 0,
				      "%s twice", n);
	}
}
END_TEST

static Suite *
output_suite(void)
{
	Suite *s = suite_create("output");
	TCase *tc = tcase_create("output");

	tcase_add_test(tc, status_line_has_service_state_and_summary);
	tcase_add_test(tc, worst_state_wins_and_is_the_default_summary);
	tcase_add_test(tc, critical_outranks_unknown_outranks_warning);
	tcase_add_test(tc, child_state_propagates_to_parent_even_when_hidden);
	tcase_add_test(tc, worst_path_names_the_top_line_and_the_deepest_cause);
	tcase_add_test(tc, nothing_added_is_unknown);
	tcase_add_test(tc, unknown_sets_summary);
	tcase_add_test(tc, literal_text_is_printed_as_is_and_unknown);
	tcase_add_test(tc, perfdata_follows_the_guidelines);
	tcase_add_test(tc, perfdata_labels_are_quoted_and_cleaned);
	tcase_add_test(tc, perfdata_uses_a_dot_in_a_comma_locale);
	tcase_add_test(tc, unknown_units_are_dropped);
	tcase_add_test(tc, hostile_text_cannot_forge_lines_or_perfdata);
	tcase_add_test(tc, overlong_detail_lines_are_cut);
	tcase_add_test(tc, json_document_has_the_state_the_summary_the_findings_and_the_perfdata);
	tcase_add_test(tc, json_findings_nest_with_their_level_and_inherited_state);
	tcase_add_test(tc, json_subjects_and_params_keep_their_types);
	tcase_add_test(tc, json_strings_from_the_network_are_sanitized_and_valid_utf8);
	tcase_add_test(tc, json_unknown_perfdata_is_null_and_ranges_are_strings);
	tcase_add_test(tc, json_help_text_is_a_member_and_the_state_unknown);
	tcase_add_test(tc, json_with_nothing_added_is_unknown_no_result);
	tcase_add_test(tc, finding_params_and_subject_are_kept_as_given);
	tcase_add_test(tc, finding_codes_have_unique_well_formed_names_and_docs);
	tcase_add_test(tc, every_finding_code_is_documented_in_readme_and_schema);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(output_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
