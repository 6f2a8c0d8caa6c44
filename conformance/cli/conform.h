/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/*
 * conform.h - luo-conform internals: what checking one image produces
 * (struct cf_report) and the pieces that fill and print it.
 */
#ifndef LUOC_CONFORM_H
#define LUOC_CONFORM_H

#include <stdio.h>

#include "luoc/luoc.h"
#include "luoc_image.h"
#include "cli_util.h"

#ifndef LUOC_VERSION
#define LUOC_VERSION "unknown"
#endif

/* Findings kept per image; a hostile image cannot exhaust memory. */
#define CF_MAX_FINDINGS		100000u
/* memfds larger than this get no digest (holes are hashed as zeros). */
#define CF_DIGEST_MAX_BYTES	(1ULL << 30)

enum cf_format { CF_TEXT, CF_KTAP, CF_JUNIT, CF_JSON };

struct cf_opts {
	enum cf_format format;
	const char *profile;		/* --profile, or NULL */
	bool have_root, have_page_size;
	uint64_t kho_root;
	uint32_t page_size;
	bool state;			/* --state: decode sessions, files, FLBs */
	bool quiet;
	bool werror;			/* --warnings-as-errors */
	bool progress;			/* stderr is a terminal and not quiet */
	enum luoc_input fdt_kind;	/* --fdt: a bare FDT's kind, 0: by its content */
	bool big_endian;		/* --big-endian: a bare FDT's writer */
};

struct cf_finding {
	char *req;
	enum luoc_severity severity;
	int code;
	uint64_t phys;
	char *where;
	char *msg;
};

struct cf_folio {
	uint64_t index, phys, bytes;
};

struct cf_file {
	uint32_t idx;
	char *compat;
	uint64_t token, data;
	bool has_memfd;
	struct luoc_memfd_info memfd;
	struct cf_folio *folios;
	size_t n_folios, cap_folios;
	char sha256[65];		/* "" when not computed */
	const char *no_digest;		/* why there is none, or NULL */
};

struct cf_session {
	uint32_t idx;
	char *name;
	struct cf_file *files;
	size_t n_files, cap_files;
};

struct cf_flb {
	char *name;
	uint64_t data, count;
};

struct cf_state {
	struct cf_session *sessions;
	size_t n_sessions, cap_sessions;
	struct cf_flb *flbs;
	size_t n_flbs, cap_flbs;
	bool incomplete;		/* a record was dropped (memory, or no parent) */
};

enum cf_status {
	CF_CHECKED,			/* the check ran; see res */
	CF_FAILED,			/* I/O or usage error: exit 2 */
};

struct cf_report {
	const char *path;
	enum cf_status status;
	char error[320];		/* CF_FAILED: one-line reason */
	const char *profile;		/* name of the profile checked against */
	enum luoc_input input;		/* a whole state, or a bare FDT */
	char reason[LUOC_REASON_MAX + 32];	/* why that profile */
	struct luoc_result res;
	bool conformant;
	struct cf_finding *findings;
	size_t n_findings, cap_findings;
	size_t dropped;			/* findings over CF_MAX_FINDINGS */
	bool ws_short;			/* the core reported LUOC_ENOSPC */
	struct cf_state *state;		/* --state only */
};

/* The checker's workspace, reused from one image to the next. */
struct cf_ws {
	void *buf;
	size_t size;
};

/* check_image.c */
void cf_check_image(const struct cf_opts *o, const char *path, struct cf_report *r,
		    struct cf_ws *ws);
void cf_fail(struct cf_report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* One run of the core with a workspace of wsz bytes: 0, or -LUOC_EINVAL. */
int cf_core_pass(const struct cf_opts *o, struct cf_report *r, struct cf_ws *ws,
		 struct luoc_config *cfg, const struct luoc_mem *mem, size_t wsz);
void cf_verdict(const struct cf_opts *o, struct cf_report *r, const struct luoc_config *cfg);
/* check_fdt.c: 1 when the file is a bare FDT (then checked), else 0 */
int cf_check_fdt(const struct cf_opts *o, const char *path, struct cf_report *r,
		 struct cf_ws *ws);
void cf_ws_free(struct cf_ws *ws);

/* report.c */
void cf_report_add(struct cf_report *r, const struct luoc_finding *f);
void cf_report_free(struct cf_report *r);
/* Drop the findings (not the state) before the core runs again. */
void cf_report_clear(struct cf_report *r);
const char *cf_severity_name(enum luoc_severity s);
unsigned int cf_count(const struct cf_report *r, enum luoc_severity s);

/* progress.c */
void cf_progress(void *ctx, uint64_t done, uint64_t total);
void cf_progress_done(const char *path);

/* state_json.c: collecting the decoded state, and printing it */
void cf_state_visitor(struct luoc_visitor *v);
void cf_state_free(struct cf_state *s);
void cf_state_json(FILE *out, const struct cf_state *s, const char *indent);

/* digest.c */
void cf_digest_memfds(struct cf_state *s, void *img, uint32_t page_size);

/* json.c */
void cf_json_str(FILE *out, const char *s);
void cf_json_hex(FILE *out, uint64_t v);

/* output_text.c */
const char *cf_input_text(enum luoc_input in);
/* output_*.c: print every report */
typedef void (*cf_output_fn)(FILE *out, const struct cf_opts *o,
			     struct cf_report *reps, size_t n);
void cf_output_text(FILE *out, const struct cf_opts *o, struct cf_report *reps, size_t n);
void cf_output_ktap(FILE *out, const struct cf_opts *o, struct cf_report *reps, size_t n);
void cf_output_junit(FILE *out, const struct cf_opts *o, struct cf_report *reps, size_t n);
void cf_output_json(FILE *out, const struct cf_opts *o, struct cf_report *reps, size_t n);

/* Text of one finding, without the image: "error: REQ at WHERE (0xPHYS): msg". */
void cf_finding_line(FILE *out, const struct cf_finding *f);

/* check_cmd.c */
int cf_cmd_check(int argc, char **argv);

/* capture_cmd.c */
int cf_cmd_capture(int argc, char **argv);

/* runner_exec.c: run and matrix, by exec of luo-conform-runner (argv[0] names which) */
int cf_cmd_runner(int argc, char **argv);

#endif /* LUOC_CONFORM_H */
