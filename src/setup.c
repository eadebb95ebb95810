/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Container set-up on disk: config edits that keep every other byte, rootfs ownership shifts. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "fileio.h"
#include "find.h"
#include "ocispec.h"
#include "translate.h"
#include "setup.h"
#include "strbuf.h"

#define SHIFT_MAX_DEPTH 256

bool setup_is_idmap_key(const char *key)
{
	return strcmp(key, "lxc.idmap") == 0 || strcmp(key, "lxc.id_map") == 0;
}

static char *dup_trim(const char *s, size_t n, bool unquote)
{
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	if (unquote && n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0]) {
		s++;
		n -= 2;
	}
	return strndup(s, n);
}

/* Split "key = value" (comments and blank lines give 0); -ENOMEM on allocation failure. */
static int line_kv(const char *line, size_t len, char **ret_key, char **ret_value)
{
	const char *eq = memchr(line, '=', len);
	size_t lead = 0;

	while (lead < len && (line[lead] == ' ' || line[lead] == '\t'))
		lead++;
	if (lead == len || line[lead] == '#' || !eq)
		return 0;
	*ret_key = dup_trim(line, (size_t)(eq - line), false);
	*ret_value = dup_trim(eq + 1, len - (size_t)(eq + 1 - line), true);
	if (!*ret_key || !*ret_value) {
		free(*ret_key);
		free(*ret_value);
		*ret_key = *ret_value = NULL;
		return -ENOMEM;
	}
	return 1;
}

static int edit_text(const char *buf, size_t len, setup_drop_fn drop, void *data,
		     const char *insert, struct strbuf *out)
{
	bool inserted = !insert || !*insert;

	for (size_t pos = 0; pos < len;) {
		const char *line = buf + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		cleanup_free char *key = NULL;
		cleanup_free char *value = NULL;
		int kv = line_kv(line, n, &key, &value);

		if (kv < 0)
			return kv;
		pos += n + (nl ? 1 : 0);
		if (kv > 0 && drop(key, value, data)) {
			if (!inserted)
				strbuf_puts(out, insert);
			inserted = true;
			continue;
		}
		strbuf_add(out, line, n + (nl ? 1 : 0));
	}
	if (!inserted) {
		if (out->len && out->s[out->len - 1] != '\n')
			strbuf_putc(out, '\n');
		strbuf_puts(out, insert);
	}
	strbuf_puts(out, "");
	return out->oom ? -ENOMEM : 0;
}

