/*
 * testdata.c -- the files of tests/data for the unit tests.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h>

#include "testdata.h"
#include "text.h"

#ifndef TEST_DATA_DIR
#error "define TEST_DATA_DIR as the directory of the test certificates (tests/data)"
#endif

void
testdata_path(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", TEST_DATA_DIR, name);
}

size_t
testdata_hex(const char *name, uint8_t *buf, size_t size)
{
	char path[512], text[1024];
	size_t len = 0, i;
	FILE *f;

	testdata_path(path, sizeof(path), name);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot read %s", path);
	ck_assert_ptr_nonnull(fgets(text, sizeof(text), f));
	fclose(f);
	text[strcspn(text, "\r\n")] = '\0';
	ck_assert_uint_eq(strlen(text) % 2, 0);
	for (i = 0; text[i] != '\0'; i += 2) {
		unsigned int byte;

		ck_assert_uint_lt(len, size);
		ck_assert_int_eq(sscanf(text + i, "%2x", &byte), 1);
		buf[len++] = (uint8_t)byte;
	}
	return len;
}

X509 *
testdata_cert(const char *name)
{
	char path[512];
	FILE *f;
	X509 *x;

	testdata_path(path, sizeof(path), name);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot read %s", path);
	x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	ck_assert_ptr_nonnull(x);
	return x;
}

void
testdata_assert_hex(const uint8_t *data, size_t len, const char *name)
{
	uint8_t want[128];
	size_t n = testdata_hex(name, want, sizeof(want));
	char got[300], exp[300];

	text_hex(data, len, got, sizeof(got));
	text_hex(want, n, exp, sizeof(exp));
	ck_assert_msg(len == n && memcmp(data, want, n) == 0, "%s: got %s, want %s", name, got,
		      exp);
}

char *
testdata_read_file(const char *path, size_t *len)
{
	FILE *f;
	char *buf;
	long n;

	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	ck_assert_int_ge(n, 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (len != NULL)
		*len = (size_t)n;
	return buf;
}
