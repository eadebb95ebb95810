/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lxcconf_parse.c and lxcconf_write.c: reading LXC configs as liblxc 5 does, writing them back. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_main.h"
#include "cleanup.h"
#include "lxcconf.h"
#include "lxckeys.h"
#include "strbuf.h"

#include "lxcconf_fixture.h"

static void reset_warnings(void)
{
	strbuf_release(&warnings);
	diag.count = 0;
	diag.strict = false;
}

static int parse(const char *text, struct lxc_config **ret, struct ct_error **err)
{
	reset_warnings();
	return lxcconf_parse_buffer(text, strlen(text), "test.conf", &opts, ret, err);
}

static void assert_entry(const struct lxc_config *c, size_t i, const char *key, const char *value)
{
	ck_assert_msg(i < c->n, "entry %zu missing (%zu entries)", i, c->n);
	ck_assert_str_eq(c->v[i].key, key);
	ck_assert_str_eq(c->v[i].value, value);
}

static void assert_error(struct ct_error *err, const char *file, unsigned line,
			 const char *msg_part)
{
	ck_assert_ptr_nonnull(err);
	ck_assert_msg(strstr(err->msg, msg_part), "message \"%s\" lacks \"%s\"", err->msg,
		      msg_part);
	if (file)
		ck_assert_msg(err->file && strstr(err->file, file), "error in %s, expected %s",
			      err->file ? err->file : "NULL", file);
	ck_assert_uint_eq(err->line, line);
}

START_TEST(key_value_is_trimmed_and_located)
{
	cleanup_lxcconf struct lxc_config *c = NULL;
	cleanup_error struct ct_error *err = NULL;

	ck_assert_int_eq(parse("# comment\n\n  \t lxc.uts.name \t=   box  \t\n"
			       "lxc.init.cmd=/bin/sh -c 'a = b'\n",
			       &c, &err),
			 0);
	ck_assert_uint_eq(c->n, 2);
	assert_entry(c, 0, "lxc.uts.name", "box");
	ck_assert_str_eq(c->v[0].file, "test.conf");
	ck_assert_uint_eq(c->v[0].line, 3);
	assert_entry(c, 1, "lxc.init.cmd", "/bin/sh -c 'a = b'");
	ck_assert_uint_eq(c->v[1].line, 4);
	ck_assert_str_eq(c->path, "test.conf");
	ck_assert_uint_eq(c->ncarry, 0);
}
END_TEST

START_TEST(one_pair_of_matching_quotes_is_stripped)
{
	cleanup_lxcconf struct lxc_config *c = NULL;
	cleanup_error struct ct_error *err = NULL;

	ck_assert_int_eq(parse("lxc.uts.name = \"bb\"\n"
			       "lxc.mount.entry = '\"x\"'\n"
			       "lxc.mount.entry = \"a'\n"
			       "lxc.mount.entry = \"\n"
			       "lxc.mount.entry = \" spaced \"\n"
			       "lxc.mount.entry = 'x' 'y'\n",
			       &c, &err),
			 0);
	ck_assert_uint_eq(c->n, 6);
	assert_entry(c, 0, "lxc.uts.name", "bb");
	assert_entry(c, 1, "lxc.mount.entry", "\"x\"");
	assert_entry(c, 2, "lxc.mount.entry", "\"a'");
	assert_entry(c, 3, "lxc.mount.entry", "\"");
	assert_entry(c, 4, "lxc.mount.entry", " spaced ");
	assert_entry(c, 5, "lxc.mount.entry", "x' 'y");
}
END_TEST

START_TEST(oci_comment_lines_are_carried)
{
	cleanup_lxcconf struct lxc_config *c = NULL;
	cleanup_error struct ct_error *err = NULL;

	ck_assert_int_eq(parse("lxc.uts.name = a\n#oci:{\"op\":\"add\"}\n  #oci: spaced \n"
			       "# oci: not a carry line\n",
			       &c, &err),
			 0);
	ck_assert_uint_eq(c->n, 1);
	ck_assert_uint_eq(c->ncarry, 2);
	ck_assert_str_eq(c->carry[0].text, "{\"op\":\"add\"}");
	ck_assert_str_eq(c->carry[0].file, "test.conf");
	ck_assert_uint_eq(c->carry[0].line, 2);
	ck_assert_str_eq(c->carry[1].text, " spaced ");
	ck_assert_uint_eq(c->carry[1].line, 3);
}
END_TEST

START_TEST(line_without_equals_is_a_located_error)
{
	cleanup_lxcconf struct lxc_config *c = NULL;
	cleanup_error struct ct_error *err = NULL;

	ck_assert_int_lt(parse("lxc.uts.name = a\nlxc.tty.max 4\n", &c, &err), 0);
	ck_assert_ptr_null(c);
	assert_error(err, "test.conf", 2, "no '='");
	ck_assert_ptr_nonnull(err->hint);
}
END_TEST

