/*
 * fuzz_smtp_parser -- libFuzzer target for the incremental SMTP reply parser
 * (common/smtp.c, issue 7).
 *
 * Input: byte 0 (mod 16, plus 1) = how many chunk-size bytes follow; they
 * give the sizes (1..256) in which the rest, the server's bytes, is fed,
 * cycling. Properties checked (abort on violation):
 *  - every reply: code 200..599, 1..SMTP_REPLY_LINES_MAX lines, text
 *    NUL-terminated at textlen, textlen within SMTP_REPLY_BYTES_MAX, first line
 *    within its buffer, *consumed within the chunk;
 *  - after an error the parser stays failed and consumes nothing;
 *  - chunking does not matter: the replies (and the error) are the same as
 *    when everything is fed at once.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smtp_parser.h"
#include "words_conn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_REPLIES 64

/* What a parse produced: a digest of the replies, and how it ended. */
struct outcome {
	size_t nreplies;
	int codes[MAX_REPLIES];
	size_t nlines[MAX_REPLIES], textlen[MAX_REPLIES];
	uint32_t hash[MAX_REPLIES];
	enum smtp_parse last;
	char error[128];
	size_t used; /* bytes consumed in all */
};

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_smtp_parser: %s:%d: %s\n", __FILE__, __LINE__,       \
				#cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

static uint32_t
fnv(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (uint8_t)s[i]) * 16777619u;
	return h;
}

static void
check_reply(const struct smtp_reply *r, struct outcome *o)
{
	CHECK(r->code >= 200 && r->code <= 599);
	CHECK(r->nlines >= 1 && r->nlines <= SMTP_REPLY_LINES_MAX);
	CHECK(r->text != NULL);
	CHECK(r->textlen <= SMTP_REPLY_BYTES_MAX);
	CHECK(r->text[r->textlen] == '\0');
	CHECK(r->first_line_len < sizeof(r->first_line));
	CHECK(r->first_line[r->first_line_len] == '\0');
	CHECK(r->first_line_len >= 3);
	CHECK(r->first_line[0] - '0' == r->code / 100);
	/* lines are joined by '\n': one fewer than lines (text may hold more: raw bytes) */
	{
		size_t nl = 0, i;

		for (i = 0; i < r->textlen; i++)
			nl += r->text[i] == '\n';
		CHECK(nl >= r->nlines - 1);
	}
	(void)smtp_reply_has_keyword(r, "STARTTLS");
	(void)smtp_reply_has_keyword(r, "");
	if (o->nreplies < MAX_REPLIES) {
		o->codes[o->nreplies] = r->code;
		o->nlines[o->nreplies] = r->nlines;
		o->textlen[o->nreplies] = r->textlen;
		o->hash[o->nreplies] =
		    fnv(r->text, r->textlen) ^ fnv(r->first_line, r->first_line_len);
	}
	o->nreplies++;
}

/* Feed bytes in chunks of the given sizes (cycling); one size of 0: all at once. */
static void
run(const uint8_t *bytes, size_t len, const uint8_t *sizes, size_t nsizes, struct outcome *o)
{
	struct smtp_parser p;
	size_t off = 0, k = 0;

	memset(o, 0, sizeof(*o));
	smtp_parser_init(&p);
	o->last = SMTP_PARSE_MORE;
	while (off < len) {
		size_t chunk = nsizes > 0 ? (size_t)sizes[k++ % nsizes] + 1 : len - off;
		size_t pos = 0;

		if (chunk > len - off)
			chunk = len - off;
		/* one chunk may hold several replies */
		while (pos < chunk) {
			struct smtp_reply r;
			size_t used = 12345;
			enum smtp_parse st;

			memset(&r, 0, sizeof(r));
			st = smtp_parser_feed(&p, (const char *)bytes + off + pos, chunk - pos,
					      &used, &r);
			CHECK(used <= chunk - pos);
			o->used += used;
			pos += used;
			o->last = st;
			if (st == SMTP_PARSE_DONE) {
				check_reply(&r, o);
				smtp_reply_clear(&r);
				continue;
			}
			if (st == SMTP_PARSE_MORE) {
				CHECK(pos == chunk);
				break;
			}
			/* error: the parser stays failed and takes nothing more */
			CHECK(smtp_parser_error(&p)->fault != SMTP_FAULT_NONE);
			words_smtp_parse(smtp_parser_error(&p), o->error, sizeof(o->error));
			CHECK(o->error[0] != '\0');
			used = 12345;
			CHECK(smtp_parser_feed(&p, "220 x\r\n", 7, &used, &r) == st);
			CHECK(used == 0);
			smtp_parser_clear(&p);
			return;
		}
		off += chunk;
	}
	/* the parser never holds more than a reply's bound */
	CHECK(p.total <= SMTP_REPLY_BYTES_MAX);
	CHECK(p.reply.textlen <= SMTP_REPLY_BYTES_MAX);
	smtp_parser_clear(&p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct outcome chunked, whole;
	size_t nsizes, i;

	if (size < 1)
		return 0;
	nsizes = (size_t)(data[0] % 16) + 1;
	if (size < 1 + nsizes)
		return 0;
	run(data + 1 + nsizes, size - 1 - nsizes, data + 1, nsizes, &chunked);
	run(data + 1 + nsizes, size - 1 - nsizes, NULL, 0, &whole);
	CHECK(chunked.nreplies == whole.nreplies);
	CHECK(chunked.last == whole.last);
	CHECK(chunked.used == whole.used);
	CHECK(strcmp(chunked.error, whole.error) == 0);
	for (i = 0; i < chunked.nreplies && i < MAX_REPLIES; i++) {
		CHECK(chunked.codes[i] == whole.codes[i]);
		CHECK(chunked.nlines[i] == whole.nlines[i]);
		CHECK(chunked.textlen[i] == whole.textlen[i]);
		CHECK(chunked.hash[i] == whole.hash[i]);
	}
	return 0;
}
