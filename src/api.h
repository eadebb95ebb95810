/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the ctlaunch command needs of libctlaunch beyond the public header: the internal error
 * behind a public one, the context's settings, and hooks around liblxc's start(). Not
 * exported (the symbol map exports ctl_* only). */
#ifndef CTL_API_H
#define CTL_API_H

#include <stdbool.h>

#include "../include/ctlaunch.h"
#include "error.h"
#include "settings.h"

/* The details of a public error (file, line, column, hint) for the command's messages. */
const struct ct_error *api_error_detail(const struct ctl_error *err);
/* Move a public error into *ret (when it is NULL; else it is freed). Returns rc. */
int api_error_move(struct ctl_error *err, struct ct_error **ret, int rc);

/* The settings a context holds; they live as long as the context. */
struct ct_settings *api_context_settings(struct ctl_context *ctx);

/* Called just before and just after liblxc's start() (after() also when it failed). */
struct api_start_hooks {
	void (*before)(void *data);
	void (*after)(void *data);
	void *data;
};
/* ctl_start() with hooks (NULL: none). */
int api_start(struct ctl_container *c, const char *const argv[], unsigned flags,
	      const struct api_start_hooks *hooks, struct ctl_error **err);
/* Whether the last start ran the command as the container's init (lxc.init.cmd, no init.lxc):
 * then the init is the application. Valid from the before() hook on. */
bool api_command_is_init(const struct ctl_container *c);

/* One container's outcome in api_stop_many(). */
struct api_stop_out {
	enum ctl_stop_result result;
	bool running;	       /* it was running (or could not be looked at: err) */
	struct ctl_error *err; /* why it could not be stopped; the caller frees it */
};
/* Stop n containers at once, each as ctl_stop() would: every init is found first (through
 * ctlaunch's run-time record, liblxc's monitor only without one), then every halt signal is
 * sent, then one poll waits for every init and for the SIGKILL and stuck deadlines. It returns
 * once every init has ended, without waiting for liblxc's monitors (the next start of a name
 * waits for its monitor). Returns < 0 only when the poll itself failed; each container's
 * outcome is in out[i]. */
int api_stop_many(struct ctl_container *const *v, size_t n, unsigned timeout_ms,
		  unsigned kill_after_ms, struct api_stop_out *out, struct ct_error **err);

#endif
