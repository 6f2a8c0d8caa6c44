// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * folio_run.c - the fast path of the folio walk: a run of order-0 folios
 * that continue each other in the file (index k + 1 follows index k) and
 * lie at equal distances in memory (pfn k + 1 = pfn k + step, step 1 for
 * physically contiguous folios), with known flags.
 *
 * That is how a large memfd usually looks, and checking its entries one
 * by one costs a kmap lookup, a presence lookup, a search of the
 * structure set and a range append per 4 KiB page, several times the
 * cost of reading the entry.  A run needs one presence lookup and one
 * structure search for all its pages and tests its KHO map bits in one
 * pass: the folio array is read at close to memory speed.
 *
 * Nothing changes in what is reported: the run is taken only when every
 * check of folio.c would pass for each of its entries (index rules,
 * presence, each page an order-0 block of the KHO map, no structure
 * overlap); otherwise luoc_folio_run() returns 0 and folio.c checks the
 * entries one by one, with its exact findings.  The run's pages are
 * claimed at once (or the range set gets the range that the per-entry
 * appends would have merged into, with the same location), and the
 * visitor sees every folio.
 */
#include "folio.h"

#define RUN_MIN		2	/* one entry gains nothing */
/*
 * Pages from one folio of a run to the next.  A run's span, gaps included,
 * must be in memory (memory_ok()), so a sparse run would ask a reader for
 * memory that holds no folio: two folios a gigabyte apart made a captured
 * state (luo-conform capture keeps what the checker reads) hold the
 * gigabyte.  At most every other page: the span is then at most twice the
 * folio data, and sparser runs take the entry-by-entry walk.
 */
#define STEP_MAX	2
/* kmap.c and folio_claim.c test and claim a run's pages a word at a time */
_Static_assert(64 % STEP_MAX == 0 && STEP_MAX <= 2, "every step of a run must divide 64");

static inline uint64_t ld64(const uint8_t *p, bool swap)
{
	uint64_t v;

	__builtin_memcpy(&v, p, 8);
	return swap ? __builtin_bswap64(v) : v;
}

static uint64_t field_mask(struct luoc_bits b)
{
	uint64_t m = b.width >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << b.width) - 1;

	return m << b.lsb;
}

/* Entry k of the run differs from what continuing entry 0 gives (0: it continues). */
#define RUN_DIFF(k, sw)								\
	(((ld64(d + (k) * size, sw) & m) ^ (want + (k) * step)) |		\
	 (ld64(ix + (k) * size, sw) ^ (index + (k))))

/*
 * How many of the n entries from e continue entry 0 (pfn, index): the
 * desc's pfn field counts up by pstep, its flag bits stay within the
 * known ones, and the index counts up by one.  The hot loop of a check:
 * four entries per test, with the byte order chosen once, so it runs at
 * about the speed the folio array can be read.
 */
static uint64_t run_length(const struct luoc_ctx *c, const struct luoc_memfd_desc *md,
			   const uint8_t *e, uint64_t n, uint64_t pfn, uint64_t pstep,
			   uint64_t index)
{
	struct luoc_bits pb = c->be ? md->folio_pfn_be : md->folio_pfn;
	struct luoc_bits fb = c->be ? md->folio_flags_be : md->folio_flags;
	uint64_t bad = field_mask(fb) & ~(((uint64_t)md->folio_flags_known) << fb.lsb);
	uint64_t m = field_mask(pb) | bad, step = pstep << pb.lsb;
	uint64_t want = pfn << pb.lsb, size = md->folio_size, k = 1;
	const uint8_t *d = e + md->folio_desc.off, *ix = e + md->folio_index.off;

	if (c->be == LUOC_HOST_BE) {
		for (; k + 4 <= n; k += 4)
			if (RUN_DIFF(k, false) | RUN_DIFF(k + 1, false) |
			    RUN_DIFF(k + 2, false) | RUN_DIFF(k + 3, false))
				break;
		for (; k < n && !RUN_DIFF(k, false); k++)
			;
	} else {
		for (; k < n && !RUN_DIFF(k, true); k++)
			;
	}
	return k;
}

/* The first entry: every per-entry check of folio.c passes for it. */
static bool first_ok(const struct luoc_ctx *c, const struct fwalk *w, uint64_t desc,
		     uint64_t index, uint64_t *pfn)
{
	const struct luoc_memfd_desc *md = w->j->md;
	struct luoc_bits pb = c->be ? md->folio_pfn_be : md->folio_pfn;
	struct luoc_bits fb = c->be ? md->folio_flags_be : md->folio_flags;

	*pfn = luoc_bits(desc, pb);
	if (!*pfn || *pfn > (UINT64_MAX >> c->pshift))
		return false;
	if (luoc_bits(desc, fb) & ~(uint64_t)md->folio_flags_known)
		return false;
	/* index <= prev_index implies index < prev_end */
	return !(w->have_prev && index < w->prev_end) && index < w->file_pages;
}

