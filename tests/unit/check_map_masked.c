/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* map_masked.c: linux.maskedPaths / linux.readonlyPaths <-> marked lxc.mount.entry lines;
 * map_devices.c: linux.devices <-> binds of host device nodes. */
#include <stdio.h>
#include <string.h>

#include "check_main.h"
#include "cleanup.h"
#include "families.h"
#include "jsonutil.h"
#include "translate.h"

/* liblxc's default lxc.rootfs.mount, as configure found it for this target. */
#define RM CT_LXC_ROOTFS_MOUNT

#define FAMILY ct_family_masked
#include "family_fixture.h"

#define oci_of(c, r, u, e) family_to_oci(&FAMILY, c, r, u, e)

static const char *const runc_masked =
	"[\"/proc/acpi\",\"/proc/asound\",\"/proc/kcore\",\"/proc/keys\",\"/proc/latency_stats\","
	"\"/proc/timer_list\",\"/proc/timer_stats\",\"/proc/sched_debug\",\"/sys/firmware\","
	"\"/proc/scsi\"]";
static const char *const runc_ro =
	"[\"/proc/bus\",\"/proc/fs\",\"/proc/irq\",\"/proc/sys\",\"/proc/sysrq-trigger\"]";

/* runc spec's lists: OCI -> LXC -> OCI exact, no meta, one entry per path. */
START_TEST(runc_spec_paths_round_trip_without_meta)
{
	cleanup_json json_t *oci = json_object();
	cleanup_json json_t *back = NULL;
	cleanup_lxcconf struct lxc_config *c = NULL;
	cleanup_error struct ct_error *err = NULL;
	cleanup_free bool *used = NULL;

	json_object_set_new(oci, "linux",
			    json_pack("{s:o, s:o}", "maskedPaths", json_loads(runc_masked, 0, NULL),
				      "readonlyPaths", json_loads(runc_ro, 0, NULL)));
	c = to_lxc(oci);
	ck_assert_uint_eq(c->n, 15);
	ck_assert_str_eq(c->v[0].value, RM "/proc/bus proc/bus ctl.readonly bind,ro,optional 0 0");
	ck_assert_str_eq(c->v[5].value, "ctl.masked proc/acpi tmpfs ro,optional 0 0");
	ck_assert_str_eq(c->v[7].value, "/dev/null proc/kcore ctl.masked bind,optional 0 0");
	ck_assert_int_eq(oci_of(c, &back, &used, &err), 0);
	for (size_t i = 0; i < c->n; i++)
		ck_assert(used[i]);
	ck_assert(json_equal(back, oci));
}
END_TEST

START_TEST(unknown_path_gets_both_forms_and_round_trips)
{
	cleanup_json json_t *oci = json_loads("{\"root\":{\"path\":\"/nonexistent-rootfs\"},"
					      "\"linux\":{\"maskedPaths\":[\"/etc/secret\"]}}",
					      0, NULL);
	cleanup_json json_t *back = NULL;
	cleanup_lxcconf struct lxc_config *c = to_lxc(oci);
	cleanup_error struct ct_error *err = NULL;

	ck_assert_uint_eq(c->n, 2);
	ck_assert_str_eq(c->v[0].value, "/dev/null etc/secret ctl.masked bind,optional 0 0");
	ck_assert_str_eq(c->v[1].value, "ctl.masked etc/secret tmpfs ro,optional 0 0");
	back = json_loads("{\"root\":{\"path\":\"/nonexistent-rootfs\"}}", 0, NULL);
	{
		struct ct_ctx ctx = { .lxc = c, .oci = back, .opts = &opts };

		ck_assert_int_eq(FAMILY.to_oci(&ctx, &err), 0);
	}
	ck_assert(json_equal(back, oci));
}
END_TEST

