// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * run.c - luo-bench-run: the benchmark runner.
 *
 *   luo-bench-run --conform LUO-CONFORM --seqread SEQREAD --out RESULTS.json
 *                 [--reps N] [--large BYTES] [--image IMG]...
 *                 [--scale IMG1,IMG4,IMG16] [--tiny IMG]
 *                 [--vectors LIST --schema PROCESSED.json --dt-validate DT-VALIDATE]
 *
 * For each image (written by luo-bench-gen, with its IMG.info), after one
 * warm-up read and one warm-up check (everything is timed warm, from the
 * page cache), N rounds of: cat IMG >/dev/null; seqread IMG (mmap, one
 * word per page); seqread --all IMG (mmap, every word); luo-conform check
 * -q IMG.  Each is a child process, timed from fork to reaping, with its
 * CPU time and peak RSS from wait4() (the targets use CPU time, see
 * run_exec.c).  The scale images give the scaling exponent (a
 * least-squares fit of log time over log size), also net of the time
 * luo-conform takes on the tiny image (its start-up).  The vector list ("IMAGE
 * DTB" lines) compares luo-conform with dt-validate on each vector's LUO
 * FDT, both batched in one process per side, and times luo-conform on the
 * vector images too.
 *
 * Targets are printed PASS/FAIL and written to the JSON; they never make
 * the runner fail (timing is no test).  The exit status is 1 only when a
 * check did not find a generated image conformant, 2 on usage errors.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "run.h"
#include "run_json.h"

#define MAX_VECTORS	4096

unsigned int run_reps = 5;

struct opts {
	const char *conform, *seqread, *cat, *out;
	const char *vectors, *schema, *dtv, *tiny;
	const char *scale[3];
	unsigned int nscale;
	uint64_t large;
	const char *images[RUN_MAX_IMAGES];
	unsigned int nimages;
};

static void die(const char *msg, const char *arg)
{
	fprintf(stderr, "luo-bench-run: %s%s\n", msg, arg ? arg : "");
	exit(2);
}

static int read_info(const char *img, struct img_info *in)
{
	char path[4096], key[64], val[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s.info", img);
	f = fopen(path, "r");
	if (!f)
		return -1;
	memset(in, 0, sizeof(*in));
	while (fscanf(f, "%63s %127s", key, val) == 2) {
		uint64_t v = strtoull(val, NULL, 0);

		if (!strcmp(key, "shape"))
			snprintf(in->shape, sizeof(in->shape), "%s", val);
		else if (!strcmp(key, "profile"))
			snprintf(in->profile, sizeof(in->profile), "%s", val);
		else if (!strcmp(key, "sessions"))
			in->sessions = v;
		else if (!strcmp(key, "files"))
			in->files = v;
		else if (!strcmp(key, "folios"))
			in->folios = v;
		else if (!strcmp(key, "order"))
			in->order = v;
		else if (!strcmp(key, "stride"))
			in->stride = v;
		else if (!strcmp(key, "file_bytes"))
			in->file_bytes = v;
		else if (!strcmp(key, "meta_bytes"))
			in->meta_bytes = v;
		else if (!strcmp(key, "data_bytes"))
			in->data_bytes = v;
		else if (!strcmp(key, "data_segments"))
			in->data_segments = v;
	}
	fclose(f);
	return in->shape[0] ? 0 : -1;
}

static void parse(int argc, char **argv, struct opts *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	o->cat = "/bin/cat";
	o->large = 64ULL << 20;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!v)
			die("missing value after ", a);
		i++;
		if (!strcmp(a, "--conform"))
			o->conform = v;
		else if (!strcmp(a, "--seqread"))
			o->seqread = v;
		else if (!strcmp(a, "--cat"))
			o->cat = v;
		else if (!strcmp(a, "--out"))
			o->out = v;
		else if (!strcmp(a, "--reps"))
			run_reps = (unsigned int)strtoul(v, NULL, 0);
		else if (!strcmp(a, "--large"))
			o->large = strtoull(v, NULL, 0);
		else if (!strcmp(a, "--vectors"))
			o->vectors = v;
		else if (!strcmp(a, "--schema"))
			o->schema = v;
		else if (!strcmp(a, "--dt-validate"))
			o->dtv = v;
		else if (!strcmp(a, "--tiny"))
			o->tiny = v;
		else if (!strcmp(a, "--image") && o->nimages < RUN_MAX_IMAGES)
			o->images[o->nimages++] = v;
		else if (!strcmp(a, "--scale")) {
			/* the names stay referenced for the whole run: keep them in static storage */
			static char s[4096];
			char *tok, *save = NULL;

			snprintf(s, sizeof(s), "%s", v);
			for (tok = strtok_r(s, ",", &save); tok && o->nscale < 3;
			     tok = strtok_r(NULL, ",", &save))
				o->scale[o->nscale++] = tok;
		} else
			die("unknown option ", a);
	}
	if (!o->conform || !o->seqread || !o->out)
		die("need --conform, --seqread and --out", NULL);
	if (!run_reps || run_reps > RUN_MAX_REPS)
		die("--reps must be 1..64", NULL);
	if (o->nscale && o->nscale != 3)
		die("--scale takes three images (1x, 4x, 16x)", NULL);
	if (o->vectors && (!o->schema || !o->dtv))
		die("--vectors needs --schema and --dt-validate", NULL);
}

