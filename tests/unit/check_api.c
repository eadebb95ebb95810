/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The public API (include/ctlaunch.h) without containers: errors, contexts, finding, attached
 * handles, not-running answers, the pollable stop's steps on plain processes, and a start that
 * liblxc refuses (warnings reach the handler, the error says how to get liblxc's log). */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../include/ctlaunch.h"
#include "check_main.h"
#include "test_child.h"
#include "cleanup.h"
#include "pidfd.h"
#include "stop.h"

static char tmp[64];

static void setup(void)
{
	strcpy(tmp, "/tmp/ct-api-unit-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmp));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	ck_assert_int_eq(system(cmd), 0);
}

static char *put(const char *rel, const char *text)
{
	char *p = NULL, *dir;
	char cmd[512];
	FILE *f;

	ck_assert_int_ge(asprintf(&p, "%s/%s", tmp, rel), 0);
	dir = strdup(p);
	*strrchr(dir, '/') = '\0';
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
	free(dir);
	f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	return p;
}

/* A settings file over tmp: search path tmp/thunder, LXC path tmp/lxc, run dir tmp/run. */
static struct ctl_context *context(void)
{
	cleanup_free char *text = NULL, *path = NULL;
	struct ctl_error *err = NULL;
	struct ctl_context *ctx;

	ck_assert_int_ge(asprintf(&text,
				  "search-paths: [%s/thunder]\nlxc-path: %s/lxc\nrun-dir: %s/run\n"
				  "stop-timeout: 7\nkill-timeout: 3\n",
				  tmp, tmp, tmp),
			 0);
	path = put("settings.yaml", text);
	ctx = ctl_context_new(path, &err);
	ck_assert_msg(ctx, "%s", ctl_error_message(err));
	ck_assert_ptr_null(err);
	return ctx;
}

START_TEST(error_accessors_accept_null)
{
	unsigned line = 7;

	ck_assert_str_eq(ctl_error_message(NULL), "unknown failure");
	ck_assert_ptr_null(ctl_error_hint(NULL));
	ck_assert_int_eq(ctl_error_code(NULL), 0);
	ck_assert_ptr_null(ctl_error_file(NULL, &line));
	ck_assert_uint_eq(line, 0);
	ctl_error_free(NULL);
	ck_assert_str_eq(ctl_version(), PACKAGE_VERSION);
}
END_TEST

START_TEST(named_settings_file_must_exist)
{
	cleanup_free char *path = NULL;
	struct ctl_error *err = NULL;

	ck_assert_int_ge(asprintf(&path, "%s/nowhere.yaml", tmp), 0);
	ck_assert_ptr_null(ctl_context_new(path, &err));
	ck_assert_ptr_nonnull(err);
	ck_assert_int_eq(ctl_error_code(err), ENOENT);
	ck_assert_ptr_nonnull(strstr(ctl_error_message(err), "nowhere.yaml"));
	ctl_error_free(err);
	/* err may be NULL: only the return value then. */
	ck_assert_ptr_null(ctl_context_new(path, NULL));
}
END_TEST

START_TEST(bad_setting_is_located_at_its_line)
{
	cleanup_free char *path = put("bad.yaml", "stop-timeout: 5\nno-such-key: 1\n");
	struct ctl_error *err = NULL;
	unsigned line = 0;

	ck_assert_ptr_null(ctl_context_new(path, &err));
	ck_assert_ptr_nonnull(err);
	ck_assert_ptr_nonnull(ctl_error_file(err, &line));
	ck_assert_str_eq(ctl_error_file(err, NULL), path);
	ck_assert_uint_eq(line, 2);
	ck_assert_ptr_nonnull(strstr(ctl_error_message(err), "no-such-key"));
	ctl_error_free(err);
}
END_TEST

START_TEST(context_gives_timeouts_and_refuses_relative_run_dir)
{
	struct ctl_context *ctx = context();
	struct ctl_error *err = NULL;

	ck_assert_uint_eq(ctl_context_stop_timeout_ms(ctx), 7000);
	ck_assert_uint_eq(ctl_context_kill_timeout_ms(ctx), 3000);
	ck_assert_int_eq(ctl_context_set_run_dir(ctx, "run", &err), -EINVAL);
	ck_assert_ptr_nonnull(strstr(ctl_error_message(err), "absolute"));
	/* The first error is kept. */
	ck_assert_int_eq(ctl_context_set_lxc_path(ctx, "", &err), -EINVAL);
	ck_assert_ptr_nonnull(strstr(ctl_error_message(err), "absolute"));
	ctl_error_free(err);
	ck_assert_int_eq(ctl_context_set_run_dir(ctx, "/run/elsewhere", NULL), 0);
	ctl_context_free(ctx);
}
END_TEST

START_TEST(find_looks_in_search_paths_then_lxc_path)
{
	struct ctl_context *ctx = context();
	cleanup_free char *a = put("thunder/OCDM/Container/config", "lxc.uts.name = a\n");
	cleanup_free char *b = put("lxc/Other/config", "lxc.uts.name = b\n");
	struct ctl_container *c = NULL;

	ck_assert_int_eq(ctl_find(ctx, "OCDM", &c, NULL), 0);
	ck_assert_str_eq(ctl_container_name(c), "OCDM");
	ck_assert_str_eq(ctl_container_config(c), a);
	ck_assert_int_eq(ctl_pid(c), 0);
	ck_assert_int_eq(ctl_exit_status(c), -1);
	ctl_container_free(c);
	ck_assert_int_eq(ctl_find(ctx, "Other", &c, NULL), 0);
	ck_assert_str_eq(ctl_container_config(c), b);
	ctl_container_free(c);
	ctl_context_free(ctx);
}
END_TEST

START_TEST(find_unknown_or_bad_name_fails_with_errno)
{
	struct ctl_context *ctx = context();
	struct ctl_container *c = NULL;
	struct ctl_error *err = NULL;

	ck_assert_int_eq(ctl_find(ctx, "Missing", &c, &err), -ENOENT);
	ck_assert_ptr_null(c);
	ck_assert_int_eq(ctl_error_code(err), ENOENT);
	/* The hint lists where it looked. */
	ck_assert_ptr_nonnull(strstr(ctl_error_message(err), "no configuration found"));
	ck_assert_ptr_nonnull(strstr(ctl_error_hint(err), "thunder/Missing/Container"));
	ctl_error_free(err);
	err = NULL;
	ck_assert_int_lt(ctl_find(ctx, "../etc", &c, &err), 0);
	ck_assert_ptr_nonnull(err);
	ctl_error_free(err);
	err = NULL;
	ck_assert_int_eq(ctl_attach(ctx, "-x", &c, &err), -EINVAL);
	ck_assert_ptr_null(c);
	ctl_error_free(err);
	ctl_context_free(ctx);
}
END_TEST

START_TEST(open_config_derives_the_name_from_the_thunder_layout)
{
	struct ctl_context *ctx = context();
	cleanup_free char *p = put("x/Netflix/Container/config", "lxc.uts.name = n\n");
	struct ctl_container *c = NULL;

	ck_assert_int_eq(ctl_open_config(ctx, NULL, p, &c, NULL), 0);
	ck_assert_str_eq(ctl_container_name(c), "Netflix");
	ck_assert_str_eq(ctl_container_config(c), p);
	ctl_container_free(c);
	ck_assert_int_eq(ctl_open_config(ctx, "Given", p, &c, NULL), 0);
	ck_assert_str_eq(ctl_container_name(c), "Given");
	ctl_container_free(c);
	ctl_context_free(ctx);
}
END_TEST

START_TEST(attached_container_cannot_start)
{
	struct ctl_context *ctx = context();
	struct ctl_container *c = NULL;
	struct ctl_error *err = NULL;

	ck_assert_int_eq(ctl_attach(ctx, "Some", &c, NULL), 0);
	ck_assert_ptr_null(ctl_container_config(c));
	ck_assert_int_eq(ctl_start(c, NULL, CTL_START_DAEMON, &err), -EINVAL);
	ck_assert_ptr_nonnull(strstr(ctl_error_message(err), "attached"));
	ctl_error_free(err);
	ctl_container_free(c);
	ctl_context_free(ctx);
}
END_TEST

START_TEST(not_running_container_answers_stopped_and_esrch)
{
	struct ctl_context *ctx = context();
	struct ctl_container *c = NULL;
	struct ctl_error *err = NULL;
	enum ctl_stop_result r = CTL_STOP_PENDING;
	struct ctl_state st;

	ck_assert_int_eq(ctl_attach(ctx, "Idle", &c, NULL), 0);
	memset(&st, 0xff, sizeof(st));
	ck_assert_int_eq(ctl_state(c, &st, NULL), 0);
	ck_assert_int_eq(st.state, CTL_STATE_STOPPED);
	ck_assert_int_eq(st.pid, 0);
	ck_assert_int_eq(st.monitor, 0);
	ck_assert_int_eq(st.mem_current, -1);
	for (size_t i = 0; i < CT_ARRAY_SIZE(st.reserved); i++)
		ck_assert_int_eq(st.reserved[i], 0);
	ck_assert_int_eq(ctl_kill(c, SIGTERM, &err), -ESRCH);
	ck_assert_int_eq(ctl_error_code(err), ESRCH);
	ck_assert_ptr_nonnull(strstr(ctl_error_message(err), "not running"));
	ctl_error_free(err);
	ck_assert_int_eq(ctl_stop_begin(c, 1000, 1000, NULL), -ESRCH);
	ck_assert_int_eq(ctl_stop_timeout(c), -1);
	ck_assert_int_eq(ctl_stop_step(c, &r, NULL), -EINVAL);
	ck_assert_int_eq(ctl_stop(c, 1000, 1000, &r, NULL), 0);
	ck_assert_int_eq(r, CTL_STOP_EXITED);
	ctl_container_free(c);
	ctl_context_free(ctx);
}
END_TEST

START_TEST(names_of_states_and_results)
{
	ck_assert_str_eq(ctl_state_name(CTL_STATE_STOPPED), "STOPPED");
	ck_assert_str_eq(ctl_state_name(CTL_STATE_RUNNING), "RUNNING");
	ck_assert_str_eq(ctl_state_name(CTL_STATE_FROZEN), "FROZEN");
	ck_assert_str_eq(ctl_state_name((enum ctl_run_state)42), "?");
	ck_assert_str_eq(ctl_stop_result_name(CTL_STOP_EXITED), "stopped");
	ck_assert_str_eq(ctl_stop_result_name(CTL_STOP_KILLED), "killed");
	ck_assert_str_eq(ctl_stop_result_name(CTL_STOP_STUCK), "stuck");
	ck_assert_str_eq(ctl_stop_result_name((enum ctl_stop_result) - 1), "?");
}
END_TEST

static void collect(void *data, const char *file, unsigned line, unsigned col, const char *msg)
{
	char *buf = data;

	(void)col;
	snprintf(buf + strlen(buf), 1024 - strlen(buf), "%s:%u: %s\n", file ? file : "-", line,
		 msg);
}

/* The rootfs does not exist: liblxc refuses, after the config was read and fed to it. */
START_TEST(refused_start_warns_through_the_handler_and_hints_at_the_log)
{
	struct ctl_context *ctx = context();
	cleanup_free char *text = NULL, *p = NULL;
	struct ctl_container *c = NULL;
	struct ctl_error *err = NULL;
	const char *const argv[] = { "/bin/true", NULL };
	char warnings[1024] = "";
	char name[64];

	snprintf(name, sizeof(name), "ct-api-unit-%d", getpid());
	unsetenv("CT_API_UNIT_UNSET");
	ck_assert_int_ge(asprintf(&text,
				  "lxc.rootfs.path = dir:%s/no-rootfs\n"
				  "lxc.environment = CT_API_UNIT_UNSET\n",
				  tmp),
			 0);
	p = put("thunder/x/Container/config", text);
	ctl_context_set_warning_handler(ctx, collect, warnings);
	ck_assert_int_eq(ctl_open_config(ctx, name, p, &c, NULL), 0);
	ck_assert_int_lt(ctl_start(c, argv, CTL_START_DAEMON, &err), 0);
	ck_assert_ptr_nonnull(err);
	ck_assert_msg(ctl_error_code(err) == EIO || ctl_error_code(err) == ESRCH, "%s",
		      ctl_error_message(err));
	if (ctl_error_code(err) == EIO)
		ck_assert_ptr_nonnull(strstr(ctl_error_hint(err), "log"));
	ck_assert_msg(strstr(warnings, "CT_API_UNIT_UNSET") && strstr(warnings, ":2: "),
		      "warnings: %s", warnings);
	ck_assert_int_eq(ctl_pid(c), 0);
	ctl_error_free(err);
	ctl_container_free(c);
	ctl_context_free(ctx);
}
END_TEST

/* What ctl_stop_begin/ctl_stop_timeout/ctl_stop_step do, on a process ignoring the halt
 * signal: poll the fd with the timeout, step, SIGKILL after the timeout, then over. */
START_TEST(stop_steps_poll_then_escalate_to_sigkill)
{
	pid_t pid = child(false);
	struct stop_item it = { .name = "unit", .pid = pid, .halt_signal = SIGTERM };
	struct pollfd p;
	int steps = 0, w;

	it.pidfd = ct_pidfd_open(pid, 0);
	ck_assert_int_ge(it.pidfd, 0);
	ck_assert_int_eq(stop_begin(&it, 200, 2000), 0);
	ck_assert_int_eq(it.result, STOP_PENDING);
	w = stop_wait_ms(&it);
	ck_assert_int_gt(w, 100);
	ck_assert_int_le(w, 200);
	/* Early steps are harmless. */
	ck_assert_int_eq(stop_step(&it), STOP_PENDING);
	while (it.result == STOP_PENDING && steps++ < 10) {
		p = (struct pollfd){ .fd = it.pidfd, .events = POLLIN };
		poll(&p, 1, stop_wait_ms(&it));
		stop_step(&it);
	}
	ck_assert_int_eq(it.result, STOP_KILLED);
	ck_assert_uint_ge(it.elapsed_ms, 190);
	ck_assert_int_eq(it.pidfd, -1);
	ck_assert_int_eq(stop_wait_ms(&it), -1);
	ck_assert_int_le(steps, 4);
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
}
END_TEST

START_TEST(stop_step_of_a_process_that_obeys_is_exited)
{
	pid_t pid = child(true);
	struct stop_item it = { .name = "unit", .pid = pid, .halt_signal = SIGTERM };

	it.pidfd = ct_pidfd_open(pid, 0);
	ck_assert_int_eq(stop_begin(&it, 5000, 2000), 0);
	ck_assert_int_eq(ct_pidfd_wait(it.pidfd, 5000), 1);
	ck_assert_int_eq(stop_step(&it), STOP_EXITED);
	ck_assert_uint_lt(it.elapsed_ms, 5000);
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
	/* Abandoning a finished stop does nothing more. */
	stop_abandon(&it);
	ck_assert_int_eq(it.pidfd, -1);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("api");
	TCase *tc = tcase_create("api");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, error_accessors_accept_null);
	tcase_add_test(tc, named_settings_file_must_exist);
	tcase_add_test(tc, bad_setting_is_located_at_its_line);
	tcase_add_test(tc, context_gives_timeouts_and_refuses_relative_run_dir);
	tcase_add_test(tc, find_looks_in_search_paths_then_lxc_path);
	tcase_add_test(tc, find_unknown_or_bad_name_fails_with_errno);
	tcase_add_test(tc, open_config_derives_the_name_from_the_thunder_layout);
	tcase_add_test(tc, attached_container_cannot_start);
	tcase_add_test(tc, not_running_container_answers_stopped_and_esrch);
	tcase_add_test(tc, names_of_states_and_results);
	tcase_add_test(tc, refused_start_warns_through_the_handler_and_hints_at_the_log);
	tcase_add_test(tc, stop_steps_poll_then_escalate_to_sigkill);
	tcase_add_test(tc, stop_step_of_a_process_that_obeys_is_exited);
	suite_add_tcase(s, tc);
	return s;
}
