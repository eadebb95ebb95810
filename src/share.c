/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared directories: host side, mount point in the rootfs, mount entry. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "cleanup.h"
#include "share.h"

#define SHARE_MAX_COMPONENTS 64

/* POSIX ACL xattr format (linux/posix_acl_xattr.h). */
enum {
	ACL_USER_OBJ = 1,
	ACL_USER = 2,
	ACL_GROUP_OBJ = 4,
	ACL_GROUP = 8,
	ACL_MASK = 16,
	ACL_OTHER = 32
};
struct acl_entry {
	uint16_t tag, perm;
	uint32_t id;
};
struct acl_xattr {
	uint32_t version;
	struct acl_entry e[6];
};

static void make_acl(struct acl_xattr *a, const struct share_req *r)
{
	unsigned own = (r->mode >> 6) & 7, grp = (r->mode >> 3) & 7, oth = r->mode & 7;

	*a = (struct acl_xattr){ 2,
				 { { ACL_USER_OBJ, (uint16_t)own, UINT32_MAX },
				   { ACL_USER, 7, (uint32_t)r->host_uid },
				   { ACL_GROUP_OBJ, (uint16_t)grp, UINT32_MAX },
				   { ACL_GROUP, 7, (uint32_t)r->host_gid },
				   { ACL_MASK, 7, UINT32_MAX },
				   { ACL_OTHER, (uint16_t)oth, UINT32_MAX } } };
}

static bool acl_same(int fd, const char *name, const struct acl_xattr *want)
{
	struct acl_xattr have;

	return fgetxattr(fd, name, &have, sizeof(have)) == (ssize_t)sizeof(have) &&
	       memcmp(&have, want, sizeof(have)) == 0;
}

static int mkdir_p(const char *path, mode_t mode, struct strbuf *report)
{
	cleanup_free char *p = strdup(path);

	if (!p)
		return -ENOMEM;
	for (char *s = p + 1;; s++) {
		if (*s == '/' || !*s) {
			char c = *s;

			*s = '\0';
			if (mkdir(p, c ? 0755 : mode) == 0)
				strbuf_printf(report, "created the host directory %s\n", p);
			else if (errno != EEXIST)
				return -errno;
			if (!c)
				return 0;
			*s = c;
		}
	}
}

/* unix_bind(2) applies the creator's umask even under a default ACL: a socket the host made
 * with umask 022 is not writable by the group, so the container user cannot connect. Fix the
 * sockets present now (group gid, group rw). */
static int fix_sockets(int dfd, const struct share_req *r, struct strbuf *report,
		       struct ct_error **err)
{
	cleanup_closedir DIR *d = NULL;
	int fd = dup(dfd);
	struct dirent *de;

	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return ct_error_set(err, errno, "reading %s: %s", r->host_dir, strerror(errno));
	}
	while ((de = readdir(d))) {
		struct stat st;
		char proc[64];
		cleanup_close int sfd = -1;

		if (de->d_type != DT_SOCK && de->d_type != DT_UNKNOWN)
			continue;
		sfd = openat(dfd, de->d_name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (sfd < 0 || fstat(sfd, &st) < 0 || !S_ISSOCK(st.st_mode))
			continue;
		if (st.st_gid == r->host_gid && (st.st_mode & 060) == 060)
			continue;
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", sfd);
		if (fchownat(sfd, "", st.st_uid, r->host_gid, AT_EMPTY_PATH) < 0 ||
		    chmod(proc, (st.st_mode & 07777) | 060) < 0)
			return ct_error_set(err, errno, "fixing the socket %s/%s: %s", r->host_dir,
					    de->d_name, strerror(errno));
		strbuf_printf(report,
			      "%s/%s: socket made group %u rw (its creator's umask "
			      "left it unusable from the container)\n",
			      r->host_dir, de->d_name, (unsigned)r->host_gid);
	}
	return 0;
}

