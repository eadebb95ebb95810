/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* User namespace id maps: the arithmetic behind `ctlaunch idmap` and `ctlaunch share`. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "idmap.h"

void idmap_release(struct idmap *m)
{
	free(m->v);
	m->v = NULL;
	m->n = m->cap = 0;
}

static const char *kind_name(char kind)
{
	return kind == 'u' ? "uid" : "gid";
}

/* A decimal id below or equal to max; the whole of [s, end) must be digits. */
static int parse_num(const char *s, size_t len, uint64_t max, uint64_t *ret)
{
	uint64_t v = 0;

	if (len == 0 || len > 20)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (v > (max - (uint64_t)(s[i] - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*ret = v;
	return 0;
}

static int range_valid(const struct idmap_range *r, struct ct_error **err)
{
	if (r->kind != 'u' && r->kind != 'g')
		return ct_error_set(err, 0, "id map: kind must be 'u' or 'g', got '%c'", r->kind);
	if (r->count == 0)
		return ct_error_set(err, 0, "id map: %c %llu %llu 0: the size must be positive",
				    r->kind, (unsigned long long)r->ns,
				    (unsigned long long)r->host);
	if (r->ns > IDMAP_ID_LIMIT - r->count || r->host > IDMAP_ID_LIMIT - r->count)
		return ct_error_set(
			err, 0,
			"id map: %c %llu %llu %llu: ends past id %llu, which the kernel "
			"cannot map",
			r->kind, (unsigned long long)r->ns, (unsigned long long)r->host,
			(unsigned long long)r->count, IDMAP_ID_LIMIT - 1);
	return 0;
}

int idmap_parse_entry(const char *value, struct idmap_range *ret, struct ct_error **err)
{
	const char *p = value;
	uint64_t f[3];

	p += strspn(p, " \t");
	if ((*p != 'u' && *p != 'g') || (p[1] != ' ' && p[1] != '\t'))
		return ct_error_set(err, 0, "parsing the id map \"%s\": expected u or g first",
				    value);
	ret->kind = *p++;
	for (int i = 0; i < 3; i++) {
		size_t len;

		p += strspn(p, " \t");
		len = strcspn(p, " \t");
		if (parse_num(p, len, IDMAP_ID_LIMIT, &f[i]) < 0)
			return ct_error_set(err, 0,
					    "parsing the id map \"%s\": field %d is not an id up "
					    "to %llu",
					    value, i + 2, IDMAP_ID_LIMIT);
		p += len;
	}
	p += strspn(p, " \t");
	if (*p)
		return ct_error_set(err, 0, "parsing the id map \"%s\": expected 4 fields", value);
	ret->ns = f[0];
	ret->host = f[1];
	ret->count = f[2];
	return ct_error_prefix(err, range_valid(ret, err), "parsing \"%s\"", value);
}

int idmap_parse_base(const char *spec, char kind, struct idmap_range *ret, struct ct_error **err)
{
	const char *p = spec;
	uint64_t f[3];

	for (int i = 0; i < 3; i++) {
		size_t len = strcspn(p, ":");

		if (parse_num(p, len, IDMAP_ID_LIMIT, &f[i]) < 0 || (i < 2 && p[len] != ':') ||
		    (i == 2 && p[len] != '\0'))
			return ct_error_hint(err,
					     ct_error_set(err, 0,
							  "parsing the base range \"%s\": expected "
							  "CONTAINER:HOST:COUNT",
							  spec),
					     "e.g. --base 0:100000:65536");
		p += len + 1;
	}
	ret->kind = kind;
	ret->ns = f[0];
	ret->host = f[1];
	ret->count = f[2];
	return ct_error_prefix(err, range_valid(ret, err), "base range");
}

int idmap_parse_ids(const char *list, uint64_t *ids, size_t *n, struct ct_error **err)
{
	const char *p = list;

	for (;;) {
		size_t len = strcspn(p, ",");

		if (*n >= IDMAP_MAX_IDS)
			return ct_error_set(err, 0, "parsing the ids \"%s\": more than %d ids",
					    list, IDMAP_MAX_IDS);
		if (parse_num(p, len, IDMAP_ID_LIMIT - 1, &ids[*n]) < 0)
			return ct_error_set(err, 0,
					    "parsing the ids \"%s\": expected decimal ids below "
					    "%llu separated by commas",
					    list, IDMAP_ID_LIMIT);
		(*n)++;
		if (p[len] == '\0')
			return 0;
		p += len + 1;
	}
}

int idmap_add(struct idmap *m, const struct idmap_range *r, struct ct_error **err)
{
	if (range_valid(r, err) < 0)
		return -1;
	if (m->n >= 4 * IDMAP_MAX_EXTENTS)
		return ct_error_set(err, 0, "id map: more than %d ranges", 4 * IDMAP_MAX_EXTENTS);
	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 8;
		struct idmap_range *v = realloc(m->v, cap * sizeof(*v));

		if (!v)
			return ct_error_set(err, ENOMEM, "out of memory");
		m->v = v;
		m->cap = cap;
	}
	m->v[m->n++] = *r;
	return 0;
}

static bool holds(uint64_t first, uint64_t count, uint64_t id)
{
	return id >= first && id - first < count;
}

static bool overlap(uint64_t a, uint64_t na, uint64_t b, uint64_t nb)
{
	return a < b + nb && b < a + na;
}

bool idmap_to_host(const struct idmap *m, char kind, uint64_t id, uint64_t *ret)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->v[i].kind == kind && holds(m->v[i].ns, m->v[i].count, id)) {
			*ret = m->v[i].host + (id - m->v[i].ns);
			return true;
		}
	return false;
}

