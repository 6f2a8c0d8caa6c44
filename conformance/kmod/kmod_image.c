// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * kmod_image.c - read a state image (ELF64 core) in the kernel.
 *
 * The kernel has no libelf, so this is the project's one hand-written ELF
 * reader, and it reads only what a state image needs: the ELF header, the
 * program headers, the file bytes of PT_LOAD segments and the LUO note.
 * Every offset is checked against the buffer before use; the loops are
 * bounded by e_phnum (< 65535) and by the bytes of each PT_NOTE.  The
 * checks, their order and their messages are those of the userspace
 * reader (conformance/image: image_read.c, image_segs.c, image_note.c on
 * libelf), so that luoc.ko and luo-conform say the same about an image.
 * The buffer is never written.
 */
#include <linux/elf.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <asm/unaligned.h>

#include "kmod.h"
#include "luoc_abi_gen.h"

#define NOTE_F(x)	LUOC_LUO_STATE_IMAGE_LUO_IMAGE_NOTE_##x
#define NOTE_HDR	12	/* Elf64_Nhdr: namesz, descsz, type */

static void img_err(char *err, size_t errlen, const char *fmt, ...)
	__printf(3, 4);
static void img_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Fields in the ELF's byte order; p is inside the buffer (caller checked). */
static u64 rd(const struct kimg *img, const u8 *p, unsigned int size)
{
	switch (size) {
	case 2:
		return img->big_endian ? get_unaligned_be16(p) : get_unaligned_le16(p);
	case 4:
		return img->big_endian ? get_unaligned_be32(p) : get_unaligned_le32(p);
	default:
		return img->big_endian ? get_unaligned_be64(p) : get_unaligned_le64(p);
	}
}

#define EH(img, f)	rd(img, (img)->file + offsetof(Elf64_Ehdr, f), sizeof_field(Elf64_Ehdr, f))
#define PH(img, ph, f)	rd(img, (ph) + offsetof(Elf64_Phdr, f), sizeof_field(Elf64_Phdr, f))

/*
 * LUO-IMG-001.  libelf calls a file ELF only when magic, class, data and
 * version are all valid; anything else is "not an ELF file".
 */
static int check_ehdr(struct kimg *img, char *err, size_t errlen)
{
	const u8 *id = img->file;

	if (img->size == 0) {
		img_err(err, errlen, "empty file, not an ELF file");
		return -EINVAL;
	}
	if (img->size < EI_NIDENT || memcmp(id, ELFMAG, SELFMAG) ||
	    (id[EI_CLASS] != ELFCLASS32 && id[EI_CLASS] != ELFCLASS64) ||
	    (id[EI_DATA] != ELFDATA2LSB && id[EI_DATA] != ELFDATA2MSB) ||
	    id[EI_VERSION] != EV_CURRENT) {
		img_err(err, errlen, "not an ELF file");
		return -EINVAL;
	}
	if (id[EI_CLASS] != ELFCLASS64) {
		img_err(err, errlen, "ELF class is ELF32, not ELF64");
		return -EINVAL;
	}
	if (img->size < sizeof(Elf64_Ehdr)) {	/* libelf's words for it */
		img_err(err, errlen, "not an ELF file (invalid ELF file data)");
		return -EINVAL;
	}
	img->big_endian = id[EI_DATA] == ELFDATA2MSB;
	if (EH(img, e_type) != ET_CORE) {
		img_err(err, errlen, "ELF type is %u, not ET_CORE (4)", (unsigned int)EH(img, e_type));
		return -EINVAL;
	}
	return 0;
}

/*
 * The program header table must lie inside the file.  As libelf: an
 * offset of 0 means no table, one at or past the end is invalid data,
 * and a table running past the end is clipped -- which the userspace
 * reader then refuses, as here.
 */
