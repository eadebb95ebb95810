/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The command: lxc.execute.cmd / lxc.init.cmd <-> process.args, lxc.init.groups <->
 * process.user.additionalGids, and process.terminal (only false is expressible).
 *
 * liblxc splits the two commands differently: lxc-execute splits lxc.execute.cmd with quotes
 * (lxc_string_split_quoted: blanks separate words, a word starting with ' or " runs to the
 * same quote, no escapes, an unterminated quoted word is dropped), while lxc.init.cmd is split
 * on single spaces with no quoting at all. Which key held the command, and its exact spelling
 * when it is not the one we would write, are kept in meta annotations:
 *   org.ctlaunch.meta.args-key       "lxc.init.cmd", or "default" (neither key: /sbin/init)
 *   org.ctlaunch.meta.args-spelling  the key's value as written */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "families.h"
#include "jsonutil.h"
#include "mapcore.h"
#include "strbuf.h"

#define META_KEY "args-key"
#define META_SPELLING "args-spelling"
#define DEFAULT_INIT "/sbin/init"
#define UINT32_MAXLL 4294967295LL

static const struct ct_doc_row doc[] = {
	{ "lxc.execute.cmd", "process.args",
	  "split as lxc-execute does (quotes group words, no escapes); args with blanks are "
	  "written quoted; an arg holding both quote characters and needing quotes is an error; "
	  "oci2lxc writes this key" },
	{ "lxc.init.cmd", "process.args",
	  "used when lxc.execute.cmd is absent (split on spaces, no quoting); recorded in "
	  "org.ctlaunch.meta.args-key so that it comes back; when both keys are set "
	  "lxc.init.cmd travels as an annotation" },
	{ "-", "process.args",
	  "neither key: [\"/sbin/init\"] (LXC's default for lxc-start), not written back" },
	{ "lxc.init.groups", "process.user.additionalGids",
	  "comma separated gids; several entries are joined into one" },
	{ "-", "process.terminal", "only false is expressible; true stays a #oci: line (warning)" },
	{ NULL, NULL, NULL },
};

/* An argument: a run of bytes in place, in the LXC value or a JSON string (never copied). */
struct arg {
	const char *s;
	size_t len;
};

/* A growable vector of arguments: the first ones on the stack. */
struct argv {
	struct arg small[16];
	struct arg *v;
	size_t n, cap;
};

/* Not an initializer: that would clear the whole stack array first. */
static void argv_init(struct argv *a)
{
	a->v = a->small;
	a->n = 0;
	a->cap = CT_ARRAY_SIZE(a->small);
}

static void argv_release(struct argv *a)
{
	if (a->v != a->small)
		free(a->v);
}
#define cleanup_argv __attribute__((cleanup(argv_release)))

