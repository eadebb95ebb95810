/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* map_cgroup.c and cgroup_conv.c: lxc.cgroup.* / lxc.cgroup2.* <-> linux.resources. */
#include <stdio.h>
#include <string.h>

#include "cgroup_conv.h"
#include "check_main.h"
#include "cleanup.h"
#include "families.h"
#include "jsonutil.h"
#include "translate.h"

#define FAMILY ct_family_cgroup
#include "family_fixture.h"

static json_t *res_of(json_t *oci, const char *ptr)
{
	char path[256];

	snprintf(path, sizeof(path), "/linux/resources%s", ptr);
	return ct_json_get(oci, path);
}

static const struct {
	const char *key, *value, *ptr, *json;
} v1_rows[] = {
	{ "memory.limit_in_bytes", "536870912", "/memory/limit", "536870912" },
	{ "memory.limit_in_bytes", "-1", "/memory/limit", "-1" },
	{ "memory.soft_limit_in_bytes", "1048576", "/memory/reservation", "1048576" },
	{ "memory.memsw.limit_in_bytes", "1073741824", "/memory/swap", "1073741824" },
	{ "memory.swappiness", "60", "/memory/swappiness", "60" },
	{ "memory.kmem.limit_in_bytes", "4096", "/memory/kernel", "4096" },
	{ "memory.kmem.tcp.limit_in_bytes", "8192", "/memory/kernelTCP", "8192" },
	{ "memory.oom_control", "1", "/memory/disableOOMKiller", "true" },
	{ "cpu.shares", "512", "/cpu/shares", "512" },
	{ "cpu.cfs_quota_us", "50000", "/cpu/quota", "50000" },
	{ "cpu.cfs_quota_us", "-1", "/cpu/quota", "-1" },
	{ "cpu.cfs_period_us", "100000", "/cpu/period", "100000" },
	{ "cpu.rt_runtime_us", "950000", "/cpu/realtimeRuntime", "950000" },
	{ "cpu.rt_period_us", "1000000", "/cpu/realtimePeriod", "1000000" },
	{ "cpuset.cpus", "0-1", "/cpu/cpus", "\"0-1\"" },
	{ "cpuset.mems", "0", "/cpu/mems", "\"0\"" },
	{ "pids.max", "64", "/pids/limit", "64" },
	{ "pids.max", "max", "/pids/limit", "-1" },
	{ "blkio.weight", "500", "/blockIO/weight", "500" },
	{ "blkio.leaf_weight", "300", "/blockIO/leafWeight", "300" },
	{ "blkio.weight_device", "8:0 700", "/blockIO/weightDevice",
	  "[{\"major\":8,\"minor\":0,\"weight\":700}]" },
	{ "blkio.throttle.read_bps_device", "8:16 1048576", "/blockIO/throttleReadBpsDevice",
	  "[{\"major\":8,\"minor\":16,\"rate\":1048576}]" },
	{ "blkio.throttle.write_bps_device", "8:16 2048", "/blockIO/throttleWriteBpsDevice",
	  "[{\"major\":8,\"minor\":16,\"rate\":2048}]" },
	{ "blkio.throttle.read_iops_device", "8:0 100", "/blockIO/throttleReadIOPSDevice",
	  "[{\"major\":8,\"minor\":0,\"rate\":100}]" },
	{ "blkio.throttle.write_iops_device", "8:0 200", "/blockIO/throttleWriteIOPSDevice",
	  "[{\"major\":8,\"minor\":0,\"rate\":200}]" },
	{ "hugetlb.2MB.limit_in_bytes", "209715200", "/hugepageLimits",
	  "[{\"pageSize\":\"2MB\",\"limit\":209715200}]" },
	{ "net_cls.classid", "1048577", "/network/classID", "1048577" },
	{ "net_prio.ifpriomap", "eth0 5", "/network/priorities",
	  "[{\"name\":\"eth0\",\"priority\":5}]" },
};

/* Each v1 key maps to its typed field and comes back as the same line, without meta. */
START_TEST(v1_key_maps_to_typed_field_and_back)
{
	cleanup_free char *text = NULL;
	cleanup_lxcconf struct lxc_config *c = NULL, *back = NULL;
	cleanup_json json_t *oci = NULL, *want = NULL;
	cleanup_free bool *used = NULL;
	cleanup_error struct ct_error *err = NULL;
	cleanup_free char *key = NULL;

	ck_assert_int_ge(asprintf(&key, "lxc.cgroup.%s", v1_rows[_i].key), 0);
	ck_assert_int_ge(asprintf(&text, "%s = %s", key, v1_rows[_i].value), 0);
	c = conf_of(text);
	ck_assert_int_eq(to_oci(c, &oci, &used, &err), 0);
	ck_assert_msg(used[0], "%s not marked as mapped", key);
	want = json_loads(v1_rows[_i].json, JSON_DECODE_ANY, NULL);
	ck_assert_ptr_nonnull(want);
	ck_assert_msg(json_equal(res_of(oci, v1_rows[_i].ptr), want), "%s: %s is not %s", key,
		      v1_rows[_i].ptr, v1_rows[_i].json);
	ck_assert_ptr_null(ct_json_get(oci, "/annotations"));
	back = to_lxc(oci);
	ck_assert_uint_eq(back->n, 1);
	ck_assert_str_eq(back->v[0].key, key);
	ck_assert_str_eq(back->v[0].value, v1_rows[_i].value);
}
END_TEST

