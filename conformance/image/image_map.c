// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * image_map.c - luoc_mem.map() over a state image.
 *
 * The checker calls map() for every structure it reads, so this is the
 * hot path: a hit on one of the two runs used last costs two compares,
 * anything else a binary search over the runs (O(log n)).  Two, because
 * the folio walk alternates between the folio array and the folio data,
 * which lie in different runs.  The cache makes one image handle
 * unsuitable for concurrent map() calls from several threads.
 */
#include "image_priv.h"

static const void *run_slice(const struct luoc_run *r, uint64_t phys, uint64_t len)
{
	if (phys < r->phys || phys - r->phys >= r->len || len > r->len - (phys - r->phys))
		return NULL;
	return r->base + (phys - r->phys);
}

/* Index of the last run starting at or below phys, or n_runs when none. */
static unsigned int find_run(const struct luoc_image *img, uint64_t phys)
{
	unsigned int lo = 0, hi = img->n_runs;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (img->runs[mid].phys <= phys)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? lo - 1 : img->n_runs;
}

const void *luoc_image_map(void *ctx, uint64_t phys, uint64_t len)
{
	struct luoc_image *img = ctx;
	const void *p;
	unsigned int i;

	if (!img || !img->n_runs || (len && phys + len - 1 < phys))
		return NULL;
	p = run_slice(&img->runs[img->last_run], phys, len);
	if (p)
		return p;
	p = run_slice(&img->runs[img->prev_run], phys, len);
	if (p) {
		i = img->prev_run;
		img->prev_run = img->last_run;
		img->last_run = i;
		return p;
	}
	i = find_run(img, phys);
	if (i == img->n_runs)
		return NULL;
	p = run_slice(&img->runs[i], phys, len);
	if (p) {
		img->prev_run = img->last_run;
		img->last_run = i;
	}
	return p;
}

bool luoc_image_segment(const struct luoc_image *img, unsigned int i,
			uint64_t *phys, uint64_t *len)
{
	if (i >= img->n_segs)
		return false;
	*phys = img->segs[i].phys;
	*len = img->segs[i].len;
	return true;
}

int luoc_image_overlap(const struct luoc_image *img, uint64_t *phys)
{
	if (img->overlap_idx >= 0 && phys)
		*phys = img->overlap_phys;
	return img->overlap_idx;
}