static int argv_push(struct argv *a, const char *s, size_t len)
{
	if (a->n == a->cap) {
		size_t ncap = a->cap * 2;
		struct arg *nv = malloc(ncap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		memcpy(nv, a->v, a->n * sizeof(*nv));
		argv_release(a);
		a->v = nv;
		a->cap = ncap;
	}
	a->v[a->n++] = (struct arg){ s, len };
	return 0;
}

/* What a byte means to the quoting: a table instead of isspace() and a memchr per character.
 * Blanks are isspace()'s in the C locale, which the tools run in (they never set another). */
enum { BLANK = 1, DQUOTE = 2, SQUOTE = 4, NEWLINE = 8 };
static const unsigned char byte_class[256] = {
	['\t'] = BLANK, ['\n'] = BLANK | NEWLINE, ['\v'] = BLANK,  ['\f'] = BLANK, ['\r'] = BLANK,
	[' '] = BLANK,	['"'] = DQUOTE,		  ['\''] = SQUOTE,
};

static bool is_blank(char c)
{
	return byte_class[(unsigned char)c] & BLANK;
}

/* Split as lxc-execute does. *ret_dropped is set when an unterminated quoted word was
 * dropped. */
static int split_quoted(const char *s, struct argv *a, bool *ret_dropped)
{
	const char *word = s;
	char state = ' ';

	*ret_dropped = false;
	for (const char *p = s; *p; p++) {
		if (state == ' ') {
			if (is_blank(*p))
				continue;
			word = p;
			state = (*p == '"' || *p == '\'') ? *p : 'a';
		} else if (state == 'a') {
			if (!is_blank(*p))
				continue;
			if (argv_push(a, word, p - word) < 0)
				return -ENOMEM;
			state = ' ';
		} else if (*p == state) {
			if (argv_push(a, word + 1, p - word - 1) < 0)
				return -ENOMEM;
			state = ' ';
		}
	}
	if (state == 'a')
		return argv_push(a, word, strlen(word));
	*ret_dropped = state != ' ';
	return 0;
}

/* Split as liblxc splits lxc.init.cmd: on spaces, empty words skipped. */
static int split_spaces(const char *s, struct argv *a)
{
	while (*s) {
		size_t len = strcspn(s, " ");

		if (len && argv_push(a, s, len) < 0)
			return -ENOMEM;
		s += len;
		s += strspn(s, " ");
	}
	return 0;
}

/* How an arg is written in lxc.execute.cmd: 0 bare, a quote character, or -1 when it cannot
 * be. avoid: a quote character not to use when another choice exists. */
static int quote_for(const struct arg *arg, int avoid)
{
	const char *s = arg->s;
	unsigned cls = 0;
	bool plain, dq, sq;

	for (size_t i = 0; i < arg->len; i++)
		cls |= byte_class[(unsigned char)s[i]];
	if (cls & NEWLINE)
		return -1;
	plain = arg->len && s[0] != '"' && s[0] != '\'' && !(cls & BLANK);
	if (plain)
		return 0;
	dq = !(cls & DQUOTE);
	sq = !(cls & SQUOTE);
	if (dq && (avoid != '"' || !sq))
		return '"';
	return sq ? '\'' : -1;
}

/* A joined command: on the stack when it fits, which it nearly always does. */
struct text {
	char small[512];
	char *heap;
};

static void text_release(struct text *t)
{
	free(t->heap);
}
#define cleanup_text __attribute__((cleanup(text_release)))

/* Room for the args joined with a space and two quotes each; NULL when out of memory. */
static char *text_room(struct text *t, const struct arg *args, size_t n)
{
	size_t need = 1;

	for (size_t i = 0; i < n; i++)
		need += args[i].len + 3;
	if (need <= sizeof(t->small))
		return t->small;
	t->heap = malloc(need);
	return t->heap;
}

/* args joined for lxc.execute.cmd into t; NULL with *ret_bad = index of an arg that cannot be
 * written (or -1 on allocation failure). *ret_quoted tells whether any arg needed quotes. A
 * value that would start and end with the same quote is avoided where possible: liblxc strips
 * such a pair from every value. */
static char *join_quoted(struct text *t, const struct arg *args, size_t n, long *ret_bad,
			 bool *ret_quoted)
{
	char *out = text_room(t, args, n), *p = out;
	int first = 0;

	*ret_quoted = false;
	*ret_bad = -1;
	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		int q = quote_for(&args[i], i > 0 && i == n - 1 ? first : 0);

		if (q < 0) {
			*ret_bad = (long)i;
			return NULL;
		}
		if (i == 0)
			first = q;
		if (i)
			*p++ = ' ';
		if (q) {
			*ret_quoted = true;
			*p++ = (char)q;
		}
		memcpy(p, args[i].s, args[i].len);
		p += args[i].len;
		if (q)
			*p++ = (char)q;
	}
	*p = '\0';
	return out;
}

/* args joined for lxc.init.cmd into t; NULL with *ret_bad >= 0 when an arg is empty or has a
 * space (or -1 on allocation failure). */
