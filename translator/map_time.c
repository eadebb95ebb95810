/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lxc.time.offset.boot / lxc.time.offset.monotonic <-> linux.timeOffsets.{boottime,monotonic}.
 *
 * liblxc 5.0.2 reads an integer and a unit of at most two characters (blanks allowed between):
 * h, m and s set the seconds part, ms, us and ns the nanoseconds part; each assignment sets one
 * part only, so "1s" then "5ns" means 1 s + 5 ns. liblxc 5.0.2 refuses to load negative values
 * with h, m, ms or us (its overflow check; -3s and -3ns load): lxc2oci maps them with a
 * warning and oci2lxc writes them in s or ns. OCI holds {secs, nanosecs}
 * with nanosecs in [0, 1e9): the sum is normalised, and when the lines oci2lxc would write
 * ("Ns" and/or "Nns") differ from the input, the input lines are kept in
 * org.ctlaunch.meta.time.offset.<clock> (joined with "\n"). The time namespace itself is the
 * namespace family's (map_namespace.c). */
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
#include "map_ns.h"
#include "strbuf.h"

#define NSEC 1000000000LL

static const struct clock {
	const char *key;
	const char *oci;
	const char *meta_ptr;
} clocks[] = {
	{ "lxc.time.offset.boot", "/linux/timeOffsets/boottime",
	  "/annotations/" CT_ANNOT_META "time.offset.boot" },
	{ "lxc.time.offset.monotonic", "/linux/timeOffsets/monotonic",
	  "/annotations/" CT_ANNOT_META "time.offset.monotonic" },
};

static const struct unit {
	const char *name;
	int64_t mul;
	bool nsec; /* sets the nanoseconds part */
} units[] = {
	{ "h", 3600, false },	 { "m", 60, false },   { "s", 1, false },
	{ "ms", 1000000, true }, { "us", 1000, true }, { "ns", 1, true },
};

struct offset {
	int64_t s, ns; /* liblxc's two parts */
};

/* One value into off; -EINVAL (bad form), -ERANGE (overflow). *ret_rejected (optional) is set
 * for a negative value with a scaled unit, which 5.0.2 rejects (the value is still set). */
