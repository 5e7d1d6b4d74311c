/*
 * verdict_tlsrpt.h -- what the SMTP TLS reports of real senders say, as
 * findings: per domain the failed share of its sessions against -w/-c, one
 * line per (MX host, result type), the TLSA records senders used against
 * those published now, reports that stopped coming (--max-age), files that
 * held no report (named, never an alarm), and the status line and perfdata.
 */
#ifndef DANE_VERDICT_TLSRPT_H
#define DANE_VERDICT_TLSRPT_H

#include <stdbool.h>
#include <time.h>

#include "output.h"
#include "range.h"
#include "tlsrpt_source.h"
#include "tlsrpt_tally.h"

/** How the reports are judged. */
struct verdict_tlsrpt_cfg {
	time_t now;
	unsigned int window_hours;   /* --window */
	unsigned int max_age_hours;  /* --max-age, 0: not given */
	const struct range *warning; /* on the failed share in percent; NULL: none */
	const struct range *critical;
	unsigned int port;    /* the SMTP port of the TLSA owners compared (_PORT._tcp) */
	unsigned int timeout; /* -t, for the words of files not read in time */
	bool label_suffix;    /* perfdata labels end in _<domain> (not exactly one -D) */
};

/**
 * Judge the reports of a run: findings for every domain of t, the files of
 * l that could not be read, the summary and the perfdata, into out.
 */
void verdict_tlsrpt(const struct tlsrpt_listing *l, const struct tlsrpt_tally *t,
		    const struct verdict_tlsrpt_cfg *cfg, struct output *out);

#endif /* DANE_VERDICT_TLSRPT_H */
