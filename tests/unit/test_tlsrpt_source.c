/*
 * test_tlsrpt_source.c -- where reports come from (common/tlsrpt_source.c):
 * gunzip with its cap (a gzip bomb is a clear error, fast), report parts of
 * mail messages (base64, quoted-printable, the types reporters use, nested
 * and attached messages, deep nesting, the parts and headers counted
 * before GMime builds them, no report), directories and
 * Maildirs (newest first, the cut, the bounds, names left out), files that
 * are too large or not files. Gzip data and messages are made by the test.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <glib.h>
#include <zlib.h>

#include "deadline.h"
#include "tlsrpt.h"
#include "tlsrpt_source.h"

static const char report[] =
    "{\"organization-name\":\"Microsoft Corporation\",\"report-id\":\"1\",\"date-range\":{"
    "\"start-datetime\":\"2026-12-04T00:00:00Z\",\"end-datetime\":\"2026-12-04T23:59:59Z\"},"
    "\"policies\":[]}";

/* gzip of len bytes (one member), malloc'd. */
static unsigned char *
gzip(const void *data, size_t len, size_t *outlen)
{
	z_stream zs;
	unsigned char *out;
	size_t cap = len + len / 10 + 1024;

	memset(&zs, 0, sizeof(zs));
	ck_assert_int_eq(deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY),
			 Z_OK);
	out = malloc(cap);
	ck_assert_ptr_nonnull(out);
	zs.next_in = (unsigned char *)(uintptr_t)data;
	zs.avail_in = (uInt)len;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	ck_assert_int_eq(deflate(&zs, Z_FINISH), Z_STREAM_END);
	*outlen = zs.total_out;
	deflateEnd(&zs);
	return out;
}

START_TEST(gunzip_round_trip_and_concatenated_members)
{
	size_t glen, outlen;
	unsigned char *gz = gzip(report, strlen(report), &glen), *out, *two;
	char detail[160];

	ck_assert_int_eq(
	    tlsrpt_source_gunzip(gz, glen, 1024, &out, &outlen, detail, sizeof(detail)),
	    TLSRPT_LOAD_OK);
	ck_assert_uint_eq(outlen, strlen(report));
	ck_assert(memcmp(out, report, outlen) == 0);
	free(out);
	two = malloc(2 * glen);
	ck_assert_ptr_nonnull(two);
	memcpy(two, gz, glen);
	memcpy(two + glen, gz, glen);
	ck_assert_int_eq(
	    tlsrpt_source_gunzip(two, 2 * glen, 1024, &out, &outlen, detail, sizeof(detail)),
	    TLSRPT_LOAD_OK);
	ck_assert_uint_eq(outlen, 2 * strlen(report));
	free(out);
	free(two);
	free(gz);
}
END_TEST

START_TEST(gunzip_bomb_is_a_clear_error_and_fast)
{
	size_t n = 256u * 1024 * 1024, glen, outlen;
	unsigned char *zeros = calloc(1, n), *gz, *out;
	char detail[160];
	double t0;

	ck_assert_ptr_nonnull(zeros);
	gz = gzip(zeros, n, &glen);
	free(zeros);
	ck_assert_uint_lt(glen, 512 * 1024);
	t0 = deadline_now();
	ck_assert_int_eq(
	    tlsrpt_source_gunzip(gz, glen, TLSRPT_MAX_JSON, &out, &outlen, detail, sizeof(detail)),
	    TLSRPT_LOAD_GZIP_BOMB);
	ck_assert_ptr_null(out);
	ck_assert_msg(deadline_now() - t0 < 1.0, "took %.3f s", deadline_now() - t0);
	/* exactly the cap is fine, one byte more is not */
	zeros = calloc(1, 1001);
	ck_assert_ptr_nonnull(zeros);
	free(gz);
	gz = gzip(zeros, 1000, &glen);
	ck_assert_int_eq(
	    tlsrpt_source_gunzip(gz, glen, 1000, &out, &outlen, detail, sizeof(detail)),
	    TLSRPT_LOAD_OK);
	free(out);
	free(gz);
	gz = gzip(zeros, 1001, &glen);
	ck_assert_int_eq(
	    tlsrpt_source_gunzip(gz, glen, 1000, &out, &outlen, detail, sizeof(detail)),
	    TLSRPT_LOAD_GZIP_BOMB);
	free(gz);
	free(zeros);
}
END_TEST

