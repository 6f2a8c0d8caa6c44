/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/*
 * abi.h - the shape of a profile table.
 *
 * The values are not written here: conformance/tools/abigen.py fills
 * struct luoc_profile for every profile from spec/abi/ into the generated
 * luoc_profiles_gen.c, and the constants into luoc_abi_gen.h.  This file
 * only says which facts the checker needs, so a new profile adds rows and,
 * where it needs new facts, members (luo-v5 added the raw LUO root, block
 * chains and per-page-size radix geometry).
 */
#ifndef LUOC_ABI_H
#define LUOC_ABI_H

#include "luoc_env.h"

#define LUOC_LOG2(x)		((unsigned int)__builtin_ctzll((unsigned long long)(x)))
#define LUOC_DIV_ROUND_UP(a, b)	(((a) + (b) - 1) / (b))

/* A field of a packed struct; size 0 means "this profile has no such field". */
struct luoc_field {
	uint16_t off;
	uint16_t size;
};

/* A named bit range of an integer field (lsb counted in the CPU-native value). */
struct luoc_bits {
	uint8_t lsb;
	uint8_t width;
};

/*
 * An area: a preserved block of 'pages' pages holding an optional header
 * and then fixed-size entries.  The entry limit is
 *     (pages * PAGE_SIZE - hdr_size) / entry_size
 * which is the form of every LUO limit (LUO_SESSION_MAX, LUO_FILE_MAX,
 * LUO_FLB_MAX, and the entries per KHO serialization block); see
 * luoc_area_max().  An area whose header has a 'next' field is one block
 * of a chain (kho-v4 serialization blocks): the entries of a set are
 * spread over blocks linked by that field.
 */
struct luoc_area {
	uint32_t pages;
	uint16_t hdr_size;		/* 0: no header */
	uint16_t entry_size;
	struct luoc_field hdr_pgcnt;	/* size 0: header has no pgcnt */
	struct luoc_field hdr_count;	/* size 0: count lives elsewhere */
	struct luoc_field hdr_next;	/* size 0: a single area, not a chain */
};

enum luoc_kmap_format {
	LUOC_KMAP_BITMAP_CHUNKS,	/* kho-v1: list of chunks of bitmaps */
	LUOC_KMAP_RADIX,		/* kho-v2 and later: radix tree */
};

/* How the LUO root is handed over. */
enum luoc_luo_form {
	LUOC_LUO_FDT,			/* luo-v1: the LUO FDT with child nodes */
	LUOC_LUO_RAW,			/* luo-v5: a packed struct luo_ser */
};

/*
 * Radix-tree geometry (kho-v2 and later) at one page size.  Profiles carry
 * it for every PAGE_SHIFT from LUOC_PSHIFT_MIN on (luoc_radix_geom()).
 */
struct luoc_radix_geom {
	uint8_t table_log2, bitmap_log2, order0_log2, depth;
};

#define LUOC_PSHIFT_MIN		12	/* 4 KiB */
#define LUOC_NPSHIFT		5	/* ... 64 KiB */

enum luoc_memfd_form {
	LUOC_MEMFD_NONE,
	LUOC_MEMFD_STRUCT,		/* packed memfd_luo_ser */
	LUOC_MEMFD_FDT,			/* series-v6: a small FDT */
};

/*
 * Incoming-kernel reaction, in rising order of harm: enum luoc_outcome and
 * LUOC_OUTCOME_NAMES are generated from the outcome list that the profile
 * YAML files use (conformance/tools/luoabi.py).
 */
#include "luoc_outcome_gen.h"

struct luoc_outcome_row {
	const char *req;
	enum luoc_outcome outcome;
};

struct luoc_memfd_desc {
	const char *compat;			/* "memfd-v1", "memfd-v2" */
	const char *component;			/* id in spec/abi: "memfd-v1-fdt" */
	enum luoc_memfd_form form;
	uint16_t size;				/* struct size (LUOC_MEMFD_STRUCT) */
	struct luoc_field pos, fsize, seals, flags, nr_folios, folios;
	/* LUOC_MEMFD_FDT: property names */
	const char *prop_pos, *prop_size, *prop_nr_folios, *prop_folios;
	uint32_t all_seals;			/* 0: no seals in this version */
	uint16_t folio_size;
	struct luoc_field folio_desc, folio_index;
	struct luoc_bits folio_pfn, folio_flags;	/* little-endian writers */
	struct luoc_bits folio_pfn_be, folio_flags_be;	/* big-endian writers */
	uint32_t folio_flags_known;
};

