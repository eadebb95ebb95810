/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libctlaunch: find, start, stop and watch LXC containers and OCI bundles through liblxc, in
 * process, the way the ctlaunch command does (it goes through these functions). Meant for
 * embedding, e.g. in a Thunder ProcessContainers backend.
 *
 * Stability: every symbol is versioned (CTLAUNCH_0.1); what this header declares keeps its
 * meaning and layout within the soname libctlaunch.so.0. Structures the caller allocates end in
 * reserved fields so that later versions can grow them.
 *
 * Conventions, valid for every function below:
 * - Functions returning int return 0 (or a documented value >= 0) on success and a value < 0
 *   on failure: -errno when a system call or liblxc failed for a known reason (-ENOENT, -ESRCH,
 *   -EBUSY, ...), -1 for bad content (a config that does not parse, a bad name).
 * - On failure, when err is not NULL and *err is NULL, *err receives an error object owned by
 *   the caller (free it with ctl_error_free()); a *err already set is kept. Without memory even
 *   for that, *err is left NULL. err may always be NULL.
 * - Pointers the library returns (names, paths, messages) belong to the object they came from
 *   and live as long as it does, unless said otherwise.
 * - Nothing is printed, logged or exited on: warnings go to the context's warning handler.
 * - Threads: nothing is locked. A context and its containers may be used by one thread at a
 *   time (serialise the calls); separate contexts can be used from separate threads. liblxc
 *   refuses a foreground start (without CTL_START_DAEMON) in a multi-threaded process.
 * - File descriptors the library opens are close-on-exec.
 */
#ifndef CTLAUNCH_H
#define CTLAUNCH_H

#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CTL_VERSION_MAJOR 0
#define CTL_VERSION_MINOR 1

struct ctl_error;     /* what went wrong */
struct ctl_context;   /* settings: search paths, run directory, timeouts, warning handler */
struct ctl_container; /* one container, found by name, opened from a file, or attached */

/* The library's version, "0.1.0". Static string. */
const char *ctl_version(void);

/* ---- Errors ---------------------------------------------------------------------------- */

/* One line saying what was being done and what failed, no trailing period. Never NULL. */
const char *ctl_error_message(const struct ctl_error *err);
/* How to fix it, or NULL when no fix is known. */
const char *ctl_error_hint(const struct ctl_error *err);
/* The errno value behind the failure, 0 for bad content. */
int ctl_error_code(const struct ctl_error *err);
/* The file the error is located in (a container config, the settings), NULL when none; the
 * line (1-based, 0 when unknown) goes to *ret_line when ret_line is not NULL. */
const char *ctl_error_file(const struct ctl_error *err, unsigned *ret_line);
/* Free an error. NULL is allowed. */
void ctl_error_free(struct ctl_error *err);

/* ---- Context --------------------------------------------------------------------------- */

/* Read the settings file (YAML, see ctlaunch.yaml(5)). settings_file NULL: the default file
 * (SYSCONFDIR/ctlaunch/ctlaunch.yaml), whose absence means built-in defaults; a file named
 * must exist. The environment is not consulted. Returns NULL on failure (*err set: the file,
 * line and column of a bad setting). Free with ctl_context_free(). */
struct ctl_context *ctl_context_new(const char *settings_file, struct ctl_error **err);
/* Free a context. Its containers must have been freed before. NULL is allowed. */
void ctl_context_free(struct ctl_context *ctx);
/* Override the run-time directory (liblxc's lxcpath at run time, locks, records: absolute)
 * or the LXC container directory searched after the search paths. Copies the string. */
int ctl_context_set_run_dir(struct ctl_context *ctx, const char *dir, struct ctl_error **err);
int ctl_context_set_lxc_path(struct ctl_context *ctx, const char *dir, struct ctl_error **err);

/* Called once per warning (a config entry skipped, leftovers of a crashed run killed): file
 * may be NULL, line and col are 0 when unknown, message is one line. Called from within the
 * function that warns, on the caller's thread. */
typedef void (*ctl_warning_fn)(void *data, const char *file, unsigned line, unsigned col,
			       const char *message);
/* Install (fn NULL: remove) the warning handler. Without one, warnings are dropped. */
void ctl_context_set_warning_handler(struct ctl_context *ctx, ctl_warning_fn fn, void *data);
/* The settings' timeouts, in milliseconds: between the halt signal and SIGKILL, and after
 * SIGKILL before a container is called stuck. Defaults for ctl_stop_begin()'s arguments. */
