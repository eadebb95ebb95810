/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fstab line syntax, both ways. liblxc writes every lxc.mount.entry into a file and reads it
 * back with getmntent_r(3), so the rules here are glibc's: fields separated by runs of blanks,
 * "\040" (space), "\011" (tab), "\012" (newline), "\134" and "\\" (backslash) decoded in every
 * field, any other backslash kept as it is. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cleanup.h"
#include "mountopts.h"
#include "strbuf.h"

#define ESCAPE_HINT                                                                          \
	"getmntent(3) decodes only \\040 (space), \\011 (tab), \\012 (newline) and \\134 or "   \
	"\\\\ (backslash)"

static const char *const lxc_only_options[] = {
	"create=dir",
	"create=file",
	"optional",
	"relative",
};

bool mntopt_is_lxc_only(const char *opt)
{
	if (strncmp(opt, "idmap=", 6) == 0)
		return true;
	for (size_t i = 0; i < CT_ARRAY_SIZE(lxc_only_options); i++)
		if (strcmp(opt, lxc_only_options[i]) == 0)
			return true;
	return false;
}

static const struct {
	const char code[4];
	char c;
} escapes[] = {
	{ "040", ' ' },
	{ "011", '\t' },
	{ "012", '\n' },
	{ "134", '\\' },
};

static int where_error(struct ct_error **err, const struct mntline_where *w, const char *fmt,
		       const char *arg)
{
	return ct_error_at(err, w->file, w->line, 0, "%s: %s: %s", w->key, fmt, arg);
}

/* Decode one field [s, s + n). */
static int decode_field(const char *s, size_t n, const struct mntline_where *w, char **ret,
			struct ct_error **err)
{
	cleanup_free char *out = malloc(n + 1);
	size_t o = 0;

	if (!out)
		return ct_error_set(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		size_t k;

		if (s[i] != '\\') {
			out[o++] = s[i];
			continue;
		}
		if (i + 1 < n && s[i + 1] == '\\') {
			out[o++] = '\\';
			i++;
			continue;
		}
		if (i + 1 >= n || !isdigit((unsigned char)s[i + 1])) {
			out[o++] = '\\'; /* getmntent keeps a lone backslash */
			continue;
		}
		for (k = 0; k < CT_ARRAY_SIZE(escapes); k++)
			if (n - i > 3 && memcmp(s + i + 1, escapes[k].code, 3) == 0)
				break;
		if (k == CT_ARRAY_SIZE(escapes)) {
			char bad[5] = { 0 };
			int rc;

			memcpy(bad, s + i, n - i < 4 ? n - i : 4);
			rc = where_error(err, w, "unsupported octal escape", bad);
			return ct_error_hint(err, rc, ESCAPE_HINT);
		}
		out[o++] = escapes[k].c;
		i += 3;
	}
	out[o] = '\0';
	*ret = steal_pointer(&out);
	return 0;
}

