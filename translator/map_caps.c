/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lxc.cap.drop / lxc.cap.keep <-> process.capabilities.
 *
 * liblxc shapes only the bounding set (PR_CAPBSET_DROP before exec): drop removes the listed
 * capabilities, keep removes all others ("none" clears the list: keep none drops everything).
 * A root init then execs with effective = permitted = bounding; a non-root lxc.init.uid loses
 * effective and permitted at setresuid(). liblxc raises ambient capabilities only when started
 * setuid (uid != 0, euid 0) and clears them again before exec, so inheritable and ambient are
 * empty. "Every capability" is the running kernel's set (cap_max_bits()) when the container
 * has a user namespace, else the starting process's bounding set (see full_mask()); both
 * directions decide it from the config they read (lxc.idmap and lxc.namespace.*, or a user
 * entry in linux.namespaces). */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <unistd.h>

#include "cleanup.h"
#include "families.h"
#include "jsonutil.h"
#include "strbuf.h"

#define KEY_DROP "lxc.cap.drop"
#define KEY_KEEP "lxc.cap.keep"
#define META_CAP CT_ANNOT_META "cap"
#define MAX_CAPS 64

enum mode { MODE_NONE, MODE_DROP, MODE_KEEP };

struct capset {
	enum mode mode;
	int v[MAX_CAPS]; /* drop or keep list, first-seen order, no duplicates */
	size_t n;
};

static int ncaps(void)
{
	int n = (int)cap_max_bits();

	return n > 0 && n <= MAX_CAPS ? n : 41;
}

/* The calling thread's bounding set as its /proc status shows it ("CapBnd:\t" and 16 hex
 * digits): three system calls where PR_CAPBSET_READ takes one per capability. false when /proc
 * cannot say (not mounted, an older kernel without thread-self). */
static bool bounding_from_proc(uint64_t *ret)
{
	static const char tag[] = "\nCapBnd:\t";
	cleanup_close int fd = open("/proc/thread-self/status", O_RDONLY | O_CLOEXEC);
	char buf[8192], *end;
	const char *p;
	unsigned long long v;
	ssize_t n;

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	p = strstr(buf, tag);
	if (!p)
		return false;
	p += sizeof(tag) - 1;
	errno = 0;
	v = strtoull(p, &end, 16);
	if (errno || end == p || *end != '\n')
		return false;
	*ret = v;
	return true;
}

/* The calling thread's bounding set, read once per thread. Only the thread itself can change
 * it (prctl(PR_CAPBSET_DROP) shrinks it; clone and fork copy it), so the answer holds until that
 * thread calls ct_caps_forget_bounding(). Reading /proc on every translation cost more than a
 * twentieth of an oci2lxc translation. */
static __thread struct {
	bool known;
	uint64_t mask;
} thread_bounding;

void ct_caps_forget_bounding(void)
{
	thread_bounding.known = false;
}

static uint64_t bounding_set(int n)
{
	uint64_t m = 0;

	if (thread_bounding.known)
		return thread_bounding.mask;
	if (bounding_from_proc(&m))
		m &= n == 64 ? ~0ULL : (1ULL << n) - 1;
	else
		for (int c = 0; c < n; c++)
			if (cap_get_bound(c) != 0)
				m |= 1ULL << c;
	thread_bounding.mask = m;
	thread_bounding.known = true;
	return m;
}

/* "Every capability". In a user namespace of its own (or one it joins) the container's init
 * gets the kernel's full set, whatever the starting process holds. Without one it keeps the
 * starting process's bounding set at most: normally every capability too, in a restricted
 * sandbox fewer, and runc refuses to raise the missing ones ("unable to apply caps"). */
static uint64_t full_mask(bool userns)
{
	int n = ncaps();

	if (userns)
		return n == 64 ? ~0ULL : (1ULL << n) - 1;
	return bounding_set(n);
}

