/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The resolution passes of the LXC configuration reader (lxcconf_parse.c): lxc.include of files
 * and directories, read through the file cache, and which of the recorded assignments liblxc
 * would end up with. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "fileio.h"
#include "lxcconf_internal.h"
#include "lxckeys.h"

/* Bounds on what includes can make us read in total. */
#define MAX_FILES 4096
#define MAX_TOTAL_BYTES (4u * CT_MAX_INPUT_SIZE)
#define MAX_DIR_ENTRIES 4096

/* "a -> b -> c" for the include chain plus next. */
static char *chain_text(const struct lxcconf_parser *p, const char *next)
{
	cleanup_strbuf struct strbuf sb = STRBUF_INIT;

	for (unsigned i = 0; i < p->depth; i++)
		strbuf_printf(&sb, "%s -> ", p->chain[i].name);
	strbuf_puts(&sb, next);
	return strbuf_steal(&sb);
}

/* Open an included file or directory and fstat it: one open and one fstat, whatever it is.
 * Returns the descriptor or -errno. O_NONBLOCK: a FIFO named by a hostile include must not
 * hang (it is refused once read). */
static int open_include(const char *path, struct stat *st)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd < 0)
		return -errno;
	if (fstat(fd, st) < 0) {
		int rc = -errno;

		close(fd);
		return rc;
	}
	return fd;
}

/* Find what path names: a regular file (or, when dirs is set, a directory), which is read
 * through the file cache, gets *ret_fd = -1 and st its stat; anything else is opened
 * (*ret_fd) and fstat'ed as st. Returns 0 or -errno. Something cached costs one stat. */
static int stat_include(const char *path, bool dirs, struct stat *st, int *ret_fd)
{
	*ret_fd = -1;
	if (stat(path, st) == 0) {
		if (S_ISREG(st->st_mode) || (dirs && S_ISDIR(st->st_mode)))
			return 0;
	} else if (errno == ENOENT) {
		return -ENOENT;
	}
	*ret_fd = open_include(path, st);
	return *ret_fd < 0 ? *ret_fd : 0;
}

/* Parse the file path in place of the lxc.include line: fd is open on it and st its fstat,
 * or fd is -1 (see stat_include) and st its stat, and the file cache is asked first. */
