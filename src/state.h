/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A container's state as state and list show it. */
#ifndef CTL_STATE_H
#define CTL_STATE_H

#include <jansson.h>
#include <lxc/lxccontainer.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "settings.h"

struct state_info {
	const char *name;
	const char *state; /* RUNNING, FROZEN, STOPPED */
	pid_t pid;	   /* 0 when not running */
	int monitor;	   /* 1 when liblxc's monitor runs, 0 when the container is orphaned */
	char *config;	   /* may be NULL */
	int64_t started;   /* seconds since the epoch, -1 when unknown */
	int64_t mem_current, mem_peak, cpu_ns; /* -1 when unknown */
};

/* config may be NULL: then the run directory's record is used. */
int state_read(const struct ct_settings *s, const char *name, const char *config,
	       struct state_info *ret, struct ct_error **err);
void state_release(struct state_info *st);
json_t *state_json(const struct state_info *st);
void state_print_text(FILE *f, const struct state_info *st);

#endif
