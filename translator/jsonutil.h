/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Small helpers over jansson. Paths are JSON pointers without escapes ("/linux/resources"). */
#ifndef CT_JSONUTIL_H
#define CT_JSONUTIL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "error.h"

static inline void ct_json_decrefp(json_t **j)
{
	if (*j)
		json_decref(*j);
}
#define cleanup_json __attribute__((cleanup(ct_json_decrefp)))

/* Value at path, or NULL (borrowed reference). */
json_t *ct_json_get(json_t *root, const char *path);
/* Object at path, created (with any missing parents) when absent. NULL if a member on the way is
 * not an object (borrowed reference). */
json_t *ct_json_obj(json_t *root, const char *path);
/* Array at path, created when absent (borrowed). */
json_t *ct_json_arr(json_t *root, const char *path);
/* Set path to value (steals the reference), creating parents. */
int ct_json_set(json_t *root, const char *path, json_t *value, struct ct_error **err);
/* Remove the member at path; removes parents left empty up to (not including) root. */
void ct_json_del(json_t *root, const char *path, int prune_empty_parents);
/* Building without json_pack's format parsing, for the hot paths of both translations. key is a
 * literal (ASCII: not checked); value is stolen. On failure (obj or value NULL, out of memory)
 * both are released and NULL returned, so calls nest:
 *     ct_json_put(ct_json_put(json_object(), "a", json_integer(1)), "b", json_true()) */
json_t *ct_json_put(json_t *obj, const char *key, json_t *value);
/* The same for appending to an array. */
json_t *ct_json_push(json_t *arr, json_t *value);
/* A string known to be ASCII or already checked UTF-8 (literals, table entries). */
static inline json_t *ct_json_lit(const char *s)
{
	return json_string_nocheck(s);
}
/* A copy of j that shares nothing with it (j: a tree without cycles, as built by the families),
 * or NULL when out of memory. Only reads j: several threads may copy one tree at once. */
json_t *ct_json_copy(const json_t *j);
/* json_stringn/json_string for text from the input: the same result (NULL for invalid UTF-8 or
 * a NULL s), with the UTF-8 check skipped when every byte is ASCII, which one pass finds out
 * faster than jansson's decoder. */
/* s[0..n) has no byte above 0x7f: eight bytes at a time, as the families turn many short
 * values into strings and a byte loop cost more than jansson's copy. */
static inline bool ct_is_ascii(const char *s, size_t n)
{
	uint64_t w, high = 0;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, sizeof(w));
		high |= w;
	}
	for (; i < n; i++)
		high |= (unsigned char)s[i];
	return !(high & 0x8080808080808080ULL);
}

static inline json_t *ct_json_strn(const char *s, size_t n)
{
	if (!s)
		return NULL;
	return ct_is_ascii(s, n) ? json_stringn_nocheck(s, n) : json_stringn(s, n);
}

static inline json_t *ct_json_str(const char *s)
{
	return s ? ct_json_strn(s, strlen(s)) : NULL;
}
/* json_object_set_new for a key from the input: the same result, the key's UTF-8 check skipped
 * when it is ASCII. */
static inline int ct_json_set_member(json_t *obj, const char *key, json_t *value)
{
	unsigned char high = 0;
	size_t n = 0;

	if (!key) {
		json_decref(value);
		return -1;
	}
	for (; key[n]; n++)
		high |= (unsigned char)key[n];
	return high & 0x80 ? json_object_setn_new(obj, key, n, value)
			   : json_object_setn_new_nocheck(obj, key, n, value);
}
/* "an object", "a string", ... for messages. */
const char *ct_json_kind(const json_t *j);
/* base + "/" + token, the token escaped as RFC 6901 says (~ -> ~0, / -> ~1); NULL when out of
 * memory. */
char *ct_json_ptr_join(const char *base, const char *token);
/* Append "/" + token, escaped the same way, to sb. */
struct strbuf;
void ct_json_ptr_append(struct strbuf *sb, const char *token);
/* Serialise compactly with sorted keys (for hashing and equality in tests). */
char *ct_json_canonical(const json_t *j);
/* 64-bit FNV-1a of the canonical form. */
unsigned long long ct_json_hash(const json_t *j);

#endif
