// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * ref_restore.c - read a state as the profile's incoming kernel would, but
 * by the specification's reader requirements: every check a conformant
 * reader must make is made, and a failure ends in the outcome the
 * profile's incoming table gives.  Where the table says "undefined" (the
 * kernel does not check) the reference refuses at the stage it found the
 * defect: KHO map -> fresh-start, LUO FDT -> the profile's LUO parse-error
 * outcome, session area and file arrays -> the open failure, handler data
 * -> the file's retrieval (LUO-PROF-102).
 *
 * Stages, as in the kernels: KHO root and map; the LUO entry and LUO FDT
 * (early boot); sessions, files and FLBs (first open); each memfd
 * (retrieve).  Hostile input: every address is mapped before use, every
 * count is bounded by the profile's limits before a loop, names are read
 * within their fields.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "ref.h"
#include "luoc_image.h"

/* --- outcomes --------------------------------------------------------------- */

static enum luoc_outcome table_outcome(const struct luoc_profile *p, const char *req)
{
	unsigned int i;

	for (i = 0; i < p->n_outcomes; i++)
		if (!strcmp(p->outcomes[i].req, req))
			return p->outcomes[i].outcome;
	return p->out_default;
}

static enum luoc_outcome phase_outcome(const struct luoc_profile *p, enum ref_phase ph)
{
	enum luoc_outcome o;

	switch (ph) {
	case REF_PH_KHO:
		return LUOC_OUT_FRESH_START;
	case REF_PH_EARLY:
		return p->out_luo_error;
	case REF_PH_OPEN:
		/* a session-level failure at open: what a duplicate name gives */
		o = table_outcome(p, "LUO-SESS-006");
		return o == LUOC_OUT_UNDEFINED || o == LUOC_OUT_ACCEPT ? LUOC_OUT_EIO : o;
	default:
		return LUOC_OUT_RETRIEVE_ERROR;
	}
}

static int reject_v(struct ref_r *r, const char *req, enum luoc_outcome o,
		    const char *fmt, va_list ap)
{
	struct luoc_restore_out *out = r->out;

	if (out->verdict == LUOC_VERDICT_REJECT)
		return -1;	/* the first refusal stands */
	out->verdict = LUOC_VERDICT_REJECT;
	out->outcome = o;
	if (r->defects & REF_DEF_SILENT)
		return -1;
	snprintf(out->req, sizeof(out->req), "%s", req);
	vsnprintf(out->message, sizeof(out->message), fmt, ap);
	return -1;
}

int ref_reject_as(struct ref_r *r, const char *req, enum luoc_outcome o, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = reject_v(r, req, o, fmt, ap);
	va_end(ap);
	return ret;
}

int ref_reject(struct ref_r *r, const char *req, enum ref_phase ph, const char *fmt, ...)
{
	enum luoc_outcome o = req[0] ? table_outcome(r->p, req) : LUOC_OUT_UNDEFINED;
	va_list ap;
	int ret;

	/*
	 * A defined kernel outcome is what a conformant reader shows too; an
	 * unchecked (undefined) or tolerated (accept) defect is refused at the
	 * stage it was found.  A KHO-stage defect never outranks fresh-start.
	 */
	if (o == LUOC_OUT_UNDEFINED || o == LUOC_OUT_ACCEPT || ph == REF_PH_KHO)
		o = phase_outcome(r->p, ph);
	va_start(ap, fmt);
	ret = reject_v(r, req, o, fmt, ap);
	va_end(ap);
	return ret;
}

/* --- memory ------------------------------------------------------------------ */

const void *ref_map(struct ref_r *r, uint64_t phys, uint64_t len)
{
	if (!len || phys + len < phys)
		return NULL;
	return r->map(r->mctx, phys, len);
}

int ref_add_range(struct ref_r *r, uint64_t phys, uint64_t len, const char *what)
{
	if (r->n_ranges == r->cap_ranges) {
		size_t cap = r->cap_ranges ? r->cap_ranges * 2 : 256;
		struct ref_range *n = realloc(r->ranges, cap * sizeof(*n));

		if (!n)
			return ref_reject(r, "", REF_PH_OPEN, "out of memory");
		r->ranges = n;
		r->cap_ranges = cap;
	}
	r->ranges[r->n_ranges].phys = phys;
	r->ranges[r->n_ranges].end = phys + len;
	r->ranges[r->n_ranges].what = what;
	r->n_ranges++;
	return 0;
}

static int cmp_range(const void *a, const void *b)
{
	const struct ref_range *x = a, *y = b;

	return x->phys < y->phys ? -1 : x->phys > y->phys;
}

static bool is_file_data(const char *what)
{
	return !strcmp(what, "folio") || !strcmp(what, "folio array") ||
	       !strcmp(what, "vmalloc chunk") || !strcmp(what, "memfd state");
}

