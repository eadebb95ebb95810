/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* linux.resources -> lxc.cgroup.* lines (the v1 spelling oci2lxc writes, and the canonical
 * spelling lxc2oci compares its input with), and the tables of the typed fields both directions
 * share. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup_conv.h"
#include "cleanup.h"
#include "families.h"

#define V1 "lxc.cgroup."
#define V2 "lxc.cgroup2."

static const struct cg_scalar scalars[] = {
	{ "memory.limit_in_bytes", "memory.max", "/memory/limit", CG_K_SIZE, CG_C_SAME },
	{ "memory.soft_limit_in_bytes", "memory.low", "/memory/reservation", CG_K_SIZE, CG_C_SAME },
	{ "memory.memsw.limit_in_bytes", "memory.swap.max", "/memory/swap", CG_K_SIZE, CG_C_SWAP },
	{ "memory.kmem.limit_in_bytes", NULL, "/memory/kernel", CG_K_SIZE, CG_C_NONE },
	{ "memory.kmem.tcp.limit_in_bytes", NULL, "/memory/kernelTCP", CG_K_SIZE, CG_C_NONE },
	{ "memory.swappiness", NULL, "/memory/swappiness", CG_K_UINT, CG_C_NONE },
	{ "memory.oom_control", NULL, "/memory/disableOOMKiller", CG_K_BOOL, CG_C_NONE },
	{ "cpu.shares", "cpu.weight", "/cpu/shares", CG_K_UINT, CG_C_SHARES },
	{ "cpu.cfs_quota_us", NULL, "/cpu/quota", CG_K_INT, CG_C_NONE },
	{ "cpu.cfs_period_us", NULL, "/cpu/period", CG_K_UINT, CG_C_NONE },
	{ "cpu.rt_runtime_us", NULL, "/cpu/realtimeRuntime", CG_K_INT, CG_C_NONE },
	{ "cpu.rt_period_us", NULL, "/cpu/realtimePeriod", CG_K_UINT, CG_C_NONE },
	{ "cpuset.cpus", "cpuset.cpus", "/cpu/cpus", CG_K_STR, CG_C_SAME },
	{ "cpuset.mems", "cpuset.mems", "/cpu/mems", CG_K_STR, CG_C_SAME },
	{ "pids.max", "pids.max", "/pids/limit", CG_K_PIDS, CG_C_SAME },
	{ "blkio.weight", "io.weight", "/blockIO/weight", CG_K_UINT, CG_C_IOWEIGHT },
	{ "blkio.leaf_weight", NULL, "/blockIO/leafWeight", CG_K_UINT, CG_C_NONE },
	{ "net_cls.classid", NULL, "/network/classID", CG_K_UINT, CG_C_NONE },
};

static const struct cg_listkey listkeys[] = {
	{ "blkio.weight_device", "/blockIO/weightDevice", "weight", CG_L_WEIGHT },
	{ "blkio.throttle.read_bps_device", "/blockIO/throttleReadBpsDevice", "rate", CG_L_RATE },
	{ "blkio.throttle.write_bps_device", "/blockIO/throttleWriteBpsDevice", "rate", CG_L_RATE },
	{ "blkio.throttle.read_iops_device", "/blockIO/throttleReadIOPSDevice", "rate", CG_L_RATE },
	{ "blkio.throttle.write_iops_device", "/blockIO/throttleWriteIOPSDevice", "rate", CG_L_RATE },
	{ "net_prio.ifpriomap", "/network/priorities", "priority", CG_L_PRIO },
};

const struct cg_scalar *cg_find_scalar(const char *file, bool v2)
{
	for (size_t i = 0; i < CT_ARRAY_SIZE(scalars); i++) {
		const char *name = v2 ? scalars[i].v2 : scalars[i].v1;

		if (name && name[0] == file[0] && strcmp(name, file) == 0)
			return &scalars[i];
	}
	return NULL;
}

