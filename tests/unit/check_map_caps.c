/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* map_caps.c: lxc.cap.drop / lxc.cap.keep <-> process.capabilities. */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check_main.h"
#include "cleanup.h"
#include "families.h"
#include "jsonutil.h"
#include "lxcconf.h"

struct sink {
	unsigned n;
	char all[4096];
};

static void collect(void *data, const char *file, unsigned line, unsigned col, const char *msg)
{
	struct sink *s = data;
	size_t len = strlen(s->all);

	(void)col;
	s->n++;
	snprintf(s->all + len, sizeof(s->all) - len, "%s:%u: %s\n", file ? file : "-", line, msg);
}

/* lxc2oci of "KEY=VALUE" lines (line numbers from 1, file c.conf). */
static int to_oci(const char *const *lines, struct ct_translate_opts *opts, json_t **ret,
		  struct ct_error **err)
{
	cleanup_lxcconf struct lxc_config *conf = lxcconf_new();
	bool used[16] = { false };
	struct ct_ctx ctx = { .lxc = conf, .oci = json_object(), .opts = opts, .used = used };
	unsigned n = 0;
	int rc;

	for (; lines[n]; n++) {
		cleanup_free char *k = strdup(lines[n]);
		char *eq = strchr(k, '=');

		*eq = '\0';
		ck_assert_int_eq(lxcconf_add(conf, k, eq + 1, "c.conf", n + 1, err), 0);
	}
	rc = ct_family_caps.to_oci(&ctx, err);
	for (unsigned i = 0; rc == 0 && i < n; i++)
		if (strncmp(conf->v[i].key, "lxc.cap.", 8) == 0)
			ck_assert_msg(used[i], "entry %u used", i);
	*ret = ctx.oci;
	return rc;
}

static int to_lxc(json_t *oci, struct ct_translate_opts *opts, struct lxc_config **ret,
		  struct ct_error **err)
{
	struct ct_ctx ctx = { .lxc = lxcconf_new(), .oci = oci, .opts = opts };
	int rc;

	*ret = ctx.lxc;
	rc = ct_family_caps.to_lxc(&ctx, err);
	for (size_t i = 0; i < ctx.nwarned; i++)
		free(ctx.warned[i]);
	free(ctx.warned);
	return rc;
}

/* What map_caps calls every capability: the kernel's, within our bounding set. */
static size_t nfull(void)
{
	size_t n = 0;

	for (int c = 0; c < (int)cap_max_bits(); c++)
		n += cap_get_bound(c) != 0;
	return n;
}

static size_t nset(json_t *oci, const char *set)
{
	char p[64];

	snprintf(p, sizeof(p), "/process/capabilities/%s", set);
	return json_array_size(ct_json_get(oci, p));
}

static bool has(json_t *oci, const char *set, const char *cap)
{
	char p[64];
	json_t *v;
	size_t i;

	snprintf(p, sizeof(p), "/process/capabilities/%s", set);
	json_array_foreach (ct_json_get(oci, p), i, v)
		if (strcmp(json_string_value(v), cap) == 0)
			return true;
	return false;
}

/* LXC entries written, as "KEY=VALUE\n" lines. */
static char *dump(const struct lxc_config *c)
{
	cleanup_strbuf struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < c->n; i++)
		strbuf_printf(&sb, "%s=%s\n", c->v[i].key, c->v[i].value);
	return strbuf_steal(&sb) ?: strdup("");
}