START_TEST(sizes_with_suffixes_parse_and_keep_their_spelling)
{
	cleanup_lxcconf struct lxc_config *c = conf_of(
		"lxc.cgroup.memory.limit_in_bytes = 512M\nlxc.cgroup.memory.kmem.limit_in_bytes = 2k\n"
		"lxc.cgroup.memory.soft_limit_in_bytes = 0x100000");
	cleanup_json json_t *oci = NULL;
	cleanup_error struct ct_error *err = NULL;
	int64_t v;

	ck_assert_int_eq(to_oci(c, &oci, NULL, &err), 0);
	ck_assert_int_eq(json_integer_value(res_of(oci, "/memory/limit")), 536870912);
	ck_assert_int_eq(json_integer_value(res_of(oci, "/memory/kernel")), 2048);
	ck_assert_int_eq(json_integer_value(res_of(oci, "/memory/reservation")), 1048576);
	ck_assert_ptr_nonnull(ct_json_get(oci, "/annotations/org.ctlaunch.meta.cgroup"));
	assert_lxc_round_trip("lxc.cgroup.memory.limit_in_bytes = 512M\n"
			      "lxc.cgroup.memory.kmem.limit_in_bytes = 2k");
	ck_assert_int_eq(cg_parse_size("1G", false, &v), 0);
	ck_assert_int_eq(v, 1073741824LL);
	ck_assert_int_eq(cg_parse_size("3e", false, &v), 0);
	ck_assert_int_eq(v, 3LL << 60);
	ck_assert_int_eq(cg_parse_size("8E", false, &v), -1); /* overflows */
	ck_assert_int_eq(cg_parse_size("max", false, &v), -1);
	ck_assert_int_eq(cg_parse_size("max", true, &v), 0);
	ck_assert_int_eq(v, -1);
	ck_assert_int_eq(cg_parse_size("12MB", false, &v), -1);
	ck_assert_int_eq(cg_parse_size("", false, &v), -1);
	ck_assert_int_eq(cg_parse_size("-2", false, &v), -1);
}
END_TEST

START_TEST(formulas_hold_at_their_boundaries)
{
	uint64_t s, w;

	ck_assert_uint_eq(cg_shares_to_weight(2), 1);
	ck_assert_uint_eq(cg_shares_to_weight(262144), 10000);
	ck_assert_uint_eq(cg_shares_to_weight(1024), 39);
	ck_assert_uint_eq(cg_shares_to_weight(0), 0);
	ck_assert(cg_weight_to_shares(1, &s));
	ck_assert_uint_eq(s, 2);
	ck_assert(cg_weight_to_shares(10000, &s));
	ck_assert_uint_eq(s, 262144);
	ck_assert(!cg_weight_to_shares(0, &s));
	ck_assert(!cg_weight_to_shares(10001, &s));
	for (uint64_t x = 1; x <= 10000; x++) {
		ck_assert(cg_weight_to_shares(x, &s));
		ck_assert_uint_eq(cg_shares_to_weight(s), x);
		ck_assert(s == 2 || cg_shares_to_weight(s - 1) < x);
	}
	ck_assert_uint_eq(cg_blkio_to_io_weight(10), 1);
	ck_assert_uint_eq(cg_blkio_to_io_weight(1000), 10000);
	ck_assert_uint_eq(cg_blkio_to_io_weight(500), 4950);
	ck_assert(cg_io_weight_to_blkio(1, &w));
	ck_assert_uint_eq(w, 10);
	ck_assert(cg_io_weight_to_blkio(10000, &w));
	ck_assert_uint_eq(w, 1000);
	ck_assert(!cg_io_weight_to_blkio(50, &w)); /* 15 gives 51: no exact inverse */
	ck_assert(cg_io_weight_to_blkio(51, &w));
	ck_assert_uint_eq(w, 15);
}
END_TEST

