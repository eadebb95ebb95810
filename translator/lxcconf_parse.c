/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading LXC configuration files as liblxc 5 does (its confile.c parse_line): lines split at
 * '\n' and '\r', leading blanks skipped, '#' comments, "key = value" split at the first '=',
 * blanks trimmed around both, one pair of matching quotes stripped from the value, an empty
 * value clears the key. On top of liblxc: legacy keys are converted (with a warning), unknown
 * keys are errors, "#oci:" comment lines are kept as carry lines, and every input-controlled
 * quantity is bounded. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "fileio.h"
#include "lxcconf.h"
#include "lxcconf_internal.h"
#include "lxckeys.h"

#define CARRY_MARKER "#oci:"
/* Bounds on what includes can make us read in total. */
#define MAX_FILES 4096
#define MAX_TOTAL_BYTES (4u * CT_MAX_INPUT_SIZE)
#define MAX_DIR_ENTRIES 4096

struct link {
	dev_t dev;
	ino_t ino;
	bool known; /* dev/ino are valid (false for an in-memory buffer) */
	const char *name;
};

struct parser {
	const struct lxcconf_opts *opts;
	struct lxc_config *conf;
	struct link chain[LXCCONF_MAX_INCLUDE_DEPTH + 1]; /* files being read, outermost first */
	unsigned depth;
	unsigned nfiles;
	size_t nbytes;
	int net_max;   /* highest lxc.net index seen, -1 */
	int net_cur;   /* interface of unindexed lxc.network.* keys, -1 before the first type */
	char *backend; /* legacy lxc.rootfs.backend */
	struct lxcconf_rec *recs; /* of each recorded assignment (conf->v) */
	size_t nrecs, caprecs;
	/* The first ones: no request of 1 KiB or more, which makes glibc consolidate its fast
	 * bins. */
	struct lxcconf_rec small_recs[128];
};

/* A position in the input. */
struct where {
	const char *file;
	unsigned line;
};

static int parse_text(struct parser *p, const char *buf, size_t len, const char *file,
		      struct ct_error **err);
static int parse_file(struct parser *p, struct ct_file *f, bool hit, const char *path,
		      struct ct_error **err);

static int err_at(struct ct_error **err, const struct where *w, const char *hint, const char *fmt,
		  ...) __attribute__((format(printf, 4, 5)));
static int err_at(struct ct_error **err, const struct where *w, const char *hint, const char *fmt,
		  ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = ct_error_vat(err, 0, w->file, w->line, 0, fmt, ap);
	va_end(ap);
	if (hint)
		ct_error_hint(err, rc, "%s", hint);
	return rc;
}

/* A loop rather than strncmp(s, prefix, strlen(prefix)): called for every key, and keys differ
 * from the prefix within a few characters. */
