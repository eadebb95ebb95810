/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A static probe run inside test containers (whose rootfs holds only busybox).
 *   sysprobe [--uid N --gid N] blocked     the calls common.seccomp blocks: "NAME errno"
 *                                          lines, exit 0 when every one failed with EPERM
 *   sysprobe [--uid..] allowed             calls a nanoservice needs; exit 0 when all work
 *   sysprobe [--uid..] seccomp             print the Seccomp: mode from /proc/self/status
 *   sysprobe [--uid..] write FILE TEXT     create FILE holding TEXT
 *   sysprobe [--uid..] listen PATH TEXT    bind a Unix socket at PATH, accept one client,
 *                                          send it TEXT
 *   sysprobe [--uid..] connect PATH TEXT   connect to the Unix socket PATH and send TEXT
 * Built by the tests with gcc -static. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef MNT_FORCE
#define MNT_FORCE 1
#endif

static int result(const char *name, long rc, int want_eperm)
{
	int e = rc < 0 ? errno : 0;

	printf("%s %s\n", name, rc < 0 ? strerror(e) : "succeeded");
	if (want_eperm)
		return rc < 0 && e == EPERM ? 0 : 1;
	return rc < 0 && e == EPERM ? 1 : 0;
}

static int blocked(void)
{
	int bad = 0;

	bad |= result("kexec_load", syscall(SYS_kexec_load, 0UL, 0UL, NULL, 0xdead0000UL), 1);
#ifdef SYS_kexec_file_load
	bad |= result("kexec_file_load",
		      syscall(SYS_kexec_file_load, -1, -1, 0UL, NULL, 0xdead0000UL), 1);
#endif
	bad |= result("open_by_handle_at", syscall(SYS_open_by_handle_at, -1, NULL, 0), 1);
	bad |= result("init_module", syscall(SYS_init_module, NULL, 0UL, ""), 1);
	bad |= result("finit_module", syscall(SYS_finit_module, -1, "", 0), 1);
	bad |= result("delete_module", syscall(SYS_delete_module, "ctl_no_such_mod", O_NONBLOCK),
		      1);
	bad |= result("umount2_force", umount2("/ctl-no-such-dir", MNT_FORCE), 1);
	return bad;
}

static int allowed(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int bad = 0, sv[2], st;
	char buf[8];
	void *p;
	pid_t pid;

	/* A plain unmount reaches the kernel (ENOENT), unlike the forced one. */
	bad |= result("umount2_plain", umount2("/ctl-no-such-dir", 0), 0);
	p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	bad |= result("mmap", p == MAP_FAILED ? -1 : 0, 0);
	bad |= result("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	bad |= result("send", write(sv[0], "x", 1) == 1 && read(sv[1], buf, 1) == 1 ? 0 : -1, 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "/tmp/.sysprobe-%d", (int)getpid());
	st = socket(AF_UNIX, SOCK_STREAM, 0);
	bad |= result("bind_unix", bind(st, (struct sockaddr *)&sa, sizeof(sa)), 0);
	unlink(sa.sun_path);
	pid = fork();
	if (pid == 0)
		_exit(7);
	bad |= result("fork_wait",
		      pid > 0 && waitpid(pid, &st, 0) == pid && WEXITSTATUS(st) == 7 ? 0 : -1, 0);
	bad |= result("getrandom",
		      syscall(SYS_getrandom, buf, sizeof(buf), 0) == sizeof(buf) ? 0 : -1, 0);
	return bad;
}

static int seccomp_mode(void)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return 1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "Seccomp:", 8) == 0)
			fputs(line, stdout);
	fclose(f);
	return 0;
}

static int unix_addr(const char *path, struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path))
		return -1;
	strcpy(sa->sun_path, path);
	return 0;
}

static int do_listen(const char *path, const char *text)
{
	struct sockaddr_un sa;
	int s = socket(AF_UNIX, SOCK_STREAM, 0), c;

	if (s < 0 || unix_addr(path, &sa) < 0 || bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(s, 1) < 0) {
		perror(path);
		return 1;
	}
	alarm(20);
	c = accept(s, NULL, NULL);
	if (c < 0 || write(c, text, strlen(text)) < 0) {
		perror("accept");
		return 1;
	}
	close(c);
	return 0;
}

static int do_connect(const char *path, const char *text)
{
	struct sockaddr_un sa;
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	if (s < 0 || unix_addr(path, &sa) < 0 ||
	    connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    write(s, text, strlen(text)) < 0) {
		perror(path);
		return 1;
	}
	close(s);
	return 0;
}

static int do_write(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		perror(path);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int i = 1;

	while (i + 1 < argc && argv[i][0] == '-') {
		if (strcmp(argv[i], "--gid") == 0) {
			gid_t g = (gid_t)atoi(argv[i + 1]);

			if (setgroups(1, &g) < 0 || setgid(g) < 0)
				return perror("setgid"), 125;
		} else if (strcmp(argv[i], "--uid") == 0) {
			if (setuid((uid_t)atoi(argv[i + 1])) < 0)
				return perror("setuid"), 125;
		} else {
			break;
		}
		i += 2;
	}
	if (i >= argc)
		return fprintf(stderr, "sysprobe: no command\n"), 2;
	if (strcmp(argv[i], "blocked") == 0)
		return blocked();
	if (strcmp(argv[i], "allowed") == 0)
		return allowed();
	if (strcmp(argv[i], "seccomp") == 0)
		return seccomp_mode();
	if (i + 2 < argc && strcmp(argv[i], "write") == 0)
		return do_write(argv[i + 1], argv[i + 2]);
	if (i + 2 < argc && strcmp(argv[i], "listen") == 0)
		return do_listen(argv[i + 1], argv[i + 2]);
	if (i + 2 < argc && strcmp(argv[i], "connect") == 0)
		return do_connect(argv[i + 1], argv[i + 2]);
	fprintf(stderr, "sysprobe: bad command\n");
	return 2;
}
