// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * ref_preserve.c - lay out an abstract state the way an outgoing kernel of
 * the profile leaves it in memory at kexec time, and write the image.
 *
 * Boot: the KHO root FDT page, (kho-v3) the kexec-metadata blob, the LUO
 * FDT page, the 16-page session area and (FLB profiles) the FLB page, all
 * preserved.  Preserve: each session's 2-page file array at its first
 * file; each memfd's folios, folio array and state.  Finalize: the KHO
 * memory map, whose tracker pages are in the image but not preserved.
 * The LUO FDT is built with libfdt's sequential writer; the KHO root FDT
 * gets its sub-nodes through fdt_open_into/fdt_pack as the kernel does.
 *
 * luo-v5 (v7.2): at boot struct luo_ser (one page, registered as the LUO
 * blob) and the FLB page; sessions and each session's files are entries of
 * chains of one-page blocks, a new block linked when the last one is full.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "ref.h"
#include "luoc_image.h"

#define EM_X86_64_	62
#define EM_PPC64_	21

struct ref_pw {
	struct ref_w w;
	const struct luoc_state *st;
	uint64_t kho_phys, luo_phys, sess_phys, flb_phys;
	uint8_t *kho, *luo, *sess, *flb;	/* luo-v5: luo is struct luo_ser */
	bool has_flb;
};

/* luo-v5: a chain of serialization blocks being filled. */
struct wchain {
	const struct luoc_area *a;
	uint8_t *cur;
	uint64_t head, n_in_cur;
};

static bool is_raw(const struct luoc_profile *p)
{
	return p->luo_form == LUOC_LUO_RAW;
}

/* FLBs: in a /luo-flb node, or (luo-v5) in the page luo_ser points to. */
static bool profile_has_flb(const struct luoc_profile *p)
{
	return p->flb_node || (is_raw(p) && p->flb_area.entry_size);
}

/* The most entries a set can hold: one area, or a chain of blocks. */
static uint64_t set_max(const struct luoc_profile *p, const struct luoc_area *a, uint32_t ps)
{
	return luoc_area_max(a, ps) * (a->hdr_next.size ? p->blk_max_blocks : 1);
}

/* --- the abstract state must be one a kernel could hold ------------------ */

static int check_name(struct ref_w *w, const char *what, const char *s, size_t field)
{
	if (!s || !s[0] || strlen(s) >= field)
		return ref_w_fail(w, -EINVAL, "%s '%s' is empty or longer than %zu bytes",
				  what, s ? s : "(null)", field - 1);
	return 0;
}

static int check_state(struct ref_pw *pw)
{
	struct ref_w *w = &pw->w;
	const struct luoc_profile *p = w->p;
	const struct luoc_state *st = pw->st;
	uint32_t i, j, k;
	int ret;

	if (st->n_flbs && !profile_has_flb(p))
		return ref_w_fail(w, -EINVAL, "profile %s has no FLB node; the state has %u FLBs",
				  p->name, st->n_flbs);
	if (profile_has_flb(p) && st->n_flbs > luoc_area_max(&p->flb_area, w->ps))
		return ref_w_fail(w, -ENOSPC, "%u FLBs exceed the FLB area", st->n_flbs);
	if (st->n_sessions > set_max(p, &p->sess_area, w->ps))
		return ref_w_fail(w, -ENOSPC, "%u sessions exceed the session area", st->n_sessions);
	for (i = 0; i < st->n_flbs; i++) {
		ret = check_name(w, "FLB name", st->flbs[i].name, p->flb_name.size);
		if (ret)
			return ret;
	}
	for (i = 0; i < st->n_sessions; i++) {
		const struct luoc_st_session *s = &st->sessions[i];

		if (!s->name || !s->name[0])
			return ref_w_fail(w, -EINVAL, "session %u has no name", i);
		for (j = 0; j < i; j++)
			if (!strncmp(st->sessions[j].name, s->name, p->sess_name.size - 1))
				return ref_w_fail(w, -EEXIST, "session name '%s' used twice", s->name);
		if (s->n_files > set_max(p, &p->file_area, w->ps))
			return ref_w_fail(w, -ENOSPC, "session '%s': %u files exceed the file array",
					  s->name, s->n_files);
		for (j = 0; j < s->n_files; j++) {
			const struct luoc_st_file *f = &s->files[j];

			if (!f->is_memfd) {
				ret = check_name(w, "handler", f->compatible, p->file_compat.size);
				if (ret)
					return ret;
			}
			for (k = 0; k < j; k++)
				if (s->files[k].token == f->token)
					return ref_w_fail(w, -EEXIST, "session '%s': token %llu used twice",
							  s->name, (unsigned long long)f->token);
		}
	}
	return 0;
}

