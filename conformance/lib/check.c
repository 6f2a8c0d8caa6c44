// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * check.c - luoc_check(): the driver.
 *
 * Order matters for linearity and completeness:
 *   1. choose the profile (given, or detected);
 *   2. KHO root and LUO sub-node;
 *   3. preserved-memory map (validated once, indexed for fast lookups);
 *   4. LUO FDT (luo-v5: struct luo_ser and its block chains), sessions,
 *      files, memfd states, FLBs: every structure is checked and recorded
 *      in the structure range set, and each memfd's folio array is queued
 *      as a job;
 *   5. the structure set is sorted and scanned for overlaps;
 *   6. the folio jobs run against the complete set; folio ranges are
 *      sorted and scanned last.
 * Each step keeps going after a finding; a step is skipped only when what
 * it reads cannot be reached.
 */
#include "luoc_int.h"

int luoc_cfg_check(const struct luoc_config *cfg, const struct luoc_mem *mem)
{
	uint32_t ps;

	if (!cfg || !mem || !mem->map)
		return -LUOC_EINVAL;
	ps = cfg->page_size;
	if (ps < 4096 || ps > 65536 || (ps & (ps - 1)))
		return -LUOC_EINVAL;
	if (cfg->workspace_size && !cfg->workspace)
		return -LUOC_EINVAL;
	if (cfg->kho_root_size && cfg->kho_root_size < FDT_V17_SIZE)
		return -LUOC_EINVAL;
	if (cfg->input > LUOC_INPUT_LUO_FDT)
		return -LUOC_EINVAL;
	return 0;
}

static void choose_profile(struct luoc_ctx *c)
{
	const struct luoc_config *cfg = c->cfg;
	struct luoc_result *res = c->res;
	const struct luoc_profile *seen;
	char buf[LUOC_REASON_MAX];
	unsigned int score = 0;

	seen = luoc_detect_ctx(c, buf, sizeof(buf), true, &score);
	if (!cfg->profile) {
		c->p = seen;
		__builtin_memcpy(res->detect_text, buf, sizeof(buf));
		res->detect_reason = res->detect_text;
		return;
	}
	c->p = cfg->profile;
	luoc_snprintf(res->detect_text, sizeof(res->detect_text), "given: %s", c->p->name);
	res->detect_reason = res->detect_text;
	if (seen != cfg->profile && score) {
		const struct luoc_loc loc = { .kind = LK_LUO_ROOT };

		luoc_report(c, &loc, R_PROF_001, SEV_N, -LUOC_ECOMPAT, LUOC_NO_PHYS,
			    "checked as %s, but the state looks like %s (%s)", c->p->name,
			    seen->name, buf);
	}
}

void luoc_ctx_init(struct luoc_ctx *c, const struct luoc_config *cfg,
		   const struct luoc_mem *mem, const struct luoc_visitor *vis,
		   struct luoc_result *res)
{
	__builtin_memset(c, 0, sizeof(*c));
	__builtin_memset(res, 0, sizeof(*res));
	c->cfg = cfg;
	c->mem = mem;
	c->vis = vis;
	c->res = res;
	c->ps = cfg->page_size;
	c->pshift = LUOC_LOG2(cfg->page_size);
	c->be = cfg->big_endian;
	luoc_bare_init(c);
	res->outcome = LUOC_OUT_ACCEPT;
	c->outcome_override = -1;
	luoc_ws_init(c);
}

/* luo-v5: struct luo_ser, the session chain and the FLB page. */
static void walk_raw(struct luoc_ctx *c, const struct luoc_kho_out *kho)
{
	struct luoc_ser_out so;

	if (luoc_luo_ser_check(c, kho, &so))
		return;
	luoc_sessions_chain(c, so.sessions);
	luoc_flb_raw(c, so.flbs);
}

/*
 * A bare LUO FDT: the KHO root that would point at it is not part of the
 * input, so the check starts at the LUO FDT (no blob-size to compare).
 */
static void bare_luo(struct luoc_ctx *c, struct luoc_kho_out *kho)
{
	__builtin_memset(kho, 0, sizeof(*kho));
	kho->have_luo = true;
	kho->luo_phys = c->cfg->kho_root;
}

static void walk_luo(struct luoc_ctx *c, const struct luoc_kho_out *kho)
{
	const void *fdt;

	luoc_rset_begin(c, &c->st);
	c->stage = ST_LUOFDT;
	if (kho->have_luo && c->p->luo_form == LUOC_LUO_RAW) {
		walk_raw(c, kho);
	} else if (kho->have_luo && !luoc_luo_fdt_check(c, kho, &fdt)) {
		luoc_sessions_check(c, fdt);
		luoc_flb_check(c, fdt);
	}
	/* shared structures corrupt each other once the open restores them */
	c->stage = ST_OPEN;
	luoc_rset_finish(c, &c->st);
	luoc_rset_overlaps(c, &c->st, false);
	c->st_final = !c->st.incomplete;
	c->stage = ST_RETRIEVE;
	luoc_rset_begin(c, &c->fo);
	luoc_jobs_run(c);
	luoc_rset_finish(c, &c->fo);
	luoc_rset_overlaps(c, &c->fo, true);
}

/*
 * The incoming kernel meets the state in stages (KHO root, memory map,
 * LUO entry, LUO FDT, first open, retrieve); a defect that stops it at
 * one stage means no later defect is ever reached (luoc_outcome_fold).
 */
static void finish_outcome(struct luoc_ctx *c)
{
	c->res->outcome = luoc_outcome_fold(c);
}

int luoc_check(const struct luoc_config *cfg, const struct luoc_mem *mem,
	       const struct luoc_visitor *vis, struct luoc_result *res)
{
	struct luoc_kho_out kho;
	struct luoc_ctx c;

	if (!res || luoc_cfg_check(cfg, mem))
		return -LUOC_EINVAL;
	luoc_ctx_init(&c, cfg, mem, vis, res);
	choose_profile(&c);
	res->profile = c.p;
	c.stage = ST_ROOT;
	if (cfg->input == LUOC_INPUT_LUO_FDT) {
		bare_luo(&c, &kho);
	} else if (luoc_kho_check(&c, &kho)) {
		finish_outcome(&c);
		return 0;
	}
	c.stage = ST_KMAP;
	/* a bare FDT comes without the memory map (nor a bare root with its LUO blob) */
	if (!c.bare)
		luoc_kmap_setup(&c, kho.have_map, kho.map_phys);
	walk_luo(&c, &kho);
	finish_outcome(&c);
	if (vis && vis->progress && c.folios_total)
		vis->progress(vis->ctx, c.folios_done, c.folios_total);
	return 0;
}