static bool names_user(const char *list)
{
	for (const char *p = list + strspn(list, " \t"); *p; p += strspn(p, " \t")) {
		size_t n = strcspn(p, " \t");

		if (n == 4 && strncasecmp(p, "user", 4) == 0)
			return true;
		p += n;
	}
	return false;
}

/* Does liblxc give the container a user namespace? As liblxc resolves the clone flags: the
 * listed ones with lxc.namespace.clone, all but the kept ones with lxc.namespace.keep, else
 * user only with an idmap; lxc.namespace.share.user joins one. */
static bool lxc_userns(const struct lxc_config *conf)
{
	const struct lxc_entry *e;
	bool clone = false, keep = false, in_clone = false, kept = false;

	if (lxcconf_get(conf, "lxc.namespace.share.user"))
		return true;
	for (size_t i = 0; (e = lxcconf_next(conf, "lxc.namespace.", true, &i)); i++) {
		if (strcmp(e->key, "lxc.namespace.clone") == 0) {
			clone = true;
			in_clone = in_clone || names_user(e->value);
		} else if (strcmp(e->key, "lxc.namespace.keep") == 0) {
			keep = true;
			kept = kept || names_user(e->value);
		}
	}
	if (clone)
		return in_clone;
	if (keep)
		return !kept;
	return lxcconf_get(conf, "lxc.idmap") != NULL;
}

/* The same for an OCI config: a user namespace in linux.namespaces, new or joined. */
static bool oci_userns(json_t *oci)
{
	json_t *list = ct_json_get(oci, "/linux/namespaces"), *ns;
	size_t i;

	json_array_foreach (list, i, ns) {
		const char *type = json_string_value(json_object_get(ns, "type"));

		if (type && strcmp(type, "user") == 0)
			return true;
	}
	return false;
}

/* The kernel's capability names by number, in OCI's and liblxc's spelling, so the names of a
 * bounding set (written three times per translation) need no libcap call, no allocation and no
 * case conversion. Numbers past the table are asked from libcap. */
/* clang-format off */
#define CAP(upper, lower) { "CAP_" #upper, #lower }
/* clang-format on */
static const struct {
	const char *oci, *lxc;
} known_names[] = {
	CAP(CHOWN, chown),
	CAP(DAC_OVERRIDE, dac_override),
	CAP(DAC_READ_SEARCH, dac_read_search),
	CAP(FOWNER, fowner),
	CAP(FSETID, fsetid),
	CAP(KILL, kill),
	CAP(SETGID, setgid),
	CAP(SETUID, setuid),
	CAP(SETPCAP, setpcap),
	CAP(LINUX_IMMUTABLE, linux_immutable),
	CAP(NET_BIND_SERVICE, net_bind_service),
	CAP(NET_BROADCAST, net_broadcast),
	CAP(NET_ADMIN, net_admin),
	CAP(NET_RAW, net_raw),
	CAP(IPC_LOCK, ipc_lock),
	CAP(IPC_OWNER, ipc_owner),
	CAP(SYS_MODULE, sys_module),
	CAP(SYS_RAWIO, sys_rawio),
	CAP(SYS_CHROOT, sys_chroot),
	CAP(SYS_PTRACE, sys_ptrace),
	CAP(SYS_PACCT, sys_pacct),
	CAP(SYS_ADMIN, sys_admin),
	CAP(SYS_BOOT, sys_boot),
	CAP(SYS_NICE, sys_nice),
	CAP(SYS_RESOURCE, sys_resource),
	CAP(SYS_TIME, sys_time),
	CAP(SYS_TTY_CONFIG, sys_tty_config),
	CAP(MKNOD, mknod),
	CAP(LEASE, lease),
	CAP(AUDIT_WRITE, audit_write),
	CAP(AUDIT_CONTROL, audit_control),
	CAP(SETFCAP, setfcap),
	CAP(MAC_OVERRIDE, mac_override),
	CAP(MAC_ADMIN, mac_admin),
	CAP(SYSLOG, syslog),
	CAP(WAKE_ALARM, wake_alarm),
	CAP(BLOCK_SUSPEND, block_suspend),
	CAP(AUDIT_READ, audit_read),
	CAP(PERFMON, perfmon),
	CAP(BPF, bpf),
	CAP(CHECKPOINT_RESTORE, checkpoint_restore),
};
#undef CAP

