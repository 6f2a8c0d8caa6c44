// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * test_cover_rest.c - what the other coverage groups leave ('make
 * coverage'): luoc_workspace_hint_meta() against luoc_workspace_hint(),
 * a workspace too small to align, session and file blocks that empty or
 * unlink under the walks and the uniqueness checks (with and without room
 * for the sorted keys), FDT headers whose blocks come in another order or
 * end the buffer, structure blocks that end inside the root or hold no
 * root, detection reasons (a KHO root with another string, an empty one
 * or none, handler strings of another profile), a report that names no
 * requirement, visitors without callbacks, a size-0 series-v6 memfd with
 * folios, a blob-size in front of no FDT, the range set's merges, ties
 * and mixed overlaps, LUO-KMAP-002 of nothing and of a quiet walk, and a
 * kho_vmalloc chain longer than its pages need.
 */
#include <stdlib.h>
#include <string.h>

#include "tunit.h"

#define MiB	((uint64_t)1 << 20)
#define GiB	((uint64_t)1 << 30)

/* ---- luoc_workspace_hint_meta() ------------------------------------------ */

/* Never more than the full hint, for metadata below, at and above the memory. */
static void test_hint_meta_bounded(void **state)
{
	static const uint64_t mems[] = { 0, 4096, 4 * MiB, 64 * GiB, (uint64_t)1 << 40,
					 (uint64_t)1 << 50, UINT64_MAX };
	static const uint64_t metas[] = { 0, 4096, 3 * MiB, 64 * GiB, (uint64_t)1 << 50,
					  UINT64_MAX };
	unsigned int i, j;

	(void)state;
	for (i = 0; i < sizeof(mems) / sizeof(mems[0]); i++)
		for (j = 0; j < sizeof(metas) / sizeof(metas[0]); j++) {
			size_t full = luoc_workspace_hint(mems[i]);
			size_t meta = luoc_workspace_hint_meta(metas[j], mems[i]);

			assert_true(meta <= full);
			assert_true(meta >= luoc_workspace_hint(0));
			if (metas[j] >= mems[i])	/* nothing to save */
				assert_true(meta == full);
		}
	/* metadata a page short of the memory: the claims' share tips it over */
	assert_true(luoc_workspace_hint_meta(64 * GiB - 4096, 64 * GiB) ==
		    luoc_workspace_hint(64 * GiB));
}

/* One 64 GiB memfd with a few MiB of metadata: a few MiB, not 800. */
static void test_hint_meta_64g(void **state)
{
	size_t meta = luoc_workspace_hint_meta(4 * MiB, 64 * GiB);

	(void)state;
	assert_true(meta < 16 * MiB);
	assert_true(meta > luoc_workspace_hint(4 * MiB));	/* + the folio claims */
	assert_true(luoc_workspace_hint(64 * GiB) > 768 * MiB);
	/* the claims stop growing at their cap: 1 PiB costs what 64 TiB does */
	assert_true(luoc_workspace_hint_meta(4 * MiB, (uint64_t)1 << 50) ==
		    luoc_workspace_hint_meta(4 * MiB, (uint64_t)1 << 46));
	assert_true(luoc_workspace_hint_meta(4 * MiB, (uint64_t)1 << 50) < 100 * MiB);
}

static struct tc *run_ws(struct tb *t, size_t ws_bytes)
{
	struct tc *c = calloc(1, sizeof(*c));
	struct luoc_visitor vis;
	struct luoc_config cfg;
	struct luoc_mem mem;
	void *ws = malloc(ws_bytes);

	assert_non_null(c);
	assert_non_null(ws);
	tb_config(t, &cfg, &mem);
	cfg.workspace = ws;
	cfg.workspace_size = ws_bytes;
	tc_visitor(c, &vis);
	c->rc = luoc_check(&cfg, &mem, &vis, &c->res);
	free(ws);
	return c;
}

static void assert_same_findings(const struct tc *a, const struct tc *b)
{
	unsigned int i;

	assert_int_equal(a->rc, b->rc);
	assert_int_equal(a->res.outcome, b->res.outcome);
	assert_int_equal(a->n, b->n);
	for (i = 0; i < a->n; i++) {
		assert_string_equal(a->f[i].req, b->f[i].req);
		assert_int_equal(a->f[i].sev, b->f[i].sev);
		assert_int_equal(a->f[i].code, b->f[i].code);
		assert_string_equal(a->f[i].msg, b->f[i].msg);
	}
	assert_int_equal(a->nfolio, b->nfolio);
	assert_int_equal(a->nfile, b->nfile);
}

