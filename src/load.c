/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "fileio.h"
#include "load.h"
#include "ocispec.h"
#include "pidfd.h"
#include "translate.h"

void loaded_release(struct ctl_loaded *l)
{
	if (l->c)
		lxc_container_put(l->c);
	l->c = NULL;
	ct_strv_free(l->argv);
	l->argv = NULL;
	for (char **p = l->side_files; p && *p; p++)
		unlink(*p);
	ct_strv_free(l->side_files);
	l->side_files = NULL;
}

int load_lxc_config(const char *path, struct ct_diag *diag, struct lxc_config **ret,
		    struct ct_error **err)
{
	struct lxcconf_opts opts = { .diag = diag };

	return lxcconf_parse_file(path, &opts, ret, err);
}

int load_halt_signal(const char *path, struct ct_diag *diag, int *ret, struct ct_error **err)
{
	struct ct_diag quiet = { 0 }; /* the config's other oddities were reported at its start */
	cleanup_lxcconf struct lxc_config *conf = NULL;
	const struct lxc_entry *e = NULL, *last = NULL;
	int sig;

	*ret = 0;
	if (load_lxc_config(path, &quiet, &conf, err) < 0)
		return -1;
	for (size_t i = 0; (e = lxcconf_next(conf, "lxc.signal.halt", false, &i)); i++)
		last = e;
	if (!last)
		return 0;
	sig = ct_signal_parse_lxc(last->value);
	if (sig >= 0) {
		*ret = sig;
		return 0;
	}
	/* liblxc would not have started the container from this: the file changed since, or
	 * the value is a plain mistake. Its evident meaning beats SIGTERM (which reboots
	 * busybox init), said aloud. */
	sig = ct_signal_parse(last->value);
	if (sig > 0) {
		*ret = sig;
		return ct_warn(diag, err, last->file, last->line, 0,
			       "lxc.signal.halt = %s: liblxc refuses this spelling (write %s); "
			       "sending %s",
			       last->value, ct_signal_name(sig), ct_signal_name(sig));
	}
	return ct_warn(diag, err, last->file, last->line, 0,
		       "lxc.signal.halt = %s: not a signal; sending SIGTERM", last->value);
}

/* lxc.environment = NAME (no '='): inherited from our environment. */
static bool env_unset(const struct lxc_entry *e)
{
	return strcmp(e->key, "lxc.environment") == 0 && !strchr(e->value, '=') &&
	       !getenv(e->value);
}

static int set_item(struct lxc_container *c, const char *key, const char *value, const char *file,
		    unsigned line, struct ct_error **err)
{
	if (c->set_config_item(c, key, value))
		return 0;
	if (file)
		return ct_error_at(err, file, line, 0,
				   "loading the config: liblxc refused \"%s = %s\"", key, value);
	return ct_error_set(err, EINVAL, "loading the config: liblxc refused \"%s = %s\"", key,
			    value);
}

int load_apply(struct lxc_container *c, const struct lxc_config *conf, struct ct_diag *diag,
	       struct ct_error **err)
{
	for (size_t i = 0; i < conf->n; i++) {
		const struct lxc_entry *e = &conf->v[i];

		if (env_unset(e)) {
			if (ct_warn(diag, err, e->file, e->line, 0,
				    "lxc.environment = %s: %s is not set, not passed to the container",
				    e->value, e->value) < 0)
				return -1;
			continue;
		}
		if (set_item(c, e->key, e->value, e->file, e->line, err) < 0)
			return -1;
	}
	return 0;
}

static bool conf_has_env(const struct lxc_config *conf, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < conf->n; i++) {
		const char *v = conf->v[i].value;

		if (strcmp(conf->v[i].key, "lxc.environment") == 0 && strncmp(v, name, n) == 0 &&
		    (v[n] == '\0' || v[n] == '='))
			return true;
	}
	return false;
}

/* What the settings add to every container. */
static int apply_settings(struct lxc_container *c, const struct ct_settings *s,
			  const struct lxc_config *conf, struct ct_error **err)
{
	for (char **v = s->inherit_env; v && *v; v++)
		if (getenv(*v) && !conf_has_env(conf, *v) &&
		    set_item(c, "lxc.environment", *v, s->source, 0, err) < 0)
			return -1;
	for (char **p = s->shares; p && *p; p++) {
		cleanup_free char *entry = NULL;
		struct stat st;
		const char *create = "dir";
		int n;

		if (stat(*p, &st) == 0 && !S_ISDIR(st.st_mode))
			create = "file";
		n = asprintf(&entry, "%s %s none bind,create=%s,optional 0 0", *p, *p + 1, create);
		if (n < 0)
			return ct_error_set(err, ENOMEM, "out of memory");
		if (set_item(c, "lxc.mount.entry", entry, s->source, 0, err) < 0)
			return -1;
	}
	return 0;
}

