/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ctlaunch share: a host directory shared with a container, usable by a given uid/gid. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "ctlaunch.h"
#include "find.h"
#include "idmap.h"
#include "lxcconf.h"
#include "setup.h"
#include "share.h"

enum { OPT_UID = OPT_FIRST_LOCAL, OPT_GID, OPT_MODE, OPT_RO, OPT_REMOVE };

static void usage(void)
{
	printf("Usage: ctlaunch share (-n NAME | -f CONFIG) HOST_DIR CONTAINER_DIR [OPTIONS]\n"
	       "Share HOST_DIR with a container at CONTAINER_DIR, usable by --uid/--gid inside:\n"
	       "creates the host directory (owner, setgid mode, ACLs so that files and sockets "
	       "the\nhost creates there stay usable from the container), passes the uid and gid "
	       "through\nthe container's id map, creates the mount point in the rootfs (never "
	       "through a\nsymlink) and adds the lxc.mount.entry. Each change is reported; a "
	       "second run\nchanges nothing.\n\n"
	       "  -n, --name NAME     the container (settings' search paths)\n"
	       "  -f, --file CONFIG   its LXC config file\n"
	       "      --uid UID       container uid that uses the directory (default 0)\n"
	       "      --gid GID       container gid (default: the uid)\n"
	       "      --mode MODE     octal permissions of the host directory (default 0770)\n"
	       "      --ro            read-only bind mount\n"
	       "      --remove        undo: remove the mount entry and the empty mount point (the "
	       "host\n"
	       "                      directory, its data and the id map stay)\n" CTL_COMMON_HELP);
}

struct args {
	const char *name, *file, *host, *ct;
	unsigned long uid, gid, mode;
	bool gid_set, ro, remove;
};

static int num(const char *s, int base, unsigned long max, unsigned long *ret)
{
	char *end;

	errno = 0;
	*ret = strtoul(s, &end, base);
	return *s && !*end && !errno && *ret <= max && s[0] != '-' ? 0 : -1;
}

static int parse_args(struct ctl *g, int argc, char **argv, struct args *a)
{
	static const struct option longopts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "file", required_argument, NULL, 'f' },
		{ "uid", required_argument, NULL, OPT_UID },
		{ "gid", required_argument, NULL, OPT_GID },
		{ "mode", required_argument, NULL, OPT_MODE },
		{ "ro", no_argument, NULL, OPT_RO },
		{ "remove", no_argument, NULL, OPT_REMOVE },
		CTL_COMMON_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	a->mode = 0770;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "n:f:" CTL_COMMON_SHORT, longopts, NULL)) != -1) {
		if (ctl_common_opt(g, opt, optarg))
			continue;
		switch (opt) {
		case 'h':
			usage();
			return -1;
		case 'n':
			a->name = optarg;
			break;
		case 'f':
			a->file = optarg;
			break;
		case OPT_UID:
			if (num(optarg, 10, IDMAP_ID_LIMIT - 1, &a->uid) < 0)
				return ctl_usage("share: --uid %s: not an id", optarg);
			break;
		case OPT_GID:
			if (num(optarg, 10, IDMAP_ID_LIMIT - 1, &a->gid) < 0)
				return ctl_usage("share: --gid %s: not an id", optarg);
			a->gid_set = true;
			break;
		case OPT_MODE:
			if (num(optarg, 8, 0777, &a->mode) < 0)
				return ctl_usage(
					"share: --mode %s: expected octal permissions up to 0777",
					optarg);
			break;
		case OPT_RO:
			a->ro = true;
			break;
		case OPT_REMOVE:
			a->remove = true;
			break;
		default:
			return ctl_bad_option("share", argv);
		}
	}
	if (argc - optind != 2)
		return ctl_usage("share: expected HOST_DIR and CONTAINER_DIR");
	a->host = argv[optind];
	a->ct = argv[optind + 1];
	if (!a->name == !a->file)
		return ctl_usage("share: give -n NAME or -f CONFIG");
	if (a->name && !find_name_valid(a->name))
		return ctl_usage("share: invalid container name '%s'", a->name);
	if (a->host[0] != '/' || strstr(a->host, "/../") || strchr(a->host, ' ') ||
	    strchr(a->ct, ' '))
		return ctl_usage("share: HOST_DIR must be absolute, without \"..\" or blanks");
	if (!a->gid_set)
		a->gid = a->uid;
	return 0;
}

struct drop_mount {
	const char *host, *ct;
};

static bool drop_mount(const char *key, const char *value, void *data)
{
	const struct drop_mount *d = data;

	return strcmp(key, "lxc.mount.entry") == 0 && share_entry_matches(value, d->host, d->ct);
}

static bool drop_idmap(const char *key, const char *value, void *data)
{
	(void)value;
	(void)data;
	return setup_is_idmap_key(key);
}