static bool starts_with(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return false;
	return true;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* liblxc's lxc_is_line_empty: only blanks, '\f' and line ends. */
static bool line_empty(const char *s)
{
	return s[strspn(s, " \t\n\r\f")] == '\0';
}

static char *trim(char *s)
{
	size_t n;

	while (is_blank(*s))
		s++;
	n = strlen(s);
	while (n > 0 && is_blank(s[n - 1]))
		n--;
	s[n] = '\0';
	return s;
}

/* Room for one more row. */
static int grow_recs(struct parser *p, struct ct_error **err)
{
	size_t ncap = 2 * p->caprecs;
	struct lxcconf_rec *nr;

	if (p->nrecs < p->caprecs)
		return 0;
	nr = realloc(p->recs == p->small_recs ? NULL : p->recs, ncap * sizeof(*nr));
	if (!nr)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (p->recs == p->small_recs)
		memcpy(nr, p->small_recs, sizeof(p->small_recs));
	p->recs = nr;
	p->caprecs = ncap;
	return 0;
}

/* Record one assignment for lxcconf_resolve. */
static int record(struct parser *p, const struct lxckey *row, int net, const char *key,
		  const char *value, const struct where *w, struct ct_error **err)
{
	int rc = grow_recs(p, err);

	if (rc < 0)
		return rc;
	rc = lxcconf_add(p->conf, key, value, w->file, w->line, err);
	if (rc == 0)
		p->recs[p->nrecs++] = (struct lxcconf_rec){ row, net };
	return rc;
}

/* "a -> b -> c" for the include chain plus next. */
static char *chain_text(const struct parser *p, const char *next)
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
static int include_file(struct parser *p, const char *path, int fd, const struct stat *st,
			const struct where *w, struct ct_error **err)
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
				return err_at(err, w, NULL, "lxc.include: cannot open %s: %s", path,
					      strerror(-fd));
			st = &fst;
		}
	}
	for (unsigned i = 0; i < p->depth; i++) {
		if (p->chain[i].known && p->chain[i].dev == st->st_dev &&
		    p->chain[i].ino == st->st_ino) {
			chain = chain_text(p, path);
			return err_at(err, w, "remove the lxc.include that closes the loop",
				      "lxc.include loop: %s", chain ? chain : path);
		}
	}
	if (p->depth > LXCCONF_MAX_INCLUDE_DEPTH) {
		chain = chain_text(p, path);
		return err_at(err, w, NULL, "lxc.include nested deeper than %u levels: %s",
			      LXCCONF_MAX_INCLUDE_DEPTH, chain ? chain : path);
	}
	if (++p->nfiles > MAX_FILES)
		return err_at(err, w, NULL, "lxc.include: more than %u files included", MAX_FILES);
	rc = f ? 0 : ct_file_read_fd(fd, path, st, CT_MAX_INPUT_SIZE, &f, &sub);
	if (rc < 0) {
		rc = err_at(err, w, NULL, "lxc.include: %s", sub->msg);
		if (*err && (*err)->status == 0)
			(*err)->status = sub->status;
		return rc;
	}
	p->nbytes += f->len;
	if (p->nbytes > MAX_TOTAL_BYTES)
		return err_at(err, w, NULL, "lxc.include: more than %u bytes included in total",
			      MAX_TOTAL_BYTES);
	p->chain[p->depth++] = (struct link){ st->st_dev, st->st_ino, true, path };
	rc = parse_file(p, f, hit, path, err);
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
		    const struct where *w, struct ct_error **err)
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
		return err_at(err, w, NULL, "lxc.include: cannot open %s: %s", dir, strerror(-fd));
	clock_gettime(CLOCK_REALTIME, &now); /* before reading: see ct_file_keep */
	d = fdopendir(fd);
	if (!d) {
		rc = err_at(err, w, NULL, "lxc.include: cannot open directory %s: %s", dir,
			    strerror(errno));
		close(fd);
		return rc;
	}
	while ((de = readdir(d))) {
		if (!is_conf_name(de->d_name))
			continue;
		if (n == MAX_DIR_ENTRIES)
			return err_at(err, w, NULL, "lxc.include: more than %u files in %s",
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
static int include_dir(struct parser *p, const char *dir, const struct stat *st,
		       const struct where *w, struct ct_error **err)
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
			return err_at(err, w, NULL, "lxc.include: cannot open %s: %s", name,
				      strerror(-rc));
		rc = include_file(p, name, ffd, &fst, w, err);
	}
	return rc;
}

/* Absolute paths go under the sysroot; relative ones are relative to the including file. */
static char *resolve(const struct parser *p, const char *value, const char *from)
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

static int do_include(struct parser *p, const char *value, const struct where *w,
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
		return err_at(err, w, NULL, "lxc.include: cannot open %s: %s", path, strerror(-rc));
	}
	if (S_ISDIR(st.st_mode))
		return include_dir(p, path, &st, w, err);
	return include_file(p, path, fd, &st, w, err);
}

/* Is the assignment of a known modern key only recorded (no include, no error)? Then its
 * effect on the parser is record() and note_net() alone, whatever came before. */
static bool plain_assignment(const struct lxckey *row, const char *key, const char *value)
{
	if (strcmp(key, "lxc.include") == 0)
		return false;
	if ((row->flags & LXCKEY_CLEAR_ONLY) && *value)
		return false;
	return *value || strcmp(key, "lxc.mount.fstab") != 0;
}

/* The highest interface index set, for unindexed legacy lxc.network.* keys. */
static void note_net(struct parser *p, int idx, const char *value)
{
	if (idx > p->net_max && *value)
		p->net_max = idx;
}

