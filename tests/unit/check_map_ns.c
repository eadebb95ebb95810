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

	fx_oci_round_trip(
		"{\"linux\":{\"sysctl\":{\"net.core.somaxconn\":\"1024\",\"x.y\":\"a b\"}}}");
	text = fx_lxc_only(bad, "lxc.sysctl.");
	ck_assert_str_eq(text, "");
	ck_assert_uint_eq(fx_w.n, before + 2);
}
END_TEST

START_TEST(sysctl_without_name_is_a_located_error)
{
	fx_oci_fails("lxc.arch = x86_64\nlxc.sysctl. = 1\n", 2, "names no sysctl");
}
END_TEST

/* ---- rlimit ---- */

START_TEST(rlimit_every_value_form)
{
	cleanup_json json_t *oci = fx_oci_ok("lxc.prlimit.nofile = 1024\n"
					     "lxc.prlimit.core = unlimited\n"
					     "lxc.prlimit.nproc = 10:unlimited\n"
					     "lxc.prlimit.stack = 8388608 : 16777216\n"
					     "lxc.prlimit.as = 5:\n");

	fx_assert_at(oci, "/process/rlimits",
		     "[{\"hard\":1024,\"soft\":1024,\"type\":\"RLIMIT_NOFILE\"},"
		     "{\"hard\":-1,\"soft\":-1,\"type\":\"RLIMIT_CORE\"},"
		     "{\"hard\":-1,\"soft\":10,\"type\":\"RLIMIT_NPROC\"},"
		     "{\"hard\":16777216,\"soft\":8388608,\"type\":\"RLIMIT_STACK\"},"
		     "{\"hard\":5,\"soft\":5,\"type\":\"RLIMIT_AS\"}]");
	/* Only the non-canonical spellings are recorded. */
	fx_assert_at(oci, "/annotations/org.ctlaunch.meta.prlimit.stack", "\"8388608 : 16777216\"");
	fx_assert_at(oci, "/annotations/org.ctlaunch.meta.prlimit.as", "\"5:\"");
	fx_assert_at(oci, "/annotations/org.ctlaunch.meta.prlimit.nofile", "(none)");
	fx_assert_at(oci, "/annotations/org.ctlaunch.meta.prlimit.nproc", "(none)");
}
END_TEST

START_TEST(rlimit_round_trips_both_ways)
{
	const char *text = "lxc.prlimit.nofile = 1024\nlxc.prlimit.core = unlimited\n"
			   "lxc.prlimit.nproc = 10:unlimited\nlxc.prlimit.stack = 1024:1024\n"
			   "lxc.prlimit.rtprio = 0\n";

	fx_lxc_round_trip(text, NULL);
	fx_oci_round_trip(
		"{\"process\":{\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1024,"
		"\"soft\":1024},{\"type\":\"RLIMIT_MEMLOCK\",\"hard\":-1,\"soft\":65536}]}}");
}
END_TEST

START_TEST(rlimit_oci_values_are_written_canonically)
{
	cleanup_json json_t *oci = json_loads(
		"{\"process\":{\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1024,\"soft\":1024},"
		"{\"type\":\"RLIMIT_CPU\",\"hard\":-1,\"soft\":-1},"
		"{\"type\":\"RLIMIT_DATA\",\"hard\":18446744073709551615.0,\"soft\":7}]},"
		"\"annotations\":{\"org.ctlaunch.meta.prlimit.nofile\":\"1:2\"}}",
		0, NULL);
	cleanup_free char *text = fx_lxc_only(oci, "lxc.prlimit.");

	/* The stale spelling (1:2) does not override the value. */
	ck_assert_str_eq(text, "lxc.prlimit.nofile = 1024\nlxc.prlimit.cpu = unlimited\n"
			       "lxc.prlimit.data = 7:unlimited\n");
}
END_TEST

START_TEST(rlimit_repeated_name_replaces_in_place)
{
	fx_lxc_round_trip(
		"lxc.prlimit.nofile = 1\nlxc.prlimit.core = 2\nlxc.prlimit.nofile = 3:4\n",
		"lxc.prlimit.nofile = 3:4\nlxc.prlimit.core = 2\n");
}
END_TEST

