/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libctlaunch's public API (include/ctlaunch.h) over the launcher's modules: find, load,
 * runtime, stop, state. The ctlaunch command's start, stop, kill and state go through it. */
#include <errno.h>
#include <limits.h>
#include <lxc/lxccontainer.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api.h"
#include "cleanup.h"
#include "diag.h"
#include "find.h"
#include "load.h"
#include "pidfd.h"
#include "runtime.h"
#include "state.h"
#include "stop.h"

#define MONITOR_WAIT_MS 2000
/* How long a stop waits for the monitor's exit before asking liblxc whether it is done. */
#define MONITOR_ASK_MS 50

struct ctl_error {
	struct ct_error ct;
};

struct ctl_context {
	struct ct_settings *settings;
	struct ct_diag diag; /* the warning handler */
};

struct ctl_container {
	struct ctl_context *ctx;
	struct ctl_target t; /* t.config is NULL for an attached container */
	char *run_config;    /* what the running instance was started from (run-time record) */
	pid_t pid;
	int exit_status;
	bool own_init; /* the command is the container's init: no init.lxc above it */
	int halt;      /* lxc.signal.halt of the last start, 0 when unset */
	bool stopping;
	int stop_signal;
	struct stop_item stop;
	int monitor_fd; /* pidfd of the init's parent (liblxc's monitor) while stopping, or -1 */
};

/* Handed out when even an error object cannot be allocated; never freed. */
static struct ctl_error oom_error = { .ct = { .status = ENOMEM, .msg = (char *)"out of memory" } };

/* Move *e (set by an internal function that returned rc) to the caller's err. */
static int give(struct ctl_error **err, struct ct_error **e, int rc)
{
	struct ctl_error *x;

	if (rc >= 0 || !err || *err) {
		ct_error_free(steal_pointer(e));
		return rc;
	}
	if (!*e)
		ct_error_set(e, rc < -1 ? -rc : 0, "unknown failure");
	x = *e ? malloc(sizeof(*x)) : NULL;
	if (x) {
		x->ct = **e;
		free(steal_pointer(e));
	}
	*err = x ? x : &oom_error;
	ct_error_free(steal_pointer(e));
	return rc;
}

const struct ct_error *api_error_detail(const struct ctl_error *err)
{
	return err ? &err->ct : NULL;
}

int api_error_move(struct ctl_error *err, struct ct_error **ret, int rc)
{
	struct ct_error *x;

	if (!err)
		return rc;
	if (ret && !*ret) {
		x = err == &oom_error ? NULL : malloc(sizeof(*x));
		if (x) {
			*x = err->ct;
			free(err);
			*ret = x;
			return rc;
		}
		ct_error_set(ret, ENOMEM, "out of memory");
	}
	ctl_error_free(err);
	return rc;
}

const char *ctl_version(void)
{
	return PACKAGE_VERSION;
}

const char *ctl_error_message(const struct ctl_error *err)
{
	return err && err->ct.msg ? err->ct.msg : "unknown failure";
}

const char *ctl_error_hint(const struct ctl_error *err)
{
	return err ? err->ct.hint : NULL;
}

int ctl_error_code(const struct ctl_error *err)
{
	return err ? err->ct.status : 0;
}

const char *ctl_error_file(const struct ctl_error *err, unsigned *ret_line)
{
	if (ret_line)
		*ret_line = err && err->ct.file ? err->ct.line : 0;
	return err ? err->ct.file : NULL;
}

void ctl_error_free(struct ctl_error *err)
{
	if (!err || err == &oom_error)
		return;
	free(err->ct.msg);
	free(err->ct.hint);
	free(err->ct.file);
	free(err);
}

/* ---- Context ---- */

static int context_new(const char *file, struct ctl_context **ret, struct ct_error **err)
{
	cleanup_settings struct ct_settings *s = NULL;
	struct ctl_context *ctx;

	if (settings_new(&s, err) < 0 ||
	    settings_load(s, file ? file : SETTINGS_DEFAULT_FILE, !file, err) < 0)
		return -1;
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return ct_error_set(err, ENOMEM, "out of memory");
	ctx->settings = steal_pointer(&s);
	*ret = ctx;
	return 0;
}

struct ctl_context *ctl_context_new(const char *settings_file, struct ctl_error **err)
{
	struct ct_error *e = NULL;
	struct ctl_context *ctx = NULL;

