/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fstab lines (lxc.mount.entry values, lines of an lxc.mount.fstab file) and the OCI mount
 * objects they correspond to. */
#ifndef CT_MOUNTOPTS_H
#define CT_MOUNTOPTS_H

#include <jansson.h>
#include <stdbool.h>

#include "error.h"

/* Bounds on what the input controls. */
#define MNTLINE_MAX_OPTIONS 256
#define MNTLINE_MAX_FSTAB_LINES 10000

/* One parsed fstab line. Fields are decoded (\040 -> space, ...). */
struct mntline {
	char *source;
	char *dest;
	char *type;
	char *options; /* comma separated, as written */
	char *dump;    /* NULL when absent */
	char *pass;    /* NULL when absent */
};

/* Where a line came from, for located errors: "lxc.mount.entry" at FILE:LINE. */
struct mntline_where {
	const char *key;
	const char *file;
	unsigned line;
};

/* Parse one line the way getmntent(3) (and so liblxc) reads it, but strictly: 4 to 6 blank
 * separated fields, dump and pass numeric, only the escapes getmntent decodes. */
int mntline_parse(const char *text, const struct mntline_where *where, struct mntline *ret,
		  struct ct_error **err);
void mntline_release(struct mntline *m);

/* True for options only liblxc understands (create=dir, create=file, optional, relative,
 * idmap=...): runc hands unknown options to mount(2), which rejects them (measured: EINVAL
 * for tmpfs), so they never go into OCI options. */
bool mntopt_is_lxc_only(const char *opt);

/* True when the options of m hold opt, or an option starting with opt when opt ends in '='. */
bool mntline_has_option(const struct mntline *m, const char *opt);

/* The OCI mount for a parsed line, with the destination given (absolute). */
json_t *mntline_to_oci(const struct mntline *m, const char *abs_dest);

/* The lxc.mount.entry value for an OCI mount: "source dest type options 0 0", destination
 * relative to the rootfs, absent source/type written as "none", and create=dir (create=file
 * for a bind of a source under sysroot that is not a directory) appended to the options, since
 * OCI runtimes create mount points and liblxc does not (measured: "Failed to mount ... No such
 * file or directory"). Returns NULL when out of memory. */
char *mntline_from_oci(const json_t *mount, const char *sysroot);

#endif
