/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reader and writer of LXC's seccomp policy text (see seccomp_text.h for the grammar). */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "seccomp_text.h"
#include "strbuf.h"

/* Comment lines the writer uses to record that an OCI rule had no errnoRet (EPERM implied), so
 * that reading the profile back gives the same OCI document. liblxc sees plain comments. */
#define DIRECTIVE_RULE_ERRNO "#ctlaunch: errnoRet implicit"
#define DIRECTIVE_DEFAULT_ERRNO "#ctlaunch: defaultErrnoRet implicit"

static const struct {
	const char *name;
	uint32_t arch;
} sections[] = {
	{ "x86", SCMP_ARCH_X86 },
	{ "x32", SCMP_ARCH_X32 },
	{ "x86_64", SCMP_ARCH_X86_64 },
	{ "arm", SCMP_ARCH_ARM },
	{ "arm64", SCMP_ARCH_AARCH64 },
	{ "ppc64le", SCMP_ARCH_PPC64LE },
	{ "ppc64", SCMP_ARCH_PPC64 },
	{ "ppc", SCMP_ARCH_PPC },
	{ "mips64", SCMP_ARCH_MIPS64 },
	{ "mips64n32", SCMP_ARCH_MIPS64N32 },
	{ "mips", SCMP_ARCH_MIPS },
	{ "mipsel64", SCMP_ARCH_MIPSEL64 },
	{ "mipsel64n32", SCMP_ARCH_MIPSEL64N32 },
	{ "mipsel", SCMP_ARCH_MIPSEL },
	{ "s390x", SCMP_ARCH_S390X },
	{ "s390", SCMP_ARCH_S390 },
};

/* Names people write that liblxc 5.0 does not know, and what to write instead. */
static const struct {
	const char *name;
	const char *hint;
} section_hints[] = {
	{ "i386", "liblxc calls 32-bit x86 [x86]" },
	{ "i686", "liblxc calls 32-bit x86 [x86]" },
	{ "amd64", "liblxc calls 64-bit x86 [x86_64]" },
	{ "aarch64", "liblxc calls 64-bit Arm [arm64]" },
	{ "armhf", "liblxc calls 32-bit Arm [arm]" },
	{ "armel", "liblxc calls 32-bit Arm [arm]" },
	{ "armv7", "liblxc calls 32-bit Arm [arm]" },
	{ "riscv64", "liblxc 5.0 has no riscv64 section: put the rules under [all]" },
};

static const char *const kind_names[] = {
	[SC_KILL] = "kill",   [SC_ALLOW] = "allow",   [SC_TRAP] = "trap",
	[SC_ERRNO] = "errno", [SC_NOTIFY] = "notify",
};

static const struct {
	const char *name, *symbol;
} op_names[] = {
	[SC_NE] = { "SCMP_CMP_NE", "!=" },
	[SC_LT] = { "SCMP_CMP_LT", "<" },
	[SC_LE] = { "SCMP_CMP_LE", "<=" },
	[SC_EQ] = { "SCMP_CMP_EQ", "==" },
	[SC_GE] = { "SCMP_CMP_GE", ">=" },
	[SC_GT] = { "SCMP_CMP_GT", ">" },
	[SC_MASKED_EQ] = { "SCMP_CMP_MASKED_EQ", "&=" },
};

static bool upper_eq(const char *s, const char *lower)
{
	for (; *s && *lower; s++, lower++)
		if (*s != toupper((unsigned char)*lower))
			return false;
	return !*s && !*lower;
}

uint32_t seccomp_text_arch_of_section(const char *section)
{
	for (size_t i = 0; i < CT_ARRAY_SIZE(sections); i++)
		if (strcmp(section, sections[i].name) == 0 || upper_eq(section, sections[i].name))
			return sections[i].arch;
	return 0;
}

const char *seccomp_text_section_of_arch(uint32_t arch)
{
	for (size_t i = 0; i < CT_ARRAY_SIZE(sections); i++)
		if (sections[i].arch == arch)
			return sections[i].name;
	return NULL;
}

const char *seccomp_text_kind_name(enum sc_kind kind)
{
	return kind_names[kind];
}

const char *seccomp_text_op_name(enum sc_op op)
{
	return op_names[op].name;
}

int seccomp_text_op_from_name(const char *name)
{
	for (size_t i = 0; i < CT_ARRAY_SIZE(op_names); i++)
		if (strcmp(name, op_names[i].name) == 0 || strcmp(name, op_names[i].symbol) == 0)
			return (int)i;
	return -1;
}

