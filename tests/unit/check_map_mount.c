/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* map_mount.c and map_mount_implied.c: the mount family, both ways (entries, lxc.mount.auto,
 * fstab, autodev, devpts). Entry lines and the cgroup :force check: check_mountopts.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "cleanup.h"
#include "families.h"
#include "jsonutil.h"
#include "lxcconf.h"
#include "mountopts.h"
#include "translate.h"
#include "map_mount_fixture.h"

/* LXC -> OCI -> LXC gives every mount key back with its value, in order. */
static void assert_lxc_round_trip(const char *const *kv)
{
	cleanup_lxcconf struct lxc_config *in = conf_of(kv), *back = NULL;
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *oci = NULL;

	ck_assert_int_eq(family_to_oci(in, &oci, &err), 0);
	back = family_to_lxc(oci);
	for (const char *const *k =
		     (const char *const[]){ "lxc.mount.entry", "lxc.mount.auto", "lxc.mount.fstab",
					    "lxc.autodev", "lxc.autodev.tmpfs.size", "lxc.pty.max",
					    NULL };
	     *k; k++) {
		cleanup_free char *a = values(in, *k), *b = values(back, *k);

		/* lxc.autodev = 1 is the default and is not written back. */
		if (strcmp(*k, "lxc.autodev") == 0 && strcmp(a, "1") == 0)
			ck_assert_str_eq(b, "");
		else
			ck_assert_msg(strcmp(a, b) == 0, "%s: wrote \"%s\", got back \"%s\"", *k, a,
				      b);
	}
}

/* OCI -> LXC -> OCI gives the same mounts and no annotation. */
static void assert_oci_round_trip(const char *mounts_json)
{
	cleanup_json json_t *oci = oci_with_mounts(mounts_json), *back = NULL;
	cleanup_lxcconf struct lxc_config *conf = family_to_lxc(oci);
	cleanup_error struct ct_error *err = NULL;
	cleanup_free char *want = NULL, *got = NULL;

	ck_assert_int_eq(family_to_oci(conf, &back, &err), 0);
	want = mounts_of(oci);
	got = mounts_of(back);
	ck_assert_msg(json_equal(json_object_get(oci, "mounts"), json_object_get(back, "mounts")),
		      "want %s\ngot  %s", want, got);
	ck_assert_ptr_null(json_object_get(back, "annotations"));
}

START_TEST(entry_bind_both_ways)
{
	cleanup_lxcconf struct lxc_config *conf = conf_of(
		(const char *const[]){ "lxc.autodev", "0", "lxc.mount.entry",
				       "/srv/data srv/data none rbind,ro,create=dir 0 0", NULL });
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *oci = NULL;
	cleanup_free char *m = NULL;

	ck_assert_int_eq(family_to_oci(conf, &oci, &err), 0);
	m = mounts_of(oci);
	ck_assert_str_eq(m, "[{\"destination\":\"/srv/data\",\"options\":[\"rbind\",\"ro\"],"
			    "\"source\":\"/srv/data\"}]");
	ck_assert_ptr_null(json_object_get(oci, "annotations"));
	assert_lxc_round_trip(
		(const char *const[]){ "lxc.autodev", "0", "lxc.mount.entry",
				       "/srv/data srv/data none rbind,ro,create=dir 0 0", NULL });
}
END_TEST

START_TEST(entry_typed_and_defaults_both_ways)
{
	cleanup_lxcconf struct lxc_config *conf = conf_of((const char *const[]){
		"lxc.autodev", "0", "lxc.mount.entry", "tmpfs run tmpfs defaults 0 0", NULL });
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *oci = NULL;
	cleanup_free char *m = NULL;

	ck_assert_int_eq(family_to_oci(conf, &oci, &err), 0);
	m = mounts_of(oci);
	ck_assert_str_eq(m, "[{\"destination\":\"/run\",\"source\":\"tmpfs\",\"type\":\"tmpfs\"}]");
	assert_oci_round_trip(
		"[{\"destination\":\"/run\",\"type\":\"tmpfs\",\"source\":\"tmpfs\"}]");
}
END_TEST

