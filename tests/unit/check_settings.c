/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* settings.c: the YAML settings file, strict and located. */
#include <errno.h>
#include <string.h>

#include "check_main.h"
#include "cleanup.h"
#include "settings.h"

/* Parse text over the defaults; returns the rc, keeps s and err for the assertions. */
static int parse(const char *text, struct ct_settings **s, struct ct_error **err)
{
	ck_assert_int_eq(settings_new(s, err), 0);
	return settings_parse_buffer(*s, text, strlen(text), "t.yaml", err);
}

/* A malformed document: must fail at line:col, with msg containing what. */
static void expect_error(const char *text, unsigned line, unsigned col, const char *what)
{
	cleanup_settings struct ct_settings *s = NULL;
	cleanup_error struct ct_error *err = NULL;

	ck_assert_int_lt(parse(text, &s, &err), 0);
	ck_assert_ptr_nonnull(err);
	ck_assert_msg(strstr(err->msg, what), "expected \"%s\" in \"%s\"", what, err->msg);
	ck_assert_str_eq(err->file, "t.yaml");
	ck_assert_msg(err->line == line && err->col == col, "expected %u:%u for \"%s\", got %u:%u",
		      line, col, err->msg, err->line, err->col);
}

START_TEST(defaults_are_thunder_layout)
{
	cleanup_settings struct ct_settings *s = NULL;
	cleanup_error struct ct_error *err = NULL;

	ck_assert_int_eq(settings_new(&s, &err), 0);
	ck_assert_str_eq(s->search_paths[0], "/usr/share/Thunder");
	ck_assert_ptr_null(s->search_paths[1]);
	ck_assert_str_eq(s->lxc_path, "/var/lib/lxc");
	ck_assert_str_eq(s->run_dir, "/run/ctlaunch");
	ck_assert_str_eq(s->inherit_env[0], "COMMUNICATOR_CONNECTOR");
	ck_assert_str_eq(s->inherit_env[1], "MESSAGE_DISPATCHER_CONFIG");
	ck_assert_uint_eq(s->stop_timeout, 10);
	ck_assert_uint_eq(s->kill_timeout, 4);
	ck_assert_ptr_null(s->log_file);
}
END_TEST

START_TEST(full_file_overrides_every_key)
{
	static const char text[] = "# comment\n"
				   "search-paths:\n  - /a\n  - /b/c\n"
				   "lxc-path: /l\n"
				   "run-dir: /r\n"
				   "stop-timeout: 3\n"
				   "kill-timeout: 0\n"
				   "inherit-environment: [X, Y_2]\n"
				   "shares:\n  - /tmp/communicator\n"
				   "log:\n  file: /var/log/x.log\n  level: debug\n";
	cleanup_settings struct ct_settings *s = NULL;
	cleanup_error struct ct_error *err = NULL;

	ck_assert_int_eq(parse(text, &s, &err), 0);
	ck_assert_str_eq(s->search_paths[0], "/a");
	ck_assert_str_eq(s->search_paths[1], "/b/c");
	ck_assert_ptr_null(s->search_paths[2]);
	ck_assert_str_eq(s->lxc_path, "/l");
	ck_assert_str_eq(s->run_dir, "/r");
	ck_assert_uint_eq(s->stop_timeout, 3);
	ck_assert_uint_eq(s->kill_timeout, 0);
	ck_assert_str_eq(s->inherit_env[0], "X");
	ck_assert_str_eq(s->inherit_env[1], "Y_2");
	ck_assert_ptr_null(s->inherit_env[2]);
	ck_assert_str_eq(s->shares[0], "/tmp/communicator");
	ck_assert_str_eq(s->log_file, "/var/log/x.log");
	ck_assert_str_eq(s->log_level, "DEBUG");
	ck_assert_str_eq(s->source, "t.yaml");
}
END_TEST

START_TEST(empty_and_comment_only_files_keep_defaults)
{
	cleanup_settings struct ct_settings *a = NULL, *b = NULL;
	cleanup_error struct ct_error *err = NULL;

	ck_assert_int_eq(parse("", &a, &err), 0);
	ck_assert_int_eq(parse("# nothing\n", &b, &err), 0);
	ck_assert_str_eq(a->run_dir, "/run/ctlaunch");
	ck_assert_str_eq(b->search_paths[0], "/usr/share/Thunder");
}
END_TEST

START_TEST(empty_list_clears_the_default)
{
	cleanup_settings struct ct_settings *s = NULL;
	cleanup_error struct ct_error *err = NULL;

	ck_assert_int_eq(parse("inherit-environment: []\n", &s, &err), 0);
	ck_assert_ptr_null(s->inherit_env[0]);
}
END_TEST

START_TEST(unknown_key_is_located_with_hint)
{
	cleanup_settings struct ct_settings *s = NULL;
	cleanup_error struct ct_error *err = NULL;

	expect_error("run-dir: /r\nserch-paths: [/a]\n", 2, 1, "unknown key \"serch-paths\"");
	ck_assert_int_lt(parse("log:\n  file: /x\n  colour: red\n", &s, &err), 0);
	ck_assert_str_eq(err->msg, "reading settings: unknown key \"log.colour\"");
	ck_assert_uint_eq(err->line, 3);
	ck_assert_uint_eq(err->col, 3);
	ck_assert_ptr_nonnull(err->hint);
	ck_assert_ptr_nonnull(strstr(err->hint, "level"));
}
END_TEST

