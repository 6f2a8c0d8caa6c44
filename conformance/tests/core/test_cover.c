// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * test_cover.c - malformed FDT blocks the golden vectors and the other
 * suites do not reach (found by 'make coverage'): each hand-made KHO root
 * must be refused as LUO-KHO-001 (malformed) with the reason that names
 * its defect, and an FDT at an unaligned address must be read through a
 * workspace copy (or refused with LUOC_ENOSPC without one).  Then the
 * corners of the API and of the small helpers that no state reaches.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>

#include "tcore.h"
#include "luoc_int.h"

#define ROOT_PHYS	0x100000ULL
#define HDR		40
#define RSV		16

struct blob {
	uint8_t b[8192];
	uint32_t len;
};

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/*
 * A raw FDT: header, empty reservation map, the given structure words
 * (host values, written big-endian) and strings block.
 */
static void raw_fdt(struct blob *f, const uint32_t *words, unsigned int n, const char *strs,
		    uint32_t slen)
{
	uint32_t st = HDR + RSV, str = st + 4 * n;
	unsigned int i;

	memset(f, 0, sizeof(*f));
	f->len = str + slen;
	put32(f->b + 0, FDT_MAGIC);
	put32(f->b + 4, f->len);
	put32(f->b + 8, st);
	put32(f->b + 12, str);
	put32(f->b + 16, HDR);
	put32(f->b + 20, 17);
	put32(f->b + 24, 16);
	put32(f->b + 32, slen);
	put32(f->b + 36, 4 * n);
	for (i = 0; i < n; i++)
		put32(f->b + st + 4 * i, words[i]);
	memcpy(f->b + str, strs, slen);
}

/* A valid kho-v1 root with an empty map and no LUO sub-node. */
static void good_root(struct blob *f)
{
	uint64_t zero = 0;

	memset(f, 0, sizeof(*f));
	assert_int_equal(fdt_create(f->b, 4096), 0);
	assert_int_equal(fdt_finish_reservemap(f->b), 0);
	assert_int_equal(fdt_begin_node(f->b, ""), 0);
	assert_int_equal(fdt_property_string(f->b, "compatible", "kho-v1"), 0);
	assert_int_equal(fdt_property(f->b, "preserved-memory-map", &zero, 8), 0);
	assert_int_equal(fdt_end_node(f->b), 0);
	assert_int_equal(fdt_finish(f->b), 0);
	f->len = fdt_totalsize(f->b);
}

struct mem1 {
	const uint8_t *p;
	uint64_t len;
};

static const void *map1(void *ctx, uint64_t phys, uint64_t len)
{
	const struct mem1 *m = ctx;

	if (phys < ROOT_PHYS || phys - ROOT_PHYS > m->len || len > m->len - (phys - ROOT_PHYS))
		return NULL;
	return m->p + (phys - ROOT_PHYS);
}

struct seen {
	unsigned int n, kho001;
	int code;
	char msg[256];
};

static void on_finding(void *ctx, const struct luoc_finding *f)
{
	struct seen *s = ctx;

	s->n++;
	if (!strcmp(f->req, "LUO-KHO-001") && f->severity == LUOC_SEV_ERROR && !s->kho001++) {
		s->code = f->code;
		snprintf(s->msg, sizeof(s->msg), "%s", f->msg);
	}
}

/* Check the blob as the KHO root, 'skew' bytes past an 8-aligned address. */
static uint64_t root_size;	/* cfg.kho_root_size of run() (0: one page) */

static struct seen run(const struct blob *f, uint64_t avail, unsigned int skew, bool ws)
{
	static uint8_t space[8192 + 16] __attribute__((aligned(8)));
	static uint8_t work[1 << 16] __attribute__((aligned(8)));
	struct seen s = { 0 };
	struct mem1 m1 = { space + skew, avail };
	struct luoc_config cfg = { .kho_root = ROOT_PHYS, .page_size = 4096 };
	struct luoc_mem mem = { .map = map1, .ctx = &m1 };
	struct luoc_visitor vis = { .finding = on_finding, .ctx = &s };
	struct luoc_result res;

	cfg.kho_root_size = root_size;
	memset(space, 0, sizeof(space));
	memcpy(space + skew, f->b, avail);
	if (ws) {
		cfg.workspace = work;
		cfg.workspace_size = sizeof(work);
	}
	assert_int_equal(luoc_check(&cfg, &mem, &vis, &res), 0);
	/* the checker never writes to what it reads */
	assert_memory_equal(space + skew, f->b, avail);
	return s;
}

