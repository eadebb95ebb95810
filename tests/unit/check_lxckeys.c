/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lxckeys.c: the key table, legacy spellings, "did you mean". */
#include <string.h>

#include "check_main.h"
#include "cleanup.h"
#include "lxckeys.h"

/* python3-lxc's Container.get_keys() on this machine (liblxc 5.0.2), read once. */
static const char *const python_lxc_keys[] = {
	"lxc.arch",
	"lxc.apparmor.profile",
	"lxc.apparmor.allow_incomplete",
	"lxc.apparmor.allow_nesting",
	"lxc.apparmor.raw",
	"lxc.autodev.tmpfs.size",
	"lxc.autodev",
	"lxc.cap.drop",
	"lxc.cap.keep",
	"lxc.cgroup2",
	"lxc.cgroup.dir.monitor.pivot",
	"lxc.cgroup.dir.monitor",
	"lxc.cgroup.dir.container.inner",
	"lxc.cgroup.dir.container",
	"lxc.cgroup.dir",
	"lxc.cgroup.relative",
	"lxc.cgroup",
	"lxc.console.buffer.size",
	"lxc.console.logfile",
	"lxc.console.path",
	"lxc.console.rotate",
	"lxc.console.size",
	"lxc.sched.core",
	"lxc.environment",
	"lxc.ephemeral",
	"lxc.execute.cmd",
	"lxc.group",
	"lxc.hook.autodev",
	"lxc.hook.clone",
	"lxc.hook.destroy",
	"lxc.hook.mount",
	"lxc.hook.post-stop",
	"lxc.hook.pre-mount",
	"lxc.hook.pre-start",
	"lxc.hook.start",
	"lxc.hook.start-host",
	"lxc.hook.stop",
	"lxc.hook.version",
	"lxc.hook",
	"lxc.idmap",
	"lxc.include",
	"lxc.init.cmd",
	"lxc.init.gid",
	"lxc.init.groups",
	"lxc.init.uid",
	"lxc.init.cwd",
	"lxc.keyring.session",
	"lxc.log.file",
	"lxc.log.level",
	"lxc.log.syslog",
	"lxc.monitor.unshare",
	"lxc.monitor.signal.pdeath",
	"lxc.mount.auto",
	"lxc.mount.entry",
	"lxc.mount.fstab",
	"lxc.namespace.clone",
	"lxc.namespace.keep",
	"lxc.time.offset.boot",
	"lxc.time.offset.monotonic",
	"lxc.net",
	"lxc.no_new_privs",
	"lxc.prlimit",
	"lxc.pty.max",
	"lxc.rootfs.managed",
	"lxc.rootfs.mount",
	"lxc.rootfs.options",
	"lxc.rootfs.path",
	"lxc.seccomp.allow_nesting",
	"lxc.seccomp.notify.cookie",
	"lxc.seccomp.notify.proxy",
	"lxc.seccomp.profile",
	"lxc.selinux.context.keyring",
	"lxc.selinux.context",
	"lxc.signal.halt",
	"lxc.signal.reboot",
	"lxc.signal.stop",
	"lxc.start.auto",
	"lxc.start.delay",
	"lxc.start.order",
	"lxc.tty.dir",
	"lxc.tty.max",
	"lxc.uts.name",
	"lxc.sysctl",
	"lxc.proc",
};

/* A member of a family row, for looking prefix rows up. */
static const char *member_of(const char *prefix, char *buf, size_t size)
{
	const char *sub = "x";

	if (strcmp(prefix, "lxc.net.") == 0)
		sub = "0.type";
	else if (strcmp(prefix, "lxc.namespace.share.") == 0)
		sub = "net";
	snprintf(buf, size, "%s%s", prefix, sub);
	return buf;
}

START_TEST(every_table_row_is_found)
{
	size_t n;
	const struct lxckey *t = lxckey_table(&n);
	char buf[128];

	ck_assert_uint_ge(n, 90);
	for (size_t i = 0; i < n; i++) {
		const struct lxckey *r;

		if (!t[i].prefix) {
			r = lxckey_lookup(t[i].name);
			ck_assert_msg(r == &t[i], "exact key %s not found", t[i].name);
			continue;
		}
		member_of(t[i].name, buf, sizeof(buf));
		r = lxckey_lookup(buf);
		ck_assert_msg(r != NULL, "family member %s not found", buf);
		if (strcmp(t[i].name, "lxc.net.") != 0)
			ck_assert_msg(r == &t[i], "%s found under %s", buf, r->name);
		/* The prefix alone, without a subkey, is no key. */
		ck_assert_msg(lxckey_lookup(t[i].name) == NULL, "bare prefix %s accepted",
			      t[i].name);
	}
}
END_TEST

