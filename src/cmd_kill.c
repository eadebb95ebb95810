/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ctlaunch kill: one signal to the container's init, through its pidfd, and return. */
#include <errno.h>
#include <stdio.h>

#include "cleanup.h"
#include "ctlaunch.h"
#include "find.h"
#include "pidfd.h"

static const char kill_help[] =
	"Usage: ctlaunch kill -n NAME [-s SIGNAL]\n"
	"Send SIGNAL (default SIGTERM) to the container's init and return at once. The signal\n"
	"goes through a pidfd: it never reaches a process that took over a recycled pid.\n\n"
	"  -n, --name NAME      the container\n"
	"  -s, --signal SIGNAL  TERM, SIGKILL, 9, RTMIN+3, ...\n" CTL_COMMON_HELP
	"\nExit status 4 when the container is not running.\n";

int cmd_kill(struct ctl *g, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "signal", required_argument, NULL, 's' },
		CTL_COMMON_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	cleanup_error struct ct_error *err = NULL;
	struct ctl_error *e = NULL;
	struct ctl_container *c;
	const char *name = NULL;
	int opt, sig = SIGTERM, rc;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "n:s:" CTL_COMMON_SHORT, longopts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			name = optarg;
			break;
		case 's':
			sig = ct_signal_parse(optarg);
			if (sig < 0)
				return ctl_usage("kill: unknown signal: %s", optarg);
			break;
		case 'h':
			fputs(kill_help, stdout);
			return CTL_EXIT_OK;
		default:
			if (ctl_common_opt(g, opt, optarg))
				break;
			return ctl_bad_option("kill", argv);
		}
	}
	if (!name && optind < argc)
		name = argv[optind++];
	if (!name || optind < argc)
		return ctl_usage("kill: give one container: -n NAME");
	if (!find_name_valid(name))
		return ctl_usage("kill: not a valid container name: %s", name);
	if (ctl_settings(g, &err) < 0)
		return ctl_fail(err, CTL_EXIT_FAIL);
	if (ctl_attach(g->ctx, name, &c, &e) == 0) {
		rc = ctl_kill(c, sig, &e);
		ctl_container_free(c);
		if (rc == 0)
			return CTL_EXIT_OK;
	}
	rc = ctl_fail_api(e, ctl_error_code(e) == ESRCH ? CTL_EXIT_NOT_RUNNING : CTL_EXIT_FAIL);
	ctl_error_free(e);
	return rc;
}