static void expect_bad(const struct blob *f, const char *why)
{
	struct seen s = run(f, f->len, 0, true);

	if (!s.kho001 || s.code != -LUOC_EFORMAT || !strstr(s.msg, why))
		fail_msg("expected LUO-KHO-001 'malformed FDT: ...%s...', got %u (code %d) '%s'",
			 why, s.kho001, s.code, s.msg);
}

#define W(...)	((const uint32_t[]){ __VA_ARGS__ })
#define NW(...)	(sizeof(W(__VA_ARGS__)) / 4)
#define RAW(f, strs, slen, ...)	raw_fdt(f, W(__VA_ARGS__), NW(__VA_ARGS__), strs, slen)

static void test_good_root_clean(void **state)
{
	struct blob f;
	struct seen s;

	(void)state;
	good_root(&f);
	s = run(&f, f.len, 0, true);
	assert_int_equal(s.kho001, 0);
	/* a hand-made root of the same shape is just as good */
	RAW(&f, "compatible\0preserved-memory-map", 32,
	    FDT_BEGIN_NODE, 0, FDT_PROP, 7, 0, 0x6b686f2d, 0x76310000,
	    FDT_PROP, 8, 11, 0, 0, FDT_END_NODE, FDT_END);
	s = run(&f, f.len, 0, true);
	assert_int_equal(s.kho001, 0);
}

static void test_rsvmap_past_total(void **state)
{
	struct blob f;

	(void)state;
	good_root(&f);
	/* libfdt checks the offset, not that a whole entry fits */
	put32(f.b + 16, f.len - 8);
	expect_bad(&f, "outside totalsize");
}

static void test_strings_before_struct(void **state)
{
	struct blob f, g;
	uint32_t st, str, s_st, s_str;

	(void)state;
	good_root(&f);
	st = fdt_off_dt_struct(f.b);
	str = fdt_off_dt_strings(f.b);
	s_st = fdt_size_dt_struct(f.b);
	s_str = fdt_size_dt_strings(f.b);
	/* header, reservation map, strings, structure: still a valid FDT */
	g = f;
	memcpy(g.b + st, f.b + str, s_str);
	memcpy(g.b + st + ((s_str + 3) & ~3u), f.b + st, s_st);
	put32(g.b + 12, st);
	put32(g.b + 8, st + ((s_str + 3) & ~3u));
	g.len = st + ((s_str + 3) & ~3u) + s_st;
	put32(g.b + 4, g.len);
	assert_int_equal(run(&g, g.len, 0, true).kho001, 0);
	/* and with the map unterminated up to the strings block, refused */
	memset(g.b + HDR, 0xff, 16);
	expect_bad(&g, "not terminated");
}

static void test_prop_truncated(void **state)
{
	struct blob f;

	(void)state;
	/* the structure block ends 4 bytes into a property header */
	RAW(&f, "compatible", 11, FDT_BEGIN_NODE, 0, FDT_PROP, 0, 0, FDT_END_NODE, FDT_END);
	put32(f.b + 36, 12);
	expect_bad(&f, "is truncated");
}

static void test_second_root(void **state)
{
	struct blob f;

	(void)state;
	RAW(&f, "", 1, FDT_BEGIN_NODE, 0, FDT_END_NODE, FDT_BEGIN_NODE, 0, FDT_END_NODE, FDT_END);
	expect_bad(&f, "second root node");
}

/* A root and depth - 1 nested nodes "a". */
static void nested(struct blob *f, unsigned int depth)
{
	uint32_t w[3 * 80 + 1];
	unsigned int i, n = 0;

	for (i = 0; i < depth; i++) {
		w[n++] = FDT_BEGIN_NODE;
		w[n++] = i ? 0x61000000 : 0;	/* "a" */
	}
	for (i = 0; i < depth; i++)
		w[n++] = FDT_END_NODE;
	w[n++] = FDT_END;
	raw_fdt(f, w, n, "", 1);
}

static void test_nested_too_deep(void **state)
{
	struct blob f;

	(void)state;
	/* libfdt's FDT_MAX_DEPTH: 64 levels are fine, 65 are not */
	nested(&f, 64);
	assert_int_equal(run(&f, f.len, 0, true).kho001, 0);
	nested(&f, 65);
	expect_bad(&f, "nested too deep");
	nested(&f, 80);
	expect_bad(&f, "nested too deep");
}

