/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/*
 * rn.h - internals of luo-conform run and matrix.
 */
#ifndef LUOC_RN_H
#define LUOC_RN_H

#include <stdio.h>

#include "luoc/luoc.h"
#include "luoc/adapter.h"
#include "impl.h"
#include "state.h"
#include "ref.h"		/* REF_DEF_*, ref_preserve(): writer defects */

#define RN_EXIT_OK	0
#define RN_EXIT_FAIL	1
#define RN_EXIT_USAGE	2

/* --- states (rn_states.c) --------------------------------------------------- */

struct rn_state {
	char name[64];
	struct luoc_state st;
	uint32_t page_size;
	bool big_endian;
	bool folios_given;	/* compare folio lists too */
};

/* The fixed producer states for profile p (into arena a); returns how many. */
size_t rn_fixed_states(const struct luoc_profile *p, struct luoc_st_arena *a,
		       struct rn_state **out);
/* 'n' random states from 'seed' (reproducible) for profile p. */
size_t rn_random_states(const struct luoc_profile *p, uint64_t seed, size_t n,
			struct luoc_st_arena *a, struct rn_state **out);
/* What a conformant reader of p decodes after a conformant writer of p wrote st. */
/* The profile hands FLBs over: a /luo-flb node, or luo-v5's FLB page. */
static inline bool rn_has_flb(const struct luoc_profile *p)
{
	return p->flb_node || (p->luo_form == LUOC_LUO_RAW && p->flb_area.entry_size);
}

int rn_expect(const struct luoc_profile *p, const struct rn_state *in,
	      struct luoc_st_arena *a, struct luoc_state *exp);

/* --- the checker core on an image (rn_check.c) ------------------------------- */

struct rn_check {
	bool ran;			/* the image could be opened and checked */
	char error[256];		/* why not */
	unsigned int errors, warnings;
	char reqs[512];			/* IDs of the errors, comma separated, unique */
	char first[512];		/* the first error, as text */
	enum luoc_outcome outcome;	/* the profile's incoming kernel */
};

void rn_check_image(const char *path, const struct luoc_profile *p, struct rn_check *c);
bool rn_check_has(const struct rn_check *c, const char *req);

/* --- results and reports (rn_report.c) --------------------------------------- */

enum rn_status { RN_PASS, RN_FAIL, RN_SKIP };

struct rn_result {
	char *name;		/* "producer/v7.0/fixed/empty" */
	char kind[16];		/* producer, consumer */
	char profile[16];
	enum rn_status status;
	char *reqs;		/* requirement IDs the failure is about, "" if none */
	char *message;		/* diagnostics, lines separated by \n */
};

struct rn_report {
	struct rn_result *r;
	size_t n, cap;
	const char *impl_name, *impl_version, *impl_label;
	uint64_t seed;
	const char *manifest;		/* path, or NULL */
	char manifest_sha256[65];
	char cmdline[1024];
	bool progress;			/* print progress to stderr */
	size_t planned;
};

struct rn_result *rn_add(struct rn_report *rep, const char *kind, const char *profile,
			 const char *name);
void rn_set(struct rn_result *r, enum rn_status s, const char *reqs, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void rn_note(struct rn_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rn_progress(struct rn_report *rep, const char *what);
void rn_report_free(struct rn_report *rep);
size_t rn_count(const struct rn_report *rep, enum rn_status s);

void rn_out_ktap(FILE *f, const struct rn_report *rep);
void rn_out_junit(FILE *f, const struct rn_report *rep);
void rn_out_json(FILE *f, const struct rn_report *rep);
void rn_out_summary(FILE *f, const struct rn_report *rep);

/* rn_bundle.c: a tar of the results, suite version, manifest hash, environment */
int rn_write_bundle(const char *path, const struct rn_report *rep, char *err, size_t errlen);

/* --- vectors (rn_manifest.c) -------------------------------------------------- */

struct rn_vector {
	char *id;
	char *profile;		/* home profile */
	char *image;		/* absolute or relative to the cwd */
	bool valid;
	bool not_image;		/* exit 2: a broken container, not a state */
	char *reqs;		/* comma separated */
	char *warns;		/* warning requirement IDs, comma separated */
	struct {
		char profile[16];
		int outcome;	/* enum luoc_outcome, -1 unknown */
	} outcomes[8];
	unsigned int n_outcomes;
	bool has_state;
	struct luoc_state state;	/* expected decoded state (home profile) */
};

struct rn_manifest {
	struct rn_vector *v;
	size_t n;
	char sha256[65];
	struct luoc_st_arena *arena;
};

int rn_manifest_load(const char *path, struct rn_manifest *m, char *err, size_t errlen);
void rn_manifest_free(struct rn_manifest *m);
int rn_vector_outcome(const struct rn_vector *v, const char *profile);
/* SHA-256 of a file as hex; -1 on error */
int rn_file_sha256(const char *path, char hex[65]);

/* --- the tests (rn_producer.c, rn_consumer.c) --------------------------------- */

struct rn_ctx {
	struct luoc_impl *impl;		/* under test */
	struct luoc_impl *ref;		/* the built-in reference */
	struct rn_report *rep;
	const char *tmpdir;
	uint64_t seed;
	size_t n_random;
	const struct rn_manifest *manifest;
	unsigned long serial;		/* for temporary file names */
};

void rn_producer_tests(struct rn_ctx *c, const struct luoc_profile *p);
void rn_consumer_tests(struct rn_ctx *c, const struct luoc_profile *p);
void rn_tmp_path(struct rn_ctx *c, char *buf, size_t len, const char *what);

/*
 * Judge a restore result against the expected outcome of the profile's
 * reader: rules of spec/strictness.rst and LUO-PROF-102.  exp may be NULL.
 */
void rn_judge(struct rn_result *r, const struct luoc_impl_result *got, int outcome,
	      bool valid, const char *reqs, const struct luoc_state *exp, unsigned int cmp_flags);
/* The same for a vector of another profile than the reader's. */
void rn_judge_foreign(struct rn_result *r, const struct luoc_impl_result *got, int outcome,
		      bool valid, const char *reqs, const struct luoc_state *exp,
		      unsigned int cmp_flags, bool foreign);


#endif /* LUOC_RN_H */
