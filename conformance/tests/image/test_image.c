// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * test_image.c - the state-image library: what the writer writes, the
 * reader reads back byte for byte; map() serves exactly the bytes that are
 * there; and every kind of broken file is refused with a reason, not a
 * crash.  Foreign cores (other notes, ELF32, ET_EXEC) are made with libelf
 * directly, independently of the writer under test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <elf.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "luoc_image.h"
#include "luoc_abi_gen.h"

static char dir[] = "/tmp/luoc-test-image.XXXXXX";
static char err[256];

static const char *path(const char *name)
{
	static char buf[8][512];
	static unsigned int n;
	char *p = buf[n++ % 8];

	snprintf(p, sizeof(buf[0]), "%s/%s", dir, name);
	return p;
}

static void fill(unsigned char *b, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		b[i] = (unsigned char)(seed * 131 + i * 7 + (i >> 8));
}

static struct luoc_image_note note(uint64_t root, uint32_t ps, const char *prof)
{
	struct luoc_image_note n;

	memset(&n, 0, sizeof(n));
	n.kho_root = root;
	n.kho_root_size = ps;
	n.page_size = ps;
	memcpy(n.profile, prof, strlen(prof));
	return n;
}

static void write_ok(struct luoc_image_writer *w, const char *name)
{
	int ret = luoc_image_writer_write(w, path(name), err, sizeof(err));

	if (ret)
		fail_msg("write %s: %d %s", name, ret, err);
	luoc_image_writer_free(w);
}

static struct luoc_image *open_ok(const char *name)
{
	struct luoc_image *img;
	int ret = luoc_image_open(path(name), &img, err, sizeof(err));

	if (ret)
		fail_msg("open %s: %d %s", name, ret, err);
	return img;
}

/* Open must fail with a reason containing 'why'. */
static void open_bad(const char *name, const char *why)
{
	struct luoc_image *img = (void *)1;

	err[0] = '\0';
	assert_true(luoc_image_open(path(name), &img, err, sizeof(err)) < 0);
	assert_null(img);
	if (!strstr(err, why))
		fail_msg("%s: reason '%s' lacks '%s'", name, err, why);
}

static unsigned char *slurp(const char *name, size_t *len)
{
	struct stat st;
	unsigned char *b;
	FILE *f = fopen(path(name), "rb");

	assert_non_null(f);
	assert_int_equal(fstat(fileno(f), &st), 0);
	*len = (size_t)st.st_size;
	b = malloc(*len + 1);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, *len, f), *len);
	fclose(f);
	return b;
}

static void spit(const char *name, const void *b, size_t len)
{
	FILE *f = fopen(path(name), "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(b, 1, len, f), len);
	fclose(f);
}

/* A copy of 'src' with 'n' bytes at 'off' replaced, as 'dst'. */
static void patch(const char *src, const char *dst, size_t off, const void *bytes, size_t n)
{
	size_t len;
	unsigned char *b = slurp(src, &len);

	assert_true(off + n <= len);
	memcpy(b + off, bytes, n);
	spit(dst, b, len);
	free(b);
}

static Elf64_Phdr phdr_of(const char *name, unsigned int i)
{
	Elf64_Phdr ph;
	size_t len;
	unsigned char *b = slurp(name, &len);

	memcpy(&ph, b + sizeof(Elf64_Ehdr) + i * sizeof(ph), sizeof(ph));
	free(b);
	return ph;
}

/* --- a small, valid little-endian image shared by several tests --- */
static unsigned char a[5000], b2[300], c[4096];

static void make_basic(void)
{
	struct luoc_image_writer *w = luoc_image_writer_new(false, EM_X86_64);
	struct luoc_image_note n = note(0x1000, 4096, "v7.0");

	fill(a, sizeof(a), 1);
	fill(b2, sizeof(b2), 2);
	fill(c, sizeof(c), 3);
	luoc_image_writer_set_note(w, &n);
	assert_int_equal(luoc_image_writer_add(w, 0x100000, c, sizeof(c)), 0);
	assert_int_equal(luoc_image_writer_add(w, 0x1000, a, sizeof(a)), 0);
	/* adjacent to a: merged into one segment */
	assert_int_equal(luoc_image_writer_add(w, 0x1000 + sizeof(a), b2, sizeof(b2)), 0);
	write_ok(w, "basic.img");
}

static void make_be(void);

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	make_basic();
	make_be();
	return 0;
}

