// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * gen_elf.c - the ELF64 core container of a generated image.
 *
 *   ELF header | program headers | LUO note | metadata segment (page
 *   aligned) | one block of zeros for the folio data (a hole)
 *
 * PT_NOTE first, then PT_LOADs by physical address: the metadata, then one
 * per g->alias bytes of folio data, every one of them at the same file
 * offset.  Segments may share file bytes (only physical overlap is
 * forbidden, LUO-IMG-004), so 64 GiB of folio data costs one block of
 * the file, and a sparse one.  The luoc_image writer keeps every segment
 * in memory, which 300 MiB images cannot afford; this writes the headers
 * itself and leaves the bytes where gen_put() streamed them.  libelf's
 * translation functions put the headers into the file's byte order.
 */
#include <errno.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gen.h"
#include "luoc_abi_gen.h"

#define NOTE_F(x)	LUOC_LUO_STATE_IMAGE_LUO_IMAGE_NOTE_##x
#define NOTE_NAME	sizeof(LUOC_IMAGE_NOTE_OWNER)	/* "LUO\0" */
#define NOTE_BYTES	(sizeof(Elf64_Nhdr) + NOTE_NAME + NOTE_F(SIZE))
#define SEG_ALIGN	4096u

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static unsigned int nphdrs(const struct gen *g)
{
	return 2 + (unsigned int)g->nseg_data;
}

static uint64_t note_off(const struct gen *g)
{
	return align_up(sizeof(Elf64_Ehdr) + (uint64_t)nphdrs(g) * sizeof(Elf64_Phdr), 4);
}

uint64_t gen_elf_meta_off(const struct gen *g)
{
	return align_up(note_off(g) + NOTE_BYTES, SEG_ALIGN);
}

/* Translate n objects of type t to little-endian file order in place. */
static void to_file(void *buf, size_t bytes, Elf_Type t)
{
	Elf_Data d = {
		.d_buf = buf, .d_type = t, .d_size = bytes, .d_version = EV_CURRENT,
	};

	if (!elf64_xlatetof(&d, &d, ELFDATA2LSB))
		gen_die("libelf: %s", elf_errmsg(-1));
}

static void put_file(struct gen *g, uint64_t off, const void *buf, size_t len)
{
	if (pwrite(g->fd, buf, len, (off_t)off) != (ssize_t)len)
		gen_die("write: %s", strerror(errno));
}

static void ehdr(struct gen *g)
{
	Elf64_Ehdr eh;

	memset(&eh, 0, sizeof(eh));
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_ident[EI_OSABI] = ELFOSABI_NONE;
	eh.e_type = ET_CORE;
	eh.e_machine = EM_X86_64;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = sizeof(Elf64_Ehdr);
	eh.e_ehsize = sizeof(Elf64_Ehdr);
	eh.e_phentsize = sizeof(Elf64_Phdr);
	eh.e_phnum = (uint16_t)nphdrs(g);
	to_file(&eh, sizeof(eh), ELF_T_EHDR);
	put_file(g, 0, &eh, sizeof(eh));
}

static void phdr(Elf64_Phdr *ph, uint32_t type, uint64_t off, uint64_t phys, uint64_t len)
{
	memset(ph, 0, sizeof(*ph));
	ph->p_type = type;
	ph->p_flags = type == PT_LOAD ? PF_R | PF_W | PF_X : 0;
	ph->p_offset = off;
	ph->p_paddr = phys;
	ph->p_filesz = len;
	ph->p_memsz = len;
	ph->p_align = type == PT_LOAD ? SEG_ALIGN : 4;
}

static void note(struct gen *g)
{
	uint8_t buf[NOTE_BYTES], *desc = buf + sizeof(Elf64_Nhdr) + NOTE_NAME;
	Elf64_Nhdr nh = {
		.n_namesz = NOTE_NAME, .n_descsz = NOTE_F(SIZE), .n_type = LUOC_IMAGE_NOTE_TYPE,
	};

	to_file(&nh, sizeof(nh), ELF_T_NHDR);
	memset(buf, 0, sizeof(buf));
	memcpy(buf, &nh, sizeof(nh));
	memcpy(buf + sizeof(nh), LUOC_IMAGE_NOTE_OWNER, NOTE_NAME);
	gen_st(g, desc + NOTE_F(KHO_ROOT_OFF), NOTE_F(KHO_ROOT_SIZE), g->root);
	gen_st(g, desc + NOTE_F(KHO_ROOT_SIZE_OFF), NOTE_F(KHO_ROOT_SIZE_SIZE), g->ps);
	gen_st(g, desc + NOTE_F(PAGE_SIZE_OFF), NOTE_F(PAGE_SIZE_SIZE), g->ps);
	gen_st(g, desc + NOTE_F(FLAGS_OFF), NOTE_F(FLAGS_SIZE), 0);
	memcpy(desc + NOTE_F(PROFILE_OFF), g->p->name,
	       strnlen(g->p->name, NOTE_F(PROFILE_SIZE)));
	put_file(g, note_off(g), buf, sizeof(buf));
}

uint64_t gen_elf(struct gen *g)
{
	unsigned int n = nphdrs(g), i;
	uint64_t meta_len = g->meta_end - GEN_META_BASE;
	uint64_t data_off = align_up(g->meta_off + meta_len, SEG_ALIGN);
	uint64_t size = g->nseg_data ? data_off + g->alias : g->meta_off + meta_len;
	Elf64_Phdr *ph = calloc(n, sizeof(*ph));

	if (elf_version(EV_CURRENT) == EV_NONE)
		gen_die("libelf: %s", elf_errmsg(-1));
	if (!ph)
		gen_die("out of memory");
	phdr(&ph[0], PT_NOTE, note_off(g), 0, NOTE_BYTES);
	phdr(&ph[1], PT_LOAD, g->meta_off, GEN_META_BASE, meta_len);
	for (i = 0; i < g->nseg_data; i++)
		phdr(&ph[2 + i], PT_LOAD, data_off, GEN_DATA_BASE + i * g->alias, g->alias);
	to_file(ph, n * sizeof(*ph), ELF_T_PHDR);
	ehdr(g);
	put_file(g, sizeof(Elf64_Ehdr), ph, n * sizeof(*ph));
	note(g);
	free(ph);
	/* the data block (and any gap) stays a hole: zeros that take no disk */
	if (ftruncate(g->fd, (off_t)size))
		gen_die("ftruncate: %s", strerror(errno));
	return size;
}
