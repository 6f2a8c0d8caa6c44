/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/*
 * cli_util.h - small helpers shared by luo-conform and luo-mkimage.
 */
#ifndef LUOC_CLI_UTIL_H
#define LUOC_CLI_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exit statuses of the tools. */
#define LUOC_EXIT_OK		0
#define LUOC_EXIT_NONCONFORM	1
#define LUOC_EXIT_USAGE		2	/* usage or I/O error */

/*
 * A number in C notation (decimal, 0x hex, 0 octal) with an optional K, M
 * or G suffix (binary multiples).  False when it is not one, or overflows.
 */
bool luoc_parse_u64(const char *s, uint64_t *v);

/* "PHYS=REST": the number before '=' and a pointer to what follows it. */
bool luoc_parse_assign(const char *s, uint64_t *phys, const char **rest);

/* Read a whole regular file into malloc'd memory.  0 or -errno. */
int luoc_read_file(const char *path, unsigned char **buf, size_t *len);

#endif /* LUOC_CLI_UTIL_H */
