/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ctlaunch exec: run a command in a running container (liblxc attach_run_wait). */
#include <errno.h>
#include <lxc/attach_options.h>
#include <lxc/lxccontainer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "cleanup.h"
#include "ctlaunch.h"
#include "find.h"

static const char exec_help[] =
	"Usage: ctlaunch exec -n NAME [--uid U] [--gid G] [--cwd DIR] [--env K=V]... -- CMD "
	"[ARG...]\n"
	"Run CMD in the running container, in all its namespaces and cgroups, with a clean\n"
	"environment (PATH, and each --env). Exit status: CMD's (128+N when killed by signal N),\n"
	"4 when the container is not running, 125 when ctlaunch failed.\n\n"
	"  -n, --name NAME   the container\n"
	"  -u, --uid U       user id in the container (default 0)\n"
	"  -g, --gid G       group id in the container (default 0)\n"
	"      --cwd DIR     working directory (default /)\n"
	"  -e, --env K=V     set a variable (repeatable)\n" CTL_COMMON_HELP;

enum { OPT_CWD = OPT_FIRST_LOCAL };

#define MAX_ENV 256
#define DEFAULT_PATH "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

static int parse_id(const char *s, long *ret)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > 0x7fffffff)
		return -1;
	*ret = v;
	return 0;
}

int cmd_exec(struct ctl *g, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "uid", required_argument, NULL, 'u' },
		{ "gid", required_argument, NULL, 'g' },
		{ "cwd", required_argument, NULL, OPT_CWD },
		{ "env", required_argument, NULL, 'e' },
		CTL_COMMON_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	lxc_attach_options_t opts = LXC_ATTACH_OPTIONS_DEFAULT;
	lxc_attach_command_t command;
	cleanup_error struct ct_error *err = NULL;
	char *env[MAX_ENV + 2] = { NULL };
	struct lxc_container *c;
	const char *name = NULL;
	size_t nenv = 0;
	bool has_path = false;
	long id;
	int opt, status;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "+n:u:g:e:" CTL_COMMON_SHORT, longopts, NULL)) !=
	       -1) {
		switch (opt) {
		case 'n':
			name = optarg;
			break;
		case 'u':
			if (parse_id(optarg, &id) < 0)
				return ctl_usage("exec: --uid: not a user id: %s", optarg);
			opts.uid = (uid_t)id;
			break;
		case 'g':
			if (parse_id(optarg, &id) < 0)
				return ctl_usage("exec: --gid: not a group id: %s", optarg);
			opts.gid = (gid_t)id;
			break;
		case OPT_CWD:
			opts.initial_cwd = optarg;
			break;
		case 'e':
			if (!strchr(optarg, '=') || optarg[0] == '=')
				return ctl_usage("exec: --env: expected K=V, got %s", optarg);
			if (nenv >= MAX_ENV)
				return ctl_usage("exec: more than %d --env", MAX_ENV);
			has_path = has_path || strncmp(optarg, "PATH=", 5) == 0;
			env[nenv++] = optarg;
			break;
		case 'h':
			fputs(exec_help, stdout);
			return CTL_EXIT_OK;
		default:
			if (ctl_common_opt(g, opt, optarg))
				break;
			return ctl_bad_option("exec", argv);
		}
	}
	if (!name)
		return ctl_usage("exec: which container? Give -n NAME");
	if (optind >= argc)
		return ctl_usage("exec: no command: give it after --");
	if (!find_name_valid(name))
		return ctl_usage("exec: not a valid container name: %s", name);
	if (!has_path)
		env[nenv++] = (char *)DEFAULT_PATH;
	if (ctl_settings(g, &err) < 0)
		return ctl_fail(err, CTL_EXIT_START);
	c = lxc_container_new(name, g->settings->run_dir);
	if (!c) {
		ct_error_set(&err, ENOMEM, "exec in %s: cannot create a container object", name);
		return ctl_fail(err, CTL_EXIT_START);
	}
	if (!c->is_running(c)) {
		lxc_container_put(c);
		ct_error_set(&err, ESRCH, "exec in %s: not running", name);
		return ctl_fail(err, CTL_EXIT_NOT_RUNNING);
	}
	opts.env_policy = LXC_ATTACH_CLEAR_ENV;
	opts.extra_env_vars = env;
	command.program = argv[optind];
	command.argv = &argv[optind];
	status = c->attach_run_wait(c, &opts, command.program, (const char *const *)command.argv);
	lxc_container_put(c);
	if (status < 0) {
		ct_error_set(&err, EIO, "exec in %s: liblxc could not attach", name);
		return ctl_fail(err, CTL_EXIT_START);
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : CTL_EXIT_START;
}
