// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * test_v72.c - the luo-v5 era (profile v7.2): struct luo_ser and the KHO
 * serialization-block chains.  One mutation per requirement of spec/v7.2
 * (exactly that finding, and the v7.2 kernel's outcome), sets spanning
 * several blocks, and hostile chains: cycles, self-loops, counts of 0 and
 * over the per-block maximum, more than KHO_MAX_BLOCKS blocks, blocks
 * outside the image or the KHO map.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>

#include "tcore.h"

#define V72	"v7.2"

static struct tb *build(unsigned int sessions, unsigned int files, unsigned int folios,
			unsigned int mem_pages)
{
	struct tb_opts o = tc_opts(V72);

	o.sessions = sessions;
	o.files = files;
	o.folios = folios;
	o.mem_pages = mem_pages;
	return tb_build(&o);
}

static struct tb *state(unsigned int sessions, unsigned int files, unsigned int folios)
{
	struct tb *t = build(sessions, files, folios, 0);

	tb_finish(t);
	return t;
}

/* Only 'req' (notes aside), and the v7.2 kernel's outcome. */
static void expect(struct tb *t, const char *req, enum luoc_outcome out)
{
	struct tc *c = tc_run(t);

	tc_assert_only(c, req);
	if (c->res.outcome != out) {
		tc_dump(c);
		fail_msg("outcome %s, expected %s", luoc_outcome_name(c->res.outcome),
			 luoc_outcome_name(out));
	}
	tc_free(c);
	tb_free(t);
}

static const struct luoc_area *sa(struct tb *t) { return &t->p->sess_area; }
static const struct luoc_area *fa(struct tb *t) { return &t->p->file_area; }

/* A copy of the page at 'from', 'off' bytes into a fresh preserved order-1 block. */
static uint64_t relocate(struct tb *t, uint64_t from, uint64_t off)
{
	uint64_t at = tb_alloc(t, 1);

	memcpy(tb_ptr(t, at + off), tb_ptr(t, from), t->ps);
	tb_preserve(t, at, 1);
	return at + off;
}

/* ---- valid sets ------------------------------------------------------------ */

/* 120 sessions: three session blocks of 51, 51 and 18 entries. */
static void test_sessions_span_blocks(void **s)
{
	struct tb *t = state(120, 0, 0);
	struct tc *c;
	unsigned int i;

	(void)s;
	assert_int_equal(t->nsblk, 3);
	assert_int_equal(tb_ldf(t, t->sblk[2], sa(t)->hdr_count), 18);
	c = tc_run(t);
	tc_assert_clean(c);
	assert_int_equal(c->res.sessions, 120);
	assert_int_equal(c->nsess, 120);
	for (i = 0; i < 120; i++) {
		char want[32];

		snprintf(want, sizeof(want), "session-%u", i);
		assert_string_equal(c->sess_name[i], want);
	}
	tc_free(c);
	tb_free(t);
}

/* 130 files in one session: three file blocks of 63, 63 and 4 entries. */
static void test_files_span_blocks(void **s)
{
	struct tb *t = state(1, 130, 0);
	struct tc *c;
	unsigned int i;

	(void)s;
	assert_int_equal(t->nfblk[0], 3);
	c = tc_run(t);
	tc_assert_clean(c);
	assert_int_equal(c->res.files, 130);
	for (i = 0; i < 130; i++) {
		assert_int_equal(c->file[i].f, i);
		assert_int_equal(c->file[i].token, 0x1000 + i);
	}
	tc_free(c);
	tb_free(t);
}

/* No sessions: sessions_pa 0.  No FLB page: flbs_pa 0.  Both mean "none". */
static void test_zero_means_none(void **s)
{
	struct tb *t = state(0, 0, 0);
	struct tc *c;

	(void)s;
	assert_int_equal(tb_ldf(t, t->luo_fdt, t->p->ser_sessions), 0);
	tb_stf(t, t->luo_fdt, t->p->ser_flbs, 0);
	c = tc_run(t);
	tc_assert_clean(c);
	assert_int_equal(c->res.sessions, 0);
	assert_int_equal(c->res.flbs, 0);
	tc_free(c);
	tb_free(t);
}

/* A chain of exactly KHO_MAX_BLOCKS blocks is still valid. */
static void long_chain(unsigned int nblk, bool expect_clean)
{
	struct tb *t = build(0, 0, 0, nblk + 64);
	uint64_t first = t->brk, k;
	struct tc *c;

	assert_int_equal(t->p->blk_max_blocks, 10000);
	for (k = 0; k < nblk; k++) {
		uint64_t b = tb_alloc(t, 0), e = b + sa(t)->hdr_size;
		char name[32];

		if (k + 1 < nblk)
			tb_stf(t, b, sa(t)->hdr_next, b + t->ps);
		tb_stf(t, b, sa(t)->hdr_count, 1);
		snprintf(name, sizeof(name), "s%05u", (unsigned int)k);
		strcpy(tb_ptr(t, e + t->p->sess_name.off), name);
	}
	tb_preserve_range(t, first, 0, nblk);
	tb_stf(t, t->luo_fdt, t->p->ser_sessions, first);
	tb_finish(t);
	c = tc_run(t);
	if (expect_clean) {
		tc_assert_clean(c);
		assert_int_equal(c->res.sessions, nblk);
	} else {
		tc_assert_only(c, "LUO-BLK-002");
		assert_int_equal(c->res.outcome, LUOC_OUT_PANIC);
		assert_non_null(strstr(c->f[0].msg, "KHO_MAX_BLOCKS"));
	}
	tc_free(c);
	tb_free(t);
}

static void test_chain_at_limit(void **s) { (void)s; long_chain(10000, true); }

/* ---- LUO-SER ---------------------------------------------------------------- */

static void test_ser_001_blob_size_31(void **s)
{
	struct tb *t = state(2, 2, 3);

	(void)s;
	tb_set_blob_size(t, 31);
	expect(t, "LUO-SER-001", LUOC_OUT_PANIC);
}

/* Larger than struct luo_ser: non-conformant, but the kernel accepts it. */
static void test_ser_001_blob_size_page(void **s)
{
	struct tb *t = state(2, 2, 3);

	(void)s;
	tb_set_blob_size(t, t->ps);
	expect(t, "LUO-SER-001", LUOC_OUT_ACCEPT);
}

static void test_ser_001_blob_size_missing(void **s)
{
	struct tb *t = state(1, 1, 1);
	void *fdt = tb_fdt_edit(t, t->kho_root);

	(void)s;
	assert_int_equal(fdt_delprop(fdt, fdt_subnode_offset(fdt, 0, "LUO"), "blob-size"), 0);
	tb_fdt_done(t, t->kho_root);
	expect(t, "LUO-SER-001", LUOC_OUT_PANIC);
}

static void test_ser_002_wrong_version(void **s)
{
	struct tb *t = state(2, 2, 3);
	struct tc *c;

	(void)s;
	memcpy(tb_ptr(t, t->luo_fdt + t->p->ser_compat.off), "luo-v6", 6);
	c = tc_run(t);
	tc_assert_only(c, "LUO-SER-002");
	assert_int_equal(c->res.outcome, LUOC_OUT_PANIC);
	/* another version's layout is not decoded */
	assert_int_equal(c->res.sessions, 0);
	assert_int_equal(tc_count(c, "LUO-SER-002", LUOC_SEV_NOTE), 1);
	tc_free(c);
	tb_free(t);
}

/* strncmp stops at the NUL: bytes after it pass the kernel, not the spec. */
static void test_ser_002_trailing_bytes(void **s)
{
	struct tb *t = state(1, 1, 1);

	(void)s;
	((uint8_t *)tb_ptr(t, t->luo_fdt + t->p->ser_compat.off))[7] = 'X';
	expect(t, "LUO-SER-002", LUOC_OUT_ACCEPT);
}

/* All 8 bytes used, no NUL: compared over 8 bytes, so refused. */
static void test_ser_002_no_nul(void **s)
{
	struct tb *t = state(1, 1, 1);

	(void)s;
	memcpy(tb_ptr(t, t->luo_fdt + t->p->ser_compat.off), "luo-v5XY", 8);
	expect(t, "LUO-SER-002", LUOC_OUT_PANIC);
}

static void test_ser_003_number_zero(void **s)
{
	struct tb *t = state(1, 1, 1);

	(void)s;
	tb_stf(t, t->luo_fdt, t->p->ser_num, 0);
	expect(t, "LUO-SER-003", LUOC_OUT_ACCEPT);
}

static void test_fdt_004_number_swapped(void **s)
{
	struct tb *t = state(1, 1, 1);

	(void)s;
	tb_stf(t, t->luo_fdt, t->p->ser_num, __builtin_bswap64(3));
	expect(t, "LUO-FDT-004", LUOC_OUT_UNDEFINED);
}

static void test_ser_004_flbs_misaligned(void **s)
{
	struct tb *t = build(1, 1, 1, 0);

	(void)s;
	tb_stf(t, t->luo_fdt, t->p->ser_flbs, relocate(t, t->flb_page, 64));
	tb_finish(t);
	expect(t, "LUO-SER-004", LUOC_OUT_UNDEFINED);
}

static void test_mem_003_luo_ser_misaligned(void **s)
{
	struct tb *t = build(1, 1, 1, 0);

	(void)s;
	t->luo_fdt = relocate(t, t->luo_fdt, 64);
	tb_finish(t);
	expect(t, "LUO-MEM-003", LUOC_OUT_UNDEFINED);
}

/* ---- LUO-BLK ------------------------------------------------------------------ */

static void test_blk_001_session_head_misaligned(void **s)
{
	struct tb *t = build(3, 1, 0, 0);

	(void)s;
	tb_stf(t, t->luo_fdt, t->p->ser_sessions, relocate(t, t->sblk[0], 128));
	tb_finish(t);
	expect(t, "LUO-BLK-001", LUOC_OUT_UNDEFINED);
}

static void test_blk_001_file_next_misaligned(void **s)
{
	struct tb *t = build(1, 70, 0, 0);

	(void)s;
	tb_stf(t, t->fblk[0][0], fa(t)->hdr_next, relocate(t, t->fblk[0][1], 256));
	tb_finish(t);
	expect(t, "LUO-BLK-001", LUOC_OUT_UNDEFINED);
}

/* The last of two session blocks links back to the first. */
static void test_blk_002_session_cycle(void **s)
{
	struct tb *t = state(60, 0, 0);
	struct tc *c;

	(void)s;
	tb_stf(t, t->sblk[1], sa(t)->hdr_next, t->sblk[0]);
	c = tc_run(t);
	tc_assert_only(c, "LUO-BLK-002");
	assert_int_equal(c->res.outcome, LUOC_OUT_PANIC);
	assert_true(tc_has_code(c, "LUO-BLK-002", -LUOC_ELOOP));
	assert_non_null(strstr(c->f[0].msg, "links back to block 0"));
	/* every distinct block is still read once */
	assert_int_equal(c->res.sessions, 60);
	tc_free(c);
	tb_free(t);
}

static void test_blk_002_session_self_loop(void **s)
{
	struct tb *t = state(2, 1, 1);

	(void)s;
	tb_stf(t, t->sblk[0], sa(t)->hdr_next, t->sblk[0]);
	expect(t, "LUO-BLK-002", LUOC_OUT_PANIC);
}

static void test_blk_002_too_many_blocks(void **s) { (void)s; long_chain(10001, false); }

static void test_blk_003_count_zero(void **s)
{
	struct tb *t = state(60, 0, 0);

	(void)s;
	tb_stf(t, t->sblk[1], sa(t)->hdr_count, 0);
	expect(t, "LUO-BLK-003", LUOC_OUT_PANIC);
}

static void test_blk_003_count_over(void **s)
{
	struct tb *t = state(60, 0, 0);

	(void)s;
	tb_stf(t, t->sblk[0], sa(t)->hdr_count, luoc_area_max(sa(t), t->ps) + 1);
	expect(t, "LUO-BLK-003", LUOC_OUT_PANIC);
}

static void test_blk_004_file_cycle(void **s)
{
	struct tb *t = state(1, 130, 0);
	struct tc *c;

	(void)s;
	tb_stf(t, t->fblk[0][2], fa(t)->hdr_next, t->fblk[0][1]);
	c = tc_run(t);
	tc_assert_only(c, "LUO-BLK-004");
	assert_int_equal(c->res.outcome, LUOC_OUT_EIO);
	assert_non_null(strstr(c->f[0].msg, "block 2"));
	assert_non_null(strstr(c->f[0].msg, "links back to block 1"));
	tc_free(c);
	tb_free(t);
}

static void test_blk_004_file_self_loop(void **s)
{
	struct tb *t = state(2, 2, 1);

	(void)s;
	tb_stf(t, t->fblk[1][0], fa(t)->hdr_next, t->fblk[1][0]);
	expect(t, "LUO-BLK-004", LUOC_OUT_EIO);
}

static void test_blk_005_file_count_zero(void **s)
{
	struct tb *t = state(1, 70, 0);

	(void)s;
	tb_stf(t, t->fblk[0][1], fa(t)->hdr_count, 0);
	expect(t, "LUO-BLK-005", LUOC_OUT_EIO);
}

static void test_blk_005_file_count_over(void **s)
{
	struct tb *t = state(1, 2, 1);

	(void)s;
	tb_stf(t, t->fblk[0][0], fa(t)->hdr_count, luoc_area_max(fa(t), t->ps) + 1);
	expect(t, "LUO-BLK-005", LUOC_OUT_EIO);
}

/* file_set_ser.count says 3, the chain holds 2 entries ("File count mismatch"). */
static void test_blk_006_count_mismatch(void **s)
{
	struct tb *t = state(2, 2, 1);

	(void)s;
	tb_stf(t, tb_session(t, 1), t->p->sess_count, 3);
	expect(t, "LUO-BLK-006", LUOC_OUT_EIO);
}

/* files 0 with a count: the kernel warns and the session has no files. */
static void test_sess_007_files_zero(void **s)
{
	struct tb *t = state(2, 0, 0);

	(void)s;
	tb_stf(t, tb_session(t, 0), t->p->sess_count, 2);
	expect(t, "LUO-SESS-007", LUOC_OUT_ACCEPT);
}

/* A chain with count 0: both rules, and the open fails. */
static void test_sess_007_count_zero(void **s)
{
	struct tb *t = state(1, 2, 1);
	struct tc *c;

	(void)s;
	tb_stf(t, tb_session(t, 0), t->p->sess_count, 0);
	c = tc_run(t);
	assert_int_equal(tc_count(c, "LUO-SESS-007", LUOC_SEV_ERROR), 1);
	assert_int_equal(tc_count(c, "LUO-BLK-006", LUOC_SEV_ERROR), 1);
	assert_int_equal(c->res.errors, 2);
	assert_int_equal(c->res.outcome, LUOC_OUT_EIO);
	tc_free(c);
	tb_free(t);
}

/* ---- session, file and FLB rules in chains ------------------------------------- */

static void test_sess_006_dup_across_blocks(void **s)
{
	struct tb *t = state(60, 0, 0);
	struct tc *c;

	(void)s;
	strcpy(tb_ptr(t, tb_session(t, 55) + t->p->sess_name.off), "session-3");
	c = tc_run(t);
	tc_assert_only(c, "LUO-SESS-006");
	assert_int_equal(c->res.outcome, LUOC_OUT_EIO);
	assert_string_equal(c->f[0].where, "session[55]");
	assert_int_equal(c->f[0].phys, tb_session(t, 55));
	tc_free(c);
	tb_free(t);
}

static void test_file_003_dup_across_blocks(void **s)
{
	struct tb *t = state(1, 130, 0);

	(void)s;
	tb_stf(t, tb_file(t, 0, 100), t->p->file_token, 0x1000);
	expect(t, "LUO-FILE-003", LUOC_OUT_ACCEPT);
}

static void test_file_004_unknown_handler(void **s)
{
	struct tb *t = state(1, 2, 1);

	(void)s;
	strcpy(tb_ptr(t, tb_file(t, 0, 1) + t->p->file_compat.off), "memfd-v1");
	expect(t, "LUO-FILE-004", LUOC_OUT_EIO);
}

static void test_flb_004_count(void **s)
{
	struct tb *t = state(1, 1, 1);

	(void)s;
	tb_stf(t, t->flb_page, t->p->flb_area.hdr_count, luoc_area_max(&t->p->flb_area, t->ps) + 1);
	expect(t, "LUO-FLB-004", LUOC_OUT_UNDEFINED);
}

static void test_memfd_006_seals(void **s)
{
	struct tb *t = state(1, 1, 1);

	(void)s;
	tb_stf(t, t->memfd[0][0], t->p->memfd->seals, 0x40);
	expect(t, "LUO-MEMFD-006", LUOC_OUT_RETRIEVE_ERROR);
}

/* ---- memory: preserved, present, not shared ------------------------------------ */

static void test_kmap_002_session_block(void **s)
{
	struct tb *t = build(60, 0, 0, 0);

	(void)s;
	assert_true(tb_unpreserve(t, t->sblk[1]));
	tb_finish(t);
	expect(t, "LUO-KMAP-002", LUOC_OUT_UNDEFINED);
}

static void test_kmap_002_file_block(void **s)
{
	struct tb *t = build(1, 70, 0, 0);

	(void)s;
	assert_true(tb_unpreserve(t, t->fblk[0][1]));
	tb_finish(t);
	expect(t, "LUO-KMAP-002", LUOC_OUT_UNDEFINED);
}

static void test_kmap_002_luo_ser(void **s)
{
	struct tb *t = build(1, 1, 1, 0);

	(void)s;
	assert_true(tb_unpreserve(t, t->luo_fdt));
	tb_finish(t);
	expect(t, "LUO-KMAP-002", LUOC_OUT_UNDEFINED);
}

/* A session chain that runs out of the image. */
static void test_img_003_truncated_session_chain(void **s)
{
	struct tb *t = state(60, 0, 0);

	(void)s;
	tb_stf(t, t->sblk[0], sa(t)->hdr_next, TB_BASE + t->size + 0x10000);
	expect(t, "LUO-IMG-003", LUOC_OUT_UNDEFINED);
}

static void test_img_003_truncated_file_chain(void **s)
{
	struct tb *t = state(1, 70, 0);

	(void)s;
	tb_stf(t, t->fblk[0][0], fa(t)->hdr_next, TB_BASE + t->size + 0x10000);
	expect(t, "LUO-IMG-003", LUOC_OUT_UNDEFINED);
}

/* Two sessions share one file block. */
static void test_mem_002_shared_file_block(void **s)
{
	struct tb *t = state(2, 1, 0);

	(void)s;
	tb_stf(t, tb_session(t, 1), t->p->sess_files, t->file_arr[0]);
	expect(t, "LUO-MEM-002", LUOC_OUT_UNDEFINED);
}

/* A file chain that starts in the session chain: refused, never looped over. */
static void test_mem_002_file_block_is_session_block(void **s)
{
	struct tb *t = state(1, 1, 0);
	struct tc *c;

	(void)s;
	tb_stf(t, tb_session(t, 0), t->p->sess_files, t->sblk[0]);
	c = tc_run(t);
	assert_int_equal(c->rc, 0);
	assert_true(tc_count(c, "LUO-MEM-002", LUOC_SEV_ERROR) >= 1);
	tc_free(c);
	tb_free(t);
}

/* ---- hostile chains ------------------------------------------------------------ */

/* A cycle entered after a tail: 0 -> 1 -> 2 -> 1. */
static void test_cycle_after_tail(void **s)
{
	struct tb *t = state(150, 0, 0);
	struct tc *c;

	(void)s;
	tb_stf(t, t->sblk[2], sa(t)->hdr_next, t->sblk[1]);
	c = tc_run(t);
	tc_assert_only(c, "LUO-BLK-002");
	assert_non_null(strstr(c->f[0].msg, "block 2"));
	assert_non_null(strstr(c->f[0].msg, "links back to block 1"));
	assert_int_equal(c->res.sessions, 150);
	tc_free(c);
	tb_free(t);
}

/* A ring of 300 blocks (far from the power-of-two steps of the search). */
static void test_long_ring(void **s)
{
	struct tb *t = build(0, 0, 0, 400);
	uint64_t first = t->brk, k;
	struct tc *c;

	(void)s;
	for (k = 0; k < 300; k++) {
		uint64_t b = tb_alloc(t, 0);

		tb_stf(t, b, sa(t)->hdr_next, k + 1 < 300 ? b + t->ps : first + 7 * t->ps);
		tb_stf(t, b, sa(t)->hdr_count, 1);
		snprintf(tb_ptr(t, b + sa(t)->hdr_size), 16, "r%03u", (unsigned int)k);
	}
	tb_preserve_range(t, first, 0, 300);
	tb_stf(t, t->luo_fdt, t->p->ser_sessions, first);
	tb_finish(t);
	c = tc_run(t);
	tc_assert_only(c, "LUO-BLK-002");
	assert_non_null(strstr(c->f[0].msg, "block 299"));
	assert_non_null(strstr(c->f[0].msg, "links back to block 7"));
	assert_int_equal(c->res.sessions, 300);
	tc_free(c);
	tb_free(t);
}

static void test_count_all_ones(void **s)
{
	struct tb *t = state(2, 2, 1);

	(void)s;
	tb_stf(t, t->sblk[0], sa(t)->hdr_count, ~0ULL);
	expect(t, "LUO-BLK-003", LUOC_OUT_PANIC);
}

/* A next pointer whose block would wrap the address space. */
static void test_next_wraps(void **s)
{
	struct tb *t = state(1, 2, 1);
	struct tc *c;

	(void)s;
	tb_stf(t, t->fblk[0][0], fa(t)->hdr_next, ~0ULL - 8);
	c = tc_run(t);
	assert_int_equal(c->rc, 0);
	assert_true(c->res.errors >= 1);
	assert_int_equal(c->res.outcome, LUOC_OUT_UNDEFINED);
	tc_free(c);
	tb_free(t);
}

/* luo_ser outside the image: nothing behind it is read. */
static void test_luo_ser_absent(void **s)
{
	struct tb *t = state(1, 1, 1);
	void *fdt = tb_fdt_edit(t, t->kho_root);

	(void)s;
	assert_int_equal(tb_fdt_setu64(t, fdt, fdt_subnode_offset(fdt, 0, "LUO"), "preserved-data",
				       TB_BASE + t->size + t->ps), 0);
	tb_fdt_done(t, t->kho_root);
	expect(t, "LUO-IMG-003", LUOC_OUT_UNDEFINED);
}

/* Random damage to luo_ser and the blocks: findings, never a crash. */
static void test_random_block_damage(void **s)
{
	unsigned int seed = 4242, i, n = getenv("LUOC_TEST_ITER") ? 2000 : 200;

	(void)s;
	for (i = 0; i < n; i++) {
		/* even: luo_ser and the session chain; odd: a file chain */
		struct tb *t = i & 1 ? state(1, 70, 0) : state(60, 0, 0);
		uint64_t pages[4] = { t->luo_fdt, t->sblk[0], t->sblk[i & 1 ? 0 : 1], t->fblk[0][1] };
		uint64_t pg = i & 1 ? t->fblk[0][i & 2 ? 1 : 0] : pages[(i >> 1) % 3];
		unsigned int k;
		struct tc *c;

		for (k = 0; k < 4; k++) {
			seed = seed * 1103515245u + 12345u;
			((uint8_t *)tb_ptr(t, pg))[(seed >> 4) % 32] ^= (uint8_t)(seed >> 20);
		}
		c = tc_run(t);
		assert_int_equal(c->rc, 0);
		tc_free(c);
		tb_free(t);
	}
}

/* ---- profiles across the eras ---------------------------------------------------- */

static void given(struct luoc_config *cfg, void *arg)
{
	cfg->profile = luoc_profile_find(arg);
}

/* A v7.2 state given to the v7.1 checker: the kho-v4 root means a fresh start. */
static void test_v72_state_as_v71(void **s)
{
	struct tb *t = state(1, 1, 1);
	struct tc *c = tc_run_cfg(t, given, "v7.1");

	(void)s;
	assert_true(tc_count(c, "LUO-KHO-002", LUOC_SEV_ERROR) >= 1);
	assert_int_equal(c->res.outcome, LUOC_OUT_FRESH_START);
	assert_true(tc_count(c, "LUO-PROF-001", LUOC_SEV_NOTE) == 1);
	tc_free(c);
	tb_free(t);
}

/* A v7.1 state given to the v7.2 checker: likewise. */
static void test_v71_state_as_v72(void **s)
{
	struct tb *t = tc_state("v7.1");
	struct tc *c = tc_run_cfg(t, given, V72);

	(void)s;
	assert_true(tc_count(c, "LUO-KHO-002", LUOC_SEV_ERROR) >= 1);
	assert_int_equal(c->res.outcome, LUOC_OUT_FRESH_START);
	assert_true(tc_count(c, "LUO-PROF-001", LUOC_SEV_NOTE) == 1);
	tc_free(c);
	tb_free(t);
}

static void clear_profile(struct luoc_config *cfg, void *arg)
{
	(void)arg;
	cfg->profile = NULL;
}

/* An unknown luo_ser version on a kho-v4 root: still closest to v7.2. */
static void test_detect_unknown_version(void **s)
{
	struct tb *t = state(1, 1, 1);
	struct tc *c;

	(void)s;
	memcpy(tb_ptr(t, t->luo_fdt + t->p->ser_compat.off), "luo-v9", 6);
	c = tc_run_cfg(t, clear_profile, NULL);
	assert_ptr_equal(c->res.profile, t->p);
	assert_non_null(strstr(c->res.detect_reason, "closest"));
	assert_non_null(strstr(c->res.detect_reason, "luo-v9"));
	tc_free(c);
	tb_free(t);
}

const struct CMUnitTest tc_v72_tests[] = {
	cmocka_unit_test(test_sessions_span_blocks),
	cmocka_unit_test(test_files_span_blocks),
	cmocka_unit_test(test_zero_means_none),
	cmocka_unit_test(test_chain_at_limit),
	cmocka_unit_test(test_ser_001_blob_size_31),
	cmocka_unit_test(test_ser_001_blob_size_page),
	cmocka_unit_test(test_ser_001_blob_size_missing),
	cmocka_unit_test(test_ser_002_wrong_version),
	cmocka_unit_test(test_ser_002_trailing_bytes),
	cmocka_unit_test(test_ser_002_no_nul),
	cmocka_unit_test(test_ser_003_number_zero),
	cmocka_unit_test(test_fdt_004_number_swapped),
	cmocka_unit_test(test_ser_004_flbs_misaligned),
	cmocka_unit_test(test_mem_003_luo_ser_misaligned),
	cmocka_unit_test(test_blk_001_session_head_misaligned),
	cmocka_unit_test(test_blk_001_file_next_misaligned),
	cmocka_unit_test(test_blk_002_session_cycle),
	cmocka_unit_test(test_blk_002_session_self_loop),
	cmocka_unit_test(test_blk_002_too_many_blocks),
	cmocka_unit_test(test_blk_003_count_zero),
	cmocka_unit_test(test_blk_003_count_over),
	cmocka_unit_test(test_blk_004_file_cycle),
	cmocka_unit_test(test_blk_004_file_self_loop),
	cmocka_unit_test(test_blk_005_file_count_zero),
	cmocka_unit_test(test_blk_005_file_count_over),
	cmocka_unit_test(test_blk_006_count_mismatch),
	cmocka_unit_test(test_sess_007_files_zero),
	cmocka_unit_test(test_sess_007_count_zero),
	cmocka_unit_test(test_sess_006_dup_across_blocks),
	cmocka_unit_test(test_file_003_dup_across_blocks),
	cmocka_unit_test(test_file_004_unknown_handler),
	cmocka_unit_test(test_flb_004_count),
	cmocka_unit_test(test_memfd_006_seals),
	cmocka_unit_test(test_kmap_002_session_block),
	cmocka_unit_test(test_kmap_002_file_block),
	cmocka_unit_test(test_kmap_002_luo_ser),
	cmocka_unit_test(test_img_003_truncated_session_chain),
	cmocka_unit_test(test_img_003_truncated_file_chain),
	cmocka_unit_test(test_mem_002_shared_file_block),
	cmocka_unit_test(test_mem_002_file_block_is_session_block),
	cmocka_unit_test(test_cycle_after_tail),
	cmocka_unit_test(test_long_ring),
	cmocka_unit_test(test_count_all_ones),
	cmocka_unit_test(test_next_wraps),
	cmocka_unit_test(test_luo_ser_absent),
	cmocka_unit_test(test_random_block_damage),
	cmocka_unit_test(test_v72_state_as_v71),
	cmocka_unit_test(test_v71_state_as_v72),
	cmocka_unit_test(test_detect_unknown_version),
};
const size_t tc_v72_n = sizeof(tc_v72_tests) / sizeof(tc_v72_tests[0]);