/* LUO-MEM-102: no page may belong to two structures. */
static int check_overlaps(struct ref_r *r)
{
	size_t i;

	qsort(r->ranges, r->n_ranges, sizeof(*r->ranges), cmp_range);
	for (i = 1; i < r->n_ranges; i++) {
		const struct ref_range *a = &r->ranges[i - 1], *b = &r->ranges[i];
		bool folios = !strcmp(a->what, "folio") && !strcmp(b->what, "folio");
		/* handler data is taken at retrieve; LUO's own structures at open */
		bool file = is_file_data(a->what) || is_file_data(b->what);

		if (b->phys < a->end)
			return ref_reject(r, folios ? "LUO-MEMFD-005" : "LUO-MEM-002",
					  file ? REF_PH_FILE : REF_PH_OPEN,
					  "%s at %#llx overlaps %s at %#llx", b->what,
					  (unsigned long long)b->phys, a->what,
					  (unsigned long long)a->phys);
	}
	return 0;
}

/* A structure LUO allocated: page aligned, in the image, preserved. */
static const uint8_t *take_struct(struct ref_r *r, uint64_t phys, uint64_t len,
				  enum ref_phase ph, const char *what)
{
	const uint8_t *p;

	if (!phys || phys % r->ps) {
		ref_reject(r, "LUO-MEM-003", ph, "%s at %#llx is not page aligned", what,
			   (unsigned long long)phys);
		return NULL;
	}
	p = ref_map(r, phys, len);
	if (!p) {
		ref_reject(r, "LUO-IMG-003", ph, "%s at %#llx is not in the image", what,
			   (unsigned long long)phys);
		return NULL;
	}
	if (!ref_preserved(r, phys, len)) {
		ref_reject(r, "LUO-KMAP-002", ph, "%s at %#llx is not preserved", what,
			   (unsigned long long)phys);
		return NULL;
	}
	if (ref_add_range(r, phys, len, what))
		return NULL;
	return p;
}

/* --- sets: duplicates found in linear time ----------------------------------------- */

static uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	return h ^ (h >> 33);
}

static uint64_t hash_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	while (*s)
		h = (h ^ (uint8_t)*s++) * 0x100000001b3ull;
	return h;
}

static void set_free(struct ref_set *s)
{
	free(s->key);
	free(s->str);
	free(s->used);
	memset(s, 0, sizeof(*s));
}

static bool set_find(const struct ref_set *s, uint64_t key, const char *str, size_t *at)
{
	size_t i = (size_t)mix(str ? hash_str(str) : key) & (s->cap - 1);

	for (; s->used[i]; i = (i + 1) & (s->cap - 1))
		if (str ? !strcmp(s->str[i], str) : s->key[i] == key)
			break;
	*at = i;
	return s->used[i];
}

static int set_grow(struct ref_set *s)
{
	struct ref_set n = { .cap = s->cap ? s->cap * 2 : 64 };
	size_t i, at;

	n.key = calloc(n.cap, sizeof(*n.key));
	n.str = calloc(n.cap, sizeof(*n.str));
	n.used = calloc(n.cap, 1);
	if (!n.key || !n.str || !n.used) {
		set_free(&n);
		return -ENOMEM;
	}
	for (i = 0; i < s->cap; i++) {
		if (!s->used[i])
			continue;
		set_find(&n, s->key[i], s->str[i], &at);
		n.key[at] = s->key[i];
		n.str[at] = s->str[i];
		n.used[at] = 1;
		n.n++;
	}
	set_free(s);
	*s = n;
	return 0;
}

/* 1: already in the set; 0: added; -1: out of memory (refused). */
static int set_add(struct ref_r *r, struct ref_set *s, uint64_t key, const char *str)
{
	size_t at;

	if (2 * (s->n + 1) > s->cap && set_grow(s))
		return ref_reject(r, "", REF_PH_OPEN, "out of memory");
	if (set_find(s, key, str, &at))
		return 1;
	s->key[at] = key;
	s->str[at] = str;
	s->used[at] = 1;
	s->n++;
	return 0;
}

/* --- KHO root ----------------------------------------------------------------- */

/* Exactly one string equal to 'want' (LUO-KHO-101, LUO-FDT-102). */
static bool compat_is(const void *fdt, int node, const char *want)
{
	int len;
	const char *v = fdt_getprop(fdt, node, "compatible", &len);

	return v && len == (int)strlen(want) + 1 && !memcmp(v, want, (size_t)len);
}

static const void *get_u64(const void *fdt, int node, const char *name, uint64_t *v, bool be)
{
	int len;
	const void *p = fdt_getprop(fdt, node, name, &len);

	if (!p || len != 8)
		return NULL;
	*v = ref_ld(p, 8, be);	/* byte by byte: props are only 4-byte aligned */
	return p;
}

static int kho_root(struct ref_r *r, const void **out)
{
	uint64_t size = r->kho_root_size ? r->kho_root_size : r->ps;
	const void *fdt = ref_map(r, r->kho_root, sizeof(struct fdt_header));
	uint64_t map;

	if (!fdt || fdt_check_header(fdt) || fdt_version(fdt) < 17 || fdt_totalsize(fdt) > size ||
	    !(fdt = ref_map(r, r->kho_root, fdt_totalsize(fdt))))
		return ref_reject(r, "LUO-KHO-001", REF_PH_KHO,
				  "KHO root FDT at %#llx is not a valid FDT of at most %llu bytes",
				  (unsigned long long)r->kho_root, (unsigned long long)size);
	if (!compat_is(fdt, 0, r->p->kho_compat))
		return ref_reject(r, "LUO-KHO-002", REF_PH_KHO,
				  "KHO root compatible is not \"%s\"", r->p->kho_compat);
	if (!get_u64(fdt, 0, r->p->kho_map_prop, &map, r->be) || !map)
		return ref_reject(r, "LUO-KHO-003", REF_PH_KHO,
				  "KHO root: '%s' missing, not 8 bytes or 0", r->p->kho_map_prop);
	*out = fdt;
	return ref_kmap_read(r, map);
}