static int include_file(struct lxcconf_parser *p, const char *path, int fd, const struct stat *st,
			const struct lxcconf_where *w, struct ct_error **err)
{
	cleanup_error struct ct_error *sub = NULL;
	cleanup_ct_file struct ct_file *f = NULL;
	cleanup_free char *chain = NULL;
	cleanup_close int own = -1;
	struct stat fst;
	bool hit = false;
	int rc;

	if (fd < 0) {
		f = S_ISREG(st->st_mode) ? ct_file_cache_get(path, st) : NULL;
		hit = f != NULL;
		if (!f) {
			fd = own = open_include(path, &fst);
			if (fd < 0)
				return lxcconf_err_at(err, w, NULL,
						      "lxc.include: cannot open %s: %s", path,
						      strerror(-fd));
			st = &fst;
		}
	}
	for (unsigned i = 0; i < p->depth; i++) {
		if (p->chain[i].known && p->chain[i].dev == st->st_dev &&
		    p->chain[i].ino == st->st_ino) {
			chain = chain_text(p, path);
			return lxcconf_err_at(err, w, "remove the lxc.include that closes the loop",
					      "lxc.include loop: %s", chain ? chain : path);
		}
	}
	if (p->depth > LXCCONF_MAX_INCLUDE_DEPTH) {
		chain = chain_text(p, path);
		return lxcconf_err_at(err, w, NULL, "lxc.include nested deeper than %u levels: %s",
				      LXCCONF_MAX_INCLUDE_DEPTH, chain ? chain : path);
	}
	if (++p->nfiles > MAX_FILES)
		return lxcconf_err_at(err, w, NULL, "lxc.include: more than %u files included",
				      MAX_FILES);
	rc = f ? 0 : ct_file_read_fd(fd, path, st, CT_MAX_INPUT_SIZE, &f, &sub);
	if (rc < 0) {
		rc = lxcconf_err_at(err, w, NULL, "lxc.include: %s", sub->msg);
		if (*err && (*err)->status == 0)
			(*err)->status = sub->status;
		return rc;
	}
	p->nbytes += f->len;
	if (p->nbytes > MAX_TOTAL_BYTES)
		return lxcconf_err_at(err, w, NULL,
				      "lxc.include: more than %u bytes included in total",
				      MAX_TOTAL_BYTES);
	p->chain[p->depth++] = (struct lxcconf_link){ st->st_dev, st->st_ino, true, path };
	rc = lxcconf_parse_included(p, f, hit, path, err);
	p->depth--;
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_conf_name(const char *name)
{
	size_t n = strlen(name);

	return n > strlen(".conf") && strcmp(name + n - strlen(".conf"), ".conf") == 0;
}

/* Room for more names in a NULL-terminated list of n names. */
static int grow_names(char ***names, size_t n, size_t *cap)
{
	size_t ncap = *cap ? 2 * *cap : 16;
	char **v = realloc(*names, ncap * sizeof(*v));

	if (!v)
		return -ENOMEM;
	v[n] = NULL;
	*names = v;
	*cap = ncap;
	return 0;
}

/* The paths of dir's *.conf entries in alphabetical order, not recursing, one after another
 * (each NUL-terminated), through the file cache (st: dir's stat). */
static int list_dir(const char *dir, const struct stat *st, struct ct_file **ret,
		    const struct lxcconf_where *w, struct ct_error **err)
{
	cleanup_strbuf struct strbuf sb = STRBUF_INIT;
	cleanup_closedir DIR *d = NULL;
	cleanup_strv char **names = NULL;
	size_t n = 0, cap = 0, len;
	struct timespec now;
	struct dirent *de;
	struct stat fst;
	char *buf;
	int fd, rc;

	*ret = ct_file_cache_get(dir, st);
	if (*ret)
		return 0;
	fd = open_include(dir, &fst);
	if (fd < 0)
		return lxcconf_err_at(err, w, NULL, "lxc.include: cannot open %s: %s", dir,
				      strerror(-fd));
	clock_gettime(CLOCK_REALTIME, &now); /* before reading: see ct_file_keep */
	d = fdopendir(fd);
	if (!d) {
		rc = lxcconf_err_at(err, w, NULL, "lxc.include: cannot open directory %s: %s", dir,
				    strerror(errno));
		close(fd);
		return rc;
	}
	while ((de = readdir(d))) {
		if (!is_conf_name(de->d_name))
			continue;
		if (n == MAX_DIR_ENTRIES)
			return lxcconf_err_at(err, w, NULL, "lxc.include: more than %u files in %s",
					      MAX_DIR_ENTRIES, dir);
		if (n + 1 >= cap && grow_names(&names, n, &cap) < 0)
			return ct_error_set(err, ENOMEM, "out of memory");
		if (asprintf(&names[n], "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/",
			     de->d_name) < 0) {
			names[n] = NULL;
			return ct_error_set(err, ENOMEM, "out of memory");
		}
		names[++n] = NULL;
	}
	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++)
		strbuf_add(&sb, names[i], strlen(names[i]) + 1);
	len = sb.len;
	buf = strbuf_steal(&sb);
	*ret = buf ? ct_file_keep(dir, &fst, &now, buf, len) : NULL;
	return *ret ? 0 : ct_error_set(err, ENOMEM, "out of memory");
}

/* Every *.conf of dir (st: its stat), in alphabetical order, not recursing. */
static int include_dir(struct lxcconf_parser *p, const char *dir, const struct stat *st,
		       const struct lxcconf_where *w, struct ct_error **err)
{
	cleanup_ct_file struct ct_file *list = NULL;
	int rc = list_dir(dir, st, &list, w, err);

	if (rc < 0)
		return rc;
	for (const char *name = list->buf; rc == 0 && name < list->buf + list->len;
	     name += strlen(name) + 1) {
		struct stat fst;
		cleanup_close int ffd = -1;

		rc = stat_include(name, false, &fst, &ffd);
		if (rc < 0)
			return lxcconf_err_at(err, w, NULL, "lxc.include: cannot open %s: %s", name,
					      strerror(-rc));
		rc = include_file(p, name, ffd, &fst, w, err);
	}
	return rc;
}

/* Absolute paths go under the sysroot; relative ones are relative to the including file. */
static char *resolve(const struct lxcconf_parser *p, const char *value, const char *from)
{
	const char *slash = strrchr(from, '/');
	char *path = NULL;
	int n;

	if (value[0] == '/')
		n = asprintf(&path, "%s%s", p->opts->sysroot ? p->opts->sysroot : "", value);
	else if (slash)
		n = asprintf(&path, "%.*s/%s", (int)(slash - from), from, value);
	else
		n = asprintf(&path, "%s", value);
	return n < 0 ? NULL : path;
}

