/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lxc.net.N.* <-> the network namespace decision plus one annotation per interface.
 *
 * OCI has no network devices: an OCI runtime leaves networking to hooks. What LXC's keys decide
 * is whether the container gets its own network namespace, and that is the namespace family's
 * (map_namespace.c): every interface of type none means the host's network (no network
 * namespace); no lxc.net at all, or type empty, means a new namespace with loopback only.
 *
 * The devices themselves travel, exactly, in one annotation per interface:
 *   org.ctlaunch.net.N = "type=veth\nlink=lxcbr0\nflags=up\nhwaddr=00:16:3e:xx:xx:xx"
 * one SUBKEY=VALUE line per lxc.net.N.SUBKEY entry, in file order (list keys such as
 * ipv4.address repeat). oci2lxc writes them back as lxc.net.N.SUBKEY lines, N ascending.
 * The one case without annotation: a lone "lxc.net.0.type = none", no network namespace and
 * no lxc.namespace.clone/keep, which is what oci2lxc writes for a config.json without a
 * network namespace.
 * Values are checked as liblxc checks them (loading, or starting for mtu and addresses). */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "families.h"
#include "jsonutil.h"
#include "map_ns.h"
#include "strbuf.h"

#define NET_PREFIX "lxc.net."
/* Not under CT_ANNOT_LXC: map_annot would read "org.ctlaunch.lxc.net.0" back as a key
 * "lxc.net.0". */
#define ANNOT_NET "org.ctlaunch.net."
#define NS_PTR "/linux/namespaces"
#define MAX_NETDEVS 1024
#define IFNAMSIZ_LXC 16

typedef int (*check_fn)(const char *value);

static int check_type(const char *v)
{
	static const char *const types[] = { "empty",  "none", "veth", "macvlan",
					     "ipvlan", "vlan", "phys" };

	for (size_t i = 0; i < CT_ARRAY_SIZE(types); i++)
		if (strcmp(types[i], v) == 0)
			return 0;
	return -EINVAL;
}

static int check_any(const char *v)
{
	(void)v;
	return 0;
}

static int check_ifname(const char *v)
{
	return strlen(v) < IFNAMSIZ_LXC ? 0 : -ENAMETOOLONG;
}

static int check_uint(const char *v)
{
	char *end;
	unsigned long n;

	if (!isdigit((unsigned char)*v))
		return -EINVAL;
	errno = 0;
	n = strtoul(v, &end, 10);
	return (errno || *end || n > 0xffffffffUL) ? -EINVAL : 0;
}

static int check_u16(const char *v)
{
	return check_uint(v) == 0 && strtoul(v, NULL, 10) <= 0xffff ? 0 : -EINVAL;
}

/* 6 pairs of hex digits separated by ':'; 'x' or 'X' stand for a digit liblxc draws. */
static int check_hwaddr(const char *v)
{
	if (strlen(v) != 17)
		return -EINVAL;
	for (int i = 0; i < 17; i++) {
		bool sep = i % 3 == 2;

		if (sep ? v[i] != ':'
			: !(isxdigit((unsigned char)v[i]) || v[i] == 'x' || v[i] == 'X'))
			return -EINVAL;
	}
	return 0;
}

static int check_prefixed(const char *v, int af, unsigned maxprefix, bool bcast)
{
	cleanup_free char *copy = strdup(v);
	unsigned char buf[sizeof(struct in6_addr)];
	char *slash, *sp;

	if (!copy)
		return -ENOMEM;
	sp = bcast ? strchr(copy, ' ') : NULL;
	if (sp) {
		*sp++ = '\0';
		if (inet_pton(af, sp, buf) != 1)
			return -EINVAL;
	}
	slash = strchr(copy, '/');
	if (slash) {
		*slash++ = '\0';
		if (check_uint(slash) < 0 || strtoul(slash, NULL, 10) > maxprefix)
			return -EINVAL;
	}
	return inet_pton(af, copy, buf) == 1 ? 0 : -EINVAL;
}

static int check_ipv4(const char *v)
{
	return check_prefixed(v, AF_INET, 32, true);
}

static int check_ipv6(const char *v)
{
	return check_prefixed(v, AF_INET6, 128, false);
}

static int check_gw4(const char *v)
{
	unsigned char buf[sizeof(struct in_addr)];

	return strcmp(v, "auto") == 0 || strcmp(v, "dev") == 0 || inet_pton(AF_INET, v, buf) == 1
		       ? 0
		       : -EINVAL;
}

static int check_gw6(const char *v)
{
	unsigned char buf[sizeof(struct in6_addr)];

	return strcmp(v, "auto") == 0 || strcmp(v, "dev") == 0 || inet_pton(AF_INET6, v, buf) == 1
		       ? 0
		       : -EINVAL;
}