/* One assignment of a known modern key. */
static int assign(struct parser *p, const struct lxckey *row, const char *key, const char *value,
		  const struct where *w, struct ct_error **err)
{
	int net;

	if (plain_assignment(row, key, value)) {
		net = lxckey_net_index(key);
		note_net(p, net, value);
		return record(p, row, net, key, value, w, err);
	}
	if (strcmp(key, "lxc.include") == 0)
		return do_include(p, value, w, err);
	if (*value == '\0')
		return err_at(err, w, "remove the line to have no fstab",
			      "an empty lxc.mount.fstab makes liblxc fail to load the config");
	return err_at(err, w, "an empty value clears them; set subkeys instead",
		      "%s takes no value: it only clears every %s.* setting", key, key);
}

static int unknown_key(const char *key, const struct where *w, struct ct_error **err)
{
	const char *s = lxckey_suggest(key);
	char hint[320];

	if (s)
		snprintf(hint, sizeof(hint), "did you mean \"%s\"?", s);
	else
		snprintf(hint, sizeof(hint), "lxc.container.conf(5) lists the keys of LXC 5");
	if (!starts_with(key, "lxc."))
		return err_at(err, w, hint, "unknown key \"%.200s\": LXC keys start with \"lxc.\"",
			      key);
	return err_at(err, w, hint, "unknown key \"%.200s\"", key);
}

/* Unindexed legacy lxc.network.SUB: each lxc.network.type starts a new interface. Returns 0
 * with *ret_key set, or < 0. */
static int legacy_net(struct parser *p, const char *key, const char *sub, const char *value,
		      char *buf, size_t size, const struct where *w, const char **ret_key,
		      struct ct_error **err)
{
	if (strcmp(sub, "type") == 0) {
		if (*value == '\0') {
			p->net_cur = -1; /* LXC 2 cleared every interface */
			*ret_key = "lxc.net";
			return 0;
		}
		if (p->net_max + 1 >= LXCKEY_MAX_NET_INDEX)
			return err_at(err, w, NULL, "%s: more than %u interfaces", key,
				      LXCKEY_MAX_NET_INDEX);
		p->net_cur = p->net_max + 1;
	} else if (p->net_cur < 0) {
		return err_at(err, w, "start each interface with lxc.network.type",
			      "%s before any lxc.network.type", key);
	}
	*ret_key = lxckey_modernize_net(sub, (unsigned)p->net_cur, buf, size);
	return *ret_key ? 0 : unknown_key(key, w, err);
}

/* Keys LXC 3.0 removed: lxc.rootfs.backend is remembered for lxc.rootfs.path. */
static int removed_key(struct parser *p, const char *key, const char *value, const struct where *w,
		       struct ct_error **err)
{
	bool backend = strcmp(key, "lxc.rootfs.backend") == 0;

	if (backend && *value) {
		free(p->backend);
		p->backend = strdup(value);
		if (!p->backend)
			return ct_error_set(err, ENOMEM, "out of memory");
	}
	return ct_warn(p->opts->diag, err, w->file, w->line, 0, "%s was removed in LXC 3.0%s", key,
		       backend ? "; its value is written as the prefix of lxc.rootfs.path"
			       : " and has no effect: the line is ignored");
}

/* A key not in the table: a legacy spelling is converted with a warning. Returns 1 with
 * *ret_key set, 0 when the line has no effect, or < 0. */
static int modernize(struct parser *p, const char *key, const char *value, char *buf, size_t size,
		     const struct where *w, const char **ret_key, struct ct_error **err)
{
	const char *sub = lxckey_unindexed_net(key), *modern;
	int rc;

	if (strcmp(key, "lxc.rootfs.backend") == 0 || lxckey_removed(key)) {
		rc = removed_key(p, key, value, w, err);
		return rc < 0 ? rc : 0;
	}
	if (sub) {
		rc = legacy_net(p, key, sub, value, buf, size, w, &modern, err);
		if (rc < 0)
			return rc;
	} else {
		modern = lxckey_modernize(key, buf, size);
		if (!modern)
			return unknown_key(key, w, err);
	}
	rc = ct_warn(p->opts->diag, err, w->file, w->line, 0,
		     "legacy key %s read as %s (liblxc 5 rejects the old name; "
		     "lxc-update-config rewrites it)",
		     key, modern);
	if (rc < 0)
		return rc;
	*ret_key = modern;
	return 1;
}