struct luoc_profile {
	const char *name;		/* "v7.0" */
	const char *title;		/* "Linux v7.0" */

	/* KHO root FDT */
	const char *kho_compat;
	const char *kho_map_prop;		/* "preserved-memory-map" */
	const char *kho_sub_addr_prop;		/* "fdt" or "preserved-data" */
	const char *kho_sub_size_prop;		/* NULL or "blob-size" */
	enum luoc_kmap_format kmap;
	uint32_t kmap_max_order;
	/* kho-v1 bitmap chunks (kmap == LUOC_KMAP_BITMAP_CHUNKS) */
	uint16_t chunk_hdr_size, chunk_entry_size;
	struct luoc_field chunk_next, chunk_order, chunk_num_elms;
	struct luoc_field bmp_phys_start, bmp_bitmap;
	uint32_t bitmap_bytes_fixed;		/* 0: a bitmap is one page */
	/* radix tree (kmap == LUOC_KMAP_RADIX), by PAGE_SHIFT - LUOC_PSHIFT_MIN */
	struct luoc_radix_geom radix[LUOC_NPSHIFT];
	/* serialization blocks: the most blocks a chain may have (KHO_MAX_BLOCKS) */
	uint32_t blk_max_blocks;		/* 0: this KHO has no blocks */

	/* struct kho_vmalloc and its chunks */
	uint16_t vmalloc_size;
	struct luoc_field vm_first, vm_total_pages, vm_flags, vm_order;
	uint16_t vm_chunk_hdr_size;
	uint32_t vm_flags_known;

	/* LUO root */
	enum luoc_luo_form luo_form;
	const char *luo_entry;			/* "LUO" */
	const char *luo_compat;			/* "luo-v1", "luo-v5" */
	/* LUOC_LUO_FDT: the LUO FDT */
	const char *luo_num_prop;		/* "liveupdate-number" */
	uint32_t luo_fdt_pages;			/* LUO_FDT_SIZE in pages */
	/* LUOC_LUO_RAW: struct luo_ser */
	uint16_t ser_size;
	struct luoc_field ser_compat, ser_num, ser_sessions, ser_flbs;

	/* sessions (LUOC_LUO_RAW: no node; the areas are chained blocks) */
	const char *sess_node, *sess_compat, *sess_hdr_prop;
	struct luoc_area sess_area;
	struct luoc_field sess_name, sess_files, sess_pgcnt, sess_count;
	struct luoc_area file_area;
	struct luoc_field file_compat, file_data, file_token;

	/*
	 * FLB (flb_node NULL: this profile has no FLB node; a LUOC_LUO_RAW
	 * profile finds the FLB page through luo_ser, flb_area.entry_size 0:
	 * no FLB at all)
	 */
	const char *flb_node, *flb_compat, *flb_hdr_prop;
	struct luoc_area flb_area;
	struct luoc_field flb_name, flb_data, flb_count;

	/* handlers this profile knows */
	const struct luoc_memfd_desc *memfd;

	/* incoming kernel */
	bool compat_list_match;		/* reader accepts the string anywhere in a list */
	bool folio_pfn0_hole;		/* reader skips a folio record with pfn 0 */
	enum luoc_outcome out_default, out_luo_error;
	const struct luoc_outcome_row *outcomes;
	unsigned int n_outcomes;
};

extern const struct luoc_profile luoc_profiles[];
extern const unsigned int luoc_n_profiles;

static inline uint64_t luoc_area_max(const struct luoc_area *a, uint64_t page_size)
{
	return ((uint64_t)a->pages * page_size - a->hdr_size) / a->entry_size;
}

/* The radix geometry at a page size the profile table covers, else NULL. */
static inline const struct luoc_radix_geom *luoc_radix_geom(const struct luoc_profile *p,
							    unsigned int page_shift)
{
	if (page_shift < LUOC_PSHIFT_MIN || page_shift >= LUOC_PSHIFT_MIN + LUOC_NPSHIFT)
		return NULL;
	return &p->radix[page_shift - LUOC_PSHIFT_MIN];
}

#endif /* LUOC_ABI_H */
