// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * session.c - /luo-session, the session area and each session entry
 * (LUO-SESS-001..008), and the luo-v5 session chain.
 *
 * The session area is one preserved block of LUO_SESSION_PGCNT pages: a
 * header, then 'count' fixed-size entries.  A count beyond the limit is
 * reported and the walk goes on over the entries that fit, so one run
 * still lists every other defect.  In luo-v5 the entries are spread over
 * a chain of blocks (blocks.c); either way they reach the same per-entry
 * checks through a struct luoc_seq.
 */
#include "luoc_int.h"

/* LUO-SESS-005 / FILE-002 / FLB-005: a NUL-terminated, non-empty name field. */
bool luoc_name_check(struct luoc_ctx *c, const struct luoc_loc *loc, const char *req,
		     uint64_t phys, const uint8_t *name, size_t len, const char *what)
{
	size_t n = strnlen((const char *)name, len);
	char shown[LUOC_NAME_SHOW + 1];

	if (n == len) {
		luoc_show_name(shown, sizeof(shown), name, len);
		luoc_report(c, loc, req, SEV_E, -LUOC_ESTRING, phys,
			    "%s \"%s\" is not NUL-terminated within its %zu bytes", what, shown, len);
		return false;
	}
	if (!n) {
		luoc_report(c, loc, req, SEV_E, -LUOC_ESTRING, phys, "%s is empty", what);
		return false;
	}
	if (!luoc_all_zero(name + n, len - n))
		luoc_report(c, loc, req, SEV_W, -LUOC_ESTRING, phys,
			    "%s has non-zero bytes after its NUL", what);
	return true;
}

static void session_one(struct luoc_ctx *c, uint32_t i, const uint8_t *e, uint64_t phys)
{
	const struct luoc_profile *p = c->p;
	const struct luoc_loc loc = { .kind = LK_SESSION, .s = i };
	uint64_t files = luoc_rd(c, e, p->sess_files), count = luoc_rd(c, e, p->sess_count);
	const struct luoc_visitor *v = luoc_vis(c);
	char shown[LUOC_NAME_SHOW + 1];

	luoc_name_check(c, &loc, R_SESS_005, phys, e + p->sess_name.off, p->sess_name.size,
			"session name");
	luoc_show_name(shown, sizeof(shown), e + p->sess_name.off, p->sess_name.size);
	c->res->sessions++;
	if (v && v->session)
		v->session(v->ctx, i, shown, count);
	if (!count != !files) {
		luoc_report(c, &loc, R_SESS_007, SEV_E, -LUOC_ERANGE, phys,
			    "file count %llu but file array address 0x%llx",
			    (unsigned long long)count, (unsigned long long)files);
		/* a file chain is read whatever the count says (luo-v5) */
		if (!files || p->luo_form != LUOC_LUO_RAW)
			return;
	}
	if (p->luo_form == LUOC_LUO_RAW) {
		if (files)
			luoc_files_chain(c, i, files, count);
		return;
	}
	if (p->sess_pgcnt.size) {
		uint64_t pg = luoc_rd(c, e, p->sess_pgcnt), want = files ? p->file_area.pages : 0;

		if (pg != want)
			luoc_report(c, &loc, R_SESS_008, SEV_E, -LUOC_ERANGE, phys,
				    "pgcnt %llu, expected %llu", (unsigned long long)pg,
				    (unsigned long long)want);
	}
	if (count)
		luoc_files_check(c, i, files, count);
}

/* Every session of the set, then their names' uniqueness. */
static void sessions_walk(struct luoc_ctx *c, struct luoc_seq *sq)
{
	uint64_t i, phys;

	for (i = 0; i < sq->n; i++) {
		const uint8_t *e = luoc_seq_at(c, sq, i, &phys);

		if (!e)
			break;
		session_one(c, (uint32_t)i, e, phys);
	}
	luoc_unique_names(c, LK_SESSION, R_SESS_006, sq, c->p->sess_name, "session name");
}

