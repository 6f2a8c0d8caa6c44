/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/*
 * hdr.h - internals of the kernel-header reader (hdr_*.c).
 */
#ifndef LUOC_ABIDIFF_HDR_H
#define LUOC_ABIDIFF_HDR_H

#include "abidiff.h"

/* The ABI headers the reader knows, under include/linux/kho/abi/. */
#define HDR_NFILES 3
extern const char *const hdr_files[HDR_NFILES];

/* An object-like macro defined in one of the ABI headers. */
struct hdr_macro {
	char *name;
	char *file;		/* "luo.h" */
	char *body;		/* as written, whitespace collapsed */
	char *str;		/* value when it expands to string literals */
	bool probe;		/* compiled as an integer probe */
	bool have_val;
	long long val[AD_NPS];
};

struct hdr_macros {
	struct hdr_macro *m;
	size_t n;
};

/* hdr_macros.c */
void hdr_macros_scan(const char *dd_output, struct hdr_macros *ms);
void hdr_macros_expand(const char *expanded, struct hdr_macros *ms);
void hdr_macros_free(struct hdr_macros *ms);

/* hdr_dwarf.c: {"structs": {NAME: {file, size, fields}}, "enums": {NAME:
 * {file, value}}, "macros": {INDEX: value}} of one object file */
int ad_dwarf_read(const char *obj, json_object **out);

/* hdr_map.c: group what was read by the compatible string that versions
 * it and build the model (one profile, "headers") */
json_object *hdr_build_model(struct hdr_macros *ms, json_object *dw[AD_NPS],
			     const char *dir);

#endif /* LUOC_ABIDIFF_HDR_H */
