/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/* luo-abi-diff shim: everything the ABI headers need is in types.h etc. */
#include <linux/types.h>
#include <linux/bits.h>
#include <linux/math.h>
#include <linux/log2.h>