/* The LUO sub-node: the LUO FDT's address and the bytes it may use. */
static int luo_entry(struct ref_r *r, const void *kfdt, uint64_t *phys, uint64_t *limit,
		     bool *none)
{
	const struct luoc_profile *p = r->p;
	int node = fdt_subnode_offset(kfdt, 0, p->luo_entry);
	uint64_t max = (uint64_t)r->ps * p->luo_fdt_pages;

	*none = node == -FDT_ERR_NOTFOUND;
	if (*none)
		return 0;	/* LUO-KHO-103: nothing handed over */
	if (node < 0)
		return ref_reject(r, "LUO-KHO-001", REF_PH_KHO, "KHO root FDT: %s", fdt_strerror(node));
	if (!get_u64(kfdt, node, p->kho_sub_addr_prop, phys, r->be) || !*phys)
		return ref_reject(r, "LUO-KHO-004", REF_PH_EARLY,
				  "KHO '%s' node: '%s' missing, not 8 bytes or 0",
				  p->luo_entry, p->kho_sub_addr_prop);
	if (p->luo_form == LUOC_LUO_RAW) {
		uint64_t size;

		/* LUO-SER-101: present, 8 bytes, at least the struct; larger is room to grow */
		if (!get_u64(kfdt, node, p->kho_sub_size_prop, &size, r->be))
			return ref_reject(r, "LUO-SER-001", REF_PH_EARLY,
					  "KHO '%s' node: '%s' missing or not 8 bytes",
					  p->luo_entry, p->kho_sub_size_prop);
		if (size < p->ser_size)
			return ref_reject(r, "LUO-SER-001", REF_PH_EARLY,
					  "KHO '%s' node: blob-size %llu is smaller than struct luo_ser (%u)",
					  p->luo_entry, (unsigned long long)size, p->ser_size);
		*limit = p->ser_size;
		return 0;
	}
	*limit = max;
	if (p->kho_sub_size_prop) {
		uint64_t size;

		if (!get_u64(kfdt, node, p->kho_sub_size_prop, &size, r->be))
			return ref_reject(r, "LUO-KHO-005", REF_PH_EARLY,
					  "KHO '%s' node: '%s' missing or not 8 bytes",
					  p->luo_entry, p->kho_sub_size_prop);
		if (size < sizeof(struct fdt_header) || size > max)
			return ref_reject(r, "LUO-KHO-005", REF_PH_EARLY,
					  "KHO '%s' node: blob-size %llu outside [%zu, %llu]",
					  p->luo_entry, (unsigned long long)size,
					  sizeof(struct fdt_header), (unsigned long long)max);
		*limit = size;
	}
	return 0;
}

/* --- LUO FDT (early boot) ------------------------------------------------------ */

struct early {
	uint64_t number;
	uint64_t sess_hdr;
	uint64_t flb_hdr;	/* 0: profile has no FLB node */
};

static int luo_node(struct ref_r *r, const void *fdt, const char *name, const char *compat,
		    const char *prop, const char *req_node, const char *req_compat,
		    const char *req_prop, uint64_t *hdr)
{
	int node = fdt_subnode_offset(fdt, 0, name);

	if (node < 0)
		return ref_reject(r, req_node, REF_PH_EARLY, "LUO FDT: no /%s", name);
	if (!compat_is(fdt, node, compat))
		return ref_reject(r, req_compat, REF_PH_EARLY,
				  "LUO FDT: /%s compatible is not \"%s\"", name, compat);
	if (!get_u64(fdt, node, prop, hdr, r->be))
		return ref_reject(r, req_prop, REF_PH_EARLY,
				  "LUO FDT: /%s '%s' missing or not 8 bytes", name, prop);
	if (!*hdr || *hdr % r->ps)
		return ref_reject(r, req_prop, REF_PH_EARLY,
				  "LUO FDT: /%s '%s' = %#llx is not a page address", name, prop,
				  (unsigned long long)*hdr);
	return 0;
}