START_TEST(cgroup2_keys_map_by_exact_inverse_else_unified)
{
	cleanup_lxcconf struct lxc_config *c = conf_of(
		"lxc.cgroup2.memory.max = 1G\nlxc.cgroup2.memory.swap.max = 512M\n"
		"lxc.cgroup2.cpu.weight = 100\nlxc.cgroup2.io.weight = 50\n"
		"lxc.cgroup2.cpu.max = max 100000\nlxc.cgroup2.pids.max = max\n"
		"lxc.cgroup2.memory.high = 900M\nlxc.cgroup2.hugetlb.2MB.max = 4M");
	cleanup_json json_t *oci = NULL;
	cleanup_error struct ct_error *err = NULL;
	uint64_t shares;

	ck_assert_int_eq(to_oci(c, &oci, NULL, &err), 0);
	ck_assert_int_eq(json_integer_value(res_of(oci, "/memory/limit")), 1LL << 30);
	ck_assert_int_eq(json_integer_value(res_of(oci, "/memory/swap")),
			 (1LL << 30) + (1LL << 29));
	shares = (uint64_t)json_integer_value(res_of(oci, "/cpu/shares"));
	ck_assert_uint_eq(cg_shares_to_weight(shares), 100);
	ck_assert_ptr_null(res_of(oci, "/blockIO/weight"));
	ck_assert_str_eq(json_string_value(res_of(oci, "/unified/io.weight")), "50");
	ck_assert_str_eq(json_string_value(res_of(oci, "/unified/memory.high")), "900M");
	ck_assert_int_eq(json_integer_value(res_of(oci, "/cpu/quota")), -1);
	ck_assert_int_eq(json_integer_value(res_of(oci, "/cpu/period")), 100000);
	ck_assert_int_eq(json_integer_value(res_of(oci, "/pids/limit")), -1);
	ck_assert_int_eq(json_integer_value(res_of(oci, "/hugepageLimits/0/limit")), 4 << 20);
	ck_assert_ptr_nonnull(ct_json_get(oci, "/annotations/org.ctlaunch.meta.cgroup"));
	assert_lxc_round_trip("lxc.cgroup2.memory.max = 1G\nlxc.cgroup2.memory.swap.max = 512M\n"
			      "lxc.cgroup2.cpu.weight = 100\nlxc.cgroup2.io.weight = 50\n"
			      "lxc.cgroup2.cpu.max = max 100000\nlxc.cgroup2.pids.max = max\n"
			      "lxc.cgroup2.memory.high = 900M\nlxc.cgroup2.hugetlb.2MB.max = 4M");
}
END_TEST

START_TEST(swap_max_without_memory_limit_goes_to_unified)
{
	cleanup_lxcconf struct lxc_config *c = conf_of("lxc.cgroup2.memory.swap.max = 1G");
	cleanup_json json_t *oci = NULL;
	cleanup_error struct ct_error *err = NULL;

	ck_assert_int_eq(to_oci(c, &oci, NULL, &err), 0);
	ck_assert_ptr_null(res_of(oci, "/memory/swap"));
	ck_assert_str_eq(json_string_value(res_of(oci, "/unified/memory.swap.max")), "1G");
	assert_lxc_round_trip("lxc.cgroup2.memory.swap.max = 1G");
	assert_lxc_round_trip("lxc.cgroup2.memory.swap.max = max");
}
END_TEST

START_TEST(unified_members_become_cgroup2_keys)
{
	cleanup_json json_t *oci = json_loads(
		"{\"linux\":{\"resources\":{\"unified\":{\"memory.high\":\"100M\","
		"\"io.max\":\"8:0 rbps=1048576\"},\"memory\":{\"limit\":1048576}}}}",
		0, NULL);
	cleanup_lxcconf struct lxc_config *c = to_lxc(oci);
	cleanup_json json_t *back = NULL;
	cleanup_error struct ct_error *err = NULL;

	ck_assert_str_eq(lxcconf_get(c, "lxc.cgroup2.memory.high"), "100M");
	ck_assert_str_eq(lxcconf_get(c, "lxc.cgroup2.io.max"), "8:0 rbps=1048576");
	ck_assert_str_eq(lxcconf_get(c, "lxc.cgroup.memory.limit_in_bytes"), "1048576");
	ck_assert_int_eq(to_oci(c, &back, NULL, &err), 0);
	ck_assert(json_equal(ct_json_get(back, "/linux/resources"),
			     ct_json_get(oci, "/linux/resources")));
	ck_assert_ptr_null(ct_json_get(back, "/annotations"));
}
END_TEST

START_TEST(unknown_cgroup_key_travels_as_annotation_without_error)
{
	cleanup_lxcconf struct lxc_config *c = conf_of(
		"lxc.cgroup.cpuset.cpu_exclusive = 1\nlxc.cgroup.freezer.state = THAWED\n"
		"lxc.cgroup.dir = my/dir\nlxc.cgroup.hugetlb.2MB.limit_in_bytes = -1");
	cleanup_json json_t *oci = NULL;
	cleanup_free bool *used = NULL;
	cleanup_error struct ct_error *err = NULL;

	ck_assert_int_eq(to_oci(c, &oci, &used, &err), 0);
	for (size_t i = 0; i < c->n; i++)
		ck_assert_msg(!used[i], "%s should be left to the annotations", c->v[i].key);
	ck_assert_ptr_null(ct_json_get(oci, "/linux"));
}
END_TEST

