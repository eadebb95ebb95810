/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What makes the LXC reader fast must not change what it reads: the cache of included files
 * (fileio.c), the key index of lxcconf.c and the entry storage. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check_main.h"
#include "cleanup.h"
#include "fileio.h"
#include "lxcconf.h"
#include "lxckeys.h"
#include "strbuf.h"

#ifndef CT_LXC_TEST_DATA
#error "CT_LXC_TEST_DATA must name tests/unit/data/lxc"
#endif

static struct strbuf warnings = STRBUF_INIT;

static void collect(void *data, const char *file, unsigned line, unsigned col, const char *msg)
{
	(void)data;
	(void)col;
	strbuf_printf(&warnings, "%s:%u: %s\n", file ? file : "?", line, msg);
}

static struct ct_diag diag = { collect, NULL, false, 0 };
static const struct lxcconf_opts opts = { NULL, &diag };

static char tmpdir[64];

static void make_tmpdir(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/ct-lxcperf-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void remove_tmpdir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

static char *tmp_path(const char *name)
{
	char *p;

	ck_assert_int_ge(asprintf(&p, "%s/%s", tmpdir, name), 0);
	return p;
}

/* Write name in tmpdir (through a new inode when fresh_inode) and give it mtime secs. */
static void put_file(const char *name, const char *text, time_t mtime, bool fresh_inode)
{
	cleanup_free char *path = tmp_path(name), *tmp = NULL;
	struct timespec ts[2] = { { mtime, 0 }, { mtime, 0 } };
	FILE *f;

	ck_assert_int_ge(asprintf(&tmp, "%s.new", path), 0);
	f = fopen(fresh_inode ? tmp : path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_ge(fputs(text, f), 0);
	ck_assert_int_eq(fclose(f), 0);
	if (fresh_inode)
		ck_assert_int_eq(rename(tmp, path), 0);
	ck_assert_int_eq(utimensat(AT_FDCWD, path, ts, 0), 0);
}

static int parse_main(const char *text, struct lxc_config **ret, struct ct_error **err)
{
	cleanup_free char *name = tmp_path("main.conf");

	strbuf_release(&warnings);
	return lxcconf_parse_buffer(text, strlen(text), name, &opts, ret, err);
}

static unsigned long hits(void)
{
	unsigned long h;

	ct_file_cache_stats(&h, NULL);
	return h;
}

static unsigned long misses(void)
{
	unsigned long m;

	ct_file_cache_stats(NULL, &m);
	return m;
}

static const char *value_of(const char *text, const char *key)
{
	cleanup_lxcconf struct lxc_config *c = NULL;
	cleanup_error struct ct_error *err = NULL;
	static char out[64];
	const char *v;

	ck_assert_msg(parse_main(text, &c, &err) == 0, "parse: %s", err ? err->msg : "");
	v = lxcconf_get(c, key);
	snprintf(out, sizeof(out), "%s", v ? v : "(none)");
	return out;
}

START_TEST(a_changed_included_file_is_read_again)
{
	const char *main_text = "lxc.include = inc.conf\n";
	unsigned long h0;

	ct_file_cache_setup(CT_FILE_CACHE_MAX_FILES, CT_FILE_CACHE_MAX_BYTES, 0);
	make_tmpdir();
	put_file("inc.conf", "lxc.uts.name = aa\n", 1000000000, false);
	ck_assert_str_eq(value_of(main_text, "lxc.uts.name"), "aa");
	h0 = hits();
	ck_assert_str_eq(value_of(main_text, "lxc.uts.name"), "aa");
	ck_assert_uint_eq(hits(), h0 + 1); /* the second parse used the cache */

	/* Another size; the same size with another mtime; another inode with everything else
	 * equal: each is seen. */
	put_file("inc.conf", "lxc.uts.name = bbb\n", 1000000000, false);
	ck_assert_str_eq(value_of(main_text, "lxc.uts.name"), "bbb");
	put_file("inc.conf", "lxc.uts.name = ccc\n", 1000000001, false);
	ck_assert_str_eq(value_of(main_text, "lxc.uts.name"), "ccc");
	put_file("inc.conf", "lxc.uts.name = ddd\n", 1000000001, true);
	ck_assert_str_eq(value_of(main_text, "lxc.uts.name"), "ddd");
	h0 = hits();
	ck_assert_str_eq(value_of(main_text, "lxc.uts.name"), "ddd");
	ck_assert_uint_eq(hits(), h0 + 1);
	remove_tmpdir();
}
END_TEST

START_TEST(a_file_changed_just_now_is_never_served_from_the_cache)
{
	const char *main_text = "lxc.include = inc.conf\n";
	cleanup_free char *path = NULL;
	unsigned long h0;

	ct_file_cache_setup(CT_FILE_CACHE_MAX_FILES, CT_FILE_CACHE_MAX_BYTES,
			    CT_FILE_CACHE_SETTLE_MS);
	make_tmpdir();
	path = tmp_path("inc.conf");
	put_file("inc.conf", "lxc.uts.name = aa\n", 1000000000, false);
	/* Its ctime is now: a same-size rewrite within the timestamp granularity could keep
	 * every stat field, so the file is not kept. */
	ck_assert_str_eq(value_of(main_text, "lxc.uts.name"), "aa");
	h0 = hits();
	ck_assert_str_eq(value_of(main_text, "lxc.uts.name"), "aa");
	ck_assert_uint_eq(hits(), h0);
	remove_tmpdir();
}
END_TEST

START_TEST(an_error_in_a_cached_file_is_located_in_it)
{
	const char *main_text = "lxc.uts.name = x\nlxc.include = bad.conf\n";
	unsigned long h0;

	ct_file_cache_setup(CT_FILE_CACHE_MAX_FILES, CT_FILE_CACHE_MAX_BYTES, 0);
	make_tmpdir();
	put_file("bad.conf", "# comment\nlxc.arch = x86_64\nlxc.bogus = 1\n", 1000000000, false);
	for (int round = 0; round < 2; round++) {
		cleanup_lxcconf struct lxc_config *c = NULL;
		cleanup_error struct ct_error *err = NULL;

		h0 = hits();
		ck_assert_int_lt(parse_main(main_text, &c, &err), 0);
		ck_assert_ptr_nonnull(err);
		ck_assert_ptr_nonnull(strstr(err->file, "/bad.conf"));
		ck_assert_uint_eq(err->line, 3);
		ck_assert_ptr_nonnull(strstr(err->msg, "lxc.bogus"));
		ck_assert_uint_eq(hits(), h0 + (unsigned long)round);
	}
	remove_tmpdir();
}
END_TEST

/* Entries, carry lines and warnings as text, for comparisons. */
static char *dump(const struct lxc_config *c)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < c->n; i++)
		strbuf_printf(&sb, "%s:%u: %s = %s\n", c->v[i].file ? c->v[i].file : "-",
			      c->v[i].line, c->v[i].key, c->v[i].value);
	for (size_t i = 0; i < c->ncarry; i++)
		strbuf_printf(&sb, "%s:%u: #oci:%s\n", c->carry[i].file ? c->carry[i].file : "-",
			      c->carry[i].line, c->carry[i].text);
	strbuf_puts(&sb, warnings.s ? warnings.s : "");
	return strbuf_steal(&sb);
}

