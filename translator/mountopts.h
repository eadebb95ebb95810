/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fstab lines (lxc.mount.entry values, lines of an lxc.mount.fstab file) and the OCI mount
 * objects they correspond to. */
#ifndef CT_MOUNTOPTS_H
#define CT_MOUNTOPTS_H

#include <jansson.h>
#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "strbuf.h"

/* Bounds on what the input controls. */
#define MNTLINE_MAX_OPTIONS 256
#define MNTLINE_MAX_FSTAB_LINES 10000

/* One parsed fstab line. Fields are decoded (\040 -> space, ...) into small (or heap, for a
 * long line): one line, at most one allocation. */
struct mntline {
	char *source;
	char *dest;
	char *type;
	char *options; /* comma separated, as written */
	char *dump;    /* NULL when absent */
	char *pass;    /* NULL when absent */
	/* Written exactly as oci2lxc writes an entry: one space between the fields and no other
	 * blank, no escape, ASCII, six fields ending in "0 0" (then only the destination and the
	 * options can still differ from what mntview_write() gives). */
	bool plain;
	char *heap;
	char small[240];
};

/* Where a line came from, for located errors: "lxc.mount.entry" at FILE:LINE. */
struct mntline_where {
	const char *key;
	const char *file;
	unsigned line;
};

/* Parse one line the way getmntent(3) (and so liblxc) reads it, but strictly: 4 to 6 blank
 * separated fields, dump and pass numeric, only the escapes getmntent decodes. */
int mntline_parse(const char *text, const struct mntline_where *where, struct mntline *ret,
		  struct ct_error **err);
void mntline_release(struct mntline *m);

/* True for options only liblxc understands (create=dir, create=file, optional, relative,
 * idmap=...): runc hands unknown options to mount(2), which rejects them (measured: EINVAL
 * for tmpfs), so they never go into OCI options. */
bool mntopt_is_lxc_only(const char *opt);

/* True when the options of m hold opt, or an option starting with opt when opt ends in '='. */
bool mntline_has_option(const struct mntline *m, const char *opt);

/* The members of an OCI mount an lxc.mount.entry is written from (absent or not a string:
 * NULL). Borrowed from where they were read. */
struct mntview {
	const char *source, *dest, *type;
	const json_t *options;
};

/* Read them from an OCI mount, in one walk over its members. */
void mntview_of(const json_t *mount, struct mntview *ret);

/* What mntline_to_oci() found out besides the mount. */
struct mntline_oci {
	struct mntview view; /* the mount's members, borrowed from the line, and the mount */
	bool lossy;	     /* an option with no OCI equivalent (relative, idmap=) */
	/* "create=dir" or "create=file" when the options are kept options followed by that one,
	 * the only liblxc one: the shape mntview_write() gives them. NULL otherwise. */
	const char *create;
};

/* The OCI mount for a parsed line, with the destination given (absolute); NULL when out of
 * memory (or a field is not UTF-8). *ret_info is optional. */
json_t *mntline_to_oci(const struct mntline *m, const char *abs_dest, struct mntline_oci *ret_info);

/* The lxc.mount.entry value for an OCI mount: "source dest type options 0 0", destination
 * relative to the rootfs, absent source/type written as "none", and create=dir (create=file
 * for a bind of a source under sysroot that is not a directory) appended to the options, since
 * OCI runtimes create mount points and liblxc does not (measured: "Failed to mount ... No such
 * file or directory"). Returns NULL when out of memory. */
char *mntline_from_oci(const json_t *mount, const char *sysroot);
/* The same for the members of a mount, appended to out. */
void mntview_write(const struct mntview *v, const char *sysroot, struct strbuf *out);
/* Whether mntview_write() gives exactly text, found without building the line (and without the
 * stat(2) of the create= option when the text differs before it). */
bool mntview_gives(const struct mntview *v, const char *sysroot, const char *text);
/* The same for the mount mntline_to_oci() made of line m, parsed from text: a plain line is
 * checked from what the parse and the options' pass found, without a comparison. */
