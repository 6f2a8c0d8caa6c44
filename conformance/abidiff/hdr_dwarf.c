// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * hdr_dwarf.c - struct layouts, enumerators and macro values from the
 * DWARF of the probe object hdr_model.c compiles (libdw).
 *
 * The compiler is the authority on layout: offsets, sizes and bit
 * positions are read from what gcc emitted, never computed here.  Types
 * are named canonically (typedefs resolved, "u64", "char[64]",
 * "struct:kho_vmalloc") so that spelling a field "u64" or "phys_addr_t"
 * is not reported as a change when the bytes are the same.
 *
 * The integer value of each object-like macro arrives as the bounds of
 * four char arrays in a probe struct "luoc_m_<n>" (16 bits each), since
 * DWARF keeps no macro values without -g3 and cannot evaluate them.
 */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "abidiff.h"
#include "hdr.h"

#define TYPE_DEPTH 8

static bool attr_udata(Dwarf_Die *die, int name, Dwarf_Word *v)
{
	Dwarf_Attribute a;

	return dwarf_attr_integrate(die, name, &a) && dwarf_formudata(&a, v) == 0;
}

static bool type_of(Dwarf_Die *die, Dwarf_Die *out)
{
	Dwarf_Attribute a;

	return dwarf_attr_integrate(die, DW_AT_type, &a) && dwarf_formref_die(&a, out);
}

static char *type_name(Dwarf_Die *t, int depth);

static char *array_name(Dwarf_Die *t, int depth)
{
	Dwarf_Die elem, sub;
	char *s, *n;

	s = type_of(t, &elem) ? type_name(&elem, depth + 1) : ad_strdup("?");
	if (dwarf_child(t, &sub) != 0)
		return s;
	do {
		Dwarf_Word v;

		if (dwarf_tag(&sub) != DW_TAG_subrange_type)
			continue;
		if (attr_udata(&sub, DW_AT_count, &v))
			n = ad_printf("%s[%llu]", s, (unsigned long long)v);
		else if (attr_udata(&sub, DW_AT_upper_bound, &v))
			n = ad_printf("%s[%llu]", s, (unsigned long long)v + 1);
		else
			n = ad_printf("%s[]", s);
		free(s);
		s = n;
	} while (dwarf_siblingof(&sub, &sub) == 0);
	return s;
}

/*
 * A union of one integer and pointers of the same size (the kernel's
 * DECLARE_KHOSER_PTR: u64 phys beside the writer's pointer) holds that
 * integer in memory; the pointer is only how the writer spells it.
 */
static char *khoser_union(Dwarf_Die *t, int depth)
{
	Dwarf_Die m, mt;
	char *integer = NULL;
	int size = dwarf_bytesize(t);

	if (dwarf_child(t, &m) != 0)
		return NULL;
	do {
		char *tn;

		if (dwarf_tag(&m) != DW_TAG_member || !type_of(&m, &mt))
			goto no;
		tn = type_name(&mt, depth + 1);
		if (!strcmp(tn, "ptr")) {
			free(tn);
			continue;
		}
		if (integer || tn[0] != 'u' || atoi(tn + 1) != size * 8) {
			free(tn);
			goto no;
		}
		integer = tn;
	} while (dwarf_siblingof(&m, &m) == 0);
	return integer;
no:
	free(integer);
	return NULL;
}

/* "struct{u64 phys;ptr ptr}" for an anonymous aggregate */
static char *anon_name(Dwarf_Die *t, const char *kw, int depth)
{
	Dwarf_Die m, mt;
	char *s, *n;
	bool first = true;

	if (!strcmp(kw, "union") && (s = khoser_union(t, depth)))
		return s;
	s = ad_printf("%s{", kw);

	if (dwarf_child(t, &m) == 0) {
		do {
			char *tn;

			if (dwarf_tag(&m) != DW_TAG_member)
				continue;
			tn = type_of(&m, &mt) ? type_name(&mt, depth + 1) : ad_strdup("?");
			n = ad_printf("%s%s%s %s", s, first ? "" : ";", tn,
				      dwarf_diename(&m) ? dwarf_diename(&m) : "");
			free(tn);
			free(s);
			s = n;
			first = false;
		} while (dwarf_siblingof(&m, &m) == 0);
	}
	n = ad_printf("%s}", s);
	free(s);
	return n;
}

