/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/*
 * gen.h - luo-bench-gen: write large LUO state images directly, in bounded
 * memory, for the benchmark.
 *
 * A shape is one string, which is also the cache key of its image:
 *     PROFILE_sSESSIONS_fFILES_nFOLIOS_oORDER_xSTRIDE
 * e.g. "v7.1_s1_f1_n16777216_o0_x1": one session with one memfd of 2^24
 * order-0 folios, physically contiguous (stride 1: folio k starts k folio
 * sizes after folio 0; stride 2 leaves a folio-sized gap after each).
 *
 * Physical layout: every structure lives in one metadata region from
 * GEN_META_BASE (KHO root, LUO FDT, FLB page, session area, file arrays,
 * memfd states, folio arrays with their kho_vmalloc chunks, then the KHO
 * map's tracker pages, which are in the image but not preserved); the
 * folio data lies from GEN_DATA_BASE.  LUO-IMG-003 wants every data byte
 * in the image, but the checker only needs it to be present, so the image
 * stores one zero-filled (sparse) block and lets one PT_LOAD per block of
 * data addresses point at it: an image of 64 GiB of folios holds its
 * metadata and a hole.
 */
#ifndef LUOC_BENCH_GEN_H
#define LUOC_BENCH_GEN_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "luoc/abi.h"

/* The generator writes little-endian states (x86-64, arm64 writers). */
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "luo-bench-gen writes little-endian states from a little-endian host"
#endif

#define GEN_META_BASE	0x100000000ULL		/* 4 GiB */
#define GEN_DATA_BASE	0x10000000000ULL	/* 1 TiB */
#define GEN_MAX_SEGS	16384u			/* data PT_LOADs: far below PN_XNUM */

struct gen_shape {
	char profile[33];
	uint64_t sessions, files, folios;	/* files per session, folios per file */
	unsigned int order, stride;
};

/* A run of preserved blocks: count blocks of 2^order pages, step bytes apart. */
struct gen_pres {
	uint64_t phys, count, step;
	unsigned int order;
};

#define GEN_NPRES	16

struct gen {
	const struct luoc_profile *p;
	struct gen_shape sh;
	uint32_t ps;
	unsigned int pshift;
	int fd;
	uint64_t meta_off;		/* file offset of GEN_META_BASE */

	/* layout (physical addresses) */
	uint64_t root, luo, flb, sess, farr, states, vm, kmap;
	uint64_t nfiles;		/* sessions * files */
	uint64_t arr_pages, chunks;	/* per file: folio-array pages, vmalloc chunks */
	uint64_t folio_bytes, file_span, data_span;
	uint64_t alias;			/* bytes of data one PT_LOAD serves */
	uint64_t nseg_data;		/* PT_LOADs of folio data */
	uint64_t meta_end;		/* end of the metadata, tracker pages included */
	uint64_t kmap_head;		/* chunk list head or radix root */
	uint32_t luo_size;		/* fdt_totalsize of the LUO FDT */

	struct gen_pres pres[GEN_NPRES];
	unsigned int npres;

	/* the KHO map's pages, built in memory, then written at g->kmap */
	uint8_t **pool;
	uint64_t npool, cappool;
};

/* gen.c */
void gen_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void gen_put(struct gen *g, uint64_t phys, const void *buf, size_t len);
void gen_st(const struct gen *g, uint8_t *p, unsigned int size, uint64_t v);
void gen_stf(const struct gen *g, uint8_t *base, struct luoc_field f, uint64_t v);
void gen_preserve(struct gen *g, uint64_t phys, unsigned int order, uint64_t count,
		  uint64_t step);

/* gen_state.c: everything LUO writes, in the metadata region */
void gen_layout(struct gen *g);
void gen_state(struct gen *g);
void gen_kho_root(struct gen *g);

/* gen_kmap.c: the preserved-memory map from g->pres */
void gen_kmap(struct gen *g);

/* gen_elf.c: ELF header, program headers and note; returns the file size */
uint64_t gen_elf_meta_off(const struct gen *g);
uint64_t gen_elf(struct gen *g);

#endif /* LUOC_BENCH_GEN_H */
