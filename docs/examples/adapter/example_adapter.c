// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * example_adapter.c - a complete, minimal luo-conform adapter.
 *
 * It connects luo-conform to a small "implementation under test": the
 * incoming side of the Linux v7.0 handover (profile "v7.0"), written here
 * in one file so the example is self-contained.  In a real adapter, the
 * part between the two "implementation" markers is your code (a library, a
 * hypervisor's loader, a kernel booted in a VM) and only the glue at the
 * bottom is new.
 *
 * The implementation reads the state the way an incoming kernel does:
 * KHO root FDT -> its memory map (for folio orders) -> sub-node "LUO" ->
 * LUO FDT -> session area -> file arrays -> memfd state -> kho_vmalloc
 * chunks -> folio arrays -> folios, and /luo-flb -> the FLB page.  It
 * refuses a state it cannot read, with the outcome a v7.0 kernel shows
 * for the first problem it meets, but it does not look for every defect a
 * kernel would notice: "luo-conform run --impl" lists what it misses.
 * Layouts and limits come from the suite's generated header, so nothing
 * here repeats a number of the specification.
 *
 * Build (installed suite):
 *   cc -shared -fPIC -o example-adapter.so example_adapter.c \
 *      $(pkg-config --cflags --libs luoconform) -lcrypto
 * Run:
 *   luo-conform run --impl ./example-adapter.so --profile v7.0
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>
#include <openssl/evp.h>

#include <luoc/adapter.h>
#include <luoc/luoc_abi_gen.h>
#include <luoc/luoc_image.h>

/* ===== implementation under test: a v7.0 incoming reader ================== */

#define SES(f)	LUOC_LUO_SESSION_V2_##f
#define MFD(f)	LUOC_MEMFD_V1_##f
#define FLB(f)	LUOC_LUO_FLB_V1_##f
#define KHO(f)	LUOC_KHO_V1_##f
#define VMA(f)	LUOC_KHO_VMALLOC_##f
#define MAX_BLOCKS 65536	/* memory-map entries we index; more is refused */

struct reader {
	const void *(*map)(void *ctx, uint64_t phys, uint64_t len);
	void *ctx;
	uint32_t ps;
	bool be;
	struct block { uint64_t phys; uint32_t order; } *blocks;	/* preserved */
	size_t n_blocks;
	struct luoc_restore_out *out;
	void **allocs;			/* everything handed out, for restore_free() */
	size_t n_allocs;
};

/* Stop reading: the state is refused with this outcome. */
static int refuse(struct reader *r, enum luoc_outcome o, const char *req, const char *msg)
{
	r->out->verdict = LUOC_VERDICT_REJECT;
	r->out->outcome = o;
	snprintf(r->out->req, sizeof(r->out->req), "%s", req);
	snprintf(r->out->message, sizeof(r->out->message), "%s", msg);
	return 1;
}

/* Zeroed memory, listed (NULL-terminated) so that restore_free() frees it. */
static void *zalloc(struct reader *r, size_t n)
{
	void **list = realloc(r->allocs, (r->n_allocs + 2) * sizeof(*list));
	void *p = calloc(1, n ? n : 1);

	if (list)
		r->allocs = list;
	if (!list || !p) {
		free(p);
		return NULL;
	}
	r->allocs[r->n_allocs + 1] = NULL;
	return r->allocs[r->n_allocs++] = p;
}

static void free_list(void **list)
{
	size_t i;

	for (i = 0; list && list[i]; i++)
		free(list[i]);
	free(list);
}

static uint64_t ld(struct reader *r, const uint8_t *p, unsigned int size)
{
	uint64_t v = 0;
	unsigned int i;

	/* u64/u32 in the writing CPU's byte order, whatever ours is */
	for (i = 0; i < size; i++)
		v |= (uint64_t)p[r->be ? size - 1 - i : i] << (8 * i);
	return v;
}

static const uint8_t *map(struct reader *r, uint64_t phys, uint64_t len)
{
	return len ? r->map(r->ctx, phys, len) : NULL;
}

/* A string field: NUL-terminated within its size, or NULL. */
static char *str(struct reader *r, const uint8_t *p, size_t size)
{
	char *s;

	if (!memchr(p, 0, size) || !(s = zalloc(r, size)))
		return NULL;
	memcpy(s, p, size);
	return s;
}

/* A u64 FDT property of exactly 8 bytes (4-byte aligned: read bytewise). */
static int prop64(struct reader *r, const void *fdt, int node, const char *name, uint64_t *v)
{
	int len;
	const uint8_t *p = fdt_getprop(fdt, node, name, &len);

	if (!p || len != 8)
		return -1;
	*v = ld(r, p, 8);
	return 0;
}

static bool compat_is(const void *fdt, int node, const char *want)
{
	int len;
	const char *p = fdt_getprop(fdt, node, "compatible", &len);

	return p && len == (int)strlen(want) + 1 && !memcmp(p, want, (size_t)len);
}

/* Map a whole FDT at phys of at most max bytes. */
static const void *map_fdt(struct reader *r, uint64_t phys, uint64_t max)
{
	const void *hdr = map(r, phys, sizeof(struct fdt_header));

	if (!hdr || fdt_magic(hdr) != FDT_MAGIC || fdt_totalsize(hdr) > max)
		return NULL;
	hdr = map(r, phys, fdt_totalsize(hdr));
	return hdr && fdt_check_header(hdr) == 0 ? hdr : NULL;
}

/* Bit 'bit' of a bitmap of unsigned longs (u64) in the writer's byte order. */
static bool bit_set(const struct reader *r, const uint8_t *bm, uint64_t bit)
{
	uint64_t byte = r->be ? (bit / 64) * 8 + 7 - (bit % 64) / 8 : bit / 8;

	return bm[byte] & (1u << (bit % 8));
}

/* kho-v1 memory map: remember every preserved block and its order. */
static int read_kmap(struct reader *r, uint64_t chunk)
{
	unsigned int hops = 0;

	while (chunk) {
		const uint8_t *c = map(r, chunk, r->ps);
		uint64_t i, n;
		uint32_t order;

		if (!c || ++hops > MAX_BLOCKS)
			return -1;
		order = (uint32_t)ld(r, c + KHO(KHOSER_MEM_CHUNK_HDR_ORDER_OFF), 4);
		n = ld(r, c + KHO(KHOSER_MEM_CHUNK_HDR_NUM_ELMS_OFF), 4);
		if (order > KHO(MAX_ORDER) || n > KHO(CHUNK_ENTRIES)(r->ps))
			return -1;
		for (i = 0; i < n; i++) {
			const uint8_t *e = c + KHO(KHOSER_MEM_CHUNK_BITMAPS_OFF) +
					   i * KHO(KHOSER_MEM_BITMAP_PTR_SIZE);
			uint64_t start = ld(r, e + KHO(KHOSER_MEM_BITMAP_PTR_PHYS_START_OFF), 8);
			const uint8_t *bm = map(r, ld(r, e + KHO(KHOSER_MEM_BITMAP_PTR_BITMAP_OFF), 8),
						r->ps);
			uint64_t bit;

			if (!bm)
				return -1;
			for (bit = 0; bit < KHO(BITMAP_BITS)(r->ps); bit++) {
				struct block *b;

				if (!bit_set(r, bm, bit))
					continue;
				if (r->n_blocks == MAX_BLOCKS)
					return -1;
				b = realloc(r->blocks, (r->n_blocks + 1) * sizeof(*b));
				if (!b)
					return -1;
				r->blocks = b;
				b[r->n_blocks].phys = start + (bit * r->ps << order);
				b[r->n_blocks++].order = order;
			}
		}
		chunk = ld(r, c + KHO(KHOSER_MEM_CHUNK_HDR_NEXT_OFF), 8);
	}
	return 0;
}

static int block_order(const struct reader *r, uint64_t phys, uint32_t *order)
{
	size_t i;

	for (i = 0; i < r->n_blocks; i++)
		if (r->blocks[i].phys == phys) {
			*order = r->blocks[i].order;
			return 0;
		}
	return -1;
}

/* The file's bytes [0, size) as the restored memfd reads them. */
static int digest(struct reader *r, struct luoc_st_memfd *m, const uint64_t *phys)
{
	static const uint8_t zero[65536];
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	uint64_t page, pages = (m->size + r->ps - 1) / r->ps;
	int ret = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) ? 0 : -1;

	for (page = 0; !ret && page < pages; page++) {
		uint64_t n = m->size - page * r->ps < r->ps ? m->size - page * r->ps : r->ps;
		const uint8_t *src = zero;
		uint32_t k;

		for (k = 0; k < m->n_folios; k++) {
			const struct luoc_st_folio *f = &m->folios[k];

			if (page >= f->index && page - f->index < (1ull << f->order))
				src = map(r, phys[k] + (page - f->index) * r->ps, r->ps);
		}
		if (!src || !EVP_DigestUpdate(md, src, n))
			ret = -1;
	}
	if (!ret && !EVP_DigestFinal_ex(md, m->sha256, NULL))
		ret = -1;
	EVP_MD_CTX_free(md);
	m->has_digest = !ret;
	return ret;
}

