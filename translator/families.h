/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The key families, one file each (map_<family>.c). */
#ifndef CT_FAMILIES_H
#define CT_FAMILIES_H

#include "translate.h"

extern const struct ct_family ct_family_simple;
extern const struct ct_family ct_family_rootfs;
extern const struct ct_family ct_family_mount;
extern const struct ct_family ct_family_idmap;
extern const struct ct_family ct_family_env;
extern const struct ct_family ct_family_process;
extern const struct ct_family ct_family_net;
extern const struct ct_family ct_family_namespace;
extern const struct ct_family ct_family_arch;
extern const struct ct_family ct_family_rlimit;
extern const struct ct_family ct_family_sysctl;
extern const struct ct_family ct_family_time;
extern const struct ct_family ct_family_annot;
extern const struct ct_family ct_family_caps;
extern const struct ct_family ct_family_seccomp;
extern const struct ct_family ct_family_cgroup;
extern const struct ct_family ct_family_devices;
extern const struct ct_family ct_family_hooks;
extern const struct ct_family ct_family_masked;

#endif
