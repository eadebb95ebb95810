/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lxc.seccomp.profile <-> linux.seccomp. lxc2oci reads the LXC profile text and embeds it as
 * the OCI object; oci2lxc writes the object as LXC profile text beside the output (a side file)
 * and points lxc.seccomp.profile at it. lxc.seccomp.allow_nesting and lxc.seccomp.notify.* have
 * no OCI field (listenerPath speaks another protocol) and travel as annotations. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "families.h"
#include "fileio.h"
#include "jsonutil.h"
#include "seccomp_text.h"

#define KEY_PROFILE "lxc.seccomp.profile"
#define META_PROFILE CT_ANNOT_META "seccomp.profile"

static const struct {
	const char *oci;
	uint32_t arch;
} oci_arches[] = {
	{ "SCMP_ARCH_X86", SCMP_ARCH_X86 },
	{ "SCMP_ARCH_X86_64", SCMP_ARCH_X86_64 },
	{ "SCMP_ARCH_X32", SCMP_ARCH_X32 },
	{ "SCMP_ARCH_ARM", SCMP_ARCH_ARM },
	{ "SCMP_ARCH_AARCH64", SCMP_ARCH_AARCH64 },
	{ "SCMP_ARCH_MIPS", SCMP_ARCH_MIPS },
	{ "SCMP_ARCH_MIPS64", SCMP_ARCH_MIPS64 },
	{ "SCMP_ARCH_MIPS64N32", SCMP_ARCH_MIPS64N32 },
	{ "SCMP_ARCH_MIPSEL", SCMP_ARCH_MIPSEL },
	{ "SCMP_ARCH_MIPSEL64", SCMP_ARCH_MIPSEL64 },
	{ "SCMP_ARCH_MIPSEL64N32", SCMP_ARCH_MIPSEL64N32 },
	{ "SCMP_ARCH_PPC", SCMP_ARCH_PPC },
	{ "SCMP_ARCH_PPC64", SCMP_ARCH_PPC64 },
	{ "SCMP_ARCH_PPC64LE", SCMP_ARCH_PPC64LE },
	{ "SCMP_ARCH_S390", SCMP_ARCH_S390 },
	{ "SCMP_ARCH_S390X", SCMP_ARCH_S390X },
};

/* Host architectures whose profiles liblxc applies together: on an x86_64 host the [x86], [x32]
 * and [x86_64] sections all fill the one filter. */
static int arch_group(uint32_t arch)
{
	switch (arch) {
	case SCMP_ARCH_X86:
	case SCMP_ARCH_X32:
	case SCMP_ARCH_X86_64:
		return 1;
	case SCMP_ARCH_ARM:
	case SCMP_ARCH_AARCH64:
		return 2;
	case SCMP_ARCH_PPC:
	case SCMP_ARCH_PPC64:
		return 3;
	case SCMP_ARCH_PPC64LE:
		return 4;
	case SCMP_ARCH_MIPS:
	case SCMP_ARCH_MIPS64:
	case SCMP_ARCH_MIPS64N32:
		return 5;
	case SCMP_ARCH_MIPSEL:
	case SCMP_ARCH_MIPSEL64:
	case SCMP_ARCH_MIPSEL64N32:
		return 6;
	default:
		return 7;
	}
}

static bool big_endian(uint32_t arch)
{
	return arch == SCMP_ARCH_PPC || arch == SCMP_ARCH_PPC64 || arch == SCMP_ARCH_S390 ||
	       arch == SCMP_ARCH_S390X || arch == SCMP_ARCH_MIPS || arch == SCMP_ARCH_MIPS64 ||
	       arch == SCMP_ARCH_MIPS64N32;
}

static const char *oci_arch_name(uint32_t arch)
{
	for (size_t i = 0; i < CT_ARRAY_SIZE(oci_arches); i++)
		if (oci_arches[i].arch == arch)
			return oci_arches[i].oci;
	return NULL;
}

enum { LACKS = -1 };
static const struct {
	const char *oci;
	int kind;	      /* enum sc_kind, or LACKS */
	const char *lxc_does; /* LACKS: what LXC does instead when this is the default action */
	enum sc_kind instead;
} actions[] = {
	{ "SCMP_ACT_KILL", SC_KILL, NULL, SC_KILL },
	{ "SCMP_ACT_KILL_THREAD", SC_KILL, NULL, SC_KILL }, /* libseccomp: the same value */
	{ "SCMP_ACT_KILL_PROCESS", LACKS, "kills the calling thread only (kill)", SC_KILL },
	{ "SCMP_ACT_TRAP", SC_TRAP, NULL, SC_TRAP },
	{ "SCMP_ACT_ERRNO", SC_ERRNO, NULL, SC_ERRNO },
	{ "SCMP_ACT_TRACE", LACKS, "fails the call with ENOSYS, as with no tracer attached",
	  SC_ERRNO },
	{ "SCMP_ACT_ALLOW", SC_ALLOW, NULL, SC_ALLOW },
	{ "SCMP_ACT_LOG", LACKS, "allows the call without logging it", SC_ALLOW },
	{ "SCMP_ACT_NOTIFY", SC_NOTIFY, NULL, SC_NOTIFY },
};

