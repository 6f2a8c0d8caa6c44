// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * kho.c - the KHO root FDT and its LUO sub-node (LUO-KHO-001..005).
 *
 * The root is the one FDT the incoming kernel header-checks; a defect
 * here makes it drop the whole handover (fresh start), so nothing below
 * is reachable for the kernel either.  The sub-node gives the address of
 * the LUO FDT or, in luo-v5, of struct luo_ser (and, from kho-v3, its
 * size); a missing sub-node is a valid "nothing handed over" state and
 * only a NOTE.
 */
#include "luoc_int.h"

static int root_open(struct luoc_ctx *c, const void **fdtp)
{
	const struct luoc_loc loc = { .kind = LK_KHO_ROOT };
	uint64_t size = c->cfg->kho_root_size ? c->cfg->kho_root_size : c->ps;

	if (!luoc_peek(c, c->cfg->kho_root, FDT_V17_SIZE)) {
		luoc_report(c, &loc, R_KHO_001, SEV_E, -LUOC_EABSENT, c->cfg->kho_root,
			    "KHO root FDT at 0x%llx is not in the image",
			    (unsigned long long)c->cfg->kho_root);
		return -LUOC_EABSENT;
	}
	return luoc_fdt_open(c, &loc, R_KHO_001, c->cfg->kho_root, size, fdtp);
}

static void sub_node(struct luoc_ctx *c, const void *fdt, struct luoc_kho_out *out)
{
	const struct luoc_loc loc = { .kind = LK_KHO_LUO };
	const struct luoc_profile *p = c->p;
	int node = luoc_fdt_node(fdt, 0, p->luo_entry);
	enum luoc_stage old = luoc_stage_enter(c, ST_ENTRY);

	if (node < 0) {
		luoc_report(c, &loc, R_KHO_004, SEV_N, -LUOC_EMISSING, LUOC_NO_PHYS,
			    "the KHO root has no \"%s\" sub-node: the state hands nothing over",
			    p->luo_entry);
		c->stage = old;
		return;
	}
	if (!luoc_prop_u64(c, &loc, R_KHO_004, fdt, node, p->kho_sub_addr_prop,
			   &out->luo_phys)) {
		if (!out->luo_phys)
			luoc_report(c, &loc, R_KHO_004, SEV_E, -LUOC_ERANGE, 0,
				    "property %s is 0", p->kho_sub_addr_prop);
		else
			out->have_luo = true;
	}
	/* blob-size locates a LUO FDT (LUO-KHO-005) or a struct luo_ser (LUO-SER-001) */
	if (p->kho_sub_size_prop &&
	    !luoc_prop_u64(c, &loc, p->luo_form == LUOC_LUO_RAW ? R_SER_001 : R_KHO_005, fdt,
			   node, p->kho_sub_size_prop, &out->blob_size))
		out->have_blob_size = true;
	c->stage = old;
}

int luoc_kho_check(struct luoc_ctx *c, struct luoc_kho_out *out)
{
	const struct luoc_loc loc = { .kind = LK_KHO_ROOT };
	const void *fdt;
	int rc;

	__builtin_memset(out, 0, sizeof(*out));
	rc = root_open(c, &fdt);
	if (rc)
		return rc;
	luoc_check_compat(c, &loc, R_KHO_002, fdt, 0, c->p->kho_compat);
	if (!luoc_prop_u64(c, &loc, R_KHO_003, fdt, 0, c->p->kho_map_prop, &out->map_phys))
		out->have_map = true;
	sub_node(c, fdt, out);
	return 0;
}
