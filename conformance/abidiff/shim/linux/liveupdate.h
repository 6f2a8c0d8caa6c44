/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/*
 * luo-abi-diff shim: the LUO kernel API header, reduced to the lengths of
 * the names the ABI structs embed.  The uAPI header (the tree's own, or the
 * fallback) comes first, so a value defined there wins.
 */
#ifndef LUOC_SHIM_LINUX_LIVEUPDATE_H
#define LUOC_SHIM_LINUX_LIVEUPDATE_H
#include <linux/types.h>
#include <uapi/linux/liveupdate.h>
#ifndef LIVEUPDATE_HNDL_COMPAT_LENGTH
#define LIVEUPDATE_HNDL_COMPAT_LENGTH	48
#endif
#ifndef LIVEUPDATE_FLB_COMPAT_LENGTH
#define LIVEUPDATE_FLB_COMPAT_LENGTH	48
#endif
#endif
