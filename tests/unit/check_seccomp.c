/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* map_seccomp.c: lxc.seccomp.profile <-> linux.seccomp, the traps, round trips (the text reader and
 * writer have check_seccomp_text.c). */
#include "seccomp_fixture.h"

START_TEST(missing_profile_is_error_at_key_line)
{
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *oci = NULL;
	struct ct_translate_opts opts = { .config_dir = "/nonexistent-dir" };

	ck_assert_int_lt(to_oci("missing.seccomp", &opts, &oci, &err), 0);
	ck_assert_str_eq(err->file, "test.conf");
	ck_assert_uint_eq(err->line, 3);
	ck_assert(strstr(err->msg, "/nonexistent-dir/missing.seccomp"));
	ck_assert_ptr_nonnull(err->hint);
}
END_TEST

START_TEST(profile_error_is_located_in_the_profile)
{
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *oci = NULL;
	cleanup_free char *dir = tmpdir();
	cleanup_free char *f = write_tmp(dir, "p", "2\ndenylist\nread errno 1\nwrite frobnicate\n");
	struct ct_translate_opts opts = { 0 };

	ck_assert_int_lt(to_oci(f, &opts, &oci, &err), 0);
	ck_assert_str_eq(err->file, f);
	ck_assert_uint_eq(err->line, 4);
	unlink(f);
	rmdir(dir);
}
END_TEST

/* ---- LXC -> OCI ---- */

START_TEST(common_seccomp_embeds_as_runc_would_load_it)
{
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *oci = NULL;
	struct ct_translate_opts opts = { 0 };
	json_t *sec, *rule, *arg;

	if (access("/usr/share/lxc/config/common.seccomp", R_OK) != 0)
		return;
	ck_assert_int_eq(to_oci("/usr/share/lxc/config/common.seccomp", &opts, &oci, &err), 0);
	sec = ct_json_get(oci, "/linux/seccomp");
	ck_assert_str_eq(json_string_value(json_object_get(sec, "defaultAction")),
			 "SCMP_ACT_ALLOW");
	ck_assert_ptr_null(json_object_get(sec, "architectures"));
	ck_assert_uint_eq(json_array_size(json_object_get(sec, "syscalls")), 2);
	rule = json_array_get(json_object_get(sec, "syscalls"), 0);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(rule, "names"), 0)),
			 "umount2");
	ck_assert_int_eq(json_integer_value(json_object_get(rule, "errnoRet")), EACCES);
	arg = json_array_get(json_object_get(rule, "args"), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(arg, "index")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(arg, "value")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(arg, "valueTwo")), 1);
	/* the five errno 1 lines are one OCI rule */
	rule = json_array_get(json_object_get(sec, "syscalls"), 1);
	ck_assert_uint_eq(json_array_size(json_object_get(rule, "names")), 5);
	ck_assert_int_eq(json_integer_value(json_object_get(rule, "errnoRet")), 1);
	ck_assert_str_eq(json_string_value(ct_json_get(oci, "/annotations/org.ctlaunch.meta."
							    "seccomp.profile")),
			 "/usr/share/lxc/config/common.seccomp");
	ck_assert_uint_eq(compile_oci(sec), 6);
}
END_TEST

START_TEST(every_profile_compiles_both_ways_with_libseccomp)
{
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *oci = NULL;
	cleanup_free char *path = data_path("every.seccomp"), *buf = NULL;
	struct sink sink = { 0 };
	struct ct_diag diag = { .warn = collect, .data = &sink };
	struct ct_translate_opts opts = { .diag = &diag };
	size_t len;

	ck_assert_int_eq(to_oci(path, &opts, &oci, &err), 0);
	ck_assert_uint_ge(compile_oci(ct_json_get(oci, "/linux/seccomp")), 15);
	ck_assert_int_eq(ct_read_file(path, 1 << 20, &buf, &len, &err), 0);
	/* at least 15 rules: the notify one only where the kernel supports it */
	ck_assert_uint_ge(compile_lxc(buf), 15);
	/* sections of several host architectures with a gated rule: said once */
	ck_assert_msg(strstr(sink.all, "byte orders"), "warnings: %s", sink.all);
}
END_TEST

