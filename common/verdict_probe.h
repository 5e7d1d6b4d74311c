/*
 * verdict_probe.h -- what a DANE SMTP client concludes from the probes of a
 * run (probe.h): per address, and per certificate type when the address
 * was probed per type, a finding (verified, type not offered, no match,
 * DANE-TA name mismatch, the SMTP or TLS failure), the addresses the
 * deadline left unprobed, the slowest address against -w/-c, the status
 * line and the perfdata.
 *
 * Facts in, findings out: the words of the SMTP and TLS failures are the
 * reasons the fact layers recorded (smtp_session.reason, tls_result.reason).
 */
#ifndef DANE_VERDICT_PROBE_H
#define DANE_VERDICT_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "mx.h"
#include "output.h"
#include "probe.h"
#include "range.h"

/**
 * What the probes of a run add up to, for the status line and the perfdata.
 * Zero it before verdict_probe_batch() fills it; a zeroed one stands for a
 * run that probed nothing.
 */
struct verdict_probe_counts {
	size_t addresses;        /* addresses probed */
	size_t failed_addresses; /* addresses with a probe that failed */
	size_t verified;         /* (address, certificate type) pairs verified */
	size_t failed;           /* pairs probed that neither verified nor lacked the type */
	size_t not_offered;      /* pairs whose type the server lacks */
	bool has_days;           /* a leaf certificate's dates were read */
	double min_days;         /* then: fewest days left of the leaf certificates */
};

/**
 * Judge every probe of b (run by probe_batch_run(); r is the walk it was
 * made from): UNKNOWN when some probes could not be started
 * (b->incomplete); per address, one finding per certificate it presented,
 * the types it lacks (OK, shown from -v on), a failure that hit every type
 * alike before any certificate once, and a WARNING naming the types the
 * deadline left unprobed; each address's '<host>[<address>]_time'
 * perfdata (its slowest verified probe, with the warn and crit ranges);
 * then the slowest verified address against crit and warn (NULL: no range).
 * now dates the certificates. Adds to counts.
 */
void verdict_probe_batch(const struct mx_result *r, const struct probe_batch *b,
			 const struct range *warn, const struct range *crit, time_t now,
			 struct output *out, struct verdict_probe_counts *counts);

/**
 * The status line after verdict_probe_batch(): every address verified, or
 * how many failed and the worst line, or the worst line alone.
 */
void verdict_probe_summary(const struct mx_result *r, const struct verdict_probe_counts *counts,
			   struct output *out);

/**
 * The run's perfdata: time (elapsed, seconds), addresses, verified, failed,
 * cert_expiry_days, not_offered. Also for a run that probed nothing.
 */
void verdict_probe_perfdata(const struct verdict_probe_counts *counts, double elapsed,
			    struct output *out);

#endif /* DANE_VERDICT_PROBE_H */
