/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ctlaunch start: find, lock, clean leftovers, load, run under init.lxc. */
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
	"Run a container. CMD (or the config's lxc.execute.cmd / lxc.init.cmd, or the bundle's\n"
	"process.args) runs under init.lxc, which reaps zombies and forwards signals.\n\n"
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
		{"name", required_argument, NULL, 'n'},
		{"rcfile", required_argument, NULL, 'f'},
		{"bundle", required_argument, NULL, 'b'},
		{"daemon", no_argument, NULL, 'd'},
		{"pid-file", required_argument, NULL, OPT_PID_FILE},
		CTL_COMMON_LONG_OPTIONS,
		{NULL, 0, NULL, 0},
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

/* A config value as liblxc holds it, NULL when unset. */
static char *config_item(struct lxc_container *c, const char *key)
{
	int len = c->get_config_item(c, key, NULL, 0);
	char *v;

	if (len <= 0)
		return NULL;
	v = calloc(1, (size_t)len + 1);
	if (v && c->get_config_item(c, key, v, len + 1) < 0) {
		free(v);
		return NULL;
	}
	return v;
}

/* The command: given, from the bundle, lxc.execute.cmd (liblxc reads it when argv is NULL),
 * or lxc.init.cmd (copied to lxc.execute.cmd). */
static int choose_command(struct lxc_container *c, char **given, char **bundle_argv,
			  char *const **ret, struct ct_error **err)
{
	cleanup_free char *exec_cmd = NULL, *init_cmd = NULL;

	*ret = given ? given : bundle_argv;
	if (*ret)
		return 0;
	exec_cmd = config_item(c, "lxc.execute.cmd");
	if (exec_cmd && *exec_cmd)
		return 0;
	init_cmd = config_item(c, "lxc.init.cmd");
	if (init_cmd && *init_cmd) {
		if (!c->set_config_item(c, "lxc.execute.cmd", init_cmd))
			return ct_error_set(err, EINVAL, "using lxc.init.cmd = %s as the command",
					    init_cmd);
		return 0;
	}
	return ct_error_hint(err, ct_error_set(err, EINVAL, "starting %s: no command to run",
					       c->name),
			     "give one after --, or set lxc.execute.cmd in the config");
}

/* lxc.signal.halt as configured, 0 when unset. */
static int halt_signal(struct lxc_container *c)
{
	cleanup_free char *v = config_item(c, "lxc.signal.halt");
	int sig = v && *v ? ct_signal_parse(v) : 0;

	return sig > 0 ? sig : 0;
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
	pid_t pid;
};

static void pid_writer_start(struct pid_writer *w)
{
	struct lxc_container *c;
	sigset_t none;

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
			write_pid_file(w->path, rt_first_child(pid, 1000), NULL);
			_exit(0);
		}
		usleep(10000);
	}
	_exit(1);
}

static void pid_writer_stop(struct pid_writer *w)
{
	if (w->pid <= 0)
		return;
	kill(w->pid, SIGKILL); /* our own unreaped child: the pid cannot be reused yet */
	waitpid(w->pid, NULL, 0);
}

static int find_target(struct ctl *g, const struct start_args *a, struct ctl_target *t,
		       struct ct_error **err)
{
	if (a->bundle)
		return find_bundle(a->name, a->bundle, t, err);
	if (a->config)
		return find_config_file(a->name, a->config, t, err);
	return find_by_name(g->settings, a->name, t, err);
}

/* Refuse a running container; clean what a crashed run left. Called with the lock held. */
static int check_not_running(struct ctl *g, const struct ctl_target *t, struct ct_error **err)
{
	struct lxc_container *c = lxc_container_new(t->name, g->settings->run_dir);
	bool running;
	int n;

	if (!c)
		return ct_error_set(err, ENOMEM, "creating the liblxc container object for %s",
				    t->name);
	running = c->is_running(c);
	lxc_container_put(c);
	if (running)
		return ct_error_set(err, EEXIST, "starting %s: it is already running", t->name);
	n = rt_clean_stale(g->settings->run_dir, t->name, err);
	if (n < 0)
		return n;
	if (n > 0)
		ctl_warn(g, "%s: killed %d processes left by a previous run", t->name, n);
	return 0;
}

static int run(struct ctl *g, const struct start_args *a, struct ct_error **err)
{
	cleanup_target struct ctl_target t = {0};
	struct pid_writer writer = {.path = a->pid_file, .name = a->name};
	struct ctl_loaded l = {0};
	cleanup_close int lock = -1;
	char *const *argv = NULL;
	int rc, status;
	bool ok;

	if (ctl_settings(g, err) < 0 || find_target(g, a, &t, err) < 0 ||
	    rt_mkdir(g->settings->run_dir, err) < 0 ||
	    rt_lock(g->settings->run_dir, t.name, &lock, err) < 0 || check_not_running(g, &t, err) < 0 ||
	    load_target(g->settings, &t, &g->diag, &l, err) < 0)
		return -1;
	writer.name = t.name;
	writer.lxcpath = g->settings->run_dir;
	rc = choose_command(l.c, a->cmd, l.argv, &argv, err);
	if (rc == 0)
		rc = rt_meta_write(g->settings->run_dir, t.name, t.config, halt_signal(l.c), err);
	if (rc < 0) {
		loaded_release(&l);
		return rc;
	}
	l.c->want_daemonize(l.c, a->daemon);
	if (a->pid_file && !a->daemon)
		pid_writer_start(&writer);
	ok = l.c->start(l.c, 1, argv);
	status = l.c->error_num;
	pid_writer_stop(&writer);
	if (!ok) {
		rc = ct_error_set(err, EIO, "starting %s: liblxc could not start the container",
				  t.name);
		ct_error_hint(err, rc, "set log: {file: ..., level: DEBUG} in the settings and "
				       "read liblxc's log");
	} else if (a->daemon) {
		struct ct_init init;

		rc = rt_find_init(l.c, t.name, &init, err);
		if (rc == 0 && init.pidfd < 0)
			rc = ct_error_set(err, ESRCH, "starting %s: the container exited at once",
					  t.name);
		if (rc == 0 && a->pid_file)
			rc = write_pid_file(a->pid_file, rt_first_child(init.pid, 1000), err);
		if (init.pidfd >= 0)
			close(init.pidfd);
	} else {
		rc = exit_code(status);
	}
	if (!ok || !a->daemon)
		rt_meta_remove(g->settings->run_dir, t.name);
	loaded_release(&l);
	return rc;
}

int cmd_start(struct ctl *g, int argc, char **argv)
{
	cleanup_error struct ct_error *err = NULL;
	struct start_args a = {0};
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
