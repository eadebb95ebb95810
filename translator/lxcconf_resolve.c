/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The second pass of the LXC configuration reader (lxcconf_parse.c): which of the recorded
 * assignments liblxc would end up with. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "lxcconf_internal.h"
#include "lxckeys.h"

/* key, of interface net (or -1), is lxc.net.N.type. */
static bool is_net_type(const char *key, int net)
{
	const char *dot;

	if (net < 0)
		return false;
	dot = strchr(key + strlen("lxc.net."), '.');
	return dot && strcmp(dot, ".type") == 0;
}

/*
 * Resolution. The reading pass records every assignment in order (empty values and clear-only
 * keys included); this pass then keeps the entries liblxc would end up with, in O(n log n)
 * whatever the input. Each assignment at index i (position 2i) emits "clear events" on groups:
 * an empty value clears its key's group, a scalar assignment clears earlier ones of its key
 * (position 2i - 1), lxc.net.N.type resets interface N, a bare family key clears the family.
 * An entry survives when no group it belongs to has an event after it.
 */
struct event {
	/* The group: */
	const char *name; /* key, "lxc.cap" or a bare family key; NULL for an interface */
	int iface;	  /* interface index when name is NULL */
	uint32_t pos;	  /* (< 2 * LXCCONF_MAX_ENTRIES + 2) */
	uint32_t op;	  /* the assignment that emitted it */
	bool reset;	  /* lxc.net.N.type set (not cleared) */
};

/* Events of configs up to this many entries are kept on the stack: 24 bytes each, and a
 * request of 1 KiB or more makes glibc consolidate its fast bins. */
#define STACK_ENTRIES 128

struct events {
	struct event *v;
	size_t n;
	const char *bare[16]; /* distinct bare family keys cleared (lxc.hook, lxc.cgroup, ...) */
	size_t nbare;
};

/* Compare the groups of two events. */
static int cmp_group(const struct event *a, const struct event *b)
{
	if (!a->name || !b->name)
		return a->name ? 1 : b->name ? -1 : (a->iface > b->iface) - (a->iface < b->iface);
	return strcmp(a->name, b->name);
}

