// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * gen_state.c - what LUO and the memfd handler leave at kexec, laid out in
 * the metadata region and streamed into the image page by page.
 *
 * Each kind of structure has a region of its own (file arrays, memfd
 * states, folio arrays), filled in address order through one buffer, so
 * even 819 x 128 files or a 256 MiB folio array cost a few large writes.
 * Layouts come from the generated profile table, as in the checker.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>

#include "gen.h"
#include "luoc_abi_gen.h"

#define STREAM_BYTES	((size_t)1 << 20)
#define FOLIO_FLAGS	3ULL	/* dirty | uptodate: what v7.0+ writers store */

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static unsigned int log2u(uint64_t v)
{
	return (unsigned int)__builtin_ctzll(v);
}

static uint64_t div_up(uint64_t a, uint64_t b)
{
	return a / b + (a % b != 0);
}

void gen_layout(struct gen *g)
{
	const struct luoc_profile *p = g->p;
	const struct gen_shape *sh = &g->sh;
	uint64_t at = GEN_META_BASE, ps = g->ps, sess_bytes = p->sess_area.pages * ps;
	uint64_t fa_bytes = p->file_area.pages * ps, per_chunk;

	g->nfiles = sh->sessions * sh->files;
	g->folio_bytes = ps << sh->order;
	if (sh->folios) {
		per_chunk = (ps - p->vm_chunk_hdr_size) / 8;
		g->arr_pages = div_up(sh->folios * p->memfd->folio_size, ps);
		g->chunks = div_up(g->arr_pages, per_chunk);
	}
	if (sh->folios * sh->stride > ((uint64_t)1 << 46) / g->folio_bytes / (g->nfiles ? g->nfiles : 1))
		gen_die("the folio data would span more than 64 TiB");
	g->file_span = sh->folios * sh->stride * g->folio_bytes;
	g->data_span = g->nfiles * g->file_span;

	g->root = at;
	at += ps;
	g->luo = align_up(at, p->luo_fdt_pages * ps);
	at = g->luo + p->luo_fdt_pages * ps;
	if (p->flb_node) {
		g->flb = align_up(at, p->flb_area.pages * ps);
		at = g->flb + p->flb_area.pages * ps;
	}
	g->sess = align_up(at, sess_bytes);
	at = g->sess + sess_bytes;
	g->farr = align_up(at, fa_bytes);
	at = g->farr + (sh->files ? sh->sessions * fa_bytes : 0);
	g->states = at;
	at += g->nfiles * ps;
	g->vm = at;
	at += g->nfiles * (g->chunks + g->arr_pages) * ps;
	g->kmap = at;
	g->meta_end = at;
	if (g->meta_end + ((uint64_t)1 << 32) > GEN_DATA_BASE)
		gen_die("the metadata would reach the folio data");

	if (g->data_span) {
		g->alias = g->folio_bytes > ((uint64_t)2 << 20) ? g->folio_bytes : (uint64_t)2 << 20;
		while (div_up(g->data_span, g->alias) > GEN_MAX_SEGS)
			g->alias <<= 1;
		g->nseg_data = div_up(g->data_span, g->alias);
	}
}

/* --- streaming: consecutive pages from one address on -------------------- */

struct stream {
	struct gen *g;
	uint64_t phys;		/* address of buf[0] */
	uint8_t *buf;
	size_t len;
};

static void stream_begin(struct gen *g, struct stream *s, uint64_t phys)
{
	s->g = g;
	s->phys = phys;
	s->len = 0;
	s->buf = calloc(1, STREAM_BYTES);
	if (!s->buf)
		gen_die("out of memory");
}

static void stream_flush(struct stream *s)
{
	if (!s->len)
		return;
	gen_put(s->g, s->phys, s->buf, s->len);
	memset(s->buf, 0, s->len);
	s->phys += s->len;
	s->len = 0;
}

