/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The mount family, part two: the mounts LXC implies without an entry, both ways. lxc.mount.auto
 * (proc, sys, cgroup, shmounts), lxc.autodev (the /dev tmpfs, lxc.autodev.tmpfs.size) and
 * lxc.pty.max (the devpts on /dev/pts) <-> their OCI mounts. map_mount.c runs these steps in
 * its order; the shapes of the mounts are in mountopts.c. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "families.h"
#include "jsonutil.h"
#include "mountopts.h"

#define ANNOT_AUTO CT_ANNOT_META "mount-auto"
#define ANNOT_TTY_MAX CT_ANNOT_LXC "tty.max"

/* ==== LXC -> OCI ==== */

/* ---- lxc.mount.auto ---- */

int mnt_auto_read(struct ct_ctx *ctx, struct mntauto *s, char **ret_joined, struct ct_error **err)
{
	cleanup_strbuf struct strbuf sb = STRBUF_INIT;
	const struct lxc_entry *e;

	for (size_t i = 0; (e = lxcconf_next(ctx->lxc, "lxc.mount.auto", false, &i)); i++) {
		const char *bad = NULL;
		int n = mntauto_parse(s, e->value, &bad);

		if (n < 0)
			return ct_error_set(err, ENOMEM, "out of memory");
		if (n > 0) {
			int rc = ct_error_entry(err, e, "unknown file system to mount: %.*s", n,
						bad);

			return ct_error_hint(err, rc,
					     "liblxc knows proc[:mixed|:rw], sys[:ro|:mixed|"
					     ":rw], cgroup[-full][:mixed|:ro|:rw][:force], "
					     "cgroup2[:ro][:force] and shmounts:HOST[:CONT]");
		}
		if (sb.len)
			strbuf_putc(&sb, '\n');
		strbuf_puts(&sb, e->value);
		ct_use(ctx, i);
	}
	*ret_joined = sb.len ? strbuf_steal(&sb) : NULL;
	return sb.oom ? ct_error_set(err, ENOMEM, "out of memory") : 0;
}

/* ---- autodev and devpts ---- */

/* Last value of key as an unsigned number in [min, max]; *ret untouched when absent. Every
 * entry of the key is marked used when mark is true. */
static int read_uint(struct ct_ctx *ctx, const char *key, unsigned long min, unsigned long max,
		     bool mark, unsigned long *ret, struct ct_error **err)
{
	const struct lxc_entry *e, *last = NULL;
	unsigned long v;
	char *end;

	for (size_t i = 0; (e = lxcconf_next(ctx->lxc, key, false, &i)); i++) {
		if (mark)
			ct_use(ctx, i);
		last = e;
	}
	if (!last)
		return 0;
	errno = 0;
	v = strtoul(last->value, &end, 10);
	if (last->value[0] < '0' || last->value[0] > '9' || *end || errno || v < min || v > max) {
		int rc = ct_error_entry(err, last, "expected a number from %lu to %lu, got \"%s\"",
					min, max, last->value);

		return ct_error_hint(err, rc, "write a decimal number");
	}
	*ret = v;
	return 0;
}

static const struct lxc_entry *last_entry(const struct lxc_config *conf, const char *key)
{
	const struct lxc_entry *e, *last = NULL;

	for (size_t i = 0; (e = lxcconf_next(conf, key, false, &i)); i++)
		last = e;
	return last;
}

/* The mounts LXC implies, in canonical order. */
int mnt_add_implied(struct ct_ctx *ctx, const struct mntauto *s, bool force, struct mntlist *l,
		    struct ct_error **err)
{
	unsigned long autodev = 1, size = 0, pty = 0, tty = 0;
	int rc;

