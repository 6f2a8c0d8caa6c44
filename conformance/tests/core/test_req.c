// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * test_req.c - one mutation per requirement: a valid state with one thing
 * changed must give exactly that requirement's finding and nothing else
 * (NOTEs aside, which some defects add on purpose).
 */
#include <stdio.h>
#include <string.h>
#include <libfdt.h>

#include "tcore.h"

/* Run, assert only 'req', free everything. */
static void expect_only(struct tb *t, const char *req)
{
	struct tc *c = tc_run(t);

	tc_assert_only(c, req);
	tc_free(c);
	tb_free(t);
}

static void expect_only_sev(struct tb *t, const char *req, enum luoc_severity sev)
{
	struct tc *c = tc_run(t);

	tc_assert_only_sev(c, req, sev);
	tc_free(c);
	tb_free(t);
}

static void *luo_edit(struct tb *t) { return tb_fdt_edit(t, t->luo_fdt); }
static void luo_done(struct tb *t) { tb_fdt_done(t, t->luo_fdt); }
static void *root_edit(struct tb *t) { return tb_fdt_edit(t, t->kho_root); }
static void root_done(struct tb *t) { tb_fdt_done(t, t->kho_root); }

static int sub(struct tb *t, void *fdt, const char *name)
{
	int n = fdt_subnode_offset(fdt, 0, name);

	assert_true(n >= 0);
	(void)t;
	return n;
}

static const char compat_list_luo[] = "foo\0luo-v1";

/* ---- IMG ------------------------------------------------------------------ */

static void test_img_003_file_array_absent(void **s)
{
	struct tb *t = tc_state("v7.0");

	(void)s;
	tb_stf(t, tb_session(t, 1), t->p->sess_files, TB_BASE + t->size + 0x100000);
	expect_only(t, "LUO-IMG-003");
}

static void test_img_003_folio_absent(void **s)
{
	struct tb *t = tc_state("v7.1");
	const struct luoc_memfd_desc *md = t->p->memfd;
	uint64_t e = tb_folio_ent(t, 0, 1, 2);
	uint64_t pfn = (TB_BASE + t->size + 0x200000) / t->ps;

	(void)s;
	tb_stf(t, e, md->folio_desc, (pfn << md->folio_pfn.lsb) | (3ULL << md->folio_flags.lsb));
	expect_only(t, "LUO-IMG-003");
}

/* ---- KHO ------------------------------------------------------------------ */

static void test_kho_001_bad_magic(void **s)
{
	struct tb *t = tc_state("v7.0");
	struct tc *c;

	(void)s;
	((uint8_t *)tb_ptr(t, t->kho_root))[0] ^= 0xff;
	c = tc_run(t);
	tc_assert_only(c, "LUO-KHO-001");
	assert_int_equal(c->res.outcome, LUOC_OUT_FRESH_START);
	tc_free(c);
	tb_free(t);
}

static void test_kho_001_root_absent(void **s)
{
	struct tb *t = tc_state("v6.19");

	(void)s;
	t->kho_root = TB_BASE + t->size;
	expect_only(t, "LUO-KHO-001");
}

static void test_kho_002_compat_list(void **s)
{
	static const char list[] = "foo\0kho-v1";
	struct tb *t = tc_state("v7.0");
	void *fdt = root_edit(t);
	struct tc *c;

	(void)s;
	assert_int_equal(fdt_setprop(fdt, 0, "compatible", list, sizeof(list)), 0);
	root_done(t);
	c = tc_run(t);
	tc_assert_only(c, "LUO-KHO-002");
	assert_int_equal(tc_count(c, "LUO-KHO-002", LUOC_SEV_NOTE), 1);
	assert_non_null(strstr(c->f[1].msg, "accept"));
	assert_int_equal(c->res.outcome, LUOC_OUT_ACCEPT);
	tc_free(c);
	tb_free(t);
}

static void test_kho_002_wrong_version(void **s)
{
	struct tb *t = tc_state("v7.1");
	void *fdt = root_edit(t);
	struct tc *c;

	(void)s;
	assert_int_equal(fdt_setprop_string(fdt, 0, "compatible", "kho-v1"), 0);
	root_done(t);
	c = tc_run(t);
	tc_assert_only(c, "LUO-KHO-002");
	assert_int_equal(tc_count(c, "LUO-KHO-002", LUOC_SEV_NOTE), 1);
	assert_int_equal(c->res.outcome, LUOC_OUT_FRESH_START);
	tc_free(c);
	tb_free(t);
}

static void test_kho_003_map_size(void **s)
{
	struct tb *t = tc_state("v7.0");
	void *fdt = root_edit(t);
	uint32_t v = 1;

	(void)s;
	assert_int_equal(fdt_setprop(fdt, 0, t->p->kho_map_prop, &v, 4), 0);
	root_done(t);
	expect_only(t, "LUO-KHO-003");
}

static void test_kho_004_zero(void **s)
{
	struct tb *t = tc_state("v7.1");
	void *fdt = root_edit(t);

	(void)s;
	assert_int_equal(tb_fdt_setu64(t, fdt, sub(t, fdt, "LUO"), t->p->kho_sub_addr_prop, 0), 0);
	root_done(t);
	expect_only(t, "LUO-KHO-004");
}

