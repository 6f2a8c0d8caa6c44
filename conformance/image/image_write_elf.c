// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * image_write_elf.c - emit a state image with libelf.
 *
 * The file is laid out by hand (ELF_F_LAYOUT) so the same input always
 * gives the same bytes:
 *   ELF header | program headers (PT_NOTE first, then PT_LOAD by phys) |
 *   LUO note | .shstrtab | each segment at a 4096-aligned offset |
 *   section headers
 * Every PT_LOAD is backed by an SHT_PROGBITS section and the note by an
 * SHT_NOTE section, because libelf writes file contents through sections;
 * readers of core files use the program headers and ignore them.  libelf
 * fills the gaps with zero bytes and converts the note header to the
 * file's byte order; the note descriptor is encoded in that order already.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image_writer_priv.h"
#include "luoc_abi_gen.h"

#define SEG_ALIGN	4096u
#define NOTE_DESC	LUOC_LUO_STATE_IMAGE_LUO_IMAGE_NOTE_SIZE
#define NOTE_NAME	sizeof(LUOC_IMAGE_NOTE_OWNER)	/* "LUO\0": already 4-aligned */
#define NOTE_BYTES	(sizeof(Elf64_Nhdr) + NOTE_NAME + NOTE_DESC)

static const char shstrtab[] = "\0.shstrtab\0.note.luo\0load";
#define SHNAME_SHSTRTAB	1
#define SHNAME_NOTE	11
#define SHNAME_LOAD	21

struct layout {
	unsigned int nph;
	uint64_t note_off, strtab_off, shoff;
	uint64_t *seg_off;
};

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static int seg_cmp(const void *a, const void *b)
{
	const struct luoc_wseg *x = a, *y = b;

	if (x->phys != y->phys)
		return x->phys < y->phys ? -1 : 1;
	return x->seq < y->seq ? -1 : (x->seq > y->seq);
}

static int plan(const struct luoc_image_writer *w, struct layout *l)
{
	uint64_t off;
	unsigned int i;

	l->nph = w->n + (w->has_note ? 1 : 0);
	l->seg_off = calloc(w->n ? w->n : 1, sizeof(*l->seg_off));
	if (!l->seg_off)
		return -ENOMEM;
	off = sizeof(Elf64_Ehdr) + (uint64_t)l->nph * sizeof(Elf64_Phdr);
	l->note_off = align_up(off, 4);
	off = l->note_off + (w->has_note ? NOTE_BYTES : 0);
	l->strtab_off = off;
	off += sizeof(shstrtab);
	for (i = 0; i < w->n; i++) {
		l->seg_off[i] = align_up(off, SEG_ALIGN);
		off = l->seg_off[i] + w->segs[i].len;
	}
	l->shoff = align_up(off, 8);
	return 0;
}

static int elf_fail(char *err, size_t errlen, const char *what)
{
	luoc_image_err(err, errlen, "libelf: %s: %s", what, elf_errmsg(-1));
	return -EIO;
}

static int put_ehdr(Elf *e, const struct luoc_image_writer *w, const struct layout *l,
		    char *err, size_t errlen)
{
	GElf_Ehdr eh;

	if (!gelf_newehdr(e, ELFCLASS64) || !gelf_getehdr(e, &eh))
		return elf_fail(err, errlen, "ELF header");
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = w->big_endian ? ELFDATA2MSB : ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_ident[EI_OSABI] = ELFOSABI_NONE;
	eh.e_type = ET_CORE;
	eh.e_machine = w->machine;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = l->nph ? sizeof(Elf64_Ehdr) : 0;
	eh.e_shoff = l->shoff;
	eh.e_ehsize = sizeof(Elf64_Ehdr);
	eh.e_phentsize = sizeof(Elf64_Phdr);
	eh.e_shentsize = sizeof(Elf64_Shdr);
	if (!gelf_update_ehdr(e, &eh))
		return elf_fail(err, errlen, "ELF header");
	return 0;
}

/* One section backed by one data buffer. */
static Elf_Scn *add_scn(Elf *e, uint32_t name, uint32_t type, uint64_t off,
			void *buf, uint64_t len, Elf_Type dtype, uint64_t align)
{
	Elf_Scn *scn = elf_newscn(e);
	Elf_Data *d;
	GElf_Shdr sh;

	if (!scn || !(d = elf_newdata(scn)) || !gelf_getshdr(scn, &sh))
		return NULL;
	d->d_buf = buf;
	d->d_size = len;
	d->d_type = dtype;
	d->d_off = 0;
	d->d_align = align;
	d->d_version = EV_CURRENT;
	sh.sh_name = name;
	sh.sh_type = type;
	sh.sh_flags = type == SHT_STRTAB ? 0 : SHF_ALLOC;
	sh.sh_offset = off;
	sh.sh_size = len;
	sh.sh_addralign = align;
	return gelf_update_shdr(scn, &sh) ? scn : NULL;
}

