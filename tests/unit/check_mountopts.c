/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mountopts.c and the mount family's shortcuts: entry lines parsed, rendered and compared
 * without rendering them, long lines and options in one pass, and when an automatic cgroup
 * mount needs :force. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/magic.h>
#include <sys/statfs.h>

#include "check_main.h"
#include "map_mount_fixture.h"
#include "mountopts.h"

START_TEST(mntline_helpers)
{
	cleanup_error struct ct_error *err = NULL;
	struct mntline_where w = { "lxc.mount.entry", "f", 3 };
	struct mntline m;

	ck_assert_int_eq(mntline_parse(" a\\\\b  c\\134d t o,p", &w, &m, &err), 0);
	ck_assert_str_eq(m.source, "a\\b");
	ck_assert_str_eq(m.dest, "c\\d");
	ck_assert_ptr_null(m.dump);
	ck_assert(mntline_has_option(&m, "p"));
	ck_assert(!mntline_has_option(&m, "o,p"));
	mntline_release(&m);
	ck_assert(mntopt_is_lxc_only("idmap=container"));
	ck_assert(!mntopt_is_lxc_only("bind"));
	ck_assert_int_lt(mntline_parse("a b c d\\04", &w, &m, &err), 0);
	ck_assert_str_eq(err->file, "f");
}
END_TEST

/* lxc2oci keeps an entry's original line unless the mount gives it back. It finds that out
 * without rendering the line: mntline_gives_back() trusts a plain line's fields, and
 * mntview_gives() compares as it renders. Both must agree with the rendered line on every
 * spelling that is not the one oci2lxc writes. */
START_TEST(entry_written_back_is_found_without_rendering)
{
	static const struct {
		const char *line;
		bool same;
	} cases[] = {
		{ "a b none create=dir 0 0", true },
		{ "/tmp tmp none rw,bind,create=dir 0 0", true },
		{ "/etc/hostname etc/hostname none bind,create=file 0 0", true },
		{ "/etc/hostname etc/hostname none bind,create=dir 0 0", false },
		{ "/tmp tmp none rw,bind,create=file 0 0", false },
		{ "shm dev/shm tmpfs nosuid,mode=1777,create=dir 0 0", true },
		{ "a\\040b c\\011d none create=dir 0 0", true },
		{ "a b\\012c none create=dir 0 0", true },
		{ "a\\\\b c none create=dir 0 0", false },
		{ "a\\b c none create=dir 0 0", false },
		{ "a  b none create=dir 0 0", false },
		{ " a b none create=dir 0 0", false },
		{ "a b none create=dir 0 0 ", false },
		{ "a\tb none create=dir 0 0", false },
		{ "a b\nc none create=dir 0 0", false },
		{ "a b none create=dir 0 1", false },
		{ "a b none create=dir", false },
		{ "a b none rw,create=dir,", false },
		{ "a b none rw,create=dir, 0 0", false },
		{ "a b none rw,,create=dir 0 0", false },
		{ "a b none ,create=dir 0 0", false },
		{ "a b none create=dir,rw 0 0", false },
		{ "a b none optional,create=dir 0 0", false },
		{ "a b none rw,optional 0 0", false },
		{ "a b none defaults,create=dir 0 0", false },
		{ "a b none defaults,rw,create=dir 0 0", true },
		{ "a b none relative,create=dir 0 0", false },
		{ "a b none rw 0 0", false },
		{ "a /b none create=dir 0 0", false },
		{ "a b none \303\251,create=dir 0 0", true },
		{ "a b none \351,create=dir 0 0", false },
	};
	cleanup_error struct ct_error *err = NULL;
	struct mntline_where w = { "lxc.mount.entry", "f", 1 };

	for (size_t i = 0; i < CT_ARRAY_SIZE(cases); i++) {
		cleanup_json json_t *m = NULL;
		cleanup_free char *dest = NULL, *back = NULL;
		struct mntline_oci info;
		struct mntline ml;

		ck_assert_int_eq(mntline_parse(cases[i].line, &w, &ml, &err), 0);
		ck_assert_int_gt(asprintf(&dest, "%s%s", ml.dest[0] == '/' ? "" : "/", ml.dest), 0);
		m = mntline_to_oci(&ml, dest, &info);
		ck_assert_ptr_nonnull(m);
		back = mntline_from_oci(m, NULL);
		ck_assert_ptr_nonnull(back);
		/* the cases say what rendering gives; the two shortcuts must say the same */
		ck_assert_msg((strcmp(back, cases[i].line) == 0) == cases[i].same,
			      "%s: rendered as %s", cases[i].line, back);
		ck_assert_msg(mntview_gives(&info.view, NULL, cases[i].line) == cases[i].same,
			      "mntview_gives: %s", cases[i].line);
		ck_assert_msg(mntline_gives_back(&ml, &info, NULL, cases[i].line) == cases[i].same,
			      "mntline_gives_back: %s", cases[i].line);
		mntline_release(&ml);
	}
}
END_TEST

