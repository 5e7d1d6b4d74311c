/*
 * test_verdict_mx.c -- the mx verdicts on facts, no network (table-driven).
 */
#include "config.h"

#include <check.h>

#include "verdict_test.h"

Suite *
verdict_mx_suite(void)
{
	Suite *s = suite_create("verdict_mx");

	return s;
}
