/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Behavioural probe: run as a container's command, it prints what a container configuration
 * decides about the process, one "field: value" line each, in a fixed order, so that the outputs
 * of one configuration under two runtimes can be compared field by field (tests/equivalence).
 *
 * Every syscall it tries is called with arguments that fail harmlessly (or undo what they did),
 * and is reported as "allowed" when the kernel's own answer comes back, or as the errno name when
 * something refused it first (capabilities, seccomp, the devices cgroup, a read-only mount).
 *
 * Built static (no loader, no libc needed in the rootfs). Needs nothing but /proc.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <time.h>
#include <sys/random.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_LINE 4096
#define MAX_ITEMS 512

extern char **environ;

/* Names of the errno values a refusal or a harmless failure can give; others print as numbers. */
static const struct {
	int no;
	const char *name;
} errnames[] = {
	{ EPERM, "EPERM" },	      { ENOENT, "ENOENT" },
	{ EINTR, "EINTR" },	      { EIO, "EIO" },
	{ ENXIO, "ENXIO" },	      { E2BIG, "E2BIG" },
	{ ENOEXEC, "ENOEXEC" },	      { EBADF, "EBADF" },
	{ ECHILD, "ECHILD" },	      { EAGAIN, "EAGAIN" },
	{ ENOMEM, "ENOMEM" },	      { EACCES, "EACCES" },
	{ EFAULT, "EFAULT" },	      { EBUSY, "EBUSY" },
	{ EEXIST, "EEXIST" },	      { ENODEV, "ENODEV" },
	{ ENOTDIR, "ENOTDIR" },	      { EISDIR, "EISDIR" },
	{ EINVAL, "EINVAL" },	      { ENOSPC, "ENOSPC" },
	{ EROFS, "EROFS" },	      { ENOSYS, "ENOSYS" },
	{ EOPNOTSUPP, "EOPNOTSUPP" }, { EUSERS, "EUSERS" },
	{ ELOOP, "ELOOP" },	      { ENAMETOOLONG, "ENAMETOOLONG" },
};

static const char *errname(int no)
{
	static char buf[32];

	for (size_t i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (errnames[i].no == no)
			return errnames[i].name;
	snprintf(buf, sizeof(buf), "errno %d", no);
	return buf;
}

static void field(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void field(const char *name, const char *fmt, ...)
{
	va_list ap;

	printf("%s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void strip_newline(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
}

/* The first line of a small file, or the errno name in angle brackets. */
static void read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");

	if (!f) {
		snprintf(buf, size, "<%s>", errname(errno));
		return;
	}
	if (!fgets(buf, (int)size, f))
		snprintf(buf, size, "<empty>");
	fclose(f);
	strip_newline(buf);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void print_hostname(void)
{
	struct utsname u;

	if (uname(&u) < 0) {
		field("hostname", "<%s>", errname(errno));
		return;
	}
	field("hostname", "%s", u.nodename);
	field("uname machine", "%s", u.machine);
}

/* A map file as "inside outside count" triples joined by ", ". */
static void print_map(const char *name, const char *path)
{
	char line[256], out[MAX_LINE] = "";
	FILE *f = fopen(path, "re");
	unsigned long a, b, c;

	if (!f) {
		field(name, "<%s>", errname(errno));
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lu %lu %lu", &a, &b, &c) != 3)
			continue;
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%lu %lu %lu",
			 out[0] ? ", " : "", a, b, c);
	}
	fclose(f);
	field(name, "%s", out);
}

/* Capability sets, no_new_privs and the seccomp mode, as /proc/self/status has them. */
static void print_status(void)
{
	static const char *const keys[] = { "CapInh", "CapPrm",	    "CapEff", "CapBnd",
					    "CapAmb", "NoNewPrivs", "Seccomp" };
	char line[MAX_LINE];
	FILE *f = fopen("/proc/self/status", "re");

	if (!f) {
		field("status", "<%s>", errname(errno));
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (!colon)
			continue;
		*colon = '\0';
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			if (strcmp(line, keys[i]) == 0) {
				char *v = colon + 1;

				v += strspn(v, " \t");
				strip_newline(v);
				field(keys[i], "%s", v);
			}
		}
	}
	fclose(f);
}

static int cmp_gid(const void *a, const void *b)
{
	gid_t x = *(const gid_t *)a, y = *(const gid_t *)b;

	return x < y ? -1 : x > y;
}

static void print_ids(void)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg, groups[NGROUPS_MAX];
	char out[MAX_LINE] = "";
	int n;

	getresuid(&ru, &eu, &su);
	getresgid(&rg, &eg, &sg);
	field("uid", "%u %u %u", ru, eu, su);
	field("gid", "%u %u %u", rg, eg, sg);
	n = getgroups(NGROUPS_MAX, groups);
	if (n < 0) {
		field("groups", "<%s>", errname(errno));
		return;
	}
	qsort(groups, (size_t)n, sizeof(groups[0]), cmp_gid);
	for (int i = 0; i < n; i++)
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%u", i ? " " : "",
			 groups[i]);
	field("groups", "%s", out);
}

