/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The mounts LXC implies without an entry, as OCI mounts: the lxc.mount.auto tokens liblxc 5
 * knows and the mounts they stand for, the autodev /dev tmpfs and the devpts for lxc.pty.max. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <linux/magic.h>

#include "cleanup.h"
#include "jsonutil.h"
#include "mountopts.h"
#include "strbuf.h"
#include "translate.h"

const char *const mnt_devpts_options[MNT_NDEVPTS_OPTIONS] = {
	"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5",
};

/* Every token liblxc 5 accepts; ro: the OCI mount gets "ro"; v2: a cgroup2 mount. */
static const struct mntauto_token auto_tokens[] = {
	{ "proc", MNTAUTO_PROC, false, false },
	{ "proc:mixed", MNTAUTO_PROC, false, false },
	{ "proc:rw", MNTAUTO_PROC, false, false },
	{ "sys", MNTAUTO_SYS, true, false },
	{ "sys:ro", MNTAUTO_SYS, true, false },
	{ "sys:mixed", MNTAUTO_SYS, true, false },
	{ "sys:rw", MNTAUTO_SYS, false, false },
	{ "cgroup", MNTAUTO_CGROUP, false, false },
	{ "cgroup:mixed", MNTAUTO_CGROUP, false, false },
	{ "cgroup:ro", MNTAUTO_CGROUP, true, false },
	{ "cgroup:rw", MNTAUTO_CGROUP, false, false },
	{ "cgroup:force", MNTAUTO_CGROUP, false, false },
	{ "cgroup:mixed:force", MNTAUTO_CGROUP, false, false },
	{ "cgroup:ro:force", MNTAUTO_CGROUP, true, false },
	{ "cgroup:rw:force", MNTAUTO_CGROUP, false, false },
	{ "cgroup-full", MNTAUTO_CGROUP, false, false },
	{ "cgroup-full:mixed", MNTAUTO_CGROUP, false, false },
	{ "cgroup-full:ro", MNTAUTO_CGROUP, true, false },
	{ "cgroup-full:rw", MNTAUTO_CGROUP, false, false },
	{ "cgroup-full:force", MNTAUTO_CGROUP, false, false },
	{ "cgroup-full:mixed:force", MNTAUTO_CGROUP, false, false },
	{ "cgroup-full:ro:force", MNTAUTO_CGROUP, true, false },
	{ "cgroup-full:rw:force", MNTAUTO_CGROUP, false, false },
	{ "cgroup2", MNTAUTO_CGROUP, false, true },
	{ "cgroup2:ro", MNTAUTO_CGROUP, true, true },
	{ "cgroup2:force", MNTAUTO_CGROUP, false, true },
	{ "cgroup2:ro:force", MNTAUTO_CGROUP, true, true },
};

void mntauto_release(struct mntauto *s)
{
	free(s->sh_host);
	free(s->sh_cont);
}

static const struct mntauto_token shmounts_token = { "shmounts:", MNTAUTO_SHMOUNTS, false, false };

const struct mntauto_token *mntauto_lookup(const char *tok, size_t n)
{
	for (size_t i = 0; i < CT_ARRAY_SIZE(auto_tokens); i++)
		if (strlen(auto_tokens[i].token) == n && strncmp(auto_tokens[i].token, tok, n) == 0)
			return &auto_tokens[i];
	if (n > 9 && strncmp(tok, "shmounts:", 9) == 0)
		return &shmounts_token;
	return NULL;
}

static int mntauto_shmounts(struct mntauto *s, const char *tok, size_t n)
{
	cleanup_free char *v = strndup(tok + 9, n - 9);
	char *colon;

	if (!v)
		return -ENOMEM;
	colon = strchr(v, ':');
	free(s->sh_cont);
	if (colon && colon[1]) {
		*colon = '\0';
		s->sh_cont = strdup(colon + 1);
	} else {
		if (colon)
			*colon = '\0';
		s->sh_cont = strdup("/dev/.lxc-mounts");
	}
	free(s->sh_host);
	s->sh_host = steal_pointer(&v);
	return s->sh_cont ? 0 : -ENOMEM;
}

/* Add the tokens of one lxc.mount.auto value to s. Returns the bad token's length (> 0) with
 * *ret_bad set when a token is unknown, < 0 on allocation failure. */
