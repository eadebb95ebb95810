/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Type checks of config.json against the runtime-spec (1.0.2 and 1.1): the tree of field
 * descriptors in ocischema.c walked alongside the document. Members the tree does not know are
 * kept without comment; known ones must have the JSON type and range the spec gives them. A few
 * semantic rules the spec states (absolute cwd, no duplicate namespace or rlimit types) ride on
 * the same walk. Errors are located at the offending value through jsonpos_find(). The walk
 * keeps where it is as a chain of crumbs on the C stack; the JSON pointer is rendered only for
 * an error. */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "jsonutil.h"
#include "ocischema.h"
#include "ocispec.h"
#include "strbuf.h"

struct vctx {
	const char *text;
	size_t len;
	const char *name;
	struct ct_diag *diag;
	struct strbuf ptr; /* the last pointer rendered for a message */
	bool quiet;	   /* only pass or fail: no message, no pointer (ocispec_schema_accepts) */
	bool numbers_as_read; /* every negative integer was spelled negative (no text needed) */
};

/* Where the walk is: the member's key, or (key NULL) the element's index, and the container's
 * own crumb (NULL at the top level). Building a pointer for every value visited cost more than
 * the checks themselves, and a pointer is only needed for an error. */
struct crumb {
	const struct crumb *up;
	const char *key;
	size_t index;
};

static void render(struct strbuf *sb, const struct crumb *at)
{
	char digits[24];
	size_t n = sizeof(digits), i;

	if (!at || !at->up)
		return;
	render(sb, at->up);
	if (at->key) {
		ct_json_ptr_append(sb, at->key);
		return;
	}
	i = at->index;
	do {
		digits[--n] = (char)('0' + i % 10);
		i /= 10;
	} while (i);
	strbuf_putc(sb, '/');
	strbuf_add(sb, digits + n, sizeof(digits) - n);
}

/* The JSON pointer of at ("" for the top level), valid until the next call; NULL when out of
 * memory. */
static const char *pointer(struct vctx *vc, const struct crumb *at)
{
	if (vc->quiet)
		return "";
	strbuf_truncate(&vc->ptr, 0);
	strbuf_add(&vc->ptr, "", 0);
	render(&vc->ptr, at);
	return vc->ptr.oom ? NULL : vc->ptr.s;
}

#define oom(err) ct_error_set(err, ENOMEM, "out of memory")

/* An error located at the value the pointer names (or at its parent when it is missing). */
__attribute__((format(printf, 4, 5))) static int fail(struct vctx *vc, struct ct_error **err,
						      const char *ptr, const char *fmt, ...)
{
	cleanup_free char *where = NULL;
	unsigned line = 0, col = 0;
	va_list ap;
	int rc;

	if (vc->quiet)
		return -1;
	where = strdup(ptr);

	while (where && jsonpos_find(vc->text, vc->len, where, &line, &col) < 0) {
		char *slash = strrchr(where, '/');

		line = col = 0;
		if (!slash)
			break;
		*slash = '\0';
	}
	va_start(ap, fmt);
	rc = ct_error_vat(err, 0, vc->name, line, col, fmt, ap);
	va_end(ap);
	return rc;
}

static const struct {
	enum vtype type;
	const char *desc;
	long long min;
	unsigned long long max;
} int_types[] = {
	{ T_INT32, "a 32-bit integer", INT32_MIN, INT32_MAX },
	{ T_INT64, "a 64-bit integer", INT64_MIN, INT64_MAX },
	{ T_UINT16, "an unsigned 16-bit integer", 0, UINT16_MAX },
	{ T_UINT32, "an unsigned 32-bit integer", 0, UINT32_MAX },
	{ T_UINT64, "an unsigned 64-bit integer", 0, UINT64_MAX },
};

static const char *type_desc(enum vtype t)
{
	switch (t) {
	case T_OBJECT:
	case T_MAP:
		return "an object";
	case T_ARRAY:
		return "an array";
	case T_STRING:
		return "a string";
	case T_BOOL:
		return "a boolean";
	default:
		break;
	}
	for (size_t i = 0; i < CT_ARRAY_SIZE(int_types); i++)
		if (int_types[i].type == t)
			return int_types[i].desc;
	return "a value";
}

