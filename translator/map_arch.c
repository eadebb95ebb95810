/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lxc.arch <-> linux.personality.domain.
 *
 * liblxc 5.0.2 knows a fixed list of architecture names, each meaning either the 32-bit
 * personality (PER_LINUX32) or the native one (PER_LINUX); it gives back "i686" or "x86_64".
 * oci2lxc writes "linux32" / "linux64"; any other spelling read by lxc2oci is kept in
 * org.ctlaunch.meta.arch. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "cleanup.h"
#include "families.h"
#include "jsonutil.h"

#define ARCH_KEY "lxc.arch"
#define PERS_PTR "/linux/personality"
#define META_ARCH_PTR "/annotations/" CT_ANNOT_META "arch"

static const struct {
	const char *name;
	bool is32;
} arches[] = {
	{ "arm", true },	{ "armel", true },    { "armhf", true },    { "armv7l", true },
	{ "athlon", true },	{ "i386", true },     { "i486", true },	    { "i586", true },
	{ "i686", true },	{ "linux32", true },  { "mips", true },	    { "mipsel", true },
	{ "ppc", true },	{ "powerpc", true },  { "x86", true },	    { "aarch64", false },
	{ "amd64", false },	{ "arm64", false },   { "linux64", false }, { "mips64", false },
	{ "mips64el", false },	{ "ppc64", false },   { "ppc64el", false }, { "ppc64le", false },
	{ "powerpc64", false }, { "riscv64", false }, { "s390x", false },   { "x86_64", false },
};

static int lookup(const char *name, bool *ret_is32)
{
	for (size_t i = 0; i < CT_ARRAY_SIZE(arches); i++) {
		if (strcmp(arches[i].name, name) == 0) {
			*ret_is32 = arches[i].is32;
			return 0;
		}
	}
	return -ENOENT;
}

static int arch_to_oci(struct ct_ctx *ctx, struct ct_error **err)
{
	const struct lxc_entry *e, *last = NULL;
	bool is32 = false;
	size_t i;
	int rc;

	/* liblxc rejects the config on any bad value, even one a later line overrides. */
	for (i = 0; (e = lxcconf_next(ctx->lxc, ARCH_KEY, false, &i)); i++) {
		if (lookup(e->value, &is32) < 0)
			return ct_error_hint(
				err,
				ct_error_entry(err, e,
					       "reading the architecture: unknown "
					       "architecture \"%s\"",
					       e->value),
				"use linux32 or linux64 (or a name such as armhf, i686, aarch64, "
				"x86_64)");
		last = e;
		ct_use(ctx, i);
	}
	if (!last)
		return 0;
	lookup(last->value, &is32);
	rc = ct_json_set(ctx->oci, PERS_PTR "/domain", ct_json_str(is32 ? "LINUX32" : "LINUX"),
			 err);
	if (rc < 0)
		return rc;
	if (strcmp(last->value, is32 ? "linux32" : "linux64") != 0)
		return ct_json_set(ctx->oci, META_ARCH_PTR, ct_json_str(last->value), err);
	return 0;
}

static int arch_to_lxc(struct ct_ctx *ctx, struct ct_error **err)
{
	json_t *pers = ct_json_get(ctx->oci, PERS_PTR);
	const char *domain, *meta;
	json_t *flags;
	bool is32, mis32;

	if (!pers)
		return 0;
	if (!json_is_object(pers))
		return ct_error_set(err, 0, "%s: expected an object", PERS_PTR);
	flags = json_object_get(pers, "flags");
	if (flags && (!json_is_array(flags) || json_array_size(flags))) {
		int rc = ct_warn_oci(ctx, err, PERS_PTR "/flags",
				     "LXC has no personality flags; they travel as a carry line");
		if (rc < 0)
			return rc;
	}
	domain = json_string_value(json_object_get(pers, "domain"));
	if (!domain)
		return 0;
	if (strcmp(domain, "LINUX32") == 0) {
		is32 = true;
	} else if (strcmp(domain, "LINUX") == 0) {
		is32 = false;
	} else {
		return ct_warn_oci(ctx, err, PERS_PTR "/domain",
				   "unknown domain \"%s\" has no lxc.arch; it travels as a carry "
				   "line",
				   domain);
	}
	meta = json_string_value(ct_json_get(ctx->oci, META_ARCH_PTR));
	if (meta && lookup(meta, &mis32) == 0 && mis32 == is32)
		return lxcconf_add(ctx->lxc, ARCH_KEY, meta, NULL, 0, err);
	return lxcconf_add(ctx->lxc, ARCH_KEY, is32 ? "linux32" : "linux64", NULL, 0, err);
}

static const struct ct_doc_row arch_doc[] = {
	{ "lxc.arch", "linux.personality.domain",
	  "32-bit names (linux32, i686, x86, armhf, ...) give LINUX32, 64-bit ones (linux64, "
	  "x86_64, aarch64, ...) give LINUX; oci2lxc writes linux32/linux64 and a different "
	  "spelling is kept in org.ctlaunch.meta.arch; personality flags have no LXC key" },
	{ NULL, NULL, NULL },
};

const struct ct_family ct_family_arch = {
	.name = "arch",
	.to_oci = arch_to_oci,
	.to_lxc = arch_to_lxc,
	.doc = arch_doc,
};