static const char *const kind_oci[] = {
	[SC_KILL] = "SCMP_ACT_KILL",   [SC_ALLOW] = "SCMP_ACT_ALLOW",	[SC_TRAP] = "SCMP_ACT_TRAP",
	[SC_ERRNO] = "SCMP_ACT_ERRNO", [SC_NOTIFY] = "SCMP_ACT_NOTIFY",
};

static int find_action(const char *name)
{
	for (size_t i = 0; i < CT_ARRAY_SIZE(actions); i++)
		if (strcmp(actions[i].oci, name) == 0)
			return (int)i;
	return -1;
}

static bool same_action(const struct sc_action *a, const struct sc_action *b)
{
	return a->kind == b->kind && (a->kind != SC_ERRNO || a->errno_ret == b->errno_ret);
}

/* Does any of the profile's architectures (or the host's) know the syscall? */
static bool syscall_known(const uint32_t *arches, size_t n, const char *name)
{
	if (seccomp_syscall_resolve_name_arch(SCMP_ARCH_NATIVE, name) >= 0)
		return true;
	for (size_t i = 0; i < n; i++)
		if (seccomp_syscall_resolve_name_arch(arches[i], name) >= 0)
			return true;
	return false;
}

/* LXC -> OCI. */

struct conv {
	struct ct_ctx *ctx;
	struct ct_diag *diag; /* NULL: quiet (the comparison of a recorded profile) */
	const char *file;
	struct ct_error **err;
};

static int json_add_u64(struct conv *c, json_t *obj, const char *key, uint64_t v, unsigned line)
{
	if (v > (uint64_t)INT64_MAX)
		return ct_error_at(
			c->err, c->file, line, 0,
			"translating the seccomp rule: value %llu does not fit in a JSON "
			"integer",
			(unsigned long long)v);
	json_object_set_new_nocheck(obj, key, json_integer((json_int_t)v));
	return 0;
}

static json_t *oci_action(json_t *obj, const struct sc_action *a, const char *key,
			  const char *errkey)
{
	/* keys and action names are literals: no UTF-8 checks */
	json_object_set_new_nocheck(obj, key, json_string_nocheck(kind_oci[a->kind]));
	if (a->kind == SC_ERRNO && !(a->errno_implicit && a->errno_ret == EPERM))
		json_object_set_new_nocheck(obj, errkey, json_integer(a->errno_ret));
	return obj;
}

static int rule_args(struct conv *c, const struct sc_rule *r, json_t *args)
{
	for (unsigned i = 0; i < r->nargs; i++) {
		const struct sc_arg *a = &r->args[i];
		json_t *o = json_object();
		bool masked = a->op == SC_MASKED_EQ;

		if (!o || json_array_append_new(args, o) < 0)
			return ct_error_set(c->err, ENOMEM, "out of memory");
		json_object_set_new_nocheck(o, "index", json_integer(a->index));
		/* OCI: (arg & value) == valueTwo; LXC: [index,datum,&=,mask]. */
		if (json_add_u64(c, o, "value", masked ? a->mask : a->value, r->line) < 0)
			return -1;
		if (masked && a->value && json_add_u64(c, o, "valueTwo", a->value, r->line) < 0)
			return -1;
		json_object_set_new_nocheck(o, "op",
					    json_string_nocheck(seccomp_text_op_name(a->op)));
	}
	return 0;
}

/* The OCI rule for one LXC rule line (without names). */
static int rule_body(struct conv *c, const struct sc_profile *p, const struct sc_rule *r,
		     json_t **ret)
{
	cleanup_json json_t *o = json_object();
	struct sc_rule fu = *r;

	if (!o)
		return ct_error_set(c->err, ENOMEM, "out of memory");
	if (r->force_umount) {
		/* What liblxc adds for reject_force_umount. */
		fu.action = (struct sc_action){ .kind = SC_ERRNO, .errno_ret = EACCES };
		fu.nargs = 1;
		fu.args[0] = (struct sc_arg){
			.index = 1, .value = MNT_FORCE, .mask = MNT_FORCE, .op = SC_MASKED_EQ
		};
	}
	if (same_action(&fu.action, &p->def))
		return ct_error_hint(c->err,
				     ct_error_at(c->err, c->file, r->line, 0,
						 "translating the seccomp rule: its action is the "
						 "default action (libseccomp refuses the profile)"),
				     "remove the rule or change its action");
	oci_action(o, &fu.action, "action", "errnoRet");
	if (fu.nargs) {
		json_t *args = json_array();

		if (!args || ct_json_set_member(o, "args", args) < 0)
			return ct_error_set(c->err, ENOMEM, "out of memory");
		if (rule_args(c, &fu, args) < 0)
			return -1;
	}
	*ret = steal_pointer(&o);
	return 0;
}

