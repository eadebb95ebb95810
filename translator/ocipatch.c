/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Carry lines (see ocipatch.h): the diff that writes them after oci2lxc and the patch that
 * applies them in lxc2oci. Pointers are RFC 6901 (annotation keys hold '/' and '~'), so this
 * file has its own pointer walker rather than jsonutil's plain paths. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "jsonutil.h"
#include "ocipatch.h"
#include "ocispec.h"
#include "strbuf.h"

#define HASH_NONE "none"
#define HASH_LEN 16
#define MAX_TOKENS 256 /* far beyond any config.json (nesting is bounded at 64) */

/* Pointers whose differences are expected and say nothing the user must know. root.path may
 * differ only in spelling (relative to the bundle vs absolute). */
static const char *const inert_pointers[] = { "/ociVersion", "/root/path" };

/* A parsed pointer: unescaped reference tokens. */
struct pointer {
	char *tok[MAX_TOKENS];
	size_t n;
};

static void pointer_clear(struct pointer *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->tok[i]);
	p->n = 0;
}

/* Parse "/a/b~1c" into tokens; returns false on bad syntax or an allocation failure. */
static bool pointer_parse(const char *s, struct pointer *ret)
{
	ret->n = 0;
	if (*s && *s != '/')
		return false;
	while (*s) {
		const char *end = strchrnul(s + 1, '/');
		char *tok, *o;

		if (ret->n == MAX_TOKENS)
			goto bad;
		tok = malloc((size_t)(end - s));
		if (!tok)
			goto bad;
		ret->tok[ret->n++] = tok;
		for (o = tok, s++; s < end; s++) {
			if (*s == '~') {
				if (s[1] != '0' && s[1] != '1')
					goto bad;
				*o++ = *++s == '0' ? '~' : '/';
			} else {
				*o++ = *s;
			}
		}
		*o = '\0';
	}
	return true;
bad:
	pointer_clear(ret);
	return false;
}

/* Array index token: decimal without leading zeros; "-" (one past the end) when allow_end. */
static bool array_index(const json_t *arr, const char *tok, bool allow_end, size_t *ret)
{
	size_t n = json_array_size(arr), idx = 0;

	if (allow_end && strcmp(tok, "-") == 0) {
		*ret = n;
		return true;
	}
	if (!*tok || (tok[0] == '0' && tok[1]))
		return false;
	for (const char *p = tok; *p; p++) {
		if (*p < '0' || *p > '9' || idx > n)
			return false;
		idx = idx * 10 + (size_t)(*p - '0');
	}
	if (idx > n || (idx == n && !allow_end))
		return false;
	*ret = idx;
	return true;
}

static json_t *child(json_t *cur, const char *tok)
{
	size_t idx;

	if (json_is_object(cur))
		return json_object_get(cur, tok);
	if (json_is_array(cur) && array_index(cur, tok, false, &idx))
		return json_array_get(cur, idx);
	return NULL;
}

/* Value at the first n tokens of p, or NULL (borrowed). */
static json_t *pointer_get(json_t *doc, const struct pointer *p, size_t n)
{
	json_t *cur = doc;

	for (size_t i = 0; cur && i < n; i++)
		cur = child(cur, p->tok[i]);
	return cur;
}

/* Set the value at p (steals value), creating missing object members on the way. */
static bool pointer_set(json_t *doc, const struct pointer *p, json_t *value)
{
	json_t *cur = doc;
	const char *last;
	size_t idx;
	bool ok = false;

	if (!p->n) {
		/* The whole document: only an object can replace an object in place. */
		ok = json_is_object(doc) && json_is_object(value) && json_object_clear(doc) == 0 &&
		     json_object_update(doc, value) == 0;
		json_decref(value);
		return ok;
	}
	for (size_t i = 0; cur && i + 1 < p->n; i++) {
		json_t *next = child(cur, p->tok[i]);

		if (!next && json_is_object(cur)) {
			next = json_object();
			if (json_object_set_new(cur, p->tok[i], next) < 0)
				next = NULL;
		}
		cur = next;
	}
	last = p->tok[p->n - 1];
	if (json_is_object(cur))
		ok = json_object_set(cur, last, value) == 0;
	else if (json_is_array(cur) && array_index(cur, last, true, &idx))
		ok = (idx == json_array_size(cur) ? json_array_append(cur, value)
						  : json_array_set(cur, idx, value)) == 0;
	json_decref(value);
	return ok;
}

