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
	{ "memory.limit_in_bytes", "memory.max", "/memory/limit", CG_P_MEMORY, CG_K_SIZE,
	  CG_C_SAME },
	{ "memory.soft_limit_in_bytes", "memory.low", "/memory/reservation", CG_P_MEMORY, CG_K_SIZE,
	  CG_C_SAME },
	{ "memory.memsw.limit_in_bytes", "memory.swap.max", "/memory/swap", CG_P_MEMORY, CG_K_SIZE,
	  CG_C_SWAP },
	{ "memory.kmem.limit_in_bytes", NULL, "/memory/kernel", CG_P_MEMORY, CG_K_SIZE, CG_C_NONE },
	{ "memory.kmem.tcp.limit_in_bytes", NULL, "/memory/kernelTCP", CG_P_MEMORY, CG_K_SIZE,
	  CG_C_NONE },
	{ "memory.swappiness", NULL, "/memory/swappiness", CG_P_MEMORY, CG_K_UINT, CG_C_NONE },
	{ "memory.oom_control", NULL, "/memory/disableOOMKiller", CG_P_MEMORY, CG_K_BOOL,
	  CG_C_NONE },
	{ "cpu.shares", "cpu.weight", "/cpu/shares", CG_P_CPU, CG_K_UINT, CG_C_SHARES },
	{ "cpu.cfs_quota_us", NULL, "/cpu/quota", CG_P_CPU, CG_K_INT, CG_C_NONE },
	{ "cpu.cfs_period_us", NULL, "/cpu/period", CG_P_CPU, CG_K_UINT, CG_C_NONE },
	{ "cpu.rt_runtime_us", NULL, "/cpu/realtimeRuntime", CG_P_CPU, CG_K_INT, CG_C_NONE },
	{ "cpu.rt_period_us", NULL, "/cpu/realtimePeriod", CG_P_CPU, CG_K_UINT, CG_C_NONE },
	{ "cpuset.cpus", "cpuset.cpus", "/cpu/cpus", CG_P_CPU, CG_K_STR, CG_C_SAME },
	{ "cpuset.mems", "cpuset.mems", "/cpu/mems", CG_P_CPU, CG_K_STR, CG_C_SAME },
	{ "pids.max", "pids.max", "/pids/limit", CG_P_PIDS, CG_K_PIDS, CG_C_SAME },
	{ "blkio.weight", "io.weight", "/blockIO/weight", CG_P_BLOCKIO, CG_K_UINT, CG_C_IOWEIGHT },
	{ "blkio.leaf_weight", NULL, "/blockIO/leafWeight", CG_P_BLOCKIO, CG_K_UINT, CG_C_NONE },
	{ "net_cls.classid", NULL, "/network/classID", CG_P_NETWORK, CG_K_UINT, CG_C_NONE },
};

