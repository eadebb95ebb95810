/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* LXC seccomp policy text: parse, write, re-read; the re-read must succeed and write the same
 * text again. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "seccomp_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cleanup_sc_profile struct sc_profile *a = NULL, *b = NULL;
	cleanup_error struct ct_error *err = NULL;
	cleanup_free char *t1 = NULL, *t2 = NULL;

	if (seccomp_text_parse((const char *)data, size, "fuzz.seccomp", &a, &err) < 0)
		return 0;
	t1 = seccomp_text_write(a);
	if (!t1)
		return 0;
	if (seccomp_text_parse(t1, strlen(t1), "written.seccomp", &b, &err) < 0)
		abort();
	t2 = seccomp_text_write(b);
	if (!t2 || strcmp(t1, t2) != 0)
		abort();
	return 0;
}
