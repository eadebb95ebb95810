/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "cleanup.h"
#include "fileio.h"
#include "pidfd.h"
#include "runtime.h"

#define MAX_NAMES 4096

int rt_mkdir(const char *run_dir, struct ct_error **err)
{
	cleanup_free char *copy = strdup(run_dir);

	if (!copy)
		return ct_error_set(err, ENOMEM, "out of memory");
	for (char *p = copy + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;

		*p = '\0';
		if (mkdir(copy, 0755) < 0 && errno != EEXIST)
			return ct_error_set(err, errno, "creating the run directory %s: %s", copy,
					    strerror(errno));
		*p = saved;
		if (!saved)
			break;
	}
	return 0;
}

int rt_lock(const char *run_dir, const char *name, int *ret_fd, struct ct_error **err)
{
	cleanup_free char *path = NULL;
	cleanup_close int fd = -1;
	char pid[32];
	int rc;

	if (asprintf(&path, "%s/%s.lock", run_dir, name) < 0)
		return ct_error_set(err, ENOMEM, "out of memory");
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return ct_error_set(err, errno, "opening the lock %s: %s", path, strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		char holder[32] = "";
		ssize_t n = pread(fd, holder, sizeof(holder) - 1, 0);

		if (errno != EWOULDBLOCK)
			return ct_error_set(err, errno, "locking %s: %s", path, strerror(errno));
		holder[n > 0 ? n : 0] = '\0';
		holder[strcspn(holder, "\n")] = '\0';
		if (*holder)
			rc = ct_error_set(err, EBUSY,
					  "starting %s: another ctlaunch (pid %s) is starting or "
					  "running it",
					  name, holder);
		else
			rc = ct_error_set(err, EBUSY,
					  "starting %s: another ctlaunch is starting or running it",
					  name);
		return rc;
	}
	/* The holder's pid, for the message a second start prints (informative only). Written
	 * over the previous one, then cut to its length: never truncated to zero, which on ext4
	 * makes close() flush the file to disk (its replace-by-truncate heuristic). */
	snprintf(pid, sizeof(pid), "%d\n", getpid());
	if (pwrite(fd, pid, strlen(pid), 0) == (ssize_t)strlen(pid))
		(void)!ftruncate(fd, (off_t)strlen(pid));
	*ret_fd = steal_fd(&fd);
	return 0;
}

int rt_write_file(const char *path, const char *text, struct ct_error **err)
{
	return ct_write_file_volatile(path, text, strlen(text), 0644, err);
}

static char *record_path(const char *run_dir, const char *name, const char *ext)
{
	char *p;

	return asprintf(&p, "%s/%s.%s", run_dir, name, ext) < 0 ? NULL : p;
}

static char *meta_path(const char *run_dir, const char *name)
{
	return record_path(run_dir, name, "meta");
}

int rt_meta_write(const char *run_dir, const char *name, const char *config, int halt_signal,
		  const struct ct_init *init, struct ct_error **err)
{
	cleanup_free char *p = meta_path(run_dir, name), *text = NULL;
	unsigned long long ticks = 0;
	int rc;

	/* The start time is read while the pidfd pins the init, and kept only when the init is
	 * still there afterwards: the record never names a process that took over its pid. */
	if (init && init->pidfd >= 0 &&
	    (rt_start_ticks(init->pid, &ticks) < 0 || ct_pidfd_exited(init->pidfd)))
		init = NULL;
	if (init && init->pidfd >= 0)
		rc = asprintf(&text, "config=%s\nhalt=%d\npid=%d\nstart=%llu\n", config,
			      halt_signal, init->pid, ticks);
	else
		rc = asprintf(&text, "config=%s\nhalt=%d\n", config, halt_signal);
	if (!p || rc < 0)
		return ct_error_set(err, ENOMEM, "out of memory");
	return rt_write_file(p, text, err);
}

/* The value of "key=" in the record text buf (lines end in '\n'), NULL when absent. */
static const char *record_value(const char *buf, const char *key, size_t *ret_len)
{
	size_t klen = strlen(key);

	for (const char *line = buf; line && *line;) {
		const char *end = strchrnul(line, '\n');

		if (strncmp(line, key, klen) == 0 && line[klen] == '=') {
			*ret_len = (size_t)(end - line) - klen - 1;
			return line + klen + 1;
		}
		line = *end ? end + 1 : NULL;
	}
	return NULL;
}

static char *read_meta(const char *run_dir, const char *name)
{
	cleanup_free char *p = meta_path(run_dir, name);
	char *buf = NULL;
	size_t len;

	if (!p || ct_read_file(p, 16384, &buf, &len, NULL) < 0)
		return NULL;
	return buf;
}

/* The value of "key=" in the meta file, NULL when absent. */
static char *meta_get(const char *run_dir, const char *name, const char *key)
{
	cleanup_free char *buf = read_meta(run_dir, name);
	const char *v;
	size_t len;

	v = buf ? record_value(buf, key, &len) : NULL;
	return v ? strndup(v, len) : NULL;
}

