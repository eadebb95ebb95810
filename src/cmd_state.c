/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ctlaunch state: one container's state, as text or JSON. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cleanup.h"
#include "ctlaunch.h"
#include "find.h"
#include "state.h"

static const char state_help[] =
	"Usage: ctlaunch state -n NAME [--format text|json]\n"
	"Show name, state (RUNNING, FROZEN, STOPPED), init pid, config path, start time,\n"
	"memory (current, peak) and CPU time from cgroup v1 or v2.\n\n"
	"  -n, --name NAME        the container\n"
	"      --format FORMAT    text (default) or json\n" CTL_COMMON_HELP;

enum { OPT_FORMAT = OPT_FIRST_LOCAL };

/* Through libctlaunch (ctl_attach, ctl_state), into what state_json and state_print_text
 * show. */
static int read_state(struct ctl *g, const char *name, struct state_info *ret,
		      struct ct_error **err)
{
	struct ctl_container *c = NULL;
	struct ctl_error *e = NULL;
	struct ctl_state st;
	const char *config;

	if (ctl_attach(g->ctx, name, &c, &e) < 0 || ctl_state(c, &st, &e) < 0) {
		ctl_container_free(c);
		return api_error_move(e, err, -1);
	}
	config = ctl_container_config(c);
	*ret = (struct state_info){
		.name = name,
		.state = ctl_state_name(st.state),
		.pid = st.pid,
		.monitor = st.monitor,
		.config = config ? strdup(config) : NULL,
		.started = st.started,
		.mem_current = st.mem_current,
		.mem_peak = st.mem_peak,
		.cpu_ns = st.cpu_ns,
	};
	ctl_container_free(c);
	return 0;
}

int cmd_state(struct ctl *g, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "format", required_argument, NULL, OPT_FORMAT },
		CTL_COMMON_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	cleanup_error struct ct_error *err = NULL;
	cleanup_target struct ctl_target t = { 0 };
	struct state_info st;
	const char *name = NULL;
	bool json = false;
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "n:" CTL_COMMON_SHORT, longopts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			name = optarg;
			break;
		case OPT_FORMAT:
			if (ctl_parse_format(optarg, &json) < 0)
				return ctl_usage("state: --format: text or json, not %s", optarg);
			break;
		case 'h':
			fputs(state_help, stdout);
			return CTL_EXIT_OK;
		default:
			if (ctl_common_opt(g, opt, optarg))
				break;
			return ctl_bad_option("state", argv);
		}
	}
	if (!name && optind < argc)
		name = argv[optind++];
	if (!name || optind < argc)
		return ctl_usage("state: give one container: -n NAME");
	if (!find_name_valid(name))
		return ctl_usage("state: not a valid container name: %s", name);
	if (ctl_settings(g, &err) < 0)
		return ctl_fail(err, CTL_EXIT_FAIL);
	if (read_state(g, name, &st, &err) < 0)
		return ctl_fail(err, CTL_EXIT_FAIL);
	if (!st.config && find_by_name(g->settings, name, &t, NULL) == 0)
		st.config = strdup(t.config);
	if (!st.pid && !st.config) {
		state_release(&st);
		ct_error_set(&err, ENOENT, "state of %s: no such container", name);
		return ctl_fail(err, CTL_EXIT_FAIL);
	}
	if (json) {
		json_t *j = state_json(&st);

		if (!j || json_dumpf(j, stdout, JSON_INDENT(2)) < 0) {
			json_decref(j);
			state_release(&st);
			ct_error_set(&err, ENOMEM, "state of %s: cannot build JSON", name);
			return ctl_fail(err, CTL_EXIT_FAIL);
		}
		putchar('\n');
		json_decref(j);
	} else {
		state_print_text(stdout, &st);
	}
	state_release(&st);
	return CTL_EXIT_OK;
}