START_TEST(rlimit_bad_values_are_located_errors)
{
	struct ct_error *err = NULL;
	cleanup_json json_t *dup = json_loads(
		"{\"process\":{\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1,\"soft\":1},"
		"{\"type\":\"RLIMIT_NOFILE\",\"hard\":2,\"soft\":2}]}}",
		0, NULL);
	struct lxc_config *conf = NULL;

	fx_oci_fails("lxc.prlimit.nofiles = 1\n", 1, "unknown resource");
	fx_oci_fails("lxc.prlimit.nofile = 1\nlxc.prlimit.nofile = -1\n", 2, "cannot parse");
	fx_oci_fails("lxc.prlimit.nofile = 1:2:3\n", 1, "cannot parse");
	fx_oci_fails("lxc.prlimit.nofile = lots\n", 1, "cannot parse");
	fx_oci_fails("lxc.prlimit.nofile = 99999999999999999999999\n", 1, "cannot parse");
	ck_assert_int_lt(fx_to_lxc(dup, &conf, &err), 0);
	ck_assert_ptr_nonnull(strstr(err->msg, "duplicate limit type RLIMIT_NOFILE"));
	ct_error_free(err);
}
END_TEST

/* ---- arch ---- */

START_TEST(arch_names_give_the_personality_and_keep_spelling)
{
	cleanup_json json_t *a = fx_oci_ok("lxc.arch = linux32\n");
	cleanup_json json_t *b = fx_oci_ok("lxc.arch = armhf\n");
	cleanup_json json_t *c = fx_oci_ok("lxc.arch = aarch64\n");
	cleanup_json json_t *d = fx_oci_ok("lxc.arch = x86\nlxc.arch = linux64\n");

	fx_assert_at(a, "/linux/personality", "{\"domain\":\"LINUX32\"}");
	fx_assert_at(a, "/annotations", "(none)");
	fx_assert_at(b, "/linux/personality/domain", "\"LINUX32\"");
	fx_assert_at(b, "/annotations/org.ctlaunch.meta.arch", "\"armhf\"");
	fx_assert_at(c, "/linux/personality/domain", "\"LINUX\"");
	fx_assert_at(c, "/annotations/org.ctlaunch.meta.arch", "\"aarch64\"");
	fx_assert_at(d, "/linux/personality/domain", "\"LINUX\"");
	fx_assert_at(d, "/annotations", "(none)");
}
END_TEST

START_TEST(arch_round_trips_both_ways)
{
	cleanup_json json_t *stale = json_loads(
		"{\"linux\":{\"personality\":{\"domain\":\"LINUX\"}},"
		"\"annotations\":{\"org.ctlaunch.meta.arch\":\"armhf\"}}",
		0, NULL);
	cleanup_free char *text = fx_lxc_only(stale, "lxc.arch");

	fx_lxc_round_trip("lxc.arch = linux32\n", NULL);
	fx_lxc_round_trip("lxc.arch = linux64\n", NULL);
	fx_lxc_round_trip("lxc.arch = i686\n", NULL);
	fx_lxc_round_trip("lxc.arch = s390x\n", NULL);
	fx_oci_round_trip("{\"linux\":{\"personality\":{\"domain\":\"LINUX32\"}}}");
	fx_oci_round_trip("{\"linux\":{\"personality\":{\"domain\":\"LINUX\"}}}");
	/* A recorded spelling that no longer matches the domain is not used. */
	ck_assert_str_eq(text, "lxc.arch = linux64\n");
}
END_TEST

START_TEST(arch_unknown_is_a_located_error_and_flags_warn)
{
	cleanup_json json_t *flags = json_loads(
		"{\"linux\":{\"personality\":{\"domain\":\"LINUX\",\"flags\":[\"X\"]}}}", 0, NULL);
	cleanup_free char *text = NULL;
	unsigned before = fx_w.n;

	fx_oci_fails("lxc.arch = sparc\n", 1, "unknown architecture \"sparc\"");
	fx_oci_fails("lxc.arch = linux32\nlxc.arch = x32\n", 2, "unknown architecture");
	text = fx_lxc_only(flags, "lxc.arch");
	ck_assert_str_eq(text, "lxc.arch = linux64\n");
	ck_assert_uint_eq(fx_w.n, before + 1);
}
END_TEST

/* ---- time ---- */

START_TEST(time_units_set_their_part_and_normalise)
{
	cleanup_json json_t *a = fx_oci_ok("lxc.time.offset.boot = 2m\n"
					   "lxc.time.offset.monotonic = 7s\n"
					   "lxc.time.offset.monotonic = 5ns\n");
	cleanup_json json_t *b = fx_oci_ok("lxc.time.offset.boot = 1500ms\n"
					   "lxc.time.offset.monotonic = -3ns\n");
	cleanup_json json_t *c = fx_oci_ok("lxc.time.offset.boot = 3 h\n"
					   "lxc.time.offset.monotonic = 4us\n");

	fx_assert_at(a, "/linux/timeOffsets",
		     "{\"boottime\":{\"nanosecs\":0,\"secs\":120},"
		     "\"monotonic\":{\"nanosecs\":5,\"secs\":7}}");
	fx_assert_at(a, "/annotations/org.ctlaunch.meta.time.offset.boot", "\"2m\"");
	fx_assert_at(a, "/annotations/org.ctlaunch.meta.time.offset.monotonic", "(none)");
	fx_assert_at(b, "/linux/timeOffsets",
		     "{\"boottime\":{\"nanosecs\":500000000,\"secs\":1},"
		     "\"monotonic\":{\"nanosecs\":999999997,\"secs\":-1}}");
	fx_assert_at(c, "/linux/timeOffsets/boottime/secs", "10800");
	fx_assert_at(c, "/linux/timeOffsets/monotonic/nanosecs", "4000");
}
END_TEST

