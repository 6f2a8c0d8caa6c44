// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * kmap_chunks.c - the kho-v1 preserved-memory map: a linked list of
 * page-sized chunks, each holding bitmaps of one order.
 *
 * The list is walked once (LUO-KMAP-001): each chunk page aligned and
 * present, num_elms and order within bounds, each bitmap present, and the
 * list free of cycles (Brent's algorithm: no memory, at most about twice
 * the list length in steps).  The walk builds an index of (order,
 * phys_start, bitmap) in the workspace, sorted once, so a lookup is a
 * binary search within its order; a last-hit cache per order makes the
 * common run of neighbouring lookups O(1).
 */
#include "luoc_int.h"

static int cmp_ent(const void *a, const void *b)
{
	const struct luoc_kmap_ent *x = a, *y = b;

	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return 0;
}

static uint64_t coverage(const struct luoc_ctx *c, uint64_t order)
{
	return (c->km.bitmap_bytes * 8) << (c->pshift + order);
}

struct walk {
	bool full;		/* index did not fit */
	bool truncated;		/* a chunk could not be read: the list is lost */
	uint64_t chunk;		/* chunk number, for messages */
};

static void entry(struct luoc_ctx *c, struct walk *w, const uint8_t *ep, uint32_t order,
		  uint32_t e)
{
	const struct luoc_profile *p = c->p;
	const struct luoc_loc loc = { .kind = LK_KMAP };
	struct luoc_kmap *km = &c->km;
	uint64_t start = luoc_rd(c, ep, p->bmp_phys_start);
	uint64_t bmp = luoc_rd(c, ep, p->bmp_bitmap);
	uint64_t end, balign = km->bitmap_bytes >= c->ps ? c->ps : 8;
	struct luoc_kmap_ent *ent;

	if (!luoc_aligned(bmp, balign) || !luoc_peek(c, bmp, km->bitmap_bytes)) {
		luoc_report(c, &loc, R_KMAP_001, SEV_E,
			    luoc_aligned(bmp, balign) ? -LUOC_EABSENT : -LUOC_EALIGN, bmp,
			    "chunk %llu entry %u: bitmap at 0x%llx is %s",
			    (unsigned long long)w->chunk, e, (unsigned long long)bmp,
			    luoc_aligned(bmp, balign) ? "not in the image" : "misaligned");
		return;
	}
	if (luoc_add_ovf(start, coverage(c, order), &end) ||
	    !luoc_aligned(start, c->ps << order)) {
		luoc_report(c, &loc, R_KMAP_001, SEV_E, -LUOC_ERANGE, start,
			    "chunk %llu entry %u: phys_start 0x%llx is not order-%u aligned or its bitmap runs past the address space",
			    (unsigned long long)w->chunk, e, (unsigned long long)start, order);
		return;
	}
	if (w->full)
		return;
	ent = luoc_ws_take_lo(c, sizeof(*ent));
	if (!ent || ent != km->idx + km->n) {
		w->full = true;
		luoc_ws_enospc(c, "the kho-v1 bitmap index (LUO-KMAP-002/003)");
		return;
	}
	ent->start = start;
	ent->bitmap = bmp;
	ent->order = order;
	km->n++;
}

/* One chunk page; returns its next pointer, or 0 to stop. */
static uint64_t chunk(struct luoc_ctx *c, struct walk *w, uint64_t cur)
{
	const struct luoc_profile *p = c->p;
	const struct luoc_loc loc = { .kind = LK_KMAP };
	uint32_t per = (uint32_t)((c->ps - p->chunk_hdr_size) / p->chunk_entry_size);
	const uint8_t *ch;
	uint32_t order, num, e;

	if (!luoc_aligned(cur, c->ps)) {
		luoc_report(c, &loc, R_KMAP_001, SEV_E, -LUOC_EALIGN, cur,
			    "chunk %llu at 0x%llx is not page aligned",
			    (unsigned long long)w->chunk, (unsigned long long)cur);
		w->truncated = true;
		return 0;
	}
	ch = luoc_peek(c, cur, c->ps);
	if (!ch) {
		if (luoc_addr_swapped(c, cur, c->ps))
			luoc_report(c, &loc, R_FDT_004, SEV_E, -LUOC_EBYTEORDER, cur,
				    "chunk %llu address 0x%llx is only in the image byte-swapped",
				    (unsigned long long)w->chunk, (unsigned long long)cur);
		else
			luoc_report(c, &loc, R_KMAP_001, SEV_E, -LUOC_EABSENT, cur,
				    "chunk %llu at 0x%llx is not in the image",
				    (unsigned long long)w->chunk, (unsigned long long)cur);
		w->truncated = true;
		return 0;
	}
	order = (uint32_t)luoc_rd(c, ch, p->chunk_order);
	num = (uint32_t)luoc_rd(c, ch, p->chunk_num_elms);
	if (num > per) {
		luoc_report(c, &loc, R_KMAP_001, SEV_E, -LUOC_ERANGE, cur,
			    "chunk %llu: num_elms %u > %u entries per chunk",
			    (unsigned long long)w->chunk, num, per);
		num = per;
	}
	if (order > p->kmap_max_order) {
		luoc_report(c, &loc, R_KMAP_001, SEV_E, -LUOC_ERANGE, cur,
			    "chunk %llu: order %u > max order %u",
			    (unsigned long long)w->chunk, order, p->kmap_max_order);
		num = 0;
	}
	for (e = 0; e < num; e++)
		entry(c, w, ch + p->chunk_hdr_size + (size_t)e * p->chunk_entry_size, order, e);
	return luoc_rd(c, ch, p->chunk_next);
}

