// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * memfd_fdt.c - the memfd state of the posted v6 series: a per-file FDT
 * with pos, size and, only when size > 0, nr_folios and the raw
 * struct kho_vmalloc of the folio array (LUO-MEMFD-002).
 */
#include "luoc_int.h"

static void folio_props(struct luoc_ctx *c, const struct luoc_loc *loc, const void *fdt,
			struct luoc_memfd_state *ms)
{
	const struct luoc_memfd_desc *md = c->p->memfd;
	const void *nr, *fol;
	int nlen, flen;

	nr = fdt_getprop(fdt, 0, md->prop_nr_folios, &nlen);
	fol = fdt_getprop(fdt, 0, md->prop_folios, &flen);
	if (!ms->size) {
		if (nr || fol)
			luoc_report(c, loc, R_MEMFD_002, SEV_E, -LUOC_EFORMAT, LUOC_NO_PHYS,
				    "%s/%s present although size is 0", md->prop_nr_folios,
				    md->prop_folios);
		return;
	}
	luoc_prop_u64(c, loc, R_MEMFD_002, fdt, 0, md->prop_nr_folios, &ms->nr_folios);
	if (!fol) {
		luoc_report(c, loc, R_MEMFD_002, SEV_E, -LUOC_EMISSING, LUOC_NO_PHYS,
			    "property %s is missing", md->prop_folios);
		return;
	}
	if (flen != c->p->vmalloc_size || (size_t)flen > sizeof(ms->folios)) {
		luoc_report(c, loc, R_MEMFD_002, SEV_E, -LUOC_ESIZE, LUOC_NO_PHYS,
			    "property %s is %d bytes, expected %u", md->prop_folios, flen,
			    c->p->vmalloc_size);
		return;
	}
	__builtin_memcpy(ms->folios, fol, (size_t)flen);
	ms->have_folios = true;
}

int luoc_memfd_fdt_read(struct luoc_ctx *c, const struct luoc_loc *loc, uint64_t data,
			struct luoc_memfd_state *ms)
{
	const struct luoc_memfd_desc *md = c->p->memfd;
	uint8_t *hi = c->ws.hi;	/* an aligned copy lives only while we read */
	const void *fdt;
	int rc;

	rc = luoc_fdt_open(c, loc, R_MEMFD_002, data, c->ps, &fdt);
	if (rc) {
		c->ws.hi = hi;
		return rc;
	}
	ms->bytes = fdt_totalsize(fdt);
	luoc_rset_add(c, &c->st, loc, data, ms->bytes, false);
	luoc_kmap_require(c, loc, data, ms->bytes, "memfd FDT");
	if (luoc_prop_u64(c, loc, R_MEMFD_002, fdt, 0, md->prop_pos, &ms->pos) |
	    luoc_prop_u64(c, loc, R_MEMFD_002, fdt, 0, md->prop_size, &ms->size)) {
		c->ws.hi = hi;
		return -LUOC_EFORMAT;
	}
	folio_props(c, loc, fdt, ms);
	{
		const char *props[4] = { md->prop_pos, md->prop_size, md->prop_nr_folios,
					 md->prop_folios };

		luoc_fdt_extras(c, loc, fdt, 0, props, 4, NULL, 0);
	}
	c->ws.hi = hi;
	return 0;
}
