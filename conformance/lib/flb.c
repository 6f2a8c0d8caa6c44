// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * flb.c - /luo-flb and the FLB page (LUO-FLB-001..006); in luo-v5 the
 * same page is found through luo_ser.flbs_pa (LUO-SER-004).
 *
 * From v7.0 the node is mandatory (its absence panics the incoming
 * kernel); profiles without FLB must not carry it (a warning: the older
 * kernel ignores it, but a newer reader would trust it).
 */
#include "luoc_int.h"

static void flb_entries(struct luoc_ctx *c, const uint8_t *area, uint64_t hdr)
{
	const struct luoc_profile *p = c->p;
	const struct luoc_area *a = &p->flb_area;
	const struct luoc_loc aloc = { .kind = LK_LUO_FLB };
	uint64_t max = luoc_area_max(a, c->ps), count = luoc_rd(c, area, a->hdr_count), n = count, i;
	const struct luoc_visitor *v = luoc_vis(c);
	struct luoc_seq sq;

	if (a->hdr_pgcnt.size && luoc_rd(c, area, a->hdr_pgcnt) != a->pages)
		luoc_report(c, &aloc, R_FLB_004, SEV_E, -LUOC_ERANGE, hdr,
			    "FLB header pgcnt %llu, expected %u",
			    (unsigned long long)luoc_rd(c, area, a->hdr_pgcnt), a->pages);
	if (count > max) {
		luoc_report(c, &aloc, R_FLB_004, SEV_E, -LUOC_ERANGE, hdr,
			    "FLB count %llu exceeds LUO_FLB_MAX %llu: entries not checked",
			    (unsigned long long)count, (unsigned long long)max);
		n = 0;
	}
	luoc_seq_area(&sq, area + a->hdr_size, hdr + a->hdr_size, a->entry_size, n);
	for (i = 0; i < n; i++) {
		uint64_t at;
		const uint8_t *e = luoc_seq_at(c, &sq, i, &at);
		const struct luoc_loc loc = { .kind = LK_FLB, .i = i };
		char shown[LUOC_NAME_SHOW + 1];

		luoc_name_check(c, &loc, R_FLB_005, at, e + p->flb_name.off,
				p->flb_name.size, "FLB name");
		luoc_show_name(shown, sizeof(shown), e + p->flb_name.off, p->flb_name.size);
		c->res->flbs++;
		if (v && v->flb)
			v->flb(v->ctx, (uint32_t)i, shown, luoc_rd(c, e, p->flb_data),
			       luoc_rd(c, e, p->flb_count));
	}
	luoc_unique_names(c, LK_FLB, R_FLB_005, &sq, p->flb_name, "FLB name");
}

/* The FLB page itself: present, preserved, not shared; then its entries. */
static void flb_page(struct luoc_ctx *c, uint64_t hdr, const char *req)
{
	const struct luoc_loc loc = { .kind = LK_LUO_FLB };
	uint64_t bytes = (uint64_t)c->p->flb_area.pages * c->ps;
	const uint8_t *area;

	c->stage = ST_OPEN;
	area = luoc_need(c, &loc, req, hdr, bytes, "FLB page");
	luoc_rset_add(c, &c->st, &loc, hdr, bytes, false);
	luoc_kmap_require(c, &loc, hdr, bytes, "FLB page");
	if (area)
		flb_entries(c, area, hdr);
}

/* luo-v5: the FLB page from luo_ser.flbs_pa (0: no FLBs). */
void luoc_flb_raw(struct luoc_ctx *c, uint64_t flbs_pa)
{
	const struct luoc_loc loc = { .kind = LK_LUO_FLB };

	if (!flbs_pa || !c->p->flb_area.entry_size)
		return;
	if (!luoc_aligned(flbs_pa, c->ps))
		luoc_report(c, &loc, R_SER_004, SEV_E, -LUOC_EALIGN, flbs_pa,
			    "flbs_pa 0x%llx is not page aligned", (unsigned long long)flbs_pa);
	flb_page(c, flbs_pa, R_SER_004);
	c->stage = ST_LUOFDT;
}

static void no_flb_profile(struct luoc_ctx *c, const void *fdt)
{
	const struct luoc_loc loc = { .kind = LK_LUO_ROOT };
	const char *name = luoc_flb_node_name();

	if (name && luoc_fdt_node(fdt, 0, name) >= 0)
		luoc_report(c, &loc, R_FLB_006, SEV_W, -LUOC_EFORMAT, LUOC_NO_PHYS,
			    "profile %s has no FLB node, but /%s is present", c->p->name, name);
}

void luoc_flb_check(struct luoc_ctx *c, const void *fdt)
{
	const struct luoc_profile *p = c->p;
	const struct luoc_loc loc = { .kind = LK_LUO_FLB };
	const char *props[2] = { LUOC_PROP_COMPATIBLE, p->flb_hdr_prop };
	uint64_t hdr;
	int node, compat;

	if (!p->flb_node) {
		no_flb_profile(c, fdt);
		return;
	}
	c->stage = ST_LUOFDT;
	node = luoc_fdt_node(fdt, 0, p->flb_node);
	if (node < 0) {
		luoc_report(c, &loc, R_FLB_001, SEV_E, -LUOC_EMISSING, LUOC_NO_PHYS,
			    "node /%s is missing", p->flb_node);
		return;
	}
	compat = luoc_check_compat(c, &loc, R_FLB_002, fdt, node, p->flb_compat);
	luoc_fdt_extras(c, &loc, fdt, node, props, 2, NULL, 0);
	if (luoc_prop_u64(c, &loc, R_FLB_003, fdt, node, p->flb_hdr_prop, &hdr))
		return;
	if (!hdr) {
		luoc_report(c, &loc, R_FLB_003, SEV_E, -LUOC_ERANGE, 0, "%s is 0", p->flb_hdr_prop);
		return;
	}
	if (!luoc_aligned(hdr, c->ps))
		luoc_report(c, &loc, R_FLB_003, SEV_E, -LUOC_EALIGN, hdr,
			    "%s 0x%llx is not page aligned", p->flb_hdr_prop, (unsigned long long)hdr);
	if (compat < 0) {
		luoc_report(c, &loc, R_FLB_002, SEV_N, -LUOC_ECOMPAT, hdr,
			    "the FLB page is not decoded: its layout is not %s's", p->flb_compat);
		return;
	}
	flb_page(c, hdr, R_FLB_003);
}
