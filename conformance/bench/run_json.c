// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * run_json.c - the targets of the benchmark and the results file.
 *
 * Targets (issue "Benchmark: checking large states near memory speed"):
 *   time    on every image of at least res->large bytes, the median check
 *           takes at most 2x the sequential-read baseline
 *   linear  the 16x scale image costs at most 18x the 1x image
 *   rss     the check's peak RSS is at most 64 MiB above the metadata the
 *           image stores
 *   fdt     luo-conform validates an FDT at least 100x faster than
 *           dt-validate (batched on both sides: total time / count)
 */
#include <stdio.h>
#include <string.h>

#include "run_json.h"

#define MIB		(1024.0 * 1024.0)
#define RSS_SLACK_MIB	64.0
#define TIME_FACTOR	2.0
#define LINEAR_16X	18.0
#define FDT_FACTOR	100.0

enum verdict { V_NA, V_PASS, V_FAIL };

static const char *vname(enum verdict v)
{
	return v == V_PASS ? "pass" : v == V_FAIL ? "fail" : "n/a";
}

/* Median check time over the baseline, in CPU time (wall: in wall time). */
static double ratio_of(const struct img_run *r, bool wall)
{
	double b = run_baseline(r, wall);

	return b > 0 ? series_median(&r->check, wall) / b : 0;
}

static double ratio(const struct img_run *r)
{
	return ratio_of(r, false);
}

static double rss_over(const struct img_run *r)
{
	return (double)series_max_rss(&r->check) * 1024.0 / MIB - (double)r->info.meta_bytes / MIB;
}

static enum verdict time_verdict(const struct run_results *res, const struct img_run *r)
{
	if (r->info.file_bytes < res->large)
		return V_NA;
	return ratio(r) <= TIME_FACTOR ? V_PASS : V_FAIL;
}

static enum verdict rss_verdict(const struct img_run *r)
{
	return rss_over(r) <= RSS_SLACK_MIB ? V_PASS : V_FAIL;
}

static uint64_t entries(const struct img_run *r)
{
	return r->info.sessions * r->info.files * r->info.folios;
}

struct scaling {
	double factor[3], t[3], exponent, ratio16;
	double net[3], exponent_net;	/* start-up subtracted */
	bool have_net;			/* every time above the start-up */
	enum verdict v;
};

static void scaling(const struct run_results *res, struct scaling *s)
{
	unsigned int i;

	memset(s, 0, sizeof(*s));
	if (res->nscale != 3)
		return;
	s->v = V_FAIL;
	if (!entries(res->scale[0]))
		return;
	for (i = 0; i < 3; i++) {
		s->factor[i] = (double)entries(res->scale[i]) / (double)entries(res->scale[0]);
		s->t[i] = series_median(&res->scale[i]->check, false);
	}
	if (s->t[0] <= 0 || s->t[1] <= 0 || s->t[2] <= 0)
		return;		/* a run failed: no fit, and the target fails */
	s->exponent = run_exponent(s->factor, s->t, 3);
	s->ratio16 = s->t[2] / s->t[0];
	s->have_net = res->startup.n > 0;
	for (i = 0; i < 3; i++) {
		s->net[i] = s->t[i] - series_median(&res->startup, false);
		s->have_net &= s->net[i] > 0;
	}
	if (s->have_net)
		s->exponent_net = run_exponent(s->factor, s->net, 3);
	/* 16x the size for at most 18x the time, scaled to the factor measured */
	s->v = s->ratio16 <= s->factor[2] * (LINEAR_16X / 16.0) ? V_PASS : V_FAIL;
}

struct fdtcmp {
	double conform_per, dtv_per, conform_one, dtv_one, conform_marg, dtv_marg, ratio;
	double img_per, img_ratio;	/* luo-conform on the whole images */
	enum verdict v;
};

