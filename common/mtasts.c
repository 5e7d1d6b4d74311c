/*
 * mtasts.c -- MTA-STS TXT records, policies and mx patterns (RFC 8461),
 * parsed from untrusted bytes (facts only; the words are in words_mtasts.c).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "mtasts.h"

#define STS_VERSION     "v=STSv1"
#define STS_VERSION_LEN 7

static bool
is_wsp(uint8_t c)
{
	return c == ' ' || c == '\t';
}

static bool
is_alnum(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Keep up to MTASTS_EXCERPT_MAX - 1 raw bytes (NUL-terminated, may hold any byte). */
static void
take_excerpt(char *dst, size_t *dstlen, const uint8_t *src, size_t len)
{
	if (len > MTASTS_EXCERPT_MAX - 1)
		len = MTASTS_EXCERPT_MAX - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
	*dstlen = len;
}

/* Does [s, s+len) equal the NUL-terminated word, case-sensitively? */
static bool
equals(const uint8_t *s, size_t len, const char *word)
{
	return strlen(word) == len && memcmp(s, word, len) == 0;
}

/*
 * A key of RFC 8461 (TXT sts-ext-name, policy sts-policy-ext-name): a letter
 * or digit, then at most 31 letters, digits, '_', '-' or '.'.
 */
static bool
valid_key(const uint8_t *s, size_t len)
{
	size_t i;

	if (len == 0 || len > 32 || !is_alnum(s[0]))
		return false;
	for (i = 1; i < len; i++)
		if (!is_alnum(s[i]) && s[i] != '_' && s[i] != '-' && s[i] != '.')
			return false;
	return true;
}

bool
mtasts_txt_is_sts(const uint8_t *rec, size_t len)
{
	if (rec == NULL || len < STS_VERSION_LEN || memcmp(rec, STS_VERSION, STS_VERSION_LEN) != 0)
		return false;
	return len == STS_VERSION_LEN || rec[STS_VERSION_LEN] == ';' ||
	       is_wsp(rec[STS_VERSION_LEN]);
}

/* End the TXT parse with status at offset, keeping the field [f, f+flen) as excerpt. */
static enum mtasts_txt_status
txt_fail(struct mtasts_txt *t, enum mtasts_txt_status status, size_t offset, const uint8_t *f,
	 size_t flen)
{
	t->status = status;
	t->offset = offset;
	if (f != NULL)
		take_excerpt(t->excerpt, &t->excerpt_len, f, flen);
	return status;
}

/* One name=value field of a TXT record at rec[fs..fe). */
static enum mtasts_txt_status
txt_field(const uint8_t *rec, size_t fs, size_t fe, struct mtasts_txt *t)
{
	const uint8_t *eq = memchr(rec + fs, '=', fe - fs);
	size_t nlen, vs, i;

	if (eq == NULL)
		return txt_fail(t, MTASTS_TXT_SYNTAX, fs, rec + fs, fe - fs);
	nlen = (size_t)(eq - (rec + fs));
	vs = fs + nlen + 1;
	if (!valid_key(rec + fs, nlen) || vs >= fe)
		return txt_fail(t, MTASTS_TXT_SYNTAX, fs, rec + fs, fe - fs);
	/* sts-ext-value: 1*(%x21-3A / %x3C / %x3E-7E): no blank, no '=', no ';' */
	for (i = vs; i < fe; i++)
		if (rec[i] <= 0x20 || rec[i] == '=' || rec[i] >= 0x7f)
			return txt_fail(t, MTASTS_TXT_SYNTAX, i, rec + fs, fe - fs);
	t->nfields++;
	if (!equals(rec + fs, nlen, "id"))
		return MTASTS_TXT_OK; /* an extension: ignored */
	if (t->id[0] != '\0')
		return txt_fail(t, MTASTS_TXT_TWO_IDS, fs, rec + fs, fe - fs);
	if (fe - vs > MTASTS_ID_MAX)
		return txt_fail(t, MTASTS_TXT_BAD_ID, vs, rec + fs, fe - fs);
	for (i = vs; i < fe; i++)
		if (!is_alnum(rec[i]))
			return txt_fail(t, MTASTS_TXT_BAD_ID, i, rec + fs, fe - fs);
	memcpy(t->id, rec + vs, fe - vs);
	t->id[fe - vs] = '\0';
	return MTASTS_TXT_OK;
}

