// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * test_cover_kmap.c - the radix-tree map where the golden vectors do not
 * go (found by 'make coverage'): a tree of hundreds of nodes (the visited
 * set grows, or runs out of workspace), a DAG of shared nodes with no
 * visited set (the node bound), a leaf under key 0, and a root that is
 * 0, misaligned, absent or byte-swapped.
 */
#include <stdlib.h>
#include <string.h>

#include "tcore.h"

#define NSPREAD		300	/* leaves of the spread-out tree */

static void no_workspace(struct luoc_config *cfg, void *arg)
{
	(void)arg;
	cfg->workspace = NULL;
	cfg->workspace_size = 0;
}

/* Use the caller's workspace size (arg: size_t *), on a buffer of that size. */
struct ws_opt {
	size_t size;
	void *buf;
};

static void set_workspace(struct luoc_config *cfg, void *arg)
{
	struct ws_opt *w = arg;

	w->buf = malloc(w->size);
	assert_non_null(w->buf);
	cfg->workspace = w->buf;
	cfg->workspace_size = w->size;
}

static struct tc *run_ws(struct tb *t, size_t size)
{
	struct ws_opt w = { size, NULL };
	struct tc *c = tc_run_cfg(t, set_workspace, &w);

	free(w.buf);
	return c;
}

/* v7.1 plus NSPREAD order-0 blocks 128 MiB apart (outside the image): a leaf each. */
static struct tb *spread_tree(void)
{
	struct tb_opts o = tc_opts("v7.1");
	struct tb *t;
	unsigned int k;

	o.mem_pages = 2048;
	t = tb_build(&o);
	for (k = 0; k < NSPREAD; k++)
		tb_preserve(t, TB_BASE + ((uint64_t)(k + 1) << 27), 0);
	tb_finish(t);
	return t;
}

static void test_radix_many_nodes(void **state)
{
	struct tb *t = spread_tree();
	struct tc *c;

	(void)state;
	/* the visited set grows from 512 slots to hold every node: clean */
	c = tc_run(t);
	tc_assert_clean(c);
	tc_free(c);
	/* a workspace past the set's largest size: the same */
	c = run_ws(t, (size_t)17 << 20);
	tc_assert_clean(c);
	tc_free(c);
	tb_free(t);
}

static void test_radix_visited_set_full(void **state)
{
	struct tb *t = spread_tree();
	struct tc *c;

	(void)state;
	/* 8 KiB: a set of 512 slots that cannot grow; the duplicate check is skipped, said once */
	c = run_ws(t, 8192);
	assert_int_equal(c->rc, 0);
	assert_int_equal(c->res.errors, 0);
	assert_int_equal(tc_count(c, "LUO-MEM-002", LUOC_SEV_WARNING), 1);
	assert_true(tc_has_code(c, "LUO-MEM-002", -LUOC_ENOSPC));
	assert_true(tc_has_msg(c, "LUO-MEM-002", "radix duplicate-node check"));
	tc_free(c);
	tb_free(t);
}

/* The first non-zero entry of a node. */
static uint64_t first_child(struct tb *t, uint64_t node)
{
	unsigned int i;

	for (i = 0; i < t->ps / 8; i++)
		if (tb_ld(t, node + i * 8ULL, 8))
			return tb_ld(t, node + i * 8ULL, 8);
	fail_msg("radix node 0x%llx is empty", (unsigned long long)node);
	return 0;
}

static void fill(struct tb *t, uint64_t node, uint64_t child)
{
	unsigned int i;

	for (i = 0; i < t->ps / 8; i++)
		tb_st(t, node + i * 8ULL, child, 8);
}

/*
 * Three levels whose every entry points at the one node below: 2^27
 * paths.  With no visited set only the node bound ends the walk: one
 * finding, and the check still ends.
 */
static void test_radix_dag_node_bound(void **state)
{
	struct tb *t = tc_state("v7.1");
	const struct luoc_radix_geom *g = luoc_radix_geom(t->p, 12);
	uint64_t n[8];
	unsigned int l;
	struct tc *c;

	(void)state;
	assert_true(g->depth >= 5);
	/* n[l]: the node whose entries are of level l (root: depth - 1; n[0] a leaf) */
	n[g->depth - 1] = t->kmap;
	for (l = g->depth - 1; l > 0; l--)
		n[l - 1] = first_child(t, n[l]);
	fill(t, n[3], n[2]);
	fill(t, n[2], n[1]);
	fill(t, n[1], n[0]);
	c = tc_run_cfg(t, no_workspace, NULL);
	assert_int_equal(c->rc, 0);
	assert_int_equal(tc_count(c, "LUO-KMAP-001", LUOC_SEV_ERROR), 1);
	assert_true(tc_has_code(c, "LUO-KMAP-001", -LUOC_ELOOP));
	assert_true(tc_has_msg(c, "LUO-KMAP-001", "more than 4194304 nodes"));
	tc_free(c);
	tb_free(t);
}

