/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/*
 * tb.h - test-only builder of LUO handover states in an in-memory
 * "physical memory" (a buffer based at TB_BASE).
 *
 * tb_build() lays out a valid state for a profile: folios, folio arrays
 * behind kho_vmalloc chunks, memfd states (struct or v6 FDT), file arrays,
 * the session area, the FLB page and the LUO FDT (libfdt sequential
 * write); for luo-v5, struct luo_ser, the FLB page and chains of session
 * and file blocks instead.  Every block that the outgoing kernel preserves is put on a
 * list; tb_finish() writes that list as the profile's KHO map (kho-v1
 * bitmap chunks or the radix tree) and then the KHO root FDT.  Tests
 * mutate between the two (the preservation list, raw bytes) or after
 * (raw bytes, FDT edits through tb_fdt_edit()/tb_fdt_done()).
 *
 * Layouts come from the generated profile table, as in the core: the
 * builder is a second, independent writer of the same facts.
 */
#ifndef TB_H
#define TB_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "luoc/luoc.h"

#define TB_BASE		0x100000000ULL
#define TB_MAXS		160	/* luo-v5 tests span several session blocks */
#define TB_MAXF		160	/* ... and several file blocks */
#define TB_MAXFO	8
#define TB_MAXFLB	4
#define TB_MAXPRES	4096
#define TB_MAXSB	8	/* luo-v5: session blocks */
#define TB_MAXFB	8	/* luo-v5: file blocks of one session */

struct tb_opts {
	const char *profile;		/* "v7.0" */
	uint32_t page_size;		/* 0: 4096 */
	bool big_endian;
	unsigned int sessions;		/* <= TB_MAXS */
	unsigned int files;		/* per session, <= TB_MAXF */
	unsigned int folios;		/* per file, <= TB_MAXFO */
	unsigned int folio_order;	/* order of every folio */
	unsigned int flbs;		/* <= TB_MAXFLB (profiles with FLB) */
	uint64_t file_size_extra;	/* bytes past the last folio's page */
	unsigned int mem_pages;		/* pages of memory (0: 1024) */
};

struct tb_pres {			/* 'count' blocks of 2^order pages from phys */
	uint64_t phys;
	uint64_t count;
	unsigned int order;
};

struct tb {
	const struct luoc_profile *p;
	struct tb_opts o;
	uint32_t ps;
	bool be;
	uint8_t *mem;
	uint64_t size;		/* bytes of memory at TB_BASE */
	uint64_t brk;		/* next free physical address */

	/*
	 * luo-v5: luo_fdt is struct luo_ser, sess_area the first session
	 * block and file_arr[s] the first file block of session s.
	 */
	uint64_t kho_root, luo_fdt, sess_area, flb_page, kmap;
	uint64_t file_arr[TB_MAXS];
	uint64_t sblk[TB_MAXSB];		/* luo-v5 session blocks */
	uint64_t fblk[TB_MAXS][TB_MAXFB];	/* luo-v5 file blocks */
	unsigned int nsblk, nfblk[TB_MAXS];
	uint64_t memfd[TB_MAXS][TB_MAXF];
	uint64_t vm_chunk[TB_MAXS][TB_MAXF];
	uint64_t folio_arr[TB_MAXS][TB_MAXF];
	uint64_t folio[TB_MAXS][TB_MAXF][TB_MAXFO];
	uint64_t file_size[TB_MAXS][TB_MAXF];

	struct tb_pres pres[TB_MAXPRES];
	unsigned int npres;
	bool finished;
};

/* Build a valid state (not yet finished: no KHO map, no root). */
struct tb *tb_build(const struct tb_opts *o);
/* Write the KHO map from the preservation list, then the KHO root FDT. */
void tb_finish(struct tb *t);
/* tb_build() + tb_finish(). */
struct tb *tb_new(const struct tb_opts *o);
void tb_free(struct tb *t);

/* Memory. */
void *tb_ptr(struct tb *t, uint64_t phys);
uint64_t tb_alloc(struct tb *t, unsigned int order);	/* zeroed, aligned */
void tb_preserve(struct tb *t, uint64_t phys, unsigned int order);
void tb_preserve_range(struct tb *t, uint64_t phys, unsigned int order, uint64_t count);
bool tb_unpreserve(struct tb *t, uint64_t phys);
/* Native-order stores and loads of the writing CPU. */
void tb_st(struct tb *t, uint64_t phys, uint64_t v, unsigned int size);
uint64_t tb_ld(struct tb *t, uint64_t phys, unsigned int size);
void tb_stf(struct tb *t, uint64_t base, struct luoc_field f, uint64_t v);
uint64_t tb_ldf(struct tb *t, uint64_t base, struct luoc_field f);
uint64_t tb_native(const struct tb *t, uint64_t v);	/* v as native bytes */

/* Addresses of entries. */
uint64_t tb_session(struct tb *t, unsigned int s);
uint64_t tb_file(struct tb *t, unsigned int s, unsigned int f);
uint64_t tb_folio_ent(struct tb *t, unsigned int s, unsigned int f, unsigned int k);
uint64_t tb_flb(struct tb *t, unsigned int i);
uint64_t tb_memfd_vm(struct tb *t, unsigned int s, unsigned int f); /* kho_vmalloc */
/* Point folio entry k at phys (the caller preserves phys; before tb_finish). */
void tb_set_folio(struct tb *t, unsigned int s, unsigned int f, unsigned int k, uint64_t phys);

/* FDT edits in place (libfdt read-write): open into the page, edit, pack. */
void *tb_fdt_edit(struct tb *t, uint64_t phys);
void tb_fdt_done(struct tb *t, uint64_t phys);
/* A u64 property in the writer's byte order. */
int tb_fdt_setu64(struct tb *t, void *fdt, int node, const char *name, uint64_t v);
/* Rewrite the kho-v3 blob-size from the LUO FDT's totalsize. */
void tb_fix_blob_size(struct tb *t);
/* Set the LUO sub-node's blob-size (luo-v5 tests). */
void tb_set_blob_size(struct tb *t, uint64_t v);

/* luoc_config / luoc_mem for this state. */
void tb_config(struct tb *t, struct luoc_config *cfg, struct luoc_mem *mem);
const void *tb_map(void *ctx, uint64_t phys, uint64_t len);

#endif /* TB_H */