static char *parse_and_dump(const char *path)
{
	cleanup_lxcconf struct lxc_config *c = NULL;
	cleanup_error struct ct_error *err = NULL;

	strbuf_release(&warnings);
	ck_assert_msg(lxcconf_parse_file(path, &opts, &c, &err) == 0, "%s: %s", path,
		      err ? err->msg : "");
	return dump(c);
}

START_TEST(cached_and_uncached_parses_give_the_same_result)
{
	static const char *const files[] = {
		CT_LXC_TEST_DATA "/main.conf",
		CT_LXC_TEST_DATA "/legacy.conf",
	};
	cleanup_free char *stock = NULL;

	make_tmpdir();
	stock = tmp_path("stock.conf");
	/* LXC's own files when installed (the benchmark's case), plus warnings and carry lines
	 * from included files. */
	put_file("legacy-inc.conf", "lxc.utsname = old\n#oci:{\"op\":\"add\"}\nlxc.pivotdir = x\n",
		 1000000000, false);
	put_file("stock.conf",
		 access("/usr/share/lxc/config/common.conf", R_OK) == 0
			 ? "lxc.include = /usr/share/lxc/config/common.conf\n"
			   "lxc.include = /usr/share/lxc/config/userns.conf\n"
			   "lxc.include = legacy-inc.conf\nlxc.arch = linux32\n"
			 : "lxc.include = legacy-inc.conf\nlxc.arch = linux32\n",
		 1000000000, false);
	for (size_t f = 0; f <= CT_ARRAY_SIZE(files); f++) {
		const char *path = f < CT_ARRAY_SIZE(files) ? files[f] : stock;
		cleanup_free char *uncached = NULL, *first = NULL, *second = NULL;
		unsigned long h0, m0;

		ct_file_cache_setup(0, 0, 0);
		uncached = parse_and_dump(path);
		ct_file_cache_setup(CT_FILE_CACHE_MAX_FILES, CT_FILE_CACHE_MAX_BYTES, 0);
		m0 = misses();
		first = parse_and_dump(path);
		h0 = hits();
		second = parse_and_dump(path);
		/* Every file the first parse read, the second found in the cache. */
		ck_assert_uint_eq(hits() - h0, misses() - m0);
		ck_assert_uint_eq(misses() - m0 > 0, f != 1); /* legacy.conf includes nothing */
		ck_assert_str_eq(first, uncached);
		ck_assert_str_eq(second, uncached);
	}
	remove_tmpdir();
}
END_TEST