START_TEST(table_is_sorted_and_unique)
{
	size_t n;
	const struct lxckey *t = lxckey_table(&n);

	for (size_t i = 1; i < n; i++)
		ck_assert_msg(strcmp(t[i - 1].name, t[i].name) < 0, "%s before %s", t[i - 1].name,
			      t[i].name);
	t = lxckey_net_table(&n);
	for (size_t i = 1; i < n; i++)
		ck_assert_msg(strcmp(t[i - 1].name, t[i].name) < 0, "%s before %s", t[i - 1].name,
			      t[i].name);
}
END_TEST

START_TEST(every_python_lxc_key_is_accepted)
{
	for (size_t i = 0; i < CT_ARRAY_SIZE(python_lxc_keys); i++)
		ck_assert_msg(lxckey_lookup(python_lxc_keys[i]) != NULL,
			      "liblxc knows %s, the table does not", python_lxc_keys[i]);
}
END_TEST

START_TEST(net_subkeys_need_an_index_and_a_known_subkey)
{
	static const char *const subs[] = {
		"type",
		"flags",
		"link",
		"l2proxy",
		"mtu",
		"name",
		"script.up",
		"script.down",
		"hwaddr",
		"ipv4.address",
		"ipv4.gateway",
		"ipv6.address",
		"ipv6.gateway",
		"veth.mode",
		"veth.pair",
		"veth.ipv4.route",
		"veth.ipv6.route",
		"veth.vlan.id",
		"veth.vlan.tagged.id",
		"veth.n_rxqueues",
		"veth.n_txqueues",
		"macvlan.mode",
		"ipvlan.mode",
		"ipvlan.isolation",
		"vlan.id",
	};
	size_t n;
	char buf[128];

	lxckey_net_table(&n);
	ck_assert_uint_eq(n, CT_ARRAY_SIZE(subs));
	for (size_t i = 0; i < CT_ARRAY_SIZE(subs); i++) {
		snprintf(buf, sizeof(buf), "lxc.net.0.%s", subs[i]);
		ck_assert_msg(lxckey_lookup(buf) != NULL, "%s rejected", buf);
		snprintf(buf, sizeof(buf), "lxc.net.999.%s", subs[i]);
		ck_assert_msg(lxckey_lookup(buf) != NULL, "%s rejected", buf);
		snprintf(buf, sizeof(buf), "lxc.net.1000.%s", subs[i]);
		ck_assert_msg(lxckey_lookup(buf) == NULL, "%s accepted", buf);
	}
	ck_assert_ptr_null(lxckey_lookup("lxc.net.x.type"));
	ck_assert_ptr_null(lxckey_lookup("lxc.net.-1.type"));
	ck_assert_ptr_null(lxckey_lookup("lxc.net.0.bogus"));
	ck_assert_ptr_null(lxckey_lookup("lxc.net.0."));
	ck_assert_ptr_null(lxckey_lookup("lxc.net.0type"));
	ck_assert_ptr_null(lxckey_lookup("lxc.net.99999999999999999999.type"));
	ck_assert(lxckey_lookup("lxc.net.3")->flags & LXCKEY_CLEAR_ONLY);
	ck_assert(lxckey_lookup("lxc.net")->flags & LXCKEY_CLEAR_ONLY);
	ck_assert_int_eq(lxckey_lookup("lxc.net.0.ipv4.address")->kind, LXCKEY_LIST);
	ck_assert_int_eq(lxckey_lookup("lxc.net.0.ipv6.address")->kind, LXCKEY_LIST);
	ck_assert_int_eq(lxckey_lookup("lxc.net.0.veth.ipv4.route")->kind, LXCKEY_LIST);
	ck_assert_int_eq(lxckey_lookup("lxc.net.0.link")->kind, LXCKEY_SCALAR);
	ck_assert_int_eq(lxckey_net_index("lxc.net.42.link"), 42);
	ck_assert_int_eq(lxckey_net_index("lxc.network.4.link"), -1);
}
END_TEST

