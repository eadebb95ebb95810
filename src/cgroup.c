/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "cleanup.h"
#include "pidfd.h"

#define MAX_PIDS 65536
#define MAX_DEPTH 16

enum { H_V2, H_FREEZER, H_MEMORY, H_CPUACCT, H_PIDS, H_COUNT };
static const char *const v1_names[H_COUNT] = { NULL, "freezer", "memory", "cpuacct", "pids" };

static char **slot(struct ct_cgroup *cg, int h)
{
	switch (h) {
	case H_V2:
		return &cg->v2;
	case H_FREEZER:
		return &cg->freezer;
	case H_MEMORY:
		return &cg->memory;
	case H_CPUACCT:
		return &cg->cpuacct;
	default:
		return &cg->pids;
	}
}

/* Does the comma-separated list have word? */
static bool has_word(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; p && *p;) {
		const char *c = strchr(p, ',');
		size_t len = c ? (size_t)(c - p) : strlen(p);

		if (len == n && strncmp(p, word, n) == 0)
			return true;
		p = c ? c + 1 : NULL;
	}
	return false;
}

/* Mount points of the hierarchies, from /proc/self/mountinfo. */
static void find_mounts(char *mnt[H_COUNT])
{
	cleanup_fclose FILE *f = fopen("/proc/self/mountinfo", "re");
	cleanup_free char *line = NULL;
	size_t cap = 0;

	if (!f)
		return;
	while (getline(&line, &cap, f) > 0) {
		char mp[4096], fstype[64], super[1024];
		char *sep = strstr(line, " - ");

		if (!sep || sscanf(line, "%*s %*s %*s %*s %4095s", mp) != 1 ||
		    sscanf(sep + 3, "%63s %*s %1023s", fstype, super) != 2)
			continue;
		if (strcmp(fstype, "cgroup2") == 0 && !mnt[H_V2]) {
			mnt[H_V2] = strdup(mp);
			continue;
		}
		if (strcmp(fstype, "cgroup") != 0)
			continue;
		for (int h = H_FREEZER; h < H_COUNT; h++)
			if (!mnt[h] && has_word(super, v1_names[h]))
				mnt[h] = strdup(mp);
	}
}

static void free_mounts(char *mnt[H_COUNT])
{
	for (int h = 0; h < H_COUNT; h++)
		free(mnt[h]);
}

static bool is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int set_dir(struct ct_cgroup *cg, int h, const char *mnt, const char *rel,
		   struct ct_error **err)
{
	char *d;

	if (!mnt || !rel)
		return 0;
	if (asprintf(&d, "%s%s", mnt, strcmp(rel, "/") == 0 ? "" : rel) < 0)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (!is_dir(d)) {
		free(d);
		return 0;
	}
	free(*slot(cg, h));
	*slot(cg, h) = d;
	return 0;
}

int cgroup_by_path(const char *rel, struct ct_cgroup *ret, struct ct_error **err)
{
	char *mnt[H_COUNT] = { 0 };
	struct ct_cgroup cg = { 0 };
	int rc = 0;

	find_mounts(mnt);
	for (int h = 0; h < H_COUNT && rc == 0; h++)
		rc = set_dir(&cg, h, mnt[h], rel, err);
	free_mounts(mnt);
	if (rc < 0) {
		cgroup_release(&cg);
		return rc;
	}
	*ret = cg;
	return 0;
}