static void build_note(const struct luoc_image_writer *w, unsigned char *buf)
{
	Elf64_Nhdr nh = {
		.n_namesz = NOTE_NAME,
		.n_descsz = NOTE_DESC,
		.n_type = LUOC_IMAGE_NOTE_TYPE,
	};

	/* The header in host order (libelf converts it); name and desc as is. */
	memcpy(buf, &nh, sizeof(nh));
	memcpy(buf + sizeof(nh), LUOC_IMAGE_NOTE_OWNER, NOTE_NAME);
	luoc_image_note_encode(&w->note, w->big_endian, buf + sizeof(nh) + NOTE_NAME);
}

static int put_phdr(Elf *e, int i, uint32_t type, uint64_t off, uint64_t phys,
		    uint64_t len, uint64_t align)
{
	GElf_Phdr ph = {
		.p_type = type,
		.p_flags = type == PT_LOAD ? PF_R | PF_W | PF_X : 0,
		.p_offset = off,
		.p_paddr = phys,
		.p_filesz = len,
		.p_memsz = len,
		.p_align = align,
	};

	return gelf_update_phdr(e, i, &ph) ? 0 : -EIO;
}

static int put_note(Elf *e, const struct luoc_image_writer *w, const struct layout *l,
		    unsigned char *note)
{
	build_note(w, note);
	if (!add_scn(e, SHNAME_NOTE, SHT_NOTE, l->note_off, note, NOTE_BYTES, ELF_T_NHDR, 4))
		return -EIO;
	return put_phdr(e, 0, PT_NOTE, l->note_off, 0, NOTE_BYTES, 4);
}

static int set_shstrndx(Elf *e, size_t ndx)
{
	GElf_Ehdr eh;

	if (!gelf_getehdr(e, &eh))
		return -EIO;
	eh.e_shstrndx = (uint16_t)ndx;
	return gelf_update_ehdr(e, &eh) ? 0 : -EIO;
}

static int put_contents(Elf *e, const struct luoc_image_writer *w, const struct layout *l,
			unsigned char *note, char *err, size_t errlen)
{
	Elf_Scn *str;
	unsigned int i, ph0 = w->has_note ? 1 : 0;

	if (l->nph && !gelf_newphdr(e, l->nph))
		return elf_fail(err, errlen, "program headers");
	if (w->has_note && put_note(e, w, l, note))
		return elf_fail(err, errlen, "note");
	str = add_scn(e, SHNAME_SHSTRTAB, SHT_STRTAB, l->strtab_off, (void *)shstrtab,
		      sizeof(shstrtab), ELF_T_BYTE, 1);
	if (!str || set_shstrndx(e, elf_ndxscn(str)))
		return elf_fail(err, errlen, ".shstrtab");
	for (i = 0; i < w->n; i++) {
		const struct luoc_wseg *s = &w->segs[i];

		if (!add_scn(e, SHNAME_LOAD, SHT_PROGBITS, l->seg_off[i], s->data, s->len,
			     ELF_T_BYTE, 1) ||
		    put_phdr(e, (int)(ph0 + i), PT_LOAD, l->seg_off[i], s->phys, s->len, SEG_ALIGN))
			return elf_fail(err, errlen, "segment");
	}
	return 0;
}

static int emit(int fd, struct luoc_image_writer *w, char *err, size_t errlen)
{
	unsigned char note[NOTE_BYTES];
	struct layout l = { 0 };
	Elf *e;
	int ret;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return elf_fail(err, errlen, "version");
	qsort(w->segs, w->n, sizeof(*w->segs), seg_cmp);
	ret = plan(w, &l);
	if (ret)
		return ret;
	e = elf_begin(fd, ELF_C_WRITE, NULL);
	if (!e) {
		free(l.seg_off);
		return elf_fail(err, errlen, "elf_begin");
	}
	elf_flagelf(e, ELF_C_SET, ELF_F_LAYOUT);
	ret = put_ehdr(e, w, &l, err, errlen);
	if (!ret)
		ret = put_contents(e, w, &l, note, err, errlen);
	if (!ret && elf_update(e, ELF_C_WRITE) < 0)
		ret = elf_fail(err, errlen, "elf_update");
	elf_end(e);
	free(l.seg_off);
	return ret;
}

/* Write to a temporary file beside path, then rename it over path. */
int luoc_image_writer_write(struct luoc_image_writer *w, const char *path, char *err, size_t errlen)
{
	size_t n = strlen(path) + sizeof(".tmpXXXXXX");
	char *tmp = malloc(n);
	int fd, ret;

	if (!tmp)
		return -ENOMEM;
	snprintf(tmp, n, "%s.tmpXXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		ret = -errno;
		luoc_image_err(err, errlen, "cannot create %s: %s", tmp, strerror(-ret));
		free(tmp);
		return ret;
	}
	ret = emit(fd, w, err, errlen);
	if (!ret && (fchmod(fd, 0644) < 0 || fsync(fd) < 0)) {
		ret = -errno;
		luoc_image_err(err, errlen, "cannot write %s: %s", tmp, strerror(-ret));
	}
	if (close(fd) < 0 && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path) < 0) {
		ret = -errno;
		luoc_image_err(err, errlen, "cannot rename to %s: %s", path, strerror(-ret));
	}
	if (ret)
		unlink(tmp);
	free(tmp);
	return ret;
}
