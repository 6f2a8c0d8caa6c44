/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/*
 * luoc_image.h - read and write LUO state images (userspace, libelf).
 *
 * A state image is an ELF64 core file (ET_CORE) whose PT_LOAD segments
 * carry physical memory (p_paddr = physical address), the shape QEMU's
 * dump-guest-memory and /proc/vmcore produce, plus one note (owner "LUO",
 * type LUO_NT_STATE) giving the KHO root FDT address, its size, the page
 * size and optionally the profile.  See spec/state-image.rst.
 *
 * The reader maps the file read-only (the input is never modified) and
 * serves luoc_mem.map() from it; the writer is deterministic, so the same
 * segments and note always give the same bytes.
 */
#ifndef LUOC_IMAGE_H
#define LUOC_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct luoc_image;

struct luoc_image_info {
	bool has_note;			/* a LUO note was found */
	uint64_t kho_root;		/* from the note (0 without one) */
	uint64_t kho_root_size;
	uint32_t page_size;
	uint32_t flags;
	char profile[33];		/* NUL-terminated, "" = detect */
	bool big_endian;		/* ELF EI_DATA */
	uint16_t machine;		/* ELF e_machine */
	unsigned int n_segments;	/* PT_LOAD segments with file bytes */
	uint64_t mem_bytes;		/* bytes of physical memory carried */
	uint64_t file_bytes;		/* size of the image file */
};

/*
 * Open an image.  Returns 0, or -errno; on failure writes a one-line reason
 * ("not an ELF file", "ELF class is not ELF64", "not an ET_CORE file",
 * "PT_LOAD segment 3 lies past the end of the file", ...) to err.
 */
int luoc_image_open(const char *path, struct luoc_image **out, char *err, size_t errlen);
void luoc_image_close(struct luoc_image *img);
const struct luoc_image_info *luoc_image_info(const struct luoc_image *img);

/*
 * luoc_mem.map() for this image: a pointer to len bytes at phys, or NULL
 * when any of them is not in a segment.  A range may span adjacent
 * segments only if they are also adjacent in the file.  ctx is the image.
 */
const void *luoc_image_map(void *img, uint64_t phys, uint64_t len);

/* Segment i (0-based, sorted by phys): its physical range; false past the end. */
bool luoc_image_segment(const struct luoc_image *img, unsigned int i,
			uint64_t *phys, uint64_t *len);

/*
 * Overlapping PT_LOAD segments (LUO-IMG-004): -1 when none; otherwise the
 * sorted index i (>= 1) of the first segment that starts inside an earlier
 * one, with *phys (if not NULL) set to its start, the first shared byte.
 * map() still works on such an image; which segment serves the shared bytes
 * is unspecified.
 */
int luoc_image_overlap(const struct luoc_image *img, uint64_t *phys);

/* --- writer --- */
struct luoc_image_writer;

struct luoc_image_note {
	uint64_t kho_root;
	uint64_t kho_root_size;
	uint32_t page_size;
	uint32_t flags;
	char profile[32];		/* NUL-padded */
};

struct luoc_image_writer *luoc_image_writer_new(bool big_endian, uint16_t machine);
void luoc_image_writer_free(struct luoc_image_writer *w);
void luoc_image_writer_set_note(struct luoc_image_writer *w, const struct luoc_image_note *n);
/* Copy len bytes for physical address phys.  Adjacent or overlapping adds are merged (later bytes win). */
int luoc_image_writer_add(struct luoc_image_writer *w, uint64_t phys, const void *data, uint64_t len);
/* Add a zero-filled range (stored as file bytes; use for pages that must be present). */
int luoc_image_writer_add_zero(struct luoc_image_writer *w, uint64_t phys, uint64_t len);
/*
 * Add a segment that is never merged with any other, so a malformed image
 * can carry overlapping or split PT_LOADs.  Segments are written sorted by
 * phys; equal addresses keep the order they were added in.
 */
int luoc_image_writer_add_raw(struct luoc_image_writer *w, uint64_t phys,
			      const void *data, uint64_t len);
/*
 * Write the ELF core to path (atomically: temp file + rename).  0 or -errno.
 * Without luoc_image_writer_set_note() the image has no LUO note.  The
 * output depends only on what was added: no timestamps, fixed header
 * fields, PT_NOTE first, PT_LOADs sorted by phys at 4096-aligned offsets.
 */
int luoc_image_writer_write(struct luoc_image_writer *w, const char *path, char *err, size_t errlen);

#endif /* LUOC_IMAGE_H */
