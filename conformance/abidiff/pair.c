// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * pair.c - which parts are compared with which.
 *
 * Two profiles (or two header sets) are compared slot by slot: the kho
 * slot with the kho slot, the memfd handler with the memfd handler, and so
 * on, whatever the components are called.
 *
 * Two whole descriptions are compared as a reviewer reads a change to
 * spec/abi:
 *   1. a component present in both (same id) is compared with itself: an
 *      edit in place must not change what its compatible string stands for;
 *   2. a profile present in both is compared slot by slot where it now
 *      names another component;
 *   3. a profile added is compared with the profile released just before
 *      it (the newest earlier one of NEW, or of the profiles OLD had and
 *      NEW dropped): the step from one release to the next must come with
 *      the bumps it needs.
 * Components and profiles that only appear or disappear are listed.
 */
#include <stdlib.h>
#include <string.h>

#include "abidiff.h"

struct ad_cmp *ad_cmp_new(const char *label, json_object *old_doc, json_object *new_doc,
			  json_object *old_slots, json_object *new_slots)
{
	struct ad_cmp *c = ad_xmalloc(sizeof(*c));

	c->label = ad_strdup(label);
	c->old_doc = old_doc;
	c->new_doc = new_doc;
	c->old_slots = old_slots && json_object_is_type(old_slots, json_type_object) ?
		       json_object_get(old_slots) : json_object_new_object();
	c->new_slots = new_slots && json_object_is_type(new_slots, json_type_object) ?
		       json_object_get(new_slots) : json_object_new_object();
	return c;
}

void ad_cmp_free(struct ad_cmp *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->nch; i++) {
		free(c->ch[i].slot);
		free(c->ch[i].owner);
		free(c->ch[i].what);
		free(c->ch[i].subject);
		free(c->ch[i].old_val);
		free(c->ch[i].new_val);
	}
	for (i = 0; i < c->nv; i++) {
		free(c->v[i].owner);
		free(c->v[i].old_compat);
		free(c->v[i].new_compat);
	}
	free(c->ch);
	free(c->v);
	json_object_put(c->old_slots);
	json_object_put(c->new_slots);
	free(c->label);
	free(c);
}

static const char *slot_id(json_object *slots, const char *slot)
{
	return ad_jstr(slots, slot);
}

const char *ad_slot_compat(struct ad_cmp *c, bool new_side, const char *slot)
{
	json_object *doc = new_side ? c->new_doc : c->old_doc;
	json_object *slots = new_side ? c->new_slots : c->old_slots;

	return ad_jstr(ad_component(doc, slot_id(slots, slot)), "compatible");
}

/* kho, kho/..., luo, session, flb, handlers, then anything else */
static int slot_rank(const char *s)
{
	if (!strcmp(s, "kho"))
		return 0;
	if (!strncmp(s, "kho/", 4))
		return 1;
	if (!strcmp(s, "luo"))
		return 2;
	if (!strcmp(s, "session"))
		return 3;
	if (!strcmp(s, "flb"))
		return 4;
	if (!strncmp(s, "handler:", 8))
		return 5;
	return 6;
}

static int slot_cmp(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	int rx = slot_rank(x), ry = slot_rank(y);

	return rx != ry ? rx - ry : strcmp(x, y);
}

static size_t slot_union(json_object *a, json_object *b, const char ***out)
{
	size_t n = 0, cap = (size_t)json_object_object_length(a) + (size_t)json_object_object_length(b) + 1;
	const char **v = ad_xmalloc(cap * sizeof(*v));
	json_object *both[2] = { a, b };
	size_t i, k;

	for (k = 0; k < 2; k++) {
		json_object_object_foreach(both[k], key, val) {
			(void)val;
			for (i = 0; i < n && strcmp(v[i], key); i++)
				;
			if (i == n)
				v[n++] = key;
		}
	}
	qsort(v, n, sizeof(*v), slot_cmp);
	*out = v;
	return n;
}

