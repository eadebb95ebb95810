/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What makes the LXC reader fast must not change what it reads: the cache of included files
 * (fileio.c), the key index of lxcconf.c and the entry storage. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
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

#include "lxcconf_fixture.h"

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

static void set_mtime(const char *name, time_t mtime)
{
	cleanup_free char *path = tmp_path(name);
	struct timespec ts[2] = { { mtime, 0 }, { mtime, 0 } };

	ck_assert_int_eq(utimensat(AT_FDCWD, path, ts, 0), 0);
}

static const char *values_of(const char *text, const char *key)
{
	cleanup_lxcconf struct lxc_config *c = NULL;
	cleanup_error struct ct_error *err = NULL;
	static char out[128];
	const struct lxc_entry *e;

	out[0] = '\0';
	ck_assert_msg(parse_main(text, &c, &err) == 0, "parse: %s", err ? err->msg : "");
	for (size_t i = 0; (e = lxcconf_next(c, key, false, &i)); i++)
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s", out[0] ? "," : "",
			 e->value);
	return out;
}

START_TEST(a_changed_directory_is_listed_again)
{
	const char *main_text = "lxc.include = d/\n";
	cleanup_free char *dir = NULL;
	unsigned long h0;

	ct_file_cache_setup(CT_FILE_CACHE_MAX_FILES, CT_FILE_CACHE_MAX_BYTES, 0);
	make_tmpdir();
	dir = tmp_path("d");
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	put_file("d/20-b.conf", "lxc.environment = B\n", 1000000000, false);
	put_file("d/10-a.conf", "lxc.environment = A\n", 1000000000, false);
	put_file("d/README", "not a conf\n", 1000000000, false);
	set_mtime("d", 1000000000);
	ck_assert_str_eq(values_of(main_text, "lxc.environment"), "A,B");
	h0 = hits();
	ck_assert_str_eq(values_of(main_text, "lxc.environment"), "A,B");
	ck_assert_uint_eq(hits(), h0 + 3); /* the listing and both files */

	/* A file added, then one removed: the directory's mtime changes each time. */
	put_file("d/15-c.conf", "lxc.environment = C\n", 1000000000, false);
	set_mtime("d", 1000000001);
	ck_assert_str_eq(values_of(main_text, "lxc.environment"), "A,C,B");
	free(dir);
	dir = tmp_path("d/10-a.conf");
	ck_assert_int_eq(unlink(dir), 0);
	set_mtime("d", 1000000002);
	ck_assert_str_eq(values_of(main_text, "lxc.environment"), "C,B");
	ck_assert_str_eq(values_of(main_text, "lxc.environment"), "C,B");
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
	put_file("legacy-inc.conf",
		 "lxc.utsname = old\n#oci:{\"op\":\"add\"}\nlxc.pivotdir = x\n"
		 "lxc.network.type = veth\r\nlxc.network.link = br0\n  # comment\n\n"
		 "lxc.net.00.type = empty\rlxc.environment = \"quoted\"\nlxc.environment = 'a b'\n"
		 "lxc.cgroup =\nlxc.include = sub.conf\n #oci:  carried  \nlxc.cap.drop = x\n"
		 "lxc.cap.keep =\nlxc.mount.entry =   spaced value\t\nlxc.rootfs.backend = btrfs\n",
		 1000000000, false);
	put_file("sub.conf", "lxc.environment = SUB\nlxc.network.ipv4 = 10.0.0.1/24\n", 1000000000,
		 false);
	put_file("stock.conf",
		 access("/usr/share/lxc/config/common.conf", R_OK) == 0
			 ? "lxc.include = /usr/share/lxc/config/common.conf\n"
			   "lxc.include = /usr/share/lxc/config/userns.conf\n"
			   "lxc.include = legacy-inc.conf\nlxc.arch = linux32\n"
			 : "lxc.include = legacy-inc.conf\nlxc.arch = linux32\n",
		 1000000000, false);
	for (size_t f = 0; f <= CT_ARRAY_SIZE(files); f++) {
		const char *path = f < CT_ARRAY_SIZE(files) ? files[f] : stock;
		cleanup_free char *uncached = NULL, *first = NULL, *second = NULL, *third = NULL;
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
		/* The third parse replays the lines split by the second. */
		third = parse_and_dump(path);
		ck_assert_str_eq(first, uncached);
		ck_assert_str_eq(second, uncached);
		ck_assert_str_eq(third, uncached);
		/* Without room for the split lines: the same again. */
		ct_file_cache_setup(CT_FILE_CACHE_MAX_FILES, 4096, 0);
		free(second);
		free(third);
		second = parse_and_dump(path);
		third = parse_and_dump(path);
		ck_assert_str_eq(second, uncached);
		ck_assert_str_eq(third, uncached);
	}
	remove_tmpdir();
}
END_TEST

