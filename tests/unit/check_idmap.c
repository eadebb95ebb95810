/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* src/idmap.c: pass-through splits, overlaps, the id limits, /etc/subuid coverage. */
#include <string.h>

#include "check_main.h"
#include "cleanup.h"
#include "idmap.h"
#include "strbuf.h"

static char *format(const struct idmap *m)
{
	struct strbuf sb = STRBUF_INIT;

	idmap_format(m, &sb);
	strbuf_puts(&sb, "");
	return strbuf_steal(&sb);
}

static void split_both(struct idmap *m, const char *base, const uint64_t *ids, size_t n)
{
	cleanup_error struct ct_error *err = NULL;
	struct idmap_range b;

	ck_assert_int_eq(idmap_parse_base(base, 'u', &b, &err), 0);
	ck_assert_int_eq(idmap_split(m, &b, ids, n, &err), 0);
	b.kind = 'g';
	ck_assert_int_eq(idmap_split(m, &b, ids, n, &err), 0);
}

START_TEST(split_one_id_gives_the_guides_lines)
{
	cleanup_idmap struct idmap m = { 0 };
	cleanup_error struct ct_error *err = NULL;
	cleanup_free char *s = NULL;
	uint64_t id = 1000;

	split_both(&m, "0:100000:65536", &id, 1);
	s = format(&m);
	ck_assert_str_eq(s, "lxc.idmap = u 0 100000 1000\n"
			    "lxc.idmap = u 1000 1000 1\n"
			    "lxc.idmap = u 1001 101001 64535\n"
			    "lxc.idmap = g 0 100000 1000\n"
			    "lxc.idmap = g 1000 1000 1\n"
			    "lxc.idmap = g 1001 101001 64535\n");
	ck_assert_int_eq(idmap_check(&m, false, &err), 0);
}
END_TEST

START_TEST(split_several_ids_merges_neighbours_and_keeps_order)
{
	cleanup_idmap struct idmap m = { 0 };
	cleanup_error struct ct_error *err = NULL;
	cleanup_free char *s = NULL;
	uint64_t ids[] = { 1001, 5, 1000 };
	struct idmap_range b;

	ck_assert_int_eq(idmap_parse_base("0:100000:65536", 'u', &b, &err), 0);
	ck_assert_int_eq(idmap_split(&m, &b, ids, 3, &err), 0);
	s = format(&m);
	ck_assert_str_eq(s, "lxc.idmap = u 0 100000 5\n"
			    "lxc.idmap = u 5 5 1\n"
			    "lxc.idmap = u 6 100006 994\n"
			    "lxc.idmap = u 1000 1000 2\n"
			    "lxc.idmap = u 1002 101002 64534\n");
}
END_TEST

START_TEST(split_separate_uid_and_gid_lists)
{
	cleanup_idmap struct idmap m = { 0 };
	cleanup_error struct ct_error *err = NULL;
	cleanup_free char *s = NULL;
	uint64_t uids[] = { 1000 }, gids[] = { 44 };
	struct idmap_range b;

	ck_assert_int_eq(idmap_parse_base("0:100000:65536", 'u', &b, &err), 0);
	ck_assert_int_eq(idmap_split(&m, &b, uids, 1, &err), 0);
	b.kind = 'g';
	ck_assert_int_eq(idmap_split(&m, &b, gids, 1, &err), 0);
	s = format(&m);
	ck_assert_ptr_nonnull(strstr(s, "u 1000 1000 1\n"));
	ck_assert_ptr_nonnull(strstr(s, "g 44 44 1\n"));
	ck_assert_ptr_null(strstr(s, "g 1000 1000 1\n"));
	ck_assert_ptr_null(strstr(s, "u 44 44 1\n"));
	ck_assert_int_eq(idmap_check(&m, false, &err), 0);
}
END_TEST

START_TEST(split_at_range_edges)
{
	cleanup_idmap struct idmap m = { 0 };
	cleanup_error struct ct_error *err = NULL;
	cleanup_free char *s = NULL;
	uint64_t ids[] = { 0, 65535 };
	struct idmap_range b;

	ck_assert_int_eq(idmap_parse_base("0:100000:65536", 'u', &b, &err), 0);
	ck_assert_int_eq(idmap_split(&m, &b, ids, 2, &err), 0);
	s = format(&m);
	ck_assert_str_eq(s, "lxc.idmap = u 0 0 1\n"
			    "lxc.idmap = u 1 100001 65534\n"
			    "lxc.idmap = u 65535 65535 1\n");
	/* Passing root through maps container root to host root. */
	ck_assert_int_eq(idmap_add(&m, &(struct idmap_range){ 'g', 0, 100000, 65536 }, NULL), 0);
	ck_assert_int_lt(idmap_check(&m, false, &err), 0);
	ck_assert_ptr_nonnull(strstr(err->msg, "host root"));
	ck_assert_int_eq(idmap_check(&m, true, NULL), 0);
}
END_TEST