const struct cg_listkey *cg_find_listkey(const char *file)
{
	for (size_t i = 0; i < CT_ARRAY_SIZE(listkeys); i++)
		if (strcmp(listkeys[i].v1, file) == 0)
			return &listkeys[i];
	return NULL;
}

static int add_file(struct lxc_config *out, const char *prefix, const char *file, const char *value,
		    struct ct_error **err)
{
	size_t np = strlen(prefix), nf = strlen(file);
	char buf[128];
	cleanup_free char *heap = NULL;
	char *key = buf;

	/* the keys are short: built on the stack, not with asprintf, as this runs for every rule */
	if (np + nf >= sizeof(buf)) {
		key = heap = malloc(np + nf + 1);
		if (!key)
			return ct_error_set(err, ENOMEM, "out of memory");
	}
	memcpy(key, prefix, np);
	memcpy(key + np, file, nf + 1);
	return lxcconf_add(out, key, value, NULL, 0, err);
}

static int add_int(struct lxc_config *out, const char *file, long long v, struct ct_error **err)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", v);
	return add_file(out, V1, file, buf, err);
}

/* A value LXC can hold on one line. */
bool cg_line_ok(const char *s)
{
	return s && *s && !strchr(s, '\n') && !strchr(s, '\r');
}

static int render_scalar(const struct cg_scalar *s, json_t *v, struct lxc_config *out,
			 struct ct_error **err)
{
	long long i = json_integer_value(v);

	if (s->kind == CG_K_STR)
		return cg_line_ok(json_string_value(v))
			       ? add_file(out, V1, s->v1, json_string_value(v), err)
			       : 0;
	if (s->kind == CG_K_BOOL)
		return json_is_true(v) ? add_file(out, V1, s->v1, "1", err) : 0;
	if (!json_is_integer(v) || i == 0 || (s->kind == CG_K_UINT && i < 0))
		return 0; /* runc ignores 0; anything else LXC cannot say travels as a carry line */
	if (s->kind == CG_K_PIDS && i < 0)
		return add_file(out, V1, s->v1, "max", err);
	return add_int(out, s->v1, i, err);
}

static bool only_members(json_t *obj, const char *const *names, size_t n)
{
	if (!json_is_object(obj) || json_object_size(obj) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!json_object_get(obj, names[i]))
			return false;
	return true;
}

static int render_list(const struct cg_listkey *l, json_t *arr, struct lxc_config *out,
		       struct ct_error **err)
{
	size_t i;
	json_t *it;

	json_array_foreach (arr, i, it) {
		const char *dev[] = { "major", "minor", l->member };
		const char *prio[] = { "name", l->member };
		long long n = json_integer_value(json_object_get(it, l->member));
		cleanup_free char *v = NULL;
		int rc;

		if (l->kind == CG_L_PRIO) {
			const char *name = json_string_value(json_object_get(it, "name"));

			if (!only_members(it, prio, 2) || !cg_line_ok(name) || strchr(name, ' ') ||
			    n < 0)
				continue;
			rc = asprintf(&v, "%s %lld", name, n);
		} else {
			long long maj = json_integer_value(json_object_get(it, "major"));
			long long min = json_integer_value(json_object_get(it, "minor"));

			if (!only_members(it, dev, 3) || maj < 0 || min < 0 || n < 0)
				continue;
			rc = asprintf(&v, "%lld:%lld %lld", maj, min, n);
		}
		if (rc < 0) {
			v = NULL;
			return ct_error_set(err, ENOMEM, "out of memory");
		}
		if (add_file(out, V1, l->v1, v, err) < 0)
			return -1;
	}
	return 0;
}