static void test_unbalanced_end(void **state)
{
	struct blob f;

	(void)state;
	RAW(&f, "", 1, FDT_BEGIN_NODE, 0, FDT_END_NODE, FDT_END_NODE, FDT_END);
	expect_bad(&f, "unbalanced FDT_END_NODE");
}

static void test_prop_outside_node(void **state)
{
	struct blob f;

	(void)state;
	RAW(&f, "compatible", 11, FDT_PROP, 0, 0, FDT_BEGIN_NODE, 0, FDT_END_NODE, FDT_END);
	expect_bad(&f, "property outside a node");
}

static void test_nop_accepted(void **state)
{
	struct blob f;
	struct seen s;

	(void)state;
	/* FDT_NOP is allowed anywhere: same root as test_good_root_clean */
	RAW(&f, "compatible\0preserved-memory-map", 32,
	    FDT_NOP, FDT_BEGIN_NODE, 0, FDT_NOP, FDT_PROP, 7, 0, 0x6b686f2d, 0x76310000,
	    FDT_PROP, 8, 11, 0, 0, FDT_NOP, FDT_END_NODE, FDT_NOP, FDT_END);
	s = run(&f, f.len, 0, true);
	assert_int_equal(s.kho001, 0);
}

static void test_fdt_cut_short(void **state)
{
	struct blob f;
	struct seen s;

	(void)state;
	/* the header is in the image, the rest of totalsize is not */
	good_root(&f);
	s = run(&f, HDR, 0, true);
	assert_int_equal(s.kho001, 0);	/* absent bytes are LUO-IMG-003, not a malformed FDT */
	assert_true(s.n > 0);
}

static void test_unaligned_fdt(void **state)
{
	struct blob f;
	struct seen s;
	unsigned int skew;

	(void)state;
	good_root(&f);
	for (skew = 1; skew < 8; skew++) {
		/* copied to the workspace: reads exactly like the aligned one */
		s = run(&f, f.len, skew, true);
		assert_int_equal(s.kho001, 0);
		/* no workspace, no aligned copy: LUOC_ENOSPC, nothing read */
		s = run(&f, f.len, skew, false);
		assert_int_equal(s.kho001, 0);
		assert_true(s.n >= 1);
	}
}


/* A kho-v1 root whose LUO sub-node points at luo (absent from memory). */
static void root_with_luo(struct blob *f, uint64_t luo)
{
	uint64_t zero = 0;

	memset(f, 0, sizeof(*f));
	assert_int_equal(fdt_create(f->b, 4096), 0);
	assert_int_equal(fdt_finish_reservemap(f->b), 0);
	assert_int_equal(fdt_begin_node(f->b, ""), 0);
	assert_int_equal(fdt_property_string(f->b, "compatible", "kho-v1"), 0);
	assert_int_equal(fdt_property(f->b, "preserved-memory-map", &zero, 8), 0);
	assert_int_equal(fdt_begin_node(f->b, "LUO"), 0);
	assert_int_equal(fdt_property(f->b, "fdt", &luo, 8), 0);
	assert_int_equal(fdt_end_node(f->b), 0);
	assert_int_equal(fdt_end_node(f->b), 0);
	assert_int_equal(fdt_finish(f->b), 0);
	f->len = fdt_totalsize(f->b);
}

static void test_detect_corners(void **state)
{
	static uint8_t space[8192] __attribute__((aligned(8)));
	struct blob f;
	struct mem1 m1 = { space, 0 };
	struct luoc_config cfg = { .kho_root = ROOT_PHYS, .page_size = 4096 };
	struct luoc_mem mem = { .map = map1, .ctx = &m1 };
	const char *why = NULL;
	char buf[LUOC_REASON_MAX];

	(void)state;
	root_with_luo(&f, 0x7000000);
	memcpy(space, f.b, f.len);
	m1.len = f.len;
	/* the LUO FDT it names is not there: no profile can be told */
	assert_null(luoc_detect_r(&cfg, &mem, buf, sizeof(buf)));
	assert_non_null(strstr(buf, "LUO FDT at 0x7000000 unreadable"));
	assert_null(luoc_detect(&cfg, &mem, &why));
	assert_string_equal(why, "KHO root or LUO FDT unreadable");
	/* a bad configuration is refused before anything is read */
	cfg.page_size = 4097;
	assert_null(luoc_detect(&cfg, &mem, &why));
	assert_string_equal(why, "bad configuration");
	assert_null(luoc_detect(&cfg, &mem, NULL));
	cfg.page_size = 4096;
	assert_null(luoc_detect_r(&cfg, &mem, buf, 0));
	/* but the check itself goes on, and reports the absent FDT */
	{
		struct seen s = run(&f, f.len, 0, true);

		assert_int_equal(s.kho001, 0);
		assert_true(s.n > 0);
	}
}