START_TEST(passthrough_outside_the_base_adds_a_range)
{
	cleanup_idmap struct idmap m = { 0 };
	cleanup_error struct ct_error *err = NULL;
	cleanup_free char *s = NULL;
	uint64_t id = 70000;

	split_both(&m, "0:100000:65536", &id, 1);
	s = format(&m);
	ck_assert_ptr_nonnull(strstr(s, "u 0 100000 65536\nlxc.idmap = u 70000 70000 1\n"));
}
END_TEST

START_TEST(passthrough_refuses_a_host_id_already_used)
{
	cleanup_idmap struct idmap m = { 0 };
	cleanup_error struct ct_error *err = NULL;
	struct idmap_range b;
	uint64_t id = 100005;

	ck_assert_int_eq(idmap_parse_base("0:100000:65536", 'u', &b, &err), 0);
	ck_assert_int_lt(idmap_split(&m, &b, &id, 1, &err), 0);
	ck_assert_ptr_nonnull(strstr(err->msg, "already the image of container uid 5"));
}
END_TEST

START_TEST(passthrough_twice_changes_nothing)
{
	cleanup_idmap struct idmap m = { 0 };
	struct idmap_range b = { 'u', 0, 100000, 65536 };
	bool changed;

	ck_assert_int_eq(idmap_add(&m, &b, NULL), 0);
	ck_assert_int_eq(idmap_passthrough(&m, 'u', 1000, &changed, NULL), 0);
	ck_assert(changed);
	ck_assert_uint_eq(m.n, 3);
	ck_assert_int_eq(idmap_passthrough(&m, 'u', 1000, &changed, NULL), 0);
	ck_assert(!changed);
	ck_assert_uint_eq(m.n, 3);
}
END_TEST

START_TEST(overlaps_on_either_side_are_found)
{
	cleanup_error struct ct_error *e1 = NULL, *e2 = NULL, *e3 = NULL;
	struct idmap_range a = { 'u', 0, 100000, 1000 }, g = { 'g', 0, 100000, 65536 };
	struct idmap_range ns_clash = { 'u', 999, 200000, 10 };
	struct idmap_range host_clash = { 'u', 5000, 100999, 1 };
	struct idmap_range adjacent = { 'u', 1000, 101000, 10 };
	cleanup_idmap struct idmap m1 = { 0 };
	cleanup_idmap struct idmap m2 = { 0 };
	cleanup_idmap struct idmap m3 = { 0 };

	ck_assert_int_eq(idmap_add(&m1, &a, NULL) + idmap_add(&m1, &g, NULL), 0);
	ck_assert_int_eq(idmap_add(&m1, &ns_clash, NULL), 0);
	ck_assert_int_lt(idmap_check(&m1, false, &e1), 0);
	ck_assert_ptr_nonnull(strstr(e1->msg, "container uids overlap"));

	ck_assert_int_eq(idmap_add(&m2, &a, NULL) + idmap_add(&m2, &g, NULL), 0);
	ck_assert_int_eq(idmap_add(&m2, &host_clash, NULL), 0);
	ck_assert_int_lt(idmap_check(&m2, false, &e2), 0);
	ck_assert_ptr_nonnull(strstr(e2->msg, "host uids overlap"));

	/* Touching ranges do not overlap; the same ids of the other kind do not either. */
	ck_assert_int_eq(idmap_add(&m3, &a, NULL) + idmap_add(&m3, &g, NULL), 0);
	ck_assert_int_eq(idmap_add(&m3, &adjacent, NULL), 0);
	ck_assert_int_eq(idmap_check(&m3, false, &e3), 0);
}
END_TEST

START_TEST(id_limit_edges)
{
	cleanup_error struct ct_error *err = NULL;
	struct idmap_range r;

	/* The last mappable id is 2^32-2: a range may end just before 2^32-1. */
	ck_assert_int_eq(idmap_parse_entry("u 0 4294967294 1", &r, NULL), 0);
	ck_assert_int_eq(idmap_parse_entry("u 4294967294 0 1", &r, NULL), 0);
	ck_assert_int_eq(idmap_parse_entry("u 0 0 4294967295", &r, NULL), 0);
	ck_assert_uint_eq(r.count, 4294967295ULL);
	ck_assert_int_lt(idmap_parse_entry("u 0 4294967295 1", &r, &err), 0);
	ck_assert_ptr_nonnull(strstr(err->msg, "ends past id 4294967294"));
	ck_assert_int_lt(idmap_parse_entry("u 1 0 4294967295", &r, NULL), 0);
	ck_assert_int_lt(idmap_parse_entry("u 0 0 4294967296", &r, NULL), 0);
	ck_assert_int_lt(idmap_parse_entry("u 0 0 0", &r, NULL), 0);
	ck_assert_int_lt(idmap_parse_entry("u 0 0 18446744073709551617", &r, NULL), 0);
	ck_assert_int_lt(idmap_parse_entry("x 0 0 1", &r, NULL), 0);
	ck_assert_int_lt(idmap_parse_entry("u 0 0", &r, NULL), 0);
	ck_assert_int_lt(idmap_parse_entry("u 0 0 1 1", &r, NULL), 0);
	ck_assert_int_lt(idmap_parse_entry("u -1 0 1", &r, NULL), 0);
	ck_assert_int_eq(idmap_parse_entry("  g\t5 6   7 ", &r, NULL), 0);
	ck_assert(r.kind == 'g' && r.ns == 5 && r.host == 6 && r.count == 7);
}
END_TEST