START_TEST(gunzip_broken_and_truncated_data)
{
	size_t glen, outlen;
	unsigned char *gz = gzip(report, strlen(report), &glen), *out;
	unsigned char junk[64] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff};
	char detail[160];

	ck_assert_int_eq(
	    tlsrpt_source_gunzip(gz, glen / 2, 4096, &out, &outlen, detail, sizeof(detail)),
	    TLSRPT_LOAD_GZIP);
	ck_assert_str_eq(detail, "the gzip data ends early");
	ck_assert_int_eq(
	    tlsrpt_source_gunzip(junk, sizeof(junk), 4096, &out, &outlen, detail, sizeof(detail)),
	    TLSRPT_LOAD_GZIP);
	ck_assert_int_eq(
	    tlsrpt_source_gunzip("plain", 5, 4096, &out, &outlen, detail, sizeof(detail)),
	    TLSRPT_LOAD_GZIP);
	free(gz);
}
END_TEST

START_TEST(report_files_plain_and_gzipped)
{
	struct tlsrpt_load ld;
	size_t glen;
	unsigned char *gz = gzip(report, strlen(report), &glen);

	ck_assert_int_eq(tlsrpt_source_extract(report, strlen(report), TLSRPT_FILE_REPORT, &ld),
			 TLSRPT_LOAD_OK);
	ck_assert_uint_eq(ld.nparts, 1);
	ck_assert_uint_eq(ld.parts[0].len, strlen(report));
	tlsrpt_load_free(&ld);
	/* gzip'd whatever the name says: the magic decides */
	ck_assert_int_eq(tlsrpt_source_extract(gz, glen, TLSRPT_FILE_REPORT, &ld), TLSRPT_LOAD_OK);
	ck_assert_uint_eq(ld.parts[0].len, strlen(report));
	ck_assert(memcmp(ld.parts[0].data, report, strlen(report)) == 0);
	tlsrpt_load_free(&ld);
	free(gz);
}
END_TEST

/* A message with body parts (each "Content-Type...\n\nbody"), multipart/report. */
static char *
message(const char *const *parts, size_t n)
{
	GString *m = g_string_new(
	    "From: noreply@microsoft.com\nTo: tlsrpt@example.org\n"
	    "Subject: Report Domain: example.org Submitter: microsoft.com Report-ID: <1>\n"
	    "TLS-Report-Domain: example.org\nTLS-Report-Submitter: microsoft.com\n"
	    "MIME-Version: 1.0\n"
	    "Content-Type: multipart/report; report-type=\"tlsrpt\"; boundary=\"b0\"\n\n"
	    "--b0\nContent-Type: text/plain\n\nThis is an aggregate TLS report.\n");
	size_t i;

	for (i = 0; i < n; i++)
		g_string_append_printf(m, "--b0\n%s\n", parts[i]);
	g_string_append(m, "--b0--\n");
	return g_string_free(m, FALSE);
}

/* "Content-Type: TYPE; name=NAME\nContent-Transfer-Encoding: base64\n\n<base64 of data>" */
static char *
base64_part(const char *type, const char *name, const void *data, size_t len)
{
	gchar *b64 = g_base64_encode(data, len);
	char *p = g_strdup_printf("Content-Type: %s%s%s\nContent-Transfer-Encoding: base64\n"
				  "Content-Disposition: attachment%s%s\n\n%s",
				  type, name ? "; name=" : "", name ? name : "",
				  name ? "; filename=" : "", name ? name : "", b64);

	g_free(b64);
	return p;
}

/* Extract from a message; expect status and the report as the first part. */
static void
expect_message(char *msg, enum tlsrpt_load_status want, size_t nparts)
{
	struct tlsrpt_load ld;
	enum tlsrpt_load_status st =
	    tlsrpt_source_extract(msg, strlen(msg), TLSRPT_FILE_MESSAGE, &ld);

	ck_assert_msg(st == want, "status %d, want %d (%s)", st, want, ld.detail);
	ck_assert_uint_eq(ld.nparts, nparts);
	if (nparts > 0) {
		ck_assert_uint_eq(ld.parts[0].len, strlen(report));
		ck_assert(memcmp(ld.parts[0].data, report, strlen(report)) == 0);
	}
	tlsrpt_load_free(&ld);
	g_free(msg);
}