START_TEST(bad_values_are_located_errors)
{
	static const char *const bad[] = {
		"lxc.cgroup.memory.limit_in_bytes = lots",
		"lxc.cgroup.cpu.shares = -5",
		"lxc.cgroup.pids.max = -3",
		"lxc.cgroup.memory.oom_control = 2",
		"lxc.cgroup.blkio.throttle.read_bps_device = 8-0 100",
		"lxc.cgroup.blkio.weight_device = 8:0 70000",
		"lxc.cgroup2.cpu.max = 0 100",
		"lxc.cgroup2.memory.max = 12MB",
		"lxc.cgroup.devices.allow = x 1:3 rwm",
		"lxc.cgroup.devices.deny = c 1:3 rwq",
		"lxc.cgroup2.devices.allow = c one:3 r",
		"lxc.cgroup.devices.allow = c 1:3 rwm extra",
	};

	for (size_t i = 0; i < CT_ARRAY_SIZE(bad); i++) {
		cleanup_free char *text = NULL;
		cleanup_lxcconf struct lxc_config *c = NULL;
		cleanup_json json_t *oci = NULL;
		cleanup_error struct ct_error *err = NULL;

		ck_assert_int_ge(asprintf(&text, "lxc.uts.name = x\n%s", bad[i]), 0);
		c = conf_of(text);
		ck_assert_msg(to_oci(c, &oci, NULL, &err) < 0, "accepted: %s", bad[i]);
		ck_assert_ptr_nonnull(err);
		ck_assert_str_eq(err->file, "t.conf");
		ck_assert_uint_eq(err->line, 2);
	}
}
END_TEST

START_TEST(device_rules_parse_with_wildcards_and_all)
{
	static const struct {
		const char *rule, *json;
	} rows[] = {
		{ "a", "{\"allow\":true,\"access\":\"rwm\"}" },
		{ "a *:* rwm", "{\"allow\":true,\"type\":\"a\",\"access\":\"rwm\"}" },
		{ "c 1:3 rwm", "{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":3,"
			       "\"access\":\"rwm\"}" },
		{ "b *:* m", "{\"allow\":true,\"type\":\"b\",\"access\":\"m\"}" },
		{ "c 5:* rwm", "{\"allow\":true,\"type\":\"c\",\"major\":5,\"access\":\"rwm\"}" },
		{ "c *:3 r", "{\"allow\":true,\"type\":\"c\",\"minor\":3,\"access\":\"r\"}" },
		{ "c 136:*", "{\"allow\":true,\"type\":\"c\",\"major\":136}" },
	};

	for (size_t i = 0; i < CT_ARRAY_SIZE(rows); i++) {
		cleanup_json json_t *got = NULL, *want = json_loads(rows[i].json, 0, NULL);
		cleanup_free char *text = NULL;
		const char *why;
		bool allow = false;

		ck_assert_int_eq(cg_device_rule_parse(rows[i].rule, true, &got, &why), 0);
		ck_assert_msg(json_equal(got, want), "%s", rows[i].rule);
		text = cg_device_rule_format(got, &allow);
		ck_assert_str_eq(text, rows[i].rule);
		ck_assert(allow);
	}
}
END_TEST

/* Rules compare in their parts exactly as their JSON objects do: the runc tail is recognised
 * without building JSON for it. */
START_TEST(device_rules_compare_as_their_json_does)
{
	static const char *const rules[] = {
		"a",	   "a *:* rwm", "a *:*",       "c 1:3 rwm", "c 1:3 rw",
		"c 1:3",   "b 1:3 rwm", "c *:3 rwm",   "c 1:* rwm", "c *:* m",
		"b *:* m", "c 0:0 rwm", "c 136:* rwm",
	};

	for (size_t i = 0; i < CT_ARRAY_SIZE(rules) * 2; i++) {
		for (size_t j = 0; j < CT_ARRAY_SIZE(rules) * 2; j++) {
			struct cg_rule a, b;
			cleanup_json json_t *ja = NULL, *jb = NULL;
			const char *why;

			ck_assert_int_eq(cg_rule_parse(rules[i / 2], i % 2, &a, &why), 0);
			ck_assert_int_eq(cg_rule_parse(rules[j / 2], j % 2, &b, &why), 0);
			ja = cg_rule_json(&a);
			jb = cg_rule_json(&b);
			ck_assert_msg(cg_rule_equal(&a, &b) == !!json_equal(ja, jb),
				      "\"%s\" (allow %zu) vs \"%s\" (allow %zu)", rules[i / 2],
				      i % 2, rules[j / 2], j % 2);
			ck_assert_int_eq(cg_rule_is_all(&a), cg_device_rule_is_all(ja));
		}
	}
}
END_TEST

START_TEST(device_rules_keep_order_and_allow_all_after_deny)
{
	const char *text = "lxc.cgroup.devices.deny = a\nlxc.cgroup.devices.allow = c 1:3 rwm\n"
			   "lxc.cgroup.devices.deny = c 5:* rwm\nlxc.cgroup.devices.allow = a";
	cleanup_lxcconf struct lxc_config *c = conf_of(text);
	cleanup_json json_t *oci = NULL;
	cleanup_json json_t *want = json_loads(
		"[{\"allow\":false,\"access\":\"rwm\"},{\"allow\":true,\"type\":\"c\",\"major\":1,"
		"\"minor\":3,\"access\":\"rwm\"},{\"allow\":false,\"type\":\"c\",\"major\":5,"
		"\"access\":\"rwm\"},{\"allow\":true,\"access\":\"rwm\"}]",
		0, NULL);
	cleanup_error struct ct_error *err = NULL;

	ck_assert_int_eq(to_oci(c, &oci, NULL, &err), 0);
	ck_assert(json_equal(res_of(oci, "/devices"), want));
	assert_lxc_round_trip(text);
	assert_lxc_round_trip(
		"lxc.cgroup2.devices.deny = a\nlxc.cgroup2.devices.allow = c 1:3 rwm");
}
END_TEST