static void test_config_corners(void **state)
{
	static uint8_t space[64];
	struct mem1 m1 = { space, sizeof(space) };
	struct luoc_config cfg = { .kho_root = ROOT_PHYS, .page_size = 4096 };
	struct luoc_mem mem = { .map = map1, .ctx = &m1 };
	struct luoc_result res;

	(void)state;
	/* a KHO root size that cannot hold an FDT header */
	cfg.kho_root_size = FDT_V17_SIZE - 1;
	assert_int_equal(luoc_check(&cfg, &mem, NULL, &res), -LUOC_EINVAL);
	cfg.kho_root_size = 0;
	/* workspace size without a workspace */
	cfg.workspace_size = 64;
	assert_int_equal(luoc_check(&cfg, &mem, NULL, &res), -LUOC_EINVAL);
	cfg.workspace_size = 0;
	/* no visitor at all: counts only */
	assert_int_equal(luoc_check(&cfg, &mem, NULL, &res), 0);
	assert_true(res.errors > 0);
	assert_int_equal(luoc_outcome_for(NULL, "LUO-KHO-001"), LUOC_OUT_UNDEFINED);
	/* grows with the image; saturates only where size_t is 32 bits */
	assert_true(luoc_workspace_hint(0) >= (size_t)1 << 20);
	assert_true(luoc_workspace_hint(UINT64_MAX) > luoc_workspace_hint((uint64_t)1 << 40));
	assert_string_equal(luoc_strerror(-1000), "unknown error");
	assert_string_equal(luoc_outcome_name((enum luoc_outcome)1000), "?");
}

static void test_helpers(void **state)
{
	const struct luoc_config cfg = { .page_size = 4096 };
	struct luoc_ctx c;
	struct luoc_rset rs = { 0 };
	struct luoc_loc loc = { .kind = LK_NONE };
	const uint8_t bytes[8] = { 0x81, 2, 3, 4, 5, 6, 7, 8 };
	const char *fmt;
	char buf[64];

	(void)state;
	memset(&c, 0, sizeof(c));
	c.cfg = &cfg;
	/* loads: one byte, and a width no field has */
	assert_int_equal(luoc_ld(&c, bytes, 1), 0x81);
	assert_int_equal(luoc_ld(&c, bytes, 3), 0);
	/* a 64-bit wide bit-field is the value shifted, not masked */
	assert_true(luoc_bits(0xf0ULL, (struct luoc_bits){ 4, 64 }) == 0xf);
	assert_true(luoc_bits(~0ULL, (struct luoc_bits){ 0, 64 }) == ~0ULL);
	/* %lld and an unknown ll conversion (printed as is) */
	fmt = "%lld|%llq|%d";
	luoc_snprintf(buf, sizeof(buf), fmt, -42LL, 7);
	assert_string_equal(buf, "-42|%llq|7");
	/* a location of no known kind */
	c.p = &luoc_profiles[0];
	luoc_render_loc(&c, &loc, buf, sizeof(buf));
	assert_string_equal(buf, "state");
	/* an unsorted range set answers nothing */
	assert_null(luoc_rset_find(&rs, 0, 100));
}

static void test_root_size_bound(void **state)
{
	struct blob f;
	struct seen s;

	(void)state;
	good_root(&f);
	/* totalsize may reach the KHO root size, not pass it */
	root_size = f.len;
	assert_int_equal(run(&f, f.len, 0, true).kho001, 0);
	root_size = f.len - 1;
	s = run(&f, f.len, 0, true);
	root_size = 0;
	assert_int_equal(s.kho001, 1);
	assert_int_equal(s.code, -LUOC_ESIZE);
}

static bool has_msg(const struct tc *c, const char *req, const char *text)
{
	unsigned int i;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->f[i].req, req) && strstr(c->f[i].msg, text))
			return true;
	return false;
}

static void test_chunk_num_elms_one_over(void **state)
{
	struct tb *t = tc_state("v7.0");
	const struct luoc_profile *p = t->p;
	uint64_t per = (t->ps - p->chunk_hdr_size) / p->chunk_entry_size;
	struct tc *c;

	(void)state;
	/* one entry more than a chunk page holds */
	tb_stf(t, t->kmap, p->chunk_num_elms, per + 1);
	c = tc_run(t);
	if (!has_msg(c, "LUO-KMAP-001", "num_elms")) {
		tc_dump(c);
		fail_msg("num_elms = per + 1 not reported");
	}
	tc_free(c);
	tb_free(t);
}