static bool same_body(json_t *a, json_t *b)
{
	static const char *const keys[] = { "action", "errnoRet", "args" };

	for (size_t i = 0; i < CT_ARRAY_SIZE(keys); i++) {
		json_t *x = json_object_get(a, keys[i]), *y = json_object_get(b, keys[i]);

		if ((x || y) && !(x && y && json_equal(x, y)))
			return false;
	}
	return true;
}

/* *ret_owned receives what libseccomp allocated for a v1 number (free it). */
static int rule_name(struct conv *c, const struct sc_profile *p, const struct sc_rule *r,
		     const char **ret, char **ret_owned)
{
	if (r->force_umount) {
		*ret = "umount2";
		return 0;
	}
	if (!r->name) {
		*ret_owned = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, r->nr);
		*ret = *ret_owned;
		if (!*ret)
			return ct_error_at(
				c->err, c->file, r->line, 0,
				"translating the seccomp rule: syscall number %d is unknown "
				"on this host's architecture",
				r->nr);
		return 0;
	}
	*ret = r->name;
	if (!syscall_known(p->arches, p->narches, r->name))
		return ct_warn(c->diag, c->err, c->file, r->line, 0,
			       "seccomp rule: no architecture of the profile knows the syscall "
			       "\"%s\" (liblxc skips it)",
			       r->name);
	return 0;
}

static int add_syscalls(struct conv *c, const struct sc_profile *p, json_t *out)
{
	json_t *syscalls = json_array();
	json_t *prev = NULL;

	if (!syscalls || ct_json_set_member(out, "syscalls", syscalls) < 0)
		return ct_error_set(c->err, ENOMEM, "out of memory");
	for (size_t i = 0; i < p->nrules; i++) {
		cleanup_json json_t *body = NULL;
		cleanup_free char *owned = NULL;
		const char *name;
		int rc;

		rc = rule_body(c, p, &p->rules[i], &body);
		if (rc >= 0)
			rc = rule_name(c, p, &p->rules[i], &name, &owned);
		if (rc < 0)
			return rc;
		if (prev && same_body(prev, body)) {
			json_array_append_new(json_object_get(prev, "names"), ct_json_str(name));
			continue;
		}
		/* names first, as runtimes write it */
		prev = ct_json_put(json_object(), "names",
				   ct_json_push(json_array(), ct_json_str(name)));
		if (!prev || json_object_update(prev, body) < 0 ||
		    json_array_append_new(syscalls, prev) < 0)
			return ct_error_set(c->err, ENOMEM, "out of memory");
	}
	if (!json_array_size(syscalls))
		json_object_del(out, "syscalls");
	return 0;
}

static int warn_mixed_sections(struct conv *c, const struct sc_profile *p)
{
	bool gated = false;

	for (size_t i = 0; i < p->nrules && !gated; i++)
		gated = p->rules[i].arch != 0;
	for (size_t i = 1; i < p->narches; i++)
		if (big_endian(p->arches[i]) != big_endian(p->arches[0]))
			return ct_warn(
				c->diag, c->err, c->file, 0, 0,
				"seccomp profile: sections for architectures of both byte "
				"orders; libseccomp (runc) refuses such an architectures list");
	for (size_t i = 1; gated && i < p->narches; i++)
		if (arch_group(p->arches[i]) != arch_group(p->arches[0]))
			return ct_warn(c->diag, c->err, c->file, 0, 0,
				       "seccomp profile: sections for different host "
				       "architectures are merged; in OCI every rule applies on "
				       "every listed architecture");
	return 0;
}

static int profile_to_oci(struct conv *c, const struct sc_profile *p, json_t **ret)
{
	cleanup_json json_t *o = json_object();

	if (!o)
		return ct_error_set(c->err, ENOMEM, "out of memory");
	oci_action(o, &p->def, "defaultAction", "defaultErrnoRet");
	if (p->narches) {
		json_t *a = json_array();

		if (!a || ct_json_set_member(o, "architectures", a) < 0)
			return ct_error_set(c->err, ENOMEM, "out of memory");
		for (size_t i = 0; i < p->narches; i++)
			json_array_append_new(a, ct_json_str(oci_arch_name(p->arches[i])));
	}
	if (warn_mixed_sections(c, p) < 0 || add_syscalls(c, p, o) < 0)
		return -1;
	*ret = steal_pointer(&o);
	return 0;
}