START_TEST(unknown_key_is_a_located_error_with_a_hint)
{
	cleanup_lxcconf struct lxc_config *c = NULL;
	cleanup_error struct ct_error *err = NULL;

	ck_assert_int_lt(parse("\nlxc.uts.nmae = a\n", &c, &err), 0);
	assert_error(err, "test.conf", 2, "unknown key \"lxc.uts.nmae\"");
	ck_assert_ptr_nonnull(err->hint);
	ck_assert_msg(strstr(err->hint, "did you mean \"lxc.uts.name\""), "hint: %s", err->hint);
	ct_error_free(steal_pointer(&err));

	ck_assert_int_lt(parse("lxc.uts.name = a\nuts.name = b\n", &c, &err), 0);
	assert_error(err, "test.conf", 2, "LXC keys start with \"lxc.\"");
	ck_assert_msg(err->hint && strstr(err->hint, "lxc.uts.name"), "no hint");
	ct_error_free(steal_pointer(&err));

	ck_assert_int_lt(parse("lxc.zzzzzzzz = 1\n", &c, &err), 0);
	assert_error(err, "test.conf", 1, "unknown key");
	ck_assert_ptr_null(strstr(err->hint, "did you mean"));
}
END_TEST

START_TEST(every_legacy_key_is_converted_with_a_warning)
{
	size_t n;
	const struct lxckey_legacy *t = lxckey_legacy_table(&n);

	for (size_t i = 0; i < n; i++) {
		cleanup_lxcconf struct lxc_config *c = NULL;
		cleanup_error struct ct_error *err = NULL;
		cleanup_free char *text = NULL;
		bool clear_only;
		char key[64];

		snprintf(key, sizeof(key), "%s%s", t[i].name, t[i].prefix ? "nofile" : "");
		clear_only = t[i].modern && !t[i].prefix &&
			     (lxckey_lookup(t[i].modern)->flags & LXCKEY_CLEAR_ONLY);
		ck_assert_int_ge(asprintf(&text, "%s = %s\n", key, clear_only ? "" : "v"), 0);
		ck_assert_msg(parse(text, &c, &err) == 0, "%s: %s", key, err ? err->msg : "");
		ck_assert_msg(diag.count == 1, "%s: %u warnings", key, diag.count);
		ck_assert_msg(strstr(warnings.s, "test.conf:1: "), "%s: %s", key, warnings.s);
		if (!t[i].modern || clear_only) {
			ck_assert_uint_eq(c->n, 0);
			continue;
		}
		ck_assert_uint_eq(c->n, 1);
		ck_assert_str_eq(c->v[0].value, "v");
		ck_assert_msg(strncmp(c->v[0].key, t[i].modern, strlen(t[i].modern)) == 0,
			      "%s stored as %s", key, c->v[0].key);
		ck_assert_msg(strstr(warnings.s, c->v[0].key), "warning does not name %s: %s",
			      c->v[0].key, warnings.s);
	}
}
END_TEST

START_TEST(unindexed_legacy_network_keys_start_new_interfaces)
{
	cleanup_lxcconf struct lxc_config *c = NULL;
	cleanup_error struct ct_error *err = NULL;

	ck_assert_int_eq(parse("lxc.network.type = veth\n"
			       "lxc.network.flags = up\n"
			       "lxc.network.link = br0\n"
			       "lxc.network.ipv4 = 10.0.0.2/24\n"
			       "lxc.network.ipv4 = 10.0.0.3/24\n"
			       "lxc.network.ipv4.gateway = 10.0.0.1\n"
			       "lxc.network.type = macvlan\n"
			       "lxc.network.link = eth0\n"
			       "lxc.network.ipv6 = fd00::2\n",
			       &c, &err),
			 0);
	ck_assert_uint_eq(diag.count, 9);
	ck_assert_uint_eq(c->n, 9);
	assert_entry(c, 0, "lxc.net.0.type", "veth");
	assert_entry(c, 1, "lxc.net.0.flags", "up");
	assert_entry(c, 2, "lxc.net.0.link", "br0");
	assert_entry(c, 3, "lxc.net.0.ipv4.address", "10.0.0.2/24");
	assert_entry(c, 4, "lxc.net.0.ipv4.address", "10.0.0.3/24");
	assert_entry(c, 5, "lxc.net.0.ipv4.gateway", "10.0.0.1");
	assert_entry(c, 6, "lxc.net.1.type", "macvlan");
	assert_entry(c, 7, "lxc.net.1.link", "eth0");
	assert_entry(c, 8, "lxc.net.1.ipv6.address", "fd00::2");
}
END_TEST

START_TEST(unindexed_network_after_indexed_takes_the_next_index)
{
	cleanup_lxcconf struct lxc_config *c = NULL;
	cleanup_error struct ct_error *err = NULL;

	ck_assert_int_eq(parse("lxc.net.0.type = veth\nlxc.network.type = phys\n"
			       "lxc.network.link = eth1\n",
			       &c, &err),
			 0);
	assert_entry(c, 1, "lxc.net.1.type", "phys");
	assert_entry(c, 2, "lxc.net.1.link", "eth1");
}
END_TEST

START_TEST(unindexed_network_key_before_a_type_is_an_error)
{
	cleanup_lxcconf struct lxc_config *c = NULL;
	cleanup_error struct ct_error *err = NULL;

	ck_assert_int_lt(parse("lxc.uts.name = a\nlxc.network.link = br0\n", &c, &err), 0);
	assert_error(err, "test.conf", 2, "before any lxc.network.type");
	ct_error_free(steal_pointer(&err));
	ck_assert_int_lt(parse("lxc.network.type = veth\nlxc.network.bogus = 1\n", &c, &err), 0);
	assert_error(err, "test.conf", 2, "unknown key");
}
END_TEST

