/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lxc.environment <-> process.env, in order. "NAME=VALUE" is the same on both sides; a bare
 * "NAME" (liblxc passes the launcher's value on) is Thunder's "NAME=$NAME" in OCI. An LXC entry
 * that literally is "NAME=$NAME" is listed in the meta annotation org.ctlaunch.meta.env-literal
 * (names joined with "\n") so that it does not come back bare. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "families.h"
#include "jsonutil.h"
#include "mapcore.h"
#include "strbuf.h"

#define META_LITERAL "env-literal"

static const struct ct_doc_row doc[] = {
	{ "lxc.environment", "process.env",
	  "in order; \"NAME=VALUE\" as is; a bare \"NAME\" (inherited from the launcher) is "
	  "\"NAME=$NAME\" in OCI, as Thunder writes it; duplicate names are warned about" },
	{ NULL, NULL, NULL },
};

/* A variable's name, in place in its entry: the names are only compared, never kept. */
struct name {
	const char *s;
	size_t len;
};

/* Up to this many names live on the stack and are checked pairwise for a repeat: cheaper
 * than sorting, and a config rarely sets more. */
#define NAMES_ON_STACK 32

struct names {
	struct name small[NAMES_ON_STACK];
	struct name *v;
	size_t n;
};

/* Room for max names (nm->v is small until then); false when out of memory. */
static bool names_reserve(struct names *nm, size_t max)
{
	if (max > NAMES_ON_STACK)
		nm->v = malloc(max * sizeof(*nm->v));
	return nm->v != NULL;
}

static void names_release(struct names *nm)
{
	if (nm->v != nm->small)
		free(nm->v);
}

/* strcmp's order for names that hold no NUL byte. */
static int cmp_name(const void *a, const void *b)
{
	const struct name *x = a, *y = b;
	int c = memcmp(x->s, y->s, x->len < y->len ? x->len : y->len);

	return c ? c : (x->len > y->len) - (x->len < y->len);
}

static bool same_name(const struct name *x, const struct name *y)
{
	return x->len == y->len && memcmp(x->s, y->s, x->len) == 0;
}

/* Does any name occur twice? Pairwise for a few names; more are sorted by the caller anyway. */
static bool any_repeat(const struct names *nm)
{
	if (nm->n > NAMES_ON_STACK)
		return true;
	for (size_t i = 1; i < nm->n; i++)
		for (size_t j = 0; j < i; j++)
			if (same_name(&nm->v[i], &nm->v[j]))
				return true;
	return false;
}

/* Warns once per name set more than once, in the names' sorted order. */
static int warn_duplicates(struct ct_ctx *ctx, struct names *nm, struct ct_error **err)
{
	struct name *v = nm->v;

	if (!any_repeat(nm))
		return 0;
	qsort(v, nm->n, sizeof(*v), cmp_name);
	for (size_t i = 1; i < nm->n; i++) {
		if (!same_name(&v[i], &v[i - 1]) || (i > 1 && same_name(&v[i], &v[i - 2])))
			continue;
		if (ct_warn(ctx->opts->diag, err, NULL, 0, 0,
			    "environment: %.*s is set more than once; the last value wins",
			    (int)v[i].len, v[i].s) < 0)
			return -1;
	}
	return 0;
}

/* NAME=$NAME for a bare NAME of len bytes, without json_sprintf's formatting. */
static json_t *pass_value(const char *name, size_t len)
{
	char buf[256];
	cleanup_free char *heap = NULL;
	char *p = buf;

	if (2 * len + 2 > sizeof(buf)) {
		p = heap = malloc(2 * len + 2);
		if (!p)
			return NULL;
	}
	memcpy(p, name, len);
	memcpy(p + len, "=$", 2);
	memcpy(p + len + 2, name, len);
	return ct_json_strn(p, 2 * len + 2);
}

static int env_to_oci(struct ct_ctx *ctx, struct ct_error **err)
{
	__attribute__((cleanup(names_release))) struct names nm;
	cleanup_strbuf struct strbuf literal = STRBUF_INIT;
	json_t *env = ct_json_arr(ctx->oci, "/process/env");
	const struct lxc_entry *e;

	nm.v = nm.small;
	nm.n = 0;
	if (!names_reserve(&nm, ctx->lxc->n) || !env)
		return ct_error_set(err, ENOMEM, "out of memory or /process/env not an array");
	for (size_t i = 0; (e = lxcconf_next(ctx->lxc, "lxc.environment", false, &i)); i++) {
		const char *eq = strchr(e->value, '=');
		size_t len = eq ? (size_t)(eq - e->value) : strlen(e->value);
		json_t *s;

		if (len == 0) {
			int rc = ct_error_entry(err, e, "empty variable name in \"%s\"", e->value);

			return ct_error_hint(
				err, rc, "write NAME=VALUE, or NAME to pass the launcher's value");
		}
		nm.v[nm.n++] = (struct name){ e->value, len };
		s = eq ? ct_json_str(e->value) : pass_value(e->value, len);
		if (!s)
			return ct_error_entry(err, e, "not valid UTF-8");
		if (json_array_append_new(env, s) < 0)
			return ct_error_set(err, ENOMEM, "out of memory");
		if (eq && eq[1] == '$' && strncmp(eq + 2, e->value, len) == 0 && !eq[2 + len]) {
			if (literal.len)
				strbuf_putc(&literal, '\n');
			strbuf_add(&literal, e->value, len);
		}
		ct_use(ctx, i);
	}
	if (literal.oom)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (literal.len && mapcore_meta_set(ctx->oci, META_LITERAL, literal.s, err) < 0)
		return -1;
	return warn_duplicates(ctx, &nm, err);
}

/* Is name listed in the literal meta annotation? */
static bool is_literal(const char *list, const char *name, size_t len)
{
	while (list && *list) {
		size_t l = strcspn(list, "\n");

		if (l == len && strncmp(list, name, len) == 0)
			return true;
		list += l;
		list += *list == '\n';
	}
	return false;
}

/* lxc.environment = the first len bytes of s (a bare NAME). */
static int add_bare(struct ct_ctx *ctx, const char *s, size_t len, struct ct_error **err)
{
	char buf[256];
	cleanup_free char *heap = NULL;
	char *p = buf;

	if (len >= sizeof(buf)) {
		p = heap = strndup(s, len);
		if (!p)
			return ct_error_set(err, ENOMEM, "out of memory");
	} else {
		memcpy(buf, s, len);
		buf[len] = '\0';
	}
	return lxcconf_add(ctx->lxc, "lxc.environment", p, NULL, 0, err);
}

static int env_to_lxc(struct ct_ctx *ctx, struct ct_error **err)
{
	json_t *env = json_object_get(json_object_get(ctx->oci, "process"), "env");
	__attribute__((cleanup(names_release))) struct names nm;
	const char *literal;
	size_t i;
	json_t *v;

	nm.v = nm.small;
	nm.n = 0;
	if (!env)
		return 0;
	if (!json_is_array(env))
		return ct_error_set(err, 0, "/process/env: expected an array of strings");
	if (!names_reserve(&nm, json_array_size(env)))
		return ct_error_set(err, ENOMEM, "out of memory");
	literal = mapcore_meta_get(ctx->oci, META_LITERAL);
	json_array_foreach (env, i, v) {
		const char *s = json_string_value(v), *eq;
		size_t len;
		int rc;

		if (!s)
			return ct_error_set(err, 0, "/process/env/%zu: expected a string", i);
		eq = strchr(s, '=');
		len = eq ? (size_t)(eq - s) : 0;
		if (!eq || !len)
			return ct_error_hint(
				err,
				ct_error_set(err, 0,
					     "/process/env/%zu: \"%s\" is not "
					     "NAME=VALUE",
					     i, s),
				"write NAME=VALUE (NAME=$NAME passes the launcher's value)");
		if (strchr(s, '\n')) {
			rc = ct_warn_oci(
				ctx, err, "/process/env",
				"entry %zu holds a newline, which an LXC config line cannot: "
				"the environment is kept as a #oci: line",
				i);
			if (rc < 0)
				return rc;
			continue;
		}
		nm.v[nm.n++] = (struct name){ s, len };
		if (eq[1] == '$' && strncmp(eq + 2, s, len) == 0 && !eq[2 + len] &&
		    !is_literal(literal, s, len))
			rc = add_bare(ctx, s, len, err);
		else
			rc = lxcconf_add(ctx->lxc, "lxc.environment", s, NULL, 0, err);
		if (rc < 0)
			return rc;
	}
	return warn_duplicates(ctx, &nm, err);
}

const struct ct_family ct_family_env = {
	.name = "env",
	.to_oci = env_to_oci,
	.to_lxc = env_to_lxc,
	.doc = doc,
};
