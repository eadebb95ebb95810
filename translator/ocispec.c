/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading and writing config.json: a fast reader that checks the schema as it builds the tree;
 * for anything else a bounded pre-scan (jsonpos.c), jansson with duplicate keys rejected, errors
 * located at FILE:LINE:COL, then the type checks of ocivalidate.c. */
#include <errno.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "cleanup.h"
#include "fileio.h"
#include "jsonutil.h"
#include "ocispec.h"
#include "strbuf.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
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

/* Fast path: a recursive-descent reader for the JSON that config.json files hold, building the
 * same tree as jansson (json_loadb with JSON_REJECT_DUPLICATES) three times faster: no per-byte
 * stream, no copy of each token. Whatever it does not handle exactly as jansson does (reals,
 * integers of 19 digits or more, \u escapes, bytes outside printable ASCII, nesting deeper than
 * OCISPEC_MAX_DEPTH, duplicate keys, any syntax error) makes it give up, and the document goes
 * through the checked path below, which reports errors with their positions. A document it
 * reads whose schema checks fail goes through ocispec_validate, which reports the error. */
struct fast {
	const char *p, *end;
	unsigned depth;
	/* Checked as built: each value the schema describes goes through ocispec_schema_accepts
	 * once complete, which spares ocispec_validate its own walk of the tree. Set when a check
	 * fails: ocispec_validate then runs, to find and report the error. */
	bool unchecked;
};

/* Bytes a string may hold without a closer look: printable ASCII but '"' and '\\'. */
static const bool plain_char[256] = {
	[0x20 ... 0x21] = true,
	[0x23 ... 0x5b] = true,
	[0x5d ... 0x7e] = true,
};

static const char unescaped[256] = {
	['"'] = '"',  ['\\'] = '\\', ['/'] = '/',  ['b'] = '\b',
	['f'] = '\f', ['n'] = '\n',  ['r'] = '\r', ['t'] = '\t',
};

static const bool blank_char[256] = { [' '] = true, ['\n'] = true, ['\t'] = true, ['\r'] = true };

/* Skip blanks: none, or a line break and a few tabs, most of the time. */
static inline void fast_blank(struct fast *f)
{
	const char *p = f->p;

	if (p == f->end || !blank_char[(unsigned char)*p])
		return;
#ifdef __SSE2__
	while (f->end - p >= 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
		__m128i blanks = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(' ')),
							   _mm_cmpeq_epi8(x, _mm_set1_epi8('\t'))),
					      _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('\n')),
							   _mm_cmpeq_epi8(x, _mm_set1_epi8('\r'))));
		unsigned others = ~(unsigned)_mm_movemask_epi8(blanks) & 0xffffu;

		if (others) {
			f->p = p + __builtin_ctz(others);
			return;
		}
		p += 16;
	}
#endif
	while (p < f->end && blank_char[(unsigned char)*p])
		p++;
	f->p = p;
}

/* The rest of a string that holds escapes, from start (past its opening quote; f->p is at
 * the end of its first plain run), decoded into sb. */
static bool fast_escaped(struct fast *f, const char *start, struct strbuf *sb, const char **ret_s,
			 size_t *ret_n)
{
	const char *run;

	strbuf_truncate(sb, 0);
	strbuf_add(sb, start, (size_t)(f->p - start));
	for (;;) {
		char e;

		if (f->p >= f->end)
			return false;
		if (*f->p == '"')
			break;
		if (*f->p != '\\')
			return false;
		if (f->p + 1 >= f->end || !(e = unescaped[(unsigned char)f->p[1]]))
			return false;
		strbuf_putc(sb, e);
		f->p += 2;
		for (run = f->p; f->p < f->end && plain_char[(unsigned char)*f->p]; f->p++)
			;
		strbuf_add(sb, run, (size_t)(f->p - run));
	}
	f->p++;
	if (sb->oom)
		return false;
	*ret_s = sb->s ? sb->s : "";
	*ret_n = sb->len;
	return true;
}

