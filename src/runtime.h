/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Run-time state in the run directory: the start lock, what was started from where, leftovers
 * of crashed runs, and finding a running container's init race-free. */
#ifndef CTL_RUNTIME_H
#define CTL_RUNTIME_H

#include <lxc/lxccontainer.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"

int rt_mkdir(const char *run_dir, struct ct_error **err);
/* Take <run_dir>/<name>.lock (flock, non-blocking). EBUSY when another ctlaunch holds it. */
int rt_lock(const char *run_dir, const char *name, int *ret_fd, struct ct_error **err);
/* Run-time state (meta records, pid files): written through a temporary file and rename(2),
 * without fsync (it does not outlive a reboot). */
int rt_write_file(const char *path, const char *text, struct ct_error **err);
struct ct_init;
/* <run_dir>/<name>.meta: the config a running container came from, its halt signal (liblxc
 * does not answer lxc.signal.halt through get_running_config_item) and, when init is given
 * (a daemon start, once the init runs), the init's pid and start time (/proc/PID/stat). */
int rt_meta_write(const char *run_dir, const char *name, const char *config, int halt_signal,
		  const struct ct_init *init, struct ct_error **err);
char *rt_meta_config(const char *run_dir, const char *name);
/* The halt signal recorded at start: 0 when the config set none, -1 when there is no record
 * (ctlaunch did not start the container, or its record is gone). */
int rt_meta_halt_signal(const char *run_dir, const char *name);
void rt_meta_remove(const char *run_dir, const char *name);
/* Names with a .meta file in run_dir (NULL-terminated, sorted). */
char **rt_meta_names(const char *run_dir);

/* A running container's init, held by a pidfd. */
struct ct_init {
	int pidfd;   /* -1 when not running */
	pid_t pid;   /* host pid of the container's init */
	bool orphan; /* running, but its liblxc monitor is gone (found through the cgroup) */
};

/* The init named by the record, without asking liblxc's monitor: a pidfd opened on the
 * recorded pid and then checked to be the process of the recorded start time (a recycled pid
 * fails the check). Returns 0 with ret->pidfd and *ret_halt (the recorded halt signal, 0 when
 * the config set none, -1 when the record has none), -1 when the record names no running
 * init (no record, no pid in it, the process gone or replaced): ask liblxc then. */
int rt_meta_init(const char *run_dir, const char *name, struct ct_init *ret, int *ret_halt);

/* <run_dir>/<name>.monitor: liblxc's monitor of a container whose init has ended (held by
 * pidfd), still cleaning up when a stop returns; best effort. */
void rt_monitor_record(const char *run_dir, const char *name, int pidfd);
/* Before a start of name: wait up to timeout_ms for the monitor recorded by a stop to exit,
 * then remove the record. True when it is gone (or none was recorded or it cannot be read),
 * false when it still runs after the timeout (the record stays). */
bool rt_monitor_wait(const char *run_dir, const char *name, int timeout_ms);

/* Find the init of name (c was made with the run directory as lxcpath): through liblxc's
 * monitor (c->init_pidfd) or, when the monitor is gone, through the cgroup lxc.payload.NAME.
 * ret->pidfd is -1 when nothing runs. */
int rt_find_init(struct lxc_container *c, const char *name, struct ct_init *ret,
		 struct ct_error **err);
/* Before a start, with the lock held and liblxc saying the container is not running: kill
 * and remove what a crashed run left (processes and cgroups). Returns the number of processes
 * killed (0 when nothing was left), < 0 on error. */
int rt_clean_stale(const char *run_dir, const char *name, struct ct_error **err);

/* Start time of pid in clock ticks after boot (field 22 of /proc/PID/stat): 0 or -1. */
int rt_start_ticks(pid_t pid, unsigned long long *ret);
/* Start time of pid as seconds since the epoch, -1 when unknown. */
int64_t rt_start_time(pid_t pid);
/* The first child of pid (the application under init.lxc), waiting up to timeout_ms for it to
 * appear; pid itself when it has none. */
pid_t rt_first_child(pid_t pid, int timeout_ms);

#endif
