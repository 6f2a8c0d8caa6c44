// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * sort.c - in-place heapsort: O(n log n), no recursion, no allocation.
 *
 * Used for the kho-v1 bitmap index, the radix visited list and the
 * overlap range sets.  An already sorted input (the common case for
 * ranges recorded in address order) is detected in one pass and left.
 */
#include "luoc_int.h"

#define ELEM_MAX	32

static void swap_elems(uint8_t *a, uint8_t *b, size_t size)
{
	uint8_t t[ELEM_MAX];

	__builtin_memcpy(t, a, size);
	__builtin_memcpy(a, b, size);
	__builtin_memcpy(b, t, size);
}

static void sift_down(uint8_t *base, size_t root, size_t n, size_t size,
		      int (*cmp)(const void *, const void *))
{
	for (;;) {
		size_t child = 2 * root + 1;

		if (child >= n)
			return;
		if (child + 1 < n && cmp(base + child * size, base + (child + 1) * size) < 0)
			child++;
		if (cmp(base + root * size, base + child * size) >= 0)
			return;
		swap_elems(base + root * size, base + child * size, size);
		root = child;
	}
}

void luoc_heapsort(void *base, size_t n, size_t size,
		   int (*cmp)(const void *a, const void *b))
{
	uint8_t *b = base;
	size_t i;

	if (n < 2 || size > ELEM_MAX)
		return;
	for (i = 1; i < n; i++)
		if (cmp(b + (i - 1) * size, b + i * size) > 0)
			break;
	if (i == n)
		return;
	for (i = n / 2; i-- > 0;)
		sift_down(b, i, n, size, cmp);
	for (i = n - 1; i > 0; i--) {
		swap_elems(b, b + i * size, size);
		sift_down(b, 0, i, size, cmp);
	}
}
