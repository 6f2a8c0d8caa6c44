// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * tb.c - the test-only state builder (see tb.h).
 *
 * It writes what an outgoing kernel of each profile writes, from the
 * generated profile table, into a calloc'ed "physical memory".  It is
 * test code: it aborts on its own misuse instead of reporting.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>

#include "tb.h"
#include "luoc_abi_gen.h"

#define TB_PAGES	1024

static void die(const char *what)
{
	fprintf(stderr, "tb: %s\n", what);
	abort();
}

static unsigned int log2u(uint64_t v)
{
	return (unsigned int)__builtin_ctzll(v);
}

void *tb_ptr(struct tb *t, uint64_t phys)
{
	if (phys < TB_BASE || phys - TB_BASE >= t->size)
		die("address outside memory");
	return t->mem + (phys - TB_BASE);
}

uint64_t tb_alloc(struct tb *t, unsigned int order)
{
	uint64_t bytes = (uint64_t)t->ps << order;
	uint64_t at = (t->brk + bytes - 1) & ~(bytes - 1);

	if (at + bytes > TB_BASE + t->size)
		die("out of memory");
	t->brk = at + bytes;
	memset(tb_ptr(t, at), 0, bytes);
	return at;
}

void tb_preserve_range(struct tb *t, uint64_t phys, unsigned int order, uint64_t count)
{
	if (t->npres == TB_MAXPRES)
		die("preservation list full");
	t->pres[t->npres].phys = phys;
	t->pres[t->npres].order = order;
	t->pres[t->npres].count = count;
	t->npres++;
}

void tb_preserve(struct tb *t, uint64_t phys, unsigned int order)
{
	tb_preserve_range(t, phys, order, 1);
}

bool tb_unpreserve(struct tb *t, uint64_t phys)
{
	unsigned int i;

	for (i = 0; i < t->npres; i++) {
		if (t->pres[i].phys == phys && t->pres[i].count == 1) {
			t->pres[i] = t->pres[--t->npres];
			return true;
		}
	}
	return false;
}

uint64_t tb_native(const struct tb *t, uint64_t v)
{
	uint8_t b[8];
	uint64_t r;
	int i;

	for (i = 0; i < 8; i++)
		b[t->be ? 7 - i : i] = (uint8_t)(v >> (8 * i));
	memcpy(&r, b, 8);
	return r;
}