static void test_chunk_of_max_order(void **state)
{
	struct tb *t = tc_state("v6.19");
	const struct luoc_profile *p = t->p;
	uint64_t last = t->kmap, extra;
	struct tc *c;

	(void)state;
	while (tb_ldf(t, last, p->chunk_next))
		last = tb_ldf(t, last, p->chunk_next);
	/* an empty chunk of the largest order is a valid chunk */
	extra = tb_alloc(t, 0);
	tb_stf(t, extra, p->chunk_order, p->kmap_max_order);
	tb_stf(t, last, p->chunk_next, extra);
	c = tc_run(t);
	tc_assert_clean(c);
	tc_free(c);
	/* one order more is not */
	tb_stf(t, extra, p->chunk_order, p->kmap_max_order + 1);
	c = tc_run(t);
	assert_true(has_msg(c, "LUO-KMAP-001", "max order"));
	tc_free(c);
	tb_free(t);
}

static void test_vmalloc_chain_one_page_over(void **state)
{
	struct tb *t = tc_state("v7.0");
	uint64_t ch = t->vm_chunk[0][0], total;
	struct tc *c;

	(void)state;
	total = tb_ldf(t, tb_memfd_vm(t, 0, 0), t->p->vm_total_pages);
	/* the chunk lists one page more, at an address not in the image */
	tb_st(t, ch + t->p->vm_chunk_hdr_size + total * 8, 0x7f0000000000ULL, 8);
	/* and a next chunk that is not there either: the walk has ended before it */
	tb_st(t, ch, 0x7e0000000000ULL, 8);
	c = tc_run(t);
	assert_true(has_msg(c, "LUO-MEMFD-003", "more than total_pages"));
	/* the walk stops there: the page past the count is never read */
	assert_int_equal(tc_count(c, "LUO-IMG-003", -1), 0);
	tc_free(c);
	tb_free(t);
}

static void test_blob_size_one_over(void **state)
{
	struct tb *t = tc_state("v7.1");
	uint64_t max = (uint64_t)t->p->luo_fdt_pages * t->ps;
	uint8_t *h = tb_ptr(t, t->luo_fdt);
	struct tc *c;

	(void)state;
	/* totalsize and blob-size agree, one byte past LUO_FDT_SIZE */
	put32(h + 4, (uint32_t)max + 1);
	tb_set_blob_size(t, max + 1);
	c = tc_run(t);
	assert_true(has_msg(c, "LUO-KHO-005", "exceeds"));
	assert_false(has_msg(c, "LUO-KHO-005", "differs"));
	tc_free(c);
	tb_free(t);
}

/* A context as luoc_check() sets it up, for the internal helpers. */
struct uctx {
	struct luoc_config cfg;
	struct luoc_visitor vis;
	struct luoc_result res;
	struct luoc_mem mem;
	struct luoc_ctx c;
	struct seen seen;
	uint8_t ws[1 << 16] __attribute__((aligned(8)));
};

static struct uctx *uctx_new(const struct luoc_mem *mem)
{
	struct uctx *u = calloc(1, sizeof(*u));

	assert_non_null(u);
	u->cfg.page_size = 4096;
	u->cfg.workspace = u->ws;
	u->cfg.workspace_size = sizeof(u->ws);
	u->vis.finding = on_finding;
	u->vis.ctx = &u->seen;
	if (mem)
		u->mem = *mem;
	u->c.cfg = &u->cfg;
	u->c.mem = &u->mem;
	u->c.vis = &u->vis;
	u->c.res = &u->res;
	u->c.p = &luoc_profiles[0];
	u->c.ps = 4096;
	u->c.pshift = 12;
	u->c.outcome_override = -1;
	luoc_ws_init(&u->c);
	return u;
}

