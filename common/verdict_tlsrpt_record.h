/*
 * verdict_tlsrpt_record.h -- what senders make of a domain's TLSRPT policy
 * record (RFC 8460 3), as check_tlsa reports it: where they send reports of
 * TLS failures, or why they send none.
 */
#ifndef DANE_VERDICT_TLSRPT_RECORD_H
#define DANE_VERDICT_TLSRPT_RECORD_H

#include "output.h"
#include "tlsrpt_record.h"

/**
 * The finding on domain's TLSRPT record r (top level of out): a valid record
 * is an OK line naming the report addresses (tlsrpt.record), none an OK note
 * (tlsrpt.record_missing), both shown from -v on; several records
 * (tlsrpt.records_multiple), one that does not parse (tlsrpt.record_invalid)
 * or a failed lookup (tlsrpt.record_lookup_failed) a WARNING: senders then
 * send no reports. Subject: domain and name (the record's owner).
 */
void verdict_tlsrpt_record(const char *domain, const struct tlsrpt_record *r, struct output *out);

#endif /* DANE_VERDICT_TLSRPT_RECORD_H */