#define CAP_NAME_MAX 64

/* The table's names by a hash of their lowercase spelling without "cap_": every name of the
 * five OCI sets is parsed on every translation, and libcap's cap_from_name() copies, folds and
 * searches each one. Slot holds the capability + 1, 0 when empty. */
#define NAME_SLOTS 128
static unsigned char name_slot[NAME_SLOTS];
static pthread_once_t name_slots_once = PTHREAD_ONCE_INIT;

static unsigned name_hash(const char *s, size_t n)
{
	unsigned h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)tolower((unsigned char)s[i])) * 16777619u;
	return h % NAME_SLOTS;
}

static void fill_name_slots(void)
{
	for (size_t c = 0; c < CT_ARRAY_SIZE(known_names); c++) {
		const char *n = known_names[c].lxc;
		unsigned h = name_hash(n, strlen(n));

		while (name_slot[h])
			h = (h + 1) % NAME_SLOTS;
		name_slot[h] = (unsigned char)(c + 1);
	}
}

/* A name of the table, in any case, without its "cap_" prefix; -1 when not there. */
static int known_cap(const char *name, size_t n)
{
	pthread_once(&name_slots_once, fill_name_slots);
	for (unsigned h = name_hash(name, n); name_slot[h]; h = (h + 1) % NAME_SLOTS) {
		const char *k = known_names[name_slot[h] - 1].lxc;

		if (strncasecmp(k, name, n) == 0 && k[n] == '\0')
			return name_slot[h] - 1;
	}
	return -1;
}

/* "sys_admin", "CAP_SYS_ADMIN", "cap_sys_admin" or a number; -1 when unknown. Names past the
 * table (a newer kernel's) and numbers are asked from libcap. */
static int cap_parse(const char *name)
{
	char buf[64];
	size_t n = strlen(name);
	cap_value_t v;
	int known;

	if (n >= sizeof(buf) - 4)
		return -1;
	known = strncasecmp(name, "cap_", 4) == 0 ? known_cap(name + 4, n - 4) : known_cap(name, n);
	if (known >= 0)
		return known < ncaps() ? known : -1;
	if (strncasecmp(name, "cap_", 4) == 0 || isdigit((unsigned char)name[0])) {
		memcpy(buf, name, n + 1);
	} else {
		memcpy(buf, "cap_", 4);
		memcpy(buf + 4, name, n + 1);
	}
	if (cap_from_name(buf, &v) < 0 || v < 0 || v >= ncaps())
		return -1;
	return v;
}

/* The spelling liblxc writes: lowercase, without the prefix; NULL when out of memory. buf holds
 * a name libcap gave. */
static const char *cap_lxc_name(int cap, char buf[CAP_NAME_MAX])
{
	char *n;

	if (cap >= 0 && (size_t)cap < CT_ARRAY_SIZE(known_names))
		return known_names[cap].lxc;
	n = cap_to_name(cap);
	if (!n)
		return NULL;
	snprintf(buf, CAP_NAME_MAX, "%s", strncmp(n, "cap_", 4) == 0 ? n + 4 : n);
	cap_free(n);
	return buf;
}

/* CAP_ and the name in upper case (in buf past the table); NULL when out of memory. */
static const char *cap_oci_name(int cap, char buf[CAP_NAME_MAX])
{
	char lxc[CAP_NAME_MAX];
	const char *n;
	size_t i;

	if (cap >= 0 && (size_t)cap < CT_ARRAY_SIZE(known_names))
		return known_names[cap].oci;
	n = cap_lxc_name(cap, lxc);
	if (!n)
		return NULL;
	memcpy(buf, "CAP_", 4);
	for (i = 0; n[i] && i + 4 < CAP_NAME_MAX - 1; i++)
		buf[i + 4] = (char)toupper((unsigned char)n[i]);
	buf[i + 4] = '\0';
	return buf;
}

