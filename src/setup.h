/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Setting a container up on disk: in-place config edits that keep every other byte, rootfs
 * ownership shifts for an id map, and building <path>/<Name>/Container from a template and a
 * rootfs tarball or directory. */
#ifndef CTL_SETUP_H
#define CTL_SETUP_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "error.h"
#include "idmap.h"
#include "lxcconf.h"
#include "settings.h"

/* Decides whether a config line "key = value" goes away (key and value trimmed, value
 * unquoted). */
typedef bool (*setup_drop_fn)(const char *key, const char *value, void *data);

/* Rewrite the LXC config at path: the lines drop() selects are removed and insert (may be NULL
 * or "", complete lines) takes the place of the first of them, or is appended at the end.
 * Every other byte is kept; the file is replaced atomically (temporary file + rename) with its
 * mode and owner. Nothing is written when the text does not change. */
int setup_conf_edit(const char *path, setup_drop_fn drop, void *data, const char *insert,
		    bool *ret_changed, struct ct_error **err);

/* The LXC config of a container: by name (the settings' search paths, then the LXC path) or
 * the file given. OCI bundles are refused: these helpers edit LXC configs. */
int setup_find_config(const struct ct_settings *s, const char *name, const char *file,
		      char **ret_path, struct ct_error **err);
/* The config's lxc.idmap entries; *ret_foreign tells whether some come from an included file
 * (in-place edits of the main file cannot replace those). */
int setup_conf_idmap(const struct lxc_config *conf, struct idmap *ret, bool *ret_foreign,
		     struct ct_error **err);
/* lxc.rootfs.path without its "dir:" prefix, relative paths resolved against the config's
 * directory; NULL in *ret when unset. */
int setup_conf_rootfs(const struct lxc_config *conf, char **ret, struct ct_error **err);

/* Whether key names an lxc.idmap line (modern or legacy spelling). */
bool setup_is_idmap_key(const char *key);

struct setup_shift_stats {
	size_t changed;	 /* entries whose owner changed */
	size_t unmapped; /* entries left alone: their id has no mapping */
	size_t total;	 /* entries visited */
};

/* Shift the ownership of the tree at rootfs (not crossing mount points, never following
 * symlinks): an owner that is not already a host id of the map is read as a container id and
 * replaced by its host id. setuid/setgid bits survive. Running it twice changes nothing. */
int setup_shift_rootfs(const char *rootfs, const struct idmap *map, struct setup_shift_stats *ret,
		       struct ct_error **err);

/* The directory that holds the templates: $CTLAUNCH_TEMPLATE_DIR, else the installed one. */
const char *setup_template_dir(void);

struct setup_init {
	const char *name;	   /* container name (validated by the caller) */
	const char *rootfs;	   /* tarball or directory */
	const char *template_name; /* "nanoservice" ... (file <template>.conf) */
	const char *path;	   /* where <name>/Container goes */
	bool oci;		   /* also write config.json */
	bool force;		   /* replace an existing container */
	struct ct_diag *diag;
};

/* Create <path>/<name>/Container/{config,rootfs[,config.json]} in a temporary directory beside
 * the target and rename it into place at the end: a failure leaves nothing behind.
 * ret_dir receives the Container directory. */
int setup_init_container(const struct setup_init *in, char **ret_dir, struct ct_error **err);

#endif
