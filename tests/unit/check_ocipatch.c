/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ocipatch.c: carry lines written by the diff give back the original document when applied. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "cleanup.h"
#include "jsonutil.h"
#include "lxcconf.h"
#include "ocipatch.h"

/* Collects warnings for the assertions. */
struct seen {
	char msgs[16][512];
	unsigned n;
};

static void collect(void *data, const char *file, unsigned line, unsigned col, const char *msg)
{
	struct seen *s = data;

	(void)file;
	(void)line;
	(void)col;
	if (s->n < CT_ARRAY_SIZE(s->msgs))
		snprintf(s->msgs[s->n], sizeof(s->msgs[0]), "%s", msg);
	s->n++;
}

static json_t *load(const char *text)
{
	json_t *j = json_loads(text, JSON_DECODE_ANY, NULL);

	ck_assert_msg(j != NULL, "bad test JSON: %s", text);
	return j;
}

/* diff(want, got) then apply to a copy of got must give want. */
static struct lxc_config *roundtrip(const char *want_text, const char *got_text, struct seen *seen)
{
	cleanup_json json_t *want = load(want_text), *got = load(got_text), *patched = NULL;
	cleanup_error struct ct_error *err = NULL;
	struct ct_diag diag = { .warn = collect, .data = seen };
	struct lxc_config *conf = lxcconf_new();
	cleanup_free char *w = NULL, *p = NULL;

	ck_assert_ptr_nonnull(conf);
	ck_assert_int_eq(ocipatch_diff(want, got, conf, &diag, &err), 0);
	patched = json_deep_copy(got);
	ck_assert_int_eq(ocipatch_apply(conf, patched, &diag, &err), 0);
	w = ct_json_canonical(want);
	p = ct_json_canonical(patched);
	ck_assert_msg(json_equal(want, patched), "want %s\n got %s", w, p);
	return conf;
}

static const struct {
	const char *what, *want, *got;
	size_t lines;
	size_t warned; /* removal lines are not warned about: the LXC keys only spell a default */
} shapes[] = {
	{ "equal documents", "{\"a\": {\"b\": [1, 2]}}", "{\"a\": {\"b\": [1, 2]}}", 0, 0 },
	{ "nested object member missing", "{\"p\": {\"u\": {\"uid\": 5, \"gid\": 6}}}",
	  "{\"p\": {\"u\": {\"gid\": 6}}}", 1, 1 },
	{ "whole subtree missing", "{\"p\": {\"u\": {\"uid\": 5}, \"t\": true}}", "{}", 1, 1 },
	{ "arrays of the same length", "{\"e\": [\"A=1\", \"B=2\", {\"x\": 1, \"y\": 2}]}",
	  "{\"e\": [\"A=1\", \"B=3\", {\"x\": 1, \"y\": 3}]}", 2, 2 },
	{ "arrays of different length", "{\"e\": [1, 2, 3]}", "{\"e\": [1, 2]}", 1, 1 },
	{ "annotation keys with '/', '~', spaces and ' = '",
	  "{\"annotations\": {\"org.a/b\": \"1\", \"x~y/z\": \"2\", \"k = v\": \"3 = 4\", \"t \": \"\"}}",
	  "{\"annotations\": {}}", 4, 4 },
	{ "removal", "{\"linux\": {\"namespaces\": []}}",
	  "{\"linux\": {\"namespaces\": [], \"sysctl\": {\"a\": \"b\"}}, \"hostname\": \"h\"}", 2,
	  0 },
	{ "type change", "{\"a\": {\"b\": 1}}", "{\"a\": [1]}", 1, 1 },
	{ "member name with a newline", "{\"annotations\": {\"a\\nb\": \"x\", \"c\": \"d\"}}",
	  "{\"annotations\": {\"c\": \"d\"}}", 1, 1 },
	{ "unicode and '@' in values", "{\"a\": \"\xc3\xa9 @ffff\", \"b\": [\"@none\"]}",
	  "{\"b\": [\"-\"]}", 2, 2 },
};