static void fdtcmp(const struct run_results *res, struct fdtcmp *f)
{
	double n = res->fdt_n;

	memset(f, 0, sizeof(*f));
	if (!res->fdt_n)
		return;
	f->conform_per = series_median(res->conform_batch, false) / n;
	f->dtv_per = series_median(res->dtv_batch, false) / n;
	f->conform_one = series_median(res->conform_one, false);
	f->dtv_one = series_median(res->dtv_one, false);
	if (res->fdt_n > 1) {
		f->conform_marg = (series_median(res->conform_batch, false) - f->conform_one) / (n - 1);
		f->dtv_marg = (series_median(res->dtv_batch, false) - f->dtv_one) / (n - 1);
	}
	f->ratio = f->conform_per > 0 ? f->dtv_per / f->conform_per : 0;
	f->img_per = series_median(res->conform_img, false) / n;
	f->img_ratio = f->img_per > 0 ? f->dtv_per / f->img_per : 0;
	f->v = f->ratio >= FDT_FACTOR ? V_PASS : V_FAIL;
}

/* --- JSON ----------------------------------------------------------------------- */

static void jstr(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		if ((unsigned char)*s >= 0x20)
			fputc(*s, f);
	}
	fputc('"', f);
}

static void jseries(FILE *f, const char *name, const struct series *s)
{
	unsigned int i;

	fprintf(f, "\"%s\": {\"min_s\": %.6f, \"median_s\": %.6f, \"wall_min_s\": %.6f, "
		"\"wall_median_s\": %.6f, \"max_rss_kib\": %ld, \"times_s\": [",
		name, series_min(s, false), series_median(s, false), series_min(s, true),
		series_median(s, true), series_max_rss(s));
	for (i = 0; i < s->n; i++)
		fprintf(f, "%s%.6f", i ? ", " : "", s->cpu[i]);
	fputs("], \"wall_s\": [", f);
	for (i = 0; i < s->n; i++)
		fprintf(f, "%s%.6f", i ? ", " : "", s->t[i]);
	fputs("], \"status\": [", f);
	for (i = 0; i < s->n; i++)
		fprintf(f, "%s%d", i ? ", " : "", s->status[i]);
	fputs("]}", f);
}

static void jimage(FILE *f, const struct run_results *res, const struct img_run *r)
{
	const struct img_info *in = &r->info;
	double med = series_median(&r->check, false);

	fputs("    {\"shape\": ", f);
	jstr(f, in->shape);
	fputs(", \"path\": ", f);
	jstr(f, r->path);
	fputs(", \"profile\": ", f);
	jstr(f, in->profile);
	fprintf(f, ", \"sessions\": %llu, \"files_per_session\": %llu, \"folios_per_file\": %llu, "
		"\"folio_entries\": %llu, \"folio_order\": %llu, \"stride\": %llu,\n",
		(unsigned long long)in->sessions, (unsigned long long)in->files,
		(unsigned long long)in->folios, (unsigned long long)entries(r),
		(unsigned long long)in->order, (unsigned long long)in->stride);
	fprintf(f, "     \"file_bytes\": %llu, \"meta_bytes\": %llu, \"data_bytes\": %llu, "
		"\"data_segments\": %llu,\n",
		(unsigned long long)in->file_bytes, (unsigned long long)in->meta_bytes,
		(unsigned long long)in->data_bytes, (unsigned long long)in->data_segments);
	fputs("     ", f);
	jseries(f, "check", &r->check);
	fputs(",\n     ", f);
	jseries(f, "cat", &r->cat);
	fputs(",\n     ", f);
	jseries(f, "touch", &r->touch);
	fputs(",\n     ", f);
	jseries(f, "readall", &r->readall);
	fprintf(f, ",\n     \"baseline_s\": %.6f, \"ratio\": %.3f, \"wall_ratio\": %.3f, "
		"\"image_mb_s\": %.1f, "
		"\"data_gib_s\": %.1f, \"rss_over_meta_mib\": %.1f, "
		"\"time_target\": \"%s\", \"rss_target\": \"%s\"}",
		run_baseline(r, false), ratio(r), ratio_of(r, true),
		med > 0 ? (double)in->meta_bytes / med / 1e6 : 0,
		med > 0 ? (double)in->data_bytes / med / (MIB * 1024) : 0, rss_over(r),
		vname(time_verdict(res, r)), vname(rss_verdict(r)));
}

