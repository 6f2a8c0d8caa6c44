/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/*
 * kmod.h - luoc.ko internals: a state image held in kernel memory, and
 * the check of one image printed as KTAP.
 */
#ifndef LUOC_KMOD_H
#define LUOC_KMOD_H

#include <linux/types.h>

/* One PT_LOAD segment's file bytes (as conformance/image/image_priv.h). */
struct kimg_seg {
	u64 phys;
	u64 len;		/* p_filesz */
	u64 off;		/* p_offset */
	unsigned int phdr;	/* program header index, for messages */
};

/* Segments contiguous both in physical memory and in the file. */
struct kimg_run {
	u64 phys;
	u64 len;
	const u8 *base;
};

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
	struct kimg_seg *segs;	/* sorted by phys */
	unsigned int n_segs;
	struct kimg_run *runs;	/* sorted by phys */
	unsigned int n_runs;
	unsigned int last_run;	/* map() cache */
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
