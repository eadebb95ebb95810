/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ctlaunch idmap: compute lxc.idmap lines with pass-through ids, check a map against the kernel's
 * rules, /etc/subuid and the rootfs owner, rewrite a config's map, shift a rootfs. */
#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "ctlaunch.h"
#include "fileio.h"
#include "find.h"
#include "idmap.h"
#include "lxcconf.h"
#include "setup.h"

#define MAX_MAP_ARGS 64

enum {
	OPT_PASS = OPT_FIRST_LOCAL,
	OPT_UPASS,
	OPT_GPASS,
	OPT_CHECK,
	OPT_APPLY,
	OPT_CHOWN,
	OPT_USER,
	OPT_ROOTFS,
	OPT_HOST_ROOT,
	OPT_SUBUID,
	OPT_SUBGID,
};

struct args {
	const char *name, *file, *base, *user, *rootfs;
	const char *subid[2]; /* /etc/subuid, /etc/subgid */
	const char *maps[MAX_MAP_ARGS];
	size_t nmaps;
	uint64_t ids[2][IDMAP_MAX_IDS]; /* [0] uids, [1] gids */
	size_t nids[2];
	bool check, apply, chown, host_root;
};

static void usage(void)
{
	printf("Usage: ctlaunch idmap [-n NAME | -f CONFIG] [OPTIONS]\n"
	       "Compute, check and apply user namespace id maps (lxc.idmap).\n\n"
	       "  ctlaunch idmap --base 0:100000:65536 --passthrough 1000\n"
	       "      print the lines mapping container ids 0-65535 to host 100000-165535, except\n"
	       "      uid and gid 1000, which stay 1000 on both sides\n"
	       "  ctlaunch idmap -n OCDM\n"
	       "      check the map of container OCDM, its /etc/subuid entries and its rootfs\n"
	       "  ctlaunch idmap -n OCDM --passthrough 1000 --apply\n"
	       "      pass 1000 through OCDM's map and rewrite only the lxc.idmap lines of its "
	       "config\n\n"
	       "Map:\n"
	       "  -b, --base C:H:N           base range: container ids C.. map to host H.., N ids\n"
	       "  -m, --map 'u|g C H N'      one range (repeatable), instead of --base\n"
	       "      --passthrough IDS      ids (comma-separated) mapped to themselves, uid and gid\n"
	       "      --uid-passthrough IDS  uids only\n"
	       "      --gid-passthrough IDS  gids only\n"
	       "  -n, --name NAME            the container's config (settings' search paths)\n"
	       "  -f, --file CONFIG          an LXC config file\n"
	       "Actions:\n"
	       "      --check                check the map (the default with -n or -f alone)\n"
	       "      --apply                rewrite the config's lxc.idmap lines in place "
	       "(atomic)\n"
	       "      --chown-rootfs         shift the rootfs ownership onto the map's host ids\n"
	       "Checks:\n"
	       "      --user USER            who starts the container, for newuidmap and "
	       "/etc/subuid\n"
	       "                             (default: you)\n"
	       "      --rootfs DIR           the rootfs (default: the config's lxc.rootfs.path)\n"
	       "      --allow-host-root      accept container root mapped to host root\n"
	       "      --subuid FILE          instead of /etc/subuid\n"
	       "      --subgid FILE          instead of /etc/subgid\n\n" CTL_COMMON_HELP
	       "\nExit status: 0 when the map is usable (or was printed or applied), 1 when a "
	       "check\nfails or an operation failed, 2 on bad usage.\n");
}

