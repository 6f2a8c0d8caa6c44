// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * segidx.c - order, overlap and runs of a state image's PT_LOAD segments,
 * and the lookup map() makes in the runs (see segidx.h).
 *
 * map() is the checker's hot path: a hit on one of the two runs used last
 * costs two compares, anything else a binary search over the runs.
 */
#include "segidx.h"

int luoc_seg_cmp(const void *a, const void *b)
{
	const struct luoc_seg *x = a, *y = b;

	if (x->phys != y->phys)
		return x->phys < y->phys ? -1 : 1;
	return x->phdr < y->phdr ? -1 : (x->phdr > y->phdr);
}

/* Last byte, inclusive: a segment may end at the top of the address space. */
static uint64_t seg_last(const struct luoc_seg *s)
{
	return s->phys + s->len - 1;	/* the readers refuse a segment that wraps */
}

int luoc_seg_overlap(const struct luoc_seg *segs, unsigned int n, uint64_t *phys)
{
	uint64_t max_last = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (i && segs[i].phys <= max_last) {
			*phys = segs[i].phys;
			return (int)i;
		}
		if (seg_last(&segs[i]) > max_last)
			max_last = seg_last(&segs[i]);
	}
	return -1;
}

static bool joins(const struct luoc_seg *prev, const struct luoc_seg *s)
{
	return seg_last(prev) != UINT64_MAX && seg_last(prev) + 1 == s->phys &&
	       prev->off + prev->len == s->off;
}

unsigned int luoc_seg_runs(const struct luoc_seg *segs, unsigned int n,
			   const unsigned char *file, struct luoc_run *runs)
{
	struct luoc_run *r = NULL;
	unsigned int i, nr = 0;

	for (i = 0; i < n; i++) {
		if (r && joins(&segs[i - 1], &segs[i])) {
			r->len += segs[i].len;
			continue;
		}
		r = &runs[nr++];
		r->phys = segs[i].phys;
		r->len = segs[i].len;
		r->base = file + segs[i].off;
	}
	return nr;
}

static const void *run_slice(const struct luoc_run *r, uint64_t phys, uint64_t len)
{
	if (phys < r->phys || phys - r->phys >= r->len || len > r->len - (phys - r->phys))
		return NULL;
	return r->base + (phys - r->phys);
}

/* Index of the last run starting at or below phys, or n when none. */
static unsigned int find_run(const struct luoc_run *runs, unsigned int n, uint64_t phys)
{
	unsigned int lo = 0, hi = n;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (runs[mid].phys <= phys)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? lo - 1 : n;
}

const void *luoc_runs_map(const struct luoc_run *runs, unsigned int n,
			  struct luoc_run_cache *cache, uint64_t phys, uint64_t len)
{
	const void *p;
	unsigned int i;

	if (!n || (len && phys + len - 1 < phys))
		return NULL;
	p = run_slice(&runs[cache->last], phys, len);
	if (p)
		return p;
	p = run_slice(&runs[cache->prev], phys, len);
	if (p) {
		i = cache->prev;
		cache->prev = cache->last;
		cache->last = i;
		return p;
	}
	i = find_run(runs, n, phys);
	if (i == n)
		return NULL;
	p = run_slice(&runs[i], phys, len);
	if (p) {
		cache->prev = cache->last;
		cache->last = i;
	}
	return p;
}