bool mntline_gives_back(const struct mntline *m, const struct mntline_oci *info,
			const char *sysroot, const char *text);

/* ---- lxc.mount.auto ---- */

enum mntauto_kind { MNTAUTO_PROC, MNTAUTO_SYS, MNTAUTO_CGROUP, MNTAUTO_SHMOUNTS, MNTAUTO_NKINDS };

/* One token liblxc 5 accepts; ro: the OCI mount gets "ro"; v2: a cgroup2 mount. */
struct mntauto_token {
	const char *token;
	enum mntauto_kind kind;
	bool ro, v2;
};

/* What the lxc.mount.auto lines add up to: per kind the last token wins, as in liblxc. */
struct mntauto {
	const struct mntauto_token *tok[MNTAUTO_NKINDS];
	char *sh_host, *sh_cont; /* shmounts:HOST[:CONT] */
};

void mntauto_release(struct mntauto *s);
/* The token [tok, tok + n), or NULL when liblxc does not know it. */
const struct mntauto_token *mntauto_lookup(const char *tok, size_t n);
/* Add the tokens of one lxc.mount.auto value (several may be joined by '\n') to s. Returns the
 * bad token's length (> 0) with *ret_bad set when a token is unknown, < 0 when out of memory. */
int mntauto_parse(struct mntauto *s, const char *value, const char **ret_bad);
/* The OCI mount kind k of s stands for, and whether an OCI mount is it. */
json_t *mntauto_mount(const struct mntauto *s, enum mntauto_kind k);
bool mntauto_matches(const struct mntauto *s, enum mntauto_kind k, const struct mntview *m);
/* liblxc 5.0.2 (cgfsng_mount) leaves a cgroup auto mount to the container's init when the
 * container clones a cgroup namespace and keeps CAP_SYS_ADMIN, unless the token has :force or
 * the host has only the unified hierarchy. True when that is so for the OCI document oci
 * (linux.namespaces, process.capabilities.bounding; lxc2oci reads the ones it has built). */
bool mntauto_cgroup_needs_force(const json_t *oci);
/* Token t (a cgroup token) mounts nothing, needs_force being mntauto_cgroup_needs_force() of
 * the document (asked once by the caller: it looks through two arrays and statfs(2)s). */
bool mntauto_cgroup_skipped(const struct mntauto_token *t, bool needs_force);
/* The token oci2lxc writes for a cgroup mount: cgroup:ro (ro) or cgroup:mixed, with :force
 * when mntauto_cgroup_needs_force(). */
const char *mntauto_cgroup_canonical(bool ro, bool needs_force);
/* One lxc.mount.auto line without the tokens of the kinds gone[] marks, and with :force on
 * its cgroup tokens when force is set, into out (blanks made single). Returns whether that
 * differs from line; a line that loses every token comes out empty. */
bool mntauto_rewrite(const char *line, const bool *gone, bool force, struct strbuf *out);

/* ---- autodev and devpts ---- */

#define MNT_PTY_MAX_KERNEL 1048576    /* NR_UNIX98_PTY_MAX: devpts without max= */
#define MNT_DEV_SIZE_DEFAULT "65536k" /* runc spec's /dev */
#define MNT_NDEVPTS_OPTIONS 6
/* runc spec's /dev/pts options, in its order. */
extern const char *const mnt_devpts_options[MNT_NDEVPTS_OPTIONS];

/* The autodev /dev tmpfs (size 0: runc's 65536k) and the devpts for max terminals. */
json_t *mnt_dev_mount(unsigned long size);
json_t *mnt_devpts_mount(unsigned long max);
/* A tmpfs size= value in bytes ("123", "64k", "2m", "1g"), 0 when not expressible. */
unsigned long long mntopt_size_bytes(const char *v);
/* Options runc knows and liblxc does not (liblxc would hand them to mount(2) as data). */
bool mntopt_is_runtime_only(const char *opt);

