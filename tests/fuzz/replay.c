/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Replays inputs through a fuzz target's LLVMFuzzerTestOneInput without libFuzzer, so the normal
 * (and the sanitizer) build runs them in `make check`: every file under the directories given,
 * one TAP line each. A crash input found by tests/fuzz/run-fuzzers is committed under
 * tests/fuzz/regressions/<target>/ and stays a test from then on. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cleanup.h"
#include "fileio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned n;

static void replay_file(const char *path)
{
	cleanup_error struct ct_error *err = NULL;
	cleanup_free char *buf = NULL;
	size_t len;

	if (ct_read_file(path, CT_MAX_INPUT_SIZE, &buf, &len, &err) < 0) {
		printf("not ok %u - %s: %s\n", ++n, path, err->msg);
		return;
	}
	/* A crash aborts the whole program: the harness reports it as an error. */
	LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
	printf("ok %u - %s\n", ++n, path);
	fflush(stdout);
}

static void replay_dir(const char *dir)
{
	struct dirent **names;
	int count = scandir(dir, &names, NULL, alphasort);

	if (count < 0) {
		printf("not ok %u - %s: cannot read the directory\n", ++n, dir);
		return;
	}
	for (int i = 0; i < count; i++) {
		cleanup_free char *path = NULL;
		struct stat st;

		if (asprintf(&path, "%s/%s", dir, names[i]->d_name) >= 0 && stat(path, &st) == 0 &&
		    S_ISREG(st.st_mode))
			replay_file(path);
		free(names[i]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) < 0)
			continue; /* e.g. no regression inputs for this target yet */
		if (S_ISDIR(st.st_mode))
			replay_dir(argv[i]);
		else
			replay_file(argv[i]);
	}
	printf("1..%u\n", n);
	return 0;
}
