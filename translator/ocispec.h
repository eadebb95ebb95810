/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* OCI runtime-spec config.json: strict reading with located errors, type checks of every field
 * the spec defines (unknown fields are kept), and writing. */
#ifndef CT_OCISPEC_H
#define CT_OCISPEC_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "error.h"

#define OCISPEC_MAX_DEPTH 64 /* nesting; the spec needs 6 */

/* Parse and check a config.json. path may be a file, a bundle directory (config.json inside is
 * read) or "-". Errors carry FILE:LINE:COL. *ret_bundle_dir (optional) receives the directory
 * relative root.path values are resolved against (NULL for stdin). */
int ocispec_parse_file(const char *path, struct ct_diag *diag, json_t **ret, char **ret_bundle_dir,
		       struct ct_error **err);
int ocispec_parse_buffer(const char *buf, size_t len, const char *name, struct ct_diag *diag,
			 json_t **ret, struct ct_error **err);
/* Type-check a parsed document against the runtime-spec; text/name (may be NULL) are used to
 * locate the offending value. */
int ocispec_validate(json_t *root, const char *text, size_t len, const char *name,
		     struct ct_diag *diag, struct ct_error **err);
/* uint64 fields (rlimits, cpu.shares, ...) above INT64_MAX are held as the json integer with the
 * same 64 bits (18446744073709551615 reads as -1); ocispec_dump writes them back unsigned. */

/* Serialise as runc does (tab indentation, keys in insertion order), with a final newline. */
char *ocispec_dump(const json_t *root);

/* Locate the value at a JSON pointer in text (valid JSON): 1-based line and column. Returns 0,
 * or -1 when the pointer is not found. */
int jsonpos_find(const char *text, size_t len, const char *pointer, unsigned *ret_line,
		 unsigned *ret_col);
/* The same as a byte offset into text. */
int jsonpos_offset(const char *text, size_t len, const char *pointer, size_t *ret_offset);
/* The reader's checked path, before jansson sees the text: refuse NUL bytes and nesting deeper
 * than OCISPEC_MAX_DEPTH (errors at FILE:LINE:COL, name naming the file); and rewrite integer
 * literals above INT64_MAX (up to 2^64-1) to the signed integer with the same bits, keeping
 * columns (*ret: the new text, or NULL when none needed it). */
int jsonpos_prescan(const char *buf, size_t len, const char *name, struct ct_error **err);
int jsonpos_rewrite_big_unsigned(const char *buf, size_t len, char **ret, struct ct_error **err);

/* The runtime-spec schema the validator uses, for walking alongside a document. Each lookup
 * returns NULL when the field is not described (unknown members, other platforms). */
struct ocispec_field;
const struct ocispec_field *ocispec_schema(void);
const struct ocispec_field *ocispec_schema_member(const struct ocispec_field *f, const char *name);
const struct ocispec_field *ocispec_schema_element(const struct ocispec_field *f);
bool ocispec_schema_is_uint64(const struct ocispec_field *f);

/* For the reader, which checks a document as it builds it: the member name (len bytes, not
 * NUL-terminated) of f (not NULL), m following the members of one object (zero it first); and
 * whether v passes the checks of f that do not look into its members and elements (those are
 * checked one by one), required being m->required for an object. Such checks of every value
 * the schema describes amount to ocispec_validate, given integers spelled as they read (no
 * uint64 above INT64_MAX) and no duplicate keys. false: ocispec_validate finds and reports
 * what is wrong. */
struct ocispec_members {
	const struct ocispec_field *next; /* where the next search starts: members mostly come
					   * in the schema's order */
	size_t required;		  /* members found that the object requires */
	bool any_string;		  /* the member found takes any string, and only that */
};
const struct ocispec_field *ocispec_schema_membern(const struct ocispec_field *f, const char *name,
						   size_t len, struct ocispec_members *m);
bool ocispec_schema_accepts(const struct ocispec_field *f, json_t *v, size_t required);
/* Does f take any string, and nothing else? (Most arrays: args, env, options, capabilities.) */
bool ocispec_schema_any_string(const struct ocispec_field *f);

#endif