/* Same-order bitmaps that cover the same pages make lookups ambiguous. */
static void index_finish(struct luoc_ctx *c)
{
	const struct luoc_loc loc = { .kind = LK_KMAP };
	struct luoc_kmap *km = &c->km;
	size_t k;
	unsigned int o;

	luoc_heapsort(km->idx, km->n, sizeof(*km->idx), cmp_ent);
	for (k = 1; k < km->n; k++) {
		const struct luoc_kmap_ent *a = &km->idx[k - 1], *b = &km->idx[k];

		if (a->order == b->order && b->start - a->start < coverage(c, a->order))
			luoc_report(c, &loc, R_KMAP_001, SEV_E, -LUOC_EOVERLAP, b->start,
				    "two order-%llu bitmaps cover 0x%llx",
				    (unsigned long long)a->order, (unsigned long long)b->start);
	}
	for (o = 0, k = 0; o <= LUOC_ORDERS; o++) {
		while (k < km->n && km->idx[k].order < o)
			k++;
		km->seg[o] = k;
	}
	for (o = 0; o < LUOC_ORDERS; o++)
		km->hit[o].bmp = NULL;
}

int luoc_kmap_chunks_setup(struct luoc_ctx *c)
{
	const struct luoc_loc loc = { .kind = LK_KMAP };
	struct luoc_kmap *km = &c->km;
	struct walk w = { false, false, 0 };
	uint64_t cur = km->head, saved = cur, power = 1, lam = 0;

	km->bitmap_bytes = c->p->bitmap_bytes_fixed ? c->p->bitmap_bytes_fixed : c->ps;
	km->idx = (struct luoc_kmap_ent *)c->ws.lo;
	km->n = 0;
	if (!km->idx) {
		w.full = true;
		luoc_ws_enospc(c, "the kho-v1 bitmap index (LUO-KMAP-002/003)");
	}
	while (cur) {
		uint64_t next = chunk(c, &w, cur);

		if (next && next == saved) {
			luoc_report(c, &loc, R_KMAP_001, SEV_E, -LUOC_ELOOP, cur,
				    "chunk list loops: chunk %llu at 0x%llx links back to 0x%llx",
				    (unsigned long long)w.chunk, (unsigned long long)cur,
				    (unsigned long long)next);
			break;
		}
		if (++lam == power) {	/* Brent: move the checkpoint */
			saved = next;
			power <<= 1;
			lam = 0;
		}
		cur = next;
		w.chunk++;
	}
	if (w.full)
		return -LUOC_ENOSPC;
	/* what the lost chunks preserved is unknown: KMAP-002 would only echo it */
	if (w.truncated)
		return -LUOC_EFORMAT;
	index_finish(c);
	return 0;
}

/*
 * The bitmap that holds the block of 2^order pages at phys: its mapping,
 * the block's bit in it and the bitmap's size in bits; NULL when no
 * bitmap of that order covers phys.
 */
const uint8_t *luoc_kmap_chunks_locate(struct luoc_ctx *c, uint64_t phys, unsigned int order,
				       uint64_t *bit, uint64_t *nbits)
{
	struct luoc_kmap *km = &c->km;
	const struct luoc_kmap_ent *e;
	uint64_t cov;
	size_t lo, hi;

	if (order >= km->orders)
		return NULL;
	cov = coverage(c, order);
	if (km->hit[order].bmp) {
		e = &km->idx[km->hit[order].k];
		if (phys >= e->start && phys - e->start < cov)
			goto found;
	}
	/* last entry of this order with start <= phys */
	lo = km->seg[order];
	hi = km->seg[order + 1];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (km->idx[mid].start <= phys)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == km->seg[order])
		return NULL;
	e = &km->idx[lo - 1];
	if (phys - e->start >= cov)
		return NULL;
	km->hit[order].k = (size_t)(e - km->idx);
	km->hit[order].bmp = luoc_peek(c, e->bitmap, km->bitmap_bytes);
	if (!km->hit[order].bmp)
		return NULL;
found:
	*bit = (phys - e->start) >> (c->pshift + order);
	*nbits = km->bitmap_bytes * 8;
	return km->hit[order].bmp;
}

int luoc_kmap_chunks_test(struct luoc_ctx *c, uint64_t phys, unsigned int order)
{
	uint64_t bit, nbits;
	const uint8_t *bmp = luoc_kmap_chunks_locate(c, phys, order, &bit, &nbits);

	return bmp ? luoc_bitmap_test(c, bmp, bit) : 0;
}
