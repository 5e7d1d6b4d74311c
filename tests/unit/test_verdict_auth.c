/*
 * test_verdict_auth.c -- the auth verdicts on facts, no network (table-driven).
 */
#include "config.h"

#include <check.h>

#include "verdict_test.h"

Suite *
verdict_auth_suite(void)
{
	Suite *s = suite_create("verdict_auth");

	return s;
}
