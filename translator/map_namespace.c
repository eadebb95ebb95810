/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lxc.namespace.clone / .keep / .share.<ns> <-> linux.namespaces [{type, path}].
 *
 * What liblxc 5.0.2 clones (start.c, resolve_clone_flags):
 *  - with lxc.namespace.keep: every namespace it knows except the kept ones (even user without
 *    an idmap, time without offsets, net with lxc.net.0.type = none);
 *  - with lxc.namespace.clone: exactly the listed ones (several lines add up, names are matched
 *    without case); clone and keep together are an error;
 *  - with neither: pid net ipc uts mnt cgroup, plus user when there is an idmap, minus net when
 *    every interface is of type none (the host's network), plus time when an offset is set.
 * A namespace with lxc.namespace.share.<ns> is joined, not cloned: a path gives {type, path},
 * a pid gives /proc/PID/ns/<ns> (the pid is kept in org.ctlaunch.meta.namespace.share.<ns>),
 * a container name has no OCI form (the entry travels as an annotation; the namespace is
 * listed without path, so the OCI runtime creates one).
 *
 * lxc2oci lists the namespaces in runc's order (pid network ipc uts mount cgroup user time), or
 * in the written order for clone. oci2lxc writes no key when the list is what liblxc does
 * without one, else lxc.namespace.clone in OCI order, plus a share line per entry with a path.
 * (oci2lxc leaves a joined namespace out of clone when the list comes out the same.) When the
 * input used a key oci2lxc would not choose, org.ctlaunch.meta.namespace says which: "keep",
 * or "clone" (clone, naming every namespace of the list). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cleanup.h"
#include "families.h"
#include "jsonutil.h"
#include "map_ns.h"
#include "strbuf.h"

#define NS_PTR "/linux/namespaces"
#define CLONE_KEY "lxc.namespace.clone"
#define KEEP_KEY "lxc.namespace.keep"
#define SHARE_PREFIX "lxc.namespace.share."
#define META_MODE_PTR "/annotations/" CT_ANNOT_META "namespace"
#define META_SHARE CT_ANNOT_META "namespace.share."
#define ANNOT_SHARE CT_ANNOT_LXC "namespace.share."
#define NNS 8

/* In runc's order; lxc_pos is the position in liblxc's own order (user mnt pid uts ipc net
 * cgroup time), used when writing keep. */
static const struct ns {
	const char *oci;
	const char *lxc;
	int lxc_pos;
} nss[NNS] = {
	{ "pid", "pid", 2 },   { "network", "net", 5 }, { "ipc", "ipc", 4 },
	{ "uts", "uts", 3 },   { "mount", "mnt", 1 },	{ "cgroup", "cgroup", 6 },
	{ "user", "user", 0 }, { "time", "time", 7 },
};
enum { NS_PID, NS_NET, NS_IPC, NS_UTS, NS_MNT, NS_CGROUP, NS_USER, NS_TIME };

enum mode { MODE_NONE, MODE_CLONE, MODE_KEEP };

/* An OCI list as LXC can express it: namespaces (indices into nss) and their paths, in order. */
struct nslist {
	size_t n;
	int ns[NNS];
	const char *path[NNS];
};

/* Everything that decides the OCI list. */
struct plan {
	enum mode mode;
	int clone[NNS]; /* MODE_CLONE: in order */
	size_t nclone;
	unsigned keep; /* MODE_KEEP: bit per index */
	bool has_idmap, net_none, wants_time;
	const char *path[NNS]; /* joined by path */
	bool byname[NNS];      /* joined by container name (no OCI form) */
};

static int by_lxc(const char *name, bool nocase)
{
	for (int i = 0; i < NNS; i++)
		if (nocase ? strcasecmp(nss[i].lxc, name) == 0 : strcmp(nss[i].lxc, name) == 0)
			return i;
	return -1;
}

static int by_oci(const char *name)
{
	for (int i = 0; i < NNS; i++)
		if (strcmp(nss[i].oci, name) == 0)
			return i;
	return -1;
}

static bool in_default(const struct plan *p, int i)
{
	return !((i == NS_USER && !p->has_idmap) || (i == NS_NET && p->net_none) ||
		 (i == NS_TIME && !p->wants_time));
}

/* The namespaces of the OCI list liblxc's behaviour under plan amounts to, in order. */
static size_t list_of(const struct plan *p, int out[NNS])
{
	bool in[NNS] = { false };
	size_t n = 0;

	if (p->mode == MODE_CLONE) {
		memcpy(out, p->clone, p->nclone * sizeof(int));
		n = p->nclone;
	} else {
		for (int i = 0; i < NNS; i++)
			if (p->mode == MODE_KEEP ? !(p->keep & (1u << i)) : in_default(p, i))
				out[n++] = i;
	}
	for (size_t k = 0; k < n; k++)
		in[out[k]] = true;
	for (int i = 0; i < NNS; i++)
		if (!in[i] && (p->path[i] || p->byname[i]))
			out[n++] = i;
	return n;
}

/* The list a plan gives, entry by entry: the list the key choice is checked against, kept as
 * plain values (the choice tries up to four plans per translation). */
static void nslist_of(const struct plan *p, struct nslist *ret)
{
	ret->n = list_of(p, ret->ns);
	for (size_t k = 0; k < ret->n; k++)
		ret->path[k] = p->path[ret->ns[k]];
}

static bool same_path(const char *a, const char *b)
{
	return a && b ? strcmp(a, b) == 0 : a == b;
}

/* Does plan p give the list t, entry by entry (the type and the path, nothing else)? */
static bool plan_gives(const struct plan *p, const struct nslist *t)
{
	struct nslist got;

	nslist_of(p, &got);
	if (got.n != t->n)
		return false;
	for (size_t k = 0; k < t->n; k++)
		if (got.ns[k] != t->ns[k] || !same_path(got.path[k], t->path[k]))
			return false;
	return true;
}

/* That list as OCI JSON. */
static json_t *build(const struct nslist *t)
{
	cleanup_json json_t *arr = json_array();

	if (!arr)
		return NULL;
	for (size_t k = 0; k < t->n; k++) {
		json_t *e = ct_json_put(json_object(), "type", ct_json_lit(nss[t->ns[k]].oci));

		if (t->path[k])
			e = ct_json_put(e, "path", ct_json_str(t->path[k]));
		if (!e || json_array_append_new(arr, e) < 0)
			return NULL;
	}
	return steal_pointer(&arr);
}

static bool has_mappings(json_t *oci)
{
	return json_array_size(ct_json_get(oci, "/linux/uidMappings")) ||
	       json_array_size(ct_json_get(oci, "/linux/gidMappings"));
}

static bool all_digits(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s);
}