static int parse_args(struct ctl *g, int argc, char **argv, struct args *a)
{
	static const struct option longopts[] = {
		{ "base", required_argument, NULL, 'b' },
		{ "map", required_argument, NULL, 'm' },
		{ "name", required_argument, NULL, 'n' },
		{ "file", required_argument, NULL, 'f' },
		{ "passthrough", required_argument, NULL, OPT_PASS },
		{ "uid-passthrough", required_argument, NULL, OPT_UPASS },
		{ "gid-passthrough", required_argument, NULL, OPT_GPASS },
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "apply", no_argument, NULL, OPT_APPLY },
		{ "chown-rootfs", no_argument, NULL, OPT_CHOWN },
		{ "user", required_argument, NULL, OPT_USER },
		{ "rootfs", required_argument, NULL, OPT_ROOTFS },
		{ "allow-host-root", no_argument, NULL, OPT_HOST_ROOT },
		{ "subuid", required_argument, NULL, OPT_SUBUID },
		{ "subgid", required_argument, NULL, OPT_SUBGID },
		CTL_COMMON_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	cleanup_error struct ct_error *err = NULL;
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "b:m:n:f:" CTL_COMMON_SHORT, longopts, NULL)) != -1) {
		if (ctl_common_opt(g, opt, optarg))
			continue;
		switch (opt) {
		case 'h':
			usage();
			return -1;
		case 'b':
			a->base = optarg;
			break;
		case 'm':
			if (a->nmaps == MAX_MAP_ARGS)
				return ctl_usage("idmap: more than %d --map options", MAX_MAP_ARGS);
			a->maps[a->nmaps++] = optarg;
			break;
		case 'n':
			a->name = optarg;
			break;
		case 'f':
			a->file = optarg;
			break;
		case OPT_PASS:
		case OPT_UPASS:
		case OPT_GPASS:
			if ((opt != OPT_GPASS &&
			     idmap_parse_ids(optarg, a->ids[0], &a->nids[0], &err) < 0) ||
			    (opt != OPT_UPASS &&
			     idmap_parse_ids(optarg, a->ids[1], &a->nids[1], &err) < 0))
				return ctl_usage("idmap: %s", err->msg);
			break;
		case OPT_CHECK:
			a->check = true;
			break;
		case OPT_APPLY:
			a->apply = true;
			break;
		case OPT_CHOWN:
			a->chown = true;
			break;
		case OPT_USER:
			a->user = optarg;
			break;
		case OPT_ROOTFS:
			a->rootfs = optarg;
			break;
		case OPT_HOST_ROOT:
			a->host_root = true;
			break;
		case OPT_SUBUID:
			a->subid[0] = optarg;
			break;
		case OPT_SUBGID:
			a->subid[1] = optarg;
			break;
		default:
			return ctl_bad_option("idmap", argv);
		}
	}
	if (optind < argc)
		return ctl_usage("idmap: unexpected argument '%s'", argv[optind]);
	if (a->name && a->file)
		return ctl_usage("idmap: -n and -f exclude each other");
	if (a->name && !find_name_valid(a->name))
		return ctl_usage("idmap: invalid container name '%s'", a->name);
	if (a->base && a->nmaps)
		return ctl_usage("idmap: --base and --map exclude each other");
	if (a->apply && !a->name && !a->file)
		return ctl_usage("idmap: --apply needs -n NAME or -f CONFIG");
	if (!a->base && !a->nmaps && !a->name && !a->file)
		return ctl_usage("idmap: nothing to do: give --base, --map, -n NAME or -f CONFIG");
	if (!a->subid[0])
		a->subid[0] = "/etc/subuid";
	if (!a->subid[1])
		a->subid[1] = "/etc/subgid";
	return 0;
}

