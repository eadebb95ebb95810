/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* seccomp_text.c: LXC's seccomp policy text read and written back; errors located. */
#include "seccomp_fixture.h"

/* ---- the reader ---- */

START_TEST(reads_lxc_common_seccomp)
{
	cleanup_error struct ct_error *err = NULL;
	cleanup_free char *buf = NULL;
	cleanup_sc_profile struct sc_profile *p = NULL;
	size_t len;

	if (access("/usr/share/lxc/config/common.seccomp", R_OK) != 0)
		return; /* LXC not installed */
	ck_assert_int_eq(
		ct_read_file("/usr/share/lxc/config/common.seccomp", 1 << 20, &buf, &len, &err), 0);
	ck_assert_int_eq(seccomp_text_parse(buf, len, "common.seccomp", &p, &err), 0);
	ck_assert_int_eq(p->version, 2);
	ck_assert(p->denylist);
	ck_assert_int_eq(p->def.kind, SC_ALLOW);
	ck_assert_uint_eq(p->nrules, 6);
	ck_assert(p->rules[0].force_umount);
	ck_assert_str_eq(p->rules[1].name, "kexec_load");
	ck_assert_int_eq(p->rules[1].action.kind, SC_ERRNO);
	ck_assert_uint_eq(p->rules[1].action.errno_ret, 1);
	ck_assert_uint_eq(p->narches, 0);
}
END_TEST

START_TEST(reads_every_action_operator_and_section)
{
	cleanup_error struct ct_error *err = NULL;
	cleanup_free char *path = data_path("every.seccomp"), *buf = NULL;
	cleanup_sc_profile struct sc_profile *p = NULL;
	size_t len;
	static const enum sc_op want_ops[] = { SC_NE, SC_LT, SC_LE, SC_GE, SC_GT };

	ck_assert_int_eq(ct_read_file(path, 1 << 20, &buf, &len, &err), 0);
	ck_assert_int_eq(seccomp_text_parse(buf, len, path, &p, &err), 0);
	ck_assert(!p->denylist);
	ck_assert_int_eq(p->def.kind, SC_ERRNO);
	ck_assert_uint_eq(p->def.errno_ret, 38);
	ck_assert_int_eq(p->rules[0].action.kind, SC_ALLOW);
	ck_assert(!p->rules[1].action_given); /* "write": allowlist rules default to allow */
	ck_assert_int_eq(p->rules[1].action.kind, SC_ALLOW);
	ck_assert_int_eq(p->rules[2].action.kind, SC_KILL);
	ck_assert_int_eq(p->rules[3].action.kind, SC_TRAP);
	ck_assert_int_eq(p->rules[4].action.kind, SC_NOTIFY);
	ck_assert_int_eq(p->rules[5].action.kind, SC_ERRNO);
	ck_assert(p->rules[6].force_umount);
	ck_assert_uint_eq(p->rules[7].args[0].value, 0x5401);
	ck_assert_int_eq(p->rules[7].args[0].op, SC_EQ);
	/* name and symbol forms, in pairs */
	for (size_t i = 0; i < CT_ARRAY_SIZE(want_ops); i++) {
		const struct sc_rule *r = &p->rules[8 + (i >= 3 ? i + 1 : i)];

		ck_assert_uint_eq(r->nargs, 2);
		ck_assert_int_eq(r->args[0].op, want_ops[i]);
		ck_assert_int_eq(r->args[1].op, want_ops[i]);
	}
	ck_assert_int_eq(p->rules[11].args[0].op, SC_EQ); /* openat [2,0,==] */
	ck_assert_int_eq(p->rules[14].args[0].op, SC_MASKED_EQ);
	ck_assert_uint_eq(p->rules[14].args[0].mask, 2114060288);
	ck_assert_uint_eq(p->rules[14].args[0].value, 0);
	ck_assert_int_eq(p->rules[15].args[0].op, SC_MASKED_EQ);
	ck_assert_uint_eq(p->rules[16].arch, SCMP_ARCH_X86_64);
	ck_assert_uint_eq(p->rules[15].arch, 0);
	/* x86_64, X86, x32, arm, arm64 (twice), ppc64le ... s390: 16 distinct */
	ck_assert_uint_eq(p->narches, 16);
	ck_assert_uint_eq(p->arches[0], SCMP_ARCH_X86_64);
	ck_assert_uint_eq(p->arches[1], SCMP_ARCH_X86);
	ck_assert_uint_eq(p->arches[4], SCMP_ARCH_AARCH64);
}
END_TEST

START_TEST(reads_version_1_numbers)
{
	cleanup_error struct ct_error *err = NULL;
	cleanup_sc_profile struct sc_profile *p = parse_text("1\nallowlist\n0\n1\n60\n", &err);
	cleanup_sc_profile struct sc_profile *bad = NULL;

	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->version, 1);
	ck_assert_int_eq(p->def.kind, SC_KILL);
	ck_assert_uint_eq(p->nrules, 3);
	ck_assert_int_eq(p->rules[2].nr, 60);
	bad = parse_text("1\nwhitelist\n0\n", &err);
	ck_assert_ptr_null(bad);
	ck_assert_str_eq(err->file, "t.seccomp");
	ck_assert_uint_eq(err->line, 2);
}
END_TEST

