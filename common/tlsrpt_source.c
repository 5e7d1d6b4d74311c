/*
 * tlsrpt_source.c -- report files and messages from directories, their JSON
 * bytes out of gzip (zlib) and MIME (GMime 3), every size bounded (see
 * tlsrpt_source.h).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gmime/gmime.h>
#include <zlib.h>

#include "tlsrpt.h"
#include "tlsrpt_source.h"

/* A growing array of candidate files. */
struct candidates {
	struct tlsrpt_file *v;
	size_t n, cap;
};

/* Does name end in suffix (case-insensitive)? */
static bool
ends_with(const char *name, const char *suffix)
{
	size_t n = strlen(name), m = strlen(suffix);

	return n >= m && strcasecmp(name + n - m, suffix) == 0;
}

/* The kind of a file in a report directory by its name; -1: not one of ours. */
static int
kind_of_name(const char *name)
{
	if (ends_with(name, ".json") || ends_with(name, ".gz"))
		return TLSRPT_FILE_REPORT;
	if (ends_with(name, ".eml"))
		return TLSRPT_FILE_MESSAGE;
	return -1;
}

/* Record that dir could not be read. Returns 0, or -1 when out of memory. */
static int
dir_error(struct tlsrpt_listing *l, const char *dir, int err)
{
	struct tlsrpt_dir_error *e;

	e = realloc(l->errors, (l->nerrors + 1) * sizeof(*e));
	if (e == NULL)
		return -1;
	l->errors = e;
	e[l->nerrors].dir = strdup(dir);
	if (e[l->nerrors].dir == NULL)
		return -1;
	e[l->nerrors++].err = err;
	return 0;
}

/* Add one candidate. Returns 0, or -1 when out of memory. */
static int
candidate_add(struct candidates *c, const char *dir, const char *name, const struct stat *st,
	      enum tlsrpt_file_kind kind)
{
	struct tlsrpt_file *f;
	size_t len = strlen(dir) + strlen(name) + 2;

	if (c->n == c->cap) {
		size_t cap = c->cap == 0 ? 64 : c->cap * 2;

		f = realloc(c->v, cap * sizeof(*f));
		if (f == NULL)
			return -1;
		c->v = f;
		c->cap = cap;
	}
	f = &c->v[c->n];
	f->path = malloc(len);
	if (f->path == NULL)
		return -1;
	snprintf(f->path, len, "%s/%s", dir, name);
	f->mtime = st->st_mtime;
	f->size = st->st_size;
	f->kind = kind;
	c->n++;
	return 0;
}

/*
 * The files of one directory: every regular file when maildir (cur/, new/),
 * else those named like reports or messages. Returns 0, or -1 when out of
 * memory.
 */
static int
scan_dir(const char *dir, bool maildir, time_t not_before, struct candidates *c,
	 struct tlsrpt_listing *l)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct stat st;
	int kind, rc = 0;

	if (d == NULL)
		return dir_error(l, dir, errno);
	l->ndirs++;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		kind = maildir ? TLSRPT_FILE_MESSAGE : kind_of_name(e->d_name);
		if (kind < 0)
			continue;
		if (fstatat(dirfd(d), e->d_name, &st, 0) != 0) {
			l->unreadable++;
			continue;
		}
		if (!S_ISREG(st.st_mode))
			continue;
		if (st.st_mtime < not_before) {
			l->too_old++;
			continue;
		}
		if (c->n >= TLSRPT_SOURCE_MAX_ENTRIES) {
			l->skipped++;
			continue;
		}
		if (candidate_add(c, dir, e->d_name, &st, (enum tlsrpt_file_kind)kind) != 0) {
			rc = -1;
			break;
		}
	}
	closedir(d);
	return rc;
}

/* Newest first; the same time: by path, for a stable order. */
static int
newest_first(const void *a, const void *b)
{
	const struct tlsrpt_file *x = a, *y = b;

	if (x->mtime != y->mtime)
		return x->mtime > y->mtime ? -1 : 1;
	return strcmp(x->path, y->path);
}

