// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * diff.c - every change between two versions of one part of the ABI.
 *
 * Classification follows the rule the kernel's ABI headers state: any
 * change to the FDT structure, property names or sizes, compatible strings
 * or the layout of the serialized structs is breaking and needs a bump of
 * the compatible string that versions the part.  What is left compatible is
 * what no reader can observe: a struct or field renamed at the same offset,
 * size and type, a rewritten expression with the same values, a big-endian
 * bit placement stated where none was, and the description's own text
 * (meaning, summary, evidence).
 *
 * Owners: a change belongs to the slot whose compatible string versions
 * it (the component's "owner").  One exception comes from the history of
 * luo-v1: a node of the LUO FDT other than its root exists because the
 * root's reader looks for it, so adding, removing or changing whether a
 * reader requires such a node is owned by the FDT's owner (the node's
 * "fdt" member, "luo" for the LUO FDT), not by the node's own compatible.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abidiff.h"

struct dctx {
	struct ad_cmp *c;
	const char *slot;	/* slot of the part being compared */
	const char *owner;	/* its owner */
};

void ad_emit(struct ad_cmp *c, const char *slot, const char *owner,
	     enum ad_class cls, const char *what, const char *subject,
	     const char *old_val, const char *new_val, unsigned int pages)
{
	struct ad_change *ch;

	if (c->nch == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 32;
		c->ch = ad_xrealloc(c->ch, c->cap * sizeof(*c->ch));
	}
	ch = &c->ch[c->nch++];
	ch->slot = ad_strdup(slot);
	ch->owner = ad_strdup(owner ? owner : slot);
	ch->cls = cls;
	ch->what = ad_strdup(what);
	ch->subject = ad_strdup(subject);
	ch->old_val = ad_strdup(old_val);
	ch->new_val = ad_strdup(new_val);
	ch->pages = pages;
}

static bool str_eq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static void emit(const struct dctx *d, enum ad_class cls, const char *what,
		 const char *subject, const char *o, const char *n)
{
	ad_emit(d->c, d->slot, d->owner, cls, what, subject, o, n, 0);
}

/* ---- numbers that depend on the page size ---------------------------- */

static unsigned int page_mask(const long long a[AD_NPS], const long long b[AD_NPS])
{
	unsigned int m = 0;
	int i;

	for (i = 0; i < AD_NPS; i++)
		if (a[i] != b[i])
			m |= 1u << i;
	return m;
}

/* The values at the page sizes in mask: one number when they agree. */
static char *fmt_at(const long long v[AD_NPS], unsigned int mask)
{
	char buf[128] = "";
	long long first = 0;
	bool uniform = true, seen = false;
	size_t len = 0;
	int i;

	for (i = 0; i < AD_NPS; i++) {
		if (!(mask & (1u << i)))
			continue;
		if (seen && v[i] != first)
			uniform = false;
		if (!seen)
			first = v[i];
		seen = true;
	}
	if (uniform)
		return ad_printf("%lld", first);
	for (i = 0; i < AD_NPS; i++)
		if (mask & (1u << i))
			len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%lld",
						len ? "/" : "", v[i]);
	return ad_strdup(buf);
}

static void num_change(const struct dctx *d, const char *owner, const char *what,
		       const char *subject, const long long a[AD_NPS],
		       const long long b[AD_NPS])
{
	unsigned int m = page_mask(a, b);
	char *o, *n;

	if (!m)
		return;
	o = fmt_at(a, m);
	n = fmt_at(b, m);
	ad_emit(d->c, d->slot, owner ? owner : d->owner, AD_BREAKING, what, subject, o, n, m);
	free(o);
	free(n);
}

/* Compare member key of two objects as numbers per page size. */
static void num_member(const struct dctx *d, json_object *a, json_object *b,
		       const char *key, const char *what, const char *subject)
{
	long long va[AD_NPS], vb[AD_NPS];
	bool ha = ad_jpages(a, key, va), hb = ad_jpages(b, key, vb);

	if (ha && hb)
		num_change(d, NULL, what, subject, va, vb);
	else if (ha != hb)
		emit(d, AD_BREAKING, what, subject, ha ? "set" : "(none)", hb ? "set" : "(none)");
}

