/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared bits of the libFuzzer targets: quiet options that never touch the host's files. */
#ifndef CT_FUZZ_COMMON_H
#define CT_FUZZ_COMMON_H

#include <stdlib.h>
#include <string.h>

#include "lxcconf.h"

/* Includes resolve under a directory that does not exist: the fuzzer cannot make the reader
 * open host files. */
#define FUZZ_NAME "/nonexistent-ctlaunch-fuzz/config"
#define FUZZ_SYSROOT "/nonexistent-ctlaunch-fuzz"

static inline int fuzz_same_entries(const struct lxc_config *a, const struct lxc_config *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i].key, b->v[i].key) || strcmp(a->v[i].value, b->v[i].value))
			return 0;
	return 1;
}

#endif
