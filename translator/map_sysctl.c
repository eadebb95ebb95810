/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lxc.sysctl.<key> = value <-> linux.sysctl {key: value}.
 *
 * liblxc keeps one value per key: a later assignment replaces the value in the position of the
 * first one, which is exactly what a JSON object with insertion order does. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "families.h"
#include "jsonutil.h"

#define SYSCTL_PREFIX "lxc.sysctl."
#define SYSCTL_PTR "/linux/sysctl"

static int sysctl_to_oci(struct ct_ctx *ctx, struct ct_error **err)
{
	const struct lxc_entry *e;
	json_t *obj = NULL;
	size_t i;

	for (i = 0; (e = lxcconf_next(ctx->lxc, SYSCTL_PREFIX, true, &i)); i++) {
		const char *name = e->key + strlen(SYSCTL_PREFIX);

		if (!*name)
			return ct_error_entry(err, e, "reading a sysctl: the key names no sysctl");
		if (!obj) {
			obj = ct_json_obj(ctx->oci, SYSCTL_PTR);
			if (!obj)
				return ct_error_set(err, 0, "%s: cannot set sysctl: not an object",
						    SYSCTL_PTR);
		}
		if (ct_json_set_member(obj, name, ct_json_str(e->value)) < 0)
			return ct_error_set(err, ENOMEM, "out of memory");
		ct_use(ctx, i);
	}
	return 0;
}

/* What a key or value must avoid to survive a "lxc.sysctl.KEY = VALUE" line. */
static bool key_expressible(const char *key)
{
	return *key && !strpbrk(key, "= \t\r\n#");
}

static int sysctl_to_lxc(struct ct_ctx *ctx, struct ct_error **err)
{
	json_t *obj = ct_json_get(ctx->oci, SYSCTL_PTR);
	const char *name;
	json_t *val;

	if (!obj)
		return 0;
	if (!json_is_object(obj))
		return ct_error_set(err, 0, "%s: expected an object", SYSCTL_PTR);
	json_object_foreach (obj, name, val) {
		const char *s = json_string_value(val);
		cleanup_free char *key = NULL;
		int rc;

		if (!s)
			return ct_error_set(err, 0, "%s/%s: expected a string", SYSCTL_PTR, name);
		if (!key_expressible(name) || !*s || strchr(s, '\n')) {
			cleanup_free char *ptr = NULL;

			if (asprintf(&ptr, SYSCTL_PTR "/%s", name) < 0) {
				ptr = NULL;
				return ct_error_set(err, ENOMEM, "out of memory");
			}
			rc = ct_warn_oci(
				ctx, err, ptr,
				"cannot be written as an lxc.sysctl line (empty, or blanks, "
				"'=' or newlines in it); it travels as a carry line");
			if (rc < 0)
				return rc;
			continue;
		}
		if (asprintf(&key, SYSCTL_PREFIX "%s", name) < 0) {
			key = NULL;
			return ct_error_set(err, ENOMEM, "out of memory");
		}
		rc = lxcconf_add(ctx->lxc, key, s, NULL, 0, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static const struct ct_doc_row sysctl_doc[] = {
	{ "lxc.sysctl.KEY", "linux.sysctl.KEY",
	  "one member per key in file order; a repeated key replaces the value in place, as "
	  "liblxc does; an empty OCI value cannot be written (it would clear the key)" },
	{ NULL, NULL, NULL },
};

const struct ct_family ct_family_sysctl = {
	.name = "sysctl",
	.to_oci = sysctl_to_oci,
	.to_lxc = sysctl_to_lxc,
	.doc = sysctl_doc,
};
