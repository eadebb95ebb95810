/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The translation driver: runs every key family in a fixed order, in both directions. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "families.h"
#include "jsonutil.h"
#include "ocipatch.h"
#include "translate.h"

/* LXC -> OCI. Families that recognise entries another family would also claim run first
 * (masked paths and devices before plain mount entries); annotations come last and collect
 * whatever nobody mapped. */
static const struct ct_family *const to_oci_order[] = {
	&ct_family_simple,  &ct_family_rootfs, &ct_family_process, &ct_family_env,
	&ct_family_caps,    &ct_family_rlimit, &ct_family_idmap,   &ct_family_namespace,
	&ct_family_net,	    &ct_family_masked, &ct_family_devices, &ct_family_mount,
	&ct_family_arch,    &ct_family_sysctl, &ct_family_time,	   &ct_family_cgroup,
	&ct_family_seccomp, &ct_family_hooks,  &ct_family_annot,
};

/* OCI -> LXC. The order is the order of the lines written, and liblxc mounts entries in file
 * order: plain mounts (such as /proc) before the entries that mask paths below them. */
static const struct ct_family *const to_lxc_order[] = {
	&ct_family_simple,  &ct_family_rootfs, &ct_family_process, &ct_family_env,
	&ct_family_caps,    &ct_family_rlimit, &ct_family_idmap,   &ct_family_namespace,
	&ct_family_net,	    &ct_family_mount,  &ct_family_devices, &ct_family_masked,
	&ct_family_arch,    &ct_family_sysctl, &ct_family_time,	   &ct_family_cgroup,
	&ct_family_seccomp, &ct_family_hooks,  &ct_family_annot,
};

__attribute__((format(printf, 1, 0))) static char *vformat(const char *fmt, va_list ap)
{
	char *msg;

	return vasprintf(&msg, fmt, ap) < 0 ? NULL : msg;
}

int ct_warn_entry(struct ct_ctx *ctx, struct ct_error **err, const struct lxc_entry *e,
		  const char *fmt, ...)
{
	cleanup_free char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	msg = vformat(fmt, ap);
	va_end(ap);
	if (!msg)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (!e)
		return ct_warn(ctx->opts->diag, err, NULL, 0, 0, "%s", msg);
	return ct_warn(ctx->opts->diag, err, e->file, e->line, 0, "%s: %s", e->key, msg);
}

int ct_error_entry(struct ct_error **err, const struct lxc_entry *e, const char *fmt, ...)
{
	cleanup_free char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	msg = vformat(fmt, ap);
	va_end(ap);
	if (!msg)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (!e)
		return ct_error_set(err, 0, "%s", msg);
	return ct_error_at(err, e->file, e->line, 0, "%s: %s", e->key, msg);
}

int ct_quiet_oci(struct ct_ctx *ctx, const char *pointer, struct ct_error **err)
{
	char *copy;

	/* The array holds 8, 16, 32... pointers: it is full when the count is 0 or such a size. */
	if (ctx->nwarned == 0 || (ctx->nwarned >= 8 && !(ctx->nwarned & (ctx->nwarned - 1)))) {
		char **n = realloc(ctx->warned, (ctx->nwarned ? 2 * ctx->nwarned : 8) * sizeof(*n));

		if (!n)
			return ct_error_set(err, ENOMEM, "out of memory");
		ctx->warned = n;
	}
	copy = strdup(pointer);
	if (!copy)
		return ct_error_set(err, ENOMEM, "out of memory");
	ctx->warned[ctx->nwarned++] = copy;
	return 0;
}

int ct_warn_oci(struct ct_ctx *ctx, struct ct_error **err, const char *pointer, const char *fmt,
		...)
{
	cleanup_free char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	msg = vformat(fmt, ap);
	va_end(ap);
	if (!msg)
		return ct_error_set(err, ENOMEM, "out of memory");
	/* Failing to remember only costs a second warning about the same pointer. */
	ct_quiet_oci(ctx, pointer, NULL);
	return ct_warn(ctx->opts->diag, err, NULL, 0, 0, "%s: %s", pointer, msg);
}

/* A diag in front of the caller's that drops the carry-line warnings about pointers a family
 * already explained or silenced (the family's message says more than the generic one). It is
 * never strict itself: under --strict, the first warning that is not dropped is kept and turned
 * into the error once the diff is done, so a silenced line never fails a strict run. */
