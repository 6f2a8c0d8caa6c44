// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * rangeset.c - sets of physical ranges in the workspace (LUO-MEM-002).
 *
 * Each structure the walk meets is recorded as [start, end) with its
 * location.  Sorting in place and scanning neighbours finds every overlap
 * in O(n log n) with no allocation; folio data is checked against the
 * sorted structure set by binary search.  Folio ranges that continue the
 * previous folio of the same file are merged on the way in, which keeps
 * the set small for the usual physically contiguous files.
 */
#include "luoc_int.h"

void luoc_range_loc(const struct luoc_range *r, struct luoc_loc *loc)
{
	loc->kind = (enum luoc_loc_kind)r->kind;
	loc->s = r->s;
	loc->f = r->f;
	loc->i = r->i;
}

void luoc_rset_begin(struct luoc_ctx *c, struct luoc_rset *rs)
{
	rs->r = (struct luoc_range *)c->ws.lo;
	rs->n = 0;
	rs->incomplete = false;
	rs->sorted = false;
	rs->hint = 0;
}

void luoc_rset_add(struct luoc_ctx *c, struct luoc_rset *rs, const struct luoc_loc *loc,
		   uint64_t start, uint64_t len, bool coalesce)
{
	struct luoc_range *r;
	uint64_t end;

	if (!len || c->quiet)
		return;
	if (luoc_add_ovf(start, len, &end))
		end = UINT64_MAX;	/* the wrap itself was reported */
	if (coalesce && rs->n) {
		r = &rs->r[rs->n - 1];
		if (r->end == start && r->kind == loc->kind && r->s == loc->s &&
		    r->f == loc->f) {
			r->end = end;
			return;
		}
	}
	if (rs->incomplete)
		return;
	r = luoc_ws_take_lo(c, sizeof(*r));
	if (!r || !rs->r || r != rs->r + rs->n) {
		rs->incomplete = true;
		luoc_ws_enospc(c, "part of the overlap check");
		return;
	}
	r->start = start;
	r->end = end;
	r->i = loc->i;
	r->s = (uint16_t)loc->s;
	r->f = (uint16_t)loc->f;
	r->kind = (uint8_t)loc->kind;
	r->pad[0] = r->pad[1] = r->pad[2] = 0;
	rs->n++;
}

static int cmp_range(const void *a, const void *b)
{
	const struct luoc_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return 0;
}

void luoc_rset_finish(struct luoc_ctx *c, struct luoc_rset *rs)
{
	(void)c;
	luoc_heapsort(rs->r, rs->n, sizeof(*rs->r), cmp_range);
	rs->sorted = true;
}

static void report_overlap(struct luoc_ctx *c, const struct luoc_range *a,
			   const struct luoc_range *b, bool folios)
{
	char other[LUOC_WHERE_MAX];
	struct luoc_loc la, lb;
	const char *req = R_MEM_002;

	luoc_range_loc(a, &la);
	luoc_range_loc(b, &lb);
	if (folios && a->kind == LK_FOLIO && b->kind == LK_FOLIO &&
	    a->s == b->s && a->f == b->f)
		req = R_MEMFD_005;	/* two folios of one file */
	luoc_render_loc(c, &la, other, sizeof(other));
	luoc_report(c, &lb, req, SEV_E, -LUOC_EOVERLAP, b->start,
		    "[0x%llx, 0x%llx) overlaps %s [0x%llx, 0x%llx)",
		    (unsigned long long)b->start, (unsigned long long)b->end, other,
		    (unsigned long long)a->start, (unsigned long long)a->end);
}

/*
 * Sorted by start, a range overlaps an earlier one exactly when it starts
 * before the largest end seen so far; report it against that range.
 */
void luoc_rset_overlaps(struct luoc_ctx *c, struct luoc_rset *rs, bool folios)
{
	size_t i, hold = 0;

	for (i = 1; i < rs->n; i++) {
		if (rs->r[i].start < rs->r[hold].end)
			report_overlap(c, &rs->r[hold], &rs->r[i], folios);
		if (rs->r[i].end > rs->r[hold].end)
			hold = i;
	}
}

/*
 * A range of the sorted set that shares bytes with [start, end), or NULL.
 * Exact when the set has no overlaps of its own (else those were reported).
 */
const struct luoc_range *luoc_rset_find(struct luoc_rset *rs, uint64_t start,
					uint64_t end)
{
	size_t lo = 0, hi = rs->n, h = rs->hint;

	if (!rs->sorted)
		return NULL;
	/* neighbouring folios usually land in the same gap as the last query */
	if (h <= rs->n && (!h || rs->r[h - 1].start < end) &&
	    (h == rs->n || rs->r[h].start >= end)) {
		lo = h;
		goto found;
	}
	/* first range with r.start >= end */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (rs->r[mid].start < end)
			lo = mid + 1;
		else
			hi = mid;
	}
	rs->hint = lo;
found:
	if (lo && rs->r[lo - 1].end > start)
		return &rs->r[lo - 1];
	return NULL;
}
