// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * output_junit.c - JUnit XML: one testsuite, one testcase per image; a
 * non-conformant image has a <failure> listing its findings, an image
 * that could not be checked an <error>.
 */
#include <stdlib.h>

#include "conform.h"

/* Text and attribute values; bytes XML 1.0 forbids become '?'. */
static void xml_str(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		switch (*p) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\n': case '\t': fputc(*p, out); break;
		default:
			fputc(*p < 0x20 || *p >= 0x7f ? '?' : *p, out);
		}
	}
}

static void finding_text(FILE *out, const struct cf_finding *f)
{
	char *line = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&line, &len);

	if (!m)
		return;
	cf_finding_line(m, f);
	fclose(m);
	xml_str(out, line);
	free(line);
}

static void failure(FILE *out, const struct cf_opts *o, const struct cf_report *r)
{
	size_t i;

	fprintf(out, "    <failure type=\"nonconformant\" message=\"%u error(s), %u warning(s); "
		"incoming kernel: %s\">\n", r->res.errors, r->res.warnings,
		luoc_outcome_name(r->res.outcome));
	for (i = 0; i < r->n_findings; i++) {
		if (o->quiet && r->findings[i].severity == LUOC_SEV_NOTE)
			continue;
		finding_text(out, &r->findings[i]);
	}
	fputs("    </failure>\n", out);
}

static void one(FILE *out, const struct cf_opts *o, const struct cf_report *r)
{
	fputs("  <testcase classname=\"luo-conform.check\" name=\"", out);
	xml_str(out, r->path);
	fputs("\">\n", out);
	if (r->status == CF_FAILED) {
		fputs("    <error type=\"io\" message=\"", out);
		xml_str(out, r->error);
		fputs("\"/>\n", out);
	} else {
		fputs("    <system-out>profile ", out);
		xml_str(out, r->profile ? r->profile : "none");
		fputs(" (", out);
		xml_str(out, r->reason);
		fputs(")</system-out>\n", out);
		if (!r->conformant)
			failure(out, o, r);
	}
	fputs("  </testcase>\n", out);
}

void cf_output_junit(FILE *out, const struct cf_opts *o, struct cf_report *reps, size_t n)
{
	size_t i, fails = 0, errors = 0;

	for (i = 0; i < n; i++) {
		errors += reps[i].status == CF_FAILED;
		fails += reps[i].status == CF_CHECKED && !reps[i].conformant;
	}
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n", out);
	fprintf(out, "<testsuite name=\"luo-conform\" tests=\"%zu\" failures=\"%zu\" "
		"errors=\"%zu\" skipped=\"0\">\n", n, fails, errors);
	for (i = 0; i < n; i++)
		one(out, o, &reps[i]);
	fputs("</testsuite>\n</testsuites>\n", out);
}