static void str_member(const struct dctx *d, enum ad_class cls, json_object *a,
		       json_object *b, const char *key, const char *what, const char *subject)
{
	const char *sa = ad_jstr(a, key), *sb = ad_jstr(b, key);

	if (!str_eq(sa, sb))
		emit(d, cls, what, subject, sa ? sa : "(none)", sb ? sb : "(none)");
}

static const char *elem_str(json_object *o)
{
	return o && json_object_is_type(o, json_type_string) ? json_object_get_string(o) : "";
}

static char *join_strings(json_object *arr)
{
	size_t i, len = 1;
	char *s;

	for (i = 0; i < ad_jlen(arr); i++)
		len += strlen(elem_str(ad_jat(arr, i))) + 1;
	s = ad_xmalloc(len);
	for (i = 0; i < ad_jlen(arr); i++) {
		strcat(s, elem_str(ad_jat(arr, i)));
		strcat(s, "\n");
	}
	return s;
}

/* ---- FDT nodes and properties ----------------------------------------- */

static const char *req_word(const char *r)
{
	if (!r)
		return "not stated";
	if (!strcmp(r, "true"))
		return "required";
	if (!strcmp(r, "false"))
		return "optional";
	return r;
}

static const char *node_owner(const struct dctx *d, json_object *node)
{
	const char *fdt = ad_jstr(node, "fdt"), *path = ad_jstr(node, "path");

	if (fdt && path && strcmp(path, "/") && strcmp(path, "/*") && strcmp(fdt, d->slot))
		return fdt;
	return d->owner;
}

static char *node_key(json_object *node)
{
	return ad_printf("%s:%s", ad_jstr(node, "fdt") ? ad_jstr(node, "fdt") : "",
			 ad_jstr(node, "path") ? ad_jstr(node, "path") : "");
}

static json_object *find_node(json_object *nodes, json_object *like)
{
	char *want = node_key(like);
	json_object *hit = NULL;
	size_t i;

	for (i = 0; i < ad_jlen(nodes) && !hit; i++) {
		char *k = node_key(ad_jat(nodes, i));

		if (!strcmp(k, want))
			hit = ad_jat(nodes, i);
		free(k);
	}
	free(want);
	return hit;
}

static bool same_sizes(json_object *a, json_object *b, const char *key)
{
	long long va[AD_NPS], vb[AD_NPS];
	bool ha = ad_jpages(a, key, va), hb = ad_jpages(b, key, vb);

	return ha == hb && (!ha || !page_mask(va, vb));
}

static void node_subject(char *buf, size_t len, json_object *node, const char *prop)
{
	snprintf(buf, len, "%s%s%s", ad_jstr(node, "path"), prop ? ":" : "", prop ? prop : "");
}

static void prop_pair(const struct dctx *d, json_object *node, json_object *a, json_object *b)
{
	char subj[256];
	const char *ra = ad_jstr(a, "required"), *rb = ad_jstr(b, "required");

	node_subject(subj, sizeof(subj), node, ad_jstr(a, "name"));
	str_member(d, AD_BREAKING, a, b, "type", "property type", subj);
	num_member(d, a, b, "size", "property size", subj);
	/* the value of "compatible" is the version string: reported as the bump */
	if (strcmp(ad_jstr(a, "name"), "compatible"))
		str_member(d, AD_BREAKING, a, b, "value", "property value", subj);
	str_member(d, AD_BREAKING, a, b, "byte_order", "property byte order", subj);
	str_member(d, AD_BREAKING, a, b, "target", "property target", subj);
	if (!str_eq(ra, rb))
		emit(d, AD_BREAKING, str_eq(rb, "true") ? "property made mandatory" :
		     str_eq(ra, "true") ? "property made optional" : "property requirement",
		     subj, req_word(ra), req_word(rb));
	str_member(d, AD_COMPATIBLE, a, b, "meaning", "property meaning", subj);
}

