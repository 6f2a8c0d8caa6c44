/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/*
 * tcore.h - shared helpers of the core's unit tests: a visitor that
 * records findings and decoded state, a run() that checks a state and
 * verifies the input memory is byte-identical afterwards, and assertions
 * on the findings.
 */
#ifndef TCORE_H
#define TCORE_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "tb.h"

#define TC_MAXF		1024
#define TC_MAXD		256

struct tc_finding {
	char req[24];
	enum luoc_severity sev;
	int code;
	uint64_t phys;
	char where[128];
	char msg[256];
};

struct tc {
	struct tc_finding f[TC_MAXF];
	unsigned int n, dropped;
	unsigned int nsess;
	char sess_name[TC_MAXD][72];
	uint64_t sess_files[TC_MAXD];
	unsigned int nfile;
	struct { uint32_t s, f; char compat[64]; uint64_t token, data; } file[TC_MAXD];
	unsigned int nmemfd;
	struct { uint32_t s, f; struct luoc_memfd_info info; } memfd[TC_MAXD];
	unsigned int nfolio;
	struct { uint32_t s, f; uint64_t index, phys, bytes; uint32_t flags; } folio[TC_MAXD];
	unsigned int nflb;
	struct { char name[64]; uint64_t data, count; } flb[TC_MAXD];
	unsigned int progress_calls;
	uint64_t progress_done, progress_total;
	struct luoc_result res;
	int rc;
};

/* Default state of a profile: 2 sessions x 2 files x 3 folios, 2 FLBs. */
struct tb_opts tc_opts(const char *profile);
struct tb *tc_state(const char *profile);

/* Check t (its own profile unless cfg_hook changes the config). */
struct tc *tc_run(struct tb *t);
struct tc *tc_run_cfg(struct tb *t, void (*hook)(struct luoc_config *cfg, void *arg), void *arg);
void tc_free(struct tc *c);
/* The recording visitor of tc_run(), writing into c (for tests that call the core directly). */
void tc_visitor(struct tc *c, struct luoc_visitor *vis);

unsigned int tc_count(const struct tc *c, const char *req, int sev);	/* sev -1: any */
bool tc_has_code(const struct tc *c, const char *req, int code);
/* A finding of req (any severity) whose message contains text. */
bool tc_has_msg(const struct tc *c, const char *req, const char *text);
void tc_dump(const struct tc *c);

/* No error or warning. */
void tc_assert_clean(const struct tc *c);
/* At least one error/warning, and every error/warning is 'req'. */
void tc_assert_only(const struct tc *c, const char *req);
/* Same, and the findings of req have severity sev. */
void tc_assert_only_sev(const struct tc *c, const char *req, enum luoc_severity sev);

/* Suites. */
extern const struct CMUnitTest tc_valid_tests[];
extern const size_t tc_valid_n;
extern const struct CMUnitTest tc_req_tests[];
extern const size_t tc_req_n;
extern const struct CMUnitTest tc_hostile_tests[];
extern const size_t tc_hostile_n;
extern const struct CMUnitTest tc_unit_tests[];
extern const size_t tc_unit_n;
extern const struct CMUnitTest tc_cover_tests[];	/* test_cover.c (hardening) */
extern const size_t tc_cover_n;
extern const struct CMUnitTest tc_cover_folio_tests[];	/* test_cover_folio.c */
extern const size_t tc_cover_folio_n;
extern const struct CMUnitTest tc_cover_kmap_tests[];	/* test_cover_kmap.c */
extern const size_t tc_cover_kmap_n;
extern const struct CMUnitTest tc_cover_misc_tests[];	/* test_cover_misc.c */
extern const size_t tc_cover_misc_n;
extern const struct CMUnitTest tc_cover_edges_tests[];	/* test_cover_edges.c */
extern const size_t tc_cover_edges_n;
extern const struct CMUnitTest tc_cover_rest_tests[];	/* test_cover_rest.c */
extern const size_t tc_cover_rest_n;
extern const struct CMUnitTest tc_cover_contracts_tests[];	/* test_cover_contracts.c */
extern const size_t tc_cover_contracts_n;
extern const struct CMUnitTest tc_seam_tests[];	/* test_libfdt_seam.c */
extern const size_t tc_seam_n;
extern const struct CMUnitTest tc_bare_tests[];	/* test_bare.c */
extern const size_t tc_bare_n;
extern const struct CMUnitTest tc_v72_tests[];
extern const size_t tc_v72_n;

#endif /* TCORE_H */
