// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * kmap_radix.c - the radix-tree preserved-memory map (kho-v2 and later).
 *
 * A preserved block of order o at pa is the key
 *     (1 << (order0_log2 - o)) | (pa >> (PAGE_SHIFT + o))
 * whose low bitmap_log2 bits index a leaf bitmap and whose higher bits,
 * table_log2 at a time, index the node tables from the root down.  The
 * geometry comes from the profile table (kho-v3 and kho-v4 alike).
 *
 * Setup walks every node once (LUO-KMAP-001): pointers page aligned and
 * present, no key bits above the order-0 bit, no leaf holding keys of an
 * order beyond the maximum, and no node reached twice (an ancestor check
 * catches the cheap cycles at once; a sorted list of every node visited,
 * kept in the workspace, catches the rest).  A lookup walks from the root
 * only when it leaves the leaf it used last for that order.
 *
 * The visited set is an open-addressing hash table of node addresses in
 * borrowed workspace, so a revisit is caught when it happens and never
 * descended into: a DAG of shared nodes cannot make the walk exponential.
 */
#include "luoc_int.h"

#define RADIX_MAX_DEPTH		16
#define RADIX_MAX_NODES		((uint64_t)1 << 22)
#define SEEN_MAX_LOG2		20	/* 8 MiB at most: tracks 512Ki nodes */

struct frame {
	const uint8_t *node;
	uint64_t phys, base;
	uint64_t idx;
};

struct rwalk {
	struct frame fr[RADIX_MAX_DEPTH];
	unsigned int sp;
	uint64_t *seen;		/* hash set of visited nodes (workspace, temporary) */
	unsigned int seen_log2, seen_max_log2;
	size_t seen_slots;	/* u64 slots the table may borrow */
	uint64_t nseen;
	uint64_t steps;
	bool stop;
};

static unsigned int level_shift(const struct luoc_kmap *km, unsigned int level)
{
	return km->bitmap_log2 + (level - 1) * km->table_log2;
}

static void leaf_check(struct luoc_ctx *c, uint64_t key, uint64_t phys)
{
	const struct luoc_loc loc = { .kind = LK_KMAP };
	struct luoc_kmap *km = &c->km;
	unsigned int order = key ? km->order0_log2 - luoc_fls64(key) : 64;
	const uint8_t *leaf;

	if (order <= c->p->kmap_max_order)
		return;
	leaf = luoc_peek(c, phys, c->ps);
	if (leaf && !luoc_all_zero(leaf, c->ps))
		luoc_report(c, &loc, R_KMAP_001, SEV_E, -LUOC_ERANGE, phys,
			    "leaf at 0x%llx (key prefix 0x%llx) holds blocks of order %u > max order %u",
			    (unsigned long long)phys, (unsigned long long)key, order,
			    c->p->kmap_max_order);
}

/*
 * The table starts at one page and grows (x4, rehashed) as nodes are
 * found, up to SEEN_MAX_LOG2: clearing the largest table up front cost
 * more than the whole walk of a usual tree (8 MiB of fresh pages).
 */
#define SEEN_MIN_LOG2		9

static void seen_init(struct luoc_ctx *c, struct rwalk *w)
{
	size_t slots = c->ws.lo ? luoc_ws_free(c) / sizeof(uint64_t) : 0;

	w->seen_max_log2 = 0;
	while (w->seen_max_log2 < SEEN_MAX_LOG2 && ((size_t)2 << w->seen_max_log2) <= slots)
		w->seen_max_log2++;
	if (w->seen_max_log2 < 4) {
		w->seen = NULL;
		luoc_ws_enospc(c, "the radix duplicate-node check");
		return;
	}
	w->seen_slots = slots;
	w->seen_log2 = w->seen_max_log2 < SEEN_MIN_LOG2 ? w->seen_max_log2 : SEEN_MIN_LOG2;
	w->seen = (uint64_t *)c->ws.lo;	/* borrowed, not taken: freed after setup */
	__builtin_memset(w->seen, 0, sizeof(uint64_t) << w->seen_log2);
}

static void seen_put(const struct luoc_ctx *c, uint64_t *tab, unsigned int log2, uint64_t phys)
{
	uint64_t mask = ((uint64_t)1 << log2) - 1;
	uint64_t h = ((phys >> c->pshift) * 0x9e3779b97f4a7c15ULL) >> (64 - log2);

	while (tab[h])
		h = (h + 1) & mask;
	tab[h] = phys;
}

