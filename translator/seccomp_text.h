/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* LXC seccomp policy text, versions 1 and 2, as liblxc 5.0 reads it (src/lxc/seccomp.c):
 *
 *   2                               version: 1 or 2
 *   denylist [ACTION]               v2: allowlist|denylist (old: whitelist|blacklist) and the
 *                                   default action; v1: a line holding "allowlist"
 *   [x86_64]                        section: the rules below apply on that architecture
 *   NAME [ACTION] [I,V,OP(,M)]...   rule; ACTION is kill|allow|trap|notify|errno N
 *   reject_force_umount             umount2(..., MNT_FORCE) -> EACCES
 *
 * v1 rules are native syscall numbers. The reader is stricter than liblxc where liblxc would
 * silently ignore part of a line; every rejection is a located error with a hint. */
#ifndef CT_SECCOMP_TEXT_H
#define CT_SECCOMP_TEXT_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "error.h"

#define SECCOMP_TEXT_MAX_LINE 4096	 /* bytes in one line */
#define SECCOMP_TEXT_MAX_RULES 10000	 /* rule lines in one profile */
#define SECCOMP_TEXT_MAX_ARGS 6		 /* argument groups in one rule (syscall arguments) */
#define SECCOMP_TEXT_MAX_SECTIONS 64	 /* section headers in one profile */
#define SECCOMP_TEXT_MAX_SIZE (1u << 20) /* bytes in one profile file */

enum sc_kind {
	SC_KILL,
	SC_ALLOW,
	SC_TRAP,
	SC_ERRNO,
	SC_NOTIFY,
};

struct sc_action {
	enum sc_kind kind;
	unsigned errno_ret;  /* SC_ERRNO */
	bool errno_implicit; /* written from an OCI rule without errnoRet (see the writer) */
};

/* Comparison operators, in libseccomp's order (enum scmp_compare - 1). */
enum sc_op {
	SC_NE,
	SC_LT,
	SC_LE,
	SC_EQ,
	SC_GE,
	SC_GT,
	SC_MASKED_EQ,
};

/* One "[index,value,op,mask]" group, in LXC's terms: for SC_MASKED_EQ the test is
 * (arg & mask) == value; the other operators ignore mask. */
struct sc_arg {
	unsigned index;
	uint64_t value;
	uint64_t mask;
	enum sc_op op;
	bool has_mask;
};

struct sc_rule {
	char *name;	   /* syscall name; NULL for a v1 rule (nr) */
	int nr;		   /* v1: native syscall number */
	bool force_umount; /* the reject_force_umount line */
	struct sc_action action;
	bool action_given; /* false: the list's default rule action applied */
	unsigned nargs;
	struct sc_arg args[SECCOMP_TEXT_MAX_ARGS];
	uint32_t arch; /* SCMP_ARCH_* of the section, 0 for [all] (or no section) */
	unsigned line;
};

struct sc_profile {
	int version;
	bool denylist;
	struct sc_action def; /* default policy action (after the list's default) */
	bool def_given;
	uint32_t arches[SECCOMP_TEXT_MAX_SECTIONS]; /* section architectures, first-seen order */
	size_t narches;
	struct sc_rule *rules;
	size_t nrules, caprules;
};

/* Parse text (len bytes); name is used in the FILE:LINE of errors. */
int seccomp_text_parse(const char *text, size_t len, const char *name, struct sc_profile **ret,
		       struct ct_error **err);
/* Serialise as version 2 (every rule with its action spelled out). NULL on ENOMEM. */
char *seccomp_text_write(const struct sc_profile *p);
/* Append a rule (copied) to p; name is duplicated. */
int seccomp_text_add_rule(struct sc_profile *p, const struct sc_rule *r, struct ct_error **err);
void seccomp_text_free(struct sc_profile *p);
void seccomp_text_freep(struct sc_profile **p);
#define cleanup_sc_profile __attribute__((cleanup(seccomp_text_freep)))

/* Architecture of an LXC section name ("arm64" -> SCMP_ARCH_AARCH64); 0 when liblxc 5.0 has no
 * such section. */
uint32_t seccomp_text_arch_of_section(const char *section);
/* Section name of an SCMP_ARCH_* token, or NULL when LXC has no section for it. */
const char *seccomp_text_section_of_arch(uint32_t arch);
/* "kill", "errno", ... */
const char *seccomp_text_kind_name(enum sc_kind kind);
/* "SCMP_CMP_EQ", ... and back (-1 when unknown). */
const char *seccomp_text_op_name(enum sc_op op);
int seccomp_text_op_from_name(const char *name);

#endif