/* Is dir a Maildir (has a cur/ or new/ directory)? */
static bool
is_maildir(const char *dir)
{
	char path[4096];
	struct stat st;

	snprintf(path, sizeof(path), "%s/cur", dir);
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return true;
	snprintf(path, sizeof(path), "%s/new", dir);
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int
tlsrpt_source_list(const char *const *dirs, size_t ndirs, time_t not_before,
		   struct tlsrpt_listing *l)
{
	struct candidates c = {NULL, 0, 0};
	char sub[4096];
	size_t i;
	int rc = -1;

	memset(l, 0, sizeof(*l));
	for (i = 0; i < ndirs; i++) {
		if (strlen(dirs[i]) > sizeof(sub) - 8) {
			if (dir_error(l, dirs[i], ENAMETOOLONG) != 0)
				goto out;
			continue;
		}
		if (!is_maildir(dirs[i])) {
			if (scan_dir(dirs[i], false, not_before, &c, l) != 0)
				goto out;
			continue;
		}
		snprintf(sub, sizeof(sub), "%s/cur", dirs[i]);
		if (scan_dir(sub, true, not_before, &c, l) != 0)
			goto out;
		snprintf(sub, sizeof(sub), "%s/new", dirs[i]);
		if (scan_dir(sub, true, not_before, &c, l) != 0)
			goto out;
	}
	if (c.n > 0)
		qsort(c.v, c.n, sizeof(*c.v), newest_first);
	while (c.n > TLSRPT_SOURCE_MAX_FILES) {
		free(c.v[--c.n].path);
		l->skipped++;
	}
	l->files = c.v;
	l->nfiles = c.n;
	c.v = NULL;
	c.n = 0;
	rc = 0;
out:
	for (i = 0; i < c.n; i++)
		free(c.v[i].path);
	free(c.v);
	if (rc != 0)
		tlsrpt_listing_free(l);
	return rc;
}

void
tlsrpt_listing_free(struct tlsrpt_listing *l)
{
	size_t i;

	for (i = 0; i < l->nfiles; i++)
		free(l->files[i].path);
	free(l->files);
	for (i = 0; i < l->nerrors; i++)
		free(l->errors[i].dir);
	free(l->errors);
	memset(l, 0, sizeof(*l));
}

enum tlsrpt_load_status
tlsrpt_source_gunzip(const void *in, size_t inlen, size_t max, unsigned char **out, size_t *outlen,
		     char *detail, size_t detailsize)
{
	enum tlsrpt_load_status st = TLSRPT_LOAD_NOMEM;
	unsigned char *buf = NULL, *grown;
	size_t cap = 0;
	z_stream zs;
	int zrc;

	*out = NULL;
	*outlen = 0;
	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
		return TLSRPT_LOAD_NOMEM;
	zs.next_in = (unsigned char *)(uintptr_t)in;
	zs.avail_in = (uInt)(inlen > UINT_MAX ? UINT_MAX : inlen);
	for (;;) {
		if (zs.total_out == cap) {
			/* grow by doubling, up to one byte over max: the bomb detector */
			size_t next = cap == 0 ? 65536 : cap * 2;

			if (cap > max) {
				st = TLSRPT_LOAD_GZIP_BOMB;
				goto out;
			}
			if (next > max + 1)
				next = max + 1;
			grown = realloc(buf, next);
			if (grown == NULL)
				goto out;
			buf = grown;
			cap = next;
		}
		zs.next_out = buf + zs.total_out;
		zs.avail_out = (uInt)(cap - zs.total_out);
		zrc = inflate(&zs, Z_NO_FLUSH);
		if (zs.total_out > max) {
			st = TLSRPT_LOAD_GZIP_BOMB;
			goto out;
		}
		if (zrc == Z_STREAM_END) {
			/* another gzip member may follow (concatenated files) */
			if (zs.avail_in >= 2 && zs.next_in[0] == 0x1f && zs.next_in[1] == 0x8b) {
				uLong total = zs.total_out;

				if (inflateReset(&zs) != Z_OK)
					goto out;
				zs.total_out = total;
				continue;
			}
			break;
		}
		if (zrc == Z_BUF_ERROR && zs.avail_in == 0) {
			snprintf(detail, detailsize, "the gzip data ends early");
			st = TLSRPT_LOAD_GZIP;
			goto out;
		}
		if (zrc != Z_OK && zrc != Z_BUF_ERROR) {
			if (zrc == Z_MEM_ERROR)
				goto out;
			snprintf(detail, detailsize, "%s",
				 zs.msg != NULL ? zs.msg : "the gzip data is broken");
			st = TLSRPT_LOAD_GZIP;
			goto out;
		}
	}
	*out = buf;
	*outlen = zs.total_out;
	buf = NULL;
	st = TLSRPT_LOAD_OK;
out:
	inflateEnd(&zs);
	free(buf);
	return st;
}

/* Take len bytes as one report part: gunzip'd when they start with the gzip magic. */
static enum tlsrpt_load_status
add_part(struct tlsrpt_load *ld, const unsigned char *data, size_t len)
{
	struct tlsrpt_part *p;

	if (ld->nparts == TLSRPT_SOURCE_MAX_PARTS) {
		ld->parts_left++;
		return TLSRPT_LOAD_OK;
	}
	p = &ld->parts[ld->nparts];
	if (len >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
		ld->status = tlsrpt_source_gunzip(data, len, TLSRPT_MAX_JSON, &p->data, &p->len,
						  ld->detail, sizeof(ld->detail));
		if (ld->status == TLSRPT_LOAD_GZIP_BOMB)
			ld->limit = TLSRPT_MAX_JSON;
		if (ld->status != TLSRPT_LOAD_OK)
			return ld->status;
	} else {
		if (len > TLSRPT_MAX_JSON) {
			ld->limit = TLSRPT_MAX_JSON;
			return ld->status = TLSRPT_LOAD_TOO_LARGE;
		}
		p->data = malloc(len > 0 ? len : 1);
		if (p->data == NULL)
			return ld->status = TLSRPT_LOAD_NOMEM;
		if (len > 0)
			memcpy(p->data, data, len);
		p->len = len;
	}
	ld->nparts++;
	return TLSRPT_LOAD_OK;
}

/* Is a MIME part of this type (and file name) a report? */
static bool
is_report_part(GMimeObject *part)
{
	GMimeContentType *ct = g_mime_object_get_content_type(part);
	const char *name;

	if (ct == NULL || !g_mime_content_type_is_type(ct, "application", "*"))
		return false;
	if (g_mime_content_type_is_type(ct, "application", "tlsrpt+gzip") ||
	    g_mime_content_type_is_type(ct, "application", "tlsrpt+json") ||
	    g_mime_content_type_is_type(ct, "application", "gzip") ||
	    g_mime_content_type_is_type(ct, "application", "x-gzip") ||
	    g_mime_content_type_is_type(ct, "application", "json"))
		return true;
	if (!g_mime_content_type_is_type(ct, "application", "octet-stream"))
		return false;
	name = g_mime_part_get_filename(GMIME_PART(part));
	return name != NULL && (ends_with(name, ".json") || ends_with(name, ".gz"));
}

/* The decoded content of a leaf part, added as a report part. */
static enum tlsrpt_load_status
take_part(GMimePart *part, struct tlsrpt_load *ld)
{
	GMimeDataWrapper *content = g_mime_part_get_content(part);
	GMimeStream *mem;
	GByteArray *bytes;
	enum tlsrpt_load_status st;

	if (content == NULL)
		return add_part(ld, (const unsigned char *)"", 0);
	mem = g_mime_stream_mem_new();
	if (g_mime_data_wrapper_write_to_stream(content, mem) < 0) {
		g_object_unref(mem);
		snprintf(ld->detail, sizeof(ld->detail), "the report part cannot be decoded");
		return ld->status = TLSRPT_LOAD_NOT_MESSAGE;
	}
	bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	st = add_part(ld, bytes->data, bytes->len);
	g_object_unref(mem);
	return st;
}

/* Walk a MIME tree for report parts, at most TLSRPT_SOURCE_MAX_DEPTH deep. */
static enum tlsrpt_load_status
walk(GMimeObject *obj, int depth, struct tlsrpt_load *ld)
{
	int i, n;

	if (obj == NULL)
		return TLSRPT_LOAD_OK;
	if (depth > TLSRPT_SOURCE_MAX_DEPTH) {
		ld->too_deep = 1;
		return TLSRPT_LOAD_OK;
	}
	if (GMIME_IS_MULTIPART(obj)) {
		n = g_mime_multipart_get_count(GMIME_MULTIPART(obj));
		for (i = 0; i < n; i++)
			if (walk(g_mime_multipart_get_part(GMIME_MULTIPART(obj), i), depth + 1,
				 ld) != TLSRPT_LOAD_OK)
				return ld->status;
		return TLSRPT_LOAD_OK;
	}
	if (GMIME_IS_MESSAGE_PART(obj)) {
		GMimeMessage *m = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));

		return m == NULL ? TLSRPT_LOAD_OK
				 : walk(g_mime_message_get_mime_part(m), depth + 1, ld);
	}
	if (GMIME_IS_PART(obj) && is_report_part(obj))
		return take_part(GMIME_PART(obj), ld);
	return TLSRPT_LOAD_OK;
}

