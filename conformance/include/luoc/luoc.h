/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/*
 * luoc.h - libluoconform: the freestanding LUO handover checker.
 *
 * The core walks a handover state (KHO root FDT -> "LUO" sub-node -> LUO
 * FDT or, in luo-v5, struct luo_ser and its block chains -> sessions ->
 * files -> handler data, and FLBs) through a
 * caller-supplied memory accessor and reports every finding through a
 * callback.  It allocates nothing, prints nothing, keeps no global mutable
 * state, and never writes to the memory it checks.
 */
#ifndef LUOC_H
#define LUOC_H

#include "luoc_env.h"
#include "abi.h"

#define LUOC_API_VERSION	1

/* Error codes, negated in struct luoc_finding.code (errno style). */
enum luoc_err {
	LUOC_OK = 0,
	LUOC_EFORMAT = 1,	/* malformed FDT or structure */
	LUOC_ECOMPAT = 2,	/* wrong or missing compatible string */
	LUOC_EMISSING = 3,	/* required node or property absent */
	LUOC_ESIZE = 4,		/* property or blob of the wrong size */
	LUOC_ERANGE = 5,	/* count or value outside its limit */
	LUOC_EABSENT = 6,	/* referenced memory not in the image */
	LUOC_ENOTPRESERVED = 7,	/* referenced memory not in the KHO map */
	LUOC_EOVERLAP = 8,	/* two structures share bytes */
	LUOC_ELOOP = 9,		/* cycle or unbounded chain */
	LUOC_EDUP = 10,		/* duplicate name or token */
	LUOC_ESTRING = 11,	/* string not NUL-terminated or empty */
	LUOC_EALIGN = 12,	/* misaligned address */
	LUOC_EBYTEORDER = 13,	/* value only makes sense byte-swapped */
	LUOC_ENOSPC = 14,	/* workspace too small: check incomplete */
	LUOC_EINVAL = 15,	/* bad configuration from the caller */
};

enum luoc_severity {
	LUOC_SEV_ERROR,		/* the state is not conformant */
	LUOC_SEV_WARNING,	/* conformant, but suspicious */
	LUOC_SEV_NOTE,		/* information, e.g. what a kernel would do */
};

#define LUOC_NO_PHYS	(~(uint64_t)0)

struct luoc_finding {
	const char *req;		/* requirement ID, e.g. "LUO-SESS-004" */
	enum luoc_severity severity;
	int code;			/* -LUOC_E* */
	uint64_t phys;			/* physical address, or LUOC_NO_PHYS */
	const char *where;		/* location path, see below */
	const char *msg;		/* one line, no trailing newline */
};
/*
 * Locations ('where') name the object, outermost first:
 *   "kho:/"                   the KHO root FDT (then an FDT path)
 *   "kho:/LUO"                the LUO sub-node of the KHO root
 *   "kmap"                    the preserved-memory map
 *   "luo:/luo-session"        a node of the LUO FDT
 *   "luo_ser", "luo_ser.sessions", "luo_ser.flbs"
 *                             luo-v5: the root structure, the session
 *                             chain it starts, the FLB page
 *   "sessions.block[2]"       luo-v5: a block of the session chain
 *   "session[3].files.block[1]"  luo-v5: a block of a session's file chain
 *   "session[3]"              an entry of the session array (or chain)
 *   "session[3].file[7]"      a file entry
 *   "session[3].file[7].memfd.folio[12]"
 *   "session[3].file[7].memfd.folios.chunk[1]"   a kho_vmalloc chunk
 *   "session[3].file[7].memfd.folios.page[4]"    a folio-array page
 *   "flb[2]"
 *   "workspace"               the caller's workspace (LUOC_ENOSPC)
 * The strings live in the checker's context and are valid only during
 * the callback.
 */

/* Memory access: the one way the core reads the state. */
struct luoc_mem {
	/*
	 * Return a pointer to the 'len' bytes at physical address 'phys', or
	 * NULL when any of them is absent.  The pointer must stay valid until
	 * luoc_check() returns.  The core never writes through it and never
	 * assumes alignment.
	 */
	const void *(*map)(void *ctx, uint64_t phys, uint64_t len);
	void *ctx;
};

struct luoc_memfd_info {
	uint64_t pos, size;
	uint32_t seals, flags;
	uint64_t nr_folios;
};

/* Decoded state and findings.  Every callback is optional. */
struct luoc_visitor {
	void (*finding)(void *ctx, const struct luoc_finding *f);
	void (*session)(void *ctx, uint32_t idx, const char *name, uint64_t nr_files);
	void (*file)(void *ctx, uint32_t sidx, uint32_t fidx, const char *compat,
		     uint64_t token, uint64_t data);
	void (*memfd)(void *ctx, uint32_t sidx, uint32_t fidx,
		      const struct luoc_memfd_info *info);
	/* One folio: 'bytes' from the preserved block order (PAGE_SIZE << order). */
	void (*folio)(void *ctx, uint32_t sidx, uint32_t fidx, uint64_t index,
		      uint64_t phys, uint64_t bytes, uint32_t flags);
	void (*flb)(void *ctx, uint32_t idx, const char *name, uint64_t data,
		    uint64_t count);
	/* Progress on long walks: 'done' of 'total' units (total may grow). */
	void (*progress)(void *ctx, uint64_t done, uint64_t total);
	void *ctx;
};