struct target {
	const char *id, *text;
	enum verdict v;
	char detail[256];
};

static unsigned int targets(const struct run_results *res, struct target *t)
{
	enum verdict tv = V_NA, rv = V_NA;
	double worst_ratio = 0, worst_rss = -1e9;
	const char *worst_t = "", *worst_r = "";
	struct scaling sc;
	struct fdtcmp fc;
	unsigned int i;

	for (i = 0; i < res->nruns; i++) {
		const struct img_run *r = &res->runs[i];
		enum verdict v = time_verdict(res, r);

		if (v != V_NA) {
			tv = tv == V_FAIL || v == V_FAIL ? V_FAIL : V_PASS;
			if (ratio(r) > worst_ratio) {
				worst_ratio = ratio(r);
				worst_t = r->info.shape;
			}
		}
		rv = rv == V_FAIL || rss_verdict(r) == V_FAIL ? V_FAIL : V_PASS;
		if (rss_over(r) > worst_rss) {
			worst_rss = rss_over(r);
			worst_r = r->info.shape;
		}
	}
	scaling(res, &sc);
	fdtcmp(res, &fc);
	t[0] = (struct target){ "time", "check <= 2x the sequential-read baseline (large images)", tv, "" };
	snprintf(t[0].detail, sizeof(t[0].detail), "worst %.2fx (%s)", worst_ratio, worst_t);
	t[1] = (struct target){ "linear", "16x the size costs <= 18x the time", sc.v, "" };
	if (sc.have_net)
		snprintf(t[1].detail, sizeof(t[1].detail),
			 "%.2fx for %.0fx, exponent %.3f (%.3f without the %.1f ms start-up)",
			 sc.ratio16, sc.factor[2], sc.exponent, sc.exponent_net,
			 series_median(&res->startup, false) * 1e3);
	else
		snprintf(t[1].detail, sizeof(t[1].detail), "%.2fx for %.0fx, exponent %.3f",
			 sc.ratio16, sc.factor[2], sc.exponent);
	t[2] = (struct target){ "rss", "peak RSS <= metadata + 64 MiB", rv, "" };
	snprintf(t[2].detail, sizeof(t[2].detail), "worst %+.1f MiB over the metadata (%s)",
		 worst_rss, worst_r);
	t[3] = (struct target){ "fdt", "luo-conform >= 100x faster than dt-validate per FDT", fc.v, "" };
	snprintf(t[3].detail, sizeof(t[3].detail),
		 "%.0fx (%.3f ms vs %.3f ms per FDT, %u FDTs); whole images: %.0fx (%.3f ms)",
		 fc.ratio, fc.conform_per * 1e3, fc.dtv_per * 1e3, res->fdt_n, fc.img_ratio,
		 fc.img_per * 1e3);
	return 4;
}

static void jscaling(FILE *f, const struct run_results *res)
{
	struct scaling s;
	unsigned int i;

	scaling(res, &s);
	if (res->nscale != 3) {
		fputs("  \"scaling\": null,\n", f);
		return;
	}
	fputs("  \"scaling\": {\"shapes\": [", f);
	for (i = 0; i < 3; i++) {
		fputs(i ? ", " : "", f);
		jstr(f, res->scale[i]->info.shape);
	}
	fprintf(f, "], \"factors\": [%.3f, %.3f, %.3f], \"median_s\": [%.6f, %.6f, %.6f], "
		"\"exponent\": %.4f, \"ratio_16x\": %.3f, \"startup_s\": %.6f, \"exponent_net\": ",
		s.factor[0], s.factor[1], s.factor[2], s.t[0], s.t[1], s.t[2], s.exponent,
		s.ratio16, series_median(&res->startup, false));
	if (s.have_net)
		fprintf(f, "%.4f", s.exponent_net);
	else
		fputs("null", f);
	fprintf(f, ", \"target\": \"%s\"},\n", vname(s.v));
}