/* --- the large images --------------------------------------------------------- */

static void time_image(const struct opts *o, struct img_run *r)
{
	char *cat[] = { (char *)o->cat, (char *)r->path, NULL };
	char *touch[] = { (char *)o->seqread, (char *)r->path, NULL };
	char *all[] = { (char *)o->seqread, (char *)"--all", (char *)r->path, NULL };
	char *check[] = { (char *)o->conform, (char *)"check", (char *)"-q", (char *)r->path, NULL };
	struct series warm = { .n = 0 };
	unsigned int i;

	series_add(&warm, cat);		/* the page cache holds the image from here on */
	series_add(&warm, check);
	for (i = 0; i < run_reps; i++) {
		series_add(&r->cat, cat);
		series_add(&r->touch, touch);
		series_add(&r->readall, all);
		series_add(&r->check, check);
	}
}

/* The sequential-read baseline: the faster of the two that read every byte. */
double run_baseline(const struct img_run *r, bool wall)
{
	double a = series_median(&r->cat, wall), b = series_median(&r->readall, wall);

	return a < b ? a : b;
}

/* --- FDT validation: luo-conform and dt-validate per FDT ---------------------------- */

struct fdt_run {
	unsigned int n;
	struct series conform_batch, conform_one, conform_img, dtv_batch, dtv_one;
};

static unsigned int read_vectors(const char *list, char **imgs, char **dtbs)
{
	char a[4096], b[4096];
	unsigned int n = 0;
	FILE *f = fopen(list, "r");

	if (!f)
		die("cannot read ", list);
	while (n < MAX_VECTORS && fscanf(f, "%4095s %4095s", a, b) == 2) {
		imgs[n] = strdup(a);
		dtbs[n] = strdup(b);
		n++;
	}
	fclose(f);
	return n;
}

/*
 * Both tools read the same bytes, each vector's LUO FDT: luo-conform checks
 * it bare (what dt-validate's schema can see too).  luo-conform on the
 * vectors' whole images, memory included, is timed beside it.
 */
static void time_fdts(const struct opts *o, struct fdt_run *fr)
{
	static char *imgs[MAX_VECTORS], *dtbs[MAX_VECTORS];
	char **cb = calloc(MAX_VECTORS + 4, sizeof(char *));
	char **ci = calloc(MAX_VECTORS + 4, sizeof(char *));
	char **db = calloc(MAX_VECTORS + 4, sizeof(char *));
	char *c1[5], *d1[5];
	unsigned int i, n = read_vectors(o->vectors, imgs, dtbs);
	unsigned int dreps = run_reps < 3 ? run_reps : 3;	/* dt-validate is slow */

	if (!cb || !ci || !db || !n)
		die("no vectors in ", o->vectors);
	cb[0] = ci[0] = (char *)o->conform;
	cb[1] = ci[1] = (char *)"check";
	cb[2] = ci[2] = (char *)"-q";
	db[0] = (char *)o->dtv;
	db[1] = (char *)"-s";
	db[2] = (char *)o->schema;
	for (i = 0; i < n; i++) {
		cb[3 + i] = dtbs[i];
		ci[3 + i] = imgs[i];
		db[3 + i] = dtbs[i];
	}
	memcpy(c1, cb, 4 * sizeof(char *));
	c1[4] = NULL;
	memcpy(d1, db, 4 * sizeof(char *));
	d1[4] = NULL;
	fr->n = n;
	series_add(&fr->conform_one, c1);	/* warm-up, dropped below */
	series_add(&fr->dtv_one, d1);
	fr->conform_one.n = fr->dtv_one.n = 0;
	for (i = 0; i < run_reps; i++) {
		series_add(&fr->conform_batch, cb);
		series_add(&fr->conform_one, c1);
		series_add(&fr->conform_img, ci);
	}
	for (i = 0; i < dreps; i++) {
		series_add(&fr->dtv_batch, db);
		series_add(&fr->dtv_one, d1);
	}
	free(cb);
	free(ci);
	free(db);
}

