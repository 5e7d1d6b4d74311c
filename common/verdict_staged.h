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
 * finding each under parent (staged.published, staged.unconfirmed,
 * staged.unpublished, staged.not_on_every_server); record_is_next[i] is set
 * for each record of h that matches one of them. buf: ROLLOVER_DATA_MAX
 * bytes of scratch.
 */
void verdict_staged_next(const struct mx_host *h, const struct verdict_rollover_params *p,
			 struct output *out, struct finding *parent, uint8_t *buf,
			 bool *record_is_next);

/**
 * --issuers: which of p->issuers do the DANE-TA records of h cover? WARNING
 * for each one they do not, with the 2 1 1 record to publish
 * (renewal.issuer_uncovered); one OK finding naming them when all are
 * (renewal.issuers_covered); WARNING when the file held more than were read
 * (renewal.issuers_truncated); for hosts without DANE-TA records a -v line
 * saying the option does not apply (renewal.issuers_not_applicable). buf:
 * ROLLOVER_DATA_MAX bytes.
 */
void verdict_staged_issuers(const struct mx_host *h, const struct verdict_rollover_params *p,
			    struct output *out, struct finding *parent, uint8_t *buf);

/**
 * The renewal gate for one host with usable TLSA records: only the staged
 * next keys and certificates of p, each matched by a published usable record
 * (on every authoritative server when p->auth is set) or not, under parent.
 * buf: ROLLOVER_DATA_MAX bytes.
 */
void verdict_staged_gate(const struct mx_host *h, const struct verdict_rollover_params *p,
			 struct output *out, struct finding *parent, uint8_t *buf);

#endif /* DANE_VERDICT_STAGED_H */
