// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * fdtcheck.c - make a hostile FDT safe to hand to libfdt.
 *
 * fdt_check_header() of libfdt 1.6.1 (and of the kernel's copy) does not
 * check block alignment, and libfdt's read-only functions assume a sane
 * structure block.  So before any fdt_getprop() the core checks, itself:
 * the header fields against the buffer it mapped, every block inside
 * totalsize and aligned, the memory reservation map terminated, and the
 * structure block by a bounded fdt_next_tag() walk (each property length
 * and name offset checked before libfdt adds them, nesting balanced, one
 * root, FDT_END last).  fdt_check_full() is not used: the kernel's libfdt
 * has no fdt_check.c.
 */
#include "luoc_int.h"

#define FDT_MAX_NEST	64	/* libfdt's FDT_MAX_DEPTH */

/* off and len are 32-bit header fields (plus a property header): their sum cannot wrap */
static bool inside(uint64_t off, uint64_t len, uint64_t total)
{
	return off + len <= total;
}

/* The memory reservation map: 16-byte entries up to a zero entry. */
static bool rsvmap_ok(const uint8_t *fdt, uint32_t off, uint32_t limit)
{
	uint64_t o;

	for (o = off; o + 16 <= limit; o += 16)
		if (luoc_all_zero(fdt + o, 16))
			return true;
	return false;
}

/*
 * Header fields and blocks, before libfdt looks at anything else.  The
 * caller has mapped totalsize bytes, so every block bound is checked
 * against it.
 */
static bool header_ok(const void *fdt, char *why, size_t whylen)
{
	const uint8_t *b = fdt;
	uint32_t total = fdt_totalsize(fdt);
	uint32_t o_rsv = fdt_off_mem_rsvmap(fdt), o_st = fdt_off_dt_struct(fdt);
	uint32_t o_str = fdt_off_dt_strings(fdt), s_st = fdt_size_dt_struct(fdt);
	uint32_t s_str = fdt_size_dt_strings(fdt);
	uint32_t rsv_end;
	int err;

	err = fdt_check_header(fdt);
	if (err) {
		luoc_snprintf(why, whylen, "fdt_check_header: %s", fdt_strerror(err));
		return false;
	}
	if (fdt_version(fdt) < 17) {
		luoc_snprintf(why, whylen, "version %u < 17", fdt_version(fdt));
		return false;
	}
	if (!inside(o_rsv, 16, total) || !inside(o_st, s_st, total) ||
	    !inside(o_str, s_str, total) || o_rsv < FDT_V17_SIZE ||
	    o_st < FDT_V17_SIZE || o_str < FDT_V17_SIZE) {
		luoc_snprintf(why, whylen, "a block lies outside totalsize %u or inside the header", total);
		return false;
	}
	if (!luoc_aligned(o_rsv, 8) || !luoc_aligned(o_st, 4) || !luoc_aligned(s_st, 4)) {
		luoc_snprintf(why, whylen,
			      "misaligned block (off_mem_rsvmap %u, off_dt_struct %u, size_dt_struct %u)",
			      o_rsv, o_st, s_st);
		return false;
	}
	if ((o_st < o_str + (uint64_t)s_str && o_str < o_st + (uint64_t)s_st)) {
		luoc_snprintf(why, whylen, "structure and strings blocks overlap");
		return false;
	}
	/* the reservation map ends before the next block that follows it */
	rsv_end = total;
	if (o_st > o_rsv && o_st < rsv_end)
		rsv_end = o_st;
	if (o_str > o_rsv && o_str < rsv_end)
		rsv_end = o_str;
	if (!rsvmap_ok(b, o_rsv, rsv_end)) {
		luoc_snprintf(why, whylen, "memory reservation map is not terminated");
		return false;
	}
	return true;
}

/* A property's length and name offset, checked before fdt_next_tag adds them. */
static bool prop_ok(const void *fdt, int off, char *why, size_t whylen)
{
	const struct fdt_property *pr = fdt_offset_ptr(fdt, off, sizeof(*pr));
	uint32_t s_st = fdt_size_dt_struct(fdt), s_str = fdt_size_dt_strings(fdt);
	const char *strs = (const char *)fdt + fdt_off_dt_strings(fdt);
	uint32_t len, nameoff;

	if (!pr) {
		luoc_snprintf(why, whylen, "property at structure offset %d is truncated", off);
		return false;
	}
	len = fdt32_ld(&pr->len);
	nameoff = fdt32_ld(&pr->nameoff);
	if (!inside((uint64_t)off + sizeof(*pr), len, s_st)) {
		luoc_snprintf(why, whylen, "property at structure offset %d: length %u runs past the structure block",
			      off, len);
		return false;
	}
	if (nameoff >= s_str || !memchr(strs + nameoff, '\0', s_str - nameoff)) {
		luoc_snprintf(why, whylen, "property at structure offset %d: name offset %u outside the strings block",
			      off, nameoff);
		return false;
	}
	return true;
}

int luoc_fdt_struct_ok(const void *fdt, char *why, size_t whylen)
{
	uint64_t steps = 0, max_steps = fdt_size_dt_struct(fdt) / 4 + 2;
	int off = 0, next, depth = 0;
	bool root_done = false, root_seen = false;

	for (;;) {
		const fdt32_t *tp = fdt_offset_ptr(fdt, off, 4);
		uint32_t tag;

		if (!tp || ++steps > max_steps) {
			luoc_snprintf(why, whylen, "structure block ends without FDT_END");
			return -1;
		}
		if (fdt32_ld(tp) == FDT_PROP && !prop_ok(fdt, off, why, whylen))
			return -1;
		tag = fdt_next_tag(fdt, off, &next);
		if (next < 0 && tag != FDT_END) {
			luoc_snprintf(why, whylen, "bad tag at structure offset %d", off);
			return -1;
		}
		switch (tag) {
		case FDT_BEGIN_NODE:
			if (root_done || ++depth > FDT_MAX_NEST) {
				luoc_snprintf(why, whylen, "%s at structure offset %d",
					      root_done ? "second root node" : "nodes nested too deep", off);
				return -1;
			}
			root_seen = true;
			break;
		case FDT_END_NODE:
			if (depth-- <= 0) {
				luoc_snprintf(why, whylen, "unbalanced FDT_END_NODE at structure offset %d", off);
				return -1;
			}
			if (!depth)
				root_done = true;
			break;
		case FDT_PROP:
			if (!depth) {
				luoc_snprintf(why, whylen, "property outside a node at structure offset %d", off);
				return -1;
			}
			break;
		case FDT_NOP:
			break;
		case FDT_END:
			if (next < 0 || depth || !root_seen) {
				luoc_snprintf(why, whylen, "structure truncated or unbalanced at offset %d", off);
				return -1;
			}
			return 0;
		default:
			luoc_snprintf(why, whylen, "unknown tag 0x%x at structure offset %d", tag, off);
			return -1;
		}
		off = next;
	}
}

/*
 * libfdt reads fdt32 cells in place, so the buffer must be 4-byte aligned
 * in host memory; a state may put an FDT anywhere, so an unaligned one is
 * copied to the workspace first.
 */
static const void *aligned_copy(struct luoc_ctx *c, const void *src, uint32_t len)
{
	void *dst;

	if (!((uintptr_t)src & 7))
		return src;
	dst = luoc_ws_take_hi(c, len);
	if (!dst) {
		luoc_ws_enospc(c, "an FDT at an unaligned address");
		return NULL;
	}
	__builtin_memcpy(dst, src, len);
	return dst;
}

/* A big-endian header cell of a buffer not yet known to be aligned. */
uint32_t luoc_fdt_hdr32(const void *hdr, size_t off)
{
	const uint8_t *b = (const uint8_t *)hdr + off;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

int luoc_fdt_open(struct luoc_ctx *c, const struct luoc_loc *loc, const char *req,
		  uint64_t phys, uint64_t maxsize, const void **fdtp)
{
	char why[160];
	const void *hdr, *fdt;
	uint32_t total;

	*fdtp = NULL;
	hdr = luoc_need(c, loc, req, phys, FDT_V17_SIZE, "FDT header");
	if (!hdr)
		return -LUOC_EABSENT;
	if (luoc_fdt_hdr32(hdr, offsetof(struct fdt_header, magic)) != FDT_MAGIC) {
		luoc_report(c, loc, req, SEV_E, -LUOC_EFORMAT, phys,
			    "no FDT at 0x%llx (magic 0x%x)", (unsigned long long)phys,
			    luoc_fdt_hdr32(hdr, offsetof(struct fdt_header, magic)));
		return -LUOC_EFORMAT;
	}
	total = luoc_fdt_hdr32(hdr, offsetof(struct fdt_header, totalsize));
	if (total < FDT_V17_SIZE || total > maxsize) {
		luoc_report(c, loc, req, SEV_E, -LUOC_ESIZE, phys,
			    "FDT totalsize %u is outside [%u, %llu]", total,
			    (unsigned int)FDT_V17_SIZE, (unsigned long long)maxsize);
		return -LUOC_ESIZE;
	}
	fdt = luoc_need(c, loc, req, phys, total, "FDT");
	if (!fdt)
		return -LUOC_EABSENT;
	fdt = aligned_copy(c, fdt, total);
	if (!fdt)
		return -LUOC_ENOSPC;
	if (!header_ok(fdt, why, sizeof(why)) ||
	    luoc_fdt_struct_ok(fdt, why, sizeof(why))) {
		luoc_report(c, loc, req, SEV_E, -LUOC_EFORMAT, phys, "malformed FDT: %s", why);
		return -LUOC_EFORMAT;
	}
	*fdtp = fdt;
	return 0;
}