static void props_diff(const struct dctx *d, json_object *na, json_object *nb)
{
	json_object *pa = ad_jobj(na, "properties"), *pb = ad_jobj(nb, "properties");
	size_t i, j, nbl = ad_jlen(pb);
	bool *used = ad_xmalloc(nbl + 1);
	char subj[256];

	for (i = 0; i < ad_jlen(pa); i++) {
		json_object *p = ad_jat(pa, i), *q = ad_jfind(pb, "name", ad_jstr(p, "name"));

		if (q) {
			for (j = 0; j < nbl; j++)
				if (ad_jat(pb, j) == q)
					used[j] = true;
			prop_pair(d, nb, p, q);
		}
	}
	for (i = 0; i < ad_jlen(pa); i++) {
		json_object *p = ad_jat(pa, i), *r = NULL;

		if (ad_jfind(pb, "name", ad_jstr(p, "name")))
			continue;
		/* the same type and size under another name: a renamed property */
		for (j = 0; j < nbl && !r; j++) {
			json_object *q = ad_jat(pb, j);

			if (!used[j] && !ad_jfind(pa, "name", ad_jstr(q, "name")) &&
			    str_eq(ad_jstr(p, "type"), ad_jstr(q, "type")) && same_sizes(p, q, "size")) {
				used[j] = true;
				r = q;
			}
		}
		node_subject(subj, sizeof(subj), nb, NULL);
		if (r) {
			emit(d, AD_BREAKING, "property renamed", subj, ad_jstr(p, "name"), ad_jstr(r, "name"));
		} else {
			node_subject(subj, sizeof(subj), nb, ad_jstr(p, "name"));
			emit(d, AD_BREAKING, "property removed", subj, req_word(ad_jstr(p, "required")), NULL);
		}
	}
	for (j = 0; j < nbl; j++) {
		json_object *q = ad_jat(pb, j);

		if (used[j])
			continue;
		node_subject(subj, sizeof(subj), nb, ad_jstr(q, "name"));
		emit(d, AD_BREAKING, "property added", subj, NULL, req_word(ad_jstr(q, "required")));
	}
	free(used);
}

static char *prop_names(json_object *node)
{
	json_object *props = ad_jobj(node, "properties");
	char *s = ad_strdup(""), *t;
	size_t i;

	for (i = 0; i < ad_jlen(props); i++) {
		t = ad_printf("%s%s,", s, ad_jstr(ad_jat(props, i), "name"));
		free(s);
		s = t;
	}
	return s;
}

/* A node gone on one side and a node with the same properties on the other. */
static json_object *renamed_node(json_object *node, json_object *other_nodes, json_object *own_nodes)
{
	char *want = prop_names(node);
	json_object *hit = NULL;
	size_t i;

	for (i = 0; i < ad_jlen(other_nodes) && !hit; i++) {
		json_object *o = ad_jat(other_nodes, i);
		char *names = prop_names(o);

		if (!find_node(own_nodes, o) && str_eq(ad_jstr(o, "fdt"), ad_jstr(node, "fdt")) &&
		    *want && !strcmp(names, want))
			hit = o;
		free(names);
	}
	free(want);
	return hit;
}

/* Shown as "(none) -> required": whether the reader insists on the node. */
static void node_existence(const struct dctx *d, json_object *node, bool added)
{
	const char *req = ad_jstr(node, "required") ? req_word(ad_jstr(node, "required")) : "present";

	ad_emit(d->c, d->slot, node_owner(d, node), AD_BREAKING,
		added ? "node added" : "node removed", ad_jstr(node, "path"),
		added ? NULL : req, added ? req : NULL, 0);
}

static void nodes_diff(const struct dctx *d, json_object *ca, json_object *cb)
{
	json_object *na = ad_jobj(ca, "nodes"), *nb = ad_jobj(cb, "nodes");
	size_t i;

	for (i = 0; i < ad_jlen(na); i++) {
		json_object *a = ad_jat(na, i), *b = find_node(nb, a), *r;
		const char *ra = ad_jstr(a, "required");

		if (b) {
			const char *rb = ad_jstr(b, "required");

			if (!str_eq(ra, rb))
				ad_emit(d->c, d->slot, node_owner(d, a), AD_BREAKING,
					str_eq(rb, "true") ? "node made mandatory" :
					str_eq(ra, "true") ? "node made optional" : "node requirement",
					ad_jstr(a, "path"), req_word(ra), req_word(rb), 0);
			props_diff(d, a, b);
		} else if ((r = renamed_node(a, nb, na))) {
			ad_emit(d->c, d->slot, node_owner(d, a), AD_BREAKING, "node renamed",
				ad_jstr(a, "path"), ad_jstr(a, "path"), ad_jstr(r, "path"), 0);
			props_diff(d, a, r);
		} else {
			node_existence(d, a, false);
		}
	}
	for (i = 0; i < ad_jlen(nb); i++) {
		json_object *b = ad_jat(nb, i);

		if (!find_node(na, b) && !renamed_node(b, na, nb))
			node_existence(d, b, true);
	}
}

