/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Cgroup value parsing, runc's v1 <-> v2 formulas and device rules. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup_conv.h"
#include "cleanup.h"

/* In runc 1.1's order: mknod of anything, then null, random, full, tty, zero, urandom, the pts
 * slaves, ptmx and tun. */
const char *const cg_runc_default_devices[] = {
	"c *:* m",   "b *:* m",	  "c 1:3 rwm",	 "c 1:8 rwm", "c 1:7 rwm",    "c 5:0 rwm",
	"c 1:5 rwm", "c 1:9 rwm", "c 136:* rwm", "c 5:2 rwm", "c 10:200 rwm",
};
const unsigned cg_runc_default_devices_n = sizeof(cg_runc_default_devices) /
					   sizeof(cg_runc_default_devices[0]);

/* The same rules in their parts, so that a config's tail is compared with them without parsing
 * them again on every translation (a unit test parses the text and compares). */
const struct cg_rule cg_runc_default_rules[] = {
	{ .allow = true, .type = 'c', .major = -1, .minor = -1, .access = "m" },
	{ .allow = true, .type = 'b', .major = -1, .minor = -1, .access = "m" },
	{ .allow = true, .type = 'c', .major = 1, .minor = 3, .access = "rwm" },
	{ .allow = true, .type = 'c', .major = 1, .minor = 8, .access = "rwm" },
	{ .allow = true, .type = 'c', .major = 1, .minor = 7, .access = "rwm" },
	{ .allow = true, .type = 'c', .major = 5, .minor = 0, .access = "rwm" },
	{ .allow = true, .type = 'c', .major = 1, .minor = 5, .access = "rwm" },
	{ .allow = true, .type = 'c', .major = 1, .minor = 9, .access = "rwm" },
	{ .allow = true, .type = 'c', .major = 136, .minor = -1, .access = "rwm" },
	{ .allow = true, .type = 'c', .major = 5, .minor = 2, .access = "rwm" },
	{ .allow = true, .type = 'c', .major = 10, .minor = 200, .access = "rwm" },
};
_Static_assert(sizeof(cg_runc_default_rules) / sizeof(cg_runc_default_rules[0]) ==
		       sizeof(cg_runc_default_devices) / sizeof(cg_runc_default_devices[0]),
	       "one parsed rule per runc default rule");

static int parse_ull(const char *s, unsigned long long *ret, char **ret_end)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*ret = strtoull(s, &end, 0);
	if (errno)
		return -1;
	*ret_end = end;
	return 0;
}

int cg_parse_size(const char *s, bool allow_max, int64_t *ret)
{
	static const char suffixes[] = "kmgtpe";
	unsigned long long v;
	const char *p;
	char *end;

	if (strcmp(s, "-1") == 0 || (allow_max && strcmp(s, "max") == 0)) {
		*ret = -1;
		return 0;
	}
	if (parse_ull(s, &v, &end) < 0)
		return -1;
	if (*end && (p = strchr(suffixes, tolower((unsigned char)*end)))) {
		unsigned shift = 10 * (unsigned)(p - suffixes + 1);

		if (v > (unsigned long long)INT64_MAX >> shift)
			return -1;
		v <<= shift;
		end++;
	}
	if (*end || v > INT64_MAX)
		return -1;
	*ret = (int64_t)v;
	return 0;
}

int cg_parse_u64(const char *s, uint64_t *ret)
{
	unsigned long long v;
	char *end;

	if (parse_ull(s, &v, &end) < 0 || *end)
		return -1;
	*ret = v;
	return 0;
}

int cg_parse_i64(const char *s, int64_t *ret)
{
	unsigned long long v;
	bool neg = *s == '-';
	char *end;

	if (parse_ull(s + neg, &v, &end) < 0 || *end)
		return -1;
	if (v > (unsigned long long)INT64_MAX + neg)
		return -1;
	*ret = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}

uint64_t cg_shares_to_weight(uint64_t shares)
{
	if (shares == 0)
		return 0;
	if (shares < 2)
		shares = 2;
	return 1 + ((shares - 2) * 9999) / 262142;
}

bool cg_weight_to_shares(uint64_t weight, uint64_t *ret_shares)
{
	uint64_t s;

	if (weight < 1 || weight > 10000)
		return false;
	s = 2 + ((weight - 1) * 262142 + 9998) / 9999;
	if (cg_shares_to_weight(s) != weight)
		return false;
	*ret_shares = s;
	return true;
}

uint64_t cg_blkio_to_io_weight(uint64_t weight)
{
	if (weight == 0)
		return 0;
	if (weight < 10)
		weight = 10;
	return 1 + (weight - 10) * 9999 / 990;
}

bool cg_io_weight_to_blkio(uint64_t io_weight, uint64_t *ret_weight)
{
	uint64_t w;

	if (io_weight < 1 || io_weight > 10000)
		return false;
	w = 10 + ((io_weight - 1) * 990 + 9998) / 9999;
	if (w > 1000 || cg_blkio_to_io_weight(w) != io_weight)
		return false;
	*ret_weight = w;
	return true;
}

