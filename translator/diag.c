/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "diag.h"

int ct_warn(struct ct_diag *diag, struct ct_error **err, const char *file, unsigned line,
	    unsigned col, const char *fmt, ...)
{
	va_list ap;
	char *msg = NULL;
	int rc = 0;

	va_start(ap, fmt);
	if (diag && diag->strict) {
		rc = ct_error_vat(err, 0, file, line, col, fmt, ap);
		va_end(ap);
		ct_error_hint(err, rc, "this is an error because of --strict");
		return rc;
	}
	if (diag && diag->warn && vasprintf(&msg, fmt, ap) >= 0) {
		diag->warn(diag->data, file, line, col, msg);
		free(msg);
	}
	if (diag)
		diag->count++;
	va_end(ap);
	return rc;
}