static void print_cwd(void)
{
	char buf[PATH_MAX];

	if (!getcwd(buf, sizeof(buf)))
		field("cwd", "<%s>", errname(errno));
	else
		field("cwd", "%s", buf);
}

/* Variables a runtime sets on its own, whatever the configuration says. */
static const char *const runtime_env[] = { "container", "container_ttys" };

static int runtime_var(const char *var)
{
	size_t n = strcspn(var, "=");

	for (size_t i = 0; i < sizeof(runtime_env) / sizeof(runtime_env[0]); i++)
		if (strlen(runtime_env[i]) == n && strncmp(var, runtime_env[i], n) == 0)
			return 1;
	return 0;
}

static void print_env(void)
{
	const char *vars[MAX_ITEMS] = { 0 };
	size_t n = 0;

	for (char **e = environ; *e && n < MAX_ITEMS; e++)
		if (!runtime_var(*e))
			vars[n++] = *e;
	qsort(vars, n, sizeof(vars[0]), cmp_str);
	for (size_t i = 0; i < n; i++) {
		size_t k = strcspn(vars[i], "=");

		printf("env %.*s: %s\n", (int)k, vars[i], vars[i][k] ? vars[i] + k + 1 : "<no =>");
	}
}

static const struct {
	int res;
	const char *name;
} rlimits[] = {
	{ RLIMIT_AS, "as" },
	{ RLIMIT_CORE, "core" },
	{ RLIMIT_CPU, "cpu" },
	{ RLIMIT_DATA, "data" },
	{ RLIMIT_FSIZE, "fsize" },
	{ RLIMIT_LOCKS, "locks" },
	{ RLIMIT_MEMLOCK, "memlock" },
	{ RLIMIT_MSGQUEUE, "msgqueue" },
	{ RLIMIT_NICE, "nice" },
	{ RLIMIT_NOFILE, "nofile" },
	{ RLIMIT_NPROC, "nproc" },
	{ RLIMIT_RSS, "rss" },
	{ RLIMIT_RTPRIO, "rtprio" },
	{ RLIMIT_RTTIME, "rttime" },
	{ RLIMIT_SIGPENDING, "sigpending" },
	{ RLIMIT_STACK, "stack" },
};

static void fmt_lim(char *buf, size_t size, rlim_t v)
{
	if (v == RLIM_INFINITY)
		snprintf(buf, size, "unlimited");
	else
		snprintf(buf, size, "%llu", (unsigned long long)v);
}

static void print_rlimits(void)
{
	for (size_t i = 0; i < sizeof(rlimits) / sizeof(rlimits[0]); i++) {
		struct rlimit r;
		char name[64], soft[32], hard[32];

		snprintf(name, sizeof(name), "rlimit %s", rlimits[i].name);
		if (getrlimit(rlimits[i].res, &r) < 0) {
			field(name, "<%s>", errname(errno));
			continue;
		}
		fmt_lim(soft, sizeof(soft), r.rlim_cur);
		fmt_lim(hard, sizeof(hard), r.rlim_max);
		field(name, "%s:%s", soft, hard);
	}
}

