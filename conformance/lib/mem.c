// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * mem.c - the one door to the state's memory.
 *
 * luoc_need() maps bytes the state references and, when they are not
 * there, says why: the address range wraps (checked before map() is ever
 * called with it), the bytes are absent from the image (LUO-IMG-003), or
 * they are absent as read but present byte-swapped, which means a u64 was
 * written in the other byte order (LUO-FDT-004).  A bare FDT holds no
 * memory but itself: what it points at is not there to check, and its
 * absence is no finding; bytes of the FDT's own area that map() does not
 * serve are.
 */
#include "luoc_int.h"

/*
 * A bare FDT is the whole input: the KHO root's area, or the largest LUO
 * blob any profile has (an FDT of LUO_FDT_SIZE, a struct luo_ser).  The
 * addresses it holds are checked as values; what they point at is not
 * read even when map() could serve it.
 */
uint64_t luoc_bare_area(const struct luoc_config *cfg)
{
	uint64_t size = 0;
	unsigned int i;

	if (cfg->input == LUOC_INPUT_KHO_FDT)
		return cfg->kho_root_size ? cfg->kho_root_size : cfg->page_size;
	if (cfg->input != LUOC_INPUT_LUO_FDT)
		return 0;
	for (i = 0; i < luoc_n_profiles; i++) {
		const struct luoc_profile *p = &luoc_profiles[i];
		uint64_t s = p->luo_form == LUOC_LUO_RAW ? p->ser_size :
			     (uint64_t)p->luo_fdt_pages * cfg->page_size;

		size = s > size ? s : size;
	}
	return size;
}

void luoc_bare_init(struct luoc_ctx *c)
{
	const struct luoc_config *cfg = c->cfg;

	c->bare = cfg->input != LUOC_INPUT_STATE;
	c->bare_lo = cfg->kho_root;
	if (luoc_add_ovf(cfg->kho_root, luoc_bare_area(cfg), &c->bare_hi))
		c->bare_hi = ~(uint64_t)0;
}

/* [phys, end) lies outside the bare FDT that is the whole input. */
static bool outside_bare(const struct luoc_ctx *c, uint64_t phys, uint64_t end)
{
	return c->bare && (phys < c->bare_lo || end > c->bare_hi);
}

const void *luoc_peek(const struct luoc_ctx *c, uint64_t phys, uint64_t len)
{
	uint64_t end;

	if (!len || luoc_add_ovf(phys, len, &end) || outside_bare(c, phys, end))
		return NULL;
	return c->mem->map(c->mem->ctx, phys, len);
}

bool luoc_addr_swapped(const struct luoc_ctx *c, uint64_t val, uint64_t len)
{
	uint64_t sw = __builtin_bswap64(val);

	return sw != val && luoc_peek(c, sw, len) != NULL;	/* (0 swaps to itself) */
}

const void *luoc_need(struct luoc_ctx *c, const struct luoc_loc *loc, const char *req,
		      uint64_t phys, uint64_t len, const char *what)
{
	const void *ptr;
	uint64_t end;

	if (luoc_add_ovf(phys, len, &end)) {
		luoc_report(c, loc, req, SEV_E, -LUOC_ERANGE, phys,
			    "%s at 0x%llx + 0x%llx bytes wraps past the end of the address space",
			    what, (unsigned long long)phys, (unsigned long long)len);
		return NULL;
	}
	ptr = luoc_peek(c, phys, len);
	if (ptr || outside_bare(c, phys, end))
		return ptr;
	if (luoc_addr_swapped(c, phys, len))
		luoc_report(c, loc, R_FDT_004, SEV_E, -LUOC_EBYTEORDER, phys,
			    "%s address 0x%llx is not in the image but its byte swap 0x%llx is: written in the wrong byte order",
			    what, (unsigned long long)phys,
			    (unsigned long long)__builtin_bswap64(phys));
	else
		luoc_report(c, loc, R_IMG_003, SEV_E, -LUOC_EABSENT, phys,
			    "%s (0x%llx bytes at 0x%llx) is not in the image",
			    what, (unsigned long long)len, (unsigned long long)phys);
	return NULL;
}
