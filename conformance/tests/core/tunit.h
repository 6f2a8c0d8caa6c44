/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/*
 * tunit.h - a checker context set up as luoc_check() sets it up, for
 * tests that call the core's internal helpers directly (folio claims,
 * the radix walk, the uniqueness checks): findings go to a struct tc, so
 * tc_count()/tc_has_msg() apply.
 */
#ifndef TUNIT_H
#define TUNIT_H

#include "tcore.h"
#include "luoc_int.h"

struct tu {
	struct luoc_config cfg;
	struct luoc_visitor vis;
	struct luoc_result res;
	struct luoc_mem mem;
	struct luoc_ctx c;
	struct tc rec;		/* the findings */
	uint8_t *ws;
};

/* Profile by name, memory (NULL: none), workspace of ws_bytes (0: none). */
struct tu *tu_new(const char *profile, const struct luoc_mem *mem, size_t ws_bytes);
void tu_free(struct tu *u);

#endif /* TUNIT_H */
