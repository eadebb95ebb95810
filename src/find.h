/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Finding a container's configuration: the settings' search paths (Thunder's layout
 * <path>/<Name>/Container/config or config.json), then the LXC path, or a file or bundle
 * named on the command line. */
#ifndef CTL_FIND_H
#define CTL_FIND_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "settings.h"

enum ctl_kind { CTL_KIND_LXC, CTL_KIND_OCI };

struct ctl_target {
	char *name;
	char *config; /* LXC config file, or the bundle's config.json */
	char *bundle; /* OCI bundle directory, NULL for LXC */
	enum ctl_kind kind;
};

/* Container names: [A-Za-z0-9_.-], not starting with '.' or '-', at most 64 bytes. */
bool find_name_valid(const char *name);

void target_release(struct ctl_target *t);
static inline void target_releasep(struct ctl_target *t)
{
	target_release(t);
}
#define cleanup_target __attribute__((cleanup(target_releasep)))

/* By name, in the order described above; the error lists every place looked at. */
int find_by_name(const struct ct_settings *s, const char *name, struct ctl_target *ret,
		 struct ct_error **err);
/* -f CONFIG / -b BUNDLE. name may be NULL: derived from the path (the directory holding the
 * config, or the one above "Container"). */
int find_config_file(const char *name, const char *config, struct ctl_target *ret,
		     struct ct_error **err);
int find_bundle(const char *name, const char *bundle, struct ctl_target *ret,
		struct ct_error **err);
/* Every container found in the search paths and the LXC path, sorted by name; the first
 * found wins for a name found twice. */
int find_all(const struct ct_settings *s, struct ctl_target **ret, size_t *ret_n,
	     struct ct_error **err);
void find_all_free(struct ctl_target *v, size_t n);

#endif
