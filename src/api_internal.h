/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Inside libctlaunch: the objects behind the public handles, shared by api.c (context,
 * containers, start, kill, state) and api_stop.c (stop). Not exported. */
#ifndef CTL_API_INTERNAL_H
#define CTL_API_INTERNAL_H

#include <lxc/lxccontainer.h>
#include <stdbool.h>
#include <sys/types.h>

#include "../include/ctlaunch.h"
#include "diag.h"
#include "error.h"
#include "find.h"
#include "runtime.h"
#include "settings.h"
#include "stop.h"

/* How long a start waits for liblxc's monitor of a previous run of the name to finish. */
#define API_MONITOR_WAIT_MS 2000

struct ctl_error {
	struct ct_error ct;
};

struct ctl_context {
	struct ct_settings *settings;
	struct ct_diag diag; /* the warning handler */
};

struct ctl_container {
	struct ctl_context *ctx;
	struct ctl_target t; /* t.config is NULL for an attached container */
	char *run_config;    /* what the running instance was started from (run-time record) */
	pid_t pid;
	int exit_status;
	bool own_init; /* the command is the container's init: no init.lxc above it */
	int halt;      /* lxc.signal.halt of the last start, 0 when unset */
	bool stopping;
	int stop_signal;
	struct stop_item stop;
	int monitor_fd; /* pidfd of the init's parent (liblxc's monitor) while stopping, or -1 */
};

/* Move *e (set by an internal function that returned rc) to the caller's err. Returns rc. */
int api_give(struct ctl_error **err, struct ct_error **e, int rc);
/* A liblxc object for c under the run directory; NULL (err set, "DOING NAME: ...") when none. */
struct lxc_container *api_lxc_object(struct ctl_container *c, const char *doing,
				     struct ct_error **err);
/* The running init (ret->pidfd -1 when none); its halt signal too when ret_halt is given. */
int api_find_init(struct ctl_container *c, const char *doing, struct ct_init *ret, int *ret_halt,
		  struct ct_error **err);

#endif
