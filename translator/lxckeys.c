/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The configuration keys of liblxc 5.0 (the jump tables of its confile.c, checked against
 * python3-lxc's get_keys() and lxc.container.conf(5)), and the pre-3.0 spellings that
 * lxc-update-config rewrites. */
#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "lxckeys.h"

/* Keys longer than this are unknown (liblxc bounds subkeys at 256 bytes as well). */
#define MAX_KEY_LEN 256
/* Keys longer than this get no suggestion (the edit distance is quadratic). */
#define MAX_SUGGEST_LEN 128

#define S(n)                               \
	{                                  \
		n, false, LXCKEY_SCALAR, 0 \
	}
#define L(n)                             \
	{                                \
		n, false, LXCKEY_LIST, 0 \
	}
#define C(n)                                               \
	{                                                  \
		n, false, LXCKEY_SCALAR, LXCKEY_CLEAR_ONLY \
	}
#define PS(n)                             \
	{                                 \
		n, true, LXCKEY_SCALAR, 0 \
	}
#define PL(n)                           \
	{                               \
		n, true, LXCKEY_LIST, 0 \
	}

/* Sorted by name (strcmp): exact keys are found with bsearch, families by looking the key's
 * dotted prefixes up from the longest. Kinds follow liblxc's setters: LIST keys append (or OR
 * flags in, as lxc.mount.auto and lxc.namespace.clone do), SCALAR keys replace. */
static const struct lxckey keys[] = {
	S("lxc.apparmor.allow_incomplete"),
	S("lxc.apparmor.allow_nesting"),
	S("lxc.apparmor.profile"),
	L("lxc.apparmor.raw"),
	S("lxc.arch"),
	S("lxc.autodev"),
	S("lxc.autodev.tmpfs.size"),
	L("lxc.cap.drop"),
	L("lxc.cap.keep"),
	C("lxc.cgroup"),
	PL("lxc.cgroup."),
	S("lxc.cgroup.dir"),
	S("lxc.cgroup.dir.container"),
	S("lxc.cgroup.dir.container.inner"),
	S("lxc.cgroup.dir.monitor"),
	S("lxc.cgroup.dir.monitor.pivot"),
	S("lxc.cgroup.relative"),
	C("lxc.cgroup2"),
	PL("lxc.cgroup2."),
	S("lxc.console.buffer.size"),
	S("lxc.console.logfile"),
	S("lxc.console.path"),
	S("lxc.console.rotate"),
	S("lxc.console.size"),
	L("lxc.environment"),
	S("lxc.ephemeral"),
	S("lxc.execute.cmd"),
	L("lxc.group"),
	C("lxc.hook"),
	L("lxc.hook.autodev"),
	L("lxc.hook.clone"),
	L("lxc.hook.destroy"),
	L("lxc.hook.mount"),
	L("lxc.hook.post-stop"),
	L("lxc.hook.pre-mount"),
	L("lxc.hook.pre-start"),
	L("lxc.hook.start"),
	L("lxc.hook.start-host"),
	L("lxc.hook.stop"),
	S("lxc.hook.version"),
	L("lxc.idmap"),
	L("lxc.include"),
	S("lxc.init.cmd"),
	S("lxc.init.cwd"),
	S("lxc.init.gid"),
	L("lxc.init.groups"),
	S("lxc.init.uid"),
	S("lxc.keyring.session"),
	S("lxc.log.file"),
	S("lxc.log.level"),
	S("lxc.log.syslog"),
	S("lxc.monitor.signal.pdeath"),
	S("lxc.monitor.unshare"),
	L("lxc.mount.auto"),
	L("lxc.mount.entry"),
	S("lxc.mount.fstab"),
	L("lxc.namespace.clone"),
	L("lxc.namespace.keep"),
	PS("lxc.namespace.share."),
	C("lxc.net"),
	PS("lxc.net."),
	S("lxc.no_new_privs"),
	C("lxc.prlimit"),
	PS("lxc.prlimit."),
	C("lxc.proc"),
	PL("lxc.proc."),
	S("lxc.pty.max"),
	S("lxc.rootfs.managed"),
	S("lxc.rootfs.mount"),
	S("lxc.rootfs.options"),
	S("lxc.rootfs.path"),
	S("lxc.sched.core"),
	S("lxc.seccomp.allow_nesting"),
	S("lxc.seccomp.notify.cookie"),
	S("lxc.seccomp.notify.proxy"),
	S("lxc.seccomp.profile"),
	S("lxc.selinux.context"),
	S("lxc.selinux.context.keyring"),
	S("lxc.signal.halt"),
	S("lxc.signal.reboot"),
	S("lxc.signal.stop"),
	S("lxc.start.auto"),
	S("lxc.start.delay"),
	S("lxc.start.order"),
	C("lxc.sysctl"),
	PS("lxc.sysctl."),
	S("lxc.time.offset.boot"),
	S("lxc.time.offset.monotonic"),
	S("lxc.tty.dir"),
	S("lxc.tty.max"),
	S("lxc.uts.name"),
};

/* lxc.net.N.<subkey>, sorted by subkey. */
static const struct lxckey net_keys[] = {
	PS("flags"),
	PS("hwaddr"),
	PL("ipv4.address"),
	PS("ipv4.gateway"),
	PL("ipv6.address"),
	PS("ipv6.gateway"),
	PS("ipvlan.isolation"),
	PS("ipvlan.mode"),
	PS("l2proxy"),
	PS("link"),
	PS("macvlan.mode"),
	PS("mtu"),
	PS("name"),
	PS("script.down"),
	PS("script.up"),
	PS("type"),
	PL("veth.ipv4.route"),
	PL("veth.ipv6.route"),
	PS("veth.mode"),
	PS("veth.n_rxqueues"),
	PS("veth.n_txqueues"),
	PS("veth.pair"),
	PS("veth.vlan.id"),
	PL("veth.vlan.tagged.id"),
	PS("vlan.id"),
};

/* "lxc.net.N" alone: an empty value removes interface N. */
static const struct lxckey net_bare = { "lxc.net.N", true, LXCKEY_SCALAR, LXCKEY_CLEAR_ONLY };

#undef S
#undef L
#undef C
#undef PS
#undef PL

/* Namespaces lxc.namespace.share.<ns> accepts. */
static const char *const share_ns[] = {
	"cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts"
};

/* Sorted by name. lxc.network.* is handled by lxckey_modernize itself. */
static const struct lxckey_legacy legacy[] = {
	{ "lxc.aa_allow_incomplete", "lxc.apparmor.allow_incomplete", false },
	{ "lxc.aa_profile", "lxc.apparmor.profile", false },
	{ "lxc.console", "lxc.console.path", false },
	{ "lxc.devttydir", "lxc.tty.dir", false },
	{ "lxc.haltsignal", "lxc.signal.halt", false },
	{ "lxc.id_map", "lxc.idmap", false },
	{ "lxc.init_cmd", "lxc.init.cmd", false },
	{ "lxc.init_gid", "lxc.init.gid", false },
	{ "lxc.init_uid", "lxc.init.uid", false },
	{ "lxc.kmsg", NULL, false },
	{ "lxc.limit", "lxc.prlimit", false },
	{ "lxc.limit.", "lxc.prlimit.", true },
	{ "lxc.logfile", "lxc.log.file", false },
	{ "lxc.loglevel", "lxc.log.level", false },
	{ "lxc.mount", "lxc.mount.fstab", false },
	{ "lxc.network", "lxc.net", false },
	{ "lxc.pivotdir", NULL, false },
	{ "lxc.pts", "lxc.pty.max", false },
	{ "lxc.rebootsignal", "lxc.signal.reboot", false },
	{ "lxc.rootfs", "lxc.rootfs.path", false },
	{ "lxc.rootfs.backend", NULL, false },
	{ "lxc.se_context", "lxc.selinux.context", false },
	{ "lxc.seccomp", "lxc.seccomp.profile", false },
	{ "lxc.stopsignal", "lxc.signal.stop", false },
	{ "lxc.syslog", "lxc.log.syslog", false },
	{ "lxc.tty", "lxc.tty.max", false },
	{ "lxc.utsname", "lxc.uts.name", false },
};

/* Legacy network subkeys whose modern name differs. */
static const struct {
	const char *old, *modern;
} legacy_net[] = {
	{ "ipv4", "ipv4.address" },
	{ "ipv6", "ipv6.address" },
};

static int cmp_key(const void *a, const void *b)
{
	return strcmp((const char *)a, ((const struct lxckey *)b)->name);
}

static const struct lxckey *find(const struct lxckey *tab, size_t n, const char *name)
{
	return bsearch(name, tab, n, sizeof(*tab), cmp_key);
}

/* A loop rather than strncmp(s, prefix, strlen(prefix)): called for every key, and keys differ
 * from the prefix within a few characters. */
static bool starts_with(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return false;
	return true;
}

/* Parse the decimal index after "lxc.net." (or "lxc.network."): returns the index and sets
 * *ret_end to the character after it, or -1. */
static int parse_index(const char *s, const char **ret_end)
{
	long v = 0;
	const char *p = s;

	if (!isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		v = v * 10 + (*p - '0');
		if (v >= LXCKEY_MAX_NET_INDEX)
			return -1;
	}
	*ret_end = p;
	return (int)v;
}

int lxckey_net_index(const char *key)
{
	const char *end;
	int idx;

	if (!starts_with(key, "lxc.net."))
		return -1;
	idx = parse_index(key + strlen("lxc.net."), &end);
	if (idx < 0 || (*end != '\0' && *end != '.'))
		return -1;
	return idx;
}

static const struct lxckey *lookup_net(const char *key)
{
	const char *end;

	if (parse_index(key + strlen("lxc.net."), &end) < 0)
		return NULL;
	if (*end == '\0')
		return &net_bare;
	if (*end != '.')
		return NULL;
	return find(net_keys, CT_ARRAY_SIZE(net_keys), end + 1);
}

/* Is sub a valid member of the family row fam? */
static bool family_member_ok(const struct lxckey *fam, const char *sub)
{
	if (*sub == '\0')
		return false;
	if (strcmp(fam->name, "lxc.namespace.share.") == 0) {
		for (size_t i = 0; i < CT_ARRAY_SIZE(share_ns); i++)
			if (strcmp(sub, share_ns[i]) == 0)
				return true;
		return false;
	}
	return true;
}

/* The rows of keys[] by name: a hash table built once, so that a lookup costs a hash and a
 * comparison instead of a binary search of strcmp calls, and a family lookup (one per dot of
 * the key) needs no copy of the key. */
#define HASH_SLOTS 512 /* a power of two, over twice the rows */

_Static_assert(2 * CT_ARRAY_SIZE(keys) <= HASH_SLOTS, "the key hash table is too small");

static uint16_t hash_rows[HASH_SLOTS]; /* row index + 1; 0: free */
static uint8_t row_len[CT_ARRAY_SIZE(keys)];
static pthread_once_t hash_once = PTHREAD_ONCE_INIT;

static uint32_t name_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	while (n--)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static void build_hash(void)
{
	for (size_t r = 0; r < CT_ARRAY_SIZE(keys); r++) {
		size_t n = strlen(keys[r].name);
		uint32_t i = name_hash(keys[r].name, n) & (HASH_SLOTS - 1);

		row_len[r] = (uint8_t)n;
		while (hash_rows[i])
			i = (i + 1) & (HASH_SLOTS - 1);
		hash_rows[i] = (uint16_t)(r + 1);
	}
}

/* The row named exactly s[0..n), or NULL. */
static const struct lxckey *find_row(const char *s, size_t n)
{
	for (uint32_t i = name_hash(s, n) & (HASH_SLOTS - 1); hash_rows[i];
	     i = (i + 1) & (HASH_SLOTS - 1)) {
		size_t r = hash_rows[i] - 1u;

		if (row_len[r] == n && memcmp(keys[r].name, s, n) == 0)
			return &keys[r];
	}
	return NULL;
}

const struct lxckey *lxckey_lookup(const char *key)
{
	const struct lxckey *row;
	size_t len = strnlen(key, MAX_KEY_LEN + 1);

	if (len > MAX_KEY_LEN || !starts_with(key, "lxc."))
		return NULL;
	pthread_once(&hash_once, build_hash);
	row = find_row(key, len);
	if (row && !row->prefix)
		return row;
	if (starts_with(key, "lxc.net."))
		return lookup_net(key);
	/* Longest family prefix: cut after each dot, from the right. */
	for (size_t i = len; i-- > 0;) {
		if (key[i] != '.')
			continue;
		row = find_row(key, i + 1);
		if (row && row->prefix)
			return family_member_ok(row, key + i + 1) ? row : NULL;
	}
	return NULL;
}

static const char *copy_out(const char *s1, const char *s2, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s%s", s1, s2);

	return n < 0 || (size_t)n >= size ? NULL : buf;
}

const char *lxckey_modernize_net(const char *sub, unsigned idx, char *buf, size_t size)
{
	char prefix[32];
	const char *modern = NULL;

	for (size_t i = 0; i < CT_ARRAY_SIZE(legacy_net); i++)
		if (strcmp(sub, legacy_net[i].old) == 0)
			modern = legacy_net[i].modern;
	if (!modern && find(net_keys, CT_ARRAY_SIZE(net_keys), sub))
		modern = sub;
	if (!modern || idx >= LXCKEY_MAX_NET_INDEX)
		return NULL;
	snprintf(prefix, sizeof(prefix), "lxc.net.%u.", idx);
	return copy_out(prefix, modern, buf, size);
}

const char *lxckey_unindexed_net(const char *key)
{
	const char *sub;

	if (!starts_with(key, "lxc.network."))
		return NULL;
	sub = key + strlen("lxc.network.");
	if (*sub == '\0' || isdigit((unsigned char)*sub))
		return NULL;
	return sub;
}

static const struct lxckey_legacy *find_legacy(const char *key)
{
	for (size_t i = 0; i < CT_ARRAY_SIZE(legacy); i++) {
		const struct lxckey_legacy *l = &legacy[i];

		if (l->prefix ? starts_with(key, l->name) && key[strlen(l->name)] != '\0'
			      : strcmp(key, l->name) == 0)
			return l;
	}
	return NULL;
}

const char *lxckey_modernize(const char *key, char *buf, size_t size)
{
	const struct lxckey_legacy *l = find_legacy(key);
	const char *sub, *end;
	int idx;

	if (l && !l->modern)
		return NULL;
	if (l && l->prefix)
		return copy_out(l->modern, key + strlen(l->name), buf, size);
	if (l)
		return copy_out(l->modern, "", buf, size);
	sub = lxckey_unindexed_net(key);
	if (sub)
		return lxckey_modernize_net(sub, 0, buf, size);
	if (!starts_with(key, "lxc.network."))
		return NULL;
	idx = parse_index(key + strlen("lxc.network."), &end);
	if (idx < 0)
		return NULL;
	if (*end == '\0')
		return copy_out("lxc.net.", key + strlen("lxc.network."), buf, size);
	if (*end != '.')
		return NULL;
	return lxckey_modernize_net(end + 1, (unsigned)idx, buf, size);
}

bool lxckey_removed(const char *key)
{
	const struct lxckey_legacy *l = find_legacy(key);

	return l && !l->modern;
}

const char *lxckey_canonical(const char *key, char *buf, size_t size)
{
	const char *digits, *end;
	int idx;

	idx = lxckey_net_index(key);
	if (idx < 0)
		return key;
	digits = key + strlen("lxc.net.");
	end = digits + strspn(digits, "0123456789");
	if (end - digits == 1 || digits[0] != '0')
		return key;
	if (snprintf(buf, size, "lxc.net.%d%s", idx, end) >= (int)size)
		return key;
	return buf;
}

bool lxckey_family_clears(const char *bare, const char *key)
{
	size_t n = strlen(bare);
	const struct lxckey *row;

	if (strncmp(key, bare, n) != 0 || key[n] != '.')
		return false;
	row = lxckey_lookup(key);
	/* Exact scalar keys below a family name (lxc.hook.version, lxc.cgroup.dir) are not part
	 * of what the bare key clears. */
	return row && !(!row->prefix && row->kind == LXCKEY_SCALAR);
}

/* Levenshtein distance, or limit + 1 when larger than limit. Both strings are short. */
static size_t distance(const char *a, size_t la, const char *b, size_t lb, size_t limit)
{
	size_t row[MAX_SUGGEST_LEN + 1];

	if (la > MAX_SUGGEST_LEN || lb > MAX_SUGGEST_LEN)
		return limit + 1;
	if ((la > lb ? la - lb : lb - la) > limit)
		return limit + 1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0], best;

		row[0] = i;
		best = row[0];
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t v = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < v)
				v = up + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			row[j] = v;
			diag = up;
			if (v < best)
				best = v;
		}
		if (best > limit)
			return limit + 1;
	}
	return row[lb];
}

