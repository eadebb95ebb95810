/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ocispec.c, ocivalidate.c: strict reading, located errors, writing (jsonpos.c: check_jsonpos.c). */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check_main.h"
#include "cleanup.h"
#include "fileio.h"
#include "jsonutil.h"
#include "oci_fixture.h"
#include "ocispec.h"
#include "strbuf.h"

static const char *const fixtures[] = {
	"runc-spec.json",
	"runc-spec-rootless.json",
	"ocdm-runc-config.json",
};

START_TEST(valid_fixtures_parse_and_validate)
{
	cleanup_free char *path = fixture_path(fixtures[_i]);
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *j = NULL;
	cleanup_free char *bundle = NULL, *real = realpath(OCI_DATA_DIR, NULL);
	struct ct_diag diag = { 0 };

	ck_assert_msg(ocispec_parse_file(path, &diag, &j, &bundle, &err) == 0, "%s: %s:%u:%u: %s",
		      fixtures[_i], err ? err->file : "", err ? err->line : 0, err ? err->col : 0,
		      err ? err->msg : "");
	ck_assert(json_is_object(j));
	ck_assert_str_eq(json_string_value(json_object_get(j, "ociVersion")), "1.0.2-dev");
	ck_assert_ptr_nonnull(real);
	ck_assert_str_eq(bundle, real);
	ck_assert_uint_eq(diag.count, 0);
}
END_TEST

/* A bundle directory is read through DIR/config.json, and the directory is the bundle. */
START_TEST(bundle_directory_reads_config_json)
{
	cleanup_free char *src = fixture_path("runc-spec.json"), *buf = NULL, *dst = NULL;
	cleanup_free char *bundle = NULL, *slashed = NULL;
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *j = NULL;
	char dir[] = "/tmp/ct-ocispec-XXXXXX";
	size_t len;

	buf = slurp(src, &len);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_ge(asprintf(&dst, "%s/config.json", dir), 0);
	ck_assert_int_eq(ct_write_file_atomic(dst, buf, len, 0644, &err), 0);
	ck_assert_int_ge(asprintf(&slashed, "%s//", dir), 0);
	ck_assert_int_eq(ocispec_parse_file(slashed, NULL, &j, &bundle, &err), 0);
	ck_assert_str_eq(bundle, dir);
	ck_assert_ptr_nonnull(ct_json_get(j, "/linux/namespaces"));
	unlink(dst);
	ck_assert_int_eq(ocispec_parse_file(dir, NULL, &j, NULL, &err), -ENOENT);
	ck_assert_ptr_nonnull(strstr(err->msg, "config.json"));
	rmdir(dir);
}
END_TEST

START_TEST(stdin_has_no_bundle_dir_and_names_stdin)
{
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *j = NULL;
	char *bundle = (char *)"unset";
	char path[] = "/tmp/ct-ocispec-stdin-XXXXXX";
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "{\"ociVersion\": 7}", 17), 17);
	ck_assert_int_ge(lseek(fd, 0, SEEK_SET), 0);
	ck_assert_int_ge(dup2(fd, STDIN_FILENO), 0);
	close(fd);
	unlink(path);
	ck_assert_int_lt(ocispec_parse_file("-", NULL, &j, &bundle, &err), 0);
	ck_assert_str_eq(err->file, "<stdin>");
	ck_assert_str_eq(err->msg, "/ociVersion: expected a string, found an integer");
	ck_assert_uint_eq(err->line, 1);
	ck_assert_uint_eq(err->col, 16);
}
END_TEST

/* Malformed documents: where the error is and what it says. */
struct bad_doc {
	const char *what;
	const char *text;
	size_t len; /* 0: strlen(text) */
	unsigned line, col;
	const char *msg;
};

