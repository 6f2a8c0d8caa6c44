/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/*
 * luoc_env.h - the one seam between the checker core and its environment.
 *
 * The core needs fixed-width integers, bool, size_t and the string
 * primitives libfdt itself needs (memcpy, memcmp, memchr, memset, strlen,
 * strnlen).  Nothing else: no allocator, no stdio, no errno.  A kernel,
 * bootloader or firmware that embeds the core puts its own luoc_env.h
 * earlier on the include path, exactly as it does for libfdt_env.h.
 */
#ifndef LUOC_ENV_H
#define LUOC_ENV_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/string.h>
#include <linux/limits.h>
#ifndef UINT64_MAX
#define UINT64_MAX	U64_MAX
#endif
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#endif

#endif /* LUOC_ENV_H */
