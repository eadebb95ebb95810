/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fstab line syntax, both ways. liblxc writes every lxc.mount.entry into a file and reads it
 * back with getmntent_r(3), so the rules here are glibc's: fields separated by runs of blanks,
 * "\040" (space), "\011" (tab), "\012" (newline), "\134" and "\\" (backslash) decoded in every
 * field, any other backslash kept as it is. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cleanup.h"
#include "jsonutil.h"
#include "mountopts.h"
#include "strbuf.h"

#define ESCAPE_HINT                                                                           \
	"getmntent(3) decodes only \\040 (space), \\011 (tab), \\012 (newline) and \\134 or " \
	"\\\\ (backslash)"

/* What an option is to lxc2oci: kept in the OCI options, or left out because only liblxc knows
 * it; the lossy ones also have no OCI equivalent at all (worth a warning). One table, looked
 * through once per option. */
enum optclass { OPT_KEEP, OPT_LXC_ONLY, OPT_LOSSY };

static const struct {
	const char *name;
	size_t len;
	bool prefix; /* name ends in '=': any value */
	enum optclass cls;
} lxc_options[] = {
	{ "create=dir", 10, false, OPT_LXC_ONLY }, { "create=file", 11, false, OPT_LXC_ONLY },
	{ "optional", 8, false, OPT_LXC_ONLY },	   { "relative", 8, false, OPT_LOSSY },
	{ "idmap=", 6, true, OPT_LOSSY },
};

/* The class of the option [p, p + n). */
static enum optclass classify(const char *p, size_t n)
{
	for (size_t i = 0; i < CT_ARRAY_SIZE(lxc_options); i++) {
		const char *o = lxc_options[i].name;
		size_t len = lxc_options[i].len;

		if (p[0] == o[0] && (lxc_options[i].prefix ? n >= len : n == len) &&
		    memcmp(p, o, len) == 0)
			return lxc_options[i].cls;
	}
	return OPT_KEEP;
}