static void area_check(struct luoc_ctx *c, uint64_t hdr)
{
	const struct luoc_profile *p = c->p;
	const struct luoc_area *a = &p->sess_area;
	const struct luoc_loc loc = { .kind = LK_LUO_SESS };
	uint64_t bytes = (uint64_t)a->pages * c->ps, max = luoc_area_max(a, c->ps);
	uint64_t count, n;
	const uint8_t *area;
	struct luoc_seq sq;

	c->stage = ST_OPEN;
	if (!luoc_aligned(hdr, c->ps))
		luoc_report(c, &loc, R_SESS_003, SEV_E, -LUOC_EALIGN, hdr,
			    "%s 0x%llx is not page aligned", p->sess_hdr_prop,
			    (unsigned long long)hdr);
	area = luoc_need(c, &loc, R_SESS_003, hdr, bytes, "session area");
	luoc_rset_add(c, &c->st, &loc, hdr, bytes, false);
	luoc_kmap_require(c, &loc, hdr, bytes, "session area");
	if (!area)
		return;
	if (a->hdr_pgcnt.size && luoc_rd(c, area, a->hdr_pgcnt) != a->pages)
		luoc_report(c, &loc, R_SESS_008, SEV_E, -LUOC_ERANGE, hdr,
			    "session header pgcnt %llu, expected %u",
			    (unsigned long long)luoc_rd(c, area, a->hdr_pgcnt), a->pages);
	count = luoc_rd(c, area, a->hdr_count);
	n = count;
	if (count > max) {
		/* the entries past the limit are not the writer's: walk none */
		luoc_report(c, &loc, R_SESS_004, SEV_E, -LUOC_ERANGE, hdr,
			    "session count %llu exceeds LUO_SESSION_MAX %llu: entries not checked",
			    (unsigned long long)count, (unsigned long long)max);
		return;
	}
	luoc_seq_area(&sq, area + a->hdr_size, hdr + a->hdr_size, a->entry_size, n);
	sessions_walk(c, &sq);
}

/* luo-v5: the session chain from luo_ser.sessions_pa (0: no sessions). */
void luoc_sessions_chain(struct luoc_ctx *c, uint64_t head)
{
	const struct luoc_loc loc = { .kind = LK_LUO_SESS };
	struct luoc_chain ch;
	struct luoc_seq sq;

	if (!head)
		return;
	/* the early initcall restores the chain: its defects are fatal there */
	c->stage = ST_LUOFDT;
	luoc_chain_init(&ch, &c->p->sess_area, head, &loc, false);
	luoc_chain_open(c, &ch, c->p->blk_max_blocks, true);
	luoc_chain_check(c, &ch);
	c->stage = ST_OPEN;
	luoc_seq_chain(&sq, &ch);
	sessions_walk(c, &sq);
	c->stage = ST_LUOFDT;
}

void luoc_sessions_check(struct luoc_ctx *c, const void *fdt)
{
	const struct luoc_profile *p = c->p;
	const struct luoc_loc loc = { .kind = LK_LUO_SESS };
	const char *props[2] = { LUOC_PROP_COMPATIBLE, p->sess_hdr_prop };
	int node = luoc_fdt_node(fdt, 0, p->sess_node);
	uint64_t hdr;
	int compat;

	c->stage = ST_LUOFDT;
	if (node < 0) {
		luoc_report(c, &loc, R_SESS_001, SEV_E, -LUOC_EMISSING, LUOC_NO_PHYS,
			    "node /%s is missing", p->sess_node);
		return;
	}
	compat = luoc_check_compat(c, &loc, R_SESS_002, fdt, node, p->sess_compat);
	luoc_fdt_extras(c, &loc, fdt, node, props, 2, NULL, 0);
	if (luoc_prop_u64(c, &loc, R_SESS_003, fdt, node, p->sess_hdr_prop, &hdr))
		return;
	if (!hdr) {
		luoc_report(c, &loc, R_SESS_003, SEV_E, -LUOC_ERANGE, 0, "%s is 0",
			    p->sess_hdr_prop);
		return;
	}
	if (compat < 0) {
		/* another version's layout: decoding it as ours would only mislead */
		luoc_report(c, &loc, R_SESS_002, SEV_N, -LUOC_ECOMPAT, hdr,
			    "the session area is not decoded: its layout is not %s's", p->sess_compat);
		return;
	}
	area_check(c, hdr);
	c->stage = ST_LUOFDT;
}
