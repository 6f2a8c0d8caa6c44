// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * memfd.c - the memfd handler's state (LUO-MEMFD-001, 003, 006) and the
 * descriptor of its folio array.
 *
 * The state is a packed struct (memfd-v1/v2) or, in the posted v6 series,
 * a small FDT (memfd_fdt.c); both are decoded into one luoc_memfd_state.
 * The folio entries themselves are checked later (folio.c), once every
 * structure has been recorded, so folio data can be checked against all
 * of them.
 */
#include "luoc_int.h"

static int state_struct(struct luoc_ctx *c, const struct luoc_loc *loc, uint64_t data,
			struct luoc_memfd_state *ms)
{
	const struct luoc_memfd_desc *md = c->p->memfd;
	const uint8_t *st;

	st = luoc_need(c, loc, R_MEMFD_001, data, md->size, "memfd state");
	luoc_rset_add(c, &c->st, loc, data, md->size, false);
	luoc_kmap_require(c, loc, data, md->size, "memfd state");
	if (!st)
		return -LUOC_EABSENT;
	ms->pos = luoc_rd(c, st, md->pos);
	ms->size = luoc_rd(c, st, md->fsize);
	ms->seals = (uint32_t)luoc_rd(c, st, md->seals);
	ms->flags = (uint32_t)luoc_rd(c, st, md->flags);
	ms->nr_folios = luoc_rd(c, st, md->nr_folios);
	ms->have_folios = md->folios.size && md->folios.size <= sizeof(ms->folios);
	if (ms->have_folios)
		__builtin_memcpy(ms->folios, st + md->folios.off, md->folios.size);
	ms->bytes = md->size;
	return 0;
}

/* LUO-MEMFD-006: only known seals, no flags. */
static void seals_check(struct luoc_ctx *c, const struct luoc_loc *loc, uint64_t data,
			const struct luoc_memfd_state *ms)
{
	const struct luoc_memfd_desc *md = c->p->memfd;

	if (md->seals.size && (ms->seals & ~md->all_seals))
		luoc_report(c, loc, R_MEMFD_006, SEV_E, -LUOC_ERANGE, data,
			    "seals 0x%x outside MEMFD_LUO_ALL_SEALS 0x%x", ms->seals, md->all_seals);
	if (md->flags.size && ms->flags)
		luoc_report(c, loc, R_MEMFD_006, SEV_E, -LUOC_ERANGE, data,
			    "flags 0x%x, expected 0", ms->flags);
}

/* LUO-MEMFD-003: the kho_vmalloc descriptor agrees with nr_folios. */
static bool desc_check(struct luoc_ctx *c, const struct luoc_loc *loc,
		       const struct luoc_memfd_state *ms, const struct luoc_vmdesc *d)
{
	const struct luoc_profile *p = c->p;
	uint64_t bytes, per, want;
	bool zero = !ms->have_folios || luoc_all_zero(ms->folios, p->vmalloc_size);

	if (!ms->nr_folios || zero) {
		if (!ms->nr_folios != zero)
			luoc_report(c, loc, R_MEMFD_003, SEV_E, -LUOC_EFORMAT, d->first,
				    "nr_folios %llu but the folio array descriptor is %s",
				    (unsigned long long)ms->nr_folios, zero ? "all zero" : "not zero");
		return false;
	}
	if (d->flags & ~p->vm_flags_known)
		luoc_report(c, loc, R_MEMFD_003, SEV_E, -LUOC_ERANGE, d->first,
			    "folio array flags 0x%x outside 0x%x", d->flags, p->vm_flags_known);
	if (d->order > p->kmap_max_order) {
		luoc_report(c, loc, R_MEMFD_003, SEV_E, -LUOC_ERANGE, d->first,
			    "folio array order %u > max order %u", d->order, p->kmap_max_order);
		return false;
	}
	if (__builtin_mul_overflow(ms->nr_folios, (uint64_t)p->memfd->folio_size, &bytes)) {
		luoc_report(c, loc, R_MEMFD_003, SEV_E, -LUOC_ERANGE, d->first,
			    "nr_folios %llu: the folio array size overflows",
			    (unsigned long long)ms->nr_folios);
		return false;
	}
	per = c->ps << d->order;
	want = bytes / per + (bytes % per != 0);
	if (d->total_pages != want) {
		luoc_report(c, loc, R_MEMFD_003, SEV_E, -LUOC_ERANGE, d->first,
			    "total_pages %u, but %llu folios need %llu pages of order %u",
			    d->total_pages, (unsigned long long)ms->nr_folios,
			    (unsigned long long)want, d->order);
		if (d->total_pages < want)
			return false;
	}
	return true;
}

static void report_state(struct luoc_ctx *c, uint32_t s, uint32_t f,
			 const struct luoc_memfd_state *ms)
{
	const struct luoc_visitor *v = luoc_vis(c);
	struct luoc_memfd_info info;

	if (!v || !v->memfd)
		return;
	info.pos = ms->pos;
	info.size = ms->size;
	info.seals = ms->seals;
	info.flags = ms->flags;
	info.nr_folios = ms->nr_folios;
	v->memfd(v->ctx, s, f, &info);
}

void luoc_memfd_check(struct luoc_ctx *c, uint32_t s, uint32_t f, uint64_t data)
{
	const struct luoc_memfd_desc *md = c->p->memfd;
	const struct luoc_loc loc = { .kind = LK_MEMFD, .s = s, .f = f };
	struct luoc_memfd_state ms;
	struct luoc_vmdesc d;
	struct luoc_job j;
	int rc;

	if (!data) {
		luoc_report(c, &loc, R_MEMFD_001, SEV_E, -LUOC_ERANGE, 0, "memfd data address is 0");
		return;
	}
	if (!luoc_aligned(data, c->ps))
		luoc_report(c, &loc, R_MEMFD_001, SEV_E, -LUOC_EALIGN, data,
			    "memfd state 0x%llx is not page aligned", (unsigned long long)data);
	__builtin_memset(&ms, 0, sizeof(ms));
	if (md->form == LUOC_MEMFD_FDT)
		rc = luoc_memfd_fdt_read(c, &loc, data, &ms);
	else
		rc = state_struct(c, &loc, data, &ms);
	if (rc)
		return;
	report_state(c, s, f, &ms);
	seals_check(c, &loc, data, &ms);
	__builtin_memset(&d, 0, sizeof(d));
	if (ms.have_folios)
		luoc_vmdesc_decode(c, ms.folios, &d);
	if (!desc_check(c, &loc, &ms, &d))
		return;
	if (luoc_vmalloc_walk(c, &loc, &d))
		return;
	__builtin_memset(&j, 0, sizeof(j));
	j.md = md;
	j.first = d.first;
	j.nr_folios = ms.nr_folios;
	j.size = ms.size;
	j.total_pages = d.total_pages;
	j.order = d.order;
	j.s = s;
	j.f = f;
	luoc_job_add(c, &j);
}