static int render_hugetlb(json_t *arr, struct lxc_config *out, struct ct_error **err)
{
	static const char *const names[] = { "pageSize", "limit" };
	size_t i;
	json_t *it;

	json_array_foreach (arr, i, it) {
		const char *ps = json_string_value(json_object_get(it, "pageSize"));
		json_t *limit = json_object_get(it, "limit");
		cleanup_free char *file = NULL;

		if (!only_members(it, names, 2) || !cg_line_ok(ps) || strpbrk(ps, ". /=") ||
		    !json_is_integer(limit) || json_integer_value(limit) < 0)
			continue;
		if (asprintf(&file, "hugetlb.%s.limit_in_bytes", ps) < 0) {
			file = NULL;
			return ct_error_set(err, ENOMEM, "out of memory");
		}
		if (add_int(out, file, json_integer_value(limit), err) < 0)
			return -1;
	}
	return 0;
}

static int add_rule(struct lxc_config *out, bool allow, const char *rule, struct ct_error **err)
{
	return add_file(out, V1, allow ? "devices.allow" : "devices.deny", rule, err);
}

/* The OCI list on top of runc's implicit "deny everything", then runc's own defaults. */
static int render_devices(json_t *arr, struct lxc_config *out, struct ct_error **err)
{
	size_t i;
	json_t *it;

	if (!json_array_size(arr))
		return 0;
	if (!cg_device_rule_is_all(json_array_get(arr, 0)) && add_rule(out, false, "a", err) < 0)
		return -1;
	json_array_foreach (arr, i, it) {
		bool allow;
		cleanup_free char *rule = cg_device_rule_format(it, &allow);

		if (rule && add_rule(out, allow, rule, err) < 0)
			return -1;
	}
	for (i = 0; i < cg_runc_default_devices_n; i++)
		if (add_rule(out, true, cg_runc_default_devices[i], err) < 0)
			return -1;
	return 0;
}

static bool unified_key_ok(const char *k)
{
	return *k &&
	       strspn(k, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") ==
		       strlen(k);
}

/* The member at the pointer "/PARENT/LEAF" of res, as ct_json_get finds it. The tables are
 * grouped by controller, so the parent found last is asked first. */
struct parent_memo {
	const char *name; /* into the pointer; NULL: none yet */
	size_t len;
	json_t *obj;
};

static json_t *member_at(json_t *res, const char *ptr, struct parent_memo *last)
{
	const char *leaf = strchr(ptr + 1, '/');
	size_t n = (size_t)(leaf - (ptr + 1));

	if (!last->name || last->len != n || memcmp(last->name, ptr + 1, n) != 0) {
		last->name = ptr + 1;
		last->len = n;
		last->obj = json_object_getn(res, ptr + 1, n);
	}
	return json_object_get(last->obj, leaf + 1);
}

int cg_render_resources(json_t *res, struct lxc_config *out, struct ct_error **err)
{
	struct parent_memo last = { 0 };
	const char *k;
	json_t *unified, *v;

	if (!json_is_object(res))
		return 0;
	for (size_t i = 0; i < CT_ARRAY_SIZE(scalars); i++) {
		json_t *sv = member_at(res, scalars[i].ptr, &last);

		if (sv && render_scalar(&scalars[i], sv, out, err) < 0)
			return -1;
	}
	for (size_t i = 0; i < CT_ARRAY_SIZE(listkeys); i++) {
		json_t *arr = member_at(res, listkeys[i].array, &last);

		if (json_is_array(arr) && render_list(&listkeys[i], arr, out, err) < 0)
			return -1;
	}
	v = json_object_get(res, "hugepageLimits");
	if (json_is_array(v) && render_hugetlb(v, out, err) < 0)
		return -1;
	v = json_object_get(res, "devices");
	if (json_is_array(v) && render_devices(v, out, err) < 0)
		return -1;
	unified = json_object_get(res, "unified");
	json_object_foreach (unified, k, v) {
		if (unified_key_ok(k) && cg_line_ok(json_string_value(v)) &&
		    add_file(out, V2, k, json_string_value(v), err) < 0)
			return -1;
	}
	return 0;
}
