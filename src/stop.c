/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
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
	static const char *const names[] = {"pending", "stopped", "killed", "stuck", "failed"};

	return (unsigned)r < CT_ARRAY_SIZE(names) ? names[r] : "?";
}

static void finish(struct stop_item *it, enum stop_result r, long long start, int epfd)
{
	it->result = r;
	it->elapsed_ms = (unsigned)(now_ms() - start);
	if (it->pidfd >= 0) {
		epoll_ctl(epfd, EPOLL_CTL_DEL, it->pidfd, NULL);
		close(it->pidfd);
		it->pidfd = -1;
	}
	if (it->cg) {
		cgroup_release(it->cg);
		free(it->cg);
		it->cg = NULL;
	}
}

/* SIGKILL to everything in the container: the cgroup (freeze, kill, thaw) and the init's
 * pidfd (the end of a pid namespace's init ends the namespace). */
static void kill_container(struct stop_item *it)
{
	if (it->cg)
		cgroup_kill_all(it->cg, FREEZE_TIMEOUT_MS, NULL);
	ct_pidfd_send_signal(it->pidfd, SIGKILL);
}

static int begin(struct stop_item *it, int epfd, size_t idx, unsigned timeout_ms)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = idx};
	struct ct_cgroup *cg = calloc(1, sizeof(*cg));

	if (!cg)
		return ct_error_set(&it->err, ENOMEM, "out of memory");
	/* The pidfd pins the process: the cgroup read below is that of our init (checked by
	 * looking at the pidfd again afterwards). */
	if (cgroup_of_pid(it->pid, cg, NULL) == 0 && !ct_pidfd_exited(it->pidfd))
		it->cg = cg;
	else
		free(cg);
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, it->pidfd, &ev) < 0)
		return ct_error_set(&it->err, errno, "stopping %s: epoll: %s", it->name,
				    strerror(errno));
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

int stop_run(struct stop_item *items, size_t n, unsigned timeout_ms, unsigned kill_ms,
	     struct ct_error **err)
{
	cleanup_close int epfd = epoll_create1(EPOLL_CLOEXEC);
	long long start = now_ms();
	size_t active = 0;

	if (epfd < 0)
		return ct_error_set(err, errno, "stopping: epoll_create1: %s", strerror(errno));
	for (size_t i = 0; i < n; i++) {
		struct stop_item *it = &items[i];

		if (it->pidfd < 0) {
			it->result = STOP_EXITED;
			continue;
		}
		if (begin(it, epfd, i, timeout_ms) < 0) {
			finish(it, STOP_FAILED, start, epfd);
			continue;
		}
		it->deadline_ms = now_ms() + (it->phase == PHASE_HALT ? timeout_ms : kill_ms);
		active++;
	}
	while (active > 0) {
		struct epoll_event evs[64];
		long long next = -1, now = now_ms();
		int nev, wait_ms;

		for (size_t i = 0; i < n; i++)
			if (items[i].result == STOP_PENDING && items[i].pidfd >= 0 &&
			    (next < 0 || items[i].deadline_ms < next))
				next = items[i].deadline_ms;
		wait_ms = next <= now ? 0 : (int)(next - now);
		nev = epoll_wait(epfd, evs, (int)CT_ARRAY_SIZE(evs), wait_ms);
		if (nev < 0 && errno != EINTR)
			return ct_error_set(err, errno, "stopping: epoll_wait: %s", strerror(errno));
		for (int e = 0; e < nev; e++) {
			struct stop_item *it = &items[evs[e].data.u64];

			if (it->result != STOP_PENDING)
				continue;
			finish(it, it->phase == PHASE_HALT ? STOP_EXITED : STOP_KILLED, start, epfd);
			active--;
		}
		now = now_ms();
		for (size_t i = 0; i < n; i++) {
			struct stop_item *it = &items[i];

			if (it->result != STOP_PENDING || it->pidfd < 0 || it->deadline_ms > now)
				continue;
			if (it->phase == PHASE_HALT) {
				kill_container(it);
				it->phase = PHASE_KILL;
				it->deadline_ms = now_ms() + kill_ms;
				continue;
			}
			finish(it, STOP_STUCK, start, epfd);
			active--;
		}
	}
	return 0;
}
