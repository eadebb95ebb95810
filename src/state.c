/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "cleanup.h"
#include "runtime.h"
#include "state.h"

/* First line of dir/file starting with prefix? */
static bool has_line(const char *dir, const char *file, const char *prefix)
{
	cleanup_free char *p = NULL;
	cleanup_fclose FILE *f = NULL;
	char buf[128];

	if (!dir || asprintf(&p, "%s/%s", dir, file) < 0)
		return false;
	f = fopen(p, "re");
	while (f && fgets(buf, sizeof(buf), f))
		if (strncmp(buf, prefix, strlen(prefix)) == 0)
			return true;
	return false;
}

/* Frozen (or freezing) by the v1 freezer or the v2 cgroup.freeze. */
static bool frozen(const struct ct_cgroup *cg)
{
	return has_line(cg->freezer, "freezer.state", "FROZEN") ||
	       has_line(cg->freezer, "freezer.state", "FREEZING") ||
	       has_line(cg->v2, "cgroup.events", "frozen 1");
}

int state_read(const struct ct_settings *s, const char *name, const char *config,
	       struct state_info *ret, struct ct_error **err)
{
	struct state_info st = { .name = name,
				 .state = "STOPPED",
				 .started = -1,
				 .mem_current = -1,
				 .mem_peak = -1,
				 .cpu_ns = -1 };
	struct lxc_container *c = lxc_container_new(name, s->run_dir);
	struct ct_init init;
	int rc;

	if (!c)
		return ct_error_set(err, ENOMEM, "state of %s: cannot create a container object",
				    name);
	rc = rt_find_init(c, name, &init, err);
	lxc_container_put(c);
	if (rc < 0)
		return rc;
	st.config = config ? strdup(config) : rt_meta_config(s->run_dir, name);
	if (init.pidfd >= 0) {
		cleanup_cgroup struct ct_cgroup cg = { 0 };
		struct ct_cgstats stats;

		st.state = "RUNNING";
		st.pid = init.pid;
		st.monitor = !init.orphan;
		st.started = rt_start_time(init.pid);
		if (cgroup_of_pid(init.pid, &cg, NULL) == 0) {
			cgroup_stats(&cg, &stats);
			st.mem_current = stats.mem_current;
			st.mem_peak = stats.mem_peak;
			st.cpu_ns = stats.cpu_ns;
			if (frozen(&cg))
				st.state = "FROZEN";
		}
		close(init.pidfd);
	}
	*ret = st;
	return 0;
}

void state_release(struct state_info *st)
{
	free(st->config);
	st->config = NULL;
}

static json_t *int_or_null(int64_t v)
{
	return v < 0 ? json_null() : json_integer(v);
}

static void iso_time(int64_t t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t < 0 || !gmtime_r(&tt, &tm) || !strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, size, "-");
}

json_t *state_json(const struct state_info *st)
{
	char when[64];

	iso_time(st->started, when, sizeof(when));
	return json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:{s:o, s:o}, s:o}", "name", st->name,
			 "state", st->state, "init_pid",
			 st->pid ? json_integer(st->pid) : json_null(), "monitor",
			 st->pid ? json_boolean(st->monitor) : json_null(), "config",
			 st->config ? json_string(st->config) : json_null(), "started_at",
			 st->started >= 0 ? json_string(when) : json_null(), "memory", "current",
			 int_or_null(st->mem_current), "peak", int_or_null(st->mem_peak),
			 "cpu_time_ns", int_or_null(st->cpu_ns));
}

void state_print_text(FILE *f, const struct state_info *st)
{
	char when[64];

	iso_time(st->started, when, sizeof(when));
	fprintf(f, "name: %s\nstate: %s\n", st->name, st->state);
	if (st->pid)
		fprintf(f, "init pid: %d%s\n", st->pid, st->monitor ? "" : " (monitor gone)");
	fprintf(f, "config: %s\n", st->config ? st->config : "-");
	if (st->pid) {
		fprintf(f, "started at: %s\n", when);
		if (st->mem_current >= 0)
			fprintf(f, "memory: %" PRId64 " bytes (peak %" PRId64 ")\n",
				st->mem_current, st->mem_peak);
		if (st->cpu_ns >= 0)
			fprintf(f, "cpu time: %.3f s\n", (double)st->cpu_ns / 1e9);
	}
}
