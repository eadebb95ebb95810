/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Private to the LXC configuration reader (lxcconf_parse.c, lxcconf_resolve.c). */
#ifndef CT_LXCCONF_INTERNAL_H
#define CT_LXCCONF_INTERNAL_H

#include <stdint.h>
#include <sys/types.h>

#include "diag.h"
#include "error.h"
#include "fileio.h"
#include "lxcconf.h"
#include "lxckeys.h"

/* What the reading pass knows of a recorded assignment. */
struct lxcconf_rec {
	const struct lxckey *row; /* the row of its key */
	int net;		  /* lxckey_net_index() of its key */
};

/* The reader's state (lxcconf_parse.c). */
struct lxcconf_link {
	dev_t dev;
	ino_t ino;
	bool known; /* dev/ino are valid (false for an in-memory buffer) */
	const char *name;
};

struct lxcconf_parser {
	const struct lxcconf_opts *opts;
	struct lxc_config *conf;
	/* The files being read, outermost first. */
	struct lxcconf_link chain[LXCCONF_MAX_INCLUDE_DEPTH + 1];
	unsigned depth;
	unsigned nfiles;
	size_t nbytes;
	int net_max;   /* highest lxc.net index seen, -1 */
	int net_cur;   /* interface of unindexed lxc.network.* keys, -1 before the first type */
	char *backend; /* legacy lxc.rootfs.backend */
	struct lxcconf_rec *recs; /* of each recorded assignment (conf->v) */
	size_t nrecs, caprecs;
	/* The first ones: no request of 1 KiB or more, which makes glibc consolidate its fast
	 * bins. */
	struct lxcconf_rec small_recs[128];
};

/* A position in the input. */
struct lxcconf_where {
	const char *file;
	unsigned line;
};

/* A located error about the input, with a hint (may be NULL). */
int lxcconf_err_at(struct ct_error **err, const struct lxcconf_where *w, const char *hint,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Parse f, the contents of path, which lxc.include names (hit: served by the file cache). */
int lxcconf_parse_included(struct lxcconf_parser *p, struct ct_file *f, bool hit, const char *path,
			   struct ct_error **err);
/* lxcconf_resolve.c: lxc.include = value, at w. */
int lxcconf_include(struct lxcconf_parser *p, const char *value, const struct lxcconf_where *w,
		    struct ct_error **err);

/*
 * The reading pass records every assignment in order, empty values and clear-only keys
 * included (recs[i]: of conf->v[i]); this keeps only the entries liblxc would end up with, and
 * warns (through diag) about settings lost to an interface reset.
 */
int lxcconf_resolve(struct lxc_config *conf, const struct lxcconf_rec *recs, struct ct_diag *diag,
		    struct ct_error **err);

/* The hash lxcconf.c indexes keys by. */
uint32_t lxcconf_key_hash(const char *key);
/* While reading: entries are added without updating the key index (lxcconf_get/next must
 * not be used) until lxcconf_build_index. */
void lxcconf_defer_index(struct lxc_config *conf);
int lxcconf_build_index(struct lxc_config *conf); /* -ENOMEM */
/* Keep a reference to f (once) until conf is freed: entries may point into its split lines. */
int lxcconf_hold(struct lxc_config *conf, struct ct_file *f); /* -ENOMEM */
/* lxcconf_add without copying key and value: they live in a file conf holds (lxcconf_hold);
 * hash is lxcconf_key_hash(key). */
int lxcconf_add_held(struct lxc_config *conf, const char *key, const char *value, uint32_t hash,
		     const char *file, unsigned line, struct ct_error **err);

/* Append n entries made by the reader at once: their key, value, line and hash_ set, their
 * strings in a file conf holds; file is set on each. Returns 1 (nothing done) when they would
 * pass LXCCONF_MAX_ENTRIES. */
int lxcconf_append_held(struct lxc_config *conf, const struct lxc_entry *v, size_t n,
			const char *file, struct ct_error **err);

#endif