static const struct bad_doc bad_docs[] = {
	{ "duplicate key", "{\n\t\"ociVersion\": \"1.0.2\",\n\t\"ociVersion\": \"1.1.0\"\n}", 0, 3,
	  13, "invalid JSON: duplicate object key \"ociVersion\"" },
	{ "wrong type at depth",
	  "{\"ociVersion\": \"1.0.2\",\n \"process\": {\"cwd\": \"/\",\n  \"user\": {\"uid\": \"0\"}}}",
	  0, 3, 19, "/process/user/uid: expected an unsigned 32-bit integer, found a string" },
	{ "missing required member", "{\"ociVersion\": \"1.0.2\",\n\"root\": {\"readonly\": true}}",
	  0, 2, 9, "/root: missing required member \"path\"" },
	{ "missing ociVersion", "  {\"hostname\": \"x\"}", 0, 1, 3,
	  "top level: missing required member \"ociVersion\"" },
	{ "bad enum",
	  "{\"ociVersion\": \"1\", \"linux\": {\"namespaces\": [{\"type\": \"pidd\"}]}}", 0, 1, 55,
	  "/linux/namespaces/0/type: expected one of pid, network, mount, ipc, uts, user, cgroup, "
	  "time, found \"pidd\"" },
	{ "negative uid",
	  "{\"ociVersion\": \"1\",\n\"process\": {\"cwd\": \"/\", \"user\": {\"uid\": -1}}}", 0, 2,
	  41, "/process/user/uid: expected an unsigned 32-bit integer, found -1" },
	{ "uid above 32 bits",
	  "{\"ociVersion\": \"1\", \"process\": {\"cwd\": \"/\", \"user\": {\"gid\": 4294967296}}}",
	  0, 1, 61, "/process/user/gid: expected an unsigned 32-bit integer, found 4294967296" },
	{ "duplicate namespace",
	  "{\"ociVersion\": \"1\", \"linux\": {\"namespaces\": [\n\t{\"type\": \"pid\"},\n\t{\"type\": "
	  "\"mount\"},\n\t{\"type\": \"pid\", \"path\": \"/proc/1/ns/pid\"}]}}",
	  0, 4, 11,
	  "/linux/namespaces/2/type: duplicate namespace type \"pid\" (already at "
	  "/linux/namespaces/0)" },
	{ "duplicate rlimit",
	  "{\"ociVersion\": \"1\", \"process\": {\"cwd\": \"/\", \"rlimits\": [{\"type\": \"RLIMIT_NOFILE\","
	  " \"soft\": 1, \"hard\": 2}, {\"type\": \"RLIMIT_NOFILE\", \"soft\": 1, \"hard\": 2}]}}",
	  0, 1, 115,
	  "/process/rlimits/1/type: duplicate rlimit type \"RLIMIT_NOFILE\" (already at "
	  "/process/rlimits/0)" },
	{ "relative cwd", "{\"ociVersion\": \"1\", \"process\": {\"cwd\": \"tmp\"}}", 0, 1, 40,
	  "/process/cwd: expected an absolute path, found \"tmp\"" },
	{ "process without cwd", "{\"ociVersion\": \"1\", \"process\": {\"args\": [\"sh\"]}}", 0, 1,
	  32, "/process: missing required member \"cwd\"" },
	{ "trailing garbage", "{\"ociVersion\": \"1\"}\n}", 0, 2, 1,
	  "invalid JSON: unexpected data after the top-level object: end of file expected near '}'" },
	{ "truncated", "{\"ociVersion\": \"1\",\n \"process\": {\"cwd\": \"/\"", 0, 2, 23,
	  "invalid JSON: unexpected end of input: '}' expected near end of file" },
	{ "empty", "", 0, 1, 1, "invalid JSON: empty document" },
	{ "whitespace only", " \n\t\r\n ", 0, 1, 1, "invalid JSON: empty document" },
	{ "NUL byte", "{\"ociVersion\":\n \"1\"\0}", 21, 2, 5,
	  "invalid JSON: NUL byte in the input" },
	{ "array at top level", "\n [{\"ociVersion\": \"1\"}]", 0, 2, 2,
	  "reading the top level: expected an object, found an array" },
	{ "string at top level", "\"config\"", 0, 1, 1,
	  "reading the top level: expected an object, found a string" },
	{ "annotation value with '/' in its key",
	  "{\"ociVersion\": \"1\", \"annotations\": {\"a\": \"x\", \"org.a/b~c\": 5}}", 0, 1, 60,
	  "/annotations/org.a~1b~0c: expected a string, found an integer" },
	{ "real for an integer",
	  "{\"ociVersion\": \"1\", \"linux\": {\"resources\": {\"memory\": {\"limit\": 1.5}}}}", 0,
	  1, 65, "/linux/resources/memory/limit: expected a 64-bit integer, found a real number" },
	{ "hook timeout below 1",
	  "{\"ociVersion\": \"1\", \"hooks\": {\"poststop\": [{\"path\": \"/bin/true\", \"timeout\": "
	  "0}]}}",
	  0, 1, 77, "/hooks/poststop/0/timeout: expected a 64-bit integer not below 1, found 0" },
	{ "integer above 2^64-1",
	  "{\"ociVersion\": \"1\", \"process\": {\"cwd\": \"/\", \"rlimits\": [{\"type\": \"RLIMIT_CORE\","
	  " \"soft\": 18446744073709551616, \"hard\": 0}]}}",
	  0, 1, 108,
	  "invalid JSON: integer out of range: too big integer near '18446744073709551616'" },
	{ "2^64-1 in a 32-bit field",
	  "{\"ociVersion\": \"1\", \"process\": {\"cwd\": \"/\", \"user\": {\"uid\": 18446744073709551615}}}",
	  0, 1, 61,
	  "/process/user/uid: expected an unsigned 32-bit integer, found 18446744073709551615" },
	{ "2^63 in a signed 64-bit field",
	  "{\"ociVersion\": \"1\", \"linux\": {\"resources\": {\"memory\": {\"limit\": 9223372036854775808}}}}",
	  0, 1, 65,
	  "/linux/resources/memory/limit: expected a 64-bit integer, found 9223372036854775808" },
	{ "negative value in a uint64 field",
	  "{\"ociVersion\": \"1\", \"process\": {\"cwd\": \"/\", \"rlimits\": [{\"type\": \"RLIMIT_CORE\","
	  " \"soft\": -1, \"hard\": 0}]}}",
	  0, 1, 89, "/process/rlimits/0/soft: expected an unsigned 64-bit integer, found -1" },
	{ "syntax error after a rewritten 2^64-1 keeps its column",
	  "{\"ociVersion\": \"1\", \"process\": {\"cwd\": \"/\", \"rlimits\": [{\"type\": \"RLIMIT_CORE\","
	  " \"soft\": 18446744073709551615, \"hard\" 0}]}}",
	  0, 1, 118, "invalid JSON: syntax error: ':' expected near '0'" },
	{ "seccomp without defaultAction",
	  "{\"ociVersion\": \"1\", \"linux\": {\"seccomp\": {\"syscalls\": []}}}", 0, 1, 42,
	  "/linux/seccomp: missing required member \"defaultAction\"" },
	{ "seccomp rule without names",
	  "{\"ociVersion\": \"1\", \"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_ALLOW\", "
	  "\"syscalls\": [{\"names\": [], \"action\": \"SCMP_ACT_ERRNO\"}]}}}",
	  0, 1, 101, "/linux/seccomp/syscalls/0/names: expected at least 1 element, found 0" },
	{ "device type",
	  "{\"ociVersion\": \"1\", \"linux\": {\"devices\": [{\"type\": \"x\", \"path\": \"/dev/x\"}]}}",
	  0, 1, 52, "/linux/devices/0/type: expected one of c, b, u, p, found \"x\"" },
	{ "rootfsPropagation",
	  "{\"ociVersion\": \"1\", \"linux\": {\"rootfsPropagation\": \"none\"}}", 0, 1, 52,
	  "/linux/rootfsPropagation: expected one of private, shared, slave, unbindable, rprivate, "
	  "rshared, rslave, runbindable, found \"none\"" },
	{ "null for a boolean",
	  "{\"ociVersion\": \"1\", \"root\": {\"path\": \"r\", \"readonly\": null}}", 0, 1, 55,
	  "/root/readonly: expected a boolean, found null" },
	{ "time offsets",
	  "{\"ociVersion\": \"1\", \"linux\": {\"timeOffsets\": {\"boottime\": "
	  "{\"secs\": 1, \"nanosecs\": -5}}}}",
	  0, 1, 83,
	  "/linux/timeOffsets/boottime/nanosecs: expected an unsigned 32-bit integer, found -5" },
	/* The validator's shortcuts: strings and booleans checked inline, required members
	 * counted, duplicates compared from a table, pointers rendered only for the message. */
	{ "number among strings",
	  "{\"ociVersion\": \"1\", \"process\": {\"cwd\": \"/\", \"env\": [\"A=1\", 2]}}", 0, 1, 60,
	  "/process/env/1: expected a string, found an integer" },
	{ "string for a boolean",
	  "{\"ociVersion\": \"1\", \"process\": {\"cwd\": \"/\", \"terminal\": \"yes\"}}", 0, 1, 57,
	  "/process/terminal: expected a boolean, found a string" },
	{ "unknown member does not stand in for a required one",
	  "{\"ociVersion\": \"1\", \"process\": {\"cwd\": \"/\", \"rlimits\": [{\"type\": "
	  "\"RLIMIT_CORE\", \"x\": 1, \"soft\": 1}]}}",
	  0, 1, 57, "/process/rlimits/0: missing required member \"hard\"" },
	{ "escaped map key in a pointer",
	  "{\"ociVersion\": \"1\", \"linux\": {\"sysctl\": {\"a/b\": \"1\", \"c~d\": true}}}", 0, 1,
	  61, "/linux/sysctl/c~0d: expected a string, found a boolean" },
	{ "2^64-1 deep in an array",
	  "{\"ociVersion\": \"1\", \"process\": {\"cwd\": \"/\", \"user\": {\"uid\": 0, "
	  "\"additionalGids\": [1, 2, 18446744073709551615]}}}",
	  0, 1, 89,
	  "/process/user/additionalGids/2: expected an unsigned 32-bit integer, found "
	  "18446744073709551615" },
	{ "duplicate in a long array",
	  "{\"ociVersion\": \"1\", \"process\": {\"cwd\": \"/\", \"rlimits\": ["
	  "{\"type\": \"RLIMIT_A\", \"soft\": 1, \"hard\": 1}, {\"type\": \"RLIMIT_B\", \"soft\": 1, \"hard\": 1}, "
	  "{\"type\": \"RLIMIT_C\", \"soft\": 1, \"hard\": 1}, {\"type\": \"RLIMIT_D\", \"soft\": 1, \"hard\": 1}, "
	  "{\"type\": \"RLIMIT_E\", \"soft\": 1, \"hard\": 1}, {\"type\": \"RLIMIT_F\", \"soft\": 1, \"hard\": 1}, "
	  "{\"type\": \"RLIMIT_G\", \"soft\": 1, \"hard\": 1}, {\"type\": \"RLIMIT_H\", \"soft\": 1, \"hard\": 1}, "
	  "{\"type\": \"RLIMIT_I\", \"soft\": 1, \"hard\": 1}, {\"type\": \"RLIMIT_J\", \"soft\": 1, \"hard\": 1}, "
	  "{\"type\": \"RLIMIT_BA\", \"soft\": 1, \"hard\": 1}, {\"type\": \"RLIMIT_BB\", \"soft\": 1, \"hard\": 1}, "
	  "{\"type\": \"RLIMIT_BC\", \"soft\": 1, \"hard\": 1}, {\"type\": \"RLIMIT_BD\", \"soft\": 1, \"hard\": 1}, "
	  "{\"type\": \"RLIMIT_BE\", \"soft\": 1, \"hard\": 1}, {\"type\": \"RLIMIT_BF\", \"soft\": 1, \"hard\": 1}, "
	  "{\"type\": \"RLIMIT_BG\", \"soft\": 1, \"hard\": 1}, {\"type\": \"RLIMIT_BH\", \"soft\": 1, \"hard\": 1}, "
	  "{\"type\": \"RLIMIT_BI\", \"soft\": 1, \"hard\": 1}, {\"type\": \"RLIMIT_BJ\", \"soft\": 1, \"hard\": 1}, "
	  "{\"type\": \"RLIMIT_BF\", \"soft\": 1, \"hard\": 1}]}}",
	  0, 1, 956,
	  "/process/rlimits/20/type: duplicate rlimit type \"RLIMIT_BF\" (already at "
	  "/process/rlimits/15)" },
};