/* --- boot ---------------------------------------------------------------- */

static int kho_root_init(struct ref_pw *pw)
{
	struct ref_w *w = &pw->w;
	const char *compat = w->defects & REF_DEF_KHO_COMPAT ? "kho-v0" : w->p->kho_compat;
	uint8_t zero[8] = { 0 };
	int err = 0;

	pw->kho = ref_w_alloc(w, REF_RG_KERNEL, 0, true, &pw->kho_phys);
	if (!pw->kho)
		return -ENOMEM;
	err |= fdt_create(pw->kho, w->ps);
	err |= fdt_finish_reservemap(pw->kho);
	err |= fdt_begin_node(pw->kho, "");
	err |= fdt_property_string(pw->kho, "compatible", compat);
	/* placeholder until finalize writes the map */
	err |= fdt_property(pw->kho, w->p->kho_map_prop, zero, 8);
	err |= fdt_end_node(pw->kho);
	err |= fdt_finish(pw->kho);
	return err ? ref_w_fail(w, -EINVAL, "KHO root FDT: libfdt error") : 0;
}

/* kho_add_subtree(): a sub-node naming a preserved blob. */
static int kho_add_subtree(struct ref_pw *pw, const char *name, uint64_t phys, uint64_t size)
{
	struct ref_w *w = &pw->w;
	uint8_t v[8];
	int node, err;

	err = fdt_open_into(pw->kho, pw->kho, w->ps);
	node = err ? err : fdt_add_subnode(pw->kho, 0, name);
	if (node < 0)
		return ref_w_fail(w, -EINVAL, "KHO root FDT: cannot add '%s'", name);
	err = 0;
	if (w->p->kho_sub_size_prop) {
		ref_st(v, 8, size, w->be);
		err |= fdt_setprop(pw->kho, node, w->p->kho_sub_size_prop, v, 8);
	}
	ref_st(v, 8, phys, w->be);
	err |= fdt_setprop(pw->kho, node, w->p->kho_sub_addr_prop, v, 8);
	err |= fdt_pack(pw->kho);
	return err ? ref_w_fail(w, -EINVAL, "KHO root FDT: cannot fill '%s'", name) : 0;
}

/*
 * kho-v3 kernels hand over a 'kexec-metadata' blob {u32 version = 1,
 * char previous_release[65], u32 kexec_count} (73 bytes, packed) beside
 * LUO; its reader tolerates any content, so it only needs to be there.
 */
static int kexec_metadata(struct ref_pw *pw)
{
	struct ref_w *w = &pw->w;
	uint64_t phys;
	uint8_t *b = ref_w_alloc(w, REF_RG_KERNEL, 0, true, &phys);

	if (!b)
		return -ENOMEM;
	ref_st(b, 4, 1, w->be);
	memcpy(b + 4, "luoc-ref", 8);
	ref_st(b + 69, 4, pw->st->liveupdate_number ? pw->st->liveupdate_number : 1, w->be);
	return kho_add_subtree(pw, "kexec-metadata", phys, 73);
}

/* The FLB page with its header; the entries come at serialization. */
static int flb_page(struct ref_pw *pw)
{
	struct ref_w *w = &pw->w;
	const struct luoc_profile *p = w->p;

	pw->flb = ref_w_alloc(w, REF_RG_KERNEL, ref_log2(p->flb_area.pages), true, &pw->flb_phys);
	if (!pw->flb)
		return -ENOMEM;
	ref_stf(pw->flb, p->flb_area.hdr_pgcnt, p->flb_area.pages, w->be);
	return 0;
}

/* luo-v5 at boot: struct luo_ser, registered as the LUO blob, and the FLB page. */
static int boot_raw(struct ref_pw *pw)
{
	struct ref_w *w = &pw->w;
	const struct luoc_profile *p = w->p;
	const char *compat = w->defects & REF_DEF_LUO_COMPAT ? "luo-v0" : p->luo_compat;
	uint64_t num = pw->st->liveupdate_number ? pw->st->liveupdate_number : 1;
	int ret;

	pw->luo = ref_w_alloc(w, REF_RG_KERNEL, 0, true, &pw->luo_phys);
	if (!pw->luo)
		return -ENOMEM;
	/* strscpy into the field: NUL-padded */
	memcpy(pw->luo + p->ser_compat.off, compat, strlen(compat));
	ref_stf(pw->luo, p->ser_num, w->defects & REF_DEF_NO_NUMBER ? 0 : num, w->be);
	ret = kho_add_subtree(pw, p->luo_entry, pw->luo_phys, p->ser_size);
	pw->has_flb = !ret && !(w->defects & REF_DEF_NO_FLB);
	if (!pw->has_flb)
		return ret;
	ret = flb_page(pw);
	if (!ret)
		ref_stf(pw->luo, p->ser_flbs, pw->flb_phys, w->be);
	return ret;
}