START_TEST(entry_escapes_decoded_and_encoded)
{
	cleanup_lxcconf struct lxc_config *conf = conf_of((const char *const[]){
		"lxc.autodev", "0", "lxc.mount.entry",
		"/media/My\\040Disk mnt/my\\040disk\\011x none bind,create=dir 0 0", NULL });
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *oci = NULL;
	json_t *m0;

	ck_assert_int_eq(family_to_oci(conf, &oci, &err), 0);
	m0 = json_array_get(json_object_get(oci, "mounts"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(m0, "source")), "/media/My Disk");
	ck_assert_str_eq(json_string_value(json_object_get(m0, "destination")), "/mnt/my disk\tx");
	ck_assert_ptr_null(json_object_get(oci, "annotations"));
	assert_lxc_round_trip((const char *const[]){
		"lxc.autodev", "0", "lxc.mount.entry",
		"/media/My\\040Disk mnt/my\\040disk\\011x none bind,create=dir 0 0", NULL });
	assert_oci_round_trip("[{\"destination\":\"/a b\\\\c\",\"source\":\"/x\\ny\","
			      "\"options\":[\"bind\"]}]");
}
END_TEST

START_TEST(entry_lxc_only_options_stay_out_of_oci)
{
	static const char *const kv[] = {
		"lxc.autodev",
		"0",
		"lxc.mount.entry",
		"/tmp tmp none bind,optional 0 0",
		"lxc.mount.entry",
		"/etc/resolv.conf etc/resolv.conf none bind,create=file,ro 0 0",
		"lxc.mount.entry",
		"tmpfs var/cache tmpfs create=dir,nosuid,size=1m 1 2",
		"lxc.mount.entry",
		"proc   proc\tproc defaults",
		NULL,
	};
	cleanup_lxcconf struct lxc_config *conf = conf_of(kv);
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *oci = NULL;
	cleanup_free char *m = NULL;
	json_t *a;

	ck_assert_int_eq(family_to_oci(conf, &oci, &err), 0);
	m = mounts_of(oci);
	ck_assert_str_eq(m,
			 "[{\"destination\":\"/tmp\",\"options\":[\"bind\"],\"source\":\"/tmp\"},"
			 "{\"destination\":\"/etc/resolv.conf\",\"options\":[\"bind\",\"ro\"],"
			 "\"source\":\"/etc/resolv.conf\"},"
			 "{\"destination\":\"/var/cache\",\"options\":[\"nosuid\",\"size=1m\"],"
			 "\"source\":\"tmpfs\",\"type\":\"tmpfs\"},"
			 "{\"destination\":\"/proc\",\"source\":\"proc\",\"type\":\"proc\"}]");
	a = json_object_get(oci, "annotations");
	ck_assert_str_eq(json_string_value(json_object_get(a, CT_ANNOT_META "mount-entry.0")),
			 "/tmp tmp none bind,optional 0 0");
	ck_assert_str_eq(json_string_value(json_object_get(a, CT_ANNOT_META "mount-entry.2")),
			 "tmpfs var/cache tmpfs create=dir,nosuid,size=1m 1 2");
	ck_assert_int_eq(json_object_size(a), 4);
	assert_lxc_round_trip(kv);
}
END_TEST

START_TEST(ocdm_lxc_entry_comes_back_exactly)
{
	assert_lxc_round_trip((const char *const[]){
		"lxc.mount.entry", "/tmp tmp none bind,optional 0 0", "lxc.rootfs.path",
		"dir:/usr/share/Thunder/OCDM/Container/rootfs", NULL });
}
END_TEST

START_TEST(absolute_destination_inside_rootfs_is_relative)
{
	static const char *const kv[] = {
		"lxc.rootfs.path",
		"dir:/var/lib/lxc/c1/rootfs/",
		"lxc.mount.entry",
		"/srv /var/lib/lxc/c1/rootfs/srv none bind 0 0",
		"lxc.mount.entry",
		"/srv /elsewhere/srv none bind 0 0",
		NULL,
	};
	cleanup_lxcconf struct lxc_config *conf = conf_of(kv);
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *oci = NULL;
	struct ct_diag diag = { 0 };
	json_t *mounts;

	opts.diag = &diag;
	ck_assert_int_eq(family_to_oci(conf, &oci, &err), 0);
	opts.diag = NULL;
	mounts = json_object_get(oci, "mounts");
	ck_assert_int_eq(json_array_size(mounts), 2); /* /srv and autodev's /dev */
	ck_assert_str_eq(
		json_string_value(json_object_get(json_array_get(mounts, 1), "destination")),
		"/srv");
	ck_assert_uint_eq(diag.count, 1); /* the one outside the rootfs is warned about */
}
END_TEST