static void print_proc_misc(void)
{
	char buf[MAX_LINE];
	int p = personality(0xffffffff);

	read_line("/proc/self/oom_score_adj", buf, sizeof(buf));
	field("oom_score_adj", "%s", buf);
	if (p < 0)
		field("personality", "<%s>", errname(errno));
	else
		field("personality", "0x%x", (unsigned int)p);
}

/* Namespaced sysctls a configuration may set (runc accepts only these). */
static const char *const sysctls[] = {
	"kernel.msgmax",
	"kernel.msgmnb",
	"kernel.shmmax",
	"kernel.sem",
	"fs.mqueue.msg_max",
	"net.ipv4.ip_forward",
	"net.ipv4.ping_group_range",
	"net.core.somaxconn",
};

static void print_sysctls(void)
{
	for (size_t i = 0; i < sizeof(sysctls) / sizeof(sysctls[0]); i++) {
		char path[256], name[128], buf[MAX_LINE];

		snprintf(path, sizeof(path), "/proc/sys/%s", sysctls[i]);
		for (char *c = path + strlen("/proc/sys/"); *c; c++)
			if (*c == '.')
				*c = '/';
		read_line(path, buf, sizeof(buf));
		for (char *c = buf; *c; c++)
			if (*c == '\t')
				*c = ' ';
		snprintf(name, sizeof(name), "sysctl %s", sysctls[i]);
		field(name, "%s", buf);
	}
}

static void print_time(void)
{
	char line[256], out[MAX_LINE] = "";
	FILE *f = fopen("/proc/self/timens_offsets", "re");

	if (!f) {
		field("timens_offsets", "<%s>", errname(errno));
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		char clock[32];
		long long secs, nsecs;

		if (sscanf(line, "%31s %lld %lld", clock, &secs, &nsecs) != 3)
			continue;
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s %lld %lld",
			 out[0] ? ", " : "", clock, secs, nsecs);
	}
	fclose(f);
	field("timens_offsets", "%s", out);
}

struct mnt {
	char *dir;
	char *what; /* "TYPE ro|rw" */
};

static int cmp_mnt(const void *a, const void *b)
{
	return strcmp(((const struct mnt *)a)->dir, ((const struct mnt *)b)->dir);
}

/* "TYPE ro|rw" of one /proc/self/mounts line; a bound device node shows the filesystem the node
 * lives on (the runtime's own /dev or the host's): say which device it is instead. */
static char *mount_what(const char *dir, const char *type, char *opts)
{
	char *ret = NULL;
	struct stat st;
	int r;

	opts[strcspn(opts, ",")] = '\0';
	if (stat(dir, &st) == 0 && (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)))
		r = asprintf(&ret, "%s-%u:%u %s", S_ISCHR(st.st_mode) ? "chr" : "blk",
			     major(st.st_rdev), minor(st.st_rdev), opts);
	else
		r = asprintf(&ret, "%s %s", type, opts);
	return r < 0 ? NULL : ret;
}

/* Mount points from /proc/self/mounts with the type and ro/rw of the mount on top. */
static void print_mounts(void)
{
	static struct mnt m[MAX_ITEMS];
	size_t n = 0;
	char line[3 * MAX_LINE];
	FILE *f = fopen("/proc/self/mounts", "re");

	if (!f) {
		field("mounts", "<%s>", errname(errno));
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		char dir[MAX_LINE], type[256], opts[MAX_LINE];
		size_t i;

		if (sscanf(line, "%*s %4095s %255s %4095s", dir, type, opts) != 3)
			continue;
		for (i = 0; i < n && strcmp(m[i].dir, dir) != 0; i++)
			;
		if (i == n) {
			if (n == MAX_ITEMS || !(m[n].dir = strdup(dir)))
				continue;
			m[n++].what = NULL;
		}
		free(m[i].what); /* a later mount on the same point hides the earlier one */
		m[i].what = mount_what(dir, type, opts);
	}
	fclose(f);
	qsort(m, n, sizeof(m[0]), cmp_mnt);
	for (size_t i = 0; i < n; i++) {
		printf("mount %s: %s\n", m[i].dir, m[i].what ? m[i].what : "<ENOMEM>");
		free(m[i].dir);
		free(m[i].what);
	}
}

