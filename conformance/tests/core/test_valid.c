// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * test_valid.c - a valid state of every profile checks clean and decodes
 * to what the builder wrote; in both byte orders and every page size;
 * detection names the right profile.
 */
#include <stdio.h>
#include <string.h>

#include "tcore.h"

/* The profile has FLBs: a /luo-flb node, or luo-v5's FLB page. */
static bool has_flb(const struct tb *t)
{
	return t->p->flb_node || t->p->luo_form == LUOC_LUO_RAW;
}

static void check_decoded(struct tb *t, const struct tc *c)
{
	const struct tb_opts *o = &t->o;
	unsigned int s, f, k, i = 0;

	assert_int_equal(c->res.sessions, o->sessions);
	assert_int_equal(c->res.files, o->sessions * o->files);
	assert_int_equal(c->res.folios, (uint64_t)o->sessions * o->files * o->folios);
	assert_int_equal(c->res.flbs, has_flb(t) ? o->flbs : 0);
	assert_ptr_equal(c->res.profile, t->p);
	assert_int_equal(c->res.outcome, LUOC_OUT_ACCEPT);
	assert_int_equal(c->nsess, o->sessions);
	for (s = 0; s < o->sessions; s++) {
		char want[32];

		snprintf(want, sizeof(want), "session-%u", s);
		assert_string_equal(c->sess_name[s], want);
		assert_int_equal(c->sess_files[s], o->files);
	}
	assert_int_equal(c->nfile, o->sessions * o->files);
	assert_int_equal(c->nmemfd, o->sessions * o->files);
	for (i = 0; i < c->nfile; i++) {
		s = c->file[i].s;
		f = c->file[i].f;
		assert_string_equal(c->file[i].compat, t->p->memfd->compat);
		assert_int_equal(c->file[i].token, 0x1000 + s * 16 + f);
		assert_int_equal(c->file[i].data, t->memfd[s][f]);
		assert_int_equal(c->memfd[i].info.size, t->file_size[s][f]);
		assert_int_equal(c->memfd[i].info.pos, 7);
		assert_int_equal(c->memfd[i].info.nr_folios, o->folios);
		assert_int_equal(c->memfd[i].info.seals, t->p->memfd->seals.size ? 1 : 0);
	}
	assert_int_equal(c->nfolio, o->sessions * o->files * o->folios);
	for (i = 0; i < c->nfolio; i++) {
		s = c->folio[i].s;
		f = c->folio[i].f;
		k = (unsigned int)(c->folio[i].index >> o->folio_order);
		assert_true(k < o->folios);
		assert_int_equal(c->folio[i].phys, t->folio[s][f][k]);
		assert_int_equal(c->folio[i].bytes, (uint64_t)t->ps << o->folio_order);
		assert_int_equal(c->folio[i].flags, t->p->memfd->folio_flags_known);
	}
	if (has_flb(t)) {
		assert_int_equal(c->nflb, o->flbs);
		for (i = 0; i < c->nflb; i++) {
			char want[48];

			snprintf(want, sizeof(want), "liveupdate-test-flb-v%u", i);
			assert_string_equal(c->flb[i].name, want);
			assert_int_equal(c->flb[i].data, 0x5000 + i);
			assert_int_equal(c->flb[i].count, i);
		}
	}
	assert_int_equal(c->progress_done, c->res.folios);
}

static void valid(const char *profile, uint32_t ps, bool be, unsigned int folio_order)
{
	struct tb_opts o = tc_opts(profile);
	struct tb *t;
	struct tc *c;

	o.page_size = ps;
	o.big_endian = be;
	o.folio_order = folio_order;
	t = tb_new(&o);
	c = tc_run(t);
	tc_assert_clean(c);
	assert_int_equal(c->res.notes, 0);
	check_decoded(t, c);
	tc_free(c);
	tb_free(t);
}

static void test_valid_series_v6(void **s) { (void)s; valid("series-v6", 0, false, 0); }
static void test_valid_v6_19(void **s) { (void)s; valid("v6.19", 0, false, 0); }
static void test_valid_v7_0(void **s) { (void)s; valid("v7.0", 0, false, 0); }
static void test_valid_v7_1(void **s) { (void)s; valid("v7.1", 0, false, 0); }
static void test_valid_be_series_v6(void **s) { (void)s; valid("series-v6", 0, true, 0); }
static void test_valid_be_v6_19(void **s) { (void)s; valid("v6.19", 0, true, 0); }
static void test_valid_be_v7_0(void **s) { (void)s; valid("v7.0", 0, true, 0); }
static void test_valid_be_v7_1(void **s) { (void)s; valid("v7.1", 0, true, 0); }
static void test_valid_16k_v7_1(void **s) { (void)s; valid("v7.1", 16384, false, 0); }
static void test_valid_64k_v7_1(void **s) { (void)s; valid("v7.1", 65536, false, 0); }
static void test_valid_16k_v7_0(void **s) { (void)s; valid("v7.0", 16384, false, 0); }
static void test_valid_64k_v6_19(void **s) { (void)s; valid("v6.19", 65536, true, 0); }
static void test_valid_order2_v7_0(void **s) { (void)s; valid("v7.0", 0, false, 2); }
static void test_valid_order2_v7_1(void **s) { (void)s; valid("v7.1", 0, false, 2); }
static void test_valid_v7_2(void **s) { (void)s; valid("v7.2", 0, false, 0); }
static void test_valid_be_v7_2(void **s) { (void)s; valid("v7.2", 0, true, 0); }
static void test_valid_16k_v7_2(void **s) { (void)s; valid("v7.2", 16384, false, 0); }
static void test_valid_64k_v7_2(void **s) { (void)s; valid("v7.2", 65536, true, 0); }
static void test_valid_order2_v7_2(void **s) { (void)s; valid("v7.2", 0, false, 2); }