static char *join_spaces(struct text *t, const struct arg *args, size_t n, long *ret_bad)
{
	char *out = text_room(t, args, n), *p = out;

	*ret_bad = -1;
	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (!args[i].len || memchr(args[i].s, ' ', args[i].len) ||
		    memchr(args[i].s, '\n', args[i].len)) {
			*ret_bad = (long)i;
			return NULL;
		}
		if (i)
			*p++ = ' ';
		memcpy(p, args[i].s, args[i].len);
		p += args[i].len;
	}
	*p = '\0';
	return out;
}

static bool argv_equal(const struct argv *a, const struct arg *b, size_t n)
{
	if (a->n != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (a->v[i].len != b[i].len || memcmp(a->v[i].s, b[i].s, b[i].len) != 0)
			return false;
	return true;
}

static const struct lxc_entry *last_entry(struct ct_ctx *ctx, const char *key, bool use)
{
	const struct lxc_entry *e, *last = NULL;

	for (size_t i = 0; (e = lxcconf_next(ctx->lxc, key, false, &i)); i++) {
		if (use)
			ct_use(ctx, i);
		last = e;
	}
	return last;
}

static int set_args(struct ct_ctx *ctx, const struct lxc_entry *e, const struct arg *args, size_t n,
		    struct ct_error **err)
{
	cleanup_json json_t *arr = json_array();
	struct mapcore_cursor cur = { .create = true };

	if (!arr)
		return ct_error_set(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		json_t *s = ct_json_strn(args[i].s, args[i].len);

		if (!s)
			return ct_error_entry(err, e, "argument %zu is not valid UTF-8", i);
		if (json_array_append_new(arr, s) < 0)
			return ct_error_set(err, ENOMEM, "out of memory");
	}
	return mapcore_set(&cur, ctx->oci, "/process/args", steal_pointer(&arr), err);
}

static int args_to_oci(struct ct_ctx *ctx, struct ct_error **err)
{
	const struct lxc_entry *exe = last_entry(ctx, "lxc.execute.cmd", true);
	const struct lxc_entry *e = exe ? exe : last_entry(ctx, "lxc.init.cmd", true);
	cleanup_argv struct argv a;
	cleanup_text struct text t;
	const char *canon;
	static const struct arg dflt[] = { { DEFAULT_INIT, sizeof(DEFAULT_INIT) - 1 } };
	bool dropped = false, quoted;
	long bad;
	int rc;

	argv_init(&a);
	t.heap = NULL;
	if (!e) {
		rc = set_args(ctx, NULL, dflt, 1, err);
		return rc < 0 ? rc : mapcore_meta_set(ctx->oci, META_KEY, "default", err);
	}
	rc = exe ? split_quoted(e->value, &a, &dropped) : split_spaces(e->value, &a);
	if (rc < 0)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (dropped && ct_warn_entry(ctx, err, e,
				     "unterminated quote: lxc-execute drops the last word, and so "
				     "does process.args") < 0)
		return -1;
	if (!a.n)
		return ct_error_entry(err, e, "no command left after splitting \"%s\"", e->value);
	rc = set_args(ctx, e, a.v, a.n, err);
	if (rc < 0)
		return rc;
	if (!exe) {
		rc = mapcore_meta_set(ctx->oci, META_KEY, "lxc.init.cmd", err);
		if (rc < 0)
			return rc;
	}
	canon = exe ? join_quoted(&t, a.v, a.n, &bad, &quoted) : join_spaces(&t, a.v, a.n, &bad);
	if (canon && strcmp(canon, e->value) == 0)
		return 0;
	return mapcore_meta_set(ctx->oci, META_SPELLING, e->value, err);
}

static int groups_to_oci(struct ct_ctx *ctx, struct ct_error **err)
{
	cleanup_json json_t *arr = NULL; /* made for the first gid */
	const struct lxc_entry *e;

	for (size_t i = 0; (e = lxcconf_next(ctx->lxc, "lxc.init.groups", false, &i)); i++) {
		cleanup_free char *copy = strdup(e->value);
		char *save = NULL;

		if (!copy || (!arr && !(arr = json_array())))
			return ct_error_set(err, ENOMEM, "out of memory");
		for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
			long long gid;

			if (mapcore_parse_ll(t, 0, UINT32_MAXLL, &gid) < 0)
				return ct_error_hint(
					err, ct_error_entry(err, e, "invalid gid \"%s\"", t),
					"write comma separated numbers, e.g. 5,20");
			if (json_array_append_new(arr, json_integer(gid)) < 0)
				return ct_error_set(err, ENOMEM, "out of memory");
		}
		ct_use(ctx, i);
	}
	if (!json_array_size(arr))
		return 0;
	return ct_json_set(ctx->oci, "/process/user/additionalGids", steal_pointer(&arr), err);
}

