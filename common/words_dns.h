/*
 * words_dns.h -- the words of DNS facts: what the fact layers (dns, dns_ede,
 * dns_trust, mx, auth) found, said for the operator's detail lines.
 *
 * The fact layers return facts (classes, failure kinds, errno, rcodes, EDE
 * codes and raw EXTRA-TEXT, counts, names); the verdict layer calls these
 * functions for the words. Each function writes into dst (size bytes, always
 * NUL-terminated when size > 0) and returns the length written. Where the
 * words were always cut at a fixed length (the WORDS_DNS_*_MAX below), they
 * still are, whatever size is. Pure functions: no I/O, no state, safe to
 * call from several threads.
 */
#ifndef DANE_WORDS_DNS_H
#define DANE_WORDS_DNS_H

#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "dns_answer.h"
#include "dns_ede.h"
#include "dns_trust.h"
#include "dns_validator.h"
#include "mx.h"

/** Most bytes (with the NUL) of the words of a failure (words_dns_error()). */
#define WORDS_DNS_ERROR_MAX 192

/** Most bytes (with the NUL) of the words of a trust verdict (words_dns_trust()). */
#define WORDS_DNS_TRUST_MAX 512

/** Most bytes (with the NUL) of the MX walk's words (words_dns_mx_*()). */
#define WORDS_DNS_MX_MAX MX_DETAIL_MAX

/** Most bytes (with the NUL) of words_dns_mx_trust_timeout(). */
#define WORDS_DNS_TRUST_TIMEOUT_MAX 400

/** Most bytes (with the NUL) of words_dns_auth_answer(). */
#define WORDS_DNS_AUTH_ANSWER_MAX 192

/** Most bytes (with the NUL) of words_dns_auth_zone(). */
#define WORDS_DNS_AUTH_ZONE_MAX 256

/**
 * Why a query failed (DNS_ERROR), from its facts: "timed out after 10 s while
 * looking up TLSA records", "connection refused (nothing listens on that
 * port)", "SERVFAIL, also with CD (the resolver cannot get an answer, not a
 * validation failure)", "REFUSED (the resolver refuses to answer us)",
 * "TCP fallback: Connection refused", ... "" for DNS_FAIL_NONE. At most
 * WORDS_DNS_ERROR_MAX - 1 characters.
 */
size_t words_dns_error(const struct dns_failure *f, char *dst, size_t size);

/**
 * An outcome in words for a detail line: "NOERROR, 1 A record, AD set
 * (validated, secure)", "NOERROR, 2 TLSA records + RRSIG, no AD (not
 * validated)", "NXDOMAIN, AD set (validated denial)", "NOERROR/NODATA, no AD
 * (not validated)", "SERVFAIL; with CD: NOERROR, the data does not validate
 * (bogus)"; validated here (--validate=local): "NOERROR, 1 A record + RRSIG,
 * validated here: secure", "NOERROR, the data does not validate (bogus,
 * validated here: validation failure <...>: ...)"; for DNS_ERROR,
 * words_dns_error().
 */
size_t words_dns_outcome(const struct dns_outcome *o, char *dst, size_t size);

/**
 * Why an outcome is a failure, for a line that reports it: words_dns_outcome(),
 * then its Extended DNS Errors, if any: "SERVFAIL; with CD: NOERROR, the data
 * does not validate (bogus); EDE 6 (DNSSEC Bogus): signature crypto failed".
 */
size_t words_dns_outcome_failure(const struct dns_outcome *o, char *dst, size_t size);

/**
 * A bogus outcome, as the MX walk says it: "SERVFAIL, the data is there with
 * CD but does not validate" (validated here: "validated here: <libunbound's
 * why_bogus>"), then its Extended DNS Errors, if any.
 */
size_t words_dns_bogus(const struct dns_outcome *o, char *dst, size_t size);

/** words_dns_outcome() of an answer. */
size_t words_dns_answer(const struct dns_answer *a, char *dst, size_t size);

/** words_dns_outcome_failure() of an answer. */
size_t words_dns_answer_failure(const struct dns_answer *a, char *dst, size_t size);

/** A DNSSEC algorithm: "ECDSAP256SHA256 (13)", "unknown algorithm (200)". Returns dst. */
const char *words_dns_algorithm(int alg, char *dst, size_t size);

/** The RFC 8914 name of an EDE INFO-CODE ("DNSSEC Bogus"), or "unassigned". */
const char *words_dns_ede_name(uint16_t code);

/**
 * The EXTRA-TEXT of an EDE, printable: control bytes, '|', '\' and bytes
 * >= 0x7f as \xNN, "..." when it was cut; "" when there is none. Room for
 * all of it: 4 * DNS_EDE_TEXT_MAX + 4 bytes.
 */
