/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Host checks for `ctlaunch check` (in the spirit of lxc-checkconfig). */
#include <errno.h>
#include <linux/magic.h>
#include <lxc/lxccontainer.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "cleanup.h"
#include "doctor.h"

struct out {
	struct doctor_item *v;
	size_t n, max;
};

static void add(struct out *o, const char *name, enum doctor_status st, const char *hint,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void add(struct out *o, const char *name, enum doctor_status st, const char *hint,
		const char *fmt, ...)
{
	struct doctor_item *it;
	va_list ap;

	if (o->n == o->max)
		return;
	it = &o->v[o->n++];
	snprintf(it->name, sizeof(it->name), "%s", name);
	it->status = st;
	va_start(ap, fmt);
	vsnprintf(it->detail, sizeof(it->detail), fmt, ap);
	va_end(ap);
	snprintf(it->hint, sizeof(it->hint), "%s", hint ? hint : "");
}

const char *doctor_status_name(enum doctor_status st)
{
	return st == DOCTOR_OK ? "OK" : st == DOCTOR_WARN ? "WARN" : "FAIL";
}

static const struct {
	const char *ns, *config;
	bool required;
} namespaces[] = {
	{ "mnt", "CONFIG_NAMESPACES", true },  { "pid", "CONFIG_PID_NS", true },
	{ "uts", "CONFIG_UTS_NS", true },      { "ipc", "CONFIG_IPC_NS", true },
	{ "net", "CONFIG_NET_NS", true },      { "user", "CONFIG_USER_NS", false },
	{ "cgroup", "CONFIG_CGROUPS", false },
};

static void check_namespaces(struct out *o)
{
	for (size_t i = 0; i < CT_ARRAY_SIZE(namespaces); i++) {
		char path[64], name[48], hint[80];

		snprintf(path, sizeof(path), "/proc/self/ns/%s", namespaces[i].ns);
		snprintf(name, sizeof(name), "namespace.%s", namespaces[i].ns);
		snprintf(hint, sizeof(hint), "enable %s in the kernel", namespaces[i].config);
		if (access(path, F_OK) == 0)
			add(o, name, DOCTOR_OK, NULL, "%s namespaces available", namespaces[i].ns);
		else
			add(o, name, namespaces[i].required ? DOCTOR_FAIL : DOCTOR_WARN, hint,
			    "%s namespaces missing", namespaces[i].ns);
	}
}

static long read_long(const char *path)
{
	cleanup_fclose FILE *f = fopen(path, "re");
	long v = -1;

	if (f && fscanf(f, "%ld", &v) != 1)
		v = -1;
	return v;
}

static void check_userns_limit(struct out *o)
{
	long v = read_long("/proc/sys/user/max_user_namespaces");

	if (v > 0)
		add(o, "userns.limit", DOCTOR_OK, NULL, "max_user_namespaces = %ld", v);
	else
		add(o, "userns.limit", DOCTOR_WARN, "sysctl -w user.max_user_namespaces=1024",
		    "max_user_namespaces = %ld: containers with lxc.idmap cannot start", v);
}

static void check_cgroups(struct out *o)
{
	static const char *const wanted[] = { "memory", "freezer", "devices",
					      "pids",	"cpu",	   "cpuacct" };
	char line[256], missing[160] = "";
	struct statfs sf;
	cleanup_fclose FILE *f = NULL;
	bool v2 = statfs("/sys/fs/cgroup", &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC;

	if (v2) {
		add(o, "cgroup.layout", DOCTOR_OK, NULL, "cgroup v2 (unified) at /sys/fs/cgroup");
		f = fopen("/sys/fs/cgroup/cgroup.controllers", "re");
		if (f && fgets(line, sizeof(line), f))
			add(o, "cgroup.controllers", DOCTOR_OK, NULL, "v2 controllers: %.200s",
			    strtok(line, "\n"));
		return;
	}
	add(o, "cgroup.layout", DOCTOR_OK, NULL,
	    "cgroup v1 (or hybrid) controllers under "
	    "/sys/fs/cgroup");
	for (size_t i = 0; i < CT_ARRAY_SIZE(wanted); i++) {
		char p[64];

		snprintf(p, sizeof(p), "/sys/fs/cgroup/%s", wanted[i]);
		if (access(p, F_OK) < 0 &&
		    strlen(missing) + strlen(wanted[i]) + 2 < sizeof(missing))
			strcat(strcat(missing, " "), wanted[i]);
	}
	if (*missing)
		add(o, "cgroup.controllers", strstr(missing, "freezer") ? DOCTOR_FAIL : DOCTOR_WARN,
		    "mount the v1 controllers (or boot with cgroup v2)",
		    "v1 controllers not mounted:%s", missing);
	else
		add(o, "cgroup.controllers", DOCTOR_OK, NULL,
		    "v1 memory, freezer, devices, pids, cpu, cpuacct mounted");
}

static void check_cgroup_kill(struct out *o)
{
	struct utsname u;
	int maj = 0, min = 0;

	if (uname(&u) == 0)
		sscanf(u.release, "%d.%d", &maj, &min);
	if (maj > 5 || (maj == 5 && min >= 14))
		add(o, "cgroup.kill", DOCTOR_OK, NULL,
		    "kernel %s has cgroup.kill (used where a v2 hierarchy holds the container)",
		    u.release);
	else
		add(o, "cgroup.kill", DOCTOR_WARN, NULL,
		    "kernel %s predates cgroup.kill (5.14): stop uses the freezer instead",
		    u.release);
}

static void check_seccomp(struct out *o)
{
	if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) >= 0 &&
	    access("/proc/sys/kernel/seccomp/actions_avail", R_OK) == 0)
		add(o, "seccomp", DOCTOR_OK, NULL, "seccomp filters available");
	else
		add(o, "seccomp", DOCTOR_FAIL, "enable CONFIG_SECCOMP_FILTER",
		    "seccomp filters unavailable: lxc.seccomp.profile cannot load");
}