static void test_kho_004_wrong_prop(void **s)
{
	struct tb *t = tc_state("v7.0");
	void *fdt = root_edit(t);
	int n = sub(t, fdt, "LUO");

	(void)s;
	/* kho-v3's property name on a kho-v1 root */
	assert_int_equal(fdt_delprop(fdt, n, "fdt"), 0);
	assert_int_equal(tb_fdt_setu64(t, fdt, n, "preserved-data", t->luo_fdt), 0);
	root_done(t);
	expect_only(t, "LUO-KHO-004");
}

static void test_kho_004_no_subnode_is_note(void **s)
{
	struct tb *t = tc_state("v7.0");
	void *fdt = root_edit(t);
	struct tc *c;

	(void)s;
	assert_int_equal(fdt_del_node(fdt, sub(t, fdt, "LUO")), 0);
	root_done(t);
	c = tc_run(t);
	tc_assert_clean(c);
	assert_int_equal(tc_count(c, "LUO-KHO-004", LUOC_SEV_NOTE), 1);
	assert_int_equal(c->res.outcome, LUOC_OUT_ACCEPT);
	tc_free(c);
	tb_free(t);
}

static void test_kho_005_blob_size(void **s)
{
	struct tb *t = tc_state("v7.1");
	void *fdt = root_edit(t);

	(void)s;
	assert_int_equal(tb_fdt_setu64(t, fdt, sub(t, fdt, "LUO"), "blob-size", 4096), 0);
	root_done(t);
	expect_only(t, "LUO-KHO-005");
}

static void test_kho_005_missing(void **s)
{
	struct tb *t = tc_state("v7.1");
	void *fdt = root_edit(t);

	(void)s;
	assert_int_equal(fdt_delprop(fdt, sub(t, fdt, "LUO"), "blob-size"), 0);
	root_done(t);
	expect_only(t, "LUO-KHO-005");
}

/* ---- KMAP ----------------------------------------------------------------- */

static void test_kmap_001_num_elms(void **s)
{
	struct tb *t = tc_state("v7.0");

	(void)s;
	tb_stf(t, t->kmap, t->p->chunk_num_elms, 300);
	expect_only(t, "LUO-KMAP-001");
}

static void test_kmap_001_order(void **s)
{
	struct tb *t = tc_state("v6.19");
	struct tc *c;

	(void)s;
	/* the first chunk holds order 0: claim order 11 */
	tb_stf(t, t->kmap, t->p->chunk_order, 11);
	c = tc_run(t);
	/* its preservations are gone, so KMAP-002 follows: both are expected */
	assert_true(tc_count(c, "LUO-KMAP-001", LUOC_SEV_ERROR) >= 1);
	assert_int_equal(c->res.errors, tc_count(c, "LUO-KMAP-001", LUOC_SEV_ERROR) +
					tc_count(c, "LUO-KMAP-002", LUOC_SEV_ERROR));
	tc_free(c);
	tb_free(t);
}

static void test_kmap_001_radix_key_bits(void **s)
{
	struct tb *t = tc_state("v7.1");

	(void)s;
	/* root entry 511 covers key bits far above the order-0 bit */
	tb_st(t, t->kmap + 511 * 8, tb_alloc(t, 0), 8);
	expect_only(t, "LUO-KMAP-001");
}

static void test_kmap_002_session_area(void **s)
{
	struct tb *t = tb_build(&(struct tb_opts){ .profile = "v7.0", .sessions = 2, .files = 1,
						   .folios = 1, .flbs = 1 });
	struct tc *c;

	(void)s;
	assert_true(tb_unpreserve(t, t->sess_area));
	tb_finish(t);
	c = tc_run(t);
	tc_assert_only(c, "LUO-KMAP-002");
	assert_int_equal(c->res.outcome, LUOC_OUT_UNDEFINED);
	tc_free(c);
	tb_free(t);
}

static void test_kmap_002_folio(void **s)
{
	struct tb *t = tb_build(&(struct tb_opts){ .profile = "v7.1", .sessions = 1, .files = 1,
						   .folios = 3, .flbs = 1 });

	(void)s;
	assert_true(tb_unpreserve(t, t->folio[0][0][1]));
	tb_finish(t);
	expect_only(t, "LUO-KMAP-002");
}

static void test_kmap_002_flb_page(void **s)
{
	struct tb *t = tb_build(&(struct tb_opts){ .profile = "v7.0", .sessions = 1, .files = 1,
						   .folios = 1, .flbs = 1 });

	(void)s;
	assert_true(tb_unpreserve(t, t->flb_page));
	tb_finish(t);
	expect_only(t, "LUO-KMAP-002");
}

/* A folio whose page lies inside a bigger preserved block, not its own. */
static void kmap_003(const char *profile)
{
	struct tb *t = tb_build(&(struct tb_opts){ .profile = profile, .sessions = 1, .files = 1,
						   .folios = 2, .flbs = 1 });
	uint64_t a = t->folio[0][0][0], b = t->folio[0][0][1];
	uint64_t odd = (a / t->ps) & 1 ? a : b;

	assert_int_equal(b, a + t->ps);
	assert_true(tb_unpreserve(t, odd));
	tb_preserve(t, odd - t->ps, 1);
	tb_finish(t);
	expect_only(t, "LUO-KMAP-003");
}

static void test_kmap_003_v7_0(void **s) { (void)s; kmap_003("v7.0"); }
static void test_kmap_003_v7_1(void **s) { (void)s; kmap_003("v7.1"); }

/* ---- FDT ------------------------------------------------------------------ */