	give(err, &e, context_new(settings_file, &ctx, &e));
	return ctx;
}

void ctl_context_free(struct ctl_context *ctx)
{
	if (!ctx)
		return;
	settings_free(ctx->settings);
	free(ctx);
}

struct ct_settings *api_context_settings(struct ctl_context *ctx)
{
	return ctx->settings;
}

static int replace(char **dst, const char *src, struct ct_error **err)
{
	char *d = strdup(src);

	if (!d)
		return ct_error_set(err, ENOMEM, "out of memory");
	free(*dst);
	*dst = d;
	return 0;
}

int ctl_context_set_run_dir(struct ctl_context *ctx, const char *dir, struct ctl_error **err)
{
	struct ct_error *e = NULL;
	int rc;

	if (!dir || dir[0] != '/')
		rc = ct_error_set(&e, EINVAL, "the run directory must be absolute: %s",
				  dir ? dir : "(null)");
	else
		rc = replace(&ctx->settings->run_dir, dir, &e);
	return give(err, &e, rc);
}

int ctl_context_set_lxc_path(struct ctl_context *ctx, const char *dir, struct ctl_error **err)
{
	struct ct_error *e = NULL;
	int rc;

	if (!dir || !*dir)
		rc = ct_error_set(&e, EINVAL, "setting the LXC path: empty path");
	else
		rc = replace(&ctx->settings->lxc_path, dir, &e);
	return give(err, &e, rc);
}

void ctl_context_set_warning_handler(struct ctl_context *ctx, ctl_warning_fn fn, void *data)
{
	ctx->diag.warn = fn;
	ctx->diag.data = data;
}

unsigned ctl_context_stop_timeout_ms(const struct ctl_context *ctx)
{
	return ctx->settings->stop_timeout * 1000u;
}

unsigned ctl_context_kill_timeout_ms(const struct ctl_context *ctx)
{
	return ctx->settings->kill_timeout * 1000u;
}

/* ---- Containers ---- */

static struct ctl_container *container_new(struct ctl_context *ctx)
{
	struct ctl_container *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->ctx = ctx;
	c->exit_status = -1;
	c->stop.pidfd = -1;
	c->monitor_fd = -1;
	return c;
}

/* Found by one of the find_* functions (name: for ctl_attach, name only). */
enum open_how { OPEN_NAME, OPEN_CONFIG, OPEN_BUNDLE, OPEN_ATTACH };

static int open_target(struct ctl_context *ctx, enum open_how how, const char *name,
		       const char *path, struct ctl_target *t, struct ct_error **err)
{
	switch (how) {
	case OPEN_NAME:
		return find_by_name(ctx->settings, name, t, err);
	case OPEN_CONFIG:
		return find_config_file(name, path, t, err);
	case OPEN_BUNDLE:
		return find_bundle(name, path, t, err);
	case OPEN_ATTACH:
	default:
		if (!find_name_valid(name))
			return ct_error_set(err, EINVAL, "not a valid container name: %s", name);
		t->name = strdup(name);
		return t->name ? 0 : ct_error_set(err, ENOMEM, "out of memory");
	}
}

static int open_container(struct ctl_context *ctx, enum open_how how, const char *name,
			  const char *path, struct ctl_container **ret, struct ctl_error **err)
{
	struct ct_error *e = NULL;
	struct ctl_container *c;
	int rc;

	if (!ctx || !ret || (how != OPEN_CONFIG && how != OPEN_BUNDLE && !name) ||
	    ((how == OPEN_CONFIG || how == OPEN_BUNDLE) && !path))
		return give(err, &e,
			    ct_error_set(&e, EINVAL, "opening a container: missing argument"));
	c = container_new(ctx);
	if (!c)
		return give(err, &e, ct_error_set(&e, ENOMEM, "out of memory"));
	rc = open_target(ctx, how, name, path, &c->t, &e);
	if (rc < 0) {
		ctl_container_free(c);
		return give(err, &e, rc);
	}
	*ret = c;
	return 0;
}

int ctl_find(struct ctl_context *ctx, const char *name, struct ctl_container **ret,
	     struct ctl_error **err)
{
	return open_container(ctx, OPEN_NAME, name, NULL, ret, err);
}

int ctl_open_config(struct ctl_context *ctx, const char *name, const char *path,
		    struct ctl_container **ret, struct ctl_error **err)
{
	return open_container(ctx, OPEN_CONFIG, name, path, ret, err);
}