/* runc spec's rule list: OCI -> LXC -> OCI exact, with runc's implicit rules spelled out. */
START_TEST(runc_spec_devices_round_trip_and_spell_runc_defaults)
{
	cleanup_json json_t *oci = json_loads(
		"{\"linux\":{\"resources\":{\"devices\":[{\"allow\":false,\"access\":\"rwm\"}]}}}",
		0, NULL);
	cleanup_lxcconf struct lxc_config *c = to_lxc(oci);
	cleanup_free char *allow = values(c, "lxc.cgroup.devices.allow");
	cleanup_json json_t *back = NULL;
	cleanup_error struct ct_error *err = NULL;
	unsigned before = nwarn;

	ck_assert_str_eq(c->v[0].key, "lxc.cgroup.devices.deny");
	ck_assert_str_eq(c->v[0].value, "a");
	ck_assert_uint_eq(c->n, 1 + cg_runc_default_devices_n);
	ck_assert_ptr_nonnull(strstr(allow, "c 1:3 rwm\n"));
	ck_assert_ptr_null(strstr(allow, "c 1:1 "));
	ck_assert_int_eq(to_oci(c, &back, NULL, &err), 0);
	ck_assert(json_equal(back, oci));
	ck_assert_uint_eq(nwarn, before);
}
END_TEST

START_TEST(deny_all_without_runc_defaults_warns)
{
	cleanup_lxcconf struct lxc_config *c = conf_of(
		"lxc.cgroup.devices.deny = a\nlxc.cgroup.devices.allow = c 1:3 rwm");
	cleanup_json json_t *oci = NULL;
	cleanup_error struct ct_error *err = NULL;
	unsigned before = nwarn;

	ck_assert_int_eq(to_oci(c, &oci, NULL, &err), 0);
	ck_assert_uint_eq(nwarn, before + 1);
	ck_assert_ptr_nonnull(strstr(lastwarn, "runc always allows its default devices"));
}
END_TEST

START_TEST(native_oci_resources_round_trip_in_v1_keys)
{
	cleanup_json json_t *oci = json_loads(
		"{\"linux\":{\"resources\":{"
		"\"memory\":{\"limit\":536870912,\"reservation\":1048576,\"swap\":1073741824,"
		"\"swappiness\":10,\"kernel\":4096,\"disableOOMKiller\":true},"
		"\"cpu\":{\"shares\":1024,\"quota\":20000,\"period\":100000,\"cpus\":\"0\","
		"\"mems\":\"0\",\"realtimeRuntime\":1000,\"realtimePeriod\":2000},"
		"\"pids\":{\"limit\":32},"
		"\"blockIO\":{\"weight\":300,\"weightDevice\":[{\"major\":8,\"minor\":0,"
		"\"weight\":100}],\"throttleReadBpsDevice\":[{\"major\":8,\"minor\":0,\"rate\":1}]},"
		"\"hugepageLimits\":[{\"pageSize\":\"1GB\",\"limit\":1073741824}],"
		"\"network\":{\"classID\":17,\"priorities\":[{\"name\":\"lo\",\"priority\":1}]},"
		"\"devices\":[{\"allow\":false,\"access\":\"rwm\"},{\"allow\":true,\"type\":\"c\","
		"\"major\":10,\"minor\":229,\"access\":\"rwm\"}]}}}",
		0, NULL);
	cleanup_lxcconf struct lxc_config *c = to_lxc(oci);
	cleanup_json json_t *back = NULL;
	cleanup_error struct ct_error *err = NULL;

	ck_assert_ptr_nonnull(oci);
	ck_assert_str_eq(lxcconf_get(c, "lxc.cgroup.cpu.shares"), "1024");
	ck_assert_str_eq(lxcconf_get(c, "lxc.cgroup.hugetlb.1GB.limit_in_bytes"), "1073741824");
	for (size_t i = 0; i < c->n; i++)
		ck_assert_msg(strncmp(c->v[i].key, "lxc.cgroup.", 11) == 0, "%s", c->v[i].key);
	ck_assert_int_eq(to_oci(c, &back, NULL, &err), 0);
	ck_assert(json_equal(back, oci));
}
END_TEST

START_TEST(stale_meta_is_ignored_with_a_warning)
{
	cleanup_lxcconf struct lxc_config *c = conf_of("lxc.cgroup2.memory.max = 1G");
	cleanup_lxcconf struct lxc_config *back = NULL;
	cleanup_json json_t *oci = NULL;
	cleanup_error struct ct_error *err = NULL;
	unsigned before;

	ck_assert_int_eq(to_oci(c, &oci, NULL, &err), 0);
	ck_assert_int_eq(
		ct_json_set(oci, "/linux/resources/memory/limit", json_integer(4096), &err), 0);
	before = nwarn;
	back = to_lxc(oci);
	ck_assert_uint_eq(nwarn, before + 1);
	ck_assert_str_eq(lxcconf_get(back, "lxc.cgroup.memory.limit_in_bytes"), "4096");
	ck_assert_ptr_null(lxcconf_get(back, "lxc.cgroup2.memory.max"));
}
END_TEST

