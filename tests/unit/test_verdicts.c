/*
 * test_verdicts.c -- every verdict module's table-driven tests in one run,
 * then the check that every finding code a verdict module produces was
 * asserted by one of them: a code without a test is a test failure.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>

#include "verdict_test.h"

/*
 * Codes that the verdict tests do not produce, and where they are tested
 * instead. Keep this list short: a verdict belongs in a table above.
 */
static const enum finding_code tested_elsewhere[] = {
    FC_NONE,                 /* the root, never a finding */
    FC_PLUGIN_USAGE,         /* test_opts.c */
    FC_PLUGIN_USAGE_LINE,    /* test_opts.c */
    FC_PLUGIN_LOCAL_FAILURE, /* out of memory: test_output.c */
    FC_PLUGIN_TIMEOUT,       /* test_deadline.c */
};

static bool
is_tested_elsewhere(enum finding_code code)
{
	size_t i;

	for (i = 0; i < sizeof(tested_elsewhere) / sizeof(tested_elsewhere[0]); i++)
		if (tested_elsewhere[i] == code)
			return true;
	return false;
}

START_TEST(every_finding_code_has_a_verdict_test)
{
	unsigned int c;

	for (c = 0; c < FC_COUNT; c++)
		ck_assert_msg(
		    vt_was_seen((enum finding_code)c) || is_tested_elsewhere((enum finding_code)c),
		    "finding code %s has no verdict test", finding_code_name((enum finding_code)c));
}
END_TEST

static Suite *
coverage_suite(void)
{
	Suite *s = suite_create("coverage");
	TCase *tc = tcase_create("codes");

	tcase_add_test(tc, every_finding_code_has_a_verdict_test);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(verdict_mx_suite());
	int failed;

	srunner_add_suite(sr, verdict_auth_suite());
	srunner_add_suite(sr, verdict_probe_suite());
	srunner_add_suite(sr, verdict_resolver_suite());
	srunner_add_suite(sr, verdict_rollover_suite());
	srunner_add_suite(sr, verdict_tlsrpt_suite());
	srunner_add_suite(sr, verdict_tlsrpt_record_suite());
	srunner_add_suite(sr, verdict_validation_suite());
	srunner_add_suite(sr, verdict_mta_sts_suite());
	/* last, and in this process: it reads what the suites above recorded */
	srunner_add_suite(sr, coverage_suite());
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