int ctl_open_bundle(struct ctl_context *ctx, const char *name, const char *dir,
		    struct ctl_container **ret, struct ctl_error **err)
{
	return open_container(ctx, OPEN_BUNDLE, name, dir, ret, err);
}

int ctl_attach(struct ctl_context *ctx, const char *name, struct ctl_container **ret,
	       struct ctl_error **err)
{
	return open_container(ctx, OPEN_ATTACH, name, NULL, ret, err);
}

void ctl_container_free(struct ctl_container *c)
{
	if (!c)
		return;
	stop_abandon(&c->stop);
	if (c->monitor_fd >= 0)
		close(c->monitor_fd);
	ct_error_free(c->stop.err);
	target_release(&c->t);
	free(c->run_config);
	free(c);
}

const char *ctl_container_name(const struct ctl_container *c)
{
	return c->t.name;
}

const char *ctl_container_config(const struct ctl_container *c)
{
	return c->t.config ? c->t.config : c->run_config;
}

pid_t ctl_pid(const struct ctl_container *c)
{
	return c->pid;
}

int ctl_exit_status(const struct ctl_container *c)
{
	return c->exit_status;
}

/* ---- Start ---- */

/* A config value as liblxc holds it, NULL when unset. */
static char *config_item(struct lxc_container *lc, const char *key)
{
	int len = lc->get_config_item(lc, key, NULL, 0);
	char *v;

	if (len <= 0)
		return NULL;
	v = calloc(1, (size_t)len + 1);
	if (v && lc->get_config_item(lc, key, v, len + 1) < 0) {
		free(v);
		return NULL;
	}
	return v;
}

/* The command: given, from the bundle, lxc.execute.cmd (liblxc reads it when argv is NULL), all
 * three under init.lxc; or else lxc.init.cmd, which liblxc runs as the container's init (PID 1)
 * when start() gets useinit 0 and no argv, as lxc-start does: a system container's init (busybox
 * init, systemd) refuses to run as anything else. */
static int choose_command(struct lxc_container *lc, char *const *given, char **bundle_argv,
			  char *const **ret, bool *ret_own_init, struct ct_error **err)
{
	cleanup_free char *exec_cmd = NULL, *init_cmd = NULL;

	*ret_own_init = false;
	*ret = given ? given : bundle_argv;
	if (*ret)
		return 0;
	exec_cmd = config_item(lc, "lxc.execute.cmd");
	if (exec_cmd && *exec_cmd)
		return 0;
	init_cmd = config_item(lc, "lxc.init.cmd");
	if (init_cmd && *init_cmd) {
		*ret_own_init = true;
		return 0;
	}
	return ct_error_hint(err,
			     ct_error_set(err, EINVAL, "starting %s: no command to run", lc->name),
			     "give one after --, or set lxc.execute.cmd or lxc.init.cmd in the "
			     "config");
}

/* lxc.signal.halt as configured, 0 when unset. */
static int config_halt_signal(struct lxc_container *lc)
{
	cleanup_free char *v = config_item(lc, "lxc.signal.halt");
	int sig = v && *v ? ct_signal_parse(v) : 0;

	return sig > 0 ? sig : 0;
}

static struct lxc_container *lxc_object(struct ctl_container *c, const char *doing,
					struct ct_error **err)
{
	struct lxc_container *lc = lxc_container_new(c->t.name, c->ctx->settings->run_dir);

	if (!lc)
		ct_error_set(err, ENOMEM, "%s %s: cannot create a container object", doing,
			     c->t.name);
	return lc;
}

/* Refuse a running container; clean what a crashed run left. Called with the lock held. */
static int check_not_running(struct ctl_container *c, struct ct_error **err)
{
	struct lxc_container *lc = lxc_object(c, "starting", err);
	bool running;
	int n;

	if (!lc)
		return -ENOMEM;
	running = lc->is_running(lc);
	lxc_container_put(lc);
	if (running)
		return ct_error_set(err, EEXIST, "starting %s: it is already running", c->t.name);
	n = rt_clean_stale(c->ctx->settings->run_dir, c->t.name, err);
	if (n < 0)
		return n;
	if (n > 0)
		ct_warn(&c->ctx->diag, NULL, NULL, 0, 0,
			"%s: killed %d processes left by a previous run", c->t.name, n);
	return 0;
}

