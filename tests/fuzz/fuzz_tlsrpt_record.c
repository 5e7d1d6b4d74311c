/*
 * fuzz_tlsrpt_record -- libFuzzer target for the TLSRPT policy record parser
 * (common/tlsrpt_record.c): TXT data from strangers. Whatever the bytes, the
 * result is one of the statuses; a valid record has 1..TLSRPT_RECORD_MAX_RUA
 * addresses kept, each NUL-terminated, mailto: or https://, without spaces;
 * an invalid one has a fault; nothing is kept beyond its bounds.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tlsrpt_record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_tlsrpt_record: %s:%d: %s\n", __FILE__, __LINE__,     \
				#cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tlsrpt_record *r = malloc(sizeof(*r));
	size_t i;

	CHECK(r != NULL);
	memset(r, 0xa5, sizeof(*r));
	tlsrpt_record_parse((const char *)data, size, r);
	CHECK(r->status == TLSRPT_RECORD_NONE || r->status == TLSRPT_RECORD_VALID ||
	      r->status == TLSRPT_RECORD_INVALID);
	if (r->status == TLSRPT_RECORD_NONE) {
		CHECK(size < 10 || memcmp(data, "v=TLSRPTv1", 10) != 0);
		goto out;
	}
	CHECK(r->text_len <= TLSRPT_RECORD_TEXT_MAX && r->text_len <= size);
	if (r->status == TLSRPT_RECORD_INVALID) {
		CHECK(r->fault != TLSRPT_FAULT_NONE && r->nrua == 0);
		goto out;
	}
	CHECK(r->fault == TLSRPT_FAULT_NONE);
	CHECK(r->nrua >= 1 && r->nrua <= TLSRPT_RECORD_MAX_RUA && r->rua_total >= r->nrua);
	for (i = 0; i < r->nrua; i++) {
		size_t len = strnlen(r->rua[i], TLSRPT_RECORD_URI_MAX);

		CHECK(len > 0 && len < TLSRPT_RECORD_URI_MAX);
		CHECK(strncasecmp(r->rua[i], "mailto:", 7) == 0 ||
		      strncasecmp(r->rua[i], "https://", 8) == 0);
		CHECK(strpbrk(r->rua[i], " \t;,") == NULL);
	}
out:
	free(r);
	return 0;
}