/* The bytes of the 8-byte word x that are not plain_char (below 0x20, '"', '\\' or above 0x7e),
 * as their high bits. The usual word-at-a-time tests: a borrow runs only upwards from a byte
 * that matches, so the lowest bit set marks the first such byte exactly. */
static inline uint64_t not_plain(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\'), d = x ^ (ones * 0x7f);

	/* q, b and d keep x's high bits: ~x masks their borrows as ~q, ~b, ~d would */
	return ((((x - ones * 0x20) | (q - ones) | (b - ones) | (d - ones)) & ~x) | x) & highs;
}

/* The end of the run of plain_char bytes from p: sixteen (SSE2) or eight at a time while as
 * many are left, as most strings of a config.json are plain. */
static inline const char *plain_run(const char *p, const char *end)
{
#ifdef __SSE2__
	while (end - p >= 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
		/* signed bytes: below 0x20 includes 0x80 and above */
		__m128i bad = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
							_mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))),
					   _mm_or_si128(_mm_cmplt_epi8(x, _mm_set1_epi8(0x20)),
							_mm_cmpeq_epi8(x, _mm_set1_epi8(0x7f))));
		unsigned m = (unsigned)_mm_movemask_epi8(bad);

		if (m)
			return p + __builtin_ctz(m);
		p += 16;
	}
#endif
	while (end - p >= 8) {
		uint64_t x, m;

		memcpy(&x, p, 8);
		m = not_plain(x);
		if (m) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			return p + (__builtin_ctzll(m) >> 3);
#else
			break;
#endif
		}
		p += 8;
	}
	while (p < end && plain_char[(unsigned char)*p])
		p++;
	return p;
}

/* The string at f->p (past its opening quote): in place when it has no escape (*ret_s points
 * into the text), else decoded into sb. false: not for the fast path. */
/* Inlined by force: it is the reader's hottest code, and a call costs as much as the scan. */
static inline __attribute__((always_inline)) bool fast_string(struct fast *f, struct strbuf *sb,
							      const char **ret_s, size_t *ret_n)
{
	const char *start = f->p;

	f->p = plain_run(f->p, f->end);
	if (f->p < f->end && *f->p == '"') {
		*ret_s = start;
		*ret_n = (size_t)(f->p++ - start);
		return true;
	}
	return fast_escaped(f, start, sb, ret_s, ret_n);
}

/* An integer of at most 18 digits, spelled as JSON requires (no leading zero, no '+'). */
static json_t *fast_integer(struct fast *f)
{
	bool negative = *f->p == '-';
	const char *digits = f->p + negative, *q = digits;
	long long v = 0;

	while (q < f->end && is_digit(*q)) {
		if (q - digits == 18)
			return NULL; /* 19 digits or more: left to the checked path */
		v = v * 10 + (*q++ - '0');
	}
	if (q == digits || (*digits == '0' && q - digits > 1))
		return NULL;
	if (q < f->end && (*q == '.' || *q == 'e' || *q == 'E'))
		return NULL;
	f->p = q;
	return json_integer(negative ? -v : v);
}

static json_t *fast_value(struct fast *f, struct strbuf *sb, const struct ocispec_field *field);

static bool fast_literal(struct fast *f, const char *word, size_t n)
{
	if ((size_t)(f->end - f->p) < n || memcmp(f->p, word, n) != 0)
		return false;
	f->p += n;
	return f->p == f->end ||
	       !((*f->p >= 'a' && *f->p <= 'z') || (*f->p >= 'A' && *f->p <= 'Z'));
}

static json_t *fast_scalar(struct fast *f, struct strbuf *sb);

/* A value that needs no check but, with want_string, to be a string (its field NULL, or any
 * string will do): strings, the most common, are read here rather than through a call of
 * fast_value each. */
