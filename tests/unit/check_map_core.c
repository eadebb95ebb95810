/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* map_simple, map_rootfs, map_process, map_env, map_annot: both directions, defaults, quoting,
 * and the round trips for the keys and fields these families own. */
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

static void collect(void *data, const char *file, unsigned line, unsigned col, const char *msg)
{
	struct warnings *w = data;

	w->n++;
	strbuf_printf(&w->all, "%s\n", msg);
}

static struct warnings warns;
static struct ct_diag diag;
static struct ct_translate_opts opts;

static void setup(void)
{
	strbuf_release(&warns.all);
	warns = (struct warnings){ 0, STRBUF_INIT };
	diag = (struct ct_diag){ .warn = collect, .data = &warns };
	opts = (struct ct_translate_opts){ .diag = &diag, .bundle_dir = "/srv/bundle" };
}

static void teardown(void)
{
	strbuf_release(&warns.all);
}

static bool warned(const char *needle)
{
	return warns.all.s && strstr(warns.all.s, needle);
}

/* A config from "key", "value", ... pairs, NULL-terminated; entry i is at t.conf:i+1. */
static struct lxc_config *conf_of(const char *const *kv)
{
	struct lxc_config *c = lxcconf_new();

	ck_assert_ptr_nonnull(c);
	for (unsigned i = 0; kv[2 * i]; i++)
		ck_assert_int_eq(lxcconf_add(c, kv[2 * i], kv[2 * i + 1], "t.conf", i + 1, NULL),
				 0);
	return c;
}

static json_t *to_oci(struct lxc_config *c)
{
	cleanup_error struct ct_error *err = NULL;
	json_t *oci = NULL;
	int rc = ct_lxc_to_oci(c, &opts, &oci, &err);

	ck_assert_msg(rc == 0, "lxc -> oci failed: %s", err ? err->msg : "?");
	return oci;
}

static json_t *json_of(const char *text)
{
	json_error_t jerr;
	json_t *j = json_loads(text, 0, &jerr);

	ck_assert_msg(j != NULL, "bad test JSON: %s", jerr.text);
	return j;
}

static struct lxc_config *to_lxc(json_t *oci)
{
	cleanup_error struct ct_error *err = NULL;
	struct lxc_config *c = NULL;
	int rc = ct_oci_to_lxc(oci, &opts, &c, NULL, &err);

	ck_assert_msg(rc == 0, "oci -> lxc failed: %s", err ? err->msg : "?");
	return c;
}

static bool is_core_key(const char *key)
{
	for (size_t i = 0; i < CT_ARRAY_SIZE(core_keys); i++)
		if (strcmp(core_keys[i], key) == 0)
			return true;
	return false;
}

/* "key = value" lines of the core keys, in order. */
static char *core_entries(const struct lxc_config *c)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < c->n; i++)
		if (is_core_key(c->v[i].key))
			strbuf_printf(&sb, "%s = %s\n", c->v[i].key, c->v[i].value);
	return sb.s ? strbuf_steal(&sb) : strdup("");
}

/* The values of one key, joined with '|'. */
static char *values_of(const struct lxc_config *c, const char *key)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i].key, key) == 0)
			strbuf_printf(&sb, "%s%s", sb.len ? "|" : "", c->v[i].value);
	return sb.s ? strbuf_steal(&sb) : strdup("");
}

static char *canon_at(json_t *j, const char *path)
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
static void ck_lxc_round_trip(const char *const *kv)
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

static void drop_carry(struct lxc_config *c)
{
	for (size_t i = 0; i < c->ncarry; i++) {
		free(c->carry[i].text);
		free(c->carry[i].file);
	}
	c->ncarry = 0;
}

/* OCI -> LXC -> OCI gives the same core fields from the LXC keys alone (carry lines dropped),
 * and no carry line was needed for them. */
static void ck_oci_round_trip(const char *text)
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

/* ---- map_simple ---- */

/* A value of each kind that is not the default, and its JSON form. */
static void sample(const struct map_simple_row *r, const char **lxc, const char **json)
{
	switch (r->kind) {
	case MAP_SIMPLE_STRING:
		*lxc = "sample-value";
		*json = "\"sample-value\"";
		return;
	case MAP_SIMPLE_PATH:
		*lxc = "/srv/work dir";
		*json = "\"/srv/work dir\"";
		return;
	case MAP_SIMPLE_INT:
		*lxc = "-17";
		*json = "-17";
		return;
	case MAP_SIMPLE_UINT32:
		*lxc = "4294967295";
		*json = "4294967295";
		return;
	case MAP_SIMPLE_BOOL01:
		*lxc = "1";
		*json = "true";
		return;
	}
	ck_abort_msg("unknown kind for %s", r->lxc);
}

START_TEST(simple_every_row_maps_both_ways)
{
	size_t n;
	const struct map_simple_row *rows = map_simple_table(&n);

	ck_assert_uint_ge(n, 8);
	for (size_t i = 0; i < n; i++) {
		const char *lv, *jv;
		const char *kv[3] = { rows[i].lxc, NULL, NULL };
		cleanup_lxcconf struct lxc_config *c = NULL;
		cleanup_lxcconf struct lxc_config *back = NULL;
		cleanup_json json_t *oci = NULL;

		sample(&rows[i], &lv, &jv);
		kv[1] = lv;
		c = conf_of(kv);
		oci = to_oci(c);
		ck_json_at(oci, rows[i].pointer, jv);
		back = to_lxc(oci);
		ck_values(back, rows[i].lxc, lv);
	}
}
END_TEST