/* ---- constants, memory map, areas --------------------------------------- */

static void const_pair(const struct dctx *d, json_object *a, json_object *b)
{
	const char *name = ad_jstr(a, "name");
	long long va[AD_NPS], vb[AD_NPS];
	bool ha = ad_jpages(a, "value", va), hb = ad_jpages(b, "value", vb);

	str_member(d, AD_BREAKING, a, b, "string", "string constant", name);
	if (ha && hb && page_mask(va, vb))
		num_change(d, NULL, "constant value", name, va, vb);
	else if (ha && hb && !str_eq(ad_jstr(a, "expr"), ad_jstr(b, "expr")))
		emit(d, AD_COMPATIBLE, "constant rewritten, same values", name,
		     ad_jstr(a, "expr"), ad_jstr(b, "expr"));
	else if (ha != hb)
		emit(d, AD_BREAKING, "constant value", name, ha ? "number" : "(none)",
		     hb ? "number" : "(none)");
	str_member(d, AD_COMPATIBLE, a, b, "meaning", "constant meaning", name);
}

/* A string constant of the other side with the same value (renamed macro). */
static json_object *renamed_string(json_object *k, json_object *other, json_object *own)
{
	const char *s = ad_jstr(k, "string");
	size_t i;

	for (i = 0; s && i < ad_jlen(other); i++) {
		json_object *o = ad_jat(other, i);

		if (str_eq(ad_jstr(o, "string"), s) && !ad_jfind(own, "name", ad_jstr(o, "name")))
			return o;
	}
	return NULL;
}

/* A constant on one side only, shown with its string or its values. */
static void const_only(const struct dctx *d, json_object *k, bool added)
{
	const char *s = ad_jstr(k, "string");
	long long v[AD_NPS];
	char *val = s ? ad_strdup(s) : ad_jpages(k, "value", v) ? fmt_at(v, AD_ALL_PAGES) : NULL;

	emit(d, AD_BREAKING, s ? added ? "string constant added" : "string constant removed"
			       : added ? "constant added" : "constant removed",
	     ad_jstr(k, "name"), added ? NULL : val, added ? val : NULL);
	free(val);
}

static void consts_diff(const struct dctx *d, json_object *ca, json_object *cb)
{
	json_object *ka = ad_jobj(ca, "constants"), *kb = ad_jobj(cb, "constants"), *r;
	size_t i;

	for (i = 0; i < ad_jlen(ka); i++) {
		json_object *a = ad_jat(ka, i), *b = ad_jfind(kb, "name", ad_jstr(a, "name"));
		const char *s = ad_jstr(a, "string");

		if (b)
			const_pair(d, a, b);
		else if ((r = renamed_string(a, kb, ka)))
			emit(d, AD_COMPATIBLE, "macro renamed, same string", s,
			     ad_jstr(a, "name"), ad_jstr(r, "name"));
		else
			const_only(d, a, false);
	}
	for (i = 0; i < ad_jlen(kb); i++) {
		json_object *b = ad_jat(kb, i);

		if (!ad_jfind(ka, "name", ad_jstr(b, "name")) && !renamed_string(b, ka, kb))
			const_only(d, b, true);
	}
}

static void memory_map_diff(const struct dctx *d, json_object *ca, json_object *cb)
{
	json_object *ma = ad_jobj(ca, "memory_map"), *mb = ad_jobj(cb, "memory_map");
	json_object *pa = ad_jmap(ma, "params"), *pb = ad_jmap(mb, "params");
	char subj[128];

	if (!ma || !mb) {
		if (ma || mb)
			emit(d, AD_BREAKING, "memory-map format", NULL,
			     ma ? ad_jstr(ma, "format") : "(none)", mb ? ad_jstr(mb, "format") : "(none)");
		return;
	}
	str_member(d, AD_BREAKING, ma, mb, "format", "memory-map format", NULL);
	{
		json_object_object_foreach(pa, key, val) {
			(void)val;
			snprintf(subj, sizeof(subj), "memory_map.%s", key);
			if (!ad_jobj(pb, key))
				emit(d, AD_BREAKING, "memory-map parameter removed", subj, NULL, NULL);
			else
				num_member(d, pa, pb, key, "memory-map parameter", subj);
		}
	}
	{
		json_object_object_foreach(pb, key, val) {
			(void)val;
			snprintf(subj, sizeof(subj), "memory_map.%s", key);
			if (!ad_jobj(pa, key))
				emit(d, AD_BREAKING, "memory-map parameter added", subj, NULL, NULL);
		}
	}
}