static const struct cg_listkey listkeys[] = {
	{ "blkio.weight_device", "/blockIO/weightDevice", CG_P_BLOCKIO, "weight", CG_L_WEIGHT },
	{ "blkio.throttle.read_bps_device", "/blockIO/throttleReadBpsDevice", CG_P_BLOCKIO, "rate",
	  CG_L_RATE },
	{ "blkio.throttle.write_bps_device", "/blockIO/throttleWriteBpsDevice", CG_P_BLOCKIO,
	  "rate", CG_L_RATE },
	{ "blkio.throttle.read_iops_device", "/blockIO/throttleReadIOPSDevice", CG_P_BLOCKIO,
	  "rate", CG_L_RATE },
	{ "blkio.throttle.write_iops_device", "/blockIO/throttleWriteIOPSDevice", CG_P_BLOCKIO,
	  "rate", CG_L_RATE },
	{ "net_prio.ifpriomap", "/network/priorities", CG_P_NETWORK, "priority", CG_L_PRIO },
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

/* Where the lines go: appended to out, or (out NULL) compared in order with the entries of in
 * marked in mine, which builds nothing: the LXC -> OCI direction asks whether its input is the
 * canonical spelling, and usually it is. */
struct sink {
	struct lxc_config *out;
	const struct lxc_config *in;
	const bool *mine;
	size_t pos;   /* the next entry of in to look at */
	bool differs; /* a line did not match */
};

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

/* The next entry of s->in marked in mine, NULL after the last. */
static const struct lxc_entry *next_mine(struct sink *s)
{
	while (s->pos < s->in->n && !s->mine[s->pos])
		s->pos++;
	return s->pos < s->in->n ? &s->in->v[s->pos++] : NULL;
}

/* Write the line PREFIX+FILE = VALUE, or compare it with the next mapped input line. */
static int emit(struct sink *s, const char *prefix, const char *file, const char *value,
		struct ct_error **err)
{
	size_t np = strlen(prefix);
	const struct lxc_entry *e;

	if (s->out)
		return add_file(s->out, prefix, file, value, err);
	if (s->differs)
		return 0;
	e = next_mine(s);
	s->differs = !e || strncmp(e->key, prefix, np) != 0 || strcmp(e->key + np, file) != 0 ||
		     strcmp(e->value, value) != 0;
	return 0;
}

/* emit for a whole key known in advance (the device rules: most of the lines). */
static int emit_key(struct sink *s, const char *key, const char *value, struct ct_error **err)
{
	const struct lxc_entry *e;

	if (s->out)
		return lxcconf_add(s->out, key, value, NULL, 0, err);
	if (s->differs)
		return 0;
	e = next_mine(s);
	s->differs = !e || strcmp(e->key, key) != 0 || strcmp(e->value, value) != 0;
	return 0;
}

/* v in decimal, without snprintf; buf holds any long long. */
static const char *fmt_ll(char buf[static 24], long long v)
{
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	char *p = buf + 23;

	*p = '\0';
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	return p;
}

static int emit_int(struct sink *s, const char *file, long long v, struct ct_error **err)
{
	char buf[24];

	return emit(s, V1, file, fmt_ll(buf, v), err);
}

/* A value LXC can hold on one line. */
bool cg_line_ok(const char *s)
{
	return s && *s && !strchr(s, '\n') && !strchr(s, '\r');
}

static int render_scalar(const struct cg_scalar *s, json_t *v, struct sink *out,
			 struct ct_error **err)
{
	long long i = json_integer_value(v);

	if (s->kind == CG_K_STR)
		return cg_line_ok(json_string_value(v))
			       ? emit(out, V1, s->v1, json_string_value(v), err)
			       : 0;
	if (s->kind == CG_K_BOOL)
		return json_is_true(v) ? emit(out, V1, s->v1, "1", err) : 0;
	if (!json_is_integer(v) || i == 0 || (s->kind == CG_K_UINT && i < 0))
		return 0; /* runc ignores 0; anything else LXC cannot say travels as a carry line */
	if (s->kind == CG_K_PIDS && i < 0)
		return emit(out, V1, s->v1, "max", err);
	return emit_int(out, s->v1, i, err);
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

static int render_list(const struct cg_listkey *l, json_t *arr, struct sink *out,
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
		if (emit(out, V1, l->v1, v, err) < 0)
			return -1;
	}
	return 0;
}

static int render_hugetlb(json_t *arr, struct sink *out, struct ct_error **err)
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
		if (emit_int(out, file, json_integer_value(limit), err) < 0)
			return -1;
	}
	return 0;
}

static int emit_rule(struct sink *out, bool allow, const char *rule, struct ct_error **err)
{
	return emit_key(out, allow ? V1 "devices.allow" : V1 "devices.deny", rule, err);
}