void seccomp_text_free(struct sc_profile *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nrules; i++)
		free(p->rules[i].name);
	free(p->rules);
	free(p);
}

void seccomp_text_freep(struct sc_profile **p)
{
	seccomp_text_free(*p);
	*p = NULL;
}

int seccomp_text_add_rule(struct sc_profile *p, const struct sc_rule *r, struct ct_error **err)
{
	struct sc_rule *n;

	if (p->nrules >= SECCOMP_TEXT_MAX_RULES)
		return ct_error_set(err, E2BIG, "more than %u seccomp rules",
				    SECCOMP_TEXT_MAX_RULES);
	if (p->nrules == p->caprules) {
		size_t ncap = p->caprules ? p->caprules * 2 : 16;

		n = realloc(p->rules, ncap * sizeof(*n));
		if (!n)
			return ct_error_set(err, ENOMEM, "out of memory");
		p->rules = n;
		p->caprules = ncap;
	}
	n = &p->rules[p->nrules];
	*n = *r;
	n->name = NULL;
	if (r->name && !(n->name = strdup(r->name)))
		return ct_error_set(err, ENOMEM, "out of memory");
	p->nrules++;
	return 0;
}

/* Reading. */

struct reader {
	const char *name;
	unsigned line;
	struct sc_profile *p;
	struct sc_action rule_default;
	uint32_t arch;
	bool next_errno_implicit;
	struct ct_error **err;
};

static int fail(struct reader *r, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(struct reader *r, const char *hint, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = ct_error_vat(r->err, 0, r->name, r->line, 0, fmt, ap);
	va_end(ap);
	if (hint)
		ct_error_hint(r->err, rc, "%s", hint);
	return rc;
}

static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static bool word_is(const char *s, size_t n, const char *w)
{
	return strlen(w) == n && strncmp(s, w, n) == 0;
}

/* Unsigned number in C notation (decimal, 0x hex, 0 octal), the whole of s. */
static bool parse_u64(const char *s, uint64_t *ret)
{
	char *end;
	unsigned long long v;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end)
		return false;
	*ret = v;
	return true;
}

/* "kill", "errno 13", ... at s; *ret_end points after it. */
static int parse_action(struct reader *r, const char *s, const char **ret_end, struct sc_action *a)
{
	size_t n = strcspn(s, " \t[#");

	*a = (struct sc_action){ 0 };
	for (size_t i = 0; i < CT_ARRAY_SIZE(kind_names); i++) {
		if (!word_is(s, n, kind_names[i]))
			continue;
		a->kind = (enum sc_kind)i;
		s += n;
		if (a->kind == SC_ERRNO) {
			char num[16];
			size_t m;
			uint64_t v;

			s = skip_blanks(s);
			m = strcspn(s, " \t[#");
			if (!m || m >= sizeof(num))
				return fail(r, "write e.g. \"errno 1\"",
					    "reading the seccomp action: errno needs a number");
			memcpy(num, s, m);
			num[m] = '\0';
			if (!parse_u64(num, &v) || v > 4095)
				return fail(r, "errno values go from 0 to 4095",
					    "reading the seccomp action: bad errno value \"%s\"",
					    num);
			a->errno_ret = (unsigned)v;
			s += m;
		}
		*ret_end = s;
		return 0;
	}
	return fail(r, "liblxc 5.0 knows the actions kill, allow, trap, notify and errno N",
		    "reading the seccomp action: unknown action \"%.*s\"", (int)n, s);
}

