// SPDX-License-Identifier: (GPL-2.0-or-later OR BSD-2-Clause)
/*
 * ref_util.c - byte order, profile lookup and the decoded state's arena.
 */
#include <stdlib.h>
#include <string.h>

#include "ref.h"

const struct luoc_profile *ref_profile(const char *name)
{
	unsigned int i;

	if (!name)
		return NULL;
	for (i = 0; i < luoc_n_profiles; i++)
		if (!strcmp(luoc_profiles[i].name, name))
			return &luoc_profiles[i];
	return NULL;
}

const char *const *ref_profile_names(void)
{
	/* One more slot than profiles for the NULL end; sized generously. */
	static const char *names[32];
	unsigned int i;

	for (i = 0; i < luoc_n_profiles && i + 1 < sizeof(names) / sizeof(names[0]); i++)
		names[i] = luoc_profiles[i].name;
	names[i] = NULL;
	return names;
}

/*
 * Values are stored in the writing CPU's byte order (spec: byte_order
 * native), which may differ from ours when an image says so.
 */
uint64_t ref_ld(const void *p, unsigned int size, bool be)
{
	const uint8_t *b = p;
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < size && i < 8; i++) {
		unsigned int k = be ? i : size - 1 - i;

		v = (v << 8) | b[k];
	}
	return v;
}

void ref_st(void *p, unsigned int size, uint64_t v, bool be)
{
	uint8_t *b = p;
	unsigned int i;

	for (i = 0; i < size && i < 8; i++) {
		unsigned int k = be ? size - 1 - i : i;

		b[k] = (uint8_t)(v >> (8 * i));
	}
}

unsigned int ref_log2(uint64_t v)
{
	unsigned int n = 0;

	while (v > 1) {
		v >>= 1;
		n++;
	}
	return n;
}

/* --- arena ----------------------------------------------------------------- */

struct ref_chunk {
	struct ref_chunk *next;
	size_t used, cap;
	max_align_t data[];
};

struct ref_arena {
	struct ref_chunk *head;
};

struct ref_arena *ref_arena_new(void)
{
	return calloc(1, sizeof(struct ref_arena));
}

void *ref_arena_alloc(struct ref_arena *a, size_t n)
{
	struct ref_chunk *c = a->head;
	size_t need = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
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
	p = (uint8_t *)c->data + c->used;
	c->used += need;
	memset(p, 0, need);
	return p;
}

char *ref_arena_strndup(struct ref_arena *a, const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *d = ref_arena_alloc(a, len + 1);

	if (d)
		memcpy(d, s, len);
	return d;
}

void ref_arena_free(struct ref_arena *a)
{
	struct ref_chunk *c, *n;

	if (!a)
		return;
	for (c = a->head; c; c = n) {
		n = c->next;
		free(c);
	}
	free(a);
}
