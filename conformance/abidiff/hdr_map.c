// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * hdr_map.c - which compatible string versions what in the ABI headers.
 *
 * Every *_COMPATIBLE string macro of a header starts a group (a slot of
 * the model).  The header's main string (the shortest such name in the
 * file: LUO_FDT_COMPATIBLE or LUO_ABI_COMPATIBLE in luo.h,
 * KHO_FDT_COMPATIBLE in kexec_handover.h, MEMFD_LUO_FH_COMPATIBLE in
 * memfd.h) owns the file's slot; a further string (LUO_FDT_SESSION_...,
 * LUO_FDT_FLB_...) owns a slot named after the words that set it apart
 * ("session", "flb").
 *
 * A struct, macro or enumerator belongs to, in this order:
 *   1. the string the table below names for it, when that string exists
 *      in the version read (the grouping the headers' comments state:
 *      "If this structure is modified, LUO_FDT_SESSION_COMPATIBLE must be
 *      updated", kho_vmalloc "is versioned by the KHO_FDT_COMPATIBLE
 *      string", ...);
 *   2. the string whose macro prefix it shares (LUO_FDT_SESSION_HEADER
 *      -> LUO_FDT_SESSION_COMPATIBLE);
 *   3. the string whose distinguishing words its name contains
 *      (LUO_SESSION_PGCNT -> the session string);
 *   4. the main string of its header.
 * A *_NODE_NAME string is a node of the FDT the header's main string
 * versions: adding or dropping it is that string's change (the rule that
 * made /luo-flb a root change), its properties are the group's.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "hdr.h"

/*
 * Mapping table: struct (or macro) -> the compatible macro that versions
 * it.  Structs not listed fall to rules 2-4 above.
 *
 *   struct                    versioned by                 header
 *   luo_session_header_ser    LUO_FDT_SESSION_COMPATIBLE   luo.h (FDT era)
 *   luo_session_ser           LUO_FDT_SESSION_COMPATIBLE   luo.h (FDT era)
 *   luo_file_set_ser          LUO_FDT_SESSION_COMPATIBLE   luo.h (FDT era)
 *   luo_file_ser              LUO_FDT_SESSION_COMPATIBLE   luo.h (FDT era)
 *   luo_flb_header_ser        LUO_FDT_FLB_COMPATIBLE       luo.h (FDT era)
 *   luo_flb_ser               LUO_FDT_FLB_COMPATIBLE       luo.h (FDT era)
 *   luo_ser (and, from luo-v2 on, all of the above)
 *                             LUO_ABI_COMPATIBLE           luo.h
 *   memfd_luo_ser             MEMFD_LUO_FH_COMPATIBLE      memfd.h
 *   memfd_luo_folio_ser       MEMFD_LUO_FH_COMPATIBLE      memfd.h
 *   kho_vmalloc, kho_vmalloc_hdr, kho_vmalloc_chunk, khoser_mem_*,
 *   kho_radix_node, kho_radix_leaf, kho_block_*
 *                             KHO_FDT_COMPATIBLE           kexec_handover.h
 * When the named macro is gone (luo-v2 removed the session and FLB
 * strings), rule 4 gives the struct to the header's main string.
 */
static const struct {
	const char *item;
	const char *compat;
} owner_table[] = {
	{ "luo_session_header_ser", "LUO_FDT_SESSION_COMPATIBLE" },
	{ "luo_session_ser", "LUO_FDT_SESSION_COMPATIBLE" },
	{ "luo_file_set_ser", "LUO_FDT_SESSION_COMPATIBLE" },
	{ "luo_file_ser", "LUO_FDT_SESSION_COMPATIBLE" },
	{ "luo_flb_header_ser", "LUO_FDT_FLB_COMPATIBLE" },
	{ "luo_flb_ser", "LUO_FDT_FLB_COMPATIBLE" },
	{ "luo_ser", "LUO_ABI_COMPATIBLE" },
	{ "memfd_luo_ser", "MEMFD_LUO_FH_COMPATIBLE" },
	{ "memfd_luo_folio_ser", "MEMFD_LUO_FH_COMPATIBLE" },
	{ "kho_vmalloc", "KHO_FDT_COMPATIBLE" },
	{ "kho_vmalloc_hdr", "KHO_FDT_COMPATIBLE" },
	{ "kho_vmalloc_chunk", "KHO_FDT_COMPATIBLE" },
	{ "khoser_mem_chunk_hdr", "KHO_FDT_COMPATIBLE" },
	{ "khoser_mem_bitmap_ptr", "KHO_FDT_COMPATIBLE" },
	{ "khoser_mem_chunk", "KHO_FDT_COMPATIBLE" },
	{ "kho_radix_node", "KHO_FDT_COMPATIBLE" },
	{ "kho_radix_leaf", "KHO_FDT_COMPATIBLE" },
	{ "kho_block_header_ser", "KHO_FDT_COMPATIBLE" },
};