START_TEST(time_round_trips_both_ways)
{
	cleanup_json json_t *stale = json_loads(
		"{\"linux\":{\"timeOffsets\":{\"boottime\":{\"secs\":5,\"nanosecs\":1}}},"
		"\"annotations\":{\"org.ctlaunch.meta.time.offset.boot\":\"1h\"}}",
		0, NULL);
	cleanup_free char *text = fx_lxc_only(stale, "lxc.time.");

	fx_lxc_round_trip("lxc.time.offset.boot = 10s\n", NULL);
	fx_lxc_round_trip("lxc.time.offset.boot = 1s\nlxc.time.offset.boot = 5ns\n", NULL);
	fx_lxc_round_trip("lxc.time.offset.boot = 1500ms\nlxc.time.offset.monotonic = -3s\n", NULL);
	fx_lxc_round_trip("lxc.time.offset.monotonic = 3 h\nlxc.time.offset.monotonic = 1 s\n",
			  NULL);
	fx_oci_round_trip("{\"linux\":{\"timeOffsets\":{\"boottime\":{\"secs\":-2,"
			  "\"nanosecs\":999},\"monotonic\":{\"secs\":0,\"nanosecs\":0}}}}");
	ck_assert_str_eq(text, "lxc.time.offset.boot = 5s\nlxc.time.offset.boot = 1ns\n");
}
END_TEST

START_TEST(time_negative_scaled_value_warns_and_comes_back_in_seconds)
{
	unsigned before = fx_w.n;
	cleanup_json json_t *oci = fx_oci_ok("lxc.time.offset.monotonic = 1s\n"
					     "lxc.time.offset.monotonic = -5m\n");
	cleanup_free char *text = fx_lxc_only(oci, "lxc.time.");

	ck_assert_uint_eq(fx_w.n, before + 1);
	ck_assert_ptr_nonnull(
		strstr(fx_w.last, "t.conf:2: lxc.time.offset.monotonic: liblxc 5.0.2"));
	fx_assert_at(oci, "/linux/timeOffsets/monotonic", "{\"nanosecs\":0,\"secs\":-300}");
	ck_assert_str_eq(text, "lxc.time.offset.monotonic = -300s\n");
}
END_TEST

START_TEST(time_bad_values_are_located_errors)
{
	fx_oci_fails("lxc.time.offset.boot = 5\n", 1, "cannot parse");
	fx_oci_fails("lxc.time.offset.boot = 5 ms\n", 1, "cannot parse");
	fx_oci_fails("lxc.time.offset.boot = 1sec\n", 1, "cannot parse");
	fx_oci_fails("lxc.time.offset.boot = s\n", 1, "cannot parse");
	fx_oci_fails("lxc.time.offset.boot = 99999999999999999999s\n", 1, "overflow");
	fx_oci_fails("lxc.time.offset.boot = 9999999999999999h\n", 1, "overflow");
}
END_TEST

/* ---- idmap ---- */

START_TEST(idmap_lines_map_to_arrays_in_order)
{
	cleanup_json json_t *oci = fx_oci_ok("lxc.idmap = u 0 100000 65536\n"
					     "lxc.idmap = g 0 100000 65536\n"
					     "lxc.idmap = u 65536 1000 1\n");

	fx_assert_at(oci, "/linux/uidMappings",
		     "[{\"containerID\":0,\"hostID\":100000,\"size\":65536},"
		     "{\"containerID\":65536,\"hostID\":1000,\"size\":1}]");
	fx_assert_at(oci, "/linux/gidMappings",
		     "[{\"containerID\":0,\"hostID\":100000,\"size\":65536}]");
	/* u g u is what oci2lxc writes anyway: nothing recorded. */
	fx_assert_at(oci, "/annotations", "(none)");
}
END_TEST

