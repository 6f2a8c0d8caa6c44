// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * fdtprop.c - reading LUO/KHO properties of an FDT that fdtcheck.c passed.
 *
 * u64 properties are raw CPU-native bytes (not big-endian cells) and only
 * 4-byte aligned, so they go through luoc_ld().  Compatible strings are
 * checked for exact equality, which is what the spec requires of a
 * writer, and the kernel's own test (fdt_node_check_compatible: the string
 * anywhere in the list) is reported beside it as a NOTE, because that is
 * what decides the incoming kernel's reaction.
 */
#include "luoc_int.h"

int luoc_fdt_node(const void *fdt, int parent, const char *name)
{
	return fdt_subnode_offset(fdt, parent, name);
}

int luoc_prop_u64(struct luoc_ctx *c, const struct luoc_loc *loc, const char *req,
		  const void *fdt, int node, const char *name, uint64_t *val)
{
	const void *v;
	int len;

	*val = 0;
	v = fdt_getprop(fdt, node, name, &len);
	if (!v) {
		luoc_report(c, loc, req, SEV_E, -LUOC_EMISSING, LUOC_NO_PHYS,
			    "property %s is missing", name);
		return -LUOC_EMISSING;
	}
	if (len != 8) {
		luoc_report(c, loc, req, SEV_E, -LUOC_ESIZE, LUOC_NO_PHYS,
			    "property %s is %d bytes, expected 8", name, len);
		return -LUOC_ESIZE;
	}
	*val = luoc_ld(c, v, 8);
	return 0;
}

/*
 * Returns 0 for the exact value, 1 when the value is wrong but holds the
 * expected string (a list-matching reader would go on), or -LUOC_ECOMPAT.
 */
int luoc_check_compat(struct luoc_ctx *c, const struct luoc_loc *loc, const char *req,
		      const void *fdt, int node, const char *expect)
{
	char shown[96];
	const char *v;
	int len, kern;

	v = fdt_getprop(fdt, node, LUOC_PROP_COMPATIBLE, &len);
	if (!v) {
		luoc_report(c, loc, req, SEV_E, -LUOC_ECOMPAT, LUOC_NO_PHYS,
			    "no compatible property, expected \"%s\"", expect);
		return -LUOC_ECOMPAT;
	}
	if ((size_t)len == strlen(expect) + 1 && !memcmp(v, expect, (size_t)len))
		return 0;
	luoc_show_strlist(shown, sizeof(shown), v, len);
	kern = fdt_node_check_compatible(fdt, node, expect);
	/* an error all the same; but a list-matching kernel carries on */
	if (kern == 0 && c->p->compat_list_match)
		c->outcome_override = LUOC_OUT_ACCEPT;
	luoc_report(c, loc, req, SEV_E, -LUOC_ECOMPAT, LUOC_NO_PHYS,
		    "compatible is %s (%d bytes), expected exactly \"%s\"", shown, len, expect);
	c->outcome_override = -1;
	luoc_report(c, loc, req, SEV_N, -LUOC_ECOMPAT, LUOC_NO_PHYS,
		    "the kernel's fdt_node_check_compatible(\"%s\") would %s this node%s",
		    expect, kern == 0 ? "accept" : "reject",
		    kern == 0 && !c->p->compat_list_match ?
		    ", but this profile's kernel compares the value exactly" : "");
	return kern == 0 ? 1 : -LUOC_ECOMPAT;
}
