/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/*
 * run.h - luo-bench-run: time luo-conform against memory-speed baselines
 * and dt-validate, and write the results as JSON.
 */
#ifndef LUOC_BENCH_RUN_H
#define LUOC_BENCH_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define RUN_MAX_REPS	64
#define RUN_MAX_IMAGES	32

/* One timed command, repeated. */
struct series {
	double t[RUN_MAX_REPS];		/* wall seconds */
	double cpu[RUN_MAX_REPS];	/* CPU seconds of the child: user + system */
	long rss[RUN_MAX_REPS];		/* peak RSS, KiB (getrusage of the child) */
	int status[RUN_MAX_REPS];	/* exit status, or 128 + signal */
	unsigned int n;
};

/* What luo-bench-gen wrote beside the image (IMG.info). */
struct img_info {
	char shape[128];
	char profile[128];
	uint64_t sessions, files, folios, order, stride;
	uint64_t file_bytes;		/* size of the image file */
	uint64_t meta_bytes;		/* the metadata segment: what is stored */
	uint64_t data_bytes;		/* folio data the state describes */
	uint64_t data_segments;
};

struct img_run {
	const char *path;
	struct img_info info;
	struct series check, cat, touch, readall;
};

/* run_exec.c */
int run_cmd(char *const argv[], double *secs, double *cpu, long *rss_kib, int *status);
void series_add(struct series *s, char *const argv[]);
/* CPU seconds (wall false) or wall seconds (wall true) */
double series_min(const struct series *s, bool wall);
double series_median(const struct series *s, bool wall);
long series_max_rss(const struct series *s);
bool series_all_status(const struct series *s, int want);

/* run.c */
extern unsigned int run_reps;

#endif /* LUOC_BENCH_RUN_H */