/* One "[index,value,op]" or "[index,value,op,mask]" group; s points at '['. */
static int parse_group(struct reader *r, const char *s, const char **ret_end, struct sc_arg *a)
{
	char buf[128], *fields[5], *save = NULL;
	const char *close = strchr(s, ']');
	size_t n = 0, len;
	uint64_t index;
	int op;

	if (!close)
		return fail(r, "close the argument group with ']'",
			    "reading the seccomp rule: unterminated argument group");
	len = (size_t)(close - s - 1);
	if (len >= sizeof(buf))
		return fail(r, NULL, "reading the seccomp rule: argument group too long");
	memcpy(buf, s + 1, len);
	buf[len] = '\0';
	for (char *f = strtok_r(buf, ",", &save); f && n < CT_ARRAY_SIZE(fields);
	     f = strtok_r(NULL, ",", &save))
		fields[n++] = f;
	if (n < 3 || n > 4)
		return fail(r,
			    "write [INDEX,VALUE,OPERATOR] or [INDEX,VALUE,SCMP_CMP_MASKED_EQ,MASK]",
			    "reading the seccomp rule: argument group [%.*s] needs 3 or 4 fields",
			    (int)len, s + 1);
	if (!parse_u64(fields[0], &index) || index >= SECCOMP_TEXT_MAX_ARGS)
		return fail(r, "syscall arguments are numbered 0 to 5",
			    "reading the seccomp rule: bad argument index \"%s\"", fields[0]);
	if (!parse_u64(fields[1], &a->value))
		return fail(r, "values are unsigned numbers (decimal or 0x hex)",
			    "reading the seccomp rule: bad argument value \"%s\"", fields[1]);
	op = seccomp_text_op_from_name(fields[2]);
	if (op < 0)
		return fail(
			r, "operators: SCMP_CMP_NE LT LE EQ GE GT MASKED_EQ, or != < <= == >= > &=",
			"reading the seccomp rule: unknown operator \"%s\"", fields[2]);
	a->index = (unsigned)index;
	a->op = (enum sc_op)op;
	a->mask = 0;
	a->has_mask = n == 4;
	if (n == 4 && op != SC_MASKED_EQ)
		return fail(r, "only SCMP_CMP_MASKED_EQ takes a mask: remove it",
			    "reading the seccomp rule: mask given to %s", fields[2]);
	if (n == 4 && !parse_u64(fields[3], &a->mask))
		return fail(r, "masks are unsigned numbers (decimal or 0x hex)",
			    "reading the seccomp rule: bad mask \"%s\"", fields[3]);
	*ret_end = close + 1;
	return 0;
}

static int parse_args(struct reader *r, const char *s, struct sc_rule *rule)
{
	for (;;) {
		s = skip_blanks(s);
		if (!*s)
			return 0;
		if (*s == '#') {
			if (rule->nargs)
				return fail(
					r, "move the comment to a line of its own",
					"reading the seccomp rule: liblxc rejects a comment after "
					"argument groups");
			return 0;
		}
		if (*s != '[')
			return fail(r, "write NAME [ACTION] [INDEX,VALUE,OPERATOR]...",
				    "reading the seccomp rule: unexpected text \"%s\"", s);
		if (rule->nargs == SECCOMP_TEXT_MAX_ARGS)
			return fail(r, "liblxc ignores groups after the sixth",
				    "reading the seccomp rule: more than %d argument groups",
				    SECCOMP_TEXT_MAX_ARGS);
		if (parse_group(r, s, &s, &rule->args[rule->nargs]) < 0)
			return -1;
		rule->nargs++;
	}
}

static int parse_rule_v2(struct reader *r, const char *line)
{
	struct sc_rule rule = { .arch = r->arch, .line = r->line };
	cleanup_free char *name = NULL;
	size_t n = strcspn(line, " \t");
	const char *s;

	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)line[i]) && line[i] != '_')
			return fail(r, "write NAME [ACTION] [INDEX,VALUE,OPERATOR]...",
				    "reading the seccomp rule: bad syscall name \"%.*s\"", (int)n,
				    line);
	name = strndup(line, n);
	if (!name)
		return ct_error_set(r->err, ENOMEM, "out of memory");
	s = skip_blanks(line + n);
	if (*s == '[')
		return fail(
			r,
			"write the action before the argument groups, e.g. NAME errno 1 [0,1,==]",
			"reading the seccomp rule: argument groups without an action (liblxc "
			"rejects them)");
	if (*s && *s != '#') {
		if (parse_action(r, s, &s, &rule.action) < 0)
			return -1;
		rule.action_given = true;
		rule.action.errno_implicit = rule.action.kind == SC_ERRNO && r->next_errno_implicit;
	} else {
		rule.action = r->rule_default;
	}
	r->next_errno_implicit = false;
	if (parse_args(r, s, &rule) < 0)
		return -1;
	if (strcmp(name, "reject_force_umount") == 0) {
		if (rule.nargs)
			return fail(
				r, "remove the argument groups",
				"reading the seccomp rule: reject_force_umount takes no arguments");
		rule.force_umount = true;
	}
	rule.name = name;
	return seccomp_text_add_rule(r->p, &rule, r->err);
}

