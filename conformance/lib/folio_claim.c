// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * folio_claim.c - folio data overlaps (LUO-MEM-002 between files,
 * LUO-MEMFD-005 within one) in memory that does not grow with the number
 * of folios.
 *
 * The range set finds every overlap, but it holds a 32-byte range per
 * folio that does not continue the one before: 512 MiB for 2^24 scattered
 * 4 KiB folios.  So the walk first only marks the pages the folios claim,
 * in a sparse bitmap: blocks of 4096 pages (512 bytes, 16 MiB of 4 KiB
 * pages) found through a small hash table, at most CLAIM_MAX_BYTES.  A
 * page claimed twice is an overlap.  Only then, or when the bitmap would
 * outgrow its budget, the folio arrays are walked a second time, quietly,
 * to fill the range set exactly as before, which reports the overlaps
 * with both locations; a conformant state never needs that walk.
 *
 * Both are borrowed from the free workspace for the length of the pass,
 * which allocates nothing else: the table from the low end (where the
 * folio range set would grow) growing by rehashing, the blocks from the
 * high end down (below the folio jobs).
 */
#include "folio.h"

#define CLAIM_BLOCK_LOG2	12
#define CLAIM_WORDS		(((uint64_t)1 << CLAIM_BLOCK_LOG2) / 64)
#define CLAIM_MAX_BYTES		((size_t)32 << 20)
#define CLAIM_TAB_MIN_LOG2	10
#define CLAIM_HASH		0x9e3779b97f4a7c15ULL

struct claim_blk {
	uint64_t key;			/* pfn >> CLAIM_BLOCK_LOG2 */
	uint64_t w[CLAIM_WORDS];	/* one bit per page */
};

static struct claim_blk *blk_at(const struct luoc_claims *cl, uint32_t i)
{
	return (struct claim_blk *)cl->top - (i + 1);
}

/* The table slot for key: where it is, or the empty slot it would take. */
static uint32_t *slot(const struct luoc_claims *cl, uint64_t key)
{
	uint64_t mask = ((uint64_t)1 << cl->log2) - 1;
	uint64_t h = (key * CLAIM_HASH) >> (64 - cl->log2);

	for (;; h = (h + 1) & mask) {
		uint32_t *s = &cl->tab[h];

		if (!*s || blk_at(cl, *s - 1)->key == key)
			return s;
	}
}

void luoc_claims_init(struct luoc_ctx *c, struct luoc_claims *cl)
{
	__builtin_memset(cl, 0, sizeof(*cl));
	cl->tab = (uint32_t *)c->ws.lo;
	cl->top = c->ws.hi;
	cl->log2 = CLAIM_TAB_MIN_LOG2;
#ifdef LUOC_FOLIO_FAST_OFF
	/* the reference build of the differential test (tests/bench): range set only */
	cl->tab = NULL;
	return;
#endif
	if (!c->ws.lo || luoc_ws_free(c) < (sizeof(uint32_t) << cl->log2) + 4 * sizeof(struct claim_blk)) {
		cl->tab = NULL;		/* no room: the range set does it all */
		return;
	}
	__builtin_memset(cl->tab, 0, sizeof(uint32_t) << cl->log2);
}

/* Lowest byte the blocks use (the next block goes below it). */
static uint8_t *blocks_low(const struct luoc_claims *cl)
{
	return cl->n ? (uint8_t *)blk_at(cl, cl->n - 1) : cl->top;
}

/*
 * Double the table: the new one is built right above the old one, filled
 * from it, and moved down over it.
 */
static bool grow(struct luoc_claims *cl)
{
	size_t old = (size_t)1 << cl->log2, i;
	uint32_t *ot = cl->tab, *nt = ot + old;

	if ((uint8_t *)(nt + 2 * old) + sizeof(struct claim_blk) > blocks_low(cl) ||
	    2 * old > 4 * (CLAIM_MAX_BYTES / sizeof(struct claim_blk)))
		return false;
	__builtin_memset(nt, 0, 2 * old * sizeof(uint32_t));
	cl->tab = nt;
	cl->log2++;
	for (i = 0; i < old; i++)
		if (ot[i])
			*slot(cl, blk_at(cl, ot[i] - 1)->key) = ot[i];
	__builtin_memmove(ot, nt, 2 * old * sizeof(uint32_t));
	cl->tab = ot;
	return true;
}

/* The block of key, added when new; NULL when the budget is spent. */
static struct claim_blk *block(struct luoc_claims *cl, uint64_t key)
{
	struct claim_blk *b;
	uint32_t *s;

