/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lxc.cgroup.* / lxc.cgroup2.* <-> linux.resources, lxc.cgroup.dir.container <-> cgroupsPath.
 *
 * OCI resources are shaped after cgroup v1: lxc.cgroup.* keys map to the typed fields directly,
 * lxc.cgroup2.* keys map to them through runc's formulas only where the inverse is exact, and to
 * linux.resources.unified otherwise. The way back writes v1 keys (the hosts are hybrid: v1
 * controllers, empty v2) and unified members as lxc.cgroup2.*. When the LXC input is not the
 * spelling the way back would produce (cgroup2 keys, "512M", a different rule order), the mapped
 * lines are kept verbatim in the meta annotation org.ctlaunch.meta.cgroup and written back as
 * they were as long as they still give the same resources. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup_conv.h"
#include "cleanup.h"
#include "families.h"
#include "jsonutil.h"

#define META_CGROUP CT_ANNOT_META "cgroup"

/* lxc.cgroup.* keys that are not controller files. */
static const char *const not_files[] = {
	"dir",	    "dir.container", "dir.monitor", "dir.monitor.pivot", "dir.container.inner",
	"relative",
};

/* Device rules kept in the stack before they move to the heap: configs have a few dozen. */
#define FEW_RULES 32

struct build {
	struct ct_ctx *ctx;
	json_t *res;
	struct cg_rule *rules; /* the device rules: few, or a heap copy when there are more */
	size_t nrules, caprules;
	struct cg_rule few[FEW_RULES];
	bool quiet; /* reading our own meta lines: no warnings */
	const struct lxc_entry *swap2;
	const struct lxc_entry *first_rule;
};

static bool is_not_file(const char *sub)
{
	/* two bytes first: the device rules, most of the lines, differ from "dir" in the second */
	for (size_t i = 0; i < CT_ARRAY_SIZE(not_files); i++)
		if (sub[0] == not_files[i][0] && sub[1] == not_files[i][1] &&
		    strcmp(sub, not_files[i]) == 0)
			return true;
	return false;
}

/* The controller file of a cgroup key ("memory.max"), and whether it is a cgroup2 key. NULL when
 * the key is not a controller setting. Every entry of the config comes here: the part
 * "lxc.cgroup." and "lxc.cgroup2." share is compared once. */
static const char *cgroup_file(const char *key, bool *ret_v2)
{
	const char *sub;

	/* "lxc.cg" byte by byte first, inline (a short key ends it at its NUL): most keys differ
	 * from it at their fifth byte, and strncmp costs a call */
	if (key[0] != 'l' || key[1] != 'x' || key[2] != 'c' || key[3] != '.' || key[4] != 'c' ||
	    key[5] != 'g' || strncmp(key + 6, "roup", 4) != 0)
		return NULL;
	sub = key + 10;
	*ret_v2 = *sub == '2';
	sub += *ret_v2;
	if (*sub++ != '.')
		return NULL;
	return *ret_v2 || !is_not_file(sub) ? sub : NULL;
}

static int set_res(struct build *b, const char *ptr, json_t *v, struct ct_error **err)
{
	return ct_json_set(b->res, ptr, v, err);
}

static int bad_value(const struct lxc_entry *e, const char *what, struct ct_error **err)
{
	int rc = ct_error_entry(err, e, "translating cgroup setting: \"%s\" is not %s", e->value,
				what);

	return ct_error_hint(err, rc,
			     "see the kernel's cgroup documentation for the file's format");
}

static int to_unified(struct build *b, const char *file, const char *value, struct ct_error **err)
{
	json_t *u = ct_json_obj(b->res, "/unified");

	if (!u)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (ct_json_set_member(u, file, ct_json_str(value)) < 0)
		return ct_error_set(err, ENOMEM, "out of memory");
	return 0;
}