void ad_cmp_run(struct ad_cmp *c, bool skip_same_id, const char *only_slot)
{
	const char **slots;
	size_t i, n = slot_union(c->old_slots, c->new_slots, &slots);

	for (i = 0; i < n; i++) {
		const char *ia = slot_id(c->old_slots, slots[i]);
		const char *ib = slot_id(c->new_slots, slots[i]);

		if (only_slot && strcmp(only_slot, slots[i]))
			continue;
		if (skip_same_id && ia && ib && !strcmp(ia, ib))
			continue;
		ad_diff_component(c, slots[i], ad_component(c->old_doc, ia),
				  ad_component(c->new_doc, ib));
	}
	free(slots);
	ad_verdicts(c);
}

void ad_report_add(struct ad_report *r, struct ad_cmp *c)
{
	r->cmp = ad_xrealloc(r->cmp, (r->ncmp + 1) * sizeof(*r->cmp));
	r->cmp[r->ncmp++] = c;
}

static json_object *profile_slots(json_object *doc, const char *pid)
{
	return ad_jmap(ad_jobj(ad_jobj(doc, "profiles"), pid), "slots");
}

/*
 * The tuple a component is seen in: the first profile that uses it, so
 * the compatible string of its owner (the KHO root for kho_vmalloc, the
 * LUO root for the nodes it adds to the LUO FDT) can be looked up.
 */
static json_object *in_place_slots(json_object *doc, const char *id, const char *slot)
{
	json_object *out = json_object_new_object();

	json_object_object_foreach(ad_jmap(doc, "profiles"), pid, prof) {
		const char *uses = ad_jstr(ad_jobj(prof, "slots"), slot);

		(void)pid;
		if (uses && !strcmp(uses, id)) {
			json_object_object_foreach(ad_jmap(prof, "slots"), k, v) {
				if (v)
					json_object_object_add(out, k, json_object_get(v));
			}
			break;
		}
	}
	json_object_object_add(out, slot, json_object_new_string(id));
	return out;
}

static void keep_if_changed(struct ad_report *r, struct ad_cmp *c)
{
	if (c->nch)
		ad_report_add(r, c);
	else
		ad_cmp_free(c);
}

static void compare_in_place(struct ad_report *r, json_object *od, json_object *nd)
{
	json_object_object_foreach(ad_jmap(nd, "components"), id, comp) {
		const char *slot = ad_jstr(comp, "slot");
		json_object *os, *ns;
		struct ad_cmp *c;
		char *label;

		if (!ad_component(od, id) || !slot)
			continue;
		os = in_place_slots(od, id, slot);
		ns = in_place_slots(nd, id, slot);
		label = ad_printf("component %s (edited in place)", id);
		c = ad_cmp_new(label, od, nd, os, ns);
		ad_cmp_run(c, false, slot);
		keep_if_changed(r, c);
		json_object_put(os);
		json_object_put(ns);
		free(label);
	}
}

/* Order of releases: unreleased (null) first, then by date, then by name. */
static int release_cmp(json_object *pa, const char *na, json_object *pb, const char *nb)
{
	const char *ra = ad_jstr(pa, "released"), *rb = ad_jstr(pb, "released");
	int d = strcmp(ra ? ra : "", rb ? rb : "");

	return d ? d : strcmp(na, nb);
}

/* The profile released just before pid: from NEW, or dropped from OLD. */
static json_object *predecessor(json_object *od, json_object *nd, const char *pid,
				const char **pred, json_object **pred_doc)
{
	json_object *me = ad_jobj(ad_jobj(nd, "profiles"), pid), *best = NULL;
	json_object *docs[2] = { nd, od };
	int k;

	*pred = NULL;
	for (k = 0; k < 2; k++) {
		json_object_object_foreach(ad_jmap(docs[k], "profiles"), name, prof) {
			if (!strcmp(name, pid) || (k == 1 && ad_jobj(ad_jobj(nd, "profiles"), name)))
				continue;
			if (release_cmp(prof, name, me, pid) >= 0)
				continue;
			if (!best || release_cmp(prof, name, best, *pred) > 0) {
				best = prof;
				*pred = name;
				*pred_doc = docs[k];
			}
		}
	}
	return best;
}