int lxcconf_include(struct lxcconf_parser *p, const char *value, const struct lxcconf_where *w,
		    struct ct_error **err)
{
	cleanup_free char *path = NULL;
	cleanup_close int fd = -1;
	struct stat st;
	int rc;

	if (*value == '\0')
		return 0; /* liblxc only forgets its list of included files */
	path = resolve(p, value, w->file);
	if (!path)
		return ct_error_set(err, ENOMEM, "out of memory");
	rc = stat_include(path, true, &st, &fd);
	if (rc < 0) {
		/* A drop-in directory ("dir/") that does not exist has nothing in it: liblxc
		 * skips it, and stock configs rely on that (userns.conf.d/). */
		if (rc == -ENOENT && value[strlen(value) - 1] == '/')
			return 0;
		return lxcconf_err_at(err, w, NULL, "lxc.include: cannot open %s: %s", path,
				      strerror(-rc));
	}
	if (S_ISDIR(st.st_mode))
		return include_dir(p, path, &st, w, err);
	return include_file(p, path, fd, &st, w, err);
}

static bool is_net_type(const char *key, int net)
{
	const char *dot;

	if (net < 0)
		return false;
	dot = strchr(key + strlen("lxc.net."), '.');
	return dot && strcmp(dot, ".type") == 0;
}

/*
 * Resolution. The reading pass records every assignment in order (empty values and clear-only
 * keys included); this pass then keeps the entries liblxc would end up with, in O(n log n)
 * whatever the input. Each assignment at index i (position 2i) emits "clear events" on groups:
 * an empty value clears its key's group, a scalar assignment clears earlier ones of its key
 * (position 2i - 1), lxc.net.N.type resets interface N, a bare family key clears the family.
 * An entry survives when no group it belongs to has an event after it.
 */
struct event {
	/* The group: */
	const char *name; /* key, "lxc.cap" or a bare family key; NULL for an interface */
	int iface;	  /* interface index when name is NULL */
	uint32_t pos;	  /* (< 2 * LXCCONF_MAX_ENTRIES + 2) */
	uint32_t op;	  /* the assignment that emitted it */
	bool reset;	  /* lxc.net.N.type set (not cleared) */
};

/* Events of configs up to this many entries are kept on the stack: 24 bytes each, and a
 * request of 1 KiB or more makes glibc consolidate its fast bins. */
#define STACK_ENTRIES 128

struct events {
	struct event *v;
	size_t n;
	const char *bare[16]; /* distinct bare family keys cleared (lxc.hook, lxc.cgroup, ...) */
	size_t nbare;
};

/* Compare the groups of two events. */
static int cmp_group(const struct event *a, const struct event *b)
{
	if (!a->name || !b->name)
		return a->name ? 1 : b->name ? -1 : (a->iface > b->iface) - (a->iface < b->iface);
	return strcmp(a->name, b->name);
}

