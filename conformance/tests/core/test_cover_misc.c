// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * test_cover_misc.c - smaller corners 'make coverage' found unreached:
 * a kho-v1 index entry whose start is not aligned to its order, an index
 * that does not fit the workspace, the second walk over a folio array of
 * two vmalloc chunks (driven directly), the uniqueness checks without a
 * workspace (pairwise, and beyond the pairwise bound) and over names that
 * fill their field, and radix nodes whose addresses collide in the
 * visited set.
 */
#include <stdlib.h>
#include <string.h>

#include "tunit.h"

/* ---- kho-v1 index -------------------------------------------------------- */

static void test_chunk_start_misaligned(void **state)
{
	struct tb *t = tc_state("v7.0");
	const struct luoc_profile *p = t->p;
	uint64_t e0 = t->kmap + p->chunk_hdr_size;
	struct tc *c;

	(void)state;
	tb_stf(t, e0, p->bmp_phys_start, tb_ldf(t, e0, p->bmp_phys_start) + 8);
	c = tc_run(t);
	assert_true(tc_has_code(c, "LUO-KMAP-001", -LUOC_ERANGE));
	assert_true(tc_has_msg(c, "LUO-KMAP-001", "phys_start"));
	tc_free(c);
	tb_free(t);
}

static void tiny_workspace(struct luoc_config *cfg, void *arg)
{
	(void)arg;
	cfg->workspace_size = 16;	/* not one index entry (24 bytes) */
}

static void test_chunk_index_no_room(void **state)
{
	struct tb *t = tc_state("v6.19");
	struct tc *c;

	(void)state;
	c = tc_run_cfg(t, tiny_workspace, NULL);
	assert_int_equal(c->rc, 0);
	assert_int_equal(tc_count(c, "LUO-MEM-002", LUOC_SEV_WARNING), 1);
	assert_true(tc_has_code(c, "LUO-MEM-002", -LUOC_ENOSPC));
	assert_true(tc_has_msg(c, "LUO-MEM-002", "kho-v1 bitmap index"));
	tc_free(c);
	tb_free(t);
}

/* ---- the folio array's second walk ----------------------------------------- */

#define VB		0x200000000ULL
#define VPAGES		4
static uint8_t vmem[VPAGES * 4096] __attribute__((aligned(4096)));

static const void *vmap(void *ctx, uint64_t phys, uint64_t len)
{
	(void)ctx;
	if (phys < VB || phys - VB > sizeof(vmem) || len > sizeof(vmem) - (phys - VB))
		return NULL;
	return vmem + (phys - VB);
}

static void vst(uint64_t phys, uint64_t v)
{
	memcpy(vmem + (phys - VB), &v, 8);
}

struct vcount {
	unsigned int calls;
	int rc;			/* returned by the first call */
	uint64_t last_idx, last_phys;
};

static int count_page(struct luoc_ctx *c, void *arg, uint64_t idx, uint64_t phys,
		      const uint8_t *page)
{
	struct vcount *v = arg;

	(void)c;
	assert_ptr_equal(page, vmem + (phys - VB));
	v->last_idx = idx;
	v->last_phys = phys;
	return v->calls++ ? 0 : v->rc;
}

/* Chunk A at VB (full, next B), chunk B at VB + 1 page (one entry, then 0); data at page 3. */
static uint64_t two_chunks(const struct luoc_profile *p)
{
	uint64_t hdr = p->vm_chunk_hdr_size, per = (4096 - hdr) / 8, k;

	memset(vmem, 0, sizeof(vmem));
	vst(VB, VB + 4096);
	for (k = 0; k < per; k++)
		vst(VB + hdr + k * 8, VB + 3 * 4096);
	vst(VB + 4096 + hdr, VB + 2 * 4096);
	return per;
}