static int parse_value(const char *value, struct offset *off, bool *ret_rejected)
{
	char unit[3];
	const char *p = value;
	char *end;
	size_t len;
	int64_t n, v;

	while (isspace((unsigned char)*p))
		p++;
	errno = 0;
	n = strtoll(p, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	if (end == p)
		return -EINVAL;
	len = strlen(end);
	if (len >= sizeof(unit))
		return -EINVAL;
	memcpy(unit, end, len + 1);
	/* liblxc trims blanks around the unit */
	while (len && isspace((unsigned char)unit[len - 1]))
		unit[--len] = '\0';
	p = unit;
	while (isspace((unsigned char)*p))
		p++;
	for (size_t i = 0; i < CT_ARRAY_SIZE(units); i++) {
		if (strcmp(units[i].name, p) != 0)
			continue;
		if (ret_rejected)
			*ret_rejected = units[i].mul != 1 && n < 0;
		if (__builtin_mul_overflow(n, units[i].mul, &v))
			return -ERANGE;
		if (units[i].nsec)
			off->ns = v;
		else
			off->s = v;
		return 0;
	}
	return -EINVAL;
}

/* {secs, nanosecs} with 0 <= nanosecs < 1e9; -ERANGE when secs overflows. */
static int normalise(const struct offset *off, int64_t *ret_secs, int64_t *ret_nsecs)
{
	int64_t q = off->ns / NSEC, r = off->ns % NSEC;

	if (r < 0) {
		r += NSEC;
		q--;
	}
	if (__builtin_add_overflow(off->s, q, ret_secs))
		return -ERANGE;
	*ret_nsecs = r;
	return 0;
}

/* The lines oci2lxc writes for {secs, nanosecs}, joined with "\n". */
static char *canonical(int64_t secs, int64_t nsecs)
{
	struct strbuf sb = STRBUF_INIT;

	if (secs || !nsecs)
		strbuf_printf(&sb, "%" PRId64 "s", secs);
	if (nsecs)
		strbuf_printf(&sb, "%s%" PRId64 "ns", sb.len ? "\n" : "", nsecs);
	return strbuf_steal(&sb);
}

static int clock_to_oci(struct ct_ctx *ctx, const struct clock *c, struct ct_error **err)
{
	struct strbuf orig = STRBUF_INIT;
	cleanup_free char *canon = NULL, *spelled = NULL;
	const struct lxc_entry *e, *last = NULL;
	struct offset off = { 0, 0 };
	int64_t secs, nsecs;
	size_t i;
	int rc;

	for (i = 0; (e = lxcconf_next(ctx->lxc, c->key, false, &i)); i++) {
		bool rejected = false;

		rc = parse_value(e->value, &off, &rejected);
		if (rc == 0 && rejected)
			rc = ct_warn_entry(
				ctx, err, e,
				"liblxc 5.0.2 refuses to load the negative "
				"value \"%s\" (its overflow check); oci2lxc writes it in s or "
				"ns",
				e->value);
		else if (rc < 0)
			rc = ct_error_hint(
				err,
				ct_error_entry(err, e,
					       "reading a time offset: "
					       "cannot parse \"%s\"%s",
					       e->value, rc == -ERANGE ? " (overflow)" : ""),
				"write an integer and one of h, m, s, ms, us, ns, e.g. 5s");
		if (rc < 0) {
			strbuf_release(&orig);
			return rc;
		}
		strbuf_printf(&orig, "%s%s", orig.len ? "\n" : "", e->value);
		last = e;
		ct_use(ctx, i);
	}
	spelled = strbuf_steal(&orig);
	if (!last)
		return 0;
	if (!spelled)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (normalise(&off, &secs, &nsecs) < 0)
		return ct_error_entry(err, last, "reading a time offset: the sum overflows");
	rc = ct_json_set(
		ctx->oci, c->oci,
		ct_json_put(ct_json_put(json_object(), "secs", json_integer((json_int_t)secs)),
			    "nanosecs", json_integer((json_int_t)nsecs)),
		err);
	if (rc < 0)
		return rc;
	canon = canonical(secs, nsecs);
	if (!canon)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (strcmp(canon, spelled) != 0)
		return ct_json_set(ctx->oci, c->meta_ptr, ct_json_str(spelled), err);
	return 0;
}

static int time_to_oci(struct ct_ctx *ctx, struct ct_error **err)
{
	for (size_t i = 0; i < CT_ARRAY_SIZE(clocks); i++) {
		int rc = clock_to_oci(ctx, &clocks[i], err);

		if (rc < 0)
			return rc;
	}
	return 0;
}

/* The recorded lines, when they still give secs/nsecs. */
static bool meta_matches(const char *meta, int64_t secs, int64_t nsecs)
{
	cleanup_free char *copy = meta ? strdup(meta) : NULL;
	struct offset off = { 0, 0 };
	int64_t s, ns;
	char *save = NULL;

	if (!copy || !*copy)
		return false;
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		bool rejected = false;

		/* a spelling liblxc 5.0.2 refuses is not worth keeping */
		if (!*l || parse_value(l, &off, &rejected) < 0 || rejected)
			return false;
	}
	return normalise(&off, &s, &ns) == 0 && s == secs && ns == nsecs;
}

static int write_lines(struct ct_ctx *ctx, const char *key, const char *lines,
		       struct ct_error **err)
{
	cleanup_free char *copy = strdup(lines);
	char *save = NULL;

	if (!copy)
		return ct_error_set(err, ENOMEM, "out of memory");
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		int rc = lxcconf_add(ctx->lxc, key, l, NULL, 0, err);

		if (rc < 0)
			return rc;
	}
	return 0;
}