enum mtasts_txt_status
mtasts_txt_parse(const uint8_t *rec, size_t len, struct mtasts_txt *t)
{
	size_t i, p, fe;

	memset(t, 0, sizeof(*t));
	t->length = len;
	if (len > MTASTS_TXT_MAX)
		return t->status = MTASTS_TXT_TOO_LONG;
	for (i = 0; i < len; i++) {
		if ((rec[i] < 0x20 && rec[i] != '\t') || rec[i] >= 0x7f) {
			t->byte = rec[i];
			return txt_fail(t, MTASTS_TXT_BAD_BYTE, i, NULL, 0);
		}
	}
	if (!mtasts_txt_is_sts(rec, len))
		return t->status = MTASTS_TXT_NOT_STS;
	/* sts-version 1*(*WSP ";" *WSP sts-field) [";"] */
	p = STS_VERSION_LEN;
	for (;;) {
		while (p < len && is_wsp(rec[p]))
			p++;
		if (p == len)
			break;
		if (rec[p] != ';')
			return txt_fail(t, MTASTS_TXT_SYNTAX, p, rec + p, len - p);
		p++;
		while (p < len && is_wsp(rec[p]))
			p++;
		if (p == len)
			break; /* a final ';' */
		for (fe = p; fe < len && rec[fe] != ';'; fe++)
			;
		while (fe > p && is_wsp(rec[fe - 1]))
			fe--;
		if (fe == p)
			return txt_fail(t, MTASTS_TXT_SYNTAX, p, rec + p, 1); /* ";;" */
		if (txt_field(rec, p, fe, t) != MTASTS_TXT_OK)
			return t->status;
		p = fe;
	}
	if (t->id[0] == '\0')
		return t->status = MTASTS_TXT_NO_ID;
	return t->status = MTASTS_TXT_OK;
}

const char *
mtasts_mode_name(enum mtasts_mode mode)
{
	switch (mode) {
	case MTASTS_MODE_ENFORCE:
		return "enforce";
	case MTASTS_MODE_TESTING:
		return "testing";
	case MTASTS_MODE_NONE:
		return "none";
	case MTASTS_MODE_UNSET:
	default:
		return "unset";
	}
}

/* The state of one policy parse. */
struct pparse {
	struct mtasts_policy *p;
	bool have_version, have_mode, have_max_age;
	size_t fields; /* non-blank lines */
};

/* End the policy parse with status at the current line, excerpt [s, s+len). */
static enum mtasts_policy_status
policy_fail(struct mtasts_policy *p, enum mtasts_policy_status status, const uint8_t *s, size_t len)
{
	p->status = status;
	if (s != NULL)
		take_excerpt(p->excerpt, &p->excerpt_len, s, len);
	return status;
}

/*
 * An mx pattern: ["*."] Domain (RFC 5321: labels of letters, digits and
 * '-', not starting or ending with '-', 1-63 bytes; at most 253 in all).
 */
