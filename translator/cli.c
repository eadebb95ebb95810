/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <getopt.h>
#include <jansson.h>
#include <libgen.h>
#include <stdlib.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

const char *cli_prog = "ctlaunch";

static void print_warning(void *data, const char *file, unsigned line, unsigned col,
			  const char *msg)
{
	struct ct_error where = { .file = (char *)file, .line = line, .col = col };
	char buf[4096];

	(void)data;
	fprintf(stderr, "%s: %swarning: %s\n", cli_prog, ct_error_where(&where, buf, sizeof(buf)),
		msg);
}

void cli_diag_init(struct ct_diag *diag, const struct cli_opts *o)
{
	*diag = (struct ct_diag){ .warn = o->quiet ? NULL : print_warning, .strict = o->strict };
}

int cli_fail(const struct ct_error *err)
{
	char buf[4096];

	if (!err) {
		fprintf(stderr, "%s: error: unknown failure\n", cli_prog);
		return CLI_EXIT_INPUT;
	}
	fprintf(stderr, "%s: %serror: %s\n", cli_prog, ct_error_where(err, buf, sizeof(buf)),
		err->msg ? err->msg : "unknown failure");
	if (err->hint)
		fprintf(stderr, "%s: hint: %s\n", cli_prog, err->hint);
	return CLI_EXIT_INPUT;
}

int cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", cli_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", cli_prog);
	return CLI_EXIT_USAGE;
}

void cli_print_version(void)
{
	const struct scmp_version *sv = seccomp_version();

	printf("%s: %s\n", cli_prog, PACKAGE_VERSION);
	printf("runtime-spec: 1.0.2-dev (reads 1.0 and 1.1)\n");
	printf("liblxc-keys: 5.0\n");
	printf("jansson: %s\n", JANSSON_VERSION);
	if (sv)
		printf("libseccomp: %u.%u.%u\n", sv->major, sv->minor, sv->micro);
}

enum { OPT_ROOTFS = 256, OPT_SYSROOT, OPT_STRICT, OPT_SECCOMP_OUT, OPT_VERSION };

int cli_parse(int argc, char **argv, struct cli_opts *o, const char *usage_text, bool oci2lxc)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "rootfs", required_argument, NULL, OPT_ROOTFS },
		{ "sysroot", required_argument, NULL, OPT_SYSROOT },
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ "seccomp-output", required_argument, NULL, OPT_SECCOMP_OUT },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o->output = optarg;
			break;
		case OPT_ROOTFS:
			o->rootfs = optarg;
			break;
		case OPT_SYSROOT:
			o->sysroot = optarg;
			break;
		case OPT_STRICT:
			o->strict = true;
			break;
		case OPT_SECCOMP_OUT:
			if (!oci2lxc) {
				cli_usage_error("unrecognized option '--seccomp-output'");
				return -2;
			}
			o->seccomp_output = optarg;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return -1;
		case OPT_VERSION:
			cli_print_version();
			return -1;
		case ':':
			cli_usage_error("option '%s' needs an argument", argv[optind - 1]);
			return -2;
		default:
			if (optopt)
				cli_usage_error("invalid option -- '%c'", optopt);
			else
				cli_usage_error("unrecognized option '%s'", argv[optind - 1]);
			return -2;
		}
	}
	if (argc - optind > 1) {
		cli_usage_error("too many arguments: '%s'", argv[optind + 1]);
		return -2;
	}
	o->input = optind < argc ? argv[optind] : "-";
	if (o->rootfs && !*o->rootfs) {
		cli_usage_error("--rootfs needs a non-empty path");
		return -2;
	}
	return 0;
}

int cli_start(int argc, char **argv, const char *prog, const char *usage_text, bool oci2lxc,
	      struct cli_opts *o, struct ct_diag *diag, int *ret_exit)
{
	int rc;

	cli_prog = prog;
	rc = cli_parse(argc, argv, o, usage_text, oci2lxc);
	if (rc < 0) {
		*ret_exit = rc == -1 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
		return -1;
	}
	cli_diag_init(diag, o);
	return 0;
}

char *cli_dirname(const char *path)
{
	char *copy, *dir;

	if (!path || strcmp(path, "-") == 0)
		return NULL;
	copy = strdup(path);
	if (!copy)
		return NULL;
	dir = strdup(dirname(copy));
	free(copy);
	return dir;
}