START_TEST(bad_entries_are_located_errors)
{
	static const char *const bad[] = {
		"/a b none",		   /* too few fields */
		"/a b none bind 0 0 0",	   /* too many */
		"/a\\041 b none bind 0 0", /* escape getmntent does not decode */
		"/a b none bind x 0",	   /* dump not a number */
		"#/a b none bind 0 0",	   /* a comment for getmntent */
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cleanup_lxcconf struct lxc_config *conf = conf_of((const char *const[]){
			"lxc.autodev", "0", "lxc.mount.entry", bad[i], NULL });
		cleanup_error struct ct_error *err = NULL;
		cleanup_json json_t *oci = NULL;

		ck_assert_int_lt(family_to_oci(conf, &oci, &err), 0);
		ck_assert_ptr_nonnull(err);
		ck_assert_str_eq(err->file, "t.conf");
		ck_assert_uint_eq(err->line, 2);
		ck_assert_ptr_nonnull(strstr(err->msg, "lxc.mount.entry"));
		ck_assert_msg(err->hint != NULL, "no hint for %s", bad[i]);
	}
}
END_TEST

START_TEST(mount_auto_variants)
{
	static const struct {
		const char *value, *mounts;
	} cases[] = {
		{ "proc:mixed sys:ro cgroup:ro",
		  "[{\"destination\":\"/proc\",\"source\":\"proc\",\"type\":\"proc\"},"
		  "{\"destination\":\"/sys\",\"options\":[\"nosuid\",\"noexec\",\"nodev\",\"ro\"],"
		  "\"source\":\"sysfs\",\"type\":\"sysfs\"},"
		  "{\"destination\":\"/sys/fs/cgroup\",\"options\":[\"nosuid\",\"noexec\",\"nodev\","
		  "\"relatime\",\"ro\"],\"source\":\"cgroup\",\"type\":\"cgroup\"}]" },
		{ "sys:rw proc:rw",
		  "[{\"destination\":\"/proc\",\"source\":\"proc\",\"type\":\"proc\"},"
		  "{\"destination\":\"/sys\",\"options\":[\"nosuid\",\"noexec\",\"nodev\"],"
		  "\"source\":\"sysfs\",\"type\":\"sysfs\"}]" },
		{ "cgroup2:ro:force",
		  "[{\"destination\":\"/sys/fs/cgroup\",\"options\":[\"nosuid\",\"noexec\",\"nodev\","
		  "\"relatime\",\"ro\"],\"source\":\"cgroup2\",\"type\":\"cgroup2\"}]" },
		{ "cgroup-full:mixed",
		  "[{\"destination\":\"/sys/fs/cgroup\",\"options\":[\"nosuid\",\"noexec\",\"nodev\","
		  "\"relatime\"],\"source\":\"cgroup\",\"type\":\"cgroup\"}]" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *const kv[] = { "lxc.autodev", "0", "lxc.mount.auto", cases[i].value,
					   NULL };
		cleanup_lxcconf struct lxc_config *conf = conf_of(kv);
		cleanup_error struct ct_error *err = NULL;
		cleanup_json json_t *oci = NULL;
		cleanup_free char *m = NULL;

		ck_assert_int_eq(family_to_oci(conf, &oci, &err), 0);
		m = mounts_of(oci);
		ck_assert_str_eq(m, cases[i].mounts);
		ck_assert_str_eq(json_string_value(ct_json_get(oci, "/annotations/" CT_ANNOT_META
								    "mount-auto")),
				 cases[i].value);
		assert_lxc_round_trip(kv);
	}
}
END_TEST

START_TEST(mount_auto_lines_accumulate_and_come_back)
{
	static const char *const kv[] = {
		"lxc.mount.auto",
		"cgroup:mixed proc:mixed sys:mixed",
		"lxc.mount.entry",
		"/sys/fs/fuse/connections sys/fs/fuse/connections none "
		"bind,optional 0 0",
		"lxc.mount.auto",
		"sys:rw",
		"lxc.pty.max",
		"1024",
		NULL,
	};
	cleanup_lxcconf struct lxc_config *conf = conf_of(kv);
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *oci = NULL;
	json_t *mounts;
	const char *order[] = { "/proc", "/dev",	   "/dev/pts",
				"/sys",	 "/sys/fs/cgroup", "/sys/fs/fuse/connections" };

	ck_assert_int_eq(family_to_oci(conf, &oci, &err), 0);
	mounts = json_object_get(oci, "mounts");
	ck_assert_int_eq(json_array_size(mounts), 6);
	for (size_t i = 0; i < 6; i++)
		ck_assert_str_eq(json_string_value(
					 json_object_get(json_array_get(mounts, i), "destination")),
				 order[i]);
	/* sys:rw, the later token, wins: no ro. */
	ck_assert_int_eq(json_array_size(json_object_get(json_array_get(mounts, 3), "options")), 3);
	assert_lxc_round_trip(kv);
}
END_TEST

START_TEST(mount_auto_unknown_token_is_located_error)
{
	cleanup_lxcconf struct lxc_config *conf = conf_of(
		(const char *const[]){ "lxc.mount.auto", "proc:mixed sys:bogus", NULL });
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *oci = NULL;

	ck_assert_int_lt(family_to_oci(conf, &oci, &err), 0);
	ck_assert_uint_eq(err->line, 1);
	ck_assert_ptr_nonnull(strstr(err->msg, "sys:bogus"));
	ck_assert_ptr_nonnull(err->hint);
}
END_TEST

START_TEST(native_oci_proc_sys_are_entries_cgroup_is_auto)
{
	cleanup_json json_t *oci = oci_with_mounts(RUNC_SPEC_MOUNTS);
	cleanup_lxcconf struct lxc_config *conf = family_to_lxc(oci);
	cleanup_free char *entries = values(conf, "lxc.mount.entry");
	cleanup_free char *autos = values(conf, "lxc.mount.auto");
	cleanup_free char *autodev = values(conf, "lxc.autodev");
	cleanup_free char *pty = values(conf, "lxc.pty.max");

	/* OCI runtimes create mount points, liblxc only with create=. */
	ck_assert_str_eq(entries, "proc proc proc create=dir 0 0|"
				  "shm dev/shm tmpfs nosuid,noexec,nodev,mode=1777,size=65536k,"
				  "create=dir 0 0|"
				  "mqueue dev/mqueue mqueue nosuid,noexec,nodev,create=dir 0 0|"
				  "sysfs sys sysfs nosuid,noexec,nodev,ro,create=dir 0 0");
	ck_assert_str_eq(autos, "cgroup:ro");
	ck_assert_str_eq(autodev, ""); /* the default */
	ck_assert_str_eq(pty, "1048576");
}
END_TEST

START_TEST(runc_spec_mounts_round_trip_exactly)
{
	assert_oci_round_trip(RUNC_SPEC_MOUNTS);
}
END_TEST

START_TEST(ocdm_runc_mounts_round_trip_exactly)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "[" OCDM_TMP "%s", RUNC_SPEC_MOUNTS + 1);
	assert_oci_round_trip(buf);
}
END_TEST

