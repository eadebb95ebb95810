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

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* names: n allocated "NAME" strings; warns once per name set more than once. */
static int warn_duplicates(struct ct_ctx *ctx, char **names, size_t n, struct ct_error **err)
{
	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 1; i < n; i++) {
		if (strcmp(names[i], names[i - 1]) != 0 ||
		    (i > 1 && !strcmp(names[i], names[i - 2])))
			continue;
		if (ct_warn(ctx->opts->diag, err, NULL, 0, 0,
			    "environment: %s is set more than once; the last value wins",
			    names[i]) < 0)
			return -1;
	}
	return 0;
}

static void names_free(char ***names)
{
	ct_strv_free(*names);
}

static int env_to_oci(struct ct_ctx *ctx, struct ct_error **err)
{
	__attribute__((cleanup(names_free))) char **names = calloc(ctx->lxc->n + 1, sizeof(char *));
	cleanup_strbuf struct strbuf literal = STRBUF_INIT;
	json_t *env = ct_json_arr(ctx->oci, "/process/env");
	const struct lxc_entry *e;
	size_t nnames = 0;

	if (!names || !env)
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
		names[nnames] = strndup(e->value, len);
		if (!names[nnames++])
			return ct_error_set(err, ENOMEM, "out of memory");
		if (!eq) {
			/* NAME=$NAME, without json_sprintf's formatting */
			cleanup_strbuf struct strbuf pass = STRBUF_INIT;

			strbuf_add(&pass, e->value, len);
			strbuf_add(&pass, "=$", 2);
			strbuf_add(&pass, e->value, len);
			s = pass.oom ? NULL : ct_json_strn(pass.s, pass.len);
		} else {
			s = ct_json_str(e->value);
		}
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
	return warn_duplicates(ctx, names, nnames, err);
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

static int env_to_lxc(struct ct_ctx *ctx, struct ct_error **err)
{
	json_t *env = ct_json_get(ctx->oci, "/process/env");
	const char *literal = mapcore_meta_get(ctx->oci, META_LITERAL);
	__attribute__((cleanup(names_free))) char **names = NULL;
	size_t i, nnames = 0;
	json_t *v;

	if (!env)
		return 0;
	if (!json_is_array(env))
		return ct_error_set(err, 0, "/process/env: expected an array of strings");
	names = calloc(json_array_size(env) + 1, sizeof(char *));
	if (!names)
		return ct_error_set(err, ENOMEM, "out of memory");
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
		names[nnames] = strndup(s, len);
		if (!names[nnames++])
			return ct_error_set(err, ENOMEM, "out of memory");
		if (eq[1] == '$' && strncmp(eq + 2, s, len) == 0 && !eq[2 + len] &&
		    !is_literal(literal, s, len))
			rc = lxcconf_add(ctx->lxc, "lxc.environment", names[nnames - 1], NULL, 0,
					 err);
		else
			rc = lxcconf_add(ctx->lxc, "lxc.environment", s, NULL, 0, err);
		if (rc < 0)
			return rc;
	}
	return warn_duplicates(ctx, names, nnames, err);
}

const struct ct_family ct_family_env = {
	.name = "env",
	.to_oci = env_to_oci,
	.to_lxc = env_to_lxc,
	.doc = doc,
};
