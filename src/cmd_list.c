/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ctlaunch list: every container in the search paths and the LXC path (and any started from
 * elsewhere that still runs), with its state. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "ctlaunch.h"
#include "find.h"
#include "runtime.h"
#include "state.h"

static const char list_help[] = "Usage: ctlaunch list [--format text|json]\n"
				"List the containers found, with state and init pid.\n\n"
				"      --format FORMAT    text (default) or json\n" CTL_COMMON_HELP;

enum { OPT_FORMAT = OPT_FIRST_LOCAL };

static bool listed(const struct ctl_target *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return true;
	return false;
}

static int emit(struct ctl *g, const char *name, const char *config, json_t *arr,
		struct ct_error **err)
{
	struct state_info st;

	if (state_read(g->settings, name, config, &st, err) < 0)
		return -1;
	if (arr) {
		json_t *j = state_json(&st);

		if (!j || json_array_append_new(arr, j) < 0) {
			state_release(&st);
			return ct_error_set(err, ENOMEM, "out of memory");
		}
	} else {
		char pid[16] = "-";

		if (st.pid)
			snprintf(pid, sizeof(pid), "%d", st.pid);
		printf("%-24s %-8s %-8s %s\n", name, st.state, pid, st.config ? st.config : "-");
	}
	state_release(&st);
	return 0;
}

static int run(struct ctl *g, bool json, struct ct_error **err)
{
	struct ctl_target *found = NULL;
	cleanup_strv char **started = NULL;
	json_t *arr = json ? json_array() : NULL;
	size_t n = 0;
	int rc = 0;

	if (ctl_settings(g, err) < 0 || find_all(g->settings, &found, &n, err) < 0)
		return -1;
	started = rt_meta_names(g->settings->run_dir);
	if (!json)
		printf("%-24s %-8s %-8s %s\n", "NAME", "STATE", "PID", "CONFIG");
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = emit(g, found[i].name, found[i].config, arr, err);
	for (char **p = started; rc == 0 && p && *p; p++)
		if (!listed(found, n, *p))
			rc = emit(g, *p, NULL, arr, err);
	find_all_free(found, n);
	if (rc == 0 && json) {
		if (json_dumpf(arr, stdout, JSON_INDENT(2)) < 0)
			rc = ct_error_set(err, EIO, "writing the list: %s", strerror(errno));
		putchar('\n');
	}
	json_decref(arr);
	return rc;
}

int cmd_list(struct ctl *g, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, OPT_FORMAT },
		CTL_COMMON_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	cleanup_error struct ct_error *err = NULL;
	bool json = false;
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, CTL_COMMON_SHORT, longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_FORMAT:
			if (ctl_parse_format(optarg, &json) < 0)
				return ctl_usage("list: --format: text or json, not %s", optarg);
			break;
		case 'h':
			fputs(list_help, stdout);
			return CTL_EXIT_OK;
		default:
			if (ctl_common_opt(g, opt, optarg))
				break;
			return ctl_bad_option("list", argv);
		}
	}
	if (optind < argc)
		return ctl_usage("list: unexpected argument: %s", argv[optind]);
	if (run(g, json, &err) < 0)
		return ctl_fail(err, CTL_EXIT_FAIL);
	return CTL_EXIT_OK;
}