bool idmap_to_ns(const struct idmap *m, char kind, uint64_t host, uint64_t *ret)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->v[i].kind == kind && holds(m->v[i].host, m->v[i].count, host)) {
			*ret = m->v[i].ns + (host - m->v[i].host);
			return true;
		}
	return false;
}

size_t idmap_count(const struct idmap *m, char kind)
{
	size_t n = 0;

	for (size_t i = 0; i < m->n; i++)
		n += m->v[i].kind == kind;
	return n;
}

int idmap_passthrough(struct idmap *m, char kind, uint64_t id, bool *ret_changed,
		      struct ct_error **err)
{
	struct idmap_range one = { kind, id, id, 1 };
	uint64_t other;
	size_t i;

	*ret_changed = false;
	if (id >= IDMAP_ID_LIMIT)
		return ct_error_set(err, 0, "passing %s %llu through: ids stop at %llu",
				    kind_name(kind), (unsigned long long)id, IDMAP_ID_LIMIT - 1);
	if (idmap_to_host(m, kind, id, &other) && other == id)
		return 0;
	if (idmap_to_ns(m, kind, id, &other))
		return ct_error_hint(
			err,
			ct_error_set(err, 0,
				     "passing %s %llu through: host %s %llu is already "
				     "the image of container %s %llu",
				     kind_name(kind), (unsigned long long)id, kind_name(kind),
				     (unsigned long long)id, kind_name(kind),
				     (unsigned long long)other),
			"choose a base range whose host side does not hold %llu",
			(unsigned long long)id);
	for (i = 0; i < m->n; i++)
		if (m->v[i].kind == kind && holds(m->v[i].ns, m->v[i].count, id))
			break;
	if (i < m->n) {
		struct idmap_range r = m->v[i];
		struct idmap_range before = { kind, r.ns, r.host, id - r.ns };
		struct idmap_range after = { kind, id + 1, r.host + (id + 1 - r.ns),
					     r.count - (id - r.ns) - 1 };

		/* The range shrinks to the part before id (or to id itself when it starts at it). */
		m->v[i] = before.count ? before : one;
		if (before.count && idmap_add(m, &one, err) < 0)
			return -1;
		if (after.count && idmap_add(m, &after, err) < 0)
			return -1;
	} else if (idmap_add(m, &one, err) < 0) {
		return -1;
	}
	*ret_changed = true;
	return 0;
}

static int cmp_range(const void *a, const void *b)
{
	const struct idmap_range *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind == 'u' ? -1 : 1;
	return x->ns < y->ns ? -1 : x->ns > y->ns;
}

void idmap_normalize(struct idmap *m)
{
	size_t out = 0;

	if (m->n == 0)
		return;
	qsort(m->v, m->n, sizeof(*m->v), cmp_range);
	for (size_t i = 1; i < m->n; i++) {
		struct idmap_range *last = &m->v[out];
		const struct idmap_range *r = &m->v[i];

		if (r->kind == last->kind && r->ns == last->ns + last->count &&
		    r->host == last->host + last->count)
			last->count += r->count;
		else
			m->v[++out] = *r;
	}
	m->n = out + 1;
}

int idmap_split(struct idmap *m, const struct idmap_range *base, const uint64_t *ids, size_t n,
		struct ct_error **err)
{
	cleanup_idmap struct idmap part = { 0 };

