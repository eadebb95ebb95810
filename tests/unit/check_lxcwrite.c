/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lxcconf_write's shortcuts and the safeguards they rely on: a key matched exactly in the key
 * table is not scanned for characters a line cannot hold, every other key is; a run of one key
 * is checked once; lxc.net.N.type is recognised without a lookup per entry. */
#include <string.h>

#include "check_main.h"
#include "cleanup.h"
#include "lxcconf.h"
#include "strbuf.h"

/* Writes a config holding key = value after a first valid entry; returns the error message, or
 * NULL when the write succeeded (the output is then in *ret_out). */
static char *write_one(const char *key, const char *value, char **ret_out)
{
	cleanup_lxcconf struct lxc_config *c = lxcconf_new();
	cleanup_error struct ct_error *err = NULL;
	cleanup_strbuf struct strbuf sb = STRBUF_INIT;

	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(lxcconf_add(c, "lxc.uts.name", "u", NULL, 0, &err), 0);
	ck_assert_int_eq(lxcconf_add(c, key, value, "in.conf", 3, &err), 0);
	if (lxcconf_write(c, NULL, &sb, &err) < 0) {
		ck_assert_ptr_nonnull(err);
		ck_assert_uint_eq(err->line, 3);
		return strdup(err->msg);
	}
	if (ret_out)
		*ret_out = strbuf_steal(&sb);
	return NULL;
}

static const struct {
	const char *key;
	const char *msg;
} unwritable[] = {
	/* family keys (matched by prefix) keep their whole spelling from the input */
	{ "lxc.cgroup2.memory.max\nlxc.init.cmd",
	  "writing the LXC configuration: key \"lxc.cgroup2.memory.max\nlxc.init.cmd\" cannot be "
	  "written" },
	{ "lxc.sysctl.net.a=b", "writing the LXC configuration: key \"lxc.sysctl.net.a=b\" cannot "
				"be written" },
	{ "lxc.sysctl.net.a\r", "writing the LXC configuration: key \"lxc.sysctl.net.a\r\" cannot "
				"be written" },
	{ "lxc.sysctl.net.a ", "writing the LXC configuration: key \"lxc.sysctl.net.a \" cannot be "
			       "written" },
	/* an unknown key with such a character: that is the error, not "unknown" */
	{ "lxc.bogus\n", "writing the LXC configuration: key \"lxc.bogus\n\" cannot be written" },
	{ "lxc.bogus", "writing the LXC configuration: unknown key \"lxc.bogus\"" },
};

START_TEST(keys_a_line_cannot_hold_are_refused)
{
	cleanup_free char *msg = write_one(unwritable[_i].key, "1", NULL);

	ck_assert_msg(msg, "%s: written", unwritable[_i].key);
	ck_assert_str_eq(msg, unwritable[_i].msg);
}
END_TEST

START_TEST(exact_and_family_keys_are_written)
{
	static const char *const keys[] = { "lxc.uts.name", "lxc.cgroup2.memory.max",
					    "lxc.net.0.type", "lxc.sysctl.net.ipv4.ip_forward" };

	for (size_t i = 0; i < CT_ARRAY_SIZE(keys); i++) {
		cleanup_free char *out = NULL, *want = NULL;
		cleanup_free char *msg = NULL;

		/* lxc.uts.name twice is a scalar set twice */
		if (i == 0)
			continue;
		msg = write_one(keys[i], "1", &out);
		ck_assert_msg(!msg, "%s: %s", keys[i], msg);
		ck_assert_int_ge(asprintf(&want, "lxc.uts.name = u\n%s = 1\n", keys[i]), 0);
		ck_assert_str_eq(out, want);
	}
}
END_TEST

/* Entries of one key in a row are checked once: a clean first one must not let a second of
 * another spelling through, nor a scalar set twice in a row. */
START_TEST(runs_of_one_key_are_checked_as_a_whole)
{
	cleanup_lxcconf struct lxc_config *c = lxcconf_new();
	cleanup_error struct ct_error *err = NULL;
	cleanup_strbuf struct strbuf sb = STRBUF_INIT;

	ck_assert_int_eq(lxcconf_add(c, "lxc.cgroup2.devices.allow", "a", NULL, 0, &err), 0);
	ck_assert_int_eq(lxcconf_add(c, "lxc.cgroup2.devices.allow", "b", NULL, 0, &err), 0);
	ck_assert_int_eq(lxcconf_add(c, "lxc.cgroup2.devices.allow\n", "c", "in.conf", 5, &err), 0);
	ck_assert_int_lt(lxcconf_write(c, NULL, &sb, &err), 0);
	ck_assert_uint_eq(err->line, 5);
	ck_assert_ptr_nonnull(strstr(err->msg, "cannot be written"));
	ct_error_free(steal_pointer(&err));
	lxcconf_free(c);

	c = lxcconf_new();
	ck_assert_int_eq(lxcconf_add(c, "lxc.net.0.type", "veth", NULL, 0, &err), 0);
	ck_assert_int_eq(lxcconf_add(c, "lxc.net.0.type", "empty", "in.conf", 6, &err), 0);
	ck_assert_int_lt(lxcconf_write(c, NULL, &sb, &err), 0);
	ck_assert_uint_eq(err->line, 6);
	ck_assert_str_eq(err->msg, "writing lxc.net.0.type: the key is set twice and liblxc keeps "
				   "only the last value");
}
END_TEST

