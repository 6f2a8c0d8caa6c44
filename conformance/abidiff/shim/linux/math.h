/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/* luo-abi-diff shim: integer rounding helpers. */
#ifndef LUOC_SHIM_LINUX_MATH_H
#define LUOC_SHIM_LINUX_MATH_H
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define ALIGN(x, a)		(((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define round_up(x, y)		ALIGN(x, y)
#endif
