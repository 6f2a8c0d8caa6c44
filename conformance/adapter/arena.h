/* SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause) */
/*
 * arena.h - an allocation arena: zeroed blocks freed all at once.  Owns
 * the states the runner builds or parses from JSON (state.h) and the
 * state the reference implementation decodes (conformance/ref).
 */
#ifndef LUOC_ADAPTER_ARENA_H
#define LUOC_ADAPTER_ARENA_H

#include <stddef.h>

struct luoc_st_arena;
struct luoc_st_arena *luoc_st_arena_new(void);
void *luoc_st_alloc(struct luoc_st_arena *a, size_t n);		/* zeroed, NULL on failure */
char *luoc_st_strdup(struct luoc_st_arena *a, const char *s);
/* The first n bytes of s, up to a NUL, NUL-terminated. */
char *luoc_st_strndup(struct luoc_st_arena *a, const char *s, size_t n);
void luoc_st_arena_free(struct luoc_st_arena *a);

#endif /* LUOC_ADAPTER_ARENA_H */
