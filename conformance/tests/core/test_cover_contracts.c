// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * test_cover_contracts.c - the defensive answers of the core's internal
 * helpers, for inputs their callers never pass ('make coverage'): a map
 * lookup on an unusable map or at an order past the map's orders, a
 * kho-v1 bitmap that stops being readable after the walk, a profile whose
 * max order exceeds the core's order bound or whose radix depth or page
 * size the walk does not support, a property whose name libfdt cannot
 * read in an FDT nobody validated, and the FLB node's owner among the
 * extra-node checks.  Each asserts the exact result (return
 * value, finding, no memory read) the helper promises.
 */
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "tunit.h"

/*
 * Memory of a state that counts the reads and refuses those overlapping
 * [deny, deny + deny_len): a mapping that has gone away since the walk.
 */
struct cmem {
	struct tb *t;
	uint64_t deny, deny_len;
	unsigned int reads, denied;
};

static const void *cmem_map(void *ctx, uint64_t phys, uint64_t len)
{
	struct cmem *m = ctx;

	m->reads++;
	if (m->deny_len && phys < m->deny + m->deny_len && m->deny < phys + len) {
		m->denied++;
		return NULL;
	}
	return m->t ? tb_map(m->t, phys, len) : NULL;
}

/* A context for profile over m (m->t may be NULL: no memory at all). */
static struct tu *ctx_on(const char *profile, struct cmem *m)
{
	struct luoc_mem mem = { .map = cmem_map, .ctx = m };

	return tu_new(profile, &mem, 1 << 20);
}

/* ---- luoc_kmap_setup() / luoc_kmap_test() -------------------------------------- */

/*
 * kmap_max_order + 1 orders, cut to LUOC_ORDERS (the size of the per-order
 * tables) for a profile table that would allow more: max order 40 gives
 * LUOC_ORDERS orders, max order 31 exactly LUOC_ORDERS, the real v7.0 row
 * its own count.  Without a map nothing is read or reported.
 */
static void test_kmap_orders_bounded(void **state)
{
	struct luoc_profile big = *luoc_profile_find("v7.0");
	struct cmem m = { 0 };
	struct tu *u = ctx_on("v7.0", &m);

	(void)state;
	luoc_kmap_setup(&u->c, false, 0);
	assert_int_equal(u->c.km.orders, luoc_profile_find("v7.0")->kmap_max_order + 1);
	assert_true(u->c.km.orders < LUOC_ORDERS);

	big.kmap_max_order = 40;
	u->c.p = &big;
	luoc_kmap_setup(&u->c, false, 0);
	assert_int_equal(u->c.km.orders, LUOC_ORDERS);
	assert_false(u->c.km.usable);

	big.kmap_max_order = LUOC_ORDERS - 1;
	luoc_kmap_setup(&u->c, false, 0);
	assert_int_equal(u->c.km.orders, LUOC_ORDERS);

	assert_int_equal(m.reads, 0);
	assert_int_equal(u->rec.n, 0);
	tu_free(u);
}

/*
 * An unusable map answers every question with -1 ("unknown"), not 0 ("not
 * preserved"), and reads nothing: for a state with no map and for one
 * whose map was rejected (a misaligned chunk list head, LUO-KMAP-001).
 */
static void test_kmap_test_unusable(void **state)
{
	struct tb *t = tc_state("v7.0");
	struct cmem m = { .t = t };
	struct tu *u = ctx_on("v7.0", &m);

	(void)state;
	luoc_kmap_setup(&u->c, false, 0);
	assert_false(u->c.km.usable);
	assert_int_equal(luoc_kmap_test(&u->c, t->luo_fdt, 0), -1);
	assert_int_equal(m.reads, 0);
	assert_int_equal(u->rec.n, 0);

	luoc_kmap_setup(&u->c, true, t->kmap + 8);
	assert_false(u->c.km.usable);
	assert_true(tc_has_code(&u->rec, "LUO-KMAP-001", -LUOC_EALIGN));
	assert_true(tc_has_msg(&u->rec, "LUO-KMAP-001", "preserved-memory map unusable"));
	m.reads = 0;
	assert_int_equal(luoc_kmap_test(&u->c, t->luo_fdt, 0), -1);
	assert_int_equal(luoc_kmap_test(&u->c, t->kmap, 0), -1);
	assert_int_equal(m.reads, 0);

	/* the same state's map, set up at its real head, does answer */
	luoc_kmap_setup(&u->c, true, t->kmap);
	assert_true(u->c.km.usable);
	assert_int_equal(luoc_kmap_test(&u->c, t->luo_fdt, 0), 1);
	tu_free(u);
	tb_free(t);
}