unsigned ctl_context_stop_timeout_ms(const struct ctl_context *ctx);
unsigned ctl_context_kill_timeout_ms(const struct ctl_context *ctx);

/* ---- Containers ------------------------------------------------------------------------ */

/* Look name up: each search path's <path>/<name>/Container/config (LXC) or config.json (OCI
 * bundle), then the LXC path's <lxc_path>/<name>/config. -ENOENT when none exists (the message
 * lists every place looked at), -EINVAL for a name that is not [A-Za-z0-9_.-]{1,64} or starts
 * with '.' or '-'. *ret is owned by the caller: ctl_container_free(). */
int ctl_find(struct ctl_context *ctx, const char *name, struct ctl_container **ret,
	     struct ctl_error **err);
/* An LXC config file, or an OCI bundle directory (its config.json is translated in memory).
 * name NULL: the directory holding the config (the one above "Container" in the Thunder
 * layout) or the bundle's directory. */
int ctl_open_config(struct ctl_context *ctx, const char *name, const char *path,
		    struct ctl_container **ret, struct ctl_error **err);
int ctl_open_bundle(struct ctl_context *ctx, const char *name, const char *dir,
		    struct ctl_container **ret, struct ctl_error **err);
/* A container known by name only, e.g. one started by another process: enough for
 * ctl_state(), ctl_kill() and the stop functions, not for ctl_start() (-EINVAL). */
int ctl_attach(struct ctl_context *ctx, const char *name, struct ctl_container **ret,
	       struct ctl_error **err);
/* Free the handle. A container it started keeps running; a stop in progress is abandoned
 * (the halt signal or SIGKILL already sent stays sent). NULL is allowed. */
void ctl_container_free(struct ctl_container *c);

/* The container's name. */
const char *ctl_container_name(const struct ctl_container *c);
/* Its configuration file: the one found or opened (a bundle's config.json); for an attached
 * container, the one its running instance was started from once ctl_state() has read it;
 * NULL when unknown. */
const char *ctl_container_config(const struct ctl_container *c);

/* ---- Start ----------------------------------------------------------------------------- */

enum {
	CTL_START_DAEMON = 1 << 0, /* return once the container runs (liblxc's monitor stays) */
};

/* Start the container under init.lxc (which reaps zombies and forwards signals). argv: the
 * command (NULL-terminated), or NULL for the configuration's: the bundle's process.args, else
 * lxc.execute.cmd, else lxc.init.cmd, which then runs as the container's init (PID 1, without
 * init.lxc), as lxc-start runs it: a system container's /sbin/init boots. Leftovers of a crashed run of the same name (processes,
 * cgroups) are killed and removed first, with a warning.
 * With CTL_START_DAEMON: returns 0 once the container's init runs; ctl_pid() gives its pid.
 * Without: blocks until the container has ended (liblxc refuses this in a threaded process)
 * and returns 0; ctl_exit_status() gives the command's wait status.
 * Errors: -EEXIST already running; -EBUSY another process is starting or running it;
 * -EINVAL no command, or an attached container; -EIO liblxc could not start it (the hint
 * says how to get liblxc's log); -ESRCH the container ended at once (daemon start); config
 * errors located at FILE:LINE. The start forks the calling process (liblxc's monitor and the
 * container's init are made from it). */
int ctl_start(struct ctl_container *c, const char *const argv[], unsigned flags,
	      struct ctl_error **err);
/* Host pid of the container's init as last seen by ctl_start(), ctl_state() or the stop
 * functions; 0 when not running or not known. */
pid_t ctl_pid(const struct ctl_container *c);
/* After a foreground ctl_start(): the command's wait status (WIFEXITED, WEXITSTATUS, ...);
 * -1 before. */
int ctl_exit_status(const struct ctl_container *c);

/* ---- Signals and state ----------------------------------------------------------------- */

/* Send sig to the container's init through a pidfd (never to a process that took over a
 * recycled pid), and return. -ESRCH when it is not running. */
int ctl_kill(struct ctl_container *c, int sig, struct ctl_error **err);

enum ctl_run_state {
	CTL_STATE_STOPPED = 0,
	CTL_STATE_RUNNING,
	CTL_STATE_FROZEN, /* running, frozen by the cgroup freezer */
};