static int teardown(void **state)
{
	char cmd[600];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_roundtrip_info(void **state)
{
	struct luoc_image *img = open_ok("basic.img");
	const struct luoc_image_info *i = luoc_image_info(img);

	(void)state;
	assert_true(i->has_note);
	assert_int_equal(i->kho_root, 0x1000);
	assert_int_equal(i->kho_root_size, 4096);
	assert_int_equal(i->page_size, 4096);
	assert_int_equal(i->flags, 0);
	assert_string_equal(i->profile, "v7.0");
	assert_false(i->big_endian);
	assert_int_equal(i->machine, EM_X86_64);
	assert_int_equal(i->n_segments, 2);
	assert_int_equal(i->mem_bytes, sizeof(a) + sizeof(b2) + sizeof(c));
	luoc_image_close(img);
}

static void test_roundtrip_bytes(void **state)
{
	struct luoc_image *img = open_ok("basic.img");
	const unsigned char *p;

	(void)state;
	p = luoc_image_map(img, 0x1000, sizeof(a));
	assert_non_null(p);
	assert_memory_equal(p, a, sizeof(a));
	p = luoc_image_map(img, 0x1000 + sizeof(a), sizeof(b2));
	assert_non_null(p);
	assert_memory_equal(p, b2, sizeof(b2));
	p = luoc_image_map(img, 0x100000, sizeof(c));
	assert_non_null(p);
	assert_memory_equal(p, c, sizeof(c));
	/* a range across the merged pieces is one pointer */
	p = luoc_image_map(img, 0x1000 + sizeof(a) - 8, 16);
	assert_non_null(p);
	assert_memory_equal(p, a + sizeof(a) - 8, 8);
	assert_memory_equal(p + 8, b2, 8);
	luoc_image_close(img);
}

static void test_map_absent(void **state)
{
	struct luoc_image *img = open_ok("basic.img");
	uint64_t end = 0x1000 + sizeof(a) + sizeof(b2);

	(void)state;
	assert_null(luoc_image_map(img, 0, 1));
	assert_null(luoc_image_map(img, 0xfff, 1));		/* one byte below */
	assert_null(luoc_image_map(img, 0xfff, 2));		/* straddles the start */
	assert_non_null(luoc_image_map(img, end - 1, 1));	/* last byte */
	assert_null(luoc_image_map(img, end - 1, 2));		/* straddles the end */
	assert_null(luoc_image_map(img, end, 1));
	assert_null(luoc_image_map(img, 0x100000 - 1, 2));
	assert_null(luoc_image_map(img, 0x100000 + 4096, 1));	/* past the last */
	assert_null(luoc_image_map(img, 0x2000, 0x100000));	/* across the gap */
	assert_null(luoc_image_map(img, UINT64_MAX, 1));
	luoc_image_close(img);
}

static void test_map_overflow(void **state)
{
	struct luoc_image *img = open_ok("basic.img");

	(void)state;
	assert_null(luoc_image_map(img, 0x1000, UINT64_MAX));
	assert_null(luoc_image_map(img, 0x1008, UINT64_MAX - 4));	/* phys + len wraps */
	assert_null(luoc_image_map(img, UINT64_MAX - 2, 8));
	/* the cache must not serve a range that only starts in the cached run */
	assert_non_null(luoc_image_map(img, 0x100000, 8));
	assert_null(luoc_image_map(img, 0x100ff8, 16));
	assert_non_null(luoc_image_map(img, 0x1000, 8));
	luoc_image_close(img);
}

static void test_segments_sorted(void **state)
{
	struct luoc_image *img = open_ok("basic.img");
	uint64_t phys, len;

	(void)state;
	assert_true(luoc_image_segment(img, 0, &phys, &len));
	assert_int_equal(phys, 0x1000);
	assert_int_equal(len, sizeof(a) + sizeof(b2));
	assert_true(luoc_image_segment(img, 1, &phys, &len));
	assert_int_equal(phys, 0x100000);
	assert_int_equal(len, sizeof(c));
	assert_false(luoc_image_segment(img, 2, &phys, &len));
	assert_int_equal(luoc_image_overlap(img, &phys), -1);
	luoc_image_close(img);
}

static void test_layout(void **state)
{
	Elf64_Phdr n = phdr_of("basic.img", 0), l1 = phdr_of("basic.img", 1);
	Elf64_Phdr l2 = phdr_of("basic.img", 2);

	(void)state;
	assert_int_equal(n.p_type, PT_NOTE);	/* PT_NOTE first */
	assert_int_equal(l1.p_type, PT_LOAD);
	assert_int_equal(l1.p_paddr, 0x1000);
	assert_int_equal(l2.p_paddr, 0x100000);
	assert_int_equal(l1.p_offset % 4096, 0);
	assert_int_equal(l2.p_offset % 4096, 0);
}

static void test_deterministic(void **state)
{
	struct luoc_image_writer *w = luoc_image_writer_new(false, EM_X86_64);
	struct luoc_image_note n = note(0x1000, 4096, "v7.0");
	unsigned char *x, *y;
	size_t lx, ly;

	(void)state;
	/* same pieces, another order: the same bytes */
	luoc_image_writer_set_note(w, &n);
	assert_int_equal(luoc_image_writer_add(w, 0x1000 + sizeof(a), b2, sizeof(b2)), 0);
	assert_int_equal(luoc_image_writer_add(w, 0x1000, a, sizeof(a)), 0);
	assert_int_equal(luoc_image_writer_add(w, 0x100000, c, sizeof(c)), 0);
	write_ok(w, "basic2.img");
	x = slurp("basic.img", &lx);
	y = slurp("basic2.img", &ly);
	assert_int_equal(lx, ly);
	assert_memory_equal(x, y, lx);
	free(x);
	free(y);
}

static void test_merge_later_wins(void **state)
{
	struct luoc_image_writer *w = luoc_image_writer_new(false, EM_AARCH64);
	unsigned char ones[64], twos[16];
	const unsigned char *p;
	struct luoc_image *img;

	(void)state;
	memset(ones, 1, sizeof(ones));
	memset(twos, 2, sizeof(twos));
	assert_int_equal(luoc_image_writer_add(w, 0x5000, ones, sizeof(ones)), 0);
	assert_int_equal(luoc_image_writer_add(w, 0x5008, twos, sizeof(twos)), 0);
	assert_int_equal(luoc_image_writer_add_zero(w, 0x5030, 0x20), 0);	/* extends it */
	write_ok(w, "merge.img");
	img = open_ok("merge.img");
	assert_false(luoc_image_info(img)->has_note);
	assert_int_equal(luoc_image_info(img)->machine, EM_AARCH64);
	assert_int_equal(luoc_image_info(img)->n_segments, 1);
	p = luoc_image_map(img, 0x5000, 0x50);
	assert_non_null(p);
	assert_int_equal(p[7], 1);
	assert_int_equal(p[8], 2);
	assert_int_equal(p[23], 2);
	assert_int_equal(p[24], 1);
	assert_int_equal(p[0x2f], 1);
	assert_int_equal(p[0x30], 0);
	assert_int_equal(p[0x4f], 0);
	assert_null(luoc_image_map(img, 0x5000, 0x51));
	luoc_image_close(img);
}

static void make_be(void)
{
	struct luoc_image_writer *w = luoc_image_writer_new(true, EM_PPC64);
	struct luoc_image_note n = note(0x123456789000ULL, 65536, "v6.19");
	unsigned char bytes[32];

	n.kho_root_size = 0x20000;
	fill(bytes, sizeof(bytes), 9);
	luoc_image_writer_set_note(w, &n);
	assert_int_equal(luoc_image_writer_add(w, 0x123456789000ULL, bytes, sizeof(bytes)), 0);
	write_ok(w, "be.img");
}

static void test_big_endian(void **state)
{
	unsigned char bytes[32], *raw;
	struct luoc_image *img;
	size_t len;

	(void)state;
	fill(bytes, sizeof(bytes), 9);
	raw = slurp("be.img", &len);
	assert_int_equal(raw[EI_DATA], ELFDATA2MSB);
	free(raw);
	img = open_ok("be.img");
	assert_true(luoc_image_info(img)->big_endian);
	assert_int_equal(luoc_image_info(img)->machine, EM_PPC64);
	assert_int_equal(luoc_image_info(img)->kho_root, 0x123456789000ULL);
	assert_int_equal(luoc_image_info(img)->kho_root_size, 0x20000);
	assert_int_equal(luoc_image_info(img)->page_size, 65536);
	assert_string_equal(luoc_image_info(img)->profile, "v6.19");
	assert_memory_equal(luoc_image_map(img, 0x123456789000ULL, 32), bytes, 32);
	luoc_image_close(img);
}

/* The note descriptor is in the ELF's byte order at the spec's offsets. */
static void test_note_bytes(void **state)
{
	Elf64_Phdr ph = phdr_of("be.img", 0);
	uint64_t off = be64toh(ph.p_offset);
	unsigned char *raw;
	const unsigned char *d;
	size_t len;

	(void)state;
	raw = slurp("be.img", &len);
	assert_int_equal(be32toh(ph.p_type), PT_NOTE);
	d = raw + off + 12 + 4;		/* Nhdr, "LUO\0" */
	assert_memory_equal(raw + off + 12, "LUO", 4);
	assert_int_equal(d[LUOC_LUO_STATE_IMAGE_LUO_IMAGE_NOTE_KHO_ROOT_OFF + 7], 0x00);
	assert_int_equal(d[LUOC_LUO_STATE_IMAGE_LUO_IMAGE_NOTE_KHO_ROOT_OFF + 6], 0x90);
	assert_int_equal(d[LUOC_LUO_STATE_IMAGE_LUO_IMAGE_NOTE_KHO_ROOT_OFF + 2], 0x12);
	assert_int_equal(d[LUOC_LUO_STATE_IMAGE_LUO_IMAGE_NOTE_PAGE_SIZE_OFF + 1], 0x01);
	assert_memory_equal(d + LUOC_LUO_STATE_IMAGE_LUO_IMAGE_NOTE_PROFILE_OFF, "v6.19\0\0", 7);
	free(raw);
}

static void test_raw_overlap(void **state)
{
	struct luoc_image_writer *w = luoc_image_writer_new(false, EM_X86_64);
	unsigned char x[64], y[64];
	struct luoc_image *img;
	uint64_t phys = 0;

	(void)state;
	memset(x, 0xaa, sizeof(x));
	memset(y, 0xbb, sizeof(y));
	assert_int_equal(luoc_image_writer_add_raw(w, 0x9000, x, sizeof(x)), 0);
	assert_int_equal(luoc_image_writer_add_raw(w, 0x9020, y, sizeof(y)), 0);
	assert_int_equal(luoc_image_writer_add(w, 0x20000, x, 8), 0);
	write_ok(w, "overlap.img");
	img = open_ok("overlap.img");
	assert_int_equal(luoc_image_info(img)->n_segments, 3);
	assert_int_equal(luoc_image_overlap(img, &phys), 1);
	assert_int_equal(phys, 0x9020);
	/* each serves its own bytes; a range crossing from one into the other is absent */
	assert_memory_equal(luoc_image_map(img, 0x9000, 0x40), x, 0x40);
	assert_memory_equal(luoc_image_map(img, 0x9040, 0x20), y + 0x20, 0x20);
	assert_null(luoc_image_map(img, 0x9000, 0x60));
	luoc_image_close(img);
}

static void test_raw_not_merged(void **state)
{
	struct luoc_image_writer *w = luoc_image_writer_new(false, EM_X86_64);
	static unsigned char pg[2][4096], sm[2][100];
	struct luoc_image *img;
	const unsigned char *p;
	uint64_t phys;

	(void)state;
	fill(pg[0], 4096, 4);
	fill(pg[1], 4096, 5);
	fill(sm[0], 100, 6);
	fill(sm[1], 100, 7);
	assert_int_equal(luoc_image_writer_add_raw(w, 0x10000, pg[0], 4096), 0);
	assert_int_equal(luoc_image_writer_add_raw(w, 0x11000, pg[1], 4096), 0);
	assert_int_equal(luoc_image_writer_add_raw(w, 0x20000, sm[0], 100), 0);
	assert_int_equal(luoc_image_writer_add_raw(w, 0x20064, sm[1], 100), 0);
	write_ok(w, "raw.img");
	img = open_ok("raw.img");
	assert_int_equal(luoc_image_info(img)->n_segments, 4);
	assert_int_equal(luoc_image_overlap(img, &phys), -1);
	/* adjacent in memory and in the file: one range may span both */
	p = luoc_image_map(img, 0x10ff0, 0x20);
	assert_non_null(p);
	assert_memory_equal(p, pg[0] + 4080, 16);
	assert_memory_equal(p + 16, pg[1], 16);
	/* adjacent in memory only: each maps, the span does not */
	assert_memory_equal(luoc_image_map(img, 0x20000, 100), sm[0], 100);
	assert_memory_equal(luoc_image_map(img, 0x20064, 100), sm[1], 100);
	assert_null(luoc_image_map(img, 0x20060, 8));
	luoc_image_close(img);
}

static void test_writer_rejects(void **state)
{
	struct luoc_image_writer *w = luoc_image_writer_new(false, EM_X86_64);
	unsigned char x[16] = { 0 };

	(void)state;
	assert_int_equal(luoc_image_writer_add(w, UINT64_MAX - 4, x, sizeof(x)), -EINVAL);
	assert_int_equal(luoc_image_writer_add_raw(w, UINT64_MAX - 4, x, sizeof(x)), -EINVAL);
	assert_int_equal(luoc_image_writer_add_zero(w, UINT64_MAX, 2), -EINVAL);
	assert_int_equal(luoc_image_writer_add(w, 0x1000, NULL, 8), -EINVAL);
	assert_int_equal(luoc_image_writer_write(w, "/nonexistent-dir/x.img", err, sizeof(err)),
			 -ENOENT);
	luoc_image_writer_free(w);
}

/* The top page of the address space: ends at 2^64 exactly. */
static void test_top_of_memory(void **state)
{
	struct luoc_image_writer *w = luoc_image_writer_new(false, EM_X86_64);
	unsigned char x[4096];
	struct luoc_image *img;

	(void)state;
	fill(x, sizeof(x), 8);
	assert_int_equal(luoc_image_writer_add(w, 0ULL - 4096, x, sizeof(x)), 0);
	write_ok(w, "top.img");
	img = open_ok("top.img");
	assert_memory_equal(luoc_image_map(img, 0ULL - 4096, 4096), x, 4096);
	assert_non_null(luoc_image_map(img, UINT64_MAX, 1));
	assert_null(luoc_image_map(img, UINT64_MAX, 2));
	luoc_image_close(img);
}

/* --- foreign cores built with libelf directly --- */
struct core_spec {
	int cls;
	uint16_t type;
	const unsigned char *notes;
	size_t notes_len;
	uint64_t load_phys, load_len, load_memsz;
	uint64_t load_off_bump;		/* moves the PT_LOAD past EOF */
};

/* A section holding len bytes at file offset off (ELF_F_LAYOUT). */
static void raw_section(Elf *e, void *buf, size_t len, uint64_t off)
{
	Elf_Scn *scn = elf_newscn(e);
	Elf_Data *d = elf_newdata(scn);
	GElf_Shdr sh;

	d->d_buf = buf;
	d->d_size = len;
	d->d_type = ELF_T_BYTE;
	d->d_align = 1;
	assert_non_null(gelf_getshdr(scn, &sh));
	sh.sh_type = SHT_PROGBITS;
	sh.sh_offset = off;
	sh.sh_size = len;
	sh.sh_addralign = 1;
	assert_true(gelf_update_shdr(scn, &sh));
}

static void core_ehdr(Elf *e, const struct core_spec *s, uint64_t phoff, uint64_t shoff)
{
	GElf_Ehdr eh;

	assert_non_null(gelf_newehdr(e, s->cls));
	assert_non_null(gelf_getehdr(e, &eh));
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_type = s->type;
	eh.e_machine = EM_X86_64;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = phoff;
	eh.e_shoff = shoff;
	assert_true(gelf_update_ehdr(e, &eh));
}

static void core_phdrs(Elf *e, const struct core_spec *s, uint64_t noff, uint64_t loff)
{
	GElf_Phdr ph;

	assert_non_null(gelf_newphdr(e, 2));
	memset(&ph, 0, sizeof(ph));
	ph.p_type = PT_NOTE;
	ph.p_offset = noff;
	ph.p_filesz = s->notes_len;
	assert_true(gelf_update_phdr(e, 0, &ph));
	ph.p_type = PT_LOAD;
	ph.p_offset = loff + s->load_off_bump;
	ph.p_paddr = s->load_phys;
	ph.p_filesz = s->load_len;
	ph.p_memsz = s->load_memsz;
	assert_true(gelf_update_phdr(e, 1, &ph));
}

/* A core (or not) of the given class and type: notes, then one PT_LOAD. */
static void make_core(const char *name, const struct core_spec *s)
{
	static unsigned char data[8192];
	int fd = open(path(name), O_RDWR | O_CREAT | O_TRUNC, 0644);
	size_t ehsz = s->cls == ELFCLASS64 ? 64 : 52, phsz = s->cls == ELFCLASS64 ? 56 : 32;
	uint64_t noff = ehsz + 2 * phsz, loff = 4096;
	Elf *e;

	assert_true(fd >= 0);
	assert_int_not_equal(elf_version(EV_CURRENT), EV_NONE);
	e = elf_begin(fd, ELF_C_WRITE, NULL);
	assert_non_null(e);
	elf_flagelf(e, ELF_C_SET, ELF_F_LAYOUT);
	core_ehdr(e, s, ehsz, loff + s->load_len + 64);
	core_phdrs(e, s, noff, loff);
	fill(data, sizeof(data), 11);
	raw_section(e, (void *)s->notes, s->notes_len, noff);
	raw_section(e, data, s->load_len, loff);
	assert_true(elf_update(e, ELF_C_WRITE) > 0);
	elf_end(e);
	close(fd);
}

/* Append one 4-byte-aligned note (header in host order = LE file). */
static size_t add_note(unsigned char *buf, size_t off, const char *owner, uint32_t type,
		       const void *desc, uint32_t descsz)
{
	Elf64_Nhdr nh = { .n_namesz = (uint32_t)strlen(owner) + 1, .n_descsz = descsz,
			  .n_type = type };

	memcpy(buf + off, &nh, sizeof(nh));
	off += sizeof(nh);
	memset(buf + off, 0, (nh.n_namesz + 3) & ~3u);
	memcpy(buf + off, owner, nh.n_namesz);
	off += (nh.n_namesz + 3) & ~3u;
	memset(buf + off, 0, (descsz + 3) & ~3u);
	if (desc)
		memcpy(buf + off, desc, descsz);
	return off + ((descsz + 3) & ~3u);
}

static size_t luo_desc(unsigned char *d, uint64_t root)
{
	memset(d, 0, 56);
	memcpy(d, &root, 8);			/* LE file on an LE host */
	d[8 + 1] = 0x10;			/* kho_root_size 4096 */
	d[16 + 1] = 0x10;			/* page_size 4096 */
	return 56;
}

static void test_qemu_style_notes(void **state)
{
	unsigned char notes[1024], desc[56], prstatus[336] = { 0 };
	struct core_spec s = { ELFCLASS64, ET_CORE, notes, 0, 0x7000, 4096, 8192, 0 };
	struct luoc_image *img;

	(void)state;
	s.notes_len = add_note(notes, 0, "CORE", NT_PRSTATUS, prstatus, sizeof(prstatus));
	s.notes_len = add_note(notes, s.notes_len, "QEMU", 0, prstatus, 0x1b8 - 0x100);
	s.notes_len = add_note(notes, s.notes_len, "LUO", LUOC_IMAGE_NOTE_TYPE, desc,
			       (uint32_t)luo_desc(desc, 0x7000));
	s.notes_len = add_note(notes, s.notes_len, "VMCOREINFO", 0, "OSRELEASE=7.0\n", 14);
	make_core("qemu.img", &s);
	img = open_ok("qemu.img");
	assert_true(luoc_image_info(img)->has_note);
	assert_int_equal(luoc_image_info(img)->kho_root, 0x7000);
	assert_int_equal(luoc_image_info(img)->page_size, 4096);
	/* p_memsz > p_filesz: only the file bytes are memory */
	assert_int_equal(luoc_image_info(img)->mem_bytes, 4096);
	assert_non_null(luoc_image_map(img, 0x7000, 4096));
	assert_null(luoc_image_map(img, 0x8000, 1));
	luoc_image_close(img);
}

static void test_other_notes_only(void **state)
{
	unsigned char notes[512], prstatus[336] = { 0 };
	struct core_spec s = { ELFCLASS64, ET_CORE, notes, 0, 0x7000, 4096, 4096, 0 };
	struct luoc_image *img;

	(void)state;
	s.notes_len = add_note(notes, 0, "CORE", NT_PRSTATUS, prstatus, sizeof(prstatus));
	/* right type, wrong owner: not the LUO note */
	s.notes_len = add_note(notes, s.notes_len, "LUOX", LUOC_IMAGE_NOTE_TYPE, prstatus, 56);
	make_core("nonote.img", &s);
	img = open_ok("nonote.img");
	assert_false(luoc_image_info(img)->has_note);
	assert_int_equal(luoc_image_info(img)->kho_root, 0);
	luoc_image_close(img);
}

static void test_two_luo_notes(void **state)
{
	unsigned char notes[512], desc[56];
	struct core_spec s = { ELFCLASS64, ET_CORE, notes, 0, 0x7000, 4096, 4096, 0 };

	(void)state;
	luo_desc(desc, 0x7000);
	s.notes_len = add_note(notes, 0, "LUO", LUOC_IMAGE_NOTE_TYPE, desc, 56);
	s.notes_len = add_note(notes, s.notes_len, "LUO", LUOC_IMAGE_NOTE_TYPE, desc, 56);
	make_core("twonotes.img", &s);
	open_bad("twonotes.img", "more than one LUO note");
}

static void test_short_luo_note(void **state)
{
	unsigned char notes[512], desc[56];
	struct core_spec s = { ELFCLASS64, ET_CORE, notes, 0, 0x7000, 4096, 4096, 0 };

	(void)state;
	luo_desc(desc, 0x7000);
	s.notes_len = add_note(notes, 0, "LUO", LUOC_IMAGE_NOTE_TYPE, desc, 20);
	make_core("shortnote.img", &s);
	open_bad("shortnote.img", "truncated");
}

static void test_elf32(void **state)
{
	unsigned char notes[64];
	struct core_spec s = { ELFCLASS32, ET_CORE, notes, 0, 0x7000, 4096, 4096, 0 };

	(void)state;
	s.notes_len = add_note(notes, 0, "CORE", 1, NULL, 0);
	make_core("elf32.img", &s);
	open_bad("elf32.img", "not ELF64");
}

static void test_et_exec(void **state)
{
	unsigned char notes[64];
	struct core_spec s = { ELFCLASS64, ET_EXEC, notes, 0, 0x7000, 4096, 4096, 0 };

	(void)state;
	s.notes_len = add_note(notes, 0, "CORE", 1, NULL, 0);
	make_core("exec.img", &s);
	open_bad("exec.img", "not ET_CORE");
}

static void test_segment_past_eof(void **state)
{
	Elf64_Phdr ph = phdr_of("basic.img", 2);
	size_t off = sizeof(Elf64_Ehdr) + 2 * sizeof(Elf64_Phdr) +
		     offsetof(Elf64_Phdr, p_filesz);
	uint64_t big = ph.p_filesz + 0x100000, huge = UINT64_MAX - 8;

	(void)state;
	patch("basic.img", "pasteof.img", off, &big, sizeof(big));
	open_bad("pasteof.img", "past the end of the file");
	patch("basic.img", "pasteof2.img", off, &huge, sizeof(huge));
	open_bad("pasteof2.img", "past the end of the file");
}

static void test_truncated_file(void **state)
{
	size_t len;
	unsigned char *b = slurp("basic.img", &len);
	Elf64_Phdr ph = phdr_of("basic.img", 2);

	(void)state;
	spit("trunc-data.img", b, ph.p_offset + 100);	/* cut inside the last segment */
	open_bad("trunc-data.img", "past the end of the file");
	spit("trunc-phdr.img", b, 64 + 20);		/* cut inside the program headers */
	open_bad("trunc-phdr.img", "program header table lies past the end");
	spit("trunc-ehdr.img", b, 30);			/* cut inside the ELF header */
	open_bad("trunc-ehdr.img", "not an ELF file");
	free(b);
}

static void test_note_segment_truncated(void **state)
{
	Elf64_Phdr ph = phdr_of("basic.img", 0);
	size_t off = sizeof(Elf64_Ehdr) + offsetof(Elf64_Phdr, p_filesz);
	uint64_t cut = 40;	/* header and name, half the descriptor */

	(void)state;
	assert_int_equal(ph.p_type, PT_NOTE);
	patch("basic.img", "notecut.img", off, &cut, sizeof(cut));
	open_bad("notecut.img", "truncated note");
	off = sizeof(Elf64_Ehdr) + offsetof(Elf64_Phdr, p_offset);
	cut = 1 << 20;
	patch("basic.img", "notefar.img", off, &cut, sizeof(cut));
	open_bad("notefar.img", "PT_NOTE segment 0 lies past the end of the file");
}

static void test_note_descsz_patched(void **state)
{
	Elf64_Phdr ph = phdr_of("basic.img", 0);
	uint32_t descsz = 24;

	(void)state;
	patch("basic.img", "descsz.img", ph.p_offset + 4, &descsz, sizeof(descsz));
	open_bad("descsz.img", "truncated");
}

static void test_not_elf(void **state)
{
	struct luoc_image *img;

	(void)state;
	spit("empty.img", "", 0);
	open_bad("empty.img", "empty file");
	spit("text.img", "hello, this is not an ELF file at all\n", 38);
	open_bad("text.img", "not an ELF file");
	assert_int_equal(luoc_image_open(path("missing.img"), &img, err, sizeof(err)), -ENOENT);
	assert_null(img);
	open_bad(".", "not a regular file");
}

/* Reading never changes the file. */
static void test_input_unchanged(void **state)
{
	size_t l1, l2;
	unsigned char *x = slurp("be.img", &l1), *y;
	struct luoc_image *img = open_ok("be.img");

	(void)state;
	assert_non_null(luoc_image_map(img, 0x123456789000ULL, 8));
	luoc_image_close(img);
	y = slurp("be.img", &l2);
	assert_int_equal(l1, l2);
	assert_memory_equal(x, y, l1);
	free(x);
	free(y);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_info),
		cmocka_unit_test(test_roundtrip_bytes),
		cmocka_unit_test(test_map_absent),
		cmocka_unit_test(test_map_overflow),
		cmocka_unit_test(test_segments_sorted),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_merge_later_wins),
		cmocka_unit_test(test_big_endian),
		cmocka_unit_test(test_note_bytes),
		cmocka_unit_test(test_raw_overlap),
		cmocka_unit_test(test_raw_not_merged),
		cmocka_unit_test(test_writer_rejects),
		cmocka_unit_test(test_top_of_memory),
		cmocka_unit_test(test_qemu_style_notes),
		cmocka_unit_test(test_other_notes_only),
		cmocka_unit_test(test_two_luo_notes),
		cmocka_unit_test(test_short_luo_note),
		cmocka_unit_test(test_elf32),
		cmocka_unit_test(test_et_exec),
		cmocka_unit_test(test_segment_past_eof),
		cmocka_unit_test(test_truncated_file),
		cmocka_unit_test(test_note_segment_truncated),
		cmocka_unit_test(test_note_descsz_patched),
		cmocka_unit_test(test_not_elf),
		cmocka_unit_test(test_input_unchanged),
	};

	return cmocka_run_group_tests_name("image", tests, setup, teardown);
}
