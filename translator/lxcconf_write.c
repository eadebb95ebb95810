/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Placeholder while the module is written. */
#include "lxcconf.h"
#include <errno.h>

int lxcconf_write(const struct lxc_config *conf, const char *header, struct strbuf *out, struct ct_error **err)
{
	(void)header;
	for (size_t i = 0; i < conf->n; i++)
		strbuf_printf(out, "%s = %s\n", conf->v[i].key, conf->v[i].value);
	for (size_t i = 0; i < conf->ncarry; i++)
		strbuf_printf(out, "#oci:%s\n", conf->carry[i].text);
	return out->oom ? ct_error_set(err, ENOMEM, "out of memory") : 0;
}