START_TEST(idmap_order_is_recorded_only_when_not_default)
{
	const char *uugg = "lxc.idmap = u 0 100000 1000\nlxc.idmap = u 1000 1000 1\n"
			   "lxc.idmap = g 0 100000 1000\nlxc.idmap = g 1000 1000 1\n";
	cleanup_json json_t *oci = fx_oci_ok(uugg);
	cleanup_json json_t *stale = json_loads(
		"{\"linux\":{\"uidMappings\":[{\"containerID\":0,\"hostID\":1,\"size\":2}],"
		"\"gidMappings\":[{\"containerID\":0,\"hostID\":1,\"size\":2}]},"
		"\"annotations\":{\"org.ctlaunch.meta.idmap-order\":\"uug\"}}",
		0, NULL);
	cleanup_free char *text = NULL;
	unsigned before = fx_w.n;

	fx_assert_at(oci, "/annotations/org.ctlaunch.meta.idmap-order", "\"uugg\"");
	fx_lxc_round_trip(uugg, NULL);
	fx_lxc_round_trip("lxc.idmap = g 0 1 1\nlxc.idmap = u 0 1 1\n", NULL);
	fx_lxc_round_trip("lxc.idmap = u 0 100000 65536\nlxc.idmap = g 0 100000 65536\n", NULL);
	text = fx_lxc_only(stale, "lxc.idmap");
	ck_assert_str_eq(text, "lxc.idmap = u 0 1 2\nlxc.idmap = g 0 1 2\n");
	ck_assert_uint_eq(fx_w.n, before + 1);
}
END_TEST

START_TEST(idmap_oci_round_trips)
{
	fx_oci_round_trip("{\"linux\":{\"uidMappings\":[{\"containerID\":0,\"hostID\":1000,"
			  "\"size\":1}],\"gidMappings\":[{\"containerID\":0,\"hostID\":1000,"
			  "\"size\":1},{\"containerID\":1,\"hostID\":4294967294,\"size\":1}]}}");
	fx_oci_round_trip("{\"linux\":{\"gidMappings\":[{\"containerID\":0,\"hostID\":7,"
			  "\"size\":1}]}}");
}
END_TEST

START_TEST(idmap_bad_values_are_located_errors)
{
	cleanup_json json_t *neg = json_loads(
		"{\"linux\":{\"uidMappings\":[{\"containerID\":-1,\"hostID\":1,\"size\":2}]}}", 0,
		NULL);
	struct lxc_config *conf = NULL;
	struct ct_error *err = NULL;

	fx_oci_fails("lxc.idmap = u 0 100000\n", 1, "expected 4 fields, got 3");
	fx_oci_fails("lxc.idmap = u 0 1 1\nlxc.idmap = u 0 1 1 1\n", 2, "more than 4");
	fx_oci_fails("lxc.idmap = x 0 100000 1\n", 1, "neither u nor g");
	fx_oci_fails("lxc.idmap = ug 0 100000 1\n", 1, "neither u nor g");
	fx_oci_fails("lxc.idmap = u -1 100000 1\n", 1, "container id \"-1\" is not a decimal");
	fx_oci_fails("lxc.idmap = g 0 4294967296 1\n", 1, "host id \"4294967296\" is not below");
	fx_oci_fails("lxc.idmap = g 0 1 0\n", 1, "count is 0");
	fx_oci_fails("lxc.idmap = g 4294967295 0 2\n", 1, "past 2^32");
	fx_oci_fails("lxc.idmap = u 0 4294967295 2\n", 1, "past 2^32");
	ck_assert_int_lt(fx_to_lxc(neg, &conf, &err), 0);
	ck_assert_ptr_nonnull(strstr(err->msg, "/linux/uidMappings/0"));
	ct_error_free(err);
}
END_TEST

/* ---- namespace and net ---- */

#define LXC_DEFAULT_NS                                                                      \
	"[{\"type\":\"pid\"},{\"type\":\"network\"},{\"type\":\"ipc\"},{\"type\":\"uts\"}," \
	"{\"type\":\"mount\"},{\"type\":\"cgroup\"}]"

START_TEST(namespace_default_is_liblxc_default_in_runc_order)
{
	cleanup_json json_t *none = fx_oci_ok("lxc.sysctl.a = 1\n");
	cleanup_json json_t *user = fx_oci_ok("lxc.idmap = u 0 1000 1\n");
	cleanup_json json_t *time = fx_oci_ok("lxc.time.offset.boot = 5s\n");
	cleanup_json json_t *zero = fx_oci_ok("lxc.time.offset.boot = 0s\n");

	fx_assert_at(none, "/linux/namespaces", LXC_DEFAULT_NS);
	fx_assert_at(user, "/linux/namespaces/6", "{\"type\":\"user\"}");
	fx_assert_at(user, "/linux/namespaces/7", "(none)");
	fx_assert_at(time, "/linux/namespaces/6", "{\"type\":\"time\"}");
	fx_assert_at(zero, "/linux/namespaces/6", "(none)");
}
END_TEST