START_TEST(runc_spec_through_driver_has_no_mount_carry_line)
{
	json_error_t jerr;
	char buf[4096];
	cleanup_json json_t *oci = NULL, *back = NULL;
	cleanup_lxcconf struct lxc_config *conf = NULL;
	cleanup_error struct ct_error *err = NULL;

	snprintf(
		buf, sizeof(buf),
		"{\"ociVersion\":\"1.0.2-dev\",\"process\":{\"terminal\":false,\"user\":{\"uid\":0,"
		"\"gid\":0},\"args\":[\"sh\"],\"env\":[],\"cwd\":\"/\"},\"root\":{\"path\":"
		"\"rootfs\"},\"mounts\":[" OCDM_TMP "%s}",
		RUNC_SPEC_MOUNTS + 1);
	oci = json_loads(buf, 0, &jerr);
	ck_assert_ptr_nonnull(oci);
	ck_assert_int_eq(ct_oci_to_lxc(oci, &opts, &conf, NULL, &err), 0);
	for (size_t i = 0; i < conf->ncarry; i++)
		ck_assert_msg(!strstr(conf->carry[i].text, "/mounts"), "carry line %s",
			      conf->carry[i].text);
	ck_assert_int_eq(ct_lxc_to_oci(conf, &opts, &back, &err), 0);
	ck_assert(json_equal(json_object_get(oci, "mounts"), json_object_get(back, "mounts")));
}
END_TEST