/* The next n pages, zeroed and contiguous. */
static uint8_t *stream_pages(struct stream *s, uint64_t n)
{
	uint8_t *pg;

	if (n * s->g->ps > STREAM_BYTES)
		gen_die("internal: %llu pages do not fit the stream buffer",
			(unsigned long long)n);
	if (s->len + n * s->g->ps > STREAM_BYTES)
		stream_flush(s);
	pg = s->buf + s->len;
	s->len += n * s->g->ps;
	return pg;
}

static uint8_t *stream_page(struct stream *s)
{
	return stream_pages(s, 1);
}

static void stream_end(struct stream *s)
{
	stream_flush(s);
	free(s->buf);
}

/* --- memfds ----------------------------------------------------------------- */

static uint64_t vm_base(const struct gen *g, uint64_t file)
{
	return g->vm + file * (g->chunks + g->arr_pages) * g->ps;
}

static uint64_t folio_phys(const struct gen *g, uint64_t file, uint64_t k)
{
	return GEN_DATA_BASE + file * g->file_span + k * g->sh.stride * g->folio_bytes;
}

static uint64_t mkbits(uint64_t v, struct luoc_bits b)
{
	return b.width >= 64 ? v << b.lsb : (v & ((1ULL << b.width) - 1)) << b.lsb;
}

/* One file's kho_vmalloc chunks, then its folio-array pages. */
static void folio_array(struct gen *g, struct stream *s, uint64_t file)
{
	const struct luoc_memfd_desc *md = g->p->memfd;
	uint64_t base = vm_base(g, file), per_chunk = (g->ps - g->p->vm_chunk_hdr_size) / 8;
	uint64_t per_page = g->ps / md->folio_size, c, k, i;

	for (c = 0; c < g->chunks; c++) {
		uint8_t *pg = stream_page(s);

		if (c + 1 < g->chunks)
			gen_st(g, pg + LUOC_KHO_VMALLOC_KHO_VMALLOC_CHUNK_NEXT_OFF, 8,
			       base + (c + 1) * g->ps);
		for (i = 0; i < per_chunk && c * per_chunk + i < g->arr_pages; i++)
			gen_st(g, pg + g->p->vm_chunk_hdr_size + i * 8, 8,
			       base + (g->chunks + c * per_chunk + i) * g->ps);
	}
	for (k = 0; k < g->sh.folios;) {
		uint8_t *pg = stream_page(s);

		for (i = 0; i < per_page && k < g->sh.folios; i++, k++) {
			uint8_t *e = pg + i * md->folio_size;
			uint64_t pfn = folio_phys(g, file, k) >> g->pshift;

			gen_stf(g, e, md->folio_desc,
				mkbits(pfn, md->folio_pfn) | mkbits(FOLIO_FLAGS, md->folio_flags));
			gen_stf(g, e, md->folio_index, k << g->sh.order);
		}
	}
}

static void memfd_state(struct gen *g, uint8_t *st, uint64_t file)
{
	const struct luoc_profile *p = g->p;
	const struct luoc_memfd_desc *md = p->memfd;
	uint8_t *vm = st + md->folios.off;

	gen_stf(g, st, md->pos, 0);
	gen_stf(g, st, md->fsize, g->sh.folios * g->folio_bytes);
	if (md->seals.size)
		gen_stf(g, st, md->seals, 0);
	if (md->flags.size)
		gen_stf(g, st, md->flags, 0);
	gen_stf(g, st, md->nr_folios, g->sh.folios);
	if (!g->sh.folios)
		return;
	gen_stf(g, vm, p->vm_first, vm_base(g, file));
	gen_stf(g, vm, p->vm_total_pages, g->arr_pages);
	gen_stf(g, vm, p->vm_flags, LUOC_KHO_VMALLOC_KHO_VMALLOC_ALLOC);
	gen_stf(g, vm, p->vm_order, 0);
}

