/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Embedding libctlaunch, as a Thunder ProcessContainers backend would: find a container by
 * name through a settings file, start it in the background, print its state, then stop it by
 * polling the stop's file descriptor with the deadlines the library gives.
 *
 *   cc embed.c $(pkg-config --cflags --libs ctlaunch) -o embed
 *   ./embed SETTINGS NAME [CMD [ARG...]]
 *
 * Exit status: 0 when the container ran and stopped, 1 on failure, 3 when it was stuck.
 */
#include <ctlaunch.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>

static void warn(void *data, const char *file, unsigned line, unsigned col, const char *msg)
{
	(void)data;
	(void)col;
	if (file)
		fprintf(stderr, "embed: warning: %s:%u: %s\n", file, line, msg);
	else
		fprintf(stderr, "embed: warning: %s\n", msg);
}

static int fail(const char *what, struct ctl_error *err)
{
	const char *hint = ctl_error_hint(err);

	fprintf(stderr, "embed: %s: %s (errno %d)\n", what, ctl_error_message(err),
		ctl_error_code(err));
	if (hint)
		fprintf(stderr, "embed: hint: %s\n", hint);
	ctl_error_free(err);
	return 1;
}

static int print_state(struct ctl_container *c)
{
	struct ctl_error *err = NULL;
	struct ctl_state st;

	if (ctl_state(c, &st, &err) < 0)
		return fail("state", err);
	printf("state: %s\npid: %d\nmonitor: %d\nmemory: %" PRId64 "\ncpu_ns: %" PRId64 "\n",
	       ctl_state_name(st.state), (int)st.pid, st.monitor, st.mem_current, st.cpu_ns);
	return 0;
}

/* Stop, driving the steps from a poll loop (an event loop would add the fd to its set). */
static int stop(struct ctl_context *ctx, struct ctl_container *c)
{
	enum ctl_stop_result r = CTL_STOP_PENDING;
	struct ctl_error *err = NULL;
	int fd = ctl_stop_begin(c, ctl_context_stop_timeout_ms(ctx),
				ctl_context_kill_timeout_ms(ctx), &err);

	if (fd < 0)
		return fail("stop", err);
	while (r == CTL_STOP_PENDING) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int n = poll(&p, 1, ctl_stop_timeout(c));

		printf("poll: %s\n", n > 0 ? "readable" : n == 0 ? "timeout" : "interrupted");
		if (ctl_stop_step(c, &r, &err) < 0)
			return fail("stop", err);
	}
	printf("stop: %s after %u ms\n", ctl_stop_result_name(r), ctl_stop_elapsed_ms(c));
	return r == CTL_STOP_STUCK ? 3 : 0;
}

int main(int argc, char **argv)
{
	struct ctl_container *c = NULL;
	struct ctl_error *err = NULL;
	struct ctl_context *ctx;
	int rc;

	if (argc < 3) {
		fprintf(stderr, "usage: embed SETTINGS NAME [CMD [ARG...]]\n");
		return 2;
	}
	printf("libctlaunch %s\n", ctl_version());
	ctx = ctl_context_new(argv[1], &err);
	if (!ctx)
		return fail("settings", err);
	ctl_context_set_warning_handler(ctx, warn, NULL);
	if (ctl_find(ctx, argv[2], &c, &err) < 0) {
		ctl_context_free(ctx);
		return fail("find", err);
	}
	printf("config: %s\n", ctl_container_config(c));
	rc = ctl_start(c, argc > 3 ? (const char *const *)&argv[3] : NULL, CTL_START_DAEMON, &err);
	if (rc < 0) {
		rc = fail("start", err);
	} else {
		printf("started: pid %d\n", (int)ctl_pid(c));
		rc = print_state(c);
		if (rc == 0)
			rc = stop(ctx, c);
		else
			ctl_kill(c, SIGKILL, NULL);
	}
	ctl_container_free(c);
	ctl_context_free(ctx);
	return rc;
}