/* The process's own cgroup in the v1 hierarchy holding ctrl (ctrl NULL: the v2 one). */
static void own_cgroup(const char *ctrl, char *own, size_t size)
{
	char line[MAX_LINE];
	FILE *f = fopen("/proc/self/cgroup", "re");

	snprintf(own, size, "/");
	while (f && fgets(line, sizeof(line), f)) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

		if (!c2)
			continue;
		strip_newline(c2);
		*c2 = '\0';
		if (!ctrl && c1[1] == '\0')
			snprintf(own, size, "%s", c2 + 1);
		else if (ctrl)
			for (char *tok = strtok(c1 + 1, ","); tok; tok = strtok(NULL, ","))
				if (strcmp(tok, ctrl) == 0)
					snprintf(own, size, "%s", c2 + 1);
	}
	if (f)
		fclose(f);
}

static int has_token(const char *list, const char *tok)
{
	size_t n = strlen(tok);

	for (const char *p = list; p; p = strchr(p, ',')) {
		if (*p == ',')
			p++;
		if (strncmp(p, tok, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return 1;
	}
	return 0;
}

/*
 * The limit file of a cgroup controller as the container can see it. Of the cgroup mounts
 * (/proc/self/mountinfo) of the controller's hierarchy, the deepest mount point wins (LXC mounts
 * the container's own cgroup below a tmpfs, runc binds it at the controller's directory); in it,
 * the process's own cgroup relative to the mount's root if it is there, else the mount's root.
 */
static int find_cgroup_file(const char *ctrl, const char *file, char *ret, size_t size)
{
	char line[MAX_LINE], own[MAX_LINE], best[3 * MAX_LINE] = "";
	size_t best_len = 0;
	int found = 0, err = 0;
	FILE *f = fopen("/proc/self/mountinfo", "re");

	own_cgroup(ctrl, own, sizeof(own));
	while (f && fgets(line, sizeof(line), f)) {
		char root[MAX_LINE], dir[MAX_LINE], type[64], opts[MAX_LINE], path[3 * MAX_LINE];
		char *sep = strstr(line, " - ");
		size_t rl;

		if (!sep || sscanf(line, "%*s %*s %*s %4095s %4095s", root, dir) != 2 ||
		    sscanf(sep + 3, "%63s %*s %4095s", type, opts) != 2)
			continue;
		if (ctrl ? strcmp(type, "cgroup") != 0 || !has_token(opts, ctrl)
			 : strcmp(type, "cgroup2") != 0)
			continue;
		if (strlen(dir) < best_len)
			continue;
		rl = strcmp(root, "/") == 0 ? 0 : strlen(root);
		snprintf(path, sizeof(path), "%s%s/%s", dir, own + rl, file);
		if (strncmp(own, root, rl) != 0 || (own[rl] != '/' && own[rl] != '\0') ||
		    access(path, R_OK) != 0)
			snprintf(path, sizeof(path), "%s/%s", dir, file);
		found = 1;
		if (access(path, R_OK) != 0) {
			err = errno;
			continue;
		}
		snprintf(best, sizeof(best), "%s", path);
		best_len = strlen(dir);
	}
	if (f)
		fclose(f);
	if (!best[0])
		return found ? -err : -ENOENT;
	snprintf(ret, size, "%s", best);
	return 0;
}

static void print_cgroup_file(const char *ctrl, const char *v1file, const char *v2file)
{
	char path[3 * MAX_LINE], name[64], buf[MAX_LINE];
	int r1 = find_cgroup_file(ctrl, v1file, path, sizeof(path)), r2 = 0;

	if (r1 < 0)
		r2 = find_cgroup_file(NULL, v2file, path, sizeof(path));
	if (r1 == 0 || r2 == 0)
		read_line(path, buf, sizeof(buf));
	else if (r1 == -ENOENT && r2 == -ENOENT)
		snprintf(buf, sizeof(buf), "<no cgroup mount>");
	else /* the mount is there, the file out of reach */
		snprintf(buf, sizeof(buf), "<%s>", errname(r1 != -ENOENT ? -r1 : -r2));
	snprintf(name, sizeof(name), "cgroup %s", ctrl);
	field(name, "%s", buf);
}

static void print_cgroups(void)
{
	print_cgroup_file("memory", "memory.limit_in_bytes", "memory.max");
	print_cgroup_file("pids", "pids.max", "pids.max");
}

static void print_devices(void)
{
	static const struct {
		const char *path;
		int flags;
	} devs[] = {
		{ "/dev/null", O_RDWR },      { "/dev/zero", O_RDONLY },
		{ "/dev/full", O_WRONLY },    { "/dev/random", O_RDONLY },
		{ "/dev/urandom", O_RDONLY }, { "/dev/tty", O_RDWR },
		{ "/dev/mem", O_RDONLY },     { "/dev/kmsg", O_RDONLY },
	};

	for (size_t i = 0; i < sizeof(devs) / sizeof(devs[0]); i++) {
		char name[64];
		int fd = open(devs[i].path, devs[i].flags | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

		snprintf(name, sizeof(name), "device %s", devs[i].path);
		if (fd < 0) {
			field(name, "%s", errname(errno));
			continue;
		}
		close(fd);
		field(name, "ok");
	}
}

static void print_net(void)
{
	char line[MAX_LINE], out[MAX_LINE] = "";
	char *names[MAX_ITEMS];
	size_t n = 0;
	FILE *f = fopen("/proc/net/dev", "re");

	if (!f) {
		field("net", "<%s>", errname(errno));
		return;
	}
	while (fgets(line, sizeof(line), f) && n < MAX_ITEMS) {
		char *colon = strchr(line, ':'), *s = line;

		if (!colon)
			continue;
		*colon = '\0';
		s += strspn(s, " ");
		names[n] = strdup(s);
		if (names[n])
			n++;
	}
	fclose(f);
	qsort(names, n, sizeof(names[0]), cmp_str);
	for (size_t i = 0; i < n; i++) {
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s", i ? " " : "",
			 names[i]);
		free(names[i]);
	}
	field("net", "%s", out);
}

/*
 * Syscall verdicts. Each try returns 0 or an errno; "ok" lists the answers the kernel itself
 * gives to these harmless arguments once the call got through every check, which print as
 * "allowed". Anything else (EPERM of a missing capability or a seccomp rule, EROFS, ...) prints
 * as its name.
 */
#define RET(expr) ((expr) < 0 ? errno : 0)

static int try_kexec_load(void)
{
#ifdef SYS_kexec_load
	/* Flags no kernel accepts: EINVAL once CAP_SYS_BOOT is granted, nothing unloaded. */
	return RET(syscall(SYS_kexec_load, 0UL, 0UL, NULL, 0xdead0000UL));
#else
	return ENOSYS;
#endif
}

/* The mount is the cwd's; the capability check comes before the NULL handle's EFAULT. */
static int try_open_by_handle_at(void)
{
	return RET(syscall(SYS_open_by_handle_at, AT_FDCWD, NULL, O_RDONLY));
}

static int try_init_module(void)
{
	return RET(syscall(SYS_init_module, NULL, 0UL, ""));
}

static int try_finit_module(void)
{
	return RET(syscall(SYS_finit_module, -1, "", 0));
}

static int try_delete_module(void)
{
	return RET(syscall(SYS_delete_module, "ct_eq_no_such_module", O_NONBLOCK));
}

/* /probe is a plain file copied into the rootfs, never a mount point. */
static int try_umount2_force(void)
{
	return RET(umount2("/probe", MNT_FORCE));
}

static int try_umount2_detach(void)
{
	return RET(umount2("/probe", MNT_DETACH));
}

/* Containers run in parallel on one rootfs and pids repeat across pid namespaces: the name must
 * be random, or a directory another container created would make a read-only root answer
 * EEXIST instead of EROFS. */
static int try_mkdir_tmp(void)
{
	unsigned long long r = 0;
	char dir[64];

	if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r))
		r = (unsigned long long)time(NULL) ^ (unsigned long long)getpid();
	snprintf(dir, sizeof(dir), "/tmp/.ct-eq-probe-%016llx", r);
	if (mkdir(dir, 0700) < 0)
		return errno;
	rmdir(dir);
	return 0;
}