static char *base_name(Dwarf_Die *t)
{
	Dwarf_Word enc = 0;
	int size = dwarf_bytesize(t);

	attr_udata(t, DW_AT_encoding, &enc);
	if ((enc == DW_ATE_signed_char || enc == DW_ATE_unsigned_char) && size == 1)
		return ad_strdup("char");
	if (enc == DW_ATE_boolean)
		return ad_strdup("bool");
	if (enc == DW_ATE_float)
		return ad_printf("f%d", size * 8);
	return ad_printf("%c%d", enc == DW_ATE_signed ? 's' : 'u', size * 8);
}

static char *type_name(Dwarf_Die *t, int depth)
{
	const char *name = dwarf_diename(t);
	Dwarf_Die next;

	if (depth > TYPE_DEPTH)
		return ad_strdup("...");
	switch (dwarf_tag(t)) {
	case DW_TAG_base_type:
		return base_name(t);
	case DW_TAG_typedef:
	case DW_TAG_const_type:
	case DW_TAG_volatile_type:
	case DW_TAG_restrict_type:
	case DW_TAG_atomic_type:
		return type_of(t, &next) ? type_name(&next, depth + 1) : ad_strdup("void");
	case DW_TAG_pointer_type:
		return ad_strdup("ptr");
	case DW_TAG_array_type:
		return array_name(t, depth);
	case DW_TAG_structure_type:
		return name ? ad_printf("struct:%s", name) : anon_name(t, "struct", depth);
	case DW_TAG_union_type:
		return name ? ad_printf("union:%s", name) : anon_name(t, "union", depth);
	case DW_TAG_enumeration_type:
		return name ? ad_printf("enum:%s", name) : ad_printf("u%d", dwarf_bytesize(t) * 8);
	default:
		return ad_strdup("?");
	}
}

static long long type_size(Dwarf_Die *member)
{
	Dwarf_Die t;
	Dwarf_Word size;

	if (!type_of(member, &t) || dwarf_aggregate_size(&t, &size) != 0)
		return 0;	/* a flexible array member has no size */
	return (long long)size;
}

static json_object *member_json(Dwarf_Die *m, long long struct_size)
{
	json_object *f = json_object_new_object(), *bits = json_object_new_array();
	const char *name = dwarf_diename(m);
	Dwarf_Word off = 0, bsize = 0, dbo = 0, boff = 0;
	long long size = type_size(m);
	Dwarf_Die t;
	char *tn = type_of(m, &t) ? type_name(&t, 0) : ad_strdup("?");

	attr_udata(m, DW_AT_data_member_location, &off);
	if (attr_udata(m, DW_AT_bit_size, &bsize) && size > 0) {
		/* bit-field: its storage unit, and where the bits sit in it */
		json_object *b = json_object_new_object();
		Dwarf_Word unit;

		if (!attr_udata(m, DW_AT_data_bit_offset, &dbo)) {
			attr_udata(m, DW_AT_bit_offset, &boff);	/* DWARF 2/3, little-endian */
			dbo = off * 8 + (Dwarf_Word)size * 8 - boff - bsize;
		}
		unit = dbo / ((Dwarf_Word)size * 8) * (Dwarf_Word)size;
		off = unit;
		json_object_object_add(b, "name", json_object_new_string(name ? name : ""));
		json_object_object_add(b, "lsb", json_object_new_int((int)(dbo - unit * 8)));
		json_object_object_add(b, "width", json_object_new_int((int)bsize));
		json_object_array_add(bits, b);
	}
	if (size == 0 && struct_size > (long long)off)
		size = struct_size - (long long)off;	/* flexible array: the rest */
	json_object_object_add(f, "name", name ? json_object_new_string(name)
					       : json_object_new_string("(anonymous)"));
	json_object_object_add(f, "offset", json_object_new_int64((int64_t)off));
	json_object_object_add(f, "size", json_object_new_int64(size));
	json_object_object_add(f, "type", json_object_new_string(tn));
	json_object_object_add(f, "bits", bits);
	free(tn);
	return f;
}

static json_object *struct_json(Dwarf_Die *s, const char *file)
{
	json_object *o = json_object_new_object(), *fields = json_object_new_array();
	Dwarf_Word size = 0;
	Dwarf_Die m;

	dwarf_aggregate_size(s, &size);
	if (dwarf_child(s, &m) == 0) {
		do {
			if (dwarf_tag(&m) == DW_TAG_member)
				json_object_array_add(fields, member_json(&m, (long long)size));
		} while (dwarf_siblingof(&m, &m) == 0);
	}
	json_object_object_add(o, "file", json_object_new_string(file));
	json_object_object_add(o, "size", json_object_new_int64((int64_t)size));
	json_object_object_add(o, "fields", fields);
	return o;
}

