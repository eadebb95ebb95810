/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The settings file, read with libyaml's event parser: strict, every problem located. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "cleanup.h"
#include "fileio.h"
#include "settings.h"
#include "strbuf.h"

enum kind {
	K_PATH,	   /* absolute path */
	K_NAME,	   /* environment variable name */
	K_SECONDS, /* non-negative integer */
	K_LEVEL,   /* liblxc log level */
	K_PATHS,   /* list of absolute paths */
	K_NAMES,   /* list of variable names */
	K_MAP,	   /* nested mapping described by sub */
};

struct key {
	const char *name;
	enum kind kind;
	size_t off;
	const struct key *sub; /* K_MAP: terminated by a NULL name */
};

#define OFF(f) offsetof(struct ct_settings, f)

static const struct key log_keys[] = {
	{ "file", K_PATH, OFF(log_file), NULL },
	{ "level", K_LEVEL, OFF(log_level), NULL },
	{ NULL, 0, 0, NULL },
};

static const struct key top_keys[] = {
	{ "inherit-environment", K_NAMES, OFF(inherit_env), NULL },
	{ "kill-timeout", K_SECONDS, OFF(kill_timeout), NULL },
	{ "log", K_MAP, 0, log_keys },
	{ "lxc-path", K_PATH, OFF(lxc_path), NULL },
	{ "run-dir", K_PATH, OFF(run_dir), NULL },
	{ "search-paths", K_PATHS, OFF(search_paths), NULL },
	{ "shares", K_PATHS, OFF(shares), NULL },
	{ "stop-timeout", K_SECONDS, OFF(stop_timeout), NULL },
	{ NULL, 0, 0, NULL },
};

static const char *const log_levels[] = {
	"TRACE", "DEBUG", "INFO", "NOTICE", "WARN", "ERROR", "CRIT", "ALERT", "FATAL",
};

struct parser {
	yaml_parser_t yp;
	const char *name;
};

static char **strv_new1(const char *s)
{
	char **v = calloc(2, sizeof(char *));

	if (!v)
		return NULL;
	v[0] = strdup(s);
	if (!v[0]) {
		free(v);
		return NULL;
	}
	return v;
}

int settings_new(struct ct_settings **ret, struct ct_error **err)
{
	struct ct_settings *s = calloc(1, sizeof(*s));

	if (!s)
		return ct_error_set(err, ENOMEM, "out of memory");
	s->search_paths = strv_new1(SETTINGS_DEFAULT_SEARCH_PATH);
	s->lxc_path = strdup(SETTINGS_DEFAULT_LXC_PATH);
	s->run_dir = strdup(SETTINGS_DEFAULT_RUN_DIR);
	s->inherit_env = calloc(3, sizeof(char *));
	s->shares = calloc(1, sizeof(char *));
	s->stop_timeout = 10;
	s->kill_timeout = 4;
	if (s->inherit_env) {
		s->inherit_env[0] = strdup("COMMUNICATOR_CONNECTOR");
		s->inherit_env[1] = strdup("MESSAGE_DISPATCHER_CONFIG");
	}
	if (!s->search_paths || !s->lxc_path || !s->run_dir || !s->inherit_env ||
	    !s->inherit_env[0] || !s->inherit_env[1] || !s->shares) {
		settings_free(s);
		return ct_error_set(err, ENOMEM, "out of memory");
	}
	*ret = s;
	return 0;
}

void settings_free(struct ct_settings *s)
{
	if (!s)
		return;
	ct_strv_free(s->search_paths);
	ct_strv_free(s->inherit_env);
	ct_strv_free(s->shares);
	free(s->lxc_path);
	free(s->run_dir);
	free(s->log_file);
	free(s->log_level);
	free(s->source);
	free(s);
}

void settings_freep(struct ct_settings **s)
{
	settings_free(*s);
	*s = NULL;
}