size_t words_dns_ede_text(const struct dns_ede *e, char *dst, size_t size);

/**
 * Every EDE in words: "EDE 6 (DNSSEC Bogus): signature crypto failed; EDE 9
 * (DNSKEY Missing)", with "and N more EDE" when more than DNS_EDE_MAX came,
 * and "(malformed EDE option)" when one was. "" when there is none.
 */
size_t words_dns_ede(const struct dns_ede_list *list, char *dst, size_t size);

/**
 * What a trust verdict was judged by: "the DS RRset of example.org. came
 * validated (AD)", "the denial of a DS RRset for example.org. came with
 * signatures (RRSIG) but without the AD flag", "the DS RRset of example.org.
 * came validated (AD), yet the zone's own data came without AD", "no signed
 * data above the name to judge by", "the DS query of example.org. failed:
 * SERVFAIL, also with CD (...)"; with --validate=local what the forwarder did
 * wrong: "its answer to the DNSKEY query of . came without signatures
 * (RRSIG)", "it answers the DS query of example.org. from the child zone
 * (its own SOA), not from the parent", ...; "" when not judged. At most
 * WORDS_DNS_TRUST_MAX - 1 characters.
 */
size_t words_dns_trust(const struct dns_trust_result *r, char *dst, size_t size);

/**
 * The trust check that ran out of time: "timed out after 10 s while asking
 * 127.0.0.1@53 for the DS of example.org. and its ancestors"; "" when it did
 * not. At most WORDS_DNS_TRUST_TIMEOUT_MAX - 1 characters.
 */
size_t words_dns_mx_trust_timeout(const struct mx_trust *t, char *dst, size_t size);

/**
 * Why the MX lookup (or the -H hosts) ended where it did: "invalid domain
 * name 'a..b'", "invalid host name '...'", "out of memory"; for MX_ERROR and
 * MX_BOGUS words_dns_outcome_failure() of the MX answer; "NXDOMAIN",
 * "NXDOMAIN, and the denial is not DNSSEC-signed", "no MX records, and the
 * denial is not DNSSEC-signed", "the MX RRset has no AD flag"; "" otherwise.
 * At most WORDS_DNS_MX_MAX - 1 characters.
 */
size_t words_dns_mx_detail(const struct mx_result *r, char *dst, size_t size);

/**
 * What went wrong with a host's address answers: words_dns_bogus() or
 * words_dns_outcome_failure() of h->addr_problem; "" when none was bogus or
 * failed. At most WORDS_DNS_MX_MAX - 1 characters.
 */
size_t words_dns_mx_addr(const struct mx_host *h, char *dst, size_t size);

/**
 * What went wrong with a host's TLSA answer: words_dns_bogus() or
 * words_dns_outcome_failure() of h->tlsa_answer; "" when it was neither bogus
 * nor failed. At most WORDS_DNS_MX_MAX - 1 characters.
 */
size_t words_dns_mx_tlsa(const struct mx_host *h, char *dst, size_t size);

/**
 * What one authoritative server's answer to one question says, when it is
 * no good: words_dns_outcome_failure() of the answer (no answer, REFUSED,
 * SERVFAIL, ...), "answered NOERROR without AA: not an authority for the
 * zone", "answered with records of another name (other.example.)"; "" for
 * AUTH_OK. At most WORDS_DNS_AUTH_ANSWER_MAX - 1 characters.
 */
size_t words_dns_auth_answer(const struct auth_answer *a, char *dst, size_t size);

/**
 * Why the servers of a zone could not be asked: "no NS records for the zone
 * through the resolver (<words_dns_outcome_failure(), 200 characters at
 * most>)", "no address of its NS hosts could be found through the resolver";
 * "" when they were asked. At most WORDS_DNS_AUTH_ZONE_MAX - 1 characters.
 */
size_t words_dns_auth_zone(const struct auth_zone *z, char *dst, size_t size);

/**
 * Why --validate=local could not be set up: "cannot read the trust anchor
 * file /x: No such file or directory", "line 3 of the trust anchor file /x is
 * no DNS record", "the trust anchor file /x holds no usable DS or DNSKEY
 * record (2 skipped: ...)", "the root hints file /x has no NS record for the
 * root ...", "no resolver to take DNSSEC data from (...)", "cannot load
 * libunbound (libunbound.so.8), which validates DNSSEC here: DLERROR (install
 * it: ...)"; "" when it could.
 */
size_t words_dns_validator_failure(const struct dns_validator_failure *f, char *dst, size_t size);

#endif /* DANE_WORDS_DNS_H */
