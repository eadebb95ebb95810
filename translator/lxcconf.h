/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* LXC configuration files: read them as liblxc 5 does, hold them as an ordered list of
 * key/value entries with their origin, and write them back. */
#ifndef CT_LXCCONF_H
#define CT_LXCCONF_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "error.h"
#include "strbuf.h"

/* Limits on what the input controls. */
#define LXCCONF_MAX_LINE 65536	     /* bytes in one line */
#define LXCCONF_MAX_INCLUDE_DEPTH 16 /* nested lxc.include */
#define LXCCONF_MAX_ENTRIES 100000   /* assignments read, counting cleared and overridden ones */

/* The strings of entries belong to their lxc_config (lxcconf.c keeps them in a few large
 * blocks): read them, never free or replace them (lxcconf_set_value does). Carry lines' strings
 * are allocated one by one. */
struct lxc_entry {
	char *key;   /* modern spelling, e.g. "lxc.uts.name" (legacy keys are converted) */
	char *value; /* unquoted, surrounding blanks removed; never empty (empty clears) */
	char *file;  /* file it came from (as opened); NULL when made by a translation */
	unsigned line;
	unsigned hash_, next_; /* private to lxcconf.c: the key index */
};

/* A "#oci:" carry line: an OCI field LXC cannot express (see ocipatch.h). Kept apart from the
 * entries because liblxc sees them as comments. */
struct lxc_carry {
	char *text; /* the part after the "#oci:" marker, verbatim */
	char *file;
	unsigned line;
};

struct lxc_config {
	struct lxc_entry *v;
	size_t n, cap;
	struct lxc_carry *carry;
	size_t ncarry, capcarry;
	char *path;		      /* the main file, or "<stdin>" */
	struct lxcconf_store *store_; /* private to lxcconf.c: string blocks and key index */
};

struct lxcconf_opts {
	const char *sysroot; /* absolute lxc.include paths are resolved under it */
	struct ct_diag *diag;
};

struct lxc_config *lxcconf_new(void);
void lxcconf_free(struct lxc_config *conf);
void lxcconf_freep(struct lxc_config **conf);
#define cleanup_lxcconf __attribute__((cleanup(lxcconf_freep)))

/* Parse a file ("-" for stdin) or an in-memory buffer (name used in messages; relative includes
 * are resolved against dirname(name) for buffers too). Includes are expanded in place, legacy
 * keys converted (with a warning), empty values clear the key as liblxc does. Unknown keys are
 * located errors with a "did you mean" hint. */
int lxcconf_parse_file(const char *path, const struct lxcconf_opts *opts, struct lxc_config **ret,
		       struct ct_error **err);
int lxcconf_parse_buffer(const char *buf, size_t len, const char *name,
			 const struct lxcconf_opts *opts, struct lxc_config **ret,
			 struct ct_error **err);

/* Append an entry (key must be a modern key; value copied). file may be NULL. */
int lxcconf_add(struct lxc_config *conf, const char *key, const char *value, const char *file,
		unsigned line, struct ct_error **err);
int lxcconf_addf(struct lxc_config *conf, struct ct_error **err, const char *key, const char *fmt,
		 ...) __attribute__((format(printf, 4, 5)));
int lxcconf_add_carry(struct lxc_config *conf, const char *text, struct ct_error **err);
int lxcconf_add_carry_at(struct lxc_config *conf, const char *text, const char *file, unsigned line,
			 struct ct_error **err);

/* Remove every entry whose key equals key (the effect of an empty value). */
void lxcconf_clear(struct lxc_config *conf, const char *key);
/* Keep only the entries i whose keep[i] is set, in order. */
void lxcconf_filter(struct lxc_config *conf, const bool *keep);
/* Replace the value of entry i (value copied). */
int lxcconf_set_value(struct lxc_config *conf, size_t i, const char *value, struct ct_error **err);
/* Last value of key, or NULL. */
const char *lxcconf_get(const struct lxc_config *conf, const char *key);
/* Index of the next entry at or after *pos whose key equals key (or starts with key when
 * prefix is true); returns NULL when none. Iterate with `for (i = 0; (e = lxcconf_next(c, k,
 * false, &i)); i++)`. An exact key is looked up in an index: a loop over its entries costs
 * O(entries of that key), not O(all entries); a prefix scans every entry. */
const struct lxc_entry *lxcconf_next(const struct lxc_config *conf, const char *key, bool prefix,
				     size_t *pos);

/* Serialise: one "key = value" line per entry in order, then the carry lines. header (may be
 * NULL) is written first as comment lines. Values that liblxc would alter (leading/trailing
 * blanks, surrounding quotes) are quoted. Refused with a located error, because liblxc would
 * read something else back: a line break in a value or carry line, an unknown key, a value for
 * a clear-only key (lxc.net, lxc.cgroup, ...), a single-value key set twice, and
 * lxc.net.N.type after other keys of interface N. */
int lxcconf_write(const struct lxc_config *conf, const char *header, struct strbuf *out,
		  struct ct_error **err);

#endif
