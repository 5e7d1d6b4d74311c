/*
 * test_opts.c -- the common options: same letters and meaning in every
 * plugin, help and version end in UNKNOWN, bad input is refused clearly.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "opts.h"

static const struct opts_extra extras[] = {
    {'q', "query", 'q', true, "NAME", "A name."},
    {OPTS_EXTRA_BASE + 1, "stale-warning", 0, false, NULL, "Long-only flag."},
};

static const struct opts_spec spec = {
    .program = "check_test",
    .purpose = "Tests things.",
    .common = OPTS_DOMAIN | OPTS_HOST | OPTS_PORT | OPTS_RESOLVER | OPTS_FAMILY | OPTS_THRESHOLDS |
	      OPTS_VALIDATE,
    .host_help = "A host.",
    .port_help = "A port, default 25.",
    .default_port = 25,
    .threshold_help = "Seconds.",
    .extra = extras,
    .nextra = 2,
    .usage_args = "-D DOMAIN | -H HOST",
    .examples = "  check_test -D example.org",
};

struct seen {
	const char *query;
	int stale;
};

static int
extra_cb(void *ctx, int opt, const char *arg, char *err, size_t errsize)
{
	struct seen *s = ctx;

	if (opt == 'q') {
		s->query = arg;
		return 0;
	}
	if (opt == OPTS_EXTRA_BASE + 1) {
		s->stale++;
		return 0;
	}
	snprintf(err, errsize, "unexpected");
	return -1;
}

/* Parse a NULL-terminated argument list; the output is returned in *out. */
static enum opts_result
parse(struct opts_common *c, struct seen *seen, struct output **out, const char **args)
{
	char *argv[64];
	int argc = 0;

	argv[argc++] = (char *)"check_test";
	while (*args != NULL && argc < 63)
		argv[argc++] = (char *)*args++;
	argv[argc] = NULL;
	*out = output_new("TEST");
	memset(seen, 0, sizeof(*seen));
	return opts_parse(&spec, argc, argv, c, extra_cb, seen, *out);
}

static char *
rendered(struct output *out)
{
	char *text = output_render(out);

	ck_assert_ptr_nonnull(text);
	return text;
}

START_TEST(defaults_apply_without_options)
{
	struct opts_common c;
	struct seen s;
	struct output *out;
	const char *args[] = {NULL};

	ck_assert_int_eq(parse(&c, &s, &out, args), OPTS_CONTINUE);
	ck_assert_uint_eq(c.port, 25);
	ck_assert_uint_eq(c.timeout, OPTS_DEFAULT_TIMEOUT);
	ck_assert_int_eq(c.family, AF_UNSPEC);
	ck_assert(!c.has_warning && !c.has_critical);
	ck_assert_int_eq(c.verbose, 0);
	output_free(out);
}
END_TEST

START_TEST(common_options_are_parsed)
{
	struct opts_common c;
	struct seen s;
	struct output *out;
	const char *args[] = {"-D", "example.org", "-H",        "mx1",      "--hostname=mx2",
			      "-p", "2525",        "-r",        "::1@5353", "-t",
			      "7",  "-6",          "-w",        "1",        "-c",
			      "2:", "-vv",         "--verbose", NULL};

	ck_assert_int_eq(parse(&c, &s, &out, args), OPTS_CONTINUE);
	ck_assert_str_eq(c.domain, "example.org");
	ck_assert_uint_eq(c.nhosts, 2);
	ck_assert_str_eq(c.hosts[0], "mx1");
	ck_assert_str_eq(c.hosts[1], "mx2");
	ck_assert_uint_eq(c.port, 2525);
	ck_assert_str_eq(c.resolver, "::1@5353");
	ck_assert_uint_eq(c.timeout, 7);
	ck_assert_int_eq(c.family, AF_INET6);
	ck_assert(c.has_warning && c.has_critical);
	ck_assert(range_alerts(&c.warning, 1.5));
	ck_assert(range_alerts(&c.critical, 1.5));
	ck_assert_int_eq(c.verbose, 3);
	output_free(out);
}
END_TEST

START_TEST(validation_options_are_parsed)
{
	struct opts_common c;
	struct seen s;
	struct output *out;
	const char *none[] = {NULL};
	const char *local[] = {"--validate=local", "--trust-anchor",      "/etc/a.key",
			       "--recursive",      "--root-hints=/etc/h", NULL};
	const char *resolver[] = {"--validate", "resolver", NULL};

	ck_assert_int_eq(parse(&c, &s, &out, none), OPTS_CONTINUE);
	ck_assert(!c.validate_local && !c.recursive);
	ck_assert_ptr_null(c.trust_anchor);
	output_free(out);
	ck_assert_int_eq(parse(&c, &s, &out, local), OPTS_CONTINUE);
	ck_assert(c.validate_local && c.recursive);
	ck_assert_str_eq(c.trust_anchor, "/etc/a.key");
	ck_assert_str_eq(c.root_hints, "/etc/h");
	output_free(out);
	ck_assert_int_eq(parse(&c, &s, &out, resolver), OPTS_CONTINUE);
	ck_assert(!c.validate_local);
	output_free(out);
}
END_TEST