static int parse_assignment(struct parser *p, const char *key, const char *value,
			    const struct where *w, struct ct_error **err)
{
	char mbuf[320], cbuf[320];
	const struct lxckey *row;
	const char *canon;
	int rc;

	if (!starts_with(key, "lxc."))
		return unknown_key(key, w, err);
	row = lxckey_lookup(key);
	if (!row) {
		rc = modernize(p, key, value, mbuf, sizeof(mbuf), w, &key, err);
		if (rc <= 0)
			return rc;
	}
	canon = lxckey_canonical(key, cbuf, sizeof(cbuf));
	row = canon == key && row ? row : lxckey_lookup(canon);
	if (!row)
		return unknown_key(canon, w, err);
	return assign(p, row, canon, value, w, err);
}

enum line_kind { LINE_NONE, LINE_CARRY, LINE_ASSIGN, LINE_NO_EQ };

/* Split one logical line (no '\n', '\r' or NUL inside), copied to line, in place: *ret_a is
 * the carry text, the key (*ret_b the value) or, without '=', the line. */
static enum line_kind split_line(char *line, char **ret_a, char **ret_b)
{
	char *eq, *value;
	size_t vlen;

	if (line_empty(line))
		return LINE_NONE;
	line += strspn(line, " \t");
	if (starts_with(line, CARRY_MARKER)) {
		*ret_a = line + strlen(CARRY_MARKER);
		return LINE_CARRY;
	}
	if (line[0] == '#')
		return LINE_NONE;
	eq = strchr(line, '=');
	*ret_a = line;
	if (!eq)
		return LINE_NO_EQ;
	*eq = '\0';
	*ret_a = trim(line);
	value = trim(eq + 1);
	vlen = strlen(value);
	if (vlen > 1 && (value[0] == '"' || value[0] == '\'') && value[vlen - 1] == value[0]) {
		value[vlen - 1] = '\0';
		value++;
	}
	*ret_b = value;
	return LINE_ASSIGN;
}

static int parse_line(struct parser *p, const char *s, size_t n, const struct where *w,
		      struct ct_error **err)
{
	char small[512]; /* most lines: no allocation */
	cleanup_free char *heap = NULL;
	char *copy = small, *a = NULL, *b = NULL;

	if (n < sizeof(small)) {
		memcpy(small, s, n);
		small[n] = '\0';
	} else {
		copy = heap = strndup(s, n);
		if (!copy)
			return ct_error_set(err, ENOMEM, "out of memory");
	}
	switch (split_line(copy, &a, &b)) {
	case LINE_CARRY:
		return lxcconf_add_carry_at(p->conf, a, w->file, w->line, err);
	case LINE_NO_EQ:
		return err_at(err, w, "write KEY = VALUE, or start a comment with '#'",
			      "line \"%.60s\" has no '='", a);
	case LINE_ASSIGN:
		return parse_assignment(p, a, b, w, err);
	default:
		return 0;
	}
}

typedef int line_fn(void *ctx, const char *s, size_t n, const struct where *w,
		    struct ct_error **err);

/* Call fn for each logical line of buf, bounding physical lines. */
static int walk_lines(const char *buf, size_t len, const char *file, line_fn *fn, void *ctx,
		      struct ct_error **err)
{
	struct where w = { file, 0 };
	size_t pos = 0;

	while (pos < len) {
		const char *start = buf + pos, *nl = memchr(start, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - start) : len - pos;
		size_t off = 0;

		w.line++;
		if (n > LXCCONF_MAX_LINE)
			return err_at(err, &w, NULL, "line longer than %u bytes", LXCCONF_MAX_LINE);
		if (memchr(start, '\0', n))
			return err_at(err, &w, "is this a text file?", "NUL byte in line");
		/* liblxc splits at '\r' as well: "a\r\n" is "a", "a\rb" two lines. */
		while (off <= n) {
			const char *cr = memchr(start + off, '\r', n - off);
			size_t m = cr ? (size_t)(cr - start) - off : n - off;
			int rc = fn(ctx, start + off, m, &w, err);

			if (rc < 0)
				return rc;
			off += m + 1;
		}
		pos += n + 1;
	}
	return 0;
}