/*
 * The run's memory: present, each page an order-0 block of the KHO map,
 * no structure in its span.  The span includes the gaps between folios
 * (step > 1): a gap that is absent from the image or holds a structure
 * only sends the run to the entry-by-entry walk, which is exact.
 */
static bool memory_ok(struct luoc_ctx *c, uint64_t phys, uint64_t n, uint64_t step)
{
	uint64_t bytes = ((n - 1) * step + 1) << c->pshift, end;

	if (luoc_add_ovf(phys, bytes, &end) || !luoc_peek(c, phys, bytes))
		return false;
	if (c->km.usable && !luoc_kmap_run0(c, phys, n, step))
		return false;
	return !(c->st_final && luoc_rset_find(&c->st, phys, end));
}

/* What memory_check() in folio.c records for each folio of the run. */
static void claim(struct luoc_ctx *c, struct fwalk *w, uint64_t phys, uint64_t n,
		  uint64_t step)
{
	const struct luoc_loc loc = { LK_FOLIO, w->j->s, w->j->f, w->k };

	if (step == 1)
		luoc_claim(c, w->cl, &loc, phys, n << c->pshift);
	else
		luoc_claim_step(c, w->cl, &loc, phys, n, step);
}

static void visit(const struct luoc_ctx *c, const struct luoc_visitor *v, const struct fwalk *w,
		  const uint8_t *e, uint64_t n, uint64_t index, uint64_t phys, uint64_t step)
{
	const struct luoc_memfd_desc *md = w->j->md;
	struct luoc_bits fb = c->be ? md->folio_flags_be : md->folio_flags;
	uint64_t k;

	for (k = 0; k < n; k++) {
		uint64_t desc = luoc_rd(c, e + k * md->folio_size, md->folio_desc);

		v->folio(v->ctx, w->j->s, w->j->f, index + k,
			      phys + ((k * step) << c->pshift),
			      c->ps, (uint32_t)luoc_bits(desc, fb));
	}
}

uint64_t luoc_folio_run(struct luoc_ctx *c, struct fwalk *w, const uint8_t *e, uint64_t n,
			uint64_t *slow)
{
	const struct luoc_memfd_desc *md = w->j->md;
	struct luoc_bits pb = c->be ? md->folio_pfn_be : md->folio_pfn;
	const struct luoc_visitor *v = luoc_vis(c);
	uint64_t desc, index, pfn, step, lim, old;

	*slow = 1;
#ifdef LUOC_FOLIO_FAST_OFF
	/* the reference build of the differential test (tests/bench): no fast path */
	*slow = n ? n : 1;
	return 0;
#endif
	if (n < RUN_MIN || md->folio_desc.size != 8 || md->folio_index.size != 8)
		return 0;
	desc = luoc_rd(c, e, md->folio_desc);
	index = luoc_rd(c, e, md->folio_index);
	if (!first_ok(c, w, desc, index, &pfn))
		return 0;
	/* the distance to the second entry is the run's step */
	step = luoc_bits(luoc_rd(c, e + md->folio_size, md->folio_desc), pb) - pfn;
	if (!step || step > STEP_MAX)
		return 0;
	/* keep pfn + k step inside its field and the address space, index + k in the file */
	lim = luoc_bits(~(uint64_t)0, pb);
	if (lim > (UINT64_MAX >> c->pshift))
		lim = UINT64_MAX >> c->pshift;
	if (n - 1 > (lim - pfn) / step)
		n = (lim - pfn) / step + 1;
	if (n - 1 > w->file_pages - 1 - index)
		n = w->file_pages - index;
	n = run_length(c, md, e, n, pfn, step, index);
	if (n < RUN_MIN)
		return 0;
	if (!memory_ok(c, pfn << c->pshift, n, step)) {
		*slow = n;	/* not again for each of them: the walk stays linear */
		return 0;
	}
	claim(c, w, pfn << c->pshift, n, step);
	if (v && v->folio)
		visit(c, v, w, e, n, index, pfn << c->pshift, step);
	w->prev_index = index + n - 1;
	w->prev_end = index + n;
	w->have_prev = true;
	w->k += n;
	c->res->folios += n;
	old = c->folios_done;
	c->folios_done += n;
	/* what the per-entry walk reports: each multiple of the step, and the end */
	if (v && v->progress &&
	    (old / LUOC_PROGRESS_STEP != c->folios_done / LUOC_PROGRESS_STEP ||
	     c->folios_done == c->folios_total))
		v->progress(v->ctx, c->folios_done, c->folios_total);
	return n;
}