static void test_vmalloc_pages_two_chunks(void **state)
{
	const struct luoc_mem mem = { .map = vmap };
	struct tu *u = tu_new("v7.0", &mem, 0);
	struct luoc_vmdesc d = { VB, 0, 0, 0 };
	struct vcount v;
	uint64_t per = two_chunks(u->c.p);

	(void)state;
	/* total_pages one more than listed: the walk ends at the 0 entry of chunk B */
	d.total_pages = (uint32_t)per + 2;
	memset(&v, 0, sizeof(v));
	assert_int_equal(luoc_vmalloc_pages(&u->c, &d, count_page, &v), 0);
	assert_int_equal(v.calls, per + 1);
	assert_int_equal(v.last_idx, per);
	assert_true(v.last_phys == VB + 2 * 4096);
	/* exactly the pages listed: ends with the count */
	d.total_pages = (uint32_t)per + 1;
	memset(&v, 0, sizeof(v));
	assert_int_equal(luoc_vmalloc_pages(&u->c, &d, count_page, &v), 0);
	assert_int_equal(v.calls, per + 1);
	/* the callback's error is returned, its "done" (> 0) is success */
	memset(&v, 0, sizeof(v));
	v.rc = -LUOC_EFORMAT;
	assert_int_equal(luoc_vmalloc_pages(&u->c, &d, count_page, &v), -LUOC_EFORMAT);
	assert_int_equal(v.calls, 1);
	memset(&v, 0, sizeof(v));
	v.rc = 1;
	assert_int_equal(luoc_vmalloc_pages(&u->c, &d, count_page, &v), 0);
	assert_int_equal(v.calls, 1);
	/* a page that is not in the image, then a chunk that is not */
	vst(VB + 4096 + u->c.p->vm_chunk_hdr_size, 0x7f0000000000ULL);
	memset(&v, 0, sizeof(v));
	assert_int_equal(luoc_vmalloc_pages(&u->c, &d, count_page, &v), -LUOC_EABSENT);
	assert_int_equal(v.calls, per);
	vst(VB, 0x7f0000000000ULL);
	memset(&v, 0, sizeof(v));
	assert_int_equal(luoc_vmalloc_pages(&u->c, &d, count_page, &v), -LUOC_EABSENT);
	assert_int_equal(v.calls, per);
	tu_free(u);
}

/* ---- uniqueness ---------------------------------------------------------------- */

static void no_workspace(struct luoc_config *cfg, void *arg)
{
	(void)arg;
	cfg->workspace = NULL;
	cfg->workspace_size = 0;
}

static const struct tc_finding *first_of(const struct tc *c, const char *req)
{
	unsigned int i;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->f[i].req, req))
			return &c->f[i];
	fail_msg("no %s finding", req);
	return NULL;
}

/* Without a workspace tokens are compared pairwise: the same one finding. */
static void test_tokens_pairwise(void **state)
{
	struct tb *t = tc_state("v7.0");
	const struct luoc_profile *p = t->p;
	struct tc *c;

	(void)state;
	tb_stf(t, tb_file(t, 1, 1), p->file_token, tb_ldf(t, tb_file(t, 1, 0), p->file_token));
	c = tc_run_cfg(t, no_workspace, NULL);
	assert_int_equal(tc_count(c, "LUO-FILE-003", LUOC_SEV_ERROR), 1);
	assert_true(tc_has_code(c, "LUO-FILE-003", -LUOC_EDUP));
	assert_true(tc_has_msg(c, "LUO-FILE-003", "also used by file 0"));
	assert_string_equal(first_of(c, "LUO-FILE-003")->where, "session[1].file[1]");
	tc_free(c);
	tb_free(t);
}

