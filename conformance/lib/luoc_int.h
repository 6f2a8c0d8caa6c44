/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/*
 * luoc_int.h - private interfaces of libluoconform.
 *
 * Every walker gets the one checker context (struct luoc_ctx, on the
 * caller's stack: the core keeps no global mutable state) and describes
 * where it is with a struct luoc_loc, which the reporter renders into the
 * location path documented in luoc.h.
 */
#ifndef LUOC_INT_H
#define LUOC_INT_H

#include <stdarg.h>
#include <libfdt.h>

#include "luoc/luoc.h"
#include "luoc_abi_gen.h"

/*
 * The devicetree standard property that carries compatible strings.  It
 * is part of the devicetree specification, not of the LUO ABI, so
 * spec/abi does not generate it.
 */
#define LUOC_PROP_COMPATIBLE	"compatible"

#define LUOC_WHERE_MAX		96
#define LUOC_MSG_MAX		256
#define LUOC_ORDERS		32	/* bound on kmap_max_order + 1 */
#define LUOC_NAME_SHOW		64	/* bytes of a hostile name shown */

/* Requirement IDs: the catalogue's names, one place. */
#define R_IMG_003	"LUO-IMG-003"
#define R_KHO_001	"LUO-KHO-001"
#define R_KHO_002	"LUO-KHO-002"
#define R_KHO_003	"LUO-KHO-003"
#define R_KHO_004	"LUO-KHO-004"
#define R_KHO_005	"LUO-KHO-005"
#define R_KMAP_001	"LUO-KMAP-001"
#define R_KMAP_002	"LUO-KMAP-002"
#define R_KMAP_003	"LUO-KMAP-003"
#define R_FDT_001	"LUO-FDT-001"
#define R_FDT_002	"LUO-FDT-002"
#define R_FDT_003	"LUO-FDT-003"
#define R_FDT_004	"LUO-FDT-004"
#define R_FDT_005	"LUO-FDT-005"
#define R_SESS_001	"LUO-SESS-001"
#define R_SESS_002	"LUO-SESS-002"
#define R_SESS_003	"LUO-SESS-003"
#define R_SESS_004	"LUO-SESS-004"
#define R_SESS_005	"LUO-SESS-005"
#define R_SESS_006	"LUO-SESS-006"
#define R_SESS_007	"LUO-SESS-007"
#define R_SESS_008	"LUO-SESS-008"
#define R_FILE_001	"LUO-FILE-001"
#define R_FILE_002	"LUO-FILE-002"
#define R_FILE_003	"LUO-FILE-003"
#define R_FILE_004	"LUO-FILE-004"
#define R_FLB_001	"LUO-FLB-001"
#define R_FLB_002	"LUO-FLB-002"
#define R_FLB_003	"LUO-FLB-003"
#define R_FLB_004	"LUO-FLB-004"
#define R_FLB_005	"LUO-FLB-005"
#define R_FLB_006	"LUO-FLB-006"
#define R_MEMFD_001	"LUO-MEMFD-001"
#define R_MEMFD_002	"LUO-MEMFD-002"
#define R_MEMFD_003	"LUO-MEMFD-003"
#define R_MEMFD_004	"LUO-MEMFD-004"
#define R_MEMFD_005	"LUO-MEMFD-005"
#define R_MEMFD_006	"LUO-MEMFD-006"
#define R_MEM_002	"LUO-MEM-002"
#define R_MEM_003	"LUO-MEM-003"
#define R_PROF_001	"LUO-PROF-001"
#define R_SER_001	"LUO-SER-001"
#define R_SER_002	"LUO-SER-002"
#define R_SER_003	"LUO-SER-003"
#define R_SER_004	"LUO-SER-004"
#define R_BLK_001	"LUO-BLK-001"
#define R_BLK_002	"LUO-BLK-002"
#define R_BLK_003	"LUO-BLK-003"
#define R_BLK_004	"LUO-BLK-004"
#define R_BLK_005	"LUO-BLK-005"
#define R_BLK_006	"LUO-BLK-006"

#define SEV_E	LUOC_SEV_ERROR
#define SEV_W	LUOC_SEV_WARNING
#define SEV_N	LUOC_SEV_NOTE

/* ---- locations ---------------------------------------------------------- */

