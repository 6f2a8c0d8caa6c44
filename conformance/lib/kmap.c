// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * kmap.c - what the preserved-memory map says about an address.
 *
 * Both map formats answer one question: is the block of 2^order pages at
 * phys preserved?  Everything else is built on that: a structure is
 * preserved when each of its pages lies in some preserved block
 * (LUO-KMAP-002); a memfd folio must be a block of its own, starting at
 * its pfn, whose order gives the folio's size (LUO-KMAP-003).
 */
#include "luoc_int.h"

void luoc_kmap_setup(struct luoc_ctx *c, bool have_map, uint64_t map_phys)
{
	struct luoc_kmap *km = &c->km;
	const struct luoc_loc loc = { .kind = LK_KMAP };
	int rc;

	km->usable = false;
	km->orders = c->p->kmap_max_order + 1;
	if (km->orders > LUOC_ORDERS)
		km->orders = LUOC_ORDERS;
	if (!have_map)
		return;
	km->head = map_phys;
	if (c->p->kmap == LUOC_KMAP_BITMAP_CHUNKS)
		rc = luoc_kmap_chunks_setup(c);
	else
		rc = luoc_kmap_radix_setup(c);
	km->usable = rc == 0;
	if (!km->usable)
		luoc_report(c, &loc, R_KMAP_001, SEV_N, rc, map_phys,
			    "preserved-memory map unusable: LUO-KMAP-002/003 not checked");
}

int luoc_kmap_test(struct luoc_ctx *c, uint64_t phys, unsigned int order)
{
	if (!c->km.usable)
		return -1;
	if (c->p->kmap == LUOC_KMAP_BITMAP_CHUNKS)
		return luoc_kmap_chunks_test(c, phys, order);
	return luoc_kmap_radix_test(c, phys, order);
}

/* Bit 'bit' of a bitmap of native-order unsigned longs (LP64: u64). */
bool luoc_bitmap_test(const struct luoc_ctx *c, const uint8_t *bmp, uint64_t bit)
{
	uint64_t w = luoc_ld(c, bmp + (bit / 64) * 8, 8);

	return (w >> (bit % 64)) & 1;
}

/* Bits [from, from + n) of a bitmap of native-order u64 words all set. */
static bool bits_all_set(const struct luoc_ctx *c, const uint8_t *bmp, uint64_t from, uint64_t n)
{
	while (n) {
		uint64_t w = luoc_ld(c, bmp + (from / 64) * 8, 8);
		unsigned int b = (unsigned int)(from % 64);
		uint64_t take = n < 64 - b ? n : 64 - b;
		uint64_t mask = (take == 64 ? ~(uint64_t)0 : (((uint64_t)1 << take) - 1)) << b;

		if ((w & mask) != mask)
			return false;
		from += take;
		n -= take;
	}
	return true;
}

/*
 * Bits from, from + step, ... (n of them) all set, a word at a time: a
 * run's step divides 64 (folio_run.c asserts it).
 */
static bool bits_step_set(const struct luoc_ctx *c, const uint8_t *bmp, uint64_t from,
			  uint64_t n, uint64_t step)
{
	uint64_t last = from + (n - 1) * step, k;

	if (step == 1)
		return bits_all_set(c, bmp, from, n);
	for (k = from / 64; k <= last / 64; k++) {
		uint64_t m = luoc_step_mask(from, last, step, k);

		if ((luoc_ld(c, bmp + k * 8, 8) & m) != m)
			return false;
	}
	return true;
}

/*
 * The n pages phys, phys + step pages, ... each preserved as an order-0
 * block: the KMAP-002/003 test of a run of order-0 folios (folio_run.c),
 * one bitmap lookup per bitmap instead of per page, and a word at a time
 * when the pages are contiguous.  false says only that some page is not;
 * the caller then checks page by page, which reports exactly.  The caller
 * has checked that the span does not wrap.
 */
bool luoc_kmap_run0(struct luoc_ctx *c, uint64_t phys, uint64_t n, uint64_t step)
{
	while (n) {
		uint64_t bit, nbits, take;
		const uint8_t *bmp;

		if (c->p->kmap == LUOC_KMAP_BITMAP_CHUNKS)
			bmp = luoc_kmap_chunks_locate(c, phys, 0, &bit, &nbits);
		else
			bmp = luoc_kmap_radix_locate(c, phys, 0, &bit, &nbits);
		if (!bmp || bit >= nbits)
			return false;
		take = (nbits - bit + step - 1) / step;		/* pages of the run in this bitmap */
		if (take > n)
			take = n;
		if (!bits_step_set(c, bmp, bit, take, step))
			return false;
		n -= take;
		if (n)
			phys += (take * step) << c->pshift;
	}
	return true;
}

/* The preserved block holding the page at phys: its start and order. */
static bool cover(struct luoc_ctx *c, uint64_t phys, uint64_t *start, unsigned int *order)
{
	unsigned int o;

	for (o = 0; o < c->km.orders; o++) {
		uint64_t bs = c->ps << o;
		uint64_t s = phys & ~(bs - 1);

		if (luoc_kmap_test(c, s, o) == 1) {
			*start = s;
			*order = o;
			return true;
		}
	}
	return false;
}

void luoc_kmap_require(struct luoc_ctx *c, const struct luoc_loc *loc, uint64_t phys,
		       uint64_t len, const char *what)
{
	uint64_t p, end, s;
	unsigned int o;

	/* absent bytes were reported as such; one defect, one finding */
	if (!c->km.usable || !len || c->quiet || !luoc_peek(c, phys, len))
		return;
	end = phys + len;	/* luoc_peek() maps no range that wraps */
	for (p = phys & ~(c->ps - 1); p < end;) {
		if (!cover(c, p, &s, &o)) {
			luoc_report(c, loc, R_KMAP_002, SEV_E, -LUOC_ENOTPRESERVED, p,
				    "%s: page 0x%llx is not preserved in the KHO map",
				    what, (unsigned long long)p);
			return;
		}
		if (luoc_add_ovf(s, c->ps << o, &p))
			return;
	}
}

int luoc_kmap_folio(struct luoc_ctx *c, const struct luoc_loc *loc, uint64_t phys,
		    uint64_t *bytes)
{
	uint64_t s;
	unsigned int o;

	*bytes = c->ps;
	if (!c->km.usable)
		return -1;
	for (o = 0; o < c->km.orders; o++) {
		uint64_t bs = c->ps << o;

		if (!luoc_aligned(phys, bs))
			break;
		if (luoc_kmap_test(c, phys, o) == 1) {
			*bytes = bs;
			return 0;
		}
	}
	if (cover(c, phys, &s, &o)) {
		luoc_report(c, loc, R_KMAP_003, SEV_E, -LUOC_ENOTPRESERVED, phys,
			    "folio at 0x%llx is not a preserved block of its own: it lies inside the order-%u block at 0x%llx",
			    (unsigned long long)phys, o, (unsigned long long)s);
		return -LUOC_ENOTPRESERVED;
	}
	luoc_report(c, loc, R_KMAP_002, SEV_E, -LUOC_ENOTPRESERVED, phys,
		    "folio at 0x%llx is not preserved in the KHO map", (unsigned long long)phys);
	return -LUOC_ENOTPRESERVED;
}
