/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/*
 * luo-abi-diff shim: the KHO API header.  Only its ABI part matters here:
 * struct kho_vmalloc, which memfd.h embeds.  Since the v7.0 cycle it lives
 * in the KHO ABI header; before that (v6.19) the API header defined it, with
 * the layout below (u64 first chunk, u32 total_pages, u16 flags, u16 order).
 */
#ifndef LUOC_SHIM_LINUX_KEXEC_HANDOVER_H
#define LUOC_SHIM_LINUX_KEXEC_HANDOVER_H
#include <linux/types.h>
#include <asm/page.h>
#if __has_include(<linux/kho/abi/kexec_handover.h>)
#include <linux/kho/abi/kexec_handover.h>
#else
struct kho_vmalloc {
	u64 first;
	unsigned int total_pages;
	unsigned short flags;
	unsigned short order;
};
#endif
#endif
