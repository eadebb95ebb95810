/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The root filesystem: lxc.rootfs.path <-> root.path, lxc.rootfs.options <-> root.readonly and
 * linux.rootfsPropagation. LXC needs an absolute path, OCI allows one relative to the bundle.
 * How LXC spelled things that OCI holds as one field is kept in meta annotations:
 *   org.ctlaunch.meta.rootfs-path     "dir:" (the path had that prefix) or "unset" (no key)
 *   org.ctlaunch.meta.rootfs-options  the options string, when it is not the canonical one
 * lxc.rootfs.mount has no OCI field and travels as an annotation. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "families.h"
#include "jsonutil.h"
#include "mapcore.h"
#include "strbuf.h"

#define META_PATH "rootfs-path"
#define META_OPTIONS "rootfs-options"
#define DIR_PREFIX "dir:"

/* liblxc storage backends other than a plain directory: an OCI runtime cannot use them. */
static const char *const backends[] = {
	"btrfs:", "loop:", "lvm:", "nbd:", "overlay:", "overlayfs:", "rbd:", "zfs:",
};

static const char *const propagations[] = {
	"shared", "rshared", "slave", "rslave", "private", "rprivate", "unbindable", "runbindable",
};

static const struct ct_doc_row doc[] = {
	{ "lxc.rootfs.path", "root.path",
	  "\"dir:\" prefix optional (kept); other storage backends (overlay:, btrfs:, loop:, ...) "
	  "are kept verbatim with a warning; a relative root.path is resolved against the bundle "
	  "(LXC needs an absolute path) and --rootfs overrides it" },
	{ "lxc.rootfs.options", "root.readonly",
	  "\"ro\" <-> true, \"rw\" <-> false; other mount options have no OCI field: kept in the "
	  "org.ctlaunch.meta.rootfs-options annotation (warning)" },
	{ "lxc.rootfs.options", "linux.rootfsPropagation",
	  "shared, slave, private, unbindable; LXC's recursive r* forms become the plain name "
	  "(the schema knows no other) and their spelling is kept in the options meta "
	  "annotation" },
	{ "lxc.rootfs.mount", "-", "no OCI field: travels as an annotation" },
	{ NULL, NULL, NULL },
};

static const char *backend_of(const char *path)
{
	/* the first byte rules out most rows before a comparison */
	for (size_t i = 0; i < CT_ARRAY_SIZE(backends); i++)
		if (path[0] == backends[i][0] &&
		    strncmp(path, backends[i], strlen(backends[i])) == 0)
			return backends[i];
	return NULL;
}

/* The first len bytes of s are a propagation. */
static bool is_propagation_n(const char *s, size_t len)
{
	for (size_t i = 0; i < CT_ARRAY_SIZE(propagations); i++)
		if (s[0] == propagations[i][0] && strlen(propagations[i]) == len &&
		    memcmp(s, propagations[i], len) == 0)
			return true;
	return false;
}

static bool is_propagation(const char *s)
{
	return is_propagation_n(s, strlen(s));
}

/* The runtime-spec schema knows shared, slave, private and unbindable only: LXC's recursive
 * forms map to those (the LXC spelling is kept in the options meta annotation). */
static const char *oci_propagation(const char *lxc)
{
	return lxc[0] == 'r' && is_propagation(lxc + 1) ? lxc + 1 : lxc;
}

/* What a rootfs options string means to OCI: ro/rw (last wins), a propagation (last wins),
 * and everything else in order. */
struct rootfs_opts {
	int readonly;	   /* -1 unset, 0 rw, 1 ro */
	char *propagation; /* NULL or prop_buf */
	char prop_buf[16]; /* the longest propagation is "runbindable" */
	struct strbuf others;
};

static void rootfs_opts_release(struct rootfs_opts *o)
{
	strbuf_release(&o->others);
}

/* The options are read in place, a comma-separated token at a time (empty ones skipped, as
 * strtok did): nothing is copied but the other options. */