static int luo_fdt(struct ref_r *r, uint64_t phys, uint64_t limit, struct early *e)
{
	const struct luoc_profile *p = r->p;
	const void *fdt;
	int ret;

	/* LUO-FDT-101: header and size before any lookup */
	if (!take_struct(r, phys, (uint64_t)r->ps * p->luo_fdt_pages, REF_PH_EARLY, "LUO FDT"))
		return -1;
	fdt = ref_map(r, phys, limit);
	if (!fdt || fdt_check_header(fdt) || fdt_version(fdt) < 17 || fdt_totalsize(fdt) > limit)
		return ref_reject(r, "LUO-FDT-001", REF_PH_EARLY,
				  "LUO FDT at %#llx: bad header or larger than %llu bytes",
				  (unsigned long long)phys, (unsigned long long)limit);
	/* kho-v3: blob-size is the FDT's totalsize, nothing else */
	if (p->kho_sub_size_prop && fdt_totalsize(fdt) != limit)
		return ref_reject(r, "LUO-KHO-005", REF_PH_EARLY,
				  "blob-size %llu is not the LUO FDT's totalsize %u",
				  (unsigned long long)limit, fdt_totalsize(fdt));
	if (!compat_is(fdt, 0, p->luo_compat) && !(r->defects & REF_DEF_ANY_COMPAT))
		return ref_reject(r, "LUO-FDT-002", REF_PH_EARLY,
				  "LUO FDT compatible is not \"%s\"", p->luo_compat);
	/* at least 1: the number counts the live update that wrote the state */
	if (!get_u64(fdt, 0, p->luo_num_prop, &e->number, r->be) || !e->number)
		return ref_reject(r, "LUO-FDT-003", REF_PH_EARLY,
				  "LUO FDT: '%s' missing, not 8 bytes or 0", p->luo_num_prop);
	ret = luo_node(r, fdt, p->sess_node, p->sess_compat, p->sess_hdr_prop,
		       "LUO-SESS-001", "LUO-SESS-002", "LUO-SESS-003", &e->sess_hdr);
	if (ret || !p->flb_node)
		return ret;
	return luo_node(r, fdt, p->flb_node, p->flb_compat, p->flb_hdr_prop,
			"LUO-FLB-001", "LUO-FLB-002", "LUO-FLB-003", &e->flb_hdr);
}

/* --- sessions and files (first open) ------------------------------------------ */

static int read_memfds(struct ref_r *r, struct luoc_st_session *s, uint32_t sidx)
{
	uint32_t j;
	char where[96];

	for (j = 0; j < s->n_files; j++) {
		struct luoc_st_file *f = &s->files[j];

		if (!f->is_memfd)
			continue;
		snprintf(where, sizeof(where), "session[%u].file[%u]", sidx, j);
		if (ref_memfd_read(r, f->data, &f->memfd, where))
			return -1;
		f->data = 0;
	}
	return 0;
}

/* File entry j of session s (an area or a chain: the rules are the same). */
static int read_file(struct ref_r *r, const uint8_t *fe, struct luoc_st_session *s, uint32_t sidx,
		     uint32_t j)
{
	const struct luoc_profile *p = r->p;
	const char *c = (const char *)fe + p->file_compat.off;
	struct luoc_st_file *f = &s->files[j];
	int dup;

	/* LUO-FILE-101: bounded, exact match against our one handler */
	if (!memchr(c, 0, p->file_compat.size) || !c[0])
		return ref_reject(r, "LUO-FILE-002", REF_PH_OPEN,
				  "session[%u].file[%u]: compatible not a string in %u bytes",
				  sidx, j, p->file_compat.size);
	f->compatible = luoc_st_strndup(r->arena, c, p->file_compat.size);
	f->token = ref_ldf(fe, p->file_token, r->be);
	f->data = ref_ldf(fe, p->file_data, r->be);
	/*
	 * LUO-FILE-101: a file whose handler is unknown is handed to no
	 * handler, and the failure is visible: the profile's outcome for
	 * it (LUO-FILE-004), or, where the kernel tolerates it, the file
	 * stays in the decoded state without handler data, so that its
	 * retrieval fails while the rest is restored.
	 */
	f->is_memfd = !strcmp(c, p->memfd->compat);
	if (!f->is_memfd && table_outcome(p, "LUO-FILE-004") != LUOC_OUT_ACCEPT &&
	    table_outcome(p, "LUO-FILE-004") != LUOC_OUT_UNDEFINED)
		return ref_reject(r, "LUO-FILE-004", REF_PH_OPEN,
				  "session[%u].file[%u]: no handler for \"%.48s\"", sidx, j, c);
	/* LUO-FILE-102: one token, one file (the set is the session's) */
	if (!j)
		set_free(&r->tokens);
	dup = set_add(r, &r->tokens, f->token, NULL);
	if (dup < 0)
		return -1;
	if (dup)
		return ref_reject(r, "LUO-FILE-003", REF_PH_OPEN,
				  "session[%u]: token %llu used twice", sidx,
				  (unsigned long long)f->token);
	if (!f->compatible)
		return ref_reject(r, "", REF_PH_OPEN, "out of memory");
	return 0;
}

