/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libctlaunch's public API (include/ctlaunch.h) over the launcher's modules: find, load,
 * runtime, stop, state. The ctlaunch command's start, stop, kill and state go through it. */
#include <errno.h>
#include <lxc/lxccontainer.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api.h"
#include "api_internal.h"
#include "cleanup.h"
#include "diag.h"
#include "find.h"
#include "load.h"
#include "pidfd.h"
#include "runtime.h"
#include "state.h"
#include "stop.h"

/* Handed out when even an error object cannot be allocated; never freed. */
static struct ctl_error oom_error = { .ct = { .status = ENOMEM, .msg = (char *)"out of memory" } };

/* Move *e (set by an internal function that returned rc) to the caller's err. */
int api_give(struct ctl_error **err, struct ct_error **e, int rc)
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

	api_give(err, &e, context_new(settings_file, &ctx, &e));
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
	return api_give(err, &e, rc);
}

int ctl_context_set_lxc_path(struct ctl_context *ctx, const char *dir, struct ctl_error **err)
{
	struct ct_error *e = NULL;
	int rc;

	if (!dir || !*dir)
		rc = ct_error_set(&e, EINVAL, "setting the LXC path: empty path");
	else
		rc = replace(&ctx->settings->lxc_path, dir, &e);
	return api_give(err, &e, rc);
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
		return api_give(err, &e,
				ct_error_set(&e, EINVAL, "opening a container: missing argument"));
	c = container_new(ctx);
	if (!c)
		return api_give(err, &e, ct_error_set(&e, ENOMEM, "out of memory"));
	rc = open_target(ctx, how, name, path, &c->t, &e);
	if (rc < 0) {
		ctl_container_free(c);
		return api_give(err, &e, rc);
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

struct lxc_container *api_lxc_object(struct ctl_container *c, const char *doing,
				     struct ct_error **err)
{
	struct lxc_container *lc = lxc_container_new(c->t.name, c->ctx->settings->run_dir);

	if (!lc)
		ct_error_set(err, ENOMEM, "%s %s: cannot create a container object", doing,
			     c->t.name);
	return lc;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Whether the name runs (1) or not (0) as liblxc sees it. liblxc's monitor of a previous run
 * whose init has ended still answers "running" while it cleans up: it is asked again until
 * it is done or the deadline passes (EBUSY then). */
static int still_running(struct ctl_container *c, struct lxc_container *lc, long long deadline,
			 struct ct_error **err)
{
	struct ct_init init;
	int rc;

	while (lc->is_running(lc)) {
		if (rt_find_init(lc, c->t.name, &init, err) < 0)
			return -1;
		if (init.pidfd >= 0) {
			close(init.pidfd);
			return 1;
		}
		if (now_ms() >= deadline) {
			rc = ct_error_set(err, EBUSY,
					  "starting %s: liblxc's monitor of its previous run is "
					  "still cleaning up after %d ms",
					  c->t.name, API_MONITOR_WAIT_MS);
			return ct_error_hint(err, rc,
					     "try again later, or kill the process "
					     "'[lxc monitor] ... %s'",
					     c->t.name);
		}
		usleep(2000);
	}
	return 0;
}

/* Refuse a running container; clean what a crashed run left. Called with the lock held,
 * deadline: how long a previous run's monitor may still be cleaning up. */
static int check_not_running(struct ctl_container *c, long long deadline, struct ct_error **err)
{
	struct lxc_container *lc = api_lxc_object(c, "starting", err);
	int n, running;

	if (!lc)
		return -ENOMEM;
	running = still_running(c, lc, deadline, err);
	lxc_container_put(lc);
	if (running < 0)
		return running;
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
	long long deadline;
	int rc;

	if (!c->t.config)
		return ct_error_set(err, EINVAL, "starting %s: no configuration (attached by name)",
				    c->t.name);
	if (flags & ~(unsigned)CTL_START_DAEMON)
		return ct_error_set(err, EINVAL, "starting %s: unknown flags 0x%x", c->t.name,
				    flags);
	if (rt_mkdir(s->run_dir, err) < 0)
		return -1;
	/* A stop returns once the container's processes are gone; the monitor of that run (a
	 * foreground ctlaunch holds the lock until it ends) may still be cleaning up. */
	deadline = now_ms() + API_MONITOR_WAIT_MS;
	rt_monitor_wait(s->run_dir, c->t.name, API_MONITOR_WAIT_MS);
	if (rt_lock(s->run_dir, c->t.name, &lock, err) < 0 ||
	    check_not_running(c, deadline, err) < 0 ||
	    load_target(s, &c->t, &c->ctx->diag, &l, err) < 0)
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
	return api_give(err, &e, start(c, (char *const *)argv, flags, hooks, &e));
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
int api_find_init(struct ctl_container *c, const char *doing, struct ct_init *ret, int *ret_halt,
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
	lc = api_lxc_object(c, doing, err);
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
	if (api_find_init(c, "kill", &init, NULL, err) < 0)
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

	return api_give(err, &e, kill_init(c, sig, &e));
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

	return api_give(err, &e, read_state(c, ret, &e));
}