static int parse_options(const char *s, struct rootfs_opts *o, struct ct_error **err)
{
	o->readonly = -1;
	o->propagation = NULL;
	o->others = (struct strbuf)STRBUF_INIT;
	while (*s) {
		size_t len = strcspn(s, ",");

		if (len == 2 && s[0] == 'r' && (s[1] == 'o' || s[1] == 'w')) {
			o->readonly = s[1] == 'o';
		} else if (len && is_propagation_n(s, len)) {
			memcpy(o->prop_buf, s, len);
			o->prop_buf[len] = '\0';
			o->propagation = o->prop_buf;
		} else if (len) {
			if (o->others.len)
				strbuf_putc(&o->others, ',');
			strbuf_add(&o->others, s, len);
		}
		s += len;
		s += *s == ',';
	}
	if (o->others.oom)
		return ct_error_set(err, ENOMEM, "out of memory");
	return 0;
}

/* The options string that says readonly and propagation, followed by others (may be NULL):
 * in buf when it fits (size bytes), else on the heap in *heap; NULL when out of memory. */
static char *canonical_options(int readonly, const char *propagation, const char *others, char *buf,
			       size_t size, char **heap)
{
	size_t np = propagation ? strlen(propagation) : 0, no = others ? strlen(others) : 0;
	size_t len = 0;
	char *p = buf;

	if (np + no + 5 > size) {
		p = *heap = malloc(np + no + 5);
		if (!p)
			return NULL;
	}
	if (readonly >= 0) {
		memcpy(p, readonly ? "ro" : "rw", 2);
		len = 2;
	}
	if (np) {
		if (len)
			p[len++] = ',';
		memcpy(p + len, propagation, np);
		len += np;
	}
	if (no) {
		if (len)
			p[len++] = ',';
		memcpy(p + len, others, no);
		len += no;
	}
	p[len] = '\0';
	return p;
}

static int options_to_oci(struct ct_ctx *ctx, struct ct_error **err)
{
	__attribute__((cleanup(rootfs_opts_release))) struct rootfs_opts o = { .readonly = -1 };
	cleanup_free char *heap = NULL;
	char buf[64];
	const char *canon;
	const struct lxc_entry *e, *last = NULL;
	int rc;

	for (size_t i = 0; (e = lxcconf_next(ctx->lxc, "lxc.rootfs.options", false, &i)); i++) {
		ct_use(ctx, i);
		last = e;
	}
	if (!last)
		return 0;
	rc = parse_options(last->value, &o, err);
	if (rc < 0)
		return rc;
	if (o.readonly >= 0) {
		struct mapcore_cursor cur = { .create = true };

		rc = mapcore_set(&cur, ctx->oci, "/root/readonly", json_boolean(o.readonly), err);
		if (rc < 0)
			return rc;
	}
	if (o.propagation) {
		rc = ct_json_set(ctx->oci, "/linux/rootfsPropagation",
				 ct_json_str(oci_propagation(o.propagation)), err);
		if (rc < 0)
			return rc;
	}
	canon = canonical_options(o.readonly, o.propagation ? oci_propagation(o.propagation) : NULL,
				  NULL, buf, sizeof(buf), &heap);
	if (!canon)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (strcmp(canon, last->value) == 0)
		return 0;
	if (o.others.len &&
	    ct_warn_entry(ctx, err, last,
			  "no OCI field for \"%s\": an OCI runtime ignores it (kept in the "
			  "%s" META_OPTIONS " annotation)",
			  o.others.s, CT_ANNOT_META) < 0)
		return -1;
	return mapcore_meta_set(ctx->oci, META_OPTIONS, last->value, err);
}

