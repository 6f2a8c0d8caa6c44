// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * test_ref.c - unit tests of the reference implementation: round trips in
 * every profile, page size and byte order; the outcome of each injected
 * defect against the profile's incoming table; the memory-callback form of
 * restore; and a seeded mutation fuzzer that must never crash the reader
 * or make it end in anything but a defined outcome (LUO-PROF-102).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libfdt.h>

#include "ref.h"
#include "state.h"
#include "luoc_image.h"

#ifndef FUZZ_ITERATIONS
#define FUZZ_ITERATIONS 1500
#endif

static char tmpdir[256];

static void tmp_image(char *buf, size_t len, const char *tag)
{
	static unsigned int n;

	snprintf(buf, len, "%s/%u-%s.img", tmpdir, ++n, tag);
}

/* --- a state with a bit of everything ---------------------------------------- */

struct tstate {
	struct luoc_state st;
	struct luoc_st_session sess[2];
	struct luoc_st_file files[3];
	struct luoc_st_folio folios[3];
	struct luoc_st_flb flbs[2];
};

/* FLBs: a /luo-flb node, or luo-v5's FLB page. */
static bool has_flb(const struct luoc_profile *p)
{
	return p->flb_node || p->luo_form == LUOC_LUO_RAW;
}

static void make_state(struct tstate *t, const struct luoc_profile *p, uint64_t ps)
{
	memset(t, 0, sizeof(*t));
	t->st.liveupdate_number = 2;
	t->st.n_sessions = 2;
	t->st.sessions = t->sess;
	t->sess[0].name = "vm-one";
	t->sess[0].n_files = 2;
	t->sess[0].files = t->files;
	t->sess[1].name = "a-name-longer-than-sixty-three-bytes-which-the-kernel-truncates-at-63";
	t->sess[1].n_files = 1;
	t->sess[1].files = &t->files[2];
	t->files[0].is_memfd = true;
	t->files[0].token = 11;
	t->files[0].memfd.size = 9 * ps + 77;
	t->files[0].memfd.pos = 4096;	/* any position, not a page */
	t->files[0].memfd.seals = 0x5;
	t->files[0].memfd.content = LUOC_CONTENT_PATTERN;
	t->files[0].memfd.pattern = 99;
	t->files[0].memfd.n_folios = 3;
	t->files[0].memfd.folios = t->folios;
	t->folios[0] = (struct luoc_st_folio){ 0, 2, 3 };
	t->folios[1] = (struct luoc_st_folio){ 4, 1, 1 };
	t->folios[2] = (struct luoc_st_folio){ 8, 1, 2 };	/* pages 6-7 are a hole */
	t->files[1].is_memfd = true;
	t->files[1].token = 12;
	t->files[2].is_memfd = true;
	t->files[2].token = 13;
	t->files[2].memfd.size = 3;
	t->files[2].memfd.content = LUOC_CONTENT_PATTERN;
	t->files[2].memfd.pattern = 5;
	if (has_flb(p)) {
		t->st.n_flbs = 2;
		t->st.flbs = t->flbs;
		t->flbs[0] = (struct luoc_st_flb){ "iommu-v1", 77, 2 };
		t->flbs[1] = (struct luoc_st_flb){ "kvm-v1", 0, 0 };
	}
}

static const struct luoc_st_session *find_session(const struct luoc_state *st, const char *name)
{
	uint32_t i;

	for (i = 0; i < st->n_sessions; i++)
		if (!strcmp(st->sessions[i].name, name))
			return &st->sessions[i];
	return NULL;
}