static int parse_line_cb(void *ctx, const char *s, size_t n, const struct where *w,
			 struct ct_error **err)
{
	return parse_line(ctx, s, n, w, err);
}

static int parse_text(struct parser *p, const char *buf, size_t len, const char *file,
		      struct ct_error **err)
{
	return walk_lines(buf, len, file, parse_line_cb, p, err);
}

/*
 * The lines of a file split once: an included file served by the file cache is split on its
 * second use and the result attached to it (ct_file_attach), so that later parses replay the
 * assignments without copying, trimming or looking keys up again. Only the splitting and the
 * key lookup are kept: every assignment still goes through assign() (includes, clears, the
 * lxc.net bookkeeping) or, for a key that is not a known canonical key, parse_assignment()
 * (legacy keys and their warnings, unknown keys), so a replay does what parse_text does. A
 * file with a line parse_text would refuse is never split (parse_text reports it).
 */
struct token {
	unsigned line;
	bool carry;		  /* key is the text of a carry line */
	bool plain;		  /* a plain_assignment() of row */
	int net;		  /* lxckey_net_index(key) of a plain assignment */
	uint32_t hash;		  /* lxcconf_key_hash(key) of a plain assignment */
	const struct lxckey *row; /* the row of key when it is a known canonical key */
	union {
		size_t off; /* while splitting: offsets into the text */
		const char *s;
	} key, value;
};

struct tokens {
	size_t n;
	struct lxc_entry *ents;	  /* the entries of the plain assignments, in order */
	struct lxcconf_rec *recs; /* and what the reader records of them */
	struct token v[];	  /* then ents, recs and the text */
};

struct splitter {
	struct token *v;
	size_t n, cap;
	struct strbuf text;
};

static int split_cb(void *ctx, const char *s, size_t n, const struct where *w,
		    struct ct_error **err)
{
	struct splitter *sp = ctx;
	size_t at = sp->text.len;
	char *a = NULL, *b = NULL, cbuf[320];
	struct token *t;
	enum line_kind kind;

	(void)err;
	strbuf_add(&sp->text, s, n);
	strbuf_putc(&sp->text, '\0');
	if (sp->text.oom)
		return -ENOMEM;
	kind = split_line(sp->text.s + at, &a, &b);
	if (kind == LINE_NONE) {
		strbuf_truncate(&sp->text, at);
		return 0;
	}
	if (kind == LINE_NO_EQ)
		return -EINVAL;
	if (sp->n == sp->cap) {
		size_t ncap = sp->cap ? 2 * sp->cap : 32;
		struct token *nv = realloc(sp->v, ncap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		sp->v = nv;
		sp->cap = ncap;
	}
	t = &sp->v[sp->n++];
	*t = (struct token){ .line = w->line, .carry = kind == LINE_CARRY };
	t->key.off = (size_t)(a - sp->text.s);
	t->value.off = b ? (size_t)(b - sp->text.s) : 0;
	if (kind == LINE_ASSIGN && starts_with(a, "lxc.") &&
	    lxckey_canonical(a, cbuf, sizeof(cbuf)) == a)
		t->row = lxckey_lookup(a);
	if (t->row && plain_assignment(t->row, a, b)) {
		t->plain = true;
		t->net = lxckey_net_index(a);
		t->hash = lxcconf_key_hash(a);
	}
	return 0;
}

/* The tokens of buf in one allocation of *ret_size bytes, or NULL (see above). */
static struct tokens *split_text(const char *buf, size_t len, size_t *ret_size)
{
	struct splitter sp = { .text = STRBUF_INIT };
	struct tokens *t = NULL;
	char *text;