/* A major or minor number of at most 9 digits, or '*' (-1), ending at a byte of stops (a string
 * of one or two bytes; NUL always ends). Returns the end, or NULL when the field is not that. The
 * rule parser runs for every rule line: one pass, no strtol or ctype calls. */
static const char *scan_devnum(const char *p, const char *stops, long long *ret)
{
	long long v = 0;
	size_t n = 0;

	if (*p == '*' && (p[1] == stops[0] || p[1] == stops[1])) {
		*ret = -1;
		return p + 1;
	}
	for (; *p >= '0' && *p <= '9'; p++, n++)
		v = v * 10 + (*p - '0');
	if (!n || n > 9 || (*p != stops[0] && *p != stops[1]))
		return NULL;
	*ret = v;
	return p;
}

/* ACCESS: one to three of r, w and m. */
static bool access_ok(const char *p)
{
	size_t n = 0;

	for (; p[n]; n++)
		if (n == 3 || (p[n] != 'r' && p[n] != 'w' && p[n] != 'm'))
			return false;
	return n > 0;
}

int cg_rule_parse(const char *s, bool allow, struct cg_rule *r, const char **ret_why)
{
	const char *p;

	*r = (struct cg_rule){ .allow = allow, .major = -1, .minor = -1 };
	if (s[0] == 'a' && !s[1]) {
		memcpy(r->access, "rwm", 4);
		return 0;
	}
	*ret_why = "expected \"a\" or \"TYPE MAJOR:MINOR [ACCESS]\" with TYPE a, b or c";
	if ((*s != 'a' && *s != 'b' && *s != 'c') || s[1] != ' ' || !strchr(s + 2, ':'))
		return -1;
	r->type = *s;
	p = scan_devnum(s + 2, "::", &r->major);
	if (!p) {
		*ret_why = "the major number must be a number or '*'";
		return -1;
	}
	p = scan_devnum(p + 1, " ", &r->minor); /* " " is ' ' then NUL */
	if (!p) {
		*ret_why = "the minor number must be a number or '*'";
		return -1;
	}
	if (*p) {
		if (!access_ok(p + 1)) {
			*ret_why = "the access must be made of r, w and m";
			return -1;
		}
		memcpy(r->access, p + 1, strlen(p + 1) + 1);
	}
	return 0;
}

/* Members in the order runc writes them: allow, type, major, minor, access. */
json_t *cg_rule_json(const struct cg_rule *r)
{
	json_t *rule = json_object(); /* not json_pack: this runs for every device rule */
	char type[2] = { r->type, 0 };

	if (!rule || json_object_set_new_nocheck(rule, "allow", json_boolean(r->allow)) < 0 ||
	    (r->type && json_object_set_new_nocheck(rule, "type", json_string_nocheck(type)) < 0) ||
	    (r->major >= 0 &&
	     json_object_set_new_nocheck(rule, "major", json_integer(r->major)) < 0) ||
	    (r->minor >= 0 &&
	     json_object_set_new_nocheck(rule, "minor", json_integer(r->minor)) < 0) ||
	    (r->access[0] &&
	     json_object_set_new_nocheck(rule, "access", json_string_nocheck(r->access)) < 0)) {
		json_decref(rule);
		return NULL;
	}
	return rule;
}

bool cg_rule_equal(const struct cg_rule *a, const struct cg_rule *b)
{
	return a->allow == b->allow && a->type == b->type && a->major == b->major &&
	       a->minor == b->minor && strcmp(a->access, b->access) == 0;
}

int cg_device_rule_parse(const char *s, bool allow, json_t **ret, const char **ret_why)
{
	struct cg_rule r;

	if (cg_rule_parse(s, allow, &r, ret_why) < 0)
		return -1;
	*ret = cg_rule_json(&r);
	if (!*ret) {
		*ret_why = "out of memory";
		return -1;
	}
	return 0;
}

/* The members of a device cgroup object the rule text is made of, found in one pass over the
 * object instead of one lookup each (this runs for every rule, in both directions). */
enum { M_ALLOW, M_TYPE, M_MAJOR, M_MINOR, M_ACCESS, M_N };
static const char *const member_names[M_N] = { "allow", "type", "major", "minor", "access" };

static void rule_members(const json_t *rule, json_t *ret[static M_N])
{
	const char *k;
	json_t *v;

	memset(ret, 0, M_N * sizeof(*ret));
	/* jansson's iterator wants a non-const object; it only reads it */
	json_object_foreach ((json_t *)rule, k, v) {
		for (size_t i = 0; i < M_N; i++) {
			if (k[0] == member_names[i][0] && strcmp(k, member_names[i]) == 0) {
				ret[i] = v;
				break;
			}
		}
	}
}

static bool is_all(json_t *const m[static M_N])
{
	if (m[M_MAJOR] || m[M_MINOR])
		return false;
	return !m[M_TYPE] ||
	       (json_is_string(m[M_TYPE]) && strcmp(json_string_value(m[M_TYPE]), "a") == 0);
}

