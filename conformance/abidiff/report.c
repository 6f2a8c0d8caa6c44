// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * report.c - print a report as text (for people) or JSON (for tools).
 */
#include <stdio.h>
#include <string.h>

#include "abidiff.h"

const char *ad_class_name(enum ad_class cls)
{
	switch (cls) {
	case AD_INFO:
		return "info";
	case AD_COMPATIBLE:
		return "compatible";
	case AD_BREAKING:
		return "breaking";
	case AD_BUMP:
		return "bump";
	}
	return "?";
}

const char *ad_verdict_name(enum ad_verdict_kind k)
{
	switch (k) {
	case AD_V_OK:
		return "OK";
	case AD_V_VIOLATION:
		return "VIOLATION";
	case AD_V_WARNING:
		return "WARNING";
	case AD_V_ACCEPTED:
		return "ACCEPTED";
	}
	return "?";
}

/* "16 KiB" or "4 KiB and 64 KiB" */
static void pages_text(unsigned int pages, char *buf, size_t len)
{
	size_t n = 0;
	int i, cnt = 0, seen = 0;

	for (i = 0; i < AD_NPS; i++)
		cnt += !!(pages & (1u << i));
	buf[0] = '\0';
	for (i = 0; i < AD_NPS; i++) {
		if (!(pages & (1u << i)))
			continue;
		seen++;
		n += (size_t)snprintf(buf + n, len - n, "%s%ld KiB",
				      seen == 1 ? "" : seen == cnt ? " and " : ", ",
				      ad_page_sizes[i] / 1024);
	}
}

static void print_value(const char *v)
{
	if (strlen(v) > 72)
		printf("\"%.69s...\"", v);
	else
		printf("%s", v);
}

static void print_change(const struct ad_change *ch)
{
	char pages[64];

	printf("  %-10s %s: %s", ad_class_name(ch->cls), ch->slot, ch->what);
	if (ch->subject && *ch->subject)
		printf(" %s", ch->subject);
	if (ch->old_val || ch->new_val) {
		printf(": ");
		print_value(ch->old_val ? ch->old_val : "(none)");
		printf(" -> ");
		print_value(ch->new_val ? ch->new_val : "(none)");
	}
	if (ch->pages && ch->pages != AD_ALL_PAGES) {
		pages_text(ch->pages, pages, sizeof(pages));
		printf(" [PAGE_SIZE-dependent: differs only at %s pages]", pages);
	}
	if (strcmp(ch->owner, ch->slot) && strcmp(ch->owner, "-"))
		printf(" (versioned by %s)", ch->owner);
	putchar('\n');
}

static void print_verdict(const struct ad_verdict *v)
{
	const char *o = v->old_compat ? v->old_compat : "(none)";
	const char *n = v->new_compat ? v->new_compat : "(none)";

	printf("  %-10s %s ", ad_verdict_name(v->kind), v->owner);
	if (v->kind == AD_V_VIOLATION)
		printf("(%s): %d breaking change%s without a bump of %s\n", o, v->breaking,
		       v->breaking == 1 ? "" : "s", o);
	else if (v->kind == AD_V_ACCEPTED)
		printf("(%s): %d breaking change%s without a bump of %s, recorded as upstream's"
		       " (profile: unbumped)\n", o, v->breaking, v->breaking == 1 ? "" : "s", o);
	else if (v->kind == AD_V_OK)
		printf("(%s -> %s): %d breaking change%s, compatible string bumped\n", o, n,
		       v->breaking, v->breaking == 1 ? "" : "s");
	else
		printf("(%s -> %s): compatible string bumped without a breaking change\n", o, n);
}