/* The result of parsing main.conf (which includes inc.conf) as text: entries, carry lines and
 * warnings, or the located error. */
static char *outcome(const char *main_text)
{
	cleanup_lxcconf struct lxc_config *c = NULL;
	cleanup_error struct ct_error *err = NULL;
	char *text;

	if (parse_main(main_text, &c, &err) == 0)
		return dump(c);
	ck_assert_ptr_nonnull(err);
	ck_assert_int_ge(asprintf(&text, "%s:%u: %s\n%s", err->file ? err->file : "-", err->line,
				  err->msg, warnings.s ? warnings.s : ""),
			 0);
	return text;
}

START_TEST(replayed_includes_depend_on_what_came_before_as_a_fresh_read_does)
{
	/* Each case: inc.conf, then main.conf around it. Lines of a cached include are replayed
	 * without a second look only when their effect does not depend on the parse so far. */
	static const char *const cases[][2] = {
		/* Interfaces set in the include count for the main file's legacy keys. */
		{ "lxc.net.3.type = veth\nlxc.net.3.link = br0\nlxc.net.5.type =\n",
		  "lxc.include = inc.conf\nlxc.network.type = veth\nlxc.network.link = br1\n" },
		/* ... and the other way round: legacy keys in the include after modern ones. */
		{ "lxc.network.type = veth\nlxc.network.link = br2\n",
		  "lxc.net.1.type = empty\nlxc.include = inc.conf\nlxc.net.1.mtu = 9\n" },
		/* Empty values and bare families clear what the main file set before. */
		{ "lxc.environment =\nlxc.cgroup =\nlxc.cap.keep =\nlxc.uts.name = inc\n",
		  "lxc.environment = A=1\nlxc.cgroup.cpu.shares = 2\nlxc.cap.drop = sys_time\n"
		  "lxc.include = inc.conf\nlxc.environment = B=2\n" },
		/* An interface reset in the main file drops what the include set, with a warning. */
		{ "lxc.net.0.link = br0\n", "lxc.include = inc.conf\nlxc.net.0.type = veth\n" },
		/* Errors on lines that look like plain assignments. */
		{ "lxc.uts.name = a\nlxc.cgroup = x\n", "lxc.include = inc.conf\n" },
		{ "lxc.uts.name = a\nlxc.mount.fstab =\n", "lxc.include = inc.conf\n" },
		/* Carry lines among plain lines, and lines that need a second look between. */
		{ "lxc.environment = A\n#oci:one\nlxc.utsname = legacy\nlxc.environment = B\n"
		  "#oci:two\nlxc.net.2.type = veth\n#oci:three\nlxc.include = sub.conf\n"
		  "lxc.environment = C\n",
		  "#oci:zero\nlxc.network.type = veth\nlxc.include = inc.conf\n"
		  "lxc.network.type = macvlan\n#oci:main\nlxc.include = inc.conf\n" },
		/* A legacy backend in the include applies to the main file's rootfs. */
		{ "lxc.rootfs.backend = btrfs\n#oci:{}\n",
		  "lxc.include = inc.conf\nlxc.rootfs.path = /r\n" },
	};

	make_tmpdir();
	put_file("sub.conf", "lxc.net.2.link = br9\n#oci:sub\nlxc.environment = S\n", 1000000000,
		 false);
	for (size_t k = 0; k < CT_ARRAY_SIZE(cases); k++) {
		cleanup_free char *uncached = NULL;

		put_file("inc.conf", cases[k][0], 1000000000, true);
		ct_file_cache_setup(0, 0, 0);
		uncached = outcome(cases[k][1]);
		ct_file_cache_setup(CT_FILE_CACHE_MAX_FILES, CT_FILE_CACHE_MAX_BYTES, 0);
		/* Read, split on the second use, replayed on the third and fourth. */
		for (int round = 0; round < 4; round++) {
			cleanup_free char *got = outcome(cases[k][1]);

			ck_assert_msg(strcmp(got, uncached) == 0, "case %zu round %d:\n%s\nvs\n%s",
				      k, round, got, uncached);
		}
	}
	remove_tmpdir();
}
END_TEST