bool cg_device_rule_is_all(const json_t *rule)
{
	json_t *m[M_N];

	rule_members(rule, m);
	return is_all(m);
}

static bool devnum_ok(json_t *v)
{
	return !v || (json_is_integer(v) && json_integer_value(v) >= 0 &&
		      json_integer_value(v) <= 999999999);
}

/* A major or minor number (devnum_ok) in decimal, or '*' when absent; returns the end. */
static char *put_devnum(char *p, json_t *v)
{
	char digits[10];
	size_t n = 0;
	json_int_t x;

	if (!v) {
		*p++ = '*';
		return p;
	}
	x = json_integer_value(v);
	do
		digits[n++] = (char)('0' + x % 10);
	while (x /= 10);
	while (n)
		*p++ = digits[--n];
	return p;
}

bool cg_device_rule_text(const json_t *rule, bool *ret_allow, char buf[static CG_RULE_TEXT_MAX])
{
	json_t *m[M_N];
	const char *t, *acc;
	char *p = buf;

	rule_members(rule, m);
	t = m[M_TYPE] ? json_string_value(m[M_TYPE]) : "a";
	acc = m[M_ACCESS] ? json_string_value(m[M_ACCESS]) : NULL;
	if (!json_is_boolean(m[M_ALLOW]) || !t || strlen(t) != 1 || !strchr("abc", *t) ||
	    !devnum_ok(m[M_MAJOR]) || !devnum_ok(m[M_MINOR]) || (m[M_ACCESS] && !acc))
		return false;
	if (acc && (!*acc || strlen(acc) > 3 || strspn(acc, "rwm") != strlen(acc)))
		return false;
	*ret_allow = json_is_true(m[M_ALLOW]);
	if (!m[M_TYPE] && !m[M_MAJOR] && !m[M_MINOR] && acc && strcmp(acc, "rwm") == 0) {
		memcpy(buf, "a", 2);
		return true;
	}
	/* at most "c 999999999:999999999 rwm" */
	*p++ = *t;
	*p++ = ' ';
	p = put_devnum(p, m[M_MAJOR]);
	*p++ = ':';
	p = put_devnum(p, m[M_MINOR]);
	if (acc) {
		*p++ = ' ';
		memcpy(p, acc, strlen(acc));
		p += strlen(acc);
	}
	*p = '\0';
	return true;
}

char *cg_device_rule_format(const json_t *rule, bool *ret_allow)
{
	char buf[CG_RULE_TEXT_MAX];

	if (!cg_device_rule_text(rule, ret_allow, buf))
		return NULL;
	return strdup(buf);
}

/* ---- comparing LXC spellings ---- */

struct line {
	const char *key, *value;
	size_t idx;
	size_t glen; /* the group: the first glen bytes of key (at most GROUP_MAX) */
};

#define GROUP_MAX 159

/* Device rules of one hierarchy compare as one sequence: allow/deny interleaving matters. */
static void line_init(struct line *l, const struct lxc_entry *e, size_t idx)
{
	const char *dev = strstr(e->key, ".devices.");
	size_t glen = dev ? (size_t)(dev - e->key) + strlen(".devices.") : strlen(e->key);

	l->key = e->key;
	l->value = e->value;
	l->idx = idx;
	l->glen = glen < GROUP_MAX ? glen : GROUP_MAX;
}

/* By group (as strcmp of the group strings), then by position. */
static int cmp_line(const void *a, const void *b)
{
	const struct line *x = a, *y = b;
	int c = memcmp(x->key, y->key, x->glen < y->glen ? x->glen : y->glen);

	if (c)
		return c;
	if (x->glen != y->glen)
		return x->glen < y->glen ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

bool cg_same_lines(const struct lxc_config *in, const bool *mine, const struct lxc_config *canon)
{
	cleanup_free struct line *a = malloc((in->n + 1) * sizeof(*a)); /* na used */
	cleanup_free struct line *b = malloc((canon->n + 1) * sizeof(*b));
	size_t na = 0;

	if (!a || !b)
		return false;
	for (size_t i = 0; i < in->n; i++)
		if (mine[i])
			line_init(&a[na++], &in->v[i], i);
	if (na != canon->n)
		return false;
	for (size_t i = 0; i < canon->n; i++)
		line_init(&b[i], &canon->v[i], i);
	qsort(a, na, sizeof(*a), cmp_line);
	qsort(b, na, sizeof(*b), cmp_line);
	for (size_t i = 0; i < na; i++)
		if (strcmp(a[i].key, b[i].key) || strcmp(a[i].value, b[i].value))
			return false;
	return true;
}

char *cg_monitor_for(const char *dir)
{
	const char *slash = strrchr(dir, '/');
	char *out = NULL;

	if (slash) {
		if (asprintf(&out, "%.*s/lxc.monitor.%s", (int)(slash - dir), dir, slash + 1) < 0)
			return NULL;
	} else if (asprintf(&out, "lxc.monitor.%s", dir) < 0) {
		return NULL;
	}
	return out;
}
