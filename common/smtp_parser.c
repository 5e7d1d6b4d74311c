/*
 * smtp_parser.c -- SMTP replies from untrusted bytes, bounded in space.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "smtp_parser.h"

static char
ascii_upper(char ch)
{
	return (ch >= 'a' && ch <= 'z') ? (char)(ch - 'a' + 'A') : ch;
}

void
smtp_parser_init(struct smtp_parser *p)
{
	memset(p, 0, sizeof(*p));
}

void
smtp_parser_clear(struct smtp_parser *p)
{
	if (p == NULL)
		return;
	free(p->reply.text);
	memset(p, 0, sizeof(*p));
}

void
smtp_reply_clear(struct smtp_reply *reply)
{
	if (reply == NULL)
		return;
	free(reply->text);
	memset(reply, 0, sizeof(*reply));
}

const struct smtp_parse_error *
smtp_parser_error(const struct smtp_parser *p)
{
	return &p->error;
}

/* Fail with fault (the codes for SMTP_FAULT_CODE_CHANGED, else 0). */
static enum smtp_parse
parse_fail(struct smtp_parser *p, enum smtp_parse_fault fault, int code, int line_code)
{
	p->error = (struct smtp_parse_error){fault, code, line_code};
	return fault == SMTP_FAULT_NOMEM ? SMTP_PARSE_NOMEM : SMTP_PARSE_ERROR;
}

/* Append one byte to the reply text, growing it within the reply's bound. */
static enum smtp_parse
text_add(struct smtp_parser *p, char ch)
{
	struct smtp_reply *r = &p->reply;

	if (r->textlen + 2 > p->textsize) {
		size_t size = p->textsize ? p->textsize * 2 : 256;
		char *text;

		if (size < r->textlen + 2)
			size = r->textlen + 2;
		if (size > SMTP_REPLY_BYTES_MAX + 2)
			size = SMTP_REPLY_BYTES_MAX + 2;
		if (r->textlen + 2 > size)
			return parse_fail(p, SMTP_FAULT_REPLY_TOO_LONG, 0, 0);
		text = realloc(r->text, size);
		if (text == NULL)
			return parse_fail(p, SMTP_FAULT_NOMEM, 0, 0);
		r->text = text;
		p->textsize = size;
	}
	r->text[r->textlen++] = ch;
	r->text[r->textlen] = '\0';
	return SMTP_PARSE_MORE;
}

/* One byte of the current line that is not its line end. */
static enum smtp_parse
line_byte(struct smtp_parser *p, char ch)
{
	struct smtp_reply *r = &p->reply;
	size_t i = p->linelen;

	if (i >= SMTP_LINE_MAX)
		return parse_fail(p, SMTP_FAULT_LINE_TOO_LONG, 0, 0);
	if (i < 3) {
		if (ch < '0' || ch > '9' || (i == 0 && (ch < '2' || ch > '5')))
			return parse_fail(p, SMTP_FAULT_CODE, 0, 0);
		p->linecode = p->linecode * 10 + (ch - '0');
		if (i == 2 && r->nlines > 0 && p->linecode != r->code)
			return parse_fail(p, SMTP_FAULT_CODE_CHANGED, r->code, p->linecode);
		if (i == 2 && r->nlines == 0)
			r->code = p->linecode;
		if (i == 0 && r->nlines > 0) {
			enum smtp_parse st = text_add(p, '\n'); /* joins the lines */

			if (st != SMTP_PARSE_MORE)
				return st;
		}
	} else if (i == 3) {
		if (ch == '-')
			p->last = false;
		else if (ch == ' ')
			p->last = true;
		else
			return parse_fail(p, SMTP_FAULT_CODE, 0, 0);
	} else {
		enum smtp_parse st = text_add(p, ch);

		if (st != SMTP_PARSE_MORE)
			return st;
	}
	if (r->nlines == 0) {
		if (r->first_line_len + 1 < sizeof(r->first_line))
			r->first_line[r->first_line_len++] = ch;
		else
			r->first_line_cut = true;
		r->first_line[r->first_line_len] = '\0';
	}
	p->linelen++;
	return SMTP_PARSE_MORE;
}

/* The current line ended (LF); returns SMTP_PARSE_DONE after the last line. */
static enum smtp_parse
line_end(struct smtp_parser *p)
{
	struct smtp_reply *r = &p->reply;

	if (p->linelen < 3)
		return parse_fail(p, SMTP_FAULT_CODE, 0, 0);
	if (p->linelen == 3)
		p->last = true; /* "DDD" alone */
	r->nlines++;
	p->linelen = 0;
	p->linecode = 0;
	if (p->last)
		return SMTP_PARSE_DONE;
	if (r->nlines >= SMTP_REPLY_LINES_MAX)
		return parse_fail(p, SMTP_FAULT_TOO_MANY_LINES, 0, 0);
	return SMTP_PARSE_MORE;
}

