// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * output_ktap.c - KTAP version 1, as kselftest prints it: one test per
 * image, its findings as "# " diagnostic lines before the result line.
 */
#include "conform.h"

/* KTAP test names end at '#' (a directive) and at the line end. */
static void ktap_name(FILE *out, const char *s)
{
	for (; *s; s++)
		fputc(*s == '#' || *s == '\n' || *s == '\r' ? '_' : *s, out);
}

static void one(FILE *out, const struct cf_opts *o, const struct cf_report *r, size_t num)
{
	size_t i;

	if (r->status == CF_FAILED) {
		fprintf(out, "# error: %s\n", r->error);
	} else {
		fprintf(out, "# profile %s (%s); incoming kernel: %s\n",
			r->profile ? r->profile : "none", r->reason,
			luoc_outcome_name(r->res.outcome));
		for (i = 0; i < r->n_findings; i++) {
			if (o->quiet && r->findings[i].severity == LUOC_SEV_NOTE)
				continue;
			fputs("# ", out);
			cf_finding_line(out, &r->findings[i]);
		}
	}
	fprintf(out, "%s %zu ", r->conformant ? "ok" : "not ok", num);
	ktap_name(out, r->path);
	fputc('\n', out);
}

void cf_output_ktap(FILE *out, const struct cf_opts *o, struct cf_report *reps, size_t n)
{
	size_t i, pass = 0;

	fprintf(out, "KTAP version 1\n1..%zu\n", n);
	for (i = 0; i < n; i++) {
		one(out, o, &reps[i], i + 1);
		pass += reps[i].conformant;
	}
	fprintf(out, "# Totals: pass:%zu fail:%zu xfail:0 xpass:0 skip:0 error:0\n",
		pass, n - pass);
}