START_TEST(malformed_document_is_a_located_error)
{
	const struct bad_doc *b = &bad_docs[_i];
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *j = NULL;
	size_t len = b->len ? b->len : strlen(b->text);

	ck_assert_msg(ocispec_parse_buffer(b->text, len, "bad.json", NULL, &j, &err) < 0,
		      "%s: accepted", b->what);
	ck_assert_ptr_null(j);
	ck_assert_ptr_nonnull(err);
	ck_assert_str_eq(err->file, "bad.json");
	ck_assert_msg(strcmp(err->msg, b->msg) == 0, "%s: message\n  got  %s\n  want %s", b->what,
		      err->msg, b->msg);
	ck_assert_msg(err->line == b->line && err->col == b->col, "%s: at %u:%u, expected %u:%u",
		      b->what, err->line, err->col, b->line, b->col);
	ck_assert_int_eq(err->status, 0);
}
END_TEST

START_TEST(errors_carry_hints_where_a_fix_is_known)
{
	static const char *const texts[] = {
		"{\"a\": 1, \"a\": 2}",
		"{\"ociVersion\": \"1\", \"process\": {\"cwd\": \"tmp\"}}",
		"",
	};

	for (size_t i = 0; i < CT_ARRAY_SIZE(texts); i++) {
		cleanup_error struct ct_error *err = NULL;
		cleanup_json json_t *j = NULL;

		ck_assert_int_lt(
			ocispec_parse_buffer(texts[i], strlen(texts[i]), "h.json", NULL, &j, &err),
			0);
		ck_assert_msg(err->hint && *err->hint, "no hint for %s", texts[i]);
	}
}
END_TEST