START_TEST(simple_table_has_the_required_rows)
{
	static const char *const want[][2] = {
		{ "lxc.uts.name", "/hostname" },
		{ "lxc.init.cwd", "/process/cwd" },
		{ "lxc.init.uid", "/process/user/uid" },
		{ "lxc.init.gid", "/process/user/gid" },
		{ "lxc.proc.oom_score_adj", "/process/oomScoreAdj" },
		{ "lxc.no_new_privs", "/process/noNewPrivileges" },
		{ "lxc.apparmor.profile", "/process/apparmorProfile" },
		{ "lxc.selinux.context", "/process/selinuxLabel" },
	};
	size_t n;
	const struct map_simple_row *rows = map_simple_table(&n);

	for (size_t w = 0; w < CT_ARRAY_SIZE(want); w++) {
		bool found = false;

		for (size_t i = 0; i < n; i++)
			found |= !strcmp(rows[i].lxc, want[w][0]) &&
				 !strcmp(rows[i].pointer, want[w][1]);
		ck_assert_msg(found, "no row %s <-> %s", want[w][0], want[w][1]);
	}
}
END_TEST

START_TEST(simple_defaults_are_not_written_back)
{
	cleanup_json json_t *oci = json_of(
		"{\"process\": {\"cwd\": \"/\", \"user\": {\"uid\": 0, \"gid\": 0}, \"args\": [\"sh\"]}}");
	cleanup_lxcconf struct lxc_config *c = to_lxc(oci);
	static const char *const kv[] = { "lxc.init.uid", "0", "lxc.init.cwd", "/", NULL };
	cleanup_lxcconf struct lxc_config *d = conf_of(kv);
	cleanup_json json_t *o2 = to_oci(d);

	ck_values(c, "lxc.init.cwd", "");
	ck_values(c, "lxc.init.uid", "");
	ck_values(c, "lxc.init.gid", "");
	/* The defaults still translate to the skeleton's values. */
	ck_json_at(o2, "/process/user/uid", "0");
	ck_json_at(o2, "/process/cwd", "\"/\"");
}
END_TEST

START_TEST(simple_no_new_privs_absent_true_false_round_trip)
{
	static const char *const on[] = { "lxc.no_new_privs", "1", NULL };
	static const char *const off[] = { "lxc.no_new_privs", "0", NULL };
	static const char *const none[] = { "lxc.uts.name", "x", NULL };
	cleanup_lxcconf struct lxc_config *c = conf_of(none);
	cleanup_json json_t *oci = to_oci(c);

	ck_json_at(oci, "/process/noNewPrivileges", "(absent)");
	ck_lxc_round_trip(on);
	ck_lxc_round_trip(off);
	ck_lxc_round_trip(none);
	ck_oci_round_trip("{\"process\": {\"noNewPrivileges\": true, \"args\": [\"sh\"]}}");
	ck_oci_round_trip("{\"process\": {\"noNewPrivileges\": false, \"args\": [\"sh\"]}}");
	ck_oci_round_trip("{\"process\": {\"args\": [\"sh\"]}}");
}
END_TEST

static void ck_lxc_error(const char *key, const char *value, const char *needle)
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

START_TEST(simple_bad_values_are_located_errors)
{
	cleanup_error struct ct_error *err = NULL;
	static const char *const rel[] = { "lxc.init.cwd", "tmp", NULL };
	cleanup_lxcconf struct lxc_config *c = conf_of(rel);
	cleanup_json json_t *oci = NULL;
	char longname[80];

	ck_lxc_error("lxc.init.uid", "12x", "not a whole number");
	ck_lxc_error("lxc.init.uid", "-1", "lxc.init.uid");
	ck_lxc_error("lxc.init.gid", "4294967296", "out of range");
	ck_lxc_error("lxc.proc.oom_score_adj", "1001", "out of range");
	ck_lxc_error("lxc.proc.oom_score_adj", "10 ", "not a whole number");
	ck_lxc_error("lxc.no_new_privs", "2", "0 or 1");
	ck_lxc_error("lxc.no_new_privs", "yes", "0 or 1");
	memset(longname, 'h', 65);
	longname[65] = '\0';
	ck_lxc_error("lxc.uts.name", longname, "longer than 64");
	ck_assert_int_lt(ct_lxc_to_oci(c, &opts, &oci, &err), 0);
	ck_assert_ptr_nonnull(strstr(err->msg, "absolute"));
	ck_assert_ptr_nonnull(err->hint);
	ck_assert_ptr_nonnull(strstr(err->hint, "/tmp"));
}
END_TEST

static void ck_oci_error(const char *text, const char *needle)
{
	cleanup_json json_t *oci = json_of(text);
	cleanup_error struct ct_error *err = NULL;
	struct lxc_config *c = NULL;

	ck_assert_int_lt(ct_oci_to_lxc(oci, &opts, &c, NULL, &err), 0);
	ck_assert_ptr_null(c);
	ck_assert_msg(err && strstr(err->msg, needle), "%s: expected \"%s\" in \"%s\"", text,
		      needle, err ? err->msg : "(none)");
}