static void say(const char *status, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void say(const char *status, const char *hint, const char *fmt, ...)
{
	va_list ap;

	printf("%-4s ", status);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (hint)
		printf("     hint: %s\n", hint);
}

/* The map the command works on: computed, given, or the config's with pass-throughs. */
static int build_map(const struct args *a, const struct idmap *cur, struct idmap *m,
		     bool *ret_changed, struct ct_error **err)
{
	static const char kinds[2] = { 'u', 'g' };

	*ret_changed = false;
	if (a->base) {
		for (int k = 0; k < 2; k++) {
			struct idmap_range b;

			if (idmap_parse_base(a->base, kinds[k], &b, err) < 0 ||
			    idmap_split(m, &b, a->ids[k], a->nids[k], err) < 0)
				return -1;
		}
		*ret_changed = true;
		return 0;
	}
	for (size_t i = 0; i < a->nmaps; i++) {
		struct idmap_range r;

		if (idmap_parse_entry(a->maps[i], &r, err) < 0 || idmap_add(m, &r, err) < 0)
			return -1;
	}
	if (!a->nmaps)
		for (size_t i = 0; i < cur->n; i++)
			if (idmap_add(m, &cur->v[i], err) < 0)
				return -1;
	*ret_changed = a->nmaps > 0;
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < a->nids[k]; i++) {
			bool changed;

			if (idmap_passthrough(m, kinds[k], a->ids[k][i], &changed, err) < 0)
				return -1;
			if (changed)
				*ret_changed = true;
		}
	if (*ret_changed)
		idmap_normalize(m);
	return 0;
}

static bool on_path(const char *prog)
{
	const char *path = getenv("PATH");

	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (const char *p = path; *p;) {
		size_t n = strcspn(p, ":");
		cleanup_free char *f = NULL;

		if (n && asprintf(&f, "%.*s/%s", (int)n, p, prog) > 0 && access(f, X_OK) == 0)
			return true;
		p += n + (p[n] == ':');
	}
	return false;
}

/* The user that starts the container: name and uid. */
static int resolve_user(const char *user, char **ret_name, uint64_t *ret_uid, struct ct_error **err)
{
	struct passwd *pw;
	char *end;

	if (!user) {
		pw = getpwuid(geteuid());
		*ret_uid = geteuid();
	} else {
		unsigned long v = strtoul(user, &end, 10);

		pw = *end || !*user ? getpwnam(user) : getpwuid((uid_t)v);
		if (!pw && (*end || !*user))
			return ct_error_set(err, ENOENT, "--user %s: no such user", user);
		*ret_uid = pw ? pw->pw_uid : v;
	}
	*ret_name = strdup(pw ? pw->pw_name : user ? user : "root");
	return *ret_name ? 0 : ct_error_set(err, ENOMEM, "out of memory");
}

/* Each range must be allowed by /etc/sub[ug]id when liblxc hands the map to newuidmap. */
static int check_subid(const struct args *a, const struct idmap *m)
{
	static const char kinds[2] = { 'u', 'g' };
	cleanup_free char *user = NULL;
	uint64_t uid = 0;
	int bad = 0;

	{
		cleanup_error struct ct_error *err = NULL;

		if (resolve_user(a->user, &user, &uid, &err) < 0) {
			say("FAIL", NULL, "%s", err->msg);
			return 1;
		}
	}
	if (!on_path("newuidmap") || !on_path("newgidmap")) {
		if (uid == 0) {
			say("OK", NULL,
			    "newuidmap: not installed: liblxc writes the map itself (root)");
			return 0;
		}
		say("FAIL", "install newuidmap and newgidmap (package uidmap)",
		    "newuidmap: not installed: user %s cannot set up a user namespace", user);
		return 1;
	}
	for (int k = 0; k < 2; k++) {
		cleanup_idmap struct idmap allowed = { 0 };
		cleanup_error struct ct_error *err = NULL;
		cleanup_free char *buf = NULL;
		const char *file = a->subid[k];
		size_t len;

		if (access(file, F_OK) == 0 &&
		    (ct_read_file(file, CT_MAX_INPUT_SIZE, &buf, &len, &err) < 0 ||
		     idmap_subid_parse(buf, file, user, uid, kinds[k], &allowed, &err) < 0)) {
			char where[512];

			say("FAIL", NULL, "%s%s", ct_error_where(err, where, sizeof(where)),
			    err->msg);
			bad = 1;
			continue;
		}
		for (size_t i = 0; i < m->n; i++) {
			const struct idmap_range *r = &m->v[i];
			cleanup_free char *hint = NULL;

			if (r->kind != kinds[k])
				continue;
			if (idmap_subid_allows(&allowed, uid, r->host, r->count)) {
				say("OK", NULL, "%s: %c %llu %llu %llu allowed for %s", a->subid[k],
				    r->kind, (unsigned long long)r->ns, (unsigned long long)r->host,
				    (unsigned long long)r->count, user);
				continue;
			}
			if (asprintf(&hint, "add this line to %s: %s:%llu:%llu", a->subid[k], user,
				     (unsigned long long)r->host, (unsigned long long)r->count) < 0)
				hint = NULL;
			say("FAIL", hint,
			    "%s: %c %llu %llu %llu not allowed for %s: newuidmap will refuse it",
			    a->subid[k], r->kind, (unsigned long long)r->ns,
			    (unsigned long long)r->host, (unsigned long long)r->count, user);
			bad = 1;
		}
	}
	return bad;
}

