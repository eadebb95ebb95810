/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Stopping containers, all at once: the halt signal through each init's pidfd, one epoll over
 * every pidfd, SIGKILL to the whole container when its timeout expires, and "stuck" when even
 * that does not end it in time. Never blocks beyond timeout + kill timeout. */
#ifndef CTL_STOP_H
#define CTL_STOP_H

#include <stddef.h>
#include <sys/types.h>

#include "error.h"

struct ct_cgroup;

enum stop_result {
	STOP_PENDING = 0,
	STOP_EXITED, /* ended after the halt signal */
	STOP_KILLED, /* ended after SIGKILL */
	STOP_STUCK,  /* still there after SIGKILL and the kill timeout */
	STOP_FAILED, /* could not be signalled: err says why */
};

struct stop_item {
	/* in */
	const char *name;
	int pidfd; /* the init's pidfd; stop_run closes it */
	pid_t pid;
	int halt_signal;
	/* out */
	enum stop_result result;
	unsigned elapsed_ms;
	struct ct_error *err;
	/* private */
	int phase;
	long long deadline_ms;
	struct ct_cgroup *cg;
};

/* timeout_ms: from the halt signal to SIGKILL (0: SIGKILL at once); kill_ms: from SIGKILL to
 * calling it stuck. Returns 0 when the loop itself worked (see each item's result). */
int stop_run(struct stop_item *items, size_t n, unsigned timeout_ms, unsigned kill_ms,
	     struct ct_error **err);
const char *stop_result_name(enum stop_result r);

#endif