/* Parse a scalar value as its kind says; NULL json with *ret_bad set when it does not parse. */
static json_t *scalar_value(const struct cg_scalar *s, const char *v, bool v2)
{
	int64_t i;
	uint64_t u;

	switch (s->kind) {
	case CG_K_SIZE:
		return cg_parse_size(v, v2, &i) < 0 ? NULL : json_integer(i);
	case CG_K_PIDS:
		if (strcmp(v, "max") == 0)
			return json_integer(-1);
		return cg_parse_i64(v, &i) < 0 || i < 0 ? NULL : json_integer(i);
	case CG_K_INT:
		return cg_parse_i64(v, &i) < 0 ? NULL : json_integer(i);
	case CG_K_UINT:
		return cg_parse_u64(v, &u) < 0 || u > INT64_MAX ? NULL
								: json_integer((json_int_t)u);
	case CG_K_STR:
		return ct_json_str(v);
	case CG_K_BOOL:
		if (strcmp(v, "0") && strcmp(v, "1"))
			return NULL;
		return json_boolean(*v == '1');
	}
	return NULL;
}

static int map_scalar(struct build *b, const struct lxc_entry *e, const struct cg_scalar *s,
		      bool v2, const char *file, struct ct_error **err)
{
	uint64_t w, out;
	json_t *v;

	if (v2 && s->conv == CG_C_SWAP) {
		b->swap2 = e; /* needs the memory limit: resolved at the end */
		return 0;
	}
	if (v2 && (s->conv == CG_C_SHARES || s->conv == CG_C_IOWEIGHT)) {
		if (cg_parse_u64(e->value, &w) < 0)
			return to_unified(b, file, e->value, err);
		if (s->conv == CG_C_SHARES ? !cg_weight_to_shares(w, &out)
					   : !cg_io_weight_to_blkio(w, &out))
			return to_unified(b, file, e->value, err);
		return set_res(b, s->ptr, json_integer((json_int_t)out), err);
	}
	v = scalar_value(s, e->value, v2);
	if (!v)
		return bad_value(e, s->kind == CG_K_STR ? "a string" : "a number the file accepts",
				 err);
	return set_res(b, s->ptr, v, err);
}

/* cgroup2 cpu.max: "QUOTA [PERIOD]", QUOTA a number or "max". */
static int map_cpu_max(struct build *b, const struct lxc_entry *e, struct ct_error **err)
{
	cleanup_free char *copy = strdup(e->value);
	char *period;
	int64_t quota;
	uint64_t p;

	if (!copy)
		return ct_error_set(err, ENOMEM, "out of memory");
	period = strchr(copy, ' ');
	if (period)
		*period++ = '\0';
	if (strcmp(copy, "max") == 0)
		quota = -1;
	else if (cg_parse_i64(copy, &quota) < 0 || quota <= 0)
		return bad_value(e, "\"QUOTA PERIOD\" (QUOTA a number or max)", err);
	if (period && (cg_parse_u64(period, &p) < 0 || p > INT64_MAX))
		return bad_value(e, "\"QUOTA PERIOD\" (PERIOD a number)", err);
	if (set_res(b, "/cpu/quota", json_integer(quota), err) < 0)
		return -1;
	if (period)
		return set_res(b, "/cpu/period", json_integer((json_int_t)p), err);
	ct_json_del(b->res, "/cpu/period", 0);
	return 0;
}

/* "MAJ:MIN NUMBER" or "IFNAME NUMBER". */
static int map_list(struct build *b, const struct lxc_entry *e, const struct cg_listkey *l,
		    struct ct_error **err)
{
	const char *sp = strchr(e->value, ' ');
	unsigned maj, min;
	uint64_t n;
	int end = 0;
	json_t *item, *arr;

