/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Private to the LXC configuration reader (lxcconf_parse.c, lxcconf_resolve.c). */
#ifndef CT_LXCCONF_INTERNAL_H
#define CT_LXCCONF_INTERNAL_H

#include "diag.h"
#include "error.h"
#include "lxcconf.h"
#include "lxckeys.h"

/*
 * The reading pass records every assignment in order, empty values and clear-only keys
 * included (rows[i]: the key row of conf->v[i]); this keeps only the entries liblxc would end
 * up with, and warns (through diag) about settings lost to an interface reset.
 */
int lxcconf_resolve(struct lxc_config *conf, const struct lxckey *const *rows, struct ct_diag *diag,
		    struct ct_error **err);

#endif
