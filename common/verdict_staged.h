/*
 * verdict_staged.h -- is the next renewal covered? Staged next keys and
 * certificates, the issuers a renewal may come from, the renewal gate.
 */
#ifndef DANE_VERDICT_STAGED_H
#define DANE_VERDICT_STAGED_H

#include <stdbool.h>
#include <stdint.h>

#include "verdict_rollover.h"

/**
 * The staged next keys and certificates of p against the usable records of
 * h: published yet (on every authoritative server when p->auth is set)? One
 * line each under parent; record_is_next[i] is set for each record of h that
 * matches one of them. buf: ROLLOVER_DATA_MAX bytes of scratch.
 */
void verdict_staged_next(const struct mx_host *h, const struct verdict_rollover_params *p,
			 struct output *out, struct output_check *parent, uint8_t *buf,
			 bool *record_is_next);

/**
 * --issuers: which of p->issuers do the DANE-TA records of h cover? WARNING
 * for each one they do not, with the 2 1 1 record to publish; one OK line
 * naming them when all are; for hosts without DANE-TA records a -v line
 * saying the option does not apply. buf: ROLLOVER_DATA_MAX bytes.
 */
void verdict_staged_issuers(const struct mx_host *h, const struct verdict_rollover_params *p,
			    struct output *out, struct output_check *parent, uint8_t *buf);

/**
 * The renewal gate for one host with usable TLSA records: only the staged
 * next keys and certificates of p, each matched by a published usable record
 * (on every authoritative server when p->auth is set) or not. Adds their
 * lines under parent and returns the worst state added.
 */
state_t verdict_staged_gate(const struct mx_host *h, const struct verdict_rollover_params *p,
			    struct output *out, struct output_check *parent);

#endif