static inline bool type_matches(enum vtype t, const json_t *v)
{
	switch (t) {
	case T_OBJECT:
	case T_MAP:
		return json_is_object(v);
	case T_ARRAY:
		return json_is_array(v);
	case T_STRING:
		return json_is_string(v);
	case T_BOOL:
		return json_is_boolean(v);
	default:
		return json_is_integer(v);
	}
}

/* A negative value whose text is unsigned was a uint64 above INT64_MAX (see ocispec.h). */
static bool spelled_unsigned(struct vctx *vc, const struct crumb *at)
{
	const char *ptr;
	size_t off;

	if (vc->numbers_as_read)
		return false;
	if (!vc->text || !(ptr = pointer(vc, at)) ||
	    jsonpos_offset(vc->text, vc->len, ptr, &off) < 0)
		return false;
	return vc->text[off] >= '0' && vc->text[off] <= '9';
}

static int check_int_range(struct vctx *vc, const struct ocispec_field *f, json_t *v,
			   const struct crumb *at, struct ct_error **err)
{
	json_int_t n = json_integer_value(v);
	const char *ptr;

	if (n < 0 && (f->type == T_UINT64 || spelled_unsigned(vc, at))) {
		if (f->type == T_UINT64 &&
		    ((!vc->text && !vc->numbers_as_read) || spelled_unsigned(vc, at)))
			return 0;
		if (f->type != T_UINT64) {
			if (!(ptr = pointer(vc, at)))
				return oom(err);
			return fail(vc, err, ptr, "%s: expected %s, found %llu", ptr,
				    type_desc(f->type), (unsigned long long)n);
		}
	}

	for (size_t i = 0; i < CT_ARRAY_SIZE(int_types); i++) {
		long long min = int_types[i].min;

		if (int_types[i].type != f->type)
			continue;
		if (f->min && f->min > min)
			min = f->min;
		if (n >= min && (n <= 0 || (unsigned long long)n <= int_types[i].max))
			return 0;
		if (!(ptr = pointer(vc, at)))
			return oom(err);
		if (f->min && f->min > int_types[i].min)
			return fail(vc, err, ptr, "%s: expected %s not below %lld, found %lld", ptr,
				    int_types[i].desc, f->min, (long long)n);
		return fail(vc, err, ptr, "%s: expected %s, found %lld", ptr, int_types[i].desc,
			    (long long)n);
	}
	return 0;
}

static int check_choice(struct vctx *vc, const struct ocispec_field *f, json_t *v,
			const struct crumb *at, struct ct_error **err)
{
	cleanup_strbuf struct strbuf sb = STRBUF_INIT;
	const char *s = json_string_value(v), *ptr;

	for (const char *const *c = f->choices; *c; c++)
		if ((*c)[0] == s[0] && strcmp(*c, s) == 0)
			return 0;
	if (!(ptr = pointer(vc, at)))
		return oom(err);
	for (const char *const *c = f->choices; *c; c++)
		strbuf_printf(&sb, "%s%s", c == f->choices ? "" : ", ", *c);
	return fail(vc, err, ptr, "%s: expected one of %s, found \"%s\"", ptr, sb.s ? sb.s : "", s);
}

static int check_value(struct vctx *vc, const struct ocispec_field *f, json_t *v,
		       const struct crumb *at, struct ct_error **err);