START_TEST(cgroups_path_maps_to_container_dir_with_monitor)
{
	cleanup_lxcconf struct lxc_config *c = conf_of(
		"lxc.cgroup.dir.container = ctl/app\nlxc.cgroup.dir.monitor = ctl/lxc.monitor.app");
	cleanup_lxcconf struct lxc_config *back = NULL, *abs = NULL;
	cleanup_json json_t *oci = NULL;
	cleanup_json json_t *abs_oci = json_loads("{\"linux\":{\"cgroupsPath\":\"/top\"}}", 0,
						  NULL);
	cleanup_free bool *used = NULL;
	cleanup_error struct ct_error *err = NULL;
	unsigned before;

	ck_assert_int_eq(to_oci(c, &oci, &used, &err), 0);
	ck_assert(used[0] && used[1]);
	ck_assert_str_eq(json_string_value(ct_json_get(oci, "/linux/cgroupsPath")), "ctl/app");
	back = to_lxc(oci);
	ck_assert_str_eq(lxcconf_get(back, "lxc.cgroup.dir.container"), "ctl/app");
	ck_assert_str_eq(lxcconf_get(back, "lxc.cgroup.dir.monitor"), "ctl/lxc.monitor.app");
	before = nwarn;
	abs = to_lxc(abs_oci);
	ck_assert_uint_eq(nwarn, before + 1);
	ck_assert_str_eq(lxcconf_get(abs, "lxc.cgroup.dir.container"), "top");
	ck_assert_str_eq(lxcconf_get(abs, "lxc.cgroup.dir.monitor"), "lxc.monitor.top");
}
END_TEST

START_TEST(own_monitor_dir_is_left_to_annotations)
{
	cleanup_lxcconf struct lxc_config *c = conf_of(
		"lxc.cgroup.dir.container = ctl/app\nlxc.cgroup.dir.monitor = mon");
	cleanup_json json_t *oci = NULL;
	cleanup_free bool *used = NULL;
	cleanup_error struct ct_error *err = NULL;

	ck_assert_int_eq(to_oci(c, &oci, &used, &err), 0);
	ck_assert(used[0] && !used[1]);
}
END_TEST

/* The canonical lines are compared in order without being built; a different order of the
 * groups is still the canonical spelling (no meta), and a line beyond them is not. */
START_TEST(canonical_check_takes_any_group_order_and_no_extra_line)
{
	static const struct {
		const char *text;
		bool meta;
	} rows[] = {
		{ "lxc.cgroup.memory.limit_in_bytes = 1024\nlxc.cgroup.cpu.shares = 512", false },
		{ "lxc.cgroup.cpu.shares = 512\nlxc.cgroup.memory.limit_in_bytes = 1024", false },
		{ "lxc.cgroup.pids.max = 9\nlxc.cgroup.cpu.shares = 512", false },
		{ "lxc.cgroup.pids.max = 9\nlxc.cgroup.pids.max = 9", true },
		{ "lxc.cgroup.pids.max = 9\nlxc.cgroup.devices.allow = c 1:3 rwm\n"
		  "lxc.cgroup.devices.allow = c 1:3 rwm",
		  true },
		{ "lxc.cgroup.devices.allow = c 1:3 rwm\nlxc.cgroup.devices.deny = a", true },
	};

	for (size_t i = 0; i < CT_ARRAY_SIZE(rows); i++) {
		cleanup_lxcconf struct lxc_config *c = conf_of(rows[i].text);
		cleanup_json json_t *oci = NULL;
		cleanup_error struct ct_error *err = NULL;
		json_t *meta;

		ck_assert_int_eq(to_oci(c, &oci, NULL, &err), 0);
		meta = ct_json_get(oci, "/annotations/org.ctlaunch.meta.cgroup");
		ck_assert_msg(!!meta == rows[i].meta, "%s: meta %s, expected %s", rows[i].text,
			      meta ? "recorded" : "absent", rows[i].meta ? "recorded" : "absent");
		if (rows[i].meta)
			assert_lxc_round_trip(rows[i].text);
	}
}
END_TEST