/*
 * A conformant state of every profile, checked with the workspace sized
 * from its metadata (what its builder allocated) and the memory it sits
 * in: the same findings (none) as with the full hint.  With overlapping
 * folios the smaller workspace is the one that runs out.
 */
static void test_hint_meta_same_findings(void **state)
{
	static const char *const profiles[] = { "series-v6", "v6.19", "v7.0", "v7.1", "v7.2" };
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++) {
		struct tb_opts o = tc_opts(profiles[i]);
		struct tb *t;
		struct tc *a, *b;
		size_t meta, full;

		o.mem_pages = 16384;	/* 64 MiB, mostly unused */
		t = tb_new(&o);
		full = luoc_workspace_hint(t->size);
		meta = luoc_workspace_hint_meta(t->brk - TB_BASE, t->size);
		assert_true(meta < full);
		a = run_ws(t, meta);
		b = run_ws(t, full);
		tc_assert_clean(a);
		assert_int_equal(a->res.outcome, LUOC_OUT_ACCEPT);
		assert_int_equal(a->nfolio, o.sessions * o.files * o.folios);
		assert_same_findings(a, b);
		tc_free(a);
		tc_free(b);
		tb_free(t);
	}
}

/* A workspace that holds no aligned byte is none: the first table reports ENOSPC. */
static void test_workspace_unalignable(void **state)
{
	uint64_t buf[4];
	struct tu *u;

	(void)state;
	u = tu_new("v7.0", NULL, 0);
	u->cfg.workspace = (uint8_t *)buf + 1;
	u->cfg.workspace_size = 6;	/* bytes 1..6 of an aligned word */
	luoc_ws_init(&u->c);
	assert_int_equal(luoc_ws_free(&u->c), 0);
	assert_null(luoc_ws_take_lo(&u->c, 8));
	u->cfg.workspace_size = 7 + 8;	/* now one aligned word */
	luoc_ws_init(&u->c);
	assert_int_equal(luoc_ws_free(&u->c), 8);
	assert_ptr_equal(luoc_ws_take_hi(&u->c, 8), &buf[1]);
	assert_int_equal(u->rec.n, 0);
	tu_free(u);
}

/* ---- memory that changes under a file chain ------------------------------------ */

/*
 * Reads of one block of 'bytes' at 'blk' past the first 'after' see
 * 'empty'; with 'headers', reads of its header count and change too.
 */
struct flip {
	struct tb *t;
	uint64_t blk, bytes;
	unsigned int reads, after;
	bool headers;
	uint8_t *empty;		/* the block with count 0 (or next 0) */
};

static const void *flip_map(void *ctx, uint64_t phys, uint64_t len)
{
	struct flip *fl = ctx;

	if (phys == fl->blk && (len == fl->bytes || (fl->headers && len <= fl->bytes)) &&
	    ++fl->reads > fl->after)
		return fl->empty;
	return tb_map(fl->t, phys, len);
}

static void flip_init(struct flip *fl, struct tb *t, const struct luoc_area *a, uint64_t blk,
		      unsigned int after)
{
	fl->t = t;
	fl->blk = blk;
	fl->bytes = (uint64_t)a->pages * t->ps;
	fl->reads = 0;
	fl->after = after;
	fl->headers = false;
	fl->empty = malloc(fl->bytes);
	assert_non_null(fl->empty);
	memcpy(fl->empty, tb_ptr(t, blk), fl->bytes);
	memset(fl->empty + a->hdr_count.off, 0, a->hdr_count.size);
}

/* luoc_check() over t with fl's memory and a workspace of ws_bytes (0: none). */
static struct tc *run_flip(struct flip *fl, size_t ws_bytes)
{
	struct tc *c = calloc(1, sizeof(*c));
	struct luoc_visitor vis;
	struct luoc_config cfg;
	struct luoc_mem mem;
	void *ws = ws_bytes ? malloc(ws_bytes) : NULL;

	assert_non_null(c);
	tb_config(fl->t, &cfg, &mem);
	mem.map = flip_map;
	mem.ctx = fl;
	cfg.workspace = ws;
	cfg.workspace_size = ws_bytes;
	tc_visitor(c, &vis);
	c->rc = luoc_check(&cfg, &mem, &vis, &c->res);
	free(ws);
	return c;
}

/* Files of session 0 seen by the visitor. */
static unsigned int files_of(const struct tc *c, uint32_t s)
{
	unsigned int i, n = 0;

	for (i = 0; i < c->nfile; i++)
		n += c->file[i].s == s;
	return n;
}

