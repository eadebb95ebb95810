/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lxc.hook.* <-> hooks.
 *
 * liblxc runs a hook as `sh -c "exec VALUE"` (lxc_popen), appending the container name, "lxc"
 * and the hook type as arguments with lxc.hook.version 0, and passing them in LXC_HOOK_TYPE /
 * LXC_HOOK_SECTION instead with version 1. An OCI hook is an executable with an argv and gets
 * the container state on stdin. So:
 *   - a value made of plain words whose first is an absolute path becomes {path, args} (args
 *     only with more than one word; args[0] is the path, as exec gives it);
 *   - anything else (shell syntax) becomes {path "/bin/sh", args ["sh", "-c", VALUE]};
 *   - version 1 is what oci2lxc writes (no extra arguments, as OCI); a config using version 0
 *     keeps it in org.ctlaunch.meta.hook.version.
 * Hook types pair by when and where they run (see the doc rows); LXC types without an OCI
 * counterpart travel as annotations. env and timeout have no LXC form (carry lines). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "families.h"
#include "jsonutil.h"

#define META_VERSION CT_ANNOT_META "hook.version"
#define SAFE "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._+,:=@%-"

static const struct {
	const char *lxc, *oci;
} pairs[] = {
	{ "lxc.hook.pre-start", "prestart" },	 { "lxc.hook.start-host", "createRuntime" },
	{ "lxc.hook.mount", "createContainer" }, { "lxc.hook.start", "startContainer" },
	{ "lxc.hook.post-stop", "poststop" },
};

static bool word_ok(const char *w, size_t n)
{
	return n && strspn(w, SAFE) >= n;
}

/* {path, args} for a value of plain words, else the sh -c form. */
static json_t *hook_of(const char *v)
{
	json_t *args = json_array();
	const char *p = v;
	bool plain = *v == '/';

	if (!args)
		return NULL;
	while (plain && *p) {
		size_t n = strcspn(p, " ");

		if (!word_ok(p, n) || (p[n] == ' ' && !p[n + 1])) {
			plain = false;
			break;
		}
		json_array_append_new(args, ct_json_strn(p, n));
		p += n + (p[n] == ' ');
	}
	if (!plain) {
		json_decref(args);
		return ct_json_put(
			ct_json_put(json_object(), "path", ct_json_lit("/bin/sh")), "args",
			ct_json_push(ct_json_push(ct_json_push(json_array(), ct_json_lit("sh")),
						  ct_json_lit("-c")),
				     ct_json_str(v)));
	}
	if (json_array_size(args) == 1) {
		json_decref(args);
		return ct_json_put(json_object(), "path", ct_json_str(v));
	}
	return ct_json_put(ct_json_put(json_object(), "path",
				       ct_json_str(json_string_value(json_array_get(args, 0)))),
			   "args", args);
}

static int hooks_to_oci(struct ct_ctx *ctx, struct ct_error **err)
{
	const char *version = lxcconf_get(ctx->lxc, "lxc.hook.version");
	const struct lxc_entry *e, *first = NULL;
	size_t nmapped = 0, i;

	for (size_t k = 0; k < CT_ARRAY_SIZE(pairs); k++) {
		for (i = 0; (e = lxcconf_next(ctx->lxc, pairs[k].lxc, false, &i)); i++) {
			char ptr[64];
			json_t *arr, *h = hook_of(e->value);

			snprintf(ptr, sizeof(ptr), "/hooks/%s", pairs[k].oci);
			arr = ct_json_arr(ctx->oci, ptr);
			if (!h || !arr || json_array_append_new(arr, h) < 0)
				return ct_error_set(err, ENOMEM, "out of memory");
			ct_use(ctx, i);
			nmapped++;
			if (!first)
				first = e;
		}
	}
	if (!nmapped)
		return 0;
	if (version && strcmp(version, "1") == 0) {
		i = 0;
		for (i = 0; lxcconf_next(ctx->lxc, "lxc.hook.version", false, &i); i++)
			ct_use(ctx, i);
		return 0;
	}
	if (version && strcmp(version, "0") != 0)
		return 0; /* not a version liblxc knows: left to the annotations */
	for (i = 0; lxcconf_next(ctx->lxc, "lxc.hook.version", false, &i); i++)
		ct_use(ctx, i);
	if (ct_warn_entry(ctx, err, first,
			  "lxc.hook.version 0 passes the container name, \"lxc\" "
			  "and the hook type as arguments; OCI hooks get the state on stdin "
			  "instead") < 0)
		return -1;
	return ct_json_set(ctx->oci, "/annotations/" META_VERSION, ct_json_str("0"), err);
}

static const char *str_at(json_t *arr, size_t i)
{
	const char *s = json_string_value(json_array_get(arr, i));

	return s ? s : "";
}

