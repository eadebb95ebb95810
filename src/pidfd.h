/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Process file descriptors: signals that cannot reach a recycled pid. */
#ifndef CTL_PIDFD_H
#define CTL_PIDFD_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

/* Raw syscalls (glibc 2.36 has wrappers, older C libraries do not). Return -1 with errno. */
int ct_pidfd_open(pid_t pid, unsigned flags);
int ct_pidfd_send_signal(int pidfd, int sig);
/* The pid a pidfd refers to (from /proc/self/fdinfo), 0 when the process has exited
 * (the kernel reports -1), < 0 (-errno) when it cannot be read. */
pid_t ct_pidfd_pid(int pidfd);
/* True when the process behind pidfd has exited (pidfd readable), without blocking. */
bool ct_pidfd_exited(int pidfd);
/* A pidfd of the parent of the process pid (held by pidfd), checked to be its parent still
 * once opened; -1 when the parent is pid 1, the caller, or gone. */
int ct_pidfd_parent(pid_t pid, int pidfd);
/* /proc/PID/NAME (a small file: status, stat, cgroup) read into buf, NUL-terminated;
 * its length, or -1 when it cannot be read (no such process, no room). */
ssize_t ct_proc_read(pid_t pid, const char *name, char *buf, size_t size);
/* Wait up to timeout_ms for the process to exit: 1 exited, 0 timed out, < 0 -errno. */
int ct_pidfd_wait(int pidfd, int timeout_ms);

/* Signal names and numbers: "TERM", "SIGTERM", "15", "RTMIN+3". Returns the number or -1. */
int ct_signal_parse(const char *s);
/* A value of lxc.signal.halt (or .reboot, .stop) read as liblxc 5.0.2 reads it: a number
 * (decimal, or octal and hex as strtoul's base 0 reads them), or a name with its "SIG" prefix
 * in any case ("SIGUSR1", "sigpwr"; "USR1" is refused), or SIGRTMIN+N / SIGRTMAX-N with N up
 * to SIGRTMAX - SIGRTMIN ("SIGRTMIN" alone is refused). 0 (liblxc's "unset") is returned as 0;
 * numbers above SIGRTMAX, which liblxc keeps but cannot send, are refused. Returns the number
 * or -1. */
int ct_signal_parse_lxc(const char *s);
/* "SIGTERM" for 15; a static string, "SIG?" when unknown. */
const char *ct_signal_name(int sig);

#endif
