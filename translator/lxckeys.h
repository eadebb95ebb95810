/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The table of configuration keys liblxc 5 knows, and the legacy pre-3.0 spellings. */
#ifndef CT_LXCKEYS_H
#define CT_LXCKEYS_H

#include <stdbool.h>
#include <stddef.h>

enum lxckey_kind {
	LXCKEY_SCALAR, /* last assignment wins */
	LXCKEY_LIST,   /* every assignment appends; an empty value clears */
};

struct lxckey {
	const char *name; /* e.g. "lxc.uts.name", or a family prefix such as "lxc.cgroup2." */
	bool prefix;	  /* name is a family prefix (lxc.net.N.*, lxc.sysctl.*, ...) */
	enum lxckey_kind kind;
};

/* Look a modern key up: exact match first, then the longest family prefix. NULL if unknown. */
const struct lxckey *lxckey_lookup(const char *key);
/* Legacy spelling -> modern key, written to buf; returns buf, or NULL when key is not legacy.
 * Handles lxc.network.N.* and lxc.network.* (which become lxc.net.0.* and friends). */
const char *lxckey_modernize(const char *key, char *buf, size_t size);
/* Closest known key for a "did you mean" hint, or NULL when none is close. */
const char *lxckey_suggest(const char *key);
/* The whole table, for tests and for generating doc/mapping.md. */
const struct lxckey *lxckey_table(size_t *ret_n);

#endif
