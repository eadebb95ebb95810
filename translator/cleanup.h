/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Scope-bound resources: cleaners accept NULL and -1, closing keeps errno. */
#ifndef CT_CLEANUP_H
#define CT_CLEANUP_H

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static inline void ct_freep(void *p)
{
	free(*(void **)p);
}

static inline void ct_closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;
		close(*fd);
		errno = saved;
	}
}

static inline void ct_fclosep(FILE **f)
{
	if (*f) {
		int saved = errno;
		fclose(*f);
		errno = saved;
	}
}

static inline void ct_closedirp(DIR **d)
{
	if (*d) {
		int saved = errno;
		closedir(*d);
		errno = saved;
	}
}

/* NULL-terminated array of allocated strings. */
static inline void ct_strv_free(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

static inline void ct_strv_freep(char ***v)
{
	ct_strv_free(*v);
}

#define cleanup_free __attribute__((cleanup(ct_freep)))
#define cleanup_close __attribute__((cleanup(ct_closep)))
#define cleanup_fclose __attribute__((cleanup(ct_fclosep)))
#define cleanup_closedir __attribute__((cleanup(ct_closedirp)))
#define cleanup_strv __attribute__((cleanup(ct_strv_freep)))

static inline void *steal_ptr_(void **p)
{
	void *r = *p;

	*p = NULL;
	return r;
}
#define steal_pointer(pp) ((__typeof__(*(pp)))steal_ptr_((void **)(pp)))

static inline int steal_fd(int *fd)
{
	int r = *fd;

	*fd = -1;
	return r;
}

#define CT_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
