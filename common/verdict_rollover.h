/*
 * verdict_rollover.h -- what breaks DANE at the next renewal, and when:
 * check_dane_rollover's verdicts.
 *
 * Facts gathered elsewhere (the hosts of the walk and their TLSA records,
 * the chains their addresses presented or the deployed chain file, staged
 * next keys and certificates, the authoritative servers asked) become
 * findings: certificate expiry, records a renewal will not match, a staged
 * key or certificate that is not published yet (verdict_staged.h), records
 * that match nothing (stale), addresses that present different keys
 * (partial rollover), RRSIG expiry; then the status line and the perfdata.
 * "now" is a parameter, so the rules are tested without the real clock.
 */
#ifndef DANE_VERDICT_ROLLOVER_H
#define DANE_VERDICT_ROLLOVER_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "auth.h"
#include "cert.h"
#include "expiry.h"
#include "mx.h"
#include "output.h"
#include "probe.h"
#include "range.h"
#include "rollover_files.h"
#include "tlsa.h"

/** The settings of a run, its staged material and the clock. */
struct verdict_rollover_params {
	time_t now;
	struct expiry_policy expiry;     /* certificate expiry: days or shares of the lifetime */
	struct range sig_warn, sig_crit; /* RRSIG expiry: alert below so many days left */
	bool stale_warning;              /* stale records are WARNING, not a detail */
	bool gate;                       /* the renewal gate: only the staged files are judged */
	/* --cert (the deployed chain, instead of the probes), the staged next certificates
	 * and keys, --issuers (the intermediate CAs a renewal may come from) */
	const struct rollover_files *files;
	/* the authoritative servers asked (-A), or NULL: a staged key or certificate
	 * counts as published only when every server serves its record */
	const struct auth_result *auth;
};

/** What the verdicts of a run add up to, for the status line and the perfdata. */
struct verdict_rollover_totals {
	bool cert_set;              /* a certificate was judged */
	double cert_days;           /* days left of the one that expires first */
	struct expiry_verdict cert; /* what the policy says of it (its thresholds) */
	double sig_days;            /* fewest days left of the RRSIGs; NAN: none seen */
	size_t hosts;               /* hosts with usable TLSA records */
};

/** Start the totals of a run: nothing seen. */
void verdict_rollover_totals_init(struct verdict_rollover_totals *t);

/**
 * The RRSIGs of a secure MX RRset (not for the gate): when they expire, a
 * top-level finding (rrsig.expiry, rrsig.expires_soon); t->sig_days is
 * lowered.
 */
void verdict_rollover_mx(const struct mx_result *r, const struct verdict_rollover_params *p,
			 struct output *out, struct verdict_rollover_totals *t);

/**
 * Every host of r with usable TLSA records, one verdict_rollover_host() each.
 * batch: the probes that fetched the chains, or NULL when none ran (--cert,
 * the gate).
 */
void verdict_rollover_hosts(const struct mx_result *r, const struct probe_batch *batch,
			    const struct verdict_rollover_params *p, struct output *out,
			    struct verdict_rollover_totals *t);

/**
 * The forecast for one host with usable TLSA records, one top-level finding
 * (renewal.host) with the others below it. The gate judges only the staged
 * files. Otherwise the chains it presented (p->cert_chain, else its probes
 * in batch) are judged: expiry and the record that matches each leaf, no
 * chain, partial rollover, the staged files, what the next renewal breaks,
 * --issuers, stale records, RRSIG expiry. t is updated with the certificate
 * that expires first (a leaf, or the CA a DANE-TA record anchors on), the
 * RRSIGs and the host count. Returns the host's finding (NULL: out of memory).
 */
struct finding *verdict_rollover_host(const struct mx_host *h, const struct probe_batch *batch,
				      const struct verdict_rollover_params *p, struct output *out,
				      struct verdict_rollover_totals *t);

/**
 * The status line: no breakage ahead (or, for the gate, that deploying
 * keeps DANE working), else where the worst state comes from.
 */
void verdict_rollover_summary(const struct mx_result *r, const struct verdict_rollover_params *p,
			      const struct verdict_rollover_totals *t, struct output *out);

/**
 * The perfdata: cert_days with the thresholds, in days, of the certificate
 * that expires first (without one: of a one-year certificate), sig_days with
 * the --sig-* ranges, and time (elapsed seconds).
 */
void verdict_rollover_perfdata(const struct verdict_rollover_params *p,
			       const struct verdict_rollover_totals *t, double elapsed,
			       struct output *out);

/**
 * A file of option (--cert, --next-cert, --next-key, --issuers) that cannot
 * be used: an UNKNOWN finding (file.unusable) that ends the run. st and err
 * are what the loader said (CERT_LOAD_PEM for cert_load_chain_pem() and
 * cert_load_pubkey_pem()).
 */
void verdict_rollover_file(struct output *out, const char *option, const char *file,
			   enum cert_load_status st, const char *err);

/**
 * Name the record rd in full ("3 1 1 <hex>") on f, a finding of out: as
 * the subject's tlsa when param is NULL, else as the string parameter param.
 */
void verdict_rollover_record(struct output *out, struct finding *f, const char *param,
			     const struct tlsa_rdata *rd);

#endif /* DANE_VERDICT_ROLLOVER_H */
