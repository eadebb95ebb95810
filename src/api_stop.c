/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libctlaunch's stops: ctl_stop_begin/ctl_stop_step/ctl_stop for one container and
 * api_stop_many for several at once. A stop is over once the container's init has ended: with
 * the container's own pid namespace the kernel has then killed and reaped every other process
 * in it (the init's pidfd turns readable only after that). liblxc's monitor may still be
 * cleaning up (cgroups, hooks): it is recorded in the run directory, and the next start of the
 * name waits for it (rt_monitor_wait), so a stop does not wait for it. */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api.h"
#include "api_internal.h"
#include "cleanup.h"
#include "pidfd.h"
#include "runtime.h"
#include "stop.h"

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void drop_monitor(struct ctl_container *c)
{
	if (c->monitor_fd >= 0)
		close(c->monitor_fd);
	c->monitor_fd = -1;
}

/* Find the init, its halt signal and its parent (liblxc's monitor), held in c, nothing sent
 * yet. -ESRCH when it does not run. */
static int prepare_stop(struct ctl_container *c, struct ct_error **err)
{
	struct ct_init init;
	int halt = SIGTERM;

	if (c->stopping)
		return ct_error_set(err, EALREADY, "stopping %s: a stop is in progress", c->t.name);
	if (api_find_init(c, "stopping", &init, &halt, err) < 0)
		return -1;
	if (init.pidfd < 0)
		return ct_error_set(err, ESRCH, "stopping %s: not running", c->t.name);
	stop_abandon(&c->stop);
	ct_error_free(c->stop.err);
	c->stop = (struct stop_item){
		.name = c->t.name, .pidfd = init.pidfd, .pid = init.pid, .halt_signal = halt
	};
	drop_monitor(c);
	c->monitor_fd = ct_pidfd_parent(init.pid, init.pidfd);
	return 0;
}

/* Send the halt signal (SIGKILL for timeout 0) to a prepared stop: its pidfd, or < 0. */
static int signal_stop(struct ctl_container *c, unsigned timeout_ms, unsigned kill_ms,
		       struct ct_error **err)
{
	int rc;

	c->stop_signal = timeout_ms ? c->stop.halt_signal : SIGKILL;
	rc = stop_begin(&c->stop, timeout_ms, kill_ms);
	if (rc < 0) {
		drop_monitor(c);
		if (err && !*err)
			*err = steal_pointer(&c->stop.err);
		return rc;
	}
	c->stopping = c->stop.result == STOP_PENDING;
	if (c->stopping)
		return c->stop.pidfd;
	drop_monitor(c);
	return ct_error_set(err, ESRCH, "stopping %s: not running", c->t.name);
}

static int begin_stop(struct ctl_container *c, unsigned timeout_ms, unsigned kill_ms,
		      struct ct_error **err)
{
	int rc = prepare_stop(c, err);

	return rc < 0 ? rc : signal_stop(c, timeout_ms, kill_ms, err);
}

int ctl_stop_begin(struct ctl_container *c, unsigned timeout_ms, unsigned kill_after_ms,
		   struct ctl_error **err)
{
	struct ct_error *e = NULL;

	return api_give(err, &e, begin_stop(c, timeout_ms, kill_after_ms, &e));
}

int ctl_stop_timeout(const struct ctl_container *c)
{
	return c->stopping ? stop_wait_ms(&c->stop) : -1;
}

/* The init has ended (stop over, r). When it exited or was killed, the record of the start
 * goes; liblxc's monitor, when still cleaning up, is recorded for the next start to wait on. */
static void end_stop(struct ctl_container *c, enum stop_result r)
{
	const char *run_dir = c->ctx->settings->run_dir;

	c->stopping = false;
	if (r == STOP_EXITED || r == STOP_KILLED) {
		if (c->monitor_fd >= 0 && !ct_pidfd_exited(c->monitor_fd))
			rt_monitor_record(run_dir, c->t.name, c->monitor_fd);
		rt_meta_remove(run_dir, c->t.name);
		c->pid = 0;
	}
	drop_monitor(c);
}

static enum ctl_stop_result public_result(enum stop_result r)
{
	static const enum ctl_stop_result results[] = {
		[STOP_PENDING] = CTL_STOP_PENDING, [STOP_EXITED] = CTL_STOP_EXITED,
		[STOP_KILLED] = CTL_STOP_KILLED,   [STOP_STUCK] = CTL_STOP_STUCK,
		[STOP_FAILED] = CTL_STOP_STUCK,
	};

	return (unsigned)r < CT_ARRAY_SIZE(results) ? results[r] : CTL_STOP_STUCK;
}

static int step_stop(struct ctl_container *c, enum ctl_stop_result *ret, struct ct_error **err)
{
	enum stop_result r;

	if (!c->stopping)
		return ct_error_set(err, EINVAL, "stopping %s: no stop was begun", c->t.name);
	r = stop_step(&c->stop);
	if (ret)
		*ret = public_result(r);
	if (r != STOP_PENDING)
		end_stop(c, r);
	return 0;
}

int ctl_stop_step(struct ctl_container *c, enum ctl_stop_result *ret, struct ctl_error **err)
{
	struct ct_error *e = NULL;

	return api_give(err, &e, step_stop(c, ret, &e));
}

int ctl_stop(struct ctl_container *c, unsigned timeout_ms, unsigned kill_after_ms,
	     enum ctl_stop_result *ret, struct ctl_error **err)
{
	enum ctl_stop_result r = CTL_STOP_PENDING;
	struct ct_error *e = NULL;
	int fd = begin_stop(c, timeout_ms, kill_after_ms, &e);

	if (fd == -ESRCH) {
		ct_error_free(e);
		if (ret)
			*ret = CTL_STOP_EXITED;
		return 0;
	}
	if (fd < 0)
		return api_give(err, &e, fd);
	while (r == CTL_STOP_PENDING) {
		ct_pidfd_wait(fd, ctl_stop_timeout(c));
		if (step_stop(c, &r, &e) < 0)
			return api_give(err, &e, -EINVAL);
	}
	if (ret)
		*ret = r;
	return 0;
}

/* ---- Several stops at once ---- */

/* One poll set over the inits still running (*ret_k entries); the time to the earliest
 * deadline. Returns the number of stops still going. */
static size_t many_fds(struct ctl_container *const *v, size_t n, struct pollfd *p, nfds_t *ret_k,
		       int *ret_wait)
{
	size_t active = 0;

	*ret_k = 0;
	*ret_wait = -1;
	for (size_t i = 0; i < n; i++) {
		int w;

		if (!v[i]->stopping)
			continue;
		active++;
		w = stop_wait_ms(&v[i]->stop);
		if (v[i]->stop.pidfd >= 0)
			p[(*ret_k)++] = (struct pollfd){ .fd = v[i]->stop.pidfd, .events = POLLIN };
		if (w >= 0 && (*ret_wait < 0 || w < *ret_wait))
			*ret_wait = w;
	}
	return active;
}

static void many_begin(struct ctl_container *const *v, size_t n, unsigned timeout_ms,
		       unsigned kill_ms, struct api_stop_out *out)
{
	for (size_t i = 0; i < n; i++) {
		struct ct_error *e = NULL;
		int rc = prepare_stop(v[i], &e);

		out[i] = (struct api_stop_out){ .result = CTL_STOP_EXITED,
						.running = rc != -ESRCH };
		if (rc < 0 && rc != -ESRCH)
			api_give(&out[i].err, &e, rc);
		ct_error_free(e);
	}
	/* Every init found (and pinned) before the first signal: the monitors of the containers
	 * signalled first do not compete with the look-ups of the others. */
	for (size_t i = 0; i < n; i++) {
		struct ct_error *e = NULL;
		int rc;

		if (!out[i].running || out[i].err) /* prepare_stop failed */
			continue;
		rc = signal_stop(v[i], timeout_ms, kill_ms, &e);
		out[i].result = rc < 0 ? CTL_STOP_EXITED : CTL_STOP_PENDING;
		if (rc < 0)
			out[i].running = rc != -ESRCH;
		if (rc < 0 && rc != -ESRCH)
			api_give(&out[i].err, &e, rc);
		ct_error_free(e);
	}
}

int api_stop_many(struct ctl_container *const *v, size_t n, unsigned timeout_ms,
		  unsigned kill_after_ms, struct api_stop_out *out, struct ct_error **err)
{
	cleanup_free struct pollfd *p = calloc(n + 1, sizeof(*p));

	if (!p)
		return ct_error_set(err, ENOMEM, "out of memory");
	many_begin(v, n, timeout_ms, kill_after_ms, out);
	for (;;) {
		int wait_ms;
		nfds_t k;

		if (!many_fds(v, n, p, &k, &wait_ms))
			return 0;
		if (poll(p, k, wait_ms) < 0 && errno != EINTR)
			return ct_error_set(err, errno, "stopping: poll: %s", strerror(errno));
		for (size_t i = 0; i < n; i++) {
			enum stop_result r;

			if (!v[i]->stopping)
				continue;
			r = stop_step(&v[i]->stop);
			out[i].result = public_result(r);
			if (r != STOP_PENDING)
				end_stop(v[i], r);
		}
	}
}

const char *ctl_stop_result_name(enum ctl_stop_result r)
{
	static const char *const names[] = { "pending", "stopped", "killed", "stuck" };

	return (unsigned)r < CT_ARRAY_SIZE(names) ? names[r] : "?";
}

int ctl_stop_signal(const struct ctl_container *c)
{
	return c->stop_signal;
}

unsigned ctl_stop_elapsed_ms(const struct ctl_container *c)
{
	if (c->stopping)
		return (unsigned)(now_ms() - c->stop.start_ms);
	return c->stop.elapsed_ms;
}