START_TEST(deep_nesting_is_rejected_fast)
{
	const size_t n = 100000;
	cleanup_free char *buf = malloc(n + 1);
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *j = NULL;
	struct timespec t0, t1;
	double ms;

	ck_assert_ptr_nonnull(buf);
	memset(buf, '[', n);
	buf[n] = '\0';
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_lt(ocispec_parse_buffer(buf, n, "deep.json", NULL, &j, &err), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	ck_assert_str_eq(err->msg, "invalid JSON: nesting deeper than 64 levels");
	ck_assert_uint_eq(err->line, 1);
	ck_assert_uint_eq(err->col, OCISPEC_MAX_DEPTH + 1);
	ck_assert_msg(ms < 500, "took %.1f ms", ms);
}
END_TEST

START_TEST(brackets_inside_strings_do_not_count_as_nesting)
{
	cleanup_free char *buf = NULL;
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *j = NULL;
	char deep[201];

	memset(deep, '[', 200);
	deep[200] = '\0';
	ck_assert_int_ge(asprintf(&buf, "{\"ociVersion\": \"1\", \"hostname\": \"\\\"%s\"}", deep),
			 0);
	ck_assert_int_eq(ocispec_parse_buffer(buf, strlen(buf), "s.json", NULL, &j, &err), 0);
}
END_TEST

/* The reader's fast path (plain documents) and the checked path (anything unusual) must build
 * the same tree as jansson itself, member order included: every value kind, both spellings of
 * each. */
static const char *const same_tree_values[] = {
	"\"plain\"",
	"\"esc \\\" \\\\ \\/ \\b \\f \\n \\r \\t end\"",
	"\"\\u00e9 and \\ud83d\\ude00\"",
	"\"caf\xc3\xa9\"",
	"{\"k\\ney\": 1, \"b\": [], \"a\": {}, \"z\": {\"y\": [true, false, null]}}",
	"[0, -0, 7, -7, 999999999999999999, -999999999999999999]",
	"[1234567890123456789, -1234567890123456789, 9223372036854775807]",
	"[1.5, -2e3, 0.0, 1E2]",
	"[ [ [ ] ] , { } ,\r\n\t\"\" ]",
	"{\"\": \"empty key\", \"\\t\": \"escaped key\"}",
	"\"\x7f\"",
};

START_TEST(reader_builds_the_tree_jansson_builds)
{
	cleanup_free char *doc = NULL, *got = NULL, *want = NULL;
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *j = NULL, *ref = NULL;
	json_error_t je;

	ck_assert_int_ge(
		asprintf(&doc, "{\"ociVersion\": \"1\", \"x-test\": %s}\n", same_tree_values[_i]),
		0);
	ck_assert_msg(ocispec_parse_buffer(doc, strlen(doc), "t.json", NULL, &j, &err) == 0,
		      "%s: %s", doc, err ? err->msg : "");
	ref = json_loads(doc, JSON_REJECT_DUPLICATES, &je);
	ck_assert_msg(ref != NULL, "jansson refuses %s: %s", doc, je.text);
	got = json_dumps(j, JSON_COMPACT);
	want = json_dumps(ref, JSON_COMPACT);
	ck_assert_msg(strcmp(got, want) == 0, "got  %s\nwant %s", got, want);
}
END_TEST

/* Differential check of the reader against jansson over mutated fixtures (bytes replaced,
 * dropped, doubled; a fixed seed): whenever the reader accepts a text, jansson accepts it too
 * and builds the same tree, and whatever jansson refuses the reader refuses. Texts with
 * integers of 19 digits or more are left out (the reader maps 2^63..2^64-1 on purpose). */
static bool has_long_number(const char *s, size_t n)
{
	size_t run = 0;

	for (size_t i = 0; i < n; i++) {
		run = s[i] >= '0' && s[i] <= '9' ? run + 1 : 0;
		if (run >= 19)
			return true;
	}
	return false;
}

START_TEST(reader_agrees_with_jansson_on_mutated_documents)
{
	static const char pool[] = "{}[]\",:\\ \n\t0123456789-+.eEtrufalsn\x01\xc3\xa9\x7f/u";
	cleanup_free char *path = fixture_path(fixtures[_i]);
	size_t len;
	cleanup_free char *orig = slurp(path, &len);
	unsigned long long seed = 0x9e3779b97f4a7c15ULL + (unsigned long long)_i;
	unsigned accepted = 0;

	for (int round = 0; round < 1500; round++) {
		cleanup_free char *text = malloc(len + 8);
		cleanup_error struct ct_error *err = NULL;
		cleanup_json json_t *j = NULL, *ref = NULL;
		json_error_t je;
		size_t n = len, at;
		int rc;

		ck_assert_ptr_nonnull(text);
		memcpy(text, orig, len);
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		at = (size_t)(seed >> 33) % n;
		switch ((seed >> 20) % 3) {
		case 0: /* replace */
			text[at] = pool[(seed >> 8) % (sizeof(pool) - 1)];
			break;
		case 1: /* drop */
			memmove(text + at, text + at + 1, n - at - 1);
			n--;
			break;
		default: /* double */
			memmove(text + at + 1, text + at, n - at);
			n++;
			break;
		}
		if (has_long_number(text, n))
			continue;
		rc = ocispec_parse_buffer(text, n, "m.json", NULL, &j, &err);
		ref = json_loadb(text, n, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
		if (rc == 0) {
			cleanup_free char *got = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
			cleanup_free char *want = NULL;

			ck_assert_msg(ref != NULL, "round %d: accepted what jansson refuses: %s",
				      round, je.text);
			want = json_dumps(ref, JSON_COMPACT | JSON_ENCODE_ANY);
			ck_assert_msg(strcmp(got, want) == 0, "round %d: trees differ", round);
			accepted++;
		} else if (!ref) {
			ck_assert_ptr_null(j);
		}
	}
	/* the check is only worth something if many mutants were valid */
	ck_assert_uint_gt(accepted, 100);
}
END_TEST

/* Duplicate keys are refused however they are spelled, and wherever they are. */
/* The reader checks each value against the schema as it builds it and then skips
 * ocispec_validate's walk; both must agree on every document. Each value of each fixture is in
 * turn replaced by values of other types and ranges, each member removed, each array emptied
 * and its first element repeated; the reader's answer must be ocispec_validate's (over
 * jansson's tree of the same text), message and position included. */
static const char *const checked_fixtures[] = {
	"runc-spec.json",
	"runc-spec-rootless.json",
	"ocdm-runc-config.json",
	"spec-1.1-all-fields.json",
};

struct spot {
	size_t want, seen;
	json_t *parent, *v;
	const char *key; /* in parent; NULL: an array element */
	size_t index;
};

/* The want-th value in document order (0: the root) and where it sits. */
static bool find_spot(json_t *v, json_t *parent, const char *key, size_t index, struct spot *s)
{
	if (s->seen++ == s->want) {
		s->parent = parent;
		s->v = v;
		s->key = key;
		s->index = index;
		return true;
	}
	if (json_is_object(v)) {
		for (void *it = json_object_iter(v); it; it = json_object_iter_next(v, it))
			if (find_spot(json_object_iter_value(it), v, json_object_iter_key(it), 0,
				      s))
				return true;
	} else if (json_is_array(v)) {
		for (size_t i = 0; i < json_array_size(v); i++)
			if (find_spot(json_array_get(v, i), v, NULL, i, s))
				return true;
	}
	return false;
}

static void put_at(const struct spot *s, json_t *nv)
{
	if (s->key)
		ck_assert_int_eq(json_object_set_new(s->parent, s->key, nv), 0);
	else
		ck_assert_int_eq(json_array_set_new(s->parent, s->index, nv), 0);
}

/* Mutation m (0-10) of the value at s; false when m does not apply to it. */
static bool mutate(const struct spot *s, unsigned m)
{
	static const json_int_t numbers[] = { -1, 0, 1LL << 40, 70000 };

	if (m < 4) {
		if (!s->parent)
			return false;
		put_at(s, json_integer(numbers[m]));
		return true;
	}
	switch (m) {
	case 4:
	case 5:
	case 6:
		if (!s->parent)
			return false;
		put_at(s, m == 4 ? json_string("bogus") : m == 5 ? json_string("") : json_true());
		return true;
	case 7:
	case 8:
		if (!s->parent)
			return false;
		put_at(s, m == 7 ? json_object() : json_array());
		return true;
	case 9: /* emptied */
		if (json_is_array(s->v) && json_array_size(s->v))
			return json_array_clear(s->v) == 0;
		return false;
	case 10: /* first element twice */
		if (!json_is_array(s->v) || !json_array_size(s->v))
			return false;
		return json_array_append_new(s->v, json_deep_copy(json_array_get(s->v, 0))) == 0;
	default:
		return false;
	}
}

START_TEST(checks_made_while_reading_agree_with_ocispec_validate)
{
	cleanup_free char *path = fixture_path(checked_fixtures[_i]);
	cleanup_json json_t *orig = NULL;
	json_error_t je;
	unsigned tried = 0, refused = 0;

	orig = json_load_file(path, 0, &je);
	ck_assert_msg(orig != NULL, "%s: %s", path, je.text);
	for (size_t want = 0;; want++) {
		struct spot probe = { .want = want };

		if (!find_spot(orig, NULL, NULL, 0, &probe))
			break;
		for (unsigned m = 0; m < 11 + json_object_size(probe.v); m++) {
			cleanup_json json_t *doc = json_deep_copy(orig), *ref = NULL, *got = NULL;
			cleanup_error struct ct_error *err_got = NULL, *err_ref = NULL;
			cleanup_free char *text = NULL;
			struct spot s = { .want = want };
			int rc_got, rc_ref;
			size_t len;

			ck_assert(find_spot(doc, NULL, NULL, 0, &s));
			if (m >= 11) {
				/* remove the (m - 11)-th member */
				void *it = json_object_iter(s.v);

				for (unsigned k = 11; k < m && it; k++)
					it = json_object_iter_next(s.v, it);
				ck_assert_ptr_nonnull(it);
				ck_assert_int_eq(json_object_del(s.v, json_object_iter_key(it)), 0);
			} else if (!mutate(&s, m)) {
				continue;
			}
			text = json_dumps(doc, JSON_INDENT(2));
			ck_assert_ptr_nonnull(text);
			len = strlen(text);
			rc_got = ocispec_parse_buffer(text, len, "m.json", NULL, &got, &err_got);
			ref = json_loads(text, JSON_REJECT_DUPLICATES, &je);
			ck_assert_ptr_nonnull(ref);
			rc_ref = ocispec_validate(ref, text, len, "m.json", NULL, &err_ref);
			tried++;
			ck_assert_msg((rc_got < 0) == (rc_ref < 0),
				      "%s: reader %s, validate %s:\n%.400s", checked_fixtures[_i],
				      rc_got < 0 ? err_got->msg : "accepts",
				      rc_ref < 0 ? err_ref->msg : "accepts", text);
			if (rc_ref == 0)
				continue;
			refused++;
			ck_assert_str_eq(err_got->msg, err_ref->msg);
			ck_assert_uint_eq(err_got->line, err_ref->line);
			ck_assert_uint_eq(err_got->col, err_ref->col);
		}
	}
	/* the mutations reach every kind of check: most documents must be refused */
	ck_assert_uint_gt(tried, 500);
	ck_assert_uint_gt(refused, tried / 4);
}
END_TEST

START_TEST(duplicate_keys_are_refused_in_every_spelling)
{
	static const char *const docs[] = {
		"{\"ociVersion\": \"1\", \"x\": {\"a\": 1, \"a\": 1}}",
		"{\"ociVersion\": \"1\", \"x\": {\"\\n\": 1, \"\\n\": 2}}",
		"{\"ociVersion\": \"1\", \"x\": {\"a\": 1, \"\\u0061\": 2}}",
		"{\"ociVersion\": \"1\", \"ociVersion\": \"1\"}",
	};

	for (size_t i = 0; i < CT_ARRAY_SIZE(docs); i++) {
		cleanup_error struct ct_error *err = NULL;
		cleanup_json json_t *j = NULL;

		ck_assert_msg(ocispec_parse_buffer(docs[i], strlen(docs[i]), "d.json", NULL, &j,
						   &err) < 0,
			      "accepted %s", docs[i]);
		ck_assert_ptr_null(j);
		ck_assert_msg(strncmp(err->msg, "invalid JSON: duplicate object key", 34) == 0,
			      "%s: %s", docs[i], err->msg);
	}
}
END_TEST

START_TEST(unknown_fields_are_kept)
{
	static const char text[] =
		"{\"ociVersion\": \"1.1.0\", \"x-vendor\": {\"a\": [1, {\"b\": null}]},\n"
		" \"process\": {\"cwd\": \"/\", \"futureField\": 3, \"user\": {\"uid\": 0, \"x\": \"y\"}},\n"
		" \"linux\": {\"netDevices\": {\"eth0\": {}}, \"resources\": {\"cpu\": {\"weird\": []}}},\n"
		" \"solaris\": {\"anything\": [true]}}";
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *j = NULL;

	ck_assert_int_eq(ocispec_parse_buffer(text, strlen(text), "u.json", NULL, &j, &err), 0);
	ck_assert(json_is_array(ct_json_get(j, "/x-vendor/a")));
	ck_assert_int_eq(json_integer_value(ct_json_get(j, "/process/futureField")), 3);
	ck_assert_str_eq(json_string_value(ct_json_get(j, "/process/user/x")), "y");
	ck_assert_ptr_nonnull(ct_json_get(j, "/linux/netDevices/eth0"));
	ck_assert_ptr_nonnull(ct_json_get(j, "/linux/resources/cpu/weird"));
}
END_TEST

/* Every field of runtime-spec 1.1 (spec-1.1-all-fields.json) with a value of the right type
 * passes. */
START_TEST(spec_1_1_fields_are_accepted)
{
	cleanup_free char *path = fixture_path("spec-1.1-all-fields.json");
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *j = NULL;

	ck_assert_msg(ocispec_parse_file(path, NULL, &j, NULL, &err) == 0, "%u:%u: %s",
		      err ? err->line : 0, err ? err->col : 0, err ? err->msg : "");
	ck_assert_str_eq(json_string_value(ct_json_get(j, "/linux/namespaces/0/type")), "time");
	ck_assert_int_eq(json_integer_value(ct_json_get(j, "/process/user/uid")), 4294967295);
}
END_TEST

/* RLIM_INFINITY and other uint64 values above INT64_MAX: same bits in memory, unsigned when
 * written. */
START_TEST(uint64_above_int64_round_trips)
{
	static const char text[] = "{\n"
				   "\t\"ociVersion\": \"1.0.2\",\n"
				   "\t\"process\": {\n"
				   "\t\t\"cwd\": \"/\",\n"
				   "\t\t\"rlimits\": [\n"
				   "\t\t\t{\n"
				   "\t\t\t\t\"type\": \"RLIMIT_MEMLOCK\",\n"
				   "\t\t\t\t\"hard\": 18446744073709551615,\n"
				   "\t\t\t\t\"soft\": 9223372036854775808\n"
				   "\t\t\t}\n"
				   "\t\t]\n"
				   "\t},\n"
				   "\t\"linux\": {\n"
				   "\t\t\"resources\": {\n"
				   "\t\t\t\"memory\": {\n"
				   "\t\t\t\t\"limit\": -1\n"
				   "\t\t\t}\n"
				   "\t\t},\n"
				   "\t\t\"hostname_like\": \"18446744073709551615\"\n"
				   "\t}\n"
				   "}\n";
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *j = NULL;
	cleanup_free char *out = NULL;

	ck_assert_msg(ocispec_parse_buffer(text, strlen(text), "u64.json", NULL, &j, &err) == 0,
		      "%s", err ? err->msg : "");
	ck_assert_int_eq(json_integer_value(ct_json_get(j, "/process/rlimits/0/hard")), -1);
	ck_assert_int_eq(json_integer_value(ct_json_get(j, "/process/rlimits/0/soft")), INT64_MIN);
	out = ocispec_dump(j);
	ck_assert_str_eq(out, text);
}
END_TEST

/* Whatever the damage, reading either succeeds or fails with an error located in the file. */
START_TEST(mangled_documents_fail_with_located_errors)
{
	cleanup_free char *path = fixture_path("runc-spec.json");
	cleanup_free char *text = NULL;
	static const char junk[] = "{}[]\",:0-9e.tn\\ \n\x01\xff";
	unsigned seed = 1, failed = 0;
	size_t len;

	text = slurp(path, &len);
	for (int round = 0; round < 3000; round++) {
		cleanup_free char *copy = malloc(len);
		cleanup_error struct ct_error *err = NULL;
		cleanup_json json_t *j = NULL;
		int edits = 1 + rand_r(&seed) % 3;

		ck_assert_ptr_nonnull(copy);
		memcpy(copy, text, len);
		for (int e = 0; e < edits; e++)
			copy[(size_t)rand_r(&seed) % len] =
				junk[rand_r(&seed) % (sizeof(junk) - 1)];
		if (ocispec_parse_buffer(copy, len, "m.json", NULL, &j, &err) == 0)
			continue;
		failed++;
		ck_assert_str_eq(err->file, "m.json");
		ck_assert_msg(err->line >= 1 && err->col >= 1, "unlocated: %s", err->msg);
		ck_assert_int_eq(err->status, 0);
	}
	ck_assert_uint_gt(failed, 1000);
}
END_TEST

START_TEST(dump_matches_runc_and_is_stable)
{
	cleanup_free char *path = fixture_path(fixtures[_i]);
	cleanup_free char *text = NULL, *out = NULL, *want = NULL, *twice = NULL;
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *j = NULL, *again = NULL;
	size_t len, diff;

	text = slurp(path, &len);
	ck_assert_int_eq(ocispec_parse_buffer(text, len, path, NULL, &j, &err), 0);
	out = ocispec_dump(j);
	ck_assert_ptr_nonnull(out);
	/* runc writes no final newline; we do. */
	ck_assert_int_ge(asprintf(&want, "%s%s", text, text[len - 1] == '\n' ? "" : "\n"), 0);
	for (diff = 0; out[diff] && out[diff] == want[diff]; diff++)
		;
	/* The OCDM example was edited by hand: for it, only stability and equality hold. */
	if (strncmp(fixtures[_i], "runc-", 5) == 0)
		ck_assert_msg(strcmp(out, want) == 0,
			      "%s: differs at byte %zu: got \"%.30s\", want \"%.30s\"",
			      fixtures[_i], diff, out + diff, want + diff);
	ck_assert_int_eq(ocispec_parse_buffer(out, strlen(out), "dump", NULL, &again, &err), 0);
	ck_assert(json_equal(j, again));
	twice = ocispec_dump(again);
	ck_assert_str_eq(twice, out);
}
END_TEST

/* Every byte a string can hold is written as runc writes it: the short escapes, \u00xx (lower
 * case) for other control bytes, UTF-8 and DEL as they are; and a string far longer than the
 * writer's first buffer, at its end, comes out whole. */
START_TEST(dump_escapes_every_byte_as_runc_does)
{
	char raw[160];
	size_t n = 0;
	cleanup_json json_t *j = NULL;
	cleanup_free char *out = NULL, *big = malloc(100001);
	struct strbuf want = STRBUF_INIT;

	for (int c = 1; c < 0x80; c++)
		raw[n++] = (char)c;
	memcpy(raw + n, "\xc3\xa9", 2);
	n += 2;
	ck_assert_ptr_nonnull(big);
	memset(big, 'x', 100000);
	big[100000] = '\0';
	big[50000] = '"';
	j = json_pack("{s:s%, s:s}", "k\"\\", raw, n, "big", big);
	out = ocispec_dump(j);
	strbuf_puts(&want, "{\n\t\"k\\\"\\\\\": \"");
	for (int c = 1; c < 0x20; c++) {
		static const char shortform[0x20] = {
			['\b'] = 'b', ['\t'] = 't', ['\n'] = 'n', ['\f'] = 'f', ['\r'] = 'r'
		};

		if (shortform[c])
			strbuf_printf(&want, "\\%c", shortform[c]);
		else
			strbuf_printf(&want, "\\u%04x", c);
	}
	for (int c = 0x20; c < 0x80; c++)
		strbuf_printf(&want, "%s%c", c == '"' || c == '\\' ? "\\" : "", c);
	strbuf_puts(&want, "\xc3\xa9\",\n\t\"big\": \"");
	big[50000] = '\0';
	strbuf_printf(&want, "%s\\\"%s\"\n}\n", big, big + 50001);
	ck_assert_ptr_nonnull(out);
	ck_assert_msg(strcmp(out, want.s) == 0, "got  %.300s\nwant %.300s", out, want.s);
	strbuf_release(&want);
}
END_TEST

START_TEST(dump_indents_with_tabs_and_keeps_strings_intact)
{
	cleanup_json json_t *j = json_pack("{s:s, s:{s:[s, s], s:{}}, s:[]}", "ociVersion", "1.0.2",
					   "x", "a", "line1\n  indented\t/slash", "  lead", "o",
					   "e");
	cleanup_free char *out = ocispec_dump(j);

	ck_assert_str_eq(out, "{\n"
			      "\t\"ociVersion\": \"1.0.2\",\n"
			      "\t\"x\": {\n"
			      "\t\t\"a\": [\n"
			      "\t\t\t\"line1\\n  indented\\t/slash\",\n"
			      "\t\t\t\"  lead\"\n"
			      "\t\t],\n"
			      "\t\t\"o\": {}\n"
			      "\t},\n"
			      "\t\"e\": []\n"
			      "}\n");
}
END_TEST

/* The writer copies eight bytes at a time until a word holds a byte to escape: every such byte
 * at every position of strings of every length around a word is escaped as jansson escapes it. */
START_TEST(dump_escapes_bytes_at_every_position_of_a_word)
{
	static const char specials[] = { '"', '\\', '\n', 0x01, 0x1f, '\t' };

	for (size_t len = 1; len <= 26; len++) {
		for (size_t at = 0; at < len; at++) {
			for (size_t k = 0; k < sizeof(specials); k++) {
				char raw[32];
				cleanup_json json_t *j = NULL;
				cleanup_free char *out = NULL, *str = NULL, *want = NULL;

				for (size_t i = 0; i < len; i++)
					raw[i] = (char)(i % 2 ? 0x7f : 'a' + (char)(i % 26));
				raw[at] = specials[k];
				j = json_pack("{s:s%}", "k", raw, len);
				ck_assert_ptr_nonnull(j);
				out = ocispec_dump(j);
				str = json_dumps(json_object_get(j, "k"), JSON_ENCODE_ANY);
				/* runc (Go) writes \u00XX in lower case, jansson in upper case */
				for (char *u = strstr(str, "\\u"); u; u = strstr(u + 2, "\\u"))
					for (int h = 2; h < 6 && u[h]; h++)
						u[h] = (char)tolower((unsigned char)u[h]);
				ck_assert_int_ge(asprintf(&want, "{\n\t\"k\": %s\n}\n", str), 0);
				ck_assert_msg(out && strcmp(out, want) == 0,
					      "len %zu at %zu: got %s want %s", len, at, out, want);
			}
		}
	}
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("ocispec");
	TCase *tc = tcase_create("read");

	tcase_add_loop_test(tc, valid_fixtures_parse_and_validate, 0, CT_ARRAY_SIZE(fixtures));
	tcase_add_test(tc, bundle_directory_reads_config_json);
	tcase_add_test(tc, stdin_has_no_bundle_dir_and_names_stdin);
	tcase_add_loop_test(tc, malformed_document_is_a_located_error, 0, CT_ARRAY_SIZE(bad_docs));
	tcase_add_test(tc, errors_carry_hints_where_a_fix_is_known);
	tcase_add_test(tc, deep_nesting_is_rejected_fast);
	tcase_add_test(tc, brackets_inside_strings_do_not_count_as_nesting);
	tcase_add_test(tc, unknown_fields_are_kept);
	tcase_add_loop_test(tc, reader_builds_the_tree_jansson_builds, 0,
			    (int)CT_ARRAY_SIZE(same_tree_values));
	tcase_add_test(tc, duplicate_keys_are_refused_in_every_spelling);
	tcase_add_loop_test(tc, checks_made_while_reading_agree_with_ocispec_validate, 0,
			    CT_ARRAY_SIZE(checked_fixtures));
	tcase_add_loop_test(tc, reader_agrees_with_jansson_on_mutated_documents, 0,
			    (int)CT_ARRAY_SIZE(fixtures));
	tcase_add_test(tc, spec_1_1_fields_are_accepted);
	tcase_add_test(tc, uint64_above_int64_round_trips);
	tcase_add_test(tc, mangled_documents_fail_with_located_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("dump");
	tcase_add_loop_test(tc, dump_matches_runc_and_is_stable, 0, CT_ARRAY_SIZE(fixtures));
	tcase_add_test(tc, dump_indents_with_tabs_and_keeps_strings_intact);
	tcase_add_test(tc, dump_escapes_every_byte_as_runc_does);
	tcase_add_test(tc, dump_escapes_bytes_at_every_position_of_a_word);
	suite_add_tcase(s, tc);
	return s;
}
