/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Error objects: library code fills them, only main() prints them (crun's contract). */
#ifndef CT_ERROR_H
#define CT_ERROR_H

#include <stdarg.h>

struct ct_error {
	int status;    /* errno value, or 0 for a content error */
	char *msg;     /* one line, no trailing period */
	char *hint;    /* how to fix it, may be NULL */
	char *file;    /* may be NULL */
	unsigned line; /* 0 when unknown */
	unsigned col;  /* 0 when unknown */
};

/* Each setter returns -1 when status is 0 (content error), else -status. A NULL err is allowed:
 * the call then only computes the return value. An already set *err is kept (first error wins). */
int ct_error_set(struct ct_error **err, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int ct_error_at(struct ct_error **err, const char *file, unsigned line, unsigned col,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int ct_error_vat(struct ct_error **err, int status, const char *file, unsigned line, unsigned col,
		 const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));
/* Attach a hint to an existing error; returns its argument rc unchanged. */
int ct_error_hint(struct ct_error **err, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Prefix the message with "CONTEXT: " (e.g. the file name); returns rc. */
int ct_error_prefix(struct ct_error **err, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ct_error_free(struct ct_error *err);
void ct_error_freep(struct ct_error **err);
#define cleanup_error __attribute__((cleanup(ct_error_freep)))

/* Format "FILE:LINE:COL: " (parts that are unknown are left out) into buf. */
const char *ct_error_where(const struct ct_error *err, char *buf, unsigned size);

#endif