static int phdr_table(const struct kimg *img, unsigned int *n, char *err, size_t errlen)
{
	u64 phoff = EH(img, e_phoff), fit;
	unsigned int phnum = EH(img, e_phnum);

	if (phoff && phoff >= img->size) {
		img_err(err, errlen, "bad program header table: invalid data");
		return -EINVAL;
	}
	if (phnum && EH(img, e_phentsize) != sizeof(Elf64_Phdr)) {
		img_err(err, errlen, "program header size is %u, not %zu",
			(unsigned int)EH(img, e_phentsize), sizeof(Elf64_Phdr));
		return -EINVAL;
	}
	if (phnum == PN_XNUM) {
		/* the real count would be in section 0; no state image needs it */
		img_err(err, errlen, "program header count PN_XNUM is not supported");
		return -EINVAL;
	}
	fit = phoff ? (img->size - phoff) / sizeof(Elf64_Phdr) : 0;
	if (phnum > fit) {
		img_err(err, errlen, "program header table lies past the end of the file");
		return -EINVAL;
	}
	*n = phnum;
	return 0;
}

static const u8 *phdr(const struct kimg *img, unsigned int i)
{
	return img->file + EH(img, e_phoff) + (u64)i * sizeof(Elf64_Phdr);
}

/* Only file bytes count: a p_memsz tail beyond p_filesz is not carried. */
static int take_load(struct kimg *img, const u8 *ph, unsigned int i, char *err, size_t errlen)
{
	u64 off = PH(img, ph, p_offset), len = PH(img, ph, p_filesz);
	u64 phys = PH(img, ph, p_paddr);
	struct luoc_seg *s;

	if (PH(img, ph, p_type) != PT_LOAD || len == 0)
		return 0;
	if (off > img->size || len > img->size - off) {
		img_err(err, errlen, "PT_LOAD segment %u (phys 0x%llx) lies past the end of the file",
			i, phys);
		return -EINVAL;
	}
	if (phys + len - 1 < phys) {
		img_err(err, errlen, "PT_LOAD segment %u wraps around the physical address space", i);
		return -EINVAL;
	}
	s = &img->segs[img->n_segs++];
	s->phys = phys;
	s->len = len;
	s->off = off;
	s->phdr = i;
	img->mem_bytes += len;
	return 0;
}