/* A form other than oci2lxc's choice survives LXC -> OCI -> LXC through the meta annotation. */
START_TEST(lxc_form_other_than_choice_is_kept_in_meta)
{
	const char *text = "lxc.mount.entry = /dev/null proc/acpi ctl.masked bind,optional 0 0\n"
			   "lxc.mount.entry = /dev/null proc/kcore ctl.masked bind,optional 0 0";
	cleanup_lxcconf struct lxc_config *c = conf_of(text);
	cleanup_lxcconf struct lxc_config *back = NULL;
	cleanup_json json_t *oci = NULL;
	cleanup_error struct ct_error *err = NULL;

	ck_assert_int_eq(oci_of(c, &oci, NULL, &err), 0);
	ck_assert_str_eq(
		json_string_value(ct_json_get(oci, "/annotations/org.ctlaunch.meta.masked")),
		"/proc/acpi=file");
	back = to_lxc(oci);
	ck_assert_uint_eq(back->n, 2);
	ck_assert_str_eq(back->v[0].value, c->v[0].value);
	ck_assert_str_eq(back->v[1].value, c->v[1].value);
}
END_TEST

START_TEST(user_entries_without_the_marks_are_left_to_the_mount_family)
{
	const char *text =
		"lxc.mount.entry = /dev/null proc/kcore none bind,optional 0 0\n"
		"lxc.mount.entry = tmpfs proc/acpi tmpfs ro,optional 0 0\n"
		"lxc.mount.entry = /proc/sys proc/sys ctl.readonly bind,ro,optional 0 0\n"
		"lxc.mount.entry = /dev/null  proc/kcore ctl.masked bind,optional 0 0\n"
		"lxc.mount.entry = /dev/null /proc/kcore ctl.masked bind,optional 0 0\n"
		"lxc.mount.entry = /dev/null proc/kcore ctl.masked bind,optional 0 1";
	cleanup_lxcconf struct lxc_config *c = conf_of(text);
	cleanup_json json_t *oci = NULL;
	cleanup_free bool *used = NULL;
	cleanup_error struct ct_error *err = NULL;

	ck_assert_int_eq(oci_of(c, &oci, &used, &err), 0);
	for (size_t i = 0; i < c->n; i++)
		ck_assert_msg(!used[i], "claimed %s", c->v[i].value);
	ck_assert_ptr_null(ct_json_get(oci, "/linux"));
}
END_TEST

START_TEST(readonly_source_follows_lxc_rootfs_mount)
{
	const char *text = "lxc.rootfs.mount = /mnt/rootfs\n"
			   "lxc.mount.entry = /mnt/rootfs/proc/sys proc/sys ctl.readonly "
			   "bind,ro,optional 0 0\n"
			   "lxc.mount.entry = " RM
			   "/proc/bus proc/bus ctl.readonly bind,ro,optional 0 0";
	cleanup_lxcconf struct lxc_config *c = conf_of(text);
	cleanup_json json_t *oci = NULL;
	cleanup_free bool *used = NULL;
	cleanup_error struct ct_error *err = NULL;

	ck_assert_int_eq(oci_of(c, &oci, &used, &err), 0);
	ck_assert(used[1] && !used[2]);
	ck_assert_str_eq(json_string_value(ct_json_get(oci, "/linux/readonlyPaths/0")),
			 "/proc/sys");
	ck_assert_uint_eq(json_array_size(ct_json_get(oci, "/linux/readonlyPaths")), 1);
}
END_TEST

START_TEST(paths_lxc_cannot_write_warn_and_are_skipped)
{
	cleanup_json json_t *oci = json_loads(
		"{\"linux\":{\"maskedPaths\":[\"relative\",\"/a b\"],\"readonlyPaths\":[\"/x/../y\"]}}",
		0, NULL);
	unsigned before = nwarn;
	cleanup_lxcconf struct lxc_config *c = to_lxc(oci);

	ck_assert_uint_eq(c->n, 0);
	ck_assert_uint_eq(nwarn, before + 3);
}
END_TEST

