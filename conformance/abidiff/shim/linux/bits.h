/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/* luo-abi-diff shim: single-bit and mask helpers. */
#ifndef LUOC_SHIM_LINUX_BITS_H
#define LUOC_SHIM_LINUX_BITS_H
#include <linux/types.h>
#define BIT(n)			(1UL << (n))
#define BIT_ULL(n)		(1ULL << (n))
#define GENMASK(h, l)		(((~0UL) >> (BITS_PER_LONG - 1 - (h))) & (~0UL << (l)))
#define GENMASK_ULL(h, l)	(((~0ULL) >> (63 - (h))) & (~0ULL << (l)))
#endif