START_TEST(the_entry_limit_is_located_in_a_replayed_include)
{
	cleanup_strbuf struct strbuf text = STRBUF_INIT;

	make_tmpdir();
	put_file("inc.conf",
		 "lxc.environment = 1\n#oci:x\nlxc.environment = 2\nlxc.environment = 3\n"
		 "lxc.environment = 4\nlxc.environment = 5\n",
		 1000000000, false);
	/* Room for two more entries after the main file's. */
	for (unsigned i = 0; i < LXCCONF_MAX_ENTRIES - 2; i++)
		strbuf_puts(&text, "lxc.environment = x\n");
	strbuf_puts(&text, "lxc.include = inc.conf\n");
	ck_assert(!text.oom);
	ct_file_cache_setup(CT_FILE_CACHE_MAX_FILES, CT_FILE_CACHE_MAX_BYTES, 0);
	for (int round = 0; round < 3; round++) {
		cleanup_lxcconf struct lxc_config *c = NULL;
		cleanup_error struct ct_error *err = NULL;

		ck_assert_int_lt(parse_main(text.s, &c, &err), 0);
		ck_assert_ptr_nonnull(err);
		ck_assert_ptr_nonnull(strstr(err->file, "/inc.conf"));
		ck_assert_uint_eq(err->line, 4);
		ck_assert_ptr_nonnull(strstr(err->msg, "configuration entries"));
	}
	remove_tmpdir();
}
END_TEST

