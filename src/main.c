/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ctlaunch: run LXC containers (and OCI bundles) through liblxc, in process. */
#include <errno.h>
#include <lxc/lxccontainer.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "ctlaunch.h"

struct command {
	const char *name;
	int (*fn)(struct ctl *g, int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "start", cmd_start, "run a container (foreground unless -d); the default command" },
	{ "stop", cmd_stop, "stop containers: halt signal, timeout, SIGKILL to all, bounded" },
	{ "kill", cmd_kill, "send a signal to a container's init and return" },
	{ "state", cmd_state, "show a container's state, init pid, memory and CPU use" },
	{ "list", cmd_list, "list the containers found, with their state" },
	{ "exec", cmd_exec, "run a command in a running container" },
	{ "idmap", cmd_idmap, "compute, check and apply user namespace id maps (lxc.idmap)" },
	{ "share", cmd_share, "prepare a host path shared with containers" },
	{ "init", cmd_init, "set a container up in the Thunder layout" },
	{ "check", cmd_check, "check that this device can run containers" },
};

/* The process that ran main(). liblxc forks it to make the container's init and, with -d, the
 * monitor; those copies end without freeing what main() allocated. */
static pid_t main_pid;

/* LeakSanitizer asks this at exit (only in -fsanitize builds): check the main process only. */
int __lsan_is_turned_off(void);
int __lsan_is_turned_off(void)
{
	return main_pid && getpid() != main_pid;
}

static void usage(void)
{
	printf("Usage: ctlaunch [COMMAND] [OPTIONS] [-- CMD [ARG...]]\n"
	       "Run LXC containers and OCI bundles through liblxc.\n\n"
	       "Commands:\n");
	for (size_t i = 0; i < CT_ARRAY_SIZE(commands); i++)
		printf("  %-8s %s\n", commands[i].name, commands[i].summary);
	printf("\nWithout a command, ctlaunch starts: 'ctlaunch -n OCDM' runs OCDM in the "
	       "foreground.\n'ctlaunch COMMAND --help' describes a command.\n\n" CTL_COMMON_HELP
	       "      --version        versions and compiled-in features\n\n"
	       "Exit status: start and exec return the application's status (128+N when killed "
	       "by\nsignal N), 125 when ctlaunch itself failed; other commands 0 on success, 1 on "
	       "failure,\n2 on bad usage, 3 when stop leaves processes stuck, 4 when the container "
	       "is not\nrunning (kill, exec).\n");
}

static void version(void)
{
	const struct scmp_version *sv = seccomp_version();

	printf("ctlaunch: %s\n", PACKAGE_VERSION);
	printf("liblxc: %s\n", lxc_get_version());
	printf("settings: %s\n", SETTINGS_DEFAULT_FILE);
	printf("seccomp: yes (libseccomp %u.%u.%u)\n", sv->major, sv->minor, sv->micro);
	printf("capabilities: yes (libcap)\n");
	printf("cgroup-v1: yes (freezer, memory, cpuacct)\n");
	printf("cgroup-v2: yes (cgroup.kill, memory.peak, cpu.stat)\n");
	printf("pidfd: yes (syscall %d/%d)\n", SYS_pidfd_open, SYS_pidfd_send_signal);
	printf("liblxc-pidfd: %s\n", lxc_has_api_extension("pidfd") ? "yes" : "no");
	printf("oci-bundles: yes\n");
}

int ctl_common_opt(struct ctl *g, int opt, const char *arg)
{
	switch (opt) {
	case OPT_CONFIG:
		g->settings_file = arg;
		return 1;
	case 'P':
		g->lxc_path = arg;
		return 1;
	case OPT_RUN_DIR:
		g->run_dir = arg;
		return 1;
	case 'q':
		g->quiet = true;
		g->diag.warn = NULL;
		return 1;
	default:
		return 0;
	}
}

static void diag_print(void *data, const char *file, unsigned line, unsigned col, const char *msg);