static int read_memfd(struct reader *r, uint64_t phys, struct luoc_st_memfd *m)
{
	const uint8_t *s = map(r, phys, MFD(MEMFD_LUO_SER_SIZE)), *v, *chunk;
	uint64_t first, per_page = r->ps / MFD(MEMFD_LUO_FOLIO_SER_SIZE), k = 0, *fphys;

	if (!s)
		return refuse(r, LUOC_OUT_RETRIEVE_ERROR, "LUO-MEMFD-003", "memfd state unreadable");
	m->pos = ld(r, s + MFD(MEMFD_LUO_SER_POS_OFF), 8);
	m->size = ld(r, s + MFD(MEMFD_LUO_SER_SIZE_OFF), 8);
	m->n_folios = (uint32_t)ld(r, s + MFD(MEMFD_LUO_SER_NR_FOLIOS_OFF), 8);
	v = s + MFD(MEMFD_LUO_SER_FOLIOS_OFF);
	first = ld(r, v + VMA(KHO_VMALLOC_FIRST_OFF), 8);
	if (m->size > LUOC_DIGEST_MAX || m->n_folios > m->size / r->ps + 1)
		return refuse(r, LUOC_OUT_RETRIEVE_ERROR, "LUO-MEMFD-004", "folio count too large");
	m->folios = zalloc(r, m->n_folios * sizeof(*m->folios));
	fphys = zalloc(r, m->n_folios * sizeof(*fphys));
	if (!m->folios || !fphys)
		return -ENOMEM;
	/* kho_vmalloc: a chain of chunks listing the folio-array pages */
	for (chunk = map(r, first, r->ps); k < m->n_folios; ) {
		uint64_t slot, e;

		for (slot = 0; chunk && slot < VMA(KHO_VMALLOC_CHUNK_ENTRIES)(r->ps) &&
			       k < m->n_folios; slot++) {
			const uint8_t *page = map(r, ld(r, chunk + VMA(KHO_VMALLOC_CHUNK_PHYS_OFF) +
							 8 * slot, 8), r->ps);

			for (e = 0; page && e < per_page && k < m->n_folios; e++, k++) {
				const uint8_t *f = page + e * MFD(MEMFD_LUO_FOLIO_SER_SIZE);
				uint64_t d = ld(r, f + MFD(MEMFD_LUO_FOLIO_SER_FOLIODESC_OFF), 8);
				uint64_t pfn = r->be ? d >> 12 :
					d & ((1ull << MFD(MEMFD_LUO_FOLIO_SER_FOLIODESC_PFN_WIDTH)) - 1);

				m->folios[k].flags = (uint32_t)(r->be ? d & 0xfff :
					d >> MFD(MEMFD_LUO_FOLIO_SER_FOLIODESC_FLAGS_LSB));
				m->folios[k].index = ld(r, f + MFD(MEMFD_LUO_FOLIO_SER_INDEX_OFF), 8);
				fphys[k] = pfn * r->ps;
				if (block_order(r, fphys[k], &m->folios[k].order))
					return refuse(r, LUOC_OUT_RETRIEVE_ERROR, "LUO-MEMFD-006",
						      "a folio is not a preserved block");
			}
			if (!page)
				chunk = NULL;
		}
		if (!chunk)
			return refuse(r, LUOC_OUT_RETRIEVE_ERROR, "LUO-MEMFD-005",
				      "folio array unreadable");
		chunk = map(r, ld(r, chunk + VMA(KHO_VMALLOC_CHUNK_NEXT_OFF), 8), r->ps);
	}
	return digest(r, m, fphys) ? -EIO : 0;
}