	if (cl->last && cl->last->key == key)
		return cl->last;
	s = slot(cl, key);
	if (*s)
		return cl->last = blk_at(cl, *s - 1);
	if ((size_t)(cl->n + 1) * sizeof(*b) > CLAIM_MAX_BYTES)
		return NULL;
	if ((uint64_t)(cl->n + 1) * 2 > ((uint64_t)1 << cl->log2)) {
		if (!grow(cl))
			return NULL;
		s = slot(cl, key);
	}
	b = blk_at(cl, cl->n);
	if ((uint8_t *)b < (uint8_t *)(cl->tab + ((size_t)1 << cl->log2)))
		return NULL;
	__builtin_memset(b, 0, sizeof(*b));
	b->key = key;
	*s = ++cl->n;
	return cl->last = b;
}

/* Claim bits [from, from + n) of one block; true when one was claimed already. */
static bool claim_bits(struct claim_blk *b, uint64_t from, uint64_t n)
{
	bool dup = false;

	while (n) {
		unsigned int o = (unsigned int)(from % 64);
		uint64_t take = n < 64 - o ? n : 64 - o;
		uint64_t mask = (take == 64 ? ~(uint64_t)0 : (((uint64_t)1 << take) - 1)) << o;
		uint64_t *w = &b->w[from / 64];

		dup |= (*w & mask) != 0;
		*w |= mask;
		from += take;
		n -= take;
	}
	return dup;
}

/*
 * Claim n pages, step pages apart, from bit 'from' of a block, a word at a
 * time (a run's step divides 64: folio_run.c asserts it); true on a page
 * claimed already.
 */
static bool claim_step_bits(struct claim_blk *b, uint64_t from, uint64_t n, uint64_t step)
{
	uint64_t last = from + (n - 1) * step, dup = 0, k;

	for (k = from / 64; k <= last / 64; k++) {
		uint64_t m = luoc_step_mask(from, last, step, k);

		dup |= b->w[k] & m;
		b->w[k] |= m;
	}
	return dup != 0;
}

/*
 * n order-0 folios, step pages apart, from phys: what n calls of
 * luoc_claim() for them would do, a block at a time.
 */
void luoc_claim_step(struct luoc_ctx *c, struct luoc_claims *cl, const struct luoc_loc *loc,
		     uint64_t phys, uint64_t n, uint64_t step)
{
	uint64_t pfn = phys >> c->pshift, blk = (uint64_t)1 << CLAIM_BLOCK_LOG2;

	if (!cl || !cl->tab) {
		struct luoc_loc l = *loc;

		for (; n; n--, l.i++, pfn += step)
			luoc_rset_add(c, &c->fo, &l, pfn << c->pshift, c->ps, true);
		return;
	}
	if (c->quiet || cl->fallback)
		return;
	while (n) {
		uint64_t off = pfn & (blk - 1), take = (blk - off + step - 1) / step;
		struct claim_blk *b = block(cl, pfn >> CLAIM_BLOCK_LOG2);

		if (!b) {
			cl->fallback = true;
			return;
		}
		if (take > n)
			take = n;
		cl->overlap |= claim_step_bits(b, off, take, step);
		pfn += take * step;
		n -= take;
	}
}

void luoc_claim(struct luoc_ctx *c, struct luoc_claims *cl, const struct luoc_loc *loc,
		uint64_t phys, uint64_t bytes)
{
	uint64_t pfn = phys >> c->pshift, n = bytes >> c->pshift;

	if (!cl || !cl->tab) {
		luoc_rset_add(c, &c->fo, loc, phys, bytes, true);
		return;
	}
	if (c->quiet || cl->fallback)
		return;
	while (n) {
		uint64_t off = pfn & (((uint64_t)1 << CLAIM_BLOCK_LOG2) - 1);
		uint64_t take = ((uint64_t)1 << CLAIM_BLOCK_LOG2) - off;
		struct claim_blk *b = block(cl, pfn >> CLAIM_BLOCK_LOG2);

		if (!b) {
			cl->fallback = true;	/* the range set will do it */
			return;
		}
		if (take > n)
			take = n;
		cl->overlap |= claim_bits(b, off, take);
		pfn += take;
		n -= take;
	}
}

/* True when the range set must be filled: an overlap, or the budget spent. */
bool luoc_claims_need_ranges(const struct luoc_claims *cl)
{
	return cl->tab && (cl->overlap || cl->fallback);
}