static void test_rangeset_one_byte(void **state)
{
	struct uctx *u = uctx_new(NULL);
	const struct luoc_loc a = { .kind = LK_SESSION }, b = { .kind = LK_FLB };
	struct luoc_rset rs;

	(void)state;
	/* two ranges that share exactly one byte overlap */
	luoc_rset_begin(&u->c, &rs);
	luoc_rset_add(&u->c, &rs, &a, 0x1000, 100, false);
	luoc_rset_add(&u->c, &rs, &b, 0x1000 + 99, 100, false);
	luoc_rset_finish(&u->c, &rs);
	luoc_rset_overlaps(&u->c, &rs, false);
	assert_int_equal(u->res.errors, 1);
	/* a query that shares one byte with a range finds it; one that only touches does not */
	assert_non_null(luoc_rset_find(&rs, 0x1000 + 198, 0x2000));
	assert_null(luoc_rset_find(&rs, 0x1000 + 199, 0x2000));
	assert_non_null(luoc_rset_find(&rs, 0x800, 0x1001));
	assert_null(luoc_rset_find(&rs, 0x800, 0x1000));
	free(u);
}

/* Memory for the kho-v1 index test: two pages at BMP_PHYS. */
#define BMP_PHYS	0x40000000ULL
static uint8_t bmp_mem[8192] __attribute__((aligned(8)));

static const void *bmp_map(void *ctx, uint64_t phys, uint64_t len)
{
	(void)ctx;
	if (phys < BMP_PHYS || phys - BMP_PHYS > sizeof(bmp_mem) ||
	    len > sizeof(bmp_mem) - (phys - BMP_PHYS))
		return NULL;
	return bmp_mem + (phys - BMP_PHYS);
}

static void test_kmap_bitmap_coverage_end(void **state)
{
	const struct luoc_mem mem = { .map = bmp_map };
	struct uctx *u;
	struct luoc_kmap *km;
	uint64_t cov;
	unsigned int o;

	(void)state;
	u = uctx_new(&mem);
	u->c.p = luoc_profile_find("v6.19");
	km = &u->c.km;
	/* one order-0 bitmap page at 0: it covers 4096 * 8 pages, and no more */
	km->usable = true;
	km->orders = 11;
	km->bitmap_bytes = 4096;
	km->idx = (struct luoc_kmap_ent *)u->ws;
	km->idx[0].start = 0;
	km->idx[0].bitmap = BMP_PHYS;
	km->idx[0].order = 0;
	km->n = 1;
	km->seg[0] = 0;
	for (o = 1; o <= LUOC_ORDERS; o++)
		km->seg[o] = 1;
	memset(bmp_mem, 0, sizeof(bmp_mem));
	bmp_mem[4096] = 1;	/* the word after the bitmap: must never be read */
	bmp_mem[0] = 1;		/* page 0 is preserved */
	cov = (uint64_t)4096 * 8 * 4096;
	assert_int_equal(luoc_kmap_chunks_test(&u->c, 0, 0), 1);
	assert_int_equal(luoc_kmap_chunks_test(&u->c, cov - 4096, 0), 0);
	assert_int_equal(luoc_kmap_chunks_test(&u->c, cov, 0), 0);
	free(u);
}

static void test_radix_leaf_order_one_over(void **state)
{
	struct tb_opts o = tc_opts("v7.1");
	struct tb *t = tb_build(&o);
	unsigned int max = t->p->kmap_max_order;
	struct tc *c;

	(void)state;
	/* a block of order max + 1 in the map: its leaf is of an order no kernel writes */
	tb_preserve(t, (uint64_t)1 << 40, max + 1);
	tb_finish(t);
	c = tc_run(t);
	if (!has_msg(c, "LUO-KMAP-001", "holds blocks of order")) {
		tc_dump(c);
		fail_msg("a leaf of order max + 1 was not reported");
	}
	tc_free(c);
	tb_free(t);
}

static void test_misaligned_struct_block(void **state)
{
	struct blob f, g;

	(void)state;
	/*
	 * libfdt 1.6.1 accepts an unaligned structure block and then reads its
	 * cells misaligned; the checker refuses it first.  Move the block one
	 * byte up (offset and contents), then make only its size odd.
	 */
	good_root(&f);
	g = f;
	memmove(g.b + fdt_off_dt_struct(f.b) + 1, f.b + fdt_off_dt_struct(f.b),
		f.len - fdt_off_dt_struct(f.b));
	put32(g.b + 8, fdt_off_dt_struct(f.b) + 1);
	put32(g.b + 12, fdt_off_dt_strings(f.b) + 1);
	g.len = f.len + 1;
	put32(g.b + 4, g.len);
	expect_bad(&g, "misaligned block");
	g = f;
	put32(g.b + 36, fdt_size_dt_struct(f.b) - 1);
	expect_bad(&g, "misaligned block");
}

