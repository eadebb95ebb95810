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
	int pidfd; /* the init's pidfd; closed when the stop is over */
	pid_t pid;
	int halt_signal;
	/* out */
	enum stop_result result;
	unsigned elapsed_ms;
	struct ct_error *err;
	/* private */
	int phase;
	long long start_ms, deadline_ms;
	unsigned kill_ms;
	struct ct_cgroup *cg;
};

/* One container, driven from outside (libctlaunch's ctl_stop_begin/ctl_stop_step):
 * stop_begin sends the halt signal (SIGKILL to the container for timeout 0) and returns 0 with
 * the result STOP_PENDING (STOP_EXITED at once for a pidfd < 0), or < 0 with STOP_FAILED and
 * it->err. Does not block. */
int stop_begin(struct stop_item *it, unsigned timeout_ms, unsigned kill_ms);
/* Milliseconds until the item's next deadline, 0 when due, -1 when the stop is over. */
int stop_wait_ms(const struct stop_item *it);
/* Advance after the pidfd polled readable or the deadline passed (earlier is harmless):
 * exited, SIGKILL sent (still STOP_PENDING), or stuck. Closes the pidfd once over. */
enum stop_result stop_step(struct stop_item *it);
/* Abandon a stop (closes the pidfd, frees the cgroup); nothing more is sent. */
void stop_abandon(struct stop_item *it);

/* timeout_ms: from the halt signal to SIGKILL (0: SIGKILL at once); kill_ms: from SIGKILL to
 * calling it stuck. Returns 0 when the loop itself worked (see each item's result). */
int stop_run(struct stop_item *items, size_t n, unsigned timeout_ms, unsigned kill_ms,
	     struct ct_error **err);
const char *stop_result_name(enum stop_result r);

#endif
