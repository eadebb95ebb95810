/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* linux.maskedPaths and linux.readonlyPaths <-> lxc.mount.entry lines of a distinctive form.
 *
 * LXC has no key for either. The entries this family writes, and the only ones it recognises:
 *
 *   /dev/null proc/kcore ctl.masked bind,optional 0 0          masked file
 *   ctl.masked proc/acpi tmpfs ro,optional 0 0                 masked directory
 *   ROOTFS_MOUNT/proc/sys proc/sys ctl.readonly bind,ro,optional 0 0    read-only path
 *
 * The "ctl.masked"/"ctl.readonly" labels sit where the kernel ignores them (the type of a bind
 * mount, the source of a tmpfs) and show in /proc/self/mountinfo. A read-only path is a bind of
 * the container's own path onto itself: liblxc resolves bind sources on the host, but it mounts
 * the entries with the container's rootfs (and its /proc) mounted at lxc.rootfs.mount, so the
 * source is spelled through that mount point. "optional" lets a path the kernel does not have
 * (/proc/timer_stats) be skipped, as runc does.
 *
 * runc writes linux.sysctl before it makes the read-only paths read-only; liblxc writes
 * lxc.sysctl.* last, after every mount, and fails on a read-only /proc/sys ("Read-only file
 * system - Failed to setup sysctl parameters"), so runc spec's defaults and any sysctl cannot
 * start. Each namespaced sysctl file under a read-only path therefore gets, right after that
 * path's entry, a writable bind of its own:
 *
 *   /proc/sys/kernel/msgmax proc/sys/kernel/msgmax ctl.readonly-exempt bind,rw,optional 0 0
 *
 * The source is the starting process's /proc: a bind from below the read-only bind would stay
 * read-only (liblxc adds the source's MS_RDONLY when it remounts a bind), and a sysctl file
 * looked up there by liblxc's child, already in the container's namespaces, is the container's
 * own (measured: the host's value is untouched). Only namespaced sysctls (runc accepts no
 * others) get one: a writable host-wide sysctl would be a hole. lxc2oci drops these entries
 * again where oci2lxc writes them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cleanup.h"
#include "families.h"
#include "jsonutil.h"

#ifndef CT_LXC_ROOTFS_MOUNT
/* liblxc's default lxc.rootfs.mount ($libdir/lxc/rootfs) on the target. */
#define CT_LXC_ROOTFS_MOUNT "/usr/lib/x86_64-linux-gnu/lxc/rootfs"
#endif

#define MASK_TAG "ctl.masked"
#define RO_TAG "ctl.readonly"
#define EXEMPT_TAG "ctl.readonly-exempt"
#define EXEMPT_OPTS "bind,rw,optional"
#define SYSCTL_PREFIX "lxc.sysctl."
enum { K_RO = 4, K_EXEMPT = 5 };
#define META_MASKED CT_ANNOT_META "masked"
#define MAX_PATHS 4096

enum form { F_FILE = 1, F_DIR = 2, F_BOTH = 3 };
static const char *const form_names[] = { "", "file", "dir", "both" };

/* runc spec's masked paths (and Docker's powercap), by what they are in a container. */
#define KNOWN(path, form)                    \
	{                                    \
		path, sizeof(path) - 1, form \
	}
static const struct {
	const char *path;
	size_t len;
	enum form form;
} known[] = {
	KNOWN("/proc/acpi", F_DIR),
	KNOWN("/proc/asound", F_DIR),
	KNOWN("/proc/kcore", F_FILE),
	KNOWN("/proc/keys", F_FILE),
	KNOWN("/proc/latency_stats", F_FILE),
	KNOWN("/proc/timer_list", F_FILE),
	KNOWN("/proc/timer_stats", F_FILE),
	KNOWN("/proc/sched_debug", F_FILE),
	KNOWN("/sys/firmware", F_DIR),
	KNOWN("/proc/scsi", F_DIR),
	KNOWN("/sys/devices/virtual/powercap", F_DIR),
};
#undef KNOWN

static enum form stat_form(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return F_BOTH;
	return S_ISDIR(st.st_mode) ? F_DIR : F_FILE;
}

/* The container's root directory on this machine, or NULL. */
static char *rootfs_dir(struct ct_ctx *ctx)
{
	const char *root = json_string_value(ct_json_get(ctx->oci, "/root/path"));
	const char *base = ctx->opts->bundle_dir ? ctx->opts->bundle_dir : ctx->opts->config_dir;
	char *out = NULL;

	if (!root)
		return NULL;
	if (*root == '/')
		return strdup(root);
	if (!base || asprintf(&out, "%s/%s", base, root) < 0)
		return NULL;
	return out;
}

/* How oci2lxc masks path: the known table, then what the path is on this host (/proc, /sys)
 * or in the bundle's rootfs; both forms (one of them fails, optionally) when unknown. Both
 * directions use this, so lxc2oci records a form only when it is not this one. */
static enum form choose_form(struct ct_ctx *ctx, const char *path)
{
	cleanup_free char *root = NULL, *full = NULL;
	size_t len = strlen(path);

	for (size_t i = 0; i < CT_ARRAY_SIZE(known); i++)
		if (known[i].len == len && memcmp(known[i].path, path, len) == 0)
			return known[i].form;
	if (strncmp(path, "/proc/", 6) == 0 || strncmp(path, "/sys/", 5) == 0)
		return stat_form(path);
	root = rootfs_dir(ctx);
	if (!root || asprintf(&full, "%s%s", root, path) < 0)
		return F_BOTH;
	return stat_form(full);
}

static const char *rootfs_mount(struct ct_ctx *ctx)
{
	const char *m = lxcconf_get(ctx->lxc, "lxc.rootfs.mount");

	return m ? m : CT_LXC_ROOTFS_MOUNT;
}

/* A path these entries can carry: absolute, no blanks (fstab fields), no "..", not "/". */
static bool path_ok(const char *p)
{
	return p && p[0] == '/' && p[1] && !strpbrk(p, " \t\n\\") && !strstr(p, "/..") &&
	       p[strlen(p) - 1] != '/';
}

/* ---- sysctls under read-only paths ---- */

/* runc's namespaced sysctls and the namespace each needs (a trailing '.' is a prefix). */
static const struct {
	const char *key;
	const char *ns;
} namespaced[] = {
	{ "kernel.msgmax", "ipc" },	{ "kernel.msgmnb", "ipc" },
	{ "kernel.msgmni", "ipc" },	{ "kernel.sem", "ipc" },
	{ "kernel.shmall", "ipc" },	{ "kernel.shmmax", "ipc" },
	{ "kernel.shmmni", "ipc" },	{ "kernel.shm_rmid_forced", "ipc" },
	{ "fs.mqueue.", "ipc" },	{ "net.", "network" },
	{ "kernel.domainname", "uts" }, { "kernel.hostname", "uts" },
};

static bool has_ns(json_t *oci, const char *type)
{
	json_t *list = ct_json_get(oci, "/linux/namespaces"), *ns;
	size_t i;

	json_array_foreach (list, i, ns)
		if (strcmp(json_string_value(json_object_get(ns, "type")) ?: "", type) == 0)
			return true;
	return false;
}

/* A sysctl of the container's own namespaces (oci: the namespaces). */
static bool is_namespaced(json_t *oci, const char *key)
{
	for (size_t i = 0; i < CT_ARRAY_SIZE(namespaced); i++) {
		const char *k = namespaced[i].key;
		size_t n = strlen(k);

		if ((k[n - 1] == '.' ? strncmp(key, k, n) == 0 && key[n] : strcmp(key, k) == 0))
			return has_ns(oci, namespaced[i].ns);
	}
	return false;
}

/* "/proc/sys/" + key with its dots made slashes, as liblxc opens it; false when that is no
 * path these entries can carry. */
static bool sysctl_path(const char *key, char *buf, size_t size)
{
	if ((size_t)snprintf(buf, size, "/proc/sys/%s", key) >= size)
		return false;
	for (char *p = buf + 10; *p; p++)
		if (*p == '.')
			*p = '/';
	return path_ok(buf);
}

static bool on_or_below(const char *path, const char *top)
{
	size_t n = strlen(top);

	return strncmp(path, top, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* ---- LXC -> OCI ---- */

struct seen {
	json_t *path; /* the string maskedPaths gets */
	enum form form;
};

struct lists {
	struct seen *masked; /* grown as paths come, at most MAX_PATHS */
	size_t nmasked, cap;
	json_t *ro;
};

/* A field of an entry, in place. */
struct span {
	const char *p;
	size_t n;
};

static bool span_is(struct span f, const char *lit, size_t n)
{
	return f.n == n && memcmp(f.p, lit, n) == 0;
}

#define SPAN_IS(f, lit) span_is(f, lit, sizeof(lit) - 1)

/* The six fields of an entry written with single spaces (a blank at either end is allowed, as
 * the fields are the runs of non-spaces), the last two "0"; false for any other entry. Read in
 * place: every lxc.mount.entry goes through here. */
static bool fields(const char *v, struct span f[6])
{
	size_t n = 0;

	if (*v == ' ')
		v++;
	while (*v) {
		const char *start = v;

		if (n == 6)
			return false;
		v = strchrnul(v, ' ');
		if (v == start)
			return false; /* two spaces in a row */
		f[n++] = (struct span){ start, (size_t)(v - start) };
		if (*v == ' ')
			v++;
	}
	return n == 6 && SPAN_IS(f[4], "0") && SPAN_IS(f[5], "0");
}

/* Which of our forms the entry v is (rootfs: lxc.rootfs.mount); *ret_path receives the
 * container path. */
static int recognise(const char *rootfs, const char *v, char *ret_path, size_t psize)
{
	struct span f[6];
	size_t rl = strlen(rootfs);
	int kind = 0;

	if (strlen(v) >= 8192 || !fields(v, f) || f[1].p[0] == '/')
		return 0;
	if (SPAN_IS(f[0], "/dev/null") && SPAN_IS(f[2], MASK_TAG) && SPAN_IS(f[3], "bind,optional"))
		kind = F_FILE;
	else if (SPAN_IS(f[0], MASK_TAG) && SPAN_IS(f[2], "tmpfs") && SPAN_IS(f[3], "ro,optional"))
		kind = F_DIR;
	else if (SPAN_IS(f[2], RO_TAG) && SPAN_IS(f[3], "bind,ro,optional") &&
		 f[0].n == rl + 1 + f[1].n && memcmp(f[0].p, rootfs, rl) == 0 &&
		 f[0].p[rl] == '/' && memcmp(f[0].p + rl + 1, f[1].p, f[1].n) == 0)
		kind = K_RO;
	else if (SPAN_IS(f[2], EXEMPT_TAG) && SPAN_IS(f[3], EXEMPT_OPTS) && f[0].p[0] == '/' &&
		 f[0].n == f[1].n + 1 && memcmp(f[0].p + 1, f[1].p, f[1].n) == 0 && f[1].n >= 9 &&
		 memcmp(f[1].p, "proc/sys/", 9) == 0)
		kind = K_EXEMPT;
	if (!kind || f[1].n + 1 >= psize)
		return 0;
	ret_path[0] = '/';
	memcpy(ret_path + 1, f[1].p, f[1].n);
	ret_path[f[1].n + 1] = '\0';
	return path_ok(ret_path) ? kind : 0;
}

static int add_masked(struct lists *l, const char *path, enum form form, struct ct_error **err)
{
	for (size_t i = 0; i < l->nmasked; i++) {
		if (strcmp(json_string_value(l->masked[i].path), path) == 0) {
			l->masked[i].form |= form;
			return 0;
		}
	}
	if (l->nmasked == MAX_PATHS)
		return ct_error_set(err, E2BIG, "more than %d masked paths", MAX_PATHS);
	if (l->nmasked == l->cap) {
		size_t ncap = l->cap ? 2 * l->cap : 16;
		struct seen *v = realloc(l->masked, ncap * sizeof(*v));

		if (!v)
			return ct_error_set(err, ENOMEM, "out of memory");
		l->masked = v;
		l->cap = ncap;
	}
	l->masked[l->nmasked].path = ct_json_str(path);
	if (!l->masked[l->nmasked].path)
		return ct_error_set(err, ENOMEM, "out of memory");
	l->masked[l->nmasked++].form = form;
	return 0;
}

/* An exemption oci2lxc writes: for a namespaced lxc.sysctl key, below a read-only path seen
 * so far, right after read-only or exemption entries. */
static bool implied_exemption(struct ct_ctx *ctx, const struct lists *l, const char *path, int prev)
{
	const struct lxc_entry *e;
	bool covered = false;
	size_t i, k;
	json_t *v;

	if (prev != K_RO && prev != K_EXEMPT)
		return false;
	json_array_foreach (l->ro, k, v)
		covered = covered || on_or_below(path, json_string_value(v));
	for (i = 0; covered && (e = lxcconf_next(ctx->lxc, SYSCTL_PREFIX, true, &i)); i++) {
		const char *key = e->key + strlen(SYSCTL_PREFIX);
		char p[4096];

		if (sysctl_path(key, p, sizeof(p)) && !strcmp(p, path) &&
		    is_namespaced(ctx->oci, key))
			return true;
	}
	return false;
}

static int collect(struct ct_ctx *ctx, struct lists *l, struct ct_error **err)
{
	const char *rootfs = rootfs_mount(ctx); /* looked up once: a scan of the whole config */
	const struct lxc_entry *e;
	int prev = 0;
	size_t i;

	for (i = 0; (e = lxcconf_next(ctx->lxc, "lxc.mount.entry", false, &i)); i++) {
		char path[4096];
		int kind;

		if (ctx->used && ctx->used[i])
			continue;
		kind = recognise(rootfs, e->value, path, sizeof(path));
		if (kind == K_EXEMPT && !implied_exemption(ctx, l, path, prev))
			kind = 0;
		prev = kind;
		if (!kind)
			continue;
		ct_use(ctx, i);
		if (kind == K_EXEMPT)
			continue;
		if (kind == K_RO) {
			if (json_array_append_new(l->ro, ct_json_str(path)) < 0)
				return ct_error_set(err, ENOMEM, "out of memory");
		} else if (add_masked(l, path, (enum form)kind, err) < 0) {
			return -1;
		}
	}
	return 0;
}

static int masked_to_oci(struct ct_ctx *ctx, struct ct_error **err)
{
	struct lists lists = { 0 }, *l = &lists;
	cleanup_json json_t *masked = json_array();
	cleanup_json json_t *ro = json_array();
	cleanup_strbuf struct strbuf meta = STRBUF_INIT;
	int rc = 0;

	if (!masked || !ro)
		return ct_error_set(err, ENOMEM, "out of memory");
	l->ro = ro;
	rc = collect(ctx, l, err);
	for (size_t i = 0; i < l->nmasked && rc >= 0; i++) {
		const char *path = json_string_value(l->masked[i].path);

		if (json_array_append(masked, l->masked[i].path) < 0)
			rc = ct_error_set(err, ENOMEM, "out of memory");
		if (l->masked[i].form != choose_form(ctx, path))
			strbuf_printf(&meta, "%s%s=%s", meta.len ? "\n" : "", path,
				      form_names[l->masked[i].form]);
	}
	for (size_t i = 0; i < l->nmasked; i++)
		json_decref(l->masked[i].path);
	free(l->masked);
	if (rc < 0)
		return rc;
	if (meta.oom)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (json_array_size(ro) &&
	    ct_json_set(ctx->oci, "/linux/readonlyPaths", json_incref(ro), err) < 0)
		return -1;
	if (json_array_size(masked) &&
	    ct_json_set(ctx->oci, "/linux/maskedPaths", json_incref(masked), err) < 0)
		return -1;
	if (meta.len &&
	    ct_json_set(ctx->oci, "/annotations/" META_MASKED, ct_json_str(meta.s), err) < 0)
		return -1;
	return 0;
}

/* ---- OCI -> LXC ---- */

/* The form lxc2oci recorded for path, or 0. */
static enum form recorded_form(const char *meta, const char *path)
{
	size_t n = strlen(path);

	for (const char *p = meta; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (len > n && strncmp(p, path, n) == 0 && p[n] == '=') {
			for (int f = F_FILE; f <= F_BOTH; f++)
				if (len - n - 1 == strlen(form_names[f]) &&
				    strncmp(p + n + 1, form_names[f], len - n - 1) == 0)
					return (enum form)f;
		}
		p = nl ? nl + 1 : NULL;
	}
	return 0;
}

static int bad_path(struct ct_ctx *ctx, const char *list, size_t i, struct ct_error **err)
{
	char ptr[64];

	snprintf(ptr, sizeof(ptr), "/linux/%s/%zu", list, i);
	return ct_warn_oci(ctx, err, ptr,
			   "not an absolute path without blanks or \"..\": "
			   "LXC cannot express it, not translated");
}

/* Index of the last read-only path (that oci2lxc writes) covering path, or -1. */
static ssize_t last_cover(json_t *ro, const char *path)
{
	ssize_t last = -1;
	size_t i;
	json_t *v;

	json_array_foreach (ro, i, v) {
		const char *p = json_string_value(v);

		if (path_ok(p) && on_or_below(path, p))
			last = (ssize_t)i;
	}
	return last;
}

/* The exemptions due right after read-only path i (i < 0: warn about the sysctls under a
 * read-only path that get none); sysctl: linux.sysctl. */
static int exemptions(struct ct_ctx *ctx, json_t *sysctl, json_t *ro, ssize_t i,
		      struct ct_error **err)
{
	const char *key;
	json_t *v;

	json_object_foreach (sysctl, key, v) {
		cleanup_free char *ptr = NULL;
		char p[4096];
		ssize_t last;

		if (!sysctl_path(key, p, sizeof(p)) || (last = last_cover(ro, p)) < 0)
			continue;
		ptr = ct_json_ptr_join("/linux/sysctl", key);
		if (!ptr)
			return ct_error_set(err, ENOMEM, "out of memory");
		if (i >= 0 && last == i && is_namespaced(ctx->oci, key)) {
			if (lxcconf_addf(ctx->lxc, err, "lxc.mount.entry",
					 "%s %s " EXEMPT_TAG " " EXEMPT_OPTS " 0 0", p,
					 p + 1) < 0 ||
			    ct_warn_oci(
				    ctx, err, ptr,
				    "liblxc writes sysctls after the mounts: %s gets a writable "
				    "bind below the read-only %s and stays writable",
				    p, json_string_value(json_array_get(ro, (size_t)i))) < 0)
				return -1;
		} else if (i < 0 && !is_namespaced(ctx->oci, key)) {
			if (ct_warn_oci(
				    ctx, err, ptr,
				    "%s is read-only and this sysctl is not of the container's "
				    "own namespaces (runc refuses it): liblxc fails to write it and "
				    "the container does not start",
				    json_string_value(json_array_get(ro, (size_t)last))) < 0)
				return -1;
		}
	}
	return 0;
}

static int masked_to_lxc(struct ct_ctx *ctx, struct ct_error **err)
{
	json_t *ro = ct_json_get(ctx->oci, "/linux/readonlyPaths");
	json_t *masked = ct_json_get(ctx->oci, "/linux/maskedPaths");
	const char *meta = json_string_value(ct_json_get(ctx->oci, "/annotations/" META_MASKED));
	json_t *sysctl = ct_json_get(ctx->oci, "/linux/sysctl");
	const char *rm = rootfs_mount(ctx);
	size_t i;
	json_t *v;

	json_array_foreach (ro, i, v) {
		const char *p = json_string_value(v);

		if (!path_ok(p)) {
			if (bad_path(ctx, "readonlyPaths", i, err) < 0)
				return -1;
			continue;
		}
		if (ct_add_joined(ctx->lxc, err, "lxc.mount.entry", rm, p, " ", p + 1,
				  " " RO_TAG " bind,ro,optional 0 0", (char *)NULL) < 0 ||
		    exemptions(ctx, sysctl, ro, (ssize_t)i, err) < 0)
			return -1;
	}
	if (exemptions(ctx, sysctl, ro, -1, err) < 0)
		return -1;
	json_array_foreach (masked, i, v) {
		const char *p = json_string_value(v);
		enum form f;

		if (!path_ok(p)) {
			if (bad_path(ctx, "maskedPaths", i, err) < 0)
				return -1;
			continue;
		}
		f = recorded_form(meta, p);
		if (!f)
			f = choose_form(ctx, p);
		if ((f & F_FILE) &&
		    ct_add_joined(ctx->lxc, err, "lxc.mount.entry", "/dev/null ", p + 1,
				  " " MASK_TAG " bind,optional 0 0", (char *)NULL) < 0)
			return -1;
		if ((f & F_DIR) && ct_add_joined(ctx->lxc, err, "lxc.mount.entry", MASK_TAG " ",
						 p + 1, " tmpfs ro,optional 0 0", (char *)NULL) < 0)
			return -1;
	}
	return 0;
}

static const struct ct_doc_row doc[] = {
	{ "lxc.mount.entry (masked file)", "linux.maskedPaths[]",
	  "\"/dev/null PATH ctl.masked bind,optional 0 0\" (PATH without its leading '/')" },
	{ "lxc.mount.entry (masked directory)", "linux.maskedPaths[]",
	  "\"ctl.masked PATH tmpfs ro,optional 0 0\". oci2lxc picks file or directory from "
	  "runc's list (/proc/acpi, /proc/asound, /proc/scsi, /sys/firmware: directories; "
	  "/proc/kcore, /proc/keys, /proc/latency_stats, /proc/timer_list, /proc/timer_stats, "
	  "/proc/sched_debug: files), then this host's /proc and /sys, then the bundle's rootfs; "
	  "when none knows it writes both (the one that does not fit fails, optionally, with a "
	  "logged error). A form other than that choice is kept in "
	  "org.ctlaunch.meta.masked (PATH=file|dir|both). Written after the other mount "
	  "entries, as runc applies them after the mounts" },
	{ "lxc.mount.entry (read-only path)", "linux.readonlyPaths[]",
	  "\"ROOTFS_MOUNT/PATH PATH ctl.readonly bind,ro,optional 0 0\": a read-only bind of the "
	  "container's own path (liblxc resolves bind sources on the host, so the source goes "
	  "through lxc.rootfs.mount, default " CT_LXC_ROOTFS_MOUNT "; a bare /proc/sys would be "
	  "the host's). lxc.mount.auto proc:mixed makes /proc/sys and /proc/sysrq-trigger "
	  "read-only too, but only those" },
	{ "lxc.mount.entry (sysctl exemption)", "linux.readonlyPaths[], linux.sysctl",
	  "\"/proc/sys/KEY proc/sys/KEY ctl.readonly-exempt bind,rw,optional 0 0\" (KEY's dots "
	  "made slashes) right after the read-only path that covers a namespaced sysctl: liblxc "
	  "writes lxc.sysctl.* after every mount and fails on a read-only /proc/sys, runc writes "
	  "them first. Not in OCI (lxc2oci drops these entries where oci2lxc writes them). "
	  "Under liblxc those files stay writable, and are mount points of their own (warning); a "
	  "sysctl that is not namespaced gets no exemption (warning: liblxc cannot start the "
	  "container, runc refuses it)" },
	{ NULL, NULL, NULL },
};

const struct ct_family ct_family_masked = {
	.name = "masked",
	.to_oci = masked_to_oci,
	.to_lxc = masked_to_lxc,
	.doc = doc,
};
