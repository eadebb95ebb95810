/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ctlaunch check: can containers run on this device? */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cleanup.h"
#include "ctlaunch.h"
#include "doctor.h"

#define MAX_ITEMS 64

enum { OPT_FORMAT = OPT_FIRST_LOCAL };

static void usage(void)
{
	printf("Usage: ctlaunch check [--format text|json]\n"
	       "Check what this device offers containers: namespaces, cgroup layout and "
	       "controllers,\nseccomp, pidfds, cgroup.kill, newuidmap and /etc/subuid, liblxc, "
	       "writable state\npaths. One line per item: OK, WARN (works, with a limit) or FAIL, "
	       "with a fix hint.\n\n"
	       "      --format FMT    text (default) or json\n" CTL_COMMON_HELP
	       "\nExit status: 0 when containers can run (no FAIL), 1 otherwise, 2 on bad "
	       "usage.\n");
}

static int print_json(const struct doctor_item *v, size_t n, bool can_run)
{
	cleanup_free char *s = NULL;
	json_t *root = json_object(), *items = json_array();

	for (size_t i = 0; i < n; i++) {
		json_t *it = json_pack("{s:s, s:s, s:s}", "name", v[i].name, "status",
				       doctor_status_name(v[i].status), "detail", v[i].detail);

		if (it && *v[i].hint)
			json_object_set_new(it, "hint", json_string(v[i].hint));
		json_array_append_new(items, it);
	}
	json_object_set_new(root, "items", items);
	json_object_set_new(root, "can_run", json_boolean(can_run));
	s = json_dumps(root, JSON_INDENT(2));
	json_decref(root);
	if (!s)
		return -1;
	puts(s);
	return 0;
}

int cmd_check(struct ctl *g, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, OPT_FORMAT },
		CTL_COMMON_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	cleanup_error struct ct_error *err = NULL;
	struct doctor_item items[MAX_ITEMS];
	bool json = false, can_run = true;
	size_t n;
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, CTL_COMMON_SHORT, longopts, NULL)) != -1) {
		if (ctl_common_opt(g, opt, optarg))
			continue;
		switch (opt) {
		case 'h':
			usage();
			return CTL_EXIT_OK;
		case OPT_FORMAT:
			if (strcmp(optarg, "json") != 0 && strcmp(optarg, "text") != 0)
				return ctl_usage("check: --format takes text or json, not '%s'",
						 optarg);
			json = strcmp(optarg, "json") == 0;
			break;
		default:
			return ctl_bad_option("check", argv);
		}
	}
	if (optind < argc)
		return ctl_usage("check: unexpected argument '%s'", argv[optind]);
	if (ctl_settings(g, &err) < 0)
		return ctl_fail(err, CTL_EXIT_FAIL);
	n = doctor_run(g->settings, items, MAX_ITEMS);
	for (size_t i = 0; i < n; i++)
		can_run = can_run && items[i].status != DOCTOR_FAIL;
	if (json) {
		if (print_json(items, n, can_run) < 0)
			return CTL_EXIT_FAIL;
	} else {
		for (size_t i = 0; i < n; i++) {
			printf("%-4s %-20s %s\n", doctor_status_name(items[i].status),
			       items[i].name, items[i].detail);
			if (*items[i].hint)
				printf("     %-20s hint: %s\n", "", items[i].hint);
		}
		printf("%s\n", can_run ? "containers can run" : "containers cannot run");
	}
	return can_run ? CTL_EXIT_OK : CTL_EXIT_FAIL;
}
