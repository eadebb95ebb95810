/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* map_simple and map_rootfs both ways, and the round trips over every key and field the core
 * families own (map_process, map_env, map_annot have check_map_process.c). */
#include "map_core_fixture.h"

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

	tcase_add_checked_fixture(trip, setup, teardown);
	tcase_add_test(trip, lxc_round_trip_every_core_key);
	tcase_add_test(trip, oci_round_trip_runc_spec_core_fields);
	suite_add_tcase(s, trip);
	return s;
}