/*
 * The OCI object of the last few profile files. A file is known by its path and the stat(2)
 * identity (device, inode, size, mtime, ctime) under which the file cache served its contents:
 * the cache keeps only contents whose timestamps had settled, so the same identity means the
 * same text. oci2lxc's own profile, translated back before it is written, is known by its path
 * and its whole text instead. lxc2oci translates LXC's common.seccomp on every call, oci2lxc
 * the profile it generates. A copy from here is exactly what translating the text again gives;
 * an object whose translation warned is handed only to calls without diagnostics (for them the
 * warnings change nothing). The kept objects are never handed out or changed: callers get a
 * copy. Thread-safe, bounded.
 */
#define PROFILE_CACHE_SLOTS 4
#define PROFILE_CACHE_MAX_TEXT (64u * 1024) /* larger profiles are translated every time */

struct profile_key {
	const char *path;
	const char *text; /* oci2lxc's own profile, not yet on disk: known by its text */
	size_t len;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtim, ctim;
};

static struct {
	pthread_mutex_t lock;
	unsigned long tick;
	struct {
		struct profile_key key; /* key.path owned */
		json_t *sec;
		bool warned; /* its translation warned: served to quiet calls only */
		unsigned long used;
	} v[PROFILE_CACHE_SLOTS];
} profiles = { .lock = PTHREAD_MUTEX_INITIALIZER };

