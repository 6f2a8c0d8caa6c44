// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * gen.c - luo-bench-gen SHAPE OUT.img: parse the shape, lay the state out
 * and write the image (see gen.h).
 *
 * The image is written to a temporary file beside OUT and renamed over it,
 * so an interrupted run never leaves a half image in the cache.  Memory use
 * is bounded by the KHO map (a page per 32768 preserved blocks) and one
 * write buffer; the folio array streams out page by page.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gen.h"
#include "luoc/luoc.h"

static const char usage[] =
"Usage: luo-bench-gen SHAPE OUT.img\n"
"Write the LUO state image of SHAPE (PROFILE_sSESSIONS_fFILES_nFOLIOS_oORDER_xSTRIDE,\n"
"e.g. v7.1_s1_f1_n16777216_o0_x1) to OUT.img.\n";

static char *tmp_path;		/* removed when generation fails */

void gen_die(const char *fmt, ...)
{
	va_list ap;

	if (tmp_path)
		unlink(tmp_path);

	fputs("luo-bench-gen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* Bytes of physical memory at phys go to their place in the metadata segment. */
void gen_put(struct gen *g, uint64_t phys, const void *buf, size_t len)
{
	const uint8_t *b = buf;
	off_t off;

	if (phys < GEN_META_BASE || phys + len > g->meta_end)
		gen_die("internal: write outside the metadata at 0x%llx", (unsigned long long)phys);
	off = (off_t)(g->meta_off + (phys - GEN_META_BASE));
	while (len) {
		ssize_t n = pwrite(g->fd, b, len, off);

		if (n <= 0)
			gen_die("write: %s", n < 0 ? strerror(errno) : "short write");
		b += n;
		off += n;
		len -= (size_t)n;
	}
}

/* A value in the writing CPU's byte order (little-endian: x86-64, arm64). */
void gen_st(const struct gen *g, uint8_t *p, unsigned int size, uint64_t v)
{
	unsigned int i;

	(void)g;
	for (i = 0; i < size; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

void gen_stf(const struct gen *g, uint8_t *base, struct luoc_field f, uint64_t v)
{
	if (!f.size)
		gen_die("internal: store to a field profile %s lacks", g->p->name);
	gen_st(g, base + f.off, f.size, v);
}

void gen_preserve(struct gen *g, uint64_t phys, unsigned int order, uint64_t count,
		  uint64_t step)
{
	struct gen_pres *r;

	if (!count)
		return;
	if (g->npres == GEN_NPRES)
		gen_die("internal: too many preserved runs");
	r = &g->pres[g->npres++];
	r->phys = phys;
	r->order = order;
	r->count = count;
	r->step = step;
}

/* "v7.1_s819_f128_n1_o0_x1" */
static int parse_shape(const char *s, struct gen_shape *sh)
{
	const char *u = strchr(s, '_');
	char tail[8];
	int used = 0;

	if (!u || (size_t)(u - s) >= sizeof(sh->profile))
		return -1;
	memset(sh, 0, sizeof(*sh));
	memcpy(sh->profile, s, (size_t)(u - s));
	if (sscanf(u, "_s%lu_f%lu_n%lu_o%u_x%u%n%1s", &sh->sessions, &sh->files, &sh->folios,
		   &sh->order, &sh->stride, &used, tail) != 5 || u[used])
		return -1;
	return 0;
}

static void check_shape(struct gen *g)
{
	const struct luoc_profile *p;
	const struct gen_shape *sh = &g->sh;

	p = luoc_profile_find(sh->profile);
	if (!p)
		gen_die("unknown profile '%s'", sh->profile);
	if (!p->memfd || p->memfd->form != LUOC_MEMFD_STRUCT)
		gen_die("profile %s: only profiles with a memfd struct are generated", p->name);
	if (sh->sessions > luoc_area_max(&p->sess_area, g->ps) ||
	    sh->files > luoc_area_max(&p->file_area, g->ps))
		gen_die("at most %llu sessions of %llu files in profile %s",
			(unsigned long long)luoc_area_max(&p->sess_area, g->ps),
			(unsigned long long)luoc_area_max(&p->file_area, g->ps), p->name);
	if (sh->order > p->kmap_max_order || !sh->stride || sh->stride > 1024 ||
	    sh->folios > ((uint64_t)1 << 32) || (sh->folios && !sh->files))
		gen_die("shape out of range: order <= %u, stride 1..1024, folios <= 2^32",
			p->kmap_max_order);
	g->p = p;
}

/* OUT.info: the facts of the image the runner reports, one "key value" a line. */
static void write_info(const struct gen *g, const char *shape, const char *img,
		       uint64_t file_bytes)
{
	size_t n = strlen(img) + sizeof(".info");
	char *path = malloc(n);
	FILE *f;

	if (!path)
		gen_die("out of memory");
	snprintf(path, n, "%s.info", img);
	f = fopen(path, "w");
	if (!f)
		gen_die("cannot write %s: %s", path, strerror(errno));
	fprintf(f, "shape %s\nprofile %s\nsessions %llu\nfiles %llu\nfolios %llu\norder %u\nstride %u\n",
		shape, g->p->name, (unsigned long long)g->sh.sessions, (unsigned long long)g->sh.files,
		(unsigned long long)g->sh.folios, g->sh.order, g->sh.stride);
	fprintf(f, "file_bytes %llu\nmeta_bytes %llu\ndata_bytes %llu\ndata_segments %llu\n",
		(unsigned long long)file_bytes, (unsigned long long)(g->meta_end - GEN_META_BASE),
		(unsigned long long)(g->nfiles * g->sh.folios * g->folio_bytes),
		(unsigned long long)g->nseg_data);
	/* where things are, for tests that damage them (tests/bench) */
	fprintf(f, "meta_phys 0x%llx\nmeta_off %llu\nstates_phys 0x%llx\nvm_phys 0x%llx\n"
		"kmap_phys 0x%llx\nkmap_head 0x%llx\n",
		(unsigned long long)GEN_META_BASE, (unsigned long long)g->meta_off,
		(unsigned long long)g->states, (unsigned long long)g->vm,
		(unsigned long long)g->kmap, (unsigned long long)g->kmap_head);
	if (fclose(f))
		gen_die("cannot write %s: %s", path, strerror(errno));
	free(path);
}

int main(int argc, char **argv)
{
	uint64_t file_bytes;
	struct gen g;
	char *tmp;
	size_t n;

	if (argc != 3) {
		fputs(usage, stderr);
		return 2;
	}
	memset(&g, 0, sizeof(g));
	g.ps = 4096;
	g.pshift = 12;
	if (parse_shape(argv[1], &g.sh))
		gen_die("bad shape '%s'\n%s", argv[1], usage);
	check_shape(&g);
	n = strlen(argv[2]) + sizeof(".tmpXXXXXX");
	tmp = malloc(n);
	if (!tmp)
		gen_die("out of memory");
	snprintf(tmp, n, "%s.tmpXXXXXX", argv[2]);
	g.fd = mkstemp(tmp);
	if (g.fd < 0)
		gen_die("cannot create %s: %s", tmp, strerror(errno));
	tmp_path = tmp;
	gen_layout(&g);
	g.meta_off = gen_elf_meta_off(&g);
	gen_state(&g);
	gen_kmap(&g);
	gen_kho_root(&g);
	file_bytes = gen_elf(&g);
	write_info(&g, argv[1], argv[2], file_bytes);
	if (fchmod(g.fd, 0644) || close(g.fd) || rename(tmp, argv[2]))
		gen_die("cannot write %s: %s", argv[2], strerror(errno));
	tmp_path = NULL;
	free(tmp);
	return 0;
}