int share_host_dir(const struct share_req *r, struct strbuf *report, struct ct_error **err)
{
	mode_t want = (r->mode & 07777) | S_ISGID;
	cleanup_close int fd = -1;
	struct acl_xattr acl;
	struct stat st;
	int rc = mkdir_p(r->host_dir, 0755, report);

	if (rc < 0)
		return ct_error_set(err, -rc, "creating %s: %s", r->host_dir, strerror(-rc));
	fd = open(r->host_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0)
		return ct_error_set(err, errno, "opening %s: %s", r->host_dir, strerror(errno));
	if (st.st_uid != r->host_uid || st.st_gid != r->host_gid) {
		if (fchown(fd, r->host_uid, r->host_gid) < 0)
			return ct_error_set(err, errno, "chown %s: %s", r->host_dir,
					    strerror(errno));
		strbuf_printf(report, "%s: owner %u:%u (was %u:%u)\n", r->host_dir,
			      (unsigned)r->host_uid, (unsigned)r->host_gid, (unsigned)st.st_uid,
			      (unsigned)st.st_gid);
	}
	make_acl(&acl, r);
	if ((st.st_mode & 07777) != want || !acl_same(fd, "system.posix_acl_access", &acl)) {
		if (fchmod(fd, want) < 0)
			return ct_error_set(err, errno, "chmod %s: %s", r->host_dir,
					    strerror(errno));
		if (fsetxattr(fd, "system.posix_acl_access", &acl, sizeof(acl), 0) < 0)
			return ct_error_set(err, errno, "setting the ACL of %s: %s", r->host_dir,
					    strerror(errno));
		strbuf_printf(report, "%s: mode %04o, ACL rwx for uid %u and gid %u\n", r->host_dir,
			      (unsigned)want, (unsigned)r->host_uid, (unsigned)r->host_gid);
	}
	if (!acl_same(fd, "system.posix_acl_default", &acl)) {
		if (fsetxattr(fd, "system.posix_acl_default", &acl, sizeof(acl), 0) < 0)
			return ct_error_hint(err,
					     ct_error_set(err, errno,
							  "setting the default ACL of %s: %s",
							  r->host_dir, strerror(errno)),
					     "the file system needs POSIX ACLs; otherwise the host "
					     "must create sockets there with mode 0777");
		strbuf_printf(report,
			      "%s: default ACL: files created there stay rw for uid %u and gid "
			      "%u; sockets get the creator's umask: create them with umask 002\n",
			      r->host_dir, (unsigned)r->host_uid, (unsigned)r->host_gid);
	}
	return fix_sockets(fd, r, report, err);
}

/* Split ct_dir into components; rejects "..", empty paths and too many components. */
static int components(const char *ct_dir, char **ret_copy, char **v, size_t *n,
		      struct ct_error **err)
{
	char *save = NULL, *c;