START_TEST(legacy_file_reads_as_lxc_update_config_writes_it)
{
	cleanup_lxcconf struct lxc_config *c = NULL;
	cleanup_error struct ct_error *err = NULL;

	reset_warnings();
	ck_assert_int_eq(lxcconf_parse_file(CT_LXC_TEST_DATA "/legacy.conf", &opts, &c, &err), 0);
	ck_assert_uint_eq(diag.count, 13);
	assert_entry(c, 0, "lxc.uts.name", "old");
	assert_entry(c, 1, "lxc.rootfs.path", "/var/lib/lxc/old/rootfs");
	assert_entry(c, 2, "lxc.net.0.type", "veth");
	assert_entry(c, 5, "lxc.net.0.ipv4.address", "10.0.3.2/24");
	assert_entry(c, 6, "lxc.net.0.ipv4.gateway", "10.0.3.1");
	assert_entry(c, 7, "lxc.net.1.type", "empty");
	assert_entry(c, 8, "lxc.idmap", "u 0 100000 65536");
	assert_entry(c, 9, "lxc.apparmor.profile", "unconfined");
	assert_entry(c, 10, "lxc.tty.max", "4");
	assert_entry(c, 11, "lxc.pty.max", "1024");
	assert_entry(c, 12, "lxc.prlimit.nofile", "1024");
	ck_assert_uint_eq(c->n, 13);
	ck_assert_uint_eq(c->v[12].line, 14);
}
END_TEST

START_TEST(removed_keys_warn_and_are_dropped)
{
	cleanup_lxcconf struct lxc_config *c = NULL;
	cleanup_error struct ct_error *err = NULL;

	ck_assert_int_eq(parse("lxc.pivotdir = lxc_putold\nlxc.kmsg = 0\n", &c, &err), 0);
	ck_assert_uint_eq(c->n, 0);
	ck_assert_uint_eq(diag.count, 2);
	ck_assert_msg(strstr(warnings.s, "no effect"), "%s", warnings.s);
	lxcconf_free(steal_pointer(&c));

	/* Under --strict every warning is an error. */
	reset_warnings();
	diag.strict = true;
	ck_assert_int_lt(lxcconf_parse_buffer("lxc.utsname = x\n", 16, "s.conf", &opts, &c, &err),
			 0);
	diag.strict = false;
	assert_error(err, "s.conf", 1, "lxc.uts.name");
}
END_TEST

START_TEST(rootfs_backend_prefixes_the_rootfs_path)
{
	cleanup_lxcconf struct lxc_config *c = NULL;
	cleanup_error struct ct_error *err = NULL;

	ck_assert_int_eq(parse("lxc.rootfs.backend = lvm\nlxc.rootfs = /dev/vg/lv\n", &c, &err), 0);
	ck_assert_uint_eq(c->n, 1);
	assert_entry(c, 0, "lxc.rootfs.path", "lvm:/dev/vg/lv");
	lxcconf_free(steal_pointer(&c));
	ck_assert_int_eq(parse("lxc.rootfs.backend = dir\nlxc.rootfs = /r\n", &c, &err), 0);
	assert_entry(c, 0, "lxc.rootfs.path", "/r");
}
END_TEST

START_TEST(empty_value_clears_list_and_scalar_keys)
{
	cleanup_lxcconf struct lxc_config *c = NULL;
	cleanup_error struct ct_error *err = NULL;

	ck_assert_int_eq(parse("lxc.mount.entry = a\nlxc.uts.name = u\nlxc.mount.entry = b\n"
			       "lxc.mount.entry =\nlxc.mount.entry = c\nlxc.uts.name = \"\"\n"
			       "lxc.environment = A=1\nlxc.environment = ''\n",
			       &c, &err),
			 0);
	ck_assert_uint_eq(c->n, 1);
	assert_entry(c, 0, "lxc.mount.entry", "c");
	ck_assert_uint_eq(c->v[0].line, 5);
}
END_TEST

START_TEST(scalar_keeps_the_last_assignment_at_its_position)
{
	cleanup_lxcconf struct lxc_config *c = NULL;
	cleanup_error struct ct_error *err = NULL;

	ck_assert_int_eq(parse("lxc.uts.name = a\nlxc.mount.entry = m\nlxc.uts.name = b\n"
			       "lxc.sysctl.net.ipv4.ip_forward = 0\nlxc.idmap = u 0 1 1\n"
			       "lxc.sysctl.net.ipv4.ip_forward = 1\nlxc.idmap = g 0 1 1\n",
			       &c, &err),
			 0);
	ck_assert_uint_eq(c->n, 5);
	assert_entry(c, 0, "lxc.mount.entry", "m");
	assert_entry(c, 1, "lxc.uts.name", "b");
	ck_assert_uint_eq(c->v[1].line, 3);
	assert_entry(c, 2, "lxc.idmap", "u 0 1 1");
	assert_entry(c, 3, "lxc.sysctl.net.ipv4.ip_forward", "1");
	assert_entry(c, 4, "lxc.idmap", "g 0 1 1");
}
END_TEST

