// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * output_json.c - machine-readable results:
 *   {"tool": "luo-conform", "version": ..., "conformant": bool,
 *    "images": [{"image", "input": "state"|"kho-fdt"|"luo-fdt" (a bare FDT),
 *                "verdict": "conformant"|"nonconformant"|"error",
 *                "error" (verdict error only), "profile", "reason",
 *                "errors", "warnings", "notes", "outcome",
 *                "counts": {"sessions", "files", "flbs", "folios"},
 *                "findings": [{"req", "severity", "code", "code_name",
 *                              "phys", "where", "msg"}],
 *                "state" (with --state)}]}
 * Physical addresses and handles are hex strings ("0x1000", or null for
 * none); counts, sizes and tokens are numbers.
 */
#include "conform.h"

static void finding(FILE *out, const struct cf_finding *f, bool last)
{
	fputs("        {\"req\": ", out);
	cf_json_str(out, f->req);
	fprintf(out, ", \"severity\": \"%s\", \"code\": %d, \"code_name\": ",
		cf_severity_name(f->severity), f->code);
	cf_json_str(out, luoc_strerror(f->code));
	fputs(", \"phys\": ", out);
	if (f->phys == LUOC_NO_PHYS)
		fputs("null", out);
	else
		cf_json_hex(out, f->phys);
	fputs(", \"where\": ", out);
	cf_json_str(out, f->where);
	fputs(", \"msg\": ", out);
	cf_json_str(out, f->msg);
	fprintf(out, "}%s\n", last ? "" : ",");
}

static void findings(FILE *out, const struct cf_report *r)
{
	size_t i;

	fputs("      \"findings\": [\n", out);
	for (i = 0; i < r->n_findings; i++)
		finding(out, &r->findings[i], i + 1 == r->n_findings);
	fprintf(out, "      ],\n      \"findings_dropped\": %zu", r->dropped);
}

static void checked(FILE *out, const struct cf_report *r)
{
	const struct luoc_result *res = &r->res;

	fputs("      \"profile\": ", out);
	if (r->profile)
		cf_json_str(out, r->profile);
	else
		fputs("null", out);
	fputs(",\n      \"reason\": ", out);
	cf_json_str(out, r->reason);
	fprintf(out, ",\n      \"errors\": %u, \"warnings\": %u, \"notes\": %u,\n",
		res->errors, res->warnings, res->notes);
	fprintf(out, "      \"outcome\": \"%s\",\n", luoc_outcome_name(res->outcome));
	fprintf(out, "      \"counts\": {\"sessions\": %u, \"files\": %u, \"flbs\": %u, "
		"\"folios\": %llu},\n", res->sessions, res->files, res->flbs,
		(unsigned long long)res->folios);
	findings(out, r);
	if (r->state) {
		fputs(",\n      \"state\": ", out);
		cf_state_json(out, r->state, "      ");
	}
}

static void one(FILE *out, const struct cf_report *r, bool last)
{
	const char *verdict = r->status == CF_FAILED ? "error" :
			      r->conformant ? "conformant" : "nonconformant";

	fputs("    {\n      \"image\": ", out);
	cf_json_str(out, r->path);
	fprintf(out, ",\n      \"input\": \"%s\"", r->input == LUOC_INPUT_KHO_FDT ? "kho-fdt" :
		r->input == LUOC_INPUT_LUO_FDT ? "luo-fdt" : "state");
	fprintf(out, ",\n      \"verdict\": \"%s\",\n", verdict);
	if (r->status == CF_FAILED) {
		fputs("      \"error\": ", out);
		cf_json_str(out, r->error);
	} else {
		checked(out, r);
	}
	fprintf(out, "\n    }%s\n", last ? "" : ",");
}

void cf_output_json(FILE *out, const struct cf_opts *o, struct cf_report *reps, size_t n)
{
	bool all = true;
	size_t i;

	(void)o;
	for (i = 0; i < n; i++)
		all = all && reps[i].status == CF_CHECKED && reps[i].conformant;
	fputs("{\n  \"tool\": \"luo-conform\",\n  \"version\": ", out);
	cf_json_str(out, LUOC_VERSION);
	fprintf(out, ",\n  \"conformant\": %s,\n  \"images\": [\n", all ? "true" : "false");
	for (i = 0; i < n; i++)
		one(out, &reps[i], i + 1 == n);
	fputs("  ]\n}\n", out);
}
