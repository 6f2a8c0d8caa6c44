// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * test_cover_folio.c - the folio pass where the golden vectors do not go
 * (found by 'make coverage'): runs of folios a fixed number of pages
 * apart (the stepped fast path and its KHO-map test), runs that break
 * inside a four-entry window, the second (range-set) walk over entries it
 * must skip, and the claimed-page bitmap of folio_claim.c driven directly:
 * table growth, a full budget, a workspace too small for the table or the
 * next block, and the stepped claims.
 */
#include <stdlib.h>
#include <string.h>

#include "tunit.h"
#include "folio.h"

/* Bytes of one claim block: its key and one bit per page of 4096 pages. */
#define BLK_BYTES	(8 + 4096 / 8)
#define CLAIM_BUDGET	((size_t)32 << 20)	/* folio_claim.c CLAIM_MAX_BYTES */

/* ---- states ------------------------------------------------------------- */

static struct tb *one_file(const char *profile, unsigned int files)
{
	struct tb_opts o = tc_opts(profile);

	o.sessions = 1;
	o.files = files;
	o.folios = TB_MAXFO;
	o.flbs = 0;
	return tb_build(&o);
}

/* Move the folios of file f to base + k * step pages (each preserved). */
static void place(struct tb *t, unsigned int f, uint64_t base, uint64_t step)
{
	unsigned int k;

	for (k = 0; k < TB_MAXFO; k++) {
		uint64_t at = base + k * step * t->ps;

		tb_unpreserve(t, t->folio[0][f][k]);
		tb_set_folio(t, 0, f, k, at);
	}
}

static void preserve_each(struct tb *t, uint64_t base, uint64_t pages)
{
	uint64_t k;

	for (k = 0; k < pages; k++)
		tb_preserve(t, base + k * t->ps, 0);
}

static void expect_folios(const struct tc *c, struct tb *t, unsigned int files)
{
	unsigned int f, k, i = 0;

	assert_int_equal(c->res.folios, files * TB_MAXFO);
	assert_int_equal(c->nfolio, files * TB_MAXFO);
	for (f = 0; f < files; f++)
		for (k = 0; k < TB_MAXFO; k++, i++) {
			assert_int_equal(c->folio[i].f, f);
			assert_int_equal(c->folio[i].index, k);
			assert_true(c->folio[i].phys == t->folio[0][f][k]);
			assert_int_equal(c->folio[i].bytes, t->ps);
		}
}

/* Folios 2 and 3 pages apart: a stepped run, clean, every folio visited. */
static void stepped_clean(const char *profile, uint64_t step)
{
	struct tb *t = one_file(profile, 1);
	uint64_t base = tb_alloc(t, 5);	/* 32 pages */
	struct tc *c;

	place(t, 0, base, step);
	preserve_each(t, base, 32);	/* the gaps too: only the folios are claimed */
	tb_finish(t);
	c = tc_run(t);
	tc_assert_clean(c);
	expect_folios(c, t, 1);
	tc_free(c);
	tb_free(t);
}

static void test_stepped_runs_clean(void **state)
{
	(void)state;
	stepped_clean("v7.0", 2);	/* kho-v1 bitmaps, a word at a time */
	stepped_clean("v7.0", 3);	/* no run: folios 3 pages apart take the entry walk */
	stepped_clean("v7.1", 2);	/* radix leaves */
	stepped_clean("v7.1", 3);
}

/* A gap page of a stepped run that is not preserved is no defect. */
static void test_stepped_gap_unpreserved(void **state)
{
	struct tb *t = one_file("v7.1", 1);
	uint64_t base = tb_alloc(t, 5);
	unsigned int k;
	struct tc *c;

	(void)state;
	place(t, 0, base, 2);
	for (k = 0; k < TB_MAXFO; k++)
		tb_preserve(t, t->folio[0][0][k], 0);
	tb_finish(t);
	c = tc_run(t);
	tc_assert_clean(c);
	expect_folios(c, t, 1);
	tc_free(c);
	tb_free(t);
}

/* A stepped run with one folio not preserved: the run is refused, the walk names that folio. */
static void test_stepped_run_hole(void **state)
{
	struct tb *t = one_file("v7.0", 1);
	uint64_t base = tb_alloc(t, 5);
	unsigned int k;
	struct tc *c;

	(void)state;
	place(t, 0, base, 3);
	for (k = 0; k < TB_MAXFO; k++)
		if (k != 4)
			tb_preserve(t, t->folio[0][0][k], 0);
	tb_finish(t);
	c = tc_run(t);
	tc_assert_only(c, "LUO-KMAP-002");
	assert_int_equal(tc_count(c, "LUO-KMAP-002", LUOC_SEV_ERROR), 1);
	assert_true(c->f[0].phys == t->folio[0][0][4]);
	assert_string_equal(c->f[0].where, "session[0].file[0].memfd.folio[4]");
	tc_free(c);
	tb_free(t);
}