	*n = 0;
	*ret_copy = strdup(ct_dir);
	if (!*ret_copy)
		return ct_error_set(err, ENOMEM, "out of memory");
	for (c = strtok_r(*ret_copy, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (strcmp(c, ".") == 0)
			continue;
		if (strcmp(c, "..") == 0)
			return ct_error_set(err, EINVAL, "container path %s: \"..\" is not allowed",
					    ct_dir);
		if (*n == SHARE_MAX_COMPONENTS)
			return ct_error_set(err, EINVAL, "container path %s: too deep", ct_dir);
		v[(*n)++] = c;
	}
	if (!*n)
		return ct_error_set(err, EINVAL, "container path %s: the container's root itself",
				    ct_dir);
	return 0;
}

/* Open component c below dfd as a directory, never through a symlink; create it when asked. */
static int walk_one(int dfd, const char *c, bool create, uid_t uid, gid_t gid, const char *rootfs,
		    struct strbuf *report, struct ct_error **err)
{
	int fd = openat(dfd, c, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0 && errno == ENOENT && create) {
		if (mkdirat(dfd, c, 0755) < 0 && errno != EEXIST)
			return ct_error_set(err, errno, "creating %s in the rootfs %s: %s", c,
					    rootfs, strerror(errno));
		fd = openat(dfd, c, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd >= 0) {
			if (fchown(fd, uid, gid) < 0) {
				close(fd);
				return ct_error_set(err, errno, "chown %s in the rootfs %s: %s", c,
						    rootfs, strerror(errno));
			}
			strbuf_printf(report, "created the mount point component %s in %s\n", c,
				      rootfs);
		}
	}
	if (fd < 0 && (errno == ELOOP || errno == ENOTDIR))
		return ct_error_hint(
			err,
			ct_error_set(err, errno,
				     "refusing to use %s in the rootfs %s: a symlink or "
				     "not a directory",
				     c, rootfs),
			"a rootfs may point paths anywhere on the host; make it a real "
			"directory");
	if (fd < 0)
		return ct_error_set(err, errno, "opening %s in the rootfs %s: %s", c, rootfs,
				    strerror(errno));
	return fd;
}

int share_mount_point(const char *rootfs, const struct share_req *r, struct strbuf *report,
		      struct ct_error **err)
{
	cleanup_free char *copy = NULL;
	cleanup_close int fd = open(rootfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	char *v[SHARE_MAX_COMPONENTS];
	size_t n;

	if (fd < 0)
		return ct_error_set(err, errno, "opening the rootfs %s: %s", rootfs,
				    strerror(errno));
	if (components(r->ct_dir, &copy, v, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int next = walk_one(fd, v[i], true, r->root_uid, r->root_gid, rootfs, report, err);

		if (next < 0)
			return -1;
		close(fd);
		fd = next;
	}
	return 0;
}

int share_remove_mount_point(const char *rootfs, const char *ct_dir, struct strbuf *report,
			     struct ct_error **err)
{
	cleanup_free char *copy = NULL;
	cleanup_close int fd = open(rootfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	char *v[SHARE_MAX_COMPONENTS];
	size_t n;

	if (fd < 0)
		return ct_error_set(err, errno, "opening the rootfs %s: %s", rootfs,
				    strerror(errno));
	if (components(ct_dir, &copy, v, &n, err) < 0)
		return -1;
	for (size_t i = 0; i + 1 < n; i++) {
		int next = walk_one(fd, v[i], false, 0, 0, rootfs, report, err);

		if (next < 0)
			return errno == ENOENT ? 0 : -1;
		close(fd);
		fd = next;
	}
	if (unlinkat(fd, v[n - 1], AT_REMOVEDIR) == 0)
		strbuf_printf(report, "removed the empty mount point %s from %s\n", ct_dir, rootfs);
	else if (errno != ENOENT && errno != ENOTEMPTY && errno != EEXIST)
		strbuf_printf(report, "kept the mount point %s in %s: %s\n", ct_dir, rootfs,
			      strerror(errno));
	return 0;
}

char *share_mount_entry(const struct share_req *r)
{
	const char *ct = r->ct_dir;
	char *s;

	while (*ct == '/')
		ct++;
	if (asprintf(&s, "%s %s none bind,%s 0 0", r->host_dir, ct, r->ro ? "ro" : "rw") < 0)
		return NULL;
	return s;
}

static bool same_path(const char *a, size_t na, const char *b)
{
	while (na && *a == '/') {
		a++;
		na--;
	}
	while (*b == '/')
		b++;
	while (na && a[na - 1] == '/')
		na--;
	size_t nb = strlen(b);
	while (nb && b[nb - 1] == '/')
		nb--;
	return na == nb && strncmp(a, b, na) == 0;
}

bool share_entry_matches(const char *value, const char *host_dir, const char *ct_dir)
{
	size_t n1 = strcspn(value, " \t");
	const char *f2 = value + n1 + strspn(value + n1, " \t");
	size_t n2 = strcspn(f2, " \t");

	return n1 == strlen(host_dir) && strncmp(value, host_dir, n1) == 0 &&
	       same_path(f2, n2, ct_dir);
}
