/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* linux.devices <-> bind mounts of the host's device nodes.
 *
 * LXC has no key that creates a device node (lxc.autodev fills /dev with a fixed set); its usual
 * way to give a container a device is to bind the host's node over a file created in the
 * container's /dev:
 *
 *   lxc.mount.entry = /dev/fuse dev/fuse none bind,optional,create=file 0 0
 *
 * lxc2oci recognises exactly that form (source = "/" + destination, under /dev) and reads the
 * node's type and numbers from the host (under --sysroot); a path that is not a device node
 * there is left to the mount family. fileMode/uid/gid are the host node's under LXC: when the
 * OCI config sets them they travel as carry lines. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "cleanup.h"
#include "families.h"
#include "jsonutil.h"

#define OPTS "none bind,optional,create=file 0 0"

/* The n bytes at p (no NUL among them) name a node under /dev that the entry can bind. */
static bool dev_path_okn(const char *p, size_t n)
{
	if (n <= 5 || memcmp(p, "/dev/", 5) != 0 || p[n - 1] == '/')
		return false;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\\')
			return false;
		if (p[i] == '/' && n - i >= 3 && p[i + 1] == '.' && p[i + 2] == '.')
			return false;
	}
	return true;
}

static bool dev_path_ok(const char *p)
{
	return p && dev_path_okn(p, strlen(p));
}

/* The length of the source of a device bind "/dev/X dev/X " OPTS, 0 when value is not one. Read
 * in place: every lxc.mount.entry comes here, and most are other mounts. */
static size_t device_bind(const char *value)
{
	const char *sp;
	size_t n;

	if (strncmp(value, "/dev/", 5) != 0)
		return 0;
	sp = strchr(value, ' ');
	n = sp ? (size_t)(sp - value) : 0;
	if (!n || !dev_path_okn(value, n))
		return 0;
	if (strncmp(sp + 1, value + 1, n - 1) || sp[n] != ' ' || strcmp(sp + n + 1, OPTS))
		return 0;
	return n;
}

/* The OCI device for host node path, or NULL when it is not a device node. */
static json_t *host_device(struct ct_ctx *ctx, const char *path)
{
	cleanup_free char *full = NULL;
	const char *s = ctx->opts->sysroot;
	struct stat st;
	char type[2] = { 0 };

	if (asprintf(&full, "%s%s", s ? s : "", path) < 0 || stat(full, &st) < 0)
		return NULL;
	if (S_ISCHR(st.st_mode))
		type[0] = 'c';
	else if (S_ISBLK(st.st_mode))
		type[0] = 'b';
	else if (S_ISFIFO(st.st_mode))
		return ct_json_put(ct_json_put(json_object(), "path", ct_json_str(path)), "type",
				   ct_json_lit("p"));
	else
		return NULL;
	return ct_json_put(
		ct_json_put(ct_json_put(ct_json_put(json_object(), "path", ct_json_str(path)),
					"type", ct_json_lit(type)),
			    "major", json_integer((json_int_t)major(st.st_rdev))),
		"minor", json_integer((json_int_t)minor(st.st_rdev)));
}

static int devices_to_oci(struct ct_ctx *ctx, struct ct_error **err)
{
	cleanup_json json_t *devs = NULL; /* made with the first device */
	const struct lxc_entry *e;
	size_t i;

	for (i = 0; (e = lxcconf_next(ctx->lxc, "lxc.mount.entry", false, &i)); i++) {
		size_t n = (ctx->used && ctx->used[i]) ? 0 : device_bind(e->value);
		cleanup_free char *src = n ? strndup(e->value, n) : NULL;
		json_t *d;

		if (!n)
			continue;
		if (!src)
			return ct_error_set(err, ENOMEM, "out of memory");
		d = host_device(ctx, src);
		if (!d)
			continue;
		if (!devs)
			devs = json_array();
		if (!devs || json_array_append_new(devs, d) < 0)
			return ct_error_set(err, ENOMEM, "out of memory");
		ct_use(ctx, i);
	}
	if (!devs)
		return 0;
	return ct_json_set(ctx->oci, "/linux/devices", json_incref(devs), err);
}

static int devices_to_lxc(struct ct_ctx *ctx, struct ct_error **err)
{
	json_t *devs = json_object_get(json_object_get(ctx->oci, "linux"), "devices");
	size_t i;
	json_t *d;

	json_array_foreach (devs, i, d) {
		const char *p = json_string_value(json_object_get(d, "path"));

		if (!dev_path_ok(p)) {
			char ptr[64];

			snprintf(ptr, sizeof(ptr), "/linux/devices/%zu", i);
			if (ct_warn_oci(ctx, err, ptr,
					"LXC can only bind host nodes under /dev: "
					"not translated") < 0)
				return -1;
			continue;
		}
		if (lxcconf_addf(ctx->lxc, err, "lxc.mount.entry", "%s %s " OPTS, p, p + 1) < 0)
			return -1;
	}
	return 0;
}

static const struct ct_doc_row doc[] = {
	{ "lxc.mount.entry (device bind)", "linux.devices[]",
	  "\"/dev/X dev/X none bind,optional,create=file 0 0\": LXC has no mknod key, so the "
	  "host's node is bound over a file in the container's /dev (autodev tmpfs). lxc2oci "
	  "takes type, major and minor from the host node (under --sysroot; not a node: left to "
	  "the mount family). The container sees the host node's mode and owner: fileMode, uid "
	  "and gid, and numbers that differ from the host's, travel as carry lines. Paths "
	  "outside /dev are not translated" },
	{ NULL, NULL, NULL },
};

const struct ct_family ct_family_devices = {
	.name = "devices",
	.to_oci = devices_to_oci,
	.to_lxc = devices_to_lxc,
	.doc = doc,
};
