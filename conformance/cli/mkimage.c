// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * luo-mkimage - build a LUO state image (ELF64 core) from pieces of
 * physical memory and a LUO note.  The test-vector builder drives it; it
 * deliberately validates little, so malformed images can be made too.
 */
#include <elf.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"
#include "luoc_image.h"

#ifndef LUOC_VERSION
#define LUOC_VERSION "unknown"
#endif

struct mk_opts {
	const char *out;
	struct luoc_image_note note;
	bool have_root, have_page_size, no_note, big_endian, have_machine;
	uint16_t machine;
};

static const char usage_text[] =
"Usage: luo-mkimage -o OUT --kho-root ADDR --page-size N [OPTION]... PIECE...\n"
"Build a LUO state image: an ELF64 core file (ET_CORE) whose PT_LOAD\n"
"segments hold physical memory, plus a LUO note (owner \"LUO\", type\n"
"LUO_NT_STATE) naming the KHO root FDT.  Output is deterministic.\n"
"\n"
"Note:\n"
"  --kho-root ADDR        physical address of the KHO root FDT (required)\n"
"  --kho-root-size N      bytes reserved for it (default: the page size)\n"
"  --page-size N          PAGE_SIZE of the writing kernel (required)\n"
"  --profile P            profile name for the note (default: empty = detect)\n"
"  --note-flags N         the note's flags field (default 0; others are invalid)\n"
"  --no-note              write no LUO note (--kho-root/--page-size not needed)\n"
"ELF:\n"
"  --big-endian           ELFDATA2MSB (the note follows the ELF's byte order)\n"
"  --machine M            e_machine: x86_64, aarch64, ppc64 or none\n"
"                         (default x86_64, or ppc64 with --big-endian)\n"
"Pieces (any number, in order; later bytes win where merged pieces overlap):\n"
"  --seg PHYS=FILE        the bytes of FILE at physical address PHYS\n"
"  --zero PHYS=LEN        LEN zero bytes at PHYS (stored in the file)\n"
"  --raw-seg PHYS=FILE    FILE as a PT_LOAD of its own, never merged with\n"
"                         others (for overlapping or split segments)\n"
"  Adjacent or overlapping --seg/--zero pieces become one PT_LOAD.\n"
"Other:\n"
"  -o, --output OUT       image to write (atomically: temp file + rename)\n"
"  -h, --help             show this help\n"
"  -V, --version          show the version\n"
"\n"
"Numbers are decimal, 0x hex or 0 octal, with an optional K, M or G suffix.\n"
"Exit status: 0 on success, 2 on a usage or I/O error.\n";

enum { O_ROOT = 256, O_ROOT_SIZE, O_PAGE_SIZE, O_PROFILE, O_FLAGS, O_NO_NOTE,
       O_BE, O_MACHINE, O_SEG, O_ZERO, O_RAW };

static const struct option long_opts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "kho-root", required_argument, NULL, O_ROOT },
	{ "kho-root-size", required_argument, NULL, O_ROOT_SIZE },
	{ "page-size", required_argument, NULL, O_PAGE_SIZE },
	{ "profile", required_argument, NULL, O_PROFILE },
	{ "note-flags", required_argument, NULL, O_FLAGS },
	{ "no-note", no_argument, NULL, O_NO_NOTE },
	{ "big-endian", no_argument, NULL, O_BE },
	{ "machine", required_argument, NULL, O_MACHINE },
	{ "seg", required_argument, NULL, O_SEG },
	{ "zero", required_argument, NULL, O_ZERO },
	{ "raw-seg", required_argument, NULL, O_RAW },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static int fail(const char *fmt, const char *arg)
{
	fprintf(stderr, "luo-mkimage: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return LUOC_EXIT_USAGE;
}

static bool parse_machine(const char *s, uint16_t *m)
{
	static const struct { const char *name; uint16_t em; } tab[] = {
		{ "x86_64", EM_X86_64 }, { "aarch64", EM_AARCH64 },
		{ "ppc64", EM_PPC64 }, { "none", EM_NONE },
	};
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		if (!strcmp(s, tab[i].name)) {
			*m = tab[i].em;
			return true;
		}
	}
	return false;
}

static int set_u32(const char *arg, uint32_t *dst, const char *what)
{
	uint64_t v;

	if (!luoc_parse_u64(arg, &v) || v > UINT32_MAX)
		return fail(what, arg);
	*dst = (uint32_t)v;
	return 0;
}