START_TEST(a_config_outlives_the_cache_that_served_its_includes)
{
	const char *main_text = "lxc.include = inc.conf\nlxc.uts.name = m\n";
	const char *inc_text = "lxc.environment = A=1\nlxc.mount.entry = /a a none bind 0 0\n";
	cleanup_free char *uncached = NULL;

	make_tmpdir();
	put_file("inc.conf", inc_text, 1000000000, false);
	ct_file_cache_setup(0, 0, 0);
	uncached = outcome(main_text);
	ct_file_cache_setup(CT_FILE_CACHE_MAX_FILES, CT_FILE_CACHE_MAX_BYTES, 0);
	/* Round 0 reads inc.conf, round 1 splits its lines, round 2 replays them. */
	for (int round = 0; round < 3; round++) {
		cleanup_lxcconf struct lxc_config *c = NULL;
		cleanup_error struct ct_error *err = NULL;
		cleanup_free char *got = NULL;

		ck_assert_int_eq(parse_main(main_text, &c, &err), 0);
		if (round == 2) {
			/* The cache forgets the file, which then changes: the config's strings
			 * stay as they were read. */
			ct_file_cache_setup(0, 0, 0);
			put_file("inc.conf", "lxc.environment = B=2\n", 1000000000, true);
		}
		got = dump(c);
		ck_assert_str_eq(got, uncached);
		ck_assert_str_eq(lxcconf_get(c, "lxc.environment"), "A=1");
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

/* What lxcconf_get and lxcconf_next answered before the index: a scan. */
static const char *scan_get(const struct lxc_config *c, const char *key)
{
	for (size_t i = c->n; i-- > 0;)
		if (strcmp(c->v[i].key, key) == 0)
			return c->v[i].value;
	return NULL;
}

static size_t scan_next(const struct lxc_config *c, const char *key, bool prefix, size_t pos)
{
	for (; pos < c->n; pos++)
		if (prefix ? strncmp(c->v[pos].key, key, strlen(key)) == 0
			   : strcmp(c->v[pos].key, key) == 0)
			return pos;
	return SIZE_MAX;
}

/* Prefixes: shorter than a family, a family, within a family, a whole key. */
static const char *const prefixes[] = {
	"lxc.",
	"lxc.net.",
	"lxc.net.1",
	"lxc.cgroup",
	"lxc.cgroup.",
	"lxc.cap.",
	"lxc.sysctl.",
	"lxc.sysctl.k1",
	"lxc.mount.entry",
	"lxc.hook.start.x",
	"lxc",
	"",
};

static void assert_prefix_matches_scan(const struct lxc_config *c, const char *prefix)
{
	for (size_t start = 0; start <= c->n + 1; start++) {
		size_t pos = start, want_pos = scan_next(c, prefix, true, start);
		const struct lxc_entry *e = lxcconf_next(c, prefix, true, &pos);

		if (want_pos == SIZE_MAX) {
			ck_assert_ptr_null(e);
			continue;
		}
		ck_assert_msg(e == &c->v[want_pos], "prefix %s from %zu", prefix, start);
		ck_assert_uint_eq(pos, want_pos);
	}
}

static const char *const pool[] = {
	"lxc.mount.entry", "lxc.environment",	     "lxc.uts.name",	"lxc.cgroup.devices.allow",
	"lxc.cap.drop",	   "lxc.net.0.type",	     "lxc.net.10.type", "lxc.hook.start",
	"lxc.idmap",	   "lxc.cgroup2.memory.max",
};

static void assert_index_matches_scan(const struct lxc_config *c)
{
	for (size_t k = 0; k < CT_ARRAY_SIZE(pool); k++) {
		const char *want = scan_get(c, pool[k]), *got = lxcconf_get(c, pool[k]);

		ck_assert_msg(want == got, "lxcconf_get(%s): %s, scan %s", pool[k],
			      got ? got : "NULL", want ? want : "NULL");
		/* From every start position, not only in the usual loop. */
		for (size_t start = 0; start <= c->n + 1; start++) {
			size_t pos = start, want_pos = scan_next(c, pool[k], false, start);
			const struct lxc_entry *e = lxcconf_next(c, pool[k], false, &pos);

			if (want_pos == SIZE_MAX) {
				ck_assert_ptr_null(e);
				continue;
			}
			ck_assert_ptr_eq(e, &c->v[want_pos]);
			ck_assert_uint_eq(pos, want_pos);
		}
	}
	for (size_t k = 0; k < CT_ARRAY_SIZE(prefixes); k++)
		assert_prefix_matches_scan(c, prefixes[k]);
}

START_TEST(the_indexes_answer_as_a_scan_through_adds_clears_and_filters)
{
	cleanup_lxcconf struct lxc_config *c = lxcconf_new();
	cleanup_error struct ct_error *err = NULL;
	unsigned seed = 12345;
	size_t distinct = 0;
	bool keep[512];

	ck_assert_ptr_nonnull(c);
	for (int round = 0; round < 400; round++) {
		unsigned r = (seed = seed * 1103515245u + 12345u) >> 16;
		const char *key = pool[r % CT_ARRAY_SIZE(pool)];

		if (r % 37 == 0) {
			lxcconf_clear(c, key);
		} else if (r % 59 == 0 && c->n < CT_ARRAY_SIZE(keep)) {
			for (size_t i = 0; i < c->n; i++)
				keep[i] = (i + r) % 3 != 0;
			lxcconf_filter(c, keep);
		} else {
			char value[32], other[32];
			const char *add_key = key;

			/* One in five a new key: the table of keys grows and is rehashed. */
			snprintf(other, sizeof(other), "lxc.sysctl.k%d", round);
			if (r % 5 == 0)
				add_key = other;
			snprintf(value, sizeof(value), "v%d", round);
			ck_assert_int_eq(lxcconf_add(c, add_key, value, round % 2 ? "f.conf" : NULL,
						     (unsigned)round, &err),
					 0);
		}
		if (round % 20 == 0 || round == 399)
			assert_index_matches_scan(c);
	}
	ck_assert_uint_gt(c->n, 100); /* chains of many entries were followed */
	/* Over 32 distinct keys: past the index's first table of 64 slots. */
	for (size_t i = 0; lxcconf_next(c, "lxc.sysctl.k", true, &i); i++)
		distinct++;
	ck_assert_uint_gt(distinct, 32);
}
END_TEST

START_TEST(prefix_queries_answer_as_a_scan_with_keys_outside_lxc)
{
	static const char *const keys[] = { "lxc.cap.drop", "lxc.net.0.type", "lxc.cgroup.x",
					    "lxc.mount.entry" };
	static const char *const odd[] = { "lxc", "lx", "xlc.cap.drop", "lxcXcap.drop", "l" };
	cleanup_lxcconf struct lxc_config *c = lxcconf_new();
	cleanup_error struct ct_error *err = NULL;

	for (size_t k = 0; k < CT_ARRAY_SIZE(keys); k++)
		ck_assert_int_eq(lxcconf_add(c, keys[k], "v", NULL, 0, &err), 0);
	for (size_t k = 0; k < CT_ARRAY_SIZE(prefixes); k++)
		assert_prefix_matches_scan(c, prefixes[k]);
	/* Keys lxcconf_add takes although LXC has none like them: queries still see them. */
	for (size_t k = 0; k < CT_ARRAY_SIZE(odd); k++) {
		ck_assert_int_eq(lxcconf_add(c, odd[k], "v", NULL, 0, &err), 0);
		ck_assert_int_eq(lxcconf_add(c, keys[k % CT_ARRAY_SIZE(keys)], "w", NULL, 0, &err),
				 0);
		for (size_t p = 0; p < CT_ARRAY_SIZE(prefixes); p++)
			assert_prefix_matches_scan(c, prefixes[p]);
		assert_prefix_matches_scan(c, odd[k]);
	}
}
END_TEST

START_TEST(entries_keep_their_strings_and_files)
{
	cleanup_lxcconf struct lxc_config *c = lxcconf_new();
	cleanup_error struct ct_error *err = NULL;
	char file[64], longval[3000];
	const char *first_file;

	memset(longval, 'x', sizeof(longval) - 1);
	longval[sizeof(longval) - 1] = '\0';
	for (unsigned i = 0; i < 300; i++) {
		/* The caller's buffer changes after each call: entries hold copies. */
		snprintf(file, sizeof(file), "dir/file%u.conf", i / 100);
		ck_assert_int_eq(lxcconf_add(c, "lxc.environment", i == 150 ? longval : file, file,
					     i + 1, &err),
				 0);
	}
	ck_assert_uint_eq(c->n, 300);
	first_file = c->v[0].file;
	for (unsigned i = 0; i < 300; i++) {
		snprintf(file, sizeof(file), "dir/file%u.conf", i / 100);
		ck_assert_str_eq(c->v[i].file, file);
		ck_assert_str_eq(c->v[i].value, i == 150 ? longval : file);
		ck_assert_uint_eq(c->v[i].line, i + 1);
	}
	ck_assert_ptr_eq(c->v[99].file, first_file); /* one copy per file */
	ck_assert_int_eq(lxcconf_set_value(c, 3, "new", &err), 0);
	ck_assert_str_eq(c->v[3].value, "new");
	ck_assert_str_eq(c->v[4].value, "dir/file0.conf");
	ck_assert_str_eq(lxcconf_get(c, "lxc.environment"), "dir/file2.conf");
}
END_TEST

/* n environment lines, every seventh one cleared right after, then a scalar set twice. */
static void check_sized_config(unsigned n)
{
	cleanup_lxcconf struct lxc_config *c = NULL;
	cleanup_error struct ct_error *err = NULL;
	cleanup_strbuf struct strbuf text = STRBUF_INIT;
	unsigned kept = 0;

	for (unsigned i = 0; i < n; i++) {
		strbuf_printf(&text, "lxc.sysctl.k%u = %u\n", i, i);
		if (i % 7 == 3)
			strbuf_printf(&text, "lxc.sysctl.k%u =\n", i);
		else
			kept++;
	}
	strbuf_puts(&text, "lxc.uts.name = a\nlxc.net.0.type = veth\nlxc.uts.name = b\n");
	ck_assert_int_eq(lxcconf_parse_buffer(text.s, text.len, "sized.conf", &opts, &c, &err), 0);
	ck_assert_uint_eq(c->n, kept + 2);
	for (unsigned i = 0, k = 0; i < n; i++) {
		char key[32], value[16];

		if (i % 7 == 3)
			continue;
		snprintf(key, sizeof(key), "lxc.sysctl.k%u", i);
		snprintf(value, sizeof(value), "%u", i);
		ck_assert_str_eq(c->v[k].key, key);
		ck_assert_str_eq(c->v[k].value, value);
		ck_assert_str_eq(lxcconf_get(c, key), value);
		k++;
	}
	ck_assert_str_eq(lxcconf_get(c, "lxc.uts.name"), "b");
	ck_assert_str_eq(c->v[c->n - 1].key, "lxc.uts.name");
}

static void *sized_configs(void *arg)
{
	static const unsigned sizes[] = { 0, 1, 25, 100, 126, 127, 128, 129, 300, 2, 127, 1000, 5 };

	(void)arg;
	for (size_t k = 0; k < CT_ARRAY_SIZE(sizes); k++)
		check_sized_config(sizes[k]);
	return NULL;
}

START_TEST(configs_around_the_reader_s_internal_bounds_read_the_same)
{
	pthread_t t;

	/* Entry arrays are reused between configs of any size (see lxcconf.c), and the
	 * reader's work lists move off the stack past 128 entries; each thread keeps its own
	 * array, released when the thread ends (the sanitizers would see it leak). */
	sized_configs(NULL);
	ck_assert_int_eq(pthread_create(&t, NULL, sized_configs, NULL), 0);
	ck_assert_int_eq(pthread_join(t, NULL), 0);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("lxcconf_perf");
	TCase *tc = tcase_create("include cache");

	tcase_add_test(tc, a_changed_included_file_is_read_again);
	tcase_add_test(tc, a_changed_directory_is_listed_again);
	tcase_add_test(tc, a_file_changed_just_now_is_never_served_from_the_cache);
	tcase_add_test(tc, an_error_in_a_cached_file_is_located_in_it);
	tcase_add_test(tc, cached_and_uncached_parses_give_the_same_result);
	tcase_add_test(tc, the_cache_stays_within_its_bounds);
	tcase_add_test(tc, replayed_includes_depend_on_what_came_before_as_a_fresh_read_does);
	tcase_add_test(tc, a_config_outlives_the_cache_that_served_its_includes);
	tcase_add_test(tc, the_entry_limit_is_located_in_a_replayed_include);
	suite_add_tcase(s, tc);
	tc = tcase_create("entries");
	tcase_add_test(tc, the_indexes_answer_as_a_scan_through_adds_clears_and_filters);
	tcase_add_test(tc, prefix_queries_answer_as_a_scan_with_keys_outside_lxc);
	tcase_add_test(tc, entries_keep_their_strings_and_files);
	tcase_add_test(tc, configs_around_the_reader_s_internal_bounds_read_the_same);
	suite_add_tcase(s, tc);
	return s;
}