static int after_start(struct ctl_container *c, struct lxc_container *lc, bool ok, bool daemon,
		       struct ct_error **err)
{
	struct ct_init init;
	int rc;

	if (!ok) {
		rc = ct_error_set(err, EIO, "starting %s: liblxc could not start the container",
				  c->t.name);
		return ct_error_hint(err, rc,
				     "set log: {file: ..., level: DEBUG} in the settings "
				     "and read liblxc's log");
	}
	if (!daemon) {
		c->exit_status = lc->error_num;
		return 0;
	}
	rc = rt_find_init(lc, c->t.name, &init, err);
	if (rc == 0 && init.pidfd < 0)
		rc = ct_error_set(err, ESRCH, "starting %s: the container exited at once",
				  c->t.name);
	if (init.pidfd >= 0) {
		c->pid = init.pid;
		/* The init in the record lets stop and kill find it without asking the monitor;
		 * without it (the rewrite failed) they ask the monitor. */
		rt_meta_write(c->ctx->settings->run_dir, c->t.name, c->t.config, c->halt, &init,
			      NULL);
		close(init.pidfd);
	}
	return rc;
}

static int start(struct ctl_container *c, char *const *given, unsigned flags,
		 const struct api_start_hooks *h, struct ct_error **err)
{
	const struct ct_settings *s = c->ctx->settings;
	bool daemon = flags & CTL_START_DAEMON, ok;
	struct ctl_loaded l = { 0 };
	cleanup_close int lock = -1;
	char *const *argv = NULL;
	int rc;

	if (!c->t.config)
		return ct_error_set(err, EINVAL, "starting %s: no configuration (attached by name)",
				    c->t.name);
	if (flags & ~(unsigned)CTL_START_DAEMON)
		return ct_error_set(err, EINVAL, "starting %s: unknown flags 0x%x", c->t.name,
				    flags);
	if (rt_mkdir(s->run_dir, err) < 0 || rt_lock(s->run_dir, c->t.name, &lock, err) < 0 ||
	    check_not_running(c, err) < 0 || load_target(s, &c->t, &c->ctx->diag, &l, err) < 0)
		return -1;
	rc = choose_command(l.c, given, l.argv, &argv, &c->own_init, err);
	c->halt = config_halt_signal(l.c);
	if (rc == 0)
		rc = rt_meta_write(s->run_dir, c->t.name, c->t.config, c->halt, NULL, err);
	if (rc < 0) {
		loaded_release(&l);
		return rc;
	}
	l.c->want_daemonize(l.c, daemon);
	c->pid = 0;
	c->exit_status = -1;
	if (h && h->before)
		h->before(h->data);
	ok = l.c->start(l.c, c->own_init ? 0 : 1, argv);
	if (h && h->after)
		h->after(h->data);
	rc = after_start(c, l.c, ok, daemon, err);
	if (!ok || !daemon)
		rt_meta_remove(s->run_dir, c->t.name);
	loaded_release(&l);
	return rc;
}

int api_start(struct ctl_container *c, const char *const argv[], unsigned flags,
	      const struct api_start_hooks *hooks, struct ctl_error **err)
{
	struct ct_error *e = NULL;

	/* liblxc's start() takes char *const[] and does not write to it. */
	return give(err, &e, start(c, (char *const *)argv, flags, hooks, &e));
}

int ctl_start(struct ctl_container *c, const char *const argv[], unsigned flags,
	      struct ctl_error **err)
{
	return api_start(c, argv, flags, NULL, err);
}

bool api_command_is_init(const struct ctl_container *c)
{
	return c->own_init;
}

/* ---- Signals and state ---- */

/* lxc.signal.halt from the container's config file: the one it was opened from, else the one
 * found by name; 0 (with a warning) when there is none or it cannot be read. */
static int file_halt_signal(struct ctl_container *c)
{
	struct ctl_target found = { 0 };
	const struct ctl_target *t = &c->t;
	struct ct_error *e = NULL;
	int sig = 0;

	if (!t->config && find_by_name(c->ctx->settings, t->name, &found, &e) == 0)
		t = &found;
	if (t->config && t->kind == CTL_KIND_LXC)
		load_halt_signal(t->config, &c->ctx->diag, &sig, &e);
	if (e)
		ct_warn(&c->ctx->diag, NULL, e->file, e->line, e->col,
			"stopping %s: no record of its start to take lxc.signal.halt from, and %s: "
			"sending SIGTERM",
			c->t.name, e->msg);
	ct_error_free(e);
	target_release(&found);
	return sig;
}