START_TEST(host_device_bind_maps_to_linux_devices_and_back)
{
	cleanup_lxcconf struct lxc_config *c = conf_of(
		"lxc.mount.entry = /dev/zero dev/zero none bind,optional,create=file 0 0\n"
		"lxc.mount.entry = /dev/shm dev/shm none bind,optional,create=file 0 0\n"
		"lxc.mount.entry = /dev/full dev/fullx none bind,optional,create=file 0 0\n"
		"lxc.mount.entry = /dev/full dev/full none bind,create=file 0 0");
	cleanup_lxcconf struct lxc_config *back = NULL;
	cleanup_json json_t *oci = NULL;
	cleanup_json json_t *want = json_loads(
		"[{\"path\":\"/dev/zero\",\"type\":\"c\",\"major\":1,\"minor\":5}]", 0, NULL);
	cleanup_free bool *used = NULL;
	cleanup_error struct ct_error *err = NULL;

	ck_assert_int_eq(family_to_oci(&ct_family_devices, c, &oci, &used, &err), 0);
	ck_assert(used[0] && !used[1] && !used[2] && !used[3]);
	ck_assert(json_equal(ct_json_get(oci, "/linux/devices"), want));
	back = family_to_lxc(&ct_family_devices, oci);
	ck_assert_uint_eq(back->n, 1);
	ck_assert_str_eq(back->v[0].value, c->v[0].value);
}
END_TEST

START_TEST(oci_devices_round_trip_and_non_dev_paths_warn)
{
	cleanup_json json_t *oci = json_loads(
		"{\"linux\":{\"devices\":[{\"path\":\"/dev/full\",\"type\":\"c\","
		"\"major\":1,\"minor\":7},{\"path\":\"/opt/dev\",\"type\":\"c\","
		"\"major\":1,\"minor\":7}]}}",
		0, NULL);
	cleanup_lxcconf struct lxc_config *c = NULL;
	cleanup_json json_t *back = NULL;
	cleanup_error struct ct_error *err = NULL;
	unsigned before = nwarn;

	c = family_to_lxc(&ct_family_devices, oci);
	ck_assert_uint_eq(nwarn, before + 1);
	ck_assert_uint_eq(c->n, 1);
	ck_assert_str_eq(c->v[0].value, "/dev/full dev/full none bind,optional,create=file 0 0");
	ck_assert_int_eq(family_to_oci(&ct_family_devices, c, &back, NULL, &err), 0);
	ck_assert(json_equal(ct_json_get(back, "/linux/devices/0"),
			     ct_json_get(oci, "/linux/devices/0")));
}
END_TEST

#define EXEMPT(k) "/proc/sys/" k " proc/sys/" k " ctl.readonly-exempt bind,rw,optional 0 0"

/* liblxc writes lxc.sysctl.* after the mounts: a namespaced sysctl under a read-only path
 * gets a writable bind of its own right after that path's entry, and only such a one. */
START_TEST(sysctl_under_readonly_path_gets_a_writable_bind)
{
	cleanup_json json_t *oci = json_pack(
		"{s:{s:o, s:{s:s, s:s, s:s, s:s}, s:[{s:s}, {s:s}]}}", "linux", "readonlyPaths",
		json_loads(
			"[\"/proc/bus\",\"/proc/sys\",\"/proc/sys/net\",\"/proc/sysrq-trigger\"]",
			0, NULL),
		"sysctl", "kernel.msgmax", "32768", "net.ipv4.ip_forward", "1", "kernel.shmmax",
		"536870912", "vm.swappiness", "10", "namespaces", "type", "ipc", "type", "network");
	cleanup_lxcconf struct lxc_config *c = NULL, *c2 = NULL;
	unsigned before = nwarn;

	c = to_lxc(oci);
	ck_assert_uint_eq(c->n, 7);
	ck_assert_str_eq(c->v[1].value, RM "/proc/sys proc/sys ctl.readonly bind,ro,optional 0 0");
	/* in linux.sysctl order, after the last read-only path covering each */
	ck_assert_str_eq(c->v[2].value, EXEMPT("kernel/msgmax"));
	ck_assert_str_eq(c->v[3].value, EXEMPT("kernel/shmmax"));
	ck_assert_str_eq(c->v[4].value,
			 RM "/proc/sys/net proc/sys/net ctl.readonly bind,ro,optional 0 0");
	ck_assert_str_eq(c->v[5].value, EXEMPT("net/ipv4/ip_forward"));
	/* each exemption is a warning (the file stays writable); vm.swappiness is the host's:
	 * no hole for it, a warning that liblxc will not start the container instead */
	ck_assert_uint_eq(nwarn, before + 4);
	ck_assert_msg(strstr(lastwarn, "/linux/sysctl/vm.swappiness: ") &&
			      strstr(lastwarn, "does not start"),
		      "%s", lastwarn);
	/* the host's network namespace: its net.* sysctls are the host's too */
	json_array_remove(ct_json_get(oci, "/linux/namespaces"), 1);
	c2 = to_lxc(oci);
	ck_assert_uint_eq(c2->n, 6);
	ck_assert_uint_eq(nwarn, before + 4 + 4);
}
END_TEST