static bool lxc_spelling(const char *token)
{
	if (isdigit((unsigned char)token[0]))
		return true;
	if (strncasecmp(token, "cap_", 4) == 0)
		return false;
	for (const char *p = token; *p; p++)
		if (isupper((unsigned char)*p))
			return false;
	return true;
}

/* Append value to out with every token in liblxc's spelling (CAP_SYS_RAWIO, cap_sys_rawio
 * and SYS_RAWIO become sys_rawio; numbers and "none" stay), blanks kept as they are. liblxc
 * 5.0.2 refuses to load a config with any other spelling ("Failed to parse config file"), so
 * no line oci2lxc writes may hold one. Unknown tokens are copied (the caller checked them). */
static void put_lxc_spelling(struct strbuf *out, const char *value)
{
	for (const char *p = value; *p;) {
		size_t blank = strspn(p, " \t"), n;
		char tok[64];
		int cap;

		strbuf_add(out, p, blank);
		p += blank;
		n = strcspn(p, " \t");
		if (!n)
			break;
		memcpy(tok, p, n < sizeof(tok) ? n : sizeof(tok) - 1);
		tok[n < sizeof(tok) ? n : sizeof(tok) - 1] = '\0';
		cap = n < sizeof(tok) && !lxc_spelling(tok) ? cap_parse(tok) : -1;
		if (cap >= 0) {
			char buf[CAP_NAME_MAX];
			const char *good = cap_lxc_name(cap, buf);

			strbuf_puts(out, good ? good : tok);
		} else {
			strbuf_add(out, p, n);
		}
		p += n;
	}
}

static void set_add(struct capset *s, int cap)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i] == cap)
			return;
	if (s->n < MAX_CAPS)
		s->v[s->n++] = cap;
}

