/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ctlaunch.yaml reader: any input is parsed or refused with a located error, never a crash,
 * hang or leak. */
#include <stdint.h>

#include "cleanup.h"
#include "settings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cleanup_settings struct ct_settings *s = NULL;
	cleanup_error struct ct_error *err = NULL;

	if (settings_new(&s, &err) < 0)
		return 0;
	if (settings_parse_buffer(s, (const char *)data, size, "fuzz.yaml", &err) < 0 &&
	    (!err || !err->msg))
		__builtin_trap(); /* a refusal always says why */
	return 0;
}