static void test_fdt_001_totalsize(void **s)
{
	struct tb *t = tc_state("v7.0");
	struct fdt_header *h = tb_ptr(t, t->luo_fdt);

	(void)s;
	h->totalsize = cpu_to_fdt32(t->ps + 8);
	expect_only(t, "LUO-FDT-001");
}

static void test_fdt_001_bad_tag(void **s)
{
	struct tb *t = tc_state("v6.19");
	uint8_t *fdt = tb_ptr(t, t->luo_fdt);
	fdt32_t bad = cpu_to_fdt32(0x77);

	(void)s;
	/* the tag after the root's FDT_BEGIN_NODE and empty name */
	memcpy(fdt + fdt_off_dt_struct(fdt) + 8, &bad, 4);
	expect_only(t, "LUO-FDT-001");
}

static void test_fdt_001_version(void **s)
{
	struct tb *t = tc_state("series-v6");
	struct fdt_header *h = tb_ptr(t, t->luo_fdt);

	(void)s;
	h->version = cpu_to_fdt32(16);
	expect_only(t, "LUO-FDT-001");
}

static void test_fdt_002_list(void **s)
{
	struct tb *t = tc_state("v7.1");
	void *fdt = luo_edit(t);
	struct tc *c;
	unsigned int i;

	(void)s;
	assert_int_equal(fdt_setprop(fdt, 0, "compatible", compat_list_luo, sizeof(compat_list_luo)), 0);
	luo_done(t);
	c = tc_run(t);
	tc_assert_only(c, "LUO-FDT-002");
	assert_int_equal(tc_count(c, "LUO-FDT-002", LUOC_SEV_NOTE), 1);
	for (i = 0; i < c->n; i++)
		if (c->f[i].sev == LUOC_SEV_NOTE)
			assert_non_null(strstr(c->f[i].msg, "would accept"));
	/* non-conformant, but the list-matching kernel carries on */
	assert_int_equal(c->res.outcome, LUOC_OUT_ACCEPT);
	tc_free(c);
	tb_free(t);
}

static void test_fdt_002_wrong(void **s)
{
	struct tb *t = tc_state("series-v6");
	void *fdt = luo_edit(t);
	struct tc *c;

	(void)s;
	assert_int_equal(fdt_setprop_string(fdt, 0, "compatible", "luo-v2"), 0);
	luo_done(t);
	c = tc_run(t);
	tc_assert_only(c, "LUO-FDT-002");
	assert_int_equal(c->res.outcome, LUOC_OUT_ENOENT);
	tc_free(c);
	tb_free(t);
}

static void test_fdt_003_zero(void **s)
{
	struct tb *t = tc_state("v7.0");
	void *fdt = luo_edit(t);

	(void)s;
	assert_int_equal(tb_fdt_setu64(t, fdt, 0, t->p->luo_num_prop, 0), 0);
	luo_done(t);
	expect_only(t, "LUO-FDT-003");
}

static void test_fdt_003_size(void **s)
{
	struct tb *t = tc_state("v6.19");
	void *fdt = luo_edit(t);

	(void)s;
	assert_int_equal(fdt_setprop_u32(fdt, 0, t->p->luo_num_prop, 1), 0);
	luo_done(t);
	expect_only(t, "LUO-FDT-003");
}

static void test_fdt_003_missing(void **s)
{
	struct tb *t = tc_state("v7.1");
	void *fdt = luo_edit(t);

	(void)s;
	assert_int_equal(fdt_delprop(fdt, 0, t->p->luo_num_prop), 0);
	luo_done(t);
	expect_only(t, "LUO-FDT-003");
}

static void test_fdt_004_header_swapped(void **s)
{
	struct tb *t = tc_state("v7.0");
	void *fdt = luo_edit(t);
	struct tc *c;

	(void)s;
	assert_int_equal(tb_fdt_setu64(t, fdt, sub(t, fdt, t->p->sess_node), t->p->sess_hdr_prop,
				       __builtin_bswap64(t->sess_area)), 0);
	luo_done(t);
	c = tc_run(t);
	tc_assert_only(c, "LUO-FDT-004");
	assert_true(tc_has_code(c, "LUO-FDT-004", -LUOC_EBYTEORDER));
	tc_free(c);
	tb_free(t);
}

static void test_fdt_004_number_swapped(void **s)
{
	struct tb *t = tc_state("v7.1");
	void *fdt = luo_edit(t);

	(void)s;
	assert_int_equal(tb_fdt_setu64(t, fdt, 0, t->p->luo_num_prop, __builtin_bswap64(1)), 0);
	luo_done(t);
	expect_only(t, "LUO-FDT-004");
}

static void test_fdt_005_extra_prop(void **s)
{
	struct tb *t = tc_state("v7.0");
	void *fdt = luo_edit(t);

	(void)s;
	assert_int_equal(fdt_setprop_u32(fdt, 0, "bogus", 1), 0);
	assert_true(fdt_add_subnode(fdt, 0, "extra") >= 0);
	luo_done(t);
	expect_only_sev(t, "LUO-FDT-005", LUOC_SEV_WARNING);
}

/* ---- SESS ----------------------------------------------------------------- */

static void test_sess_001(void **s)
{
	struct tb *t = tc_state("v7.0");
	void *fdt = luo_edit(t);
	struct tc *c;

	(void)s;
	assert_int_equal(fdt_del_node(fdt, sub(t, fdt, t->p->sess_node)), 0);
	luo_done(t);
	c = tc_run(t);
	/* the session area is still preserved, but nothing else references it */
	tc_assert_only(c, "LUO-SESS-001");
	assert_int_equal(c->res.outcome, LUOC_OUT_PANIC);
	tc_free(c);
	tb_free(t);
}