static void check_roundtrip(const char *profile, uint32_t ps, bool be)
{
	const struct luoc_profile *p = ref_profile(profile);
	struct luoc_preserve_opts o = { .page_size = ps, .big_endian = be, .seed = ps + be };
	struct luoc_restore_in in = { 0 };
	struct luoc_restore_out out;
	const struct luoc_st_session *s;
	struct tstate t;
	char path[512], err[256];
	uint8_t want[32];
	uint32_t i;

	assert_non_null(p);
	make_state(&t, p, ps);
	tmp_image(path, sizeof(path), profile);
	assert_int_equal(ref_preserve(profile, &t.st, &o, 0, path, err, sizeof(err)), 0);
	in.image_path = path;
	assert_int_equal(ref_restore(profile, &in, 0, &out), 0);
	if (out.verdict != LUOC_VERDICT_ACCEPT)
		fail_msg("%s: refused: %s (%s)", profile, out.message, out.req);
	assert_int_equal(out.state.liveupdate_number, 2);
	assert_int_equal(out.state.n_sessions, 2);
	assert_int_equal(out.state.n_flbs, has_flb(p) ? 2 : 0);
	s = find_session(&out.state, "vm-one");
	assert_non_null(s);
	assert_int_equal(s->n_files, 2);
	assert_string_equal(s->files[0].compatible, p->memfd->compat);
	assert_int_equal(s->files[0].token, 11);
	assert_int_equal(s->files[0].memfd.size, t.files[0].memfd.size);
	assert_int_equal(s->files[0].memfd.pos, 4096);
	assert_int_equal(s->files[0].memfd.seals, p->memfd->all_seals ? 0x5 : 0);
	assert_int_equal(s->files[0].memfd.n_folios, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(s->files[0].memfd.folios[i].index, t.folios[i].index);
		assert_int_equal(s->files[0].memfd.folios[i].order, t.folios[i].order);
		assert_int_equal(s->files[0].memfd.folios[i].flags, t.folios[i].flags);
	}
	/* content, with the hole, as the abstract state says */
	assert_int_equal(luoc_memfd_digest(&t.files[0].memfd, ps, want), 0);
	assert_true(s->files[0].memfd.has_digest);
	assert_memory_equal(s->files[0].memfd.sha256, want, 32);
	assert_int_equal(s->files[1].memfd.size, 0);
	assert_int_equal(s->files[1].memfd.n_folios, 0);
	/* the kernel keeps the first 63 bytes of a session name */
	s = &out.state.sessions[!strcmp(out.state.sessions[0].name, "vm-one")];
	assert_int_equal(strlen(s->name), 63);
	assert_memory_equal(s->name, t.sess[1].name, 63);
	assert_int_equal(s->files[0].memfd.n_folios, 1);
	if (has_flb(p)) {
		assert_string_equal(out.state.flbs[0].name, "iommu-v1");
		assert_int_equal(out.state.flbs[0].data, 77);
		assert_int_equal(out.state.flbs[0].count, 2);
	}
	ref_restore_free(&out);
	unlink(path);
}

static void roundtrip_all(void **unused)
{
	static const char *const prof[] = { "series-v6", "v6.19", "v7.0", "v7.1", "v7.2" };
	size_t i;

	(void)unused;
	for (i = 0; i < 5; i++)
		check_roundtrip(prof[i], 4096, false);
}

static void roundtrip_page_sizes(void **unused)
{
	static const char *const prof[] = { "series-v6", "v6.19", "v7.0", "v7.1", "v7.2" };
	size_t i;

	(void)unused;
	for (i = 0; i < 5; i++) {
		check_roundtrip(prof[i], 16384, false);
		check_roundtrip(prof[i], 65536, false);
	}
}

static void roundtrip_big_endian(void **unused)
{
	(void)unused;
	check_roundtrip("series-v6", 4096, true);
	check_roundtrip("v7.0", 4096, true);
	check_roundtrip("v7.1", 16384, true);
	check_roundtrip("v7.2", 4096, true);
}

/* --- defects and cross-profile states ------------------------------------------ */

static void expect(const char *writer, unsigned int wdef, const char *reader, unsigned int rdef,
		   enum luoc_verdict v, enum luoc_outcome o, const char *req)
{
	const struct luoc_profile *p = ref_profile(writer);
	struct luoc_preserve_opts opts = { .page_size = 4096 };
	struct luoc_restore_in in = { 0 };
	struct luoc_restore_out out;
	struct tstate t;
	char path[512], err[256];