/* ---- LXC -> OCI ---- */

/* Collect the names of one clone/keep line into the plan. */
static int read_list(const struct lxc_entry *e, struct plan *p, unsigned *seen,
		     struct ct_error **err)
{
	cleanup_free char *copy = strdup(e->value);
	char *save = NULL;

	if (!copy)
		return ct_error_set(err, ENOMEM, "out of memory");
	for (char *t = strtok_r(copy, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		int i = by_lxc(t, true);

		if (i < 0)
			return ct_error_hint(
				err,
				ct_error_entry(err, e,
					       "reading the namespaces: "
					       "unknown namespace \"%s\"",
					       t),
				"use LXC's names: cgroup ipc mnt net pid time user uts");
		if (*seen & (1u << i))
			continue;
		*seen |= 1u << i;
		if (p->mode == MODE_CLONE)
			p->clone[p->nclone++] = i;
		else
			p->keep |= 1u << i;
	}
	return 0;
}

static int read_modes(struct ct_ctx *ctx, struct plan *p, struct ct_error **err)
{
	const struct lxc_entry *e;
	unsigned seen = 0;
	size_t i;

	for (i = 0; (e = lxcconf_next(ctx->lxc, "lxc.namespace.", true, &i)); i++) {
		enum mode m;
		int rc;

		if (strcmp(e->key, CLONE_KEY) == 0)
			m = MODE_CLONE;
		else if (strcmp(e->key, KEEP_KEY) == 0)
			m = MODE_KEEP;
		else
			continue;
		if (p->mode != MODE_NONE && p->mode != m)
			return ct_error_entry(
				err, e,
				"reading the namespaces: liblxc does not "
				"allow both lxc.namespace.clone and lxc.namespace.keep");
		p->mode = m;
		rc = read_list(e, p, &seen, err);
		if (rc < 0)
			return rc;
		ct_use(ctx, i);
	}
	return 0;
}

struct share_in {
	const struct lxc_entry *e;
	size_t idx;
	char *path; /* allocated for pids */
};

static int read_shares(struct ct_ctx *ctx, struct plan *p, struct share_in sh[NNS],
		       struct ct_error **err)
{
	const struct lxc_entry *e;
	size_t i;

