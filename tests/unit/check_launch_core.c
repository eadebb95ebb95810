/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* find.c, load.c (reading configs, feeding liblxc), pidfd.c, stop.c: without containers. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "check_main.h"
#include "test_child.h"
#include "cleanup.h"
#include "find.h"
#include "load.h"
#include "pidfd.h"
#include "runtime.h"
#include "settings.h"
#include "stop.h"

static char tmp[64];

static void setup(void)
{
	strcpy(tmp, "/tmp/ct-launch-unit-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmp));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	ck_assert_int_eq(system(cmd), 0);
}

static void put(const char *rel, const char *text)
{
	cleanup_free char *p = NULL, *dir = NULL;
	char cmd[512];
	FILE *f;

	ck_assert_int_ge(asprintf(&p, "%s/%s", tmp, rel), 0);
	dir = strdup(p);
	*strrchr(dir, '/') = '\0';
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
	f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static struct ct_settings *settings_in_tmp(void)
{
	struct ct_settings *s = NULL;
	cleanup_error struct ct_error *err = NULL;

	ck_assert_int_eq(settings_new(&s, &err), 0);
	ct_strv_free(s->search_paths);
	s->search_paths = calloc(3, sizeof(char *));
	ck_assert_int_ge(asprintf(&s->search_paths[0], "%s/one", tmp), 0);
	ck_assert_int_ge(asprintf(&s->search_paths[1], "%s/two", tmp), 0);
	free(s->lxc_path);
	ck_assert_int_ge(asprintf(&s->lxc_path, "%s/lxc", tmp), 0);
	return s;
}

START_TEST(find_follows_search_order_then_lxc_path)
{
	cleanup_settings struct ct_settings *s = settings_in_tmp();
	cleanup_error struct ct_error *err = NULL;
	cleanup_target struct ctl_target a = { 0 }, b = { 0 }, c = { 0 };

	put("two/OCDM/Container/config", "lxc.uts.name = b\n");
	put("lxc/OCDM/config", "lxc.uts.name = c\n");
	put("lxc/web/config", "lxc.uts.name = w\n");
	put("one/Bun/Container/config.json", "{}\n");
	ck_assert_int_eq(find_by_name(s, "OCDM", &a, &err), 0);
	ck_assert_ptr_nonnull(strstr(a.config, "/two/OCDM/Container/config"));
	ck_assert_int_eq(a.kind, CTL_KIND_LXC);
	ck_assert_int_eq(find_by_name(s, "web", &b, &err), 0);
	ck_assert_ptr_nonnull(strstr(b.config, "/lxc/web/config"));
	ck_assert_int_eq(find_by_name(s, "Bun", &c, &err), 0);
	ck_assert_int_eq(c.kind, CTL_KIND_OCI);
	ck_assert_ptr_nonnull(strstr(c.bundle, "/one/Bun/Container"));
}
END_TEST

START_TEST(find_unknown_name_lists_where_it_looked)
{
	cleanup_settings struct ct_settings *s = settings_in_tmp();
	cleanup_error struct ct_error *err = NULL;
	struct ctl_target t = { 0 };

	ck_assert_int_eq(find_by_name(s, "Nope", &t, &err), -ENOENT);
	ck_assert_ptr_nonnull(strstr(err->msg, "\"Nope\""));
	ck_assert_ptr_nonnull(err->hint);
	ck_assert_ptr_nonnull(strstr(err->hint, "/one/Nope/Container/config"));
	ck_assert_ptr_nonnull(strstr(err->hint, "/two/Nope/Container/config.json"));
	ck_assert_ptr_nonnull(strstr(err->hint, "/lxc/Nope/config"));
}
END_TEST

START_TEST(find_refuses_names_that_escape)
{
	cleanup_settings struct ct_settings *s = settings_in_tmp();
	cleanup_error struct ct_error *err = NULL;
	struct ctl_target t = { 0 };

	ck_assert(!find_name_valid("../etc"));
	ck_assert(!find_name_valid("a/b"));
	ck_assert(!find_name_valid(".hidden"));
	ck_assert(!find_name_valid("-n"));
	ck_assert(!find_name_valid(""));
	ck_assert(find_name_valid("OCDM_2.x-1"));
	ck_assert_int_eq(find_by_name(s, "../x", &t, &err), -EINVAL);
}
END_TEST

START_TEST(find_file_derives_name_from_thunder_layout)
{
	cleanup_error struct ct_error *err = NULL;
	cleanup_target struct ctl_target a = { 0 }, b = { 0 };
	cleanup_free char *p = NULL;

	put("x/OCDM/Container/config", "lxc.uts.name = a\n");
	ck_assert_int_ge(asprintf(&p, "%s/x/OCDM/Container/config", tmp), 0);
	ck_assert_int_eq(find_config_file(NULL, p, &a, &err), 0);
	ck_assert_str_eq(a.name, "OCDM");
	ck_assert_int_eq(find_config_file("other", p, &b, &err), 0);
	ck_assert_str_eq(b.name, "other");
}
END_TEST

START_TEST(find_all_lists_each_name_once_sorted)
{
	cleanup_settings struct ct_settings *s = settings_in_tmp();
	cleanup_error struct ct_error *err = NULL;
	struct ctl_target *v = NULL;
	size_t n = 0;

	put("one/B/Container/config", "x = y\n");
	put("two/B/Container/config", "x = y\n");
	put("two/A/Container/config.json", "{}\n");
	put("lxc/C/config", "x = y\n");
	put("lxc/empty/README", "x\n");
	ck_assert_int_eq(find_all(s, &v, &n, &err), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(v[0].name, "A");
	ck_assert_str_eq(v[1].name, "B");
	ck_assert_ptr_nonnull(strstr(v[1].config, "/one/B/"));
	ck_assert_str_eq(v[2].name, "C");
	find_all_free(v, n);
}
END_TEST

/* The launcher reads LXC configs through lxcconf_parse_file (check_lxcconf covers the reader):
 * what load_lxc_config hands to liblxc has the includes expanded in place, in order. */
START_TEST(loaded_config_has_includes_expanded_and_quotes_stripped)
{
	cleanup_lxcconf struct lxc_config *conf = NULL;
	cleanup_error struct ct_error *err = NULL;
	cleanup_free char *p = NULL;

	put("c/config", "# top\n\nlxc.uts.name = \"bb\"\nlxc.include = inc.d\n"
			"lxc.environment = A=1 2\nlxc.cap.drop = sys_time\nlxc.cap.drop =\n");
	put("c/inc.d/10-a.conf", "  lxc.arch = x86_64  \n");
	put("c/inc.d/20-b.conf", "lxc.include = ../more\n");
	put("c/inc.d/ignored.txt", "lxc.bogus = 1\n");
	put("c/more", "lxc.signal.halt = 'SIGUSR1'\n");
	ck_assert_int_ge(asprintf(&p, "%s/c/config", tmp), 0);
	ck_assert_int_eq(load_lxc_config(p, NULL, &conf, &err), 0);
	ck_assert_uint_eq(conf->n, 4);
	ck_assert_str_eq(conf->v[0].value, "bb");
	ck_assert_uint_eq(conf->v[0].line, 3);
	ck_assert_str_eq(conf->v[1].key, "lxc.arch");
	ck_assert_str_eq(conf->v[1].value, "x86_64");
	ck_assert_str_eq(conf->v[2].key, "lxc.signal.halt");
	ck_assert_str_eq(conf->v[2].value, "SIGUSR1");
	ck_assert_ptr_nonnull(strstr(conf->v[2].file, "/more"));
	ck_assert_uint_eq(conf->v[2].line, 1);
	ck_assert_str_eq(conf->v[3].value, "A=1 2");
	/* The empty lxc.cap.drop cleared the one before it, as in liblxc. */
	ck_assert_ptr_null(lxcconf_get(conf, "lxc.cap.drop"));
}
END_TEST

START_TEST(loaded_config_errors_are_located_include_loops_too)
{
	cleanup_lxcconf struct lxc_config *conf = NULL;
	cleanup_error struct ct_error *err = NULL, *err2 = NULL;
	cleanup_free char *p = NULL, *q = NULL;

	put("loop/config", "lxc.uts.name = a\nlxc.include = config\n");
	ck_assert_int_ge(asprintf(&p, "%s/loop/config", tmp), 0);
	ck_assert_int_lt(load_lxc_config(p, NULL, &conf, &err), 0);
	ck_assert_ptr_null(conf);
	ck_assert_ptr_nonnull(strstr(err->msg, "loop"));
	ck_assert_uint_eq(err->line, 2);
	put("bad/config", "lxc.uts.name = a\nno equals sign\n");
	ck_assert_int_ge(asprintf(&q, "%s/bad/config", tmp), 0);
	ck_assert_int_lt(load_lxc_config(q, NULL, &conf, &err2), 0);
	ck_assert_uint_eq(err2->line, 2);
	ck_assert_str_eq(err2->file, q);
}
END_TEST

static unsigned warnings;
static char last_warning[256];

static void count_warning(void *data, const char *file, unsigned line, unsigned col,
			  const char *msg)
{
	(void)data;
	(void)file;
	(void)line;
	(void)col;
	warnings++;
	snprintf(last_warning, sizeof(last_warning), "%s", msg);
}

START_TEST(unset_environment_is_skipped_with_a_warning)
{
	cleanup_lxcconf struct lxc_config *conf = lxcconf_new();
	cleanup_error struct ct_error *err = NULL;
	struct ct_diag diag = { .warn = count_warning };
	struct lxc_container *c;
	char buf[256] = "";

	setenv("CT_UNIT_SET", "v1", 1);
	unsetenv("CT_UNIT_UNSET");
	ck_assert_int_eq(lxcconf_add(conf, "lxc.environment", "CT_UNIT_SET", "f", 1, &err), 0);
	ck_assert_int_eq(lxcconf_add(conf, "lxc.environment", "CT_UNIT_UNSET", "f", 2, &err), 0);
	ck_assert_int_eq(lxcconf_add(conf, "lxc.uts.name", "u", "f", 3, &err), 0);
	c = lxc_container_new("unit", tmp);
	ck_assert_ptr_nonnull(c);
	warnings = 0;
	ck_assert_int_eq(load_apply(c, conf, &diag, &err), 0);
	ck_assert_uint_eq(warnings, 1);
	ck_assert_ptr_nonnull(strstr(last_warning, "CT_UNIT_UNSET is not set"));
	ck_assert_int_gt(c->get_config_item(c, "lxc.environment", buf, sizeof(buf)), 0);
	ck_assert_ptr_nonnull(strstr(buf, "CT_UNIT_SET=v1"));
	ck_assert_ptr_null(strstr(buf, "CT_UNIT_UNSET"));
	lxc_container_put(c);
}
END_TEST

START_TEST(liblxc_refusal_is_located)
{
	cleanup_lxcconf struct lxc_config *conf = lxcconf_new();
	cleanup_error struct ct_error *err = NULL;
	struct lxc_container *c = lxc_container_new("unit2", tmp);

	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(lxcconf_add(conf, "lxc.no.such.key", "1", "cfg", 7, &err), 0);
	ck_assert_int_lt(load_apply(c, conf, NULL, &err), 0);
	ck_assert_str_eq(err->file, "cfg");
	ck_assert_uint_eq(err->line, 7);
	ck_assert_ptr_nonnull(strstr(err->msg, "lxc.no.such.key = 1"));
	lxc_container_put(c);
}
END_TEST

START_TEST(signal_names_round_trip)
{
	ck_assert_int_eq(ct_signal_parse("TERM"), SIGTERM);
	ck_assert_int_eq(ct_signal_parse("sigkill"), SIGKILL);
	ck_assert_int_eq(ct_signal_parse("9"), 9);
	ck_assert_int_eq(ct_signal_parse("RTMIN+3"), SIGRTMIN + 3);
	ck_assert_int_eq(ct_signal_parse("0"), -1);
	ck_assert_int_eq(ct_signal_parse("NOPE"), -1);
	ck_assert_int_eq(ct_signal_parse("99"), -1);
	ck_assert_str_eq(ct_signal_name(SIGPWR), "SIGPWR");
	ck_assert_int_eq(ct_signal_parse(ct_signal_name(SIGUSR2)), SIGUSR2);
}
END_TEST

START_TEST(lxc_signal_values_are_read_as_liblxc_reads_them)
{
	ck_assert_int_eq(ct_signal_parse_lxc("SIGUSR1"), SIGUSR1);
	ck_assert_int_eq(ct_signal_parse_lxc("sigpwr"), SIGPWR);
	ck_assert_int_eq(ct_signal_parse_lxc("SIGCLD"), SIGCHLD);
	ck_assert_int_eq(ct_signal_parse_lxc("10"), 10);
	ck_assert_int_eq(ct_signal_parse_lxc("010"), 8);
	ck_assert_int_eq(ct_signal_parse_lxc("0x1f"), 31);
	ck_assert_int_eq(ct_signal_parse_lxc("0"), 0);
	ck_assert_int_eq(ct_signal_parse_lxc("SIGRTMIN+3"), SIGRTMIN + 3);
	ck_assert_int_eq(ct_signal_parse_lxc("sigrtmax-2"), SIGRTMAX - 2);
	ck_assert_int_eq(ct_signal_parse_lxc("USR1"), -1);
	ck_assert_int_eq(ct_signal_parse_lxc("RTMIN+3"), -1);
	ck_assert_int_eq(ct_signal_parse_lxc("SIGRTMIN"), -1);
	ck_assert_int_eq(ct_signal_parse_lxc("SIGRTMIN+"), -1);
	ck_assert_int_eq(ct_signal_parse_lxc(" 10"), -1);
	ck_assert_int_eq(ct_signal_parse_lxc("99"), -1);
	ck_assert_int_eq(ct_signal_parse_lxc(""), -1);
	/* The aliases do not change the names ctlaunch prints. */
	ck_assert_str_eq(ct_signal_name(SIGCHLD), "SIGCHLD");
	ck_assert_str_eq(ct_signal_name(SIGABRT), "SIGABRT");
}
END_TEST

/* liblxc itself is the reference: what it accepts for lxc.signal.halt (and the number it keeps)
 * is what ct_signal_parse_lxc gives, for every spelling tried. */
START_TEST(lxc_signal_parsing_agrees_with_liblxc)
{
	static const char *const values[] = {
		"SIGUSR1",
		"USR1",
		"usr1",
		"sigusr1",
		"10",
		"SIGRTMIN+3",
		"SIGRTMIN",
		"SIGRTMAX-2",
		"RTMIN+3",
		"sigrtmin+0",
		"0",
		"64",
		" SIGTERM",
		"SIGTERM ",
		"10x",
		"+10",
		"SIGCLD",
		"SIGIOT",
		"SIGPOLL",
		"SIGRTMIN+30",
		"SIGRTMIN+31",
		"SIGRTMAX-30",
		"SIGRTMAX-31",
		"010",
		"0x1f",
		"SIGRTMIN+0x2",
		"SIGUSR1x",
		"SIG",
		"SIGRT",
		"-1",
		"SIGPWR",
		"sigkill",
		"SIGSTKFLT",
		"SIGRTMAX-0",
		"18446744073709551617",
	};
	struct lxc_container *c = lxc_container_new("ct-unit-signals", tmp);

	ck_assert_ptr_nonnull(c);
	for (size_t i = 0; i < CT_ARRAY_SIZE(values); i++) {
		char buf[32] = "";
		int ours = ct_signal_parse_lxc(values[i]);
		bool taken;

		c->clear_config(c);
		taken = c->set_config_item(c, "lxc.signal.halt", values[i]);
		ck_assert_msg(taken == (ours >= 0), "%s: liblxc %s it, ct_signal_parse_lxc gave %d",
			      values[i], taken ? "takes" : "refuses", ours);
		if (!taken)
			continue;
		ck_assert_int_gt(c->get_config_item(c, "lxc.signal.halt", buf, sizeof(buf)), 0);
		ck_assert_msg(atoi(buf) == ours, "%s: liblxc keeps %s, ours %d", values[i], buf,
			      ours);
	}
	lxc_container_put(c);
}
END_TEST

START_TEST(halt_signal_comes_from_the_config_file_and_its_includes)
{
	struct ct_diag diag = { .warn = count_warning };
	cleanup_error struct ct_error *err = NULL;
	cleanup_free char *a = NULL, *b = NULL, *c = NULL, *d = NULL, *e = NULL;
	int sig = -1;

	put("h/a/config", "lxc.signal.halt = SIGTERM\nlxc.include = conf.d\n");
	put("h/a/conf.d/10-halt.conf", "lxc.signal.halt = 'SIGUSR1'\n");
	ck_assert_int_ge(asprintf(&a, "%s/h/a/config", tmp), 0);
	ck_assert_int_eq(load_halt_signal(a, &diag, &sig, &err), 0);
	ck_assert_int_eq(sig, SIGUSR1);

	put("h/b/config", "lxc.uts.name = b\nlxc.signal.halt = SIGPWR\nlxc.signal.halt =\n");
	ck_assert_int_ge(asprintf(&b, "%s/h/b/config", tmp), 0);
	ck_assert_int_eq(load_halt_signal(b, &diag, &sig, &err), 0);
	ck_assert_int_eq(sig, 0);

	warnings = 0;
	put("h/c/config", "lxc.uts.name = c\nlxc.signal.halt = USR2\n");
	ck_assert_int_ge(asprintf(&c, "%s/h/c/config", tmp), 0);
	ck_assert_int_eq(load_halt_signal(c, &diag, &sig, &err), 0);
	ck_assert_int_eq(sig, SIGUSR2);
	ck_assert_uint_eq(warnings, 1);
	ck_assert_ptr_nonnull(strstr(last_warning, "liblxc refuses this spelling (write SIGUSR2)"));

	put("h/d/config", "lxc.signal.halt = SIGNOPE\n");
	ck_assert_int_ge(asprintf(&d, "%s/h/d/config", tmp), 0);
	ck_assert_int_eq(load_halt_signal(d, &diag, &sig, &err), 0);
	ck_assert_int_eq(sig, 0);
	ck_assert_uint_eq(warnings, 2);
	ck_assert_ptr_nonnull(strstr(last_warning, "not a signal; sending SIGTERM"));

	ck_assert_int_ge(asprintf(&e, "%s/h/missing/config", tmp), 0);
	ck_assert_int_lt(load_halt_signal(e, &diag, &sig, &err), 0);
	ck_assert_ptr_nonnull(err);
}
END_TEST

static long long ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

START_TEST(pidfd_reports_pid_then_exit)
{
	pid_t pid = child(true);
	int fd = ct_pidfd_open(pid, 0);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ct_pidfd_pid(fd), pid);
	ck_assert(!ct_pidfd_exited(fd));
	ck_assert_int_eq(ct_pidfd_send_signal(fd, SIGTERM), 0);
	ck_assert_int_eq(ct_pidfd_wait(fd, 5000), 1);
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
	ck_assert_int_eq(ct_pidfd_pid(fd), 0);
	/* The pid may be recycled now; the pidfd still refers to the dead process. */
	ck_assert_int_eq(ct_pidfd_send_signal(fd, SIGKILL), -1);
	ck_assert_int_eq(errno, ESRCH);
	close(fd);
}
END_TEST

/* The record names the init by pid and start time: a live process of that start time is
 * trusted, with the recorded halt signal and its parent; a wrong start time (the pid recycled)
 * or a dead process is not, and the caller asks liblxc instead. */
START_TEST(record_names_the_init_only_with_its_start_time)
{
	char dir[] = "/tmp/check_record.XXXXXX", path[96];
	pid_t pid = child(true);
	struct ct_init init = { .pidfd = ct_pidfd_open(pid, 0), .pid = pid }, got;
	unsigned long long ticks;
	int halt = 0, parent;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(rt_meta_write(dir, "rec", "/c/config", SIGUSR1, &init, NULL), 0);
	ck_assert_int_eq(rt_meta_init(dir, "rec", &got, &halt), 0);
	ck_assert_int_eq(got.pid, pid);
	ck_assert_int_eq(halt, SIGUSR1);
	parent = ct_pidfd_parent(pid, got.pidfd);
	ck_assert_int_eq(parent, -1); /* its parent is this very process */
	close(got.pidfd);
	/* The same pid with another start time: a recycled pid. */
	ck_assert_int_eq(rt_start_ticks(pid, &ticks), 0);
	snprintf(path, sizeof(path), "%s/rec.meta", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "config=/c/config\nhalt=10\npid=%d\nstart=%llu\n", pid, ticks + 1);
	fclose(f);
	ck_assert_int_eq(rt_meta_init(dir, "rec", &got, &halt), -1);
	ck_assert_int_eq(got.pidfd, -1);
	/* Without a pid (a foreground start), and once the process is gone. */
	ck_assert_int_eq(rt_meta_write(dir, "rec", "/c/config", 0, NULL, NULL), 0);
	ck_assert_int_eq(rt_meta_init(dir, "rec", &got, &halt), -1);
	ck_assert_int_eq(rt_meta_write(dir, "rec", "/c/config", 0, &init, NULL), 0);
	ck_assert_int_eq(ct_pidfd_send_signal(init.pidfd, SIGTERM), 0);
	ck_assert_int_eq(ct_pidfd_wait(init.pidfd, 5000), 1);
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
	ck_assert_int_eq(rt_meta_init(dir, "rec", &got, &halt), -1);
	close(init.pidfd);
	rt_meta_remove(dir, "rec");
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

START_TEST(stop_many_at_once_takes_one_timeout)
{
	enum { N = 12 };
	struct stop_item items[N];
	pid_t pids[N];
	cleanup_error struct ct_error *err = NULL;
	long long t0;

	memset(items, 0, sizeof(items));
	for (int i = 0; i < N; i++) {
		pids[i] = child(i % 2 == 0); /* half ignore SIGTERM */
		items[i].name = "unit";
		items[i].pid = pids[i];
		items[i].pidfd = ct_pidfd_open(pids[i], 0);
		items[i].halt_signal = SIGTERM;
		ck_assert_int_ge(items[i].pidfd, 0);
	}
	t0 = ms_now();
	ck_assert_int_eq(stop_run(items, N, 300, 2000, &err), 0);
	/* One timeout for all, not N of them. */
	ck_assert_int_lt(ms_now() - t0, 1500);
	for (int i = 0; i < N; i++) {
		ck_assert_int_eq(items[i].result, i % 2 == 0 ? STOP_EXITED : STOP_KILLED);
		if (i % 2)
			ck_assert_uint_ge(items[i].elapsed_ms, 290);
		ck_assert_int_eq(items[i].pidfd, -1);
		ck_assert_int_eq(waitpid(pids[i], NULL, 0), pids[i]);
	}
}
END_TEST

START_TEST(stop_with_zero_timeout_kills_at_once)
{
	struct stop_item it = { .name = "unit", .halt_signal = SIGTERM };
	cleanup_error struct ct_error *err = NULL;
	pid_t pid = child(false);

	it.pid = pid;
	it.pidfd = ct_pidfd_open(pid, 0);
	ck_assert_int_eq(stop_run(&it, 1, 0, 2000, &err), 0);
	ck_assert_int_eq(it.result, STOP_KILLED);
	ck_assert_uint_lt(it.elapsed_ms, 1000);
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
}
END_TEST

/* A v1 freezer cgroup of our own with n children in it (skips when there is none). */
static bool v1_cgroup(char *dir, size_t size, pid_t *pids, int n)
{
	char procs[160];

	if (geteuid() != 0 || access("/sys/fs/cgroup/freezer/cgroup.procs", W_OK) != 0)
		return false;
	snprintf(dir, size, "/sys/fs/cgroup/freezer/ctl-unit-%d", getpid());
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir);
	for (int i = 0; i < n; i++) {
		FILE *f = fopen(procs, "w");

		pids[i] = child(false);
		ck_assert_ptr_nonnull(f);
		fprintf(f, "%d\n", pids[i]);
		ck_assert_int_eq(fclose(f), 0);
	}
	return true;
}

static void freeze_dir(const char *dir, const char *state)
{
	char p[160];
	FILE *f;

	snprintf(p, sizeof(p), "%s/freezer.state", dir);
	f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs(state, f);
	ck_assert_int_eq(fclose(f), 0);
}

START_TEST(v1_freezer_kill_ends_every_process_even_frozen_ones)
{
	enum { N = 4 };
	cleanup_error struct ct_error *err = NULL;
	struct ct_cgroup cg = { 0 };
	pid_t pids[N];
	pid_t *listed = NULL;
	size_t n = 0;
	char dir[128];

	if (!v1_cgroup(dir, sizeof(dir), pids, N))
		return;		   /* needs root and a v1 freezer */
	freeze_dir(dir, "FROZEN"); /* as if someone froze the container */
	cg.freezer = strdup(dir);
	ck_assert_int_eq(cgroup_pids(&cg, &listed, &n, &err), 0);
	ck_assert_uint_eq(n, N);
	free(listed);
	/* v2 left out: the freeze-kill-thaw path of v1-only hosts. */
	ck_assert_int_eq(cgroup_kill_all(&cg, 500, &err), 0);
	for (int i = 0; i < N; i++) {
		int status;

		ck_assert_int_eq(waitpid(pids[i], &status, 0), pids[i]);
		ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	}
	ck_assert_int_eq(rmdir(dir), 0);
	cgroup_release(&cg);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("launch_core");
	TCase *tc = tcase_create("launch_core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, find_follows_search_order_then_lxc_path);
	tcase_add_test(tc, find_unknown_name_lists_where_it_looked);
	tcase_add_test(tc, find_refuses_names_that_escape);
	tcase_add_test(tc, find_file_derives_name_from_thunder_layout);
	tcase_add_test(tc, find_all_lists_each_name_once_sorted);
	tcase_add_test(tc, loaded_config_has_includes_expanded_and_quotes_stripped);
	tcase_add_test(tc, loaded_config_errors_are_located_include_loops_too);
	tcase_add_test(tc, unset_environment_is_skipped_with_a_warning);
	tcase_add_test(tc, liblxc_refusal_is_located);
	tcase_add_test(tc, signal_names_round_trip);
	tcase_add_test(tc, lxc_signal_values_are_read_as_liblxc_reads_them);
	tcase_add_test(tc, lxc_signal_parsing_agrees_with_liblxc);
	tcase_add_test(tc, halt_signal_comes_from_the_config_file_and_its_includes);
	tcase_add_test(tc, pidfd_reports_pid_then_exit);
	tcase_add_test(tc, record_names_the_init_only_with_its_start_time);
	tcase_add_test(tc, stop_many_at_once_takes_one_timeout);
	tcase_add_test(tc, stop_with_zero_timeout_kills_at_once);
	tcase_add_test(tc, v1_freezer_kill_ends_every_process_even_frozen_ones);
	suite_add_tcase(s, tc);
	return s;
}
