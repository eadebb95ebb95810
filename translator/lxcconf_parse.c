/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading LXC configuration files as liblxc 5 does (its confile.c parse_line): lines split at
 * '\n' and '\r', leading blanks skipped, '#' comments, "key = value" split at the first '=',
 * blanks trimmed around both, one pair of matching quotes stripped from the value, an empty
 * value clears the key. On top of liblxc: legacy keys are converted (with a warning), unknown
 * keys are errors, "#oci:" comment lines are kept as carry lines, and every input-controlled
 * quantity is bounded. lxc.include and the choice of the entries liblxc keeps are in
 * lxcconf_resolve.c. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "fileio.h"
#include "lxcconf.h"
#include "lxcconf_internal.h"
#include "lxckeys.h"

#define CARRY_MARKER "#oci:"

static int parse_text(struct lxcconf_parser *p, const char *buf, size_t len, const char *file,
		      struct ct_error **err);

int lxcconf_err_at(struct ct_error **err, const struct lxcconf_where *w, const char *hint,
		   const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = ct_error_vat(err, 0, w->file, w->line, 0, fmt, ap);
	va_end(ap);
	if (hint)
		ct_error_hint(err, rc, "%s", hint);
	return rc;
}

/* A loop rather than strncmp(s, prefix, strlen(prefix)): called for every key, and keys differ
 * from the prefix within a few characters. */