static int load_segs(struct kimg *img, unsigned int n, char *err, size_t errlen)
{
	unsigned int i;
	int ret;

	img->segs = kvcalloc(max(n, 1u), sizeof(*img->segs), GFP_KERNEL);
	img->runs = kvcalloc(max(n, 1u), sizeof(*img->runs), GFP_KERNEL);
	if (!img->segs || !img->runs) {
		img_err(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		ret = take_load(img, phdr(img, i), i, err, errlen);
		if (ret)
			return ret;
	}
	sort(img->segs, img->n_segs, sizeof(*img->segs), luoc_seg_cmp, NULL);
	img->overlap_idx = luoc_seg_overlap(img->segs, img->n_segs, &img->overlap_phys);
	img->n_runs = luoc_seg_runs(img->segs, img->n_segs, img->file, img->runs);
	return 0;
}

/* The descriptor in the ELF's byte order (image_note.c's decode). */
static void note_decode(struct kimg *img, const u8 *desc)
{
	struct kimg_note *n = &img->note;

	n->kho_root = rd(img, desc + NOTE_F(KHO_ROOT_OFF), NOTE_F(KHO_ROOT_SIZE));
	n->kho_root_size = rd(img, desc + NOTE_F(KHO_ROOT_SIZE_OFF), NOTE_F(KHO_ROOT_SIZE_SIZE));
	n->page_size = rd(img, desc + NOTE_F(PAGE_SIZE_OFF), NOTE_F(PAGE_SIZE_SIZE));
	n->flags = rd(img, desc + NOTE_F(FLAGS_OFF), NOTE_F(FLAGS_SIZE));
	memset(n->profile, 0, sizeof(n->profile));
	memcpy(n->profile, desc + NOTE_F(PROFILE_OFF), NOTE_F(PROFILE_SIZE));
	n->present = true;
}

static bool is_luo_note(const u8 *name, u32 namesz, u32 type)
{
	return type == LUOC_IMAGE_NOTE_TYPE && namesz == sizeof(LUOC_IMAGE_NOTE_OWNER) &&
	       !memcmp(name, LUOC_IMAGE_NOTE_OWNER, sizeof(LUOC_IMAGE_NOTE_OWNER));
}

static int take_note(struct kimg *img, const u8 *desc, u32 descsz, char *err, size_t errlen)
{
	if (img->note.present) {
		img_err(err, errlen, "more than one LUO note");
		return -EINVAL;
	}
	if (descsz != NOTE_F(SIZE)) {
		img_err(err, errlen, "LUO note has %u descriptor bytes, not %u%s", descsz,
			(unsigned int)NOTE_F(SIZE), descsz < NOTE_F(SIZE) ? " (truncated)" : "");
		return -EINVAL;
	}
	note_decode(img, desc);
	return 0;
}

/*
 * The next note of a PT_NOTE segment of 'size' bytes, as libelf's
 * gelf_getnote() finds it: name and descriptor each padded to 4 bytes,
 * the last padding clipped to the segment.  0 when the note does not fit.
 */
static u64 next_note(const struct kimg *img, const u8 *seg, u64 size, u64 off,
		     u64 *name_off, u64 *desc_off)
{
	u32 namesz = rd(img, seg + off, 4), descsz = rd(img, seg + off + 4, 4);

	off += NOTE_HDR;
	*name_off = off;
	if (namesz > size - off)
		return 0;
	off = ALIGN(off + namesz, 4);
	*desc_off = off;
	if (off > size || descsz > size - off)
		return 0;
	return min(ALIGN(off + descsz, 4), size);
}

/* Walk one PT_NOTE segment; the loop advances by at least a note header. */
static int scan_notes(struct kimg *img, const u8 *ph, unsigned int i, char *err, size_t errlen)
{
	u64 off = PH(img, ph, p_offset), size = PH(img, ph, p_filesz);
	u64 pos = 0, next, name_off, desc_off;
	const u8 *seg;
	int ret;

	if (off > img->size || size > img->size - off) {
		img_err(err, errlen, "PT_NOTE segment %u lies past the end of the file", i);
		return -EINVAL;
	}
	seg = img->file + off;
	/* fewer bytes than a note header cannot hold a note: tail padding */
	while (size - pos >= NOTE_HDR) {
		next = next_note(img, seg, size, pos, &name_off, &desc_off);
		if (!next) {
			img_err(err, errlen, "PT_NOTE segment %u: truncated note at offset %llu", i, pos);
			return -EINVAL;
		}
		if (is_luo_note(seg + name_off, rd(img, seg + pos, 4), rd(img, seg + pos + 8, 4))) {
			ret = take_note(img, seg + desc_off, rd(img, seg + pos + 4, 4), err, errlen);
			if (ret)
				return ret;
		}
		pos = next;
	}
	return 0;
}

static int find_note(struct kimg *img, unsigned int n, char *err, size_t errlen)
{
	unsigned int i;
	int ret;

	for (i = 0; i < n; i++) {
		const u8 *ph = phdr(img, i);

		if (PH(img, ph, p_type) != PT_NOTE || PH(img, ph, p_filesz) == 0)
			continue;
		ret = scan_notes(img, ph, i, err, errlen);
		if (ret)
			return ret;
	}
	return 0;
}

int kimg_open(struct kimg *img, const u8 *data, size_t size, char *err, size_t errlen)
{
	unsigned int n = 0;
	int ret;

	memset(img, 0, sizeof(*img));
	img->file = data;
	img->size = size;
	img->overlap_idx = -1;
	ret = check_ehdr(img, err, errlen);
	if (!ret)
		ret = phdr_table(img, &n, err, errlen);
	if (!ret)
		ret = load_segs(img, n, err, errlen);
	if (!ret)
		ret = find_note(img, n, err, errlen);
	if (ret)
		kimg_close(img);
	return ret;
}

void kimg_close(struct kimg *img)
{
	kvfree(img->segs);
	kvfree(img->runs);
	img->segs = NULL;
	img->runs = NULL;
}

/* luoc_mem.map(): segidx.c's lookup, the userspace reader's too. */
const void *kimg_map(void *ctx, u64 phys, u64 len)
{
	struct kimg *img = ctx;

	return luoc_runs_map(img->runs, img->n_runs, &img->cache, phys, len);
}