static int read_files(struct reader *r, struct luoc_st_session *s, uint64_t phys, uint64_t count)
{
	const uint8_t *a;
	uint32_t i;

	if (!count)
		return 0;
	a = map(r, phys, count * SES(LUO_FILE_SER_SIZE));
	if (count > SES(LUO_FILE_MAX)(r->ps) || !a)
		return refuse(r, LUOC_OUT_PANIC, "LUO-SESS-004", "file array unreadable");
	s->n_files = (uint32_t)count;
	s->files = zalloc(r, count * sizeof(*s->files));
	for (i = 0; s->files && i < count; i++) {
		const uint8_t *e = a + i * SES(LUO_FILE_SER_SIZE);
		struct luoc_st_file *f = &s->files[i];
		int ret;

		f->compatible = str(r, e + SES(LUO_FILE_SER_COMPATIBLE_OFF),
				    SES(LUO_FILE_SER_COMPATIBLE_SIZE));
		f->token = ld(r, e + SES(LUO_FILE_SER_TOKEN_OFF), 8);
		f->data = ld(r, e + SES(LUO_FILE_SER_DATA_OFF), 8);
		if (!f->compatible)
			return refuse(r, LUOC_OUT_EIO, "LUO-FILE-002", "handler string without NUL");
		/* v7.0 fails the open of /dev/liveupdate on a handler it lacks */
		if (strcmp(f->compatible, MFD(COMPATIBLE)))
			return refuse(r, LUOC_OUT_EIO, "LUO-FILE-004", "no handler for this file");
		f->is_memfd = true;
		ret = read_memfd(r, f->data, &f->memfd);
		if (ret)
			return ret;
	}
	return s->files ? 0 : -ENOMEM;
}

