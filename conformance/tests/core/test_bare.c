// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * test_bare.c - one FDT as the whole input (luoc_config.input): the LUO
 * FDT or the KHO root alone.  The state is built whole, then map() serves
 * only the FDT's area, as a debugfs copy holds nothing else: the FDT's
 * own rules are checked, the memory it points at is never missed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>

#include "tcore.h"

struct window {
	struct tb *t;
	uint64_t lo, hi;
};

static const void *window_map(void *ctx, uint64_t phys, uint64_t len)
{
	const struct window *w = ctx;

	if (phys < w->lo || phys > w->hi || len > w->hi - phys)
		return NULL;
	return tb_map(w->t, phys, len);
}

/*
 * Check the FDT at 'at' (area 'bytes') of t alone, as 'input'; map() serves
 * that area, or with bytes 0 all of t's memory (the core must still read
 * only the FDT).
 */
static struct tc *bare(struct tb *t, enum luoc_input input, uint64_t at, uint64_t bytes,
		       const char *profile)
{
	struct tc *c = calloc(1, sizeof(*c));
	struct window w = { .t = t, .lo = bytes ? at : TB_BASE, .hi = bytes ? at + bytes : TB_BASE + t->size };
	struct luoc_mem mem = { .map = window_map, .ctx = &w };
	struct luoc_config cfg;
	struct luoc_mem whole;
	struct luoc_visitor vis;
	size_t ws = luoc_workspace_hint(bytes);

	assert_non_null(c);
	tb_config(t, &cfg, &whole);
	cfg.workspace = malloc(ws);
	cfg.workspace_size = ws;
	assert_non_null(cfg.workspace);
	cfg.input = input;
	cfg.kho_root = at;
	cfg.kho_root_size = input == LUOC_INPUT_KHO_FDT && bytes ? bytes : 0;
	cfg.profile = profile ? luoc_profile_find(profile) : NULL;
	tc_visitor(c, &vis);
	c->rc = luoc_check(&cfg, &mem, &vis, &c->res);
	free(cfg.workspace);
	assert_int_equal(c->rc, 0);
	return c;
}

static struct tc *bare_luo(struct tb *t, const char *profile)
{
	return bare(t, LUOC_INPUT_LUO_FDT, t->luo_fdt, (uint64_t)t->p->luo_fdt_pages * t->ps,
		    profile);
}

static struct tc *bare_kho(struct tb *t, const char *profile)
{
	return bare(t, LUOC_INPUT_KHO_FDT, t->kho_root, t->ps, profile);
}

static void bare_luo_valid(void **state)
{
	struct tb *t = tc_state("v7.0");
	struct tc *c = bare_luo(t, "v7.0");

	(void)state;
	tc_assert_clean(c);
	/* nothing behind the FDT was read: no session, nothing missing */
	assert_int_equal(c->res.sessions, 0);
	assert_int_equal(tc_count(c, "LUO-IMG-003", -1), 0);
	assert_int_equal(tc_count(c, "LUO-PROF-001", -1), 0);	/* v7.0 ties with v7.1 */
	assert_int_equal(c->res.outcome, LUOC_OUT_ACCEPT);
	tc_free(c);
	tb_free(t);
}

static void bare_luo_detect(void **state)
{
	struct tb *t = tc_state("v6.19");
	struct tc *c = bare_luo(t, NULL);

	(void)state;
	tc_assert_clean(c);
	assert_string_equal(c->res.profile->name, "v6.19");	/* no /luo-flb */
	assert_true(!strncmp(c->res.detect_reason, "bare LUO FDT, luo-session-v2, /luo-flb absent: v6.19",
			     60));
	tc_free(c);
	tb_free(t);
}

/* The session header address set to 'hdr': exactly LUO-SESS-003 with 'code'. */
static void header_finding(uint64_t hdr_off, bool from_brk, int code)
{
	struct tb *t = tc_state("v7.0");
	void *fdt = tb_fdt_edit(t, t->luo_fdt);
	struct tc *c;

	assert_int_equal(tb_fdt_setu64(t, fdt, fdt_path_offset(fdt, "/luo-session"),
				       t->p->sess_hdr_prop, (from_brk ? t->brk : 0) + hdr_off), 0);
	tb_fdt_done(t, t->luo_fdt);
	c = bare_luo(t, "v7.0");
	tc_assert_only(c, "LUO-SESS-003");
	assert_true(tc_has_code(c, "LUO-SESS-003", code));
	tc_free(c);
	tb_free(t);
}

/* The FDT's own defects are found without the memory (here: in free space). */
static void bare_luo_header_misaligned(void **state)
{
	(void)state;
	header_finding(64, true, -LUOC_EALIGN);
}

/* An address that wraps is a defect of the value itself: still reported. */
static void bare_luo_header_wraps(void **state)
{
	(void)state;
	header_finding(~0ULL << 12, false, -LUOC_ERANGE);
}