START_TEST(plugin_options_reach_the_callback)
{
	struct opts_common c;
	struct seen s;
	struct output *out;
	const char *args[] = {"-q", "example.org", "--stale-warning", NULL};

	ck_assert_int_eq(parse(&c, &s, &out, args), OPTS_CONTINUE);
	ck_assert_str_eq(s.query, "example.org");
	ck_assert_int_eq(s.stale, 1);
	output_free(out);
}
END_TEST

START_TEST(help_lists_every_option_and_is_unknown)
{
	struct opts_common c;
	struct seen s;
	struct output *out;
	const char *args[] = {"-h", NULL};
	const char *want[] = {"-h, --help",
			      "-V, --version",
			      "-D, --domain=DOMAIN",
			      "-H, --hostname=HOST",
			      "-p, --port=PORT",
			      "-r, --resolver=ADDR[@PORT]",
			      "-t, --timeout=SECONDS",
			      "-4, --ipv4",
			      "-6, --ipv6",
			      "-w, --warning=RANGE",
			      "-c, --critical=RANGE",
			      "-v, --verbose",
			      "-q, --query=NAME",
			      "--stale-warning",
			      "A host.",
			      "A port, default 25.",
			      "Examples:",
			      "check_test -D example.org",
			      "Usage: check_test"};
	char *text;
	size_t i;

	ck_assert_int_eq(parse(&c, &s, &out, args), OPTS_STOP);
	ck_assert_int_eq(output_state(out), STATE_UNKNOWN);
	text = rendered(out);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		ck_assert_msg(strstr(text, want[i]) != NULL, "help lacks '%s'", want[i]);
	free(text);
	output_free(out);
}
END_TEST

START_TEST(version_names_program_and_package)
{
	struct opts_common c;
	struct seen s;
	struct output *out;
	const char *args[] = {"--version", NULL};
	char *text;

	ck_assert_int_eq(parse(&c, &s, &out, args), OPTS_STOP);
	ck_assert_int_eq(output_state(out), STATE_UNKNOWN);
	text = rendered(out);
	ck_assert_str_eq(text, "check_test (" PACKAGE_NAME ") " PACKAGE_VERSION "\n");
	free(text);
	output_free(out);
}
END_TEST

/* An option list that must be refused, with words expected in the output. */
static void
assert_refused(const char **args, const char *words)
{
	struct opts_common c;
	struct seen s;
	struct output *out;
	char *text;

	ck_assert_int_eq(parse(&c, &s, &out, args), OPTS_STOP);
	ck_assert_int_eq(output_state(out), STATE_UNKNOWN);
	text = rendered(out);
	ck_assert_msg(strncmp(text, "TEST UNKNOWN - ", 15) == 0, "status line: %s", text);
	ck_assert_msg(strstr(text, words) != NULL, "'%s' not in: %s", words, text);
	ck_assert_msg(strstr(text, "Usage: check_test") != NULL, "no usage in: %s", text);
	free(text);
	output_free(out);
}

/* Option lists that must be refused, and the words the output must say. */
static const struct {
	const char *args[4];
	const char *words;
} refused[] = {
    {{"--validate=trust"}, "invalid --validate 'trust' (expected resolver or local)"},
    {{"--trust-anchor", "/x"}, "--trust-anchor needs --validate=local"},
    {{"--recursive"}, "--recursive needs --validate=local"},
    {{"--validate=local", "--root-hints", "/x"}, "--root-hints needs --recursive"},
    {{"--validate=local", "--recursive", "-r", "::1"},
     "--recursive asks no resolver: leave out -r"},
    {{"-x"}, "unknown option '-x'"},
    {{"--no-such-option"}, "unknown option '--no-such-option'"},
    {{"-p", "0"}, "invalid port '0'"},
    {{"-p", "65536"}, "invalid port '65536'"},
    {{"-p", "25x"}, "invalid port '25x'"},
    {{"-t", "0"}, "invalid timeout '0'"},
    {{"-t", "-1"}, "invalid timeout '-1'"},
    {{"-t", "1.5"}, "invalid timeout '1.5'"},
    {{"-w", "abc"}, "invalid threshold range 'abc'"},
    {{"-c", "5:1"}, "start is greater than end"},
    {{"-p"}, "needs an argument"},
    {{"extra"}, "unexpected argument 'extra'"},
};

START_TEST(bad_options_and_values_are_refused_with_usage)
{
	const char *args[5] = {refused[_i].args[0], refused[_i].args[1], refused[_i].args[2],
			       refused[_i].args[3], NULL};

	assert_refused(args, refused[_i].words);
}
END_TEST