static void test_strings_inside_struct(void **state)
{
	struct blob f;

	(void)state;
	/* the strings block is the structure block's first bytes */
	RAW(&f, "", 1, FDT_BEGIN_NODE, 0, FDT_PROP, 0, 0, FDT_END_NODE, FDT_END);
	put32(f.b + 12, fdt_off_dt_struct(f.b));
	put32(f.b + 32, 4);
	expect_bad(&f, "blocks overlap");
}

static void test_duplicate_bitmap(void **state)
{
	struct tb *t = tc_state("v7.0");
	const struct luoc_profile *p = t->p;
	uint64_t n = tb_ldf(t, t->kmap, p->chunk_num_elms);
	uint64_t e0 = t->kmap + p->chunk_hdr_size, en = e0 + n * p->chunk_entry_size;
	struct tc *c;

	(void)state;
	/* a second entry for the bitmap of the first: two bitmaps, same pages */
	tb_stf(t, en, p->bmp_phys_start, tb_ldf(t, e0, p->bmp_phys_start));
	tb_stf(t, en, p->bmp_bitmap, tb_ldf(t, e0, p->bmp_bitmap));
	tb_stf(t, t->kmap, p->chunk_num_elms, n + 1);
	c = tc_run(t);
	assert_true(has_msg(c, "LUO-KMAP-001", "bitmaps cover"));
	tc_free(c);
	tb_free(t);
}

static void test_bitmap_misaligned(void **state)
{
	struct tb *t = tc_state("v6.19");
	const struct luoc_profile *p = t->p;
	uint64_t e0 = t->kmap + p->chunk_hdr_size;
	struct tc *c;

	(void)state;
	/* a page-sized bitmap 8 bytes into its page: present, but not a bitmap */
	tb_stf(t, e0, p->bmp_bitmap, tb_ldf(t, e0, p->bmp_bitmap) + 8);
	c = tc_run(t);
	assert_true(has_msg(c, "LUO-KMAP-001", "misaligned"));
	tc_free(c);
	tb_free(t);
}

static void test_folio_page_misaligned(void **state)
{
	struct tb *t = tc_state("v7.1");
	uint64_t ch = t->vm_chunk[1][0], at = ch + t->p->vm_chunk_hdr_size;
	struct tc *c;

	(void)state;
	/* the folio-array page half a page off: present, not page aligned */
	tb_st(t, at, tb_ld(t, at, 8) + t->ps / 2, 8);
	c = tc_run(t);
	assert_true(has_msg(c, "LUO-MEM-003", "folio-array page"));
	tc_free(c);
	tb_free(t);
}

static void no_workspace(struct luoc_config *cfg, void *arg)
{
	(void)arg;
	cfg->workspace = NULL;
	cfg->workspace_size = 0;
}

static void test_radix_ancestor_named(void **state)
{
	struct tb *t = tc_state("v7.1");
	uint64_t n1 = 0, e;
	unsigned int i;
	struct tc *c;

	(void)state;
	for (i = 0; i < t->ps / 8 && !n1; i++)
		n1 = tb_ld(t, t->kmap + i * 8ULL, 8);
	/* a free slot of the root's child points back at the root */
	for (i = 0; i < t->ps / 8; i++) {
		e = tb_ld(t, n1 + i * 8ULL, 8);
		if (!e)
			break;
	}
	tb_st(t, n1 + i * 8ULL, t->kmap, 8);
	/* without a workspace there is no visited set: the ancestor check alone */
	c = tc_run_cfg(t, no_workspace, NULL);
	if (!has_msg(c, "LUO-KMAP-001", "ancestor")) {
		tc_dump(c);
		fail_msg("a back pointer to an ancestor was not named");
	}
	tc_free(c);
	tb_free(t);
}

static void test_one_defect_one_finding(void **state)
{
	struct tb *t = tc_state("v7.0");
	void *fdt = tb_fdt_edit(t, t->luo_fdt);
	int node = fdt_subnode_offset(fdt, 0, t->p->sess_node);
	struct tc *c;

	(void)state;
	/* no session header property: reported once, as missing (not also as 0) */
	assert_true(node >= 0);
	assert_int_equal(fdt_delprop(fdt, node, t->p->sess_hdr_prop), 0);
	tb_fdt_done(t, t->luo_fdt);
	c = tc_run(t);
	assert_int_equal(tc_count(c, "LUO-SESS-003", LUOC_SEV_ERROR), 1);
	assert_true(tc_has_code(c, "LUO-SESS-003", -LUOC_EMISSING));
	tc_free(c);
	tb_free(t);
}

