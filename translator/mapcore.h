/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Small helpers shared by the core families (simple, rootfs, process, env, annot): meta
 * annotations and number parsing as liblxc does it. */
#ifndef CT_MAPCORE_H
#define CT_MAPCORE_H

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "error.h"
#include "jsonutil.h"
#include "translate.h"

/* liblxc refuses path-like values of PATH_MAX bytes or more (set_config_path_item). */
#define MAPCORE_PATH_MAX 4096

/* Value of the annotation key (full name), or NULL when absent or not a string. */
static inline const char *mapcore_annot_get(json_t *oci, const char *key)
{
	json_t *a = ct_json_get(oci, "/annotations");

	return json_is_object(a) ? json_string_value(json_object_get(a, key)) : NULL;
}

/* CT_ANNOT_META + name into key[128]; false when it does not fit. */
static inline bool mapcore_meta_key(const char *name, char key[128])
{
	size_t pre = sizeof(CT_ANNOT_META) - 1, n = strlen(name);

	if (pre + n >= 128)
		return false;
	memcpy(key, CT_ANNOT_META, pre);
	memcpy(key + pre, name, n + 1);
	return true;
}

/* Meta annotation CT_ANNOT_META + name, or NULL. */
static inline const char *mapcore_meta_get(json_t *oci, const char *name)
{
	char key[128];

	if (!mapcore_meta_key(name, key))
		return NULL;
	return mapcore_annot_get(oci, key);
}

static inline int mapcore_annot_set(json_t *oci, const char *key, const char *value,
				    struct ct_error **err)
{
	json_t *a = ct_json_obj(oci, "/annotations");

	if (!a)
		return ct_error_set(err, 0, "/annotations: cannot add %s: not an object", key);
	if (json_object_set_new(a, key, json_string(value)) < 0)
		return ct_error_set(err, ENOMEM, "out of memory");
	return 0;
}

static inline int mapcore_meta_set(json_t *oci, const char *name, const char *value,
				   struct ct_error **err)
{
	char key[128];

	if (!mapcore_meta_key(name, key))
		return ct_error_set(err, EINVAL, "internal error: meta name %s too long", name);
	return mapcore_annot_set(oci, key, value, err);
}

/* Parse a whole decimal integer the way liblxc's lxc_safe_int/lxc_safe_uint do: leading blanks
 * allowed, nothing after the digits. Returns 0, -EINVAL or -ERANGE. */
static inline int mapcore_parse_ll(const char *s, long long min, long long max, long long *ret)
{
	char *end;
	long long v;

	while (isspace((unsigned char)*s))
		s++;
	if (min >= 0 && *s == '-')
		return -EINVAL;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || *end)
		return -EINVAL;
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*ret = v;
	return 0;
}

/* A JSON integer within [min, max]. */
static inline bool mapcore_json_int(json_t *v, long long min, long long max, long long *ret)
{
	if (!json_is_integer(v))
		return false;
	*ret = json_integer_value(v);
	return *ret >= min && *ret <= max;
}

/* Looking up several members of one parent ("/process/cwd", "/process/user/uid", ...): the
 * parent of the last pointer is remembered, so a run of fields under one object walks the
 * path once. Only for pointers without escapes or array indices (the families' literals), and
 * only while the tree is not changed by anyone else between lookups. */
struct mapcore_cursor {
	const char *parent; /* the pointer whose first len bytes name obj; NULL: none yet */
	size_t len;
	json_t *obj;
	bool create; /* missing parents are made (as objects) */
};

/* The object named by the first len bytes of ptr, or NULL (absent, or not an object). */
static inline json_t *mapcore_walkn(json_t *root, const char *ptr, size_t len, bool create)
{
	json_t *cur = root;
	size_t at = 0;

	while (at < len && cur) {
		size_t n = 0;
		json_t *next;

		at++; /* the '/' */
		while (at + n < len && ptr[at + n] != '/')
			n++;
		next = json_object_getn(cur, ptr + at, n);
		if (!next && create && json_is_object(cur)) {
			next = json_object();
			if (json_object_setn_new_nocheck(cur, ptr + at, n, next) < 0)
				return NULL;
		}
		cur = next;
		at += n;
	}
	return json_is_object(cur) ? cur : NULL;
}

/* The parent object of ptr (NULL when absent or not an object); *ret_key: the last token. */
static inline json_t *mapcore_parent(struct mapcore_cursor *c, json_t *root, const char *ptr,
				     const char **ret_key)
{
	const char *slash = strrchr(ptr, '/');
	size_t len = (size_t)(slash - ptr);

	*ret_key = slash + 1;
	if (!c->parent || c->len != len || memcmp(c->parent, ptr, len) != 0) {
		c->obj = mapcore_walkn(root, ptr, len, c->create);
		c->parent = ptr;
		c->len = len;
	}
	return c->obj;
}

/* ct_json_get(root, ptr) through the cursor. */
static inline json_t *mapcore_get(struct mapcore_cursor *c, json_t *root, const char *ptr)
{
	const char *key;
	json_t *parent = mapcore_parent(c, root, ptr, &key);

	return parent ? json_object_get(parent, key) : NULL;
}

/* ct_json_set(root, ptr, value, err) through the cursor (c->create set); the same errors. */
static inline int mapcore_set(struct mapcore_cursor *c, json_t *root, const char *ptr,
			      json_t *value, struct ct_error **err)
{
	const char *key;
	json_t *parent = mapcore_parent(c, root, ptr, &key);

	if (!parent || !value) /* ct_json_set says why */
		return ct_json_set(root, ptr, value, err);
	if (json_object_set_new_nocheck(parent, key, value) < 0)
		return ct_error_set(err, ENOMEM, "out of memory");
	return 0;
}

#endif
