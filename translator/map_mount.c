/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The mount family: lxc.mount.entry, lxc.mount.fstab, lxc.mount.auto, lxc.autodev,
 * lxc.autodev.tmpfs.size and lxc.pty.max <-> /mounts.
 *
 * liblxc mounts the lxc.mount.auto file systems and the autodev /dev first, then the fstab
 * lines, then the entries; a devpts instance goes on /dev/pts when lxc.pty.max > 0 (measured
 * with liblxc 5.0.2: without lxc.pty.max there is no /dev/pts mount at all).
 *
 * This file drives both directions and handles the entries and the fstab file; the implied
 * mounts (lxc.mount.auto, autodev, lxc.pty.max) are in map_mount_implied.c, placed in runc
 * spec's order by mntlist_place_implied() (mountopts.h); the line syntax and the mounts' shapes
 * are in mountopts.c and mountopts_auto.c.
 * to_oci records in meta annotations what the mounts alone do not say (the lxc.mount.auto
 * value, the fstab path, an entry's original line); to_lxc uses a recorded value only when it
 * still gives back the very mounts it stands for. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "families.h"
#include "fileio.h"
#include "jsonutil.h"
#include "mountopts.h"

#define ANNOT_AUTO CT_ANNOT_META "mount-auto"
#define ANNOT_FSTAB CT_ANNOT_META "mount-fstab"
#define ANNOT_FSTAB_MOUNTS CT_ANNOT_META "mount-fstab-mounts"
#define ANNOT_ENTRY CT_ANNOT_META "mount-entry."

/* lxc.rootfs.path without a "dir:" prefix, or NULL. */
static const char *rootfs_path(const struct lxc_config *conf)
{
	const char *p = lxcconf_get(conf, "lxc.rootfs.path");

	if (p && strncmp(p, "dir:", 4) == 0)
		p += 4;
	return p && *p ? p : NULL;
}

/* The OCI destination of an LXC destination into *ret: "/" + relative (made in buf, or in
 * *heap when it does not fit), or an absolute path inside the rootfs made relative to it (a part
 * of dest, no copy). Returns 1 when an absolute path is outside the rootfs (liblxc ignores such
 * an entry). */
static int dest_to_oci(const char *rootfs, const char *dest, char *buf, size_t size, char **heap,
		       const char **ret)
{
	if (dest[0] != '/') {
		size_t n = strlen(dest);

		if (n + 2 > size) {
			buf = *heap = malloc(n + 2);
			if (!buf)
				return -ENOMEM;
		}
		buf[0] = '/';
		memcpy(buf + 1, dest, n + 1);
		*ret = buf;
		return 0;
	}
	if (rootfs) {
		size_t n = strlen(rootfs);

		while (n > 1 && rootfs[n - 1] == '/')
			n--;
		if (strncmp(dest, rootfs, n) == 0 && (dest[n] == '/' || dest[n] == '\0')) {
			*ret = dest[n] ? dest + n : "/";
			return 0;
		}
	}
	return 1;
}

/* What line_to_oci() found out about a line besides its mount. */
struct line_facts {
	const char *dest; /* the mount's destination, borrowed from it */
	bool lossy;	  /* relative or idmap=: no OCI equivalent */
	bool same;	  /* mntline_from_oci() of the mount gives the text back */
};

/* Parse a line and build its OCI mount; *ret stays NULL for a destination outside the rootfs,
 * which the caller reports. With facts, also what struct line_facts says; whether the mount
 * gives the text back is found by comparing with the text as the line is rendered, without
 * building it (sysroot: for its create= option). */
static int line_to_oci(const char *text, const struct mntline_where *w, const char *rootfs,
		       const char *sysroot, json_t **ret, struct line_facts *facts,
		       struct ct_error **err)
{
	char buf[256];
	cleanup_free char *heap = NULL;
	const char *dest;
	struct mntline ml;
	struct mntline_oci info;
	int rc;

	*ret = NULL;
	rc = mntline_parse(text, w, &ml, err);
	if (rc < 0)
		return rc;
	rc = dest_to_oci(rootfs, ml.dest, buf, sizeof(buf), &heap, &dest);
	if (rc == 0) {
		*ret = mntline_to_oci(&ml, dest, &info);
		if (!*ret)
			rc = -ENOMEM;
		else if (facts)
			*facts = (struct line_facts){ .dest = info.view.dest,
						      .lossy = info.lossy,
						      .same = mntline_gives_back(&ml, &info,
										 sysroot, text) };
	}
	mntline_release(&ml);
	if (rc < 0)
		return ct_error_set(err, ENOMEM, "out of memory");
	return 0;
}

/* ---- lxc.mount.fstab ---- */

static char *fstab_resolve(const struct ct_translate_opts *opts, const char *path)
{
	char *r = NULL;
	int n;

	if (path[0] == '/')
		n = asprintf(&r, "%s%s", opts->sysroot ? opts->sysroot : "", path);
	else if (opts->config_dir)
		n = asprintf(&r, "%s/%s", opts->config_dir, path);
	else
		n = asprintf(&r, "%s", path);
	return n < 0 ? NULL : r;
}

/* Read the fstab file and append its mounts (as JSON) to arr. Errors carry FILE:LINE. */
static int fstab_load(struct ct_ctx *ctx, const char *path, const struct lxc_entry *e,
		      const char *rootfs, json_t *arr, struct ct_error **err)
{
	cleanup_free char *file = fstab_resolve(ctx->opts, path), *buf = NULL;
	char *save = NULL;
	unsigned lineno = 0;
	size_t len;
	int rc;

	if (!file)
		return ct_error_set(err, ENOMEM, "out of memory");
	rc = ct_read_file(file, CT_MAX_INPUT_SIZE, &buf, &len, err);
	if (rc < 0) {
		ct_error_prefix(err, rc, "%s: reading the fstab file", e ? e->key : path);
		if (e && e->file && *err && !(*err)->file) {
			(*err)->file = strdup(e->file);
			(*err)->line = e->line;
		}
		return ct_error_hint(err, rc,
				     "lxc.mount.fstab is read relative to the "
				     "directory of the config (absolute paths under "
				     "--sysroot)");
	}
	/* Split on '\n' by hand: strtok would skip empty lines and lose the numbering. */
	for (char *line = buf; line; line = save) {
		struct mntline_where w = { "lxc.mount.fstab", file, ++lineno };
		char *p = line;
		json_t *m;

		save = strchr(line, '\n');
		if (save)
			*save++ = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '#')
			continue;
		if (lineno > MNTLINE_MAX_FSTAB_LINES)
			return ct_error_at(err, file, lineno, 0,
					   "more than %u lines in an fstab file",
					   MNTLINE_MAX_FSTAB_LINES);
		rc = line_to_oci(p, &w, rootfs, NULL, &m, NULL, err);
		if (rc < 0)
			return rc;
		if (!m) {
			rc = ct_error_at(err, file, lineno, 0,
					 "lxc.mount.fstab: destination %s is "
					 "outside the rootfs %s",
					 p, rootfs ? rootfs : "(none)");
			return ct_error_hint(err, rc,
					     "write the destination relative to the rootfs");
		}
		if (json_array_append_new(arr, m) < 0)
			return ct_error_set(err, ENOMEM, "out of memory");
	}
	return 0;
}

