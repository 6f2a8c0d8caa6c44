/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/*
 * kmod.h - luoc.ko internals: a state image held in kernel memory, and
 * the check of one image printed as KTAP.
 */
#ifndef LUOC_KMOD_H
#define LUOC_KMOD_H

#include <linux/types.h>
#include "segidx.h"	/* segments and runs, shared with conformance/image */

/* The LUO note (spec/abi/image.yaml), decoded in the ELF's byte order. */
struct kimg_note {
	bool present;
	u64 kho_root;
	u64 kho_root_size;
	u32 page_size;
	u32 flags;
	char profile[33];	/* NUL-terminated; "" = detect */
};

struct kimg {
	const u8 *file;		/* the image, read-only (firmware buffer) */
	size_t size;
	bool big_endian;	/* EI_DATA */
	u64 mem_bytes;		/* PT_LOAD file bytes */
	struct luoc_seg *segs;	/* sorted by phys */
	unsigned int n_segs;
	struct luoc_run *runs;	/* sorted by phys */
	unsigned int n_runs;
	struct luoc_run_cache cache;	/* map()'s */
	int overlap_idx;	/* LUO-IMG-004: -1 none */
	u64 overlap_phys;
	struct kimg_note note;
};

/* kmod_image.c */
int kimg_open(struct kimg *img, const u8 *data, size_t size, char *err, size_t errlen);
void kimg_close(struct kimg *img);
const void *kimg_map(void *img, u64 phys, u64 len);

/* kmod_check.c: check one image, print its KTAP test; true when conformant */
bool kmod_check_image(const char *name, const u8 *data, size_t size, unsigned int num);
/* the same for an image that could not be loaded */
void kmod_report_failed(const char *name, unsigned int num, const char *error);

#endif /* LUOC_KMOD_H */
