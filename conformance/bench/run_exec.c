// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * run_exec.c - time one command as a child process: wall time from fork
 * to reaping, and from wait4()'s rusage the child's CPU time (user +
 * system) and peak RSS (ru_maxrss, KiB on Linux).  Output goes to
 * /dev/null: the benchmark times work, not a terminal.  Every side is
 * timed the same way, so process start-up is in every number; the results
 * state it separately.
 *
 * The targets use CPU time: the runs are single-threaded and read from
 * the page cache, so on an idle machine the two agree, and on a busy one
 * (the CI's two cores running other jobs) CPU time leaves out the waits
 * for a core that make wall time noise.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double tv(struct timeval t)
{
	return (double)t.tv_sec + (double)t.tv_usec / 1e6;
}

int run_cmd(char *const argv[], double *secs, double *cpu, long *rss_kib, int *status)
{
	struct rusage ru;
	double t0 = now();
	int st;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0) {
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	if (wait4(pid, &st, 0, &ru) < 0)
		return -errno;
	*secs = now() - t0;
	*cpu = tv(ru.ru_utime) + tv(ru.ru_stime);
	*rss_kib = ru.ru_maxrss;
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return 0;
}

void series_add(struct series *s, char *const argv[])
{
	double t = 0, cpu = 0;
	long rss = 0;
	int st = 255;

	if (s->n >= RUN_MAX_REPS)
		return;
	if (run_cmd(argv, &t, &cpu, &rss, &st)) {
		t = cpu = 0;
		rss = 0;
		st = 255;
	}
	s->t[s->n] = t;
	s->cpu[s->n] = cpu;
	s->rss[s->n] = rss;
	s->status[s->n] = st;
	s->n++;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double series_min(const struct series *s, bool wall)
{
	const double *v = wall ? s->t : s->cpu;
	double m = 0;
	unsigned int i;

	for (i = 0; i < s->n; i++)
		if (!i || v[i] < m)
			m = v[i];
	return m;
}

double series_median(const struct series *s, bool wall)
{
	double t[RUN_MAX_REPS];

	if (!s->n)
		return 0;
	memcpy(t, wall ? s->t : s->cpu, s->n * sizeof(t[0]));
	qsort(t, s->n, sizeof(t[0]), cmp_double);
	return s->n % 2 ? t[s->n / 2] : (t[s->n / 2 - 1] + t[s->n / 2]) / 2;
}

long series_max_rss(const struct series *s)
{
	long m = 0;
	unsigned int i;

	for (i = 0; i < s->n; i++)
		if (s->rss[i] > m)
			m = s->rss[i];
	return m;
}

bool series_all_status(const struct series *s, int want)
{
	unsigned int i;

	for (i = 0; i < s->n; i++)
		if (s->status[i] != want)
			return false;
	return s->n > 0;
}