START_TEST(split_at_the_top_of_the_id_space)
{
	cleanup_idmap struct idmap m = { 0 };
	cleanup_free char *s = NULL;
	struct idmap_range b;
	uint64_t ids[] = { 4294967294ULL };

	ck_assert_int_eq(idmap_parse_base("4294967290:4294967290:5", 'u', &b, NULL), 0);
	ck_assert_int_eq(idmap_split(&m, &b, ids, 1, NULL), 0);
	s = format(&m);
	ck_assert_str_eq(s, "lxc.idmap = u 4294967290 4294967290 5\n");
	ids[0] = 4294967295ULL;
	ck_assert_int_lt(idmap_split(&m, &b, ids, 1, NULL), 0);
	ck_assert_int_lt(idmap_parse_base("4294967290:0:6", 'u', &b, NULL), 0);
	ck_assert_int_lt(idmap_parse_base("0:100000", 'u', &b, NULL), 0);
	ck_assert_int_lt(idmap_parse_base("0:100000:10:1", 'u', &b, NULL), 0);
}
END_TEST

START_TEST(root_must_be_mapped_for_both_kinds)
{
	cleanup_idmap struct idmap m = { 0 };
	cleanup_error struct ct_error *err = NULL, *err2 = NULL;
	struct idmap_range u = { 'u', 1, 100000, 10 }, g = { 'g', 0, 100000, 10 };

	ck_assert_int_eq(idmap_add(&m, &u, NULL) + idmap_add(&m, &g, NULL), 0);
	ck_assert_int_lt(idmap_check(&m, false, &err), 0);
	ck_assert_ptr_nonnull(strstr(err->msg, "container root (uid 0) is not mapped"));
	m.n = 1;
	m.v[0] = (struct idmap_range){ 'u', 0, 100000, 10 };
	ck_assert_int_lt(idmap_check(&m, false, &err2), 0);
	ck_assert_ptr_nonnull(strstr(err2->msg, "no gid ranges"));
}
END_TEST

START_TEST(subuid_coverage_as_newuidmap_sees_it)
{
	cleanup_idmap struct idmap a = { 0 };
	cleanup_error struct ct_error *err = NULL, *err2 = NULL;
	cleanup_idmap struct idmap b = { 0 };
	const char *file = "# comment\n"
			   "root:100000:1000\n"
			   "other:200000:65536\n"
			   "0:101000:64536\n"
			   "\n"
			   "root:300000:5\n";

	ck_assert_int_eq(idmap_subid_parse(file, "subuid", "root", 0, 'u', &a, &err), 0);
	ck_assert_uint_eq(a.n, 3);
	/* Two adjacent entries (by name and by uid) together cover the range. */
	ck_assert(idmap_subid_allows(&a, 0, 100000, 65536));
	ck_assert(!idmap_subid_allows(&a, 0, 100000, 65537));
	ck_assert(!idmap_subid_allows(&a, 0, 200000, 1));
	ck_assert(idmap_subid_allows(&a, 0, 300004, 1));
	ck_assert(!idmap_subid_allows(&a, 0, 300004, 2));
	/* The caller's own id alone is always allowed. */
	ck_assert(idmap_subid_allows(&a, 1000, 1000, 1));
	ck_assert(!idmap_subid_allows(&a, 1000, 1000, 2));
	ck_assert_int_lt(idmap_subid_parse("root:1\n", "subuid", "root", 0, 'u', &b, &err2), 0);
	ck_assert_str_eq(err2->file, "subuid");
	ck_assert_uint_eq(err2->line, 1);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("idmap");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, split_one_id_gives_the_guides_lines);
	tcase_add_test(tc, split_several_ids_merges_neighbours_and_keeps_order);
	tcase_add_test(tc, split_separate_uid_and_gid_lists);
	tcase_add_test(tc, split_at_range_edges);
	tcase_add_test(tc, passthrough_outside_the_base_adds_a_range);
	tcase_add_test(tc, passthrough_refuses_a_host_id_already_used);
	tcase_add_test(tc, passthrough_twice_changes_nothing);
	tcase_add_test(tc, overlaps_on_either_side_are_found);
	tcase_add_test(tc, id_limit_edges);
	tcase_add_test(tc, split_at_the_top_of_the_id_space);
	tcase_add_test(tc, root_must_be_mapped_for_both_kinds);
	tcase_add_test(tc, subuid_coverage_as_newuidmap_sees_it);
	suite_add_tcase(s, tc);
	return s;
}
