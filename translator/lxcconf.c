/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The in-memory LXC configuration: an ordered list of entries. Reading is in lxcconf_parse.c,
 * writing in lxcconf_write.c.
 *
 * The strings of entries live in blocks owned by the config (one allocation
 * per ~1 KiB of text instead of three per entry; file names are stored once per run of
 * entries from the same file). An index maps each distinct key to the chain of its entries
 * (lxc_entry.next_, in order), so that lookups by exact key cost O(matches); it is kept up to
 * date by every change, so that reading a config never writes to it (the reader builds it once,
 * when it has its entries). Entries the reader replays from a cached include point into that
 * file's split lines, which the config holds a reference to. */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "fileio.h"
#include "lxcconf.h"
#include "lxcconf_internal.h"

#define NONE UINT32_MAX
/* Blocks of strings: small enough to stay out of glibc's large-request path (which
 * consolidates its fast bins); a longer string gets a block of its own. */
#define BLOCK_SIZE 960
#define RECENT_FILES 4
/* Entry arrays of this many entries (40 bytes each) are kept for the next config, see
 * take_spare. */
#define SPARE_ENTRIES 128

struct block {
	struct block *next;
	size_t used, cap;
	char data[];
};

struct slot {
	uint32_t hash;
	uint32_t head, tail; /* first and last entry with the key; head NONE: free slot */
};

struct lxcconf_store {
	struct block *blocks; /* the first one is being filled */
	struct slot *slots;   /* open addressing, a power of two, at most half full */
	size_t nslots, nkeys;
	const char *recent[RECENT_FILES]; /* file names stored lately (in the blocks) */
	unsigned nrecent;
	bool unindexed;	       /* entries added since lxcconf_defer_index are not indexed */
	bool odd_keys;	       /* some key does not start with "lxc." */
	struct ct_file **held; /* files whose split lines entries point into */
	size_t nheld, capheld;
};

/*
 * glibc consolidates its fast bins on every request of 1 KiB or more, and after a translation
 * they hold thousands of small chunks: the entry array of a config (over 25 entries) is such a
 * request, and made every parse pay for it. So each thread keeps one array of SPARE_ENTRIES
 * from a freed config for its next one (released when the thread exits).
 */
static pthread_key_t spare_key;
static pthread_once_t spare_once = PTHREAD_ONCE_INIT;
static bool spare_ok;

static void spare_init(void)
{
	spare_ok = pthread_key_create(&spare_key, free) == 0;
}

/* This thread's spare array (taken from it), or NULL. */
static struct lxc_entry *take_spare(void)
{
	struct lxc_entry *v;

	pthread_once(&spare_once, spare_init);
	if (!spare_ok || !(v = pthread_getspecific(spare_key)))
		return NULL;
	pthread_setspecific(spare_key, NULL);
	return v;
}

/* Keep v (cap entries) as this thread's spare if it has none and v fits, else free it. */
static void give_spare(struct lxc_entry *v, size_t cap)
{
	pthread_once(&spare_once, spare_init);
	if (!v || !spare_ok || cap > SPARE_ENTRIES || pthread_getspecific(spare_key)) {
		free(v);
		return;
	}
	if (cap < SPARE_ENTRIES) {
		struct lxc_entry *nv = realloc(v, SPARE_ENTRIES * sizeof(*v));

		if (!nv) {
			free(v);
			return;
		}
		v = nv;
	}
	if (pthread_setspecific(spare_key, v) != 0)
		free(v);
}

/* Eight bytes at a time (keys are some 10 to 30 bytes): a byte-wise hash cost more than the
 * lookups it serves. */