START_TEST(simple_bad_oci_values_are_errors)
{
	ck_oci_error("{\"process\": {\"user\": {\"uid\": \"0\"}}}", "/process/user/uid");
	ck_oci_error("{\"process\": {\"user\": {\"uid\": -1}}}", "/process/user/uid");
	ck_oci_error("{\"process\": {\"oomScoreAdj\": 5000}}", "/process/oomScoreAdj");
	ck_oci_error("{\"process\": {\"noNewPrivileges\": 1}}", "/process/noNewPrivileges");
	ck_oci_error("{\"process\": {\"cwd\": \"relative\"}}", "absolute");
	ck_oci_error("{\"hostname\": 7}", "/hostname");
}
END_TEST

START_TEST(simple_last_assignment_wins)
{
	static const char *const kv[] = { "lxc.uts.name", "first", "lxc.uts.name", "second", NULL };
	cleanup_lxcconf struct lxc_config *c = conf_of(kv);
	cleanup_json json_t *oci = to_oci(c);
	cleanup_lxcconf struct lxc_config *back = to_lxc(oci);

	ck_json_at(oci, "/hostname", "\"second\"");
	ck_values(back, "lxc.uts.name", "second");
	ck_assert_ptr_null(annot(oci, "org.ctlaunch.lxc.uts.name"));
}
END_TEST

START_TEST(simple_lxc_only_apparmor_values_warn)
{
	static const char *const kv[] = { "lxc.apparmor.profile", "generated", NULL };
	cleanup_lxcconf struct lxc_config *c = conf_of(kv);
	cleanup_json json_t *oci = to_oci(c);

	ck_json_at(oci, "/process/apparmorProfile", "\"generated\"");
	ck_assert_msg(warned("generates this profile"), "no warning: %s", warns.all.s);
}
END_TEST

START_TEST(simple_strings_lxc_cannot_hold_are_left_to_carry_lines)
{
	cleanup_json json_t *oci = json_of("{\"hostname\": \"\", \"process\": {\"selinuxLabel\": "
					   "\"a\\nb\", \"args\": [\"sh\"]}}");
	cleanup_lxcconf struct lxc_config *c = to_lxc(oci);

	ck_values(c, "lxc.uts.name", "");
	ck_values(c, "lxc.selinux.context", "");
	ck_assert(warned("/hostname"));
	ck_assert(warned("/process/selinuxLabel"));
}
END_TEST

/* ---- map_rootfs ---- */

START_TEST(rootfs_dir_prefix_and_plain_paths_round_trip)
{
	static const char *const dir[] = { "lxc.rootfs.path", "dir:/var/lib/lxc/a/rootfs", NULL };
	static const char *const plain[] = { "lxc.rootfs.path", "/var/lib/lxc/a/rootfs", NULL };
	cleanup_lxcconf struct lxc_config *c = conf_of(dir);
	cleanup_json json_t *oci = to_oci(c);

	ck_json_at(oci, "/root/path", "\"/var/lib/lxc/a/rootfs\"");
	ck_lxc_round_trip(dir);
	ck_lxc_round_trip(plain);
	ck_assert_uint_eq(warns.n, 0);
}
END_TEST

START_TEST(rootfs_other_backends_are_kept_verbatim_and_warned)
{
	static const char *const kv[] = { "lxc.rootfs.path", "overlay:/lower:/upper", NULL };
	cleanup_lxcconf struct lxc_config *c = conf_of(kv);
	cleanup_json json_t *oci = to_oci(c);

	ck_json_at(oci, "/root/path", "\"overlay:/lower:/upper\"");
	ck_assert(warned("overlay:"));
	ck_lxc_round_trip(kv);
}
END_TEST

static void ck_root_path(const char *root, const char *rootfs_opt, const char *want)
{
	cleanup_free char *text = NULL;
	cleanup_json json_t *oci = NULL;
	cleanup_lxcconf struct lxc_config *c = NULL;

	ck_assert_int_gt(asprintf(&text, "{\"root\": {\"path\": \"%s\"}}", root), 0);
	oci = json_of(text);
	opts.rootfs = rootfs_opt;
	c = to_lxc(oci);
	opts.rootfs = NULL;
	ck_values(c, "lxc.rootfs.path", want);
}

START_TEST(rootfs_relative_path_resolves_against_bundle)
{
	cleanup_free char *cwd = getcwd(NULL, 0);
	cleanup_free char *want = NULL;

	ck_root_path("rootfs", NULL, "/srv/bundle/rootfs");
	ck_root_path("./x/../rootfs/", NULL, "/srv/bundle/rootfs");
	ck_root_path("../other/rootfs", NULL, "/srv/other/rootfs");
	ck_root_path("/abs/rootfs", NULL, "/abs/rootfs");
	/* The bundle may be relative to the working directory; nothing needs to exist. */
	opts.bundle_dir = "some/bundle";
	ck_assert_int_gt(asprintf(&want, "%s/some/bundle/rootfs", strcmp(cwd, "/") ? cwd : ""), 0);
	ck_root_path("rootfs", NULL, want);
}
END_TEST

START_TEST(rootfs_option_overrides_root_path)
{
	cleanup_free char *cwd = getcwd(NULL, 0);
	cleanup_free char *want = NULL;

	ck_root_path("rootfs", "/from/cli", "/from/cli");
	ck_assert_int_gt(asprintf(&want, "%s/cli/rootfs", strcmp(cwd, "/") ? cwd : ""), 0);
	ck_root_path("rootfs", "cli/rootfs", want);
}
END_TEST