	make_state(&t, p, 4096);
	t.sess[1].name = (wdef & REF_DEF_DUP_SESSION) ? "other" : t.sess[1].name;
	tmp_image(path, sizeof(path), "defect");
	assert_int_equal(ref_preserve(writer, &t.st, &opts, wdef, path, err, sizeof(err)), 0);
	in.image_path = path;
	assert_int_equal(ref_restore(reader, &in, rdef, &out), 0);
	if (out.verdict != v || out.outcome != o || (req && strcmp(out.req, req)))
		fail_msg("%s (defect %#x) -> %s: %s %s (%s), expected %s %s", writer, wdef, reader,
			 out.verdict == LUOC_VERDICT_ACCEPT ? "accept" : "reject",
			 luoc_adapter_outcome_name(out.outcome), out.req,
			 v == LUOC_VERDICT_ACCEPT ? "accept" : "reject", req ? req : "");
	ref_restore_free(&out);
	unlink(path);
}

#define REJ LUOC_VERDICT_REJECT
#define ACC LUOC_VERDICT_ACCEPT

static void cross_profile(void **unused)
{
	(void)unused;
	/* hazard 1: same strings, the v7.0 reader needs /luo-flb */
	expect("v6.19", 0, "v7.0", 0, REJ, LUOC_OUT_PANIC, "LUO-FLB-001");
	expect("v6.19", 0, "v7.1", 0, REJ, LUOC_OUT_FRESH_START, "LUO-KHO-002");
	/* hazard 2: kho-v1 to kho-v3 and back */
	expect("v7.0", 0, "v7.1", 0, REJ, LUOC_OUT_FRESH_START, "LUO-KHO-002");
	expect("v7.1", 0, "v7.0", 0, REJ, LUOC_OUT_FRESH_START, "LUO-KHO-002");
	expect("series-v6", 0, "v6.19", 0, REJ, LUOC_OUT_PANIC, "LUO-SESS-002");
	expect("v6.19", 0, "series-v6", 0, REJ, LUOC_OUT_ENOENT, "LUO-SESS-002");
	/* hazard 7: luo-v1 and luo-v5 meet at different KHO strings */
	expect("v7.1", 0, "v7.2", 0, REJ, LUOC_OUT_FRESH_START, "LUO-KHO-002");
	expect("v7.2", 0, "v7.1", 0, REJ, LUOC_OUT_FRESH_START, "LUO-KHO-002");
	expect("series-v6", 0, "v7.2", 0, REJ, LUOC_OUT_FRESH_START, "LUO-KHO-002");
}