/*
 * A chain of new nodes under entry 0 of every level: a leaf for key 0,
 * which has no order bit.  Reported when it holds a bit, ignored empty.
 */
static void test_radix_key_zero_leaf(void **state)
{
	struct tb *t = tc_state("v7.1");
	const struct luoc_radix_geom *g = luoc_radix_geom(t->p, 12);
	uint64_t node = first_child(t, t->kmap), leaf = 0;
	unsigned int l;
	struct tc *c;

	(void)state;
	/* the root's entry 0 holds the orders >= 2; its child's entry 0 is free */
	assert_true(tb_ld(t, t->kmap, 8) == node);
	assert_true(tb_ld(t, node, 8) == 0);
	for (l = g->depth - 2; l > 0; l--) {
		leaf = tb_alloc(t, 0);
		tb_st(t, node, leaf, 8);
		node = leaf;
	}
	c = tc_run(t);
	tc_assert_clean(c);
	tc_free(c);
	tb_st(t, leaf + 64, 1, 8);
	c = tc_run(t);
	tc_assert_only(c, "LUO-KMAP-001");
	assert_int_equal(tc_count(c, "LUO-KMAP-001", LUOC_SEV_ERROR), 1);
	assert_true(tc_has_msg(c, "LUO-KMAP-001", "holds blocks of order 64"));
	tc_free(c);
	tb_free(t);
}

static struct tc *run_root(struct tb *t, uint64_t root)
{
	void *fdt = tb_fdt_edit(t, t->kho_root);

	assert_int_equal(tb_fdt_setu64(t, fdt, 0, t->p->kho_map_prop, root), 0);
	tb_fdt_done(t, t->kho_root);
	return tc_run(t);
}

static void test_radix_root_defects(void **state)
{
	struct tb *t = tc_state("v7.1");
	uint64_t root = t->kmap;
	struct tc *c;

	(void)state;
	/* 0: an empty tree, nothing preserved: each structure is LUO-KMAP-002 */
	c = run_root(t, 0);
	assert_int_equal(c->rc, 0);
	assert_int_equal(tc_count(c, "LUO-KMAP-001", -1), 0);
	assert_true(tc_count(c, "LUO-KMAP-002", LUOC_SEV_ERROR) > 0);
	tc_free(c);
	/* not page aligned */
	c = run_root(t, root + 8);
	assert_true(tc_has_code(c, "LUO-KMAP-001", -LUOC_EALIGN));
	assert_true(tc_has_msg(c, "LUO-KMAP-001", "not page aligned"));
	tc_free(c);
	/* not in the image */
	c = run_root(t, 0x7f0000000000ULL);
	assert_true(tc_has_code(c, "LUO-KMAP-001", -LUOC_EABSENT));
	assert_true(tc_has_msg(c, "LUO-KMAP-001", "not in the image"));
	tc_free(c);
	/* written in the other byte order */
	c = run_root(t, __builtin_bswap64(root));
	assert_true(tc_has_code(c, "LUO-FDT-004", -LUOC_EBYTEORDER));
	assert_true(tc_has_msg(c, "LUO-FDT-004", "radix root"));
	assert_int_equal(tc_count(c, "LUO-KMAP-001", LUOC_SEV_ERROR), 0);
	tc_free(c);
	tb_free(t);
}

const struct CMUnitTest tc_cover_kmap_tests[] = {
	cmocka_unit_test(test_radix_many_nodes),
	cmocka_unit_test(test_radix_visited_set_full),
	cmocka_unit_test(test_radix_dag_node_bound),
	cmocka_unit_test(test_radix_key_zero_leaf),
	cmocka_unit_test(test_radix_root_defects),
};
const size_t tc_cover_kmap_n = sizeof(tc_cover_kmap_tests) / sizeof(tc_cover_kmap_tests[0]);
