/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/*
 * state.h - helpers around struct luoc_state (luoc/adapter.h): an arena to
 * own states built by the runner or parsed from JSON, the content digest
 * an abstract memfd must restore to, comparison, and the JSON form of the
 * subprocess protocol (PROTOCOL.rst).
 */
#ifndef LUOC_ADAPTER_STATE_H
#define LUOC_ADAPTER_STATE_H

#include <stdio.h>

#include "luoc/adapter.h"
#include "arena.h"

/* Deep copy of a state into an arena (content bytes included). */
int luoc_state_copy(struct luoc_st_arena *a, const struct luoc_state *src,
		    struct luoc_state *dst);

/*
 * SHA-256 of what the memfd reads back: bytes [0, size) of its content,
 * zero where no folio covers the page (all pages are covered when
 * n_folios is 0).  -1 when size exceeds LUOC_DIGEST_MAX.
 */
int luoc_memfd_digest(const struct luoc_st_memfd *m, uint32_t page_size, uint8_t out[32]);

/* Comparison of an expected and a decoded state. */
#define LUOC_CMP_FOLIOS		0x1	/* folio lists must match too */

enum luoc_cmp {
	LUOC_CMP_EQUAL,
	LUOC_CMP_SUBSET,	/* decoded is expected with parts missing */
	LUOC_CMP_DIFFERENT,
};

enum luoc_cmp luoc_state_compare(const struct luoc_state *exp, const struct luoc_state *got,
				 unsigned int flags, char *msg, size_t msglen);

/* Outcome names as in spec/abi ("fresh-start"); -1 for an unknown name. */
const char *luoc_adapter_outcome_name(enum luoc_outcome o);
int luoc_adapter_outcome_parse(const char *name);

/* --- JSON (json-c), for the subprocess protocol --- */
struct json_object;

struct json_object *luoc_state_to_json(const struct luoc_state *st);
int luoc_state_from_json(struct json_object *o, struct luoc_st_arena *a,
			 struct luoc_state *st, char *err, size_t errlen);
struct json_object *luoc_restore_to_json(const struct luoc_restore_out *out);
int luoc_restore_from_json(struct json_object *o, struct luoc_st_arena *a,
			   struct luoc_restore_out *out, char *err, size_t errlen);
/* Preserve request file: options plus the state. */
struct json_object *luoc_preserve_req_to_json(const struct luoc_state *st,
					      const struct luoc_preserve_opts *o);
int luoc_preserve_req_from_json(struct json_object *o, struct luoc_st_arena *a,
				struct luoc_state *st, struct luoc_preserve_opts *opts,
				char *err, size_t errlen);

/* Hex of a digest into buf (65 bytes). */
void luoc_hex(const uint8_t *b, size_t n, char *buf);

#endif /* LUOC_ADAPTER_STATE_H */
