/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* OCI reader: parse and validate; what is accepted must pass the separate validation walk (the
 * fast reader checks the schema as it reads and skips that walk) and dump and re-read to an
 * equal document. */
#include <stdint.h>
#include <string.h>

#include "cleanup.h"
#include "jsonutil.h"
#include "ocispec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cleanup_json json_t *a = NULL, *b = NULL;
	cleanup_error struct ct_error *err = NULL;
	cleanup_free char *out = NULL;

	if (ocispec_parse_buffer((const char *)data, size, "fuzz.json", NULL, &a, &err) < 0)
		return 0;
	if (ocispec_validate(a, (const char *)data, size, "fuzz.json", NULL, &err) < 0)
		abort(); /* the reader's own checks let through what the validator refuses */
	out = ocispec_dump(a);
	if (!out)
		return 0;
	if (ocispec_parse_buffer(out, strlen(out), "dump.json", NULL, &b, &err) < 0)
		abort();
	if (!json_equal(a, b))
		abort();
	return 0;
}
