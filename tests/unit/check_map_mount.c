/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* map_mount.c and mountopts.c: the mount family, both ways. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/magic.h>
#include <sys/statfs.h>

#include "check_main.h"
#include "cleanup.h"
#include "families.h"
#include "jsonutil.h"
#include "lxcconf.h"
#include "mountopts.h"
#include "translate.h"

#define RUNC_SPEC_MOUNTS                                                                          \
	"[{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"},"                     \
	"{\"destination\":\"/dev\",\"type\":\"tmpfs\",\"source\":\"tmpfs\",\"options\":"          \
	"[\"nosuid\",\"strictatime\",\"mode=755\",\"size=65536k\"]},"                             \
	"{\"destination\":\"/dev/pts\",\"type\":\"devpts\",\"source\":\"devpts\",\"options\":"    \
	"[\"nosuid\",\"noexec\",\"newinstance\",\"ptmxmode=0666\",\"mode=0620\",\"gid=5\"]},"     \
	"{\"destination\":\"/dev/shm\",\"type\":\"tmpfs\",\"source\":\"shm\",\"options\":"        \
	"[\"nosuid\",\"noexec\",\"nodev\",\"mode=1777\",\"size=65536k\"]},"                       \
	"{\"destination\":\"/dev/mqueue\",\"type\":\"mqueue\",\"source\":\"mqueue\",\"options\":" \
	"[\"nosuid\",\"noexec\",\"nodev\"]},"                                                     \
	"{\"destination\":\"/sys\",\"type\":\"sysfs\",\"source\":\"sysfs\",\"options\":"          \
	"[\"nosuid\",\"noexec\",\"nodev\",\"ro\"]},"                                              \
	"{\"destination\":\"/sys/fs/cgroup\",\"type\":\"cgroup\",\"source\":\"cgroup\","          \
	"\"options\":[\"nosuid\",\"noexec\",\"nodev\",\"relatime\",\"ro\"]}]"

/* The OCDM example's /tmp bind, then runc spec's list. */
#define OCDM_TMP "{\"source\":\"/tmp\",\"destination\":\"/tmp\",\"options\":[\"rw\",\"bind\"]},"

static struct ct_translate_opts opts;

static struct lxc_config *conf_of(const char *const *kv)
{
	struct lxc_config *conf = lxcconf_new();
	cleanup_error struct ct_error *err = NULL;

	ck_assert_ptr_nonnull(conf);
	for (unsigned i = 0; kv[i]; i += 2)
		ck_assert_int_eq(lxcconf_add(conf, kv[i], kv[i + 1], "t.conf", i / 2 + 1, &err), 0);
	return conf;
}

/* Run the family's to_oci on conf; returns the document (annotations and mounts). */
static int family_to_oci(struct lxc_config *conf, json_t **ret, struct ct_error **err)
{
	cleanup_free bool *used = calloc(conf->n + 1, sizeof(bool));
	json_t *oci = json_object();
	struct ct_ctx ctx = { .lxc = conf, .oci = oci, .opts = &opts, .used = used };
	int rc = ct_family_mount.to_oci(&ctx, err);

	for (size_t i = 0; rc == 0 && i < conf->n; i++)
		if (strncmp(conf->v[i].key, "lxc.mount.", 10) == 0 && !used[i] &&
		    strcmp(conf->v[i].key, "lxc.mount.entry") != 0)
			ck_abort_msg("%s not marked used", conf->v[i].key);
	*ret = oci;
	return rc;
}

static struct lxc_config *family_to_lxc(json_t *oci)
{
	cleanup_error struct ct_error *err = NULL;
	struct lxc_config *conf = lxcconf_new();
	struct ct_ctx ctx = { .lxc = conf, .oci = oci, .opts = &opts };

	ck_assert_int_eq(ct_family_mount.to_lxc(&ctx, &err), 0);
	return conf;
}

static json_t *oci_with_mounts(const char *mounts_json)
{
	json_error_t jerr;
	json_t *mounts = json_loads(mounts_json, 0, &jerr);

	ck_assert_msg(mounts != NULL, "bad test JSON: %s", jerr.text);
	return json_pack("{s:o}", "mounts", mounts);
}

/* The values of key in conf, joined by '|'. */
static char *values(const struct lxc_config *conf, const char *key)
{
	struct strbuf sb = STRBUF_INIT;
	const struct lxc_entry *e;

	for (size_t i = 0; (e = lxcconf_next(conf, key, false, &i)); i++)
		strbuf_printf(&sb, "%s%s", sb.len ? "|" : "", e->value);
	strbuf_puts(&sb, "");
	return strbuf_steal(&sb);
}

static char *mounts_of(json_t *oci)
{
	return ct_json_canonical(json_object_get(oci, "mounts"));
}

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

START_TEST(mntline_helpers)
{
	cleanup_error struct ct_error *err = NULL;
	struct mntline_where w = { "lxc.mount.entry", "f", 3 };
	struct mntline m;

	ck_assert_int_eq(mntline_parse(" a\\\\b  c\\134d t o,p", &w, &m, &err), 0);
	ck_assert_str_eq(m.source, "a\\b");
	ck_assert_str_eq(m.dest, "c\\d");
	ck_assert_ptr_null(m.dump);
	ck_assert(mntline_has_option(&m, "p"));
	ck_assert(!mntline_has_option(&m, "o,p"));
	mntline_release(&m);
	ck_assert(mntopt_is_lxc_only("idmap=container"));
	ck_assert(!mntopt_is_lxc_only("bind"));
	ck_assert_int_lt(mntline_parse("a b c d\\04", &w, &m, &err), 0);
	ck_assert_str_eq(err->file, "f");
}
END_TEST

/* lxc2oci keeps an entry's original line unless the mount gives it back. It finds that out
 * without rendering the line: mntline_gives_back() trusts a plain line's fields, and
 * mntview_gives() compares as it renders. Both must agree with the rendered line on every
 * spelling that is not the one oci2lxc writes. */
START_TEST(entry_written_back_is_found_without_rendering)
{
	static const struct {
		const char *line;
		bool same;
	} cases[] = {
		{ "a b none create=dir 0 0", true },
		{ "/tmp tmp none rw,bind,create=dir 0 0", true },
		{ "/etc/hostname etc/hostname none bind,create=file 0 0", true },
		{ "/etc/hostname etc/hostname none bind,create=dir 0 0", false },
		{ "/tmp tmp none rw,bind,create=file 0 0", false },
		{ "shm dev/shm tmpfs nosuid,mode=1777,create=dir 0 0", true },
		{ "a\\040b c\\011d none create=dir 0 0", true },
		{ "a b\\012c none create=dir 0 0", true },
		{ "a\\\\b c none create=dir 0 0", false },
		{ "a\\b c none create=dir 0 0", false },
		{ "a  b none create=dir 0 0", false },
		{ " a b none create=dir 0 0", false },
		{ "a b none create=dir 0 0 ", false },
		{ "a\tb none create=dir 0 0", false },
		{ "a b\nc none create=dir 0 0", false },
		{ "a b none create=dir 0 1", false },
		{ "a b none create=dir", false },
		{ "a b none rw,create=dir,", false },
		{ "a b none rw,create=dir, 0 0", false },
		{ "a b none rw,,create=dir 0 0", false },
		{ "a b none ,create=dir 0 0", false },
		{ "a b none create=dir,rw 0 0", false },
		{ "a b none optional,create=dir 0 0", false },
		{ "a b none rw,optional 0 0", false },
		{ "a b none defaults,create=dir 0 0", false },
		{ "a b none defaults,rw,create=dir 0 0", true },
		{ "a b none relative,create=dir 0 0", false },
		{ "a b none rw 0 0", false },
		{ "a /b none create=dir 0 0", false },
		{ "a b none \303\251,create=dir 0 0", true },
		{ "a b none \351,create=dir 0 0", false },
	};
	cleanup_error struct ct_error *err = NULL;
	struct mntline_where w = { "lxc.mount.entry", "f", 1 };

	for (size_t i = 0; i < CT_ARRAY_SIZE(cases); i++) {
		cleanup_json json_t *m = NULL;
		cleanup_free char *dest = NULL, *back = NULL;
		struct mntline_oci info;
		struct mntline ml;

		ck_assert_int_eq(mntline_parse(cases[i].line, &w, &ml, &err), 0);
		ck_assert_int_gt(asprintf(&dest, "%s%s", ml.dest[0] == '/' ? "" : "/", ml.dest), 0);
		m = mntline_to_oci(&ml, dest, &info);
		ck_assert_ptr_nonnull(m);
		back = mntline_from_oci(m, NULL);
		ck_assert_ptr_nonnull(back);
		/* the cases say what rendering gives; the two shortcuts must say the same */
		ck_assert_msg((strcmp(back, cases[i].line) == 0) == cases[i].same,
			      "%s: rendered as %s", cases[i].line, back);
		ck_assert_msg(mntview_gives(&info.view, NULL, cases[i].line) == cases[i].same,
			      "mntview_gives: %s", cases[i].line);
		ck_assert_msg(mntline_gives_back(&ml, &info, NULL, cases[i].line) == cases[i].same,
			      "mntline_gives_back: %s", cases[i].line);
		mntline_release(&ml);
	}
}
END_TEST

/* A line longer than struct mntline's own buffer is decoded into an allocated one. */
START_TEST(long_entry_line_parses_like_a_short_one)
{
	cleanup_error struct ct_error *err = NULL;
	struct mntline_where w = { "lxc.mount.entry", "f", 1 };
	cleanup_free char *src = malloc(1001), *line = NULL;
	struct mntline ml;

	ck_assert_ptr_nonnull(src);
	memset(src, 's', 1000);
	src[0] = '/';
	src[1000] = '\0';
	ck_assert_int_gt(asprintf(&line, "%s\\040x d\\\\e none rw,create=dir 0 0", src), 0);
	ck_assert_int_eq(mntline_parse(line, &w, &ml, &err), 0);
	ck_assert_ptr_nonnull(ml.heap);
	ck_assert_uint_eq(strlen(ml.source), 1002);
	ck_assert_str_eq(ml.source + 1000, " x");
	ck_assert_str_eq(ml.dest, "d\\e");
	ck_assert_str_eq(ml.options, "rw,create=dir");
	ck_assert_str_eq(ml.pass, "0");
	mntline_release(&ml);
	ck_assert_int_eq(mntline_parse("a b c d", &w, &ml, &err), 0);
	ck_assert_ptr_null(ml.heap);
	ck_assert_str_eq(ml.options, "d");
	ck_assert_ptr_null(ml.dump);
	mntline_release(&ml);
}
END_TEST

/* The options' one pass: empty options skipped, liblxc-only ones left out, "defaults" alone
 * meaning none, the lossy ones found anywhere. */
START_TEST(entry_options_in_one_pass)
{
	cleanup_error struct ct_error *err = NULL;
	struct mntline_where w = { "lxc.mount.entry", "f", 1 };
	static const struct {
		const char *line, *options;
		bool lossy;
	} cases[] = {
		{ "a b none ,,ro,,bind,optional, 0 0", "[\"ro\",\"bind\"]", false },
		{ "a b none defaults 0 0", NULL, false },
		{ "a b none defaults,create=dir 0 0", NULL, false },
		{ "a b none create=file,relative 0 0", NULL, true },
		{ "a b none ro,idmap=container 0 0", "[\"ro\"]", true },
		{ "a b none idmap 0 0", "[\"idmap\"]", false },
	};

	for (size_t i = 0; i < CT_ARRAY_SIZE(cases); i++) {
		cleanup_json json_t *m = NULL;
		cleanup_free char *got = NULL;
		struct mntline_oci info;
		struct mntline ml;

		ck_assert_int_eq(mntline_parse(cases[i].line, &w, &ml, &err), 0);
		m = mntline_to_oci(&ml, "/b", &info);
		mntline_release(&ml);
		ck_assert_ptr_nonnull(m);
		ck_assert_msg(info.lossy == cases[i].lossy, "%s", cases[i].line);
		if (!cases[i].options) {
			ck_assert_ptr_null(json_object_get(m, "options"));
			continue;
		}
		got = json_dumps(json_object_get(m, "options"), JSON_COMPACT);
		ck_assert_str_eq(got, cases[i].options);
	}
}
END_TEST

/* liblxc mounts every cgroup token on a host with the unified hierarchy alone. */
static bool host_unified_only(void)
{
	struct statfs sf;

	return statfs("/sys/fs/cgroup", &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC;
}

static bool has_mount(json_t *oci, const char *dest)
{
	size_t i;
	json_t *m;

	json_array_foreach (json_object_get(oci, "mounts"), i, m)
		if (strcmp(json_string_value(json_object_get(m, "destination")), dest) == 0)
			return true;
	return false;
}

/* lxc2oci, then oci2lxc of that, through the driver: returns whether /sys/fs/cgroup was
 * mounted and checks that lxc.mount.auto comes back as written, without carry lines. */
static bool cgroup_mounted(const char *const *kv)
{
	cleanup_lxcconf struct lxc_config *in = conf_of(kv), *back = NULL;
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *oci = NULL;
	cleanup_free char *want = NULL, *got = NULL;

	ck_assert_int_eq(ct_lxc_to_oci(in, &opts, &oci, &err), 0);
	ck_assert_int_eq(ct_oci_to_lxc(oci, &opts, &back, NULL, &err), 0);
	want = values(in, "lxc.mount.auto");
	got = values(back, "lxc.mount.auto");
	ck_assert_str_eq(got, want);
	ck_assert_msg(back->ncarry == 0, "carry line %s", back->ncarry ? back->carry[0].text : "");
	return has_mount(oci, "/sys/fs/cgroup");
}

START_TEST(cgroup_auto_mount_in_a_cgroup_namespace_needs_force)
{
	bool skip = !host_unified_only();
	cleanup_json json_t *oci = oci_with_mounts(RUNC_SPEC_MOUNTS);
	cleanup_json json_t *ns = json_pack("[{s:s}, {s:s}]", "type", "mount", "type", "cgroup");
	cleanup_json json_t *bnd = json_pack("[s, s]", "CAP_KILL", "CAP_SYS_ADMIN");
	cleanup_lxcconf struct lxc_config *plain = NULL, *forced = NULL, *recorded = NULL;
	cleanup_free char *a = NULL, *b = NULL, *c = NULL;

	/* liblxc's default namespaces include cgroup, and no cap key keeps CAP_SYS_ADMIN */
	ck_assert(cgroup_mounted((const char *const[]){ "lxc.rootfs.path", "/r", "lxc.mount.auto",
							"proc:rw sys:ro cgroup:ro", NULL }) ==
		  !skip);
	ck_assert(cgroup_mounted((const char *const[]){ "lxc.rootfs.path", "/r", "lxc.mount.auto",
							"cgroup:ro", NULL }) == !skip);
	ck_assert(cgroup_mounted((const char *const[]){ "lxc.rootfs.path", "/r", "lxc.mount.auto",
							"cgroup:mixed:force", NULL }));
	ck_assert(cgroup_mounted((const char *const[]){ "lxc.rootfs.path", "/r", "lxc.mount.auto",
							"cgroup:ro", "lxc.cap.drop", "sys_admin",
							NULL }));
	ck_assert(cgroup_mounted((const char *const[]){ "lxc.rootfs.path", "/r", "lxc.mount.auto",
							"cgroup2:ro", "lxc.cap.keep", "kill",
							NULL }));
	ck_assert(cgroup_mounted((const char *const[]){ "lxc.rootfs.path", "/r", "lxc.mount.auto",
							"cgroup:ro", "lxc.namespace.clone",
							"mnt pid", NULL }));

	/* oci2lxc: a cgroup mount with a cgroup namespace and CAP_SYS_ADMIN gets :force */
	plain = family_to_lxc(oci);
	a = values(plain, "lxc.mount.auto");
	ck_assert_str_eq(a, "cgroup:ro");
	ck_assert_int_eq(ct_json_set(oci, "/linux/namespaces", json_incref(ns), NULL), 0);
	ck_assert_int_eq(ct_json_set(oci, "/process/capabilities/bounding", json_incref(bnd), NULL),
			 0);
	forced = family_to_lxc(oci);
	b = values(forced, "lxc.mount.auto");
	ck_assert_str_eq(b, skip ? "cgroup:ro:force" : "cgroup:ro");
	/* also when the recorded spelling did not mount it */
	ck_assert_int_eq(ct_json_set(oci, "/annotations/org.ctlaunch.meta.mount-auto",
				     json_string("proc:rw  cgroup:ro"), NULL),
			 0);
	recorded = family_to_lxc(oci);
	c = values(recorded, "lxc.mount.auto");
	ck_assert_str_eq(c, skip ? "proc:rw cgroup:ro:force" : "proc:rw  cgroup:ro");
}
END_TEST

/* The namespace's type is found wherever it is among the members, a path makes it joined, and
 * only CAP_SYS_ADMIN itself counts. */
START_TEST(cgroup_force_reads_namespaces_and_capabilities)
{
	static const struct {
		const char *ns, *caps;
		bool cloned_and_admin;
	} cases[] = {
		{ "[{\"type\":\"cgroup\"}]", "[\"CAP_KILL\",\"CAP_SYS_ADMIN\"]", true },
		{ "[{\"x\":1,\"type\":\"cgroup\"}]", "[\"CAP_SYS_ADMIN\"]", true },
		{ "[{\"path\":\"/p\",\"type\":\"cgroup\"}]", "[\"CAP_SYS_ADMIN\"]", false },
		{ "[{\"type\":\"cgroup\",\"path\":\"/p\"}]", "[\"CAP_SYS_ADMIN\"]", false },
		{ "[{\"type\":\"mount\"},7]", "[\"CAP_SYS_ADMIN\"]", false },
		{ "[{\"type\":\"cgroup\"}]", "[\"CAP_SYS_ADMINS\",\"CAP_SYS_ADMI\",1]", false },
		{ "[{\"type\":\"cgroup\"}]", "[\"CAP_SYS_ADMIN\\u0000x\"]", true },
	};

	for (size_t i = 0; i < CT_ARRAY_SIZE(cases); i++) {
		cleanup_json json_t *oci = json_object();

		ck_assert_int_eq(ct_json_set(oci, "/linux/namespaces",
					     json_loads(cases[i].ns, 0, NULL), NULL),
				 0);
		ck_assert_int_eq(ct_json_set(oci, "/process/capabilities/bounding",
					     json_loads(cases[i].caps, JSON_ALLOW_NUL, NULL), NULL),
				 0);
		ck_assert_msg(mntauto_cgroup_needs_force(oci) ==
				      (cases[i].cloned_and_admin && !host_unified_only()),
			      "case %zu", i);
	}
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
	tcase_add_test(tc, mntline_helpers);
	tcase_add_test(tc, entry_written_back_is_found_without_rendering);
	tcase_add_test(tc, long_entry_line_parses_like_a_short_one);
	tcase_add_test(tc, entry_options_in_one_pass);
	tcase_add_test(tc, cgroup_force_reads_namespaces_and_capabilities);
	tcase_add_test(tc, cgroup_auto_mount_in_a_cgroup_namespace_needs_force);
	suite_add_tcase(s, tc);
	return s;
}