/*
 * The second file block of session 0 reads as empty once the chain was
 * counted (its first three reads: detection's two, then
 * luoc_chain_open()'s): the chain check reports the count 0, the file
 * walk and the token check stop where the sequence ends, after the first
 * block's files and the third block's moved up.  With no workspace for
 * the sorted keys the tokens are compared pairwise: no entry past that
 * end is read (a cursor left past the chain's end used to hand out the
 * last block's entries again, as duplicates).
 */
static void test_file_block_emptied(void **state)
{
	unsigned int ws;

	(void)state;
	for (ws = 0; ws < 2; ws++) {
		struct tb_opts o = tc_opts("v7.2");
		const struct luoc_area *a;
		uint64_t per;
		struct flip fl;
		struct tb *t;
		struct tc *c;

		o.sessions = 1;
		o.folios = 0;
		t = tb_build(&o);
		a = &t->p->file_area;
		per = luoc_area_max(a, t->ps);
		tb_free(t);
		o.files = (unsigned int)(2 * per + 3);	/* three blocks: per, per, 3 */
		assert_true(o.files <= TB_MAXF);
		t = tb_new(&o);
		assert_int_equal(t->nfblk[0], 3);
		flip_init(&fl, t, a, t->fblk[0][1], 3);
		c = run_flip(&fl, ws ? luoc_workspace_hint(t->size) : 0);
		assert_true(fl.reads >= 5);	/* + the chain check, the walk */
		assert_int_equal(tc_count(c, "LUO-BLK-005", LUOC_SEV_ERROR), 1);
		assert_true(tc_has_msg(c, "LUO-BLK-005", "file block count 0"));
		assert_int_equal(files_of(c, 0), per + 3);
		assert_int_equal(tc_count(c, "LUO-FILE-003", -1), 0);
		if (!ws)
			assert_true(tc_has_code(c, "LUO-MEM-002", -LUOC_ENOSPC));
		free(fl.empty);
		tc_free(c);
		tb_free(t);
	}
}

/*
 * The same for session blocks with no workspace: the session names are
 * compared pairwise, over the 69 sessions that remain, and none is
 * reported as a duplicate.
 */
static void test_session_block_emptied_pairwise(void **state)
{
	struct tb_opts o = tc_opts("v7.2");
	struct flip fl;
	struct tb *t;
	struct tc *c;

	(void)state;
	o.sessions = 120;	/* blocks of 51, 51 and 18 */
	o.files = 0;
	o.folios = 0;
	t = tb_new(&o);
	assert_int_equal(t->nsblk, 3);
	flip_init(&fl, t, &t->p->sess_area, t->sblk[1], 3);
	c = run_flip(&fl, 0);
	assert_true(fl.reads >= 6);
	assert_int_equal(c->res.sessions, 69);
	assert_true(tc_has_msg(c, "LUO-BLK-003", "count 0"));
	assert_int_equal(tc_count(c, "LUO-SESS-006", -1), 0);
	free(fl.empty);
	tc_free(c);
	tb_free(t);
}

/*
 * The second session block's next pointer reads as 0 from its read
 * number 'after' on: at each of the first 16 moments (detection, the
 * chain's count and check, the walk, the name check) the chain seen
 * is a valid one of two or three blocks, so there is no finding; the
 * walk visits 102 or 120 sessions, each once (a cursor that ran past
 * the shortened chain reads nothing more).
 */
static void test_session_block_unlinked(void **state)
{
	unsigned int after, short_runs = 0;

	(void)state;
	for (after = 0; after < 16; after++) {
		struct tb_opts o = tc_opts("v7.2");
		const struct luoc_area *a;
		unsigned int i, j;
		struct flip fl;
		struct tb *t;
		struct tc *c;

		o.sessions = 120;	/* blocks of 51, 51 and 18 */
		o.files = 0;
		o.folios = 0;
		t = tb_new(&o);
		a = &t->p->sess_area;
		flip_init(&fl, t, a, t->sblk[1], after);
		memcpy(fl.empty + a->hdr_count.off, tb_ptr(t, t->sblk[1] + a->hdr_count.off),
		       a->hdr_count.size);
		memset(fl.empty + a->hdr_next.off, 0, a->hdr_next.size);
		fl.headers = true;
		c = run_flip(&fl, luoc_workspace_hint(t->size));
		assert_int_equal(c->n, 0);
		assert_true(c->res.sessions == 102 || c->res.sessions == 120);
		assert_int_equal(c->nsess, c->res.sessions);
		for (i = 1; i < c->nsess; i++)
			for (j = 0; j < i; j++)
				assert_string_not_equal(c->sess_name[i], c->sess_name[j]);
		short_runs += c->res.sessions == 102;
		free(fl.empty);
		tc_free(c);
		tb_free(t);
	}
	assert_true(short_runs >= 1 && short_runs < 16);	/* both ends were seen */
}