START_TEST(rootfs_options_map_readonly_and_propagation)
{
	static const char *const ro[] = { "lxc.rootfs.path", "/r", "lxc.rootfs.options", "ro",
					  NULL };
	static const char *const both[] = { "lxc.rootfs.path", "/r", "lxc.rootfs.options",
					    "ro,rslave", NULL };
	static const char *const rw[] = { "lxc.rootfs.path", "/r", "lxc.rootfs.options", "rw",
					  NULL };
	static const char *const odd[] = { "lxc.rootfs.path", "/r", "lxc.rootfs.options",
					   "rprivate,ro", NULL };
	static const char *const plain[] = { "lxc.rootfs.path", "/r", "lxc.rootfs.options",
					     "ro,shared", NULL };
	cleanup_lxcconf struct lxc_config *c = conf_of(both);
	cleanup_json json_t *oci = to_oci(c);

	ck_json_at(oci, "/root/readonly", "true");
	/* The runtime-spec schema has no recursive forms. */
	ck_json_at(oci, "/linux/rootfsPropagation", "\"slave\"");
	ck_assert_str_eq(annot(oci, "org.ctlaunch.meta.rootfs-options"), "ro,rslave");
	ck_lxc_round_trip(ro);
	ck_lxc_round_trip(both);
	ck_lxc_round_trip(rw);
	ck_lxc_round_trip(odd);
	ck_lxc_round_trip(plain);
	{
		cleanup_lxcconf struct lxc_config *pc = conf_of(plain);
		cleanup_json json_t *po = to_oci(pc);

		ck_json_at(po, "/linux/rootfsPropagation", "\"shared\"");
		ck_assert_ptr_null(annot(po, "org.ctlaunch.meta.rootfs-options"));
	}
	{
		cleanup_lxcconf struct lxc_config *pc = conf_of(plain);
		cleanup_json json_t *po = to_oci(pc);

		ck_json_at(po, "/linux/rootfsPropagation", "\"shared\"");
		ck_assert_ptr_null(annot(po, "org.ctlaunch.meta.rootfs-options"));
	}
	ck_oci_round_trip(
		"{\"root\": {\"path\": \"/r\", \"readonly\": true}, \"linux\": "
		"{\"rootfsPropagation\": \"private\"}, \"process\": {\"args\": [\"sh\"]}}");
	ck_oci_round_trip("{\"root\": {\"path\": \"/r\", \"readonly\": false}, \"process\": "
			  "{\"args\": [\"sh\"]}}");
	ck_assert_uint_eq(warns.n, 0);
}
END_TEST

START_TEST(rootfs_other_options_are_kept_and_warned)
{
	static const char *const kv[] = { "lxc.rootfs.path", "/r", "lxc.rootfs.options",
					  "nodev,ro,nosuid", NULL };
	cleanup_lxcconf struct lxc_config *c = conf_of(kv);
	cleanup_json json_t *oci = to_oci(c);

	ck_json_at(oci, "/root/readonly", "true");
	ck_assert_str_eq(annot(oci, "org.ctlaunch.meta.rootfs-options"), "nodev,ro,nosuid");
	ck_assert_msg(warned("nodev,nosuid"), "warnings: %s", warns.all.s);
	ck_lxc_round_trip(kv);
}
END_TEST

START_TEST(rootfs_edited_readonly_rebuilds_options)
{
	cleanup_json json_t *oci = json_of(
		"{\"root\": {\"path\": \"/r\", \"readonly\": false}, \"annotations\": "
		"{\"org.ctlaunch.meta.rootfs-options\": \"nodev,ro\"}}");
	cleanup_lxcconf struct lxc_config *c = to_lxc(oci);

	ck_values(c, "lxc.rootfs.options", "rw,nodev");
}
END_TEST

START_TEST(rootfs_unset_path_stays_unset)
{
	static const char *const kv[] = { "lxc.uts.name", "x", NULL };
	cleanup_lxcconf struct lxc_config *c = conf_of(kv);
	cleanup_json json_t *oci = to_oci(c);
	cleanup_lxcconf struct lxc_config *back = to_lxc(oci);

	ck_json_at(oci, "/root/path", "\"rootfs\"");
	ck_assert_str_eq(annot(oci, "org.ctlaunch.meta.rootfs-path"), "unset");
	ck_assert(warned("lxc.rootfs.path is not set"));
	ck_values(back, "lxc.rootfs.path", "");
}
END_TEST

START_TEST(rootfs_mount_travels_as_annotation)
{
	static const char *const kv[] = { "lxc.rootfs.path", "/r", "lxc.rootfs.mount",
					  "/usr/lib/lxc", NULL };
	cleanup_lxcconf struct lxc_config *c = conf_of(kv);
	cleanup_json json_t *oci = to_oci(c);

	ck_assert_str_eq(annot(oci, "org.ctlaunch.lxc.rootfs.mount"), "/usr/lib/lxc");
	ck_lxc_round_trip(kv);
}
END_TEST

/* ---- map_process ---- */

