/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/*
 * image_writer_priv.h - the state-image writer's segment list.
 */
#ifndef LUOC_IMAGE_WRITER_PRIV_H
#define LUOC_IMAGE_WRITER_PRIV_H

#include "image_priv.h"

/* Below PN_XNUM and the reserved section indices: no extended numbering. */
#define LUOC_IMAGE_MAX_SEGS	0xfe00u

struct luoc_wseg {
	uint64_t phys;
	uint64_t len;
	unsigned char *data;
	bool raw;		/* added with _add_raw: never merged */
	unsigned int seq;	/* insertion order, the tie-break when sorting */
};

struct luoc_image_writer {
	bool big_endian;
	uint16_t machine;
	bool has_note;
	struct luoc_image_note note;
	struct luoc_wseg *segs;
	unsigned int n, cap, seq;
};

#endif /* LUOC_IMAGE_WRITER_PRIV_H */