/* ---- kho-v1 lookups ------------------------------------------------------------ */

/* A v7.0 context whose kho-v1 map of t is set up and usable. */
static struct tu *chunks_ctx(struct tb *t, struct cmem *m)
{
	struct tu *u = ctx_on("v7.0", m);

	luoc_kmap_setup(&u->c, true, t->kmap);
	assert_true(u->c.km.usable);
	assert_true(u->c.km.n > 0);
	assert_int_equal(u->rec.n, 0);
	return u;
}

/*
 * An order at or past the map's orders has no bitmap: NULL, the outputs
 * left alone, nothing read, and the test says "not preserved".
 */
static void test_chunks_order_out_of_range(void **state)
{
	static const unsigned int bad[] = { 0, 1, LUOC_ORDERS, LUOC_ORDERS + 7, ~0u };
	struct tb *t = tc_state("v7.0");
	struct cmem m = { .t = t };
	struct tu *u = chunks_ctx(t, &m);
	uint64_t bit = 0x5a5a, nbits = 0xa5a5;
	unsigned int i;

	(void)state;
	/* order 0 finds the LUO FDT's bit */
	assert_non_null(luoc_kmap_chunks_locate(&u->c, t->luo_fdt, 0, &bit, &nbits));
	assert_int_equal(nbits, u->c.km.bitmap_bytes * 8);
	assert_int_equal(luoc_kmap_chunks_test(&u->c, t->luo_fdt, 0), 1);

	m.reads = 0;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unsigned int order = i < 2 ? u->c.km.orders + bad[i] : bad[i];

		bit = 0x5a5a;
		nbits = 0xa5a5;
		assert_null(luoc_kmap_chunks_locate(&u->c, t->luo_fdt, order, &bit, &nbits));
		assert_int_equal(bit, 0x5a5a);
		assert_int_equal(nbits, 0xa5a5);
		assert_int_equal(luoc_kmap_chunks_test(&u->c, t->luo_fdt, order), 0);
	}
	assert_int_equal(m.reads, 0);
	assert_int_equal(u->rec.n, 0);
	tu_free(u);
	tb_free(t);
}

/*
 * The walk found every bitmap readable; a lookup maps its bitmap again and
 * must not trust that it still is.  With the bitmap of the LUO FDT's page
 * refused, the lookup is NULL ("not preserved"), caches nothing and
 * reports nothing; once readable again it answers 1.
 */
static void test_chunks_bitmap_gone(void **state)
{
	struct tb *t = tc_state("v7.0");
	struct cmem m = { .t = t };
	struct tu *u = chunks_ctx(t, &m);
	const struct luoc_kmap *km = &u->c.km;
	uint64_t bit = 0x5a5a, nbits = 0xa5a5;
	size_t k;

	(void)state;
	for (k = km->seg[0]; k < km->seg[1]; k++)
		if (km->idx[k].start <= t->luo_fdt &&
		    t->luo_fdt - km->idx[k].start < (km->bitmap_bytes * 8) << 12)
			break;
	assert_true(k < km->seg[1]);
	m.deny = km->idx[k].bitmap;
	m.deny_len = km->bitmap_bytes;

	assert_null(luoc_kmap_chunks_locate(&u->c, t->luo_fdt, 0, &bit, &nbits));
	assert_int_equal(m.denied, 1);
	assert_int_equal(bit, 0x5a5a);
	assert_int_equal(nbits, 0xa5a5);
	assert_null(km->hit[0].bmp);
	assert_int_equal(luoc_kmap_chunks_test(&u->c, t->luo_fdt, 0), 0);
	assert_int_equal(u->rec.n, 0);

	m.deny_len = 0;
	assert_int_equal(luoc_kmap_chunks_test(&u->c, t->luo_fdt, 0), 1);
	assert_non_null(km->hit[0].bmp);
	tu_free(u);
	tb_free(t);
}

/* ---- radix setup ------------------------------------------------------------ */

/*
 * A page size the profile table has no radix geometry for (below 4 KiB or
 * above 64 KiB; luoc_check() refuses those): -LUOC_EINVAL before the root
 * is read, no tree, no leaf cached.
 */