static int oci_argv(json_t *oci, char ***ret, struct ct_error **err)
{
	json_t *args = json_object_get(json_object_get(oci, "process"), "args");
	cleanup_strv char **v = NULL;
	size_t n = json_array_size(args);

	*ret = NULL;
	if (!n)
		return 0;
	v = calloc(n + 1, sizeof(char *));
	if (!v)
		return ct_error_set(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const char *a = json_string_value(json_array_get(args, i));

		if (!a)
			return ct_error_set(err, EINVAL, "process.args[%zu] is not a string", i);
		if (!(v[i] = strdup(a)))
			return ct_error_set(err, ENOMEM, "out of memory");
	}
	*ret = steal_pointer(&v);
	return 0;
}

/* Translate the bundle in memory; the seccomp profile (if any) goes to run_dir and is removed
 * once the container has started. */
static int load_oci(const struct ct_settings *s, const struct ctl_target *t, struct ct_diag *diag,
		    struct ctl_loaded *l, struct lxc_config **ret, struct ct_error **err)
{
	cleanup_free char *bundle_dir = NULL, *seccomp = NULL;
	struct ct_side_file *side = NULL;
	json_t *oci = NULL;
	size_t nside = 0;
	int rc;

	if (asprintf(&seccomp, "%s/%s.seccomp", s->run_dir, t->name) < 0)
		return ct_error_set(err, ENOMEM, "out of memory");
	rc = ocispec_parse_file(t->config, diag, &oci, &bundle_dir, err);
	/* process.args goes to liblxc as an argv array: the translation need not squeeze it
	 * into lxc.execute.cmd (which cannot hold every argument). */
	if (rc == 0)
		rc = oci_argv(oci, &l->argv, err);
	if (rc == 0)
		json_object_del(json_object_get(oci, "process"), "args");
	if (rc == 0) {
		struct ct_translate_opts opts = { .bundle_dir = bundle_dir ? bundle_dir : t->bundle,
						  .seccomp_path = seccomp,
						  .diag = diag };

		rc = ct_oci_to_lxc(oci, &opts, ret, &side, err);
	}
	json_decref(oci);
	for (struct ct_side_file *f = side; rc == 0 && f && f->path; f++)
		nside++;
	if (rc == 0 && nside && !(l->side_files = calloc(nside + 1, sizeof(char *))))
		rc = ct_error_set(err, ENOMEM, "out of memory");
	for (size_t i = 0; rc == 0 && i < nside; i++) {
		rc = ct_write_file_atomic(side[i].path, side[i].content, strlen(side[i].content),
					  0600, err);
		if (rc == 0 && !(l->side_files[i] = strdup(side[i].path)))
			rc = ct_error_set(err, ENOMEM, "out of memory");
	}
	ct_side_files_free(side);
	return rc;
}

int load_target(const struct ct_settings *s, const struct ctl_target *t, struct ct_diag *diag,
		struct ctl_loaded *ret, struct ct_error **err)
{
	cleanup_lxcconf struct lxc_config *conf = NULL;
	struct ctl_loaded l = { 0 };
	int rc;

	l.c = lxc_container_new(t->name, s->run_dir);
	if (!l.c)
		return ct_error_set(err, ENOMEM,
				    "creating the liblxc container object for %s in %s", t->name,
				    s->run_dir);
	l.c->clear_config(l.c);
	rc = 0;
	if (s->log_file)
		rc = set_item(l.c, "lxc.log.file", s->log_file, s->source, 0, err);
	if (rc == 0 && s->log_level)
		rc = set_item(l.c, "lxc.log.level", s->log_level, s->source, 0, err);
	if (rc == 0)
		rc = t->kind == CTL_KIND_OCI ? load_oci(s, t, diag, &l, &conf, err)
					     : load_lxc_config(t->config, diag, &conf, err);
	if (rc == 0)
		rc = load_apply(l.c, conf, diag, err);
	if (rc == 0)
		rc = apply_settings(l.c, s, conf, err);
	if (rc < 0) {
		loaded_release(&l);
		return ct_error_prefix(err, rc, "%s", t->name);
	}
	*ret = l;
	return 0;
}
