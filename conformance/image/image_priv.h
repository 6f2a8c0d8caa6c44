/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/*
 * image_priv.h - internals shared by the state-image reader and writer.
 */
#ifndef LUOC_IMAGE_PRIV_H
#define LUOC_IMAGE_PRIV_H

#include <stdarg.h>
#include <libelf.h>

#include "luoc_image.h"

/* One PT_LOAD segment's file bytes. */
struct luoc_seg {
	uint64_t phys;
	uint64_t len;		/* p_filesz */
	uint64_t off;		/* p_offset */
	unsigned int phdr;	/* program header index, for messages */
};

/*
 * A run: segments that follow each other both in physical memory and in
 * the file, so one pointer serves any range inside it.  map() searches
 * runs, not segments, which lets a range span adjacent segments without a
 * second lookup.
 */
struct luoc_run {
	uint64_t phys;
	uint64_t len;
	const unsigned char *base;	/* file bytes of phys */
};

struct luoc_image {
	int fd;
	Elf *elf;
	const unsigned char *file;	/* the whole file, read-only mapping */
	uint64_t file_size;
	struct luoc_image_info info;

	struct luoc_seg *segs;		/* sorted by phys */
	unsigned int n_segs;
	struct luoc_run *runs;		/* sorted by phys */
	unsigned int n_runs;
	unsigned int last_run;		/* map() cache: the run hit last */
	unsigned int prev_run;		/* ... and the one before it */

	int overlap_idx;		/* -1: none */
	uint64_t overlap_phys;
};

/* image_read.c */
void luoc_image_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* image_segs.c */
int luoc_image_load_segs(struct luoc_image *img, char *err, size_t errlen);

/* image_note.c: the LUO note's descriptor in the ELF's byte order */
void luoc_image_note_decode(const unsigned char *desc, bool big_endian,
			    struct luoc_image_info *info);
void luoc_image_note_encode(const struct luoc_image_note *n, bool big_endian,
			    unsigned char *desc);
int luoc_image_find_note(struct luoc_image *img, char *err, size_t errlen);

#endif /* LUOC_IMAGE_PRIV_H */
