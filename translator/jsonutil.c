/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "jsonutil.h"
#include "strbuf.h"

/* A writable copy of path: in buf (size bytes) when it fits, else on the heap in *heap. The
 * paths of the families are short literals, so most calls allocate nothing. */
static char *path_copy(const char *path, char *buf, size_t size, char **heap)
{
	size_t n = strlen(path);

	if (n < size)
		return memcpy(buf, path, n + 1);
	*heap = strdup(path);
	return *heap;
}

/* Walk path; with create, missing members become objects (or an array for the last one when
 * want_array). Returns a borrowed reference or NULL. Tokens are looked up by length, in place:
 * the families' paths are literals, walked on every translation. */
static json_t *walk(json_t *root, const char *path, int create, int want_array)
{
	json_t *cur = root;

	for (const char *tok = path; *tok;) {
		size_t n;
		json_t *next;

		if (*tok == '/') {
			tok++;
			continue;
		}
		/* by hand: the tokens are a few bytes, shorter than a call to strcspn */
		for (n = 0; tok[n] && tok[n] != '/'; n++)
			;
		if (json_is_array(cur)) {
			size_t idx = 0, i;

			for (i = 0; i < n && tok[i] >= '0' && tok[i] <= '9'; i++)
				idx = idx * 10 + (size_t)(tok[i] - '0');
			if (i < n || i > 18) /* as strtoul's whole-token parse refused */
				return NULL;
			next = json_array_get(cur, idx);
			if (!next)
				return NULL;
		} else if (!json_is_object(cur)) {
			return NULL;
		} else {
			next = json_object_getn(cur, tok, n);
			if (!next) {
				if (!create)
					return NULL;
				unsigned char high = 0;
				bool last = true; /* only slashes after this token? */

				for (size_t k = n; tok[k] && last; k++)
					last = tok[k] == '/';
				for (size_t k = 0; k < n; k++)
					high |= (unsigned char)tok[k];
				next = (last && want_array) ? json_array() : json_object();
				if (!next || (high & 0x80 ? json_object_setn_new(cur, tok, n, next)
							  : json_object_setn_new_nocheck(
								    cur, tok, n, next)) < 0)
					return NULL;
			}
		}
		cur = next;
		tok += n;
	}
	return cur;
}

json_t *ct_json_get(json_t *root, const char *path)
{
	return walk(root, path, 0, 0);
}

json_t *ct_json_obj(json_t *root, const char *path)
{
	json_t *j = walk(root, path, 1, 0);

	return json_is_object(j) ? j : NULL;
}

json_t *ct_json_arr(json_t *root, const char *path)
{
	json_t *j = walk(root, path, 1, 1);

	return json_is_array(j) ? j : NULL;
}

int ct_json_set(json_t *root, const char *path, json_t *value, struct ct_error **err)
{
	char buf[128];
	cleanup_free char *heap = NULL;
	char *parent = path_copy(path, buf, sizeof(buf), &heap);
	char *slash;
	json_t *obj;

	if (!parent || !value) {
		json_decref(value);
		return ct_error_set(err, ENOMEM, "out of memory");
	}
	slash = strrchr(parent, '/');
	if (!slash) {
		json_decref(value);
		return ct_error_set(err, EINVAL, "internal error: bad JSON path %s", path);
	}
	*slash = '\0';
	obj = *parent ? ct_json_obj(root, parent) : root;
	if (!obj) {
		json_decref(value);
		return ct_error_set(err, 0, "%s: cannot set %s: a parent is not an object", path,
				    slash + 1);
	}
	if (ct_json_set_member(obj, slash + 1, value) < 0)
		return ct_error_set(err, ENOMEM, "out of memory");
	return 0;
}

void ct_json_del(json_t *root, const char *path, int prune_empty_parents)
{
	char buf[128];
	cleanup_free char *heap = NULL;
	char *copy = path_copy(path, buf, sizeof(buf), &heap), *slash;

	if (!copy)
		return;
	for (;;) {
		json_t *parent;

		slash = strrchr(copy, '/');
		if (!slash)
			return;
		*slash = '\0';
		parent = *copy ? ct_json_get(root, copy) : root;
		if (!json_is_object(parent))
			return;
		json_object_del(parent, slash + 1);
		if (!prune_empty_parents || parent == root || json_object_size(parent))
			return;
	}
}

char *ct_json_canonical(const json_t *j)
{
	return json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
}

static int hash_bytes(const char *buf, size_t size, void *data)
{
	unsigned long long *h = data;

	for (size_t i = 0; i < size; i++) {
		*h ^= (unsigned char)buf[i];
		*h *= 1099511628211ULL;
	}
	return 0;
}

/* The canonical text is hashed as jansson writes it out, never held in memory. */
unsigned long long ct_json_hash(const json_t *j)
{
	unsigned long long h = 1469598103934665603ULL;

	if (!j || json_dump_callback(j, hash_bytes, &h,
				     JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY) < 0)
		return 0;
	return h;
}

json_t *ct_json_put(json_t *obj, const char *key, json_t *value)
{
	if (!obj || !value || json_object_set_new_nocheck(obj, key, value) < 0) {
		json_decref(obj);
		if (!obj)
			json_decref(value);
		return NULL;
	}
	return obj;
}

json_t *ct_json_push(json_t *arr, json_t *value)
{
	if (!arr || !value || json_array_append_new(arr, value) < 0) {
		json_decref(arr);
		if (!arr)
			json_decref(value);
		return NULL;
	}
	return arr;
}

/* json_deep_copy checks for loops with a hashtable of "%p" keys per container; the trees copied
 * here are the families' own, which have none. Strings and keys were checked when first made. */
json_t *ct_json_copy(const json_t *j)
{
	json_t *out;
	size_t i;

	if (!j)
		return NULL;
	switch (json_typeof(j)) {
	case JSON_OBJECT:
		out = json_object();
		for (void *it = json_object_iter((json_t *)j); it && out;
		     it = json_object_iter_next((json_t *)j, it)) {
			json_t *v = ct_json_copy(json_object_iter_value(it));

			if (!v ||
			    json_object_setn_new_nocheck(out, json_object_iter_key(it),
							 json_object_iter_key_len(it), v) < 0) {
				json_decref(v);
				json_decref(out);
				out = NULL;
			}
		}
		return out;
	case JSON_ARRAY:
		out = json_array();
		for (i = 0; i < json_array_size(j) && out; i++)
			out = ct_json_push(out, ct_json_copy(json_array_get(j, i)));
		return out;
	case JSON_STRING:
		return json_stringn_nocheck(json_string_value(j), json_string_length(j));
	case JSON_INTEGER:
		return json_integer(json_integer_value(j));
	case JSON_REAL:
		return json_real(json_real_value(j));
	case JSON_TRUE:
		return json_true();
	case JSON_FALSE:
		return json_false();
	default:
		return json_null();
	}
}

const char *ct_json_kind(const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_REAL:
		return "a real number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	default:
		return "null";
	}
}

void ct_json_ptr_append(struct strbuf *sb, const char *token)
{
	strbuf_putc(sb, '/');
	if (!strpbrk(token, "~/")) {
		strbuf_puts(sb, token);
		return;
	}
	for (const char *p = token; *p; p++) {
		if (*p == '~')
			strbuf_puts(sb, "~0");
		else if (*p == '/')
			strbuf_puts(sb, "~1");
		else
			strbuf_putc(sb, *p);
	}
}

char *ct_json_ptr_join(const char *base, const char *token)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_puts(&sb, base);
	ct_json_ptr_append(&sb, token);
	return strbuf_steal(&sb);
}
