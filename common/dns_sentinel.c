/*
 * dns_sentinel.c -- the root key sentinel (RFC 8509), read from two answers.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "dns_sentinel.h"

int
dns_sentinel_name(unsigned int tag, bool is_ta, const char *base, char *dst, size_t size)
{
	size_t len = strlen(base);
	int n;

	if (tag > 65535)
		return -1;
	if (strcmp(base, ".") == 0 || len == 0)
		n = snprintf(dst, size, "root-key-sentinel-%s-ta-%05u.", is_ta ? "is" : "not", tag);
	else
		n = snprintf(dst, size, "root-key-sentinel-%s-ta-%05u.%s%s", is_ta ? "is" : "not",
			     tag, base, base[len - 1] == '.' ? "" : ".");
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

enum dns_sentinel_answer
dns_sentinel_answer_kind(const struct dns_answer *a)
{
	switch (a->cls) {
	case DNS_SECURE:
	case DNS_INSECURE:
		return DNS_SENTINEL_DATA;
	case DNS_BOGUS:
		return DNS_SENTINEL_SERVFAIL; /* SERVFAIL, then the data with CD */
	case DNS_ERROR:
		return a->error == DNS_ERR_SERVFAIL ? DNS_SENTINEL_SERVFAIL : DNS_SENTINEL_OTHER;
	case DNS_NONEXISTENT:
		return a->secure ? DNS_SENTINEL_DENIAL : DNS_SENTINEL_OTHER;
	default:
		return DNS_SENTINEL_OTHER;
	}
}

enum dns_sentinel
dns_sentinel_read(const struct dns_answer *is_ta, const struct dns_answer *not_ta)
{
	enum dns_sentinel_answer is = dns_sentinel_answer_kind(is_ta);
	enum dns_sentinel_answer not = dns_sentinel_answer_kind(not_ta);

	bool is_answered = is == DNS_SENTINEL_DATA || is == DNS_SENTINEL_DENIAL;
	bool not_answered = not == DNS_SENTINEL_DATA || not == DNS_SENTINEL_DENIAL;

	if (is_answered && not == DNS_SENTINEL_SERVFAIL)
		return DNS_SENTINEL_TRUSTED;
	if (is == DNS_SENTINEL_SERVFAIL && not_answered)
		return DNS_SENTINEL_NOT_TRUSTED;
	if (is == DNS_SENTINEL_DATA && not == DNS_SENTINEL_DATA)
		return DNS_SENTINEL_UNSUPPORTED;
	return DNS_SENTINEL_INCONCLUSIVE;
}

const char *
dns_sentinel_key_name(unsigned int tag)
{
	switch (tag) {
	case DNS_SENTINEL_KSK_2017:
		return "KSK-2017";
	case DNS_SENTINEL_KSK_2024:
		return "KSK-2024";
	default:
		return NULL;
	}
}