/* ---- FDT headers and structure blocks ------------------------------------------ */

#define FDT_AT	0x200000ULL

struct rawfdt {
	uint32_t w[32];		/* big-endian cells; 8-byte aligned */
};

static const void *fdt_map(void *ctx, uint64_t phys, uint64_t len)
{
	struct rawfdt *r = ctx;

	if (phys < FDT_AT || phys - FDT_AT > sizeof(r->w) || len > sizeof(r->w) - (phys - FDT_AT))
		return NULL;
	return (const uint8_t *)r->w + (phys - FDT_AT);
}

static uint32_t be32(uint32_t v)
{
	return __builtin_bswap32(v);
}

/* A v17 header; blocks at the given offsets; struct cells from cell 'st' on. */
static void fdt_header(struct rawfdt *r, uint32_t total, uint32_t o_st, uint32_t s_st,
		       uint32_t o_str, uint32_t o_rsv)
{
	memset(r, 0, sizeof(*r));
	r->w[0] = be32(0xd00dfeed);
	r->w[1] = be32(total);
	r->w[2] = be32(o_st);
	r->w[3] = be32(o_str);
	r->w[4] = be32(o_rsv);
	r->w[5] = be32(17);
	r->w[6] = be32(16);
	r->w[8] = 0;		/* size_dt_strings */
	r->w[9] = be32(s_st);
}

/* luoc_fdt_open() of r at FDT_AT: its return code, findings in *up (freed by the caller). */
static int open_raw(struct rawfdt *r, struct tu **up)
{
	const struct luoc_loc loc = { .kind = LK_LUO_ROOT };
	struct luoc_mem mem = { .map = fdt_map, .ctx = r };
	const void *fdt;
	int rc;

	*up = tu_new("v7.0", &mem, 1 << 16);
	rc = luoc_fdt_open(&(*up)->c, &loc, "LUO-FDT-001", FDT_AT, 4096, &fdt);
	assert_true(rc ? fdt == NULL : fdt != NULL);
	return rc;
}

#define TAG_BEGIN	be32(1)
#define TAG_END_NODE	be32(2)
#define TAG_END		be32(9)

/*
 * The specification fixes no order of the blocks: structure first, then
 * the (empty) strings block and the reservation map that shares its
 * offset, is a valid FDT.  A structure block of 0 bytes at the very end
 * is not: it holds no FDT_END.
 */
static void test_fdt_block_order(void **state)
{
	struct rawfdt r;
	struct tu *u;

	(void)state;
	fdt_header(&r, 72, 40, 16, 56, 56);
	r.w[10] = TAG_BEGIN;	/* root, name "" */
	r.w[11] = 0;
	r.w[12] = TAG_END_NODE;
	r.w[13] = TAG_END;
	assert_int_equal(open_raw(&r, &u), 0);
	assert_int_equal(u->rec.n, 0);
	tu_free(u);

	fdt_header(&r, 56, 56, 0, 56, 40);
	assert_int_equal(open_raw(&r, &u), -LUOC_EFORMAT);
	assert_int_equal(u->rec.n, 1);
	assert_true(tc_has_msg(&u->rec, "LUO-FDT-001", "ends without FDT_END"));
	tu_free(u);
}

/* FDT_END inside the root node, or with no root at all: both refused. */
static void test_fdt_struct_unbalanced(void **state)
{
	struct rawfdt r;
	struct tu *u;

	(void)state;
	fdt_header(&r, 68, 56, 12, 68, 40);
	r.w[14] = TAG_BEGIN;
	r.w[15] = 0;
	r.w[16] = TAG_END;
	assert_int_equal(open_raw(&r, &u), -LUOC_EFORMAT);
	assert_true(tc_has_msg(&u->rec, "LUO-FDT-001", "truncated or unbalanced at offset 8"));
	tu_free(u);

	fdt_header(&r, 60, 56, 4, 60, 40);
	r.w[14] = TAG_END;
	assert_int_equal(open_raw(&r, &u), -LUOC_EFORMAT);
	assert_true(tc_has_msg(&u->rec, "LUO-FDT-001", "truncated or unbalanced at offset 0"));
	tu_free(u);
}

/* A totalsize smaller than the header itself. */
static void test_fdt_total_below_header(void **state)
{
	struct rawfdt r;
	struct tu *u;

	(void)state;
	fdt_header(&r, 20, 40, 0, 40, 40);
	assert_int_equal(open_raw(&r, &u), -LUOC_ESIZE);
	assert_int_equal(u->rec.n, 1);
	assert_true(tc_has_msg(&u->rec, "LUO-FDT-001", "totalsize 20 is outside [40, 4096]"));
	tu_free(u);
}

