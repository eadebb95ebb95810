/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the namespace family needs to know from its neighbours (map_time.c, map_net.c) to
 * compute liblxc's default namespace set: the time namespace is cloned only when an offset is
 * set, the network namespace is not cloned when every interface is of type none. */
#ifndef CT_MAP_NS_H
#define CT_MAP_NS_H

#include <jansson.h>
#include <stdbool.h>

#include "lxcconf.h"

/* Some lxc.time.offset.* value is non-zero (values that do not parse count as zero: the time
 * family reports them). */
bool map_time_wants_timens(const struct lxc_config *conf);
/* Some linux.timeOffsets member is non-zero. */
bool map_time_wants_timens_oci(json_t *oci);
/* There are lxc.net.N interfaces and all of them are of type none (the host's network). */
bool map_net_is_none(const struct lxc_config *conf);
/* The same for the LXC config oci2lxc writes from oci. */
bool map_net_is_none_oci(json_t *oci);

#endif