	for (i = 0; (e = lxcconf_next(ctx->lxc, SHARE_PREFIX, true, &i)); i++) {
		int n = by_lxc(e->key + strlen(SHARE_PREFIX), false);

		if (n < 0)
			return ct_error_hint(
				err,
				ct_error_entry(err, e,
					       "reading the namespaces: "
					       "unknown namespace"),
				"use LXC's names: cgroup ipc mnt net pid time user uts");
		/* the last line wins, as in liblxc */
		free(sh[n].path);
		sh[n] = (struct share_in){ .e = e, .idx = i };
		p->path[n] = NULL;
		p->byname[n] = false;
		if (e->value[0] == '/') {
			p->path[n] = e->value;
		} else if (all_digits(e->value)) {
			if (asprintf(&sh[n].path, "/proc/%s/ns/%s", e->value, nss[n].lxc) < 0) {
				sh[n].path = NULL;
				return ct_error_set(err, ENOMEM, "out of memory");
			}
			p->path[n] = sh[n].path;
		} else {
			p->byname[n] = true;
		}
	}
	return 0;
}

/* Mark the share lines used (or warn for the ones that travel as annotations) and record the
 * pids. */
static int finish_shares(struct ct_ctx *ctx, struct share_in sh[NNS], struct ct_error **err)
{
	const struct lxc_entry *e;
	size_t i;

	for (i = 0; (e = lxcconf_next(ctx->lxc, SHARE_PREFIX, true, &i)); i++) {
		int n = by_lxc(e->key + strlen(SHARE_PREFIX), false);
		int rc;

		if (sh[n].e != e) {
			ct_use(ctx, i); /* overridden by a later line, as in liblxc */
			continue;
		}
		if (e->value[0] != '/' && !all_digits(e->value)) {
			rc = ct_warn_entry(
				ctx, err, e,
				"joining the namespace of container \"%s\" "
				"has no OCI form: the key travels as an annotation and an "
				"OCI runtime creates a new %s namespace",
				e->value, nss[n].oci);
			if (rc < 0)
				return rc;
			continue;
		}
		ct_use(ctx, i);
		if (sh[n].path) {
			cleanup_free char *ptr = NULL;

			if (asprintf(&ptr, "/annotations/" META_SHARE "%s", nss[n].lxc) < 0) {
				ptr = NULL;
				return ct_error_set(err, ENOMEM, "out of memory");
			}
			rc = ct_json_set(ctx->oci, ptr, ct_json_str(e->value), err);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

static int choose(struct plan *p, const struct nslist *target, const char *meta,
		  struct ct_error **err);

static unsigned clone_set(const struct plan *p)
{
	unsigned set = 0;

	for (size_t k = 0; k < p->nclone; k++)
		set |= 1u << p->clone[k];
	return set;
}

/* Does oci2lxc, without a hint, give back the key p used (and for clone, the same names)? */
static int needs_hint(const struct plan *p, const struct nslist *got, bool *ret,
		      struct ct_error **err)
{
	struct plan q = *p;
	int rc = choose(&q, got, NULL, err);

	if (rc < 0)
		return rc;
	*ret = q.mode != p->mode || (p->mode == MODE_CLONE && clone_set(&q) != clone_set(p));
	return 0;
}

static int namespace_to_oci(struct ct_ctx *ctx, struct ct_error **err)
{
	struct plan p = { .mode = MODE_NONE };
	struct share_in sh[NNS] = { { NULL, 0, NULL } };
	cleanup_json json_t *list = NULL;
	struct nslist got;
	bool hint = false;
	int rc;

	rc = read_modes(ctx, &p, err);
	if (rc >= 0)
		rc = read_shares(ctx, &p, sh, err);
	if (rc >= 0) {
		p.has_idmap = has_mappings(ctx->oci);
		p.net_none = map_net_is_none(ctx->lxc);
		p.wants_time = map_time_wants_timens(ctx->lxc);
		nslist_of(&p, &got);
		list = build(&got);
		if (!list)
			rc = ct_error_set(err, ENOMEM, "out of memory");
	}
	if (rc >= 0)
		rc = finish_shares(ctx, sh, err);
	if (rc >= 0)
		rc = needs_hint(&p, &got, &hint, err);
	for (int i = 0; i < NNS; i++)
		free(sh[i].path);
	if (rc < 0)
		return rc;
	if (hint) {
		rc = ct_json_set(ctx->oci, META_MODE_PTR,
				 ct_json_str(p.mode == MODE_CLONE ? "clone" : "keep"), err);
		if (rc < 0)
			return rc;
	}
	if (!json_array_size(list))
		return 0;
	return ct_json_set(ctx->oci, NS_PTR, steal_pointer(&list), err);
}

/* ---- OCI -> LXC ---- */

/* The OCI list reduced to what LXC can express, and the plan's shares. */
static int read_target(struct ct_ctx *ctx, struct plan *p, struct nslist *target,
		       struct ct_error **err)
{
	json_t *arr = ct_json_get(ctx->oci, NS_PTR), *e, *annotations;
	unsigned seen = 0;
	size_t k;

	if (arr && !json_is_array(arr))
		return ct_error_set(err, 0, "%s: expected an array", NS_PTR);
	json_array_foreach (arr, k, e) {
		const char *type = json_string_value(json_object_get(e, "type"));
		json_t *jpath = json_object_get(e, "path");
		const char *path = json_string_value(jpath);
		int i = type ? by_oci(type) : -1, rc;

		if (!type || (jpath && !path))
			return ct_error_set(err, 0, "%s/%zu: expected {type, path} strings", NS_PTR,
					    k);
		if (i < 0) {
			rc = ct_warn_oci(ctx, err, NS_PTR,
					 "namespace type \"%s\" has no LXC name; "
					 "it travels as a carry line",
					 type);
			if (rc < 0)
				return rc;
			continue;
		}
		if (seen & (1u << i))
			return ct_error_set(err, 0, "%s/%zu: duplicate namespace type %s", NS_PTR,
					    k, type);
		seen |= 1u << i;
		if (path && (path[0] != '/' || strchr(path, '\n'))) {
			rc = ct_warn_oci(ctx, err, NS_PTR,
					 "%s namespace path \"%s\" is not an "
					 "absolute path LXC can join; it travels as a carry line",
					 type, path);
			if (rc < 0)
				return rc;
			path = NULL;
		}
		p->path[i] = path;
		target->ns[target->n] = i;
		target->path[target->n++] = path;
	}
	annotations = json_object_get(ctx->oci, "annotations");
	for (int i = 0; i < NNS && json_object_size(annotations); i++) {
		char name[sizeof(ANNOT_SHARE) + 16]; /* LXC's names are short: "cgroup" at most */

		memcpy(name, ANNOT_SHARE, sizeof(ANNOT_SHARE) - 1);
		strcpy(name + sizeof(ANNOT_SHARE) - 1, nss[i].lxc);
		p->byname[i] = !p->path[i] && json_object_get(annotations, name);
	}
	return 0;
}

static void clone_from(struct plan *p, const struct nslist *target, bool with_paths)
{
	p->mode = MODE_CLONE;
	p->nclone = 0;
	for (size_t k = 0; k < target->n; k++)
		if (with_paths || !target->path[k])
			p->clone[p->nclone++] = target->ns[k];
}

/* Choose the key for target: the recorded one (meta) if it still fits, else none, else clone
 * of the entries without path, else clone of all; keep of everything for an empty list. */
static int choose(struct plan *p, const struct nslist *target, const char *meta,
		  struct ct_error **err)
{
	if (meta && strcmp(meta, "keep") == 0) {
		p->mode = MODE_KEEP;
		p->keep = (1u << NNS) - 1;
		for (size_t k = 0; k < target->n; k++)
			p->keep &= ~(1u << target->ns[k]);
		if (plan_gives(p, target))
			return 0;
	}
	if (!target->n) {
		p->mode = MODE_KEEP;
		p->keep = (1u << NNS) - 1;
		return 0;
	}
	if (!meta || strcmp(meta, "clone") != 0) {
		p->mode = MODE_NONE;
		if (plan_gives(p, target))
			return 0;
		clone_from(p, target, false);
		if (p->nclone && plan_gives(p, target))
			return 0;
	}
	clone_from(p, target, true);
	return 0;
}

static int write_mode(struct ct_ctx *ctx, const struct plan *p, struct ct_error **err)
{
	struct strbuf sb = STRBUF_INIT;
	cleanup_free char *value = NULL;

	if (p->mode == MODE_NONE)
		return 0;
	if (p->mode == MODE_CLONE) {
		for (size_t k = 0; k < p->nclone; k++) {
			if (k)
				strbuf_putc(&sb, ' ');
			strbuf_puts(&sb, nss[p->clone[k]].lxc);
		}
	} else {
		for (int pos = 0; pos < NNS; pos++)
			for (int i = 0; i < NNS; i++)
				if (nss[i].lxc_pos == pos && (p->keep & (1u << i))) {
					if (sb.len)
						strbuf_putc(&sb, ' ');
					strbuf_puts(&sb, nss[i].lxc);
				}
	}
	value = strbuf_steal(&sb);
	if (!value)
		return ct_error_set(err, ENOMEM, "out of memory");
	return lxcconf_add(ctx->lxc, p->mode == MODE_CLONE ? CLONE_KEY : KEEP_KEY, value, NULL, 0,
			   err);
}

/* share lines, with the recorded pid when the path is still its /proc path. */
static int write_shares(struct ct_ctx *ctx, const struct plan *p, struct ct_error **err)
{
	for (int i = 0; i < NNS; i++) {
		cleanup_free char *key = NULL, *mptr = NULL, *ppath = NULL;
		const char *pid;
		int rc;

		if (!p->path[i])
			continue;
		if (asprintf(&key, SHARE_PREFIX "%s", nss[i].lxc) < 0 ||
		    asprintf(&mptr, "/annotations/" META_SHARE "%s", nss[i].lxc) < 0)
			return ct_error_set(err, ENOMEM, "out of memory");
		pid = json_string_value(ct_json_get(ctx->oci, mptr));
		if (pid && all_digits(pid) &&
		    asprintf(&ppath, "/proc/%s/ns/%s", pid, nss[i].lxc) < 0)
			return ct_error_set(err, ENOMEM, "out of memory");
		rc = lxcconf_add(ctx->lxc, key,
				 ppath && strcmp(ppath, p->path[i]) == 0 ? pid : p->path[i], NULL,
				 0, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int namespace_to_lxc(struct ct_ctx *ctx, struct ct_error **err)
{
	struct plan p = { .mode = MODE_NONE };
	struct nslist target = { 0 };
	int rc;

	rc = read_target(ctx, &p, &target, err);
	if (rc < 0)
		return rc;
	p.has_idmap = has_mappings(ctx->oci);
	p.net_none = map_net_is_none_oci(ctx->oci);
	p.wants_time = map_time_wants_timens_oci(ctx->oci);
	rc = choose(&p, &target, json_string_value(ct_json_get(ctx->oci, META_MODE_PTR)), err);
	if (rc < 0)
		return rc;
	rc = write_mode(ctx, &p, err);
	if (rc < 0)
		return rc;
	return write_shares(ctx, &p, err);
}

static const struct ct_doc_row namespace_doc[] = {
	{ "-", "linux.namespaces",
	  "no namespace key: liblxc's default, pid network ipc uts mount cgroup (runc's order), "
	  "then user with an idmap and time with a time offset; network is left out when every "
	  "lxc.net.N.type is none" },
	{ "lxc.namespace.clone", "linux.namespaces[].type",
	  "exactly the listed namespaces in written order (mnt = mount, net = network); written "
	  "by oci2lxc in OCI order when the list is not the default" },
	{ "lxc.namespace.keep", "linux.namespaces[].type",
	  "every namespace except the kept ones (liblxc clones user and time too); oci2lxc "
	  "writes keep only when org.ctlaunch.meta.namespace says so" },
	{ "lxc.namespace.share.NS", "linux.namespaces[type=NS].path",
	  "a path as is; a pid as /proc/PID/ns/NS (pid kept in "
	  "org.ctlaunch.meta.namespace.share.NS); a container name has no OCI form: annotation "
	  "and a warning" },
	{ NULL, NULL, NULL },
};

const struct ct_family ct_family_namespace = {
	.name = "namespace",
	.to_oci = namespace_to_oci,
	.to_lxc = namespace_to_lxc,
	.doc = namespace_doc,
};
