/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The fixture the family suites share: warnings collected, "key = value" configs located as
 * t.conf:N, one family run alone in either direction, and the LXC round-trip assertion.
 * Define FAMILY (e.g. ct_family_cgroup) before including it. */
#ifndef CT_FAMILY_FIXTURE_H
#define CT_FAMILY_FIXTURE_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "cleanup.h"
#include "families.h"
#include "jsonutil.h"
#include "strbuf.h"
#include "translate.h"

#ifndef FAMILY
#error "define FAMILY before including family_fixture.h"
#endif

static unsigned nwarn;
static char lastwarn[512];

static void on_warn(void *data, const char *file, unsigned line, unsigned col, const char *msg)
{
	nwarn++;
	snprintf(lastwarn, sizeof(lastwarn), "%s", msg);
}

static struct ct_diag diag = { .warn = on_warn };
static const struct ct_translate_opts opts = { .diag = &diag };

/* "key = value" lines, located as t.conf:N. */
static struct lxc_config *conf_of(const char *text)
{
	struct lxc_config *c = lxcconf_new();
	cleanup_free char *copy = strdup(text);
	char *save = NULL;
	unsigned n = 0;

	ck_assert_ptr_nonnull(c);
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *eq = strstr(l, " = ");

		n++;
		ck_assert_ptr_nonnull(eq);
		*eq = '\0';
		ck_assert_int_eq(lxcconf_add(c, l, eq + 3, "t.conf", n, NULL), 0);
	}
	return c;
}

/* FAMILY alone, LXC -> OCI. used (optional) receives the flags. */
static int family_to_oci(const struct ct_family *fam, struct lxc_config *c, json_t **ret,
			 bool **ret_used, struct ct_error **err)
{
	json_t *oci = json_object();
	bool *used = calloc(c->n + 1, sizeof(bool));
	struct ct_ctx ctx = { .lxc = c, .oci = oci, .opts = &opts, .used = used };
	int rc = fam->to_oci(&ctx, err);

	*ret = oci;
	if (ret_used)
		*ret_used = used;
	else
		free(used);
	return rc;
}

static struct lxc_config *family_to_lxc(const struct ct_family *fam, json_t *oci)
{
	struct lxc_config *c = lxcconf_new();
	struct ct_ctx ctx = { .lxc = c, .oci = oci, .opts = &opts };
	cleanup_error struct ct_error *err = NULL;

	ck_assert_int_eq(fam->to_lxc(&ctx, &err), 0);
	for (size_t i = 0; i < ctx.nwarned; i++)
		free(ctx.warned[i]);
	free(ctx.warned);
	return c;
}

static inline int to_oci(struct lxc_config *c, json_t **ret, bool **ret_used, struct ct_error **err)
{
	return family_to_oci(&FAMILY, c, ret, ret_used, err);
}

static inline struct lxc_config *to_lxc(json_t *oci)
{
	return family_to_lxc(&FAMILY, oci);
}

/* Every value of key, "\n"-joined, as get_config_item shows a list. */
static inline char *values(const struct lxc_config *c, const char *key)
{
	cleanup_strbuf struct strbuf sb = STRBUF_INIT;
	const struct lxc_entry *e;
	size_t i;

	strbuf_puts(&sb, "");
	for (i = 0; (e = lxcconf_next(c, key, false, &i)); i++)
		strbuf_printf(&sb, "%s%s", sb.len ? "\n" : "", e->value);
	return strbuf_steal(&sb);
}

/* LXC -> OCI -> LXC gives every key back with the same values. */
static inline void assert_lxc_round_trip(const char *text)
{
	cleanup_lxcconf struct lxc_config *c = conf_of(text);
	cleanup_lxcconf struct lxc_config *back = NULL;
	cleanup_json json_t *oci = NULL;
	cleanup_error struct ct_error *err = NULL;

	ck_assert_int_eq(to_oci(c, &oci, NULL, &err), 0);
	back = to_lxc(oci);
	for (size_t i = 0; i < c->n; i++) {
		cleanup_free char *want = values(c, c->v[i].key);
		cleanup_free char *got = values(back, c->v[i].key);

		ck_assert_msg(strcmp(want, got) == 0, "%s: want \"%s\", got \"%s\"", c->v[i].key,
			      want, got);
	}
	ck_assert_uint_eq(back->n, c->n);
}

#endif