static void test_sess_002(void **s)
{
	struct tb *t = tc_state("v7.0");
	void *fdt = luo_edit(t);
	struct tc *c;

	(void)s;
	assert_int_equal(fdt_setprop_string(fdt, sub(t, fdt, t->p->sess_node), "compatible",
					    "luo-session-v1"), 0);
	luo_done(t);
	c = tc_run(t);
	tc_assert_only(c, "LUO-SESS-002");
	/* the kernel would reject it; and the area is another version's layout */
	assert_int_equal(tc_count(c, "LUO-SESS-002", LUOC_SEV_NOTE), 2);
	assert_int_equal(c->res.sessions, 0);
	tc_free(c);
	tb_free(t);
}

static void sess_hdr(const char *profile, uint64_t v, bool u32)
{
	struct tb *t = tc_state(profile);
	void *fdt = luo_edit(t);
	int n = sub(t, fdt, t->p->sess_node);

	if (u32)
		assert_int_equal(fdt_setprop_u32(fdt, n, t->p->sess_hdr_prop, 1), 0);
	else
		assert_int_equal(tb_fdt_setu64(t, fdt, n, t->p->sess_hdr_prop, v), 0);
	luo_done(t);
	expect_only(t, "LUO-SESS-003");
}

static void test_sess_003_zero(void **s) { (void)s; sess_hdr("v7.0", 0, false); }
static void test_sess_003_size(void **s) { (void)s; sess_hdr("series-v6", 0, true); }

static void test_sess_003_unaligned(void **s)
{
	struct tb *t = tb_build(&(struct tb_opts){ .profile = "v7.1", .sessions = 1, .files = 1,
						   .folios = 1, .flbs = 1 });
	uint64_t blk = tb_alloc(t, 5), area = blk + 64;
	uint64_t bytes = (uint64_t)t->p->sess_area.pages * t->ps;
	void *fdt;

	(void)s;
	/* the same session area, copied 64 bytes into a preserved bigger block */
	memcpy(tb_ptr(t, area), tb_ptr(t, t->sess_area), bytes);
	tb_preserve(t, blk, 5);
	assert_true(tb_unpreserve(t, t->sess_area));
	tb_finish(t);
	fdt = luo_edit(t);
	assert_int_equal(tb_fdt_setu64(t, fdt, sub(t, fdt, t->p->sess_node), t->p->sess_hdr_prop,
				       area), 0);
	luo_done(t);
	expect_only(t, "LUO-SESS-003");
}

static void test_sess_004(void **s)
{
	struct tb *t = tc_state("v7.0");
	const struct luoc_area *a = &t->p->sess_area;

	(void)s;
	tb_stf(t, t->sess_area, a->hdr_count, luoc_area_max(a, t->ps) + 1);
	expect_only(t, "LUO-SESS-004");
}

static void test_sess_005_no_nul(void **s)
{
	struct tb *t = tc_state("v6.19");

	(void)s;
	memset(tb_ptr(t, tb_session(t, 1) + t->p->sess_name.off), 'a', t->p->sess_name.size);
	expect_only(t, "LUO-SESS-005");
}

static void test_sess_005_empty(void **s)
{
	struct tb *t = tc_state("v7.1");

	(void)s;
	memset(tb_ptr(t, tb_session(t, 0) + t->p->sess_name.off), 0, t->p->sess_name.size);
	expect_only(t, "LUO-SESS-005");
}

static void test_sess_005_trailing(void **s)
{
	struct tb *t = tc_state("v7.0");

	(void)s;
	((uint8_t *)tb_ptr(t, tb_session(t, 0) + t->p->sess_name.off))[60] = 'x';
	expect_only_sev(t, "LUO-SESS-005", LUOC_SEV_WARNING);
}

static void test_sess_006(void **s)
{
	struct tb *t = tc_state("v7.0");
	struct tc *c;

	(void)s;
	strcpy(tb_ptr(t, tb_session(t, 1) + t->p->sess_name.off), "session-0");
	c = tc_run(t);
	tc_assert_only(c, "LUO-SESS-006");
	assert_int_equal(c->res.outcome, LUOC_OUT_EIO);
	tc_free(c);
	tb_free(t);
}

static void test_sess_007_files_without_count(void **s)
{
	struct tb *t = tc_state("v7.1");

	(void)s;
	tb_stf(t, tb_session(t, 0), t->p->sess_count, 0);
	expect_only(t, "LUO-SESS-007");
}

static void test_sess_007_count_without_files(void **s)
{
	struct tb *t = tc_state("v6.19");

	(void)s;
	tb_stf(t, tb_session(t, 1), t->p->sess_files, 0);
	expect_only(t, "LUO-SESS-007");
}

static void test_sess_008_header(void **s)
{
	struct tb *t = tc_state("series-v6");

	(void)s;
	tb_stf(t, t->sess_area, t->p->sess_area.hdr_pgcnt, 1);
	expect_only(t, "LUO-SESS-008");
}

static void test_sess_008_entry(void **s)
{
	struct tb *t = tc_state("series-v6");

	(void)s;
	tb_stf(t, tb_session(t, 1), t->p->sess_pgcnt, 1);
	expect_only(t, "LUO-SESS-008");
}

/* ---- FILE ----------------------------------------------------------------- */