static int check_macvlan_mode(const char *v)
{
	return strcmp(v, "private") && strcmp(v, "vepa") && strcmp(v, "bridge") &&
			       strcmp(v, "passthru")
		       ? -EINVAL
		       : 0;
}

static int check_ipvlan_mode(const char *v)
{
	return strcmp(v, "l3") && strcmp(v, "l3s") && strcmp(v, "l2") ? -EINVAL : 0;
}

static int check_ipvlan_isolation(const char *v)
{
	return strcmp(v, "bridge") && strcmp(v, "private") && strcmp(v, "vepa") ? -EINVAL : 0;
}

static int check_veth_mode(const char *v)
{
	return strcmp(v, "bridge") && strcmp(v, "router") ? -EINVAL : 0;
}

static int check_01(const char *v)
{
	return strcmp(v, "0") && strcmp(v, "1") ? -EINVAL : 0;
}

/* liblxc's subkeys; type: the interface type the key needs (set on an earlier line). */
static const struct subkey {
	const char *name;
	check_fn check;
	const char *type;
	const char *want; /* for the hint */
} subkeys[] = {
	{ "flags", check_any, NULL, NULL },
	{ "hwaddr", check_hwaddr, NULL, "six ':'-separated hex pairs, x for random digits" },
	{ "ipv4.address", check_ipv4, NULL, "ADDRESS[/PREFIX] [BROADCAST]" },
	{ "ipv4.gateway", check_gw4, NULL, "an IPv4 address, auto or dev" },
	{ "ipv6.address", check_ipv6, NULL, "ADDRESS[/PREFIX]" },
	{ "ipv6.gateway", check_gw6, NULL, "an IPv6 address, auto or dev" },
	{ "l2proxy", check_01, NULL, "0 or 1" },
	{ "link", check_ifname, NULL, "an interface name of at most 15 characters" },
	{ "macvlan.mode", check_macvlan_mode, "macvlan", "private, vepa, bridge or passthru" },
	{ "ipvlan.mode", check_ipvlan_mode, "ipvlan", "l3, l3s or l2" },
	{ "ipvlan.isolation", check_ipvlan_isolation, "ipvlan", "bridge, private or vepa" },
	{ "mtu", check_uint, NULL, "a decimal number" },
	{ "name", check_ifname, NULL, "an interface name of at most 15 characters" },
	{ "script.down", check_any, NULL, NULL },
	{ "script.up", check_any, NULL, NULL },
	{ "type", check_type, NULL, "empty, none, veth, macvlan, ipvlan, vlan or phys" },
	{ "vlan.id", check_u16, "vlan", "a number up to 65535" },
	{ "veth.mode", check_veth_mode, "veth", "bridge or router" },
	{ "veth.n_rxqueues", check_uint, "veth", "a decimal number" },
	{ "veth.n_txqueues", check_uint, "veth", "a decimal number" },
	{ "veth.pair", check_ifname, NULL, "an interface name of at most 15 characters" },
	{ "veth.ipv4.route", check_any, "veth", NULL },
	{ "veth.ipv6.route", check_any, "veth", NULL },
	{ "veth.vlan.id", check_any, "veth", NULL },
	{ "veth.vlan.tagged.id", check_any, "veth", NULL },
};

static const struct subkey *find_subkey(const char *name)
{
	for (size_t i = 0; i < CT_ARRAY_SIZE(subkeys); i++)
		if (strcmp(subkeys[i].name, name) == 0)
			return &subkeys[i];
	return NULL;
}

/* "lxc.net.N.SUB" -> N and SUB; -1 when the key has no such form. */
static int split_key(const char *key, unsigned *ret_idx, const char **ret_sub)
{
	const char *p = key + strlen(NET_PREFIX);
	char *end;
	unsigned long n;

	if (!isdigit((unsigned char)*p))
		return -1;
	errno = 0;
	n = strtoul(p, &end, 10);
	if (errno || *end != '.' || !end[1] || n >= MAX_NETDEVS)
		return -1;
	*ret_idx = (unsigned)n;
	*ret_sub = end + 1;
	return 0;
}

/* The interfaces of a config, by index, in order of first appearance. */
struct netdevs {
	unsigned idx[MAX_NETDEVS];
	size_t n;
	const char *type[MAX_NETDEVS]; /* last type, by index */
	size_t nentries;
};

static int slot(struct netdevs *d, unsigned idx)
{
	for (size_t k = 0; k < d->n; k++)
		if (d->idx[k] == idx)
			return (int)k;
	d->idx[d->n] = idx;
	d->type[d->n] = NULL;
	return (int)d->n++;
}

