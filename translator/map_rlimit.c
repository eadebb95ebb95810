/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lxc.prlimit.<name> = SOFT[:HARD] <-> process.rlimits [{type, soft, hard}].
 *
 * liblxc reads "unlimited" or a decimal number for each part, blanks around the colon allowed;
 * a single value sets both limits; a repeated name replaces the limits in the position of the
 * first one. OCI limits are uint64 but jansson integers are signed 64-bit: a value above
 * INT64_MAX is held as the json integer with the same 64 bits, so RLIM_INFINITY (2^64-1,
 * "unlimited") is -1 in memory. A config.json that spells 18446744073709551615 and is read with
 * integers as reals gives a real of 2^64, also taken as unlimited. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "families.h"
#include "jsonutil.h"
#include "mapcore.h"
#include "strbuf.h"

#define PRLIMIT_PREFIX "lxc.prlimit."
#define RLIMITS_PTR "/process/rlimits"
#define META_PRLIMIT CT_ANNOT_META "prlimit."
#define UNLIMITED UINT64_MAX

static const struct name_row {
	const char *lxc;
	const char *oci;
} names[] = {
	{ "as", "RLIMIT_AS" },
	{ "core", "RLIMIT_CORE" },
	{ "cpu", "RLIMIT_CPU" },
	{ "data", "RLIMIT_DATA" },
	{ "fsize", "RLIMIT_FSIZE" },
	{ "locks", "RLIMIT_LOCKS" },
	{ "memlock", "RLIMIT_MEMLOCK" },
	{ "msgqueue", "RLIMIT_MSGQUEUE" },
	{ "nice", "RLIMIT_NICE" },
	{ "nofile", "RLIMIT_NOFILE" },
	{ "nproc", "RLIMIT_NPROC" },
	{ "rss", "RLIMIT_RSS" },
	{ "rtprio", "RLIMIT_RTPRIO" },
	{ "rttime", "RLIMIT_RTTIME" },
	{ "sigpending", "RLIMIT_SIGPENDING" },
	{ "stack", "RLIMIT_STACK" },
};

/* The table is sorted on both columns (RLIMIT_X is X upper-cased): looked up by bisection. */
static int cmp_lxc(const void *key, const void *row)
{
	return strcmp(key, ((const struct name_row *)row)->lxc);
}

static int cmp_oci(const void *key, const void *row)
{
	return strcmp(key, ((const struct name_row *)row)->oci);
}

static const char *oci_name(const char *lxc)
{
	const struct name_row *r = bsearch(lxc, names, CT_ARRAY_SIZE(names), sizeof(names[0]),
					   cmp_lxc);

	return r ? r->oci : NULL;
}

static const char *lxc_name(const char *oci)
{
	const struct name_row *r = bsearch(oci, names, CT_ARRAY_SIZE(names), sizeof(names[0]),
					   cmp_oci);

	return r ? r->lxc : NULL;
}

/* One part: "unlimited" or a decimal number; *s moves past it. */
static int parse_part(const char **s, uint64_t *ret)
{
	const char *p = *s;
	char *end;

	while (isspace((unsigned char)*p))
		p++;
	if (strncmp(p, "unlimited", 9) == 0) {
		*ret = UNLIMITED;
		*s = p + 9;
		return 0;
	}
	if (!isdigit((unsigned char)*p) && *p != '+')
		return -EINVAL;
	errno = 0;
	*ret = strtoull(p, &end, 10);
	if (errno)
		return -errno;
	*s = end;
	return 0;
}

/* SOFT[:HARD] as liblxc reads it. */
static int parse_limits(const char *value, uint64_t *ret_soft, uint64_t *ret_hard)
{
	const char *p = value;

	if (parse_part(&p, ret_soft) < 0)
		return -EINVAL;
	while (isspace((unsigned char)*p))
		p++;
	if (!*p) {
		*ret_hard = *ret_soft;
		return 0;
	}
	if (*p++ != ':')
		return -EINVAL;
	while (isspace((unsigned char)*p))
		p++;
	if (!*p) {
		*ret_hard = *ret_soft;
		return 0;
	}
	if (parse_part(&p, ret_hard) < 0)
		return -EINVAL;
	while (isspace((unsigned char)*p))
		p++;
	return *p ? -EINVAL : 0;
}