START_TEST(bare_family_keys_only_clear)
{
	cleanup_lxcconf struct lxc_config *c = NULL;
	cleanup_error struct ct_error *err = NULL;

	ck_assert_int_eq(parse("lxc.hook.pre-start = /a\nlxc.hook.version = 1\n"
			       "lxc.cgroup.dir = d\nlxc.cgroup.devices.allow = a\n"
			       "lxc.cgroup2.memory.max = 1\nlxc.net.0.type = veth\n"
			       "lxc.net.1.type = empty\nlxc.net.0.link = br0\n"
			       "lxc.hook =\nlxc.cgroup =\nlxc.net.0 =\n",
			       &c, &err),
			 0);
	ck_assert_uint_eq(c->n, 4);
	assert_entry(c, 0, "lxc.hook.version", "1");
	assert_entry(c, 1, "lxc.cgroup.dir", "d");
	assert_entry(c, 2, "lxc.cgroup2.memory.max", "1");
	assert_entry(c, 3, "lxc.net.1.type", "empty");
	lxcconf_free(steal_pointer(&c));

	ck_assert_int_lt(parse("lxc.cgroup = 1\n", &c, &err), 0);
	assert_error(err, "test.conf", 1, "takes no value");
	ct_error_free(steal_pointer(&err));
	ck_assert_int_lt(parse("lxc.net.0 = x\n", &c, &err), 0);
	assert_error(err, "test.conf", 1, "takes no value");
}
END_TEST

START_TEST(clearing_rules_mirror_liblxc_quirks)
{
	cleanup_lxcconf struct lxc_config *c = NULL;
	cleanup_error struct ct_error *err = NULL;

	/* One list holds cap.drop and cap.keep; an empty fstab fails the load. */
	ck_assert_int_eq(parse("lxc.cap.drop = sys_admin\nlxc.cap.keep =\n", &c, &err), 0);
	ck_assert_uint_eq(c->n, 0);
	lxcconf_free(steal_pointer(&c));
	ck_assert_int_lt(parse("lxc.mount.fstab =\n", &c, &err), 0);
	assert_error(err, "test.conf", 1, "lxc.mount.fstab");
	ct_error_free(steal_pointer(&err));

	/* Setting a type resets the interface, with a warning naming what was lost. */
	ck_assert_int_eq(parse("lxc.net.0.link = br0\nlxc.net.1.type = veth\n"
			       "lxc.net.0.type = veth\nlxc.net.0.name = eth0\n",
			       &c, &err),
			 0);
	ck_assert_uint_eq(diag.count, 1);
	ck_assert_msg(strstr(warnings.s, "test.conf:1: lxc.net.0.link has no effect: "
					 "lxc.net.0.type at test.conf:3 resets the interface"),
		      "%s", warnings.s);
	ck_assert_uint_eq(c->n, 3);
	assert_entry(c, 0, "lxc.net.1.type", "veth");
	assert_entry(c, 1, "lxc.net.0.type", "veth");
	assert_entry(c, 2, "lxc.net.0.name", "eth0");
	lxcconf_free(steal_pointer(&c));

	/* Index spellings are canonical. */
	ck_assert_int_eq(parse("lxc.net.01.type = veth\nlxc.net.1.link = br0\n", &c, &err), 0);
	assert_entry(c, 0, "lxc.net.1.type", "veth");
	assert_entry(c, 1, "lxc.net.1.link", "br0");
}
END_TEST

START_TEST(includes_file_and_directory_in_place)
{
	cleanup_lxcconf struct lxc_config *c = NULL;
	cleanup_error struct ct_error *err = NULL;

	reset_warnings();
	ck_assert_int_eq(lxcconf_parse_file(CT_LXC_TEST_DATA "/main.conf", &opts, &c, &err), 0);
	ck_assert_str_eq(c->path, CT_LXC_TEST_DATA "/main.conf");
	ck_assert_uint_eq(c->n, 6);
	assert_entry(c, 0, "lxc.uts.name", "main");
	assert_entry(c, 1, "lxc.mount.entry", "/a a none bind 0 0");
	ck_assert_str_eq(c->v[1].file, CT_LXC_TEST_DATA "/inc/extra.conf");
	ck_assert_uint_eq(c->v[1].line, 2);
	/* conf.d: alphabetical, *.conf only, not recursive. */
	assert_entry(c, 2, "lxc.environment", "ORDER=first");
	ck_assert_str_eq(c->v[2].file, CT_LXC_TEST_DATA "/conf.d/10-first.conf");
	assert_entry(c, 3, "lxc.mount.entry", "/b b none bind 0 0");
	assert_entry(c, 4, "lxc.environment", "ORDER=second");
	assert_entry(c, 5, "lxc.mount.entry", "/c c none bind 0 0");
	ck_assert_str_eq(c->v[5].file, CT_LXC_TEST_DATA "/main.conf");
	ck_assert_uint_eq(c->v[5].line, 5);
	ck_assert_uint_eq(diag.count, 0);
}
END_TEST