static void memfds(struct gen *g)
{
	struct stream s;
	uint64_t f;

	stream_begin(g, &s, g->states);
	for (f = 0; f < g->nfiles; f++)
		memfd_state(g, stream_page(&s), f);
	stream_end(&s);
	if (!g->sh.folios)
		return;
	stream_begin(g, &s, g->vm);
	for (f = 0; f < g->nfiles; f++)
		folio_array(g, &s, f);
	stream_end(&s);
}

/* --- sessions, file arrays, FLB --------------------------------------------- */

static void put_name(uint8_t *base, struct luoc_field f, const char *name)
{
	strncpy((char *)base + f.off, name, f.size);
}

static void file_arrays(struct gen *g)
{
	const struct luoc_profile *p = g->p;
	struct stream s;
	uint64_t sn, f;

	if (!g->sh.files)
		return;
	stream_begin(g, &s, g->farr);
	for (sn = 0; sn < g->sh.sessions; sn++) {
		uint8_t *arr = stream_pages(&s, p->file_area.pages);

		for (f = 0; f < g->sh.files; f++) {
			uint8_t *e = arr + p->file_area.hdr_size + f * p->file_area.entry_size;

			put_name(e, p->file_compat, p->memfd->compat);
			gen_stf(g, e, p->file_data, g->states + (sn * g->sh.files + f) * g->ps);
			gen_stf(g, e, p->file_token, f + 1);
		}
	}
	stream_end(&s);
}

static void session_area(struct gen *g)
{
	const struct luoc_profile *p = g->p;
	const struct luoc_area *a = &p->sess_area;
	size_t bytes = (size_t)a->pages * g->ps;
	uint8_t *area = bytes ? calloc(1, bytes) : NULL;
	uint64_t sn;

	if (!area)
		gen_die("out of memory");
	if (a->hdr_pgcnt.size)
		gen_stf(g, area, a->hdr_pgcnt, a->pages);
	gen_stf(g, area, a->hdr_count, g->sh.sessions);
	for (sn = 0; sn < g->sh.sessions; sn++) {
		uint8_t *e = area + a->hdr_size + sn * a->entry_size;
		char name[48];

		snprintf(name, sizeof(name), "bench-session-%llu", (unsigned long long)sn);
		put_name(e, p->sess_name, name);
		gen_stf(g, e, p->sess_files,
			g->sh.files ? g->farr + sn * p->file_area.pages * g->ps : 0);
		gen_stf(g, e, p->sess_count, g->sh.files);
		if (p->sess_pgcnt.size)
			gen_stf(g, e, p->sess_pgcnt, g->sh.files ? p->file_area.pages : 0);
	}
	gen_put(g, g->sess, area, bytes);
	free(area);
}

static void flb_page(struct gen *g)
{
	const struct luoc_profile *p = g->p;
	const struct luoc_area *a = &p->flb_area;
	size_t bytes = (size_t)a->pages * g->ps;
	uint8_t *pg;

	if (!p->flb_node)
		return;
	pg = calloc(1, bytes);
	if (!pg)
		gen_die("out of memory");
	gen_stf(g, pg, a->hdr_pgcnt, a->pages);
	gen_stf(g, pg, a->hdr_count, 1);
	put_name(pg + a->hdr_size, p->flb_name, "liveupdate-bench-flb-v0");
	gen_stf(g, pg + a->hdr_size, p->flb_data, 0x5000);
	gen_stf(g, pg + a->hdr_size, p->flb_count, 1);
	gen_put(g, g->flb, pg, bytes);
	free(pg);
}

/* --- FDTs (libfdt sequential write) ------------------------------------------ */

static void fdt_ok(int rc, const char *what)
{
	if (rc)
		gen_die("libfdt: %s: %s", what, fdt_strerror(rc));
}

static void fdt_u64(const struct gen *g, void *fdt, const char *name, uint64_t v)
{
	uint8_t b[8];

	gen_st(g, b, 8, v);
	fdt_ok(fdt_property(fdt, name, b, 8), name);
}

