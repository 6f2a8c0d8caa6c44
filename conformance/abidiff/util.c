// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * util.c - memory, strings, files and child processes for luo-abi-diff.
 *
 * The tool runs helpers (python for abijson.py, gcc, git, tar) without a
 * shell, so revisions and paths given on the command line are never
 * interpreted by one.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abidiff.h"

void *ad_xmalloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);

	if (!p) {
		fputs("luo-abi-diff: out of memory\n", stderr);
		exit(AD_EXIT_ERROR);
	}
	return p;
}

void *ad_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fputs("luo-abi-diff: out of memory\n", stderr);
		exit(AD_EXIT_ERROR);
	}
	return p;
}

char *ad_strdup(const char *s)
{
	return s ? ad_printf("%s", s) : NULL;
}

char *ad_printf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0) {
		fputs("luo-abi-diff: out of memory\n", stderr);
		exit(AD_EXIT_ERROR);
	}
	va_end(ap);
	return s;
}

void ad_err(const char *fmt, ...)
{
	va_list ap;

	fputs("luo-abi-diff: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Read all of fd into a NUL-terminated string (at most 64 MiB). */
static char *slurp_fd(int fd)
{
	size_t len = 0, cap = 4096;
	char *buf = ad_xmalloc(cap);
	ssize_t n;

	for (;;) {
		if (len + 1 >= cap) {
			if (cap >= (64u << 20))
				break;
			cap *= 2;
			buf = ad_xrealloc(buf, cap);
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	return buf;
}

/*
 * Run argv; its stdout goes to out_file (if set) or is captured into *out,
 * its stderr is captured into *err (if err is set) or passed through.
 * Returns the exit status, or -1 when it could not run or was killed.
 */
int ad_run(char *const argv[], const char *out_file, char **out, char **err)
{
	char tmpl_o[] = "/tmp/luo-abi-diff-o-XXXXXX";
	char tmpl_e[] = "/tmp/luo-abi-diff-e-XXXXXX";
	int fo = -1, fe = -1, status;
	pid_t pid;

	if (out_file)
		fo = open(out_file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	else if (out)
		fo = mkstemp(tmpl_o);
	if ((out_file || out) && fo < 0)
		return -1;
	if (err && (fe = mkstemp(tmpl_e)) < 0) {
		if (fo >= 0)
			close(fo);
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		int dn = open("/dev/null", O_RDONLY);

		if (dn >= 0)
			dup2(dn, 0);
		if (fo >= 0)
			dup2(fo, 1);
		if (fe >= 0)
			dup2(fe, 2);
		execvp(argv[0], argv);
		fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (out && !out_file) {
		lseek(fo, 0, SEEK_SET);
		*out = slurp_fd(fo);
		unlink(tmpl_o);
	}
	if (err) {
		lseek(fe, 0, SEEK_SET);
		*err = slurp_fd(fe);
		unlink(tmpl_e);
		close(fe);
	}
	if (fo >= 0)
		close(fo);
	if (pid < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

char *ad_mkdtemp(void)
{
	const char *t = getenv("TMPDIR");
	char *d = ad_printf("%s/luo-abi-diff-XXXXXX", t && *t ? t : "/tmp");

	if (!mkdtemp(d)) {
		ad_err("cannot make a temporary directory: %s", strerror(errno));
		free(d);
		return NULL;
	}
	return d;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

void ad_rmtree(const char *dir)
{
	if (dir && *dir)
		nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *ad_read_file(const char *path, size_t max)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	char *s;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || (size_t)st.st_size > max) {
		close(fd);
		return NULL;
	}
	s = slurp_fd(fd);
	close(fd);
	return s;
}

int ad_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	int bad;

	if (!f)
		return -1;
	bad = fputs(text, f) < 0;
	bad |= fclose(f) != 0;
	return bad ? -1 : 0;
}

bool ad_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool ad_is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}
