/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* map_hooks.c: lxc.hook.* <-> hooks. */
#include <stdio.h>
#include <string.h>

#include "check_main.h"
#include "cleanup.h"
#include "families.h"
#include "jsonutil.h"
#include "translate.h"

#define FAMILY ct_family_hooks
#include "family_fixture.h"

START_TEST(hook_types_pair_and_plain_words_split)
{
	const char *text = "lxc.hook.version = 1\n"
			   "lxc.hook.pre-start = /usr/bin/prep --dir=/run/x\n"
			   "lxc.hook.start-host = /usr/bin/net-setup\n"
			   "lxc.hook.mount = /usr/share/lxcfs/lxc.mount.hook\n"
			   "lxc.hook.start = /bin/init-check a b\n"
			   "lxc.hook.post-stop = /usr/bin/cleanup\n"
			   "lxc.hook.post-stop = /usr/bin/cleanup2";
	cleanup_lxcconf struct lxc_config *c = conf_of(text);
	cleanup_json json_t *oci = NULL;
	cleanup_json json_t *want = json_loads(
		"{\"hooks\":{\"prestart\":[{\"path\":\"/usr/bin/prep\",\"args\":[\"/usr/bin/prep\","
		"\"--dir=/run/x\"]}],\"createRuntime\":[{\"path\":\"/usr/bin/net-setup\"}],"
		"\"createContainer\":[{\"path\":\"/usr/share/lxcfs/lxc.mount.hook\"}],"
		"\"startContainer\":[{\"path\":\"/bin/init-check\",\"args\":[\"/bin/init-check\","
		"\"a\",\"b\"]}],\"poststop\":[{\"path\":\"/usr/bin/cleanup\"},"
		"{\"path\":\"/usr/bin/cleanup2\"}]}}",
		0, NULL);
	cleanup_free bool *used = NULL;
	cleanup_error struct ct_error *err = NULL;

	ck_assert_int_eq(to_oci(c, &oci, &used, &err), 0);
	for (size_t i = 0; i < c->n; i++)
		ck_assert_msg(used[i], "%s not mapped", c->v[i].key);
	ck_assert(json_equal(oci, want));
	assert_lxc_round_trip(text);
}
END_TEST

START_TEST(shell_syntax_runs_through_sh_c)
{
	const char *text = "lxc.hook.version = 1\n"
			   "lxc.hook.start-host = echo $LXC_NAME > /tmp/x\n"
			   "lxc.hook.mount = /bin/a  b\n"
			   "lxc.hook.start = relative arg";
	cleanup_lxcconf struct lxc_config *c = conf_of(text);
	cleanup_json json_t *oci = NULL;
	cleanup_error struct ct_error *err = NULL;

	ck_assert_int_eq(to_oci(c, &oci, NULL, &err), 0);
	ck_assert_str_eq(json_string_value(ct_json_get(oci, "/hooks/createRuntime/0/path")),
			 "/bin/sh");
	ck_assert_str_eq(json_string_value(ct_json_get(oci, "/hooks/createRuntime/0/args/2")),
			 "echo $LXC_NAME > /tmp/x");
	ck_assert_str_eq(json_string_value(ct_json_get(oci, "/hooks/createContainer/0/args/2")),
			 "/bin/a  b");
	ck_assert_str_eq(json_string_value(ct_json_get(oci, "/hooks/startContainer/0/args/1")),
			 "-c");
	assert_lxc_round_trip(text);
}
END_TEST

START_TEST(version_0_is_kept_in_meta_with_a_warning)
{
	const char *text = "lxc.hook.start-host = /usr/bin/x";
	cleanup_lxcconf struct lxc_config *c = conf_of(text);
	cleanup_lxcconf struct lxc_config *back = NULL;
	cleanup_json json_t *oci = NULL;
	cleanup_error struct ct_error *err = NULL;
	unsigned before = nwarn;

	ck_assert_int_eq(to_oci(c, &oci, NULL, &err), 0);
	ck_assert_uint_eq(nwarn, before + 1);
	ck_assert_str_eq(
		json_string_value(ct_json_get(oci, "/annotations/org.ctlaunch.meta.hook.version")),
		"0");
	back = to_lxc(oci);
	ck_assert_ptr_null(lxcconf_get(back, "lxc.hook.version"));
	assert_lxc_round_trip("lxc.hook.mount = /x");
}
END_TEST

START_TEST(unpaired_hook_types_are_left_to_annotations)
{
	cleanup_lxcconf struct lxc_config *c = conf_of(
		"lxc.hook.version = 1\nlxc.hook.pre-mount = /a\nlxc.hook.autodev = /b\n"
		"lxc.hook.stop = /c\nlxc.hook.clone = /d\nlxc.hook.destroy = /e");
	cleanup_json json_t *oci = NULL;
	cleanup_free bool *used = NULL;
	cleanup_error struct ct_error *err = NULL;

	ck_assert_int_eq(to_oci(c, &oci, &used, &err), 0);
	for (size_t i = 0; i < c->n; i++)
		ck_assert_msg(!used[i], "%s mapped", c->v[i].key);
	ck_assert_ptr_null(ct_json_get(oci, "/hooks"));
}
END_TEST

START_TEST(native_oci_hooks_become_version_1_hooks)
{
	cleanup_json json_t *oci = json_loads(
		"{\"hooks\":{\"createRuntime\":[{\"path\":\"/usr/bin/setup\",\"args\":[\"/usr/bin/setup\","
		"\"it's\",\"a b\"]}],\"poststop\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\","
		"\"rm -rf /run/x\"]}],\"poststart\":[{\"path\":\"/usr/bin/notify\"}],"
		"\"startContainer\":[{\"path\":\"relative\"}]}}",
		0, NULL);
	unsigned before = nwarn;
	cleanup_lxcconf struct lxc_config *c = to_lxc(oci);

	ck_assert_uint_eq(nwarn, before + 1); /* the relative path */
	ck_assert_str_eq(lxcconf_get(c, "lxc.hook.start-host"), "/usr/bin/setup 'it'\\''s' 'a b'");
	ck_assert_str_eq(lxcconf_get(c, "lxc.hook.post-stop"), "rm -rf /run/x");
	ck_assert_str_eq(lxcconf_get(c, "lxc.hook.version"), "1");
	ck_assert_ptr_null(lxcconf_get(c, "lxc.hook.start"));
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("map_hooks");
	TCase *tc = tcase_create("hooks");

	tcase_add_test(tc, hook_types_pair_and_plain_words_split);
	tcase_add_test(tc, shell_syntax_runs_through_sh_c);
	tcase_add_test(tc, version_0_is_kept_in_meta_with_a_warning);
	tcase_add_test(tc, unpaired_hook_types_are_left_to_annotations);
	tcase_add_test(tc, native_oci_hooks_become_version_1_hooks);
	suite_add_tcase(s, tc);
	return s;
}
