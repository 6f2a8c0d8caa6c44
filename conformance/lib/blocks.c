// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * blocks.c - chains of KHO serialization blocks (kho-v4; LUO-BLK-001..005)
 * and the entry sequences the session, file and FLB walkers read.
 *
 * A chain is read twice, never without a bound.  luoc_chain_open() finds
 * how many distinct blocks there are before the chain ends, closes a
 * cycle (Brent's algorithm: O(1) memory, each block header read a few
 * times) or passes the profile's block limit (KHO_MAX_BLOCKS), and counts
 * the entries of the usable blocks.  luoc_chain_check() then reports each
 * block: alignment, presence, preservation, its place in the overlap set,
 * and its count (at least 1, at most what one block holds).  The entries
 * themselves are read through a struct luoc_seq, so the per-entry checks
 * of sessions, files and FLBs are the same for an area and a chain.
 */
#include "luoc_int.h"

void luoc_chain_init(struct luoc_chain *ch, const struct luoc_area *a, uint64_t head,
		     const struct luoc_loc *owner, bool files)
{
	__builtin_memset(ch, 0, sizeof(*ch));
	ch->a = a;
	ch->head = head;
	ch->owner = *owner;
	ch->bkind = files ? LK_FBLOCK : LK_SBLOCK;
	ch->req_shape = files ? R_BLK_004 : R_BLK_002;
	ch->req_count = files ? R_BLK_005 : R_BLK_003;
	ch->what = files ? "file block" : "session block";
}

static uint64_t block_bytes(const struct luoc_ctx *c, const struct luoc_chain *ch)
{
	return (uint64_t)ch->a->pages * c->ps;
}

/* The next block, or 0 at the end or when the header cannot be read. */
static uint64_t chain_next(struct luoc_ctx *c, const struct luoc_chain *ch, uint64_t phys)
{
	const uint8_t *h = luoc_peek(c, phys, ch->a->hdr_size);

	return h ? luoc_rd(c, h, ch->a->hdr_next) : 0;
}

/* Entries of a block that is present and whose count is valid, else 0. */
static uint64_t block_entries(struct luoc_ctx *c, const struct luoc_chain *ch, uint64_t phys,
			      const uint8_t **blk)
{
	const uint8_t *b = luoc_peek(c, phys, block_bytes(c, ch));
	uint64_t n;

	*blk = b;
	if (!b)
		return 0;
	n = luoc_rd(c, b, ch->a->hdr_count);
	return n && n <= luoc_area_max(ch->a, c->ps) ? n : 0;
}

static void block_loc(const struct luoc_chain *ch, uint64_t k, struct luoc_loc *loc)
{
	loc->kind = ch->bkind;
	loc->s = ch->owner.s;
	loc->f = 0;
	loc->i = k;
}

/* Brent: a cycle of lam blocks entered at block mu, or none. */
static bool find_cycle(struct luoc_ctx *c, const struct luoc_chain *ch, uint64_t bound,
		       uint64_t *mu, uint64_t *lam)
{
	uint64_t power = 1, steps = 0, tort = ch->head, hare = chain_next(c, ch, ch->head), i;

	*lam = 1;
	while (hare && hare != tort) {
		if (++steps > bound)
			return false;	/* far too long to be a short cycle */
		if (power == *lam) {
			tort = hare;
			power <<= 1;
			*lam = 0;
		}
		hare = chain_next(c, ch, hare);
		(*lam)++;
	}
	if (!hare)
		return false;
	tort = hare = ch->head;
	for (i = 0; i < *lam; i++)
		hare = chain_next(c, ch, hare);
	for (*mu = 0; tort != hare && *mu <= bound; (*mu)++) {
		tort = chain_next(c, ch, tort);
		hare = chain_next(c, ch, hare);
	}
	return true;
}

static uint64_t block_at(struct luoc_ctx *c, const struct luoc_chain *ch, uint64_t k)
{
	uint64_t phys = ch->head;

	while (k-- && phys)
		phys = chain_next(c, ch, phys);
	return phys;
}

static void shape(struct luoc_ctx *c, struct luoc_chain *ch, uint64_t max)
{
	uint64_t mu = 0, lam = 0, len, phys;

	if (find_cycle(c, ch, 4 * max + 4, &mu, &lam)) {
		uint64_t last = block_at(c, ch, mu + lam - 1), first = block_at(c, ch, mu);
		struct luoc_loc loc;

		block_loc(ch, mu + lam - 1, &loc);
		luoc_report(c, &loc, ch->req_shape, SEV_E, -LUOC_ELOOP, last,
			    "%s %llu at 0x%llx links back to block %llu at 0x%llx: the chain is a cycle",
			    ch->what, (unsigned long long)(mu + lam - 1), (unsigned long long)last,
			    (unsigned long long)mu, (unsigned long long)first);
		ch->bad = true;
		ch->nblocks = mu + lam < max ? mu + lam : max;
		return;
	}
	for (len = 0, phys = ch->head; phys && len <= max; len++)
		phys = chain_next(c, ch, phys);
	if (len > max) {
		luoc_report(c, &ch->owner, ch->req_shape, SEV_E, -LUOC_ELOOP, ch->head,
			    "the %s chain at 0x%llx has more than %llu blocks (KHO_MAX_BLOCKS)",
			    ch->what, (unsigned long long)ch->head, (unsigned long long)max);
		ch->bad = true;
		len = max;
	}
	ch->nblocks = len;
}

