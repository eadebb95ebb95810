/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Warnings from library code: handed to a caller-supplied sink, or turned into errors under
 * --strict. Library code never prints. */
#ifndef CT_DIAG_H
#define CT_DIAG_H

#include <stdbool.h>

#include "error.h"

struct ct_diag {
	/* Called once per warning; file may be NULL, line/col 0 when unknown. */
	void (*warn)(void *data, const char *file, unsigned line, unsigned col, const char *msg);
	void *data;
	bool strict;	/* every warning becomes an error */
	unsigned count; /* warnings emitted so far */
};

/* Report a lossy or questionable item. Returns 0 after warning, or < 0 with *err set when the
 * diag is strict. diag may be NULL (warning dropped: only for callers that asked for quiet). */
int ct_warn(struct ct_diag *diag, struct ct_error **err, const char *file, unsigned line,
	    unsigned col, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

#endif