/* A number in the record, -1 when absent or not a number. */
static long long record_number(const char *buf, const char *key)
{
	const char *v = record_value(buf, key, &(size_t){ 0 });
	char *end;
	long long n;

	if (!v)
		return -1;
	errno = 0;
	n = strtoll(v, &end, 10);
	return errno || end == v || (*end && *end != '\n') || n < 0 ? -1 : n;
}

/* A pidfd of the process the record buf names by "pid=" and "start=", checked to be that
 * process (a recycled pid fails the check); -1 when there is none or it has exited. */
static int record_process(const char *buf, pid_t *ret_pid)
{
	long long pid = record_number(buf, "pid"), start = record_number(buf, "start");
	unsigned long long ticks;
	cleanup_close int fd = -1;

	if (pid <= 0 || pid > INT32_MAX || start < 0)
		return -1;
	fd = ct_pidfd_open((pid_t)pid, 0);
	if (fd < 0)
		return -1;
	/* The pidfd was opened before the start time was read, and its process is still there
	 * after: the start time read is that of the pidfd's process. */
	if (rt_start_ticks((pid_t)pid, &ticks) < 0 || ticks != (unsigned long long)start ||
	    ct_pidfd_exited(fd))
		return -1;
	*ret_pid = (pid_t)pid;
	return steal_fd(&fd);
}

int rt_meta_init(const char *run_dir, const char *name, struct ct_init *ret, int *ret_halt)
{
	cleanup_free char *buf = read_meta(run_dir, name);
	pid_t pid = 0;

	ret->pidfd = -1;
	ret->pid = 0;
	ret->orphan = false;
	if (!buf)
		return -1;
	ret->pidfd = record_process(buf, &pid);
	if (ret->pidfd < 0)
		return -1;
	*ret_halt = (int)record_number(buf, "halt");
	ret->pid = pid;
	return 0;
}

void rt_monitor_record(const char *run_dir, const char *name, int pidfd)
{
	cleanup_free char *p = record_path(run_dir, name, "monitor"), *text = NULL;
	unsigned long long ticks;
	pid_t pid = pidfd >= 0 ? ct_pidfd_pid(pidfd) : 0;

	if (!p || pid <= 0 || rt_start_ticks(pid, &ticks) < 0 || ct_pidfd_exited(pidfd) ||
	    asprintf(&text, "pid=%d\nstart=%llu\n", pid, ticks) < 0)
		return;
	rt_write_file(p, text, NULL);
}

bool rt_monitor_wait(const char *run_dir, const char *name, int timeout_ms)
{
	cleanup_free char *p = record_path(run_dir, name, "monitor"), *buf = NULL;
	cleanup_close int fd = -1;
	pid_t pid;
	size_t len;

	if (!p || ct_read_file(p, 4096, &buf, &len, NULL) < 0)
		return true;
	fd = record_process(buf, &pid);
	if (fd >= 0 && ct_pidfd_wait(fd, timeout_ms) != 1)
		return false;
	unlink(p);
	return true;
}

char *rt_meta_config(const char *run_dir, const char *name)
{
	return meta_get(run_dir, name, "config");
}

int rt_meta_halt_signal(const char *run_dir, const char *name)
{
	cleanup_free char *v = meta_get(run_dir, name, "halt");

	return v ? atoi(v) : -1;
}

void rt_meta_remove(const char *run_dir, const char *name)
{
	cleanup_free char *p = meta_path(run_dir, name);

	if (p)
		unlink(p);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **rt_meta_names(const char *run_dir)
{
	cleanup_closedir DIR *d = opendir(run_dir);
	char **v = calloc(1, sizeof(char *));
	size_t n = 0;
	struct dirent *de;

	if (!v || !d)
		return v;
	while ((de = readdir(d)) && n < MAX_NAMES) {
		size_t len = strlen(de->d_name);
		char **nv;

		if (len <= 5 || strcmp(de->d_name + len - 5, ".meta") != 0)
			continue;
		nv = realloc(v, (n + 2) * sizeof(char *));
		if (!nv)
			break;
		v = nv;
		v[n] = strndup(de->d_name, len - 5);
		if (!v[n])
			break;
		v[++n] = NULL;
	}
	qsort(v, n, sizeof(char *), cmp_str);
	return v;
}

/* Last NSpid field of pid: its pid in its own namespace (1 for a container's init). */
static long ns_pid(pid_t pid, int *ret_levels)
{
	cleanup_fclose FILE *f = NULL;
	char path[64], line[512];

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *p = line + 6, *end;
		long last = -1;
		int levels = 0;

		if (strncmp(line, "NSpid:", 6) != 0)
			continue;
		for (;;) {
			long v = strtol(p, &end, 10);

			if (end == p)
				break;
			last = v;
			levels++;
			p = end;
		}
		*ret_levels = levels;
		return last;
	}
	return -1;
}

