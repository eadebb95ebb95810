/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The one-to-one keys: one LXC key, one OCI field, a value kind. The table drives both
 * directions, the unit tests and the documentation. */
#ifndef CT_MAP_SIMPLE_H
#define CT_MAP_SIMPLE_H

#include <stddef.h>

enum map_simple_kind {
	MAP_SIMPLE_STRING, /* any one-line string, at most max bytes */
	MAP_SIMPLE_PATH,   /* an absolute path, at most max bytes */
	MAP_SIMPLE_INT,	   /* a decimal integer in [min, max] <-> JSON integer */
	MAP_SIMPLE_UINT32, /* a decimal integer in [0, 2^32-1] <-> JSON integer */
	MAP_SIMPLE_BOOL01, /* "0"/"1" <-> JSON false/true */
};

struct map_simple_row {
	const char *lxc;     /* "lxc.uts.name" */
	const char *pointer; /* JSON pointer of the OCI field, "/hostname" */
	const char *oci;     /* the same field as doc/mapping.md spells it, "hostname" */
	enum map_simple_kind kind;
	/* The LXC value that is not written back: the one whose OCI value lxc2oci produces
	 * without the key (the skeleton's). NULL: every value is written. */
	const char *dflt;
	long long min, max; /* INT range; STRING/PATH: max is the length limit */
	const char *note;   /* for the documentation, NULL when exact */
};

/* The whole table, in the order keys are written. */
const struct map_simple_row *map_simple_table(size_t *ret_n);

#endif