/* --- scaling ------------------------------------------------------------------------ */

/* Least-squares slope of log(t) over log(size): 1 is linear. */
double run_exponent(const double *x, const double *t, unsigned int n)
{
	double sx = 0, sy = 0, sxx = 0, sxy = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		double lx = log(x[i]), ly = log(t[i]);

		sx += lx;
		sy += ly;
		sxx += lx * lx;
		sxy += lx * ly;
	}
	return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

static const struct img_run *find_image(const struct img_run *runs, unsigned int n,
					const char *path)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!strcmp(runs[i].path, path))
			return &runs[i];
	return NULL;
}

static void host(struct run_host *h)
{
	struct utsname u;
	char line[512];
	FILE *f = fopen("/proc/cpuinfo", "r");

	memset(h, 0, sizeof(*h));
	snprintf(h->cpu, sizeof(h->cpu), "unknown");
	while (f && fgets(line, sizeof(line), f)) {
		char *c = strchr(line, ':');

		if (!strncmp(line, "model name", 10) && c) {
			snprintf(h->cpu, sizeof(h->cpu), "%s", c + 2);
			h->cpu[strcspn(h->cpu, "\n")] = '\0';
			break;
		}
	}
	if (f)
		fclose(f);
	h->cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (!uname(&u))
		snprintf(h->kernel, sizeof(h->kernel), "%s %s", u.sysname, u.release);
}

int main(int argc, char **argv)
{
	static struct img_run runs[RUN_MAX_IMAGES];
	struct run_results res;
	struct fdt_run fr;
	struct opts o;
	unsigned int i;
	bool bad = false;

	setvbuf(stdout, NULL, _IOLBF, 0);
	parse(argc, argv, &o);
	memset(&res, 0, sizeof(res));
	memset(&fr, 0, sizeof(fr));
	host(&res.host);
	res.reps = run_reps;
	res.large = o.large;
	res.runs = runs;
	res.nruns = o.nimages;
	for (i = 0; i < o.nimages; i++) {
		runs[i].path = o.images[i];
		if (read_info(runs[i].path, &runs[i].info))
			die("no luo-bench-gen info beside ", runs[i].path);
		printf("bench: %s ...\n", runs[i].info.shape);
		time_image(&o, &runs[i]);
		if (!series_all_status(&runs[i].check, 0)) {
			fprintf(stderr, "luo-bench-run: luo-conform check does not find %s conformant\n",
				runs[i].path);
			bad = true;
		}
	}
	for (i = 0; i < o.nscale; i++) {
		res.scale[i] = find_image(runs, o.nimages, o.scale[i]);
		if (!res.scale[i])
			die("--scale image not among --image: ", o.scale[i]);
	}
	res.nscale = o.nscale;
	if (o.tiny) {
		char *check[] = { (char *)o.conform, (char *)"check", (char *)"-q",
				  (char *)o.tiny, NULL };

		series_add(&res.startup, check);	/* warm-up, dropped */
		res.startup.n = 0;
		for (i = 0; i < run_reps; i++)
			series_add(&res.startup, check);
	}
	if (o.vectors) {
		printf("bench: %s vs dt-validate per FDT ...\n", o.conform);
		time_fdts(&o, &fr);
		res.fdt_n = fr.n;
		res.conform_batch = &fr.conform_batch;
		res.conform_one = &fr.conform_one;
		res.conform_img = &fr.conform_img;
		res.dtv_batch = &fr.dtv_batch;
		res.dtv_one = &fr.dtv_one;
	}
	if (run_write(&res, o.out))
		die("cannot write ", o.out);
	run_summary(stdout, &res);
	return bad ? 1 : 0;
}
