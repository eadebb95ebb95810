/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading and writing config.json: a bounded pre-scan, jansson with duplicate keys rejected,
 * errors located at FILE:LINE:COL, then the type checks of ocivalidate.c. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cleanup.h"
#include "fileio.h"
#include "jsonutil.h"
#include "ocispec.h"
#include "strbuf.h"

/* Line and column (1-based, columns in characters) of each byte, advanced as we go. */
struct cursor {
	unsigned line, col;
};

static void cursor_advance(struct cursor *cur, unsigned char c)
{
	if (c == '\n') {
		cur->line++;
		cur->col = 1;
	} else if ((c & 0xc0) != 0x80) {
		cur->col++;
	}
}

/* Before jansson sees the text: reject NUL bytes and nesting deeper than OCISPEC_MAX_DEPTH,
 * in one linear pass that tracks strings so brackets inside them do not count. jansson would
 * refuse deep nesting too, but only after recursing thousands of levels. */
static int prescan(const char *buf, size_t len, const char *name, struct ct_error **err)
{
	struct cursor at = { 1, 1 };
	bool in_string = false, escaped = false;
	unsigned depth = 0;

	for (size_t i = 0; i < len; cursor_advance(&at, (unsigned char)buf[i]), i++) {
		char c = buf[i];

		if (c == '\0') {
			int rc = ct_error_at(err, name, at.line, at.col,
					     "invalid JSON: NUL byte in the input");

			return ct_error_hint(err, rc, "config.json is UTF-8 text; this file looks "
						      "corrupt or binary");
		}
		if (in_string) {
			if (escaped)
				escaped = false;
			else if (c == '\\')
				escaped = true;
			else if (c == '"')
				in_string = false;
			continue;
		}
		if (c == '"') {
			in_string = true;
		} else if (c == '{' || c == '[') {
			if (++depth > OCISPEC_MAX_DEPTH) {
				int rc = ct_error_at(err, name, at.line, at.col,
						     "invalid JSON: nesting deeper than %d levels",
						     OCISPEC_MAX_DEPTH);

				return ct_error_hint(err, rc, "a config.json needs only a few "
							      "levels; this file looks corrupt");
			}
		} else if ((c == '}' || c == ']') && depth) {
			depth--;
		}
	}
	return 0;
}

/* jansson's messages, reworded by error code; the original text follows when it adds detail. */
static const struct {
	enum json_error_code code;
	const char *msg;  /* NULL: keep jansson's text */
	const char *hint; /* may be NULL */
} jansson_errors[] = {
	{ json_error_duplicate_key, "duplicate object key",
	  "a member name may appear only once in an object: remove or rename one of them" },
	{ json_error_end_of_input_expected, "unexpected data after the top-level object",
	  "a config.json holds exactly one JSON object: remove what follows its closing '}'" },
	{ json_error_premature_end_of_input, "unexpected end of input",
	  "the file looks truncated: check that every '{', '[' and '\"' is closed" },
	{ json_error_numeric_overflow, "integer out of range",
	  "integers must fit in a signed 64-bit number here" },
	{ json_error_null_character, "\\u0000 is not allowed in a string", NULL },
	{ json_error_invalid_utf8, "invalid UTF-8", "config.json must be UTF-8 text" },
	{ json_error_invalid_syntax, "syntax error", NULL },
	{ json_error_invalid_format, "syntax error", NULL },
	{ json_error_stack_overflow, "nesting too deep", NULL },
};

static int jansson_error(const json_error_t *je, const char *name, struct ct_error **err)
{
	enum json_error_code code = json_error_code(je);
	unsigned line = je->line > 0 ? (unsigned)je->line : 1;
	unsigned col = je->column > 0 ? (unsigned)je->column : 1;
	const char *msg = "syntax error", *hint = NULL;
	const char *near = strstr(je->text, " near ");
	int rc;

	for (size_t i = 0; i < CT_ARRAY_SIZE(jansson_errors); i++) {
		if (jansson_errors[i].code != code)
			continue;
		msg = jansson_errors[i].msg;
		hint = jansson_errors[i].hint;
		break;
	}
	if (code == json_error_duplicate_key && near && strlen(near) > 8)
		/* " near '\"key\"'": quote the key as it was written. */
		rc = ct_error_at(err, name, line, col, "invalid JSON: %s %.*s", msg,
				 (int)strlen(near) - 8, near + 7);
	else
		rc = ct_error_at(err, name, line, col, "invalid JSON: %s: %s", msg, je->text);
	if (hint)
		ct_error_hint(err, rc, "%s", hint);
	return rc;
}