static void writer_defects(void **unused)
{
	(void)unused;
	expect("v7.0", REF_DEF_NO_FLB, "v7.0", 0, REJ, LUOC_OUT_PANIC, "LUO-FLB-001");
	expect("series-v6", REF_DEF_NO_FLB, "series-v6", 0, REJ, LUOC_OUT_ENOENT, "LUO-FLB-001");
	expect("v7.0", REF_DEF_LUO_COMPAT, "v7.0", 0, REJ, LUOC_OUT_PANIC, "LUO-FDT-002");
	expect("series-v6", REF_DEF_LUO_COMPAT, "series-v6", 0, REJ, LUOC_OUT_ENOENT, "LUO-FDT-002");
	expect("v7.1", REF_DEF_NO_NUMBER, "v7.1", 0, REJ, LUOC_OUT_PANIC, "LUO-FDT-003");
	expect("v6.19", REF_DEF_SESS_COMPAT, "v6.19", 0, REJ, LUOC_OUT_PANIC, "LUO-SESS-002");
	expect("v7.1", REF_DEF_KHO_COMPAT, "v7.1", 0, REJ, LUOC_OUT_FRESH_START, "LUO-KHO-002");
	expect("v7.0", REF_DEF_DUP_SESSION, "v7.0", 0, REJ, LUOC_OUT_EIO, "LUO-SESS-006");
	expect("series-v6", REF_DEF_DUP_SESSION, "series-v6", 0, REJ, LUOC_OUT_RETRIEVE_ERROR,
	       "LUO-SESS-006");
	/* unchecked by the kernels: refused at the stage it is found */
	expect("v7.0", REF_DEF_FOLIO_UNPRES, "v7.0", 0, REJ, LUOC_OUT_RETRIEVE_ERROR, "LUO-KMAP-002");
	expect("v7.1", REF_DEF_SEALS, "v7.1", 0, REJ, LUOC_OUT_RETRIEVE_ERROR, "LUO-MEMFD-006");
	/* tolerated by the kernels, refused by a conformant reader (LUO-SESS-103) */
	expect("v7.0", REF_DEF_NAME_NO_NUL, "v7.0", 0, REJ, LUOC_OUT_EIO, "LUO-SESS-005");
	/* values in the wrong byte order lose the KHO map: no memory is revived */
	expect("v7.0", REF_DEF_BE_U64, "v7.0", 0, REJ, LUOC_OUT_FRESH_START, NULL);
	/* luo-v5: the root structure and the sessions in chains */
	expect("v7.2", REF_DEF_LUO_COMPAT, "v7.2", 0, REJ, LUOC_OUT_PANIC, "LUO-SER-002");
	expect("v7.2", REF_DEF_NO_NUMBER, "v7.2", 0, REJ, LUOC_OUT_PANIC, "LUO-SER-003");
	expect("v7.2", REF_DEF_DUP_SESSION, "v7.2", 0, REJ, LUOC_OUT_EIO, "LUO-SESS-006");
	expect("v7.2", REF_DEF_KHO_COMPAT, "v7.2", 0, REJ, LUOC_OUT_FRESH_START, "LUO-KHO-002");
	expect("v7.2", REF_DEF_SEALS, "v7.2", 0, REJ, LUOC_OUT_RETRIEVE_ERROR, "LUO-MEMFD-006");
	/* flbs_pa 0 is "no FLBs", not an error */
	expect("v7.2", REF_DEF_NO_FLB, "v7.2", 0, ACC, LUOC_OUT_ACCEPT, NULL);
}

static void broken_reader(void **unused)
{
	(void)unused;
	/* the defect the any-compat sample carries: a wrong root string passes */
	expect("v7.0", REF_DEF_LUO_COMPAT, "v7.0", REF_DEF_ANY_COMPAT, ACC, LUOC_OUT_ACCEPT, NULL);
	expect("v7.2", REF_DEF_LUO_COMPAT, "v7.2", REF_DEF_ANY_COMPAT, ACC, LUOC_OUT_ACCEPT, NULL);
}

static void preserve_refuses_bad_states(void **unused)
{
	struct luoc_preserve_opts o = { .page_size = 4096 };
	struct tstate t;
	char path[512], err[256];

	(void)unused;
	tmp_image(path, sizeof(path), "bad");
	make_state(&t, ref_profile("v7.0"), 4096);
	/* v6.19 has no FLB node to put FLBs into */
	assert_int_not_equal(ref_preserve("v6.19", &t.st, &o, 0, path, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "FLB"));
	make_state(&t, ref_profile("v6.19"), 4096);
	t.files[1].token = 11;	/* a token twice in one session */
	assert_int_not_equal(ref_preserve("v6.19", &t.st, &o, 0, path, err, sizeof(err)), 0);
	make_state(&t, ref_profile("v6.19"), 4096);
	t.folios[1].index = 3;	/* overlaps the order-2 folio at 0 */
	assert_int_not_equal(ref_preserve("v6.19", &t.st, &o, 0, path, err, sizeof(err)), 0);
	o.page_size = 8192;
	make_state(&t, ref_profile("v6.19"), 4096);
	assert_int_not_equal(ref_preserve("v6.19", &t.st, &o, 0, path, err, sizeof(err)), 0);
	assert_int_not_equal(ref_preserve("v9.9", &t.st, &o, 0, path, err, sizeof(err)), 0);
	unlink(path);
}

/* --- memory callback and fuzzing ------------------------------------------------ */

struct seg {
	uint64_t phys, len;
	uint8_t *buf;
};

struct mem {
	struct seg seg[64];
	unsigned int n;
	uint64_t root, root_size;
	uint32_t ps;
	bool be;
};