static int error_at_mark(struct parser *p, const yaml_mark_t *m, struct ct_error **err,
			 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int error_at_mark(struct parser *p, const yaml_mark_t *m, struct ct_error **err,
			 const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = ct_error_vat(err, 0, p->name, (unsigned)m->line + 1, (unsigned)m->column + 1, fmt, ap);
	va_end(ap);
	return rc;
}

/* Next event; parse errors (and aliases, which we do not support) are located errors. */
static int next_event(struct parser *p, yaml_event_t *ev, struct ct_error **err)
{
	if (!yaml_parser_parse(&p->yp, ev)) {
		const char *problem = p->yp.problem ? p->yp.problem : "malformed YAML";

		return ct_error_at(err, p->name, (unsigned)p->yp.problem_mark.line + 1,
				   (unsigned)p->yp.problem_mark.column + 1, "reading settings: %s",
				   problem);
	}
	if (ev->type == YAML_ALIAS_EVENT) {
		int rc = error_at_mark(p, &ev->start_mark, err,
				       "reading settings: aliases are not supported");

		yaml_event_delete(ev);
		return rc;
	}
	return 0;
}

static const char *event_noun(yaml_event_type_t t)
{
	switch (t) {
	case YAML_SCALAR_EVENT:
		return "a scalar";
	case YAML_SEQUENCE_START_EVENT:
		return "a list";
	case YAML_MAPPING_START_EVENT:
		return "a mapping";
	default:
		return "nothing";
	}
}

static bool is_null_scalar(const yaml_event_t *ev)
{
	const char *v = (const char *)ev->data.scalar.value;

	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	return !*v || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 || strcmp(v, "Null") == 0 ||
	       strcmp(v, "NULL") == 0;
}

static int check_value(struct parser *p, const yaml_event_t *ev, const char *key, enum kind kind,
		       struct ct_error **err)
{
	const char *v = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;

	if (is_null_scalar(ev))
		return error_at_mark(p, &ev->start_mark, err, "reading settings: %s: empty value",
				     key);
	if (len > SETTINGS_MAX_STRING || strlen(v) != len)
		return error_at_mark(p, &ev->start_mark, err,
				     "reading settings: %s: value too long or contains NUL", key);
	switch (kind) {
	case K_PATH:
	case K_PATHS:
		if (v[0] != '/')
			return error_at_mark(p, &ev->start_mark, err,
					     "reading settings: %s: \"%s\" is not an absolute path",
					     key, v);
		break;
	case K_NAME:
	case K_NAMES:
		for (const char *c = v; *c; c++)
			if (!(*c == '_' || (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
			      (c != v && *c >= '0' && *c <= '9')))
				return error_at_mark(
					p, &ev->start_mark, err,
					"reading settings: %s: \"%s\" is not a variable name", key,
					v);
		break;
	default:
		break;
	}
	return 0;
}

static int set_seconds(struct parser *p, const yaml_event_t *ev, const char *key, unsigned *dst,
		       struct ct_error **err)
{
	const char *v = (const char *)ev->data.scalar.value;
	unsigned long n = 0;

	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE || !*v)
		return error_at_mark(
			p, &ev->start_mark, err,
			"reading settings: %s: expected a number of seconds, got a string", key);
	for (const char *c = v; *c; c++) {
		if (*c < '0' || *c > '9')
			return error_at_mark(p, &ev->start_mark, err,
					     "reading settings: %s: \"%s\" is not a whole number "
					     "of seconds",
					     key, v);
		n = n * 10 + (unsigned long)(*c - '0');
		if (n > SETTINGS_MAX_TIMEOUT)
			return error_at_mark(p, &ev->start_mark, err,
					     "reading settings: %s: %s is more than a day", key, v);
	}
	*dst = (unsigned)n;
	return 0;
}

static int set_level(struct parser *p, const yaml_event_t *ev, const char *key, char **dst,
		     struct ct_error **err)
{
	const char *v = (const char *)ev->data.scalar.value;

	for (size_t i = 0; i < CT_ARRAY_SIZE(log_levels); i++) {
		if (strcasecmp(v, log_levels[i]) == 0) {
			char *d = strdup(log_levels[i]);

			if (!d)
				return ct_error_set(err, ENOMEM, "out of memory");
			free(*dst);
			*dst = d;
			return 0;
		}
	}
	error_at_mark(p, &ev->start_mark, err, "reading settings: %s: unknown log level \"%s\"",
		      key, v);
	return ct_error_hint(err, -1,
			     "one of TRACE, DEBUG, INFO, NOTICE, WARN, ERROR, CRIT, ALERT, FATAL");
}

static int set_string(const yaml_event_t *ev, char **dst, struct ct_error **err)
{
	char *d = strdup((const char *)ev->data.scalar.value);

	if (!d)
		return ct_error_set(err, ENOMEM, "out of memory");
	free(*dst);
	*dst = d;
	return 0;
}

/* A list of scalars; ev holds the SEQUENCE-START event (or a scalar: one-element list). */
static int parse_list(struct parser *p, yaml_event_t *first, const struct key *k, char ***dst,
		      struct ct_error **err)
{
	cleanup_strv char **v = calloc(SETTINGS_MAX_LIST + 1, sizeof(char *));
	size_t n = 0;

	if (!v)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (first->type != YAML_SEQUENCE_START_EVENT)
		return error_at_mark(p, &first->start_mark, err,
				     "reading settings: %s: expected a list, got %s", k->name,
				     event_noun(first->type));
	for (;;) {
		yaml_event_t ev;
		int rc = next_event(p, &ev, err);

		if (rc < 0)
			return rc;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (ev.type != YAML_SCALAR_EVENT)
			rc = error_at_mark(p, &ev.start_mark, err,
					   "reading settings: %s: expected a string, got %s",
					   k->name, event_noun(ev.type));
		else if (n >= SETTINGS_MAX_LIST)
			rc = ct_error_at(err, p->name, (unsigned)ev.start_mark.line + 1,
					 (unsigned)ev.start_mark.column + 1,
					 "reading settings: %s: more than %d entries", k->name,
					 SETTINGS_MAX_LIST);
		else
			rc = check_value(p, &ev, k->name, k->kind, err);
		if (rc == 0) {
			v[n] = strdup((const char *)ev.data.scalar.value);
			if (!v[n])
				rc = ct_error_set(err, ENOMEM, "out of memory");
			n++;
		}
		yaml_event_delete(&ev);
		if (rc < 0)
			return rc;
	}
	ct_strv_free(*dst);
	*dst = steal_pointer(&v);
	return 0;
}

static int parse_mapping(struct parser *p, const struct key *keys, const char *prefix,
			 struct ct_settings *s, struct ct_error **err);

static int parse_value(struct parser *p, const struct key *k, const char *path,
		       struct ct_settings *s, struct ct_error **err)
{
	yaml_event_t ev;
	int rc = next_event(p, &ev, err);
	void *dst = (char *)s + k->off;

	if (rc < 0)
		return rc;
	if (k->kind == K_PATHS || k->kind == K_NAMES) {
		rc = parse_list(p, &ev, k, dst, err);
	} else if (k->kind == K_MAP) {
		if (ev.type != YAML_MAPPING_START_EVENT)
			rc = error_at_mark(p, &ev.start_mark, err,
					   "reading settings: %s: expected a mapping, got %s", path,
					   event_noun(ev.type));
		else
			rc = parse_mapping(p, k->sub, path, s, err);
	} else if (ev.type != YAML_SCALAR_EVENT) {
		rc = error_at_mark(p, &ev.start_mark, err,
				   "reading settings: %s: expected a single value, got %s", path,
				   event_noun(ev.type));
	} else if (k->kind == K_SECONDS) {
		rc = set_seconds(p, &ev, path, dst, err);
	} else if ((rc = check_value(p, &ev, path, k->kind, err)) == 0) {
		rc = k->kind == K_LEVEL ? set_level(p, &ev, path, dst, err)
					: set_string(&ev, dst, err);
	}
	yaml_event_delete(&ev);
	return rc;
}

static const struct key *find_key(const struct key *keys, const char *name, size_t *ret_index)
{
	for (size_t i = 0; keys[i].name; i++) {
		if (strcmp(keys[i].name, name) == 0) {
			*ret_index = i;
			return &keys[i];
		}
	}
	return NULL;
}

static int unknown_key(struct parser *p, const yaml_event_t *ev, const struct key *keys,
		       const char *prefix, struct ct_error **err)
{
	cleanup_strbuf struct strbuf sb = STRBUF_INIT;
	int rc;

	rc = ct_error_at(err, p->name, (unsigned)ev->start_mark.line + 1,
			 (unsigned)ev->start_mark.column + 1,
			 "reading settings: unknown key \"%s%s%s\"", prefix ? prefix : "",
			 prefix ? "." : "", (const char *)ev->data.scalar.value);
	strbuf_puts(&sb, "known keys here:");
	for (size_t i = 0; keys[i].name; i++)
		strbuf_printf(&sb, " %s", keys[i].name);
	if (!sb.oom)
		ct_error_hint(err, rc, "%s", sb.s);
	return rc;
}

/* The MAPPING-START event has been consumed; read keys until MAPPING-END. */
static int parse_mapping(struct parser *p, const struct key *keys, const char *prefix,
			 struct ct_settings *s, struct ct_error **err)
{
	uint32_t seen = 0;

	for (;;) {
		cleanup_free char *path = NULL;
		const struct key *k;
		yaml_event_t ev;
		size_t idx = 0;
		int rc = next_event(p, &ev, err);

		if (rc < 0)
			return rc;
		if (ev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&ev);
			return 0;
		}
		if (ev.type != YAML_SCALAR_EVENT) {
			rc = error_at_mark(p, &ev.start_mark, err,
					   "reading settings: expected a key, got %s",
					   event_noun(ev.type));
			yaml_event_delete(&ev);
			return rc;
		}
		k = find_key(keys, (const char *)ev.data.scalar.value, &idx);
		if (!k)
			rc = unknown_key(p, &ev, keys, prefix, err);
		else if (seen & (1u << idx))
			rc = error_at_mark(p, &ev.start_mark, err,
					   "reading settings: duplicate key \"%s\"", k->name);
		else if (asprintf(&path, "%s%s%s", prefix ? prefix : "", prefix ? "." : "",
				  k->name) < 0) {
			path = NULL;
			rc = ct_error_set(err, ENOMEM, "out of memory");
		}
		yaml_event_delete(&ev);
		if (rc < 0)
			return rc;
		seen |= 1u << idx;
		rc = parse_value(p, k, path, s, err);
		if (rc < 0)
			return rc;
	}
}