START_TEST(drop_removes_from_full_set)
{
	static const char *const in[] = { "lxc.cap.drop=sys_module mac_admin", NULL };
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *oci = NULL;
	struct ct_translate_opts opts = { 0 };
	ck_assert_int_eq(to_oci(in, &opts, &oci, &err), 0);
	ck_assert_uint_eq(nset(oci, "bounding"), nfull() - 2);
	ck_assert(!has(oci, "bounding", "CAP_SYS_MODULE"));
	ck_assert(has(oci, "bounding", "CAP_SYS_ADMIN"));
	ck_assert_str_eq(json_string_value(ct_json_get(oci, "/process/capabilities/bounding/0")),
			 "CAP_CHOWN");
	ck_assert(json_equal(ct_json_get(oci, "/process/capabilities/bounding"),
			     ct_json_get(oci, "/process/capabilities/effective")));
	ck_assert(json_equal(ct_json_get(oci, "/process/capabilities/bounding"),
			     ct_json_get(oci, "/process/capabilities/permitted")));
	ck_assert_uint_eq(nset(oci, "inheritable"), 0);
	ck_assert_uint_eq(nset(oci, "ambient"), 0);
	/* written as oci2lxc writes it: no spelling to record */
	ck_assert_ptr_null(ct_json_get(oci, "/annotations"));
}
END_TEST

START_TEST(no_keys_give_root_the_full_set)
{
	static const char *const in[] = { NULL };
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *oci = NULL;
	cleanup_lxcconf struct lxc_config *back = NULL;
	struct ct_translate_opts opts = { 0 };

	ck_assert_int_eq(to_oci(in, &opts, &oci, &err), 0);
	ck_assert_uint_eq(nset(oci, "bounding"), nfull());
	ck_assert_int_eq(to_lxc(oci, &opts, &back, &err), 0);
	ck_assert_uint_eq(back->n, 0);
}
END_TEST

START_TEST(both_spellings_accepted_lxc_one_preferred)
{
	static const char *const in[] = { "lxc.cap.drop=CAP_SYS_MODULE",
					  "lxc.cap.drop=mac_admin 40", NULL };
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *oci = NULL, *oci2 = NULL;
	struct sink sink = { 0 };
	struct ct_diag diag = { .warn = collect, .data = &sink };
	struct ct_translate_opts opts = { .diag = &diag };

	ck_assert_int_eq(to_oci(in, &opts, &oci, &err), 0);
	ck_assert(!has(oci, "bounding", "CAP_SYS_MODULE"));
	ck_assert(!has(oci, "bounding", "CAP_MAC_ADMIN"));
	ck_assert(!has(oci, "bounding", "CAP_CHECKPOINT_RESTORE"));
	ck_assert_uint_eq(sink.n, 1);
	ck_assert_msg(strstr(sink.all, "c.conf:1: ") && strstr(sink.all, "\"sys_module\""), "%s",
		      sink.all);
	diag.strict = true;
	ck_assert_int_lt(to_oci(in, &opts, &oci2, &err), 0);
	ck_assert_uint_eq(err->line, 1);
}
END_TEST

START_TEST(keep_and_drop_together_is_an_error)
{
	static const char *const in[] = { "lxc.cap.keep=kill", "lxc.cap.drop=sys_time", NULL };
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *oci = NULL;
	struct ct_translate_opts opts = { 0 };

	ck_assert_int_lt(to_oci(in, &opts, &oci, &err), 0);
	ck_assert_str_eq(err->file, "c.conf");
	ck_assert_uint_eq(err->line, 2);
	ck_assert(strstr(err->msg, "cannot be combined"));
}
END_TEST

START_TEST(unknown_capability_is_located_error)
{
	static const char *const in[] = { "lxc.cap.keep=kill", "lxc.cap.keep=sys_frobnicate",
					  NULL };
	static const char *const none_drop[] = { "lxc.cap.drop=none", NULL };
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *oci = NULL, *oci2 = NULL;
	struct ct_translate_opts opts = { 0 };

	ck_assert_int_lt(to_oci(in, &opts, &oci, &err), 0);
	ck_assert_uint_eq(err->line, 2);
	ck_assert(strstr(err->msg, "sys_frobnicate"));
	ck_assert_ptr_nonnull(err->hint);
	ct_error_free(steal_pointer(&err));
	ck_assert_int_lt(to_oci(none_drop, &opts, &oci2, &err), 0);
	ck_assert(strstr(err->msg, "none"));
}
END_TEST