enum luoc_loc_kind {
	LK_NONE,
	LK_KHO_ROOT,		/* kho:/ */
	LK_KHO_LUO,		/* kho:/LUO */
	LK_KMAP,		/* kmap */
	LK_LUO_ROOT,		/* luo:/ (luo-v5: luo_ser) */
	LK_LUO_SESS,		/* luo:/luo-session and its area (luo-v5: luo_ser.sessions) */
	LK_LUO_FLB,		/* luo:/luo-flb and its page (luo-v5: luo_ser.flbs) */
	LK_SESSION,		/* session[s] (and its file array) */
	LK_FILE,		/* session[s].file[f] */
	LK_MEMFD,		/* session[s].file[f].memfd */
	LK_VMCHUNK,		/* session[s].file[f].memfd.folios.chunk[i] */
	LK_VMPAGE,		/* session[s].file[f].memfd.folios.page[i] */
	LK_FOLIO,		/* session[s].file[f].memfd.folio[i] */
	LK_FLB,			/* flb[i] */
	LK_WORKSPACE,		/* workspace */
	LK_SBLOCK,		/* sessions.block[i]: a block of the session chain */
	LK_FBLOCK,		/* session[s].files.block[i]: a block of a file chain */
};

struct luoc_loc {
	enum luoc_loc_kind kind;
	uint32_t s, f;
	uint64_t i;
};

/* ---- workspace ---------------------------------------------------------- */

/*
 * One caller buffer, two ends: permanent tables and range sets grow up
 * from 'lo', per-file folio jobs grow down from 'hi'.
 */
struct luoc_ws {
	uint8_t *lo, *hi;
	bool enospc;		/* reported (once) */
};

/* ---- range set (overlap checks, LUO-MEM-002) ---------------------------- */

struct luoc_range {
	uint64_t start, end;	/* [start, end) */
	uint64_t i;
	uint16_t s, f;
	uint8_t kind;		/* enum luoc_loc_kind */
	uint8_t pad[3];
};

struct luoc_rset {
	struct luoc_range *r;
	size_t n;
	bool incomplete;	/* workspace ran out: some ranges missing */
	bool sorted;
	size_t hint;		/* last answer of luoc_rset_find() */
};

/* ---- preserved-memory map ----------------------------------------------- */

struct luoc_kmap_ent {		/* kho-v1 index entry */
	uint64_t start;		/* phys_start */
	uint64_t bitmap;	/* phys of the bitmap */
	uint64_t order;
};

struct luoc_kmap {
	bool usable;		/* lookups mean something */
	uint64_t head;		/* chunk list head or radix root */
	unsigned int orders;	/* kmap_max_order + 1 */
	uint64_t bitmap_bytes;
	/* a profile has one map format: its state shares the room (the stack's) */
	union {
		struct {	/* kho-v1 */
			struct luoc_kmap_ent *idx;
			size_t n;
			size_t seg[LUOC_ORDERS + 1];	/* entries of order o: [seg[o], seg[o+1]) */
			struct {
				size_t k;
				const uint8_t *bmp;
			} hit[LUOC_ORDERS];
		};
		struct {	/* radix */
			unsigned int table_log2, bitmap_log2, order0_log2, depth;
			const uint8_t *root_map;
			struct {
				bool valid;
				uint64_t leafkey;
				const uint8_t *leaf;
			} leaf[LUOC_ORDERS];
		};
	};
};

/* ---- folio jobs: memfd folio arrays checked in the second pass ---------- */

struct luoc_job {
	const struct luoc_memfd_desc *md;
	uint64_t first;		/* first kho_vmalloc chunk */
	uint64_t nr_folios;
	uint64_t size;		/* file size */
	uint32_t total_pages;
	uint16_t order;
	uint16_t pad;
	uint32_t s, f;
};

/* ---- entry sequences: one area, or a chain of blocks (blocks.c) ---------- */

/*
 * A chain of kho-v4 serialization blocks: each block is one area of 'a'
 * whose header links the next.  luoc_chain_open() bounds the walk
 * (nblocks: the blocks up to the end of the chain, the first repeated
 * block, or the profile's block limit) and counts the entries of the
 * blocks that are present with a valid count; luoc_chain_check() reports
 * every block's defects.
 */
struct luoc_chain {
	const struct luoc_area *a;
	struct luoc_loc owner;		/* who points at the chain (for findings) */
	enum luoc_loc_kind bkind;	/* LK_SBLOCK or LK_FBLOCK */
	const char *req_shape;		/* cycle or too many blocks */
	const char *req_count;		/* a block's count 0 or over its maximum */
	const char *what;		/* "session block", "file block" */
	uint64_t head;
	uint64_t nblocks;
	uint64_t entries;
	bool bad;			/* a defect the kernel refuses the chain for */
};

/*
 * The entries of a set, in order: either 'n' entries of 'stride' bytes
 * at arr (phys), or the entries of a chain's usable blocks.  Sequential
 * access is O(1) per entry (a cursor remembers the current block).
 */