/*
 * What the configuration's kho_root points at.  A bare FDT (a debugfs
 * copy, a vector's FDT) is checked on its own: it is the whole input, so
 * the addresses its properties hold are checked as values, and the
 * memory they point at is neither read (even where map() could serve it)
 * nor missed.  map() must serve the FDT's whole area (the KHO root's
 * kho_root_size, else a page; the LUO FDT's LUO_FDT_SIZE), bytes past the
 * FDT as zeros.
 */
enum luoc_input {
	LUOC_INPUT_STATE = 0,	/* the KHO root of a whole state in memory */
	LUOC_INPUT_KHO_FDT,	/* the KHO root FDT alone */
	LUOC_INPUT_LUO_FDT,	/* the LUO FDT alone */
};

struct luoc_config {
	const struct luoc_profile *profile;	/* NULL: detect */
	uint64_t kho_root;			/* physical address of the KHO root FDT
					   (of the bare FDT: see input) */
	uint64_t kho_root_size;			/* bytes; 0 means page_size */
	uint32_t page_size;			/* 4096, 16384 or 65536 */
	bool big_endian;			/* byte order of the writing CPU */
	/*
	 * Scratch memory for the indices that keep the check linear (range
	 * set for overlap checks, kho-v1 bitmap index).  Sized by the caller;
	 * luoc_workspace_hint() suggests a size.  When it is too small the
	 * core reports LUOC_ENOSPC once and skips the checks that need it.
	 */
	void *workspace;
	size_t workspace_size;
	enum luoc_input input;			/* 0: a whole state */
};

#define LUOC_REASON_MAX	160

struct luoc_result {
	const struct luoc_profile *profile;	/* the profile checked against */
	const char *detect_reason;		/* why it was chosen (detection) */
	unsigned int errors, warnings, notes;
	uint32_t sessions, files, flbs;
	uint64_t folios;
	enum luoc_outcome outcome;		/* the profile's incoming kernel */
	/* storage for detect_reason (it names the strings the state carries) */
	char detect_text[LUOC_REASON_MAX];
};

/*
 * Check one state.  Returns 0 when the check ran (conformant or not: see
 * res->errors), or -LUOC_EINVAL for a bad configuration.
 */
int luoc_check(const struct luoc_config *cfg, const struct luoc_mem *mem,
	       const struct luoc_visitor *vis, struct luoc_result *res);

/* Profile by name ("v7.0"), or NULL. */
const struct luoc_profile *luoc_profile_find(const char *name);

/*
 * Choose the profile whose compatible strings the state carries.
 * Writes a static, human-readable reason to *reason.  NULL when nothing
 * fits (the KHO root or LUO FDT is unreadable).
 */
const struct luoc_profile *luoc_detect(const struct luoc_config *cfg,
				       const struct luoc_mem *mem,
				       const char **reason);

/*
 * As luoc_detect(), but writes a reason naming the strings the state
 * carries ("kho-v1 root, luo-session-v2, /luo-flb present, handler
 * memfd-v1: v7.0") into buf.
 */
const struct luoc_profile *luoc_detect_r(const struct luoc_config *cfg,
					 const struct luoc_mem *mem,
					 char *buf, size_t len);

/* Outcome of the profile's incoming kernel for a requirement's violation. */
enum luoc_outcome luoc_outcome_for(const struct luoc_profile *p, const char *req);
const char *luoc_outcome_name(enum luoc_outcome o);
const char *luoc_strerror(int code);

/*
 * A workspace size that avoids LUOC_ENOSPC for a state mapped in
 * 'image_bytes' (48 bytes a page: 806 MB for an image that carries
 * 64 GiB), unless its folios pile up on the same pages by the thousand.
 */
size_t luoc_workspace_hint(uint64_t image_bytes);

/*
 * A workspace size from the state's metadata: 'meta_bytes' bounds the
 * bytes of every structure the check reads (FDTs, session and file arrays,
 * memfd states, folio arrays, the KHO map), e.g. the bytes a state image
 * stores, which leave out folio data a sparse image does not hold;
 * 'mem_bytes' is the memory the image carries.  Enough for a conformant
 * state (a few MB for one 64 GiB memfd), never more than
 * luoc_workspace_hint(mem_bytes).  A state with overlapping folios can
 * need more to locate them: the check then reports LUOC_ENOSPC once
 * (LUO-MEM-002, a warning), and a caller that wants the complete check
 * runs it again with luoc_workspace_hint(mem_bytes).
 */
size_t luoc_workspace_hint_meta(uint64_t meta_bytes, uint64_t mem_bytes);

/*
 * The bytes map() must serve from cfg->kho_root for a bare input (see
 * enum luoc_input): the KHO root's kho_root_size, else a page; for a LUO
 * FDT the largest LUO blob of any profile (its LUO_FDT_SIZE, or a struct
 * luo_ser).  0 for a whole state.
 */
uint64_t luoc_bare_area(const struct luoc_config *cfg);

#endif /* LUOC_H */
