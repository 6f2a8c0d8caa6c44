// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * verdict.c - the bump rule.
 *
 * For every slot that owns a change in a comparison:
 *   breaking change(s) and the owner's compatible string changed  -> OK
 *   breaking change(s) and the same compatible string             -> VIOLATION
 *   the compatible string changed and nothing breaking under it   -> WARNING
 * A violation between two profiles that the NEW profile lists in its
 * "unbumped" slots is upstream's, recorded on purpose: ACCEPTED.
 * A part that appears or disappears as a whole changes its own string
 * from or to nothing; what that does to the FDT of another slot (a node
 * a reader now requires) is a change owned by that slot.
 */
#include <stdlib.h>
#include <string.h>

#include "abidiff.h"

static bool str_eq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static bool accepted(const struct ad_cmp *c, const char *owner)
{
	size_t i;

	for (i = 0; i < ad_jlen(c->accepted); i++) {
		json_object *e = ad_jat(c->accepted, i);

		if (json_object_is_type(e, json_type_string) && !strcmp(json_object_get_string(e), owner))
			return true;
	}
	return false;
}

static bool seen(const struct ad_cmp *c, size_t upto, const char *owner)
{
	size_t i;

	for (i = 0; i < upto; i++)
		if (c->ch[i].cls != AD_INFO && !strcmp(c->ch[i].owner, owner))
			return true;
	return false;
}

static void verdict_for(struct ad_cmp *c, const char *owner)
{
	const char *oc = ad_slot_compat(c, false, owner), *nc = ad_slot_compat(c, true, owner);
	struct ad_verdict *v;
	int breaking = 0;
	bool bumped = !str_eq(oc, nc);
	size_t i;

	for (i = 0; i < c->nch; i++)
		if (c->ch[i].cls == AD_BREAKING && !strcmp(c->ch[i].owner, owner))
			breaking++;
	if (!breaking && (!bumped || !oc || !nc))
		return;
	c->v = ad_xrealloc(c->v, (c->nv + 1) * sizeof(*c->v));
	v = &c->v[c->nv++];
	v->owner = ad_strdup(owner);
	v->old_compat = ad_strdup(oc);
	v->new_compat = ad_strdup(nc);
	v->breaking = breaking;
	if (breaking)
		v->kind = bumped ? AD_V_OK : accepted(c, owner) ? AD_V_ACCEPTED : AD_V_VIOLATION;
	else
		v->kind = AD_V_WARNING;
}

void ad_verdicts(struct ad_cmp *c)
{
	size_t i;

	for (i = 0; i < c->nch; i++)
		if (c->ch[i].cls != AD_INFO && !seen(c, i, c->ch[i].owner))
			verdict_for(c, c->ch[i].owner);
}

void ad_report_count(struct ad_report *r)
{
	size_t i, j;

	r->violations = r->warnings = r->accepted = r->breaking = r->compatible = 0;
	for (i = 0; i < r->ncmp; i++) {
		for (j = 0; j < r->cmp[i]->nv; j++) {
			r->violations += r->cmp[i]->v[j].kind == AD_V_VIOLATION;
			r->warnings += r->cmp[i]->v[j].kind == AD_V_WARNING;
			r->accepted += r->cmp[i]->v[j].kind == AD_V_ACCEPTED;
		}
		for (j = 0; j < r->cmp[i]->nch; j++) {
			r->breaking += r->cmp[i]->ch[j].cls == AD_BREAKING;
			r->compatible += r->cmp[i]->ch[j].cls == AD_COMPATIBLE;
		}
	}
}