	if (!sp || cg_parse_u64(sp + 1, &n) < 0 || n > INT64_MAX)
		goto bad;
	if (l->kind == CG_L_PRIO) {
		item = json_pack("{s:s%, s:I}", "name", e->value, (size_t)(sp - e->value),
				 l->member, (json_int_t)n);
	} else {
		if (sscanf(e->value, "%u:%u%n", &maj, &min, &end) != 2 || e->value + end != sp)
			goto bad;
		if (l->kind == CG_L_WEIGHT && n > 65535)
			goto bad;
		item = json_pack("{s:i, s:i, s:I}", "major", (int)maj, "minor", (int)min, l->member,
				 (json_int_t)n);
	}
	arr = ct_json_arr(b->res, l->array);
	if (!item || !arr || json_array_append_new(arr, item) < 0)
		return ct_error_set(err, ENOMEM, "out of memory");
	return 0;
bad:
	return bad_value(e, l->kind == CG_L_PRIO ? "\"IFNAME PRIORITY\"" : "\"MAJOR:MINOR VALUE\"",
			 err);
}

/* hugetlb.<size>.limit_in_bytes (v1) / hugetlb.<size>.max (v2). Returns 1 when the file is not a
 * hugetlb limit or its value has no typed form. */
static int map_hugetlb(struct build *b, const struct lxc_entry *e, const char *file, bool v2,
		       struct ct_error **err)
{
	const char *suffix = v2 ? ".max" : ".limit_in_bytes";
	size_t flen = strlen(file), slen = strlen(suffix), size_len;
	json_t *item, *arr;
	int64_t limit;

	if (strncmp(file, "hugetlb.", 8) || flen <= 8 + slen || strcmp(file + flen - slen, suffix))
		return 1;
	size_len = flen - 8 - slen;
	if (memchr(file + 8, '.', size_len))
		return 1;
	if (cg_parse_size(e->value, v2, &limit) < 0)
		return bad_value(e, "a byte count", err);
	if (limit < 0)
		return 1;
	item = json_pack("{s:s%, s:I}", "pageSize", file + 8, size_len, "limit", (json_int_t)limit);
	arr = ct_json_arr(b->res, "/hugepageLimits");
	if (!item || !arr || json_array_append_new(arr, item) < 0)
		return ct_error_set(err, ENOMEM, "out of memory");
	return 0;
}

/* Room for one more rule in b->rules: past FEW_RULES they move to the heap, doubling. */
static int room_for_rule(struct build *b, struct ct_error **err)
{
	struct cg_rule *more;

	if (b->nrules < b->caprules)
		return 0;
	more = malloc(2 * b->caprules * sizeof(*more));
	if (!more)
		return ct_error_set(err, ENOMEM, "out of memory");
	memcpy(more, b->rules, b->nrules * sizeof(*more));
	if (b->rules != b->few)
		free(b->rules);
	b->rules = more;
	b->caprules *= 2;
	return 0;
}

static int map_device_rule(struct build *b, const struct lxc_entry *e, bool allow,
			   struct ct_error **err)
{
	const char *why;

	if (room_for_rule(b, err) < 0)
		return -1;
	if (cg_rule_parse(e->value, allow, &b->rules[b->nrules], &why) < 0) {
		int rc = ct_error_entry(err, e, "translating device rule \"%s\": %s", e->value,
					why);

		return ct_error_hint(err, rc, "write \"a\" or e.g. \"c 1:3 rwm\", \"b *:* m\"");
	}
	if (!b->first_rule)
		b->first_rule = e;
	b->nrules++;
	return 0;
}

/* One entry. Returns 0 when mapped, 1 when it is left to travel as an annotation. */
static int map_entry(struct build *b, const struct lxc_entry *e, const char *file, bool v2,
		     struct ct_error **err)
{
	const struct cg_scalar *s;
	const struct cg_listkey *l;
	int rc;

