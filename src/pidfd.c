/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "pidfd.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

int ct_pidfd_open(pid_t pid, unsigned flags)
{
	return (int)syscall(SYS_pidfd_open, pid, flags);
}

int ct_pidfd_send_signal(int pidfd, int sig)
{
	return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

pid_t ct_pidfd_pid(int pidfd)
{
	cleanup_fclose FILE *f = NULL;
	char path[64], line[256];

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", pidfd);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		long pid;

		if (strncmp(line, "Pid:", 4) != 0)
			continue;
		pid = strtol(line + 4, NULL, 10);
		return pid > 0 ? (pid_t)pid : 0;
	}
	return -ENOTSUP;
}

ssize_t ct_proc_read(pid_t pid, const char *name, char *buf, size_t size)
{
	cleanup_close int fd = -1;
	char path[96];
	ssize_t n;

	if (size < 2 || snprintf(path, sizeof(path), "/proc/%d/%s", pid, name) >= (int)sizeof(path))
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return n;
}

/* PPid of pid from /proc/PID/status, -1 when it cannot be read. */
static pid_t parent_of(pid_t pid)
{
	char buf[4096], *p;

	if (ct_proc_read(pid, "status", buf, sizeof(buf)) < 0)
		return -1;
	p = strstr(buf, "\nPPid:");
	return p ? (pid_t)strtol(p + 6, NULL, 10) : -1;
}

int ct_pidfd_parent(pid_t pid, int pidfd)
{
	pid_t ppid = parent_of(pid);
	int fd;

	if (ppid <= 1 || ppid == getpid())
		return -1;
	fd = ct_pidfd_open(ppid, 0);
	if (fd < 0)
		return -1;
	/* Had the parent died before the pidfd was opened, pid would have been reparented: the
	 * same parent afterwards, pid still there, means the pidfd holds that parent. */
	if (parent_of(pid) != ppid || ct_pidfd_exited(pidfd)) {
		close(fd);
		return -1;
	}
	return fd;
}

int ct_pidfd_wait(int pidfd, int timeout_ms)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };
	int n;

	do
		n = poll(&p, 1, timeout_ms);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n > 0 ? 1 : 0;
}

bool ct_pidfd_exited(int pidfd)
{
	return ct_pidfd_wait(pidfd, 0) == 1;
}

static const struct {
	const char *name;
	int sig;
} signals[] = {
	{ "ABRT", SIGABRT },
	{ "ALRM", SIGALRM },
	{ "BUS", SIGBUS },
	{ "CHLD", SIGCHLD },
	{ "CONT", SIGCONT },
	{ "FPE", SIGFPE },
	{ "HUP", SIGHUP },
	{ "ILL", SIGILL },
	{ "INT", SIGINT },
	{ "IO", SIGIO },
	{ "KILL", SIGKILL },
	{ "PIPE", SIGPIPE },
	{ "PROF", SIGPROF },
	{ "PWR", SIGPWR },
	{ "QUIT", SIGQUIT },
	{ "SEGV", SIGSEGV },
	{ "STOP", SIGSTOP },
	{ "SYS", SIGSYS },
	{ "TERM", SIGTERM },
	{ "TRAP", SIGTRAP },
	{ "TSTP", SIGTSTP },
	{ "TTIN", SIGTTIN },
	{ "TTOU", SIGTTOU },
	{ "URG", SIGURG },
	{ "USR1", SIGUSR1 },
	{ "USR2", SIGUSR2 },
	{ "VTALRM", SIGVTALRM },
	{ "WINCH", SIGWINCH },
	{ "XCPU", SIGXCPU },
	{ "XFSZ", SIGXFSZ },
	/* Other spellings liblxc accepts, after the names ct_signal_name() gives. */
	{ "IOT", SIGIOT },
	{ "CLD", SIGCLD },
	{ "POLL", SIGPOLL },
#ifdef SIGSTKFLT
	{ "STKFLT", SIGSTKFLT },
#endif
};

static int parse_number(const char *s, int lo, int hi)
{
	char *end;
	long v;

	if (!*s)
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return -1;
	return (int)v;
}

int ct_signal_parse(const char *s)
{
	int n;

	if (*s >= '0' && *s <= '9')
		return parse_number(s, 1, SIGRTMAX);
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (size_t i = 0; i < CT_ARRAY_SIZE(signals); i++)
		if (strcasecmp(s, signals[i].name) == 0)
			return signals[i].sig;
	if (strncasecmp(s, "RTMIN", 5) == 0) {
		if (!s[5])
			return SIGRTMIN;
		n = s[5] == '+' ? parse_number(s + 6, 0, SIGRTMAX - SIGRTMIN) : -1;
		return n < 0 ? -1 : SIGRTMIN + n;
	}
	if (strncasecmp(s, "RTMAX", 5) == 0) {
		if (!s[5])
			return SIGRTMAX;
		n = s[5] == '-' ? parse_number(s + 6, 0, SIGRTMAX - SIGRTMIN) : -1;
		return n < 0 ? -1 : SIGRTMAX - n;
	}
	return -1;
}

/* An unsigned number as liblxc reads one (strtoul, base 0: "010" is 8, "0x1f" 31), nothing
 * before or after it. */
static int lxc_number(const char *s, int hi)
{
	unsigned long v;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || v > (unsigned long)hi)
		return -1;
	return (int)v;
}

int ct_signal_parse_lxc(const char *s)
{
	if (isdigit((unsigned char)*s))
		return lxc_number(s, SIGRTMAX);
	if (strncasecmp(s, "SIG", 3) != 0)
		return -1;
	s += 3;
	if (strncasecmp(s, "RT", 2) == 0) {
		int n = -1;

		if (strncasecmp(s + 2, "MIN+", 4) == 0)
			n = lxc_number(s + 6, SIGRTMAX - SIGRTMIN);
		else if (strncasecmp(s + 2, "MAX-", 4) == 0)
			n = lxc_number(s + 6, SIGRTMAX - SIGRTMIN);
		if (n < 0)
			return -1;
		return strncasecmp(s + 2, "MIN", 3) == 0 ? SIGRTMIN + n : SIGRTMAX - n;
	}
	for (size_t i = 0; i < CT_ARRAY_SIZE(signals); i++)
		if (strcasecmp(s, signals[i].name) == 0)
			return signals[i].sig;
	return -1;
}

const char *ct_signal_name(int sig)
{
	static __thread char buf[32];

	for (size_t i = 0; i < CT_ARRAY_SIZE(signals); i++) {
		if (signals[i].sig == sig) {
			snprintf(buf, sizeof(buf), "SIG%s", signals[i].name);
			return buf;
		}
	}
	if (sig >= SIGRTMIN && sig <= SIGRTMAX) {
		snprintf(buf, sizeof(buf), "SIGRTMIN+%d", sig - SIGRTMIN);
		return buf;
	}
	return "SIG?";
}