/*
 * Bound what GMime would build before it does: lines that start with "--"
 * (each may end a part and start one) and header lines (from the start and
 * after each such line, up to an empty line). Continuation lines count as
 * header lines: the count is never low.
 */
static enum tlsrpt_load_status
mime_bounds(const unsigned char *p, size_t len, struct tlsrpt_load *ld)
{
	size_t boundaries = 0, headers = 0, i = 0, n;
	const unsigned char *nl;
	bool in_header = true;

	while (i < len) {
		nl = memchr(p + i, '\n', len - i);
		n = (nl != NULL ? (size_t)(nl - p) : len) - i;
		if (n >= 2 && p[i] == '-' && p[i + 1] == '-') {
			boundaries++;
			in_header = true;
		} else if (in_header) {
			if (n == 0 || (n == 1 && p[i] == '\r'))
				in_header = false;
			else
				headers++;
		}
		if (boundaries > TLSRPT_SOURCE_MAX_BOUNDARIES) {
			ld->limit = TLSRPT_SOURCE_MAX_BOUNDARIES;
			return ld->status = TLSRPT_LOAD_MIME_PARTS;
		}
		if (headers > TLSRPT_SOURCE_MAX_HEADERS) {
			ld->limit = TLSRPT_SOURCE_MAX_HEADERS;
			return ld->status = TLSRPT_LOAD_MIME_HEADERS;
		}
		i += n + 1;
	}
	return TLSRPT_LOAD_OK;
}