/* lxc.signal.halt of a running container: from its monitor, else (the monitor is gone or lives
 * under another lxcpath, e.g. lxc-start -P) as recorded at its start by ctlaunch, else from its
 * config file (containers ctlaunch did not start, or whose record is gone); SIGTERM when none
 * says. */
static int running_halt_signal(struct ctl_container *c, struct lxc_container *lc, bool orphan)
{
	const char *run_dir = c->ctx->settings->run_dir;
	cleanup_free char *v = NULL;
	int sig = -1;

	if (!orphan) {
		/* liblxc 5.0.2 asks the monitor only when the object has a config of its own,
		 * and one made in the run directory (no <run_dir>/<name>/config) has none:
		 * clearing a key in the object's copy (never saved) gives it one. */
		if (!lc->lxc_conf)
			lc->set_config_item(lc, "lxc.signal.halt", "");
		v = lc->get_running_config_item(lc, "lxc.signal.halt");
	}
	if (v && *v)
		sig = ct_signal_parse_lxc(v);
	if (sig < 0)
		sig = rt_meta_halt_signal(run_dir, c->t.name);
	if (sig < 0)
		sig = file_halt_signal(c);
	return sig > 0 ? sig : SIGTERM;
}

/* The running init (ret->pidfd -1 when none); its halt signal too when ret_halt is given. The
 * record of ctlaunch's start names it without a round trip to liblxc's monitor (which may be
 * waiting for the CPU); liblxc is asked when there is no usable record. */
static int find_init(struct ctl_container *c, const char *doing, struct ct_init *ret, int *ret_halt,
		     struct ct_error **err)
{
	struct lxc_container *lc;
	int rc, halt = -1;

	if (rt_meta_init(c->ctx->settings->run_dir, c->t.name, ret, &halt) == 0) {
		if (ret_halt && halt < 0)
			halt = file_halt_signal(c);
		if (ret_halt)
			*ret_halt = halt > 0 ? halt : SIGTERM;
		c->pid = ret->pid;
		return 0;
	}
	lc = lxc_object(c, doing, err);
	if (!lc)
		return -ENOMEM;
	rc = rt_find_init(lc, c->t.name, ret, err);
	if (rc == 0 && ret_halt && ret->pidfd >= 0)
		*ret_halt = running_halt_signal(c, lc, ret->orphan);
	lxc_container_put(lc);
	if (rc == 0)
		c->pid = ret->pidfd >= 0 ? ret->pid : 0;
	return rc;
}

static int kill_init(struct ctl_container *c, int sig, struct ct_error **err)
{
	struct ct_init init;
	int rc, saved;

	if (sig < 0 || sig > SIGRTMAX)
		return ct_error_set(err, EINVAL, "kill %s: no such signal: %d", c->t.name, sig);
	if (find_init(c, "kill", &init, NULL, err) < 0)
		return -1;
	if (init.pidfd < 0)
		return ct_error_set(err, ESRCH, "kill %s: not running", c->t.name);
	rc = ct_pidfd_send_signal(init.pidfd, sig);
	saved = errno;
	close(init.pidfd);
	if (rc < 0 && saved == ESRCH)
		return ct_error_set(err, ESRCH, "kill %s: not running (its init just exited)",
				    c->t.name);
	if (rc < 0)
		return ct_error_set(err, saved, "kill %s: sending %s to pid %d: %s", c->t.name,
				    ct_signal_name(sig), init.pid, strerror(saved));
	return 0;
}

int ctl_kill(struct ctl_container *c, int sig, struct ctl_error **err)
{
	struct ct_error *e = NULL;

	return give(err, &e, kill_init(c, sig, &e));
}

static const char *const state_names[] = {
	[CTL_STATE_STOPPED] = "STOPPED",
	[CTL_STATE_RUNNING] = "RUNNING",
	[CTL_STATE_FROZEN] = "FROZEN",
};

const char *ctl_state_name(enum ctl_run_state state)
{
	return (unsigned)state < CT_ARRAY_SIZE(state_names) ? state_names[state] : "?";
}

