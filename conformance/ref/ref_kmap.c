// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * ref_kmap.c - the KHO preserved-memory map, written and read.
 *
 * kho-v1: a linked list of one-page chunks, each a header {next, order,
 * num_elms} and entries {phys_start, bitmap}; bit i of a one-page bitmap
 * marks the block of 2^order pages at phys_start + (i << (PAGE_SHIFT +
 * order)).  Orders are written in increasing order, each starting a new
 * chunk, bitmaps by increasing position.
 *
 * Radix (kho-v3): a tree of page-sized tables above page-sized leaf
 * bitmaps, indexed by key(pa, order) = (1 << (order0_log2 - order)) |
 * (pa >> (PAGE_SHIFT + order)).
 *
 * Neither format's pages are themselves preserved: they live in tracker
 * memory the successor only reads while it walks the map.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ref.h"

#define REF_MAX_BLOCKS		(1u << 22)	/* implementation limit */
#define REF_MAX_TRACKER		(1u << 20)	/* chunk or node pages */

static unsigned int page_shift(uint32_t ps)
{
	return ref_log2(ps);
}

static int cmp_pres(const void *a, const void *b)
{
	const struct ref_pres *x = a, *y = b;

	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	if (x->phys != y->phys)
		return x->phys < y->phys ? -1 : 1;
	return 0;
}

static uint8_t *w_buf(struct ref_w *w, uint64_t phys)
{
	size_t i;

	for (i = w->n_blks; i-- > 0;)
		if (w->blks[i].phys == phys)
			return w->blks[i].buf;
	return NULL;
}

/* Bitmaps are arrays of unsigned long in the writing CPU's byte order. */
static void set_bit_ul(uint8_t *bm, uint64_t bit, bool be)
{
	uint64_t b = bit % 64;

	/* NOLINTNEXTLINE(clang-analyzer-core.NullDereference): callers pass a block they allocated */
	bm[(bit / 64) * 8 + (be ? 7 - b / 8 : b / 8)] |= (uint8_t)(1u << (b % 8));
}

/* --- kho-v1 writer --------------------------------------------------------- */

static int v1_write(struct ref_w *w, uint64_t *map_phys)
{
	const struct luoc_profile *p = w->p;
	unsigned int shift = page_shift(w->ps);
	uint64_t bits = p->bitmap_bytes_fixed ? (uint64_t)p->bitmap_bytes_fixed * 8 : (uint64_t)w->ps * 8;
	uint64_t entries = (w->ps - p->chunk_hdr_size) / p->chunk_entry_size;
	uint8_t *chunk = NULL;
	uint64_t idx_cur = ~0ull;
	uint32_t ord_cur = ~0u;
	uint8_t *bitmap = NULL;
	size_t i, n = w->n_pres;
	/* preserved set sorted by (order, phys); copy: ref_w_alloc may add to it */
	struct ref_pres *v = malloc((n ? n : 1) * sizeof(*v));
	struct { uint64_t phys_start, bitmap; uint32_t order; } *ents;
	size_t n_ents = 0;
	int ret = 0;

	ents = malloc((n ? n : 1) * sizeof(*ents));
	if (!v || !ents) {
		ret = ref_w_fail(w, -ENOMEM, "out of memory");
		goto out;
	}
	memcpy(v, w->pres, n * sizeof(*v));
	qsort(v, n, sizeof(*v), cmp_pres);

	/* Bitmaps first: the kernel allocates them as blocks are preserved. */
	for (i = 0; i < n; i++) {
		uint64_t blk = v[i].phys >> (shift + v[i].order);
		uint64_t idx = blk / bits, bit = blk % bits;

		if (v[i].order != ord_cur || idx != idx_cur) {
			uint64_t bphys;

			bitmap = ref_w_alloc(w, REF_RG_TRACKER, 0, false, &bphys);
			if (!bitmap) {
				ret = -ENOMEM;
				goto out;
			}
			ents[n_ents].phys_start = (idx * bits) << (shift + v[i].order);
			ents[n_ents].bitmap = bphys;
			ents[n_ents].order = v[i].order;
			n_ents++;
			ord_cur = v[i].order;
			idx_cur = idx;
		}
		set_bit_ul(bitmap, bit, w->be);
	}

	/* Chunks: a new one per order and whenever one is full. */
	ord_cur = ~0u;
	for (i = 0; i < n_ents; i++) {
		uint64_t cnt = chunk ? ref_ldf(chunk, p->chunk_num_elms, w->be) : 0;
		uint8_t *e;

		if (!chunk || ents[i].order != ord_cur || cnt == entries) {
			uint64_t cphys;
			uint8_t *c = ref_w_alloc(w, REF_RG_TRACKER, 0, false, &cphys);

			if (!c) {
				ret = -ENOMEM;
				goto out;
			}
			ref_stf(c, p->chunk_order, ents[i].order, w->be);
			if (chunk)
				ref_stf(chunk, p->chunk_next, cphys, w->be);
			else
				*map_phys = cphys;
			chunk = c;
			ord_cur = ents[i].order;
			cnt = 0;
		}
		e = chunk + p->chunk_hdr_size + cnt * p->chunk_entry_size;
		ref_stf(e, p->bmp_phys_start, ents[i].phys_start, w->be);
		ref_stf(e, p->bmp_bitmap, ents[i].bitmap, w->be);
		ref_stf(chunk, p->chunk_num_elms, cnt + 1, w->be);
	}
out:
	free(v);
	free(ents);
	return ret;
}

