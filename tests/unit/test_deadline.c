/*
 * test_deadline.c -- one monotonic deadline, and the backstop that ends a
 * blocked plugin cleanly.
 */
#include "config.h"

#include <ctype.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "deadline.h"
#include "plugin.h"

START_TEST(time_left_counts_down)
{
	struct deadline dl;
	int left;

	deadline_start(&dl, 2);
	left = deadline_ms_left(&dl);
	ck_assert_int_le(left, 2000);
	ck_assert_int_gt(left, 1900);
	ck_assert(!deadline_expired(&dl));
	usleep(50000);
	ck_assert_int_lt(deadline_ms_left(&dl), left);
	ck_assert(deadline_elapsed(&dl) >= 0.05);
}
END_TEST

START_TEST(expired_deadline_has_no_time_left)
{
	struct deadline dl;

	deadline_start(&dl, 1);
	dl.end = dl.start; /* as if a second had passed */
	ck_assert_int_eq(deadline_ms_left(&dl), 0);
	ck_assert(deadline_expired(&dl));
}
END_TEST

START_TEST(timeout_values_are_strict)
{
	unsigned int s = 0;

	ck_assert_int_eq(deadline_parse_seconds("10", &s), 0);
	ck_assert_uint_eq(s, 10);
	ck_assert_int_eq(deadline_parse_seconds("3600", &s), 0);
	ck_assert_int_ne(deadline_parse_seconds("3601", &s), 0);
	ck_assert_int_ne(deadline_parse_seconds("0", &s), 0);
	ck_assert_int_ne(deadline_parse_seconds("", &s), 0);
	ck_assert_int_ne(deadline_parse_seconds("5s", &s), 0);
	ck_assert_int_ne(deadline_parse_seconds(" 5", &s), 0);
	ck_assert_int_ne(deadline_parse_seconds("99999999999999999999", &s), 0);
}
END_TEST

START_TEST(stage_is_recorded_and_cut)
{
	struct deadline dl;
	char big[400];

	deadline_start(&dl, 1);
	deadline_stage(&dl, "querying %s", "127.0.0.1");
	ck_assert_str_eq(dl.stage, "querying 127.0.0.1");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	deadline_stage(&dl, "%s", big);
	ck_assert_uint_eq(strlen(dl.stage), sizeof(dl.stage) - 1);
}
END_TEST

/* The backstop's function for the tests: says what it got, ends the process. */
static void
test_backstop(const struct deadline *dl, const char *stage, void *ctx)
{
	char line[256];
	int n = snprintf(line, sizeof(line), "%s after %u s: %s\n", (const char *)ctx, dl->seconds,
			 stage);
	ssize_t w = write(STDOUT_FILENO, line, (size_t)n);

	(void)w;
	_exit(2);
}

/* A child that blocks forever must be ended by the backstop, which gets the stage. */
START_TEST(backstop_ends_a_blocked_process_through_the_plugins_function)
{
	int fds[2], status;
	pid_t pid;
	char buf[512] = "";
	ssize_t n, got = 0;

	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct deadline dl;

		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		deadline_start(&dl, 1);
		deadline_stage(&dl, "reading the greeting of mx1");
		if (deadline_arm_backstop(&dl, test_backstop, "fired") != 0)
			_exit(9);
		for (;;)
			pause();
	}
	close(fds[1]);
	while ((n = read(fds[0], buf + got, sizeof(buf) - 1 - (size_t)got)) > 0)
		got += n;
	close(fds[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 2);
	ck_assert_str_eq(buf, "fired after 1 s: reading the greeting of mx1\n");
}
END_TEST

/* The timeout result in text: the status line, its detail line, the time perfdata. */
START_TEST(timeout_renders_a_clean_critical_result)
{
	char *text = plugin_timeout_render("DANE_SMTP", OUTPUT_MULTI_LINE, 1,
					   "reading the greeting of mx|1\n", 1.3);

	ck_assert_ptr_nonnull(text);
	ck_assert_str_eq(text, "DANE_SMTP CRITICAL - timed out after 1 s while reading the "
			       "greeting of mx\\x7c1\\x0a | 'time'=1.3s;;;0\n"
			       "[CRITICAL] timed out after 1 s while reading the greeting of "
			       "mx\\x7c1\\x0a\n");
	free(text);
}
END_TEST

/* The timeout result in JSON: state, exit code, the plugin.timeout finding. */
START_TEST(timeout_renders_as_json_when_asked)
{
	char *text = plugin_timeout_render("TLSA", OUTPUT_JSON, 2, "asking \"x\"", 2.31);
	json_error_t error;
	json_t *doc, *f;

	ck_assert_ptr_nonnull(text);
	doc = json_loads(text, 0, &error);
	ck_assert_msg(doc != NULL, "not JSON: %s (%s)", text, error.text);
	ck_assert_str_eq(json_string_value(json_object_get(doc, "state")), "CRITICAL");
	ck_assert_int_eq(json_integer_value(json_object_get(doc, "exit_code")), 2);
	f = json_array_get(json_object_get(doc, "findings"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(f, "code")), "plugin.timeout");
	ck_assert_int_eq(
	    json_integer_value(json_object_get(json_object_get(f, "params"), "timeout")), 2);
	ck_assert_str_eq(json_string_value(json_object_get(doc, "summary")),
			 "timed out after 2 s while asking \"x\"");
	json_decref(doc);
	free(text);
}
END_TEST

START_TEST(disarmed_backstop_does_not_fire)
{
	struct deadline dl;

	deadline_start(&dl, 1);
	dl.end = dl.start;
	ck_assert_int_eq(deadline_arm_backstop(&dl, test_backstop, "X"), 0);
	deadline_disarm_backstop(&dl);
	usleep((DEADLINE_BACKSTOP_MS + 200) * 1000);
	/* still alive */
	ck_assert(!dl.timer_armed);
}
END_TEST

static Suite *
deadline_suite(void)
{
	Suite *s = suite_create("deadline");
	TCase *tc = tcase_create("deadline");

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, time_left_counts_down);
	tcase_add_test(tc, expired_deadline_has_no_time_left);
	tcase_add_test(tc, timeout_values_are_strict);
	tcase_add_test(tc, stage_is_recorded_and_cut);
	tcase_add_test(tc, backstop_ends_a_blocked_process_through_the_plugins_function);
	tcase_add_test(tc, timeout_renders_a_clean_critical_result);
	tcase_add_test(tc, timeout_renders_as_json_when_asked);
	tcase_add_test(tc, disarmed_backstop_does_not_fire);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(deadline_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
