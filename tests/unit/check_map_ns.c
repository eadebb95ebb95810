/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* map_sysctl.c, map_rlimit.c, map_arch.c, map_time.c, map_idmap.c, map_namespace.c, map_net.c */
#include "check_main.h"
#include "check_map_ns.h"

/* ---- sysctl ---- */

START_TEST(sysctl_keys_map_to_object_in_order)
{
	cleanup_json json_t *oci = fx_oci_ok("lxc.sysctl.net.ipv4.ip_forward = 1\n"
					     "lxc.sysctl.kernel.msgmax = 8192\n");

	fx_assert_at(oci, "/linux/sysctl",
		     "{\"kernel.msgmax\":\"8192\",\"net.ipv4.ip_forward\":\"1\"}");
	fx_lxc_round_trip("lxc.sysctl.net.ipv4.ip_forward = 1\nlxc.sysctl.kernel.msgmax = 8192\n",
			  NULL);
}
END_TEST

START_TEST(sysctl_repeated_key_replaces_value_in_place)
{
	fx_lxc_round_trip("lxc.sysctl.a = 1\nlxc.sysctl.b = 2\nlxc.sysctl.a = 3\n",
			  "lxc.sysctl.a = 3\nlxc.sysctl.b = 2\n");
}
END_TEST

START_TEST(sysctl_oci_round_trips_and_unwritable_values_warn)
{
	cleanup_json json_t *bad = json_loads("{\"linux\":{\"sysctl\":{\"a b\":\"1\",\"c\":\"\"}}}",
					      0, NULL);
	cleanup_free char *text = NULL;
	unsigned before = fx_w.n;

	fx_oci_round_trip("{\"linux\":{\"sysctl\":{\"net.core.somaxconn\":\"1024\",\"x.y\":\"a b\"}}}");
	text = fx_lxc_ok(bad);
	ck_assert_str_eq(text, "");
	ck_assert_uint_eq(fx_w.n, before + 2);
}
END_TEST

START_TEST(sysctl_without_name_is_a_located_error)
{
	fx_oci_fails("lxc.arch = x86_64\nlxc.sysctl. = 1\n", 2, "names no sysctl");
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("map_ns");
	TCase *tc = tcase_create("sysctl");

	tcase_add_test(tc, sysctl_keys_map_to_object_in_order);
	tcase_add_test(tc, sysctl_repeated_key_replaces_value_in_place);
	tcase_add_test(tc, sysctl_oci_round_trips_and_unwritable_values_warn);
	tcase_add_test(tc, sysctl_without_name_is_a_located_error);
	suite_add_tcase(s, tc);
	return s;
}
