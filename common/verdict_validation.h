/*
 * verdict_validation.h -- what a plugin says when --validate=local cannot be
 * set up: its trust anchor or root hints file cannot be used, or libunbound
 * cannot be loaded. Facts
 * (dns_validator.h) in, a finding out; nothing here does I/O.
 */
#ifndef DANE_VERDICT_VALIDATION_H
#define DANE_VERDICT_VALIDATION_H

#include "dns_validator.h"
#include "output.h"

/**
 * The run ends UNKNOWN with validation.file_unusable, naming the file (subject
 * file) and why ("cannot read the trust anchor file /x: No such file or
 * directory"); params option ("--trust-anchor" or "--root-hints"), problem
 * (a short word), line (a syntax error's line). libunbound that cannot be
 * loaded: UNKNOWN with validation.library_unavailable, subject file the
 * library ("libunbound.so.8"), params library, error (dlerror()'s text) and
 * symbol (a function it lacks). For a failure that is no file's (no resolver,
 * out of memory), the usage or local failure it is.
 */
void verdict_validation_setup(const struct dns_validator_failure *f, struct output *out);

#endif /* DANE_VERDICT_VALIDATION_H */