/* A line longer than struct mntline's own buffer is decoded into an allocated one. */
START_TEST(long_entry_line_parses_like_a_short_one)
{
	cleanup_error struct ct_error *err = NULL;
	struct mntline_where w = { "lxc.mount.entry", "f", 1 };
	cleanup_free char *src = malloc(1001), *line = NULL;
	struct mntline ml;

	ck_assert_ptr_nonnull(src);
	memset(src, 's', 1000);
	src[0] = '/';
	src[1000] = '\0';
	ck_assert_int_gt(asprintf(&line, "%s\\040x d\\\\e none rw,create=dir 0 0", src), 0);
	ck_assert_int_eq(mntline_parse(line, &w, &ml, &err), 0);
	ck_assert_ptr_nonnull(ml.heap);
	ck_assert_uint_eq(strlen(ml.source), 1002);
	ck_assert_str_eq(ml.source + 1000, " x");
	ck_assert_str_eq(ml.dest, "d\\e");
	ck_assert_str_eq(ml.options, "rw,create=dir");
	ck_assert_str_eq(ml.pass, "0");
	mntline_release(&ml);
	ck_assert_int_eq(mntline_parse("a b c d", &w, &ml, &err), 0);
	ck_assert_ptr_null(ml.heap);
	ck_assert_str_eq(ml.options, "d");
	ck_assert_ptr_null(ml.dump);
	mntline_release(&ml);
}
END_TEST

/* The options' one pass: empty options skipped, liblxc-only ones left out, "defaults" alone
 * meaning none, the lossy ones found anywhere. */
START_TEST(entry_options_in_one_pass)
{
	cleanup_error struct ct_error *err = NULL;
	struct mntline_where w = { "lxc.mount.entry", "f", 1 };
	static const struct {
		const char *line, *options;
		bool lossy;
	} cases[] = {
		{ "a b none ,,ro,,bind,optional, 0 0", "[\"ro\",\"bind\"]", false },
		{ "a b none defaults 0 0", NULL, false },
		{ "a b none defaults,create=dir 0 0", NULL, false },
		{ "a b none create=file,relative 0 0", NULL, true },
		{ "a b none ro,idmap=container 0 0", "[\"ro\"]", true },
		{ "a b none idmap 0 0", "[\"idmap\"]", false },
	};

	for (size_t i = 0; i < CT_ARRAY_SIZE(cases); i++) {
		cleanup_json json_t *m = NULL;
		cleanup_free char *got = NULL;
		struct mntline_oci info;
		struct mntline ml;

		ck_assert_int_eq(mntline_parse(cases[i].line, &w, &ml, &err), 0);
		m = mntline_to_oci(&ml, "/b", &info);
		mntline_release(&ml);
		ck_assert_ptr_nonnull(m);
		ck_assert_msg(info.lossy == cases[i].lossy, "%s", cases[i].line);
		if (!cases[i].options) {
			ck_assert_ptr_null(json_object_get(m, "options"));
			continue;
		}
		got = json_dumps(json_object_get(m, "options"), JSON_COMPACT);
		ck_assert_str_eq(got, cases[i].options);
	}
}
END_TEST