/* --- radix writer ---------------------------------------------------------- */

struct radix_geo {
	unsigned int shift, tl, bl, o0, depth;
};

/* The tree's geometry from the profile table (kho-v3 and kho-v4 alike). */
static void radix_geo(const struct luoc_profile *p, uint32_t ps, struct radix_geo *g)
{
	const struct luoc_radix_geom *rg = luoc_radix_geom(p, page_shift(ps));

	g->shift = page_shift(ps);
	g->tl = rg->table_log2;
	g->bl = rg->bitmap_log2;
	g->o0 = rg->order0_log2;
	g->depth = rg->depth;
}

static int radix_write(struct ref_w *w, uint64_t *map_phys)
{
	struct radix_geo g;
	uint64_t root_phys;
	uint8_t *root;
	size_t i, n = w->n_pres;
	struct ref_pres *v;

	radix_geo(w->p, w->ps, &g);
	v = malloc((n ? n : 1) * sizeof(*v));
	if (!v)
		return ref_w_fail(w, -ENOMEM, "out of memory");
	memcpy(v, w->pres, n * sizeof(*v));
	root = ref_w_alloc(w, REF_RG_TRACKER, 0, false, &root_phys);
	if (!root) {
		free(v);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		uint64_t key = (1ull << (g.o0 - v[i].order)) | (v[i].phys >> (g.shift + v[i].order));
		uint8_t *node = root;
		unsigned int level;
		uint64_t bit;

		for (level = g.depth - 1; level >= 1; level--) {
			uint64_t idx = (key >> ((level - 1) * g.tl + g.bl)) & ((1ull << g.tl) - 1);
			uint64_t child = ref_ld(node + idx * 8, 8, w->be);

			if (!child) {
				if (!ref_w_alloc(w, REF_RG_TRACKER, 0, false, &child)) {
					free(v);
					return -ENOMEM;
				}
				ref_st(node + idx * 8, 8, child, w->be);
			}
			node = w_buf(w, child);
		}
		/* node is the leaf bitmap */
		bit = key & ((1ull << g.bl) - 1);
		set_bit_ul(node, bit, w->be);
	}
	free(v);
	*map_phys = root_phys;
	return 0;
}

int ref_kmap_write(struct ref_w *w, uint64_t *map_phys)
{
	*map_phys = 0;
	if (w->p->kmap == LUOC_KMAP_RADIX)
		return radix_write(w, map_phys);
	return v1_write(w, map_phys);
}