enum smtp_parse
smtp_parser_feed(struct smtp_parser *p, const char *bytes, size_t len, size_t *consumed,
		 struct smtp_reply *reply)
{
	enum smtp_parse st = SMTP_PARSE_MORE;
	size_t i;

	*consumed = 0;
	if (p->error.fault != SMTP_FAULT_NONE)
		return p->error.fault == SMTP_FAULT_NOMEM ? SMTP_PARSE_NOMEM : SMTP_PARSE_ERROR;
	for (i = 0; i < len; i++) {
		char ch = bytes[i];

		if (p->total >= SMTP_REPLY_BYTES_MAX) {
			st = parse_fail(p, SMTP_FAULT_REPLY_TOO_LONG, 0, 0);
			break;
		}
		if (ch == '\n') {
			p->cr = false;
			p->total++;
			st = line_end(p);
			if (st != SMTP_PARSE_MORE) {
				if (st == SMTP_PARSE_DONE)
					i++;
				break;
			}
			continue;
		}
		if (p->cr) {
			/* a CR that does not end the line is data */
			p->cr = false;
			st = line_byte(p, '\r');
			if (st != SMTP_PARSE_MORE)
				break;
		}
		if (ch == '\r') {
			p->cr = true;
			p->total++;
			continue;
		}
		st = line_byte(p, ch);
		if (st != SMTP_PARSE_MORE)
			break;
		p->total++;
	}
	*consumed = i;
	if (st == SMTP_PARSE_DONE) {
		if (p->reply.text == NULL) {
			/* no text at all ("250\r\n"): still a string */
			p->reply.text = calloc(1, 1);
			if (p->reply.text == NULL)
				return parse_fail(p, SMTP_FAULT_NOMEM, 0, 0);
		}
		*reply = p->reply;
		memset(p, 0, sizeof(*p));
	}
	return st;
}

/* Length of the first word of a line: up to a space, a tab or '=' (old AUTH=). */
static size_t
first_word(const char *line, size_t len)
{
	size_t n = 0;

	while (n < len && line[n] != ' ' && line[n] != '\t' && line[n] != '=')
		n++;
	return n;
}

/*
 * Call fn for the first word of every line of an EHLO reply from the second
 * on; stops when fn returns true, and returns that.
 */
static bool
each_ehlo_word(const struct smtp_reply *reply, bool (*fn)(const char *word, size_t len, void *arg),
	       void *arg)
{
	const char *p, *end, *nl;

	if (reply == NULL || reply->text == NULL)
		return false;
	p = reply->text;
	end = reply->text + reply->textlen;
	nl = memchr(p, '\n', (size_t)(end - p));
	while (nl != NULL) {
		size_t linelen;

		p = nl + 1;
		nl = memchr(p, '\n', (size_t)(end - p));
		linelen = (size_t)((nl != NULL ? nl : end) - p);
		if (fn(p, first_word(p, linelen), arg))
			return true;
	}
	return false;
}

static bool
word_is(const char *word, size_t len, void *arg)
{
	const char *keyword = arg;
	size_t i;

	if (len != strlen(keyword))
		return false;
	for (i = 0; i < len; i++)
		if (ascii_upper(word[i]) != ascii_upper(keyword[i]))
			return false;
	return true;
}

bool
smtp_reply_has_keyword(const struct smtp_reply *reply, const char *keyword)
{
	if (keyword == NULL || *keyword == '\0')
		return false;
	return each_ehlo_word(reply, word_is, (void *)(uintptr_t)keyword);
}

/* Where smtp_reply_keywords() writes. */
struct keyword_list {
	char *dst;
	size_t size;
	size_t used;
};

/* Append a plausible keyword (letters, digits, '-') in upper case to a list. */
static bool
add_keyword(const char *word, size_t len, void *arg)
{
	struct keyword_list *l = arg;
	size_t i;

	if (len == 0 || len > SMTP_KEYWORD_LEN)
		return false;
	for (i = 0; i < len; i++) {
		char ch = word[i];

		if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		      (ch >= '0' && ch <= '9') || ch == '-'))
			return false;
	}
	if (l->used + (l->used > 0) + len + 1 > l->size)
		return false;
	if (l->used > 0)
		l->dst[l->used++] = ' ';
	for (i = 0; i < len; i++)
		l->dst[l->used++] = ascii_upper(word[i]);
	l->dst[l->used] = '\0';
	return false;
}

void
smtp_reply_keywords(const struct smtp_reply *reply, char *dst, size_t size)
{
	struct keyword_list l = {dst, size, 0};

	if (dst == NULL || size == 0)
		return;
	dst[0] = '\0';
	each_ehlo_word(reply, add_keyword, &l);
}
