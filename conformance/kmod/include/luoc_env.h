/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/*
 * luoc_env.h - the checker core's environment seam, kernel side.
 *
 * conformance/include/luoc/luoc_env.h is reached by a quoted #include
 * from luoc.h, so a header earlier on the include path can never replace
 * it.  Instead every core wrapper of the module includes this file first:
 * it defines the seam's include guard, so the seam itself then adds
 * nothing -- the trick the kernel's <linux/libfdt_env.h> plays on libfdt's
 * own libfdt_env.h.
 *
 * What the core needs beyond the seam's __KERNEL__ branch: UINT64_MAX
 * (the kernel spells it U64_MAX) and SIZE_MAX (<linux/limits.h>).
 */
#ifndef LUOC_ENV_H
#define LUOC_ENV_H

#include <linux/types.h>
#include <linux/string.h>
#include <linux/limits.h>

#ifndef UINT64_MAX
#define UINT64_MAX	U64_MAX
#endif

#endif /* LUOC_ENV_H */