START_TEST(keep_none_and_keep_lists)
{
	static const char *const none[] = { "lxc.cap.keep=none", NULL };
	static const char *const after[] = { "lxc.cap.keep=sys_admin", "lxc.cap.keep=none",
					     "lxc.cap.keep=net_raw kill", NULL };
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *oci = NULL, *oci2 = NULL;
	struct ct_translate_opts opts = { 0 };

	ck_assert_int_eq(to_oci(none, &opts, &oci, &err), 0);
	ck_assert_ptr_null(ct_json_get(oci, "/process/capabilities"));
	ck_assert_int_eq(to_oci(after, &opts, &oci2, &err), 0);
	ck_assert_uint_eq(nset(oci2, "bounding"), 2);
	ck_assert_str_eq(json_string_value(ct_json_get(oci2, "/process/capabilities/bounding/0")),
			 "CAP_NET_RAW");
	ck_assert_uint_eq(nset(oci2, "effective"), 2);
}
END_TEST

START_TEST(non_root_init_has_no_effective_caps)
{
	static const char *const in[] = { "lxc.init.uid=1000", "lxc.cap.keep=kill", NULL };
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *oci = NULL;
	cleanup_lxcconf struct lxc_config *back = NULL;
	struct sink sink = { 0 };
	struct ct_diag diag = { .warn = collect, .data = &sink };
	struct ct_translate_opts opts = { .diag = &diag };

	ck_assert_int_eq(to_oci(in, &opts, &oci, &err), 0);
	ck_assert_uint_eq(nset(oci, "bounding"), 1);
	ck_assert_ptr_null(ct_json_get(oci, "/process/capabilities/effective"));
	ck_assert_ptr_null(ct_json_get(oci, "/process/capabilities/permitted"));
	/* OCI effective caps for a non-root user without ambient ones: an OCI runtime's
	 * init loses them at its execve too, nothing to warn about */
	ct_json_set(oci, "/process/user/uid", json_integer(1000), &err);
	ct_json_set(oci, "/process/capabilities/effective", json_pack("[s]", "CAP_KILL"), &err);
	ct_json_set(oci, "/process/capabilities/permitted", json_pack("[s]", "CAP_KILL"), &err);
	ck_assert_int_eq(to_lxc(oci, &opts, &back, &err), 0);
	ck_assert_uint_eq(sink.n, 0);
	/* with CAP_KILL ambient (and so permitted and inheritable) the runtime's init keeps it:
	 * every set is warned about, named */
	ct_json_set(oci, "/process/capabilities/inheritable", json_pack("[s]", "CAP_KILL"), &err);
	ct_json_set(oci, "/process/capabilities/ambient", json_pack("[s]", "CAP_KILL"), &err);
	lxcconf_free(steal_pointer(&back));
	ck_assert_int_eq(to_lxc(oci, &opts, &back, &err), 0);
	ck_assert_uint_eq(sink.n, 4);
	ck_assert_msg(strstr(sink.all, "/process/capabilities/effective: ") &&
			      strstr(sink.all, "non-root init has no capabilities") &&
			      strstr(sink.all, "/process/capabilities/permitted: ") &&
			      strstr(sink.all, "/process/capabilities/inheritable: ") &&
			      strstr(sink.all, "/process/capabilities/ambient: "),
		      "%s", sink.all);
}
END_TEST

