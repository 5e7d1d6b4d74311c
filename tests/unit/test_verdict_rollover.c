/*
 * test_verdict_rollover.c -- the rollover verdicts on facts, no network (table-driven).
 */
#include "config.h"

#include <check.h>

#include "verdict_test.h"

Suite *
verdict_rollover_suite(void)
{
	Suite *s = suite_create("verdict_rollover");

	return s;
}