/* The report parts of a mail message. */
static enum tlsrpt_load_status
extract_message(const void *data, size_t len, struct tlsrpt_load *ld)
{
	GMimeStream *stream;
	GMimeParser *parser;
	GMimeMessage *msg = NULL;
	GMimeObject *top;
	GMimeContentType *ct;
	char *type;

	if (mime_bounds(data, len, ld) != TLSRPT_LOAD_OK)
		return ld->status;
	/*
	 * GMime counts its initializations; its tables then stay for the
	 * process's life (g_mime_shutdown() in GMime 3.2 loses memory on every
	 * init/shutdown cycle, so it is never called).
	 */
	g_mime_init();
	stream = g_mime_stream_mem_new_with_buffer(data, len);
	parser = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	msg = g_mime_parser_construct_message(parser, NULL);
	g_object_unref(parser);
	g_object_unref(stream);
	if (msg == NULL) {
		snprintf(ld->detail, sizeof(ld->detail), "no message header");
		ld->status = TLSRPT_LOAD_NOT_MESSAGE;
		goto out;
	}
	top = g_mime_message_get_mime_part(msg);
	if (walk(top, 0, ld) != TLSRPT_LOAD_OK || ld->nparts > 0)
		goto out;
	ct = top != NULL ? g_mime_object_get_content_type(top) : NULL;
	type = ct != NULL ? g_mime_content_type_get_mime_type(ct) : NULL;
	snprintf(ld->detail, sizeof(ld->detail), "%s", type != NULL ? type : "no body");
	g_free(type);
	ld->status = TLSRPT_LOAD_NO_REPORT;
out:
	if (msg != NULL)
		g_object_unref(msg);
	return ld->status;
}

enum tlsrpt_load_status
tlsrpt_source_extract(const void *data, size_t len, enum tlsrpt_file_kind kind,
		      struct tlsrpt_load *ld)
{
	memset(ld, 0, sizeof(*ld));
	if (kind == TLSRPT_FILE_MESSAGE)
		return extract_message(data, len, ld);
	add_part(ld, data, len);
	return ld->status;
}

enum tlsrpt_load_status
tlsrpt_source_load(const struct tlsrpt_file *f, struct tlsrpt_load *ld)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	struct stat st;
	ssize_t r;
	int fd;

	memset(ld, 0, sizeof(*ld));
	/* O_NONBLOCK: a FIFO put in place of a file must not block the run */
	fd = open(f->path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		ld->sys_errno = errno;
		return ld->status = TLSRPT_LOAD_IO;
	}
	if (fstat(fd, &st) != 0) {
		ld->sys_errno = errno;
		ld->status = TLSRPT_LOAD_IO;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		ld->status = TLSRPT_LOAD_NOT_FILE;
		goto out;
	}
	if (st.st_size > TLSRPT_SOURCE_MAX_FILE) {
		ld->limit = TLSRPT_SOURCE_MAX_FILE;
		ld->status = TLSRPT_LOAD_TOO_LARGE;
		goto out;
	}
	buf = malloc(st.st_size > 0 ? (size_t)st.st_size : 1);
	if (buf == NULL) {
		ld->status = TLSRPT_LOAD_NOMEM;
		goto out;
	}
	while (len < (size_t)st.st_size) {
		r = read(fd, buf + len, (size_t)st.st_size - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ld->sys_errno = errno;
			ld->status = TLSRPT_LOAD_IO;
			goto out;
		}
		if (r == 0)
			break; /* it shrank: take what is there */
		len += (size_t)r;
	}
	close(fd);
	fd = -1;
	tlsrpt_source_extract(buf, len, f->kind, ld);
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	return ld->status;
}

void
tlsrpt_load_free(struct tlsrpt_load *ld)
{
	size_t i;

	for (i = 0; i < ld->nparts; i++)
		free(ld->parts[i].data);
	memset(ld, 0, sizeof(*ld));
}