static int path_to_oci(struct ct_ctx *ctx, struct ct_error **err)
{
	const struct lxc_entry *e, *last = NULL;
	const char *path, *backend;
	json_t *j;
	int rc;

	for (size_t i = 0; (e = lxcconf_next(ctx->lxc, "lxc.rootfs.path", false, &i)); i++) {
		ct_use(ctx, i);
		last = e;
	}
	if (!last) {
		rc = ct_warn_entry(ctx, err, NULL,
				   "lxc.rootfs.path is not set: root.path is \"rootfs\" in the "
				   "bundle, while LXC uses LXCPATH/NAME/rootfs or the host's root");
		return rc < 0 ? rc : mapcore_meta_set(ctx->oci, META_PATH, "unset", err);
	}
	path = last->value;
	if (strncmp(path, DIR_PREFIX, strlen(DIR_PREFIX)) == 0) {
		path += strlen(DIR_PREFIX);
		rc = mapcore_meta_set(ctx->oci, META_PATH, DIR_PREFIX, err);
		if (rc < 0)
			return rc;
	}
	backend = backend_of(path);
	if (backend)
		rc = ct_warn_entry(
			ctx, err, last,
			"storage backend %s has no OCI equivalent: root.path keeps the "
			"value verbatim; mount it first and point root.path at the result",
			backend);
	else if (path[0] != '/')
		rc = ct_warn_entry(
			ctx, err, last,
			"relative path: liblxc takes it relative to its working directory, "
			"an OCI runtime relative to the bundle");
	else
		rc = 0;
	if (rc < 0)
		return rc;
	j = ct_json_str(path);
	if (!j)
		return ct_error_entry(err, last, "invalid value: not valid UTF-8");
	return mapcore_set(&(struct mapcore_cursor){ .create = true }, ctx->oci, "/root/path", j,
			   err);
}

static int rootfs_to_oci(struct ct_ctx *ctx, struct ct_error **err)
{
	int rc = path_to_oci(ctx, err);

	return rc < 0 ? rc : options_to_oci(ctx, err);
}

/* Lexically normalise the absolute path of n bytes at path into out (n + 2 bytes): no "//",
 * ".", "..", nor trailing '/'. Segments are read in place. */
static void normalize_abs(const char *path, size_t n, char *out)
{
	const char *end = path + n;
	size_t len = 0;

	while (path < end) {
		const char *seg = path;
		size_t sl;

		while (path < end && *path != '/')
			path++;
		sl = (size_t)(path - seg);
		if (path < end)
			path++;
		if (sl == 0 || (sl == 1 && seg[0] == '.'))
			continue;
		if (sl == 2 && seg[0] == '.' && seg[1] == '.') {
			while (len > 0 && out[len - 1] != '/')
				len--;
			if (len > 0)
				len--;
			continue;
		}
		out[len++] = '/';
		memcpy(out + len, seg, sl);
		len += sl;
	}
	if (len == 0)
		out[len++] = '/';
	out[len] = '\0';
}

/* prefix + the normalised base (may be relative to the working directory, or NULL for it) +
 * "/" + rel, in one allocation. */
static char *absolute_path(const char *prefix, const char *base, const char *rel,
			   struct ct_error **err)
{
	cleanup_free char *cwd = NULL;
	cleanup_free char *joined = NULL;
	size_t plen = strlen(prefix), n;
	char *r;

	if (!base || base[0] != '/') {
		cwd = getcwd(NULL, 0);
		if (!cwd) {
			ct_error_set(err, errno, "resolving %s: cannot get the working directory",
				     rel);
			return NULL;
		}
	}
	joined = ct_concat(cwd ? cwd : "", "/", base ? base : "", "/", rel, (char *)NULL);
	r = joined ? malloc(plen + (n = strlen(joined)) + 2) : NULL;
	if (!r) {
		ct_error_set(err, ENOMEM, "out of memory");
		return NULL;
	}
	memcpy(r, prefix, plen);
	normalize_abs(joined, n, r + plen);
	return r;
}

/* The lxc.rootfs.path value for root.path (or --rootfs). */
static char *lxc_rootfs_path(struct ct_ctx *ctx, const char *path, const char *meta,
			     struct ct_error **err)
{
	const char *prefix = meta && strcmp(meta, DIR_PREFIX) == 0 ? DIR_PREFIX : "";
	bool dir = strncmp(path, DIR_PREFIX, strlen(DIR_PREFIX)) == 0;
	char *r;

	if (dir || backend_of(path)) {
		if (!dir &&
		    ct_warn_oci(ctx, err, "/root/path",
				"storage backend %s is not a directory an OCI runtime can use: "
				"written to lxc.rootfs.path verbatim",
				backend_of(path)) < 0)
			return NULL;
		r = strdup(path);
	} else if (path[0] != '/') {
		return absolute_path(prefix, ctx->opts->rootfs ? NULL : ctx->opts->bundle_dir, path,
				     err);
	} else {
		r = ct_concat(prefix, path, (char *)NULL);
	}
	if (!r)
		ct_error_set(err, ENOMEM, "out of memory");
	return r;
}