static int read_state(struct ctl_container *c, struct ctl_state *ret, struct ct_error **err)
{
	struct state_info st;

	if (state_read(c->ctx->settings, c->t.name, NULL, &st, err) < 0)
		return -1;
	memset(ret, 0, sizeof(*ret));
	for (size_t i = 0; i < CT_ARRAY_SIZE(state_names); i++)
		if (strcmp(st.state, state_names[i]) == 0)
			ret->state = (enum ctl_run_state)i;
	ret->pid = st.pid;
	ret->monitor = st.pid ? st.monitor : 0;
	ret->started = st.started;
	ret->mem_current = st.mem_current;
	ret->mem_peak = st.mem_peak;
	ret->cpu_ns = st.cpu_ns;
	c->pid = st.pid;
	if (st.config) {
		free(c->run_config);
		c->run_config = steal_pointer(&st.config);
	}
	state_release(&st);
	return 0;
}

int ctl_state(struct ctl_container *c, struct ctl_state *ret, struct ctl_error **err)
{
	struct ct_error *e = NULL;

	return give(err, &e, read_state(c, ret, &e));
}

/* ---- Stop ---- */

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void drop_monitor(struct ctl_container *c)
{
	if (c->monitor_fd >= 0)
		close(c->monitor_fd);
	c->monitor_fd = -1;
}

/* Find the init, its halt signal and its parent (liblxc's monitor), held in c, nothing sent
 * yet. -ESRCH when it does not run. */
static int prepare_stop(struct ctl_container *c, struct ct_error **err)
{
	struct ct_init init;
	int halt = SIGTERM;

	if (c->stopping)
		return ct_error_set(err, EALREADY, "stopping %s: a stop is in progress", c->t.name);
	if (find_init(c, "stopping", &init, &halt, err) < 0)
		return -1;
	if (init.pidfd < 0)
		return ct_error_set(err, ESRCH, "stopping %s: not running", c->t.name);
	stop_abandon(&c->stop);
	ct_error_free(c->stop.err);
	c->stop = (struct stop_item){
		.name = c->t.name, .pidfd = init.pidfd, .pid = init.pid, .halt_signal = halt
	};
	drop_monitor(c);
	c->monitor_fd = ct_pidfd_parent(init.pid, init.pidfd);
	return 0;
}

/* Send the halt signal (SIGKILL for timeout 0) to a prepared stop: its pidfd, or < 0. */
static int signal_stop(struct ctl_container *c, unsigned timeout_ms, unsigned kill_ms,
		       struct ct_error **err)
{
	int rc;

	c->stop_signal = timeout_ms ? c->stop.halt_signal : SIGKILL;
	rc = stop_begin(&c->stop, timeout_ms, kill_ms);
	if (rc < 0) {
		drop_monitor(c);
		if (err && !*err)
			*err = steal_pointer(&c->stop.err);
		return rc;
	}
	c->stopping = c->stop.result == STOP_PENDING;
	if (c->stopping)
		return c->stop.pidfd;
	drop_monitor(c);
	return ct_error_set(err, ESRCH, "stopping %s: not running", c->t.name);
}

static int begin_stop(struct ctl_container *c, unsigned timeout_ms, unsigned kill_ms,
		      struct ct_error **err)
{
	int rc = prepare_stop(c, err);

	return rc < 0 ? rc : signal_stop(c, timeout_ms, kill_ms, err);
}

int ctl_stop_begin(struct ctl_container *c, unsigned timeout_ms, unsigned kill_after_ms,
		   struct ctl_error **err)
{
	struct ct_error *e = NULL;

	return give(err, &e, begin_stop(c, timeout_ms, kill_after_ms, &e));
}

int ctl_stop_timeout(const struct ctl_container *c)
{
	return c->stopping ? stop_wait_ms(&c->stop) : -1;
}

/* Whether liblxc says the container still runs (its monitor still cleaning up). */
static bool lxc_says_running(struct ctl_container *c)
{
	struct lxc_container *lc = lxc_object(c, "stopping", NULL);
	bool running = lc && lc->is_running(lc);

	if (lc)
		lxc_container_put(lc);
	return running;
}

/* The init has ended: once liblxc's monitor is done (it has exited, or says the container does
 * not run), the record goes and the name can be started again. */
static void end_stop(struct ctl_container *c)
{
	drop_monitor(c);
	rt_meta_remove(c->ctx->settings->run_dir, c->t.name);
	c->pid = 0;
}

/* Let liblxc's monitor finish its clean-up (bounded) so that a start right after works: its
 * exit, or, when the init's parent is no monitor that exits (an orphan's reaper, a process
 * that ran a foreground start), liblxc's answer. */