START_TEST(message_report_parts_of_every_type)
{
	size_t glen;
	unsigned char *gz = gzip(report, strlen(report), &glen);
	char *part;
	static const char *const gz_types[] = {"application/tlsrpt+gzip", "application/gzip",
					       "application/x-gzip", "Application/TLSRPT+GZIP"};
	size_t i;

	for (i = 0; i < sizeof(gz_types) / sizeof(gz_types[0]); i++) {
		part =
		    base64_part(gz_types[i], "\"microsoft.com!example.org!1!2.json.gz\"", gz, glen);
		expect_message(message((const char *const *)&part, 1), TLSRPT_LOAD_OK, 1);
		g_free(part);
	}
	part = base64_part("application/tlsrpt+json", NULL, report, strlen(report));
	expect_message(message((const char *const *)&part, 1), TLSRPT_LOAD_OK, 1);
	g_free(part);
	part = base64_part("application/json", NULL, report, strlen(report));
	expect_message(message((const char *const *)&part, 1), TLSRPT_LOAD_OK, 1);
	g_free(part);
	part = base64_part("application/octet-stream", "r.json.gz", gz, glen);
	expect_message(message((const char *const *)&part, 1), TLSRPT_LOAD_OK, 1);
	g_free(part);
	/* octet-stream with another name, a PDF: not a report */
	part = base64_part("application/octet-stream", "invoice.pdf", gz, glen);
	expect_message(message((const char *const *)&part, 1), TLSRPT_LOAD_NO_REPORT, 0);
	g_free(part);
	/* 7bit JSON, no transfer encoding */
	part = g_strdup_printf("Content-Type: application/tlsrpt+json\n\n%s", report);
	expect_message(message((const char *const *)&part, 1), TLSRPT_LOAD_OK, 1);
	g_free(part);
	/* an empty report part (fuzz_tlsrpt_mime): taken, empty; the parser refuses it */
	{
		struct tlsrpt_load ld;
		char *empty = g_strdup("Content-Type: application/tlsrpt+json\n"
				       "Content-Transfer-Encoding: base64\n\n");
		char *msg = message((const char *const *)&empty, 1);

		ck_assert_int_eq(tlsrpt_source_extract(msg, strlen(msg), TLSRPT_FILE_MESSAGE, &ld),
				 TLSRPT_LOAD_OK);
		ck_assert_uint_eq(ld.nparts, 1);
		ck_assert_uint_eq(ld.parts[0].len, 0);
		tlsrpt_load_free(&ld);
		g_free(msg);
		g_free(empty);
	}
	/* the whole message is the report part */
	part =
	    g_strdup_printf("From: a@b\nMIME-Version: 1.0\nContent-Type: application/tlsrpt+json\n"
			    "\n%s",
			    report);
	expect_message(part, TLSRPT_LOAD_OK, 1);
	free(gz);
}
END_TEST