START_TEST(absolute_include_goes_under_the_sysroot)
{
	cleanup_lxcconf struct lxc_config *c = NULL;
	cleanup_error struct ct_error *err = NULL;
	struct lxcconf_opts o = { CT_LXC_TEST_DATA "/sysroot", &diag };

	ck_assert_int_eq(lxcconf_parse_file(CT_LXC_TEST_DATA "/sysroot.conf", &o, &c, &err), 0);
	ck_assert_uint_eq(c->n, 1);
	assert_entry(c, 0, "lxc.tty.max", "4");
	ck_assert_str_eq(c->v[0].file, CT_LXC_TEST_DATA "/sysroot/etc/lxc/common.conf");
	lxcconf_free(steal_pointer(&c));
	/* Without it, the host path is read (and is missing here). */
	ck_assert_int_lt(lxcconf_parse_file(CT_LXC_TEST_DATA "/sysroot.conf", &opts, &c, &err), 0);
	assert_error(err, "sysroot.conf", 1, "/etc/lxc/common.conf");
}
END_TEST

START_TEST(missing_include_is_a_located_error)
{
	cleanup_lxcconf struct lxc_config *c = NULL;
	cleanup_error struct ct_error *err = NULL;

	ck_assert_int_lt(lxcconf_parse_file(CT_LXC_TEST_DATA "/missing.conf", &opts, &c, &err), 0);
	assert_error(err, "missing.conf", 3, "does-not-exist.conf");
	ck_assert_ptr_null(c);
	ct_error_free(steal_pointer(&err));

	/* A missing drop-in directory (trailing '/') has nothing to include: liblxc skips it. */
	ck_assert_int_eq(parse("lxc.include = /nonexistent-ctlaunch-dir/\n", &c, &err), 0);
	ck_assert_uint_eq(c->n, 0);
	lxcconf_free(steal_pointer(&c));
	/* Without the slash it is a file, and must exist. */
	ck_assert_int_lt(parse("lxc.include = /nonexistent-ctlaunch-dir\n", &c, &err), 0);
	assert_error(err, "test.conf", 1, "nonexistent-ctlaunch-dir");
}
END_TEST

START_TEST(include_loop_is_a_located_error_naming_the_chain)
{
	cleanup_lxcconf struct lxc_config *c = NULL;
	cleanup_error struct ct_error *err = NULL;

	ck_assert_int_lt(lxcconf_parse_file(CT_LXC_TEST_DATA "/loop-a.conf", &opts, &c, &err), 0);
	assert_error(err, "loop-b.conf", 1, "lxc.include loop: ");
	ck_assert_msg(strstr(err->msg, "loop-a.conf -> ") && strstr(err->msg, "loop-b.conf -> "),
		      "chain not named: %s", err->msg);
}
END_TEST

/* dir/f0.conf includes f1.conf ... f<n-1>.conf, which sets lxc.uts.name. */
static void make_chain(const char *dir, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		char path[256];
		FILE *f;

		snprintf(path, sizeof(path), "%s/f%u.conf", dir, i);
		f = fopen(path, "w");
		ck_assert_ptr_nonnull(f);
		if (i + 1 < n)
			fprintf(f, "lxc.include = f%u.conf\n", i + 1);
		else
			fprintf(f, "lxc.uts.name = deep\n");
		fclose(f);
	}
}

static void remove_chain(const char *dir, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		char path[256];

		snprintf(path, sizeof(path), "%s/f%u.conf", dir, i);
		unlink(path);
	}
	rmdir(dir);
}

START_TEST(include_depth_is_bounded)
{
	char dir[] = "/tmp/ct-lxcconf-XXXXXX", path[256];
	cleanup_lxcconf struct lxc_config *c = NULL;
	cleanup_error struct ct_error *err = NULL;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	/* f0 plus 16 nested includes: accepted. */
	make_chain(dir, LXCCONF_MAX_INCLUDE_DEPTH + 1);
	snprintf(path, sizeof(path), "%s/f0.conf", dir);
	ck_assert_int_eq(lxcconf_parse_file(path, &opts, &c, &err), 0);
	assert_entry(c, 0, "lxc.uts.name", "deep");
	lxcconf_free(steal_pointer(&c));
	remove_chain(dir, LXCCONF_MAX_INCLUDE_DEPTH + 1);

	ck_assert_ptr_nonnull(mkdtemp(strcpy(dir, "/tmp/ct-lxcconf-XXXXXX")));
	make_chain(dir, LXCCONF_MAX_INCLUDE_DEPTH + 2);
	snprintf(path, sizeof(path), "%s/f0.conf", dir);
	ck_assert_int_lt(lxcconf_parse_file(path, &opts, &c, &err), 0);
	remove_chain(dir, LXCCONF_MAX_INCLUDE_DEPTH + 2);
	assert_error(err, "f16.conf", 1, "nested deeper than 16 levels");
	ck_assert_msg(strstr(err->msg, "f0.conf -> ") && strstr(err->msg, "f17.conf"),
		      "chain not named: %s", err->msg);
}
END_TEST

START_TEST(overlong_line_is_an_error_at_its_line)
{
	const size_t big = 3 * 1024 * 1024;
	cleanup_free char *text = malloc(big + 64);
	cleanup_lxcconf struct lxc_config *c = NULL;
	cleanup_error struct ct_error *err = NULL;
	size_t n;

	ck_assert_ptr_nonnull(text);
	n = (size_t)sprintf(text, "lxc.uts.name = a\nlxc.init.cmd = ");
	memset(text + n, 'x', big);
	strcpy(text + n + big, "\n");
	reset_warnings();
	ck_assert_int_lt(lxcconf_parse_buffer(text, strlen(text), "big.conf", &opts, &c, &err), 0);
	assert_error(err, "big.conf", 2, "longer than");
}
END_TEST

