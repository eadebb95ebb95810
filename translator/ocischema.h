/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The runtime-spec's config.json as a tree of field descriptors (ocischema.c), shared by the
 * validator (ocivalidate.c), which walks it alongside a document, and the reader (ocispec.c),
 * which checks each value as it builds it. Internal to the translator library. */
#ifndef CT_OCISCHEMA_H
#define CT_OCISCHEMA_H

#include <jansson.h>

#include "error.h"
#include "ocispec.h"

enum vtype {
	T_OBJECT, /* members described by children; NULL children: anything goes */
	T_MAP,	  /* object whose every member value is described by elem */
	T_ARRAY,  /* every element described by elem */
	T_STRING,
	T_BOOL,
	T_INT32,
	T_INT64,
	T_UINT16,
	T_UINT32,
	T_UINT64,
};

#define F_REQUIRED 1u /* must stay 1: ocispec_schema_accepts adds it up */

struct vctx;
struct crumb;
struct ocispec_field {
	const char *name;
	unsigned char namelen; /* strlen(name), for the reader's keys, which are not terminated */
	enum vtype type;
	unsigned flags;
	const struct ocispec_field *children; /* T_OBJECT: terminated by a NULL name */
	const struct ocispec_field *elem;     /* T_ARRAY, T_MAP */
	const char *const *choices;	      /* T_STRING: allowed values, NULL-terminated */
	int (*check)(struct vctx *vc, json_t *v, const struct crumb *at, struct ct_error **err);
	long long min; /* integers: smallest value accepted when above the type's */
};

/* The top level: every member the spec defines, down to the leaves. */
extern const struct ocispec_field ocischema_top;

/* The semantic checks some fields carry (ocivalidate.c): a rule the spec states beyond the
 * type, reported at the value. */
int ocischema_check_absolute(struct vctx *vc, json_t *v, const struct crumb *at,
			     struct ct_error **err);
int ocischema_check_cpu_list(struct vctx *vc, json_t *v, const struct crumb *at,
			     struct ct_error **err);
int ocischema_check_device_type(struct vctx *vc, json_t *v, const struct crumb *at,
				struct ct_error **err);
int ocischema_check_namespaces(struct vctx *vc, json_t *v, const struct crumb *at,
			       struct ct_error **err);
int ocischema_check_rlimit_type(struct vctx *vc, json_t *v, const struct crumb *at,
				struct ct_error **err);
int ocischema_check_rlimits(struct vctx *vc, json_t *v, const struct crumb *at,
			    struct ct_error **err);

#endif