static bool is_number(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

int mntline_parse(const char *text, const struct mntline_where *w, struct mntline *ret,
		  struct ct_error **err)
{
	char **fields[] = { &ret->source, &ret->dest,  &ret->type,
			    &ret->options, &ret->dump, &ret->pass };
	const char *p = text;
	size_t nf = 0;
	int rc;

	memset(ret, 0, sizeof(*ret));
	while (is_blank(*p))
		p++;
	if (*p == '#') {
		rc = where_error(err, w, "getmntent(3) reads a line starting with '#' as a "
					 "comment, so liblxc ignores it", text);
		return ct_error_hint(err, rc, "remove the entry or rename the source so that it "
					      "does not start with '#'");
	}
	while (*p) {
		size_t n = 0;

		while (p[n] && !is_blank(p[n]))
			n++;
		if (nf == CT_ARRAY_SIZE(fields)) {
			mntline_release(ret);
			rc = where_error(err, w, "too many fields (expected source destination "
						 "type options [dump [pass]])", text);
			return ct_error_hint(err, rc, "write a space inside a path as \\040");
		}
		rc = decode_field(p, n, w, fields[nf], err);
		if (rc < 0) {
			mntline_release(ret);
			return rc;
		}
		nf++;
		p += n;
		while (is_blank(*p))
			p++;
	}
	if (nf < 4) {
		mntline_release(ret);
		rc = where_error(err, w, "too few fields (expected source destination type "
					 "options [dump [pass]])", text);
		return ct_error_hint(err, rc, "use \"none\" for an unused source or type and "
					      "\"defaults\" for no options");
	}
	if ((ret->dump && !is_number(ret->dump)) || (ret->pass && !is_number(ret->pass))) {
		mntline_release(ret);
		rc = where_error(err, w, "dump and pass must be numbers", text);
		return ct_error_hint(err, rc, "end the line with \"0 0\" or leave both out");
	}
	return 0;
}

void mntline_release(struct mntline *m)
{
	free(m->source);
	free(m->dest);
	free(m->type);
	free(m->options);
	free(m->dump);
	free(m->pass);
	memset(m, 0, sizeof(*m));
}

bool mntline_has_option(const struct mntline *m, const char *opt)
{
	size_t n = strlen(opt);
	bool prefix = n && opt[n - 1] == '=';

	for (const char *p = m->options; p && *p;) {
		size_t len = strcspn(p, ",");

		if (prefix ? len >= n && strncmp(p, opt, n) == 0 :
			     len == n && strncmp(p, opt, n) == 0)
			return true;
		p += len;
		if (*p == ',')
			p++;
	}
	return false;
}

/* OCI options: the LXC options in order, without the liblxc-only ones; none at all when only
 * "defaults" is left (the spelling of "no options" in fstab). */
static json_t *options_to_oci(const char *options)
{
	cleanup_free char *copy = strdup(options);
	json_t *arr = json_array();
	char *save = NULL;
	size_t n = 0;

	if (!copy || !arr) {
		json_decref(arr);
		return NULL;
	}
	for (char *tok = strtok_r(copy, ",", &save); tok && n < MNTLINE_MAX_OPTIONS;
	     tok = strtok_r(NULL, ",", &save)) {
		if (mntopt_is_lxc_only(tok))
			continue;
		json_array_append_new(arr, json_string(tok));
		n++;
	}
	if (json_array_size(arr) == 1 && strcmp(json_string_value(json_array_get(arr, 0)),
						 "defaults") == 0)
		json_array_clear(arr);
	return arr;
}

json_t *mntline_to_oci(const struct mntline *m, const char *abs_dest)
{
	json_t *mount = json_object();
	json_t *opts = options_to_oci(m->options);

	if (!mount || !opts)
		goto fail;
	/* runc's member order: destination, type, source, options. */
	if (json_object_set_new(mount, "destination", json_string(abs_dest)) < 0)
		goto fail;
	if (strcmp(m->type, "none") != 0 &&
	    json_object_set_new(mount, "type", json_string(m->type)) < 0)
		goto fail;
	if (json_object_set_new(mount, "source", json_string(m->source)) < 0)
		goto fail;
	if (json_array_size(opts)) {
		if (json_object_set_new(mount, "options", opts) < 0) {
			opts = NULL;
			goto fail;
		}
		opts = NULL;
	}
	json_decref(opts);
	return mount;
fail:
	json_decref(opts);
	json_decref(mount);
	return NULL;
}

static void put_escaped(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		size_t k;

		for (k = 0; k < CT_ARRAY_SIZE(escapes); k++)
			if (*s == escapes[k].c)
				break;
		if (k < CT_ARRAY_SIZE(escapes)) {
			strbuf_putc(sb, '\\');
			strbuf_puts(sb, escapes[k].code);
		} else {
			strbuf_putc(sb, *s);
		}
	}
}

static void put_field(struct strbuf *sb, const json_t *mount, const char *member,
		      const char *absent)
{
	const char *v = json_string_value(json_object_get(mount, member));

	put_escaped(sb, v && *v ? v : absent);
	strbuf_putc(sb, ' ');
}

/* OCI runtimes make the mount point; liblxc only with create=dir or create=file. A bind of
 * anything but a directory needs a file; the source is looked at under sysroot. */
static const char *create_option(const json_t *mount, const char *sysroot)
{
	const char *src = json_string_value(json_object_get(mount, "source"));
	const char *type = json_string_value(json_object_get(mount, "type"));
	cleanup_free char *path = NULL;
	bool bind = type && strcmp(type, "bind") == 0;
	const json_t *opts = json_object_get(mount, "options");
	struct stat st;
	size_t i;
	json_t *o;

	json_array_foreach(opts, i, o) {
		const char *s = json_string_value(o);

		if (s && (strcmp(s, "bind") == 0 || strcmp(s, "rbind") == 0))
			bind = true;
	}
	if (!bind || !src || src[0] != '/')
		return "create=dir";
	if (asprintf(&path, "%s%s", sysroot ? sysroot : "", src) < 0) {
		path = NULL;
		return "create=dir";
	}
	if (stat(path, &st) == 0 && !S_ISDIR(st.st_mode))
		return "create=file";
	return "create=dir";
}

char *mntline_from_oci(const json_t *mount, const char *sysroot)
{
	cleanup_strbuf struct strbuf sb = STRBUF_INIT;
	const char *dest = json_string_value(json_object_get(mount, "destination"));
	const json_t *opts = json_object_get(mount, "options");
	size_t nopts = json_is_array(opts) ? json_array_size(opts) : 0;

	put_field(&sb, mount, "source", "none");
	if (!dest)
		dest = "";
	while (*dest == '/')
		dest++;
	put_escaped(&sb, *dest ? dest : ".");
	strbuf_putc(&sb, ' ');
	put_field(&sb, mount, "type", "none");
	for (size_t i = 0; i < nopts; i++) {
		const char *o = json_string_value(json_array_get(opts, i));

		put_escaped(&sb, o ? o : "");
		strbuf_putc(&sb, ',');
	}
	strbuf_puts(&sb, create_option(mount, sysroot));
	strbuf_puts(&sb, " 0 0");
	return strbuf_steal(&sb);
}
