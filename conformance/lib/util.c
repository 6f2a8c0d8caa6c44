// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * util.c - small helpers that are not on the hot path (loads: util.h).
 */
#include "luoc_int.h"

bool luoc_all_zero(const void *p, size_t len)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i])
			return false;
	return true;
}

/* Index of the highest set bit (v != 0). */
unsigned int luoc_fls64(uint64_t v)
{
	return 63u - (unsigned int)__builtin_clzll(v);
}