START_TEST(wrong_types_are_located)
{
	expect_error("search-paths: /usr/share/Thunder\n", 1, 15, "expected a list, got a scalar");
	expect_error("run-dir: [/a]\n", 1, 10, "expected a single value, got a list");
	expect_error("stop-timeout: ten\n", 1, 15, "not a whole number");
	expect_error("stop-timeout: \"10\"\n", 1, 15, "expected a number of seconds");
	expect_error("stop-timeout: -1\n", 1, 15, "not a whole number");
	expect_error("kill-timeout: 99999999999\n", 1, 15, "more than a day");
	expect_error("log: /var/log/x\n", 1, 6, "expected a mapping, got a scalar");
	expect_error("shares:\n  - [/a]\n", 2, 5, "expected a string, got a list");
	expect_error("- a\n- b\n", 1, 1, "expected a mapping at the top, got a list");
}
END_TEST

START_TEST(bad_values_are_located)
{
	expect_error("run-dir: run\n", 1, 10, "not an absolute path");
	expect_error("search-paths:\n  - /ok\n  - rel/ative\n", 3, 5, "not an absolute path");
	expect_error("inherit-environment: [\"A-B\"]\n", 1, 23, "not a variable name");
	expect_error("inherit-environment: [1A]\n", 1, 23, "not a variable name");
	expect_error("log:\n  level: LOUD\n", 2, 10, "unknown log level");
	expect_error("lxc-path:\n", 1, 10, "empty value");
	expect_error("lxc-path: ~\n", 1, 11, "empty value");
}
END_TEST

START_TEST(duplicates_aliases_and_second_documents_are_refused)
{
	expect_error("run-dir: /a\nrun-dir: /b\n", 2, 1, "duplicate key \"run-dir\"");
	expect_error("run-dir: &x /a\nlxc-path: *x\n", 2, 11, "aliases are not supported");
	expect_error("run-dir: /a\n---\nrun-dir: /b\n", 2, 1, "more than one document");
}
END_TEST

START_TEST(malformed_yaml_is_located)
{
	cleanup_settings struct ct_settings *s = NULL;
	cleanup_error struct ct_error *err = NULL;

	ck_assert_int_lt(parse("run-dir: /a\n  bad: [\n", &s, &err), 0);
	ck_assert_ptr_nonnull(err);
	ck_assert_uint_gt(err->line, 0);
	ck_assert_uint_gt(err->col, 0);
	ck_assert_ptr_nonnull(strstr(err->msg, "reading settings: "));
}
END_TEST

START_TEST(list_length_is_bounded)
{
	cleanup_settings struct ct_settings *s = NULL;
	cleanup_error struct ct_error *err = NULL;
	char text[SETTINGS_MAX_LIST * 8 + 64];
	size_t n = 0;

	n += (size_t)snprintf(text + n, sizeof(text) - n, "shares:\n");
	for (int i = 0; i <= SETTINGS_MAX_LIST; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "- /s%d\n", i);
	ck_assert_int_lt(parse(text, &s, &err), 0);
	ck_assert_ptr_nonnull(strstr(err->msg, "more than 64 entries"));
	ck_assert_uint_eq(err->line, SETTINGS_MAX_LIST + 2);
}
END_TEST

START_TEST(missing_file_is_an_error_unless_allowed)
{
	cleanup_settings struct ct_settings *s = NULL;
	cleanup_error struct ct_error *err = NULL;

	ck_assert_int_eq(settings_new(&s, &err), 0);
	ck_assert_int_eq(settings_load(s, "/nonexistent/ctlaunch.yaml", 1, &err), 0);
	ck_assert_ptr_null(err);
	ck_assert_int_eq(settings_load(s, "/nonexistent/ctlaunch.yaml", 0, &err), -ENOENT);
	ck_assert_ptr_nonnull(strstr(err->msg, "reading settings"));
}
END_TEST

START_TEST(shipped_settings_file_parses)
{
	cleanup_settings struct ct_settings *s = NULL;
	cleanup_error struct ct_error *err = NULL;
	const char *top = getenv("TOP_SRCDIR");
	cleanup_free char *path = NULL;

	ck_assert_int_ge(asprintf(&path, "%s/config/ctlaunch.yaml", top ? top : "."), 0);
	ck_assert_int_eq(settings_new(&s, &err), 0);
	ck_assert_msg(settings_load(s, path, 0, &err) == 0, "%s: %s", path, err ? err->msg : "");
	ck_assert_str_eq(s->shares[0], "/tmp/communicator");
	ck_assert_str_eq(s->run_dir, "/run/ctlaunch");
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("settings");
	TCase *tc = tcase_create("settings");

	tcase_add_test(tc, defaults_are_thunder_layout);
	tcase_add_test(tc, full_file_overrides_every_key);
	tcase_add_test(tc, empty_and_comment_only_files_keep_defaults);
	tcase_add_test(tc, empty_list_clears_the_default);
	tcase_add_test(tc, unknown_key_is_located_with_hint);
	tcase_add_test(tc, wrong_types_are_located);
	tcase_add_test(tc, bad_values_are_located);
	tcase_add_test(tc, duplicates_aliases_and_second_documents_are_refused);
	tcase_add_test(tc, malformed_yaml_is_located);
	tcase_add_test(tc, list_length_is_bounded);
	tcase_add_test(tc, missing_file_is_an_error_unless_allowed);
	tcase_add_test(tc, shipped_settings_file_parses);
	suite_add_tcase(s, tc);
	return s;
}