static int boot_allocs(struct ref_pw *pw)
{
	struct ref_w *w = &pw->w;
	const struct luoc_profile *p = w->p;
	int ret;

	ret = kho_root_init(pw);
	if (!ret && p->kho_sub_size_prop)
		ret = kexec_metadata(pw);
	if (ret)
		return ret;
	if (is_raw(p))
		return boot_raw(pw);
	pw->luo = ref_w_alloc(w, REF_RG_KERNEL, ref_log2(p->luo_fdt_pages), true, &pw->luo_phys);
	pw->sess = ref_w_alloc(w, REF_RG_KERNEL, ref_log2(p->sess_area.pages), true, &pw->sess_phys);
	if (!pw->luo || !pw->sess)
		return -ENOMEM;
	if (p->sess_area.hdr_pgcnt.size)
		ref_stf(pw->sess, p->sess_area.hdr_pgcnt, p->sess_area.pages, w->be);
	pw->has_flb = p->flb_node && !(w->defects & REF_DEF_NO_FLB);
	return pw->has_flb ? flb_page(pw) : 0;
}

/* The LUO FDT, in the order luo_fdt_setup() builds it. */
static int luo_fdt_build(struct ref_pw *pw)
{
	struct ref_w *w = &pw->w;
	const struct luoc_profile *p = w->p;
	const char *luo_compat = w->defects & REF_DEF_LUO_COMPAT ? "luo-v0" : p->luo_compat;
	const char *sess_compat = w->defects & REF_DEF_SESS_COMPAT ? "luo-session-v0" : p->sess_compat;
	uint64_t num = pw->st->liveupdate_number ? pw->st->liveupdate_number : 1;
	void *fdt = pw->luo;
	uint8_t v[8];
	int err = 0;

	err |= fdt_create(fdt, (int)(w->ps * p->luo_fdt_pages));
	err |= fdt_finish_reservemap(fdt);
	err |= fdt_begin_node(fdt, "");
	err |= fdt_property_string(fdt, "compatible", luo_compat);
	if (!(w->defects & REF_DEF_NO_NUMBER)) {
		ref_st(v, 8, num, w->be);
		err |= fdt_property(fdt, p->luo_num_prop, v, 8);
	}
	err |= fdt_begin_node(fdt, p->sess_node);
	err |= fdt_property_string(fdt, "compatible", sess_compat);
	ref_st(v, 8, pw->sess_phys, w->be);
	err |= fdt_property(fdt, p->sess_hdr_prop, v, 8);
	err |= fdt_end_node(fdt);
	if (pw->has_flb) {
		err |= fdt_begin_node(fdt, p->flb_node);
		err |= fdt_property_string(fdt, "compatible", p->flb_compat);
		ref_st(v, 8, pw->flb_phys, w->be);
		err |= fdt_property(fdt, p->flb_hdr_prop, v, 8);
		err |= fdt_end_node(fdt);
	}
	err |= fdt_end_node(fdt);
	err |= fdt_finish(fdt);
	if (err)
		return ref_w_fail(w, -EINVAL, "LUO FDT: libfdt error");
	return kho_add_subtree(pw, p->luo_entry, pw->luo_phys, fdt_totalsize(fdt));
}

/* --- preserve ------------------------------------------------------------ */

static void put_name(struct ref_w *w, uint8_t *field, size_t size, const char *name)
{
	size_t n = strlen(name);

	/* strscpy: at most size - 1 bytes and a NUL; the defect drops the NUL */
	if (n > size - 1)
		n = w->defects & REF_DEF_NAME_NO_NUL ? size : size - 1;
	memcpy(field, name, n);
}