START_TEST(diff_then_apply_gives_want_back)
{
	struct seen seen = { .n = 0 };
	cleanup_lxcconf struct lxc_config *conf = roundtrip(shapes[_i].want, shapes[_i].got, &seen);

	ck_assert_msg(conf->ncarry == shapes[_i].lines, "%s: %zu lines", shapes[_i].what,
		      conf->ncarry);
	ck_assert_uint_eq(seen.n, shapes[_i].warned);
}
END_TEST

START_TEST(carry_lines_have_the_documented_format)
{
	struct seen seen = { .n = 0 };
	cleanup_json json_t *got = load("{\"process\": {\"terminal\": false}, \"x\": 1}");
	cleanup_lxcconf struct lxc_config *conf = roundtrip(
		"{\"process\": {\"terminal\": true, \"user\": {\"uid\": 1, \"gid\": 2}}, "
		"\"annotations\": {\"o/p\": \"v\"}}",
		"{\"process\": {\"terminal\": false}, \"x\": 1}", &seen);
	char want[64];

	ck_assert_uint_eq(conf->ncarry, 4);
	snprintf(want, sizeof(want), " /process/terminal = true @%016llx",
		 ct_json_hash(json_false()));
	ck_assert_str_eq(conf->carry[0].text, want);
	ck_assert_str_eq(conf->carry[1].text, " /process/user = {\"uid\":1,\"gid\":2} @none");
	ck_assert_str_eq(conf->carry[2].text, " /annotations = {\"o/p\":\"v\"} @none");
	snprintf(want, sizeof(want), " /x - @%016llx", ct_json_hash(ct_json_get(got, "/x")));
	ck_assert_str_eq(conf->carry[3].text, want);
	ck_assert_str_eq(seen.msgs[1], "/process/user: no LXC key expresses this; kept as an "
				       "'#oci:' comment line (liblxc ignores it, lxc2oci restores "
				       "it)");
	ck_assert_ptr_nonnull(strstr(seen.msgs[0], "the LXC keys give false"));
	ck_assert_uint_eq(seen.n, 3); /* the removal of /x is not a loss: no warning */
}
END_TEST

START_TEST(annotation_pointers_are_escaped)
{
	struct seen seen = { .n = 0 };
	cleanup_lxcconf struct lxc_config *conf = roundtrip(
		"{\"annotations\": {\"org.a/b~c\": \"1\", \"k\": \"2\"}}",
		"{\"annotations\": {\"k\": \"2\"}}", &seen);

	ck_assert_uint_eq(conf->ncarry, 1);
	ck_assert_str_eq(conf->carry[0].text, " /annotations/org.a~1b~0c = \"1\" @none");
}
END_TEST

START_TEST(inert_pointers_do_not_warn)
{
	struct seen seen = { .n = 0 };
	cleanup_lxcconf struct lxc_config *conf = roundtrip(
		"{\"ociVersion\": \"1.1.0\", \"root\": {\"path\": \"rootfs\"}}",
		"{\"ociVersion\": \"1.0.2-dev\", \"root\": {\"path\": \"/b/rootfs\"}}", &seen);

	ck_assert_uint_eq(conf->ncarry, 2);
	ck_assert_uint_eq(seen.n, 0);
}
END_TEST

START_TEST(strict_diag_turns_a_carry_line_into_an_error)
{
	cleanup_json json_t *want = load("{\"process\": {\"terminal\": true}}");
	cleanup_json json_t *got = load("{\"process\": {}}");
	cleanup_lxcconf struct lxc_config *conf = lxcconf_new();
	cleanup_error struct ct_error *err = NULL;
	struct ct_diag diag = { .strict = true };

	ck_assert_int_lt(ocipatch_diff(want, got, conf, &diag, &err), 0);
	ck_assert_ptr_nonnull(strstr(err->msg, "/process/terminal: no LXC key expresses this"));
}
END_TEST