/* ---- detection reasons ------------------------------------------------------------ */

/* Detect t after its KHO root's compatible was set to compat (NULL: deleted). */
static const struct luoc_profile *detect_with_root(struct tb *t, const char *compat, char *buf,
						   size_t len)
{
	struct luoc_config cfg;
	struct luoc_mem mem;
	void *fdt = tb_fdt_edit(t, t->kho_root);

	if (compat)
		assert_int_equal(fdt_setprop_string(fdt, 0, "compatible", compat), 0);
	else
		assert_int_equal(fdt_delprop(fdt, 0, "compatible"), 0);
	tb_fdt_done(t, t->kho_root);
	tb_config(t, &cfg, &mem);
	return luoc_detect_r(&cfg, &mem, buf, len);
}

/*
 * A luo-v5 state under a KHO root of another string, or of none: still
 * v7.2, the closest, and the reason names what differs.  The same for an
 * FDT state whose root has no string.
 */
static void test_detect_root_string(void **state)
{
	char buf[LUOC_REASON_MAX];
	struct tb *t;

	(void)state;
	t = tc_state("v7.2");
	assert_ptr_equal(detect_with_root(t, "kho-v0", buf, sizeof(buf)), t->p);
	assert_non_null(strstr(buf, "kho-v0 root, luo_ser \"luo-v5\""));
	assert_non_null(strstr(buf, "v7.2 (closest; differs in kho)"));
	assert_ptr_equal(detect_with_root(t, NULL, buf, sizeof(buf)), t->p);
	assert_non_null(strstr(buf, "unknown root, luo_ser"));
	assert_non_null(strstr(buf, "(closest; differs in kho)"));
	tb_free(t);

	t = tc_state("v7.0");
	assert_ptr_equal(detect_with_root(t, NULL, buf, sizeof(buf)), t->p);
	assert_non_null(strstr(buf, "unknown root, luo-session-v2, /luo-flb present, handler memfd-v1: v7.0"));
	assert_non_null(strstr(buf, "(closest; differs in kho)"));
	{
		struct luoc_config cfg;
		struct luoc_mem mem;
		const char *why = NULL;

		tb_config(t, &cfg, &mem);
		assert_ptr_equal(luoc_detect(&cfg, &mem, &why), t->p);
		assert_string_equal(why, "closest profile: some component strings of the state differ");
	}
	tb_free(t);
}

/* ---- a report without a requirement ------------------------------------------------ */

/*
 * A finding with no requirement (and no visitor to hand it to) has no
 * outcome row: an error folds with the profile's default, every time,
 * although the last lookup is remembered.
 */
static void test_report_without_requirement(void **state)
{
	const struct luoc_loc loc = { .kind = LK_LUO_ROOT };
	struct tu *u = tu_new("v7.0", NULL, 0);
	enum luoc_outcome dflt = u->c.p->out_default;

	(void)state;
	u->c.vis = NULL;
	u->c.stage = ST_LUOFDT;
	luoc_report(&u->c, &loc, NULL, LUOC_SEV_ERROR, -LUOC_EFORMAT, LUOC_NO_PHYS, "first");
	assert_int_equal(u->c.stage_out[ST_LUOFDT], dflt);
	u->c.stage = ST_OPEN;
	luoc_report(&u->c, &loc, NULL, LUOC_SEV_ERROR, -LUOC_EFORMAT, LUOC_NO_PHYS, "second");
	assert_int_equal(u->c.stage_out[ST_OPEN], dflt);
	assert_int_equal(u->res.errors, 2);
	assert_int_equal(u->rec.n, 0);
	tu_free(u);
}

/* ---- visitors without callbacks --------------------------------------------------- */

static void count_finding(void *ctx, const struct luoc_finding *f)
{
	(void)f;
	(*(unsigned int *)ctx)++;
}

/*
 * A visitor that takes findings only, and no visitor at all: every
 * profile's state (one folio a file) is checked the same, clean, every
 * folio counted.
 */