START_TEST(trap_masked_eq_operand_order)
{
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *oci = NULL, *in = NULL;
	cleanup_lxcconf struct lxc_config *conf = NULL;
	cleanup_free char *dir = tmpdir(), *text = NULL, *out = NULL;
	cleanup_free char *f = write_tmp(dir, "p", "2\ndenylist\nclone errno 1 [0,5,&=,0x70]\n");
	struct ct_translate_opts opts = { 0 };
	json_t *arg;

	/* LXC [index,datum,&=,mask] -> OCI value = mask, valueTwo = datum */
	ck_assert_int_eq(to_oci(f, &opts, &oci, &err), 0);
	arg = ct_json_get(oci, "/linux/seccomp/syscalls/0/args/0");
	ck_assert_ptr_nonnull(arg);
	ck_assert_int_eq(json_integer_value(json_object_get(arg, "value")), 0x70);
	ck_assert_int_eq(json_integer_value(json_object_get(arg, "valueTwo")), 5);
	ck_assert_str_eq(json_string_value(json_object_get(arg, "op")), "SCMP_CMP_MASKED_EQ");
	/* and back */
	in = wrap(json_pack("{s:s, s:[{s:[s], s:s, s:[{s:i, s:i, s:i, s:s}]}]}", "defaultAction",
			    "SCMP_ACT_ALLOW", "syscalls", "names", "clone", "action",
			    "SCMP_ACT_KILL", "args", "index", 0, "value", 0x7E020000, "valueTwo", 3,
			    "op", "SCMP_CMP_MASKED_EQ"));
	ck_assert_int_ge(asprintf(&out, "%s/out.seccomp", dir), 0);
	opts.seccomp_path = out;
	ck_assert_int_eq(to_lxc(in, &opts, &conf, &text, &err), 0);
	ck_assert_msg(strstr(text, "clone kill [0,3,SCMP_CMP_MASKED_EQ,2114060288]\n"), "%s", text);
	unlink(f);
	rmdir(dir);
}
END_TEST

START_TEST(trap_several_args_are_one_anded_line)
{
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *in = load_json("docker-like.json"), *oci = NULL, *back = NULL;
	cleanup_lxcconf struct lxc_config *conf = NULL;
	cleanup_free char *text = NULL;
	struct ct_translate_opts opts = { .seccomp_path = "/tmp/ct-anded.seccomp" };
	json_t *doc = wrap(json_incref(in));

	ck_assert_int_eq(to_lxc(doc, &opts, &conf, &text, &err), 0);
	ck_assert_msg(
		strstr(text, "\nsocket allow [0,16,SCMP_CMP_NE] [1,3,SCMP_CMP_MASKED_EQ,15]\n"),
		"%s", text);
	ck_assert_ptr_null(strstr(strstr(text, "socket") + 1, "socket"));
	json_decref(doc);
}
END_TEST

START_TEST(trap_default_errno_is_eperm)
{
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *in = NULL, *back = NULL;
	cleanup_lxcconf struct lxc_config *conf = NULL;
	cleanup_free char *text = NULL;
	struct ct_translate_opts opts = { .seccomp_path = "/tmp/ct-eperm.seccomp" };
	json_t *sec;

	in = wrap(json_pack("{s:s, s:[{s:[s], s:s}]}", "defaultAction", "SCMP_ACT_ERRNO",
			    "syscalls", "names", "read", "action", "SCMP_ACT_ALLOW"));
	ck_assert_int_eq(to_lxc(in, &opts, &conf, &text, &err), 0);
	ck_assert_msg(strncmp(text, "2\nallowlist errno 1\n", 20) == 0, "%s", text);
	ck_assert_int_eq(to_oci("/tmp/ct-eperm.seccomp", &opts, &back, &err), 0);
	sec = ct_json_get(back, "/linux/seccomp");
	ck_assert_msg(json_equal(sec, ct_json_get(in, "/linux/seccomp")), "%s", json_dumps(sec, 0));
	/* a rule errno without errnoRet is EPERM too */
	ck_assert_int_eq(compile_lxc(text), 1);
}
END_TEST

