/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared directories between the host and a container: the host side (owner, mode, default
 * ACL so that files and sockets the host creates stay usable from the container), the mount
 * point inside a possibly hostile rootfs (never through a symlink), the lxc.mount.entry. */
#ifndef CTL_SHARE_H
#define CTL_SHARE_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "strbuf.h"

/* Each change made is described, one line each, in report. */
struct share_req {
	const char *host_dir; /* absolute */
	const char *ct_dir;   /* inside the container, absolute or relative to its root */
	uid_t uid, host_uid;  /* container uid and the host uid it maps to */
	gid_t gid, host_gid;
	uid_t root_uid; /* host ids of the container's root (mount point owner) */
	gid_t root_gid;
	mode_t mode;
	bool ro;
};

/* Create (or fix) the host directory: owner host_uid:host_gid, mode | S_ISGID, and access and
 * default ACLs giving uid and gid rwx so that what the host creates there (sockets included)
 * stays usable whatever its umask. */
int share_host_dir(const struct share_req *r, struct strbuf *report, struct ct_error **err);
/* Create the mount point inside rootfs, walking component by component with O_NOFOLLOW: a
 * symlink anywhere on the way is an error, nothing outside rootfs is touched. */
int share_mount_point(const char *rootfs, const struct share_req *r, struct strbuf *report,
		      struct ct_error **err);
/* Remove the mount point if it is an empty directory (same walk). */
int share_remove_mount_point(const char *rootfs, const char *ct_dir, struct strbuf *report,
			     struct ct_error **err);
/* "HOST CT none bind,rw 0 0" (ct without its leading '/'). */
char *share_mount_entry(const struct share_req *r);
/* Whether an lxc.mount.entry value binds host_dir at ct_dir. */
bool share_entry_matches(const char *value, const char *host_dir, const char *ct_dir);

#endif