START_TEST(writer_round_trips)
{
	cleanup_error struct ct_error *err = NULL;
	cleanup_free char *path = data_path("every.seccomp"), *buf = NULL;
	cleanup_free char *once = NULL, *twice = NULL;
	cleanup_sc_profile struct sc_profile *p = NULL, *q = NULL;
	size_t len;

	ck_assert_int_eq(ct_read_file(path, 1 << 20, &buf, &len, &err), 0);
	ck_assert_int_eq(seccomp_text_parse(buf, len, path, &p, &err), 0);
	once = seccomp_text_write(p);
	ck_assert_ptr_nonnull(once);
	ck_assert_int_eq(seccomp_text_parse(once, strlen(once), "once", &q, &err), 0);
	twice = seccomp_text_write(q);
	ck_assert_str_eq(once, twice);
	ck_assert_uint_eq(q->nrules, p->nrules);
	ck_assert_uint_eq(q->narches, p->narches);
	for (size_t i = 0; i < p->nrules; i++) {
		ck_assert_int_eq(q->rules[i].action.kind, p->rules[i].action.kind);
		ck_assert_uint_eq(q->rules[i].nargs, p->rules[i].nargs);
		ck_assert_uint_eq(q->rules[i].arch, p->rules[i].arch);
		ck_assert(memcmp(q->rules[i].args, p->rules[i].args, sizeof(p->rules[i].args)) ==
				  0 ||
			  p->rules[i].nargs == 0);
	}
	ck_assert(strstr(once, "clone allow [0,0,SCMP_CMP_MASKED_EQ,2114060288]\n"));
}
END_TEST

/* ---- errors ---- */

static void expect_error(const char *text, unsigned line, const char *msg_part,
			 const char *hint_part)
{
	cleanup_error struct ct_error *err = NULL;
	cleanup_sc_profile struct sc_profile *p = parse_text(text, &err);

	ck_assert_msg(p == NULL, "rejected: %s", text);
	ck_assert_str_eq(err->file, "t.seccomp");
	ck_assert_uint_eq(err->line, line);
	ck_assert_msg(strstr(err->msg, msg_part), "message \"%s\" has \"%s\"", err->msg, msg_part);
	if (hint_part)
		ck_assert_msg(err->hint && strstr(err->hint, hint_part), "hint \"%s\" has \"%s\"",
			      err->hint ? err->hint : "", hint_part);
}

START_TEST(bad_input_is_located)
{
	expect_error("3\ndenylist\n", 1, "bad version", "1 or 2");
	expect_error("2\nmaybelist\n", 2, "bad policy type", "allowlist or denylist");
	expect_error("2\ndenylist\nread explode\n", 3, "unknown action \"explode\"", "errno N");
	expect_error("2\ndenylist\nread errno\n", 3, "errno needs a number", NULL);
	expect_error("2\ndenylist\nread errno 1 [0,1,=~]\n", 3, "unknown operator", "MASKED_EQ");
	expect_error("2\ndenylist\n[all]\n[i386]\n", 4, "unknown architecture \"i386\"", "[x86]");
	expect_error("2\ndenylist\n[aarch64]\n", 3, "unknown architecture", "[arm64]");
	expect_error("2\ndenylist\n[riscv64]\n", 3, "unknown architecture", "[all]");
	expect_error("2\ndenylist\n\n  read errno 1\n", 4, "starts with a blank", "leading");
	expect_error("2\ndenylist\nread [0,1,==]\n", 3, "without an action", "before");
	expect_error("2\ndenylist\nread errno 1 [0,1]\n", 3, "3 or 4 fields", NULL);
	expect_error("2\ndenylist\nread errno 1 [7,1,==]\n", 3, "argument index", "0 to 5");
	expect_error("2\ndenylist\nread errno 1 [0,-1,==]\n", 3, "argument value", NULL);
	expect_error("2\ndenylist\nread errno 1 [0,1,==,4]\n", 3, "mask given", "MASKED_EQ");
	expect_error("2\ndenylist\nread errno 1 [0,1,==] # x\n", 3, "comment after", NULL);
	expect_error("2\ndenylist\nread errno 1 [0,1,==\n", 3, "unterminated", "]");
	expect_error("2\ndenylist\nread errno 1 [0,1,==] [1,1,==] [2,1,==] [3,1,==] [4,1,==] "
		     "[5,1,==] [0,2,==]\n",
		     3, "more than 6", NULL);
	expect_error("2\ndenylist debug\n", 2, "debug", NULL);
	expect_error("2\n", 1, "missing the policy", NULL);
}
END_TEST

START_TEST(bounds_line_length_and_rule_count)
{
	cleanup_error struct ct_error *err = NULL;
	cleanup_strbuf struct strbuf sb = STRBUF_INIT;
	cleanup_sc_profile struct sc_profile *p = NULL;

	strbuf_puts(&sb, "2\ndenylist\n");
	for (int i = 0; i < SECCOMP_TEXT_MAX_LINE + 10; i++)
		strbuf_putc(&sb, 'a');
	ck_assert_int_lt(seccomp_text_parse(sb.s, sb.len, "long", &p, &err), 0);
	ck_assert_uint_eq(err->line, 3);
	ck_assert(strstr(err->msg, "line over"));
	strbuf_release(&sb);
	ct_error_free(steal_pointer(&err));
	strbuf_puts(&sb, "2\ndenylist\n");
	for (int i = 0; i <= SECCOMP_TEXT_MAX_RULES; i++)
		strbuf_puts(&sb, "read errno 1\n");
	ck_assert_int_lt(seccomp_text_parse(sb.s, sb.len, "many", &p, &err), 0);
	ck_assert(strstr(err->msg, "more than"));
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("seccomp_text");
	TCase *t = tcase_create("text");

	tcase_add_test(t, reads_lxc_common_seccomp);
	tcase_add_test(t, reads_every_action_operator_and_section);
	tcase_add_test(t, reads_version_1_numbers);
	tcase_add_test(t, writer_round_trips);
	tcase_add_test(t, bad_input_is_located);
	tcase_add_test(t, bounds_line_length_and_rule_count);
	suite_add_tcase(s, t);
	return s;
}
