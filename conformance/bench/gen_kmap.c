// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * gen_kmap.c - the KHO preserved-memory map of the generated state: kho-v1
 * bitmap chunks or the kho-v3 radix tree, built from the preserved runs.
 *
 * The map's pages are KHO tracker pages: they go into the image after the
 * metadata (from g->kmap) but are never preserved themselves.  They are
 * built in memory first, since a node's address must be known before its
 * parent is written; a page covers 32768 blocks, so 64 GiB of order-0
 * folios need about 2 MiB.
 */
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "luoc_abi_gen.h"

/* A new zeroed tracker page; returns its index (address g->kmap + i pages). */
static uint64_t pool_new(struct gen *g)
{
	if (g->npool == g->cappool) {
		uint64_t cap = g->cappool ? g->cappool * 2 : 64;
		uint8_t **np = realloc(g->pool, cap * sizeof(*np));

		if (!np)
			gen_die("out of memory");
		g->pool = np;
		g->cappool = cap;
	}
	g->pool[g->npool] = calloc(1, g->ps);
	if (!g->pool[g->npool])
		gen_die("out of memory");
	return g->npool++;
}

static uint64_t pool_phys(const struct gen *g, uint64_t i)
{
	return g->kmap + i * g->ps;
}

/* Bit 'bit' of a bitmap of native unsigned longs (little-endian: byte bit/8). */
static void set_bit(uint8_t *bmp, uint64_t bit)
{
	bmp[bit / 8] |= (uint8_t)(1u << (bit % 8));
}

static int cmp_pres(const void *a, const void *b)
{
	const struct gen_pres *x = a, *y = b;

	return x->phys < y->phys ? -1 : x->phys > y->phys;
}

/* --- kho-v1 ---------------------------------------------------------------- */

struct bmp_ent {
	uint64_t start, page;
};

struct chunker {
	uint64_t head, last;		/* page indices + 1 (0: none) */
	uint64_t cur, n;		/* chunk being filled (0: start a new one) */
};

static void chunk_add(struct gen *g, struct chunker *ck, unsigned int order,
		      const struct bmp_ent *e)
{
	const struct luoc_profile *p = g->p;
	uint64_t per = (g->ps - p->chunk_hdr_size) / p->chunk_entry_size;
	uint8_t *ch;

	if (!ck->cur || ck->n == per) {
		uint64_t c = pool_new(g);

		if (ck->last)
			gen_stf(g, g->pool[ck->last - 1], p->chunk_next, pool_phys(g, c));
		else
			ck->head = c + 1;
		ck->cur = ck->last = c + 1;
		ck->n = 0;
		gen_stf(g, g->pool[c], p->chunk_order, order);
	}
	ch = g->pool[ck->cur - 1];
	gen_stf(g, ch + p->chunk_hdr_size + ck->n * p->chunk_entry_size, p->bmp_phys_start,
		e->start);
	gen_stf(g, ch + p->chunk_hdr_size + ck->n * p->chunk_entry_size, p->bmp_bitmap,
		pool_phys(g, e->page));
	gen_stf(g, ch, p->chunk_num_elms, ++ck->n);
}

/* The bitmaps of one order, in address order (runs are sorted and disjoint). */
static void chunks_order(struct gen *g, struct chunker *ck, unsigned int o)
{
	uint64_t cov = ((uint64_t)g->ps * 8) << (g->pshift + o), nb = 0, cap = 0, i, b;
	struct bmp_ent *ents = NULL;

	for (i = 0; i < g->npres; i++) {
		const struct gen_pres *r = &g->pres[i];

		if (r->order != o)
			continue;
		for (b = 0; b < r->count; b++) {
			uint64_t phys = r->phys + b * r->step, start = phys & ~(cov - 1);

			if (!nb || ents[nb - 1].start != start) {
				if (nb == cap) {
					cap = cap ? cap * 2 : 64;
					ents = realloc(ents, cap * sizeof(*ents));
					if (!ents)
						gen_die("out of memory");
				}
				ents[nb].start = start;
				ents[nb++].page = pool_new(g);
			}
			uint8_t *bmp = g->pool[ents[nb - 1].page];

			if (!bmp)
				gen_die("bitmap page %llu missing", (unsigned long long)ents[nb - 1].page);
			set_bit(bmp, (phys - start) >> (g->pshift + o));
		}
	}
	/* every order starts a chunk of its own: a chunk has one order */
	ck->cur = 0;
	for (i = 0; i < nb; i++)
		chunk_add(g, ck, o, &ents[i]);
	free(ents);
}

static void kmap_chunks(struct gen *g)
{
	struct chunker ck = { 0, 0, 0, 0 };
	unsigned int o;

	qsort(g->pres, g->npres, sizeof(g->pres[0]), cmp_pres);
	for (o = 0; o <= g->p->kmap_max_order; o++)
		chunks_order(g, &ck, o);
	g->kmap_head = ck.head ? pool_phys(g, ck.head - 1) : 0;
}

/* --- kho-v3 radix tree -------------------------------------------------------- */

static void kmap_radix(struct gen *g)
{
	unsigned int tl = LUOC_KHO_V3_TABLE_LOG2(g->ps), bl = LUOC_KHO_V3_BITMAP_LOG2(g->ps);
	unsigned int o0 = LUOC_KHO_V3_ORDER0_LOG2(g->ps), depth = LUOC_KHO_V3_DEPTH(g->ps);
	uint64_t root = pool_new(g), mask = g->ps / 8 - 1, leafkey = ~0ULL, i, b;
	uint8_t *leaf = NULL;

	if (strcmp(g->p->kho_compat, LUOC_KHO_V3_COMPATIBLE))
		gen_die("profile %s: only the kho-v3 radix tree is generated", g->p->name);
	for (i = 0; i < g->npres; i++) {
		const struct gen_pres *r = &g->pres[i];

		for (b = 0; b < r->count; b++) {
			uint64_t phys = r->phys + b * r->step;
			uint64_t key = (1ULL << (o0 - r->order)) | (phys >> (g->pshift + r->order));
			uint64_t node = root;
			unsigned int level;

			if (!leaf || key >> bl != leafkey) {
				for (level = depth - 1; level >= 1; level--) {
					uint8_t *slot = g->pool[node] +
						((key >> (bl + (level - 1) * tl)) & mask) * 8;
					uint64_t e;

					memcpy(&e, slot, 8);	/* little-endian host and state */
					if (!e) {
						uint64_t c = pool_new(g);

						e = pool_phys(g, c);
						gen_st(g, g->pool[node] +
						       ((key >> (bl + (level - 1) * tl)) & mask) * 8, 8, e);
					}
					node = (e - g->kmap) / g->ps;
				}
				leaf = g->pool[node];
				leafkey = key >> bl;
			}
			set_bit(leaf, key & ((1ULL << bl) - 1));
		}
	}
	g->kmap_head = pool_phys(g, root);
}

void gen_kmap(struct gen *g)
{
	uint64_t i;

	if (g->p->kmap == LUOC_KMAP_BITMAP_CHUNKS)
		kmap_chunks(g);
	else
		kmap_radix(g);
	g->meta_end = g->kmap + g->npool * g->ps;
	for (i = 0; i < g->npool; i++) {
		gen_put(g, pool_phys(g, i), g->pool[i], g->ps);
		free(g->pool[i]);
	}
	free(g->pool);
	g->pool = NULL;
}
