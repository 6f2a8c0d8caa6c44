// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * luofdt.c - the LUO FDT root (LUO-FDT-001..005, LUO-KHO-005, its place in
 * memory).
 *
 * The incoming kernel never header-checks this FDT, so a malformed one is
 * "undefined" for it; the core checks it as fully as the KHO root and
 * stops at the first structural defect, because nothing inside a broken
 * FDT can be read safely.
 */
#include "luoc_int.h"

/* The name the FLB node has where a profile defines one (for FLB-006). */
const char *luoc_flb_node_name(void)
{
	const char *name = NULL;
	unsigned int i;

	for (i = 0; i < luoc_n_profiles; i++)	/* the first profile's that has one */
		if (!name)
			name = luoc_profiles[i].flb_node;
	return name;
}

static bool listed(const char *name, const char *const *list, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (list[i] && !strcmp(name, list[i]))
			return true;
	return false;
}

/* LUO-FDT-005: properties and sub-nodes beyond those the profile defines. */
void luoc_fdt_extras(struct luoc_ctx *c, const struct luoc_loc *loc, const void *fdt,
		     int node, const char *const *props, unsigned int nprops,
		     const char *const *nodes, unsigned int nnodes)
{
	const char *flb = luoc_flb_node_name();
	int off, len;

	fdt_for_each_property_offset(off, fdt, node) {
		const char *name;

		if (!fdt_getprop_by_offset(fdt, off, &name, &len) || !name)
			continue;
		if (!listed(name, props, nprops))
			luoc_report(c, loc, R_FDT_005, SEV_W, -LUOC_EFORMAT, LUOC_NO_PHYS,
				    "property %s is not defined by profile %s", name, c->p->name);
	}
	fdt_for_each_subnode(off, fdt, node) {
		const char *name = fdt_get_name(fdt, off, &len);

		if (!name || listed(name, nodes, nnodes))
			continue;
		/* an FLB node where the profile has none is LUO-FLB-006's */
		if (loc->kind == LK_LUO_ROOT && !c->p->flb_node && flb && !strcmp(name, flb))
			continue;
		luoc_report(c, loc, R_FDT_005, SEV_W, -LUOC_EFORMAT, LUOC_NO_PHYS,
			    "node %s is not defined by profile %s", name, c->p->name);
	}
}

/*
 * LUO-KHO-005.  A blob-size that differs from the LUO FDT's totalsize is
 * what the v7.1 reader rejects (the profile's row); one that equals it but
 * exceeds LUO_FDT_SIZE breaks the requirement without a reaction of its
 * own (the oversized FDT is LUO-FDT-001's business).
 */
static void blob_size_check(struct luoc_ctx *c, const struct luoc_kho_out *kho,
			    uint64_t max)
{
	const struct luoc_loc loc = { .kind = LK_KHO_LUO };
	const uint8_t *h = luoc_peek(c, kho->luo_phys, FDT_V17_SIZE);
	/* the header as written, even when the FDT itself is unusable */
	bool have_total = h && luoc_fdt_hdr32(h, offsetof(struct fdt_header, magic)) == FDT_MAGIC;
	uint32_t total = have_total ? luoc_fdt_hdr32(h, offsetof(struct fdt_header, totalsize)) : 0;
	enum luoc_stage old;

	if (!kho->have_blob_size)
		return;
	old = luoc_stage_enter(c, ST_ENTRY);
	if (have_total && kho->blob_size != total)
		luoc_report(c, &loc, R_KHO_005, SEV_E, -LUOC_ESIZE, kho->luo_phys,
			    "%s %llu differs from the LUO FDT's totalsize %u",
			    c->p->kho_sub_size_prop, (unsigned long long)kho->blob_size, total);
	if (kho->blob_size > max) {
		if (have_total && kho->blob_size == total)
			c->outcome_override = LUOC_OUT_ACCEPT;
		luoc_report(c, &loc, R_KHO_005, SEV_E, -LUOC_ESIZE, kho->luo_phys,
			    "%s %llu exceeds LUO_FDT_SIZE %llu", c->p->kho_sub_size_prop,
			    (unsigned long long)kho->blob_size, (unsigned long long)max);
		c->outcome_override = -1;
	}
	c->stage = old;
}

static void number_check(struct luoc_ctx *c, const void *fdt)
{
	const struct luoc_loc loc = { .kind = LK_LUO_ROOT };
	uint64_t n, sw;

	if (luoc_prop_u64(c, &loc, R_FDT_003, fdt, 0, c->p->luo_num_prop, &n))
		return;
	sw = __builtin_bswap64(n);
	if (n >> 32 && !(sw >> 32))	/* n >> 32: sw is not 0 either */
		luoc_report(c, &loc, R_FDT_004, SEV_E, -LUOC_EBYTEORDER, LUOC_NO_PHYS,
			    "%s is 0x%llx, which is %llu byte-swapped: written in the wrong byte order",
			    c->p->luo_num_prop, (unsigned long long)n, (unsigned long long)sw);
	else if (!n)
		luoc_report(c, &loc, R_FDT_003, SEV_E, -LUOC_ERANGE, LUOC_NO_PHYS,
			    "%s is 0, expected >= 1", c->p->luo_num_prop);
}

int luoc_luo_fdt_check(struct luoc_ctx *c, const struct luoc_kho_out *kho,
		       const void **fdtp)
{
	const struct luoc_loc loc = { .kind = LK_LUO_ROOT };
	const struct luoc_profile *p = c->p;
	uint64_t phys = kho->luo_phys, size = (uint64_t)p->luo_fdt_pages * c->ps;
	const char *props[2] = { LUOC_PROP_COMPATIBLE, p->luo_num_prop };
	const char *nodes[2] = { p->sess_node, p->flb_node };
	int rc;

	if (!luoc_aligned(phys, c->ps))
		luoc_report(c, &loc, R_MEM_003, SEV_E, -LUOC_EALIGN, phys,
			    "LUO FDT at 0x%llx is not page aligned", (unsigned long long)phys);
	rc = luoc_fdt_open(c, &loc, R_FDT_001, phys, size, fdtp);
	blob_size_check(c, kho, size);
	luoc_rset_add(c, &c->st, &loc, phys, size, false);
	luoc_kmap_require(c, &loc, phys, size, "LUO FDT");
	if (rc)
		return rc;
	luoc_check_compat(c, &loc, R_FDT_002, *fdtp, 0, p->luo_compat);
	number_check(c, *fdtp);
	luoc_fdt_extras(c, &loc, *fdtp, 0, props, 2, nodes, 2);
	return 0;
}