/* Names that fill the field, equal to its last byte: duplicates, sorted or pairwise. */
static void test_full_field_names(void **state)
{
	struct tu *u = tu_new("v7.0", NULL, 1 << 16);
	struct luoc_field name = u->c.p->sess_name;
	size_t stride = name.off + name.size;
	uint8_t *arr = calloc(3, stride);
	struct luoc_seq sq;

	(void)state;
	assert_non_null(arr);
	memset(arr + name.off, 'a', name.size);
	memset(arr + stride + name.off, 'b', name.size);
	memset(arr + 2 * stride + name.off, 'a', name.size);
	luoc_seq_area(&sq, arr, VB, stride, 3);
	luoc_unique_names(&u->c, LK_SESSION, "LUO-SESS-006", &sq, name, "session name");
	assert_int_equal(tc_count(&u->rec, "LUO-SESS-006", LUOC_SEV_ERROR), 1);
	assert_string_equal(u->rec.f[0].where, "session[2]");
	/* the same without a workspace */
	u->c.ws.lo = u->c.ws.hi = NULL;
	luoc_seq_area(&sq, arr, VB, stride, 3);
	luoc_unique_names(&u->c, LK_SESSION, "LUO-SESS-006", &sq, name, "session name");
	assert_int_equal(tc_count(&u->rec, "LUO-SESS-006", LUOC_SEV_ERROR), 2);
	assert_string_equal(u->rec.f[1].where, "session[2]");
	free(arr);
	tu_free(u);
}

/* Past 256 entries without a workspace: skipped, and said (once). */
static void test_unique_beyond_pairwise(void **state)
{
	struct tu *u = tu_new("v7.0", NULL, 0);
	size_t stride = u->c.p->file_area.entry_size;
	uint8_t *arr = calloc(257, stride);
	struct luoc_seq sq;

	(void)state;
	assert_non_null(arr);
	luoc_seq_area(&sq, arr, VB, stride, 257);
	luoc_unique_tokens(&u->c, 0, &sq);
	luoc_seq_area(&sq, arr, VB, stride, 257);
	luoc_unique_names(&u->c, LK_SESSION, "LUO-SESS-006", &sq, u->c.p->sess_name, "session name");
	/* every token is 0, every name empty: only the one warning */
	assert_int_equal(u->rec.n, 1);
	assert_string_equal(u->rec.f[0].req, "LUO-MEM-002");
	assert_int_equal(u->rec.f[0].code, -LUOC_ENOSPC);
	assert_non_null(strstr(u->rec.f[0].msg, "uniqueness check"));
	free(arr);
	tu_free(u);
}

/* ---- radix visited set: colliding node addresses ----------------------------- */

static uint64_t first_child(struct tb *t, uint64_t node)
{
	unsigned int i;

	for (i = 0; i < t->ps / 8; i++)
		if (tb_ld(t, node + i * 8ULL, 8))
			return tb_ld(t, node + i * 8ULL, 8);
	fail_msg("radix node 0x%llx is empty", (unsigned long long)node);
	return 0;
}

static uint64_t seen_hash(uint64_t phys, unsigned int log2)
{
	return ((phys >> 12) * 0x9e3779b97f4a7c15ULL) >> (64 - log2);
}

/*
 * Hundreds of nodes (the set grows from 512 to 2048 slots) and, under
 * the root's entry 0, a chain of empty nodes whose first page hashes to
 * the root's slot in both sizes: probed on insert and on rehash, and
 * still no finding.  Then the chain's last node points back at that
 * first node: found through the probe.
 */
static void test_radix_seen_collisions(void **state)
{
	struct tb_opts o = tc_opts("v7.1");
	const struct luoc_radix_geom *g;
	uint64_t n4, q, node;
	unsigned int k, l;
	struct tb *t;
	struct tc *c;

	(void)state;
	o.mem_pages = 4096;
	t = tb_build(&o);
	for (k = 0; k < 300; k++)
		tb_preserve(t, TB_BASE + ((uint64_t)(k + 1) << 27), 0);
	tb_finish(t);
	g = luoc_radix_geom(t->p, 12);
	n4 = tb_ld(t, t->kmap, 8);
	assert_true(n4 && !tb_ld(t, n4, 8));
	do
		q = tb_alloc(t, 0);
	while (seen_hash(q, 11) != seen_hash(t->kmap, 11));
	node = q;
	tb_st(t, n4, q, 8);
	for (l = g->depth - 3; l > 0; l--) {
		uint64_t next = tb_alloc(t, 0);

		tb_st(t, node, next, 8);
		node = next;
	}
	c = tc_run(t);
	tc_assert_clean(c);
	tc_free(c);
	/* a free entry of a level-1 node of the order-0 subtree (walked later) points at q */
	for (k = t->ps / 8; k-- > 0;)
		if ((node = tb_ld(t, t->kmap + k * 8ULL, 8)))
			break;
	for (l = g->depth - 2; l > 1; l--)
		node = first_child(t, node);
	for (k = 0; tb_ld(t, node + k * 8ULL, 8); k++)
		;
	tb_st(t, node + k * 8ULL, q, 8);
	c = tc_run(t);
	tc_assert_only(c, "LUO-KMAP-001");
	assert_true(tc_has_msg(c, "LUO-KMAP-001", "reached a second time"));
	tc_free(c);
	tb_free(t);
}