static int read_files(struct ref_r *r, const uint8_t *e, struct luoc_st_session *s, uint32_t sidx)
{
	const struct luoc_profile *p = r->p;
	uint64_t files = ref_ldf(e, p->sess_files, r->be);
	uint64_t count = ref_ldf(e, p->sess_count, r->be);
	uint64_t bytes = (uint64_t)p->file_area.pages * r->ps;
	const uint8_t *arr;
	uint32_t j;

	/* LUO-SESS-105 */
	if (count > luoc_area_max(&p->file_area, r->ps))
		return ref_reject(r, "LUO-FILE-001", REF_PH_OPEN, "session[%u]: %llu files", sidx,
				  (unsigned long long)count);
	if (!count != !files)
		return ref_reject(r, "LUO-SESS-007", REF_PH_OPEN,
				  "session[%u]: %llu files at %#llx", sidx,
				  (unsigned long long)count, (unsigned long long)files);
	if (p->sess_pgcnt.size) {
		uint64_t pg = ref_ldf(e, p->sess_pgcnt, r->be);

		if (pg != (count ? p->file_area.pages : 0))
			return ref_reject(r, "LUO-SESS-008", REF_PH_OPEN,
					  "session[%u]: file array pgcnt %llu", sidx,
					  (unsigned long long)pg);
	}
	if (!count)
		return 0;
	arr = take_struct(r, files, bytes, REF_PH_OPEN, "file array");
	if (!arr)
		return -1;
	s->files = luoc_st_alloc(r->arena, count * sizeof(*s->files));
	if (!s->files)
		return ref_reject(r, "", REF_PH_OPEN, "out of memory");
	s->n_files = (uint32_t)count;
	for (j = 0; j < count; j++)
		if (read_file(r, arr + (uint64_t)j * p->file_area.entry_size, s, sidx, j))
			return -1;
	return 0;
}

/* Session i's name: a string within its field, used once (LUO-SESS-103, -104). */
static int read_session_name(struct ref_r *r, const uint8_t *e, struct luoc_state *st, uint64_t i)
{
	const struct luoc_profile *p = r->p;
	const char *name = (const char *)e + p->sess_name.off;
	int dup;

	if (!memchr(name, 0, p->sess_name.size) || !name[0])
		return ref_reject(r, "LUO-SESS-005", REF_PH_OPEN,
				  "session[%llu]: name not a string in %u bytes",
				  (unsigned long long)i, p->sess_name.size);
	st->sessions[i].name = luoc_st_strndup(r->arena, name, p->sess_name.size);
	if (!st->sessions[i].name)
		return ref_reject(r, "", REF_PH_OPEN, "out of memory");
	dup = set_add(r, &r->names, 0, st->sessions[i].name);
	if (dup < 0)
		return -1;
	if (dup)
		return ref_reject(r, "LUO-SESS-006", REF_PH_OPEN,
				  "session name \"%.64s\" used twice", name);
	return 0;
}

static int read_sessions(struct ref_r *r, uint64_t hdr_phys, struct luoc_state *st)
{
	const struct luoc_profile *p = r->p;
	const struct luoc_area *a = &p->sess_area;
	const uint8_t *hdr = take_struct(r, hdr_phys, (uint64_t)a->pages * r->ps, REF_PH_OPEN,
					 "session area");
	uint64_t count, i;

	if (!hdr)
		return -1;
	/* LUO-SESS-102: count and pgcnt before any entry */
	count = ref_ldf(hdr, a->hdr_count, r->be);
	if (a->hdr_pgcnt.size && ref_ldf(hdr, a->hdr_pgcnt, r->be) != a->pages)
		return ref_reject(r, "LUO-SESS-008", REF_PH_OPEN, "session header pgcnt %llu",
				  (unsigned long long)ref_ldf(hdr, a->hdr_pgcnt, r->be));
	if (count > luoc_area_max(a, r->ps))
		return ref_reject(r, "LUO-SESS-004", REF_PH_OPEN, "%llu sessions (max %llu)",
				  (unsigned long long)count,
				  (unsigned long long)luoc_area_max(a, r->ps));
	st->sessions = luoc_st_alloc(r->arena, (count ? count : 1) * sizeof(*st->sessions));
	if (!st->sessions)
		return ref_reject(r, "", REF_PH_OPEN, "out of memory");
	st->n_sessions = (uint32_t)count;
	for (i = 0; i < count; i++) {
		const uint8_t *e = hdr + a->hdr_size + i * a->entry_size;

		if (read_session_name(r, e, st, i) || read_files(r, e, &st->sessions[i], (uint32_t)i))
			return -1;
	}
	return 0;
}

static int read_flbs(struct ref_r *r, uint64_t hdr_phys, struct luoc_state *st)
{
	const struct luoc_profile *p = r->p;
	const struct luoc_area *a = &p->flb_area;
	const uint8_t *hdr = take_struct(r, hdr_phys, (uint64_t)a->pages * r->ps, REF_PH_EARLY,
					 "FLB area");
	uint64_t count, i;

	if (!hdr)
		return -1;
	/* LUO-FLB-103 */
	count = ref_ldf(hdr, a->hdr_count, r->be);
	if (ref_ldf(hdr, a->hdr_pgcnt, r->be) != a->pages || count > luoc_area_max(a, r->ps))
		return ref_reject(r, "LUO-FLB-004", REF_PH_EARLY, "FLB header: pgcnt %llu count %llu",
				  (unsigned long long)ref_ldf(hdr, a->hdr_pgcnt, r->be),
				  (unsigned long long)count);
	st->flbs = luoc_st_alloc(r->arena, (count ? count : 1) * sizeof(*st->flbs));
	if (!st->flbs)
		return ref_reject(r, "", REF_PH_EARLY, "out of memory");
	st->n_flbs = (uint32_t)count;
	for (i = 0; i < count; i++) {
		const uint8_t *e = hdr + a->hdr_size + i * a->entry_size;

		/* never beyond the 48 bytes; an FLB user matches the name */
		st->flbs[i].name = luoc_st_strndup(r->arena, (const char *)e + p->flb_name.off,
						     p->flb_name.size);
		if (!st->flbs[i].name)
			return ref_reject(r, "", REF_PH_EARLY, "out of memory");
		st->flbs[i].data = ref_ldf(e, p->flb_data, r->be);
		st->flbs[i].count = ref_ldf(e, p->flb_count, r->be);
	}
	return 0;
}