/* luo-v5: the next entry slot of a chain, linking a new block when the last is full. */
static uint8_t *wchain_next(struct ref_pw *pw, struct wchain *c)
{
	struct ref_w *w = &pw->w;
	const struct luoc_area *a = c->a;

	if (!c->cur || c->n_in_cur == luoc_area_max(a, w->ps)) {
		uint64_t phys;
		uint8_t *b = ref_w_alloc(w, REF_RG_KERNEL, 0, true, &phys);

		if (!b)
			return NULL;
		if (c->cur)
			ref_stf(c->cur, a->hdr_next, phys, w->be);
		else
			c->head = phys;
		c->cur = b;
		c->n_in_cur = 0;
	}
	c->n_in_cur++;
	ref_stf(c->cur, a->hdr_count, c->n_in_cur, w->be);
	return c->cur + a->hdr_size + (c->n_in_cur - 1) * a->entry_size;
}

/* One file entry: the handler's data first (memfd), then the entry. */
static int write_file(struct ref_pw *pw, const struct luoc_st_file *f, uint8_t *fe)
{
	struct ref_w *w = &pw->w;
	const struct luoc_profile *p = w->p;
	const char *compat = f->is_memfd ? p->memfd->compat : f->compatible;
	uint64_t data = f->data;
	int ret;

	if (f->is_memfd) {
		ret = ref_memfd_write(w, &f->memfd, &data);
		if (ret)
			return ret;
	}
	memcpy(fe + p->file_compat.off, compat, strlen(compat));
	ref_stf(fe, p->file_data, data, w->be);
	ref_stf(fe, p->file_token, f->token, w->be);
	return 0;
}

/* luo-v5: a session's file chain (file_set_ser.files, .count). */
static int write_file_chain(struct ref_pw *pw, const struct luoc_st_session *s, uint8_t *e)
{
	struct ref_w *w = &pw->w;
	const struct luoc_profile *p = w->p;
	struct wchain c = { .a = &p->file_area };
	uint32_t j;
	int ret;

	for (j = 0; j < s->n_files; j++) {
		uint8_t *fe = wchain_next(pw, &c);

		if (!fe)
			return -ENOMEM;
		ret = write_file(pw, &s->files[j], fe);
		if (ret)
			return ret;
	}
	ref_stf(e, p->sess_files, c.head, w->be);
	return 0;
}

static int write_files(struct ref_pw *pw, const struct luoc_st_session *s, uint8_t *e)
{
	struct ref_w *w = &pw->w;
	const struct luoc_profile *p = w->p;
	uint64_t arr_phys;
	uint8_t *arr;
	uint32_t j;
	int ret;

	if (!s->n_files)
		return 0;
	arr = ref_w_alloc(w, REF_RG_KERNEL, ref_log2(p->file_area.pages), true, &arr_phys);
	if (!arr)
		return -ENOMEM;
	ref_stf(e, p->sess_files, arr_phys, w->be);
	if (p->sess_pgcnt.size)
		ref_stf(e, p->sess_pgcnt, p->file_area.pages, w->be);
	for (j = 0; j < s->n_files; j++) {
		ret = write_file(pw, &s->files[j], arr + (uint64_t)j * p->file_area.entry_size);
		if (ret)
			return ret;
	}
	return 0;
}

/* luo-v5: the session chain; luo_ser.sessions_pa stays 0 without sessions. */
static int write_session_chain(struct ref_pw *pw)
{
	struct ref_w *w = &pw->w;
	const struct luoc_profile *p = w->p;
	const struct luoc_state *st = pw->st;
	struct wchain c = { .a = &p->sess_area };
	uint32_t i;
	int ret;

	for (i = 0; i < st->n_sessions; i++) {
		const struct luoc_st_session *s = &st->sessions[i];
		uint8_t *e = wchain_next(pw, &c);
		const char *name = s->name;

		if (!e)
			return -ENOMEM;
		if ((w->defects & REF_DEF_DUP_SESSION) && i == 1)
			name = st->sessions[0].name;
		put_name(w, e + p->sess_name.off, p->sess_name.size, name);
		ref_stf(e, p->sess_count, s->n_files, w->be);
		ret = write_file_chain(pw, s, e);
		if (ret)
			return ret;
	}
	ref_stf(pw->luo, p->ser_sessions, c.head, w->be);
	return 0;
}