static void test_visitor_findings_only(void **state)
{
	static const char *const profiles[] = { "series-v6", "v6.19", "v7.0", "v7.1", "v7.2" };
	unsigned int i, k, nf;

	(void)state;
	for (i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++) {
		struct tb_opts o = tc_opts(profiles[i]);
		struct tb *t;
		size_t ws_bytes;

		o.folios = 1;	/* one entry: visited alone, not as a run */
		t = tb_new(&o);
		ws_bytes = luoc_workspace_hint(t->size);
		void *ws = malloc(ws_bytes);

		assert_non_null(ws);
		for (k = 0; k < 2; k++) {
			struct luoc_visitor vis = { .finding = count_finding, .ctx = &nf };
			struct luoc_result res;
			struct luoc_config cfg;
			struct luoc_mem mem;

			nf = 0;
			tb_config(t, &cfg, &mem);
			cfg.workspace = ws;
			cfg.workspace_size = ws_bytes;
			assert_int_equal(luoc_check(&cfg, &mem, k ? NULL : &vis, &res), 0);
			assert_int_equal(res.errors + res.warnings, 0);
			assert_int_equal(res.outcome, LUOC_OUT_ACCEPT);
			assert_int_equal(res.folios, (uint64_t)t->o.sessions * t->o.files * t->o.folios);
			assert_int_equal(nf, res.notes * !k);
		}
		free(ws);
		tb_free(t);
	}
}

/* luoc_detect() without a reason; the checker's guess when the KHO root is unreadable. */
static void test_detect_why_and_guess(void **state)
{
	struct tb *t = tc_state("v7.1");
	struct luoc_config cfg;
	struct luoc_mem mem;
	const char *why = NULL;
	char buf[LUOC_REASON_MAX];

	(void)state;
	tb_config(t, &cfg, &mem);
	assert_ptr_equal(luoc_detect(&cfg, &mem, NULL), t->p);
	cfg.kho_root = TB_BASE + t->size;	/* past the memory */
	assert_null(luoc_detect(&cfg, &mem, &why));
	assert_string_equal(why, "KHO root or LUO FDT unreadable");
	assert_ptr_equal(luoc_detect_buf(&cfg, &mem, buf, sizeof(buf), true, NULL),
			 &luoc_profiles[luoc_n_profiles - 1]);
	assert_non_null(strstr(buf, "unreadable"));
	assert_null(luoc_detect_buf(&cfg, &mem, buf, sizeof(buf), false, NULL));
	tb_free(t);
}

/* ---- more states ------------------------------------------------------------------ */

/* series-v6: a memfd of size 0 whose FDT carries the folios property alone. */
static void test_memfd_fdt_empty_with_folios(void **state)
{
	struct tb *t = tc_state("series-v6");
	const struct luoc_memfd_desc *md = t->p->memfd;
	void *fdt = tb_fdt_edit(t, t->memfd[0][0]);
	struct tc *c;

	(void)state;
	assert_int_equal(tb_fdt_setu64(t, fdt, 0, md->prop_size, 0), 0);
	assert_int_equal(fdt_delprop(fdt, 0, md->prop_nr_folios), 0);
	tb_fdt_done(t, t->memfd[0][0]);
	c = tc_run(t);
	assert_true(tc_has_msg(c, "LUO-MEMFD-002", "present although size is 0"));
	tc_free(c);
	tb_free(t);
}

/* A KHO root whose compatible is empty: no string, as if absent. */
static void test_detect_root_string_empty(void **state)
{
	struct tb *t = tc_state("v7.0");
	char buf[LUOC_REASON_MAX];
	struct luoc_config cfg;
	struct luoc_mem mem;
	void *fdt = tb_fdt_edit(t, t->kho_root);

	(void)state;
	assert_int_equal(fdt_setprop(fdt, 0, "compatible", NULL, 0), 0);
	tb_fdt_done(t, t->kho_root);
	tb_config(t, &cfg, &mem);
	assert_ptr_equal(luoc_detect_r(&cfg, &mem, buf, sizeof(buf)), t->p);
	assert_non_null(strstr(buf, "unknown root, luo-session-v2"));
	assert_non_null(strstr(buf, "(closest; differs in kho)"));
	tb_free(t);
}

/*
 * kho-v3: a blob-size past LUO_FDT_SIZE in front of a LUO blob that is no
 * FDT: the size is reported (not as differing from a totalsize there is
 * none of), and so is the missing FDT.
 */
static void test_blob_size_over_no_fdt(void **state)
{
	struct tb *t = tc_state("v7.1");
	struct tc *c;

	(void)state;
	tb_set_blob_size(t, (uint64_t)1 << 20);
	tb_st(t, t->luo_fdt, 0, 4);	/* magic */
	c = tc_run(t);
	assert_true(tc_has_msg(c, "LUO-KHO-005", "exceeds LUO_FDT_SIZE"));
	assert_false(tc_has_msg(c, "LUO-KHO-005", "differs from"));
	assert_true(tc_has_code(c, "LUO-FDT-001", -LUOC_EFORMAT));
	tc_free(c);
	tb_free(t);
}

/*
 * The closest profile when the handler strings point elsewhere: a luo-v5
 * (v7.2) and a kho-v3 (v7.1) state whose files name memfd-v1, the
 * handler of the kho-v1 profiles.  Every other string still picks the
 * state's own profile, and the reason says the handler differs.
 */