START_TEST(process_args_with_blanks_and_quotes_are_quoted)
{
	cleanup_json json_t *oci = json_of(
		"{\"process\": {\"args\": [\"/bin/sh\", \"-c\", \"echo hello world; exit 0\", "
		"\"say \\\"hi\\\"\", \"\", \"a\\\"b\", \"'lead\"]}}");
	cleanup_lxcconf struct lxc_config *c = to_lxc(oci);

	ck_values(c, "lxc.execute.cmd",
		  "/bin/sh -c \"echo hello world; exit 0\" 'say \"hi\"' \"\" a\"b \"'lead\"");
	ck_assert(warned("start API"));
	ck_oci_round_trip("{\"process\": {\"args\": [\"/bin/sh\", \"-c\", \"echo hello world\", "
			  "\"\", \"it's\", \"\\\"q\\\"\", \"tab\\there\"]}}");
}
END_TEST

START_TEST(process_inexpressible_arg_is_an_error)
{
	ck_oci_error("{\"process\": {\"args\": [\"sh\", \"it's \\\"both\\\"\"]}}",
		     "/process/args/1");
	ck_oci_error("{\"process\": {\"args\": [\"sh\", \"two\\nlines\"]}}", "/process/args/1");
	ck_oci_error("{\"process\": {\"args\": [\"sh\", 3]}}", "/process/args/1");
}
END_TEST

START_TEST(process_execute_cmd_splits_like_lxc_execute)
{
	static const char *const kv[] = { "lxc.execute.cmd", "a  'b c'\"d e\" f\"g h", NULL };
	static const char *const cut[] = { "lxc.execute.cmd", "run \"unterminated arg", NULL };
	cleanup_lxcconf struct lxc_config *c = conf_of(kv);
	cleanup_lxcconf struct lxc_config *d = conf_of(cut);
	cleanup_json json_t *oci = to_oci(c);
	cleanup_json json_t *o2 = NULL;

	ck_json_at(oci, "/process/args", "[\"a\",\"b c\",\"d e\",\"f\\\"g\",\"h\"]");
	ck_assert_str_eq(annot(oci, "org.ctlaunch.meta.args-spelling"), "a  'b c'\"d e\" f\"g h");
	ck_lxc_round_trip(kv);
	o2 = to_oci(d);
	ck_json_at(o2, "/process/args", "[\"run\"]");
	ck_assert(warned("unterminated quote"));
}
END_TEST

START_TEST(process_plain_command_needs_no_meta)
{
	static const char *const kv[] = { "lxc.execute.cmd", "/usr/bin/WPEProcess -l libOCDM.so",
					  NULL };
	cleanup_lxcconf struct lxc_config *c = conf_of(kv);
	cleanup_json json_t *oci = to_oci(c);

	ck_json_at(oci, "/process/args", "[\"/usr/bin/WPEProcess\",\"-l\",\"libOCDM.so\"]");
	ck_assert_ptr_null(annot(oci, "org.ctlaunch.meta.args-key"));
	ck_assert_ptr_null(annot(oci, "org.ctlaunch.meta.args-spelling"));
	ck_lxc_round_trip(kv);
	ck_oci_round_trip("{\"process\": {\"args\": [\"sh\"]}}");
}
END_TEST

START_TEST(process_init_cmd_alone_comes_back_as_init_cmd)
{
	static const char *const kv[] = { "lxc.init.cmd", "/sbin/init  --log-level=4", NULL };
	cleanup_lxcconf struct lxc_config *c = conf_of(kv);
	cleanup_json json_t *oci = to_oci(c);
	cleanup_lxcconf struct lxc_config *back = to_lxc(oci);

	/* liblxc splits lxc.init.cmd on spaces only: quotes are plain characters there. */
	ck_json_at(oci, "/process/args", "[\"/sbin/init\",\"--log-level=4\"]");
	ck_assert_str_eq(annot(oci, "org.ctlaunch.meta.args-key"), "lxc.init.cmd");
	ck_values(back, "lxc.init.cmd", "/sbin/init  --log-level=4");
	ck_values(back, "lxc.execute.cmd", "");
	ck_lxc_round_trip(kv);
}
END_TEST

START_TEST(process_init_cmd_keeps_quotes_literal)
{
	static const char *const kv[] = { "lxc.init.cmd", "/bin/x \"a b\"", NULL };
	cleanup_lxcconf struct lxc_config *c = conf_of(kv);
	cleanup_json json_t *oci = to_oci(c);

	ck_json_at(oci, "/process/args", "[\"/bin/x\",\"\\\"a\",\"b\\\"\"]");
	ck_lxc_round_trip(kv);
}
END_TEST

START_TEST(process_execute_cmd_wins_over_init_cmd)
{
	static const char *const kv[] = { "lxc.init.cmd", "/sbin/init", "lxc.execute.cmd",
					  "/bin/app --flag", NULL };
	cleanup_lxcconf struct lxc_config *c = conf_of(kv);
	cleanup_json json_t *oci = to_oci(c);

	ck_json_at(oci, "/process/args", "[\"/bin/app\",\"--flag\"]");
	ck_assert_str_eq(annot(oci, "org.ctlaunch.lxc.init.cmd"), "/sbin/init");
	ck_assert_ptr_null(annot(oci, "org.ctlaunch.meta.args-key"));
	ck_lxc_round_trip(kv);
}
END_TEST