/* Rule objects the text cannot express are refused; members of no meaning are ignored. */
START_TEST(device_rule_text_refuses_what_lxc_cannot_say)
{
	static const char *const bad[] = {
		"{\"access\":\"rwm\"}",
		"{\"allow\":1,\"access\":\"rwm\"}",
		"{\"allow\":true,\"type\":\"x\"}",
		"{\"allow\":true,\"type\":\"cc\"}",
		"{\"allow\":true,\"type\":\"\"}",
		"{\"allow\":true,\"type\":\"c\",\"major\":-1}",
		"{\"allow\":true,\"type\":\"c\",\"minor\":1000000000}",
		"{\"allow\":true,\"type\":\"c\",\"major\":\"1\"}",
		"{\"allow\":true,\"type\":\"c\",\"access\":\"rwx\"}",
		"{\"allow\":true,\"type\":\"c\",\"access\":\"\"}",
		"{\"allow\":true,\"type\":\"c\",\"access\":\"rwmr\"}",
		"{\"allow\":true,\"type\":\"c\",\"access\":7}",
	};
	static const struct {
		const char *json, *text;
		bool all;
	} good[] = {
		{ "{\"allow\":false,\"access\":\"rwm\",\"x\":1}", "a", true },
		{ "{\"allow\":true,\"type\":\"c\",\"major\":999999999,\"minor\":0}",
		  "c 999999999:0", false },
		{ "{\"minor\":7,\"allow\":true,\"type\":\"b\",\"access\":\"w\"}", "b *:7 w",
		  false },
		{ "{\"allow\":true,\"type\":\"a\",\"access\":\"rw\"}", "a *:* rw", true },
	};

	for (size_t i = 0; i < CT_ARRAY_SIZE(bad); i++) {
		cleanup_json json_t *r = json_loads(bad[i], 0, NULL);
		char buf[CG_RULE_TEXT_MAX];
		bool allow;

		ck_assert_ptr_nonnull(r);
		ck_assert_msg(!cg_device_rule_text(r, &allow, buf), "accepted %s", bad[i]);
	}
	for (size_t i = 0; i < CT_ARRAY_SIZE(good); i++) {
		cleanup_json json_t *r = json_loads(good[i].json, 0, NULL);
		char buf[CG_RULE_TEXT_MAX];
		bool allow;

		ck_assert_ptr_nonnull(r);
		ck_assert_msg(cg_device_rule_text(r, &allow, buf), "refused %s", good[i].json);
		ck_assert_str_eq(buf, good[i].text);
		ck_assert_int_eq(allow, json_is_true(json_object_get(r, "allow")));
		ck_assert_int_eq(cg_device_rule_is_all(r), good[i].all);
	}
}
END_TEST

/* The parsed runc rules the LXC -> OCI direction compares with are the text's parse. */
START_TEST(runc_default_rules_are_their_text_parsed)
{
	for (size_t i = 0; i < cg_runc_default_devices_n; i++) {
		struct cg_rule r;
		const char *why;

		ck_assert_int_eq(cg_rule_parse(cg_runc_default_devices[i], true, &r, &why), 0);
		ck_assert_msg(cg_rule_equal(&r, &cg_runc_default_rules[i]), "rule %zu (%s)", i,
			      cg_runc_default_devices[i]);
	}
}
END_TEST

/* Each malformed rule is refused with the reason of the field that is wrong. */
START_TEST(device_rule_parse_names_the_bad_field)
{
	static const char *const generic = "expected \"a\" or \"TYPE MAJOR:MINOR [ACCESS]\"";
	static const struct {
		const char *rule, *why; /* why NULL: accepted */
		long long major, minor;
	} rows[] = {
		{ "", "expected", 0, 0 },
		{ "a ", "expected", 0, 0 },
		{ "b", "expected", 0, 0 },
		{ "x 1:3", "expected", 0, 0 },
		{ "c x", "expected", 0, 0 },
		{ "c 1 3", "expected", 0, 0 },
		{ "c :3", "the major", 0, 0 },
		{ "c 1 2:3", "the major", 0, 0 },
		{ "c 1234567890:1", "the major", 0, 0 },
		{ "c **:1", "the major", 0, 0 },
		{ "c *:", "the minor", 0, 0 },
		{ "c 1:*x", "the minor", 0, 0 },
		{ "c 1:2:3", "the minor", 0, 0 },
		{ "c 1:3x rwm", "the minor", 0, 0 },
		{ "c 1:3 ", "the access", 0, 0 },
		{ "c 1:3 rwmr", "the access", 0, 0 },
		{ "c 1:3 rw m", "the access", 0, 0 },
		{ "c 007:123456789 mm", NULL, 7, 123456789 },
		{ "b *:0", NULL, -1, 0 },
		{ "a 5:*", NULL, 5, -1 },
	};

	for (size_t i = 0; i < CT_ARRAY_SIZE(rows); i++) {
		struct cg_rule r;
		const char *why = NULL;
		int rc = cg_rule_parse(rows[i].rule, false, &r, &why);

		if (!rows[i].why) {
			ck_assert_msg(rc == 0, "\"%s\" refused: %s", rows[i].rule, why);
			ck_assert_int_eq(r.major, rows[i].major);
			ck_assert_int_eq(r.minor, rows[i].minor);
			continue;
		}
		ck_assert_msg(rc < 0, "\"%s\" accepted", rows[i].rule);
		ck_assert_msg(strncmp(why, rows[i].why, strlen(rows[i].why)) == 0 &&
				      (strcmp(rows[i].why, "expected") || strstr(why, generic)),
			      "\"%s\": %s", rows[i].rule, why);
	}
}
END_TEST

