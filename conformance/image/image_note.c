// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * image_note.c - the LUO note (owner "LUO", type LUO_NT_STATE): find it
 * among the other notes of a core file (QEMU and /proc/vmcore dumps carry
 * CORE and QEMU notes too) and code its descriptor, which is in the ELF's
 * byte order.  Offsets come from spec/abi/image.yaml via abigen.py.
 */
#include <errno.h>
#include <gelf.h>
#include <string.h>

#include "image_priv.h"
#include "luoc_abi_gen.h"

#define NOTE_F(x)	LUOC_LUO_STATE_IMAGE_LUO_IMAGE_NOTE_##x
#define NOTE_SIZE	NOTE_F(SIZE)

static uint64_t get_be_le(const unsigned char *p, unsigned int n, bool be)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)p[be ? n - 1 - i : i] << (8 * i);
	return v;
}

static void put_be_le(unsigned char *p, unsigned int n, bool be, uint64_t v)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		p[be ? n - 1 - i : i] = (unsigned char)(v >> (8 * i));
}

void luoc_image_note_decode(const unsigned char *desc, bool be, struct luoc_image_info *info)
{
	info->kho_root = get_be_le(desc + NOTE_F(KHO_ROOT_OFF), NOTE_F(KHO_ROOT_SIZE), be);
	info->kho_root_size = get_be_le(desc + NOTE_F(KHO_ROOT_SIZE_OFF),
					NOTE_F(KHO_ROOT_SIZE_SIZE), be);
	info->page_size = (uint32_t)get_be_le(desc + NOTE_F(PAGE_SIZE_OFF),
					      NOTE_F(PAGE_SIZE_SIZE), be);
	info->flags = (uint32_t)get_be_le(desc + NOTE_F(FLAGS_OFF), NOTE_F(FLAGS_SIZE), be);
	memset(info->profile, 0, sizeof(info->profile));
	memcpy(info->profile, desc + NOTE_F(PROFILE_OFF), NOTE_F(PROFILE_SIZE));
	info->has_note = true;
}

void luoc_image_note_encode(const struct luoc_image_note *n, bool be, unsigned char *desc)
{
	memset(desc, 0, NOTE_SIZE);
	put_be_le(desc + NOTE_F(KHO_ROOT_OFF), NOTE_F(KHO_ROOT_SIZE), be, n->kho_root);
	put_be_le(desc + NOTE_F(KHO_ROOT_SIZE_OFF), NOTE_F(KHO_ROOT_SIZE_SIZE), be,
		  n->kho_root_size);
	put_be_le(desc + NOTE_F(PAGE_SIZE_OFF), NOTE_F(PAGE_SIZE_SIZE), be, n->page_size);
	put_be_le(desc + NOTE_F(FLAGS_OFF), NOTE_F(FLAGS_SIZE), be, n->flags);
	memcpy(desc + NOTE_F(PROFILE_OFF), n->profile,
	       strnlen(n->profile, NOTE_F(PROFILE_SIZE)));
}

static bool is_luo_note(const Elf_Data *d, const GElf_Nhdr *nh, size_t name_off)
{
	return nh->n_type == LUOC_IMAGE_NOTE_TYPE &&
	       nh->n_namesz == sizeof(LUOC_IMAGE_NOTE_OWNER) &&
	       !memcmp((const char *)d->d_buf + name_off, LUOC_IMAGE_NOTE_OWNER,
		       sizeof(LUOC_IMAGE_NOTE_OWNER));
}

static int take_note(struct luoc_image *img, const Elf_Data *d, const GElf_Nhdr *nh,
		     size_t desc_off, char *err, size_t errlen)
{
	if (img->info.has_note) {
		luoc_image_err(err, errlen, "more than one LUO note");
		return -EINVAL;
	}
	if (nh->n_descsz != NOTE_SIZE) {
		luoc_image_err(err, errlen, "LUO note has %u descriptor bytes, not %u%s",
			       (unsigned int)nh->n_descsz, (unsigned int)NOTE_SIZE,
			       nh->n_descsz < NOTE_SIZE ? " (truncated)" : "");
		return -EINVAL;
	}
	luoc_image_note_decode((const unsigned char *)d->d_buf + desc_off,
			       img->info.big_endian, &img->info);
	return 0;
}

/* Walk one PT_NOTE segment; gelf_getnote() does the parsing and padding. */
static int scan_notes(struct luoc_image *img, const GElf_Phdr *ph, unsigned int i,
		      char *err, size_t errlen)
{
	Elf_Data *d;
	GElf_Nhdr nh;
	size_t off = 0, next, name_off, desc_off;
	int ret;

	d = elf_getdata_rawchunk(img->elf, (int64_t)ph->p_offset, ph->p_filesz, ELF_T_NHDR);
	if (!d) {
		luoc_image_err(err, errlen, "PT_NOTE segment %u lies past the end of the file", i);
		return -EINVAL;
	}
	/* Fewer bytes than a note header cannot hold a note: tail padding. */
	while (d->d_size - off >= sizeof(GElf_Nhdr)) {
		next = gelf_getnote(d, off, &nh, &name_off, &desc_off);
		if (!next) {
			luoc_image_err(err, errlen,
				       "PT_NOTE segment %u: truncated note at offset %zu", i, off);
			return -EINVAL;
		}
		if (is_luo_note(d, &nh, name_off)) {
			ret = take_note(img, d, &nh, desc_off, err, errlen);
			if (ret)
				return ret;
		}
		off = next;
	}
	return 0;
}

int luoc_image_find_note(struct luoc_image *img, char *err, size_t errlen)
{
	size_t n, i;
	GElf_Phdr ph;
	int ret;

	if (elf_getphdrnum(img->elf, &n) < 0)
		return -EINVAL;		/* load_segs already reported it */
	for (i = 0; i < n; i++) {
		if (!gelf_getphdr(img->elf, (int)i, &ph))
			return -EINVAL;
		if (ph.p_type != PT_NOTE || ph.p_filesz == 0)
			continue;
		ret = scan_notes(img, &ph, (unsigned int)i, err, errlen);
		if (ret)
			return ret;
	}
	return 0;
}