START_TEST(trap_arm64_section_name)
{
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *in = NULL, *oci = NULL;
	cleanup_lxcconf struct lxc_config *conf = NULL;
	cleanup_free char *text = NULL, *dir = tmpdir();
	cleanup_free char *f = write_tmp(dir, "p",
					 "2\ndenylist\n[arm64]\n[all]\nkexec_load errno 1\n");
	struct ct_translate_opts opts = { .seccomp_path = "/tmp/ct-arm64.seccomp" };

	in = wrap(json_pack("{s:s, s:[s,s], s:[{s:[s], s:s}]}", "defaultAction", "SCMP_ACT_ALLOW",
			    "architectures", "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM", "syscalls",
			    "names", "kexec_load", "action", "SCMP_ACT_KILL"));
	ck_assert_int_eq(to_lxc(in, &opts, &conf, &text, &err), 0);
	ck_assert_msg(strstr(text, "\n[arm64]\n[arm]\n[all]\nkexec_load kill\n"), "%s", text);
	opts.seccomp_path = NULL;
	ck_assert_int_eq(to_oci(f, &opts, &oci, &err), 0);
	ck_assert_str_eq(json_string_value(ct_json_get(oci, "/linux/seccomp/architectures/0")),
			 "SCMP_ARCH_AARCH64");
	unlink(f);
	rmdir(dir);
}
END_TEST

START_TEST(trap_rule_with_default_action_is_skipped_silently)
{
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *in = NULL;
	cleanup_lxcconf struct lxc_config *conf = NULL;
	cleanup_free char *text = NULL;
	struct sink sink = { 0 };
	struct ct_diag diag = { .warn = collect, .data = &sink };
	struct ct_translate_opts opts = { .seccomp_path = "/tmp/ct-skip.seccomp", .diag = &diag };

	in = wrap(json_pack("{s:s, s:i, s:[{s:[s], s:s}, {s:[s], s:s, s:i}, {s:[s], s:s}]}",
			    "defaultAction", "SCMP_ACT_ERRNO", "defaultErrnoRet", 38, "syscalls",
			    "names", "read", "action", "SCMP_ACT_ALLOW", "names", "mount", "action",
			    "SCMP_ACT_ERRNO", "errnoRet", 38, "names", "umount2", "action",
			    "SCMP_ACT_ERRNO"));
	ck_assert_int_eq(to_lxc(in, &opts, &conf, &text, &err), 0);
	ck_assert_ptr_null(strstr(text, "mount errno 38"));
	ck_assert_ptr_nonnull(strstr(text, "umount2 errno 1"));
	ck_assert_uint_eq(sink.n, 0);
	ck_assert_int_eq(compile_lxc(text), 2);
	/* the same in an LXC profile is refused by libseccomp, so it is an error */
	{
		cleanup_json json_t *oci = NULL;
		cleanup_free char *dir = tmpdir();
		cleanup_free char *f = write_tmp(dir, "p", "2\ndenylist\nread allow\n");

		opts.seccomp_path = NULL;
		ck_assert_int_lt(to_oci(f, &opts, &oci, &err), 0);
		ck_assert_uint_eq(err->line, 3);
		ck_assert(strstr(err->msg, "default action"));
		unlink(f);
		rmdir(dir);
	}
}
END_TEST

START_TEST(trap_actions_lxc_lacks_are_reported)
{
	static const char *const lacking[] = { "SCMP_ACT_LOG", "SCMP_ACT_KILL_PROCESS",
					       "SCMP_ACT_TRACE" };

	for (size_t i = 0; i < CT_ARRAY_SIZE(lacking); i++) {
		cleanup_error struct ct_error *err = NULL;
		cleanup_json json_t *in = NULL;
		cleanup_lxcconf struct lxc_config *conf = NULL, *conf2 = NULL;
		cleanup_free char *text = NULL, *text2 = NULL;
		struct sink sink = { 0 };
		struct ct_diag diag = { .warn = collect, .data = &sink };
		struct ct_translate_opts opts = { .seccomp_path = "/tmp/ct-lack.seccomp",
						  .diag = &diag };

		in = wrap(json_pack("{s:s, s:[{s:[s], s:s}, {s:[s], s:s}]}", "defaultAction",
				    "SCMP_ACT_ALLOW", "syscalls", "names", "mount", "action",
				    lacking[i], "names", "kexec_load", "action", "SCMP_ACT_KILL"));
		ck_assert_int_eq(to_lxc(in, &opts, &conf, &text, &err), 0);
		ck_assert_uint_eq(sink.n, 1);
		ck_assert_msg(strstr(sink.last, lacking[i]), "%s", sink.last);
		ck_assert_msg(strstr(sink.last, "/linux/seccomp/syscalls/0"), "%s", sink.last);
		ck_assert_ptr_null(strstr(text, "mount"));
		ck_assert_ptr_nonnull(strstr(text, "kexec_load kill"));
		/* as the default action: translated to what LXC really does, and reported */
		json_object_set_new(ct_json_get(in, "/linux/seccomp"), "defaultAction",
				    json_string(lacking[i]));
		sink.n = 0;
		ck_assert_int_eq(to_lxc(in, &opts, &conf2, &text2, &err), 0);
		ck_assert_uint_ge(sink.n, 1);
		diag.strict = true;
		lxcconf_free(steal_pointer(&conf2));
		free(steal_pointer(&text2));
		ck_assert_int_lt(to_lxc(in, &opts, &conf2, &text2, &err), 0);
		ck_assert(strstr(err->msg, lacking[i]));
	}
}
END_TEST