START_TEST(bind_of_a_file_gets_create_file)
{
	cleanup_json json_t *oci = oci_with_mounts(
		"[{\"destination\":\"/etc/hostname\",\"source\":\"/etc/hostname\","
		"\"options\":[\"rbind\",\"ro\"]}]");
	cleanup_lxcconf struct lxc_config *conf = family_to_lxc(oci);

	ck_assert_str_eq(lxcconf_get(conf, "lxc.mount.entry"),
			 "/etc/hostname etc/hostname none rbind,ro,create=file 0 0");
}
END_TEST

START_TEST(autodev_on_off_and_size)
{
	static const char *const off[] = { "lxc.autodev", "0", NULL };
	static const char *const sized[] = { "lxc.autodev.tmpfs.size", "1000000", NULL };
	cleanup_lxcconf struct lxc_config *c1 = conf_of(off), *c2 = conf_of(sized);
	cleanup_lxcconf struct lxc_config *c3 = conf_of(
		(const char *const[]){ "lxc.uts.name", "x", NULL });
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *o1 = NULL, *o2 = NULL, *o3 = NULL;
	cleanup_free char *m2 = NULL, *m3 = NULL;

	ck_assert_int_eq(family_to_oci(c1, &o1, &err), 0);
	ck_assert_ptr_null(json_object_get(o1, "mounts"));
	ck_assert_int_eq(family_to_oci(c2, &o2, &err), 0);
	m2 = mounts_of(o2);
	ck_assert_str_eq(
		m2, "[{\"destination\":\"/dev\",\"options\":[\"nosuid\",\"strictatime\","
		    "\"mode=755\",\"size=1000000\"],\"source\":\"tmpfs\",\"type\":\"tmpfs\"}]");
	ck_assert_int_eq(family_to_oci(c3, &o3, &err), 0);
	m3 = mounts_of(o3);
	ck_assert_ptr_nonnull(strstr(m3, "size=65536k"));
	assert_lxc_round_trip(off);
	assert_lxc_round_trip(sized);
	assert_lxc_round_trip((const char *const[]){ "lxc.autodev", "1", NULL });
	/* OCI without a /dev tmpfs: autodev off. */
	assert_oci_round_trip("[{\"destination\":\"/dev\",\"source\":\"/dev\","
			      "\"options\":[\"rbind\"]}]");
}
END_TEST

START_TEST(pty_max_is_devpts_max)
{
	static const char *const kv[] = { "lxc.pty.max", "10", "lxc.tty.max", "4", NULL };
	cleanup_lxcconf struct lxc_config *conf = conf_of(kv);
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *oci = NULL;
	json_t *pts;

	ck_assert_int_eq(family_to_oci(conf, &oci, &err), 0);
	pts = json_array_get(json_object_get(oci, "mounts"), 1);
	ck_assert_str_eq(json_string_value(json_object_get(pts, "destination")), "/dev/pts");
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(pts, "options"), 6)),
			 "max=14");
	/* The tty count comes back through its annotation. */
	ck_assert_int_eq(
		ct_json_set(oci, "/annotations/" CT_ANNOT_LXC "tty.max", json_string("4"), &err),
		0);
	{
		cleanup_lxcconf struct lxc_config *back = family_to_lxc(oci);

		ck_assert_str_eq(lxcconf_get(back, "lxc.pty.max"), "10");
	}
	assert_lxc_round_trip((const char *const[]){ "lxc.pty.max", "1024", NULL });
	/* Without lxc.pty.max liblxc mounts no devpts. */
	{
		cleanup_lxcconf struct lxc_config *none = conf_of(
			(const char *const[]){ "lxc.autodev", "1", NULL });
		cleanup_json json_t *o = NULL;

		ck_assert_int_eq(family_to_oci(none, &o, &err), 0);
		ck_assert_int_eq(json_array_size(json_object_get(o, "mounts")), 1);
	}
}
END_TEST

