/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* jsonpos.c: a JSON pointer's line and column in the text, bounded on any input. */
#include <string.h>

#include "check_main.h"
#include "oci_fixture.h"
#include "ocispec.h"

START_TEST(jsonpos_follows_escaped_pointers)
{
	static const char text[] =
		"{\n"
		"  \"a/b\": {\"m~n\": [10,\n"
		"    {\"x\": 1}]},\n"
		"  \"\\u00e9t\\u00e9\": \"\\\"q\\\"\", \"\": {\"\": 2}, \"k\": \"\xc3\xa9\", \"z\": 3\n"
		"}";
	static const struct {
		const char *ptr;
		int rc;
		unsigned line, col;
	} cases[] = {
		{ "", 0, 1, 1 },
		{ "/a~1b", 0, 2, 10 },
		{ "/a~1b/m~0n", 0, 2, 18 },
		{ "/a~1b/m~0n/0", 0, 2, 19 },
		{ "/a~1b/m~0n/1", 0, 3, 5 },
		{ "/a~1b/m~0n/1/x", 0, 3, 11 },
		{ "/\xc3\xa9t\xc3\xa9", 0, 4, 20 },
		{ "//", 0, 4, 38 },
		{ "/z", 0, 4, 57 },
		{ "/a/b", -1, 0, 0 },
		{ "/a~1b/m~0n/2", -1, 0, 0 },
		{ "/a~1b/m~0n/01", -1, 0, 0 },
		{ "/a~1b/m~2n", -1, 0, 0 },
		{ "/k/0", -1, 0, 0 },
		{ "nope", -1, 0, 0 },
	};

	for (size_t i = 0; i < CT_ARRAY_SIZE(cases); i++) {
		unsigned line = 0, col = 0;
		int rc = jsonpos_find(text, strlen(text), cases[i].ptr, &line, &col);

		ck_assert_msg(rc == cases[i].rc, "%s: rc %d", cases[i].ptr, rc);
		if (rc == 0)
			ck_assert_msg(line == cases[i].line && col == cases[i].col,
				      "%s: at %u:%u, expected %u:%u", cases[i].ptr, line, col,
				      cases[i].line, cases[i].col);
	}
}
END_TEST

/* Truncated and mangled text never crashes or reads out of bounds (ASan checks the bounds:
 * each prefix is copied into an allocation of exactly its length). */
START_TEST(jsonpos_is_bounded_on_any_prefix)
{
	cleanup_free char *path = fixture_path("runc-spec.json");
	cleanup_free char *text = NULL;
	static const char *const ptrs[] = { "/linux/maskedPaths/3", "/process/rlimits/0/soft",
					    "/mounts/6/options/2", "/zzz" };
	size_t len;
	unsigned found = 0;

	text = slurp(path, &len);
	for (size_t n = 0; n <= len; n++) {
		char *copy = malloc(n ? n : 1);

		ck_assert_ptr_nonnull(copy);
		memcpy(copy, text, n);
		for (size_t k = 0; k < CT_ARRAY_SIZE(ptrs); k++) {
			unsigned line, col;

			if (jsonpos_find(copy, n, ptrs[k], &line, &col) == 0 && n == len)
				found++;
		}
		free(copy);
	}
	ck_assert_uint_eq(found, 3);
}
END_TEST

/* dump */

static Suite *make_suite(void)
{
	Suite *s = suite_create("jsonpos");
	TCase *tc = tcase_create("jsonpos");

	tcase_add_test(tc, jsonpos_follows_escaped_pointers);
	tcase_add_test(tc, jsonpos_is_bounded_on_any_prefix);
	suite_add_tcase(s, tc);
	return s;
}
