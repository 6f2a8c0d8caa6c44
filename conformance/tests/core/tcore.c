// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * tcore.c - recording visitor, run() and assertions (see tcore.h), and
 * the test program's main().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tcore.h"

struct tb_opts tc_opts(const char *profile)
{
	struct tb_opts o = {
		.profile = profile, .sessions = 2, .files = 2, .folios = 3, .flbs = 2,
	};
	return o;
}

struct tb *tc_state(const char *profile)
{
	struct tb_opts o = tc_opts(profile);

	return tb_new(&o);
}

static void on_finding(void *ctx, const struct luoc_finding *f)
{
	struct tc *c = ctx;
	struct tc_finding *r;

	assert_non_null(f->req);
	assert_non_null(f->where);
	assert_non_null(f->msg);
	assert_true(f->code < 0);
	if (c->n == TC_MAXF) {
		c->dropped++;
		return;
	}
	r = &c->f[c->n++];
	snprintf(r->req, sizeof(r->req), "%s", f->req);
	r->sev = f->severity;
	r->code = f->code;
	r->phys = f->phys;
	snprintf(r->where, sizeof(r->where), "%s", f->where);
	snprintf(r->msg, sizeof(r->msg), "%s", f->msg);
}

static void on_session(void *ctx, uint32_t idx, const char *name, uint64_t nr_files)
{
	struct tc *c = ctx;

	assert_int_equal(idx, c->nsess);
	if (c->nsess < TC_MAXD) {
		snprintf(c->sess_name[c->nsess], sizeof(c->sess_name[0]), "%s", name);
		c->sess_files[c->nsess] = nr_files;
	}
	c->nsess++;
}

static void on_file(void *ctx, uint32_t s, uint32_t f, const char *compat, uint64_t token,
		    uint64_t data)
{
	struct tc *c = ctx;

	if (c->nfile < TC_MAXD) {
		c->file[c->nfile].s = s;
		c->file[c->nfile].f = f;
		snprintf(c->file[c->nfile].compat, sizeof(c->file[0].compat), "%s", compat);
		c->file[c->nfile].token = token;
		c->file[c->nfile].data = data;
	}
	c->nfile++;
}

static void on_memfd(void *ctx, uint32_t s, uint32_t f, const struct luoc_memfd_info *info)
{
	struct tc *c = ctx;

	if (c->nmemfd < TC_MAXD) {
		c->memfd[c->nmemfd].s = s;
		c->memfd[c->nmemfd].f = f;
		c->memfd[c->nmemfd].info = *info;
	}
	c->nmemfd++;
}

static void on_folio(void *ctx, uint32_t s, uint32_t f, uint64_t index, uint64_t phys,
		     uint64_t bytes, uint32_t flags)
{
	struct tc *c = ctx;

	if (c->nfolio < TC_MAXD) {
		c->folio[c->nfolio].s = s;
		c->folio[c->nfolio].f = f;
		c->folio[c->nfolio].index = index;
		c->folio[c->nfolio].phys = phys;
		c->folio[c->nfolio].bytes = bytes;
		c->folio[c->nfolio].flags = flags;
	}
	c->nfolio++;
}

static void on_flb(void *ctx, uint32_t idx, const char *name, uint64_t data, uint64_t count)
{
	struct tc *c = ctx;

	assert_int_equal(idx, c->nflb);
	if (c->nflb < TC_MAXD) {
		snprintf(c->flb[c->nflb].name, sizeof(c->flb[0].name), "%s", name);
		c->flb[c->nflb].data = data;
		c->flb[c->nflb].count = count;
	}
	c->nflb++;
}

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
	struct tc *c = ctx;

	assert_true(done <= total);
	c->progress_calls++;
	c->progress_done = done;
	c->progress_total = total;
}

void tc_visitor(struct tc *c, struct luoc_visitor *vis)
{
	memset(vis, 0, sizeof(*vis));
	vis->finding = on_finding;
	vis->session = on_session;
	vis->file = on_file;
	vis->memfd = on_memfd;
	vis->folio = on_folio;
	vis->flb = on_flb;
	vis->progress = on_progress;
	vis->ctx = c;
}

struct tc *tc_run_cfg(struct tb *t, void (*hook)(struct luoc_config *cfg, void *arg), void *arg)
{
	struct tc *c = calloc(1, sizeof(*c));
	struct luoc_visitor vis = {
		.finding = on_finding, .session = on_session, .file = on_file,
		.memfd = on_memfd, .folio = on_folio, .flb = on_flb,
		.progress = on_progress, .ctx = c,
	};
	struct luoc_config cfg;
	struct luoc_mem mem;
	uint8_t *copy;
	void *ws;

