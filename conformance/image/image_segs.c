// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * image_segs.c - collect the PT_LOAD segments of a state image, sort them
 * by physical address, find overlaps (LUO-IMG-004) and join segments that
 * are contiguous in memory and in the file into runs for map().
 */
#include <errno.h>
#include <gelf.h>
#include <stdlib.h>

#include "image_priv.h"

/* Only file bytes count: a p_memsz tail beyond p_filesz is not carried. */
static int take_phdr(struct luoc_image *img, const GElf_Phdr *ph, unsigned int i,
		     char *err, size_t errlen)
{
	struct luoc_seg *s;

	if (ph->p_type != PT_LOAD || ph->p_filesz == 0)
		return 0;
	if (ph->p_offset > img->file_size || ph->p_filesz > img->file_size - ph->p_offset) {
		luoc_image_err(err, errlen,
			       "PT_LOAD segment %u (phys 0x%llx) lies past the end of the file",
			       i, (unsigned long long)ph->p_paddr);
		return -EINVAL;
	}
	if (ph->p_paddr + ph->p_filesz - 1 < ph->p_paddr) {
		luoc_image_err(err, errlen,
			       "PT_LOAD segment %u wraps around the physical address space", i);
		return -EINVAL;
	}
	s = &img->segs[img->n_segs++];
	s->phys = ph->p_paddr;
	s->len = ph->p_filesz;
	s->off = ph->p_offset;
	s->phdr = i;
	img->info.mem_bytes += ph->p_filesz;
	return 0;
}

/*
 * libelf quietly clips a program header table that runs past the end of
 * the file to the entries that fit; a cut-off image must be refused.
 */
static int phdr_count(struct luoc_image *img, size_t *n, char *err, size_t errlen)
{
	GElf_Ehdr eh;

	if (!gelf_getehdr(img->elf, &eh) || elf_getphdrnum(img->elf, n) < 0) {
		luoc_image_err(err, errlen, "bad program header table: %s", elf_errmsg(-1));
		return -EINVAL;
	}
	if (eh.e_phnum && eh.e_phentsize != sizeof(Elf64_Phdr)) {
		luoc_image_err(err, errlen, "program header size is %u, not %zu",
			       eh.e_phentsize, sizeof(Elf64_Phdr));
		return -EINVAL;
	}
	if ((eh.e_phnum != PN_XNUM && *n != eh.e_phnum) || eh.e_phoff > img->file_size ||
	    *n > (img->file_size - eh.e_phoff) / sizeof(Elf64_Phdr)) {
		luoc_image_err(err, errlen,
			       "program header table lies past the end of the file");
		return -EINVAL;
	}
	return 0;
}

static int read_phdrs(struct luoc_image *img, char *err, size_t errlen)
{
	size_t n, i;
	GElf_Phdr ph;
	int ret;

	ret = phdr_count(img, &n, err, errlen);
	if (ret)
		return ret;
	img->segs = calloc(n ? n : 1, sizeof(*img->segs));
	if (!img->segs) {
		luoc_image_err(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		if (!gelf_getphdr(img->elf, (int)i, &ph)) {
			luoc_image_err(err, errlen, "program header %zu: %s", i, elf_errmsg(-1));
			return -EINVAL;
		}
		ret = take_phdr(img, &ph, (unsigned int)i, err, errlen);
		if (ret)
			return ret;
	}
	img->info.n_segments = img->n_segs;
	return 0;
}

static int build_runs(struct luoc_image *img, char *err, size_t errlen)
{
	img->runs = calloc(img->n_segs ? img->n_segs : 1, sizeof(*img->runs));
	if (!img->runs) {
		luoc_image_err(err, errlen, "out of memory");
		return -ENOMEM;
	}
	img->n_runs = luoc_seg_runs(img->segs, img->n_segs, img->file, img->runs);
	return 0;
}

int luoc_image_load_segs(struct luoc_image *img, char *err, size_t errlen)
{
	int ret = read_phdrs(img, err, errlen);

	if (ret)
		return ret;
	/* ties keep program header order, so the sort is stable */
	qsort(img->segs, img->n_segs, sizeof(*img->segs), luoc_seg_cmp);
	img->overlap_idx = luoc_seg_overlap(img->segs, img->n_segs, &img->overlap_phys);
	return build_runs(img, err, errlen);
}
