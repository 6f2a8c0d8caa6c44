// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * arena.c - zeroed allocations in 64 KiB chunks (larger ones get their
 * own), all freed with the arena: a decoded state is thousands of small
 * strings and arrays with one lifetime.
 */
#include <stdlib.h>
#include <string.h>

#include "arena.h"

struct st_chunk {
	struct st_chunk *next;
	size_t used, cap;
	max_align_t data[];
};

struct luoc_st_arena {
	struct st_chunk *head;
};

struct luoc_st_arena *luoc_st_arena_new(void)
{
	return calloc(1, sizeof(struct luoc_st_arena));
}

void *luoc_st_alloc(struct luoc_st_arena *a, size_t n)
{
	size_t need = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
	struct st_chunk *c = a->head;
	void *p;

	if (!need)
		need = sizeof(max_align_t);
	if (!c || c->cap - c->used < need) {
		size_t cap = need > 65536 ? need : 65536;

		c = malloc(sizeof(*c) + cap);
		if (!c)
			return NULL;
		c->used = 0;
		c->cap = cap;
		c->next = a->head;
		a->head = c;
	}
	p = (char *)c->data + c->used;
	c->used += need;
	memset(p, 0, need);
	return p;
}

char *luoc_st_strndup(struct luoc_st_arena *a, const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *d = luoc_st_alloc(a, len + 1);	/* zeroed: the NUL is there */

	if (d)
		memcpy(d, s, len);
	return d;
}

char *luoc_st_strdup(struct luoc_st_arena *a, const char *s)
{
	return luoc_st_strndup(a, s, strlen(s));
}

void luoc_st_arena_free(struct luoc_st_arena *a)
{
	struct st_chunk *c, *n;

	if (!a)
		return;
	for (c = a->head; c; c = n) {
		n = c->next;
		free(c);
	}
	free(a);
}