static void test_broken_chain_no_folios(void **state)
{
	struct tb *t = tc_state("v7.0");
	struct tc *c;

	(void)state;
	/* total_pages 2 where the chain lists 1: the file's folios are not walked */
	tb_stf(t, tb_memfd_vm(t, 0, 0), t->p->vm_total_pages, 2);
	c = tc_run(t);
	assert_true(has_msg(c, "LUO-MEMFD-003", "chain lists 1 pages"));
	/* 2 sessions x 2 files x 3 folios, less the broken file's */
	assert_int_equal(c->nfolio, 9);
	tc_free(c);
	tb_free(t);
}

static void test_prop_name_unterminated(void **state)
{
	struct blob f;

	(void)state;
	/* the strings block ends inside the property's name: no NUL to end it */
	RAW(&f, "compatible", 10, FDT_BEGIN_NODE, 0, FDT_PROP, 0, 0, FDT_END_NODE, FDT_END);
	expect_bad(&f, "outside the strings block");
}

static void test_unreadable_memfd_not_decoded(void **state)
{
	struct tb *t = tc_state("v7.0");
	struct tc *c;

	(void)state;
	/* the memfd state of one file is not in the image: nothing to decode */
	tb_stf(t, tb_file(t, 0, 0), t->p->file_data, 0x7f0000000000ULL);
	c = tc_run(t);
	assert_true(tc_count(c, "LUO-IMG-003", LUOC_SEV_ERROR) >= 1);
	assert_int_equal(c->nmemfd, 3);
	tc_free(c);
	tb_free(t);
}

static void test_be_large_folio_flags(void **state)
{
	struct tb_opts o = tc_opts("v7.0");
	struct tb *t;
	struct tc *c;
	unsigned int i;

	(void)state;
	/* big-endian writer, order-1 folios: each entry is checked on its own */
	o.big_endian = true;
	o.folio_order = 1;
	t = tb_new(&o);
	c = tc_run(t);
	tc_assert_clean(c);
	assert_true(c->nfolio > 0);
	for (i = 0; i < c->nfolio && i < TC_MAXD; i++) {
		assert_int_equal(c->folio[i].flags, t->p->memfd->folio_flags_known);
		assert_int_equal(c->folio[i].bytes, 2 * t->ps);
	}
	tc_free(c);
	tb_free(t);
}

const struct CMUnitTest tc_cover_tests[] = {
	cmocka_unit_test(test_good_root_clean),
	cmocka_unit_test(test_rsvmap_past_total),
	cmocka_unit_test(test_strings_before_struct),
	cmocka_unit_test(test_prop_truncated),
	cmocka_unit_test(test_second_root),
	cmocka_unit_test(test_nested_too_deep),
	cmocka_unit_test(test_unbalanced_end),
	cmocka_unit_test(test_prop_outside_node),
	cmocka_unit_test(test_nop_accepted),
	cmocka_unit_test(test_fdt_cut_short),
	cmocka_unit_test(test_unaligned_fdt),
	cmocka_unit_test(test_detect_corners),
	cmocka_unit_test(test_config_corners),
	cmocka_unit_test(test_helpers),
	cmocka_unit_test(test_root_size_bound),
	cmocka_unit_test(test_chunk_num_elms_one_over),
	cmocka_unit_test(test_chunk_of_max_order),
	cmocka_unit_test(test_vmalloc_chain_one_page_over),
	cmocka_unit_test(test_blob_size_one_over),
	cmocka_unit_test(test_rangeset_one_byte),
	cmocka_unit_test(test_kmap_bitmap_coverage_end),
	cmocka_unit_test(test_radix_leaf_order_one_over),
	cmocka_unit_test(test_misaligned_struct_block),
	cmocka_unit_test(test_strings_inside_struct),
	cmocka_unit_test(test_duplicate_bitmap),
	cmocka_unit_test(test_bitmap_misaligned),
	cmocka_unit_test(test_folio_page_misaligned),
	cmocka_unit_test(test_radix_ancestor_named),
	cmocka_unit_test(test_one_defect_one_finding),
	cmocka_unit_test(test_broken_chain_no_folios),
	cmocka_unit_test(test_prop_name_unterminated),
	cmocka_unit_test(test_unreadable_memfd_not_decoded),
	cmocka_unit_test(test_be_large_folio_flags),
};
const size_t tc_cover_n = sizeof(tc_cover_tests) / sizeof(tc_cover_tests[0]);