void ad_print_text(const struct ad_report *r, bool quiet)
{
	size_t i, j;

	printf("luo-abi-diff: %s -> %s\n", r->old_name, r->new_name);
	for (i = 0; i < r->ncmp; i++) {
		const struct ad_cmp *c = r->cmp[i];

		if (quiet && !c->nv)
			continue;
		printf("\n%s\n", c->label);
		for (j = 0; !quiet && j < c->nch; j++)
			print_change(&c->ch[j]);
		for (j = 0; j < c->nv; j++)
			print_verdict(&c->v[j]);
	}
	printf("\nresult: %s: %d violation%s, %d warning%s, %d accepted (%d breaking, %d compatible change%s)\n",
	       r->violations ? "VIOLATION" : "OK", r->violations, r->violations == 1 ? "" : "s",
	       r->warnings, r->warnings == 1 ? "" : "s", r->accepted, r->breaking, r->compatible,
	       r->compatible == 1 ? "" : "s");
}

static json_object *jstr_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static json_object *change_json(const struct ad_change *ch)
{
	json_object *o = json_object_new_object(), *ps = json_object_new_array();
	int i;

	json_object_object_add(o, "slot", json_object_new_string(ch->slot));
	json_object_object_add(o, "owner", json_object_new_string(ch->owner));
	json_object_object_add(o, "class", json_object_new_string(ad_class_name(ch->cls)));
	json_object_object_add(o, "what", json_object_new_string(ch->what));
	json_object_object_add(o, "subject", jstr_or_null(ch->subject));
	json_object_object_add(o, "old", jstr_or_null(ch->old_val));
	json_object_object_add(o, "new", jstr_or_null(ch->new_val));
	for (i = 0; i < AD_NPS; i++)
		if (!ch->pages || (ch->pages & (1u << i)))
			json_object_array_add(ps, json_object_new_int64(ad_page_sizes[i]));
	json_object_object_add(o, "page_sizes", ps);
	json_object_object_add(o, "page_size_dependent",
			       json_object_new_boolean(ch->pages && ch->pages != AD_ALL_PAGES));
	return o;
}

static json_object *verdict_json(const struct ad_verdict *v)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "owner", json_object_new_string(v->owner));
	json_object_object_add(o, "old_compatible", jstr_or_null(v->old_compat));
	json_object_object_add(o, "new_compatible", jstr_or_null(v->new_compat));
	json_object_object_add(o, "breaking", json_object_new_int(v->breaking));
	json_object_object_add(o, "verdict", json_object_new_string(ad_verdict_name(v->kind)));
	return o;
}

void ad_print_json(const struct ad_report *r)
{
	json_object *top = json_object_new_object(), *cmps = json_object_new_array();
	size_t i, j;

	json_object_object_add(top, "old", json_object_new_string(r->old_name));
	json_object_object_add(top, "new", json_object_new_string(r->new_name));
	json_object_object_add(top, "result",
			       json_object_new_string(r->violations ? "violation" : "ok"));
	json_object_object_add(top, "violations", json_object_new_int(r->violations));
	json_object_object_add(top, "warnings", json_object_new_int(r->warnings));
	json_object_object_add(top, "accepted", json_object_new_int(r->accepted));
	json_object_object_add(top, "breaking", json_object_new_int(r->breaking));
	json_object_object_add(top, "compatible", json_object_new_int(r->compatible));
	for (i = 0; i < r->ncmp; i++) {
		json_object *c = json_object_new_object(), *chs = json_object_new_array();
		json_object *vs = json_object_new_array();

		json_object_object_add(c, "label", json_object_new_string(r->cmp[i]->label));
		for (j = 0; j < r->cmp[i]->nch; j++)
			json_object_array_add(chs, change_json(&r->cmp[i]->ch[j]));
		for (j = 0; j < r->cmp[i]->nv; j++)
			json_object_array_add(vs, verdict_json(&r->cmp[i]->v[j]));
		json_object_object_add(c, "changes", chs);
		json_object_object_add(c, "verdicts", vs);
		json_object_array_add(cmps, c);
	}
	json_object_object_add(top, "comparisons", cmps);
	puts(json_object_to_json_string_ext(top, JSON_C_TO_STRING_PRETTY |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(top);
}