static int parse_section(struct reader *r, const char *line)
{
	size_t len = strlen(line);
	char name[32];
	uint32_t arch;

	if (len < 3 || line[len - 1] != ']' || len - 2 >= sizeof(name))
		return fail(r, "write the section alone on its line, e.g. [x86_64]",
			    "reading the seccomp section: malformed header \"%s\"", line);
	memcpy(name, line + 1, len - 2);
	name[len - 2] = '\0';
	if (strcmp(name, "all") == 0 || strcmp(name, "ALL") == 0) {
		r->arch = 0;
		return 0;
	}
	arch = seccomp_text_arch_of_section(name);
	if (!arch) {
		const char *hint = "liblxc 5.0 sections: all x86 x32 x86_64 arm arm64 ppc ppc64 "
				   "ppc64le mips mips64 mips64n32 mipsel mipsel64 mipsel64n32 "
				   "s390 s390x";

		for (size_t i = 0; i < CT_ARRAY_SIZE(section_hints); i++)
			if (strcmp(name, section_hints[i].name) == 0)
				hint = section_hints[i].hint;
		return fail(r, hint, "reading the seccomp section: unknown architecture \"%s\"",
			    name);
	}
	r->arch = arch;
	for (size_t i = 0; i < r->p->narches; i++)
		if (r->p->arches[i] == arch)
			return 0;
	if (r->p->narches == SECCOMP_TEXT_MAX_SECTIONS)
		return fail(r, NULL, "reading the seccomp section: too many architectures");
	r->p->arches[r->p->narches++] = arch;
	return 0;
}

static int parse_line_v2(struct reader *r, const char *line)
{
	if (line[0] == '#') {
		if (strcmp(line, DIRECTIVE_RULE_ERRNO) == 0)
			r->next_errno_implicit = true;
		else if (strcmp(line, DIRECTIVE_DEFAULT_ERRNO) == 0 && r->p->def.kind == SC_ERRNO)
			r->p->def.errno_implicit = true;
		return 0;
	}
	if (!line[0])
		return 0;
	if (line[0] == ' ' || line[0] == '\t')
		return fail(r, "remove the leading blanks",
			    "reading the seccomp profile: line starts with a blank (liblxc ignores "
			    "such a rule)");
	if (line[0] == '[')
		return parse_section(r, line);
	return parse_rule_v2(r, line);
}

static int parse_line_v1(struct reader *r, const char *line)
{
	struct sc_rule rule = { .action = { .kind = SC_ALLOW }, .line = r->line };
	uint64_t nr;

	if (!parse_u64(line, &nr) || nr > INT_MAX)
		return fail(r,
			    "version 1 profiles list native syscall numbers, one a line; use "
			    "version 2 for names, comments and actions",
			    "reading the seccomp profile: expected a syscall number, got \"%s\"",
			    line);
	rule.nr = (int)nr;
	return seccomp_text_add_rule(r->p, &rule, r->err);
}

static int parse_policy(struct reader *r, const char *line)
{
	struct sc_profile *p = r->p;
	size_t n = strcspn(line, " \t");
	const char *s;

	if (strstr(line, "debug"))
		return fail(r, "remove \"debug\"",
			    "reading the seccomp policy: liblxc does not implement debug");
	if (p->version == 1) {
		if (!strstr(line, "allowlist"))
			return fail(
				r,
				"write \"allowlist\" (liblxc 5.0 does not accept whitelist in "
				"version 1)",
				"reading the seccomp policy: version 1 supports allowlist only");
		p->def.kind = SC_KILL;
		return 0;
	}
	if (word_is(line, n, "denylist") || word_is(line, n, "blacklist"))
		p->denylist = true;
	else if (!word_is(line, n, "allowlist") && !word_is(line, n, "whitelist"))
		return fail(r, "line 2 is allowlist or denylist, optionally followed by an action",
			    "reading the seccomp policy: bad policy type \"%.*s\"", (int)n, line);
	p->def.kind = p->denylist ? SC_ALLOW : SC_KILL;
	r->rule_default.kind = p->denylist ? SC_KILL : SC_ALLOW;
	s = skip_blanks(line + n);
	if (*s && *s != '#') {
		if (parse_action(r, s, &s, &p->def) < 0)
			return -1;
		p->def_given = true;
		s = skip_blanks(s);
		if (*s && *s != '#')
			return fail(r, NULL, "reading the seccomp policy: unexpected text \"%s\"",
				    s);
	}
	return 0;
}

static int parse_version(struct reader *r, const char *line, struct sc_profile *p)
{
	if (strcmp(line, "1") == 0)
		p->version = 1;
	else if (strcmp(line, "2") == 0)
		p->version = 2;
	else
		return fail(r, "the first line is the policy version, 1 or 2",
			    "reading the seccomp profile: bad version \"%s\"", line);
	return 0;
}

int seccomp_text_parse(const char *text, size_t len, const char *name, struct sc_profile **ret,
		       struct ct_error **err)
{
	cleanup_sc_profile struct sc_profile *p = calloc(1, sizeof(*p));
	struct reader r = { .name = name, .p = p, .err = err };
	char line[SECCOMP_TEXT_MAX_LINE + 1];
	const char *pos = text, *end = text + len;
	int stage = 0;