/* lxc2oci drops the exemptions where oci2lxc writes them; LXC -> OCI -> LXC is exact. */
START_TEST(sysctl_exemptions_round_trip_through_the_driver)
{
	static const char *const text =
		"lxc.rootfs.path = /r\n"
		"lxc.mount.entry = " RM "/proc/sys proc/sys ctl.readonly bind,ro,optional 0 0\n"
		"lxc.mount.entry = " EXEMPT(
			"kernel/msgmax") "\n"
					 "lxc.mount.entry = " EXEMPT(
						 "kernel/sem") "\n"
							       "lxc.sysctl.kernel.msgmax = 32768\n"
							       "lxc.sysctl.kernel.sem = 250 32000 32 128\n";
	cleanup_lxcconf struct lxc_config *in = conf_of(text), *back = NULL;
	cleanup_lxcconf struct lxc_config *stray = conf_of(
		"lxc.rootfs.path = /r\n"
		"lxc.mount.entry = " EXEMPT("kernel/msgmax") "\n");
	cleanup_json json_t *oci = NULL, *oci2 = NULL;
	cleanup_error struct ct_error *err = NULL;
	struct ct_translate_opts quiet = { 0 };

	ck_assert_int_eq(ct_lxc_to_oci(in, &quiet, &oci, &err), 0);
	ck_assert_ptr_null(ct_json_get(oci, "/mounts/1"));
	ck_assert_str_eq(json_string_value(ct_json_get(oci, "/linux/readonlyPaths/0")),
			 "/proc/sys");
	ck_assert_int_eq(ct_oci_to_lxc(oci, &quiet, &back, NULL, &err), 0);
	ck_assert_uint_eq(back->ncarry, 0);
	for (size_t i = 1, j = 0; i < in->n; i++, j++) {
		while (j < back->n && strcmp(back->v[j].key, in->v[i].key) != 0)
			j++;
		ck_assert_msg(j < back->n, "%s lost", in->v[i].value);
		ck_assert_str_eq(back->v[j].value, in->v[i].value);
	}
	/* without its sysctl (and read-only path) such a line is an ordinary bind mount */
	ck_assert_int_eq(ct_lxc_to_oci(stray, &quiet, &oci2, &err), 0);
	ck_assert_ptr_null(ct_json_get(oci2, "/linux/readonlyPaths"));
	ck_assert_ptr_nonnull(ct_json_get(oci2, "/mounts"));
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("map_masked");
	TCase *tc = tcase_create("masked");

	tcase_add_test(tc, runc_spec_paths_round_trip_without_meta);
	tcase_add_test(tc, unknown_path_gets_both_forms_and_round_trips);
	tcase_add_test(tc, lxc_form_other_than_choice_is_kept_in_meta);
	tcase_add_test(tc, user_entries_without_the_marks_are_left_to_the_mount_family);
	tcase_add_test(tc, readonly_source_follows_lxc_rootfs_mount);
	tcase_add_test(tc, paths_lxc_cannot_write_warn_and_are_skipped);
	tcase_add_test(tc, host_device_bind_maps_to_linux_devices_and_back);
	tcase_add_test(tc, oci_devices_round_trip_and_non_dev_paths_warn);
	tcase_add_test(tc, sysctl_under_readonly_path_gets_a_writable_bind);
	tcase_add_test(tc, sysctl_exemptions_round_trip_through_the_driver);
	suite_add_tcase(s, tc);
	return s;
}
