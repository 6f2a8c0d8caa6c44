/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/*
 * segidx.h - the index of a state image's PT_LOAD segments: their order
 * by physical address, the first overlap (LUO-IMG-004), and the runs that
 * map() serves memory from.  Freestanding C on the checker's seam
 * (luoc_env.h), so the userspace reader (image_segs.c, image_map.c) and
 * the kernel module (conformance/kmod) share this one copy.
 */
#ifndef LUOC_SEGIDX_H
#define LUOC_SEGIDX_H

#include "luoc/luoc_env.h"

/* One PT_LOAD segment's file bytes. */
struct luoc_seg {
	uint64_t phys;
	uint64_t len;		/* p_filesz */
	uint64_t off;		/* p_offset */
	unsigned int phdr;	/* program header index, for messages */
};

/*
 * A run: segments that follow each other both in physical memory and in
 * the file, so one pointer serves any range inside it.  map() searches
 * runs, not segments, which lets a range span adjacent segments without a
 * second lookup.
 */
struct luoc_run {
	uint64_t phys;
	uint64_t len;
	const unsigned char *base;	/* file bytes of phys */
};

/*
 * map()'s cache: the run hit last and the one before it.  Two, because
 * the folio walk alternates between the folio array and the folio data,
 * which lie in different runs.  It makes one index unsuitable for
 * concurrent map() calls from several threads.
 */
struct luoc_run_cache {
	unsigned int last, prev;
};

/* Sort order (qsort, the kernel's sort): by phys, ties in header order. */
int luoc_seg_cmp(const void *a, const void *b);

/*
 * The first of the sorted segments that starts inside an earlier one: its
 * index, its start in *phys; -1 when none overlap.
 */
int luoc_seg_overlap(const struct luoc_seg *segs, unsigned int n, uint64_t *phys);

/*
 * The runs of the sorted segments (whose file bytes start at 'file') into
 * 'runs', which has room for n; returns their number.
 */
unsigned int luoc_seg_runs(const struct luoc_seg *segs, unsigned int n,
			   const unsigned char *file, struct luoc_run *runs);

/* The 'len' bytes at 'phys' from one run, or NULL (luoc_mem.map()). */
const void *luoc_runs_map(const struct luoc_run *runs, unsigned int n,
			  struct luoc_run_cache *cache, uint64_t phys, uint64_t len);

#endif /* LUOC_SEGIDX_H */