/* The OCI list on top of runc's implicit "deny everything", then runc's own defaults. */
static int render_devices(json_t *arr, struct sink *out, struct ct_error **err)
{
	size_t i;
	json_t *it;

	if (!json_array_size(arr))
		return 0;
	if (!cg_device_rule_is_all(json_array_get(arr, 0)) && emit_rule(out, false, "a", err) < 0)
		return -1;
	json_array_foreach (arr, i, it) {
		char rule[CG_RULE_TEXT_MAX];
		bool allow;

		if (cg_device_rule_text(it, &allow, rule) && emit_rule(out, allow, rule, err) < 0)
			return -1;
	}
	for (i = 0; i < cg_runc_default_devices_n; i++)
		if (emit_rule(out, true, cg_runc_default_devices[i], err) < 0)
			return -1;
	return 0;
}

static bool unified_key_ok(const char *k)
{
	return *k &&
	       strspn(k, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") ==
		       strlen(k);
}

/* The members of res the rendering reads, by name. */
enum top { T_HUGEPAGES = CG_P_N, T_DEVICES, T_UNIFIED, T_N };
static const char *const top_names[T_N] = {
	[CG_P_MEMORY] = "memory",   [CG_P_CPU] = "cpu",		[CG_P_PIDS] = "pids",
	[CG_P_BLOCKIO] = "blockIO", [CG_P_NETWORK] = "network", [T_HUGEPAGES] = "hugepageLimits",
	[T_DEVICES] = "devices",    [T_UNIFIED] = "unified",
};

/* One pass over res's members (it has a few) instead of a lookup for each of the 27 places the
 * tables name: a controller absent from res costs nothing. */
static void top_members(json_t *res, json_t *ret[static T_N])
{
	const char *k;
	json_t *v;

	memset(ret, 0, T_N * sizeof(*ret));
	json_object_foreach (res, k, v) {
		for (size_t i = 0; i < T_N; i++) {
			if (k[0] == top_names[i][0] && strcmp(k, top_names[i]) == 0) {
				ret[i] = v;
				break;
			}
		}
	}
}

/* The leaf of a row's pointer "/PARENT/LEAF" in its parent object. */
static json_t *leaf_of(json_t *const top[static T_N], enum cg_parent p, const char *ptr)
{
	if (!top[p])
		return NULL;
	return json_object_get(top[p], ptr + 2 + strlen(top_names[p]));
}

static int render(json_t *res, struct sink *out, struct ct_error **err)
{
	json_t *top[T_N];
	const char *k;
	json_t *v;

	if (!json_is_object(res))
		return 0;
	top_members(res, top);
	for (size_t i = 0; i < CT_ARRAY_SIZE(scalars); i++) {
		json_t *sv = leaf_of(top, scalars[i].parent, scalars[i].ptr);

		if (sv && render_scalar(&scalars[i], sv, out, err) < 0)
			return -1;
	}
	for (size_t i = 0; i < CT_ARRAY_SIZE(listkeys); i++) {
		json_t *arr = leaf_of(top, listkeys[i].parent, listkeys[i].array);

		if (json_is_array(arr) && render_list(&listkeys[i], arr, out, err) < 0)
			return -1;
	}
	if (json_is_array(top[T_HUGEPAGES]) && render_hugetlb(top[T_HUGEPAGES], out, err) < 0)
		return -1;
	if (json_is_array(top[T_DEVICES]) && render_devices(top[T_DEVICES], out, err) < 0)
		return -1;
	json_object_foreach (top[T_UNIFIED], k, v) {
		if (unified_key_ok(k) && cg_line_ok(json_string_value(v)) &&
		    emit(out, V2, k, json_string_value(v), err) < 0)
			return -1;
	}
	return 0;
}

int cg_render_resources(json_t *res, struct lxc_config *out, struct ct_error **err)
{
	struct sink s = { .out = out };

	return render(res, &s, err);
}

bool cg_render_matches(json_t *res, const struct lxc_config *in, const bool *mine)
{
	struct sink s = { .in = in, .mine = mine };
	struct ct_error *err = NULL;

	if (render(res, &s, &err) < 0) {
		ct_error_free(err);
		return false;
	}
	return !s.differs && !next_mine(&s);
}