bool mntopt_is_lxc_only(const char *opt)
{
	return classify(opt, strlen(opt)) != OPT_KEEP;
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

/* Decode one field [s, s + n) into out (room for n + 1 bytes); returns the decoded length, or
 * < 0 with err set for an escape getmntent does not know. */
static int decode_field(const char *s, size_t n, const struct mntline_where *w, char *out,
			struct ct_error **err)
{
	size_t o = 0;

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
	return (int)o;
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

/* The characters a field's scan stops at: its end, or a backslash (an escape to decode) or a
 * newline (not an escape, but written back as one: the line is not plain). */
static const bool field_stop[256] = {
	['\0'] = true, [' '] = true, ['\t'] = true, ['\\'] = true, ['\n'] = true,
};

/* The fields go into one buffer (m->small, or m->heap for a long line) instead of one
 * allocation each: a field decodes to at most its own length, and the blanks between fields
 * leave room for the terminating NULs, so strlen(text) + 1 bytes always suffice. */
static char *field_storage(struct mntline *m, size_t len)
{
	if (len < sizeof(m->small))
		return m->small;
	m->heap = malloc(len + 1);
	return m->heap;
}

int mntline_parse(const char *text, const struct mntline_where *w, struct mntline *ret,
		  struct ct_error **err)
{
	char **fields[] = { &ret->source,  &ret->dest, &ret->type,
			    &ret->options, &ret->dump, &ret->pass };
	const char *p = text;
	size_t nf = 0;
	char *out;
	int rc;

	ret->source = ret->dest = ret->type = ret->options = ret->dump = ret->pass = NULL;
	ret->heap = NULL;
	ret->plain = !is_blank(*p);
	while (is_blank(*p))
		p++;
	if (*p == '#') {
		rc = where_error(err, w,
				 "getmntent(3) reads a line starting with '#' as a "
				 "comment, so liblxc ignores it",
				 text);
		return ct_error_hint(err, rc,
				     "remove the entry or rename the source so that it "
				     "does not start with '#'");
	}
	out = field_storage(ret, strlen(p));
	if (!out)
		return ct_error_set(err, ENOMEM, "out of memory");
	while (*p) {
		size_t n = 0;
		bool escaped = false;

		while (!field_stop[(unsigned char)p[n]])
			n++;
		while (p[n] == '\\' || p[n] == '\n') { /* rare: an escape to decode */
			escaped = true;
			for (n++; !field_stop[(unsigned char)p[n]]; n++)
				;
		}
		ret->plain &= !escaped;
		if (nf == CT_ARRAY_SIZE(fields)) {
			mntline_release(ret);
			rc = where_error(err, w,
					 "too many fields (expected source destination "
					 "type options [dump [pass]])",
					 text);
			return ct_error_hint(err, rc, "write a space inside a path as \\040");
		}
		if (escaped) {
			rc = decode_field(p, n, w, out, err);
		} else { /* most fields: nothing to decode */
			memcpy(out, p, n);
			out[n] = '\0';
			rc = (int)n;
		}
		if (rc < 0) {
			mntline_release(ret);
			return rc;
		}
		*fields[nf++] = out;
		out += rc + 1;
		p += n;
		/* one space between fields, none at the end */
		ret->plain &= *p ? p[0] == ' ' && !is_blank(p[1]) && p[1] : true;
		while (is_blank(*p))
			p++;
	}
	if (nf < 4) {
		mntline_release(ret);
		rc = where_error(err, w,
				 "too few fields (expected source destination type "
				 "options [dump [pass]])",
				 text);
		return ct_error_hint(err, rc,
				     "use \"none\" for an unused source or type and "
				     "\"defaults\" for no options");
	}
	if ((ret->dump && !is_number(ret->dump)) || (ret->pass && !is_number(ret->pass))) {
		mntline_release(ret);
		rc = where_error(err, w, "dump and pass must be numbers", text);
		return ct_error_hint(err, rc, "end the line with \"0 0\" or leave both out");
	}
	ret->plain &= nf == 6 && strcmp(ret->dump, "0") == 0 && strcmp(ret->pass, "0") == 0;
	return 0;
}

void mntline_release(struct mntline *m)
{
	free(m->heap);
	m->heap = NULL;
	m->source = m->dest = m->type = m->options = m->dump = m->pass = NULL;
}

bool mntline_has_option(const struct mntline *m, const char *opt)
{
	size_t n = strlen(opt);
	bool prefix = n && opt[n - 1] == '=';

	for (const char *p = m->options; p && *p;) {
		size_t len = 0;

		while (p[len] && p[len] != ',') /* short options: no strcspn call */
			len++;

		if (prefix ? len >= n && strncmp(p, opt, n) == 0
			   : len == n && strncmp(p, opt, n) == 0)
			return true;
		p += len;
		if (*p == ',')
			p++;
	}
	return false;
}

/* The create= options: the one option liblxc-only an entry written by oci2lxc has. */
static const char *create_token(const char *p, size_t n)
{
	if (n == 10 && memcmp(p, "create=dir", 10) == 0)
		return "create=dir";
	if (n == 11 && memcmp(p, "create=file", 11) == 0)
		return "create=file";
	return NULL;
}

/* OCI options: the LXC options in order, without the liblxc-only ones; none at all (*ret NULL)
 * when only "defaults" is left (the spelling of "no options" in fstab). One pass over the text,
 * without a copy to cut up: it also finds the lossy options and whether the options have the
 * shape mntview_write() gives them (see struct mntline_oci). */
static int options_to_oci(const char *options, json_t **ret, struct mntline_oci *info)
{
	cleanup_json json_t *arr = NULL;
	const char *create = NULL; /* the last option, when it is the only liblxc one */
	bool lossy = false, shaped = true;
	size_t n = 0;

	for (const char *p = options; *p;) {
		enum optclass c;
		size_t len = 0;

		while (p[len] && p[len] != ',') /* short options: no strcspn call */
			len++;
		/* an empty option (",,") is no option, as strtok(3) would have it */
		c = len ? classify(p, len) : OPT_LXC_ONLY;
		lossy |= c == OPT_LOSSY;
		shaped &= len && !create && (c == OPT_KEEP || (create = create_token(p, len)));
		if (c == OPT_KEEP && n < MNTLINE_MAX_OPTIONS) {
			if (!arr && !(arr = json_array()))
				return -ENOMEM;
			/* NULL (not UTF-8) is not appended, as before, nor written back */
			if (json_array_append_new(arr, ct_json_strn(p, len)) < 0)
				shaped = false;
			n++;
		} else if (c == OPT_KEEP) {
			shaped = false; /* left out */
		}
		p += len;
		if (*p == ',' && !*++p)
			shaped = false; /* a trailing comma is not written back */
	}
	if (json_array_size(arr) == 1 &&
	    strcmp(json_string_value(json_array_get(arr, 0)), "defaults") == 0) {
		json_decref(steal_pointer(&arr));
		shaped = false;
	}
	if (json_array_size(arr) == 0)
		json_decref(steal_pointer(&arr));
	*ret = steal_pointer(&arr);
	info->lossy = lossy;
	info->create = shaped ? create : NULL;
	return 0;
}

json_t *mntline_to_oci(const struct mntline *m, const char *abs_dest, struct mntline_oci *ret_info)
{
	const char *type = strcmp(m->type, "none") != 0 ? m->type : NULL;
	cleanup_json json_t *mount = json_object();
	struct mntline_oci info;
	json_t *opts = NULL, *jdest;

	if (!mount || options_to_oci(m->options, &opts, &info) < 0)
		return NULL;
	/* runc's member order: destination, type, source, options. */
	jdest = ct_json_str(abs_dest);
	if (json_object_setn_new_nocheck(mount, "destination", 11, jdest) < 0 ||
	    (type && json_object_setn_new_nocheck(mount, "type", 4, ct_json_str(type)) < 0) ||
	    json_object_setn_new_nocheck(mount, "source", 6, ct_json_str(m->source)) < 0) {
		json_decref(opts);
		return NULL;
	}
	if (opts && json_object_setn_new_nocheck(mount, "options", 7, opts) < 0)
		return NULL; /* the set has released opts */
	if (ret_info) {
		info.view = (struct mntview){ m->source, json_string_value(jdest), type, opts };
		*ret_info = info;
	}
	return steal_pointer(&mount);
}

/* Where a rendered line goes: appended to out, or compared with the text at expect (differs
 * set at the first byte that does not match), so that a line is checked without being built. */
struct sink {
	struct strbuf *out;
	const char *expect;
	bool differs;
};

static inline void sink_add(struct sink *s, const char *p, size_t n)
{
	if (s->out) {
		strbuf_add(s->out, p, n);
	} else if (!s->differs) {
		/* strncmp, not memcmp: expect may end before n bytes */
		if (strncmp(s->expect, p, n) != 0)
			s->differs = true;
		else
			s->expect += n;
	}
}

static inline void sink_putc(struct sink *s, char c)
{
	if (s->out)
		strbuf_putc(s->out, c);
	else if (!s->differs && *s->expect == c)
		s->expect++;
	else
		s->differs = true;
}

/* The characters getmntent decodes from an escape, and the end of the string. */
static const bool escape_stop[256] = {
	['\0'] = true, [' '] = true, ['\t'] = true, ['\n'] = true, ['\\'] = true,
};

static inline bool is_escaped(char c)
{
	return c && escape_stop[(unsigned char)c];
}

/* The octal code of a character getmntent decodes (is_escaped()). */
static const char *escape_code(char c)
{
	for (size_t k = 0; k < CT_ARRAY_SIZE(escapes); k++)
		if (c == escapes[k].c)
			return escapes[k].code;
	return "134"; /* not reached */
}

/* Compare s, escaped, with the expected text one character at a time: fields are short, and
 * a call to strcspn and strncmp per piece costs more than the loop. */
static void match_escaped(struct sink *sk, const char *s)
{
	const char *e = sk->expect;

	if (sk->differs)
		return;
	for (; *s; s++) {
		const char *code;

		if (!is_escaped(*s)) {
			if (*e != *s)
				goto differs;
			e++;
			continue;
		}
		code = escape_code(*s);
		/* the digits are never NUL: a short text stops the comparison */
		if (e[0] != '\\' || e[1] != code[0] || e[2] != code[1] || e[3] != code[2])
			goto differs;
		e += 4;
	}
	sk->expect = e;
	return;
differs:
	sk->differs = true;
}

static void put_escaped(struct sink *sk, const char *s)
{
	if (!sk->out) {
		match_escaped(sk, s);
		return;
	}
	while (*s) {
		size_t n = 0;

		while (!escape_stop[(unsigned char)s[n]]) /* short fields: no strcspn call */
			n++;
		strbuf_add(sk->out, s, n);
		s += n;
		if (!*s)
			break;
		strbuf_putc(sk->out, '\\');
		strbuf_add(sk->out, escape_code(*s++), 3);
	}
}

static void put_field(struct sink *sk, const char *v, const char *absent)
{
	put_escaped(sk, v && *v ? v : absent);
	sink_putc(sk, ' ');
}

/* OCI runtimes make the mount point; liblxc only with create=dir or create=file. A bind of
 * anything but a directory needs a file; the source is looked at under sysroot. The members are
 * the mount's, looked up once by the caller. */
static const char *create_option(const char *src, const char *type, const json_t *opts,
				 const char *sysroot)
{
	size_t nroot = sysroot ? strlen(sysroot) : 0, nsrc;
	bool bind = type && strcmp(type, "bind") == 0;
	cleanup_free char *heap = NULL;
	char buf[512], *path = buf;
	struct stat st;
	size_t i;
	json_t *o;

	json_array_foreach (opts, i, o) {
		const char *s = json_string_value(o);

		if (s && (s[0] == 'b' || s[0] == 'r') &&
		    (strcmp(s, "bind") == 0 || strcmp(s, "rbind") == 0))
			bind = true;
	}
	if (!bind || !src || src[0] != '/')
		return "create=dir";
	nsrc = strlen(src);
	if (nroot + nsrc >= sizeof(buf)) {
		path = heap = malloc(nroot + nsrc + 1);
		if (!path)
			return "create=dir";
	}
	memcpy(path, sysroot ? sysroot : "", nroot);
	memcpy(path + nroot, src, nsrc + 1);
	if (stat(path, &st) == 0 && !S_ISDIR(st.st_mode))
		return "create=file";
	return "create=dir";
}

/* The entry "source dest type options,create=... 0 0" of a mount into sk. When comparing, it
 * stops at the first difference: a line that differs before its create= option costs no
 * stat(2). */
static void render(const struct mntview *v, const char *sysroot, struct sink *sk)
{
	const char *dest = v->dest ? v->dest : "", *create;
	size_t nopts = json_is_array(v->options) ? json_array_size(v->options) : 0;

	put_field(sk, v->source, "none");
	while (*dest == '/')
		dest++;
	put_escaped(sk, *dest ? dest : ".");
	sink_putc(sk, ' ');
	put_field(sk, v->type, "none");
	for (size_t i = 0; i < nopts && !sk->differs; i++) {
		const char *o = json_string_value(json_array_get(v->options, i));

		put_escaped(sk, o ? o : "");
		sink_putc(sk, ',');
	}
	if (!sk->out && (sk->differs || strncmp(sk->expect, "create=", 7) != 0)) {
		sk->differs = true;
		return;
	}
	create = create_option(v->source, v->type, v->options, sysroot);
	sink_add(sk, create, strlen(create));
	sink_add(sk, " 0 0", 4);
}

void mntview_of(const json_t *mount, struct mntview *ret)
{
	const char *key;
	json_t *v;

	*ret = (struct mntview){ NULL, NULL, NULL, NULL };
	/* one walk over the members instead of a hash lookup for each of the four */
	json_object_foreach ((json_t *)mount, key, v) {
		switch (key[0]) { /* one strcmp per member */
		case 'd':
			if (strcmp(key, "destination") == 0)
				ret->dest = json_string_value(v);
			break;
		case 's':
			if (strcmp(key, "source") == 0)
				ret->source = json_string_value(v);
			break;
		case 't':
			if (strcmp(key, "type") == 0)
				ret->type = json_string_value(v);
			break;
		case 'o':
			if (strcmp(key, "options") == 0)
				ret->options = v;
			break;
		default:
			break;
		}
	}
}

void mntview_write(const struct mntview *v, const char *sysroot, struct strbuf *out)
{
	struct sink sk = { out, NULL, false };

	render(v, sysroot, &sk);
}

bool mntview_gives(const struct mntview *v, const char *sysroot, const char *text)
{
	struct sink sk = { NULL, text, false };

	render(v, sysroot, &sk);
	return !sk.differs && *sk.expect == '\0';
}

bool mntline_gives_back(const struct mntline *m, const struct mntline_oci *info,
			const char *sysroot, const char *text)
{
	/* The fast path: a plain line (see struct mntline) with a relative destination and options
	 * in the shape mntview_write() gives is written back field for field, but for the create=
	 * option, which depends on the source. Anything else is compared character by character. */
	if (m->plain && m->dest[0] != '/' && info->create)
		return strcmp(info->create, create_option(info->view.source, info->view.type,
							  info->view.options, sysroot)) == 0;
	return mntview_gives(&info->view, sysroot, text);
}

char *mntline_from_oci(const json_t *mount, const char *sysroot)
{
	cleanup_strbuf struct strbuf sb = STRBUF_INIT;
	struct mntview v;

	mntview_of(mount, &v);
	mntview_write(&v, sysroot, &sb);
	return strbuf_steal(&sb);
}

/* A tmpfs size option in bytes ("123", "64k", "2m", "1g"), 0 when not expressible. */
unsigned long long mntopt_size_bytes(const char *v)
{
	unsigned long long n;
	char *end;

	if (*v < '0' || *v > '9')
		return 0;
	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno)
		return 0;
	if (*end && end[1])
		return 0;
	switch (*end) {
	case '\0':
		return n;
	case 'k':
	case 'K':
		return n > (ULLONG_MAX >> 10) ? 0 : n << 10;
	case 'm':
	case 'M':
		return n > (ULLONG_MAX >> 20) ? 0 : n << 20;
	case 'g':
	case 'G':
		return n > (ULLONG_MAX >> 30) ? 0 : n << 30;
	default:
		return 0;
	}
}

/* Options runc knows and liblxc does not: liblxc would hand them to mount(2) as data. */
static const char *const runtime_only_options[] = {
	"tmpcopyup",  "rro",	   "rrw",	  "rnosuid",	  "rsuid",	    "rnodev",
	"rdev",	      "rnoexec",   "rexec",	  "rnoatime",	  "ratime",	    "rnodiratime",
	"rdiratime",  "rrelatime", "rnorelatime", "rstrictatime", "rnostrictatime", "rnosymfollow",
	"rsymfollow", "idmap",	   "ridmap",
};

bool mntopt_is_runtime_only(const char *opt)
{
	/* all of them start with r, t or i: most options are ruled out by their first character;
	 * then the first two rule most out without a call (this runs for every option) */
	if (opt[0] != 'r' && opt[0] != 't' && opt[0] != 'i')
		return false;
	for (size_t i = 0; i < CT_ARRAY_SIZE(runtime_only_options); i++) {
		const char *o = runtime_only_options[i];

		if (opt[0] == o[0] && opt[1] == o[1] && strcmp(opt, o) == 0)
			return true;
	}
	return false;
}

/* ---- the OCI mount list lxc2oci builds ---- */

static const char *json_str(const json_t *m, const char *member)
{
	return json_string_value(json_object_get(m, member));
}

static const char *const canonical[] = {
	"/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/sys/fs/cgroup",
};

void mntlist_release(struct mntlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		json_decref(l->v[i].m);
		free(l->v[i].orig);
	}
	free(l->v);
}

