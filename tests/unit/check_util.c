/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* error.c, strbuf.c, jsonutil.c, fileio.c */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_main.h"
#include "cleanup.h"
#include "error.h"
#include "fileio.h"
#include "jsonutil.h"
#include "strbuf.h"

START_TEST(error_keeps_first_and_locates)
{
	cleanup_error struct ct_error *err = NULL;
	char buf[256];

	ck_assert_int_eq(ct_error_at(&err, "a.conf", 3, 0, "bad %s", "key"), -1);
	ck_assert_int_eq(ct_error_set(&err, EINVAL, "second"), -EINVAL);
	ck_assert_str_eq(err->msg, "bad key");
	ck_assert_str_eq(ct_error_where(err, buf, sizeof(buf)), "a.conf:3: ");
	err->col = 7;
	ck_assert_str_eq(ct_error_where(err, buf, sizeof(buf)), "a.conf:3:7: ");
	ct_error_prefix(&err, -1, "reading");
	ck_assert_str_eq(err->msg, "reading: bad key");
	ck_assert_int_eq(ct_error_set(NULL, ENOENT, "x"), -ENOENT);
}
END_TEST

START_TEST(strbuf_grows_and_formats)
{
	cleanup_strbuf struct strbuf sb = STRBUF_INIT;
	cleanup_free char *s = NULL;

	for (int i = 0; i < 1000; i++)
		strbuf_printf(&sb, "%d,", i);
	ck_assert_uint_gt(sb.len, 3000);
	ck_assert(strncmp(sb.s, "0,1,2,", 6) == 0);
	s = strbuf_steal(&sb);
	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_null(sb.s);
}
END_TEST

START_TEST(json_paths_create_get_delete)
{
	cleanup_json json_t *j = json_object();
	cleanup_error struct ct_error *err = NULL;

	ck_assert_int_eq(ct_json_set(j, "/linux/resources/pids/limit", json_integer(5), &err), 0);
	ck_assert_int_eq(json_integer_value(ct_json_get(j, "/linux/resources/pids/limit")), 5);
	ck_assert_ptr_nonnull(ct_json_arr(j, "/linux/namespaces"));
	ct_json_del(j, "/linux/resources/pids/limit", 1);
	ck_assert_ptr_null(ct_json_get(j, "/linux/resources"));
	ck_assert_ptr_nonnull(ct_json_get(j, "/linux/namespaces"));
	ck_assert_uint_eq(ct_json_hash(j), ct_json_hash(j));
}
END_TEST

/* Carry lines written by earlier versions hold this hash: it must stay the 64-bit FNV-1a of the
 * compact, key-sorted text, whatever member order the tree was built in. */
START_TEST(json_hash_is_fnv1a_of_the_canonical_text)
{
	cleanup_json json_t *o = ct_json_put(
		ct_json_put(
			json_object(), "b",
			ct_json_push(ct_json_push(json_array(), json_true()), ct_json_lit("x"))),
		"a", json_integer(1));
	cleanup_free char *text = ct_json_canonical(o);

	ck_assert_str_eq(text, "{\"a\":1,\"b\":[true,\"x\"]}");
	ck_assert_uint_eq(ct_json_hash(o), 0x7c2fa8e2bdafdba7ULL);
	ck_assert_uint_eq(ct_json_hash(NULL), 0);
}
END_TEST

/* The builders keep member order, and a failure anywhere in a nest releases everything and
 * gives NULL (ASan would report a leak). */
START_TEST(json_builders_nest_and_release_on_failure)
{
	cleanup_json json_t *o = ct_json_put(
		ct_json_put(json_object(), "b", ct_json_lit("x")), "a",
		ct_json_push(ct_json_push(json_array(), json_integer(1)), json_true()));
	cleanup_free char *text = json_dumps(o, JSON_COMPACT);

	ck_assert_str_eq(text, "{\"b\":\"x\",\"a\":[1,true]}");
	ck_assert_ptr_null(ct_json_put(json_object(), "k", NULL));
	ck_assert_ptr_null(ct_json_put(NULL, "k", json_string("leaked?")));
	ck_assert_ptr_null(ct_json_push(json_array(), NULL));
	ck_assert_ptr_null(ct_json_push(NULL, json_string("leaked?")));
	ck_assert_ptr_null(ct_json_put(ct_json_put(json_object(), "a", json_string("\xff")), "b",
				       json_array()));
}
END_TEST

START_TEST(atomic_write_leaves_no_partial_file)
{
	char dir[] = "/tmp/ct-unit-XXXXXX";
	cleanup_error struct ct_error *err = NULL;
	cleanup_free char *path = NULL, *buf = NULL;
	size_t len;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_ge(asprintf(&path, "%s/out", dir), 0);
	ck_assert_int_eq(ct_write_file_atomic(path, "hello\n", 6, 0644, &err), 0);
	ck_assert_int_eq(ct_read_file(path, 100, &buf, &len, &err), 0);
	ck_assert_str_eq(buf, "hello\n");
	free(steal_pointer(&buf));
	ck_assert_int_lt(ct_read_file(path, 3, &buf, &len, &err), 0);
	ck_assert_int_eq(err->status, EFBIG);
	unlink(path);
	rmdir(dir);
	/* A directory that does not exist: error, nothing created. */
	ct_error_freep(&err);
	ck_assert_int_lt(ct_write_file_atomic("/nonexistent-dir/x", "a", 1, 0644, &err), 0);
	ck_assert_ptr_nonnull(err);
}
END_TEST

START_TEST(atomic_write_never_replaces_a_device_or_a_symlink)
{
	char dir[] = "/tmp/ct-unit-XXXXXX";
	cleanup_error struct ct_error *err = NULL;
	cleanup_free char *target = NULL, *link = NULL, *buf = NULL;
	struct stat st;

	/* /dev/null stays the character device it is. */
	ck_assert_int_eq(ct_write_file_atomic("/dev/null", "x\n", 2, 0644, &err), 0);
	ck_assert_int_eq(stat("/dev/null", &st), 0);
	ck_assert_msg(S_ISCHR(st.st_mode), "/dev/null is still a character device");
	/* A symlink stays a symlink; what it points to gets the content. */
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_ge(asprintf(&target, "%s/target", dir), 0);
	ck_assert_int_ge(asprintf(&link, "%s/link", dir), 0);
	ck_assert_int_eq(ct_write_file_atomic(target, "old\n", 4, 0644, &err), 0);
	ck_assert_int_eq(symlink(target, link), 0);
	ck_assert_int_eq(ct_write_file_atomic(link, "new\n", 4, 0644, &err), 0);
	ck_assert_int_eq(lstat(link, &st), 0);
	ck_assert_msg(S_ISLNK(st.st_mode), "the link is still a link");
	ck_assert_int_eq(ct_read_file(target, 100, &buf, NULL, &err), 0);
	ck_assert_str_eq(buf, "new\n");
	unlink(link);
	unlink(target);
	rmdir(dir);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("util");

	tcase_add_test(tc, error_keeps_first_and_locates);
	tcase_add_test(tc, strbuf_grows_and_formats);
	tcase_add_test(tc, json_paths_create_get_delete);
	tcase_add_test(tc, json_hash_is_fnv1a_of_the_canonical_text);
	tcase_add_test(tc, json_builders_nest_and_release_on_failure);
	tcase_add_test(tc, atomic_write_leaves_no_partial_file);
	tcase_add_test(tc, atomic_write_never_replaces_a_device_or_a_symlink);
	suite_add_tcase(s, tc);
	return s;
}