	assert_non_null(c);
	tb_config(t, &cfg, &mem);
	cfg.workspace_size = luoc_workspace_hint(t->size);
	ws = malloc(cfg.workspace_size);
	assert_non_null(ws);
	cfg.workspace = ws;
	if (hook)
		hook(&cfg, arg);
	copy = malloc(t->size);
	assert_non_null(copy);
	memcpy(copy, t->mem, t->size);
	c->rc = luoc_check(&cfg, &mem, &vis, &c->res);
	/* the checker never writes to the state it reads */
	assert_memory_equal(copy, t->mem, t->size);
	free(copy);
	free(ws);
	assert_int_equal(c->res.errors + c->res.warnings + c->res.notes, c->n + c->dropped);
	return c;
}

struct tc *tc_run(struct tb *t)
{
	return tc_run_cfg(t, NULL, NULL);
}

void tc_free(struct tc *c)
{
	free(c);
}

unsigned int tc_count(const struct tc *c, const char *req, int sev)
{
	unsigned int i, n = 0;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->f[i].req, req) && (sev < 0 || (int)c->f[i].sev == sev))
			n++;
	return n;
}

bool tc_has_code(const struct tc *c, const char *req, int code)
{
	unsigned int i;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->f[i].req, req) && c->f[i].code == code)
			return true;
	return false;
}

bool tc_has_msg(const struct tc *c, const char *req, const char *text)
{
	unsigned int i;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->f[i].req, req) && strstr(c->f[i].msg, text))
			return true;
	return false;
}

void tc_dump(const struct tc *c)
{
	static const char *const sev[] = { "error", "warning", "note" };
	unsigned int i;

	for (i = 0; i < c->n; i++)
		print_message("# %s %s %s (%d) @0x%llx: %s\n", sev[c->f[i].sev], c->f[i].req,
			      c->f[i].where, c->f[i].code, (unsigned long long)c->f[i].phys,
			      c->f[i].msg);
}

void tc_assert_clean(const struct tc *c)
{
	assert_int_equal(c->rc, 0);
	if (c->res.errors || c->res.warnings) {
		tc_dump(c);
		fail_msg("expected no error or warning, got %u errors, %u warnings",
			 c->res.errors, c->res.warnings);
	}
}

void tc_assert_only_sev(const struct tc *c, const char *req, enum luoc_severity sev)
{
	unsigned int i, hits = 0;

	assert_int_equal(c->rc, 0);
	for (i = 0; i < c->n; i++) {
		if (c->f[i].sev == LUOC_SEV_NOTE)
			continue;
		if (strcmp(c->f[i].req, req) || ((int)sev >= 0 && c->f[i].sev != sev)) {
			tc_dump(c);
			fail_msg("unexpected finding %s (expected only %s)", c->f[i].req, req);
		}
		hits++;
	}
	if (!hits) {
		tc_dump(c);
		fail_msg("expected %s, got nothing", req);
	}
}

void tc_assert_only(const struct tc *c, const char *req)
{
	tc_assert_only_sev(c, req, (enum luoc_severity)-1);
}

int main(void)
{
	int fails = 0;

	fails += _cmocka_run_group_tests("core_unit", tc_unit_tests, tc_unit_n, NULL, NULL);
	fails += _cmocka_run_group_tests("core_valid", tc_valid_tests, tc_valid_n, NULL, NULL);
	fails += _cmocka_run_group_tests("core_requirements", tc_req_tests, tc_req_n, NULL, NULL);
	fails += _cmocka_run_group_tests("core_hostile", tc_hostile_tests, tc_hostile_n, NULL, NULL);
	fails += _cmocka_run_group_tests("core_cover", tc_cover_tests, tc_cover_n, NULL, NULL);
	fails += _cmocka_run_group_tests("core_cover_folio", tc_cover_folio_tests, tc_cover_folio_n,
					 NULL, NULL);
	fails += _cmocka_run_group_tests("core_cover_kmap", tc_cover_kmap_tests, tc_cover_kmap_n,
					 NULL, NULL);
	fails += _cmocka_run_group_tests("core_cover_misc", tc_cover_misc_tests, tc_cover_misc_n,
					 NULL, NULL);
	fails += _cmocka_run_group_tests("core_cover_edges", tc_cover_edges_tests,
					 tc_cover_edges_n, NULL, NULL);
	fails += _cmocka_run_group_tests("core_cover_rest", tc_cover_rest_tests,
					 tc_cover_rest_n, NULL, NULL);
	fails += _cmocka_run_group_tests("core_cover_contracts", tc_cover_contracts_tests,
					 tc_cover_contracts_n, NULL, NULL);
	fails += _cmocka_run_group_tests("core_v7.2", tc_v72_tests, tc_v72_n, NULL, NULL);
	fails += _cmocka_run_group_tests("core_bare", tc_bare_tests, tc_bare_n, NULL, NULL);
	fails += _cmocka_run_group_tests("core_libfdt_seam", tc_seam_tests, tc_seam_n, NULL, NULL);
	return fails ? 1 : 0;
}
