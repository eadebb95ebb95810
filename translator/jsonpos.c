/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Locate the value a JSON pointer (RFC 6901) names in the original text, so that errors found
 * on the parsed document can point at a line and column. The text is assumed to be valid JSON
 * (it was parsed before); on anything else the scan stops cleanly and reports "not found".
 * Every loop advances through the text, so the work is bounded by its length. Also the passes
 * over the raw text that come before jansson reads it (the reader's checked path). */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "ocispec.h"
#include "strbuf.h"

struct scan {
	const char *s;
	size_t len, pos;
};

static bool at_end(const struct scan *sc)
{
	return sc->pos >= sc->len;
}

static void skip_ws(struct scan *sc)
{
	while (!at_end(sc) && strchr(" \t\r\n", sc->s[sc->pos]) && sc->s[sc->pos])
		sc->pos++;
}

/* Skip a string starting at its opening quote; returns false on malformed text. */
static bool skip_string(struct scan *sc)
{
	sc->pos++;
	while (!at_end(sc)) {
		char c = sc->s[sc->pos++];

		if (c == '"')
			return true;
		if (c == '\\')
			sc->pos++;
	}
	return false;
}

/* Skip one value of any kind. Containers are skipped by counting brackets outside strings, so
 * no recursion is needed whatever the nesting. */
static bool skip_value(struct scan *sc)
{
	size_t depth = 0;

	skip_ws(sc);
	do {
		char c;

		if (at_end(sc))
			return false;
		c = sc->s[sc->pos];
		if (c == '"') {
			if (!skip_string(sc))
				return false;
		} else if (c == '{' || c == '[') {
			depth++;
			sc->pos++;
		} else if (c == '}' || c == ']') {
			if (!depth)
				return false;
			depth--;
			sc->pos++;
		} else if (depth) {
			sc->pos++;
		} else {
			/* A scalar at the top: number, true, false, null. */
			while (!at_end(sc) && !strchr(" \t\r\n,]}", sc->s[sc->pos]))
				sc->pos++;
			return true;
		}
	} while (depth);
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool read_hex4(struct scan *sc, unsigned *ret)
{
	unsigned v = 0;

	if (sc->pos + 4 > sc->len)
		return false;
	for (int i = 0; i < 4; i++) {
		int h = hexval(sc->s[sc->pos++]);

		if (h < 0)
			return false;
		v = v * 16 + (unsigned)h;
	}
	*ret = v;
	return true;
}

static size_t put_utf8(char *out, unsigned cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Decode the escape after a backslash into out (at least 4 bytes); returns bytes written or 0
 * on malformed text. */
static size_t decode_escape(struct scan *sc, char *out)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *p;
	unsigned cp, lo;

	if (at_end(sc))
		return 0;
	p = strchr(from, sc->s[sc->pos]);
	if (p && *p) {
		sc->pos++;
		out[0] = to[p - from];
		return 1;
	}
	if (sc->s[sc->pos++] != 'u' || !read_hex4(sc, &cp))
		return 0;
	if (cp >= 0xd800 && cp < 0xdc00 && sc->pos + 1 < sc->len && sc->s[sc->pos] == '\\' &&
	    sc->s[sc->pos + 1] == 'u') {
		sc->pos += 2;
		if (!read_hex4(sc, &lo) || lo < 0xdc00 || lo > 0xdfff)
			return 0;
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	return put_utf8(out, cp);
}

/* Read a member name at the opening quote and compare it, decoded, with want. */
static bool key_equals(struct scan *sc, const char *want, size_t wlen, bool *ret_eq)
{
	size_t matched = 0;
	bool eq = true;

	sc->pos++;
	while (!at_end(sc)) {
		char c = sc->s[sc->pos], buf[4];
		size_t n = 1;

		if (c == '"') {
			sc->pos++;
			*ret_eq = eq && matched == wlen;
			return true;
		}
		if (c == '\\') {
			sc->pos++;
			n = decode_escape(sc, buf);
			if (!n)
				return false;
		} else {
			buf[0] = c;
			sc->pos++;
		}
		if (eq && matched + n <= wlen && memcmp(want + matched, buf, n) == 0)
			matched += n;
		else
			eq = false;
	}
	return false;
}

/* Unescape one reference token (~1 is '/', ~0 is '~') of pointer into a new string. */
static char *next_token(const char **pointer, size_t *ret_len)
{
	const char *p = *pointer + 1, *end = strchrnul(p, '/');
	char *tok = malloc((size_t)(end - p) + 1), *o = tok;

	if (!tok)
		return NULL;
	for (; p < end; p++) {
		if (*p == '~' && (p[1] == '0' || p[1] == '1')) {
			*o++ = p[1] == '0' ? '~' : '/';
			p++;
		} else if (*p == '~') {
			free(tok);
			return NULL;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	*ret_len = (size_t)(o - tok);
	*pointer = end;
	return tok;
}

/* At an object: move to the value of member tok. */
static bool enter_member(struct scan *sc, const char *tok, size_t tlen)
{
	sc->pos++;
	for (;;) {
		bool eq;

		skip_ws(sc);
		if (at_end(sc) || sc->s[sc->pos] != '"' || !key_equals(sc, tok, tlen, &eq))
			return false;
		skip_ws(sc);
		if (at_end(sc) || sc->s[sc->pos] != ':')
			return false;
		sc->pos++;
		skip_ws(sc);
		if (eq)
			return true;
		if (!skip_value(sc))
			return false;
		skip_ws(sc);
		if (at_end(sc) || sc->s[sc->pos] != ',')
			return false;
		sc->pos++;
	}
}

/* At an array: move to element tok (a decimal index without leading zeros). */
static bool enter_element(struct scan *sc, const char *tok)
{
	unsigned long idx;
	char *end;

	if (!*tok || (tok[0] == '0' && tok[1]) || !strchr("0123456789", tok[0]))
		return false;
	errno = 0;
	idx = strtoul(tok, &end, 10);
	if (*end || errno)
		return false;
	sc->pos++;
	skip_ws(sc);
	for (unsigned long i = 0; i < idx; i++) {
		if (at_end(sc) || sc->s[sc->pos] == ']' || !skip_value(sc))
			return false;
		skip_ws(sc);
		if (at_end(sc) || sc->s[sc->pos] != ',')
			return false;
		sc->pos++;
		skip_ws(sc);
	}
	return !at_end(sc) && sc->s[sc->pos] != ']';
}

static void position_of(const char *text, size_t pos, unsigned *ret_line, unsigned *ret_col)
{
	unsigned line = 1, col = 1;

	for (size_t i = 0; i < pos; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c == '\n') {
			line++;
			col = 1;
		} else if ((c & 0xc0) != 0x80) {
			/* Columns count characters, as jansson's do: skip UTF-8 continuations. */
			col++;
		}
	}
	*ret_line = line;
	*ret_col = col;
}

int jsonpos_find(const char *text, size_t len, const char *pointer, unsigned *ret_line,
		 unsigned *ret_col)
{
	size_t off;

	if (jsonpos_offset(text, len, pointer, &off) < 0)
		return -1;
	position_of(text, off, ret_line, ret_col);
	return 0;
}

int jsonpos_offset(const char *text, size_t len, const char *pointer, size_t *ret_offset)
{
	struct scan sc = { text, len, 0 };

	if (!text || !pointer || (*pointer && *pointer != '/'))
		return -1;
	skip_ws(&sc);
	while (*pointer) {
		cleanup_free char *tok = NULL;
		size_t tlen;
		bool ok;

		if (at_end(&sc))
			return -1;
		tok = next_token(&pointer, &tlen);
		if (!tok)
			return -1;
		if (sc.s[sc.pos] == '{')
			ok = enter_member(&sc, tok, tlen);
		else if (sc.s[sc.pos] == '[')
			ok = enter_element(&sc, tok);
		else
			ok = false;
		if (!ok)
			return -1;
	}
	if (at_end(&sc))
		return -1;
	*ret_offset = sc.pos;
	return 0;
}

/* The raw text before jansson reads it. */

static int nul_byte(const char *buf, size_t off, const char *name, struct ct_error **err)
{
	unsigned line, col;
	int rc;

	position_of(buf, off, &line, &col);
	rc = ct_error_at(err, name, line, col, "invalid JSON: NUL byte in the input");

	return ct_error_hint(err, rc,
			     "config.json is UTF-8 text; this file looks corrupt or binary");
}

static int too_deep(const char *buf, size_t off, const char *name, struct ct_error **err)
{
	unsigned line, col;
	int rc;

	position_of(buf, off, &line, &col);
	rc = ct_error_at(err, name, line, col, "invalid JSON: nesting deeper than %d levels",
			 OCISPEC_MAX_DEPTH);

	return ct_error_hint(err, rc,
			     "a config.json needs only a few levels; this file looks corrupt");
}

/* Where a byte-by-byte scan of JSON text is with respect to strings. */
struct string_scan {
	bool in_string, escaped;
};

/* Does c belong to a string (its quotes included)? Brackets and digits there are text. */
static bool string_byte(struct string_scan *s, char c)
{
	if (s->in_string) {
		if (s->escaped)
			s->escaped = false;
		else if (c == '\\')
			s->escaped = true;
		else if (c == '"')
			s->in_string = false;
		return true;
	}
	if (c == '"')
		s->in_string = true;
	return c == '"';
}

/* Before jansson sees the text: reject NUL bytes and nesting deeper than OCISPEC_MAX_DEPTH,
 * in one linear pass that tracks strings so brackets inside them do not count. jansson would
 * refuse deep nesting too, but only after recursing thousands of levels. */
int jsonpos_prescan(const char *buf, size_t len, const char *name, struct ct_error **err)
{
	struct string_scan scan = { false, false };
	unsigned depth = 0;

	for (size_t i = 0; i < len; i++) {
		char c = buf[i];

		if (c == '\0')
			return nul_byte(buf, i, name, err);
		if (string_byte(&scan, c))
			continue;
		if (c == '{' || c == '[') {
			if (++depth > OCISPEC_MAX_DEPTH)
				return too_deep(buf, i, name, err);
		} else if ((c == '}' || c == ']') && depth) {
			depth--;
		}
	}
	return 0;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* jansson integers are signed 64-bit; the spec's uint64 fields may hold up to 2^64-1 (e.g.
 * RLIM_INFINITY). Such literals are rewritten to the signed integer with the same bits, padded
 * with blanks so that columns stay put (a 19-digit literal whose signed form is one character
 * longer shifts the rest of its line by one). ocivalidate reads the original text to tell them
 * from negative values. *ret: a new text, or NULL when nothing needed it. */
int jsonpos_rewrite_big_unsigned(const char *buf, size_t len, char **ret, struct ct_error **err)
{
	cleanup_strbuf struct strbuf sb = STRBUF_INIT;
	struct string_scan scan = { false, false };
	bool any = false;
	size_t copied = 0;

	*ret = NULL;
	for (size_t i = 0; i < len; i++) {
		char c = buf[i], digits[21], repr[24];
		unsigned long long v;
		size_t j;

		if (string_byte(&scan, c))
			continue;
		if (!is_digit(c) || (i && strchr("0123456789.eE+-", buf[i - 1])))
			continue;
		for (j = i; j < len && is_digit(buf[j]); j++)
			;
		if (j - i < 19 || j - i > 20 || (j < len && strchr(".eE", buf[j]))) {
			i = j - 1;
			continue;
		}
		memcpy(digits, buf + i, j - i);
		digits[j - i] = '\0';
		errno = 0;
		v = strtoull(digits, NULL, 10);
		if (errno || v <= INT64_MAX) {
			i = j - 1;
			continue;
		}
		snprintf(repr, sizeof(repr), "%lld", (long long)v);
		strbuf_add(&sb, buf + copied, i - copied);
		strbuf_puts(&sb, repr);
		for (size_t k = strlen(repr); k < j - i; k++)
			strbuf_putc(&sb, ' ');
		copied = j;
		any = true;
		i = j - 1;
	}
	if (!any)
		return 0;
	strbuf_add(&sb, buf + copied, len - copied);
	*ret = strbuf_steal(&sb);
	if (!*ret)
		return ct_error_set(err, ENOMEM, "out of memory");
	return 0;
}
