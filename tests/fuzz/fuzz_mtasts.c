/*
 * fuzz_mtasts -- libFuzzer target for the MTA-STS parsers (common/mtasts.c,
 * issue 20): what a stranger's DNS and HTTPS server hand check_mta_sts.
 *
 * The whole input is, in turn: a TXT record (mtasts_txt_parse), a policy
 * body (mtasts_policy_parse), a Content-Type value (mtasts_is_text_plain),
 * the raw Content-Type and Location of a fetch (words_mtasts_fetch); split
 * at its first NUL, a pattern and a host name (mtasts_mx_match).
 * Properties: a valid record has a 1-32 character alphanumeric id; a valid
 * policy has a mode, a max_age within the bound, mx patterns unless the mode
 * is none, and every pattern it kept matches a host built from it (and a
 * wildcard never matches its bare parent or two labels); what a parse
 * reports points inside the input; matching ignores case; every sentence the
 * words layer makes of the facts is NUL-terminated printable ASCII.
 */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mtasts.h"
#include "words_mtasts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_mtasts: %s:%d: %s\n", __FILE__, __LINE__, #cond);    \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* NUL-terminated, printable ASCII only. */
static void
check_words(const char *s, size_t size)
{
	size_t i, n = strlen(s);

	CHECK(n < size);
	for (i = 0; i < n; i++)
		CHECK(isprint((unsigned char)s[i]));
}

static void
fuzz_txt(const uint8_t *data, size_t size)
{
	struct mtasts_txt t;
	char words[WORDS_MTASTS_MAX];
	size_t i, n;

	mtasts_txt_parse(data, size, &t);
	CHECK(t.length == size);
	if (t.status == MTASTS_TXT_OK) {
		n = strlen(t.id);
		CHECK(n >= 1 && n <= MTASTS_ID_MAX);
		for (i = 0; i < n; i++)
			CHECK(isalnum((unsigned char)t.id[i]));
		CHECK(mtasts_txt_is_sts(data, size));
	}
	if (t.status == MTASTS_TXT_BAD_BYTE || t.status == MTASTS_TXT_SYNTAX ||
	    t.status == MTASTS_TXT_BAD_ID || t.status == MTASTS_TXT_TWO_IDS)
		CHECK(t.offset < size);
	if (t.status == MTASTS_TXT_BAD_BYTE)
		CHECK(data[t.offset] == t.byte);
	CHECK(t.excerpt_len < MTASTS_EXCERPT_MAX);
	words_mtasts_txt(&t, words, sizeof(words));
	check_words(words, sizeof(words));
	words_mtasts_txt(&t, words, 9);
	check_words(words, 9);
}

/* Every pattern a valid policy kept matches a host made from it. */
static void
check_patterns(const struct mtasts_policy *p)
{
	char host[MTASTS_PATTERN_MAX + 16];
	size_t i;

	for (i = 0; i < p->nmx; i++) {
		const char *pat = p->mx[i];

		CHECK(strlen(pat) > 0 && strlen(pat) < MTASTS_PATTERN_MAX);
		if (pat[0] == '*') {
			CHECK(pat[1] == '.');
			snprintf(host, sizeof(host), "x%s.", pat + 1);
			CHECK(mtasts_mx_match(pat, host));
			CHECK(!mtasts_mx_match(pat, pat + 2));
			snprintf(host, sizeof(host), "a.b%s", pat + 1);
			CHECK(!mtasts_mx_match(pat, host));
		} else {
			CHECK(mtasts_mx_match(pat, pat));
			snprintf(host, sizeof(host), "%s.", pat);
			CHECK(mtasts_mx_match(pat, host));
		}
		CHECK(mtasts_policy_match(p, pat[0] == '*' ? "" : pat) <= (int)i);
	}
}

static void
fuzz_policy(const uint8_t *data, size_t size, struct mtasts_policy *p)
{
	char words[WORDS_MTASTS_MAX];

	mtasts_policy_parse(data, size, p);
	CHECK(p->length == size);
	CHECK(p->nmx <= MTASTS_MX_MAX);
	CHECK(p->nlines <= MTASTS_POLICY_LINES_MAX);
	CHECK(p->excerpt_len < MTASTS_EXCERPT_MAX);
	if (p->status == MTASTS_POLICY_OK) {
		CHECK(p->mode != MTASTS_MODE_UNSET);
		CHECK(p->max_age <= MTASTS_MAX_AGE_MAX);
		CHECK(p->mode == MTASTS_MODE_NONE || p->nmx > 0);
		CHECK(p->line == 0);
		check_patterns(p);
	}
	if (p->status == MTASTS_POLICY_BAD_BYTE)
		CHECK(memchr(data, p->byte, size) != NULL);
	CHECK(p->line <= p->nlines + 1);
	words_mtasts_policy(p, words, sizeof(words));
	check_words(words, sizeof(words));
}

static void
fuzz_match(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	char pat[300], host[300];
	size_t plen, hlen, i;
	bool m;

	if (nul == NULL)
		return;
	plen = (size_t)(nul - data);
	hlen = size - plen - 1;
	if (plen >= sizeof(pat) || hlen >= sizeof(host))
		return;
	memcpy(pat, data, plen);
	pat[plen] = '\0';
	memcpy(host, nul + 1, hlen);
	host[hlen] = '\0';
	m = mtasts_mx_match(pat, host);
	/* case does not matter */
	for (i = 0; i < plen; i++)
		pat[i] = (char)toupper((unsigned char)pat[i]);
	for (i = 0; i < strlen(host); i++)
		host[i] = (char)tolower((unsigned char)host[i]);
	CHECK(mtasts_mx_match(pat, host) == m);
}

static void
fuzz_fetch_words(const uint8_t *data, size_t size)
{
	struct mtasts_fetch f;
	char words[WORDS_MTASTS_MAX];
	size_t n = size < MTASTS_FETCH_VALUE_MAX - 1 ? size : MTASTS_FETCH_VALUE_MAX - 1;
	int s;

	memset(&f, 0, sizeof(f));
	memcpy(f.content_type, data, n);
	f.content_type_len = n;
	f.has_content_type = true;
	memcpy(f.location, data, n);
	f.location_len = n;
	memcpy(f.curl_error, data, n);
	f.curl_error[n] = '\0';
	f.http_status = size;
	f.body_received = size;
	for (s = MTASTS_FETCH_OK; s <= MTASTS_FETCH_LOCAL; s++) {
		f.status = (enum mtasts_fetch_status)s;
		words_mtasts_fetch(&f, "mta-sts.example.org", words, sizeof(words));
		check_words(words, sizeof(words));
	}
	if (mtasts_is_text_plain((const char *)data, size))
		CHECK(size >= 10);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mtasts_policy p; /* 32 KiB: off the stack */

	fuzz_txt(data, size);
	fuzz_policy(data, size, &p);
	fuzz_match(data, size);
	fuzz_fetch_words(data, size);
	return 0;
}
