/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Placeholder while the module is written. */
#include "seccomp_text.h"
#include <errno.h>

