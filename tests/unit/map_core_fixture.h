/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The fixture of the core family suites (check_map_core.c, check_map_process.c): warnings
 * collected, configs and documents built inline, the driver in either direction, and the round
 * trip assertions restricted to the keys and fields the core families own. */
#ifndef CT_MAP_CORE_FIXTURE_H
#define CT_MAP_CORE_FIXTURE_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "cleanup.h"
#include "error.h"
#include "jsonutil.h"
#include "lxcconf.h"
#include "map_simple.h"
#include "strbuf.h"
#include "translate.h"

/* The keys these families write, for comparisons that ignore other families. */
static const char *const core_keys[] = {
	"lxc.uts.name",		"lxc.init.cwd",		  "lxc.init.uid",
	"lxc.init.gid",		"lxc.proc.oom_score_adj", "lxc.no_new_privs",
	"lxc.apparmor.profile", "lxc.selinux.context",	  "lxc.rootfs.path",
	"lxc.rootfs.options",	"lxc.rootfs.mount",	  "lxc.execute.cmd",
	"lxc.init.cmd",		"lxc.init.groups",	  "lxc.environment",
	"lxc.signal.halt",	"lxc.start.auto",	  "lxc.tty.max",
};

/* The OCI fields these families own. */
static const char *const core_fields[] = {
	"/hostname",
	"/process/cwd",
	"/process/user/uid",
	"/process/user/gid",
	"/process/user/additionalGids",
	"/process/oomScoreAdj",
	"/process/noNewPrivileges",
	"/process/apparmorProfile",
	"/process/selinuxLabel",
	"/process/args",
	"/process/env",
	"/process/terminal",
	"/root/path",
	"/root/readonly",
	"/linux/rootfsPropagation",
	"/annotations",
};

struct warnings {
	unsigned n;
	struct strbuf all; /* one message a line */
};

static inline void collect(void *data, const char *file, unsigned line, unsigned col,
			   const char *msg)
{
	struct warnings *w = data;

	w->n++;
	strbuf_printf(&w->all, "%s\n", msg);
}

static struct warnings warns;
static struct ct_diag diag;
static struct ct_translate_opts opts;

static inline void setup(void)
{
	strbuf_release(&warns.all);
	warns = (struct warnings){ 0, STRBUF_INIT };
	diag = (struct ct_diag){ .warn = collect, .data = &warns };
	opts = (struct ct_translate_opts){ .diag = &diag, .bundle_dir = "/srv/bundle" };
}

static inline void teardown(void)
{
	strbuf_release(&warns.all);
}

static inline bool warned(const char *needle)
{
	return warns.all.s && strstr(warns.all.s, needle);
}

/* A config from "key", "value", ... pairs, NULL-terminated; entry i is at t.conf:i+1. */
static inline struct lxc_config *conf_of(const char *const *kv)
{
	struct lxc_config *c = lxcconf_new();

	ck_assert_ptr_nonnull(c);
	for (unsigned i = 0; kv[2 * i]; i++)
		ck_assert_int_eq(lxcconf_add(c, kv[2 * i], kv[2 * i + 1], "t.conf", i + 1, NULL),
				 0);
	return c;
}

static inline json_t *to_oci(struct lxc_config *c)
{
	cleanup_error struct ct_error *err = NULL;
	json_t *oci = NULL;
	int rc = ct_lxc_to_oci(c, &opts, &oci, &err);

	ck_assert_msg(rc == 0, "lxc -> oci failed: %s", err ? err->msg : "?");
	return oci;
}

static inline json_t *json_of(const char *text)
{
	json_error_t jerr;
	json_t *j = json_loads(text, 0, &jerr);

	ck_assert_msg(j != NULL, "bad test JSON: %s", jerr.text);
	return j;
}

static inline struct lxc_config *to_lxc(json_t *oci)
{
	cleanup_error struct ct_error *err = NULL;
	struct lxc_config *c = NULL;
	int rc = ct_oci_to_lxc(oci, &opts, &c, NULL, &err);

	ck_assert_msg(rc == 0, "oci -> lxc failed: %s", err ? err->msg : "?");
	return c;
}

static inline bool is_core_key(const char *key)
{
	for (size_t i = 0; i < CT_ARRAY_SIZE(core_keys); i++)
		if (strcmp(core_keys[i], key) == 0)
			return true;
	return false;
}

/* "key = value" lines of the core keys, in order. */
static inline char *core_entries(const struct lxc_config *c)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < c->n; i++)
		if (is_core_key(c->v[i].key))
			strbuf_printf(&sb, "%s = %s\n", c->v[i].key, c->v[i].value);
	return sb.s ? strbuf_steal(&sb) : strdup("");
}

/* The values of one key, joined with '|'. */
static inline char *values_of(const struct lxc_config *c, const char *key)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i].key, key) == 0)
			strbuf_printf(&sb, "%s%s", sb.len ? "|" : "", c->v[i].value);
	return sb.s ? strbuf_steal(&sb) : strdup("");
}

static inline char *canon_at(json_t *j, const char *path)
{
	json_t *v = ct_json_get(j, path);

	return v ? ct_json_canonical(v) : strdup("(absent)");
}