struct luoc_seq {
	uint64_t n;
	size_t stride;
	const uint8_t *arr;
	uint64_t phys;
	const struct luoc_chain *chain;	/* NULL: contiguous */
	uint64_t cur_blk, cur_first, cur_n, cur_phys;
	const uint8_t *cur;
	bool loaded;			/* cur/cur_n describe block cur_blk */
};

/* ---- incoming-kernel stages (spec/incoming.rst) --------------------------- */

/*
 * Where the incoming kernel meets a defect.  A stage whose defect stops
 * the kernel (fresh start, live update disabled, panic, failed open)
 * hides every later stage, so the outcome of a state is folded stage by
 * stage (check.c).
 */
enum luoc_stage {
	ST_ROOT,	/* KHO root FDT, its compatible and map property */
	ST_KMAP,	/* the preserved-memory map */
	ST_ENTRY,	/* the LUO sub-node */
	ST_LUOFDT,	/* LUO FDT: root, /luo-session and /luo-flb properties */
	ST_OPEN,	/* first open: session area, file arrays, FLB page */
	ST_RETRIEVE,	/* RETRIEVE_FD: memfd state, folio array, folios */
	ST_COUNT,
};

/* ---- the context --------------------------------------------------------- */

struct luoc_ctx {
	const struct luoc_config *cfg;
	const struct luoc_mem *mem;
	const struct luoc_visitor *vis;
	struct luoc_result *res;
	const struct luoc_profile *p;
	uint64_t ps;
	unsigned int pshift;
	bool be;
	bool quiet;		/* detection: drop findings */
	bool bare;		/* the input is one FDT: nothing past it is read */
	uint64_t bare_lo, bare_hi;	/* ... the bytes it may span */
	enum luoc_stage stage;			/* of the findings being reported */
	enum luoc_outcome stage_out[ST_COUNT];	/* worst outcome per stage */
	int outcome_override;			/* >= 0: use for the next finding */
	struct {				/* the last outcome row looked up */
		const struct luoc_profile *p;
		const char *req;
		bool found;
		enum luoc_outcome o;
	} row_memo;

	struct luoc_ws ws;
	struct luoc_kmap km;
	struct luoc_rset st;	/* structure ranges */
	struct luoc_rset fo;	/* folio data ranges */
	struct luoc_job *jobs;	/* jobs[-1], jobs[-2], ... below the top */
	size_t njobs;
	bool st_final;		/* structure set sorted: folios can query it */

	uint64_t folios_total, folios_done;

	char where[LUOC_WHERE_MAX];
	char msg[LUOC_MSG_MAX];
};

/* util.h: loads in the writer's byte order (inline: the folio loop's hot path) */
#include "util.h"

/*
 * The caller's visitor, or NULL: none was given, or the walk is quiet
 * (detection, the folio claims' second walk) and must show nothing.
 * Its callbacks may still be NULL: a caller sets only those it wants.
 */
static inline const struct luoc_visitor *luoc_vis(const struct luoc_ctx *c)
{
	return c->quiet ? NULL : c->vis;
}

