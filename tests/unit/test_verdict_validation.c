/*
 * test_verdict_validation.c -- --validate=local that cannot be set up, on facts
 * (struct dns_validator_failure), no files read: each failure's finding, state,
 * subject, params and words.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "verdict_test.h"
#include "verdict_validation.h"

#define ANCHOR "/etc/dane/root.key"
#define HINTS  "/etc/dane/root.hints"

static const struct {
	const char *rule;
	struct dns_validator_failure f;
	enum finding_code code;
	const char *file;   /* the subject's file, NULL: none */
	const char *option; /* param "option", NULL: none */
	const char *text;
} cases[] = {
    {"a missing trust anchor file is UNKNOWN, naming the file",
     {.problem = DNS_VALIDATOR_UNREADABLE, .file = ANCHOR, .sys = ENOENT},
     FC_VALIDATION_FILE_UNUSABLE,
     ANCHOR,
     "--trust-anchor",
     "--validate=local: cannot read the trust anchor file " ANCHOR ": No such file or directory"},
    {"a file without a usable anchor says how many records were skipped",
     {.problem = DNS_VALIDATOR_NO_ANCHOR, .file = ANCHOR, .unusable = 2},
     FC_VALIDATION_FILE_UNUSABLE,
     ANCHOR,
     "--trust-anchor",
     "--validate=local: the trust anchor file " ANCHOR " holds no usable DS or DNSKEY record "
     "(2 skipped: revoked, an unsupported algorithm or digest, or not a VALID key of an "
     "auto-trust-anchor file)"},
    {"an empty trust anchor file holds no record",
     {.problem = DNS_VALIDATOR_NO_ANCHOR, .file = ANCHOR},
     FC_VALIDATION_FILE_UNUSABLE,
     ANCHOR,
     "--trust-anchor",
     "--validate=local: the trust anchor file " ANCHOR " holds no DS or DNSKEY record"},
    {"a line that is no record is named",
     {.problem = DNS_VALIDATOR_SYNTAX, .file = ANCHOR, .line = 3},
     FC_VALIDATION_FILE_UNUSABLE,
     ANCHOR,
     "--trust-anchor",
     "--validate=local: line 3 of the trust anchor file " ANCHOR " is no DNS record"},
    {"too many anchors",
     {.problem = DNS_VALIDATOR_TOO_MANY, .file = ANCHOR},
     FC_VALIDATION_FILE_UNUSABLE,
     ANCHOR,
     "--trust-anchor",
     "--validate=local: the trust anchor file " ANCHOR " holds more than 16 usable records"},
    {"a file too large to be a trust anchor",
     {.problem = DNS_VALIDATOR_TOO_BIG, .file = ANCHOR},
     FC_VALIDATION_FILE_UNUSABLE,
     ANCHOR,
     "--trust-anchor",
     "--validate=local: the trust anchor file " ANCHOR " is larger than 1048576 bytes"},
    {"root hints without a root server",
     {.problem = DNS_VALIDATOR_NO_HINTS, .hints = true, .file = HINTS},
     FC_VALIDATION_FILE_UNUSABLE,
     HINTS,
     "--root-hints",
     "--validate=local: the root hints file " HINTS " has no NS record for the root (\".\") "
     "and no address record"},
    {"no resolver to forward to is a usage error",
     {.problem = DNS_VALIDATOR_NO_FORWARDER},
     FC_PLUGIN_USAGE,
     NULL,
     NULL,
     "--validate=local: no resolver to take DNSSEC data from (give -r, or --recursive)"},
    {"out of memory is a local failure",
     {.problem = DNS_VALIDATOR_MEMORY},
     FC_PLUGIN_LOCAL_FAILURE,
     NULL,
     NULL,
     "--validate=local: out of memory"},
};

#define LIB    "libunbound.so.8"
#define NOFILE LIB ": cannot open shared object file: No such file or directory"
#define NOSYM  "/lib/libc.so.6: undefined symbol: ub_ctx_create"

/* libunbound that cannot be loaded: the finding names it, with dlerror()'s text */
static const struct {
	const char *rule;
	struct unbound_lib_failure lib;
	const char *symbol; /* param "symbol", NULL: none */
	const char *text;
} library_cases[] = {
    {"libunbound not installed: UNKNOWN naming the library, dlerror()'s text and the package",
     {.problem = UNBOUND_LIB_OPEN, .library = LIB, .error = NOFILE},
     NULL,
     "--validate=local: cannot load libunbound (" LIB "), which validates DNSSEC here: " NOFILE
     " (install it: Debian package libunbound8, RPM unbound-libs)"},
    {"a libunbound without a function the plugin calls names the function",
     {.problem = UNBOUND_LIB_SYMBOL, .library = LIB, .symbol = "ub_ctx_create", .error = NOSYM},
     "ub_ctx_create",
     "--validate=local: libunbound (" LIB ") has no function ub_ctx_create, which local "
     "validation calls: " NOSYM},
    {"a cut dlerror() text says so",
     {.problem = UNBOUND_LIB_OPEN, .library = LIB, .error = "a text cut to fit", .error_cut = true},
     NULL,
     "--validate=local: cannot load libunbound (" LIB
     "), which validates DNSSEC here: a text cut to fit... "
     "(install it: Debian package libunbound8, RPM unbound-libs)"},
};

START_TEST(libunbound_that_cannot_be_loaded_is_named)
{
	struct output *out = output_new("TLSA");
	struct dns_validator_failure fail = {.problem = DNS_VALIDATOR_LIBRARY,
					     .lib = library_cases[_i].lib};
	const struct finding *f;
	const struct finding_param *p;

	ck_assert_ptr_nonnull(out);
	verdict_validation_setup(&fail, out);
	f = vt_expect(out, FC_VALIDATION_LIBRARY_UNAVAILABLE, STATE_UNKNOWN,
		      &(struct finding_subject){.file = LIB});
	ck_assert_msg(strcmp(f->text, library_cases[_i].text) == 0, "%s: %s",
		      library_cases[_i].rule, f->text);
	ck_assert_str_eq(finding_param(f, "library")->string, LIB);
	ck_assert_str_eq(finding_param(f, "error")->string, library_cases[_i].lib.error);
	p = finding_param(f, "symbol");
	if (library_cases[_i].symbol != NULL)
		ck_assert_str_eq(p->string, library_cases[_i].symbol);
	else
		ck_assert_ptr_null(p);
	ck_assert_int_eq(output_state(out), STATE_UNKNOWN);
	output_free(out);
}
END_TEST

START_TEST(each_failure_has_its_finding)
{
	struct output *out = output_new("TLSA");
	const struct finding *f;

	ck_assert_ptr_nonnull(out);
	verdict_validation_setup(&cases[_i].f, out);
	f = vt_expect(out, cases[_i].code, STATE_UNKNOWN,
		      &(struct finding_subject){.file = cases[_i].file});
	ck_assert_str_eq(f->text, cases[_i].text);
	if (cases[_i].option != NULL)
		ck_assert_str_eq(finding_param(f, "option")->string, cases[_i].option);
	ck_assert_int_eq(output_state(out), STATE_UNKNOWN);
	output_free(out);
}
END_TEST

Suite *
verdict_validation_suite(void)
{
	Suite *s = suite_create("verdict_validation");
	TCase *tc = tcase_create("setup");

	tcase_add_loop_test(tc, each_failure_has_its_finding, 0,
			    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_loop_test(tc, libunbound_that_cannot_be_loaded_is_named, 0,
			    (int)(sizeof(library_cases) / sizeof(library_cases[0])));
	suite_add_tcase(s, tc);
	return s;
}