int mntauto_parse(struct mntauto *s, const char *value, const char **ret_bad)
{
	for (const char *p = value; *p;) {
		size_t n;
		const struct mntauto_token *t;

		p += strspn(p, " \t\n");
		n = strcspn(p, " \t\n");
		if (!n)
			break;
		t = mntauto_lookup(p, n);
		if (!t) {
			*ret_bad = p;
			return (int)(n > 64 ? 64 : n);
		}
		s->tok[t->kind] = t;
		if (t->kind == MNTAUTO_SHMOUNTS && mntauto_shmounts(s, p, n) < 0)
			return -ENOMEM;
		p += n;
	}
	return 0;
}

static json_t *lit(const char *s, size_t n)
{
	return json_stringn_nocheck(s, n);
}

#define LIT(s) lit(s, sizeof(s) - 1)

static json_t *mnt_strv_json(const char *const *v, size_t n, const char *extra)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < n; i++)
		a = ct_json_push(a, ct_json_lit(v[i]));
	return a && extra ? ct_json_push(a, ct_json_lit(extra)) : a;
}

static const char *const sys_options[] = { "nosuid", "noexec", "nodev" };
static const char *const cgroup_options[] = { "nosuid", "noexec", "nodev", "relatime" };

/* A mount in runc's member order (type and options left out when NULL); takes the members, also
 * on failure. Built on every translation: the member names go in with their lengths. */
static json_t *fixed_mount(json_t *dest, json_t *type, json_t *source, json_t *options)
{
	json_t *m = json_object();

	/* each set takes its value, also when it fails; those not reached are released below */
	if (m && dest &&
	    !json_object_setn_new_nocheck(m, "destination", 11, steal_pointer(&dest)) &&
	    (!type || !json_object_setn_new_nocheck(m, "type", 4, steal_pointer(&type))) &&
	    source && !json_object_setn_new_nocheck(m, "source", 6, steal_pointer(&source)) &&
	    (!options || !json_object_setn_new_nocheck(m, "options", 7, steal_pointer(&options))))
		return m;
	json_decref(dest);
	json_decref(type);
	json_decref(source);
	json_decref(options);
	json_decref(m);
	return NULL;
}

/* The OCI mount an lxc.mount.auto kind stands for. */
json_t *mntauto_mount(const struct mntauto *s, enum mntauto_kind k)
{
	const struct mntauto_token *t = s->tok[k];

	switch (k) {
	case MNTAUTO_PROC:
		return fixed_mount(LIT("/proc"), LIT("proc"), LIT("proc"), NULL);
	case MNTAUTO_SYS:
		return fixed_mount(LIT("/sys"), LIT("sysfs"), LIT("sysfs"),
				   mnt_strv_json(sys_options, 3, t->ro ? "ro" : NULL));
	case MNTAUTO_CGROUP:
		return fixed_mount(LIT("/sys/fs/cgroup"), t->v2 ? LIT("cgroup2") : LIT("cgroup"),
				   t->v2 ? LIT("cgroup2") : LIT("cgroup"),
				   mnt_strv_json(cgroup_options, 4, t->ro ? "ro" : NULL));
	case MNTAUTO_SHMOUNTS:
		return fixed_mount(ct_json_str(s->sh_cont), NULL, ct_json_str(s->sh_host),
				   ct_json_push(json_array(), LIT("bind")));
	default:
		return NULL;
	}
}

/* Does an OCI mount stand for kind k of s? */
bool mntauto_matches(const struct mntauto *s, enum mntauto_kind k, const struct mntview *m)
{
	const char *dest = m->dest, *type = m->type;

	if (!dest)
		return false;
	switch (k) {
	case MNTAUTO_PROC:
		return strcmp(dest, "/proc") == 0 && type && strcmp(type, "proc") == 0;
	case MNTAUTO_SYS:
		return strcmp(dest, "/sys") == 0 && type && strcmp(type, "sysfs") == 0;
	case MNTAUTO_CGROUP:
		return strcmp(dest, "/sys/fs/cgroup") == 0 && type &&
		       strcmp(type, s->tok[k]->v2 ? "cgroup2" : "cgroup") == 0;
	case MNTAUTO_SHMOUNTS:
		return strcmp(dest, s->sh_cont) == 0 && m->source &&
		       strcmp(m->source, s->sh_host) == 0;
	default:
		return false;
	}
}

static bool has_force(const struct mntauto_token *t)
{
	return strstr(t->token, ":force") != NULL;
}