/* Pass uid and gid through the map; rewrite the idmap lines when it changed. */
static int pass_ids(const char *path, struct idmap *m, bool foreign, const struct args *a,
		    struct strbuf *report, struct ct_error **err)
{
	cleanup_strbuf struct strbuf sb = STRBUF_INIT;
	bool cu, cg, changed;

	if (!m->n)
		return 0;
	if (idmap_passthrough(m, 'u', a->uid, &cu, err) < 0 ||
	    idmap_passthrough(m, 'g', a->gid, &cg, err) < 0)
		return -1;
	if (!cu && !cg)
		return 0;
	if (foreign)
		return ct_error_hint(err,
				     ct_error_set(err, EINVAL,
						  "%s: the id map comes from an included file",
						  path),
				     "pass the ids through there: ctlaunch idmap --passthrough");
	idmap_normalize(m);
	if (idmap_check(m, true, err) < 0)
		return -1;
	idmap_format(m, &sb);
	strbuf_puts(&sb, "");
	if (sb.oom || setup_conf_edit(path, drop_idmap, NULL, sb.s, &changed, err) < 0)
		return sb.oom ? ct_error_set(err, ENOMEM, "out of memory") : -1;
	strbuf_printf(report, "%s: uid %lu and gid %lu pass through the id map now\n", path, a->uid,
		      a->gid);
	return 0;
}

static int run(struct ctl *g, struct args *a, struct strbuf *report, struct ct_error **err)
{
	cleanup_lxcconf struct lxc_config *conf = NULL;
	cleanup_idmap struct idmap m = { 0 };
	cleanup_free char *path = NULL;
	cleanup_free char *rootfs = NULL;
	cleanup_free char *entry = NULL;
	struct lxcconf_opts o = { .diag = &g->diag };
	struct drop_mount d = { a->host, a->ct };
	struct share_req r = { .host_dir = a->host,
			       .ct_dir = a->ct,
			       .uid = (uid_t)a->uid,
			       .host_uid = (uid_t)a->uid,
			       .gid = (gid_t)a->gid,
			       .host_gid = (gid_t)a->gid,
			       .mode = (mode_t)a->mode,
			       .ro = a->ro };
	uint64_t id;
	bool foreign, changed;

	if ((a->name && ctl_settings(g, err) < 0) ||
	    setup_find_config(g->settings, a->name, a->file, &path, err) < 0 ||
	    lxcconf_parse_file(path, &o, &conf, err) < 0 ||
	    setup_conf_idmap(conf, &m, &foreign, err) < 0 ||
	    setup_conf_rootfs(conf, &rootfs, err) < 0)
		return -1;
	if (!rootfs)
		return ct_error_set(err, EINVAL, "%s: no lxc.rootfs.path", path);
	if (a->remove) {
		if (setup_conf_edit(path, drop_mount, &d, NULL, &changed, err) < 0)
			return -1;
		if (changed)
			strbuf_printf(report, "%s: removed the mount entry of %s\n", path, a->host);
		if (share_remove_mount_point(rootfs, a->ct, report, err) < 0)
			return -1;
		strbuf_printf(report, "kept %s and its content, and the id map\n", a->host);
		return 0;
	}
	if (pass_ids(path, &m, foreign, a, report, err) < 0)
		return -1;
	if (m.n) {
		if (idmap_to_host(&m, 'u', 0, &id))
			r.root_uid = (uid_t)id;
		if (idmap_to_host(&m, 'g', 0, &id))
			r.root_gid = (gid_t)id;
	}
	if (share_host_dir(&r, report, err) < 0 || share_mount_point(rootfs, &r, report, err) < 0)
		return -1;
	entry = share_mount_entry(&r);
	if (!entry)
		return ct_error_set(err, ENOMEM, "out of memory");
	{
		cleanup_free char *line = NULL;

		if (asprintf(&line, "lxc.mount.entry = %s\n", entry) < 0)
			return ct_error_set(err, ENOMEM, "out of memory");
		if (setup_conf_edit(path, drop_mount, &d, line, &changed, err) < 0)
			return -1;
	}
	if (changed)
		strbuf_printf(report, "%s: lxc.mount.entry = %s\n", path, entry);
	return 0;
}

int cmd_share(struct ctl *g, int argc, char **argv)
{
	cleanup_error struct ct_error *err = NULL;
	cleanup_strbuf struct strbuf report = STRBUF_INIT;
	struct args a = { 0 };
	int rc = parse_args(g, argc, argv, &a);
	size_t n;

	if (rc)
		return rc < 0 ? CTL_EXIT_OK : rc;
	n = strlen(a.host);
	while (n > 1 && a.host[n - 1] == '/')
		((char *)a.host)[--n] = '\0';
	rc = run(g, &a, &report, &err);
	strbuf_puts(&report, "");
	fputs(report.len ? report.s : "nothing to change\n", stdout);
	if (rc < 0)
		return ctl_fail(err, CTL_EXIT_FAIL);
	return CTL_EXIT_OK;
}
