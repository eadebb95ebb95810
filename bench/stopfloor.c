/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The floor under a stop: what the kernel and the containers themselves take to end, with no
 * launcher in the way. Reads the init pid of each container from ctlaunch's run-directory
 * records, opens every pidfd, sends SIGTERM to all, and polls until every init has ended.
 * Usage: stopfloor RUN_DIR NAME... ; prints nothing, exits 0 when all ended within 10 s. The
 * stop benchmark runs it under hyperfine next to `ctlaunch stop` on the same containers. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_INITS 256
#define WAIT_MS 10000

/* The "pid=" line of RUN_DIR/NAME.meta, or -1. */
static int record_pid(const char *run_dir, const char *name)
{
	char path[4096], line[4096];
	int pid = -1;
	FILE *f;

	if (snprintf(path, sizeof(path), "%s/%s.meta", run_dir, name) >= (int)sizeof(path))
		return -1;
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "pid=", 4) == 0)
			pid = atoi(line + 4);
	fclose(f);
	return pid;
}

int main(int argc, char **argv)
{
	struct pollfd p[MAX_INITS];
	int n = argc - 2, left;

	if (n < 1 || n > MAX_INITS) {
		fprintf(stderr, "usage: stopfloor RUN_DIR NAME... (at most %d)\n", MAX_INITS);
		return 2;
	}
	for (int i = 0; i < n; i++) {
		int pid = record_pid(argv[1], argv[i + 2]);

		p[i].fd = pid > 0 ? (int)syscall(SYS_pidfd_open, pid, 0) : -1;
		p[i].events = POLLIN;
		if (p[i].fd < 0) {
			fprintf(stderr, "stopfloor: %s: no running init recorded\n", argv[i + 2]);
			return 1;
		}
	}
	for (int i = 0; i < n; i++)
		if (syscall(SYS_pidfd_send_signal, p[i].fd, SIGTERM, NULL, 0) < 0 &&
		    errno != ESRCH) {
			perror("stopfloor: pidfd_send_signal");
			return 1;
		}
	for (left = n; left > 0;) {
		int r = poll(p, (nfds_t)n, WAIT_MS);

		if (r <= 0) {
			fprintf(stderr, "stopfloor: %s\n", r == 0 ? "timeout" : strerror(errno));
			return 1;
		}
		for (int i = 0; i < n; i++)
			if (p[i].fd >= 0 && p[i].revents) {
				close(p[i].fd);
				p[i].fd = -1; /* poll ignores negative fds */
				left--;
			}
	}
	return 0;
}