static bool same_time(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

static bool same_key(const struct profile_key *a, const struct profile_key *b)
{
	if (!a->path || !a->text != !b->text ||
	    (a->text && (a->len != b->len || memcmp(a->text, b->text, a->len) != 0)))
		return false;
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	       same_time(&a->mtim, &b->mtim) && same_time(&a->ctim, &b->ctim) &&
	       strcmp(a->path, b->path) == 0;
}

static json_t *cached_profile(const struct profile_key *key, bool quiet)
{
	json_t *sec = NULL, *copy;

	pthread_mutex_lock(&profiles.lock);
	for (size_t i = 0; i < PROFILE_CACHE_SLOTS; i++) {
		if (same_key(&profiles.v[i].key, key) && (quiet || !profiles.v[i].warned)) {
			sec = json_incref(profiles.v[i].sec); /* atomic: survives an eviction */
			profiles.v[i].used = ++profiles.tick;
			break;
		}
	}
	pthread_mutex_unlock(&profiles.lock);
	copy = ct_json_copy(sec);
	json_decref(sec);
	return copy;
}

static void keep_profile(const struct profile_key *key, const json_t *sec, bool warned)
{
	json_t *copy = ct_json_copy(sec);
	char *path = strdup(key->path);
	char *text = key->text ? malloc(key->len + 1) : NULL;
	size_t lru = 0;

	if (!copy || !path || (key->text && !text)) {
		json_decref(copy);
		free(path);
		free(text);
		return;
	}
	if (text) {
		memcpy(text, key->text, key->len);
		text[key->len] = '\0';
	}
	pthread_mutex_lock(&profiles.lock);
	for (size_t i = 1; i < PROFILE_CACHE_SLOTS; i++)
		if (profiles.v[i].used < profiles.v[lru].used)
			lru = i;
	free((char *)profiles.v[lru].key.path);
	free((char *)profiles.v[lru].key.text);
	json_decref(profiles.v[lru].sec);
	profiles.v[lru].key = *key;
	profiles.v[lru].key.path = path;
	profiles.v[lru].key.text = text;
	profiles.v[lru].sec = copy;
	profiles.v[lru].warned = warned;
	profiles.v[lru].used = ++profiles.tick;
	pthread_mutex_unlock(&profiles.lock);
}

/* profile_to_oci, keeping the result under key when nothing was warned about (the warnings of
 * a quiet call are counted too: a later call may not be quiet). */
static int profile_to_oci_kept(struct conv *c, const struct sc_profile *p,
			       const struct profile_key *key, json_t **ret)
{
	struct ct_diag *outer = c->diag;
	struct ct_diag counting = {
		.warn = outer ? outer->warn : NULL,
		.data = outer ? outer->data : NULL,
		.strict = outer && outer->strict,
	};
	int rc;

	c->diag = &counting;
	rc = profile_to_oci(c, p, ret);
	c->diag = outer;
	if (outer)
		outer->count += counting.count;
	/* a result that warned is kept for quiet calls only (the reverse translation's) */
	if (rc >= 0 && (!counting.count || !outer) && key->size <= (off_t)PROFILE_CACHE_MAX_TEXT)
		keep_profile(key, *ret, counting.count != 0);
	return rc;
}

static char *resolve_path(const struct ct_translate_opts *opts, const char *value)
{
	char *path = NULL;
	int rc;

	if (value[0] == '/')
		rc = opts->sysroot ? asprintf(&path, "%s%s", opts->sysroot, value)
				   : asprintf(&path, "%s", value);
	else
		rc = opts->config_dir ? asprintf(&path, "%s/%s", opts->config_dir, value)
				      : asprintf(&path, "%s", value);
	return rc < 0 ? NULL : path;
}

/* The profile's text. A regular file comes from the per-process file cache while stat(2) says it
 * is the version read before (lxc2oci reads LXC's common.seccomp on every translation); anything
 * else is read as ct_read_file() reads it, with the same messages. */
static int read_profile(const char *path, struct ct_file **ret, struct profile_key *ret_key,
			struct ct_error **err)
{
	cleanup_close int fd = -1;
	struct stat st;

	if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
		*ret = ct_file_cache_get(path, &st);
		if (*ret) {
			*ret_key = (struct profile_key){ .path = path,
							 .dev = st.st_dev,
							 .ino = st.st_ino,
							 .size = st.st_size,
							 .mtim = st.st_mtim,
							 .ctim = st.st_ctim };
			return 0;
		}
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return ct_error_set(err, errno, "%s: cannot open: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0)
		return ct_error_set(err, errno, "%s: cannot stat: %s", path, strerror(errno));
	return ct_file_read_fd(fd, path, &st, SECCOMP_TEXT_MAX_SIZE, ret, err);
}

/* Read and translate the profile value names. */
static int load_profile(struct conv *c, const char *value, const struct lxc_entry *e, json_t **ret)
{
	const struct ct_translate_opts *opts = c->ctx->opts;
	cleanup_free char *path = resolve_path(opts, value), *own = NULL;
	cleanup_ct_file struct ct_file *file = NULL;
	cleanup_error struct ct_error *rerr = NULL;
	cleanup_sc_profile struct sc_profile *p = NULL;
	const char *buf;
	size_t len;
	struct profile_key key = {
		0
	}; /* set when the text can be cached (file cache or pending) */
	int rc;

	if (!path)
		return ct_error_set(c->err, ENOMEM, "out of memory");
	/* oci2lxc's own profile, translated back before it reaches the disk. */
	buf = ct_pending_file(opts, value);
	if (buf) {
		len = strlen(buf);
		key = (struct profile_key){
			.path = path, .text = buf, .len = len, .size = (off_t)len
		};
	} else {
		/* "-" is standard input to ct_read_file: never cached */
		rc = strcmp(path, "-") == 0
			     ? ct_read_file(path, SECCOMP_TEXT_MAX_SIZE, &own, &len, &rerr)
			     : read_profile(path, &file, &key, &rerr);
		if (rc < 0) {
			rc = ct_error_entry(c->err, e, "reading the seccomp profile %s: %s", path,
					    rerr && rerr->msg ? rerr->msg : "failed");
			return ct_error_hint(c->err, rc, "%s",
					     value[0] == '/'
						     ? "absolute paths are read under --sysroot"
						     : "relative paths are read from the directory "
						       "of the config");
		}
		buf = file ? file->buf : own;
		len = file ? file->len : len;
	}
	c->file = path;
	if (key.path && (*ret = cached_profile(&key, !c->diag)))
		return 0;
	if (seccomp_text_parse(buf, len, path, &p, c->err) < 0)
		return -1;
	return key.path ? profile_to_oci_kept(c, p, &key, ret) : profile_to_oci(c, p, ret);
}

static int seccomp_to_oci(struct ct_ctx *ctx, struct ct_error **err)
{
	const struct ct_translate_opts *opts = ctx->opts;
	struct conv c = { .ctx = ctx, .diag = opts->diag, .err = err };
	const struct lxc_entry *e, *last = NULL;
	cleanup_json json_t *sec = NULL;
	json_t *annot;

	for (size_t i = 0; (e = lxcconf_next(ctx->lxc, KEY_PROFILE, false, &i)); i++) {
		ct_use(ctx, i);
		last = e;
	}
	if (!last)
		return 0;
	if (load_profile(&c, last->value, last, &sec) < 0)
		return -1;
	if (ct_json_set(ctx->oci, "/linux/seccomp", steal_pointer(&sec), err) < 0)
		return -1;
	/* Record the path, always: what lxc2oci produces must depend on the config alone, or the
	 * '#oci:' lines oci2lxc computes in memory would not match a later lxc2oci of its output.
	 * On the OCI -> LXC -> OCI path a removal line takes the annotation away again. */
	annot = ct_json_obj(ctx->oci, "/annotations");
	if (!annot || ct_json_set_member(annot, META_PROFILE, ct_json_str(last->value)) < 0)
		return ct_error_set(err, ENOMEM, "out of memory");
	return 0;
}

/* OCI -> LXC. */

static int lxc_action(struct ct_ctx *ctx, struct ct_error **err, json_t *obj, const char *key,
		      const char *errkey, const char *pointer, struct sc_action *a, bool is_default)
{
	const char *name = json_string_value(json_object_get(obj, key));
	json_t *eno = json_object_get(obj, errkey);
	int i = name ? find_action(name) : -1;

	if (i < 0)
		return ct_error_set(err, 0, "%s/%s: unknown seccomp action \"%s\"", pointer, key,
				    name ? name : "");
	*a = (struct sc_action){ .kind = actions[i].kind == LACKS ? actions[i].instead
								  : (enum sc_kind)actions[i].kind };
	if (actions[i].kind == LACKS) {
		if (!is_default)
			return 1;
		if (a->kind == SC_ERRNO)
			a->errno_ret = ENOSYS;
		return ct_warn_oci(ctx, err, pointer, "LXC has no %s: under LXC the default %s",
				   name, actions[i].lxc_does);
	}
	if (a->kind != SC_ERRNO)
		return 0;
	if (!eno) {
		a->errno_ret = EPERM;
		a->errno_implicit = true;
	} else if (!json_is_integer(eno) || json_integer_value(eno) < 0 ||
		   json_integer_value(eno) > 4095) {
		return ct_error_set(err, 0, "%s/%s: errno values go from 0 to 4095", pointer,
				    errkey);
	} else {
		a->errno_ret = (unsigned)json_integer_value(eno);
	}
	return 0;
}

static int lxc_args(struct ct_error **err, json_t *args, const char *pointer, struct sc_rule *r)
{
	size_t i;
	json_t *a;

	if (json_array_size(args) > SECCOMP_TEXT_MAX_ARGS)
		return ct_error_set(err, 0, "%s/args: more than %d conditions", pointer,
				    SECCOMP_TEXT_MAX_ARGS);
	json_array_foreach (args, i, a) {
		json_int_t index = json_integer_value(json_object_get(a, "index"));
		json_int_t value = json_integer_value(json_object_get(a, "value"));
		json_int_t two = json_integer_value(json_object_get(a, "valueTwo"));
		const char *op = json_string_value(json_object_get(a, "op"));
		int o = op ? seccomp_text_op_from_name(op) : -1;

		if (index < 0 || index >= SECCOMP_TEXT_MAX_ARGS || value < 0 || two < 0 || o < 0 ||
		    op[0] != 'S')
			return ct_error_set(err, 0,
					    "%s/args/%zu: bad condition (index 0-5, unsigned "
					    "values, op SCMP_CMP_*)",
					    pointer, i);
		r->args[i] = (struct sc_arg){ .index = (unsigned)index, .op = (enum sc_op)o };
		if (o == SC_MASKED_EQ) {
			r->args[i].mask = (uint64_t)value;
			r->args[i].value = (uint64_t)two;
			r->args[i].has_mask = true;
		} else {
			r->args[i].value = (uint64_t)value;
		}
		r->nargs++;
	}
	return 0;
}

static bool name_ok(const char *s)
{
	if (!s || !*s || strcmp(s, "reject_force_umount") == 0)
		return false;
	for (; *s; s++)
		if (!(*s >= 'a' && *s <= 'z') && !(*s >= '0' && *s <= '9') && *s != '_' &&
		    !(*s >= 'A' && *s <= 'Z'))
			return false;
	return true;
}

static int lxc_rule(struct ct_ctx *ctx, struct ct_error **err, struct sc_profile *p, json_t *rule,
		    size_t idx)
{
	char pointer[64];
	struct sc_rule r = { 0 };
	json_t *names = json_object_get(rule, "names"), *n;
	size_t j;
	int rc;

	snprintf(pointer, sizeof(pointer), "/linux/seccomp/syscalls/%zu", idx);
	rc = lxc_action(ctx, err, rule, "action", "errnoRet", pointer, &r.action, false);
	if (rc < 0)
		return rc;
	if (rc > 0)
		return ct_warn_oci(ctx, err, pointer,
				   "LXC has no %s action: the rule is left out of the LXC profile "
				   "(kept as a carry line; liblxc would not apply it)",
				   json_string_value(json_object_get(rule, "action")));
	/* libseccomp refuses a rule with the default action; runtimes skip it. */
	if (same_action(&r.action, &p->def))
		return 0;
	r.action_given = true;
	if (lxc_args(err, json_object_get(rule, "args"), pointer, &r) < 0)
		return -1;
	json_array_foreach (names, j, n) {
		const char *name = json_string_value(n);

		if (!name_ok(name)) {
			rc = ct_warn_oci(ctx, err, pointer,
					 "syscall name \"%s\" cannot be written in an LXC profile: "
					 "left out (kept as a carry line)",
					 name ? name : "");
			if (rc < 0)
				return rc;
			continue;
		}
		if (!syscall_known(p->arches, p->narches, name)) {
			rc = ct_warn_oci(ctx, err, pointer,
					 "no architecture of the profile knows the syscall \"%s\"",
					 name);
			if (rc < 0)
				return rc;
		}
		r.name = (char *)name;
		if (seccomp_text_add_rule(p, &r, err) < 0)
			return -1;
	}
	return 0;
}

static int lxc_arches(struct ct_ctx *ctx, struct ct_error **err, json_t *sec, struct sc_profile *p)
{
	json_t *list = json_object_get(sec, "architectures"), *v;
	size_t i;

	json_array_foreach (list, i, v) {
		const char *name = json_string_value(v);
		uint32_t arch = 0;
		char pointer[64];
		bool dup = false;

		for (size_t k = 0; name && k < CT_ARRAY_SIZE(oci_arches); k++)
			if (strcmp(oci_arches[k].oci, name) == 0)
				arch = oci_arches[k].arch;
		for (size_t k = 0; k < p->narches; k++)
			dup = dup || p->arches[k] == arch;
		snprintf(pointer, sizeof(pointer), "/linux/seccomp/architectures/%zu", i);
		if (!arch && ct_warn_oci(ctx, err, pointer,
					 "LXC has no profile section for %s: liblxc filters only "
					 "the host's architectures (kept as a carry line)",
					 name ? name : "") < 0)
			return -1;
		if (arch && !dup && p->narches < SECCOMP_TEXT_MAX_SECTIONS)
			p->arches[p->narches++] = arch;
	}
	return 0;
}

static int warn_unsupported(struct ct_ctx *ctx, struct ct_error **err, json_t *sec)
{
	static const struct {
		const char *key, *what;
	} fields[] = {
		{ "flags", "liblxc sets no seccomp filter flags" },
		{ "listenerPath", "liblxc sends notifications to lxc.seccomp.notify.proxy with its "
				  "own protocol, not the listener fd to a socket" },
		{ "listenerMetadata", "liblxc has no listener metadata" },
	};

	for (size_t i = 0; i < CT_ARRAY_SIZE(fields); i++) {
		char pointer[64];

		if (!json_object_get(sec, fields[i].key))
			continue;
		snprintf(pointer, sizeof(pointer), "/linux/seccomp/%s", fields[i].key);
		if (ct_warn_oci(ctx, err, pointer, "%s (kept as a carry line)", fields[i].what) < 0)
			return -1;
	}
	return 0;
}

/* Does the profile lxc2oci recorded still give exactly this object? */
static bool recorded_profile_fits(struct ct_ctx *ctx, const char *value, json_t *sec)
{
	struct ct_translate_opts quiet = *ctx->opts;
	struct ct_ctx qctx = *ctx;
	cleanup_error struct ct_error *qerr = NULL;
	cleanup_json json_t *got = NULL;
	struct conv c = { .ctx = &qctx, .err = &qerr };

	quiet.diag = NULL;
	qctx.opts = &quiet;
	qctx.warned = NULL; /* never grown here: no ct_warn_oci on this path */
	qctx.nwarned = 0;
	if (load_profile(&c, value, NULL, &got) < 0)
		return false;
	return json_equal(got, sec);
}

static int build_profile(struct ct_ctx *ctx, struct ct_error **err, json_t *sec,
			 struct sc_profile *p)
{
	json_t *rules, *rule;
	size_t i;

	p->version = 2;
	if (lxc_action(ctx, err, sec, "defaultAction", "defaultErrnoRet", "/linux/seccomp", &p->def,
		       true) < 0)
		return -1;
	p->denylist = p->def.kind == SC_ALLOW;
	if (lxc_arches(ctx, err, sec, p) < 0 || warn_unsupported(ctx, err, sec) < 0)
		return -1;
	rules = json_object_get(sec, "syscalls");
	json_array_foreach (rules, i, rule)
		if (lxc_rule(ctx, err, p, rule, i) < 0)
			return -1;
	return 0;
}

static int seccomp_to_lxc(struct ct_ctx *ctx, struct ct_error **err)
{
	json_t *sec = ct_json_get(ctx->oci, "/linux/seccomp");
	const char *recorded = json_string_value(
		json_object_get(json_object_get(ctx->oci, "annotations"), META_PROFILE));
	const char *out = ctx->opts->seccomp_path;
	cleanup_sc_profile struct sc_profile *p = calloc(1, sizeof(*p));
	cleanup_free char *text = NULL;

	if (!p)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (!sec)
		return 0;
	if (!json_is_object(sec))
		return ct_error_set(err, 0, "/linux/seccomp: expected an object");
	if (recorded && recorded_profile_fits(ctx, recorded, sec))
		return lxcconf_add(ctx->lxc, KEY_PROFILE, recorded, NULL, 0, err);
	if (recorded && ct_warn_oci(ctx, err, "/annotations/" META_PROFILE,
				    "the profile %s no longer gives this linux.seccomp: writing a "
				    "new profile",
				    recorded) < 0)
		return -1;
	if (!out)
		return ct_error_hint(err,
				     ct_error_set(err, 0,
						  "/linux/seccomp: no file to write the LXC "
						  "seccomp profile to"),
				     "use -o or --seccomp-output");
	if (build_profile(ctx, err, sec, p) < 0)
		return -1;
	text = seccomp_text_write(p);
	if (!text)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (ct_add_side_file(ctx, out, text, err) < 0)
		return -1;
	return lxcconf_add(ctx->lxc, KEY_PROFILE, out, NULL, 0, err);
}

static const struct ct_doc_row doc[] = {
	{ "lxc.seccomp.profile", "linux.seccomp",
	  "lxc2oci reads the profile (relative paths from the config's directory, absolute ones "
	  "under --sysroot) and embeds it; its path is kept in the annotation "
	  "org.ctlaunch.meta.seccomp.profile, and oci2lxc points lxc.seccomp.profile back at it "
	  "when that file still gives the same object. Otherwise oci2lxc writes the profile "
	  "(version 2) to --seccomp-output (default OUTPUT.seccomp) and needs -o or "
	  "--seccomp-output when there is a linux.seccomp. Version 1 profiles hold native "
	  "syscall numbers: they are named for the host running lxc2oci" },
	{ "-", "linux.seccomp.defaultAction, defaultErrnoRet",
	  "denylist: SCMP_ACT_ALLOW, allowlist: SCMP_ACT_KILL, unless line 2 names an action; "
	  "errno N gives SCMP_ACT_ERRNO and defaultErrnoRet N (EPERM when absent in OCI). "
	  "SCMP_ACT_LOG, SCMP_ACT_KILL_PROCESS and SCMP_ACT_TRACE have no LXC action: as the "
	  "default they become allow, kill and errno 38 with a warning" },
	{ "-", "linux.seccomp.architectures",
	  "the profile's section headers, first-seen order ([arm64] is SCMP_ARCH_AARCH64); "
	  "liblxc applies [all] rules to the host's architecture and its compat ABIs (x86_64: "
	  "x86, x32; arm64: arm) whatever OCI lists. Sections for other host architectures are "
	  "skipped by liblxc but merged in OCI (warning). Architectures without an LXC section "
	  "(riscv64, parisc) stay as carry lines" },
	{ "-", "linux.seccomp.syscalls",
	  "one LXC line per name; consecutive lines with the same action and arguments form one "
	  "OCI rule. Several args are ANDed: one line with several [index,value,op] groups. "
	  "SCMP_CMP_MASKED_EQ: OCI value is the mask and valueTwo the datum, LXC writes "
	  "[index,datum,SCMP_CMP_MASKED_EQ,mask]. reject_force_umount is umount2 errno 13 with "
	  "arg 1 &= MNT_FORCE. Rules whose action is the default action are skipped (libseccomp "
	  "refuses them); rules with SCMP_ACT_LOG/KILL_PROCESS/TRACE are left out with a "
	  "warning and kept as carry lines; SCMP_ACT_KILL_THREAD is LXC's kill" },
	{ "-", "linux.seccomp.flags, listenerPath, listenerMetadata",
	  "no LXC equivalent (lxc.seccomp.notify.proxy speaks another protocol): carry lines" },
	{ "lxc.seccomp.allow_nesting", "-", "annotation org.ctlaunch.lxc.seccomp.allow_nesting" },
	{ "lxc.seccomp.notify.proxy", "-",
	  "annotation (not listenerPath: liblxc forwards each notification, runc passes the fd)" },
	{ "lxc.seccomp.notify.cookie", "-", "annotation" },
	{ NULL, NULL, NULL },
};

const struct ct_family ct_family_seccomp = {
	.name = "seccomp",
	.to_oci = seccomp_to_oci,
	.to_lxc = seccomp_to_lxc,
	.doc = doc,
};
