// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * output_text.c - one line per finding, compiler style:
 *   IMAGE: error: LUO-SESS-004 at session[3] (0x100012000): message
 * then, unless --quiet, one summary line per image.  Images that could
 * not be checked were already reported on stderr.
 */
#include "conform.h"

/* How a bare FDT was checked: said before the profile, nothing for a state. */
const char *cf_input_text(enum luoc_input in)
{
	return in == LUOC_INPUT_KHO_FDT ? "KHO root FDT alone (memory it points at not checked), " :
	       in == LUOC_INPUT_LUO_FDT ? "LUO FDT alone (memory it points at not checked), " : "";
}

void cf_finding_line(FILE *out, const struct cf_finding *f)
{
	fprintf(out, "%s: %s", cf_severity_name(f->severity), f->req);
	if (f->where[0])
		fprintf(out, " at %s", f->where);
	if (f->phys != LUOC_NO_PHYS)
		fprintf(out, " (0x%llx)", (unsigned long long)f->phys);
	fprintf(out, ": %s\n", f->msg);
}

static void summary(FILE *out, const struct cf_report *r)
{
	const struct luoc_result *res = &r->res;

	fprintf(out, "%s: %sprofile %s (%s); %u error(s), %u warning(s), %u note(s): %s; "
		"incoming %s kernel: %s\n",
		r->path, cf_input_text(r->input), r->profile ? r->profile : "none", r->reason, res->errors,
		res->warnings, res->notes, r->conformant ? "conformant" : "NOT conformant",
		r->profile ? r->profile : "?", luoc_outcome_name(res->outcome));
}

static void one(FILE *out, const struct cf_opts *o, const struct cf_report *r)
{
	size_t i;

	for (i = 0; i < r->n_findings; i++) {
		if (o->quiet && r->findings[i].severity == LUOC_SEV_NOTE)
			continue;
		fprintf(out, "%s: ", r->path);
		cf_finding_line(out, &r->findings[i]);
	}
	if (r->dropped)
		fprintf(out, "%s: note: %zu more findings were not kept\n", r->path, r->dropped);
	if (!o->quiet)
		summary(out, r);
}

void cf_output_text(FILE *out, const struct cf_opts *o, struct cf_report *reps, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (reps[i].status == CF_CHECKED)
			one(out, o, &reps[i]);
	}
}
