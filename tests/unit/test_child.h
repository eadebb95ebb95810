/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A child process for stop and kill tests, shared by the launcher's suites. */
#ifndef CT_TEST_CHILD_H
#define CT_TEST_CHILD_H

#include <check.h>
#include <signal.h>
#include <stdbool.h>
#include <unistd.h>

/* A child that exits on SIGTERM (handles_term) or ignores it. It says when its disposition is
 * set: until then it runs Check's inherited SIGTERM handler, which signals the whole group. */
static inline pid_t child(bool handles_term)
{
	int p[2];
	char c;
	pid_t pid;

	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		signal(SIGTERM, handles_term ? SIG_DFL : SIG_IGN);
		if (write(p[1], "r", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	ck_assert_int_eq(read(p[0], &c, 1), 1);
	close(p[0]);
	close(p[1]);
	return pid;
}

#endif
