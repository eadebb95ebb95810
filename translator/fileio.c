/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
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

/* The file cache (fileio.h): a small table searched linearly under one mutex, least recently
 * used entry evicted first. The shared contents are reference-counted atomically, so that
 * releasing them takes no lock. */
struct slot {
	char *path;
	uint32_t hash;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtim, ctim;
	struct ct_file *file;
	size_t bytes;	    /* the contents and what is attached to them */
	unsigned long used; /* tick of the last use */
};

static struct {
	pthread_mutex_t lock;
	struct slot v[CT_FILE_CACHE_MAX_FILES];
	unsigned n, max_files;
	size_t bytes, max_bytes;
	unsigned settle_ms;
	unsigned long tick, hits, misses;
} cache = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.max_files = CT_FILE_CACHE_MAX_FILES,
	.max_bytes = CT_FILE_CACHE_MAX_BYTES,
	.settle_ms = CT_FILE_CACHE_SETTLE_MS,
};

static uint32_t path_hash(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static bool same_time(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

static bool same_version(const struct slot *s, const struct stat *st)
{
	return s->dev == st->st_dev && s->ino == st->st_ino && s->size == st->st_size &&
	       same_time(&s->mtim, &st->st_mtim) && same_time(&s->ctim, &st->st_ctim);
}

/* Was t more than ms before now? (ms 0: anything goes, for tests.) */
static bool older_than(const struct timespec *t, const struct timespec *now, unsigned ms)
{
	long long dt = (long long)(now->tv_sec - t->tv_sec) * 1000 +
		       (now->tv_nsec - t->tv_nsec) / 1000000;

	return ms == 0 || dt > (long long)ms;
}

void ct_file_unref(struct ct_file *f)
{
	if (f && __atomic_sub_fetch(&f->refs, 1, __ATOMIC_ACQ_REL) == 0) {
		if (f->derived)
			f->free_derived(f->derived);
		free((char *)f->buf);
		free(f);
	}
}

struct ct_file *ct_file_ref(struct ct_file *f)
{
	__atomic_add_fetch(&f->refs, 1, __ATOMIC_RELAXED);
	return f;
}

/* Locked. */
static void drop_slot(unsigned i)
{
	struct slot *s = &cache.v[i];

	cache.bytes -= s->bytes;
	free(s->path);
	ct_file_unref(s->file);
	*s = cache.v[--cache.n];
}

/* Locked. */
static int find_slot(const char *path, uint32_t hash)
{
	for (unsigned i = 0; i < cache.n; i++)
		if (cache.v[i].hash == hash && strcmp(cache.v[i].path, path) == 0)
			return (int)i;
	return -1;
}

/* Locked: room for len more bytes in one more slot. */
static void make_room(size_t len)
{
	while (cache.n > 0 && (cache.n >= cache.max_files || cache.bytes + len > cache.max_bytes)) {
		unsigned lru = 0;

		for (unsigned i = 1; i < cache.n; i++)
			if (cache.v[i].used < cache.v[lru].used)
				lru = i;
		drop_slot(lru);
	}
}

struct ct_file *ct_file_cache_get(const char *path, const struct stat *st)
{
	uint32_t hash = path_hash(path);
	struct ct_file *f = NULL;
	int i;

	pthread_mutex_lock(&cache.lock);
	i = find_slot(path, hash);
	if (i >= 0 && same_version(&cache.v[i], st)) {
		cache.v[i].used = ++cache.tick;
		f = ct_file_ref(cache.v[i].file);
		cache.hits++;
	} else {
		if (i >= 0)
			drop_slot((unsigned)i); /* changed since */
		cache.misses++;
	}
	pthread_mutex_unlock(&cache.lock);
	return f;
}

/* Keep f for path when the file had settled before it was read (now). */
static void cache_put(const char *path, const struct stat *st, const struct timespec *now,
		      struct ct_file *f)
{
	uint32_t hash = path_hash(path);
	char *copy;
	int i;

	if (!(S_ISREG(st->st_mode) && (off_t)f->len == st->st_size) && !S_ISDIR(st->st_mode))
		return;
	if (f->len > CT_FILE_CACHE_MAX_FILE)
		return;
	pthread_mutex_lock(&cache.lock);
	if (cache.max_files == 0 || f->len > cache.max_bytes ||
	    !older_than(&st->st_mtim, now, cache.settle_ms) ||
	    !older_than(&st->st_ctim, now, cache.settle_ms))
		goto out;
	copy = strdup(path);
	if (!copy)
		goto out;
	i = find_slot(path, hash);
	if (i >= 0)
		drop_slot((unsigned)i);
	make_room(f->len);
	cache.v[cache.n++] = (struct slot){
		.path = copy,
		.hash = hash,
		.dev = st->st_dev,
		.ino = st->st_ino,
		.size = st->st_size,
		.mtim = st->st_mtim,
		.ctim = st->st_ctim,
		.file = ct_file_ref(f),
		.bytes = f->len,
		.used = ++cache.tick,
	};
	cache.bytes += f->len;
out:
	pthread_mutex_unlock(&cache.lock);
}

bool ct_file_attach(struct ct_file *f, void *data, size_t size, void (*free_fn)(void *))
{
	bool done = false;

	pthread_mutex_lock(&cache.lock);
	for (unsigned i = 0; i < cache.n && !done; i++) {
		struct slot *s = &cache.v[i];

		if (s->file != f)
			continue;
		if (f->derived || cache.bytes + size > cache.max_bytes)
			break;
		f->free_derived = free_fn;
		__atomic_store_n(&f->derived, data, __ATOMIC_RELEASE);
		s->bytes += size;
		cache.bytes += size;
		done = true;
	}
	pthread_mutex_unlock(&cache.lock);
	return done;
}

const void *ct_file_derived(const struct ct_file *f)
{
	return __atomic_load_n(&f->derived, __ATOMIC_ACQUIRE);
}

struct ct_file *ct_file_keep(const char *path, const struct stat *st, const struct timespec *since,
			     char *buf, size_t len)
{
	struct ct_file *f = malloc(sizeof(*f));

	if (!f) {
		free(buf);
		return NULL;
	}
	*f = (struct ct_file){ .buf = buf, .len = len, .refs = 1 };
	cache_put(path, st, since, f);
	return f;
}

int ct_file_read_fd(int fd, const char *path, const struct stat *st, size_t max,
		    struct ct_file **ret, struct ct_error **err)
{
	struct timespec now;
	char *buf;
	size_t len;
	int rc;

	/* Before the read: a change after this instant gets a later ctime than st's, unless st's
	 * is too recent to be trusted (older_than). */
	clock_gettime(CLOCK_REALTIME, &now);
	rc = ct_read_fd(fd, path, st, max, &buf, &len, err);
	if (rc < 0)
		return rc;
	*ret = ct_file_keep(path, st, &now, buf, len);
	if (!*ret)
		return ct_error_set(err, ENOMEM, "%s: out of memory", path);
	return 0;
}

void ct_file_cache_setup(unsigned max_files, size_t max_bytes, unsigned settle_ms)
{
	pthread_mutex_lock(&cache.lock);
	while (cache.n > 0)
		drop_slot(cache.n - 1);
	cache.max_files = max_files < CT_FILE_CACHE_MAX_FILES ? max_files : CT_FILE_CACHE_MAX_FILES;
	cache.max_bytes = max_bytes;
	cache.settle_ms = settle_ms;
	pthread_mutex_unlock(&cache.lock);
}

void ct_file_cache_stats(unsigned long *ret_hits, unsigned long *ret_misses)
{
	pthread_mutex_lock(&cache.lock);
	if (ret_hits)
		*ret_hits = cache.hits;
	if (ret_misses)
		*ret_misses = cache.misses;
	pthread_mutex_unlock(&cache.lock);
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