int ctl_settings(struct ctl *g, struct ct_error **err)
{
	struct ctl_error *e = NULL;
	const char *file = g->settings_file;
	struct ctl_context *ctx;

	if (g->ctx)
		return 0;
	if (!file)
		file = getenv("CTLAUNCH_CONFIG");
	ctx = ctl_context_new(file, &e);
	if (!ctx)
		return api_error_move(e, err, -1);
	if ((g->lxc_path && ctl_context_set_lxc_path(ctx, g->lxc_path, &e) < 0) ||
	    (g->run_dir && ctl_context_set_run_dir(ctx, g->run_dir, &e) < 0)) {
		ctl_context_free(ctx);
		return api_error_move(e, err, -1);
	}
	ctl_context_set_warning_handler(ctx, g->quiet ? NULL : diag_print, NULL);
	g->ctx = ctx;
	g->settings = api_context_settings(ctx);
	return 0;
}

int ctl_fail(const struct ct_error *err, int code)
{
	char where[512];

	fprintf(stderr, "ctlaunch: %serror: %s\n", ct_error_where(err, where, sizeof(where)),
		err && err->msg ? err->msg : "unknown failure");
	if (err && err->hint)
		fprintf(stderr, "ctlaunch: hint: %s\n", err->hint);
	return code;
}

int ctl_fail_api(const struct ctl_error *err, int code)
{
	return ctl_fail(api_error_detail(err), code);
}

int ctl_usage(const char *fmt, ...)
{
	va_list ap;

	fputs("ctlaunch: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'ctlaunch --help' for more information.\n", stderr);
	return CTL_EXIT_USAGE;
}

int ctl_bad_option(const char *cmd, char **argv)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "?";

	return ctl_usage("%s: bad option, or option without its value: '%s'", cmd, arg);
}

void ctl_warn(const struct ctl *g, const char *fmt, ...)
{
	va_list ap;

	if (g->quiet)
		return;
	fputs("ctlaunch: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int ctl_parse_format(const char *arg, bool *ret_json)
{
	if (strcmp(arg, "text") == 0)
		*ret_json = false;
	else if (strcmp(arg, "json") == 0)
		*ret_json = true;
	else
		return -1;
	return 0;
}

static void diag_print(void *data, const char *file, unsigned line, unsigned col, const char *msg)
{
	struct ct_error e = { .file = (char *)file, .line = line, .col = col };
	char where[512];

	(void)data;
	fprintf(stderr, "ctlaunch: %swarning: %s\n", ct_error_where(&e, where, sizeof(where)), msg);
}

static const struct command *lookup(const char *name)
{
	for (size_t i = 0; i < CT_ARRAY_SIZE(commands); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/* Options that may come before the command word, and whether they take a value. */
static int global_option(const char *a)
{
	static const char *const with_value[] = { "--config", "-P", "--lxcpath", "--run-dir" };
	static const char *const flags[] = { "-q", "--quiet" };

	for (size_t i = 0; i < CT_ARRAY_SIZE(with_value); i++) {
		size_t n = strlen(with_value[i]);

		if (strcmp(a, with_value[i]) == 0)
			return 2;
		if (strncmp(a, with_value[i], n) == 0 && a[n] == '=')
			return 1;
	}
	for (size_t i = 0; i < CT_ARRAY_SIZE(flags); i++)
		if (strcmp(a, flags[i]) == 0)
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	struct ctl g = { .diag = { .warn = diag_print } };
	const struct command *cmd = NULL;
	int i = 1, rc;

	main_pid = getpid();
	opterr = 0; /* bad options are reported in one line by ctl_bad_option() */
	while (i < argc) {
		int skip;

		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage();
			return CTL_EXIT_OK;
		}
		if (strcmp(argv[i], "--version") == 0) {
			version();
			return CTL_EXIT_OK;
		}
		skip = global_option(argv[i]);
		if (!skip)
			break;
		i += skip;
	}
	if (i < argc && argv[i][0] != '-') {
		cmd = lookup(argv[i]);
		if (!cmd)
			return ctl_usage("unknown command '%s'", argv[i]);
		/* The command word becomes argv[0]: its options are parsed from argv[1]. */
		memmove(&argv[2], &argv[1], (size_t)(i - 1) * sizeof(char *));
		argv++;
		argc--;
		argv[0] = (char *)cmd->name;
	} else {
		cmd = &commands[0];
	}
	rc = cmd->fn(&g, argc, argv);
	ctl_context_free(g.ctx);
	return rc;
}