/* lxc.net.N.type after another key of interface N, whatever N's spelling of the type key. */
START_TEST(net_type_after_its_interface_is_refused)
{
	cleanup_lxcconf struct lxc_config *c = lxcconf_new();
	cleanup_error struct ct_error *err = NULL;
	cleanup_strbuf struct strbuf sb = STRBUF_INIT;

	ck_assert_int_eq(lxcconf_add(c, "lxc.net.10.link", "br0", NULL, 0, &err), 0);
	ck_assert_int_eq(lxcconf_add(c, "lxc.net.2.type", "veth", NULL, 0, &err), 0);
	ck_assert_int_eq(lxcconf_write(c, NULL, &sb, &err), 0);
	ck_assert_int_eq(lxcconf_add(c, "lxc.net.10.type", "veth", "in.conf", 8, &err), 0);
	ck_assert_int_lt(lxcconf_write(c, NULL, &sb, &err), 0);
	ck_assert_uint_eq(err->line, 8);
	ck_assert_str_eq(err->msg, "writing lxc.net.10.type: it follows lxc.net.10.link, which "
				   "liblxc forgets when the type is set");
}
END_TEST

/* Lines are written at once when the buffer has room, piece by piece when it must grow: the
 * output is the same either way, at every length the buffer grows through. */
START_TEST(lines_are_the_same_whether_the_buffer_grows_or_not)
{
	static const char *const values[] = { "a",   " lead", "trail ",	  "\"q\"",
					      "'s'", "d\"e",  "'mixed\"", "x" };
	cleanup_lxcconf struct lxc_config *c = lxcconf_new();
	cleanup_error struct ct_error *err = NULL;
	cleanup_strbuf struct strbuf sb = STRBUF_INIT, want = STRBUF_INIT;
	char value[160];

	for (size_t i = 0; i < 300; i++) {
		const char *v = values[i % CT_ARRAY_SIZE(values)];
		size_t pad = (i * 7) % 120, n = strlen(v);

		/* the padding goes in the middle, so that the ends (and the quoting) stay */
		ck_assert_int_lt(n + pad, sizeof(value));
		memcpy(value, v, 1);
		memset(value + 1, 'p', pad);
		memcpy(value + 1 + pad, v + 1, n);
		ck_assert_int_eq(lxcconf_add(c, "lxc.mount.entry", value, NULL, 0, &err), 0);
		strbuf_puts(&want, "lxc.mount.entry = ");
		n = strlen(value);
		if (value[0] == ' ' || value[n - 1] == ' ' ||
		    (n > 1 && (value[0] == '"' || value[0] == '\'') && value[n - 1] == value[0])) {
			char q = strchr(value, '"') && !strchr(value, '\'') ? '\'' : '"';

			strbuf_putc(&want, q);
			strbuf_puts(&want, value);
			strbuf_putc(&want, q);
		} else {
			strbuf_puts(&want, value);
		}
		strbuf_putc(&want, '\n');
	}
	ck_assert_int_eq(lxcconf_write(c, NULL, &sb, &err), 0);
	ck_assert_uint_eq(sb.len, want.len);
	ck_assert_uint_eq(strlen(sb.s), sb.len);
	ck_assert_str_eq(sb.s, want.s);
	/* appended after what the buffer held: the same again */
	ck_assert_int_eq(lxcconf_write(c, NULL, &sb, &err), 0);
	ck_assert_uint_eq(sb.len, 2 * want.len);
	ck_assert_str_eq(sb.s + want.len, want.s);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("lxcwrite");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, keys_a_line_cannot_hold_are_refused, 0, CT_ARRAY_SIZE(unwritable));
	tcase_add_test(tc, exact_and_family_keys_are_written);
	tcase_add_test(tc, runs_of_one_key_are_checked_as_a_whole);
	tcase_add_test(tc, net_type_after_its_interface_is_refused);
	tcase_add_test(tc, lines_are_the_same_whether_the_buffer_grows_or_not);
	suite_add_tcase(s, tc);
	return s;
}