/*
 * find_cycles false: only the first max_blocks blocks, no cycle search
 * (detection, which needs a handler string, not a verdict).
 */
void luoc_chain_open(struct luoc_ctx *c, struct luoc_chain *ch, uint64_t max_blocks,
		     bool find_cycles)
{
	uint64_t k, phys;
	const uint8_t *b;

	ch->nblocks = ch->entries = 0;
	if (!ch->head || !max_blocks)
		return;
	if (find_cycles) {
		shape(c, ch, max_blocks);
	} else {
		for (phys = ch->head; phys && ch->nblocks < max_blocks; ch->nblocks++)
			phys = chain_next(c, ch, phys);
	}
	for (k = 0, phys = ch->head; k < ch->nblocks && phys; k++) {
		ch->entries += block_entries(c, ch, phys, &b);
		phys = chain_next(c, ch, phys);
	}
}

void luoc_chain_check(struct luoc_ctx *c, struct luoc_chain *ch)
{
	uint64_t bytes = block_bytes(c, ch), max = luoc_area_max(ch->a, c->ps);
	uint64_t k, phys = ch->head;

	for (k = 0; k < ch->nblocks && phys; k++) {
		struct luoc_loc loc;
		const uint8_t *b;

		block_loc(ch, k, &loc);
		if (!luoc_aligned(phys, c->ps))
			luoc_report(c, &loc, R_BLK_001, SEV_E, -LUOC_EALIGN, phys,
				    "%s 0x%llx is not page aligned", ch->what,
				    (unsigned long long)phys);
		b = luoc_need(c, &loc, R_BLK_001, phys, bytes, ch->what);
		luoc_rset_add(c, &c->st, &loc, phys, bytes, false);
		luoc_kmap_require(c, &loc, phys, bytes, ch->what);
		if (!b) {
			ch->bad = true;
		} else {
			uint64_t n = luoc_rd(c, b, ch->a->hdr_count);

			if (!n || n > max) {
				luoc_report(c, &loc, ch->req_count, SEV_E, -LUOC_ERANGE, phys,
					    "%s count %llu, expected 1..%llu: entries not checked",
					    ch->what, (unsigned long long)n, (unsigned long long)max);
				ch->bad = true;
			}
		}
		phys = chain_next(c, ch, phys);
	}
}

void luoc_seq_area(struct luoc_seq *sq, const uint8_t *arr, uint64_t phys, size_t stride,
		   uint64_t n)
{
	__builtin_memset(sq, 0, sizeof(*sq));
	sq->arr = arr;
	sq->phys = phys;
	sq->stride = stride;
	sq->n = n;
}

void luoc_seq_chain(struct luoc_seq *sq, const struct luoc_chain *ch)
{
	__builtin_memset(sq, 0, sizeof(*sq));
	sq->chain = ch;
	sq->stride = ch->a->entry_size;
	sq->n = ch->entries;
	sq->cur_phys = ch->head;
}

/* The cursor back at the chain's first block, not yet read. */
static void seq_rewind(struct luoc_seq *sq)
{
	sq->cur_blk = sq->cur_first = 0;
	sq->cur_phys = sq->chain->head;
	sq->loaded = false;
}

/* Entry i of the sequence (and its physical address), or NULL past the end. */
const uint8_t *luoc_seq_at(struct luoc_ctx *c, struct luoc_seq *sq, uint64_t i, uint64_t *phys)
{
	const struct luoc_chain *ch = sq->chain;
	uint64_t off;

	if (i >= sq->n)
		return NULL;
	if (!ch) {
		*phys = sq->phys + i * sq->stride;
		return sq->arr + i * sq->stride;
	}
	if (i < sq->cur_first)
		seq_rewind(sq);
	for (;;) {
		if (!sq->loaded) {
			sq->cur_n = block_entries(c, ch, sq->cur_phys, &sq->cur);
			sq->loaded = true;
		}
		if (i < sq->cur_first + sq->cur_n)
			break;
		sq->cur_first += sq->cur_n;
		if (++sq->cur_blk >= ch->nblocks ||
		    !(sq->cur_phys = chain_next(c, ch, sq->cur_phys))) {
			/*
			 * The chain ends before entry i (its memory changed
			 * since it was counted): the cursor no longer
			 * describes a block, so the next call starts over.
			 */
			seq_rewind(sq);
			return NULL;
		}
		sq->loaded = false;
	}
	off = ch->a->hdr_size + (i - sq->cur_first) * sq->stride;
	*phys = sq->cur_phys + off;
	return sq->cur + off;
}
