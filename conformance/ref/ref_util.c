// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * ref_util.c - byte order and profile lookup.
 */
#include <stdlib.h>
#include <string.h>

#include "ref.h"

const struct luoc_profile *ref_profile(const char *name)
{
	unsigned int i;

	if (!name)
		return NULL;
	for (i = 0; i < luoc_n_profiles; i++)
		if (!strcmp(luoc_profiles[i].name, name))
			return &luoc_profiles[i];
	return NULL;
}

const char *const *ref_profile_names(void)
{
	/* One more slot than profiles for the NULL end; sized generously. */
	static const char *names[32];
	unsigned int i;

	for (i = 0; i < luoc_n_profiles && i + 1 < sizeof(names) / sizeof(names[0]); i++)
		names[i] = luoc_profiles[i].name;
	names[i] = NULL;
	return names;
}

/*
 * Values are stored in the writing CPU's byte order (spec: byte_order
 * native), which may differ from ours when an image says so.
 */
uint64_t ref_ld(const void *p, unsigned int size, bool be)
{
	const uint8_t *b = p;
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < size && i < 8; i++) {
		unsigned int k = be ? i : size - 1 - i;

		v = (v << 8) | b[k];
	}
	return v;
}

void ref_st(void *p, unsigned int size, uint64_t v, bool be)
{
	uint8_t *b = p;
	unsigned int i;

	for (i = 0; i < size && i < 8; i++) {
		unsigned int k = be ? size - 1 - i : i;

		b[k] = (uint8_t)(v >> (8 * i));
	}
}

unsigned int ref_log2(uint64_t v)
{
	unsigned int n = 0;

	while (v > 1) {
		v >>= 1;
		n++;
	}
	return n;
}
