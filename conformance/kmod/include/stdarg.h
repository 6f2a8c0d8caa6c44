/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/*
 * stdarg.h - for the checker core built as a kernel module.
 *
 * Since Linux 5.15 the kernel no longer puts the compiler's own headers on
 * the include path, so the core's <stdarg.h> (fmt.c, report.c) resolves
 * here and takes the kernel's copy of va_list and friends.
 */
#ifndef LUOC_KMOD_STDARG_H
#define LUOC_KMOD_STDARG_H

#include <linux/stdarg.h>

#endif /* LUOC_KMOD_STDARG_H */