START_TEST(stale_line_is_ignored_with_a_warning)
{
	struct seen seen = { .n = 0 };
	cleanup_lxcconf struct lxc_config *conf = roundtrip(
		"{\"hostname\": \"a\", \"x\": {\"y\": 1}}", "{\"hostname\": \"b\"}", &seen);
	cleanup_json json_t *edited = load("{\"hostname\": \"c\"}");
	cleanup_error struct ct_error *err = NULL;
	struct ct_diag diag = { .warn = collect, .data = &seen };

	ck_assert_uint_eq(conf->ncarry, 2);
	conf->carry[0].file = strdup("c.conf");
	conf->carry[0].line = 9;
	seen.n = 0;
	/* The user edited the key behind /hostname: that line no longer applies; the other does. */
	ck_assert_int_eq(ocipatch_apply(conf, edited, &diag, &err), 0);
	ck_assert_str_eq(json_string_value(ct_json_get(edited, "/hostname")), "c");
	ck_assert_int_eq(json_integer_value(ct_json_get(edited, "/x/y")), 1);
	ck_assert_uint_eq(seen.n, 1);
	ck_assert_str_eq(seen.msgs[0], "stale '#oci:' line ignored: the LXC keys that produce "
				       "/hostname changed since it was written");
}
END_TEST

START_TEST(apply_creates_parents_and_removes)
{
	cleanup_lxcconf struct lxc_config *conf = lxcconf_new();
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *doc = load("{\"a\": [1, 2], \"b\": {\"c\": 1}}");
	cleanup_json json_t *want = load("{\"a\": [1, 2, 3], \"b\": {}, "
					 "\"linux\": {\"sysctl\": {\"k/1\": \"v\"}}}");
	char line[64];

	ck_assert_int_eq(lxcconf_add_carry(conf, " /linux/sysctl/k~11 = \"v\" @none", &err), 0);
	ck_assert_int_eq(lxcconf_add_carry(conf, "/a/- = 3 @none", &err), 0);
	snprintf(line, sizeof(line), " /b/c - @%016llx", ct_json_hash(ct_json_get(doc, "/b/c")));
	ck_assert_int_eq(lxcconf_add_carry(conf, line, &err), 0);
	ck_assert_int_eq(ocipatch_apply(conf, doc, NULL, &err), 0);
	ck_assert(json_equal(doc, want));
}
END_TEST

static const char *const malformed[] = {
	"",
	" /a = 1",
	" /a = 1 @",
	" /a = 1 @0123",
	" /a = 1 @0123456789ABCDEF",
	" /a = {bad @none",
	" /a 1 @none",
	" a = 1 @none",
	" /a~2 = 1 @none",
	" /a @none",
	" /a = 1 @nonex",
};

START_TEST(malformed_line_is_a_located_error)
{
	cleanup_lxcconf struct lxc_config *conf = lxcconf_new();
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *doc = load("{\"a\": 0}");

	ck_assert_int_eq(lxcconf_add_carry_at(conf, " /ok = 1 @none", "x.conf", 6, &err), 0);
	ck_assert_int_eq(lxcconf_add_carry_at(conf, malformed[_i], "x.conf", 7, &err), 0);
	ck_assert_int_lt(ocipatch_apply(conf, doc, NULL, &err), 0);
	ck_assert_str_eq(err->file, "x.conf");
	ck_assert_uint_eq(err->line, 7);
	ck_assert_str_eq(err->msg,
			 "bad #oci: line: expected POINTER = JSON @HASH or POINTER - @HASH");
	ck_assert_ptr_nonnull(err->hint);
}
END_TEST

START_TEST(line_that_cannot_apply_warns)
{
	cleanup_lxcconf struct lxc_config *conf = lxcconf_new();
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *doc = load("{\"a\": \"s\", \"b\": [1]}");
	struct seen seen = { .n = 0 };
	struct ct_diag diag = { .warn = collect, .data = &seen };

	ck_assert_int_eq(lxcconf_add_carry(conf, " /a/b = 1 @none", &err), 0);
	ck_assert_int_eq(lxcconf_add_carry(conf, " /b/5 = 1 @none", &err), 0);
	ck_assert_int_eq(ocipatch_apply(conf, doc, &diag, &err), 0);
	ck_assert_uint_eq(seen.n, 2);
	ck_assert_ptr_nonnull(strstr(seen.msgs[0], "/a/b cannot be set"));
	ck_assert_str_eq(json_string_value(ct_json_get(doc, "/a")), "s");
	ck_assert_uint_eq(json_array_size(ct_json_get(doc, "/b")), 1);
}
END_TEST