START_TEST(namespace_runc_spec_lists_need_no_key)
{
	cleanup_json json_t *runc = json_loads("{\"linux\":{\"namespaces\":" LXC_DEFAULT_NS "}}", 0,
					       NULL);
	cleanup_free char *text = fx_lxc_ok(runc);
	cleanup_json json_t *rootless = json_loads(
		"{\"linux\":{\"uidMappings\":[{\"containerID\":0,\"hostID\":1000,\"size\":1}],"
		"\"gidMappings\":[{\"containerID\":0,\"hostID\":1000,\"size\":1}],"
		"\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"ipc\"},{\"type\":\"uts\"},"
		"{\"type\":\"mount\"},{\"type\":\"cgroup\"},{\"type\":\"user\"}]}}",
		0, NULL);
	cleanup_free char *rtext = fx_lxc_ok(rootless), *rl = NULL;

	ck_assert_str_eq(text, "");
	ck_assert_str_eq(rtext, "lxc.idmap = u 0 1000 1\nlxc.idmap = g 0 1000 1\n"
				"lxc.net.0.type = none\n");
	fx_oci_round_trip("{\"linux\":{\"namespaces\":" LXC_DEFAULT_NS "}}");
	rl = json_dumps(rootless, 0);
	fx_oci_round_trip(rl);
}
END_TEST

/* runc 1.1.5's `runc spec` and `runc spec --rootless` lists (no cgroup namespace). */
START_TEST(namespace_runc_1_1_spec_lists_round_trip_with_clone)
{
	const char *root = "{\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"network\"},"
			   "{\"type\":\"ipc\"},{\"type\":\"uts\"},{\"type\":\"mount\"}]}}";
	const char *rootless =
		"{\"linux\":{\"uidMappings\":[{\"containerID\":0,\"hostID\":1000,\"size\":1}],"
		"\"gidMappings\":[{\"containerID\":0,\"hostID\":1000,\"size\":1}],"
		"\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"ipc\"},{\"type\":\"uts\"},"
		"{\"type\":\"mount\"},{\"type\":\"user\"}]}}";
	cleanup_json json_t *a = json_loads(root, 0, NULL), *b = json_loads(rootless, 0, NULL);
	cleanup_free char *ta = fx_lxc_only(a, "lxc.n"), *tb = fx_lxc_only(b, "lxc.n");

	ck_assert_str_eq(ta, "lxc.namespace.clone = pid net ipc uts mnt\n");
	ck_assert_str_eq(tb, "lxc.namespace.clone = pid ipc uts mnt user\n");
	fx_oci_round_trip(root);
	fx_oci_round_trip(rootless);
}
END_TEST

START_TEST(namespace_clone_keeps_written_order)
{
	cleanup_json json_t *oci = fx_oci_ok("lxc.namespace.clone = net pid\n"
					     "lxc.namespace.clone = MNT pid\n");

	fx_assert_at(oci, "/linux/namespaces",
		     "[{\"type\":\"network\"},{\"type\":\"pid\"},{\"type\":\"mount\"}]");
	fx_assert_at(oci, "/annotations", "(none)");
	fx_lxc_round_trip("lxc.namespace.clone = net pid\nlxc.namespace.clone = MNT pid\n",
			  "lxc.namespace.clone = net pid mnt\n");
	fx_lxc_round_trip("lxc.namespace.clone = pid net ipc uts mnt\n", NULL);
	fx_oci_round_trip("{\"linux\":{\"namespaces\":[{\"type\":\"uts\"},{\"type\":\"pid\"}]}}");
}
END_TEST

START_TEST(namespace_clone_equal_to_default_is_kept)
{
	cleanup_json json_t *oci = fx_oci_ok("lxc.namespace.clone = pid net ipc uts mnt cgroup\n");

	fx_assert_at(oci, "/linux/namespaces", LXC_DEFAULT_NS);
	fx_assert_at(oci, "/annotations/org.ctlaunch.meta.namespace", "\"clone\"");
	fx_lxc_round_trip("lxc.namespace.clone = pid net ipc uts mnt cgroup\n", NULL);
}
END_TEST

START_TEST(namespace_keep_clones_everything_else)
{
	cleanup_json json_t *oci = fx_oci_ok("lxc.namespace.keep = net user\n");
	cleanup_json json_t *all = fx_oci_ok(
		"lxc.namespace.keep = user mnt pid uts ipc net cgroup time\n");

	/* liblxc clones time under keep even without offsets */
	fx_assert_at(oci, "/linux/namespaces",
		     "[{\"type\":\"pid\"},{\"type\":\"ipc\"},{\"type\":\"uts\"},"
		     "{\"type\":\"mount\"},{\"type\":\"cgroup\"},{\"type\":\"time\"}]");
	fx_assert_at(oci, "/annotations/org.ctlaunch.meta.namespace", "\"keep\"");
	fx_assert_at(all, "/linux/namespaces", "(none)");
	fx_assert_at(all, "/annotations", "(none)");
	fx_lxc_round_trip("lxc.namespace.keep = user net\n", NULL);
	fx_lxc_round_trip("lxc.namespace.keep = net user\n", "lxc.namespace.keep = user net\n");
	fx_lxc_round_trip("lxc.namespace.keep = user mnt pid uts ipc net cgroup time\n"
			  "lxc.net.0.type = none\n",
			  NULL);
	/* A config.json without namespaces keeps them all. */
	fx_oci_round_trip("{}");
}
END_TEST

