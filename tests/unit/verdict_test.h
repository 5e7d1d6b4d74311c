/*
 * verdict_test.h -- helpers for the table-driven verdict tests: find the
 * finding of a code in a result, assert its state and subject, and record
 * which codes the tests saw, so that test_verdicts can check that every
 * code a verdict module produces has a test.
 */
#ifndef DANE_VERDICT_TEST_H
#define DANE_VERDICT_TEST_H

#include <check.h>
#include <stdbool.h>

#include "output.h"

/** The first finding of code in out (depth-first, in the order added), or NULL. */
const struct finding *vt_find(const struct output *out, enum finding_code code);

/**
 * Assert that out holds a finding of code whose state (with its children) is
 * state and whose subject has every field given in want (NULL fields and
 * port 0 are not compared); records code as tested. Returns the finding.
 */
const struct finding *vt_expect(const struct output *out, enum finding_code code, state_t state,
				const struct finding_subject *want);

/** Record that a test checked code (vt_expect() does it). */
void vt_seen(enum finding_code code);

/** Did a test record code? */
bool vt_was_seen(enum finding_code code);

/** The verdict suites (tests/unit/test_verdict_*.c), run by test_verdicts.c. */
Suite *verdict_mx_suite(void);
Suite *verdict_auth_suite(void);
Suite *verdict_probe_suite(void);
Suite *verdict_resolver_suite(void);
Suite *verdict_rollover_suite(void);
Suite *verdict_tlsrpt_suite(void);
Suite *verdict_tlsrpt_record_suite(void);
Suite *verdict_validation_suite(void);
Suite *verdict_mta_sts_suite(void);

#endif /* DANE_VERDICT_TEST_H */