/* How far a misspelling may be from a name of that length. */
static size_t allowed(size_t len)
{
	return len < 8 ? 1 : len < 16 ? 2 : 3;
}

struct suggestion {
	char buf[MAX_KEY_LEN + 1];
	size_t best;
	bool found;
};

/* Consider head+tail as the suggestion when key[0..klen) is close to head. */
static void consider(struct suggestion *s, const char *key, size_t klen, const char *head,
		     const char *tail)
{
	size_t hl = strlen(head);
	size_t d = distance(key, klen, head, hl, allowed(hl));

	char buf[MAX_KEY_LEN + 1], modern[MAX_KEY_LEN + 1];

	if (d > allowed(hl) || (s->found && d >= s->best))
		return;
	if (snprintf(buf, sizeof(buf), "%s%s", head, tail) >= (int)sizeof(buf))
		return;
	/* Only a key that would be accepted is worth offering (a legacy name counts: the
	 * caller offers its modern spelling). */
	if (!lxckey_lookup(buf) && !lxckey_modernize(buf, modern, sizeof(modern)))
		return;
	memcpy(s->buf, buf, sizeof(buf));
	s->best = d;
	s->found = true;
}

/* A family member with a misspelled family part: compare every dotted head of key. */
static void consider_families(struct suggestion *s, const char *key)
{
	for (size_t i = 0; i < CT_ARRAY_SIZE(keys); i++) {
		if (!keys[i].prefix)
			continue;
		for (const char *dot = strchr(key, '.'); dot; dot = strchr(dot + 1, '.')) {
			if (dot[1] == '\0')
				break;
			consider(s, key, (size_t)(dot + 1 - key), keys[i].name, dot + 1);
		}
	}
}