static int path_to_lxc(struct ct_ctx *ctx, json_t *root, json_t *annots, struct ct_error **err)
{
	cleanup_free char *value = NULL;
	const char *meta = json_string_value(json_object_get(annots, CT_ANNOT_META META_PATH));
	const char *path = ctx->opts->rootfs;
	json_t *j = json_object_get(root, "path");

	if (!path) {
		if (!j)
			return 0;
		path = json_string_value(j);
		if (!path)
			return ct_error_set(err, 0, "/root/path: expected a string");
		if (meta && strcmp(meta, "unset") == 0 && strcmp(path, "rootfs") == 0)
			return 0;
	}
	if (!*path)
		return ct_error_set(err, 0, "%s: empty root path",
				    ctx->opts->rootfs ? "--rootfs" : "/root/path");
	if (strchr(path, '\n'))
		return ct_error_set(err, 0,
				    "%s: the path contains a newline, which an LXC config "
				    "line cannot hold",
				    ctx->opts->rootfs ? "--rootfs" : "/root/path");
	value = lxc_rootfs_path(ctx, path, meta, err);
	if (!value)
		return -1;
	if (strlen(value) >= MAPCORE_PATH_MAX)
		return ct_error_set(err, 0,
				    "/root/path: %s is longer than liblxc's limit (%d bytes)",
				    value, MAPCORE_PATH_MAX - 1);
	return lxcconf_add(ctx->lxc, "lxc.rootfs.path", value, NULL, 0, err);
}

static int options_to_lxc(struct ct_ctx *ctx, json_t *root, json_t *annots, struct ct_error **err)
{
	__attribute__((cleanup(rootfs_opts_release))) struct rootfs_opts o = { .readonly = -1 };
	cleanup_free char *heap = NULL;
	char buf[64];
	const char *value;
	const char *meta = json_string_value(json_object_get(annots, CT_ANNOT_META META_OPTIONS));
	json_t *ro = json_object_get(root, "readonly");
	json_t *pj = json_object_get(json_object_get(ctx->oci, "linux"), "rootfsPropagation");
	const char *prop = NULL;
	int readonly = -1;

	if (ro && !json_is_boolean(ro))
		return ct_error_set(err, 0, "/root/readonly: expected true or false");
	if (ro)
		readonly = json_is_true(ro);
	if (pj) {
		prop = json_string_value(pj);
		if (!prop)
			return ct_error_set(err, 0, "/linux/rootfsPropagation: expected a string");
		if (!is_propagation(prop)) {
			if (ct_warn_oci(
				    ctx, err, "/linux/rootfsPropagation",
				    "\"%s\" is not a propagation LXC knows; kept as a #oci: line",
				    prop) < 0)
				return -1;
			prop = NULL;
		}
	}
	if (meta) {
		if (parse_options(meta, &o, err) < 0)
			return -1;
		/* The recorded spelling still says what the OCI fields say: write it as is. */
		if (o.readonly == readonly &&
		    ((!o.propagation && !prop) ||
		     (o.propagation && prop &&
		      strcmp(oci_propagation(o.propagation), oci_propagation(prop)) == 0)))
			return lxcconf_add(ctx->lxc, "lxc.rootfs.options", meta, NULL, 0, err);
	}
	value = canonical_options(readonly, prop, o.others.s, buf, sizeof(buf), &heap);
	if (!value)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (!*value)
		return 0;
	return lxcconf_add(ctx->lxc, "lxc.rootfs.options", value, NULL, 0, err);
}

static int rootfs_to_lxc(struct ct_ctx *ctx, struct ct_error **err)
{
	/* root and annotations are looked up once for both keys (a member of a non-object is
	 * NULL, as the walks of "/root/..." were) */
	json_t *root = json_object_get(ctx->oci, "root");
	json_t *annots = json_object_get(ctx->oci, "annotations");
	int rc = path_to_lxc(ctx, root, annots, err);

	return rc < 0 ? rc : options_to_lxc(ctx, root, annots, err);
}

const struct ct_family ct_family_rootfs = {
	.name = "rootfs",
	.to_oci = rootfs_to_oci,
	.to_lxc = rootfs_to_lxc,
	.doc = doc,
};