START_TEST(namespace_share_forms)
{
	cleanup_json json_t *oci = fx_oci_ok("lxc.namespace.share.net = /run/netns/a\n"
					     "lxc.namespace.share.ipc = 1234\n");
	cleanup_json json_t *named = NULL;
	size_t unused = 0;
	struct ct_error *err = NULL;
	unsigned before = fx_w.n;

	fx_assert_at(oci, "/linux/namespaces",
		     "[{\"type\":\"pid\"},{\"path\":\"/run/netns/a\",\"type\":\"network\"},"
		     "{\"path\":\"/proc/1234/ns/ipc\",\"type\":\"ipc\"},{\"type\":\"uts\"},"
		     "{\"type\":\"mount\"},{\"type\":\"cgroup\"}]");
	fx_assert_at(oci, "/annotations/org.ctlaunch.meta.namespace.share.ipc", "\"1234\"");
	fx_lxc_round_trip("lxc.namespace.share.net = /run/netns/a\n"
			  "lxc.namespace.share.ipc = 1234\n",
			  "lxc.namespace.share.net = /run/netns/a\n"
			  "lxc.namespace.share.ipc = 1234\n");
	fx_lxc_round_trip("lxc.namespace.clone = pid\nlxc.namespace.share.uts = /x\n", NULL);
	fx_lxc_round_trip("lxc.namespace.clone = pid uts\nlxc.namespace.share.uts = /x\n", NULL);
	fx_lxc_round_trip("lxc.namespace.clone = pid net ipc uts mnt cgroup\n"
			  "lxc.namespace.share.net = /x\n",
			  NULL);
	fx_oci_round_trip("{\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"network\","
			  "\"path\":\"/proc/1/ns/net\"},{\"type\":\"mount\"}]}}");
	/* A container name: unused (travels as an annotation), warned, namespace still new. */
	ck_assert_int_eq(fx_to_oci("lxc.namespace.share.uts = other\n", &named, &unused, &err), 0);
	ck_assert_uint_eq(unused, 1);
	ck_assert_uint_eq(fx_w.n, before + 1);
	ck_assert_ptr_nonnull(strstr(fx_w.last, "t.conf:1: lxc.namespace.share.uts"));
	fx_assert_at(named, "/linux/namespaces", LXC_DEFAULT_NS);
}
END_TEST

START_TEST(namespace_bad_values_are_located_errors)
{
	fx_oci_fails("lxc.namespace.clone = pid\nlxc.namespace.keep = net\n", 2,
		     "both lxc.namespace.clone and lxc.namespace.keep");
	fx_oci_fails("lxc.namespace.clone = pid network\n", 1, "unknown namespace \"network\"");
	fx_oci_fails("lxc.namespace.share.mount = /x\n", 1, "unknown namespace");
}
END_TEST

START_TEST(net_none_means_host_network)
{
	cleanup_json json_t *lone = fx_oci_ok("lxc.net.0.type = none\n");
	cleanup_json json_t *two = fx_oci_ok("lxc.net.0.type = none\nlxc.net.1.type = none\n");
	cleanup_json json_t *mixed = fx_oci_ok("lxc.net.0.type = none\nlxc.net.1.type = veth\n");

	fx_assert_at(lone, "/linux/namespaces",
		     "[{\"type\":\"pid\"},{\"type\":\"ipc\"},{\"type\":\"uts\"},"
		     "{\"type\":\"mount\"},{\"type\":\"cgroup\"}]");
	fx_assert_at(lone, "/annotations", "(none)");
	fx_assert_at(two, "/linux/namespaces/1", "{\"type\":\"ipc\"}");
	fx_assert_at(two, "/annotations/org.ctlaunch.net.1", "\"type=none\"");
	fx_assert_at(mixed, "/linux/namespaces/1", "{\"type\":\"network\"}");
	fx_lxc_round_trip("lxc.net.0.type = none\n", NULL);
	fx_lxc_round_trip("lxc.net.0.type = none\nlxc.net.1.type = none\n", NULL);
	/* none with an explicit network namespace keeps its annotation */
	fx_lxc_round_trip("lxc.namespace.clone = net pid\nlxc.net.0.type = none\n", NULL);
}
END_TEST