START_TEST(message_nesting_attachments_and_bounds)
{
	size_t glen, i;
	unsigned char *gz = gzip(report, strlen(report), &glen);
	char *part = base64_part("application/tlsrpt+gzip", NULL, gz, glen), *inner, *msg, *five[5];
	GString *m;
	struct tlsrpt_load ld;
	double t0;

	/* a forwarded report: message/rfc822 inside */
	msg = message((const char *const *)&part, 1);
	inner = g_strdup_printf("Content-Type: message/rfc822\n\n%s", msg);
	g_free(msg);
	expect_message(message((const char *const *)&inner, 1), TLSRPT_LOAD_OK, 1);
	g_free(inner);
	/* more report parts than taken */
	for (i = 0; i < 5; i++)
		five[i] = part;
	inner = message((const char *const *)five, 5);
	ck_assert_int_eq(tlsrpt_source_extract(inner, strlen(inner), TLSRPT_FILE_MESSAGE, &ld),
			 TLSRPT_LOAD_OK);
	ck_assert_uint_eq(ld.nparts, TLSRPT_SOURCE_MAX_PARTS);
	ck_assert_uint_eq(ld.parts_left, 1);
	tlsrpt_load_free(&ld);
	g_free(inner);
	/* multiparts nested 20 deep: the report below the walked depth is not taken */
	for (i = 0; i < 2; i++) {
		size_t depth = i == 0 ? 3 : 20, k;

		m = g_string_new("MIME-Version: 1.0\n");
		for (k = 0; k < depth; k++)
			g_string_append_printf(
			    m, "Content-Type: multipart/mixed; boundary=\"n%zu\"\n\n--n%zu\n", k,
			    k);
		g_string_append_printf(m, "%s\n", part);
		for (k = depth; k > 0; k--)
			g_string_append_printf(m, "--n%zu--\n", k - 1);
		inner = g_string_free(m, FALSE);
		ck_assert_int_eq(
		    tlsrpt_source_extract(inner, strlen(inner), TLSRPT_FILE_MESSAGE, &ld),
		    i == 0 ? TLSRPT_LOAD_OK : TLSRPT_LOAD_NO_REPORT);
		ck_assert_int_eq(ld.too_deep, i == 0 ? 0 : 1);
		tlsrpt_load_free(&ld);
		g_free(inner);
	}
	/* 250 levels: parsed by GMime, walked 8 deep; 5000: refused before GMime */
	for (i = 0; i < 2; i++) {
		size_t depth = i == 0 ? 250 : 5000, k;

		m = g_string_new("MIME-Version: 1.0\n");
		for (k = 0; k < depth; k++)
			g_string_append_printf(
			    m, "Content-Type: multipart/mixed; boundary=\"n%zu\"\n\n--n%zu\n", k,
			    k);
		inner = g_string_free(m, FALSE);
		t0 = deadline_now();
		ck_assert_int_eq(
		    tlsrpt_source_extract(inner, strlen(inner), TLSRPT_FILE_MESSAGE, &ld),
		    i == 0 ? TLSRPT_LOAD_NO_REPORT : TLSRPT_LOAD_MIME_PARTS);
		ck_assert_msg(deadline_now() - t0 < 2.0, "took %.3f s", deadline_now() - t0);
		tlsrpt_load_free(&ld);
		g_free(inner);
	}
	g_free(part);
	free(gz);
}
END_TEST

START_TEST(message_parts_and_headers_are_counted_before_gmime)
{
	struct tlsrpt_load ld;
	GString *m =
	    g_string_new("MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n");
	double t0 = deadline_now();
	size_t i;

	for (i = 0; i < TLSRPT_SOURCE_MAX_BOUNDARIES + 1; i++)
		g_string_append(m, "--b\nContent-Type: text/plain\n\nx\n");
	ck_assert_int_eq(tlsrpt_source_extract(m->str, m->len, TLSRPT_FILE_MESSAGE, &ld),
			 TLSRPT_LOAD_MIME_PARTS);
	ck_assert_uint_eq(ld.limit, TLSRPT_SOURCE_MAX_BOUNDARIES);
	tlsrpt_load_free(&ld);
	g_string_truncate(m, 0);
	for (i = 0; i < TLSRPT_SOURCE_MAX_HEADERS + 1; i++)
		g_string_append_printf(m, "X-H%zu: v\n", i);
	g_string_append(m, "\nbody\n");
	ck_assert_int_eq(tlsrpt_source_extract(m->str, m->len, TLSRPT_FILE_MESSAGE, &ld),
			 TLSRPT_LOAD_MIME_HEADERS);
	tlsrpt_load_free(&ld);
	/* base64 and JSON bodies are neither: a long report part is fine */
	g_string_assign(m, "MIME-Version: 1.0\nContent-Type: application/tlsrpt+json\n\n");
	for (i = 0; i < 10000; i++)
		g_string_append(m, "  \"organization-name\": \"x\",\n");
	ck_assert_int_eq(tlsrpt_source_extract(m->str, m->len, TLSRPT_FILE_MESSAGE, &ld),
			 TLSRPT_LOAD_OK);
	tlsrpt_load_free(&ld);
	g_string_free(m, TRUE);
	ck_assert_msg(deadline_now() - t0 < 2.0, "took %.3f s", deadline_now() - t0);
}
END_TEST