static const void *mem_map(void *ctx, uint64_t phys, uint64_t len)
{
	struct mem *m = ctx;
	unsigned int i;

	for (i = 0; i < m->n; i++)
		if (phys >= m->seg[i].phys && len <= m->seg[i].len &&
		    phys - m->seg[i].phys <= m->seg[i].len - len)
			return m->seg[i].buf + (phys - m->seg[i].phys);
	return NULL;
}

/* Load an image's memory into private buffers (adjacent segments merged). */
static void load_mem(const char *path, struct mem *m)
{
	struct luoc_image *img;
	const struct luoc_image_info *info;
	uint64_t phys, len;
	unsigned int i;
	char err[200];

	memset(m, 0, sizeof(*m));
	assert_int_equal(luoc_image_open(path, &img, err, sizeof(err)), 0);
	info = luoc_image_info(img);
	m->root = info->kho_root;
	m->root_size = info->kho_root_size;
	m->ps = info->page_size;
	m->be = info->big_endian;
	for (i = 0; luoc_image_segment(img, i, &phys, &len); i++) {
		struct seg *s = m->n ? &m->seg[m->n - 1] : NULL;
		const void *src = luoc_image_map(img, phys, len);

		assert_non_null(src);
		if (s && s->phys + s->len == phys) {
			s->buf = realloc(s->buf, s->len + len);
			memcpy(s->buf + s->len, src, len);
			s->len += len;
			continue;
		}
		assert_true(m->n < 64);
		s = &m->seg[m->n++];
		s->phys = phys;
		s->len = len;
		s->buf = malloc(len);
		memcpy(s->buf, src, len);
	}
	luoc_image_close(img);
}

static void free_mem(struct mem *m)
{
	unsigned int i;

	for (i = 0; i < m->n; i++)
		free(m->seg[i].buf);
}

static void restore_mem(const char *profile, struct mem *m, struct luoc_restore_out *out)
{
	struct luoc_restore_in in = {
		.map = mem_map, .map_ctx = m, .kho_root = m->root, .kho_root_size = m->root_size,
		.page_size = m->ps, .big_endian = m->be,
	};

	assert_int_equal(ref_restore(profile, &in, 0, out), 0);
}

static void memory_callback(void **unused)
{
	const struct luoc_profile *p = ref_profile("v7.1");
	struct luoc_preserve_opts o = { .page_size = 4096 };
	struct luoc_restore_in in = { 0 };
	struct luoc_restore_out a, b;
	struct tstate t;
	struct mem m;
	char path[512], err[256];

	(void)unused;
	make_state(&t, p, 4096);
	tmp_image(path, sizeof(path), "mem");
	assert_int_equal(ref_preserve("v7.1", &t.st, &o, 0, path, err, sizeof(err)), 0);
	in.image_path = path;
	assert_int_equal(ref_restore("v7.1", &in, 0, &a), 0);
	load_mem(path, &m);
	restore_mem("v7.1", &m, &b);
	assert_int_equal(a.verdict, LUOC_VERDICT_ACCEPT);
	assert_int_equal(b.verdict, LUOC_VERDICT_ACCEPT);
	assert_int_equal(luoc_state_compare(&a.state, &b.state, LUOC_CMP_FOLIOS, err, sizeof(err)),
			 LUOC_CMP_EQUAL);
	ref_restore_free(&a);
	ref_restore_free(&b);
	free_mem(&m);
	unlink(path);
}

/* --- luo-v5 reader rules on edited memory -------------------------------------------- */

struct raw {
	struct mem m;
	const struct luoc_profile *p;
	uint8_t *kho, *ser, *sblk;
	int luo_node;
};

static void raw_load(struct raw *x, const char *path)
{
	const void *v;
	int len;

	x->p = ref_profile("v7.2");
	load_mem(path, &x->m);
	x->kho = (uint8_t *)mem_map(&x->m, x->m.root, x->m.ps);
	assert_non_null(x->kho);
	x->luo_node = fdt_subnode_offset(x->kho, 0, x->p->luo_entry);
	assert_true(x->luo_node >= 0);
	v = fdt_getprop(x->kho, x->luo_node, x->p->kho_sub_addr_prop, &len);
	assert_non_null(v);
	x->ser = (uint8_t *)mem_map(&x->m, ref_ld(v, 8, x->m.be), x->p->ser_size);
	assert_non_null(x->ser);
	x->sblk = (uint8_t *)mem_map(&x->m, ref_ldf(x->ser, x->p->ser_sessions, x->m.be), x->m.ps);
	assert_non_null(x->sblk);
}

