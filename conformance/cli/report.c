// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * report.c - keep the findings of one image.  The core's strings live only
 * during its callback, so each finding is copied.
 */
#include <stdlib.h>
#include <string.h>

#include "conform.h"

const char *cf_severity_name(enum luoc_severity s)
{
	switch (s) {
	case LUOC_SEV_ERROR: return "error";
	case LUOC_SEV_WARNING: return "warning";
	case LUOC_SEV_NOTE: return "note";
	}
	return "unknown";
}

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

static bool grow(struct cf_report *r)
{
	struct cf_finding *f;
	size_t cap;

	if (r->n_findings < r->cap_findings)
		return true;
	cap = r->cap_findings ? r->cap_findings * 2 : 16;
	f = realloc(r->findings, cap * sizeof(*f));
	if (!f)
		return false;
	r->findings = f;
	r->cap_findings = cap;
	return true;
}

void cf_report_add(struct cf_report *r, const struct luoc_finding *in)
{
	struct cf_finding *f;

	if (in->code == -LUOC_ENOSPC)
		r->ws_short = true;
	if (r->n_findings >= CF_MAX_FINDINGS || !grow(r)) {
		r->dropped++;
		return;
	}
	f = &r->findings[r->n_findings];
	f->req = dup_or_empty(in->req);
	f->where = dup_or_empty(in->where);
	f->msg = dup_or_empty(in->msg);
	if (!f->req || !f->where || !f->msg) {
		free(f->req);
		free(f->where);
		free(f->msg);
		r->dropped++;
		return;
	}
	f->severity = in->severity;
	f->code = in->code;
	f->phys = in->phys;
	r->n_findings++;
}

unsigned int cf_count(const struct cf_report *r, enum luoc_severity s)
{
	unsigned int n = 0;
	size_t i;

	for (i = 0; i < r->n_findings; i++)
		n += r->findings[i].severity == s;
	return n;
}

void cf_report_clear(struct cf_report *r)
{
	size_t i;

	for (i = 0; i < r->n_findings; i++) {
		free(r->findings[i].req);
		free(r->findings[i].where);
		free(r->findings[i].msg);
	}
	r->n_findings = 0;
	r->dropped = 0;
	r->ws_short = false;
}

void cf_report_free(struct cf_report *r)
{
	cf_report_clear(r);
	free(r->findings);
	if (r->state)
		cf_state_free(r->state);
	free(r->state);
}
