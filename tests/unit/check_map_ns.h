/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fixtures for the unit tests of the families owned together (idmap, namespace, net, arch,
 * rlimit, sysctl, time): run only these families, in the driver's order, on small inputs. */
#ifndef CT_CHECK_MAP_NS_H
#define CT_CHECK_MAP_NS_H

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "families.h"
#include "jsonutil.h"
#include "lxcconf.h"
#include "strbuf.h"

#define FX __attribute__((unused))

struct fx_warns {
	unsigned n;
	char last[512];
};

FX static void fx_warn(void *data, const char *file, unsigned line, unsigned col, const char *msg)
{
	struct fx_warns *w = data;

	(void)col;
	w->n++;
	snprintf(w->last, sizeof(w->last), "%s:%u: %s", file ? file : "-", line, msg);
}

FX static struct fx_warns fx_w;
FX static struct ct_diag fx_diag = { .warn = fx_warn, .data = &fx_w };
FX static const struct ct_translate_opts fx_opts = { .diag = &fx_diag };

FX static const struct ct_family *const fx_to_oci_order[] = {
	&ct_family_rlimit, &ct_family_idmap,  &ct_family_namespace, &ct_family_net,
	&ct_family_arch,   &ct_family_sysctl, &ct_family_time,
};

/* "key = value" lines -> a config whose entries come from "t.conf", line numbers from 1. */
FX static struct lxc_config *fx_conf(const char *text)
{
	struct lxc_config *conf = lxcconf_new();
	cleanup_free char *copy = strdup(text);
	char *save = NULL;
	unsigned line = 0;

	ck_assert_ptr_nonnull(conf);
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *eq = strstr(l, " = ");

		line++;
		ck_assert_msg(eq, "fixture line without \" = \": %s", l);
		*eq = '\0';
		ck_assert_int_eq(lxcconf_add(conf, l, eq + 3, "t.conf", line, NULL), 0);
	}
	return conf;
}

/* Run the to_oci of these families. Returns the rc; *ret_unused counts entries left unmarked. */
FX static int fx_to_oci_conf(struct lxc_config *conf, json_t **ret, size_t *ret_unused,
			     struct ct_error **err)
{
	cleanup_free bool *used = calloc(conf->n + 1, sizeof(bool));
	struct ct_ctx ctx = { .lxc = conf, .oci = json_object(), .opts = &fx_opts, .used = used };
	size_t unused = 0;
	int rc = 0;

	for (size_t i = 0; i < CT_ARRAY_SIZE(fx_to_oci_order) && rc >= 0; i++)
		if (fx_to_oci_order[i]->to_oci)
			rc = fx_to_oci_order[i]->to_oci(&ctx, err);
	for (size_t i = 0; i < conf->n; i++)
		unused += !used[i];
	if (ret_unused)
		*ret_unused = unused;
	if (rc < 0) {
		json_decref(ctx.oci);
		return rc;
	}
	*ret = ctx.oci;
	return 0;
}

FX static int fx_to_oci(const char *text, json_t **ret, size_t *ret_unused, struct ct_error **err)
{
	cleanup_lxcconf struct lxc_config *conf = fx_conf(text);

	return fx_to_oci_conf(conf, ret, ret_unused, err);
}

FX static int fx_to_lxc(json_t *oci, struct lxc_config **ret, struct ct_error **err)
{
	struct lxc_config *conf = lxcconf_new();
	struct ct_ctx ctx = { .lxc = conf, .oci = oci, .opts = &fx_opts };
	int rc = 0;

	for (size_t i = 0; i < CT_ARRAY_SIZE(fx_to_oci_order) && rc >= 0; i++)
		if (fx_to_oci_order[i]->to_lxc)
			rc = fx_to_oci_order[i]->to_lxc(&ctx, err);
	for (size_t i = 0; i < ctx.nwarned; i++)
		free(ctx.warned[i]);
	free(ctx.warned);
	if (rc < 0) {
		lxcconf_free(conf);
		return rc;
	}
	*ret = conf;
	return 0;
}

/* The entries as "key = value" lines. */
FX static char *fx_dump(const struct lxc_config *conf)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < conf->n; i++)
		strbuf_printf(&sb, "%s = %s\n", conf->v[i].key, conf->v[i].value);
	if (!sb.s)
		strbuf_puts(&sb, "");
	return strbuf_steal(&sb);
}