/* More rules than the build keeps on the stack: all of them reach the JSON, in order. */
START_TEST(many_device_rules_are_all_kept)
{
	cleanup_strbuf struct strbuf sb = STRBUF_INIT;
	cleanup_lxcconf struct lxc_config *c = NULL;
	cleanup_json json_t *oci = NULL;
	cleanup_error struct ct_error *err = NULL;
	json_t *devs;

	strbuf_printf(&sb, "lxc.cgroup.devices.deny = a");
	for (int i = 0; i < 150; i++)
		strbuf_printf(&sb, "\nlxc.cgroup.devices.allow = c 42:%d rw", i);
	ck_assert(!sb.oom);
	c = conf_of(sb.s);
	ck_assert_int_eq(to_oci(c, &oci, NULL, &err), 0);
	devs = res_of(oci, "/devices");
	ck_assert_uint_eq(json_array_size(devs), 151);
	for (int i = 0; i < 150; i++)
		ck_assert_int_eq(
			json_integer_value(json_object_get(json_array_get(devs, i + 1), "minor")),
			i);
	assert_lxc_round_trip(sb.s);
}
END_TEST

/* map_devices.c reads a device bind in place: a path that reaches a node only through "..", or
 * that the bind line cannot hold, is not taken even though stat() would find a device. */
START_TEST(device_binds_are_read_in_place_and_refuse_odd_paths)
{
	static const struct {
		const char *entry;
		bool taken;
	} rows[] = {
		{ "/dev/null dev/null none bind,optional,create=file 0 0", true },
		{ "/dev/../dev/null dev/../dev/null none bind,optional,create=file 0 0", false },
		{ "/dev/null/ dev/null/ none bind,optional,create=file 0 0", false },
		{ "/dev/ dev/ none bind,optional,create=file 0 0", false },
		{ "/dev/null dev/nul none bind,optional,create=file 0 0", false },
		{ "/dev/null dev/null none bind,optional,create=file 0 0 x", false },
		{ "/dev/null", false },
		{ "/tmp/null tmp/null none bind,optional,create=file 0 0", false },
	};

	for (size_t i = 0; i < CT_ARRAY_SIZE(rows); i++) {
		cleanup_free char *text = NULL;
		cleanup_lxcconf struct lxc_config *c = NULL;
		cleanup_json json_t *oci = NULL;
		cleanup_free bool *used = NULL;
		cleanup_error struct ct_error *err = NULL;
		json_t *devs;

		ck_assert_int_ge(asprintf(&text, "lxc.mount.entry = %s", rows[i].entry), 0);
		c = conf_of(text);
		ck_assert_int_eq(family_to_oci(&ct_family_devices, c, &oci, &used, &err), 0);
		devs = ct_json_get(oci, "/linux/devices");
		ck_assert_msg(used[0] == rows[i].taken, "%s: taken %d", rows[i].entry, used[0]);
		ck_assert_uint_eq(json_array_size(devs), rows[i].taken);
		if (rows[i].taken)
			ck_assert_str_eq(
				json_string_value(json_object_get(json_array_get(devs, 0), "path")),
				"/dev/null");
	}
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("map_cgroup");
	TCase *tc = tcase_create("cgroup");

	tcase_add_loop_test(tc, v1_key_maps_to_typed_field_and_back, 0, CT_ARRAY_SIZE(v1_rows));
	tcase_add_test(tc, sizes_with_suffixes_parse_and_keep_their_spelling);
	tcase_add_test(tc, formulas_hold_at_their_boundaries);
	tcase_add_test(tc, device_rules_compare_as_their_json_does);
	tcase_add_test(tc, cgroup2_keys_map_by_exact_inverse_else_unified);
	tcase_add_test(tc, swap_max_without_memory_limit_goes_to_unified);
	tcase_add_test(tc, unified_members_become_cgroup2_keys);
	tcase_add_test(tc, unknown_cgroup_key_travels_as_annotation_without_error);
	tcase_add_test(tc, bad_values_are_located_errors);
	tcase_add_test(tc, device_rules_parse_with_wildcards_and_all);
	tcase_add_test(tc, device_rules_keep_order_and_allow_all_after_deny);
	tcase_add_test(tc, runc_spec_devices_round_trip_and_spell_runc_defaults);
	tcase_add_test(tc, deny_all_without_runc_defaults_warns);
	tcase_add_test(tc, native_oci_resources_round_trip_in_v1_keys);
	tcase_add_test(tc, stale_meta_is_ignored_with_a_warning);
	tcase_add_test(tc, cgroups_path_maps_to_container_dir_with_monitor);
	tcase_add_test(tc, own_monitor_dir_is_left_to_annotations);
	tcase_add_test(tc, canonical_check_takes_any_group_order_and_no_extra_line);
	tcase_add_test(tc, device_rule_text_refuses_what_lxc_cannot_say);
	tcase_add_test(tc, runc_default_rules_are_their_text_parsed);
	tcase_add_test(tc, device_rule_parse_names_the_bad_field);
	tcase_add_test(tc, many_device_rules_are_all_kept);
	tcase_add_test(tc, device_binds_are_read_in_place_and_refuse_odd_paths);
	suite_add_tcase(s, tc);
	return s;
}