static int check_entry(const struct lxc_entry *e, struct netdevs *d, struct ct_error **err)
{
	const struct subkey *sk;
	const char *sub, *type;
	unsigned idx;

	if (split_key(e->key, &idx, &sub) < 0)
		return ct_error_hint(err,
				     ct_error_entry(err, e,
						    "reading a network interface: "
						    "expected lxc.net.N.SUBKEY"),
				     "number the interfaces: lxc.net.0.type, lxc.net.1.type, ...");
	sk = find_subkey(sub);
	if (!sk)
		return ct_error_entry(err, e, "reading a network interface: unknown key \"%s\"",
				      sub);
	if (sk->check(e->value) < 0)
		return ct_error_hint(err,
				     ct_error_entry(err, e,
						    "reading a network interface: "
						    "bad value \"%s\"",
						    e->value),
				     "expected %s", sk->want ? sk->want : "a value");
	type = d->type[slot(d, idx)];
	if (sk->type && (!type || strcmp(type, sk->type) != 0))
		return ct_error_hint(err,
				     ct_error_entry(err, e,
						    "reading a network interface: "
						    "%s needs type %s",
						    sub, sk->type),
				     "set lxc.net.%u.type = %s on an earlier line", idx, sk->type);
	if (strcmp(sub, "type") == 0)
		d->type[slot(d, idx)] = e->value;
	d->nentries++;
	return 0;
}

static int scan(const struct lxc_config *conf, struct netdevs *d, struct ct_error **err)
{
	const struct lxc_entry *e;
	size_t i;

	d->n = 0; /* slot() clears each entry it hands out */
	d->nentries = 0;
	for (i = 0; (e = lxcconf_next(conf, NET_PREFIX, true, &i)); i++) {
		int rc = check_entry(e, d, err);

		if (rc < 0)
			return rc;
	}
	return 0;
}

static bool all_none(const struct netdevs *d)
{
	if (!d->n)
		return false;
	for (size_t k = 0; k < d->n; k++)
		if (!d->type[k] || strcmp(d->type[k], "none") != 0)
			return false;
	return true;
}

bool map_net_is_none(const struct lxc_config *conf)
{
	struct netdevs d; /* 12 KiB, as net_to_lxc's tables: no allocation per translation */

	return scan(conf, &d, NULL) == 0 && all_none(&d);
}

static bool has_netns(json_t *oci)
{
	/* NS_PTR's members, without the walk */
	json_t *list = json_object_get(json_object_get(oci, "linux"), "namespaces"), *e;
	size_t k;

	json_array_foreach (list, k, e)
		if (strcmp(json_string_value(json_object_get(e, "type")) ?: "", "network") == 0)
			return true;
	return false;
}

static int device_to_oci(struct ct_ctx *ctx, unsigned idx, struct ct_error **err)
{
	struct strbuf sb = STRBUF_INIT;
	cleanup_free char *ptr = NULL, *value = NULL;
	const struct lxc_entry *e;
	const char *sub;
	unsigned n;
	size_t i;

	for (i = 0; (e = lxcconf_next(ctx->lxc, NET_PREFIX, true, &i)); i++) {
		if (split_key(e->key, &n, &sub) < 0 || n != idx)
			continue;
		strbuf_printf(&sb, "%s%s=%s", sb.len ? "\n" : "", sub, e->value);
		ct_use(ctx, i);
	}
	value = strbuf_steal(&sb);
	if (!value || asprintf(&ptr, "/annotations/" ANNOT_NET "%u", idx) < 0) {
		ptr = NULL;
		return ct_error_set(err, ENOMEM, "out of memory");
	}
	return ct_json_set(ctx->oci, ptr, ct_json_str(value), err);
}