static int add_fstab(struct ct_ctx *ctx, const char *rootfs, struct mntlist *l,
		     const struct lxc_entry **ret_e, struct ct_error **err)
{
	const struct lxc_entry *e, *last = NULL;
	cleanup_json json_t *arr = json_array();
	int rc;

	for (size_t i = 0; (e = lxcconf_next(ctx->lxc, "lxc.mount.fstab", false, &i)); i++) {
		ct_use(ctx, i);
		last = e;
	}
	*ret_e = last;
	if (!last)
		return 0;
	if (!arr)
		return ct_error_set(err, ENOMEM, "out of memory");
	rc = fstab_load(ctx, last->value, last, rootfs, arr, err);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < json_array_size(arr); i++) {
		rc = mntlist_insert(l, l->n, json_incref(json_array_get(arr, i)), NULL, NULL, false,
				    true, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- lxc.mount.entry ---- */

static int add_entries(struct ct_ctx *ctx, const char *rootfs, struct mntlist *l,
		       struct ct_error **err)
{
	const struct lxc_entry *e;

	for (size_t i = 0; (e = lxcconf_next(ctx->lxc, "lxc.mount.entry", false, &i)); i++) {
		struct mntline_where w = { e->key, e->file, e->line };
		struct line_facts f;
		char *orig = NULL;
		json_t *m;
		int rc;

		if (ctx->used && ctx->used[i])
			continue; /* claimed by the masked paths or devices family */
		rc = line_to_oci(e->value, &w, rootfs, ctx->opts->sysroot, &m, &f, err);
		if (rc < 0)
			return rc;
		if (!m) {
			rc = ct_warn_entry(ctx, err, e,
					   "destination outside the rootfs %s: liblxc "
					   "ignores this entry; kept as an annotation",
					   rootfs ? rootfs : "(none)");
			if (rc < 0)
				return rc;
			continue;
		}
		if (f.lossy) {
			rc = ct_warn_entry(ctx, err, e,
					   "the LXC options relative and idmap= have no "
					   "OCI equivalent: the OCI runtime mounts the source as a "
					   "host path without an idmap");
			if (rc < 0) {
				json_decref(m);
				return rc;
			}
		}
		if (!f.same && !(orig = strdup(e->value))) {
			json_decref(m);
			return ct_error_set(err, ENOMEM, "out of memory");
		}
		rc = mntlist_insert(l, l->n, m, f.dest, orig, false, false, err);
		if (rc < 0)
			return rc;
		ct_use(ctx, i);
	}
	return 0;
}

/* ---- LXC -> OCI ---- */

static int set_annot(json_t *oci, const char *key, const char *value, struct ct_error **err)
{
	json_t *annots = ct_json_obj(oci, "/annotations");

	if (!annots || ct_json_set_member(annots, key, ct_json_str(value)) < 0)
		return ct_error_set(err, ENOMEM, "out of memory");
	return 0;
}

/* The annotations that let to_lxc give back what the mounts alone do not say. */
static int write_annotations(struct ct_ctx *ctx, const struct mntlist *l, size_t base,
			     const char *auto_joined, bool auto_canonical,
			     const struct lxc_entry *fstab, struct ct_error **err)
{
	cleanup_strbuf struct strbuf idx = STRBUF_INIT;
	int rc;

	for (size_t i = 0; i < l->n; i++) {
		char key[96];

		if (l->v[i].fstab)
			strbuf_printf(&idx, "%s%zu", idx.len ? " " : "", base + i);
		if (!l->v[i].orig)
			continue;
		ct_join_index(key, sizeof(key), ANNOT_ENTRY, base + i);
		rc = set_annot(ctx->oci, key, l->v[i].orig, err);
		if (rc < 0)
			return rc;
	}
	if (idx.oom)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (auto_joined && !auto_canonical) {
		rc = set_annot(ctx->oci, ANNOT_AUTO, auto_joined, err);
		if (rc < 0)
			return rc;
	}
	if (fstab) {
		rc = set_annot(ctx->oci, ANNOT_FSTAB, fstab->value, err);
		if (rc < 0)
			return rc;
		rc = set_annot(ctx->oci, ANNOT_FSTAB_MOUNTS, idx.s ? idx.s : "", err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int mount_to_oci(struct ct_ctx *ctx, struct ct_error **err)
{
	const char *rootfs = rootfs_path(ctx->lxc);
	const struct lxc_entry *fstab = NULL;
	cleanup_free char *auto_joined = NULL;
	struct mntauto s = { 0 };
	struct mntlist l = { 0 };
	size_t base = 0;
	json_t *arr;
	bool force;
	int rc;

	rc = mnt_auto_read(ctx, &s, &auto_joined, err);
	/* the namespaces and capabilities are built by now and stay as they are */
	force = rc >= 0 && s.tok[MNTAUTO_CGROUP] && mntauto_cgroup_needs_force(ctx->oci);
	if (rc >= 0)
		rc = add_fstab(ctx, rootfs, &l, &fstab, err);
	if (rc >= 0)
		rc = add_entries(ctx, rootfs, &l, err);
	if (rc >= 0)
		rc = mnt_add_implied(ctx, &s, force, &l, err);
	if (rc < 0)
		goto out;
	if (!l.n) /* an empty fstab file still needs its annotation */
		goto annotate;
	arr = ct_json_arr(ctx->oci, "/mounts");
	if (!arr) {
		rc = ct_error_set(err, EINVAL, "internal error: /mounts is not an array");
		goto out;
	}
	base = json_array_size(arr);
	for (size_t i = 0; i < l.n; i++)
		if (json_array_append(arr, l.v[i].m) < 0) {
			rc = ct_error_set(err, ENOMEM, "out of memory");
			goto out;
		}
annotate:
	rc = write_annotations(ctx, &l, base, auto_joined,
			       mnt_auto_canonical(&s, force, auto_joined), fstab, err);
out:
	mntauto_release(&s);
	mntlist_release(&l);
	return rc;
}

/* ---- OCI -> LXC ---- */

const char *mnt_annotation(const struct oci_mounts *om, const char *key)
{
	return json_string_value(json_object_get(om->annots, key));
}

bool mnt_has_option(const json_t *opts, const char *opt)
{
	size_t i;
	json_t *v;

	json_array_foreach (opts, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), opt) == 0)
			return true;
	return false;
}

ssize_t mnt_find(const struct oci_mounts *om, const char *dest, const char *type)
{
	for (size_t i = 0; i < om->n; i++) {
		const char *d = om->m[i].v.dest, *t = om->m[i].v.type;

		if (!om->m[i].skip && d && t && strcmp(d, dest) == 0 && strcmp(t, type) == 0)
			return (ssize_t)i;
	}
	return -1;
}

/* The indices recorded for the fstab mounts: increasing, in range, not taken. */
static int fstab_indices(const char *s, const struct oci_mounts *om, size_t **ret, size_t *ret_n)
{
	cleanup_free size_t *v = NULL;
	size_t n = 0;

	for (const char *p = s + strspn(s, " "); *p; p += strspn(p, " ")) {
		char *end;
		unsigned long long x;
		size_t *nv;

		if (*p < '0' || *p > '9')
			return -1;
		x = strtoull(p, &end, 10);
		if (x >= om->n || om->m[x].skip || (n && x <= v[n - 1]) || (*end && *end != ' '))
			return -1;
		nv = realloc(v, (n + 1) * sizeof(*v));
		if (!nv)
			return -ENOMEM;
		v = nv;
		v[n++] = (size_t)x;
		p = end;
	}
	*ret = steal_pointer(&v);
	*ret_n = n;
	return 0;
}

/* lxc.mount.fstab comes back when the file still holds exactly the recorded mounts; otherwise
 * the mounts are written as entries. */
static int lxc_fstab(struct ct_ctx *ctx, struct oci_mounts *om, struct ct_error **err)
{
	const char *path = mnt_annotation(om, ANNOT_FSTAB);
	const char *idx = mnt_annotation(om, ANNOT_FSTAB_MOUNTS);
	cleanup_error struct ct_error *why = NULL;
	cleanup_json json_t *arr = NULL;
	cleanup_free size_t *v = NULL;
	size_t n = 0;
	int rc;

	if (!path) /* the usual case: no array made for nothing */
		return 0;
	arr = json_array();
	if (!arr)
		return ct_error_set(err, ENOMEM, "out of memory");
	rc = idx ? fstab_indices(idx, om, &v, &n) : -1;
	if (rc == -ENOMEM)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (rc == 0)
		rc = fstab_load(ctx, path, NULL, rootfs_path(ctx->lxc), arr, &why);
	if (rc == 0 && json_array_size(arr) != n)
		rc = -1;
	for (size_t k = 0; rc == 0 && k < n; k++)
		if (!json_equal(json_array_get(arr, k), json_array_get(om->v, v[k])))
			rc = -1;
	if (rc < 0)
		return ct_warn_oci(ctx, err, "/annotations/" ANNOT_FSTAB,
				   "%s%s: the mounts differ "
				   "from the file's lines, so they are written as lxc.mount.entry",
				   path, why && why->msg ? "" : "");
	for (size_t k = 0; k < n; k++)
		om->m[v[k]].skip = true;
	return lxcconf_add(ctx->lxc, "lxc.mount.fstab", path, NULL, 0, err);
}

static int check_options(struct ct_ctx *ctx, const struct mntview *m, size_t idx,
			 struct ct_error **err)
{
	char ptr[48];
	size_t i;
	json_t *o;

	ct_join_index(ptr, sizeof(ptr), "/mounts/", idx);
	if (m->type && strcmp(m->type, "bind") == 0 && !mnt_has_option(m->options, "bind") &&
	    !mnt_has_option(m->options, "rbind")) {
		int rc = ct_warn_oci(ctx, err, ptr,
				     "type bind without a bind or rbind option: "
				     "liblxc mounts it as a file system named \"bind\"; add "
				     "\"rbind\" to the options");
		if (rc < 0)
			return rc;
	}
	json_array_foreach (m->options, i, o) {
		const char *s = json_string_value(o);
		int rc;

		if (!s || !mntopt_is_runtime_only(s))
			continue;
		rc = ct_warn_oci(ctx, err, ptr,
				 "option %s is not known to liblxc, which passes "
				 "it to mount(2): the mount will likely fail",
				 s);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* The recorded original line of mount i when it still gives this very mount, or NULL. */
static const char *recorded_entry(struct ct_ctx *ctx, const struct oci_mounts *om, size_t i)
{
	char key[96];
	const char *orig;
	json_t *back = NULL;
	bool same;

	if (!json_object_size(om->annots)) /* the usual native config: no lookup per mount */
		return NULL;
	ct_join_index(key, sizeof(key), ANNOT_ENTRY, i);
	orig = mnt_annotation(om, key);
	if (orig) {
		struct mntline_where w = { key, NULL, 0 };

		if (line_to_oci(orig, &w, rootfs_path(ctx->lxc), NULL, &back, NULL, NULL) == 0 &&
		    back) {
			same = json_equal(back, json_array_get(om->v, i));
			json_decref(back);
			if (same)
				return orig;
		}
	}
	return NULL;
}

/* The entries, each rendered into one buffer reused for all of them. */
static int lxc_entries(struct ct_ctx *ctx, struct oci_mounts *om, struct ct_error **err)
{
	cleanup_strbuf struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < om->n; i++) {
		const char *line;
		int rc;

		if (om->m[i].skip)
			continue;
		rc = check_options(ctx, &om->m[i].v, i, err);
		if (rc < 0)
			return rc;
		line = recorded_entry(ctx, om, i);
		if (!line) {
			strbuf_truncate(&sb, 0);
			mntview_write(&om->m[i].v, ctx->opts->sysroot, &sb);
			if (sb.oom)
				return ct_error_set(err, ENOMEM, "out of memory");
			line = sb.s;
		}
		rc = lxcconf_add(ctx->lxc, "lxc.mount.entry", line, NULL, 0, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int mount_to_lxc(struct ct_ctx *ctx, struct ct_error **err)
{
	json_t *mounts = json_object_get(ctx->oci, "mounts");
	struct oci_mounts om = { .v = mounts,
				 .n = json_is_array(mounts) ? json_array_size(mounts) : 0,
				 .annots = json_object_get(ctx->oci, "annotations") };
	cleanup_free struct oci_mount *m = calloc(om.n + 1, sizeof(*m));
	int rc;

	if (!m)
		return ct_error_set(err, ENOMEM, "out of memory");
	om.m = m;
	for (size_t i = 0; i < om.n; i++) {
		json_t *mount = json_array_get(mounts, i);

		if (json_is_object(mount))
			mntview_of(mount, &m[i].v);
		if (!m[i].v.dest)
			return ct_error_set(err, EINVAL,
					    "/mounts/%zu: not a mount with a "
					    "destination",
					    i);
	}
	rc = mnt_lxc_auto(ctx, &om, err);
	if (rc >= 0)
		rc = mnt_lxc_autodev(ctx, &om, err);
	if (rc >= 0)
		rc = mnt_lxc_devpts(ctx, &om, err);
	if (rc >= 0)
		rc = lxc_fstab(ctx, &om, err);
	if (rc >= 0)
		rc = lxc_entries(ctx, &om, err);
	return rc;
}

static const struct ct_doc_row doc[] = {
	{ "lxc.mount.entry", "mounts[]",
	  "fstab fields; destination relative to the rootfs <-> absolute (an absolute one inside "
	  "lxc.rootfs.path is made relative; one outside is ignored by liblxc and kept as an "
	  "annotation); type none <-> no type; options defaults <-> no options; \\040 escapes "
	  "decoded. The liblxc-only options create=dir, create=file, optional, relative, idmap= "
	  "are left out of the OCI options (runc passes unknown options to mount(2), which rejects "
	  "them) and the original line is kept in org.ctlaunch.meta.mount-entry.N whenever the "
	  "mount alone does not give it back (those options, dump/pass other than 0 0, spelling)" },
	{ "lxc.mount.fstab", "mounts[]",
	  "the file's lines become mounts (path relative to the config, absolute under "
	  "--sysroot); org.ctlaunch.meta.mount-fstab and -fstab-mounts (their indices) bring the "
	  "key back when the file still holds those mounts, else they come back as entries" },
	{ "lxc.mount.auto", "mounts[/proc, /sys, /sys/fs/cgroup]",
	  "proc -> proc on /proc; sys -> sysfs nosuid,noexec,nodev(,ro unless sys:rw); "
	  "cgroup[-full] -> cgroup on /sys/fs/cgroup nosuid,noexec,nodev,relatime(,ro for :ro), "
	  "cgroup2 -> cgroup2; shmounts:H:C -> a bind of H on C (the host tmpfs is not set up). "
	  "The value is kept in org.ctlaunch.meta.mount-auto (except cgroup:ro and cgroup:mixed "
	  "alone). Native OCI: proc and sysfs mounts become entries, a cgroup mount becomes "
	  "cgroup:ro (with ro) or cgroup:mixed. A container with a cgroup namespace that keeps "
	  "CAP_SYS_ADMIN gets no cgroup file system from liblxc 5.0.2 unless the token has "
	  ":force (or the host has only the unified hierarchy): lxc2oci then adds no mount, and "
	  "oci2lxc writes cgroup:ro:force or cgroup:mixed:force. mixed semantics have no OCI "
	  "form" },
	{ "lxc.autodev", "mounts[/dev]",
	  "1 (default) <-> tmpfs on /dev nosuid,strictatime,mode=755,size=65536k as runc spec "
	  "(liblxc: 500000 bytes, no nosuid); 0 <-> no tmpfs on /dev" },
	{ "lxc.autodev.tmpfs.size", "mounts[/dev].options[size=]",
	  "bytes; unset <-> size=65536k; ignored (kept as an annotation) with lxc.autodev = 0" },
	{ "lxc.pty.max", "mounts[/dev/pts]",
	  "> 0 <-> devpts on /dev/pts nosuid,noexec,newinstance,ptmxmode=0666,mode=0620,gid=5 "
	  "plus max=lxc.pty.max+lxc.tty.max (none when that reaches the kernel limit 1048576: a "
	  "runc spec /dev/pts gives lxc.pty.max = 1048576 - lxc.tty.max); 0 or unset <-> no "
	  "/dev/pts (liblxc 5.0.2 mounts no devpts then, not even from an entry). Any other "
	  "devpts on /dev/pts (rootless runc spec's, without gid=5) also gives lxc.pty.max, its "
	  "option differences travel as carry lines" },
	{ "-", "mounts[] order",
	  "entries keep their order; the implied mounts are placed in runc spec's order "
	  "(/proc, /dev, /dev/pts, /dev/shm, /dev/mqueue, /sys, /sys/fs/cgroup) after their "
	  "canonical predecessor, before any entry on or below them" },
	{ NULL, NULL, NULL },
};

const struct ct_family ct_family_mount = {
	.name = "mount",
	.to_oci = mount_to_oci,
	.to_lxc = mount_to_lxc,
	.doc = doc,
};