START_TEST(unknown_syscall_name_warns_and_fails_strict)
{
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *in = NULL, *oci = NULL;
	cleanup_lxcconf struct lxc_config *conf = NULL;
	cleanup_free char *text = NULL, *dir = tmpdir();
	cleanup_free char *f = write_tmp(dir, "p", "2\ndenylist\nno_such_call errno 1\n");
	struct sink sink = { 0 };
	struct ct_diag diag = { .warn = collect, .data = &sink };
	struct ct_translate_opts opts = { .seccomp_path = "/tmp/ct-unk.seccomp", .diag = &diag };

	in = wrap(json_pack("{s:s, s:[{s:[s,s], s:s}]}", "defaultAction", "SCMP_ACT_ALLOW",
			    "syscalls", "names", "frobnicate", "kexec_load", "action",
			    "SCMP_ACT_KILL"));
	ck_assert_int_eq(to_lxc(in, &opts, &conf, &text, &err), 0);
	ck_assert_uint_eq(sink.n, 1);
	ck_assert(strstr(sink.last, "frobnicate"));
	opts.seccomp_path = NULL;
	ck_assert_int_eq(to_oci(f, &opts, &oci, &err), 0);
	ck_assert_uint_eq(sink.n, 2);
	ck_assert_msg(strstr(sink.last, ":3: ") && strstr(sink.last, "no_such_call"), "%s",
		      sink.last);
	diag.strict = true;
	json_decref(steal_pointer(&oci));
	ck_assert_int_lt(to_oci(f, &opts, &oci, &err), 0);
	ck_assert_uint_eq(err->line, 3);
	unlink(f);
	rmdir(dir);
}
END_TEST

/* ---- round trips ---- */

START_TEST(oci_to_lxc_to_oci_is_exact)
{
	static const char *const files[] = { "docker-like.json" };

	for (size_t i = 0; i < CT_ARRAY_SIZE(files); i++) {
		cleanup_error struct ct_error *err = NULL;
		cleanup_json json_t *in = wrap(load_json(files[i])), *back = NULL;
		cleanup_lxcconf struct lxc_config *conf = NULL;
		cleanup_free char *text = NULL;
		struct sink sink = { 0 };
		struct ct_diag diag = { .warn = collect, .data = &sink };
		struct ct_translate_opts opts = { .seccomp_path = "/tmp/ct-rt-never-written",
						  .diag = &diag };

		unlink(opts.seccomp_path);
		ck_assert_int_eq(to_lxc(in, &opts, &conf, &text, &err), 0);
		ck_assert_uint_eq(sink.n, 0);
		ck_assert_str_eq(lxcconf_get(conf, "lxc.seccomp.profile"), opts.seccomp_path);
		/* the driver translates back before the side file is written */
		ck_assert_int_eq(to_oci(opts.seccomp_path, &opts, &back, &err), 0);
		ck_assert_msg(json_equal(ct_json_get(back, "/linux/seccomp"),
					 ct_json_get(in, "/linux/seccomp")),
			      "got %s", json_dumps(ct_json_get(back, "/linux/seccomp"), 0));
		/* the path is recorded (the driver's carry line removes it on this path) */
		ck_assert_str_eq(
			json_string_value(json_object_get(ct_json_get(back, "/annotations"),
							  CT_ANNOT_META "seccomp.profile")),
			opts.seccomp_path);
		ck_assert_uint_eq(json_object_size(ct_json_get(back, "/annotations")), 1);
		ck_assert_uint_gt(compile_lxc(text), 10);
		ck_assert_uint_gt(compile_oci(ct_json_get(in, "/linux/seccomp")), 10);
	}
}
END_TEST

