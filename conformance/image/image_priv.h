/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/*
 * image_priv.h - internals shared by the state-image reader and writer.
 */
#ifndef LUOC_IMAGE_PRIV_H
#define LUOC_IMAGE_PRIV_H

#include <stdarg.h>
#include <libelf.h>

#include "luoc_image.h"
#include "segidx.h"

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
	struct luoc_run_cache cache;	/* map()'s */

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