static bool pointer_remove(json_t *doc, const struct pointer *p)
{
	json_t *parent;
	size_t idx;

	if (!p->n)
		return false;
	parent = pointer_get(doc, p, p->n - 1);
	if (json_is_object(parent))
		return json_object_del(parent, p->tok[p->n - 1]) == 0;
	if (json_is_array(parent) && array_index(parent, p->tok[p->n - 1], false, &idx))
		return json_array_remove(parent, idx) == 0;
	return false;
}

static void hash_text(const json_t *v, char buf[HASH_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	unsigned long long h;

	if (!v) {
		strcpy(buf, HASH_NONE);
		return;
	}
	/* "%016llx" by hand: one line per carry line emitted or applied */
	h = ct_json_hash(v);
	for (int i = HASH_LEN - 1; i >= 0; i--, h >>= 4)
		buf[i] = hex[h & 0xf];
	buf[HASH_LEN] = '\0';
}

/* Diff */

/* A string in double quotes when it needs no escape (printable ASCII, no quote or backslash). */
static bool put_plain_string(struct strbuf *sb, const char *s, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (s[k] < 0x20 || s[k] > 0x7e || s[k] == '"' || s[k] == '\\')
			return false;
	strbuf_putc(sb, '"');
	strbuf_add(sb, s, n);
	strbuf_putc(sb, '"');
	return true;
}

static void put_integer(struct strbuf *sb, json_int_t x)
{
	char digits[24];
	unsigned long long u = x < 0 ? 0ULL - (unsigned long long)x : (unsigned long long)x;
	size_t at = sizeof(digits);

	do {
		digits[--at] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (x < 0)
		digits[--at] = '-';
	strbuf_add(sb, digits + at, sizeof(digits) - at);
}

/* Append v as json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) writes it, for the values carry
 * lines usually hold: strings that need no escape, integers, literals and containers of them.
 * false for anything else (reals, escapes, non-ASCII text), which the caller has jansson
 * write (a test compares the two on many values). */
static bool put_compact(struct strbuf *sb, const json_t *v, unsigned depth)
{
	const char *key;
	json_t *m;
	size_t i;

	if (depth > OCISPEC_MAX_DEPTH)
		return false;
	switch (json_typeof(v)) {
	case JSON_STRING:
		return put_plain_string(sb, json_string_value(v), json_string_length(v));
	case JSON_INTEGER:
		put_integer(sb, json_integer_value(v));
		return true;
	case JSON_TRUE:
	case JSON_FALSE:
	case JSON_NULL:
		strbuf_puts(sb, json_is_true(v) ? "true" : json_is_false(v) ? "false" : "null");
		return true;
	case JSON_ARRAY:
		strbuf_putc(sb, '[');
		json_array_foreach ((json_t *)v, i, m) {
			if (i)
				strbuf_putc(sb, ',');
			if (!put_compact(sb, m, depth + 1))
				return false;
		}
		strbuf_putc(sb, ']');
		return true;
	case JSON_OBJECT:
		strbuf_putc(sb, '{');
		i = 0;
		json_object_foreach ((json_t *)v, key, m) {
			if (i++)
				strbuf_putc(sb, ',');
			if (!put_plain_string(sb, key, strlen(key)))
				return false;
			strbuf_putc(sb, ':');
			if (!put_compact(sb, m, depth + 1))
				return false;
		}
		strbuf_putc(sb, '}');
		return true;
	default:
		return false;
	}
}

/* json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY), appended to sb; false when out of memory. */
static bool append_json(struct strbuf *sb, const json_t *v)
{
	size_t mark = sb->len;
	cleanup_free char *text = NULL;

	if (put_compact(sb, v, 0))
		return !sb->oom;
	strbuf_truncate(sb, mark);
	text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	if (!text)
		return false;
	strbuf_puts(sb, text);
	return !sb->oom;
}

struct differ {
	struct lxc_config *conf;
	struct ct_diag *diag;
	struct strbuf ptr; /* the pointer of the value compared */
};

static bool is_inert(const char *ptr)
{
	for (size_t i = 0; i < CT_ARRAY_SIZE(inert_pointers); i++)
		if (strcmp(inert_pointers[i], ptr) == 0)
			return true;
	return false;
}

/* A carry line is one line: a member name with a control character cannot be part of one. */
static bool key_fits_line(const char *key)
{
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

static int warn_line(struct differ *d, const char *ptr, const json_t *want, const json_t *got,
		     struct ct_error **err)
{
	cleanup_free char *gtext = NULL;

	if (is_inert(ptr))
		return 0;
	/* A removal line: the LXC keys spell out a member the input left to the default (the
	 * skeleton's terminal, user, env). Nothing is lost, so nothing to warn about. */
	if (!want)
		return 0;
	if (!got)
		return ct_warn(d->diag, err, NULL, 0, 0,
			       "%s: no LXC key expresses this; kept as an '#oci:' comment line "
			       "(liblxc ignores it, lxc2oci restores it)",
			       ptr);
	gtext = json_dumps(got, JSON_COMPACT | JSON_ENCODE_ANY);
	return ct_warn(d->diag, err, NULL, 0, 0,
		       "%s: no LXC key expresses this value (the LXC keys give %.60s%s); kept as "
		       "an '#oci:' comment line (liblxc ignores it, lxc2oci restores it)",
		       ptr, gtext ? gtext : "?", gtext && strlen(gtext) > 60 ? "..." : "");
}

/* One line: set ptr to want (remove when want is NULL), guarded by the hash of got. */
static int emit(struct differ *d, const char *ptr, const json_t *want, const json_t *got,
		struct ct_error **err)
{
	cleanup_strbuf struct strbuf text = STRBUF_INIT;
	char hash[HASH_LEN + 1];
	int rc;

	hash_text(got, hash);
	strbuf_putc(&text, ' ');
	strbuf_puts(&text, ptr);
	if (want) {
		strbuf_puts(&text, " = ");
		if (!append_json(&text, want))
			return ct_error_set(err, ENOMEM, "out of memory");
		strbuf_puts(&text, " @");
	} else {
		strbuf_puts(&text, " - @");
	}
	strbuf_puts(&text, hash);
	if (text.oom)
		return ct_error_set(err, ENOMEM, "out of memory");
	rc = lxcconf_add_carry(d->conf, text.s, err);
	if (rc < 0)
		return rc;
	return warn_line(d, ptr, want, got, err);
}

/* The walk keeps the pointer of the value at hand in d->ptr, extended by a token on the way down
 * and cut back on the way up: no allocation per member. */
static int diff_value(struct differ *d, const json_t *want, const json_t *got,
		      struct ct_error **err);

static bool keys_fit_lines(const json_t *a, const json_t *b)
{
	const char *key;
	json_t *v;

	json_object_foreach ((json_t *)a, key, v)
		if (!key_fits_line(key))
			return false;
	json_object_foreach ((json_t *)b, key, v)
		if (!key_fits_line(key))
			return false;
	return true;
}

static int diff_member(struct differ *d, const char *key, const json_t *want, const json_t *got,
		       struct ct_error **err)
{
	size_t mark = d->ptr.len;
	int rc;

	ct_json_ptr_append(&d->ptr, key);
	if (d->ptr.oom)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (!got)
		rc = emit(d, d->ptr.s, want, NULL, err);
	else if (!want)
		rc = emit(d, d->ptr.s, NULL, got, err);
	else
		rc = diff_value(d, want, got, err);
	strbuf_truncate(&d->ptr, mark);
	return rc;
}

static int diff_object(struct differ *d, const json_t *want, const json_t *got,
		       struct ct_error **err)
{
	const char *key;
	json_t *v;
	int rc;

	/* Objects in want order, then what only got has. */
	json_object_foreach ((json_t *)want, key, v) {
		rc = diff_member(d, key, v, json_object_get(got, key), err);
		if (rc < 0)
			return rc;
	}
	json_object_foreach ((json_t *)got, key, v) {
		if (json_object_get(want, key))
			continue;
		rc = diff_member(d, key, NULL, v, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int diff_array(struct differ *d, const json_t *want, const json_t *got,
		      struct ct_error **err)
{
	size_t mark = d->ptr.len;

	for (size_t i = 0; i < json_array_size(want); i++) {
		char digits[24];
		size_t n = sizeof(digits), v = i;
		int rc;

		do {
			digits[--n] = (char)('0' + v % 10);
			v /= 10;
		} while (v);
		digits[--n] = '/';
		strbuf_add(&d->ptr, digits + n, sizeof(digits) - n);
		if (d->ptr.oom)
			return ct_error_set(err, ENOMEM, "out of memory");
		rc = diff_value(d, json_array_get(want, i), json_array_get(got, i), err);
		strbuf_truncate(&d->ptr, mark);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int diff_value(struct differ *d, const json_t *want, const json_t *got,
		      struct ct_error **err)
{
	if (json_equal((json_t *)want, (json_t *)got))
		return 0;
	if (json_is_object(want) && json_is_object(got) && keys_fit_lines(want, got))
		return diff_object(d, want, got, err);
	if (json_is_array(want) && json_is_array(got) &&
	    json_array_size(want) == json_array_size(got))
		return diff_array(d, want, got, err);
	return emit(d, d->ptr.s ? d->ptr.s : "", want, got, err);
}

int ocipatch_diff(const json_t *want, const json_t *got, struct lxc_config *conf,
		  struct ct_diag *diag, struct ct_error **err)
{
	struct differ d = { conf, diag, STRBUF_INIT };
	int rc;

	if (!want || !got)
		return ct_error_set(err, EINVAL, "internal error: nothing to compare");
	rc = diff_value(&d, want, got, err);
	strbuf_release(&d.ptr);
	return rc;
}

/* Apply */

struct carry_line {
	char *ptr;     /* escaped, as written */
	json_t *value; /* NULL: remove */
	char hash[HASH_LEN + 1];
};

static bool valid_hash(const char *s, size_t n)
{
	if (n == strlen(HASH_NONE) && strncmp(s, HASH_NONE, n) == 0)
		return true;
	if (n != HASH_LEN)
		return false;
	return strspn(s, "0123456789abcdef") >= n;
}

/* text without its leading blanks, prefixed by one space (so an empty pointer also reads as
 * " = JSON"), is " POINTER = JSON" or " POINTER -" once " @HASH" is cut off. A pointer may
 * itself contain " = " (annotation keys are free text); compact JSON never does outside its
 * strings, so the first split whose right side parses is the one. */
static bool carry_parse(const char *text, struct carry_line *ret)
{
	cleanup_free char *s = NULL;
	char *at, *end;
	size_t n;

	text += strspn(text, " \t");
	if (asprintf(&s, " %s", text) < 0)
		return false;
	n = strlen(s);
	while (n && strchr(" \t\r\n", s[n - 1]))
		s[--n] = '\0';
	at = strrchr(s, '@');
	if (!at || at == s || at[-1] != ' ' || !valid_hash(at + 1, strlen(at + 1)))
		return false;
	strcpy(ret->hash, at + 1);
	at[-1] = '\0';
	end = at - 1;
	if (end - s >= 2 && strcmp(end - 2, " -") == 0) {
		end[-2] = '\0';
		ret->value = NULL;
		ret->ptr = strdup(s + 1);
		return ret->ptr != NULL;
	}
	for (char *eq = strstr(s, " = "); eq; eq = strstr(eq + 1, " = ")) {
		json_t *v = json_loads(eq + 3, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL);

		if (!v)
			continue;
		*eq = '\0';
		ret->ptr = strdup(eq == s ? "" : s + 1);
		if (!ret->ptr) {
			json_decref(v);
			return false;
		}
		ret->value = v;
		return true;
	}
	return false;
}

static int apply_one(const struct lxc_carry *c, json_t *doc, struct ct_diag *diag,
		     struct ct_error **err)
{
	struct carry_line cl = { 0 };
	struct pointer p = { .n = 0 };
	char now[HASH_LEN + 1];
	bool ok;
	int rc = 0;

	if (!carry_parse(c->text, &cl) || !pointer_parse(cl.ptr, &p)) {
		rc = ct_error_at(
			err, c->file, c->line, 0,
			"bad #oci: line: expected POINTER = JSON @HASH or POINTER - @HASH");
		ct_error_hint(err, rc,
			      "these lines are written by oci2lxc; restore the line or "
			      "delete it (the OCI field it carries is then lost)");
		goto out;
	}
	hash_text(pointer_get(doc, &p, p.n), now);
	if (strcmp(now, cl.hash) != 0) {
		rc = ct_warn(diag, err, c->file, c->line, 0,
			     "stale '#oci:' line ignored: the LXC keys that produce %s changed "
			     "since it was written",
			     *cl.ptr ? cl.ptr : "the document");
		goto out;
	}
	if (cl.value)
		ok = pointer_set(doc, &p, json_incref(cl.value));
	else
		ok = !strcmp(cl.hash, HASH_NONE) || pointer_remove(doc, &p);
	if (!ok)
		rc = ct_warn(diag, err, c->file, c->line, 0,
			     "'#oci:' line ignored: %s cannot be %s in the document the LXC keys "
			     "give",
			     *cl.ptr ? cl.ptr : "the document", cl.value ? "set" : "removed");
out:
	pointer_clear(&p);
	free(cl.ptr);
	json_decref(cl.value);
	return rc;
}

int ocipatch_apply(const struct lxc_config *conf, json_t *doc, struct ct_diag *diag,
		   struct ct_error **err)
{
	for (size_t i = 0; i < conf->ncarry; i++) {
		int rc = apply_one(&conf->carry[i], doc, diag, err);

		if (rc < 0)
			return rc;
	}
	return 0;
}