START_TEST(nul_byte_is_an_error_at_its_line)
{
	static const char text[] = "lxc.uts.name = a\n\nlxc.tty.max = 1\0\x01\x02\n"
				   "lxc.pty.max = 1\n";
	cleanup_lxcconf struct lxc_config *c = NULL;
	cleanup_error struct ct_error *err = NULL;

	reset_warnings();
	ck_assert_int_lt(lxcconf_parse_buffer(text, sizeof(text) - 1, "bin.conf", &opts, &c, &err),
			 0);
	assert_error(err, "bin.conf", 3, "NUL byte");
}
END_TEST

START_TEST(empty_and_comment_only_files_are_empty_configs)
{
	cleanup_lxcconf struct lxc_config *c = NULL;
	cleanup_error struct ct_error *err = NULL;

	ck_assert_int_eq(parse("", &c, &err), 0);
	ck_assert_uint_eq(c->n, 0);
	ck_assert_str_eq(c->path, "test.conf");
	lxcconf_free(steal_pointer(&c));
	ck_assert_int_eq(parse("# only\n\n \t\f\n#comments", &c, &err), 0);
	ck_assert_uint_eq(c->n, 0);
	ck_assert_uint_eq(c->ncarry, 0);
}
END_TEST

START_TEST(crlf_and_missing_final_newline_are_handled)
{
	cleanup_lxcconf struct lxc_config *c = NULL;
	cleanup_error struct ct_error *err = NULL;

	ck_assert_int_eq(
		parse("lxc.uts.name = a\r\n\r\nlxc.tty.max = 2 \r\nlxc.pty.max = 3", &c, &err), 0);
	ck_assert_uint_eq(c->n, 3);
	assert_entry(c, 0, "lxc.uts.name", "a");
	assert_entry(c, 1, "lxc.tty.max", "2");
	ck_assert_uint_eq(c->v[1].line, 3);
	assert_entry(c, 2, "lxc.pty.max", "3");
	ck_assert_uint_eq(c->v[2].line, 4);
	lxcconf_free(steal_pointer(&c));
	/* A lone '\r' separates lines for liblxc too. */
	ck_assert_int_eq(parse("lxc.uts.name = a\rlxc.tty.max = 2\n", &c, &err), 0);
	ck_assert_uint_eq(c->n, 2);
	assert_entry(c, 1, "lxc.tty.max", "2");
}
END_TEST

START_TEST(stdin_is_read_as_dash)
{
	char path[] = "/tmp/ct-lxcconf-stdin-XXXXXX";
	cleanup_lxcconf struct lxc_config *c = NULL;
	cleanup_error struct ct_error *err = NULL;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "lxc.uts.name = s\n", 17), 17);
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	ck_assert_int_eq(dup2(fd, STDIN_FILENO), STDIN_FILENO);
	close(fd);
	unlink(path);
	ck_assert_int_eq(lxcconf_parse_file("-", &opts, &c, &err), 0);
	ck_assert_str_eq(c->path, "<stdin>");
	assert_entry(c, 0, "lxc.uts.name", "s");
	ck_assert_str_eq(c->v[0].file, "<stdin>");
}
END_TEST

static void write_conf(const struct lxc_config *c, const char *header, char **ret)
{
	cleanup_strbuf struct strbuf sb = STRBUF_INIT;
	cleanup_error struct ct_error *err = NULL;

	ck_assert_msg(lxcconf_write(c, header, &sb, &err) == 0, "write: %s", err ? err->msg : "");
	*ret = strbuf_steal(&sb);
	ck_assert_ptr_nonnull(*ret);
}

static void assert_same(const struct lxc_config *a, const struct lxc_config *b)
{
	ck_assert_uint_eq(a->n, b->n);
	for (size_t i = 0; i < a->n; i++) {
		ck_assert_str_eq(a->v[i].key, b->v[i].key);
		ck_assert_str_eq(a->v[i].value, b->v[i].value);
	}
	ck_assert_uint_eq(a->ncarry, b->ncarry);
	for (size_t i = 0; i < a->ncarry; i++)
		ck_assert_str_eq(a->carry[i].text, b->carry[i].text);
}

START_TEST(write_then_parse_gives_the_same_entries)
{
	cleanup_lxcconf struct lxc_config *a = NULL, *b = NULL;
	cleanup_error struct ct_error *err = NULL;
	cleanup_free char *out = NULL;

	ck_assert_int_eq(lxcconf_parse_file(CT_LXC_TEST_DATA "/main.conf", &opts, &a, &err), 0);
	ck_assert_int_eq(lxcconf_add(a, "lxc.mount.entry", "  lead and trail\t", NULL, 0, &err), 0);
	ck_assert_int_eq(lxcconf_add(a, "lxc.init.cmd", "\"quoted\"", NULL, 0, &err), 0);
	ck_assert_int_eq(lxcconf_add(a, "lxc.environment", "'x\"y'", NULL, 0, &err), 0);
	ck_assert_int_eq(lxcconf_add(a, "lxc.hook.start", "\"", NULL, 0, &err), 0);
	ck_assert_int_eq(lxcconf_add(a, "lxc.hook.stop", "# not a comment", NULL, 0, &err), 0);
	ck_assert_int_eq(lxcconf_add_carry(a, "{\"op\":\"add\",\"path\":\"/x\"}", &err), 0);
	write_conf(a, "generated\n\nby a test", &out);
	ck_assert_msg(strncmp(out, "# generated\n#\n# by a test\nlxc.uts.name = main\n", 44) == 0,
		      "%s", out);
	ck_assert_int_eq(parse(out, &b, &err), 0);
	assert_same(a, b);
}
END_TEST

