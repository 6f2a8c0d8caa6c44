/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/*
 * adapter.h - the interface between luo-conform and an implementation of
 * the luo-v1 handover ABI under test.
 *
 * An implementation is a shared object exporting
 *
 *     const struct luoc_adapter *luoc_adapter_get(void);
 *
 * (or an executable speaking conformance/adapter/PROTOCOL.rst).  It offers
 * one or both directions of the handover:
 *
 *   restore   the incoming kernel: read a state image, and either accept it
 *             and give back the decoded state, or reject it with the outcome
 *             an incoming kernel of that profile would show;
 *   preserve  the outgoing kernel: lay out an abstract state as a state
 *             image, the way a kernel of that profile would leave it in
 *             memory at kexec time.
 *
 * Every type here is plain C: no JSON, no allocation contract beyond the
 * adapter's own restore_free().  LUOC_ADAPTER_ABI changes whenever a struct
 * below changes shape; luo-conform refuses an adapter of another ABI.
 */
#ifndef LUOC_ADAPTER_H
#define LUOC_ADAPTER_H

#include "luoc_env.h"
#include "abi.h"		/* enum luoc_outcome */

#define LUOC_ADAPTER_ABI	1
#define LUOC_ADAPTER_SYMBOL	"luoc_adapter_get"

/* memfd folio flags, as in every memfd handler version */
#define LUOC_FOLIO_DIRTY	0x1u
#define LUOC_FOLIO_UPTODATE	0x2u

/* Longest content a restore hashes (holes count); larger files get no digest. */
#define LUOC_DIGEST_MAX		(256ull << 20)

/* --- state: the abstract state (preserve input) and the decoded state ---- */

/* One memfd folio: 'order' pages at file page offset 'index'. */
struct luoc_st_folio {
	uint64_t index;
	uint32_t order;
	uint32_t flags;			/* LUOC_FOLIO_* */
};

enum luoc_content {
	LUOC_CONTENT_ZERO,		/* all bytes zero */
	LUOC_CONTENT_PATTERN,		/* byte i = luoc_pattern_byte(pattern, i) */
	LUOC_CONTENT_BYTES,		/* bytes[0..n_bytes), then zeros */
};

/*
 * The pattern content: cheap to generate in any language, different on
 * every page, so a folio written at the wrong index changes the digest.
 */
static inline uint8_t luoc_pattern_byte(uint32_t seed, uint64_t i)
{
	return (uint8_t)(seed * 151u + (uint32_t)i + (uint32_t)(i >> 12) * 59u);
}

struct luoc_st_memfd {
	uint64_t size;			/* i_size in bytes */
	uint64_t pos;			/* file position */
	uint32_t seals;			/* F_SEAL_* (memfd-v2; others carry none) */
	uint32_t flags;			/* memfd-v2 flags word, 0 */

	/* preserve: what the file holds */
	enum luoc_content content;
	uint32_t pattern;
	const uint8_t *bytes;
	uint64_t n_bytes;

	/*
	 * Folios.  preserve: n_folios == 0 lets the writer choose (the kernel
	 * pins one folio per page of [0, size)); otherwise exactly these.
	 * restore: the folios read back (index, KHO order, flags).
	 */
	uint32_t n_folios;
	struct luoc_st_folio *folios;

	/*
	 * restore: SHA-256 of bytes [0, size) as the restored file reads
	 * (pages without a folio read as zeros); has_digest is false when
	 * size exceeds LUOC_DIGEST_MAX.
	 */
	bool has_digest;
	uint8_t sha256[32];
};

struct luoc_st_file {
	const char *compatible;		/* handler string, e.g. "memfd-v1" */
	uint64_t token;
	bool is_memfd;			/* data below is a memfd */
	struct luoc_st_memfd memfd;
	uint64_t data;			/* !is_memfd: the raw handler word */
};

struct luoc_st_session {
	/*
	 * preserve: any length (the kernel keeps the first
	 * LIVEUPDATE_SESSION_NAME_LENGTH - 1 bytes);
	 * restore: what the incoming kernel names the session.
	 */
	const char *name;
	uint32_t n_files;
	struct luoc_st_file *files;
};

struct luoc_st_flb {
	const char *name;		/* FLB compatible string */
	uint64_t data;
	uint64_t count;
};

struct luoc_state {
	uint64_t liveupdate_number;	/* 1 after the first live update */
	uint32_t n_sessions;
	struct luoc_st_session *sessions;
	uint32_t n_flbs;
	struct luoc_st_flb *flbs;
};

/* --- restore ------------------------------------------------------------ */

struct luoc_restore_in {
	/* The state image (ELF core, conformance/image/luoc_image.h). */
	const char *image_path;
	/*
	 * Alternatively (image_path NULL): memory already mapped, plus what the
	 * image note would say.  map() returns len bytes at phys or NULL.
	 */
	const void *(*map)(void *ctx, uint64_t phys, uint64_t len);
	void *map_ctx;
	uint64_t kho_root;
	uint64_t kho_root_size;
	uint32_t page_size;
	bool big_endian;
};

enum luoc_verdict {
	LUOC_VERDICT_ACCEPT,
	LUOC_VERDICT_REJECT,
};

struct luoc_restore_out {
	enum luoc_verdict verdict;
	/*
	 * REJECT: what the incoming kernel shows: LUOC_OUT_FRESH_START,
	 * _RETRIEVE_ERROR, _EIO, _ENOENT or _PANIC.  ACCEPT: LUOC_OUT_ACCEPT.
	 */
	enum luoc_outcome outcome;
	char req[24];			/* REJECT: requirement ID, "" if none */
	char message[256];
	struct luoc_state state;	/* ACCEPT: the decoded state */
	void *priv;			/* adapter-owned; restore_free() frees */
};

/* --- preserve ----------------------------------------------------------- */

struct luoc_preserve_opts {
	uint32_t page_size;		/* 0: 4096 */
	bool big_endian;		/* byte order of the writing CPU */
	/*
	 * Layout seed: 0 for the adapter's default placement; otherwise the
	 * adapter may vary physical placement with it (the state is the same).
	 */
	uint64_t seed;
};

/* --- the adapter -------------------------------------------------------- */

struct luoc_adapter {
	uint32_t abi;			/* LUOC_ADAPTER_ABI */
	uint32_t size;			/* sizeof(struct luoc_adapter) */
	const char *name;
	const char *version;
	const char *const *profiles;	/* NULL-terminated: "v7.0", ... */

	/*
	 * Restore the state for 'profile'.  Returns 0 with *out filled (ACCEPT
	 * or REJECT), or a negative errno when the adapter itself failed (the
	 * image cannot be read, out of memory): that is not a verdict.  NULL:
	 * the implementation has no incoming side.
	 */
	int (*restore)(const char *profile, const struct luoc_restore_in *in,
		       struct luoc_restore_out *out);
	/* Free what restore() put into *out. */
	void (*restore_free)(struct luoc_restore_out *out);

	/*
	 * Write 'state' as 'profile' to the state image out_path.  Returns 0,
	 * or a negative errno with a reason in err.  NULL: no outgoing side.
	 */
	int (*preserve)(const char *profile, const struct luoc_state *state,
			const struct luoc_preserve_opts *opts, const char *out_path,
			char *err, size_t errlen);
};

typedef const struct luoc_adapter *(*luoc_adapter_get_fn)(void);

const struct luoc_adapter *luoc_adapter_get(void);

#endif /* LUOC_ADAPTER_H */