static int parse_document(struct parser *p, struct ct_settings *s, struct ct_error **err)
{
	yaml_event_t ev;
	int rc;

	/* STREAM-START */
	if ((rc = next_event(p, &ev, err)) < 0)
		return rc;
	yaml_event_delete(&ev);
	if ((rc = next_event(p, &ev, err)) < 0)
		return rc;
	if (ev.type == YAML_STREAM_END_EVENT) { /* empty file: defaults */
		yaml_event_delete(&ev);
		return 0;
	}
	yaml_event_delete(&ev); /* DOCUMENT-START */
	if ((rc = next_event(p, &ev, err)) < 0)
		return rc;
	if (ev.type == YAML_SCALAR_EVENT && is_null_scalar(&ev)) {
		rc = 0; /* a document holding only comments */
	} else if (ev.type != YAML_MAPPING_START_EVENT) {
		rc = error_at_mark(p, &ev.start_mark, err,
				   "reading settings: expected a mapping at the top, got %s",
				   event_noun(ev.type));
	} else {
		rc = parse_mapping(p, top_keys, NULL, s, err);
	}
	yaml_event_delete(&ev);
	if (rc < 0)
		return rc;
	/* DOCUMENT-END, then STREAM-END: a second document is an error. */
	if ((rc = next_event(p, &ev, err)) < 0)
		return rc;
	yaml_event_delete(&ev);
	if ((rc = next_event(p, &ev, err)) < 0)
		return rc;
	if (ev.type != YAML_STREAM_END_EVENT)
		rc = error_at_mark(p, &ev.start_mark, err,
				   "reading settings: more than one document");
	yaml_event_delete(&ev);
	return rc;
}