static int cmp_event(const void *a, const void *b)
{
	const struct event *x = a, *y = b;
	int c = cmp_group(x, y);

	return c ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

static int cmp_event_group(const void *key, const void *elem)
{
	return cmp_group(key, elem);
}

/* The group of a key's own assignments: cap.drop and cap.keep share one list in liblxc. */
static const char *key_group(const char *key)
{
	if (strcmp(key, "lxc.cap.drop") == 0 || strcmp(key, "lxc.cap.keep") == 0)
		return "lxc.cap";
	return key;
}

static void add_event(struct events *ev, const char *name, int iface, size_t pos, size_t op,
		      bool reset)
{
	ev->v[ev->n++] = (struct event){ name, iface, (uint32_t)pos, (uint32_t)op, reset };
}

static void note_bare(struct events *ev, const char *key)
{
	for (size_t i = 0; i < ev->nbare; i++)
		if (strcmp(ev->bare[i], key) == 0)
			return;
	if (ev->nbare < CT_ARRAY_SIZE(ev->bare))
		ev->bare[ev->nbare++] = key;
}

static void collect_events(const struct lxc_config *conf, const struct lxcconf_rec *recs,
			   struct events *ev)
{
	for (size_t i = 0; i < conf->n; i++) {
		const char *key = conf->v[i].key;
		bool empty = conf->v[i].value[0] == '\0';
		size_t pos = 2 * i + 1; /* after 2i - 1 and before 2i + 1: shifted by one */
		int iface = recs[i].net;

		if (recs[i].row->flags & LXCKEY_CLEAR_ONLY) {
			if (iface >= 0) {
				add_event(ev, NULL, iface, pos, i, false);
			} else {
				add_event(ev, key, -1, pos, i, false);
				note_bare(ev, key);
			}
			continue;
		}
		if (empty || recs[i].row->kind == LXCKEY_SCALAR)
			add_event(ev, key_group(key), -1, empty ? pos : pos - 1, i, false);
		if (is_net_type(key, iface))
			add_event(ev, NULL, iface, empty ? pos : pos - 1, i, !empty);
	}
}

/* Sort, and keep only the last event of each group. */
static void last_events_only(struct events *ev)
{
	size_t w = 0;

	qsort(ev->v, ev->n, sizeof(*ev->v), cmp_event);
	for (size_t i = 0; i < ev->n; i++) {
		if (i + 1 < ev->n && cmp_group(&ev->v[i], &ev->v[i + 1]) == 0)
			continue;
		ev->v[w++] = ev->v[i];
	}
	ev->n = w;
}

/* The last event of a group, or NULL. */
static const struct event *last_event(const struct events *ev, const char *name, int iface)
{
	struct event g = { .name = name, .iface = iface };

	return bsearch(&g, ev->v, ev->n, sizeof(*ev->v), cmp_event_group);
}

/* Does an event of another group than the interface drop the entry at pos? e: the last event
 * of the key's group. */
static bool dropped_by_key(const struct events *ev, const struct event *e, const char *key,
			   size_t pos)
{
	if (e && e->pos > pos)
		return true;
	for (size_t b = 0; b < ev->nbare; b++) {
		if (!lxckey_family_clears(ev->bare[b], key))
			continue;
		e = last_event(ev, ev->bare[b], -1);
		if (e && e->pos > pos)
			return true;
	}
	return false;
}

static int warn_reset(struct ct_diag *diag, const struct lxc_entry *lost,
		      const struct lxc_entry *type, struct ct_error **err)
{
	return ct_warn(diag, err, lost->file, lost->line, 0,
		       "%s has no effect: %s at %s:%u resets the interface, as in liblxc; set "
		       "the type first",
		       lost->key, type->key, type->file ? type->file : "?", type->line);
}

/* Keep what liblxc keeps; warn about settings lost to an interface reset. */
int lxcconf_resolve(struct lxc_config *conf, const struct lxcconf_rec *recs, struct ct_diag *diag,
		    struct ct_error **err)
{
	struct event small_v[2 * STACK_ENTRIES + 1];
	bool small_keep[STACK_ENTRIES + 1] = { false };
	cleanup_free struct event *heap_v = NULL;
	cleanup_free bool *heap_keep = NULL;
	struct events ev = { .v = small_v };
	bool *keep = small_keep;
	const struct event *ke = NULL; /* the last event of key's group */
	const char *key = NULL;
	int rc = 0;

	if (conf->n > STACK_ENTRIES) {
		ev.v = heap_v = calloc(2 * conf->n + 1, sizeof(*heap_v));
		keep = heap_keep = calloc(conf->n + 1, sizeof(*heap_keep));
		if (!heap_v || !heap_keep)
			return ct_error_set(err, ENOMEM, "out of memory");
	}
	collect_events(conf, recs, &ev);
	last_events_only(&ev);
	for (size_t i = 0; i < conf->n && rc == 0; i++) {
		const struct lxc_entry *e = &conf->v[i];
		int iface = recs[i].net;
		const struct event *ie;
		size_t pos = 2 * i + 1;

		if (e->value[0] == '\0' || (recs[i].row->flags & LXCKEY_CLEAR_ONLY))
			continue;
		/* Entries of one key often follow each other. */
		if (!key || strcmp(key, e->key) != 0) {
			key = e->key;
			ke = last_event(&ev, key_group(key), -1);
		}
		if (dropped_by_key(&ev, ke, e->key, pos))
			continue;
		ie = iface >= 0 ? last_event(&ev, NULL, iface) : NULL;
		if (ie && ie->pos > pos) {
			if (ie->reset)
				rc = warn_reset(diag, e, &conf->v[ie->op], err);
			continue;
		}
		keep[i] = true;
	}
	lxcconf_filter(conf, keep);
	return rc;
}