static bool starts_with(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return false;
	return true;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* liblxc's lxc_is_line_empty: only blanks, '\f' and line ends. */
static bool line_empty(const char *s)
{
	return s[strspn(s, " \t\n\r\f")] == '\0';
}

static char *trim(char *s)
{
	size_t n;

	while (is_blank(*s))
		s++;
	n = strlen(s);
	while (n > 0 && is_blank(s[n - 1]))
		n--;
	s[n] = '\0';
	return s;
}

/* Room for one more row. */
static int grow_recs(struct lxcconf_parser *p, struct ct_error **err)
{
	size_t ncap = 2 * p->caprecs;
	struct lxcconf_rec *nr;

	if (p->nrecs < p->caprecs)
		return 0;
	nr = realloc(p->recs == p->small_recs ? NULL : p->recs, ncap * sizeof(*nr));
	if (!nr)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (p->recs == p->small_recs)
		memcpy(nr, p->small_recs, sizeof(p->small_recs));
	p->recs = nr;
	p->caprecs = ncap;
	return 0;
}

/* Record one assignment for lxcconf_resolve. */
static int record(struct lxcconf_parser *p, const struct lxckey *row, int net, const char *key,
		  const char *value, const struct lxcconf_where *w, struct ct_error **err)
{
	int rc = grow_recs(p, err);

	if (rc < 0)
		return rc;
	rc = lxcconf_add(p->conf, key, value, w->file, w->line, err);
	if (rc == 0)
		p->recs[p->nrecs++] = (struct lxcconf_rec){ row, net };
	return rc;
}

/* Is the assignment of a known modern key only recorded (no include, no error)? Then its
 * effect on the parser is record() and note_net() alone, whatever came before. */
static bool plain_assignment(const struct lxckey *row, const char *key, const char *value)
{
	if (strcmp(key, "lxc.include") == 0)
		return false;
	if ((row->flags & LXCKEY_CLEAR_ONLY) && *value)
		return false;
	return *value || strcmp(key, "lxc.mount.fstab") != 0;
}

/* The highest interface index set, for unindexed legacy lxc.network.* keys. */
static void note_net(struct lxcconf_parser *p, int idx, const char *value)
{
	if (idx > p->net_max && *value)
		p->net_max = idx;
}

/* One assignment of a known modern key. */
static int assign(struct lxcconf_parser *p, const struct lxckey *row, const char *key,
		  const char *value, const struct lxcconf_where *w, struct ct_error **err)
{
	int net;

	if (plain_assignment(row, key, value)) {
		net = lxckey_net_index(key);
		note_net(p, net, value);
		return record(p, row, net, key, value, w, err);
	}
	if (strcmp(key, "lxc.include") == 0)
		return lxcconf_include(p, value, w, err);
	if (*value == '\0')
		return lxcconf_err_at(
			err, w, "remove the line to have no fstab",
			"an empty lxc.mount.fstab makes liblxc fail to load the config");
	return lxcconf_err_at(err, w, "an empty value clears them; set subkeys instead",
			      "%s takes no value: it only clears every %s.* setting", key, key);
}

static int unknown_key(const char *key, const struct lxcconf_where *w, struct ct_error **err)
{
	const char *s = lxckey_suggest(key);
	char hint[320];

	if (s)
		snprintf(hint, sizeof(hint), "did you mean \"%s\"?", s);
	else
		snprintf(hint, sizeof(hint), "lxc.container.conf(5) lists the keys of LXC 5");
	if (!starts_with(key, "lxc."))
		return lxcconf_err_at(err, w, hint,
				      "unknown key \"%.200s\": LXC keys start with \"lxc.\"", key);
	return lxcconf_err_at(err, w, hint, "unknown key \"%.200s\"", key);
}

/* Unindexed legacy lxc.network.SUB: each lxc.network.type starts a new interface. Returns 0
 * with *ret_key set, or < 0. */
static int legacy_net(struct lxcconf_parser *p, const char *key, const char *sub, const char *value,
		      char *buf, size_t size, const struct lxcconf_where *w, const char **ret_key,
		      struct ct_error **err)
{
	if (strcmp(sub, "type") == 0) {
		if (*value == '\0') {
			p->net_cur = -1; /* LXC 2 cleared every interface */
			*ret_key = "lxc.net";
			return 0;
		}
		if (p->net_max + 1 >= LXCKEY_MAX_NET_INDEX)
			return lxcconf_err_at(err, w, NULL, "%s: more than %u interfaces", key,
					      LXCKEY_MAX_NET_INDEX);
		p->net_cur = p->net_max + 1;
	} else if (p->net_cur < 0) {
		return lxcconf_err_at(err, w, "start each interface with lxc.network.type",
				      "%s before any lxc.network.type", key);
	}
	*ret_key = lxckey_modernize_net(sub, (unsigned)p->net_cur, buf, size);
	return *ret_key ? 0 : unknown_key(key, w, err);
}

/* Keys LXC 3.0 removed: lxc.rootfs.backend is remembered for lxc.rootfs.path. */
static int removed_key(struct lxcconf_parser *p, const char *key, const char *value,
		       const struct lxcconf_where *w, struct ct_error **err)
{
	bool backend = strcmp(key, "lxc.rootfs.backend") == 0;

	if (backend && *value) {
		free(p->backend);
		p->backend = strdup(value);
		if (!p->backend)
			return ct_error_set(err, ENOMEM, "out of memory");
	}
	return ct_warn(p->opts->diag, err, w->file, w->line, 0, "%s was removed in LXC 3.0%s", key,
		       backend ? "; its value is written as the prefix of lxc.rootfs.path"
			       : " and has no effect: the line is ignored");
}

/* A key not in the table: a legacy spelling is converted with a warning. Returns 1 with
 * *ret_key set, 0 when the line has no effect, or < 0. */
static int modernize(struct lxcconf_parser *p, const char *key, const char *value, char *buf,
		     size_t size, const struct lxcconf_where *w, const char **ret_key,
		     struct ct_error **err)
{
	const char *sub = lxckey_unindexed_net(key), *modern;
	int rc;

	if (strcmp(key, "lxc.rootfs.backend") == 0 || lxckey_removed(key)) {
		rc = removed_key(p, key, value, w, err);
		return rc < 0 ? rc : 0;
	}
	if (sub) {
		rc = legacy_net(p, key, sub, value, buf, size, w, &modern, err);
		if (rc < 0)
			return rc;
	} else {
		modern = lxckey_modernize(key, buf, size);
		if (!modern)
			return unknown_key(key, w, err);
	}
	rc = ct_warn(p->opts->diag, err, w->file, w->line, 0,
		     "legacy key %s read as %s (liblxc 5 rejects the old name; "
		     "lxc-update-config rewrites it)",
		     key, modern);
	if (rc < 0)
		return rc;
	*ret_key = modern;
	return 1;
}

static int parse_assignment(struct lxcconf_parser *p, const char *key, const char *value,
			    const struct lxcconf_where *w, struct ct_error **err)
{
	char mbuf[320], cbuf[320];
	const struct lxckey *row;
	const char *canon;
	int rc;

	if (!starts_with(key, "lxc."))
		return unknown_key(key, w, err);
	row = lxckey_lookup(key);
	if (!row) {
		rc = modernize(p, key, value, mbuf, sizeof(mbuf), w, &key, err);
		if (rc <= 0)
			return rc;
	}
	canon = lxckey_canonical(key, cbuf, sizeof(cbuf));
	row = canon == key && row ? row : lxckey_lookup(canon);
	if (!row)
		return unknown_key(canon, w, err);
	return assign(p, row, canon, value, w, err);
}

enum line_kind { LINE_NONE, LINE_CARRY, LINE_ASSIGN, LINE_NO_EQ };

/* Split one logical line (no '\n', '\r' or NUL inside), copied to line, in place: *ret_a is
 * the carry text, the key (*ret_b the value) or, without '=', the line. */
static enum line_kind split_line(char *line, char **ret_a, char **ret_b)
{
	char *eq, *value;
	size_t vlen;

	if (line_empty(line))
		return LINE_NONE;
	line += strspn(line, " \t");
	if (starts_with(line, CARRY_MARKER)) {
		*ret_a = line + strlen(CARRY_MARKER);
		return LINE_CARRY;
	}
	if (line[0] == '#')
		return LINE_NONE;
	eq = strchr(line, '=');
	*ret_a = line;
	if (!eq)
		return LINE_NO_EQ;
	*eq = '\0';
	*ret_a = trim(line);
	value = trim(eq + 1);
	vlen = strlen(value);
	if (vlen > 1 && (value[0] == '"' || value[0] == '\'') && value[vlen - 1] == value[0]) {
		value[vlen - 1] = '\0';
		value++;
	}
	*ret_b = value;
	return LINE_ASSIGN;
}

static int parse_line(struct lxcconf_parser *p, const char *s, size_t n,
		      const struct lxcconf_where *w, struct ct_error **err)
{
	char small[512]; /* most lines: no allocation */
	cleanup_free char *heap = NULL;
	char *copy = small, *a = NULL, *b = NULL;

	if (n < sizeof(small)) {
		memcpy(small, s, n);
		small[n] = '\0';
	} else {
		copy = heap = strndup(s, n);
		if (!copy)
			return ct_error_set(err, ENOMEM, "out of memory");
	}
	switch (split_line(copy, &a, &b)) {
	case LINE_CARRY:
		return lxcconf_add_carry_at(p->conf, a, w->file, w->line, err);
	case LINE_NO_EQ:
		return lxcconf_err_at(err, w, "write KEY = VALUE, or start a comment with '#'",
				      "line \"%.60s\" has no '='", a);
	case LINE_ASSIGN:
		return parse_assignment(p, a, b, w, err);
	default:
		return 0;
	}
}

typedef int line_fn(void *ctx, const char *s, size_t n, const struct lxcconf_where *w,
		    struct ct_error **err);

/* Call fn for each logical line of buf, bounding physical lines. */
static int walk_lines(const char *buf, size_t len, const char *file, line_fn *fn, void *ctx,
		      struct ct_error **err)
{
	struct lxcconf_where w = { file, 0 };
	size_t pos = 0;

	while (pos < len) {
		const char *start = buf + pos, *nl = memchr(start, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - start) : len - pos;
		size_t off = 0;

		w.line++;
		if (n > LXCCONF_MAX_LINE)
			return lxcconf_err_at(err, &w, NULL, "line longer than %u bytes",
					      LXCCONF_MAX_LINE);
		if (memchr(start, '\0', n))
			return lxcconf_err_at(err, &w, "is this a text file?", "NUL byte in line");
		/* liblxc splits at '\r' as well: "a\r\n" is "a", "a\rb" two lines. */
		while (off <= n) {
			const char *cr = memchr(start + off, '\r', n - off);
			size_t m = cr ? (size_t)(cr - start) - off : n - off;
			int rc = fn(ctx, start + off, m, &w, err);

			if (rc < 0)
				return rc;
			off += m + 1;
		}
		pos += n + 1;
	}
	return 0;
}

static int parse_line_cb(void *ctx, const char *s, size_t n, const struct lxcconf_where *w,
			 struct ct_error **err)
{
	return parse_line(ctx, s, n, w, err);
}

static int parse_text(struct lxcconf_parser *p, const char *buf, size_t len, const char *file,
		      struct ct_error **err)
{
	return walk_lines(buf, len, file, parse_line_cb, p, err);
}

/*
 * The lines of a file split once: an included file served by the file cache is split on its
 * second use and the result attached to it (ct_file_attach), so that later parses replay the
 * assignments without copying, trimming or looking keys up again. Only the splitting and the
 * key lookup are kept: every assignment still goes through assign() (includes, clears, the
 * lxc.net bookkeeping) or, for a key that is not a known canonical key, parse_assignment()
 * (legacy keys and their warnings, unknown keys), so a replay does what parse_text does. A
 * file with a line parse_text would refuse is never split (parse_text reports it).
 */
struct token {
	unsigned line;
	bool carry;		  /* key is the text of a carry line */
	bool plain;		  /* a plain_assignment() of row */
	int net;		  /* lxckey_net_index(key) of a plain assignment */
	uint32_t hash;		  /* lxcconf_key_hash(key) of a plain assignment */
	const struct lxckey *row; /* the row of key when it is a known canonical key */
	union {
		size_t off; /* while splitting: offsets into the text */
		const char *s;
	} key, value;
};

struct tokens {
	size_t n;
	struct lxc_entry *ents;	  /* the entries of the plain assignments, in order */
	struct lxcconf_rec *recs; /* and what the reader records of them */
	struct token v[];	  /* then ents, recs and the text */
};

struct splitter {
	struct token *v;
	size_t n, cap;
	struct strbuf text;
};

static int split_cb(void *ctx, const char *s, size_t n, const struct lxcconf_where *w,
		    struct ct_error **err)
{
	struct splitter *sp = ctx;
	size_t at = sp->text.len;
	char *a = NULL, *b = NULL, cbuf[320];
	struct token *t;
	enum line_kind kind;

	(void)err;
	strbuf_add(&sp->text, s, n);
	strbuf_putc(&sp->text, '\0');
	if (sp->text.oom)
		return -ENOMEM;
	kind = split_line(sp->text.s + at, &a, &b);
	if (kind == LINE_NONE) {
		strbuf_truncate(&sp->text, at);
		return 0;
	}
	if (kind == LINE_NO_EQ)
		return -EINVAL;
	if (sp->n == sp->cap) {
		size_t ncap = sp->cap ? 2 * sp->cap : 32;
		struct token *nv = realloc(sp->v, ncap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		sp->v = nv;
		sp->cap = ncap;
	}
	t = &sp->v[sp->n++];
	*t = (struct token){ .line = w->line, .carry = kind == LINE_CARRY };
	t->key.off = (size_t)(a - sp->text.s);
	t->value.off = b ? (size_t)(b - sp->text.s) : 0;
	if (kind == LINE_ASSIGN && starts_with(a, "lxc.") &&
	    lxckey_canonical(a, cbuf, sizeof(cbuf)) == a)
		t->row = lxckey_lookup(a);
	if (t->row && plain_assignment(t->row, a, b)) {
		t->plain = true;
		t->net = lxckey_net_index(a);
		t->hash = lxcconf_key_hash(a);
	}
	return 0;
}

/* The tokens of buf in one allocation of *ret_size bytes, or NULL (see above). */
static struct tokens *split_text(const char *buf, size_t len, size_t *ret_size)
{
	struct splitter sp = { .text = STRBUF_INIT };
	struct tokens *t = NULL;
	char *text;

	if (walk_lines(buf, len, NULL, split_cb, &sp, NULL) == 0) {
		*ret_size = sizeof(*t) +
			    sp.n * (sizeof(*sp.v) + sizeof(*t->ents) + sizeof(*t->recs)) +
			    sp.text.len + 1;
		t = malloc(*ret_size);
	}
	if (t) {
		size_t nents = 0;

		t->ents = (struct lxc_entry *)&t->v[sp.n];
		t->recs = (struct lxcconf_rec *)&t->ents[sp.n];
		text = (char *)&t->recs[sp.n];
		memcpy(text, sp.text.s ? sp.text.s : "", sp.text.len + 1);
		t->n = sp.n;
		for (size_t i = 0; i < sp.n; i++) {
			struct token *k = &t->v[i];

			*k = sp.v[i];
			k->key.s = text + sp.v[i].key.off;
			k->value.s = text + sp.v[i].value.off;
			if (!k->plain)
				continue;
			t->ents[nents] = (struct lxc_entry){ .key = (char *)k->key.s,
							     .value = (char *)k->value.s,
							     .line = k->line,
							     .hash_ = k->hash };
			t->recs[nents++] = (struct lxcconf_rec){ k->row, k->net };
		}
	}
	free(sp.v);
	strbuf_release(&sp.text);
	return t;
}

/* A plain assignment whose strings the config holds (see lxcconf_hold): what assign() does,
 * without copying them or looking anything up again. */
static int replay_plain(struct lxcconf_parser *p, const struct token *k, const char *file,
			struct ct_error **err)
{
	int rc = grow_recs(p, err);

	if (rc < 0)
		return rc;
	note_net(p, k->net, k->value.s);
	rc = lxcconf_add_held(p->conf, k->key.s, k->value.s, k->hash, file, k->line, err);
	if (rc == 0)
		p->recs[p->nrecs++] = (struct lxcconf_rec){ k->row, k->net };
	return rc;
}

/*
 * Tokens [i, end) are plain assignments and carry lines: their entries (from *ent on) are
 * appended at once. Entries and carry lines go to separate lists, so this is what replaying
 * them one by one does. Returns 1 when the config has no room for them: the caller replays
 * them one by one, to report the error where it happens.
 */
static int replay_run(struct lxcconf_parser *p, const struct tokens *t, size_t i, size_t end,
		      size_t *ent, const char *file, struct ct_error **err)
{
	size_t n = 0;
	int rc;

	for (size_t j = i; j < end; j++)
		n += t->v[j].plain;
	rc = lxcconf_append_held(p->conf, &t->ents[*ent], n, file, err);
	if (rc != 0)
		return rc;
	while (p->caprecs - p->nrecs < n)
		if ((rc = grow_recs(p, err)) < 0)
			return rc;
	memcpy(&p->recs[p->nrecs], &t->recs[*ent], n * sizeof(*p->recs));
	p->nrecs += n;
	*ent += n;
	for (size_t j = i; j < end && rc == 0; j++) {
		const struct token *k = &t->v[j];

		if (k->plain)
			note_net(p, k->net, k->value.s);
		else
			rc = lxcconf_add_carry_at(p->conf, k->key.s, file, k->line, err);
	}
	return rc;
}

/* held: t lives as long as the config (lxcconf_hold). */
static int replay(struct lxcconf_parser *p, const struct tokens *t, bool held, const char *file,
		  struct ct_error **err)
{
	struct lxcconf_where w = { file, 0 };
	size_t ent = 0; /* t->ents of the plain tokens before i */
	bool bulk = held;
	int rc = 0;

	for (size_t i = 0; i < t->n && rc == 0; i++) {
		const struct token *k = &t->v[i];
		size_t end = i;

		while (bulk && end < t->n && (t->v[end].plain || t->v[end].carry))
			end++;
		if (end > i) {
			rc = replay_run(p, t, i, end, &ent, file, err);
			if (rc <= 0) {
				i = end - 1;
				continue;
			}
			rc = 0; /* no room: one by one from now on */
			bulk = false;
		}
		w.line = k->line;
		ent += k->plain;
		if (k->carry)
			rc = lxcconf_add_carry_at(p->conf, k->key.s, file, k->line, err);
		else if (k->plain && held)
			rc = replay_plain(p, k, file, err);
		else if (k->row)
			rc = assign(p, k->row, k->key.s, k->value.s, &w, err);
		else
			rc = parse_assignment(p, k->key.s, k->value.s, &w, err);
	}
	return rc;
}

/* The contents of an included file, split when it came from the cache (hit). */
int lxcconf_parse_included(struct lxcconf_parser *p, struct ct_file *f, bool hit, const char *path,
			   struct ct_error **err)
{
	const struct tokens *t = ct_file_derived(f);
	struct tokens *mine;
	size_t size;
	int rc;

	if (t)
		return lxcconf_hold(p->conf, f) < 0 ? ct_error_set(err, ENOMEM, "out of memory")
						    : replay(p, t, true, path, err);
	if (!hit || !(mine = split_text(f->buf, f->len, &size)))
		return parse_text(p, f->buf, f->len, path, err);
	if (ct_file_attach(f, mine, size, free))
		return lxcconf_parse_included(p, f, hit, path, err);
	rc = replay(p, mine, false, path, err);
	free(mine);
	return rc;
}

/* lxc.rootfs.backend = B of a legacy config: lxc.rootfs.path becomes B:PATH, as
 * lxc-update-config writes it. */
static int apply_backend(struct lxcconf_parser *p, struct ct_error **err)
{
	cleanup_free char *v = NULL;
	size_t last = 0, i;

	if (!p->backend || strcmp(p->backend, "dir") == 0)
		return 0;
	for (i = 0; lxcconf_next(p->conf, "lxc.rootfs.path", false, &i); i++)
		last = i + 1;
	if (!last || strchr(p->conf->v[last - 1].value, ':'))
		return 0;
	if (asprintf(&v, "%s:%s", p->backend, p->conf->v[last - 1].value) < 0) {
		v = NULL;
		return ct_error_set(err, ENOMEM, "out of memory");
	}
	return lxcconf_set_value(p->conf, last - 1, v, err);
}

static int parse_top(const char *buf, size_t len, const char *name, const struct stat *st,
		     const struct lxcconf_opts *opts, struct lxc_config **ret,
		     struct ct_error **err)
{
	static const struct lxcconf_opts no_opts;
	cleanup_lxcconf struct lxc_config *conf = lxcconf_new();
	struct lxcconf_parser p = {
		.opts = opts ? opts : &no_opts,
		.conf = conf,
		.net_max = -1,
		.net_cur = -1,
	};
	int rc;

	p.recs = p.small_recs;
	p.caprecs = CT_ARRAY_SIZE(p.small_recs);
	if (!conf)
		return ct_error_set(err, ENOMEM, "out of memory");
	conf->path = strdup(name);
	if (!conf->path)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (len > CT_MAX_INPUT_SIZE)
		return ct_error_set(err, EFBIG, "%s: larger than the %u bytes accepted", name,
				    CT_MAX_INPUT_SIZE);
	p.chain[0] = (struct lxcconf_link){ st ? st->st_dev : 0, st ? st->st_ino : 0, st != NULL,
					    name };
	p.depth = 1;
	p.nbytes = len;
	lxcconf_defer_index(conf);
	rc = parse_text(&p, buf, len, name, err);
	if (rc == 0)
		rc = lxcconf_resolve(conf, p.recs, p.opts->diag, err);
	if (rc == 0 && lxcconf_build_index(conf) < 0)
		rc = ct_error_set(err, ENOMEM, "out of memory");
	if (rc == 0)
		rc = apply_backend(&p, err);
	free(p.backend);
	if (p.recs != p.small_recs)
		free(p.recs);
	if (rc < 0)
		return rc;
	*ret = steal_pointer(&conf);
	return 0;
}

int lxcconf_parse_buffer(const char *buf, size_t len, const char *name,
			 const struct lxcconf_opts *opts, struct lxc_config **ret,
			 struct ct_error **err)
{
	return parse_top(buf, len, name, NULL, opts, ret, err);
}

int lxcconf_parse_file(const char *path, const struct lxcconf_opts *opts, struct lxc_config **ret,
		       struct ct_error **err)
{
	cleanup_free char *buf = NULL;
	bool is_stdin = strcmp(path, "-") == 0;
	struct stat st;
	bool have_st;
	size_t len;
	int rc;

	rc = ct_read_file(path, CT_MAX_INPUT_SIZE, &buf, &len, err);
	if (rc < 0)
		return rc;
	have_st = is_stdin ? fstat(STDIN_FILENO, &st) == 0 : stat(path, &st) == 0;
	return parse_top(buf, len, is_stdin ? "<stdin>" : path, have_st ? &st : NULL, opts, ret,
			 err);
}
