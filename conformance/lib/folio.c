// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * folio.c - memfd folio entries (LUO-MEMFD-004/005, LUO-KMAP-002/003,
 * folio data in LUO-MEM-002).
 *
 * This is the long part of a check (millions of entries), so it is one
 * linear pass: each folio-array page is mapped once, each entry costs a
 * kmap lookup that its per-order cache usually answers without a walk, a
 * binary search in the sorted structure set, and an append to the folio
 * range set (merged with its predecessor when physically contiguous).
 * Runs of order-0 folios that continue each other in the file and in
 * memory, the usual shape of a large memfd, take a faster path that
 * checks the whole run at once (folio_run.c).  Folio data overlaps are
 * first ruled out with a bitmap of claimed pages, and only when one is
 * found looked for again with the range set (folio_claim.c).
 * Files are queued as jobs during the structure walk and run afterwards,
 * so the structure set is complete when folios are checked against it.
 */
#include "folio.h"

#define PROGRESS_STEP	LUOC_PROGRESS_STEP

static void progress(struct luoc_ctx *c)
{
	const struct luoc_visitor *v = luoc_vis(c);

	if (v && v->progress &&
	    (c->folios_done % PROGRESS_STEP == 0 || c->folios_done == c->folios_total))
		v->progress(v->ctx, c->folios_done, c->folios_total);
}

/* Index rules: strictly increasing, not overlapping, inside the file. */
static void index_check(struct luoc_ctx *c, struct fwalk *w, const struct luoc_loc *loc,
			uint64_t at, uint64_t index)
{
	if (w->have_prev && index <= w->prev_index)
		luoc_report(c, loc, R_MEMFD_004, SEV_E, -LUOC_ERANGE, at,
			    "index %llu does not follow the previous index %llu",
			    (unsigned long long)index, (unsigned long long)w->prev_index);
	else if (w->have_prev && index < w->prev_end)
		luoc_report(c, loc, R_MEMFD_005, SEV_E, -LUOC_EOVERLAP, at,
			    "index %llu lies inside the previous folio (pages %llu..%llu)",
			    (unsigned long long)index, (unsigned long long)w->prev_index,
			    (unsigned long long)w->prev_end - 1);
	if (index >= w->file_pages)
		luoc_report(c, loc, R_MEMFD_004, SEV_E, -LUOC_ERANGE, at,
			    "index %llu lies beyond the file's %llu bytes",
			    (unsigned long long)index, (unsigned long long)w->j->size);
}

/* The folio's memory: preserved as one block, present, not shared. */
static uint64_t memory_check(struct luoc_ctx *c, struct fwalk *w, const struct luoc_loc *loc,
			     uint64_t phys)
{
	const struct luoc_range *r;
	uint64_t bytes, end;

	if (!luoc_need(c, loc, R_MEMFD_004, phys, c->ps, "folio"))
		return c->ps;
	luoc_kmap_folio(c, loc, phys, &bytes);
	if (bytes > c->ps && !luoc_need(c, loc, R_MEMFD_004, phys, bytes, "folio"))
		return bytes;
	end = phys + bytes;
	r = c->st_final ? luoc_rset_find(&c->st, phys, end) : NULL;
	if (r) {
		char other[LUOC_WHERE_MAX];
		struct luoc_loc ol;

		luoc_range_loc(r, &ol);
		luoc_render_loc(c, &ol, other, sizeof(other));
		luoc_report(c, loc, R_MEM_002, SEV_E, -LUOC_EOVERLAP, phys,
			    "folio data [0x%llx, 0x%llx) overlaps %s [0x%llx, 0x%llx)",
			    (unsigned long long)phys, (unsigned long long)end, other,
			    (unsigned long long)r->start, (unsigned long long)r->end);
	}
	luoc_claim(c, w->cl, loc, phys, bytes);
	return bytes;
}

static void folio_one(struct luoc_ctx *c, struct fwalk *w, const uint8_t *e, uint64_t at)
{
	const struct luoc_memfd_desc *md = w->j->md;
	const struct luoc_loc loc = { LK_FOLIO, w->j->s, w->j->f, w->k };
	uint64_t desc = luoc_rd(c, e, md->folio_desc), index = luoc_rd(c, e, md->folio_index);
	/* bit-field placement follows the writer's byte order (spec/abi bits_be) */
	uint64_t pfn = luoc_bits(desc, c->be ? md->folio_pfn_be : md->folio_pfn);
	uint32_t flags = (uint32_t)luoc_bits(desc, c->be ? md->folio_flags_be : md->folio_flags);
	uint64_t bytes = c->ps, phys = 0;
	const struct luoc_visitor *v = luoc_vis(c);

	/*
	 * A reader that takes pfn 0 for a hole skips the whole record: what
	 * is wrong with it costs that reader nothing (but the data).
	 */
	if (!pfn && c->p->folio_pfn0_hole)
		c->outcome_override = LUOC_OUT_ACCEPT;
	if (!pfn)
		luoc_report(c, &loc, R_MEMFD_004, SEV_E, -LUOC_ERANGE, at, "pfn is 0");
	else if (pfn > (UINT64_MAX >> c->pshift))
		luoc_report(c, &loc, R_MEMFD_004, SEV_E, -LUOC_ERANGE, at,
			    "pfn 0x%llx is beyond the physical address space",
			    (unsigned long long)pfn);
	else
		phys = pfn << c->pshift;
	if (flags & ~md->folio_flags_known)
		luoc_report(c, &loc, R_MEMFD_004, SEV_E, -LUOC_ERANGE, at,
			    "flags 0x%x outside 0x%x", flags, md->folio_flags_known);
	index_check(c, w, &loc, at, index);
	c->outcome_override = -1;
	if (phys)
		bytes = memory_check(c, w, &loc, phys);
	if (v && v->folio)
		v->folio(v->ctx, w->j->s, w->j->f, index, phys, bytes, flags);
	w->prev_index = index;
	w->have_prev = true;
	if (__builtin_add_overflow(index, bytes >> c->pshift, &w->prev_end))
		w->prev_end = UINT64_MAX;
	c->res->folios++;
	c->folios_done++;
	progress(c);
}

