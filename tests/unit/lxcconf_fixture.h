/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the LXC reader's suites share (check_lxcconf.c, check_lxcconf_perf.c): a diag sink that
 * collects warnings as "FILE:LINE: message" lines, and reader options that use it. */
#ifndef CT_TEST_LXCCONF_FIXTURE_H
#define CT_TEST_LXCCONF_FIXTURE_H

#include "diag.h"
#include "lxcconf.h"
#include "strbuf.h"

#ifndef CT_LXC_TEST_DATA
#error "CT_LXC_TEST_DATA must name tests/unit/data/lxc"
#endif

/* Warnings collected by the diag sink. */
static struct strbuf warnings = STRBUF_INIT;

static void collect(void *data, const char *file, unsigned line, unsigned col, const char *msg)
{
	(void)data;
	(void)col;
	strbuf_printf(&warnings, "%s:%u: %s\n", file ? file : "?", line, msg);
}

static struct ct_diag diag = { collect, NULL, false, 0 };
static const struct lxcconf_opts opts = { NULL, &diag };

#endif
