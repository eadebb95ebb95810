/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* seccomp_text.c and map_seccomp.c: LXC profile text <-> linux.seccomp. */
#include <errno.h>
#include <stdbool.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_main.h"
#include "cleanup.h"
#include "families.h"
#include "fileio.h"
#include "jsonutil.h"
#include "lxcconf.h"
#include "seccomp_text.h"

/* Warnings collected from the translation. */
struct sink {
	unsigned n;
	char last[512];
	char all[4096];
};

static void collect(void *data, const char *file, unsigned line, unsigned col, const char *msg)
{
	struct sink *s = data;
	size_t len = strlen(s->all);

	(void)col;
	s->n++;
	snprintf(s->last, sizeof(s->last), "%s:%u: %s", file ? file : "-", line, msg);
	snprintf(s->all + len, sizeof(s->all) - len, "%s\n", s->last);
}

static char *data_path(const char *name)
{
	const char *top = getenv("TOP_SRCDIR");
	char *p;

	ck_assert_int_ge(asprintf(&p, "%s/tests/unit/data/seccomp/%s", top ? top : "../..", name),
			 0);
	return p;
}

static char *tmpdir(void)
{
	char *d = strdup("/tmp/ct-seccomp-XXXXXX");

	ck_assert_ptr_nonnull(mkdtemp(d));
	return d;
}

static char *write_tmp(const char *dir, const char *name, const char *text)
{
	cleanup_error struct ct_error *err = NULL;
	char *p;

	ck_assert_int_ge(asprintf(&p, "%s/%s", dir, name), 0);
	ck_assert_int_eq(ct_write_file_atomic(p, text, strlen(text), 0644, &err), 0);
	return p;
}

static struct sc_profile *parse_text(const char *text, struct ct_error **err)
{
	struct sc_profile *p = NULL;

	if (seccomp_text_parse(text, strlen(text), "t.seccomp", &p, err) < 0)
		return NULL;
	return p;
}

/* lxc2oci of a config holding only "lxc.seccomp.profile = value" (line 3 of test.conf). */
static int to_oci(const char *value, struct ct_translate_opts *opts, json_t **ret,
		  struct ct_error **err)
{
	cleanup_lxcconf struct lxc_config *conf = lxcconf_new();
	bool used[4] = { false };
	struct ct_ctx ctx = { .lxc = conf, .oci = json_object(), .opts = opts, .used = used };
	int rc;

	ck_assert_int_eq(lxcconf_add(conf, "lxc.seccomp.profile", value, "test.conf", 3, err), 0);
	rc = ct_family_seccomp.to_oci(&ctx, err);
	if (rc == 0)
		ck_assert_msg(used[0], "the profile entry is marked used");
	*ret = ctx.oci;
	return rc;
}

/* oci2lxc of a document: the LXC entries, and the side file text (NULL if none). */
static int to_lxc(json_t *oci, struct ct_translate_opts *opts, struct lxc_config **ret_conf,
		  char **ret_text, struct ct_error **err)
{
	struct lxc_config *conf = lxcconf_new();
	struct ct_ctx ctx = { .lxc = conf, .oci = oci, .opts = opts };
	int rc = ct_family_seccomp.to_lxc(&ctx, err);

	/* Like the driver: the profile about to be written is pending for the reverse step. The
	 * array borrows the path and the caller's copy of the text. */
	static struct ct_side_file pend[2];

	*ret_text = NULL;
	if (ctx.nside) {
		ck_assert_uint_eq(ctx.nside, 1);
		ck_assert_str_eq(ctx.side[0].path, opts->seccomp_path);
		*ret_text = strdup(ctx.side[0].content);
		pend[0].path = (char *)opts->seccomp_path;
		pend[0].content = *ret_text;
		opts->pending = pend;
	}
	ct_side_files_free(ctx.side);
	for (size_t i = 0; i < ctx.nwarned; i++)
		free(ctx.warned[i]);
	free(ctx.warned);
	*ret_conf = conf;
	return rc;
}