/* LXC text -> OCI (asserting success and that every entry was mapped) */
FX static json_t *fx_oci_ok(const char *text)
{
	struct ct_error *err = NULL;
	json_t *oci = NULL;
	size_t unused = 99;
	int rc = fx_to_oci(text, &oci, &unused, &err);

	ck_assert_msg(rc == 0, "to_oci failed: %s", err && err->msg ? err->msg : "?");
	ck_assert_msg(unused == 0, "%zu entries left unmapped", unused);
	return oci;
}

/* OCI -> LXC text (asserting success). */
FX static char *fx_lxc_ok(json_t *oci)
{
	struct ct_error *err = NULL;
	cleanup_lxcconf struct lxc_config *conf = NULL;
	int rc = fx_to_lxc(oci, &conf, &err);

	ck_assert_msg(rc == 0, "to_lxc failed: %s", err && err->msg ? err->msg : "?");
	return fx_dump(conf);
}

/* The lines of text that start with prefix (the other families' lines left out). */
FX static char *fx_grep(const char *text, const char *prefix)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_puts(&sb, "");
	for (const char *l = text; *l;) {
		const char *nl = strchr(l, '\n');
		size_t len = nl ? (size_t)(nl - l + 1) : strlen(l);

		if (strncmp(l, prefix, strlen(prefix)) == 0)
			strbuf_add(&sb, l, len);
		l += len;
	}
	return strbuf_steal(&sb);
}

/* OCI -> the LXC lines starting with prefix. */
FX static char *fx_lxc_only(json_t *oci, const char *prefix)
{
	cleanup_free char *all = fx_lxc_ok(oci);

	return fx_grep(all, prefix);
}

/* LXC text -> OCI -> LXC text gives the same text back. */
FX static void fx_lxc_round_trip(const char *text, const char *want)
{
	cleanup_json json_t *oci = fx_oci_ok(text);
	cleanup_free char *back = fx_lxc_ok(oci);

	ck_assert_str_eq(back, want ? want : text);
}

/* OCI JSON -> LXC -> OCI gives an equal document back. */
FX static void fx_oci_round_trip(const char *json)
{
	cleanup_json json_t *in = json_loads(json, 0, NULL);
	cleanup_json json_t *back = NULL;
	cleanup_free char *text = NULL, *a = NULL, *b = NULL;
	cleanup_lxcconf struct lxc_config *conf = NULL;
	struct ct_error *err = NULL;

	ck_assert_ptr_nonnull(in);
	ck_assert_int_eq(fx_to_lxc(in, &conf, &err), 0);
	text = fx_dump(conf);
	ck_assert_int_eq(fx_to_oci_conf(conf, &back, NULL, &err), 0);
	a = ct_json_canonical(in);
	b = ct_json_canonical(back);
	ck_assert_msg(strcmp(a, b) == 0,
		      "round trip changed the document:\n in: %s\nlxc: %s\nout: %s", a, text, b);
}

/* LXC text -> located error whose message contains want. */
FX static void fx_oci_fails(const char *text, unsigned line, const char *want)
{
	struct ct_error *err = NULL;
	json_t *oci = NULL;
	int rc = fx_to_oci(text, &oci, NULL, &err);

	ck_assert_msg(rc < 0, "expected an error for: %s", text);
	ck_assert_ptr_nonnull(err);
	ck_assert_msg(strstr(err->msg, want), "message \"%s\" lacks \"%s\"", err->msg, want);
	ck_assert_str_eq(err->file, "t.conf");
	ck_assert_uint_eq(err->line, line);
	ct_error_free(err);
}

/* The value at a JSON pointer, canonical. */
FX static char *fx_at(json_t *oci, const char *ptr)
{
	json_t *j = ct_json_get(oci, ptr);

	return j ? ct_json_canonical(j) : strdup("(none)");
}

FX static void fx_assert_at(json_t *oci, const char *ptr, const char *want)
{
	cleanup_free char *got = fx_at(oci, ptr);

	ck_assert_msg(strcmp(got, want) == 0, "%s: expected %s, got %s", ptr, want, got);
}

#endif
