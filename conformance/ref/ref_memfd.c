// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * ref_memfd.c - memfd handler data, written and read.
 *
 * A memfd hands over {pos, size[, seals, flags]} and a folio array: one
 * {foliodesc, index} entry per folio, kept in a preserved vmalloc area
 * described by struct kho_vmalloc (a chain of page-sized chunks listing
 * the area's pages).  The folios themselves are preserved as KHO blocks
 * whose order gives their size.  Profiles differ in the container (packed
 * struct, or a small FDT in series-v6) and in where foliodesc keeps the
 * PFN; both come from the profile's memfd description.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>
#include <openssl/evp.h>

#include "ref.h"

#define FOLIO_ORDER_MAX	10

/* --- writer ---------------------------------------------------------------- */

static uint8_t content_byte(const struct luoc_st_memfd *m, uint64_t off)
{
	switch (m->content) {
	case LUOC_CONTENT_PATTERN:
		return luoc_pattern_byte(m->pattern, off);
	case LUOC_CONTENT_BYTES:
		return off < m->n_bytes && m->bytes ? m->bytes[off] : 0;
	default:
		return 0;
	}
}

/* The folios to write: the state's, or one order-0 folio per page. */
static int folio_plan(struct ref_w *w, const struct luoc_st_memfd *m,
		      struct luoc_st_folio **out, uint64_t *n)
{
	uint64_t pages = (m->size + w->ps - 1) / w->ps, i, end = 0;
	struct luoc_st_folio *f;

	if (m->n_folios) {
		for (i = 0; i < m->n_folios; i++) {
			const struct luoc_st_folio *g = &m->folios[i];

			if (g->order > FOLIO_ORDER_MAX || (i && g->index < end) ||
			    g->index >= pages || (g->flags & ~3u))
				return ref_w_fail(w, -EINVAL,
						  "folio %llu (index %llu, order %u, flags %#x) does not fit the file",
						  (unsigned long long)i, (unsigned long long)g->index,
						  g->order, g->flags);
			end = g->index + (1ull << g->order);
		}
		*out = m->folios;
		*n = m->n_folios;
		return 0;
	}
	if (pages > (1u << 24))
		return ref_w_fail(w, -EFBIG, "memfd of %llu bytes is too large for the reference",
				  (unsigned long long)m->size);
	f = calloc(pages ? pages : 1, sizeof(*f));
	if (!f)
		return ref_w_fail(w, -ENOMEM, "out of memory");
	for (i = 0; i < pages; i++) {
		f[i].index = i;
		f[i].flags = LUOC_FOLIO_DIRTY | LUOC_FOLIO_UPTODATE;
	}
	*out = f;
	*n = pages;
	return 1;	/* caller frees */
}

/* Pin (place) and preserve each folio, filling it with the file's bytes. */
static int write_folios(struct ref_w *w, const struct luoc_st_memfd *m,
			const struct luoc_st_folio *f, uint64_t n, uint64_t *pfns)
{
	unsigned int shift = ref_log2(w->ps);
	uint64_t i, b;

	for (i = 0; i < n; i++) {
		uint64_t phys, start = f[i].index * w->ps, len = (uint64_t)w->ps << f[i].order;
		/* the defect: the last folio is left out of the KHO map */
		bool pres = !((w->defects & REF_DEF_FOLIO_UNPRES) && i == n - 1);
		uint8_t *buf = ref_w_alloc(w, REF_RG_USER, f[i].order, pres, &phys);

		if (!buf)
			return -ENOMEM;
		for (b = 0; b < len && start + b < m->size; b++)
			buf[b] = content_byte(m, start + b);
		pfns[i] = phys >> shift;
	}
	return 0;
}

/* The folio array in a vmalloc area, then the kho_vmalloc chunks for it. */
static int write_folio_array(struct ref_w *w, const struct luoc_st_folio *f,
			     uint64_t n, const uint64_t *pfns, uint8_t vm[16])
{
	const struct luoc_memfd_desc *d = w->p->memfd;
	const struct luoc_profile *p = w->p;
	uint64_t bytes = n * d->folio_size, pages = (bytes + w->ps - 1) / w->ps;
	uint64_t per_chunk = (w->ps - p->vm_chunk_hdr_size) / 8, i;
	uint64_t *page_phys, first = 0;
	uint8_t **page_buf, *chunk = NULL;
	int ret = 0;

	memset(vm, 0, 16);
	if (!n)
		return 0;
	page_phys = calloc(pages, sizeof(*page_phys));
	page_buf = calloc(pages, sizeof(*page_buf));
	if (!page_phys || !page_buf) {
		ret = ref_w_fail(w, -ENOMEM, "out of memory");
		goto out;
	}
	/* vcalloc: order-0 pages, each preserved on its own */
	for (i = 0; i < pages; i++) {
		page_buf[i] = ref_w_alloc(w, REF_RG_KERNEL, 0, true, &page_phys[i]);
		if (!page_buf[i]) {
			ret = -ENOMEM;
			goto out;
		}
	}
	for (i = 0; i < n; i++) {
		uint64_t off = i * d->folio_size;
		uint8_t *e = page_buf[off / w->ps] + off % w->ps;
		/* bit-field placement follows the writing CPU's byte order */
		uint64_t desc = ref_mkbits(pfns[i], w->be ? d->folio_pfn_be : d->folio_pfn) |
				ref_mkbits(f[i].flags, w->be ? d->folio_flags_be : d->folio_flags);

		ref_stf(e, d->folio_desc, desc, w->be);
		ref_stf(e, d->folio_index, f[i].index, w->be);
	}
	/* chunks: next pointer, then page addresses, zero-terminated */
	for (i = 0; i < pages; i++) {
		uint64_t slot = i % per_chunk;

		if (!slot) {
			uint64_t cphys;
			uint8_t *c = ref_w_alloc(w, REF_RG_KERNEL, 0, true, &cphys);

			if (!c) {
				ret = -ENOMEM;
				goto out;
			}
			if (chunk)
				ref_st(chunk, 8, cphys, w->be);
			else
				first = cphys;
			chunk = c;
		}
		ref_st(chunk + p->vm_chunk_hdr_size + slot * 8, 8, page_phys[i], w->be);
	}
	ref_stf(vm, p->vm_first, first, w->be);
	ref_stf(vm, p->vm_total_pages, pages, w->be);
	ref_stf(vm, p->vm_flags, LUOC_KHO_VMALLOC_KHO_VMALLOC_ALLOC, w->be);
	ref_stf(vm, p->vm_order, 0, w->be);
out:
	free(page_phys);
	free(page_buf);
	return ret;
}

static int write_fdt_form(struct ref_w *w, const struct luoc_st_memfd *m,
			  uint64_t nr, const uint8_t vm[16], uint64_t *data)
{
	const struct luoc_memfd_desc *d = w->p->memfd;
	uint8_t *buf = ref_w_alloc(w, REF_RG_KERNEL, 0, true, data);
	uint8_t v[8];
	int err = 0;

	if (!buf)
		return -ENOMEM;
	err |= fdt_create(buf, w->ps);
	err |= fdt_finish_reservemap(buf);
	err |= fdt_begin_node(buf, "");
	ref_st(v, 8, m->pos, w->be);
	err |= fdt_property(buf, d->prop_pos, v, 8);
	ref_st(v, 8, m->size, w->be);
	err |= fdt_property(buf, d->prop_size, v, 8);
	if (m->size) {
		ref_st(v, 8, nr, w->be);
		err |= fdt_property(buf, d->prop_nr_folios, v, 8);
		err |= fdt_property(buf, d->prop_folios, vm, 16);
	}
	err |= fdt_end_node(buf);
	err |= fdt_finish(buf);
	if (err)
		return ref_w_fail(w, -EINVAL, "memfd FDT: libfdt error");
	return 0;
}

int ref_memfd_write(struct ref_w *w, const struct luoc_st_memfd *m, uint64_t *data)
{
	const struct luoc_memfd_desc *d = w->p->memfd;
	struct luoc_st_folio *f = NULL;
	uint64_t n = 0, *pfns = NULL;
	uint8_t vm[16];
	int owned, ret;

	owned = folio_plan(w, m, &f, &n);
	if (owned < 0)
		return owned;
	pfns = calloc(n ? n : 1, sizeof(*pfns));
	if (!pfns) {
		ret = ref_w_fail(w, -ENOMEM, "out of memory");
		goto out;
	}
	ret = write_folios(w, m, f, n, pfns);
	if (!ret)
		ret = write_folio_array(w, f, n, pfns, vm);
	if (ret)
		goto out;
	if (d->form == LUOC_MEMFD_FDT) {
		ret = write_fdt_form(w, m, n, vm, data);
	} else {
		uint8_t *s = ref_w_alloc(w, REF_RG_KERNEL, 0, true, data);
		uint32_t seals = d->all_seals ? m->seals : 0;

		if (!s) {
			ret = -ENOMEM;
			goto out;
		}
		if (w->defects & REF_DEF_SEALS)
			seals |= 0x8000;
		ref_stf(s, d->pos, m->pos, w->be);
		ref_stf(s, d->fsize, m->size, w->be);
		if (d->seals.size)
			ref_stf(s, d->seals, seals, w->be);
		if (d->flags.size)
			ref_stf(s, d->flags, 0, w->be);
		ref_stf(s, d->nr_folios, n, w->be);
		memcpy(s + d->folios.off, vm, 16);
	}
out:
	if (owned == 1)
		free(f);
	free(pfns);
	return ret;
}

/* --- reader ---------------------------------------------------------------- */

#define FILE_REJ(r, req, ...)	ref_reject(r, req, REF_PH_FILE, __VA_ARGS__)

struct mfd_hdr {
	uint64_t pos, size, nr;
	uint32_t seals, flags;
	uint8_t vm[16];
};

static int read_fdt_form(struct ref_r *r, uint64_t data, struct mfd_hdr *h, const char *where)
{
	const struct luoc_memfd_desc *d = r->p->memfd;
	const void *fdt = ref_map(r, data, sizeof(struct fdt_header));
	const void *pv;
	int len;

	if (!fdt || fdt_check_header(fdt) || fdt_version(fdt) < 17 || fdt_totalsize(fdt) > r->ps)
		return FILE_REJ(r, "LUO-MEMFD-002", "%s: memfd FDT at %#llx is not a valid FDT",
				where, (unsigned long long)data);
	fdt = ref_map(r, data, fdt_totalsize(fdt));
	if (!fdt)
		return FILE_REJ(r, "LUO-IMG-003", "%s: memfd FDT is not in the image", where);
	pv = fdt_getprop(fdt, 0, d->prop_size, &len);
	if (!pv || len != 8)
		return FILE_REJ(r, "LUO-MEMFD-002", "%s: memfd FDT: '%s' missing or not 8 bytes",
				where, d->prop_size);
	h->size = ref_ld(pv, 8, r->be);
	pv = fdt_getprop(fdt, 0, d->prop_pos, &len);
	if (!pv || len != 8)
		return FILE_REJ(r, "LUO-MEMFD-002", "%s: memfd FDT: '%s' missing or not 8 bytes",
				where, d->prop_pos);
	h->pos = ref_ld(pv, 8, r->be);
	h->nr = 0;
	memset(h->vm, 0, 16);
	if (!h->size) {
		/* an empty file has no folio array at all (LUO-MEMFD-002) */
		if (fdt_getprop(fdt, 0, d->prop_nr_folios, &len) || fdt_getprop(fdt, 0, d->prop_folios, &len))
			return FILE_REJ(r, "LUO-MEMFD-002", "%s: memfd FDT: empty file with a folio array",
					where);
		return 0;
	}
	pv = fdt_getprop(fdt, 0, d->prop_nr_folios, &len);
	if (!pv || len != 8)
		return FILE_REJ(r, "LUO-MEMFD-002", "%s: memfd FDT: '%s' missing or not 8 bytes",
				where, d->prop_nr_folios);
	h->nr = ref_ld(pv, 8, r->be);
	pv = fdt_getprop(fdt, 0, d->prop_folios, &len);
	if (!pv || len != 16)
		return FILE_REJ(r, "LUO-MEMFD-002", "%s: memfd FDT: '%s' missing or not 16 bytes",
				where, d->prop_folios);
	memcpy(h->vm, pv, 16);
	return 0;
}

static int read_header(struct ref_r *r, uint64_t data, struct mfd_hdr *h, const char *where)
{
	const struct luoc_memfd_desc *d = r->p->memfd;
	uint64_t len = d->form == LUOC_MEMFD_FDT ? r->ps : d->size;
	const uint8_t *s;
	int ret;

	if (!data || data % r->ps)
		return FILE_REJ(r, "LUO-MEMFD-001", "%s: memfd data %#llx is not a page address",
				where, (unsigned long long)data);
	if (!ref_preserved(r, data, len))
		return FILE_REJ(r, "LUO-KMAP-002", "%s: memfd state at %#llx is not preserved",
				where, (unsigned long long)data);
	ret = ref_add_range(r, data, len, "memfd state");
	if (ret)
		return ret;
	if (d->form == LUOC_MEMFD_FDT)
		return read_fdt_form(r, data, h, where);
	s = ref_map(r, data, d->size);
	if (!s)
		return FILE_REJ(r, "LUO-MEMFD-001", "%s: memfd state at %#llx is not in the image",
				where, (unsigned long long)data);
	h->pos = ref_ldf(s, d->pos, r->be);
	h->size = ref_ldf(s, d->fsize, r->be);
	h->seals = d->seals.size ? (uint32_t)ref_ldf(s, d->seals, r->be) : 0;
	h->flags = d->flags.size ? (uint32_t)ref_ldf(s, d->flags, r->be) : 0;
	h->nr = ref_ldf(s, d->nr_folios, r->be);
	memcpy(h->vm, s + d->folios.off, 16);
	if (d->seals.size && (h->seals & ~d->all_seals))
		return FILE_REJ(r, "LUO-MEMFD-006", "%s: seals %#x outside %#x",
				where, h->seals, d->all_seals);
	if (d->flags.size && h->flags)
		return FILE_REJ(r, "LUO-MEMFD-006", "%s: memfd flags %#x, not 0", where, h->flags);
	return 0;
}

/* Walk the kho_vmalloc chunk chain: the pages of the folio array. */
static int read_vmalloc(struct ref_r *r, const struct mfd_hdr *h, uint64_t **pages_out,
			uint32_t *order_out, const char *where)
{
	const struct luoc_profile *p = r->p;
	uint64_t first = ref_ldf(h->vm, p->vm_first, r->be);
	uint64_t total = ref_ldf(h->vm, p->vm_total_pages, r->be);
	uint64_t flags = ref_ldf(h->vm, p->vm_flags, r->be);
	uint64_t order = ref_ldf(h->vm, p->vm_order, r->be);
	uint64_t per_chunk = (r->ps - p->vm_chunk_hdr_size) / 8, n = 0, chunks = 0, want;
	uint64_t chunk = first, *pages;
	static const uint8_t zero[16];

	*pages_out = NULL;
	if (!h->nr) {
		if (memcmp(h->vm, zero, 16))
			return FILE_REJ(r, "LUO-MEMFD-003", "%s: no folios but a folio-array descriptor",
					where);
		return 0;
	}
	if ((flags & ~(uint64_t)p->vm_flags_known) || order > p->kmap_max_order)
		return FILE_REJ(r, "LUO-MEMFD-003", "%s: folio array flags %#llx order %llu",
				where, (unsigned long long)flags, (unsigned long long)order);
	/* nr entries fill exactly total pages of PAGE_SIZE << order */
	want = r->ps << order;
	if (h->nr > UINT64_MAX / r->p->memfd->folio_size ||
	    total != (h->nr * r->p->memfd->folio_size + want - 1) / want)
		return FILE_REJ(r, "LUO-MEMFD-003", "%s: %llu folios in %llu pages",
				where, (unsigned long long)h->nr, (unsigned long long)total);
	pages = malloc(total * sizeof(*pages));
	if (!pages)
		return FILE_REJ(r, "", "out of memory");
	*pages_out = pages;
	*order_out = (uint32_t)order;
	while (n < total) {
		const uint8_t *c;
		uint64_t i;

		if (!chunk || chunk % r->ps || ++chunks > total / per_chunk + 1)
			return FILE_REJ(r, "LUO-MEMFD-003", "%s: folio array lists %llu of %llu pages",
					where, (unsigned long long)n, (unsigned long long)total);
		c = ref_map(r, chunk, r->ps);
		if (!c || !ref_preserved(r, chunk, r->ps))
			return FILE_REJ(r, c ? "LUO-KMAP-002" : "LUO-IMG-003",
					"%s: vmalloc chunk %#llx is %s", where,
					(unsigned long long)chunk, c ? "not preserved" : "not in the image");
		if (ref_add_range(r, chunk, r->ps, "vmalloc chunk"))
			return -1;
		for (i = 0; i < per_chunk && n < total; i++) {
			uint64_t pg = ref_ld(c + p->vm_chunk_hdr_size + i * 8, 8, r->be);

			if (!pg)
				break;
			if (pg % r->ps || !ref_map(r, pg, want) || !ref_preserved(r, pg, want))
				return FILE_REJ(r, "LUO-KMAP-002",
						"%s: folio-array page %#llx is not a preserved page in the image",
						where, (unsigned long long)pg);
			if (ref_add_range(r, pg, want, "folio array"))
				return -1;
			pages[n++] = pg;
		}
		chunk = ref_ld(c, 8, r->be);
	}
	if (chunk) {
		const uint8_t *c = ref_map(r, chunk, r->ps);

		if (!c || ref_ld(c + p->vm_chunk_hdr_size, 8, r->be))
			return FILE_REJ(r, "LUO-MEMFD-003", "%s: folio array lists more than %llu pages",
					where, (unsigned long long)total);
	}
	return 0;
}

static int hash_zeros(EVP_MD_CTX *md, uint64_t n)
{
	static const uint8_t zero[4096];

	while (n) {
		uint64_t k = n < sizeof(zero) ? n : sizeof(zero);

		if (!EVP_DigestUpdate(md, zero, k))
			return -1;
		n -= k;
	}
	return 0;
}

static int read_folios(struct ref_r *r, const struct mfd_hdr *h, const uint64_t *pages,
		       uint32_t vorder, struct luoc_st_memfd *m, const char *where)
{
	const struct luoc_memfd_desc *d = r->p->memfd;
	unsigned int shift = ref_log2(r->ps);
	uint64_t file_pages = h->size / r->ps + (h->size % r->ps != 0);
	uint64_t vpage = (uint64_t)r->ps << vorder, k, next_index = 0, prev_index = 0, hashed = 0;
	EVP_MD_CTX *md = NULL;
	int ret = 0;

	m->folios = luoc_st_alloc(r->arena, (h->nr ? h->nr : 1) * sizeof(*m->folios));
	if (!m->folios)
		return FILE_REJ(r, "", "out of memory");
	/*
	 * A digest costs time linear in the file size, holes included: each
	 * file up to LUOC_DIGEST_MAX, all files of a restore up to
	 * REF_HASH_BUDGET; past that the content is not hashed (has_digest
	 * false), which a comparison reports.
	 */
	m->has_digest = h->size <= LUOC_DIGEST_MAX && h->size <= r->hash_left;
	if (m->has_digest)
		r->hash_left -= h->size;
	if (m->has_digest) {
		md = EVP_MD_CTX_new();
		if (!md || !EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
			EVP_MD_CTX_free(md);
			return FILE_REJ(r, "", "SHA-256 unavailable");
		}
	}
	for (k = 0; k < h->nr; k++) {
		uint64_t off = k * d->folio_size;
		/* NOLINTNEXTLINE(clang-analyzer-core.NullDereference,clang-analyzer-core.UndefinedBinaryOperatorResult): pages holds every page of the h->nr entries (filled above) */
		const uint8_t *e = ref_map(r, pages[off / vpage] + off % vpage, d->folio_size);
		uint64_t desc, index, pfn, phys, len;
		uint32_t flags;
		const struct ref_block *b;

		if (!e) {
			ret = FILE_REJ(r, "LUO-IMG-003", "%s: folio entry %llu unreadable",
				       where, (unsigned long long)k);
			goto out;
		}
		desc = ref_ldf(e, d->folio_desc, r->be);
		index = ref_ldf(e, d->folio_index, r->be);
		pfn = ref_bits(desc, r->be ? d->folio_pfn_be : d->folio_pfn);
		flags = (uint32_t)ref_bits(desc, r->be ? d->folio_flags_be : d->folio_flags);
		if (k && index > prev_index && index < next_index) {
			ret = FILE_REJ(r, "LUO-MEMFD-005", "%s: folio %llu at index %llu overlaps the one before",
				       where, (unsigned long long)k, (unsigned long long)index);
			goto out;
		}
		if (!pfn || (flags & ~d->folio_flags_known) || (k && index <= prev_index) ||
		    index >= file_pages || pfn >> (64 - shift)) {
			ret = FILE_REJ(r, "LUO-MEMFD-004",
				       "%s: folio %llu: pfn %#llx flags %#x index %llu (file has %llu pages)",
				       where, (unsigned long long)k, (unsigned long long)pfn, flags,
				       (unsigned long long)index, (unsigned long long)file_pages);
			goto out;
		}
		phys = pfn << shift;
		b = ref_block_at(r, phys);
		if (!b) {
			ret = FILE_REJ(r, "LUO-KMAP-002", "%s: folio %llu at %#llx is not preserved",
				       where, (unsigned long long)k, (unsigned long long)phys);
			goto out;
		}
		len = b->end - b->phys;
		if (!ref_map(r, phys, len)) {
			ret = FILE_REJ(r, "LUO-IMG-003", "%s: folio %llu at %#llx is not in the image",
				       where, (unsigned long long)k, (unsigned long long)phys);
			goto out;
		}
		if (ref_add_range(r, phys, len, "folio")) {
			ret = -1;
			goto out;
		}
		m->folios[k].index = index;
		m->folios[k].order = b->order;
		m->folios[k].flags = flags;
		prev_index = index;
		next_index = index + (1ull << b->order);
		if (md) {
			uint64_t start = index * r->ps, n = len;

			if (start > h->size)
				start = h->size;
			if (start + n > h->size)
				n = h->size - start;
			if (hash_zeros(md, start - hashed) ||
			    !EVP_DigestUpdate(md, ref_map(r, phys, len), n)) {
				ret = FILE_REJ(r, "", "SHA-256 failed");
				goto out;
			}
			hashed = start + n;
		}
	}
	m->n_folios = (uint32_t)h->nr;
	if (md && (hash_zeros(md, h->size - hashed) || !EVP_DigestFinal_ex(md, m->sha256, NULL)))
		ret = FILE_REJ(r, "", "SHA-256 failed");
out:
	EVP_MD_CTX_free(md);
	return ret;
}

int ref_memfd_read(struct ref_r *r, uint64_t data, struct luoc_st_memfd *m, const char *where)
{
	struct mfd_hdr h = { 0 };
	uint64_t *pages = NULL;
	uint32_t vorder = 0;
	int ret;

	ret = read_header(r, data, &h, where);
	if (ret)
		return ret;
	if (h.nr > UINT32_MAX)
		return FILE_REJ(r, "LUO-MEMFD-003", "%s: %llu folios", where,
				(unsigned long long)h.nr);
	ret = read_vmalloc(r, &h, &pages, &vorder, where);
	if (!ret)
		ret = read_folios(r, &h, pages, vorder, m, where);
	free(pages);
	if (ret)
		return ret;
	m->pos = h.pos;
	m->size = h.size;
	m->seals = h.seals;
	m->flags = h.flags;
	return 0;
}