	/* device rules first: the most numerous lines by far */
	if (strncmp(file, "devices.", 8) == 0 &&
	    (strcmp(file + 8, "allow") == 0 || strcmp(file + 8, "deny") == 0))
		return map_device_rule(b, e, file[8] == 'a', err);
	s = cg_find_scalar(file, v2);
	if (s)
		return map_scalar(b, e, s, v2, file, err);
	if (v2 && strcmp(file, "cpu.max") == 0)
		return map_cpu_max(b, e, err);
	if (!v2 && (l = cg_find_listkey(file)))
		return map_list(b, e, l, err);
	rc = map_hugetlb(b, e, file, v2, err);
	if (rc <= 0)
		return rc;
	/* Any other cgroup2 file travels in unified; other v1 files as annotations. */
	return v2 ? to_unified(b, file, e->value, err) : 1;
}

/* memory.swap.max = swap - limit (runc), so swap = swap.max + limit when the limit is known. */
static int resolve_swap(struct build *b, struct ct_error **err)
{
	json_t *limit;
	int64_t v;

	if (!b->swap2)
		return 0;
	limit = ct_json_get(b->res, "/memory/limit");
	if (cg_parse_size(b->swap2->value, true, &v) < 0)
		return bad_value(b->swap2, "a byte count or max", err);
	if (v == -1)
		return set_res(b, "/memory/swap", json_integer(-1), err);
	if (json_is_integer(limit) && json_integer_value(limit) > 0 &&
	    v <= INT64_MAX - json_integer_value(limit))
		return set_res(b, "/memory/swap", json_integer(v + json_integer_value(limit)), err);
	return to_unified(b, "memory.swap.max", b->swap2->value, err);
}

static bool tail_is_runc_defaults(const struct cg_rule *rules, size_t n)
{
	size_t nd = cg_runc_default_devices_n;

	if (n <= nd || !cg_rule_is_all(&rules[0]))
		return false;
	for (size_t i = 0; i < nd; i++)
		if (!cg_rule_equal(&cg_runc_default_rules[i], &rules[n - nd + i]))
			return false;
	return true;
}

/* Whether the last rule about every device denies (an allowlist program). */
static bool denies_by_default(const struct cg_rule *rules, size_t n)
{
	for (size_t i = n; i-- > 0;)
		if (cg_rule_is_all(&rules[i]))
			return !rules[i].allow;
	return false;
}

/* runc always appends its default rules: the LXC spelling of an OCI list ends with them. Only
 * the rules that stay become JSON. */
static int finish_devices(struct build *b, struct ct_error **err)
{
	size_t n = b->nrules;
	json_t *devices;

	if (!n)
		return 0;
	if (tail_is_runc_defaults(b->rules, n)) {
		n -= cg_runc_default_devices_n;
	} else if (!b->quiet && denies_by_default(b->rules, n)) {
		int rc = ct_warn_entry(b->ctx, err, b->first_rule,
				       "runc always allows its default devices (null, zero, full, "
				       "tty, random, urandom, ptmx, pts, tun, mknod of any) after "
				       "these rules; under OCI the container can use them");
		if (rc < 0)
			return rc;
	}
	devices = json_array();
	for (size_t i = 0; devices && i < n; i++)
		if (json_array_append_new(devices, cg_rule_json(&b->rules[i])) < 0) {
			json_decref(devices);
			devices = NULL;
		}
	if (!devices)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (json_object_set_new_nocheck(b->res, "devices", devices) < 0)
		return ct_error_set(err, ENOMEM, "out of memory");
	return 0;
}