/* Note and ELF options; pieces are handled in a second pass. */
static int note_opt(struct mk_opts *o, int c, const char *arg)
{
	switch (c) {
	case 'o': o->out = arg; return 0;
	case O_ROOT:
		o->have_root = true;
		return luoc_parse_u64(arg, &o->note.kho_root) ? 0 : fail("bad --kho-root '%s'", arg);
	case O_ROOT_SIZE:
		return luoc_parse_u64(arg, &o->note.kho_root_size) ? 0 :
			fail("bad --kho-root-size '%s'", arg);
	case O_PAGE_SIZE:
		o->have_page_size = true;
		return set_u32(arg, &o->note.page_size, "bad --page-size '%s'");
	case O_FLAGS: return set_u32(arg, &o->note.flags, "bad --note-flags '%s'");
	case O_PROFILE:
		if (strlen(arg) > sizeof(o->note.profile))
			return fail("--profile '%s' is longer than 32 bytes", arg);
		memcpy(o->note.profile, arg, strlen(arg));	/* NUL-padded: o is zeroed */
		return 0;
	case O_NO_NOTE: o->no_note = true; return 0;
	case O_BE: o->big_endian = true; return 0;
	case O_MACHINE:
		o->have_machine = true;
		return parse_machine(arg, &o->machine) ? 0 : fail("unknown --machine '%s'", arg);
	}
	return 0;
}

static int check_opts(struct mk_opts *o)
{
	if (!o->out)
		return fail("%s", "no output: give -o OUT");
	if (!o->no_note && !o->have_root)
		return fail("%s", "--kho-root is required (or --no-note)");
	if (!o->no_note && !o->have_page_size)
		return fail("%s", "--page-size is required (or --no-note)");
	if (!o->note.kho_root_size)
		o->note.kho_root_size = o->note.page_size;
	if (!o->have_machine)
		o->machine = o->big_endian ? EM_PPC64 : EM_X86_64;
	return 0;
}

static int add_file(struct luoc_image_writer *w, const char *arg, bool raw)
{
	unsigned char *buf;
	const char *path;
	uint64_t phys;
	size_t len;
	int ret;

	if (!luoc_parse_assign(arg, &phys, &path))
		return fail("bad piece '%s': expected PHYS=FILE", arg);
	ret = luoc_read_file(path, &buf, &len);
	if (ret) {
		fprintf(stderr, "luo-mkimage: %s: %s\n", path, strerror(-ret));
		return LUOC_EXIT_USAGE;
	}
	ret = raw ? luoc_image_writer_add_raw(w, phys, buf, len) :
		    luoc_image_writer_add(w, phys, buf, len);
	free(buf);
	return ret ? fail("cannot add piece '%s' (bad or wrapping range)", arg) : 0;
}

static int add_zero(struct luoc_image_writer *w, const char *arg)
{
	uint64_t phys, len;
	const char *rest;

	if (!luoc_parse_assign(arg, &phys, &rest) || !luoc_parse_u64(rest, &len))
		return fail("bad --zero '%s': expected PHYS=LEN", arg);
	if (luoc_image_writer_add_zero(w, phys, len))
		return fail("cannot add --zero '%s' (bad or wrapping range)", arg);
	return 0;
}

static int piece_opt(struct luoc_image_writer *w, int c, const char *arg)
{
	switch (c) {
	case O_SEG: return add_file(w, arg, false);
	case O_RAW: return add_file(w, arg, true);
	case O_ZERO: return add_zero(w, arg);
	}
	return 0;
}

/* Pass 1 (w NULL): options; pass 2: pieces, in command-line order. */
static int parse(int argc, char **argv, struct mk_opts *o, struct luoc_image_writer *w)
{
	int c, ret;

	optind = 1;
	opterr = w == NULL;
	while ((c = getopt_long(argc, argv, "o:hV", long_opts, NULL)) != -1) {
		if (c == '?')
			return LUOC_EXIT_USAGE;
		if (c == 'h' || c == 'V')
			continue;
		ret = w ? piece_opt(w, c, optarg) : note_opt(o, c, optarg);
		if (ret)
			return ret;
	}
	if (optind < argc)
		return fail("unexpected argument '%s'", argv[optind]);
	return 0;
}

/* --help/--version win over everything else, wherever they are. */
static int info_opt(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage_text, stdout);
			return 1;
		}
		if (!strcmp(argv[i], "-V") || !strcmp(argv[i], "--version")) {
			printf("luo-mkimage %s\n", LUOC_VERSION);
			return 1;
		}
	}
	return 0;
}

static int build(int argc, char **argv, struct mk_opts *o)
{
	struct luoc_image_writer *w = luoc_image_writer_new(o->big_endian, o->machine);
	char err[256] = "";
	int ret;

	if (!w)
		return fail("%s", "out of memory");
	if (!o->no_note)
		luoc_image_writer_set_note(w, &o->note);
	ret = parse(argc, argv, o, w);
	if (!ret && luoc_image_writer_write(w, o->out, err, sizeof(err)))
		ret = fail("%s", err[0] ? err : "cannot write the image");
	luoc_image_writer_free(w);
	return ret;
}

int main(int argc, char **argv)
{
	struct mk_opts o;
	int ret;

	memset(&o, 0, sizeof(o));
	if (info_opt(argc, argv))
		return LUOC_EXIT_OK;
	ret = parse(argc, argv, &o, NULL);
	if (!ret)
		ret = check_opts(&o);
	if (ret) {
		if (ret == LUOC_EXIT_USAGE)
			fprintf(stderr, "Try 'luo-mkimage --help'.\n");
		return ret;
	}
	return build(argc, argv, &o);
}