static void areas_diff(const struct dctx *d, json_object *ca, json_object *cb)
{
	json_object *aa = ad_jobj(ca, "areas"), *ab = ad_jobj(cb, "areas");
	char subj[160];
	size_t i;

	for (i = 0; i < ad_jlen(aa); i++) {
		json_object *a = ad_jat(aa, i), *b = ad_jfind(ab, "name", ad_jstr(a, "name"));
		json_object *ta = ad_jmap(a, "attrs"), *tb = ad_jmap(b, "attrs");

		if (!b) {
			emit(d, AD_BREAKING, "area removed", ad_jstr(a, "name"), NULL, NULL);
			continue;
		}
		{
			json_object_object_foreach(ta, key, val) {
				(void)val;
				snprintf(subj, sizeof(subj), "area %s.%s", ad_jstr(a, "name"), key);
				str_member(d, AD_BREAKING, ta, tb, key, "area", subj);
			}
		}
		{
			json_object_object_foreach(tb, key, val) {
				(void)val;
				snprintf(subj, sizeof(subj), "area %s.%s", ad_jstr(a, "name"), key);
				if (!ad_jobj(ta, key))
					str_member(d, AD_BREAKING, ta, tb, key, "area", subj);
			}
		}
	}
	for (i = 0; i < ad_jlen(ab); i++)
		if (!ad_jfind(aa, "name", ad_jstr(ad_jat(ab, i), "name")))
			emit(d, AD_BREAKING, "area added", ad_jstr(ad_jat(ab, i), "name"), NULL, NULL);
}

/* ---- structs ------------------------------------------------------------ */

/* "pfn@0:52 flags@52:12": the bit ranges of a field under key */
static char *bits_of(json_object *f, const char *key)
{
	json_object *bits = ad_jobj(f, key);
	char *s = ad_strdup(""), *t;
	size_t i;

	for (i = 0; i < ad_jlen(bits); i++) {
		json_object *b = ad_jat(bits, i);

		t = ad_printf("%s%s%s@%d:%d", s, i ? " " : "",
			      ad_jstr(b, "name") ? ad_jstr(b, "name") : "?",
			      json_object_get_int(ad_jobj(b, "lsb")),
			      json_object_get_int(ad_jobj(b, "width")));
		free(s);
		s = t;
	}
	return s;
}

/* the little-endian (or only) placement, which every description states */
static char *bits_text(json_object *f)
{
	return bits_of(f, "bits");
}

/*
 * The big-endian placement ("bits_be") is optional.  Stating it where it
 * was not stated refines the description (compatible); changing a stated
 * one is breaking.
 */
static void bits_be_diff(const struct dctx *d, const char *subj, json_object *a, json_object *b)
{
	char *ba = bits_of(a, "bits_be"), *bb = bits_of(b, "bits_be");

	if (strcmp(ba, bb))
		emit(d, *ba && *bb ? AD_BREAKING : AD_COMPATIBLE,
		     *ba && *bb ? "field big-endian bit layout" :
		     *bb ? "field big-endian bit layout stated" : "field big-endian bit layout dropped",
		     subj, *ba ? ba : "(not stated)", *bb ? bb : "(not stated)");
	free(ba);
	free(bb);
}

static bool same_field_layout(json_object *a, json_object *b)
{
	char *ba = bits_text(a), *bb = bits_text(b);
	bool same = same_sizes(a, b, "offset") && same_sizes(a, b, "size") &&
		    str_eq(ad_jstr(a, "type"), ad_jstr(b, "type")) && !strcmp(ba, bb);

	free(ba);
	free(bb);
	return same;
}