	rc = read_uint(ctx, "lxc.autodev", 0, 1, true, &autodev, err);
	if (rc < 0)
		return rc;
	/* The size only matters with autodev: otherwise it travels as an annotation. */
	rc = read_uint(ctx, "lxc.autodev.tmpfs.size", 1, INT_MAX, autodev, &size, err);
	if (rc < 0)
		return rc;
	rc = read_uint(ctx, "lxc.pty.max", 0, MNT_PTY_MAX_KERNEL, true, &pty, err);
	if (rc < 0)
		return rc;
	/* lxc.tty.max belongs to another family; an unusable value only leaves max= alone. */
	(void)read_uint(ctx, "lxc.tty.max", 0, MNT_PTY_MAX_KERNEL, false, &tty, NULL);
	if (pty && pty + tty > MNT_PTY_MAX_KERNEL) {
		rc = ct_error_entry(err, last_entry(ctx->lxc, "lxc.pty.max"),
				    "with lxc.tty.max, "
				    "%lu terminals: more than the kernel's devpts limit %d",
				    pty + tty, MNT_PTY_MAX_KERNEL);
		return ct_error_hint(err, rc, "lower lxc.pty.max");
	}
	/* Canonical order: /proc, /dev, /dev/pts, /sys, /sys/fs/cgroup, then shmounts. A skipped
	 * cgroup mount is not built at all. */
	bool cgroup = s->tok[MNTAUTO_CGROUP] &&
		      !mntauto_cgroup_skipped(s->tok[MNTAUTO_CGROUP], force);
	json_t *implied[] = {
		s->tok[MNTAUTO_PROC] ? mntauto_mount(s, MNTAUTO_PROC) : NULL,
		autodev ? mnt_dev_mount(size) : NULL,
		pty ? mnt_devpts_mount(pty + tty) : NULL,
		s->tok[MNTAUTO_SYS] ? mntauto_mount(s, MNTAUTO_SYS) : NULL,
		cgroup ? mntauto_mount(s, MNTAUTO_CGROUP) : NULL,
		s->tok[MNTAUTO_SHMOUNTS] ? mntauto_mount(s, MNTAUTO_SHMOUNTS) : NULL,
	};
	bool want[] = {
		s->tok[MNTAUTO_PROC], autodev, pty,
		s->tok[MNTAUTO_SYS],  cgroup,  s->tok[MNTAUTO_SHMOUNTS],
	};

	for (size_t k = 0; k < CT_ARRAY_SIZE(implied); k++) {
		if (!want[k])
			continue;
		rc = mntlist_place_implied(l, steal_pointer(&implied[k]), err);
		if (rc < 0)
			goto out;
	}
	if (s->tok[MNTAUTO_SHMOUNTS])
		rc = ct_warn_entry(ctx, err, last_entry(ctx->lxc, "lxc.mount.auto"),
				   "shmounts:%s "
				   "becomes a bind mount of %s; the shared tmpfs liblxc mounts "
				   "there on the host is not set up by an OCI runtime",
				   s->sh_host, s->sh_host);
out:
	for (size_t k = 0; k < CT_ARRAY_SIZE(implied); k++)
		json_decref(implied[k]);
	return rc < 0 ? rc : 0;
}

bool mnt_auto_canonical(const struct mntauto *s, bool force, const char *joined)
{
	const struct mntauto_token *t = s->tok[MNTAUTO_CGROUP];

	return joined && t && !mntauto_cgroup_skipped(t, force) &&
	       strcmp(joined, mntauto_cgroup_canonical(t->ro, force)) == 0;
}

/* ==== OCI -> LXC ==== */

/* Write the recorded lxc.mount.auto lines without the tokens whose mount is gone, and with
 * :force on the cgroup tokens when force is set. */
static int auto_write(struct ct_ctx *ctx, const char *recorded, const bool *gone, bool force,
		      struct ct_error **err)
{
	cleanup_free char *copy = strdup(recorded);
	char *save = NULL;

	if (!copy)
		return ct_error_set(err, ENOMEM, "out of memory");
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		cleanup_strbuf struct strbuf sb = STRBUF_INIT;
		bool changed = mntauto_rewrite(line, gone, force, &sb);
		int rc;