static int check_rootfs(const char *rootfs, const struct idmap *m, const char *who)
{
	uint64_t uid, gid;
	struct stat st;
	char hint[600];

	if (!rootfs) {
		say("WARN", "give --rootfs DIR", "rootfs: unknown, its owner is not checked");
		return 0;
	}
	if (stat(rootfs, &st) < 0) {
		say("FAIL", NULL, "rootfs %s: %s", rootfs, strerror(errno));
		return 1;
	}
	if (!idmap_to_host(m, 'u', 0, &uid) || !idmap_to_host(m, 'g', 0, &gid))
		return 1; /* reported by the map check */
	if (st.st_uid == uid && st.st_gid == gid) {
		say("OK", NULL, "rootfs %s: owned by %llu:%llu, the container's root", rootfs,
		    (unsigned long long)uid, (unsigned long long)gid);
		return 0;
	}
	snprintf(hint, sizeof(hint), "shift it: ctlaunch idmap %s --chown-rootfs", who);
	say("FAIL", hint,
	    "rootfs %s: owned by %u:%u, but the container's root is host %llu:%llu and cannot "
	    "use it",
	    rootfs, (unsigned)st.st_uid, (unsigned)st.st_gid, (unsigned long long)uid,
	    (unsigned long long)gid);
	return 1;
}

static int run_checks(const struct args *a, const struct idmap *m, const char *rootfs)
{
	cleanup_error struct ct_error *err = NULL;
	cleanup_free char *who = NULL;
	uint64_t root = 0;
	int bad, rc;

	if (m->n == 0) {
		say("OK", NULL, "id map: none: no user namespace, container root is host root");
		return 0;
	}
	if (idmap_check(m, a->host_root, &err) < 0) {
		say("FAIL", err->hint, "%s", err->msg);
		return 1;
	}
	idmap_to_host(m, 'u', 0, &root);
	say("OK", NULL,
	    "id map: %zu uid and %zu gid ranges, no overlap, container root is host uid %llu",
	    idmap_count(m, 'u'), idmap_count(m, 'g'), (unsigned long long)root);
	bad = check_subid(a, m);
	if (a->name)
		rc = asprintf(&who, "-n %s", a->name);
	else if (a->file)
		rc = asprintf(&who, "-f %s", a->file);
	else
		rc = asprintf(&who, "--rootfs %s", rootfs ? rootfs : "DIR");
	if (rc < 0)
		return 1;
	bad |= check_rootfs(rootfs, m, who);
	return bad;
}

static int do_chown(const char *rootfs, const struct idmap *m)
{
	cleanup_error struct ct_error *err = NULL;
	struct setup_shift_stats st = { 0 };

	if (!rootfs) {
		ct_error_set(&err, EINVAL, "--chown-rootfs: the config names no rootfs");
		return ctl_fail(err, CTL_EXIT_FAIL);
	}
	if (idmap_check(m, true, &err) < 0 || setup_shift_rootfs(rootfs, m, &st, &err) < 0)
		return ctl_fail(err, CTL_EXIT_FAIL);
	printf("rootfs %s: %zu of %zu entries shifted onto the map", rootfs, st.changed, st.total);
	if (st.unmapped)
		printf(", %zu left alone (ids without a mapping)", st.unmapped);
	printf("\n");
	return 0;
}