START_TEST(any_devpts_on_dev_pts_is_pty_max)
{
	/* rootless runc spec's /dev/pts (no gid=5): liblxc mounts no devpts from an entry */
	cleanup_json json_t *rootless = oci_with_mounts(
		"[{\"destination\":\"/dev/pts\",\"type\":\"devpts\",\"source\":\"devpts\","
		"\"options\":[\"nosuid\",\"noexec\",\"newinstance\",\"ptmxmode=0666\","
		"\"mode=0620\"]}]");
	cleanup_json json_t *small = oci_with_mounts(
		"[{\"destination\":\"/dev/pts\",\"type\":\"devpts\",\"source\":\"devpts\","
		"\"options\":[\"newinstance\",\"max=8\",\"mode=0600\"]}]");
	cleanup_lxcconf struct lxc_config *a = family_to_lxc(rootless), *b = family_to_lxc(small);
	cleanup_lxcconf struct lxc_config *conf = NULL;
	cleanup_json json_t *doc = NULL, *back = NULL;
	cleanup_error struct ct_error *err = NULL;
	bool carried = false;

	ck_assert_str_eq(lxcconf_get(a, "lxc.pty.max"), "1048576");
	ck_assert_ptr_null(lxcconf_get(a, "lxc.mount.entry"));
	ck_assert_str_eq(lxcconf_get(b, "lxc.pty.max"), "8");
	ck_assert_ptr_null(lxcconf_get(b, "lxc.mount.entry"));
	ck_assert_str_eq(lxcconf_get(b, "lxc.autodev"), "0");
	/* through the driver: the option differences are carried and come back exactly */
	doc = json_pack("{s:s, s:{s:b, s:{s:i, s:i}, s:[s], s:[], s:s}, s:{s:s}, s:O}",
			"ociVersion", "1.0.2-dev", "process", "terminal", 0, "user", "uid", 0,
			"gid", 0, "args", "sh", "env", "cwd", "/", "root", "path", "/r", "mounts",
			json_object_get(rootless, "mounts"));
	ck_assert_int_eq(ct_oci_to_lxc(doc, &opts, &conf, NULL, &err), 0);
	ck_assert_str_eq(lxcconf_get(conf, "lxc.pty.max"), "1048576");
	for (size_t i = 0; i < conf->ncarry; i++)
		carried = carried || strstr(conf->carry[i].text, "/mounts/0/options");
	ck_assert(carried);
	ck_assert_int_eq(ct_lxc_to_oci(conf, &opts, &back, &err), 0);
	ck_assert(json_equal(json_object_get(doc, "mounts"), json_object_get(back, "mounts")));
}
END_TEST

static char *write_temp(char *dir_template, const char *name, const char *content)
{
	char *path = NULL;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir_template));
	ck_assert_int_ge(asprintf(&path, "%s/%s", dir_template, name), 0);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(content, f);
	fclose(f);
	return path;
}

START_TEST(fstab_file_lines_become_mounts_and_key_comes_back)
{
	char dir[] = "/tmp/ct-fstab-XXXXXX";
	cleanup_free char *path = write_temp(dir, "fstab",
					     "# comment\n\n/srv srv none bind,create=dir 0 0\n"
					     "  tmpfs run tmpfs nosuid\n");
	static const char *const kv[] = { "lxc.mount.fstab", "fstab", "lxc.mount.entry",
					  "/opt opt none bind 0 0", NULL };
	cleanup_lxcconf struct lxc_config *conf = conf_of(kv);
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *oci = NULL;
	cleanup_free char *m = NULL;

	opts.config_dir = dir;
	ck_assert_int_eq(family_to_oci(conf, &oci, &err), 0);
	m = mounts_of(oci);
	/* autodev's /dev has no canonical predecessor here: it goes first. */
	ck_assert_str_eq(m,
			 "[{\"destination\":\"/dev\",\"options\":[\"nosuid\",\"strictatime\","
			 "\"mode=755\",\"size=65536k\"],\"source\":\"tmpfs\",\"type\":\"tmpfs\"},"
			 "{\"destination\":\"/srv\",\"options\":[\"bind\"],\"source\":\"/srv\"},"
			 "{\"destination\":\"/run\",\"options\":[\"nosuid\"],\"source\":\"tmpfs\","
			 "\"type\":\"tmpfs\"},"
			 "{\"destination\":\"/opt\",\"options\":[\"bind\"],\"source\":\"/opt\"}]");
	ck_assert_str_eq(json_string_value(ct_json_get(oci, "/annotations/" CT_ANNOT_META
							    "mount-fstab-mounts")),
			 "1 2");
	ck_assert_str_eq(
		json_string_value(ct_json_get(oci, "/annotations/" CT_ANNOT_META "mount-fstab")),
		"fstab");
	assert_lxc_round_trip(kv);
	opts.config_dir = NULL;
	unlink(path);
	rmdir(dir);
}
END_TEST

