// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * profile.c - lookups in the generated profile table, and the names of
 * codes and outcomes.
 */
#include "luoc_int.h"

const struct luoc_profile *luoc_profile_find(const char *name)
{
	unsigned int i;

	if (!name)
		return NULL;
	for (i = 0; i < luoc_n_profiles; i++)
		if (!strcmp(luoc_profiles[i].name, name))
			return &luoc_profiles[i];
	return NULL;
}

/* The profile's own row for req, if it has one. */
bool luoc_outcome_row(const struct luoc_profile *p, const char *req, enum luoc_outcome *o)
{
	unsigned int i;

	for (i = 0; p && req && i < p->n_outcomes; i++) {
		if (!strcmp(p->outcomes[i].req, req)) {
			*o = p->outcomes[i].outcome;
			return true;
		}
	}
	return false;
}

/* The profile's row for req, else its default (luoc.h). */
enum luoc_outcome luoc_outcome_for(const struct luoc_profile *p, const char *req)
{
	enum luoc_outcome o;

	if (!p)
		return LUOC_OUT_UNDEFINED;
	return luoc_outcome_row(p, req, &o) ? o : p->out_default;
}

/* The outcome names of the profile YAML files, indexed by the enum. */
const char *luoc_outcome_name(enum luoc_outcome o)
{
	static const char *const names[LUOC_N_OUTCOMES] = LUOC_OUTCOME_NAMES;

	if ((unsigned int)o < LUOC_N_OUTCOMES)
		return names[o];
	return "?";
}

const char *luoc_strerror(int code)
{
	static const char *const msgs[] = {
		[LUOC_OK] = "ok",
		[LUOC_EFORMAT] = "malformed FDT or structure",
		[LUOC_ECOMPAT] = "wrong or missing compatible string",
		[LUOC_EMISSING] = "required node or property absent",
		[LUOC_ESIZE] = "property or blob of the wrong size",
		[LUOC_ERANGE] = "count or value outside its limit",
		[LUOC_EABSENT] = "referenced memory not in the image",
		[LUOC_ENOTPRESERVED] = "referenced memory not in the KHO map",
		[LUOC_EOVERLAP] = "two structures share bytes",
		[LUOC_ELOOP] = "cycle or unbounded chain",
		[LUOC_EDUP] = "duplicate name or token",
		[LUOC_ESTRING] = "string not NUL-terminated or empty",
		[LUOC_EALIGN] = "misaligned address",
		[LUOC_EBYTEORDER] = "value only makes sense byte-swapped",
		[LUOC_ENOSPC] = "workspace too small: check incomplete",
		[LUOC_EINVAL] = "bad configuration",
	};
	unsigned int i = code < 0 ? (unsigned int)-code : (unsigned int)code;

	if (i < sizeof(msgs) / sizeof(msgs[0]) && msgs[i])
		return msgs[i];
	return "unknown error";
}
