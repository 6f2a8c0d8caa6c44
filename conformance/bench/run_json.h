/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/*
 * run_json.h - the benchmark's results, its targets, and their JSON and
 * text forms.
 */
#ifndef LUOC_BENCH_RUN_JSON_H
#define LUOC_BENCH_RUN_JSON_H

#include "run.h"

struct run_host {
	char cpu[128];
	char kernel[160];
	long cpus;
};

struct run_results {
	struct run_host host;
	unsigned int reps;
	uint64_t large;			/* images this big or bigger have the time target */
	const struct img_run *runs;
	unsigned int nruns;
	const struct img_run *scale[3];	/* 1x, 4x, 16x */
	unsigned int nscale;
	struct series startup;		/* luo-conform check on a tiny image */
	unsigned int fdt_n;		/* 0: no FDT comparison */
	const struct series *conform_batch, *conform_one, *dtv_batch, *dtv_one;
	const struct series *conform_img;	/* luo-conform on the vector images */
};

/* run.c */
double run_baseline(const struct img_run *r, bool wall);
double run_exponent(const double *x, const double *t, unsigned int n);

/* run_json.c */
int run_write(const struct run_results *res, const char *path);
void run_summary(FILE *f, const struct run_results *res);

#endif /* LUOC_BENCH_RUN_JSON_H */
