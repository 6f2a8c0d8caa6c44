// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * workspace.c - the caller's scratch buffer, used from both ends.
 *
 * The core allocates nothing.  Tables that live for the whole check (the
 * kho-v1 bitmap index, the range sets) grow up from the bottom; folio jobs
 * grow down from the top.  When the two meet the core reports LUOC_ENOSPC
 * once and skips only the check that needed the room.
 */
#include "luoc_int.h"

#define WS_ALIGN	8

void luoc_ws_init(struct luoc_ctx *c)
{
	uintptr_t b = (uintptr_t)c->cfg->workspace;
	uintptr_t e = b + c->cfg->workspace_size;
	uintptr_t ab = (b + WS_ALIGN - 1) & ~(uintptr_t)(WS_ALIGN - 1);

	if (!c->cfg->workspace || ab >= e) {
		c->ws.lo = c->ws.hi = NULL;
		return;
	}
	/* ab is a multiple of WS_ALIGN below e: e rounded down is not below it */
	c->ws.lo = (uint8_t *)ab;
	c->ws.hi = (uint8_t *)(e & ~(uintptr_t)(WS_ALIGN - 1));
}

size_t luoc_ws_free(const struct luoc_ctx *c)
{
	return (size_t)(c->ws.hi - c->ws.lo);
}

void *luoc_ws_take_lo(struct luoc_ctx *c, size_t bytes)
{
	void *p;

	bytes = (bytes + WS_ALIGN - 1) & ~(size_t)(WS_ALIGN - 1);
	if (luoc_ws_free(c) < bytes)
		return NULL;
	p = c->ws.lo;
	c->ws.lo += bytes;
	return p;
}

void *luoc_ws_take_hi(struct luoc_ctx *c, size_t bytes)
{
	bytes = (bytes + WS_ALIGN - 1) & ~(size_t)(WS_ALIGN - 1);
	if (luoc_ws_free(c) < bytes)
		return NULL;
	c->ws.hi -= bytes;
	return c->ws.hi;
}

void luoc_ws_enospc(struct luoc_ctx *c, const char *what)
{
	struct luoc_loc loc = { .kind = LK_WORKSPACE };

	if (c->ws.enospc)
		return;
	c->ws.enospc = true;
	luoc_report(c, &loc, R_MEM_002, SEV_W, -LUOC_ENOSPC, LUOC_NO_PHYS,
		    "workspace of %llu bytes is too small: %s skipped (see luoc_workspace_hint)",
		    (unsigned long long)c->cfg->workspace_size, what);
}

/*
 * Enough for every index and range a state in image_bytes can need: at
 * most one range or index entry (32 bytes) and one job share (40 bytes per
 * file, far fewer than pages) per 4 KiB page, plus slack for small states.
 * This covers the per-folio range set that locates overlapping folios (32
 * bytes a folio) as long as the folios do not pile up on the same pages.
 */
size_t luoc_workspace_hint(uint64_t image_bytes)
{
	uint64_t pages = image_bytes / 4096 + 1;
	uint64_t want = (uint64_t)1 << 20;

#if __SIZEOF_SIZE_T__ < 8	/* (the kernel's SIZE_MAX is no #if expression) */
	/* only a 32-bit size_t can be outgrown: 2^64 image bytes need 2^58 here */
	if (pages > ((uint64_t)SIZE_MAX - want) / 48)
		return SIZE_MAX;
#endif
	return (size_t)(want + pages * 48);
}

/*
 * The folio claims (folio_claim.c): one 512-byte bitmap block, its key and
 * two table slots per 16 MiB of 4 KiB pages the folios touch, at most
 * 32 MiB of blocks.  Folio data lies in the memory the image carries.
 */
#define WS_CLAIM_SPAN_LOG2	24
#define WS_CLAIM_PER_SPAN	(520 + 2 * 4)
#define WS_CLAIM_MAX		(((uint64_t)32 << 20) + ((uint64_t)32 << 20) / 520 * 2 * 4)

/*
 * The structures take at most one range, index entry or job share per page
 * of metadata (48 bytes, as above), the radix walk's visited set two slots
 * per node page, the claims their share per 16 MiB of memory; 1 MiB of
 * slack covers the uniqueness keys and the small tables.  What this leaves
 * out is the per-folio range set, which only a state with overlapping
 * folios (or with folios spread over more than 65536 16-MiB blocks) fills:
 * such a check reports LUOC_ENOSPC, and luoc_workspace_hint(mem_bytes)
 * gives the room for the complete one.
 */
size_t luoc_workspace_hint_meta(uint64_t meta_bytes, uint64_t mem_bytes)
{
	uint64_t full = luoc_workspace_hint(mem_bytes);
	uint64_t claims = ((mem_bytes >> WS_CLAIM_SPAN_LOG2) + 1) * WS_CLAIM_PER_SPAN;
	uint64_t want = luoc_workspace_hint(meta_bytes);

	if (claims > WS_CLAIM_MAX)
		claims = WS_CLAIM_MAX;
	if (want >= full || claims >= full - want)
		return (size_t)full;
	return (size_t)(want + claims);
}