START_TEST(families_match_the_longest_prefix)
{
	const struct lxckey *r;

	r = lxckey_lookup("lxc.cgroup.memory.limit_in_bytes");
	ck_assert_str_eq(r->name, "lxc.cgroup.");
	ck_assert_int_eq(r->kind, LXCKEY_LIST);
	ck_assert_str_eq(lxckey_lookup("lxc.cgroup2.memory.max")->name, "lxc.cgroup2.");
	/* lxc.cgroup.dir is a key of its own; below it the controller family applies again. */
	ck_assert_str_eq(lxckey_lookup("lxc.cgroup.dir")->name, "lxc.cgroup.dir");
	ck_assert(!lxckey_lookup("lxc.cgroup.dir")->prefix);
	ck_assert_str_eq(lxckey_lookup("lxc.cgroup.dir.other")->name, "lxc.cgroup.");
	r = lxckey_lookup("lxc.prlimit.nofile");
	ck_assert_str_eq(r->name, "lxc.prlimit.");
	ck_assert_int_eq(r->kind, LXCKEY_SCALAR);
	r = lxckey_lookup("lxc.sysctl.net.ipv4.ip_forward");
	ck_assert_str_eq(r->name, "lxc.sysctl.");
	ck_assert_int_eq(r->kind, LXCKEY_SCALAR);
	r = lxckey_lookup("lxc.proc.oom_score_adj");
	ck_assert_str_eq(r->name, "lxc.proc.");
	ck_assert_int_eq(r->kind, LXCKEY_LIST);
	ck_assert_str_eq(lxckey_lookup("lxc.namespace.share.net")->name, "lxc.namespace.share.");
	ck_assert_ptr_null(lxckey_lookup("lxc.namespace.share.bogus"));
	ck_assert_ptr_nonnull(lxckey_lookup("lxc.time.offset.boot"));
	ck_assert_ptr_null(lxckey_lookup("lxc.time.offset.realtime"));
	ck_assert_ptr_null(lxckey_lookup("lxc.hook.bogus"));
	ck_assert_ptr_null(lxckey_lookup("lxc.bogus"));
	ck_assert_ptr_null(lxckey_lookup("uts.name"));
	ck_assert_ptr_null(lxckey_lookup(""));
}
END_TEST

START_TEST(kinds_follow_liblxc)
{
	static const char *const lists[] = {
		"lxc.idmap",	       "lxc.mount.entry",    "lxc.environment", "lxc.cap.drop",
		"lxc.cap.keep",	       "lxc.hook.pre-start", "lxc.hook.stop",	"lxc.include",
		"lxc.apparmor.raw",    "lxc.init.groups",    "lxc.group",	"lxc.mount.auto",
		"lxc.namespace.clone", "lxc.namespace.keep",
	};
	static const char *const scalars[] = {
		"lxc.uts.name",	   "lxc.rootfs.path",	  "lxc.init.cmd",    "lxc.hook.version",
		"lxc.mount.fstab", "lxc.seccomp.profile", "lxc.signal.stop", "lxc.tty.max",
	};

	for (size_t i = 0; i < CT_ARRAY_SIZE(lists); i++)
		ck_assert_msg(lxckey_lookup(lists[i])->kind == LXCKEY_LIST, "%s", lists[i]);
	for (size_t i = 0; i < CT_ARRAY_SIZE(scalars); i++)
		ck_assert_msg(lxckey_lookup(scalars[i])->kind == LXCKEY_SCALAR, "%s", scalars[i]);
}
END_TEST

START_TEST(every_legacy_key_modernizes_to_a_known_key)
{
	size_t n;
	const struct lxckey_legacy *t = lxckey_legacy_table(&n);
	char buf[128], key[128];

	ck_assert_uint_ge(n, 25);
	for (size_t i = 0; i < n; i++) {
		const char *m;

		snprintf(key, sizeof(key), "%s%s", t[i].name, t[i].prefix ? "nofile" : "");
		ck_assert_msg(lxckey_lookup(key) == NULL, "legacy %s is also modern", key);
		m = lxckey_modernize(key, buf, sizeof(buf));
		if (!t[i].modern) {
			ck_assert_ptr_null(m);
			ck_assert(lxckey_removed(key));
			continue;
		}
		ck_assert_msg(m != NULL, "%s not converted", key);
		ck_assert_msg(lxckey_lookup(m) != NULL, "%s converted to unknown %s", key, m);
		ck_assert(!lxckey_removed(key));
	}
}
END_TEST