static int write_sessions(struct ref_pw *pw)
{
	struct ref_w *w = &pw->w;
	const struct luoc_profile *p = w->p;
	const struct luoc_state *st = pw->st;
	uint32_t i;
	int ret;

	if (is_raw(p))
		return write_session_chain(pw);
	ref_stf(pw->sess, p->sess_area.hdr_count, st->n_sessions, w->be);
	for (i = 0; i < st->n_sessions; i++) {
		const struct luoc_st_session *s = &st->sessions[i];
		uint8_t *e = pw->sess + p->sess_area.hdr_size + (uint64_t)i * p->sess_area.entry_size;
		const char *name = s->name;

		if ((w->defects & REF_DEF_DUP_SESSION) && i == 1)
			name = st->sessions[0].name;
		put_name(w, e + p->sess_name.off, p->sess_name.size, name);
		ref_stf(e, p->sess_count, s->n_files, w->be);
		ret = write_files(pw, s, e);
		if (ret)
			return ret;
	}
	return 0;
}

static void write_flbs(struct ref_pw *pw)
{
	struct ref_w *w = &pw->w;
	const struct luoc_profile *p = w->p;
	uint32_t i;

	if (!pw->has_flb)
		return;
	ref_stf(pw->flb, p->flb_area.hdr_count, pw->st->n_flbs, w->be);
	for (i = 0; i < pw->st->n_flbs; i++) {
		const struct luoc_st_flb *f = &pw->st->flbs[i];
		uint8_t *e = pw->flb + p->flb_area.hdr_size + (uint64_t)i * p->flb_area.entry_size;

		put_name(w, e + p->flb_name.off, p->flb_name.size, f->name);
		ref_stf(e, p->flb_data, f->data, w->be);
		ref_stf(e, p->flb_count, f->count, w->be);
	}
}

/* --- finalize and write ------------------------------------------------- */

static int finalize(struct ref_pw *pw)
{
	struct ref_w *w = &pw->w;
	uint64_t map;
	uint8_t v[8];
	int ret = ref_kmap_write(w, &map);

	if (ret)
		return ret;
	ref_st(v, 8, map, w->be);
	if (fdt_setprop_inplace(pw->kho, 0, w->p->kho_map_prop, v, 8))
		return ref_w_fail(w, -EINVAL, "KHO root FDT: cannot set the memory map");
	return 0;
}

static int write_image(struct ref_pw *pw, bool image_be, const char *path)
{
	struct ref_w *w = &pw->w;
	struct luoc_image_writer *iw = luoc_image_writer_new(image_be, image_be ? EM_PPC64_ : EM_X86_64_);
	struct luoc_image_note note = {
		.kho_root = pw->kho_phys,
		.kho_root_size = w->ps,
		.page_size = w->ps,
	};
	size_t i;
	int ret = 0;

	if (!iw)
		return ref_w_fail(w, -ENOMEM, "out of memory");
	strncpy(note.profile, w->p->name, sizeof(note.profile) - 1);
	luoc_image_writer_set_note(iw, &note);
	for (i = 0; i < w->n_blks && !ret; i++)
		ret = luoc_image_writer_add(iw, w->blks[i].phys, w->blks[i].buf, w->blks[i].len);
	if (ret)
		ref_w_fail(w, ret, "image: cannot add memory");
	else
		ret = luoc_image_writer_write(iw, path, w->err, w->errlen);
	luoc_image_writer_free(iw);
	return ret;
}

int ref_preserve(const char *profile, const struct luoc_state *st,
		 const struct luoc_preserve_opts *o, unsigned int defects,
		 const char *out_path, char *err, size_t errlen)
{
	const struct luoc_profile *p = ref_profile(profile);
	struct ref_pw pw = { .st = st };
	bool image_be = o ? o->big_endian : false;
	int ret;

	if (!p) {
		if (err && errlen)
			snprintf(err, errlen, "unknown profile '%s'", profile ? profile : "(null)");
		return -EINVAL;
	}
	ret = ref_w_init(&pw.w, p, o, defects, err, errlen);
	if (ret)
		return ret;
	if (defects & REF_DEF_BE_U64)
		pw.w.be = !image_be;	/* values in the other byte order than the image says */
	ret = check_state(&pw);
	if (!ret)
		ret = boot_allocs(&pw);
	if (!ret && !is_raw(p))
		ret = luo_fdt_build(&pw);
	if (!ret)
		ret = write_sessions(&pw);
	if (!ret) {
		write_flbs(&pw);
		ret = finalize(&pw);
	}
	if (!ret)
		ret = write_image(&pw, image_be, out_path);
	if (ret && err && errlen && !err[0])
		snprintf(err, errlen, "preserve failed (%d)", ret);
	ref_w_fini(&pw.w);
	return ret;
}
