/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ctlaunch stop: one or many containers, concurrently, bounded. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "ctlaunch.h"
#include "find.h"
#include "pidfd.h"
#include "runtime.h"
#include "stop.h"

static const char stop_help[] =
	"Usage: ctlaunch stop (-n NAME... | --all) [-t SECONDS] [--kill-after SECONDS]\n"
	"Stop containers: the halt signal (lxc.signal.halt, else SIGTERM) goes to each init\n"
	"through a pidfd; after -t seconds every process of the container gets SIGKILL\n"
	"(cgroup.kill, or freeze-kill-thaw with the v1 freezer); a container still there\n"
	"--kill-after seconds later is reported stuck (exit status 3). Several containers are\n"
	"stopped at the same time.\n\n"
	"  -n, --name NAME        container to stop (repeatable; names may also follow)\n"
	"  -a, --all              every running container ctlaunch knows\n"
	"  -t, --timeout SECONDS  before SIGKILL (settings: stop-timeout, default 10; 0: at once)\n"
	"      --kill-after SECONDS  after SIGKILL (settings: kill-timeout, default 4)\n" CTL_COMMON_HELP;

enum { OPT_KILL_AFTER = OPT_FIRST_LOCAL };

#define MAX_NAMES 1024
#define POST_WAIT_MS 2000

struct stop_args {
	const char *names[MAX_NAMES];
	size_t n;
	bool all;
	double timeout, kill_after; /* < 0: from the settings */
};

static int parse_seconds(const char *s, double *ret)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || v < 0 || v > 86400)
		return -1;
	*ret = v;
	return 0;
}

static int add_name(struct stop_args *a, const char *name)
{
	if (a->n >= MAX_NAMES)
		return -ctl_usage("stop: more than %d names", MAX_NAMES);
	a->names[a->n++] = name;
	return 0;
}

static int parse(struct ctl *g, int argc, char **argv, struct stop_args *a)
{
	static const struct option longopts[] = {
		{"name", required_argument, NULL, 'n'},
		{"all", no_argument, NULL, 'a'},
		{"timeout", required_argument, NULL, 't'},
		{"kill-after", required_argument, NULL, OPT_KILL_AFTER},
		CTL_COMMON_LONG_OPTIONS,
		{NULL, 0, NULL, 0},
	};
	int opt, rc;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "n:at:" CTL_COMMON_SHORT, longopts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			if ((rc = add_name(a, optarg)) < 0)
				return rc;
			break;
		case 'a':
			a->all = true;
			break;
		case 't':
			if (parse_seconds(optarg, &a->timeout) < 0)
				return -ctl_usage("stop: -t: not a number of seconds: %s", optarg);
			break;
		case OPT_KILL_AFTER:
			if (parse_seconds(optarg, &a->kill_after) < 0)
				return -ctl_usage("stop: --kill-after: not a number of seconds: %s",
						  optarg);
			break;
		case 'h':
			fputs(stop_help, stdout);
			return 1;
		default:
			if (ctl_common_opt(g, opt, optarg))
				break;
			return -ctl_bad_option("stop", argv);
		}
	}
	for (int i = optind; i < argc; i++)
		if ((rc = add_name(a, argv[i])) < 0)
			return rc;
	if (!a->n && !a->all)
		return -ctl_usage("stop: which container? Give -n NAME or --all");
	for (size_t i = 0; i < a->n; i++)
		if (!find_name_valid(a->names[i]))
			return -ctl_usage("stop: not a valid container name: %s", a->names[i]);
	return 0;
}

/* Names for --all: what ctlaunch started (run dir) and what the search paths hold. */
static int all_names(struct ctl *g, struct stop_args *a, char ***ret_owned,
		     struct ct_error **err)
{
	char **names = rt_meta_names(g->settings->run_dir);
	struct ctl_target *found = NULL;
	size_t nfound = 0, total = 0, k = 0;
	char **v;

	if (!names)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (find_all(g->settings, &found, &nfound, err) < 0) {
		ct_strv_free(names);
		return -1;
	}
	for (char **p = names; *p; p++)
		total++;
	v = calloc(total + nfound + 1, sizeof(char *));
	for (size_t i = 0; v && i < total; i++)
		v[k++] = steal_pointer(&names[i]);
	for (size_t i = 0; v && i < nfound; i++) {
		bool dup = false;

		for (size_t j = 0; j < total; j++)
			dup = dup || strcmp(v[j], found[i].name) == 0;
		if (!dup)
			v[k++] = steal_pointer(&found[i].name);
	}
	ct_strv_free(names);
	find_all_free(found, nfound);
	if (!v)
		return ct_error_set(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < k && a->n < MAX_NAMES; i++)
		a->names[a->n++] = v[i];
	*ret_owned = v;
	return 0;
}