/* Apply one lxc.cap.drop/keep value. ctx NULL: quiet (reading a recorded spelling back). */
static int apply_entry(struct ct_ctx *ctx, struct ct_error **err, const struct lxc_entry *e,
		       bool keep, struct capset *s)
{
	cleanup_free char *copy = strdup(e->value);
	char *save = NULL;

	if (!copy)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (s->mode != MODE_NONE && s->mode != (keep ? MODE_KEEP : MODE_DROP))
		return ct_error_hint(err,
				     ct_error_entry(err, e,
						    "lxc.cap.keep and lxc.cap.drop cannot "
						    "be combined (liblxc refuses the config)"),
				     "use one of them");
	s->mode = keep ? MODE_KEEP : MODE_DROP;
	for (char *t = strtok_r(copy, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		int cap;

		if (strcmp(t, "none") == 0) {
			if (!keep)
				return ct_error_hint(err,
						     ct_error_entry(err, e,
								    "\"none\" is only valid "
								    "for lxc.cap.keep"),
						     "lxc.cap.keep = none drops every capability");
			s->n = 0;
			continue;
		}
		cap = cap_parse(t);
		if (cap < 0)
			return ct_error_hint(err,
					     ct_error_entry(err, e, "unknown capability \"%s\"", t),
					     "names as in capabilities(7) without CAP_, lowercase "
					     "(sys_admin), or a number below %d",
					     ncaps());
		if (ctx && !lxc_spelling(t)) {
			char buf[CAP_NAME_MAX];
			const char *good = cap_lxc_name(cap, buf);

			if (ct_warn_entry(ctx, err, e,
					  "liblxc 5.0 refuses to load the spelling \"%s\": "
					  "translated, and written back as \"%s\"",
					  t, good ? good : "?") < 0)
				return -1;
		}
		set_add(s, cap);
	}
	return 0;
}

/* The bounding set liblxc leaves, in the order OCI gets it. */
static size_t bounding_of(const struct capset *s, uint64_t full, int *out)
{
	size_t n = 0;

	if (s->mode == MODE_KEEP) {
		memcpy(out, s->v, s->n * sizeof(int));
		return s->n;
	}
	for (int c = 0; c < ncaps(); c++) {
		bool dropped = !(full & (1ULL << c));

		for (size_t i = 0; i < s->n && s->mode == MODE_DROP; i++)
			dropped = dropped || s->v[i] == c;
		if (!dropped)
			out[n++] = c;
	}
	return n;
}

/* The lxc.cap.* lines oci2lxc writes for a bounding set (one entry, or none). */
static int canonical_entry(const int *b, size_t nb, uint64_t full, char **ret_key,
			   struct strbuf *val)
{
	uint64_t in = 0, drop;
	bool sorted = true;
	size_t ndrop;

	*ret_key = NULL;
	for (size_t i = 0; i < nb; i++) {
		in |= 1ULL << b[i];
		if (i && b[i] <= b[i - 1])
			sorted = false;
	}
	drop = full & ~in;
	ndrop = (size_t)__builtin_popcountll(drop);
	if (sorted && in == full)
		return 0;
	if (nb == 0) {
		*ret_key = KEY_KEEP;
		strbuf_puts(val, "none");
		return 0;
	}
	if (sorted && !(in & ~full) && ndrop <= nb) {
		*ret_key = KEY_DROP;
		for (int c = 0; c < ncaps(); c++) {
			char buf[CAP_NAME_MAX];
			const char *n;

			if (!(drop & (1ULL << c)))
				continue;
			n = cap_lxc_name(c, buf);
			if (val->len)
				strbuf_putc(val, ' ');
			strbuf_puts(val, n ? n : "?");
		}
	} else {
		*ret_key = KEY_KEEP;
		for (size_t i = 0; i < nb; i++) {
			char buf[CAP_NAME_MAX];
			const char *n = cap_lxc_name(b[i], buf);

			if (val->len)
				strbuf_putc(val, ' ');
			strbuf_puts(val, n ? n : "?");
		}
	}
	return val->oom ? -ENOMEM : 0;
}

static json_t *names_json(const int *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < n; i++) {
		char buf[CAP_NAME_MAX];
		const char *name = cap_oci_name(v[i], buf);

		/* ASCII from the table or libcap: no UTF-8 check needed */
		if (!name || json_array_append_new(a, json_string_nocheck(name)) < 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

/* A second array of the same names: the string nodes are shared (nothing in the translation
 * changes a string in place), which saves two allocations per name for each copy. */
static json_t *names_again(json_t *names)
{
	json_t *a = json_array();

	/* json_array_extend takes a reference to each element, with room made once */
	if (!a || json_array_extend(a, names) < 0) {
		json_decref(a);
		return NULL;
	}
	return a;
}

static unsigned long init_uid(const struct lxc_config *conf)
{
	const char *v = lxcconf_get(conf, "lxc.init.uid");
	char *end;
	unsigned long uid;

	if (!v)
		return 0;
	errno = 0;
	uid = strtoul(v, &end, 10);
	return errno || *end ? 0 : uid;
}

/* Meta annotation: the drop/keep lines as written, "KEY=VALUE" joined with "\n", when they are
 * not what oci2lxc writes for the same bounding set. */
static int record_spelling(struct ct_ctx *ctx, struct ct_error **err, const int *b, size_t nb,
			   uint64_t full)
{
	cleanup_strbuf struct strbuf canon = STRBUF_INIT, orig = STRBUF_INIT;
	const struct lxc_entry *e;
	unsigned nentries = 0;
	char *key;
	json_t *annot;

	if (canonical_entry(b, nb, full, &key, &canon) < 0)
		return ct_error_set(err, ENOMEM, "out of memory");
	for (size_t i = 0; (e = lxcconf_next(ctx->lxc, "lxc.cap.", true, &i)); i++) {
		if (strcmp(e->key, KEY_DROP) && strcmp(e->key, KEY_KEEP))
			continue;
		if (nentries++)
			strbuf_putc(&orig, '\n');
		strbuf_puts(&orig, e->key);
		strbuf_putc(&orig, '=');
		put_lxc_spelling(&orig, e->value);
	}
	if (orig.oom)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (key && nentries == 1 && strncmp(orig.s, key, strlen(key)) == 0 &&
	    strcmp(orig.s + strlen(key) + 1, canon.s) == 0)
		return 0;
	if (!key && !nentries)
		return 0;
	annot = ct_json_obj(ctx->oci, "/annotations");
	if (!annot || ct_json_set_member(annot, META_CAP, ct_json_str(orig.s)) < 0)
		return ct_error_set(err, ENOMEM, "out of memory");
	return 0;
}

static int caps_to_oci(struct ct_ctx *ctx, struct ct_error **err)
{
	uint64_t full = full_mask(lxc_userns(ctx->lxc));
	struct capset s = { 0 };
	const struct lxc_entry *e;
	int b[MAX_CAPS];
	size_t nb;
	json_t *caps, *bounding;

	for (size_t i = 0; (e = lxcconf_next(ctx->lxc, "lxc.cap.", true, &i)); i++) {
		bool keep = strcmp(e->key, KEY_KEEP) == 0;

		if (!keep && strcmp(e->key, KEY_DROP) != 0)
			continue;
		ct_use(ctx, i);
		if (apply_entry(ctx, err, e, keep, &s) < 0)
			return -1;
	}
	nb = bounding_of(&s, full, b);
	if (record_spelling(ctx, err, b, nb, full) < 0)
		return -1;
	if (!nb)
		return 0;
	caps = ct_json_obj(ctx->oci, "/process/capabilities");
	bounding = names_json(b, nb);
	if (!caps || json_object_set_new_nocheck(caps, "bounding", bounding) < 0)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (init_uid(ctx->lxc) != 0)
		return 0;
	if (json_object_set_new_nocheck(caps, "effective", names_again(bounding)) < 0 ||
	    json_object_set_new_nocheck(caps, "permitted", names_again(bounding)) < 0)
		return ct_error_set(err, ENOMEM, "out of memory");
	return 0;
}

/* OCI -> LXC. */

/* Capability numbers of an OCI set, in order, duplicates and unknown names left out (warned
 * about when warn is set). */
static int oci_set(struct ct_ctx *ctx, struct ct_error **err, json_t *caps, const char *set,
		   bool warn, struct capset *out)
{
	json_t *list = json_object_get(caps, set), *v;
	size_t i;

	out->n = 0;
	json_array_foreach (list, i, v) {
		const char *name = json_string_value(v);
		int cap = name && strncasecmp(name, "CAP_", 4) == 0 ? cap_parse(name) : -1;

		if (cap >= 0) {
			set_add(out, cap);
			continue;
		}
		if (warn) {
			char pointer[80];

			snprintf(pointer, sizeof(pointer), "/process/capabilities/%s/%zu", set, i);
			if (ct_warn_oci(ctx, err, pointer,
					"unknown capability \"%s\" for this "
					"kernel (kept as a carry line)",
					name ? name : "") < 0)
				return -1;
		}
	}
	return 0;
}

static uint64_t mask_of(const int *v, size_t n)
{
	uint64_t m = 0;

	for (size_t i = 0; i < n; i++)
		m |= 1ULL << v[i];
	return m;
}

enum { SET_EFF, SET_PRM, SET_INH, SET_AMB, NSETS };

/* Warn about the sets where the init under liblxc really differs from the OCI runtime's.
 * What an OCI runtime's init ends with, after its execve of a plain file:
 *  - ambient: only the capabilities it could raise, those in permitted and inheritable
 *    (runc spec's inheritable set is empty, so its ambient set comes to nothing);
 *  - uid 0: effective = permitted = bounding (plus inheritable), whatever the config says;
 *  - other uids: effective = permitted = that ambient set;
 *  - inheritable: as configured.
 * Under liblxc inheritable and ambient are empty, and root gets its bounding set, others
 * nothing. The sets' carry lines keep the round trip exact either way; only a real
 * difference is warned about. */
static int warn_sets(struct ct_ctx *ctx, struct ct_error **err, json_t *caps, const int *b,
		     size_t nb, unsigned long uid)
{
	static const char *const sets[NSETS] = { "effective", "permitted", "inheritable",
						 "ambient" };
	static const char *const why[NSETS] = {
		[SET_EFF] = "under liblxc a non-root init has no capabilities, under an OCI "
			    "runtime its ambient ones",
		[SET_PRM] = "under liblxc a non-root init has no capabilities, under an OCI "
			    "runtime its ambient ones",
		[SET_INH] = "under liblxc the init's inheritable set is empty",
		[SET_AMB] = "an OCI runtime raises the ambient capabilities that are also "
			    "permitted and inheritable, liblxc none",
	};
	uint64_t m[NSETS], amb;
	bool real[NSETS];

	for (size_t i = 0; i < NSETS; i++) {
		struct capset got = { 0 };

		if (oci_set(ctx, err, caps, sets[i], false, &got) < 0)
			return -1;
		m[i] = mask_of(got.v, got.n);
	}
	amb = m[SET_AMB] & m[SET_PRM] & m[SET_INH] & mask_of(b, nb);
	real[SET_INH] = m[SET_INH] != 0;
	real[SET_AMB] = amb != 0;
	real[SET_EFF] = real[SET_PRM] = uid != 0 && amb != 0;
	for (size_t i = 0; i < NSETS; i++) {
		static const char prefix[] = "/process/capabilities/";
		char pointer[64];
		size_t n = strlen(sets[i]);
		int rc;

		if (!json_object_get(caps, sets[i]) || sizeof(prefix) + n > sizeof(pointer))
			continue;
		memcpy(pointer, prefix, sizeof(prefix) - 1);
		memcpy(pointer + sizeof(prefix) - 1, sets[i], n + 1);
		if (!real[i])
			rc = ct_quiet_oci(ctx, pointer, err);
		else
			rc = ct_warn_oci(ctx, err, pointer,
					 "LXC cannot set this: %s (kept as a carry line, which "
					 "liblxc ignores)",
					 why[i]);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* Use the lines lxc2oci recorded when they still give this bounding set. */
static int recorded_spelling(struct ct_ctx *ctx, struct ct_error **err, const int *b, size_t nb,
			     uint64_t full, bool *ret_done)
{
	const char *meta = json_string_value(
		json_object_get(json_object_get(ctx->oci, "annotations"), META_CAP));
	cleanup_free char *copy = meta ? strdup(meta) : NULL;
	struct capset s = { 0 };
	int got[MAX_CAPS];
	char *save = NULL;
	size_t ngot;

	*ret_done = false;
	if (!copy)
		return 0;
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(l, '=');
		struct lxc_entry e = { .key = l, .value = eq ? eq + 1 : NULL };

		if (!eq || !eq[1])
			return 0;
		*eq = '\0';
		if ((strcmp(l, KEY_DROP) && strcmp(l, KEY_KEEP)) ||
		    apply_entry(NULL, NULL, &e, strcmp(l, KEY_KEEP) == 0, &s) < 0)
			return 0;
	}
	ngot = bounding_of(&s, full, got);
	if (ngot != nb || memcmp(got, b, nb * sizeof(int)) != 0)
		return 0;
	strcpy(copy, meta);
	save = NULL;
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		cleanup_strbuf struct strbuf v = STRBUF_INIT;
		char *eq = strchr(l, '=');

		*eq = '\0';
		put_lxc_spelling(&v, eq + 1);
		if (v.oom)
			return ct_error_set(err, ENOMEM, "out of memory");
		if (lxcconf_add(ctx->lxc, l, v.s, NULL, 0, err) < 0)
			return -1;
	}
	*ret_done = true;
	return 0;
}

static int caps_to_lxc(struct ct_ctx *ctx, struct ct_error **err)
{
	json_t *caps = ct_json_get(ctx->oci, "/process/capabilities");
	json_t *uidj = ct_json_get(ctx->oci, "/process/user/uid");
	unsigned long uid = json_is_integer(uidj) ? (unsigned long)json_integer_value(uidj) : 0;
	uint64_t full = full_mask(oci_userns(ctx->oci));
	cleanup_strbuf struct strbuf val = STRBUF_INIT;
	struct capset bs = { 0 };
	bool done;
	char *key;

	if (oci_set(ctx, err, caps, "bounding", true, &bs) < 0 ||
	    warn_sets(ctx, err, caps, bs.v, bs.n, uid) < 0 ||
	    recorded_spelling(ctx, err, bs.v, bs.n, full, &done) < 0)
		return -1;
	if (done)
		return 0;
	if (canonical_entry(bs.v, bs.n, full, &key, &val) < 0)
		return ct_error_set(err, ENOMEM, "out of memory");
	if (!key)
		return 0;
	return lxcconf_add(ctx->lxc, key, val.s, NULL, 0, err);
}

static const struct ct_doc_row doc[] = {
	{ "lxc.cap.drop", "process.capabilities.bounding",
	  "bounding = every capability minus the dropped ones, in number order. Every "
	  "capability is what a container started from the translating machine gets: with a "
	  "user namespace (an lxc.idmap, or user in linux.namespaces) all of the running "
	  "kernel's (cap_max_bits(), 41 on 6.x); without one only those in the translating "
	  "process's bounding set (normally all of them; runc cannot raise others). Names "
	  "lowercase without CAP_, or numbers (liblxc 5.0 refuses to load CAP_SYS_ADMIN, "
	  "cap_sys_admin or SYS_ADMIN: accepted with a warning, always written back as "
	  "sys_admin). oci2lxc writes drop when the bounding set is in number order and the drop "
	  "list is not longer than the keep list. A round trip across kernels with a different "
	  "CAP_LAST_CAP (or bounding sets) is not exact" },
	{ "lxc.cap.keep", "process.capabilities.bounding",
	  "bounding = the kept capabilities in the order written; keep none: no capabilities "
	  "(OCI without process.capabilities). keep and drop together are an error, as in "
	  "liblxc. Several lines, or another order, are recorded in the annotation "
	  "org.ctlaunch.meta.cap and written back as they were, names in liblxc's spelling" },
	{ "lxc.init.uid", "process.capabilities.effective, permitted",
	  "uid 0: equal to the bounding set (root's exec fills them from it, under an OCI "
	  "runtime too, whatever the config says); any other uid: empty (setresuid clears "
	  "them; an OCI runtime's init keeps only its ambient ones). Other OCI values travel as "
	  "carry lines, warned about only when the init's sets really differ (a non-root init "
	  "with ambient capabilities)" },
	{ "-", "process.capabilities.inheritable, ambient",
	  "always empty under liblxc (ambient capabilities are raised only for a setuid start "
	  "and cleared before exec); OCI values travel as carry lines. An OCI runtime raises "
	  "only the ambient capabilities that are also permitted and inheritable, so runc "
	  "spec's ambient set (no inheritable set) comes to nothing as under liblxc: warned "
	  "about only for a non-empty inheritable set or raisable ambient capabilities" },
	{ NULL, NULL, NULL },
};

const struct ct_family ct_family_caps = {
	.name = "caps",
	.to_oci = caps_to_oci,
	.to_lxc = caps_to_lxc,
	.doc = doc,
};
