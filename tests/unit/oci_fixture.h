/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the OCI reader's suites share (check_ocispec.c, check_jsonpos.c): the test documents in
 * tests/unit/data/oci and a reader of whole files. */
#ifndef CT_TEST_OCI_FIXTURE_H
#define CT_TEST_OCI_FIXTURE_H

#include <stdio.h>

#include "cleanup.h"
#include "fileio.h"

#ifndef OCI_DATA_DIR
#error "OCI_DATA_DIR must name tests/unit/data/oci"
#endif

static inline char *fixture_path(const char *name)
{
	char *p;

	ck_assert_int_ge(asprintf(&p, "%s/%s", OCI_DATA_DIR, name), 0);
	return p;
}

static inline char *slurp(const char *path, size_t *ret_len)
{
	cleanup_error struct ct_error *err = NULL;
	char *buf = NULL;

	ck_assert_msg(ct_read_file(path, CT_MAX_INPUT_SIZE, &buf, ret_len, &err) == 0,
		      "cannot read %s: %s", path, err ? err->msg : "?");
	return buf;
}

#endif