static void field_pair(const struct dctx *d, const char *sname, json_object *a, json_object *b)
{
	char *subj = ad_printf("%s.%s", sname, ad_jstr(a, "name"));
	char *ba = bits_text(a), *bb = bits_text(b);

	num_member(d, a, b, "offset", "field offset", subj);
	num_member(d, a, b, "size", "field size", subj);
	str_member(d, AD_BREAKING, a, b, "type", "field type", subj);
	if (strcmp(ba, bb))
		emit(d, AD_BREAKING, "field bit layout", subj, *ba ? ba : "(none)", *bb ? bb : "(none)");
	bits_be_diff(d, subj, a, b);
	str_member(d, AD_COMPATIBLE, a, b, "meaning", "field meaning", subj);
	free(ba);
	free(bb);
	free(subj);
}

static json_object *renamed_field(json_object *f, json_object *other, json_object *own)
{
	size_t i;

	for (i = 0; i < ad_jlen(other); i++) {
		json_object *o = ad_jat(other, i);

		if (!ad_jfind(own, "name", ad_jstr(o, "name")) && same_field_layout(f, o))
			return o;
	}
	return NULL;
}

static void fields_diff(const struct dctx *d, const char *sname, json_object *sa, json_object *sb)
{
	json_object *fa = ad_jobj(sa, "fields"), *fb = ad_jobj(sb, "fields"), *r;
	char *subj;
	size_t i;

	for (i = 0; i < ad_jlen(fa); i++) {
		json_object *a = ad_jat(fa, i), *b = ad_jfind(fb, "name", ad_jstr(a, "name"));

		subj = ad_printf("%s.%s", sname, ad_jstr(a, "name"));
		if (b)
			field_pair(d, sname, a, b);
		else if ((r = renamed_field(a, fb, fa)))
			emit(d, AD_COMPATIBLE, "field renamed, same offset, size and type", subj,
			     ad_jstr(a, "name"), ad_jstr(r, "name"));
		else
			emit(d, AD_BREAKING, "field removed", subj, ad_jstr(a, "type"), NULL);
		free(subj);
	}
	for (i = 0; i < ad_jlen(fb); i++) {
		json_object *b = ad_jat(fb, i);
		long long off[AD_NPS];
		char *where;

		if (ad_jfind(fa, "name", ad_jstr(b, "name")) || renamed_field(b, fa, fb))
			continue;
		subj = ad_printf("%s.%s", sname, ad_jstr(b, "name"));
		where = ad_jpages(b, "offset", off) ? ad_printf("%s at offset %lld", ad_jstr(b, "type"), off[0])
						    : ad_strdup(ad_jstr(b, "type"));
		emit(d, AD_BREAKING, "field added", subj, NULL, where);
		free(where);
		free(subj);
	}
}

static char *struct_sig(json_object *s)
{
	json_object *f = ad_jobj(s, "fields");
	long long sz[AD_NPS] = { 0 };
	char *sig, *t;
	size_t i;

	ad_jpages(s, "size", sz);
	sig = ad_printf("%lld/%lld/%lld %d", sz[0], sz[1], sz[2],
			json_object_get_boolean(ad_jobj(s, "packed")));
	for (i = 0; i < ad_jlen(f); i++) {
		long long o[AD_NPS] = { 0 }, z[AD_NPS] = { 0 };
		char *bits = bits_text(ad_jat(f, i));

		ad_jpages(ad_jat(f, i), "offset", o);
		ad_jpages(ad_jat(f, i), "size", z);
		t = ad_printf("%s|%lld/%lld/%lld:%lld/%lld/%lld:%s:%s", sig, o[0], o[1], o[2],
			      z[0], z[1], z[2], ad_jstr(ad_jat(f, i), "type"), bits);
		free(bits);
		free(sig);
		sig = t;
	}
	return sig;
}

static json_object *renamed_struct(json_object *s, json_object *other, json_object *own)
{
	char *want = struct_sig(s);
	json_object *hit = NULL;
	size_t i;

	for (i = 0; i < ad_jlen(other) && !hit; i++) {
		json_object *o = ad_jat(other, i);
		char *sig = struct_sig(o);

		if (!ad_jfind(own, "name", ad_jstr(o, "name")) && !strcmp(sig, want))
			hit = o;
		free(sig);
	}
	free(want);
	return hit;
}