static void jfdt(FILE *f, const struct run_results *res)
{
	struct fdtcmp c;

	fdtcmp(res, &c);
	if (!res->fdt_n) {
		fputs("  \"fdt\": null,\n", f);
		return;
	}
	fprintf(f, "  \"fdt\": {\"count\": %u,\n   \"luo_conform\": {", res->fdt_n);
	jseries(f, "batch", res->conform_batch);
	fputs(", ", f);
	jseries(f, "single", res->conform_one);
	fprintf(f, ", \"per_fdt_s\": %.6f, \"marginal_s\": %.6f},\n   \"luo_conform_images\": {",
		c.conform_per, c.conform_marg);
	jseries(f, "batch", res->conform_img);
	fprintf(f, ", \"per_image_s\": %.6f, \"ratio_per_fdt\": %.3f},\n   \"dt_validate\": {",
		c.img_per, c.img_ratio);
	jseries(f, "batch", res->dtv_batch);
	fputs(", ", f);
	jseries(f, "single", res->dtv_one);
	fprintf(f, ", \"per_fdt_s\": %.6f, \"marginal_s\": %.6f},\n   \"ratio_per_fdt\": %.3f, "
		"\"ratio_single\": %.3f, \"target\": \"%s\"},\n",
		c.dtv_per, c.dtv_marg, c.ratio, c.conform_one > 0 ? c.dtv_one / c.conform_one : 0,
		vname(c.v));
}

int run_write(const struct run_results *res, const char *path)
{
	struct target t[4];
	unsigned int i, n = targets(res, t);
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs("{\n  \"format\": \"luo-bench-results-1\",\n  \"host\": {\"cpu\": ", f);
	jstr(f, res->host.cpu);
	fprintf(f, ", \"cpus\": %ld, \"kernel\": ", res->host.cpus);
	jstr(f, res->host.kernel);
	fprintf(f, "},\n  \"reps\": %u,\n  \"large_bytes\": %llu,\n"
		"  \"baseline\": \"min(median of cat, median of seqread --all)\",\n  \"images\": [\n",
		res->reps, (unsigned long long)res->large);
	for (i = 0; i < res->nruns; i++) {
		jimage(f, res, &res->runs[i]);
		fputs(i + 1 < res->nruns ? ",\n" : "\n", f);
	}
	fputs("  ],\n", f);
	jscaling(f, res);
	jfdt(f, res);
	fputs("  \"targets\": [\n", f);
	for (i = 0; i < n; i++) {
		fprintf(f, "    {\"id\": \"%s\", \"text\": ", t[i].id);
		jstr(f, t[i].text);
		fprintf(f, ", \"result\": \"%s\", \"detail\": ", vname(t[i].v));
		jstr(f, t[i].detail);
		fputs(i + 1 < n ? "},\n" : "}\n", f);
	}
	fputs("  ]\n}\n", f);
	return fclose(f) ? -1 : 0;
}

void run_summary(FILE *f, const struct run_results *res)
{
	struct target t[4];
	unsigned int i, n = targets(res, t);

	fprintf(f, "CPU ms (wall ms), medians of %u\n", res->reps);
	fprintf(f, "%-30s %15s %15s %15s %6s %6s %8s\n", "shape", "check", "cat", "read-all",
		"ratio", "MB/s", "RSS MiB");
	for (i = 0; i < res->nruns; i++) {
		const struct img_run *r = &res->runs[i];
		double med = series_median(&r->check, false);

		fprintf(f, "%-30s %7.2f (%5.1f) %7.2f (%5.1f) %7.2f (%5.1f) %5.2fx %6.0f %8.1f\n",
			r->info.shape, med * 1e3, series_median(&r->check, true) * 1e3,
			series_median(&r->cat, false) * 1e3, series_median(&r->cat, true) * 1e3,
			series_median(&r->readall, false) * 1e3,
			series_median(&r->readall, true) * 1e3, ratio(r),
			med > 0 ? (double)r->info.meta_bytes / med / 1e6 : 0,
			(double)series_max_rss(&r->check) / 1024.0);
	}
	for (i = 0; i < n; i++)
		fprintf(f, "%s %s: %s (%s)\n", t[i].v == V_FAIL ? "FAIL" : t[i].v == V_PASS ? "PASS" : "N/A ",
			t[i].id, t[i].text, t[i].detail);
}