static void note(struct ad_report *r, json_object *od, json_object *nd, const char *label,
		 const char *what, const char *subject)
{
	struct ad_cmp *c = ad_cmp_new(label, od, nd, NULL, NULL);

	ad_emit(c, "profiles", NULL, AD_INFO, what, subject, NULL, NULL, 0);
	ad_report_add(r, c);
}

static void compare_profiles(struct ad_report *r, json_object *od, json_object *nd)
{
	json_object_object_foreach(ad_jmap(nd, "profiles"), pid, prof) {
		json_object *pred_doc = od;
		const char *pred;
		struct ad_cmp *c;
		char *label;

		if (ad_jobj(ad_jobj(od, "profiles"), pid)) {
			label = ad_printf("profile %s (edited)", pid);
			c = ad_cmp_new(label, od, nd, profile_slots(od, pid), ad_jmap(prof, "slots"));
			c->accepted = ad_jobj(prof, "unbumped");
			ad_cmp_run(c, true, NULL);
			keep_if_changed(r, c);
		} else if (predecessor(od, nd, pid, &pred, &pred_doc)) {
			label = ad_printf("profile %s -> %s (profile added)", pred, pid);
			c = ad_cmp_new(label, pred_doc, nd, profile_slots(pred_doc, pred),
				       ad_jmap(prof, "slots"));
			c->accepted = ad_jobj(prof, "unbumped");
			ad_cmp_run(c, pred_doc != nd, NULL);
			ad_report_add(r, c);
		} else {
			label = ad_printf("profile %s", pid);
			note(r, od, nd, label, "profile added, no earlier profile to compare with", pid);
		}
		free(label);
	}
}

static void compare_catalogue(struct ad_report *r, json_object *od, json_object *nd)
{
	struct ad_cmp *c = ad_cmp_new("catalogue", od, nd, NULL, NULL);

	json_object_object_foreach(ad_jmap(od, "profiles"), opid, oprof) {
		(void)oprof;
		if (!ad_jobj(ad_jobj(nd, "profiles"), opid))
			ad_emit(c, "profiles", NULL, AD_INFO, "profile removed", opid, NULL, NULL, 0);
	}

	json_object_object_foreach(ad_jmap(od, "components"), oid, ocomp) {
		if (!ad_component(nd, oid))
			ad_emit(c, ad_jstr(ocomp, "slot"), NULL, AD_INFO, "component removed", oid,
				NULL, NULL, 0);
	}
	json_object_object_foreach(ad_jmap(nd, "components"), nid, ncomp) {
		if (!ad_component(od, nid))
			ad_emit(c, ad_jstr(ncomp, "slot"), NULL, AD_INFO, "component added", nid,
				NULL, NULL, 0);
	}
	keep_if_changed(r, c);
}

int ad_compare_models(struct ad_report *r, struct ad_side *o, struct ad_side *n)
{
	struct ad_cmp *c;
	char *label;

	if (!o->profile != !n->profile) {
		ad_err("give a profile on both sides (DIR:PROFILE) or on neither");
		return -1;
	}
	if (o->profile) {
		label = ad_printf("profile %s -> %s", o->profile, n->profile);
		c = ad_cmp_new(label, o->doc, n->doc, profile_slots(o->doc, o->profile),
			       profile_slots(n->doc, n->profile));
		c->accepted = ad_jobj(ad_jobj(ad_jobj(n->doc, "profiles"), n->profile), "unbumped");
		ad_cmp_run(c, false, NULL);
		ad_report_add(r, c);
		free(label);
		return 0;
	}
	compare_in_place(r, o->doc, n->doc);
	compare_profiles(r, o->doc, n->doc);
	compare_catalogue(r, o->doc, n->doc);
	return 0;
}