static int rank_of(const char *dest)
{
	/* every one is /proc, /dev... or /sys...: most entries are ruled out without a strcmp */
	if (!dest || dest[0] != '/' || (dest[1] != 'p' && dest[1] != 'd' && dest[1] != 's'))
		return -1;
	for (size_t i = 0; i < CT_ARRAY_SIZE(canonical); i++)
		if (strcmp(dest, canonical[i]) == 0)
			return (int)i;
	return -1;
}

/* mntlist_insert() with the rank of dest known. */
static int insert_ranked(struct mntlist *l, size_t at, struct mnt e, struct ct_error **err)
{
	if (!e.m || l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 16;
		struct mnt *nv = e.m ? realloc(l->v, ncap * sizeof(*nv)) : NULL;

		if (!nv) {
			json_decref(e.m);
			free(e.orig);
			return ct_error_set(err, ENOMEM, "out of memory");
		}
		l->v = nv;
		l->cap = ncap;
	}
	memmove(l->v + at + 1, l->v + at, (l->n - at) * sizeof(*l->v));
	l->v[at] = e;
	l->n++;
	return 0;
}

int mntlist_insert(struct mntlist *l, size_t at, json_t *m, const char *dest, char *orig,
		   bool implied, bool fstab, struct ct_error **err)
{
	if (m && !dest)
		dest = json_str(m, "destination");
	return insert_ranked(l, at,
			     (struct mnt){ .m = m,
					   .dest = dest,
					   .orig = orig,
					   .rank = rank_of(dest),
					   .implied = implied,
					   .fstab = fstab },
			     err);
}

static bool on_or_below(const char *path, const char *top, size_t n)
{
	return path && strncmp(path, top, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

int mntlist_place_implied(struct mntlist *l, json_t *m, struct ct_error **err)
{
	const char *dest = json_str(m, "destination");
	int r = rank_of(dest), best = -1;
	size_t at = r < 0 ? l->n : 0;

	for (size_t i = 0; r >= 0 && i < l->n; i++) {
		int rk = l->v[i].rank;

		if (rk >= 0 && rk < r && rk >= best) {
			best = rk;
			at = i + 1;
		}
	}
	for (size_t i = 0, n = r >= 0 ? strlen(dest) : 0; r >= 0 && i < at; i++)
		if (!l->v[i].implied && on_or_below(l->v[i].dest, dest, n)) {
			at = i;
			break;
		}
	return insert_ranked(l, at,
			     (struct mnt){ .m = m, .dest = dest, .rank = r, .implied = true }, err);
}