static bool
valid_pattern(const uint8_t *s, size_t len)
{
	size_t i, label = 0;

	if (len >= 2 && s[0] == '*' && s[1] == '.') {
		s += 2;
		len -= 2;
	}
	if (len == 0 || len > 253)
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] == '.') {
			if (label == 0 || s[i - 1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (!is_alnum(s[i]) && !(s[i] == '-' && label > 0))
			return false;
		if (++label > 63)
			return false;
	}
	return label > 0 && s[len - 1] != '-';
}

/* A repeated version, mode or max_age: the first counts; is this one the same? */
static void
note_duplicate(struct mtasts_policy *p, const char *key, bool differs)
{
	if (p->duplicates++ == 0) {
		snprintf(p->first_duplicate, sizeof(p->first_duplicate), "%s", key);
		p->duplicate_line = p->line;
	}
	p->duplicate_differs = p->duplicate_differs || differs;
}

/* max_age: 1*10DIGIT, at most MTASTS_MAX_AGE_MAX. Returns 0, or -1. */
static int
parse_max_age(const uint8_t *v, size_t len, unsigned long *out)
{
	unsigned long long n = 0;
	size_t i;

	if (len == 0 || len > 10)
		return -1;
	for (i = 0; i < len; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		n = n * 10 + (unsigned long long)(v[i] - '0');
	}
	if (n > MTASTS_MAX_AGE_MAX)
		return -1;
	*out = (unsigned long)n;
	return 0;
}

/* mode: enforce, testing or none (case-sensitive). */
static enum mtasts_mode
parse_mode(const uint8_t *v, size_t len)
{
	if (equals(v, len, "enforce"))
		return MTASTS_MODE_ENFORCE;
	if (equals(v, len, "testing"))
		return MTASTS_MODE_TESTING;
	if (equals(v, len, "none"))
		return MTASTS_MODE_NONE;
	return MTASTS_MODE_UNSET;
}

/* The field "key: value" of one line (blanks around it already cut). */
static enum mtasts_policy_status
policy_field(struct pparse *st, const uint8_t *s, size_t len)
{
	struct mtasts_policy *p = st->p;
	const uint8_t *colon = memchr(s, ':', len), *v;
	size_t klen, vlen, i;
	unsigned long age;
	enum mtasts_mode mode;

	if (colon == NULL || !valid_key(s, (size_t)(colon - s)))
		return policy_fail(p, MTASTS_POLICY_BAD_LINE, s, len);
	klen = (size_t)(colon - s);
	v = colon + 1;
	vlen = len - klen - 1;
	while (vlen > 0 && (v[0] == ' ' || v[0] == '\t')) {
		v++;
		vlen--;
	}
	st->fields++;
	if (equals(s, klen, "version")) {
		if (st->have_version) {
			note_duplicate(p, "version", !equals(v, vlen, "STSv1"));
			return MTASTS_POLICY_OK;
		}
		st->have_version = true;
		if (!equals(v, vlen, "STSv1"))
			return policy_fail(p, MTASTS_POLICY_BAD_VERSION, v, vlen);
	} else if (equals(s, klen, "mode")) {
		mode = parse_mode(v, vlen);
		if (st->have_mode) {
			note_duplicate(p, "mode", mode != p->mode);
			return MTASTS_POLICY_OK;
		}
		st->have_mode = true;
		if (mode == MTASTS_MODE_UNSET)
			return policy_fail(p, MTASTS_POLICY_BAD_MODE, v, vlen);
		p->mode = mode;
	} else if (equals(s, klen, "max_age")) {
		if (st->have_max_age) {
			note_duplicate(p, "max_age",
				       parse_max_age(v, vlen, &age) != 0 || age != p->max_age);
			return MTASTS_POLICY_OK;
		}
		st->have_max_age = true;
		if (parse_max_age(v, vlen, &p->max_age) != 0)
			return policy_fail(p, MTASTS_POLICY_BAD_MAX_AGE, v, vlen);
	} else if (equals(s, klen, "mx")) {
		if (p->nmx == MTASTS_MX_MAX)
			return policy_fail(p, MTASTS_POLICY_TOO_MANY_MX, v, vlen);
		if (!valid_pattern(v, vlen))
			return policy_fail(p, MTASTS_POLICY_BAD_MX, v, vlen);
		for (i = 0; i < vlen; i++)
			p->mx[p->nmx][i] = lower((char)v[i]);
		p->mx[p->nmx++][vlen] = '\0';
	} else {
		if (p->unknown++ == 0)
			snprintf(p->first_unknown, sizeof(p->first_unknown), "%.*s", (int)klen,
				 (const char *)s);
	}
	return MTASTS_POLICY_OK;
}

/* One line s[0..len) (no line end): bytes, blanks, then its field. */
static enum mtasts_policy_status
policy_line(struct pparse *st, const uint8_t *s, size_t len)
{
	struct mtasts_policy *p = st->p;
	size_t i;

	if (len > MTASTS_POLICY_LINE_MAX)
		return policy_fail(p, MTASTS_POLICY_LINE_TOO_LONG, s, MTASTS_EXCERPT_MAX);
	for (i = 0; i < len; i++) {
		if ((s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7f) {
			p->byte = s[i];
			return policy_fail(p, MTASTS_POLICY_BAD_BYTE, s, i);
		}
	}
	while (len > 0 && (s[0] == ' ' || s[0] == '\t')) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len == 0)
		return MTASTS_POLICY_OK; /* a blank line */
	return policy_field(st, s, len);
}

enum mtasts_policy_status
mtasts_policy_parse(const uint8_t *body, size_t len, struct mtasts_policy *p)
{
	struct pparse st = {p, false, false, false, 0};
	size_t pos = 0, end, llen;
	const uint8_t *nl;

	memset(p, 0, sizeof(*p));
	p->length = len;
	if (len > MTASTS_POLICY_MAX)
		return p->status = MTASTS_POLICY_TOO_LARGE;
	while (pos < len) {
		if (p->nlines == MTASTS_POLICY_LINES_MAX) {
			p->line = p->nlines + 1;
			return p->status = MTASTS_POLICY_TOO_MANY_LINES;
		}
		p->line = ++p->nlines;
		nl = memchr(body + pos, '\n', len - pos);
		end = nl != NULL ? (size_t)(nl - body) : len;
		llen = end - pos;
		if (nl != NULL && llen > 0 && body[end - 1] == '\r') {
			llen--;
			p->crlf = true;
		} else if (nl != NULL) {
			p->lf = true;
		}
		if (policy_line(&st, body + pos, llen) != MTASTS_POLICY_OK)
			return p->status;
		pos = nl != NULL ? end + 1 : len;
	}
	p->line = 0;
	if (st.fields == 0)
		return p->status = MTASTS_POLICY_EMPTY;
	if (!st.have_version)
		return p->status = MTASTS_POLICY_NO_VERSION;
	if (!st.have_mode)
		return p->status = MTASTS_POLICY_NO_MODE;
	if (!st.have_max_age)
		return p->status = MTASTS_POLICY_NO_MAX_AGE;
	if (p->mode != MTASTS_MODE_NONE && p->nmx == 0)
		return p->status = MTASTS_POLICY_NO_MX;
	return p->status = MTASTS_POLICY_OK;
}

/* host without its final dot into buf (lower-case); "" when it does not fit. */
static const char *
bare_name(const char *host, char *buf, size_t size)
{
	size_t n = host != NULL ? strlen(host) : 0, i;

	if (n > 0 && host[n - 1] == '.')
		n--;
	if (n >= size)
		n = 0;
	for (i = 0; i < n; i++)
		buf[i] = lower(host[i]);
	buf[n] = '\0';
	return buf;
}

bool
mtasts_mx_match(const char *pattern, const char *host)
{
	char h[MTASTS_PATTERN_MAX + 8], pat[MTASTS_PATTERN_MAX + 8];
	const char *dot;

	bare_name(host, h, sizeof(h));
	bare_name(pattern, pat, sizeof(pat));
	if (h[0] == '\0' || pat[0] == '\0')
		return false;
	if (pat[0] == '*' && pat[1] == '.') {
		/* one label, not empty, then exactly the rest of the pattern */
		dot = strchr(h, '.');
		return dot != NULL && dot != h && pat[2] != '\0' && strcmp(dot + 1, pat + 2) == 0;
	}
	return strcmp(h, pat) == 0;
}

int
mtasts_policy_match(const struct mtasts_policy *p, const char *host)
{
	size_t i;

	for (i = 0; i < p->nmx; i++)
		if (mtasts_mx_match(p->mx[i], host))
			return (int)i;
	return -1;
}

bool
mtasts_is_text_plain(const char *value, size_t len)
{
	static const char want[] = "text/plain";
	size_t n = sizeof(want) - 1, i = 0, end;

	if (value == NULL)
		return false;
	while (i < len && (value[i] == ' ' || value[i] == '\t'))
		i++;
	/* the media type ends at ';' (parameters) or at the end, blanks cut */
	for (end = i; end < len && value[end] != ';'; end++)
		;
	while (end > i && (value[end - 1] == ' ' || value[end - 1] == '\t'))
		end--;
	return end - i == n && strncasecmp(value + i, want, n) == 0;
}
