/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Bounded reads and atomic writes. */
#ifndef CT_FILEIO_H
#define CT_FILEIO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <time.h>

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
/* A file's contents, shared and immutable: from ct_file_read_fd() or ct_file_cache_get(),
 * released with ct_file_unref(). */
struct ct_file {
	const char *buf; /* NUL-terminated */
	size_t len;
	/* private */
	unsigned refs;
	void *derived; /* see ct_file_attach */
	void (*free_derived)(void *);
};

/*
 * A bounded per-process cache of small regular files read again and again (lxc.include'd
 * files such as LXC's common.conf). An entry is used only while stat(2) of its path still
 * gives the device, inode, size, mtime and ctime it was read with, and only files whose
 * timestamps were older than CT_FILE_CACHE_SETTLE_MS when read are kept: a change within the
 * file system's timestamp granularity is never missed. Thread-safe.
 */
#define CT_FILE_CACHE_MAX_FILES 64
#define CT_FILE_CACHE_MAX_BYTES (1024u * 1024) /* contents held in total */
#define CT_FILE_CACHE_MAX_FILE (256u * 1024)   /* larger files are never kept */
#define CT_FILE_CACHE_SETTLE_MS 2000	       /* covers 1 s and 2 s granularity (ext3, FAT) */

/* The cached contents of the regular file (or directory, see ct_file_keep) path whose
 * stat(2) the caller just took as st, if the cache holds that version of it; else NULL. */
struct ct_file *ct_file_cache_get(const char *path, const struct stat *st);
/* Read fd as ct_read_fd() does and offer the result to the cache under path (st: the fstat of
 * fd, taken before the read). */
int ct_file_read_fd(int fd, const char *path, const struct stat *st, size_t max,
		    struct ct_file **ret, struct ct_error **err);
/* Wrap buf (malloc'ed, len bytes, NUL-terminated; taken over) and offer it to the cache as
 * what path holds in the version st (a regular file's contents, or a listing derived from a
 * directory alone), read after since (CLOCK_REALTIME). NULL when out of memory. */
struct ct_file *ct_file_keep(const char *path, const struct stat *st, const struct timespec *since,
			     char *buf, size_t len);
void ct_file_unref(struct ct_file *f);
/* Another reference to f (released with ct_file_unref); returns f. */
struct ct_file *ct_file_ref(struct ct_file *f);
/* Data computed from f's contents alone (the reader's split lines), kept with f while the
 * cache holds it: attached only when nothing is yet, f is in the cache, and size more bytes
 * fit in its bounds. Returns true when attached (then freed with free_fn along with f), false
 * when the caller keeps data. */
bool ct_file_attach(struct ct_file *f, void *data, size_t size, void (*free_fn)(void *));
/* The data attached to f, or NULL. */
const void *ct_file_derived(const struct ct_file *f);
static inline void ct_file_unrefp(struct ct_file **f)
{
	ct_file_unref(*f);
}
#define cleanup_ct_file __attribute__((cleanup(ct_file_unrefp)))
/* Tests and callers that want no caching: change the bounds (max_files 0 disables the cache
 * and empties it) and the settle time; also empties the cache. */
void ct_file_cache_setup(unsigned max_files, size_t max_bytes, unsigned settle_ms);
/* Lookups answered from the cache and lookups that missed, since the start. */
void ct_file_cache_stats(unsigned long *ret_hits, unsigned long *ret_misses);

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