/* Given a profile the FDT matches less well than another: LUO-PROF-001. */
static void bare_luo_other_profile(void **state)
{
	struct tb *t = tc_state("v7.0");
	struct tc *c = bare_luo(t, "v6.19");

	(void)state;
	assert_int_equal(tc_count(c, "LUO-PROF-001", LUOC_SEV_NOTE), 1);
	tc_free(c);
	tb_free(t);
}

static void bare_kho_valid(void **state)
{
	struct tb *t = tc_state("v7.1");
	struct tc *c = bare_kho(t, NULL);

	(void)state;
	tc_assert_clean(c);
	assert_int_equal(c->n, 0);
	assert_true(!strncmp(c->res.detect_reason, "bare kho-v", 10));
	assert_int_equal(c->res.sessions, 0);
	tc_free(c);
	tb_free(t);
}

static void bare_kho_compat(void **state)
{
	struct tb *t = tc_state("v7.0");
	void *fdt = tb_fdt_edit(t, t->kho_root);
	struct tc *c;

	(void)state;
	assert_int_equal(fdt_setprop_string(fdt, 0, "compatible", "kho-v9"), 0);
	tb_fdt_done(t, t->kho_root);
	c = bare_kho(t, "v7.0");
	tc_assert_only(c, "LUO-KHO-002");
	tc_free(c);
	tb_free(t);
	/* detection: no profile has kho-v9, the closest is named as such */
	t = tc_state("v7.0");
	fdt = tb_fdt_edit(t, t->kho_root);
	assert_int_equal(fdt_setprop_string(fdt, 0, "compatible", "kho-v9"), 0);
	tb_fdt_done(t, t->kho_root);
	c = bare_kho(t, NULL);
	assert_non_null(strstr(c->res.detect_reason, "the KHO root string is unknown"));
	tc_free(c);
	tb_free(t);
}

/* Detection says which strings of a bare FDT differ from the closest profile. */
static void bare_detect_closest(void **state)
{
	const struct luoc_profile *s6 = luoc_profile_find("series-v6");
	struct tb *t = tc_state("v7.0");
	void *fdt = tb_fdt_edit(t, t->luo_fdt);
	struct tc *c;

	(void)state;
	/* series-v6's session string, and no /luo-flb, which series-v6 has */
	assert_int_equal(fdt_setprop_string(fdt, fdt_path_offset(fdt, "/luo-session"), "compatible",
					    s6->sess_compat), 0);
	assert_int_equal(fdt_del_node(fdt, fdt_path_offset(fdt, "/luo-flb")), 0);
	tb_fdt_done(t, t->luo_fdt);
	c = bare_luo(t, NULL);
	assert_string_equal(c->res.profile->name, "series-v6");
	assert_non_null(strstr(c->res.detect_reason, "(closest; differs in flb)"));
	tc_free(c);
	fdt = tb_fdt_edit(t, t->luo_fdt);
	assert_int_equal(fdt_del_node(fdt, fdt_path_offset(fdt, "/luo-session")), 0);
	tb_fdt_done(t, t->luo_fdt);
	c = bare_luo(t, NULL);
	assert_non_null(strstr(c->res.detect_reason, "no session node"));
	assert_non_null(strstr(c->res.detect_reason, "(closest; differs in session)"));
	tc_free(c);
	/* a KHO root without a compatible string */
	fdt = tb_fdt_edit(t, t->kho_root);
	assert_int_equal(fdt_delprop(fdt, 0, "compatible"), 0);
	tb_fdt_done(t, t->kho_root);
	c = bare_kho(t, NULL);
	assert_true(!strncmp(c->res.detect_reason, "bare unknown root: ", 19));
	tc_free(c);
	tb_free(t);
}

/* map() serving the whole state changes nothing: only the FDT is read. */
static void bare_reads_only_the_fdt(void **state)
{
	struct tb *t = tc_state("v7.0");
	struct tc *c = bare(t, LUOC_INPUT_LUO_FDT, t->luo_fdt, 0, "v7.0");

	(void)state;
	tc_assert_clean(c);
	assert_int_equal(c->res.sessions + c->res.files + c->res.flbs, 0);
	tc_free(c);
	c = bare(t, LUOC_INPUT_KHO_FDT, t->kho_root, 0, NULL);
	tc_assert_clean(c);
	assert_int_equal(c->res.sessions + c->res.files + c->res.flbs, 0);
	assert_true(!strncmp(c->res.detect_reason, "bare kho-v1 root: ", 18));
	tc_free(c);
	tb_free(t);
}

/* A bare KHO root's LUO address is checked as a value (LUO-MEM-003). */
static void bare_kho_luo_misaligned(void **state)
{
	struct tb *t = tc_state("v7.1");
	void *fdt = tb_fdt_edit(t, t->kho_root);
	struct tc *c;

	(void)state;
	assert_int_equal(tb_fdt_setu64(t, fdt, fdt_subnode_offset(fdt, 0, t->p->luo_entry),
				       t->p->kho_sub_addr_prop, t->luo_fdt + 64), 0);
	tb_fdt_done(t, t->kho_root);
	c = bare_kho(t, "v7.1");
	tc_assert_only(c, "LUO-MEM-003");
	tc_free(c);
	tb_free(t);
}