static void raw_expect(struct raw *x, enum luoc_verdict v, enum luoc_outcome o, const char *req)
{
	struct luoc_restore_out out;

	restore_mem("v7.2", &x->m, &out);
	if (out.verdict != v || out.outcome != o || (req && strcmp(out.req, req)))
		fail_msg("v7.2: %s %s (%s: %s), expected %s %s", out.verdict == ACC ? "accept" : "reject",
			 luoc_adapter_outcome_name(out.outcome), out.req, out.message,
			 v == ACC ? "accept" : "reject", req ? req : "");
	ref_restore_free(&out);
	free_mem(&x->m);
}

static void raw_reader(void **unused)
{
	const struct luoc_profile *p = ref_profile("v7.2");
	struct luoc_preserve_opts o = { .page_size = 4096 };
	const struct luoc_area *sa = &p->sess_area;
	uint8_t *e;
	uint64_t v;
	struct tstate t;
	struct raw x;
	char path[512], err[256];

	(void)unused;
	make_state(&t, p, 4096);
	tmp_image(path, sizeof(path), "raw");
	assert_int_equal(ref_preserve("v7.2", &t.st, &o, 0, path, err, sizeof(err)), 0);

	/* LUO-SER-101: a blob-size larger than struct luo_ser is accepted */
	raw_load(&x, path);
	ref_st(&v, 8, 4096, x.m.be);
	assert_int_equal(fdt_setprop_inplace(x.kho, x.luo_node, p->kho_sub_size_prop, &v, 8), 0);
	raw_expect(&x, ACC, LUOC_OUT_ACCEPT, NULL);
	/* ... and a smaller one refused */
	raw_load(&x, path);
	ref_st(&v, 8, p->ser_size - 1, x.m.be);
	assert_int_equal(fdt_setprop_inplace(x.kho, x.luo_node, p->kho_sub_size_prop, &v, 8), 0);
	raw_expect(&x, REJ, LUOC_OUT_PANIC, "LUO-SER-001");
	/* LUO-SER-102: the whole 8-byte field, bytes after the NUL included */
	raw_load(&x, path);
	x.ser[p->ser_compat.off + 7] = 'X';
	raw_expect(&x, REJ, LUOC_OUT_PANIC, "LUO-SER-002");
	/* LUO-SER-103: 0 means none */
	raw_load(&x, path);
	ref_stf(x.ser, p->ser_sessions, 0, x.m.be);
	ref_stf(x.ser, p->ser_flbs, 0, x.m.be);
	raw_expect(&x, ACC, LUOC_OUT_ACCEPT, NULL);
	/* LUO-BLK-101: a block linked to itself; a count of 0 */
	raw_load(&x, path);
	ref_stf(x.sblk, sa->hdr_next, ref_ldf(x.ser, p->ser_sessions, x.m.be), x.m.be);
	raw_expect(&x, REJ, LUOC_OUT_PANIC, "LUO-BLK-002");
	raw_load(&x, path);
	ref_stf(x.sblk, sa->hdr_count, 0, x.m.be);
	raw_expect(&x, REJ, LUOC_OUT_PANIC, "LUO-BLK-003");
	/* LUO-BLK-102: a block address that is not page aligned */
	raw_load(&x, path);
	ref_stf(x.ser, p->ser_sessions, ref_ldf(x.ser, p->ser_sessions, x.m.be) + 64, x.m.be);
	raw_expect(&x, REJ, LUOC_OUT_PANIC, "LUO-BLK-001");
	/* LUO-BLK-103: the file count differs from the chain's entries */
	raw_load(&x, path);
	e = x.sblk + sa->hdr_size;
	ref_stf(e, p->sess_count, ref_ldf(e, p->sess_count, x.m.be) + 1, x.m.be);
	raw_expect(&x, REJ, LUOC_OUT_EIO, "LUO-BLK-006");
	unlink(path);
}