/* liblxc mounts every cgroup token on a host with the unified hierarchy alone. */
static bool host_unified_only(void)
{
	struct statfs sf;

	return statfs("/sys/fs/cgroup", &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC;
}

static bool has_mount(json_t *oci, const char *dest)
{
	size_t i;
	json_t *m;

	json_array_foreach (json_object_get(oci, "mounts"), i, m)
		if (strcmp(json_string_value(json_object_get(m, "destination")), dest) == 0)
			return true;
	return false;
}

/* lxc2oci, then oci2lxc of that, through the driver: returns whether /sys/fs/cgroup was
 * mounted and checks that lxc.mount.auto comes back as written, without carry lines. */
static bool cgroup_mounted(const char *const *kv)
{
	cleanup_lxcconf struct lxc_config *in = conf_of(kv), *back = NULL;
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *oci = NULL;
	cleanup_free char *want = NULL, *got = NULL;

	ck_assert_int_eq(ct_lxc_to_oci(in, &opts, &oci, &err), 0);
	ck_assert_int_eq(ct_oci_to_lxc(oci, &opts, &back, NULL, &err), 0);
	want = values(in, "lxc.mount.auto");
	got = values(back, "lxc.mount.auto");
	ck_assert_str_eq(got, want);
	ck_assert_msg(back->ncarry == 0, "carry line %s", back->ncarry ? back->carry[0].text : "");
	return has_mount(oci, "/sys/fs/cgroup");
}

START_TEST(cgroup_auto_mount_in_a_cgroup_namespace_needs_force)
{
	bool skip = !host_unified_only();
	cleanup_json json_t *oci = oci_with_mounts(RUNC_SPEC_MOUNTS);
	cleanup_json json_t *ns = json_pack("[{s:s}, {s:s}]", "type", "mount", "type", "cgroup");
	cleanup_json json_t *bnd = json_pack("[s, s]", "CAP_KILL", "CAP_SYS_ADMIN");
	cleanup_lxcconf struct lxc_config *plain = NULL, *forced = NULL, *recorded = NULL;
	cleanup_free char *a = NULL, *b = NULL, *c = NULL;

	/* liblxc's default namespaces include cgroup, and no cap key keeps CAP_SYS_ADMIN */
	ck_assert(cgroup_mounted((const char *const[]){ "lxc.rootfs.path", "/r", "lxc.mount.auto",
							"proc:rw sys:ro cgroup:ro", NULL }) ==
		  !skip);
	ck_assert(cgroup_mounted((const char *const[]){ "lxc.rootfs.path", "/r", "lxc.mount.auto",
							"cgroup:ro", NULL }) == !skip);
	ck_assert(cgroup_mounted((const char *const[]){ "lxc.rootfs.path", "/r", "lxc.mount.auto",
							"cgroup:mixed:force", NULL }));
	ck_assert(cgroup_mounted((const char *const[]){ "lxc.rootfs.path", "/r", "lxc.mount.auto",
							"cgroup:ro", "lxc.cap.drop", "sys_admin",
							NULL }));
	ck_assert(cgroup_mounted((const char *const[]){ "lxc.rootfs.path", "/r", "lxc.mount.auto",
							"cgroup2:ro", "lxc.cap.keep", "kill",
							NULL }));
	ck_assert(cgroup_mounted((const char *const[]){ "lxc.rootfs.path", "/r", "lxc.mount.auto",
							"cgroup:ro", "lxc.namespace.clone",
							"mnt pid", NULL }));

	/* oci2lxc: a cgroup mount with a cgroup namespace and CAP_SYS_ADMIN gets :force */
	plain = family_to_lxc(oci);
	a = values(plain, "lxc.mount.auto");
	ck_assert_str_eq(a, "cgroup:ro");
	ck_assert_int_eq(ct_json_set(oci, "/linux/namespaces", json_incref(ns), NULL), 0);
	ck_assert_int_eq(ct_json_set(oci, "/process/capabilities/bounding", json_incref(bnd), NULL),
			 0);
	forced = family_to_lxc(oci);
	b = values(forced, "lxc.mount.auto");
	ck_assert_str_eq(b, skip ? "cgroup:ro:force" : "cgroup:ro");
	/* also when the recorded spelling did not mount it */
	ck_assert_int_eq(ct_json_set(oci, "/annotations/org.ctlaunch.meta.mount-auto",
				     json_string("proc:rw  cgroup:ro"), NULL),
			 0);
	recorded = family_to_lxc(oci);
	c = values(recorded, "lxc.mount.auto");
	ck_assert_str_eq(c, skip ? "proc:rw cgroup:ro:force" : "proc:rw  cgroup:ro");
}
END_TEST

/* The namespace's type is found wherever it is among the members, a path makes it joined, and
 * only CAP_SYS_ADMIN itself counts. */
START_TEST(cgroup_force_reads_namespaces_and_capabilities)
{
	static const struct {
		const char *ns, *caps;
		bool cloned_and_admin;
	} cases[] = {
		{ "[{\"type\":\"cgroup\"}]", "[\"CAP_KILL\",\"CAP_SYS_ADMIN\"]", true },
		{ "[{\"x\":1,\"type\":\"cgroup\"}]", "[\"CAP_SYS_ADMIN\"]", true },
		{ "[{\"path\":\"/p\",\"type\":\"cgroup\"}]", "[\"CAP_SYS_ADMIN\"]", false },
		{ "[{\"type\":\"cgroup\",\"path\":\"/p\"}]", "[\"CAP_SYS_ADMIN\"]", false },
		{ "[{\"type\":\"mount\"},7]", "[\"CAP_SYS_ADMIN\"]", false },
		{ "[{\"type\":\"cgroup\"}]", "[\"CAP_SYS_ADMINS\",\"CAP_SYS_ADMI\",1]", false },
		{ "[{\"type\":\"cgroup\"}]", "[\"CAP_SYS_ADMIN\\u0000x\"]", true },
	};

	for (size_t i = 0; i < CT_ARRAY_SIZE(cases); i++) {
		cleanup_json json_t *oci = json_object();

		ck_assert_int_eq(ct_json_set(oci, "/linux/namespaces",
					     json_loads(cases[i].ns, 0, NULL), NULL),
				 0);
		ck_assert_int_eq(ct_json_set(oci, "/process/capabilities/bounding",
					     json_loads(cases[i].caps, JSON_ALLOW_NUL, NULL), NULL),
				 0);
		ck_assert_msg(mntauto_cgroup_needs_force(oci) ==
				      (cases[i].cloned_and_admin && !host_unified_only()),
			      "case %zu", i);
	}
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("mountopts");
	TCase *tc = tcase_create("mountopts");

	tcase_add_test(tc, mntline_helpers);
	tcase_add_test(tc, entry_written_back_is_found_without_rendering);
	tcase_add_test(tc, long_entry_line_parses_like_a_short_one);
	tcase_add_test(tc, entry_options_in_one_pass);
	tcase_add_test(tc, cgroup_auto_mount_in_a_cgroup_namespace_needs_force);
	tcase_add_test(tc, cgroup_force_reads_namespaces_and_capabilities);
	suite_add_tcase(s, tc);
	return s;
}