static void test_file_001_count(void **s)
{
	struct tb *t = tc_state("v7.0");

	(void)s;
	tb_stf(t, tb_session(t, 0), t->p->sess_count, luoc_area_max(&t->p->file_area, t->ps) + 1);
	expect_only(t, "LUO-FILE-001");
}

static void test_file_001_unaligned(void **s)
{
	struct tb *t = tb_build(&(struct tb_opts){ .profile = "v7.0", .sessions = 1, .files = 2,
						   .folios = 1, .flbs = 1 });
	uint64_t blk = tb_alloc(t, 2), arr = blk + 64;

	(void)s;
	memcpy(tb_ptr(t, arr), tb_ptr(t, t->file_arr[0]), 2 * t->ps);
	tb_preserve(t, blk, 2);
	assert_true(tb_unpreserve(t, t->file_arr[0]));
	tb_stf(t, tb_session(t, 0), t->p->sess_files, arr);
	tb_finish(t);
	expect_only(t, "LUO-FILE-001");
}

static void test_file_002_no_nul(void **s)
{
	struct tb *t = tc_state("v7.1");

	(void)s;
	memset(tb_ptr(t, tb_file(t, 1, 0) + t->p->file_compat.off), 'x', t->p->file_compat.size);
	expect_only(t, "LUO-FILE-002");
}

static void test_file_002_empty(void **s)
{
	struct tb *t = tc_state("series-v6");

	(void)s;
	memset(tb_ptr(t, tb_file(t, 0, 1) + t->p->file_compat.off), 0, t->p->file_compat.size);
	expect_only(t, "LUO-FILE-002");
}

static void test_file_003(void **s)
{
	struct tb *t = tc_state("v7.0");

	(void)s;
	tb_stf(t, tb_file(t, 1, 1), t->p->file_token, tb_ldf(t, tb_file(t, 1, 0), t->p->file_token));
	expect_only(t, "LUO-FILE-003");
}

static void test_file_004(void **s)
{
	struct tb *t = tc_state("v7.0");

	(void)s;
	/* a v7.1 handler string in a v7.0 state */
	strcpy(tb_ptr(t, tb_file(t, 0, 0) + t->p->file_compat.off), "memfd-v2");
	{
		struct tc *c = tc_run(t);

		tc_assert_only_sev(c, "LUO-FILE-004", LUOC_SEV_WARNING);
		/* a warning, but the v7.0 kernel fails the open on it */
		assert_int_equal(c->res.errors, 0);
		assert_int_equal(c->res.outcome, LUOC_OUT_EIO);
		tc_free(c);
		tb_free(t);
	}
}

/* ---- FLB ------------------------------------------------------------------ */

static void test_flb_001(void **s)
{
	struct tb *t = tc_state("v7.1");
	void *fdt = luo_edit(t);
	struct tc *c;

	(void)s;
	assert_int_equal(fdt_del_node(fdt, sub(t, fdt, t->p->flb_node)), 0);
	luo_done(t);
	c = tc_run(t);
	tc_assert_only(c, "LUO-FLB-001");
	assert_int_equal(c->res.outcome, LUOC_OUT_PANIC);
	tc_free(c);
	tb_free(t);
}

static void test_flb_002(void **s)
{
	struct tb *t = tc_state("v7.0");
	void *fdt = luo_edit(t);

	(void)s;
	assert_int_equal(fdt_setprop_string(fdt, sub(t, fdt, t->p->flb_node), "compatible",
					    "luo-flb-v2"), 0);
	luo_done(t);
	expect_only(t, "LUO-FLB-002");
}

static void test_flb_003_zero(void **s)
{
	struct tb *t = tc_state("v7.0");
	void *fdt = luo_edit(t);

	(void)s;
	assert_int_equal(tb_fdt_setu64(t, fdt, sub(t, fdt, t->p->flb_node), t->p->flb_hdr_prop, 0), 0);
	luo_done(t);
	expect_only(t, "LUO-FLB-003");
}

static void test_flb_003_missing(void **s)
{
	struct tb *t = tc_state("v7.1");
	void *fdt = luo_edit(t);

	(void)s;
	/* the old posting's name is not the mainline one */
	assert_int_equal(fdt_delprop(fdt, sub(t, fdt, t->p->flb_node), t->p->flb_hdr_prop), 0);
	assert_int_equal(tb_fdt_setu64(t, fdt, sub(t, fdt, t->p->flb_node), "luo-flb-head",
				       t->flb_page), 0);
	luo_done(t);
	/* and the unknown property is an FDT-005 warning */
	{
		struct tc *c = tc_run(t);

		assert_true(tc_count(c, "LUO-FLB-003", LUOC_SEV_ERROR) == 1);
		assert_int_equal(c->res.errors, 1);
		assert_int_equal(tc_count(c, "LUO-FDT-005", LUOC_SEV_WARNING), c->res.warnings);
		tc_free(c);
		tb_free(t);
	}
}

static void test_flb_004_pgcnt(void **s)
{
	struct tb *t = tc_state("v7.0");

	(void)s;
	tb_stf(t, t->flb_page, t->p->flb_area.hdr_pgcnt, 2);
	expect_only(t, "LUO-FLB-004");
}

static void test_flb_004_count(void **s)
{
	struct tb *t = tc_state("v7.1");

	(void)s;
	tb_stf(t, t->flb_page, t->p->flb_area.hdr_count, luoc_area_max(&t->p->flb_area, t->ps) + 1);
	expect_only(t, "LUO-FLB-004");
}

