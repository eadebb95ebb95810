/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ctlaunch's settings file (YAML): where containers are looked for, timeouts, the run-time
 * directory, variables and shares every container gets, and liblxc's log. */
#ifndef CTL_SETTINGS_H
#define CTL_SETTINGS_H

#include <stddef.h>

#include "error.h"

#define SETTINGS_DEFAULT_FILE SYSCONFDIR "/ctlaunch/ctlaunch.yaml"
#define SETTINGS_DEFAULT_SEARCH_PATH "/usr/share/Thunder"
#define SETTINGS_DEFAULT_LXC_PATH "/var/lib/lxc"
#define SETTINGS_DEFAULT_RUN_DIR "/run/ctlaunch"
#define SETTINGS_MAX_LIST 64	 /* entries in one list */
#define SETTINGS_MAX_STRING 4096 /* bytes in one value */
#define SETTINGS_MAX_TIMEOUT 86400

struct ct_settings {
	char **search_paths;   /* NULL-terminated: <path>/<Name>/Container/config */
	char *lxc_path;	       /* <lxc_path>/<Name>/config */
	char *run_dir;	       /* liblxc's lxcpath at run time, locks, pid files */
	unsigned stop_timeout; /* seconds between the halt signal and SIGKILL */
	unsigned kill_timeout; /* seconds to wait after SIGKILL before calling it stuck */
	char **inherit_env;    /* NULL-terminated variable names passed to every container */
	char **shares;	       /* NULL-terminated host paths bind-mounted into every container */
	char *log_file;	       /* liblxc's lxc.log.file; NULL: none */
	char *log_level;       /* liblxc's lxc.log.level; NULL: liblxc's default */
	char *source;	       /* the file read, NULL for the built-in defaults */
};

/* Built-in defaults. */
int settings_new(struct ct_settings **ret, struct ct_error **err);
void settings_free(struct ct_settings *s);
void settings_freep(struct ct_settings **s);
#define cleanup_settings __attribute__((cleanup(settings_freep)))

/* Overlay what a YAML document says on s. Unknown keys, wrong types, duplicates and values out
 * of range are errors located at FILE:LINE:COL. */
int settings_parse_buffer(struct ct_settings *s, const char *buf, size_t len, const char *name,
			  struct ct_error **err);
/* Read path; when missing_ok and the file does not exist, s keeps the defaults. */
int settings_load(struct ct_settings *s, const char *path, int missing_ok, struct ct_error **err);

#endif
