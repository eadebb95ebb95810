/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the mount family's suites share (check_map_mount.c, check_mountopts.c): runc spec's
 * mounts, and running the family's two directions on a config or a document. */
#ifndef CT_TEST_MAP_MOUNT_FIXTURE_H
#define CT_TEST_MAP_MOUNT_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "families.h"
#include "jsonutil.h"
#include "lxcconf.h"
#include "strbuf.h"
#include "translate.h"

#define RUNC_SPEC_MOUNTS                                                                          \
	"[{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"},"                     \
	"{\"destination\":\"/dev\",\"type\":\"tmpfs\",\"source\":\"tmpfs\",\"options\":"          \
	"[\"nosuid\",\"strictatime\",\"mode=755\",\"size=65536k\"]},"                             \
	"{\"destination\":\"/dev/pts\",\"type\":\"devpts\",\"source\":\"devpts\",\"options\":"    \
	"[\"nosuid\",\"noexec\",\"newinstance\",\"ptmxmode=0666\",\"mode=0620\",\"gid=5\"]},"     \
	"{\"destination\":\"/dev/shm\",\"type\":\"tmpfs\",\"source\":\"shm\",\"options\":"        \
	"[\"nosuid\",\"noexec\",\"nodev\",\"mode=1777\",\"size=65536k\"]},"                       \
	"{\"destination\":\"/dev/mqueue\",\"type\":\"mqueue\",\"source\":\"mqueue\",\"options\":" \
	"[\"nosuid\",\"noexec\",\"nodev\"]},"                                                     \
	"{\"destination\":\"/sys\",\"type\":\"sysfs\",\"source\":\"sysfs\",\"options\":"          \
	"[\"nosuid\",\"noexec\",\"nodev\",\"ro\"]},"                                              \
	"{\"destination\":\"/sys/fs/cgroup\",\"type\":\"cgroup\",\"source\":\"cgroup\","          \
	"\"options\":[\"nosuid\",\"noexec\",\"nodev\",\"relatime\",\"ro\"]}]"

/* The OCDM example's /tmp bind, then runc spec's list. */
#define OCDM_TMP "{\"source\":\"/tmp\",\"destination\":\"/tmp\",\"options\":[\"rw\",\"bind\"]},"

static struct ct_translate_opts opts;

static inline struct lxc_config *conf_of(const char *const *kv)
{
	struct lxc_config *conf = lxcconf_new();
	cleanup_error struct ct_error *err = NULL;

	ck_assert_ptr_nonnull(conf);
	for (unsigned i = 0; kv[i]; i += 2)
		ck_assert_int_eq(lxcconf_add(conf, kv[i], kv[i + 1], "t.conf", i / 2 + 1, &err), 0);
	return conf;
}

/* Run the family's to_oci on conf; returns the document (annotations and mounts). */
static inline int family_to_oci(struct lxc_config *conf, json_t **ret, struct ct_error **err)
{
	cleanup_free bool *used = calloc(conf->n + 1, sizeof(bool));
	json_t *oci = json_object();
	struct ct_ctx ctx = { .lxc = conf, .oci = oci, .opts = &opts, .used = used };
	int rc = ct_family_mount.to_oci(&ctx, err);

	for (size_t i = 0; rc == 0 && i < conf->n; i++)
		if (strncmp(conf->v[i].key, "lxc.mount.", 10) == 0 && !used[i] &&
		    strcmp(conf->v[i].key, "lxc.mount.entry") != 0)
			ck_abort_msg("%s not marked used", conf->v[i].key);
	*ret = oci;
	return rc;
}

static inline struct lxc_config *family_to_lxc(json_t *oci)
{
	cleanup_error struct ct_error *err = NULL;
	struct lxc_config *conf = lxcconf_new();
	struct ct_ctx ctx = { .lxc = conf, .oci = oci, .opts = &opts };

	ck_assert_int_eq(ct_family_mount.to_lxc(&ctx, &err), 0);
	return conf;
}

static inline json_t *oci_with_mounts(const char *mounts_json)
{
	json_error_t jerr;
	json_t *mounts = json_loads(mounts_json, 0, &jerr);

	ck_assert_msg(mounts != NULL, "bad test JSON: %s", jerr.text);
	return json_pack("{s:o}", "mounts", mounts);
}

/* The values of key in conf, joined by '|'. */
static inline char *values(const struct lxc_config *conf, const char *key)
{
	struct strbuf sb = STRBUF_INIT;
	const struct lxc_entry *e;

	for (size_t i = 0; (e = lxcconf_next(conf, key, false, &i)); i++)
		strbuf_printf(&sb, "%s%s", sb.len ? "|" : "", e->value);
	strbuf_puts(&sb, "");
	return strbuf_steal(&sb);
}

static inline char *mounts_of(json_t *oci)
{
	return ct_json_canonical(json_object_get(oci, "mounts"));
}

#endif