	if (walk_lines(buf, len, NULL, split_cb, &sp, NULL) == 0) {
		*ret_size = sizeof(*t) +
			    sp.n * (sizeof(*sp.v) + sizeof(*t->ents) + sizeof(*t->recs)) +
			    sp.text.len + 1;
		t = malloc(*ret_size);
	}
	if (t) {
		size_t nents = 0;

		t->ents = (struct lxc_entry *)&t->v[sp.n];
		t->recs = (struct lxcconf_rec *)&t->ents[sp.n];
		text = (char *)&t->recs[sp.n];
		memcpy(text, sp.text.s ? sp.text.s : "", sp.text.len + 1);
		t->n = sp.n;
		for (size_t i = 0; i < sp.n; i++) {
			struct token *k = &t->v[i];

			*k = sp.v[i];
			k->key.s = text + sp.v[i].key.off;
			k->value.s = text + sp.v[i].value.off;
			if (!k->plain)
				continue;
			t->ents[nents] = (struct lxc_entry){ .key = (char *)k->key.s,
							     .value = (char *)k->value.s,
							     .line = k->line,
							     .hash_ = k->hash };
			t->recs[nents++] = (struct lxcconf_rec){ k->row, k->net };
		}
	}
	free(sp.v);
	strbuf_release(&sp.text);
	return t;
}

/* A plain assignment whose strings the config holds (see lxcconf_hold): what assign() does,
 * without copying them or looking anything up again. */
static int replay_plain(struct parser *p, const struct token *k, const char *file,
			struct ct_error **err)
{
	int rc = grow_recs(p, err);

	if (rc < 0)
		return rc;
	note_net(p, k->net, k->value.s);
	rc = lxcconf_add_held(p->conf, k->key.s, k->value.s, k->hash, file, k->line, err);
	if (rc == 0)
		p->recs[p->nrecs++] = (struct lxcconf_rec){ k->row, k->net };
	return rc;
}

/*
 * Tokens [i, end) are plain assignments and carry lines: their entries (from *ent on) are
 * appended at once. Entries and carry lines go to separate lists, so this is what replaying
 * them one by one does. Returns 1 when the config has no room for them: the caller replays
 * them one by one, to report the error where it happens.
 */
static int replay_run(struct parser *p, const struct tokens *t, size_t i, size_t end, size_t *ent,
		      const char *file, struct ct_error **err)
{
	size_t n = 0;
	int rc;

	for (size_t j = i; j < end; j++)
		n += t->v[j].plain;
	rc = lxcconf_append_held(p->conf, &t->ents[*ent], n, file, err);
	if (rc != 0)
		return rc;
	while (p->caprecs - p->nrecs < n)
		if ((rc = grow_recs(p, err)) < 0)
			return rc;
	memcpy(&p->recs[p->nrecs], &t->recs[*ent], n * sizeof(*p->recs));
	p->nrecs += n;
	*ent += n;
	for (size_t j = i; j < end && rc == 0; j++) {
		const struct token *k = &t->v[j];

		if (k->plain)
			note_net(p, k->net, k->value.s);
		else
			rc = lxcconf_add_carry_at(p->conf, k->key.s, file, k->line, err);
	}
	return rc;
}

/* held: t lives as long as the config (lxcconf_hold). */
static int replay(struct parser *p, const struct tokens *t, bool held, const char *file,
		  struct ct_error **err)
{
	struct where w = { file, 0 };
	size_t ent = 0; /* t->ents of the plain tokens before i */
	bool bulk = held;
	int rc = 0;

	for (size_t i = 0; i < t->n && rc == 0; i++) {
		const struct token *k = &t->v[i];
		size_t end = i;

		while (bulk && end < t->n && (t->v[end].plain || t->v[end].carry))
			end++;
		if (end > i) {
			rc = replay_run(p, t, i, end, &ent, file, err);
			if (rc <= 0) {
				i = end - 1;
				continue;
			}
			rc = 0; /* no room: one by one from now on */
			bulk = false;
		}
		w.line = k->line;
		ent += k->plain;
		if (k->carry)
			rc = lxcconf_add_carry_at(p->conf, k->key.s, file, k->line, err);
		else if (k->plain && held)
			rc = replay_plain(p, k, file, err);
		else if (k->row)
			rc = assign(p, k->row, k->key.s, k->value.s, &w, err);
		else
			rc = parse_assignment(p, k->key.s, k->value.s, &w, err);
	}
	return rc;
}

/* The contents of an included file, split when it came from the cache (hit). */
static int parse_file(struct parser *p, struct ct_file *f, bool hit, const char *path,
		      struct ct_error **err)
{
	const struct tokens *t = ct_file_derived(f);
	struct tokens *mine;
	size_t size;
	int rc;