/* The host has the unified hierarchy alone (liblxc's pure_unified_layout). */
static bool host_unified_only(void)
{
	struct statfs sf;

	return statfs("/sys/fs/cgroup", &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC;
}

/* Whether the array holds the string value (of length n), compared as C strings: the lengths
 * first, since every capability starts with "CAP_". */
static bool strings_have(const json_t *arr, const char *value, size_t n)
{
	size_t i;
	json_t *v;

	json_array_foreach (arr, i, v) {
		const char *s = json_string_value(v);

		if (json_string_length(v) >= n && memcmp(s, value, n) == 0 && s[n] == '\0')
			return true;
	}
	return false;
}

/* A namespace's type: its first member when the object starts with it (runc writes type
 * first), looked up otherwise. */
static const char *ns_type(json_t *ns)
{
	void *it = json_object_iter(ns);
	const char *key = json_object_iter_key(it);

	if (key && strcmp(key, "type") == 0)
		return json_string_value(json_object_iter_value(it));
	return json_string_value(json_object_get(ns, "type"));
}

/* A cgroup namespace the container clones (one with a path is joined, not cloned). */
static bool clones_cgroup_ns(const json_t *namespaces)
{
	size_t i;
	json_t *v;

	json_array_foreach (namespaces, i, v) {
		const char *t = ns_type(v);

		if (t && strcmp(t, "cgroup") == 0 && !json_object_get(v, "path"))
			return true;
	}
	return false;
}

bool mntauto_cgroup_needs_force(const json_t *oci)
{
	const json_t *lnx = json_object_get(oci, "linux");
	const json_t *caps = json_object_get(json_object_get(oci, "process"), "capabilities");

	return clones_cgroup_ns(json_object_get(lnx, "namespaces")) &&
	       strings_have(json_object_get(caps, "bounding"), "CAP_SYS_ADMIN", 13) &&
	       !host_unified_only();
}

bool mntauto_cgroup_skipped(const struct mntauto_token *t, bool needs_force)
{
	return t && t->kind == MNTAUTO_CGROUP && !has_force(t) && needs_force;
}

const char *mntauto_cgroup_canonical(bool ro, bool needs_force)
{
	if (needs_force)
		return ro ? "cgroup:ro:force" : "cgroup:mixed:force";
	return ro ? "cgroup:ro" : "cgroup:mixed";
}

/* The token with :force (t itself when it has it), for a cgroup token; NULL otherwise. */
static const struct mntauto_token *forced(const struct mntauto_token *t)
{
	char name[32];

	if (!t || t->kind != MNTAUTO_CGROUP)
		return NULL;
	if (has_force(t))
		return t;
	snprintf(name, sizeof(name), "%s:force", t->token);
	return mntauto_lookup(name, strlen(name));
}

bool mntauto_rewrite(const char *line, const bool *gone, bool force, struct strbuf *out)
{
	bool changed = false;

	for (const char *p = line + strspn(line, " \t"); *p; p += strspn(p, " \t")) {
		size_t n = strcspn(p, " \t");
		const struct mntauto_token *t = mntauto_lookup(p, n);
		const struct mntauto_token *f = force ? forced(t) : NULL;

		if (t && gone[t->kind]) {
			changed = true;
		} else if (f && f != t) {
			strbuf_printf(out, "%s%s", out->len ? " " : "", f->token);
			changed = true;
		} else {
			strbuf_printf(out, "%s%.*s", out->len ? " " : "", (int)n, p);
		}
		p += n;
	}
	return changed;
}

static const char *const dev_options[] = { "nosuid", "strictatime", "mode=755" };

/* The numbers go in without snprintf: these mounts are built on every translation. */
json_t *mnt_dev_mount(unsigned long size)
{
	char opt[32] = "size=" MNT_DEV_SIZE_DEFAULT;

	if (size)
		ct_join_index(opt, sizeof(opt), "size=", size);
	return fixed_mount(LIT("/dev"), LIT("tmpfs"), LIT("tmpfs"),
			   mnt_strv_json(dev_options, CT_ARRAY_SIZE(dev_options), opt));
}

json_t *mnt_devpts_mount(unsigned long max)
{
	char opt[32];

	if (max < MNT_PTY_MAX_KERNEL)
		ct_join_index(opt, sizeof(opt), "max=", max);
	return fixed_mount(LIT("/dev/pts"), LIT("devpts"), LIT("devpts"),
			   mnt_strv_json(mnt_devpts_options, CT_ARRAY_SIZE(mnt_devpts_options),
					 max < MNT_PTY_MAX_KERNEL ? opt : NULL));
}