static int orphan_init(const char *name, struct ct_init *ret, struct ct_error **err)
{
	cleanup_cgroup struct ct_cgroup cg = { 0 };
	cleanup_free pid_t *pids = NULL;
	cleanup_free char *rel = NULL;
	size_t n = 0;

	if (asprintf(&rel, "/lxc.payload.%s", name) < 0)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (cgroup_by_path(rel, &cg, err) < 0 || cgroup_pids(&cg, &pids, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int levels = 0, fd;

		if (ns_pid(pids[i], &levels) != 1 || levels < 2)
			continue;
		fd = ct_pidfd_open(pids[i], 0);
		if (fd < 0)
			continue;
		/* Still the same process: a recycled pid would not be pid 1 of a namespace. */
		if (ns_pid(pids[i], &levels) != 1 || ct_pidfd_exited(fd)) {
			close(fd);
			continue;
		}
		ret->pidfd = fd;
		ret->pid = pids[i];
		ret->orphan = true;
		return 0;
	}
	return 0;
}

int rt_find_init(struct lxc_container *c, const char *name, struct ct_init *ret,
		 struct ct_error **err)
{
	pid_t pid;
	int fd;

	ret->pidfd = -1;
	ret->pid = 0;
	ret->orphan = false;
	if (!c->is_running(c))
		return orphan_init(name, ret, err);
	fd = c->init_pidfd(c);
	if (fd >= 0) {
		/* An init that has exited (a zombie not yet reaped by the monitor still has its
		 * pid) does not run: the monitor may still be cleaning up. */
		pid = ct_pidfd_exited(fd) ? 0 : ct_pidfd_pid(fd);
		if (pid > 0) {
			ret->pidfd = fd;
			ret->pid = pid;
			return 0;
		}
		close(fd);
		if (pid == 0)
			return 0; /* exited meanwhile */
	}
	/* Older monitors: pid, then pidfd, then check the monitor still reports that pid. */
	pid = c->init_pid(c);
	if (pid <= 0)
		return 0;
	fd = ct_pidfd_open(pid, 0);
	if (fd < 0)
		return errno == ESRCH ? 0
				      : ct_error_set(err, errno, "opening a pidfd for %d: %s", pid,
						     strerror(errno));
	if (c->init_pid(c) != pid || ct_pidfd_exited(fd)) {
		close(fd);
		return 0;
	}
	ret->pidfd = fd;
	ret->pid = pid;
	return 0;
}

int rt_clean_stale(const char *run_dir, const char *name, struct ct_error **err)
{
	static const char *const kinds[] = { "payload", "monitor" };
	int killed = 0;

	for (size_t k = 0; k < CT_ARRAY_SIZE(kinds); k++) {
		cleanup_cgroup struct ct_cgroup cg = { 0 };
		cleanup_free pid_t *pids = NULL;
		cleanup_free char *rel = NULL;
		size_t n = 0;

		if (asprintf(&rel, "/lxc.%s.%s", kinds[k], name) < 0)
			return ct_error_set(err, ENOMEM, "out of memory");
		if (cgroup_by_path(rel, &cg, err) < 0)
			return -1;
		if (cgroup_empty(&cg))
			continue;
		if (cgroup_pids(&cg, &pids, &n, err) < 0)
			return -1;
		if (n) {
			if (cgroup_kill_all(&cg, 1000, err) < 0)
				return -1;
			killed += (int)n;
			for (int i = 0; i < 200; i++) { /* up to 2 s for them to die */
				free(pids);
				pids = NULL;
				if (cgroup_pids(&cg, &pids, &n, err) < 0)
					return -1;
				if (!n)
					break;
				usleep(10000);
			}
			if (n)
				return ct_error_set(err, EBUSY,
						    "cleaning up after a previous run of %s: %zu "
						    "processes in %s survive SIGKILL",
						    name, n, rel);
		}
		if (cgroup_remove_everywhere(rel, err) < 0)
			return -1;
	}
	rt_meta_remove(run_dir, name);
	return killed;
}

int rt_start_ticks(pid_t pid, unsigned long long *ret)
{
	char buf[1024], *p;

	if (ct_proc_read(pid, "stat", buf, sizeof(buf)) < 0)
		return -1;
	p = strrchr(buf, ')'); /* comm may hold spaces and parentheses */
	if (!p || sscanf(p + 1,
			 " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d "
			 "%*d %*d %*d %llu",
			 ret) != 1)
		return -1;
	return 0;
}

int64_t rt_start_time(pid_t pid)
{
	cleanup_fclose FILE *f = NULL;
	unsigned long long start = 0;
	long long btime = -1;
	char line[256];

	if (rt_start_ticks(pid, &start) < 0)
		return -1;
	f = fopen("/proc/stat", "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "btime %lld", &btime) == 1)
			break;
	if (btime < 0)
		return -1;
	return btime + (int64_t)(start / (unsigned long long)sysconf(_SC_CLK_TCK));
}

pid_t rt_first_child(pid_t pid, int timeout_ms)
{
	char path[96];

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", pid, pid);
	for (int waited = 0; waited <= timeout_ms; waited += 5) {
		cleanup_fclose FILE *f = fopen(path, "re");
		long child;

		if (!f)
			return pid;
		if (fscanf(f, "%ld", &child) == 1 && child > 0)
			return (pid_t)child;
		usleep(5000);
	}
	return pid;
}
