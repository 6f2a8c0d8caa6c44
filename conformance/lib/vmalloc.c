// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * vmalloc.c - struct kho_vmalloc: a chain of page-sized chunks listing the
 * pages of a preserved vmalloc area (here: a memfd's folio array).
 *
 * The first walk checks the chain (LUO-MEMFD-003: pages listed ==
 * total_pages, no cycle, every chunk and page present, aligned and
 * preserved) and records each chunk and page for the overlap check.  It
 * is bounded twice: by total_pages (a u32) and by Brent's cycle check.
 * As in the kernel's restore, a 0 entry ends a chunk's list and the walk
 * goes on at 'next' regardless.
 * The second walk, over a chain already found sound, only hands the pages
 * to the folio checker.
 */
#include "luoc_int.h"

#define CHUNK_NEXT	((struct luoc_field){ LUOC_KHO_VMALLOC_KHO_VMALLOC_CHUNK_NEXT_OFF, \
					      LUOC_KHO_VMALLOC_KHO_VMALLOC_CHUNK_NEXT_SIZE })

void luoc_vmdesc_decode(const struct luoc_ctx *c, const uint8_t *raw, struct luoc_vmdesc *d)
{
	const struct luoc_profile *p = c->p;

	d->first = luoc_rd(c, raw, p->vm_first);
	d->total_pages = (uint32_t)luoc_rd(c, raw, p->vm_total_pages);
	d->flags = (uint16_t)luoc_rd(c, raw, p->vm_flags);
	d->order = (uint16_t)luoc_rd(c, raw, p->vm_order);
}

static uint64_t chunk_entries(const struct luoc_ctx *c)
{
	return LUOC_KHO_VMALLOC_KHO_VMALLOC_CHUNK_ENTRIES(c->ps);
}

struct vwalk {
	const struct luoc_loc *floc;
	const struct luoc_vmdesc *d;
	uint64_t listed;
	bool bad;
};

/* The pages one chunk lists; false on an error that ends the walk. */
static bool chunk_pages(struct luoc_ctx *c, struct vwalk *w, const uint8_t *ch)
{
	const struct luoc_profile *p = c->p;
	uint64_t k, pg = c->ps << w->d->order;

	for (k = 0; k < chunk_entries(c); k++) {
		uint64_t ph = luoc_ld(c, ch + p->vm_chunk_hdr_size + k * 8, 8);
		struct luoc_loc loc = { LK_VMPAGE, w->floc->s, w->floc->f, w->listed };

		if (!ph)
			return true;
		if (w->listed >= w->d->total_pages) {
			luoc_report(c, w->floc, R_MEMFD_003, SEV_E, -LUOC_ERANGE, ph,
				    "folio array chain lists more than total_pages %u pages",
				    w->d->total_pages);
			w->bad = true;
			return false;
		}
		if (!luoc_aligned(ph, pg))
			luoc_report(c, &loc, R_MEM_003, SEV_E, -LUOC_EALIGN, ph,
				    "folio-array page 0x%llx is not aligned to its order %u",
				    (unsigned long long)ph, w->d->order);
		if (!luoc_need(c, &loc, R_MEMFD_003, ph, pg, "folio-array page"))
			w->bad = true;
		luoc_rset_add(c, &c->st, &loc, ph, pg, true);
		luoc_kmap_require(c, &loc, ph, pg, "folio-array page");
		w->listed++;
	}
	return true;
}

int luoc_vmalloc_walk(struct luoc_ctx *c, const struct luoc_loc *floc,
		      const struct luoc_vmdesc *d)
{
	struct vwalk w = { floc, d, 0, false };
	uint64_t cur = d->first, saved = cur, power = 1, lam = 0, n = 0;
	uint64_t max_chunks = d->total_pages / chunk_entries(c) + 2;

	while (cur) {
		struct luoc_loc loc = { LK_VMCHUNK, floc->s, floc->f, n };
		const uint8_t *ch;
		uint64_t next;

		if (!luoc_aligned(cur, c->ps))
			luoc_report(c, &loc, R_MEM_003, SEV_E, -LUOC_EALIGN, cur,
				    "vmalloc chunk 0x%llx is not page aligned", (unsigned long long)cur);
		ch = luoc_need(c, &loc, R_MEMFD_003, cur, c->ps, "vmalloc chunk");
		luoc_rset_add(c, &c->st, &loc, cur, c->ps, true);
		luoc_kmap_require(c, &loc, cur, c->ps, "vmalloc chunk");
		if (!ch)
			return -LUOC_EABSENT;
		if (!chunk_pages(c, &w, ch))
			break;
		next = luoc_rd(c, ch, CHUNK_NEXT);
		if (next && (next == saved || ++n >= max_chunks)) {
			luoc_report(c, &loc, R_MEMFD_003, SEV_E, -LUOC_ELOOP, cur,
				    "vmalloc chunk chain loops or is longer than total_pages %u needs (next 0x%llx)",
				    d->total_pages, (unsigned long long)next);
			return -LUOC_ELOOP;
		}
		if (++lam == power) {	/* Brent: move the checkpoint */
			saved = next;
			power <<= 1;
			lam = 0;
		}
		cur = next;
	}
	if (w.bad)
		return -LUOC_EFORMAT;
	if (w.listed != d->total_pages) {
		luoc_report(c, floc, R_MEMFD_003, SEV_E, -LUOC_ERANGE, d->first,
			    "folio array chain lists %llu pages, total_pages is %u",
			    (unsigned long long)w.listed, d->total_pages);
		return -LUOC_ERANGE;
	}
	return 0;
}

/* Second walk over a chain luoc_vmalloc_walk() accepted. */
int luoc_vmalloc_pages(struct luoc_ctx *c, const struct luoc_vmdesc *d,
		       luoc_vmpage_fn fn, void *arg)
{
	uint64_t cur = d->first, idx = 0, pg = c->ps << d->order;

	while (cur && idx < d->total_pages) {
		const uint8_t *ch = luoc_peek(c, cur, c->ps);
		uint64_t k;

		if (!ch)
			return -LUOC_EABSENT;
		for (k = 0; k < chunk_entries(c) && idx < d->total_pages; k++, idx++) {
			uint64_t ph = luoc_ld(c, ch + c->p->vm_chunk_hdr_size + k * 8, 8);
			const uint8_t *page;
			int rc;

			if (!ph)
				break;
			page = luoc_peek(c, ph, pg);
			if (!page)
				return -LUOC_EABSENT;
			rc = fn(c, arg, idx, ph, page);
			if (rc)
				return rc > 0 ? 0 : rc;
		}
		cur = luoc_rd(c, ch, CHUNK_NEXT);
	}
	return 0;
}
