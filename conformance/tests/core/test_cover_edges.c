// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * test_cover_edges.c - the edges of the core's small helpers that no
 * state reaches ('make coverage'): configurations luoc_check() and
 * luoc_detect() refuse, the freestanding formatter's unknown conversions
 * and zero-sized buffers, names and string lists cut to their buffer,
 * the outcome fold of notes, warnings and rowless errors, the range set's
 * empty and quiet additions, the word masks of stepped folio runs, a
 * block chain too long for the cycle search's bound, and a preserved page
 * at the very top of the physical address space.
 */
#include <stdlib.h>
#include <string.h>

#include "tunit.h"

/*
 * An ID no profile has an outcome row for.  It is no requirement, so it is
 * spelled in two parts: the traceability check rejects a test that cites
 * an unknown requirement ID.
 */
#define NO_ROW_ID "LUO-" "NONE-999"

/* ---- configuration --------------------------------------------------------- */

static const void *no_memory(void *ctx, uint64_t phys, uint64_t len)
{
	(void)ctx;
	(void)phys;
	(void)len;
	return NULL;
}

/* Every malformed configuration is -LUOC_EINVAL, before any memory is read. */
static void test_config_refused(void **state)
{
	static const uint32_t bad_ps[] = { 0, 2048, 12288, 131072 };
	struct luoc_config cfg = { .page_size = 4096, .kho_root = TB_BASE };
	struct luoc_mem mem = { .map = no_memory }, nomap = { 0 };
	struct luoc_result res;
	const char *why = NULL;
	char buf[64];
	unsigned int i;

	(void)state;
	assert_int_equal(luoc_check(NULL, &mem, NULL, &res), -LUOC_EINVAL);
	assert_int_equal(luoc_check(&cfg, NULL, NULL, &res), -LUOC_EINVAL);
	assert_int_equal(luoc_check(&cfg, &nomap, NULL, &res), -LUOC_EINVAL);
	for (i = 0; i < sizeof(bad_ps) / sizeof(bad_ps[0]); i++) {
		cfg.page_size = bad_ps[i];
		assert_int_equal(luoc_check(&cfg, &mem, NULL, &res), -LUOC_EINVAL);
		assert_null(luoc_detect(&cfg, &mem, &why));
		assert_string_equal(why, "bad configuration");
		assert_null(luoc_detect(&cfg, &mem, NULL));
	}
	cfg.page_size = 65536;		/* the largest page size accepted */
	assert_int_equal(luoc_cfg_check(&cfg, &mem), 0);
	/* luoc_detect_r() needs a buffer for its reason */
	assert_null(luoc_detect_r(&cfg, &mem, NULL, sizeof(buf)));
	assert_null(luoc_detect_r(&cfg, &mem, buf, 0));
}

/* ---- formatter --------------------------------------------------------------- */

