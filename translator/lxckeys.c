/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Placeholder while the module is written. */
#include "lxckeys.h"
#include <errno.h>

const struct lxckey *lxckey_lookup(const char *key) { (void)key; return NULL; }
const char *lxckey_modernize(const char *key, char *buf, size_t size) { (void)key; (void)buf; (void)size; return NULL; }
const char *lxckey_suggest(const char *key) { (void)key; return NULL; }
const struct lxckey *lxckey_table(size_t *ret_n) { *ret_n = 0; return NULL; }
