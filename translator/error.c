/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

static int rc_for(int status)
{
	return status > 0 ? -status : -1;
}

int ct_error_vat(struct ct_error **err, int status, const char *file, unsigned line, unsigned col,
		 const char *fmt, va_list ap)
{
	struct ct_error *e;

	if (!err || *err)
		return rc_for(status);
	e = calloc(1, sizeof(*e));
	if (!e)
		return rc_for(status);
	e->status = status;
	e->line = line;
	e->col = col;
	if (file)
		e->file = strdup(file);
	if (vasprintf(&e->msg, fmt, ap) < 0)
		e->msg = NULL;
	*err = e;
	return rc_for(status);
}

int ct_error_set(struct ct_error **err, int status, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = ct_error_vat(err, status, NULL, 0, 0, fmt, ap);
	va_end(ap);
	return rc;
}

int ct_error_at(struct ct_error **err, const char *file, unsigned line, unsigned col,
		const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = ct_error_vat(err, 0, file, line, col, fmt, ap);
	va_end(ap);
	return rc;
}

int ct_error_hint(struct ct_error **err, int rc, const char *fmt, ...)
{
	va_list ap;
	char *h;

	if (!err || !*err)
		return rc;
	va_start(ap, fmt);
	if (vasprintf(&h, fmt, ap) >= 0) {
		free((*err)->hint);
		(*err)->hint = h;
	}
	va_end(ap);
	return rc;
}

int ct_error_prefix(struct ct_error **err, int rc, const char *fmt, ...)
{
	va_list ap;
	char *p, *m;

	if (!err || !*err)
		return rc;
	va_start(ap, fmt);
	if (vasprintf(&p, fmt, ap) >= 0) {
		if (asprintf(&m, "%s: %s", p, (*err)->msg ? (*err)->msg : "") >= 0) {
			free((*err)->msg);
			(*err)->msg = m;
		}
		free(p);
	}
	va_end(ap);
	return rc;
}

void ct_error_free(struct ct_error *err)
{
	if (!err)
		return;
	free(err->msg);
	free(err->hint);
	free(err->file);
	free(err);
}

void ct_error_freep(struct ct_error **err)
{
	ct_error_free(*err);
	*err = NULL;
}

const char *ct_error_where(const struct ct_error *err, char *buf, unsigned size)
{
	if (!size)
		return buf;
	buf[0] = '\0';
	if (!err || !err->file)
		return buf;
	if (err->line && err->col)
		snprintf(buf, size, "%s:%u:%u: ", err->file, err->line, err->col);
	else if (err->line)
		snprintf(buf, size, "%s:%u: ", err->file, err->line);
	else
		snprintf(buf, size, "%s: ", err->file);
	return buf;
}