static int process_to_oci(struct ct_ctx *ctx, struct ct_error **err)
{
	int rc = args_to_oci(ctx, err);

	return rc < 0 ? rc : groups_to_oci(ctx, err);
}

/* process.args as arguments (borrowed from the JSON document, up to a NUL as before). */
static int read_args(json_t *j, struct argv *a, struct ct_error **err)
{
	size_t n = json_array_size(j);

	if (!json_is_array(j))
		return ct_error_set(err, 0, "/process/args: expected an array of strings");
	for (size_t i = 0; i < n; i++) {
		const char *s = json_string_value(json_array_get(j, i));

		if (!s)
			return ct_error_set(err, 0, "/process/args/%zu: expected a string", i);
		if (argv_push(a, s, strlen(s)) < 0)
			return ct_error_set(err, ENOMEM, "out of memory");
	}
	return 0;
}

/* The recorded spelling, when it still splits into args. */
static bool spelling_matches(const char *spelling, bool init, const struct arg *args, size_t n)
{
	cleanup_argv struct argv a;
	bool dropped = false;
	int rc;

	argv_init(&a);
	if (!spelling || strchr(spelling, '\n'))
		return false;
	rc = init ? split_spaces(spelling, &a) : split_quoted(spelling, &a, &dropped);
	return rc == 0 && !dropped && argv_equal(&a, args, n);
}

static int add_cmd(struct ct_ctx *ctx, const char *key, const char *value, struct ct_error **err)
{
	if (strlen(value) >= MAPCORE_PATH_MAX)
		return ct_error_set(err, 0,
				    "/process/args: the command is longer than %s allows "
				    "(%d bytes)",
				    key, MAPCORE_PATH_MAX - 1);
	return lxcconf_add(ctx->lxc, key, value, NULL, 0, err);
}

/* Try lxc.init.cmd: 1 when written, 0 when the args need lxc.execute.cmd. */
static int init_cmd_to_lxc(struct ct_ctx *ctx, const struct arg *args, size_t n,
			   const char *spelling, struct ct_error **err)
{
	cleanup_text struct text t;
	const char *value;
	long bad;
	int rc;

	t.heap = NULL;
	if (spelling_matches(spelling, true, args, n))
		return add_cmd(ctx, "lxc.init.cmd", spelling, err) < 0 ? -1 : 1;
	value = join_spaces(&t, args, n, &bad);
	if (value) {
		rc = add_cmd(ctx, "lxc.init.cmd", value, err);
		return rc < 0 ? rc : 1;
	}
	if (bad < 0)
		return ct_error_set(err, ENOMEM, "out of memory");
	rc = ct_warn_oci(ctx, err, "/process/args",
			 "argument %ld is empty or has a space, which lxc.init.cmd cannot hold: "
			 "written as lxc.execute.cmd",
			 bad);
	return rc < 0 ? rc : 0;
}

static int execute_cmd_to_lxc(struct ct_ctx *ctx, const struct arg *args, size_t n,
			      const char *spelling, struct ct_error **err)
{
	cleanup_text struct text t;
	const char *value;
	bool quoted;
	long bad;
	int rc;

	t.heap = NULL;
	if (spelling_matches(spelling, false, args, n))
		return add_cmd(ctx, "lxc.execute.cmd", spelling, err);
	value = join_quoted(&t, args, n, &bad, &quoted);
	if (!value && bad < 0)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (!value)
		return ct_error_hint(
			err,
			ct_error_set(err, 0,
				     "/process/args/%ld: cannot be written in "
				     "lxc.execute.cmd: it needs quotes and holds both quote "
				     "characters (or a newline)",
				     bad),
			"liblxc has no escapes in commands: wrap the command in a script");
	if (quoted) {
		rc = ct_warn_oci(ctx, err, "/process/args",
				 "lxc-execute honours the quotes written in lxc.execute.cmd, but "
				 "liblxc's start API splits it on spaces");
		if (rc < 0)
			return rc;
	}
	return add_cmd(ctx, "lxc.execute.cmd", value, err);
}

