/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/* luo-abi-diff shim: the page size the layouts are evaluated at. */
#ifndef LUOC_SHIM_ASM_PAGE_H
#define LUOC_SHIM_ASM_PAGE_H
#ifndef LUOC_SHIM_PAGE_SHIFT
#define LUOC_SHIM_PAGE_SHIFT	12
#endif
#define PAGE_SHIFT		LUOC_SHIM_PAGE_SHIFT
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#define PAGE_MASK		(~(PAGE_SIZE - 1))
#endif