#define SUFFIX_COMPAT	"_COMPATIBLE"
#define SUFFIX_NODE	"_NODE_NAME"

struct group {
	const struct hdr_macro *m;	/* its compatible macro, NULL: none */
	const char *file;
	bool main;			/* the header's main string */
	char *slot, *id;
	char words[128];		/* distinguishing words, " W1 W2 " */
	json_object *comp;
};

struct groups {
	struct group g[32];
	int n;
};

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

static const char *file_slot(const char *file)
{
	if (!strcmp(file, "luo.h"))
		return "luo";
	if (!strcmp(file, "memfd.h"))
		return "handler:memfd";
	if (!strcmp(file, "kexec_handover.h"))
		return "kho";
	return file;
}

/* Does name (any case) contain the word w as one of its '_' parts? */
static bool has_word(const char *name, const char *w, size_t wl)
{
	const char *p = name;

	while (*p) {
		size_t n = strcspn(p, "_");

		if (n == wl && !strncasecmp(p, w, wl))
			return true;
		p += n;
		p += *p == '_';
	}
	return false;
}

static void set_words(struct group *g, const struct group *main_g)
{
	const char *p = g->m->name;
	size_t len = strlen(p) - strlen(SUFFIX_COMPAT), n, used = 0;
	char slot[128] = "";

	g->words[0] = '\0';
	while (p < g->m->name + len) {
		n = strcspn(p, "_");
		if (n > len)
			n = len;
		if (n && !(main_g && main_g->m && has_word(main_g->m->name, p, n)) &&
		    used + n + 2 < sizeof(g->words)) {
			strncat(g->words, p, n);
			strcat(g->words, " ");
			if (*slot)
				strcat(slot, "-");
			strncat(slot, p, n);
			used += n + 1;
		}
		p += n;
		p += *p == '_';
	}
	for (n = 0; slot[n]; n++)
		slot[n] = (char)tolower((unsigned char)slot[n]);
	g->slot = ad_strdup(*slot ? slot : g->m->name);
}

static json_object *new_component(struct group *g)
{
	json_object *c = json_object_new_object();
	json_object *ev = json_object_new_array();

	json_object_array_add(ev, json_object_new_string(g->file));
	json_object_object_add(c, "id", json_object_new_string(g->id));
	json_object_object_add(c, "kind", json_object_new_string("header"));
	json_object_object_add(c, "compatible", g->m ? json_object_new_string(g->m->str) : NULL);
	json_object_object_add(c, "slot", json_object_new_string(g->slot));
	json_object_object_add(c, "owner", json_object_new_string(g->slot));
	json_object_object_add(c, "evidence", ev);
	json_object_object_add(c, "nodes", json_object_new_array());
	json_object_object_add(c, "constants", json_object_new_array());
	json_object_object_add(c, "structs", json_object_new_array());
	return c;
}

static void add_group(struct groups *gs, const struct hdr_macro *m, const char *file, bool main_g)
{
	struct group *g;

	if (gs->n >= (int)(sizeof(gs->g) / sizeof(gs->g[0])))
		return;
	g = &gs->g[gs->n++];
	memset(g, 0, sizeof(*g));
	g->m = m;
	g->file = file;
	g->main = main_g;
	g->id = ad_strdup(m ? m->name : file);
	if (main_g)
		g->slot = ad_strdup(file_slot(file));
}

static struct group *main_of(struct groups *gs, const char *file)
{
	int i;

	for (i = 0; i < gs->n; i++)
		if (gs->g[i].main && !strcmp(gs->g[i].file, file))
			return &gs->g[i];
	return NULL;
}