struct warned_filter {
	struct ct_diag diag;
	struct ct_diag *inner;
	const struct ct_ctx *ctx;
	char *strict_msg; /* the first warning that must fail a strict run */
};

static bool covered(const struct ct_ctx *ctx, const char *msg)
{
	for (size_t i = 0; i < ctx->nwarned; i++) {
		size_t n = strlen(ctx->warned[i]);

		if (strncmp(msg, ctx->warned[i], n) == 0 && (msg[n] == ':' || msg[n] == '/'))
			return true;
	}
	return false;
}

static void filter_warn(void *data, const char *file, unsigned line, unsigned col, const char *msg)
{
	struct warned_filter *f = data;

	if (covered(f->ctx, msg) || !f->inner)
		return;
	if (f->inner->strict) {
		if (!f->strict_msg)
			f->strict_msg = strdup(msg);
		return;
	}
	f->inner->count++;
	if (f->inner->warn)
		f->inner->warn(f->inner->data, file, line, col, msg);
}

int ct_add_joined(struct lxc_config *conf, struct ct_error **err, const char *key, ...)
{
	char buf[512];
	cleanup_free char *heap = NULL;
	char *value = buf;
	const char *part[16];
	size_t plen[16], np = 0, len = 0, at = 0;
	va_list ap;

	/* the families join a handful of parts: each is measured once */
	va_start(ap, key);
	for (const char *p; (p = va_arg(ap, const char *));) {
		if (np == CT_ARRAY_SIZE(part)) {
			va_end(ap);
			return ct_error_set(err, E2BIG, "internal error: too many parts for %s",
					    key);
		}
		part[np] = p;
		plen[np] = strlen(p);
		len += plen[np++];
	}
	va_end(ap);
	if (len >= sizeof(buf)) {
		value = heap = malloc(len + 1);
		if (!value)
			return ct_error_set(err, ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < np; i++) {
		memcpy(value + at, part[i], plen[i]);
		at += plen[i];
	}
	value[at] = '\0';
	return lxcconf_add(conf, key, value, NULL, 0, err);
}

int ct_add_side_file(struct ct_ctx *ctx, const char *path, const char *content,
		     struct ct_error **err)
{
	struct ct_side_file *n = realloc(ctx->side, (ctx->nside + 2) * sizeof(*n));

	if (!n)
		return ct_error_set(err, ENOMEM, "out of memory");
	ctx->side = n;
	n[ctx->nside].path = strdup(path);
	n[ctx->nside].content = strdup(content);
	n[ctx->nside + 1].path = NULL;
	n[ctx->nside + 1].content = NULL;
	if (!n[ctx->nside].path || !n[ctx->nside].content) {
		free(n[ctx->nside].path);
		free(n[ctx->nside].content);
		n[ctx->nside].path = NULL;
		return ct_error_set(err, ENOMEM, "out of memory");
	}
	ctx->nside++;
	return 0;
}

void ct_side_files_free(struct ct_side_file *side)
{
	if (!side)
		return;
	for (struct ct_side_file *s = side; s->path; s++) {
		free(s->path);
		free(s->content);
	}
	free(side);
}

const char *ct_pending_file(const struct ct_translate_opts *opts, const char *path)
{
	for (const struct ct_side_file *s = opts->pending; s && s->path; s++)
		if (strcmp(s->path, path) == 0)
			return s->content;
	return NULL;
}

/* The members every config.json has, in runc's order, so the output reads like `runc spec`. */
static json_t *skeleton(void)
{
	json_t *user = ct_json_put(ct_json_put(json_object(), "uid", json_integer(0)), "gid",
				   json_integer(0));
	json_t *process = ct_json_put(
		ct_json_put(ct_json_put(ct_json_put(ct_json_put(json_object(), "terminal",
								json_false()),
						    "user", user),
					"args", json_array()),
			    "env", json_array()),
		"cwd", ct_json_lit("/"));

	return ct_json_put(
		ct_json_put(ct_json_put(json_object(), "ociVersion", ct_json_lit("1.0.2-dev")),
			    "process", process),
		"root", ct_json_put(json_object(), "path", ct_json_lit("rootfs")));
}

/* Drop members the families created but left empty, so the output has no "linux": {} noise. */
static void prune_empty(json_t *obj)
{
	const char *key;
	json_t *val;
	void *tmp;

	json_object_foreach_safe (obj, tmp, key, val) {
		if (json_is_object(val)) {
			prune_empty(val);
			if (!json_object_size(val))
				json_object_del(obj, key);
		}
	}
}

const struct ct_family *const ct_all_families[] = {
	&ct_family_simple, &ct_family_rootfs,  &ct_family_process, &ct_family_env,
	&ct_family_idmap,  &ct_family_mount,   &ct_family_net,	   &ct_family_namespace,
	&ct_family_arch,   &ct_family_rlimit,  &ct_family_sysctl,  &ct_family_time,
	&ct_family_caps,   &ct_family_seccomp, &ct_family_cgroup,  &ct_family_devices,
	&ct_family_hooks,  &ct_family_masked,  &ct_family_annot,   NULL,
};

static int run_to_oci(struct ct_ctx *ctx, struct ct_error **err)
{
	for (size_t i = 0; i < CT_ARRAY_SIZE(to_oci_order); i++) {
		int rc;

		if (!to_oci_order[i]->to_oci)
			continue;
		rc = to_oci_order[i]->to_oci(ctx, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int ct_lxc_to_oci(struct lxc_config *conf, const struct ct_translate_opts *opts, json_t **ret,
		  struct ct_error **err)
{
	cleanup_json json_t *oci = skeleton();
	cleanup_free bool *used = calloc(conf->n + 1, sizeof(bool));
	struct ct_ctx ctx = { .lxc = conf, .oci = oci, .opts = opts, .used = used };
	int rc;

	if (!oci || !used)
		return ct_error_set(err, ENOMEM, "out of memory");
	rc = run_to_oci(&ctx, err);
	if (rc < 0)
		return rc;
	prune_empty(oci);
	rc = ocipatch_apply(conf, oci, opts->diag, err);
	if (rc < 0)
		return rc;
	if (opts->rootfs) {
		rc = ct_json_set(oci, "/root/path", ct_json_str(opts->rootfs), err);
		if (rc < 0)
			return rc;
	}
	*ret = steal_pointer(&oci);
	return 0;
}

int ct_oci_to_lxc(json_t *oci, const struct ct_translate_opts *opts, struct lxc_config **ret,
		  struct ct_side_file **ret_side, struct ct_error **err)
{
	cleanup_lxcconf struct lxc_config *conf = lxcconf_new();
	cleanup_json json_t *back = NULL;
	struct ct_translate_opts fwd = *opts, quiet = *opts;
	struct ct_ctx ctx = { .lxc = conf, .oci = oci, .opts = &fwd };
	struct warned_filter filter;
	int rc = 0;

	if (!conf)
		return ct_error_set(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < CT_ARRAY_SIZE(to_lxc_order) && rc >= 0; i++)
		if (to_lxc_order[i]->to_lxc)
			rc = to_lxc_order[i]->to_lxc(&ctx, err);
	if (rc < 0)
		goto out;

	/* Whatever the LXC keys cannot give back travels as carry lines. The reverse translation
	 * runs without diagnostics: its warnings would speak of our own output. */
	quiet.diag = NULL;
	quiet.rootfs = NULL;
	quiet.pending = ctx.side;
	rc = ct_lxc_to_oci(conf, &quiet, &back, err);
	if (rc < 0) {
		ct_error_prefix(err, rc, "internal error: the LXC output does not translate back");
		goto out;
	}
	filter = (struct warned_filter){
		.diag = { .warn = filter_warn },
		.inner = opts->diag,
		.ctx = &ctx,
	};
	filter.diag.data = &filter;
	rc = ocipatch_diff(oci, back, conf, opts->diag ? &filter.diag : NULL, err);
	if (rc >= 0 && filter.strict_msg) {
		rc = ct_error_set(err, 0, "%s", filter.strict_msg);
		ct_error_hint(err, rc, "this is an error because of --strict");
	}
	free(filter.strict_msg);
	if (rc < 0)
		goto out;
	*ret = steal_pointer(&conf);
	if (ret_side)
		*ret_side = steal_pointer(&ctx.side);
out:
	ct_side_files_free(ctx.side);
	for (size_t i = 0; i < ctx.nwarned; i++)
		free(ctx.warned[i]);
	free(ctx.warned);
	return rc;
}