/* Build linux.resources from conf's cgroup entries; mine[i] is set for each mapped entry. */
static int build_resources(struct ct_ctx *ctx, const struct lxc_config *conf, bool quiet,
			   bool *mine, json_t **ret, struct ct_error **err)
{
	cleanup_json json_t *res = json_object();
	struct build b = { .ctx = ctx, .res = res, .caprules = FEW_RULES, .quiet = quiet };
	int rc = 0;

	if (!res)
		return ct_error_set(err, ENOMEM, "out of memory");
	b.rules = b.few;
	for (size_t i = 0; i < conf->n && rc >= 0; i++) {
		const char *file;
		bool v2;

		file = cgroup_file(conf->v[i].key, &v2);
		if (!file)
			continue;
		rc = map_entry(&b, &conf->v[i], file, v2, err);
		mine[i] = rc == 0;
	}
	if (rc >= 0 && (resolve_swap(&b, err) < 0 || finish_devices(&b, err) < 0))
		rc = -1;
	if (b.rules != b.few)
		free(b.rules);
	if (rc < 0)
		return rc;
	*ret = steal_pointer(&res);
	return 0;
}

/* ---- meta: the LXC spelling when it is not the canonical one ---- */

static int record_meta(struct ct_ctx *ctx, const bool *mine, json_t *res, struct ct_error **err)
{
	cleanup_lxcconf struct lxc_config *canon = NULL;
	cleanup_strbuf struct strbuf sb = STRBUF_INIT;
	cleanup_free char *text = NULL;

	/* Usually the input is the canonical spelling in its order: that is checked line by line
	 * without building it; any other order still matches when each group has it. */
	if (cg_render_matches(res, ctx->lxc, mine))
		return 0;
	canon = lxcconf_new();
	if (!canon)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (cg_render_resources(res, canon, err) < 0)
		return -1;
	if (cg_same_lines(ctx->lxc, mine, canon))
		return 0;
	for (size_t i = 0; i < ctx->lxc->n; i++) {
		if (!mine[i])
			continue;
		strbuf_printf(&sb, "%s%s=%s", sb.len ? "\n" : "", ctx->lxc->v[i].key,
			      ctx->lxc->v[i].value);
	}
	text = strbuf_steal(&sb);
	if (!text)
		return ct_error_set(err, ENOMEM, "out of memory");
	return ct_json_set(ctx->oci, "/annotations/" META_CGROUP, ct_json_str(text), err);
}

/* The meta lines, if they still give exactly res; NULL otherwise (stale: user edits). */
static struct lxc_config *meta_lines(struct ct_ctx *ctx, const char *meta, json_t *res)
{
	cleanup_lxcconf struct lxc_config *conf = lxcconf_new();
	cleanup_free char *copy = strdup(meta);
	cleanup_free bool *mine = NULL;
	cleanup_json json_t *got = NULL;
	cleanup_json json_t *empty = json_object();
	struct ct_translate_opts quiet = *ctx->opts;
	struct ct_ctx qctx = { .lxc = conf, .opts = &quiet };
	char *save = NULL;
	struct ct_error *err = NULL;

	if (!conf || !copy || !empty)
		return NULL;
	quiet.diag = NULL;
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(l, '=');
		bool v2;

		if (!eq || !eq[1])
			return NULL;
		*eq = '\0';
		if (!cgroup_file(l, &v2) || lxcconf_add(conf, l, eq + 1, NULL, 0, NULL) < 0)
			return NULL;
	}
	mine = calloc(conf->n + 1, sizeof(bool));
	if (!mine || build_resources(&qctx, conf, true, mine, &got, &err) < 0) {
		ct_error_free(err);
		return NULL;
	}
	for (size_t i = 0; i < conf->n; i++)
		if (!mine[i])
			return NULL;
	if (!json_equal(got, res ? res : empty))
		return NULL;
	return steal_pointer(&conf);
}

/* ---- cgroupsPath <-> lxc.cgroup.dir.container (+ lxc.cgroup.dir.monitor) ---- */

static void use_all(struct ct_ctx *ctx, const char *key)
{
	size_t i;

	for (i = 0; lxcconf_next(ctx->lxc, key, false, &i); i++)
		ct_use(ctx, i);
}