/* A run of contiguous folios across the end of one kho-v1 bitmap (32768 pages) into the next. */
static void test_run_across_bitmaps(void **state)
{
	struct tb_opts o = tc_opts("v7.0");
	uint64_t edge, base;
	struct tb *t;
	struct tc *c;

	(void)state;
	o.sessions = 1;
	o.files = 1;
	o.folios = TB_MAXFO;
	o.flbs = 0;
	o.mem_pages = 32768 + 64;
	t = tb_build(&o);
	edge = TB_BASE + ((uint64_t)32768 << 12);	/* TB_BASE is 128 MiB aligned */
	base = edge - 3 * t->ps;
	place(t, 0, base, 1);
	preserve_each(t, base, TB_MAXFO);
	tb_finish(t);
	c = tc_run(t);
	tc_assert_clean(c);
	expect_folios(c, t, 1);
	tc_free(c);
	/* and with the first page past the edge not preserved: exactly that one */
	tb_free(t);
	t = tb_build(&o);
	place(t, 0, base, 1);
	preserve_each(t, base, 3);
	preserve_each(t, edge + t->ps, TB_MAXFO - 4);
	tb_finish(t);
	c = tc_run(t);
	tc_assert_only(c, "LUO-KMAP-002");
	assert_int_equal(tc_count(c, "LUO-KMAP-002", LUOC_SEV_ERROR), 1);
	assert_true(c->f[0].phys == edge);
	tc_free(c);
	tb_free(t);
}

/* No usable map: single folios (no run) are checked for everything but the map. */
static void test_folios_without_map(void **state)
{
	struct tb_opts o = tc_opts("v7.1");
	struct tb *t;
	void *fdt;
	struct tc *c;

	(void)state;
	o.folios = 1;
	t = tb_new(&o);
	fdt = tb_fdt_edit(t, t->kho_root);
	assert_int_equal(tb_fdt_setu64(t, fdt, 0, t->p->kho_map_prop, 0x7f0000000000ULL), 0);
	tb_fdt_done(t, t->kho_root);
	c = tc_run(t);
	assert_int_equal(c->rc, 0);
	assert_true(tc_has_msg(c, "LUO-KMAP-001", "unusable"));
	assert_int_equal(tc_count(c, "LUO-KMAP-002", -1) + tc_count(c, "LUO-KMAP-003", -1), 0);
	assert_int_equal(c->res.folios, 4);
	assert_int_equal(c->nfolio, 4);
	assert_int_equal(c->folio[0].bytes, t->ps);
	tc_free(c);
	tb_free(t);
}

/*
 * Two files whose stepped runs share one page: file 0 at base + 2k, file
 * 1 at base + 14 + 2k.  The bitmap sees the page claimed twice and the
 * range-set walk names both folios: one LUO-MEM-002 and nothing else.
 */
static void stepped_overlap(uint64_t step)
{
	struct tb *t = one_file("v7.0", 2);
	uint64_t base = tb_alloc(t, 6), shared = base + 7 * step * t->ps;	/* 64 pages */
	struct tc *c;

	place(t, 0, base, step);
	place(t, 1, shared, step);
	preserve_each(t, base, 64);
	tb_finish(t);
	c = tc_run(t);
	tc_assert_only(c, "LUO-MEM-002");
	assert_int_equal(tc_count(c, "LUO-MEM-002", LUOC_SEV_ERROR), 1);
	assert_true(tc_has_code(c, "LUO-MEM-002", -LUOC_EOVERLAP));
	assert_string_equal(c->f[0].where, "session[0].file[1].memfd.folio[0]");
	assert_true(c->f[0].phys == shared);
	assert_non_null(strstr(c->f[0].msg, "overlaps session[0].file[0].memfd.folio[7]"));
	assert_int_equal(c->res.folios, 2 * TB_MAXFO);
	tc_free(c);
	tb_free(t);
}

static void test_stepped_runs_overlap(void **state)
{
	(void)state;
	stepped_overlap(2);
	stepped_overlap(3);
}