static bool drop_idmap(const char *key, const char *value, void *data)
{
	(void)value;
	(void)data;
	return setup_is_idmap_key(key);
}

static int do_apply(const char *path, const struct idmap *m, bool foreign)
{
	cleanup_error struct ct_error *err = NULL;
	cleanup_strbuf struct strbuf sb = STRBUF_INIT;
	bool changed;

	if (foreign) {
		ct_error_set(&err, EINVAL,
			     "applying the map to %s: some lxc.idmap lines come from an included "
			     "file, which --apply does not edit",
			     path);
		ct_error_hint(&err, -1, "move them into %s, or edit the included file", path);
		return ctl_fail(err, CTL_EXIT_FAIL);
	}
	idmap_format(m, &sb);
	strbuf_puts(&sb, "");
	if (sb.oom)
		return ctl_fail(NULL, CTL_EXIT_FAIL);
	if (setup_conf_edit(path, drop_idmap, NULL, sb.s, &changed, &err) < 0)
		return ctl_fail(err, CTL_EXIT_FAIL);
	if (changed)
		printf("%s: lxc.idmap lines replaced by:\n%s", path, sb.s);
	else
		printf("%s: the id map is already this one, nothing changed\n", path);
	return 0;
}

static int load_config(struct ctl *g, const struct args *a, char **ret_path,
		       struct lxc_config **ret_conf, struct ct_error **err)
{
	struct lxcconf_opts o = { .diag = &g->diag };

	if (a->name && ctl_settings(g, err) < 0)
		return -1;
	if (setup_find_config(g->settings, a->name, a->file, ret_path, err) < 0)
		return -1;
	return lxcconf_parse_file(*ret_path, &o, ret_conf, err);
}

int cmd_idmap(struct ctl *g, int argc, char **argv)
{
	cleanup_error struct ct_error *err = NULL;
	cleanup_lxcconf struct lxc_config *conf = NULL;
	cleanup_idmap struct idmap cur = { 0 };
	cleanup_idmap struct idmap m = { 0 };
	cleanup_free char *path = NULL;
	cleanup_free char *rootfs = NULL;
	struct args a = { 0 };
	bool foreign = false, changed;
	int rc = parse_args(g, argc, argv, &a);

	if (rc)
		return rc < 0 ? CTL_EXIT_OK : rc;
	if (a.name || a.file) {
		if (load_config(g, &a, &path, &conf, &err) < 0 ||
		    setup_conf_idmap(conf, &cur, &foreign, &err) < 0 ||
		    setup_conf_rootfs(conf, &rootfs, &err) < 0)
			return ctl_fail(err, CTL_EXIT_FAIL);
	}
	if (a.rootfs) {
		free(rootfs);
		rootfs = strdup(a.rootfs);
	}
	if (build_map(&a, &cur, &m, &changed, &err) < 0)
		return ctl_fail(err, CTL_EXIT_FAIL);
	if (a.apply) {
		if (idmap_check(&m, a.host_root, &err) < 0) {
			ct_error_prefix(&err, -1, "refusing to apply the map");
			return ctl_fail(err, CTL_EXIT_FAIL);
		}
		if ((rc = do_apply(path, &m, foreign)))
			return rc;
	} else if (changed || !path) {
		cleanup_strbuf struct strbuf sb = STRBUF_INIT;

		idmap_format(&m, &sb);
		strbuf_puts(&sb, "");
		fputs(sb.s ? sb.s : "", stdout);
	}
	if (a.chown && (rc = do_chown(rootfs, &m)))
		return rc;
	if (a.check || (path && !changed && !a.chown && !a.apply))
		return run_checks(&a, &m, rootfs) ? CTL_EXIT_FAIL : CTL_EXIT_OK;
	return CTL_EXIT_OK;
}