static void structs_diff(const struct dctx *d, json_object *ca, json_object *cb)
{
	json_object *sa = ad_jobj(ca, "structs"), *sb = ad_jobj(cb, "structs"), *r;
	size_t i;

	for (i = 0; i < ad_jlen(sa); i++) {
		json_object *a = ad_jat(sa, i), *b = ad_jfind(sb, "name", ad_jstr(a, "name"));
		const char *name = ad_jstr(a, "name");

		if (b) {
			num_member(d, a, b, "size", "struct size", name);
			if (json_object_get_boolean(ad_jobj(a, "packed")) !=
			    json_object_get_boolean(ad_jobj(b, "packed")))
				emit(d, AD_BREAKING, "struct packing", name,
				     json_object_get_boolean(ad_jobj(a, "packed")) ? "packed" : "natural",
				     json_object_get_boolean(ad_jobj(b, "packed")) ? "packed" : "natural");
			fields_diff(d, name, a, b);
		} else if ((r = renamed_struct(a, sb, sa))) {
			emit(d, AD_COMPATIBLE, "struct renamed, same layout", name, name,
			     ad_jstr(r, "name"));
		} else {
			emit(d, AD_BREAKING, "struct removed", name, NULL, NULL);
		}
	}
	for (i = 0; i < ad_jlen(sb); i++) {
		json_object *b = ad_jat(sb, i);
		long long sz[AD_NPS];
		char *v;

		if (ad_jfind(sa, "name", ad_jstr(b, "name")) || renamed_struct(b, sa, sb))
			continue;
		v = ad_jpages(b, "size", sz) ? fmt_at(sz, AD_ALL_PAGES) : NULL;
		emit(d, AD_BREAKING, "struct added", ad_jstr(b, "name"), NULL,
		     v ? v : "(size unknown)");
		free(v);
	}
}

/* ---- a whole part --------------------------------------------------------- */

static void part_only(const struct dctx *d, json_object *comp, bool added)
{
	json_object *nodes = ad_jobj(comp, "nodes");
	const char *compat = ad_jstr(comp, "compatible");
	char *v = ad_printf("%s%s%s%s", ad_jstr(comp, "id"), compat ? " (" : "",
			    compat ? compat : "", compat ? ")" : "");
	size_t i;

	emit(d, AD_INFO, added ? "part added" : "part removed", v, NULL, NULL);
	free(v);
	/* Nodes of an FDT another slot owns: their presence is that slot's ABI. */
	for (i = 0; i < ad_jlen(nodes); i++)
		if (strcmp(node_owner(d, ad_jat(nodes, i)), d->owner))
			node_existence(d, ad_jat(nodes, i), added);
}

static void text_diff(const struct dctx *d, json_object *a, json_object *b)
{
	char *ea = join_strings(ad_jobj(a, "evidence")), *eb = join_strings(ad_jobj(b, "evidence"));

	str_member(d, AD_COMPATIBLE, a, b, "summary", "summary", NULL);
	if (strcmp(ea, eb))
		emit(d, AD_COMPATIBLE, "evidence", NULL, NULL, NULL);
	free(ea);
	free(eb);
}

void ad_diff_component(struct ad_cmp *c, const char *slot, json_object *a, json_object *b)
{
	json_object *any = a ? a : b;
	struct dctx d = { c, slot, ad_jstr(any, "owner") ? ad_jstr(any, "owner") : slot };
	const char *ca, *cb;

	if (!a && !b)
		return;
	if (!a || !b) {
		part_only(&d, any, !a);
		return;
	}
	ca = ad_jstr(a, "compatible");
	cb = ad_jstr(b, "compatible");
	if (!str_eq(ca, cb))
		emit(&d, AD_BUMP, "compatible", NULL, ca ? ca : "(none)", cb ? cb : "(none)");
	str_member(&d, AD_BREAKING, a, b, "kind", "kind of part", NULL);
	str_member(&d, AD_BREAKING, a, b, "data", "data format", NULL);
	str_member(&d, AD_BREAKING, a, b, "kho_entry", "KHO sub-node name", NULL);
	nodes_diff(&d, a, b);
	memory_map_diff(&d, a, b);
	consts_diff(&d, a, b);
	structs_diff(&d, a, b);
	areas_diff(&d, a, b);
	text_diff(&d, a, b);
}