static json_t *load_json(const char *name)
{
	cleanup_free char *p = data_path(name);
	json_error_t jerr;
	json_t *j = json_load_file(p, 0, &jerr);

	ck_assert_msg(j != NULL, "%s: %s", p, jerr.text);
	return j;
}

static json_t *wrap(json_t *sec)
{
	return json_pack("{s:{s:o}}", "linux", "seccomp", sec);
}

static uint32_t oci_act(json_t *rule_or_profile, const char *key, const char *errkey)
{
	const char *a = json_string_value(json_object_get(rule_or_profile, key));
	json_t *e = json_object_get(rule_or_profile, errkey);
	int eno = e ? (int)json_integer_value(e) : EPERM;

	if (!strcmp(a, "SCMP_ACT_ALLOW"))
		return SCMP_ACT_ALLOW;
	if (!strcmp(a, "SCMP_ACT_ERRNO"))
		return SCMP_ACT_ERRNO(eno);
	if (!strcmp(a, "SCMP_ACT_TRAP"))
		return SCMP_ACT_TRAP;
	if (!strcmp(a, "SCMP_ACT_NOTIFY"))
		return SCMP_ACT_NOTIFY;
	return SCMP_ACT_KILL;
}

static const struct {
	const char *name;
	enum scmp_compare op;
} ops[] = {
	{ "SCMP_CMP_NE", SCMP_CMP_NE },
	{ "SCMP_CMP_LT", SCMP_CMP_LT },
	{ "SCMP_CMP_LE", SCMP_CMP_LE },
	{ "SCMP_CMP_EQ", SCMP_CMP_EQ },
	{ "SCMP_CMP_GE", SCMP_CMP_GE },
	{ "SCMP_CMP_GT", SCMP_CMP_GT },
	{ "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
};

/* SCMP_ACT_NOTIFY needs kernel support that libseccomp reports as API level 5 or more; without
 * it (old kernels, or qemu-user, which emulates no seccomp) libseccomp refuses such rules with
 * EINVAL whatever the profile says, so they cannot be compiled here. */
static bool can_compile(uint32_t action)
{
	return action != SCMP_ACT_NOTIFY || seccomp_api_get() >= 5;
}

/* Compile an OCI seccomp object with libseccomp as a runtime does (no seccomp_load). Returns the
 * number of rules added; fails the test on any libseccomp error. */
static unsigned compile_oci(json_t *sec)
{
	scmp_filter_ctx f = seccomp_init(oci_act(sec, "defaultAction", "defaultErrnoRet"));
	json_t *rule, *name, *arch;
	size_t i, j;
	unsigned added = 0;

	ck_assert_ptr_nonnull(f);
	json_array_foreach (json_object_get(sec, "architectures"), i, arch) {
		char lower[32];
		const char *s = json_string_value(arch) + strlen("SCMP_ARCH_");
		uint32_t token;
		int rc;

		for (j = 0; j < sizeof(lower) - 1 && s[j]; j++)
			lower[j] = (char)(s[j] >= 'A' && s[j] <= 'Z' ? s[j] + 32 : s[j]);
		lower[j] = '\0';
		token = seccomp_arch_resolve_name(lower);
		ck_assert_msg(token != 0, "arch %s resolves", lower);
		rc = seccomp_arch_add(f, token);
		/* -EDOM: the other byte order, which the translation warns about */
		ck_assert_msg(rc == 0 || rc == -EEXIST || rc == -EDOM, "arch %s added: %d", lower,
			      rc);
	}
	json_array_foreach (json_object_get(sec, "syscalls"), i, rule) {
		struct scmp_arg_cmp cmp[6];
		json_t *a;
		size_t k;

		json_array_foreach (json_object_get(rule, "args"), k, a) {
			const char *op = json_string_value(json_object_get(a, "op"));

			cmp[k] = (struct scmp_arg_cmp){
				.arg = (unsigned)json_integer_value(json_object_get(a, "index")),
				.datum_a = (scmp_datum_t)json_integer_value(
					json_object_get(a, "value")),
				.datum_b = (scmp_datum_t)json_integer_value(
					json_object_get(a, "valueTwo")),
			};
			for (size_t o = 0; o < CT_ARRAY_SIZE(ops); o++)
				if (!strcmp(op, ops[o].name))
					cmp[k].op = ops[o].op;
		}
		json_array_foreach (json_object_get(rule, "names"), j, name) {
			int nr = seccomp_syscall_resolve_name(json_string_value(name));
			int rc;

			if (nr == __NR_SCMP_ERROR ||
			    !can_compile(oci_act(rule, "action", "errnoRet")))
				continue;
			rc = seccomp_rule_add_array(
				f, oci_act(rule, "action", "errnoRet"), nr,
				(unsigned)json_array_size(json_object_get(rule, "args")), cmp);
			ck_assert_msg(rc == 0, "rule %s loads: %s", json_string_value(name),
				      strerror(-rc));
			added++;
		}
	}
	seccomp_release(f);
	return added;
}

static uint32_t lxc_act(const struct sc_action *a)
{
	static const uint32_t k[] = { [SC_KILL] = SCMP_ACT_KILL,
				      [SC_ALLOW] = SCMP_ACT_ALLOW,
				      [SC_TRAP] = SCMP_ACT_TRAP,
				      [SC_NOTIFY] = SCMP_ACT_NOTIFY };

	return a->kind == SC_ERRNO ? SCMP_ACT_ERRNO(a->errno_ret) : k[a->kind];
}

/* Load LXC profile text for the native arch the way liblxc 5.0 does: exact rules, MASKED_EQ with
 * datum_a = mask and datum_b = value. Returns the number of rules added. */
static unsigned compile_lxc(const char *text)
{
	cleanup_error struct ct_error *err = NULL;
	cleanup_sc_profile struct sc_profile *p = parse_text(text, &err);
	scmp_filter_ctx f;
	unsigned added = 0;

	ck_assert_msg(p != NULL, "profile parses: %s", err ? err->msg : "");
	f = seccomp_init(lxc_act(&p->def));
	ck_assert_ptr_nonnull(f);
	for (size_t i = 0; i < p->nrules; i++) {
		const struct sc_rule *r = &p->rules[i];
		struct scmp_arg_cmp cmp[6];
		uint32_t act = lxc_act(&r->action);
		int nr, rc;

		if (r->force_umount) {
			rc = seccomp_rule_add_exact(f, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(umount2), 1,
						    SCMP_A1(SCMP_CMP_MASKED_EQ, 1, 1));
			ck_assert_int_eq(rc, 0);
			added++;
			continue;
		}
		if (r->arch && seccomp_text_arch_of_section("x86_64") != seccomp_arch_native() &&
		    r->arch != seccomp_arch_native())
			continue;
		nr = r->name ? seccomp_syscall_resolve_name(r->name) : r->nr;
		if (nr < 0)
			continue; /* liblxc skips names the host does not know */
		if (!can_compile(act))
			continue;
		for (unsigned k = 0; k < r->nargs; k++) {
			const struct sc_arg *a = &r->args[k];

			cmp[k] = (struct scmp_arg_cmp){ .arg = a->index,
							.op = (enum scmp_compare)(a->op + 1) };
			if (a->op == SC_MASKED_EQ) {
				cmp[k].datum_a = a->mask;
				cmp[k].datum_b = a->value;
			} else {
				cmp[k].datum_a = a->value;
			}
		}
		rc = seccomp_rule_add_exact_array(f, act, nr, r->nargs, cmp);
		ck_assert_msg(rc == 0, "line %u (%s) loads: %s", r->line, r->name, strerror(-rc));
		added++;
	}
	seccomp_release(f);
	return added;
}

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

static Suite *make_suite(void)
{
	Suite *s = suite_create("seccomp");
	TCase *t = tcase_create("text");

	tcase_add_test(t, reads_lxc_common_seccomp);
	tcase_add_test(t, reads_every_action_operator_and_section);
	tcase_add_test(t, reads_version_1_numbers);
	tcase_add_test(t, writer_round_trips);
	tcase_add_test(t, bad_input_is_located);
	tcase_add_test(t, bounds_line_length_and_rule_count);
	suite_add_tcase(s, t);
	t = tcase_create("map");
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
	suite_add_tcase(s, t);
	return s;
}