/* lxc.signal.halt: from the monitor, else as recorded at start, else SIGTERM. */
static int halt_signal(struct lxc_container *c, const char *run_dir, const char *name,
		       bool orphan)
{
	cleanup_free char *v = NULL;
	int sig = -1;

	if (!orphan)
		v = c->get_running_config_item(c, "lxc.signal.halt");
	if (v && *v)
		sig = ct_signal_parse(v);
	if (sig <= 0)
		sig = rt_meta_halt_signal(run_dir, name);
	return sig > 0 ? sig : SIGTERM;
}

/* Let each monitor finish its clean-up (bounded) so that a start right after works. */
static void wait_monitors(struct lxc_container **cs, size_t n)
{
	for (int waited = 0; waited < POST_WAIT_MS * 2; waited++) {
		bool any = false;

		for (size_t i = 0; i < n; i++)
			any = any || (cs[i] && cs[i]->is_running(cs[i]));
		if (!any)
			return;
		usleep(500);
	}
}

static int report(struct ctl *g, struct stop_item *items, size_t n, bool all)
{
	int rc = CTL_EXIT_OK;

	for (size_t i = 0; i < n; i++) {
		struct stop_item *it = &items[i];

		if (it->pid == 0) {
			if (!all && !g->quiet)
				printf("%s: not running\n", it->name);
			continue;
		}
		if (it->result == STOP_FAILED) {
			ctl_fail(it->err, CTL_EXIT_FAIL);
			if (rc == CTL_EXIT_OK)
				rc = CTL_EXIT_FAIL;
			continue;
		}
		if (it->result == STOP_STUCK) {
			fprintf(stderr,
				"ctlaunch: error: %s: stuck: processes survive SIGKILL after %u ms\n",
				it->name, it->elapsed_ms);
			rc = CTL_EXIT_STUCK;
			continue;
		}
		if (!g->quiet)
			printf("%s: %s (%s, %u ms)\n", it->name, stop_result_name(it->result),
			       it->result == STOP_KILLED ? "SIGKILL" : ct_signal_name(it->halt_signal),
			       it->elapsed_ms);
	}
	return rc;
}

static int run(struct ctl *g, struct stop_args *a, struct ct_error **err)
{
	cleanup_strv char **owned = NULL;
	struct lxc_container **cs = NULL;
	struct stop_item *items = NULL;
	double timeout, kill_after;
	int rc = -1;

	if (ctl_settings(g, err) < 0 || (a->all && all_names(g, a, &owned, err) < 0))
		return -1;
	timeout = a->timeout >= 0 ? a->timeout : g->settings->stop_timeout;
	kill_after = a->kill_after >= 0 ? a->kill_after : g->settings->kill_timeout;
	items = calloc(a->n + 1, sizeof(*items));
	cs = calloc(a->n + 1, sizeof(*cs));
	if (!items || !cs) {
		ct_error_set(err, ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < a->n; i++) {
		struct ct_init init;

		items[i].name = a->names[i];
		items[i].pidfd = -1;
		cs[i] = lxc_container_new(a->names[i], g->settings->run_dir);
		if (!cs[i]) {
			ct_error_set(err, ENOMEM, "stopping %s: cannot create a container object",
				     a->names[i]);
			goto out;
		}
		if (rt_find_init(cs[i], a->names[i], &init, err) < 0)
			goto out;
		items[i].pidfd = init.pidfd;
		items[i].pid = init.pidfd >= 0 ? init.pid : 0;
		items[i].halt_signal =
			halt_signal(cs[i], g->settings->run_dir, a->names[i], init.orphan);
	}
	if (stop_run(items, a->n, (unsigned)(timeout * 1000), (unsigned)(kill_after * 1000), err) <
	    0)
		goto out;
	wait_monitors(cs, a->n);
	for (size_t i = 0; i < a->n; i++)
		if (items[i].result == STOP_EXITED || items[i].result == STOP_KILLED)
			rt_meta_remove(g->settings->run_dir, items[i].name);
	rc = report(g, items, a->n, a->all);
out:
	for (size_t i = 0; items && cs && i < a->n; i++) {
		if (items[i].pidfd >= 0)
			close(items[i].pidfd);
		ct_error_free(items[i].err);
		if (cs[i])
			lxc_container_put(cs[i]);
	}
	free(items);
	free(cs);
	return rc;
}

int cmd_stop(struct ctl *g, int argc, char **argv)
{
	cleanup_error struct ct_error *err = NULL;
	struct stop_args a = {.timeout = -1, .kill_after = -1};
	int rc = parse(g, argc, argv, &a);

	if (rc > 0)
		return CTL_EXIT_OK;
	if (rc < 0)
		return -rc;
	rc = run(g, &a, &err);
	if (rc < 0)
		return ctl_fail(err, CTL_EXIT_FAIL);
	return rc;
}
