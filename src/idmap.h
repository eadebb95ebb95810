/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* User namespace id maps (lxc.idmap): parsing, pass-through splits, consistency checks and
 * /etc/subuid coverage. Pure arithmetic: nothing here touches the file system. */
#ifndef CTL_IDMAP_H
#define CTL_IDMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "strbuf.h"

/* The kernel refuses to map id 2^32-1 ((uid_t)-1): every range ends at or before it. */
#define IDMAP_ID_LIMIT 4294967295ULL
/* Ranges the kernel accepts per map (since Linux 4.15). */
#define IDMAP_MAX_EXTENTS 340
/* Pass-through ids accepted on one command line. */
#define IDMAP_MAX_IDS 64

struct idmap_range {
	char kind;     /* 'u' or 'g' */
	uint64_t ns;   /* first id inside the container */
	uint64_t host; /* first id on the host */
	uint64_t count;
};

struct idmap {
	struct idmap_range *v;
	size_t n, cap;
};

void idmap_release(struct idmap *m);
static inline void idmap_releasep(struct idmap *m)
{
	idmap_release(m);
}
#define cleanup_idmap __attribute__((cleanup(idmap_releasep)))

/* "u 0 100000 65536" (an lxc.idmap value). */
int idmap_parse_entry(const char *value, struct idmap_range *ret, struct ct_error **err);
/* "NS:HOST:COUNT" (a base range given on the command line); ret->kind is set to kind. */
int idmap_parse_base(const char *spec, char kind, struct idmap_range *ret, struct ct_error **err);
/* A comma-separated list of ids ("1000,1001"), appended to ids (at most IDMAP_MAX_IDS). */
int idmap_parse_ids(const char *list, uint64_t *ids, size_t *n, struct ct_error **err);

/* Append a range (checked for a valid kind, a positive size and the id limit). */
int idmap_add(struct idmap *m, const struct idmap_range *r, struct ct_error **err);

/* Make container id `id` of kind map to host id `id`: the range holding it is split in up to
 * three, or a one-id range is added when no range holds it. Fails when the host id is already
 * the image of another container id. *ret_changed tells whether the map changed. */
int idmap_passthrough(struct idmap *m, char kind, uint64_t id, bool *ret_changed,
		      struct ct_error **err);
/* base split so that each of ids passes through; the result is appended to m, sorted and with
 * contiguous ranges merged. */
int idmap_split(struct idmap *m, const struct idmap_range *base, const uint64_t *ids, size_t n,
		struct ct_error **err);
/* Sort by kind (u first) and container id; merge ranges contiguous on both sides. */
void idmap_normalize(struct idmap *m);

/* Container id -> host id; false when unmapped. */
bool idmap_to_host(const struct idmap *m, char kind, uint64_t id, uint64_t *ret);
/* Host id -> container id; false when no container id maps to it. */
bool idmap_to_ns(const struct idmap *m, char kind, uint64_t host, uint64_t *ret);
/* Number of ranges of kind. */
size_t idmap_count(const struct idmap *m, char kind);

/* Everything the kernel and liblxc require of a map, first problem reported: sizes positive,
 * ranges below the id limit, no overlap on the container side nor on the host side, at most
 * IDMAP_MAX_EXTENTS ranges of a kind, container root mapped for each kind used, and container
 * root not mapped to host root unless allow_host_root. */
int idmap_check(const struct idmap *m, bool allow_host_root, struct ct_error **err);

/* Parse /etc/subuid-style text ("owner:start:count" lines) and append, as ranges of kind with
 * ns = host = start, the entries whose owner is user or the decimal uid. Malformed lines are
 * errors located at name:LINE. */
int idmap_subid_parse(const char *buf, const char *name, const char *user, uint64_t uid, char kind,
		      struct idmap *ret, struct ct_error **err);
/* Whether host ids [host, host+count) are covered by the union of the allowed ranges (as
 * newuidmap checks), or the range is the caller's own id alone (own_id, count 1). */
bool idmap_subid_allows(const struct idmap *allowed, uint64_t own_id, uint64_t host,
			uint64_t count);

/* "lxc.idmap = u 0 100000 65536\n" per range, in map order. */
void idmap_format(const struct idmap *m, struct strbuf *out);

#endif
