/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lxc.idmap = u|g CONTAINER HOST COUNT <-> linux.uidMappings / linux.gidMappings.
 *
 * LXC has one list mixing u and g lines, OCI two arrays; each keeps its order. oci2lxc writes
 * the lines in pairs u0, g0, u1, g1, ... then the rest of the longer array; when the input's
 * u/g sequence differs from that, lxc2oci records it (e.g. "uugg") in
 * org.ctlaunch.meta.idmap-order. The user namespace an idmap asks for is the namespace
 * family's (map_namespace.c). */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "families.h"
#include "jsonutil.h"

#define IDMAP_KEY "lxc.idmap"
#define UID_PTR "/linux/uidMappings"
#define GID_PTR "/linux/gidMappings"
#define META_ORDER_PTR "/annotations/" CT_ANNOT_META "idmap-order"
#define BLANKS " \t\r"
#define MAX_IDMAPS 4096 /* far above the kernel's 340 lines */

/* A decimal id or count, at most 2^32 - 1. */
static int parse_u32(const char *s, uint32_t *ret)
{
	uint64_t v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return -EINVAL;
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > UINT32_MAX)
			return -ERANGE;
	}
	*ret = (uint32_t)v;
	return 0;
}

/* A character of BLANKS (not NUL). */
static inline bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static int parse_idmap(const struct lxc_entry *e, char *ret_type, uint32_t ret_v[3],
		       struct ct_error **err)
{
	static const char *const what[] = { "container id", "host id", "count" };
	size_t len = strlen(e->value), n = 0;
	char buf[128], *f[5];
	cleanup_free char *heap = len < sizeof(buf) ? NULL : strdup(e->value);
	char *copy = heap ? heap : buf;

	if (len >= sizeof(buf) && !heap)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (!heap)
		memcpy(buf, e->value, len + 1);
	/* the fields strtok_r gave (runs of non-blanks, at most five), split in place by hand:
	 * every idmap line of every translation comes here */
	for (char *p = copy; n < 5;) {
		while (is_blank(*p))
			p++;
		if (!*p)
			break;
		f[n++] = p;
		while (*p && !is_blank(*p))
			p++;
		if (*p)
			*p++ = '\0';
	}
	if (n != 4)
		return ct_error_hint(
			err,
			ct_error_entry(err, e,
				       "reading an id map: expected 4 "
				       "fields, got %s%zu",
				       n == 5 ? "more than " : "", n == 5 ? (size_t)4 : n),
			"write \"u|g CONTAINER_ID HOST_ID COUNT\", e.g. u 0 100000 65536");
	if (strcmp(f[0], "u") != 0 && strcmp(f[0], "g") != 0)
		return ct_error_entry(err, e, "reading an id map: type \"%s\" is neither u nor g",
				      f[0]);
	*ret_type = f[0][0];
	for (int i = 0; i < 3; i++) {
		int rc = parse_u32(f[i + 1], &ret_v[i]);

		if (rc < 0)
			return ct_error_entry(err, e, "reading an id map: %s \"%s\" is not %s",
					      what[i], f[i + 1],
					      rc == -ERANGE ? "below 2^32" : "a decimal number");
	}
	if (ret_v[2] == 0)
		return ct_error_entry(err, e, "reading an id map: the count is 0");
	if ((uint64_t)ret_v[0] + ret_v[2] > (uint64_t)UINT32_MAX + 1 ||
	    (uint64_t)ret_v[1] + ret_v[2] > (uint64_t)UINT32_MAX + 1)
		return ct_error_entry(err, e, "reading an id map: the range goes past 2^32");
	return 0;
}

/* The u/g sequence oci2lxc writes for nu uid and ng gid maps, into buf (nu + ng + 1 bytes). */
static void default_order(char *buf, size_t nu, size_t ng)
{
	size_t n = 0;

	for (size_t i = 0; i < nu || i < ng; i++) {
		if (i < nu)
			buf[n++] = 'u';
		if (i < ng)
			buf[n++] = 'g';
	}
	buf[n] = '\0';
}