START_TEST(messages_without_a_report)
{
	struct tlsrpt_load ld;
	static const char spam[] = "From: a@b\nSubject: cheap\n\nbuy now\n";
	unsigned char junk[4096];
	size_t i;

	ck_assert_int_eq(tlsrpt_source_extract(spam, strlen(spam), TLSRPT_FILE_MESSAGE, &ld),
			 TLSRPT_LOAD_NO_REPORT);
	ck_assert_str_eq(ld.detail, "text/plain");
	tlsrpt_load_free(&ld);
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (unsigned char)(i * 7 + 3);
	ck_assert_int_ne(tlsrpt_source_extract(junk, sizeof(junk), TLSRPT_FILE_MESSAGE, &ld),
			 TLSRPT_LOAD_OK);
	tlsrpt_load_free(&ld);
	ck_assert_int_ne(tlsrpt_source_extract("", 0, TLSRPT_FILE_MESSAGE, &ld), TLSRPT_LOAD_OK);
	tlsrpt_load_free(&ld);
}
END_TEST

/* Write a file with content and an mtime (seconds ago). */
static void
put(const char *dir, const char *name, const char *content, time_t ago)
{
	char path[512];
	struct timeval tv[2];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(content, f);
	fclose(f);
	tv[0].tv_sec = tv[1].tv_sec = time(NULL) - ago;
	tv[0].tv_usec = tv[1].tv_usec = 0;
	ck_assert_int_eq(utimes(path, tv), 0);
}

/* The base name of a listed file. */
static const char *
base(const struct tlsrpt_file *f)
{
	return strrchr(f->path, '/') + 1;
}

