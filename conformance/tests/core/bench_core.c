// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * bench_core.c - time luoc_check() on one memfd with many folios.
 *
 *   bench_core [PROFILE [NR_FOLIOS]]     (default: v7.1 4194304)
 *
 * The structures live in the builder's memory; the folio array is real
 * memory at 0x200000000; the folio data (order-0 pages from 0x1000000000)
 * is a read-only anonymous mapping of its full size that is never written:
 * map() serves any range of it, one page or a whole run of folios, as a
 * state image of the same memory would (the core asks for a run at once),
 * and costs no memory, since the checker only needs the bytes to be
 * present.  Prints folios/s and the folio-array bytes/s.  Not part of
 * "make check".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "tb.h"

#define ARR_BASE	0x200000000ULL
#define DATA_BASE	0x1000000000ULL

struct bench {
	struct tb *t;
	uint8_t *arr;
	uint64_t arr_size, nr;
	uint8_t *data;		/* nr pages, read-only, never touched for writing */
	uint64_t data_size;
};

static const void *bench_map(void *ctx, uint64_t phys, uint64_t len)
{
	struct bench *b = ctx;

	if (phys >= DATA_BASE && phys - DATA_BASE < b->data_size)
		return len <= b->data_size - (phys - DATA_BASE) ? b->data + (phys - DATA_BASE) : NULL;
	if (phys >= ARR_BASE && phys - ARR_BASE < b->arr_size && len <= b->arr_size - (phys - ARR_BASE))
		return b->arr + (phys - ARR_BASE);
	return tb_map(b->t, phys, len);
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);	/* little-endian host, little-endian state */
}

int main(int argc, char **argv)
{
	const char *profile = argc > 1 ? argv[1] : "v7.1";
	struct tb_opts o = { .profile = profile, .sessions = 1, .files = 1, .folios = 0,
			     .flbs = 1, .mem_pages = 8192 };
	struct bench b = { 0 };
	const struct luoc_memfd_desc *md;
	uint64_t per_chunk, pages, chunks, k, ps;
	struct luoc_config cfg;
	struct luoc_mem mem;
	struct luoc_result res;
	struct timespec t0, t1;
	double secs;
	void *ws;
	int rc;

	b.nr = argc > 2 ? strtoull(argv[2], NULL, 0) : 4194304;
	b.t = tb_build(&o);
	ps = b.t->ps;
	md = b.t->p->memfd;
	if (md->form != LUOC_MEMFD_STRUCT) {
		fprintf(stderr, "bench: profile %s has no memfd struct\n", profile);
		return 2;
	}
	per_chunk = (ps - b.t->p->vm_chunk_hdr_size) / 8;
	pages = (b.nr * md->folio_size + ps - 1) / ps;
	chunks = (pages + per_chunk - 1) / per_chunk;
	b.arr_size = (chunks + pages) * ps;
	b.arr = calloc(1, b.arr_size);
	b.data_size = b.nr * ps;
	b.data = mmap(NULL, b.data_size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (!b.arr || b.data == MAP_FAILED)
		return 2;
	for (k = 0; k < chunks; k++) {
		uint8_t *ch = b.arr + k * ps;
		uint64_t i;

		if (k + 1 < chunks)
			put64(ch, ARR_BASE + (k + 1) * ps);
		for (i = 0; i < per_chunk && k * per_chunk + i < pages; i++)
			put64(ch + 8 + i * 8, ARR_BASE + (chunks + k * per_chunk + i) * ps);
	}
	for (k = 0; k < b.nr; k++) {
		uint8_t *e = b.arr + chunks * ps + k * md->folio_size;
		uint64_t pfn = DATA_BASE / ps + k;

		put64(e + md->folio_desc.off, (pfn << md->folio_pfn.lsb) | (3ULL << md->folio_flags.lsb));
		put64(e + md->folio_index.off, k);
	}
	/* the file's memfd state describes that array */
	tb_stf(b.t, b.t->memfd[0][0], md->fsize, b.nr * ps);
	tb_stf(b.t, b.t->memfd[0][0], md->nr_folios, b.nr);
	tb_stf(b.t, tb_memfd_vm(b.t, 0, 0), b.t->p->vm_first, ARR_BASE);
	tb_stf(b.t, tb_memfd_vm(b.t, 0, 0), b.t->p->vm_total_pages, pages);
	tb_stf(b.t, tb_memfd_vm(b.t, 0, 0), b.t->p->vm_flags, 1);
	tb_preserve_range(b.t, ARR_BASE, 0, chunks + pages);
	tb_preserve_range(b.t, DATA_BASE, 0, b.nr);
	tb_finish(b.t);

	tb_config(b.t, &cfg, &mem);
	mem.map = bench_map;
	mem.ctx = &b;
	cfg.workspace_size = luoc_workspace_hint(b.t->size + b.arr_size + b.nr * ps);
	ws = malloc(cfg.workspace_size);
	cfg.workspace = ws;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = luoc_check(&cfg, &mem, NULL, &res);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%s: %llu folios in %.3f s: %.1f M folios/s, %.0f MB/s of folio array; "
	       "rc %d, %u errors, %u warnings, workspace %zu bytes\n",
	       profile, (unsigned long long)res.folios, secs, (double)res.folios / secs / 1e6,
	       (double)(b.nr * md->folio_size) / secs / 1e6, rc, res.errors, res.warnings,
	       cfg.workspace_size);
	free(ws);
	free(b.arr);
	munmap(b.data, b.data_size);
	tb_free(b.t);
	return rc || res.errors || res.folios != b.nr;
}
