/*
 * verdict_auth.h -- what the answers of every authoritative server of the
 * zones of the MX and TLSA records (auth.h, -A) mean for DANE senders: a
 * validating resolver asks one of the servers, so a server that serves
 * other data, or signatures about to expire, hands a share of the world's
 * senders stale data.
 */
#ifndef DANE_VERDICT_AUTH_H
#define DANE_VERDICT_AUTH_H

#include <time.h>

#include "auth.h"
#include "output.h"

/** A server whose signatures expire this much (seconds) before the others' is stale. */
#define AUTH_SIG_LAG 86400

/**
 * The findings on the authoritative servers of every zone (auth.h; codes
 * auth.*): a line per zone (auth.zone); under it, WARNING for a server that
 * does not answer as an authority, CRITICAL for a server whose RRset differs
 * from the one with the highest SOA serial (auth.server_stale when its
 * serial is lower, else auth.server_differs; what it lacks and has in
 * addition), an OK line for TTL differences, WARNING for signatures expired
 * or expiring AUTH_SIG_LAG before the others', and auth.servers_agree when
 * nothing differs.
 */
void verdict_auth(const struct auth_result *a, time_t now, struct output *out);

#endif /* DANE_VERDICT_AUTH_H */
