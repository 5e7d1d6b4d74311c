/*
 * test_verdict_resolver.c -- the resolver verdicts on facts, no network (table-driven).
 */
#include "config.h"

#include <check.h>

#include "verdict_test.h"

Suite *
verdict_resolver_suite(void)
{
	Suite *s = suite_create("verdict_resolver");

	return s;
}