/* Detection of a bare KHO root does not miss the LUO blob it cannot read. */
static void bare_kho_detect_r(void **state)
{
	struct tb *t = tc_state("v7.0");
	struct window w = { .t = t, .lo = t->kho_root, .hi = t->kho_root + t->ps };
	struct luoc_mem mem = { .map = window_map, .ctx = &w };
	struct luoc_config cfg;
	struct luoc_mem whole;
	char buf[LUOC_REASON_MAX];
	const struct luoc_profile *p;

	(void)state;
	tb_config(t, &cfg, &whole);
	cfg.input = LUOC_INPUT_KHO_FDT;
	p = luoc_detect_r(&cfg, &mem, buf, sizeof(buf));
	assert_non_null(p);
	assert_string_equal(buf, "bare kho-v1 root: v7.0");
	tb_free(t);
}

/* A blob with the FDT magic that does not open is still read as an FDT. */
static void bare_luo_unreadable_detect(void **state)
{
	struct tb *t = tc_state("v7.0");
	struct tc *c;

	(void)state;
	((uint8_t *)tb_ptr(t, t->luo_fdt))[4] = 0x7f;	/* totalsize (big-endian) >= 2 GiB */
	c = bare_luo(t, NULL);
	assert_int_equal(c->res.profile->luo_form, LUOC_LUO_FDT);
	assert_true(tc_count(c, "LUO-FDT-001", LUOC_SEV_ERROR) >= 1);
	tc_free(c);
	tb_free(t);
}

/*
 * A bare FDT that map() does not serve is missing, not silent; one at the
 * top of the address space has a window that ends there.
 */
static void bare_fdt_absent(void **state)
{
	struct tb *t = tc_state("v7.0");
	struct tc *c = bare(t, LUOC_INPUT_LUO_FDT, ~0ULL << 12, 1, "v7.0");

	(void)state;
	tc_assert_only(c, "LUO-IMG-003");
	tc_free(c);
	c = bare(t, LUOC_INPUT_KHO_FDT, TB_BASE + t->size, t->ps, "v7.0");
	tc_assert_only(c, "LUO-KHO-001");
	tc_free(c);
	tb_free(t);
}

/* luo-v5 has no LUO FDT: a bare blob is read as struct luo_ser, nothing past it. */
static void bare_luo_ser(void **state)
{
	struct tb *t = tc_state("v7.2");
	struct tc *c = bare(t, LUOC_INPUT_LUO_FDT, t->luo_fdt, t->p->ser_size, "v7.2");

	(void)state;
	tc_assert_clean(c);
	assert_int_equal(c->res.sessions, 0);
	tc_free(c);
	/* detection reads it as what it is */
	c = bare(t, LUOC_INPUT_LUO_FDT, t->luo_fdt, t->p->ser_size, NULL);
	assert_string_equal(c->res.profile->name, "v7.2");
	assert_true(!strncmp(c->res.detect_reason, "bare, luo_ser \"luo-v5\"", 22));
	tc_free(c);
	tb_free(t);
}

static void bare_input_invalid(void **state)
{
	struct tb *t = tc_state("v7.0");
	struct luoc_config cfg;
	struct luoc_mem mem;
	struct luoc_result res;
	char buf[LUOC_REASON_MAX];

	(void)state;
	tb_config(t, &cfg, &mem);
	cfg.input = (enum luoc_input)(LUOC_INPUT_LUO_FDT + 1);
	assert_int_equal(luoc_check(&cfg, &mem, NULL, &res), -LUOC_EINVAL);
	assert_null(luoc_detect_r(&cfg, &mem, buf, sizeof(buf)));
	tb_free(t);
}

const struct CMUnitTest tc_bare_tests[] = {
	cmocka_unit_test(bare_luo_valid),
	cmocka_unit_test(bare_luo_detect),
	cmocka_unit_test(bare_luo_header_misaligned),
	cmocka_unit_test(bare_luo_header_wraps),
	cmocka_unit_test(bare_luo_other_profile),
	cmocka_unit_test(bare_kho_valid),
	cmocka_unit_test(bare_kho_compat),
	cmocka_unit_test(bare_detect_closest),
	cmocka_unit_test(bare_reads_only_the_fdt),
	cmocka_unit_test(bare_kho_luo_misaligned),
	cmocka_unit_test(bare_kho_detect_r),
	cmocka_unit_test(bare_luo_unreadable_detect),
	cmocka_unit_test(bare_fdt_absent),
	cmocka_unit_test(bare_luo_ser),
	cmocka_unit_test(bare_input_invalid),
};
const size_t tc_bare_n = sizeof(tc_bare_tests) / sizeof(tc_bare_tests[0]);