/* --- reader: the preserved set ---------------------------------------------- */

static int add_block(struct ref_r *r, uint64_t phys, uint32_t order)
{
	uint64_t size = (uint64_t)r->ps << order;

	if (r->n_kmap >= REF_MAX_BLOCKS)
		return ref_reject(r, "LUO-KMAP-001", REF_PH_KHO,
				  "more than %u preserved blocks (reader limit)", REF_MAX_BLOCKS);
	if (phys + size < phys)
		return ref_reject(r, "LUO-KMAP-001", REF_PH_KHO,
				  "preserved block at %#llx wraps", (unsigned long long)phys);
	if (r->n_kmap == r->cap_kmap) {
		size_t cap = r->cap_kmap ? r->cap_kmap * 2 : 256;
		struct ref_block *nb = realloc(r->kmap, cap * sizeof(*nb));

		if (!nb)
			return ref_reject(r, "", REF_PH_KHO, "out of memory");
		r->kmap = nb;
		r->cap_kmap = cap;
	}
	r->kmap[r->n_kmap].phys = phys;
	r->kmap[r->n_kmap].end = phys + size;
	r->kmap[r->n_kmap].order = order;
	r->n_kmap++;
	return 0;
}

static int cmp_block(const void *a, const void *b)
{
	const struct ref_block *x = a, *y = b;

	if (x->phys != y->phys)
		return x->phys < y->phys ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Bits set in a bitmap of unsigned longs of the image's byte order. */
static int scan_bitmap(struct ref_r *r, const uint8_t *bm, uint64_t nbits,
		       uint64_t base_key, int (*fn)(struct ref_r *, uint64_t, void *),
		       void *ctx)
{
	uint64_t wi, b;

	for (wi = 0; wi < nbits / 64; wi++) {
		uint64_t word = ref_ld(bm + wi * 8, 8, r->be);

		if (!word)
			continue;
		for (b = 0; b < 64; b++)
			if (word & (1ull << b)) {
				int ret = fn(r, base_key + wi * 64 + b, ctx);

				if (ret)
					return ret;
			}
	}
	return 0;
}

/* --- pages met while walking a map: each at most once (LUO-KMAP-101) ------- */

struct seen {
	uint64_t *v;		/* open addressing; 0 is never a tracker page here */
	size_t cap, n;
};

static size_t seen_slot(const struct seen *s, uint64_t phys)
{
	return (size_t)(((phys >> 12) * 0x9e3779b97f4a7c15ull) % s->cap);
}

static int seen_add(struct ref_r *r, struct seen *s, uint64_t phys, const char *what)
{
	size_t i;

	if ((s->n + 1) * 2 > s->cap) {
		struct seen ns = { .cap = s->cap ? s->cap * 2 : 1024 };
		size_t j;

		ns.v = calloc(ns.cap, sizeof(*ns.v));
		if (!ns.v)
			return ref_reject(r, "", REF_PH_KHO, "out of memory");
		for (j = 0; j < s->cap; j++) {
			if (!s->v[j])
				continue;
			for (i = seen_slot(&ns, s->v[j]); ns.v[i]; i = (i + 1) % ns.cap)
				;
			ns.v[i] = s->v[j];
		}
		free(s->v);
		ns.n = s->n;
		*s = ns;
	}
	for (i = seen_slot(s, phys); s->v[i]; i = (i + 1) % s->cap)
		if (s->v[i] == phys)
			return ref_reject(r, "LUO-KMAP-001", REF_PH_KHO,
					  "%s %#llx reached twice", what, (unsigned long long)phys);
	s->v[i] = phys;
	if (++s->n > REF_MAX_TRACKER)
		return ref_reject(r, "LUO-KMAP-001", REF_PH_KHO, "memory map too large");
	return 0;
}

/* --- kho-v1 reader ----------------------------------------------------------- */

struct v1_ctx {
	uint64_t phys_start;
	uint32_t order;
};

static int v1_bit(struct ref_r *r, uint64_t bit, void *vctx)
{
	struct v1_ctx *c = vctx;
	unsigned int shift = page_shift(r->ps) + c->order;
	uint64_t off = bit << shift;

	if ((off >> shift) != bit || c->phys_start + off < c->phys_start)
		return ref_reject(r, "LUO-KMAP-001", REF_PH_KHO, "bitmap block beyond 64 bits");
	return add_block(r, c->phys_start + off, c->order);
}

static int v1_read_chunks(struct ref_r *r, uint64_t map_phys, struct seen *seen)
{
	const struct luoc_profile *p = r->p;
	uint64_t bits = p->bitmap_bytes_fixed ? (uint64_t)p->bitmap_bytes_fixed * 8 : (uint64_t)r->ps * 8;
	uint64_t entries = (r->ps - p->chunk_hdr_size) / p->chunk_entry_size;
	uint64_t chunk = map_phys;

	while (chunk) {
		const uint8_t *c = ref_map(r, chunk, r->ps);
		uint64_t num, i;
		uint32_t order;
		int ret;

		if (!c || chunk % r->ps)
			return ref_reject(r, "LUO-KMAP-001", REF_PH_KHO,
					  "memory-map chunk %#llx %s", (unsigned long long)chunk,
					  c ? "is not page aligned" : "is not in the image");
		/* a chunk or bitmap page met twice is a cycle or a shared page */
		ret = seen_add(r, seen, chunk, "memory-map chunk");
		if (ret)
			return ret;
		order = (uint32_t)ref_ldf(c, p->chunk_order, r->be);
		num = ref_ldf(c, p->chunk_num_elms, r->be);
		if (order > p->kmap_max_order || num > entries)
			return ref_reject(r, "LUO-KMAP-001", REF_PH_KHO,
					  "memory-map chunk %#llx: order %u, %llu entries",
					  (unsigned long long)chunk, order, (unsigned long long)num);
		for (i = 0; i < num; i++) {
			const uint8_t *e = c + p->chunk_hdr_size + i * p->chunk_entry_size;
			struct v1_ctx ctx = {
				.phys_start = ref_ldf(e, p->bmp_phys_start, r->be),
				.order = order,
			};
			uint64_t bphys = ref_ldf(e, p->bmp_bitmap, r->be);
			const uint8_t *bm = ref_map(r, bphys, bits / 8);

			if (!bm || !bphys)
				return ref_reject(r, "LUO-KMAP-001", REF_PH_KHO,
						  "bitmap %#llx is not in the image",
						  (unsigned long long)bphys);
			if (ctx.phys_start % ((uint64_t)r->ps << order))
				return ref_reject(r, "LUO-KMAP-001", REF_PH_KHO,
						  "bitmap phys_start %#llx is not aligned to its order %u",
						  (unsigned long long)ctx.phys_start, order);
			ret = seen_add(r, seen, bphys, "bitmap");
			if (!ret)
				ret = scan_bitmap(r, bm, bits, 0, v1_bit, &ctx);
			if (ret)
				return ret;
		}
		chunk = ref_ldf(c, p->chunk_next, r->be);
	}
	return 0;
}

static int v1_read(struct ref_r *r, uint64_t map_phys)
{
	struct seen seen = { 0 };
	int ret = v1_read_chunks(r, map_phys, &seen);

	free(seen.v);
	return ret;
}

/* --- radix reader ----------------------------------------------------------- */

struct radix_ctx {
	struct radix_geo g;
	struct seen seen;
};

static int radix_key(struct ref_r *r, uint64_t key, void *vctx)
{
	struct radix_ctx *c = vctx;
	unsigned int top, order;

	if (!key)
		return ref_reject(r, "LUO-KMAP-001", REF_PH_KHO, "radix key 0 has no order bit");
	top = 63 - (unsigned int)__builtin_clzll(key);
	if (top > c->g.o0 || c->g.o0 - top > r->p->kmap_max_order)
		return ref_reject(r, "LUO-KMAP-001", REF_PH_KHO,
				  "radix key %#llx encodes no valid order", (unsigned long long)key);
	order = c->g.o0 - top;
	return add_block(r, (key & ~(1ull << top)) << (c->g.shift + order), order);
}

static int radix_node(struct ref_r *r, struct radix_ctx *c, uint64_t phys,
		      unsigned int level, uint64_t prefix)
{
	const uint8_t *node;
	uint64_t i, n = (uint64_t)1 << c->g.tl;
	int ret;

	if (phys % r->ps)
		return ref_reject(r, "LUO-KMAP-001", REF_PH_KHO,
				  "radix node %#llx is not page aligned", (unsigned long long)phys);
	node = ref_map(r, phys, r->ps);
	if (!node)
		return ref_reject(r, "LUO-KMAP-001", REF_PH_KHO,
				  "radix node %#llx is not in the image", (unsigned long long)phys);
	ret = seen_add(r, &c->seen, phys, "radix node");
	if (ret)
		return ret;
	if (level == 0)
		return scan_bitmap(r, node, (uint64_t)r->ps * 8, prefix, radix_key, c);
	for (i = 0; i < n; i++) {
		uint64_t child = ref_ld(node + i * 8, 8, r->be);
		unsigned int sh = (level - 1) * c->g.tl + c->g.bl;

		if (!child)
			continue;
		/* LUO-KMAP-103: no key bit above the order-0 bit, even in an empty subtree */
		if (sh >= 64 || (i << sh) >> sh != i || ((prefix | (i << sh)) >> c->g.o0) > 1)
			return ref_reject(r, "LUO-KMAP-001", REF_PH_KHO,
					  "radix node %#llx: entry %llu is beyond the key space",
					  (unsigned long long)phys, (unsigned long long)i);
		ret = radix_node(r, c, child, level - 1, prefix | (i << sh));
		if (ret)
			return ret;
	}
	return 0;
}

int ref_kmap_read(struct ref_r *r, uint64_t map_phys)
{
	int ret;

	if (r->p->kmap == LUOC_KMAP_RADIX) {
		struct radix_ctx c = { 0 };

		radix_geo(r->p, r->ps, &c.g);
		ret = radix_node(r, &c, map_phys, c.g.depth - 1, 0);
		free(c.seen.v);
	} else {
		ret = v1_read(r, map_phys);
	}
	if (ret)
		return ret;
	qsort(r->kmap, r->n_kmap, sizeof(*r->kmap), cmp_block);
	return 0;
}

/* --- reader: lookups ---------------------------------------------------------- */

const struct ref_block *ref_block_at(const struct ref_r *r, uint64_t phys)
{
	size_t lo = 0, hi = r->n_kmap;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->kmap[mid].phys < phys)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->n_kmap && r->kmap[lo].phys == phys ? &r->kmap[lo] : NULL;
}

bool ref_preserved(const struct ref_r *r, uint64_t phys, uint64_t len)
{
	uint64_t end = phys + len, reach = phys;
	size_t lo = 0, hi = r->n_kmap, i;

	if (end < phys)
		return false;
	/* first block starting after phys; blocks before it may cover phys */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->kmap[mid].phys <= phys)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* the largest block is PAGE_SIZE << max_order: look back that far */
	for (i = lo; i-- > 0;) {
		if (r->kmap[i].end > reach)
			reach = r->kmap[i].end;
		if (r->kmap[i].phys + ((uint64_t)r->ps << r->p->kmap_max_order) <= phys)
			break;
	}
	if (reach == phys && len)
		return false;
	for (i = lo; i < r->n_kmap && reach < end; i++) {
		if (r->kmap[i].phys > reach)
			return false;
		if (r->kmap[i].end > reach)
			reach = r->kmap[i].end;
	}
	return reach >= end;
}
