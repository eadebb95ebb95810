/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Bounded reads and atomic writes. */
#ifndef CT_FILEIO_H
#define CT_FILEIO_H

#include <stddef.h>
#include <sys/stat.h>

#include "error.h"

/* Largest input file we accept (configs are small; this bounds memory). */
#define CT_MAX_INPUT_SIZE (16u * 1024 * 1024)

/* Read a whole file ("-" is stdin) into a NUL-terminated buffer. Rejects files over max bytes. */
int ct_read_file(const char *path, size_t max, char **ret_buf, size_t *ret_len,
		 struct ct_error **err);
/* The same from a descriptor already open and fstat'ed as st (path names it in messages, "-"
 * for stdin); fd stays open. */
int ct_read_fd(int fd, const char *path, const struct stat *st, size_t max, char **ret_buf,
	       size_t *ret_len, struct ct_error **err);
/* Write buf to path through a temporary file in the same directory and rename(2); on failure
 * nothing is left behind. "-" writes to stdout. A symlink's target is replaced, not the link; a
 * path that exists and is not a regular file (/dev/null, a FIFO) is written in place, since
 * renaming over it would replace the node. */
int ct_write_file_atomic(const char *path, const char *buf, size_t len, unsigned mode,
			 struct ct_error **err);
/* The same without fsync(2): for run-time state (records, pid files) that need not survive a
 * crash, on the start and stop paths where an fsync would cost milliseconds. */
int ct_write_file_volatile(const char *path, const char *buf, size_t len, unsigned mode,
			   struct ct_error **err);

#endif