/* An empty state (no sessions, no FLBs) is valid too. */
static void test_valid_empty(void **state)
{
	static const char *const names[] = { "series-v6", "v6.19", "v7.0", "v7.1", "v7.2" };
	unsigned int i;

	(void)state;
	for (i = 0; i < 5; i++) {
		struct tb_opts o = tc_opts(names[i]);
		struct tb *t;
		struct tc *c;

		o.sessions = 0;
		o.flbs = 0;
		t = tb_new(&o);
		c = tc_run(t);
		tc_assert_clean(c);
		assert_int_equal(c->res.sessions, 0);
		tc_free(c);
		tb_free(t);
	}
}

/* Sessions without files and files without folios (size 0 and size > 0). */
static void test_valid_no_files_no_folios(void **state)
{
	static const char *const names[] = { "series-v6", "v6.19", "v7.0", "v7.1", "v7.2" };
	unsigned int i;

	(void)state;
	for (i = 0; i < 5; i++) {
		struct tb_opts o = tc_opts(names[i]);
		struct tb *t;
		struct tc *c;

		o.folios = 0;
		o.file_size_extra = i & 1 ? 100 : 0;
		t = tb_new(&o);
		c = tc_run(t);
		tc_assert_clean(c);
		assert_int_equal(c->res.files, 4);
		assert_int_equal(c->res.folios, 0);
		tc_free(c);
		o.files = 0;
		tb_free(t);
		t = tb_new(&o);
		c = tc_run(t);
		tc_assert_clean(c);
		assert_int_equal(c->res.files, 0);
		tc_free(c);
		tb_free(t);
	}
}

static void clear_profile(struct luoc_config *cfg, void *arg)
{
	(void)arg;
	cfg->profile = NULL;
}

/* Detection picks each profile from its own state and says why. */
static void test_detect(void **state)
{
	static const char *const names[] = { "series-v6", "v6.19", "v7.0", "v7.1", "v7.2" };
	unsigned int i;

	(void)state;
	for (i = 0; i < 5; i++) {
		struct tb *t = tc_state(names[i]);
		struct luoc_config cfg;
		struct luoc_mem mem;
		const char *why = NULL;
		char buf[LUOC_REASON_MAX];
		struct tc *c;

		tb_config(t, &cfg, &mem);
		cfg.profile = NULL;
		assert_ptr_equal(luoc_detect(&cfg, &mem, &why), t->p);
		assert_non_null(why);
		assert_ptr_equal(luoc_detect_r(&cfg, &mem, buf, sizeof(buf)), t->p);
		assert_non_null(strstr(buf, t->p->kho_compat));
		assert_non_null(strstr(buf, t->p->name));
		if (t->p->luo_form == LUOC_LUO_RAW) {
			assert_non_null(strstr(buf, t->p->luo_compat));
		} else {
			assert_non_null(strstr(buf, t->p->sess_compat));
			assert_non_null(strstr(buf, t->p->flb_node ? "present" : "absent"));
		}
		assert_non_null(strstr(buf, t->p->memfd->compat));
		assert_null(strstr(buf, "closest"));
		c = tc_run_cfg(t, clear_profile, NULL);
		tc_assert_clean(c);
		assert_ptr_equal(c->res.profile, t->p);
		assert_string_equal(c->res.detect_reason, buf);
		tc_free(c);
		tb_free(t);
	}
}

const struct CMUnitTest tc_valid_tests[] = {
	cmocka_unit_test(test_valid_series_v6),
	cmocka_unit_test(test_valid_v6_19),
	cmocka_unit_test(test_valid_v7_0),
	cmocka_unit_test(test_valid_v7_1),
	cmocka_unit_test(test_valid_be_series_v6),
	cmocka_unit_test(test_valid_be_v6_19),
	cmocka_unit_test(test_valid_be_v7_0),
	cmocka_unit_test(test_valid_be_v7_1),
	cmocka_unit_test(test_valid_16k_v7_1),
	cmocka_unit_test(test_valid_64k_v7_1),
	cmocka_unit_test(test_valid_16k_v7_0),
	cmocka_unit_test(test_valid_64k_v6_19),
	cmocka_unit_test(test_valid_order2_v7_0),
	cmocka_unit_test(test_valid_order2_v7_1),
	cmocka_unit_test(test_valid_v7_2),
	cmocka_unit_test(test_valid_be_v7_2),
	cmocka_unit_test(test_valid_16k_v7_2),
	cmocka_unit_test(test_valid_64k_v7_2),
	cmocka_unit_test(test_valid_order2_v7_2),
	cmocka_unit_test(test_valid_empty),
	cmocka_unit_test(test_valid_no_files_no_folios),
	cmocka_unit_test(test_detect),
};
const size_t tc_valid_n = sizeof(tc_valid_tests) / sizeof(tc_valid_tests[0]);
