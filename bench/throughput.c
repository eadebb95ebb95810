/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Library throughput: parse + translate + serialise a config N times on one core and report
 * configs per second. Usage: throughput lxc2oci|oci2lxc FILE [SECONDS] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cleanup.h"
#include "fileio.h"
#include "jsonutil.h"
#include "lxcconf.h"
#include "ocispec.h"
#include "translate.h"

static double seconds(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now(void)
{
	return seconds(CLOCK_MONOTONIC);
}

/* CPU time of this process: the rate per CPU second holds when other work shares the core. */
static double cpu_now(void)
{
	return seconds(CLOCK_PROCESS_CPUTIME_ID);
}

static int one_lxc2oci(const char *buf, size_t len, const char *name)
{
	cleanup_lxcconf struct lxc_config *conf = NULL;
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *oci = NULL;
	cleanup_free char *out = NULL;
	struct lxcconf_opts lopts = { 0 };
	struct ct_translate_opts topts = { 0 };

	if (lxcconf_parse_buffer(buf, len, name, &lopts, &conf, &err) < 0 ||
	    ct_lxc_to_oci(conf, &topts, &oci, &err) < 0) {
		fprintf(stderr, "throughput: %s\n", err ? err->msg : "failed");
		return -1;
	}
	out = ocispec_dump(oci);
	return out ? 0 : -1;
}

static int one_oci2lxc(const char *buf, size_t len, const char *name)
{
	cleanup_lxcconf struct lxc_config *conf = NULL;
	cleanup_error struct ct_error *err = NULL;
	cleanup_json json_t *oci = NULL;
	cleanup_strbuf struct strbuf out = STRBUF_INIT;
	struct ct_side_file *side = NULL;
	struct ct_translate_opts topts = { .bundle_dir = "/bundle", .seccomp_path = "/s" };

	if (ocispec_parse_buffer(buf, len, name, NULL, &oci, &err) < 0 ||
	    ct_oci_to_lxc(oci, &topts, &conf, &side, &err) < 0 ||
	    lxcconf_write(conf, NULL, &out, &err) < 0) {
		fprintf(stderr, "throughput: %s\n", err ? err->msg : "failed");
		ct_side_files_free(side);
		return -1;
	}
	ct_side_files_free(side);
	return 0;
}

int main(int argc, char **argv)
{
	cleanup_error struct ct_error *err = NULL;
	cleanup_free char *buf = NULL;
	int (*one)(const char *, size_t, const char *);
	double secs = argc > 3 ? atof(argv[3]) : 2.0, start, elapsed, cpu_start, cpu;
	unsigned long n = 0;
	size_t len;

	if (argc < 3 || (strcmp(argv[1], "lxc2oci") && strcmp(argv[1], "oci2lxc"))) {
		fprintf(stderr, "usage: throughput lxc2oci|oci2lxc FILE [SECONDS]\n");
		return 2;
	}
	one = strcmp(argv[1], "lxc2oci") == 0 ? one_lxc2oci : one_oci2lxc;
	if (ct_read_file(argv[2], CT_MAX_INPUT_SIZE, &buf, &len, &err) < 0) {
		fprintf(stderr, "throughput: %s\n", err->msg);
		return 1;
	}
	start = now();
	cpu_start = cpu_now();
	do {
		for (int i = 0; i < 100; i++, n++)
			if (one(buf, len, argv[2]) < 0)
				return 1;
		elapsed = now() - start;
	} while (elapsed < secs);
	cpu = cpu_now() - cpu_start;
	printf("%s %s: %lu translations in %.3f s: %.0f per second (%.0f per CPU second)\n",
	       argv[1], argv[2], n, elapsed, (double)n / elapsed, cpu > 0 ? (double)n / cpu : 0.0);
	return 0;
}
