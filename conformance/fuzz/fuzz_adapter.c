// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * fuzz_adapter.c - the input is what a subprocess adapter prints (or a
 * state file it reads): JSON that conformance/adapter turns into states.
 * json-c parses it; the target feeds the object to the three readers of
 * the protocol (state, restore answer, preserve request), then writes a
 * parsed state back to JSON and reads that again, and compares and
 * digests what it read, as the runner does.
 */
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "fz.h"
#include "state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define DIGEST_FUZZ_MAX	(1u << 20)	/* bigger contents only cost time */

static void use_state(const struct luoc_state *st)
{
	struct luoc_st_arena *a = luoc_st_arena_new();
	struct luoc_state back, copy;
	json_object *o;
	char err[256], msg[256];
	uint32_t i, j;

	if (!a)
		return;
	for (i = 0; i < st->n_sessions; i++)
		for (j = 0; j < st->sessions[i].n_files; j++) {
			const struct luoc_st_memfd *m = &st->sessions[i].files[j].memfd;
			uint8_t d[32];

			if (st->sessions[i].files[j].is_memfd && m->size <= DIGEST_FUZZ_MAX)
				(void)luoc_memfd_digest(m, 4096, d);
		}
	o = luoc_state_to_json(st);
	if (!o)
		fz_fail("luoc_state_to_json failed on a parsed state");
	if (luoc_state_from_json(o, a, &back, err, sizeof(err)))
		fz_fail("a state written as JSON does not read back: %s", err);
	(void)luoc_state_compare(st, &back, LUOC_CMP_FOLIOS, msg, sizeof(msg));
	if (!luoc_state_copy(a, st, &copy))
		(void)luoc_state_compare(&copy, st, 0, msg, sizeof(msg));
	json_object_put(o);
	luoc_st_arena_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_tokener *tok = json_tokener_new();
	struct luoc_st_arena *a;
	struct luoc_restore_out out;
	struct luoc_preserve_opts opts;
	struct luoc_state st;
	json_object *o;
	char err[256];

	if (!tok)
		return 0;
	o = json_tokener_parse_ex(tok, (const char *)data, (int)(size > 1 << 20 ? 1 << 20 : size));
	json_tokener_free(tok);
	if (!o)
		return 0;
	a = luoc_st_arena_new();
	if (a && !luoc_state_from_json(o, a, &st, err, sizeof(err)))
		use_state(&st);
	if (a && !luoc_restore_from_json(o, a, &out, err, sizeof(err))) {
		json_object *back = luoc_restore_to_json(&out);

		if (out.verdict == LUOC_VERDICT_ACCEPT)
			use_state(&out.state);
		json_object_put(back);
	}
	if (a && !luoc_preserve_req_from_json(o, a, &st, &opts, err, sizeof(err))) {
		json_object *back = luoc_preserve_req_to_json(&st, &opts);

		json_object_put(back);
	}
	luoc_st_arena_free(a);
	json_object_put(o);
	return 0;
}
