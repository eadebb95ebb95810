/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* LXC reader: parse, write, re-read; the re-read must succeed and give the same entries. */
#include <stdint.h>

#include "cleanup.h"
#include "fuzz_common.h"
#include "lxcconf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cleanup_lxcconf struct lxc_config *a = NULL, *b = NULL;
	cleanup_error struct ct_error *err = NULL;
	cleanup_strbuf struct strbuf out = STRBUF_INIT;
	struct lxcconf_opts opts = { .sysroot = FUZZ_SYSROOT };

	if (lxcconf_parse_buffer((const char *)data, size, FUZZ_NAME, &opts, &a, &err) < 0)
		return 0;
	if (lxcconf_write(a, "fuzz", &out, &err) < 0)
		return 0; /* values LXC cannot hold (newlines) are refused, not crashed on */
	if (lxcconf_parse_buffer(out.s, out.len, FUZZ_NAME, &opts, &b, &err) < 0)
		abort();
	if (!fuzz_same_entries(a, b))
		abort();
	return 0;
}
