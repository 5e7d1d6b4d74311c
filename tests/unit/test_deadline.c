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

#include "deadline.h"

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

/* A child that blocks forever must be ended by the backstop with a clean line. */
START_TEST(backstop_ends_a_blocked_process_with_critical)
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
		deadline_stage(&dl, "reading the greeting of mx|1\n");
		if (deadline_arm_backstop(&dl, "DANE_SMTP") != 0)
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
	/* the stage is sanitized; the perfdata is the elapsed time, about 1.3 s */
	{
		const char *want = "DANE_SMTP CRITICAL - timed out after 1 s while reading the "
				   "greeting of mx?1? | 'time'=1.";
		size_t len = strlen(want);

		ck_assert_msg(strncmp(buf, want, len) == 0, "got: %s", buf);
		ck_assert_msg(strlen(buf) == len + 3 + strlen("s;;;0\n"), "got: %s", buf);
		ck_assert_msg(isdigit((unsigned char)buf[len]) &&
				  isdigit((unsigned char)buf[len + 1]) &&
				  isdigit((unsigned char)buf[len + 2]),
			      "got: %s", buf);
		ck_assert_str_eq(buf + len + 3, "s;;;0\n");
	}
}
END_TEST

START_TEST(disarmed_backstop_does_not_fire)
{
	struct deadline dl;

	deadline_start(&dl, 1);
	dl.end = dl.start;
	ck_assert_int_eq(deadline_arm_backstop(&dl, "X"), 0);
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
	tcase_add_test(tc, backstop_ends_a_blocked_process_with_critical);
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