static int net_to_oci(struct ct_ctx *ctx, struct ct_error **err)
{
	struct netdevs devs, *d = &devs;
	size_t i;
	int rc;

	rc = scan(ctx->lxc, d, err);
	if (rc < 0)
		return rc;
	/* The lone "type = none" oci2lxc writes for "no network namespace". */
	if (d->nentries == 1 && d->n == 1 && d->idx[0] == 0 && all_none(d) &&
	    !has_netns(ctx->oci) && !lxcconf_get(ctx->lxc, "lxc.namespace.clone") &&
	    !lxcconf_get(ctx->lxc, "lxc.namespace.keep")) {
		i = 0;
		if (lxcconf_next(ctx->lxc, NET_PREFIX, true, &i))
			ct_use(ctx, i);
		return 0;
	}
	for (size_t k = 0; k < d->n; k++) {
		rc = device_to_oci(ctx, d->idx[k], err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- OCI -> LXC ---- */

/* The index of an annotation org.ctlaunch.net.N, or -1. */
static int annot_index(const char *name)
{
	const char *p;
	char *end;
	unsigned long n;

	if (strncmp(name, ANNOT_NET, strlen(ANNOT_NET)) != 0)
		return -1;
	p = name + strlen(ANNOT_NET);
	if (!isdigit((unsigned char)*p))
		return -1;
	errno = 0;
	n = strtoul(p, &end, 10);
	return (errno || *end || n >= MAX_NETDEVS) ? -1 : (int)n;
}

/* The last type= line of an annotation value. */
static bool annot_is_none(const char *v)
{
	const char *type = NULL;

	for (const char *l = v; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (strncmp(l, "type=", 5) == 0)
			type = l + 5;
	return type && strncmp(type, "none", 4) == 0 && (type[4] == '\0' || type[4] == '\n');
}

bool map_net_is_none_oci(json_t *oci)
{
	json_t *annots = json_object_get(oci, "annotations");
	bool any = false, none = true;
	const char *name;
	json_t *v;

	json_object_foreach (annots, name, v) {
		if (annot_index(name) < 0)
			continue;
		any = true;
		none = none && json_is_string(v) && annot_is_none(json_string_value(v));
	}
	return any ? none : !has_netns(oci);
}

static int write_device(struct ct_ctx *ctx, unsigned idx, const char *name, const char *value,
			struct ct_error **err)
{
	cleanup_free char *copy = strdup(value);
	char *save = NULL;

	if (!copy)
		return ct_error_set(err, ENOMEM, "out of memory");
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		cleanup_free char *key = NULL;
		char *eq = strchr(l, '=');
		int rc;

		if (!eq || eq == l || !eq[1])
			return ct_error_hint(err,
					     ct_error_set(err, 0,
							  "/annotations/%s: line \"%s\" "
							  "is not SUBKEY=VALUE",
							  name, l),
					     "write one lxc.net.%u SUBKEY=VALUE per line", idx);
		*eq = '\0';
		if (asprintf(&key, NET_PREFIX "%u.%s", idx, l) < 0) {
			key = NULL;
			return ct_error_set(err, ENOMEM, "out of memory");
		}
		rc = lxcconf_add(ctx->lxc, key, eq + 1, NULL, 0, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int net_to_lxc(struct ct_ctx *ctx, struct ct_error **err)
{
	json_t *annots = ct_json_get(ctx->oci, "/annotations");
	const char *found[MAX_NETDEVS] = { NULL };
	const char *names[MAX_NETDEVS] = { NULL };
	bool any = false;
	const char *name;
	json_t *v;

	json_object_foreach (annots, name, v) {
		int idx = annot_index(name);

		if (idx < 0)
			continue;
		if (!json_is_string(v))
			return ct_error_set(err, 0, "/annotations/%s: expected a string", name);
		found[idx] = json_string_value(v);
		names[idx] = name;
		any = true;
	}
	if (!any) {
		/* clone or keep, when written, already leave the network namespace out */
		if (has_netns(ctx->oci) || lxcconf_get(ctx->lxc, "lxc.namespace.clone") ||
		    lxcconf_get(ctx->lxc, "lxc.namespace.keep"))
			return 0;
		return lxcconf_add(ctx->lxc, NET_PREFIX "0.type", "none", NULL, 0, err);
	}
	if (!has_netns(ctx->oci) && !map_net_is_none_oci(ctx->oci)) {
		int rc = ct_warn_oci(ctx, err, NS_PTR,
				     "there is no network namespace but the "
				     "interface annotations describe devices; the LXC container "
				     "will get a network namespace");
		if (rc < 0)
			return rc;
	}
	for (unsigned idx = 0; idx < MAX_NETDEVS; idx++) {
		int rc;

		if (!found[idx])
			continue;
		rc = write_device(ctx, idx, names[idx], found[idx], err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static const struct ct_doc_row net_doc[] = {
	{ "lxc.net.N.type", "linux.namespaces[type=network]",
	  "none on every interface: no network namespace (the host's); empty or no lxc.net: a "
	  "new namespace with loopback only; oci2lxc writes lxc.net.0.type = none when "
	  "config.json has no network namespace" },
	{ "lxc.net.N.*", "annotations[org.ctlaunch.net.N]",
	  "the interface's SUBKEY=VALUE lines in file order, joined with \"\\n\"; OCI runtimes "
	  "do not create devices (use hooks)" },
	{ NULL, NULL, NULL },
};

const struct ct_family ct_family_net = {
	.name = "net",
	.to_oci = net_to_oci,
	.to_lxc = net_to_lxc,
	.doc = net_doc,
};