static void test_flb_005_dup(void **s)
{
	struct tb *t = tc_state("v7.0");

	(void)s;
	strcpy(tb_ptr(t, tb_flb(t, 1) + t->p->flb_name.off), "liveupdate-test-flb-v0");
	expect_only(t, "LUO-FLB-005");
}

static void test_flb_005_no_nul(void **s)
{
	struct tb *t = tc_state("v7.0");

	(void)s;
	memset(tb_ptr(t, tb_flb(t, 0) + t->p->flb_name.off), 'f', t->p->flb_name.size);
	expect_only(t, "LUO-FLB-005");
}

static void flb_006(const char *profile)
{
	struct tb *t = tc_state(profile);
	void *fdt = luo_edit(t);
	int n = fdt_add_subnode(fdt, 0, "luo-flb");

	if (n < 0)
		{ fprintf(stderr, "# fdt_add_subnode: %s\n", fdt_strerror(n)); fail(); }
	assert_int_equal(fdt_setprop_string(fdt, n, "compatible", "luo-flb-v1"), 0);
	luo_done(t);
	expect_only_sev(t, "LUO-FLB-006", LUOC_SEV_WARNING);
}

static void test_flb_006_v6_19(void **s) { (void)s; flb_006("v6.19"); }

/* series-v6 (patch 08/20) has the node too: missing, live update is disabled */
static void test_flb_001_series_v6(void **s)
{
	struct tb *t = tc_state("series-v6");
	void *fdt = luo_edit(t);
	struct tc *c;

	(void)s;
	assert_int_equal(fdt_del_node(fdt, sub(t, fdt, t->p->flb_node)), 0);
	luo_done(t);
	c = tc_run(t);
	tc_assert_only(c, "LUO-FLB-001");
	assert_int_equal(c->res.outcome, LUOC_OUT_ENOENT);
	tc_free(c);
	tb_free(t);
}

/* ---- MEMFD ---------------------------------------------------------------- */

static void test_memfd_001_zero(void **s)
{
	struct tb *t = tc_state("v7.0");

	(void)s;
	tb_stf(t, tb_file(t, 0, 1), t->p->file_data, 0);
	expect_only(t, "LUO-MEMFD-001");
}

static void test_memfd_001_unaligned(void **s)
{
	struct tb *t = tb_build(&(struct tb_opts){ .profile = "v7.1", .sessions = 1, .files = 1,
						   .folios = 2, .flbs = 1 });
	uint64_t pg = tb_alloc(t, 0);

	(void)s;
	memcpy(tb_ptr(t, pg + 256), tb_ptr(t, t->memfd[0][0]), t->p->memfd->size);
	tb_preserve(t, pg, 0);
	assert_true(tb_unpreserve(t, t->memfd[0][0]));
	tb_stf(t, tb_file(t, 0, 0), t->p->file_data, pg + 256);
	tb_finish(t);
	expect_only(t, "LUO-MEMFD-001");
}

static void test_memfd_002_no_pos(void **s)
{
	struct tb *t = tc_state("series-v6");
	void *fdt = tb_fdt_edit(t, t->memfd[1][1]);

	(void)s;
	assert_int_equal(fdt_delprop(fdt, 0, t->p->memfd->prop_pos), 0);
	tb_fdt_done(t, t->memfd[1][1]);
	expect_only(t, "LUO-MEMFD-002");
}

static void test_memfd_002_no_folios(void **s)
{
	struct tb *t = tc_state("series-v6");
	void *fdt = tb_fdt_edit(t, t->memfd[0][0]);
	struct tc *c;

	(void)s;
	assert_int_equal(fdt_delprop(fdt, 0, t->p->memfd->prop_folios), 0);
	tb_fdt_done(t, t->memfd[0][0]);
	c = tc_run(t);
	/* nr_folios without a descriptor is also MEMFD-003's business */
	assert_int_equal(tc_count(c, "LUO-MEMFD-002", LUOC_SEV_ERROR), 1);
	assert_int_equal(c->res.errors, tc_count(c, "LUO-MEMFD-002", LUOC_SEV_ERROR) +
					tc_count(c, "LUO-MEMFD-003", LUOC_SEV_ERROR));
	assert_int_equal(c->res.warnings, 0);
	assert_int_equal(c->res.outcome, LUOC_OUT_RETRIEVE_ERROR);
	tc_free(c);
	tb_free(t);
}

static void test_memfd_002_props_when_empty(void **s)
{
	struct tb *t = tc_state("series-v6");
	void *fdt = tb_fdt_edit(t, t->memfd[0][1]);

	(void)s;
	/* nr_folios and folios stay, size says empty */
	assert_int_equal(tb_fdt_setu64(t, fdt, 0, t->p->memfd->prop_size, 0), 0);
	tb_fdt_done(t, t->memfd[0][1]);
	{
		struct tc *c = tc_run(t);

		assert_true(tc_count(c, "LUO-MEMFD-002", LUOC_SEV_ERROR) >= 1);
		tc_free(c);
		tb_free(t);
	}
}

static void test_fdt_005_memfd_fdt(void **s)
{
	struct tb *t = tc_state("series-v6");
	void *fdt = tb_fdt_edit(t, t->memfd[1][0]);

	(void)s;
	assert_int_equal(fdt_setprop_string(fdt, 0, "compatible", "memfd-v1"), 0);
	tb_fdt_done(t, t->memfd[1][0]);
	expect_only_sev(t, "LUO-FDT-005", LUOC_SEV_WARNING);
}

