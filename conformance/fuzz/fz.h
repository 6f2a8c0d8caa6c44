/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/*
 * fz.h - shared parts of the checker-core fuzz targets (libFuzzer entry
 * points, also built with AFL++'s libFuzzer driver).
 *
 * A target turns its bytes into a physical memory (a set of runs, each
 * its own heap allocation of exactly its size, so ASan sees any read past
 * a run; a run of zeros is a read-only view that ends at a guard page,
 * so it costs no allocation and a read past it faults) and a luoc_config, and hands both to fz_check(), which runs the
 * core with a visitor that asserts what luoc.h promises and then checks
 * that not one byte of the memory changed.  A broken promise aborts: the
 * fuzzer keeps the input as a crasher.
 */
#ifndef FZ_H
#define FZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "luoc/luoc.h"

#define FZ_MAX_RUNS	256
#define FZ_MAX_BYTES	((uint64_t)64 << 20)	/* memory one input may describe */

struct fz_run {
	uint64_t phys, len;
	uint8_t *buf;
	bool zero;		/* buf is the shared read-only zero view */
};

struct fz_mem {
	struct fz_run run[FZ_MAX_RUNS];
	unsigned int n;
	uint64_t bytes;
};

/* Add a copy of len bytes (data NULL: zeros) at phys: 0, or -1 when full or wrapping. */
int fz_mem_add(struct fz_mem *m, uint64_t phys, const void *data, uint64_t len);
/* Sort runs by phys and merge those that touch or overlap (0, or -1). */
int fz_mem_seal(struct fz_mem *m);
void fz_mem_free(struct fz_mem *m);
const void *fz_mem_map(void *ctx, uint64_t phys, uint64_t len);

/*
 * Check once (workspace: ws_size bytes, or luoc_workspace_hint() when
 * ws_size is (size_t)-1), and abort on a broken promise.  Returns the
 * result's error count.
 */
unsigned int fz_check(const struct luoc_config *cfg, struct fz_mem *m, size_t ws_size);
/* The same over any memory (no write check: e.g. a read-only mapping). */
unsigned int fz_check_mem(const struct luoc_config *cfg, const struct luoc_mem *mem,
			  uint64_t bytes, size_t ws_size);

/*
 * A KHO root FDT for profile p (in buf, size bytes) whose LUO sub-node
 * points at luo_phys (and, where the profile has one, whose blob-size is
 * blob_size); the preserved-memory map is empty (head 0).  0 or -1.
 */
int fz_kho_root(const struct luoc_profile *p, void *buf, int size, uint64_t luo_phys,
		uint64_t blob_size);

/*
 * The input of fuzz_state (fz-seed writes it from the vectors), all
 * integers little-endian:
 *   header, 16 bytes: u8 flags (bit 0: big-endian writer; bits 1-2: page
 *     size 4K, 16K, 64K, 4K), u8 profile (0: detect, k: profile k - 1 mod
 *     the count), u8 workspace (0: luoc_workspace_hint(), 255: none, k:
 *     k * 64 bytes, to reach the LUOC_ENOSPC paths), u8 0, u32
 *     kho_root_size, u64 kho_root
 *   records to the end: u64 phys, u32 len, u32 kind; kind 0: len bytes
 *     follow (fewer at the end of the input), else len zero bytes.
 */
#define FZ_STATE_HDR		16
#define FZ_STATE_REC		16
#define FZ_STATE_BE		0x01
#define FZ_STATE_WS_NONE	255

/* abort() with a message: the fuzzer records the input. */
void fz_fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#endif /* FZ_H */
