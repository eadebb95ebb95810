/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ctlaunch start: find, lock, clean leftovers, load, run under init.lxc (or lxc.init.cmd as the
 * container's init). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "ctlaunch.h"
#include "find.h"
#include "load.h"
#include "pidfd.h"
#include "runtime.h"

static const char start_help[] =
	"Usage: ctlaunch [start] (-n NAME | -f CONFIG | -b BUNDLE) [OPTIONS] [--] [CMD [ARG...]]\n"
	"Run a container. CMD (or the bundle's process.args, or the config's lxc.execute.cmd)\n"
	"runs under init.lxc, which reaps zombies and forwards signals. Without any of them the\n"
	"config's lxc.init.cmd runs as the container's init (PID 1), as lxc-start runs it: a\n"
	"system container's /sbin/init boots; its output goes to the container's console (the\n"
	"terminal when ctlaunch runs in the foreground on one).\n\n"
	"  -n, --name NAME      container name, looked up in the search paths, then the LXC "
	"path\n"
	"  -f, --rcfile CONFIG  use this LXC config file\n"
	"  -b, --bundle BUNDLE  run an OCI bundle (config.json translated in memory)\n"
	"  -d, --daemon         return once the container runs\n"
	"      --pid-file FILE  write the application's host pid once it runs\n" CTL_COMMON_HELP
	"\nIn the foreground, ctlaunch exits with the application's status (128+N when killed\n"
	"by signal N) and forwards SIGTERM, SIGINT and SIGHUP (as SIGTERM) to the container.\n";

enum { OPT_PID_FILE = OPT_FIRST_LOCAL };

struct start_args {
	const char *name, *config, *bundle, *pid_file;
	bool daemon;
	char **cmd; /* NULL when none given */
};

static int parse(struct ctl *g, int argc, char **argv, struct start_args *a)
{
	static const struct option longopts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "rcfile", required_argument, NULL, 'f' },
		{ "bundle", required_argument, NULL, 'b' },
		{ "daemon", no_argument, NULL, 'd' },
		{ "pid-file", required_argument, NULL, OPT_PID_FILE },
		CTL_COMMON_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "+n:f:b:d" CTL_COMMON_SHORT, longopts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			a->name = optarg;
			break;
		case 'f':
			a->config = optarg;
			break;
		case 'b':
			a->bundle = optarg;
			break;
		case 'd':
			a->daemon = true;
			break;
		case OPT_PID_FILE:
			a->pid_file = optarg;
			break;
		case 'h':
			fputs(start_help, stdout);
			return 1;
		default:
			if (ctl_common_opt(g, opt, optarg))
				break;
			return -ctl_bad_option("start", argv);
		}
	}
	if (optind < argc)
		a->cmd = &argv[optind];
	if (!a->name && !a->config && !a->bundle)
		return -ctl_usage("start: which container? Give -n NAME, -f CONFIG or -b BUNDLE");
	if (a->config && a->bundle)
		return -ctl_usage("start: -f and -b exclude each other");
	return 0;
}

static int exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return CTL_EXIT_START;
}

static int write_pid_file(const char *path, pid_t pid, struct ct_error **err)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%d\n", pid);
	return rt_write_file(path, buf, err);
}

/* Foreground runs block in liblxc's start(), which refuses to run in a threaded process: a
 * helper child asks the monitor (this process) for the init pid and writes the pid file. */
struct pid_writer {
	const char *path, *name, *lxcpath;
	const struct ctl_container *c;
	pid_t pid;
};

/* The application's host pid: the init when it is the command, else init.lxc's child. */
static pid_t app_pid(const struct ctl_container *c, pid_t init)
{
	return api_command_is_init(c) ? init : rt_first_child(init, 1000);
}

static void pid_writer_start(void *data)
{
	struct pid_writer *w = data;
	struct lxc_container *c;
	sigset_t none;

	if (!w->path)
		return;
	w->pid = fork();
	if (w->pid != 0)
		return;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	c = lxc_container_new(w->name, w->lxcpath);
	for (int waited = 0; c && waited < 30000; waited += 10) {
		pid_t pid = c->is_running(c) ? c->init_pid(c) : -1;

		if (pid > 0) {
			write_pid_file(w->path, app_pid(w->c, pid), NULL);
			_exit(0);
		}
		usleep(10000);
	}
	_exit(1);
}

static void pid_writer_stop(void *data)
{
	struct pid_writer *w = data;

	if (w->pid <= 0)
		return;
	kill(w->pid, SIGKILL); /* our own unreaped child: the pid cannot be reused yet */
	waitpid(w->pid, NULL, 0);
}

static int open_target(struct ctl *g, const struct start_args *a, struct ctl_container **ret,
		       struct ctl_error **err)
{
	if (a->bundle)
		return ctl_open_bundle(g->ctx, a->name, a->bundle, ret, err);
	if (a->config)
		return ctl_open_config(g->ctx, a->name, a->config, ret, err);
	return ctl_find(g->ctx, a->name, ret, err);
}

static int run(struct ctl *g, const struct start_args *a, struct ct_error **err)
{
	struct pid_writer writer = { .path = a->daemon ? NULL : a->pid_file };
	struct api_start_hooks hooks = { pid_writer_start, pid_writer_stop, &writer };
	struct ctl_container *c = NULL;
	struct ctl_error *e = NULL;
	int rc;

	if (ctl_settings(g, err) < 0)
		return -1;
	if (open_target(g, a, &c, &e) < 0)
		return api_error_move(e, err, -1);
	writer.name = ctl_container_name(c);
	writer.c = c;
	writer.lxcpath = g->settings->run_dir;
	rc = api_start(c, (const char *const *)a->cmd, a->daemon ? CTL_START_DAEMON : 0, &hooks,
		       &e);
	if (rc < 0)
		rc = api_error_move(e, err, -1);
	else if (a->daemon && a->pid_file)
		rc = write_pid_file(a->pid_file, app_pid(c, ctl_pid(c)), err);
	else if (!a->daemon)
		rc = exit_code(ctl_exit_status(c));
	ctl_container_free(c);
	return rc;
}

int cmd_start(struct ctl *g, int argc, char **argv)
{
	cleanup_error struct ct_error *err = NULL;
	struct start_args a = { 0 };
	int rc = parse(g, argc, argv, &a);

	if (rc > 0)
		return CTL_EXIT_OK;
	if (rc < 0)
		return -rc;
	rc = run(g, &a, &err);
	if (rc < 0)
		return ctl_fail(err, CTL_EXIT_START);
	return rc;
}