static void test_memfd_003_total_pages(void **s)
{
	struct tb *t = tc_state("v7.0");

	(void)s;
	tb_stf(t, tb_memfd_vm(t, 1, 0), t->p->vm_total_pages, 2);
	expect_only(t, "LUO-MEMFD-003");
}

static void test_memfd_003_flags(void **s)
{
	struct tb *t = tc_state("v7.1");

	(void)s;
	tb_stf(t, tb_memfd_vm(t, 0, 0), t->p->vm_flags, 0x8);
	expect_only(t, "LUO-MEMFD-003");
}

static void test_memfd_003_zero_count(void **s)
{
	struct tb *t = tc_state("v6.19");

	(void)s;
	tb_stf(t, t->memfd[0][0], t->p->memfd->nr_folios, 0);
	expect_only(t, "LUO-MEMFD-003");
}

static void test_memfd_003_order(void **s)
{
	struct tb *t = tc_state("v7.0");

	(void)s;
	tb_stf(t, tb_memfd_vm(t, 0, 1), t->p->vm_order, 11);
	expect_only(t, "LUO-MEMFD-003");
}

static void set_folio(struct tb *t, unsigned int s, unsigned int f, unsigned int k,
		      uint64_t pfn, uint64_t flags)
{
	const struct luoc_memfd_desc *md = t->p->memfd;

	tb_stf(t, tb_folio_ent(t, s, f, k), md->folio_desc,
	       (pfn << md->folio_pfn.lsb) | (flags << md->folio_flags.lsb));
}

static void test_memfd_004_pfn0(void **s)
{
	struct tb *t = tc_state("v7.0");

	(void)s;
	set_folio(t, 1, 1, 2, 0, 3);
	expect_only(t, "LUO-MEMFD-004");
}

static void test_memfd_004_flags(void **s)
{
	struct tb *t = tc_state("series-v6");

	(void)s;
	set_folio(t, 0, 1, 0, t->folio[0][1][0] / t->ps, 0x4);
	expect_only(t, "LUO-MEMFD-004");
}

static void test_memfd_004_order(void **s)
{
	struct tb *t = tc_state("v7.1");
	const struct luoc_memfd_desc *md = t->p->memfd;

	(void)s;
	tb_stf(t, tb_folio_ent(t, 0, 0, 1), md->folio_index, 0);
	expect_only(t, "LUO-MEMFD-004");
}

static void test_memfd_004_beyond_size(void **s)
{
	struct tb *t = tc_state("v6.19");
	const struct luoc_memfd_desc *md = t->p->memfd;

	(void)s;
	tb_stf(t, tb_folio_ent(t, 1, 0, 2), md->folio_index, 9);
	expect_only(t, "LUO-MEMFD-004");
}

static void test_memfd_005_offset(void **s)
{
	struct tb_opts o = tc_opts("v7.0");
	struct tb *t;

	(void)s;
	o.folio_order = 1;
	t = tb_new(&o);
	/* folio 0 covers pages 0-1; folio 1 claims page 1 */
	tb_stf(t, tb_folio_ent(t, 0, 0, 1), t->p->memfd->folio_index, 1);
	expect_only(t, "LUO-MEMFD-005");
}

static void test_memfd_005_memory(void **s)
{
	struct tb *t = tc_state("v7.1");

	(void)s;
	set_folio(t, 1, 1, 2, t->folio[1][1][0] / t->ps, 3);
	expect_only(t, "LUO-MEMFD-005");
}

static void test_memfd_006_seals(void **s)
{
	struct tb *t = tc_state("v7.1");
	struct tc *c;

	(void)s;
	tb_stf(t, t->memfd[0][0], t->p->memfd->seals, 0x40);
	c = tc_run(t);
	tc_assert_only(c, "LUO-MEMFD-006");
	assert_int_equal(c->res.outcome, LUOC_OUT_RETRIEVE_ERROR);
	tc_free(c);
	tb_free(t);
}

static void test_memfd_006_flags(void **s)
{
	struct tb *t = tc_state("v7.1");

	(void)s;
	tb_stf(t, t->memfd[1][0], t->p->memfd->flags, 1);
	expect_only(t, "LUO-MEMFD-006");
}

/* ---- MEM ------------------------------------------------------------------ */

static void test_mem_002_states(void **s)
{
	struct tb *t = tc_state("v7.0");

	(void)s;
	/* two files share one memfd state (and so its folios) */
	tb_stf(t, tb_file(t, 1, 1), t->p->file_data, t->memfd[0][0]);
	expect_only(t, "LUO-MEM-002");
}

static void test_mem_002_folio_on_structure(void **s)
{
	struct tb *t = tc_state("v7.1");

	(void)s;
	/* the last folio of a file points at the FLB page */
	set_folio(t, 0, 1, 2, t->flb_page / t->ps, 3);
	expect_only(t, "LUO-MEM-002");
}

static void test_mem_002_folio_other_file(void **s)
{
	struct tb *t = tc_state("v6.19");

	(void)s;
	set_folio(t, 1, 0, 2, t->folio[0][0][1] / t->ps, 3);
	expect_only(t, "LUO-MEM-002");
}