START_TEST(net_devices_travel_in_one_annotation_each)
{
	const char *text = "lxc.net.0.type = veth\nlxc.net.0.link = lxcbr0\n"
			   "lxc.net.0.flags = up\nlxc.net.0.hwaddr = 00:16:3e:xx:xx:xx\n"
			   "lxc.net.0.ipv4.address = 10.0.3.5/24 10.0.3.255\n"
			   "lxc.net.0.ipv4.address = 10.0.4.5/24\n"
			   "lxc.net.0.ipv4.gateway = auto\nlxc.net.0.mtu = 1500\n"
			   "lxc.net.0.veth.pair = vethx\nlxc.net.0.veth.mode = bridge\n"
			   "lxc.net.2.type = macvlan\nlxc.net.2.macvlan.mode = bridge\n"
			   "lxc.net.2.ipv6.address = fd00::5/64\nlxc.net.2.ipv6.gateway = fd00::1\n"
			   "lxc.net.2.script.up = /bin/up x\n"
			   "lxc.net.10.type = vlan\nlxc.net.10.vlan.id = 42\n"
			   "lxc.net.10.link = eth0\nlxc.net.10.name = eth1\n";
	cleanup_json json_t *oci = fx_oci_ok(text);
	cleanup_json json_t *empty = fx_oci_ok("lxc.net.0.type = empty\n");

	fx_assert_at(oci, "/annotations/org.ctlaunch.net.0",
		     "\"type=veth\\nlink=lxcbr0\\nflags=up\\nhwaddr=00:16:3e:xx:xx:xx\\n"
		     "ipv4.address=10.0.3.5/24 10.0.3.255\\nipv4.address=10.0.4.5/24\\n"
		     "ipv4.gateway=auto\\nmtu=1500\\nveth.pair=vethx\\nveth.mode=bridge\"");
	fx_assert_at(oci, "/annotations/org.ctlaunch.net.10",
		     "\"type=vlan\\nvlan.id=42\\nlink=eth0\\nname=eth1\"");
	fx_assert_at(oci, "/linux/namespaces", LXC_DEFAULT_NS);
	fx_assert_at(empty, "/linux/namespaces", LXC_DEFAULT_NS);
	fx_assert_at(empty, "/annotations/org.ctlaunch.net.0", "\"type=empty\"");
	fx_lxc_round_trip(text, NULL);
	fx_lxc_round_trip("lxc.net.0.type = empty\n", NULL);
	fx_lxc_round_trip("lxc.net.0.type = phys\nlxc.net.0.link = eth1\n"
			  "lxc.net.0.hwaddr = 00:16:XX:XX:XX:XX\n",
			  NULL);
}
END_TEST

START_TEST(net_oci_side)
{
	cleanup_json json_t *shared = json_loads(
		"{\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"network\","
		"\"path\":\"/run/netns/x\"},{\"type\":\"ipc\"},{\"type\":\"uts\"},"
		"{\"type\":\"mount\"},{\"type\":\"cgroup\"}]}}",
		0, NULL);
	cleanup_free char *text = fx_lxc_ok(shared);

	ck_assert_str_eq(text, "lxc.namespace.share.net = /run/netns/x\n");
	free(text);
	text = json_dumps(shared, 0);
	fx_oci_round_trip(text);
	fx_oci_round_trip("{\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"mount\"}]},"
			  "\"annotations\":{\"org.ctlaunch.net.0\":\"type=none\","
			  "\"org.ctlaunch.net.1\":\"type=none\"}}");
	fx_oci_round_trip("{\"linux\":{\"namespaces\":" LXC_DEFAULT_NS "},\"annotations\":{"
			  "\"org.ctlaunch.net.3\":\"type=veth\\nlink=br0\","
			  "\"org.ctlaunch.net.1\":\"type=empty\"}}");
}
END_TEST