START_TEST(runc_spec_caps_round_trip_carries_only_ambient_quietly)
{
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *in = NULL, *back = NULL;
	cleanup_lxcconf struct lxc_config *conf = NULL;
	cleanup_free char *lines = NULL;
	struct sink sink = { 0 };
	struct ct_diag diag = { .warn = collect, .data = &sink };
	struct ct_translate_opts opts = { .diag = &diag };
	static const char *const sets[] = { "bounding", "effective", "permitted" };
	bool used[4] = { false };
	struct ct_ctx ctx;

	in = json_pack("{s:{s:{s:i,s:i}, s:{s:[s,s,s], s:[s,s,s], s:[s,s,s], s:[s,s,s]}}}",
		       "process", "user", "uid", 0, "gid", 0, "capabilities", "bounding",
		       "CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE", "effective",
		       "CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE", "permitted",
		       "CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE", "ambient",
		       "CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");
	ck_assert_int_eq(to_lxc(in, &opts, &conf, &err), 0);
	lines = dump(conf);
	ck_assert_str_eq(lines, "lxc.cap.keep=audit_write kill net_bind_service\n");
	/* no inheritable set: runc cannot raise the ambient ones either, no warning */
	ck_assert_msg(sink.n == 0, "%s", sink.all);
	/* back: every set equal but ambient, which only a carry line can give */
	ctx = (struct ct_ctx){ .lxc = conf, .oci = json_object(), .opts = &opts, .used = used };
	ck_assert_int_eq(ct_family_caps.to_oci(&ctx, &err), 0);
	back = ctx.oci;
	for (size_t i = 0; i < CT_ARRAY_SIZE(sets); i++) {
		char p[64];

		snprintf(p, sizeof(p), "/process/capabilities/%s", sets[i]);
		ck_assert_msg(json_equal(ct_json_get(back, p), ct_json_get(in, p)), "%s", sets[i]);
	}
	ck_assert_ptr_null(ct_json_get(back, "/process/capabilities/ambient"));
	ck_assert_ptr_null(ct_json_get(back, "/annotations"));
}
END_TEST

START_TEST(lxc_round_trip_keeps_lines_order_and_spelling)
{
	static const char *const in[] = { "lxc.cap.drop=sys_time sys_module",
					  "lxc.cap.drop=CAP_MAC_ADMIN", NULL };
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *oci = NULL;
	cleanup_lxcconf struct lxc_config *back = NULL;
	cleanup_free char *lines = NULL;
	struct ct_translate_opts opts = { 0 };

	ck_assert_int_eq(to_oci(in, &opts, &oci, &err), 0);
	ck_assert_ptr_nonnull(ct_json_get(oci, "/annotations/org.ctlaunch.meta.cap"));
	ck_assert_int_eq(to_lxc(oci, &opts, &back, &err), 0);
	lines = dump(back);
	/* the lines as written, but in the only spelling liblxc loads */
	ck_assert_str_eq(lines, "lxc.cap.drop=sys_time sys_module\nlxc.cap.drop=mac_admin\n");
	/* an edited bounding set makes the recorded lines stale: canonical lines instead */
	json_array_remove(ct_json_get(oci, "/process/capabilities/bounding"), 0);
	lxcconf_free(steal_pointer(&back));
	free(steal_pointer(&lines));
	ck_assert_int_eq(to_lxc(oci, &opts, &back, &err), 0);
	lines = dump(back);
	ck_assert_str_eq(lines, "lxc.cap.drop=chown sys_module sys_time mac_admin\n");
}
END_TEST

START_TEST(oci_bounding_picks_shorter_spelling)
{
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *empty = json_pack("{s:{s:{s:[]}}}", "process", "capabilities",
					       "bounding");
	cleanup_json json_t *unsorted = json_pack("{s:{s:{s:[s,s]}}}", "process", "capabilities",
						  "bounding", "CAP_SYS_ADMIN", "CAP_CHOWN");
	cleanup_lxcconf struct lxc_config *a = NULL, *b = NULL;
	cleanup_free char *la = NULL, *lb = NULL;
	struct ct_translate_opts opts = { 0 };

	ck_assert_int_eq(to_lxc(empty, &opts, &a, &err), 0);
	la = dump(a);
	ck_assert_str_eq(la, "lxc.cap.keep=none\n");
	ck_assert_int_eq(to_lxc(unsorted, &opts, &b, &err), 0);
	lb = dump(b);
	ck_assert_str_eq(lb, "lxc.cap.keep=sys_admin chown\n");
}
END_TEST