/* fmt.c */
size_t luoc_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
size_t luoc_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* report.c */
enum luoc_stage luoc_stage_enter(struct luoc_ctx *c, enum luoc_stage s);
enum luoc_outcome luoc_outcome_fold(const struct luoc_ctx *c);
void luoc_report(struct luoc_ctx *c, const struct luoc_loc *loc, const char *req,
		 enum luoc_severity sev, int code, uint64_t phys, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
void luoc_render_loc(const struct luoc_ctx *c, const struct luoc_loc *loc,
		     char *buf, size_t size);
void luoc_show_name(char *dst, size_t size, const uint8_t *src, size_t len);
void luoc_show_strlist(char *dst, size_t size, const char *src, int len);

/* util.c */
bool luoc_all_zero(const void *p, size_t len);
unsigned int luoc_fls64(uint64_t v);

/* mem.c */
const void *luoc_need(struct luoc_ctx *c, const struct luoc_loc *loc, const char *req,
		      uint64_t phys, uint64_t len, const char *what);
const void *luoc_peek(const struct luoc_ctx *c, uint64_t phys, uint64_t len);

/* workspace.c */
void luoc_ws_init(struct luoc_ctx *c);
/* mem.c: the input window of a bare FDT (cfg->input), from cfg and ps */
void luoc_bare_init(struct luoc_ctx *c);
size_t luoc_ws_free(const struct luoc_ctx *c);
void *luoc_ws_take_lo(struct luoc_ctx *c, size_t bytes);
void *luoc_ws_take_hi(struct luoc_ctx *c, size_t bytes);
void luoc_ws_enospc(struct luoc_ctx *c, const char *what);

/* sort.c */
void luoc_heapsort(void *base, size_t n, size_t size,
		   int (*cmp)(const void *a, const void *b));

/* rangeset.c */
void luoc_rset_begin(struct luoc_ctx *c, struct luoc_rset *rs);
void luoc_rset_add(struct luoc_ctx *c, struct luoc_rset *rs, const struct luoc_loc *loc,
		   uint64_t start, uint64_t len, bool coalesce);
void luoc_rset_finish(struct luoc_ctx *c, struct luoc_rset *rs);
void luoc_rset_overlaps(struct luoc_ctx *c, struct luoc_rset *rs, bool folios);
const struct luoc_range *luoc_rset_find(struct luoc_rset *rs, uint64_t start,
					uint64_t end);
void luoc_range_loc(const struct luoc_range *r, struct luoc_loc *loc);

/* fdtcheck.c */
int luoc_fdt_open(struct luoc_ctx *c, const struct luoc_loc *loc, const char *req,
		  uint64_t phys, uint64_t maxsize, const void **fdtp);
int luoc_fdt_struct_ok(const void *fdt, char *why, size_t whylen);
uint32_t luoc_fdt_hdr32(const void *hdr, size_t off);

/* fdtprop.c */
int luoc_prop_u64(struct luoc_ctx *c, const struct luoc_loc *loc, const char *req,
		  const void *fdt, int node, const char *name, uint64_t *val);
bool luoc_addr_swapped(const struct luoc_ctx *c, uint64_t val, uint64_t len);
int luoc_check_compat(struct luoc_ctx *c, const struct luoc_loc *loc, const char *req,
		      const void *fdt, int node, const char *expect);
int luoc_fdt_node(const void *fdt, int parent, const char *name);

/* kho.c */
struct luoc_kho_out {
	bool have_map;
	uint64_t map_phys;
	bool have_luo;
	uint64_t luo_phys;
	bool have_blob_size;
	uint64_t blob_size;
};
int luoc_kho_check(struct luoc_ctx *c, struct luoc_kho_out *out);

/* kmap.c, kmap_chunks.c, kmap_radix.c */
void luoc_kmap_setup(struct luoc_ctx *c, bool have_map, uint64_t map_phys);
int luoc_kmap_chunks_setup(struct luoc_ctx *c);
int luoc_kmap_chunks_test(struct luoc_ctx *c, uint64_t phys, unsigned int order);
int luoc_kmap_radix_setup(struct luoc_ctx *c);
int luoc_kmap_radix_test(struct luoc_ctx *c, uint64_t phys, unsigned int order);
int luoc_kmap_test(struct luoc_ctx *c, uint64_t phys, unsigned int order);
void luoc_kmap_require(struct luoc_ctx *c, const struct luoc_loc *loc, uint64_t phys,
		       uint64_t len, const char *what);
int luoc_kmap_folio(struct luoc_ctx *c, const struct luoc_loc *loc, uint64_t phys,
		    uint64_t *bytes);
bool luoc_bitmap_test(const struct luoc_ctx *c, const uint8_t *bmp, uint64_t bit);
/* bench: word-at-a-time test of a run of order-0 blocks (the folio fast path) */
const uint8_t *luoc_kmap_chunks_locate(struct luoc_ctx *c, uint64_t phys, unsigned int order,
				       uint64_t *bit, uint64_t *nbits);
const uint8_t *luoc_kmap_radix_locate(struct luoc_ctx *c, uint64_t phys, unsigned int order,
				      uint64_t *bit, uint64_t *nbits);
bool luoc_kmap_run0(struct luoc_ctx *c, uint64_t phys, uint64_t n, uint64_t step);

/* luofdt.c */
const char *luoc_flb_node_name(void);
void luoc_fdt_extras(struct luoc_ctx *c, const struct luoc_loc *loc, const void *fdt,
		     int node, const char *const *props, unsigned int nprops,
		     const char *const *nodes, unsigned int nnodes);
int luoc_luo_fdt_check(struct luoc_ctx *c, const struct luoc_kho_out *kho,
		       const void **fdtp);

/* luoser.c: the raw LUO root (luo-v5) */
struct luoc_ser_out {
	uint64_t sessions, flbs;	/* sessions_pa, flbs_pa */
};
int luoc_luo_ser_check(struct luoc_ctx *c, const struct luoc_kho_out *kho,
		       struct luoc_ser_out *out);

/* blocks.c */
void luoc_chain_init(struct luoc_chain *ch, const struct luoc_area *a, uint64_t head,
		     const struct luoc_loc *owner, bool files);
void luoc_chain_open(struct luoc_ctx *c, struct luoc_chain *ch, uint64_t max_blocks,
		     bool find_cycles);
void luoc_chain_check(struct luoc_ctx *c, struct luoc_chain *ch);
void luoc_seq_area(struct luoc_seq *sq, const uint8_t *arr, uint64_t phys, size_t stride,
		   uint64_t n);
void luoc_seq_chain(struct luoc_seq *sq, const struct luoc_chain *ch);
const uint8_t *luoc_seq_at(struct luoc_ctx *c, struct luoc_seq *sq, uint64_t i, uint64_t *phys);

/* session.c, file.c, flb.c */
bool luoc_name_check(struct luoc_ctx *c, const struct luoc_loc *loc, const char *req,
		     uint64_t phys, const uint8_t *name, size_t len, const char *what);

/* unique.c */
void luoc_unique_names(struct luoc_ctx *c, enum luoc_loc_kind kind, const char *req,
		       struct luoc_seq *sq, struct luoc_field name, const char *what);
void luoc_unique_tokens(struct luoc_ctx *c, uint32_t s, struct luoc_seq *sq);
void luoc_sessions_check(struct luoc_ctx *c, const void *fdt);
void luoc_sessions_chain(struct luoc_ctx *c, uint64_t head);
void luoc_files_check(struct luoc_ctx *c, uint32_t s, uint64_t files, uint64_t count);
void luoc_files_chain(struct luoc_ctx *c, uint32_t s, uint64_t head, uint64_t count);
void luoc_flb_check(struct luoc_ctx *c, const void *fdt);
void luoc_flb_raw(struct luoc_ctx *c, uint64_t flbs_pa);

/* memfd.c, memfd_fdt.c */
void luoc_memfd_check(struct luoc_ctx *c, uint32_t s, uint32_t f, uint64_t data);
struct luoc_memfd_state {
	uint64_t pos, size, nr_folios;
	uint32_t seals, flags;
	bool have_folios;
	uint8_t folios[16];	/* raw struct kho_vmalloc (vmalloc_size <= 16) */
	uint64_t bytes;		/* bytes of the state (struct or FDT) */
};
int luoc_memfd_fdt_read(struct luoc_ctx *c, const struct luoc_loc *loc, uint64_t data,
			struct luoc_memfd_state *ms);

/* vmalloc.c */
struct luoc_vmdesc {
	uint64_t first;
	uint32_t total_pages;
	uint16_t flags, order;
};
void luoc_vmdesc_decode(const struct luoc_ctx *c, const uint8_t *raw, struct luoc_vmdesc *d);
int luoc_vmalloc_walk(struct luoc_ctx *c, const struct luoc_loc *floc,
		      const struct luoc_vmdesc *d);
typedef int (*luoc_vmpage_fn)(struct luoc_ctx *c, void *arg, uint64_t idx,
			      uint64_t phys, const uint8_t *page);
int luoc_vmalloc_pages(struct luoc_ctx *c, const struct luoc_vmdesc *d,
		       luoc_vmpage_fn fn, void *arg);

/* folio.c */
void luoc_job_add(struct luoc_ctx *c, const struct luoc_job *j);
void luoc_jobs_run(struct luoc_ctx *c);
void luoc_job_run(struct luoc_ctx *c, const struct luoc_job *j);

/* detect.c */
const struct luoc_profile *luoc_detect_buf(const struct luoc_config *cfg,
					   const struct luoc_mem *mem,
					   char *buf, size_t len, bool guess, unsigned int *scorep);
/*
 * The same in a context set up for a check (cfg, mem, page size, byte
 * order, bare window, workspace): it reads quietly and leaves the context
 * as it found it, the workspace it used given back.
 */
const struct luoc_profile *luoc_detect_ctx(struct luoc_ctx *c, char *buf, size_t len,
					   bool guess, unsigned int *scorep);

/* profile.c */
bool luoc_outcome_row(const struct luoc_profile *p, const char *req, enum luoc_outcome *o);

/* check.c */
int luoc_cfg_check(const struct luoc_config *cfg, const struct luoc_mem *mem);
/* A fresh context (and result) for cfg: the check's, and detection's. */
void luoc_ctx_init(struct luoc_ctx *c, const struct luoc_config *cfg,
		   const struct luoc_mem *mem, const struct luoc_visitor *vis,
		   struct luoc_result *res);

#endif /* LUOC_INT_H */
