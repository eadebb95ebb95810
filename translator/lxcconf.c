/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The in-memory LXC configuration: an ordered list of entries. Reading is in lxcconf_parse.c,
 * writing in lxcconf_write.c. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "lxcconf.h"

struct lxc_config *lxcconf_new(void)
{
	return calloc(1, sizeof(struct lxc_config));
}

void lxcconf_free(struct lxc_config *conf)
{
	if (!conf)
		return;
	for (size_t i = 0; i < conf->n; i++) {
		free(conf->v[i].key);
		free(conf->v[i].value);
		free(conf->v[i].file);
	}
	for (size_t i = 0; i < conf->ncarry; i++) {
		free(conf->carry[i].text);
		free(conf->carry[i].file);
	}
	free(conf->v);
	free(conf->carry);
	free(conf->path);
	free(conf);
}

void lxcconf_freep(struct lxc_config **conf)
{
	lxcconf_free(*conf);
	*conf = NULL;
}

int lxcconf_add(struct lxc_config *conf, const char *key, const char *value, const char *file,
		unsigned line, struct ct_error **err)
{
	struct lxc_entry *e;

	if (conf->n >= LXCCONF_MAX_ENTRIES)
		return ct_error_at(err, file, line, 0, "more than %u configuration entries",
				   LXCCONF_MAX_ENTRIES);
	if (conf->n == conf->cap) {
		size_t ncap = conf->cap ? conf->cap * 2 : 32;
		struct lxc_entry *nv = realloc(conf->v, ncap * sizeof(*nv));

		if (!nv)
			return ct_error_set(err, ENOMEM, "out of memory");
		conf->v = nv;
		conf->cap = ncap;
	}
	e = &conf->v[conf->n];
	e->key = strdup(key);
	e->value = strdup(value);
	e->file = file ? strdup(file) : NULL;
	e->line = line;
	if (!e->key || !e->value || (file && !e->file)) {
		free(e->key);
		free(e->value);
		free(e->file);
		return ct_error_set(err, ENOMEM, "out of memory");
	}
	conf->n++;
	return 0;
}

int lxcconf_addf(struct lxc_config *conf, struct ct_error **err, const char *key, const char *fmt,
		 ...)
{
	char small[512]; /* most values: formatted once, no allocation */
	cleanup_free char *value = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof(small))
		return lxcconf_add(conf, key, small, NULL, 0, err);
	va_start(ap, fmt);
	n = vasprintf(&value, fmt, ap);
	va_end(ap);
	if (n < 0) {
		value = NULL;
		return ct_error_set(err, ENOMEM, "out of memory");
	}
	return lxcconf_add(conf, key, value, NULL, 0, err);
}

int lxcconf_add_carry_at(struct lxc_config *conf, const char *text, const char *file, unsigned line,
			 struct ct_error **err)
{
	struct lxc_carry *c;

	if (conf->ncarry == conf->capcarry) {
		size_t ncap = conf->capcarry ? conf->capcarry * 2 : 8;
		struct lxc_carry *nv = realloc(conf->carry, ncap * sizeof(*nv));

		if (!nv)
			return ct_error_set(err, ENOMEM, "out of memory");
		conf->carry = nv;
		conf->capcarry = ncap;
	}
	c = &conf->carry[conf->ncarry];
	c->text = strdup(text);
	c->file = file ? strdup(file) : NULL;
	c->line = line;
	if (!c->text || (file && !c->file)) {
		free(c->text);
		free(c->file);
		return ct_error_set(err, ENOMEM, "out of memory");
	}
	conf->ncarry++;
	return 0;
}

int lxcconf_add_carry(struct lxc_config *conf, const char *text, struct ct_error **err)
{
	return lxcconf_add_carry_at(conf, text, NULL, 0, err);
}

void lxcconf_clear(struct lxc_config *conf, const char *key)
{
	size_t w = 0;

	for (size_t i = 0; i < conf->n; i++) {
		if (strcmp(conf->v[i].key, key) == 0) {
			free(conf->v[i].key);
			free(conf->v[i].value);
			free(conf->v[i].file);
			continue;
		}
		conf->v[w++] = conf->v[i];
	}
	conf->n = w;
}

/* k equals key, or starts with it when prefix is set. Inline: every family scans every entry,
 * and keys differ within a few characters after "lxc.". */
static bool key_matches(const char *k, const char *key, bool prefix)
{
	while (*key)
		if (*k++ != *key++)
			return false;
	return prefix || *k == '\0';
}

const char *lxcconf_get(const struct lxc_config *conf, const char *key)
{
	for (size_t i = conf->n; i-- > 0;)
		if (key_matches(conf->v[i].key, key, false))
			return conf->v[i].value;
	return NULL;
}

const struct lxc_entry *lxcconf_next(const struct lxc_config *conf, const char *key, bool prefix,
				     size_t *pos)
{
	for (; *pos < conf->n; (*pos)++)
		if (key_matches(conf->v[*pos].key, key, prefix))
			return &conf->v[*pos];
	return NULL;
}