int cgroup_of_pid(pid_t pid, struct ct_cgroup *ret, struct ct_error **err)
{
	char *mnt[H_COUNT] = { 0 };
	struct ct_cgroup cg = { 0 };
	cleanup_fclose FILE *f = NULL;
	cleanup_free char *line = NULL;
	char path[64];
	size_t cap = 0;
	int rc = 0;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", pid);
	f = fopen(path, "re");
	if (!f)
		return ct_error_set(err, errno, "reading the cgroups of pid %d: %s", pid,
				    strerror(errno));
	find_mounts(mnt);
	while (rc == 0 && getline(&line, &cap, f) > 0) {
		char *ctrl = strchr(line, ':'), *rel;

		if (!ctrl || !(rel = strchr(ctrl + 1, ':')))
			continue;
		*rel++ = '\0';
		ctrl++;
		rel[strcspn(rel, "\n")] = '\0';
		if (strcmp(line, "0") == 0 && !*ctrl) {
			rc = set_dir(&cg, H_V2, mnt[H_V2], rel, err);
			continue;
		}
		for (int h = H_FREEZER; h < H_COUNT && rc == 0; h++)
			if (has_word(ctrl, v1_names[h]))
				rc = set_dir(&cg, h, mnt[h], rel, err);
	}
	free_mounts(mnt);
	if (rc < 0) {
		cgroup_release(&cg);
		return rc;
	}
	*ret = cg;
	return 0;
}

bool cgroup_empty(const struct ct_cgroup *cg)
{
	return !cg->v2 && !cg->freezer && !cg->memory && !cg->cpuacct && !cg->pids;
}

void cgroup_release(struct ct_cgroup *cg)
{
	for (int h = 0; h < H_COUNT; h++) {
		free(*slot(cg, h));
		*slot(cg, h) = NULL;
	}
}

/* The directory to enumerate processes from: any that lists all of them. */
static const char *procs_dir(const struct ct_cgroup *cg)
{
	if (cg->freezer)
		return cg->freezer;
	if (cg->pids)
		return cg->pids;
	if (cg->v2)
		return cg->v2;
	return cg->memory ? cg->memory : cg->cpuacct;
}

/* A sub-cgroup: any directory but "." and ".." (liblxc's own is ".lxc"). */
static bool is_child_cgroup(const struct dirent *de)
{
	return de->d_type == DT_DIR && strcmp(de->d_name, ".") != 0 &&
	       strcmp(de->d_name, "..") != 0;
}