static int try_sethostname(void)
{
	struct utsname u;

	if (uname(&u) < 0)
		return errno;
	return RET(sethostname(u.nodename, strlen(u.nodename)));
}

static int try_personality_query(void)
{
	return RET(personality(0xffffffff));
}

static int try_personality_set(void)
{
	int p = personality(0xffffffff);

	if (p < 0)
		return errno;
	return RET(personality((unsigned long)p));
}

static int try_mknod_dev(void)
{
	const char *path = "/dev/.ct-eq-probe-null";

	if (mknod(path, S_IFCHR | 0600, makedev(1, 3)) < 0)
		return errno;
	unlink(path);
	return 0;
}

static int try_chown_dev(void)
{
	const char *path = "/dev/.ct-eq-probe-file";
	int fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
	int ret;

	if (fd < 0)
		return errno;
	ret = RET(fchown(fd, 1, 1));
	close(fd);
	unlink(path);
	return ret;
}

/* unshare() changes the caller: try it in a child and pass the errno back as exit status. */
static int try_in_child(int (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return errno;
	if (pid == 0)
		_exit(fn());
	if (waitpid(pid, &status, 0) < 0)
		return errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 255;
}

static int unshare_user(void)
{
	return RET(unshare(CLONE_NEWUSER));
}

static int try_unshare_user(void)
{
	return try_in_child(unshare_user);
}

static int mount_tmpfs(void)
{
	const char *dir = "/dev/.ct-eq-probe-mnt";
	int ret;

	if (mkdir(dir, 0700) < 0)
		return errno;
	ret = RET(mount("ct-eq", dir, "tmpfs", MS_NOSUID | MS_NODEV, "size=4k"));
	if (ret == 0)
		umount2(dir, MNT_DETACH);
	rmdir(dir);
	return ret;
}

static int try_mount_tmpfs(void)
{
	return try_in_child(mount_tmpfs);
}

static const struct {
	const char *name;
	int (*fn)(void);
	int ok[3]; /* the kernel's own answers besides success; 0 ends the list */
} calls[] = {
	{ "kexec_load", try_kexec_load, { EINVAL, ENOSYS } },
	{ "open_by_handle_at", try_open_by_handle_at, { EFAULT, EINVAL } },
	{ "init_module", try_init_module, { ENOEXEC, EFAULT, ENOSYS } },
	{ "finit_module", try_finit_module, { EBADF, EINVAL, ENOSYS } },
	{ "delete_module", try_delete_module, { ENOENT, ENOSYS } },
	{ "umount2_force", try_umount2_force, { EINVAL } },
	{ "umount2_detach", try_umount2_detach, { EINVAL } },
	{ "mkdir_tmp", try_mkdir_tmp, { 0 } },
	{ "sethostname", try_sethostname, { 0 } },
	{ "personality_query", try_personality_query, { 0 } },
	{ "personality_set", try_personality_set, { 0 } },
	{ "mknod_dev", try_mknod_dev, { 0 } },
	{ "chown_dev", try_chown_dev, { 0 } },
	{ "unshare_user", try_unshare_user, { 0 } },
	{ "mount_tmpfs", try_mount_tmpfs, { 0 } },
};

static void print_syscalls(void)
{
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		char name[64];
		int e = calls[i].fn();
		int allowed = e == 0;

		for (size_t k = 0; k < 3 && calls[i].ok[k]; k++)
			if (e == calls[i].ok[k])
				allowed = 1;
		snprintf(name, sizeof(name), "syscall %s", calls[i].name);
		field(name, "%s", allowed ? "allowed" : errname(e));
	}
}

int main(void)
{
	/* Line-buffered would interleave with nothing here, but a full buffer survives a crash
	 * worse: flush per line. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_DFL);
	print_hostname();
	print_map("uid_map", "/proc/self/uid_map");
	print_map("gid_map", "/proc/self/gid_map");
	print_status();
	print_ids();
	print_cwd();
	print_env();
	print_rlimits();
	print_proc_misc();
	print_sysctls();
	print_time();
	print_cgroups();
	print_devices();
	print_net();
	print_mounts();
	print_syscalls();
	printf("end: probe\n");
	return 0;
}