START_TEST(fstab_missing_or_bad_is_located_error)
{
	char dir[] = "/tmp/ct-fstab-XXXXXX";
	cleanup_free char *path = write_temp(dir, "fstab", "/srv srv none bind 0 0\n/x y\n");
	cleanup_lxcconf struct lxc_config *missing = conf_of(
		(const char *const[]){ "lxc.mount.fstab", "nonexistent", NULL });
	cleanup_lxcconf struct lxc_config *bad = conf_of(
		(const char *const[]){ "lxc.mount.fstab", "fstab", NULL });
	cleanup_error struct ct_error *e1 = NULL, *e2 = NULL;
	cleanup_json json_t *o1 = NULL, *o2 = NULL;

	opts.config_dir = dir;
	ck_assert_int_lt(family_to_oci(missing, &o1, &e1), 0);
	ck_assert_str_eq(e1->file, "t.conf");
	ck_assert_uint_eq(e1->line, 1);
	ck_assert_ptr_nonnull(e1->hint);
	ck_assert_int_lt(family_to_oci(bad, &o2, &e2), 0);
	ck_assert_str_eq(e2->file, path);
	ck_assert_uint_eq(e2->line, 2);
	opts.config_dir = NULL;
	unlink(path);
	rmdir(dir);
}
END_TEST

START_TEST(implied_mounts_go_before_entries_below_them)
{
	static const char *const kv[] = {
		"lxc.mount.entry",
		"/dev/net/tun dev/net/tun none bind,create=file 0 0",
		"lxc.mount.auto",
		"proc:rw",
		NULL,
	};
	cleanup_lxcconf struct lxc_config *conf = conf_of(kv);
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *oci = NULL;
	json_t *mounts;

	ck_assert_int_eq(family_to_oci(conf, &oci, &err), 0);
	mounts = json_object_get(oci, "mounts");
	ck_assert_str_eq(
		json_string_value(json_object_get(json_array_get(mounts, 0), "destination")),
		"/proc");
	ck_assert_str_eq(
		json_string_value(json_object_get(json_array_get(mounts, 1), "destination")),
		"/dev");
	ck_assert_str_eq(
		json_string_value(json_object_get(json_array_get(mounts, 2), "destination")),
		"/dev/net/tun");
	assert_lxc_round_trip(kv);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("map_mount");
	TCase *tc = tcase_create("mount");

	tcase_add_test(tc, entry_bind_both_ways);
	tcase_add_test(tc, entry_typed_and_defaults_both_ways);
	tcase_add_test(tc, entry_escapes_decoded_and_encoded);
	tcase_add_test(tc, entry_lxc_only_options_stay_out_of_oci);
	tcase_add_test(tc, ocdm_lxc_entry_comes_back_exactly);
	tcase_add_test(tc, absolute_destination_inside_rootfs_is_relative);
	tcase_add_test(tc, bad_entries_are_located_errors);
	tcase_add_test(tc, mount_auto_variants);
	tcase_add_test(tc, mount_auto_lines_accumulate_and_come_back);
	tcase_add_test(tc, mount_auto_unknown_token_is_located_error);
	tcase_add_test(tc, native_oci_proc_sys_are_entries_cgroup_is_auto);
	tcase_add_test(tc, runc_spec_mounts_round_trip_exactly);
	tcase_add_test(tc, ocdm_runc_mounts_round_trip_exactly);
	tcase_add_test(tc, runc_spec_through_driver_has_no_mount_carry_line);
	tcase_add_test(tc, bind_of_a_file_gets_create_file);
	tcase_add_test(tc, autodev_on_off_and_size);
	tcase_add_test(tc, pty_max_is_devpts_max);
	tcase_add_test(tc, any_devpts_on_dev_pts_is_pty_max);
	tcase_add_test(tc, fstab_file_lines_become_mounts_and_key_comes_back);
	tcase_add_test(tc, fstab_missing_or_bad_is_located_error);
	tcase_add_test(tc, implied_mounts_go_before_entries_below_them);
	suite_add_tcase(s, tc);
	return s;
}