START_TEST(values_liblxc_would_alter_are_quoted)
{
	cleanup_lxcconf struct lxc_config *c = lxcconf_new();
	cleanup_error struct ct_error *err = NULL;
	cleanup_free char *out = NULL;

	ck_assert_int_eq(lxcconf_add(c, "lxc.mount.entry", " a", NULL, 0, &err), 0);
	ck_assert_int_eq(lxcconf_add(c, "lxc.mount.entry", "\"b\"", NULL, 0, &err), 0);
	ck_assert_int_eq(lxcconf_add(c, "lxc.mount.entry", "'c'", NULL, 0, &err), 0);
	ck_assert_int_eq(lxcconf_add(c, "lxc.mount.entry", "d\"e", NULL, 0, &err), 0);
	ck_assert_int_eq(lxcconf_add(c, "lxc.mount.entry", "\"f g\" h", NULL, 0, &err), 0);
	write_conf(c, NULL, &out);
	ck_assert_str_eq(out, "lxc.mount.entry = \" a\"\n"
			      "lxc.mount.entry = '\"b\"'\n"
			      "lxc.mount.entry = \"'c'\"\n"
			      "lxc.mount.entry = d\"e\n"
			      "lxc.mount.entry = \"f g\" h\n");
}
END_TEST

START_TEST(line_breaks_cannot_be_written)
{
	cleanup_lxcconf struct lxc_config *c = lxcconf_new();
	cleanup_error struct ct_error *err = NULL;
	cleanup_strbuf struct strbuf sb = STRBUF_INIT;

	ck_assert_int_eq(lxcconf_add(c, "lxc.uts.name", "ok", NULL, 0, &err), 0);
	ck_assert_int_eq(lxcconf_add(c, "lxc.init.cmd", "a\nb", "in.conf", 7, &err), 0);
	ck_assert_int_lt(lxcconf_write(c, NULL, &sb, &err), 0);
	assert_error(err, "in.conf", 7, "lxc.init.cmd");
	ck_assert_msg(strstr(err->msg, "line break"), "%s", err->msg);
	ct_error_free(steal_pointer(&err));

	lxcconf_clear(c, "lxc.init.cmd");
	ck_assert_int_eq(lxcconf_add(c, "lxc.init.cmd", "a\rb", NULL, 0, &err), 0);
	ck_assert_int_lt(lxcconf_write(c, NULL, &sb, &err), 0);
	assert_error(err, NULL, 0, "lxc.init.cmd");
	ct_error_free(steal_pointer(&err));

	lxcconf_clear(c, "lxc.init.cmd");
	ck_assert_int_eq(lxcconf_add_carry(c, "x\ny", &err), 0);
	ck_assert_int_lt(lxcconf_write(c, NULL, &sb, &err), 0);
	assert_error(err, NULL, 0, "carry");
	ct_error_free(steal_pointer(&err));

	/* Keys are checked too. */
	lxcconf_free(c);
	c = lxcconf_new();
	ck_assert_int_eq(lxcconf_add(c, "lxc.bogus", "1", NULL, 0, &err), 0);
	ck_assert_int_lt(lxcconf_write(c, NULL, &sb, &err), 0);
	assert_error(err, NULL, 0, "unknown key");
	ct_error_free(steal_pointer(&err));
	lxcconf_free(c);
	c = lxcconf_new();
	ck_assert_int_eq(lxcconf_add(c, "lxc.net.0", "1", NULL, 0, &err), 0);
	ck_assert_int_lt(lxcconf_write(c, NULL, &sb, &err), 0);
	assert_error(err, NULL, 0, "clear-only");
}
END_TEST