START_TEST(listing_plain_directory_and_maildir)
{
	char dir[] = "/tmp/test_tlsrpt_src.XXXXXX", sub[700], maildir[600];
	const char *dirs[3];
	struct tlsrpt_listing l;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	put(dir, "a.json", report, 10);
	put(dir, "microsoft.com!example.org!1!2.json.gz", report, 5);
	put(dir, "c.eml", report, 20);
	put(dir, "README", report, 1);
	put(dir, ".hidden.json", report, 1);
	put(dir, "old.json", report, 100 * 86400);
	snprintf(sub, sizeof(sub), "%s/sub.json", dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	snprintf(maildir, sizeof(maildir), "%s/Maildir", dir);
	ck_assert_int_eq(mkdir(maildir, 0700), 0);
	snprintf(sub, sizeof(sub), "%s/cur", maildir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	put(sub, "1733.M1.host:2,S", report, 30);
	snprintf(sub, sizeof(sub), "%s/new", maildir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	put(sub, "1734.M2.host", report, 2);
	snprintf(sub, sizeof(sub), "%s/tmp", maildir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	put(sub, "1735.M3.host", report, 1); /* being delivered: not read */

	dirs[0] = dir;
	dirs[1] = maildir;
	dirs[2] = "/nonexistent/tlsrpt";
	ck_assert_int_eq(tlsrpt_source_list(dirs, 3, time(NULL) - 86400, &l), 0);
	ck_assert_uint_eq(l.nfiles, 5);
	ck_assert_str_eq(base(&l.files[0]), "1734.M2.host");
	ck_assert_int_eq(l.files[0].kind, TLSRPT_FILE_MESSAGE);
	ck_assert_str_eq(base(&l.files[1]), "microsoft.com!example.org!1!2.json.gz");
	ck_assert_int_eq(l.files[1].kind, TLSRPT_FILE_REPORT);
	ck_assert_str_eq(base(&l.files[2]), "a.json");
	ck_assert_str_eq(base(&l.files[3]), "c.eml");
	ck_assert_int_eq(l.files[3].kind, TLSRPT_FILE_MESSAGE);
	ck_assert_str_eq(base(&l.files[4]), "1733.M1.host:2,S");
	ck_assert_uint_eq(l.too_old, 1);
	ck_assert_uint_eq(l.ndirs, 3); /* dir, Maildir/cur, Maildir/new */
	ck_assert_uint_eq(l.nerrors, 1);
	ck_assert_str_eq(l.errors[0].dir, "/nonexistent/tlsrpt");
	ck_assert_int_eq(l.errors[0].err, ENOENT);
	tlsrpt_listing_free(&l);
	ck_assert_int_eq(system((snprintf(sub, sizeof(sub), "rm -rf '%s'", dir), sub)), 0);
}
END_TEST

START_TEST(listing_keeps_the_newest_files)
{
	char dir[] = "/tmp/test_tlsrpt_src.XXXXXX", name[32], cmd[600];
	const char *dirs[1] = {dir};
	struct tlsrpt_listing l;
	size_t i;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	for (i = 0; i < TLSRPT_SOURCE_MAX_FILES + 5; i++) {
		snprintf(name, sizeof(name), "r%04zu.json", i);
		put(dir, name, "{}", (time_t)i);
	}
	ck_assert_int_eq(tlsrpt_source_list(dirs, 1, 0, &l), 0);
	ck_assert_uint_eq(l.nfiles, TLSRPT_SOURCE_MAX_FILES);
	ck_assert_uint_eq(l.skipped, 5);
	ck_assert_str_eq(base(&l.files[0]), "r0000.json");
	ck_assert_str_eq(base(&l.files[TLSRPT_SOURCE_MAX_FILES - 1]), "r0999.json");
	tlsrpt_listing_free(&l);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

START_TEST(load_refuses_large_files_and_non_files)
{
	char dir[] = "/tmp/test_tlsrpt_src.XXXXXX", path[600];
	struct tlsrpt_file f = {path, 0, 0, TLSRPT_FILE_REPORT};
	struct tlsrpt_load ld;
	FILE *fp;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/big.json", dir);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(ftruncate(fileno(fp), TLSRPT_SOURCE_MAX_FILE + 1), 0);
	fclose(fp);
	ck_assert_int_eq(tlsrpt_source_load(&f, &ld), TLSRPT_LOAD_TOO_LARGE);
	ck_assert_uint_eq(ld.limit, TLSRPT_SOURCE_MAX_FILE);
	tlsrpt_load_free(&ld);
	unlink(path);
	snprintf(path, sizeof(path), "%s/fifo.json", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_int_eq(tlsrpt_source_load(&f, &ld), TLSRPT_LOAD_NOT_FILE);
	tlsrpt_load_free(&ld);
	unlink(path);
	snprintf(path, sizeof(path), "%s/none.json", dir);
	ck_assert_int_eq(tlsrpt_source_load(&f, &ld), TLSRPT_LOAD_IO);
	ck_assert_int_eq(ld.sys_errno, ENOENT);
	tlsrpt_load_free(&ld);
	snprintf(path, sizeof(path), "%s/ok.json", dir);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(report, fp);
	fclose(fp);
	ck_assert_int_eq(tlsrpt_source_load(&f, &ld), TLSRPT_LOAD_OK);
	ck_assert_uint_eq(ld.parts[0].len, strlen(report));
	tlsrpt_load_free(&ld);
	unlink(path);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

static Suite *
source_suite(void)
{
	Suite *s = suite_create("tlsrpt_source");
	TCase *tg = tcase_create("gzip");
	TCase *tm = tcase_create("mime");
	TCase *tf = tcase_create("files");

	tcase_set_timeout(tg, 30);
	tcase_add_test(tg, gunzip_round_trip_and_concatenated_members);
	tcase_add_test(tg, gunzip_bomb_is_a_clear_error_and_fast);
	tcase_add_test(tg, gunzip_broken_and_truncated_data);
	tcase_add_test(tg, report_files_plain_and_gzipped);
	suite_add_tcase(s, tg);
	tcase_set_timeout(tm, 30);
	tcase_add_test(tm, message_report_parts_of_every_type);
	tcase_add_test(tm, message_nesting_attachments_and_bounds);
	tcase_add_test(tm, message_parts_and_headers_are_counted_before_gmime);
	tcase_add_test(tm, messages_without_a_report);
	suite_add_tcase(s, tm);
	tcase_set_timeout(tf, 30);
	tcase_add_test(tf, listing_plain_directory_and_maildir);
	tcase_add_test(tf, listing_keeps_the_newest_files);
	tcase_add_test(tf, load_refuses_large_files_and_non_files);
	suite_add_tcase(s, tf);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(source_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