/* ---- the OCI mount list lxc2oci builds ---- */

struct mnt {
	json_t *m;
	const char *dest; /* m's destination (borrowed from m) */
	char *orig;	  /* the entry's value when mntline_from_oci() does not give it back */
	int rank;     /* of the destination in runc spec's list (-1: not in it), found on insert */
	bool implied; /* by lxc.mount.auto, autodev or lxc.pty.max */
	bool fstab;   /* a line of the lxc.mount.fstab file */
};

struct mntlist {
	struct mnt *v;
	size_t n, cap;
};

void mntlist_release(struct mntlist *l);
/* Insert at position at; steals m and orig, also on failure (a NULL m is out of memory). dest:
 * m's destination string (borrowed from m), or NULL to look it up. */
int mntlist_insert(struct mntlist *l, size_t at, json_t *m, const char *dest, char *orig,
		   bool implied, bool fstab, struct ct_error **err);
/* Place a mount LXC implies. runc spec's list is /proc, /dev, /dev/pts, /dev/shm, /dev/mqueue,
 * /sys, /sys/fs/cgroup. The entries keep their order; each implied mount, placed in canonical
 * order, goes right after the last mount whose destination comes before its own in that list
 * (at the start when there is none), but always before an entry mounted on or below it (liblxc
 * mounts it first); one outside the list (shmounts) goes last. So `runc spec` (whose /proc,
 * /dev/shm, /dev/mqueue and /sys come back as entries) and a list that starts with bind mounts
 * (the OCDM example) get their order back. */
int mntlist_place_implied(struct mntlist *l, json_t *m, struct ct_error **err);

/* ---- between the family's two files: map_mount.c (entries, fstab) and map_mount_implied.c
 * (lxc.mount.auto, autodev, lxc.pty.max) ---- */

struct ct_ctx;

/* lxc2oci: read every lxc.mount.auto entry into s, their values joined by "\n" into
 * *ret_joined (NULL without any). */
int mnt_auto_read(struct ct_ctx *ctx, struct mntauto *s, char **ret_joined, struct ct_error **err);
/* lxc2oci: place the mounts LXC implies (lxc.mount.auto s, autodev, devpts) in l. */
int mnt_add_implied(struct ct_ctx *ctx, const struct mntauto *s, bool force, struct mntlist *l,
		    struct ct_error **err);
/* lxc2oci: without the annotation, oci2lxc writes mntauto_cgroup_canonical() for the cgroup
 * mount: true when that gives back joined exactly. */
bool mnt_auto_canonical(const struct mntauto *s, bool force, const char *joined);

/* oci2lxc: the /mounts of the document, each one's members read once. */
struct oci_mount {
	struct mntview v;
	bool skip; /* written as something other than an lxc.mount.entry */
};

struct oci_mounts {
	json_t *v; /* the /mounts array (borrowed) */
	size_t n;
	struct oci_mount *m;
	const json_t *annots; /* /annotations (borrowed), NULL when absent */
};

/* The annotation key as a string, or NULL. */
const char *mnt_annotation(const struct oci_mounts *om, const char *key);
/* First mount not yet taken with this destination and type, or -1. */
ssize_t mnt_find(const struct oci_mounts *om, const char *dest, const char *type);
/* Whether the options array (or NULL) holds the string opt. */
bool mnt_has_option(const json_t *opts, const char *opt);
/* oci2lxc: lxc.mount.auto, lxc.autodev(.tmpfs.size) and lxc.pty.max from the mounts they stand
 * for, each marked taken. */
int mnt_lxc_auto(struct ct_ctx *ctx, struct oci_mounts *om, struct ct_error **err);
int mnt_lxc_autodev(struct ct_ctx *ctx, struct oci_mounts *om, struct ct_error **err);
int mnt_lxc_devpts(struct ct_ctx *ctx, struct oci_mounts *om, struct ct_error **err);

#endif