START_TEST(lxc_to_oci_to_lxc_keeps_the_profile_path)
{
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *oci = NULL;
	cleanup_lxcconf struct lxc_config *conf = NULL;
	cleanup_free char *dir = tmpdir(), *text = NULL;
	cleanup_free char *f = write_tmp(dir, "my.seccomp", "2\nblacklist\nkexec_load\n");
	struct ct_translate_opts opts = { .config_dir = dir };
	struct ct_translate_opts back = { 0 };

	ck_assert_int_eq(to_oci("my.seccomp", &opts, &oci, &err), 0);
	ck_assert_str_eq(json_string_value(ct_json_get(oci, "/linux/seccomp/syscalls/0/action")),
			 "SCMP_ACT_KILL");
	/* oci2lxc to stdout: no seccomp output needed, the recorded profile still fits */
	back.config_dir = dir;
	ck_assert_int_eq(to_lxc(oci, &back, &conf, &text, &err), 0);
	ck_assert_ptr_null(text);
	ck_assert_str_eq(lxcconf_get(conf, "lxc.seccomp.profile"), "my.seccomp");
	unlink(f);
	rmdir(dir);
}
END_TEST

START_TEST(changed_recorded_profile_is_rewritten)
{
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *oci = NULL;
	cleanup_lxcconf struct lxc_config *conf = NULL, *conf2 = NULL;
	cleanup_free char *dir = tmpdir(), *text = NULL, *text2 = NULL;
	cleanup_free char *f = write_tmp(dir, "my.seccomp", "2\ndenylist\nkexec_load errno 1\n");
	struct sink sink = { 0 };
	struct ct_diag diag = { .warn = collect, .data = &sink };
	struct ct_translate_opts opts = { .diag = &diag };

	ck_assert_int_eq(to_oci(f, &opts, &oci, &err), 0);
	json_object_set_new(ct_json_get(oci, "/linux/seccomp"), "defaultAction",
			    json_string("SCMP_ACT_TRAP"));
	/* nowhere to write it: error with a hint */
	ck_assert_int_lt(to_lxc(oci, &opts, &conf, &text, &err), 0);
	ck_assert_ptr_nonnull(err->hint);
	ck_assert(strstr(err->hint, "--seccomp-output"));
	ct_error_free(steal_pointer(&err));
	opts.seccomp_path = "/tmp/ct-changed.seccomp";
	ck_assert_int_eq(to_lxc(oci, &opts, &conf2, &text2, &err), 0);
	ck_assert_str_eq(lxcconf_get(conf2, "lxc.seccomp.profile"), opts.seccomp_path);
	ck_assert(strncmp(text2, "2\nallowlist trap\n", 17) == 0);
	ck_assert(strstr(sink.all, "no longer gives"));
	unlink(f);
	rmdir(dir);
}
END_TEST

START_TEST(no_seccomp_needs_no_output)
{
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *in = json_pack("{s:{}}", "linux");
	cleanup_lxcconf struct lxc_config *conf = NULL;
	cleanup_free char *text = NULL;
	struct ct_translate_opts opts = { 0 };

	ck_assert_int_eq(to_lxc(in, &opts, &conf, &text, &err), 0);
	ck_assert_uint_eq(conf->n, 0);
}
END_TEST

START_TEST(paths_resolve_under_sysroot_and_config_dir)
{
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *oci = NULL, *oci2 = NULL;
	cleanup_free char *dir = tmpdir(), *sub = NULL;
	cleanup_free char *f = NULL;
	struct ct_translate_opts opts = { .sysroot = dir };

	ck_assert_int_ge(asprintf(&sub, "%s/etc", dir), 0);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	f = write_tmp(sub, "p.seccomp", "2\ndenylist\nkexec_load errno 1\n");
	ck_assert_int_eq(to_oci("/etc/p.seccomp", &opts, &oci, &err), 0);
	ck_assert_ptr_nonnull(ct_json_get(oci, "/linux/seccomp/syscalls"));
	ck_assert_str_eq(json_string_value(ct_json_get(oci, "/annotations/org.ctlaunch.meta."
							    "seccomp.profile")),
			 "/etc/p.seccomp");
	opts = (struct ct_translate_opts){ .config_dir = sub };
	ck_assert_int_eq(to_oci("p.seccomp", &opts, &oci2, &err), 0);
	unlink(f);
	rmdir(sub);
	rmdir(dir);
}
END_TEST

