/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared main() for the Check suites: each file defines make_suite() and includes this. The
 * results go out as TAP (CK_TAP_LOG_FILE_NAME=- is set by the test harness). */
#ifndef CT_CHECK_MAIN_H
#define CT_CHECK_MAIN_H

#include <check.h>
#include <stdlib.h>

static Suite *make_suite(void);

int main(void)
{
	SRunner *sr = srunner_create(make_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
