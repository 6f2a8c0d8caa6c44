// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * image_map.c - luoc_mem.map() over a state image (the lookup itself is
 * segidx.c's, shared with the kernel module), and the segments as read.
 */
#include "image_priv.h"

const void *luoc_image_map(void *ctx, uint64_t phys, uint64_t len)
{
	struct luoc_image *img = ctx;

	return img ? luoc_runs_map(img->runs, img->n_runs, &img->cache, phys, len) : NULL;
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