static uint64_t rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* A u64 a hostile writer would try: 0, ~0, an address in the image, just off one. */
static uint64_t nasty(uint64_t *r, const struct mem *m)
{
	const struct seg *s = &m->seg[rnd(r) % m->n];
	uint64_t in = s->phys + (rnd(r) % s->len) / m->ps * m->ps;

	switch (rnd(r) % 6) {
	case 0: return 0;
	case 1: return ~0ull;
	case 2: return in;
	case 3: return in + 1;
	case 4: return rnd(r) % 2000;
	default: return rnd(r);
	}
}

static void fuzz_profile(const char *profile, uint64_t seed)
{
	const struct luoc_profile *p = ref_profile(profile);
	struct luoc_preserve_opts o = { .page_size = 4096 };
	unsigned int it, accepted = 0, refused = 0;
	struct tstate t;
	struct mem m;
	char path[512], err[256];
	uint64_t r = seed;

	make_state(&t, p, 4096);
	tmp_image(path, sizeof(path), "fuzz");
	assert_int_equal(ref_preserve(profile, &t.st, &o, 0, path, err, sizeof(err)), 0);
	for (it = 0; it < FUZZ_ITERATIONS; it++) {
		struct luoc_restore_out out;
		unsigned int k, nmut = 1 + (unsigned int)(rnd(&r) % 4);

		load_mem(path, &m);
		for (k = 0; k < nmut; k++) {
			/*
			 * The KHO root, the LUO FDT and the start of the session
			 * area are the first pages of the first segment: aim
			 * there often, elsewhere sometimes.
			 */
			struct seg *s = &m.seg[rnd(&r) % 2 ? 0 : rnd(&r) % m.n];
			uint64_t off = rnd(&r) % s->len;

			if (s == &m.seg[0] && rnd(&r) % 2)
				off = ((rnd(&r) % 8) * m.ps + rnd(&r) % 384) % s->len;

			if (rnd(&r) % 2 && off + 8 <= s->len)
				ref_st(s->buf + (off & ~7ull), 8, nasty(&r, &m), m.be);
			else
				s->buf[off] ^= (uint8_t)(1u << (rnd(&r) % 8));
		}
		restore_mem(profile, &m, &out);
		if (out.verdict == LUOC_VERDICT_ACCEPT) {
			accepted++;
		} else {
			refused++;
			if (out.outcome == LUOC_OUT_ACCEPT || out.outcome == LUOC_OUT_UNDEFINED)
				fail_msg("%s: iteration %u: refusal without a defined outcome", profile, it);
		}
		ref_restore_free(&out);
		free_mem(&m);
	}
	print_message("# fuzz %s: %u iterations, %u accepted, %u refused\n", profile, it, accepted,
		      refused);
	/* mutations must reach the checks, not only bytes nobody reads */
	assert_true(refused > FUZZ_ITERATIONS / 5 && accepted > 0);
	unlink(path);
}

static void fuzz(void **unused)
{
	(void)unused;
	fuzz_profile("series-v6", 1);
	fuzz_profile("v6.19", 2);
	fuzz_profile("v7.0", 3);
	fuzz_profile("v7.1", 4);
	fuzz_profile("v7.2", 5);
}

static int setup(void **unused)
{
	const char *t = getenv("TMPDIR");

	(void)unused;
	snprintf(tmpdir, sizeof(tmpdir), "%s/luoc-ref-test-XXXXXX", t && t[0] ? t : "/tmp");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **unused)
{
	(void)unused;
	return rmdir(tmpdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(roundtrip_all),
		cmocka_unit_test(roundtrip_page_sizes),
		cmocka_unit_test(roundtrip_big_endian),
		cmocka_unit_test(cross_profile),
		cmocka_unit_test(writer_defects),
		cmocka_unit_test(broken_reader),
		cmocka_unit_test(preserve_refuses_bad_states),
		cmocka_unit_test(memory_callback),
		cmocka_unit_test(raw_reader),
		cmocka_unit_test(fuzz),
	};

	return cmocka_run_group_tests_name("ref", tests, setup, teardown);
}
