/*
 * fuzz_tlsrpt_mime -- libFuzzer target for taking reports out of mail
 * messages and gzip (common/tlsrpt_source.c with GMime and zlib; issue 24).
 *
 * The first byte chooses: odd, the rest is a report file (gunzip'd when it
 * starts with the gzip magic); even, a mail message whose report parts are
 * decoded and gunzip'd. Properties: the status returned is the one kept;
 * OK has 1..TLSRPT_SOURCE_MAX_PARTS parts, NO_REPORT none, and no part is
 * over TLSRPT_MAX_JSON bytes; every
 * part goes through tlsrpt_parse() (bounded, no crash). The rest also goes
 * to tlsrpt_source_gunzip() with a small cap, whose output never exceeds it.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tlsrpt.h"
#include "tlsrpt_source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_tlsrpt_mime: %s:%d: %s\n", __FILE__, __LINE__,       \
				#cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum tlsrpt_file_kind kind;
	enum tlsrpt_load_status st;
	struct tlsrpt_report r;
	struct tlsrpt_load ld;
	unsigned char *out;
	size_t i, outlen;
	char err[256], detail[160];

	if (size == 0)
		return 0;
	kind = (data[0] & 1) != 0 ? TLSRPT_FILE_REPORT : TLSRPT_FILE_MESSAGE;
	st = tlsrpt_source_extract(data + 1, size - 1, kind, &ld);
	CHECK(st == ld.status);
	CHECK(ld.nparts <= TLSRPT_SOURCE_MAX_PARTS);
	if (st == TLSRPT_LOAD_OK)
		CHECK(ld.nparts >= 1);
	if (st == TLSRPT_LOAD_NO_REPORT)
		CHECK(ld.nparts == 0);
	for (i = 0; i < ld.nparts; i++) {
		CHECK(ld.parts[i].len <= TLSRPT_MAX_JSON);
		if (tlsrpt_parse(ld.parts[i].data, ld.parts[i].len, &r, err, sizeof(err)) == 0)
			tlsrpt_report_free(&r);
	}
	tlsrpt_load_free(&ld);
	st = tlsrpt_source_gunzip(data + 1, size - 1, 4096, &out, &outlen, detail, sizeof(detail));
	if (st == TLSRPT_LOAD_OK)
		CHECK(outlen <= 4096);
	else
		CHECK(out == NULL);
	free(out);
	return 0;
}