START_TEST(legacy_spellings_convert_as_lxc_update_config)
{
	static const char *const pairs[][2] = {
		{ "lxc.utsname", "lxc.uts.name" },
		{ "lxc.rootfs", "lxc.rootfs.path" },
		{ "lxc.id_map", "lxc.idmap" },
		{ "lxc.aa_profile", "lxc.apparmor.profile" },
		{ "lxc.aa_allow_incomplete", "lxc.apparmor.allow_incomplete" },
		{ "lxc.se_context", "lxc.selinux.context" },
		{ "lxc.haltsignal", "lxc.signal.halt" },
		{ "lxc.rebootsignal", "lxc.signal.reboot" },
		{ "lxc.stopsignal", "lxc.signal.stop" },
		{ "lxc.tty", "lxc.tty.max" },
		{ "lxc.pts", "lxc.pty.max" },
		{ "lxc.devttydir", "lxc.tty.dir" },
		{ "lxc.console", "lxc.console.path" },
		{ "lxc.logfile", "lxc.log.file" },
		{ "lxc.loglevel", "lxc.log.level" },
		{ "lxc.init_cmd", "lxc.init.cmd" },
		{ "lxc.init_uid", "lxc.init.uid" },
		{ "lxc.init_gid", "lxc.init.gid" },
		{ "lxc.mount", "lxc.mount.fstab" },
		{ "lxc.syslog", "lxc.log.syslog" },
		{ "lxc.seccomp", "lxc.seccomp.profile" },
		{ "lxc.limit.nofile", "lxc.prlimit.nofile" },
		{ "lxc.network", "lxc.net" },
		{ "lxc.network.0", "lxc.net.0" },
		{ "lxc.network.0.type", "lxc.net.0.type" },
		{ "lxc.network.1.ipv4", "lxc.net.1.ipv4.address" },
		{ "lxc.network.1.ipv4.gateway", "lxc.net.1.ipv4.gateway" },
		{ "lxc.network.2.ipv6", "lxc.net.2.ipv6.address" },
		{ "lxc.network.2.script.up", "lxc.net.2.script.up" },
		{ "lxc.network.2.veth.pair", "lxc.net.2.veth.pair" },
		{ "lxc.network.link", "lxc.net.0.link" },
	};
	char buf[128];

	for (size_t i = 0; i < CT_ARRAY_SIZE(pairs); i++) {
		const char *m = lxckey_modernize(pairs[i][0], buf, sizeof(buf));

		ck_assert_msg(m && strcmp(m, pairs[i][1]) == 0, "%s -> %s, expected %s",
			      pairs[i][0], m ? m : "NULL", pairs[i][1]);
	}
	ck_assert_ptr_null(lxckey_modernize("lxc.uts.name", buf, sizeof(buf)));
	ck_assert_ptr_null(lxckey_modernize("lxc.network.0.bogus", buf, sizeof(buf)));
	ck_assert_ptr_null(lxckey_modernize("lxc.pivotdir", buf, sizeof(buf)));
	ck_assert(lxckey_removed("lxc.pivotdir"));
	ck_assert(lxckey_removed("lxc.kmsg"));
	ck_assert(!lxckey_removed("lxc.utsname"));
	ck_assert_str_eq(lxckey_unindexed_net("lxc.network.ipv4"), "ipv4");
	ck_assert_ptr_null(lxckey_unindexed_net("lxc.network.0.ipv4"));
	ck_assert_ptr_null(lxckey_unindexed_net("lxc.net.0.type"));
	ck_assert_str_eq(lxckey_modernize_net("ipv4", 7, buf, sizeof(buf)),
			 "lxc.net.7.ipv4.address");
	ck_assert_ptr_null(lxckey_modernize_net("ipv4", 7, buf, 8));
}
END_TEST