static int cmp_event(const void *a, const void *b)
{
	const struct event *x = a, *y = b;
	int c = cmp_group(x, y);

	return c ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

static int cmp_event_group(const void *key, const void *elem)
{
	return cmp_group(key, elem);
}

/* The group of a key's own assignments: cap.drop and cap.keep share one list in liblxc. */
static const char *key_group(const char *key)
{
	if (strcmp(key, "lxc.cap.drop") == 0 || strcmp(key, "lxc.cap.keep") == 0)
		return "lxc.cap";
	return key;
}

static void add_event(struct events *ev, const char *name, int iface, size_t pos, size_t op,
		      bool reset)
{
	ev->v[ev->n++] = (struct event){ name, iface, (uint32_t)pos, (uint32_t)op, reset };
}

static void note_bare(struct events *ev, const char *key)
{
	for (size_t i = 0; i < ev->nbare; i++)
		if (strcmp(ev->bare[i], key) == 0)
			return;
	if (ev->nbare < CT_ARRAY_SIZE(ev->bare))
		ev->bare[ev->nbare++] = key;
}

static void collect_events(const struct lxc_config *conf, const struct lxcconf_rec *recs,
			   struct events *ev)
{
	for (size_t i = 0; i < conf->n; i++) {
		const char *key = conf->v[i].key;
		bool empty = conf->v[i].value[0] == '\0';
		size_t pos = 2 * i + 1; /* after 2i - 1 and before 2i + 1: shifted by one */
		int iface = recs[i].net;

		if (recs[i].row->flags & LXCKEY_CLEAR_ONLY) {
			if (iface >= 0) {
				add_event(ev, NULL, iface, pos, i, false);
			} else {
				add_event(ev, key, -1, pos, i, false);
				note_bare(ev, key);
			}
			continue;
		}
		if (empty || recs[i].row->kind == LXCKEY_SCALAR)
			add_event(ev, key_group(key), -1, empty ? pos : pos - 1, i, false);
		if (is_net_type(key, iface))
			add_event(ev, NULL, iface, empty ? pos : pos - 1, i, !empty);
	}
}

/* Sort, and keep only the last event of each group. */
static void last_events_only(struct events *ev)
{
	size_t w = 0;

	qsort(ev->v, ev->n, sizeof(*ev->v), cmp_event);
	for (size_t i = 0; i < ev->n; i++) {
		if (i + 1 < ev->n && cmp_group(&ev->v[i], &ev->v[i + 1]) == 0)
			continue;
		ev->v[w++] = ev->v[i];
	}
	ev->n = w;
}

/* The last event of a group, or NULL. */
static const struct event *last_event(const struct events *ev, const char *name, int iface)
{
	struct event g = { .name = name, .iface = iface };

	return bsearch(&g, ev->v, ev->n, sizeof(*ev->v), cmp_event_group);
}

/* Does an event of another group than the interface drop the entry at pos? e: the last event
 * of the key's group. */
static bool dropped_by_key(const struct events *ev, const struct event *e, const char *key,
			   size_t pos)
{
	if (e && e->pos > pos)
		return true;
	for (size_t b = 0; b < ev->nbare; b++) {
		if (!lxckey_family_clears(ev->bare[b], key))
			continue;
		e = last_event(ev, ev->bare[b], -1);
		if (e && e->pos > pos)
			return true;
	}
	return false;
}

static int warn_reset(struct ct_diag *diag, const struct lxc_entry *lost,
		      const struct lxc_entry *type, struct ct_error **err)
{
	return ct_warn(diag, err, lost->file, lost->line, 0,
		       "%s has no effect: %s at %s:%u resets the interface, as in liblxc; set "
		       "the type first",
		       lost->key, type->key, type->file ? type->file : "?", type->line);
}

/* Keep what liblxc keeps; warn about settings lost to an interface reset. */
int lxcconf_resolve(struct lxc_config *conf, const struct lxcconf_rec *recs, struct ct_diag *diag,
		    struct ct_error **err)
{
	struct event small_v[2 * STACK_ENTRIES + 1];
	bool small_keep[STACK_ENTRIES + 1] = { false };
	cleanup_free struct event *heap_v = NULL;
	cleanup_free bool *heap_keep = NULL;
	struct events ev = { .v = small_v };
	bool *keep = small_keep;
	const struct event *ke = NULL; /* the last event of key's group */
	const char *key = NULL;
	int rc = 0;

	if (conf->n > STACK_ENTRIES) {
		ev.v = heap_v = calloc(2 * conf->n + 1, sizeof(*heap_v));
		keep = heap_keep = calloc(conf->n + 1, sizeof(*heap_keep));
		if (!heap_v || !heap_keep)
			return ct_error_set(err, ENOMEM, "out of memory");
	}
	collect_events(conf, recs, &ev);
	last_events_only(&ev);
	for (size_t i = 0; i < conf->n && rc == 0; i++) {
		const struct lxc_entry *e = &conf->v[i];
		int iface = recs[i].net;
		const struct event *ie;
		size_t pos = 2 * i + 1;

		if (e->value[0] == '\0' || (recs[i].row->flags & LXCKEY_CLEAR_ONLY))
			continue;
		/* Entries of one key often follow each other. */
		if (!key || strcmp(key, e->key) != 0) {
			key = e->key;
			ke = last_event(&ev, key_group(key), -1);
		}
		if (dropped_by_key(&ev, ke, e->key, pos))
			continue;
		ie = iface >= 0 ? last_event(&ev, NULL, iface) : NULL;
		if (ie && ie->pos > pos) {
			if (ie->reset)
				rc = warn_reset(diag, e, &conf->v[ie->op], err);
			continue;
		}
		keep[i] = true;
	}
	lxcconf_filter(conf, keep);
	return rc;
}
