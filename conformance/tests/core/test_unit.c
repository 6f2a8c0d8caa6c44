// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * test_unit.c - the core's small parts and its API edges: formatter,
 * heapsort, profile and outcome lookups, configuration errors, workspace
 * exhaustion (LUOC_ENOSPC), outcome folding, profile mismatch notes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tcore.h"
#include "luoc_int.h"
#include <libfdt.h>

static void test_fmt(void **s)
{
	char buf[64];
	size_t n;

	(void)s;
	n = luoc_snprintf(buf, sizeof(buf), "%s=%u/%d 0x%llx %llu %zu %c%%", "a", 42u, -7,
			  0xdeadbeefcafeULL, 18446744073709551615ULL, (size_t)9, 'z');
	assert_string_equal(buf, "a=42/-7 0xdeadbeefcafe 18446744073709551615 9 z%");
	assert_int_equal(n, strlen(buf));
	n = luoc_snprintf(buf, 8, "%s", "0123456789");
	assert_string_equal(buf, "0123456");
	assert_int_equal(n, 10);
	{
		/* not a literal: the compiler must not judge what the core tolerates */
		const char *volatile fmt = "%s %q";

		luoc_snprintf(buf, sizeof(buf), fmt, (const char *)NULL);
	}
	assert_string_equal(buf, "(null) %q");
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void test_heapsort(void **s)
{
	uint64_t v[1000], w[1000];
	unsigned int i, seed = 1;

	(void)s;
	for (i = 0; i < 1000; i++) {
		seed = seed * 1103515245u + 12345u;
		v[i] = w[i] = seed % 97;
	}
	luoc_heapsort(v, 1000, sizeof(v[0]), cmp_u64);
	qsort(w, 1000, sizeof(w[0]), cmp_u64);
	assert_memory_equal(v, w, sizeof(v));
	luoc_heapsort(v, 1000, sizeof(v[0]), cmp_u64);	/* sorted input stays */
	assert_memory_equal(v, w, sizeof(v));
}

static void test_profiles(void **s)
{
	static const char *const names[] = { "series-v6", "v6.19", "v7.0", "v7.1", "v7.2" };
	unsigned int i;

	(void)s;
	for (i = 0; i < 5; i++) {
		const struct luoc_profile *p = luoc_profile_find(names[i]);

		assert_non_null(p);
		assert_string_equal(p->name, names[i]);
		assert_int_equal(p->luo_form, i < 4 ? LUOC_LUO_FDT : LUOC_LUO_RAW);
	}
	assert_null(luoc_profile_find("v7.3"));
	assert_int_equal(luoc_outcome_for(luoc_profile_find("v7.2"), "LUO-BLK-002"), LUOC_OUT_PANIC);
	assert_int_equal(luoc_outcome_for(luoc_profile_find("v7.2"), "LUO-BLK-004"), LUOC_OUT_EIO);
	assert_null(luoc_profile_find(NULL));
	assert_int_equal(luoc_outcome_for(luoc_profile_find("v7.0"), "LUO-FLB-001"), LUOC_OUT_PANIC);
	assert_int_equal(luoc_outcome_for(luoc_profile_find("v6.19"), "LUO-SESS-006"), LUOC_OUT_EIO);
	assert_int_equal(luoc_outcome_for(luoc_profile_find("v7.1"), "LUO-NOPE-99"), /* not an ID */
			 luoc_profile_find("v7.1")->out_default);
	assert_string_equal(luoc_outcome_name(LUOC_OUT_PANIC), "panic");
	assert_string_equal(luoc_outcome_name(LUOC_OUT_FRESH_START), "fresh-start");
	assert_string_equal(luoc_outcome_name((enum luoc_outcome)99), "?");
	assert_string_equal(luoc_strerror(-LUOC_ELOOP), luoc_strerror(LUOC_ELOOP));
	assert_string_equal(luoc_strerror(-1000), "unknown error");
}

static void test_bad_config(void **s)
{
	struct tb *t = tc_state("v7.0");
	struct luoc_config cfg;
	struct luoc_mem mem;
	struct luoc_result res;
	const char *why = NULL;

	(void)s;
	tb_config(t, &cfg, &mem);
	cfg.page_size = 3000;
	assert_int_equal(luoc_check(&cfg, &mem, NULL, &res), -LUOC_EINVAL);
	assert_null(luoc_detect(&cfg, &mem, &why));
	assert_non_null(why);
	cfg.page_size = 4096;
	mem.map = NULL;
	assert_int_equal(luoc_check(&cfg, &mem, NULL, &res), -LUOC_EINVAL);
	tb_config(t, &cfg, &mem);
	cfg.workspace_size = 100;	/* size without a buffer */
	assert_int_equal(luoc_check(&cfg, &mem, NULL, &res), -LUOC_EINVAL);
	tb_config(t, &cfg, &mem);
	assert_int_equal(luoc_check(&cfg, &mem, NULL, NULL), -LUOC_EINVAL);
	/* no visitor at all: counts only */
	assert_int_equal(luoc_check(&cfg, &mem, NULL, &res), 0);
	assert_int_equal(res.errors, 0);
	assert_int_equal(res.folios, 12);
	tb_free(t);
}

static void ws_size(struct luoc_config *cfg, void *arg)
{
	cfg->workspace_size = *(size_t *)arg;
	if (!cfg->workspace_size)
		cfg->workspace = NULL;
}

/* Too little workspace: one ENOSPC warning, no false errors. */
static void enospc(const char *profile, size_t size)
{
	struct tb *t = tc_state(profile);
	struct tc *c = tc_run_cfg(t, ws_size, &size);

	tc_assert_only_sev(c, "LUO-MEM-002", LUOC_SEV_WARNING);
	assert_int_equal(c->res.warnings, 1);
	assert_true(tc_has_code(c, "LUO-MEM-002", -LUOC_ENOSPC));
	assert_int_equal(c->res.folios, 12);
	tc_free(c);
	tb_free(t);
}

static void test_enospc_none_v7_0(void **s) { (void)s; enospc("v7.0", 0); }
static void test_enospc_none_v7_1(void **s) { (void)s; enospc("v7.1", 0); }
static void test_enospc_tiny(void **s) { (void)s; enospc("series-v6", 200); }

/* Room for every range but not for the folio jobs, and the reverse. */
static void test_enospc_partial(void **s)
{
	size_t sizes[] = { 24 * 12 + 32 * 20, 24 * 12 + 32 * 40, 4096, 24 * 8 };
	unsigned int i;

	(void)s;
	for (i = 0; i < 4; i++) {
		struct tb *t = tc_state("v6.19");
		struct tc *c = tc_run_cfg(t, ws_size, &sizes[i]);

		assert_int_equal(c->res.errors, 0);
		assert_true(c->res.warnings <= 1);
		assert_int_equal(c->res.folios, 12);
		tc_free(c);
		tb_free(t);
	}
}

/* A defect that needs no workspace is still found without one. */
static void test_enospc_still_checks(void **s)
{
	struct tb *t = tc_state("v7.1");
	size_t zero = 0;
	struct tc *c;

	(void)s;
	strcpy(tb_ptr(t, tb_session(t, 1) + t->p->sess_name.off), "session-0");
	tb_stf(t, t->memfd[0][1], t->p->memfd->seals, 0x80);
	c = tc_run_cfg(t, ws_size, &zero);
	assert_int_equal(tc_count(c, "LUO-SESS-006", LUOC_SEV_ERROR), 1);
	assert_int_equal(tc_count(c, "LUO-MEMFD-006", LUOC_SEV_ERROR), 1);
	assert_int_equal(c->res.errors, 2);
	assert_int_equal(c->res.warnings, 1);
	tc_free(c);
	tb_free(t);
}

static void given(struct luoc_config *cfg, void *arg)
{
	cfg->profile = luoc_profile_find(arg);
}

/* A v6.19 state checked as v7.0: FLB-001 and a note naming v6.19. */
static void test_profile_mismatch(void **s)
{
	struct tb *t = tc_state("v6.19");
	struct tc *c = tc_run_cfg(t, given, "v7.0");
	unsigned int i;
	bool named = false;

	(void)s;
	tc_assert_only(c, "LUO-FLB-001");
	assert_int_equal(c->res.outcome, LUOC_OUT_PANIC);
	for (i = 0; i < c->n; i++)
		if (!strcmp(c->f[i].req, "LUO-PROF-001") && strstr(c->f[i].msg, "v6.19"))
			named = true;
	assert_true(named);
	assert_string_equal(c->res.detect_reason, "given: v7.0");
	tc_free(c);
	tb_free(t);
}

/*
 * A v7.1 state checked as v7.0: the KHO root string differs, so a v7.0
 * kernel starts fresh; the defects behind it are listed but cannot make
 * the outcome worse.
 */
static void test_profile_mismatch_kho(void **s)
{
	struct tb *t = tc_state("v7.1");
	struct tc *c = tc_run_cfg(t, given, "v7.0");

	(void)s;
	assert_true(tc_count(c, "LUO-KHO-002", LUOC_SEV_ERROR) == 1);
	assert_true(tc_count(c, "LUO-KHO-004", LUOC_SEV_ERROR) == 1);
	assert_true(tc_count(c, "LUO-PROF-001", LUOC_SEV_NOTE) == 1);
	assert_int_equal(c->res.outcome, LUOC_OUT_FRESH_START);
	tc_free(c);
	tb_free(t);
}

/* The worst outcome over all errors wins. */
static void test_outcome_worst(void **s)
{
	struct tb *t = tc_state("v7.0");
	struct tc *c;

	(void)s;
	tb_stf(t, t->memfd[0][0], t->p->memfd->nr_folios, 0);	/* retrieve-error */
	strcpy(tb_ptr(t, tb_session(t, 1) + t->p->sess_name.off), "session-0");	/* eio */
	c = tc_run(t);
	assert_int_equal(c->res.outcome, LUOC_OUT_EIO);
	tc_free(c);
	tb_free(t);
}

/* A panic while parsing the LUO FDT hides the undefined read behind it. */
static void test_outcome_stages(void **s)
{
	static const char list[] = "x\0luo-session-v2";
	struct tb *t = tc_state("v7.0");
	void *fdt = tb_fdt_edit(t, t->luo_fdt);
	int n = fdt_subnode_offset(fdt, 0, t->p->sess_node);
	struct tc *c;

	(void)s;
	assert_true(n >= 0);
	assert_int_equal(fdt_delprop(fdt, 0, t->p->luo_num_prop), 0);
	tb_fdt_done(t, t->luo_fdt);
	tb_stf(t, t->sess_area, t->p->sess_area.hdr_count, 5000);
	c = tc_run(t);
	assert_int_equal(tc_count(c, "LUO-FDT-003", LUOC_SEV_ERROR), 1);
	assert_int_equal(tc_count(c, "LUO-SESS-004", LUOC_SEV_ERROR), 1);
	assert_int_equal(c->res.outcome, LUOC_OUT_PANIC);
	tc_free(c);
	tb_free(t);
	t = tc_state("v7.0");
	tb_stf(t, t->sess_area, t->p->sess_area.hdr_count, 5000);
	/* the same count behind a list the kernel accepts: it reads on */
	fdt = tb_fdt_edit(t, t->luo_fdt);
	n = fdt_subnode_offset(fdt, 0, t->p->sess_node);
	assert_int_equal(fdt_setprop(fdt, n, "compatible", list, sizeof(list)), 0);
	tb_fdt_done(t, t->luo_fdt);
	c = tc_run(t);
	assert_int_equal(tc_count(c, "LUO-SESS-002", LUOC_SEV_ERROR), 1);
	assert_int_equal(c->res.outcome, LUOC_OUT_UNDEFINED);
	tc_free(c);
	tb_free(t);
}

static void test_where_paths(void **s)
{
	struct tb *t = tc_state("v7.1");
	struct tc *c;

	(void)s;
	tb_stf(t, tb_folio_ent(t, 1, 0, 2), t->p->memfd->folio_index, 0);
	c = tc_run(t);
	tc_assert_only(c, "LUO-MEMFD-004");
	assert_string_equal(c->f[0].where, "session[1].file[0].memfd.folio[2]");
	assert_int_equal(c->f[0].phys, tb_folio_ent(t, 1, 0, 2));
	tc_free(c);
	tb_free(t);
}

const struct CMUnitTest tc_unit_tests[] = {
	cmocka_unit_test(test_fmt),
	cmocka_unit_test(test_heapsort),
	cmocka_unit_test(test_profiles),
	cmocka_unit_test(test_bad_config),
	cmocka_unit_test(test_enospc_none_v7_0),
	cmocka_unit_test(test_enospc_none_v7_1),
	cmocka_unit_test(test_enospc_tiny),
	cmocka_unit_test(test_enospc_partial),
	cmocka_unit_test(test_enospc_still_checks),
	cmocka_unit_test(test_profile_mismatch),
	cmocka_unit_test(test_profile_mismatch_kho),
	cmocka_unit_test(test_outcome_worst),
	cmocka_unit_test(test_outcome_stages),
	cmocka_unit_test(test_where_paths),
};
const size_t tc_unit_n = sizeof(tc_unit_tests) / sizeof(tc_unit_tests[0]);
