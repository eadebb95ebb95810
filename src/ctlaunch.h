/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the ctlaunch subcommands share: global options, settings, exit codes, messages. */
#ifndef CTL_CTLAUNCH_H
#define CTL_CTLAUNCH_H

#include <getopt.h>
#include <stdbool.h>

#include "api.h"
#include "diag.h"
#include "error.h"
#include "settings.h"

enum {
	CTL_EXIT_OK = 0,
	CTL_EXIT_FAIL = 1,	  /* an operation failed */
	CTL_EXIT_USAGE = 2,	  /* bad command line */
	CTL_EXIT_STUCK = 3,	  /* stop: something survived SIGKILL */
	CTL_EXIT_NOT_RUNNING = 4, /* kill/exec: the container is not running */
	CTL_EXIT_START = 125,	  /* start/exec: ctlaunch failed, not the application */
};

struct ctl {
	const char *settings_file; /* --config */
	const char *lxc_path;	   /* -P */
	const char *run_dir;	   /* --run-dir */
	bool quiet;
	struct ctl_context *ctx;      /* libctlaunch's context, made by ctl_settings() */
	struct ct_settings *settings; /* the context's settings */
	struct ct_diag diag;
};

/* Options every subcommand accepts. */
enum { OPT_CONFIG = 0x100, OPT_RUN_DIR, OPT_HELP, OPT_FIRST_LOCAL = 0x200 };
/* A list of initialisers, which clang-format would lay out as one expression. */
/* clang-format off */
#define CTL_COMMON_LONG_OPTIONS                                                                   \
	{ "config", required_argument, NULL, OPT_CONFIG },                                        \
	{ "lxcpath", required_argument, NULL, 'P' },                                              \
	{ "run-dir", required_argument, NULL, OPT_RUN_DIR },                                      \
	{ "quiet", no_argument, NULL, 'q' },                                                      \
	{ "help", no_argument, NULL, 'h' }
/* clang-format on */
#define CTL_COMMON_SHORT "P:qh"
#define CTL_COMMON_HELP                                                                    \
	"Common options:\n"                                                                \
	"      --config FILE    settings file (default: $CTLAUNCH_CONFIG, else\n"          \
	"                       " SETTINGS_DEFAULT_FILE ")\n"                              \
	"  -P, --lxcpath DIR    LXC container directory searched after the search paths\n" \
	"      --run-dir DIR    run-time directory (liblxc's lxcpath, locks)\n"            \
	"  -q, --quiet          no warnings\n"                                             \
	"  -h, --help           this help\n"

/* Handle a common option: 1 handled, 0 not a common option. */
int ctl_common_opt(struct ctl *g, int opt, const char *arg);
/* Make the libctlaunch context once (later calls return the same): reads the settings,
 * applies -P and --run-dir, installs the warning printer (none with --quiet). */
int ctl_settings(struct ctl *g, struct ct_error **err);

/* Print "ctlaunch: [WHERE: ]error: MSG" (and a hint line); return code. */
int ctl_fail(const struct ct_error *err, int code);
/* The same for an error from libctlaunch. */
int ctl_fail_api(const struct ctl_error *err, int code);
/* Print a usage error and the --help pointer; return CTL_EXIT_USAGE. */
int ctl_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The option getopt_long just refused (opterr is off): one usage line; CTL_EXIT_USAGE. */
int ctl_bad_option(const char *cmd, char **argv);
/* A warning or a note on stderr, unless --quiet. */
void ctl_warn(const struct ctl *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* --format text|json: 0, or -1 for anything else. */
int ctl_parse_format(const char *arg, bool *ret_json);

/* The subcommands (cmd_*.c). argv[0] is the subcommand name. */
int cmd_start(struct ctl *g, int argc, char **argv);
int cmd_stop(struct ctl *g, int argc, char **argv);
int cmd_kill(struct ctl *g, int argc, char **argv);
int cmd_state(struct ctl *g, int argc, char **argv);
int cmd_list(struct ctl *g, int argc, char **argv);
int cmd_exec(struct ctl *g, int argc, char **argv);
/* The helper subcommands (src/helpers.mk, always linked). */
int cmd_idmap(struct ctl *g, int argc, char **argv);
int cmd_share(struct ctl *g, int argc, char **argv);
int cmd_init(struct ctl *g, int argc, char **argv);
int cmd_check(struct ctl *g, int argc, char **argv);

#endif