static void wait_monitor(struct ctl_container *c)
{
	long long deadline = now_ms() + MONITOR_WAIT_MS;

	if (c->monitor_fd >= 0 && ct_pidfd_wait(c->monitor_fd, MONITOR_ASK_MS) == 1)
		return;
	while (now_ms() < deadline && !(c->monitor_fd >= 0 && ct_pidfd_exited(c->monitor_fd)) &&
	       lxc_says_running(c))
		usleep(500);
}

static enum ctl_stop_result public_result(enum stop_result r)
{
	static const enum ctl_stop_result results[] = {
		[STOP_PENDING] = CTL_STOP_PENDING, [STOP_EXITED] = CTL_STOP_EXITED,
		[STOP_KILLED] = CTL_STOP_KILLED,   [STOP_STUCK] = CTL_STOP_STUCK,
		[STOP_FAILED] = CTL_STOP_STUCK,
	};

	return (unsigned)r < CT_ARRAY_SIZE(results) ? results[r] : CTL_STOP_STUCK;
}

static int step_stop(struct ctl_container *c, enum ctl_stop_result *ret, struct ct_error **err)
{
	enum stop_result r;

	if (!c->stopping)
		return ct_error_set(err, EINVAL, "stopping %s: no stop was begun", c->t.name);
	r = stop_step(&c->stop);
	if (ret)
		*ret = public_result(r);
	if (r == STOP_PENDING)
		return 0;
	c->stopping = false;
	if (r == STOP_EXITED || r == STOP_KILLED) {
		wait_monitor(c);
		end_stop(c);
	}
	drop_monitor(c);
	return 0;
}

int ctl_stop_step(struct ctl_container *c, enum ctl_stop_result *ret, struct ctl_error **err)
{
	struct ct_error *e = NULL;

	return give(err, &e, step_stop(c, ret, &e));
}

int ctl_stop(struct ctl_container *c, unsigned timeout_ms, unsigned kill_after_ms,
	     enum ctl_stop_result *ret, struct ctl_error **err)
{
	enum ctl_stop_result r = CTL_STOP_PENDING;
	struct ct_error *e = NULL;
	int fd = begin_stop(c, timeout_ms, kill_after_ms, &e);

	if (fd == -ESRCH) {
		ct_error_free(e);
		if (ret)
			*ret = CTL_STOP_EXITED;
		return 0;
	}
	if (fd < 0)
		return give(err, &e, fd);
	while (r == CTL_STOP_PENDING) {
		ct_pidfd_wait(fd, ctl_stop_timeout(c));
		if (step_stop(c, &r, &e) < 0)
			return give(err, &e, -EINVAL);
	}
	if (ret)
		*ret = r;
	return 0;
}

/* ---- Several stops at once ---- */

enum { MANY_DONE = 0, MANY_INIT, MANY_MONITOR };

struct many {
	int phase;
	long long ask_ms, deadline_ms; /* MANY_MONITOR: next question to liblxc, the bound */
};

/* The init of o's container ended: wait for its monitor (in the common poll) or end now. */
static void many_init_ended(struct ctl_container *c, struct many *m, enum stop_result r)
{
	long long now = now_ms();

	c->stopping = false;
	m->phase = MANY_DONE;
	if (r != STOP_EXITED && r != STOP_KILLED) {
		drop_monitor(c);
		return;
	}
	m->phase = MANY_MONITOR;
	m->deadline_ms = now + MONITOR_WAIT_MS;
	m->ask_ms = c->monitor_fd >= 0 ? now + MONITOR_ASK_MS : now;
}

static void many_step(struct ctl_container *c, struct many *m, struct api_stop_out *o)
{
	long long now;

	if (m->phase == MANY_INIT) {
		enum stop_result r = stop_step(&c->stop);

		o->result = public_result(r);
		if (r != STOP_PENDING)
			many_init_ended(c, m, r);
		return;
	}
	if (m->phase != MANY_MONITOR)
		return;
	now = now_ms();
	if (c->monitor_fd >= 0 && ct_pidfd_exited(c->monitor_fd))
		m->phase = MANY_DONE;
	else if (now >= m->deadline_ms)
		m->phase = MANY_DONE;
	else if (now >= m->ask_ms && !lxc_says_running(c))
		m->phase = MANY_DONE;
	else if (now >= m->ask_ms)
		m->ask_ms = now + (c->monitor_fd >= 0 ? MONITOR_ASK_MS / 5 : 1);
	if (m->phase == MANY_DONE)
		end_stop(c);
}