START_TEST(process_no_command_is_lxc_default_init)
{
	static const char *const kv[] = { "lxc.uts.name", "x", NULL };
	cleanup_lxcconf struct lxc_config *c = conf_of(kv);
	cleanup_json json_t *oci = to_oci(c);
	cleanup_lxcconf struct lxc_config *back = to_lxc(oci);

	ck_json_at(oci, "/process/args", "[\"/sbin/init\"]");
	ck_assert_str_eq(annot(oci, "org.ctlaunch.meta.args-key"), "default");
	ck_values(back, "lxc.execute.cmd", "");
	ck_values(back, "lxc.init.cmd", "");
}
END_TEST

START_TEST(process_init_cmd_falls_back_when_args_have_spaces)
{
	cleanup_json json_t *oci = json_of(
		"{\"process\": {\"args\": [\"/bin/x\", \"a b\"]}, \"annotations\": "
		"{\"org.ctlaunch.meta.args-key\": \"lxc.init.cmd\"}}");
	cleanup_lxcconf struct lxc_config *c = to_lxc(oci);

	ck_values(c, "lxc.init.cmd", "");
	ck_values(c, "lxc.execute.cmd", "/bin/x \"a b\"");
	ck_assert(warned("lxc.init.cmd cannot hold"));
}
END_TEST

START_TEST(process_groups_map_both_ways)
{
	static const char *const kv[] = { "lxc.init.groups", "5,20", NULL };
	static const char *const two[] = { "lxc.init.groups", "5", "lxc.init.groups", "7,,9",
					   NULL };
	cleanup_lxcconf struct lxc_config *c = conf_of(two);
	cleanup_json json_t *oci = to_oci(c);
	cleanup_lxcconf struct lxc_config *back = to_lxc(oci);

	ck_json_at(oci, "/process/user/additionalGids", "[5,7,9]");
	ck_values(back, "lxc.init.groups", "5,7,9");
	ck_lxc_round_trip(kv);
	ck_lxc_error("lxc.init.groups", "5,x", "invalid gid");
	ck_lxc_error("lxc.init.groups", "-3", "invalid gid");
	ck_oci_error("{\"process\": {\"user\": {\"additionalGids\": [1, -2]}}}",
		     "/process/user/additionalGids/1");
	ck_oci_round_trip("{\"process\": {\"user\": {\"uid\": 1000, \"gid\": 1000, "
			  "\"additionalGids\": [5, 20]}, \"args\": [\"sh\"]}}");
}
END_TEST

START_TEST(process_terminal_true_warns)
{
	cleanup_json json_t *on = json_of(
		"{\"process\": {\"terminal\": true, \"args\": [\"sh\"]}}");
	cleanup_json json_t *off = json_of(
		"{\"process\": {\"terminal\": false, \"args\": [\"sh\"]}}");
	cleanup_lxcconf struct lxc_config *c = to_lxc(off);
	cleanup_lxcconf struct lxc_config *d = NULL;

	ck_assert(!warned("/process/terminal"));
	d = to_lxc(on);
	ck_assert(warned("/process/terminal: LXC has no key"));
}
END_TEST

/* ---- map_env ---- */

START_TEST(env_keeps_order_and_inherit_convention)
{
	static const char *const kv[] = {
		"lxc.environment",
		"PATH",
		"lxc.environment",
		"TERM=xterm",
		"lxc.environment",
		"GREETING=hello world",
		"lxc.environment",
		"COMMUNICATOR_CONNECTOR",
		"lxc.environment",
		"EMPTY=",
		NULL,
	};
	cleanup_lxcconf struct lxc_config *c = conf_of(kv);
	cleanup_json json_t *oci = to_oci(c);

	ck_json_at(oci, "/process/env",
		   "[\"PATH=$PATH\",\"TERM=xterm\",\"GREETING=hello world\","
		   "\"COMMUNICATOR_CONNECTOR=$COMMUNICATOR_CONNECTOR\",\"EMPTY=\"]");
	ck_lxc_round_trip(kv);
	ck_oci_round_trip("{\"process\": {\"env\": [\"PATH=/usr/bin:/bin\", \"TERM=xterm\", "
			  "\"MESSAGE_DISPATCHER_CONFIG=$MESSAGE_DISPATCHER_CONFIG\", \"X=$Y\"], "
			  "\"args\": [\"sh\"]}}");
	ck_assert_msg(!warned("environment"), "warnings: %s", warns.all.s);
}
END_TEST

START_TEST(env_literal_dollar_value_stays_literal)
{
	static const char *const kv[] = { "lxc.environment", "HOME=$HOME", "lxc.environment",
					  "USER", NULL };
	cleanup_lxcconf struct lxc_config *c = conf_of(kv);
	cleanup_json json_t *oci = to_oci(c);

	ck_json_at(oci, "/process/env", "[\"HOME=$HOME\",\"USER=$USER\"]");
	ck_assert_str_eq(annot(oci, "org.ctlaunch.meta.env-literal"), "HOME");
	ck_lxc_round_trip(kv);
}
END_TEST