static int folio_page(struct luoc_ctx *c, void *arg, uint64_t idx, uint64_t phys,
		      const uint8_t *page)
{
	struct fwalk *w = arg;
	uint64_t e, size = w->j->md->folio_size;

	(void)idx;
	for (e = 0; e < w->per_page && w->k < w->j->nr_folios;) {
		uint64_t left = w->per_page - e, run, slow;

		if (left > w->j->nr_folios - w->k)
			left = w->j->nr_folios - w->k;
		run = luoc_folio_run(c, w, page + e * size, left, &slow);
		e += run;
		for (; !run && slow; slow--, e++, w->k++)
			folio_one(c, w, page + e * size, phys + e * size);
	}
	return w->k >= w->j->nr_folios;
}

static void job_walk(struct luoc_ctx *c, const struct luoc_job *j, struct luoc_claims *cl,
		     luoc_vmpage_fn fn)
{
	struct luoc_vmdesc d = { j->first, j->total_pages, 0, j->order };
	struct fwalk w;

	__builtin_memset(&w, 0, sizeof(w));
	w.j = j;
	w.cl = cl;
	w.per_page = (c->ps << j->order) / j->md->folio_size;
	w.file_pages = j->size / c->ps + (j->size % c->ps != 0);
	luoc_vmalloc_pages(c, &d, fn, &w);
}

void luoc_job_run(struct luoc_ctx *c, const struct luoc_job *j)
{
	job_walk(c, j, NULL, folio_page);
}

/*
 * The second walk (folio_claim.c): quietly, the range each folio entry
 * adds in memory_check(), under the same conditions, to the range set.
 */
static int range_page(struct luoc_ctx *c, void *arg, uint64_t idx, uint64_t phys,
		      const uint8_t *page)
{
	struct fwalk *w = arg;
	const struct luoc_memfd_desc *md = w->j->md;
	uint64_t e;

	(void)idx;
	(void)phys;
	for (e = 0; e < w->per_page && w->k < w->j->nr_folios; e++, w->k++) {
		const struct luoc_loc loc = { LK_FOLIO, w->j->s, w->j->f, w->k };
		uint64_t desc = luoc_rd(c, page + e * md->folio_size, md->folio_desc);
		uint64_t pfn = luoc_bits(desc, c->be ? md->folio_pfn_be : md->folio_pfn);
		uint64_t at, bytes;

		if (!pfn || pfn > (UINT64_MAX >> c->pshift))
			continue;
		at = pfn << c->pshift;
		if (!luoc_peek(c, at, c->ps))
			continue;
		luoc_kmap_folio(c, &loc, at, &bytes);	/* its findings were reported */
		if (bytes > c->ps && !luoc_peek(c, at, bytes))
			continue;
		c->quiet = false;
		luoc_rset_add(c, &c->fo, &loc, at, bytes, true);
		c->quiet = true;
	}
	return w->k >= w->j->nr_folios;
}

void luoc_job_add(struct luoc_ctx *c, const struct luoc_job *j)
{
	struct luoc_job *slot;

	c->folios_total += j->nr_folios;
	if (!c->njobs)
		c->jobs = (struct luoc_job *)c->ws.hi;
	slot = luoc_ws_take_hi(c, sizeof(*slot));
	if (!slot || slot != c->jobs - c->njobs - 1) {
		/* no room to defer: check now, without the structure set */
		luoc_ws_enospc(c, "checking folio data against structures");
		luoc_job_run(c, j);
		return;
	}
	*slot = *j;
	c->njobs++;
}

void luoc_jobs_run(struct luoc_ctx *c)
{
	struct luoc_claims cl;
	bool quiet = c->quiet;
	size_t k;

	luoc_claims_init(c, &cl);
	for (k = 0; k < c->njobs; k++)
		job_walk(c, c->jobs - 1 - k, &cl, folio_page);
	if (!luoc_claims_need_ranges(&cl))
		return;
	/* an overlap (or no room to rule one out): find it with the range set */
	luoc_rset_begin(c, &c->fo);
	c->quiet = true;
	for (k = 0; k < c->njobs; k++)
		job_walk(c, c->jobs - 1 - k, NULL, range_page);
	c->quiet = quiet;
}