static void make_groups(struct groups *gs, const struct hdr_macros *ms)
{
	size_t i;
	int f, k;

	for (f = 0; f < HDR_NFILES; f++) {
		const struct hdr_macro *best = NULL;
		struct group *mg;

		for (i = 0; i < ms->n; i++) {
			const struct hdr_macro *m = &ms->m[i];

			if (strcmp(m->file, hdr_files[f]) || !m->str || !ends_with(m->name, SUFFIX_COMPAT))
				continue;
			if (!best || strlen(m->name) < strlen(best->name) ||
			    (strlen(m->name) == strlen(best->name) && strcmp(m->name, best->name) < 0))
				best = m;
		}
		add_group(gs, best, hdr_files[f], true);
		mg = main_of(gs, hdr_files[f]);
		for (i = 0; i < ms->n; i++) {
			const struct hdr_macro *m = &ms->m[i];

			if (m == best || strcmp(m->file, hdr_files[f]) || !m->str ||
			    !ends_with(m->name, SUFFIX_COMPAT))
				continue;
			add_group(gs, m, hdr_files[f], false);
			set_words(&gs->g[gs->n - 1], mg);
		}
	}
	for (k = 0; k < gs->n; k++)
		gs->g[k].comp = new_component(&gs->g[k]);
}

static bool all_words(const char *name, const char *words)
{
	const char *p = words;
	bool any = false;

	while (*p) {
		size_t n = strcspn(p, " ");

		if (n && !has_word(name, p, n))
			return false;
		any |= n > 0;
		p += n;
		p += *p == ' ';
	}
	return any;
}

static struct group *owner(struct groups *gs, const char *item, const char *file)
{
	struct group *best = NULL;
	size_t i, blen = 0;
	int k;

	for (i = 0; i < sizeof(owner_table) / sizeof(owner_table[0]); i++)
		if (!strcmp(owner_table[i].item, item))
			for (k = 0; k < gs->n; k++)
				if (gs->g[k].m && !strcmp(gs->g[k].m->name, owner_table[i].compat))
					return &gs->g[k];
	for (k = 0; k < gs->n; k++) {
		struct group *g = &gs->g[k];
		size_t plen;

		if (g->main || strcmp(g->file, file))
			continue;
		plen = strlen(g->m->name) - strlen(SUFFIX_COMPAT) + 1;	/* keep the '_' */
		if (!strncmp(item, g->m->name, plen) && plen > blen) {
			best = g;
			blen = plen;
		}
	}
	for (k = 0; !best && k < gs->n; k++)
		if (!gs->g[k].main && !strcmp(gs->g[k].file, file) && all_words(item, gs->g[k].words))
			best = &gs->g[k];
	return best ? best : main_of(gs, file);
}

static json_object *pages_array(const long long v[AD_NPS])
{
	json_object *a = json_object_new_array();
	int k;

	for (k = 0; k < AD_NPS; k++)
		json_object_array_add(a, json_object_new_int64(v[k]));
	return a;
}

static void add_macro(struct groups *gs, const struct hdr_macro *m)
{
	struct group *g;
	json_object *o;

	if (m->str && ends_with(m->name, SUFFIX_COMPAT))
		return;		/* a group's own string */
	if (!m->str && !m->have_val)
		return;		/* not a value (guards, types, statements) */
	g = owner(gs, m->name, m->file);
	o = json_object_new_object();
	if (m->str && ends_with(m->name, SUFFIX_NODE)) {
		struct group *mg = main_of(gs, m->file);
		char *path = ad_printf("/%s", m->str);

		json_object_object_add(o, "fdt", json_object_new_string(mg->slot));
		json_object_object_add(o, "path", json_object_new_string(path));
		free(path);
		json_object_object_add(o, "required", NULL);
		json_object_object_add(o, "properties", json_object_new_array());
		json_object_array_add(ad_jobj(g->comp, "nodes"), o);
		return;
	}
	json_object_object_add(o, "name", json_object_new_string(m->name));
	if (m->str) {
		json_object_object_add(o, "string", json_object_new_string(m->str));
	} else {
		json_object_object_add(o, "value", pages_array(m->val));
		json_object_object_add(o, "expr", json_object_new_string(m->body));
	}
	json_object_array_add(ad_jobj(g->comp, "constants"), o);
}

static void add_enums(struct groups *gs, json_object *dw[AD_NPS])
{
	json_object_object_foreach(ad_jmap(dw[0], "enums"), name, e) {
		long long v[AD_NPS];
		json_object *o;
		int k;

		for (k = 0; k < AD_NPS; k++) {
			json_object *ek = ad_jobj(ad_jobj(dw[k], "enums"), name);

			if (!ek)
				break;
			v[k] = json_object_get_int64(ad_jobj(ek, "value"));
		}
		if (k < AD_NPS)
			continue;
		o = json_object_new_object();
		json_object_object_add(o, "name", json_object_new_string(name));
		json_object_object_add(o, "value", pages_array(v));
		json_object_array_add(ad_jobj(owner(gs, name, ad_jstr(e, "file"))->comp, "constants"), o);
	}
}