START_TEST(the_cache_stays_within_its_bounds)
{
	char text[256] = "";
	unsigned long h0;

	/* Two files at most: parsing three includes in turn evicts, and stays correct. */
	ct_file_cache_setup(2, CT_FILE_CACHE_MAX_BYTES, 0);
	make_tmpdir();
	put_file("a.conf", "lxc.environment = A\n", 1000000000, false);
	put_file("b.conf", "lxc.environment = B\n", 1000000000, false);
	put_file("c.conf", "lxc.environment = C\n", 1000000000, false);
	snprintf(text, sizeof(text),
		 "lxc.include = a.conf\nlxc.include = b.conf\nlxc.include = c.conf\n");
	for (int round = 0; round < 3; round++) {
		cleanup_lxcconf struct lxc_config *c = NULL;
		cleanup_error struct ct_error *err = NULL;

		h0 = hits();
		ck_assert_int_eq(parse_main(text, &c, &err), 0);
		ck_assert_uint_eq(c->n, 3);
		ck_assert_str_eq(c->v[0].value, "A");
		ck_assert_str_eq(c->v[2].value, "C");
		ck_assert_uint_eq(hits(), h0); /* LRU order: each file was evicted before reuse */
	}
	/* Bytes bound: a file larger than the whole cache is not kept. */
	ct_file_cache_setup(CT_FILE_CACHE_MAX_FILES, 8, 0);
	h0 = hits();
	ck_assert_str_eq(value_of("lxc.include = a.conf\n", "lxc.environment"), "A");
	ck_assert_str_eq(value_of("lxc.include = a.conf\n", "lxc.environment"), "A");
	ck_assert_uint_eq(hits(), h0);
	remove_tmpdir();
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("lxcconf_perf");
	TCase *tc = tcase_create("include cache");

	tcase_add_test(tc, a_changed_included_file_is_read_again);
	tcase_add_test(tc, a_file_changed_just_now_is_never_served_from_the_cache);
	tcase_add_test(tc, an_error_in_a_cached_file_is_located_in_it);
	tcase_add_test(tc, cached_and_uncached_parses_give_the_same_result);
	tcase_add_test(tc, the_cache_stays_within_its_bounds);
	suite_add_tcase(s, tc);
	return s;
}