uint32_t lxcconf_key_hash(const char *s)
{
	size_t n = strlen(s);
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n, w;

	for (; n >= 8; n -= 8, s += 8) {
		memcpy(&w, s, sizeof(w));
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	w = 0;
	for (size_t i = 0; i < n; i++)
		w |= (uint64_t)(unsigned char)s[i] << (8 * i);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	return (uint32_t)(h ^ (h >> 32));
}

struct lxc_config *lxcconf_new(void)
{
	struct lxc_config *conf = calloc(1, sizeof(struct lxc_config));

	if (!conf)
		return NULL;
	conf->store_ = calloc(1, sizeof(*conf->store_));
	if (!conf->store_) {
		free(conf);
		return NULL;
	}
	return conf;
}

void lxcconf_free(struct lxc_config *conf)
{
	if (!conf)
		return;
	if (conf->store_) {
		for (struct block *b = conf->store_->blocks, *next; b; b = next) {
			next = b->next;
			free(b);
		}
		free(conf->store_->slots);
		for (size_t i = 0; i < conf->store_->nheld; i++)
			ct_file_unref(conf->store_->held[i]);
		free(conf->store_->held);
		free(conf->store_);
	}
	for (size_t i = 0; i < conf->ncarry; i++) {
		free(conf->carry[i].text);
		free(conf->carry[i].file);
	}
	give_spare(conf->v, conf->cap);
	free(conf->carry);
	free(conf->path);
	free(conf);
}

void lxcconf_freep(struct lxc_config **conf)
{
	lxcconf_free(*conf);
	*conf = NULL;
}

/* A copy of s[0..n) (NUL added) in the config's blocks, or NULL. */
static char *store_strn(struct lxcconf_store *st, const char *s, size_t n)
{
	struct block *b = st->blocks;
	char *p;

	if (!b || b->cap - b->used < n + 1) {
		size_t cap = n + 1 > BLOCK_SIZE / 4 ? n + 1 : BLOCK_SIZE - sizeof(*b);
		struct block *nb = malloc(sizeof(*nb) + cap);

		if (!nb)
			return NULL;
		nb->used = 0;
		nb->cap = cap;
		if (b && cap != BLOCK_SIZE - sizeof(*b)) {
			/* A long string: keep filling the current block afterwards. */
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = b;
			st->blocks = nb;
		}
		b = nb;
	}
	p = b->data + b->used;
	memcpy(p, s, n);
	p[n] = '\0';
	b->used += n + 1;
	return p;
}

static char *store_str(struct lxcconf_store *st, const char *s)
{
	return store_strn(st, s, strlen(s));
}

/* The stored copy of a file name: entries from one file share it. */
static char *store_file(struct lxcconf_store *st, const char *file)
{
	char *p;

	if (!file)
		return NULL;
	for (unsigned i = 0; i < st->nrecent; i++)
		if (strcmp(st->recent[i], file) == 0)
			return (char *)st->recent[i];
	p = store_str(st, file);
	if (!p)
		return NULL;
	if (st->nrecent < RECENT_FILES)
		st->nrecent++;
	memmove(&st->recent[1], &st->recent[0], (st->nrecent - 1) * sizeof(st->recent[0]));
	st->recent[0] = p;
	return p;
}

/* The slot of key (hash h), or the free slot where it would go. */
static struct slot *find_slot(const struct lxc_config *conf, const char *key, uint32_t h)
{
	const struct lxcconf_store *st = conf->store_;
	size_t mask = st->nslots - 1;

	for (size_t i = h & mask;; i = (i + 1) & mask) {
		struct slot *s = &st->slots[i];

		if (s->head == NONE)
			return s;
		if (s->hash == h && strcmp(conf->v[s->head].key, key) == 0)
			return s;
	}
}

/* Room for one more key: the table doubles when it would be over half full. */
static int grow_slots(struct lxcconf_store *st)
{
	size_t n = st->nslots ? 2 * st->nslots : 64;
	struct slot *old = st->slots, *v;

	if (st->nslots && 2 * (st->nkeys + 1) <= st->nslots)
		return 0;
	v = malloc(n * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		v[i].head = NONE;
	for (size_t i = 0; i < st->nslots; i++) {
		size_t j = old[i].hash & (n - 1);

		if (old[i].head == NONE)
			continue;
		while (v[j].head != NONE)
			j = (j + 1) & (n - 1);
		v[j] = old[i];
	}
	free(old);
	st->slots = v;
	st->nslots = n;
	return 0;
}

/* Chain entry i (its hash_ set) to its key. */
static int index_entry(struct lxc_config *conf, size_t i)
{
	struct lxcconf_store *st = conf->store_;
	struct lxc_entry *e = &conf->v[i];
	struct slot *s;

	if (grow_slots(st) < 0)
		return -ENOMEM;
	e->next_ = NONE;
	s = find_slot(conf, e->key, e->hash_);
	if (s->head == NONE) {
		*s = (struct slot){ e->hash_, (uint32_t)i, (uint32_t)i };
		st->nkeys++;
	} else {
		conf->v[s->tail].next_ = (uint32_t)i;
		s->tail = (uint32_t)i;
	}
	return 0;
}

/* Every chain again. After entries moved, the table only shrinks in use, so this cannot fail
 * for lack of memory; after lxcconf_defer_index it may have to grow. */
static int reindex(struct lxc_config *conf)
{
	struct lxcconf_store *st = conf->store_;

	for (size_t i = 0; i < st->nslots; i++)
		st->slots[i].head = NONE;
	st->nkeys = 0;
	for (size_t i = 0; i < conf->n; i++)
		if (index_entry(conf, i) < 0)
			return -ENOMEM;
	return 0;
}

void lxcconf_defer_index(struct lxc_config *conf)
{
	conf->store_->unindexed = true;
}

int lxcconf_build_index(struct lxc_config *conf)
{
	if (!conf->store_->unindexed)
		return 0;
	if (reindex(conf) < 0)
		return -ENOMEM;
	conf->store_->unindexed = false;
	return 0;
}

int lxcconf_hold(struct lxc_config *conf, struct ct_file *f)
{
	struct lxcconf_store *st = conf->store_;

	for (size_t i = 0; i < st->nheld; i++)
		if (st->held[i] == f)
			return 0;
	if (st->nheld == st->capheld) {
		size_t ncap = st->capheld ? 2 * st->capheld : 8;
		struct ct_file **v = realloc(st->held, ncap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		st->held = v;
		st->capheld = ncap;
	}
	st->held[st->nheld++] = ct_file_ref(f);
	return 0;
}

/* k starts with prefix. Inline: a prefix query scans every entry, and keys differ within a
 * few characters after "lxc.". */
static bool starts_with(const char *k, const char *prefix)
{
	while (*prefix)
		if (*k++ != *prefix++)
			return false;
	return true;
}

/* Room for n more entries (n <= LXCCONF_MAX_ENTRIES). */
static int reserve(struct lxc_config *conf, size_t n, struct ct_error **err)
{
	while (conf->cap - conf->n < n) {
		size_t ncap = conf->cap ? conf->cap * 2 : 32;
		struct lxc_entry *nv = conf->cap ? NULL : take_spare();

		if (nv)
			ncap = SPARE_ENTRIES;
		else
			nv = realloc(conf->v, ncap * sizeof(*nv));
		if (!nv)
			return ct_error_set(err, ENOMEM, "out of memory");
		conf->v = nv;
		conf->cap = ncap;
	}
	return 0;
}

/* The next entry (*ret), its strings not set yet. */
static int new_entry(struct lxc_config *conf, const char *file, unsigned line,
		     struct lxc_entry **ret, struct ct_error **err)
{
	int rc;

	if (conf->n >= LXCCONF_MAX_ENTRIES)
		return ct_error_at(err, file, line, 0, "more than %u configuration entries",
				   LXCCONF_MAX_ENTRIES);
	rc = reserve(conf, 1, err);
	if (rc < 0)
		return rc;
	*ret = &conf->v[conf->n];
	return 0;
}

/* Count the new entry e, its key and value set (NULL: out of memory). */
static int commit_entry(struct lxc_config *conf, struct lxc_entry *e, const char *file,
			unsigned line, uint32_t hash, struct ct_error **err)
{
	e->file = store_file(conf->store_, file);
	e->line = line;
	e->hash_ = hash;
	e->next_ = NONE;
	if (e->key && !starts_with(e->key, "lxc."))
		conf->store_->odd_keys = true;
	if (!e->key || !e->value || (file && !e->file) ||
	    (!conf->store_->unindexed && index_entry(conf, conf->n) < 0))
		return ct_error_set(err, ENOMEM, "out of memory");
	conf->n++;
	return 0;
}

int lxcconf_add(struct lxc_config *conf, const char *key, const char *value, const char *file,
		unsigned line, struct ct_error **err)
{
	struct lxc_entry *e = NULL;
	int rc = new_entry(conf, file, line, &e, err);

	if (rc < 0)
		return rc;
	e->key = store_str(conf->store_, key);
	e->value = store_str(conf->store_, value);
	return commit_entry(conf, e, file, line, lxcconf_key_hash(key), err);
}

int lxcconf_add_held(struct lxc_config *conf, const char *key, const char *value, uint32_t hash,
		     const char *file, unsigned line, struct ct_error **err)
{
	struct lxc_entry *e = NULL;
	int rc = new_entry(conf, file, line, &e, err);

	if (rc < 0)
		return rc;
	e->key = (char *)key;
	e->value = (char *)value;
	return commit_entry(conf, e, file, line, hash, err);
}

int lxcconf_append_held(struct lxc_config *conf, const struct lxc_entry *v, size_t n,
			const char *file, struct ct_error **err)
{
	const char *stored;
	int rc;

	if (n == 0)
		return 0;
	if (n > LXCCONF_MAX_ENTRIES - conf->n)
		return 1;
	stored = store_file(conf->store_, file);
	if (file && !stored)
		return ct_error_set(err, ENOMEM, "out of memory");
	rc = reserve(conf, n, err);
	if (rc < 0)
		return rc;
	memcpy(&conf->v[conf->n], v, n * sizeof(*v));
	for (size_t i = conf->n; i < conf->n + n; i++) {
		conf->v[i].file = (char *)stored;
		conf->v[i].next_ = NONE;
		if (!starts_with(conf->v[i].key, "lxc."))
			conf->store_->odd_keys = true;
		if (!conf->store_->unindexed && index_entry(conf, i) < 0)
			return ct_error_set(err, ENOMEM, "out of memory");
	}
	conf->n += n;
	return 0;
}

int lxcconf_addf(struct lxc_config *conf, struct ct_error **err, const char *key, const char *fmt,
		 ...)
{
	char small[512]; /* most values: formatted once, no allocation */
	cleanup_free char *value = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof(small))
		return lxcconf_add(conf, key, small, NULL, 0, err);
	va_start(ap, fmt);
	n = vasprintf(&value, fmt, ap);
	va_end(ap);
	if (n < 0) {
		value = NULL;
		return ct_error_set(err, ENOMEM, "out of memory");
	}
	return lxcconf_add(conf, key, value, NULL, 0, err);
}

int lxcconf_set_value(struct lxc_config *conf, size_t i, const char *value, struct ct_error **err)
{
	char *v = store_str(conf->store_, value);

	if (!v)
		return ct_error_set(err, ENOMEM, "out of memory");
	conf->v[i].value = v;
	return 0;
}

int lxcconf_add_carry_at(struct lxc_config *conf, const char *text, const char *file, unsigned line,
			 struct ct_error **err)
{
	struct lxc_carry *c;

	if (conf->ncarry == conf->capcarry) {
		size_t ncap = conf->capcarry ? conf->capcarry * 2 : 8;
		struct lxc_carry *nv = realloc(conf->carry, ncap * sizeof(*nv));

		if (!nv)
			return ct_error_set(err, ENOMEM, "out of memory");
		conf->carry = nv;
		conf->capcarry = ncap;
	}
	/* Carry lines are few, and callers may set their file: allocated one by one. */
	c = &conf->carry[conf->ncarry];
	c->text = strdup(text);
	c->file = file ? strdup(file) : NULL;
	c->line = line;
	if (!c->text || (file && !c->file)) {
		free(c->text);
		free(c->file);
		return ct_error_set(err, ENOMEM, "out of memory");
	}
	conf->ncarry++;
	return 0;
}

int lxcconf_add_carry(struct lxc_config *conf, const char *text, struct ct_error **err)
{
	return lxcconf_add_carry_at(conf, text, NULL, 0, err);
}

/* Keep the entries for which keep(entry, data) holds, in order; the index follows. */
static void compact(struct lxc_config *conf,
		    bool (*keep)(const struct lxc_config *, size_t, const void *), const void *data)
{
	size_t w = 0;

	for (size_t i = 0; i < conf->n; i++)
		if (keep(conf, i, data))
			conf->v[w++] = conf->v[i];
	if (w == conf->n)
		return;
	conf->n = w;
	if (!conf->store_->unindexed)
		reindex(conf);
}

static bool flagged(const struct lxc_config *conf, size_t i, const void *data)
{
	(void)conf;
	return ((const bool *)data)[i];
}

static bool other_key(const struct lxc_config *conf, size_t i, const void *data)
{
	return strcmp(conf->v[i].key, data) != 0;
}

void lxcconf_filter(struct lxc_config *conf, const bool *keep)
{
	compact(conf, flagged, keep);
}

void lxcconf_clear(struct lxc_config *conf, const char *key)
{
	compact(conf, other_key, key);
}

/* The slot of key, or NULL. */
static const struct slot *lookup(const struct lxc_config *conf, const char *key, uint32_t h)
{
	const struct slot *s;

	if (!conf->store_->nslots)
		return NULL;
	s = find_slot(conf, key, h);
	return s->head == NONE ? NULL : s;
}

const char *lxcconf_get(const struct lxc_config *conf, const char *key)
{
	const struct slot *s = lookup(conf, key, lxcconf_key_hash(key));

	return s ? conf->v[s->tail].value : NULL;
}

/* A scan. Every key of a config usually starts with "lxc.", and so do prefixes: then only
 * what follows is compared, its first character before anything else. */
static const struct lxc_entry *next_with_prefix(const struct lxc_config *conf, const char *prefix,
						size_t *pos)
{
	size_t skip = 0;

	if (!conf->store_->odd_keys && starts_with(prefix, "lxc.") && prefix[4])
		skip = 4;
	else if (!prefix[0])
		return *pos < conf->n ? &conf->v[*pos] : NULL;
	for (; *pos < conf->n; (*pos)++) {
		const char *k = conf->v[*pos].key + skip;

		if (k[0] == prefix[skip] && starts_with(k, prefix + skip))
			return &conf->v[*pos];
	}
	return NULL;
}

const struct lxc_entry *lxcconf_next(const struct lxc_config *conf, const char *key, bool prefix,
				     size_t *pos)
{
	const struct slot *s;
	uint32_t h;
	size_t i;

	if (prefix)
		return next_with_prefix(conf, key, pos);
	if (*pos >= conf->n)
		return NULL;
	/* The usual loop asks again right after the previous match: follow its chain, with no
	 * hash or table lookup. */
	if (*pos > 0 && strcmp(conf->v[*pos - 1].key, key) == 0) {
		i = conf->v[*pos - 1].next_;
	} else {
		h = lxcconf_key_hash(key);
		s = lookup(conf, key, h);
		if (!s)
			return NULL;
		for (i = s->head; i != NONE && i < *pos; i = conf->v[i].next_)
			;
	}
	if (i == NONE)
		return NULL;
	*pos = i;
	return &conf->v[i];
}