	if (idmap_add(&part, base, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		bool changed;

		if (idmap_passthrough(&part, base->kind, ids[i], &changed, err) < 0)
			return -1;
	}
	idmap_normalize(&part);
	for (size_t i = 0; i < part.n; i++)
		if (idmap_add(m, &part.v[i], err) < 0)
			return -1;
	return 0;
}

static int check_kind(const struct idmap *m, char kind, bool allow_host_root, struct ct_error **err)
{
	const char *k = kind_name(kind);
	size_t n = idmap_count(m, kind);
	uint64_t root;

	if (n == 0)
		return 0;
	if (n > IDMAP_MAX_EXTENTS)
		return ct_error_set(err, 0, "id map: %zu %s ranges, the kernel accepts %d", n, k,
				    IDMAP_MAX_EXTENTS);
	for (size_t i = 0; i < m->n; i++) {
		const struct idmap_range *a = &m->v[i];

		if (a->kind != kind)
			continue;
		for (size_t j = i + 1; j < m->n; j++) {
			const struct idmap_range *b = &m->v[j];

			if (b->kind != kind)
				continue;
			if (overlap(a->ns, a->count, b->ns, b->count))
				return ct_error_set(
					err, 0,
					"id map: container %ss overlap: %c %llu %llu "
					"%llu and %c %llu %llu %llu",
					k, kind, (unsigned long long)a->ns,
					(unsigned long long)a->host, (unsigned long long)a->count,
					kind, (unsigned long long)b->ns,
					(unsigned long long)b->host, (unsigned long long)b->count);
			if (overlap(a->host, a->count, b->host, b->count))
				return ct_error_set(
					err, 0,
					"id map: host %ss overlap: %c %llu %llu %llu "
					"and %c %llu %llu %llu",
					k, kind, (unsigned long long)a->ns,
					(unsigned long long)a->host, (unsigned long long)a->count,
					kind, (unsigned long long)b->ns,
					(unsigned long long)b->host, (unsigned long long)b->count);
		}
	}
	if (!idmap_to_host(m, kind, 0, &root))
		return ct_error_hint(
			err, ct_error_set(err, 0, "id map: container root (%s 0) is not mapped", k),
			"add a range starting at container %s 0", k);
	if (root == 0 && !allow_host_root)
		return ct_error_hint(
			err,
			ct_error_set(err, 0,
				     "id map: container root is host root (%c 0 0 ...): "
				     "the user namespace isolates nothing for root",
				     kind),
			"map container root to an unused range, e.g. --base "
			"0:100000:65536, or pass --allow-host-root");
	return 0;
}

int idmap_check(const struct idmap *m, bool allow_host_root, struct ct_error **err)
{
	for (size_t i = 0; i < m->n; i++)
		if (range_valid(&m->v[i], err) < 0)
			return -1;
	if (check_kind(m, 'u', allow_host_root, err) < 0 ||
	    check_kind(m, 'g', allow_host_root, err) < 0)
		return -1;
	if (m->n && (!idmap_count(m, 'u') || !idmap_count(m, 'g')))
		return ct_error_hint(err,
				     ct_error_set(err, 0, "id map: %s ranges but no %s ranges",
						  idmap_count(m, 'u') ? "uid" : "gid",
						  idmap_count(m, 'u') ? "gid" : "uid"),
				     "liblxc needs both: add the matching 'g' (or 'u') lines");
	return 0;
}

static int parse_subid_line(const char *line, size_t len, const char *user, uint64_t uid, char kind,
			    struct idmap *ret, bool *ret_bad, struct ct_error **err)
{
	const char *c1 = memchr(line, ':', len), *c2;
	uint64_t start, count, owner_uid;
	struct idmap_range r;
	size_t olen;

	*ret_bad = true;
	if (!c1)
		return 0;
	c2 = memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - line));
	if (!c2)
		return 0;
	olen = (size_t)(c1 - line);
	if (parse_num(c1 + 1, (size_t)(c2 - c1 - 1), IDMAP_ID_LIMIT, &start) < 0 ||
	    parse_num(c2 + 1, len - (size_t)(c2 + 1 - line), IDMAP_ID_LIMIT, &count) < 0)
		return 0;
	*ret_bad = false;
	if (!((user && strlen(user) == olen && strncmp(line, user, olen) == 0) ||
	      (parse_num(line, olen, IDMAP_ID_LIMIT, &owner_uid) == 0 && owner_uid == uid)))
		return 0;
	if (count == 0 || start > IDMAP_ID_LIMIT - count)
		return 0; /* newuidmap ignores such entries too */
	r = (struct idmap_range){ kind, start, start, count };
	return idmap_add(ret, &r, err);
}

int idmap_subid_parse(const char *buf, const char *name, const char *user, uint64_t uid, char kind,
		      struct idmap *ret, struct ct_error **err)
{
	unsigned lineno = 0;

	for (const char *p = buf; *p;) {
		size_t len = strcspn(p, "\n");
		bool bad;

		lineno++;
		if (len && p[0] != '#') {
			if (parse_subid_line(p, len, user, uid, kind, ret, &bad, err) < 0)
				return -1;
			if (bad)
				return ct_error_at(err, name, lineno, 0,
						   "expected OWNER:START:COUNT, got \"%.*s\"",
						   (int)(len > 80 ? 80 : len), p);
		}
		p += len;
		if (*p == '\n')
			p++;
	}
	return 0;
}

bool idmap_subid_allows(const struct idmap *allowed, uint64_t own_id, uint64_t host, uint64_t count)
{
	uint64_t end = host + count;

	if (count == 1 && host == own_id)
		return true;
	/* Advance host through the ranges that hold it until the whole span is covered. */
	while (host < end) {
		uint64_t next = host;

		for (size_t i = 0; i < allowed->n; i++) {
			const struct idmap_range *r = &allowed->v[i];

			if (holds(r->host, r->count, host) && r->host + r->count > next)
				next = r->host + r->count;
		}
		if (next == host)
			return false;
		host = next;
	}
	return true;
}

void idmap_format(const struct idmap *m, struct strbuf *out)
{
	for (size_t i = 0; i < m->n; i++)
		strbuf_printf(out, "lxc.idmap = %c %llu %llu %llu\n", m->v[i].kind,
			      (unsigned long long)m->v[i].ns, (unsigned long long)m->v[i].host,
			      (unsigned long long)m->v[i].count);
}