/* The probe struct's four 16-bit pieces, as its arrays' lengths minus one. */
static bool probe_value(Dwarf_Die *s, long long *val)
{
	unsigned long long v = 0;
	Dwarf_Die m, t, sub;
	int i = 0;

	if (dwarf_child(s, &m) != 0)
		return false;
	do {
		Dwarf_Word ub;

		if (dwarf_tag(&m) != DW_TAG_member || !type_of(&m, &t) ||
		    dwarf_child(&t, &sub) != 0 || !attr_udata(&sub, DW_AT_upper_bound, &ub) || i > 3)
			return false;
		v |= ((unsigned long long)ub & 0xffff) << (16 * i++);
	} while (dwarf_siblingof(&m, &m) == 0);
	*val = (long long)v;
	return i == 4;
}

static void enum_json(Dwarf_Die *e, const char *file, json_object *enums)
{
	Dwarf_Die k;

	if (dwarf_child(e, &k) != 0)
		return;
	do {
		Dwarf_Attribute a;
		Dwarf_Sword v;
		json_object *o;

		if (dwarf_tag(&k) != DW_TAG_enumerator || !dwarf_diename(&k) ||
		    !dwarf_attr(&k, DW_AT_const_value, &a) || dwarf_formsdata(&a, &v) != 0)
			continue;
		o = json_object_new_object();
		json_object_object_add(o, "file", json_object_new_string(file));
		json_object_object_add(o, "value", json_object_new_int64((int64_t)v));
		json_object_object_add(enums, dwarf_diename(&k), o);
	} while (dwarf_siblingof(&k, &k) == 0);
}

/* "luo.h" when the declaration is in one of the ABI headers, else NULL. */
static const char *abi_file(Dwarf_Die *die)
{
	const char *f = dwarf_decl_file(die), *p;

	if (!f || !(p = strstr(f, "/linux/kho/abi/")))
		return NULL;
	return p + strlen("/linux/kho/abi/");
}

static void top_die(Dwarf_Die *d, json_object *out)
{
	const char *name = dwarf_diename(d), *file;
	Dwarf_Attribute decl;
	long long v;
	int tag = dwarf_tag(d);

	if (tag != DW_TAG_structure_type && tag != DW_TAG_union_type &&
	    tag != DW_TAG_enumeration_type)
		return;
	if (dwarf_attr(d, DW_AT_declaration, &decl))
		return;
	if (tag == DW_TAG_structure_type && name && !strncmp(name, "luoc_m_", 7)) {
		if (probe_value(d, &v))
			json_object_object_add(ad_jobj(out, "macros"), name + 7,
					       json_object_new_int64(v));
		return;
	}
	if (!(file = abi_file(d)))
		return;
	if (tag == DW_TAG_enumeration_type)
		enum_json(d, file, ad_jobj(out, "enums"));
	else if (name && tag == DW_TAG_structure_type)
		json_object_object_add(ad_jobj(out, "structs"), name, struct_json(d, file));
}

int ad_dwarf_read(const char *obj, json_object **out)
{
	int fd = open(obj, O_RDONLY);
	Dwarf_Off off = 0, next;
	size_t hsize;
	Dwarf *dw;

	if (fd < 0) {
		ad_err("%s: cannot open", obj);
		return -1;
	}
	dw = dwarf_begin(fd, DWARF_C_READ);
	if (!dw) {
		ad_err("%s: no DWARF: %s", obj, dwarf_errmsg(-1));
		close(fd);
		return -1;
	}
	*out = json_object_new_object();
	json_object_object_add(*out, "structs", json_object_new_object());
	json_object_object_add(*out, "enums", json_object_new_object());
	json_object_object_add(*out, "macros", json_object_new_object());
	while (dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu, d;

		if (dwarf_offdie(dw, off + hsize, &cu) && dwarf_child(&cu, &d) == 0) {
			do
				top_die(&d, *out);
			while (dwarf_siblingof(&d, &d) == 0);
		}
		off = next;
	}
	dwarf_end(dw);
	close(fd);
	return 0;
}