static const struct ocispec_field *find_child(const struct ocispec_field *children,
					      const char *name)
{
	/* the first character rules most out without a call: the dump asks for every member */
	for (const struct ocispec_field *c = children; c && c->name; c++)
		if (c->name[0] == name[0] && strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

/* Is c named name (len bytes, not NUL-terminated)? */
static inline bool named(const struct ocispec_field *c, const char *name, size_t len)
{
	return c->namelen == len && c->name[0] == name[0] && memcmp(c->name, name, len) == 0;
}

/* The child named name (len bytes), searched from *cursor (NULL: the first child) round to
 * where it started; *cursor moves past the match. Documents mostly list members in the
 * schema's order (runc spec's), so the search usually ends at its first step. */
static const struct ocispec_field *find_childn(const struct ocispec_field *children,
					       const char *name, size_t len,
					       const struct ocispec_field **cursor)
{
	const struct ocispec_field *start = *cursor ? *cursor : children;

	if (!children || !len)
		return NULL; /* no field has an empty name */
	for (const struct ocispec_field *c = start; c->name; c++) {
		if (named(c, name, len)) {
			*cursor = c + 1;
			return c;
		}
	}
	for (const struct ocispec_field *c = children; c != start; c++) {
		if (named(c, name, len)) {
			*cursor = c + 1;
			return c;
		}
	}
	return NULL;
}

/* A value whose type is all there is to check (most strings and booleans): tested inline, a call
 * of check_value fewer per array element or member. */
static inline bool plainly_valid(const struct ocispec_field *f, const json_t *v)
{
	if (f->check || f->choices)
		return false;
	return (f->type == T_STRING && json_is_string(v)) ||
	       (f->type == T_BOOL && json_is_boolean(v));
}

/* The first required member (in schema order) that v lacks. */
static int missing_member(struct vctx *vc, const struct ocispec_field *f, json_t *v,
			  const struct crumb *at, struct ct_error **err)
{
	for (const struct ocispec_field *c = f->children; c && c->name; c++) {
		if ((c->flags & F_REQUIRED) && !json_object_get(v, c->name)) {
			const char *ptr = pointer(vc, at);
			int rc;

			if (!ptr)
				return oom(err);
			rc = fail(vc, err, ptr, "%s: missing required member \"%s\"",
				  *ptr ? ptr : "top level", c->name);
			return ct_error_hint(err, rc, "the runtime-spec requires \"%s\" %s",
					     c->name, *ptr ? "in this object" : "at the top level");
		}
	}
	return 0;
}

static int check_object(struct vctx *vc, const struct ocispec_field *f, json_t *v,
			const struct crumb *at, struct ct_error **err)
{
	size_t required = 0, seen = 0;

	if (f->type == T_OBJECT && !f->children)
		return 0; /* other platforms: any members */
	for (void *it = json_object_iter(v); it; it = json_object_iter_next(v, it)) {
		struct crumb here = { at, json_object_iter_key(it), 0 };
		const struct ocispec_field *c = f->type == T_MAP
							? f->elem
							: find_child(f->children, here.key);
		json_t *val = json_object_iter_value(it);
		int rc;

		if (!c)
			continue; /* unknown members are kept */
		/* a jansson object holds each key once: a count tells if all are here */
		seen += (c->flags & F_REQUIRED) != 0;
		if (plainly_valid(c, val))
			continue;
		rc = check_value(vc, c, val, &here, err);
		if (rc < 0)
			return rc;
	}
	if (f->type != T_OBJECT)
		return 0;
	for (const struct ocispec_field *c = f->children; c->name; c++)
		required += (c->flags & F_REQUIRED) != 0;
	return seen == required ? 0 : missing_member(vc, f, v, at, err);
}

static int check_array(struct vctx *vc, const struct ocispec_field *f, json_t *v,
		       const struct crumb *at, struct ct_error **err)
{
	size_t n = json_array_size(v);

	if (f->min > 0 && n < (size_t)f->min) {
		const char *ptr = pointer(vc, at);

		if (!ptr)
			return oom(err);
		return fail(vc, err, ptr, "%s: expected at least %lld element%s, found %zu", ptr,
			    f->min, f->min == 1 ? "" : "s", n);
	}
	for (size_t i = 0; i < n; i++) {
		struct crumb here = { at, NULL, i };
		json_t *el = json_array_get(v, i);
		int rc;

		if (plainly_valid(f->elem, el))
			continue;
		rc = check_value(vc, f->elem, el, &here, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int check_value(struct vctx *vc, const struct ocispec_field *f, json_t *v,
		       const struct crumb *at, struct ct_error **err)
{
	int rc = 0;

	if (!type_matches(f->type, v)) {
		const char *ptr = pointer(vc, at);

		if (!ptr)
			return oom(err);
		return fail(vc, err, ptr, "%s: expected %s, found %s", ptr, type_desc(f->type),
			    ct_json_kind(v));
	}
	switch (f->type) {
	case T_OBJECT:
	case T_MAP:
		rc = check_object(vc, f, v, at, err);
		break;
	case T_ARRAY:
		rc = check_array(vc, f, v, at, err);
		break;
	case T_STRING:
		if (f->choices)
			rc = check_choice(vc, f, v, at, err);
		break;
	case T_BOOL:
		break;
	default:
		rc = check_int_range(vc, f, v, at, err);
		break;
	}
	if (rc == 0 && f->check)
		rc = f->check(vc, v, at, err);
	return rc;
}

/* Semantic rules the spec states. */

int ocischema_check_absolute(struct vctx *vc, json_t *v, const struct crumb *at,
			     struct ct_error **err)
{
	const char *s = json_string_value(v), *ptr;
	int rc;

	if (s[0] == '/')
		return 0;
	if (!(ptr = pointer(vc, at)))
		return oom(err);
	rc = fail(vc, err, ptr, "%s: expected an absolute path, found \"%s\"", ptr, s);
	return ct_error_hint(err, rc,
			     "the runtime-spec requires process.cwd to be absolute, "
			     "e.g. \"/%s\"",
			     s);
}

static int duplicate_member(struct vctx *vc, const struct crumb *at, size_t i, size_t j,
			    const char *key, const char *value, const char *what,
			    struct ct_error **err)
{
	cleanup_free char *sub = NULL;
	const char *ptr = pointer(vc, at);
	int rc;

	if (!ptr || asprintf(&sub, "%s/%zu/%s", ptr, i, key) < 0)
		return oom(err);
	rc = fail(vc, err, sub, "%s: duplicate %s \"%s\" (already at %s/%zu)", sub, what, value,
		  ptr, j);
	return ct_error_hint(err, rc, "the runtime-spec allows each %s once", what);
}

/* The string member key of obj, or NULL. These objects (a namespace, an rlimit) have a few
 * members, the key usually first: looking at them costs less than hashing the key. */
static const char *string_member(json_t *obj, const char *key)
{
	if (json_object_size(obj) > 4)
		return json_string_value(json_object_get(obj, key));
	for (void *it = json_object_iter(obj); it; it = json_object_iter_next(obj, it))
		if (strcmp(json_object_iter_key(it), key) == 0)
			return json_string_value(json_object_iter_value(it));
	return NULL;
}

/* In an array of objects, the string member key must not repeat. Each element's string is
 * looked up once (not once per pair): arrays this short hold it on the stack. */
static int check_unique_member(struct vctx *vc, json_t *arr, const struct crumb *at,
			       const char *key, const char *what, struct ct_error **err)
{
	const char *few[16];
	cleanup_free const char **many = NULL;
	const char **s = few;
	size_t n = json_array_size(arr);

	if (n < 2)
		return 0;
	if (n > CT_ARRAY_SIZE(few)) {
		many = calloc(n, sizeof(*many));
		if (!many)
			return oom(err);
		s = many;
	}
	for (size_t i = 0; i < n; i++)
		s[i] = string_member(json_array_get(arr, i), key);
	for (size_t i = 1; i < n; i++) {
		for (size_t j = 0; s[i] && j < i; j++) {
			if (s[j] && strcmp(s[i], s[j]) == 0)
				return duplicate_member(vc, at, i, j, key, s[i], what, err);
		}
	}
	return 0;
}

int ocischema_check_namespaces(struct vctx *vc, json_t *v, const struct crumb *at,
			       struct ct_error **err)
{
	return check_unique_member(vc, v, at, "type", "namespace type", err);
}

int ocischema_check_rlimits(struct vctx *vc, json_t *v, const struct crumb *at,
			    struct ct_error **err)
{
	return check_unique_member(vc, v, at, "type", "rlimit type", err);
}

/* Strings made only of the characters in set, with an optional prefix. */
static int check_charset(struct vctx *vc, json_t *v, const struct crumb *at, const char *prefix,
			 const char *set, size_t maxlen, const char *expected,
			 struct ct_error **err)
{
	const char *s = json_string_value(v), *ptr;
	size_t plen = strlen(prefix);

	if (strncmp(s, prefix, plen) == 0 && strspn(s + plen, set) == strlen(s + plen) &&
	    strlen(s + plen) >= 1 && strlen(s + plen) <= maxlen)
		return 0;
	if (!(ptr = pointer(vc, at)))
		return oom(err);
	return fail(vc, err, ptr, "%s: expected %s, found \"%s\"", ptr, expected, s);
}

int ocischema_check_rlimit_type(struct vctx *vc, json_t *v, const struct crumb *at,
				struct ct_error **err)
{
	return check_charset(vc, v, at, "RLIMIT_", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", 64,
			     "RLIMIT_ followed by capital letters", err);
}

int ocischema_check_device_type(struct vctx *vc, json_t *v, const struct crumb *at,
				struct ct_error **err)
{
	return check_charset(vc, v, at, "", "cbup", 1, "one of c, b, u, p", err);
}

int ocischema_check_cpu_list(struct vctx *vc, json_t *v, const struct crumb *at,
			     struct ct_error **err)
{
	if (!*json_string_value(v))
		return 0;
	return check_charset(vc, v, at, "", "0123456789, -", 4096, "a CPU list such as \"0-3,7\"",
			     err);
}

/* Schema walking for other modules (the writer prints uint64 fields unsigned). */
const struct ocispec_field *ocispec_schema(void)
{
	return &ocischema_top;
}

const struct ocispec_field *ocispec_schema_member(const struct ocispec_field *f, const char *name)
{
	if (!f)
		return NULL;
	if (f->type == T_MAP)
		return f->elem;
	return f->type == T_OBJECT ? find_child(f->children, name) : NULL;
}

const struct ocispec_field *ocispec_schema_element(const struct ocispec_field *f)
{
	return f && f->type == T_ARRAY ? f->elem : NULL;
}

bool ocispec_schema_is_uint64(const struct ocispec_field *f)
{
	return f && f->type == T_UINT64;
}

/* (Exported functions are not inlined in a shared library: the reader's helpers below use
 * this one.) */
static inline bool any_string(const struct ocispec_field *f)
{
	return f && f->type == T_STRING && !f->choices && !f->check;
}

bool ocispec_schema_any_string(const struct ocispec_field *f)
{
	return any_string(f);
}

const struct ocispec_field *ocispec_schema_membern(const struct ocispec_field *f, const char *name,
						   size_t len, struct ocispec_members *m)
{
	const struct ocispec_field *c;

	if (f->type == T_MAP) {
		m->any_string = any_string(f->elem);
		return f->elem;
	}
	m->any_string = false;
	if (f->type != T_OBJECT)
		return NULL;
	c = find_childn(f->children, name, len, &m->next);
	if (c && (c->flags & F_REQUIRED))
		m->required++;
	m->any_string = any_string(c);
	return c;
}

/* The checks of check_value that need more than the type, quietly. */
static bool accepts_values(const struct ocispec_field *f, json_t *v)
{
	struct vctx vc = { .ptr = STRBUF_INIT, .quiet = true, .numbers_as_read = true };
	const struct crumb here = { NULL, NULL, 0 };
	int rc = 0;

	if (f->type == T_STRING && f->choices)
		rc = check_choice(&vc, f, v, &here, NULL);
	else if (f->type != T_STRING && f->type != T_BOOL && f->type != T_OBJECT &&
		 f->type != T_MAP && f->type != T_ARRAY)
		rc = check_int_range(&vc, f, v, &here, NULL);
	if (rc == 0 && f->check)
		rc = f->check(&vc, v, &here, NULL);
	/* quiet: no pointer was rendered, vc.ptr holds nothing to release */
	return rc == 0;
}

/* check_value without the walk into members and elements, and without messages. Called for
 * every value the reader builds: the common cases (a string, a boolean, a map) answer from the
 * type alone. */
bool ocispec_schema_accepts(const struct ocispec_field *f, json_t *v, size_t required)
{
	size_t want = 0;

	if (any_string(f))
		return json_is_string(v);
	if (!type_matches(f->type, v))
		return false;
	switch (f->type) {
	case T_OBJECT:
		for (const struct ocispec_field *c = f->children; c && c->name; c++)
			want += c->flags & F_REQUIRED; /* F_REQUIRED is 1 */
		if (want != required)
			return false;
		break;
	case T_ARRAY:
		if (f->min > 0 && json_array_size(v) < (size_t)f->min)
			return false;
		break;
	case T_STRING:
		if (f->choices)
			return accepts_values(f, v);
		break;
	case T_MAP:
	case T_BOOL:
		break;
	default:
		return accepts_values(f, v);
	}
	return !f->check || accepts_values(f, v);
}

int ocispec_validate(json_t *root, const char *text, size_t len, const char *name,
		     struct ct_diag *diag, struct ct_error **err)
{
	struct vctx vc = {
		.text = text, .len = len, .name = name, .diag = diag, .ptr = STRBUF_INIT
	};
	int rc;

	if (!json_is_object(root))
		return ct_error_at(err, name, 1, 1,
				   "reading the top level: expected an object, found %s",
				   ct_json_kind(root));
	rc = check_value(&vc, &ocischema_top, root, &(struct crumb){ NULL, NULL, 0 }, err);
	strbuf_release(&vc.ptr);
	return rc;
}