static int args_to_lxc(struct ct_ctx *ctx, json_t *process, json_t *annots, struct ct_error **err)
{
	json_t *j = json_object_get(process, "args");
	const char *key, *spelling;
	cleanup_argv struct argv a;
	int rc;

	argv_init(&a);
	if (!j)
		return 0;
	rc = read_args(j, &a, err);
	if (rc < 0 || a.n == 0)
		return rc;
	key = json_string_value(json_object_get(annots, CT_ANNOT_META META_KEY));
	spelling = json_string_value(json_object_get(annots, CT_ANNOT_META META_SPELLING));
	if (key && strcmp(key, "default") == 0 && a.n == 1 &&
	    a.v[0].len == sizeof(DEFAULT_INIT) - 1 &&
	    memcmp(a.v[0].s, DEFAULT_INIT, a.v[0].len) == 0)
		return 0;
	if (key && strcmp(key, "lxc.init.cmd") == 0) {
		rc = init_cmd_to_lxc(ctx, a.v, a.n, spelling, err);
		if (rc != 0)
			return rc < 0 ? rc : 0;
	}
	return execute_cmd_to_lxc(ctx, a.v, a.n, spelling, err);
}

static int groups_to_lxc(struct ct_ctx *ctx, json_t *process, struct ct_error **err)
{
	json_t *j = json_object_get(json_object_get(process, "user"), "additionalGids");
	cleanup_strbuf struct strbuf sb = STRBUF_INIT;
	size_t i;
	json_t *v;

	if (!j)
		return 0;
	if (!json_is_array(j))
		return ct_error_set(err, 0, "/process/user/additionalGids: expected an array");
	json_array_foreach (j, i, v) {
		long long gid;

		if (!mapcore_json_int(v, 0, UINT32_MAXLL, &gid))
			return ct_error_set(err, 0,
					    "/process/user/additionalGids/%zu: expected a gid in "
					    "[0, 4294967295]",
					    i);
		strbuf_printf(&sb, "%s%lld", i ? "," : "", gid);
	}
	if (sb.oom)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (!sb.len)
		return 0;
	return lxcconf_add(ctx->lxc, "lxc.init.groups", sb.s, NULL, 0, err);
}

static int terminal_to_lxc(struct ct_ctx *ctx, json_t *process, struct ct_error **err)
{
	json_t *j = json_object_get(process, "terminal");

	if (!j || json_is_false(j))
		return 0;
	if (!json_is_true(j))
		return ct_error_set(err, 0, "/process/terminal: expected true or false");
	return ct_warn_oci(ctx, err, "/process/terminal",
			   "LXC has no key for a terminal on the container's process; kept as a "
			   "#oci: line (lxc-start -F or lxc-console give one)");
}

static int process_to_lxc(struct ct_ctx *ctx, struct ct_error **err)
{
	/* the members are looked up in process (and annotations) once, not walked to each time;
	 * json_object_get of a non-object is NULL, as ct_json_get's walk was */
	json_t *process = json_object_get(ctx->oci, "process");
	json_t *annots = json_object_get(ctx->oci, "annotations");
	int rc = args_to_lxc(ctx, process, annots, err);

	if (rc >= 0)
		rc = groups_to_lxc(ctx, process, err);
	if (rc >= 0)
		rc = terminal_to_lxc(ctx, process, err);
	return rc;
}

const struct ct_family ct_family_process = {
	.name = "process",
	.to_oci = process_to_oci,
	.to_lxc = process_to_lxc,
	.doc = doc,
};
