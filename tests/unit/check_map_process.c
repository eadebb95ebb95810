/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* map_process, map_env and map_annot: commands and their quoting, groups, the environment and
 * Thunder's inherit convention, and the annotations that carry unmapped keys. */
#include "map_core_fixture.h"

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

/* Every blank of isspace() (C locale) separates words and makes an argument need quotes. */
START_TEST(process_all_blanks_split_and_quote)
{
	static const char *const kv[] = { "lxc.execute.cmd", "a\tb\vc\fd\re f", NULL };
	cleanup_lxcconf struct lxc_config *c = conf_of(kv);
	cleanup_json json_t *oci = to_oci(c);
	cleanup_json json_t *o2 = json_of(
		"{\"process\": {\"args\": [\"sh\", \"a\\tb\", \"c\\u000bd\","
		" \"e\\fg\", \"h\\ri\", \"plain\"]}}");
	cleanup_lxcconf struct lxc_config *d = to_lxc(o2);

	ck_json_at(oci, "/process/args", "[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"]");
	ck_values(d, "lxc.execute.cmd", "sh \"a\tb\" \"c\vd\" \"e\fg\" \"h\ri\" plain");
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

/* A few names are checked pairwise, many are sorted: both find the repeat, and a name that is
 * a prefix of another (A, AB) is no repeat. */
START_TEST(env_duplicates_found_among_few_and_many_names)
{
	static const char *const few[] = {
		"lxc.environment", "AB=1", "lxc.environment", "A=2", "lxc.environment", "ABC", NULL
	};
	const char *many[2 * 40 + 1];
	char names[40][8];
	cleanup_lxcconf struct lxc_config *c = conf_of(few);
	cleanup_lxcconf struct lxc_config *d = NULL;
	cleanup_json json_t *oci = to_oci(c);
	cleanup_json json_t *o2 = NULL;
	cleanup_json json_t *o3 = NULL;
	cleanup_lxcconf struct lxc_config *e = NULL;

	ck_assert_msg(!warned("more than once"), "warnings: %s", warns.all.s);
	for (int i = 0; i < 40; i++) {
		/* V0=x ... V38=x, and V7 again last */
		snprintf(names[i], sizeof(names[i]), "V%d=x", i == 39 ? 7 : i);
		many[2 * i] = "lxc.environment";
		many[2 * i + 1] = names[i];
	}
	many[80] = NULL;
	d = conf_of(many);
	o2 = to_oci(d);
	ck_assert_msg(warned("V7 is set more than once"), "warnings: %s", warns.all.s);
	ck_assert(!warned("V1 is set") && !warned("V3 is set") && !warned("V38 is set"));
	o3 = json_of("{\"process\": {\"env\": [\"AB=1\", \"A=2\", \"AB=$AB\"]}}");
	e = to_lxc(o3);
	ck_assert_msg(warned("AB is set more than once"), "warnings: %s", warns.all.s);
	ck_assert(!warned(" A is set"));
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

static Suite *make_suite(void)
{
	Suite *s = suite_create("map_process");
	TCase *process = tcase_create("process");
	TCase *env = tcase_create("env");
	TCase *annot_tc = tcase_create("annot");

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
	tcase_add_test(process, process_all_blanks_split_and_quote);
	suite_add_tcase(s, process);

	tcase_add_checked_fixture(env, setup, teardown);
	tcase_add_test(env, env_keeps_order_and_inherit_convention);
	tcase_add_test(env, env_literal_dollar_value_stays_literal);
	tcase_add_test(env, env_bad_names_are_errors_and_duplicates_warn);
	tcase_add_test(env, env_duplicates_found_among_few_and_many_names);
	suite_add_tcase(s, env);

	tcase_add_checked_fixture(annot_tc, setup, teardown);
	tcase_add_test(annot_tc, annot_unmapped_keys_become_annotations_and_come_back);
	tcase_add_test(annot_tc, annot_unknown_and_foreign_annotations_are_not_entries);
	tcase_add_test(annot_tc, annot_empty_values_are_not_entries);
	suite_add_tcase(s, annot_tc);
	return s;
}