static int read_sessions(struct reader *r, const void *luo)
{
	int node = fdt_subnode_offset(luo, 0, "luo-session");
	uint64_t hdr, count, i;
	const uint8_t *a;
	struct luoc_state *st = &r->out->state;
	int ret;

	if (node < 0 || !compat_is(luo, node, SES(COMPATIBLE)) ||
	    prop64(r, luo, node, "luo-session-header", &hdr))
		return refuse(r, LUOC_OUT_PANIC, "LUO-SESS-002", "no luo-session-v2 node");
	a = map(r, hdr, SES(LUO_SESSION_HEADER_SER_SIZE));
	count = a ? ld(r, a + SES(LUO_SESSION_HEADER_SER_COUNT_OFF), 8) : 0;
	if (!a || count > SES(LUO_SESSION_MAX)(r->ps) ||
	    !(a = map(r, hdr, SES(LUO_SESSION_HEADER_SER_SIZE) + count * SES(LUO_SESSION_SER_SIZE))))
		return refuse(r, LUOC_OUT_PANIC, "LUO-SESS-004", "session area unreadable");
	st->n_sessions = (uint32_t)count;
	st->sessions = zalloc(r, count * sizeof(*st->sessions));
	for (i = 0; st->sessions && i < count; i++) {
		const uint8_t *e = a + SES(LUO_SESSION_HEADER_SER_SIZE) + i * SES(LUO_SESSION_SER_SIZE);

		st->sessions[i].name = str(r, e + SES(LUO_SESSION_SER_NAME_OFF),
					   SES(LUO_SESSION_SER_NAME_SIZE));
		if (!st->sessions[i].name)
			return refuse(r, LUOC_OUT_EIO, "LUO-SESS-005", "session name without NUL");
		ret = read_files(r, &st->sessions[i], ld(r, e + SES(LUO_SESSION_SER_FILES_OFF), 8),
				 ld(r, e + SES(LUO_SESSION_SER_COUNT_OFF), 8));
		if (ret)
			return ret;
	}
	return st->sessions ? 0 : -ENOMEM;
}

static int read_flbs(struct reader *r, const void *luo)
{
	int node = fdt_subnode_offset(luo, 0, "luo-flb");
	uint64_t hdr, count, i;
	const uint8_t *a;
	struct luoc_state *st = &r->out->state;

	if (node < 0 || !compat_is(luo, node, FLB(COMPATIBLE)) ||
	    prop64(r, luo, node, "luo-flb-header", &hdr))
		return refuse(r, LUOC_OUT_PANIC, "LUO-FLB-001", "no luo-flb-v1 node");
	a = map(r, hdr, FLB(LUO_FLB_HEADER_SER_SIZE));
	count = a ? ld(r, a + FLB(LUO_FLB_HEADER_SER_COUNT_OFF), 8) : 0;
	if (!a || count > FLB(LUO_FLB_MAX)(r->ps) ||
	    !(a = map(r, hdr, FLB(LUO_FLB_HEADER_SER_SIZE) + count * FLB(LUO_FLB_SER_SIZE))))
		return refuse(r, LUOC_OUT_PANIC, "LUO-FLB-003", "FLB page unreadable");
	st->n_flbs = (uint32_t)count;
	st->flbs = zalloc(r, count * sizeof(*st->flbs));
	for (i = 0; st->flbs && i < count; i++) {
		const uint8_t *e = a + FLB(LUO_FLB_HEADER_SER_SIZE) + i * FLB(LUO_FLB_SER_SIZE);

		st->flbs[i].name = str(r, e + FLB(LUO_FLB_SER_NAME_OFF), FLB(LUO_FLB_SER_NAME_SIZE));
		st->flbs[i].data = ld(r, e + FLB(LUO_FLB_SER_DATA_OFF), 8);
		st->flbs[i].count = ld(r, e + FLB(LUO_FLB_SER_COUNT_OFF), 8);
		if (!st->flbs[i].name)
			return refuse(r, LUOC_OUT_PANIC, "LUO-FLB-004", "FLB name without NUL");
	}
	return st->flbs ? 0 : -ENOMEM;
}

