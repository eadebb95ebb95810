/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* LXC config <-> OCI config.json. */
#ifndef CT_TRANSLATE_H
#define CT_TRANSLATE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "diag.h"
#include "error.h"
#include "lxcconf.h"

/* Annotation prefix for LXC keys that have no OCI field: "org.ctlaunch.lxc.signal.halt" carries
 * lxc.signal.halt. Several values of a list key are joined with "\n". */
#define CT_ANNOT_LXC "org.ctlaunch.lxc."
/* Annotations that record how LXC expressed something OCI holds as one field. */
#define CT_ANNOT_META "org.ctlaunch.meta."

struct ct_side_file;

struct ct_translate_opts {
	const char *rootfs;	  /* --rootfs: override the root path */
	const char *sysroot;	  /* --sysroot: resolve absolute paths of the input under it */
	const char *bundle_dir;	  /* oci2lxc: where a relative root.path lives */
	const char *config_dir;	  /* lxc2oci: directory of the input config (relative paths) */
	const char *seccomp_path; /* oci2lxc: where the LXC seccomp profile is written */
	struct ct_diag *diag;
	/* Files about to be written (oci2lxc's side files): a family reading a file by path looks
	 * here first, so the reverse translation sees them before they reach the disk. */
	const struct ct_side_file *pending;
};

/* Translation state shared by the family modules (map_*.c). */
struct ct_ctx {
	struct lxc_config *lxc;
	json_t *oci;
	const struct ct_translate_opts *opts;
	bool *used; /* lxc -> oci: one flag per input entry, set by the family that maps it */
	/* oci -> lxc: files the translation wants written beside the output (seccomp profile). */
	struct ct_side_file {
		char *path;
		char *content;
	} * side;
	size_t nside;
	/* oci -> lxc: pointers a family already warned about; the carry-line diff does not warn
	 * about them (or anything below them) a second time. */
	char **warned;
	size_t nwarned;
};

int ct_lxc_to_oci(struct lxc_config *conf, const struct ct_translate_opts *opts, json_t **ret,
		  struct ct_error **err);
/* ret_side (optional) receives the files to write next to the output, terminated by an entry
 * whose path is NULL; free with ct_side_files_free. */
int ct_oci_to_lxc(json_t *oci, const struct ct_translate_opts *opts, struct lxc_config **ret,
		  struct ct_side_file **ret_side, struct ct_error **err);
void ct_side_files_free(struct ct_side_file *side);
/* Without a user namespace, "every capability" is the translating thread's bounding set, which
 * is read once per thread. A thread that drops capabilities from its bounding set after it has
 * translated calls this so that its next translation reads the set again. */
void ct_caps_forget_bounding(void);
/* Content of the pending file at path (opts->pending), or NULL. */
const char *ct_pending_file(const struct ct_translate_opts *opts, const char *path);

/* Helpers for family modules. */
/* Mark entry i as mapped. */
static inline void ct_use(struct ct_ctx *ctx, size_t i)
{
	if (ctx->used)
		ctx->used[i] = true;
}
/* Warning located at an input entry (lxc -> oci) or at a JSON pointer (oci -> lxc). */
int ct_warn_entry(struct ct_ctx *ctx, struct ct_error **err, const struct lxc_entry *e,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int ct_error_entry(struct ct_error **err, const struct lxc_entry *e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int ct_warn_oci(struct ct_ctx *ctx, struct ct_error **err, const char *pointer, const char *fmt,
		...) __attribute__((format(printf, 4, 5)));
/* The carry line for pointer (and below) changes nothing the container sees: the driver's diff
 * writes it without a warning. */
int ct_quiet_oci(struct ct_ctx *ctx, const char *pointer, struct ct_error **err);
/* Append key = the concatenation of the strings that follow (NULL ends them): the lines of fixed
 * shape the families write, without printf's format parsing. */
int ct_add_joined(struct lxc_config *conf, struct ct_error **err, const char *key, ...)
	__attribute__((sentinel));
/* prefix followed by the decimal digits of n ("/mounts/" 3 -> "/mounts/3") in buf, without
 * printf; false (buf empty) when it does not fit in size bytes. */
static inline bool ct_join_index(char *buf, size_t size, const char *prefix, size_t n)
{
	char digits[24];
	size_t nd = sizeof(digits), np = strlen(prefix);

	do {
		digits[--nd] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	if (np + sizeof(digits) - nd >= size) {
		if (size)
			buf[0] = '\0';
		return false;
	}
	memcpy(buf, prefix, np);
	memcpy(buf + np, digits + nd, sizeof(digits) - nd);
	buf[np + sizeof(digits) - nd] = '\0';
	return true;
}
/* Add a file to write beside the LXC output (content copied). */
int ct_add_side_file(struct ct_ctx *ctx, const char *path, const char *content,
		     struct ct_error **err);

/* One line of doc/mapping.md: how an LXC key relates to an OCI field. The table in the doc is
 * generated from these rows (tests/gen_mapping.c), so the doc cannot drift from the code. */
struct ct_doc_row {
	const char *lxc;  /* "lxc.uts.name", "lxc.net.N.type", or "-" */
	const char *oci;  /* "hostname", "linux.namespaces[type=network]", or "-" */
	const char *note; /* how, and what does not come back; NULL when exact */
};

/* A family of keys: each direction reads its part of the input and builds its part of the
 * output. to_oci marks the entries it consumed with ct_use(); anything left unmarked travels
 * as an annotation. */
struct ct_family {
	const char *name;
	int (*to_oci)(struct ct_ctx *ctx, struct ct_error **err);
	int (*to_lxc)(struct ct_ctx *ctx, struct ct_error **err);
	const struct ct_doc_row *doc; /* terminated by a row whose lxc is NULL */
};

/* Every family, for the mapping documentation. NULL-terminated. */
extern const struct ct_family *const ct_all_families[];

#endif