static void test_mem_003_luo_fdt(void **s)
{
	struct tb *t = tb_build(&(struct tb_opts){ .profile = "v7.0", .sessions = 1, .files = 1,
						   .folios = 1, .flbs = 1 });
	uint64_t blk = tb_alloc(t, 1), at = blk + 512;
	struct tc *c;

	(void)s;
	memcpy(tb_ptr(t, at), tb_ptr(t, t->luo_fdt), fdt_totalsize(tb_ptr(t, t->luo_fdt)));
	tb_preserve(t, blk, 1);
	assert_true(tb_unpreserve(t, t->luo_fdt));
	t->luo_fdt = at;
	tb_finish(t);
	c = tc_run(t);
	tc_assert_only(c, "LUO-MEM-003");
	tc_free(c);
	tb_free(t);
}

const struct CMUnitTest tc_req_tests[] = {
	cmocka_unit_test(test_img_003_file_array_absent),
	cmocka_unit_test(test_img_003_folio_absent),
	cmocka_unit_test(test_kho_001_bad_magic),
	cmocka_unit_test(test_kho_001_root_absent),
	cmocka_unit_test(test_kho_002_compat_list),
	cmocka_unit_test(test_kho_002_wrong_version),
	cmocka_unit_test(test_kho_003_map_size),
	cmocka_unit_test(test_kho_004_zero),
	cmocka_unit_test(test_kho_004_wrong_prop),
	cmocka_unit_test(test_kho_004_no_subnode_is_note),
	cmocka_unit_test(test_kho_005_blob_size),
	cmocka_unit_test(test_kho_005_missing),
	cmocka_unit_test(test_kmap_001_num_elms),
	cmocka_unit_test(test_kmap_001_order),
	cmocka_unit_test(test_kmap_001_radix_key_bits),
	cmocka_unit_test(test_kmap_002_session_area),
	cmocka_unit_test(test_kmap_002_folio),
	cmocka_unit_test(test_kmap_002_flb_page),
	cmocka_unit_test(test_kmap_003_v7_0),
	cmocka_unit_test(test_kmap_003_v7_1),
	cmocka_unit_test(test_fdt_001_totalsize),
	cmocka_unit_test(test_fdt_001_bad_tag),
	cmocka_unit_test(test_fdt_001_version),
	cmocka_unit_test(test_fdt_002_list),
	cmocka_unit_test(test_fdt_002_wrong),
	cmocka_unit_test(test_fdt_003_zero),
	cmocka_unit_test(test_fdt_003_size),
	cmocka_unit_test(test_fdt_003_missing),
	cmocka_unit_test(test_fdt_004_header_swapped),
	cmocka_unit_test(test_fdt_004_number_swapped),
	cmocka_unit_test(test_fdt_005_extra_prop),
	cmocka_unit_test(test_sess_001),
	cmocka_unit_test(test_sess_002),
	cmocka_unit_test(test_sess_003_zero),
	cmocka_unit_test(test_sess_003_size),
	cmocka_unit_test(test_sess_003_unaligned),
	cmocka_unit_test(test_sess_004),
	cmocka_unit_test(test_sess_005_no_nul),
	cmocka_unit_test(test_sess_005_empty),
	cmocka_unit_test(test_sess_005_trailing),
	cmocka_unit_test(test_sess_006),
	cmocka_unit_test(test_sess_007_files_without_count),
	cmocka_unit_test(test_sess_007_count_without_files),
	cmocka_unit_test(test_sess_008_header),
	cmocka_unit_test(test_sess_008_entry),
	cmocka_unit_test(test_file_001_count),
	cmocka_unit_test(test_file_001_unaligned),
	cmocka_unit_test(test_file_002_no_nul),
	cmocka_unit_test(test_file_002_empty),
	cmocka_unit_test(test_file_003),
	cmocka_unit_test(test_file_004),
	cmocka_unit_test(test_flb_001),
	cmocka_unit_test(test_flb_002),
	cmocka_unit_test(test_flb_003_zero),
	cmocka_unit_test(test_flb_003_missing),
	cmocka_unit_test(test_flb_004_pgcnt),
	cmocka_unit_test(test_flb_004_count),
	cmocka_unit_test(test_flb_005_dup),
	cmocka_unit_test(test_flb_005_no_nul),
	cmocka_unit_test(test_flb_006_v6_19),
	cmocka_unit_test(test_flb_001_series_v6),
	cmocka_unit_test(test_memfd_001_zero),
	cmocka_unit_test(test_memfd_001_unaligned),
	cmocka_unit_test(test_memfd_002_no_pos),
	cmocka_unit_test(test_memfd_002_no_folios),
	cmocka_unit_test(test_memfd_002_props_when_empty),
	cmocka_unit_test(test_fdt_005_memfd_fdt),
	cmocka_unit_test(test_memfd_003_total_pages),
	cmocka_unit_test(test_memfd_003_flags),
	cmocka_unit_test(test_memfd_003_zero_count),
	cmocka_unit_test(test_memfd_003_order),
	cmocka_unit_test(test_memfd_004_pfn0),
	cmocka_unit_test(test_memfd_004_flags),
	cmocka_unit_test(test_memfd_004_order),
	cmocka_unit_test(test_memfd_004_beyond_size),
	cmocka_unit_test(test_memfd_005_offset),
	cmocka_unit_test(test_memfd_005_memory),
	cmocka_unit_test(test_memfd_006_seals),
	cmocka_unit_test(test_memfd_006_flags),
	cmocka_unit_test(test_mem_002_states),
	cmocka_unit_test(test_mem_002_folio_on_structure),
	cmocka_unit_test(test_mem_002_folio_other_file),
	cmocka_unit_test(test_mem_003_luo_fdt),
};
const size_t tc_req_n = sizeof(tc_req_tests) / sizeof(tc_req_tests[0]);