void tb_st(struct tb *t, uint64_t phys, uint64_t v, unsigned int size)
{
	uint8_t *b = tb_ptr(t, phys);
	unsigned int i;

	for (i = 0; i < size; i++)
		b[t->be ? size - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

uint64_t tb_ld(struct tb *t, uint64_t phys, unsigned int size)
{
	const uint8_t *b = tb_ptr(t, phys);
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < size; i++)
		v |= (uint64_t)b[t->be ? size - 1 - i : i] << (8 * i);
	return v;
}

void tb_stf(struct tb *t, uint64_t base, struct luoc_field f, uint64_t v)
{
	if (!f.size)
		die("store to a field the profile lacks");
	tb_st(t, base + f.off, v, f.size);
}

uint64_t tb_ldf(struct tb *t, uint64_t base, struct luoc_field f)
{
	return f.size ? tb_ld(t, base + f.off, f.size) : 0;
}

/* Entry i of a set laid out over blocks (luo-v5) or in one area. */
static uint64_t entry_at(struct tb *t, const struct luoc_area *a, const uint64_t *blk,
			 uint64_t first, unsigned int i)
{
	uint64_t per = luoc_area_max(a, t->ps);

	if (!a->hdr_next.size)
		return first + a->hdr_size + (uint64_t)i * a->entry_size;
	return blk[i / per] + a->hdr_size + (i % per) * a->entry_size;
}

uint64_t tb_session(struct tb *t, unsigned int s)
{
	return entry_at(t, &t->p->sess_area, t->sblk, t->sess_area, s);
}

uint64_t tb_file(struct tb *t, unsigned int s, unsigned int f)
{
	return entry_at(t, &t->p->file_area, t->fblk[s], t->file_arr[s], f);
}

uint64_t tb_folio_ent(struct tb *t, unsigned int s, unsigned int f, unsigned int k)
{
	/* the builder's folio arrays are order-0 pages listed in one chunk */
	uint64_t off = (uint64_t)k * t->p->memfd->folio_size;
	uint64_t chunk = t->vm_chunk[s][f];
	uint64_t page = tb_ld(t, chunk + t->p->vm_chunk_hdr_size + (off / t->ps) * 8, 8);

	return page + off % t->ps;
}

uint64_t tb_flb(struct tb *t, unsigned int i)
{
	return t->flb_page + t->p->flb_area.hdr_size + (uint64_t)i * t->p->flb_area.entry_size;
}

/* The struct kho_vmalloc of a memfd-struct state. */
uint64_t tb_memfd_vm(struct tb *t, unsigned int s, unsigned int f)
{
	return t->memfd[s][f] + t->p->memfd->folios.off;
}

static void put_name(struct tb *t, uint64_t at, struct luoc_field f, const char *name)
{
	strncpy(tb_ptr(t, at + f.off), name, f.size);
}

/* --- folios and their array --------------------------------------------- */

static void write_vmdesc(struct tb *t, uint8_t *raw, uint64_t first, uint32_t pages)
{
	const struct luoc_profile *p = t->p;
	uint64_t flags = first ? LUOC_KHO_VMALLOC_KHO_VMALLOC_ALLOC : 0;
	uint64_t vals[4] = { first, pages, flags, 0 };
	struct luoc_field fs[4] = { p->vm_first, p->vm_total_pages, p->vm_flags, p->vm_order };
	int i, b;

	memset(raw, 0, 16);
	for (i = 0; i < 4; i++)
		for (b = 0; b < fs[i].size; b++)
			raw[fs[i].off + (t->be ? fs[i].size - 1 - b : b)] = (uint8_t)(vals[i] >> (8 * b));
}

static uint64_t folio_desc(struct tb *t, uint64_t phys, uint64_t flags)
{
	const struct luoc_memfd_desc *md = t->p->memfd;
	uint64_t pfn = phys / t->ps;

	struct luoc_bits pb = t->be ? md->folio_pfn_be : md->folio_pfn;
	struct luoc_bits fb = t->be ? md->folio_flags_be : md->folio_flags;

	return (pfn << pb.lsb) | (flags << fb.lsb);
}

/* Folios, folio array, vmalloc chunk; returns total_pages. */
static uint32_t build_folios(struct tb *t, unsigned int s, unsigned int f)
{
	const struct luoc_memfd_desc *md = t->p->memfd;
	unsigned int n = t->o.folios, k, pages, i;
	uint64_t bytes = (uint64_t)n * md->folio_size;

	for (k = 0; k < n; k++) {
		uint64_t ph = tb_alloc(t, t->o.folio_order);

		memset(tb_ptr(t, ph), 0xa0 + k, (size_t)t->ps << t->o.folio_order);
		tb_preserve(t, ph, t->o.folio_order);
		t->folio[s][f][k] = ph;
	}
	t->file_size[s][f] = ((uint64_t)n << t->o.folio_order) * t->ps + t->o.file_size_extra;
	if (!n)
		return 0;
	pages = (unsigned int)((bytes + t->ps - 1) / t->ps);
	t->vm_chunk[s][f] = tb_alloc(t, 0);
	tb_preserve(t, t->vm_chunk[s][f], 0);
	for (i = 0; i < pages; i++) {
		uint64_t pg = tb_alloc(t, 0);

		if (i == 0)
			t->folio_arr[s][f] = pg;
		tb_preserve(t, pg, 0);
		tb_st(t, t->vm_chunk[s][f] + t->p->vm_chunk_hdr_size + (uint64_t)i * 8, pg, 8);
	}
	for (k = 0; k < n; k++) {
		uint64_t e = tb_folio_ent(t, s, f, k);

		tb_stf(t, e, md->folio_desc, folio_desc(t, t->folio[s][f][k], md->folio_flags_known));
		tb_stf(t, e, md->folio_index, (uint64_t)k << t->o.folio_order);
	}
	return pages;
}

static void memfd_struct(struct tb *t, unsigned int s, unsigned int f, uint32_t pages)
{
	const struct luoc_memfd_desc *md = t->p->memfd;
	uint64_t st = t->memfd[s][f];

	tb_stf(t, st, md->pos, 7);
	tb_stf(t, st, md->fsize, t->file_size[s][f]);
	if (md->seals.size)
		tb_stf(t, st, md->seals, LUOC_MEMFD_V2_F_SEAL_SEAL);
	if (md->flags.size)
		tb_stf(t, st, md->flags, 0);
	tb_stf(t, st, md->nr_folios, t->o.folios);
	write_vmdesc(t, tb_ptr(t, st + md->folios.off), pages ? t->vm_chunk[s][f] : 0, pages);
}

static void fdt_u64(struct tb *t, void *fdt, const char *name, uint64_t v)
{
	uint64_t n = tb_native(t, v);

	if (fdt_property(fdt, name, &n, 8))
		die("fdt_property");
}

static void memfd_fdt(struct tb *t, unsigned int s, unsigned int f, uint32_t pages)
{
	const struct luoc_memfd_desc *md = t->p->memfd;
	void *fdt = tb_ptr(t, t->memfd[s][f]);
	uint8_t raw[16];

	if (fdt_create(fdt, (int)t->ps) || fdt_finish_reservemap(fdt) || fdt_begin_node(fdt, ""))
		die("memfd fdt");
	fdt_u64(t, fdt, md->prop_pos, 7);
	fdt_u64(t, fdt, md->prop_size, t->file_size[s][f]);
	if (t->file_size[s][f]) {
		fdt_u64(t, fdt, md->prop_nr_folios, t->o.folios);
		write_vmdesc(t, raw, pages ? t->vm_chunk[s][f] : 0, pages);
		if (fdt_property(fdt, md->prop_folios, raw, t->p->vmalloc_size))
			die("fdt_property");
	}
	if (fdt_end_node(fdt) || fdt_finish(fdt))
		die("memfd fdt finish");
}

static void build_file(struct tb *t, unsigned int s, unsigned int f)
{
	const struct luoc_profile *p = t->p;
	uint32_t pages = build_folios(t, s, f);
	uint64_t e = tb_file(t, s, f);

	t->memfd[s][f] = tb_alloc(t, 0);
	tb_preserve(t, t->memfd[s][f], 0);
	if (p->memfd->form == LUOC_MEMFD_FDT)
		memfd_fdt(t, s, f, pages);
	else
		memfd_struct(t, s, f, pages);
	put_name(t, e, p->file_compat, p->memfd->compat);
	tb_stf(t, e, p->file_data, t->memfd[s][f]);
	tb_stf(t, e, p->file_token, 0x1000 + s * 16 + f);
}

/* --- sessions, FLB, LUO FDT --------------------------------------------- */

static void build_sessions(struct tb *t)
{
	const struct luoc_profile *p = t->p;
	const struct luoc_area *a = &p->sess_area;
	unsigned int s, f;

	for (s = 0; s < t->o.sessions; s++) {
		if (!t->o.files)
			continue;
		t->file_arr[s] = tb_alloc(t, log2u(p->file_area.pages));
		tb_preserve(t, t->file_arr[s], log2u(p->file_area.pages));
		for (f = 0; f < t->o.files; f++)
			build_file(t, s, f);
	}
	t->sess_area = tb_alloc(t, log2u(a->pages));
	tb_preserve(t, t->sess_area, log2u(a->pages));
	if (a->hdr_pgcnt.size)
		tb_stf(t, t->sess_area, a->hdr_pgcnt, a->pages);
	tb_stf(t, t->sess_area, a->hdr_count, t->o.sessions);
	for (s = 0; s < t->o.sessions; s++) {
		uint64_t e = tb_session(t, s);
		char name[32];

		snprintf(name, sizeof(name), "session-%u", s);
		put_name(t, e, p->sess_name, name);
		tb_stf(t, e, p->sess_files, t->file_arr[s]);
		tb_stf(t, e, p->sess_count, t->o.files);
		if (p->sess_pgcnt.size)
			tb_stf(t, e, p->sess_pgcnt, t->o.files ? p->file_area.pages : 0);
	}
}

static void build_flb(struct tb *t)
{
	const struct luoc_profile *p = t->p;
	const struct luoc_area *a = &p->flb_area;
	unsigned int i;

	if (!p->flb_node && p->luo_form != LUOC_LUO_RAW)
		return;
	t->flb_page = tb_alloc(t, log2u(a->pages));
	tb_preserve(t, t->flb_page, log2u(a->pages));
	tb_stf(t, t->flb_page, a->hdr_pgcnt, a->pages);
	tb_stf(t, t->flb_page, a->hdr_count, t->o.flbs);
	for (i = 0; i < t->o.flbs; i++) {
		char name[48];

		snprintf(name, sizeof(name), "liveupdate-test-flb-v%u", i);
		put_name(t, tb_flb(t, i), p->flb_name, name);
		tb_stf(t, tb_flb(t, i), p->flb_data, 0x5000 + i);
		tb_stf(t, tb_flb(t, i), p->flb_count, i);
	}
}

static void fdt_str(void *fdt, const char *name, const char *v)
{
	if (fdt_property(fdt, name, v, (int)strlen(v) + 1))
		die("fdt_property");
}

static void build_luo_fdt(struct tb *t)
{
	const struct luoc_profile *p = t->p;
	void *fdt;

	t->luo_fdt = tb_alloc(t, log2u(p->luo_fdt_pages));
	tb_preserve(t, t->luo_fdt, log2u(p->luo_fdt_pages));
	fdt = tb_ptr(t, t->luo_fdt);
	if (fdt_create(fdt, (int)(t->ps * p->luo_fdt_pages)) || fdt_finish_reservemap(fdt) ||
	    fdt_begin_node(fdt, ""))
		die("luo fdt");
	fdt_str(fdt, "compatible", p->luo_compat);
	fdt_u64(t, fdt, p->luo_num_prop, 1);
	if (fdt_begin_node(fdt, p->sess_node))
		die("luo fdt");
	fdt_str(fdt, "compatible", p->sess_compat);
	fdt_u64(t, fdt, p->sess_hdr_prop, t->sess_area);
	if (fdt_end_node(fdt))
		die("luo fdt");
	if (p->flb_node) {
		if (fdt_begin_node(fdt, p->flb_node))
			die("luo fdt");
		fdt_str(fdt, "compatible", p->flb_compat);
		fdt_u64(t, fdt, p->flb_hdr_prop, t->flb_page);
		if (fdt_end_node(fdt))
			die("luo fdt");
	}
	if (fdt_end_node(fdt) || fdt_finish(fdt))
		die("luo fdt finish");
}

/* luo-v5: n preserved blocks for 'entries' entries of area a, linked and counted. */
static unsigned int build_chain(struct tb *t, const struct luoc_area *a, unsigned int entries,
				uint64_t *blk, unsigned int maxblk)
{
	uint64_t per = luoc_area_max(a, t->ps);
	unsigned int n = (unsigned int)((entries + per - 1) / per), k;

	if (n > maxblk)
		die("too many blocks");
	for (k = 0; k < n; k++) {
		blk[k] = tb_alloc(t, 0);
		tb_preserve(t, blk[k], 0);
		if (k)
			tb_stf(t, blk[k - 1], a->hdr_next, blk[k]);
		tb_stf(t, blk[k], a->hdr_count, k + 1 < n ? per : entries - k * per);
	}
	return n;
}

/* luo-v5: struct luo_ser, the FLB page, the session chain and file chains. */
static void build_raw(struct tb *t)
{
	const struct luoc_profile *p = t->p;
	unsigned int s, f;

	t->luo_fdt = tb_alloc(t, 0);
	tb_preserve(t, t->luo_fdt, 0);
	build_flb(t);
	t->nsblk = build_chain(t, &p->sess_area, t->o.sessions, t->sblk, TB_MAXSB);
	t->sess_area = t->nsblk ? t->sblk[0] : 0;
	for (s = 0; s < t->o.sessions; s++) {
		uint64_t e = tb_session(t, s);
		char name[32];

		t->nfblk[s] = build_chain(t, &p->file_area, t->o.files, t->fblk[s], TB_MAXFB);
		t->file_arr[s] = t->nfblk[s] ? t->fblk[s][0] : 0;
		for (f = 0; f < t->o.files; f++)
			build_file(t, s, f);
		snprintf(name, sizeof(name), "session-%u", s);
		put_name(t, e, p->sess_name, name);
		tb_stf(t, e, p->sess_files, t->file_arr[s]);
		tb_stf(t, e, p->sess_count, t->o.files);
	}
	put_name(t, t->luo_fdt, p->ser_compat, p->luo_compat);
	tb_stf(t, t->luo_fdt, p->ser_num, 1);
	tb_stf(t, t->luo_fdt, p->ser_sessions, t->sess_area);
	tb_stf(t, t->luo_fdt, p->ser_flbs, t->flb_page);
}

struct tb *tb_build(const struct tb_opts *o)
{
	struct tb *t = calloc(1, sizeof(*t));

	if (!t)
		die("calloc");
	t->o = *o;
	t->p = luoc_profile_find(o->profile);
	if (!t->p)
		die("unknown profile");
	t->ps = o->page_size ? o->page_size : 4096;
	t->be = o->big_endian;
	if (o->sessions > TB_MAXS || o->files > TB_MAXF || o->folios > TB_MAXFO ||
	    o->flbs > TB_MAXFLB)
		die("options beyond the builder's limits");
	t->size = (uint64_t)(o->mem_pages ? o->mem_pages : TB_PAGES) * t->ps;
	t->mem = calloc(1, t->size);
	if (!t->mem)
		die("calloc");
	t->brk = TB_BASE;
	if (t->p->luo_form == LUOC_LUO_RAW) {
		build_raw(t);
		return t;
	}
	build_sessions(t);
	build_flb(t);
	build_luo_fdt(t);
	return t;
}

/* --- KHO map writers ------------------------------------------------------ */

static void set_bit(struct tb *t, uint64_t bmp, uint64_t bit)
{
	uint64_t w = bmp + (bit / 64) * 8;

	tb_st(t, w, tb_ld(t, w, 8) | (1ULL << (bit % 64)), 8);
}

/* kho-v1: per order, one page bitmap per covered region, in chunks. */
static uint64_t write_chunks(struct tb *t)
{
	const struct luoc_profile *p = t->p;
	uint64_t per = (t->ps - p->chunk_hdr_size) / p->chunk_entry_size;
	uint64_t head = 0, prev = 0, chunk = 0, n = 0;
	unsigned int o, i, j;

	for (o = 0; o <= p->kmap_max_order; o++) {
		uint64_t cov = ((uint64_t)t->ps * 8) << (log2u(t->ps) + o);
		static uint64_t starts[TB_MAXPRES], bmps[TB_MAXPRES];
		unsigned int nreg = 0;
		uint64_t b;

		for (i = 0; i < t->npres; i++) {
			if (t->pres[i].order != o)
				continue;
			for (b = 0, j = 0; b < t->pres[i].count; b++) {
				uint64_t phys = t->pres[i].phys + (b << (log2u(t->ps) + o));
				uint64_t start = phys & ~(cov - 1);

				if (j >= nreg || starts[j] != start)
					for (j = 0; j < nreg && starts[j] != start; j++)
						;
				if (j == nreg) {
					if (nreg == TB_MAXPRES)
						die("too many bitmaps");
					starts[nreg] = start;
					bmps[nreg++] = tb_alloc(t, 0);
				}
				set_bit(t, bmps[j], (phys - start) >> (log2u(t->ps) + o));
			}
		}
		chunk = 0;	/* every order starts its own chunk */
		for (j = 0; j < nreg; j++) {
			if (!chunk || n == per) {
				uint64_t c = tb_alloc(t, 0);

				if (prev)
					tb_stf(t, prev, p->chunk_next, c);
				else
					head = c;
				prev = chunk = c;
				n = 0;
				tb_stf(t, c, p->chunk_order, o);
			}
			tb_stf(t, chunk + p->chunk_hdr_size + n * p->chunk_entry_size,
			       p->bmp_phys_start, starts[j]);
			tb_stf(t, chunk + p->chunk_hdr_size + n * p->chunk_entry_size,
			       p->bmp_bitmap, bmps[j]);
			tb_stf(t, chunk, p->chunk_num_elms, ++n);
		}
	}
	return head;
}

/* radix: key = order bit | pa >> (PAGE_SHIFT + order), table levels above a leaf. */
static uint64_t write_radix(struct tb *t)
{
	const struct luoc_radix_geom *g = luoc_radix_geom(t->p, log2u(t->ps));
	unsigned int tl = g->table_log2, bl = g->bitmap_log2;
	unsigned int o0 = g->order0_log2, depth = g->depth;
	uint64_t root = tb_alloc(t, 0), mask = t->ps / 8 - 1, leaf = 0, leafkey = ~0ULL, b;
	unsigned int i, level;

	for (i = 0; i < t->npres; i++) {
		unsigned int o = t->pres[i].order;

		for (b = 0; b < t->pres[i].count; b++) {
			uint64_t phys = t->pres[i].phys + (b << (log2u(t->ps) + o));
			uint64_t key = (1ULL << (o0 - o)) | (phys >> (log2u(t->ps) + o));
			uint64_t node = root;

			if (key >> bl != leafkey) {
				for (level = depth - 1; level >= 1; level--) {
					uint64_t slot = node + ((key >> (bl + (level - 1) * tl)) & mask) * 8;
					uint64_t e = tb_ld(t, slot, 8);

					if (!e) {
						e = tb_alloc(t, 0);
						tb_st(t, slot, e, 8);
					}
					node = e;
				}
				leaf = node;
				leafkey = key >> bl;
			}
			set_bit(t, leaf, key & ((1ULL << bl) - 1));
		}
	}
	return root;
}

static void build_root(struct tb *t)
{
	const struct luoc_profile *p = t->p;
	void *fdt;

	t->kho_root = tb_alloc(t, 0);
	fdt = tb_ptr(t, t->kho_root);
	if (fdt_create(fdt, (int)t->ps) || fdt_finish_reservemap(fdt) || fdt_begin_node(fdt, ""))
		die("root fdt");
	fdt_str(fdt, "compatible", p->kho_compat);
	fdt_u64(t, fdt, p->kho_map_prop, t->kmap);
	if (fdt_begin_node(fdt, p->luo_entry))
		die("root fdt");
	if (p->kho_sub_size_prop)
		fdt_u64(t, fdt, p->kho_sub_size_prop, p->luo_form == LUOC_LUO_RAW ? p->ser_size :
			fdt_totalsize(tb_ptr(t, t->luo_fdt)));
	fdt_u64(t, fdt, p->kho_sub_addr_prop, t->luo_fdt);
	if (fdt_end_node(fdt) || fdt_end_node(fdt) || fdt_finish(fdt))
		die("root fdt finish");
}

void tb_finish(struct tb *t)
{
	if (t->p->kmap == LUOC_KMAP_BITMAP_CHUNKS)
		t->kmap = write_chunks(t);
	else
		t->kmap = write_radix(t);
	build_root(t);
	t->finished = true;
}

struct tb *tb_new(const struct tb_opts *o)
{
	struct tb *t = tb_build(o);

	tb_finish(t);
	return t;
}

void tb_free(struct tb *t)
{
	if (!t)
		return;
	free(t->mem);
	free(t);
}

/* --- FDT edits ---------------------------------------------------------- */

void *tb_fdt_edit(struct tb *t, uint64_t phys)
{
	void *fdt = tb_ptr(t, phys);

	if (fdt_open_into(fdt, fdt, (int)t->ps))
		die("fdt_open_into");
	return fdt;
}

void tb_fix_blob_size(struct tb *t)
{
	const struct luoc_profile *p = t->p;
	void *root;
	uint64_t v;
	int node;

	if (!p->kho_sub_size_prop || !t->finished || p->luo_form == LUOC_LUO_RAW)
		return;
	root = tb_ptr(t, t->kho_root);
	node = fdt_subnode_offset(root, 0, p->luo_entry);
	v = tb_native(t, fdt_totalsize(tb_ptr(t, t->luo_fdt)));
	if (node < 0 || fdt_setprop_inplace(root, node, p->kho_sub_size_prop, &v, 8))
		die("blob-size");
}

void tb_set_blob_size(struct tb *t, uint64_t v)
{
	void *root = tb_ptr(t, t->kho_root);
	int node = fdt_subnode_offset(root, 0, t->p->luo_entry);
	uint64_t n = tb_native(t, v);

	if (node < 0 || fdt_setprop_inplace(root, node, t->p->kho_sub_size_prop, &n, 8))
		die("blob-size");
}

void tb_fdt_done(struct tb *t, uint64_t phys)
{
	if (fdt_pack(tb_ptr(t, phys)))
		die("fdt_pack");
	if (phys == t->luo_fdt)
		tb_fix_blob_size(t);
}

int tb_fdt_setu64(struct tb *t, void *fdt, int node, const char *name, uint64_t v)
{
	uint64_t n = tb_native(t, v);

	return fdt_setprop(fdt, node, name, &n, 8);
}

/* --- the checker's view ----------------------------------------------------- */

const void *tb_map(void *ctx, uint64_t phys, uint64_t len)
{
	struct tb *t = ctx;

	if (phys < TB_BASE || phys - TB_BASE > t->size || len > t->size - (phys - TB_BASE))
		return NULL;
	return t->mem + (phys - TB_BASE);
}

void tb_config(struct tb *t, struct luoc_config *cfg, struct luoc_mem *mem)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->profile = t->p;
	cfg->kho_root = t->kho_root;
	cfg->kho_root_size = t->ps;
	cfg->page_size = t->ps;
	cfg->big_endian = t->be;
	mem->map = tb_map;
	mem->ctx = t;
}

/* Point folio entry k of (s, f) at phys: known flags, index unchanged. */
void tb_set_folio(struct tb *t, unsigned int s, unsigned int f, unsigned int k, uint64_t phys)
{
	const struct luoc_memfd_desc *md = t->p->memfd;

	tb_stf(t, tb_folio_ent(t, s, f, k), md->folio_desc,
	       folio_desc(t, phys, md->folio_flags_known));
	t->folio[s][f][k] = phys;
}
