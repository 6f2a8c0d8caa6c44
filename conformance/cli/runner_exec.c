// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * runner_exec.c - "luo-conform run" and "luo-conform matrix" live in a
 * separate program, luo-conform-runner, which luo-conform execs.
 *
 * Why: the runner links libyaml, libarchive, json-c, OpenSSL and the
 * reference implementation, and loading those took most of the time of a
 * "luo-conform check" of a small image (about 3 ms of 3.4).  check and
 * capture need only libfdt and libelf, so they no longer pay for them.
 *
 * Where the runner is, first match:
 *   $LUO_CONFORM_RUNNER                       explicit override
 *   DIR/../libexec/luo-conformance/luo-conform-runner
 *                                             installed (DIR: luo-conform's own
 *                                             directory, from /proc/self/exe)
 *   DIR/luo-conform-runner                    the build tree ($(B)/)
 *   LUOC_LIBEXECDIR/luo-conform-runner        the configured install path
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conform.h"

#ifndef LUOC_LIBEXECDIR
#define LUOC_LIBEXECDIR "/usr/local/libexec/luo-conformance"
#endif

#define RUNNER_NAME	"luo-conform-runner"

/* luo-conform's own directory (symlinks resolved), or "" when unknown. */
static void self_dir(char *dir, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", dir, len - 1);
	char *slash;

	if (n <= 0) {
		dir[0] = '\0';
		return;
	}
	dir[n] = '\0';
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		dir[0] = '\0';
}

/* The first candidate that exists and is executable, in path; false when none. */
static bool find_runner(char *path, size_t len)
{
	const char *env = getenv("LUO_CONFORM_RUNNER");
	char dir[PATH_MAX];

	if (env && *env) {
		snprintf(path, len, "%s", env);
		return true;	/* an explicit choice: exec reports it if it is wrong */
	}
	self_dir(dir, sizeof(dir));
	if (dir[0]) {
		snprintf(path, len, "%s/../libexec/luo-conformance/" RUNNER_NAME, dir);
		if (!access(path, X_OK))
			return true;
		snprintf(path, len, "%s/" RUNNER_NAME, dir);
		if (!access(path, X_OK))
			return true;
	}
	snprintf(path, len, "%s/" RUNNER_NAME, LUOC_LIBEXECDIR);
	return !access(path, X_OK);
}

/* argv[0] is the subcommand ("run" or "matrix"); returns only on failure. */
int cf_cmd_runner(int argc, char **argv)
{
	char path[PATH_MAX + 64];
	char **args;
	int i;

	if (!find_runner(path, sizeof(path))) {
		fprintf(stderr, "luo-conform %s: cannot find " RUNNER_NAME
			" (looked next to luo-conform, in ../libexec/luo-conformance and in "
			LUOC_LIBEXECDIR "; set LUO_CONFORM_RUNNER to its path)\n", argv[0]);
		return LUOC_EXIT_USAGE;
	}
	args = calloc((size_t)argc + 2, sizeof(*args));
	if (!args) {
		fputs("luo-conform: out of memory\n", stderr);
		return LUOC_EXIT_USAGE;
	}
	args[0] = path;
	for (i = 0; i < argc; i++)
		args[i + 1] = argv[i];
	fflush(NULL);
	execv(path, args);
	fprintf(stderr, "luo-conform %s: cannot run %s: %s\n", argv[0], path, strerror(errno));
	free(args);
	return LUOC_EXIT_USAGE;
}