START_TEST(entries_that_would_read_back_differently_are_refused)
{
	cleanup_lxcconf struct lxc_config *c = lxcconf_new();
	cleanup_error struct ct_error *err = NULL;
	cleanup_strbuf struct strbuf sb = STRBUF_INIT;

	/* A list key may repeat; a scalar may not. */
	ck_assert_int_eq(lxcconf_add(c, "lxc.mount.entry", "a", NULL, 0, &err), 0);
	ck_assert_int_eq(lxcconf_add(c, "lxc.mount.entry", "b", NULL, 0, &err), 0);
	ck_assert_int_eq(lxcconf_add(c, "lxc.net.1.link", "br0", NULL, 0, &err), 0);
	ck_assert_int_eq(lxcconf_add(c, "lxc.net.0.type", "veth", NULL, 0, &err), 0);
	ck_assert_int_eq(lxcconf_write(c, NULL, &sb, &err), 0);
	ck_assert_int_eq(lxcconf_add(c, "lxc.net.1.type", "veth", "x.conf", 9, &err), 0);
	ck_assert_int_lt(lxcconf_write(c, NULL, &sb, &err), 0);
	assert_error(err, "x.conf", 9, "follows lxc.net.1.link");
	ct_error_free(steal_pointer(&err));
	lxcconf_clear(c, "lxc.net.1.type");
	/* The second of two settings apart is the one located, whatever lies between. */
	ck_assert_int_eq(lxcconf_add(c, "lxc.uts.name", "a", "x.conf", 10, &err), 0);
	ck_assert_int_eq(lxcconf_add(c, "lxc.mount.entry", "c", NULL, 0, &err), 0);
	ck_assert_int_eq(lxcconf_add(c, "lxc.arch", "x86_64", "x.conf", 11, &err), 0);
	ck_assert_int_eq(lxcconf_write(c, NULL, &sb, &err), 0);
	ck_assert_int_eq(lxcconf_add(c, "lxc.uts.name", "b", "x.conf", 12, &err), 0);
	ck_assert_int_eq(lxcconf_add(c, "lxc.arch", "x86", "x.conf", 13, &err), 0);
	ck_assert_int_lt(lxcconf_write(c, NULL, &sb, &err), 0);
	assert_error(err, "x.conf", 12, "lxc.uts.name: the key is set twice");
}
END_TEST

static void parse_dir(const char *dir, unsigned *count)
{
	cleanup_closedir DIR *d = opendir(dir);
	struct dirent *de;

	ck_assert_msg(d != NULL, "%s: %s", dir, strerror(errno));
	while ((de = readdir(d))) {
		cleanup_lxcconf struct lxc_config *c = NULL;
		cleanup_error struct ct_error *err = NULL;
		char path[512];
		size_t n = strlen(de->d_name);

		if (n < 6 || strcmp(de->d_name + n - 5, ".conf") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		reset_warnings();
		ck_assert_msg(lxcconf_parse_file(path, &opts, &c, &err) == 0, "%s:%u: %s", path,
			      err ? err->line : 0, err ? err->msg : "");
		ck_assert_msg(diag.count == 0, "%s: %s", path, warnings.s);
		for (size_t i = 0; i < c->n; i++)
			ck_assert_msg(!strstr(c->v[i].file, "//"), "%s", c->v[i].file);
		(*count)++;
	}
}

START_TEST(every_stock_lxc_config_parses)
{
	unsigned count = 0;

	parse_dir("/usr/share/lxc/config", &count);
	parse_dir("/usr/share/lxc/config/common.conf.d", &count);
	ck_assert_uint_ge(count, 20);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("lxcconf");
	TCase *tc = tcase_create("parse");
	TCase *tw = tcase_create("write");

	tcase_add_test(tc, key_value_is_trimmed_and_located);
	tcase_add_test(tc, one_pair_of_matching_quotes_is_stripped);
	tcase_add_test(tc, oci_comment_lines_are_carried);
	tcase_add_test(tc, line_without_equals_is_a_located_error);
	tcase_add_test(tc, unknown_key_is_a_located_error_with_a_hint);
	tcase_add_test(tc, every_legacy_key_is_converted_with_a_warning);
	tcase_add_test(tc, unindexed_legacy_network_keys_start_new_interfaces);
	tcase_add_test(tc, unindexed_network_after_indexed_takes_the_next_index);
	tcase_add_test(tc, unindexed_network_key_before_a_type_is_an_error);
	tcase_add_test(tc, legacy_file_reads_as_lxc_update_config_writes_it);
	tcase_add_test(tc, removed_keys_warn_and_are_dropped);
	tcase_add_test(tc, rootfs_backend_prefixes_the_rootfs_path);
	tcase_add_test(tc, empty_value_clears_list_and_scalar_keys);
	tcase_add_test(tc, scalar_keeps_the_last_assignment_at_its_position);
	tcase_add_test(tc, bare_family_keys_only_clear);
	tcase_add_test(tc, clearing_rules_mirror_liblxc_quirks);
	tcase_add_test(tc, includes_file_and_directory_in_place);
	tcase_add_test(tc, absolute_include_goes_under_the_sysroot);
	tcase_add_test(tc, missing_include_is_a_located_error);
	tcase_add_test(tc, include_loop_is_a_located_error_naming_the_chain);
	tcase_add_test(tc, include_depth_is_bounded);
	tcase_add_test(tc, overlong_line_is_an_error_at_its_line);
	tcase_add_test(tc, nul_byte_is_an_error_at_its_line);
	tcase_add_test(tc, empty_and_comment_only_files_are_empty_configs);
	tcase_add_test(tc, crlf_and_missing_final_newline_are_handled);
	tcase_add_test(tc, stdin_is_read_as_dash);
	tcase_add_test(tc, every_stock_lxc_config_parses);
	tcase_add_test(tw, write_then_parse_gives_the_same_entries);
	tcase_add_test(tw, values_liblxc_would_alter_are_quoted);
	tcase_add_test(tw, line_breaks_cannot_be_written);
	tcase_add_test(tw, entries_that_would_read_back_differently_are_refused);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, tw);
	return s;
}
