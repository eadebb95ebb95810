/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Cgroup values: parsing them as the kernel does, the cgroup v1 <-> v2 formulas runc uses, and
 * device rules ("c 1:3 rwm") <-> OCI LinuxDeviceCgroup objects. */
#ifndef CT_CGROUP_CONV_H
#define CT_CGROUP_CONV_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "lxcconf.h"

/* A byte count as the kernel's memparse reads it: a number (decimal, 0x hex or 0 octal) with an
 * optional K/M/G/T/P/E suffix (either case, powers of 1024). "-1" (and "max" when allow_max) mean
 * unlimited and give -1. Returns 0, or -1 when s is not such a value or does not fit. */
int cg_parse_size(const char *s, bool allow_max, int64_t *ret);
/* Unsigned / signed integers (base prefixes as the kernel's kstrto* with base 0). */
int cg_parse_u64(const char *s, uint64_t *ret);
int cg_parse_i64(const char *s, int64_t *ret);

/* runc's formulas. shares in [2, 262144] -> cpu.weight in [1, 10000]; 0 stays 0. */
uint64_t cg_shares_to_weight(uint64_t shares);
/* The smallest shares value the forward formula turns into weight; false when none does. */
bool cg_weight_to_shares(uint64_t weight, uint64_t *ret_shares);
/* blkio.weight in [10, 1000] -> io.weight in [1, 10000]; 0 stays 0. */
uint64_t cg_blkio_to_io_weight(uint64_t weight);
bool cg_io_weight_to_blkio(uint64_t io_weight, uint64_t *ret_weight);

/* A device rule in its parts, as cg_rule_parse reads it: the translation keeps rules in this
 * form until it knows which of them reach the output, and compares them without JSON. */
struct cg_rule {
	bool allow;
	char type;		/* 'a', 'b' or 'c'; 0 for the bare "a" (no type member) */
	long long major, minor; /* -1 for '*' (no member) */
	char access[4];		/* "" when absent */
};
/* The same reading as cg_device_rule_parse, into r. */
int cg_rule_parse(const char *s, bool allow, struct cg_rule *r, const char **ret_why);
/* The OCI device cgroup object of r; NULL when out of memory. */
json_t *cg_rule_json(const struct cg_rule *r);
bool cg_rule_equal(const struct cg_rule *a, const struct cg_rule *b);
/* A rule about every device (see cg_device_rule_is_all). */
static inline bool cg_rule_is_all(const struct cg_rule *r)
{
	return r->major < 0 && r->minor < 0 && (!r->type || r->type == 'a');
}

/* Parse "a", or "TYPE MAJ:MIN [ACCESS]" (TYPE a/b/c, MAJ and MIN a number or '*', ACCESS made of
 * r, w, m) into an OCI device cgroup object {allow, type, major, minor, access}. A bare "a" gives
 * {allow, access "rwm"} (no type: runc's spelling of every device); '*' leaves major/minor out.
 * On failure returns -1 and points *ret_why at the reason. */
int cg_device_rule_parse(const char *s, bool allow, json_t **ret, const char **ret_why);
/* The rule text for an OCI device cgroup object, or NULL when it cannot be written (bad types,
 * out of range numbers). *ret_allow receives the allow member. Free the result. */
char *cg_device_rule_format(const json_t *rule, bool *ret_allow);
/* cg_device_rule_format into buf, without allocating; false when the rule cannot be written. */
#define CG_RULE_TEXT_MAX 32
bool cg_device_rule_text(const json_t *rule, bool *ret_allow, char buf[static CG_RULE_TEXT_MAX]);
/* True for a rule about every device: no major, no minor, type absent or "a". */
bool cg_device_rule_is_all(const json_t *rule);

/* Do the entries of in marked in mine read, key by key, as canon's? Device rules of one hierarchy
 * (allow and deny) compare as one sequence, since their interleaving matters. */
bool cg_same_lines(const struct lxc_config *in, const bool *mine, const struct lxc_config *canon);
/* The monitor cgroup oci2lxc pairs with a container cgroup dir: LXC's own naming, beside it
 * ("a/b" -> "a/lxc.monitor.b"). NULL when out of memory. */
char *cg_monitor_for(const char *dir);

/* The device rules runc 1.1 appends after the config's own (measured in devices.list). */
extern const char *const cg_runc_default_devices[];
extern const unsigned cg_runc_default_devices_n;
/* cg_runc_default_devices parsed (cg_rule_parse with allow true), in the same order. */
extern const struct cg_rule cg_runc_default_rules[];

/* ---- linux.resources <-> lxc.cgroup.*: the tables of the typed fields (map_cgroup_render.c),
 * shared by the two directions of the cgroup family ---- */

/* The objects of linux.resources that hold the typed fields. */
enum cg_parent { CG_P_MEMORY, CG_P_CPU, CG_P_PIDS, CG_P_BLOCKIO, CG_P_NETWORK, CG_P_N };
enum cg_kind { CG_K_SIZE, CG_K_UINT, CG_K_INT, CG_K_STR, CG_K_PIDS, CG_K_BOOL };
enum cg_conv { CG_C_NONE, CG_C_SAME, CG_C_SWAP, CG_C_SHARES, CG_C_IOWEIGHT };

/* One typed scalar of linux.resources. v2 is the cgroup2 file it relates to (NULL: none). */
struct cg_scalar {
	const char *v1, *v2, *ptr;
	enum cg_parent parent; /* the object of ptr ("/memory/limit": CG_P_MEMORY) */
	enum cg_kind kind;
	enum cg_conv conv;
};

/* v1 keys whose values are lists of "MAJ:MIN VALUE" (or "IFNAME PRIO") lines. */
enum cg_lkind { CG_L_WEIGHT, CG_L_RATE, CG_L_PRIO };
struct cg_listkey {
	const char *v1, *array;
	enum cg_parent parent; /* the object of array */
	const char *member;
	enum cg_lkind kind;
};

/* The row of a controller file (v2: of the cgroup2 spelling), NULL when none. */
const struct cg_scalar *cg_find_scalar(const char *file, bool v2);
const struct cg_listkey *cg_find_listkey(const char *file);
/* A value LXC can hold on one line. */
bool cg_line_ok(const char *s);
/* Append the v1 spelling of linux.resources res (lxc.cgroup.* lines, unified members as
 * lxc.cgroup2.*) to out. res may be NULL or not an object: nothing is written. */
int cg_render_resources(json_t *res, struct lxc_config *out, struct ct_error **err);
/* Whether the entries of in marked in mine are, in order, the lines cg_render_resources would
 * write for res. Builds nothing; false as well when it cannot tell (out of memory). */
bool cg_render_matches(json_t *res, const struct lxc_config *in, const bool *mine);

#endif
