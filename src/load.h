/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Turning a found configuration into a liblxc container object: the config is read by the
 * project's reader (or translated from OCI), filtered, and handed over entry by entry with
 * set_config_item; settings add the log, inherited variables and shared mounts. Nothing is
 * written to disk. */
#ifndef CTL_LOAD_H
#define CTL_LOAD_H

#include <lxc/lxccontainer.h>

#include "diag.h"
#include "error.h"
#include "find.h"
#include "lxcconf.h"
#include "settings.h"

struct ctl_loaded {
	struct lxc_container *c;
	char **argv;	   /* OCI process.args (NULL-terminated), NULL for LXC configs */
	char **side_files; /* files written for liblxc (seccomp profile): unlink after start */
};

void loaded_release(struct ctl_loaded *l);

/* Read an LXC config into entries with the project's reader (lxcconf_parse_file): includes
 * expanded, legacy keys converted and empty values applied as liblxc does, errors located at
 * FILE:LINE. */
int load_lxc_config(const char *path, struct ct_diag *diag, struct lxc_config **ret,
		    struct ct_error **err);

/* The halt signal an LXC config file gives (its last lxc.signal.halt, includes expanded), for
 * containers that ctlaunch did not start: 0 in *ret when unset. Values are read as liblxc
 * does (ct_signal_parse_lxc); a spelling only ctlaunch understands ("USR1") is used with a
 * warning, anything else gives 0 with a warning. < 0 when the file cannot be read. */
int load_halt_signal(const char *path, struct ct_diag *diag, int *ret, struct ct_error **err);

/* Feed conf to c. lxc.environment entries naming an unset variable are skipped with a
 * warning (liblxc 5 would refuse the whole config). Errors are located at FILE:LINE. */
int load_apply(struct lxc_container *c, const struct lxc_config *conf, struct ct_diag *diag,
	       struct ct_error **err);

/* The whole job: target -> container object in run_dir (liblxc's lxcpath). */
int load_target(const struct ct_settings *s, const struct ctl_target *t, struct ct_diag *diag,
		struct ctl_loaded *ret, struct ct_error **err);

#endif