/* One poll set over what every stop waits for (*ret_k entries); the time to the earliest
 * deadline. Returns the number of stops still going. */
static size_t many_fds(struct ctl_container *const *v, const struct many *m, size_t n,
		       struct pollfd *p, nfds_t *ret_k, int *ret_wait)
{
	long long now = now_ms(), w;
	size_t active = 0;

	*ret_k = 0;
	*ret_wait = -1;
	for (size_t i = 0; i < n; i++) {
		int fd = m[i].phase == MANY_INIT ? v[i]->stop.pidfd : v[i]->monitor_fd;

		if (m[i].phase == MANY_DONE)
			continue;
		active++;
		if (m[i].phase == MANY_INIT) {
			w = stop_wait_ms(&v[i]->stop);
		} else {
			w = (m[i].ask_ms < m[i].deadline_ms ? m[i].ask_ms : m[i].deadline_ms) - now;
			w = w < 0 ? 0 : w > INT_MAX ? INT_MAX : w;
		}
		if (fd >= 0)
			p[(*ret_k)++] = (struct pollfd){ .fd = fd, .events = POLLIN };
		if (w >= 0 && (*ret_wait < 0 || w < *ret_wait))
			*ret_wait = (int)w;
	}
	return active;
}

static void many_begin(struct ctl_container *const *v, size_t n, unsigned timeout_ms,
		       unsigned kill_ms, struct many *m, struct api_stop_out *out)
{
	for (size_t i = 0; i < n; i++) {
		struct ct_error *e = NULL;
		int rc = prepare_stop(v[i], &e);

		out[i] = (struct api_stop_out){ .result = CTL_STOP_EXITED,
						.running = rc != -ESRCH };
		m[i].phase = rc == 0 ? MANY_INIT : MANY_DONE;
		if (rc < 0 && rc != -ESRCH)
			give(&out[i].err, &e, rc);
		ct_error_free(e);
	}
	/* Every init found (and pinned) before the first signal: the monitors of the containers
	 * signalled first do not compete with the look-ups of the others. */
	for (size_t i = 0; i < n; i++) {
		struct ct_error *e = NULL;
		int rc;

		if (m[i].phase != MANY_INIT)
			continue;
		rc = signal_stop(v[i], timeout_ms, kill_ms, &e);
		if (rc < 0) {
			m[i].phase = MANY_DONE;
			out[i].running = rc != -ESRCH;
			if (rc != -ESRCH)
				give(&out[i].err, &e, rc);
		}
		out[i].result = CTL_STOP_PENDING;
		if (rc < 0)
			out[i].result = CTL_STOP_EXITED;
		ct_error_free(e);
	}
}

int api_stop_many(struct ctl_container *const *v, size_t n, unsigned timeout_ms,
		  unsigned kill_after_ms, struct api_stop_out *out, struct ct_error **err)
{
	cleanup_free struct pollfd *p = calloc(n + 1, sizeof(*p));
	cleanup_free struct many *m = calloc(n + 1, sizeof(*m));

	if (!p || !m)
		return ct_error_set(err, ENOMEM, "out of memory");
	many_begin(v, n, timeout_ms, kill_after_ms, m, out);
	for (;;) {
		int wait_ms;
		nfds_t k;

		if (!many_fds(v, m, n, p, &k, &wait_ms))
			return 0;
		if (poll(p, k, wait_ms) < 0 && errno != EINTR)
			return ct_error_set(err, errno, "stopping: poll: %s", strerror(errno));
		for (size_t i = 0; i < n; i++)
			many_step(v[i], &m[i], &out[i]);
	}
}

const char *ctl_stop_result_name(enum ctl_stop_result r)
{
	static const char *const names[] = { "pending", "stopped", "killed", "stuck" };

	return (unsigned)r < CT_ARRAY_SIZE(names) ? names[r] : "?";
}

int ctl_stop_signal(const struct ctl_container *c)
{
	return c->stop_signal;
}

unsigned ctl_stop_elapsed_ms(const struct ctl_container *c)
{
	if (c->stopping)
		return (unsigned)(now_ms() - c->stop.start_ms);
	return c->stop.elapsed_ms;
}
