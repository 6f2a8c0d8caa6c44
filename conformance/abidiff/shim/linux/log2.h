/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/* luo-abi-diff shim: log2 of a constant, usable in enum initialisers. */
#ifndef LUOC_SHIM_LINUX_LOG2_H
#define LUOC_SHIM_LINUX_LOG2_H
#define const_ilog2(n)		((n) < 1 ? -1 : 63 - __builtin_clzll((unsigned long long)(n)))
#define ilog2(n)		const_ilog2(n)
#define order_base_2(n)		((n) <= 1 ? 0 : const_ilog2((n) - 1) + 1)
#endif
