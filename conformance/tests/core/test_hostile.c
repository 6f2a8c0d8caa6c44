// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * test_hostile.c - states built to hurt a checker: huge counts, cycles,
 * wrapping address arithmetic, malformed FDT blocks, random byte damage.
 * Each must give findings, terminate, read nothing out of bounds (the ASan
 * build runs these too) and leave the input untouched (tc_run asserts it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>

#include "tcore.h"

static void expect_only(struct tb *t, const char *req)
{
	struct tc *c = tc_run(t);

	tc_assert_only(c, req);
	tc_free(c);
	tb_free(t);
}

static void expect_code(struct tb *t, const char *req, int code)
{
	struct tc *c = tc_run(t);

	assert_int_equal(c->rc, 0);
	if (!tc_has_code(c, req, code)) {
		tc_dump(c);
		fail_msg("expected %s with code %d", req, code);
	}
	tc_free(c);
	tb_free(t);
}

#define ALL_ONES	(~0ULL)

static void test_session_count_max(void **s)
{
	struct tb *t = tc_state("v7.0");

	(void)s;
	tb_stf(t, t->sess_area, t->p->sess_area.hdr_count, ALL_ONES);
	expect_only(t, "LUO-SESS-004");
}

static void test_file_count_max(void **s)
{
	struct tb *t = tc_state("series-v6");

	(void)s;
	tb_stf(t, tb_session(t, 1), t->p->sess_count, ALL_ONES);
	expect_only(t, "LUO-FILE-001");
}

static void test_nr_folios_max(void **s)
{
	struct tb *t = tc_state("v7.1");

	(void)s;
	tb_stf(t, t->memfd[1][1], t->p->memfd->nr_folios, ALL_ONES);
	expect_only(t, "LUO-MEMFD-003");
}

static void test_flb_count_max(void **s)
{
	struct tb *t = tc_state("v7.1");

	(void)s;
	tb_stf(t, t->flb_page, t->p->flb_area.hdr_count, ALL_ONES);
	expect_only(t, "LUO-FLB-004");
}

static void test_chunk_self_loop(void **s)
{
	struct tb *t = tc_state("v7.0");
	struct tc *c;

	(void)s;
	tb_stf(t, t->kmap, t->p->chunk_next, t->kmap);
	c = tc_run(t);
	assert_true(tc_has_code(c, "LUO-KMAP-001", -LUOC_ELOOP));
	tc_free(c);
	tb_free(t);
}

static void test_chunk_cycle(void **s)
{
	struct tb *t = tc_state("v6.19");
	uint64_t last = t->kmap, n = 0;

	(void)s;
	while (tb_ldf(t, last, t->p->chunk_next)) {
		last = tb_ldf(t, last, t->p->chunk_next);
		n++;
	}
	assert_true(n >= 1);
	tb_stf(t, last, t->p->chunk_next, t->kmap);
	expect_code(t, "LUO-KMAP-001", -LUOC_ELOOP);
}

/* The first non-empty entry of a radix node. */
static uint64_t first_child(struct tb *t, uint64_t node, unsigned int *idx)
{
	unsigned int i;

	for (i = 0; i < t->ps / 8; i++) {
		uint64_t e = tb_ld(t, node + i * 8ULL, 8);

		if (e) {
			*idx = i;
			return e;
		}
	}
	fail_msg("empty radix node");
	return 0;
}

static void test_radix_ancestor(void **s)
{
	struct tb *t = tc_state("v7.1");
	unsigned int i = 0;
	uint64_t n1 = first_child(t, t->kmap, &i), n2 = first_child(t, n1, &i);

	(void)s;
	/* an empty slot of a level-3 node pointing back at the root */
	tb_st(t, n2 + ((i + 1) % (t->ps / 8)) * 8, t->kmap, 8);
	expect_code(t, "LUO-KMAP-001", -LUOC_ELOOP);
}

static void test_radix_shared_node(void **s)
{
	struct tb *t = tc_state("v7.1");
	unsigned int i = 0, j = 0;
	uint64_t n1 = first_child(t, t->kmap, &i), n2 = first_child(t, n1, &j);

	(void)s;
	/* a second path to the same subtree: not an ancestor, still a revisit */
	tb_st(t, n1 + ((j + 7) % (t->ps / 8)) * 8, n2, 8);
	expect_code(t, "LUO-KMAP-001", -LUOC_ELOOP);
}

static void test_radix_root_absent(void **s)
{
	struct tb *t = tc_state("v7.1");
	void *fdt = tb_fdt_edit(t, t->kho_root);
	struct tc *c;

	(void)s;
	assert_int_equal(tb_fdt_setu64(t, fdt, 0, t->p->kho_map_prop, 0x7000000000ULL), 0);
	tb_fdt_done(t, t->kho_root);
	c = tc_run(t);
	tc_assert_only(c, "LUO-KMAP-001");
	assert_int_equal(c->res.outcome, LUOC_OUT_UNDEFINED);	/* the walk faults */
	tc_free(c);
	tb_free(t);
}

static void test_empty_kmap(void **s)
{
	struct tb *t = tb_build(&(struct tb_opts){ .profile = "v7.0", .sessions = 1, .files = 1,
						   .folios = 2, .flbs = 1 });
	struct tc *c;

	(void)s;
	t->npres = 0;
	tb_finish(t);
	c = tc_run(t);
	tc_assert_only(c, "LUO-KMAP-002");
	assert_true(c->res.errors >= 6);
	tc_free(c);
	tb_free(t);
}

static void test_vmalloc_self_loop(void **s)
{
	struct tb *t = tc_state("v7.0");
	uint64_t ch = t->vm_chunk[0][0], pg = t->folio_arr[0][0], k;

	(void)s;
	for (k = 0; k < (t->ps - 8) / 8; k++)
		tb_st(t, ch + 8 + k * 8, pg, 8);
	tb_st(t, ch, ch, 8);
	tb_stf(t, tb_memfd_vm(t, 0, 0), t->p->vm_total_pages, 100000);
	expect_code(t, "LUO-MEMFD-003", -LUOC_ELOOP);
}

static void test_vmalloc_listed_too_many(void **s)
{
	struct tb *t = tc_state("v7.1");
	uint64_t ch = t->vm_chunk[1][0];

	(void)s;
	/* a second page listed although total_pages is 1 */
	tb_st(t, ch + 16, t->folio_arr[1][0], 8);
	expect_code(t, "LUO-MEMFD-003", -LUOC_ERANGE);
}

static void test_root_totalsize(void **s)
{
	struct tb *t = tc_state("v7.1");
	struct fdt_header *h = tb_ptr(t, t->kho_root);

	(void)s;
	h->totalsize = cpu_to_fdt32(2 * t->ps);
	expect_only(t, "LUO-KHO-001");
}

static void test_luo_fdt_unaligned_struct(void **s)
{
	struct tb *t = tc_state("v7.0");
	struct fdt_header *h = tb_ptr(t, t->luo_fdt);

	(void)s;
	h->off_dt_struct = cpu_to_fdt32(fdt32_to_cpu(h->off_dt_struct) + 2);
	expect_only(t, "LUO-FDT-001");
}

static void test_luo_fdt_unaligned_rsvmap(void **s)
{
	struct tb *t = tc_state("v6.19");
	struct fdt_header *h = tb_ptr(t, t->luo_fdt);

	(void)s;
	h->off_mem_rsvmap = cpu_to_fdt32(fdt32_to_cpu(h->off_mem_rsvmap) + 4);
	expect_only(t, "LUO-FDT-001");
}

static void test_luo_fdt_strings_outside(void **s)
{
	struct tb *t = tc_state("v7.1");
	struct fdt_header *h = tb_ptr(t, t->luo_fdt);

	(void)s;
	h->size_dt_strings = cpu_to_fdt32(0x7fffffff);
	{
		struct tc *c = tc_run(t);

		/* kho-v3 also compares blob-size with the header it no longer trusts */
		assert_true(tc_count(c, "LUO-FDT-001", LUOC_SEV_ERROR) == 1);
		tc_free(c);
		tb_free(t);
	}
}

static struct fdt_property *prop_ptr(struct tb *t, const char *name)
{
	int len;
	const struct fdt_property *p = fdt_get_property(tb_ptr(t, t->luo_fdt), 0, name, &len);

	assert_non_null(p);
	return (struct fdt_property *)p;
}

static void test_luo_fdt_prop_len_huge(void **s)
{
	struct tb *t = tc_state("v7.0");

	(void)s;
	prop_ptr(t, t->p->luo_num_prop)->len = cpu_to_fdt32(0xffffff00);
	expect_only(t, "LUO-FDT-001");
}

static void test_luo_fdt_nameoff(void **s)
{
	struct tb *t = tc_state("series-v6");

	(void)s;
	prop_ptr(t, t->p->luo_num_prop)->nameoff = cpu_to_fdt32(0x10000);
	expect_only(t, "LUO-FDT-001");
}

static void test_luo_fdt_truncated_struct(void **s)
{
	struct tb *t = tc_state("v7.0");
	struct fdt_header *h = tb_ptr(t, t->luo_fdt);

	(void)s;
	h->size_dt_struct = cpu_to_fdt32(fdt32_to_cpu(h->size_dt_struct) - 8);
	expect_only(t, "LUO-FDT-001");
}

static void test_header_wraps(void **s)
{
	struct tb *t = tc_state("v7.0");
	void *fdt = tb_fdt_edit(t, t->luo_fdt);
	struct tc *c;

	(void)s;
	assert_int_equal(tb_fdt_setu64(t, fdt, fdt_subnode_offset(fdt, 0, t->p->sess_node),
				       t->p->sess_hdr_prop, 0xfffffffffffff000ULL), 0);
	tb_fdt_done(t, t->luo_fdt);
	c = tc_run(t);
	tc_assert_only(c, "LUO-SESS-003");
	assert_true(tc_has_code(c, "LUO-SESS-003", -LUOC_ERANGE));
	tc_free(c);
	tb_free(t);
}

static void test_memfd_outside(void **s)
{
	struct tb *t = tc_state("v6.19");

	(void)s;
	tb_stf(t, tb_file(t, 0, 0), t->p->file_data, 0x7fff00000000ULL);
	expect_only(t, "LUO-IMG-003");
}

static void test_pfn_overflow(void **s)
{
	struct tb_opts o = tc_opts("v7.1");
	const struct luoc_memfd_desc *md;
	struct tb *t;

	(void)s;
	o.page_size = 65536;
	t = tb_new(&o);
	md = t->p->memfd;
	/* pfn 2^52 - 1 with 64 KiB pages lies beyond 2^64 */
	tb_stf(t, tb_folio_ent(t, 0, 0, 2), md->folio_desc,
	       ((1ULL << 52) - 1) | (3ULL << md->folio_flags.lsb));
	expect_code(t, "LUO-MEMFD-004", -LUOC_ERANGE);
}

static void as_le(struct luoc_config *cfg, void *arg)
{
	(void)arg;
	cfg->big_endian = false;
}

/* A big-endian state read as little-endian: addresses only make sense swapped. */
static void test_wrong_byte_order(void **s)
{
	struct tb_opts o = tc_opts("v7.0");
	struct tb *t;
	struct tc *c;

	(void)s;
	o.big_endian = true;
	t = tb_new(&o);
	c = tc_run_cfg(t, as_le, NULL);
	assert_true(tc_has_code(c, "LUO-FDT-004", -LUOC_EBYTEORDER));
	assert_true(c->res.errors > 0);
	tc_free(c);
	tb_free(t);
}

/* Iterations of the damage tests; LUOC_TEST_ITERATIONS raises it for a soak. */
static unsigned int iterations(void)
{
	const char *e = getenv("LUOC_TEST_ITERATIONS");

	return e ? (unsigned int)strtoul(e, NULL, 0) : 400;
}

/* Deterministic random damage anywhere in the state: never a crash. */
static void test_random_damage(void **s)
{
	static const char *const names[] = { "series-v6", "v6.19", "v7.0", "v7.1" };
	unsigned int seed = 12345, i;

	(void)s;
	for (i = 0; i < iterations(); i++) {
		struct tb *t = tc_state(names[i % 4]);
		uint64_t used = t->brk - TB_BASE;
		unsigned int k, flips = 1 + i % 16;
		struct tc *c;

		for (k = 0; k < flips; k++) {
			seed = seed * 1103515245u + 12345u;
			t->mem[(seed >> 4) % used] ^= (uint8_t)(1u << (seed % 8));
		}
		c = tc_run(t);
		assert_int_equal(c->rc, 0);
		tc_free(c);
		tb_free(t);
	}
}

/* Damage aimed at the FDTs' headers and structure blocks. */
static void test_random_fdt_damage(void **s)
{
	static const char *const names[] = { "series-v6", "v6.19", "v7.0", "v7.1" };
	unsigned int seed = 777, i;

	(void)s;
	for (i = 0; i < iterations(); i++) {
		struct tb *t = tc_state(names[i % 4]);
		uint64_t fdt = i & 1 ? t->luo_fdt : (i & 2 ? t->kho_root : t->memfd[0][0]);
		uint32_t size = fdt_totalsize(tb_ptr(t, fdt));
		struct tc *c;

		seed = seed * 1103515245u + 12345u;
		((uint8_t *)tb_ptr(t, fdt))[(seed >> 4) % size] = (uint8_t)(seed >> 20);
		c = tc_run(t);
		assert_int_equal(c->rc, 0);
		tc_free(c);
		tb_free(t);
	}
}

const struct CMUnitTest tc_hostile_tests[] = {
	cmocka_unit_test(test_session_count_max),
	cmocka_unit_test(test_file_count_max),
	cmocka_unit_test(test_nr_folios_max),
	cmocka_unit_test(test_flb_count_max),
	cmocka_unit_test(test_chunk_self_loop),
	cmocka_unit_test(test_chunk_cycle),
	cmocka_unit_test(test_radix_ancestor),
	cmocka_unit_test(test_radix_shared_node),
	cmocka_unit_test(test_radix_root_absent),
	cmocka_unit_test(test_empty_kmap),
	cmocka_unit_test(test_vmalloc_self_loop),
	cmocka_unit_test(test_vmalloc_listed_too_many),
	cmocka_unit_test(test_root_totalsize),
	cmocka_unit_test(test_luo_fdt_unaligned_struct),
	cmocka_unit_test(test_luo_fdt_unaligned_rsvmap),
	cmocka_unit_test(test_luo_fdt_strings_outside),
	cmocka_unit_test(test_luo_fdt_prop_len_huge),
	cmocka_unit_test(test_luo_fdt_nameoff),
	cmocka_unit_test(test_luo_fdt_truncated_struct),
	cmocka_unit_test(test_header_wraps),
	cmocka_unit_test(test_memfd_outside),
	cmocka_unit_test(test_pfn_overflow),
	cmocka_unit_test(test_wrong_byte_order),
	cmocka_unit_test(test_random_damage),
	cmocka_unit_test(test_random_fdt_damage),
};
const size_t tc_hostile_n = sizeof(tc_hostile_tests) / sizeof(tc_hostile_tests[0]);
