/*
 * test_verdict_words.c -- the words verdicts on facts, no network (table-driven).
 */
#include "config.h"

#include <check.h>

#include "verdict_test.h"

Suite *
verdict_words_suite(void)
{
	Suite *s = suite_create("verdict_words");

	return s;
}
