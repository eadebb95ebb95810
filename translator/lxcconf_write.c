/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Writing LXC configuration files that liblxc (and lxcconf_parse) read back to the same
 * entries. */
#include <errno.h>
#include <string.h>

#include "lxcconf.h"
#include "lxckeys.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Would liblxc read value back differently when written bare? It trims blanks on both sides
 * and strips one pair of matching surrounding quotes. */
static bool needs_quotes(const char *value)
{
	size_t n = strlen(value);

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

/* Entries that would read back differently: liblxc keeps only the last value of a scalar key,
 * and setting lxc.net.N.type forgets what was set on interface N before. */
static int check_order(const struct lxc_config *conf, size_t i, const struct lxckey *row,
		       struct ct_error **err)
{
	const struct lxc_entry *e = &conf->v[i];
	bool is_type = lxckey_net_index(e->key) >= 0 && row == lxckey_lookup("lxc.net.0.type");
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

/* *row: the row of the previous entry's key (NULL for the first), set to this one's. */
static int check_key(const struct lxc_config *conf, size_t i, const struct lxckey **row,
		     struct ct_error **err)
{
	const struct lxc_entry *e = &conf->v[i];
	const char *k = e->key;
	size_t n = strlen(k);

	if (n == 0 || has_line_break(k) || strchr(k, '=') || is_blank(k[0]) || is_blank(k[n - 1]))
		return ct_error_at(err, e->file, e->line, 0,
				   "writing the LXC configuration: key \"%.80s\" cannot be written",
				   k);
	/* Entries of one key often follow each other. */
	if (!*row || strcmp(conf->v[i - 1].key, k) != 0)
		*row = lxckey_lookup(k);
	if (!*row || ((*row)->flags & LXCKEY_CLEAR_ONLY))
		return ct_error_at(err, e->file, e->line, 0,
				   "writing the LXC configuration: %s key \"%.80s\"",
				   *row ? "value for the clear-only" : "unknown", k);
	return check_order(conf, i, *row, err);
}

static int check_value(const struct lxc_entry *e, struct ct_error **err)
{
	int rc;

	if (has_line_break(e->value)) {
		rc = ct_error_at(err, e->file, e->line, 0,
				 "writing %s: the value contains a line break, which an LXC "
				 "configuration cannot express",
				 e->key);
		return ct_error_hint(err, rc, "split the value over several entries");
	}
	if (e->value[0] == '\0')
		return ct_error_at(err, e->file, e->line, 0,
				   "writing %s: an empty value would clear the key", e->key);
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

static void write_entry(const struct lxc_entry *e, struct strbuf *out)
{
	char q;

	/* Appended piece by piece: this is the writer's hot path, and printf costs more. */
	strbuf_puts(out, e->key);
	strbuf_puts(out, " = ");
	if (!needs_quotes(e->value)) {
		strbuf_puts(out, e->value);
		strbuf_putc(out, '\n');
		return;
	}
	/* Any quote round-trips (liblxc strips exactly one matching pair); prefer the one the
	 * value does not contain, for the reader's sake. */
	q = strchr(e->value, '"') && !strchr(e->value, '\'') ? '\'' : '"';
	strbuf_putc(out, q);
	strbuf_puts(out, e->value);
	strbuf_putc(out, q);
	strbuf_putc(out, '\n');
}

int lxcconf_write(const struct lxc_config *conf, const char *header, struct strbuf *out,
		  struct ct_error **err)
{
	const struct lxckey *row = NULL;
	int rc;

	if (header)
		write_header(header, out);
	for (size_t i = 0; i < conf->n; i++) {
		const struct lxc_entry *e = &conf->v[i];

		rc = check_key(conf, i, &row, err);
		if (rc == 0)
			rc = check_value(e, err);
		if (rc < 0)
			return rc;
		write_entry(e, out);
	}
	for (size_t i = 0; i < conf->ncarry; i++) {
		const struct lxc_carry *c = &conf->carry[i];

		if (has_line_break(c->text))
			return ct_error_at(err, c->file, c->line, 0,
					   "writing an #oci: carry line: the text contains a line "
					   "break");
		strbuf_puts(out, "#oci:");
		strbuf_puts(out, c->text);
		strbuf_putc(out, '\n');
	}
	return out->oom ? ct_error_set(err, ENOMEM, "out of memory") : 0;
}
