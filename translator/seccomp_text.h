/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* LXC seccomp policy text (versions 1 and 2): placeholder header, see map_seccomp.c. */
#ifndef CT_SECCOMP_TEXT_H
#define CT_SECCOMP_TEXT_H
#endif