START_TEST(version_1_numbers_become_names)
{
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *oci = NULL;
	cleanup_free char *path = data_path("v1.seccomp");
	struct ct_translate_opts opts = { 0 };
	cleanup_free char *name0 = NULL;
	json_t *sec;
	const char *n0;

	ck_assert_int_eq(to_oci(path, &opts, &oci, &err), 0);
	sec = ct_json_get(oci, "/linux/seccomp");
	ck_assert_str_eq(json_string_value(json_object_get(sec, "defaultAction")), "SCMP_ACT_KILL");
	n0 = json_string_value(ct_json_get(sec, "/syscalls/0/names/0"));
	name0 = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, 0);
	ck_assert_str_eq(n0, name0);
	ck_assert_uint_eq(json_array_size(ct_json_get(sec, "/syscalls/0/names")), 3);
	ck_assert_uint_eq(compile_oci(sec), 3);
}
END_TEST

/* ---- the per-process cache of translated profile files ---- */

/* lxc2oci of profile file f with the file cache on and no settle time: the third call is served
 * from the cache of translated profiles (the first reads the file, the second keeps it). */
static json_t *cached_to_oci(const char *f, struct ct_translate_opts *opts)
{
	cleanup_error struct ct_error *err = NULL;
	json_t *oci = NULL;

	ck_assert_msg(to_oci(f, opts, &oci, &err) == 0, "%s", err ? err->msg : "");
	return oci;
}

START_TEST(cached_profile_translates_as_the_text_and_follows_changes)
{
	static const char *const texts[] = {
		"2\ndenylist\nreject_force_umount\n[all]\nread errno 1\nwrite errno 1\n"
		"mount errno 13 [1,16,SCMP_CMP_MASKED_EQ,16]\n",
		"2\nallowlist\n[x86_64]\nread\nwrite\n",
	};
	cleanup_free char *dir = tmpdir();
	struct ct_translate_opts opts = { 0 };

	ct_file_cache_setup(CT_FILE_CACHE_MAX_FILES, CT_FILE_CACHE_MAX_BYTES, 0);
	for (size_t t = 0; t < CT_ARRAY_SIZE(texts); t++) {
		cleanup_free char *f = write_tmp(dir, "p", texts[t]);
		cleanup_json json_t *first = cached_to_oci(f, &opts);

		for (int i = 0; i < 3; i++) {
			cleanup_json json_t *again = cached_to_oci(f, &opts);
			cleanup_free char *a = ct_json_canonical(first),
					  *b = ct_json_canonical(again);

			ck_assert_str_eq(a, b);
			/* a copy: changing one result leaves the next translation alone */
			json_object_set_new(ct_json_get(again, "/linux/seccomp"), "defaultAction",
					    json_string("changed"));
		}
		if (t == 1)
			ck_assert_str_eq(json_string_value(ct_json_get(
						 first, "/linux/seccomp/defaultAction")),
					 "SCMP_ACT_KILL");
		unlink(f);
	}
	rmdir(dir);
	ct_file_cache_setup(CT_FILE_CACHE_MAX_FILES, CT_FILE_CACHE_MAX_BYTES,
			    CT_FILE_CACHE_SETTLE_MS);
}
END_TEST