START_TEST(suggestions_only_when_close)
{
	static const char *const pairs[][2] = {
		{ "lxc.uts.nam", "lxc.uts.name" },
		{ "lxc.rootfs.pth", "lxc.rootfs.path" },
		{ "lxc.mount.entyr", "lxc.mount.entry" },
		{ "lxc.utsnam", "lxc.uts.name" },
		{ "uts.name", "lxc.uts.name" },
		{ "lxc.net.0.ipv4.adress", "lxc.net.0.ipv4.address" },
		{ "lxc.net.2.linc", "lxc.net.2.link" },
		{ "lxc.sysctrl.net.ipv4.ip_forward", "lxc.sysctl.net.ipv4.ip_forward" },
		{ "lxc.cgrup2.memory.max", "lxc.cgroup2.memory.max" },
		{ "lxc.hook.prestart", "lxc.hook.pre-start" },
	};

	for (size_t i = 0; i < CT_ARRAY_SIZE(pairs); i++) {
		const char *s = lxckey_suggest(pairs[i][0]);

		ck_assert_msg(s && strcmp(s, pairs[i][1]) == 0, "%s: suggested %s, expected %s",
			      pairs[i][0], s ? s : "NULL", pairs[i][1]);
	}
	ck_assert_ptr_null(lxckey_suggest("lxc.completely.different"));
	ck_assert_ptr_null(lxckey_suggest("foo"));
	ck_assert_ptr_null(lxckey_suggest(""));
}
END_TEST

START_TEST(canonical_drops_leading_zeros_of_the_net_index)
{
	char buf[64];
	const char *k = "lxc.net.0.type";

	ck_assert_str_eq(lxckey_canonical("lxc.net.007.type", buf, sizeof(buf)), "lxc.net.7.type");
	ck_assert_str_eq(lxckey_canonical("lxc.net.00", buf, sizeof(buf)), "lxc.net.0");
	ck_assert_ptr_eq(lxckey_canonical(k, buf, sizeof(buf)), k);
	ck_assert_ptr_eq(lxckey_canonical("lxc.uts.name", buf, sizeof(buf)), "lxc.uts.name");
}
END_TEST

START_TEST(bare_family_keys_clear_their_members_only)
{
	ck_assert(lxckey_family_clears("lxc.hook", "lxc.hook.pre-start"));
	ck_assert(!lxckey_family_clears("lxc.hook", "lxc.hook.version"));
	ck_assert(lxckey_family_clears("lxc.cgroup", "lxc.cgroup.memory.limit_in_bytes"));
	ck_assert(!lxckey_family_clears("lxc.cgroup", "lxc.cgroup.dir"));
	ck_assert(!lxckey_family_clears("lxc.cgroup", "lxc.cgroup.relative"));
	ck_assert(!lxckey_family_clears("lxc.cgroup", "lxc.cgroup2.memory.max"));
	ck_assert(lxckey_family_clears("lxc.cgroup2", "lxc.cgroup2.memory.max"));
	ck_assert(lxckey_family_clears("lxc.net", "lxc.net.3.link"));
	ck_assert(lxckey_family_clears("lxc.prlimit", "lxc.prlimit.nofile"));
	ck_assert(lxckey_family_clears("lxc.sysctl", "lxc.sysctl.kernel.msgmax"));
	ck_assert(lxckey_family_clears("lxc.proc", "lxc.proc.oom_score_adj"));
	ck_assert(!lxckey_family_clears("lxc.proc", "lxc.prlimit.nofile"));
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("lxckeys");
	TCase *tc = tcase_create("keys");

	tcase_add_test(tc, every_table_row_is_found);
	tcase_add_test(tc, table_is_sorted_and_unique);
	tcase_add_test(tc, every_python_lxc_key_is_accepted);
	tcase_add_test(tc, net_subkeys_need_an_index_and_a_known_subkey);
	tcase_add_test(tc, families_match_the_longest_prefix);
	tcase_add_test(tc, kinds_follow_liblxc);
	tcase_add_test(tc, every_legacy_key_modernizes_to_a_known_key);
	tcase_add_test(tc, legacy_spellings_convert_as_lxc_update_config);
	tcase_add_test(tc, suggestions_only_when_close);
	tcase_add_test(tc, canonical_drops_leading_zeros_of_the_net_index);
	tcase_add_test(tc, bare_family_keys_clear_their_members_only);
	suite_add_tcase(s, tc);
	return s;
}
