/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "fileio.h"

int ct_read_file(const char *path, size_t max, char **ret_buf, size_t *ret_len,
		 struct ct_error **err)
{
	cleanup_close int fd = -1;
	bool is_stdin = strcmp(path, "-") == 0;
	struct stat st;

	if (is_stdin) {
		fd = dup(STDIN_FILENO);
	} else {
		/* O_NONBLOCK: opening a FIFO named by a hostile include must not hang. */
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	}
	if (fd < 0)
		return ct_error_set(err, errno, "%s: cannot open: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0)
		return ct_error_set(err, errno, "%s: cannot stat: %s", path, strerror(errno));
	return ct_read_fd(fd, path, &st, max, ret_buf, ret_len, err);
}

/* The first buffer: the size of a regular file and room to see its end, so that a config is
 * read with one small allocation; 8 KiB when the size is unknown. Never past max + 2. */
static size_t first_size(const struct stat *st, size_t max)
{
	size_t want = 8192;

	if (S_ISREG(st->st_mode) && st->st_size > 0 && (unsigned long long)st->st_size <= max)
		want = (size_t)st->st_size + 2;
	return want < max + 2 ? want : max + 2;
}

int ct_read_fd(int fd, const char *path, const struct stat *st, size_t max, char **ret_buf,
	       size_t *ret_len, struct ct_error **err)
{
	cleanup_free char *buf = NULL;
	size_t len = 0, cap = first_size(st, max);
	bool is_stdin = strcmp(path, "-") == 0;

	if (S_ISDIR(st->st_mode))
		return ct_error_set(err, EISDIR, "%s: is a directory", path);
	/* Only regular files (and whatever stdin is): never a device, FIFO or socket. */
	if (!is_stdin && !S_ISREG(st->st_mode))
		return ct_error_set(err, EINVAL, "%s: not a regular file", path);
	buf = malloc(cap);
	if (!buf)
		return ct_error_set(err, ENOMEM, "%s: out of memory", path);
	for (;;) {
		ssize_t n;

		/* Full: grow, up to max + 1 bytes read (one more than accepted). */
		if (len + 1 >= cap) {
			size_t ncap = cap * 2 < max + 2 ? cap * 2 : max + 2;
			char *nb = realloc(buf, ncap);

			if (!nb)
				return ct_error_set(err, ENOMEM, "%s: out of memory", path);
			buf = nb;
			cap = ncap;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return ct_error_set(err, errno, "%s: read failed: %s", path,
					    strerror(errno));
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > max)
			return ct_error_set(err, EFBIG, "%s: larger than the %zu bytes accepted",
					    path, max);
	}
	buf[len] = '\0';
	*ret_buf = steal_pointer(&buf);
	if (ret_len)
		*ret_len = len;
	return 0;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Write to something that is not a regular file (a device such as /dev/null, a FIFO): in place,
 * without O_CREAT, and without blocking on a FIFO nobody reads. Renaming over it would replace
 * the node itself. */
static int write_in_place(const char *path, const char *buf, size_t len, struct ct_error **err)
{
	cleanup_close int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	int rc;

	if (fd < 0)
		return ct_error_set(err, errno, "%s: cannot open for writing: %s", path,
				    strerror(errno));
	rc = write_all(fd, buf, len);
	if (rc < 0)
		return ct_error_set(err, -rc, "%s: cannot write: %s", path, strerror(-rc));
	return 0;
}

static int replace_file(const char *path, const char *buf, size_t len, unsigned mode, bool durable,
			struct ct_error **err)
{
	cleanup_free char *tmp = NULL;
	cleanup_free char *real = NULL;
	cleanup_close int fd = -1;
	struct stat st;
	int rc;

	if (strcmp(path, "-") == 0) {
		rc = write_all(STDOUT_FILENO, buf, len);
		if (rc < 0)
			return ct_error_set(err, -rc, "writing to standard output: %s",
					    strerror(-rc));
		return 0;
	}
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return ct_error_set(err, EISDIR, "%s: is a directory", path);
		if (!S_ISREG(st.st_mode))
			return write_in_place(path, buf, len, err);
		/* Replace what a symlink points to, not the link. */
		real = realpath(path, NULL);
		if (!real)
			return ct_error_set(err, errno, "%s: %s", path, strerror(errno));
		path = real;
	}
	if (asprintf(&tmp, "%s.XXXXXX", path) < 0)
		return ct_error_set(err, ENOMEM, "out of memory");
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return ct_error_set(err, errno, "%s: cannot create a temporary file: %s", path,
				    strerror(errno));
	rc = write_all(fd, buf, len);
	if (rc == 0 && fchmod(fd, mode) < 0)
		rc = -errno;
	if (rc == 0 && durable && fsync(fd) < 0 && errno != EINVAL)
		rc = -errno;
	if (rc == 0 && close(steal_fd(&fd)) < 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) < 0)
		rc = -errno;
	if (rc < 0) {
		unlink(tmp);
		return ct_error_set(err, -rc, "%s: cannot write: %s", path, strerror(-rc));
	}
	return 0;
}

int ct_write_file_atomic(const char *path, const char *buf, size_t len, unsigned mode,
			 struct ct_error **err)
{
	return replace_file(path, buf, len, mode, true, err);
}

int ct_write_file_volatile(const char *path, const char *buf, size_t len, unsigned mode,
			   struct ct_error **err)
{
	return replace_file(path, buf, len, mode, false, err);
}