START_TEST(too_many_hosts_are_refused)
{
	const char *args[2 * OPTS_MAX_HOSTS + 4];
	size_t i, n = 0;

	for (i = 0; i <= OPTS_MAX_HOSTS && n + 2 < 2 * OPTS_MAX_HOSTS + 3; i++) {
		args[n++] = "-H";
		args[n++] = "h";
	}
	args[n] = NULL;
	assert_refused(args, "too many -H");
}
END_TEST

START_TEST(options_a_plugin_does_not_take_are_unknown)
{
	static const struct opts_spec narrow = {
	    .program = "check_narrow",
	    .purpose = "x",
	    .common = OPTS_HOST,
	    .usage_args = "-H HOST",
	};
	struct opts_common c;
	struct output *out = output_new("TEST");
	char *argv[] = {(char *)"check_narrow", (char *)"-D", (char *)"x", NULL};

	ck_assert_int_eq(opts_parse(&narrow, 3, argv, &c, NULL, NULL, out), OPTS_STOP);
	ck_assert_int_eq(output_state(out), STATE_UNKNOWN);
	output_free(out);
}
END_TEST

static int
own_threshold_cb(void *ctx, int opt, const char *arg, char *err, size_t errsize)
{
	const char **w = ctx;

	(void)err;
	(void)errsize;
	if (opt != 'w')
		return -1;
	*w = arg;
	return 0;
}

START_TEST(a_plugin_without_common_thresholds_owns_w_and_c)
{
	static const struct opts_extra own[] = {
	    {'w', "warning", 'w', true, "DAYS|PCT%", "Its own -w."},
	};
	static const struct opts_spec days = {
	    .program = "check_days",
	    .purpose = "x",
	    .common = OPTS_HOST,
	    .extra = own,
	    .nextra = 1,
	    .usage_args = "-H HOST",
	};
	struct opts_common c;
	struct output *out = output_new("TEST");
	const char *w = NULL;
	char *argv[] = {(char *)"check_days", (char *)"-w", (char *)"33%", NULL};

	ck_assert_int_eq(opts_parse(&days, 3, argv, &c, own_threshold_cb, &w, out), OPTS_CONTINUE);
	ck_assert_str_eq(w, "33%");
	ck_assert(!c.has_warning);
	output_free(out);
}
END_TEST

/* Collects the values of a repeatable -D. */
static int
own_domain_cb(void *ctx, int opt, const char *arg, char *err, size_t errsize)
{
	const char **d = ctx;

	(void)err;
	(void)errsize;
	if (opt != 'D')
		return -1;
	d[d[0] == NULL ? 0 : 1] = arg;
	return 0;
}

START_TEST(a_plugin_without_common_domain_owns_a_repeatable_D)
{
	static const struct opts_extra own[] = {
	    {'D', "domain", 'D', true, "DOMAIN", "Its own -D, repeatable."},
	};
	static const struct opts_spec reports = {
	    .program = "check_reports",
	    .purpose = "x",
	    .common = OPTS_RESOLVER,
	    .extra = own,
	    .nextra = 1,
	    .usage_args = "[-D DOMAIN]...",
	};
	struct opts_common c;
	struct output *out = output_new("TEST");
	const char *d[2] = {NULL, NULL};
	char *argv[] = {(char *)"check_reports", (char *)"-D", (char *)"a.example",
			(char *)"--domain=b.example", NULL};

	ck_assert_int_eq(opts_parse(&reports, 4, argv, &c, own_domain_cb, d, out), OPTS_CONTINUE);
	ck_assert_str_eq(d[0], "a.example");
	ck_assert_str_eq(d[1], "b.example");
	ck_assert_ptr_null(c.domain);
	output_free(out);
}
END_TEST

static Suite *
opts_suite(void)
{
	Suite *s = suite_create("opts");
	TCase *tc = tcase_create("opts");

	tcase_add_test(tc, defaults_apply_without_options);
	tcase_add_test(tc, common_options_are_parsed);
	tcase_add_test(tc, plugin_options_reach_the_callback);
	tcase_add_test(tc, validation_options_are_parsed);
	tcase_add_test(tc, help_lists_every_option_and_is_unknown);
	tcase_add_test(tc, version_names_program_and_package);
	tcase_add_loop_test(tc, bad_options_and_values_are_refused_with_usage, 0,
			    sizeof(refused) / sizeof(refused[0]));
	tcase_add_test(tc, too_many_hosts_are_refused);
	tcase_add_test(tc, options_a_plugin_does_not_take_are_unknown);
	tcase_add_test(tc, a_plugin_without_common_thresholds_owns_w_and_c);
	tcase_add_test(tc, a_plugin_without_common_domain_owns_a_repeatable_D);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(opts_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
