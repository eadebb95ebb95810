/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ctlaunch stop: one or many containers, concurrently, bounded. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "ctlaunch.h"
#include "find.h"
#include "pidfd.h"
#include "runtime.h"

static const char stop_help[] =
	"Usage: ctlaunch stop (-n NAME... | --all) [-t SECONDS] [--kill-after SECONDS]\n"
	"Stop containers: the halt signal (lxc.signal.halt, else SIGTERM) goes to each init\n"
	"through a pidfd; after -t seconds every process of the container gets SIGKILL\n"
	"(cgroup.kill, or freeze-kill-thaw with the v1 freezer); a container still there\n"
	"--kill-after seconds later is reported stuck (exit status 3). Several containers are\n"
	"stopped at the same time. When neither liblxc's monitor (out of reach for a container\n"
	"lxc-start ran under another lxcpath) nor ctlaunch's record of the start gives\n"
	"lxc.signal.halt, it is read from the container's config file, found by name.\n\n"
	"  -n, --name NAME        container to stop (repeatable; names may also follow)\n"
	"  -a, --all              every running container ctlaunch knows\n"
	"  -t, --timeout SECONDS  before SIGKILL (settings: stop-timeout, default 10; 0: at once)\n"
	"      --kill-after SECONDS  after SIGKILL (settings: kill-timeout, default 4)\n" CTL_COMMON_HELP;

enum { OPT_KILL_AFTER = OPT_FIRST_LOCAL };

#define MAX_NAMES 1024

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
		{ "name", required_argument, NULL, 'n' },
		{ "all", no_argument, NULL, 'a' },
		{ "timeout", required_argument, NULL, 't' },
		{ "kill-after", required_argument, NULL, OPT_KILL_AFTER },
		CTL_COMMON_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
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
static int all_names(struct ctl *g, struct stop_args *a, char ***ret_owned, struct ct_error **err)
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

static int report(struct ctl *g, struct ctl_container *const *c, const struct api_stop_out *v,
		  size_t n, bool all)
{
	int rc = CTL_EXIT_OK;

	for (size_t i = 0; i < n; i++) {
		const struct api_stop_out *o = &v[i];
		const char *name = ctl_container_name(c[i]);

		if (!o->running) {
			if (!all && !g->quiet)
				printf("%s: not running\n", name);
			continue;
		}
		if (o->err) {
			ctl_fail_api(o->err, CTL_EXIT_FAIL);
			if (rc == CTL_EXIT_OK)
				rc = CTL_EXIT_FAIL;
			continue;
		}
		if (o->result == CTL_STOP_STUCK) {
			fprintf(stderr,
				"ctlaunch: error: %s: stuck: processes survive SIGKILL after %u ms\n",
				name, ctl_stop_elapsed_ms(c[i]));
			rc = CTL_EXIT_STUCK;
			continue;
		}
		if (!g->quiet)
			printf("%s: %s (%s, %u ms)\n", name, ctl_stop_result_name(o->result),
			       o->result == CTL_STOP_KILLED ? "SIGKILL"
							    : ct_signal_name(ctl_stop_signal(c[i])),
			       ctl_stop_elapsed_ms(c[i]));
	}
	return rc;
}

/* Every container at once (api_stop_many): all found, then all signalled, then one poll. */
static int run(struct ctl *g, struct stop_args *a, struct ct_error **err)
{
	cleanup_strv char **owned = NULL;
	cleanup_free struct ctl_container **c = NULL;
	cleanup_free struct api_stop_out *v = NULL;
	unsigned timeout_ms, kill_ms;
	int rc = 0;

	if (ctl_settings(g, err) < 0 || (a->all && all_names(g, a, &owned, err) < 0))
		return -1;
	timeout_ms = a->timeout >= 0 ? (unsigned)(a->timeout * 1000)
				     : ctl_context_stop_timeout_ms(g->ctx);
	kill_ms = a->kill_after >= 0 ? (unsigned)(a->kill_after * 1000)
				     : ctl_context_kill_timeout_ms(g->ctx);
	c = calloc(a->n + 1, sizeof(*c));
	v = calloc(a->n + 1, sizeof(*v));
	if (!c || !v)
		return ct_error_set(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < a->n && rc == 0; i++) {
		struct ctl_error *e = NULL;

		/* The names are valid (checked by parse, or found): only ENOMEM fails here. */
		if (ctl_attach(g->ctx, a->names[i], &c[i], &e) < 0)
			rc = api_error_move(e, err, -1);
	}
	if (rc == 0)
		rc = api_stop_many(c, a->n, timeout_ms, kill_ms, v, err);
	if (rc == 0)
		rc = report(g, c, v, a->n, a->all);
	for (size_t i = 0; i < a->n; i++) {
		ctl_container_free(c[i]);
		ctl_error_free(v[i].err);
	}
	return rc;
}

int cmd_stop(struct ctl *g, int argc, char **argv)
{
	cleanup_error struct ct_error *err = NULL;
	struct stop_args a = { .timeout = -1, .kill_after = -1 };
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
