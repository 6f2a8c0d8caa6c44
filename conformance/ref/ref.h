/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/*
 * ref.h - internals of the reference implementation of the LUO handover
 * (luo-v1 and luo-v5).
 *
 * The reference is written from spec/abi (through the generated profile
 * table) and the spec's reader rules.  It shares no code with the checker
 * core: its profile table is the generated one compiled under another
 * name (luoc_ref_profiles), so the two can be linked into one program.
 *
 *   ref_preserve.c   abstract state -> memory a kernel leaves at kexec
 *   ref_restore.c    state image -> decoded state or rejection
 *   ref_kmap.c       KHO preserved-memory map, both formats, both ways
 *   ref_memfd.c      memfd handler data, both forms, both ways
 *   ref_wmem.c       the writer's physical memory
 *   ref_util.c       byte order, fields, profile lookup, arena
 */
#ifndef LUOC_REF_H
#define LUOC_REF_H

#include <stdarg.h>
#include <stdio.h>

#include "luoc/abi.h"
#include "luoc/adapter.h"
#include "arena.h"	/* conformance/adapter: a decoded state's memory */
#include "luoc_abi_gen.h"

/*
 * Deliberate defects, for the broken sample adapters the suite must catch
 * (tests/ref).  A build with -DLUOC_REF_DEFECT=<bit> bakes one in; the
 * runner also injects writer defects at run time to make states whose
 * violated requirement it knows.
 */
#define REF_DEF_NO_FLB		(1u << 0)	/* writer omits /luo-flb */
#define REF_DEF_BE_U64		(1u << 1)	/* writer stores u64 big-endian */
#define REF_DEF_FOLIO_UNPRES	(1u << 2)	/* writer does not preserve one folio */
#define REF_DEF_ANY_COMPAT	(1u << 3)	/* reader ignores the LUO compatible */
#define REF_DEF_NAME_NO_NUL	(1u << 4)	/* writer fills names to the field end */
#define REF_DEF_LUO_COMPAT	(1u << 5)	/* writer: LUO root compatible "luo-v0" */
#define REF_DEF_NO_NUMBER	(1u << 6)	/* writer omits liveupdate-number */
#define REF_DEF_SESS_COMPAT	(1u << 7)	/* writer: wrong session compatible */
#define REF_DEF_DUP_SESSION	(1u << 8)	/* writer: second session named as the first */
#define REF_DEF_KHO_COMPAT	(1u << 9)	/* writer: KHO root compatible "kho-v0" */
#define REF_DEF_SEALS	(1u << 10)	/* writer: memfd-v2 seals outside the known set */
#define REF_DEF_SILENT	(1u << 11)	/* reader refuses without saying why */

#ifndef LUOC_REF_DEFECT
#define LUOC_REF_DEFECT 0
#endif

/* --- util ---------------------------------------------------------------- */

const struct luoc_profile *ref_profile(const char *name);
const char *const *ref_profile_names(void);

uint64_t ref_ld(const void *p, unsigned int size, bool be);
void ref_st(void *p, unsigned int size, uint64_t v, bool be);
static inline uint64_t ref_ldf(const void *base, struct luoc_field f, bool be)
{
	return ref_ld((const uint8_t *)base + f.off, f.size, be);
}
static inline void ref_stf(void *base, struct luoc_field f, uint64_t v, bool be)
{
	ref_st((uint8_t *)base + f.off, f.size, v, be);
}
static inline uint64_t ref_bits(uint64_t v, struct luoc_bits b)
{
	return b.width >= 64 ? v >> b.lsb : (v >> b.lsb) & ((1ull << b.width) - 1);
}
static inline uint64_t ref_mkbits(uint64_t v, struct luoc_bits b)
{
	return b.width >= 64 ? v << b.lsb : (v & ((1ull << b.width) - 1)) << b.lsb;
}
unsigned int ref_log2(uint64_t v);

/* --- writer memory ------------------------------------------------------ */

enum ref_region {
	REF_RG_KERNEL,		/* kho_alloc_preserve and friends */
	REF_RG_USER,		/* memfd folios (user memory) */
	REF_RG_TRACKER,		/* KHO map pages: in the image, never preserved */
	REF_RG_N,
};

struct ref_pres {
	uint64_t phys;
	uint32_t order;
};

struct ref_blk {
	uint64_t phys;
	uint64_t len;
	uint8_t *buf;
};

