/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "cleanup.h"
#include "pidfd.h"
#include "stop.h"

enum { PHASE_HALT = 1, PHASE_KILL };

#define FREEZE_TIMEOUT_MS 200

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const char *stop_result_name(enum stop_result r)
{
	static const char *const names[] = { "pending", "stopped", "killed", "stuck", "failed" };

	return (unsigned)r < CT_ARRAY_SIZE(names) ? names[r] : "?";
}

static void release(struct stop_item *it)
{
	if (it->pidfd >= 0) {
		close(it->pidfd);
		it->pidfd = -1;
	}
	if (it->cg) {
		cgroup_release(it->cg);
		free(it->cg);
		it->cg = NULL;
	}
}

static void finish(struct stop_item *it, enum stop_result r)
{
	it->result = r;
	it->elapsed_ms = (unsigned)(now_ms() - it->start_ms);
	release(it);
}

void stop_abandon(struct stop_item *it)
{
	release(it);
}

/* The container's cgroup, looked up when a kill needs it, not before the halt signals: with
 * many stops at once the look-ups would otherwise sit between the signals, while the containers
 * signalled first compete for the CPU. The pidfd pins the process: the cgroup read is that of
 * our init when the pidfd still shows it running afterwards. */
static void find_cgroup(struct stop_item *it)
{
	struct ct_cgroup *cg;

	if (it->cg || ct_pidfd_exited(it->pidfd))
		return;
	cg = calloc(1, sizeof(*cg));
	if (!cg)
		return; /* the init's pidfd still gets SIGKILL */
	if (cgroup_of_pid(it->pid, cg, NULL) == 0 && !ct_pidfd_exited(it->pidfd))
		it->cg = cg;
	else
		free(cg);
}

/* SIGKILL to everything in the container: the cgroup (freeze, kill, thaw) and the init's
 * pidfd (the end of a pid namespace's init ends the namespace). */
static void kill_container(struct stop_item *it)
{
	find_cgroup(it);
	if (it->cg)
		cgroup_kill_all(it->cg, FREEZE_TIMEOUT_MS, NULL);
	ct_pidfd_send_signal(it->pidfd, SIGKILL);
}

static int signal_first(struct stop_item *it, unsigned timeout_ms)
{
	if (timeout_ms == 0) {
		kill_container(it);
		it->phase = PHASE_KILL;
		return 0;
	}
	if (ct_pidfd_send_signal(it->pidfd, it->halt_signal) < 0 && errno != ESRCH)
		return ct_error_set(&it->err, errno, "stopping %s: sending %s to pid %d: %s",
				    it->name, ct_signal_name(it->halt_signal), it->pid,
				    strerror(errno));
	it->phase = PHASE_HALT;
	return 0;
}

int stop_begin(struct stop_item *it, unsigned timeout_ms, unsigned kill_ms)
{
	int rc;

	it->start_ms = now_ms();
	it->kill_ms = kill_ms;
	it->result = STOP_PENDING;
	if (it->pidfd < 0) {
		finish(it, STOP_EXITED);
		return 0;
	}
	rc = signal_first(it, timeout_ms);
	if (rc < 0) {
		finish(it, STOP_FAILED);
		return rc;
	}
	it->deadline_ms = now_ms() + (it->phase == PHASE_HALT ? timeout_ms : kill_ms);
	return 0;
}

int stop_wait_ms(const struct stop_item *it)
{
	long long left;

	if (it->result != STOP_PENDING || it->pidfd < 0)
		return -1;
	left = it->deadline_ms - now_ms();
	return left <= 0 ? 0 : left > INT_MAX ? INT_MAX : (int)left;
}

enum stop_result stop_step(struct stop_item *it)
{
	if (it->result != STOP_PENDING || it->pidfd < 0)
		return it->result;
	if (ct_pidfd_exited(it->pidfd)) {
		finish(it, it->phase == PHASE_HALT ? STOP_EXITED : STOP_KILLED);
		return it->result;
	}
	if (now_ms() < it->deadline_ms)
		return STOP_PENDING;
	if (it->phase == PHASE_HALT) {
		kill_container(it);
		it->phase = PHASE_KILL;
		it->deadline_ms = now_ms() + it->kill_ms;
		return STOP_PENDING;
	}
	finish(it, STOP_STUCK);
	return STOP_STUCK;
}

int stop_run(struct stop_item *items, size_t n, unsigned timeout_ms, unsigned kill_ms,
	     struct ct_error **err)
{
	cleanup_close int epfd = epoll_create1(EPOLL_CLOEXEC);
	size_t active = 0;

	if (epfd < 0)
		return ct_error_set(err, errno, "stopping: epoll_create1: %s", strerror(errno));
	for (size_t i = 0; i < n; i++) {
		struct stop_item *it = &items[i];
		struct epoll_event ev = { .events = EPOLLIN, .data.u64 = i };

		if (stop_begin(it, timeout_ms, kill_ms) < 0 || it->result != STOP_PENDING)
			continue;
		if (epoll_ctl(epfd, EPOLL_CTL_ADD, it->pidfd, &ev) < 0) {
			ct_error_set(&it->err, errno, "stopping %s: epoll: %s", it->name,
				     strerror(errno));
			finish(it, STOP_FAILED);
			continue;
		}
		active++;
	}
	while (active > 0) {
		struct epoll_event evs[64];
		int nev, wait_ms = -1;

		for (size_t i = 0; i < n; i++) {
			int w = stop_wait_ms(&items[i]);

			if (w >= 0 && (wait_ms < 0 || w < wait_ms))
				wait_ms = w;
		}
		nev = epoll_wait(epfd, evs, (int)CT_ARRAY_SIZE(evs), wait_ms);
		if (nev < 0 && errno != EINTR)
			return ct_error_set(err, errno, "stopping: epoll_wait: %s",
					    strerror(errno));
		/* Closing a finished item's pidfd takes it out of the epoll set. */
		for (size_t i = 0; i < n; i++)
			if (items[i].result == STOP_PENDING && stop_step(&items[i]) != STOP_PENDING)
				active--;
	}
	return 0;
}