static void set_file_compat(struct tb *t, const char *compat)
{
	unsigned int s, f;

	for (s = 0; s < t->o.sessions; s++)
		for (f = 0; f < t->o.files; f++) {
			uint8_t *e = tb_ptr(t, tb_file(t, s, f)) + t->p->file_compat.off;

			memset(e, 0, t->p->file_compat.size);
			memcpy(e, compat, strlen(compat));
		}
}

static void test_detect_handler_differs(void **state)
{
	static const struct { const char *profile, *handler, *what; } cases[] = {
		{ "v7.2", "memfd-v1", "luo_ser \"luo-v5\", handler memfd-v1: v7.2 (closest; differs in handler)" },
		{ "v7.1", "memfd-v1", ", handler memfd-v1: v7.1 (closest; differs in handler)" },
	};
	char buf[LUOC_REASON_MAX];
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tb *t = tc_state(cases[i].profile);
		struct luoc_config cfg;
		struct luoc_mem mem;

		set_file_compat(t, cases[i].handler);
		tb_config(t, &cfg, &mem);
		assert_ptr_equal(luoc_detect_r(&cfg, &mem, buf, sizeof(buf)), t->p);
		if (!strstr(buf, cases[i].what))
			fail_msg("reason: %s", buf);
		tb_free(t);
	}
}

/* ---- the range set's merges and ties -------------------------------------------- */

/*
 * Ranges merge only with the previous one of the same kind, session and
 * file; two ranges from one address sort by their ends; overlapping
 * folios are LUO-MEMFD-005 only within one file, a folio and a structure
 * LUO-MEM-002 whichever comes first.
 */
static void test_rset_merge_and_ties(void **state)
{
	const uint64_t A = 0x10000000, B = A + 0x10000, C = B + 0x10000, D = C + 0x10000;
	const struct luoc_loc file = { .kind = LK_FILE, .s = 0, .f = 0 };
	const struct luoc_loc s0f0 = { .kind = LK_FOLIO, .s = 0, .f = 0 };
	const struct luoc_loc s1f0 = { .kind = LK_FOLIO, .s = 1, .f = 0 };
	const struct luoc_loc s1f1 = { .kind = LK_FOLIO, .s = 1, .f = 1 };
	const struct luoc_loc s2f0 = { .kind = LK_FOLIO, .s = 2, .f = 0 };
	const struct luoc_loc s2f1 = { .kind = LK_FOLIO, .s = 2, .f = 1 };
	struct tu *u = tu_new("v7.0", NULL, 1 << 16);
	struct luoc_rset *rs = &u->c.fo;

	(void)state;
	luoc_rset_begin(&u->c, rs);
	luoc_rset_add(&u->c, rs, &s0f0, A, 0x1000, true);
	luoc_rset_add(&u->c, rs, &s1f0, A + 0x1000, 0x1000, true);	/* another session */
	luoc_rset_add(&u->c, rs, &s1f1, A + 0x2000, 0x1000, true);	/* another file */
	luoc_rset_add(&u->c, rs, &s1f1, A + 0x3000, 0x1000, true);	/* merged */
	assert_int_equal(rs->n, 3);
	luoc_rset_add(&u->c, rs, &s0f0, A, 0x2800, false);
	luoc_rset_add(&u->c, rs, &s2f0, B, 0x1000, true);
	luoc_rset_add(&u->c, rs, &s2f1, B + 0x800, 0x1000, true);
	/* a structure under a folio, and a folio under a structure */
	luoc_rset_add(&u->c, rs, &file, C, 0x1000, true);
	luoc_rset_add(&u->c, rs, &s0f0, C + 0x800, 0x100, true);
	luoc_rset_add(&u->c, rs, &s0f0, D, 0x1000, true);
	luoc_rset_add(&u->c, rs, &file, D + 0x800, 0x100, true);
	assert_int_equal(rs->n, 10);
	luoc_rset_finish(&u->c, rs);
	assert_true(rs->r[0].start == A && rs->r[0].end == A + 0x1000);
	assert_true(rs->r[1].start == A && rs->r[1].end == A + 0x2800);
	assert_true(rs->r[3].start == A + 0x2000 && rs->r[3].end == A + 0x4000);
	luoc_rset_overlaps(&u->c, rs, true);
	assert_int_equal(tc_count(&u->rec, "LUO-MEMFD-005", LUOC_SEV_ERROR), 1);
	assert_int_equal(tc_count(&u->rec, "LUO-MEM-002", LUOC_SEV_ERROR), 5);
	assert_int_equal(u->rec.n, 6);
	tu_free(u);
}