/* Eight contiguous folios but the fourth elsewhere: the run breaks inside a window of four. */
static void test_run_breaks_in_window(void **state)
{
	struct tb *t = one_file("v7.0", 1);
	uint64_t away = tb_alloc(t, 0);
	struct tc *c;

	(void)state;
	tb_unpreserve(t, t->folio[0][0][3]);
	tb_set_folio(t, 0, 0, 3, away);
	tb_preserve(t, away, 0);
	tb_finish(t);
	c = tc_run(t);
	tc_assert_clean(c);
	expect_folios(c, t, 1);
	tc_free(c);
	tb_free(t);
}

/*
 * Two files share a folio, so the range-set walk runs; it must pass over
 * the entries it cannot place (pfn 0, a folio not in the image, a large
 * block that runs past the image) exactly as the first walk did, which
 * reported each once.
 */
static void test_range_walk_skips(void **state)
{
	struct tb_opts o = tc_opts("v7.0");
	struct tb *t;
	uint64_t end, big;
	struct tc *c;

	(void)state;
	o.sessions = 1;
	o.files = 2;
	o.flbs = 0;
	o.mem_pages = 1028;	/* the image ends 4 pages into an order-3 block */
	t = tb_build(&o);
	end = TB_BASE + t->size;
	big = end - 4 * t->ps;
	tb_unpreserve(t, t->folio[0][1][0]);
	tb_set_folio(t, 0, 1, 0, t->folio[0][0][0]);	/* shared */
	tb_set_folio(t, 0, 1, 1, 0);			/* pfn 0 */
	tb_set_folio(t, 0, 1, 2, end + 16 * t->ps);	/* absent */
	tb_set_folio(t, 0, 0, 2, big);			/* order 3, half present */
	tb_preserve(t, big, 3);
	tb_finish(t);
	c = tc_run(t);
	assert_int_equal(c->rc, 0);
	assert_int_equal(tc_count(c, "LUO-MEM-002", LUOC_SEV_ERROR), 1);
	assert_true(tc_has_msg(c, "LUO-MEM-002", "overlaps session[0].file[1].memfd.folio[0]"));
	assert_true(tc_has_msg(c, "LUO-MEMFD-004", "pfn is 0"));
	assert_int_equal(tc_count(c, "LUO-IMG-003", LUOC_SEV_ERROR), 2);
	assert_true(tc_has_msg(c, "LUO-IMG-003", "(0x8000 bytes at"));
	assert_int_equal(c->res.folios, 6);
	tc_free(c);
	tb_free(t);
}

/* A folio index at the top of u64: beyond the file, and its end does not wrap. */
static void test_index_at_u64_max(void **state)
{
	struct tb *t = tc_state("v7.0");
	uint64_t e = tb_folio_ent(t, 1, 1, 2);
	struct tc *c;

	(void)state;
	tb_stf(t, e, t->p->memfd->folio_index, UINT64_MAX);
	c = tc_run(t);
	tc_assert_only(c, "LUO-MEMFD-004");
	assert_int_equal(tc_count(c, "LUO-MEMFD-004", LUOC_SEV_ERROR), 1);
	assert_true(tc_has_msg(c, "LUO-MEMFD-004", "beyond the file"));
	tc_free(c);
	tb_free(t);
}

/*
 * The last two pfns a desc can hold: the run is cut to the two that fit
 * (the third would wrap), then checked entry by entry: the first is not
 * in the image, the second's page wraps past the address space.
 */
static void test_run_at_pfn_limit(void **state)
{
	struct tb *t = one_file("v7.0", 1);
	const struct luoc_memfd_desc *md = t->p->memfd;
	uint64_t lim = luoc_bits(~(uint64_t)0, md->folio_pfn);
	struct tc *c;

	(void)state;
	if (lim > UINT64_MAX >> 12)
		lim = UINT64_MAX >> 12;
	tb_set_folio(t, 0, 0, 0, (lim - 1) << 12);
	tb_set_folio(t, 0, 0, 1, lim << 12);
	tb_finish(t);
	c = tc_run(t);
	assert_int_equal(c->rc, 0);
	assert_true(tc_has_msg(c, "LUO-IMG-003", "folio"));
	assert_true(tc_has_code(c, "LUO-MEMFD-004", -LUOC_ERANGE));
	assert_true(tc_has_msg(c, "LUO-MEMFD-004", "wraps past the end of the address space"));
	assert_int_equal(c->res.folios, TB_MAXFO);
	tc_free(c);
	tb_free(t);
}

/* ---- the claimed-page bitmap, directly ----------------------------------- */