static void test_radix_page_size_unsupported(void **state)
{
	static const unsigned int shifts[] = { 11, LUOC_PSHIFT_MIN + LUOC_NPSHIFT, 20 };
	struct tb *t = tc_state("v7.1");
	struct cmem m = { .t = t };
	struct tu *u = ctx_on("v7.1", &m);
	unsigned int i;

	(void)state;
	u->c.km.head = t->kmap;
	assert_int_equal(luoc_kmap_radix_setup(&u->c), 0);
	assert_non_null(u->c.km.root_map);
	u->c.km.leaf[3].valid = true;
	for (i = 0; i < sizeof(shifts) / sizeof(shifts[0]); i++) {
		u->c.pshift = shifts[i];
		u->c.ps = (uint64_t)1 << shifts[i];
		m.reads = 0;
		assert_int_equal(luoc_kmap_radix_setup(&u->c), -LUOC_EINVAL);
		assert_null(u->c.km.root_map);
		assert_false(u->c.km.leaf[3].valid);
		assert_int_equal(m.reads, 0);
	}
	assert_int_equal(u->rec.n, 0);
	tu_free(u);
	tb_free(t);
}

/*
 * A radix depth outside 2..16 (the walk's frame stack): -LUOC_EINVAL with
 * nothing read; through luoc_kmap_setup() the map is unusable with the
 * LUO-KMAP-001 note.  Depth 16 itself is walked (an empty tree here).
 */
static void test_radix_depth_unsupported(void **state)
{
	static const uint8_t bad[] = { 0, 1, 17, 255 };
	struct luoc_profile odd = *luoc_profile_find("v7.1");
	struct tb *t = tc_state("v7.1");
	struct cmem m = { .t = t };
	struct tu *u = ctx_on("v7.1", &m);
	unsigned int i;

	(void)state;
	u->c.p = &odd;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		odd.radix[0].depth = bad[i];
		u->c.km.head = t->kmap;
		assert_int_equal(luoc_kmap_radix_setup(&u->c), -LUOC_EINVAL);
		assert_null(u->c.km.root_map);
		assert_int_equal(u->c.km.depth, bad[i]);
	}
	assert_int_equal(m.reads, 0);
	assert_int_equal(u->rec.n, 0);

	odd.radix[0].depth = 17;
	luoc_kmap_setup(&u->c, true, t->kmap);
	assert_false(u->c.km.usable);
	assert_int_equal(m.reads, 0);
	assert_int_equal(u->rec.n, 1);
	assert_true(tc_has_code(&u->rec, "LUO-KMAP-001", -LUOC_EINVAL));
	assert_int_equal(u->rec.f[0].sev, LUOC_SEV_NOTE);
	assert_int_equal(u->rec.f[0].phys, t->kmap);

	odd.radix[0].depth = 16;
	u->c.km.head = 0;
	assert_int_equal(luoc_kmap_radix_setup(&u->c), 0);
	tu_free(u);
	tb_free(t);
}

/*
 * A usable tree answers "no leaf" for an order past its orders, without a
 * walk; an empty tree (root 0) has no leaf at any order.
 */
static void test_radix_locate_bounds(void **state)
{
	struct tb *t = tc_state("v7.1");
	struct cmem m = { .t = t };
	struct tu *u = ctx_on("v7.1", &m);
	uint64_t bit = 0x5a5a, nbits = 0xa5a5;

	(void)state;
	luoc_kmap_setup(&u->c, true, t->kmap);
	assert_true(u->c.km.usable);
	assert_int_equal(luoc_kmap_radix_test(&u->c, t->luo_fdt, 0), 1);
	m.reads = 0;
	assert_null(luoc_kmap_radix_locate(&u->c, t->luo_fdt, u->c.km.orders, &bit, &nbits));
	assert_null(luoc_kmap_radix_locate(&u->c, t->luo_fdt, ~0u, &bit, &nbits));
	assert_int_equal(luoc_kmap_radix_test(&u->c, t->luo_fdt, u->c.km.orders), 0);
	assert_int_equal(bit, 0x5a5a);
	assert_int_equal(nbits, 0xa5a5);
	assert_int_equal(m.reads, 0);

	luoc_kmap_setup(&u->c, true, 0);
	assert_true(u->c.km.usable);
	assert_null(u->c.km.root_map);
	assert_null(luoc_kmap_radix_locate(&u->c, t->luo_fdt, 0, &bit, &nbits));
	assert_int_equal(luoc_kmap_test(&u->c, t->luo_fdt, 0), 0);
	assert_int_equal(m.reads, 0);
	assert_int_equal(u->rec.n, 0);
	tu_free(u);
	tb_free(t);
}

/* ---- LUO-FDT-005 on an unvalidated FDT ------------------------------------------ */

/*
 * luoc_fdt_extras() skips a property whose name libfdt cannot read (its
 * name offset past the strings block) and still reports the next one;
 * with the name intact both unknown properties are reported.
 */