/* ---- LUO-KMAP-002 of nothing, and of a quiet walk ------------------------------------ */

/*
 * A page nobody preserved: a structure there is LUO-KMAP-002, a
 * structure of no bytes needs nothing, and the quiet first walks (the
 * claims, detection) report nothing.
 */
static void test_require_empty_and_quiet(void **state)
{
	const struct luoc_loc loc = { .kind = LK_FILE };
	struct tb *t = tc_state("v7.0");
	uint64_t page = tb_alloc(t, 0);		/* in memory, not preserved */
	struct luoc_config cfg;
	struct luoc_mem mem;
	struct tu *u;

	(void)state;
	tb_finish(t);
	tb_config(t, &cfg, &mem);
	u = tu_new("v7.0", &mem, 1 << 20);
	luoc_kmap_setup(&u->c, true, t->kmap);
	assert_true(u->c.km.usable);
	luoc_kmap_require(&u->c, &loc, page, 0, "empty structure");
	assert_int_equal(u->rec.n, 0);
	u->c.quiet = true;
	luoc_kmap_require(&u->c, &loc, page, 64, "structure");
	assert_int_equal(u->rec.n, 0);
	u->c.quiet = false;
	luoc_kmap_require(&u->c, &loc, page, 64, "structure");
	assert_int_equal(u->rec.n, 1);
	assert_true(tc_has_code(&u->rec, "LUO-KMAP-002", -LUOC_ENOTPRESERVED));
	tu_free(u);
	tb_free(t);
}

/* ---- a kho_vmalloc chain longer than its pages need ------------------------------- */

/*
 * A folio array of a few pages behind its one chunk, then two empty
 * chunks (preserved, no cycle): the third chunk is more than total_pages
 * can need, LUO-MEMFD-003 (ELOOP), as a loop would be.
 */
static void test_vmalloc_chain_too_long(void **state)
{
	struct tb_opts o = tc_opts("v7.0");
	struct tb *t = tb_build(&o);
	uint64_t c1 = tb_alloc(t, 0), c2 = tb_alloc(t, 0);
	struct tc *c;

	(void)state;
	tb_preserve(t, c1, 0);
	tb_preserve(t, c2, 0);
	tb_st(t, t->vm_chunk[0][0] + LUOC_KHO_VMALLOC_KHO_VMALLOC_CHUNK_NEXT_OFF, c1,
	      LUOC_KHO_VMALLOC_KHO_VMALLOC_CHUNK_NEXT_SIZE);
	tb_st(t, c1 + LUOC_KHO_VMALLOC_KHO_VMALLOC_CHUNK_NEXT_OFF, c2,
	      LUOC_KHO_VMALLOC_KHO_VMALLOC_CHUNK_NEXT_SIZE);
	tb_finish(t);
	c = tc_run(t);
	assert_int_equal(tc_count(c, "LUO-MEMFD-003", LUOC_SEV_ERROR), 1);
	assert_true(tc_has_code(c, "LUO-MEMFD-003", -LUOC_ELOOP));
	assert_true(tc_has_msg(c, "LUO-MEMFD-003", "longer than total_pages"));
	tc_free(c);
	tb_free(t);
}

const struct CMUnitTest tc_cover_rest_tests[] = {
	cmocka_unit_test(test_hint_meta_bounded),
	cmocka_unit_test(test_hint_meta_64g),
	cmocka_unit_test(test_hint_meta_same_findings),
	cmocka_unit_test(test_workspace_unalignable),
	cmocka_unit_test(test_file_block_emptied),
	cmocka_unit_test(test_session_block_emptied_pairwise),
	cmocka_unit_test(test_session_block_unlinked),
	cmocka_unit_test(test_fdt_block_order),
	cmocka_unit_test(test_fdt_struct_unbalanced),
	cmocka_unit_test(test_fdt_total_below_header),
	cmocka_unit_test(test_detect_root_string),
	cmocka_unit_test(test_report_without_requirement),
	cmocka_unit_test(test_visitor_findings_only),
	cmocka_unit_test(test_detect_why_and_guess),
	cmocka_unit_test(test_memfd_fdt_empty_with_folios),
	cmocka_unit_test(test_detect_root_string_empty),
	cmocka_unit_test(test_blob_size_over_no_fdt),
	cmocka_unit_test(test_detect_handler_differs),
	cmocka_unit_test(test_rset_merge_and_ties),
	cmocka_unit_test(test_require_empty_and_quiet),
	cmocka_unit_test(test_vmalloc_chain_too_long),
};
const size_t tc_cover_rest_n = sizeof(tc_cover_rest_tests) / sizeof(tc_cover_rest_tests[0]);