static inline json_t *fast_unchecked(struct fast *f, struct strbuf *sb, bool want_string)
{
	const char *s;
	size_t n;
	json_t *v;

	if (f->p < f->end && *f->p == '"') {
		f->p++;
		return fast_string(f, sb, &s, &n) ? json_stringn_nocheck(s, n) : NULL;
	}
	v = fast_value(f, sb, NULL);
	if (v && want_string)
		f->unchecked = true; /* not a string where the schema wants one */
	return v;
}

static inline void free_key(char **key)
{
	if (*key) /* rare: only keys with escapes are copied */
		free(*key);
}

/* One "key": value member of an object whose schema is field (NULL: not described). */
static bool fast_member(struct fast *f, struct strbuf *sb, json_t *obj,
			const struct ocispec_field *field, struct ocispec_members *m)
{
	const struct ocispec_field *member = NULL;
	__attribute__((cleanup(free_key))) char *heap = NULL;
	const char *key;
	size_t n;
	json_t *v;

	if (f->p >= f->end || *f->p != '"')
		return false;
	f->p++;
	if (!fast_string(f, sb, &key, &n))
		return false;
	if (key == sb->s) /* the value below reuses sb */
		key = heap = strbuf_steal(sb);
	if (!key)
		return false;
	fast_blank(f);
	if (f->p >= f->end || *f->p != ':')
		return false;
	f->p++;
	if (f->p < f->end && *f->p == ' ') /* the usual one space: no scan for it */
		f->p++;
	fast_blank(f);
	if (field)
		member = ocispec_schema_membern(field, key, n, m);
	if (!member || m->any_string)
		v = fast_unchecked(f, sb, member != NULL);
	else
		v = fast_value(f, sb, member);
	return v && json_object_setn_new_nocheck(obj, key, n, v) == 0;
}

/* An object whose schema is field (NULL: not described); m follows its members there. */
static json_t *fast_object(struct fast *f, struct strbuf *sb, const struct ocispec_field *field,
			   struct ocispec_members *m)
{
	cleanup_json json_t *obj = json_object();
	size_t members = 0;

	f->p++;
	fast_blank(f);
	if (f->p < f->end && *f->p == '}') {
		f->p++;
		return steal_pointer(&obj);
	}
	while (obj) {
		if (!fast_member(f, sb, obj, field, m))
			return NULL;
		members++;
		fast_blank(f);
		if (f->p < f->end && *f->p == '}') {
			f->p++;
			/* a key seen before replaced its value: the object is smaller than counted */
			return json_object_size(obj) == members ? steal_pointer(&obj) : NULL;
		}
		if (f->p >= f->end || *f->p != ',')
			return NULL;
		f->p++;
		fast_blank(f);
	}
	return NULL;
}

static json_t *fast_array(struct fast *f, struct strbuf *sb, const struct ocispec_field *field)
{
	const struct ocispec_field *elem = ocispec_schema_element(field);
	/* elements that may be any string are checked here, without a call each */
	bool strings = ocispec_schema_any_string(elem);
	cleanup_json json_t *arr = json_array();

	f->p++;
	fast_blank(f);
	if (f->p < f->end && *f->p == ']') {
		f->p++;
		return steal_pointer(&arr);
	}
	while (arr) {
		json_t *v = !elem || strings ? fast_unchecked(f, sb, strings)
					     : fast_value(f, sb, elem);

		if (!v || json_array_append_new(arr, v) < 0)
			return NULL;
		fast_blank(f);
		if (f->p < f->end && *f->p == ']') {
			f->p++;
			return steal_pointer(&arr);
		}
		if (f->p >= f->end || *f->p != ',')
			return NULL;
		f->p++;
		fast_blank(f);
	}
	return NULL;
}

static json_t *fast_scalar(struct fast *f, struct strbuf *sb)
{
	const char *s;
	size_t n;

	switch (*f->p) {
	case '"':
		f->p++;
		return fast_string(f, sb, &s, &n) ? json_stringn_nocheck(s, n) : NULL;
	case 't':
		return fast_literal(f, "true", 4) ? json_true() : NULL;
	case 'f':
		return fast_literal(f, "false", 5) ? json_false() : NULL;
	case 'n':
		return fast_literal(f, "null", 4) ? json_null() : NULL;
	default:
		return fast_integer(f);
	}
}