static void test_extras_unreadable_name(void **state)
{
	static const char *const props[] = { "compatible" };
	const struct luoc_loc loc = { .kind = LK_LUO_ROOT };
	uint32_t buf[256];
	struct tu *u;
	int off, n = 0;

	(void)state;
	assert_int_equal(fdt_create(buf, sizeof(buf)), 0);
	assert_int_equal(fdt_finish_reservemap(buf), 0);
	assert_int_equal(fdt_begin_node(buf, ""), 0);
	assert_int_equal(fdt_property_string(buf, "compatible", "luo-v1"), 0);
	assert_int_equal(fdt_property_u32(buf, "bogus-a", 1), 0);
	assert_int_equal(fdt_property_u32(buf, "bogus-b", 2), 0);
	assert_int_equal(fdt_end_node(buf), 0);
	assert_int_equal(fdt_finish(buf), 0);

	u = tu_new("v7.0", NULL, 0);
	luoc_fdt_extras(&u->c, &loc, buf, 0, props, 1, NULL, 0);
	assert_int_equal(tc_count(&u->rec, "LUO-FDT-005", LUOC_SEV_WARNING), 2);
	assert_true(tc_has_msg(&u->rec, "LUO-FDT-005", "property bogus-a is not defined"));
	tu_free(u);

	/* the second property's name offset: past the strings block */
	fdt_for_each_property_offset(off, buf, 0) {
		if (++n == 2) {
			struct fdt_property *pr = (struct fdt_property *)
				((char *)buf + fdt_off_dt_struct(buf) + off);

			pr->nameoff = cpu_to_fdt32(fdt_size_dt_strings(buf) + 64);
		}
	}
	assert_int_equal(n, 3);
	/* what libfdt makes of it: no name, no value */
	n = 0;
	fdt_for_each_property_offset(off, buf, 0) {
		const char *name = "unset";
		int len;

		if (++n == 2)
			assert_null(fdt_getprop_by_offset(buf, off, &name, &len));
	}

	u = tu_new("v7.0", NULL, 0);
	luoc_fdt_extras(&u->c, &loc, buf, 0, props, 1, NULL, 0);
	assert_int_equal(u->rec.n, 1);
	assert_true(tc_has_code(&u->rec, "LUO-FDT-005", -LUOC_EFORMAT));
	assert_true(tc_has_msg(&u->rec, "LUO-FDT-005", "property bogus-b is not defined"));
	tu_free(u);
}

/*
 * An FLB node under the LUO root of a profile that defines none is left
 * to LUO-FLB-006; under any other node, or where the profile defines an
 * FLB node the caller did not list, it is an extra node (LUO-FDT-005).
 */
static void test_extras_flb_node_owner(void **state)
{
	static const struct {
		const char *profile;
		enum luoc_loc_kind kind;
		unsigned int warnings;
	} cases[] = {
		{ "v6.19", LK_LUO_ROOT, 0 },
		{ "v6.19", LK_LUO_SESS, 1 },
		{ "v7.0", LK_LUO_ROOT, 1 },
	};
	uint32_t buf[256];
	unsigned int i;

	(void)state;
	assert_null(luoc_profile_find("v6.19")->flb_node);
	assert_non_null(luoc_flb_node_name());
	assert_int_equal(fdt_create(buf, sizeof(buf)), 0);
	assert_int_equal(fdt_finish_reservemap(buf), 0);
	assert_int_equal(fdt_begin_node(buf, ""), 0);
	assert_int_equal(fdt_begin_node(buf, luoc_flb_node_name()), 0);
	assert_int_equal(fdt_end_node(buf), 0);
	assert_int_equal(fdt_end_node(buf), 0);
	assert_int_equal(fdt_finish(buf), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct luoc_loc loc = { .kind = cases[i].kind };
		struct tu *u = tu_new(cases[i].profile, NULL, 0);

		luoc_fdt_extras(&u->c, &loc, buf, 0, NULL, 0, NULL, 0);
		assert_int_equal(u->rec.n, cases[i].warnings);
		assert_int_equal(tc_count(&u->rec, "LUO-FDT-005", LUOC_SEV_WARNING),
				 cases[i].warnings);
		tu_free(u);
	}
}

const struct CMUnitTest tc_cover_contracts_tests[] = {
	cmocka_unit_test(test_kmap_orders_bounded),
	cmocka_unit_test(test_kmap_test_unusable),
	cmocka_unit_test(test_chunks_order_out_of_range),
	cmocka_unit_test(test_chunks_bitmap_gone),
	cmocka_unit_test(test_radix_page_size_unsupported),
	cmocka_unit_test(test_radix_depth_unsupported),
	cmocka_unit_test(test_radix_locate_bounds),
	cmocka_unit_test(test_extras_unreadable_name),
	cmocka_unit_test(test_extras_flb_node_owner),
};
const size_t tc_cover_contracts_n =
	sizeof(tc_cover_contracts_tests) / sizeof(tc_cover_contracts_tests[0]);
