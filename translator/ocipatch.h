/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Carry lines: OCI fields LXC has no key for travel in the LXC output as comments liblxc ignores,
 *
 *   #oci: POINTER = JSON @HASH      set POINTER to JSON
 *   #oci: POINTER - @HASH           remove POINTER
 *
 * where HASH is the FNV-1a hash (16 hex digits) of the value the LXC keys produce at POINTER
 * (or "none" when they produce nothing). lxc2oci applies a line only when the hash still matches,
 * so a carry line never overrides an LXC key the user has edited since. */
#ifndef CT_OCIPATCH_H
#define CT_OCIPATCH_H

#include <jansson.h>

#include "diag.h"
#include "error.h"
#include "lxcconf.h"

/* Compare want (the original OCI document) with got (what the LXC keys alone give back) and add
 * one carry line to conf for each difference. Objects are compared member by member, arrays of
 * equal length element by element, anything else replaced whole. Each carry line is reported
 * through diag unless its pointer is listed as inert (ociVersion and similar). */
int ocipatch_diff(const json_t *want, const json_t *got, struct lxc_config *conf,
		  struct ct_diag *diag, struct ct_error **err);
/* Apply conf's carry lines to doc. Malformed lines are located errors; stale ones warnings. */
int ocipatch_apply(const struct lxc_config *conf, json_t *doc, struct ct_diag *diag,
		   struct ct_error **err);

#endif
