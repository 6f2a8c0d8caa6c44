/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/*
 * libfdt.h - libfdt for the checker core built as a kernel module.
 *
 * Debian's kernels are built without CONFIG_OF and export no fdt_*
 * symbols, so the module carries libfdt from the kernel's own
 * scripts/dtc/libfdt (extracted from Debian's linux-source package at
 * build time, never copied into this tree).  That copy's libfdt_env.h
 * wants libc; the kernel's <linux/libfdt_env.h> defines the same guard
 * with kernel types, so including it first makes the libc one a no-op --
 * the arrangement the kernel's own lib/fdt*.c wrappers rely on.
 *
 * The extracted directory comes after this one on the include path, so
 * #include_next finds the real header.
 */
#ifndef LUOC_KMOD_LIBFDT_H
#define LUOC_KMOD_LIBFDT_H

#include <linux/libfdt_env.h>
#include_next <libfdt.h>

#endif /* LUOC_KMOD_LIBFDT_H */