START_TEST(env_bad_names_are_errors_and_duplicates_warn)
{
	static const char *const dup[] = { "lxc.rootfs.path",
					   "/r",
					   "lxc.environment",
					   "A=1",
					   "lxc.environment",
					   "B",
					   "lxc.environment",
					   "A=2",
					   NULL };
	cleanup_lxcconf struct lxc_config *c = conf_of(dup);
	cleanup_json json_t *oci = to_oci(c);

	ck_assert_msg(warned("A is set more than once"), "warnings: %s", warns.all.s);
	ck_assert_uint_eq(warns.n, 1);
	ck_lxc_error("lxc.environment", "=value", "empty variable name");
	ck_oci_error("{\"process\": {\"env\": [\"NOEQUALS\"]}}", "/process/env/0");
	ck_oci_error("{\"process\": {\"env\": [\"=x\"]}}", "/process/env/0");
}
END_TEST

/* ---- map_annot ---- */

START_TEST(annot_unmapped_keys_become_annotations_and_come_back)
{
	static const char *const kv[] = {
		"lxc.signal.halt",
		"SIGUSR1",
		"lxc.start.auto",
		"1",
		"lxc.tty.max",
		"4",
		"lxc.start.auto",
		"0",
		NULL,
	};
	cleanup_lxcconf struct lxc_config *c = conf_of(kv);
	cleanup_json json_t *oci = to_oci(c);
	cleanup_lxcconf struct lxc_config *back = to_lxc(oci);

	ck_assert_str_eq(annot(oci, "org.ctlaunch.lxc.signal.halt"), "SIGUSR1");
	ck_assert_str_eq(annot(oci, "org.ctlaunch.lxc.start.auto"), "1\n0");
	ck_values(back, "lxc.start.auto", "1|0");
	ck_values(back, "lxc.tty.max", "4");
	ck_values(back, "lxc.signal.halt", "SIGUSR1");
}
END_TEST

START_TEST(annot_unknown_and_foreign_annotations_are_not_entries)
{
	cleanup_json json_t *oci = json_of(
		"{\"process\": {\"args\": [\"sh\"]}, \"annotations\": {"
		"\"org.ctlaunch.lxc.no.such.key\": \"1\", \"com.example.owner\": \"me\", "
		"\"org.ctlaunch.meta.whatever\": \"x\", \"org.ctlaunch.lxc.signal.stop\": \"SIGKILL\"}}");
	cleanup_lxcconf struct lxc_config *c = to_lxc(oci);

	ck_assert_msg(warned("lxc.no.such.key is not a key liblxc knows"), "warnings: %s",
		      warns.all.s);
	ck_values(c, "lxc.no.such.key", "");
	ck_values(c, "lxc.signal.stop", "SIGKILL");
	for (size_t i = 0; i < c->n; i++) {
		ck_assert_str_ne(c->v[i].value, "me");
		ck_assert_ptr_null(strstr(c->v[i].key, "example"));
		ck_assert_ptr_null(strstr(c->v[i].key, "meta"));
	}
}
END_TEST

START_TEST(annot_empty_values_are_not_entries)
{
	cleanup_json json_t *oci = json_of(
		"{\"process\": {\"args\": [\"sh\"]}, \"annotations\": {"
		"\"org.ctlaunch.lxc.signal.halt\": \"\", \"org.ctlaunch.lxc.tty.max\": \"1\\n\\n2\"}}");
	cleanup_lxcconf struct lxc_config *c = to_lxc(oci);

	ck_values(c, "lxc.signal.halt", "");
	ck_values(c, "lxc.tty.max", "");
	ck_assert_uint_eq(warns.n >= 2, 1);
}
END_TEST

/* ---- round trips over every core key and field ---- */

START_TEST(lxc_round_trip_every_core_key)
{
	static const char *const kv[] = {
		"lxc.uts.name",
		"box",
		"lxc.rootfs.path",
		"dir:/var/lib/lxc/box/rootfs",
		"lxc.rootfs.options",
		"ro,rslave",
		"lxc.rootfs.mount",
		"/usr/lib/lxc",
		"lxc.execute.cmd",
		"/bin/sh -c \"echo hello world; exit 0\"",
		"lxc.init.cwd",
		"/tmp",
		"lxc.init.uid",
		"1000",
		"lxc.init.gid",
		"1000",
		"lxc.init.groups",
		"5,20",
		"lxc.environment",
		"PATH",
		"lxc.environment",
		"TERM=xterm",
		"lxc.no_new_privs",
		"1",
		"lxc.proc.oom_score_adj",
		"100",
		"lxc.apparmor.profile",
		"unconfined",
		"lxc.selinux.context",
		"system_u:system_r:lxc_t:s0:c22",
		"lxc.signal.halt",
		"SIGUSR1",
		NULL,
	};
	cleanup_lxcconf struct lxc_config *c = conf_of(kv);
	cleanup_json json_t *oci = to_oci(c);
	cleanup_lxcconf struct lxc_config *back = to_lxc(oci);
	cleanup_free char *a = NULL, *b = NULL;

	/* Compare per key: the order of keys in the output is the family order. */
	for (size_t i = 0; i < CT_ARRAY_SIZE(core_keys); i++) {
		cleanup_free char *x = values_of(c, core_keys[i]);
		cleanup_free char *y = values_of(back, core_keys[i]);

		ck_assert_msg(strcmp(x, y) == 0, "%s: \"%s\" came back as \"%s\"", core_keys[i], x,
			      y);
	}
	a = core_entries(c);
	b = core_entries(back);
	ck_assert_uint_eq(strlen(a), strlen(b));
}
END_TEST

