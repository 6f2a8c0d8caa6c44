/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/*
 * abidiff.h - luo-abi-diff: compare two descriptions of the LUO/KHO
 * handover ABI and check that every breaking change came with a bump of
 * the compatible string that versions it.
 *
 * Every input is first turned into one model, the canonical JSON that
 * conformance/tools/abijson.py writes for a spec/abi directory (see the
 * shape in that file); the header reader (hdr_*.c) builds the same model
 * from kernel ABI headers.  The diff engine (diff.c) walks two models'
 * components slot by slot, records each change with the slot whose
 * compatible string owns it, and verdict.c applies the bump rule.
 */
#ifndef LUOC_ABIDIFF_H
#define LUOC_ABIDIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

/* The page sizes every number is evaluated at (order of the JSON lists). */
#define AD_NPS		3
#define AD_ALL_PAGES	((1u << AD_NPS) - 1)
extern const long ad_page_sizes[AD_NPS];

/* Exit status: the tool is a CI gate. */
enum { AD_EXIT_OK = 0, AD_EXIT_VIOLATION = 1, AD_EXIT_ERROR = 2 };

enum ad_class {
	AD_INFO,	/* a part appeared or went away as a whole */
	AD_COMPATIBLE,	/* same bytes: rename at equal layout, text */
	AD_BREAKING,	/* the bytes or the FDT a reader sees changed */
	AD_BUMP,	/* the owning compatible string itself changed */
};

struct ad_change {
	char *slot;		/* part of the ABI the change is in */
	char *owner;		/* slot whose compatible versions it */
	enum ad_class cls;
	char *what;		/* "field offset", "node added", ... */
	char *subject;		/* "luo_session_ser.count", "/luo-flb" */
	char *old_val;		/* printable, or NULL */
	char *new_val;
	unsigned int pages;	/* page sizes (bit i = ad_page_sizes[i]) it differs at; 0: not a number */
};

enum ad_verdict_kind {
	AD_V_OK,
	AD_V_VIOLATION,
	AD_V_WARNING,
	AD_V_ACCEPTED,	/* a violation the NEW profile records as upstream's ("unbumped") */
};

struct ad_verdict {
	char *owner;
	char *old_compat;	/* NULL: the part is absent on that side */
	char *new_compat;
	int breaking;		/* breaking changes it owns */
	enum ad_verdict_kind kind;
};

/* One comparison: two tuples of components (a profile, a header set, or
 * one component compared with itself in place). */
struct ad_cmp {
	char *label;
	json_object *old_doc, *new_doc;		/* models (borrowed) */
	json_object *old_slots, *new_slots;	/* slot -> component id (owned refs) */
	json_object *accepted;			/* NEW profile's "unbumped" (borrowed) */
	struct ad_change *ch;
	size_t nch, cap;
	struct ad_verdict *v;
	size_t nv;
};

struct ad_report {
	const char *old_name, *new_name;
	struct ad_cmp **cmp;
	size_t ncmp;
	int violations, warnings, accepted, breaking, compatible;
};

/* util.c */
void *ad_xmalloc(size_t n);
void *ad_xrealloc(void *p, size_t n);
char *ad_strdup(const char *s);
char *ad_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void ad_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int ad_run(char *const argv[], const char *out_file, char **out, char **err);
char *ad_mkdtemp(void);
void ad_rmtree(const char *dir);
char *ad_read_file(const char *path, size_t max);
int ad_write_file(const char *path, const char *text);
bool ad_is_dir(const char *path);
bool ad_is_file(const char *path);

/* json.c: typed access to the model */
const char *ad_jstr(json_object *o, const char *key);
json_object *ad_jobj(json_object *o, const char *key);
json_object *ad_jmap(json_object *o, const char *key);
size_t ad_jlen(json_object *arr);
json_object *ad_jat(json_object *arr, size_t i);
bool ad_jpages(json_object *o, const char *key, long long v[AD_NPS]);
json_object *ad_jfind(json_object *arr, const char *key, const char *val);
json_object *ad_component(json_object *doc, const char *id);
bool ad_model_ok(json_object *doc, const char *name);

/* load.c: an operand -> model */
struct ad_side {
	char *name;		/* as given */
	json_object *doc;	/* model */
	char *profile;		/* "DIR:PROFILE" form, else NULL */
};
int ad_load_abi_dir(const char *dir, json_object **doc);
int ad_load_operand(const char *arg, struct ad_side *side);
void ad_side_free(struct ad_side *side);

/* git.c: extract a path at a revision */
int ad_git_extract(const char *rev, const char *path, char **dir, char **tmp);

/* hdr_*.c: kernel ABI headers -> model */
int ad_headers_model(const char *dir, bool kernel_tree, json_object **doc);

/* diff.c */
void ad_diff_component(struct ad_cmp *c, const char *slot,
		       json_object *a, json_object *b);
void ad_emit(struct ad_cmp *c, const char *slot, const char *owner,
	     enum ad_class cls, const char *what, const char *subject,
	     const char *old_val, const char *new_val, unsigned int pages);

/* pair.c: which comparisons to make */
struct ad_cmp *ad_cmp_new(const char *label, json_object *old_doc, json_object *new_doc,
			  json_object *old_slots, json_object *new_slots);
void ad_cmp_free(struct ad_cmp *c);
void ad_cmp_run(struct ad_cmp *c, bool skip_same_id, const char *only_slot);
void ad_report_add(struct ad_report *r, struct ad_cmp *c);
int ad_compare_models(struct ad_report *r, struct ad_side *o, struct ad_side *n);
const char *ad_slot_compat(struct ad_cmp *c, bool new_side, const char *slot);

/* verdict.c */
void ad_verdicts(struct ad_cmp *c);
void ad_report_count(struct ad_report *r);

/* report.c */
void ad_print_text(const struct ad_report *r, bool quiet);
void ad_print_json(const struct ad_report *r);
const char *ad_class_name(enum ad_class cls);
const char *ad_verdict_name(enum ad_verdict_kind k);

#endif /* LUOC_ABIDIFF_H */