int setup_conf_edit(const char *path, setup_drop_fn drop, void *data, const char *insert,
		    bool *ret_changed, struct ct_error **err)
{
	cleanup_strbuf struct strbuf out = STRBUF_INIT;
	cleanup_free char *real = realpath(path, NULL);
	cleanup_free char *buf = NULL;
	size_t len;
	struct stat st;

	*ret_changed = false;
	if (!real)
		return ct_error_set(err, errno, "editing %s: %s", path, strerror(errno));
	if (stat(real, &st) < 0)
		return ct_error_set(err, errno, "editing %s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return ct_error_set(err, EINVAL, "editing %s: not a regular file", path);
	if (ct_read_file(real, CT_MAX_INPUT_SIZE, &buf, &len, err) < 0)
		return -1;
	if (memchr(buf, '\0', len))
		return ct_error_set(err, EINVAL, "editing %s: the file holds a NUL byte", path);
	if (edit_text(buf, len, drop, data, insert, &out) < 0)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (out.len == len && memcmp(out.s, buf, len) == 0)
		return 0;
	if (ct_write_file_atomic(real, out.s, out.len, st.st_mode & 07777, err) < 0)
		return -1;
	if ((st.st_uid != geteuid() || st.st_gid != getegid()) &&
	    chown(real, st.st_uid, st.st_gid) < 0)
		return ct_error_set(err, errno, "editing %s: keeping the owner %u:%u: %s", path,
				    (unsigned)st.st_uid, (unsigned)st.st_gid, strerror(errno));
	*ret_changed = true;
	return 0;
}

/* New owner for one id: already a host id of the map stays, a container id moves. */
static bool shift_id(const struct idmap *map, char kind, uint64_t cur, uint64_t *ret,
		     bool *unmapped)
{
	uint64_t ns;

	if (idmap_to_ns(map, kind, cur, &ns))
		return false;
	if (idmap_to_host(map, kind, cur, ret))
		return true;
	*unmapped = true;
	return false;
}

struct shift_ctx {
	const struct idmap *map;
	struct setup_shift_stats *stats;
	dev_t dev;
	const char *root;
};

/* Shift the entry fd (an O_PATH descriptor of the entry itself, never a symlink target). */
static int shift_fd(struct shift_ctx *c, int fd, const struct stat *st, const char *name,
		    struct ct_error **err)
{
	uint64_t uid = st->st_uid, gid = st->st_gid;
	bool unmapped = false, mu, mg;
	char proc[64];

	c->stats->total++;
	mu = shift_id(c->map, 'u', st->st_uid, &uid, &unmapped);
	mg = shift_id(c->map, 'g', st->st_gid, &gid, &unmapped);
	if (unmapped)
		c->stats->unmapped++;
	if (!mu && !mg)
		return 0;
	if (fchownat(fd, "", (uid_t)uid, (gid_t)gid, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) < 0)
		return ct_error_set(err, errno, "shifting the rootfs %s: chown %s: %s", c->root,
				    name, strerror(errno));
	c->stats->changed++;
	if (S_ISREG(st->st_mode) && (st->st_mode & (S_ISUID | S_ISGID))) {
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		if (chmod(proc, st->st_mode & 07777) < 0)
			return ct_error_set(err, errno, "shifting the rootfs %s: chmod %s: %s",
					    c->root, name, strerror(errno));
	}
	return 0;
}

static int shift_dir(struct shift_ctx *c, int dfd, unsigned depth, struct ct_error **err);

static int shift_entry(struct shift_ctx *c, int dfd, const char *name, unsigned depth,
		       struct ct_error **err)
{
	cleanup_close int fd = openat(dfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;

	if (fd < 0 || fstat(fd, &st) < 0)
		return ct_error_set(err, errno, "shifting the rootfs %s: %s: %s", c->root, name,
				    strerror(errno));
	if (shift_fd(c, fd, &st, name, err) < 0)
		return -1;
	if (S_ISDIR(st.st_mode) && st.st_dev == c->dev) {
		int sub = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

		if (sub < 0)
			return ct_error_set(err, errno, "shifting the rootfs %s: %s: %s", c->root,
					    name, strerror(errno));
		return shift_dir(c, sub, depth + 1, err);
	}
	return 0;
}

/* Takes dfd. */
static int shift_dir(struct shift_ctx *c, int dfd, unsigned depth, struct ct_error **err)
{
	cleanup_closedir DIR *d = fdopendir(dfd);
	struct dirent *de;

	if (!d) {
		close(dfd);
		return ct_error_set(err, errno, "shifting the rootfs %s: %s", c->root,
				    strerror(errno));
	}
	if (depth > SHIFT_MAX_DEPTH)
		return ct_error_set(err, ELOOP, "shifting the rootfs %s: deeper than %d levels",
				    c->root, SHIFT_MAX_DEPTH);
	while ((errno = 0, de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (shift_entry(c, dirfd(d), de->d_name, depth, err) < 0)
			return -1;
	}
	if (errno)
		return ct_error_set(err, errno, "shifting the rootfs %s: %s", c->root,
				    strerror(errno));
	return 0;
}

int setup_shift_rootfs(const char *rootfs, const struct idmap *map, struct setup_shift_stats *ret,
		       struct ct_error **err)
{
	struct shift_ctx c = { map, ret, 0, rootfs };
	cleanup_close int fd = open(rootfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	cleanup_close int pfd = -1;
	struct stat st;

	*ret = (struct setup_shift_stats){ 0 };
	if (fd < 0 || fstat(fd, &st) < 0)
		return ct_error_set(err, errno, "shifting the rootfs %s: %s", rootfs,
				    strerror(errno));
	if (!idmap_count(map, 'u') || !idmap_count(map, 'g'))
		return ct_error_set(err, EINVAL, "shifting the rootfs %s: no id map", rootfs);
	c.dev = st.st_dev;
	pfd = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (pfd < 0 || shift_fd(&c, pfd, &st, ".", err) < 0)
		return pfd < 0 ? ct_error_set(err, errno, "shifting the rootfs %s: %s", rootfs,
					      strerror(errno))
			       : -1;
	return shift_dir(&c, steal_fd(&fd), 0, err);
}

int setup_find_config(const struct ct_settings *s, const char *name, const char *file,
		      char **ret_path, struct ct_error **err)
{
	cleanup_target struct ctl_target t = { 0 };

	if (file ? find_config_file(name, file, &t, err) < 0 : find_by_name(s, name, &t, err) < 0)
		return -1;
	if (t.kind != CTL_KIND_LXC)
		return ct_error_hint(
			err,
			ct_error_set(err, EINVAL, "%s: an OCI bundle, not an LXC config", t.config),
			"translate it with oci2lxc, or edit config.json");
	*ret_path = steal_pointer(&t.config);
	return 0;
}

int setup_conf_idmap(const struct lxc_config *conf, struct idmap *ret, bool *ret_foreign,
		     struct ct_error **err)
{
	const struct lxc_entry *e;

	*ret_foreign = false;
	for (size_t i = 0; (e = lxcconf_next(conf, "lxc.idmap", false, &i)); i++) {
		struct idmap_range r;

		if (idmap_parse_entry(e->value, &r, err) < 0) {
			if (err && *err && e->file && !(*err)->file) {
				(*err)->file = strdup(e->file);
				(*err)->line = e->line;
			}
			return -1;
		}
		if (idmap_add(ret, &r, err) < 0)
			return -1;
		if (!e->file || !conf->path || strcmp(e->file, conf->path) != 0)
			*ret_foreign = true;
	}
	return 0;
}

int setup_conf_rootfs(const struct lxc_config *conf, char **ret, struct ct_error **err)
{
	const char *v = lxcconf_get(conf, "lxc.rootfs.path");
	cleanup_free char *dir = NULL;
	const char *slash;

	*ret = NULL;
	if (!v)
		return 0;
	if (strncmp(v, "dir:", 4) == 0)
		v += 4;
	if (v[0] == '/' || !conf->path || !(slash = strrchr(conf->path, '/'))) {
		*ret = strdup(v);
	} else {
		dir = strndup(conf->path, (size_t)(slash - conf->path));
		if (dir && asprintf(ret, "%s/%s", dir, v) < 0)
			*ret = NULL;
	}
	return *ret ? 0 : ct_error_set(err, ENOMEM, "out of memory");
}

const char *setup_template_dir(void)
{
	const char *d = getenv("CTLAUNCH_TEMPLATE_DIR");

	return d && *d ? d : DATADIR "/ctlaunch/templates";
}

/* Run argv (no shell), its output going to our stderr; 0 when it exits 0. */
static int run_prog(char *const argv[], struct ct_error **err)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return ct_error_set(err, errno, "running %s: %s", argv[0], strerror(errno));
	if (pid == 0) {
		int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

		if (fd >= 0)
			dup2(fd, STDIN_FILENO);
		dup2(STDERR_FILENO, STDOUT_FILENO);
		execvp(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return ct_error_set(err, errno, "waiting for %s: %s", argv[0],
					    strerror(errno));
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	if (WIFEXITED(st))
		return ct_error_set(err, EIO, "%s failed with exit status %d", argv[0],
				    WEXITSTATUS(st));
	return ct_error_set(err, EIO, "%s killed by signal %d", argv[0], WTERMSIG(st));
}

static void remove_tree(const char *dir)
{
	char *argv[] = { "rm", "-rf", "--one-file-system", "--", (char *)dir, NULL };

	run_prog(argv, NULL);
}

/* Fill dst (an empty directory) from a tarball or a directory. */
static int fill_rootfs(const char *src, const char *dst, struct ct_error **err)
{
	cleanup_free char *from = NULL;
	struct stat st;

	if (stat(src, &st) < 0)
		return ct_error_set(err, errno, "reading the rootfs %s: %s", src, strerror(errno));
	if (S_ISDIR(st.st_mode)) {
		char *argv[] = { "cp", "-a", "--", NULL, (char *)dst, NULL };

		if (asprintf(&from, "%s/.", src) < 0)
			return ct_error_set(err, ENOMEM, "out of memory");
		argv[3] = from;
		return ct_error_prefix(err, run_prog(argv, err), "copying the rootfs %s", src);
	}
	if (S_ISREG(st.st_mode)) {
		char *argv[] = { "tar", "--numeric-owner", "-xpf", (char *)src,
				 "-C",	(char *)dst,	   NULL };

		return ct_error_prefix(err, run_prog(argv, err), "extracting the rootfs %s", src);
	}
	return ct_error_set(err, EINVAL, "reading the rootfs %s: neither a tarball nor a directory",
			    src);
}

/* Mount points the templates use; never through a symlink. */
static int make_mount_points(const char *rootfs, struct ct_error **err)
{
	static const char *const dirs[] = { "dev", "proc", "sys", "tmp", "run" };
	cleanup_close int fd = open(rootfs, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return ct_error_set(err, errno, "opening the rootfs %s: %s", rootfs,
				    strerror(errno));
	for (size_t i = 0; i < CT_ARRAY_SIZE(dirs); i++)
		if (mkdirat(fd, dirs[i], strcmp(dirs[i], "tmp") ? 0755 : 01777) < 0 &&
		    errno != EEXIST)
			return ct_error_set(err, errno, "creating %s/%s: %s", rootfs, dirs[i],
					    strerror(errno));
	return 0;
}

struct flat {
	const char *tdir;   /* template directory */
	const char *base;   /* the Container directory the config names */
	const char *outdir; /* where side files are copied (NULL: do not copy) */
	struct strbuf *out;
};

/* A template path: "@TEMPLATEDIR@/X", "<tdir>/X" or "<installed dir>/X" -> X, else NULL. */
static const char *template_rel(const struct flat *f, const char *v)
{
	static const char *const prefixes[] = { "@TEMPLATEDIR@/", DATADIR "/ctlaunch/templates/" };
	size_t n = strlen(f->tdir);

	for (size_t i = 0; i < CT_ARRAY_SIZE(prefixes); i++)
		if (strncmp(v, prefixes[i], strlen(prefixes[i])) == 0)
			return v + strlen(prefixes[i]);
	if (strncmp(v, f->tdir, n) == 0 && v[n] == '/')
		return v + n + 1;
	return NULL;
}

static int flatten(const struct flat *f, const char *file, unsigned depth, struct ct_error **err);

static int flat_line(const struct flat *f, const char *line, size_t n, unsigned depth,
		     struct ct_error **err)
{
	cleanup_free char *key = NULL;
	cleanup_free char *value = NULL;
	cleanup_free char *src = NULL;
	cleanup_free char *dst = NULL;
	cleanup_free char *buf = NULL;
	const char *rel;
	size_t len;
	int kv = line_kv(line, n, &key, &value);

	if (kv < 0)
		return ct_error_set(err, ENOMEM, "out of memory");
	rel = kv ? template_rel(f, value) : NULL;
	if (!rel || strchr(rel, '/') || strcmp(rel, "..") == 0) {
		strbuf_add(f->out, line, n);
		strbuf_putc(f->out, '\n');
		return 0;
	}
	if (strcmp(key, "lxc.include") == 0) {
		strbuf_printf(f->out, "# ---- %s (from %s) ----\n", rel, f->tdir);
		if (asprintf(&src, "%s/%s", f->tdir, rel) < 0)
			return ct_error_set(err, ENOMEM, "out of memory");
		if (flatten(f, src, depth + 1, err) < 0)
			return -1;
		strbuf_printf(f->out, "# ---- end of %s ----\n", rel);
		return 0;
	}
	/* Any other file of the template directory (the seccomp profile) is copied beside. */
	if (asprintf(&src, "%s/%s", f->tdir, rel) < 0 ||
	    (f->outdir && asprintf(&dst, "%s/%s", f->outdir, rel) < 0))
		return ct_error_set(err, ENOMEM, "out of memory");
	if (f->outdir && (ct_read_file(src, CT_MAX_INPUT_SIZE, &buf, &len, err) < 0 ||
			  ct_write_file_atomic(dst, buf, len, 0644, err) < 0))
		return -1;
	strbuf_printf(f->out, "%s = %s/%s\n", key, f->base, rel);
	return 0;
}

static int flatten(const struct flat *f, const char *file, unsigned depth, struct ct_error **err)
{
	cleanup_free char *buf = NULL;
	size_t len;

	if (depth > 4)
		return ct_error_set(err, ELOOP,
				    "flattening the template: includes nested too deep at %s",
				    file);
	if (ct_read_file(file, CT_MAX_INPUT_SIZE, &buf, &len, err) < 0)
		return -1;
	for (size_t pos = 0; pos < len;) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - buf - pos) : len - pos;

		if (flat_line(f, buf + pos, n, depth, err) < 0)
			return ct_error_prefix(err, -1, "%s", file);
		pos += n + 1;
	}
	return 0;
}

/* The whole config text, naming files under base. */
static int make_config(const struct setup_init *in, const char *tdir, const char *base,
		       const char *outdir, char **ret, struct ct_error **err)
{
	cleanup_strbuf struct strbuf sb = STRBUF_INIT;
	cleanup_free char *tpl = NULL;
	struct flat f = { tdir, base, outdir, &sb };

	if (asprintf(&tpl, "%s/%s.conf", tdir, in->template_name) < 0)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (access(tpl, R_OK) < 0)
		return ct_error_hint(
			err, ct_error_set(err, errno, "template %s: %s", tpl, strerror(errno)),
			"templates: common, userns, nanoservice, system (in %s, or "
			"set CTLAUNCH_TEMPLATE_DIR)",
			tdir);
	strbuf_printf(&sb,
		      "# Container %s, made by ctlaunch init from the template %s.\n"
		      "# Flat: the template and what it includes are copied in, so later template\n"
		      "# updates do not change this container.\n\n",
		      in->name, tpl);
	if (flatten(&f, tpl, 0, err) < 0)
		return -1;
	strbuf_printf(&sb,
		      "\n# ---- this container ----\nlxc.uts.name = %s\n"
		      "lxc.rootfs.path = dir:%s/rootfs\n",
		      in->name, base);
	strbuf_puts(&sb, "");
	*ret = strbuf_steal(&sb);
	return *ret ? 0 : ct_error_set(err, ENOMEM, "out of memory");
}

static int write_oci(const struct setup_init *in, const char *tmp, const char *target,
		     const char *text, struct ct_error **err)
{
	struct lxcconf_opts lo = { .diag = in->diag };
	struct ct_translate_opts to = { .rootfs = "rootfs", .config_dir = tmp, .diag = in->diag };
	cleanup_lxcconf struct lxc_config *conf = NULL;
	cleanup_free char *name = NULL;
	cleanup_free char *out = NULL;
	json_t *oci = NULL;
	int rc;

	if (asprintf(&name, "%s/config", target) < 0)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (lxcconf_parse_buffer(text, strlen(text), name, &lo, &conf, err) < 0 ||
	    ct_lxc_to_oci(conf, &to, &oci, err) < 0)
		return ct_error_prefix(err, -1, "writing config.json");
	out = ocispec_dump(oci);
	json_decref(oci);
	free(name);
	if (!out || asprintf(&name, "%s/config.json", tmp) < 0)
		return ct_error_set(err, ENOMEM, "out of memory");
	rc = ct_write_file_atomic(name, out, strlen(out), 0644, err);
	return rc;
}

/* Everything in tmp; the caller renames it. */
static int build(const struct setup_init *in, const char *tmp, const char *target,
		 struct ct_error **err)
{
	cleanup_free char *rootfs = NULL;
	cleanup_free char *cfg = NULL;
	cleanup_free char *text = NULL;
	cleanup_free char *tmptext = NULL;
	const char *tdir = setup_template_dir();

	if (asprintf(&rootfs, "%s/rootfs", tmp) < 0 || asprintf(&cfg, "%s/config", tmp) < 0)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (make_config(in, tdir, target, tmp, &text, err) < 0)
		return -1;
	if (mkdir(rootfs, 0755) < 0)
		return ct_error_set(err, errno, "creating %s: %s", rootfs, strerror(errno));
	if (fill_rootfs(in->rootfs, rootfs, err) < 0 || make_mount_points(rootfs, err) < 0)
		return -1;
	if (ct_write_file_atomic(cfg, text, strlen(text), 0644, err) < 0)
		return -1;
	if (in->oci && (make_config(in, tdir, tmp, NULL, &tmptext, err) < 0 ||
			write_oci(in, tmp, target, tmptext, err) < 0))
		return -1;
	return 0;
}

/* Move tmp to target; an existing target (with force) is removed only once tmp is in. */
static int swap_in(const char *tmp, const char *target, const char *parent, bool force,
		   struct ct_error **err)
{
	cleanup_free char *old = NULL;
	struct stat st;

	if (lstat(target, &st) == 0) {
		if (!force)
			return ct_error_hint(err,
					     ct_error_set(err, EEXIST, "%s already exists", target),
					     "pass --force to replace it");
		if (!S_ISDIR(st.st_mode))
			return ct_error_set(err, ENOTDIR, "replacing %s: not a directory", target);
		/* An empty directory is replaced by rename(2): target moves aside in one step. */
		if (asprintf(&old, "%s/.Container.old.XXXXXX", parent) < 0)
			return ct_error_set(err, ENOMEM, "out of memory");
		if (!mkdtemp(old) || rename(target, old) < 0)
			return ct_error_set(err, errno, "moving %s aside: %s", target,
					    strerror(errno));
	}
	if (rename(tmp, target) < 0) {
		int e = errno;

		if (old)
			rename(old, target);
		return ct_error_set(err, e, "moving the new container to %s: %s", target,
				    strerror(e));
	}
	if (old)
		remove_tree(old);
	return 0;
}

int setup_init_container(const struct setup_init *in, char **ret_dir, struct ct_error **err)
{
	cleanup_free char *parent = NULL;
	cleanup_free char *target = NULL;
	cleanup_free char *tmp = NULL;
	struct stat st;

	if (asprintf(&parent, "%s/%s", in->path, in->name) < 0 ||
	    asprintf(&target, "%s/Container", parent) < 0)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (lstat(target, &st) == 0 && !in->force)
		return ct_error_hint(err, ct_error_set(err, EEXIST, "%s already exists", target),
				     "pass --force to replace it");
	if (mkdir(in->path, 0755) < 0 && errno != EEXIST)
		return ct_error_set(err, errno, "creating %s: %s", in->path, strerror(errno));
	if (mkdir(parent, 0755) < 0 && errno != EEXIST)
		return ct_error_set(err, errno, "creating %s: %s", parent, strerror(errno));
	if (asprintf(&tmp, "%s/.Container.new.XXXXXX", parent) < 0)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (!mkdtemp(tmp))
		return ct_error_set(err, errno, "creating a directory in %s: %s", parent,
				    strerror(errno));
	chmod(tmp, 0755);
	if (build(in, tmp, target, err) < 0 || swap_in(tmp, target, parent, in->force, err) < 0) {
		remove_tree(tmp);
		rmdir(parent); /* only when it is empty, i.e. we made it */
		return -1;
	}
	*ret_dir = steal_pointer(&target);
	return 0;
}