static int path_to_oci(struct ct_ctx *ctx, struct ct_error **err)
{
	const char *dir = lxcconf_get(ctx->lxc, "lxc.cgroup.dir.container");
	const char *mon = lxcconf_get(ctx->lxc, "lxc.cgroup.dir.monitor");
	cleanup_free char *derived = NULL;

	if (!dir)
		return 0;
	use_all(ctx, "lxc.cgroup.dir.container");
	derived = cg_monitor_for(dir);
	if (!derived)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (mon && strcmp(mon, derived) == 0)
		use_all(ctx, "lxc.cgroup.dir.monitor");
	return ct_json_set(ctx->oci, "/linux/cgroupsPath", ct_json_str(dir), err);
}

static bool path_ok(const char *p)
{
	return cg_line_ok(p) && !strchr(p, ':') && !strstr(p, "..") && p[strlen(p) - 1] != '/';
}

static int path_to_lxc(struct ct_ctx *ctx, json_t *lin, struct ct_error **err)
{
	const char *p = json_string_value(json_object_get(lin, "cgroupsPath"));
	cleanup_free char *mon = NULL;

	if (!p)
		return 0;
	if (!path_ok(p) || *p == '/') {
		int rc = ct_warn_oci(ctx, err, "/linux/cgroupsPath",
				     *p == '/' && path_ok(p + 1)
					     ? "LXC places cgroups relative to the cgroup of the "
					       "process that starts the container; written relative"
					     : "not a path LXC accepts (no '..', no systemd "
					       "slice:prefix:name form): not translated");
		if (rc < 0 || *p != '/' || !path_ok(p + 1))
			return rc;
		p++;
	}
	if (lxcconf_addf(ctx->lxc, err, "lxc.cgroup.dir.container", "%s", p) < 0)
		return -1;
	if (ct_json_get(ctx->oci, "/annotations/" CT_ANNOT_LXC "cgroup.dir.monitor"))
		return 0; /* the annotation family writes the user's own monitor dir */
	mon = cg_monitor_for(p);
	if (!mon)
		return ct_error_set(err, ENOMEM, "out of memory");
	return lxcconf_add(ctx->lxc, "lxc.cgroup.dir.monitor", mon, NULL, 0, err);
}

/* ---- the family ---- */

static int cgroup_to_oci(struct ct_ctx *ctx, struct ct_error **err)
{
	cleanup_free bool *mine = calloc(ctx->lxc->n + 1, sizeof(bool));
	cleanup_json json_t *res = NULL;
	json_t *dst;
	int rc = 0;

	if (!mine)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (build_resources(ctx, ctx->lxc, false, mine, &res, err) < 0)
		return -1;
	for (size_t i = 0; i < ctx->lxc->n; i++)
		if (mine[i])
			ct_use(ctx, i);
	if (json_object_size(res)) {
		/* usually no other family has written resources: res itself becomes them */
		dst = json_object_get(json_object_get(ctx->oci, "linux"), "resources");
		if (!dst)
			rc = ct_json_set(ctx->oci, "/linux/resources", json_incref(res), err);
		else if (json_object_update(dst, res) < 0)
			rc = ct_error_set(err, ENOMEM, "out of memory");
		if (rc < 0)
			return rc;
	}
	if (record_meta(ctx, mine, res, err) < 0)
		return -1;
	return path_to_oci(ctx, err);
}

static int cgroup_to_lxc(struct ct_ctx *ctx, struct ct_error **err)
{
	/* the members asked for, one level at a time rather than by pointer */
	json_t *lin = json_object_get(ctx->oci, "linux");
	json_t *res = json_object_get(lin, "resources");
	const char *meta = json_string_value(
		json_object_get(json_object_get(ctx->oci, "annotations"), META_CGROUP));
	cleanup_lxcconf struct lxc_config *lines = NULL;

	if (meta) {
		lines = meta_lines(ctx, meta, res);
		if (!lines && ct_warn_oci(ctx, err, "/annotations/" META_CGROUP,
					  "no longer matches linux.resources (edited?): ignored, "
					  "the resources are written in cgroup v1 keys") < 0)
			return -1;
	}
	if (lines) {
		for (size_t i = 0; i < lines->n; i++)
			if (lxcconf_add(ctx->lxc, lines->v[i].key, lines->v[i].value, NULL, 0,
					err) < 0)
				return -1;
	} else if (cg_render_resources(res, ctx->lxc, err) < 0) {
		return -1;
	}
	return path_to_lxc(ctx, lin, err);
}