#define ck_json_at(j, path, want)                                                             \
	do {                                                                                  \
		cleanup_free char *got_ = canon_at(j, path);                                  \
		ck_assert_msg(strcmp(got_, want) == 0, "%s: expected %s, got %s", path, want, \
			      got_);                                                          \
	} while (0)

#define ck_values(c, key, want)                                                                \
	do {                                                                                   \
		cleanup_free char *got_ = values_of(c, key);                                   \
		ck_assert_msg(strcmp(got_, want) == 0, "%s: expected \"%s\", got \"%s\"", key, \
			      want, got_);                                                     \
	} while (0)

static const char *annot(json_t *oci, const char *key)
{
	return json_string_value(json_object_get(ct_json_get(oci, "/annotations"), key));
}

/* LXC -> OCI -> LXC gives the same core entries. */
static inline void ck_lxc_round_trip(const char *const *kv)
{
	cleanup_lxcconf struct lxc_config *c = conf_of(kv);
	cleanup_json json_t *oci = to_oci(c);
	cleanup_lxcconf struct lxc_config *back = to_lxc(oci);

	/* Per key: liblxc does not care about the order of different keys. */
	for (size_t i = 0; i < CT_ARRAY_SIZE(core_keys); i++) {
		cleanup_free char *x = values_of(c, core_keys[i]);
		cleanup_free char *y = values_of(back, core_keys[i]);

		ck_assert_msg(strcmp(x, y) == 0, "LXC round trip of %s: \"%s\" came back as \"%s\"",
			      core_keys[i], x, y);
	}
}

static inline void drop_carry(struct lxc_config *c)
{
	for (size_t i = 0; i < c->ncarry; i++) {
		free(c->carry[i].text);
		free(c->carry[i].file);
	}
	c->ncarry = 0;
}

/* OCI -> LXC -> OCI gives the same core fields from the LXC keys alone (carry lines dropped),
 * and no carry line was needed for them. */
static inline void ck_oci_round_trip(const char *text)
{
	cleanup_json json_t *oci = json_of(text);
	cleanup_lxcconf struct lxc_config *c = NULL;
	cleanup_json json_t *back = NULL;
	json_t *proc = ct_json_obj(oci, "/process");
	json_t *user = ct_json_obj(oci, "/process/user");

	/* Members every config.json has (a runtime requires them): fill them in as runc does. */
	if (!json_object_get(proc, "terminal"))
		json_object_set_new(proc, "terminal", json_false());
	if (!json_object_get(proc, "cwd"))
		json_object_set_new(proc, "cwd", json_string("/"));
	if (!json_object_get(proc, "env"))
		json_object_set_new(proc, "env", json_array());
	if (!json_object_get(user, "uid"))
		json_object_set_new(user, "uid", json_integer(0));
	if (!json_object_get(user, "gid"))
		json_object_set_new(user, "gid", json_integer(0));
	if (!ct_json_get(oci, "/root/path"))
		json_object_set_new(ct_json_obj(oci, "/root"), "path", json_string("/srv/rootfs"));
	c = to_lxc(oci);

	for (size_t i = 0; i < c->ncarry; i++)
		for (size_t f = 0; f < CT_ARRAY_SIZE(core_fields); f++)
			ck_assert_msg(strncmp(c->carry[i].text + strspn(c->carry[i].text, " "),
					      core_fields[f], strlen(core_fields[f])) != 0 ||
					      strcmp(core_fields[f], "/root/path") == 0,
				      "carry line for a core field: %s", c->carry[i].text);
	drop_carry(c);
	back = to_oci(c);
	for (size_t f = 0; f < CT_ARRAY_SIZE(core_fields); f++) {
		cleanup_free char *want = canon_at(oci, core_fields[f]);

		ck_json_at(back, core_fields[f], want);
	}
}

static inline void ck_lxc_error(const char *key, const char *value, const char *needle)
{
	const char *kv[] = { "lxc.uts.name", "ok", key, value, NULL };
	cleanup_lxcconf struct lxc_config *c = conf_of(kv);
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *oci = NULL;

	ck_assert_int_lt(ct_lxc_to_oci(c, &opts, &oci, &err), 0);
	ck_assert_ptr_nonnull(err);
	ck_assert_str_eq(err->file, "t.conf");
	ck_assert_uint_eq(err->line, 2);
	ck_assert_msg(strstr(err->msg, needle), "%s = %s: expected \"%s\" in \"%s\"", key, value,
		      needle, err->msg);
}

static inline void ck_oci_error(const char *text, const char *needle)
{
	cleanup_json json_t *oci = json_of(text);
	cleanup_error struct ct_error *err = NULL;
	struct lxc_config *c = NULL;

	ck_assert_int_lt(ct_oci_to_lxc(oci, &opts, &c, NULL, &err), 0);
	ck_assert_ptr_null(c);
	ck_assert_msg(err && strstr(err->msg, needle), "%s: expected \"%s\" in \"%s\"", text,
		      needle, err ? err->msg : "(none)");
}

#endif