/* One struct, its numbers gathered from the three page sizes. */
static json_object *merge_struct(const char *name, json_object *dw[AD_NPS])
{
	json_object *s[AD_NPS], *o = json_object_new_object(), *fields = json_object_new_array();
	long long size[AD_NPS];
	size_t i;
	int k;

	for (k = 0; k < AD_NPS; k++) {
		s[k] = ad_jobj(ad_jobj(dw[k], "structs"), name);
		size[k] = s[k] ? json_object_get_int64(ad_jobj(s[k], "size")) : -1;
	}
	for (i = 0; i < ad_jlen(ad_jobj(s[0], "fields")); i++) {
		json_object *f0 = ad_jat(ad_jobj(s[0], "fields"), i), *f = json_object_new_object();
		long long off[AD_NPS], sz[AD_NPS];

		for (k = 0; k < AD_NPS; k++) {
			json_object *fk = ad_jat(ad_jobj(s[k], "fields"), i);

			off[k] = fk ? json_object_get_int64(ad_jobj(fk, "offset")) : -1;
			sz[k] = fk ? json_object_get_int64(ad_jobj(fk, "size")) : -1;
		}
		json_object_object_add(f, "name", json_object_get(ad_jobj(f0, "name")));
		json_object_object_add(f, "offset", pages_array(off));
		json_object_object_add(f, "size", pages_array(sz));
		json_object_object_add(f, "type", json_object_get(ad_jobj(f0, "type")));
		json_object_object_add(f, "bits", json_object_get(ad_jobj(f0, "bits")));
		json_object_array_add(fields, f);
	}
	json_object_object_add(o, "name", json_object_new_string(name));
	json_object_object_add(o, "size", pages_array(size));
	/* DWARF does not say "__packed"; the offsets and sizes do. */
	json_object_object_add(o, "packed", json_object_new_boolean(0));
	json_object_object_add(o, "fields", fields);
	return o;
}

static int by_name(const void *a, const void *b)
{
	const char *x = ad_jstr(*(json_object *const *)a, "name");
	const char *y = ad_jstr(*(json_object *const *)b, "name");

	return strcmp(x ? x : "", y ? y : "");
}

json_object *hdr_build_model(struct hdr_macros *ms, json_object *dw[AD_NPS], const char *dir)
{
	json_object *doc = json_object_new_object(), *comps = json_object_new_object();
	json_object *ps = json_object_new_array(), *slots = json_object_new_object();
	json_object *profs = json_object_new_object(), *prof = json_object_new_object();
	struct groups gs = { .n = 0 };
	size_t i;
	int k;

	make_groups(&gs, ms);
	for (i = 0; i < ms->n; i++)
		add_macro(&gs, &ms->m[i]);
	add_enums(&gs, dw);
	json_object_object_foreach(ad_jmap(dw[0], "structs"), name, s) {
		json_object_array_add(ad_jobj(owner(&gs, name, ad_jstr(s, "file"))->comp, "structs"),
				      merge_struct(name, dw));
	}
	for (k = 0; k < gs.n; k++) {
		struct group *g = &gs.g[k];

		json_object_array_sort(ad_jobj(g->comp, "constants"), by_name);
		json_object_array_sort(ad_jobj(g->comp, "structs"), by_name);
		/* a header without any string or content adds nothing */
		if (g->m || ad_jlen(ad_jobj(g->comp, "constants")) || ad_jlen(ad_jobj(g->comp, "structs"))) {
			json_object_object_add(slots, g->slot, json_object_new_string(g->id));
			json_object_object_add(comps, g->id, g->comp);
		} else {
			json_object_put(g->comp);
		}
		free(g->slot);
		free(g->id);
	}
	for (k = 0; k < AD_NPS; k++)
		json_object_array_add(ps, json_object_new_int64(ad_page_sizes[k]));
	json_object_object_add(prof, "title", json_object_new_string(dir));
	json_object_object_add(prof, "released", NULL);
	json_object_object_add(prof, "slots", slots);
	json_object_object_add(profs, "headers", prof);
	json_object_object_add(doc, "format", json_object_new_string("luo-abi-json"));
	json_object_object_add(doc, "version", json_object_new_int(1));
	json_object_object_add(doc, "page_sizes", ps);
	json_object_object_add(doc, "components", comps);
	json_object_object_add(doc, "profiles", profs);
	return doc;
}