static int clock_to_lxc(struct ct_ctx *ctx, const struct clock *c, struct ct_error **err)
{
	json_t *o = ct_json_get(ctx->oci, c->oci);
	json_t *js, *jn;
	const char *meta;
	cleanup_free char *canon = NULL;
	int64_t secs, nsecs;

	if (!o)
		return 0;
	js = json_object_get(o, "secs");
	jn = json_object_get(o, "nanosecs");
	if (!json_is_object(o) || (js && !json_is_integer(js)) || (jn && !json_is_integer(jn)))
		return ct_error_set(err, 0, "%s: expected {secs, nanosecs} integers", c->oci);
	secs = js ? json_integer_value(js) : 0;
	nsecs = jn ? json_integer_value(jn) : 0;
	if (nsecs < 0 || nsecs >= NSEC)
		return ct_error_set(err, 0, "%s/nanosecs: %" PRId64 " is not in [0, 999999999]",
				    c->oci, (int64_t)nsecs);
	meta = json_string_value(ct_json_get(ctx->oci, c->meta_ptr));
	if (meta_matches(meta, secs, nsecs))
		return write_lines(ctx, c->key, meta, err);
	canon = canonical(secs, nsecs);
	if (!canon)
		return ct_error_set(err, ENOMEM, "out of memory");
	return write_lines(ctx, c->key, canon, err);
}

static int time_to_lxc(struct ct_ctx *ctx, struct ct_error **err)
{
	json_t *t = ct_json_get(ctx->oci, "/linux/timeOffsets");
	const char *name;
	json_t *v;

	if (!t)
		return 0;
	if (!json_is_object(t))
		return ct_error_set(err, 0, "/linux/timeOffsets: expected an object");
	json_object_foreach (t, name, v) {
		if (strcmp(name, "boottime") != 0 && strcmp(name, "monotonic") != 0) {
			int rc = ct_warn_oci(ctx, err, "/linux/timeOffsets",
					     "clock \"%s\" has no LXC key; it travels as a carry "
					     "line",
					     name);
			if (rc < 0)
				return rc;
		}
	}
	for (size_t i = 0; i < CT_ARRAY_SIZE(clocks); i++) {
		int rc = clock_to_lxc(ctx, &clocks[i], err);

		if (rc < 0)
			return rc;
	}
	return 0;
}

bool map_time_wants_timens(const struct lxc_config *conf)
{
	for (size_t c = 0; c < CT_ARRAY_SIZE(clocks); c++) {
		struct offset off = { 0, 0 };
		const struct lxc_entry *e;
		size_t i;

		for (i = 0; (e = lxcconf_next(conf, clocks[c].key, false, &i)); i++)
			(void)parse_value(e->value, &off, NULL);
		if (off.s || off.ns)
			return true;
	}
	return false;
}

bool map_time_wants_timens_oci(json_t *oci)
{
	/* linux.timeOffsets is looked up once; each clock's pointer ends in its member name */
	static const char prefix[] = "/linux/timeOffsets/";
	json_t *offsets = json_object_get(json_object_get(oci, "linux"), "timeOffsets");

	if (!offsets)
		return false;
	for (size_t c = 0; c < CT_ARRAY_SIZE(clocks); c++) {
		json_t *o = json_object_get(offsets, clocks[c].oci + sizeof(prefix) - 1);

		if (json_integer_value(json_object_get(o, "secs")) ||
		    json_integer_value(json_object_get(o, "nanosecs")))
			return true;
	}
	return false;
}

static const struct ct_doc_row time_doc[] = {
	{ "lxc.time.offset.boot", "linux.timeOffsets.boottime",
	  "N{h,m,s} sets secs, N{ms,us,ns} sets nanosecs (each line one part, as liblxc); "
	  "normalised to 0 <= nanosecs < 1e9; oci2lxc writes \"Ns\" and/or \"Nns\", another "
	  "spelling is kept in org.ctlaunch.meta.time.offset.boot" },
	{ "lxc.time.offset.monotonic", "linux.timeOffsets.monotonic",
	  "as lxc.time.offset.boot (meta: org.ctlaunch.meta.time.offset.monotonic); a non-zero "
	  "offset makes liblxc clone the time namespace" },
	{ NULL, NULL, NULL },
};

const struct ct_family ct_family_time = {
	.name = "time",
	.to_oci = time_to_oci,
	.to_lxc = time_to_lxc,
	.doc = time_doc,
};