/* ---- visitors ---------------------------------------------------------------------- */

static void count_finding(void *ctx, const struct luoc_finding *f)
{
	(void)f;
	++*(unsigned int *)ctx;
}

static struct luoc_result check_with(struct tb *t, const struct luoc_visitor *vis)
{
	struct luoc_config cfg;
	struct luoc_mem mem;
	struct luoc_result res;
	void *ws;

	tb_config(t, &cfg, &mem);
	cfg.workspace_size = luoc_workspace_hint(t->size);
	ws = malloc(cfg.workspace_size);
	assert_non_null(ws);
	cfg.workspace = ws;
	assert_int_equal(luoc_check(&cfg, &mem, vis, &res), 0);
	free(ws);
	return res;
}

static void same_result(const struct luoc_result *a, const struct luoc_result *b)
{
	assert_int_equal(a->errors, b->errors);
	assert_int_equal(a->warnings, b->warnings);
	assert_int_equal(a->notes, b->notes);
	assert_int_equal(a->sessions, b->sessions);
	assert_int_equal(a->files, b->files);
	assert_int_equal(a->flbs, b->flbs);
	assert_true(a->folios == b->folios);
	assert_int_equal(a->outcome, b->outcome);
	assert_ptr_equal(a->profile, b->profile);
}

/*
 * What a check finds does not depend on which callbacks the visitor has:
 * the full recording visitor, findings only, a visitor with no callback
 * and no visitor give the same result, for a state with one defect.
 */
static void test_visitor_subsets(void **state)
{
	static const char *const profiles[] = { "series-v6", "v6.19", "v7.0", "v7.1", "v7.2" };
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++) {
		struct tb *t = tc_state(profiles[i]);
		const struct luoc_profile *p = t->p;
		struct luoc_visitor only = { .finding = count_finding }, none = { 0 };
		struct luoc_result r;
		unsigned int seen = 0;
		struct tc *c;

		tb_stf(t, tb_file(t, 0, 1), p->file_token, tb_ldf(t, tb_file(t, 0, 0), p->file_token));
		c = tc_run(t);
		assert_int_equal(tc_count(c, "LUO-FILE-003", LUOC_SEV_ERROR), 1);
		assert_true(c->res.folios > 0 && c->res.files > 0);
		only.ctx = &seen;
		r = check_with(t, &only);
		same_result(&r, &c->res);
		assert_int_equal(seen, c->n);
		r = check_with(t, &none);
		same_result(&r, &c->res);
		r = check_with(t, NULL);
		same_result(&r, &c->res);
		tc_free(c);
		tb_free(t);
	}
}

const struct CMUnitTest tc_cover_misc_tests[] = {
	cmocka_unit_test(test_visitor_subsets),
	cmocka_unit_test(test_chunk_start_misaligned),
	cmocka_unit_test(test_chunk_index_no_room),
	cmocka_unit_test(test_vmalloc_pages_two_chunks),
	cmocka_unit_test(test_tokens_pairwise),
	cmocka_unit_test(test_full_field_names),
	cmocka_unit_test(test_unique_beyond_pairwise),
	cmocka_unit_test(test_radix_seen_collisions),
};
const size_t tc_cover_misc_n = sizeof(tc_cover_misc_tests) / sizeof(tc_cover_misc_tests[0]);
