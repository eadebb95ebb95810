/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A container's cgroups, v1 or v2 or both (hybrid hosts): kill everything in them, freeze,
 * read usage. */
#ifndef CTL_CGROUP_H
#define CTL_CGROUP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"

struct ct_cgroup {
	char *v2;      /* directory in the unified hierarchy, NULL when none */
	char *freezer; /* v1 directories, NULL when the controller is not mounted */
	char *memory;
	char *cpuacct;
	char *pids; /* any directory that lists the container's processes */
};

struct ct_cgstats {
	int64_t mem_current; /* bytes, -1 when unknown */
	int64_t mem_peak;
	int64_t cpu_ns; /* CPU time used, nanoseconds, -1 when unknown */
};

/* The cgroups pid is in, as /proc/PID/cgroup says. */
int cgroup_of_pid(pid_t pid, struct ct_cgroup *ret, struct ct_error **err);
/* The cgroups named rel ("/lxc.payload.NAME") in every hierarchy, those that exist.
 * Returns 0 and an empty ret when none exist. */
int cgroup_by_path(const char *rel, struct ct_cgroup *ret, struct ct_error **err);
bool cgroup_empty(const struct ct_cgroup *cg);
void cgroup_release(struct ct_cgroup *cg);
static inline void cgroup_releasep(struct ct_cgroup *cg)
{
	cgroup_release(cg);
}
#define cleanup_cgroup __attribute__((cleanup(cgroup_releasep)))

/* Processes in the cgroup and below it: a malloc'd array (may be empty). */
int cgroup_pids(const struct ct_cgroup *cg, pid_t **ret, size_t *ret_n, struct ct_error **err);
/* SIGKILL every process: freeze (v1 freezer), cgroup.kill (v2) or a signal per process
 * through its pidfd, thaw. Processes frozen by someone else are thawed so that they die. */
int cgroup_kill_all(const struct ct_cgroup *cg, int freeze_timeout_ms, struct ct_error **err);
/* Freeze or thaw (v1 freezer.state, else v2 cgroup.freeze). */
int cgroup_freeze(const struct ct_cgroup *cg, bool freeze, struct ct_error **err);
void cgroup_stats(const struct ct_cgroup *cg, struct ct_cgstats *ret);
/* Remove the (empty) directories, deepest first. */
int cgroup_remove(const struct ct_cgroup *cg, struct ct_error **err);
/* Remove rel ("/lxc.payload.NAME") from every mounted hierarchy, v1 controllers included. */
int cgroup_remove_everywhere(const char *rel, struct ct_error **err);

#endif