/* The whole walk: 0 accepted, 1 refused (r->out says how), <0 our own failure. */
static int read_state(struct reader *r, uint64_t kho_root, uint64_t kho_size)
{
	const void *kho = map_fdt(r, kho_root, kho_size), *luo;
	uint64_t kmap, luo_phys;
	int sub, ret;

	if (!kho || !compat_is(kho, 0, KHO(COMPATIBLE)))
		return refuse(r, LUOC_OUT_FRESH_START, "LUO-KHO-002", "no kho-v1 root FDT");
	if (prop64(r, kho, 0, "preserved-memory-map", &kmap) || read_kmap(r, kmap))
		return refuse(r, LUOC_OUT_FRESH_START, "LUO-KMAP-001", "memory map unreadable");
	sub = fdt_subnode_offset(kho, 0, "LUO");
	if (sub == -FDT_ERR_NOTFOUND)
		return 0;	/* nothing handed over: an empty state */
	if (sub < 0 || prop64(r, kho, sub, "fdt", &luo_phys) ||
	    !(luo = map_fdt(r, luo_phys, r->ps)) || !compat_is(luo, 0, "luo-v1"))
		return refuse(r, LUOC_OUT_PANIC, "LUO-FDT-002", "no luo-v1 FDT");
	if (prop64(r, luo, 0, "liveupdate-number", &r->out->state.liveupdate_number))
		return refuse(r, LUOC_OUT_PANIC, "LUO-FDT-003", "no liveupdate-number");
	ret = read_sessions(r, luo);
	return ret ? ret : read_flbs(r, luo);
}

/* ===== end of the implementation under test ================================ */

/* ===== the adapter: luo-conform's interface (luoc/adapter.h) =============== */

static const char *const profiles[] = { "v7.0", NULL };

static int restore(const char *profile, const struct luoc_restore_in *in,
		   struct luoc_restore_out *out)
{
	struct reader r = { .map = in->map, .ctx = in->map_ctx, .ps = in->page_size,
			    .be = in->big_endian, .out = out };
	uint64_t root = in->kho_root, root_size = in->kho_root_size;
	struct luoc_image *img = NULL;
	int ret;

	if (strcmp(profile, "v7.0"))
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	if (in->image_path) {
		/* The usual case: a state image; the library serves map(). */
		const struct luoc_image_info *info;
		char err[128];

		ret = luoc_image_open(in->image_path, &img, err, sizeof(err));
		if (ret)
			return ret;
		info = luoc_image_info(img);
		r.map = luoc_image_map;
		r.ctx = img;
		r.ps = info->page_size;
		r.be = info->big_endian;
		root = info->kho_root;
		root_size = info->kho_root_size;
	}
	if (!r.ps)
		r.ps = 4096;
	ret = read_state(&r, root, root_size ? root_size : r.ps);
	free(r.blocks);
	if (img)
		luoc_image_close(img);
	if (ret < 0) {
		/* the adapter failed, which is no verdict: give nothing back */
		free_list(r.allocs);
		memset(out, 0, sizeof(*out));
		return ret;
	}
	if (ret == 0) {
		out->verdict = LUOC_VERDICT_ACCEPT;
		out->outcome = LUOC_OUT_ACCEPT;
	}
	out->priv = r.allocs;	/* the decoded state lives there */
	return 0;
}

static void restore_free(struct luoc_restore_out *out)
{
	free_list(out->priv);
	memset(out, 0, sizeof(*out));
}

static const struct luoc_adapter adapter = {
	.abi = LUOC_ADAPTER_ABI,
	.size = sizeof(adapter),
	.name = "example-v7.0-reader",
	.version = "1.0",
	.profiles = profiles,
	.restore = restore,
	.restore_free = restore_free,
	.preserve = NULL,	/* no outgoing side: the producer tests are skipped */
};

const struct luoc_adapter *luoc_adapter_get(void)
{
	return &adapter;
}
