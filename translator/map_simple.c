/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One-to-one keys: each row of one table is an LXC key, an OCI field and a value kind, and
 * drives both directions and the documentation. Scalar keys: the last assignment wins, as in
 * liblxc, and every assignment is checked. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "families.h"
#include "jsonutil.h"
#include "map_simple.h"
#include "mapcore.h"

#define UINT32_MAXLL 4294967295LL

/* lxc, pointer, doc name, kind, default, min, max, note */
#define SIMPLE_ROWS(X)                                                                             \
	X("lxc.uts.name", "/hostname", "hostname", MAP_SIMPLE_STRING, NULL, 0, 64,                 \
	  "at most 64 bytes (liblxc and the kernel refuse longer names)")                          \
	X("lxc.init.cwd", "/process/cwd", "process.cwd", MAP_SIMPLE_PATH, "/", 0,                  \
	  MAPCORE_PATH_MAX - 1, "absolute path; \"/\" is the default and is not written back")     \
	X("lxc.init.uid", "/process/user/uid", "process.user.uid", MAP_SIMPLE_UINT32, "0", 0,      \
	  UINT32_MAXLL, "0 is the default and is not written back")                                \
	X("lxc.init.gid", "/process/user/gid", "process.user.gid", MAP_SIMPLE_UINT32, "0", 0,      \
	  UINT32_MAXLL, "0 is the default and is not written back")                                \
	X("lxc.proc.oom_score_adj", "/process/oomScoreAdj", "process.oomScoreAdj", MAP_SIMPLE_INT, \
	  NULL, -1000, 1000, "integer in [-1000, 1000]")                                           \
	X("lxc.no_new_privs", "/process/noNewPrivileges", "process.noNewPrivileges",               \
	  MAP_SIMPLE_BOOL01, NULL, 0, 1,                                                           \
	  "1 <-> true, 0 <-> false; without the key the field is absent (both mean off)")          \
	X("lxc.apparmor.profile", "/process/apparmorProfile", "process.apparmorProfile",           \
	  MAP_SIMPLE_STRING, NULL, 0, MAPCORE_PATH_MAX - 1,                                        \
	  "LXC's \"generated\" and \"unchanged\" have no OCI meaning (warning)")                   \
	X("lxc.selinux.context", "/process/selinuxLabel", "process.selinuxLabel",                  \
	  MAP_SIMPLE_STRING, NULL, 0, MAPCORE_PATH_MAX - 1, NULL)

#define AS_ROW(l, p, o, k, d, mn, mx, n) { l, p, o, k, d, mn, mx, n },
#define AS_DOC(l, p, o, k, d, mn, mx, n) { l, o, n },

static const struct map_simple_row rows[] = { SIMPLE_ROWS(AS_ROW) };

static const struct ct_doc_row doc[] = {
	SIMPLE_ROWS(AS_DOC){ NULL, NULL, NULL },
};

/* Values liblxc gives a meaning an OCI runtime does not know. */
static const struct {
	const char *lxc;
	const char *value;
	const char *why;
} lxc_only_values[] = {
	{ "lxc.apparmor.profile", "generated",
	  "LXC generates this profile at start; an OCI runtime looks for a profile named "
	  "\"generated\": name a loaded profile instead" },
	{ "lxc.apparmor.profile", "unchanged",
	  "LXC keeps the caller's profile; an OCI runtime looks for a profile named "
	  "\"unchanged\": drop the key or name a loaded profile" },
};

const struct map_simple_row *map_simple_table(size_t *ret_n)
{
	*ret_n = CT_ARRAY_SIZE(rows);
	return rows;
}

/* Checks common to both directions: NULL when the value is fine, else why it is not. */
static const char *check_text(const struct map_simple_row *r, const char *v, char *buf, size_t size)
{
	if (strchr(v, '\n'))
		return "contains a newline";
	if (strlen(v) > (size_t)r->max) {
		snprintf(buf, size, "longer than %lld bytes", r->max);
		return buf;
	}
	if (r->kind == MAP_SIMPLE_PATH && v[0] != '/')
		return "not an absolute path";
	return NULL;
}

/* LXC value -> JSON value, or NULL with *why set. */
static json_t *lxc_value_to_json(const struct map_simple_row *r, const char *v, char *buf,
				 size_t size, const char **why)
{
	long long n;
	json_t *j;
	int rc;

	switch (r->kind) {
	case MAP_SIMPLE_STRING:
	case MAP_SIMPLE_PATH:
		*why = check_text(r, v, buf, size);
		if (*why)
			return NULL;
		j = ct_json_str(v);
		if (!j)
			*why = "not valid UTF-8";
		return j;
	case MAP_SIMPLE_INT:
	case MAP_SIMPLE_UINT32:
	case MAP_SIMPLE_BOOL01:
		rc = mapcore_parse_ll(v, r->min, r->max, &n);
		if (rc < 0) {
			snprintf(buf, size, "%s: expected %s in [%lld, %lld]",
				 rc == -ERANGE ? "out of range" : "not a whole number",
				 r->kind == MAP_SIMPLE_BOOL01 ? "0 or 1" : "an integer", r->min,
				 r->max);
			*why = buf;
			return NULL;
		}
		return r->kind == MAP_SIMPLE_BOOL01 ? json_boolean(n) : json_integer(n);
	}
	*why = "internal error: unknown kind";
	return NULL;
}

static int warn_lxc_only(struct ct_ctx *ctx, const struct lxc_entry *e, struct ct_error **err)
{
	for (size_t i = 0; i < CT_ARRAY_SIZE(lxc_only_values); i++)
		if (strcmp(lxc_only_values[i].lxc, e->key) == 0 &&
		    strcmp(lxc_only_values[i].value, e->value) == 0)
			return ct_warn_entry(ctx, err, e, "%s", lxc_only_values[i].why);
	return 0;
}