struct ref_w {
	const struct luoc_profile *p;
	uint32_t ps;
	bool be;
	unsigned int defects;
	uint64_t rng;
	uint64_t next[REF_RG_N];
	struct ref_blk *blks;
	size_t n_blks, cap_blks;
	struct ref_pres *pres;
	size_t n_pres, cap_pres;
	char *err;
	size_t errlen;
};

int ref_w_init(struct ref_w *w, const struct luoc_profile *p,
	       const struct luoc_preserve_opts *o, unsigned int defects,
	       char *err, size_t errlen);
void ref_w_fini(struct ref_w *w);
/* Zeroed 'PAGE_SIZE << order' bytes, naturally aligned; preserved if asked. */
uint8_t *ref_w_alloc(struct ref_w *w, enum ref_region rg, uint32_t order,
		     bool preserve, uint64_t *phys);
int ref_w_preserve(struct ref_w *w, uint64_t phys, uint32_t order);
int ref_w_fail(struct ref_w *w, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static inline void ref_w_st64(struct ref_w *w, void *p, uint64_t v)
{
	ref_st(p, 8, v, w->be);
}

/* --- reader ------------------------------------------------------------- */

/* Where an error was found: picks the outcome of an "undefined" violation. */
enum ref_phase {
	REF_PH_KHO,		/* KHO root and map: KHO revival off */
	REF_PH_EARLY,		/* LUO FDT at boot */
	REF_PH_OPEN,		/* first open of /dev/liveupdate */
	REF_PH_FILE,		/* one file's retrieve */
};

#define REF_HASH_BUDGET		(1ull << 30)	/* content bytes hashed per restore */

struct ref_block {
	uint64_t phys;
	uint64_t end;		/* phys + (PAGE_SIZE << order) */
	uint32_t order;
};

struct ref_range {
	uint64_t phys, end;
	const char *what;
};

/* A hash set of u64 keys or of strings (duplicate names and tokens in O(n)). */
struct ref_set {
	uint64_t *key;
	const char **str;
	uint8_t *used;
	size_t cap, n;
};

struct ref_r {
	const struct luoc_profile *p;
	uint32_t ps;
	bool be;
	unsigned int defects;
	const void *(*map)(void *ctx, uint64_t phys, uint64_t len);
	void *mctx;
	uint64_t kho_root, kho_root_size;

	struct ref_block *kmap;		/* preserved blocks, sorted by phys */
	size_t n_kmap, cap_kmap;
	struct ref_range *ranges;	/* structures read, for overlap checks */
	size_t n_ranges, cap_ranges;

	/* bytes of memfd content left to hash in this restore (bounds the work) */
	uint64_t hash_left;

	struct ref_set names;		/* session names seen */
	struct ref_set tokens;		/* tokens of the session being read */

	struct luoc_st_arena *arena;
	struct luoc_restore_out *out;
};

int ref_reject(struct ref_r *r, const char *req, enum ref_phase ph,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int ref_reject_as(struct ref_r *r, const char *req, enum luoc_outcome o,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
const void *ref_map(struct ref_r *r, uint64_t phys, uint64_t len);
/* Is [phys, phys+len) inside preserved blocks? */
bool ref_preserved(const struct ref_r *r, uint64_t phys, uint64_t len);
/* The preserved block starting exactly at phys, or NULL. */
const struct ref_block *ref_block_at(const struct ref_r *r, uint64_t phys);
int ref_add_range(struct ref_r *r, uint64_t phys, uint64_t len, const char *what);

/* ref_kmap.c */
int ref_kmap_write(struct ref_w *w, uint64_t *map_phys);
int ref_kmap_read(struct ref_r *r, uint64_t map_phys);

/* ref_memfd.c */
int ref_memfd_write(struct ref_w *w, const struct luoc_st_memfd *m, uint64_t *data);
int ref_memfd_read(struct ref_r *r, uint64_t data, struct luoc_st_memfd *m,
		   const char *where);

/* entry points (ref_preserve.c, ref_restore.c) */
int ref_preserve(const char *profile, const struct luoc_state *st,
		 const struct luoc_preserve_opts *o, unsigned int defects,
		 const char *out_path, char *err, size_t errlen);
int ref_restore(const char *profile, const struct luoc_restore_in *in,
		unsigned int defects, struct luoc_restore_out *out);
void ref_restore_free(struct luoc_restore_out *out);

/* ref_adapter.c: the reference as an adapter (for embedding) */
const struct luoc_adapter *luoc_ref_adapter(void);

#endif /* LUOC_REF_H */
