/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The fixture of the seccomp suites (check_seccomp_text.c, check_seccomp.c): warnings collected,
 * test data and temporary profiles, the family run alone in either direction, and compiling a
 * profile with libseccomp as a runtime would (without loading it). */
#ifndef CT_SECCOMP_FIXTURE_H
#define CT_SECCOMP_FIXTURE_H

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

static inline void collect(void *data, const char *file, unsigned line, unsigned col,
			   const char *msg)
{
	struct sink *s = data;
	size_t len = strlen(s->all);

	(void)col;
	s->n++;
	snprintf(s->last, sizeof(s->last), "%s:%u: %s", file ? file : "-", line, msg);
	snprintf(s->all + len, sizeof(s->all) - len, "%s\n", s->last);
}

static inline char *data_path(const char *name)
{
	const char *top = getenv("TOP_SRCDIR");
	char *p;

	ck_assert_int_ge(asprintf(&p, "%s/tests/unit/data/seccomp/%s", top ? top : "../..", name),
			 0);
	return p;
}

static inline char *tmpdir(void)
{
	char *d = strdup("/tmp/ct-seccomp-XXXXXX");

	ck_assert_ptr_nonnull(mkdtemp(d));
	return d;
}

static inline char *write_tmp(const char *dir, const char *name, const char *text)
{
	cleanup_error struct ct_error *err = NULL;
	char *p;

	ck_assert_int_ge(asprintf(&p, "%s/%s", dir, name), 0);
	ck_assert_int_eq(ct_write_file_atomic(p, text, strlen(text), 0644, &err), 0);
	return p;
}

static inline struct sc_profile *parse_text(const char *text, struct ct_error **err)
{
	struct sc_profile *p = NULL;

	if (seccomp_text_parse(text, strlen(text), "t.seccomp", &p, err) < 0)
		return NULL;
	return p;
}

/* lxc2oci of a config holding only "lxc.seccomp.profile = value" (line 3 of test.conf). */
static inline int to_oci(const char *value, struct ct_translate_opts *opts, json_t **ret,
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
static inline int to_lxc(json_t *oci, struct ct_translate_opts *opts, struct lxc_config **ret_conf,
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

static inline json_t *load_json(const char *name)
{
	cleanup_free char *p = data_path(name);
	json_error_t jerr;
	json_t *j = json_load_file(p, 0, &jerr);

	ck_assert_msg(j != NULL, "%s: %s", p, jerr.text);
	return j;
}

static inline json_t *wrap(json_t *sec)
{
	return json_pack("{s:{s:o}}", "linux", "seccomp", sec);
}

static inline uint32_t oci_act(json_t *rule_or_profile, const char *key, const char *errkey)
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
static inline bool can_compile(uint32_t action)
{
	return action != SCMP_ACT_NOTIFY || seccomp_api_get() >= 5;
}

/* Compile an OCI seccomp object with libseccomp as a runtime does (no seccomp_load). Returns the
 * number of rules added; fails the test on any libseccomp error. */
static inline unsigned compile_oci(json_t *sec)
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

static inline uint32_t lxc_act(const struct sc_action *a)
{
	static const uint32_t k[] = { [SC_KILL] = SCMP_ACT_KILL,
				      [SC_ALLOW] = SCMP_ACT_ALLOW,
				      [SC_TRAP] = SCMP_ACT_TRAP,
				      [SC_NOTIFY] = SCMP_ACT_NOTIFY };

	return a->kind == SC_ERRNO ? SCMP_ACT_ERRNO(a->errno_ret) : k[a->kind];
}

/* Load LXC profile text for the native arch the way liblxc 5.0 does: exact rules, MASKED_EQ with
 * datum_a = mask and datum_b = value. Returns the number of rules added. */
static inline unsigned compile_lxc(const char *text)
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

#endif
