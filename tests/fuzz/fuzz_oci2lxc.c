/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* OCI -> LXC: parse, translate, write, re-read the LXC text (must succeed), translate it back:
 * the document must come back equal (the carry lines make the round trip exact). */
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
	cleanup_lxcconf struct lxc_config *conf = NULL, *again = NULL;
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *oci = NULL, *back = NULL;
	cleanup_strbuf struct strbuf out = STRBUF_INIT;
	struct ct_side_file *side = NULL;
	struct lxcconf_opts lopts = { .sysroot = FUZZ_SYSROOT };
	struct ct_translate_opts topts = { .sysroot = FUZZ_SYSROOT,
					   .bundle_dir = "/nonexistent-ctlaunch-fuzz",
					   .seccomp_path = "/nonexistent-ctlaunch-fuzz/seccomp" };

	if (ocispec_parse_buffer((const char *)data, size, "fuzz.json", NULL, &oci, &err) < 0)
		return 0;
	if (ct_oci_to_lxc(oci, &topts, &conf, &side, &err) < 0)
		return 0;
	ct_side_files_free(side);
	if (lxcconf_write(conf, NULL, &out, &err) < 0)
		return 0;
	if (lxcconf_parse_buffer(out.s, out.len, FUZZ_NAME, &lopts, &again, &err) < 0)
		abort();
	/* The seccomp profile is a side file the fuzzer does not write: skip the equality check
	 * when the document has one. */
	if (json_object_get(json_object_get(oci, "linux"), "seccomp"))
		return 0;
	if (ct_lxc_to_oci(again, &topts, &back, &err) < 0)
		abort();
	if (!json_equal(oci, back))
		abort();
	return 0;
}