static const char *json_kind(const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_REAL:
		return "a real number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	default:
		return "null";
	}
}

static bool blank(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!strchr(" \t\r\n", buf[i]) || !buf[i])
			return false;
	return true;
}

int ocispec_parse_buffer(const char *buf, size_t len, const char *name, struct ct_diag *diag,
			 json_t **ret, struct ct_error **err)
{
	cleanup_json json_t *root = NULL;
	json_error_t je;
	unsigned line, col;
	int rc;

	if (!name)
		name = "<config.json>";
	if (blank(buf, len)) {
		rc = ct_error_at(err, name, 1, 1, "invalid JSON: empty document");
		return ct_error_hint(err, rc, "a config.json holds one JSON object; `runc spec` "
					      "writes a starting point");
	}
	rc = prescan(buf, len, name, err);
	if (rc < 0)
		return rc;
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
	if (!root)
		return jansson_error(&je, name, err);
	if (!json_is_object(root)) {
		if (jsonpos_find(buf, len, "", &line, &col) < 0)
			line = col = 1;
		rc = ct_error_at(err, name, line, col,
				 "reading the top level: expected an object, found %s",
				 json_kind(root));
		return ct_error_hint(err, rc, "a config.json is one JSON object: { \"ociVersion\": "
					      "..., \"process\": ..., \"root\": ... }");
	}
	rc = ocispec_validate(root, buf, len, name, diag, err);
	if (rc < 0)
		return rc;
	*ret = steal_pointer(&root);
	return 0;
}

/* For a bundle directory, DIR/config.json; otherwise path itself. ret_dir receives the bundle
 * directory (absolute when it can be resolved). */
static int resolve_input(const char *path, char **ret_file, char **ret_dir,
			 struct ct_error **err)
{
	cleanup_free char *file = NULL, *dir = NULL;
	struct stat st;
	char *slash;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		size_t n = strlen(path);

		while (n > 1 && path[n - 1] == '/')
			n--;
		if (asprintf(&file, "%.*s/config.json", (int)n, path) < 0)
			return ct_error_set(err, ENOMEM, "out of memory");
		dir = strndup(path, n);
	} else {
		file = strdup(path);
		dir = strdup(path);
		if (dir) {
			slash = strrchr(dir, '/');
			if (!slash)
				strcpy(dir, ".");
			else if (slash == dir)
				dir[1] = '\0';
			else
				*slash = '\0';
		}
	}
	if (!file || !dir)
		return ct_error_set(err, ENOMEM, "out of memory");
	*ret_file = steal_pointer(&file);
	if (ret_dir) {
		char *abs = realpath(dir, NULL);

		*ret_dir = abs ? abs : steal_pointer(&dir);
	}
	return 0;
}

int ocispec_parse_file(const char *path, struct ct_diag *diag, json_t **ret,
		       char **ret_bundle_dir, struct ct_error **err)
{
	cleanup_free char *file = NULL, *dir = NULL, *buf = NULL;
	bool is_stdin = strcmp(path, "-") == 0;
	size_t len;
	int rc;

	if (is_stdin) {
		file = strdup("-");
		if (!file)
			return ct_error_set(err, ENOMEM, "out of memory");
	} else {
		rc = resolve_input(path, &file, &dir, err);
		if (rc < 0)
			return rc;
	}
	rc = ct_read_file(file, CT_MAX_INPUT_SIZE, &buf, &len, err);
	if (rc < 0)
		return ct_error_prefix(err, rc, "reading the OCI config");
	rc = ocispec_parse_buffer(buf, len, is_stdin ? "<stdin>" : file, diag, ret, err);
	if (rc < 0)
		return rc;
	if (ret_bundle_dir)
		*ret_bundle_dir = steal_pointer(&dir);
	return 0;
}

/* jansson indents with spaces; runc (Go's MarshalIndent) with tabs. With a one-space indent
 * each leading space is one level, and every line start is outside a string (jansson escapes
 * newlines inside strings), so the conversion is exact. */
char *ocispec_dump(const json_t *root)
{
	cleanup_free char *s = json_dumps(root, JSON_INDENT(1) | JSON_ENCODE_ANY);
	struct strbuf sb = STRBUF_INIT;
	bool line_start = true;

	if (!s)
		return NULL;
	for (const char *p = s; *p; p++) {
		if (line_start && *p == ' ') {
			strbuf_putc(&sb, '\t');
			continue;
		}
		line_start = *p == '\n';
		strbuf_putc(&sb, *p);
	}
	strbuf_putc(&sb, '\n');
	return strbuf_steal(&sb);
}