START_TEST(oci_round_trip_runc_spec_core_fields)
{
	ck_oci_round_trip(
		"{\"ociVersion\": \"1.0.2-dev\", \"process\": {\"terminal\": false, \"user\": "
		"{\"uid\": 0, \"gid\": 0}, \"args\": [\"sh\"], \"env\": "
		"[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\", "
		"\"TERM=xterm\"], \"cwd\": \"/\", \"noNewPrivileges\": true}, \"root\": {\"path\": "
		"\"/srv/bundle/rootfs\", \"readonly\": true}, \"hostname\": \"runc\"}");
	ck_oci_round_trip(
		"{\"process\": {\"user\": {\"uid\": 1000, \"gid\": 100}, \"args\": "
		"[\"/usr/bin/WPEProcess\", \"-l\", \"libWPEFrameworkOCDM.so\", \"-c\", \"OCDM\"], "
		"\"env\": [\"COMMUNICATOR_CONNECTOR=$COMMUNICATOR_CONNECTOR\"], \"cwd\": \"/home\", "
		"\"oomScoreAdj\": -500, \"apparmorProfile\": \"thunder\", \"selinuxLabel\": "
		"\"u:r:t:s0\"}, \"root\": {\"path\": \"/containers/ocdm/rootfs\"}, \"hostname\": "
		"\"ocdm\", \"annotations\": {\"org.ctlaunch.lxc.signal.halt\": \"SIGUSR1\"}}");
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("map_core");
	TCase *simple = tcase_create("simple");
	TCase *rootfs = tcase_create("rootfs");
	TCase *process = tcase_create("process");
	TCase *env = tcase_create("env");
	TCase *annot_tc = tcase_create("annot");
	TCase *trip = tcase_create("round_trip");

	tcase_add_checked_fixture(simple, setup, teardown);
	tcase_add_test(simple, simple_every_row_maps_both_ways);
	tcase_add_test(simple, simple_table_has_the_required_rows);
	tcase_add_test(simple, simple_defaults_are_not_written_back);
	tcase_add_test(simple, simple_no_new_privs_absent_true_false_round_trip);
	tcase_add_test(simple, simple_bad_values_are_located_errors);
	tcase_add_test(simple, simple_bad_oci_values_are_errors);
	tcase_add_test(simple, simple_last_assignment_wins);
	tcase_add_test(simple, simple_lxc_only_apparmor_values_warn);
	tcase_add_test(simple, simple_strings_lxc_cannot_hold_are_left_to_carry_lines);
	suite_add_tcase(s, simple);

	tcase_add_checked_fixture(rootfs, setup, teardown);
	tcase_add_test(rootfs, rootfs_dir_prefix_and_plain_paths_round_trip);
	tcase_add_test(rootfs, rootfs_other_backends_are_kept_verbatim_and_warned);
	tcase_add_test(rootfs, rootfs_relative_path_resolves_against_bundle);
	tcase_add_test(rootfs, rootfs_option_overrides_root_path);
	tcase_add_test(rootfs, rootfs_options_map_readonly_and_propagation);
	tcase_add_test(rootfs, rootfs_other_options_are_kept_and_warned);
	tcase_add_test(rootfs, rootfs_edited_readonly_rebuilds_options);
	tcase_add_test(rootfs, rootfs_unset_path_stays_unset);
	tcase_add_test(rootfs, rootfs_mount_travels_as_annotation);
	suite_add_tcase(s, rootfs);

	tcase_add_checked_fixture(process, setup, teardown);
	tcase_add_test(process, process_args_with_blanks_and_quotes_are_quoted);
	tcase_add_test(process, process_inexpressible_arg_is_an_error);
	tcase_add_test(process, process_execute_cmd_splits_like_lxc_execute);
	tcase_add_test(process, process_plain_command_needs_no_meta);
	tcase_add_test(process, process_init_cmd_alone_comes_back_as_init_cmd);
	tcase_add_test(process, process_init_cmd_keeps_quotes_literal);
	tcase_add_test(process, process_execute_cmd_wins_over_init_cmd);
	tcase_add_test(process, process_no_command_is_lxc_default_init);
	tcase_add_test(process, process_init_cmd_falls_back_when_args_have_spaces);
	tcase_add_test(process, process_groups_map_both_ways);
	tcase_add_test(process, process_terminal_true_warns);
	suite_add_tcase(s, process);

	tcase_add_checked_fixture(env, setup, teardown);
	tcase_add_test(env, env_keeps_order_and_inherit_convention);
	tcase_add_test(env, env_literal_dollar_value_stays_literal);
	tcase_add_test(env, env_bad_names_are_errors_and_duplicates_warn);
	suite_add_tcase(s, env);

	tcase_add_checked_fixture(annot_tc, setup, teardown);
	tcase_add_test(annot_tc, annot_unmapped_keys_become_annotations_and_come_back);
	tcase_add_test(annot_tc, annot_unknown_and_foreign_annotations_are_not_entries);
	tcase_add_test(annot_tc, annot_empty_values_are_not_entries);
	suite_add_tcase(s, annot_tc);

	tcase_add_checked_fixture(trip, setup, teardown);
	tcase_add_test(trip, lxc_round_trip_every_core_key);
	tcase_add_test(trip, oci_round_trip_runc_spec_core_fields);
	suite_add_tcase(s, trip);
	return s;
}