/* A value for the writer test: strings with every kind of byte, numbers, nesting. */
static json_t *random_value(unsigned *seed, unsigned depth)
{
	static const char bytes[] = "az09 _/-.:=~\"\\\t\n\x01\x7f\xc3\xa9";
	unsigned kind = (unsigned)rand_r(seed) % (depth < 3 ? 8 : 5);
	char s[8];
	size_t n;
	json_t *v;

	switch (kind) {
	case 0:
		n = (size_t)rand_r(seed) % sizeof(s);
		for (size_t i = 0; i < n; i++)
			s[i] = bytes[(size_t)rand_r(seed) % (sizeof(bytes) - 1)];
		/* a broken UTF-8 sequence is no JSON string: cut at the first high byte then */
		v = json_stringn(s, n);
		return v ? v : json_string("x");
	case 1:
		return json_integer((json_int_t)rand_r(seed) - RAND_MAX / 2);
	case 2:
		return json_real((double)rand_r(seed) / 7.0);
	case 3:
		return rand_r(seed) % 2 ? json_true() : json_false();
	case 4:
		return json_null();
	case 5:
	case 6:
		v = json_array();
		for (int i = rand_r(seed) % 4; i > 0; i--)
			json_array_append_new(v, random_value(seed, depth + 1));
		return v;
	default:
		v = json_object();
		for (int i = rand_r(seed) % 4; i > 0; i--) {
			char key[4] = { 'k', (char)bytes[(size_t)rand_r(seed) % 8], 0, 0 };

			json_object_set_new(v, key, random_value(seed, depth + 1));
		}
		return v;
	}
}

/* Carry lines hold the value as jansson writes it compactly, whichever writer wrote it. */
START_TEST(carry_values_are_written_as_jansson_writes_them)
{
	unsigned seed = 2026;

	for (int round = 0; round < 3000; round++) {
		cleanup_json json_t *want = json_object(), *got = json_object();
		cleanup_error struct ct_error *err = NULL;
		cleanup_lxcconf struct lxc_config *conf = lxcconf_new();
		cleanup_free char *text = NULL, *line = NULL;
		json_t *v = random_value(&seed, 0);

		text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		ck_assert_ptr_nonnull(text);
		json_object_set_new(want, "v", v);
		ck_assert_int_eq(ocipatch_diff(want, got, conf, NULL, &err), 0);
		ck_assert_uint_eq(conf->ncarry, 1);
		ck_assert_int_ge(asprintf(&line, " /v = %s @none", text), 0);
		ck_assert_str_eq(conf->carry[0].text, line);
	}
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("ocipatch");
	TCase *tc = tcase_create("diff");

	tcase_add_loop_test(tc, diff_then_apply_gives_want_back, 0, CT_ARRAY_SIZE(shapes));
	tcase_add_test(tc, carry_lines_have_the_documented_format);
	tcase_add_test(tc, annotation_pointers_are_escaped);
	tcase_add_test(tc, inert_pointers_do_not_warn);
	tcase_add_test(tc, strict_diag_turns_a_carry_line_into_an_error);
	suite_add_tcase(s, tc);

	tc = tcase_create("apply");
	tcase_add_test(tc, stale_line_is_ignored_with_a_warning);
	tcase_add_test(tc, apply_creates_parents_and_removes);
	tcase_add_loop_test(tc, malformed_line_is_a_located_error, 0, CT_ARRAY_SIZE(malformed));
	tcase_add_test(tc, line_that_cannot_apply_warns);
	tcase_add_test(tc, carry_values_are_written_as_jansson_writes_them);
	suite_add_tcase(s, tc);
	return s;
}