/* Rehash into a larger table built beside the old one, then moved down. */
static bool seen_grow(const struct luoc_ctx *c, struct rwalk *w)
{
	unsigned int nl = w->seen_log2 + 2 < w->seen_max_log2 ? w->seen_log2 + 2 : w->seen_max_log2;
	size_t old = (size_t)1 << w->seen_log2, i;
	uint64_t *tab;

	while (nl > w->seen_log2 && old + ((size_t)1 << nl) > w->seen_slots)
		nl--;
	if (nl == w->seen_log2)
		return false;
	tab = w->seen + old;
	__builtin_memset(tab, 0, sizeof(uint64_t) << nl);
	for (i = 0; i < old; i++)
		if (w->seen[i])
			seen_put(c, tab, nl, w->seen[i]);
	__builtin_memmove(w->seen, tab, sizeof(uint64_t) << nl);
	w->seen_log2 = nl;
	return true;
}

/* Insert phys; false when it was there already. */
static bool seen_add(struct luoc_ctx *c, struct rwalk *w, uint64_t phys)
{
	uint64_t mask, h;

	if (!w->seen)
		return true;
	if (w->nseen >= (((uint64_t)1 << w->seen_log2) - 1) / 2 && !seen_grow(c, w)) {
		w->seen = NULL;		/* full: stop recording */
		luoc_ws_enospc(c, "the radix duplicate-node check");
		return true;
	}
	mask = ((uint64_t)1 << w->seen_log2) - 1;
	h = ((phys >> c->pshift) * 0x9e3779b97f4a7c15ULL) >> (64 - w->seen_log2);
	for (;; h = (h + 1) & mask) {
		if (w->seen[h] == phys)
			return false;
		if (!w->seen[h]) {
			w->seen[h] = phys;
			w->nseen++;
			return true;
		}
	}
}

/* Record a visited node; false when it must not be descended into. */
static bool visit(struct luoc_ctx *c, struct rwalk *w, uint64_t phys, uint64_t parent)
{
	const struct luoc_loc loc = { .kind = LK_KMAP };

	if (++w->steps > RADIX_MAX_NODES) {
		luoc_report(c, &loc, R_KMAP_001, SEV_E, -LUOC_ELOOP, phys,
			    "radix tree has more than %llu nodes",
			    (unsigned long long)RADIX_MAX_NODES);
		w->stop = true;
		return false;
	}
	if (!seen_add(c, w, phys)) {
		luoc_report(c, &loc, R_KMAP_001, SEV_E, -LUOC_ELOOP, phys,
			    "radix node 0x%llx is reached a second time (from node 0x%llx)",
			    (unsigned long long)phys, (unsigned long long)parent);
		return false;
	}
	return true;
}

/* An empty table entry (0 in either byte order). */
static bool zero_entry(const uint8_t *p)
{
	uint64_t v;

	__builtin_memcpy(&v, p, 8);
	return !v;
}

/* One non-zero table entry of the node on top of the stack. */
static void step(struct luoc_ctx *c, struct rwalk *w)
{
	const struct luoc_loc loc = { .kind = LK_KMAP };
	struct luoc_kmap *km = &c->km;
	struct frame *f = &w->fr[w->sp - 1];
	unsigned int level = km->depth - w->sp, k;
	uint64_t i = f->idx++, e, key;
	const uint8_t *child;

	e = luoc_ld(c, f->node + i * 8, 8);	/* not 0: the caller passes over empty entries */
	key = f->base | (i << level_shift(km, level));
	if (key >> (km->order0_log2 + 1)) {
		luoc_report(c, &loc, R_KMAP_001, SEV_E, -LUOC_ERANGE, f->phys,
			    "node at 0x%llx entry %llu: key bits above the order-0 bit are set",
			    (unsigned long long)f->phys, (unsigned long long)i);
		return;
	}
	child = luoc_aligned(e, c->ps) ? luoc_peek(c, e, c->ps) : NULL;
	if (!child) {
		luoc_report(c, &loc, R_KMAP_001, SEV_E,
			    luoc_aligned(e, c->ps) ? -LUOC_EABSENT : -LUOC_EALIGN, e,
			    "node at 0x%llx entry %llu: child 0x%llx is %s",
			    (unsigned long long)f->phys, (unsigned long long)i,
			    (unsigned long long)e,
			    luoc_aligned(e, c->ps) ? "not in the image" : "not page aligned");
		return;
	}
	for (k = 0; k < w->sp; k++) {
		if (w->fr[k].phys == e) {
			luoc_report(c, &loc, R_KMAP_001, SEV_E, -LUOC_ELOOP, e,
				    "node at 0x%llx entry %llu points back to its ancestor 0x%llx",
				    (unsigned long long)f->phys, (unsigned long long)i,
				    (unsigned long long)e);
			return;
		}
	}
	if (!visit(c, w, e, f->phys))
		return;
	if (level == 1) {
		leaf_check(c, key, e);
		return;
	}
	w->fr[w->sp].node = child;
	w->fr[w->sp].phys = e;
	w->fr[w->sp].base = key;
	w->fr[w->sp].idx = 0;
	w->sp++;
}