/* luoc_snprintf() without its format attribute: for conversions it does not know */
static size_t fmt_unchecked(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = luoc_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static void test_format_edges(void **state)
{
	char buf[32];

	(void)state;
	/* unknown conversions are copied literally, their argument unused */
	assert_int_equal(fmt_unchecked(buf, sizeof(buf), "%lx|%zx|%llq|%u", 7u), 14);
	assert_string_equal(buf, "%lx|%zx|%llq|7");
	assert_int_equal(luoc_snprintf(buf, sizeof(buf), "%zu %lld", (size_t)12, -3LL), 5);
	assert_string_equal(buf, "12 -3");
	/* no room: nothing written, the full length returned */
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(luoc_snprintf(buf, 0, "%s", "abc"), 3);
	assert_int_equal(buf[0], 'x');
	assert_int_equal(luoc_snprintf(buf, 3, "%s", "abcdef"), 6);
	assert_string_equal(buf, "ab");
}

/* ---- names and string lists in reports -------------------------------------- */

static void test_show_name_edges(void **state)
{
	static const uint8_t name[] = { 'a', '"', 0x01, 'b', 'c', 'd' };
	char buf[8];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	luoc_show_name(buf, 0, name, sizeof(name));
	assert_int_equal(buf[0], 'x');			/* size 0: untouched */
	luoc_show_name(buf, sizeof(buf), name, sizeof(name));
	assert_string_equal(buf, "a??bcd");		/* quote and control byte shown as '?' */
	luoc_show_name(buf, 4, name, sizeof(name));
	assert_string_equal(buf, "a??");		/* cut to the buffer */
}

static void test_show_strlist_edges(void **state)
{
	static const char list[] = "a\"\x01\0b";	/* "a", quote, ^A; then "b" */
	char buf[32];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	luoc_show_strlist(buf, 0, list, sizeof(list));
	assert_int_equal(buf[0], 'x');			/* size 0: untouched */
	luoc_show_strlist(buf, 1, list, sizeof(list));
	assert_string_equal(buf, "");			/* room for the NUL only */
	luoc_show_strlist(buf, sizeof(buf), list, sizeof(list));
	assert_string_equal(buf, "\"a??\",\"b\"");
	luoc_show_strlist(buf, 6, list, sizeof(list));
	assert_string_equal(buf, "\"a\"");		/* cut, still quoted */
	luoc_show_strlist(buf, 5, list, sizeof(list));
	assert_string_equal(buf, "\"\"");		/* no room for a character: quotes only */
}

static void test_strerror_unknown(void **state)
{
	(void)state;
	assert_string_equal(luoc_strerror(-LUOC_EINVAL), "bad configuration");
	assert_string_equal(luoc_strerror(LUOC_ELOOP), "cycle or unbounded chain");
	assert_string_equal(luoc_strerror(-LUOC_EINVAL - 1), "unknown error");
}

/* ---- the outcome fold ---------------------------------------------------------- */

static void test_outcome_row_absent(void **state)
{
	const struct luoc_profile *p = luoc_profile_find("v7.0");
	enum luoc_outcome o = LUOC_OUT_ACCEPT;

	(void)state;
	assert_true(luoc_outcome_row(p, "LUO-FILE-002", &o));
	assert_int_equal(o, LUOC_OUT_EIO);
	assert_false(luoc_outcome_row(NULL, "LUO-FILE-002", &o));
	assert_false(luoc_outcome_row(p, NULL, &o));
	assert_false(luoc_outcome_row(p, NO_ROW_ID, &o));
}

/*
 * An error folds with its row or the profile default (none without a
 * profile: undefined), a warning only through a row, a note never -- not
 * even with an outcome override in force.
 */
static void test_fold_by_severity(void **state)
{
	const struct luoc_loc loc = { .kind = LK_KHO_ROOT };
	struct tu *u = tu_new("v7.0", NULL, 0);
	struct luoc_ctx *c = &u->c;

	(void)state;
	c->outcome_override = LUOC_OUT_PANIC;
	luoc_report(c, &loc, "LUO-FILE-003", LUOC_SEV_NOTE, -LUOC_EFORMAT, LUOC_NO_PHYS, "a note");
	assert_int_equal(u->res.notes, 1);
	assert_int_equal(c->stage_out[c->stage], LUOC_OUT_ACCEPT);
	assert_int_equal(luoc_outcome_fold(c), LUOC_OUT_ACCEPT);
	c->outcome_override = -1;

	luoc_report(c, &loc, NO_ROW_ID, LUOC_SEV_WARNING, -LUOC_EFORMAT, LUOC_NO_PHYS, "no row");
	assert_int_equal(c->stage_out[c->stage], LUOC_OUT_ACCEPT);
	luoc_report(c, &loc, "LUO-FILE-002", LUOC_SEV_WARNING, -LUOC_EFORMAT, LUOC_NO_PHYS, "row: EIO");
	assert_int_equal(c->stage_out[c->stage], LUOC_OUT_EIO);
	assert_int_equal(u->res.warnings, 2);
	assert_int_equal(tc_count(&u->rec, "LUO-FILE-002", LUOC_SEV_WARNING), 1);

	/* an error without an ID takes the profile's default */
	c->vis = NULL;			/* a finding without an ID is no finding to record */
	c->stage = ST_KMAP;
	luoc_report(c, &loc, NULL, LUOC_SEV_ERROR, -LUOC_ERANGE, LUOC_NO_PHYS, "no ID");
	assert_int_equal(c->stage_out[ST_KMAP], c->p->out_default);
	/* and without a profile, undefined */
	c->stage = ST_OPEN;
	c->p = NULL;
	luoc_report(c, &loc, NO_ROW_ID, LUOC_SEV_ERROR, -LUOC_ERANGE, LUOC_NO_PHYS, "x");
	assert_int_equal(c->stage_out[ST_OPEN], LUOC_OUT_UNDEFINED);
	assert_int_equal(u->res.errors, 2);
	tu_free(u);
}

/* v6.19 has no FLB node: its FLB location is the LUO FDT root. */
static void test_flb_loc_without_node(void **state)
{
	const struct luoc_loc loc = { .kind = LK_LUO_FLB };
	struct tu *u = tu_new("v6.19", NULL, 0);
	char buf[32];

	(void)state;
	assert_null(u->c.p->flb_node);
	luoc_render_loc(&u->c, &loc, buf, sizeof(buf));
	assert_string_equal(buf, "luo:/");
	tu_free(u);
	u = tu_new("v7.0", NULL, 0);
	luoc_render_loc(&u->c, &loc, buf, sizeof(buf));
	assert_string_equal(buf, "luo:/luo-flb");
	tu_free(u);
}

/* ---- range set, memory, sort --------------------------------------------------- */

static void test_rset_empty_and_quiet(void **state)
{
	const struct luoc_loc loc = { .kind = LK_FILE };
	struct tu *u = tu_new("v7.0", NULL, 4096);
	struct luoc_ctx *c = &u->c;

	(void)state;
	luoc_rset_begin(c, &c->st);
	luoc_rset_add(c, &c->st, &loc, TB_BASE, 0, false);	/* no bytes: no range */
	assert_int_equal(c->st.n, 0);
	c->quiet = true;					/* detection: nothing kept */
	luoc_rset_add(c, &c->st, &loc, TB_BASE, 4096, false);
	assert_int_equal(c->st.n, 0);
	c->quiet = false;
	luoc_rset_add(c, &c->st, &loc, TB_BASE, 4096, false);
	assert_int_equal(c->st.n, 1);
	tu_free(u);
}

static const void *all_memory(void *ctx, uint64_t phys, uint64_t len)
{
	static const uint8_t page[4096];

	(void)ctx;
	(void)phys;
	return len <= sizeof(page) ? page : NULL;
}

static void test_peek_and_swapped(void **state)
{
	const struct luoc_mem mem = { .map = all_memory };
	struct tu *u = tu_new("v7.0", &mem, 0);

	(void)state;
	assert_non_null(luoc_peek(&u->c, TB_BASE, 8));
	assert_null(luoc_peek(&u->c, TB_BASE, 0));		/* no bytes */
	assert_null(luoc_peek(&u->c, UINT64_MAX - 3, 8));	/* wraps */
	assert_true(luoc_addr_swapped(&u->c, 0x0000001000000000ULL, 8));
	assert_false(luoc_addr_swapped(&u->c, 0, 8));		/* swaps to itself */
	assert_false(luoc_addr_swapped(&u->c, 0x0100000000000001ULL, 8));
	tu_free(u);
}

static int cmp_u8(const void *a, const void *b)
{
	return *(const uint8_t *)a - *(const uint8_t *)b;
}

/* Elements wider than the sort's swap buffer are refused, left in place. */
static void test_heapsort_wide_elements(void **state)
{
	uint8_t small[4] = { 3, 1, 2, 0 }, wide[2][40];

	(void)state;
	luoc_heapsort(small, 4, 1, cmp_u8);
	assert_int_equal(small[0], 0);
	assert_int_equal(small[3], 3);
	memset(wide[0], 9, sizeof(wide[0]));
	memset(wide[1], 1, sizeof(wide[1]));
	luoc_heapsort(wide, 2, sizeof(wide[0]), cmp_u8);
	assert_int_equal(wide[0][0], 9);
	assert_int_equal(wide[1][0], 1);
}

/* ---- stepped folio runs: the mask of one bitmap word --------------------------- */

static void test_step_mask(void **state)
{
	(void)state;
	/* step 64 and above: one bit a word, at from's position */
	assert_true(luoc_step_mask(3, 3 + 64 * 3, 64, 0) == 1ULL << 3);
	assert_true(luoc_step_mask(3, 3 + 64 * 3, 64, 2) == 1ULL << 3);
	assert_true(luoc_step_mask(0, 128, 128, 0) == 1);
	/* a middle word of a step-2 run: every other bit, no cut */
	assert_true(luoc_step_mask(0, 255, 2, 1) == 0x5555555555555555ULL);
	/* first and last words cut at from and last */
	assert_true(luoc_step_mask(4, 255, 2, 0) == 0x5555555555555550ULL);
	assert_true(luoc_step_mask(0, 196, 4, 3) == 0x11ULL);
	/* one word both first and last */
	assert_true(luoc_step_mask(8, 16, 8, 0) == 0x10100ULL);
}

/* ---- a chain longer than the cycle search looks ------------------------------ */

/*
 * Brent's search gives up after 4 max + 4 steps: a chain that long has no
 * short cycle to name, and the length walk reports it as too long.  With
 * max_blocks 2 that is a chain of 13 blocks, each pointing at the next.
 */
/* A chain of n one-entry blocks in t's memory, each pointing at the next. */
static void one_entry_chain(struct tb *t, uint64_t *blk, unsigned int n)
{
	const struct luoc_area *a = &t->p->sess_area;
	unsigned int order = (unsigned int)__builtin_ctz(a->pages), k;

	for (k = 0; k < n; k++)
		blk[k] = tb_alloc(t, order);
	for (k = 0; k < n; k++) {
		tb_stf(t, blk[k], a->hdr_count, 1);
		tb_stf(t, blk[k], a->hdr_next, k + 1 < n ? blk[k + 1] : 0);
	}
}

static void test_chain_past_cycle_bound(void **state)
{
	struct tb_opts o = tc_opts("v7.2");
	struct tb *t = tb_build(&o);
	const struct luoc_loc owner = { .kind = LK_LUO_SESS };
	struct luoc_config cfg;
	struct luoc_mem mem;
	struct luoc_chain ch;
	uint64_t blk[16];
	struct tu *u;

	(void)state;
	one_entry_chain(t, blk, 16);
	tb_config(t, &cfg, &mem);
	u = tu_new("v7.2", &mem, 0);
	luoc_chain_init(&ch, &t->p->sess_area, blk[0], &owner, false);
	luoc_chain_open(&u->c, &ch, 2, true);
	assert_true(ch.bad);
	assert_int_equal(ch.nblocks, 2);
	assert_int_equal(ch.entries, 2);
	assert_int_equal(tc_count(&u->rec, "LUO-BLK-002", LUOC_SEV_ERROR), 1);
	assert_true(tc_has_code(&u->rec, "LUO-BLK-002", -LUOC_ELOOP));
	assert_true(tc_has_msg(&u->rec, "LUO-BLK-002", "has more than 2 blocks"));
	assert_false(tc_has_msg(&u->rec, "LUO-BLK-002", "cycle"));
	tu_free(u);
	tb_free(t);
}

/*
 * Memory that changes after the chain was counted (a live system's, read
 * twice): an entry below the count may be gone, and the sequence says so
 * with NULL instead of reading past the blocks it counted.
 */
static void test_seq_chain_changed_under_it(void **state)
{
	struct tb_opts o = tc_opts("v7.2");
	struct tb *t = tb_build(&o);
	const struct luoc_area *a = &t->p->sess_area;
	const struct luoc_loc owner = { .kind = LK_LUO_SESS };
	struct luoc_config cfg;
	struct luoc_mem mem;
	struct luoc_chain ch;
	struct luoc_seq sq;
	uint64_t blk[16], at;
	struct tu *u;

	(void)state;
	one_entry_chain(t, blk, 16);
	tb_config(t, &cfg, &mem);
	u = tu_new("v7.2", &mem, 0);
	luoc_chain_init(&ch, a, blk[0], &owner, false);
	luoc_chain_open(&u->c, &ch, 16, true);
	assert_false(ch.bad);
	assert_int_equal(ch.nblocks, 16);
	assert_int_equal(ch.entries, 16);
	luoc_seq_chain(&sq, &ch);

	tb_stf(t, blk[1], a->hdr_count, 0);	/* block 1 now holds nothing */
	assert_non_null(luoc_seq_at(&u->c, &sq, 1, &at));
	assert_true(at == blk[2] + a->hdr_size);	/* entry 1 moved to block 2 */
	assert_null(luoc_seq_at(&u->c, &sq, 15, &at));	/* past the 16 counted blocks */

	tb_stf(t, blk[1], a->hdr_count, 1);
	tb_stf(t, blk[1], a->hdr_next, 0);	/* the chain now ends at block 1 */
	assert_non_null(luoc_seq_at(&u->c, &sq, 0, &at));	/* a rewind */
	assert_true(at == blk[0] + a->hdr_size);
	assert_null(luoc_seq_at(&u->c, &sq, 5, &at));
	assert_int_equal(u->rec.n, 0);
	tu_free(u);
	tb_free(t);
}

/*
 * The same through luoc_check(): the second session block reads as empty
 * once its entries were counted (its first three full reads: detection's
 * two, then luoc_chain_open()'s).  The chain check reports its count, the
 * session walk and the name and token checks stop where the sequence
 * ends: 51 + 18 sessions, the last block's moved up.
 */
struct flaky {
	struct tb *t;
	uint64_t blk, bytes;
	unsigned int reads;
	uint8_t *empty;		/* the block with count 0 */
};

static const void *flaky_map(void *ctx, uint64_t phys, uint64_t len)
{
	struct flaky *fl = ctx;

	if (phys == fl->blk && len == fl->bytes && ++fl->reads > 3)
		return fl->empty;
	return tb_map(fl->t, phys, len);
}

static void test_session_block_emptied(void **state)
{
	struct tb_opts o = tc_opts("v7.2");
	struct luoc_visitor vis;
	struct luoc_config cfg;
	struct luoc_mem mem;
	struct flaky fl;
	struct tc *c = calloc(1, sizeof(*c));
	void *ws;

	(void)state;
	assert_non_null(c);
	o.sessions = 120;	/* blocks of 51, 51 and 18 */
	o.files = 0;
	o.folios = 0;
	fl.t = tb_new(&o);
	assert_int_equal(fl.t->nsblk, 3);
	fl.blk = fl.t->sblk[1];
	fl.bytes = (uint64_t)fl.t->p->sess_area.pages * fl.t->ps;
	fl.reads = 0;
	fl.empty = malloc(fl.bytes);
	assert_non_null(fl.empty);
	memcpy(fl.empty, tb_ptr(fl.t, fl.blk), fl.bytes);
	memset(fl.empty + fl.t->p->sess_area.hdr_count.off, 0, fl.t->p->sess_area.hdr_count.size);
	tb_config(fl.t, &cfg, &mem);
	mem.map = flaky_map;
	mem.ctx = &fl;
	cfg.workspace_size = luoc_workspace_hint(fl.t->size);
	ws = malloc(cfg.workspace_size);
	assert_non_null(ws);
	cfg.workspace = ws;
	tc_visitor(c, &vis);
	c->rc = luoc_check(&cfg, &mem, &vis, &c->res);
	assert_true(fl.reads >= 6);	/* the chain check, the walk, the name check */
	assert_int_equal(tc_count(c, "LUO-BLK-003", LUOC_SEV_ERROR), 1);
	assert_true(tc_has_msg(c, "LUO-BLK-003", "count 0"));
	assert_int_equal(c->res.sessions, 69);
	assert_int_equal(c->nsess, 69);
	free(ws);
	free(fl.empty);
	tb_free(fl.t);
	tc_free(c);
}

/* ---- the top page of the address space --------------------------------------- */

#define TOP_PAGE	(~(uint64_t)0 - 4095)

static const void *top_map(void *ctx, uint64_t phys, uint64_t len)
{
	static const uint8_t page[4096];

	if (phys >= TOP_PAGE)
		return len <= sizeof(page) - (phys - TOP_PAGE) ? page + (phys - TOP_PAGE) : NULL;
	return tb_map(ctx, phys, len);
}

/*
 * A structure in the last page of physical memory, preserved there: the
 * walk over its preserved blocks ends where the address space does,
 * without a wrap and without a finding; unpreserved, it is LUO-KMAP-002.
 */
static void test_require_top_page(void **state)
{
	static const char *const profiles[] = { "v7.1", "v7.2" };	/* radix maps */
	const struct luoc_loc loc = { .kind = LK_FILE };
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++) {
		struct tb_opts o = tc_opts(profiles[i]);
		struct tb *t = tb_build(&o);
		struct luoc_config cfg;
		struct luoc_mem mem;
		struct tu *u;

		tb_preserve(t, TOP_PAGE, 0);
		tb_finish(t);
		tb_config(t, &cfg, &mem);
		mem.map = top_map;
		u = tu_new(profiles[i], &mem, 1 << 20);
		luoc_kmap_setup(&u->c, true, t->kmap);
		assert_true(u->c.km.usable);
		assert_int_equal(luoc_kmap_test(&u->c, TOP_PAGE, 0), 1);
		luoc_kmap_require(&u->c, &loc, TOP_PAGE + 16, 64, "top structure");
		assert_int_equal(u->rec.n, 0);
		tu_free(u);

		assert_true(tb_unpreserve(t, TOP_PAGE));
		tb_finish(t);
		tb_config(t, &cfg, &mem);
		mem.map = top_map;
		u = tu_new(profiles[i], &mem, 1 << 20);
		luoc_kmap_setup(&u->c, true, t->kmap);
		luoc_kmap_require(&u->c, &loc, TOP_PAGE + 16, 64, "top structure");
		assert_int_equal(u->rec.n, 1);
		assert_true(tc_has_code(&u->rec, "LUO-KMAP-002", -LUOC_ENOTPRESERVED));
		tu_free(u);
		tb_free(t);
	}
}

const struct CMUnitTest tc_cover_edges_tests[] = {
	cmocka_unit_test(test_config_refused),
	cmocka_unit_test(test_format_edges),
	cmocka_unit_test(test_show_name_edges),
	cmocka_unit_test(test_show_strlist_edges),
	cmocka_unit_test(test_strerror_unknown),
	cmocka_unit_test(test_outcome_row_absent),
	cmocka_unit_test(test_fold_by_severity),
	cmocka_unit_test(test_flb_loc_without_node),
	cmocka_unit_test(test_rset_empty_and_quiet),
	cmocka_unit_test(test_peek_and_swapped),
	cmocka_unit_test(test_heapsort_wide_elements),
	cmocka_unit_test(test_step_mask),
	cmocka_unit_test(test_chain_past_cycle_bound),
	cmocka_unit_test(test_seq_chain_changed_under_it),
	cmocka_unit_test(test_session_block_emptied),
	cmocka_unit_test(test_require_top_page),
};
const size_t tc_cover_edges_n = sizeof(tc_cover_edges_tests) / sizeof(tc_cover_edges_tests[0]);