START_TEST(net_bad_values_are_located_errors)
{
	cleanup_json json_t *bad = json_loads(
		"{\"linux\":{\"namespaces\":" LXC_DEFAULT_NS "},"
		"\"annotations\":{\"org.ctlaunch.net.0\":\"type=veth\\nlink\"}}",
		0, NULL);
	struct lxc_config *conf = NULL;
	struct ct_error *err = NULL;

	fx_oci_fails("lxc.net.0.type = bridge\n", 1, "bad value \"bridge\"");
	fx_oci_fails("lxc.net.0.type = veth\nlxc.net.0.mtu = big\n", 2, "bad value \"big\"");
	fx_oci_fails("lxc.net.0.type = veth\nlxc.net.0.hwaddr = 00:16:3e:zz:00:00\n", 2,
		     "bad value");
	fx_oci_fails("lxc.net.0.type = veth\nlxc.net.0.hwaddr = 00:16:3e:00:00\n", 2, "bad value");
	fx_oci_fails("lxc.net.0.vlan.id = 5\nlxc.net.0.type = vlan\n", 1, "needs type vlan");
	fx_oci_fails("lxc.net.0.type = vlan\nlxc.net.0.vlan.id = 70000\n", 2, "bad value");
	fx_oci_fails("lxc.net.0.type = veth\nlxc.net.0.macvlan.mode = bridge\n", 2,
		     "needs type macvlan");
	fx_oci_fails("lxc.net.0.type = veth\nlxc.net.0.colour = red\n", 2, "unknown key");
	fx_oci_fails("lxc.net.0.type = veth\nlxc.net.0.ipv4.address = 10.0.0.300/24\n", 2,
		     "bad value");
	fx_oci_fails("lxc.net.0.type = veth\nlxc.net.0.ipv4.address = 10.0.0.3/33\n", 2,
		     "bad value");
	fx_oci_fails("lxc.net.0.type = veth\nlxc.net.0.link = averyveryverylongname\n", 2,
		     "bad value");
	fx_oci_fails("lxc.net.x.type = veth\n", 1, "expected lxc.net.N.SUBKEY");
	ck_assert_int_lt(fx_to_lxc(bad, &conf, &err), 0);
	ck_assert_ptr_nonnull(strstr(err->msg, "is not SUBKEY=VALUE"));
	ct_error_free(err);
}
END_TEST

START_TEST(namespace_time_and_user_follow_their_keys_both_ways)
{
	fx_lxc_round_trip("lxc.idmap = u 0 100000 65536\nlxc.idmap = g 0 100000 65536\n"
			  "lxc.time.offset.monotonic = 3s\n",
			  NULL);
	fx_lxc_round_trip("lxc.idmap = u 0 100000 65536\nlxc.idmap = g 0 100000 65536\n"
			  "lxc.namespace.clone = pid mnt\n",
			  NULL);
	fx_oci_round_trip("{\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"time\"}],"
			  "\"timeOffsets\":{\"boottime\":{\"secs\":1,\"nanosecs\":0}}}}");
	fx_oci_round_trip("{\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"network\"},"
			  "{\"type\":\"ipc\"},{\"type\":\"uts\"},{\"type\":\"mount\"},"
			  "{\"type\":\"cgroup\"},{\"type\":\"time\"}],"
			  "\"timeOffsets\":{\"monotonic\":{\"secs\":0,\"nanosecs\":5}}}}");
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

	tc = tcase_create("rlimit");
	tcase_add_test(tc, rlimit_every_value_form);
	tcase_add_test(tc, rlimit_round_trips_both_ways);
	tcase_add_test(tc, rlimit_oci_values_are_written_canonically);
	tcase_add_test(tc, rlimit_repeated_name_replaces_in_place);
	tcase_add_test(tc, rlimit_bad_values_are_located_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("arch");
	tcase_add_test(tc, arch_names_give_the_personality_and_keep_spelling);
	tcase_add_test(tc, arch_round_trips_both_ways);
	tcase_add_test(tc, arch_unknown_is_a_located_error_and_flags_warn);
	suite_add_tcase(s, tc);

	tc = tcase_create("time");
	tcase_add_test(tc, time_units_set_their_part_and_normalise);
	tcase_add_test(tc, time_round_trips_both_ways);
	tcase_add_test(tc, time_negative_scaled_value_warns_and_comes_back_in_seconds);
	tcase_add_test(tc, time_bad_values_are_located_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("idmap");
	tcase_add_test(tc, idmap_lines_map_to_arrays_in_order);
	tcase_add_test(tc, idmap_order_is_recorded_only_when_not_default);
	tcase_add_test(tc, idmap_oci_round_trips);
	tcase_add_test(tc, idmap_bad_values_are_located_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("namespace");
	tcase_add_test(tc, namespace_default_is_liblxc_default_in_runc_order);
	tcase_add_test(tc, namespace_runc_spec_lists_need_no_key);
	tcase_add_test(tc, namespace_runc_1_1_spec_lists_round_trip_with_clone);
	tcase_add_test(tc, namespace_clone_keeps_written_order);
	tcase_add_test(tc, namespace_clone_equal_to_default_is_kept);
	tcase_add_test(tc, namespace_keep_clones_everything_else);
	tcase_add_test(tc, namespace_share_forms);
	tcase_add_test(tc, namespace_bad_values_are_located_errors);
	tcase_add_test(tc, namespace_time_and_user_follow_their_keys_both_ways);
	suite_add_tcase(s, tc);

	tc = tcase_create("net");
	tcase_add_test(tc, net_none_means_host_network);
	tcase_add_test(tc, net_devices_travel_in_one_annotation_each);
	tcase_add_test(tc, net_oci_side);
	tcase_add_test(tc, net_bad_values_are_located_errors);
	suite_add_tcase(s, tc);
	return s;
}