/* A value whose schema is field (NULL: not described, nothing to check). */
static json_t *fast_value(struct fast *f, struct strbuf *sb, const struct ocispec_field *field)
{
	size_t required = 0;
	json_t *v;

	if (f->p >= f->end)
		return NULL;
	if (*f->p == '{') {
		struct ocispec_members m = { NULL, 0, false };

		if (++f->depth > OCISPEC_MAX_DEPTH)
			return NULL;
		v = fast_object(f, sb, field, &m);
		required = m.required;
		f->depth--;
	} else if (*f->p == '[') {
		if (++f->depth > OCISPEC_MAX_DEPTH)
			return NULL;
		v = fast_array(f, sb, field);
		f->depth--;
	} else {
		v = fast_scalar(f, sb);
	}
	if (v && field && !f->unchecked && !ocispec_schema_accepts(field, v, required))
		f->unchecked = true;
	return v;
}

/* The document as jansson would read it, or NULL when the fast path does not apply;
 * *ret_checked tells whether it passed ocispec_validate's checks on the way. */
static json_t *fast_parse(const char *buf, size_t len, bool *ret_checked)
{
	cleanup_strbuf struct strbuf sb = STRBUF_INIT;
	struct fast f = { .p = buf, .end = buf + len };
	cleanup_json json_t *root = NULL;

	fast_blank(&f);
	if (f.p >= f.end || *f.p != '{')
		return NULL;
	root = fast_value(&f, &sb, ocispec_schema());
	fast_blank(&f);
	*ret_checked = !f.unchecked;
	return f.p == f.end ? steal_pointer(&root) : NULL;
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
	cleanup_free char *rewritten = NULL;
	json_error_t je;
	unsigned line, col;
	bool checked = false;
	int rc;

	if (!name)
		name = "<config.json>";
	root = fast_parse(buf, len, &checked);
	if (root && checked)
		goto done;
	if (root)
		goto validate;
	if (blank(buf, len)) {
		rc = ct_error_at(err, name, 1, 1, "invalid JSON: empty document");
		return ct_error_hint(err, rc,
				     "a config.json holds one JSON object; `runc spec` "
				     "writes a starting point");
	}
	rc = jsonpos_prescan(buf, len, name, err);
	if (rc < 0)
		return rc;
	rc = jsonpos_rewrite_big_unsigned(buf, len, &rewritten, err);
	if (rc < 0)
		return rc;
	if (rewritten)
		root = json_loads(rewritten, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
	else
		root = json_loadb(buf, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
	if (!root)
		return jansson_error(&je, name, err);
	if (!json_is_object(root)) {
		if (jsonpos_find(buf, len, "", &line, &col) < 0)
			line = col = 1;
		rc = ct_error_at(err, name, line, col,
				 "reading the top level: expected an object, found %s",
				 ct_json_kind(root));
		return ct_error_hint(err, rc,
				     "a config.json is one JSON object: { \"ociVersion\": "
				     "..., \"process\": ..., \"root\": ... }");
	}
validate:
	rc = ocispec_validate(root, buf, len, name, diag, err);
	if (rc < 0)
		return rc;
done:
	*ret = steal_pointer(&root);
	return 0;
}

/* For a bundle directory, DIR/config.json; otherwise path itself. ret_dir receives the bundle
 * directory (absolute when it can be resolved). */
static int resolve_input(const char *path, char **ret_file, char **ret_dir, struct ct_error **err)
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

int ocispec_parse_file(const char *path, struct ct_diag *diag, json_t **ret, char **ret_bundle_dir,
		       struct ct_error **err)
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

/* Writer: runc's layout (Go's MarshalIndent with a tab): members in insertion order, "key": value,
 * one member or element per line, "{}" and "[]" when empty. Strings as jansson writes them (no
 * escaping of '/', UTF-8 kept); uint64 fields above INT64_MAX are written unsigned. Everything
 * goes into one growing buffer: each piece makes room for its worst case, then is written
 * without further checks. */
struct out {
	char *s;
	size_t len, cap;
	bool oom;
};

static bool grow(struct out *o, size_t n)
{
	size_t cap = o->cap ? o->cap : 8192;
	char *s;

	if (o->oom)
		return false;
	while (cap < o->len + n) {
		if (cap > SIZE_MAX / 2) {
			o->oom = true;
			return false;
		}
		cap *= 2;
	}
	s = realloc(o->s, cap);
	if (!s) {
		o->oom = true;
		return false;
	}
	o->s = s;
	o->cap = cap;
	return true;
}

/* Room for n more bytes; false (and oom set) when it cannot be had. */
static inline bool room(struct out *o, size_t n)
{
	return o->len + n <= o->cap || grow(o, n);
}

static void put_bytes(struct out *o, const char *s, size_t n)
{
	if (!room(o, n))
		return;
	memcpy(o->s + o->len, s, n);
	o->len += n;
}

/* The escape letter of each byte in a JSON string: 0 for none, 'u' for \u00XX. */
static const char escapes[256] = {
	[0 ... 7] = 'u', ['\b'] = 'b', ['\t'] = 't',	      ['\n'] = 'n', [0x0b] = 'u',
	['\f'] = 'f',	 ['\r'] = 'r', [0x0e ... 0x1f] = 'u', ['"'] = '"',  ['\\'] = '\\',
};

/* A JSON string as jansson writes it by default (UTF-8 kept, '/' not escaped) at w, which has
 * room for six bytes per input byte plus the quotes; returns the end. The dump's hot path: the
 * strings are short, so plain bytes are copied as they are scanned. */
/* Does the 8-byte word x hold a byte that needs an escape: below 0x20, '"' or '\\'? (The usual
 * word-at-a-time tests: exact about whether such a byte exists, not which one.) */
static inline bool word_needs_escape(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\');

	return (((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((b - ones) & ~b)) & highs;
}

static char *write_string(char *w, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const char *end = s + len;

	*w++ = '"';
	/* whole words without escapes first: the output has room for six bytes per input byte */
	while (end - s >= 8) {
		uint64_t x;

		memcpy(&x, s, 8);
		if (word_needs_escape(x))
			break;
		memcpy(w, &x, 8);
		w += 8;
		s += 8;
	}
	while (s < end) {
		unsigned char c = (unsigned char)*s++;
		char e = escapes[c];

		if (!e) {
			*w++ = (char)c;
		} else if (e == 'u') {
			memcpy(w, "\\u00", 4);
			w[4] = hex[c >> 4];
			w[5] = hex[c & 15];
			w += 6;
		} else {
			w[0] = '\\';
			w[1] = e;
			w += 2;
		}
	}
	*w++ = '"';
	return w;
}

/* Room for the string of len bytes written by write_string, plus extra bytes. */
static bool string_room(struct out *o, size_t len, size_t extra)
{
	return len <= (SIZE_MAX - 2 - extra) / 6 && room(o, len * 6 + 2 + extra);
}

static void put_string(struct out *o, const char *s, size_t len)
{
	if (string_room(o, len, 0))
		o->len = (size_t)(write_string(o->s + o->len, s, len) - o->s);
}

/* A member's start: the separator from the previous one (unless first), a newline, depth tabs,
 * the key and ": ", with room made once. */
static void put_key(struct out *o, bool first, unsigned depth, const char *key, size_t len)
{
	char *w;

	if (!string_room(o, len, (size_t)depth + 4))
		return;
	w = o->s + o->len;
	if (!first)
		*w++ = ',';
	*w++ = '\n';
	memset(w, '\t', depth);
	w = write_string(w + depth, key, len);
	*w++ = ':';
	*w++ = ' ';
	o->len = (size_t)(w - o->s);
}

/* Decimal digits of v, with a '-' when negative is set. */
static void put_decimal(struct out *o, unsigned long long v, bool negative)
{
	char digits[24];
	size_t n = sizeof(digits);

	do {
		digits[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (negative)
		digits[--n] = '-';
	put_bytes(o, digits + n, sizeof(digits) - n);
}

#define put_lit(o, lit) put_bytes((o), (lit), sizeof(lit) - 1)

/* Where the writer is: the member's key (NULL for an array element) and where its container is.
 * The schema is looked up from it only for a negative integer, the one value it matters for
 * (uint64 fields above INT64_MAX are written unsigned). */
struct crumb {
	const struct crumb *up; /* NULL: the top level */
	const char *key;
};

static const struct ocispec_field *schema_at(const struct crumb *c)
{
	const struct ocispec_field *f;

	if (!c->up)
		return ocispec_schema();
	f = schema_at(c->up);
	return c->key ? ocispec_schema_member(f, c->key) : ocispec_schema_element(f);
}

static void put_scalar(struct out *o, const json_t *v, const struct crumb *at)
{
	char *s;

	switch (json_typeof(v)) {
	case JSON_STRING:
		put_string(o, json_string_value(v), json_string_length(v));
		return;
	case JSON_INTEGER: {
		json_int_t n = json_integer_value(v);

		if (n < 0 && ocispec_schema_is_uint64(schema_at(at))) {
			put_decimal(o, (unsigned long long)n, false);
			return;
		}
		/* the magnitude of INT64_MIN too: negated in unsigned arithmetic */
		put_decimal(o, n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n, n < 0);
		return;
	}
	case JSON_TRUE:
		put_lit(o, "true");
		return;
	case JSON_FALSE:
		put_lit(o, "false");
		return;
	case JSON_NULL:
		put_lit(o, "null");
		return;
	default:
		break;
	}
	s = json_dumps(v, JSON_ENCODE_ANY);
	if (!s) {
		o->oom = true;
		return;
	}
	put_bytes(o, s, strlen(s));
	free(s);
}

/* The closing bracket of a container on its own line. */
static void put_close(struct out *o, unsigned depth, char bracket)
{
	if (!room(o, (size_t)depth + 2))
		return;
	o->s[o->len++] = '\n';
	memset(o->s + o->len, '\t', depth);
	o->len += depth;
	o->s[o->len++] = bracket;
}

static void put_value(struct out *o, const json_t *v, const struct crumb *at, unsigned depth)
{
	size_t n;

	if (json_is_object(v)) {
		void *it = json_object_iter((json_t *)v);

		if (!it) {
			put_lit(o, "{}");
			return;
		}
		put_lit(o, "{");
		/* the iterator itself rather than json_object_foreach (two calls fewer a member) */
		for (bool first = true; it; it = json_object_iter_next((json_t *)v, it)) {
			struct crumb c = { at, json_object_iter_key(it) };

			put_key(o, first, depth + 1, c.key, json_object_iter_key_len(it));
			put_value(o, json_object_iter_value(it), &c, depth + 1);
			first = false;
		}
		put_close(o, depth, '}');
	} else if (json_is_array(v)) {
		struct crumb c = { at, NULL };

		n = json_array_size(v);
		if (!n) {
			put_lit(o, "[]");
			return;
		}
		put_lit(o, "[");
		for (size_t i = 0; i < n; i++) {
			if (!room(o, (size_t)depth + 3))
				return;
			if (i)
				o->s[o->len++] = ',';
			o->s[o->len++] = '\n';
			memset(o->s + o->len, '\t', depth + 1);
			o->len += depth + 1;
			put_value(o, json_array_get(v, i), &c, depth + 1);
		}
		put_close(o, depth, ']');
	} else {
		put_scalar(o, v, at);
	}
}

char *ocispec_dump(const json_t *root)
{
	struct out o = { 0 };

	if (!root)
		return NULL;
	put_value(&o, root, &(struct crumb){ NULL, NULL }, 0);
	put_lit(&o, "\n");
	if (!room(&o, 1)) {
		free(o.s);
		return NULL;
	}
	o.s[o.len] = '\0';
	return o.s;
}
