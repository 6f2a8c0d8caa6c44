// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * file.c - one session's file array and its entries (LUO-FILE-001..004),
 * and the luo-v5 file chain (LUO-BLK-006).
 *
 * A file array is a headerless block of LUO_FILE_PGCNT pages; in luo-v5
 * the entries are spread over a chain of blocks.  Each entry
 * names its handler by compatible string; the data of a handler the
 * profile defines is checked by that handler's walker, any other handler
 * is a warning and its data stays opaque.
 */
#include "luoc_int.h"

static void file_one(struct luoc_ctx *c, uint32_t s, uint32_t f, const uint8_t *e,
		     uint64_t phys)
{
	const struct luoc_profile *p = c->p;
	const struct luoc_memfd_desc *md = p->memfd;
	const struct luoc_loc loc = { .kind = LK_FILE, .s = s, .f = f };
	const uint8_t *compat = e + p->file_compat.off;
	const struct luoc_visitor *v = luoc_vis(c);
	uint64_t data = luoc_rd(c, e, p->file_data), token = luoc_rd(c, e, p->file_token);
	char shown[LUOC_NAME_SHOW + 1];
	bool ok;

	ok = luoc_name_check(c, &loc, R_FILE_002, phys, compat, p->file_compat.size,
			     "handler compatible");
	luoc_show_name(shown, sizeof(shown), compat, p->file_compat.size);
	c->res->files++;
	if (v && v->file)
		v->file(v->ctx, s, f, shown, token, data);
	if (!ok)
		return;
	if (md && strnlen((const char *)compat, p->file_compat.size) == strlen(md->compat) &&
	    !memcmp(compat, md->compat, strlen(md->compat))) {
		enum luoc_stage old = luoc_stage_enter(c, ST_RETRIEVE);

		luoc_memfd_check(c, s, f, data);
		c->stage = old;
		return;
	}
	luoc_report(c, &loc, R_FILE_004, SEV_W, -LUOC_ECOMPAT, phys,
		    "handler \"%s\" is not defined by profile %s: its data is not checked",
		    shown, p->name);
}

/* Every file of a session, then their tokens' uniqueness. */
static void files_walk(struct luoc_ctx *c, uint32_t s, struct luoc_seq *sq)
{
	uint64_t i, phys;

	for (i = 0; i < sq->n; i++) {
		const uint8_t *e = luoc_seq_at(c, sq, i, &phys);

		if (!e)
			break;
		file_one(c, s, (uint32_t)i, e, phys);
	}
	luoc_unique_tokens(c, s, sq);
}

void luoc_files_check(struct luoc_ctx *c, uint32_t s, uint64_t files, uint64_t count)
{
	const struct luoc_area *a = &c->p->file_area;
	const struct luoc_loc loc = { .kind = LK_SESSION, .s = s };
	uint64_t bytes = (uint64_t)a->pages * c->ps, max = luoc_area_max(a, c->ps), n = count;
	const uint8_t *arr;
	struct luoc_seq sq;

	if (count > max) {
		luoc_report(c, &loc, R_FILE_001, SEV_E, -LUOC_ERANGE, files,
			    "file count %llu exceeds LUO_FILE_MAX %llu: entries not checked",
			    (unsigned long long)count, (unsigned long long)max);
		n = 0;
	}
	if (!luoc_aligned(files, c->ps))
		luoc_report(c, &loc, R_FILE_001, SEV_E, -LUOC_EALIGN, files,
			    "file array 0x%llx is not page aligned", (unsigned long long)files);
	arr = luoc_need(c, &loc, R_FILE_001, files, bytes, "file array");
	luoc_rset_add(c, &c->st, &loc, files, bytes, false);
	luoc_kmap_require(c, &loc, files, bytes, "file array");
	if (!arr)
		return;
	luoc_seq_area(&sq, arr + a->hdr_size, files + a->hdr_size, a->entry_size, n);
	files_walk(c, s, &sq);
}

/*
 * luo-v5: a session's file chain (file_set_ser.files), whose entries must
 * number file_set_ser.count (the kernel's "File count mismatch").
 */
void luoc_files_chain(struct luoc_ctx *c, uint32_t s, uint64_t head, uint64_t count)
{
	const struct luoc_loc loc = { .kind = LK_SESSION, .s = s };
	struct luoc_chain ch;
	struct luoc_seq sq;

	luoc_chain_init(&ch, &c->p->file_area, head, &loc, true);
	luoc_chain_open(c, &ch, c->p->blk_max_blocks, true);
	luoc_chain_check(c, &ch);
	luoc_seq_chain(&sq, &ch);
	files_walk(c, s, &sq);
	/* a chain the kernel refuses anyway is not counted */
	if (!ch.bad && ch.entries != count)
		luoc_report(c, &loc, R_BLK_006, SEV_E, -LUOC_ERANGE, head,
			    "file count %llu, but the file chain holds %llu entries",
			    (unsigned long long)count, (unsigned long long)ch.entries);
}
