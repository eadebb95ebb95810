/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

static bool grow(struct strbuf *sb, size_t extra)
{
	size_t want;
	char *n;

	if (sb->oom)
		return false;
	if (sb->len + extra + 1 <= sb->cap)
		return true;
	want = sb->cap ? sb->cap : 64;
	while (want < sb->len + extra + 1) {
		if (want > ((size_t)-1) / 2) {
			sb->oom = true;
			return false;
		}
		want *= 2;
	}
	n = realloc(sb->s, want);
	if (!n) {
		sb->oom = true;
		return false;
	}
	sb->s = n;
	sb->cap = want;
	return true;
}

void strbuf_add_grow(struct strbuf *sb, const char *s, size_t n)
{
	if (!grow(sb, n))
		return;
	memcpy(sb->s + sb->len, s, n);
	sb->len += n;
	sb->s[sb->len] = '\0';
}

/* Formats straight into the free space when it is large enough, so most calls format once. */
void strbuf_printf(struct strbuf *sb, const char *fmt, ...)
{
	size_t avail = sb->s && !sb->oom ? sb->cap - sb->len : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(avail ? sb->s + sb->len : NULL, avail, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < avail) {
		sb->len += (size_t)n;
		return;
	}
	if (sb->s)
		sb->s[sb->len] = '\0'; /* undo the truncated attempt */
	if (n < 0 || !grow(sb, (size_t)n)) {
		sb->oom = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(sb->s + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

char *strbuf_steal(struct strbuf *sb)
{
	char *s;

	if (sb->oom) {
		strbuf_release(sb);
		return NULL;
	}
	if (!sb->s && !grow(sb, 0))
		return NULL;
	s = sb->s;
	sb->s = NULL;
	sb->len = sb->cap = 0;
	return s;
}

void strbuf_release(struct strbuf *sb)
{
	free(sb->s);
	sb->s = NULL;
	sb->len = sb->cap = 0;
	sb->oom = false;
}

char *ct_concat(const char *first, ...)
{
	size_t len = 0, at = 0;
	const char *p;
	va_list ap;
	char *r;

	va_start(ap, first);
	for (p = first; p; p = va_arg(ap, const char *))
		len += strlen(p);
	va_end(ap);
	r = malloc(len + 1);
	if (!r)
		return NULL;
	va_start(ap, first);
	for (p = first; p; p = va_arg(ap, const char *)) {
		size_t n = strlen(p);

		memcpy(r + at, p, n);
		at += n;
	}
	va_end(ap);
	r[at] = '\0';
	return r;
}