	if (t)
		return lxcconf_hold(p->conf, f) < 0 ? ct_error_set(err, ENOMEM, "out of memory")
						    : replay(p, t, true, path, err);
	if (!hit || !(mine = split_text(f->buf, f->len, &size)))
		return parse_text(p, f->buf, f->len, path, err);
	if (ct_file_attach(f, mine, size, free))
		return parse_file(p, f, hit, path, err);
	rc = replay(p, mine, false, path, err);
	free(mine);
	return rc;
}

/* lxc.rootfs.backend = B of a legacy config: lxc.rootfs.path becomes B:PATH, as
 * lxc-update-config writes it. */
static int apply_backend(struct parser *p, struct ct_error **err)
{
	cleanup_free char *v = NULL;
	size_t last = 0, i;

	if (!p->backend || strcmp(p->backend, "dir") == 0)
		return 0;
	for (i = 0; lxcconf_next(p->conf, "lxc.rootfs.path", false, &i); i++)
		last = i + 1;
	if (!last || strchr(p->conf->v[last - 1].value, ':'))
		return 0;
	if (asprintf(&v, "%s:%s", p->backend, p->conf->v[last - 1].value) < 0) {
		v = NULL;
		return ct_error_set(err, ENOMEM, "out of memory");
	}
	return lxcconf_set_value(p->conf, last - 1, v, err);
}

static int parse_top(const char *buf, size_t len, const char *name, const struct stat *st,
		     const struct lxcconf_opts *opts, struct lxc_config **ret,
		     struct ct_error **err)
{
	static const struct lxcconf_opts no_opts;
	cleanup_lxcconf struct lxc_config *conf = lxcconf_new();
	struct parser p = {
		.opts = opts ? opts : &no_opts,
		.conf = conf,
		.net_max = -1,
		.net_cur = -1,
	};
	int rc;

	p.recs = p.small_recs;
	p.caprecs = CT_ARRAY_SIZE(p.small_recs);
	if (!conf)
		return ct_error_set(err, ENOMEM, "out of memory");
	conf->path = strdup(name);
	if (!conf->path)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (len > CT_MAX_INPUT_SIZE)
		return ct_error_set(err, EFBIG, "%s: larger than the %u bytes accepted", name,
				    CT_MAX_INPUT_SIZE);
	p.chain[0] = (struct link){ st ? st->st_dev : 0, st ? st->st_ino : 0, st != NULL, name };
	p.depth = 1;
	p.nbytes = len;
	lxcconf_defer_index(conf);
	rc = parse_text(&p, buf, len, name, err);
	if (rc == 0)
		rc = lxcconf_resolve(conf, p.recs, p.opts->diag, err);
	if (rc == 0 && lxcconf_build_index(conf) < 0)
		rc = ct_error_set(err, ENOMEM, "out of memory");
	if (rc == 0)
		rc = apply_backend(&p, err);
	free(p.backend);
	if (p.recs != p.small_recs)
		free(p.recs);
	if (rc < 0)
		return rc;
	*ret = steal_pointer(&conf);
	return 0;
}

int lxcconf_parse_buffer(const char *buf, size_t len, const char *name,
			 const struct lxcconf_opts *opts, struct lxc_config **ret,
			 struct ct_error **err)
{
	return parse_top(buf, len, name, NULL, opts, ret, err);
}

int lxcconf_parse_file(const char *path, const struct lxcconf_opts *opts, struct lxc_config **ret,
		       struct ct_error **err)
{
	cleanup_free char *buf = NULL;
	bool is_stdin = strcmp(path, "-") == 0;
	struct stat st;
	bool have_st;
	size_t len;
	int rc;

	rc = ct_read_file(path, CT_MAX_INPUT_SIZE, &buf, &len, err);
	if (rc < 0)
		return rc;
	have_st = is_stdin ? fstat(STDIN_FILENO, &st) == 0 : stat(path, &st) == 0;
	return parse_top(buf, len, is_stdin ? "<stdin>" : path, have_st ? &st : NULL, opts, ret,
			 err);
}
