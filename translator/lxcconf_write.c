/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Writing LXC configuration files that liblxc (and lxcconf_parse) read back to the same
 * entries. */
#include <errno.h>
#include <string.h>

#include "lxcconf.h"
#include "lxckeys.h"

/* One call of lxcconf_write: what it looked up once and reuses. */
struct writer {
	const struct lxc_config *conf;
	const struct lxckey *type_row; /* lxc.net.N.type, looked up at the first lxc.net.N key */
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Would liblxc read value (of n bytes) back differently when written bare? It trims blanks on
 * both sides and strips one pair of matching surrounding quotes. */
static bool needs_quotes(const char *value, size_t n)
{
	if (n == 0)
		return false;
	if (is_blank(value[0]) || is_blank(value[n - 1]))
		return true;
	return n > 1 && (value[0] == '"' || value[0] == '\'') && value[n - 1] == value[0];
}

/* A line break splits the line when read back ('\r' too, as liblxc splits at it). */
static bool has_line_break(const char *s)
{
	return strpbrk(s, "\n\r") != NULL;
}

static bool same_interface(const char *a, const char *b)
{
	int i = lxckey_net_index(a);

	return i >= 0 && i == lxckey_net_index(b);
}

static int set_twice(const struct lxc_entry *e, struct ct_error **err)
{
	return ct_error_at(err, e->file, e->line, 0,
			   "writing %s: the key is set twice and liblxc keeps only the last value",
			   e->key);
}

/* Is e an lxc.net.N.type entry (row: its key's row)? The type row is looked up once per write,
 * and only keys under lxc.net. are asked. */
static bool is_net_type(struct writer *w, const struct lxc_entry *e, const struct lxckey *row)
{
	/* Known keys (the row was found) start with "lxc." and go on: most differ at "n". */
	if (e->key[4] != 'n' || strncmp(e->key, "lxc.net.", strlen("lxc.net.")) != 0 ||
	    lxckey_net_index(e->key) < 0)
		return false;
	if (!w->type_row)
		w->type_row = lxckey_lookup("lxc.net.0.type");
	return row == w->type_row;
}

/* Entries that would read back differently: liblxc keeps only the last value of a scalar key,
 * and setting lxc.net.N.type forgets what was set on interface N before. */
static int check_order(struct writer *w, size_t i, const struct lxckey *row, struct ct_error **err)
{
	const struct lxc_config *conf = w->conf;
	const struct lxc_entry *e = &conf->v[i];
	bool is_type = is_net_type(w, e, row);
	size_t first = 0;

	if (row->kind != LXCKEY_SCALAR && !is_type)
		return 0;
	if (!is_type) {
		/* The key index gives the first entry of the key. */
		lxcconf_next(conf, e->key, false, &first);
		return first == i ? 0 : set_twice(e, err);
	}
	for (size_t j = 0; j < i; j++) {
		const char *k = conf->v[j].key;

		if (strcmp(k, e->key) == 0 && row->kind == LXCKEY_SCALAR)
			return set_twice(e, err);
		if (same_interface(k, e->key))
			return ct_error_at(err, e->file, e->line, 0,
					   "writing %s: it follows %s, which liblxc forgets when "
					   "the type is set",
					   e->key, k);
	}
	return 0;
}

/* A key that cannot be written on a line of its own. */
static bool unwritable_key(const char *k)
{
	size_t n = strlen(k);

	return n == 0 || has_line_break(k) || strchr(k, '=') || is_blank(k[0]) ||
	       is_blank(k[n - 1]);
}

/* *row: the row of the previous entry's key (NULL for the first), set to this one's. */
static int check_key(struct writer *w, size_t i, const struct lxckey **row, struct ct_error **err)
{
	const struct lxc_entry *e = &w->conf->v[i];
	const char *k = e->key;
	bool same = *row && strcmp(w->conf->v[i - 1].key, k) == 0;

	/* Entries of one key often follow each other: such a key was checked and looked up. */
	if (!same) {
		/* A row matched exactly (not a family prefix) spells the key with the table's
		 * characters; any other key is checked for characters a line cannot hold,
		 * first, as that is the error to report about it. */
		*row = lxckey_lookup(k);
		if ((!*row || (*row)->prefix) && unwritable_key(k))
			return ct_error_at(err, e->file, e->line, 0,
					   "writing the LXC configuration: key \"%.80s\" cannot "
					   "be written",
					   k);
	}
	if (!*row || ((*row)->flags & LXCKEY_CLEAR_ONLY))
		return ct_error_at(err, e->file, e->line, 0,
				   "writing the LXC configuration: %s key \"%.80s\"",
				   *row ? "value for the clear-only" : "unknown", k);
	return check_order(w, i, *row, err);
}

/* Checks the value and sets *ret_len to its length. */
static int check_value(const struct lxc_entry *e, size_t *ret_len, struct ct_error **err)
{
	/* one scan finds both a line break and, when there is none, the length */
	size_t n = strcspn(e->value, "\n\r");
	int rc;

	if (e->value[n] != '\0') {
		rc = ct_error_at(err, e->file, e->line, 0,
				 "writing %s: the value contains a line break, which an LXC "
				 "configuration cannot express",
				 e->key);
		return ct_error_hint(err, rc, "split the value over several entries");
	}
	if (n == 0)
		return ct_error_at(err, e->file, e->line, 0,
				   "writing %s: an empty value would clear the key", e->key);
	*ret_len = n;
	return 0;
}

static void write_header(const char *header, struct strbuf *out)
{
	const char *p = header;

	while (*p) {
		size_t n = strcspn(p, "\r\n");

		if (n)
			strbuf_printf(out, "# %.*s\n", (int)n, p);
		else
			strbuf_puts(out, "#\n");
		p += n;
		if (*p == '\r' && p[1] == '\n')
			p++;
		if (*p)
			p++;
	}
}

/* The quote for a value liblxc would alter (see needs_quotes): any round-trips, as liblxc strips
 * exactly one matching pair; the one the value does not contain reads better. */
static char quote_for(const char *value)
{
	return strchr(value, '"') && !strchr(value, '\'') ? '\'' : '"';
}

/* The entry's line; vlen is the value's length. Written at once when the buffer has room for
 * it, which it mostly has (it doubles as it grows); else appended piece by piece. */
static void write_entry(const struct lxc_entry *e, size_t vlen, struct strbuf *out)
{
	size_t klen = strlen(e->key);
	char q = needs_quotes(e->value, vlen) ? quote_for(e->value) : '\0';
	size_t n = klen + 3 + vlen + 1 + (q ? 2 : 0);
	char *w;

	if (out->oom || !out->s || n >= out->cap - out->len) {
		strbuf_add(out, e->key, klen);
		strbuf_add(out, " = ", 3);
		if (q)
			strbuf_putc(out, q);
		strbuf_add(out, e->value, vlen);
		if (q)
			strbuf_putc(out, q);
		strbuf_putc(out, '\n');
		return;
	}
	/* strbuf's invariants kept by hand: len counts the bytes, a NUL follows them */
	w = out->s + out->len;
	memcpy(w, e->key, klen);
	w += klen;
	memcpy(w, " = ", 3);
	w += 3;
	if (q)
		*w++ = q;
	memcpy(w, e->value, vlen);
	w += vlen;
	if (q)
		*w++ = q;
	*w++ = '\n';
	*w = '\0';
	out->len += n;
}

int lxcconf_write(const struct lxc_config *conf, const char *header, struct strbuf *out,
		  struct ct_error **err)
{
	struct writer w = { .conf = conf };
	const struct lxckey *row = NULL;
	size_t vlen = 0;
	int rc;

	if (header)
		write_header(header, out);
	for (size_t i = 0; i < conf->n; i++) {
		const struct lxc_entry *e = &conf->v[i];

		rc = check_key(&w, i, &row, err);
		if (rc == 0)
			rc = check_value(e, &vlen, err);
		if (rc < 0)
			return rc;
		write_entry(e, vlen, out);
	}
	for (size_t i = 0; i < conf->ncarry; i++) {
		const struct lxc_carry *c = &conf->carry[i];
		size_t n = strcspn(c->text, "\n\r");

		if (c->text[n] != '\0')
			return ct_error_at(err, c->file, c->line, 0,
					   "writing an #oci: carry line: the text contains a line "
					   "break");
		strbuf_add(out, "#oci:", 5);
		strbuf_add(out, c->text, n);
		strbuf_putc(out, '\n');
	}
	return out->oom ? ct_error_set(err, ENOMEM, "out of memory") : 0;
}
