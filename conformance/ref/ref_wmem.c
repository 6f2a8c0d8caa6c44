// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * ref_wmem.c - the physical memory the reference writer lays a state into.
 *
 * Three bump regions stand in for the outgoing kernel's allocators: kernel
 * allocations (kho_alloc_preserve: LUO FDT, session area, file arrays,
 * handler state, vmalloc pages), user memory (memfd folios) and KHO's own
 * tracker pages (memory map), which go into the image but are never
 * preserved.  Every allocation of order n is aligned to PAGE_SIZE << n, as
 * a folio of that order is.  A nonzero layout seed adds random gaps, so
 * readers meet addresses they could not guess.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ref.h"

/* Region bases: far apart, inside the RAM of common QEMU machines. */
static const uint64_t region_base[REF_RG_N] = {
	[REF_RG_KERNEL] = 0x80000000ull,
	[REF_RG_USER] = 0xa0000000ull,
	[REF_RG_TRACKER] = 0x90000000ull,
};

int ref_w_fail(struct ref_w *w, int code, const char *fmt, ...)
{
	va_list ap;

	if (w->err && w->errlen && !w->err[0]) {
		va_start(ap, fmt);
		vsnprintf(w->err, w->errlen, fmt, ap);
		va_end(ap);
	}
	return code;
}

int ref_w_init(struct ref_w *w, const struct luoc_profile *p,
	       const struct luoc_preserve_opts *o, unsigned int defects,
	       char *err, size_t errlen)
{
	unsigned int i;

	memset(w, 0, sizeof(*w));
	w->p = p;
	w->ps = o && o->page_size ? o->page_size : 4096;
	w->be = o ? o->big_endian : false;
	w->rng = o ? o->seed : 0;
	w->defects = defects;
	w->err = err;
	w->errlen = errlen;
	if (err && errlen)
		err[0] = 0;
	if (w->ps != 4096 && w->ps != 16384 && w->ps != 65536)
		return ref_w_fail(w, -EINVAL, "page size %u is not 4096, 16384 or 65536", w->ps);
	for (i = 0; i < REF_RG_N; i++)
		w->next[i] = region_base[i];
	return 0;
}

void ref_w_fini(struct ref_w *w)
{
	size_t i;

	for (i = 0; i < w->n_blks; i++)
		free(w->blks[i].buf);
	free(w->blks);
	free(w->pres);
	w->blks = NULL;
	w->pres = NULL;
}

static uint64_t next_rand(struct ref_w *w)
{
	/* splitmix64: a fixed, documented sequence for a given seed */
	uint64_t z = (w->rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

int ref_w_preserve(struct ref_w *w, uint64_t phys, uint32_t order)
{
	if (w->n_pres == w->cap_pres) {
		size_t cap = w->cap_pres ? w->cap_pres * 2 : 64;
		struct ref_pres *n = realloc(w->pres, cap * sizeof(*n));

		if (!n)
			return ref_w_fail(w, -ENOMEM, "out of memory");
		w->pres = n;
		w->cap_pres = cap;
	}
	w->pres[w->n_pres].phys = phys;
	w->pres[w->n_pres].order = order;
	w->n_pres++;
	return 0;
}

uint8_t *ref_w_alloc(struct ref_w *w, enum ref_region rg, uint32_t order,
		     bool preserve, uint64_t *phys)
{
	uint64_t size = (uint64_t)w->ps << order;
	uint64_t at = (w->next[rg] + size - 1) & ~(size - 1);
	uint8_t *buf;

	if (w->rng)
		at += (next_rand(w) % 3) * size;
	if (w->n_blks == w->cap_blks) {
		size_t cap = w->cap_blks ? w->cap_blks * 2 : 64;
		struct ref_blk *n = realloc(w->blks, cap * sizeof(*n));

		if (!n)
			goto nomem;
		w->blks = n;
		w->cap_blks = cap;
	}
	buf = calloc(1, size);
	if (!buf)
		goto nomem;
	if (preserve && ref_w_preserve(w, at, order)) {
		free(buf);
		return NULL;
	}
	w->blks[w->n_blks].phys = at;
	w->blks[w->n_blks].len = size;
	w->blks[w->n_blks].buf = buf;
	w->n_blks++;
	w->next[rg] = at + size;
	*phys = at;
	return buf;
nomem:
	ref_w_fail(w, -ENOMEM, "out of memory");
	return NULL;
}