static void claim_pfn(struct tu *u, struct luoc_claims *cl, uint64_t pfn, uint64_t pages)
{
	const struct luoc_loc loc = { LK_FOLIO, 0, 0, pfn };

	luoc_claim(&u->c, cl, &loc, pfn << 12, pages << 12);
}

static void claim_step(struct tu *u, struct luoc_claims *cl, uint64_t pfn, uint64_t n,
		       uint64_t step)
{
	const struct luoc_loc loc = { LK_FOLIO, 0, 0, pfn };

	luoc_claim_step(&u->c, cl, &loc, pfn << 12, n, step);
}

/* 600 blocks: the table doubles (rehash) and still finds every block. */
static void test_claims_grow(void **state)
{
	struct tu *u = tu_new("v7.0", NULL, 1 << 20);
	struct luoc_claims cl;
	unsigned int log2;
	uint64_t k;

	(void)state;
	luoc_claims_init(&u->c, &cl);
	assert_non_null(cl.tab);
	log2 = cl.log2;
	for (k = 0; k < 600; k++)
		claim_pfn(u, &cl, k << 12, 1);
	assert_int_equal(cl.n, 600);
	assert_true(cl.log2 > log2);
	assert_false(luoc_claims_need_ranges(&cl));
	/* every block is found again after the rehash: other pages are no overlap */
	for (k = 0; k < 600; k++)
		claim_pfn(u, &cl, (k << 12) + 1, 1);
	assert_int_equal(cl.n, 600);
	assert_false(luoc_claims_need_ranges(&cl));
	/* and a page claimed before is */
	claim_pfn(u, &cl, (417 << 12) + 1, 1);
	assert_true(cl.overlap);
	assert_true(luoc_claims_need_ranges(&cl));
	tu_free(u);
}

/* More blocks than the budget: the bitmap gives up, the range set decides. */
static void test_claims_budget(void **state)
{
	struct tu *u = tu_new("v7.0", NULL, (size_t)40 << 20);
	struct luoc_claims cl;
	uint64_t k, max = CLAIM_BUDGET / BLK_BYTES;

	(void)state;
	luoc_claims_init(&u->c, &cl);
	for (k = 0; k < max; k++)
		claim_pfn(u, &cl, k << 12, 1);
	assert_int_equal(cl.n, max);
	assert_false(luoc_claims_need_ranges(&cl));
	claim_pfn(u, &cl, max << 12, 1);
	assert_true(cl.fallback);
	assert_int_equal(cl.n, max);
	assert_true(luoc_claims_need_ranges(&cl));
	/* from then on nothing is claimed, not even a page claimed before */
	claim_pfn(u, &cl, 0, 1);
	claim_step(u, &cl, 0, 4, 2);
	assert_false(cl.overlap);
	tu_free(u);
}

/* Room for the table and four blocks, not a fifth: fallback, no overlap invented. */
static void test_claims_no_room_for_block(void **state)
{
	struct tu *u = tu_new("v7.0", NULL, 4096 + 4 * BLK_BYTES);
	struct luoc_claims cl;
	uint64_t k;

	(void)state;
	luoc_claims_init(&u->c, &cl);
	assert_non_null(cl.tab);
	for (k = 0; k < 4; k++)
		claim_pfn(u, &cl, k << 12, 8);
	assert_false(luoc_claims_need_ranges(&cl));
	claim_pfn(u, &cl, 4 << 12, 8);
	assert_int_equal(cl.n, 4);
	assert_true(cl.fallback);
	assert_false(cl.overlap);
	tu_free(u);

	/* the same through the stepped claim */
	u = tu_new("v7.0", NULL, 4096 + 4 * BLK_BYTES);
	luoc_claims_init(&u->c, &cl);
	claim_step(u, &cl, 0, 5, 4096);
	assert_int_equal(cl.n, 4);
	assert_true(cl.fallback);
	assert_true(luoc_claims_need_ranges(&cl));
	tu_free(u);

	/* one byte less than table + four blocks: the bitmap is not used at all */
	u = tu_new("v7.0", NULL, 4096 + 4 * BLK_BYTES - 8);
	luoc_claims_init(&u->c, &cl);
	assert_null(cl.tab);
	assert_false(luoc_claims_need_ranges(&cl));
	tu_free(u);
}

