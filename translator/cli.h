/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What lxc2oci and oci2lxc share: diagnostics on stderr, exit codes, option handling. */
#ifndef CT_CLI_H
#define CT_CLI_H

#include <stdbool.h>

#include "diag.h"
#include "error.h"

enum {
	CLI_EXIT_OK = 0,
	CLI_EXIT_INPUT = 1, /* bad input, or an operation failed */
	CLI_EXIT_USAGE = 2, /* bad command line */
};

struct cli_opts {
	const char *input;  /* FILE, BUNDLE_DIR or "-" */
	const char *output; /* NULL or "-" for stdout */
	const char *rootfs;
	const char *sysroot;
	const char *seccomp_output; /* oci2lxc only */
	bool strict;
	bool quiet;
};

extern const char *cli_prog;

/* A diag sink printing "PROG: FILE:LINE:COL: warning: MSG" unless quiet. */
void cli_diag_init(struct ct_diag *diag, const struct cli_opts *o);
/* Print an error ("PROG: WHERE: error: MSG" and a hint line) and return CLI_EXIT_INPUT. */
int cli_fail(const struct ct_error *err);
/* Print a usage error and "Try 'PROG --help'", return CLI_EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Parse the options both commands share; extra_long/extra handle command-specific ones.
 * Returns -1 after --help/--version (exit 0), -2 on a usage error (already printed), else 0. */
int cli_parse(int argc, char **argv, struct cli_opts *o, const char *usage_text, bool oci2lxc);
void cli_print_version(void);
/* Everything both commands do first: name the program, parse the options, set up the warning
 * sink. Returns -1 when main() should return *ret_exit now (--help, --version, bad usage). */
int cli_start(int argc, char **argv, const char *prog, const char *usage_text, bool oci2lxc,
	      struct cli_opts *o, struct ct_diag *diag, int *ret_exit);
/* Directory of path (allocated), or NULL for NULL or "-". */
char *cli_dirname(const char *path);

#endif
