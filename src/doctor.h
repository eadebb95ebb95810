/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `ctlaunch check`: what this device offers containers, one item per kernel or system feature. */
#ifndef CTL_DOCTOR_H
#define CTL_DOCTOR_H

#include <stddef.h>

#include "settings.h"

enum doctor_status { DOCTOR_OK, DOCTOR_WARN, DOCTOR_FAIL };

struct doctor_item {
	char name[48];
	enum doctor_status status;
	char detail[256];
	char hint[256]; /* empty when none */
};

/* Run every check; ret holds up to max items; returns the number written. */
size_t doctor_run(const struct ct_settings *s, struct doctor_item *ret, size_t max);
const char *doctor_status_name(enum doctor_status st);

#endif