static const struct ct_doc_row doc[] = {
	{ "lxc.cgroup.memory.limit_in_bytes", "linux.resources.memory.limit",
	  "K/M/G/T/P/E suffixes parsed (powers of 1024); -1 = unlimited" },
	{ "lxc.cgroup2.memory.max", "linux.resources.memory.limit", "\"max\" = -1" },
	{ "lxc.cgroup.memory.soft_limit_in_bytes", "linux.resources.memory.reservation", NULL },
	{ "lxc.cgroup2.memory.low", "linux.resources.memory.reservation", NULL },
	{ "lxc.cgroup.memory.memsw.limit_in_bytes", "linux.resources.memory.swap",
	  "v1 swap is memory+swap" },
	{ "lxc.cgroup2.memory.swap.max", "linux.resources.memory.swap",
	  "runc: swap.max = swap - limit, so swap = swap.max + limit when memory.max is set; "
	  "\"max\" = -1; without a limit the value goes to unified" },
	{ "lxc.cgroup.memory.kmem.limit_in_bytes", "linux.resources.memory.kernel", NULL },
	{ "lxc.cgroup.memory.kmem.tcp.limit_in_bytes", "linux.resources.memory.kernelTCP", NULL },
	{ "lxc.cgroup.memory.swappiness", "linux.resources.memory.swappiness", NULL },
	{ "lxc.cgroup.memory.oom_control", "linux.resources.memory.disableOOMKiller",
	  "\"1\" = true; false is not written" },
	{ "lxc.cgroup.cpu.shares", "linux.resources.cpu.shares", NULL },
	{ "lxc.cgroup2.cpu.weight", "linux.resources.cpu.shares",
	  "runc: weight = 1 + ((shares - 2) * 9999) / 262142; the smallest shares giving the "
	  "weight back (shares 2 = weight 1, 262144 = 10000)" },
	{ "lxc.cgroup.cpu.cfs_quota_us", "linux.resources.cpu.quota", NULL },
	{ "lxc.cgroup.cpu.cfs_period_us", "linux.resources.cpu.period", NULL },
	{ "lxc.cgroup2.cpu.max", "linux.resources.cpu.quota, .period",
	  "\"QUOTA PERIOD\", QUOTA \"max\" = -1" },
	{ "lxc.cgroup.cpu.rt_runtime_us", "linux.resources.cpu.realtimeRuntime", NULL },
	{ "lxc.cgroup.cpu.rt_period_us", "linux.resources.cpu.realtimePeriod", NULL },
	{ "lxc.cgroup.cpuset.cpus", "linux.resources.cpu.cpus", "also lxc.cgroup2.cpuset.cpus" },
	{ "lxc.cgroup.cpuset.mems", "linux.resources.cpu.mems", "also lxc.cgroup2.cpuset.mems" },
	{ "lxc.cgroup.pids.max", "linux.resources.pids.limit",
	  "also lxc.cgroup2.pids.max; \"max\" = -1; limit 0 (runc: unset) is not written" },
	{ "lxc.cgroup.blkio.weight", "linux.resources.blockIO.weight", NULL },
	{ "lxc.cgroup2.io.weight", "linux.resources.blockIO.weight",
	  "runc: io.weight = 1 + (weight - 10) * 9999 / 990 (10 = 1, 1000 = 10000); a plain "
	  "number without an exact inverse, or a per-device form, goes to unified" },
	{ "lxc.cgroup.blkio.leaf_weight", "linux.resources.blockIO.leafWeight", NULL },
	{ "lxc.cgroup.blkio.weight_device", "linux.resources.blockIO.weightDevice[]",
	  "\"MAJ:MIN WEIGHT\" per line; entries with leafWeight are not written" },
	{ "lxc.cgroup.blkio.throttle.read_bps_device",
	  "linux.resources.blockIO.throttleReadBpsDevice[]", "\"MAJ:MIN RATE\" per line" },
	{ "lxc.cgroup.blkio.throttle.write_bps_device",
	  "linux.resources.blockIO.throttleWriteBpsDevice[]", "\"MAJ:MIN RATE\" per line" },
	{ "lxc.cgroup.blkio.throttle.read_iops_device",
	  "linux.resources.blockIO.throttleReadIOPSDevice[]", "\"MAJ:MIN RATE\" per line" },
	{ "lxc.cgroup.blkio.throttle.write_iops_device",
	  "linux.resources.blockIO.throttleWriteIOPSDevice[]", "\"MAJ:MIN RATE\" per line" },
	{ "lxc.cgroup.hugetlb.SIZE.limit_in_bytes", "linux.resources.hugepageLimits[]",
	  "also lxc.cgroup2.hugetlb.SIZE.max; pageSize is SIZE as written (\"2MB\")" },
	{ "lxc.cgroup.net_cls.classid", "linux.resources.network.classID", NULL },
	{ "lxc.cgroup.net_prio.ifpriomap", "linux.resources.network.priorities[]",
	  "\"IFNAME PRIO\" per line" },
	{ "lxc.cgroup.devices.allow, .deny", "linux.resources.devices[]",
	  "also lxc.cgroup2.devices.*; in order; \"a\" = {allow, access rwm} without type, '*' "
	  "= absent major/minor. runc denies by default and appends its own allow rules "
	  "(mknod, null, random, full, tty, zero, urandom, pts, ptmx, tun): oci2lxc writes a "
	  "leading \"deny a\" when the list does not start with a rule about every device, then "
	  "the list, then runc's rules, and lxc2oci drops that tail again. No rules at all on "
	  "either side: LXC allows every device, runc only its defaults" },
	{ "lxc.cgroup2.FILE (others)", "linux.resources.unified.FILE",
	  "verbatim; oci2lxc writes every unified member as lxc.cgroup2.*" },
	{ "lxc.cgroup.FILE (others)", "-", "annotation (LXC accepts any controller file)" },
	{ "-", "annotations[org.ctlaunch.meta.cgroup]",
	  "the mapped cgroup lines verbatim (KEY=VALUE, one a line) when they are not what "
	  "oci2lxc would write (cgroup2 keys, suffixes, order); written back while they still "
	  "give the same resources" },
	{ "lxc.cgroup.dir.container", "linux.cgroupsPath",
	  "relative: LXC (and the spec) place it under the starting process's cgroup (measured: "
	  "LXC and runc 1.1 both nest under the caller's cgroup when it is not the root). An "
	  "absolute cgroupsPath is written without its '/' (carry line); the systemd "
	  "slice:prefix:name form is not translated" },
	{ "lxc.cgroup.dir.monitor", "-",
	  "oci2lxc writes DIR/lxc.monitor.NAME beside the container's cgroup (LXC requires "
	  "one with dir.container); any other value is an annotation" },
	{ "lxc.cgroup.dir", "-",
	  "annotation: LXC appends lxc.payload.NAME to it, a name OCI does not know" },
	{ "lxc.cgroup.dir.container.inner", "-", "annotation" },
	{ NULL, NULL, NULL },
};

const struct ct_family ct_family_cgroup = {
	.name = "cgroup",
	.to_oci = cgroup_to_oci,
	.to_lxc = cgroup_to_lxc,
	.doc = doc,
};
