/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/*
 * folio.h - the folio walk shared by folio.c (entry by entry),
 * folio_run.c (runs of entries that continue each other, at once) and
 * folio_claim.c (the pages the folios claim).
 */
#ifndef LUOC_FOLIO_H
#define LUOC_FOLIO_H

#include "luoc_int.h"

#define LUOC_PROGRESS_STEP	((uint64_t)1 << 16)

/* Pages the folios claim: folio_claim.c */
struct luoc_claims {
	uint32_t *tab;		/* hash table of block numbers + 1; NULL: not used */
	unsigned int log2;	/* table slots */
	uint8_t *top;		/* blocks grow down from here */
	uint32_t n;		/* blocks */
	struct claim_blk *last;	/* block claimed in last */
	bool overlap;		/* a page was claimed twice */
	bool fallback;		/* out of budget: the range set decides */
};

void luoc_claims_init(struct luoc_ctx *c, struct luoc_claims *cl);
/* Folio data [phys, phys + bytes): claimed, or (cl NULL or unused) a folio range. */
void luoc_claim(struct luoc_ctx *c, struct luoc_claims *cl, const struct luoc_loc *loc,
		uint64_t phys, uint64_t bytes);
/* n order-0 folios, step pages apart (step > 1), the first at loc */
void luoc_claim_step(struct luoc_ctx *c, struct luoc_claims *cl, const struct luoc_loc *loc,
		     uint64_t phys, uint64_t n, uint64_t step);
bool luoc_claims_need_ranges(const struct luoc_claims *cl);

struct fwalk {
	const struct luoc_job *j;
	struct luoc_claims *cl;	/* NULL: folio ranges go to the range set */
	uint64_t k;		/* folio entry number */
	uint64_t per_page;	/* entries in one folio-array page */
	uint64_t file_pages;	/* DIV_ROUND_UP(size, PAGE_SIZE) */
	uint64_t prev_index, prev_end;
	bool have_prev;
};

/*
 * Check a run of at most n entries from e in one go; returns how many it
 * took (w->k and the result advanced), or 0 when the next *slow entries
 * must be checked one by one.
 */
uint64_t luoc_folio_run(struct luoc_ctx *c, struct fwalk *w, const uint8_t *e, uint64_t n,
			uint64_t *slow);

#endif /* LUOC_FOLIO_H */
