/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The catch-all, run last: every LXC entry no family mapped becomes the annotation
 * org.ctlaunch.lxc.<key without "lxc.">, the values of one key joined with "\n" in file order;
 * such annotations come back as entries. Meta annotations (org.ctlaunch.meta.*) belong to the
 * family that wrote them, and annotations that are not ours have no LXC key: the driver keeps
 * them as #oci: carry lines. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "cleanup.h"
#include "families.h"
#include "jsonutil.h"
#include "lxckeys.h"
#include "mapcore.h"
#include "strbuf.h"

static const struct ct_doc_row doc[] = {
	{ "any other key", "annotations[org.ctlaunch.lxc.KEY]",
	  "KEY is the key without \"lxc.\"; several values are joined with \"\\n\" in order and "
	  "split again on the way back; an annotation naming a key liblxc does not know stays a "
	  "#oci: line (warning)" },
	{ "-", "annotations (others)", "no LXC key: kept as #oci: lines" },
	{ NULL, NULL, NULL },
};

/* Unused entries sorted by key, then by position, so that each key's values are adjacent. */
static int cmp_entry(const void *a, const void *b, void *data)
{
	const struct lxc_config *conf = data;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	int c = strcmp(conf->v[i].key, conf->v[j].key);

	return c ? c : (i > j) - (i < j);
}

struct group {
	size_t first; /* position of the key's first unused entry */
	char *key;    /* annotation name */
	char *value;
};

static int cmp_group(const void *a, const void *b)
{
	const struct group *x = a, *y = b;

	return (x->first > y->first) - (x->first < y->first);
}

static void groups_free(struct group *g, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(g[i].key);
		free(g[i].value);
	}
	free(g);
}

static char *annotation_name(const char *key)
{
	size_t n;
	char *name;

	if (strncmp(key, "lxc.", 4) == 0)
		key += 4;
	n = strlen(key);
	name = malloc(sizeof(CT_ANNOT_LXC) + n);
	if (!name)
		return NULL;
	memcpy(name, CT_ANNOT_LXC, sizeof(CT_ANNOT_LXC) - 1);
	memcpy(name + sizeof(CT_ANNOT_LXC) - 1, key, n + 1);
	return name;
}

/* Build one group per key from idx[0..n) (sorted). Returns the number of groups or -1. */
static ssize_t build_groups(const struct lxc_config *conf, const size_t *idx, size_t n,
			    struct group *g)
{
	size_t ng = 0;

	for (size_t i = 0; i < n;) {
		cleanup_strbuf struct strbuf sb = STRBUF_INIT;
		const char *key = conf->v[idx[i]].key;
		size_t first = idx[i];

		for (; i < n && strcmp(conf->v[idx[i]].key, key) == 0; i++) {
			if (idx[i] != first)
				strbuf_putc(&sb, '\n');
			strbuf_puts(&sb, conf->v[idx[i]].value);
		}
		g[ng].first = first;
		g[ng].key = annotation_name(key);
		g[ng].value = strbuf_steal(&sb);
		if (!g[ng].key || !g[ng++].value)
			return -1;
	}
	return (ssize_t)ng;
}

static int set_annotation(json_t *oci, const struct group *g, struct ct_error **err)
{
	const char *old = mapcore_annot_get(oci, g->key);
	cleanup_free char *joined = NULL;

	if (!old)
		return mapcore_annot_set(oci, g->key, g->value, err);
	if (asprintf(&joined, "%s\n%s", old, g->value) < 0) {
		joined = NULL;
		return ct_error_set(err, ENOMEM, "out of memory");
	}
	return mapcore_annot_set(oci, g->key, joined, err);
}

static int annot_to_oci(struct ct_ctx *ctx, struct ct_error **err)
{
	const struct lxc_config *conf = ctx->lxc;
	cleanup_free size_t *idx = malloc((conf->n + 1) * sizeof(*idx));
	struct group *g = calloc(conf->n + 1, sizeof(*g));
	size_t n = 0;
	ssize_t ng;
	int rc = 0;

	if (!idx || !g) {
		free(g);
		return ct_error_set(err, ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < conf->n; i++)
		if (!ctx->used || !ctx->used[i])
			idx[n++] = i;
	qsort_r(idx, n, sizeof(*idx), cmp_entry, (void *)conf);
	ng = build_groups(conf, idx, n, g);
	if (ng < 0) {
		groups_free(g, conf->n);
		return ct_error_set(err, ENOMEM, "out of memory");
	}
	qsort(g, (size_t)ng, sizeof(*g), cmp_group);
	for (ssize_t i = 0; i < ng && rc >= 0; i++)
		rc = set_annotation(ctx->oci, &g[i], err);
	for (size_t i = 0; i < n && rc >= 0; i++)
		ct_use(ctx, idx[i]);
	groups_free(g, conf->n);
	return rc;
}

/* One annotation back into entries; 0 when written or left to the carry lines. */
static int annotation_to_lxc(struct ct_ctx *ctx, const char *name, json_t *v, struct ct_error **err)
{
	cleanup_free char *key = NULL;
	cleanup_free char *pointer = NULL;
	const char *s = json_string_value(v);

	if (asprintf(&key, "lxc.%s", name + strlen(CT_ANNOT_LXC)) < 0 ||
	    asprintf(&pointer, "/annotations/%s", name) < 0) {
		key = pointer = NULL;
		return ct_error_set(err, ENOMEM, "out of memory");
	}
	if (!s)
		return ct_error_set(err, 0, "%s: expected a string", pointer);
	if (!lxckey_lookup(key))
		return ct_warn_oci(ctx, err, pointer,
				   "%s is not a key liblxc knows; kept as a #oci: line", key);
	if (!*s || strstr(s, "\n\n") || s[strlen(s) - 1] == '\n')
		return ct_warn_oci(
			ctx, err, pointer,
			"an empty value clears %s in LXC and cannot be an entry; kept as a "
			"#oci: line",
			key);
	while (*s) {
		size_t len = strcspn(s, "\n");
		cleanup_free char *value = strndup(s, len);
		int rc;

		if (!value)
			return ct_error_set(err, ENOMEM, "out of memory");
		rc = lxcconf_add(ctx->lxc, key, value, NULL, 0, err);
		if (rc < 0)
			return rc;
		s += len;
		s += *s == '\n';
	}
	return 0;
}

static int annot_to_lxc(struct ct_ctx *ctx, struct ct_error **err)
{
	json_t *a = ct_json_get(ctx->oci, "/annotations");
	const char *name;
	json_t *v;

	if (!a)
		return 0;
	if (!json_is_object(a))
		return ct_error_set(err, 0, "/annotations: expected an object");
	json_object_foreach (a, name, v) {
		int rc;

		if (strncmp(name, CT_ANNOT_LXC, strlen(CT_ANNOT_LXC)) != 0)
			continue;
		rc = annotation_to_lxc(ctx, name, v, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

const struct ct_family ct_family_annot = {
	.name = "annot",
	.to_oci = annot_to_oci,
	.to_lxc = annot_to_lxc,
	.doc = doc,
};