static void check_pidfd(struct out *o)
{
	int fd = (int)syscall(SYS_pidfd_open, getpid(), 0);

	if (fd < 0) {
		add(o, "pidfd_open", DOCTOR_WARN, "Linux 5.3 or later",
		    "pidfd_open: %s: signals go by pid (racy)", strerror(errno));
		add(o, "pidfd_send_signal", DOCTOR_WARN, "Linux 5.1 or later",
		    "pidfd_send_signal not tried");
		return;
	}
	add(o, "pidfd_open", DOCTOR_OK, NULL, "pidfd_open works");
	if (syscall(SYS_pidfd_send_signal, fd, 0, NULL, 0) == 0)
		add(o, "pidfd_send_signal", DOCTOR_OK, NULL, "pidfd_send_signal works");
	else
		add(o, "pidfd_send_signal", DOCTOR_WARN, "Linux 5.1 or later",
		    "pidfd_send_signal: %s", strerror(errno));
	close(fd);
}

static bool on_path(const char *prog)
{
	const char *path = getenv("PATH");

	for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
		size_t n = strcspn(p, ":");
		char f[512];

		snprintf(f, sizeof(f), "%.*s/%s", (int)n, p, prog);
		if (n && access(f, X_OK) == 0)
			return true;
		p += n + (p[n] == ':');
	}
	return false;
}

static void check_subid(struct out *o)
{
	static const char *const files[] = { "/etc/subuid", "/etc/subgid" };

	if (!on_path("newuidmap") || !on_path("newgidmap")) {
		add(o, "newuidmap", geteuid() == 0 ? DOCTOR_OK : DOCTOR_WARN,
		    geteuid() == 0 ? NULL : "install the uidmap package",
		    "newuidmap/newgidmap not installed: liblxc writes id maps itself (root only)");
		return;
	}
	add(o, "newuidmap", DOCTOR_OK, NULL,
	    "newuidmap/newgidmap installed: liblxc uses them, even for root");
	for (size_t i = 0; i < CT_ARRAY_SIZE(files); i++) {
		cleanup_fclose FILE *f = fopen(files[i], "re");
		char line[256], name[48];
		bool found = false;

		while (f && fgets(line, sizeof(line), f))
			found = found || strncmp(line, "root:", 5) == 0 ||
				strncmp(line, "0:", 2) == 0;
		snprintf(name, sizeof(name), "%s", files[i] + 5);
		if (found)
			add(o, name, DOCTOR_OK, NULL, "%s has ranges for root", files[i]);
		else
			add(o, name, DOCTOR_WARN,
			    "add root:100000:65536 (ctlaunch idmap -n NAME "
			    "prints the exact lines a container needs)",
			    "%s has no range for root: containers with lxc.idmap will not start",
			    files[i]);
	}
}

static void check_liblxc(struct out *o)
{
	const char *v = lxc_get_version();
	int maj = atoi(v);

	add(o, "liblxc", maj >= 4 ? DOCTOR_OK : DOCTOR_FAIL,
	    maj >= 4 ? NULL : "liblxc 4.0 or later is needed", "liblxc %s%s", v,
	    lxc_has_api_extension("pidfd") ? " (pidfd API)" : "");
}

/* A directory we can create files in, or whose nearest existing parent we can write. */
static void check_writable(struct out *o, const char *name, const char *dir)
{
	char p[4096];

	snprintf(p, sizeof(p), "%s", dir);
	for (;;) {
		struct stat st;
		char *slash;

		if (stat(p, &st) == 0) {
			if (S_ISDIR(st.st_mode) && access(p, W_OK | X_OK) == 0)
				add(o, name, DOCTOR_OK, NULL, "%s writable%s", dir,
				    strcmp(p, dir) ? " (will be created)" : "");
			else
				add(o, name, DOCTOR_FAIL,
				    "fix its permissions or change the settings",
				    "%s not writable (%s)", dir, p);
			return;
		}
		slash = strrchr(p, '/');
		if (!slash || slash == p) {
			add(o, name, DOCTOR_FAIL, NULL, "%s: no existing parent", dir);
			return;
		}
		*slash = '\0';
	}
}

size_t doctor_run(const struct ct_settings *s, struct doctor_item *ret, size_t max)
{
	struct out o = { ret, 0, max };

	check_namespaces(&o);
	check_userns_limit(&o);
	check_cgroups(&o);
	check_cgroup_kill(&o);
	check_seccomp(&o);
	check_pidfd(&o);
	check_subid(&o);
	check_liblxc(&o);
	check_writable(&o, "state.run-dir", s->run_dir);
	check_writable(&o, "state.lxc-path", s->lxc_path);
	return o.n;
}
