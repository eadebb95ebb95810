/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lxc2oci: LXC configuration -> OCI runtime-spec config.json. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "cli.h"
#include "fileio.h"
#include "jsonutil.h"
#include "lxcconf.h"
#include "ocispec.h"
#include "translate.h"

static const char usage_text[] =
	"Usage: lxc2oci [OPTIONS] [FILE|-]\n"
	"Translate an LXC container configuration into an OCI runtime-spec config.json.\n"
	"\n"
	"FILE is an LXC config (lxc.* keys); without it, or with -, standard input is read.\n"
	"lxc.include is followed; keys with no OCI field travel as org.ctlaunch.lxc.* annotations.\n"
	"\n"
	"Options:\n"
	"  -o, --output FILE   write config.json to FILE (atomically) instead of standard output\n"
	"      --rootfs PATH   use PATH as root.path instead of lxc.rootfs.path\n"
	"      --sysroot DIR   resolve absolute lxc.include and profile paths under DIR\n"
	"      --strict        treat every lossy or unknown item as an error\n"
	"  -q, --quiet         do not print warnings\n"
	"  -h, --help          show this help and exit\n"
	"      --version       show version information and exit\n"
	"\n"
	"Exit status: 0 success, 1 bad input (nothing written), 2 bad usage.\n"
	"See lxc2oci(1) and doc/mapping.md for the key-by-key mapping.\n";

int main(int argc, char **argv)
{
	cleanup_lxcconf struct lxc_config *conf = NULL;
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *oci = NULL;
	cleanup_free char *out = NULL;
	cleanup_free char *dir = NULL;
	struct cli_opts o = { 0 };
	struct ct_translate_opts topts = { 0 };
	struct ct_diag diag;
	struct lxcconf_opts lopts;
	int rc;

	if (cli_start(argc, argv, "lxc2oci", usage_text, false, &o, &diag, &rc) < 0)
		return rc;
	lopts = (struct lxcconf_opts){ .sysroot = o.sysroot, .diag = &diag };
	if (lxcconf_parse_file(o.input, &lopts, &conf, &err) < 0)
		return cli_fail(err);
	dir = cli_dirname(o.input);
	topts = (struct ct_translate_opts){
		.rootfs = o.rootfs, .sysroot = o.sysroot, .config_dir = dir, .diag = &diag
	};
	if (ct_lxc_to_oci(conf, &topts, &oci, &err) < 0)
		return cli_fail(err);
	out = ocispec_dump(oci);
	if (!out) {
		ct_error_set(&err, 12, "out of memory");
		return cli_fail(err);
	}
	if (ct_write_file_atomic(o.output ? o.output : "-", out, strlen(out), 0644, &err) < 0)
		return cli_fail(err);
	return CLI_EXIT_OK;
}
