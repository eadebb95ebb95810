/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "find.h"
#include "strbuf.h"

#define MAX_LISTED 4096

/* Where a name may live, in search order. */
struct candidate {
	char *path;
	enum ctl_kind kind;
};

bool find_name_valid(const char *name)
{
	size_t n = strlen(name);

	if (!n || n > 64 || name[0] == '.' || name[0] == '-')
		return false;
	return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") ==
	       n;
}

void target_release(struct ctl_target *t)
{
	free(t->name);
	free(t->config);
	free(t->bundle);
	t->name = t->config = t->bundle = NULL;
}

static bool is_file(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static int make_target(const char *name, const char *config, enum ctl_kind kind,
		       struct ctl_target *ret, struct ct_error **err)
{
	struct ctl_target t = { .kind = kind };

	t.name = strdup(name);
	t.config = realpath(config, NULL);
	if (!t.config)
		t.config = strdup(config);
	if (kind == CTL_KIND_OCI && t.config)
		t.bundle = strndup(t.config, (size_t)(strrchr(t.config, '/') - t.config));
	if (!t.name || !t.config || (kind == CTL_KIND_OCI && !t.bundle)) {
		target_release(&t);
		return ct_error_set(err, ENOMEM, "out of memory");
	}
	*ret = t;
	return 0;
}

/* The candidates for name, in order: each search path's config, config.json; the LXC path. */
static int candidates(const struct ct_settings *s, const char *name, struct candidate **ret,
		      size_t *ret_n)
{
	size_t n = 0, cap = 1;
	struct candidate *v;

	for (char **p = s->search_paths; p && *p; p++)
		cap += 2;
	v = calloc(cap, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (char **p = s->search_paths; p && *p; p++) {
		if (asprintf(&v[n].path, "%s/%s/Container/config", *p, name) < 0)
			goto oom;
		v[n++].kind = CTL_KIND_LXC;
		if (asprintf(&v[n].path, "%s/%s/Container/config.json", *p, name) < 0)
			goto oom;
		v[n++].kind = CTL_KIND_OCI;
	}
	if (asprintf(&v[n].path, "%s/%s/config", s->lxc_path, name) < 0)
		goto oom;
	v[n++].kind = CTL_KIND_LXC;
	*ret = v;
	*ret_n = n;
	return 0;
oom:
	for (size_t i = 0; i < n; i++)
		free(v[i].path);
	free(v);
	return -ENOMEM;
}

int find_by_name(const struct ct_settings *s, const char *name, struct ctl_target *ret,
		 struct ct_error **err)
{
	cleanup_strbuf struct strbuf looked = STRBUF_INIT;
	struct candidate *v = NULL;
	size_t n = 0;
	int rc = -1;

	if (!find_name_valid(name))
		return ct_error_set(err, EINVAL,
				    "finding container \"%s\": not a valid name (letters, digits, "
				    "'_', '-', '.', at most 64)",
				    name);
	if (candidates(s, name, &v, &n) < 0)
		return ct_error_set(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		if (rc < 0 && is_file(v[i].path))
			rc = make_target(name, v[i].path, v[i].kind, ret, err);
		strbuf_printf(&looked, "%s%s", i ? ", " : "", v[i].path);
	}
	for (size_t i = 0; i < n; i++)
		free(v[i].path);
	free(v);
	if (rc == 0 || (err && *err))
		return rc;
	rc = ct_error_set(err, ENOENT, "finding container \"%s\": no configuration found", name);
	return ct_error_hint(err, rc, "looked in: %s", looked.s ? looked.s : "(nothing)");
}

/* ".../OCDM/Container/config" -> "OCDM"; "/var/lib/lxc/web/config" -> "web". */
static char *name_from_path(const char *config)
{
	cleanup_free char *copy = strdup(config);
	char *dir, *base;

	if (!copy)
		return NULL;
	dir = dirname(copy);
	base = basename(dir);
	if (strcmp(base, "Container") == 0) {
		*strrchr(dir, '/') = '\0';
		if (!*dir)
			return NULL;
		base = basename(dir);
	}
	return strdup(base);
}

static int from_path(const char *name, const char *config, enum ctl_kind kind,
		     struct ctl_target *ret, struct ct_error **err)
{
	cleanup_free char *derived = NULL;

	if (!is_file(config))
		return ct_error_set(err, ENOENT, "%s: no such configuration file", config);
	if (!name) {
		cleanup_free char *abs = realpath(config, NULL);

		derived = name_from_path(abs ? abs : config);
		if (!derived)
			return ct_error_set(err, ENOMEM, "out of memory");
		name = derived;
	}
	if (!find_name_valid(name)) {
		int rc = ct_error_set(err, EINVAL, "%s: \"%s\" is not a valid container name",
				      config, name);

		return ct_error_hint(err, rc, "name it with -n NAME");
	}
	return make_target(name, config, kind, ret, err);
}

int find_config_file(const char *name, const char *config, struct ctl_target *ret,
		     struct ct_error **err)
{
	return from_path(name, config, CTL_KIND_LXC, ret, err);
}

int find_bundle(const char *name, const char *bundle, struct ctl_target *ret, struct ct_error **err)
{
	cleanup_free char *cfg = NULL;
	struct stat st;

	if (stat(bundle, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (asprintf(&cfg, "%s/config.json", bundle) < 0)
			return ct_error_set(err, ENOMEM, "out of memory");
		if (!name) {
			cleanup_free char *abs = realpath(bundle, NULL);
			const char *b = abs ? strrchr(abs, '/') : NULL;

			if (b && b[1] && find_name_valid(b + 1))
				return from_path(b + 1, cfg, CTL_KIND_OCI, ret, err);
		}
		return from_path(name, cfg, CTL_KIND_OCI, ret, err);
	}
	return from_path(name, bundle, CTL_KIND_OCI, ret, err);
}

static int cmp_target(const void *a, const void *b)
{
	return strcmp(((const struct ctl_target *)a)->name, ((const struct ctl_target *)b)->name);
}

struct list {
	struct ctl_target *v;
	size_t n, cap;
};

static bool list_has(const struct list *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return true;
	return false;
}

static int list_add(struct list *l, const char *name, const char *config, enum ctl_kind kind,
		    struct ct_error **err)
{
	if (list_has(l, name) || l->n >= MAX_LISTED)
		return 0;
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 16;
		struct ctl_target *nv = realloc(l->v, ncap * sizeof(*nv));

		if (!nv)
			return ct_error_set(err, ENOMEM, "out of memory");
		l->v = nv;
		l->cap = ncap;
	}
	if (make_target(name, config, kind, &l->v[l->n], err) < 0)
		return -1;
	l->n++;
	return 0;
}

/* Scan dir for <entry>/<suffix...> files. */
static int scan_dir(const char *dir, const char *const *suffixes, const enum ctl_kind *kinds,
		    size_t nsuffix, struct list *l, struct ct_error **err)
{
	cleanup_closedir DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return 0; /* a search path that does not exist holds no containers */
	while ((de = readdir(d))) {
		if (!find_name_valid(de->d_name))
			continue;
		for (size_t i = 0; i < nsuffix; i++) {
			cleanup_free char *p = NULL;

			if (asprintf(&p, "%s/%s/%s", dir, de->d_name, suffixes[i]) < 0)
				return ct_error_set(err, ENOMEM, "out of memory");
			if (!is_file(p))
				continue;
			if (list_add(l, de->d_name, p, kinds[i], err) < 0)
				return -1;
			break;
		}
	}
	return 0;
}

int find_all(const struct ct_settings *s, struct ctl_target **ret, size_t *ret_n,
	     struct ct_error **err)
{
	static const char *const thunder[] = { "Container/config", "Container/config.json" };
	static const enum ctl_kind thunder_kinds[] = { CTL_KIND_LXC, CTL_KIND_OCI };
	static const char *const lxc[] = { "config" };
	static const enum ctl_kind lxc_kinds[] = { CTL_KIND_LXC };
	struct list l = { 0 };
	int rc = 0;

	for (char **p = s->search_paths; p && *p && rc == 0; p++)
		rc = scan_dir(*p, thunder, thunder_kinds, 2, &l, err);
	if (rc == 0)
		rc = scan_dir(s->lxc_path, lxc, lxc_kinds, 1, &l, err);
	if (rc < 0) {
		find_all_free(l.v, l.n);
		return rc;
	}
	if (l.n)
		qsort(l.v, l.n, sizeof(*l.v), cmp_target);
	*ret = l.v;
	*ret_n = l.n;
	return 0;
}

void find_all_free(struct ctl_target *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		target_release(&v[i]);
	free(v);
}