struct ctl_state {
	enum ctl_run_state state;
	pid_t pid;	     /* the init's host pid, 0 when stopped */
	int monitor;	     /* 1 when liblxc's monitor runs, 0 when the container is orphaned */
	int64_t started;     /* start time, seconds since the epoch, -1 when unknown */
	int64_t mem_current; /* memory use in bytes (cgroup v1 or v2), -1 when unknown */
	int64_t mem_peak;    /* highest memory use in bytes, -1 when unknown */
	int64_t cpu_ns;	     /* CPU time used, nanoseconds, -1 when unknown */
	int64_t reserved[8]; /* zero */
};

/* Fill *ret (wholly) from liblxc's monitor, or from the cgroup when the monitor is gone. A
 * container that does not run is CTL_STATE_STOPPED: not an error. */
int ctl_state(struct ctl_container *c, struct ctl_state *ret, struct ctl_error **err);
/* "STOPPED", "RUNNING", "FROZEN"; "?" for other values. Static string. */
const char *ctl_state_name(enum ctl_run_state state);

/* ---- Stop ------------------------------------------------------------------------------ */

enum ctl_stop_result {
	CTL_STOP_PENDING = 0, /* still going: poll again */
	CTL_STOP_EXITED,      /* ended after the halt signal */
	CTL_STOP_KILLED,      /* ended after SIGKILL to every process of the container */
	CTL_STOP_STUCK,	      /* processes survive SIGKILL past kill_after_ms */
};

/* Begin stopping: the halt signal goes to the init through its pidfd now: lxc.signal.halt as
 * liblxc's monitor holds it, else as ctl_start() recorded it, else as the container's config
 * file says (the one opened, or, attached, the one found by name; a warning when it cannot be
 * read), else SIGTERM. timeout_ms later every process of the container gets SIGKILL
 * (cgroup.kill, or freeze, kill, thaw with the v1 freezer); kill_after_ms after that the
 * container is called stuck. timeout_ms 0 sends SIGKILL at once. Returns a file descriptor that polls readable
 * (POLLIN) when the init has exited: a pidfd, owned by the container, valid until
 * ctl_stop_step() reports the end or the container is freed; do not close it. -ESRCH when
 * the container is not running, -EALREADY when a stop is in progress. Does not block. */
int ctl_stop_begin(struct ctl_container *c, unsigned timeout_ms, unsigned kill_after_ms,
		   struct ctl_error **err);
/* Milliseconds until ctl_stop_step() must be called even if the fd did not poll readable
 * (the next deadline: SIGKILL, or stuck); 0 when due now; -1 when no stop is in progress. */
int ctl_stop_timeout(const struct ctl_container *c);
/* Advance the stop: call it when the fd polls readable or ctl_stop_timeout() has elapsed
 * (calling it early is harmless). Sets *ret: CTL_STOP_PENDING (SIGKILL may just have been
 * sent: poll again with the new ctl_stop_timeout()), or the final result, after which the fd
 * is closed and the run-time record removed. Does not block, except, when the container has
 * ended, for liblxc's monitor to finish its clean-up (a few milliseconds; at most 2 s), so
 * that a start right after works. -EINVAL when no stop was begun. */
int ctl_stop_step(struct ctl_container *c, enum ctl_stop_result *ret, struct ctl_error **err);
/* ctl_stop_begin(), then poll and step until the end: blocks for at most timeout_ms +
 * kill_after_ms (+ the monitor's clean-up). A container that does not run gives 0 and
 * CTL_STOP_EXITED. */
int ctl_stop(struct ctl_container *c, unsigned timeout_ms, unsigned kill_after_ms,
	     enum ctl_stop_result *ret, struct ctl_error **err);
/* "pending", "stopped", "killed", "stuck"; "?" for other values. Static string. */
const char *ctl_stop_result_name(enum ctl_stop_result r);
/* The signal the stop began with (the halt signal, or SIGKILL for timeout 0), 0 before. */
int ctl_stop_signal(const struct ctl_container *c);
/* Milliseconds from ctl_stop_begin() to the end of the stop (or to now while it goes on). */
unsigned ctl_stop_elapsed_ms(const struct ctl_container *c);

#ifdef __cplusplus
}
#endif

#endif