/* --- luo-v5: struct luo_ser and chains of blocks ------------------------------------ */

/* The blocks of a chain, in order, each checked before its entries are read. */
struct chain {
	uint64_t *phys;
	const uint8_t **blk;
	uint64_t n, cap, entries;
};

static void chain_free(struct chain *c)
{
	free(c->phys);
	free(c->blk);
	memset(c, 0, sizeof(*c));
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* A block met twice: the chain is a cycle (sorted copy; -1 out of memory). */
static int chain_repeats(const struct chain *c)
{
	uint64_t *v, i;
	int rep = 0;

	if (c->n < 2)
		return 0;
	v = malloc(c->n * sizeof(*v));
	if (!v)
		return -1;
	memcpy(v, c->phys, c->n * sizeof(*v));
	qsort(v, c->n, sizeof(*v), cmp_u64);
	for (i = 1; i < c->n && !rep; i++)
		rep = v[i] == v[i - 1];
	free(v);
	return rep;
}

static int chain_push(struct chain *c, uint64_t phys, const uint8_t *b)
{
	if (c->n == c->cap) {
		uint64_t cap = c->cap ? c->cap * 2 : 16;
		uint64_t *np = realloc(c->phys, cap * sizeof(*np));
		const uint8_t **nb;

		if (!np)
			return -ENOMEM;
		c->phys = np;
		nb = realloc(c->blk, cap * sizeof(*nb));
		if (!nb)
			return -ENOMEM;
		c->blk = nb;
		c->cap = cap;
	}
	c->phys[c->n] = phys;
	c->blk[c->n++] = b;
	return 0;
}

/*
 * LUO-BLK-101/102: every block page aligned, in the image, preserved, with
 * a count of 1 to the entries a block holds; at most KHO_MAX_BLOCKS blocks
 * and none met twice.  The walk never passes the limit, whatever the next
 * pointers say.  On failure the chain is refused and freed.
 */
static int read_chain(struct ref_r *r, uint64_t head, const struct luoc_area *a, bool files,
		      enum ref_phase ph, struct chain *c)
{
	const char *shape = files ? "LUO-BLK-004" : "LUO-BLK-002";
	const char *what = files ? "file block" : "session block";
	uint64_t max = r->p->blk_max_blocks, per = luoc_area_max(a, r->ps), phys = head, i;
	int rep;

	memset(c, 0, sizeof(*c));
	while (phys) {
		const uint8_t *b;
		uint64_t n;

		if (c->n == max) {
			rep = chain_repeats(c);
			ref_reject(r, rep < 0 ? "" : shape, ph, rep > 0 ? "%s chain at %#llx is a cycle" :
				   "%s chain at %#llx has more than %llu blocks", what,
				   (unsigned long long)head, (unsigned long long)max);
			goto fail;
		}
		if (phys % r->ps) {
			ref_reject(r, "LUO-BLK-001", ph, "%s at %#llx is not page aligned", what,
				   (unsigned long long)phys);
			goto fail;
		}
		b = ref_map(r, phys, r->ps);
		if (!b) {
			ref_reject(r, "LUO-IMG-003", ph, "%s at %#llx is not in the image", what,
				   (unsigned long long)phys);
			goto fail;
		}
		if (!ref_preserved(r, phys, r->ps)) {
			ref_reject(r, "LUO-KMAP-002", ph, "%s at %#llx is not preserved", what,
				   (unsigned long long)phys);
			goto fail;
		}
		n = ref_ldf(b, a->hdr_count, r->be);
		if (!n || n > per) {
			ref_reject(r, files ? "LUO-BLK-005" : "LUO-BLK-003", ph,
				   "%s at %#llx: count %llu, expected 1..%llu", what,
				   (unsigned long long)phys, (unsigned long long)n, (unsigned long long)per);
			goto fail;
		}
		if (chain_push(c, phys, b)) {
			ref_reject(r, "", ph, "out of memory");
			goto fail;
		}
		c->entries += n;
		phys = ref_ldf(b, a->hdr_next, r->be);
	}
	rep = chain_repeats(c);
	if (rep) {
		ref_reject(r, rep < 0 ? "" : shape, ph, "%s chain at %#llx is a cycle", what,
			   (unsigned long long)head);
		goto fail;
	}
	for (i = 0; i < c->n; i++)
		if (ref_add_range(r, c->phys[i], r->ps, what))
			goto fail;
	return 0;
fail:
	chain_free(c);
	return -1;
}

struct root5 {
	uint64_t number, sessions, flbs;
};

/* struct luo_ser: a page LUO allocated, its string exact (LUO-SER-102), its number >= 1. */
static int luo_ser(struct ref_r *r, uint64_t phys, struct root5 *e)
{
	const struct luoc_profile *p = r->p;
	size_t cl = strlen(p->luo_compat), i;
	const uint8_t *ser, *c;
	bool exact;

	if (phys % r->ps)
		return ref_reject(r, "LUO-MEM-003", REF_PH_EARLY, "struct luo_ser at %#llx is not page aligned",
				  (unsigned long long)phys);
	ser = ref_map(r, phys, p->ser_size);
	if (!ser)
		return ref_reject(r, "LUO-IMG-003", REF_PH_EARLY, "struct luo_ser at %#llx is not in the image",
				  (unsigned long long)phys);
	if (!ref_preserved(r, phys, p->ser_size))
		return ref_reject(r, "LUO-KMAP-002", REF_PH_EARLY, "struct luo_ser at %#llx is not preserved",
				  (unsigned long long)phys);
	if (ref_add_range(r, phys, r->ps, "luo_ser"))
		return -1;
	/* the whole field: the string and NUL padding, nothing after it */
	c = ser + p->ser_compat.off;
	exact = cl < p->ser_compat.size && !memcmp(c, p->luo_compat, cl);
	for (i = cl; exact && i < p->ser_compat.size; i++)
		exact = !c[i];
	if (!exact && !(r->defects & REF_DEF_ANY_COMPAT))
		return ref_reject(r, "LUO-SER-002", REF_PH_EARLY, "luo_ser compatible is not \"%s\"",
				  p->luo_compat);
	e->number = ref_ldf(ser, p->ser_num, r->be);
	if (!e->number)
		return ref_reject(r, "LUO-SER-003", REF_PH_EARLY, "liveupdate_num is 0");
	e->sessions = ref_ldf(ser, p->ser_sessions, r->be);
	e->flbs = ref_ldf(ser, p->ser_flbs, r->be);
	return 0;
}

/* A session's file chain, whose entries must number file_set_ser.count (LUO-BLK-103). */
static int read_file_chain(struct ref_r *r, const uint8_t *e, struct luoc_st_session *s,
			   uint32_t sidx)
{
	const struct luoc_profile *p = r->p;
	const struct luoc_area *a = &p->file_area;
	uint64_t files = ref_ldf(e, p->sess_files, r->be), count = ref_ldf(e, p->sess_count, r->be);
	uint64_t k, x;
	uint32_t j = 0;
	struct chain c;
	int ret = -1;

	if (!files)
		return count ? ref_reject(r, "LUO-SESS-007", REF_PH_OPEN,
					  "session[%u]: %llu files but no file chain", sidx,
					  (unsigned long long)count) : 0;
	if (read_chain(r, files, a, true, REF_PH_OPEN, &c))
		return -1;
	s->files = luoc_st_alloc(r->arena, c.entries * sizeof(*s->files));
	if (!s->files) {
		ref_reject(r, "", REF_PH_OPEN, "out of memory");
		goto out;
	}
	s->n_files = (uint32_t)c.entries;
	for (k = 0; k < c.n; k++)
		for (x = 0; x < ref_ldf(c.blk[k], a->hdr_count, r->be); x++)
			if (read_file(r, c.blk[k] + a->hdr_size + x * a->entry_size, s, sidx, j++))
				goto out;
	if (c.entries != count)
		ref_reject(r, "LUO-BLK-006", REF_PH_OPEN,
			   "session[%u]: file count %llu, the file chain holds %llu", sidx,
			   (unsigned long long)count, (unsigned long long)c.entries);
	else
		ret = 0;
out:
	chain_free(&c);
	return ret;
}

/* The sessions of the (already checked) session chain, in order. */
static int read_session_entries(struct ref_r *r, const struct chain *c, struct luoc_state *st)
{
	const struct luoc_area *a = &r->p->sess_area;
	uint64_t k, x, i = 0;

	st->sessions = luoc_st_alloc(r->arena, (c->entries ? c->entries : 1) * sizeof(*st->sessions));
	if (!st->sessions)
		return ref_reject(r, "", REF_PH_OPEN, "out of memory");
	st->n_sessions = (uint32_t)c->entries;
	for (k = 0; k < c->n; k++) {
		for (x = 0; x < ref_ldf(c->blk[k], a->hdr_count, r->be); x++, i++) {
			const uint8_t *e = c->blk[k] + a->hdr_size + x * a->entry_size;

			if (read_session_name(r, e, st, i) ||
			    read_file_chain(r, e, &st->sessions[i], (uint32_t)i))
				return -1;
		}
	}
	return 0;
}

/*
 * luo-v5, in the kernel's order: luo_ser, the session chain and the FLB
 * page at boot; session entries and file chains at open; memfds at
 * retrieve.  Addresses of 0 mean none (LUO-SER-103).
 */
static int walk_raw(struct ref_r *r, uint64_t phys, struct luoc_state *st)
{
	struct chain sc = { 0 };
	struct root5 e = { 0 };
	uint32_t i;
	int ret = -1;

	if (luo_ser(r, phys, &e))
		return -1;
	st->liveupdate_number = e.number;
	if (e.sessions && read_chain(r, e.sessions, &r->p->sess_area, false, REF_PH_EARLY, &sc))
		return -1;
	if (e.flbs % r->ps) {
		ref_reject(r, "LUO-SER-004", REF_PH_EARLY, "flbs_pa %#llx is not page aligned",
			   (unsigned long long)e.flbs);
		goto out;
	}
	if ((e.flbs && read_flbs(r, e.flbs, st)) || read_session_entries(r, &sc, st))
		goto out;
	for (i = 0; i < st->n_sessions; i++)
		if (read_memfds(r, &st->sessions[i], i))
			goto out;
	ret = check_overlaps(r);
out:
	chain_free(&sc);
	return ret;
}

/* --- the whole walk -------------------------------------------------------------- */

static int walk(struct ref_r *r, struct luoc_state *st)
{
	const void *kfdt = NULL;
	uint64_t luo_phys = 0, limit = 0;
	struct early e = { 0 };
	bool none;
	uint32_t i;

	if (kho_root(r, &kfdt) || luo_entry(r, kfdt, &luo_phys, &limit, &none))
		return -1;
	if (none)
		return 0;
	if (r->p->luo_form == LUOC_LUO_RAW)
		return walk_raw(r, luo_phys, st);
	if (luo_fdt(r, luo_phys, limit, &e))
		return -1;
	st->liveupdate_number = e.number;
	if (e.flb_hdr && read_flbs(r, e.flb_hdr, st))
		return -1;
	if (read_sessions(r, e.sess_hdr, st))
		return -1;
	for (i = 0; i < st->n_sessions; i++)
		if (read_memfds(r, &st->sessions[i], i))
			return -1;
	return check_overlaps(r);
}

static int setup_input(struct ref_r *r, const struct luoc_restore_in *in,
		       struct luoc_image **img, struct luoc_restore_out *out)
{
	const struct luoc_image_info *info;
	char err[200];
	int ret;

	if (!in->image_path) {
		if (!in->map)
			return -EINVAL;
		r->map = in->map;
		r->mctx = in->map_ctx;
		r->kho_root = in->kho_root;
		r->kho_root_size = in->kho_root_size;
		r->ps = in->page_size ? in->page_size : 4096;
		r->be = in->big_endian;
		return 0;
	}
	ret = luoc_image_open(in->image_path, img, err, sizeof(err));
	if (ret) {
		snprintf(out->message, sizeof(out->message), "%s: %s", in->image_path, err);
		return ret;
	}
	info = luoc_image_info(*img);
	if (!info->has_note) {
		snprintf(out->message, sizeof(out->message), "%s: no LUO note", in->image_path);
		return -EINVAL;
	}
	/* LUO-IMG-102: a malformed note is refused, never guessed around */
	if (info->flags || (info->profile[0] && !ref_profile(info->profile))) {
		snprintf(out->message, sizeof(out->message), "%s: bad LUO note (flags %#x, profile '%s')",
			 in->image_path, info->flags, info->profile);
		return -EINVAL;
	}
	r->map = luoc_image_map;
	r->mctx = *img;
	r->kho_root = info->kho_root;
	r->kho_root_size = info->kho_root_size;
	r->ps = info->page_size;
	r->be = info->big_endian;
	return 0;
}

int ref_restore(const char *profile, const struct luoc_restore_in *in,
		unsigned int defects, struct luoc_restore_out *out)
{
	struct ref_r r = { .defects = defects, .out = out, .hash_left = REF_HASH_BUDGET };
	struct luoc_image *img = NULL;
	int ret;

	memset(out, 0, sizeof(*out));
	r.p = ref_profile(profile);
	if (!r.p) {
		snprintf(out->message, sizeof(out->message), "unknown profile '%s'",
			 profile ? profile : "(null)");
		return -EINVAL;
	}
	ret = setup_input(&r, in, &img, out);
	if (ret)
		goto done;
	if (r.ps != 4096 && r.ps != 16384 && r.ps != 65536) {
		snprintf(out->message, sizeof(out->message), "page size %u", r.ps);
		ret = -EINVAL;
		goto done;
	}
	r.arena = luoc_st_arena_new();
	if (!r.arena) {
		ret = -ENOMEM;
		goto done;
	}
	out->verdict = LUOC_VERDICT_ACCEPT;
	out->outcome = LUOC_OUT_ACCEPT;
	if (walk(&r, &out->state)) {
		memset(&out->state, 0, sizeof(out->state));
		if (out->verdict != LUOC_VERDICT_REJECT)
			ref_reject(&r, "", REF_PH_OPEN, "internal error");
	} else {
		snprintf(out->message, sizeof(out->message), "%u sessions, %u FLBs",
			 out->state.n_sessions, out->state.n_flbs);
	}
	out->priv = r.arena;
	r.arena = NULL;
done:
	luoc_st_arena_free(r.arena);
	free(r.kmap);
	free(r.ranges);
	set_free(&r.names);
	set_free(&r.tokens);
	if (img)
		luoc_image_close(img);
	return ret;
}

void ref_restore_free(struct luoc_restore_out *out)
{
	luoc_st_arena_free(out->priv);
	out->priv = NULL;
	memset(&out->state, 0, sizeof(out->state));
}