/* lxc.net.N.<misspelled subkey>. */
static void consider_net(struct suggestion *s, const char *key)
{
	const char *end;
	char head[32];

	if (!starts_with(key, "lxc.net.") || parse_index(key + strlen("lxc.net."), &end) < 0 ||
	    *end != '.')
		return;
	snprintf(head, sizeof(head), "%.*s", (int)(end + 1 - key), key);
	for (size_t i = 0; i < CT_ARRAY_SIZE(net_keys); i++) {
		size_t nl = strlen(net_keys[i].name);
		size_t d = distance(end + 1, strlen(end + 1), net_keys[i].name, nl, allowed(nl));

		if (d > allowed(nl) || (s->found && d >= s->best))
			continue;
		snprintf(s->buf, sizeof(s->buf), "%s%s", head, net_keys[i].name);
		s->best = d;
		s->found = true;
	}
}

const char *lxckey_suggest(const char *key)
{
	static __thread struct suggestion s;
	size_t klen = strlen(key);
	char buf[MAX_KEY_LEN + 1];

	s.found = false;
	if (klen > MAX_SUGGEST_LEN)
		return NULL;
	/* "uts.name" for "lxc.uts.name". */
	snprintf(buf, sizeof(buf), "lxc.%s", key);
	if (!starts_with(key, "lxc.") && lxckey_lookup(buf)) {
		snprintf(s.buf, sizeof(s.buf), "%s", buf);
		return s.buf;
	}
	consider_net(&s, key);
	for (size_t i = 0; i < CT_ARRAY_SIZE(keys); i++)
		if (!keys[i].prefix)
			consider(&s, key, klen, keys[i].name, "");
	for (size_t i = 0; i < CT_ARRAY_SIZE(legacy); i++)
		if (legacy[i].modern && !legacy[i].prefix)
			consider(&s, key, klen, legacy[i].name, "");
	consider_families(&s, key);
	if (!s.found)
		return NULL;
	/* A legacy name is close: offer its modern spelling. */
	if (lxckey_modernize(s.buf, buf, sizeof(buf)))
		snprintf(s.buf, sizeof(s.buf), "%s", buf);
	return lxckey_lookup(s.buf) ? s.buf : NULL;
}

const struct lxckey *lxckey_table(size_t *ret_n)
{
	*ret_n = CT_ARRAY_SIZE(keys);
	return keys;
}

const struct lxckey_legacy *lxckey_legacy_table(size_t *ret_n)
{
	*ret_n = CT_ARRAY_SIZE(legacy);
	return legacy;
}

const struct lxckey *lxckey_net_table(size_t *ret_n)
{
	*ret_n = CT_ARRAY_SIZE(net_keys);
	return net_keys;
}
