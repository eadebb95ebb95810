/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ctlaunch init: <path>/<Name>/Container/{config,rootfs} from a template and a rootfs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "ctlaunch.h"
#include "find.h"
#include "setup.h"

enum { OPT_ROOTFS = OPT_FIRST_LOCAL, OPT_TEMPLATE, OPT_PATH, OPT_OCI, OPT_FORCE };

static void usage(void)
{
	printf("Usage: ctlaunch init -n NAME --rootfs ROOTFS.tar|DIR [OPTIONS]\n"
	       "Set a container up in Thunder's layout: <path>/NAME/Container/config (a flat LXC "
	       "config\nmade from a template), rootfs/ (extracted or copied) and, with --oci, "
	       "config.json.\nThe container is built beside its place and renamed in at the end: "
	       "a failed init\nleaves nothing behind.\n\n"
	       "  -n, --name NAME        container name (Thunder's callsign, e.g. OCDM)\n"
	       "  -r, --rootfs SRC       a tarball (any compression tar reads) or a directory\n"
	       "  -t, --template NAME    nanoservice (default), system, userns or common\n"
	       "      --path DIR         where NAME/Container goes (default: the first search "
	       "path\n"
	       "                         of the settings, /usr/share/Thunder)\n"
	       "      --oci              also write config.json (translated from the config)\n"
	       "      --force            replace an existing container\n" CTL_COMMON_HELP
	       "\nTemplates are read from $CTLAUNCH_TEMPLATE_DIR, else %s.\n",
	       setup_template_dir());
}

int cmd_init(struct ctl *g, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "rootfs", required_argument, NULL, 'r' },
		{ "template", required_argument, NULL, 't' },
		{ "path", required_argument, NULL, OPT_PATH },
		{ "oci", no_argument, NULL, OPT_OCI },
		{ "force", no_argument, NULL, OPT_FORCE },
		CTL_COMMON_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	cleanup_error struct ct_error *err = NULL;
	cleanup_free char *dir = NULL;
	struct setup_init in = { .template_name = "nanoservice", .diag = &g->diag };
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "n:r:t:" CTL_COMMON_SHORT, longopts, NULL)) != -1) {
		if (ctl_common_opt(g, opt, optarg))
			continue;
		switch (opt) {
		case 'h':
			usage();
			return CTL_EXIT_OK;
		case 'n':
			in.name = optarg;
			break;
		case 'r':
			in.rootfs = optarg;
			break;
		case 't':
			in.template_name = optarg;
			break;
		case OPT_PATH:
			in.path = optarg;
			break;
		case OPT_OCI:
			in.oci = true;
			break;
		case OPT_FORCE:
			in.force = true;
			break;
		default:
			return ctl_bad_option("init", argv);
		}
	}
	if (optind < argc)
		return ctl_usage("init: unexpected argument '%s'", argv[optind]);
	if (!in.name || !in.rootfs)
		return ctl_usage("init: -n NAME and --rootfs are required");
	if (!find_name_valid(in.name))
		return ctl_usage("init: invalid container name '%s'", in.name);
	if (!*in.template_name || strchr(in.template_name, '/'))
		return ctl_usage("init: invalid template name '%s'", in.template_name);
	if (!in.path) {
		if (ctl_settings(g, &err) < 0)
			return ctl_fail(err, CTL_EXIT_FAIL);
		if (!g->settings->search_paths || !g->settings->search_paths[0]) {
			ct_error_set(&err, EINVAL, "init: the settings have no search path");
			ct_error_hint(&err, -1, "give --path DIR");
			return ctl_fail(err, CTL_EXIT_FAIL);
		}
		in.path = g->settings->search_paths[0];
	}
	if (setup_init_container(&in, &dir, &err) < 0)
		return ctl_fail(err, CTL_EXIT_FAIL);
	printf("%s: created from the template %s and %s\n", dir, in.template_name, in.rootfs);
	printf("%s/config\n%s/rootfs\n", dir, dir);
	if (in.oci)
		printf("%s/config.json\n", dir);
	return CTL_EXIT_OK;
}