static int collect(const char *dir, unsigned depth, pid_t **v, size_t *n, size_t *cap)
{
	cleanup_free char *file = NULL;
	cleanup_fclose FILE *f = NULL;
	cleanup_closedir DIR *d = NULL;
	struct dirent *de;
	long pid;

	if (depth > MAX_DEPTH)
		return -ELOOP;
	if (asprintf(&file, "%s/cgroup.procs", dir) < 0)
		return -ENOMEM;
	f = fopen(file, "re");
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	while (fscanf(f, "%ld", &pid) == 1) {
		if (*n >= MAX_PIDS)
			return -E2BIG;
		if (*n == *cap) {
			size_t ncap = *cap ? *cap * 2 : 16;
			pid_t *nv = realloc(*v, ncap * sizeof(pid_t));

			if (!nv)
				return -ENOMEM;
			*v = nv;
			*cap = ncap;
		}
		(*v)[(*n)++] = (pid_t)pid;
	}
	d = opendir(dir);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		cleanup_free char *sub = NULL;
		int rc;

		if (!is_child_cgroup(de))
			continue;
		if (asprintf(&sub, "%s/%s", dir, de->d_name) < 0)
			return -ENOMEM;
		rc = collect(sub, depth + 1, v, n, cap);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int cgroup_pids(const struct ct_cgroup *cg, pid_t **ret, size_t *ret_n, struct ct_error **err)
{
	const char *dir = procs_dir(cg);
	pid_t *v = NULL;
	size_t n = 0, cap = 0;
	int rc;

	*ret = NULL;
	*ret_n = 0;
	if (!dir)
		return 0;
	rc = collect(dir, 0, &v, &n, &cap);
	if (rc < 0) {
		free(v);
		return ct_error_set(err, -rc, "listing the processes of %s: %s", dir,
				    strerror(-rc));
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

static int write_file(const char *dir, const char *file, const char *val)
{
	cleanup_free char *p = NULL;
	cleanup_close int fd = -1;
	ssize_t len = (ssize_t)strlen(val);

	if (asprintf(&p, "%s/%s", dir, file) < 0)
		return -ENOMEM;
	fd = open(p, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, val, (size_t)len) != len)
		return -errno;
	return 0;
}

static int read_line(const char *dir, const char *file, char *buf, size_t size)
{
	cleanup_free char *p = NULL;
	cleanup_fclose FILE *f = NULL;

	if (asprintf(&p, "%s/%s", dir, file) < 0)
		return -ENOMEM;
	f = fopen(p, "re");
	if (!f)
		return -errno;
	if (!fgets(buf, (int)size, f))
		return -EIO;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

int cgroup_freeze(const struct ct_cgroup *cg, bool freeze, struct ct_error **err)
{
	int rc;

	if (cg->freezer)
		rc = write_file(cg->freezer, "freezer.state", freeze ? "FROZEN" : "THAWED");
	else if (cg->v2)
		rc = write_file(cg->v2, "cgroup.freeze", freeze ? "1" : "0");
	else
		rc = -ENOTSUP;
	if (rc < 0)
		return ct_error_set(err, -rc, "%s the container's cgroup: %s",
				    freeze ? "freezing" : "thawing", strerror(-rc));
	return 0;
}

/* Freeze the v1 freezer and wait (bounded) until the kernel says FROZEN; when it does not get
 * there in time, the kill goes ahead anyway (a process may escape by forking: bounded retry by
 * the caller's kill timeout). */
static bool freeze_v1(const char *dir, int timeout_ms)
{
	char state[32];

	if (write_file(dir, "freezer.state", "FROZEN") < 0)
		return false;
	for (int waited = 0; waited <= timeout_ms; waited += 2) {
		if (read_line(dir, "freezer.state", state, sizeof(state)) == 0 &&
		    strcmp(state, "FROZEN") == 0)
			return true;
		sleep_ms(2);
	}
	return false;
}

/* Is pid still a member of dir (or a cgroup below it)? dir is an absolute path under a
 * cgroup mount; compare with the relative path the kernel shows. */
static bool pid_in_cgroup(pid_t pid, const char *rel_suffix)
{
	cleanup_fclose FILE *f = NULL;
	char path[64], line[4096];

	snprintf(path, sizeof(path), "/proc/%d/cgroup", pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, rel_suffix))
			return true;
	return false;
}

/* SIGKILL each process through a pidfd, checking membership after opening it. */
static int kill_each(const struct ct_cgroup *cg, struct ct_error **err)
{
	cleanup_free pid_t *pids = NULL;
	const char *dir = procs_dir(cg), *base;
	size_t n = 0;
	int rc = cgroup_pids(cg, &pids, &n, err);

	if (rc < 0)
		return rc;
	base = strrchr(dir, '/');
	base = base ? base : dir;
	for (size_t i = 0; i < n; i++) {
		cleanup_close int fd = ct_pidfd_open(pids[i], 0);

		if (fd < 0 || !pid_in_cgroup(pids[i], base))
			continue;
		ct_pidfd_send_signal(fd, SIGKILL);
	}
	return 0;
}

int cgroup_kill_all(const struct ct_cgroup *cg, int freeze_timeout_ms, struct ct_error **err)
{
	int rc;

	if (cg->freezer)
		freeze_v1(cg->freezer, freeze_timeout_ms);
	if (cg->v2 && write_file(cg->v2, "cgroup.kill", "1") == 0)
		rc = 0;
	else
		rc = kill_each(cg, err);
	if (cg->freezer && write_file(cg->freezer, "freezer.state", "THAWED") < 0 && rc == 0)
		rc = ct_error_set(err, errno, "thawing %s after SIGKILL: %s", cg->freezer,
				  strerror(errno));
	return rc;
}

static int64_t read_i64(const char *dir, const char *file)
{
	char buf[64];
	char *end;
	long long v;

	if (!dir || read_line(dir, file, buf, sizeof(buf)) < 0)
		return -1;
	v = strtoll(buf, &end, 10);
	return end == buf ? -1 : (int64_t)v;
}

static int64_t read_keyed(const char *dir, const char *file, const char *key)
{
	cleanup_free char *p = NULL;
	cleanup_fclose FILE *f = NULL;
	char k[64];
	long long v;

	if (!dir || asprintf(&p, "%s/%s", dir, file) < 0)
		return -1;
	f = fopen(p, "re");
	if (!f)
		return -1;
	while (fscanf(f, "%63s %lld", k, &v) == 2)
		if (strcmp(k, key) == 0)
			return (int64_t)v;
	return -1;
}

void cgroup_stats(const struct ct_cgroup *cg, struct ct_cgstats *ret)
{
	int64_t usec;

	ret->mem_current = read_i64(cg->v2, "memory.current");
	ret->mem_peak = read_i64(cg->v2, "memory.peak");
	if (ret->mem_current < 0)
		ret->mem_current = read_i64(cg->memory, "memory.usage_in_bytes");
	if (ret->mem_peak < 0)
		ret->mem_peak = read_i64(cg->memory, "memory.max_usage_in_bytes");
	ret->cpu_ns = read_i64(cg->cpuacct, "cpuacct.usage");
	if (ret->cpu_ns < 0 && (usec = read_keyed(cg->v2, "cpu.stat", "usage_usec")) >= 0)
		ret->cpu_ns = usec * 1000;
}

static int remove_tree(const char *dir, unsigned depth)
{
	cleanup_closedir DIR *d = NULL;
	struct dirent *de;

	if (depth > MAX_DEPTH)
		return -ELOOP;
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		cleanup_free char *sub = NULL;
		int rc;

		if (!is_child_cgroup(de))
			continue;
		if (asprintf(&sub, "%s/%s", dir, de->d_name) < 0)
			return -ENOMEM;
		rc = remove_tree(sub, depth + 1);
		if (rc < 0)
			return rc;
	}
	if (rmdir(dir) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

int cgroup_remove(const struct ct_cgroup *cg, struct ct_error **err)
{
	cleanup_free char *p = NULL;
	int first = 0;

	for (int h = 0; h < H_COUNT; h++) {
		const char *dir = *slot((struct ct_cgroup *)cg, h);
		int rc;

		if (!dir)
			continue;
		rc = remove_tree(dir, 0);
		if (rc < 0 && !first) {
			first = rc;
			p = strdup(dir);
		}
	}
	if (first < 0)
		return ct_error_set(err, -first, "removing cgroup %s: %s", p ? p : "?",
				    strerror(-first));
	return 0;
}

int cgroup_remove_everywhere(const char *rel, struct ct_error **err)
{
	cleanup_fclose FILE *f = fopen("/proc/self/mountinfo", "re");
	cleanup_free char *line = NULL;
	size_t cap = 0;
	int first = 0;

	if (!f)
		return ct_error_set(err, errno, "reading /proc/self/mountinfo: %s",
				    strerror(errno));
	while (getline(&line, &cap, f) > 0) {
		cleanup_free char *dir = NULL;
		char mp[4096], fstype[64];
		char *sep = strstr(line, " - ");
		int rc;

		if (!sep || sscanf(line, "%*s %*s %*s %*s %4095s", mp) != 1 ||
		    sscanf(sep + 3, "%63s", fstype) != 1)
			continue;
		if (strcmp(fstype, "cgroup") != 0 && strcmp(fstype, "cgroup2") != 0)
			continue;
		if (asprintf(&dir, "%s%s", mp, rel) < 0)
			return ct_error_set(err, ENOMEM, "out of memory");
		rc = remove_tree(dir, 0);
		if (rc < 0 && first == 0)
			first = ct_error_set(err, -rc, "removing cgroup %s: %s", dir,
					     strerror(-rc));
	}
	return first;
}