/* Room for 512 blocks but not for the doubled table: fallback at the 513th. */
static void test_claims_no_room_to_grow(void **state)
{
	struct tu *u = tu_new("v7.0", NULL, 4096 + 512 * BLK_BYTES + 4096);
	struct luoc_claims cl;
	uint64_t k;

	(void)state;
	luoc_claims_init(&u->c, &cl);
	for (k = 0; k < 512; k++)
		claim_pfn(u, &cl, k << 12, 1);
	assert_int_equal(cl.n, 512);
	assert_false(cl.fallback);
	claim_pfn(u, &cl, (uint64_t)512 << 12, 1);
	assert_int_equal(cl.n, 512);
	assert_true(cl.fallback);
	assert_false(cl.overlap);
	tu_free(u);
}

/* Stepped claims: across a block edge, a word at a time and bit by bit. */
static void test_claim_step_bits(void **state)
{
	struct tu *u = tu_new("v7.0", NULL, 1 << 20);
	struct luoc_claims cl;

	(void)state;
	luoc_claims_init(&u->c, &cl);
	/* pages 4091, 4093, ..., 4109: three in block 0, seven in block 1 */
	claim_step(u, &cl, 4091, 10, 2);
	assert_int_equal(cl.n, 2);
	assert_false(cl.overlap);
	claim_pfn(u, &cl, 4092, 1);		/* between two of them */
	claim_pfn(u, &cl, 4110, 1);		/* just past the last */
	assert_false(cl.overlap);
	claim_pfn(u, &cl, 4109, 1);		/* the last */
	assert_true(cl.overlap);

	cl.overlap = false;
	claim_step(u, &cl, 8192, 5, 3);		/* 8192 .. 8204, bit by bit */
	claim_step(u, &cl, 8193, 5, 3);		/* interleaved: no page twice */
	assert_false(cl.overlap);
	claim_step(u, &cl, 8201, 2, 3);		/* 8201 and 8204: both claimed */
	assert_true(cl.overlap);

	/* a quiet pass claims nothing */
	cl.overlap = false;
	u->c.quiet = true;
	claim_step(u, &cl, 20480, 4, 2);
	claim_pfn(u, &cl, 20480, 1);
	u->c.quiet = false;
	assert_int_equal(cl.n, 3);
	assert_false(cl.overlap);
	tu_free(u);
}

/* Without the bitmap each stepped folio is a range of its own, at its own location. */
static void test_claim_step_ranges(void **state)
{
	struct tu *u = tu_new("v7.0", NULL, 1 << 20);
	const struct luoc_loc loc = { LK_FOLIO, 1, 2, 5 };
	unsigned int k;

	(void)state;
	luoc_rset_begin(&u->c, &u->c.fo);
	luoc_claim_step(&u->c, NULL, &loc, 0x10000000, 4, 3);
	luoc_rset_finish(&u->c, &u->c.fo);
	assert_int_equal(u->c.fo.n, 4);
	for (k = 0; k < 4; k++) {
		const struct luoc_range *r = &u->c.fo.r[k];

		assert_true(r->start == 0x10000000 + (uint64_t)k * 3 * 4096);
		assert_true(r->end == r->start + 4096);
		assert_int_equal(r->kind, LK_FOLIO);
		assert_int_equal(r->s, 1);
		assert_int_equal(r->f, 2);
		assert_int_equal(r->i, 5 + k);
	}
	luoc_rset_overlaps(&u->c, &u->c.fo, true);
	assert_int_equal(u->res.errors, 0);
	tu_free(u);
}

const struct CMUnitTest tc_cover_folio_tests[] = {
	cmocka_unit_test(test_stepped_runs_clean),
	cmocka_unit_test(test_stepped_gap_unpreserved),
	cmocka_unit_test(test_stepped_runs_overlap),
	cmocka_unit_test(test_stepped_run_hole),
	cmocka_unit_test(test_run_across_bitmaps),
	cmocka_unit_test(test_folios_without_map),
	cmocka_unit_test(test_run_breaks_in_window),
	cmocka_unit_test(test_run_at_pfn_limit),
	cmocka_unit_test(test_range_walk_skips),
	cmocka_unit_test(test_index_at_u64_max),
	cmocka_unit_test(test_claims_grow),
	cmocka_unit_test(test_claims_budget),
	cmocka_unit_test(test_claims_no_room_for_block),
	cmocka_unit_test(test_claims_no_room_to_grow),
	cmocka_unit_test(test_claim_step_bits),
	cmocka_unit_test(test_claim_step_ranges),
};
const size_t tc_cover_folio_n = sizeof(tc_cover_folio_tests) / sizeof(tc_cover_folio_tests[0]);