/* Every capability < cap_max_bits() as an OCI list. */
static json_t *kernel_set(void)
{
	json_t *a = json_array();

	for (int c = 0; c < (int)cap_max_bits(); c++) {
		char *n = cap_to_name(c), *u = strdup(n);

		for (char *p = u; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		json_array_append_new(a, json_string(u));
		free(u);
		cap_free(n);
	}
	return a;
}

/* The translator names capabilities from a static table: with a user namespace and nothing
 * dropped, the bounding set must be libcap's names for 0..cap_max_bits()-1, in that order. */
START_TEST(full_set_names_are_libcaps_in_order)
{
	static const char *const idmap[] = { "lxc.idmap=u 0 100000 65536",
					     "lxc.idmap=g 0 100000 65536", NULL };
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *oci = NULL;
	struct ct_translate_opts opts = { 0 };
	json_t *bnd;

	ck_assert_int_eq(to_oci(idmap, &opts, &oci, &err), 0);
	bnd = ct_json_get(oci, "/process/capabilities/bounding");
	ck_assert_uint_eq(json_array_size(bnd), (size_t)cap_max_bits());
	for (cap_value_t i = 0; i < cap_max_bits(); i++) {
		char *name = cap_to_name(i); /* libcap's memory: cap_free(), not free() */
		char want[64];

		ck_assert_ptr_nonnull(name);
		snprintf(want, sizeof(want), "%s", name); /* "cap_chown" */
		cap_free(name);
		for (char *p = want; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		ck_assert_str_eq(json_string_value(json_array_get(bnd, (size_t)i)), want);
	}
}
END_TEST

START_TEST(user_namespace_gets_the_kernels_full_set)
{
	static const char *const idmap[] = { "lxc.idmap=u 0 100000 65536",
					     "lxc.idmap=g 0 100000 65536",
					     "lxc.cap.drop=sys_module", NULL };
	static const char *const keep_ns[] = { "lxc.namespace.keep=net", "lxc.cap.drop=sys_module",
					       NULL };
	static const char *const clone_ns[] = { "lxc.namespace.clone=pid USER",
						"lxc.cap.drop=sys_module", NULL };
	static const char *const kept_user[] = { "lxc.idmap=u 0 100000 65536",
						 "lxc.namespace.keep=user",
						 "lxc.cap.drop=sys_module", NULL };
	static const char *const plain[] = { "lxc.cap.drop=sys_module", NULL };
	const char *const *userns[] = { idmap, keep_ns, clone_ns };
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *oci = NULL, *full = kernel_set();
	cleanup_lxcconf struct lxc_config *back = NULL, *back2 = NULL;
	struct ct_translate_opts opts = { 0 };

	for (size_t i = 0; i < CT_ARRAY_SIZE(userns); i++) {
		cleanup_json json_t *o = NULL;

		ck_assert_int_eq(to_oci(userns[i], &opts, &o, &err), 0);
		/* also the capabilities this process's bounding set lacks */
		ck_assert_uint_eq(nset(o, "bounding"), cap_max_bits() - 1);
		ck_assert(has(o, "bounding", "CAP_SYS_RESOURCE"));
		ck_assert(!has(o, "bounding", "CAP_SYS_MODULE"));
		ck_assert_ptr_null(ct_json_get(o, "/annotations"));
	}
	/* without one, only what this process may hand on (kept user namespace included) */
	ck_assert_int_eq(to_oci(kept_user, &opts, &oci, &err), 0);
	ck_assert_uint_eq(nset(oci, "bounding"), nfull() - 1);
	json_decref(steal_pointer(&oci));
	ck_assert_int_eq(to_oci(plain, &opts, &oci, &err), 0);
	ck_assert_uint_eq(nset(oci, "bounding"), nfull() - 1);
	json_decref(steal_pointer(&oci));

	/* OCI: the kernel's whole set with a user namespace is liblxc's default, no key */
	oci = json_pack("{s:{s:{s:O}}, s:{s:[{s:s}]}}", "process", "capabilities", "bounding", full,
			"linux", "namespaces", "type", "user");
	ck_assert_int_eq(to_lxc(oci, &opts, &back, &err), 0);
	ck_assert_uint_eq(back->n, 0);
	/* without one it is the default only when this process holds every capability */
	json_object_del(oci, "linux");
	ck_assert_int_eq(to_lxc(oci, &opts, &back2, &err), 0);
	ck_assert_uint_eq(back2->n, nfull() == (size_t)cap_max_bits() ? 0 : 1);
}
END_TEST

START_TEST(other_spellings_are_written_back_as_liblxc_spells_them)
{
	static const char *const one[] = { "lxc.cap.drop=CAP_SYS_RAWIO", NULL };
	static const char *const two[] = { "lxc.cap.drop=cap_sys_time  SYS_MODULE",
					   "lxc.cap.drop=CAP_SYS_RAWIO 23", NULL };
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *oci1 = NULL, *oci2 = NULL;
	cleanup_json json_t *handmade = json_pack(
		"{s:{s:{s:[s]}}, s:{s:s}}", "process", "capabilities", "bounding", "CAP_KILL",
		"annotations", "org.ctlaunch.meta.cap", "lxc.cap.keep=CAP_KILL");
	cleanup_lxcconf struct lxc_config *b1 = NULL, *b2 = NULL, *b3 = NULL;
	cleanup_free char *l1 = NULL, *l2 = NULL, *l3 = NULL;
	struct sink sink = { 0 };
	struct ct_diag diag = { .warn = collect, .data = &sink };
	struct ct_translate_opts opts = { .diag = &diag };

	/* accepted, with a warning that names the spelling it comes back in */
	ck_assert_int_eq(to_oci(one, &opts, &oci1, &err), 0);
	ck_assert(!has(oci1, "bounding", "CAP_SYS_RAWIO"));
	ck_assert_uint_eq(sink.n, 1);
	ck_assert_msg(strstr(sink.all, "\"CAP_SYS_RAWIO\"") && strstr(sink.all, "\"sys_rawio\""),
		      "%s", sink.all);
	/* one line: only the spelling differed, so nothing is recorded */
	ck_assert_ptr_null(ct_json_get(oci1, "/annotations"));
	ck_assert_int_eq(to_lxc(oci1, &opts, &b1, &err), 0);
	l1 = dump(b1);
	ck_assert_str_eq(l1, "lxc.cap.drop=sys_rawio\n");
	/* two lines: recorded, in liblxc's spelling, numbers and blanks as written */
	ck_assert_int_eq(to_oci(two, &opts, &oci2, &err), 0);
	ck_assert_uint_eq(sink.n, 4);
	ck_assert_str_eq(json_string_value(ct_json_get(oci2, "/annotations/org.ctlaunch.meta.cap")),
			 "lxc.cap.drop=sys_time  sys_module\nlxc.cap.drop=sys_rawio 23");
	ck_assert_int_eq(to_lxc(oci2, &opts, &b2, &err), 0);
	l2 = dump(b2);
	ck_assert_str_eq(l2, "lxc.cap.drop=sys_time  sys_module\nlxc.cap.drop=sys_rawio 23\n");
	/* a recorded line in another spelling (written by hand) is written in liblxc's */
	ck_assert_int_eq(to_lxc(handmade, &opts, &b3, &err), 0);
	l3 = dump(b3);
	ck_assert_str_eq(l3, "lxc.cap.keep=kill\n");
}
END_TEST

/* oci2lxc of a document with these capabilities (the rest as oci2lxc writes no carry line
 * for); ret_sink gets the warnings. */
static struct lxc_config *translate(json_t *caps, int uid, struct sink *ret_sink,
				    struct ct_error **err)
{
	cleanup_json json_t *doc = json_pack(
		"{s:s, s:{s:b, s:{s:i, s:i}, s:[s], s:[], s:s, s:O}, s:{s:s}, s:[{s:s, s:s, s:s}]}",
		"ociVersion", "1.0.2-dev", "process", "terminal", 0, "user", "uid", uid, "gid", 0,
		"args", "/probe", "env", "cwd", "/", "capabilities", caps, "root", "path",
		"/rootfs", "mounts", "destination", "/dev", "type", "tmpfs", "source", "tmpfs");
	struct ct_diag diag = { .warn = collect, .data = ret_sink };
	struct ct_translate_opts opts = { .diag = &diag };
	struct lxc_config *conf = NULL;

	ck_assert_ptr_nonnull(doc);
	if (ct_oci_to_lxc(doc, &opts, &conf, NULL, err) < 0)
		return NULL;
	return conf;
}

static bool carries(const struct lxc_config *c, const char *pointer)
{
	for (size_t i = 0; i < c->ncarry; i++)
		if (strncmp(c->carry[i].text + strspn(c->carry[i].text, " "), pointer,
			    strlen(pointer)) == 0)
			return true;
	return false;
}

START_TEST(only_real_differences_in_the_sets_are_warned)
{
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *runc = json_pack("{s:[s,s], s:[s,s], s:[s,s], s:[s,s]}", "bounding",
					      "CAP_KILL", "CAP_CHOWN", "effective", "CAP_KILL",
					      "CAP_CHOWN", "permitted", "CAP_KILL", "CAP_CHOWN",
					      "ambient", "CAP_KILL", "CAP_CHOWN");
	cleanup_json json_t *inh = json_pack("{s:[s,s], s:[], s:[s], s:[s], s:[s,s]}", "bounding",
					     "CAP_KILL", "CAP_CHOWN", "effective", "permitted",
					     "CAP_KILL", "inheritable", "CAP_KILL", "ambient",
					     "CAP_KILL", "CAP_CHOWN");
	cleanup_lxcconf struct lxc_config *a = NULL, *b = NULL, *c = NULL, *d = NULL;
	struct sink sa = { 0 }, sb = { 0 }, sc = { 0 }, sd = { 0 };

	/* runc spec's shape (no inheritable set): the init's sets are the same under both
	 * runtimes; the carry line keeps the ambient set, without a warning */
	a = translate(runc, 0, &sa, &err);
	ck_assert_ptr_nonnull(a);
	ck_assert_msg(sa.n == 0, "%s", sa.all);
	ck_assert(carries(a, "/process/capabilities/ambient "));
	b = translate(runc, 1000, &sb, &err);
	ck_assert_ptr_nonnull(b);
	ck_assert_msg(sb.n == 0, "%s", sb.all);
	ck_assert(carries(b, "/process/capabilities/effective "));
	/* root with an inheritable set: CapInh and CapAmb differ (CAP_KILL is ambient under
	 * runc), effective and permitted do not (root's execve gives the bounding set) */
	c = translate(inh, 0, &sc, &err);
	ck_assert_ptr_nonnull(c);
	ck_assert_msg(sc.n == 2 && strstr(sc.all, "/process/capabilities/inheritable: ") &&
			      strstr(sc.all, "/process/capabilities/ambient: "),
		      "%s", sc.all);
	ck_assert(carries(c, "/process/capabilities/effective "));
	/* a non-root one keeps CAP_KILL under runc and nothing under liblxc */
	d = translate(inh, 1000, &sd, &err);
	ck_assert_ptr_nonnull(d);
	ck_assert_msg(sd.n == 4, "%s", sd.all);
}
END_TEST

/* The bounding set is read from /proc/thread-self/status when it can be: a capability dropped
 * from this thread's bounding set is not in "every capability" (checked in a child, which may
 * drop it). */
START_TEST(a_capability_dropped_from_our_bounding_set_is_not_in_the_full_set)
{
	int status;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		static const char *const in[] = { NULL };
		struct ct_error *err = NULL;
		json_t *oci = NULL;
		struct ct_translate_opts opts = { 0 };

		if (prctl(PR_CAPBSET_DROP, CAP_SYS_BOOT, 0, 0, 0) < 0)
			_exit(77); /* not allowed to: nothing to prove here */
		if (to_oci(in, &opts, &oci, &err) < 0)
			_exit(2);
		if (has(oci, "bounding", "CAP_SYS_BOOT") || !has(oci, "bounding", "CAP_CHOWN") ||
		    nset(oci, "bounding") != nfull())
			_exit(1);
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_msg(WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 77, "child: %d",
		      WEXITSTATUS(status));
}
END_TEST

/* Does an empty config's bounding set, translated on the calling thread, hold cap? */
static bool full_set_has(cap_value_t cap)
{
	static const char *const in[] = { NULL };
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *oci = NULL;
	struct ct_translate_opts opts = { 0 };
	char *name = cap_to_name(cap), upper[64] = "";

	ck_assert_ptr_nonnull(name);
	for (size_t i = 0; name[i] && i + 1 < sizeof(upper); i++)
		upper[i] = (char)toupper((unsigned char)name[i]), upper[i + 1] = '\0';
	cap_free(name);
	ck_assert_int_eq(to_oci(in, &opts, &oci, &err), 0);
	return has(oci, "bounding", upper);
}

struct other_thread {
	cap_value_t cap;
	bool dropped, has;
};

static void *drop_and_translate(void *arg)
{
	struct other_thread *o = arg;

	o->dropped = prctl(PR_CAPBSET_DROP, o->cap, 0, 0, 0) == 0;
	o->has = full_set_has(o->cap);
	return NULL;
}

/* The bounding set is read once per thread: another thread's smaller set is its own, and a
 * thread that shrinks its set sees it after ct_caps_forget_bounding(). */
START_TEST(bounding_set_is_read_once_per_thread_until_forgotten)
{
	cap_value_t mine = -1, other = -1;
	int status;
	pid_t pid;

	/* two capabilities we hold and can drop without losing the right to drop */
	for (cap_value_t c = 0; c < (cap_value_t)cap_max_bits() && other < 0; c++) {
		if (c == CAP_SETPCAP || cap_get_bound(c) != 1)
			continue;
		if (mine < 0)
			mine = c;
		else
			other = c;
	}
	if (other < 0 || geteuid() != 0) {
		ck_assert_msg(!getenv("CI"), "CI runs the unit tests as root: this must not skip");
		fprintf(stderr, "SKIP bounding_set_is_read_once_per_thread_until_forgotten: needs "
				"root with two capabilities to drop\n");
		return;
	}
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct other_thread o = { .cap = other };
		pthread_t t;

		if (!full_set_has(mine) || !full_set_has(other))
			_exit(1);
		if (prctl(PR_CAPBSET_DROP, mine, 0, 0, 0) < 0)
			_exit(2);
		if (!full_set_has(mine))
			_exit(3); /* read again although nothing asked for it */
		if (pthread_create(&t, NULL, drop_and_translate, &o) != 0 ||
		    pthread_join(t, NULL) != 0 || !o.dropped)
			_exit(4);
		if (o.has)
			_exit(5); /* the other thread got this thread's answer */
		if (!full_set_has(other))
			_exit(6); /* this thread got the other thread's answer */
		ct_caps_forget_bounding();
		if (full_set_has(mine))
			_exit(7); /* forgetting did not make it read the set again */
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_msg(WEXITSTATUS(status) == 0, "child failed at step %d", WEXITSTATUS(status));
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("map_caps");
	TCase *t = tcase_create("caps");

	tcase_add_test(t, drop_removes_from_full_set);
	tcase_add_test(t, no_keys_give_root_the_full_set);
	tcase_add_test(t, both_spellings_accepted_lxc_one_preferred);
	tcase_add_test(t, keep_and_drop_together_is_an_error);
	tcase_add_test(t, unknown_capability_is_located_error);
	tcase_add_test(t, keep_none_and_keep_lists);
	tcase_add_test(t, non_root_init_has_no_effective_caps);
	tcase_add_test(t, runc_spec_caps_round_trip_carries_only_ambient_quietly);
	tcase_add_test(t, lxc_round_trip_keeps_lines_order_and_spelling);
	tcase_add_test(t, oci_bounding_picks_shorter_spelling);
	tcase_add_test(t, full_set_names_are_libcaps_in_order);
	tcase_add_test(t, user_namespace_gets_the_kernels_full_set);
	tcase_add_test(t, other_spellings_are_written_back_as_liblxc_spells_them);
	tcase_add_test(t, only_real_differences_in_the_sets_are_warned);
	tcase_add_test(t, a_capability_dropped_from_our_bounding_set_is_not_in_the_full_set);
	tcase_add_test(t, bounding_set_is_read_once_per_thread_until_forgotten);
	suite_add_tcase(s, t);
	return s;
}
