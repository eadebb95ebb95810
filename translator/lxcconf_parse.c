/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Placeholder while the module is written. */
#include "lxcconf.h"
#include <errno.h>

int lxcconf_parse_file(const char *path, const struct lxcconf_opts *opts, struct lxc_config **ret, struct ct_error **err)
{ (void)opts; (void)ret; return ct_error_set(err, ENOSYS, "%s: reader not written yet", path); }
int lxcconf_parse_buffer(const char *buf, size_t len, const char *name, const struct lxcconf_opts *opts, struct lxc_config **ret, struct ct_error **err)
{ (void)buf; (void)len; (void)opts; (void)ret; return ct_error_set(err, ENOSYS, "%s: reader not written yet", name); }