static void fdt_child(const struct gen *g, void *fdt, const char *node, const char *compat,
		      const char *prop, uint64_t v)
{
	fdt_ok(fdt_begin_node(fdt, node), node);
	fdt_ok(fdt_property_string(fdt, "compatible", compat), node);
	fdt_u64(g, fdt, prop, v);
	fdt_ok(fdt_end_node(fdt), node);
}

static void luo_fdt(struct gen *g)
{
	const struct luoc_profile *p = g->p;
	size_t bytes = (size_t)p->luo_fdt_pages * g->ps;
	void *fdt = calloc(1, bytes);

	if (!fdt)
		gen_die("out of memory");
	fdt_ok(fdt_create(fdt, (int)bytes), "LUO FDT");
	fdt_ok(fdt_finish_reservemap(fdt), "LUO FDT");
	fdt_ok(fdt_begin_node(fdt, ""), "LUO FDT");
	fdt_ok(fdt_property_string(fdt, "compatible", p->luo_compat), "LUO FDT");
	fdt_u64(g, fdt, p->luo_num_prop, 1);
	fdt_child(g, fdt, p->sess_node, p->sess_compat, p->sess_hdr_prop, g->sess);
	if (p->flb_node)
		fdt_child(g, fdt, p->flb_node, p->flb_compat, p->flb_hdr_prop, g->flb);
	fdt_ok(fdt_end_node(fdt), "LUO FDT");
	fdt_ok(fdt_finish(fdt), "LUO FDT");
	g->luo_size = fdt_totalsize(fdt);
	gen_put(g, g->luo, fdt, bytes);
	free(fdt);
}

/* The root names the map, so it is written last (gen_kmap first). */
void gen_kho_root(struct gen *g)
{
	const struct luoc_profile *p = g->p;
	void *fdt = calloc(1, g->ps);

	if (!fdt)
		gen_die("out of memory");
	fdt_ok(fdt_create(fdt, (int)g->ps), "KHO root");
	fdt_ok(fdt_finish_reservemap(fdt), "KHO root");
	fdt_ok(fdt_begin_node(fdt, ""), "KHO root");
	fdt_ok(fdt_property_string(fdt, "compatible", p->kho_compat), "KHO root");
	fdt_u64(g, fdt, p->kho_map_prop, g->kmap_head);
	fdt_ok(fdt_begin_node(fdt, p->luo_entry), "KHO root");
	if (p->kho_sub_size_prop)
		fdt_u64(g, fdt, p->kho_sub_size_prop, g->luo_size);
	fdt_u64(g, fdt, p->kho_sub_addr_prop, g->luo);
	fdt_ok(fdt_end_node(fdt), "KHO root");
	fdt_ok(fdt_end_node(fdt), "KHO root");
	fdt_ok(fdt_finish(fdt), "KHO root");
	gen_put(g, g->root, fdt, g->ps);
	free(fdt);
}

void gen_state(struct gen *g)
{
	const struct luoc_profile *p = g->p;
	uint64_t ps = g->ps;

	memfds(g);
	file_arrays(g);
	session_area(g);
	flb_page(g);
	luo_fdt(g);
	/* what the outgoing kernel preserves; the KHO tracker pages it never does */
	gen_preserve(g, g->root, 0, 1, ps);
	gen_preserve(g, g->luo, log2u(p->luo_fdt_pages), 1, ps);
	if (p->flb_node)
		gen_preserve(g, g->flb, log2u(p->flb_area.pages), 1, ps);
	gen_preserve(g, g->sess, log2u(p->sess_area.pages), 1, ps);
	if (g->sh.files)
		gen_preserve(g, g->farr, log2u(p->file_area.pages), g->sh.sessions,
			     p->file_area.pages * ps);
	gen_preserve(g, g->states, 0, g->nfiles, ps);
	gen_preserve(g, g->vm, 0, g->nfiles * (g->chunks + g->arr_pages), ps);
	gen_preserve(g, GEN_DATA_BASE, g->sh.order, g->nfiles * g->sh.folios,
		     g->sh.stride * g->folio_bytes);
}