/* The LXC value for an OCI hook: "sh -c" scripts unwrapped, else the words quoted as needed. */
static char *value_of(json_t *h)
{
	const char *path = json_string_value(json_object_get(h, "path"));
	json_t *args = json_object_get(h, "args"), *a;
	cleanup_strbuf struct strbuf sb = STRBUF_INIT;
	size_t i;

	if (!path || *path != '/')
		return NULL;
	if (strcmp(path, "/bin/sh") == 0 && json_array_size(args) == 3 &&
	    strcmp(str_at(args, 0), "sh") == 0 && strcmp(str_at(args, 1), "-c") == 0 &&
	    *str_at(args, 2))
		return strchr(str_at(args, 2), '\n') ? NULL : strdup(str_at(args, 2));
	json_array_foreach (args, i, a) {
		const char *w = json_string_value(a);

		if (!w)
			return NULL;
		if (i == 0) {
			strbuf_puts(&sb, path);
			continue;
		}
		strbuf_putc(&sb, ' ');
		if (word_ok(w, strlen(w)) && strlen(w) == strspn(w, SAFE)) {
			strbuf_puts(&sb, w);
			continue;
		}
		strbuf_putc(&sb, '\'');
		for (const char *c = w; *c; c++)
			if (*c == '\'')
				strbuf_puts(&sb, "'\\''");
			else
				strbuf_putc(&sb, *c);
		strbuf_putc(&sb, '\'');
	}
	if (!sb.len)
		strbuf_puts(&sb, path);
	if (strchr(sb.s ? sb.s : "", '\n'))
		return NULL;
	return strbuf_steal(&sb);
}

static int hooks_to_lxc(struct ct_ctx *ctx, struct ct_error **err)
{
	const char *version = json_string_value(
		ct_json_get(ctx->oci, "/annotations/" META_VERSION));
	size_t nwritten = 0;

	json_t *hooks = json_object_get(ctx->oci, "hooks");

	for (size_t k = 0; k < CT_ARRAY_SIZE(pairs); k++) {
		json_t *list = json_object_get(hooks, pairs[k].oci), *h;
		size_t i;

		json_array_foreach (list, i, h) {
			cleanup_free char *v = value_of(h);

			if (!v) {
				char at[96];

				snprintf(at, sizeof(at), "/hooks/%s/%zu", pairs[k].oci, i);
				if (ct_warn_oci(
					    ctx, err, at,
					    "not a hook LXC can run (path must "
					    "be absolute, arguments one line): not translated") < 0)
					return -1;
				continue;
			}
			if (lxcconf_add(ctx->lxc, pairs[k].lxc, v, NULL, 0, err) < 0)
				return -1;
			nwritten++;
		}
	}
	if (!nwritten || (version && strcmp(version, "0") == 0))
		return 0;
	return lxcconf_add(ctx->lxc, "lxc.hook.version", "1", NULL, 0, err);
}

static const struct ct_doc_row doc[] = {
	{ "lxc.hook.pre-start", "hooks.prestart",
	  "both run in the host's namespaces before the container's program; LXC runs pre-start "
	  "before the container's namespaces exist, so a prestart hook that uses state.pid will "
	  "not find the container (use createRuntime, which is start-host)" },
	{ "lxc.hook.start-host", "hooks.createRuntime",
	  "host namespaces, container set up, before its program starts" },
	{ "lxc.hook.mount", "hooks.createContainer",
	  "container's mount namespace after the mounts, before pivot_root" },
	{ "lxc.hook.start", "hooks.startContainer", "in the container, just before its program" },
	{ "lxc.hook.post-stop", "hooks.poststop", "host, after the container is gone" },
	{ "-", "hooks.poststart", "no LXC hook runs after the program has started: carry line" },
	{ "lxc.hook.pre-mount, autodev, stop, clone, destroy", "-",
	  "annotations: no OCI hook at those points (before the rootfs is set up, /dev "
	  "population, with the namespaces of a stopped container, lxc-copy, lxc-destroy)" },
	{ "lxc.hook.* values", "hooks.*[].path, .args",
	  "liblxc runs `sh -c \"exec VALUE\"`: plain words with an absolute first word become "
	  "path and args (args[0] = path; no args for one word); anything else becomes /bin/sh "
	  "-c VALUE. An args[0] other than the path, env and timeout have no LXC form and "
	  "travel as carry lines" },
	{ "lxc.hook.version", "-",
	  "oci2lxc writes 1 (no NAME lxc TYPE arguments, as OCI hooks have none); 0 (the "
	  "default) is kept in org.ctlaunch.meta.hook.version, with a warning" },
	{ NULL, NULL, NULL },
};

const struct ct_family ct_family_hooks = {
	.name = "hooks",
	.to_oci = hooks_to_oci,
	.to_lxc = hooks_to_lxc,
	.doc = doc,
};
