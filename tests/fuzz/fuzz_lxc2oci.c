/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* LXC -> OCI: parse, translate, emit, re-read the JSON (must succeed), and translating the same
 * config again must give the same document. */
#include <stdint.h>
#include <string.h>

#include "cleanup.h"
#include "fuzz_common.h"
#include "jsonutil.h"
#include "ocispec.h"
#include "translate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cleanup_lxcconf struct lxc_config *conf = NULL;
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *a = NULL, *b = NULL, *c = NULL;
	cleanup_free char *out = NULL;
	struct lxcconf_opts lopts = { .sysroot = FUZZ_SYSROOT };
	struct ct_translate_opts topts = { .sysroot = FUZZ_SYSROOT,
					   .config_dir = "/nonexistent-ctlaunch-fuzz" };

	if (lxcconf_parse_buffer((const char *)data, size, FUZZ_NAME, &lopts, &conf, &err) < 0)
		return 0;
	if (ct_lxc_to_oci(conf, &topts, &a, &err) < 0)
		return 0;
	out = ocispec_dump(a);
	if (!out)
		return 0;
	if (ocispec_parse_buffer(out, strlen(out), "lxc2oci.json", NULL, &b, &err) < 0)
		abort();
	if (ct_lxc_to_oci(conf, &topts, &c, &err) < 0 || !json_equal(a, c))
		abort();
	return 0;
}
