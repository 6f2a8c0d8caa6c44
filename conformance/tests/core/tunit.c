// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * tunit.c - the context of tunit.h.
 */
#include <stdlib.h>
#include <string.h>

#include "tunit.h"

struct tu *tu_new(const char *profile, const struct luoc_mem *mem, size_t ws_bytes)
{
	struct tu *u = calloc(1, sizeof(*u));

	assert_non_null(u);
	u->cfg.page_size = 4096;
	if (ws_bytes) {
		u->ws = malloc(ws_bytes);
		assert_non_null(u->ws);
		u->cfg.workspace = u->ws;
		u->cfg.workspace_size = ws_bytes;
	}
	tc_visitor(&u->rec, &u->vis);
	if (mem)
		u->mem = *mem;
	u->c.cfg = &u->cfg;
	u->c.mem = &u->mem;
	u->c.vis = &u->vis;
	u->c.res = &u->res;
	u->c.p = luoc_profile_find(profile);
	assert_non_null(u->c.p);
	u->c.ps = 4096;
	u->c.pshift = 12;
	u->c.outcome_override = -1;
	luoc_ws_init(&u->c);
	return u;
}

void tu_free(struct tu *u)
{
	free(u->ws);
	free(u);
}