int settings_parse_buffer(struct ct_settings *s, const char *buf, size_t len, const char *name,
			  struct ct_error **err)
{
	struct parser p = { .name = name };
	int rc;

	if (!yaml_parser_initialize(&p.yp))
		return ct_error_set(err, ENOMEM, "reading settings: out of memory");
	yaml_parser_set_input_string(&p.yp, (const unsigned char *)buf, len);
	rc = parse_document(&p, s, err);
	yaml_parser_delete(&p.yp);
	if (rc == 0 && name) {
		char *src = strdup(name);

		if (!src)
			return ct_error_set(err, ENOMEM, "out of memory");
		free(s->source);
		s->source = src;
	}
	return rc;
}

int settings_load(struct ct_settings *s, const char *path, int missing_ok, struct ct_error **err)
{
	cleanup_free char *buf = NULL;
	struct ct_error *e = NULL;
	size_t len = 0;

	if (ct_read_file(path, 1024 * 1024, &buf, &len, &e) < 0) {
		int status = e ? e->status : EIO;

		if (missing_ok && status == ENOENT) {
			ct_error_free(e);
			return 0;
		}
		if (err && !*err)
			*err = e;
		else
			ct_error_free(e);
		return ct_error_prefix(err, status > 0 ? -status : -1, "reading settings");
	}
	return settings_parse_buffer(s, buf, len, path, err);
}
