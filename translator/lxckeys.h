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

/* Row flags. */
#define LXCKEY_CLEAR_ONLY \
	0x1u /* bare family key (lxc.net, lxc.hook, lxc.cgroup, ...): only an
				* empty value is accepted, and it clears the whole family */

struct lxckey {
	const char *name; /* e.g. "lxc.uts.name", or a family prefix such as "lxc.cgroup2." */
	bool prefix;	  /* name is a family prefix (lxc.net.N.*, lxc.sysctl.*, ...) */
	enum lxckey_kind kind;
	unsigned flags; /* LXCKEY_* flags */
};

/* A legacy (pre-3.0) spelling and its modern key. prefix rows rename a family prefix. A NULL
 * modern key means the key was removed: it has no effect in LXC 5 (lxc.pivotdir, lxc.kmsg). */
struct lxckey_legacy {
	const char *name;
	const char *modern;
	bool prefix;
};

/* Largest network index accepted in lxc.net.N.* (exclusive). */
#define LXCKEY_MAX_NET_INDEX 1000

/* Look a modern key up: exact match first, then the longest family prefix. NULL if unknown.
 * lxc.net.N.* needs a decimal index below LXCKEY_MAX_NET_INDEX and a known subkey; the bare
 * "lxc.net.N" is a clear-only key (an empty value removes interface N). */
const struct lxckey *lxckey_lookup(const char *key);
/* Legacy spelling -> modern key, written to buf; returns buf, or NULL when key is not legacy
 * (or is a removed key, see lxckey_removed). Handles lxc.network.N.* and the unindexed
 * lxc.network.* (which become lxc.net.0.*: the parser numbers unindexed interfaces itself with
 * lxckey_modernize_net). */
const char *lxckey_modernize(const char *key, char *buf, size_t size);
/* Unindexed legacy network key "lxc.network.SUB": returns SUB, else NULL. */
const char *lxckey_unindexed_net(const char *key);
/* Modern key of legacy network subkey sub (ipv4 -> ipv4.address, ...) for interface idx;
 * returns buf, or NULL when sub is not a network subkey or buf is too small. */
const char *lxckey_modernize_net(const char *sub, unsigned idx, char *buf, size_t size);
/* True for a legacy key that LXC 5 dropped without replacement (lxc.pivotdir, lxc.kmsg). */
bool lxckey_removed(const char *key);
/* Canonical spelling of a modern key (the lxc.net index without leading zeros), written to
 * buf; returns key itself when it is already canonical. */
const char *lxckey_canonical(const char *key, char *buf, size_t size);
/* True when an empty value of the clear-only key bare removes the entry key (as liblxc:
 * "lxc.hook =" clears the hook lists but not lxc.hook.version, "lxc.cgroup =" clears the
 * controller settings but not lxc.cgroup.dir). */
bool lxckey_family_clears(const char *bare, const char *key);
/* Network index of an lxc.net.N.* key (>= 0), or -1. */
int lxckey_net_index(const char *key);
/* Closest known key for a "did you mean" hint, or NULL when none is close. The result may live
 * in a thread-local buffer overwritten by the next call. */
const char *lxckey_suggest(const char *key);
/* The whole table, for tests and for generating doc/mapping.md. */
const struct lxckey *lxckey_table(size_t *ret_n);
/* The legacy spellings (lxc.network.* is handled apart and not listed). */
const struct lxckey_legacy *lxckey_legacy_table(size_t *ret_n);
/* The lxc.net.N.* subkeys. */
const struct lxckey *lxckey_net_table(size_t *ret_n);

#endif
