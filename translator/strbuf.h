/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A growable, always NUL-terminated string. */
#ifndef CT_STRBUF_H
#define CT_STRBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

struct strbuf {
	char *s;
	size_t len, cap;
	bool oom; /* sticky: set once an allocation failed */
};

#define STRBUF_INIT               \
	{                         \
		NULL, 0, 0, false \
	}

/* Appends by growing the buffer; strbuf_add() and strbuf_putc() call it only when the bytes do
 * not fit in the space already allocated. */
void strbuf_add_grow(struct strbuf *sb, const char *s, size_t n);

static inline void strbuf_add(struct strbuf *sb, const char *s, size_t n)
{
	/* n >= cap - len rather than len + n + 1 > cap: no wrap-around, so the compiler sees
	 * that the copy below is bounded by the free space. */
	if (sb->oom || n >= sb->cap - sb->len) {
		strbuf_add_grow(sb, s, n);
		return;
	}
	memcpy(sb->s + sb->len, s, n);
	sb->len += n;
	sb->s[sb->len] = '\0';
}

static inline void strbuf_putc(struct strbuf *sb, char c)
{
	if (sb->oom || sb->len + 2 > sb->cap) {
		strbuf_add_grow(sb, &c, 1);
		return;
	}
	sb->s[sb->len++] = c;
	sb->s[sb->len] = '\0';
}

static inline void strbuf_puts(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

/* Back to the first len bytes (len <= sb->len). */
static inline void strbuf_truncate(struct strbuf *sb, size_t len)
{
	if (!sb->s)
		return;
	sb->len = len;
	sb->s[len] = '\0';
}

void strbuf_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Returns the string and resets sb; NULL (and sb freed) when an allocation failed. */
char *strbuf_steal(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);
/* A new string: the concatenation of the strings up to the NULL that ends them (asprintf's
 * "%s%s..." without its format parsing); NULL when out of memory. */
char *ct_concat(const char *first, ...) __attribute__((sentinel));
static inline void strbuf_releasep(struct strbuf *sb)
{
	strbuf_release(sb);
}
#define cleanup_strbuf __attribute__((cleanup(strbuf_releasep)))

#endif