int luoc_kmap_radix_setup(struct luoc_ctx *c)
{
	const struct luoc_loc loc = { .kind = LK_KMAP };
	struct luoc_kmap *km = &c->km;
	uint64_t entries = c->ps / 8, root = km->head;
	struct rwalk w;
	unsigned int o;

	const struct luoc_radix_geom *g = luoc_radix_geom(c->p, c->pshift);

	km->root_map = NULL;
	for (o = 0; o < LUOC_ORDERS; o++)
		km->leaf[o].valid = false;
	if (!g)
		return -LUOC_EINVAL;
	km->table_log2 = g->table_log2;
	km->bitmap_log2 = g->bitmap_log2;
	km->order0_log2 = g->order0_log2;
	km->depth = g->depth;
	if (km->depth < 2 || km->depth > RADIX_MAX_DEPTH)
		return -LUOC_EINVAL;
	if (!root)
		return 0;		/* empty tree: nothing preserved */
	if (!luoc_aligned(root, c->ps) || !luoc_peek(c, root, c->ps)) {
		if (luoc_addr_swapped(c, root, c->ps))
			luoc_report(c, &loc, R_FDT_004, SEV_E, -LUOC_EBYTEORDER, root,
				    "radix root 0x%llx is only in the image byte-swapped",
				    (unsigned long long)root);
		else
			luoc_report(c, &loc, R_KMAP_001, SEV_E,
				    luoc_aligned(root, c->ps) ? -LUOC_EABSENT : -LUOC_EALIGN, root,
				    "radix root 0x%llx is %s", (unsigned long long)root,
				    luoc_aligned(root, c->ps) ? "not in the image" : "not page aligned");
		return -LUOC_EFORMAT;
	}
	km->root_map = luoc_peek(c, root, c->ps);

	__builtin_memset(&w, 0, sizeof(w));
	seen_init(c, &w);
	visit(c, &w, root, 0);
	w.fr[0].node = km->root_map;
	w.fr[0].phys = root;
	w.sp = 1;
	while (w.sp && !w.stop) {
		struct frame *f = &w.fr[w.sp - 1];

		/* most entries of a node are 0: pass over them without a step() each */
		while (f->idx < entries && zero_entry(f->node + f->idx * 8))
			f->idx++;
		if (f->idx == entries)
			w.sp--;
		else
			step(c, &w);
	}
	return 0;
}

/*
 * The leaf that holds the block of 2^order pages at phys: its mapping, the
 * block's bit in it and the leaf's size in bits; NULL when the tree has
 * no such leaf.  A walk from the root happens only when the lookup leaves
 * the leaf used last for that order.
 */
const uint8_t *luoc_kmap_radix_locate(struct luoc_ctx *c, uint64_t phys, unsigned int order,
				      uint64_t *bit, uint64_t *nbits)
{
	struct luoc_kmap *km = &c->km;
	uint64_t key, lk, mask = c->ps / 8 - 1;
	unsigned int level;

	if (order >= km->orders || !km->root_map)
		return NULL;
	key = ((uint64_t)1 << (km->order0_log2 - order)) | (phys >> (c->pshift + order));
	lk = key >> km->bitmap_log2;
	if (!km->leaf[order].valid || km->leaf[order].leafkey != lk) {
		const uint8_t *node = km->root_map;

		for (level = km->depth - 1; level >= 1 && node; level--) {
			uint64_t e = luoc_ld(c, node + ((key >> level_shift(km, level)) & mask) * 8, 8);

			node = (e && luoc_aligned(e, c->ps)) ? luoc_peek(c, e, c->ps) : NULL;
		}
		km->leaf[order].valid = true;
		km->leaf[order].leafkey = lk;
		km->leaf[order].leaf = node;
	}
	*bit = key & (((uint64_t)1 << km->bitmap_log2) - 1);
	*nbits = (uint64_t)1 << km->bitmap_log2;
	return km->leaf[order].leaf;
}

int luoc_kmap_radix_test(struct luoc_ctx *c, uint64_t phys, unsigned int order)
{
	uint64_t bit, nbits;
	const uint8_t *leaf = luoc_kmap_radix_locate(c, phys, order, &bit, &nbits);

	return leaf ? luoc_bitmap_test(c, leaf, bit) : 0;
}
