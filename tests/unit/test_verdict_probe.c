/*
 * test_verdict_probe.c -- the probe verdicts on facts, no network (table-driven).
 */
#include "config.h"

#include <check.h>

#include "verdict_test.h"

Suite *
verdict_probe_suite(void)
{
	Suite *s = suite_create("verdict_probe");

	return s;
}