	if (!p)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (len > SECCOMP_TEXT_MAX_SIZE)
		return ct_error_at(err, name, 0, 0, "reading the seccomp profile: over %u bytes",
				   SECCOMP_TEXT_MAX_SIZE);
	if (memchr(text, '\0', len))
		return ct_error_at(err, name, 0, 0, "reading the seccomp profile: binary content");
	while (pos < end) {
		const char *nl = memchr(pos, '\n', (size_t)(end - pos));
		size_t n = nl ? (size_t)(nl - pos) : (size_t)(end - pos);
		int rc;

		r.line++;
		if (n > SECCOMP_TEXT_MAX_LINE)
			return fail(&r, NULL, "reading the seccomp profile: line over %d bytes",
				    SECCOMP_TEXT_MAX_LINE);
		memcpy(line, pos, n);
		line[n] = '\0';
		pos += n + (nl ? 1 : 0);
		if (stage == 0)
			rc = parse_version(&r, line, p);
		else if (stage == 1 && !line[0])
			continue; /* liblxc's fscanf("%d\n") skips blank lines here */
		else if (stage == 1)
			rc = parse_policy(&r, line);
		else if (p->version == 1)
			rc = parse_line_v1(&r, line);
		else
			rc = parse_line_v2(&r, line);
		if (rc < 0)
			return rc;
		stage = stage < 2 ? stage + 1 : 2;
	}
	if (stage < 2)
		return ct_error_at(err, name, r.line, 0,
				   "reading the seccomp profile: missing the %s line",
				   stage == 0 ? "version" : "policy");
	*ret = steal_pointer(&p);
	return 0;
}

/* Writing. */

static void write_action(struct strbuf *sb, const struct sc_action *a)
{
	strbuf_puts(sb, kind_names[a->kind]);
	if (a->kind == SC_ERRNO)
		strbuf_printf(sb, " %u", a->errno_ret);
}

static void write_section(struct strbuf *sb, uint32_t arch)
{
	const char *s = arch ? seccomp_text_section_of_arch(arch) : "all";

	strbuf_printf(sb, "[%s]\n", s ? s : "all");
}

static void write_rule(struct strbuf *sb, const struct sc_rule *r)
{
	if (r->force_umount) {
		strbuf_puts(sb, "reject_force_umount\n");
		return;
	}
	if (r->action.kind == SC_ERRNO && r->action.errno_implicit)
		strbuf_puts(sb, DIRECTIVE_RULE_ERRNO "\n");
	strbuf_printf(sb, "%s ", r->name);
	write_action(sb, &r->action);
	for (unsigned i = 0; i < r->nargs; i++) {
		const struct sc_arg *a = &r->args[i];

		strbuf_printf(sb, " [%u,%llu,%s", a->index, (unsigned long long)a->value,
			      op_names[a->op].name);
		if (a->op == SC_MASKED_EQ)
			strbuf_printf(sb, ",%llu", (unsigned long long)a->mask);
		strbuf_putc(sb, ']');
	}
	strbuf_putc(sb, '\n');
}

char *seccomp_text_write(const struct sc_profile *p)
{
	cleanup_strbuf struct strbuf sb = STRBUF_INIT;
	uint32_t cur = 0;

	if (p->version == 1) {
		strbuf_puts(&sb, "1\nallowlist\n");
		for (size_t i = 0; i < p->nrules; i++)
			strbuf_printf(&sb, "%d\n", p->rules[i].nr);
		return strbuf_steal(&sb);
	}
	strbuf_printf(&sb, "2\n%s", p->denylist ? "denylist" : "allowlist");
	if (p->def.kind != (p->denylist ? SC_ALLOW : SC_KILL)) {
		strbuf_putc(&sb, ' ');
		write_action(&sb, &p->def);
	}
	strbuf_putc(&sb, '\n');
	if (p->def.kind == SC_ERRNO && p->def.errno_implicit)
		strbuf_puts(&sb, DIRECTIVE_DEFAULT_ERRNO "\n");
	for (size_t i = 0; i < p->narches; i++)
		write_section(&sb, p->arches[i]);
	if (p->narches)
		cur = p->arches[p->narches - 1];
	for (size_t i = 0; i < p->nrules; i++) {
		if (p->rules[i].arch != cur) {
			cur = p->rules[i].arch;
			write_section(&sb, cur);
		}
		write_rule(&sb, &p->rules[i]);
	}
	return strbuf_steal(&sb);
}