/* "unlimited" or the decimal number, without printf; buf holds 24 bytes. */
static size_t put_part(char buf[24], uint64_t v)
{
	char tmp[24];
	size_t at = sizeof(tmp), n;

	if (v == UNLIMITED) {
		memcpy(buf, "unlimited", sizeof("unlimited"));
		return sizeof("unlimited") - 1;
	}
	do {
		tmp[--at] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	n = sizeof(tmp) - at;
	memcpy(buf, tmp + at, n);
	buf[n] = '\0';
	return n;
}

/* The spelling liblxc gives back and oci2lxc writes: "N", or "S:H" when they differ. */
static void canonical(char *buf, size_t size, uint64_t soft, uint64_t hard)
{
	char s[24], h[24];
	size_t ns = put_part(s, soft), nh = put_part(h, hard);

	if (size < ns + nh + 2) { /* never: the callers' buffers hold both parts */
		buf[0] = '\0';
		return;
	}
	memcpy(buf, s, ns + 1);
	if (soft != hard) {
		buf[ns] = ':';
		memcpy(buf + ns + 1, h, nh + 1);
	}
}

static json_t *find_type(json_t *arr, const char *type)
{
	size_t i;
	json_t *v;

	json_array_foreach (arr, i, v)
		if (strcmp(json_string_value(json_object_get(v, "type")), type) == 0)
			return v;
	return NULL;
}

/* The meta annotation's key for name (a name of the table: short) in buf. */
static const char *meta_key(char buf[64], const char *name)
{
	size_t pre = sizeof(META_PRLIMIT) - 1, n = strlen(name);

	if (pre + n >= 64)
		return NULL;
	memcpy(buf, META_PRLIMIT, pre);
	memcpy(buf + pre, name, n + 1);
	return buf;
}

/* Sets or removes the spelling of name; annotations left empty by a removal go, as
 * ct_json_del's pruning did. */
static int set_meta(struct ct_ctx *ctx, const char *name, const char *value, bool on,
		    struct ct_error **err)
{
	char buf[64];
	const char *key = meta_key(buf, name);
	json_t *a;

	if (!key)
		return ct_error_set(err, EINVAL, "internal error: limit name %s too long", name);
	if (on) {
		a = ct_json_obj(ctx->oci, "/annotations");
		if (a && ct_json_set_member(a, key, ct_json_str(value)) == 0)
			return 0;
		if (a)
			return ct_error_set(err, ENOMEM, "out of memory");
		/* annotations is not an object: ct_json_set's message */
		return ct_error_set(err, 0,
				    "/annotations/%s: cannot set %s: a parent is not an object",
				    key, key);
	}
	a = json_object_get(ctx->oci, "annotations");
	if (!json_is_object(a))
		return 0;
	json_object_del(a, key);
	if (json_object_size(a) == 0)
		json_object_del(ctx->oci, "annotations");
	return 0;
}

static int add_limit(struct ct_ctx *ctx, const struct lxc_entry *e, json_t **arr_p,
		     struct ct_error **err)
{
	const char *name = e->key + strlen(PRLIMIT_PREFIX);
	const char *type = oci_name(name);
	uint64_t soft, hard;
	char canon[64];
	json_t *arr, *lim;

	if (!type)
		return ct_error_hint(err,
				     ct_error_entry(err, e,
						    "reading a resource limit: "
						    "unknown resource \"%s\"",
						    name),
				     "use one of as, core, cpu, data, fsize, locks, memlock, "
				     "msgqueue, nice, nofile, nproc, rss, rtprio, rttime, "
				     "sigpending, stack");
	if (parse_limits(e->value, &soft, &hard) < 0)
		return ct_error_hint(err,
				     ct_error_entry(err, e,
						    "reading a resource limit: "
						    "cannot parse \"%s\"",
						    e->value),
				     "write SOFT[:HARD], each a number or \"unlimited\"");
	/* walked to for the first limit only */
	if (!*arr_p)
		*arr_p = ct_json_arr(ctx->oci, RLIMITS_PTR);
	arr = *arr_p;
	if (!arr)
		return ct_error_set(err, 0, "%s: cannot add a limit: not an array", RLIMITS_PTR);
	lim = find_type(arr, type);
	if (!lim) {
		lim = ct_json_put(ct_json_put(ct_json_put(json_object(), "type", ct_json_lit(type)),
					      "hard", json_integer((json_int_t)hard)),
				  "soft", json_integer((json_int_t)soft));
		if (!lim || json_array_append_new(arr, lim) < 0)
			return ct_error_set(err, ENOMEM, "out of memory");
	} else if (ct_json_set_member(lim, "hard", json_integer((json_int_t)hard)) < 0 ||
		   ct_json_set_member(lim, "soft", json_integer((json_int_t)soft)) < 0) {
		return ct_error_set(err, ENOMEM, "out of memory");
	}
	canonical(canon, sizeof(canon), soft, hard);
	return set_meta(ctx, name, e->value, strcmp(canon, e->value) != 0, err);
}

static int rlimit_to_oci(struct ct_ctx *ctx, struct ct_error **err)
{
	const struct lxc_entry *e;
	json_t *arr = NULL;
	size_t i;

	for (i = 0; (e = lxcconf_next(ctx->lxc, PRLIMIT_PREFIX, true, &i)); i++) {
		int rc = add_limit(ctx, e, &arr, err);

		if (rc < 0)
			return rc;
		ct_use(ctx, i);
	}
	return 0;
}

/* An OCI limit as uint64 (see the top of the file). */
static int get_limit(json_t *lim, const char *member, uint64_t *ret)
{
	json_t *v = json_object_get(lim, member);

	if (json_is_integer(v)) {
		*ret = (uint64_t)json_integer_value(v);
		return 0;
	}
	if (json_is_real(v) && json_real_value(v) >= 18446744073709551615.0) {
		*ret = UNLIMITED;
		return 0;
	}
	return -EINVAL;
}

static int write_limit(struct ct_ctx *ctx, size_t idx, json_t *lim, const char *name,
		       json_t *annots, struct ct_error **err)
{
	char key[64], mbuf[64];
	const char *meta, *mkey = meta_key(mbuf, name);
	uint64_t soft, hard, msoft, mhard;
	size_t n = strlen(name);
	char canon[64];

	if (get_limit(lim, "soft", &soft) < 0 || get_limit(lim, "hard", &hard) < 0)
		return ct_error_set(err, 0, "%s/%zu: soft and hard must be unsigned integers",
				    RLIMITS_PTR, idx);
	canonical(canon, sizeof(canon), soft, hard);
	if (!mkey || sizeof(PRLIMIT_PREFIX) + n > sizeof(key))
		return ct_error_set(err, EINVAL, "internal error: limit name %s too long", name);
	memcpy(key, PRLIMIT_PREFIX, sizeof(PRLIMIT_PREFIX) - 1);
	memcpy(key + sizeof(PRLIMIT_PREFIX) - 1, name, n + 1);
	/* The original spelling, when it still says the same. */
	meta = json_string_value(json_object_get(annots, mkey));
	if (meta && parse_limits(meta, &msoft, &mhard) == 0 && msoft == soft && mhard == hard)
		return lxcconf_add(ctx->lxc, key, meta, NULL, 0, err);
	return lxcconf_add(ctx->lxc, key, canon, NULL, 0, err);
}

static int rlimit_to_lxc(struct ct_ctx *ctx, struct ct_error **err)
{
	/* json_object_get of a non-object is NULL, as the walk of RLIMITS_PTR was */
	json_t *arr = json_object_get(json_object_get(ctx->oci, "process"), "rlimits"), *lim;
	json_t *annots;
	size_t i;

	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return ct_error_set(err, 0, "%s: expected an array", RLIMITS_PTR);
	annots = json_object_get(ctx->oci, "annotations");
	json_array_foreach (arr, i, lim) {
		const char *type = json_string_value(json_object_get(lim, "type"));
		const char *name = type ? lxc_name(type) : NULL;
		int rc;

		if (!type)
			return ct_error_set(err, 0, "%s/%zu/type: expected a string", RLIMITS_PTR,
					    i);
		for (size_t j = 0; j < i; j++)
			if (strcmp(type, json_string_value(json_object_get(json_array_get(arr, j),
									   "type"))) == 0)
				return ct_error_set(err, 0, "%s/%zu: duplicate limit type %s",
						    RLIMITS_PTR, i, type);
		if (!name) {
			rc = ct_warn_oci(ctx, err, RLIMITS_PTR,
					 "%s has no lxc.prlimit key; it travels as a carry line",
					 type);
		} else {
			rc = write_limit(ctx, i, lim, name, annots, err);
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

static const struct ct_doc_row rlimit_doc[] = {
	{ "lxc.prlimit.NAME", "process.rlimits[type=RLIMIT_NAME]",
	  "SOFT[:HARD] in order, a single value meaning soft = hard; \"unlimited\" is "
	  "2^64-1 (held as -1 by jansson); a repeated name replaces the limit in place as liblxc "
	  "does; a spelling other than the canonical \"N\" or \"S:H\" is kept in "
	  "org.ctlaunch.meta.prlimit.NAME" },
	{ NULL, NULL, NULL },
};

const struct ct_family ct_family_rlimit = {
	.name = "rlimit",
	.to_oci = rlimit_to_oci,
	.to_lxc = rlimit_to_lxc,
	.doc = rlimit_doc,
};