static int row_to_oci(struct ct_ctx *ctx, const struct map_simple_row *r,
		      struct mapcore_cursor *cur, struct ct_error **err)
{
	cleanup_json json_t *val = NULL;
	const struct lxc_entry *e, *last = NULL;

	for (size_t i = 0; (e = lxcconf_next(ctx->lxc, r->lxc, false, &i)); i++) {
		const char *why = NULL;
		char buf[160];

		json_decref(val);
		val = lxc_value_to_json(r, e->value, buf, sizeof(buf), &why);
		if (!val) {
			int rc = ct_error_entry(err, e, "invalid value \"%s\": %s", e->value,
						why ? why : "out of memory");

			if (r->kind == MAP_SIMPLE_PATH && e->value[0] != '/')
				ct_error_hint(err, rc, "write it as an absolute path, e.g. /%s",
					      e->value);
			return rc;
		}
		ct_use(ctx, i);
		last = e;
	}
	if (!last)
		return 0;
	if (warn_lxc_only(ctx, last, err) < 0)
		return -1;
	return mapcore_set(cur, ctx->oci, r->pointer, steal_pointer(&val), err);
}

static int simple_to_oci(struct ct_ctx *ctx, struct ct_error **err)
{
	/* the rows of one parent follow each other: it is walked to once */
	struct mapcore_cursor cur = { .create = true };

	for (size_t i = 0; i < CT_ARRAY_SIZE(rows); i++) {
		int rc = row_to_oci(ctx, &rows[i], &cur, err);

		if (rc < 0)
			return rc;
	}
	return 0;
}

/* JSON value -> LXC value in buf. Returns 1 when there is a value to write, 0 when it must be
 * left to the carry lines (after a warning), < 0 on error. */
/* "%lld" without printf: false when buf (size bytes) is too small. */
static bool put_decimal(char *buf, size_t size, long long n)
{
	char tmp[24];
	size_t at = sizeof(tmp), len;
	unsigned long long u = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;

	do {
		tmp[--at] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (n < 0)
		tmp[--at] = '-';
	len = sizeof(tmp) - at;
	if (len >= size)
		return false;
	memcpy(buf, tmp + at, len);
	buf[len] = '\0';
	return true;
}

static int json_to_lxc_value(struct ct_ctx *ctx, const struct map_simple_row *r, json_t *v,
			     char *buf, size_t size, struct ct_error **err)
{
	const char *s, *why;
	char why_buf[64];
	long long n;

	switch (r->kind) {
	case MAP_SIMPLE_STRING:
	case MAP_SIMPLE_PATH:
		s = json_string_value(v);
		if (!s)
			return ct_error_set(err, 0, "%s: expected a string", r->pointer);
		if (!*s)
			return ct_warn_oci(ctx, err, r->pointer,
					   "an empty value clears %s in LXC; kept as a #oci: line",
					   r->lxc);
		why = check_text(r, s, why_buf, sizeof(why_buf));
		if (why && strcmp(why, "contains a newline") == 0)
			return ct_warn_oci(
				ctx, err, r->pointer,
				"%s: an LXC config line cannot hold it; kept as a #oci: line", why);
		if (why)
			return ct_error_set(err, 0, "%s: invalid value for %s: %s", r->pointer,
					    r->lxc, why);
		if (strlen(s) >= size)
			return ct_error_set(err, 0, "%s: value too long", r->pointer);
		memcpy(buf, s, strlen(s) + 1); /* a copy: printf's format parsing costs more */
		return 1;
	case MAP_SIMPLE_INT:
	case MAP_SIMPLE_UINT32:
		if (!mapcore_json_int(v, r->min, r->max, &n))
			return ct_error_set(err, 0, "%s: expected an integer in [%lld, %lld]",
					    r->pointer, r->min, r->max);
		if (!put_decimal(buf, size, n))
			return ct_error_set(err, 0, "%s: value too long", r->pointer);
		return 1;
	case MAP_SIMPLE_BOOL01:
		if (!json_is_boolean(v))
			return ct_error_set(err, 0, "%s: expected true or false", r->pointer);
		if (size < 2)
			return ct_error_set(err, 0, "%s: value too long", r->pointer);
		buf[0] = json_is_true(v) ? '1' : '0';
		buf[1] = '\0';
		return 1;
	}
	return ct_error_set(err, EINVAL, "internal error: unknown kind for %s", r->lxc);
}

static int simple_to_lxc(struct ct_ctx *ctx, struct ct_error **err)
{
	/* the rows of one parent follow each other: it is walked to once */
	struct mapcore_cursor cur = { .create = false };

	for (size_t i = 0; i < CT_ARRAY_SIZE(rows); i++) {
		const struct map_simple_row *r = &rows[i];
		json_t *v = mapcore_get(&cur, ctx->oci, r->pointer);
		char buf[MAPCORE_PATH_MAX + 1];
		int rc;

		if (!v)
			continue;
		rc = json_to_lxc_value(ctx, r, v, buf, sizeof(buf), err);
		if (rc < 0)
			return rc;
		if (rc == 0 || (r->dflt && strcmp(buf, r->dflt) == 0))
			continue;
		rc = lxcconf_add(ctx->lxc, r->lxc, buf, NULL, 0, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

const struct ct_family ct_family_simple = {
	.name = "simple",
	.to_oci = simple_to_oci,
	.to_lxc = simple_to_lxc,
	.doc = doc,
};