static int idmap_to_oci(struct ct_ctx *ctx, struct ct_error **err)
{
	char order[MAX_IDMAPS + 1], want[MAX_IDMAPS + 1];
	const struct lxc_entry *e;
	size_t i, n = 0, nu = 0;
	json_t *uids = NULL, *gids = NULL; /* found (or made) once, not per map */

	for (i = 0; (e = lxcconf_next(ctx->lxc, IDMAP_KEY, false, &i)); i++) {
		uint32_t v[3];
		char type = 0;
		json_t *arr, *m;
		int rc = parse_idmap(e, &type, v, err);

		if (rc < 0)
			return rc;
		if (n == MAX_IDMAPS)
			return ct_error_entry(err, e, "reading an id map: more than %d maps",
					      MAX_IDMAPS);
		if (type == 'u')
			arr = uids ? uids : (uids = ct_json_arr(ctx->oci, UID_PTR));
		else
			arr = gids ? gids : (gids = ct_json_arr(ctx->oci, GID_PTR));
		m = ct_json_put(ct_json_put(ct_json_put(json_object(), "containerID",
							json_integer((json_int_t)v[0])),
					    "hostID", json_integer((json_int_t)v[1])),
				"size", json_integer((json_int_t)v[2]));
		if (!arr || !m || json_array_append_new(arr, m) < 0)
			return ct_error_set(err, ENOMEM, "cannot add an id map");
		order[n++] = type;
		nu += type == 'u';
		ct_use(ctx, i);
	}
	order[n] = '\0';
	default_order(want, nu, n - nu);
	if (strcmp(order, want) != 0)
		return ct_json_set(ctx->oci, META_ORDER_PTR, ct_json_str(order), err);
	return 0;
}

static int map_line(json_t *arr, const char *ptr, size_t idx, char type, struct lxc_config *conf,
		    struct ct_error **err)
{
	json_t *m = json_array_get(arr, idx);
	json_t *c = json_object_get(m, "containerID"), *h = json_object_get(m, "hostID"),
	       *s = json_object_get(m, "size");

	if (!json_is_integer(c) || !json_is_integer(h) || !json_is_integer(s) ||
	    json_integer_value(c) < 0 || json_integer_value(c) > UINT32_MAX ||
	    json_integer_value(h) < 0 || json_integer_value(h) > UINT32_MAX ||
	    json_integer_value(s) < 1 || json_integer_value(s) > UINT32_MAX)
		return ct_error_set(err, 0,
				    "%s/%zu: expected containerID, hostID and size as "
				    "32-bit unsigned integers, size at least 1",
				    ptr, idx);
	return lxcconf_addf(
		conf, err, IDMAP_KEY,
		"%c %" JSON_INTEGER_FORMAT " %" JSON_INTEGER_FORMAT " %" JSON_INTEGER_FORMAT, type,
		json_integer_value(c), json_integer_value(h), json_integer_value(s));
}

static int check_array(json_t *arr, const char *ptr, struct ct_error **err)
{
	if (arr && !json_is_array(arr))
		return ct_error_set(err, 0, "%s: expected an array", ptr);
	if (json_array_size(arr) > MAX_IDMAPS)
		return ct_error_set(err, 0, "%s: more than %d maps", ptr, MAX_IDMAPS);
	return 0;
}

static int idmap_to_lxc(struct ct_ctx *ctx, struct ct_error **err)
{
	json_t *uids = ct_json_get(ctx->oci, UID_PTR), *gids = ct_json_get(ctx->oci, GID_PTR);
	const char *meta = json_string_value(ct_json_get(ctx->oci, META_ORDER_PTR));
	char order[2 * MAX_IDMAPS + 1];
	size_t nu, ng, iu = 0, ig = 0;
	int rc;

	if (check_array(uids, UID_PTR, err) < 0 || check_array(gids, GID_PTR, err) < 0)
		return -1;
	nu = json_array_size(uids);
	ng = json_array_size(gids);
	default_order(order, nu, ng);
	if (meta) {
		size_t mu = 0;

		for (const char *p = meta; *p; p++)
			mu += *p == 'u';
		if (strlen(meta) == nu + ng && strspn(meta, "ug") == nu + ng && mu == nu)
			memcpy(order, meta, nu + ng + 1);
		else if ((rc = ct_warn_oci(ctx, err, META_ORDER_PTR,
					   "\"%s\" does not match the "
					   "maps; writing them in the default order",
					   meta)) < 0)
			return rc;
	}
	for (const char *p = order; *p; p++) {
		if (*p == 'u')
			rc = map_line(uids, UID_PTR, iu++, 'u', ctx->lxc, err);
		else
			rc = map_line(gids, GID_PTR, ig++, 'g', ctx->lxc, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static const struct ct_doc_row idmap_doc[] = {
	{ "lxc.idmap", "linux.uidMappings, linux.gidMappings",
	  "\"u|g CONTAINER HOST COUNT\" -> {containerID, hostID, size}, each array in order; "
	  "oci2lxc writes u0 g0 u1 g1 ... then the rest, another u/g sequence is kept in "
	  "org.ctlaunch.meta.idmap-order; a map makes liblxc clone the user namespace "
	  "(linux.namespaces[type=user])" },
	{ NULL, NULL, NULL },
};

const struct ct_family ct_family_idmap = {
	.name = "idmap",
	.to_oci = idmap_to_oci,
	.to_lxc = idmap_to_lxc,
	.doc = idmap_doc,
};