START_TEST(cached_profile_that_warns_warns_on_every_translation)
{
	cleanup_free char *dir = tmpdir();
	cleanup_free char *f = write_tmp(dir, "p", "2\ndenylist\nno_such_call errno 1\n");
	struct sink sink = { 0 };
	struct ct_diag diag = { .warn = collect, .data = &sink };
	struct ct_translate_opts quiet = { 0 }, opts = { .diag = &diag };

	ct_file_cache_setup(CT_FILE_CACHE_MAX_FILES, CT_FILE_CACHE_MAX_BYTES, 0);
	/* quiet calls first (as oci2lxc's reverse check makes): their warnings are dropped */
	for (int i = 0; i < 3; i++)
		json_decref(cached_to_oci(f, &quiet));
	for (unsigned i = 1; i <= 3; i++) {
		json_decref(cached_to_oci(f, &opts));
		ck_assert_uint_eq(sink.n, i);
		ck_assert_uint_eq(diag.count, i);
		ck_assert(strstr(sink.last, "no_such_call"));
	}
	unlink(f);
	rmdir(dir);
	ct_file_cache_setup(CT_FILE_CACHE_MAX_FILES, CT_FILE_CACHE_MAX_BYTES,
			    CT_FILE_CACHE_SETTLE_MS);
}
END_TEST

/* oci2lxc's reverse check translates the profile it is about to write, from memory: the kept
 * translation is found by the whole text, so a different text under the same path is translated
 * afresh, and one that warned still warns a call that has diagnostics. */
START_TEST(pending_profile_is_kept_by_its_text)
{
	static const char *const texts[] = {
		"2\ndenylist\n[all]\nread errno 1\n",
		"2\nallowlist\n[x86_64]\nread\nwrite\n",
		"2\ndenylist\nno_such_call errno 1\n",
	};
	static const char *const defaults[] = { "SCMP_ACT_ALLOW", "SCMP_ACT_KILL",
						"SCMP_ACT_ALLOW" };
	const char *path = "/tmp/ct-pending-profile-never-written";
	struct ct_side_file pend[2] = { { (char *)path, NULL }, { NULL, NULL } };
	struct sink sink = { 0 };
	struct ct_diag diag = { .warn = collect, .data = &sink };
	struct ct_translate_opts quiet = { .pending = pend },
				 loud = { .pending = pend, .diag = &diag };

	unlink(path);
	for (size_t t = 0; t < CT_ARRAY_SIZE(texts); t++) {
		cleanup_json json_t *first = NULL;

		pend[0].content = (char *)texts[t];
		first = cached_to_oci(path, &quiet);
		ck_assert_str_eq(
			json_string_value(ct_json_get(first, "/linux/seccomp/defaultAction")),
			defaults[t]);
		for (int i = 0; i < 3; i++) {
			cleanup_json json_t *again = cached_to_oci(path, &quiet);
			cleanup_free char *a = ct_json_canonical(first),
					  *b = ct_json_canonical(again);

			ck_assert_str_eq(a, b);
		}
	}
	/* the last text warned, unseen by the quiet calls: a call with diagnostics still warns */
	json_decref(cached_to_oci(path, &loud));
	ck_assert_uint_eq(sink.n, 1);
	ck_assert(strstr(sink.last, "no_such_call"));
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("seccomp");
	TCase *t = tcase_create("map");

	tcase_add_test(t, missing_profile_is_error_at_key_line);
	tcase_add_test(t, profile_error_is_located_in_the_profile);
	tcase_add_test(t, common_seccomp_embeds_as_runc_would_load_it);
	tcase_add_test(t, every_profile_compiles_both_ways_with_libseccomp);
	tcase_add_test(t, trap_masked_eq_operand_order);
	tcase_add_test(t, trap_several_args_are_one_anded_line);
	tcase_add_test(t, trap_default_errno_is_eperm);
	tcase_add_test(t, trap_arm64_section_name);
	tcase_add_test(t, trap_rule_with_default_action_is_skipped_silently);
	tcase_add_test(t, trap_actions_lxc_lacks_are_reported);
	tcase_add_test(t, unknown_syscall_name_warns_and_fails_strict);
	tcase_add_test(t, oci_to_lxc_to_oci_is_exact);
	tcase_add_test(t, lxc_to_oci_to_lxc_keeps_the_profile_path);
	tcase_add_test(t, changed_recorded_profile_is_rewritten);
	tcase_add_test(t, no_seccomp_needs_no_output);
	tcase_add_test(t, paths_resolve_under_sysroot_and_config_dir);
	tcase_add_test(t, version_1_numbers_become_names);
	tcase_add_test(t, cached_profile_translates_as_the_text_and_follows_changes);
	tcase_add_test(t, cached_profile_that_warns_warns_on_every_translation);
	tcase_add_test(t, pending_profile_is_kept_by_its_text);
	suite_add_tcase(s, t);
	return s;
}
