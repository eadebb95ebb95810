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
#include "strbuf.h"

#define PRLIMIT_PREFIX "lxc.prlimit."
#define RLIMITS_PTR "/process/rlimits"
#define META_PRLIMIT CT_ANNOT_META "prlimit."
#define UNLIMITED UINT64_MAX

static const struct {
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

static const char *oci_name(const char *lxc)
{
	for (size_t i = 0; i < CT_ARRAY_SIZE(names); i++)
		if (strcmp(names[i].lxc, lxc) == 0)
			return names[i].oci;
	return NULL;
}

static const char *lxc_name(const char *oci)
{
	for (size_t i = 0; i < CT_ARRAY_SIZE(names); i++)
		if (strcmp(names[i].oci, oci) == 0)
			return names[i].lxc;
	return NULL;
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

static int set_meta(struct ct_ctx *ctx, const char *name, const char *value, bool on,
		    struct ct_error **err)
{
	cleanup_free char *ptr = NULL;

	ptr = ct_concat("/annotations/" META_PRLIMIT, name, (char *)NULL);
	if (!ptr)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (!on) {
		ct_json_del(ctx->oci, ptr, 1);
		return 0;
	}
	return ct_json_set(ctx->oci, ptr, ct_json_str(value), err);
}

static int add_limit(struct ct_ctx *ctx, const struct lxc_entry *e, struct ct_error **err)
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
	arr = ct_json_arr(ctx->oci, RLIMITS_PTR);
	if (!arr)
		return ct_error_set(err, 0, "%s: cannot add a limit: not an array", RLIMITS_PTR);
	lim = find_type(arr, type);
	if (!lim) {
		lim = ct_json_put(ct_json_put(ct_json_put(json_object(), "type", ct_json_str(type)),
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
	size_t i;

	for (i = 0; (e = lxcconf_next(ctx->lxc, PRLIMIT_PREFIX, true, &i)); i++) {
		int rc = add_limit(ctx, e, err);

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
		       struct ct_error **err)
{
	cleanup_free char *key = NULL, *mptr = NULL;
	const char *meta;
	uint64_t soft, hard, msoft, mhard;
	char canon[64];

	if (get_limit(lim, "soft", &soft) < 0 || get_limit(lim, "hard", &hard) < 0)
		return ct_error_set(err, 0, "%s/%zu: soft and hard must be unsigned integers",
				    RLIMITS_PTR, idx);
	canonical(canon, sizeof(canon), soft, hard);
	key = ct_concat(PRLIMIT_PREFIX, name, (char *)NULL);
	mptr = ct_concat("/annotations/" META_PRLIMIT, name, (char *)NULL);
	if (!key || !mptr)
		return ct_error_set(err, ENOMEM, "out of memory");
	/* The original spelling, when it still says the same. */
	meta = json_string_value(ct_json_get(ctx->oci, mptr));
	if (meta && parse_limits(meta, &msoft, &mhard) == 0 && msoft == soft && mhard == hard)
		return lxcconf_add(ctx->lxc, key, meta, NULL, 0, err);
	return lxcconf_add(ctx->lxc, key, canon, NULL, 0, err);
}

static int rlimit_to_lxc(struct ct_ctx *ctx, struct ct_error **err)
{
	json_t *arr = ct_json_get(ctx->oci, RLIMITS_PTR), *lim;
	size_t i;

	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return ct_error_set(err, 0, "%s: expected an array", RLIMITS_PTR);
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
			rc = write_limit(ctx, i, lim, name, err);
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