		if (sb.oom)
			return ct_error_set(err, ENOMEM, "out of memory");
		if (changed && !sb.len)
			continue;
		rc = lxcconf_add(ctx->lxc, "lxc.mount.auto", changed ? sb.s : line, NULL, 0, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* lxc.mount.auto: as recorded by lxc2oci, or cgroup:ro / cgroup:mixed for the cgroup mount
 * of a native OCI config (LXC cannot mount a hybrid cgroup tree with an entry), with :force
 * where liblxc would otherwise leave it out (cgroup namespace, CAP_SYS_ADMIN kept). A recorded
 * cgroup token that liblxc leaves out stays without a mount; given one, it gets :force. */
int mnt_lxc_auto(struct ct_ctx *ctx, struct oci_mounts *om, struct ct_error **err)
{
	const char *recorded = mnt_annotation(om, ANNOT_AUTO);
	struct mntauto s = { 0 };
	bool gone[MNTAUTO_NKINDS] = { false }, force = false;
	const char *bad = NULL;
	ssize_t i;
	int rc;

	if (recorded) {
		rc = mntauto_parse(&s, recorded, &bad);
		if (rc < 0) {
			mntauto_release(&s);
			return ct_error_set(err, ENOMEM, "out of memory");
		}
		if (rc > 0) {
			mntauto_release(&s);
			rc = ct_warn_oci(ctx, err, "/annotations/" ANNOT_AUTO,
					 "unknown lxc.mount.auto "
					 "token %.*s: annotation ignored",
					 rc, bad);
			if (rc < 0)
				return rc;
			recorded = NULL;
		}
	}
	if (recorded) {
		bool cgroup_force = s.tok[MNTAUTO_CGROUP] && mntauto_cgroup_needs_force(ctx->oci);

		for (int k = 0; k < MNTAUTO_NKINDS; k++) {
			bool skipped = mntauto_cgroup_skipped(s.tok[k], cgroup_force);

			if (!s.tok[k])
				continue;
			gone[k] = !skipped;
			for (size_t j = 0; j < om->n; j++)
				if (!om->m[j].skip && mntauto_matches(&s, k, &om->m[j].v)) {
					om->m[j].skip = true;
					gone[k] = false;
					force = skipped;
					break;
				}
		}
		mntauto_release(&s);
		return auto_write(ctx, recorded, gone, force, err);
	}
	i = mnt_find(om, "/sys/fs/cgroup", "cgroup");
	if (i < 0)
		return 0;
	om->m[i].skip = true;
	return lxcconf_add(ctx->lxc, "lxc.mount.auto",
			   mntauto_cgroup_canonical(mnt_has_option(om->m[i].v.options, "ro"),
						    mntauto_cgroup_needs_force(ctx->oci)),
			   NULL, 0, err);
}

/* A tmpfs on /dev is LXC's autodev (on by default); its size= becomes lxc.autodev.tmpfs.size
 * unless it is runc's 65536k. Any other option difference travels as a carry line. */
int mnt_lxc_autodev(struct ct_ctx *ctx, struct oci_mounts *om, struct ct_error **err)
{
	ssize_t i = mnt_find(om, "/dev", "tmpfs");
	const char *size = NULL;
	unsigned long long bytes;
	size_t j;
	json_t *o;

	if (i < 0)
		return lxcconf_add(ctx->lxc, "lxc.autodev", "0", NULL, 0, err);
	om->m[i].skip = true;
	json_array_foreach (om->m[i].v.options, j, o)
		if (json_is_string(o) && strncmp(json_string_value(o), "size=", 5) == 0)
			size = json_string_value(o) + 5;
	if (!size || strcmp(size, MNT_DEV_SIZE_DEFAULT) == 0)
		return 0;
	bytes = mntopt_size_bytes(size);
	if (!bytes || bytes > INT_MAX) /* not expressible: the carry line keeps it */
		return 0;
	if (strspn(size, "0123456789") == strlen(size))
		return lxcconf_add(ctx->lxc, "lxc.autodev.tmpfs.size", size, NULL, 0, err);
	return lxcconf_addf(ctx->lxc, err, "lxc.autodev.tmpfs.size", "%llu", bytes);
}

/* A devpts on /dev/pts is the instance liblxc mounts for lxc.pty.max (liblxc mounts none
 * without it, not even from an entry): max = lxc.pty.max + lxc.tty.max, no usable max= option
 * meaning the kernel's limit. Options other than runc's (rootless runc spec has no gid=5)
 * travel as carry lines. */
int mnt_lxc_devpts(struct ct_ctx *ctx, struct oci_mounts *om, struct ct_error **err)
{
	ssize_t i = mnt_find(om, "/dev/pts", "devpts");
	const char *tty_s = mnt_annotation(om, ANNOT_TTY_MAX);
	unsigned long max = MNT_PTY_MAX_KERNEL, tty = tty_s ? strtoul(tty_s, NULL, 10) : 0;
	char num[24];
	size_t k;
	json_t *o;

	if (i < 0 || tty >= MNT_PTY_MAX_KERNEL)
		return 0;
	json_array_foreach (om->m[i].v.options, k, o) {
		const char *s = json_string_value(o);
		unsigned long v;
		char *end;

		if (!s || strncmp(s, "max=", 4) != 0 || s[4] < '1' || s[4] > '9')
			continue;
		errno = 0;
		v = strtoul(s + 4, &end, 10);
		if (!*end && !errno && v < MNT_PTY_MAX_KERNEL && v > tty)
			max = v;
	}
	om->m[i].skip = true;
	ct_join_index(num, sizeof(num), "", max - tty); /* no printf on every translation */
	return lxcconf_add(ctx->lxc, "lxc.pty.max", num, NULL, 0, err);
}
